//! `strata gate`: judge the approved-device list against the policy, for CI.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::fsutil;
use strata::gate::{self, GateOptions, GateReport};

use crate::args::{FleetArgs, Format, Formats, NowArg};
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
    mut_arg("now", |a| a.help("Judge exception expiry as of this day (YYYY-MM-DD, or an RFC 3339 time's UTC day); today (UTC) by default")))]
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
        },
    )?;
    let uri = |rel: &str| repo_uri(&fleet.root, rel);
    if let Some(p) = &args.sarif {
        fsutil::write_atomic(p, &render(&report, Format::Sarif, &uri)?)?;
    }
    if let Some(p) = &args.junit {
        fsutil::write_atomic(p, &render(&report, Format::Junit, &uri)?)?;
    }
    let bytes = render(&report, args.format, &uri)?;
    match &args.output {
        Some(p) => fsutil::write_atomic(p, &bytes)?,
        None => output::emit(args.format, &bytes)?,
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

fn render(report: &GateReport, format: Format, uri: &dyn Fn(&str) -> String) -> Result<Vec<u8>> {
    let mut text = match format {
        Format::Json => strata::diag::to_json_pretty(report)?,
        Format::Sarif => strata::diag::to_json_pretty(&gate::sarif::render(report, uri))?,
        Format::Junit => gate::junit::render(report),
        _ => gate::render_human(report),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text.into_bytes())
}

/// A path relative to the fleet root (the approved-device list, an
/// inventory), relative to the current directory instead (the repository
/// root in CI), with `/` separators, for SARIF locations.
fn repo_uri(root: &Path, rel: &str) -> String {
    let full = root.join(rel);
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok());
    let full_c = full.canonicalize().unwrap_or(full.clone());
    let rel = match cwd {
        Some(c) => full_c
            .strip_prefix(&c)
            .map(Path::to_path_buf)
            .unwrap_or(full_c),
        None => full,
    };
    rel.to_string_lossy().replace('\\', "/")
}
