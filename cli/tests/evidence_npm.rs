//! npm registry attestations (`{"attestations": [...]}`) through `strata
//! evidence inspect`: a publish attestation signed with a test registry key
//! and SLSA provenance signed keyless by a test Fulcio, both logged in a
//! test Rekor, built here from the format; every verification path with a
//! negative test.

use std::path::Path;

use serde_json::{Value, json};
use sha2::Digest as _;

use crate::common;
use crate::sigstore_pki::{
    EntryOpts, ISSUER, LogKey, World, b64, flip_b64, key_bundle, keyless_bundle,
};

const PUBLISH: &str = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";
const SLSA_V1: &str = "https://slsa.dev/provenance/v1";
const PURL: &str = "pkg:npm/%40acme/widget@1.2.3";
const SIGNER: &str =
    "https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3";
const TARBALL: &[u8] = b"package/package.json and friends, gzipped";

fn sha512_hex(data: &[u8]) -> String {
    hex::encode(sha2::Sha512::digest(data))
}

fn publish_statement(purl: &str, tarball: &[u8], name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [{"name": purl, "digest": {"sha512": sha512_hex(tarball)}}],
        "predicateType": PUBLISH,
        "predicate": {"name": name, "version": "1.2.3", "registry": "https://registry.npmjs.org"}
    }))
    .unwrap()
}

fn provenance_statement(purl: &str, tarball: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": purl, "digest": {"sha512": sha512_hex(tarball)}}],
        "predicateType": SLSA_V1,
        "predicate": {
            "buildDefinition": {
                "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
                "externalParameters": {"workflow": {
                    "ref": "refs/tags/v1.2.3",
                    "repository": "https://github.com/acme/widget",
                    "path": ".github/workflows/release.yml"
                }}
            },
            "runDetails": {"builder": {"id": "https://github.com/actions/runner/github-hosted"}}
        }
    }))
    .unwrap()
}

/// The test world, the registry's key and the document's two bundles.
struct Npm {
    world: World,
    registry: LogKey,
    publish: Value,
    provenance: Value,
}

impl Npm {
    fn new() -> Self {
        let world = World::new();
        let registry = LogKey::new();
        let leaf = world.leaf(SIGNER, -5, 5);
        let opts = EntryOpts::default();
        let publish = key_bundle(
            &world,
            &registry,
            &publish_statement(PURL, TARBALL, "@acme/widget"),
            &opts,
        );
        let provenance = keyless_bundle(&world, &leaf, &provenance_statement(PURL, TARBALL), &opts);
        Npm {
            world,
            registry,
            publish,
            provenance,
        }
    }

    fn document(&self) -> Value {
        json!({"attestations": [
            {"predicateType": PUBLISH, "bundle": self.publish},
            {"predicateType": SLSA_V1, "bundle": self.provenance},
        ]})
    }
}

/// A directory with the document, the tarball, the registry key, the
/// trusted root and a foreign key.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(npm: &Npm, doc: &Value) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let w = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
        w("attestations.json", doc.to_string().as_bytes());
        w("widget-1.2.3.tgz", TARBALL);
        w("other-1.2.3.tgz", b"another tarball");
        w(
            "registry.pem",
            pem::encode(&pem::Pem::new("PUBLIC KEY", npm.registry.spki())).as_bytes(),
        );
        w(
            "foreign.pem",
            pem::encode(&pem::Pem::new("PUBLIC KEY", LogKey::new().spki())).as_bytes(),
        );
        w("root.json", npm.world.default_root().as_bytes());
        Case { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `evidence inspect attestations.json --format json` with `args`:
    /// the exit code and the checks by name.
    fn run(&self, args: &[&str]) -> (i32, Value) {
        let out = common::strata(self.path())
            .args([
                "evidence",
                "inspect",
                "attestations.json",
                "--format",
                "json",
                "--trusted-root",
                "root.json",
            ])
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}", common::render(&out, self.path()));
        });
        (code, v)
    }
}

fn status<'a>(report: &'a Value, name: &str) -> (&'a str, &'a str) {
    let c = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report:#}"));
    (c["status"].as_str().unwrap(), c["detail"].as_str().unwrap())
}

fn field<'a>(report: &'a Value, name: &str) -> &'a str {
    report["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name}: {report:#}"))
}

const ALL: [&str; 11] = [
    "publish.statement",
    "publish.signature",
    "publish.transparency-log",
    "publish.subject-digest",
    "provenance.statement",
    "provenance.signature",
    "provenance.certificate-chain",
    "provenance.transparency-log",
    "provenance.signer-identity",
    "provenance.subject-digest",
    "subjects-agree",
];

