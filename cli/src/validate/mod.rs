//! Validation of CycloneDX JSON BOMs (`strata validate`), also used by
//! `assemble` to judge vendor SBOMs given as evidence.
//!
//! Two passes:
//! 1. JSON Schema: the official CycloneDX 1.4–1.7 schemas, embedded in the
//!    binary with the SPDX, JSF and cryptography schemas they reference
//!    (see [`schema`]); format assertions on.
//! 2. Semantics JSON Schema cannot express (see [`semantic`]): unique
//!    `bom-ref`s, references that resolve, `$schema` agreeing with
//!    `specVersion`. Warnings, or errors under [`Options::strict`].
//!
//! A file that cannot be read or is not JSON is an [`Error`] (exit 2); a
//! readable file yields a [`Report`] whose diagnostics say whether it is a
//! valid BOM (exit 0) or not (exit 1). Diagnostics carry the JSON pointer of
//! the offending value and its line and column in the file.

mod locate;
pub mod schema;
pub mod semantic;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Error, Position, Result, Severity};
use crate::fsutil;

pub use schema::SpecVersion;

/// Largest BOM read: 1 GiB. Large SBOMs are legitimate; the limit only keeps
/// a wrong path (a disk image, say) from exhausting memory.
pub const MAX_BOM_BYTES: u64 = 1024 * 1024 * 1024;

/// Documents larger than this (bytes) are freed on a background thread.
const LARGE_DOCUMENT: usize = 1024 * 1024;

/// How to validate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Report semantic findings (duplicate or dangling bom-refs, `$schema`
    /// mismatch) as errors instead of warnings.
    pub strict: bool,
}

/// Name, version and supplier of the BOM's `metadata.component`: what the
/// BOM describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentSummary {
    /// `name`.
    pub name: Option<String>,
    /// `version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `supplier.name`, or else the BOM's `metadata.supplier.name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// `bom-ref`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
}

/// The outcome of validating one readable JSON document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Report {
    /// The file validated.
    pub file: PathBuf,
    /// `specVersion` as written, when it is a string (supported or not).
    pub spec_version: Option<String>,
    /// `serialNumber`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// `metadata.component`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_component: Option<ComponentSummary>,
    /// Components in the `components` tree, nested ones included.
    pub component_count: usize,
    /// Every finding, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The supported spec version detected, if any.
    pub fn spec(&self) -> Option<SpecVersion> {
        self.spec_version.as_deref().and_then(SpecVersion::parse)
    }

    /// True when nothing fails the BOM: no errors, and under `strict` no
    /// warnings either.
    pub fn is_valid(&self, strict: bool) -> bool {
        self.diagnostics.iter().all(|d| match d.severity {
            Severity::Error => false,
            Severity::Warning => !strict,
            Severity::Note => true,
        })
    }

    /// Number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Read and validate the BOM at `path`.
pub fn validate_file(path: &Path, opts: &Options) -> Result<Report> {
    let bytes = fsutil::read_bounded(path, MAX_BOM_BYTES)?;
    validate_bytes(path, &bytes, opts)
}

/// Validate the JSON text `bytes`; `path` names it in diagnostics.
///
/// Errors (exit 2) when the text is not JSON; otherwise the report tells
/// whether it is a valid CycloneDX BOM. Diagnostics get line and column.
pub fn validate_bytes(path: &Path, bytes: &[u8], opts: &Options) -> Result<Report> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value =
        serde_json::from_slice(text).map_err(|e| Error::invalid(json_error(path, text, &e)))?;
    let report = validate_value(path, &doc, opts);
    // Freeing a large document takes a while (tens of ms for 20,000
    // components); let another thread do it while the result is used.
    if text.len() > LARGE_DOCUMENT {
        let _ = std::thread::Builder::new().spawn(move || drop(doc));
    }
    let mut report = report?;
    if !report.diagnostics.is_empty() {
        let pointers: Vec<&str> = report
            .diagnostics
            .iter()
            .filter_map(|d| d.pointer.as_deref())
            .collect();
        let found = locate::locate(text, &pointers);
        for d in &mut report.diagnostics {
            d.position = d.pointer.as_deref().and_then(|p| found.get(p).copied());
        }
        // Document order; ties keep their order (schema errors, then semantic).
        report.diagnostics.sort_by_key(|d| {
            d.position.unwrap_or(Position {
                line: usize::MAX,
                column: usize::MAX,
            })
        });
    }
    Ok(report)
}

