//! `strata man DIR`: manual pages for strata and every subcommand,
//! generated from the command-line definition (clap_mangen).

use std::path::PathBuf;

use clap::{Args, CommandFactory};
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;

use super::Cli;
use crate::output;

/// Write manual pages (roff, section 1) into DIR: strata.1 and one page per
/// subcommand (strata-gate.1, strata-model-verify.1, ...).
///
/// The pages are generated from strata's own help texts, so they match this
/// binary. Each page is written atomically; existing pages of the same name
/// are replaced.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata man ~/.local/share/man/man1 && man strata-gate
  sudo strata man /usr/local/share/man/man1
  strata man target/man && man -l target/man/strata.1")]
pub struct ManArgs {
    /// Directory to write the pages into (created if missing).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// Every page: file name and roff text.
pub fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            walk(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd).source(concat!("strata ", env!("CARGO_PKG_VERSION")));
        let mut buf = Vec::new();
        man.render(&mut buf)
            .map_err(|e| Error::internal("cannot render a manual page", e))?;
        out.push((man.get_filename(), buf));
        Ok(())
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(cmd, &mut out)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Run `strata man`.
pub fn run(args: ManArgs) -> Result<ExitStatus> {
    let pages = pages()?;
    for (name, text) in &pages {
        fsutil::write_atomic(&args.dir.join(name), text)?;
    }
    output::status(&format!(
        "wrote {} manual pages to {}",
        pages.len(),
        args.dir.display()
    ));
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_per_command_each_naming_it() {
        let pages = pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for n in [
            "strata.1",
            "strata-gate.1",
            "strata-model-verify.1",
            "strata-review-approve.1",
            "strata-completions.1",
            "strata-man.1",
        ] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        let top = &pages.iter().find(|(n, _)| n == "strata.1").unwrap().1;
        let top = String::from_utf8_lossy(top);
        assert!(top.starts_with(".ie"), "{}", &top[..40]);
        for sub in Cli::command().get_subcommands() {
            // roff writes a hyphen as `\-`.
            let name = sub.get_name().replace('-', "\\-");
            assert!(top.contains(&name), "strata.1 lacks `{name}`");
        }
        for (name, text) in &pages {
            let text = String::from_utf8_lossy(text);
            let cmd = name.trim_end_matches(".1");
            assert!(text.contains(".TH"), "{name}");
            assert!(
                text.contains(&cmd.replace('-', "\\-")),
                "{name} does not name itself"
            );
        }
    }
}
