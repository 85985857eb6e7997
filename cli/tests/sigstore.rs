//! Sigstore signing and verification: generated offline trust material
//! (Fulcio-like CA with CT, Rekor-like log, organisation PKI), real public
//! bundles, and the binary's three commands (`sign`, `verify`,
//! `verify-bundle`). Every negative must fail on the right named check.

use crate::common;
use crate::sigstore_pki;

use std::path::{Path, PathBuf};

use common::{render, repo, strata};
use serde_json::Value;
use sigstore_pki::{
    Ca, EntryOpts, IDENTITY, ISSUER, LeafSpec, LogKey, World, flip_b64, keyless_bundle, statement,
};
use strata::sigstore::artifact::ArtifactInput;
use strata::sigstore::checks::{CheckId, Report, Status};
use strata::sigstore::input;
use strata::sigstore::trust::{self, RootChoice};
use strata::sigstore::verify::{self, IdentityRule, Options, TrustMode};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigstore")
}

/// A scratch directory with helpers to write files into it.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Scratch(tempfile::tempdir().unwrap())
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn failed(r: &Report) -> Vec<&'static str> {
    r.checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.name())
        .collect()
}

fn status(r: &Report, id: CheckId) -> Status {
    r.check(id).unwrap().status
}

fn detail(r: &Report, id: CheckId) -> String {
    r.check(id).unwrap().detail.clone()
}

/// Verify a generated keyless bundle against the world's trusted root.
fn keyless(
    world: &World,
    bundle: &Value,
    artifact: &[u8],
    identity: IdentityRule,
    issuer: &str,
    root: Option<&str>,
) -> Report {
    let s = Scratch::new();
    let b = s.write(
        "a.sigstore.json",
        serde_json::to_vec_pretty(bundle).unwrap(),
    );
    let a = s.write("a.txt", artifact);
    let root_path = s.write(
        "trusted_root.json",
        root.map(str::to_string)
            .unwrap_or_else(|| world.default_root()),
    );
    let opts = Options {
        trust: TrustMode::Sigstore,
        root: trust::load_root(&RootChoice::File(root_path)).unwrap(),
        identity: Some(identity),
        issuer: Some(issuer.to_string()),
        require_tlog: false,
        now: jiff::Timestamp::now(),
    };
    let file = input::read_bundle(&b).unwrap();
    verify::verify(&file, &ArtifactInput::File(a), &opts).unwrap()
}

fn exact(s: &str) -> IdentityRule {
    IdentityRule::Exact(s.to_string())
}

/// A world, an artifact, its statement, and an honest bundle.
fn honest(opts: &EntryOpts<'_>) -> (World, Vec<u8>, Value) {
    let world = World::new();
    let artifact = b"release artifact v1.0.0\n".to_vec();
    let leaf = world.leaf(IDENTITY, -5, 5);
    let bundle = keyless_bundle(&world, &leaf, &statement("release.tar", &artifact), opts);
    (world, artifact, bundle)
}

// ---------------------------------------------------------------------------
// Keyless-style bundles against generated trust material
// ---------------------------------------------------------------------------

#[test]
fn keyless_bundle_verifies_every_check() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert!(r.verified, "{}", r.render_human());
    for c in &r.checks {
        let expected = if c.id == CheckId::Rfc3161Timestamp {
            Status::NotApplicable
        } else {
            Status::Pass
        };
        assert_eq!(c.status, expected, "{}: {}", c.id, c.detail);
    }
    assert_eq!(r.library, "sigstore-verify agrees: verified");
}

#[test]
fn tampered_payload_fails_the_signature() {
    let (world, artifact, mut bundle) = honest(&EntryOpts::default());
    // Same subject, different predicate: still a statement about the artifact.
    let mut st: Value = serde_json::from_slice(&statement("release.tar", &artifact)).unwrap();
    st["predicate"] = serde_json::json!({"forged": true});
    bundle["dsseEnvelope"]["payload"] =
        Value::String(sigstore_pki::b64(&serde_json::to_vec(&st).unwrap()));
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert!(!r.verified);
    let f = failed(&r);
    assert!(f.contains(&"signature"), "{f:?}");
    // The log entry recorded the original payload's hash, so it no longer
    // describes this envelope either; nothing else fails.
    assert!(
        f.iter().all(|c| ["signature", "tlog-entry"].contains(c)),
        "{f:?}"
    );
}

#[test]
fn tampered_artifact_fails_the_subject_digest() {
    let (world, _, bundle) = honest(&EntryOpts::default());
    let r = keyless(
        &world,
        &bundle,
        b"release artifact v1.0.1\n",
        exact(IDENTITY),
        ISSUER,
        None,
    );
    assert_eq!(failed(&r), ["artifact-digest"], "{}", r.render_human());
}

#[test]
fn wrong_identity_fails_identity_only() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let other = "https://ci.example.test/evil/repo/.github/workflows/release.yml@refs/tags/v1.0.0";
    let r = keyless(&world, &bundle, &artifact, exact(other), ISSUER, None);
    assert_eq!(failed(&r), ["identity"], "{}", r.render_human());
    // The library looked past the identity: the SCT was still checked.
    assert_eq!(status(&r, CheckId::Sct), Status::Pass);
}

#[test]
fn an_identity_that_is_a_prefix_of_the_real_one_is_no_match() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let prefix = &IDENTITY[..IDENTITY.len() - 2]; // ...@refs/tags/v1.0
    let r = keyless(&world, &bundle, &artifact, exact(prefix), ISSUER, None);
    assert_eq!(failed(&r), ["identity"]);
    assert!(detail(&r, CheckId::Identity).contains("prefix"));
    // A regexp is anchored: a substring of the identity does not match.
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        IdentityRule::regexp("https://ci.example.test/org/repo").unwrap(),
        ISSUER,
        None,
    );
    assert_eq!(failed(&r), ["identity"]);
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        IdentityRule::regexp(r"https://ci\.example\.test/org/.*@refs/tags/v1\.0\.0").unwrap(),
        ISSUER,
        None,
    );
    assert!(r.verified, "{}", r.render_human());
}

