//! The member registry in the API.

use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Upload};

use entity::member;

use super::service::{self, MemberFilter};
use crate::error::tr;
use crate::graphql::context::{ContextExt, load, load_unit};
use crate::graphql::enums::{Ethnicity, Gender, MemberStatus};
use crate::graphql::relay::{PageRequest, TotalCount, connection_complexity, expect_global_id, global_id};
use crate::graphql::scalars::Date;
use crate::org::graphql::{OrgUnit, ResidentialArea};

pub type MemberConnection = Connection<OpaqueCursor<i32>, Member, TotalCount, EmptyFields>;

pub struct Member(pub member::Model);

impl Member {
    pub const TYPENAME: &'static str = "Member";
}

/// A Party member in a branch's registry (đảng viên).
#[Object]
impl Member {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// Full name, with Vietnamese diacritics.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// Gender; null when not recorded (imported members may lack it).
    async fn gender(&self) -> Option<Gender> {
        self.0.gender.map(Into::into)
    }
    /// Date of birth; null when not recorded.
    async fn birth_date(&self) -> Option<Date> {
        self.0.birth_date.map(Date)
    }
    /// Ethnic group (dân tộc); null when not recorded.
    async fn ethnicity(&self) -> Option<Ethnicity> {
        self.0.ethnicity.map(Into::into)
    }
    /// Standing in the registry: probationary, official, or a former member.
    async fn status(&self) -> async_graphql::Result<MemberStatus> {
        Ok(self.0.status.into())
    }
    /// The branch whose registry holds the member.
    async fn branch(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.branch_id).await?.map(OrgUnit))
    }
    /// The branch that admitted the member (held the ceremony); admission reports count the
    /// admission there. Null when that branch is outside the account's scope.
    async fn admitted_in(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.admitted_in_id).await?.map(OrgUnit))
    }
    /// Where the member lives; null when not recorded or outside what the account may see.
    async fn residential_area(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ResidentialArea>> {
        let Some(id) = self.0.residential_area_id else {
            return Ok(None);
        };
        Ok(load(&ctx.loaders()?.areas, id).await?.map(ResidentialArea))
    }
    /// The day party age counts from (tuổi đảng): the signing of the admission decision;
    /// for a re-admitted member once recognised, the first decision moved on by the time
    /// spent outside the Party (Quy định 294-QĐ/TW 2025 §4.5.2).
    async fn party_age_from(&self) -> Option<Date> {
        self.0.party_age_from.or(self.0.decision_date).map(Date)
    }
    /// Date of the admission ceremony: the date of joining (ngày vào Đảng).
    async fn joined_on(&self) -> Option<Date> {
        self.0.joined_on.map(Date)
    }
    /// Date of becoming a full member: the end of probation (ngày chính thức).
    async fn official_on(&self) -> Option<Date> {
        self.0.official_on.map(Date)
    }
    /// The day the member left the Party, for a former member.
    async fn left_on(&self) -> Option<Date> {
        self.0.left_on.map(Date)
    }
    /// Why the member left the Party, as the rules on re-admission distinguish it.
    async fn left_reason(&self) -> Option<crate::graphql::enums::LeftReason> {
        self.0.left_reason.map(Into::into)
    }
}

/// Filters of `members`.
#[derive(InputObject, Default)]
pub struct MemberFilterInput {
    /// Members of this unit and the units under it.
    within_id: Option<ID>,
    /// Only members of this standing.
    status: Option<MemberStatus>,
    /// Name contains this text, ignoring diacritics and case.
    /// At most 100 characters; `%` and `_` match only themselves.
    search: Option<String>,
}

#[derive(Default)]
pub struct MembersQuery;

#[Object]
impl MembersQuery {
    /// Members of the branches the account may see.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to keep (omit for everything in scope).")] filter: Option<MemberFilterInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<MemberConnection> {
        let page = PageRequest::<i32>::parse(first, after, last, before)?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        let input = filter.unwrap_or_default();
        let filter = MemberFilter {
            within: input
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            status: input.status.map(Into::into),
            search: crate::domain::text::parse_search(input.search)
                .map_err(|m| crate::error::AppError::validation("filter.search", m))?,
        };
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        let rows = service::list(&db, scope, &filter, page.keyset()).await?;
        let total = TotalCount::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            async move { service::count(&db, scope, &filter).await }
        });
        Ok(page.finish(rows, |m| m.id, Member, total))
    }

    /// A member the account may see.
    async fn member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Member>> {
        let id = expect_global_id(&id, Member::TYPENAME, "id")?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        Ok(Some(Member(service::find(ctx.db()?, actor.scope(), id).await?)))
    }
}

/// Import a branch's existing members from CSV text (UTF-8), or from a file: CSV, or an
/// Excel workbook (`.xlsx`, its first sheet read as the CSV would be). See the README for
/// the columns.
#[derive(InputObject)]
pub struct ImportMembersInput {
    /// The branch whose registry receives the members.
    branch_id: ID,
    /// The rows as CSV text: at most 1,000,000 characters; each cell at most 200. Give it or
    /// `file`.
    csv: Option<String>,
    /// The rows as an uploaded file (multipart request): CSV, or an `.xlsx` workbook.
    file: Option<Upload>,
}

/// The members an import added.
#[derive(SimpleObject)]
pub struct ImportMembersPayload {
    /// How many members were imported.
    imported_count: usize,
    /// The imported members, in the order of the CSV rows.
    members: Vec<Member>,
}

#[derive(Default)]
pub struct MembersMutation;

#[Object]
impl MembersMutation {
    /// Import existing members into a branch's registry. Every row is checked; when any is
    /// invalid nothing is imported and the error lists each problem with its row number
    /// (`extensions.problems`).
    async fn import_members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: ImportMembersInput,
    ) -> async_graphql::Result<ImportMembersPayload> {
        let csv = match (input.csv, input.file) {
            (Some(csv), None) => csv,
            (None, Some(file)) => rows_of(ctx, &file)?,
            _ => {
                return Err(crate::error::AppError::validation(
                    "csv",
                    tr!(
                        "send the rows either as `csv` text or as a `file`, one of the two",
                        "hãy gửi các dòng dưới dạng văn bản `csv` hoặc dưới dạng tệp `file`, chỉ một trong hai"
                    ),
                )
                .into());
            }
        };
        crate::error::AppError::at_most("csv", &csv, super::import::MAX_CSV_CHARS)?;
        let branch = expect_global_id(&input.branch_id, OrgUnit::TYPENAME, "branchId")?;
        let stored = super::import::import(ctx.db()?, ctx.actor()?, branch, &csv, crate::clock::today()).await?;
        Ok(ImportMembersPayload {
            imported_count: stored.len(),
            members: stored.into_iter().map(Member).collect(),
        })
    }
}

/// The rows of an uploaded import file as CSV text: a workbook's first sheet, or the file's
/// own text (UTF-8, a byte-order mark allowed).
fn rows_of(ctx: &Context<'_>, file: &Upload) -> crate::error::AppResult<String> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        crate::error::AppError::validation("file", tr!("the file cannot be read: {e}", "không đọc được tệp: {e}"))
    };
    let mut bytes = Vec::new();
    file.value(ctx)
        .map_err(unreadable)?
        .content
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if super::spreadsheet::is_workbook(&bytes) {
        return super::spreadsheet::to_csv(&bytes);
    }
    String::from_utf8(bytes).map_err(|_| {
        crate::error::AppError::validation(
            "file",
            tr!("a CSV file is UTF-8 text", "tệp CSV phải là văn bản mã hóa UTF-8"),
        )
    })
}
