//! Versioning the rulebook and editing the holiday calendar (administrators only); each
//! change recomputes the stored clocks in its own transaction (`super::clocks`).

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use entity::{public_holiday, rulebook_version};

use super::clocks::recompute_deadlines;
use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::domain::calendar::DayKind;
use crate::domain::rulebook::Rulebook;
use crate::error::{AppError, AppResult, tr};

/// The regulation a version transcribes: at most 500 characters.
pub fn parse_source(source: &str) -> AppResult<String> {
    crate::domain::text::parse_label(source, 500).map_err(|m| AppError::validation("source", m))
}

/// Only an administrator changes the rulebook.
pub fn require_rulebook_keeper(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden(tr!(
            "only an administrator changes the rulebook",
            "chỉ quản trị viên mới được thay đổi bộ quy định"
        )))
    }
}

/// Add a version of the rulebook (administrators only). Acts dated from `effective_from`
/// on are judged by it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_version(
    db: &DatabaseConnection,
    actor: &Actor,
    rules: Rulebook,
    source: String,
    inherits_from: Option<NaiveDate>,
) -> AppResult<rulebook_version::Model> {
    require_rulebook_keeper(actor)?;
    rules
        .check()
        .map_err(|(field, message)| AppError::validation(field, message))?;
    let source = parse_source(&source)?;
    let as_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let txn = crate::db::begin_write(db).await?;
    let row = rulebook_version::ActiveModel {
        effective_from: Set(rules.effective_from),
        min_age_months: Set(as_i32(rules.min_age_months)),
        max_age_months: Set(as_i32(rules.max_age_months)),
        branch_vote_num: Set(as_i32(rules.branch_vote.num())),
        branch_vote_den: Set(as_i32(rules.branch_vote.den())),
        commune_vote_num: Set(as_i32(rules.commune_vote.num())),
        commune_vote_den: Set(as_i32(rules.commune_vote.den())),
        recognition_branch_vote_num: Set(as_i32(rules.recognition_branch_vote.num())),
        recognition_branch_vote_den: Set(as_i32(rules.recognition_branch_vote.den())),
        recognition_commune_vote_num: Set(as_i32(rules.recognition_commune_vote.num())),
        recognition_commune_vote_den: Set(as_i32(rules.recognition_commune_vote.den())),
        decision_working_days: Set(as_i32(rules.decision_working_days)),
        decision_extension_working_days: Set(as_i32(rules.decision_extension_working_days)),
        ceremony_working_days: Set(as_i32(rules.ceremony_working_days)),
        recognition_vote_working_days: Set(as_i32(rules.recognition_vote_working_days)),
        recognition_decision_working_days: Set(as_i32(rules.recognition_decision_working_days)),
        probation_months: Set(as_i32(rules.probation_months)),
        certificate_validity_months: Set(as_i32(rules.certificate_validity_months)),
        introducer_known_months: Set(as_i32(rules.introducer_known_months)),
        dossier_staleness_months: Set(as_i32(rules.dossier_staleness_months)),
        readmission_wait_months: Set(as_i32(rules.readmission_wait_months)),
        recognition_votes_before_referral: Set(as_i32(rules.recognition_votes_before_referral)),
        readmission_wait_after_expungement_months: Set(as_i32(rules.readmission_wait_after_expungement_months)),
        inherits_from: Set(inherits_from),
        source: Set(source),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Deadlines already computed may fall under the new version.
    conclude(
        txn,
        actor,
        Event::new("addRulebookVersion", "RulebookVersion", row.id, None).after(&row)?,
    )
    .await?;
    Ok(row)
}

/// Add a holiday or make-up working day (administrators only). Deadlines already
/// computed are recomputed in the same transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_holiday(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
    makeup_workday: bool,
    name: String,
) -> AppResult<public_holiday::Model> {
    if !actor.is_admin() {
        return Err(AppError::forbidden(tr!(
            "only an administrator edits the holiday calendar",
            "chỉ quản trị viên mới được sửa lịch ngày nghỉ lễ"
        )));
    }
    let name = crate::domain::text::parse_label(&name, 200).map_err(|m| AppError::validation("name", m))?;
    let txn = crate::db::begin_write(db).await?;
    let row = public_holiday::ActiveModel {
        day: Set(day),
        kind: Set(if makeup_workday {
            DayKind::MakeupWorkday
        } else {
            DayKind::Holiday
        }),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    conclude(
        txn,
        actor,
        Event::new("addPublicHoliday", "PublicHoliday", row.id, None).after(&row)?,
    )
    .await?;
    Ok(row)
}

/// Remove a day from the holiday calendar (administrators only).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_holiday(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
) -> AppResult<public_holiday::Model> {
    if !actor.is_admin() {
        return Err(AppError::forbidden(tr!(
            "only an administrator edits the holiday calendar",
            "chỉ quản trị viên mới được sửa lịch ngày nghỉ lễ"
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let row = public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.eq(day))
        .one(&txn)
        .await?
        .ok_or(AppError::not_found(crate::error::noun::PUBLIC_HOLIDAY))?;
    public_holiday::Entity::delete_by_id(row.id).exec(&txn).await?;
    let event = Event::new("removePublicHoliday", "PublicHoliday", row.id, None).before(Some(audit::snapshot(&row)?));
    conclude(txn, actor, event).await?;
    Ok(row)
}

/// The end of every change of the rules, in its transaction: the stored clocks recomputed
/// (deadlines already computed may fall under the change), the audit event written, then
/// the commit.
#[tracing::instrument(level = "debug", skip_all)]
async fn conclude(txn: DatabaseTransaction, actor: &Actor, event: Event) -> AppResult<()> {
    recompute_deadlines(&txn).await?;
    audit::commit(txn, actor, event).await
}

/// A new case that needs a higher committee's written consent, as the administrator
/// defines it: declared for a candidate by the branch, in force from `effective_from`.
pub struct NewConsentCase {
    pub code: String,
    pub name: String,
    pub consenting_body: String,
    pub needed_before: crate::domain::consent::ConsentStep,
    pub source: String,
    pub effective_from: NaiveDate,
}

/// Define a case, or a new version of one from a later day (administrators only).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn define_consent_case(
    db: &DatabaseConnection,
    actor: &Actor,
    case: NewConsentCase,
) -> AppResult<entity::consent_case::Model> {
    require_rulebook_keeper(actor)?;
    let label = |field: &'static str, value: &str, max| {
        crate::domain::text::parse_label(value, max).map_err(|m| AppError::validation(field, m))
    };
    // Every length first, then the code's letters.
    let code = label("code", &case.code, 64)?;
    let name = label("name", &case.name, 200)?;
    let consenting_body = label("consentingBody", &case.consenting_body, 200)?;
    let source = parse_source(&case.source)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(AppError::validation(
            "code",
            tr!(
                "upper-case letters, digits and underscores",
                "chỉ gồm chữ in hoa, chữ số và dấu gạch dưới"
            ),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let row = entity::consent_case::ActiveModel {
        code: Set(code),
        name: Set(name),
        consenting_body: Set(consenting_body),
        needed_before: Set(case.needed_before),
        detected: Set(None),
        source: Set(source),
        effective_from: Set(case.effective_from),
        effective_to: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::commit(
        txn,
        actor,
        Event::new("defineConsentCase", "ConsentCase", row.id, None).after(&row)?,
    )
    .await?;
    Ok(row)
}
