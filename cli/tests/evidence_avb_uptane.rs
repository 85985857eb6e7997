//! AVB vbmeta images and Uptane metadata: the real samples read with their
//! key fields, signatures verified, negatives rejected for the right reason.

use crate::common;

use std::path::{Path, PathBuf};

use strata::evidence::{self, Options, Report, Status, avb, uptane};
use strata::model::EvidenceKind;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap()
}

fn check<'a>(r: &'a Report, name: &str) -> &'a evidence::Check {
    r.find_check(name)
        .unwrap_or_else(|| panic!("no check {name} in {:?}", r.checks))
}

fn field<'a>(r: &'a Report, name: &str) -> &'a str {
    r.value(name)
        .unwrap_or_else(|| panic!("no field {name} in {:?}", r.fields))
}

#[test]
fn vbmeta_with_hash_descriptors() {
    let r = avb::inspect(&read("avb/test_vbmeta_descriptors.img")).unwrap();
    assert_eq!(field(&r, "algorithm"), "SHA512_RSA4096");
    assert_eq!(
        field(&r, "vbmeta-digest"),
        "58562c5df141dede5f6e3277c5390959f4a3a72dff771a39e9836761c0541f3c"
    );
    assert_eq!(
        field(&r, "public-key-sha256"),
        "7ec02ee1be696366f3fa91240a8ec68125c4145d698f597aa2b3464b59ca7fc3"
    );
    assert_eq!(field(&r, "release-string"), "avbtool 1.1.0");
    for p in ["boot", "oem", "system", "vendor"] {
        assert!(
            field(&r, &format!("hash.{p}")).starts_with("sha256:"),
            "{p}"
        );
    }
    assert_eq!(check(&r, "vbmeta-hash").status, Status::Pass);
    assert_eq!(check(&r, "vbmeta-signature").status, Status::Pass);
    // Signed with the public AOSP test key: the image proves nothing.
    let t = check(&r, "vbmeta-key-not-test-key");
    assert_eq!(t.status, Status::Fail);
    assert!(t.detail.contains("testkey_rsa4096"), "{}", t.detail);
    assert_eq!(check(&r, "vbmeta-key-trust").status, Status::NotApplicable);
    assert_eq!(r.decoded["descriptors"].as_array().unwrap().len(), 4);
}

#[test]
fn vbmeta_with_a_chain_partition() {
    let r = avb::inspect(&read("avb/test_vbmeta_chain_partition.img")).unwrap();
    assert_eq!(
        field(&r, "vbmeta-digest"),
        "eb112b867594f31143f75514cc4d61b9e2189bb33d87d1adcb2f4b37c1154ff6"
    );
    let chain = field(&r, "chain.system");
    assert!(chain.contains("rollback location 1"), "{chain}");
    assert_eq!(check(&r, "vbmeta-signature").status, Status::Pass);
}

#[test]
fn tampered_vbmeta_fails_hash_and_signature() {
    let mut d = read("avb/test_vbmeta_descriptors.img");
    // A byte of the auxiliary block (the first descriptor's digest area).
    let aux = 256 + 576;
    d[aux + 200] ^= 0x01;
    let r = avb::inspect(&d).unwrap();
    assert_eq!(check(&r, "vbmeta-hash").status, Status::Fail);
    assert_eq!(check(&r, "vbmeta-signature").status, Status::Fail);
}

#[test]
fn verification_disabled_flag_fails() {
    // Header flags at byte 120; the hash covers the header, so the hash
    // and signature fail too: each check says its own reason.
    let mut d = read("avb/test_vbmeta_descriptors.img");
    d[123] = 2;
    let r = avb::inspect(&d).unwrap();
    let c = check(&r, "vbmeta-verification-enabled");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("disable verification"), "{}", c.detail);
    assert_eq!(check(&r, "vbmeta-hash").status, Status::Fail);
    let ok = avb::inspect(&read("avb/test_vbmeta_descriptors.img")).unwrap();
    assert_eq!(
        check(&ok, "vbmeta-verification-enabled").status,
        Status::Pass
    );
}

