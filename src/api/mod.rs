//! The top of the API: every feature's Query and Mutation segments merged into one schema
//! (used alike by the server, the tests and `ketnap export-schema`), the `node` field that
//! reaches into every feature, the HTTP routes that execute it, its pre-execution limits,
//! GraphiQL and the dashboard's page. Nothing below imports this folder; the toolkit
//! features build their API with is `crate::graphql`.

pub(crate) mod dashboard;
pub(crate) mod graphiql;
pub(crate) mod http;
pub(crate) mod limits;
pub(crate) mod metrics;
pub(crate) mod node;
pub(crate) mod order;
pub(crate) mod parsed;
pub mod persisted;
pub(crate) mod request;
pub(crate) mod ws;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use crate::accounts::graphql::{ApiTokenMutation, ApiTokenQuery, AuthMutation, AuthQuery};
use crate::candidates::mutations::CandidatesMutation;
use crate::candidates::query::{CandidateConnection, CandidatesQuery, DeadlineConnection, PossibleDuplicateConnection};
use crate::members::graphql::{MemberConnection, MembersMutation, MembersQuery};
use crate::org::graphql::{AreaQuery, OrgQuery, OrgUnitConnection, ResidentialAreaConnection};
use crate::org::mutations::{AreaMutation, OrgMutation};
use crate::reports::graphql::ReportsQuery;
use crate::rules::graphql::{RulesMutation, RulesQuery};
use crate::settings::Settings;
use crate::targets::graphql::{TargetsMutation, TargetsQuery};
use crate::training::graphql::{CourseConnection, TrainingMutation, TrainingQuery};

/// Every read of the API: the signed-in account, the organisation tree, candidates, members,
/// courses, the rulebook, targets and reports, each within what the account may see.
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

/// Every act of the API. Each mutation takes one `input` and returns what it created or
/// changed; a refused act answers an error with a stable `extensions.code`.
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
    crate::files::graphql::FilesMutation,
);

/// Describe each Relay connection type: `describe_pages!(builder, Type => "what", …)`.
macro_rules! describe_pages {
    ($builder:expr, $($connection:ty => $what:literal),* $(,)?) => {
        $builder$(.override_output_type_description::<$connection>(concat!(
            "A page of ", $what, ", with `pageInfo` to fetch the next and the `totalCount` of the whole list."
        )))*
    };
}

/// What the API tells as it happens (over WebSocket).
pub type Subscription = crate::live::graphql::LiveSubscription;

pub type KetnapSchema = Schema<Query, Mutation, Subscription>;

/// The schema with its error mapping and limits. The caller adds shared data and finishes.
pub fn build_schema(settings: &Settings) -> SchemaBuilder<Query, Mutation, Subscription> {
    // No schema extension: with one, every field of every response goes through the
    // extension chain. The limits and the error codes are applied by the HTTP handler
    // (`http::graphql`), around execution.
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription::default())
        .limit_complexity(settings.limits.max_query_complexity)
        .limit_recursive_depth(limits::MAX_NESTING);
    // async-graphql generates the Relay connection types without a description.
    let mut builder = describe_pages!(
        builder,
        CandidateConnection => "candidates",
        DeadlineConnection => "deadlines",
        PossibleDuplicateConnection => "possible duplicates",
        MemberConnection => "members",
        CourseConnection => "courses",
        OrgUnitConnection => "units",
        ResidentialAreaConnection => "residential areas",
    );
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
