//! `strata report`: the procurement officer's overview of a fleet.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use strata::diag::{Error, ExitStatus, Result};
use strata::{fsutil, report};

use crate::output;

/// Report on a fleet for procurement: devices, attestation status, vendor
/// concentration, restricted-list screening, DPIA need and the gate verdict.
///
/// The report reads the fleet's files (vendors.yaml, designations.yaml,
/// approved-devices.yaml, policy.yaml, stacks/) and the attestations the
/// approved-device list points to. It always exits 0 when it could be made;
/// use `strata gate` to fail a CI job.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata report examples
  strata report examples --format md -o fleet-report.md
  strata report --format json | jq '.analysis.fleet.pooled'")]
pub struct ReportArgs {
    /// The fleet (a directory with vendors.yaml, or below one); the current
    /// directory when omitted.
    #[arg(value_name = "FLEET")]
    fleet: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Judge policy exceptions as of this date (YYYY-MM-DD); today (UTC) by
    /// default.
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown, for tickets and wikis.
    Md,
    /// Everything, as JSON.
    Json,
}

/// Run `strata report`.
pub fn run(args: ReportArgs) -> Result<ExitStatus> {
    let date = super::date_arg(args.now.as_deref())?;
    let fleet = super::fleet_arg(args.fleet.as_deref())?;
    let r = report::report(&fleet.root, date)?;
    let text = match args.format {
        Format::Text => report::text(&r),
        Format::Md => report::markdown(&r),
        Format::Json => strata::diag::to_json_pretty(&r)? + "\n",
    };
    match &args.output {
        Some(p) => fsutil::write_atomic(p, text.as_bytes())?,
        None => output::stdout(text.as_bytes()).map_err(|e| Error::io(Path::new("<stdout>"), e))?,
    }
    Ok(ExitStatus::Success)
}
