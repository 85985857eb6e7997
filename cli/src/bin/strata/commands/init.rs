//! `strata init`: write a working starter fleet.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{ExitStatus, Result};

use crate::output;

/// Write a starter fleet: vendors, designations, policy, approved devices
/// and one example stack with its evidence. `strata assemble` and
/// `strata validate` accept it as is; edit it from there.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata init my-fleet
  strata assemble my-fleet/stacks/example-phone.yaml -o phone.cdx.json
  strata validate phone.cdx.json")]
pub struct InitArgs {
    /// Directory to create the fleet in.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

/// Run `strata init`.
pub fn run(args: InitArgs) -> Result<ExitStatus> {
    for p in strata::init::init(&args.dir, args.force)? {
        output::status(&format!("wrote {}", p.display()));
    }
    Ok(ExitStatus::Success)
}