#[test]
fn both_attestations_verify_and_relate_to_the_tarball() {
    let npm = Npm::new();
    let case = Case::new(&npm, &npm.document());
    let (code, r) = case.run(&[
        "--key",
        "registry.pem",
        "--artifact",
        "widget-1.2.3.tgz",
        "--identity",
        SIGNER,
        "--issuer",
        ISSUER,
    ]);
    for name in ALL {
        let (s, d) = status(&r, name);
        assert_eq!(s, "pass", "{name}: {d}\n{r:#}");
    }
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["kind"], "slsa-provenance");
    assert_eq!(r["verification"], "passed");
    let integrity = format!("sha512-{}", b64(&sha2::Sha512::digest(TARBALL)));
    assert_eq!(
        field(&r, "publish.subject.1"),
        format!("{PURL} {integrity}")
    );
    assert_eq!(field(&r, "publish.name"), "@acme/widget");
    assert_eq!(field(&r, "provenance.signer.identity"), SIGNER);
    assert_eq!(
        field(&r, "provenance.builder-id"),
        "https://github.com/actions/runner/github-hosted"
    );
    assert!(
        status(&r, "provenance.certificate-chain")
            .1
            .contains("certificate-chain"),
        "{r:#}"
    );
    assert!(
        status(&r, "publish.subject-digest").1.contains(&integrity),
        "{r:#}"
    );
    assert!(
        r["summary"].as_str().unwrap().contains(PURL),
        "{}",
        r["summary"]
    );
}

#[test]
fn without_key_tarball_or_pin_the_checks_say_what_they_need() {
    let npm = Npm::new();
    let case = Case::new(&npm, &npm.document());
    let (code, r) = case.run(&[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verification"], "partial");
    for name in ["publish.signature", "publish.transparency-log"] {
        let (s, d) = status(&r, name);
        assert_eq!(s, "not-applicable", "{name}");
        assert!(d.contains("--key"), "{d}");
    }
    for name in ["publish.subject-digest", "provenance.subject-digest"] {
        let (s, d) = status(&r, name);
        assert_eq!(s, "not-applicable");
        assert!(d.contains("--artifact"), "{d}");
    }
    assert_eq!(status(&r, "provenance.signer-identity").0, "not-applicable");
    // The provenance is verified completely all the same.
    for name in [
        "provenance.signature",
        "provenance.certificate-chain",
        "provenance.transparency-log",
        "subjects-agree",
    ] {
        assert_eq!(status(&r, name).0, "pass", "{name}: {r:#}");
    }
    // Detected without --kind, also in human form.
    let out = common::strata(case.path())
        .args([
            "evidence",
            "inspect",
            "attestations.json",
            "--trusted-root",
            "root.json",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("slsa-provenance: npm registry attestations (publish and SLSA provenance) for pkg:npm/%40acme/widget@1.2.3"),
        "{text}"
    );
}

#[test]
fn another_key_or_tarball_fails() {
    let npm = Npm::new();
    let case = Case::new(&npm, &npm.document());
    let (code, r) = case.run(&["--key", "foreign.pem", "--artifact", "other-1.2.3.tgz"]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "publish.signature").0, "fail", "{r:#}");
    for name in ["publish.subject-digest", "provenance.subject-digest"] {
        let (s, d) = status(&r, name);
        assert_eq!(s, "fail", "{name}");
        assert!(d.contains("is not the subject's"), "{d}");
    }
    // The provenance itself still verifies.
    assert_eq!(status(&r, "provenance.certificate-chain").0, "pass");
}

#[test]
fn a_pinned_signer_must_match() {
    let npm = Npm::new();
    let case = Case::new(&npm, &npm.document());
    let other = SIGNER.replace("acme/widget", "evil/widget");
    let (code, r) = case.run(&["--identity", &other, "--issuer", ISSUER]);
    assert_eq!(code, 1);
    let (s, d) = status(&r, "provenance.signer-identity");
    assert_eq!(s, "fail");
    assert!(d.contains("evil/widget"), "{d}");
}

#[test]
fn tampered_bundles_fail_their_checks() {
    // A provenance signature that does not verify.
    let mut npm = Npm::new();
    flip_b64(&mut npm.provenance["dsseEnvelope"]["signatures"][0]["sig"]);
    let (code, r) = Case::new(&npm, &npm.document()).run(&[]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "provenance.signature").0, "fail", "{r:#}");

    // A publish attestation whose SET was forged.
    let mut npm = Npm::new();
    flip_b64(
        &mut npm.publish["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]["signedEntryTimestamp"],
    );
    let (code, r) = Case::new(&npm, &npm.document()).run(&["--key", "registry.pem"]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "publish.transparency-log").0, "fail", "{r:#}");
    assert_eq!(status(&r, "publish.signature").0, "pass", "{r:#}");

    // Provenance from a CA that is not in the trusted root.
    let npm = Npm::new();
    let stranger = World::new();
    let leaf = stranger.leaf(SIGNER, -5, 5);
    let provenance = keyless_bundle(
        &npm.world,
        &leaf,
        &provenance_statement(PURL, TARBALL),
        &EntryOpts::default(),
    );
    let doc = json!({"attestations": [
        {"predicateType": PUBLISH, "bundle": npm.publish},
        {"predicateType": SLSA_V1, "bundle": provenance},
    ]});
    let (code, r) = Case::new(&npm, &doc).run(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        status(&r, "provenance.certificate-chain").0,
        "fail",
        "{r:#}"
    );
}

#[test]
fn statements_must_agree_with_the_listing_and_each_other() {
    let npm = Npm::new();
    let opts = EntryOpts::default();
    let leaf = npm.world.leaf(SIGNER, -5, 5);
    // The provenance is about another version.
    let other = keyless_bundle(
        &npm.world,
        &leaf,
        &provenance_statement("pkg:npm/%40acme/widget@1.2.4", b"1.2.4"),
        &opts,
    );
    let doc = json!({"attestations": [
        {"predicateType": PUBLISH, "bundle": npm.publish},
        {"predicateType": SLSA_V1, "bundle": other},
    ]});
    let (code, r) = Case::new(&npm, &doc).run(&["--key", "registry.pem"]);
    assert_eq!(code, 1);
    let (s, d) = status(&r, "subjects-agree");
    assert_eq!(s, "fail");
    assert!(d.contains("@1.2.4"), "{d}");
    assert_eq!(status(&r, "provenance.certificate-chain").0, "pass");

    // A publish predicate naming another package than its subject.
    let publish = key_bundle(
        &npm.world,
        &npm.registry,
        &publish_statement(PURL, TARBALL, "@acme/gadget"),
        &opts,
    );
    let doc = json!({"attestations": [{"predicateType": PUBLISH, "bundle": publish}]});
    let (code, r) = Case::new(&npm, &doc).run(&["--key", "registry.pem"]);
    assert_eq!(code, 1);
    let (s, d) = status(&r, "publish.statement");
    assert_eq!(s, "fail");
    assert!(d.contains("pkg:npm/%40acme/gadget@1.2.3"), "{d}");
    assert_eq!(status(&r, "subjects-agree").0, "not-applicable");

    // Listed as provenance, signed as the publish attestation: the listing
    // is not signed, the statement is.
    let doc = json!({"attestations": [{"predicateType": SLSA_V1, "bundle": npm.publish}]});
    let (code, r) = Case::new(&npm, &doc).run(&[]);
    assert_eq!(code, 1);
    let (s, d) = status(&r, "provenance.statement");
    assert_eq!(s, "fail");
    assert!(d.contains("signed statement is"), "{d}");
}

fn malformed(doc: &Value, pointer: &str, needle: &str) {
    let npm = Npm::new();
    let case = Case::new(&npm, doc);
    let out = common::strata(case.path())
        .args([
            "evidence",
            "inspect",
            "attestations.json",
            "--kind",
            "slsa-provenance",
        ])
        .output()
        .unwrap();
    let text = common::render(&out, case.path());
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("error[npm-attestation-malformed]"), "{text}");
    assert!(text.contains(pointer), "{pointer}: {text}");
    assert!(text.contains(needle), "{needle}: {text}");
}

