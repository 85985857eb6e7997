//! `policy.yaml` parameter errors through the real binary: read once into
//! typed rules, every unknown parameter, wrong type and out-of-range value
//! is an error with file:line:col and exit 2, and every command that reads
//! the policy refuses it the same way.

use std::path::Path;

use crate::common;

use common::{render, repo_like, strata};

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir).args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

/// The example policy with its rules replaced by `rules` (YAML, indented
/// under `rules:`).
fn with_rules(dir: &Path, rules: &str) {
    let policy = dir.join("fleet/policy.yaml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let start = text.find("rules:\n").unwrap();
    let end = text.find("exceptions:").unwrap();
    std::fs::write(
        &policy,
        format!("{}rules:\n{rules}{}", &text[..start], &text[end..]),
    )
    .unwrap();
}

fn gate_errors(rules: &str) -> String {
    let tmp = repo_like();
    with_rules(tmp.path(), rules);
    let out = run(tmp.path(), &["gate", "fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, tmp.path()));
    render(&out, tmp.path())
}

#[test]
fn every_parameter_error_is_reported_at_once_with_its_position() {
    let text = gate_errors(
        "  max-layers-per-group:\n    level: warn\n    max: \"3\"\n    maxx: 4\n\
         \x20 required-layers:\n    level: deny\n    layers: [silicon, kernel]\n\
         \x20 stale-review:\n    level: deny\n    criteria: [security-reviewed, legal-approved]\n    max-age-days: 0\n\
         \x20 unsigned-attestation:\n    level: deny\n    key: 3\n\
         \x20 full-vertical:\n    level: warn\n    max: 1\n",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn out_of_range_and_missing_values_are_spanned() {
    for (rules, at, says) in [
        (
            "  max-layers-per-group:\n    level: warn\n    max: 0\n",
            "policy.yaml:",
            "`max-layers-per-group` needs `max`, an integer ≥ 1",
        ),
        (
            "  max-layers-per-group:\n    level: warn\n    max: -2\n",
            "policy.yaml:",
            "`max-layers-per-group` needs `max`, an integer ≥ 1",
        ),
        (
            "  max-layers-per-group:\n    level: warn\n    max: 2.5\n",
            "policy.yaml:",
            "`max-layers-per-group` needs `max`, an integer ≥ 1",
        ),
        (
            "  max-layers-per-group:\n    level: warn\n",
            "policy.yaml:",
            "`max-layers-per-group` needs `max`, an integer ≥ 1",
        ),
        (
            "  required-layers:\n    level: deny\n    layers: []\n",
            "policy.yaml:",
            "`required-layers` needs `layers`",
        ),
        (
            "  required-layers:\n    level: deny\n    layers: [os, kernel]\n",
            "policy.yaml:",
            "`kernel` is not a layer name",
        ),
        (
            "  stale-review:\n    level: deny\n",
            "policy.yaml:",
            "`stale-review` needs `criteria`",
        ),
        (
            "  unsigned-attestation:\n    level: deny\n    key: keys/missing.pub\n",
            "policy.yaml:",
            "missing.pub",
        ),
        (
            "  unsigned-attestation:\n    level: deny\n    ca: keys/demo-signing-key.pub\n",
            "policy.yaml:",
            "--ca needs --identity",
        ),
    ] {
        let text = gate_errors(rules);
        assert!(
            text.contains("error[invalid-rule-parameter]"),
            "{rules}\n{text}"
        );
        assert!(text.contains(says), "{rules}\n{text}");
        assert!(text.contains(at), "{rules}\n{text}");
    }
}

#[test]
fn review_and_report_refuse_the_policy_the_gate_refuses() {
    let tmp = repo_like();
    let d = tmp.path();
    with_rules(
        d,
        "  max-layers-per-group:\n    level: warn\n    max: zero\n  unsigned-attestation:\n    level: deny\n    key: keys/demo-signing-key.pub\n",
    );
    let gate = run(d, &["gate", "fleet", "--now", "2026-11-26"]);
    let report = run(d, &["report", "fleet", "--now", "2026-11-26"]);
    let review = run(
        d,
        &[
            "review",
            "approve",
            "laptop",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
            "--now",
            "2026-11-26",
        ],
    );
    for out in [&gate, &report, &review] {
        assert_eq!(out.status.code(), Some(2), "{}", render(out, d));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&gate.stderr)
        );
    }
    assert!(String::from_utf8_lossy(&gate.stderr).contains("error[invalid-rule-parameter]"));
}

#[test]
fn the_rule_catalogue_and_the_schema_document_every_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = run(tmp.path(), &["gate", "--rules"]);
    assert_eq!(rules.status.code(), Some(0));
    let rules = String::from_utf8_lossy(&rules.stdout).into_owned();
    let schema = run(tmp.path(), &["schema", "policy"]);
    assert_eq!(schema.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    for (code, params) in [
        ("max-layers-per-group", &["max"][..]),
        ("required-layers", &["layers"]),
        (
            "unsigned-attestation",
            &[
                "key",
                "ca",
                "identity",
                "identity-regexp",
                "issuer",
                "trusted-root",
            ],
        ),
        ("stale-review", &["criteria", "max-age-days"]),
        ("full-vertical", &[]),
    ] {
        assert!(rules.contains(&format!("{code}\n")), "{rules}");
        let def = &schema["$defs"][format!("rule-{code}")];
        assert!(def["description"].is_string(), "{code}");
        for p in params {
            assert!(
                rules.contains(&format!("    parameter {p}: ")),
                "{code} {p}"
            );
            assert!(
                def["properties"][p]["description"].is_string(),
                "{code} {p} in the schema"
            );
        }
    }
}
