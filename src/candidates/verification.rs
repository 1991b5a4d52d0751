//! Background verification as it is done (the rules are in [`crate::domain::background`]):
//! the branch sends a verification of the candidate and of each relative the rules name to
//! a verifying body and records its reply, or records that a side of the family is exempt
//! and the member relative who makes it so; the grassroots committee concludes once every
//! subject is replied to or exempt, and the branch votes only on a favourable conclusion.

use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use entity::{background_check, background_conclusion, relative, verification_exemption};

use super::records::ActTarget;
use super::service::{self, Subject};
use crate::access::Actor;
use crate::audit::service as audit;
use crate::clock::not_in_future;
use crate::domain::background::{self, Check, Declared, Finding, Kin, Side, Standing};
use crate::domain::dates::not_before;
use crate::domain::stage::Act;
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, noun};
use crate::graphql::scalars::Date;
use crate::rules::store as rules;

/// Send a verification of the candidate, or of a declared relative, to a verifying body
/// (the party committee or authority where they live or work). By the branch.
#[derive(InputObject)]
pub struct SendBackgroundCheckInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The relative verified (`Relative.id`); omit for the candidate themself.
    pub(super) relative_id: Option<ID>,
    /// The body asked to verify. At most 200 characters.
    pub(super) verifying_body: String,
    /// The day the request was sent.
    pub(super) sent_on: Date,
}

/// Record the verifying body's reply to a verification. By the branch.
#[derive(InputObject)]
pub struct RecordBackgroundReplyInput {
    /// The verification (`BackgroundCheck.id`).
    pub(super) check_id: ID,
    /// The candidate's `version` as last read; refused with `CONFLICT` if changed (omit: no check).
    pub(super) expected_version: Option<i32>,
    /// The day of the reply, not before the request.
    pub(super) replied_on: Date,
    /// What the reply concluded.
    pub(super) finding: BackgroundFinding,
    /// What the reply says. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// Record that a side of the candidate's family need not be verified, with the member
/// relative whose membership exempts it (the declaration being complete). By the branch.
#[derive(InputObject)]
pub struct RecordVerificationExemptionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The side exempted.
    pub(super) side: FamilySide,
    /// How the member is related to the candidate.
    pub(super) member_relation: MemberKin,
    /// The member's full name. At most 200 characters.
    pub(super) member_name: String,
    /// The Party organisation the member belongs to. At most 200 characters.
    pub(super) member_unit: String,
    /// The member's party card number, if known. At most 32 characters.
    pub(super) card_number: Option<String>,
    /// The background declaration (2-KNĐ) is complete, clear and truthful: the rule's
    /// condition; `false` is refused.
    pub(super) declaration_complete: bool,
}

/// The grassroots committee's conclusion on the candidate's background. By the committee.
#[derive(InputObject)]
pub struct ConcludeBackgroundVerificationInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The day of the conclusion.
    pub(super) concluded_on: Date,
    /// Whether the political standard is met.
    pub(super) passed: bool,
    /// The committee's reasoning; required to pass over a reply that raised a concern.
    /// At most 2000 characters.
    pub(super) note: Option<String>,
}

fn label(field: &'static str, value: &str, max: usize) -> AppResult<String> {
    text::parse_label(value, max).map_err(|m| AppError::validation(field, m))
}

fn optional(field: &'static str, value: Option<String>, max: usize) -> AppResult<Option<String>> {
    text::parse_optional_label(value, max).map_err(|m| AppError::validation(field, m))
}

