//! `strata validate` through the real binary: the CycloneDX specification's
//! own JSON test corpus (1.2–1.7), unreadable input, semantic findings and
//! output shapes.

use crate::common;

use std::path::{Path, PathBuf};

use common::{render, repo, strata};
use serde_json::{Value, json};

const VERSIONS: [&str; 6] = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

fn corpus(version: &str) -> PathBuf {
    repo()
        .join("cli/tests/fixtures/cyclonedx-spec")
        .join(version)
}

/// The corpus files of `version` named `prefix*ext`, sorted.
pub(crate) fn corpus_files(version: &str, prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(version))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(ext)
        })
        .collect();
    files.sort();
    files
}

/// Run `strata validate --format json` over `files`; (exit code, output).
pub(crate) fn validate_json(dir: &Path, args: &[&str], files: &[PathBuf]) -> (i32, Value) {
    let out = strata(dir)
        .arg("validate")
        .args(["--format", "json"])
        .args(args)
        .args(files)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", render(&out, dir)));
    (out.status.code().unwrap_or(-1), doc)
}

fn statuses(doc: &Value) -> Vec<(String, String)> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, f["status"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn agrees_with_the_specification_test_corpus() {
    let dir = repo();
    let mut summary = Vec::new();
    for version in VERSIONS {
        let valid = corpus_files(version, "valid-", ".json");
        let invalid = corpus_files(version, "invalid-", ".json");
        assert!(
            valid.len() >= 15,
            "{version}: only {} valid-*.json files",
            valid.len()
        );
        assert!(
            invalid.len() >= 15,
            "{version}: only {} invalid-*.json files",
            invalid.len()
        );

        let (code, doc) = validate_json(&dir, &[], &valid);
        let wrong: Vec<_> = statuses(&doc)
            .into_iter()
            .filter(|(_, s)| s != "valid")
            .collect();
        assert!(
            wrong.is_empty(),
            "{version}: valid files judged otherwise: {wrong:?}\n{doc:#}"
        );
        assert_eq!(code, 0, "{version}: valid files");
        assert_eq!(statuses(&doc).len(), valid.len());

        let (code, doc) = validate_json(&dir, &[], &invalid);
        let wrong: Vec<_> = statuses(&doc)
            .into_iter()
            .filter(|(_, s)| s != "invalid")
            .collect();
        assert!(
            wrong.is_empty(),
            "{version}: invalid files judged otherwise: {wrong:?}"
        );
        assert_eq!(code, 1, "{version}: invalid files");
        assert_eq!(statuses(&doc).len(), invalid.len());
        // Each invalid file fails the schema itself, with a pointer.
        for f in doc["files"].as_array().unwrap() {
            let diags = f["diagnostics"].as_array().unwrap();
            assert!(
                diags.iter().any(|d| d["severity"] == "error"
                    && d["code"].as_str().unwrap().starts_with("schema-")
                    && d["pointer"].is_string()
                    && d["position"]["line"].is_u64()),
                "{}: {diags:#?}",
                f["file"]
            );
        }
        summary.push((version, valid.len(), invalid.len()));
    }
    assert_eq!(summary.len(), 6);
    let total: usize = summary.iter().map(|(_, v, i)| v + i).sum();
    assert!(total >= 350, "corpus shrank: {summary:?}");
}

fn bom(extra: Value) -> Value {
    let mut doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "component": {"type": "firmware", "name": "modem-fw", "version": "4.2", "bom-ref": "fw",
                          "supplier": {"name": "Acme"}}
        },
        "components": [
            {"type": "library", "name": "zlib", "version": "1.3.1", "bom-ref": "pkg:generic/zlib@1.3.1",
             "components": [{"type": "file", "name": "zlib.h", "bom-ref": "zlib.h"}]},
            {"type": "library", "name": "openssl", "version": "3.0.13", "bom-ref": "pkg:generic/openssl@3.0.13"}
        ],
        "dependencies": [
            {"ref": "fw", "dependsOn": ["pkg:generic/zlib@1.3.1", "pkg:generic/openssl@3.0.13"]}
        ]
    });
    if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
        d.extend(e);
    }
    doc
}

