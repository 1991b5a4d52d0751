//! Batched, cached loading for nested fields: one query per kind of record per batch,
//! however many parents ask. Every requested key is answered (an empty list, or `None`),
//! so misses are cached as well as hits. Every loader reads through the actor's scope
//! ([`Scoped::visible`]), whatever parent asks: a record out of scope is absent, so a
//! reference to it from a record in scope (the mentor of a transferred candidate) answers
//! `null` exactly as a missing one would.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entity::{
    audit_event, candidate, course_enrolment, decision, dossier_document, introduction, member, mentor_assignment,
    relative, resolution, scanned_file,
};

use crate::access::{ById, Scope, Scoped};
use crate::error::AppError;

/// An entity loaded as the list of children of a parent id, in insertion order.
pub trait ChildOf: EntityTrait {
    fn parent_column() -> Self::Column;
    fn order_column() -> Self::Column;
    fn parent_of(model: &Self::Model) -> i32;
}

macro_rules! child_of {
    ($($entity:ident . $parent:ident),*) => {$(
        impl ChildOf for $entity::Entity {
            fn parent_column() -> Self::Column { $entity::Column::CandidateId }
            fn order_column() -> Self::Column { $entity::Column::Id }
            fn parent_of(model: &Self::Model) -> i32 { model.$parent }
        }
    )*};
}

child_of!(
    mentor_assignment.candidate_id,
    course_enrolment.candidate_id,
    dossier_document.candidate_id,
    relative.candidate_id,
    introduction.candidate_id,
    resolution.candidate_id,
    decision.candidate_id,
    scanned_file.candidate_id
);

fn failed(e: impl std::fmt::Display) -> Arc<AppError> {
    Arc::new(AppError::Unexpected(anyhow::anyhow!("batched load failed: {e}")))
}

pub struct IdLoader<E> {
    db: DatabaseConnection,
    scope: Scope,
    _entity: PhantomData<fn() -> E>,
}

impl<E> IdLoader<E> {
    pub fn new(db: &DatabaseConnection, scope: Scope) -> Self {
        IdLoader {
            db: db.clone(),
            scope,
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<i32> for IdLoader<E>
where
    E: ById + Scoped + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    /// `None` for a missing record, so that misses are cached too.
    type Value = Option<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::access::find_many::<E>(&self.db, self.scope, keys)
            .await
            .map_err(Arc::new)?;
        let mut found: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, None)).collect();
        found.extend(rows.into_iter().map(|row| (E::id_of(&row), Some(row))));
        Ok(found)
    }
}

pub struct ChildrenLoader<E> {
    db: DatabaseConnection,
    scope: Scope,
    _entity: PhantomData<fn() -> E>,
}

impl<E> ChildrenLoader<E> {
    pub fn new(db: &DatabaseConnection, scope: Scope) -> Self {
        ChildrenLoader {
            db: db.clone(),
            scope,
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<i32> for ChildrenLoader<E>
where
    E: ChildOf + Scoped + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = E::find()
            .filter(E::parent_column().is_in(keys.iter().copied()))
            .filter(E::visible(self.scope))
            .order_by_asc(E::order_column())
            .all(&self.db)
            .await
            .map_err(failed)?;
        // Every key gets an entry, empty when it has no children, so that it is cached.
        let mut grouped: HashMap<i32, Vec<E::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            grouped.entry(E::parent_of(&row)).or_default().push(row);
        }
        Ok(grouped)
    }
}

/// The member record created for each candidate at the ceremony.
pub struct MemberOfCandidateLoader {
    pub db: DatabaseConnection,
    pub scope: Scope,
}

impl Loader<i32> for MemberOfCandidateLoader {
    type Value = Option<member::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = member::Entity::find()
            .filter(member::Column::CandidateId.is_in(keys.iter().copied()))
            .filter(member::Entity::visible(self.scope))
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut found: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, None)).collect();
        found.extend(rows.into_iter().filter_map(|m| Some((m.candidate_id?, Some(m)))));
        Ok(found)
    }
}

/// The audit events of candidates, oldest first, for candidates in scope.
pub struct TimelineLoader {
    pub db: DatabaseConnection,
    pub scope: Scope,
}

impl Loader<i32> for TimelineLoader {
    type Value = Vec<audit_event::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::EntityType.eq(crate::audit::service::CANDIDATE))
            .filter(audit_event::Column::EntityId.is_in(keys.iter().copied()))
            .filter(
                audit_event::Column::EntityId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(candidate::Column::Id)
                        .from(candidate::Entity)
                        .cond_where(candidate::Entity::visible(self.scope))
                        .to_owned(),
                ),
            )
            .order_by_asc(audit_event::Column::Id)
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut grouped: HashMap<i32, Vec<audit_event::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            grouped.entry(row.entity_id).or_default().push(row);
        }
        Ok(grouped)
    }
}
