//! `strata fmt`: canonical formatting of strata files.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{Error, ExitStatus, Result};
use strata::fmt::{FmtOptions, Status};

use crate::color::{Painter, Tone};
use crate::output;

/// Rewrite strata files in canonical form, or check that they are.
///
/// Canonical: keys in the order of the file's JSON Schema (map keys such as
/// vendor ids and rule codes alphabetically), sets sorted, keyed lists
/// sorted (approved devices by id, exceptions by device and rule, reviews by
/// device, digest and date), two-space block layout, short lists of scalars
/// on one line, strings quoted only where a YAML reader could misread them,
/// prose too long for a line folded at 80 columns, text with line breaks
/// kept as a literal block.
///
/// Comments are kept: the header stays on top, a comment above a key or
/// list item moves with it, an end-of-line comment stays on its key's line.
/// Blank lines are not kept (one is written before each commented entry).
/// A file that is invalid for its kind is reported and left alone.
///
/// Each PATH is a strata file, or a directory searched for them
/// (vendors.yaml, designations.yaml, policy.yaml, approved-devices.yaml,
/// reviews.yaml, stack manifests, memo answers), skipping hidden directories
/// and `target`. `-` reads one file from standard input and writes its
/// canonical form to standard output (with --check: the diff).
///
/// Exit status: 0 formatted (or already canonical), 1 with --check when a
/// file is not canonical (a unified diff is printed), 2 invalid file.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata fmt                    # every strata file below the current directory
  strata fmt --check            # CI: print a diff and exit 1 on drift
  strata fmt examples/policy.yaml examples/stacks
  strata fmt --check --skip-unknown policy.yaml .gitlab-ci.yml   # as pre-commit runs it
  strata fmt - < stacks/phone.yaml > phone.canonical.yaml")]
pub struct FmtArgs {
    /// Strata files or directories (`-` for standard input).
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Change nothing; print a diff and exit 1 if a file is not canonical.
    #[arg(long)]
    check: bool,
    /// Skip YAML files named on the command line that are not strata files
    /// instead of refusing them (pre-commit passes every staged YAML file).
    #[arg(long)]
    skip_unknown: bool,
}

/// Run `strata fmt`.
pub fn run(args: FmtArgs) -> Result<ExitStatus> {
    if args.paths.iter().any(|p| strata::fsutil::is_stdin(p)) {
        if args.paths.len() > 1 {
            return Err(Error::Usage(
                "`-` (standard input) cannot be combined with other paths".into(),
            ));
        }
        return run_stdin(args.check);
    }
    let opts = FmtOptions {
        check: args.check,
        skip_unknown: args.skip_unknown,
    };
    let report = strata::fmt::fmt_paths(&args.paths, &opts)?;
    let mut diffs = String::new();
    for f in &report.files {
        if let Some(d) = &f.diff {
            diffs.push_str(d);
        }
    }
    output::emit_painted(crate::args::Format::Human, diffs.as_bytes(), paint_diff)?;
    output::report_diagnostics(&report.errors);
    let total = report.files.len();
    let files = |n: usize| strata::table::count(n as u64, "strata file");
    if args.check {
        let drift = report.drift();
        output::status(&format!(
            "{} not in canonical form (of {total} checked){}",
            files(drift),
            if drift > 0 { "; run `strata fmt`" } else { "" }
        ));
    } else {
        for f in report
            .files
            .iter()
            .filter(|f| f.status == Status::Reformatted)
        {
            output::status(&format!("formatted {}", f.path.display()));
        }
        output::status(&format!(
            "{} reformatted (of {total} found)",
            files(report.reformatted())
        ));
    }
    Ok(if !report.errors.is_empty() {
        ExitStatus::Error
    } else if report.drift() > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// `strata fmt -`: canonical text (or, with --check, the diff) on stdout.
fn run_stdin(check: bool) -> Result<ExitStatus> {
    let text = strata::fsutil::read_input_text(Path::new("-"))?;
    let (out, result) = strata::fmt::fmt_text(&text)?;
    let drift = result.status != Status::Canonical;
    match (check, &result.diff) {
        (true, Some(d)) => {
            output::emit_painted(crate::args::Format::Human, d.as_bytes(), paint_diff)?
        }
        (true, None) => {}
        // The canonical file itself: written as it is, like a file would be.
        (false, _) => {
            output::stdout(out.as_bytes()).map_err(|e| Error::io(Path::new("<stdout>"), e))?
        }
    }
    Ok(if check && drift {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// A unified diff with removed lines red and added lines green (when
/// stdout is coloured).
fn paint_diff(diff: &str) -> String {
    let p = Painter::stdout();
    diff.split_inclusive('\n')
        .map(|line| {
            let tone = if line.starts_with("+++") || line.starts_with("---") {
                None
            } else if line.starts_with('+') {
                Some(Tone::Good)
            } else if line.starts_with('-') {
                Some(Tone::Bad)
            } else if line.starts_with("@@") {
                Some(Tone::Note)
            } else {
                None
            };
            match tone {
                Some(t) => {
                    let body = line.trim_end_matches('\n');
                    format!("{}{}", p.paint(body, t), &line[body.len()..])
                }
                None => line.to_string(),
            }
        })
        .collect()
}
