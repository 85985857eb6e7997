//! CycloneDX JSON (1.2–1.7): the spec version, the schema pass and the
//! semantic pass, and what the BOM says about itself.

use std::path::Path;

use serde_json::Value;

use super::schema::{self, JsonSchema, SpecVersion};
use super::{ComponentSummary, Format, Options, Report, json_type, semantic};
use crate::diag::{Code, Diagnostic, Error, Result, Severity};

/// Validate a parsed CycloneDX JSON document; diagnostics have pointers but
/// no line and column.
pub fn validate_value(path: &Path, doc: &Value, opts: &Options) -> Result<Report> {
    let mut report = Report::new(path, Format::CyclonedxJson);
    report.spec_version = doc
        .get("specVersion")
        .and_then(Value::as_str)
        .map(str::to_string);
    report.serial_number = doc
        .get("serialNumber")
        .and_then(Value::as_str)
        .map(str::to_string);
    report.metadata_component = metadata_component(doc);
    report.component_count = semantic::count_components(doc);
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
    let schema = JsonSchema::Cyclonedx {
        version,
        strict: opts.strict,
    };
    // The passes are independent: run them on two cores.
    let (schema_errors, semantic_findings) = rayon::join(
        || schema::check(doc, schema),
        || semantic::check(doc, version.as_str(), severity),
    );
    report.diagnostics = schema_errors.map_err(|msg| {
        Error::invalid(
            Diagnostic::error(Code::EmbeddedSchema, msg)
                .help("this is a defect in strata; please report it"),
        )
    })?;
    report.diagnostics.extend(semantic_findings);
    if super::declarations::is_declarations(doc) {
        super::declarations::check(path, doc, &mut report.diagnostics);
    }
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
    let supported = "strata validates CycloneDX JSON 1.2, 1.3, 1.4, 1.5, 1.6 and 1.7";
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
