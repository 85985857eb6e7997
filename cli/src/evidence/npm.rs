//! npm registry attestations: the document the registry serves for a
//! package version (`GET /-/npm/v1/attestations/<name>@<version>`,
//! `{"attestations": [{"predicateType": …, "bundle": {…}}, …]}`), read as
//! `slsa-provenance` evidence.
//!
//! It lists two Sigstore bundles, each a DSSE envelope over an in-toto
//! statement whose subject is the package (`pkg:npm/<name>@<version>`,
//! digest `sha512`, the registry's `integrity`):
//! - the **publish attestation** (predicate
//!   `https://github.com/npm/attestation/tree/main/specs/publish/v0.1`),
//!   signed by the registry with its key: verified with strata's Sigstore
//!   verifier in key mode when the registry's public key is given
//!   (`--key`), else its checks say they need it;
//! - the **SLSA provenance** (v1 or v0.2), signed keyless from CI: verified
//!   completely (Fulcio chain at the signing time, SCT, Rekor entry,
//!   inclusion proof, checkpoint and SET, the DSSE signature) against the
//!   public-good root or `--trusted-root`; the identity only when pinned.
//!
//! Checks (prefixed `publish.` and `provenance.`): `statement` (the signed
//! predicate type is the one listed; for the publish attestation its
//! predicate's name and version are its subject's), `signature`,
//! `certificate-chain`, `transparency-log`, `signer-identity`, and
//! `subject-digest` (the tarball's SHA-512, when given, is the subject's).
//! `subjects-agree`: both attestations name the same package and digest.
//! Each bundle is verified against its own subject's digest; the tarball
//! is related to the subjects by `subject-digest`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

use super::Malformed;
use super::report::{Report, Status};
use super::slsa_sigstore::{Policy, group};
use crate::diag::Code;
use crate::model::EvidenceKind;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::checks::CheckId;
use crate::sigstore::trust::PublicKey;
use crate::sigstore::verify::{IdentityRule, Options as VerifyOptions, TrustMode, verify};

/// The predicate type of npm's publish attestation.
pub const PUBLISH_V01: &str = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";

const IN_TOTO: &str = "application/vnd.in-toto+json";

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// SHA-512 of the package tarball, when given.
    pub tarball_sha512: Option<[u8; 64]>,
    /// The registry's public key, for the publish attestation.
    pub registry_key: Option<PublicKey>,
    /// Identity policy, trusted root and verification time.
    pub sigstore: Policy,
}

/// Whether `doc` is an npm attestations document: an `attestations` list
/// of objects that each have a `predicateType` and a `bundle`.
pub fn is_document(doc: &Value) -> bool {
    doc.get("attestations")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            !a.is_empty()
                && a.iter()
                    .all(|x| x.get("predicateType").is_some() && x.get("bundle").is_some())
        })
}

fn bad(msg: impl Into<String>, pointer: &str) -> Malformed {
    Malformed {
        code: Code::NpmAttestationMalformed,
        message: msg.into(),
        offset: None,
        pointer: Some(pointer.to_string()),
    }
}

/// Which attestation an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Publish,
    Provenance,
}

impl Role {
    fn prefix(self) -> &'static str {
        match self {
            Role::Publish => "publish.",
            Role::Provenance => "provenance.",
        }
    }
}

/// The package an attestation's statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Subject {
    name: String,
    sha512: Option<String>,
}

/// The statement of a bundle's DSSE envelope.
struct Statement {
    predicate_type: String,
    subjects: Vec<Subject>,
    predicate: Value,
    whole: Value,
}

fn statement(bundle: &Value, ptr: &str) -> Result<Statement, Malformed> {
    let env_ptr = format!("{ptr}/bundle/dsseEnvelope");
    let env = bundle
        .get("dsseEnvelope")
        .ok_or_else(|| bad("the bundle has no `dsseEnvelope`", &env_ptr))?;
    let payload_type = env.get("payloadType").and_then(Value::as_str);
    if payload_type != Some(IN_TOTO) {
        return Err(bad(
            format!("`payloadType` is not {IN_TOTO}"),
            &format!("{env_ptr}/payloadType"),
        ));
    }
    let payload = env
        .get("payload")
        .and_then(Value::as_str)
        .and_then(|p| B64.decode(p).ok())
        .ok_or_else(|| {
            bad(
                "`payload` is missing or not base64",
                &format!("{env_ptr}/payload"),
            )
        })?;
    let whole = super::json::value(&payload).map_err(|e| {
        e.or_syntax(|e| {
            bad(
                format!("the DSSE payload is not JSON: {e}"),
                &format!("{env_ptr}/payload"),
            )
        })
    })?;
    let (_, predicate_type, subjects) =
        super::slsa::statement_header(&whole, &format!("{env_ptr}/payload"), &|m, p| bad(m, p))?;
    let subjects = subjects
        .iter()
        .map(|s| Subject {
            name: s
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            sha512: s
                .pointer("/digest/sha512")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
        })
        .collect();
    let predicate = whole.get("predicate").cloned().unwrap_or(Value::Null);
    Ok(Statement {
        predicate_type,
        subjects,
        predicate,
        whole,
    })
}