#[test]
fn malformed_documents_are_named_errors() {
    let npm = Npm::new();
    malformed(
        &json!({"attestations": [{"predicateType": PUBLISH, "bundle": "x"}]}),
        "/attestations/0/bundle",
        "not a Sigstore bundle object",
    );
    malformed(
        &json!({"attestations": [{"predicateType": 7, "bundle": {}}]}),
        "/attestations/0/predicateType",
        "not a string",
    );
    let mut b = npm.publish.clone();
    b["dsseEnvelope"]["payload"] = json!("%%%");
    malformed(
        &json!({"attestations": [{"predicateType": PUBLISH, "bundle": b}]}),
        "/attestations/0/bundle/dsseEnvelope/payload",
        "not base64",
    );
    let mut b = npm.publish.clone();
    b["dsseEnvelope"]["payload"] = json!(b64(br#"{"_type": "nope"}"#));
    malformed(
        &json!({"attestations": [{"predicateType": PUBLISH, "bundle": b}]}),
        "/attestations/0/bundle/dsseEnvelope/payload/_type",
        "not an in-toto Statement",
    );
    malformed(
        &json!({"attestations": [
            {"predicateType": PUBLISH, "bundle": npm.publish},
            {"predicateType": PUBLISH, "bundle": npm.publish},
        ]}),
        "/attestations/1",
        "a second publish attestation",
    );
    malformed(
        &json!({"attestations": [{"predicateType": "https://example.test/other", "bundle": {}}]}),
        "/attestations",
        "neither a publish attestation nor SLSA provenance",
    );
}

#[test]
fn a_registry_key_that_is_not_a_key_is_a_usage_error() {
    let npm = Npm::new();
    let case = Case::new(&npm, &npm.document());
    std::fs::write(case.path().join("bad.pem"), "not a key").unwrap();
    let out = common::strata(case.path())
        .args([
            "evidence",
            "inspect",
            "attestations.json",
            "--key",
            "bad.pem",
        ])
        .output()
        .unwrap();
    let text = common::render(&out, case.path());
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("bad.pem"), "{text}");
}
