//! Reviews kept per device, and fleets of the earlier layout (one shared
//! `attestations/reviews.yaml`): read the same, migrated by `strata review
//! migrate` without the gate, `log` or `diff` seeing a review come or go.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{Repo, render, repo_like, strata};

const DEVICES: [&str; 5] = [
    "laptop",
    "mixed-phone",
    "pixel-9-pro",
    "xiaomi-15s-pro-cn",
    "xiaomi-su7",
];

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = strata(dir).args(args).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        render(&out, dir)
    );
    out
}

/// Rewrite the example's per-device reviews as one shared file, as a fleet
/// made before the per-device layout has them; the entries of `extra`
/// (YAML list items) are appended.
fn to_shared_layout(d: &Path, extra: &str) {
    let mut entries = String::new();
    for device in DEVICES {
        let p = d.join(format!("attestations/{device}/reviews.yaml"));
        let text = std::fs::read_to_string(&p).unwrap();
        let at = text.find("reviews:\n").unwrap() + "reviews:\n".len();
        entries.push_str(&text[at..]);
        if !entries.ends_with("\n\n") {
            entries.push('\n');
        }
        std::fs::remove_file(p).unwrap();
    }
    entries.push_str(extra);
    std::fs::write(
        d.join("attestations/reviews.yaml"),
        format!("version: 1\nreviews:\n{entries}"),
    )
    .unwrap();
}

fn gate(d: &Path) -> (Option<i32>, String) {
    let out = run(
        d,
        &["gate", "fleet", "--now", "2026-11-26", "--format", "json"],
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const STRAY: &str = "  - device: retired-phone
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000001
    verdict: approve
    criteria: [security-reviewed]
    reviewer: Sec <sec@example.org>
    date: \"2026-01-01T00:00:00Z\"
";

#[test]
fn a_shared_reviews_file_reads_the_same_and_migrates_without_a_trace_in_history() {
    let tmp = repo_like();
    let d = tmp.path();
    let per_device = gate(d);
    assert_eq!(per_device.0, Some(0), "{}", per_device.1);
    assert!(per_device.1.contains("\"stale-review\""));
    to_shared_layout(d, STRAY);
    assert_eq!(gate(d), per_device, "the shared layout judges the same");
    let report = |d: &Path| run(d, &["report", "fleet", "--now", "2026-11-26"]).stdout;
    let shared_report = report(d);
    let mut git = Repo::init(d);
    let before = git.commit("reviews in the shared layout");

    let out = run(d, &["review", "migrate", "fleet"]);
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let said = render(&out, d);
    assert!(said.contains("laptop: 4 entries moved to"), "{said}");
    assert!(said.contains("removed"), "{said}");
    assert!(!d.join("attestations/reviews.yaml").exists());
    // A device the list no longer names keeps its entry where history finds it.
    let stray = std::fs::read_to_string(d.join("attestations/retired-phone/reviews.yaml")).unwrap();
    assert!(stray.contains("reviewer: Sec <sec@example.org>"));
    for device in DEVICES {
        let text =
            std::fs::read_to_string(d.join(format!("attestations/{device}/reviews.yaml"))).unwrap();
        let parsed = strata::history::parse_reviews_lenient(&text);
        assert!(!parsed.is_empty() && parsed.iter().all(|r| r.device == device));
        assert_eq!(
            strata::canon::format(
                &text,
                Path::new("reviews.yaml"),
                strata::model::FileKind::Reviews
            )
            .unwrap(),
            text
        );
    }
    assert_eq!(gate(d), per_device, "migrated: the same verdicts");
    assert_eq!(report(d), shared_report);
    let after = git.commit("strata review migrate");

    // History: moving entries is neither adding nor removing a review.
    let range = format!("{before}");
    let diff = run(d, &["diff", &range, "HEAD", "--format", "json"]);
    assert_eq!(diff.status.code(), Some(0), "{}", render(&diff, d));
    let v: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert_eq!(v["devices"], serde_json::json!([]), "{v:#}");
    for device in DEVICES {
        let log = run(d, &["log", device, "--format", "json"]);
        assert_eq!(log.status.code(), Some(0), "{}", render(&log, d));
        let v: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
        let at_migration: Vec<&serde_json::Value> = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["commit"] == after.to_string())
            .collect();
        assert!(at_migration.is_empty(), "{device}: {at_migration:?}");
    }

    // A review after the migration lands in the device's file and shows.
    let out = run(
        d,
        &[
            "review",
            "reject",
            "laptop",
            "--fleet",
            "fleet",
            "-c",
            "dpo-approved",
            "--who",
            "DPO <dpo@example.org>",
            "--now",
            "2026-11-27T10:00:00Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    assert!(!render(&out, d).contains("shared layout"));
    git.commit("dpo rejects the laptop");
    let log = run(d, &["log", "laptop", "-n", "1"]);
    assert!(
        String::from_utf8_lossy(&log.stdout).contains("reject dpo-approved"),
        "{}",
        render(&log, d)
    );

    // Nothing left to do.
    let again = run(d, &["review", "migrate", "fleet"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(render(&again, d).contains("no shared reviews file to migrate"));
}

#[test]
fn recording_beside_a_shared_file_says_to_migrate() {
    let tmp = repo_like();
    let d = tmp.path();
    to_shared_layout(d, "");
    let out = run(
        d,
        &[
            "review",
            "reject",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "-c",
            "dpo-approved",
            "--who",
            "DPO <dpo@example.org>",
            "--now",
            "2026-11-27T10:00:00Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let said = render(&out, d);
    assert!(
        said.contains("recorded reject of pixel-9-pro in attestations/pixel-9-pro/reviews.yaml")
            && said.contains("`strata review migrate`"),
        "{said}"
    );
    // Both files count: the new rejection decides dpo-approved.
    let (code, text) = gate(d);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("rejected for dpo-approved by DPO <dpo@example.org>"),
        "{text}"
    );
}

#[test]
fn an_entry_whose_device_is_no_directory_name_stops_the_migration() {
    let tmp = repo_like();
    let d = tmp.path();
    to_shared_layout(d, &STRAY.replace("retired-phone", "\"../../escape\""));
    let out = run(d, &["review", "migrate", "--fleet", "fleet"]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
    // The schema's device id pattern refuses it before any path is made
    // of it (and the migration checks again).
    assert!(
        render(&out, d).contains("does not match \"^[a-z0-9][a-z0-9._-]*$\""),
        "{}",
        render(&out, d)
    );
    assert!(
        d.join("attestations/reviews.yaml").is_file(),
        "nothing removed"
    );
    assert!(!d.join("escape").exists() && !d.parent().unwrap().join("escape").exists());
}
