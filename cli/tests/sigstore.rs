//! Sigstore signing and verification: generated offline trust material
//! (Fulcio-like CA with CT, Rekor-like log, organisation PKI), real public
//! bundles, and the binary's three commands (`sign`, `verify`,
//! `verify-bundle`). Every negative must fail on the right named check.

mod common;
mod sigstore_pki;

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
    let b = s.write("a.sigstore.json", serde_json::to_vec_pretty(bundle).unwrap());
    let a = s.write("a.txt", artifact);
    let root_path = s.write(
        "trusted_root.json",
        root.map(str::to_string).unwrap_or_else(|| world.default_root()),
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
    assert!(f.iter().all(|c| ["signature", "tlog-entry"].contains(c)), "{f:?}");
}

#[test]
fn tampered_artifact_fails_the_subject_digest() {
    let (world, _, bundle) = honest(&EntryOpts::default());
    let r = keyless(&world, &bundle, b"release artifact v1.0.1\n", exact(IDENTITY), ISSUER, None);
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
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), "https://issuer.example.test/", None);
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
        &mut bundle["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
            ["signedEntryTimestamp"],
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
    let bundle = keyless_bundle(&world, &leaf, &statement("a", &artifact), &EntryOpts::default());
    let t = world.minutes(-1).to_string();
    let before = (world.minutes(-1) - jiff::SignedDuration::from_secs(1)).to_string();
    // The CA's window ends exactly at the signing time: still valid.
    let root = world.trusted_root(("2020-01-01T00:00:00Z", Some(&t)), ("2020-01-01T00:00:00Z", None));
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, Some(&root));
    assert!(r.verified, "{}", r.render_human());
    // One second earlier: the CA could not vouch for this signature.
    let root = world.trusted_root(("2020-01-01T00:00:00Z", Some(&before)), ("2020-01-01T00:00:00Z", None));
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, Some(&root));
    assert!(failed(&r).contains(&"trust-root-validity"), "{}", r.render_human());
    // The log key's window ends before the integrated time.
    let root = world.trusted_root(("2020-01-01T00:00:00Z", None), ("2020-01-01T00:00:00Z", Some(&before)));
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, Some(&root));
    let f = failed(&r);
    assert!(f.contains(&"trust-root-validity") && f.contains(&"set"), "{f:?}");
}

#[test]
fn a_log_the_trusted_root_does_not_know_is_refused() {
    let (world, artifact, bundle) = honest(&EntryOpts::default());
    let stranger = World::new();
    let mut root: Value = serde_json::from_str(&world.default_root()).unwrap();
    let other: Value = serde_json::from_str(&stranger.default_root()).unwrap();
    root["tlogs"] = other["tlogs"].clone();
    let r = keyless(&world, &bundle, &artifact, exact(IDENTITY), ISSUER, Some(&root.to_string()));
    let f = failed(&r);
    assert!(f.contains(&"set") && f.contains(&"checkpoint"), "{}", r.render_human());
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
