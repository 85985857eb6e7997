//! Impossible dates, through the real binary: every date in every strata
//! file is a real calendar value or the file does not load. `2026-02-30`,
//! `2026-00-10`, `0000-00-00` and `2026-19-26T09:00:00Z` are
//! `error[invalid-date]` with file:line:col and exit 2, for the gate, the
//! report and the memos alike; none of them reads as "no expiry".

use std::path::Path;

use crate::common;

use common::{render, repo_like, strata};

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = strata(dir).args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

/// Replace the one occurrence of `from` in `file` with `to`; the 1-based
/// line and the column of the replaced value.
fn replace_once(file: &Path, from: &str, to: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} in {}",
        file.display()
    );
    let at = text.find(from).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
    (line, column)
}

fn assert_invalid_date(out: &std::process::Output, dir: &Path, at: &str) {
    let text = render(out, dir);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("error[invalid-date]"), "{text}");
    assert!(text.contains(at), "expected {at} in\n{text}");
}

const IMPOSSIBLE_DAYS: [&str; 3] = ["2026-02-30", "2026-00-10", "0000-00-00"];

#[test]
fn impossible_review_expiry_fails_every_reader_instead_of_never_expiring() {
    for bad in IMPOSSIBLE_DAYS {
        let tmp = repo_like();
        let d = tmp.path();
        let reviews = d.join("attestations/laptop/reviews.yaml");
        let note = "\n    note: Evidence digests match the vendor images; Intel ME";
        let (line, col) = replace_once(
            &reviews,
            &format!("expires: \"2027-11-30\"{note}"),
            &format!("expires: \"{bad}\"{note}"),
        );
        let at = format!(
            "attestations/laptop/reviews.yaml:{line}:{}",
            col + "expires: ".len()
        );
        assert_invalid_date(&run(d, &["gate", "fleet", "--now", "2026-11-26"]), d, &at);
        assert_invalid_date(&run(d, &["report", "fleet", "--now", "2026-11-26"]), d, &at);
        assert_invalid_date(
            &run(
                d,
                &[
                    "memo",
                    "procurement",
                    "laptop",
                    "-C",
                    "fleet",
                    "--now",
                    "2026-11-26",
                ],
            ),
            d,
            &at,
        );
    }
}

#[test]
fn impossible_review_time_is_refused() {
    let tmp = repo_like();
    let d = tmp.path();
    let (line, col) = replace_once(
        &d.join("attestations/laptop/reviews.yaml"),
        "date: \"2026-11-20T09:12:00Z\"",
        "date: \"2026-19-26T09:00:00Z\"",
    );
    let out = run(d, &["gate", "fleet", "--now", "2026-11-26"]);
    assert_invalid_date(
        &out,
        d,
        &format!(
            "attestations/laptop/reviews.yaml:{line}:{}",
            col + "date: ".len()
        ),
    );
    assert!(render(&out, d).contains("there is no month 19"));
}

#[test]
fn a_past_review_expiry_denies_and_an_impossible_one_cannot_pass() {
    // The laptop's current approval with a real expiry in the past is
    // stale: the gate fails (1). The same approval with an impossible
    // expiry must not do better: the file does not load (2).
    let tmp = repo_like();
    let d = tmp.path();
    let reviews = d.join("attestations/laptop/reviews.yaml");
    let text = std::fs::read_to_string(&reviews).unwrap();
    let current = "    date: \"2026-11-26T09:00:00Z\"\n";
    assert!(text.contains(current));
    std::fs::write(
        &reviews,
        text.replacen(
            current,
            &format!("{current}    expires: \"2026-11-25\"\n"),
            1,
        ),
    )
    .unwrap();
    let out = run(d, &["gate", "fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, d));
    assert!(String::from_utf8_lossy(&out.stdout).contains("deny[stale-review] laptop"));
    let text = std::fs::read_to_string(&reviews)
        .unwrap()
        .replace("expires: \"2026-11-25\"", "expires: \"2026-02-30\"");
    std::fs::write(&reviews, text).unwrap();
    let out = run(d, &["gate", "fleet", "--now", "2026-11-26"]);
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, d));
}

#[test]
fn impossible_policy_exception_expiry_is_spanned() {
    for bad in IMPOSSIBLE_DAYS {
        let tmp = repo_like();
        let d = tmp.path();
        let (line, col) = replace_once(
            &d.join("fleet/policy.yaml"),
            "expires: \"2027-03-31\"",
            &format!("expires: \"{bad}\""),
        );
        let at = format!("fleet/policy.yaml:{line}:{}", col + "expires: ".len());
        assert_invalid_date(&run(d, &["gate", "fleet", "--now", "2026-11-26"]), d, &at);
        assert_invalid_date(&run(d, &["report", "fleet", "--now", "2026-11-26"]), d, &at);
    }
}

#[test]
fn impossible_designation_dates_are_spanned() {
    for (from, key) in [
        ("snapshot-date: \"2025-10-31\"", "snapshot-date: "),
        ("retrieved: \"2026-11-01\"", "retrieved: "),
    ] {
        for bad in IMPOSSIBLE_DAYS {
            let tmp = repo_like();
            let d = tmp.path();
            let designations = d.join("fleet/designations.yaml");
            let text = std::fs::read_to_string(&designations).unwrap();
            let at_byte = text.find(from).unwrap();
            let line = text[..at_byte].matches('\n').count() + 1;
            let col = at_byte - text[..at_byte].rfind('\n').map_or(0, |n| n + 1) + 1;
            std::fs::write(
                &designations,
                text.replacen(from, &format!("{key}\"{bad}\""), 1),
            )
            .unwrap();
            let at = format!("fleet/designations.yaml:{line}:{}", col + key.len());
            assert_invalid_date(&run(d, &["analyze", "fleet"]), d, &at);
            assert_invalid_date(&run(d, &["gate", "fleet", "--now", "2026-11-26"]), d, &at);
        }
    }
}

#[test]
fn the_invalid_date_diagnostic_says_why() {
    let tmp = repo_like();
    let d = tmp.path();
    replace_once(
        &d.join("fleet/policy.yaml"),
        "expires: \"2027-03-31\"",
        "expires: \"2026-02-30\"",
    );
    let out = run(d, &["gate", "fleet", "--now", "2026-11-26"]);
    insta::assert_snapshot!(render(&out, d));
}
