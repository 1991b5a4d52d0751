//! Targets in the API.

use async_graphql::{Context, ID, InputObject, Object, OneofObject, SimpleObject};

use entity::admission_target;

use super::service;
use crate::domain::period::TargetKey;
use crate::graphql::context::{ContextExt, load_unit};
use crate::graphql::relay::{expect_global_id, global_id};
use crate::org::graphql::OrgUnit;

/// A congress term (nhiệm kỳ), e.g. 2020–2025.
#[derive(InputObject, SimpleObject, Clone, Copy)]
#[graphql(input_name = "TermInput")]
pub struct Term {
    /// First year of the term (e.g. 2020).
    pub start_year: i32,
    /// Last year of the term (e.g. 2025).
    pub end_year: i32,
}

/// The period a target is for: a year or a term.
#[derive(OneofObject, Clone, Copy)]
pub enum TargetPeriodInput {
    /// A calendar year.
    Year(i32),
    /// A congress term (nhiệm kỳ).
    Term(Term),
}

impl From<TargetPeriodInput> for TargetKey {
    fn from(p: TargetPeriodInput) -> Self {
        match p {
            TargetPeriodInput::Year(year) => TargetKey::Year(year),
            TargetPeriodInput::Term(t) => TargetKey::Term {
                start_year: t.start_year,
                end_year: t.end_year,
            },
        }
    }
}

pub struct AdmissionTarget(pub admission_target::Model);

/// How many admissions a unit is to make in a year or a term (chỉ tiêu kết nạp).
#[Object]
impl AdmissionTarget {
    /// ID of the target.
    async fn id(&self) -> ID {
        global_id("AdmissionTarget", self.0.id)
    }
    /// The unit the target is for; null when outside what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    /// The year, for a yearly target.
    async fn year(&self) -> Option<i32> {
        match service::key_of(&self.0) {
            TargetKey::Year(year) => Some(year),
            TargetKey::Term { .. } => None,
        }
    }
    /// The term, for a term target.
    async fn term(&self) -> Option<Term> {
        match service::key_of(&self.0) {
            TargetKey::Term { start_year, end_year } => Some(Term { start_year, end_year }),
            TargetKey::Year(_) => None,
        }
    }
    /// Admissions to make in the year or the term.
    async fn target(&self) -> i32 {
        self.0.target
    }
    /// Remark set with the target (e.g. the resolution it comes from); null when none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Whose target it is: assigned by the superior, or the unit's own resolution.
    async fn basis(&self) -> crate::graphql::enums::TargetBasis {
        self.0.basis.into()
    }
}

#[derive(Default)]
pub struct TargetsQuery;

#[Object]
impl TargetsQuery {
    /// The targets set for a unit, newest first.
    async fn admission_targets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit whose targets these are, in the account's subtree.")] unit_id: ID,
    ) -> async_graphql::Result<Vec<AdmissionTarget>> {
        let unit = expect_global_id(&unit_id, OrgUnit::TYPENAME, "unitId")?;
        let actor = ctx.actor()?;
        let db = ctx.db()?;
        crate::org::service::find(db, actor.scope(), unit).await?;
        Ok(service::of_unit(db, unit)
            .await?
            .into_iter()
            .map(AdmissionTarget)
            .collect())
    }
}

/// Set a unit's target for a year or a term.
#[derive(InputObject)]
pub struct SetAdmissionTargetInput {
    /// The unit the target is for.
    unit_id: ID,
    /// A year or a term; setting the same period and basis again replaces the figure.
    period: TargetPeriodInput,
    /// Admissions to make in the period.
    target: u32,
    /// Whose target: assigned by the direct superior (default), or the unit's own congress
    /// or annual resolution (recorded by the unit itself or its superior).
    #[graphql(default_with = "crate::graphql::enums::TargetBasis::Assigned")]
    basis: crate::graphql::enums::TargetBasis,
    /// At most 200 characters.
    note: Option<String>,
}

/// The target as set.
#[derive(SimpleObject)]
pub struct AdmissionTargetPayload {
    /// The target.
    admission_target: AdmissionTarget,
}

#[derive(Default)]
pub struct TargetsMutation;

#[Object]
impl TargetsMutation {
    /// Set (or change) the admission target of a unit (giao chỉ tiêu): by its direct
    /// superior — the district for its communes, the commune for its branches, the
    /// province where it is the superior. With `basis: OWN_RESOLUTION`, the target of the
    /// unit's own congress or annual resolution, kept beside the assigned one.
    async fn set_admission_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: SetAdmissionTargetInput,
    ) -> async_graphql::Result<AdmissionTargetPayload> {
        let unit = expect_global_id(&input.unit_id, OrgUnit::TYPENAME, "unitId")?;
        let note = crate::domain::text::parse_optional_label(input.note, 200)
            .map_err(|m| crate::error::AppError::validation("note", m))?;
        let row = service::set(
            ctx.db()?,
            ctx.actor()?,
            unit,
            input.period.into(),
            input.basis.into(),
            input.target,
            note,
        )
        .await?;
        Ok(AdmissionTargetPayload {
            admission_target: AdmissionTarget(row),
        })
    }
}
