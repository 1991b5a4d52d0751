//! Reading and versioning the rulebook; reading and editing the holiday calendar.

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use entity::{public_holiday, rulebook_version};

use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::rulebook::{Fraction, Rulebook};
use crate::error::{AppError, AppResult};

pub const HOLIDAY: &str = "HOLIDAY";
pub const MAKEUP_WORKDAY: &str = "MAKEUP_WORKDAY";

fn corrupt(what: &str) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("the stored rulebook has an invalid {what}"))
}

fn fraction(num: i32, den: i32, what: &str) -> AppResult<Fraction> {
    Fraction::new(
        u32::try_from(num).map_err(|_| corrupt(what))?,
        u32::try_from(den).map_err(|_| corrupt(what))?,
    )
    .ok_or_else(|| corrupt(what))
}

fn count(value: i32, what: &str) -> AppResult<u32> {
    u32::try_from(value).map_err(|_| corrupt(what))
}

pub fn to_domain(row: &rulebook_version::Model) -> AppResult<Rulebook> {
    Ok(Rulebook {
        effective_from: row.effective_from,
        min_age_months: count(row.min_age_months, "minimum age")?,
        max_age_months: count(row.max_age_months, "maximum age")?,
        branch_vote: fraction(row.branch_vote_num, row.branch_vote_den, "branch vote share")?,
        commune_vote: fraction(row.commune_vote_num, row.commune_vote_den, "commune vote share")?,
        recognition_branch_vote: fraction(
            row.recognition_branch_vote_num,
            row.recognition_branch_vote_den,
            "recognition vote share",
        )?,
        recognition_commune_vote: fraction(
            row.recognition_commune_vote_num,
            row.recognition_commune_vote_den,
            "recognition vote share",
        )?,
        decision_working_days: count(row.decision_working_days, "decision deadline")?,
        decision_extension_working_days: count(row.decision_extension_working_days, "decision extension")?,
        ceremony_working_days: count(row.ceremony_working_days, "ceremony deadline")?,
        recognition_vote_working_days: count(row.recognition_vote_working_days, "recognition vote deadline")?,
        recognition_decision_working_days: count(
            row.recognition_decision_working_days,
            "recognition decision deadline",
        )?,
        probation_months: count(row.probation_months, "probation")?,
        certificate_validity_months: count(row.certificate_validity_months, "certificate validity")?,
        introducer_known_months: count(row.introducer_known_months, "introducer period")?,
        dossier_staleness_months: count(row.dossier_staleness_months, "dossier staleness")?,
        readmission_wait_months: count(row.readmission_wait_months, "re-admission wait")?,
        recognition_votes_before_referral: count(row.recognition_votes_before_referral, "votes before referral")?,
        readmission_wait_after_expungement_months: count(
            row.readmission_wait_after_expungement_months,
            "re-admission wait after expungement",
        )?,
    })
}

/// The regulation a version transcribes: at most 500 characters.
pub fn parse_source(source: &str) -> AppResult<String> {
    crate::domain::text::parse_label(source, 500).map_err(|m| AppError::validation("source", m))
}

/// Only an administrator changes the rulebook.
pub fn require_rulebook_keeper(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("only an administrator changes the rulebook"))
    }
}

/// The version that took effect on exactly `effective_from` (`RULEBOOK_VERSION_NOT_FOUND`).
pub async fn version_from(db: &impl ConnectionTrait, effective_from: NaiveDate) -> AppResult<rulebook_version::Model> {
    rulebook_version::Entity::find()
        .filter(rulebook_version::Column::EffectiveFrom.eq(effective_from))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::rule(
                "RULEBOOK_VERSION_NOT_FOUND",
                format!("no rulebook version takes effect on {effective_from}"),
            )
        })
}

