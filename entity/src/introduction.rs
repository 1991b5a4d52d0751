//! An introduction of the candidate: by an official member, or by a union's resolution.

use ketnap_domain::dossier::{IntroductionKind, ReplacementReason};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "introduction")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    /// MEMBER, YOUTH_UNION or TRADE_UNION.
    pub kind: IntroductionKind,
    pub member_id: Option<i32>,
    pub known_since: Option<Date>,
    pub introduced_on: Date,
    pub created_at: DateTimeUtc,
    /// The member's introduction this one replaces, when that introducer could not continue.
    pub replaces_id: Option<i32>,
    /// TRANSFERRED, DISCIPLINED, DECEASED or OTHER, with `replaces_id`.
    pub replacement_reason: Option<ReplacementReason>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
