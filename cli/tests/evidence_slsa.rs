//! SLSA provenance: the real Sigstore bundles decoded (Statement v0.1 and
//! v1, provenance v0.2 and v1), DSSE signatures checked with the signing
//! certificate's key, the wrong-signer bundle rejected because its signer
//! is not the builder it claims; the Sigstore chain and log are reported
//! as not verified.

use crate::common;

use std::path::{Path, PathBuf};

use strata::evidence::{self, Report, Status, slsa};
use strata::model::EvidenceKind;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw/slsa")
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

fn with_artifact(rel: &str) -> slsa::Options {
    slsa::Options {
        artifact_sha256: Some(slsa::sha256_hex(&read(rel))),
        sigstore: evidence::slsa_sigstore::Policy {
            now: Some(jiff::Timestamp::now()),
            ..Default::default()
        },
        ..slsa::Options::default()
    }
}

#[test]
fn bcr_module_provenance_v1() {
    let r = slsa::inspect(
        &read("bcr/MODULE.bazel.intoto.jsonl"),
        &with_artifact("bcr/MODULE.bazel"),
    )
    .unwrap();
    assert_eq!(
        field(&r, "statement-type"),
        "https://in-toto.io/Statement/v1"
    );
    assert_eq!(
        field(&r, "predicate-type"),
        "https://slsa.dev/provenance/v1"
    );
    assert_eq!(
        field(&r, "subject.1"),
        "MODULE.bazel sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b"
    );
    assert_eq!(
        field(&r, "builder-id"),
        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1"
    );
    assert_eq!(
        field(&r, "build-type"),
        "https://actions.github.io/buildtypes/workflow/v1"
    );
    assert_eq!(
        field(&r, "source"),
        "https://github.com/aspect-build/rules_lint@refs/heads/publish-to-bcr"
    );
    assert_eq!(
        field(&r, "source-digest"),
        "gitCommit:8f70009fde0c94ade6ce2a054b94718c819126ec"
    );
    assert_eq!(
        field(&r, "signer.issuer"),
        "https://token.actions.githubusercontent.com"
    );
    for c in ["dsse-signature", "builder-matches-signer", "subject-digest"] {
        assert_eq!(
            check(&r, c).status,
            Status::Pass,
            "{c}: {}",
            check(&r, c).detail
        );
    }
    // The Sigstore chain (Fulcio, SCT) and the Rekor entry verify offline
    // against the embedded public-good root; no identity was pinned, so
    // the verdict stays partial.
    assert_eq!(
        check(&r, "certificate-chain").status,
        Status::Pass,
        "{}",
        check(&r, "certificate-chain").detail
    );
    assert_eq!(
        check(&r, "transparency-log").status,
        Status::Pass,
        "{}",
        check(&r, "transparency-log").detail
    );
    assert_eq!(check(&r, "signer-identity").status, Status::NotApplicable);
    assert_eq!(r.verdict(), "partial");
}

const BCR_IDENTITY: &str = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1";
const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

fn pinned(identity: &str) -> slsa::Options {
    slsa::Options {
        sigstore: evidence::slsa_sigstore::Policy {
            identity: Some(identity.into()),
            issuer: Some(GITHUB_ISSUER.into()),
            trusted_root: None,
            now: Some(jiff::Timestamp::now()),
        },
        ..with_artifact("bcr/MODULE.bazel")
    }
}

#[test]
fn a_pinned_identity_must_match_exactly() {
    let data = read("bcr/MODULE.bazel.intoto.jsonl");
    let r = slsa::inspect(&data, &pinned(BCR_IDENTITY)).unwrap();
    assert_eq!(check(&r, "signer-identity").status, Status::Pass);
    assert_eq!(r.verdict(), "passed");
    // A prefix of the real identity is another identity.
    let r = slsa::inspect(&data, &pinned(&BCR_IDENTITY[..BCR_IDENTITY.len() - 2])).unwrap();
    let c = check(&r, "signer-identity");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("prefix"), "{}", c.detail);
    // The wrong-signer provenance is signed by another workflow.
    let r = slsa::inspect(
        &read("bcr/MODULE-wrong-signer.bazel.intoto.jsonl"),
        &slsa::Options {
            artifact_sha256: Some(slsa::sha256_hex(&read("bcr/MODULE-wrong-signer.bazel"))),
            ..pinned(BCR_IDENTITY)
        },
    )
    .unwrap();
    assert_eq!(check(&r, "signer-identity").status, Status::Fail);
}