/// The package subject: the one named `pkg:npm/…` (npm lists one).
fn package(st: &Statement) -> Option<&Subject> {
    st.subjects.iter().find(|s| s.name.starts_with("pkg:npm/"))
}

/// A SHA-512 hex digest as npm's `integrity` (`sha512-<base64>`).
pub fn integrity(sha512_hex: &str) -> Option<String> {
    let bytes = hex::decode(sha512_hex).ok().filter(|b| b.len() == 64)?;
    Some(format!("sha512-{}", B64.encode(bytes)))
}

fn sha512_bytes(hex_digest: &str) -> Option<[u8; 64]> {
    let mut out = [0u8; 64];
    hex::decode_to_slice(hex_digest, &mut out)
        .ok()
        .map(|()| out)
}

/// Read and verify an npm attestations document.
pub fn inspect(doc: &Value, opts: &Options) -> Result<Report, Malformed> {
    let list = doc
        .get("attestations")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `attestations` list", "/attestations"))?;
    let mut rep = Report::new(EvidenceKind::SlsaProvenance, String::new());
    rep.field("format", "npm registry attestations");
    let mut found: Vec<(Role, Option<Subject>)> = Vec::new();
    let mut decoded = Vec::new();
    for (i, att) in list.iter().enumerate() {
        let ptr = format!("/attestations/{i}");
        let listed = att
            .get("predicateType")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                bad(
                    "`predicateType` is not a string",
                    &format!("{ptr}/predicateType"),
                )
            })?;
        let bundle = att.get("bundle").filter(|b| b.is_object()).ok_or_else(|| {
            bad(
                "`bundle` is not a Sigstore bundle object",
                &format!("{ptr}/bundle"),
            )
        })?;
        let role = match listed {
            PUBLISH_V01 => Role::Publish,
            "https://slsa.dev/provenance/v1" | "https://slsa.dev/provenance/v0.2" => {
                Role::Provenance
            }
            other => {
                rep.field(
                    &format!("attestation.{}", i + 1),
                    format!("{other} (not an attestation npm defines; not verified)"),
                );
                continue;
            }
        };
        if found.iter().any(|(r, _)| *r == role) {
            return Err(bad(
                format!(
                    "a second {} attestation; the registry lists one of each",
                    if role == Role::Publish {
                        "publish"
                    } else {
                        "provenance"
                    }
                ),
                &ptr,
            ));
        }
        let pre = role.prefix();
        let st = statement(bundle, &ptr)?;
        let subject = package(&st).cloned();
        rep.field(&format!("{pre}predicate-type"), st.predicate_type.clone());
        for (n, s) in st.subjects.iter().enumerate() {
            rep.field(
                &format!("{pre}subject.{}", n + 1),
                format!(
                    "{} {}",
                    s.name,
                    s.sha512
                        .as_deref()
                        .and_then(integrity)
                        .unwrap_or_else(|| "(no sha512 digest)".to_string())
                ),
            );
        }
        statement_check(&mut rep, pre, role, listed, &st, subject.as_ref());
        match role {
            Role::Publish => {
                for (k, ptr) in [
                    ("name", "/name"),
                    ("version", "/version"),
                    ("registry", "/registry"),
                ] {
                    rep.field_opt(
                        &format!("{pre}{k}"),
                        st.predicate.pointer(ptr).and_then(Value::as_str),
                    );
                }
            }
            Role::Provenance => provenance_fields(&mut rep, pre, &st.predicate),
        }
        let digest = subject
            .as_ref()
            .and_then(|s| s.sha512.as_deref())
            .and_then(sha512_bytes);
        verify_bundle(&mut rep, pre, role, bundle, digest, opts)?;
        match (&opts.tarball_sha512, &subject) {
            (None, _) => rep.check(
                &format!("{pre}subject-digest"),
                Status::NotApplicable,
                "no package tarball given (--artifact)",
            ),
            (Some(t), s) => {
                let ours = hex::encode(t);
                let theirs = s.as_ref().and_then(|s| s.sha512.clone());
                let ok = theirs.as_deref() == Some(ours.as_str());
                let shown = integrity(&ours).unwrap_or_default();
                rep.check_bool(
                    &format!("{pre}subject-digest"),
                    ok,
                    if ok {
                        format!("the tarball's integrity {shown} is the subject's")
                    } else {
                        format!(
                            "the tarball's integrity {shown} is not the subject's ({})",
                            theirs
                                .as_deref()
                                .and_then(integrity)
                                .unwrap_or_else(|| "none".to_string())
                        )
                    },
                );
            }
        }
        found.push((role, subject));
        decoded.push(serde_json::json!({"predicateType": listed, "statement": st.whole}));
    }
    if found.is_empty() {
        return Err(bad(
            "neither a publish attestation nor SLSA provenance is listed",
            "/attestations",
        ));
    }
    let of = |role: Role| found.iter().find(|(r, _)| *r == role).map(|(_, s)| s);
    match (of(Role::Publish), of(Role::Provenance)) {
        (Some(a), Some(b)) => {
            let ok = a.is_some() && a == b;
            rep.check_bool(
                "subjects-agree",
                ok,
                if ok {
                    "the publish attestation and the provenance name the same package and digest"
                        .to_string()
                } else {
                    format!(
                        "the publish attestation names {} but the provenance {}",
                        describe(a.as_ref()),
                        describe(b.as_ref())
                    )
                },
            );
        }
        _ => rep.check(
            "subjects-agree",
            Status::NotApplicable,
            "only one of the publish attestation and the provenance is listed",
        ),
    }
    let package = found
        .iter()
        .find_map(|(_, s)| s.as_ref())
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "an unnamed package".to_string());
    rep.summary = format!(
        "npm registry attestations ({}) for {package}",
        found
            .iter()
            .map(|(r, _)| if *r == Role::Publish {
                "publish"
            } else {
                "SLSA provenance"
            })
            .collect::<Vec<_>>()
            .join(" and ")
    );
    rep.decoded = Value::Array(decoded);
    Ok(rep)
}

