//! `strata gate` through the real binary: exit codes, exceptions with an
//! injected clock, policy errors, SARIF validity and JUnit parseability.

use crate::common;

use common::{example_fleet, render, repo, repo_like, strata};

fn gate(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir).arg("gate").args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

/// Remove the example fleet's Sigstore bundles (the repository signs its
/// example attestations with the demo key) so that the unsigned-attestation
/// rule has something to deny.
fn without_bundles(dir: &std::path::Path) {
    for id in common::EXAMPLE_DEVICES {
        let bundle = dir.join("attestations").join(id).join("bom.sigstore.json");
        if bundle.exists() {
            std::fs::remove_file(bundle).unwrap();
        }
    }
}

#[test]
fn example_fleet_gate_in_human_form() {
    let tmp = repo_like();
    without_bundles(tmp.path());
    let out = gate(tmp.path(), &["fleet", "--now", "2026-11-26"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "unsigned attestations are denied"
    );
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn passes_when_only_warnings_and_exceptions_remain() {
    let tmp = repo_like();
    let out = gate(
        tmp.path(),
        &["fleet", "--now", "2026-11-26", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "pass");
    assert_eq!(v["summary"]["deny"], 0);
    assert_eq!(v["summary"]["excepted"], 1);
    let excepted: Vec<_> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "excepted")
        .collect();
    assert_eq!(excepted[0]["device"], "xiaomi-su7");
    assert_eq!(excepted[0]["rule"], "dpia-required");
}

#[test]
fn an_expired_exception_no_longer_applies_and_is_reported() {
    let tmp = repo_like();
    // The exception expires on 2027-03-31: still valid that day, not the next.
    let last_day = gate(tmp.path(), &["fleet", "--now", "2027-03-31"]);
    assert_eq!(last_day.status.code(), Some(0));
    let after = gate(tmp.path(), &["fleet", "--now", "2027-04-01"]);
    assert_eq!(after.status.code(), Some(1));
    let text = render(&after, tmp.path());
    assert!(text.contains("deny[dpia-required] xiaomi-su7"), "{text}");
    assert!(text.contains("warning[exception-expired]"), "{text}");
    assert!(text.contains("policy.yaml:"), "{text}");
}

#[test]
fn an_exception_matching_nothing_is_reported() {
    let tmp = repo_like();
    let policy = tmp.path().join("fleet/policy.yaml");
    let text = std::fs::read_to_string(&policy).unwrap()
        + "  - device: laptop\n    rule: restricted-entity\n    reason: none needed\n    expires: \"2030-01-01\"\n";
    std::fs::write(&policy, text).unwrap();
    let out = gate(tmp.path(), &["fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning[exception-unused]"));
}

#[test]
fn policy_errors_name_file_line_and_column() {
    let fleet = example_fleet();
    std::fs::write(
        fleet.path().join("policy.yaml"),
        "version: 1\nrules:\n  restricted-entty:\n    level: deny\n  max-layers-per-group:\n    level: warn\n    max: 0\n\
         exceptions:\n  - device: laptop\n    rule: restricted-entity\n    reason: test\n    expires: \"2026-02-30\"\n",
    )
    .unwrap();
    let out = gate(fleet.path(), &["--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(render(&out, fleet.path()));
}

#[test]
fn sarif_is_schema_valid() {
    let tmp = repo_like();
    without_bundles(tmp.path());
    let out = gate(
        tmp.path(),
        &["fleet", "--now", "2026-11-26", "--format", "sarif"],
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // rtm.4 has a stray `]` in one pattern that strict regex engines reject;
    // the final 2.1.0 schema reads `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`.
    let text =
        std::fs::read_to_string(repo().join("cli/tests/fixtures/sarif/sarif-2.1.0-rtm.4.json"))
            .unwrap()
            .replace(
                "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
                "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
            );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let unsuppressed_errors = results
        .iter()
        .filter(|r| r["level"] == "error" && r.get("suppressions").is_none());
    assert_eq!(unsuppressed_errors.count(), 5);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fleet/approved-devices.yaml"
    );
    assert!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 1
    );
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "external")
    );
}

#[test]
fn junit_parses_with_one_testcase_per_device_and_rule() {
    let tmp = repo_like();
    without_bundles(tmp.path());
    let out = gate(
        tmp.path(),
        &[
            "fleet",
            "--now",
            "2026-11-26",
            "--junit",
            "junit.xml",
            "--sarif",
            "out.sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(tmp.path().join("out.sarif").is_file());
    let xml = std::fs::read_to_string(tmp.path().join("junit.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped) = (0, 0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    b"skipped" => skipped += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, 5 * 7, "5 devices × 7 enabled rules");
    assert_eq!(failures, 5);
    assert_eq!(skipped, 1);
}

#[test]
fn rules_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gate(tmp.path(), &["--rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("max-layers-per-group"));
}

#[test]
fn a_tampered_attestation_fails_its_signature() {
    let tmp = repo_like();
    let bom = tmp.path().join("attestations/laptop/bom.cdx.json");
    let text = std::fs::read_to_string(&bom)
        .unwrap()
        .replacen("Core Ultra 7", "Core Ultra 9", 1);
    std::fs::write(&bom, text).unwrap();
    let out = gate(tmp.path(), &["fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(1));
    let text = render(&out, tmp.path());
    assert!(text.contains("deny[unsigned-attestation] laptop"), "{text}");
    assert!(
        text.contains("signature does not verify: artifact-digest"),
        "{text}"
    );
    let report = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(
        v["devices"][0]["attestation"]["status"],
        "signature INVALID"
    );
    assert_eq!(
        v["devices"][1]["attestation"]["status"],
        "signed (verified)"
    );
}

#[test]
fn the_signature_rule_needs_trust_material() {
    let tmp = repo_like();
    let policy = tmp.path().join("fleet/policy.yaml");
    let text = std::fs::read_to_string(&policy)
        .unwrap()
        .replace("    key: keys/demo-signing-key.pub\n", "");
    std::fs::write(&policy, text).unwrap();
    let out = gate(tmp.path(), &["fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs trust material"));
}

/// Add `n` copies of the mixed phone as `clone-00`..: even ones with a copy
/// of its signed attestation (the signature verifies, no review names the
/// clone), odd ones with none.
fn add_clones(dir: &std::path::Path, n: usize) {
    let fleet = dir.join("fleet");
    let stack = std::fs::read_to_string(fleet.join("stacks/mixed-phone.yaml")).unwrap();
    let mut list = std::fs::read_to_string(fleet.join("approved-devices.yaml")).unwrap();
    for i in 0..n {
        let id = format!("clone-{i:02}");
        std::fs::write(
            fleet.join(format!("stacks/{id}.yaml")),
            stack.replace("id: mixed-phone", &format!("id: {id}")),
        )
        .unwrap();
        if i.is_multiple_of(2) {
            let att = dir.join("attestations").join(&id);
            std::fs::create_dir_all(&att).unwrap();
            for f in ["bom.cdx.json", "bom.sigstore.json"] {
                std::fs::copy(dir.join("attestations/mixed-phone").join(f), att.join(f)).unwrap();
            }
        }
        list.push_str(&format!(
            "  - id: {id}\n    stack: stacks/{id}.yaml\n    attestation: ../attestations/{id}/bom.cdx.json\n    units: 5\n"
        ));
    }
    std::fs::write(fleet.join("approved-devices.yaml"), list).unwrap();
}

#[test]
fn every_finding_lands_on_its_own_device_when_devices_run_in_parallel() {
    let tmp = repo_like();
    add_clones(tmp.path(), 40);
    let out = gate(
        tmp.path(),
        &["fleet", "--now", "2026-11-26", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 45 * 7);
    let mut order = Vec::new();
    for c in checks {
        let device = c["device"].as_str().unwrap();
        let message = c["message"].as_str().unwrap_or("");
        order.push((device, c["rule"].as_str().unwrap()));
        if !device.starts_with("clone-") {
            continue;
        }
        let n: usize = device[6..].parse().unwrap();
        let signed = n.is_multiple_of(2);
        match c["rule"].as_str().unwrap() {
            "unsigned-attestation" => assert_eq!(c["verdict"] == "pass", signed, "{c}"),
            "stale-review" => {
                assert_eq!(c["verdict"], "deny", "{c}");
                // The message names the device (a log hint or its path).
                assert!(message.contains(device), "{c}");
            }
            _ => {}
        }
        if message.contains("clone-") {
            assert!(message.contains(device), "{c}");
        }
    }
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "checks by device, then rule");
    // Same input, same bytes.
    let again = gate(
        tmp.path(),
        &["fleet", "--now", "2026-11-26", "--format", "json"],
    );
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn the_first_live_exception_of_a_device_and_rule_applies() {
    let tmp = repo_like();
    let policy = tmp.path().join("fleet/policy.yaml");
    // Before the example's own (live) exception for xiaomi-su7 ×
    // dpia-required: an expired one; after it: a second live one.
    let text = std::fs::read_to_string(&policy).unwrap().replace(
        "exceptions:\n",
        "exceptions:\n  - device: xiaomi-su7\n    rule: dpia-required\n    reason: old pilot\n    expires: \"2026-01-31\"\n",
    ) + "  - device: xiaomi-su7\n    rule: dpia-required\n    reason: second\n    expires: \"2030-01-01\"\n";
    std::fs::write(&policy, text).unwrap();
    let out = gate(
        tmp.path(),
        &["fleet", "--now", "2026-11-26", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let excepted: Vec<_> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "excepted")
        .collect();
    assert_eq!(excepted.len(), 1);
    assert!(
        excepted[0]["exception"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Pilot of 20 pool cars")
    );
    let notes: Vec<(&str, &str)> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["code"].as_str().unwrap(), n["pointer"].as_str().unwrap()))
        .collect();
    assert!(
        notes.contains(&("exception-expired", "/exceptions/0/expires")),
        "{notes:?}"
    );
    assert!(
        notes.contains(&("exception-unused", "/exceptions/2")),
        "{notes:?}"
    );
}