#[test]
fn a_corrupted_log_entry_or_foreign_root_fails() {
    let mut v: serde_json::Value =
        serde_json::from_slice(&read("bcr/MODULE.bazel.intoto.jsonl")).unwrap();
    let entry = &mut v["verificationMaterial"]["tlogEntries"][0];
    let hash = entry["inclusionProof"]["hashes"][0]
        .as_str()
        .unwrap()
        .to_string();
    let flipped = if hash.starts_with('A') {
        hash.replacen('A', "B", 1)
    } else {
        format!("A{}", &hash[1..])
    };
    entry["inclusionProof"]["hashes"][0] = serde_json::Value::String(flipped);
    let r = slsa::inspect(v.to_string().as_bytes(), &with_artifact("bcr/MODULE.bazel")).unwrap();
    let c = check(&r, "transparency-log");
    assert_eq!(c.status, Status::Fail, "{}", c.detail);
    assert!(c.detail.contains("inclusion-proof"), "{}", c.detail);
    // Against a trusted root that is not Sigstore's, the chain fails.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root.json");
    std::fs::write(
        &root,
        serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [], "certificateAuthorities": [], "ctlogs": [], "timestampAuthorities": []
        })
        .to_string(),
    )
    .unwrap();
    let opts = slsa::Options {
        sigstore: evidence::slsa_sigstore::Policy {
            trusted_root: Some(root),
            now: Some(jiff::Timestamp::now()),
            ..Default::default()
        },
        ..with_artifact("bcr/MODULE.bazel")
    };
    let r = slsa::inspect(&read("bcr/MODULE.bazel.intoto.jsonl"), &opts).unwrap();
    assert_eq!(check(&r, "certificate-chain").status, Status::Fail);
    assert_eq!(r.verdict(), "failed");
    // A trusted root that does not parse is an input error.
    std::fs::write(tmp.path().join("root.json"), "{").unwrap();
    let opts = slsa::Options {
        sigstore: evidence::slsa_sigstore::Policy {
            trusted_root: Some(tmp.path().join("root.json")),
            ..Default::default()
        },
        ..slsa::Options::default()
    };
    assert!(slsa::inspect(&read("bcr/MODULE.bazel.intoto.jsonl"), &opts).is_err());
}

#[test]
fn wrong_signer_is_rejected() {
    let r = slsa::inspect(
        &read("bcr/MODULE-wrong-signer.bazel.intoto.jsonl"),
        &with_artifact("bcr/MODULE-wrong-signer.bazel"),
    )
    .unwrap();
    // The signature is genuine, the subject matches: only the signer is wrong.
    assert_eq!(check(&r, "dsse-signature").status, Status::Pass);
    assert_eq!(check(&r, "subject-digest").status, Status::Pass);
    let c = check(&r, "builder-matches-signer");
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("loosebazooka/aa-test"), "{}", c.detail);
    assert_eq!(r.verdict(), "failed");
}

#[test]
fn rules_lint_release_and_legacy_v02() {
    let r = slsa::inspect(
        &read("bcr/rules_lint-v1.3.1.tar.gz.intoto.jsonl"),
        &slsa::Options::default(),
    )
    .unwrap();
    assert_eq!(
        field(&r, "subject.1"),
        "rules_lint-v1.3.1.tar.gz sha256:1636f443b01c9ee310ee5834956d0dce374c3d3bf8d4cebc9f6b86f8304b4982"
    );
    assert_eq!(check(&r, "builder-matches-signer").status, Status::Pass);
    assert_eq!(check(&r, "subject-digest").status, Status::NotApplicable);
    let r = slsa::inspect(
        &read("gha-generic-v2.1.0-legacy-v0.2/binary-linux-amd64-workflow_dispatch.intoto.jsonl"),
        &slsa::Options::default(),
    )
    .unwrap();
    assert_eq!(
        field(&r, "statement-type"),
        "https://in-toto.io/Statement/v0.1"
    );
    assert_eq!(
        field(&r, "predicate-type"),
        "https://slsa.dev/provenance/v0.2"
    );
    assert_eq!(
        field(&r, "source"),
        "git+https://github.com/slsa-framework/example-package@refs/heads/main"
    );
    assert_eq!(
        field(&r, "source-digest"),
        "sha1:4d329c75e7ec1725f7c9ce917a8799d408d06be3"
    );
    assert_eq!(check(&r, "dsse-signature").status, Status::Pass);
    assert_eq!(check(&r, "builder-matches-signer").status, Status::Pass);
}

