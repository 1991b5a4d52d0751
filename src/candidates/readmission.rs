//! Re-admission (kết nạp lại): the former member a person listed again would be
//! re-admitted as, found by citizen ID across the whole registry, and the facts the rules
//! judge them by (Quy định 294-QĐ/TW 2025 §3.5).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use entity::{candidate, member};

use crate::domain::person::MemberStatus;
use crate::domain::readmission;
use crate::error::AppResult;

/// The former member a person listed with `citizen_id` would be re-admitted as, found in the
/// whole registry (a person who left in one province is the same person in another), after
/// the rules that refuse the listing outright (Quy định 294-QĐ/TW 2025 §3.5.2–3.5.3). The
/// refusal names the rule, never the unit that holds the record.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn readmission_of(db: &impl ConnectionTrait, citizen_id: &str) -> AppResult<Option<member::Model>> {
    use sea_orm::QueryOrder;
    let former = member::Entity::find()
        .filter(member::Column::CitizenId.eq(citizen_id))
        .filter(member::Column::Status.is_in([MemberStatus::Left, MemberStatus::StruckOff]))
        .order_by_desc(member::Column::LeftOn)
        .one(db)
        .await?;
    let Some(former) = former else { return Ok(None) };
    let readmitted_before = candidate::Entity::find()
        .filter(candidate::Column::CitizenId.eq(citizen_id))
        .filter(candidate::Column::ReadmissionOfMemberId.is_not_null())
        .filter(candidate::Column::CeremonyOn.is_not_null())
        .one(db)
        .await?
        .is_some();
    readmission::check_listing(&former_member(&former)?, readmitted_before)?;
    Ok(Some(former))
}

pub(super) fn former_member(m: &member::Model) -> AppResult<readmission::FormerMember> {
    Ok(readmission::FormerMember {
        left_on: m.left_on,
        reason: m.left_reason,
        record_expunged_on: m.record_expunged_on,
        first_decision: m.decision_date,
    })
}