/// The version in force on `on`, with its stored row.
pub async fn version_on(db: &impl ConnectionTrait, on: NaiveDate) -> AppResult<rulebook_version::Model> {
    rulebook_version::Entity::find()
        .filter(rulebook_version::Column::EffectiveFrom.lte(on))
        .order_by_desc(rulebook_version::Column::EffectiveFrom)
        .one(db)
        .await?
        .ok_or_else(|| AppError::rule("NO_RULEBOOK_IN_FORCE", format!("no rulebook is in force on {on}")))
}

/// The rules that judge an act dated `on`.
pub async fn rulebook_on(db: &impl ConnectionTrait, on: NaiveDate) -> AppResult<Rulebook> {
    to_domain(&version_on(db, on).await?)
}

pub async fn versions(db: &DatabaseConnection) -> AppResult<Vec<rulebook_version::Model>> {
    Ok(rulebook_version::Entity::find()
        .order_by_asc(rulebook_version::Column::EffectiveFrom)
        .all(db)
        .await?)
}

/// Add a version of the rulebook (administrators only). Acts dated from `effective_from`
/// on are judged by it.
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
    crate::candidates::service::recompute_deadlines(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        Event {
            act: "addRulebookVersion",
            entity_type: "RulebookVersion",
            entity_id: row.id,
            unit_id: None,
            before: None,
            after: Some(audit::snapshot(&row)?),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The working-day calendar from `from` through `to`.
pub async fn calendar(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> AppResult<WorkingCalendar> {
    let days = public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.between(from, to))
        .all(db)
        .await?;
    let (makeup, holidays): (Vec<_>, Vec<_>) = days.into_iter().partition(|d| d.kind == MAKEUP_WORKDAY);
    Ok(WorkingCalendar::new(
        holidays.into_iter().map(|d| d.day),
        makeup.into_iter().map(|d| d.day),
    ))
}

/// The calendar for deadlines that start on `start`: long enough for any deadline.
pub async fn calendar_from(db: &impl ConnectionTrait, start: NaiveDate) -> AppResult<WorkingCalendar> {
    let end = start.with_year(start.year() + 3).unwrap_or(NaiveDate::MAX);
    calendar(db, start, end).await
}

pub async fn holidays_in(db: &DatabaseConnection, year: i32) -> AppResult<Vec<public_holiday::Model>> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    );
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::validation("year", "not a calendar year"));
    };
    Ok(public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.between(from, to))
        .order_by_asc(public_holiday::Column::Day)
        .all(db)
        .await?)
}

/// Add a holiday or make-up working day (administrators only). Deadlines already
/// computed are recomputed in the same transaction.
pub async fn add_holiday(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
    makeup_workday: bool,
    name: String,
) -> AppResult<public_holiday::Model> {
    if !actor.is_admin() {
        return Err(AppError::forbidden("only an administrator edits the holiday calendar"));
    }
    let name = crate::domain::text::parse_label(&name, 200).map_err(|m| AppError::validation("name", m))?;
    let txn = crate::db::begin_write(db).await?;
    let row = public_holiday::ActiveModel {
        day: Set(day),
        kind: Set(if makeup_workday { MAKEUP_WORKDAY } else { HOLIDAY }.to_string()),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::candidates::service::recompute_deadlines(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        Event {
            act: "addPublicHoliday",
            entity_type: "PublicHoliday",
            entity_id: row.id,
            unit_id: None,
            before: None,
            after: Some(audit::snapshot(&row)?),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Remove a day from the holiday calendar (administrators only).
pub async fn remove_holiday(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
) -> AppResult<public_holiday::Model> {
    if !actor.is_admin() {
        return Err(AppError::forbidden("only an administrator edits the holiday calendar"));
    }
    let txn = crate::db::begin_write(db).await?;
    let row = public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.eq(day))
        .one(&txn)
        .await?
        .ok_or(AppError::not_found("public holiday"))?;
    public_holiday::Entity::delete_by_id(row.id).exec(&txn).await?;
    crate::candidates::service::recompute_deadlines(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        Event {
            act: "removePublicHoliday",
            entity_type: "PublicHoliday",
            entity_id: row.id,
            unit_id: None,
            before: Some(audit::snapshot(&row)?),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}
