//! The organisation tree: unit kinds, which kind may sit under which, which units hold the
//! authority of a direct superior of grassroots organisations, and who decides admissions.
//!
//! Everything here is read from the tree *as it stood on one day* (a chain of links from a
//! unit up to the root on that day): since the 2025 reform the same commune is a grassroots
//! organisation on 30 June 2025, under its district, and the direct superior of its
//! branches on 1 July, under the province.

use super::macros::string_enum;

string_enum! {
    /// The level of a unit in the Party's organisation tree; its code is stored and shown
    /// in the API.
    pub enum OrgKind {
        /// Tỉnh ủy / đảng bộ tỉnh.
        Province = "PROVINCE",
        /// Huyện ủy, thành ủy, đảng ủy cấp trên cơ sở.
        District = "DISTRICT",
        /// Đảng bộ xã, phường, thị trấn, đặc khu. Under a district it is the grassroots level
        /// (đảng bộ cơ sở); placed directly under the province (the 2025 reform) it is the direct
        /// superior of the grassroots organisations beneath it.
        Commune = "COMMUNE",
        /// Đảng bộ cơ sở of an agency, enterprise, school or other unit (not a commune): a
        /// grassroots committee under a district, the province, or a post-2025 commune.
        Grassroots = "GRASSROOTS",
        /// Đảng bộ bộ phận: optional level between a grassroots committee and its branches.
        Section = "SECTION",
        /// Chi bộ.
        Branch = "BRANCH",
    }
}

impl OrgKind {
    /// Whether a unit of this kind may sit under the parent at `parent[0]` (`parent` runs
    /// from the parent up to the root on the day in question; empty for a root).
    ///
    /// Both shapes of the tree are valid: province → district → commune → [section] → branch,
    /// and, since the 2025 reform, province → commune → branch or grassroots committee →
    /// [section] → branch (Hướng dẫn 31-HD/BTCTW 2025 on the new commune-level committees).
    /// A branch directly under a direct superior of grassroots organisations is a
    /// grassroots branch (chi bộ cơ sở; Điều lệ Đảng 2011, Điều 21).
    pub fn may_sit_under(self, parent: &[ChainLink]) -> bool {
        use OrgKind::*;
        let Some(first) = parent.first() else {
            return self == Province;
        };
        let superior = holds_superior_authority(parent);
        match self {
            Province => false,
            District => first.kind == Province,
            Commune => matches!(first.kind, District | Province),
            Grassroots => superior,
            // A section divides a grassroots committee, never a superior one.
            Section => matches!(first.kind, Commune | Grassroots) && !superior,
            Branch => first.kind != Branch,
        }
    }

    /// Whether a unit of this kind can have children at all.
    pub fn may_have_children(self) -> bool {
        self != OrgKind::Branch
    }
}

/// One unit on the way from a unit up to the root on one day, as the rules need to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLink {
    pub id: i32,
    pub kind: OrgKind,
    /// Whether the unit held delegated admission authority (được ủy quyền kết nạp) that day.
    pub delegated: bool,
}

/// Whether the unit at `chain[0]` is a direct superior of grassroots organisations (cấp
/// trên trực tiếp của tổ chức cơ sở đảng) on the chain's day: a province or district
/// committee, or a commune committee placed directly under the province (Hướng dẫn
/// 31-HD/BTCTW 2025; from the day it was placed there, so earlier acts keep the district).
pub fn holds_superior_authority(chain: &[ChainLink]) -> bool {
    match chain.first().map(|l| l.kind) {
        Some(OrgKind::Province | OrgKind::District) => true,
        Some(OrgKind::Commune) => chain.get(1).is_some_and(|p| p.kind == OrgKind::Province),
        _ => false,
    }
}

/// The grassroots organisation (tổ chức cơ sở đảng) responsible for the unit at `chain[0]`:
/// the nearest unit at or above it whose parent is a direct superior of grassroots
/// organisations — a commune under a district, a grassroots committee, or a branch sitting
/// directly under a superior (chi bộ cơ sở). `None` at or above the superior level.
pub fn grassroots_of(chain: &[ChainLink]) -> Option<ChainLink> {
    for i in 0..chain.len() {
        if holds_superior_authority(&chain[i..]) {
            return None;
        }
        if holds_superior_authority(&chain[i + 1..]) {
            return Some(chain[i]);
        }
    }
    None
}

