//! The candidate's path as one state machine: the stages, the acts, and the single table
//! of which act is allowed in which stage and where it leads.

use super::lang::Text;
use super::macros::string_enum;
use super::org::{ChainLink, OrgKind, deciding_unit_for, grassroots_of};
use super::violation::Violation;
use crate::tr;

string_enum! {
    /// Where a candidate stands.
    pub enum Stage {
        /// On the branch's source list, being cultivated (danh sách cảm tình đảng).
        SourceList = "SOURCE_LIST",
        /// The branch resolved to propose admission (6-KNĐ).
        BranchApproved = "BRANCH_APPROVED",
        /// The section committee appraised the proposal (7-KNĐ).
        SectionAppraised = "SECTION_APPRAISED",
        /// The grassroots committee voted (8-KNĐ); the dossier is with the deciding unit.
        CommuneResolved = "COMMUNE_RESOLVED",
        /// The admission decision is signed (9-KNĐ); the ceremony is due.
        AdmissionDecided = "ADMISSION_DECIDED",
        /// Admitted at the ceremony; on probation (đảng viên dự bị).
        Probationary = "PROBATIONARY",
        /// The branch proposed recognition as a full member (13-KNĐ).
        RecognitionBranchApproved = "RECOGNITION_BRANCH_APPROVED",
        /// The grassroots committee voted on recognition (15-KNĐ).
        RecognitionCommuneResolved = "RECOGNITION_COMMUNE_RESOLVED",
        /// Recognised as a full member (16-KNĐ).
        Official = "OFFICIAL",
        /// The branch resolved, by two thirds, to propose striking the probationer off; the
        /// proposal goes up.
        StrikeOffProposed = "STRIKE_OFF_PROPOSED",
        /// The grassroots committee voted on the proposal to strike off.
        StrikeOffCommuneResolved = "STRIKE_OFF_COMMUNE_RESOLVED",
        /// The branch voted the rulebook's number of times without two thirds either to
        /// recognise or to strike off: the competent committee decides (Quy định 29-QĐ/TW
        /// 2016 §4.2 c).
        RecognitionReferred = "RECOGNITION_REFERRED",
        /// Dropped from the source list.
        Dropped = "DROPPED",
        /// Rejected at a vote or decision.
        Rejected = "REJECTED",
        /// Withdrew the application.
        Withdrawn = "WITHDRAWN",
        /// Not recognised after probation: struck off (xóa tên).
        StruckOff = "STRUCK_OFF",
    }
}

string_enum! {
    /// Everything that can be done to a candidate's record.
    pub enum Act {
        UpdateDetails = "updateCandidate",
        AssignMentor = "assignMentor",
        ReplaceMentor = "replaceMentor",
        EnrolInCourse = "enrolInCourse",
        RecordCertificate = "recordCourseCertificate",
        RecordDocument = "recordDossierDocument",
        RecordRelative = "recordRelative",
        RecordVerification = "recordBackgroundVerification",
        AddIntroduction = "addIntroduction",
        SendBackgroundCheck = "sendBackgroundCheck",
        RecordBackgroundReply = "recordBackgroundReply",
        RecordVerificationExemption = "recordVerificationExemption",
        ConcludeBackgroundVerification = "concludeBackgroundVerification",
        DeclareSpecialCase = "declareSpecialCase",
        RecordHigherConsent = "recordHigherConsent",
        Transfer = "transferCandidate",
        DropFromSourceList = "dropFromSourceList",
        RecordBranchResolution = "recordBranchResolution",
        AppraiseAtSection = "recordSectionAppraisal",
        RecordCommuneResolution = "recordCommuneResolution",
        SignAdmissionDecision = "signAdmissionDecision",
        RecordDecisionReceipt = "recordDecisionReceipt",
        HoldCeremony = "recordAdmissionCeremony",
        RecordRecognitionBranchResolution = "recordRecognitionBranchResolution",
        RecordRecognitionCommuneResolution = "recordRecognitionCommuneResolution",
        RecognizeFullMembership = "signRecognitionDecision",
        ProposeStrikeOff = "proposeStrikeOff",
        RecordStrikeOffCommuneResolution = "recordStrikeOffCommuneResolution",
        StrikeOff = "strikeOffProbationer",
        Reject = "rejectCandidate",
        Withdraw = "withdrawCandidate",
    }
}

