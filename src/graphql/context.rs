//! What a resolver can reach: the shared state, the request's actor and its loaders.

use std::collections::HashMap;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::DatabaseConnection;

use entity::org_unit;

use crate::auth::actor::{Actor, Authentication, Scope};
use crate::error::{AppError, AppResult};
use crate::org::service as org;
use crate::state::AppState;

/// Facts about the HTTP request a resolver may need.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub request_id: String,
    pub client_address: Option<String>,
}

/// Loads units by id in one query per batch, within the actor's scope: a unit out of
/// scope is simply absent.
pub struct UnitLoader {
    db: DatabaseConnection,
    scope: Scope,
}

impl Loader<i32> for UnitLoader {
    type Value = org_unit::Model;
    type Error = std::sync::Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let units = org::find_many(&self.db, self.scope, keys)
            .await
            .map_err(std::sync::Arc::new)?;
        Ok(units.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// The per-request loaders, built once the actor is known.
pub struct Loaders {
    pub units: DataLoader<UnitLoader>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection, actor: &Actor) -> Self {
        Loaders {
            units: DataLoader::new(
                UnitLoader {
                    db: db.clone(),
                    scope: actor.scope(),
                },
                tokio::spawn,
            ),
        }
    }
}

fn missing(what: &str) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("{what} missing from the GraphQL context"))
}

pub trait ContextExt {
    fn state(&self) -> AppResult<&AppState>;
    fn db(&self) -> AppResult<&DatabaseConnection> {
        Ok(&self.state()?.db)
    }
    fn actor(&self) -> AppResult<&Actor>;
    fn request_info(&self) -> AppResult<&RequestInfo>;
    fn loaders(&self) -> AppResult<&Loaders>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> AppResult<&AppState> {
        self.data::<AppState>().map_err(|_| missing("application state"))
    }

    fn actor(&self) -> AppResult<&Actor> {
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
    ctx.loaders()?
        .units
        .load_one(id)
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("loading org unit {id}: {e}")))
}