#[test]
fn truncated_vbmeta_is_malformed_with_offset() {
    let d = read("avb/test_vbmeta_descriptors.img");
    let e = avb::inspect(&d[..1000]).unwrap_err();
    assert_eq!(e.code, "avb-vbmeta-malformed");
    assert!(e.message.contains("block bytes"), "{}", e.message);
    let e = avb::inspect(b"AVB1").unwrap_err();
    assert!(e.message.contains("shorter"), "{}", e.message);
}

#[test]
fn vbmeta_related_to_an_attestation() {
    let vb = avb::inspect(&read("avb/test_vbmeta_descriptors.img")).unwrap();
    let att = evidence::android::inspect(
        &read("android/keyattestation/caiman/sdk36/TEE_EC_RKP.pem"),
        &Default::default(),
    )
    .unwrap();
    let mut rep = att.clone();
    avb::relate(&vb, &att, &mut rep);
    // The AOSP test image is not the Pixel's: both comparisons fail, by value.
    let c = check(&rep, "avb-boot-hash-match");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("58562c5d"), "{}", c.detail);
    assert_eq!(check(&rep, "avb-boot-key-match").status, Status::Fail);
    // And a matching pair passes: fake the attestation's fields.
    let mut same = att.clone();
    for f in &mut same.fields {
        if f.name == "root-of-trust.verified-boot-hash" {
            f.value = "58562c5df141dede5f6e3277c5390959f4a3a72dff771a39e9836761c0541f3c".into();
        }
        if f.name == "root-of-trust.verified-boot-key" {
            f.value = "7ec02ee1be696366f3fa91240a8ec68125c4145d698f597aa2b3464b59ca7fc3".into();
        }
    }
    let mut rep = same.clone();
    avb::relate(&vb, &same, &mut rep);
    assert_eq!(check(&rep, "avb-boot-hash-match").status, Status::Pass);
    assert_eq!(check(&rep, "avb-boot-key-match").status, Status::Pass);
}

fn uptane_opts(root: Option<&str>) -> uptane::Options {
    uptane::Options {
        at: Some(common::midnight("2026-01-01")),
        root: root.map(|r| (read(r), r.to_string())),
        keys: None,
    }
}

#[test]
fn director_targets_verify_with_director_root() {
    let r = uptane::inspect(
        &read("uptane/reference-impl/director/targets.json"),
        &uptane_opts(Some("uptane/reference-impl/director/root.json")),
    )
    .unwrap();
    assert_eq!(field(&r, "type"), "targets");
    assert_eq!(field(&r, "version"), "2");
    assert_eq!(
        field(&r, "target./TCU1.1.txt"),
        "sha256:56d7cd56a85e34e40d005e1f79c0e95d6937d5528ac0b301dbe68d57e03a5c21 length 17 ecu TCUdemocar"
    );
    assert_eq!(field(&r, "rxswin.regulation"), "UN R156");
    assert_eq!(
        field(&r, "rxswin.ecu.TCUdemocar"),
        "sha256:56d7cd56a85e34e40d005e1f79c0e95d6937d5528ac0b301dbe68d57e03a5c21"
    );
    assert!(field(&r, "rxswin.identifier").starts_with("strata-sha256:"));
    for c in [
        "uptane-root-signatures",
        "uptane-signatures",
        "uptane-expiry",
    ] {
        assert_eq!(check(&r, c).status, Status::Pass, "{c}: {:?}", check(&r, c));
    }
}

#[test]
fn every_repository_file_verifies() {
    for (f, root) in [
        ("director/root.json", None),
        ("director/snapshot.json", Some("director/root.json")),
        ("director/timestamp.json", Some("director/root.json")),
        ("imagerepo/root.json", None),
        ("imagerepo/targets.json", Some("imagerepo/root.json")),
    ] {
        let root = root.map(|r| format!("uptane/reference-impl/{r}"));
        let r = uptane::inspect(
            &read(&format!("uptane/reference-impl/{f}")),
            &uptane_opts(root.as_deref()),
        )
        .unwrap();
        assert_eq!(r.verdict(), "passed", "{f}: {:?}", r.checks);
    }
    let r = uptane::inspect(
        &read("uptane/reference-impl/imagerepo/targets.json"),
        &uptane_opts(Some("uptane/reference-impl/imagerepo/root.json")),
    )
    .unwrap();
    assert_eq!(field(&r, "targets"), "7");
    assert!(field(&r, "target./BCU1.0.txt").starts_with("sha256:fb0aa569"));
}