/// Which level of the tree performs an act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The candidate's branch.
    Branch,
    /// The section committee above the branch.
    Section,
    /// The grassroots organisation (commune, or a grassroots branch itself).
    Grassroots,
    /// The unit that decides admissions for the grassroots organisation.
    Deciding,
    /// The organiser of a training course.
    CourseOrganiser,
    /// A unit above both the sending and the receiving branch.
    CommonSuperior,
}

/// Where the candidate's branch sits, which decides the votes between branch and decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A branch of a grassroots committee: the branch votes, then the committee (8-KNĐ).
    Plain,
    /// A branch under a section committee, which appraises between the two votes (7-KNĐ).
    Section,
    /// A grassroots branch (chi bộ cơ sở), directly under a direct superior — a district,
    /// or since 2025 a commune under the province: its own resolution is the grassroots
    /// organisation's proposal and goes straight to the deciding committee; there is no
    /// committee vote in between (Điều lệ Đảng 2011, Điều 4 khoản 3; Hướng dẫn 31-HD/BTCTW
    /// 2025 for the branches of the new communes).
    GrassrootsBranch,
}

impl Stage {
    /// The stages of a path still under way (a candidate there still needs a mentor).
    pub fn open() -> impl Iterator<Item = Stage> {
        Stage::ALL.iter().copied().filter(|s| !s.is_closed())
    }

    /// Whether the candidate's path has ended.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Stage::Official | Stage::Dropped | Stage::Rejected | Stage::Withdrawn | Stage::StruckOff
        )
    }

    /// Whether the person has been admitted (ceremony held), whatever came after.
    pub fn is_admitted(self) -> bool {
        matches!(
            self,
            Stage::Probationary
                | Stage::RecognitionBranchApproved
                | Stage::RecognitionCommuneResolved
                | Stage::StrikeOffProposed
                | Stage::StrikeOffCommuneResolved
                | Stage::RecognitionReferred
                | Stage::Official
                | Stage::StruckOff
        )
    }
}

impl Act {
    /// The level that performs `self` on a candidate in `stage`.
    pub fn level(self, stage: Stage, shape: Shape) -> Level {
        use Act::*;
        match self {
            UpdateDetails
            | AssignMentor
            | ReplaceMentor
            | EnrolInCourse
            | RecordDocument
            | RecordRelative
            | RecordVerification
            | AddIntroduction
            | DeclareSpecialCase
            | SendBackgroundCheck
            | RecordBackgroundReply
            | RecordVerificationExemption
            | DropFromSourceList
            | RecordBranchResolution
            | RecordDecisionReceipt
            | HoldCeremony
            | RecordRecognitionBranchResolution
            | ProposeStrikeOff
            | Withdraw => Level::Branch,
            RecordCertificate => Level::CourseOrganiser,
            Transfer => Level::CommonSuperior,
            AppraiseAtSection => Level::Section,
            RecordCommuneResolution
            | RecordRecognitionCommuneResolution
            | RecordStrikeOffCommuneResolution
            | ConcludeBackgroundVerification => Level::Grassroots,
            SignAdmissionDecision | RecognizeFullMembership | StrikeOff | RecordHigherConsent => Level::Deciding,
            // A rejection is made by whoever holds the dossier at that point.
            Reject => match stage {
                Stage::BranchApproved if shape == Shape::Section => Level::Section,
                // A grassroots branch's proposal is already with the deciding committee.
                Stage::BranchApproved if shape == Shape::GrassrootsBranch => Level::Deciding,
                Stage::BranchApproved | Stage::SectionAppraised => Level::Grassroots,
                Stage::CommuneResolved => Level::Deciding,
                _ => Level::Branch,
            },
        }
    }
}

