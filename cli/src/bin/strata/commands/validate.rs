//! `strata validate FILE...`: validate SBOMs (CycloneDX JSON and XML, SPDX
//! JSON) against the embedded official schemas, then check identifiers and
//! references.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};
use strata::diag::{Error, ExitStatus, Result, Severity};
use strata::fsutil;
use strata::validate::{self, MAX_BOM_BYTES, Options, Report};

use crate::args::{Format, HUMAN_JSON, QuietArg};
use crate::color::{Painter, VERDICT_PREFIXES};
use crate::output;

/// Validate SBOMs: CycloneDX JSON and XML 1.2–1.7, SPDX 2.3 JSON.
///
/// The format is told by content, not by file name. Each file is checked
/// against the official schema of its format and version, embedded in
/// strata (nothing is fetched over the network):
///
/// CycloneDX JSON: the JSON schema of its `specVersion`, with the SPDX, JSF
/// and cryptography schemas it references; formats such as `date-time` and
/// `iri-reference` are enforced. 1.2 and 1.3 are checked against their
/// strict variants with --strict.
///
/// CycloneDX XML: the XSD of the version its namespace names, with libxml2;
/// no DTD, no entities, no network, at most 64 MiB.
///
/// SPDX 2.3 JSON: the SPDX 2.3 JSON schema; the summary shows the document
/// namespace, creators and package count.
///
/// A second pass checks what the schemas cannot: duplicate bom-refs or
/// SPDXIDs, references that name nothing, and a `$schema` that disagrees
/// with `specVersion`. Those are warnings, or errors with --strict. SPDX
/// tag-value, RDF and YAML, and SPDX 3, are refused with an error naming
/// what is supported.
///
/// Every error names the file and line (and for JSON the column and the
/// JSON pointer of the offending value). `-` reads standard input.
///
/// Exit status: 0 every file valid, 1 some file invalid, 2 some file
/// unreadable, not well-formed or in an unsupported format (the worst over
/// all files).
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata validate vendor-sbom.cdx.json vendor-sbom.cdx.xml os.spdx.json
  strata validate --strict attestations/*/bom.cdx.json
  strata validate --format json sboms/*.json > report.json
  curl -s https://example.com/sbom.json | strata validate -")]
pub struct ValidateArgs {
    /// SBOM files (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Treat semantic findings (duplicate or dangling bom-refs and SPDXIDs,
    /// `$schema` mismatch) as errors, and check CycloneDX 1.2 and 1.3 JSON
    /// against their strict schemas.
    #[arg(long)]
    strict: bool,
    /// Output format: diagnostics on stderr and one verdict line per file on
    /// stdout, or one JSON document with every file's result and
    /// diagnostics.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
    #[command(flatten)]
    quiet: QuietArg,
}

/// The result for one file: a report, or why it could not be judged.
enum Outcome {
    Judged(Box<Report>),
    Unreadable(PathBuf, Error),
}

impl Outcome {
    fn status(&self, strict: bool) -> ExitStatus {
        match self {
            Outcome::Judged(r) if r.is_valid(strict) => ExitStatus::Success,
            Outcome::Judged(_) => ExitStatus::Failure,
            Outcome::Unreadable(..) => ExitStatus::Error,
        }
    }
}

/// Run `strata validate`.
pub fn run(args: ValidateArgs) -> Result<ExitStatus> {
    let opts = Options {
        strict: args.strict,
        ..Options::default()
    };
    if args.files.iter().filter(|f| fsutil::is_stdin(f)).count() > 1 {
        return Err(Error::Usage(
            "standard input (`-`) can be validated only once".into(),
        ));
    }
    let outcomes: Vec<Outcome> = args
        .files
        .iter()
        .map(|path| {
            let result = if fsutil::is_stdin(path) {
                fsutil::read_input(path, MAX_BOM_BYTES).and_then(|bytes| {
                    validate::validate_bytes(Path::new(fsutil::STDIN_NAME), &bytes, &opts)
                })
            } else {
                validate::validate_file(path, &opts)
            };
            match result {
                Ok(report) => Outcome::Judged(Box::new(report)),
                Err(e) => Outcome::Unreadable(path.clone(), e),
            }
        })
        .collect();
    let worst = outcomes
        .iter()
        .map(|o| o.status(args.strict))
        .max_by_key(|s| s.code())
        .unwrap_or(ExitStatus::Success);
    let text = match args.format {
        Format::Json => {
            let doc = json!({
                "valid": worst == ExitStatus::Success,
                "strict": args.strict,
                "files": outcomes.iter().map(|o| file_json(o, args.strict)).collect::<Vec<_>>(),
            });
            strata::outputs::to_json(&doc)?
        }
        _ if args.quiet.quiet => summary(&outcomes, args.strict),
        _ => human(&outcomes, args.strict),
    };
    output::emit_painted(args.format, text.as_bytes(), |t| {
        Painter::stdout().line_prefixes(t, VERDICT_PREFIXES)
    })?;
    Ok(worst)
}

/// -q: one line, the verdict over every file (nothing on stderr).
fn summary(outcomes: &[Outcome], strict: bool) -> String {
    let bad: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Judged(r) if r.is_valid(strict) => None,
            Outcome::Judged(r) => Some(r.file.display().to_string()),
            Outcome::Unreadable(p, _) => Some(p.display().to_string()),
        })
        .collect();
    let files = plural(outcomes.len(), "file");
    if bad.is_empty() {
        format!("valid: {files}\n")
    } else {
        format!("invalid: {} of {files} ({})\n", bad.len(), bad.join(", "))
    }
}

/// Diagnostics to stderr as they are rendered; verdict lines returned for stdout.
fn human(outcomes: &[Outcome], strict: bool) -> String {
    let mut text = String::new();
    for o in outcomes {
        match o {
            Outcome::Judged(r) => {
                output::report_diagnostics(&r.diagnostics);
                let mut facts = vec![r.describe()];
                facts.extend(summary_facts(r));
                let (errors, warnings) = (r.count(Severity::Error), r.count(Severity::Warning));
                if errors > 0 {
                    facts.push(plural(errors, "error"));
                }
                if warnings > 0 {
                    facts.push(plural(warnings, "warning"));
                }
                let verdict = if r.is_valid(strict) {
                    "valid"
                } else {
                    "invalid"
                };
                text.push_str(&format!(
                    "{verdict}: {} ({})\n",
                    r.file.display(),
                    facts.join(", ")
                ));
            }
            Outcome::Unreadable(path, e) => {
                output::report_diagnostics(&e.diagnostics());
                text.push_str(&format!("unreadable: {}\n", path.display()));
            }
        }
    }
    text
}

/// What a judged document says about itself, for the verdict line.
fn summary_facts(r: &Report) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(s) = &r.spdx {
        facts.push(plural(s.package_count, "package"));
        if let Some(ns) = &s.document_namespace {
            facts.push(format!("namespace {ns}"));
        }
        if !s.creators.is_empty() {
            facts.push(format!("created by {}", s.creators.join("; ")));
        }
    } else if r.supported() {
        facts.push(plural(r.component_count, "component"));
    }
    facts
}

fn plural(n: usize, what: &str) -> String {
    strata::table::count(n as u64, what)
}

/// One file's entry in `--format json` output. Every key is always present
/// (null when unknown), so consumers can rely on the shape.
fn file_json(o: &Outcome, strict: bool) -> Value {
    match o {
        Outcome::Judged(r) => json!({
            "file": r.file,
            "status": if r.is_valid(strict) { "valid" } else { "invalid" },
            "format": r.format,
            "spec_version": r.spec_version,
            "serial_number": r.serial_number,
            "metadata_component": r.metadata_component,
            "component_count": (r.supported() && r.spdx.is_none()).then_some(r.component_count),
            "spdx": r.spdx,
            "errors": r.count(Severity::Error),
            "warnings": r.count(Severity::Warning),
            "diagnostics": r.diagnostics,
        }),
        Outcome::Unreadable(path, e) => {
            let diags = e.diagnostics();
            json!({
                "file": path,
                "status": "unreadable",
                "format": null,
                "spec_version": null,
                "serial_number": null,
                "metadata_component": null,
                "component_count": null,
                "spdx": null,
                "errors": diags.len(),
                "warnings": 0,
                "diagnostics": diags,
            })
        }
    }
}
