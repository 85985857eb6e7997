//! Android key attestation: every real sample decoded and compared with the
//! expected JSON shipped beside it; chains verified to a Google root; the
//! negatives rejected for the right reason.

use crate::common;

use std::path::{Path, PathBuf};

use strata::evidence::android::{self, StatusList};
use strata::evidence::{self, Options, Report, Status};
use strata::model::EvidenceKind;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw/android")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap()
}

fn inspect(rel: &str, at: strata::clock::Time, status: Option<&StatusList>) -> Report {
    android::inspect(
        &read(rel),
        &android::Options {
            at: Some(at),
            revocation: status,
        },
    )
    .unwrap_or_else(|e| panic!("{rel}: {e:?}"))
}

fn check<'a>(r: &'a Report, name: &str) -> &'a evidence::Check {
    r.find_check(name)
        .unwrap_or_else(|| panic!("no check {name} in {:?}", r.checks))
}

fn field<'a>(r: &'a Report, name: &str) -> &'a str {
    r.value(name).unwrap_or_else(|| panic!("no field {name}"))
}

const SAMPLES: &[&str] = &[
    "keyattestation/akita/sdk34/TEE_RSA_BASE+IMEI",
    "keyattestation/akita/sdk34/SB_RSA_NONE",
    "keyattestation/caiman/sdk36/TEE_EC_RKP",
    "keyattestation/caiman/sdk36/SB_EC_RKP",
    "keyattestation/marlin/sdk29/TEE_EC_NONE",
];

#[test]
fn every_sample_decodes_to_the_expected_json() {
    for s in SAMPLES {
        let r = inspect(&format!("{s}.pem"), common::midnight("2025-12-01"), None);
        let expected: serde_json::Value =
            serde_json::from_slice(&read(&format!("{s}.json"))).unwrap();
        let got = &r.decoded["keyDescription"];
        assert_eq!(got, &expected, "{s}");
    }
}

