//! `strata memo`: DPIA and procurement memos from the fleet's evidence.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::memo::{self, MemoFormat, MemoKind, MemoOptions, Rendered};

use crate::output;

/// Render a DPIA (GDPR Art. 35) or a procurement memo from the evidence.
///
/// Every claim cites the evidence register (attestation digest and status,
/// evidence digests, list snapshots with dates, sourced facts). What only
/// people can answer (purposes, lawful basis, necessity, measures, residual
/// risk, DPO advice, sign-off) comes from `--answers FILE`
/// (`strata schema answers`); `--final` refuses to render while a required
/// section is empty (exit 1). Templates are built in and can be overridden
/// file by file with `--template DIR` (see templates/CONTEXT.md).
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata memo dpia xiaomi-15s-pro-cn -C examples
  strata memo dpia xiaomi-15s-pro-cn -C examples --answers answers.yaml --final --format html -o dpia.html
  strata memo procurement pixel-9-pro -C examples
  strata memo procurement --fleet -C examples --format html -o fleet.html
  strata memo dpia laptop -C examples --dump-context | jq '.risks'
  strata memo dpia laptop -C examples --template my-templates/")]
pub struct MemoArgs {
    /// Which memo.
    #[arg(value_enum)]
    kind: Kind,
    /// The device id (omit with --fleet).
    #[arg(required_unless_present = "fleet")]
    device: Option<String>,
    /// Procurement memo summarising every device of the fleet.
    #[arg(long, conflicts_with = "device")]
    fleet: bool,
    /// The fleet root (a directory with vendors.yaml, or below one); the
    /// current directory when omitted.
    #[arg(short = 'C', long = "root", value_name = "DIR")]
    root: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Directory of templates overriding the built-in ones by file name.
    #[arg(long, value_name = "DIR")]
    template: Option<PathBuf>,
    /// Answers file (YAML; `strata schema answers`).
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Refuse to render while a required section is unanswered.
    #[arg(long = "final")]
    final_: bool,
    /// Print the template context as JSON instead of rendering.
    #[arg(long)]
    dump_context: bool,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The memo's date (YYYY-MM-DD); today (UTC) by default.
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Data-protection impact assessment draft.
    Dpia,
    /// Procurement memo.
    Procurement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Markdown.
    Md,
    /// Self-contained HTML.
    Html,
}

/// Run `strata memo`.
pub fn run(args: MemoArgs) -> Result<ExitStatus> {
    let date = super::date_arg(args.now.as_deref())?;
    if args.fleet && args.kind == Kind::Dpia {
        return Err(Error::Usage(
            "--fleet is for procurement memos; a DPIA is per device".into(),
        ));
    }
    let fleet = super::fleet_arg(args.root.as_deref())?;
    let opts = MemoOptions {
        kind: match (args.kind, args.fleet) {
            (_, true) => MemoKind::Fleet,
            (Kind::Dpia, false) => MemoKind::Dpia,
            (Kind::Procurement, false) => MemoKind::Procurement,
        },
        format: match args.format {
            Format::Md => MemoFormat::Markdown,
            Format::Html => MemoFormat::Html,
        },
        template_dir: args.template.clone(),
        answers: args.answers.clone(),
        final_: args.final_,
        date,
    };
    let device = if args.fleet {
        None
    } else {
        args.device.as_deref()
    };
    let text = if args.dump_context {
        strata::diag::to_json_pretty(&memo::context(&fleet.root, device, &opts)?)? + "\n"
    } else {
        match memo::render(&fleet.root, device, &opts)? {
            Rendered::Text(t) => t,
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
        None => output::stdout(text.as_bytes()).map_err(|e| Error::io(Path::new("<stdout>"), e))?,
    }
    Ok(ExitStatus::Success)
}
