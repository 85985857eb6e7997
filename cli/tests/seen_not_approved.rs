//! The report's and the fleet memo's "seen but not approved" section through
//! the real binary: present only when the policy names inventories, in every
//! format, with counts by ownership and restricted-list hits, and never a
//! personal identifier from the inventories.

use crate::common;

use common::{render, repo_like, strata};

/// Every example inventory, each format, as the policy names them.
const ALL_INVENTORIES: &str = "inventories:\n  stale-days: 30\n  sources:\n    - id: android\n      format: android\n      path: inventory/android-enterprise.json\n    - id: assets\n      format: csv\n      path: inventory/asset-register.csv\n      map:\n        id: Asset Tag\n        last-seen: Last inventory\n        manufacturer: Vendor\n        model: Model\n        os: Platform\n        ownership: Owner type\n    - id: intune\n      format: graph\n      path: inventory/intune\n    - id: jamf\n      format: jamf\n      path: inventory/jamf\n    - id: vehicles\n      format: vin-csv\n      path: inventory/vehicles.csv\n";

/// The example fleet in `fleet/` (attestations beside it) whose policy
/// also names `inventories`.
pub fn fleet(inventories: &str) -> tempfile::TempDir {
    let tmp = repo_like();
    let policy = tmp.path().join("fleet/policy.yaml");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str(inventories);
    std::fs::write(&policy, text).unwrap();
    tmp
}

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = strata(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        render(&out, dir)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn section(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{text}"));
    let rest = &text[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    rest[..to].to_string()
}

#[test]
fn the_report_shows_what_nobody_approved() {
    let tmp = fleet(crate::observed_counts::INVENTORIES);
    let text = run(tmp.path(), &["report", "fleet", "--now", "2026-12-01"]);
    insta::assert_snapshot!(section(&text, "Seen but not approved", "\nGate:"));
    let md = run(
        tmp.path(),
        &["report", "fleet", "--now", "2026-12-01", "--format", "md"],
    );
    insta::assert_snapshot!(section(&md, "## Seen but not approved", "## Gate:"));
    let html = run(
        tmp.path(),
        &["report", "fleet", "--now", "2026-12-01", "--format", "html"],
    );
    let part = section(
        &html,
        "<h2>Seen but not approved",
        "<h2>Findings per device",
    );
    assert!(part.contains("<td>HUAWEI</td><td>ELS-NX9</td>"), "{part}");
    assert!(
        part.contains("possible match: HUAWEI (1 device not approved)"),
        "{part}"
    );
    let json = run(
        tmp.path(),
        &["report", "fleet", "--now", "2026-12-01", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let s = &v["seen_not_approved"];
    assert_eq!(s["active"], 19);
    assert_eq!(
        s["devices"],
        serde_json::json!({"company": 1, "personal": 7, "unknown": 3})
    );
    assert_eq!(s["screened"], true);
    let rows = s["stacks"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["vendor"] == "xiaomi" && r["model"] == "2311DRK48G")
    );
    assert!(
        s["unresolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["manufacturer"] == "HUAWEI")
    );
}

#[test]
fn the_fleet_memo_has_the_same_section() {
    let tmp = fleet(crate::observed_counts::INVENTORIES);
    let report = run(
        tmp.path(),
        &["report", "fleet", "--now", "2026-12-01", "--format", "md"],
    );
    let memo = run(
        tmp.path(),
        &[
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--now",
            "2026-12-01",
        ],
    );
    let from_memo = section(&memo, "### Seen but not approved", "## 3.");
    let from_report = section(&report, "## Seen but not approved", "## Gate:");
    // The same words and tables; only the heading level differs.
    assert_eq!(
        from_memo.trim_start_matches('#').trim(),
        from_report.trim_start_matches('#').trim()
    );
    let html = run(
        tmp.path(),
        &[
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--now",
            "2026-12-01",
            "--format",
            "html",
        ],
    );
    assert!(html.contains("<h3>Seen but not approved (device inventories)</h3>"));
    assert!(html.contains("<td>HUAWEI</td><td>ELS-NX9</td>"));
    // A device memo is about its device: no section.
    let device = run(
        tmp.path(),
        &[
            "memo",
            "procurement",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--now",
            "2026-12-01",
        ],
    );
    assert!(!device.contains("Seen but not approved"));
}

#[test]
fn no_section_without_inventories() {
    let tmp = repo_like();
    for args in [
        vec!["report", "fleet", "--now", "2026-12-01"],
        vec!["report", "fleet", "--now", "2026-12-01", "--format", "json"],
        vec![
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--now",
            "2026-12-01",
        ],
    ] {
        let text = run(tmp.path(), &args);
        assert!(!text.contains("Seen but not approved"), "{args:?}");
        assert!(!text.contains("seen_not_approved"), "{args:?}");
    }
}

#[test]
fn no_identifier_from_the_inventories_reaches_the_report_or_the_memo() {
    let ids = crate::inventory::identifiers();
    let tmp = fleet(ALL_INVENTORIES);
    let mut outputs = Vec::new();
    for counts in ["declared", "observed"] {
        let now = ["--now", "2026-12-01", "--counts", counts];
        for format in ["human", "md", "html", "json"] {
            let mut args = vec!["report", "fleet", "--format", format];
            args.extend(now);
            outputs.push((format!("report {format} {counts}"), run(tmp.path(), &args)));
        }
        let mut args = vec!["report", "fleet", "-q"];
        args.extend(now);
        outputs.push((format!("report -q {counts}"), run(tmp.path(), &args)));
        for extra in [
            &["--format", "md"][..],
            &["--format", "html"][..],
            &["--dump-context"][..],
        ] {
            let mut args = vec!["memo", "procurement", "--all", "--fleet", "fleet"];
            args.extend(extra);
            args.extend(now);
            outputs.push((format!("memo {extra:?} {counts}"), run(tmp.path(), &args)));
        }
        let mut args = vec!["analyze", "fleet", "--format", "json"];
        args.extend(now);
        outputs.push((format!("analyze {counts}"), run(tmp.path(), &args)));
    }
    // Every inventory made it into the section.
    let (_, json) = &outputs[3];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        v["seen_not_approved"]["inventories"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    for (name, text) in &outputs {
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{name} contains `{id}`");
        }
    }
}

#[test]
fn report_and_analyze_json_with_inventories_match_their_schemas() {
    let tmp = fleet(ALL_INVENTORIES);
    let now = [
        "--now",
        "2026-12-01",
        "--counts",
        "observed",
        "--format",
        "json",
    ];
    let mut args = vec!["report", "fleet"];
    args.extend(now);
    let v = crate::outputs::check(tmp.path(), "output-report", &args, 0);
    assert!(v["seen_not_approved"]["restricted"].as_array().is_some());
    assert_eq!(v["analysis"]["counts"]["basis"], "observed");
    let mut args = vec!["analyze", "fleet"];
    args.extend(now);
    let v = crate::outputs::check(tmp.path(), "output-analyze", &args, 0);
    assert_eq!(v["counts"]["inventories"].as_array().unwrap().len(), 5);
}
