//! Roles: what a signed-in account acts as. A staff account's role is the level of the
//! unit it acts for; an administrator manages the whole system; a reporter reads aggregates.

use super::org::OrgKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Province,
    District,
    Commune,
    Section,
    Branch,
    Reporter,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Province,
        Role::District,
        Role::Commune,
        Role::Section,
        Role::Branch,
        Role::Reporter,
    ];

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

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Province => "PROVINCE",
            Role::District => "DISTRICT",
            Role::Commune => "COMMUNE",
            Role::Section => "SECTION",
            Role::Branch => "BRANCH",
            Role::Reporter => "REPORTER",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == code)
    }
}

super::macros::stored_code!(Role);

/// How an account is stored: the role of a staff account follows its unit, so only the
/// account type is persisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    Staff,
    Admin,
    Reporter,
}

impl AccountType {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Staff => "STAFF",
            AccountType::Admin => "ADMIN",
            AccountType::Reporter => "REPORTER",
        }
    }

    pub fn parse(code: &str) -> Option<AccountType> {
        [AccountType::Staff, AccountType::Admin, AccountType::Reporter]
            .into_iter()
            .find(|t| t.as_str() == code)
    }

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

super::macros::stored_code!(AccountType);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
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
