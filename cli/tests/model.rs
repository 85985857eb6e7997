//! `strata model hash|sign|verify` on generated models and trust material:
//! round trips in every mode, and each negative failing on its named check.

use crate::common;
use crate::keyless_mock;
use crate::sigstore_pki;

use std::fs;
use std::path::{Path, PathBuf};

use common::{render, strata};
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384};
use serde_json::Value;
use sigstore_pki::{Ca, EntryOpts, IDENTITY, ISSUER, LeafSpec, World, keyless_bundle};

/// A model directory with nested files, an empty file and git metadata.
fn model(dir: &Path) -> PathBuf {
    let m = dir.join("mimo");
    fs::create_dir_all(m.join("tokenizer")).unwrap();
    fs::create_dir_all(m.join(".git")).unwrap();
    fs::write(m.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(m.join("tokenizer/vocab.txt"), "a\nb\nc\n").unwrap();
    fs::write(m.join("tokenizer.json"), "{}\n").unwrap();
    fs::write(m.join("empty.txt"), "").unwrap();
    let weights: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(m.join("weights.bin"), weights).unwrap();
    m
}

/// A key pair written as `NAME.pem` (PKCS#8) and `NAME.pub`.
fn key(dir: &Path, name: &str, p384: bool) -> (PathBuf, PathBuf) {
    let alg = if p384 {
        &PKCS_ECDSA_P384_SHA384
    } else {
        &PKCS_ECDSA_P256_SHA256
    };
    let k = KeyPair::generate_for(alg).unwrap();
    let (private, public) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.pub")),
    );
    fs::write(&private, k.serialize_pem()).unwrap();
    fs::write(&public, k.public_key_pem()).unwrap();
    (private, public)
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = strata(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `strata model sign mimo --key K --signature mimo.sig`, which must pass.
fn sign_mimo(d: &Path, k: &Path) {
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            k.to_str().unwrap(),
            "--signature",
            "mimo.sig",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

/// `strata model verify mimo --signature k.sig` against `root.json` with
/// the identity `id` and the test issuer.
fn verify_keyless(d: &Path, id: &str) -> (i32, Value) {
    verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "k.sig",
            "--identity",
            id,
            "--issuer",
            ISSUER,
            "--trusted-root",
            "root.json",
        ],
    )
}

fn verify_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut a = vec!["model", "verify"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    let (code, out, err) = run(dir, &a);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn status(report: &Value, check: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == check)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no check {check} in {report}"))
}

#[test]
fn key_signatures_round_trip_and_each_tamper_fails_on_model_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = model(d);
    let (k, p) = key(d, "signer", false);
    sign_mimo(d, &k);
    let first = fs::read(d.join("mimo.sig")).unwrap();
    sign_mimo(d, &k);
    assert_eq!(
        first,
        fs::read(d.join("mimo.sig")).unwrap(),
        "P-256 signatures are deterministic"
    );
    let args = [
        "mimo",
        "--signature",
        "mimo.sig",
        "--key",
        p.to_str().unwrap(),
    ];
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["signed_resources"], 4, "{r}");
    for c in [
        "bundle-format",
        "signer",
        "signature",
        "statement",
        "model-files",
    ] {
        assert_eq!(status(&r, c), "pass", "{c}: {r}");
    }

    // Tampered weight.
    let w = m.join("weights.bin");
    let orig = fs::read(&w).unwrap();
    let mut bad = orig.clone();
    bad[100] ^= 1;
    fs::write(&w, &bad).unwrap();
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "model-files"), "fail");
    assert_eq!(status(&r, "signature"), "pass");
    assert_eq!(r["difference"]["changed"][0]["name"], "weights.bin");
    fs::write(&w, &orig).unwrap();

    // Extra file; then --ignore-unsigned-files accepts it.
    fs::write(m.join("backdoor.py"), "import os\n").unwrap();
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 1);
    assert_eq!(r["difference"]["extra"], serde_json::json!(["backdoor.py"]));
    let mut lenient = args.to_vec();
    lenient.push("--ignore-unsigned-files");
    let (code, r) = verify_json(d, &lenient);
    assert_eq!(code, 0, "{r}");
    fs::remove_file(m.join("backdoor.py")).unwrap();

    // Missing file.
    fs::remove_file(m.join("tokenizer/vocab.txt")).unwrap();
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 1);
    assert_eq!(
        r["difference"]["missing"],
        serde_json::json!(["tokenizer/vocab.txt"])
    );
    assert_eq!(r["difference"]["extra"], serde_json::json!([]));
}

