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

/// The body that acts at `level`, as a refusal names it.
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
mod tests;
