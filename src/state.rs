//! What every request shares: the database pools, the settings and the auth machinery.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::Auth;
use crate::replica::ReportDatabase;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Where reports read ([`ReportDatabase`]).
    pub reports: ReportDatabase,
    pub settings: Arc<Settings>,
    pub auth: Arc<Auth>,
    /// Where scanned papers are kept.
    pub files: crate::filestore::Store,
    /// The live events this process hands its subscribers.
    pub events: crate::events::Hub,
}
