//! One demo candidate walked along the path by the real acts, by the accounts of the
//! bodies that perform each, up to a chosen stage or an early end.

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entity::member;

use crate::access::Actor;
use crate::candidates::acts::{
    self, BranchVote, DecisionInput, NewCandidate, NewConsent, NewIntroduction, NewRelative, PersonDetails, Subject,
    Vote,
};
use crate::domain::background::Finding;
use crate::domain::dossier::{
    CourseKind, FormCode, IntroductionKind, Relation, ReplacementReason, VerificationOutcome,
};
use crate::domain::ethnicity::Ethnicity;
use crate::domain::months::add_months;
use crate::domain::person::{
    Gender, GeneralEducation, MemberStatus, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation,
};
use crate::domain::stage::Act;
use crate::error::{AppError, AppResult};
use crate::training::service::{self as training, NewCourse};

/// How far along the path a demo candidate goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Until {
    Listed,
    Dossier,
    BranchVote,
    CommuneVote,
    Decision,
    Ceremony,
    RecognitionBranchVote,
    RecognitionCommuneVote,
    Official,
}

/// How the path ends early, if it does.
#[derive(Debug, Clone, Copy)]
pub(super) enum Exit {
    None,
    Dropped,
    Rejected,
    Withdrawn,
    /// The branch's admission vote falls short: on record, the candidate stays listed.
    FailedVote,
    /// The branch's recognition vote falls short and the probationer is struck off through
    /// the grassroots and deciding committees.
    StruckOff,
}

/// The bodies that act for one branch.
pub(super) struct Bodies {
    pub(super) branch: Actor,
    /// The grassroots committee that votes after the branch; `None` for a grassroots
    /// branch (chi bộ cơ sở), whose own resolution goes straight to the decider.
    pub(super) grassroots: Option<Actor>,
    pub(super) deciding: Actor,
    pub(super) branch_code: &'static str,
    /// How the deciding committee numbers its decisions (QĐ/HU: huyện ủy; QĐ/ĐU: đảng ủy).
    pub(super) decision_suffix: &'static str,
}

pub(super) struct Person {
    pub(super) name: &'static str,
    pub(super) birth: (i32, u32, u32),
    pub(super) gender: Gender,
    pub(super) ethnicity: Ethnicity,
    pub(super) source: SourceOrganisation,
    pub(super) education: GeneralEducation,
    pub(super) professional: ProfessionalLevel,
    pub(super) returned_soldier: bool,
    /// An introducer moved away and was replaced before the branch vote.
    pub(super) introducer_replaced: bool,
    /// A former member listed again, recognised by this citizen ID (kết nạp lại).
    pub(super) citizen_id: Option<&'static str>,
}

pub(super) const fn p(
    name: &'static str,
    birth: (i32, u32, u32),
    gender: Gender,
    ethnicity: Ethnicity,
    source: SourceOrganisation,
) -> Person {
    Person {
        name,
        birth,
        gender,
        ethnicity,
        source,
        education: GeneralEducation::UpperSecondary,
        professional: ProfessionalLevel::College,
        returned_soldier: false,
        introducer_replaced: false,
        citizen_id: None,
    }
}

pub(super) fn ymd(d: (i32, u32, u32)) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(d.0, d.1, d.2).ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("bad demo date {d:?}")))
}

