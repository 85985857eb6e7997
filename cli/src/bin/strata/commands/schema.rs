//! `strata schema NAME`: print the JSON Schema of a strata file kind.

use clap::Args;
use strata::diag::{Error, ExitStatus, Result};
use strata::model::{SCHEMA_NAMES, schema_source};

use crate::output;

/// Print the JSON Schema of a strata file (stack, vendors, designations,
/// policy, approved-devices, reviews, answers).
///
/// The schemas are embedded in the binary; editors can use them for
/// completion and validation (e.g. `# yaml-language-server: $schema=...`).
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  strata schema stack > stack.schema.json\n  strata schema --list"
)]
pub struct SchemaArgs {
    /// The file kind.
    #[arg(required_unless_present = "list", value_parser = clap::builder::PossibleValuesParser::new(SCHEMA_NAMES))]
    name: Option<String>,
    /// List the available schema names.
    #[arg(long)]
    list: bool,
}

/// Run `strata schema`.
pub fn run(args: SchemaArgs) -> Result<ExitStatus> {
    let text = if args.list {
        SCHEMA_NAMES.join("\n") + "\n"
    } else {
        let name = args.name.unwrap_or_default();
        schema_source(&name)
            .ok_or_else(|| Error::Usage(format!("unknown schema `{name}`")))?
            .to_string()
    };
    output::stdout(text.as_bytes()).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))?;
    Ok(ExitStatus::Success)
}
