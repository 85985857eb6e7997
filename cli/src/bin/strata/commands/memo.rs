//! `strata memo`: DPIA and procurement memos from the fleet's evidence.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::memo::{self, MemoFormat, MemoKind, MemoOptions, Rendered};

use crate::args::{self, CountsArg, FleetOpt, Format, Formats, NowArg};
use crate::output;

/// Render a DPIA (GDPR Art. 35) or a procurement memo from the evidence.
///
/// Every claim cites the evidence register (attestation digest and status,
/// evidence digests, list snapshots with dates, sourced facts). What only
/// people can answer (purposes, lawful basis, necessity, measures, residual
/// risk, DPO advice, sign-off) comes from `--answers FILE`
/// (`strata schema answers`); `--final` refuses to render while a required
/// section is empty (exit 1), and writes a final memo (no draft marking, the
/// document's version) with a sidecar `FILE.binding.json` holding the SHA-256 of
/// the memo and of each answers file. Templates are built in and can be overridden
/// file by file with `--template DIR` (see templates/CONTEXT.md). With
/// `--counts observed` the figures weigh the devices the inventories named in
/// policy.yaml see in use (see `strata analyze --help`), and the memo says so.
/// When the policy names inventories, the fleet memo (`--all`) carries the
/// report's "Seen but not approved" section.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata memo dpia xiaomi-15s-pro-cn --fleet examples
  strata memo dpia xiaomi-15s-pro-cn --fleet examples --answers answers.yaml --final \\
      --format html -o dpia.html
  strata memo procurement pixel-9-pro --fleet examples
  strata memo procurement --all --fleet examples --format html -o fleet.html
  strata memo procurement --all --fleet examples --counts observed   # the fleet the MDM sees
  strata memo dpia laptop --fleet examples --dump-context | jq '.risks'
  strata memo dpia laptop --fleet examples --template my-templates/",
    mut_arg("now", |a| a.help("The memo's date (YYYY-MM-DD, or an RFC 3339 time's UTC day), and the time inventory records are judged stale against; today (UTC) by default")))]
pub struct MemoArgs {
    /// Which memo.
    #[arg(value_enum)]
    kind: Kind,
    /// The device id (omit with --all).
    #[arg(required_unless_present = "all")]
    device: Option<String>,
    /// Procurement memo summarising every device of the fleet.
    #[arg(long, conflicts_with = "device")]
    all: bool,
    #[command(flatten)]
    fleet: FleetOpt,
    /// Deprecated spelling of --fleet.
    #[arg(
        short = 'C',
        long = "root",
        value_name = "DIR",
        hide = true,
        conflicts_with = "fleet"
    )]
    root: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Md, value_parser = Formats::new(&[Format::Md, Format::Html]))]
    format: Format,
    /// Directory of templates overriding the built-in ones by file name.
    #[arg(long, value_name = "DIR")]
    template: Option<PathBuf>,
    /// Answers file (YAML; `strata schema answers`). With --all, repeat it:
    /// one file per device (naming its `device`; it applies to that device
    /// only) and at most one without `device` for the fleet memo itself.
    #[arg(long, value_name = "FILE")]
    answers: Vec<PathBuf>,
    /// Refuse to render while a required section is unanswered.
    #[arg(long = "final")]
    final_: bool,
    /// Cite an earlier final memo by its binding sidecar (FILE.binding.json
    /// from `--final -o FILE`) in the evidence register, after checking the
    /// memo beside it still has the SHA-256 the binding recorded. Repeatable.
    #[arg(long, value_name = "BINDING")]
    cite: Vec<PathBuf>,
    /// Print the template context as JSON instead of rendering.
    #[arg(long)]
    dump_context: bool,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    now: NowArg,
    #[command(flatten)]
    counts: CountsArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Data-protection impact assessment draft.
    Dpia,
    /// Procurement memo.
    Procurement,
}

