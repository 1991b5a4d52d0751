//! Reading the registry.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Select,
};

use entity::member;

use crate::access::{Scope, in_scope, subtree_ids};
use crate::domain::person::MemberStatus;
use crate::domain::text;
use crate::error::AppResult;

#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Members of this unit's subtree.
    pub within: Option<i32>,
    pub status: Option<MemberStatus>,
    pub search: Option<String>,
}

fn filtered(scope: Scope, filter: &MemberFilter) -> Select<member::Entity> {
    let mut query = member::Entity::find().filter(in_scope(member::Column::BranchId, scope));
    if let Some(root) = filter.within {
        query = query.filter(member::Column::BranchId.in_subquery(subtree_ids(root)));
    }
    if let Some(status) = filter.status {
        query = query.filter(member::Column::Status.eq(status));
    }
    if let Some(search) = filter.search.as_deref().map(text::search_key).filter(|s| !s.is_empty()) {
        query = query.filter(crate::access::contains(member::Column::SearchKey, &search));
    }
    query
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &MemberFilter,
    page: crate::access::Keyset<i32>,
) -> AppResult<Vec<member::Model>> {
    Ok(page.by_id(filtered(scope, filter), member::Column::Id).all(db).await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &DatabaseConnection, scope: Scope, filter: &MemberFilter) -> AppResult<u64> {
    crate::access::count_rows(db, filtered(scope, filter)).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn find(db: &impl ConnectionTrait, scope: Scope, id: i32) -> AppResult<member::Model> {
    crate::access::find::<member::Entity>(db, scope, id).await
}

/// Since when `member` has been an official member, if they are one on `on`. Members
/// imported as official without a date count as official all along.
pub fn official_since(member: &member::Model, on: NaiveDate) -> Option<NaiveDate> {
    if member.status != MemberStatus::Official {
        return None;
    }
    let since = member.official_on.unwrap_or(NaiveDate::MIN);
    (since <= on).then_some(since)
}

/// Official members of a branch on a day: the basis of the branch's two-thirds votes.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_official(db: &impl ConnectionTrait, branch_id: i32, on: NaiveDate) -> AppResult<u32> {
    let count = member::Entity::find()
        .filter(member::Column::BranchId.eq(branch_id))
        .filter(member::Column::Status.eq(MemberStatus::Official))
        .filter(
            Condition::any()
                .add(member::Column::OfficialOn.is_null())
                .add(member::Column::OfficialOn.lte(on)),
        )
        .count(db)
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