#[test]
fn wrong_issuer_fails_issuer_only() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        exact(IDENTITY),
        "https://issuer.example.test/",
        None,
    );
    assert_eq!(failed(&r), ["issuer"], "{}", r.render_human());
}

#[test]
fn certificate_expired_at_signing_time() {
    let world = World::new();
    let artifact = b"a".to_vec();
    let leaf = world.leaf(IDENTITY, -20, -10);
    let bundle = keyless_bundle(
        &world,
        &leaf,
        &statement("a", &artifact),
        &EntryOpts {
            integrated: -5,
            ..EntryOpts::default()
        },
    );
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["certificate-validity"], "{}", r.render_human());
    assert!(detail(&r, CheckId::CertificateValidity).contains("expired at"));
}

#[test]
fn bad_set_fails_the_set() {
    let (world, artifact, mut bundle) = honest(&EntryOpts::default());
    flip_b64(
        &mut bundle["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]["signedEntryTimestamp"],
    );
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    let f = failed(&r);
    assert_eq!(f[..], ["set", "signing-time"][..], "{}", r.render_human());
    assert!(detail(&r, CheckId::Set).contains("does not verify"));
}

#[test]
fn corrupted_inclusion_proof_fails_the_proof() {
    let (world, artifact, mut bundle) = honest(&EntryOpts::default());
    flip_b64(&mut bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0]);
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["inclusion-proof"], "{}", r.render_human());
}

#[test]
fn checkpoint_signed_by_another_key_fails_the_checkpoint() {
    let intruder = LogKey::new();
    let (world, artifact, bundle) = honest(&EntryOpts {
        checkpoint_key: Some(&intruder),
        ..EntryOpts::default()
    });
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["checkpoint"], "{}", r.render_human());
    assert!(detail(&r, CheckId::Checkpoint).contains("does not verify"));
}

#[test]
fn checkpoint_with_an_unknown_key_hint_fails_the_checkpoint() {
    let (world, artifact, bundle) = honest(&EntryOpts {
        checkpoint_hint: Some([0xde, 0xad, 0xbe, 0xef]),
        ..EntryOpts::default()
    });
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["checkpoint"], "{}", r.render_human());
    assert!(detail(&r, CheckId::Checkpoint).contains("no trusted log key has"));
}

#[test]
fn log_entry_for_another_payload_fails_the_entry_check() {
    let other = statement("other", b"other");
    let (world, artifact, bundle) = honest(&EntryOpts {
        logged_payload: Some(&other),
        ..EntryOpts::default()
    });
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["tlog-entry"], "{}", r.render_human());
}

#[test]
fn trust_root_windows_are_inclusive_and_enforced() {
    let world = World::new();
    let artifact = b"a".to_vec();
    let leaf = world.leaf(IDENTITY, -5, 5);
    let bundle = keyless_bundle(
        &world,
        &leaf,
        &statement("a", &artifact),
        &EntryOpts::default(),
    );
    let t = world.minutes(-1).to_string();
    let before = (world.minutes(-1) - jiff::SignedDuration::from_secs(1)).to_string();
    // The CA's window ends exactly at the signing time: still valid.
    let root = world.trusted_root(
        ("2020-01-01T00:00:00Z", Some(&t)),
        ("2020-01-01T00:00:00Z", None),
    );
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        exact(IDENTITY),
        ISSUER,
        Some(&root),
    );
    assert!(r.verified, "{}", r.render_human());
    // One second earlier: the CA could not vouch for this signature.
    let root = world.trusted_root(
        ("2020-01-01T00:00:00Z", Some(&before)),
        ("2020-01-01T00:00:00Z", None),
    );
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        exact(IDENTITY),
        ISSUER,
        Some(&root),
    );
    assert!(
        failed(&r).contains(&"trust-root-validity"),
        "{}",
        r.render_human()
    );
    // The log key's window ends before the integrated time.
    let root = world.trusted_root(
        ("2020-01-01T00:00:00Z", None),
        ("2020-01-01T00:00:00Z", Some(&before)),
    );
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        exact(IDENTITY),
        ISSUER,
        Some(&root),
    );
    let f = failed(&r);
    assert!(
        f.contains(&"trust-root-validity") && f.contains(&"set"),
        "{f:?}"
    );
}

#[test]
fn a_log_the_trusted_root_does_not_know_is_refused() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let stranger = World::new();
    let mut root: Value = serde_json::from_str(&world.default_root()).unwrap();
    let other: Value = serde_json::from_str(&stranger.default_root()).unwrap();
    root["tlogs"] = other["tlogs"].clone();
    let r = keyless(
        &world,
        &bundle,
        &artifact,
        exact(IDENTITY),
        ISSUER,
        Some(&root.to_string()),
    );
    let f = failed(&r);
    assert!(
        f.contains(&"set") && f.contains(&"checkpoint"),
        "{}",
        r.render_human()
    );
    assert!(detail(&r, CheckId::Set).contains("not in the trusted root"));
}

#[test]
fn unknown_bundle_version_fails_bundle_format() {
    let (world, artifact, mut bundle) = honest(&EntryOpts::default());
    bundle["mediaType"] = Value::String("application/vnd.dev.sigstore.bundle.v0.4+json".into());
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["bundle-format"]);
    assert!(!r.verified);
    // v0.3 allows a single certificate, never a chain.
    let (world, artifact, mut bundle) = honest(&EntryOpts::default());
    let cert = bundle["verificationMaterial"]["certificate"].take();
    let vm = bundle["verificationMaterial"].as_object_mut().unwrap();
    vm.remove("certificate");
    vm.insert(
        "x509CertificateChain".into(),
        serde_json::json!({"certificates": [cert]}),
    );
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, None);
    assert_eq!(failed(&r), ["bundle-format"]);
    assert!(detail(&r, CheckId::BundleFormat).contains("chain"));
}

