//! Demonstration data: a living organisation tree with accounts for every level, so a
//! newcomer can sign in and look around. Never loaded in production mode.

mod border_district;
pub mod demo;
pub mod demo_workflow;
pub mod history;
pub mod synthetic;
mod walk;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entity::app_user;

use crate::access::Actor;
use crate::accounts::service::role_of;
use crate::error::{AppError, AppResult};

/// The actor a demo account stands for, as a signed-in request would have it.
async fn actor(db: &DatabaseConnection, username: &str) -> AppResult<Actor> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("demo account {username} is missing")))?;
    let (role, unit_id) = role_of(db, &user).await?;
    Ok(Actor {
        user_id: user.id,
        role,
        unit_id,
        request_id: None,
    })
}
