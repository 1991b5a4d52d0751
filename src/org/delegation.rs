//! Dated delegation of admission authority to a grassroots committee: granted on a day,
//! withdrawn on a later one, never overlapping (Quy định 294-QĐ/TW 2025 §3.4; see
//! `domain::org::deciding_unit_for`).

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use entity::{admission_delegation, org_unit};

use super::service::authorities;
use super::service::{not_grassroots, require_manager_of, require_open};
use super::tree;
use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::error::{AppError, AppResult, Text, tr};

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn insert_delegation(
    txn: &impl ConnectionTrait,
    unit_id: i32,
    granted_on: NaiveDate,
    decision_number: Option<String>,
) -> AppResult<admission_delegation::Model> {
    Ok(admission_delegation::ActiveModel {
        unit_id: Set(unit_id),
        granted_on: Set(granted_on),
        decision_number: Set(decision_number),
        withdrawn_on: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The delegations of a unit, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delegations(db: &impl ConnectionTrait, unit_id: i32) -> AppResult<Vec<admission_delegation::Model>> {
    Ok(admission_delegation::Entity::find()
        .filter(admission_delegation::Column::UnitId.eq(unit_id))
        .order_by_asc(admission_delegation::Column::GrantedOn)
        .all(db)
        .await?)
}

/// Whether the unit held delegated authority on `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delegated_on(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<bool> {
    Ok(!tree::delegated_on(db, &[unit_id], on).await?.is_empty())
}

/// Grant delegated admission authority (ủy quyền kết nạp đảng viên) to a grassroots
/// organisation from `granted_on` (Điều lệ Đảng 2011, Điều 4 khoản 3: the superior
/// committee may delegate admission to a grassroots committee). Only its superiors (or an
/// administrator) may; the organisation must be grassroots on that day, and a delegation
/// cannot start while another is still in force or before the last one ended.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delegate(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    granted_on: NaiveDate,
    decision_number: Option<String>,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("grantedOn", granted_on)?;
    let txn = crate::db::begin_write(db).await?;
    let unit = require_manager_of(&txn, actor, id).await?;
    require_open(&unit, &Text::fixed("the unit", "tổ chức đảng"))?;
    if authorities(&txn, unit.id, granted_on).await?.grassroots != Some(unit.id) {
        return Err(not_grassroots());
    }
    let history = delegations(&txn, unit.id).await?;
    if history.iter().any(|d| d.withdrawn_on.is_none()) {
        return Err(AppError::rule(
            "DELEGATION_ALREADY_IN_FORCE",
            tr!(
                "the unit already holds delegated admission authority; withdraw it first",
                "tổ chức đảng đang được ủy quyền kết nạp; hãy thu hồi ủy quyền đó trước"
            ),
        ));
    }
    if let Some(last_end) = history.iter().filter_map(|d| d.withdrawn_on).max()
        && granted_on < last_end
    {
        return Err(AppError::rule(
            "DELEGATION_OVERLAPS",
            tr!(
                "the previous delegation held until {last_end}; a new one starts on or after that day",
                "lần ủy quyền trước có hiệu lực đến ngày {last_end}; lần ủy quyền mới phải bắt đầu từ ngày đó trở đi"
            ),
        ));
    }
    let row = insert_delegation(&txn, unit.id, granted_on, decision_number).await?;
    record_delegation(txn, actor, "delegateAdmissionAuthority", unit, None, row).await
}

/// Withdraw a grassroots organisation's delegated authority from `withdrawn_on` (the first
/// day it no longer holds). Acts dated before it keep the organisation as their decider;
/// only what follows goes to the direct superior again.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn withdraw_delegation(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    withdrawn_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("withdrawnOn", withdrawn_on)?;
    let txn = crate::db::begin_write(db).await?;
    let unit = require_manager_of(&txn, actor, id).await?;
    let open = delegations(&txn, unit.id)
        .await?
        .into_iter()
        .find(|d| d.withdrawn_on.is_none())
        .ok_or_else(|| {
            AppError::rule(
                "DELEGATION_NOT_IN_FORCE",
                tr!(
                    "the unit holds no delegated admission authority to withdraw",
                    "tổ chức đảng không có ủy quyền kết nạp nào để thu hồi"
                ),
            )
        })?;
    if withdrawn_on <= open.granted_on {
        return Err(AppError::rule(
            "DELEGATION_WITHDRAWN_BEFORE_GRANTED",
            tr!(
                "the delegation was granted on {}; it can end only after that day",
                "việc ủy quyền được giao ngày {}; chỉ có thể chấm dứt sau ngày đó",
                open.granted_on
            ),
        ));
    }
    let before = audit::snapshot(&open)?;
    let mut row = open.into_active_model();
    row.withdrawn_on = Set(Some(withdrawn_on));
    let row = row.update(&txn).await?;
    record_delegation(txn, actor, "withdrawAdmissionAuthority", unit, Some(before), row).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn record_delegation(
    txn: DatabaseTransaction,
    actor: &Actor,
    act: &'static str,
    unit: org_unit::Model,
    before: Option<serde_json::Value>,
    row: admission_delegation::Model,
) -> AppResult<org_unit::Model> {
    let event = Event::new(act, "AdmissionDelegation", row.id, Some(unit.id))
        .before(before)
        .after(&row)?;
    audit::commit(txn, actor, event).await?;
    Ok(unit)
}