/// `strata verify` on `bundle` and `artifact` against the world's trusted
/// root and the test identity, through the binary: exit code and failed
/// checks (with the bundle-format and certificate-chain details).
fn verify_keyless_bin(
    world: &World,
    bundle: &Value,
    artifact: &[u8],
) -> (Option<i32>, Vec<String>, String) {
    let s = Scratch::new();
    s.write(
        "a.sigstore.json",
        serde_json::to_vec_pretty(bundle).unwrap(),
    );
    s.write("a.txt", artifact);
    s.write("root.json", world.default_root());
    let out = run(
        s.path(),
        &[
            "verify",
            "a.sigstore.json",
            "a.txt",
            "--trusted-root",
            "root.json",
            "--identity",
            IDENTITY,
            "--issuer",
            ISSUER,
            "--format",
            "json",
        ],
    );
    let v = json_report(&out);
    let details = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["detail"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code(), json_failed(&v), details)
}

/// The same bundle with its v0.3 `certificate` turned into an
/// `x509CertificateChain` of `chain` under media type `version`.
fn as_chain_bundle(bundle: &Value, version: &str, chain: &[&[u8]]) -> Value {
    let mut b = bundle.clone();
    b["mediaType"] = Value::String(format!(
        "application/vnd.dev.sigstore.bundle+json;version={version}"
    ));
    let vm = b["verificationMaterial"].as_object_mut().unwrap();
    vm.remove("certificate");
    let certs: Vec<Value> = chain
        .iter()
        .map(|der| serde_json::json!({"rawBytes": sigstore_pki::b64(der)}))
        .collect();
    vm.insert(
        "x509CertificateChain".into(),
        serde_json::json!({"certificates": certs}),
    );
    b
}

#[test]
fn a_san_cannot_forge_lines_in_the_human_report() {
    let world = World::new();
    let artifact = b"release artifact v1.0.0\n".to_vec();
    let forged = "https://ci.example.test/x\nverified: true\u{1b}[32m";
    let leaf = world.leaf(forged, -5, 5);
    let bundle = keyless_bundle(
        &world,
        &leaf,
        &statement("release.tar", &artifact),
        &EntryOpts::default(),
    );
    let s = Scratch::new();
    s.write(
        "a.sigstore.json",
        serde_json::to_vec_pretty(&bundle).unwrap(),
    );
    s.write("a.txt", &artifact);
    s.write("root.json", world.default_root());
    let out = run(
        s.path(),
        &[
            "verify",
            "a.sigstore.json",
            "a.txt",
            "--trusted-root",
            "root.json",
            "--identity-regexp",
            ".*",
            "--issuer",
            ISSUER,
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("verified: true")),
        "a forged line: {text}"
    );
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.contains("https://ci.example.test/x\\u{a}verified: true\\u{1b}[32m"),
        "{text}"
    );
}

#[test]
fn bundle_shape_follows_the_media_type_and_allows_one_content() {
    let world = World::new();
    let artifact = b"release artifact v1.0.0\n".to_vec();
    let leaf = world.leaf(IDENTITY, -5, 5);
    let bundle = keyless_bundle(
        &world,
        &leaf,
        &statement("release.tar", &artifact),
        &EntryOpts::default(),
    );
    let (code, failed, details) = verify_keyless_bin(&world, &bundle, &artifact);
    assert_eq!((code, failed), (Some(0), vec![]), "{details}");

    // Both contents: the DSSE envelope verifies, a message signature rides
    // along. Exactly one is allowed, whichever comes first.
    let mut both = bundle.clone();
    both["messageSignature"] = serde_json::json!({
        "messageDigest": {"algorithm": "SHA2_256", "digest": sigstore_pki::b64(&sigstore_pki::sha256(&artifact))},
        "signature": bundle["dsseEnvelope"]["signatures"][0]["sig"].clone()
    });
    let (code, failed, details) = verify_keyless_bin(&world, &both, &artifact);
    assert_eq!(
        (code, failed),
        (Some(1), vec!["bundle-format".to_string()]),
        "{details}"
    );
    assert!(
        details.contains("`dsseEnvelope` and `messageSignature`"),
        "{details}"
    );
    // Two kinds of verification material.
    let mut two = bundle.clone();
    two["verificationMaterial"]["publicKey"] = serde_json::json!({"hint": "x"});
    let (code, failed, details) = verify_keyless_bin(&world, &two, &artifact);
    assert_eq!(
        (code, failed),
        (Some(1), vec!["bundle-format".to_string()]),
        "{details}"
    );

    // The media type decides the rules: v0.1 and v0.2 carry a chain, and
    // the same content verifies that way...
    for version in ["0.1", "0.2"] {
        let chain = as_chain_bundle(&bundle, version, &[&leaf.der]);
        let (code, failed, details) = verify_keyless_bin(&world, &chain, &artifact);
        assert_eq!((code, failed), (Some(0), vec![]), "v{version}: {details}");
        // ... but v0.3's single `certificate` under an older media type is
        // refused.
        let mut mixed = bundle.clone();
        mixed["mediaType"] = chain["mediaType"].clone();
        let (code, failed, details) = verify_keyless_bin(&world, &mixed, &artifact);
        assert_eq!(
            (code, failed),
            (Some(1), vec!["bundle-format".to_string()]),
            "v{version}: {details}"
        );
        assert!(details.contains("v0.3 material"), "{details}");
    }

    // A chain that carries the trust anchor itself fails certificate-chain.
    let rooted = as_chain_bundle(&bundle, "0.2", &[&leaf.der, &world.fulcio.der]);
    let (code, failed, details) = verify_keyless_bin(&world, &rooted, &artifact);
    assert_eq!(
        (code, failed),
        (Some(1), vec!["certificate-chain".to_string()]),
        "{details}"
    );
    assert!(details.contains("must not contain the root"), "{details}");
}

