//! `strata log DEVICE`: the history of a device's attestation and reviews.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::history::{History, log};

use crate::args::{FleetOpt, Format, HUMAN_JSON};
use crate::output;

/// Show the history of a device's attestation, signature, declarations and
/// reviews.
///
/// One line per change, newest first: commit, date, author, and what
/// changed (the attestation's new digest and its main semantic changes, a
/// new signer, the declarations' conformance, claims and signatories, a
/// review added or removed). Merges report only what their
/// branches did not, as `git log -- PATH` does. Use `strata diff` for the
/// full change between two points.
///
/// The attestations are the fleet's, found as `strata gate` finds them: in
/// the directory of the attestation its approved-device list names for
/// DEVICE (or of all it names), else in FLEET/attestations; outside any
/// fleet, in ./attestations.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata log xiaomi-su7
  strata log pixel-9-pro --from release-2026.11 -n 10
  strata log xiaomi-su7 --fleet examples
  strata log laptop --format json | jq '.entries[] | select(.kind == \"review\")'")]
pub struct LogArgs {
    /// Device id (its directory under the attestations directory).
    #[arg(value_name = "DEVICE")]
    device: String,
    /// Walk history from this revision.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    from: String,
    /// Show at most N entries.
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    max_count: Option<usize>,
    #[command(flatten)]
    fleet: FleetOpt,
    /// Deprecated: the attestations directory itself; use --fleet.
    #[arg(long, value_name = "DIR", hide = true, conflicts_with = "fleet")]
    attestations: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
}

/// Run `strata log`.
pub fn run(args: LogArgs) -> Result<ExitStatus> {
    let dir = args
        .fleet
        .attestations(args.attestations.as_deref(), Some(&args.device))?;
    let h = History::open(&dir)?;
    let l = log::log(&h, &args.device, &args.from, args.max_count)?;
    let text = match args.format {
        Format::Json => strata::outputs::to_json(&l)?,
        _ => log::render_human(&l),
    };
    output::emit(args.format, text.as_bytes())?;
    Ok(ExitStatus::Success)
}
