//! `strata fmt`: canonical formatting of strata files.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{ExitStatus, Result};

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
/// PATH is a strata file, or a directory searched for them (vendors.yaml,
/// designations.yaml, policy.yaml, approved-devices.yaml, reviews.yaml,
/// stack manifests, memo answers), skipping hidden directories and `target`.
///
/// Exit status: 0 formatted (or already canonical), 1 with --check when a
/// file is not canonical (a unified diff is printed), 2 invalid file.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata fmt                    # every strata file below the current directory
  strata fmt --check            # CI: print a diff and exit 1 on drift
  strata fmt examples/policy.yaml")]
pub struct FmtArgs {
    /// A strata file or a directory.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    /// Change nothing; print a diff and exit 1 if a file is not canonical.
    #[arg(long)]
    check: bool,
}

/// Run `strata fmt`.
pub fn run(args: FmtArgs) -> Result<ExitStatus> {
    let report = strata::fmt::fmt(&args.path, args.check)?;
    let mut diffs = String::new();
    for f in &report.files {
        if let Some(d) = &f.diff {
            diffs.push_str(d);
        }
    }
    output::emit(crate::args::Format::Human, diffs.as_bytes())?;
    output::report_diagnostics(&report.errors);
    let total = report.files.len();
    if args.check {
        let drift = report.drift();
        output::status(&format!(
            "{drift} of {total} strata files not in canonical form{}",
            if drift > 0 { "; run `strata fmt`" } else { "" }
        ));
    } else {
        for f in report
            .files
            .iter()
            .filter(|f| f.status == strata::fmt::Status::Reformatted)
        {
            output::status(&format!("formatted {}", f.path.display()));
        }
        output::status(&format!(
            "{} of {total} strata files reformatted",
            report.reformatted()
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
