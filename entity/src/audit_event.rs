//! An append-only record of one act: who, what, on which record, before and after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_user_id: Option<i32>,
    pub actor_role: String,
    pub request_id: Option<String>,
    pub act: String,
    pub entity_type: String,
    pub entity_id: i32,
    /// The unit whose subtree may read the event.
    pub unit_id: Option<i32>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