fn describe(s: Option<&Subject>) -> String {
    match s {
        None => "no pkg:npm subject".to_string(),
        Some(s) => format!(
            "{} {}",
            s.name,
            s.sha512
                .as_deref()
                .and_then(integrity)
                .unwrap_or_else(|| "(no sha512)".to_string())
        ),
    }
}

/// `statement`: what the signed statement says agrees with the listing
/// (the listed predicate type is not signed), and it names the package.
fn statement_check(
    rep: &mut Report,
    pre: &str,
    role: Role,
    listed: &str,
    st: &Statement,
    subject: Option<&Subject>,
) {
    let name = format!("{pre}statement");
    if st.predicate_type != listed {
        rep.check(
            &name,
            Status::Fail,
            format!(
                "listed as {listed} but the signed statement is {}",
                st.predicate_type
            ),
        );
        return;
    }
    let Some(subject) = subject else {
        rep.check(
            &name,
            Status::Fail,
            "no subject names an npm package (pkg:npm/…)",
        );
        return;
    };
    if subject.sha512.as_deref().and_then(integrity).is_none() {
        rep.check(
            &name,
            Status::Fail,
            format!("subject {} has no SHA-512 digest", subject.name),
        );
        return;
    }
    if role == Role::Publish {
        let p = |k: &str| st.predicate.get(k).and_then(Value::as_str).unwrap_or("");
        let expected = format!("pkg:npm/{}@{}", purl_name(p("name")), p("version"));
        if subject.name != expected {
            rep.check(
                &name,
                Status::Fail,
                format!(
                    "the predicate names {expected} but the subject is {}",
                    subject.name
                ),
            );
            return;
        }
    }
    rep.check(
        &name,
        Status::Pass,
        format!(
            "a signed {} statement about {}",
            st.predicate_type, subject.name
        ),
    );
}

/// A package name as a purl writes it: a scope's `@` percent-encoded.
fn purl_name(name: &str) -> String {
    match name.strip_prefix('@') {
        Some(rest) => format!("%40{rest}"),
        None => name.to_string(),
    }
}

