//! Uptane signature schemes beyond the reference samples, with keys made in
//! the test: RSASSA-PSS (PEM public key, `rsassa-pss-sha256`), ed25519 keys
//! in base64 (aktualizr's form), thresholds above one, and ECU manifests
//! verified with explicitly trusted ECU keys.

use crate::common;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair, RSA_PSS_SHA256};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use strata::evidence::Status;
use strata::evidence::uptane::{self, keys};

fn pem(der: &[u8]) -> String {
    let b = B64.encode(der);
    let lines: Vec<&str> = b
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        lines.join("\n")
    )
}

fn sign_rsa(kp: &RsaKeyPair, msg: &[u8]) -> Vec<u8> {
    let mut sig = vec![0u8; kp.public_modulus_len()];
    kp.sign(
        &RSA_PSS_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        msg,
        &mut sig,
    )
    .unwrap();
    sig
}

struct Repo {
    rsa: RsaKeyPair,
    ed: Ed25519KeyPair,
    root: Value,
}

fn repo(threshold: u64) -> Repo {
    let rsa = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
    let ed = Ed25519KeyPair::generate().unwrap();
    let spki = rsa.public_key().as_der().unwrap();
    let signed = json!({
        "_type": "Root", "version": 1, "expires": "2030-01-01T00:00:00Z", "consistent_snapshot": false,
        "keys": {
            "rsa1": {"keytype": "rsa", "scheme": "rsassa-pss-sha256", "keyval": {"public": pem(spki.as_ref())}},
            "ed1": {"keytype": "ED25519", "keyval": {"public": B64.encode(ed.public_key().as_ref())}}
        },
        "roles": {
            "root": {"keyids": ["ed1"], "threshold": 1},
            "targets": {"keyids": ["rsa1", "ed1"], "threshold": threshold}
        }
    });
    let sig = ed.sign(&keys::canonical(&signed).unwrap());
    let root = json!({"signed": signed, "signatures": [{"keyid": "ed1", "method": "ed25519", "sig": B64.encode(sig.as_ref())}]});
    Repo { rsa, ed, root }
}

fn targets(r: &Repo, with_ed: bool) -> Vec<u8> {
    let signed = json!({
        "_type": "Targets", "version": 3, "expires": "2030-01-01T00:00:00Z",
        "targets": {"ecu.img": {"length": 5, "hashes": {"sha256": "aa".repeat(32)},
            "custom": {"ecuIdentifier": "ECU-1", "hardwareId": "hw-a"}}}
    });
    let msg = keys::canonical(&signed).unwrap();
    let mut sigs = vec![
        json!({"keyid": "rsa1", "method": "rsassa-pss-sha256", "sig": hex::encode(sign_rsa(&r.rsa, &msg))}),
    ];
    if with_ed {
        sigs.push(json!({"keyid": "ed1", "method": "ed25519", "sig": hex::encode(r.ed.sign(&msg).as_ref())}));
    }
    json!({"signed": signed, "signatures": sigs})
        .to_string()
        .into_bytes()
}

fn opts(r: &Repo) -> uptane::Options {
    uptane::Options {
        at: Some(common::midnight("2026-01-01")),
        root: Some((r.root.to_string().into_bytes(), "test root".into())),
        keys: None,
    }
}

fn status(rep: &strata::evidence::Report, name: &str) -> (Status, String) {
    let c = rep.checks.iter().find(|c| c.name == name).unwrap();
    (c.status, c.detail.clone())
}

#[test]
fn rsassa_pss_and_base64_ed25519_verify() {
    let r = repo(2);
    let rep = uptane::inspect(&targets(&r, true), &opts(&r)).unwrap();
    assert_eq!(status(&rep, "uptane-root-signatures").0, Status::Pass);
    let (s, d) = status(&rep, "uptane-signatures");
    assert_eq!(s, Status::Pass, "{d}");
    assert!(d.starts_with("2 of threshold 2"), "{d}");
    let f: std::collections::BTreeMap<_, _> = rep
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        f["target.ecu.img"],
        format!(
            "sha256:{} length 5 hardware-id hw-a ecu ECU-1",
            "aa".repeat(32)
        )
    );
}

#[test]
fn below_threshold_fails() {
    let r = repo(2);
    let rep = uptane::inspect(&targets(&r, false), &opts(&r)).unwrap();
    let (s, d) = status(&rep, "uptane-signatures");
    assert_eq!(s, Status::Fail);
    assert!(d.starts_with("1 of threshold 2"), "{d}");
}

#[test]
fn rsa_signature_by_another_key_fails() {
    let r = repo(1);
    let other = repo(1);
    // Signed by another repository's RSA key under the same key id.
    let rep = uptane::inspect(&targets(&other, false), &opts(&r)).unwrap();
    let (s, d) = status(&rep, "uptane-signatures");
    assert_eq!(s, Status::Fail);
    assert!(d.contains("does not verify"), "{d}");
}

#[test]
fn ecu_manifest_with_trusted_ecu_key() {
    let ecu = Ed25519KeyPair::generate().unwrap();
    let signed = json!({"ecu_serial": "ECU-1", "installed_image": {"filepath": "ecu.img",
        "fileinfo": {"length": 5, "hashes": {"sha256": "aa".repeat(32)}}},
        "previous_timeserver_time": "2026-01-01T00:00:00Z", "timeserver_time": "2026-01-01T00:00:00Z", "attacks_detected": ""});
    let sig = ecu.sign(&keys::canonical(&signed).unwrap());
    let doc = json!({"signed": signed, "signatures": [{"keyid": "ecu1", "method": "ed25519", "sig": hex::encode(sig.as_ref())}]});
    let trusted = json!({"ecu1": {"keytype": "ed25519", "keyval": {"public": hex::encode(ecu.public_key().as_ref())}}});
    let o = uptane::Options {
        keys: Some(trusted.to_string().into_bytes()),
        ..Default::default()
    };
    let rep = uptane::inspect(doc.to_string().as_bytes(), &o).unwrap();
    assert_eq!(status(&rep, "uptane-signatures").0, Status::Pass);
    // The same manifest against another ECU's key: rejected.
    let other = Ed25519KeyPair::generate().unwrap();
    let trusted = json!({"ecu1": {"keytype": "ed25519", "keyval": {"public": hex::encode(other.public_key().as_ref())}}});
    let o = uptane::Options {
        keys: Some(trusted.to_string().into_bytes()),
        ..Default::default()
    };
    let rep = uptane::inspect(doc.to_string().as_bytes(), &o).unwrap();
    let (s, d) = status(&rep, "uptane-signatures");
    assert_eq!(s, Status::Fail);
    assert!(d.contains("does not verify"), "{d}");
}
