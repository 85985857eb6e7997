//! TCG platform certificates, TPM EK certificates and SPDM/DICE chains:
//! every real sample read with its key fields; negatives rejected for the
//! right reason.

use crate::common;

use std::path::{Path, PathBuf};

use strata::evidence::{self, Report, Status, certs, ek, spdm, tcg};
use strata::model::EvidenceKind;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw/tcg")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap()
}

fn der(rel: &str) -> Vec<u8> {
    certs::split(&read(rel)).unwrap().remove(0).der
}

fn check<'a>(r: &'a Report, name: &str) -> &'a evidence::Check {
    r.find_check(name)
        .unwrap_or_else(|| panic!("no check {name} in {:?}", r.checks))
}

fn field<'a>(r: &'a Report, name: &str) -> &'a str {
    r.value(name)
        .unwrap_or_else(|| panic!("no field {name} in {:?}", r.fields))
}

fn tcg_opts() -> tcg::Options {
    tcg::Options {
        at: Some(common::midnight("2019-01-01")),
        ..Default::default()
    }
}

#[test]
fn intel_base_platform_certificate() {
    let r = tcg::inspect(&read("hirs/plat_cert1.pem"), &tcg_opts()).unwrap();
    assert_eq!(field(&r, "credential-type"), "base");
    assert_eq!(field(&r, "platform.manufacturer"), "Intel");
    assert_eq!(field(&r, "platform.model"), "S2600KP");
    assert_eq!(field(&r, "platform.version"), "H76962-350");
    assert_eq!(field(&r, "platform.serial"), "BQKP52840678");
    assert_eq!(field(&r, "platform-configuration"), "v1");
    assert_eq!(
        field(&r, "holder.issuer"),
        "CN=STM TPM EK Intermediate CA 02, O=STMicroelectronics NV, C=CH"
    );
    assert_eq!(field(&r, "credential-specification"), "1.0.11");
    assert_eq!(
        field(&r, "platform-specification"),
        "2.0.43, class 00000001"
    );
    let c = &r.decoded["components"][0];
    assert_eq!(c["manufacturer"], "Intel");
    assert_eq!(c["model"], "platform2018");
    assert_eq!(c["serial"], "BQKP52840678");
    assert_eq!(c["revision"], "1.0");
    assert_eq!(
        r.decoded["properties"][0],
        serde_json::json!(["vPro", "true"])
    );
    assert_eq!(check(&r, "validity").status, Status::Pass);
    assert_eq!(check(&r, "signature").status, Status::NotApplicable);
}

#[test]
fn delta_platform_certificate_is_bound_to_its_base() {
    let mut o = tcg_opts();
    o.holder = Some(read("hirs/plat_cert1.pem"));
    let r = tcg::inspect(&read("hirs/plat_delta_cert1.pem"), &o).unwrap();
    assert_eq!(field(&r, "credential-type"), "delta");
    assert_eq!(field(&r, "platform-configuration"), "v2");
    assert_eq!(field(&r, "platform.serial"), "BQKP99940643");
    let comps = r.decoded["components"].as_array().unwrap();
    assert_eq!(comps.len(), 3);
    assert_eq!(comps[0]["class"], "2.23.133.18.3.1:0000000a");
    assert_eq!(comps[0]["status"], "removed");
    assert_eq!(comps[1]["status"], "added");
    assert_eq!(comps[2]["status"], "modified");
    assert_eq!(comps[1]["manufacturer"], "Component Corp");
    assert_eq!(check(&r, "holder-binding").status, Status::Pass);
}

#[test]
fn holder_binding_to_the_wrong_ek_fails() {
    let mut o = tcg_opts();
    o.holder = Some(read("hirs/ek_cert_untouched.cer"));
    let r = tcg::inspect(&read("hirs/plat_cert1.pem"), &o).unwrap();
    let c = check(&r, "holder-binding");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.contains("700818567ff35791690d2d404945df56b0e6dc7"),
        "{}",
        c.detail
    );
}

#[test]
fn hirs_test_certificates_read_with_their_deviations() {
    let r = tcg::inspect(&read("hirs/pciids_plat_cert_2-0.pem"), &tcg_opts()).unwrap();
    assert_eq!(field(&r, "platform-configuration"), "v2");
    assert!(!r.decoded["components"].as_array().unwrap().is_empty());
    let r = tcg::inspect(&read("hirs/large_attribute_cert_2187.pem"), &tcg_opts()).unwrap();
    assert_eq!(r.decoded["components"].as_array().unwrap().len(), 6);
    assert_eq!(r.decoded["components"][1]["model"], "VirtualBox");
    assert!(field(&r, "profile-deviations").parse::<usize>().unwrap() > 0);
}