/// The key's creation time (softwareEnforced.creationDateTime): RKP
/// intermediates live for weeks, so chains are judged when they were made.
fn created(s: &str) -> strata::clock::Time {
    let expected: serde_json::Value = serde_json::from_slice(&read(&format!("{s}.json"))).unwrap();
    let ms: i64 = expected["softwareEnforced"]["creationDateTime"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    strata::clock::Time::from_timestamp(jiff::Timestamp::from_millisecond(ms).unwrap())
}

#[test]
fn hardware_chains_verify_to_a_google_root() {
    for s in &SAMPLES[..4] {
        let r = inspect(&format!("{s}.pem"), created(s), None);
        for c in [
            "chain-signatures",
            "chain-ca-constraints",
            "chain-root",
            "chain-validity",
            "hardware-backed",
        ] {
            assert_eq!(
                check(&r, c).status,
                Status::Pass,
                "{s} {c}: {:?}",
                check(&r, c)
            );
        }
        assert!(
            check(&r, "chain-root")
                .detail
                .contains("Google hardware attestation root")
        );
        assert_eq!(check(&r, "revocation").status, Status::NotApplicable);
        assert!(r.passed(), "{s}");
        // Revocation was not checked: partial, not passed.
        assert_eq!(r.verdict(), "partial");
    }
}

#[test]
fn key_fields_of_the_pixel_9_pro() {
    let r = inspect(
        "keyattestation/caiman/sdk36/TEE_EC_RKP.pem",
        common::midnight("2025-10-01"),
        None,
    );
    assert!(r.passed(), "{:?}", r.checks);
    assert_eq!(field(&r, "attestation-version"), "400");
    assert_eq!(field(&r, "attestation-security-level"), "TEE");
    assert_eq!(field(&r, "root-of-trust.device-locked"), "true");
    assert_eq!(field(&r, "root-of-trust.verified-boot-state"), "Verified");
    assert_eq!(
        field(&r, "root-of-trust.verified-boot-hash"),
        "06a23925b6547ec124086ca5eddd35c35f58ce6eb68a13afdfd4195c41c61ed4"
    );
    assert_eq!(field(&r, "os-version"), "160000");
    assert_eq!(field(&r, "os-patch-level"), "202511");
    assert_eq!(field(&r, "vendor-patch-level"), "20251105");
    assert_eq!(field(&r, "boot-patch-level"), "20251105");
    assert_eq!(field(&r, "id.brand"), "google");
    assert_eq!(field(&r, "id.device"), "caiman");
    assert_eq!(field(&r, "id.product"), "caiman");
    assert_eq!(field(&r, "id.manufacturer"), "Google");
    assert_eq!(field(&r, "id.model"), "Pixel 9 Pro");
    // Strongbox on the Pixel 8a.
    let r = inspect(
        "keyattestation/akita/sdk34/SB_RSA_NONE.pem",
        common::midnight("2025-12-01"),
        None,
    );
    assert_eq!(field(&r, "keymint-security-level"), "StrongBox");
    assert_eq!(field(&r, "root-of-trust.device-locked"), "false");
    assert_eq!(field(&r, "root-of-trust.verified-boot-state"), "Unverified");
}

#[test]
fn the_software_root_is_rejected_by_name() {
    let r = inspect(
        "keyattestation/marlin/sdk29/TEE_EC_NONE.pem",
        common::midnight("2025-12-01"),
        None,
    );
    let root = check(&r, "chain-root");
    assert_eq!(root.status, Status::Fail);
    assert!(
        root.detail.contains("Software Attestation Root"),
        "{}",
        root.detail
    );
    assert_eq!(check(&r, "hardware-backed").status, Status::Fail);
    // The chain itself is intact: only the root is wrong.
    assert_eq!(check(&r, "chain-signatures").status, Status::Pass);
    assert_eq!(r.verdict(), "failed");
}

#[test]
fn malformed_boolean_is_a_der_error_naming_the_field() {
    let e = android::inspect(
        &read("keyattestation/invalid/malformed_rot_device_locked.pem"),
        &android::Options::default(),
    )
    .expect_err("BOOLEAN 0x01 must be rejected");
    assert_eq!(e.code, "android-attestation-malformed");
    assert!(e.message.contains("deviceLocked"), "{}", e.message);
    assert!(e.message.contains("0x01"), "{}", e.message);
    assert!(
        e.message.contains("of the certificate's DER"),
        "{}",
        e.message
    );
}

#[test]
fn out_of_order_tags_are_a_der_error() {
    let e = android::inspect(
        &read("keyattestation/invalid/tags_not_in_ascending_order.pem"),
        &android::Options::default(),
    )
    .expect_err("tags 2,1 must be rejected");
    assert!(e.message.contains("hardwareEnforced"), "{}", e.message);
    assert!(e.message.contains("ascending order"), "{}", e.message);
}

#[test]
fn expiry_of_the_root_is_judged_at_the_evaluation_time() {
    // The Pixel 8a chain ends at the D50F.. root (2019-11-22 .. 2034-11-18).
    let rel = "keyattestation/akita/sdk34/TEE_RSA_BASE+IMEI.pem";
    let late = inspect(rel, common::midnight("2035-01-01"), None);
    let v = check(&late, "chain-validity");
    assert_eq!(v.status, Status::Fail);
    assert!(v.detail.contains("2034-11-18"), "{}", v.detail);
    let early = inspect(rel, common::midnight("2019-01-01"), None);
    assert_eq!(check(&early, "chain-validity").status, Status::Fail);
    assert_eq!(late.evaluated_at.as_deref(), Some("2035-01-01T00:00:00Z"));
}

#[test]
fn revocation_by_serial() {
    let list = StatusList::parse(&read("android-key-attestation/status.json")).unwrap();
    assert_eq!(list.entries.len(), 5);
    let rel = "keyattestation/caiman/sdk36/TEE_EC_RKP.pem";
    let r = inspect(rel, common::midnight("2025-10-01"), Some(&list));
    assert_eq!(check(&r, "revocation").status, Status::Pass);
    // Revoke the intermediate of this chain in a copy of the list.
    let serial = r.decoded["chain"][1]["serial"]
        .as_str()
        .unwrap()
        .to_string();
    let mut json: serde_json::Value =
        serde_json::from_slice(&read("android-key-attestation/status.json")).unwrap();
    json["entries"][serial.to_uppercase()] =
        serde_json::json!({"status": "SUSPENDED", "reason": "KEY_COMPROMISE"});
    let list = StatusList::parse(json.to_string().as_bytes()).unwrap();
    let r = inspect(rel, common::midnight("2025-10-01"), Some(&list));
    let c = check(&r, "revocation");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.contains("certificate 1") && c.detail.contains("SUSPENDED"),
        "{}",
        c.detail
    );
}