#[test]
fn the_human_report_lists_differences_by_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = model(d);
    let (k, p) = key(d, "signer", false);
    sign_mimo(d, &k);
    fs::write(m.join("weights.bin"), "replaced").unwrap();
    fs::write(m.join("extra.bin"), "x").unwrap();
    fs::remove_file(m.join("empty.txt")).unwrap();
    let out = strata(d)
        .args([
            "model",
            "verify",
            "mimo",
            "--signature",
            "mimo.sig",
            "--key",
            p.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(render(&out, d));
}

#[test]
fn another_key_fails_on_signer_and_a_forged_hint_on_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (k, _) = key(d, "signer", false);
    let (_, other) = key(d, "other", false);
    sign_mimo(d, &k);
    let (code, r) = verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "mimo.sig",
            "--key",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signer"), "fail");
    // A bundle whose hint was removed is judged by its signature alone.
    let mut b: Value = serde_json::from_slice(&fs::read(d.join("mimo.sig")).unwrap()).unwrap();
    b["verificationMaterial"]["publicKey"]["hint"] = Value::String(String::new());
    fs::write(d.join("nohint.sig"), serde_json::to_vec(&b).unwrap()).unwrap();
    let (code, r) = verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "nohint.sig",
            "--key",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signer"), "pass");
    assert_eq!(status(&r, "signature"), "fail");
}

#[test]
fn a_tampered_payload_fails_on_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (k, p) = key(d, "signer", false);
    sign_mimo(d, &k);
    let mut b: Value = serde_json::from_slice(&fs::read(d.join("mimo.sig")).unwrap()).unwrap();
    sigstore_pki::flip_b64(&mut b["dsseEnvelope"]["payload"]);
    fs::write(d.join("mimo.sig"), serde_json::to_vec(&b).unwrap()).unwrap();
    let (code, r) = verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "mimo.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signature"), "fail");
}

#[test]
fn shards_and_p384_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = model(d);
    let (k, p) = key(d, "p384", true);
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            k.to_str().unwrap(),
            "--signature",
            "s.sig",
            "--shard-size",
            "1024",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let args = ["mimo", "--signature", "s.sig", "--key", p.to_str().unwrap()];
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 0, "{r}");
    // 5000 bytes in 1024-byte shards, plus two small files; the empty file
    // is dropped in shard mode.
    assert_eq!(r["signed_resources"], 7, "{r}");
    let (_, out, _) = run(
        d,
        &[
            "model",
            "hash",
            "mimo",
            "--shard-size",
            "1024",
            "--format",
            "json",
        ],
    );
    let st: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        st["predicate"]["resources"][2]["name"],
        "weights.bin:0:1024"
    );
    assert_eq!(
        st["predicate"]["resources"][2]["algorithm"],
        "sha256-sharded-1024"
    );
    let mut w = fs::read(m.join("weights.bin")).unwrap();
    w[4999] ^= 1;
    fs::write(m.join("weights.bin"), w).unwrap();
    let (code, r) = verify_json(d, &args);
    assert_eq!(code, 1);
    assert_eq!(
        r["difference"]["changed"][0]["name"],
        "weights.bin:4096:5000"
    );
}

#[test]
fn the_signature_inside_the_model_is_ignored_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (k, p) = key(d, "signer", false);
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            k.to_str().unwrap(),
            "--signature",
            "mimo/model.sig",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, r) = verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "mimo/model.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{r}");
    // `model hash` knows no signature: ignore it by name.
    let (_, out, _) = run(
        d,
        &[
            "model",
            "hash",
            "mimo",
            "--format",
            "json",
            "--ignore-paths",
            "tokenizer",
            "--ignore-paths",
            "model.sig",
        ],
    );
    let st: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        st["predicate"]["serialization"]["ignore_paths"],
        serde_json::json!([
            ".git",
            ".gitattributes",
            ".github",
            ".gitignore",
            "model.sig",
            "tokenizer"
        ])
    );
    let names: Vec<&str> = st["predicate"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["empty.txt", "tokenizer.json", "weights.bin"]);
}

/// An organisation PKI: root, intermediate, and a leaf for `key`.
fn pki(d: &Path, code_signing: bool) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let root = Ca::root("Org Root");
    let inter = Ca::intermediate("Org Intermediate", &root);
    let now = jiff::Timestamp::now();
    let leaf = inter.issue(
        &LeafSpec {
            san: rcgen::SanType::Rfc822Name("release@example.com".try_into().unwrap()),
            issuer: None,
            not_before: now - jiff::SignedDuration::from_hours(1),
            not_after: now + jiff::SignedDuration::from_hours(24),
            code_signing,
            sct: false,
        },
        None,
    );
    let paths = ["root.crt", "inter.crt", "leaf.crt", "leaf.pem"].map(|n| d.join(n));
    fs::write(&paths[0], root.pem()).unwrap();
    fs::write(&paths[1], inter.pem()).unwrap();
    fs::write(&paths[2], leaf.pem()).unwrap();
    fs::write(&paths[3], leaf.key_pem()).unwrap();
    let [a, b, c, e] = paths;
    (a, b, c, e)
}