fn write(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    p
}

#[test]
fn a_clean_bom_is_valid_even_when_strict() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "ok.json", &bom(json!({})));
    let out = strata(tmp.path())
        .args(["validate", "--strict", "ok.json"])
        .output()
        .unwrap();
    assert_eq!(
        render(&out, tmp.path()),
        "exit_code: 0\n----- stdout -----\nvalid: ok.json (CycloneDX 1.6 JSON, 3 components)\n----- stderr -----\n"
    );
}

#[test]
fn truncated_json_is_unreadable_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let text = serde_json::to_string_pretty(&bom(json!({}))).unwrap();
    let cut = &text[..text.len() / 2];
    std::fs::write(tmp.path().join("cut.json"), cut).unwrap();
    let lines = cut.lines().count();
    let out = strata(tmp.path())
        .args(["validate", "cut.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, tmp.path()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[json-truncated]"), "{stderr}");
    assert!(
        stderr.contains(&format!("--> cut.json:{lines}:")),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "unreadable: cut.json\n"
    );

    std::fs::write(
        tmp.path().join("syntax.json"),
        "{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}",
    )
    .unwrap();
    let out = strata(tmp.path())
        .args(["validate", "syntax.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "error[json-syntax]: not valid JSON: key must be a string\n  --> syntax.json:3:3"
    ));
}

#[test]
fn missing_file_is_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    let out = strata(tmp.path())
        .args(["validate", "nope.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[io-error]") && stderr.contains("nope.json"),
        "{stderr}"
    );
}

#[test]
fn duplicate_bom_ref_warns_and_fails_under_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let mut doc = bom(json!({}));
    doc["components"][1]["bom-ref"] = json!("zlib.h");
    write(tmp.path(), "dup.json", &doc);
    let lax = strata(tmp.path())
        .args(["validate", "dup.json"])
        .output()
        .unwrap();
    insta::assert_snapshot!("duplicate_bom_ref_lax", render(&lax, tmp.path()));
    let strict = strata(tmp.path())
        .args(["validate", "--strict", "dup.json"])
        .output()
        .unwrap();
    assert_eq!(
        strict.status.code(),
        Some(1),
        "{}",
        render(&strict, tmp.path())
    );
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.starts_with("error[duplicate-bom-ref]"), "{stderr}");
}

#[test]
fn dangling_dependency_and_composition_refs_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = bom(json!({
        "dependencies": [{"ref": "fw", "dependsOn": ["pkg:generic/zlib@1.3.1", "pkg:generic/libfoo@9"]}],
        "compositions": [{"aggregate": "complete", "assemblies": ["ghost"]}]
    }));
    write(tmp.path(), "dangling.json", &doc);
    let (code, out) = validate_json(tmp.path(), &[], &[PathBuf::from("dangling.json")]);
    assert_eq!(code, 0);
    let diags = &out["files"][0]["diagnostics"];
    let got: Vec<(&str, &str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["pointer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("dangling-ref", "warning", "/dependencies/0/dependsOn/1"),
            ("dangling-ref", "warning", "/compositions/0/assemblies/0"),
        ]
    );
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("pkg:generic/libfoo@9")
    );
    let (code, _) = validate_json(tmp.path(), &["--strict"], &[PathBuf::from("dangling.json")]);
    assert_eq!(code, 1);
}

#[test]
fn schema_url_disagreeing_with_spec_version_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    // 1.6 has no enum on $schema, so only the semantic pass notices.
    let doc = bom(json!({"$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json"}));
    write(tmp.path(), "mismatch.json", &doc);
    let (code, out) = validate_json(tmp.path(), &[], &[PathBuf::from("mismatch.json")]);
    assert_eq!(code, 0);
    let d = &out["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "spec-version-mismatch");
    assert_eq!(d["pointer"], "/$schema");
    let (code, _) = validate_json(tmp.path(), &["--strict"], &[PathBuf::from("mismatch.json")]);
    assert_eq!(code, 1);
}

