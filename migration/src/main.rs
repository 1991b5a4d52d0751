//! Stand-alone migration runner: `DATABASE_URL=… cargo run -p migration -- [up|down|status|fresh]`.

use migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::Database;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL to the database to migrate")?;
    let command = std::env::args().nth(1).unwrap_or_else(|| "up".into());
    let db = Database::connect(&url).await?;
    match command.as_str() {
        "up" => Migrator::up(&db, None).await?,
        "down" => Migrator::down(&db, Some(1)).await?,
        "status" => Migrator::status(&db).await?,
        "fresh" => Migrator::fresh(&db).await?,
        other => return Err(format!("unknown command {other:?}: use up, down, status or fresh").into()),
    }
    Ok(())
}