#[test]
fn tampered_payload_fails_the_signature() {
    let mut v: serde_json::Value =
        serde_json::from_slice(&read("bcr/MODULE.bazel.intoto.jsonl")).unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(v["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let text = String::from_utf8(payload)
        .unwrap()
        .replace("06ce3309", "16ce3309");
    v["dsseEnvelope"]["payload"] = serde_json::Value::String(b64.encode(text));
    let r = slsa::inspect(v.to_string().as_bytes(), &with_artifact("bcr/MODULE.bazel")).unwrap();
    assert_eq!(check(&r, "dsse-signature").status, Status::Fail);
    assert_eq!(check(&r, "subject-digest").status, Status::Fail);
}

#[test]
fn verification_summary_and_unsigned_statement() {
    let vsa = serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "fw.bin", "digest": {"sha256": "ab".repeat(32)}}],
        "predicateType": "https://slsa.dev/verification_summary/v1",
        "predicate": {"verifier": {"id": "https://example.invalid/verifier"}, "timeVerified": "2026-01-01T00:00:00Z",
            "resourceUri": "pkg:generic/fw", "policy": {"uri": "https://example.invalid/p"},
            "verificationResult": "PASSED", "verifiedLevels": ["SLSA_BUILD_LEVEL_3"]}
    });
    let r = slsa::inspect(vsa.to_string().as_bytes(), &slsa::Options::default()).unwrap();
    assert_eq!(field(&r, "vsa.result"), "PASSED");
    assert_eq!(field(&r, "vsa.verified-levels"), "SLSA_BUILD_LEVEL_3");
    assert_eq!(check(&r, "dsse-signature").status, Status::NotApplicable);
    assert_eq!(r.verdict(), "not-verified");
}

#[test]
fn malformed_provenance() {
    let e = slsa::inspect(
        br#"{"payloadType": "text/plain", "payload": "e30=", "signatures": []}"#,
        &slsa::Options::default(),
    )
    .unwrap_err();
    assert!(e.message.contains("payloadType"), "{}", e.message);
    let e = slsa::inspect(
        b"{\"payloadType\": 1}\nnot json\n",
        &slsa::Options::default(),
    )
    .unwrap_err();
    assert!(e.message.contains("line 2"), "{}", e.message);
}

#[test]
fn detection_and_cli() {
    assert_eq!(
        evidence::detect(&read("bcr/MODULE.bazel.intoto.jsonl")),
        Some(EvidenceKind::SlsaProvenance)
    );
    let d = dir();
    let out = common::strata(&d)
        .args([
            "evidence",
            "inspect",
            "bcr/MODULE-wrong-signer.bazel.intoto.jsonl",
            "--artifact",
            "bcr/MODULE-wrong-signer.bazel",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("slsa_inspect_wrong_signer", common::render(&out, &d));
}

const DELEGATOR: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.9.0";
const TRW: &str = "https://github.com/acme/builders/.github/workflows/builder.yml@refs/tags/v0.3.1";

/// A DSSE envelope with provenance v1 naming `builder`, signed with a key
/// whose certificate is issued to `signer` by GitHub Actions, in the shape
/// of a Sigstore bundle without its log entry (so only the signature and
/// the builder rule are checked).
fn signed_provenance(signer: &str, builder: &str) -> Vec<u8> {
    use base64::Engine;
    use rcgen::SigningKey;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.subject_alt_names = vec![rcgen::SanType::URI(signer.try_into().unwrap())];
    // Fulcio's OIDC issuer extension (v2): a DER UTF8String.
    let issuer = GITHUB_ISSUER.as_bytes();
    let mut ext = vec![0x0c, issuer.len() as u8];
    ext.extend(issuer);
    p.custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 57264, 1, 8],
            ext,
        ));
    let cert = p.self_signed(&key).unwrap();
    let statement = serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "app.tar.gz", "digest": {"sha256": "ab".repeat(32)}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": "https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0",
                "externalParameters": {},
            },
            "runDetails": {"builder": {"id": builder}},
        },
    });
    let payload = statement.to_string();
    let pae = slsa::pae("application/vnd.in-toto+json", payload.as_bytes());
    let sig = key.sign(&pae).unwrap();
    serde_json::json!({
        "dsseEnvelope": {
            "payloadType": "application/vnd.in-toto+json",
            "payload": b64.encode(&payload),
            "signatures": [{"sig": b64.encode(sig)}],
        },
        "verificationMaterial": {"certificate": {"rawBytes": b64.encode(cert.der())}},
    })
    .to_string()
    .into_bytes()
}

