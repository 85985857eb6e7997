//! Validation of vendor SBOMs and strata's own BOMs (`strata validate`),
//! also used by `assemble` to judge vendor SBOMs given as evidence.
//!
//! Three formats, told apart by content, not by file name:
//! - CycloneDX JSON 1.2–1.7 ([`cdx_json`]): the official JSON schemas,
//!   embedded with the SPDX, JSF and cryptography schemas they reference
//!   (see [`schema`]), format assertions on; 1.2 and 1.3 against their strict
//!   variants under [`Options::strict`]. Then the semantics JSON Schema
//!   cannot express (see [`semantic`]): unique `bom-ref`s, references that
//!   resolve, `$schema` agreeing with `specVersion`: warnings, or errors
//!   under [`Options::strict`].
//! - CycloneDX XML 1.2–1.7 ([`xml`]): the official XSDs, through libxml2.
//! - SPDX 2.3 JSON ([`spdx`]): the official SPDX 2.3 JSON schema, then
//!   unique SPDXIDs and relationships that resolve.
//!
//! SPDX tag-value, RDF/XML and YAML, and SPDX 3 JSON-LD, are recognised and
//! refused with an error naming what is supported.
//!
//! A file that cannot be read, is not well-formed or is in an unsupported
//! format is an [`Error`] (exit 2); a readable file yields a [`Report`] whose
//! diagnostics say whether it is valid (exit 0) or not (exit 1). JSON
//! diagnostics carry the JSON pointer of the offending value and its line
//! and column in the file; XML diagnostics carry libxml2's line.

mod cdx_json;
pub mod declarations;
mod detect;
mod locate;
pub mod schema;
pub mod semantic;
mod spdx;
mod xml;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Error, Position, Result, Severity};
use crate::fsutil;

pub use schema::SpecVersion;
pub use xml::MAX_XML_BYTES;

/// Largest JSON BOM read: 1 GiB. Large SBOMs are legitimate; the limit only
/// keeps a wrong path (a disk image, say) from exhausting memory. XML is
/// held to [`MAX_XML_BYTES`].
pub const MAX_BOM_BYTES: u64 = 1024 * 1024 * 1024;

/// Documents larger than this (bytes) are freed on a background thread.
const LARGE_DOCUMENT: usize = 1024 * 1024;

/// How to validate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Report semantic findings (duplicate or dangling references,
    /// `$schema` mismatch) as errors instead of warnings, and check
    /// CycloneDX 1.2 and 1.3 JSON against the strict variants of their
    /// schemas (no properties beyond the specification's).
    pub strict: bool,
    /// Accept CycloneDX JSON only (the format strata writes): any other
    /// SBOM is reported as `not-a-bom`. For attestations, not vendor SBOMs.
    pub cyclonedx_json_only: bool,
}

/// The format of an SBOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CycloneDX JSON.
    CyclonedxJson,
    /// CycloneDX XML.
    CyclonedxXml,
    /// SPDX JSON.
    SpdxJson,
}

impl Format {
    /// The stable kebab-case name, e.g. `cyclonedx-xml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CyclonedxJson => "cyclonedx-json",
            Format::CyclonedxXml => "cyclonedx-xml",
            Format::SpdxJson => "spdx-json",
        }
    }

    /// The standard: `CycloneDX` or `SPDX`.
    pub fn standard(self) -> &'static str {
        match self {
            Format::CyclonedxJson | Format::CyclonedxXml => "CycloneDX",
            Format::SpdxJson => "SPDX",
        }
    }

    /// The encoding: `JSON` or `XML`.
    pub fn encoding(self) -> &'static str {
        match self {
            Format::CyclonedxJson | Format::SpdxJson => "JSON",
            Format::CyclonedxXml => "XML",
        }
    }
}

/// Name, version and supplier of what the SBOM describes: CycloneDX's
/// `metadata.component`, or the one package an SPDX document describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentSummary {
    /// `name`.
    pub name: Option<String>,
    /// `version` (SPDX: `versionInfo`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `supplier.name`, or else the BOM's `metadata.supplier.name` (SPDX:
    /// the package's `supplier` without its `Organization: ` or `Person: `).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// `bom-ref` (SPDX: `SPDXID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
}

/// What an SPDX document says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpdxSummary {
    /// `name`.
    pub name: Option<String>,
    /// `documentNamespace`.
    pub document_namespace: Option<String>,
    /// `creationInfo.creators`, as written (`Tool: ...`, `Organization: ...`).
    pub creators: Vec<String>,
    /// `creationInfo.created`.
    pub created: Option<String>,
    /// Entries of `packages`.
    pub package_count: usize,
    /// Entries of `files`.
    pub file_count: usize,
}

