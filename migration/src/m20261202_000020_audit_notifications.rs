//! Live events across processes: on PostgreSQL every new audit event notifies the channel
//! `ketnap_audit` with its number. A notification is sent when the transaction that wrote
//! the event commits, and never for one rolled back, so every process listening hears of
//! exactly what committed, whoever wrote it (the server, an import, a seed). SQLite has
//! one process; its server reads the audit trail in order instead.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION ketnap_audit_notify() RETURNS trigger AS $$ \
             BEGIN PERFORM pg_notify('ketnap_audit', NEW.id::text); RETURN NULL; END; \
             $$ LANGUAGE plpgsql",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER audit_event_notify AFTER INSERT ON audit_event \
             FOR EACH ROW EXECUTE FUNCTION ketnap_audit_notify()",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TRIGGER IF EXISTS audit_event_notify ON audit_event")
            .await?;
        db.execute_unprepared("DROP FUNCTION IF EXISTS ketnap_audit_notify()")
            .await?;
        Ok(())
    }
}
