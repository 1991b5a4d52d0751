//! `ketnap`: parse the command line, set up logging, hand over to the library.

use clap::Parser;
use ketnap::cli::Cli;
use ketnap::settings::Mode;
use ketnap::telemetry::{self, LogFormat};

/// mimalloc rather than the system allocator: a GraphQL response is many small allocations.
#[global_allocator]
static ALLOCATOR: ketnap::allocator::Mimalloc = ketnap::allocator::Mimalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let format = cli.log_format.unwrap_or(match cli.mode() {
        Mode::Production => LogFormat::Json,
        Mode::Dev => LogFormat::Pretty,
    });
    let telemetry = telemetry::init(format);
    let code = match ketnap::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            std::process::ExitCode::FAILURE
        }
    };
    // The exporter's own thread sends the last spans; waiting for it must not hold a worker.
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    code
}
