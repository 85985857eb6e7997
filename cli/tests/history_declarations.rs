//! `strata diff` and `strata log` read a device's declarations document
//! (CycloneDX 1.6 CDXA) back: the example fleet committed as attested,
//! then one device's reviews withdrawn and `strata attest` run again, so
//! the second revision holds the document `strata attest` writes for the
//! new state.

use crate::common::{Repo, redact, render, repo_like, strata};

use serde_json::Value;

const NOW: &str = "2026-12-01T00:00:00Z";
const DEVICE: &str = "pixel-9-pro";
const DECLARATIONS: &str = "attestations/pixel-9-pro/declarations.cdx.json";

struct Fixture {
    tmp: tempfile::TempDir,
    names: Vec<(String, String)>,
}

fn digest_of(path: &std::path::Path) -> strata::digest::Digest {
    strata::digest::Digest::of(&std::fs::read(path).unwrap())
}

fn fixture() -> Fixture {
    let tmp = repo_like();
    let d = tmp.path();
    let mut r = Repo::init(d);
    let mut names = Vec::new();
    let mut name = |r: &Repo, oid: git2::Oid, n: &str| {
        names.push((oid.to_string(), format!("[{n}]")));
        names.push((r.short(oid), format!("[{n}]")));
    };
    let first = digest_of(&d.join(DECLARATIONS));
    let c1 = r.commit("example fleet, attested");
    name(&r, c1, "c1");
    // The device's reviews withdrawn: its declarations lose their signatories.
    std::fs::remove_file(d.join(format!("attestations/{DEVICE}/reviews.yaml"))).unwrap();
    let out = strata(d)
        .args(["attest", DEVICE, "--fleet", "fleet", "--now", NOW])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, d));
    let second = digest_of(&d.join(DECLARATIONS));
    assert_ne!(first, second);
    let c2 = r.commit("withdraw the reviews of pixel-9-pro; attest again");
    name(&r, c2, "c2");
    let bom = digest_of(&d.join("attestations/pixel-9-pro/bom.cdx.json"));
    for (digest, n) in [(first, "DECL1"), (second, "DECL2"), (bom, "BOM")] {
        names.push((digest.to_string(), format!("sha256:[{n}]")));
        names.push((digest.hex(), format!("[{n}]")));
        names.push((digest.short(), format!("sha256:[{n}]")));
        names.push((digest.hex()[..12].to_string(), format!("[{n}]")));
    }
    Fixture { tmp, names }
}

fn run(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    let out = strata(f.tmp.path()).args(args).output().unwrap();
    let text = render(&out, f.tmp.path());
    assert!(!text.contains("panicked"), "{text}");
    (
        out.status.code().unwrap_or(-1),
        redact(&text, &f.names),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn diff_shows_conformance_claims_and_signatories_that_changed() {
    let f = fixture();
    let (code, text, _) = run(&f, &["diff", "HEAD~1", "HEAD", DEVICE]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("declared  conformance of requirement stale-review: 1.0 → 0.0"),
        "{text}"
    );
    assert!(text.contains("declared  signatory removed: "), "{text}");
    insta::assert_snapshot!(text);

    let (code, _, json) = run(&f, &["diff", "HEAD~1", "HEAD", DEVICE, "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let changes = v["devices"][0]["changes"].as_array().unwrap();
    let stale = changes
        .iter()
        .find(|c| c["kind"] == "conformance" && c["requirement"] == "stale-review")
        .unwrap();
    assert_eq!(
        (&stale["from"], &stale["to"]),
        (&"1.0".into(), &"0.0".into())
    );
    assert!(stale.get("assessor").is_none(), "strata's own: {stale}");
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "conformance" && c["assessor"].is_string()),
        "a reviewer's attestation went with the reviews"
    );
    assert!(changes.iter().any(|c| c["kind"] == "claims"));
    assert_eq!(v["devices"][0]["status"], "changed");
}

#[test]
fn log_has_a_declarations_entry() {
    let f = fixture();
    let (code, text, _) = run(&f, &["log", DEVICE]);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
    let (_, _, json) = run(&f, &["log", DEVICE, "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "declarations").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"review-removed"), "{kinds:?}");
}

#[test]
fn a_declarations_document_that_does_not_read_is_reported_not_fatal() {
    let f = fixture();
    let d = f.tmp.path();
    for (bytes, why) in [
        (&b"{\"bomFormat\": \"CycloneDX\""[..], "EOF while parsing"),
        (b"[1, 2]", "invalid type"),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}",
            "missing field",
        ),
    ] {
        std::fs::write(d.join(DECLARATIONS), bytes).unwrap();
        let (code, text, _) = run(&f, &["diff", "HEAD", "WORKTREE", DEVICE]);
        assert_eq!(code, 0, "{text}");
        assert!(
            text.contains("declared  to side unreadable: ") && text.contains(why),
            "{text}"
        );
    }
    // Removed from the working tree.
    std::fs::remove_file(d.join(DECLARATIONS)).unwrap();
    let (code, text, _) = run(&f, &["diff", "HEAD", "WORKTREE", DEVICE]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("declared  declarations removed: sha256:[DECL2] strata device policy"),
        "{text}"
    );
}