/// Walk one candidate from the listing on `listed` up to `until`, then `exit`.
pub(super) async fn walk(
    db: &DatabaseConnection,
    bodies: &Bodies,
    person: &Person,
    listed: NaiveDate,
    until: Until,
    exit: Exit,
) -> AppResult<()> {
    let days = |n: i64| listed + Duration::days(n);
    let branch_id = bodies.branch.unit_id.unwrap_or_default();
    let officials: Vec<i32> = member::Entity::find()
        .filter(member::Column::BranchId.eq(branch_id))
        .filter(member::Column::Status.eq(MemberStatus::Official))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if officials.len() < 3 {
        return Err(AppError::Unexpected(anyhow::anyhow!(
            "demo branch {} has too few members",
            bodies.branch_code
        )));
    }
    let details = PersonDetails {
        full_name: person.name.to_string(),
        gender: person.gender,
        birth_date: ymd(person.birth)?,
        ethnicity: person.ethnicity,
        religion: Religion::None,
        general_education: person.education,
        professional_level: person.professional,
        political_theory_level: PoliticalTheoryLevel::None,
        occupation: Some("Nông dân".into()),
        workplace: None,
        residential_area_id: None,
        citizen_id: person.citizen_id.map(str::to_string),
        source_organisation: person.source,
        returned_soldier: person.returned_soldier,
        difficult_area_education_exception: true,
    };
    let b = &bodies.branch;
    let c = acts::add_to_source_list(
        db,
        b,
        NewCandidate {
            branch_id: Some(branch_id),
            listed_on: listed,
            person: details,
        },
    )
    .await?;
    let id = c.id;
    let subject = Subject { id, expected: None };
    if until >= Until::Dossier {
        acts::assign_mentor(db, b, subject, officials[0], listed).await?;
        let organiser = bodies.deciding.unit_id;
        let course = NewCourse {
            kind: CourseKind::Awareness,
            organiser_unit_id: organiser,
            name: format!("Lớp bồi dưỡng nhận thức về Đảng ({})", days(14).format("%m/%Y")),
            starts_on: days(14),
            ends_on: days(18),
        };
        let course = training::create(db, &bodies.deciding, course).await?;
        acts::enrol_in_course(db, b, subject, course.id, days(14)).await?;
        acts::record_certificate(
            db,
            &bodies.deciding,
            course.id,
            subject,
            format!("CN-{:04}", id),
            days(18),
        )
        .await?;
        for form in [FormCode::Knd1, FormCode::Knd2, FormCode::Knd5] {
            acts::record_document(db, b, subject, form, days(25), None).await?;
        }
        let father = NewRelative {
            relation: Relation::Father,
            full_name: "Cha của ứng viên".into(),
            is_party_member: false,
            outcome: VerificationOutcome::Passed,
            verified_on: Some(days(25)),
            note: None,
        };
        acts::record_relative(db, b, subject, father).await?;
        // The candidate and the father verified where they live, and the grassroots
        // committee's conclusion (a grassroots branch concludes itself).
        let father_id = entity::relative::Entity::find()
            .filter(entity::relative::Column::CandidateId.eq(id))
            .one(db)
            .await?
            .map(|r| r.id);
        for relative in [None, father_id] {
            acts::send_background_check(db, b, subject, relative, "Đảng ủy xã nơi cư trú".into(), days(20)).await?;
        }
        for check in acts::checks_of(db, id).await? {
            acts::record_background_reply(db, b, check.id, None, days(24), Finding::Clear, None).await?;
        }
        let concluding = bodies.grassroots.as_ref().unwrap_or(b);
        acts::conclude_background_verification(db, concluding, subject, days(26), true, None).await?;
        for member in &officials[1..3] {
            let intro = NewIntroduction {
                kind: IntroductionKind::Member,
                member_id: Some(*member),
                known_since: Some(ymd((2018, 1, 1))?),
                introduced_on: days(25),
                replaces: None,
            };
            acts::add_introduction(db, b, subject, intro).await?;
        }
        if person.introducer_replaced {
            // The first introducer moved away; the branch assigns another official member,
            // who need not have known the candidate for 12 months.
            let first = entity::introduction::Entity::find()
                .filter(entity::introduction::Column::CandidateId.eq(id))
                .one(db)
                .await?
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("no introduction to replace")))?;
            let replacement = NewIntroduction {
                kind: IntroductionKind::Member,
                member_id: Some(officials[3]),
                known_since: None,
                introduced_on: days(30),
                replaces: Some((first.id, ReplacementReason::Transferred)),
            };
            acts::add_introduction(db, b, subject, replacement).await?;
        }
    }
    let ended = match exit {
        Exit::Dropped => Some((Act::DropFromSourceList, 30, "Chuyển đi làm ăn xa")),
        Exit::Rejected => Some((Act::Reject, 40, "Kết quả thẩm tra lý lịch chưa đạt yêu cầu")),
        Exit::Withdrawn => Some((Act::Withdraw, 35, "Xin rút đơn vì lý do gia đình")),
        Exit::FailedVote => {
            // One member away on temporary attachment, left out by name; 6 for is short of
            // two thirds of the others.
            let vote = BranchVote {
                on: days(40),
                votes_for: 6,
                left_out: vec![acts::LeftOut {
                    member_id: officials[3],
                    reason: crate::domain::vote::LeftOutReason::AttachedElsewhere,
                }],
            };
            acts::record_branch_resolution(db, b, subject, vote).await?;
            return Ok(());
        }
        Exit::None | Exit::StruckOff => None,
    };
    if let Some((act, after, reason)) = ended {
        acts::exit(db, b, subject, act, days(after), reason.into()).await?;
        return Ok(());
    }
    if until >= Until::BranchVote {
        let vote = BranchVote {
            on: days(40),
            votes_for: crate::members::service::count_official(db, branch_id, days(40)).await?,
            left_out: Vec::new(),
        };
        // A re-admission needs the provincial standing committee's written consent, which
        // the deciding committee records before the vote.
        if person.citizen_id.is_some() {
            let consent = NewConsent {
                case_code: "READMISSION".into(),
                consenting_body: None,
                document_number: format!("{}-CV/TU", 300 + id),
                consented_on: days(38),
                note: None,
            };
            acts::record_higher_consent(db, &bodies.deciding, subject, consent).await?;
        }
        acts::record_branch_resolution(db, b, subject, vote).await?;
    }
    if until >= Until::CommuneVote
        && let Some(grassroots) = &bodies.grassroots
    {
        let vote = committee(days(50), 8);
        acts::record_commune_resolution(db, grassroots, subject, vote).await?;
    }
    if until >= Until::Decision {
        let decision = DecisionInput {
            number: format!("{}-{}", 100 + id, bodies.decision_suffix),
            signed_on: days(70),
        };
        acts::sign_admission_decision(db, &bodies.deciding, subject, decision, None).await?;
    }
    if until >= Until::Ceremony {
        acts::record_admission_ceremony(db, b, subject, days(80), false).await?;
        let ceremony = days(80);
        let course = NewCourse {
            kind: CourseKind::NewMember,
            organiser_unit_id: bodies.deciding.unit_id,
            name: format!(
                "Lớp bồi dưỡng đảng viên mới ({})",
                (ceremony + Duration::days(60)).format("%m/%Y")
            ),
            starts_on: ceremony + Duration::days(60),
            ends_on: ceremony + Duration::days(63),
        };
        let course = training::create(db, &bodies.deciding, course).await?;
        acts::enrol_in_course(db, b, subject, course.id, ceremony + Duration::days(60)).await?;
        acts::record_certificate(
            db,
            &bodies.deciding,
            course.id,
            subject,
            format!("ĐVM-{:04}", id),
            ceremony + Duration::days(63),
        )
        .await?;
    }
    let probation_end = add_months(days(80), 12);
    if let Exit::StruckOff = exit {
        for form in [FormCode::Knd10, FormCode::Knd11, FormCode::Knd12] {
            acts::record_document(db, b, subject, form, probation_end - Duration::days(10), None).await?;
        }
        // The recognition vote falls short (on record), then two thirds resolve to strike off.
        let vote = BranchVote {
            on: probation_end + Duration::days(3),
            votes_for: 3,
            left_out: Vec::new(),
        };
        acts::record_recognition_branch_resolution(db, b, subject, vote).await?;
        let on = probation_end + Duration::days(4);
        let vote = BranchVote {
            on,
            votes_for: crate::members::service::count_official(db, branch_id, on).await?,
            left_out: Vec::new(),
        };
        acts::propose_strike_off(db, b, subject, vote, "Không đủ tư cách đảng viên".into()).await?;
        if let Some(grassroots) = &bodies.grassroots {
            let vote = committee(probation_end + Duration::days(8), 8);
            acts::record_strike_off_commune_resolution(db, grassroots, subject, vote).await?;
        }
        let decision = DecisionInput {
            number: format!("{}-{}", 500 + id, bodies.decision_suffix),
            signed_on: probation_end + Duration::days(10),
        };
        acts::strike_off(
            db,
            &bodies.deciding,
            subject,
            decision,
            "Không đủ tư cách đảng viên sau thời gian dự bị".into(),
        )
        .await?;
        return Ok(());
    }
    if until >= Until::RecognitionBranchVote {
        for form in [FormCode::Knd10, FormCode::Knd11, FormCode::Knd12] {
            acts::record_document(db, b, subject, form, probation_end - Duration::days(10), None).await?;
        }
        let on = probation_end + Duration::days(5);
        let vote = BranchVote {
            on,
            votes_for: crate::members::service::count_official(db, branch_id, on).await?,
            left_out: Vec::new(),
        };
        acts::record_recognition_branch_resolution(db, b, subject, vote).await?;
    }
    if until >= Until::RecognitionCommuneVote
        && let Some(grassroots) = &bodies.grassroots
    {
        let vote = committee(probation_end + Duration::days(12), 9);
        acts::record_recognition_commune_resolution(db, grassroots, subject, vote).await?;
    }
    if until >= Until::Official {
        let decision = DecisionInput {
            number: format!("{}-{}", 900 + id, bodies.decision_suffix),
            signed_on: probation_end + Duration::days(20),
        };
        acts::sign_recognition_decision(db, &bodies.deciding, subject, decision, None).await?;
    }
    Ok(())
}

/// A vote of the grassroots committee, nine strong, on `on`.
fn committee(on: NaiveDate, votes_for: u32) -> Vote {
    Vote {
        on,
        eligible: 9,
        votes_for,
    }
}
