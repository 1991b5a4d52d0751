//! Batched, cached loading for nested fields: one query per kind of record per batch,
//! however many parents ask. Every requested key is answered (an empty list, or `None`),
//! so misses are cached as well as hits. Records are reached from parents already checked
//! against the actor's scope, so these loaders do not filter by scope (the unit loader
//! does).

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entity::{
    audit_event, course, course_enrolment, decision, dossier_document, introduction, member, mentor_assignment,
    relative, residential_area, resolution,
};

use crate::error::AppError;

/// An entity loaded by its integer id.
pub trait ById: EntityTrait {
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> i32;
}

/// An entity loaded as the list of children of a parent id, in insertion order.
pub trait ChildOf: EntityTrait {
    fn parent_column() -> Self::Column;
    fn order_column() -> Self::Column;
    fn parent_of(model: &Self::Model) -> i32;
}

macro_rules! by_id {
    ($($entity:ident),*) => {$(
        impl ById for $entity::Entity {
            fn id_column() -> Self::Column { $entity::Column::Id }
            fn id_of(model: &Self::Model) -> i32 { model.id }
        }
    )*};
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

by_id!(member, course, residential_area);
child_of!(
    mentor_assignment.candidate_id,
    course_enrolment.candidate_id,
    dossier_document.candidate_id,
    relative.candidate_id,
    introduction.candidate_id,
    resolution.candidate_id,
    decision.candidate_id
);

fn failed(e: impl std::fmt::Display) -> Arc<AppError> {
    Arc::new(AppError::Unexpected(anyhow::anyhow!("batched load failed: {e}")))
}

pub struct IdLoader<E> {
    db: DatabaseConnection,
    _entity: PhantomData<fn() -> E>,
}

impl<E> IdLoader<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        IdLoader {
            db: db.clone(),
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<i32> for IdLoader<E>
where
    E: ById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    /// `None` for a missing record, so that misses are cached too.
    type Value = Option<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut found: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, None)).collect();
        found.extend(rows.into_iter().map(|row| (E::id_of(&row), Some(row))));
        Ok(found)
    }
}

pub struct ChildrenLoader<E> {
    db: DatabaseConnection,
    _entity: PhantomData<fn() -> E>,
}

impl<E> ChildrenLoader<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        ChildrenLoader {
            db: db.clone(),
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<i32> for ChildrenLoader<E>
where
    E: ChildOf + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = E::find()
            .filter(E::parent_column().is_in(keys.iter().copied()))
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
}

impl Loader<i32> for MemberOfCandidateLoader {
    type Value = Option<member::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = member::Entity::find()
            .filter(member::Column::CandidateId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut found: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, None)).collect();
        found.extend(rows.into_iter().filter_map(|m| Some((m.candidate_id?, Some(m)))));
        Ok(found)
    }
}

/// The audit events of records of one type, oldest first.
pub struct TimelineLoader {
    pub db: DatabaseConnection,
    pub entity_type: &'static str,
}

impl Loader<i32> for TimelineLoader {
    type Value = Vec<audit_event::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::EntityType.eq(self.entity_type))
            .filter(audit_event::Column::EntityId.is_in(keys.iter().copied()))
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
