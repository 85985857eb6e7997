//! `strata schema NAME`: print the JSON Schema of a strata file kind or of
//! a JSON output.

use clap::Args;
use clap::builder::PossibleValuesParser;
use strata::diag::{Error, ExitStatus, Result};
use strata::model::{SCHEMA_NAMES, schema_source};

use crate::output;

/// Print the JSON Schema of a strata file (stack, vendors, designations,
/// policy, approved-devices, reviews, answers) or of a JSON output
/// (output-gate, output-report, ...).
///
/// The schemas are embedded in the binary. Editors can use the file
/// schemas for completion and validation (e.g. `# yaml-language-server:
/// $schema=...`); CI jobs can pin the output schemas: every JSON document
/// strata prints starts with `schema_version`, which changes only when a
/// key is removed, renamed or retyped. The same files are in `schemas/` and
/// `schemas/output/` of the repository.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata schema stack > stack.schema.json
  strata schema output-gate > gate-output.schema.json
  strata schema --list")]
pub struct SchemaArgs {
    /// The file kind or output.
    #[arg(required_unless_present = "list", value_parser = PossibleValuesParser::new(names()))]
    name: Option<String>,
    /// List the available schema names.
    #[arg(long)]
    list: bool,
}

/// Every schema name: the file kinds, then the outputs.
fn names() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = SCHEMA_NAMES.to_vec();
    all.extend(strata::outputs::schema_names());
    all
}

/// Run `strata schema`.
pub fn run(args: SchemaArgs) -> Result<ExitStatus> {
    let text = if args.list {
        names().join("\n") + "\n"
    } else {
        let name = args.name.unwrap_or_default();
        schema_source(&name)
            .map(str::to_string)
            .or_else(|| strata::outputs::schema_source(&name))
            .ok_or_else(|| Error::Usage(format!("unknown schema `{name}`")))?
    };
    output::stdout(text.as_bytes()).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))?;
    Ok(ExitStatus::Success)
}
