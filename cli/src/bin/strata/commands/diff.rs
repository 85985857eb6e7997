//! `strata diff REV_A REV_B [DEVICE]`: semantic diff of attestations between
//! two git revisions; `strata diff --inventory OLD NEW`: what changed between
//! two inventory snapshots.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::history::{History, revdiff};

use crate::args::{FleetOpt, Format, HUMAN_JSON};
use crate::output;

/// Show what changed in the device attestations between two revisions.
///
/// For each device: added or removed; per layer, supplier and group
/// changes, product and version, evidence digests, agent permissions added
/// or removed, data-routing changes; cloud endpoints; the signer identity
/// the Sigstore bundle claims (read, not verified); the declarations
/// (`strata attest`): each requirement's conformance per assessor, claims
/// and signatories added or removed, the policy digest and the attestation
/// they are bound to; review entries added or removed. Files are read from
/// git objects, so neither revision needs to be checked out.
///
/// A revision is any git revspec, `WORKTREE` for the files on disk, or
/// `sha256:DIGEST` (at least 8 hex digits, DEVICE required) for the newest
/// commit whose attestation of DEVICE had that digest, as named by the
/// gate's stale-review findings.
///
/// The attestations are the fleet's, found as `strata gate` finds them: in
/// the directory of the attestations its approved-device list names, else
/// in FLEET/attestations; outside any fleet, in ./attestations.
///
/// With --inventory, REV_A and REV_B are two inventory snapshots (the JSON
/// `strata inventory reconcile --format json` writes, kept in git) and the
/// diff shows the vendor groups and the stacks, unknown models and
/// unresolved manufacturers whose devices in use appeared, grew, shrank or
/// went, per ownership ("xiaomi models: 0 → 37 devices (0 → 37 personal)"),
/// most added first.
///
/// Exit status: 0 (whether or not anything changed), 2 bad revision, device,
/// repository or snapshot.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata diff HEAD~1 HEAD
  strata diff v1.0 main xiaomi-su7
  strata diff sha256:1a2b3c4d5e6f WORKTREE xiaomi-su7   # since the last approved digest
  strata diff main HEAD --fleet examples --format json | jq '.devices[].changes'
  strata diff --inventory inventory/2026-11.json inventory/2026-12.json")]
pub struct DiffArgs {
    /// The older revision (with --inventory, the older snapshot file).
    #[arg(value_name = "REV_A")]
    rev_a: String,
    /// The newer revision (with --inventory, the newer snapshot file).
    #[arg(value_name = "REV_B")]
    rev_b: String,
    /// Only this device.
    #[arg(value_name = "DEVICE")]
    device: Option<String>,
    #[command(flatten)]
    fleet: FleetOpt,
    /// Deprecated: the attestations directory itself; use --fleet.
    #[arg(long, value_name = "DIR", hide = true, conflicts_with = "fleet")]
    attestations: Option<PathBuf>,
    /// Compare two inventory snapshots (files) instead of two revisions.
    #[arg(long, conflicts_with_all = ["device", "attestations", "fleet"])]
    inventory: bool,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
}

/// Run `strata diff`.
pub fn run(args: DiffArgs) -> Result<ExitStatus> {
    if args.inventory {
        let d = strata::inventory::diff_snapshots(Path::new(&args.rev_a), Path::new(&args.rev_b))?;
        let text = match args.format {
            Format::Json => strata::outputs::to_json(&d)?,
            _ => strata::inventory::render_snapshot_diff(&d),
        };
        output::emit(args.format, text.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let dir = args
        .fleet
        .attestations(args.attestations.as_deref(), args.device.as_deref())?;
    let h = History::open(&dir)?;
    let d = revdiff::rev_diff(&h, &args.rev_a, &args.rev_b, args.device.as_deref())?;
    let text = match args.format {
        Format::Json => strata::outputs::to_json(&d)?,
        _ => revdiff::render_human(&d, &h),
    };
    output::emit(args.format, text.as_bytes())?;
    Ok(ExitStatus::Success)
}