#[test]
fn anchors_share_one_rsa_key() {
    let hw: Vec<_> = android::anchors()
        .iter()
        .filter(|a| a.role == android::AnchorRole::Hardware)
        .collect();
    assert_eq!(hw.len(), 4);
    assert_eq!(hw[0].spki_sha256, hw[1].spki_sha256);
    assert_eq!(hw[1].spki_sha256, hw[2].spki_sha256);
    assert_eq!(
        hw[0].spki_sha256,
        "feb2ea7551ee316ed4bb443c8293b884dbfdea40b603ee3e4f4a897e4580fbae"
    );
}

#[test]
fn chain_without_its_root_is_anchored_by_signature() {
    // Drop the root certificate from the PEM: the last intermediate must
    // then be verified against the embedded root key.
    let pem = String::from_utf8(read("keyattestation/caiman/sdk36/SB_EC_RKP.pem")).unwrap();
    let blocks: Vec<&str> = pem.split_inclusive("-----END CERTIFICATE-----").collect();
    let without_root: String = blocks[..blocks.len() - 1].concat();
    let r = android::inspect(
        without_root.as_bytes(),
        &android::Options {
            at: Some(common::midnight("2025-12-01")),
            revocation: None,
        },
    )
    .unwrap();
    let c = check(&r, "chain-root");
    assert_eq!(c.status, Status::Pass, "{}", c.detail);
    assert!(c.detail.contains("root not in the file"), "{}", c.detail);
}

#[test]
fn a_broken_signature_fails_the_chain() {
    // Flip one byte in the leaf's signature (the last bytes of the first DER).
    let blobs =
        evidence::certs::split(&read("keyattestation/caiman/sdk36/TEE_EC_RKP.pem")).unwrap();
    let mut der: Vec<u8> = Vec::new();
    for (i, b) in blobs.iter().enumerate() {
        let mut d = b.der.clone();
        if i == 0 {
            let n = d.len();
            d[n - 3] ^= 0x01;
        }
        der.extend(d);
    }
    let r = android::inspect(
        &der,
        &android::Options {
            at: Some(common::midnight("2025-12-01")),
            revocation: None,
        },
    )
    .unwrap();
    let c = check(&r, "chain-signatures");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail
            .contains("certificate 0 is not signed by certificate 1"),
        "{}",
        c.detail
    );
}

#[test]
fn detection_and_dispatch() {
    let p = dir().join("keyattestation/akita/sdk34/SB_RSA_NONE.pem");
    assert_eq!(
        evidence::detect(&std::fs::read(&p).unwrap()),
        Some(EvidenceKind::AndroidKeyAttestation)
    );
    let r = evidence::inspect(&p, None, &Options::default()).unwrap();
    assert_eq!(r.kind, EvidenceKind::AndroidKeyAttestation);
    // A root certificate alone is not an attestation.
    assert_eq!(
        evidence::detect(&read(
            "roots/google_rsa4096_root_F1C172A699EAF51D_2022-2042.pem"
        )),
        None
    );
}

#[test]
fn cli_inspect_human_and_exit_codes() {
    let d = dir();
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "keyattestation/caiman/sdk36/TEE_EC_RKP.pem",
            "--at",
            "2025-10-01",
            "--revocation",
            "android-key-attestation/status.json",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("android_inspect_pixel9", common::render(&out, &d));
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "keyattestation/marlin/sdk29/TEE_EC_NONE.pem",
            "--at",
            "2025-12-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "keyattestation/invalid/malformed_rot_device_locked.pem",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("android_inspect_malformed", common::render(&out, &d));
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "keyattestation/akita/sdk34/SB_RSA_NONE.pem",
            "--format",
            "json",
            "--at",
            "2024-10-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "android-key-attestation");
    assert_eq!(v["verification"], "partial"); // no status list given
    assert_eq!(
        v["decoded"]["keyDescription"]["attestationSecurityLevel"],
        "STRONG_BOX"
    );
}

/// Leaf parameters with a real KeyDescription (from a Pixel sample).
fn leaf_params() -> rcgen::CertificateParams {
    let sample = evidence::certs::split(&read("keyattestation/akita/sdk34/SB_RSA_NONE.pem"))
        .unwrap()
        .remove(0);
    let kd = evidence::certs::parse_cert(&sample.der, 0)
        .unwrap()
        .extension(android::OID_KEY_DESCRIPTION)
        .unwrap()
        .value
        .to_vec();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "Android Keystore Key");
    p.custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 11129, 2, 1, 17],
            kd,
        ));
    p
}

