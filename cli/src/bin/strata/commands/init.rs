//! `strata init`: write a working starter fleet.

use std::path::Path;

use clap::Args;
use strata::diag::{ExitStatus, Result};

use crate::args::FleetArgs;
use crate::output;

/// Write a starter fleet: vendors, designations, policy, approved devices
/// and one example stack with its evidence. `strata assemble` and
/// `strata validate` accept it as is; edit it from there.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata init my-fleet
  strata assemble my-fleet/stacks/example-phone.yaml -o phone.cdx.json
  strata validate phone.cdx.json
  strata analyze my-fleet",
    mut_arg("fleet", |a| a.help("Directory to create the fleet in (created if missing); the current directory when omitted")),
    mut_arg("fleet_dir", |a| a.help("The same as FLEET")))]
pub struct InitArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

/// Run `strata init`.
pub fn run(args: InitArgs) -> Result<ExitStatus> {
    let dir = args.fleet.dir().unwrap_or(Path::new("."));
    for p in strata::init::init(dir, args.force)? {
        output::status(&format!("wrote {}", p.display()));
    }
    Ok(ExitStatus::Success)
}
