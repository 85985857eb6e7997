//! `strata diff --inventory OLD NEW` through the real binary: two snapshots
//! of the example organisation's inventories a month apart, in human and
//! JSON (checked against its schema); malformed snapshots are input errors
//! naming the file and the JSON pointer; `strata diff REV REV` is unchanged.

use std::path::Path;

use crate::common;

use common::{render, repo, strata};

const KEY: &str = "example organisation pseudonym key (test only)";

/// Reconcile the example inventories `sources` (flag, path under
/// examples/) into `dir/out` as of `now`.
fn snapshot(dir: &Path, out: &str, now: &str, sources: &[(&str, &str)]) {
    let examples = repo().join("examples");
    let mut args: Vec<String> = ["inventory", "reconcile", "--fleet"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(examples.display().to_string());
    for (flag, path) in sources {
        args.push((*flag).to_string());
        args.push(examples.join(path).display().to_string());
    }
    args.extend(["--now", now, "--format", "json", "-o", out].map(String::from));
    let o = strata(dir)
        .env("STRATA_PSEUDONYM_KEY", KEY)
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", render(&o, dir));
}

/// November: the Intune export only; December: Intune and Android
/// Enterprise.
fn two_months() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    snapshot(
        tmp.path(),
        "2026-11.json",
        "2026-11-01",
        &[("--intune", "inventory/intune")],
    );
    snapshot(
        tmp.path(),
        "2026-12.json",
        "2026-12-01",
        &[
            ("--intune", "inventory/intune"),
            ("--android", "inventory/android-enterprise.json"),
        ],
    );
    tmp
}

fn diff(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir)
        .args(["diff", "--inventory"])
        .args(args)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

#[test]
fn what_appeared_and_grew_between_two_months() {
    let tmp = two_months();
    let out = diff(tmp.path(), &["2026-11.json", "2026-12.json"]);
    insta::assert_snapshot!(render(&out, tmp.path()));
    // Same snapshot twice: nothing changed.
    let out = diff(tmp.path(), &["2026-12.json", "2026-12.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No stack, vendor or manufacturer changed.")
    );
}

#[test]
fn json_matches_its_schema() {
    let tmp = two_months();
    let v = crate::outputs::check(
        tmp.path(),
        "output-inventory-diff",
        &[
            "diff",
            "--inventory",
            "2026-11.json",
            "2026-12.json",
            "--format",
            "json",
        ],
        0,
    );
    insta::assert_json_snapshot!(v);
}

#[test]
fn malformed_snapshots_name_the_file_and_the_pointer() {
    let tmp = two_months();
    let d = tmp.path();
    let good = std::fs::read_to_string(d.join("2026-12.json")).unwrap();
    std::fs::write(
        d.join("not-json.json"),
        "{\n  \"schema_version\": 1,\n  oops\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("wrong-type.json"),
        good.replacen("\"stacks\": [", "\"stacks\": 7, \"x\": [", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("newer.json"),
        good.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("gate.json"),
        "{\"schema_version\": 1, \"result\": \"pass\"}",
    )
    .unwrap();
    let mut all = String::new();
    for bad in [
        "not-json.json",
        "wrong-type.json",
        "newer.json",
        "gate.json",
    ] {
        let out = diff(d, &["2026-11.json", bad]);
        assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
        assert!(out.stdout.is_empty());
        all.push_str(&render(&out, d));
    }
    let out = diff(d, &["2026-11.json", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(all);
}

#[test]
fn inventory_diffs_take_no_device_and_no_fleet() {
    let tmp = two_months();
    let out = diff(tmp.path(), &["2026-11.json", "2026-12.json", "laptop"]);
    assert_eq!(out.status.code(), Some(2));
    let out = diff(
        tmp.path(),
        &["2026-11.json", "2026-12.json", "--fleet", "x"],
    );
    assert_eq!(out.status.code(), Some(2));
}
