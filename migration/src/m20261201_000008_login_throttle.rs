//! Failed sign-ins, counted in the database so that every instance of a deployment on one
//! PostgreSQL shares one budget per account name and per client address.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    /// `account:<name>` or `address:<ip>`.
    Key,
    Attempts,
    /// Unix seconds at which the window ends and the count starts again.
    WindowEndsAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(string_len(LoginAttempt::Key, 300).primary_key())
                    .col(integer(LoginAttempt::Attempts))
                    .col(big_integer(LoginAttempt::WindowEndsAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await
    }
}
