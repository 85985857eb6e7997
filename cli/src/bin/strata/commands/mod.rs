//! The command line: one file per subcommand, dispatched from [`run`].

use clap::{Parser, Subcommand};
use strata::diag::{ExitStatus, Result};

use crate::output::ErrorFormat;

mod analyze;
mod assemble;
mod diff;
mod evidence;
mod fmt;
mod gate;
mod hash;
mod init;
mod keyless;
mod log;
mod memo;
mod model;
mod report;
mod review;
mod schema;
mod sign;
mod validate;
mod verify;
mod verify_bundle;

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
    /// The format errors are reported in: JSON when the command was asked
    /// for JSON output.
    pub fn error_format(&self) -> ErrorFormat {
        if std::env::args().any(|a| a == "--format=json" || a == "json") && wants_json() {
            ErrorFormat::Json
        } else {
            ErrorFormat::Human
        }
    }
}

/// True when `--format json` or `--format=json` is on the command line.
fn wants_json() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

#[derive(Debug, Subcommand)]
enum Command {
    Analyze(analyze::AnalyzeArgs),
    Assemble(assemble::AssembleArgs),
    Diff(diff::DiffArgs),
    Fmt(fmt::FmtArgs),
    Evidence(evidence::EvidenceArgs),
    Gate(gate::GateArgs),
    Hash(hash::HashArgs),
    Init(init::InitArgs),
    Log(log::LogArgs),
    Memo(memo::MemoArgs),
    Model(model::ModelArgs),
    Report(report::ReportArgs),
    Review(review::ReviewArgs),
    Schema(schema::SchemaArgs),
    Sign(sign::SignArgs),
    Validate(validate::ValidateArgs),
    Verify(verify::VerifyArgs),
    VerifyBundle(verify_bundle::VerifyBundleArgs),
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Assemble(a) => assemble::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Evidence(a) => evidence::run(a),
        Command::Gate(a) => gate::run(a),
        Command::Hash(a) => hash::run(a),
        Command::Init(a) => init::run(a),
        Command::Log(a) => log::run(a),
        Command::Memo(a) => memo::run(a),
        Command::Model(a) => model::run(a),
        Command::Report(a) => report::run(a),
        Command::Review(a) => review::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Sign(a) => sign::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Verify(a) => verify::run(a),
        Command::VerifyBundle(a) => verify_bundle::run(a),
    }
}

/// The date given with `--now` (YYYY-MM-DD), or today (UTC).
pub fn date_arg(now: Option<&str>) -> Result<time::Date> {
    match now {
        Some(t) => strata::gate::parse_date(t).ok_or_else(|| {
            strata::diag::Error::Usage(format!("--now `{t}` is not a date (YYYY-MM-DD)"))
        }),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

/// The fleet around `dir` (the current directory when `None`): the nearest
/// directory at or above it holding vendors.yaml.
pub fn fleet_arg(dir: Option<&std::path::Path>) -> Result<strata::fleet::Fleet> {
    strata::fleet::Fleet::discover(dir.unwrap_or(std::path::Path::new(".")))
}