#[test]
fn certificate_signatures_verify_to_the_ca_and_a_rogue_ca_fails_on_signer() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (root, inter, leaf, key) = pki(d, true);
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            &s(&key),
            "--cert",
            &s(&leaf),
            "--chain",
            &s(&inter),
            "--signature",
            "c.sig",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let b: Value = serde_json::from_slice(&fs::read(d.join("c.sig")).unwrap()).unwrap();
    assert_eq!(
        b["verificationMaterial"]["x509CertificateChain"]["certificates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (code, r) = verify_json(d, &["mimo", "--signature", "c.sig", "--ca", &s(&root)]);
    assert_eq!(code, 0, "{r}");
    // A rogue CA with the same names but another key.
    let rogue = Ca::root("Org Root");
    fs::write(d.join("rogue.crt"), rogue.pem()).unwrap();
    let (code, r) = verify_json(d, &["mimo", "--signature", "c.sig", "--ca", "rogue.crt"]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signer"), "fail");
    assert_eq!(status(&r, "signature"), "not-checked");
    // A key bundle is not accepted as a certificate bundle, nor the reverse.
    let (code, r) = verify_json(d, &["mimo", "--signature", "c.sig", "--key", &s(&inter)]);
    assert_eq!(code, 2, "an X.509 certificate is not a public key: {r}");
}

/// issue #12 item 9 for OpenSSF model-signing bundles: as for Sigstore
/// bundles, a certificate chain that carries the root (the trusted CA
/// itself, or any self-signed certificate) fails the signer check.
#[test]
fn a_bundle_chain_carrying_the_root_fails_like_sigstore_bundles() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (root, inter, leaf, key) = pki(d, true);
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            &s(&key),
            "--cert",
            &s(&leaf),
            "--chain",
            &s(&inter),
            "--signature",
            "c.sig",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let der = |p: &Path| {
        use base64::Engine;
        let block = pem::parse(fs::read(p).unwrap()).unwrap();
        base64::engine::general_purpose::STANDARD.encode(block.contents())
    };
    let other = Ca::root("Some Root");
    fs::write(d.join("other.crt"), other.pem()).unwrap();
    for (extra, what) in [
        (der(&root), "a trust anchor"),
        (
            der(&d.join("other.crt")),
            "a self-signed (root) certificate",
        ),
    ] {
        let mut b: Value = serde_json::from_slice(&fs::read(d.join("c.sig")).unwrap()).unwrap();
        b["verificationMaterial"]["x509CertificateChain"]["certificates"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "rawBytes": extra }));
        fs::write(d.join("root.sig"), serde_json::to_vec(&b).unwrap()).unwrap();
        let (code, r) = verify_json(d, &["mimo", "--signature", "root.sig", "--ca", &s(&root)]);
        assert_eq!(code, 1, "{r}");
        assert_eq!(status(&r, "signer"), "fail", "{r}");
        let detail = r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "signer")
            .unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            detail.contains(&format!("includes {what}"))
                && detail.contains("must not contain the root"),
            "{detail}"
        );
    }
    // The same bundle without the root verifies.
    let (code, r) = verify_json(d, &["mimo", "--signature", "c.sig", "--ca", &s(&root)]);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn a_leaf_without_signing_usage_is_refused_when_signing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (_, inter, leaf, key) = pki(d, false);
    let (_, _, _, other_key) = {
        let e = d.join("other");
        fs::create_dir(&e).unwrap();
        pki(&e, true)
    };
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    // The leaf carries digitalSignature, so model-signing's rule accepts it
    // even without code signing; a key that is not the leaf's is refused.
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            &s(&other_key),
            "--cert",
            &s(&leaf),
            "--chain",
            &s(&inter),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("certificate-key-mismatch"), "{err}");
    let (code, _, err) = run(
        d,
        &[
            "model",
            "sign",
            "mimo",
            "--key",
            &s(&key),
            "--cert",
            &s(&leaf),
            "--chain",
            &s(&leaf),
        ],
    );
    assert_eq!(
        code, 2,
        "a chain that does not lead anywhere is refused: {err}"
    );
}

