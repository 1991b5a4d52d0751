//! The acts on the tree as mutations: creating, renaming, moving and closing units,
//! delegating admission authority, merging and splitting, and recording residential areas and
//! their yearly status.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::graphql::{OrgUnit, OrgUnitKind, ResidentialArea, ResidentialAreaStatus};
use super::service::{self};
use super::{areas, delegation, succession};
use crate::clock;
use crate::domain::text;
use crate::error::{AppError, tr};
use crate::graphql::context::ContextExt;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;

/// Create a unit under a parent (omit the parent only for a province, as an administrator).
#[derive(InputObject)]
pub struct CreateOrgUnitInput {
    /// The unit it sits under; its level must fit the new unit's `kind`.
    parent_id: Option<ID>,
    /// Level of the new unit.
    kind: OrgUnitKind,
    /// Short unique code: letters, digits, `.`, `-`, `_`.
    /// At most 32 characters.
    code: String,
    /// At most 200 characters.
    name: String,
    /// First day of activity (default: today).
    active_from: Option<Date>,
    /// Grant delegated admission authority (grassroots organisations only).
    #[graphql(default = false)]
    delegated_admission_authority: bool,
}

impl TryFrom<CreateOrgUnitInput> for service::CreateUnit {
    type Error = AppError;
    fn try_from(input: CreateOrgUnitInput) -> Result<Self, AppError> {
        Ok(service::CreateUnit {
            parent_id: input
                .parent_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "parentId"))
                .transpose()?,
            kind: input.kind.into(),
            code: service::parse_code(&input.code)?,
            name: service::parse_name(&input.name)?,
            active_from: input.active_from.map_or_else(clock::today, |d| d.0),
            delegated_admission_authority: input.delegated_admission_authority,
        })
    }
}

/// Change a unit's name, and optionally its code.
#[derive(InputObject)]
pub struct RenameOrgUnitInput {
    /// The unit renamed.
    id: ID,
    /// At most 200 characters.
    name: String,
    /// At most 32 characters.
    code: Option<String>,
}

/// Move a unit, with everything under it, to a new parent.
#[derive(InputObject)]
pub struct MoveOrgUnitInput {
    /// The unit moved.
    id: ID,
    /// The unit it moves under; not inside its own subtree.
    new_parent_id: ID,
    /// The day the new place takes effect (default: today). Reports for earlier periods
    /// keep counting the unit under its old parent.
    effective_on: Option<Date>,
}

/// Close (dissolve or merge away) a unit that has no open units under it.
#[derive(InputObject)]
pub struct CloseOrgUnitInput {
    /// The unit closed.
    id: ID,
    /// Default: today.
    closed_on: Option<Date>,
}

/// Delegate admission authority to a grassroots organisation from a day on.
#[derive(InputObject)]
pub struct DelegateAdmissionAuthorityInput {
    /// The grassroots organisation that receives the authority.
    id: ID,
    /// First day the delegation holds (default: today).
    granted_on: Option<Date>,
    /// Number of the superior's decision granting it. At most 64 characters.
    decision_number: Option<String>,
}

/// End a grassroots organisation's delegated admission authority.
#[derive(InputObject)]
pub struct WithdrawAdmissionAuthorityInput {
    /// The grassroots organisation whose delegation ends.
    id: ID,
    /// First day it no longer holds (default: today). Acts dated earlier keep the
    /// organisation as their decider.
    withdrawn_on: Option<Date>,
}

/// Merge units into one.
#[derive(InputObject)]
pub struct MergeOrgUnitsInput {
    /// The units merged away (1 to 50), of the successor's kind.
    predecessor_ids: Vec<ID>,
    /// The unit they merge into: an existing unit, or one created for the merger with
    /// `createOrgUnit` (active from the day of the merger at the latest).
    successor_id: ID,
    /// The day the merger takes effect (default: today).
    effective_on: Option<Date>,
}

/// What one successor of a split receives.
#[derive(InputObject)]
pub struct SplitPartInput {
    /// The unit that receives this part: an existing unit, or one created for the split.
    successor_id: ID,
    /// Units under the split unit that go to this successor.
    #[graphql(default)]
    child_ids: Vec<ID>,
    /// Residential areas of the split unit that go to this successor.
    #[graphql(default)]
    area_ids: Vec<ID>,
}

/// Split a unit into several.
#[derive(InputObject)]
pub struct SplitOrgUnitInput {
    /// The unit split; it closes on `effectiveOn`.
    id: ID,
    /// 2 to 50 parts; every open unit and area of the split unit goes to exactly one.
    parts: Vec<SplitPartInput>,
    /// The day the split takes effect (default: today).
    effective_on: Option<Date>,
}