/// Validate an already parsed document; diagnostics have pointers but no
/// line and column.
pub fn validate_value(path: &Path, doc: &Value, opts: &Options) -> Result<Report> {
    let mut report = Report {
        file: path.to_path_buf(),
        spec_version: doc
            .get("specVersion")
            .and_then(Value::as_str)
            .map(str::to_string),
        serial_number: doc
            .get("serialNumber")
            .and_then(Value::as_str)
            .map(str::to_string),
        metadata_component: metadata_component(doc),
        component_count: semantic::count_components(doc),
        diagnostics: Vec::new(),
    };
    let version = match spec_version(doc) {
        Ok(v) => v,
        Err(d) => {
            report.diagnostics.push(d.in_file(path));
            return Ok(report);
        }
    };
    let severity = if opts.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    // The passes are independent: run them on two cores.
    let (schema_errors, semantic_findings) = rayon::join(
        || schema::check(doc, version),
        || semantic::check(doc, version.as_str(), severity),
    );
    report.diagnostics = schema_errors.map_err(|msg| {
        Error::invalid(
            Diagnostic::error(Code::EmbeddedSchema, msg)
                .help("this is a defect in strata; please report it"),
        )
    })?;
    report.diagnostics.extend(semantic_findings);
    for d in &mut report.diagnostics {
        d.file = Some(path.to_path_buf());
    }
    Ok(report)
}

/// The supported spec version of `doc`, or the diagnostic explaining why
/// there is none (which is pushed into the report at once, so its size
/// does not matter).
#[allow(clippy::result_large_err)]
fn spec_version(doc: &Value) -> std::result::Result<SpecVersion, Diagnostic> {
    let supported = "strata validates CycloneDX JSON 1.4, 1.5, 1.6 and 1.7";
    let Value::Object(map) = doc else {
        return Err(Diagnostic::error(
            Code::NotABom,
            format!(
                "the document is {}, not a CycloneDX BOM object",
                json_type(doc)
            ),
        )
        .pointer(""));
    };
    match map.get("specVersion") {
        None => {
            let mut d = Diagnostic::error(
                Code::MissingSpecVersion,
                "the document has no `specVersion`",
            )
            .pointer("");
            d = if map.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
                d.help(format!(
                    "add `\"specVersion\": \"1.6\"` (or the version it follows); {supported}"
                ))
            } else {
                d.help(format!("this does not look like a CycloneDX JSON BOM (no `\"bomFormat\": \"CycloneDX\"`); {supported}"))
            };
            Err(d)
        }
        Some(Value::String(s)) => SpecVersion::parse(s).ok_or_else(|| {
            Diagnostic::error(
                Code::UnsupportedSpecVersion,
                format!("CycloneDX specVersion `{s}` is not supported"),
            )
            .pointer("/specVersion")
            .help(format!("{supported}; convert the BOM to one of them"))
        }),
        Some(other) => Err(Diagnostic::error(
            Code::UnsupportedSpecVersion,
            format!(
                "`specVersion` should be a string such as \"1.6\", found {}",
                json_type(other)
            ),
        )
        .pointer("/specVersion")
        .help(supported)),
    }
}