/// The outcome of validating one readable document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Report {
    /// The file validated.
    pub file: PathBuf,
    /// The format it was read as.
    pub format: Format,
    /// The spec version as written (`specVersion`, the version in the XML
    /// namespace, or `spdxVersion` without `SPDX-`), supported or not.
    pub spec_version: Option<String>,
    /// `serialNumber`, when present (CycloneDX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// What the SBOM describes, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_component: Option<ComponentSummary>,
    /// CycloneDX: components in the `components` tree, nested ones included.
    pub component_count: usize,
    /// SPDX: the document's name, namespace, creators and counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spdx: Option<SpdxSummary>,
    /// Every finding, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    fn new(path: &Path, format: Format) -> Report {
        Report {
            file: path.to_path_buf(),
            format,
            spec_version: None,
            serial_number: None,
            metadata_component: None,
            component_count: 0,
            spdx: None,
            diagnostics: Vec::new(),
        }
    }

    /// The supported CycloneDX spec version detected, if any (`None` for
    /// SPDX).
    pub fn spec(&self) -> Option<SpecVersion> {
        match self.format {
            Format::SpdxJson => None,
            _ => self.spec_version.as_deref().and_then(SpecVersion::parse),
        }
    }

    /// True when the document's version is one strata has a schema for, so
    /// that its contents were judged.
    pub fn supported(&self) -> bool {
        match self.format {
            Format::SpdxJson => self.spdx.is_some(),
            _ => self.spec().is_some(),
        }
    }

    /// The format and version in words, e.g. `CycloneDX 1.3 XML` or
    /// `SPDX 2.3 JSON`.
    pub fn describe(&self) -> String {
        let f = self.format;
        match &self.spec_version {
            Some(v) => format!("{} {v} {}", f.standard(), f.encoding()),
            None => format!("{} {} (version unknown)", f.standard(), f.encoding()),
        }
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

/// Read and validate the SBOM at `path`.
pub fn validate_file(path: &Path, opts: &Options) -> Result<Report> {
    let bytes = fsutil::read_bounded(path, MAX_BOM_BYTES)?;
    validate_bytes(path, &bytes, opts)
}

/// Validate the SBOM text `bytes`; `path` names it in diagnostics.
///
/// Errors (exit 2) when the text is not well-formed JSON or XML, or is an
/// SBOM format strata does not read; otherwise the report tells whether it
/// is a valid SBOM. Diagnostics get line and column.
pub fn validate_bytes(path: &Path, bytes: &[u8], opts: &Options) -> Result<Report> {
    let report = match detect::sniff(bytes) {
        detect::Sniff::Xml => xml::validate(path, bytes, opts)?,
        detect::Sniff::Unsupported(what) => return Err(unsupported_format(path, what)),
        detect::Sniff::Json => validate_json(path, bytes, opts)?,
    };
    Ok(only_cyclonedx_json(report, opts))
}

/// Under [`Options::cyclonedx_json_only`], a document in another format
/// is reported as not a BOM.
fn only_cyclonedx_json(mut report: Report, opts: &Options) -> Report {
    if opts.cyclonedx_json_only && report.format != Format::CyclonedxJson {
        report.diagnostics = vec![
            Diagnostic::error(
                Code::NotABom,
                format!(
                    "the document is {}, not CycloneDX JSON, the format strata writes",
                    report.describe()
                ),
            )
            .in_file(&report.file)
            .help("an attestation is the CycloneDX JSON BOM `strata assemble` wrote"),
        ];
    }
    report
}

fn validate_json(path: &Path, bytes: &[u8], opts: &Options) -> Result<Report> {
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

/// Validate an already parsed JSON document (CycloneDX or SPDX, told apart
/// by `spdxVersion`); diagnostics have pointers but no line and column.
pub fn validate_value(path: &Path, doc: &Value, opts: &Options) -> Result<Report> {
    if let Some(what) = detect::unsupported_json(doc) {
        return Err(unsupported_format(path, what));
    }
    let report = if doc.get("spdxVersion").is_some() {
        spdx::validate_value(path, doc, opts)?
    } else {
        cdx_json::validate_value(path, doc, opts)?
    };
    Ok(only_cyclonedx_json(report, opts))
}

/// The error for an SBOM in a format strata does not read.
fn unsupported_format(path: &Path, what: &str) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::UnsupportedSbomFormat,
            format!("the document is {what}, which strata does not read"),
        )
        .in_file(path)
        .help(SUPPORTED_FORMATS),
    )
}