fn provenance_fields(rep: &mut Report, pre: &str, pred: &Value) {
    let p = |path: &str| pred.pointer(path).and_then(Value::as_str);
    rep.field_opt(
        &format!("{pre}builder-id"),
        p("/runDetails/builder/id").or_else(|| p("/builder/id")),
    );
    rep.field_opt(
        &format!("{pre}build-type"),
        p("/buildDefinition/buildType").or_else(|| p("/buildType")),
    );
    let repo = p("/buildDefinition/externalParameters/workflow/repository");
    let path = p("/buildDefinition/externalParameters/workflow/path");
    let reference = p("/buildDefinition/externalParameters/workflow/ref");
    if let Some(repo) = repo {
        rep.field(
            &format!("{pre}source"),
            format!(
                "{repo}{}{}",
                path.map(|p| format!(" {p}")).unwrap_or_default(),
                reference.map(|r| format!(" @ {r}")).unwrap_or_default()
            ),
        );
    }
}

/// Run the Sigstore verifier on one bundle and report its checks in groups.
fn verify_bundle(
    rep: &mut Report,
    pre: &str,
    role: Role,
    bundle: &Value,
    digest: Option<[u8; 64]>,
    opts: &Options,
) -> Result<(), Malformed> {
    let names: &[&str] = match role {
        Role::Publish => &["signature", "transparency-log"],
        Role::Provenance => &[
            "signature",
            "certificate-chain",
            "transparency-log",
            "signer-identity",
        ],
    };
    let skip = |rep: &mut Report, why: &str| {
        for n in names {
            rep.check(&format!("{pre}{n}"), Status::NotApplicable, why);
        }
    };
    let Some(now) = opts.sigstore.now else {
        skip(rep, "no verification time given");
        return Ok(());
    };
    let Some(digest) = digest else {
        // `statement` has failed already: nothing to verify against.
        skip(
            rep,
            "the statement names no package digest to verify against",
        );
        return Ok(());
    };
    let policy = &opts.sigstore;
    let trust_mode = match role {
        Role::Publish => match &opts.registry_key {
            Some(k) => TrustMode::Key(k.clone()),
            None => {
                skip(
                    rep,
                    "signed with the registry's key: give its public key with --key",
                );
                return Ok(());
            }
        },
        Role::Provenance => TrustMode::Sigstore,
    };
    let root = super::slsa_sigstore::root(policy)?;
    let pinned = policy.identity.is_some() || policy.issuer.is_some();
    let text = serde_json::to_string(bundle)
        .map_err(|e| Malformed::internal("cannot serialise the bundle", e))?;
    let file = crate::sigstore::input::parse_bundle(std::path::Path::new("npm attestation"), &text)
        .map_err(|e| bad(e.to_string(), "/attestations"))?;
    let key_mode = matches!(trust_mode, TrustMode::Key(_));
    let vopts = VerifyOptions {
        trust: trust_mode,
        root,
        identity: policy.identity.clone().map(IdentityRule::Exact),
        issuer: policy.issuer.clone(),
        require_tlog: true,
        now,
    };
    let r = verify(&file, &ArtifactInput::Sha512(digest), &vopts)
        .map_err(|e| bad(e.to_string(), "/attestations"))?;
    let (s, d) = group(
        &r,
        &[
            CheckId::BundleFormat,
            CheckId::VerificationMaterial,
            CheckId::Signature,
            CheckId::ArtifactDigest,
        ],
    );
    rep.check(&format!("{pre}signature"), s, d);
    if !key_mode {
        let (s, d) = group(
            &r,
            &[
                CheckId::CertificateChain,
                CheckId::CertificateValidity,
                CheckId::Sct,
                CheckId::TrustRootValidity,
            ],
        );
        rep.check(&format!("{pre}certificate-chain"), s, d);
    }
    let mut tlog = vec![
        CheckId::TlogEntry,
        CheckId::InclusionProof,
        CheckId::Checkpoint,
        CheckId::Set,
        CheckId::Rfc3161Timestamp,
        CheckId::SigningTime,
    ];
    if key_mode {
        tlog.push(CheckId::TrustRootValidity);
    }
    let (s, d) = group(&r, &tlog);
    rep.check(&format!("{pre}transparency-log"), s, d);
    if let Some(signer) = &r.signer {
        rep.field_opt(&format!("{pre}signer.identity"), signer.identity.clone());
        rep.field_opt(&format!("{pre}signer.issuer"), signer.issuer.clone());
        if key_mode {
            rep.field_opt(
                &format!("{pre}signer.key-sha256"),
                signer.key_sha256.clone(),
            );
        }
    }
    if !key_mode {
        super::slsa_sigstore::signer_identity(rep, pre, &r, pinned);
    }
    Ok(())
}
