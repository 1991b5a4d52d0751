//! The top of the API: every feature's Query and Mutation segments merged into one schema
//! (used alike by the server, the tests and `ketnap export-schema`), the `node` field that
//! reaches into every feature, the HTTP routes that execute it, its pre-execution limits and
//! GraphiQL. Nothing below imports this folder; the toolkit features build their API with
//! is `crate::graphql`.

pub mod graphiql;
pub mod http;
pub mod limits;
pub mod node;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::accounts::graphql::{ApiTokenMutation, ApiTokenQuery, AuthMutation, AuthQuery};
use crate::candidates::mutations::CandidatesMutation;
use crate::candidates::query::CandidatesQuery;
use crate::error::ErrorCodes;
use crate::members::graphql::{MembersMutation, MembersQuery};
use crate::org::graphql::{AreaQuery, OrgQuery};
use crate::org::mutations::{AreaMutation, OrgMutation};
use crate::reports::graphql::ReportsQuery;
use crate::rules::graphql::{RulesMutation, RulesQuery};
use crate::settings::Settings;
use crate::targets::graphql::{TargetsMutation, TargetsQuery};
use crate::training::graphql::{TrainingMutation, TrainingQuery};

#[derive(MergedObject, Default)]
pub struct Query(
    AuthQuery,
    OrgQuery,
    AreaQuery,
    CandidatesQuery,
    MembersQuery,
    TrainingQuery,
    RulesQuery,
    TargetsQuery,
    ReportsQuery,
    ApiTokenQuery,
    node::NodeQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    OrgMutation,
    AreaMutation,
    CandidatesMutation,
    MembersMutation,
    TrainingMutation,
    RulesMutation,
    TargetsMutation,
    ApiTokenMutation,
);

pub type KetnapSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema with its error mapping and limits. The caller adds shared data and finishes.
pub fn build_schema(settings: &Settings) -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    let mut builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .extension(ErrorCodes)
        .extension(limits::QueryLimits::new(settings));
    if !settings.introspection_enabled() {
        builder = builder.disable_introspection();
    }
    if settings.mode == crate::settings::Mode::Production {
        builder = builder.disable_suggestions();
    }
    builder
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    let schema = build_schema(&Settings::new("sqlite::memory:")).finish();
    let mut sdl = schema.sdl();
    if !sdl.ends_with('\n') {
        sdl.push('\n');
    }
    sdl
}
