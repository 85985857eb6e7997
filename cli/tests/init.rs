//! `strata init` writes a fleet wired end to end: the three commands it
//! prints assemble and sign the attestation, pass the gate (which verifies
//! the signature against the demo key the policy names) and report on it.
//! The git hint appears only inside a git repository.

use crate::common::{render, strata};

use std::path::Path;

/// The commands after `Next:` in init's output, split into words.
fn next_commands(stderr: &str) -> Vec<Vec<String>> {
    stderr
        .lines()
        .skip_while(|l| *l != "Next:")
        .skip(1)
        .take_while(|l| l.starts_with("  strata "))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn init(dir: &Path, fleet: &str) -> String {
    let out = strata(dir).args(["init", fleet]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, dir));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_printed_next_commands_sign_gate_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let err = init(d, "fleet");
    assert!(err.contains("demo key"), "{err}");
    assert!(
        !err.contains("git repository"),
        "no git hint outside a repository:\n{err}"
    );
    let commands = next_commands(&err);
    assert_eq!(commands.len(), 3, "{err}");
    assert_eq!(commands[1], ["strata", "gate", "fleet"]);
    for argv in &commands {
        let out = strata(d).args(&argv[1..]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{argv:?}\n{}", render(&out, d));
    }
    let bundle = d.join("fleet/attestations/example-phone/bom.sigstore.json");
    assert!(bundle.is_file());
    // The gate verified the signature: it fails once the bundle is wrong.
    let report = strata(d)
        .args(["report", "fleet", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(
        v["devices"][0]["attestation"]["status"],
        "signed (verified)"
    );
    let other = tempfile::tempdir().unwrap();
    init(other.path(), ".");
    std::fs::copy(
        other.path().join("keys/demo-signing-key.pub"),
        d.join("fleet/keys/demo-signing-key.pub"),
    )
    .unwrap();
    let gate = strata(d).args(["gate", "fleet"]).output().unwrap();
    assert_eq!(gate.status.code(), Some(1), "{}", render(&gate, d));
    assert!(String::from_utf8_lossy(&gate.stdout).contains("deny[unsigned-attestation]"));
}

#[test]
fn inside_git_it_says_what_to_commit_and_how_to_merge_reviews() {
    let tmp = tempfile::tempdir().unwrap();
    git2::Repository::init(tmp.path()).unwrap();
    std::fs::create_dir(tmp.path().join("sub")).unwrap();
    let err = init(&tmp.path().join("sub"), "fleet");
    assert!(err.contains("in the git repository at"), "{err}");
    assert!(
        err.contains("sub/fleet/attestations/*/reviews.yaml merge=strata-reviews"),
        "{err}"
    );
    // In the current directory, the commands name no fleet.
    let here = tempfile::tempdir().unwrap();
    let cmds = next_commands(&init(here.path(), "."));
    assert_eq!(cmds[1], ["strata", "gate"]);
    assert_eq!(cmds[2], ["strata", "report"]);
}
