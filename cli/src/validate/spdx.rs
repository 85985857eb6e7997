//! SPDX 2.3 JSON: the official SPDX 2.3 JSON schema, then what it cannot
//! express: SPDXIDs unique within the document, and relationships,
//! `documentDescribes`, `hasFiles` and `snippetFromFile` naming an element
//! of the document (or another document through `DocumentRef-...:`, or
//! `NONE`/`NOASSERTION`). Those are warnings, or errors under `--strict`.
//!
//! The schema is structural (it asserts no formats or patterns), so the
//! summary shows what a reader checks by eye: the document's name,
//! namespace, creators, and how many packages and files it lists.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::schema::{self, JsonSchema};
use super::{ComponentSummary, Format, Options, Report, SpdxSummary};
use crate::diag::{Code, Diagnostic, Error, Result, Severity};

/// The `spdxVersion` strata validates.
const SPDX_2_3: &str = "SPDX-2.3";

/// Validate a parsed SPDX JSON document (one with `spdxVersion`).
pub fn validate_value(path: &Path, doc: &Value, opts: &Options) -> Result<Report> {
    let mut report = Report::new(path, Format::SpdxJson);
    let written = doc.get("spdxVersion").and_then(Value::as_str);
    report.spec_version = written.map(|v| v.strip_prefix("SPDX-").unwrap_or(v).to_string());
    if written != Some(SPDX_2_3) {
        let found = match written {
            Some(v) => format!("`{v}`"),
            None => "not a string".to_string(),
        };
        report.diagnostics.push(
            Diagnostic::error(
                Code::UnsupportedSpecVersion,
                format!("SPDX `spdxVersion` {found} is not supported"),
            )
            .pointer("/spdxVersion")
            .in_file(path)
            .help("strata validates SPDX 2.3 JSON (`\"spdxVersion\": \"SPDX-2.3\"`); convert the document, e.g. with pyspdxtools"),
        );
        return Ok(report);
    }
    report.spdx = Some(summary(doc));
    report.metadata_component = described_package(doc);
    let severity = if opts.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    report.diagnostics = schema::check(doc, JsonSchema::Spdx2_3).map_err(|msg| {
        Error::invalid(
            Diagnostic::error(Code::EmbeddedSchema, msg)
                .help("this is a defect in strata; please report it"),
        )
    })?;
    report.diagnostics.extend(semantic(doc, severity));
    for d in &mut report.diagnostics {
        d.file = Some(path.to_path_buf());
    }
    Ok(report)
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

fn items<'v>(doc: &'v Value, key: &str) -> &'v [Value] {
    doc.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn summary(doc: &Value) -> SpdxSummary {
    let info = doc.get("creationInfo");
    SpdxSummary {
        name: text(doc.get("name")),
        document_namespace: text(doc.get("documentNamespace")),
        creators: info
            .and_then(|i| i.get("creators"))
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        created: text(info.and_then(|i| i.get("created"))),
        package_count: items(doc, "packages").len(),
        file_count: items(doc, "files").len(),
    }
}

/// The package the document describes, when it describes exactly one
/// (through `documentDescribes` or a `DESCRIBES`/`DESCRIBED_BY`
/// relationship with the document).
fn described_package(doc: &Value) -> Option<ComponentSummary> {
    let me = doc.get("SPDXID").and_then(Value::as_str)?;
    let mut described: Vec<&str> = items(doc, "documentDescribes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for r in items(doc, "relationships") {
        let field = |k: &str| r.get(k).and_then(Value::as_str);
        match (
            field("spdxElementId"),
            field("relationshipType"),
            field("relatedSpdxElement"),
        ) {
            (Some(a), Some("DESCRIBES"), Some(b)) if a == me => described.push(b),
            (Some(a), Some("DESCRIBED_BY"), Some(b)) if b == me => described.push(a),
            _ => {}
        }
    }
    let described: HashSet<&str> = described.into_iter().collect();
    let mut packages = items(doc, "packages").iter().filter(|p| {
        p.get("SPDXID")
            .and_then(Value::as_str)
            .is_some_and(|id| described.contains(id))
    });
    let package = packages.next()?;
    if packages.next().is_some() {
        return None;
    }
    let supplier = text(package.get("supplier")).and_then(|s| {
        let name = s
            .strip_prefix("Organization:")
            .or_else(|| s.strip_prefix("Person:"))
            .unwrap_or(&s)
            .trim();
        (name != "NOASSERTION" && !name.is_empty()).then(|| name.to_string())
    });
    Some(ComponentSummary {
        name: text(package.get("name")),
        version: text(package.get("versionInfo")),
        supplier,
        bom_ref: text(package.get("SPDXID")),
    })
}