/// What `strata validate` and vendor-SBOM evidence read, in one sentence.
pub const SUPPORTED_FORMATS: &str = "strata reads CycloneDX JSON 1.2–1.7, CycloneDX XML 1.2–1.7 and SPDX 2.3 JSON; convert SPDX tag-value, RDF or YAML to SPDX 2.3 JSON (e.g. `pyspdxtools -i sbom.spdx -o sbom.spdx.json`)";

/// How a JSON value's type reads in a message ("a string", "null").
pub(crate) fn json_type(v: &Value) -> &'static str {
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
            "the file is empty; expected an SBOM (CycloneDX JSON or XML, or SPDX JSON)",
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
        let opts = Options {
            strict,
            ..Options::default()
        };
        validate_bytes(Path::new("bom.json"), text.as_bytes(), &opts)
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
                r#"{"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}"#,
                "unsupported-spec-version",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "specVersion": "1.8", "version": 1}"#,
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
            (r#"{"spdxVersion": "SPDX-2.2"}"#, "unsupported-spec-version"),
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

    #[test]
    fn formats_are_detected_and_reported() {
        let xml = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"/>"#;
        let r = run(xml, true).unwrap();
        assert_eq!(
            (r.format, r.describe().as_str()),
            (Format::CyclonedxXml, "CycloneDX 1.5 XML")
        );
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        let json = r#"{"bomFormat": "CycloneDX", "specVersion": "1.2", "version": 1}"#;
        let r = run(json, true).unwrap();
        assert_eq!(r.describe(), "CycloneDX 1.2 JSON");
        assert!(r.is_valid(true) && r.supported());
        let spdx = include_str!("../../tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json");
        let r = run(spdx, true).unwrap();
        assert_eq!(r.describe(), "SPDX 2.3 JSON");
        assert!(r.is_valid(true) && r.supported() && r.spec().is_none());
        for (text, what) in [
            (
                "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n",
                "SPDX tag-value",
            ),
            (
                r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#,
                "SPDX 3 JSON-LD",
            ),
        ] {
            let err = run(text, false).unwrap_err();
            let d = &err.diagnostics()[0];
            assert_eq!(d.code, "unsupported-sbom-format", "{what}");
            assert!(d.message.contains(what), "{}", d.message);
            assert!(
                d.help.as_deref().unwrap_or("").contains("SPDX 2.3 JSON"),
                "{what}"
            );
        }
    }

    #[test]
    fn cyclonedx_json_only_refuses_other_formats() {
        let opts = Options {
            cyclonedx_json_only: true,
            ..Options::default()
        };
        let xml = br#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"/>"#;
        let r = validate_bytes(Path::new("a.xml"), xml, &opts).unwrap();
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "not-a-bom");
        let r = validate_bytes(Path::new("a.json"), MINIMAL.as_bytes(), &opts).unwrap();
        assert!(r.is_valid(true));
    }

    #[test]
    fn strict_checks_1_2_and_1_3_against_the_strict_schemas() {
        for v in ["1.2", "1.3"] {
            let text = format!(
                r#"{{"bomFormat": "CycloneDX", "specVersion": "{v}", "version": 1, "x-extra": 1}}"#
            );
            assert!(run(&text, false).unwrap().is_valid(true), "{v}");
            let r = run(&text, true).unwrap();
            assert_eq!(r.diagnostics[0].code, "schema-additional-properties", "{v}");
        }
    }

    /// Every prefix and a few thousand byte flips of a CycloneDX XML BOM, a
    /// CycloneDX 1.2 JSON BOM and the SPDX example: a report or an error,
    /// never a panic.
    #[test]
    fn cut_and_corrupted_documents_never_panic() {
        let docs: [&[u8]; 3] = [
            include_bytes!("../../tests/fixtures/cyclonedx-spec/1.2/valid-bom-1.2.xml"),
            include_bytes!("../../tests/fixtures/cyclonedx-spec/1.2/valid-bom-1.2.json"),
            include_bytes!("../../tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json"),
        ];
        let opts = Options::default();
        let mut seed: u64 = 0x5eed;
        for doc in docs {
            for end in (0..doc.len()).step_by(97) {
                let _ = validate_bytes(Path::new("cut"), &doc[..end], &opts);
            }
            for _ in 0..300 {
                let mut bytes = doc.to_vec();
                for _ in 0..4 {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let at = (seed >> 33) as usize % bytes.len();
                    bytes[at] = (seed >> 20) as u8;
                }
                let _ = validate_bytes(Path::new("flipped"), &bytes, &opts);
            }
        }
    }
}