/// The VirtualBox machine's inventory, as HIRS's test data describes it:
/// the components of `large_attribute_cert_2187.pem`, the honest
/// certificate for the same platform.
fn vbox_inventory() -> Vec<u8> {
    let r = tcg::inspect(&read("hirs/large_attribute_cert_2187.pem"), &tcg_opts()).unwrap();
    serde_json::json!({"components": r.decoded["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!({"manufacturer": c["manufacturer"], "model": c["model"], "serial": c.get("serial"), "revision": c.get("revision")}))
        .collect::<Vec<_>>()})
    .to_string()
    .into_bytes()
}

#[test]
fn flawed_attribute_certificate_fails_platform_validation() {
    // Same platform as the large certificate, but it certifies an AMD NIC
    // with serial `suspicious_382u8239i239354` that the machine does not have.
    let mut o = tcg_opts();
    o.inventory = Some(vbox_inventory());
    let r = tcg::inspect(&read("hirs/flawed_attribute_cert_2187.pem"), &o).unwrap();
    let c = check(&r, "components-match");
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.contains("suspicious_382u8239i239354"),
        "{}",
        c.detail
    );
    assert!(c.detail.contains("Advanced Micro Devices"), "{}", c.detail);
    assert_eq!(r.verdict(), "failed");
    // The honest certificate passes against the same inventory.
    let r = tcg::inspect(&read("hirs/large_attribute_cert_2187.pem"), &o).unwrap();
    assert_eq!(check(&r, "components-match").status, Status::Pass);
}

#[test]
fn empty_required_string_is_malformed() {
    // Turn the first component's manufacturer ("Oracle Corporation") into
    // an empty UTF8String followed by a NULL of the same total size.
    let mut d = der("hirs/large_attribute_cert_2187.pem");
    let at = d
        .windows(20)
        .position(|w| w == b"\x0c\x12Oracle Corporation")
        .unwrap();
    d[at + 1] = 0;
    d[at + 2] = 0x05;
    d[at + 3] = 16;
    let e = tcg::inspect(&d, &tcg_opts()).unwrap_err();
    assert!(e.message.contains("componentManufacturer"), "{}", e.message);
}

#[test]
fn pre_standard_intel_certificate() {
    let r = tcg::inspect(&read("hirs/Intel_pc1.cer"), &tcg_opts()).unwrap();
    assert_eq!(field(&r, "legacy-layout"), "true");
    assert_eq!(field(&r, "platform.manufacturer"), "Intel");
    assert_eq!(field(&r, "platform.serial"), "BQKP52840678");
    // Expired in 2017.
    assert_eq!(check(&r, "validity").status, Status::Fail);
}

#[test]
fn platform_signature_with_a_wrong_issuer_fails() {
    let mut o = tcg_opts();
    o.issuers = vec![der("hirs/stmtpmekint02.crt")];
    let r = tcg::inspect(&read("hirs/plat_cert1.pem"), &o).unwrap();
    assert_eq!(check(&r, "signature").status, Status::Fail);
}

#[test]
fn ek_certificate_in_both_forms() {
    let o = ek::Options {
        at: Some(common::midnight("2019-01-01")),
        issuers: vec![der("hirs/stmtpmekint02.crt"), der("hirs/stmtpmekroot.crt")],
    };
    let a = ek::inspect(&read("hirs/ek_cert_untouched.cer"), &o).unwrap();
    let b = ek::inspect(&read("hirs/ek_cert_7_byte_header_removed.cer"), &o).unwrap();
    assert_eq!(field(&a, "nv-header"), "true");
    for r in [&a, &b] {
        assert_eq!(field(r, "tpm.manufacturer"), "id:53544D20 (STM)");
        assert_eq!(field(r, "tpm.model"), "ST33ZP24PVSP");
        assert_eq!(field(r, "tpm.version"), "id:0D0C");
        assert_eq!(field(r, "tpm.specification"), "1.2 level 2 revision 116");
        assert_eq!(
            field(r, "serial"),
            "700818567ff35791690d2d404945df56b0e6dc7"
        );
        assert_eq!(check(r, "ek-key-usage").status, Status::Pass);
        let c = check(r, "chain-signatures");
        assert_eq!(c.status, Status::Pass, "{}", c.detail);
        assert!(c.detail.contains("STM TPM EK Root CA"));
        assert_eq!(check(r, "chain-root").status, Status::NotApplicable);
    }
    assert_eq!(
        field(&a, "public-key-sha256"),
        field(&b, "public-key-sha256")
    );
    // Expired in 2024.
    let late = ek::inspect(
        &read("hirs/ek_cert_untouched.cer"),
        &ek::Options {
            at: Some(common::midnight("2025-01-01")),
            issuers: vec![],
        },
    )
    .unwrap();
    assert_eq!(check(&late, "validity").status, Status::Fail);
}