/// The unit whose standing committee decides admissions and recognitions for the
/// grassroots organisation at `chain[0]` (Điều lệ Đảng 2011, Điều 4 khoản 3; Quy định
/// 29-QĐ/TW 2016 §4.3.1): the organisation itself when it holds delegated authority, otherwise its
/// direct superior. `None` when `chain[0]` is not a grassroots organisation.
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

/// The commune (xã, phường, đặc khu) at or above the unit at `chain[0]`, whose residential
/// areas its people live in: the grassroots organisation before 2025, the direct superior
/// of its village branches since. `None` for units outside any commune.
pub fn commune_of(chain: &[ChainLink]) -> Option<ChainLink> {
    chain.iter().copied().find(|l| l.kind == OrgKind::Commune)
}

/// The deciding unit for the unit at `chain[0]`, through its grassroots organisation.
pub fn deciding_unit_for(chain: &[ChainLink]) -> Option<ChainLink> {
    let grassroots = grassroots_of(chain)?;
    let from = chain.iter().position(|l| l.id == grassroots.id)?;
    deciding_unit_of(&chain[from..])
}

#[cfg(test)]
mod tests {
    use super::OrgKind::*;
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for &kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OrgKind::parse("province"), None);
    }

    fn link(id: i32, kind: OrgKind, delegated: bool) -> ChainLink {
        ChainLink { id, kind, delegated }
    }

    /// Chains for every parent the table below names, by a short name.
    fn parents() -> Vec<(&'static str, Vec<ChainLink>)> {
        let province = link(1, Province, false);
        let district = link(2, District, false);
        let old_commune = link(3, Commune, false);
        let new_commune = link(4, Commune, false);
        let agency = link(5, Grassroots, false);
        vec![
            ("root", vec![]),
            ("province", vec![province]),
            ("district", vec![district, province]),
            ("commune under a district", vec![old_commune, district, province]),
            ("commune under the province", vec![new_commune, province]),
            ("grassroots committee", vec![agency, new_commune, province]),
            (
                "section",
                vec![link(6, Section, false), old_commune, district, province],
            ),
            ("branch", vec![link(7, Branch, false), old_commune, district, province]),
        ]
    }

    #[test]
    fn parent_kind_table() {
        let allowed: &[(OrgKind, &str)] = &[
            (Province, "root"),
            (District, "province"),
            (Commune, "province"),
            (Commune, "district"),
            (Grassroots, "province"),
            (Grassroots, "district"),
            (Grassroots, "commune under the province"),
            (Section, "commune under a district"),
            (Section, "grassroots committee"),
            (Branch, "province"),
            (Branch, "district"),
            (Branch, "commune under a district"),
            (Branch, "commune under the province"),
            (Branch, "grassroots committee"),
            (Branch, "section"),
        ];
        for &child in OrgKind::ALL {
            for (name, chain) in parents() {
                assert_eq!(
                    child.may_sit_under(&chain),
                    allowed.contains(&(child, name)),
                    "{child} under {name}"
                );
            }
        }
        assert!(!Branch.may_have_children());
        assert!(Section.may_have_children());
    }

    #[test]
    fn superior_authority_follows_the_parent_on_the_day() {
        let commune = link(3, Commune, false);
        // Hướng dẫn 31-HD/BTCTW 2025: under the province the commune is a direct superior.
        assert!(holds_superior_authority(&[commune, link(1, Province, false)]));
        // Before the reform, under its district, it is a grassroots organisation.
        assert!(!holds_superior_authority(&[
            commune,
            link(2, District, false),
            link(1, Province, false)
        ]));
        assert!(holds_superior_authority(&[
            link(2, District, false),
            link(1, Province, false)
        ]));
        assert!(!holds_superior_authority(&[
            link(5, Grassroots, false),
            commune,
            link(1, Province, false)
        ]));
        assert!(!holds_superior_authority(&[]));
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
    fn a_post_2025_commune_decides_for_its_branches_and_grassroots_committees() {
        // Hướng dẫn 31-HD/BTCTW 2025: the commune under the province is the direct superior.
        let commune = link(7, Commune, false);
        let province = link(1, Province, false);
        let branch = [link(8, Branch, false), commune, province];
        assert_eq!(grassroots_of(&branch).map(|l| l.id), Some(8));
        assert_eq!(deciding_unit_for(&branch).map(|l| l.id), Some(7));
        let agency = link(9, Grassroots, false);
        let agency_branch = [link(10, Branch, false), agency, commune, province];
        assert_eq!(grassroots_of(&agency_branch).map(|l| l.id), Some(9));
        assert_eq!(deciding_unit_for(&agency_branch).map(|l| l.id), Some(7));
        // The commune itself is above the grassroots level, and still the branches' commune.
        assert_eq!(grassroots_of(&[commune, province]), None);
        assert_eq!(commune_of(&branch).map(|l| l.id), Some(7));
        assert_eq!(commune_of(&agency_branch).map(|l| l.id), Some(7));
        assert_eq!(deciding_unit_of(&[commune, province]), None);
    }

    #[test]
    fn a_unit_moved_across_the_reform_keeps_its_old_decider_for_earlier_days() {
        let (branch, commune, district, province) = (
            link(12, Branch, false),
            link(3, Commune, false),
            link(2, District, false),
            link(1, Province, false),
        );
        let before = [branch, commune, district, province];
        let after = [branch, commune, province];
        assert_eq!(deciding_unit_for(&before).map(|l| l.id), Some(2));
        assert_eq!(grassroots_of(&before).map(|l| l.id), Some(3));
        assert_eq!(deciding_unit_for(&after).map(|l| l.id), Some(3));
        assert_eq!(grassroots_of(&after).map(|l| l.id), Some(12));
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
        let delegated = [link(9, Branch, true), chain[1], chain[2]];
        assert_eq!(deciding_unit_of(&delegated).map(|l| l.id), Some(9));
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
        assert_eq!(deciding_unit_for(&chain).map(|l| l.id), Some(2));
    }

    /// A chain from the root down, each kind drawn among those that may sit under the
    /// chain built so far; returned nearest first, as the rules read it.
    fn chain_from(picks: &[(u8, bool)]) -> Vec<ChainLink> {
        let mut down: Vec<ChainLink> = Vec::new();
        for (i, (pick, delegated)) in picks.iter().enumerate() {
            let above: Vec<ChainLink> = down.iter().rev().copied().collect();
            let fits: Vec<OrgKind> = OrgKind::ALL
                .iter()
                .copied()
                .filter(|k| k.may_sit_under(&above))
                .collect();
            let Some(kind) = fits.get(usize::from(*pick) % fits.len().max(1)).copied() else {
                break;
            };
            down.push(link(i as i32 + 1, kind, *delegated));
        }
        down.reverse();
        down
    }

    proptest::proptest! {
        /// Over every shape the kind table allows: the grassroots organisation sits directly
        /// under a holder of superior authority and holds none itself, and the decider is
        /// that holder, or the organisation itself exactly when it is delegated.
        #[test]
        fn the_decider_is_the_grassroots_superior_or_the_delegated_grassroots(
            picks in proptest::collection::vec((proptest::prelude::any::<u8>(), proptest::prelude::any::<bool>()), 1..7)
        ) {
            let chain = chain_from(&picks);
            let Some(grassroots) = grassroots_of(&chain) else {
                proptest::prop_assert!(deciding_unit_for(&chain).is_none());
                return Ok(());
            };
            let at = chain.iter().position(|l| l.id == grassroots.id).unwrap();
            proptest::prop_assert!(!holds_superior_authority(&chain[at..]));
            proptest::prop_assert!(holds_superior_authority(&chain[at + 1..]));
            // Nothing between the unit and its grassroots organisation holds authority.
            for i in 0..at {
                proptest::prop_assert!(!holds_superior_authority(&chain[i..]));
            }
            let decider = deciding_unit_for(&chain).unwrap();
            if grassroots.delegated {
                proptest::prop_assert_eq!(decider.id, grassroots.id);
            } else {
                proptest::prop_assert_eq!(decider.id, chain[at + 1].id);
            }
        }
    }

    #[test]
    fn district_has_no_grassroots_level() {
        let chain = [link(2, District, false), link(1, Province, false)];
        assert_eq!(grassroots_of(&chain), None);
        assert_eq!(deciding_unit_of(&chain), None);
    }
}
