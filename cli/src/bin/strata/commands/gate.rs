//! `strata gate`: judge the approved-device list against the policy, for CI.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::fsutil;
use strata::gate::sarif::ListLocation;
use strata::gate::{self, GateOptions, GateReport};

use crate::args::{self, FleetArgs, Format, Formats, NowArg, VerbosityArgs};
use crate::color::{Painter, Tone};
use crate::output;

/// Gate the approved-device list against policy.yaml.
///
/// Every enabled rule of the policy runs on every device of the list
/// (`strata gate --rules` lists them). `deny` findings fail the gate, `warn`
/// findings are reported; an exception with a reason and an unexpired date
/// excuses one device from one rule. Expired and unused exceptions are
/// reported.
///
/// Exit status: 0 pass (warnings allowed), 1 any deny finding, 2 bad input.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata gate examples
  strata gate --format sarif -o strata.sarif          # for GitHub code scanning
  strata gate --junit gate-junit.xml --sarif gate.sarif # human log + files, one run
  strata gate --policy policy.yaml --devices approved-devices.yaml --now 2026-12-01
  strata gate --rules",
    mut_arg("now", |a| a.help("Judge exception and review expiry as of this day (YYYY-MM-DD, or an RFC 3339 time's UTC day), and inventory records stale as of this time; now (UTC) by default")))]
pub struct GateArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// The policy; FLEET/policy.yaml by default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The approved-device list; FLEET/approved-devices.yaml by default.
    #[arg(long, value_name = "FILE")]
    devices: Option<PathBuf>,
    /// Output format on stdout (or in --output).
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = FORMATS)]
    format: Format,
    /// Write the output to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write SARIF 2.1.0 to FILE.
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
    /// Also write JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    #[command(flatten)]
    now: NowArg,
    #[command(flatten)]
    verbosity: VerbosityArgs,
    /// List the rules and their parameters, then exit.
    #[arg(long, exclusive = true)]
    rules: bool,
}

const FORMATS: Formats = Formats::new(&[Format::Human, Format::Json, Format::Sarif, Format::Junit]);

/// Run `strata gate`.
pub fn run(args: GateArgs) -> Result<ExitStatus> {
    if args.rules {
        let text = strata::policy::render_catalogue();
        output::emit(Format::Human, text.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let today = args.now.date();
    let fleet = args.fleet.discover()?;
    let report = gate::gate(
        &fleet.root,
        &GateOptions {
            policy: args.policy.clone(),
            devices: args.devices.clone(),
            today,
            now: crate::args::wall_clock().timestamp(),
            as_of: args.now.time(),
        },
    )?;
    let list = list_location(&fleet.root, &report);
    if let Some(p) = &args.sarif {
        fsutil::write_atomic(p, &render(&report, Format::Sarif, &list)?)?;
    }
    if let Some(p) = &args.junit {
        fsutil::write_atomic(p, &render(&report, Format::Junit, &list)?)?;
    }
    let bytes = match args.format {
        Format::Human => human(&report, args.verbosity).into_bytes(),
        f => render(&report, f, &list)?,
    };
    match &args.output {
        Some(p) => fsutil::write_atomic(p, &bytes)?,
        None => output::emit_painted(args.format, &bytes, |t| paint(t, Painter::stdout()))?,
    }
    if args.format != Format::Human && args.output.is_none() {
        // Machine output on stdout; still say the verdict on stderr.
        output::status(&format!("gate {}", report.result));
    }
    Ok(if report.passed() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// The human report: the verdict only (-q), the findings and the verdict,
/// or every check first (-v).
fn human(report: &GateReport, v: VerbosityArgs) -> String {
    let text = gate::render_human(report);
    if v.quiet {
        return args::verdict_line(&text);
    }
    if !v.verbose {
        return text;
    }
    let mut all = String::new();
    for c in report
        .checks
        .iter()
        .filter(|c| c.verdict == gate::Verdict::Pass)
    {
        all.push_str(&format!("pass[{}] {}\n", c.rule, c.device));
    }
    all + &text
}

/// Verdicts and levels coloured (when stdout is).
fn paint(text: &str, p: Painter) -> String {
    let text = p.line_prefixes(
        text,
        &[
            ("deny", Tone::Bad),
            ("warn", Tone::Warn),
            ("excepted", Tone::Note),
            ("pass", Tone::Good),
            ("warning", Tone::Warn),
        ],
    );
    p.words(&text, &[("PASS", Tone::Good), ("FAIL", Tone::Bad)])
}

fn render(report: &GateReport, format: Format, list: &ListLocation) -> Result<Vec<u8>> {
    let mut text = match format {
        Format::Json => strata::outputs::to_json(report)?,
        Format::Sarif => strata::diag::to_json_pretty(&gate::sarif::render(report, list))?,
        Format::Junit => gate::junit::render(report),
        _ => gate::render_human(report),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text.into_bytes())
}

/// Where SARIF locates the approved-device list: relative to the git work
/// tree holding it (else the working directory), whatever the working
/// directory is.
fn list_location(root: &Path, report: &GateReport) -> ListLocation {
    let full = root.join(&report.devices);
    let full = full.canonicalize().unwrap_or(full);
    let cwd = std::env::current_dir()
        .and_then(|c| c.canonicalize())
        .unwrap_or_default();
    let fleet = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    ListLocation::find(&full, &cwd).with_fleet(fleet)
}