/// A chain built here in the shape of a factory-provisioned one: root and
/// intermediate (`intermediate`), the attestation key's certificate
/// (`attestation_key`), and a leaf
/// carrying a real KeyDescription.
fn built_chain(attestation_key: rcgen::IsCa, intermediate: rcgen::IsCa) -> Vec<u8> {
    let params = |cn: &str, ca: rcgen::IsCa| {
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        p.is_ca = ca;
        p
    };
    let key = || rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let root_p = params(
        "Test root",
        rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained),
    );
    let root_k = key();
    let root = root_p.self_signed(&root_k).unwrap();
    let root_i = rcgen::Issuer::new(root_p, root_k);
    let mid_p = params("Test intermediate", intermediate);
    let mid_k = key();
    let mid = mid_p.signed_by(&mid_k, &root_i).unwrap();
    let mid_i = rcgen::Issuer::new(mid_p, mid_k);
    let ak_p = params("Attestation key", attestation_key);
    let ak_k = key();
    let ak = ak_p.signed_by(&ak_k, &mid_i).unwrap();
    let ak_i = rcgen::Issuer::new(ak_p, ak_k);
    let leaf = leaf_params().signed_by(&key(), &ak_i).unwrap();
    [leaf.pem(), ak.pem(), mid.pem(), root.pem()]
        .concat()
        .into_bytes()
}

fn ca_check(chain: &[u8]) -> (evidence::Check, Report) {
    let r = android::inspect(chain, &android::Options::default()).unwrap();
    (check(&r, "chain-ca-constraints").clone(), r)
}

#[test]
fn the_attestation_key_may_lack_the_ca_flag() {
    let ca = || rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    // cA=FALSE, and no basicConstraints at all: both a note, not a failure.
    for ak in [rcgen::IsCa::ExplicitNoCa, rcgen::IsCa::NoCa] {
        let (c, r) = ca_check(&built_chain(ak, ca()));
        assert_eq!(c.status, Status::Pass, "{}", c.detail);
        assert!(
            c.detail.contains(
                "note: certificate 1 (`CN=Attestation key`), which signs the leaf, is not a CA"
            ),
            "{}",
            c.detail
        );
        assert_eq!(
            field(&r, "note.attestation-key-not-ca"),
            "certificate 1 (`CN=Attestation key`)"
        );
        assert_eq!(check(&r, "chain-signatures").status, Status::Pass);
        // Not a Google root: the chain still fails, for that reason only.
        assert_eq!(check(&r, "chain-root").status, Status::Fail);
    }
    // Every issuer a CA: no note.
    let (c, r) = ca_check(&built_chain(ca(), ca()));
    assert_eq!(c.status, Status::Pass);
    assert!(!c.detail.contains("note"), "{}", c.detail);
    assert!(r.value("note.attestation-key-not-ca").is_none());
}

#[test]
fn certificates_above_the_attestation_key_must_be_cas() {
    let ca = || rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    for ak in [ca(), rcgen::IsCa::ExplicitNoCa] {
        let (c, _) = ca_check(&built_chain(ak, rcgen::IsCa::ExplicitNoCa));
        assert_eq!(c.status, Status::Fail, "{}", c.detail);
        assert!(
            c.detail
                .starts_with("certificate 2 (`CN=Test intermediate`) issue certificates"),
            "{}",
            c.detail
        );
    }
}

#[test]
fn a_non_ca_root_directly_above_the_leaf_fails() {
    // Leaf signed by a self-signed certificate without the CA flag: the
    // exception is for an attestation key under a CA, not for a root.
    let mut root_p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    root_p.is_ca = rcgen::IsCa::ExplicitNoCa;
    let root_k = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let root = root_p.self_signed(&root_k).unwrap();
    let root_i = rcgen::Issuer::new(root_p, root_k);
    let leaf_k = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = leaf_params().signed_by(&leaf_k, &root_i).unwrap();
    let (c, _) = ca_check([leaf.pem(), root.pem()].concat().as_bytes());
    assert_eq!(c.status, Status::Fail, "{}", c.detail);
}
