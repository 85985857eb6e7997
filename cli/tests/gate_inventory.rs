//! The gate's inventory rules through the real binary: the policy names the
//! example organisation's Intune and Android Enterprise exports; the gate
//! denies on unapproved devices and passes under looser thresholds; SARIF
//! results name the inventory files; no personal identifier from the
//! inventories reaches any output.

use crate::common;

use common::{render, repo_like, strata};

/// The example policy's device rules off (so only inventory rules decide),
/// with `rules` and the example inventories.
fn policy(rules: &str) -> String {
    format!(
        "version: 1\nrules:\n{rules}inventories:\n  stale-days: 30\n  sources:\n    - id: intune\n      format: graph\n      path: inventory/intune\n    - id: android\n      format: android\n      path: inventory/android-enterprise.json\n"
    )
}

const DENY: &str = "  unapproved-in-use:\n    level: deny\n    ownership: [personal]\n  unknown-model:\n    level: warn\n  unresolved-manufacturer:\n    level: warn\n  below-minimum-os:\n    level: deny\n";

/// The example fleet in `fleet/` (with attestations beside it), the policy
/// replaced by `policy`, and minimum OS and patch levels in the catalog.
fn fleet(policy: &str) -> tempfile::TempDir {
    let tmp = repo_like();
    let f = tmp.path().join("fleet");
    std::fs::write(f.join("policy.yaml"), policy).unwrap();
    let catalog = std::fs::read_to_string(f.join("catalog.yaml")).unwrap();
    let catalog = catalog
        .replace(
            "    names: [\"25042PN24C\", Xiaomi 15S Pro]\n    os: [Android]\n",
            "    names: [\"25042PN24C\", Xiaomi 15S Pro]\n    os: [Android]\n    min-patch-level: \"2026-10-01\"\n",
        )
        .replace(
            "    names: [Pixel 9 Pro]\n    os: [Android]\n",
            "    names: [Pixel 9 Pro]\n    os: [Android]\n    min-os-version: \"15\"\n",
        );
    assert!(catalog.contains("min-patch-level") && catalog.contains("min-os-version"));
    std::fs::write(f.join("catalog.yaml"), catalog).unwrap();
    tmp
}

fn gate(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir)
        .args(["gate", "fleet", "--now", "2026-12-01"])
        .args(args)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

#[test]
fn denies_on_unapproved_personal_devices_and_names_the_inventory() {
    let tmp = fleet(&policy(DENY));
    let out = gate(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, tmp.path()));
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn sarif_results_are_located_at_the_inventory_files() {
    let tmp = fleet(&policy(DENY));
    let out = gate(tmp.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, tmp.path()));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"fleet/inventory/intune"), "{uris:?}");
    assert!(
        uris.contains(&"fleet/inventory/android-enterprise.json"),
        "{uris:?}"
    );
    // %SRCROOT% is the temporary directory: the one line that differs
    // between runs.
    let root = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let text = String::from_utf8(out.stdout.clone())
        .unwrap()
        .replace(&root, "file:///[SRCROOT]/");
    insta::assert_snapshot!(text);
}

#[test]
fn json_carries_the_inventory_of_each_finding() {
    let tmp = fleet(&policy(DENY));
    let out = gate(tmp.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["inventories"], 2);
    let inventory_checks: Vec<serde_json::Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("inventory").is_some())
        .map(|c| {
            serde_json::json!({
                "device": c["device"], "rule": c["rule"], "verdict": c["verdict"],
                "inventory": c["inventory"], "message": c["message"]
            })
        })
        .collect();
    insta::assert_json_snapshot!(inventory_checks);
}

