//! The organisation tree in the API: `orgUnit`, `orgUnits` and the mutations that shape
//! the tree.

use super::service::{self, UnitFilter};
use super::{areas, delegation, succession};
use crate::clock;
use crate::error::AppError;
use crate::graphql::context::{ContextExt, load_unit};
use crate::graphql::enums::SuccessionKind;
use crate::graphql::relay::{PageRequest, TotalCount, connection_complexity, expect_global_id, global_id};
use crate::graphql::scalars::Date;
use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{org_unit, residential_area};

pub type OrgUnitConnection = Connection<OpaqueCursor<i32>, OrgUnit, TotalCount, EmptyFields>;

pub type ResidentialAreaConnection = Connection<OpaqueCursor<i32>, ResidentialArea, TotalCount, EmptyFields>;

crate::graphql::enums::mirror_enum! {
    /// The level of a unit in the organisation tree.
    OrgUnitKind => crate::domain::org::OrgKind {
        /// Province (tỉnh ủy, đảng bộ tỉnh).
        Province,
        /// District or other committee directly above the grassroots (huyện ủy, thành ủy, đảng ủy cấp trên cơ sở).
        District,
        /// Commune, ward, town or special-zone committee (đảng bộ xã, phường, thị trấn, đặc khu):
        /// a grassroots organisation under a district; since the 2025 reform, directly under the
        /// province, the direct superior of the grassroots organisations beneath it.
        Commune,
        /// Grassroots committee of an agency, enterprise, school or other unit (đảng bộ cơ sở),
        /// under a district, the province or a commune directly under the province.
        Grassroots,
        /// Section committee between a grassroots committee and its branches (đảng bộ bộ phận).
        Section,
        /// Branch (chi bộ).
        Branch,
    }
}

pub struct OrgUnit(pub org_unit::Model);

impl OrgUnit {
    pub const TYPENAME: &'static str = "OrgUnit";
}

