//! The JSON outputs as a contract: every JSON document strata prints with
//! `--format json` (and every JSON error) starts with `"schema_version"`,
//! and each kind of document has a JSON Schema (`strata schema output-gate`,
//! …; the files are in `schemas/output/`), so a CI job can pin what it
//! parses.
//!
//! [`SCHEMA_VERSION`] changes only when a document changes incompatibly (a
//! key removed, renamed or retyped); new keys inside objects do not change
//! it. Standard formats strata writes (CycloneDX, SARIF, JUnit, in-toto
//! statements, Sigstore bundles) follow their own specifications and carry
//! no `schema_version`; nor does `memo --dump-context`, the template
//! context documented in `templates/CONTEXT.md`.

mod schemas;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diag::{Error, Result};

pub use schemas::{OUTPUTS, Output};

/// The version of every JSON output's shape.
pub const SCHEMA_VERSION: u64 = 1;

/// `value` as the pretty JSON document strata prints, `schema_version`
/// first, with a final newline. `value` must serialise to an object.
pub fn to_json(value: &impl Serialize) -> Result<String> {
    let v = serde_json::to_value(value)
        .map_err(|e| Error::internal("cannot serialise the output", e))?;
    let Value::Object(fields) = v else {
        return Err(Error::internal(
            "cannot version the output",
            "a JSON output must be an object",
        ));
    };
    let mut doc = Map::with_capacity(fields.len() + 1);
    doc.insert("schema_version".into(), Value::from(SCHEMA_VERSION));
    for (k, v) in fields {
        if k != "schema_version" {
            doc.insert(k, v);
        }
    }
    Ok(crate::diag::to_json_pretty(&Value::Object(doc))? + "\n")
}

/// The schema names `strata schema` knows for outputs (`output-gate`, …).
pub fn schema_names() -> Vec<&'static str> {
    OUTPUTS.iter().map(|o| o.schema_name()).collect()
}

/// The JSON Schema of the output named `name` (`output-gate`, …), pretty
/// printed with a final newline.
pub fn schema_source(name: &str) -> Option<String> {
    let o = OUTPUTS.iter().find(|o| o.schema_name() == name)?;
    crate::diag::to_json_pretty(&o.schema())
        .ok()
        .map(|s| s + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_comes_first_and_replaces_none() {
        let text = to_json(&serde_json::json!({"a": 1, "schema_version": 9})).unwrap();
        assert_eq!(text, "{\n  \"schema_version\": 1,\n  \"a\": 1\n}\n");
        assert!(to_json(&serde_json::json!([1])).is_err());
    }

    /// `schemas/output/NAME.schema.json` holds each schema as `strata
    /// schema` prints it (regenerate with STRATA_UPDATE_DOCS=1).
    #[test]
    fn the_schema_files_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/output");
        let update = std::env::var_os("STRATA_UPDATE_DOCS").is_some();
        let mut stale = Vec::new();
        for name in schema_names() {
            let text = schema_source(name).unwrap();
            let path = dir.join(format!("{name}.schema.json"));
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        on_disk.sort();
        let mut expected: Vec<String> = schema_names()
            .iter()
            .map(|n| format!("{n}.schema.json"))
            .collect();
        expected.sort();
        assert_eq!(
            on_disk, expected,
            "schemas/output/ holds exactly the output schemas"
        );
        assert!(
            stale.is_empty(),
            "stale (run STRATA_UPDATE_DOCS=1 cargo test --lib outputs): {stale:?}"
        );
    }

    #[test]
    fn schemas_refuse_missing_extra_and_mistyped_keys() {
        let schema = Output::Explain.schema();
        let v = jsonschema::draft7::new(&schema).unwrap();
        let good = serde_json::json!({
            "schema_version": 1, "code": "unknown-key", "summary": "s", "explanation": "e"
        });
        assert!(v.is_valid(&good));
        let mut extra = good.clone();
        extra["surprise"] = Value::from(1);
        assert!(!v.is_valid(&extra));
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("summary");
        assert!(!v.is_valid(&missing));
        let mut typed = good.clone();
        typed["schema_version"] = Value::from(2);
        assert!(!v.is_valid(&typed));
        let mut code = good;
        code["code"] = Value::from("Unknown Key");
        assert!(!v.is_valid(&code));
    }

    #[test]
    fn every_schema_compiles_and_requires_the_version() {
        for o in OUTPUTS {
            let schema = o.schema();
            jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{}: {e}", o.schema_name()));
            assert_eq!(
                schema["properties"]["schema_version"]["const"],
                SCHEMA_VERSION,
                "{}",
                o.schema_name()
            );
            assert!(
                schema["required"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("schema_version")),
                "{}",
                o.schema_name()
            );
        }
    }
}