#[test]
fn targets_against_the_wrong_root_fail() {
    // Director targets checked with the image repository's keys: signed
    // by a key that root does not authorise.
    let r = uptane::inspect(
        &read("uptane/reference-impl/director/targets.json"),
        &uptane_opts(Some("uptane/reference-impl/imagerepo/root.json")),
    )
    .unwrap();
    let c = check(&r, "uptane-signatures");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("not authorised"), "{}", c.detail);
}

#[test]
fn tampered_targets_fail_signature() {
    let text = String::from_utf8(read("uptane/reference-impl/director/targets.json")).unwrap();
    let bad = text.replace("\"length\": 17", "\"length\": 18");
    let r = uptane::inspect(
        bad.as_bytes(),
        &uptane_opts(Some("uptane/reference-impl/director/root.json")),
    )
    .unwrap();
    let c = check(&r, "uptane-signatures");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("does not verify"), "{}", c.detail);
}

#[test]
fn expired_metadata_fails_expiry() {
    let mut o = uptane_opts(Some("uptane/reference-impl/director/root.json"));
    o.at = Some(common::midnight("2038-01-01"));
    let r = uptane::inspect(&read("uptane/reference-impl/director/targets.json"), &o).unwrap();
    assert_eq!(check(&r, "uptane-expiry").status, Status::Fail);
}

#[test]
fn manifests_are_read_and_their_ecu_signatures_need_ecu_keys() {
    let r = uptane::inspect(
        &read("uptane/reference-impl/sample_vehicle_manifest.json"),
        &uptane_opts(None),
    )
    .unwrap();
    assert_eq!(field(&r, "vin"), "democar");
    assert_eq!(field(&r, "primary-ecu-serial"), "INFOdemocar");
    assert_eq!(
        field(&r, "rxswin.ecu.TCUdemocar"),
        "sha256:6b9f987226610bfed08b824c93bf8b2f59521fce9a2adef80c495f363c1c9c44"
    );
    assert_eq!(check(&r, "uptane-signatures").status, Status::NotApplicable);
    assert_eq!(r.verdict(), "not-verified");
    let r = uptane::inspect(
        &read("uptane/reference-impl/sample_ecu_manifest_TCUdemocar.json"),
        &uptane_opts(None),
    )
    .unwrap();
    assert_eq!(field(&r, "type"), "ECU version manifest");
}

#[test]
fn ecu_manifest_signed_with_the_wrong_key_is_rejected() {
    // The ECU's key is the one that signed its manifest inside the vehicle
    // manifest (key id 49309f11…). The public half is not published with
    // the samples, so trust is expressed by key id: the flawed manifest is
    // signed by another key (6fcd9a92…) and fails whatever key it names.
    let keys = serde_json::json!({
        "49309f114b857e4b29bfbff1c1c75df59f154fbc45539b2eb30c8a867843b2cb":
            {"keytype": "ed25519", "keyval": {"public": "99ef8790687ca252c4677a80a34e401efb7e17ccdf9b0fcb5f1bc3260c432cb9"}}
    });
    let mut o = uptane_opts(None);
    o.keys = Some(keys.to_string().into_bytes());
    let r = uptane::inspect(
        &read("uptane/reference-impl/flawed_em3_ecu_manifest_signed_with_wrong_key.json"),
        &o,
    )
    .unwrap();
    let c = check(&r, "uptane-signatures");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.contains("6fcd9a928358") && c.detail.contains("not authorised"),
        "{}",
        c.detail
    );
}

