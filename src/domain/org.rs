//! The organisation tree: unit kinds, which kind may sit under which, and who decides
//! admissions for a grassroots organisation (tổ chức đảng).

use std::fmt;

/// The level of a unit in the Party's organisation tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgKind {
    /// Tỉnh ủy / đảng bộ tỉnh.
    Province,
    /// Huyện ủy, thành ủy, đảng ủy cấp trên cơ sở.
    District,
    /// Đảng bộ cơ sở (xã, phường, thị trấn): the grassroots level.
    Commune,
    /// Đảng bộ bộ phận: optional level between commune and branch.
    Section,
    /// Chi bộ.
    Branch,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Province,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::Section,
        OrgKind::Branch,
    ];

    /// The stable code stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Province => "PROVINCE",
            OrgKind::District => "DISTRICT",
            OrgKind::Commune => "COMMUNE",
            OrgKind::Section => "SECTION",
            OrgKind::Branch => "BRANCH",
        }
    }

    pub fn parse(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Whether a unit of this kind may sit under a parent of kind `parent` (`None`: a root).
    ///
    /// Both shapes of the tree are valid: province → district → commune → [section] → branch,
    /// and, since the 2025 reform, province → commune → branch. A branch directly under a
    /// district or province is a grassroots branch (chi bộ cơ sở).
    pub fn may_sit_under(self, parent: Option<OrgKind>) -> bool {
        use OrgKind::*;
        match (self, parent) {
            (Province, None) => true,
            (Province, Some(_)) => false,
            (_, None) => false,
            (District, Some(p)) => p == Province,
            (Commune, Some(p)) => matches!(p, District | Province),
            (Section, Some(p)) => p == Commune,
            (Branch, Some(p)) => matches!(p, Commune | Section | District | Province),
        }
    }

    /// Whether a unit of this kind can have children at all.
    pub fn may_have_children(self) -> bool {
        OrgKind::ALL.iter().any(|child| child.may_sit_under(Some(self)))
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One unit on the way from a unit up to the root, as the rules need to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLink {
    pub id: i32,
    pub kind: OrgKind,
    /// Whether the unit holds delegated admission authority (được ủy quyền kết nạp).
    pub delegated: bool,
}

/// The grassroots organisation responsible for a unit: the nearest commune at or above it,
/// or the unit itself when it is a branch sitting directly under a district or province
/// (chi bộ cơ sở). `chain` runs from the unit up to the root.
pub fn grassroots_of(chain: &[ChainLink]) -> Option<ChainLink> {
    for (i, link) in chain.iter().enumerate() {
        match link.kind {
            OrgKind::Commune => return Some(*link),
            OrgKind::Branch | OrgKind::Section => {
                let parent = chain.get(i + 1)?;
                if link.kind == OrgKind::Branch && matches!(parent.kind, OrgKind::District | OrgKind::Province) {
                    return Some(*link);
                }
            }
            OrgKind::District | OrgKind::Province => return None,
        }
    }
    None
}

/// The unit whose standing committee decides admissions for the grassroots organisation
/// at `chain[0]`: the organisation itself when it holds delegated authority, otherwise its
/// direct superior. `None` when `chain[0]` is not a grassroots organisation or has no superior.
pub fn deciding_unit_of(chain: &[ChainLink]) -> Option<ChainLink> {
    let grassroots = *chain.first()?;
    if grassroots_of(chain) != Some(grassroots) {
        return None;
    }
    if grassroots.delegated {
        Some(grassroots)
    } else {
        chain.get(1).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::OrgKind::*;
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OrgKind::parse("province"), None);
    }

    #[test]
    fn parent_kind_table() {
        let allowed = [
            (Province, None),
            (District, Some(Province)),
            (Commune, Some(District)),
            (Commune, Some(Province)),
            (Section, Some(Commune)),
            (Branch, Some(Commune)),
            (Branch, Some(Section)),
            (Branch, Some(District)),
            (Branch, Some(Province)),
        ];
        for child in OrgKind::ALL {
            for parent in std::iter::once(None).chain(OrgKind::ALL.map(Some)) {
                assert_eq!(
                    child.may_sit_under(parent),
                    allowed.contains(&(child, parent)),
                    "{child} under {parent:?}"
                );
            }
        }
        assert!(!Branch.may_have_children());
        assert!(Section.may_have_children());
    }

    fn link(id: i32, kind: OrgKind, delegated: bool) -> ChainLink {
        ChainLink { id, kind, delegated }
    }

    #[test]
    fn district_decides_for_its_commune_unless_delegated() {
        let chain = [
            link(3, Commune, false),
            link(2, District, false),
            link(1, Province, false),
        ];
        assert_eq!(deciding_unit_of(&chain).map(|l| l.id), Some(2));
        let delegated = [link(3, Commune, true), chain[1], chain[2]];
        assert_eq!(deciding_unit_of(&delegated).map(|l| l.id), Some(3));
    }

    #[test]
    fn province_decides_for_a_post_2025_commune() {
        let chain = [link(7, Commune, false), link(1, Province, false)];
        assert_eq!(deciding_unit_of(&chain).map(|l| l.id), Some(1));
    }

    #[test]
    fn grassroots_branch_is_its_own_grassroots_level() {
        let chain = [
            link(9, Branch, false),
            link(2, District, false),
            link(1, Province, false),
        ];
        assert_eq!(grassroots_of(&chain).map(|l| l.id), Some(9));
        assert_eq!(deciding_unit_of(&chain).map(|l| l.id), Some(2));
    }

    #[test]
    fn branch_under_section_belongs_to_the_commune() {
        let chain = [
            link(12, Branch, false),
            link(11, Section, false),
            link(3, Commune, false),
            link(2, District, false),
        ];
        assert_eq!(grassroots_of(&chain).map(|l| l.id), Some(3));
        // Only a grassroots organisation has a deciding unit of its own.
        assert_eq!(deciding_unit_of(&chain), None);
        assert_eq!(deciding_unit_of(&chain[2..]).map(|l| l.id), Some(2));
    }

    #[test]
    fn district_has_no_grassroots_level() {
        let chain = [link(2, District, false), link(1, Province, false)];
        assert_eq!(grassroots_of(&chain), None);
        assert_eq!(deciding_unit_of(&chain), None);
    }
}