#[test]
fn corrupted_nv_header_is_malformed() {
    let mut d = read("hirs/ek_cert_untouched.cer");
    d[4] = d[4].wrapping_add(40); // size beyond the data
    let e = ek::inspect(&d, &ek::Options::default()).unwrap_err();
    assert!(
        e.message.contains("TPM NV certificate header"),
        "{}",
        e.message
    );
}

#[test]
fn spdm_chain_root_first() {
    let r = spdm::inspect(
        &read("spdm-libspdm/ecp384_bundle_responder.certchain.der"),
        &spdm::Options {
            at: Some(common::midnight("2026-12-01")),
        },
    )
    .unwrap();
    assert_eq!(r.decoded["rootFirst"], true);
    assert_eq!(field(&r, "leaf.device-info"), "ACME:WIDGET:1234567890");
    assert_eq!(field(&r, "leaf.manufacturer"), "ACME");
    assert_eq!(field(&r, "leaf.product"), "WIDGET");
    assert_eq!(field(&r, "leaf.serial"), "1234567890");
    assert_eq!(field(&r, "leaf.spdm-extension"), "hardware-identity");
    assert_eq!(field(&r, "issuer2.subject"), "CN=DMTF libspdm ECP384 CA");
    assert_eq!(check(&r, "chain-signatures").status, Status::Pass);
    assert_eq!(check(&r, "validity").status, Status::Pass);
    assert_eq!(check(&r, "chain-root").status, Status::NotApplicable);
    let single = spdm::inspect(
        &read("spdm-libspdm/ecp384_end_responder.cert.der"),
        &spdm::Options::default(),
    )
    .unwrap();
    assert_eq!(field(&single, "leaf.serial"), "1234567890");
}

#[test]
fn spdm_chain_with_its_header() {
    use sha2::{Digest, Sha384};
    let body = read("spdm-libspdm/ecp384_bundle_responder.certchain.der");
    let root = certs::split(&body).unwrap().remove(0).der;
    let build = |hash: &[u8]| {
        let len = (4 + hash.len() + body.len()) as u16;
        let mut d = len.to_le_bytes().to_vec();
        d.extend([0, 0]);
        d.extend(hash);
        d.extend(&body);
        d
    };
    let good = build(&Sha384::digest(&root));
    let r = spdm::inspect(&good, &spdm::Options::default()).unwrap();
    assert_eq!(check(&r, "spdm-root-hash").status, Status::Pass);
    assert_eq!(check(&r, "chain-signatures").status, Status::Pass);
    assert_eq!(field(&r, "leaf.serial"), "1234567890");
    let bad = build(&[0x11; 48]);
    let r = spdm::inspect(&bad, &spdm::Options::default()).unwrap();
    assert_eq!(check(&r, "spdm-root-hash").status, Status::Fail);
}

#[test]
fn spdm_chain_with_a_swapped_certificate_fails() {
    // Leaf, root, intermediate: the leaf's issuer is not the next one.
    let blobs = certs::split(&read("spdm-libspdm/ecp384_bundle_responder.certchain.der")).unwrap();
    let d: Vec<u8> = [&blobs[2].der, &blobs[0].der, &blobs[1].der]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let r = spdm::inspect(&d, &spdm::Options::default()).unwrap();
    assert_eq!(check(&r, "chain-signatures").status, Status::Fail);
}

#[test]
fn dice_tcb_info_decodes() {
    // DiceTcbInfo { vendor "ACME", model "R1", version "1.2", svn 7, layer 0,
    //   fwids { { sha256, 32 x 0xAB } } }
    let mut fwid = vec![
        0x30, 0x2d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20,
    ];
    fwid.extend([0xab; 32]);
    let mut body = vec![
        0x80, 4, b'A', b'C', b'M', b'E', 0x81, 2, b'R', b'1', 0x82, 3, b'1', b'.', b'2', 0x83, 1,
        7, 0x84, 1, 0,
    ];
    body.push(0xa6);
    body.push(fwid.len() as u8);
    body.extend(&fwid);
    let mut tlv = vec![0x30, body.len() as u8];
    tlv.extend(&body);
    let t = evidence::der::Reader::new(&tlv, 0).read().unwrap();
    let info = spdm::tcb_info(&t).unwrap();
    assert_eq!(info.vendor.as_deref(), Some("ACME"));
    assert_eq!(info.svn, Some(7));
    assert_eq!(info.layer, Some(0));
    assert_eq!(info.fwids[0].0, "2.16.840.1.101.3.4.2.1");
    assert_eq!(info.fwids[0].1, "ab".repeat(32));
}

