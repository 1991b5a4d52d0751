//! Which reports' figures an act changes, so that a live dashboard re-reads only those.
//!
//! The six reports read what the acts write: `admissionProgress` and `newMemberBreakdown`
//! count admission decisions (and the members on record), `admissionFunnel` follows the
//! source list through training to the decision, `trainingSummary` counts courses and their
//! certificates, `pipelineSummary` counts candidates by stage with their deadlines and
//! mentors, `residentialCoverage` counts members by residential area. An act is mapped to
//! every report that reads what it writes: a dashboard told too much re-reads a panel for
//! nothing, one told too little shows stale figures.

use super::macros::string_enum;

string_enum! {
    /// A report of the API, as a dashboard panel reads it.
    pub enum Report {
        /// `admissionProgress`: admissions against the targets.
        AdmissionProgress = "ADMISSION_PROGRESS",
        /// `newMemberBreakdown`: who the new members are.
        NewMemberBreakdown = "NEW_MEMBER_BREAKDOWN",
        /// `admissionFunnel`: from the source list to the decision.
        AdmissionFunnel = "ADMISSION_FUNNEL",
        /// `trainingSummary`: courses and their certificates.
        TrainingSummary = "TRAINING_SUMMARY",
        /// `pipelineSummary`: candidates by stage, deadlines, mentors, certificates expiring.
        PipelineSummary = "PIPELINE_SUMMARY",
        /// `residentialCoverage`: members and branches by residential area.
        ResidentialCoverage = "RESIDENTIAL_COVERAGE",
    }
}

use Report::*;

/// The reports whose figures the act `act` on a record of `entity_type` changes, as the
/// audit trail names both (`Candidate`, `signAdmissionDecision`).
pub fn changed_by(entity_type: &str, act: &str) -> &'static [Report] {
    match (entity_type, act) {
        // Reading or filing a scan changes no figure.
        ("Candidate", "readScan" | "attachScan" | "correctScan") => &[],
        // A decision, a ceremony or an end of the path: admissions, their people, the funnel.
        (
            "Candidate",
            "signAdmissionDecision"
            | "recordDecisionReceipt"
            | "recordAdmissionCeremony"
            | "signRecognitionDecision"
            | "strikeOffProbationer"
            | "rejectCandidate"
            | "withdrawCandidate"
            | "dropFromSourceList",
        ) => &[AdmissionProgress, NewMemberBreakdown, AdmissionFunnel, PipelineSummary],
        ("Candidate", "enrolInCourse" | "recordCourseCertificate") => {
            &[AdmissionFunnel, TrainingSummary, PipelineSummary]
        }
        // A candidate who moves, or whose details change, is counted again wherever they are.
        ("Candidate", "transferCandidate" | "updateCandidate") => {
            &[NewMemberBreakdown, AdmissionFunnel, TrainingSummary, PipelineSummary]
        }
        ("Candidate", "addToSourceList") => &[AdmissionFunnel, PipelineSummary],
        ("Candidate", _) => &[PipelineSummary],
        // Members imported: the new members' figures and where members live.
        ("OrgUnit", "importMembers") => &[AdmissionProgress, NewMemberBreakdown, ResidentialCoverage],
        // The tree itself changed: every figure is credited anew.
        ("OrgUnit", _) => Report::ALL,
        ("AdmissionTarget", _) => &[AdmissionProgress],
        ("ResidentialArea", _) => &[ResidentialCoverage],
        ("Course", _) => &[TrainingSummary],
        // Deadlines count working days by the rulebook and the calendar.
        ("RulebookVersion" | "PublicHoliday" | "AdmissionDelegation", _) => &[PipelineSummary],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_changes_the_admission_figures() {
        let changed = changed_by("Candidate", "signAdmissionDecision");
        assert!(changed.contains(&AdmissionProgress) && changed.contains(&NewMemberBreakdown));
        assert!(!changed.contains(&ResidentialCoverage));
    }

    #[test]
    fn every_candidate_act_that_writes_changes_the_pipeline() {
        for act in crate::stage::Act::ALL {
            assert!(
                changed_by("Candidate", act.as_str()).contains(&PipelineSummary),
                "{act} changes no pipeline figure"
            );
        }
        assert!(changed_by("Candidate", "readScan").is_empty());
    }

    #[test]
    fn a_change_of_the_tree_changes_every_report() {
        assert_eq!(changed_by("OrgUnit", "moveOrgUnit").len(), Report::ALL.len());
        assert!(changed_by("ApiToken", "issueApiToken").is_empty());
    }
}
