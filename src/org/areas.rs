//! Residential areas (thôn, tổ dân phố) of a commune and their yearly status: population,
//! members, branch, whether the head is a member — what residential coverage reports.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use entity::{org_unit, residential_area, residential_area_status};

use super::service::find;
use crate::access;
use crate::access::{Actor, Scope, in_scope};
use crate::audit::service::{self as audit, Event};
use crate::domain::org::OrgKind;
use crate::domain::text;
use crate::error::{AppError, AppResult, tr};

/// Residential areas of a commune in scope, in id order.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn residential_areas(
    db: &DatabaseConnection,
    scope: Scope,
    commune_id: i32,
    page: crate::access::Keyset<i32>,
) -> AppResult<Vec<residential_area::Model>> {
    let query = residential_area::Entity::find()
        .filter(residential_area::Column::CommuneId.eq(commune_id))
        .filter(in_scope(residential_area::Column::CommuneId, scope));
    Ok(page.by_id(query, residential_area::Column::Id).all(db).await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_residential_areas(db: &DatabaseConnection, scope: Scope, commune_id: i32) -> AppResult<u64> {
    Ok(residential_area::Entity::find()
        .filter(
            Condition::all()
                .add(residential_area::Column::CommuneId.eq(commune_id))
                .add(in_scope(residential_area::Column::CommuneId, scope)),
        )
        .count(db)
        .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_residential_area(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: i32,
) -> AppResult<residential_area::Model> {
    access::find::<residential_area::Entity>(db, scope, id).await
}

/// Who maintains a commune's residential areas: the commune's own accounts and those above
/// it (not its branches).
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn require_area_keeper(
    db: &impl ConnectionTrait,
    actor: &Actor,
    commune_id: i32,
) -> AppResult<org_unit::Model> {
    actor.require_staff()?;
    // Refused by role before any lookup: a branch sees its commune's areas but keeps none,
    // and the answer is the same whichever commune it names.
    if actor.is_admin() || actor.role == crate::domain::role::Role::Branch {
        return Err(AppError::forbidden(tr!(
            "residential areas are kept by the commune and the committees above it",
            "địa bàn dân cư do đảng ủy xã/phường và cấp ủy cấp trên quản lý"
        )));
    }
    let commune = find(db, actor.scope(), commune_id).await?;
    if commune.kind != OrgKind::Commune {
        return Err(AppError::validation(
            "communeId",
            tr!(
                "residential areas belong to a commune",
                "địa bàn dân cư thuộc về một đảng ủy xã/phường"
            ),
        ));
    }
    Ok(commune)
}

/// Add a residential area (thôn, bản, khu phố, tổ dân phố) to a commune.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_residential_area(
    db: &DatabaseConnection,
    actor: &Actor,
    commune_id: i32,
    code: String,
    name: String,
) -> AppResult<residential_area::Model> {
    let txn = crate::db::begin_write(db).await?;
    let commune = require_area_keeper(&txn, actor, commune_id).await?;
    let area = residential_area::ActiveModel {
        commune_id: Set(commune.id),
        code: Set(code),
        search_key: Set(text::search_key(&name)),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = Event::new("createResidentialArea", "ResidentialArea", area.id, Some(commune.id)).after(&area)?;
    audit::commit(txn, actor, event).await?;
    Ok(area)
}

/// A residential area's state in one year.
#[derive(Debug, Clone, Copy)]
pub struct AreaStatus {
    pub year: i32,
    pub members_living: u32,
    pub has_own_branch: bool,
    pub head_is_member: bool,
}

/// Record (or correct) a residential area's state for a year.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_area_status(
    db: &DatabaseConnection,
    actor: &Actor,
    area_id: i32,
    status: AreaStatus,
) -> AppResult<residential_area_status::Model> {
    if !(2000..=2100).contains(&status.year) {
        return Err(AppError::validation(
            "year",
            tr!("not a plausible year", "không phải là một năm hợp lý"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let area = find_residential_area(&txn, actor.scope(), area_id).await?;
    require_area_keeper(&txn, actor, area.commune_id).await?;
    let existing = residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area.id))
        .filter(residential_area_status::Column::Year.eq(status.year))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(audit::snapshot).transpose()?;
    let mut row = match existing {
        Some(row) => row.into_active_model(),
        None => residential_area_status::ActiveModel {
            area_id: Set(area.id),
            year: Set(status.year),
            ..Default::default()
        },
    };
    row.members_living = Set(status.members_living as i32);
    row.has_own_branch = Set(status.has_own_branch);
    row.head_is_member = Set(status.head_is_member);
    row.recorded_at = Set(Utc::now());
    let row = row.save(&txn).await?;
    let row = residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area.id))
        .filter(residential_area_status::Column::Year.eq(status.year))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("area status {row:?} vanished")))?;
    let event = Event::new(
        "recordResidentialAreaStatus",
        "ResidentialArea",
        area.id,
        Some(area.commune_id),
    )
    .before(before)
    .after(&row)?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}

/// The recorded states of an area, oldest year first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn area_statuses(db: &DatabaseConnection, area_id: i32) -> AppResult<Vec<residential_area_status::Model>> {
    Ok(residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area_id))
        .order_by_asc(residential_area_status::Column::Year)
        .all(db)
        .await?)
}