/// Rewrite the old boolean `--fleet` of `strata memo` (every device; now
/// --all) to `--all`, with a note, for one release: a `--fleet` that no DIR
/// follows. `--fleet DIR` names the fleet.
pub fn rewrite_old_fleet_flag(argv: &mut [OsString]) {
    if argv.get(1).is_none_or(|a| a != "memo") {
        return;
    }
    let mut i = 2;
    while i < argv.len() && argv[i] != "--" {
        if argv[i] == "--fleet" {
            let has_dir = argv
                .get(i + 1)
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('-'));
            if has_dir {
                i += 1;
            } else {
                args::deprecated("`strata memo --fleet` without DIR", "--all");
                argv[i] = OsString::from("--all");
            }
        }
        i += 1;
    }
}

/// Run `strata memo`.
pub fn run(args: MemoArgs) -> Result<ExitStatus> {
    let date = args.now.date();
    let all = args.all;
    if all && args.kind == Kind::Dpia {
        return Err(Error::Usage(
            "--all is for procurement memos; a DPIA is per device".into(),
        ));
    }
    if !all && args.answers.len() > 1 {
        return Err(Error::Usage(
            "a device memo takes one --answers file; repeat --answers only with --all".into(),
        ));
    }
    let dir = args::or_deprecated(
        args.fleet.fleet.clone(),
        args.root.clone(),
        "--root",
        "--fleet",
    );
    let fleet = FleetOpt { fleet: dir }.discover()?;
    let opts = MemoOptions {
        kind: match (args.kind, all) {
            (_, true) => MemoKind::Fleet,
            (Kind::Dpia, false) => MemoKind::Dpia,
            (Kind::Procurement, false) => MemoKind::Procurement,
        },
        format: match args.format {
            Format::Html => MemoFormat::Html,
            _ => MemoFormat::Markdown,
        },
        template_dir: args.template.clone(),
        answers: args.answers.clone(),
        final_: args.final_,
        date,
        now: crate::args::wall_clock().timestamp(),
        observed: args.counts.observed(),
        as_of: args.now.time(),
        cite: args.cite.clone(),
    };
    let device = if all { None } else { args.device.as_deref() };
    let text = if args.dump_context {
        strata::diag::to_json_pretty(&memo::context(&fleet.root, device, &opts)?)? + "\n"
    } else {
        match memo::render(&fleet.root, device, &opts)? {
            Rendered::Text(t) => t,
            Rendered::Final { text, version } => {
                let Some(out) = &args.output else {
                    return Err(Error::Usage(
                        "--final writes the memo and its sidecar (SHA-256 of the memo and the answers): give -o FILE".into(),
                    ));
                };
                let name = out
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let sidecar = memo::binding(&opts, device, &name, text.as_bytes(), Some(&version))?;
                fsutil::write_atomic(out, text.as_bytes())?;
                fsutil::write_atomic(&memo::sidecar_path(out), sidecar.as_bytes())?;
                return Ok(ExitStatus::Success);
            }
            Rendered::Incomplete(missing) => {
                output::report_diagnostics(&missing);
                output::status(&format!(
                    "memo not rendered: {} required section(s) empty (drop --final for a draft)",
                    missing.len()
                ));
                return Ok(ExitStatus::Failure);
            }
        }
    };
    match &args.output {
        Some(p) => fsutil::write_atomic(p, text.as_bytes())?,
        None => output::emit(args.format, text.as_bytes())?,
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(argv: &str) -> String {
        let mut v: Vec<OsString> = argv.split(' ').map(OsString::from).collect();
        rewrite_old_fleet_flag(&mut v);
        let v: Vec<String> = v.iter().map(|a| a.to_string_lossy().into_owned()).collect();
        v.join(" ")
    }

    #[test]
    fn a_fleet_flag_without_dir_is_the_old_all() {
        for (argv, want) in [
            (
                "strata memo procurement --fleet",
                "strata memo procurement --all",
            ),
            (
                "strata memo procurement --fleet -C ex",
                "strata memo procurement --all -C ex",
            ),
            (
                "strata memo procurement --all --fleet ex",
                "strata memo procurement --all --fleet ex",
            ),
            (
                "strata memo dpia x --fleet -- --fleet",
                "strata memo dpia x --all -- --fleet",
            ),
            (
                "strata review approve x --fleet",
                "strata review approve x --fleet",
            ),
        ] {
            assert_eq!(rewritten(argv), want);
        }
    }
}