#[test]
fn keyless_model_signatures_verify_against_a_trusted_root_and_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let world = World::new();
    fs::write(d.join("root.json"), world.default_root()).unwrap();
    let (_, statement, _) = run(d, &["model", "hash", "mimo", "--format", "json"]);
    let leaf = world.leaf(IDENTITY, -5, 5);
    let b = keyless_bundle(
        &world,
        &leaf,
        statement.trim_end().as_bytes(),
        &EntryOpts::default(),
    );
    fs::write(d.join("k.sig"), serde_json::to_vec(&b).unwrap()).unwrap();
    let (code, r) = verify_keyless(d, IDENTITY);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["sigstore"]["verified"], true);
    // A prefix of the real identity is not the identity.
    let (code, r) = verify_keyless(d, &IDENTITY[..IDENTITY.len() - 2]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signer"), "fail");
}

#[test]
fn pre_1_0_and_malformed_signatures_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (k, p) = key(d, "signer", false);
    sign_mimo(d, &k);
    // A v0.1 payload, properly signed.
    let old = serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "weights.bin", "digest": {"sha256": "00".repeat(32)}}],
        "predicateType": "https://model_signing/Digests/v0.1",
        "predicate": {}
    });
    let payload = serde_json::to_vec(&old).unwrap();
    let signer = strata::sigstore::keys::load_signing_key(&k).unwrap();
    let pae = strata::modelsign::bundle::pae("application/vnd.in-toto+json", &payload);
    let bundle = strata::modelsign::bundle::write(
        &strata::modelsign::bundle::Material::PublicKey {
            hint: String::new(),
        },
        &payload,
        &signer.sign(&pae).unwrap(),
    )
    .unwrap();
    fs::write(d.join("old.sig"), bundle).unwrap();
    let (code, r) = verify_json(
        d,
        &[
            "mimo",
            "--signature",
            "old.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signature"), "pass");
    assert_eq!(status(&r, "statement"), "fail");
    let detail = r["checks"][3]["detail"].as_str().unwrap();
    assert!(detail.contains("unsupported version"), "{detail}");

    fs::write(d.join("bad.sig"), "{\n  \"mediaType\": ,\n}").unwrap();
    let (code, _, err) = run(
        d,
        &[
            "model",
            "verify",
            "mimo",
            "--signature",
            "bad.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("bad.sig:2:16"), "{err}");
    fs::write(d.join("bad.sig"), "{\"mediaType\": \"x\"}").unwrap();
    let (code, _, err) = run(
        d,
        &[
            "model",
            "verify",
            "mimo",
            "--signature",
            "bad.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("model-signature-malformed"), "{err}");
    let (code, _, err) = run(
        d,
        &[
            "model",
            "verify",
            "mimo",
            "--signature",
            "none.sig",
            "--key",
            p.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("none.sig"), "{err}");
    let (code, _, err) = run(d, &["model", "verify", "mimo", "--signature", "mimo.sig"]);
    assert_eq!(code, 2, "no trust material is a usage error: {err}");
}

#[test]
fn hash_prints_the_model_signing_subject_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let (_, out, _) = run(d, &["model", "hash", "mimo"]);
    let (_, plain, _) = run(d, &["hash", "mimo"]);
    // The subject digest equals `strata hash` of the directory.
    assert_eq!(
        out.split_whitespace().next(),
        plain.split_whitespace().next()
    );
    let (code, _, err) = run(d, &["model", "hash", "nowhere"]);
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");
    let (code, _, err) = run(d, &["model", "hash", "mimo", "--ignore-paths", "../etc"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn keyless_model_signing_round_trips_through_mock_fulcio_and_rekor() {
    use keyless_mock::{FulcioMode, RekorMode, Servers, token};
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    let servers = Servers::start(FulcioMode::Honest, RekorMode::Honest);
    fs::write(d.join("root.json"), servers.mock.world.default_root()).unwrap();
    let out = strata(d)
        .env_remove("SIGSTORE_ID_TOKEN")
        .env_remove("ACTIONS_ID_TOKEN_REQUEST_URL")
        .args([
            "model",
            "sign",
            "mimo",
            "--keyless",
            "--identity-token",
            &token(),
        ])
        .args([
            "--fulcio-url",
            &servers.url,
            "--rekor-url",
            &servers.url,
            "--trusted-root",
            "root.json",
        ])
        .args(["--signature", "k.sig"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b: Value = serde_json::from_slice(&fs::read(d.join("k.sig")).unwrap()).unwrap();
    assert_eq!(
        b["verificationMaterial"]["tlogEntries"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, r) = verify_keyless(d, IDENTITY);
    assert_eq!(code, 0, "{r}");
    let (code, r) = verify_keyless(d, "someone-else@example.com");
    assert_eq!(code, 1);
    assert_eq!(status(&r, "signer"), "fail");
    // A model changed after signing: the signature still verifies, the
    // files do not.
    fs::write(d.join("mimo/weights.bin"), "other").unwrap();
    let (code, r) = verify_keyless(d, IDENTITY);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "model-files"), "fail");
}
