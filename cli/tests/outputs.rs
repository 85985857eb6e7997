//! Every JSON output validates against the schema `strata schema output-…`
//! prints, on real runs over the example fleet (passing and failing ones),
//! and starts with `schema_version`.

use crate::common::{Repo, render, repo_like, strata};

use std::path::Path;

use serde_json::Value;

const KEY: &str = "fleet/keys/demo-signing-key.pub";
const SU7: &str = "attestations/xiaomi-su7/bom.cdx.json";

/// The schema the binary prints for `name`.
fn schema(dir: &Path, name: &str) -> Value {
    let out = strata(dir).args(["schema", name]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, dir));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Run `args` (which ask for JSON) and check stdout against `name`'s
/// schema; returns the document.
pub(crate) fn check(dir: &Path, name: &str, args: &[&str], exit: i32) -> Value {
    let out = strata(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(exit),
        "{args:?}\n{}",
        render(&out, dir)
    );
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})\n{}", render(&out, dir)));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("{\n  \"schema_version\": 1,"),
        "{args:?}: {}",
        &text[..text.len().min(80)]
    );
    let schema = schema(dir, name);
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "{args:?} vs {name}:\n{}",
        errors.join("\n")
    );
    doc
}

#[test]
fn every_json_output_matches_its_schema() {
    let tmp = repo_like();
    let d = tmp.path();
    let mut git = Repo::init(d);
    git.commit("example fleet");
    let now = ["--now", "2026-12-01"];
    let with = |args: &[&'static str], extra: &[&'static str]| -> Vec<&'static str> {
        args.iter().chain(extra).copied().collect()
    };
    check(
        d,
        "output-analyze",
        &["analyze", "fleet", "--format", "json"],
        0,
    );
    check(
        d,
        "output-gate",
        &with(&["gate", "fleet", "--format", "json"], &now),
        0,
    );
    check(
        d,
        "output-report",
        &with(&["report", "fleet", "--format", "json"], &now),
        0,
    );
    check(
        d,
        "output-validate",
        &[
            "validate",
            SU7,
            "fleet/stacks/laptop.yaml",
            "--format",
            "json",
        ],
        2,
    );
    check(
        d,
        "output-verify",
        &[
            "verify",
            "attestations/laptop/bom.sigstore.json",
            "--key",
            KEY,
            "--format",
            "json",
        ],
        0,
    );
    let batch = check(
        d,
        "output-verify-batch",
        &[
            "verify",
            "--batch",
            "attestations",
            "--key",
            KEY,
            "--format",
            "json",
        ],
        0,
    );
    // Five BOMs and their five declarations documents.
    assert_eq!(batch["summary"]["verified"], 10);
    check(
        d,
        "output-hash",
        &["hash", "fleet/evidence", "--format", "json"],
        0,
    );
    let inventory = check(
        d,
        "output-inventory",
        &[
            "inventory",
            "reconcile",
            "fleet",
            "--no-pseudonym",
            "--intune",
            "fleet/inventory/intune",
            "--android",
            "fleet/inventory/android-enterprise.json",
            "--now",
            "2026-12-01",
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(inventory["sources"].as_array().map(Vec::len), Some(2));
    check(
        d,
        "output-explain",
        &["explain", "unknown-key", "--format", "json"],
        0,
    );
    check(
        d,
        "output-explain-list",
        &["explain", "--list", "--format", "json"],
        0,
    );
    check(
        d,
        "output-evidence",
        &[
            "evidence",
            "inspect",
            "fleet/evidence/real/avb/test_vbmeta_descriptors.img",
            "--format",
            "json",
        ],
        1,
    );
    check(
        d,
        "output-log",
        &["log", "laptop", "--fleet", "fleet", "--format", "json"],
        0,
    );
    // A change in the working tree, a diff, and a rejection of it.
    let p = d.join(SU7);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("\"1.5\"", "\"1.6\"", 1)).unwrap();
    let diff = check(
        d,
        "output-diff",
        &[
            "diff", "HEAD", "WORKTREE", "--fleet", "fleet", "--format", "json",
        ],
        0,
    );
    assert_eq!(diff["totals"]["changed"], 1);
    check(
        d,
        "output-review",
        &[
            "review",
            "reject",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "Ana <ana@example.org>",
            "--note",
            "changed OS",
            "--format",
            "json",
        ],
        0,
    );
    // Failures are JSON too.
    check(
        d,
        "output-gate",
        &with(&["gate", "fleet", "--format", "json"], &now),
        1,
    );
    check(
        d,
        "output-error",
        &["gate", "nowhere", "--format", "json"],
        2,
    );
    check(
        d,
        "output-error",
        &[
            "verify",
            "missing.sigstore.json",
            "--key",
            KEY,
            "--format",
            "json",
        ],
        2,
    );
}

#[test]
fn model_verify_output_matches_its_schema() {
    let tmp = repo_like();
    let d = tmp.path();
    let model = "fleet/evidence/pixel-9-pro/gemini-nano";
    let out = strata(d)
        .args([
            "model",
            "sign",
            model,
            "--key",
            "fleet/keys/demo-signing-key.pem",
            "--signature",
            "m.sig",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let args = [
        "model",
        "verify",
        model,
        "--signature",
        "m.sig",
        "--key",
        KEY,
        "--format",
        "json",
    ];
    check(d, "output-model-verify", &args, 0);
    std::fs::write(d.join(model).join("extra.bin"), b"x").unwrap();
    let v = check(d, "output-model-verify", &args, 1);
    assert_eq!(v["verified"], false);
}
