//! The rulebook and the working calendar as every feature reads them: read-only, so that
//! candidates, reports and clocks use the rules without the rules' administration (which
//! recomputes clocks) being a dependency of theirs.

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entity::{public_holiday, rulebook_version};

use crate::domain::calendar::{DayKind, WorkingCalendar};
use crate::domain::rulebook::{Fraction, Rulebook};
use crate::error::{AppError, AppResult, tr};

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

/// The version that took effect on exactly `effective_from` (`RULEBOOK_VERSION_NOT_FOUND`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn version_from(db: &impl ConnectionTrait, effective_from: NaiveDate) -> AppResult<rulebook_version::Model> {
    rulebook_version::Entity::find()
        .filter(rulebook_version::Column::EffectiveFrom.eq(effective_from))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::rule(
                "RULEBOOK_VERSION_NOT_FOUND",
                tr!(
                    "no rulebook version takes effect on {effective_from}",
                    "không có phiên bản bộ quy định nào có hiệu lực từ ngày {effective_from}"
                ),
            )
        })
}

/// The version in force on `on`, with its stored row.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn version_on(db: &impl ConnectionTrait, on: NaiveDate) -> AppResult<rulebook_version::Model> {
    rulebook_version::Entity::find()
        .filter(rulebook_version::Column::EffectiveFrom.lte(on))
        .order_by_desc(rulebook_version::Column::EffectiveFrom)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::rule(
                "NO_RULEBOOK_IN_FORCE",
                tr!(
                    "no rulebook is in force on {on}",
                    "không có bộ quy định nào có hiệu lực vào ngày {on}"
                ),
            )
        })
}

/// The rules that judge an act dated `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rulebook_on(db: &impl ConnectionTrait, on: NaiveDate) -> AppResult<Rulebook> {
    to_domain(&version_on(db, on).await?)
}

/// Every version, oldest first, as rules.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rulebooks(db: &impl ConnectionTrait) -> AppResult<Vec<Rulebook>> {
    let rows = rulebook_version::Entity::find()
        .order_by_asc(rulebook_version::Column::EffectiveFrom)
        .all(db)
        .await?;
    rows.iter().map(to_domain).collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn versions(db: &DatabaseConnection) -> AppResult<Vec<rulebook_version::Model>> {
    Ok(rulebook_version::Entity::find()
        .order_by_asc(rulebook_version::Column::EffectiveFrom)
        .all(db)
        .await?)
}

/// The working-day calendar from `from` through `to`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn calendar(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> AppResult<WorkingCalendar> {
    let days = public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.between(from, to))
        .all(db)
        .await?;
    let (makeup, holidays): (Vec<_>, Vec<_>) = days.into_iter().partition(|d| d.kind == DayKind::MakeupWorkday);
    Ok(WorkingCalendar::new(
        holidays.into_iter().map(|d| d.day),
        makeup.into_iter().map(|d| d.day),
    ))
}

/// The calendar for deadlines that start on `start`: long enough for any deadline.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn calendar_from(db: &impl ConnectionTrait, start: NaiveDate) -> AppResult<WorkingCalendar> {
    let end = start.with_year(start.year() + 3).unwrap_or(NaiveDate::MAX);
    calendar(db, start, end).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn holidays_in(db: &DatabaseConnection, year: i32) -> AppResult<Vec<public_holiday::Model>> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    );
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::validation(
            "year",
            tr!("not a calendar year", "không phải một năm dương lịch"),
        ));
    };
    Ok(public_holiday::Entity::find()
        .filter(public_holiday::Column::Day.between(from, to))
        .order_by_asc(public_holiday::Column::Day)
        .all(db)
        .await?)
}

/// A stored case as the rules read it.
pub fn to_case(row: entity::consent_case::Model) -> crate::domain::consent::ConsentCase {
    crate::domain::consent::ConsentCase {
        code: row.code,
        name: row.name,
        consenting_body: row.consenting_body,
        needed_before: row.needed_before,
        detected: row.detected,
        source: row.source,
    }
}

/// The cases needing a higher committee's consent in force on `on`, by code: the latest
/// version of each.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn consent_cases_on(
    db: &impl ConnectionTrait,
    on: NaiveDate,
) -> AppResult<Vec<crate::domain::consent::ConsentCase>> {
    use entity::consent_case;
    use sea_orm::Condition;
    let rows = consent_case::Entity::find()
        .filter(consent_case::Column::EffectiveFrom.lte(on))
        .filter(
            Condition::any()
                .add(consent_case::Column::EffectiveTo.is_null())
                .add(consent_case::Column::EffectiveTo.gt(on)),
        )
        .order_by_asc(consent_case::Column::Code)
        .order_by_desc(consent_case::Column::EffectiveFrom)
        .all(db)
        .await?;
    let mut cases: Vec<crate::domain::consent::ConsentCase> = Vec::new();
    for row in rows {
        if cases.last().is_none_or(|c| c.code != row.code) {
            cases.push(to_case(row));
        }
    }
    Ok(cases)
}

/// The background-verification rules in force on `on`: the lines of the latest set that
/// began on or before it (none before the first).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn background_rules_on(
    db: &impl ConnectionTrait,
    on: NaiveDate,
) -> AppResult<crate::domain::background::BackgroundRules> {
    use crate::domain::background::{BackgroundRules, Kin, Side};
    use crate::domain::dossier::Relation;
    use entity::background_rule;
    let latest = background_rule::Entity::find()
        .filter(background_rule::Column::EffectiveFrom.lte(on))
        .order_by_desc(background_rule::Column::EffectiveFrom)
        .one(db)
        .await?;
    let mut rules = BackgroundRules {
        verified: Vec::new(),
        exempting: Vec::new(),
        source: String::new(),
    };
    let Some(latest) = latest else { return Ok(rules) };
    let rows = background_rule::Entity::find()
        .filter(background_rule::Column::EffectiveFrom.eq(latest.effective_from))
        .order_by_asc(background_rule::Column::Id)
        .all(db)
        .await?;
    let unknown = |row: &background_rule::Model| {
        AppError::Unexpected(anyhow::anyhow!(
            "background_rule {}: unknown {} / {} / {}",
            row.id,
            row.kind,
            row.side,
            row.relation
        ))
    };
    for row in rows {
        let side = Side::parse(&row.side).ok_or_else(|| unknown(&row))?;
        match row.kind.as_str() {
            "VERIFIED" => rules
                .verified
                .push((Relation::parse(&row.relation).ok_or_else(|| unknown(&row))?, side)),
            "EXEMPTING" => rules
                .exempting
                .push((Kin::parse(&row.relation).ok_or_else(|| unknown(&row))?, side)),
            _ => return Err(unknown(&row)),
        }
        rules.source = row.source;
    }
    Ok(rules)
}
