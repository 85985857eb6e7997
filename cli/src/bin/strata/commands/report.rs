//! `strata report`: the procurement officer's overview of a fleet.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::{fsutil, report};

use crate::args::{CountsArg, FleetArgs, Format, Formats, NowArg, QuietArg};
use crate::color::{Painter, Tone};
use crate::output;

/// `human` (plain text; `text` before), `md`, `html` or `json`.
const FORMATS: Formats = Formats::new(&[Format::Human, Format::Md, Format::Html, Format::Json])
    .with_deprecated(&[("text", Format::Human)]);

/// Report on a fleet for procurement: devices, attestation status, vendor
/// concentration, restricted-list screening, DPIA need and the gate verdict.
///
/// The report reads the fleet's files (vendors.yaml, designations.yaml,
/// approved-devices.yaml, policy.yaml, stacks/) and the attestations the
/// approved-device list points to. With `--counts observed` the analysis
/// weighs each approved device by the devices the inventories named in
/// policy.yaml see on its stack, and counts devices on no approved stack
/// under their vendor group in the pooled exposure and the fleet HHI (a line
/// under the headline, and `analysis.counts` in JSON, say so; the gate's
/// verdict stays on the approved list). When the policy names inventories,
/// a section "Seen but not approved" lists what they see in use on no
/// approved stack (by vendor group and stack or model, with ownership),
/// unknown models by manufacturer, unresolved manufacturers and the
/// restricted-list hits on those, in counts only. It always exits 0 when it could be
/// made; use `strata gate` to fail a CI job.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata report examples
  strata report examples --format md -o fleet-report.md
  strata report examples --format html -o fleet-report.html
  strata report --format json | jq '.analysis.fleet.pooled'
  strata report --fleet examples --now 2027-01-01
  strata report examples --counts observed --format md -o fleet-as-seen.md",
    mut_arg("now", |a| a.help("Judge policy exceptions as of this day (YYYY-MM-DD, or an RFC 3339 time's UTC day), and inventory records stale as of this time; today (UTC) by default")),
    mut_arg("quiet", |a| a.help("Print the summary only: the devices table and the gate verdict")))]
pub struct ReportArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = FORMATS)]
    format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    now: NowArg,
    #[command(flatten)]
    quiet: QuietArg,
    #[command(flatten)]
    counts: CountsArg,
}

/// Run `strata report`.
pub fn run(args: ReportArgs) -> Result<ExitStatus> {
    let date = args.now.date();
    let fleet = args.fleet.discover()?;
    let r = report::report_with(
        &fleet.root,
        date,
        crate::args::wall_clock().timestamp(),
        &report::ReportOptions {
            observed: args.counts.observed(),
            as_of: args.now.time(),
        },
    )?;
    let text = match args.format {
        Format::Md => report::markdown(&r),
        Format::Html => report::html(&r),
        Format::Json => strata::outputs::to_json(&r)?,
        _ if args.quiet.quiet => report::summary_text(&r),
        _ => report::text(&r),
    };
    match &args.output {
        Some(p) => fsutil::write_atomic(p, text.as_bytes())?,
        None => output::emit_painted(args.format, text.as_bytes(), paint)?,
    }
    Ok(ExitStatus::Success)
}

/// What a procurement officer looks for first, coloured (when stdout is).
fn paint(text: &str) -> String {
    Painter::stdout().words(
        text,
        &[
            ("PASS", Tone::Good),
            ("pass", Tone::Good),
            ("FAIL", Tone::Bad),
            ("DENY", Tone::Bad),
            ("HIT", Tone::Bad),
            ("RESTRICTED", Tone::Bad),
            ("INVALID", Tone::Bad),
            ("warn", Tone::Warn),
        ],
    )
}
