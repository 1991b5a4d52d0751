//! What every request shares: the database pool, the settings and the auth machinery.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::Auth;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub auth: Arc<Auth>,
}
