//! `strata explain CODE`: what a diagnostic code means and how to fix it,
//! as `rustc --explain` does.

use clap::Args;
use serde_json::json;
use strata::diag::{Code, Error, ExitStatus, Result};

use crate::args::{Format, HUMAN_JSON};
use crate::output;

/// Explain a diagnostic code: what it means, its common causes and how to
/// fix it.
///
/// Every error and warning strata reports carries a stable code, e.g.
/// `error[unknown-key]`. `strata explain unknown-key` prints its
/// explanation; `strata explain --list` lists every code with one line.
/// The same text is in docs/diagnostics.md.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata explain unknown-key
  strata explain 'error[unknown-key]'
  strata explain --list
  strata explain --list --format json | jq -r '.codes[].code'")]
pub struct ExplainArgs {
    /// The code, e.g. `unknown-key` (`error[unknown-key]` is accepted too).
    #[arg(
        value_name = "CODE",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    code: Option<String>,
    /// List every code with its one-line summary.
    #[arg(long)]
    list: bool,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
}

/// Run `strata explain`.
pub fn run(args: ExplainArgs) -> Result<ExitStatus> {
    let as_json = args.format == Format::Json;
    let text = match (&args.code, as_json) {
        (None, false) => list_human(),
        (None, true) => {
            let all: Vec<_> = Code::ALL
                .iter()
                .map(|c| json!({"code": c, "summary": c.summary()}))
                .collect();
            strata::outputs::to_json(&json!({ "codes": all }))?
        }
        (Some(name), as_json) => {
            let code = lookup(name)?;
            if as_json {
                let v = json!({
                    "code": code,
                    "summary": code.summary(),
                    "explanation": code.explanation(),
                });
                strata::outputs::to_json(&v)?
            } else {
                // As `rustc --explain`: the explanation, whose first
                // sentence says what the code means.
                code.explanation().to_string()
            }
        }
    };
    output::emit(args.format, text.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The code `name` names, also when pasted as `error[name]` or
/// `warning[name]`; otherwise a usage error with the nearest code.
fn lookup(name: &str) -> Result<Code> {
    let trimmed = name.trim();
    let bare = ["error[", "warning[", "note[", "["]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .and_then(|rest| rest.split(']').next())
        .unwrap_or(trimmed);
    if let Some(code) = Code::from_name(bare) {
        return Ok(code);
    }
    let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let hint = match strata::model::suggest(bare, &names) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    Err(Error::Usage(format!(
        "`{bare}` is not a strata diagnostic code; {hint}`strata explain --list` lists them all"
    )))
}

/// One line per code: the code, padded, and its summary.
fn list_human() -> String {
    let width = Code::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    Code::ALL
        .iter()
        .map(|c| format!("{:width$}  {}\n", c.as_str(), c.summary()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_found_and_listed() {
        for &c in Code::ALL {
            assert_eq!(lookup(c.as_str()).unwrap(), c);
        }
        let list = list_human();
        assert_eq!(list.lines().count(), Code::ALL.len());
        assert!(list.lines().any(|l| l.starts_with("unknown-key ")));
    }

    #[test]
    fn pasted_headers_are_accepted() {
        assert_eq!(lookup("error[unknown-key]").unwrap(), Code::UnknownKey);
        assert_eq!(
            lookup("warning[exception-expired]").unwrap(),
            Code::ExceptionExpired
        );
        assert_eq!(lookup(" yaml-syntax\n").unwrap(), Code::YamlSyntax);
    }

    #[test]
    fn unknown_codes_are_usage_errors_with_a_suggestion() {
        let e = lookup("unkown-key").unwrap_err();
        assert!(matches!(e, Error::Usage(_)));
        assert_eq!(
            e.to_string(),
            "`unkown-key` is not a strata diagnostic code; did you mean `unknown-key`? \
             `strata explain --list` lists them all"
        );
        let e = lookup("zzzzzzzzzzzzzz").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`zzzzzzzzzzzzzz` is not a strata diagnostic code; `strata explain --list` lists them all"
        );
    }
}
