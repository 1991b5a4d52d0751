//! Cases that need a higher committee's written consent: the branch declares a case the
//! rulebook names, the deciding committee records the consent (body, document, date), and
//! the branch vote and the decision are refused while a case that applies lacks it (the
//! rules, and where each case comes from, are in [`crate::domain::consent`]).

use async_graphql::InputObject;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use entity::{candidate, candidate_case, higher_consent};

use super::records::ActTarget;
use super::service::{self, Subject};
use crate::access::Actor;
use crate::audit::service as audit;
use crate::clock::not_in_future;
use crate::domain::consent::{Consent, ConsentCase, ConsentStep, Facts};
use crate::domain::person::GeneralEducation;
use crate::domain::rulebook::Rulebook;
use crate::domain::stage::Act;
use crate::domain::text;
use crate::error::{AppError, AppResult, tr};
use crate::graphql::scalars::Date;
use crate::rules::store as rules;

/// Declare that the candidate's case is one the rulebook says needs a higher committee's
/// written consent (a case read from the candidate's own facts needs no declaring). By the
/// branch, before the decision.
#[derive(InputObject)]
pub struct DeclareSpecialCaseInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The case's code, as `consentCases` lists it. At most 64 characters.
    pub(super) case_code: String,
    /// What makes it this case. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// Record a higher committee's written consent for a case of the candidate. By the
/// committee that decides the admission, before the step the case must precede.
#[derive(InputObject)]
pub struct RecordHigherConsentInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The case consented to, as `consentCases` lists it. At most 64 characters.
    pub(super) case_code: String,
    /// The consenting body as the document names it (omit: the body the rulebook names).
    /// At most 200 characters.
    pub(super) consenting_body: Option<String>,
    /// The document's number (số văn bản). At most 64 characters.
    pub(super) document_number: String,
    /// The date of the document; the consent counts from it.
    pub(super) consented_on: Date,
    /// Remark. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// A consent as recorded, checked at the edge.
pub struct NewConsent {
    pub case_code: String,
    pub consenting_body: Option<String>,
    pub document_number: String,
    pub consented_on: NaiveDate,
    pub note: Option<String>,
}

impl TryFrom<RecordHigherConsentInput> for NewConsent {
    type Error = AppError;
    fn try_from(i: RecordHigherConsentInput) -> AppResult<NewConsent> {
        Ok(NewConsent {
            case_code: case_code(&i.case_code)?,
            consenting_body: text::parse_optional_label(i.consenting_body, 200)
                .map_err(|m| AppError::validation("consentingBody", m))?,
            document_number: text::parse_label(&i.document_number, 64)
                .map_err(|m| AppError::validation("documentNumber", m))?,
            consented_on: i.consented_on.0,
            note: note(i.note)?,
        })
    }
}

pub(super) fn case_code(code: &str) -> AppResult<String> {
    text::parse_label(code, 64).map_err(|m| AppError::validation("caseCode", m))
}

pub(super) fn note(note: Option<String>) -> AppResult<Option<String>> {
    text::parse_optional_label(note, 2000).map_err(|m| AppError::validation("note", m))
}

/// The consents on record for a candidate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn consents_of(db: &impl ConnectionTrait, candidate_id: i32) -> AppResult<Vec<higher_consent::Model>> {
    Ok(higher_consent::Entity::find()
        .filter(higher_consent::Column::CandidateId.eq(candidate_id))
        .order_by_asc(higher_consent::Column::Id)
        .all(db)
        .await?)
}

pub(super) fn as_consents(rows: &[higher_consent::Model]) -> Vec<Consent> {
    rows.iter()
        .map(|r| Consent {
            case_code: r.case_code.clone(),
            consented_on: r.consented_on,
        })
        .collect()
}

