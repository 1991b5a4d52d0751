//! The command line: `serve` (the default), `migrate`, `create-user`, `seed demo`,
//! `seed synthetic` and `export-schema`.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::accounts::service::{NewUser, create_user, parse_username};
use crate::domain::role::AccountType;
use crate::settings::{DatabaseSettings, Mode, Settings};
use crate::startup::{Application, shutdown_signal};
use crate::telemetry::LogFormat;

#[derive(Debug, Parser)]
#[command(
    name = "ketnap",
    version,
    about = "GraphQL API server for the admission of new Party members"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Log format (default: json in production mode, pretty in dev mode).
    #[arg(long, env = "KETNAP_LOG_FORMAT", value_enum, global = true)]
    pub log_format: Option<LogFormat>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default command).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseSettings),
    /// Create an account. The password is read from standard input.
    CreateUser(CreateUserArgs),
    /// Load data sets into the database.
    Seed(SeedArgs),
    /// Print the GraphQL schema (SDL), or write it to a file.
    ExportSchema(ExportSchemaArgs),
    /// Copy a live SQLite database, consistently, to a new file (for PostgreSQL use
    /// `pg_dump`; see the README).
    Backup(BackupArgs),
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long)]
    pub output: std::path::PathBuf,
    #[command(flatten)]
    pub database: DatabaseSettings,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Load the demo organisation tree and accounts when the database is empty (dev mode only).
    #[arg(long, env = "KETNAP_DEMO")]
    pub demo: bool,

    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub display_name: String,
    /// Code of the unit the account acts for (omit with --admin).
    #[arg(long, required_unless_present = "admin")]
    pub unit_code: Option<String>,
    /// Create an administrator.
    #[arg(long, conflicts_with = "unit_code")]
    pub admin: bool,
    #[command(flatten)]
    pub database: DatabaseSettings,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(subcommand)]
    pub data: SeedData,
}

#[derive(Debug, Subcommand)]
pub enum SeedData {
    /// The demo tree and demo accounts (password `ketnap-demo-2026`).
    Demo(DatabaseSettings),
    /// Generated data at province or national scale, the same for the same seed, into an
    /// empty database; accounts `synthetic-admin`, `synthetic-province`,
    /// `synthetic-district` and `synthetic-branch` (password `ketnap-synthetic-2026`).
    Synthetic(SyntheticArgs),
}

#[derive(Debug, Args)]
pub struct SyntheticArgs {
    /// One province (2,611 units, 60,000 candidates, 100,000 members) or 34 of them after
    /// the 2025 reform.
    #[arg(long, value_enum, default_value = "province")]
    pub scale: Scale,
    /// The generator's seed: the same seed, the same rows.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub database: DatabaseSettings,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Scale {
    Province,
    National,
}

#[derive(Debug, Args)]
pub struct ExportSchemaArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

impl Cli {
    /// The mode the command runs in, for choosing defaults before settings are used.
    pub fn mode(&self) -> Mode {
        match &self.command {
            Some(Command::Serve(args)) => args.settings.mode,
            None => self.serve.settings.mode,
            _ => Mode::Dev,
        }
    }
}

/// Run the command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(*args).await,
        Some(Command::Migrate(database)) => {
            let db = crate::db::connect(&database).await?;
            crate::startup::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Some(Command::CreateUser(args)) => create_user_command(args).await,
        Some(Command::Backup(args)) => {
            // A mistyped path must not create an empty database and back that up.
            crate::db::require_existing_sqlite(&args.database.database_url)?;
            let db = crate::db::connect(&args.database).await?;
            crate::db::backup(&db, &args.output).await?;
            tracing::info!(output = %args.output.display(), "backup written");
            Ok(())
        }
        Some(Command::Seed(SeedArgs {
            data: SeedData::Demo(database),
        })) => {
            let db = crate::db::connect(&database).await?;
            crate::startup::migrate(&db).await?;
            crate::seed::demo::seed(&db, &password_hasher()?)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tracing::info!(
                "demo data loaded; every demo account's password is {}",
                crate::seed::demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Some(Command::Seed(SeedArgs {
            data: SeedData::Synthetic(args),
        })) => {
            let db = crate::db::connect(&args.database).await?;
            crate::startup::migrate(&db).await?;
            let shape = match args.scale {
                Scale::Province => crate::seed::synthetic::Shape::PROVINCE,
                Scale::National => crate::seed::synthetic::Shape::NATIONAL,
            };
            let started = std::time::Instant::now();
            let made = crate::seed::synthetic::seed(&db, &password_hasher()?, shape, args.seed, crate::clock::today())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tracing::info!(
                units = made.units,
                candidates = made.candidates,
                members = made.members,
                audit_events = made.audit_events,
                seconds = started.elapsed().as_secs_f64(),
                "synthetic data loaded; the synthetic accounts' password is {}",
                crate::seed::synthetic::SYNTHETIC_PASSWORD
            );
            Ok(())
        }
        Some(Command::ExportSchema(args)) => {
            let sdl = crate::api::sdl();
            match args.output {
                Some(path) => std::fs::write(&path, sdl).with_context(|| format!("could not write {}", path.display())),
                None => {
                    print!("{sdl}");
                    Ok(())
                }
            }
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = args.settings;
    if args.demo && settings.mode == Mode::Production {
        anyhow::bail!("--demo loads accounts with a published password; it is refused in production mode");
    }
    let app = Application::build(settings).await?;
    if args.demo {
        let state = app.state();
        let empty = entity::org_unit::Entity::find().count(&state.db).await? == 0;
        if empty {
            crate::seed::demo::seed(&state.db, &state.auth.passwords)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tracing::info!(
                "demo data loaded; sign in as demo.branch with password {}",
                crate::seed::demo::DEMO_PASSWORD
            );
        }
    }
    let settings = &app.state().settings;
    tracing::info!(
        mode = ?settings.mode,
        database = %crate::db::redact_url(&settings.database.database_url),
        "Ketnap listening on http://{}:{}/graphql{}",
        settings.host,
        app.port(),
        if settings.graphiql_enabled() {
            " (GraphiQL at /graphiql)"
        } else {
            ""
        }
    );
    app.run_until_stopped(shutdown_signal()).await
}

/// Only the password hasher, for the commands that store accounts (`create-user`, `seed`):
/// they issue no token, so they need no signing key, and building one warned of a missing
/// `KETNAP_JWT_SECRET` that they never read.
fn password_hasher() -> anyhow::Result<crate::auth::password::Passwords> {
    crate::auth::password::Passwords::new(2)
}

async fn create_user_command(args: CreateUserArgs) -> anyhow::Result<()> {
    let db = crate::db::connect(&args.database).await?;
    crate::startup::migrate(&db).await?;
    let unit_id = match &args.unit_code {
        Some(code) => Some(
            entity::org_unit::Entity::find()
                .filter(entity::org_unit::Column::Code.eq(code.to_uppercase()))
                .one(&db)
                .await?
                .with_context(|| format!("no unit has the code {code}"))?
                .id,
        ),
        None => None,
    };
    eprintln!("Password for {} (read from standard input):", args.username);
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("could not read the password")?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let passwords = password_hasher()?;
    let cmd = NewUser {
        username: parse_username(&args.username).map_err(|e| anyhow::anyhow!("{e}"))?,
        display_name: args.display_name,
        password,
        account_type: if args.admin {
            AccountType::Admin
        } else {
            AccountType::Staff
        },
        org_unit_id: unit_id,
        min_cell_size: None,
    };
    let user = create_user(&db, &passwords, None, cmd)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(username = %user.username, "account created");
    Ok(())
}