fn builder_check(data: &[u8], pinned: Option<&str>) -> evidence::Check {
    let r = slsa::inspect(
        data,
        &slsa::Options {
            builder_id: pinned.map(str::to_string),
            ..slsa::Options::default()
        },
    )
    .unwrap();
    assert_eq!(check(&r, "dsse-signature").status, Status::Pass);
    check(&r, "builder-matches-signer").clone()
}

#[test]
fn a_byob_delegator_signs_for_the_calling_builder() {
    let data = signed_provenance(DELEGATOR, TRW);
    let c = builder_check(&data, None);
    assert_eq!(c.status, Status::Pass, "{}", c.detail);
    assert!(
        c.detail.starts_with(&format!(
            "BYOB: signed by the SLSA delegator {DELEGATOR} on behalf of the trusted reusable workflow {TRW}"
        )),
        "{}",
        c.detail
    );
    // The low-permissions delegator is one too.
    let low = DELEGATOR.replace("delegator_generic", "delegator_lowperms-generic");
    assert_eq!(
        builder_check(&signed_provenance(&low, TRW), None).status,
        Status::Pass
    );
    // A pinned builder is the provenance's, not the certificate's.
    let c = builder_check(&data, Some(TRW));
    assert_eq!(c.status, Status::Pass, "{}", c.detail);
    let c = builder_check(&data, Some(DELEGATOR));
    assert_eq!(c.status, Status::Fail, "{}", c.detail);
    let c = builder_check(
        &data,
        Some("https://github.com/acme/builders/.github/workflows/builder.yml@v0.3.0"),
    );
    assert_eq!(c.status, Status::Fail, "{}", c.detail);
}

#[test]
fn byob_negatives() {
    // The caller at a branch, the delegator at a branch, a workflow that is
    // not a delegator naming another builder.
    let branch = "https://github.com/acme/builders/.github/workflows/builder.yml@refs/heads/main";
    let c = builder_check(&signed_provenance(DELEGATOR, branch), None);
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.contains("not referenced at a release tag"),
        "{}",
        c.detail
    );
    let at_main = DELEGATOR.replace("refs/tags/v1.9.0", "refs/heads/main");
    let c = builder_check(&signed_provenance(&at_main, TRW), None);
    assert_eq!(c.status, Status::Fail);
    assert!(c.detail.contains("not at a release tag"), "{}", c.detail);
    let impostor = "https://github.com/acme/delegator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.9.0";
    let c = builder_check(&signed_provenance(impostor, TRW), None);
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.detail.starts_with("direct: provenance claims builder"),
        "{}",
        c.detail
    );
}

#[test]
fn cli_builder_id() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("app.intoto.jsonl");
    std::fs::write(&f, signed_provenance(DELEGATOR, TRW)).unwrap();
    let run = |pin: &str| {
        common::strata(tmp.path())
            .args([
                "evidence",
                "inspect",
                "app.intoto.jsonl",
                "--builder-id",
                pin,
            ])
            .output()
            .unwrap()
    };
    let out = run("https://github.com/acme/builders/.github/workflows/builder.yml");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        common::render(&out, tmp.path())
    );
    let out = run("https://github.com/acme/builders/.github/workflows/other.yml");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("the pinned builder is"), "{text}");
}
