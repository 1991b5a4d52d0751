//! The candidate's path as one state machine: the stages, the acts, and the single table
//! of which act is allowed in which stage and where it leads.

use super::macros::string_enum;
use super::violation::Violation;

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

impl Stage {
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
                | Stage::Official
                | Stage::StruckOff
        )
    }
}

impl Act {
    /// The level that performs `self` on a candidate in `stage`.
    pub fn level(self, stage: Stage, has_section: bool) -> Level {
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
            | DropFromSourceList
            | RecordBranchResolution
            | RecordDecisionReceipt
            | HoldCeremony
            | RecordRecognitionBranchResolution
            | Withdraw => Level::Branch,
            RecordCertificate => Level::CourseOrganiser,
            Transfer => Level::CommonSuperior,
            AppraiseAtSection => Level::Section,
            RecordCommuneResolution | RecordRecognitionCommuneResolution => Level::Grassroots,
            SignAdmissionDecision | RecognizeFullMembership | StrikeOff => Level::Deciding,
            // A rejection is made by whoever holds the dossier at that point.
            Reject => match stage {
                Stage::BranchApproved if has_section => Level::Section,
                Stage::BranchApproved | Stage::SectionAppraised => Level::Grassroots,
                Stage::CommuneResolved => Level::Deciding,
                _ => Level::Branch,
            },
        }
    }
}

/// The transition table: the stage `act` leads to from `stage`, or why it is not allowed.
/// `has_section`: the candidate's branch sits under a section committee, whose appraisal
/// then comes between the branch and the grassroots votes.
pub fn apply(stage: Stage, act: Act, has_section: bool) -> Result<Stage, Violation> {
    use Act::*;
    use Stage::*;
    let next = match stage {
        SourceList => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | EnrolInCourse | RecordCertificate | RecordDocument
            | RecordRelative | RecordVerification | AddIntroduction | Transfer => Some(SourceList),
            DropFromSourceList => Some(Dropped),
            RecordBranchResolution => Some(BranchApproved),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        BranchApproved => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument => Some(BranchApproved),
            AppraiseAtSection if has_section => Some(SectionAppraised),
            RecordCommuneResolution if !has_section => Some(CommuneResolved),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        SectionAppraised => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument => Some(SectionAppraised),
            RecordCommuneResolution => Some(CommuneResolved),
            Reject => Some(Rejected),
            Withdraw => Some(Withdrawn),
            _ => None,
        },
        CommuneResolved => match act {
            UpdateDetails | AssignMentor | ReplaceMentor | RecordDocument => Some(CommuneResolved),
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
            RecordRecognitionBranchResolution => Some(RecognitionBranchApproved),
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        RecognitionBranchApproved => match act {
            UpdateDetails | RecordDocument | RecordCertificate => Some(RecognitionBranchApproved),
            RecordRecognitionCommuneResolution => Some(RecognitionCommuneResolved),
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        RecognitionCommuneResolved => match act {
            UpdateDetails | RecordDocument => Some(RecognitionCommuneResolved),
            RecognizeFullMembership => Some(Official),
            StrikeOff => Some(StruckOff),
            _ => None,
        },
        Official | Dropped | Rejected | Withdrawn | StruckOff => None,
    };
    next.ok_or_else(|| {
        let why = if stage.is_closed() {
            "the candidate's path has ended"
        } else {
            "it is not the next step"
        };
        Violation::new(
            "ACT_NOT_ALLOWED_IN_STAGE",
            format!("{act} is not allowed at stage {stage}: {why}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            stage = apply(stage, act, false).unwrap();
            assert_eq!(stage, expected);
        }
        assert!(stage.is_closed() && stage.is_admitted());
    }

    #[test]
    fn a_section_appraises_between_branch_and_commune() {
        assert_eq!(
            apply(Stage::BranchApproved, Act::AppraiseAtSection, true),
            Ok(Stage::SectionAppraised)
        );
        assert!(apply(Stage::BranchApproved, Act::RecordCommuneResolution, true).is_err());
        assert!(apply(Stage::BranchApproved, Act::AppraiseAtSection, false).is_err());
        assert_eq!(
            apply(Stage::SectionAppraised, Act::RecordCommuneResolution, true),
            Ok(Stage::CommuneResolved)
        );
    }

    #[test]
    fn steps_cannot_be_skipped_or_repeated() {
        let err = apply(Stage::SourceList, Act::SignAdmissionDecision, false).unwrap_err();
        assert_eq!(err.rule, "ACT_NOT_ALLOWED_IN_STAGE");
        assert!(apply(Stage::AdmissionDecided, Act::SignAdmissionDecision, false).is_err());
        assert!(apply(Stage::Probationary, Act::HoldCeremony, false).is_err());
    }

    #[test]
    fn closed_paths_accept_nothing() {
        for stage in Stage::ALL.iter().copied().filter(|s| s.is_closed()) {
            for act in Act::ALL {
                assert!(apply(stage, *act, false).is_err(), "{act} at {stage}");
            }
        }
    }

    #[test]
    fn exits() {
        assert_eq!(
            apply(Stage::SourceList, Act::DropFromSourceList, false),
            Ok(Stage::Dropped)
        );
        assert_eq!(apply(Stage::CommuneResolved, Act::Reject, false), Ok(Stage::Rejected));
        assert_eq!(
            apply(Stage::AdmissionDecided, Act::Withdraw, false),
            Ok(Stage::Withdrawn)
        );
        assert!(
            apply(Stage::AdmissionDecided, Act::Reject, false).is_err(),
            "after the decision only a withdrawal remains"
        );
        assert_eq!(
            apply(Stage::RecognitionCommuneResolved, Act::StrikeOff, false),
            Ok(Stage::StruckOff)
        );
        assert!(apply(Stage::SourceList, Act::StrikeOff, false).is_err());
    }

    #[test]
    fn rejection_belongs_to_whoever_holds_the_dossier() {
        assert_eq!(Act::Reject.level(Stage::SourceList, false), Level::Branch);
        assert_eq!(Act::Reject.level(Stage::BranchApproved, true), Level::Section);
        assert_eq!(Act::Reject.level(Stage::BranchApproved, false), Level::Grassroots);
        assert_eq!(Act::Reject.level(Stage::CommuneResolved, false), Level::Deciding);
        assert_eq!(
            Act::SignAdmissionDecision.level(Stage::CommuneResolved, false),
            Level::Deciding
        );
    }
}
