//! The stage machine's and the levels' edge cases.

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