// Its fields that run statements of their own box them, as `Candidate`'s do.
/// A party organisation (tổ chức đảng): a node of the organisation tree.
#[Object]
impl OrgUnit {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }

    /// Level in the tree.
    async fn kind(&self) -> async_graphql::Result<OrgUnitKind> {
        Ok(self.0.kind.into())
    }

    /// Short unique code (e.g. `SL.BG.TL.NL`).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Full name, with Vietnamese diacritics.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The unit it sits under; null for a root, or when the parent is outside what the
    /// signed-in account may see.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load_unit(ctx, parent_id).await?.map(OrgUnit))
    }

    /// Units directly under it.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
        #[graphql(desc = "Include closed units.", default = false)] include_closed: bool,
    ) -> async_graphql::Result<OrgUnitConnection> {
        let filter = UnitFilter {
            parent_id: Some(self.0.id),
            include_closed,
            ..Default::default()
        };
        Ok(Box::pin(list_units(ctx, filter, PageRequest::parse(first, after, last, before)?)).await?)
    }

    /// Whether this grassroots organisation decides admissions itself (được ủy quyền kết
    /// nạp) on day `on` (default: today).
    async fn delegated_admission_authority(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the tree is read on (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<bool> {
        let on = on.map_or_else(clock::today, |d| d.0);
        Ok(Box::pin(delegation::delegated_on(ctx.db()?, self.0.id, on)).await?)
    }

    /// Every delegation of admission authority this unit has held, oldest first.
    async fn admission_delegations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AdmissionDelegation>> {
        let rows = Box::pin(delegation::delegations(ctx.db()?, self.0.id)).await?;
        Ok(rows
            .into_iter()
            .map(|d| AdmissionDelegation {
                granted_on: d.granted_on.into(),
                decision_number: d.decision_number,
                withdrawn_on: d.withdrawn_on.map(Date),
            })
            .collect())
    }

    /// Whether this unit is a direct superior of grassroots organisations (cấp trên trực
    /// tiếp của tổ chức cơ sở đảng) on day `on` (default: today): a province or district,
    /// or a commune placed directly under the province (since the 2025 reform).
    async fn holds_superior_authority(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the tree is read on (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<bool> {
        let on = on.map_or_else(clock::today, |d| d.0);
        Ok(Box::pin(service::holds_superior_authority(ctx.db()?, self.0.id, on)).await?)
    }

    /// The grassroots organisation (đảng bộ cơ sở or chi bộ cơ sở) this unit belonged to on
    /// day `on` (default: today); null above the grassroots level or when outside what the
    /// account may see.
    async fn grassroots_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the tree is read on (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<Option<OrgUnit>> {
        let on = on.map_or_else(clock::today, |d| d.0);
        let authorities = Box::pin(service::authorities(ctx.db()?, self.0.id, on)).await?;
        visible(ctx, authorities.grassroots).await
    }

    /// The unit whose standing committee decided admissions for this unit's grassroots
    /// organisation on day `on` (default: today): its direct superior, or the organisation
    /// itself while delegated. Null when that unit is outside what the account may see.
    async fn deciding_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the tree is read on (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<Option<OrgUnit>> {
        let on = on.map_or_else(clock::today, |d| d.0);
        let authorities = Box::pin(service::authorities(ctx.db()?, self.0.id, on)).await?;
        visible(ctx, authorities.deciding).await
    }

    /// The mergers and splits this unit took part in (as predecessor or successor), oldest
    /// first. Reports of a successor for periods before the change take in what its
    /// predecessors held.
    async fn successions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Succession>> {
        Ok(Box::pin(succession::successions_of(ctx.db()?, self.0.id))
            .await?
            .into_iter()
            .map(Succession)
            .collect())
    }

    /// First day of activity.
    async fn active_from(&self) -> Date {
        self.0.active_from.into()
    }

    /// Day it was closed (dissolved or merged), if it was.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }

    /// Residential areas (thôn, bản, khu phố, tổ dân phố) of a commune.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn residential_areas(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<ResidentialAreaConnection> {
        let page = PageRequest::<i32>::parse(first, after, last, before)?;
        let (db, scope, commune) = (ctx.db()?.clone(), ctx.actor()?.scope(), self.0.id);
        let rows = Box::pin(areas::residential_areas(&db, scope, commune, page.keyset())).await?;
        let total = TotalCount::new(move || {
            let db = db.clone();
            async move { areas::count_residential_areas(&db, scope, commune).await }
        });
        Ok(page.finish(rows, |a| a.id, ResidentialArea, total))
    }
}

async fn visible(ctx: &Context<'_>, id: Option<i32>) -> async_graphql::Result<Option<OrgUnit>> {
    match id {
        Some(id) => Ok(load_unit(ctx, id).await?.map(OrgUnit)),
        None => Ok(None),
    }
}

pub struct Succession(entity::org_unit_succession::Model);

/// A merger or split: on `effectiveOn` the predecessor handed over to the successor and closed.
#[Object]
impl Succession {
    /// Merger or split.
    async fn kind(&self) -> SuccessionKind {
        self.0.kind.into()
    }
    /// The day the change took effect, which is also the predecessor's closing day.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }
    /// Null when outside what the account may see.
    async fn predecessor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        visible(ctx, Some(self.0.predecessor_id)).await
    }
    /// Null when outside what the account may see.
    async fn successor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        visible(ctx, Some(self.0.successor_id)).await
    }
}

pub struct ResidentialArea(pub residential_area::Model);

impl ResidentialArea {
    pub const TYPENAME: &'static str = "ResidentialArea";
}

/// A residential area (thôn, bản, khu phố, tổ dân phố) under a commune.
#[Object]
impl ResidentialArea {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }

    /// Code, unique within its commune.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name, with Vietnamese diacritics.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The commune it belongs to.
    async fn commune(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.commune_id).await?.map(OrgUnit))
    }
}