/// The unit a tree mutation created or changed.
#[derive(SimpleObject)]
pub struct OrgUnitPayload {
    /// The unit as it now stands.
    org_unit: OrgUnit,
}

#[derive(Default)]
pub struct OrgMutation;

#[Object]
impl OrgMutation {
    /// Create a unit (thành lập tổ chức đảng). Allowed to an administrator, or to an account
    /// of the parent unit or any unit above it.
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: CreateOrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let cmd = service::CreateUnit::try_from(input)?;
        let unit = service::create(ctx.db()?, ctx.actor()?, cmd).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Rename a unit. Allowed to an administrator or an account of a unit above it.
    async fn rename_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: RenameOrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let cmd = service::RenameUnit {
            id: expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?,
            name: service::parse_name(&input.name)?,
            code: input.code.as_deref().map(service::parse_code).transpose()?,
        };
        let unit = service::rename(ctx.db()?, ctx.actor()?, cmd).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Move a unit and its subtree under a new parent. Refused with `ORG_TREE_CYCLE` when the
    /// new parent is inside the unit's own subtree, and `ORG_PARENT_KIND_NOT_ALLOWED` when
    /// the levels do not fit.
    async fn move_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: MoveOrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let cmd = service::MoveUnit {
            id: expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?,
            new_parent_id: expect_global_id(&input.new_parent_id, OrgUnit::TYPENAME, "newParentId")?,
            effective_on: input.effective_on.map_or_else(clock::today, |d| d.0),
        };
        let unit = service::move_unit(ctx.db()?, ctx.actor()?, cmd).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Close a unit (giải thể, sáp nhập).
    async fn close_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: CloseOrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let id = expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?;
        let closed_on = input.closed_on.map_or_else(clock::today, |d| d.0);
        let unit = service::close(ctx.db()?, ctx.actor()?, id, closed_on).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Delegate admission authority (ủy quyền kết nạp đảng viên) to a grassroots
    /// organisation: from `grantedOn` it decides its own admissions and recognitions.
    /// Allowed to its superiors; `ORG_NOT_GRASSROOTS` for any other unit,
    /// `DELEGATION_ALREADY_IN_FORCE` while one holds, `DELEGATION_OVERLAPS` before the last
    /// one ended.
    async fn delegate_admission_authority(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")]
        input: DelegateAdmissionAuthorityInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let id = expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?;
        let granted_on = input.granted_on.map_or_else(clock::today, |d| d.0);
        let number = input
            .decision_number
            .filter(|n| !n.trim().is_empty())
            .map(|n| text::parse_label(&n, 64).map_err(|m| AppError::validation("decisionNumber", m)))
            .transpose()?;
        let unit = delegation::delegate(ctx.db()?, ctx.actor()?, id, granted_on, number).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Merge units (sáp nhập) on `effectiveOn`: every open unit under each predecessor and
    /// its residential areas pass to the successor, and the predecessors close. Reports of
    /// the successor for earlier periods take in the predecessors' records; theirs stay as
    /// they were. `ORG_SUCCESSION_KIND_MISMATCH` across kinds.
    async fn merge_org_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: MergeOrgUnitsInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        if input.predecessor_ids.len() > 50 {
            return Err(
                AppError::validation("predecessorIds", tr!("1 to 50 units", "từ 1 đến 50 tổ chức đảng")).into(),
            );
        }
        let predecessors = input
            .predecessor_ids
            .iter()
            .map(|id| expect_global_id(id, OrgUnit::TYPENAME, "predecessorIds"))
            .collect::<Result<Vec<_>, _>>()?;
        let successor = expect_global_id(&input.successor_id, OrgUnit::TYPENAME, "successorId")?;
        let on = input.effective_on.map_or_else(clock::today, |d| d.0);
        let unit = succession::merge(ctx.db()?, ctx.actor()?, predecessors, successor, on).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Split a unit (chia tách) on `effectiveOn`: each of its open units and residential
    /// areas goes to the successor named for it, and the unit closes. Each successor's
    /// reports for earlier periods take in the records of what it received.
    async fn split_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: SplitOrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        if input.parts.len() > 50
            || input
                .parts
                .iter()
                .map(|p| p.child_ids.len() + p.area_ids.len())
                .sum::<usize>()
                > 10_000
        {
            return Err(AppError::validation(
                "parts",
                tr!(
                    "at most 50 parts and 10000 units and areas",
                    "tối đa 50 phần và 10000 tổ chức đảng và địa bàn dân cư"
                ),
            )
            .into());
        }
        let id = expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?;
        let parts = input
            .parts
            .iter()
            .map(|p| {
                Ok(succession::SplitPart {
                    successor_id: expect_global_id(&p.successor_id, OrgUnit::TYPENAME, "parts.successorId")?,
                    child_ids: p
                        .child_ids
                        .iter()
                        .map(|c| expect_global_id(c, OrgUnit::TYPENAME, "parts.childIds"))
                        .collect::<Result<_, AppError>>()?,
                    area_ids: p
                        .area_ids
                        .iter()
                        .map(|a| expect_global_id(a, ResidentialArea::TYPENAME, "parts.areaIds"))
                        .collect::<Result<_, AppError>>()?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let on = input.effective_on.map_or_else(clock::today, |d| d.0);
        let unit = succession::split(ctx.db()?, ctx.actor()?, id, parts, on).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }

    /// Withdraw a delegation: from `withdrawnOn` the direct superior decides again; acts
    /// dated earlier keep the organisation as their decider. `DELEGATION_NOT_IN_FORCE` when
    /// none holds.
    async fn withdraw_admission_authority(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")]
        input: WithdrawAdmissionAuthorityInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let id = expect_global_id(&input.id, OrgUnit::TYPENAME, "id")?;
        let withdrawn_on = input.withdrawn_on.map_or_else(clock::today, |d| d.0);
        let unit = delegation::withdraw_delegation(ctx.db()?, ctx.actor()?, id, withdrawn_on).await?;
        Ok(OrgUnitPayload {
            org_unit: OrgUnit(unit),
        })
    }
}

/// Add a residential area (thôn, bản, khu phố, tổ dân phố) to a commune.
#[derive(InputObject)]
pub struct CreateResidentialAreaInput {
    /// The commune the area belongs to.
    commune_id: ID,
    /// Short code, unique within the commune.
    /// At most 32 characters.
    code: String,
    /// At most 200 characters.
    name: String,
}

/// Record (or correct) a residential area's state in a year; a second record for the same year replaces the first.
#[derive(InputObject)]
pub struct RecordResidentialAreaStatusInput {
    /// The residential area.
    area_id: ID,
    /// The year the state is for (2000 to 2100).
    year: i32,
    /// Party members living in the area.
    members_living: u32,
    /// Whether the area has a branch of its own.
    has_own_branch: bool,
    /// Whether the area's head (trưởng thôn, tổ trưởng) is a member.
    head_is_member: bool,
}

/// The residential area created.
#[derive(SimpleObject)]
pub struct ResidentialAreaPayload {
    /// The residential area.
    residential_area: ResidentialArea,
}

/// A residential area's state as recorded.
#[derive(SimpleObject)]
pub struct ResidentialAreaStatusPayload {
    /// The residential area.
    residential_area: ResidentialArea,
    /// The state recorded for the year.
    status: ResidentialAreaStatus,
}

#[derive(Default)]
pub struct AreaMutation;

#[Object]
impl AreaMutation {
    /// Add a residential area (thôn, bản, khu phố, tổ dân phố) to a commune. By the commune or a committee above it.
    async fn create_residential_area(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: CreateResidentialAreaInput,
    ) -> async_graphql::Result<ResidentialAreaPayload> {
        let commune = expect_global_id(&input.commune_id, OrgUnit::TYPENAME, "communeId")?;
        let code = service::parse_code(&input.code)?;
        let name = service::parse_name(&input.name)?;
        let area = areas::create_residential_area(ctx.db()?, ctx.actor()?, commune, code, name).await?;
        Ok(ResidentialAreaPayload {
            residential_area: ResidentialArea(area),
        })
    }

    /// Record a residential area's state for a year: members living there, its own branch,
    /// whether its head is a member. By the commune or a committee above it.
    async fn record_residential_area_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")]
        input: RecordResidentialAreaStatusInput,
    ) -> async_graphql::Result<ResidentialAreaStatusPayload> {
        let id = expect_global_id(&input.area_id, ResidentialArea::TYPENAME, "areaId")?;
        let status = areas::AreaStatus {
            year: input.year,
            members_living: input.members_living,
            has_own_branch: input.has_own_branch,
            head_is_member: input.head_is_member,
        };
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        let row = areas::record_area_status(db, actor, id, status).await?;
        let area = areas::find_residential_area(db, actor.scope(), id).await?;
        Ok(ResidentialAreaStatusPayload {
            residential_area: ResidentialArea(area),
            status: row.into(),
        })
    }
}
