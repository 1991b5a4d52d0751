//! An account: staff acting for a unit, an administrator, or a reporting service account.

use ketnap_domain::role::AccountType;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// PHC string (argon2id).
    pub password_hash: String,
    /// STAFF, ADMIN or REPORTER.
    pub account_type: AccountType,
    pub org_unit_id: Option<i32>,
    pub is_active: bool,
    pub last_login_at: Option<DateTimeUtc>,
    /// Reporting accounts: breakdown cells below this count are withheld; `None` takes
    /// the server's default.
    pub min_cell_size: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