/// Filters of `orgUnits`. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct OrgUnitFilter {
    /// Only units of this level.
    kind: Option<OrgUnitKind>,
    /// Only direct children of this unit.
    parent_id: Option<ID>,
    /// Only this unit and the units under it.
    within_id: Option<ID>,
    /// Name contains this text, ignoring diacritics and case ("dong tam" finds "Đồng Tâm").
    /// At most 100 characters; `%` and `_` match only themselves.
    search: Option<String>,
    /// Include closed units (default false).
    #[graphql(default = false)]
    include_closed: bool,
}

impl TryFrom<OrgUnitFilter> for UnitFilter {
    type Error = AppError;
    fn try_from(input: OrgUnitFilter) -> Result<Self, AppError> {
        Ok(UnitFilter {
            kind: input.kind.map(Into::into),
            parent_id: input
                .parent_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.parentId"))
                .transpose()?,
            within: input
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            search: crate::domain::text::parse_search(input.search)
                .map_err(|m| crate::error::AppError::validation("filter.search", m))?,
            include_closed: input.include_closed,
        })
    }
}

async fn list_units(
    ctx: &Context<'_>,
    filter: UnitFilter,
    page: PageRequest<i32>,
) -> Result<OrgUnitConnection, AppError> {
    let (db, scope) = (ctx.db()?.clone(), ctx.actor()?.scope());
    let rows = service::list(&db, scope, &filter, page.keyset()).await?;
    let total = TotalCount::new(move || {
        let (db, filter) = (db.clone(), filter.clone());
        async move { service::count(&db, scope, &filter).await }
    });
    Ok(page.finish(rows, |u| u.id, OrgUnit, total))
}

#[derive(Default)]
pub struct OrgQuery;

#[Object]
impl OrgQuery {
    /// A unit the signed-in account may see. Missing and out-of-scope units both answer
    /// `NOT_FOUND`.
    async fn org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's global id.")] id: ID,
    ) -> async_graphql::Result<Option<OrgUnit>> {
        let id = expect_global_id(&id, OrgUnit::TYPENAME, "id")?;
        let unit = service::find(ctx.db()?, ctx.actor()?.scope(), id).await?;
        Ok(Some(OrgUnit(unit)))
    }

    /// Units the signed-in account may see (its own unit and everything under it), in
    /// creation order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn org_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to keep (omit for everything in scope).")] filter: Option<OrgUnitFilter>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<OrgUnitConnection> {
        let filter = UnitFilter::try_from(filter.unwrap_or_default())?;
        Ok(list_units(ctx, filter, PageRequest::parse(first, after, last, before)?).await?)
    }
}

/// A grant of delegated admission authority and, once withdrawn, its end.
#[derive(SimpleObject)]
pub struct AdmissionDelegation {
    /// First day the delegation held.
    granted_on: Date,
    /// Number of the decision granting it, if recorded.
    decision_number: Option<String>,
    /// First day it no longer held; null while in force.
    withdrawn_on: Option<Date>,
}

/// A residential area's state in one year.
#[derive(SimpleObject)]
pub struct ResidentialAreaStatus {
    /// The year the state was recorded for.
    year: i32,
    /// Members living there.
    members_living: i32,
    /// Whether the area has a branch of its own.
    has_own_branch: bool,
    /// Whether the area's head (trưởng thôn, tổ trưởng) is a member.
    head_is_member: bool,
}

impl From<entity::residential_area_status::Model> for ResidentialAreaStatus {
    fn from(s: entity::residential_area_status::Model) -> Self {
        ResidentialAreaStatus {
            year: s.year,
            members_living: s.members_living,
            has_own_branch: s.has_own_branch,
            head_is_member: s.head_is_member,
        }
    }
}

#[derive(Default)]
pub struct AreaQuery;

#[Object]
impl AreaQuery {
    /// The recorded yearly states of a residential area, oldest first.
    async fn residential_area_statuses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The residential area.")] area_id: ID,
    ) -> async_graphql::Result<Vec<ResidentialAreaStatus>> {
        let id = expect_global_id(&area_id, ResidentialArea::TYPENAME, "areaId")?;
        let db = ctx.db()?;
        areas::find_residential_area(db, ctx.actor()?.scope(), id).await?;
        Ok(areas::area_statuses(db, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
