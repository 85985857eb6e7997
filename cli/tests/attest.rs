//! `strata attest` through the binary: declarations beside each BOM,
//! deterministic, signed, validated, verified; tampering refused.

use crate::common::{repo, repo_like, strata};

const NOW: &str = "2026-12-01T00:00:00Z";

#[test]
fn committed_declarations_are_current() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args(["attest", "--fleet", "fleet", "--now", NOW])
        .args(["--sign", "fleet/keys/demo-signing-key.pem"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for device in crate::common::EXAMPLE_DEVICES {
        for name in ["declarations.cdx.json", "declarations.sigstore.json"] {
            let written =
                std::fs::read(tmp.path().join("attestations").join(device).join(name)).unwrap();
            let committed = std::fs::read(repo().join("attestations").join(device).join(name))
                .unwrap_or_else(|e| panic!("{device}/{name}: {e}; run `strata attest --fleet examples --now {NOW} --sign ...`"));
            assert!(
                written == committed,
                "{device}/{name} is stale: run `strata attest --fleet examples --now {NOW} --sign examples/keys/demo-signing-key.pem`"
            );
        }
    }
}

#[test]
fn declarations_validate_and_verify_and_break_when_the_bom_changes() {
    let tmp = repo_like();
    let dir = tmp.path().join("attestations/pixel-9-pro");
    let ok = strata(tmp.path())
        .args(["validate", "attestations/pixel-9-pro/declarations.cdx.json"])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let verified = strata(tmp.path())
        .args([
            "verify",
            "attestations/pixel-9-pro/declarations.sigstore.json",
        ])
        .args(["--key", "fleet/keys/demo-signing-key.pub"])
        .output()
        .unwrap();
    assert_eq!(verified.status.code(), Some(0));

    // A changed BOM no longer matches the digest the links carry.
    let bom = dir.join("bom.cdx.json");
    let mut bytes = std::fs::read(&bom).unwrap();
    bytes.extend_from_slice(b" ");
    std::fs::write(&bom, &bytes).unwrap();
    let out = strata(tmp.path())
        .args(["validate", "attestations/pixel-9-pro/declarations.cdx.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[bom-link-mismatch]"));

    // Another device's BOM has another serial number.
    std::fs::copy(tmp.path().join("attestations/laptop/bom.cdx.json"), &bom).unwrap();
    let out = strata(tmp.path())
        .args(["validate", "attestations/pixel-9-pro/declarations.cdx.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names BOM urn:uuid:"));

    // No BOM beside the declarations.
    std::fs::remove_file(&bom).unwrap();
    let out = strata(tmp.path())
        .args(["validate", "attestations/pixel-9-pro/declarations.cdx.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[bom-link-missing]"));
}

#[test]
fn a_dangling_claim_reference_is_an_error_in_declarations() {
    let tmp = repo_like();
    let path = tmp.path().join("attestations/laptop/declarations.cdx.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen(
        "\"target\": \"target:device\"",
        "\"target\": \"target:nothing\"",
        1,
    );
    assert_ne!(text, broken);
    std::fs::write(&path, broken).unwrap();
    let out = strata(tmp.path())
        .args(["validate", "attestations/laptop/declarations.cdx.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[dangling-ref]") && err.contains("target:nothing"),
        "{err}"
    );
}

#[test]
fn bad_invocations_exit_2() {
    let tmp = repo_like();
    for args in [
        vec!["attest", "--fleet", "fleet", "--now", NOW, "no-such-device"],
        vec!["attest", "--fleet", "fleet", "--now", NOW, "-o", "x.json"],
        vec!["attest", "--fleet", "fleet", "--now", "2026-02-30"],
    ] {
        let out = strata(tmp.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
