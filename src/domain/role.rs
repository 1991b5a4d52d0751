//! Roles: what a signed-in account acts as. A staff account's role is the level of the
//! unit it acts for; an administrator manages the whole system; a reporter reads aggregates.

use super::macros::string_enum;
use super::org::OrgKind;

string_enum! {
    /// What an account acts as; its code travels in the access token.
    pub enum Role {
        Admin = "ADMIN",
        Province = "PROVINCE",
        District = "DISTRICT",
        Commune = "COMMUNE",
        Section = "SECTION",
        Branch = "BRANCH",
        Reporter = "REPORTER",
    }
}

impl Role {
    /// The role of a staff account acting for a unit of `kind`.
    pub fn for_unit_kind(kind: OrgKind) -> Role {
        match kind {
            OrgKind::Province => Role::Province,
            OrgKind::District => Role::District,
            OrgKind::Commune | OrgKind::Grassroots => Role::Commune,
            OrgKind::Section => Role::Section,
            OrgKind::Branch => Role::Branch,
        }
    }
}

string_enum! {
    /// How an account is stored: the role of a staff account follows its unit, so only the
    /// account type is persisted.
    pub enum AccountType {
        Staff = "STAFF",
        Admin = "ADMIN",
        Reporter = "REPORTER",
    }
}

impl AccountType {
    /// The effective role: staff act at their unit's level.
    pub fn role(self, unit_kind: Option<OrgKind>) -> Option<Role> {
        match (self, unit_kind) {
            (AccountType::Admin, _) => Some(Role::Admin),
            (AccountType::Reporter, Some(_)) => Some(Role::Reporter),
            (AccountType::Staff, Some(kind)) => Some(Role::for_unit_kind(kind)),
            (_, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[test]
    fn staff_role_follows_the_unit() {
        assert_eq!(AccountType::Staff.role(Some(OrgKind::Commune)), Some(Role::Commune));
        assert_eq!(AccountType::Staff.role(None), None);
        assert_eq!(AccountType::Admin.role(None), Some(Role::Admin));
        assert_eq!(
            AccountType::Reporter.role(Some(OrgKind::District)),
            Some(Role::Reporter)
        );
    }
}