fn metadata_component(doc: &Value) -> Option<ComponentSummary> {
    let metadata = doc.get("metadata")?;
    let c = metadata.get("component")?.as_object()?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let supplier_name = |v: Option<&Value>| text(v.and_then(|s| s.get("name")));
    Some(ComponentSummary {
        name: text(c.get("name")),
        version: text(c.get("version")),
        supplier: supplier_name(c.get("supplier"))
            .or_else(|| supplier_name(metadata.get("supplier"))),
        bom_ref: text(c.get("bom-ref")),
    })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A serde_json parse error as a diagnostic with the file, line and column.
fn json_error(path: &Path, text: &[u8], e: &serde_json::Error) -> Diagnostic {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Diagnostic::error(
            Code::EmptyFile,
            "the file is empty; expected a CycloneDX JSON BOM",
        )
        .in_file(path);
    }
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let position = (e.line() > 0).then(|| Position {
        line: e.line(),
        column: e.column().max(1),
    });
    let d = if e.classify() == serde_json::error::Category::Eof {
        Diagnostic::error(
            Code::JsonTruncated,
            format!("the JSON ends too early: {message}"),
        )
        .help("the file is incomplete; was it cut off while being written or downloaded?")
    } else if message == "recursion limit exceeded" {
        Diagnostic::error(
            Code::JsonTooDeep,
            "the JSON nests deeper than 128 levels, which no CycloneDX BOM needs",
        )
    } else {
        Diagnostic::error(Code::JsonSyntax, format!("not valid JSON: {message}"))
    };
    d.in_file(path).at(position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, strict: bool) -> Result<Report> {
        validate_bytes(Path::new("bom.json"), text.as_bytes(), &Options { strict })
    }

    const MINIMAL: &str = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}"#;

    #[test]
    fn minimal_bom_is_valid() {
        let r = run(MINIMAL, true).unwrap();
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        assert_eq!(r.spec(), Some(SpecVersion::V1_6));
        assert_eq!(r.component_count, 0);
    }

    #[test]
    fn truncated_json_is_an_error_with_position() {
        let err = run(
            "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n",
            false,
        )
        .unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.code, "json-truncated");
        assert_eq!(d.file.as_deref(), Some(Path::new("bom.json")));
        assert_eq!(d.position.map(|p| p.line), Some(4));
        let err = run("{\"a\": tru}", false).unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.code, "json-syntax");
        assert_eq!(
            d.position,
            Some(Position {
                line: 1,
                column: 10
            })
        );
        assert!(!d.message.contains("at line"), "{}", d.message);
        let err = run(" \n", false).unwrap_err();
        assert_eq!(err.diagnostics()[0].code, "empty-file");
        let err = run(&"[".repeat(200), false).unwrap_err();
        assert_eq!(err.diagnostics()[0].code, "json-too-deep");
    }

    #[test]
    fn spec_versions_outside_the_supported_range_are_invalid() {
        for (text, code) in [
            (
                r#"{"bomFormat": "CycloneDX", "specVersion": "1.2", "version": 1}"#,
                "unsupported-spec-version",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "specVersion": 1.6, "version": 1}"#,
                "unsupported-spec-version",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "version": 1}"#,
                "missing-spec-version",
            ),
            (r#"{"spdxVersion": "SPDX-2.3"}"#, "missing-spec-version"),
            ("[1, 2]", "not-a-bom"),
        ] {
            let r = run(text, false).unwrap();
            assert!(!r.is_valid(false), "{text}");
            assert_eq!(r.diagnostics.len(), 1, "{text}");
            assert_eq!(r.diagnostics[0].code, code, "{text}");
            assert!(r.diagnostics[0].position.is_some(), "{text}");
        }
    }

    #[test]
    fn semantic_findings_are_warnings_unless_strict() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "name": "a", "bom-ref": "x"},
                           {"type": "library", "name": "b", "bom-ref": "x"}]}"#;
        let lax = run(text, false).unwrap();
        assert!(lax.is_valid(false));
        assert!(!lax.is_valid(true));
        assert_eq!(lax.count(Severity::Warning), 1);
        let strict = run(text, true).unwrap();
        assert!(!strict.is_valid(false));
        let d = &strict.diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.severity),
            ("duplicate-bom-ref", Severity::Error)
        );
        assert_eq!(
            d.position,
            Some(Position {
                line: 3,
                column: 61
            })
        );
    }

    #[test]
    fn schema_errors_carry_pointer_and_position_in_document_order() {
        let text = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"version\": 1,\n \"components\": [\n  {\"type\": \"library\"},\n  {\"type\": \"gadget\", \"name\": \"g\"}\n ],\n \"metadata\": {\"timestamp\": \"never\"}}";
        let r = run(text, false).unwrap();
        let got: Vec<(&str, &str, usize)> = r
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    d.pointer.as_deref().unwrap_or(""),
                    d.position.map_or(0, |p| p.line),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("schema-required", "/components/0", 3),
                ("schema-enum", "/components/1/type", 4),
                ("schema-format", "/metadata/timestamp", 6),
            ]
        );
    }

    #[test]
    fn metadata_component_and_counts_are_reported() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "metadata": {"supplier": {"name": "Acme"},
                         "component": {"type": "firmware", "name": "fw", "version": "2.1", "bom-ref": "fw"}},
            "components": [{"type": "library", "name": "a", "components": [{"type": "library", "name": "b"}]}]}"#;
        let r = run(text, false).unwrap();
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        assert_eq!(r.component_count, 2);
        let m = r.metadata_component.unwrap();
        assert_eq!(m.name.as_deref(), Some("fw"));
        assert_eq!(m.version.as_deref(), Some("2.1"));
        assert_eq!(m.supplier.as_deref(), Some("Acme"));
        assert_eq!(
            r.serial_number.as_deref(),
            Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
        );
    }

    #[test]
    fn byte_order_mark_is_accepted() {
        let text = format!("\u{feff}{MINIMAL}");
        assert!(run(&text, true).unwrap().is_valid(true));
    }
}