#[test]
fn detection() {
    for (f, k) in [
        ("hirs/plat_cert1.pem", EvidenceKind::TcgPlatformCertificate),
        ("hirs/Intel_pc1.cer", EvidenceKind::TcgPlatformCertificate),
        ("hirs/ek_cert_untouched.cer", EvidenceKind::TpmEkCertificate),
        (
            "hirs/ek_cert_7_byte_header_removed.cer",
            EvidenceKind::TpmEkCertificate,
        ),
        (
            "spdm-libspdm/ecp384_bundle_responder.certchain.der",
            EvidenceKind::SpdmCertificate,
        ),
    ] {
        assert_eq!(evidence::detect(&read(f)), Some(k), "{f}");
    }
    assert_eq!(evidence::detect(&read("hirs/stmtpmekroot.crt")), None);
}

#[test]
fn cli_inspect_platform_and_ek() {
    let d = dir();
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "hirs/plat_delta_cert1.pem",
            "--holder",
            "hirs/plat_cert1.pem",
            "--at",
            "2019-01-01",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("tcg_inspect_delta", common::render(&out, &d));
    let inv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(inv.path(), vbox_inventory()).unwrap();
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "hirs/flawed_attribute_cert_2187.pem",
            "--at",
            "2019-01-01",
            "--inventory",
        ])
        .arg(inv.path())
        .output()
        .unwrap();
    insta::assert_snapshot!("tcg_inspect_flawed", common::render(&out, &d));
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "hirs/ek_cert_untouched.cer",
            "--ca",
            "hirs/stmtpmekint02.crt",
            "--ca",
            "hirs/stmtpmekroot.crt",
            "--at",
            "2019-01-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "tpm-ek-certificate");
    assert_eq!(v["decoded"]["nvHeader"], true);
}

#[test]
fn platform_signature_verifies_with_the_issuer_key() {
    use aws_lc_rs::signature::RSA_PKCS1_SHA256;
    // Re-sign the Intel certificate's info with a key made here, under an
    // issuer certificate with the same name: the signature check must pass
    // with that issuer and fail with another key of the same name.
    let issuer_dn = [
        (rcgen::DnType::CountryName, "US"),
        (rcgen::DnType::StateOrProvinceName, "CA"),
        (rcgen::DnType::LocalityName, "Santa Clara"),
        (rcgen::DnType::OrganizationName, "Intel Corporation"),
        (
            rcgen::DnType::OrganizationalUnitName,
            "Platform Attribute Certificate Issuer",
        ),
        (rcgen::DnType::CommonName, "www.intel.com"),
    ];
    let make_issuer = || {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = rcgen::DistinguishedName::new();
        for (t, v) in &issuer_dn {
            dn.push(t.clone(), *v);
        }
        params.distinguished_name = dn;
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let cert = params.self_signed(&key).unwrap();
        (key, cert.der().to_vec())
    };
    let (key, issuer) = make_issuer();
    let (_, other) = make_issuer();
    let der = der("hirs/plat_cert1.pem");
    let mut r = evidence::der::Reader::new(&der, 0);
    let outer = r.read().unwrap();
    let mut inner = evidence::der::Reader::inside(&outer);
    let info = inner.read().unwrap();
    let alg = inner.read().unwrap();
    let rsa = aws_lc_rs::rsa::KeyPair::from_pkcs8(&key.serialize_der()).unwrap();
    let mut sig = vec![0u8; rsa.public_modulus_len()];
    rsa.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        info.raw,
        &mut sig,
    )
    .unwrap();
    let mut bits = vec![0u8];
    bits.extend(&sig);
    let body = [info.raw, alg.raw, &common::tlv(0x03, &bits)].concat();
    let resigned = common::tlv(0x30, &body);
    let mut o = tcg_opts();
    o.issuers = vec![issuer];
    let r = tcg::inspect(&resigned, &o).unwrap();
    let c = check(&r, "signature");
    assert_eq!(c.status, Status::Pass, "{}", c.detail);
    o.issuers = vec![other];
    let r = tcg::inspect(&resigned, &o).unwrap();
    assert_eq!(check(&r, "signature").status, Status::Fail);
}
