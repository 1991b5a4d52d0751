//! Setting and reading targets.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use entity::admission_target;

use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::domain::period::{PeriodKind, TargetBasis, TargetKey};
use crate::error::{AppError, AppResult, tr};
use crate::org::service as units;

fn key_columns(key: TargetKey) -> (PeriodKind, i32, i32) {
    match key {
        TargetKey::Year(year) => (PeriodKind::Year, year, year),
        TargetKey::Term { start_year, end_year } => (PeriodKind::Term, start_year, end_year),
    }
}

pub fn key_of(row: &admission_target::Model) -> TargetKey {
    if row.period_kind == PeriodKind::Term {
        TargetKey::Term {
            start_year: row.start_year,
            end_year: row.end_year,
        }
    } else {
        TargetKey::Year(row.start_year)
    }
}

/// Set (or change) the target of `unit_id` for `key` on `basis`. An assigned target is set
/// by the unit's direct superior (a root unit's by an administrator); the target of the
/// unit's own resolution by its own accounts or its direct superior.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_id: i32,
    key: TargetKey,
    basis: TargetBasis,
    target: u32,
    note: Option<String>,
) -> AppResult<admission_target::Model> {
    actor.require_staff()?;
    if let TargetKey::Term { start_year, end_year } = key
        && !(1..=10).contains(&(end_year - start_year))
    {
        return Err(AppError::validation(
            "term",
            tr!(
                "a term spans 1 to 10 years (usually 5)",
                "một nhiệm kỳ kéo dài từ 1 đến 10 năm (thường là 5 năm)"
            ),
        ));
    }
    if target > 100_000 {
        return Err(AppError::validation(
            "target",
            tr!("is implausibly large", "lớn bất hợp lý"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let unit = units::find(&txn, actor.scope(), unit_id).await?;
    let by_superior = match unit.parent_id {
        Some(parent) => actor.unit_id == Some(parent),
        None => actor.is_admin(),
    };
    let allowed = by_superior || (basis == TargetBasis::OwnResolution && actor.unit_id == Some(unit.id));
    if !allowed {
        return Err(AppError::forbidden(match basis {
            TargetBasis::Assigned => tr!(
                "a unit's assigned targets are set by its direct superior",
                "chỉ tiêu kết nạp được giao cho một tổ chức đảng do cấp ủy cấp trên trực tiếp đặt"
            ),
            TargetBasis::OwnResolution => tr!(
                "a unit's own target is recorded by the unit or its direct superior",
                "chỉ tiêu kết nạp theo nghị quyết của tổ chức đảng do chính tổ chức đó hoặc cấp ủy cấp trên trực tiếp ghi nhận"
            ),
        }));
    }
    let (kind, start, end) = key_columns(key);
    let existing = admission_target::Entity::find()
        .filter(admission_target::Column::UnitId.eq(unit.id))
        .filter(admission_target::Column::PeriodKind.eq(kind))
        .filter(admission_target::Column::StartYear.eq(start))
        .filter(admission_target::Column::EndYear.eq(end))
        .filter(admission_target::Column::Basis.eq(basis))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let before = existing.as_ref().map(audit::snapshot).transpose()?;
    let row = match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.target = Set(target as i32);
            active.note = Set(note);
            active.set_by_user_id = Set(actor.user_id);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            admission_target::ActiveModel {
                unit_id: Set(unit.id),
                period_kind: Set(kind),
                start_year: Set(start),
                end_year: Set(end),
                target: Set(target as i32),
                set_by_user_id: Set(actor.user_id),
                note: Set(note),
                basis: Set(basis),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let event = Event::new("setAdmissionTarget", "AdmissionTarget", row.id, Some(unit.id))
        .before(before)
        .after(&row)?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}

/// The targets of several units for one period and basis, by unit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn for_units(
    db: &impl ConnectionTrait,
    unit_ids: &[i32],
    key: TargetKey,
    basis: TargetBasis,
) -> AppResult<HashMap<i32, i32>> {
    let (kind, start, end) = key_columns(key);
    let rows = admission_target::Entity::find()
        .filter(admission_target::Column::UnitId.is_in(unit_ids.iter().copied()))
        .filter(admission_target::Column::Basis.eq(basis))
        .filter(admission_target::Column::PeriodKind.eq(kind))
        .filter(admission_target::Column::StartYear.eq(start))
        .filter(admission_target::Column::EndYear.eq(end))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.unit_id, r.target)).collect())
}

/// Every target of a unit, newest period first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_unit(db: &DatabaseConnection, unit_id: i32) -> AppResult<Vec<admission_target::Model>> {
    Ok(admission_target::Entity::find()
        .filter(admission_target::Column::UnitId.eq(unit_id))
        .order_by_desc(admission_target::Column::StartYear)
        .order_by_asc(admission_target::Column::PeriodKind)
        .all(db)
        .await?)
}
