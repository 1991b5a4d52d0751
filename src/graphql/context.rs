//! What a resolver can reach: the shared state, the request's actor and its loaders.

use std::collections::HashMap;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use entity::{
    course, course_enrolment, decision, dossier_document, introduction, member, mentor_assignment, org_unit, relative,
    residential_area, resolution, scanned_file,
};

use super::loaders::{ChildrenLoader, IdLoader, MemberOfCandidateLoader, TimelineLoader};

use crate::access::Actor;
use crate::access::Scope;
use crate::auth::actor::Authentication;
use crate::error::{AppError, AppResult};
use crate::replica::ReadFrom;
use crate::state::AppState;

/// Facts about the HTTP request a resolver may need.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub client_address: Option<String>,
}

/// The per-request loaders, built once the actor is known.
pub struct Loaders {
    pub units: Cached<IdLoader<org_unit::Entity>>,
    /// The units a page's own statement read beside its rows ([`Loaders::feed_units`]),
    /// looked up before the loader: a page of 50 candidates asks for its branches and their
    /// parents a hundred times, and the loader's look-up (a lock, four hashes, two maps
    /// built per call) cost about 1,500 instructions each (callgrind).
    units_read: std::sync::RwLock<HashMap<i32, Option<org_unit::Model>>>,
    pub members: Cached<IdLoader<member::Entity>>,
    pub courses: Cached<IdLoader<course::Entity>>,
    pub areas: Cached<IdLoader<residential_area::Entity>>,
    pub mentors: Cached<ChildrenLoader<mentor_assignment::Entity>>,
    pub enrolments: Cached<ChildrenLoader<course_enrolment::Entity>>,
    pub documents: Cached<ChildrenLoader<dossier_document::Entity>>,
    pub relatives: Cached<ChildrenLoader<relative::Entity>>,
    pub introductions: Cached<ChildrenLoader<introduction::Entity>>,
    pub resolutions: Cached<ChildrenLoader<resolution::Entity>>,
    pub decisions: Cached<ChildrenLoader<decision::Entity>>,
    /// Every version of every scan of a candidate's dossier.
    pub scans: Cached<ChildrenLoader<scanned_file::Entity>>,
    pub member_of_candidate: Cached<MemberOfCandidateLoader>,
    pub candidate_timeline: Cached<TimelineLoader>,
    /// The mergers and splits on record, read at most once per request (every report of a
    /// request needs them).
    successions: tokio::sync::OnceCell<Vec<crate::domain::succession::Succession>>,
    db: DatabaseConnection,
}

/// A loader whose results are kept for the rest of the request, so records fetched
/// ahead for a whole page are not fetched again field by field.
pub type Cached<L> = DataLoader<L, HashMapCache>;

impl Loaders {
    /// The loaders of one request, all confined to `scope`.
    pub fn new(db: &DatabaseConnection, scope: Scope) -> Self {
        fn loader<L: Loader<i32>>(l: L) -> Cached<L> {
            DataLoader::with_cache(l, tokio::spawn, HashMapCache::default())
        }
        Loaders {
            units: loader(IdLoader::new(db, scope)),
            units_read: std::sync::RwLock::default(),
            members: loader(IdLoader::new(db, scope)),
            courses: loader(IdLoader::new(db, scope)),
            areas: loader(IdLoader::new(db, scope)),
            mentors: loader(ChildrenLoader::new(db, scope)),
            enrolments: loader(ChildrenLoader::new(db, scope)),
            documents: loader(ChildrenLoader::new(db, scope)),
            relatives: loader(ChildrenLoader::new(db, scope)),
            introductions: loader(ChildrenLoader::new(db, scope)),
            resolutions: loader(ChildrenLoader::new(db, scope)),
            decisions: loader(ChildrenLoader::new(db, scope)),
            scans: loader(ChildrenLoader::new(db, scope)),
            member_of_candidate: loader(MemberOfCandidateLoader { db: db.clone(), scope }),
            candidate_timeline: loader(TimelineLoader { db: db.clone(), scope }),
            successions: tokio::sync::OnceCell::new(),
            db: db.clone(),
        }
    }

    /// Forget what the loaders have read, so the next reads see the records as they are
    /// now: a subscription calls it before each event it answers. (The mergers and splits
    /// stay: they are history, and a connection lives shorter than a reorganisation.)
    pub fn forget(&self) {
        // Every field named, so a loader added later does not compile until it is here.
        let Loaders {
            units,
            units_read,
            members,
            courses,
            areas,
            mentors,
            enrolments,
            documents,
            relatives,
            introductions,
            resolutions,
            decisions,
            scans,
            member_of_candidate,
            candidate_timeline,
            successions: _,
            db: _,
        } = self;
        units.clear::<i32>();
        units_read
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        members.clear::<i32>();
        courses.clear::<i32>();
        areas.clear::<i32>();
        mentors.clear::<i32>();
        enrolments.clear::<i32>();
        documents.clear::<i32>();
        relatives.clear::<i32>();
        introductions.clear::<i32>();
        resolutions.clear::<i32>();
        decisions.clear::<i32>();
        scans.clear::<i32>();
        member_of_candidate.clear::<i32>();
        candidate_timeline.clear::<i32>();
    }

