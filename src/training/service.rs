//! Courses: creating, finding and listing them.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Select, Set,
};

use entity::course;

use crate::access::Actor;
use crate::access::{self, Scoped};
use crate::audit::service::{self as audit, Event};
use crate::domain::dossier::CourseKind;
use crate::domain::org::OrgKind;
use crate::domain::text;
use crate::error::{AppError, AppResult, tr};
use crate::org::service as units;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<course::Model> {
    access::find::<course::Entity>(db, actor.scope(), id).await
}

#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    pub kind: Option<CourseKind>,
    pub starts_from: Option<NaiveDate>,
    pub starts_to: Option<NaiveDate>,
}

fn filtered(actor: &Actor, filter: &CourseFilter) -> Select<course::Entity> {
    let mut query = course::Entity::find().filter(course::Entity::visible(actor.scope()));
    if let Some(kind) = filter.kind {
        query = query.filter(course::Column::Kind.eq(kind));
    }
    if let Some(from) = filter.starts_from {
        query = query.filter(course::Column::StartsOn.gte(from));
    }
    if let Some(to) = filter.starts_to {
        query = query.filter(course::Column::StartsOn.lte(to));
    }
    query
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CourseFilter,
    page: crate::access::Keyset<i32>,
) -> AppResult<Vec<course::Model>> {
    Ok(page.by_id(filtered(actor, filter), course::Column::Id).all(db).await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &DatabaseConnection, actor: &Actor, filter: &CourseFilter) -> AppResult<u64> {
    crate::access::count_rows(db, filtered(actor, filter)).await
}

pub struct NewCourse {
    pub kind: CourseKind,
    /// Default: the actor's own unit.
    pub organiser_unit_id: Option<i32>,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Open a course, organised by the actor's unit or a unit under it that has a political
/// centre (a province, a district, or a commune).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &Actor, cmd: NewCourse) -> AppResult<course::Model> {
    actor.require_staff()?;
    let name = text::parse_label(&cmd.name, 200).map_err(|m| AppError::validation("name", m))?;
    if cmd.ends_on < cmd.starts_on {
        return Err(AppError::validation(
            "endsOn",
            tr!(
                "a course ends on or after its first day",
                "lớp bồi dưỡng phải kết thúc vào hoặc sau ngày khai giảng"
            ),
        ));
    }
    let organiser_id = cmd.organiser_unit_id.or(actor.unit_id).ok_or_else(|| {
        AppError::validation(
            "organiserUnitId",
            tr!("name the organiser", "hãy chỉ rõ tổ chức đảng mở lớp"),
        )
    })?;
    let txn = crate::db::begin_write(db).await?;
    let organiser = units::find(&txn, actor.scope(), organiser_id).await?;
    if matches!(organiser.kind, OrgKind::Branch | OrgKind::Section) {
        return Err(AppError::rule(
            "COURSE_ORGANISER_KIND",
            tr!(
                "courses are organised by a province, district or commune",
                "lớp bồi dưỡng do tỉnh ủy, huyện ủy hoặc đảng ủy xã/phường tổ chức"
            ),
        ));
    }
    let row = course::ActiveModel {
        kind: Set(cmd.kind),
        organiser_unit_id: Set(organiser.id),
        name: Set(name),
        starts_on: Set(cmd.starts_on),
        ends_on: Set(cmd.ends_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = Event::new("createCourse", "Course", row.id, Some(organiser.id)).after(&row)?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}
