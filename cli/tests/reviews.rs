//! `strata review`, the gate's `stale-review` rule and `strata fmt` through
//! the real binary: stale detection after a change, concurrent approvals,
//! branch merges of reviews.yaml, input errors.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{Repo, render, repo_like, strata};
use strata::model::FileKind;

/// The example fleet's demo public key, as copied by `repo_like`.
const DEMO_KEY: &str = "fleet/keys/demo-signing-key.pub";

/// Run strata in `dir`. Approvals verify the example attestations' bundles
/// against the demo key unless the arguments name other trust.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut args: Vec<&str> = args.to_vec();
    let trust_given = args
        .iter()
        .any(|a| ["--key", "--ca", "--identity", "--identity-regexp"].contains(a));
    if args.starts_with(&["review", "approve"]) && !trust_given {
        args.extend(["--key", DEMO_KEY]);
    }
    let out = strata(dir).args(&args).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        render(&out, dir)
    );
    out
}

fn stale_findings(dir: &Path) -> Vec<String> {
    let out = run(dir, &["gate", "fleet", "--now", "2026-11-26"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("[stale-review]"))
        .map(str::to_string)
        .collect()
}

/// A device's reviews file.
fn reviews_text(dir: &Path, device: &str) -> String {
    std::fs::read_to_string(dir.join(format!("attestations/{device}/reviews.yaml"))).unwrap()
}

/// The devices with an attestation directory.
fn devices(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("attestations"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every reviews file under `attestations/`, each under its name.
fn all_reviews(dir: &Path) -> String {
    let mut out = String::new();
    for device in devices(dir) {
        let p = dir.join(format!("attestations/{device}/reviews.yaml"));
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        out.push_str(&format!("## {device}\n{text}"));
    }
    out
}

fn is_canonical(text: &str) -> bool {
    strata::canon::format(text, Path::new("reviews.yaml"), FileKind::Reviews).unwrap() == text
}

const SU7: &str = "attestations/xiaomi-su7/bom.cdx.json";

/// Change the vehicle's OS version in its attestation (a semantic change a
/// reviewer must see).
fn bump_su7(dir: &Path) {
    let p = dir.join(SU7);
    let text = std::fs::read_to_string(&p).unwrap();
    let changed = text.replacen("\"version\": \"1.5\"", "\"version\": \"1.6\"", 1);
    assert_ne!(text, changed, "the example OS version moved");
    std::fs::write(p, changed).unwrap();
}

/// Sign the vehicle's attestation again with the demo key.
fn resign_su7(dir: &Path) {
    let out = run(
        dir,
        &["sign", SU7, "--key", "fleet/keys/demo-signing-key.pem"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, dir));
}

#[test]
fn the_example_reviews_cover_every_device_and_are_canonical() {
    let tmp = repo_like();
    assert!(stale_findings(tmp.path()).is_empty());
    let devices = devices(tmp.path());
    assert_eq!(devices.len(), 5);
    for device in devices {
        let text = reviews_text(tmp.path(), &device);
        assert!(is_canonical(&text), "{device}");
        let parsed = strata::history::parse_reviews_lenient(&text);
        assert!(!parsed.is_empty() && parsed.iter().all(|r| r.device == device));
    }
    assert!(!tmp.path().join("attestations/reviews.yaml").exists());
}

/// The example fleet committed in git, then the vehicle's attestation
/// changed in the working tree.
fn changed_su7() -> (tempfile::TempDir, Repo) {
    let tmp = repo_like();
    let mut git = Repo::init(tmp.path());
    git.commit("example fleet, reviewed");
    bump_su7(tmp.path());
    (tmp, git)
}

#[test]
fn the_stale_review_finding_names_the_fleet_when_diff_needs_it() {
    let (tmp, _git) = changed_su7();
    let d = tmp.path();
    // Gated from elsewhere, the attestations are not ./attestations: the
    // suggested command names the fleet, and works as given.
    let ci = d.join("ci");
    std::fs::create_dir_all(&ci).unwrap();
    let out = run(&ci, &["gate", "../fleet", "--now", "2026-11-26"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("[stale-review] xiaomi-su7"))
        .unwrap_or_else(|| panic!("{text}"));
    let cmd = line.split('`').nth(1).unwrap();
    assert!(
        cmd.starts_with("strata diff sha256:")
            && cmd.ends_with(" WORKTREE xiaomi-su7 --fleet ../fleet"),
        "{cmd}"
    );
    let args: Vec<&str> = cmd.split(' ').skip(1).collect();
    let diff = run(&ci, &args);
    assert_eq!(diff.status.code(), Some(0), "{}", render(&diff, d));
    assert!(String::from_utf8_lossy(&diff.stdout).contains("os        version 1.5 → 1.6"));
}

#[test]
fn a_changed_attestation_goes_stale_until_reviewed_again() {
    let (tmp, _git) = changed_su7();
    let d = tmp.path();
    let stale = stale_findings(d);
    assert_eq!(stale.len(), 1, "{stale:?}");
    let line = &stale[0];
    assert!(
        line.starts_with("deny[stale-review] xiaomi-su7: attestation sha256:"),
        "{line}"
    );
    assert!(
        line.contains("lacks an approving review for security-reviewed, dpo-approved"),
        "{line}"
    );
    // The finding names the command that shows what changed; run it.
    let cmd = line.split('`').nth(1).unwrap();
    assert!(
        cmd.starts_with("strata diff sha256:") && cmd.ends_with(" WORKTREE xiaomi-su7"),
        "{cmd}"
    );
    let args: Vec<&str> = cmd.split(' ').skip(1).collect();
    let diff = run(d, &args);
    assert_eq!(diff.status.code(), Some(0), "{}", render(&diff, d));
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("os        version 1.5 → 1.6"), "{text}");
    // The old signature no longer covers the attestation: approving is
    // refused until it is signed again.
    let refused = run(
        d,
        &[
            "review",
            "approve",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", render(&refused, d));
    assert!(
        String::from_utf8_lossy(&refused.stdout)
            .contains("signature fail    bom.sigstore.json does not verify"),
        "{}",
        render(&refused, d)
    );
    resign_su7(d);
    // One criterion approved: the other is still named.
    let approve = |c: &str, who: &str| {
        run(
            d,
            &[
                "review",
                "approve",
                "xiaomi-su7",
                "--fleet",
                "fleet",
                "-c",
                c,
                "--who",
                who,
                "--now",
                "2026-11-25T10:00:00Z",
            ],
        )
    };
    assert_eq!(
        approve("security-reviewed", "Sec <sec@example.org>")
            .status
            .code(),
        Some(0)
    );
    let stale = stale_findings(d);
    assert!(
        stale[0].contains("lacks an approving review for dpo-approved;"),
        "{stale:?}"
    );
    assert_eq!(
        approve("dpo-approved", "DPO <dpo@example.org>")
            .status
            .code(),
        Some(0)
    );
    assert!(stale_findings(d).is_empty());
    assert!(is_canonical(&reviews_text(d, "xiaomi-su7")));
}

#[test]
fn approving_uses_the_policys_trust_material_by_default() {
    let tmp = repo_like();
    let d = tmp.path();
    let out = strata(d)
        .args([
            "review",
            "approve",
            "laptop",
            "--fleet",
            "fleet",
            "-c",
            "procurement-approved",
        ])
        .args([
            "--who",
            "P <p@example.org>",
            "--now",
            "2026-11-25T10:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("signature pass    bom.sigstore.json verified against public key fleet/keys/demo-signing-key.pub"),
        "{text}"
    );
}

#[test]
fn rejections_and_expiry_fail_the_gate_with_reasons() {
    let tmp = repo_like();
    let d = tmp.path();
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
            "--note",
            "telemetry on",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    let stale = stale_findings(d);
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0].contains(
            "rejected for dpo-approved by DPO <dpo@example.org> on 2026-11-27 (telemetry on)"
        ),
        "{stale:?}"
    );
    // The example security approvals of the phones expire on 2027-05-31
    // (xiaomi) and 2027-11-30 (others).
    let later = run(d, &["gate", "fleet", "--now", "2027-06-01"]);
    let text = String::from_utf8_lossy(&later.stdout);
    assert!(
        text.contains("[stale-review] xiaomi-15s-pro-cn: attestation sha256:")
            && text.contains("expired after 2027-05-31"),
        "{text}"
    );
}

#[test]
fn approving_refuses_attestations_that_do_not_check_out() {
    let tmp = repo_like();
    let d = tmp.path();
    std::fs::write(d.join(SU7), "{\"bomFormat\": \"CycloneDX\"}\n").unwrap();
    let before = all_reviews(d);
    let out = run(
        d,
        &[
            "review",
            "approve",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, d));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused"));
    assert_eq!(all_reviews(d), before, "nothing written");
    // Another device's attestation is not this device's.
    std::fs::copy(d.join("attestations/laptop/bom.cdx.json"), d.join(SU7)).unwrap();
    let out = run(
        d,
        &[
            "review",
            "approve",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("the BOM describes `laptop`, not `xiaomi-su7`")
    );
    // An attestation without a bundle is not approved either.
    std::fs::remove_file(d.join("attestations/laptop/bom.sigstore.json")).unwrap();
    let out = run(
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
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no Sigstore bundle"));
    // A rejection is still recorded: a broken attestation is a reason to reject.
    let out = run(
        d,
        &[
            "review",
            "reject",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn input_errors_exit_2_with_clear_messages() {
    let tmp = repo_like();
    let d = tmp.path();
    std::fs::remove_file(d.join("attestations/pixel-9-pro/bom.cdx.json")).unwrap();
    let cases: &[&[&str]] = &[
        &[
            "review",
            "approve",
            "xiaomi-su7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewd,nope",
            "--who",
            "R",
        ],
        &[
            "review",
            "approve",
            "xiaomi-s7",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
        &[
            "review",
            "approve",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
            "--who",
            "R",
        ],
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
            "--expires",
            "2026-13-01",
        ],
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
            "2026-11-25",
            "--expires",
            "2026-11-01",
        ],
    ];
    let before = all_reviews(d);
    // Approving without trust material, in the policy or on the command line.
    let policy = d.join("fleet/policy.yaml");
    let with_key = std::fs::read_to_string(&policy).unwrap();
    let rule = "  unsigned-attestation:\n    level: deny\n    key: keys/demo-signing-key.pub\n";
    assert!(with_key.contains(rule));
    std::fs::write(&policy, with_key.replace(rule, "")).unwrap();
    let no_trust = strata(d)
        .args([
            "review",
            "approve",
            "laptop",
            "--fleet",
            "fleet",
            "-c",
            "security-reviewed",
        ])
        .args(["--who", "R"])
        .output()
        .unwrap();
    assert_eq!(no_trust.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_trust.stderr).contains("give --key PUB.pem"));
    std::fs::write(&policy, with_key).unwrap();
    let mut all = String::new();
    for args in cases {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", render(&out, d));
        all.push_str(&format!(
            "$ strata {}\n{}\n",
            args.join(" "),
            render(&out, d)
        ));
    }
    assert_eq!(all_reviews(d), before);
    insta::assert_snapshot!(all);
}

#[test]
fn a_policy_requiring_an_undefined_criterion_is_an_input_error() {
    let tmp = repo_like();
    let d = tmp.path();
    let p = d.join("fleet/policy.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace(
            "criteria: [security-reviewed, dpo-approved]",
            "criteria: [security-reviewed, dpo-aproved]",
        ),
    )
    .unwrap();
    let out = run(d, &["gate", "fleet"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[unknown-criterion]") && err.contains("did you mean `dpo-approved`?"),
        "{err}"
    );
}

#[test]
fn concurrent_approvals_lose_no_entry() {
    let tmp = repo_like();
    let d = tmp.path();
    let before = strata::review::load_reviews(&d.join("attestations/mixed-phone/reviews.yaml"))
        .unwrap()
        .unwrap()
        .value
        .reviews
        .len();
    let bin = assert_cmd::cargo::cargo_bin("strata");
    let n = 8;
    let children: Vec<_> = (0..n)
        .map(|i| {
            std::process::Command::new(&bin)
                .current_dir(d)
                .args([
                    "review",
                    "approve",
                    "mixed-phone",
                    "--fleet",
                    "fleet",
                    "-c",
                    "procurement-approved",
                ])
                .args(["--key", DEMO_KEY])
                .args(["--who", &format!("Reviewer {i} <r{i}@example.org>")])
                .args(["--now", &format!("2026-11-25T10:00:{i:02}Z")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = reviews_text(d, "mixed-phone");
    let after = strata::review::load_reviews(&d.join("attestations/mixed-phone/reviews.yaml"))
        .unwrap()
        .unwrap()
        .value
        .reviews;
    assert_eq!(after.len(), before + n);
    for i in 0..n {
        assert!(
            after
                .iter()
                .any(|r| r.reviewer == format!("Reviewer {i} <r{i}@example.org>"))
        );
    }
    assert!(is_canonical(&text));
    assert!(
        !d.join("attestations/mixed-phone/.reviews.yaml.lock")
            .exists()
    );
}

#[test]
fn reviews_added_on_two_branches_merge_cleanly_and_stay_canonical() {
    let tmp = repo_like();
    let d = tmp.path();
    let mut git = Repo::init(d);
    let base = git.commit("reviewed fleet");
    let approve = |device: &str, who: &str, now: &str| {
        let out = run(
            d,
            &[
                "review",
                "approve",
                device,
                "--fleet",
                "fleet",
                "-c",
                "procurement-approved",
                "--who",
                who,
                "--now",
                now,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, d));
    };
    // Branch one: procurement approves the laptop (early in the file).
    approve(
        "laptop",
        "Procurement <p@example.org>",
        "2026-11-25T09:00:00Z",
    );
    let one = git.commit("procurement: laptop");
    // Branch two, from the base: procurement approves the car (at the end).
    {
        let base_commit = git.git.find_commit(base).unwrap();
        git.git
            .reset(base_commit.as_object(), git2::ResetType::Hard, None)
            .unwrap();
    }
    approve(
        "xiaomi-su7",
        "Procurement <p@example.org>",
        "2026-11-25T09:30:00Z",
    );
    let two = git.commit("procurement: xiaomi-su7");
    let (c1, c2) = (
        git.git.find_commit(one).unwrap(),
        git.git.find_commit(two).unwrap(),
    );
    let mut index = git.git.merge_commits(&c1, &c2, None).unwrap();
    assert!(!index.has_conflicts(), "line-based merge conflicts");
    let tree = git
        .git
        .find_tree(index.write_tree_to(&git.git).unwrap())
        .unwrap();
    // Each device's reviews are its own file: the branches touched two.
    let mut parsed = Vec::new();
    for device in ["laptop", "xiaomi-su7"] {
        let entry = tree
            .get_path(Path::new(&format!("attestations/{device}/reviews.yaml")))
            .unwrap();
        let blob = git.git.find_blob(entry.id()).unwrap();
        let merged = std::str::from_utf8(blob.content()).unwrap();
        assert!(is_canonical(merged), "{merged}");
        parsed.extend(strata::history::parse_reviews_lenient(merged));
    }
    let procurement: Vec<&str> = parsed
        .iter()
        .filter(|r| r.reviewer == "Procurement <p@example.org>")
        .map(|r| r.device.as_str())
        .collect();
    assert_eq!(procurement, ["laptop", "xiaomi-su7"]);
}

#[test]
fn fmt_check_prints_a_diff_and_fmt_keeps_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let policy = "# Our policy.\nversion: 1\nrules:\n  # the big one\n  restricted-entity: {level: deny}\n  full-vertical: {level: warn}  # for now\n";
    std::fs::write(d.join("policy.yaml"), policy).unwrap();
    std::fs::write(d.join("notes.yaml"), "not: strata\n").unwrap();
    let check = run(d, &["fmt", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    insta::assert_snapshot!(render(&check, d));
    assert_eq!(
        std::fs::read_to_string(d.join("policy.yaml")).unwrap(),
        policy,
        "--check writes nothing"
    );
    let fmt = run(d, &["fmt"]);
    assert_eq!(fmt.status.code(), Some(0));
    let out = std::fs::read_to_string(d.join("policy.yaml")).unwrap();
    assert_eq!(
        out,
        "# Our policy.\nversion: 1\nrules:\n  full-vertical:\n    level: warn  # for now\n\n  # the big one\n  restricted-entity:\n    level: deny\n"
    );
    assert_eq!(
        run(d, &["fmt", "--check", "policy.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("notes.yaml")).unwrap(),
        "not: strata\n"
    );
}

#[test]
fn fmt_leaves_invalid_files_alone_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("policy.yaml"),
        "version: 1\nrules:\n  x: {levle: deny}\n",
    )
    .unwrap();
    let out = run(d, &["fmt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("policy.yaml:3"));
    let out = run(d, &["fmt", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_repository_is_canonical() {
    let out = run(&common::repo(), &["fmt", "--check", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        render(&out, &common::repo())
    );
}

#[test]
fn new_commands_have_examples_in_help() {
    for cmd in [
        &["review", "--help"][..],
        &["diff", "--help"],
        &["log", "--help"],
        &["fmt", "--help"],
    ] {
        let out = run(Path::new("."), cmd);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Examples:"),
            "{cmd:?}"
        );
    }
    let out = run(Path::new("."), &["schema", "reviews"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"x-strata-sort-by\""));
}

#[test]
fn the_merge_driver_resolves_reviews_added_at_the_same_place() {
    // Needs the git executable (libgit2 does not run merge drivers).
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let tmp = repo_like();
    let d = tmp.path();
    std::fs::write(
        d.join(".gitattributes"),
        "attestations/*/reviews.yaml merge=strata-reviews\n",
    )
    .unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(d)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", d)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let bin = assert_cmd::cargo::cargo_bin("strata");
    assert!(git(&["init", "-q", "-b", "main"]).0);
    git(&["config", "user.name", "Ana Lima"]);
    git(&["config", "user.email", "ana@example.org"]);
    git(&["add", "-A"]);
    assert!(git(&["commit", "-qm", "base"]).0);
    let approve = |who: &str, now: &str| {
        let out = run(
            d,
            &[
                "review",
                "approve",
                "pixel-9-pro",
                "--fleet",
                "fleet",
                "-c",
                "procurement-approved",
                "--who",
                who,
                "--now",
                now,
            ],
        );
        assert_eq!(out.status.code(), Some(0));
    };
    // Both branches add an entry for the same device and digest: the same
    // place in the file.
    git(&["checkout", "-qb", "one"]);
    approve("Procurement <p@example.org>", "2026-11-25T09:00:00Z");
    git(&["commit", "-qam", "one"]);
    git(&["checkout", "-q", "main"]);
    approve("CFO <cfo@example.org>", "2026-11-25T10:00:00Z");
    git(&["commit", "-qam", "two"]);
    // Without the driver: a line conflict.
    let (ok, _) = git(&["merge", "-q", "one", "-m", "merge"]);
    assert!(!ok, "a line merge of the same place conflicts");
    git(&["merge", "--abort"]);
    // With it: both entries, canonical.
    git(&[
        "config",
        "merge.strata-reviews.driver",
        &format!("{} review merge %O %A %B", bin.display()),
    ]);
    let (ok, msg) = git(&["merge", "-q", "one", "-m", "merge"]);
    assert!(ok, "{msg}");
    let text = reviews_text(d, "pixel-9-pro");
    assert!(is_canonical(&text));
    let parsed = strata::history::parse_reviews_lenient(&text);
    let added: Vec<&str> = parsed
        .iter()
        .filter(|r| r.criteria == ["procurement-approved"] && r.device == "pixel-9-pro")
        .map(|r| r.reviewer.as_str())
        .collect();
    assert_eq!(
        added,
        ["Procurement <p@example.org>", "CFO <cfo@example.org>"]
    );
}