/// The transition table: the stage `act` leads to from `stage`, or why it is not allowed.
/// `shape`: where the branch sits (a section's appraisal comes between the branch and the
/// grassroots votes; a grassroots branch's own resolution goes straight to the decider).
///
/// A branch that became a grassroots branch in mid-process (its commune placed under the
/// province) has its dossier at `BRANCH_APPROVED` or `RECOGNITION_BRANCH_APPROVED`; the
/// deciding committee takes it from there.
pub fn apply(stage: Stage, act: Act, shape: Shape) -> Result<Stage, Violation> {
    use Act::*;
    use Stage::*;
    let grassroots_branch = shape == Shape::GrassrootsBranch;
    let next = match stage {
        SourceList => match act {
            UpdateDetails
            | AssignMentor
            | ReplaceMentor
            | EnrolInCourse
            | RecordCertificate
            | RecordDocument
            | RecordRelative
            | RecordVerification
            | AddIntroduction
            | Transfer
            | DeclareSpecialCase
            | RecordHigherConsent
            | SendBackgroundCheck
            | RecordBackgroundReply
            | RecordVerificationExemption
            | ConcludeBackgroundVerification => Some(SourceList),
            DropFromSourceList => Some(Dropped),
            RecordBranchResolution if grassroots_branch => Some(CommuneResolved),
            RecordBranchResolution => Some(BranchApproved),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        BranchApproved => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument | DeclareSpecialCase
            | RecordHigherConsent => Some(BranchApproved),
            AppraiseAtSection if shape == Shape::Section => Some(SectionAppraised),
            RecordCommuneResolution if shape == Shape::Plain => Some(CommuneResolved),
            SignAdmissionDecision if grassroots_branch => Some(AdmissionDecided),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        SectionAppraised => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument | DeclareSpecialCase
            | RecordHigherConsent => Some(SectionAppraised),
            RecordCommuneResolution => Some(CommuneResolved),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        CommuneResolved => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument | DeclareSpecialCase
            | RecordHigherConsent => Some(CommuneResolved),
            SignAdmissionDecision => Some(AdmissionDecided),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        AdmissionDecided => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument | RecordDecisionReceipt => {
                Some(AdmissionDecided)
            }
            HoldCeremony => Some(Probationary),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        Probationary => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | EnrolInCourse | RecordCertificate | RecordDocument
            | Transfer => Some(Probationary),
            RecordRecognitionBranchResolution if grassroots_branch => Some(RecognitionCommuneResolved),
            RecordRecognitionBranchResolution => Some(RecognitionBranchApproved),
            // Striking off goes through the same bodies as recognition (Điều lệ Đảng 2011,
            // Điều 5 khoản 3: the branch proposes, the competent committee decides).
            ProposeStrikeOff if grassroots_branch => Some(StrikeOffCommuneResolved),
            ProposeStrikeOff => Some(StrikeOffProposed),
            _ => None,
        },
        RecognitionBranchApproved => match act {
            UpdateDetails | RecordDocument | RecordCertificate => Some(RecognitionBranchApproved),
            RecordRecognitionCommuneResolution if !grassroots_branch => Some(RecognitionCommuneResolved),
            RecognizeFullMembership if grassroots_branch => Some(Official),
            _ => None,
        },
        RecognitionCommuneResolved => match act {
            UpdateDetails | RecordDocument => Some(RecognitionCommuneResolved),
            RecognizeFullMembership => Some(Official),
            // The committee voted against the branch's proposal: the decider may strike off.
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        StrikeOffProposed => match act {
            UpdateDetails | RecordDocument => Some(StrikeOffProposed),
            RecordStrikeOffCommuneResolution if !grassroots_branch => Some(StrikeOffCommuneResolved),
            StrikeOff if grassroots_branch => Some(StruckOff),
            _ => None,
        },
        StrikeOffCommuneResolved => match act {
            UpdateDetails | RecordDocument => Some(StrikeOffCommuneResolved),
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        // The competent committee decides either way.
        RecognitionReferred => match act {
            UpdateDetails | RecordDocument => Some(RecognitionReferred),
            RecognizeFullMembership => Some(Official),
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        Official | Dropped | Rejected | Withdrawn | StruckOff => None,
    };
    next.ok_or_else(|| {
        let (why_en, why_vi) = if stage.is_closed() {
            ("the candidate's path has ended", "quá trình của người này đã kết thúc")
        } else {
            ("it is not the next step", "đây không phải bước tiếp theo")
        };
        Violation::new(
            "ACT_NOT_ALLOWED_IN_STAGE",
            tr!(
                "{act} is not allowed at stage {stage}: {why_en}",
                "không được thực hiện {act} ở giai đoạn {stage}: {why_vi}"
            ),
        )
    })
}

/// Where the branch at `chain[0]` sits (the chain on the act's date, nearest first), as the path between its vote and the decision sees it.
pub fn shape_of(chain: &[ChainLink]) -> Shape {
    match (chain.first(), grassroots_of(chain)) {
        (Some(branch), Some(grassroots)) if branch.id == grassroots.id => Shape::GrassrootsBranch,
        _ if chain.get(1).is_some_and(|l| l.kind == OrgKind::Section) => Shape::Section,
        _ => Shape::Plain,
    }
}

/// The unit that performs acts of `level` for a candidate of the branch at `chain[0]`.
pub fn unit_for(level: Level, chain: &[ChainLink]) -> Option<i32> {
    match level {
        Level::Branch => chain.first().map(|l| l.id),
        Level::Section => chain.get(1).filter(|l| l.kind == OrgKind::Section).map(|l| l.id),
        Level::Grassroots => grassroots_of(chain).map(|l| l.id),
        Level::Deciding => deciding_unit_for(chain).map(|l| l.id),
        Level::CourseOrganiser | Level::CommonSuperior => None,
    }
}

pub fn level_name(level: Level) -> Text {
    match level {
        Level::Branch => Text::fixed("the candidate's branch", "chi bộ của người xin vào Đảng"),
        Level::Section => Text::fixed(
            "the section committee above the branch",
            "đảng bộ bộ phận cấp trên của chi bộ",
        ),
        Level::Grassroots => Text::fixed("the grassroots committee", "đảng ủy cơ sở"),
        Level::Deciding => Text::fixed(
            "the standing committee that decides admissions for this grassroots organisation",
            "ban thường vụ cấp ủy có thẩm quyền quyết định kết nạp đối với tổ chức cơ sở đảng này",
        ),
        Level::CourseOrganiser => Text::fixed("the course's organiser", "đơn vị tổ chức lớp bồi dưỡng"),
        Level::CommonSuperior => Text::fixed("a committee above both branches", "cấp ủy cấp trên của cả hai chi bộ"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: i32, kind: OrgKind) -> ChainLink {
        ChainLink {
            id,
            kind,
            delegated: false,
        }
    }

    /// Who acts at each level for a branch under a section of a commune of a district, and
    /// for a grassroots branch (chi bộ cơ sở) directly under a post-2025 commune, whose own
    /// resolution stands in for the grassroots committee's (Hướng dẫn 31-HD/BTCTW 2025).
    #[test]
    fn each_level_acts_through_the_unit_the_chain_names() {
        use OrgKind::*;
        let sectioned = [
            link(1, Branch),
            link(2, Section),
            link(3, Commune),
            link(4, District),
            link(5, Province),
        ];
        assert_eq!(shape_of(&sectioned), Shape::Section);
        assert_eq!(unit_for(Level::Branch, &sectioned), Some(1));
        assert_eq!(unit_for(Level::Section, &sectioned), Some(2));
        assert_eq!(unit_for(Level::Grassroots, &sectioned), Some(3));
        assert_eq!(unit_for(Level::Deciding, &sectioned), Some(4));
        assert_eq!(unit_for(Level::CommonSuperior, &sectioned), None);
        let plain = [link(1, Branch), link(3, Commune), link(4, District)];
        assert_eq!(shape_of(&plain), Shape::Plain);
        assert_eq!(unit_for(Level::Section, &plain), None);
        let grassroots_branch = [link(6, Branch), link(7, Commune), link(5, Province)];
        assert_eq!(shape_of(&grassroots_branch), Shape::GrassrootsBranch);
        assert_eq!(unit_for(Level::Grassroots, &grassroots_branch), Some(6));
        assert_eq!(unit_for(Level::Deciding, &grassroots_branch), Some(7));
    }

    /// The main path, without a section.
    #[test]
    fn the_main_path_leads_to_full_membership() {
        let path = [
            (Act::RecordBranchResolution, Stage::BranchApproved),
            (Act::RecordCommuneResolution, Stage::CommuneResolved),
            (Act::SignAdmissionDecision, Stage::AdmissionDecided),
            (Act::HoldCeremony, Stage::Probationary),
            (Act::RecordRecognitionBranchResolution, Stage::RecognitionBranchApproved),
            (
                Act::RecordRecognitionCommuneResolution,
                Stage::RecognitionCommuneResolved,
            ),
            (Act::RecognizeFullMembership, Stage::Official),
        ];
        let mut stage = Stage::SourceList;
        for (act, expected) in path {
            stage = apply(stage, act, Shape::Plain).unwrap();
            assert_eq!(stage, expected);
        }
        assert!(stage.is_closed() && stage.is_admitted());
    }

    #[test]
    fn a_section_appraises_between_branch_and_commune() {
        assert_eq!(
            apply(Stage::BranchApproved, Act::AppraiseAtSection, Shape::Section),
            Ok(Stage::SectionAppraised)
        );
        assert!(apply(Stage::BranchApproved, Act::RecordCommuneResolution, Shape::Section).is_err());
        assert!(apply(Stage::BranchApproved, Act::AppraiseAtSection, Shape::Plain).is_err());
        assert_eq!(
            apply(Stage::SectionAppraised, Act::RecordCommuneResolution, Shape::Section),
            Ok(Stage::CommuneResolved)
        );
    }

    /// A grassroots branch (chi bộ cơ sở): no committee vote between the branch and the
    /// decision (Điều lệ Đảng 2011, Điều 4 khoản 3; Hướng dẫn 31-HD/BTCTW 2025).
    #[test]
    fn a_grassroots_branch_proposes_straight_to_the_decider() {
        let g = Shape::GrassrootsBranch;
        let path = [
            (Act::RecordBranchResolution, Stage::CommuneResolved),
            (Act::SignAdmissionDecision, Stage::AdmissionDecided),
            (Act::HoldCeremony, Stage::Probationary),
            (
                Act::RecordRecognitionBranchResolution,
                Stage::RecognitionCommuneResolved,
            ),
            (Act::RecognizeFullMembership, Stage::Official),
        ];
        let mut stage = Stage::SourceList;
        for (act, expected) in path {
            stage = apply(stage, act, g).unwrap();
            assert_eq!(stage, expected);
        }
        assert!(apply(Stage::BranchApproved, Act::RecordCommuneResolution, g).is_err());
        assert!(
            apply(
                Stage::RecognitionBranchApproved,
                Act::RecordRecognitionCommuneResolution,
                g
            )
            .is_err()
        );
        // A branch that became a grassroots branch in mid-process: the decider takes over.
        assert_eq!(
            apply(Stage::BranchApproved, Act::SignAdmissionDecision, g),
            Ok(Stage::AdmissionDecided)
        );
        assert_eq!(Act::Reject.level(Stage::BranchApproved, g), Level::Deciding);
        assert_eq!(
            apply(Stage::RecognitionBranchApproved, Act::RecognizeFullMembership, g),
            Ok(Stage::Official)
        );
        // Elsewhere the decision still waits for the committee.
        assert!(apply(Stage::BranchApproved, Act::SignAdmissionDecision, Shape::Plain).is_err());
        assert!(
            apply(
                Stage::RecognitionBranchApproved,
                Act::RecognizeFullMembership,
                Shape::Plain
            )
            .is_err()
        );
    }

    #[test]
    fn steps_cannot_be_skipped_or_repeated() {
        let err = apply(Stage::SourceList, Act::SignAdmissionDecision, Shape::Plain).unwrap_err();
        assert_eq!(err.rule, "ACT_NOT_ALLOWED_IN_STAGE");
        assert!(apply(Stage::AdmissionDecided, Act::SignAdmissionDecision, Shape::Plain).is_err());
        assert!(apply(Stage::Probationary, Act::HoldCeremony, Shape::Plain).is_err());
    }

    #[test]
    fn open_stages_are_every_stage_not_closed() {
        let open: Vec<Stage> = Stage::open().collect();
        assert_eq!(
            open.len() + Stage::ALL.iter().filter(|s| s.is_closed()).count(),
            Stage::ALL.len()
        );
        assert!(open.contains(&Stage::RecognitionReferred) && !open.contains(&Stage::StruckOff));
    }

    #[test]
    fn closed_paths_accept_nothing() {
        for stage in Stage::ALL.iter().copied().filter(|s| s.is_closed()) {
            for act in Act::ALL {
                assert!(apply(stage, *act, Shape::Plain).is_err(), "{act} at {stage}");
            }
        }
    }

    #[test]
    fn exits() {
        assert_eq!(
            apply(Stage::SourceList, Act::DropFromSourceList, Shape::Plain),
            Ok(Stage::Dropped)
        );
        assert_eq!(
            apply(Stage::CommuneResolved, Act::Reject, Shape::Plain),
            Ok(Stage::Rejected)
        );
        assert_eq!(
            apply(Stage::AdmissionDecided, Act::Withdraw, Shape::Plain),
            Ok(Stage::Withdrawn)
        );
        assert!(
            apply(Stage::AdmissionDecided, Act::Reject, Shape::Plain).is_err(),
            "after the decision only a withdrawal remains"
        );
        assert_eq!(
            apply(Stage::RecognitionCommuneResolved, Act::StrikeOff, Shape::Plain),
            Ok(Stage::StruckOff)
        );
        assert!(apply(Stage::SourceList, Act::StrikeOff, Shape::Plain).is_err());
    }

    /// Striking a probationer off follows the bodies of recognition: the branch proposes,
    /// the grassroots committee votes, the deciding committee decides (Điều lệ Đảng 2011,
    /// Điều 5 khoản 3).
    #[test]
    fn strike_off_goes_through_the_same_bodies_as_recognition() {
        let plain = [
            (Act::ProposeStrikeOff, Stage::StrikeOffProposed),
            (Act::RecordStrikeOffCommuneResolution, Stage::StrikeOffCommuneResolved),
            (Act::StrikeOff, Stage::StruckOff),
        ];
        let mut stage = Stage::Probationary;
        for (act, expected) in plain {
            stage = apply(stage, act, Shape::Plain).unwrap();
            assert_eq!(stage, expected);
        }
        // No body is skipped: not from probation straight to the decision, nor past the committee.
        assert!(apply(Stage::Probationary, Act::StrikeOff, Shape::Plain).is_err());
        assert!(apply(Stage::RecognitionBranchApproved, Act::StrikeOff, Shape::Plain).is_err());
        assert!(apply(Stage::StrikeOffProposed, Act::StrikeOff, Shape::Plain).is_err());
        // A grassroots branch has no committee between it and the decider.
        let g = Shape::GrassrootsBranch;
        assert_eq!(
            apply(Stage::Probationary, Act::ProposeStrikeOff, g),
            Ok(Stage::StrikeOffCommuneResolved)
        );
        assert_eq!(apply(Stage::StrikeOffProposed, Act::StrikeOff, g), Ok(Stage::StruckOff));
        assert_eq!(Act::ProposeStrikeOff.level(Stage::Probationary, g), Level::Branch);
        assert_eq!(
            Act::RecordStrikeOffCommuneResolution.level(Stage::StrikeOffProposed, Shape::Plain),
            Level::Grassroots
        );
        assert!(Stage::StrikeOffProposed.is_admitted() && !Stage::StrikeOffProposed.is_closed());
        // Referred up after the failed votes: the deciding committee decides either way.
        assert_eq!(
            apply(Stage::RecognitionReferred, Act::RecognizeFullMembership, Shape::Plain),
            Ok(Stage::Official)
        );
        assert_eq!(
            apply(Stage::RecognitionReferred, Act::StrikeOff, Shape::Plain),
            Ok(Stage::StruckOff)
        );
        assert!(
            apply(
                Stage::RecognitionReferred,
                Act::RecordRecognitionCommuneResolution,
                Shape::Plain
            )
            .is_err()
        );
    }

    #[test]
    fn rejection_belongs_to_whoever_holds_the_dossier() {
        assert_eq!(Act::Reject.level(Stage::SourceList, Shape::Plain), Level::Branch);
        assert_eq!(Act::Reject.level(Stage::BranchApproved, Shape::Section), Level::Section);
        assert_eq!(
            Act::Reject.level(Stage::BranchApproved, Shape::Plain),
            Level::Grassroots
        );
        assert_eq!(Act::Reject.level(Stage::CommuneResolved, Shape::Plain), Level::Deciding);
        assert_eq!(
            Act::SignAdmissionDecision.level(Stage::CommuneResolved, Shape::Plain),
            Level::Deciding
        );
    }
}
