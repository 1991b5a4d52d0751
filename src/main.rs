//! `ketnap`: parse the command line, set up logging, hand over to the library.

use clap::Parser;
use ketnap::cli::Cli;
use ketnap::settings::Mode;
use ketnap::telemetry::{self, LogFormat};

/// mimalloc rather than the system allocator: a GraphQL response is many small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let format = cli.log_format.unwrap_or(match cli.mode() {
        Mode::Production => LogFormat::Json,
        Mode::Dev => LogFormat::Pretty,
    });
    telemetry::init(format);
    match ketnap::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
