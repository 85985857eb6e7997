//! The command line: one file per subcommand, dispatched from [`run`].

use clap::{Parser, Subcommand};
use strata::diag::{ExitStatus, Result};

use crate::output::ErrorFormat;

/// strata: evidence and control for devices whose chip, OS, AI model and
/// cloud come from one vendor.
///
/// Exit status: 0 success, 1 a check, verification or gate failed, 2 usage,
/// input or I/O error.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// The format errors are reported in.
    pub fn error_format(&self) -> ErrorFormat {
        ErrorFormat::Human
    }
}

#[derive(Debug, Subcommand)]
enum Command {}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {}
}
