//! Training courses in the API.

use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use entity::course;

use super::service::{self, CourseFilter, NewCourse};
use crate::graphql::context::{ContextExt, load_unit};
use crate::graphql::enums::CourseKind;
use crate::graphql::relay::{PageRequest, TotalCount, connection_complexity, expect_global_id, global_id};
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;

pub type CourseConnection = Connection<OpaqueCursor<i32>, Course, TotalCount, EmptyFields>;

pub struct Course(pub course::Model);

impl Course {
    pub const TYPENAME: &'static str = "Course";
}

/// A training course (lớp bồi dưỡng): awareness for candidates, or new-member for probationers.
#[Object]
impl Course {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// Awareness course for candidates, or new-member course for probationers.
    async fn kind(&self) -> CourseKind {
        self.0.kind.into()
    }
    /// Name of the course, as the organiser gives it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// First day of the course.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// Last day of the course.
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// The organising unit; null when it is above what the account may see.
    async fn organiser(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.organiser_unit_id).await?.map(OrgUnit))
    }
}

/// Filters of `courses`.
#[derive(InputObject, Default)]
pub struct CourseFilterInput {
    /// Only courses of this kind.
    kind: Option<CourseKind>,
    /// Only courses starting on or after this day.
    starts_from: Option<Date>,
    /// Only courses starting on or before this day.
    starts_to: Option<Date>,
}

#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// Courses organised in the account's subtree or by the units above it.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to keep (omit for everything in scope).")] filter: Option<CourseFilterInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<CourseConnection> {
        let page = PageRequest::<i32>::parse(first, after, last, before)?;
        let actor = ctx.actor()?.clone();
        actor.require_staff()?;
        let input = filter.unwrap_or_default();
        let filter = CourseFilter {
            kind: input.kind.map(Into::into),
            starts_from: input.starts_from.map(|d| d.0),
            starts_to: input.starts_to.map(|d| d.0),
        };
        let db = ctx.db()?.clone();
        let rows = service::list(&db, &actor, &filter, page.keyset()).await?;
        let total = TotalCount::new(move || {
            let (db, actor, filter) = (db.clone(), actor.clone(), filter.clone());
            async move { service::count(&db, &actor, &filter).await }
        });
        Ok(page.finish(rows, |c| c.id, Course, total))
    }

    /// A course the account may see.
    async fn course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Course>> {
        let id = expect_global_id(&id, Course::TYPENAME, "id")?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        Ok(Some(Course(service::find(ctx.db()?, actor, id).await?)))
    }
}

/// Open a course.
#[derive(InputObject)]
pub struct CreateCourseInput {
    /// Awareness course for candidates, or new-member course for probationers.
    kind: CourseKind,
    /// The organising unit (default: the account's own unit).
    organiser_unit_id: Option<ID>,
    /// At most 200 characters.
    name: String,
    /// First day of the course.
    starts_on: Date,
    /// Last day of the course; not before `startsOn`.
    ends_on: Date,
}

/// The course opened.
#[derive(SimpleObject)]
pub struct CoursePayload {
    /// The course.
    course: Course,
}

#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Open a training course (mở lớp bồi dưỡng), organised by a province, district or commune.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: CreateCourseInput,
    ) -> async_graphql::Result<CoursePayload> {
        let cmd = NewCourse {
            kind: input.kind.into(),
            organiser_unit_id: input
                .organiser_unit_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "organiserUnitId"))
                .transpose()?,
            name: input.name,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.0,
        };
        let course = service::create(ctx.db()?, ctx.actor()?, cmd).await?;
        Ok(CoursePayload { course: Course(course) })
    }
}
