//! `strata init`: write a starter fleet wired end to end.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{ExitStatus, Result};

use crate::args::FleetArgs;
use crate::output;

/// Write a starter fleet wired end to end, with a demo signing key.
///
/// The fleet: vendors, designations, a policy, an approved-device list
/// naming each device's attestation, one example stack with its evidence,
/// and a demo signing key pair (generated here, for trying strata only;
/// the private key is git-ignored) that the policy's `unsigned-attestation`
/// rule verifies against.
///
/// Prints the next three commands: assemble and sign the attestation, run
/// the gate, and read the report. Inside a git repository it also says
/// what to commit and how to enable the reviews merge driver.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata init my-fleet
  strata assemble my-fleet/stacks --out-dir my-fleet/attestations \\
      --sign my-fleet/keys/demo-signing-key.pem
  strata gate my-fleet
  strata report my-fleet",
    mut_arg("fleet", |a| a.help("Directory to create the fleet in (created if missing); the current directory when omitted")),
    mut_arg("fleet_dir", |a| a.help("The same as FLEET")))]
pub struct InitArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Overwrite existing files (and replace the demo key pair).
    #[arg(long)]
    force: bool,
}

/// Run `strata init`.
pub fn run(args: InitArgs) -> Result<ExitStatus> {
    let dir = args.fleet.dir().unwrap_or(Path::new("."));
    for p in strata::init::init(dir, args.force)? {
        output::status(&format!("wrote {}", p.display()));
    }
    output::status(&format!(
        "\n{} is a demo key for trying strata (see {}); replace it before relying on the gate.",
        dir.join(strata::init::DEMO_KEY).display(),
        dir.join("keys/README.md").display()
    ));
    output::status("\nNext:");
    for c in strata::init::next_commands(dir) {
        output::status(&format!("  {c}"));
    }
    if let Some((top, rel)) = git_toplevel(dir) {
        let pattern = format!("{rel}attestations/*/reviews.yaml merge=strata-reviews");
        output::status(&format!(
            "\nThe fleet is in the git repository at {}: commit it (the demo private key is \
             git-ignored). To merge reviews entry by entry, add the line\n  {pattern}\n\
             to {} and run once per clone:\n  \
             git config merge.strata-reviews.driver \"strata review merge %O %A %B\"",
            top.display(),
            top.join(".gitattributes").display()
        ));
    }
    Ok(ExitStatus::Success)
}

/// The top of the git work tree holding `dir`, and `dir` relative to it
/// (`""` or ending in `/`), when there is one.
fn git_toplevel(dir: &Path) -> Option<(PathBuf, String)> {
    let repo = git2::Repository::discover(dir).ok()?;
    let top = repo.workdir()?.canonicalize().ok()?;
    let here = dir.canonicalize().ok()?;
    let rel = here.strip_prefix(&top).ok()?;
    let mut rel = rel.to_string_lossy().replace('\\', "/");
    if !rel.is_empty() {
        rel.push('/');
    }
    Some((top, rel))
}