    /// Keep the units a page's statement read beside its rows (`access::with_units`), each
    /// id answered as the unit loader would answer it (`None`: out of scope or missing), for
    /// [`load_unit`] and the loader alike.
    pub async fn feed_units(&self, read: crate::access::UnitsRead) {
        self.units_read
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(read.iter().cloned());
        self.units.feed_many(read).await;
    }

    /// The mergers and splits on record, read by `read` the first time a request asks (not
    /// scoped: they are read only to credit records to a unit the reader may already see).
    pub async fn successions<F, Fut>(&self, read: F) -> AppResult<&[crate::domain::succession::Succession]>
    where
        F: FnOnce(DatabaseConnection) -> Fut,
        Fut: std::future::Future<Output = AppResult<Vec<crate::domain::succession::Succession>>>,
    {
        let all = self.successions.get_or_try_init(|| read(self.db.clone())).await?;
        Ok(all.as_slice())
    }
}

fn batch_failed(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("{e}"))
}

/// Load one record through a request loader; `None` when missing.
pub async fn load<L, T>(loader: &Cached<L>, key: i32) -> AppResult<Option<T>>
where
    L: Loader<i32, Value = Option<T>, Error = std::sync::Arc<AppError>>,
    T: Clone + Send + Sync + 'static,
{
    Ok(loader.load_one(key).await.map_err(batch_failed)?.flatten())
}

/// Load the children of one parent through a request loader.
pub async fn load_children<L, T>(loader: &Cached<L>, key: i32) -> AppResult<Vec<T>>
where
    L: Loader<i32, Value = Vec<T>, Error = std::sync::Arc<AppError>>,
    T: Clone + Send + Sync + 'static,
{
    Ok(loader.load_one(key).await.map_err(batch_failed)?.unwrap_or_default())
}

/// Fetch `keys` in one batch ahead of the fields that will ask for them one by one.
pub async fn prime<L>(loader: &Cached<L>, keys: impl IntoIterator<Item = i32>) -> AppResult<HashMap<i32, L::Value>>
where
    L: Loader<i32, Error = std::sync::Arc<AppError>>,
{
    let keys: std::collections::BTreeSet<i32> = keys.into_iter().collect();
    loader.load_many(keys).await.map_err(batch_failed)
}

fn missing(what: &str) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("{what} missing from the GraphQL context"))
}

pub trait ContextExt {
    fn state(&self) -> AppResult<&AppState>;
    fn db(&self) -> AppResult<&DatabaseConnection> {
        Ok(&self.state()?.db)
    }
    /// The pool a report reads now (the replica while it is close enough behind), and what
    /// that means for its figures.
    fn report_db(&self) -> AppResult<(&DatabaseConnection, ReadFrom)> {
        Ok(self.state()?.reports.pick())
    }
    /// The acting staff account; reporting accounts are refused here, so every field that
    /// is not a report is closed to them by default.
    fn actor(&self) -> AppResult<&Actor>;
    /// The actor of a report: staff or a reporting account.
    fn report_actor(&self) -> AppResult<&Actor>;
    fn request_info(&self) -> AppResult<&RequestInfo>;
    fn loaders(&self) -> AppResult<&Loaders>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> AppResult<&AppState> {
        self.data::<AppState>().map_err(|_| missing("application state"))
    }

    fn actor(&self) -> AppResult<&Actor> {
        let actor = self.report_actor()?;
        actor.require_staff()?;
        Ok(actor)
    }

    fn report_actor(&self) -> AppResult<&Actor> {
        self.data::<Authentication>()
            .map_err(|_| missing("authentication"))?
            .actor()
    }

    fn request_info(&self) -> AppResult<&RequestInfo> {
        self.data::<RequestInfo>().map_err(|_| missing("request info"))
    }

    fn loaders(&self) -> AppResult<&Loaders> {
        self.data::<std::sync::Arc<Loaders>>()
            .map(AsRef::as_ref)
            .map_err(|_| missing("loaders"))
    }
}

/// Load a unit through the request's loader; `None` when missing or out of scope.
pub async fn load_unit(ctx: &Context<'_>, id: i32) -> AppResult<Option<org_unit::Model>> {
    let loaders = ctx.loaders()?;
    let read = loaders
        .units_read
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&id)
        .cloned();
    match read {
        Some(unit) => Ok(unit),
        None => load(&loaders.units, id).await,
    }
}
