//! Helpers shared by the migrations.

use sea_orm_migration::prelude::*;

/// Create a plain index `name` on `cols` of `table`.
pub async fn index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    cols: [C; N],
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIden,
{
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(col);
    }
    manager.create_index(stmt.to_owned()).await
}

/// Create a unique index `name` on `cols` of `table`.
pub async fn unique_index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    cols: [C; N],
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIden,
{
    let mut stmt = Index::create();
    stmt.name(name).table(table).unique();
    for col in cols {
        stmt.col(col);
    }
    manager.create_index(stmt.to_owned()).await
}

/// A foreign key from `from_table.from_col` to `to_table.id`.
pub fn fk<A: IntoIden, B: IntoIden, C: IntoIden>(from_table: A, from_col: B, to_table: C) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, Alias::new("id"))
        .to_owned()
}

/// Fill `table.column`, a column just added as nullable, with `value` (an SQL expression
/// over the row) and then require it. PostgreSQL gets `NOT NULL`; SQLite cannot add that
/// constraint to an existing column, so there two triggers refuse a NULL instead.
pub async fn fill_and_require(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
    value: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&format!("UPDATE {table} SET {column} = {value}"))
        .await?;
    if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"))
            .await?;
    } else {
        for event in ["INSERT", "UPDATE"] {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_{column}_required_{event} BEFORE {event} ON {table} \
                 WHEN NEW.{column} IS NULL \
                 BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: {table}.{column}'); END"
            ))
            .await?;
        }
    }
    Ok(())
}

/// Undo what `fill_and_require` put beside the column; run before the column is dropped.
pub async fn drop_requirement(manager: &SchemaManager<'_>, table: &str, column: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    for event in ["INSERT", "UPDATE"] {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_{column}_required_{event}"))
            .await?;
    }
    Ok(())
}

/// Drop `tables`, in the order given (those that refer to others first).
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: impl IntoIterator<Item = DynIden>) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(table).to_owned()).await?;
    }
    Ok(())
}