/// The cases in force on `on` that apply to `c`: those its facts show and those the
/// branch declared.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn applying(
    db: &impl ConnectionTrait,
    rules: &Rulebook,
    c: &candidate::Model,
    on: NaiveDate,
) -> AppResult<Vec<ConsentCase>> {
    let facts = Facts {
        birth_date: c.birth_date,
        literate_only: c.general_education == GeneralEducation::Literate,
        readmission: c.readmission_of_member_id.is_some(),
    };
    let declared: Vec<String> = candidate_case::Entity::find()
        .filter(candidate_case::Column::CandidateId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.case_code)
        .collect();
    Ok(rules::consent_cases_on(db, on)
        .await?
        .into_iter()
        .filter(|case| match case.detected {
            Some(detected) => crate::domain::consent::applies(detected, rules.max_age_months, &facts, on),
            None => declared.contains(&case.code),
        })
        .collect())
}

/// Refuse `step` on `on` while a case that applies to `c` lacks its consent.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn require_consents(
    db: &impl ConnectionTrait,
    rules: &Rulebook,
    c: &candidate::Model,
    judged_on: NaiveDate,
    step: ConsentStep,
    on: NaiveDate,
) -> AppResult<()> {
    let cases = applying(db, rules, c, judged_on).await?;
    let consents = as_consents(&consents_of(db, c.id).await?);
    let refs: Vec<&ConsentCase> = cases.iter().collect();
    Ok(crate::domain::consent::check(&refs, &consents, step, on)?)
}

#[tracing::instrument(level = "debug", skip_all)]
async fn case_in_force(db: &impl ConnectionTrait, code: &str, on: NaiveDate) -> AppResult<ConsentCase> {
    rules::consent_cases_on(db, on)
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or_else(|| {
            AppError::validation(
                "caseCode",
                tr!(
                    "the rulebook names no case {code} on {on}",
                    "bộ quy định áp dụng ngày {on} không có trường hợp {code}"
                ),
            )
        })
}

/// Declare a case for the candidate. By the branch.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn declare_special_case(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    code: String,
    note: Option<String>,
) -> AppResult<candidate::Model> {
    let code = case_code(&code)?;
    let note = self::note(note)?;
    let today = crate::clock::today();
    let acting = service::begin(db, actor, subject, Act::DeclareSpecialCase, today).await?;
    let case = case_in_force(&acting.txn, &code, today).await?;
    if case.detected.is_some() {
        return Err(AppError::rule(
            "CASE_READ_FROM_FACTS",
            tr!(
                "{} is read from the candidate's own facts: record the consent, nothing to declare",
                "trường hợp {} được xác định từ chính thông tin của người xin vào Đảng: hãy ghi ý kiến đồng ý, không cần khai báo",
                case.code
            ),
        ));
    }
    let row = candidate_case::ActiveModel {
        candidate_id: Set(subject.id),
        case_code: Set(case.code),
        declared_on: Set(today),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "case": audit::snapshot(&row)? })).await
}

/// Record a higher committee's consent. By the deciding committee.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_higher_consent(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    consent: NewConsent,
) -> AppResult<candidate::Model> {
    not_in_future("consentedOn", consent.consented_on)?;
    let acting = service::begin(db, actor, subject, Act::RecordHigherConsent, consent.consented_on).await?;
    let case = case_in_force(&acting.txn, &consent.case_code, consent.consented_on).await?;
    let row = higher_consent::ActiveModel {
        candidate_id: Set(subject.id),
        case_code: Set(case.code),
        consenting_body: Set(consent.consenting_body.unwrap_or(case.consenting_body)),
        document_number: Set(consent.document_number),
        consented_on: Set(consent.consented_on),
        note: Set(consent.note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "consent": audit::snapshot(&row)? })).await
}

/// The cases that apply to `c`, judged on the branch vote's day (today before it), each with
/// its latest consent on record.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn special_cases(
    db: &impl ConnectionTrait,
    c: &candidate::Model,
) -> AppResult<Vec<super::papers::SpecialCase>> {
    let on = c.branch_resolution_on.unwrap_or_else(crate::clock::today);
    let rulebook = rules::rulebook_on(db, on).await?;
    let consents = consents_of(db, c.id).await?;
    Ok(applying(db, &rulebook, c, on)
        .await?
        .into_iter()
        .map(|case| {
            let consent = consents.iter().rev().find(|k| k.case_code == case.code).cloned();
            super::papers::SpecialCase { case, consent }
        })
        .collect())
}
