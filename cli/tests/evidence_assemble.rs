//! Hardware, OS and vehicle evidence in `assemble`: decoded fields and check
//! outcomes become `strata:evidence:*` properties; validity is judged only
//! at `--timestamp`; provenance is checked against its `artifact`; a
//! malformed file stops assembly with the reason.

use crate::common;

use std::path::Path;

use strata::assemble::{AssembleOptions, assemble};

fn props(rec: &strata::assemble::EvidenceRecord) -> std::collections::BTreeMap<String, String> {
    rec.properties.iter().cloned().collect()
}

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hw")
        .join(rel)
}

#[test]
fn example_pixel_records_attestation_vbmeta_and_their_relation() {
    let fleet = common::example_fleet();
    let a = assemble(
        &fleet.path().join("stacks/pixel-9-pro.yaml"),
        &AssembleOptions::new(jiff::Timestamp::now()),
    )
    .unwrap();
    let att = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "android-key-attestation")
        .unwrap();
    let p = props(att);
    assert_eq!(p["evidence:android:id.model"], "Pixel 9 Pro");
    assert_eq!(p["evidence:check:chain-root"], "pass");
    // No timestamp: validity is not judged, and the BOM stays reproducible.
    assert_eq!(p["evidence:check:chain-validity"], "not-applicable");
    assert_eq!(p["evidence:check:avb-boot-hash-match"], "fail");
    assert_eq!(p["evidence:verification"], "failed");
    assert!(
        a.warnings
            .iter()
            .any(|w| w.message.contains("does not name vbmeta"))
    );
    // With a timestamp inside the RKP certificates' lifetime, validity passes.
    let a = assemble(
        &fleet.path().join("stacks/pixel-9-pro.yaml"),
        &AssembleOptions {
            timestamp: Some("2025-10-01T00:00:00Z"),
            ..AssembleOptions::new(jiff::Timestamp::now())
        },
    )
    .unwrap();
    let att = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "android-key-attestation")
        .unwrap();
    assert_eq!(props(att)["evidence:check:chain-validity"], "pass");
    assert_eq!(props(att)["evidence:evaluated-at"], "2025-10-01T00:00:00Z");
}

#[test]
fn vehicle_and_laptop_evidence() {
    let fleet = common::example_fleet();
    let a = assemble(
        &fleet.path().join("stacks/xiaomi-su7.yaml"),
        &AssembleOptions::new(jiff::Timestamp::now()),
    )
    .unwrap();
    let up = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "uptane-metadata")
        .unwrap();
    let p = props(up);
    assert_eq!(p["evidence:check:uptane-signatures"], "pass");
    assert_eq!(p["evidence:uptane:rxswin.regulation"], "UN R156");
    assert!(p["evidence:uptane:rxswin.ecu.TCUdemocar"].starts_with("sha256:56d7cd56"));
    let a = assemble(
        &fleet.path().join("stacks/laptop.yaml"),
        &AssembleOptions::new(jiff::Timestamp::now()),
    )
    .unwrap();
    let pc = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "tcg-platform-certificate")
        .unwrap();
    assert_eq!(props(pc)["evidence:tcg:platform.model"], "S2600KP");
    let ek = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "tpm-ek-certificate")
        .unwrap();
    assert_eq!(props(ek)["evidence:tpm-ek:tpm.model"], "ST33ZP24PVSP");
}

#[test]
fn provenance_is_checked_against_its_artifact() {
    let fleet = common::example_fleet();
    let dir = fleet.path().join("evidence/mixed-phone/slsa");
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "MODULE.bazel",
        "MODULE.bazel.intoto.jsonl",
        "MODULE-wrong-signer.bazel.intoto.jsonl",
    ] {
        std::fs::copy(fixture(&format!("slsa/bcr/{f}")), dir.join(f)).unwrap();
    }
    let stack = fleet.path().join("stacks/mixed-phone.yaml");
    let text = std::fs::read_to_string(&stack).unwrap();
    let add = |prov: &str| {
        text.replacen(
            "    evidence:\n",
            &format!(
                "    evidence:\n      - kind: slsa-provenance\n        path: evidence/mixed-phone/slsa/{prov}\n        artifact: evidence/mixed-phone/slsa/MODULE.bazel\n"
            ),
            1,
        )
    };
    std::fs::write(&stack, add("MODULE.bazel.intoto.jsonl")).unwrap();
    let a = assemble(&stack, &AssembleOptions::new(jiff::Timestamp::now())).unwrap();
    let rec = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "slsa-provenance")
        .unwrap();
    let p = props(rec);
    assert_eq!(p["evidence:check:subject-digest"], "pass");
    assert_eq!(p["evidence:check:dsse-signature"], "pass");
    assert_eq!(p["evidence:check:certificate-chain"], "pass");
    assert_eq!(p["evidence:check:transparency-log"], "pass");
    assert_eq!(p["evidence:check:signer-identity"], "not-applicable");
    assert_eq!(p["evidence:verification"], "partial");
    // With the builder's identity pinned in `trust:`, it verifies fully.
    let pinned = add("MODULE.bazel.intoto.jsonl").replacen(
        "        artifact: evidence/mixed-phone/slsa/MODULE.bazel\n",
        "        artifact: evidence/mixed-phone/slsa/MODULE.bazel\n        trust:\n          identity: https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1\n          issuer: https://token.actions.githubusercontent.com\n",
        1,
    );
    std::fs::write(&stack, pinned).unwrap();
    let a = assemble(&stack, &AssembleOptions::new(jiff::Timestamp::now())).unwrap();
    let rec = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "slsa-provenance")
        .unwrap();
    assert_eq!(props(rec)["evidence:check:signer-identity"], "pass");
    assert_eq!(props(rec)["evidence:verification"], "passed");
    std::fs::write(&stack, add("MODULE-wrong-signer.bazel.intoto.jsonl")).unwrap();
    let a = assemble(&stack, &AssembleOptions::new(jiff::Timestamp::now())).unwrap();
    let rec = a
        .evidence
        .iter()
        .find(|r| r.kind.as_str() == "slsa-provenance")
        .unwrap();
    assert_eq!(props(rec)["evidence:check:builder-matches-signer"], "fail");
    assert!(
        a.warnings
            .iter()
            .any(|w| w.code == "evidence-verification-failed")
    );
}

#[test]
fn malformed_evidence_stops_assembly() {
    let fleet = common::example_fleet();
    std::fs::copy(
        fixture("android/keyattestation/invalid/malformed_rot_device_locked.pem"),
        fleet
            .path()
            .join("evidence/real/android/pixel-9-pro-TEE_EC_RKP.pem"),
    )
    .unwrap();
    let e = assemble(
        &fleet.path().join("stacks/pixel-9-pro.yaml"),
        &AssembleOptions::new(jiff::Timestamp::now()),
    )
    .unwrap_err();
    let codes: Vec<String> = e.diagnostics().iter().map(|d| d.code.to_string()).collect();
    assert_eq!(
        codes,
        ["android-attestation-malformed", "evidence-malformed"]
    );
    assert!(e.to_string().contains("deviceLocked"), "{e}");
}