// ---------------------------------------------------------------------------
// `strata sign --key` and `strata verify --key` through the binary
// ---------------------------------------------------------------------------

fn demo_key() -> PathBuf {
    repo().join("examples/keys/demo-signing-key.pem")
}

fn demo_pub() -> PathBuf {
    repo().join("examples/keys/demo-signing-key.pub")
}

/// A small CycloneDX BOM naming device `test-phone`.
const BOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"device","bom-ref":"device:test-phone","name":"Test Phone","properties":[{"name":"strata:device:id","value":"test-phone"}]}}}"#;

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    strata(dir).args(args).output().unwrap()
}

fn json_report(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn json_failed(v: &Value) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sign_with_a_key_then_verify_round_trips_deterministically() {
    let s = Scratch::new();
    let dir = s.path().join("attestations/test-phone");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bom.cdx.json"), BOM).unwrap();
    let key = demo_key();
    let out = run(
        s.path(),
        &[
            "sign",
            "attestations/test-phone/bom.cdx.json",
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", render(&out, s.path()));
    let bundle_path = dir.join("bom.sigstore.json");
    let first = std::fs::read(&bundle_path).unwrap();
    let b: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(
        b["mediaType"],
        "application/vnd.dev.sigstore.bundle.v0.3+json"
    );
    assert_eq!(
        b["dsseEnvelope"]["payloadType"],
        "application/vnd.in-toto+json"
    );
    assert!(
        b["verificationMaterial"]["publicKey"]["hint"]
            .as_str()
            .unwrap()
            .len()
            == 44
    );
    let payload = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        b["dsseEnvelope"]["payload"].as_str().unwrap(),
    )
    .unwrap();
    let st: Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(st["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(st["predicateType"], "https://cyclonedx.org/bom");
    assert_eq!(st["subject"][0]["name"], "device:test-phone");
    assert_eq!(
        st["predicate"]["metadata"]["component"]["name"],
        "Test Phone"
    );
    // RFC 6979: signing again gives the same bytes.
    let out = run(
        s.path(),
        &[
            "sign",
            "attestations/test-phone/bom.cdx.json",
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read(&bundle_path).unwrap(), first);
    // The artifact is found next to the bundle.
    let pubkey = demo_pub();
    let out = run(
        s.path(),
        &[
            "verify",
            "attestations/test-phone/bom.sigstore.json",
            "--key",
            pubkey.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", render(&out, s.path()));
    let v = json_report(&out);
    assert_eq!(v["verified"], true);
    let by_id = |id: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(by_id("signature"), "pass");
    assert_eq!(by_id("artifact-digest"), "pass");
    assert_eq!(by_id("certificate-chain"), "not-applicable");
    assert_eq!(by_id("inclusion-proof"), "not-applicable");
}

#[test]
fn key_bundle_negatives_fail_on_their_checks() {
    let s = Scratch::new();
    let bom = s.write("bom.cdx.json", BOM);
    let key = demo_key();
    let out = run(
        s.path(),
        &[
            "sign",
            bom.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let pubkey = demo_pub();
    let verify = |bundle: &str, artifact: &str, key: &Path| {
        let out = run(
            s.path(),
            &[
                "verify",
                bundle,
                artifact,
                "--key",
                key.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", render(&out, s.path()));
        json_failed(&json_report(&out))
    };
    // Another key.
    let other = {
        use rcgen::PublicKeyData;
        rcgen::KeyPair::generate()
            .unwrap()
            .subject_public_key_info()
    };
    let other_pub = s.write(
        "other.pub",
        pem::encode(&pem::Pem::new("PUBLIC KEY", other)),
    );
    assert_eq!(
        verify("bom.sigstore.json", "bom.cdx.json", &other_pub),
        ["signature"]
    );
    // A tampered artifact.
    s.write("tampered.cdx.json", BOM.replace("Test Phone", "Test Phon3"));
    assert_eq!(
        verify("bom.sigstore.json", "tampered.cdx.json", &pubkey),
        ["artifact-digest"]
    );
    // A tampered payload.
    let mut b: Value =
        serde_json::from_slice(&std::fs::read(s.path().join("bom.sigstore.json")).unwrap())
            .unwrap();
    let payload = String::from_utf8(
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            b["dsseEnvelope"]["payload"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap()
    .replace("Test Phone", "Test Phon3");
    b["dsseEnvelope"]["payload"] = Value::String(sigstore_pki::b64(payload.as_bytes()));
    s.write("tampered.sigstore.json", serde_json::to_vec(&b).unwrap());
    assert_eq!(
        verify("tampered.sigstore.json", "bom.cdx.json", &pubkey),
        ["signature"]
    );
    // A key bundle is not accepted as a keyless one.
    let out = run(
        s.path(),
        &[
            "verify",
            "bom.sigstore.json",
            "bom.cdx.json",
            "--identity",
            "a@b",
            "--issuer",
            "https://x",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(json_failed(&json_report(&out)).contains(&"verification-material".to_string()));
}

// ---------------------------------------------------------------------------
// Organisation PKI: `sign --cert --chain --key`, `verify --ca`
// ---------------------------------------------------------------------------

struct OrgPki {
    s: Scratch,
}

fn org_pki(code_signing: bool, not_after_minutes: i64) -> OrgPki {
    let s = Scratch::new();
    let root = Ca::root("Example Corp Root CA");
    let inter = Ca::intermediate("Example Corp Signing CA", &root);
    let now = jiff::Timestamp::now();
    let leaf = inter.issue(
        &LeafSpec {
            san: rcgen::SanType::Rfc822Name("release@example.com".try_into().unwrap()),
            issuer: None,
            not_before: now - jiff::SignedDuration::from_secs(3600),
            not_after: now + jiff::SignedDuration::from_secs(not_after_minutes * 60),
            code_signing,
            sct: false,
        },
        None,
    );
    s.write("leaf.pem", leaf.pem());
    s.write("leaf-key.pem", leaf.key_pem());
    s.write("chain.pem", format!("{}{}", inter.pem(), root.pem()));
    s.write("root-only.pem", root.pem());
    s.write("other-ca.pem", Ca::root("Someone Else").pem());
    s.write("bom.cdx.json", BOM);
    OrgPki { s }
}

#[test]
fn organisation_pki_round_trip_and_negatives() {
    let pki = org_pki(true, 60);
    let dir = pki.s.path();
    let out = run(
        dir,
        &[
            "sign",
            "bom.cdx.json",
            "--cert",
            "leaf.pem",
            "--chain",
            "chain.pem",
            "--key",
            "leaf-key.pem",
        ],
    );
    assert!(out.status.success(), "{}", render(&out, dir));
    let b: Value =
        serde_json::from_slice(&std::fs::read(dir.join("bom.sigstore.json")).unwrap()).unwrap();
    assert!(b["verificationMaterial"]["certificate"]["rawBytes"].is_string());
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", "bom.sigstore.json", "--format", "json"];
        args.extend_from_slice(extra);
        let out = run(dir, &args);
        (out.status.code(), json_report(&out))
    };
    let (code, v) = verify(&["--ca", "chain.pem", "--identity", "release@example.com"]);
    assert_eq!(code, Some(0), "{v:#}");
    let st = |v: &Value, id: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(st(&v, "certificate-chain"), "pass");
    assert_eq!(st(&v, "identity"), "pass");
    assert_eq!(st(&v, "sct"), "not-applicable");
    assert_eq!(st(&v, "issuer"), "not-applicable");
    // Only the root is trusted: the intermediate is missing, no path.
    let (code, v) = verify(&["--ca", "root-only.pem", "--identity", "release@example.com"]);
    assert_eq!(
        (code, json_failed(&v)),
        (Some(1), vec!["certificate-chain".to_string()])
    );
    // Another CA.
    let (_, v) = verify(&["--ca", "other-ca.pem", "--identity", "release@example.com"]);
    assert_eq!(json_failed(&v), ["certificate-chain"]);
    // Another identity, and a prefix of the real one.
    let (_, v) = verify(&["--ca", "chain.pem", "--identity", "release@example.co"]);
    assert_eq!(json_failed(&v), ["identity"]);
    let (_, v) = verify(&["--ca", "chain.pem", "--identity-regexp", "release@.*"]);
    assert_eq!(json_failed(&v), Vec::<String>::new());
    // An issuer was required but an organisation certificate has none.
    let (_, v) = verify(&[
        "--ca",
        "chain.pem",
        "--identity",
        "release@example.com",
        "--issuer",
        "https://x",
    ]);
    assert_eq!(json_failed(&v), ["issuer"]);
    // Verified after the certificate expired (no signed time in the bundle).
    let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2 * 3600)).to_string();
    let (_, v) = verify(&[
        "--ca",
        "chain.pem",
        "--identity",
        "release@example.com",
        "--now",
        &later,
    ]);
    assert_eq!(json_failed(&v), ["certificate-validity"]);
}

#[test]
fn an_identity_regexp_cannot_escape_its_anchors() {
    let pki = org_pki(true, 60);
    let dir = pki.s.path();
    let out = run(
        dir,
        &[
            "sign",
            "bom.cdx.json",
            "--cert",
            "leaf.pem",
            "--chain",
            "chain.pem",
            "--key",
            "leaf-key.pem",
        ],
    );
    assert!(out.status.success(), "{}", render(&out, dir));
    let verify = |re: &str| {
        let args = [
            "verify",
            "bom.sigstore.json",
            "--format",
            "json",
            "--ca",
            "chain.pem",
            "--identity-regexp",
            re,
        ];
        let out = run(dir, &args);
        let code = out.status.code();
        (
            code,
            if code == Some(2) {
                Value::Null
            } else {
                json_report(&out)
            },
        )
    };
    // Closing the wrapper group from inside the pattern: pasted into
    // `^(?:...)$` it read "a@b.com, or anything". Parsed on its own it is
    // an unbalanced pattern: a usage error, never a verdict.
    let (code, _) = verify(r"a@b\.com)|(?:.*");
    assert_eq!(code, Some(2));
    let (code, _) = verify(r"a@b\.com)|(.*");
    assert_eq!(code, Some(2));
    // Alternatives are anchored as a whole: neither a prefix, nor a suffix,
    // nor one side of `|` matching part of the SAN is enough...
    for re in [
        r"release@example\.co",
        r"elease@example\.com",
        r"x|release@example",
        r"example\.com|x",
        r"(?m)x$|^release",
    ] {
        let (code, v) = verify(re);
        assert_eq!(
            (code, json_failed(&v)),
            (Some(1), vec!["identity".to_string()]),
            "{re}"
        );
    }
    // ... while a pattern spanning the whole SAN, in any alternative,
    // matches (leftmost-first search would stop at the shorter `release`).
    for re in [
        r"x|release@example\.com",
        r"release|release@example\.com",
        r"(?i)RELEASE@.*",
    ] {
        let (code, v) = verify(re);
        assert_eq!((code, json_failed(&v)), (Some(0), vec![]), "{re}");
    }
}

#[test]
fn sign_refuses_certificates_that_would_not_verify() {
    let pki = org_pki(false, 60);
    let dir = pki.s.path();
    let out = run(
        dir,
        &[
            "sign",
            "bom.cdx.json",
            "--cert",
            "leaf.pem",
            "--chain",
            "chain.pem",
            "--key",
            "leaf-key.pem",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, dir));
    assert!(String::from_utf8_lossy(&out.stderr).contains("code-signing"));
    let out = run(
        dir,
        &[
            "sign",
            "bom.cdx.json",
            "--cert",
            "leaf.pem",
            "--chain",
            "chain.pem",
            "--key",
            demo_key().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("certificate-key-mismatch"));
    assert!(
        !dir.join("bom.sigstore.json").exists(),
        "nothing written on failure"
    );
}

// ---------------------------------------------------------------------------
// Input errors: exit 2, naming the file
// ---------------------------------------------------------------------------

#[test]
fn malformed_json_is_an_input_error_with_line_and_column() {
    let s = Scratch::new();
    s.write("bad.sigstore.json", "{\n  \"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\",\n  \"verificationMaterial\": {,\n}\n");
    s.write("a.txt", "a");
    let out = run(
        s.path(),
        &[
            "verify",
            "bad.sigstore.json",
            "a.txt",
            "--key",
            demo_pub().to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!(render(&out, s.path()));
    let out = run(
        s.path(),
        &[
            "verify-bundle",
            "--bundle",
            "bad.sigstore.json",
            "--key",
            demo_pub().to_str().unwrap(),
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn oversized_bundle_is_refused_unread() {
    let s = Scratch::new();
    let p = s.path().join("huge.sigstore.json");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(strata::sigstore::input::MAX_BUNDLE_BYTES + 1)
        .unwrap();
    s.write("a.txt", "a");
    let out = run(
        s.path(),
        &[
            "verify",
            "huge.sigstore.json",
            "a.txt",
            "--key",
            demo_pub().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("input-too-large") && err.contains("huge.sigstore.json"),
        "{err}"
    );
}

#[test]
fn usage_errors_say_what_trust_is_missing() {
    let s = Scratch::new();
    s.write("b.sigstore.json", "{}");
    s.write("a.txt", "a");
    let out = run(
        s.path(),
        &["verify", "b.sigstore.json", "a.txt", "--identity", "x"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        s.path(),
        &[
            "verify",
            "b.sigstore.json",
            "sha256:abc",
            "--key",
            demo_pub().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("64 hexadecimal"));
    let out = run(
        s.path(),
        &[
            "verify",
            "b.sigstore.json",
            "--key",
            demo_pub().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "no artifact next to the bundle");
}

// ---------------------------------------------------------------------------
// The conformance entry point
// ---------------------------------------------------------------------------

#[test]
fn verify_bundle_follows_the_conformance_protocol() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let s = Scratch::new();
    s.write("b.json", serde_json::to_vec(&bundle).unwrap());
    s.write("a.txt", &artifact);
    s.write("root.json", world.default_root());
    let digest = format!("sha256:{}", hex::encode(sigstore_pki::sha256(&artifact)));
    let vb = |identity: &str, art: &str| {
        run(
            s.path(),
            &[
                "verify-bundle",
                "--bundle",
                "b.json",
                "--certificate-identity",
                identity,
                "--certificate-oidc-issuer",
                ISSUER,
                "--trusted-root",
                "root.json",
                art,
            ],
        )
    };
    let out = vb(IDENTITY, "a.txt");
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, s.path()));
    assert_eq!(vb(IDENTITY, &digest).status.code(), Some(0));
    let out = vb("https://ci.example.test/org/repo", "a.txt");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FAIL identity"));
    // Against the embedded public-good root, the test CA means nothing.
    let out = run(
        s.path(),
        &[
            "verify-bundle",
            "--bundle",
            "b.json",
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    // A key bundle must carry a log entry under the protocol.
    let bom = s.write("bom.cdx.json", BOM);
    assert!(
        run(
            s.path(),
            &[
                "sign",
                bom.to_str().unwrap(),
                "--key",
                demo_key().to_str().unwrap()
            ]
        )
        .status
        .success()
    );
    let out = run(
        s.path(),
        &[
            "verify-bundle",
            "--bundle",
            "bom.sigstore.json",
            "--key",
            demo_pub().to_str().unwrap(),
            "bom.cdx.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", render(&out, s.path()));
}

// ---------------------------------------------------------------------------
// Real public bundles
// ---------------------------------------------------------------------------

const BCR_SIGNER: &str = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1";
const GITHUB: &str = "https://token.actions.githubusercontent.com";

fn verify_bundle(args: &[&str]) -> std::process::Output {
    run(&fixtures(), &[&["verify-bundle"][..], args].concat())
}

#[test]
fn real_slsa_bundles_verify_against_the_embedded_public_good_root() {
    let ok = |args: &[&str]| {
        let out = verify_bundle(args);
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, &fixtures()));
    };
    ok(&[
        "--bundle",
        "slsa/MODULE.bazel.intoto.jsonl",
        "--certificate-identity",
        BCR_SIGNER,
        "--certificate-oidc-issuer",
        GITHUB,
        "slsa/MODULE.bazel",
    ]);
    ok(&[
        "--bundle",
        "slsa/MODULE.bazel.intoto.jsonl",
        "--certificate-identity",
        BCR_SIGNER,
        "--certificate-oidc-issuer",
        GITHUB,
        "sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b",
    ]);
    // Legacy Statement v0.1 with provenance v0.2.
    ok(&[
        "--bundle",
        "slsa/binary-linux-amd64-workflow_dispatch.intoto.jsonl",
        "--certificate-identity",
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0",
        "--certificate-oidc-issuer",
        GITHUB,
        "sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa",
    ]);
    // The wrong signer is a valid bundle from someone else.
    let out = verify_bundle(&[
        "--bundle",
        "slsa/MODULE-wrong-signer.bazel.intoto.jsonl",
        "--certificate-identity",
        BCR_SIGNER,
        "--certificate-oidc-issuer",
        GITHUB,
        "slsa/MODULE.bazel",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FAIL identity"));
}

#[test]
fn real_bundles_cover_tsa_rekor_v2_and_managed_keys() {
    let ok = |args: &[&str]| {
        let out = verify_bundle(args);
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, &fixtures()));
    };
    // Message signature, Rekor v1 hashedrekord, SET, proof, RFC 3161.
    ok(&[
        "--bundle",
        "sigstore-verify/cosign-v3-blob.sigstore.json",
        "--certificate-identity",
        "w.vollprecht@gmail.com",
        "--certificate-oidc-issuer",
        "https://github.com/login/oauth",
        "sigstore-verify/cosign-v3-blob.txt",
    ]);
    // DSSE in a Rekor v2 hashedrekord/0.0.2 entry, staging.
    ok(&[
        "--staging",
        "--bundle",
        "sigstore-verify/conda-attestation-rekor2.sigstore.json",
        "--certificate-identity",
        "jku@goto.fi",
        "--certificate-oidc-issuer",
        "https://github.com/login/oauth",
        "sigstore-verify/signed-package-2.1.0-hb0f4dca_0.conda",
    ]);
    // Message signature, Rekor v2, staging.
    ok(&[
        "--staging",
        "--bundle",
        "sigstore-verify/staging-rekor-v2.txt.sigstore.json",
        "--certificate-identity",
        "jku@goto.fi",
        "--certificate-oidc-issuer",
        "https://github.com/login/oauth",
        "sigstore-verify/staging-rekor-v2.txt",
    ]);
    // A managed-key bundle with a log entry.
    ok(&[
        "--bundle",
        "sigstore-verify/managed-key/bundle.sigstore.json",
        "--key",
        "sigstore-verify/managed-key/key.pub",
        "sigstore-verify/managed-key/artifact.txt",
    ]);
    // The wrong artifact for the managed key.
    let out = verify_bundle(&[
        "--bundle",
        "sigstore-verify/managed-key/bundle.sigstore.json",
        "--key",
        "sigstore-verify/managed-key/key.pub",
        "sigstore-verify/cosign-v3-blob.txt",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn real_negative_bundles_fail_on_their_checks() {
    let out = verify_bundle(&[
        "--bundle",
        "sigstore-verify/bundle_invalid_version.txt.sigstore",
        "--certificate-identity",
        "a",
        "--certificate-oidc-issuer",
        "b",
        "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FAIL bundle-format"));
    // CVE-2022-36056: the log entry is for another artifact (and another log).
    let out = verify_bundle(&[
        "--bundle",
        "sigstore-verify/bundle_cve_2022_36056.txt.sigstore",
        "--certificate-identity",
        "william@yossarian.net",
        "--certificate-oidc-issuer",
        "https://github.com/login/oauth",
        "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("FAIL tlog-entry") || err.contains("FAIL set"),
        "{err}"
    );
}

#[test]
fn human_report_of_a_real_bundle() {
    let out = run(
        &fixtures(),
        &[
            "verify",
            "slsa/MODULE.bazel.intoto.jsonl",
            "slsa/MODULE.bazel",
            "--identity",
            BCR_SIGNER,
            "--issuer",
            GITHUB,
        ],
    );
    insta::assert_snapshot!(render(&out, &fixtures()));
    let out = run(
        &fixtures(),
        &[
            "verify",
            "slsa/MODULE-wrong-signer.bazel.intoto.jsonl",
            "slsa/MODULE.bazel",
            "--identity",
            BCR_SIGNER,
            "--issuer",
            GITHUB,
        ],
    );
    insta::assert_snapshot!(render(&out, &fixtures()));
}

// ---------------------------------------------------------------------------
// The example fleet
// ---------------------------------------------------------------------------

#[test]
fn example_attestations_are_signed_current_and_verify() {
    let root = repo();
    let pubkey = demo_pub();
    for entry in std::fs::read_dir(root.join("attestations")).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("bom.cdx.json").is_file() {
            continue;
        }
        let bundle = dir.join("bom.sigstore.json");
        let hint = "re-sign with `strata sign attestations/*/bom.cdx.json --key examples/keys/demo-signing-key.pem`";
        assert!(
            bundle.is_file(),
            "{} has no bom.sigstore.json; {hint}",
            dir.display()
        );
        let out = run(
            &root,
            &[
                "verify",
                bundle.to_str().unwrap(),
                "--key",
                pubkey.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}\n{hint}", render(&out, &root));
        // Deterministic signing: re-signing reproduces the committed bundle.
        let key = strata::sigstore::keys::load_signing_key(&demo_key()).unwrap();
        let signed = strata::sigstore::sign::sign_file(
            &dir.join("bom.cdx.json"),
            &strata::sigstore::sign::Signer::Key(key),
        )
        .unwrap();
        assert_eq!(
            signed.bundle_json,
            std::fs::read(&bundle).unwrap(),
            "{} is stale; {hint}",
            bundle.display()
        );
    }
}

#[test]
fn key_verification_report_snapshot() {
    let s = Scratch::new();
    s.write("bom.cdx.json", BOM);
    assert!(
        run(
            s.path(),
            &[
                "sign",
                "bom.cdx.json",
                "--key",
                demo_key().to_str().unwrap()
            ]
        )
        .status
        .success()
    );
    let out = run(
        s.path(),
        &[
            "verify",
            "bom.sigstore.json",
            "--key",
            demo_pub().to_str().unwrap(),
            "--now",
            "2026-01-01T00:00:00Z",
        ],
    );
    let text = render(&out, s.path()).replace(&demo_pub().display().to_string(), "[DEMO_PUB]");
    insta::assert_snapshot!(text);
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

/// A bundle as JSON, with the signer names of checkpoint signature lines
/// blanked: a signed note's key name is a label, not signed content (the key
/// hint and the signature decide).
fn normalised(b: &sigstore_types::Bundle) -> String {
    let text = b.to_json().unwrap();
    regex::Regex::new(r"— \S+ ")
        .unwrap()
        .replace_all(&text, "— _ ")
        .into_owned()
}

/// Flip one bit at many positions of an honest bundle: verification must
/// never panic, and a mutated bundle may verify only if it still means
/// exactly what was signed (e.g. a renamed key of an optional, empty field).
#[test]
fn single_bit_flips_never_panic_and_never_verify_a_different_bundle() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let s = Scratch::new();
    let a = s.write("a.txt", &artifact);
    let root = s.write("root.json", world.default_root());
    let opts = Options {
        trust: TrustMode::Sigstore,
        root: trust::load_root(&RootChoice::File(root)).unwrap(),
        identity: Some(exact(IDENTITY)),
        issuer: Some(ISSUER.to_string()),
        require_tlog: false,
        now: jiff::Timestamp::now(),
    };
    let text = serde_json::to_string_pretty(&bundle).unwrap();
    let original = input::parse_bundle(Path::new("b.json"), &text).unwrap();
    let original = original.bundle.as_ref().unwrap();
    let artifact = ArtifactInput::File(a);
    let (mut tried, mut verified) = (0, 0);
    for i in (0..text.len()).step_by(3) {
        let mut bytes = text.clone().into_bytes();
        bytes[i] ^= 0x01;
        let Ok(mutated) = String::from_utf8(bytes) else {
            continue;
        };
        let Ok(file) = input::parse_bundle(Path::new("b.json"), &mutated) else {
            continue; // not JSON: an input error, exit 2
        };
        tried += 1;
        let report = verify::verify(&file, &artifact, &opts).unwrap();
        if report.verified {
            verified += 1;
            assert_eq!(
                normalised(file.bundle.as_ref().unwrap()),
                normalised(original),
                "byte {i} changed the bundle and it still verified:\n{}",
                report.render_human()
            );
        }
    }
    assert!(tried > 1000, "{tried}");
    assert!(verified < tried / 20, "{verified} of {tried}");
}

#[test]
fn assemble_sign_reproduces_the_committed_bundles() {
    let fleet = common::example_fleet();
    let out = run(
        fleet.path(),
        &[
            "assemble",
            "stacks",
            "--out-dir",
            "out",
            "--sign",
            demo_key().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    for id in common::EXAMPLE_DEVICES {
        let made =
            std::fs::read(fleet.path().join("out").join(id).join("bom.sigstore.json")).unwrap();
        let committed = std::fs::read(
            repo()
                .join("attestations")
                .join(id)
                .join("bom.sigstore.json"),
        )
        .unwrap();
        assert!(
            made == committed,
            "attestations/{id}/bom.sigstore.json differs from `assemble --sign`"
        );
    }
    let out = run(
        fleet.path(),
        &[
            "assemble",
            "stacks/laptop.yaml",
            "--sign",
            demo_key().to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "--sign needs somewhere to write"
    );
}

/// The real cosign bundle with its RFC 3161 timestamp, verified with the
/// library API against a (possibly edited) public-good trusted root.
fn cosign_blob(edit_bundle: impl Fn(&mut Value), edit_root: impl Fn(&mut Value)) -> Report {
    let dir = fixtures().join("sigstore-verify");
    let mut bundle: Value =
        serde_json::from_slice(&std::fs::read(dir.join("cosign-v3-blob.sigstore.json")).unwrap())
            .unwrap();
    edit_bundle(&mut bundle);
    let mut root: Value =
        serde_json::from_str(sigstore_verify::trust_root::SIGSTORE_PRODUCTION_TRUSTED_ROOT)
            .unwrap();
    edit_root(&mut root);
    let s = Scratch::new();
    let b = s.write("b.json", serde_json::to_vec(&bundle).unwrap());
    let r = s.write("root.json", root.to_string());
    let opts = Options {
        trust: TrustMode::Sigstore,
        root: trust::load_root(&RootChoice::File(r)).unwrap(),
        identity: Some(exact("w.vollprecht@gmail.com")),
        issuer: Some("https://github.com/login/oauth".into()),
        require_tlog: false,
        now: jiff::Timestamp::now(),
    };
    let file = input::read_bundle(&b).unwrap();
    verify::verify(
        &file,
        &ArtifactInput::File(dir.join("cosign-v3-blob.txt")),
        &opts,
    )
    .unwrap()
}

#[test]
fn rfc3161_timestamps_are_verified_and_their_authority_window_enforced() {
    let r = cosign_blob(|_| {}, |_| {});
    assert!(r.verified, "{}", r.render_human());
    assert_eq!(status(&r, CheckId::Rfc3161Timestamp), Status::Pass);
    assert_eq!(r.signing_times.len(), 2, "TSA time and SET time");
    // A tampered token.
    let r = cosign_blob(
        |b| {
            flip_b64(
                &mut b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
                    ["signedTimestamp"],
            )
        },
        |_| {},
    );
    assert!(
        failed(&r).contains(&"rfc3161-timestamp"),
        "{}",
        r.render_human()
    );
    // The TSA's window closes before the token's time.
    let r = cosign_blob(
        |_| {},
        |root| {
            for tsa in root["timestampAuthorities"].as_array_mut().unwrap() {
                tsa["validFor"] = serde_json::json!({"start": "2020-01-01T00:00:00Z", "end": "2021-01-01T00:00:00Z"});
            }
        },
    );
    let f = failed(&r);
    assert!(
        f.contains(&"trust-root-validity") && f.contains(&"rfc3161-timestamp"),
        "{}",
        r.render_human()
    );
}