#[test]
fn passes_under_looser_thresholds_and_exceptions() {
    let rules = "  unapproved-in-use:\n    level: deny\n    max-share: 0.9\n  unknown-model:\n    level: deny\n    max-devices: 100\n  unresolved-manufacturer:\n    level: deny\n    ownership: [company]\n    max-devices: 5\n  below-minimum-os:\n    level: deny\n";
    let mut text = policy(rules);
    text.push_str("exceptions:\n  - device: intune\n    rule: below-minimum-os\n    reason: Patch rollout scheduled for the week of 7 December\n    expires: \"2026-12-31\"\n");
    let tmp = fleet(&text);
    let out = gate(tmp.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["deny"], 0);
    assert_eq!(v["summary"]["excepted"], 1);
}

#[test]
fn inventory_rules_without_inventories_are_a_policy_error() {
    let tmp = fleet(
        "version: 1\nrules:\n  unapproved-in-use:\n    level: deny\n    ownership: [personal, staff]\n    max-share: 2\n  unknown-model:\n    level: warn\n",
    );
    let out = gate(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn a_missing_inventory_is_an_error_at_its_policy_entry() {
    let text = policy(DENY).replace("inventory/intune", "inventory/no-such-export");
    let tmp = fleet(&text);
    let out = gate(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("io-error"), "{err}");
    assert!(err.contains("policy.yaml:17:13"), "{err}");
}

#[test]
fn no_identifier_from_the_inventories_reaches_any_gate_output() {
    let ids = crate::inventory::identifiers();
    let tmp = fleet(&policy(DENY));
    let mut outputs = Vec::new();
    for format in ["human", "json", "sarif", "junit"] {
        let out = gate(tmp.path(), &["--format", format]);
        assert_eq!(out.status.code(), Some(1));
        outputs.push((format, String::from_utf8_lossy(&out.stdout).into_owned()));
        outputs.push((format, String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    for (name, text) in &outputs {
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{name} contains `{id}`");
        }
    }
}

/// Staleness is judged at `--now`, not at the wall clock: the same inputs
/// and `--now` give the same verdict on any day, and half a year later
/// only the records that never checked in (no last-seen time, never
/// stale) are still in use.
#[test]
fn records_are_stale_as_of_now_not_as_of_the_wall_clock() {
    let tmp = fleet(&policy(DENY));
    let at = |now: &str| {
        let out = strata(tmp.path())
            .args(["gate", "fleet", "--now", now, "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let in_use: Vec<String> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["rule"] == "unapproved-in-use" && c["verdict"] == "deny")
            .map(|c| c["message"].to_string())
            .collect();
        (out.status.code(), in_use)
    };
    let (code, early) = at("2026-12-01");
    assert_eq!(code, Some(1));
    assert!(!early.is_empty());
    assert_eq!(at("2026-12-01"), (code, early.clone()), "deterministic");
    let (_, late) = at("2027-06-01");
    assert_ne!(early, late);
    assert!(
        late.iter()
            .all(|m| m.contains("\"1 personal device in use")),
        "{late:?} (at 2026-12-01: {early:?})"
    );
}

/// An inventory the policy names is read like evidence: a symbolic link
/// out of the fleet, or a FIFO in its place, is an error naming the file
/// (exit 2), never followed, never waited on.
#[cfg(unix)]
#[test]
fn a_policy_inventory_that_leaves_the_fleet_or_is_a_fifo_is_refused() {
    let tmp = fleet(&policy(DENY));
    let inv = tmp.path().join("fleet/inventory");
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(
        inv.join("android-enterprise.json"),
        outside.path().join("android-enterprise.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("android-enterprise.json"),
        inv.join("android-enterprise.json"),
    )
    .unwrap();
    let out = gate(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, tmp.path()));
    assert!(
        render(&out, tmp.path()).contains("symbolic link"),
        "{}",
        render(&out, tmp.path())
    );
    std::fs::remove_file(inv.join("android-enterprise.json")).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(inv.join("android-enterprise.json"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let out = gate(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, tmp.path()));
    assert!(
        render(&out, tmp.path()).contains("FIFO"),
        "{}",
        render(&out, tmp.path())
    );
}