#[test]
fn der_targets_verify_with_the_json_root() {
    let r = uptane::inspect(
        &read("uptane/reference-impl/director/targets.der"),
        &uptane_opts(Some("uptane/reference-impl/director/root.json")),
    )
    .unwrap();
    assert_eq!(field(&r, "encoding"), "der");
    assert_eq!(field(&r, "type"), "targets");
    assert_eq!(field(&r, "expires"), "2035-06-23T06:58:19Z");
    // The same target as the JSON form.
    assert_eq!(
        field(&r, "target./TCU1.1.txt"),
        "sha256:56d7cd56a85e34e40d005e1f79c0e95d6937d5528ac0b301dbe68d57e03a5c21 length 17 ecu TCUdemocar"
    );
    assert_eq!(r.verdict(), "passed", "{:?}", r.checks);
    // One flipped bit inside the signed part: the signature fails.
    let mut d = read("uptane/reference-impl/director/targets.der");
    d[70] ^= 0x01;
    let r = uptane::inspect(
        &d,
        &uptane_opts(Some("uptane/reference-impl/director/root.json")),
    )
    .unwrap();
    assert_eq!(check(&r, "uptane-signatures").status, Status::Fail);
}

#[test]
fn der_vehicle_manifest_and_time_attestation() {
    let r = uptane::inspect(
        &read("uptane/reference-impl/sample_vehicle_manifest.der"),
        &uptane_opts(None),
    )
    .unwrap();
    assert_eq!(field(&r, "vin"), "democar");
    assert_eq!(field(&r, "primary-ecu-serial"), "INFOdemocar");
    assert_eq!(
        field(&r, "rxswin.ecu.TCUdemocar"),
        "sha256:6b9f987226610bfed08b824c93bf8b2f59521fce9a2adef80c495f363c1c9c44"
    );
    let r = uptane::inspect(
        &read("uptane/reference-impl/sample_timeserver_attestation.json"),
        &uptane_opts(None),
    )
    .unwrap();
    assert_eq!(field(&r, "type"), "time-server attestation");
    assert_eq!(
        evidence::detect(&read("uptane/reference-impl/director/targets.der")),
        Some(EvidenceKind::UptaneMetadata)
    );
}

#[test]
fn malformed_uptane_names_the_pointer() {
    let e = uptane::inspect(
        br#"{"signed": {"_type": "Targets", "targets": {"/a": {"length": 1}}}, "signatures": []}"#,
        &uptane_opts(None),
    )
    .unwrap_err();
    assert_eq!(e.code, "uptane-metadata-malformed");
    assert_eq!(e.pointer.as_deref(), Some("/signed/targets/~1a"));
    let e = uptane::inspect(b"{", &uptane_opts(None)).unwrap_err();
    assert!(e.message.contains("not JSON"));
}

#[test]
fn detection_and_sibling_root() {
    let p = dir().join("uptane/reference-impl/director/targets.json");
    assert_eq!(
        evidence::detect(&std::fs::read(&p).unwrap()),
        Some(EvidenceKind::UptaneMetadata)
    );
    assert_eq!(
        evidence::detect(&read("avb/test_vbmeta_descriptors.img")),
        Some(EvidenceKind::AvbVbmeta)
    );
    let r = evidence::inspect(
        &p,
        None,
        &Options {
            at: Some(common::midnight("2026-01-01")),
            ..Options::default()
        },
    )
    .unwrap();
    let c = check(&r, "uptane-signatures");
    assert_eq!(c.status, Status::Pass);
    assert!(c.detail.contains("root.json beside the file"));
}

#[test]
fn cli_inspect_vbmeta_and_uptane() {
    let d = dir();
    let out = common::strata(&d)
        .args(["evidence", "inspect", "avb/test_vbmeta_chain_partition.img"])
        .output()
        .unwrap();
    insta::assert_snapshot!("avb_inspect_chain", common::render(&out, &d));
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "uptane/reference-impl/director/targets.json",
            "--at",
            "2026-01-01",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("uptane_inspect_director_targets", common::render(&out, &d));
}