/// Send a verification. By the branch.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn send_background_check(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    relative_id: Option<i32>,
    verifying_body: String,
    sent_on: NaiveDate,
) -> AppResult<entity::candidate::Model> {
    not_in_future("sentOn", sent_on)?;
    let verifying_body = label("verifyingBody", &verifying_body, 200)?;
    let acting = service::begin(db, actor, subject, Act::SendBackgroundCheck, sent_on).await?;
    if let Some(relative_id) = relative_id {
        let relative = relative::Entity::find_by_id(relative_id)
            .filter(relative::Column::CandidateId.eq(subject.id))
            .one(&acting.txn)
            .await?
            .ok_or(AppError::not_found(noun::RELATIVE))?;
        let rules = rules::background_rules_on(&acting.txn, sent_on).await?;
        background::check_verified_relation(&rules, relative.relation)?;
    }
    let row = background_check::ActiveModel {
        candidate_id: Set(subject.id),
        relative_id: Set(relative_id),
        verifying_body: Set(verifying_body),
        sent_on: Set(sent_on),
        replied_on: Set(None),
        finding: Set(None),
        reply_note: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting
        .record(json!({ "backgroundCheck": audit::snapshot(&row)? }))
        .await
}

/// Record a reply. By the branch; a reply once recorded is not replaced.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_background_reply(
    db: &DatabaseConnection,
    actor: &Actor,
    check_id: i32,
    expected: Option<i32>,
    replied_on: NaiveDate,
    finding: Finding,
    note: Option<String>,
) -> AppResult<entity::candidate::Model> {
    not_in_future("repliedOn", replied_on)?;
    let note = optional("note", note, 2000)?;
    // Out of scope answers exactly like missing: the check is looked up in scope.
    let check = crate::access::find::<background_check::Entity>(db, actor.scope(), check_id).await?;
    let subject = Subject {
        id: check.candidate_id,
        expected,
    };
    let acting = service::begin(db, actor, subject, Act::RecordBackgroundReply, replied_on).await?;
    let check = background_check::Entity::find_by_id(check_id)
        .one(&acting.txn)
        .await?
        .ok_or(AppError::not_found(noun::BACKGROUND_CHECK))?;
    if check.replied_on.is_some() {
        return Err(AppError::Conflict(Text::fixed(
            "this verification has its reply: send a new one to verify again",
            "yêu cầu thẩm tra này đã có trả lời: muốn thẩm tra lại hãy gửi yêu cầu mới",
        )));
    }
    not_before(
        "repliedOn",
        replied_on,
        &Text::fixed("the request", "ngày gửi yêu cầu"),
        Some(check.sent_on),
    )?;
    let mut row = check.into_active_model();
    row.replied_on = Set(Some(replied_on));
    row.finding = Set(Some(finding));
    row.reply_note = Set(note);
    let row = row.update(&acting.txn).await?;
    acting
        .record(json!({ "backgroundCheck": audit::snapshot(&row)? }))
        .await
}

/// A member relative exempting a side, as recorded.
pub struct NewExemption {
    pub side: Side,
    pub kin: Kin,
    pub member_name: String,
    pub member_unit: String,
    pub card_number: Option<String>,
    pub declaration_complete: bool,
}

impl TryFrom<RecordVerificationExemptionInput> for NewExemption {
    type Error = AppError;
    fn try_from(i: RecordVerificationExemptionInput) -> AppResult<NewExemption> {
        Ok(NewExemption {
            side: i.side.into(),
            kin: i.member_relation.into(),
            member_name: label("memberName", &i.member_name, 200)?,
            member_unit: label("memberUnit", &i.member_unit, 200)?,
            card_number: optional("cardNumber", i.card_number, 32)?,
            declaration_complete: i.declaration_complete,
        })
    }
}

/// Record an exemption. By the branch; refused unless the rules let this member exempt
/// this side and the declaration is complete.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_verification_exemption(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    e: NewExemption,
) -> AppResult<entity::candidate::Model> {
    let today = crate::clock::today();
    let acting = service::begin(db, actor, subject, Act::RecordVerificationExemption, today).await?;
    let rules = rules::background_rules_on(&acting.txn, today).await?;
    background::check_exemption(&rules, e.kin, e.side, e.declaration_complete)?;
    let row = verification_exemption::ActiveModel {
        candidate_id: Set(subject.id),
        side: Set(e.side),
        kin: Set(e.kin),
        member_name: Set(e.member_name),
        member_unit: Set(e.member_unit),
        card_number: Set(e.card_number),
        recorded_on: Set(today),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "exemption": audit::snapshot(&row)? })).await
}