#[test]
fn unsupported_or_missing_spec_version_is_invalid() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old.json", &bom(json!({"specVersion": "1.1"})));
    let mut none = bom(json!({}));
    none.as_object_mut().unwrap().remove("specVersion");
    write(tmp.path(), "none.json", &none);
    let (code, out) = validate_json(
        tmp.path(),
        &[],
        &[PathBuf::from("old.json"), PathBuf::from("none.json")],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out["files"][0]["diagnostics"][0]["code"],
        "unsupported-spec-version"
    );
    assert_eq!(out["files"][0]["spec_version"], "1.1");
    assert_eq!(
        out["files"][1]["diagnostics"][0]["code"],
        "missing-spec-version"
    );
    assert_eq!(out["files"][1]["spec_version"], Value::Null);
}

#[test]
fn json_output_has_a_stable_shape_and_exit_is_the_worst() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "ok.json", &bom(json!({})));
    let mut bad = bom(json!({}));
    bad["metadata"]["timestamp"] = json!("last tuesday");
    write(tmp.path(), "bad.json", &bad);
    let files = ["ok.json", "bad.json", "missing.json"].map(PathBuf::from);
    let (code, out) = validate_json(tmp.path(), &[], &files);
    assert_eq!(code, 2);
    assert_eq!(out["valid"], false);
    assert_eq!(out["strict"], false);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&out), ["schema_version", "valid", "strict", "files"]);
    let files = out["files"].as_array().unwrap();
    for f in files {
        assert_eq!(
            keys(f),
            [
                "file",
                "status",
                "format",
                "spec_version",
                "serial_number",
                "metadata_component",
                "component_count",
                "spdx",
                "errors",
                "warnings",
                "diagnostics"
            ]
        );
    }
    assert_eq!(
        files[0],
        json!({
            "file": "ok.json", "status": "valid", "format": "cyclonedx-json", "spec_version": "1.6",
            "serial_number": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "metadata_component": {"name": "modem-fw", "version": "4.2", "supplier": "Acme", "bom_ref": "fw"},
            "component_count": 3, "spdx": null, "errors": 0, "warnings": 0, "diagnostics": []
        })
    );
    assert_eq!(files[1]["status"], "invalid");
    assert_eq!(
        files[1]["diagnostics"][0],
        json!({
            "code": "schema-format", "severity": "error",
            "message": "\"last tuesday\" is not a \"date-time\"",
            "file": "bad.json", "position": {"line": 16, "column": 5}, "pointer": "/metadata/timestamp"
        })
    );
    assert_eq!(files[2]["status"], "unreadable");
    assert_eq!(files[2]["diagnostics"][0]["code"], "io-error");
    assert_eq!(files[2]["component_count"], Value::Null);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let text = serde_json::to_string(&bom(json!({}))).unwrap();
    let out = strata(tmp.path())
        .args(["validate", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valid: <stdin> (CycloneDX 1.6 JSON, 3 components)\n"
    );
}

#[test]
fn help_has_examples() {
    let out = strata(&repo())
        .args(["validate", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Examples:") && text.contains("--strict"),
        "{text}"
    );
}

#[test]
fn boms_larger_than_the_64_mib_input_limit_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    let padding = "x".repeat(14 * 1024);
    let components: Vec<Value> = (0..5000)
        .map(|i| json!({"type": "library", "name": format!("c{i}"), "bom-ref": format!("c{i}"), "description": padding}))
        .collect();
    let doc = bom(json!({"components": components, "dependencies": []}));
    let p = write(tmp.path(), "large.json", &doc);
    assert!(std::fs::metadata(&p).unwrap().len() > 64 * 1024 * 1024);
    let out = strata(tmp.path())
        .args(["validate", "large.json"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valid: large.json (CycloneDX 1.6 JSON, 5000 components)\n",
        "{}",
        render(&out, tmp.path())
    );
}