/// Duplicate SPDXIDs and references that name no element.
fn semantic(doc: &Value, severity: Severity) -> Vec<Diagnostic> {
    let finding = |code: Code, message: String, pointer: String, help: &str| {
        let mut d = Diagnostic::error(code, message).pointer(pointer).help(help);
        d.severity = severity;
        d
    };
    let mut out = Vec::new();
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut ids: Vec<(&str, String)> = Vec::new();
    if let Some(id) = doc.get("SPDXID").and_then(Value::as_str) {
        ids.push((id, "/SPDXID".to_string()));
    }
    for list in ["packages", "files", "snippets"] {
        for (i, item) in items(doc, list).iter().enumerate() {
            if let Some(id) = item.get("SPDXID").and_then(Value::as_str) {
                ids.push((id, format!("/{list}/{i}/SPDXID")));
            }
        }
    }
    for (id, pointer) in ids {
        if let Some(first) = seen.get(id) {
            out.push(finding(
                Code::DuplicateSpdxId,
                format!("SPDXID `{id}` is not unique: it is also used at {first}"),
                pointer,
                "every SPDXID must be unique within the document",
            ));
        } else {
            seen.insert(id, pointer);
        }
    }
    let mut refs: Vec<(&str, String, &str)> = Vec::new();
    for (i, v) in items(doc, "documentDescribes").iter().enumerate() {
        if let Some(r) = v.as_str() {
            refs.push((r, format!("/documentDescribes/{i}"), "documentDescribes"));
        }
    }
    for (i, r) in items(doc, "relationships").iter().enumerate() {
        for key in ["spdxElementId", "relatedSpdxElement"] {
            if let Some(target) = r.get(key).and_then(Value::as_str) {
                refs.push((target, format!("/relationships/{i}/{key}"), "relationship"));
            }
        }
    }
    for (i, p) in items(doc, "packages").iter().enumerate() {
        for (j, f) in items(p, "hasFiles").iter().enumerate() {
            if let Some(target) = f.as_str() {
                refs.push((target, format!("/packages/{i}/hasFiles/{j}"), "hasFiles"));
            }
        }
    }
    for (i, s) in items(doc, "snippets").iter().enumerate() {
        if let Some(target) = s.get("snippetFromFile").and_then(Value::as_str) {
            refs.push((
                target,
                format!("/snippets/{i}/snippetFromFile"),
                "snippetFromFile",
            ));
        }
    }
    for (target, pointer, what) in refs {
        let external = target.starts_with("DocumentRef-") && target.contains(':');
        if external || matches!(target, "NONE" | "NOASSERTION") || seen.contains_key(target) {
            continue;
        }
        out.push(finding(
            Code::DanglingRef,
            format!("{what} reference `{target}` matches no SPDXID in the document"),
            pointer,
            "reference an element of the document, add it, or name another document as `DocumentRef-ID:SPDXRef-...`",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The SPDX 2.3 specification's own JSON example.
    const EXAMPLE: &str = include_str!("../../tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json");

    fn run(doc: &Value, strict: bool) -> Report {
        validate_value(
            Path::new("sbom.spdx.json"),
            doc,
            &Options {
                strict,
                ..Options::default()
            },
        )
        .unwrap()
    }

    fn minimal() -> Value {
        json!({
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
            "name": "hyperos-2.0", "documentNamespace": "https://example.com/spdx/hyperos-2.0-1",
            "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: yocto-4.0", "Organization: Example"]},
            "packages": [{"SPDXID": "SPDXRef-os", "name": "HyperOS", "versionInfo": "2.0",
                          "supplier": "Organization: Xiaomi", "downloadLocation": "NOASSERTION"}],
            "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                               "relatedSpdxElement": "SPDXRef-os"}]
        })
    }

    #[test]
    fn the_specification_example_is_valid() {
        let doc: Value = serde_json::from_str(EXAMPLE).unwrap();
        let r = run(&doc, true);
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        let s = r.spdx.unwrap();
        assert_eq!(s.package_count, 4);
        assert_eq!(s.file_count, 5);
        assert_eq!(s.creators.len(), 3);
        assert_eq!(
            s.document_namespace.as_deref(),
            Some("http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301")
        );
        assert_eq!(r.metadata_component.unwrap().name.as_deref(), Some("glibc"));
        assert_eq!(r.spec_version.as_deref(), Some("2.3"));
    }

    #[test]
    fn described_package_and_summary_are_read() {
        let r = run(&minimal(), true);
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        let c = r.metadata_component.unwrap();
        assert_eq!(
            (
                c.name.as_deref(),
                c.version.as_deref(),
                c.supplier.as_deref(),
                c.bom_ref.as_deref()
            ),
            (
                Some("HyperOS"),
                Some("2.0"),
                Some("Xiaomi"),
                Some("SPDXRef-os")
            )
        );
    }

    /// A broken document: what, how, expected code and pointer.
    type Case = (&'static str, fn(&mut Value), &'static str, &'static str);

    #[test]
    fn schema_violations_are_errors() {
        let cases: [Case; 5] = [
            (
                "missing namespace",
                |d| {
                    d.as_object_mut().unwrap().remove("documentNamespace");
                },
                "schema-required",
                "",
            ),
            (
                "wrong type",
                |d| d["packages"][0]["name"] = json!(7),
                "schema-type",
                "/packages/0/name",
            ),
            (
                "unknown property",
                |d| d["vendorExtension"] = json!(true),
                "schema-additional-properties",
                "",
            ),
            (
                "bad enum",
                |d| d["relationships"][0]["relationshipType"] = json!("OWNS"),
                "schema-enum",
                "/relationships/0/relationshipType",
            ),
            (
                "creators not an array",
                |d| d["creationInfo"]["creators"] = json!("Tool: x"),
                "schema-type",
                "/creationInfo/creators",
            ),
        ];
        for (what, mutate, code, pointer) in cases {
            let mut doc = minimal();
            mutate(&mut doc);
            let r = run(&doc, false);
            assert!(!r.is_valid(false), "{what}");
            assert_eq!(r.diagnostics[0].code, code, "{what}: {:?}", r.diagnostics);
            assert_eq!(r.diagnostics[0].pointer.as_deref(), Some(pointer), "{what}");
        }
    }

    #[test]
    fn other_spdx_versions_are_unsupported() {
        for v in [json!("SPDX-2.2"), json!("SPDX-3.0"), json!(2.3)] {
            let mut doc = minimal();
            doc["spdxVersion"] = v.clone();
            let r = run(&doc, false);
            assert_eq!(r.diagnostics.len(), 1, "{v}");
            assert_eq!(r.diagnostics[0].code, "unsupported-spec-version", "{v}");
            assert!(r.spdx.is_none() && !r.supported());
        }
    }

    #[test]
    fn duplicate_ids_and_dangling_references_are_warnings_unless_strict() {
        let mut doc = minimal();
        doc["packages"].as_array_mut().unwrap().push(json!({
            "SPDXID": "SPDXRef-os", "name": "again", "downloadLocation": "NONE",
            "hasFiles": ["SPDXRef-missing-file"]}));
        doc["relationships"].as_array_mut().unwrap().extend([
            json!({"spdxElementId": "SPDXRef-os", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-ghost"}),
            json!({"spdxElementId": "SPDXRef-os", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-other:SPDXRef-x"}),
            json!({"spdxElementId": "SPDXRef-os", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "NOASSERTION"}),
        ]);
        let lax = run(&doc, false);
        let got: Vec<(&str, &str)> = lax
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.pointer.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                ("duplicate-spdx-id", "/packages/1/SPDXID"),
                ("dangling-ref", "/relationships/1/relatedSpdxElement"),
                ("dangling-ref", "/packages/1/hasFiles/0"),
            ]
        );
        assert!(lax.is_valid(false) && !lax.is_valid(true));
        assert!(
            run(&doc, true)
                .diagnostics
                .iter()
                .all(|d| d.severity == Severity::Error)
        );
    }
}