/// Every subject of the candidate's verification and where it stands on `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn standings(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    on: NaiveDate,
) -> AppResult<Vec<(background::Subject, Standing)>> {
    let rules = rules::background_rules_on(db, on).await?;
    let relatives: Vec<Declared> = relative::Entity::find()
        .filter(relative::Column::CandidateId.eq(candidate_id))
        .order_by_asc(relative::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Declared {
            id: r.id,
            relation: r.relation,
        })
        .collect();
    let checks: Vec<Check> = checks_of(db, candidate_id)
        .await?
        .into_iter()
        .map(|c| Check {
            subject: c
                .relative_id
                .map_or(background::Subject::Candidate, background::Subject::Relative),
            replied: c.replied_on.zip(c.finding),
        })
        .collect();
    let exempt: Vec<Side> = verification_exemption::Entity::find()
        .filter(verification_exemption::Column::CandidateId.eq(candidate_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.side)
        .collect();
    Ok(background::standings(&rules, &relatives, &checks, &exempt, on))
}

/// The verifications of a candidate, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checks_of(db: &impl ConnectionTrait, candidate_id: i32) -> AppResult<Vec<background_check::Model>> {
    Ok(background_check::Entity::find()
        .filter(background_check::Column::CandidateId.eq(candidate_id))
        .order_by_asc(background_check::Column::Id)
        .all(db)
        .await?)
}

/// The latest conclusion on a candidate's background dated on or before `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn latest_conclusion(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    on: NaiveDate,
) -> AppResult<Option<background_conclusion::Model>> {
    Ok(background_conclusion::Entity::find()
        .filter(background_conclusion::Column::CandidateId.eq(candidate_id))
        .filter(background_conclusion::Column::ConcludedOn.lte(on))
        .order_by_desc(background_conclusion::Column::ConcludedOn)
        .order_by_desc(background_conclusion::Column::Id)
        .one(db)
        .await?)
}

/// The grassroots committee concludes. Refused while a subject is neither replied to nor
/// exempt on the day, or when it passes over a concern without saying why.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn conclude_background_verification(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    concluded_on: NaiveDate,
    passed: bool,
    note: Option<String>,
) -> AppResult<entity::candidate::Model> {
    not_in_future("concludedOn", concluded_on)?;
    let note = optional("note", note, 2000)?;
    let acting = service::begin(db, actor, subject, Act::ConcludeBackgroundVerification, concluded_on).await?;
    let all = standings(&acting.txn, subject.id, concluded_on).await?;
    background::check_conclusion(&all, passed, note.is_some())?;
    let unit_id = actor.unit_id.ok_or_else(|| {
        AppError::forbidden(Text::fixed(
            "a conclusion is the grassroots committee's",
            "việc kết luận thuộc thẩm quyền của đảng ủy cơ sở",
        ))
    })?;
    let row = background_conclusion::ActiveModel {
        candidate_id: Set(subject.id),
        unit_id: Set(unit_id),
        concluded_on: Set(concluded_on),
        passed: Set(passed),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "conclusion": audit::snapshot(&row)? })).await
}

/// The exemptions recorded for a candidate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn exemptions_of(
    db: &impl ConnectionTrait,
    candidate_id: i32,
) -> AppResult<Vec<verification_exemption::Model>> {
    Ok(verification_exemption::Entity::find()
        .filter(verification_exemption::Column::CandidateId.eq(candidate_id))
        .order_by_asc(verification_exemption::Column::Id)
        .all(db)
        .await?)
}

crate::graphql::enums::mirror_enum! {
    /// What a verifying body's reply concluded.
    BackgroundFinding => crate::domain::background::Finding {
        /// Nothing in the political history or present stance stands against admission.
        Clear,
        /// Something does, or is not clear: the committee must look into it.
        Concern,
    }
}

crate::graphql::enums::mirror_enum! {
    /// A side of the candidate's family, verified or exempted as a whole.
    FamilySide => crate::domain::background::Side {
        /// The candidate, their parents (or whoever raised them) and their children.
        Own,
        /// The spouse and the spouse's parents.
        Spouse,
    }
}

crate::graphql::enums::mirror_enum! {
    /// A Party member among the candidate's close relatives, as an exemption names them.
    MemberKin => crate::domain::background::Kin {
        /// Father.
        Father,
        /// Mother.
        Mother,
        /// A brother or sister (anh, chị, em ruột).
        Sibling,
        /// A birth child.
        Child,
        /// The spouse.
        Spouse,
        /// The spouse's father.
        FatherInLaw,
        /// The spouse's mother.
        MotherInLaw,
        /// A brother or sister of the spouse.
        SpouseSibling,
    }
}
