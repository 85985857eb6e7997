//! `--counts observed` through the real binary: `analyze`, `report` and the
//! memos weigh the fleet by the devices the policy's inventories see in use,
//! say so in every output, and refuse (exit 2, `no-inventories`) when the
//! policy names none; without the flag their output is unchanged.

use crate::common;

use common::{render, repo_like, strata};

/// The inventories the example organisation's policy can name.
pub const INVENTORIES: &str = "inventories:\n  stale-days: 30\n  sources:\n    - id: intune\n      format: graph\n      path: inventory/intune\n    - id: android\n      format: android\n      path: inventory/android-enterprise.json\n";

/// The example fleet in `fleet/` (attestations beside it) whose policy
/// also names the example Intune and Android Enterprise exports.
pub fn fleet_with_inventories() -> tempfile::TempDir {
    crate::seen_not_approved::fleet(INVENTORIES)
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir).args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

#[test]
fn analyze_weighs_the_fleet_the_inventories_see() {
    let tmp = fleet_with_inventories();
    let out = run(
        tmp.path(),
        &[
            "analyze",
            "fleet",
            "--counts",
            "observed",
            "--now",
            "2026-12-01",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let text = String::from_utf8(out.stdout).unwrap();
    let head: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
    let fleet: String = text
        .lines()
        .skip_while(|l| !l.starts_with("FLEET"))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(format!("{head}\n...\n{fleet}"));
}

#[test]
fn analyze_json_carries_the_counts_and_the_unlisted_devices() {
    let tmp = fleet_with_inventories();
    let out = run(
        tmp.path(),
        &[
            "analyze",
            "fleet",
            "--counts",
            "observed",
            "--now",
            "2026-12-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let units: Vec<(String, u64)> = v["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["units"].as_u64().unwrap(),
            )
        })
        .collect();
    insta::assert_json_snapshot!(serde_json::json!({
        "counts": v["counts"],
        "units": units,
        "unlisted": v["fleet"]["unlisted"],
        "pooled": v["fleet"]["pooled"],
        "hhi": v["fleet"]["hhi"],
    }));
    // The pooled shares still sum to one with the unlisted devices in.
    let sum: f64 = v["fleet"]["pooled"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["share"].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-3, "{sum}");
}

#[test]
fn declared_counts_are_the_default_and_change_nothing() {
    let tmp = fleet_with_inventories();
    for args in [
        vec!["analyze", "fleet"],
        vec!["analyze", "fleet", "--format", "json"],
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
        let plain = run(tmp.path(), &args);
        let mut declared_args = args.clone();
        declared_args.extend(["--counts", "declared"]);
        let declared = run(tmp.path(), &declared_args);
        assert_eq!(
            plain.status.code(),
            Some(0),
            "{}",
            render(&plain, tmp.path())
        );
        assert_eq!(plain.stdout, declared.stdout, "{args:?}");
        let text = String::from_utf8_lossy(&plain.stdout);
        assert!(!text.contains("counts: observed"), "{args:?}");
        assert!(!text.contains("\"counts\""), "{args:?}");
    }
}

#[test]
fn observed_counts_without_inventories_are_an_input_error() {
    let tmp = repo_like();
    for args in [
        vec!["analyze", "fleet", "--counts", "observed"],
        vec!["report", "fleet", "--counts", "observed"],
        vec![
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--counts",
            "observed",
        ],
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{}", render(&out, tmp.path()));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error[no-inventories]"), "{err}");
        assert!(err.contains("fleet/policy.yaml"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = run(tmp.path(), &["analyze", "fleet", "--counts", "observed"]);
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn report_and_memos_say_which_counts_they_used() {
    let tmp = fleet_with_inventories();
    let line = "observed in inventory/intune, inventory/android-enterprise.json as of 2026-12-01T00:00:00Z";
    for (args, needle) in [
        (vec!["report", "fleet"], line.to_string()),
        (vec!["report", "fleet", "-q"], line.to_string()),
        (vec!["report", "fleet", "--format", "md"], line.to_string()),
        (
            vec!["report", "fleet", "--format", "html"],
            line.replace('/', "&#x2f;"),
        ),
        (
            vec!["memo", "procurement", "--all", "--fleet", "fleet"],
            format!("Device counts: {line}"),
        ),
        (
            vec![
                "memo",
                "procurement",
                "--all",
                "--fleet",
                "fleet",
                "--format",
                "html",
            ],
            // HTML memos keep a date on one line (a nowrap span).
            format!(
                "Device counts: {}",
                line.replace('/', "&#x2f;").replace(
                    "2026-12-01T00:00:00Z",
                    "<span class=\"nowrap\">2026-12-01T00:00:00Z</span>"
                )
            ),
        ),
        (
            vec!["memo", "procurement", "pixel-9-pro", "--fleet", "fleet"],
            format!("Device counts: {line}"),
        ),
        (
            vec!["memo", "dpia", "laptop", "--fleet", "fleet"],
            format!("Device counts: {line}"),
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--counts", "observed", "--now", "2026-12-01"]);
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(&needle), "{args:?}:\n{text}");
    }
    let out = run(
        tmp.path(),
        &[
            "report",
            "fleet",
            "--counts",
            "observed",
            "--now",
            "2026-12-01",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysis"]["counts"]["basis"], "observed");
    assert_eq!(v["analysis"]["counts"]["approved_devices"], 8);
    // The memo's workings come from a second run on the same counts.
    let out = run(
        tmp.path(),
        &[
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--counts",
            "observed",
            "--now",
            "2026-12-01",
            "--dump-context",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["basis"], "observed");
    let explain = v["fleet"]["explain"].as_array().unwrap();
    assert!(
        explain.iter().any(|l| l["metric"] == "unlisted n·c"),
        "{explain:?}"
    );
}
