//! SLSA provenance and verification summaries: Sigstore bundles (v0.1 to
//! v0.3) wrapping a DSSE envelope, bare DSSE envelopes, `.intoto.jsonl`
//! files of either, one per line; in-toto Statement v0.1 and v1; SLSA
//! provenance v0.2 and v1 and verification summaries (VSA) v1. npm
//! registry attestation documents are read by [`super::npm`].
//!
//! Decoded: subjects and their digests, predicate type, builder id, build
//! type, source (repository, ref, commit), the signer identity from the
//! signing certificate (subjectAltName, Fulcio OIDC issuer extension) and
//! the transparency-log index.
//!
//! What is verified here, and what is not:
//! - `dsse-signature`: the envelope's signature over the DSSE PAE verifies
//!   with the key of the certificate (or no certificate: skipped);
//! - `builder-matches-signer`: the provenance's builder id is the identity
//!   the certificate was issued to, as slsa-verifier requires for GitHub
//!   builders (a provenance claiming one builder but signed by another
//!   workflow fails), or, when an SLSA BYOB delegator signed it, the
//!   trusted reusable workflow that called the delegator; a pinned builder
//!   is matched against the provenance's builder (see
//!   [`super::slsa_builder`]);
//! - `subject-digest`: an artifact's SHA-256 is among the subjects (when an
//!   artifact is given);
//! - `certificate-chain`, `transparency-log` and `signer-identity`: for a
//!   Sigstore bundle, strata's full Sigstore verifier (Fulcio chain at the
//!   signing time, SCT, Rekor inclusion proof, checkpoint and SET) offline
//!   against the public-good trusted root or a given one; the identity is
//!   checked only when pinned (see [`super::slsa_sigstore`]). A bare DSSE
//!   envelope has no log entry: those checks are skipped.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::GeneralName;

use super::Malformed;
use super::certs;
use super::json;
use super::report::{Report, Status};
use super::x509::Cert;
use crate::diag::Code;
use crate::model::EvidenceKind;

const IN_TOTO: &str = "application/vnd.in-toto+json";

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// SHA-256 (hex) of the artifact the provenance should describe.
    pub artifact_sha256: Option<String>,
    /// Identity policy and trust root for Sigstore bundles.
    pub sigstore: super::slsa_sigstore::Policy,
    /// The builder the provenance must name (`--builder-id`): a workflow
    /// URI, with `@version` to require that version.
    pub builder_id: Option<String>,
    /// SHA-512 of the artifact (an npm package tarball), for npm registry
    /// attestations.
    pub artifact_sha512: Option<[u8; 64]>,
    /// The npm registry's public key, for its publish attestation.
    pub registry_key: Option<crate::sigstore::trust::PublicKey>,
}

/// An in-toto Statement's header: its `_type` (an in-toto Statement, else
/// an error), `predicateType` and `subject` array; errors point under `ptr`
/// (the statement's JSON pointer) and are made by `bad` (each reader names
/// its own diagnostic code).
pub(super) fn statement_header<'a>(
    st: &'a Value,
    ptr: &str,
    bad: &dyn Fn(String, &str) -> Malformed,
) -> Result<(String, String, &'a Vec<Value>), Malformed> {
    let kind = st
        .get("_type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !kind.starts_with("https://in-toto.io/Statement/") {
        return Err(bad(
            format!("`_type` {kind:?} is not an in-toto Statement"),
            &format!("{ptr}/_type"),
        ));
    }
    let predicate_type = st
        .get("predicateType")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no `predicateType`".into(), &format!("{ptr}/predicateType")))?
        .to_string();
    let subjects = st
        .get("subject")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `subject` array".into(), &format!("{ptr}/subject")))?;
    Ok((kind, predicate_type, subjects))
}

fn bad(msg: impl Into<String>, pointer: &str) -> Malformed {
    Malformed {
        code: Code::SlsaProvenanceMalformed,
        message: msg.into(),
        offset: None,
        pointer: Some(pointer.to_string()),
    }
}

/// The JSON documents of a file: one, or one per non-empty line (at most
/// [`json::MAX_ENTRIES`] lines), each within the caps of [`json`].
fn documents(data: &[u8]) -> Result<Vec<Value>, Malformed> {
    match json::value(data) {
        Ok(v) => return Ok(vec![v]),
        Err(json::JsonError::Limit(m)) => return Err(m),
        Err(json::JsonError::Syntax(_)) => {}
    }
    let text = std::str::from_utf8(data)
        .map_err(|_| Malformed::new(Code::SlsaProvenanceMalformed, "not UTF-8 text"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if out.len() == json::MAX_ENTRIES {
            return Err(Malformed::new(
                Code::TooManyEntries,
                format!(
                    "line {}: more than {} documents; strata judges at most {} entries in one file",
                    i + 1,
                    json::MAX_ENTRIES,
                    json::MAX_ENTRIES
                ),
            ));
        }
        out.push(json::value(line.as_bytes()).map_err(|e| {
            e.or_syntax(|e| {
                Malformed::new(
                    Code::SlsaProvenanceMalformed,
                    format!("line {}: not JSON: {e}", i + 1),
                )
            })
        })?);
    }
    if out.is_empty() {
        return Err(Malformed::new(Code::SlsaProvenanceMalformed, "empty file"));
    }
    Ok(out)
}

/// Whether `data` is provenance: a Sigstore bundle with a DSSE envelope, a
/// DSSE envelope, or an in-toto statement.
pub fn detect(data: &[u8]) -> bool {
    /// The members detection looks at; the rest is skipped unbuilt.
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "dsseEnvelope")]
        dsse_envelope: Option<serde::de::IgnoredAny>,
        #[serde(rename = "payloadType")]
        payload_type: Option<serde::de::IgnoredAny>,
        #[serde(rename = "_type")]
        kind: Option<Value>,
        /// npm registry attestations: each entry's members are skipped
        /// (`NpmEntry` holds nothing, so the list allocates nothing).
        attestations: Option<Vec<NpmEntry>>,
    }
    #[derive(serde::Deserialize)]
    struct NpmEntry {
        #[serde(rename = "predicateType")]
        _predicate_type: serde::de::IgnoredAny,
        #[serde(rename = "bundle")]
        _bundle: serde::de::IgnoredAny,
    }
    let probe = |bytes: &[u8]| serde_json::from_slice::<Probe>(bytes).ok();
    // The whole file as one document, else its first non-empty line.
    let first = probe(data).or_else(|| {
        let text = std::str::from_utf8(data).ok()?;
        probe(text.lines().find(|l| !l.trim().is_empty())?.as_bytes())
    });
    first.is_some_and(|p| {
        p.attestations.as_ref().is_some_and(|a| !a.is_empty())
            || p.dsse_envelope.is_some()
            || p.payload_type.is_some()
            || p.kind
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("https://in-toto.io/Statement/"))
    })
}

/// DSSE pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

struct Envelope {
    payload: Vec<u8>,
    payload_type: String,
    sigs: Vec<Vec<u8>>,
    cert: Option<Vec<u8>>,
    log_index: Option<String>,
    integrated_time: Option<String>,
    media_type: Option<String>,
}

fn envelope(doc: &Value, ptr: &str) -> Result<Option<Envelope>, Malformed> {
    let (env, env_ptr) = if let Some(e) = doc.get("dsseEnvelope") {
        (e, format!("{ptr}/dsseEnvelope"))
    } else if doc.get("payloadType").is_some() {
        (doc, ptr.to_string())
    } else {
        return Ok(None);
    };
    let payload_type = env
        .get("payloadType")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no `payloadType`", &env_ptr))?
        .to_string();
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
    let sigs = env
        .get("signatures")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `signatures` array", &format!("{env_ptr}/signatures")))?
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.get("sig")
                .and_then(Value::as_str)
                .and_then(|x| B64.decode(x).ok())
                .ok_or_else(|| {
                    bad(
                        "signature is missing or not base64",
                        &format!("{env_ptr}/signatures/{i}/sig"),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let vm = doc.get("verificationMaterial");
    let cert_b64 = vm
        .and_then(|m| {
            m.pointer("/certificate/rawBytes")
                .or_else(|| m.pointer("/x509CertificateChain/certificates/0/rawBytes"))
        })
        .and_then(Value::as_str);
    let cert = match cert_b64 {
        Some(c) => Some(B64.decode(c).map_err(|_| {
            bad(
                "certificate is not base64",
                &format!("{ptr}/verificationMaterial"),
            )
        })?),
        None => None,
    };
    let tlog = vm.and_then(|m| m.pointer("/tlogEntries/0"));
    let as_text = |v: Option<&Value>| {
        v.map(|x| {
            x.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string())
        })
    };
    Ok(Some(Envelope {
        payload,
        payload_type,
        sigs,
        cert,
        log_index: as_text(tlog.and_then(|t| t.get("logIndex"))),
        integrated_time: as_text(tlog.and_then(|t| t.get("integratedTime"))),
        media_type: doc
            .get("mediaType")
            .and_then(Value::as_str)
            .map(str::to_string),
    }))
}

/// Signer identity (SAN URI or email) and OIDC issuer of a Fulcio cert.
fn signer(c: &Cert<'_>) -> (Option<String>, Option<String>) {
    let mut id = None;
    for g in c.subject_alt_names().unwrap_or_default() {
        match g {
            GeneralName::UniformResourceIdentifier(u) => id = Some(u.to_string()),
            GeneralName::Rfc822Name(e) if id.is_none() => id = Some(e.to_string()),
            _ => {}
        }
    }
    let mut issuer = None;
    for e in c.extensions() {
        match e.oid.as_str() {
            // v2: DER UTF8String.
            "1.3.6.1.4.1.57264.1.8" => {
                if let Ok(t) = super::der::Reader::new(e.value, 0).read()
                    && let Ok(s) = t.string("issuer")
                {
                    issuer = Some(s);
                }
            }
            // v1 (deprecated): raw bytes.
            "1.3.6.1.4.1.57264.1.1" if issuer.is_none() => {
                issuer = std::str::from_utf8(e.value).ok().map(str::to_string);
            }
            _ => {}
        }
    }
    (id, issuer)
}

fn verify_with_cert(c: &Cert<'_>, msg: &[u8], sig: &[u8]) -> bool {
    use aws_lc_rs::signature::{self, UnparsedPublicKey};
    let spki = &c.cert.tbs_certificate.subject_public_key_info;
    let key = spki.subject_public_key.raw_bytes();
    let alg_oid = spki.algorithm.oid.to_string();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<::der::oid::ObjectIdentifier>().ok())
        .map(|o| o.to_string());
    let alg: &dyn signature::VerificationAlgorithm = match (alg_oid.as_str(), curve.as_deref()) {
        ("1.2.840.10045.2.1", Some("1.2.840.10045.3.1.7")) => &signature::ECDSA_P256_SHA256_ASN1,
        ("1.2.840.10045.2.1", Some("1.3.132.0.34")) => &signature::ECDSA_P384_SHA384_ASN1,
        ("1.2.840.113549.1.1.1", _) => &signature::RSA_PKCS1_2048_8192_SHA256,
        ("1.3.101.112", _) => &signature::ED25519,
        _ => return false,
    };
    UnparsedPublicKey::new(alg, key).verify(msg, sig).is_ok()
}

/// Decode and check provenance.
pub fn inspect(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    let docs = documents(data)?;
    if let [doc] = docs.as_slice()
        && super::npm::is_document(doc)
    {
        return super::npm::inspect(
            doc,
            &super::npm::Options {
                tarball_sha512: opts.artifact_sha512,
                registry_key: opts.registry_key.clone(),
                sigstore: opts.sigstore.clone(),
            },
        );
    }
    let mut rep = Report::new(EvidenceKind::SlsaProvenance, String::new());
    let mut summaries = Vec::new();
    let mut decoded = Vec::new();
    let many = docs.len() > 1;
    for (n, doc) in docs.iter().enumerate() {
        let ptr = if many { format!("/{n}") } else { String::new() };
        let pre = if many {
            format!("{}.", n + 1)
        } else {
            String::new()
        };
        let env = envelope(doc, &ptr)?;
        let statement: Value = match &env {
            Some(e) => {
                if e.payload_type != IN_TOTO {
                    return Err(bad(
                        format!("payloadType `{}` is not {IN_TOTO}", e.payload_type),
                        &ptr,
                    ));
                }
                serde_json::from_slice(&e.payload).map_err(|err| {
                    bad(
                        format!("DSSE payload is not JSON: {err}"),
                        &format!("{ptr}/payload"),
                    )
                })?
            }
            None => doc.clone(),
        };
        let (st_type, pred_type, subjects) =
            statement_header(&statement, &format!("{ptr}/payload"), &|m, p| bad(m, p))?;
        let pred = statement.get("predicate").cloned().unwrap_or(Value::Null);
        rep.field(&format!("{pre}statement-type"), st_type.clone());
        rep.field(&format!("{pre}predicate-type"), pred_type.clone());
        let mut digests = Vec::new();
        for (i, s) in subjects.iter().enumerate() {
            let name = s.get("name").and_then(Value::as_str).unwrap_or("");
            let d = s
                .pointer("/digest/sha256")
                .and_then(Value::as_str)
                .map(str::to_string);
            rep.field(
                &format!("{pre}subject.{}", i + 1),
                format!("{name} sha256:{}", d.as_deref().unwrap_or("-")),
            );
            if let Some(d) = d {
                digests.push(d.to_ascii_lowercase());
            }
        }
        let p = |path: &str| {
            pred.pointer(path)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let (builder, build_type, source, source_digest) = match pred_type.as_str() {
            "https://slsa.dev/provenance/v0.2" => (
                p("/builder/id"),
                p("/buildType"),
                p("/invocation/configSource/uri"),
                pred.pointer("/invocation/configSource/digest")
                    .and_then(Value::as_object)
                    .and_then(|o| o.iter().next())
                    .map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or(""))),
            ),
            "https://slsa.dev/provenance/v1" => (
                p("/runDetails/builder/id"),
                p("/buildDefinition/buildType"),
                p("/buildDefinition/externalParameters/workflow/repository")
                    .map(
                        |r| match p("/buildDefinition/externalParameters/workflow/ref") {
                            Some(rf) => format!("{r}@{rf}"),
                            None => r,
                        },
                    )
                    .or_else(|| p("/buildDefinition/resolvedDependencies/0/uri")),
                pred.pointer("/buildDefinition/resolvedDependencies/0/digest")
                    .and_then(Value::as_object)
                    .and_then(|o| o.iter().next())
                    .map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or(""))),
            ),
            "https://slsa.dev/verification_summary/v1" => {
                rep.field_opt(&format!("{pre}vsa.verifier"), p("/verifier/id"));
                rep.field_opt(&format!("{pre}vsa.time-verified"), p("/timeVerified"));
                rep.field_opt(&format!("{pre}vsa.resource"), p("/resourceUri"));
                rep.field_opt(&format!("{pre}vsa.result"), p("/verificationResult"));
                if let Some(l) = pred.get("verifiedLevels").and_then(Value::as_array) {
                    rep.field(
                        &format!("{pre}vsa.verified-levels"),
                        l.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                }
                (None, None, None, None)
            }
            _ => (None, None, None, None),
        };
        rep.field_opt(&format!("{pre}builder-id"), builder.clone());
        rep.field_opt(&format!("{pre}build-type"), build_type);
        rep.field_opt(&format!("{pre}source"), source);
        rep.field_opt(&format!("{pre}source-digest"), source_digest);
        // Signature and signer.
        match &env {
            None => rep.check(
                &format!("{pre}dsse-signature"),
                Status::NotApplicable,
                "an unsigned statement",
            ),
            Some(e) => {
                rep.field_opt(&format!("{pre}bundle-media-type"), e.media_type.clone());
                rep.field_opt(&format!("{pre}tlog.log-index"), e.log_index.clone());
                rep.field_opt(
                    &format!("{pre}tlog.integrated-time"),
                    e.integrated_time.clone(),
                );
                match &e.cert {
                    None => {
                        rep.check(&format!("{pre}dsse-signature"), Status::NotApplicable, "no certificate in the bundle: a key-signed envelope needs the public key");
                    }
                    Some(der) => {
                        let c = certs::parse_cert(der, 0).map_err(|err| {
                            bad(
                                format!("signing certificate: {err}"),
                                &format!("{ptr}/verificationMaterial"),
                            )
                        })?;
                        let (id, issuer) = signer(&c);
                        rep.field_opt(&format!("{pre}signer.identity"), id.clone());
                        rep.field_opt(&format!("{pre}signer.issuer"), issuer.clone());
                        let msg = pae(&e.payload_type, &e.payload);
                        let ok = e.sigs.iter().any(|s| verify_with_cert(&c, &msg, s));
                        rep.check_bool(&format!("{pre}dsse-signature"), ok, if ok {
                            "the envelope's signature verifies with the signing certificate's key".to_string()
                        } else {
                            "no signature verifies with the signing certificate's key".to_string()
                        });
                        let (status, detail) =
                            super::slsa_builder::check(super::slsa_builder::Inputs {
                                builder: builder.as_deref(),
                                signer: id.as_deref(),
                                issuer: issuer.as_deref(),
                                pinned: opts.builder_id.as_deref(),
                            });
                        rep.check(&format!("{pre}builder-matches-signer"), status, detail);
                        let digest =
                            opts.artifact_sha256
                                .iter()
                                .chain(digests.iter())
                                .find_map(|d| {
                                    let mut out = [0u8; 32];
                                    hex::decode_to_slice(d, &mut out).ok().map(|()| out)
                                });
                        match digest {
                            Some(digest) if super::slsa_sigstore::is_bundle(doc) => {
                                super::slsa_sigstore::check(
                                    &mut rep,
                                    &pre,
                                    doc,
                                    digest,
                                    (id.as_deref(), issuer.as_deref()),
                                    &opts.sigstore,
                                )?;
                            }
                            _ => {
                                let why = if super::slsa_sigstore::is_bundle(doc) {
                                    "no SHA-256 subject to verify the bundle against"
                                } else {
                                    "a bare DSSE envelope carries no log entry; only its signature can be checked"
                                };
                                rep.check(
                                    &format!("{pre}certificate-chain"),
                                    Status::NotApplicable,
                                    why,
                                );
                                rep.check(
                                    &format!("{pre}transparency-log"),
                                    Status::NotApplicable,
                                    why,
                                );
                            }
                        }
                    }
                }
            }
        }
        match &opts.artifact_sha256 {
            None => rep.check(
                &format!("{pre}subject-digest"),
                Status::NotApplicable,
                "no artifact given",
            ),
            Some(a) => rep.check_bool(
                &format!("{pre}subject-digest"),
                digests.iter().any(|d| d == a),
                format!(
                    "artifact sha256:{a} {} the subjects",
                    if digests.iter().any(|d| d == a) {
                        "is among"
                    } else {
                        "is not among"
                    }
                ),
            ),
        }
        let pred_name = match pred_type.as_str() {
            "https://slsa.dev/provenance/v0.2" => "SLSA provenance v0.2".to_string(),
            "https://slsa.dev/provenance/v1" => "SLSA provenance v1".to_string(),
            "https://slsa.dev/verification_summary/v1" => {
                "SLSA verification summary v1".to_string()
            }
            other => other.to_string(),
        };
        summaries.push(format!(
            "{pred_name} in Statement {}",
            st_type.rsplit('/').next().unwrap_or("")
        ));
        decoded.push(serde_json::json!({"statement": statement, "signed": env.is_some()}));
    }
    rep.summary = summaries.join("; ");
    rep.decoded = Value::Array(decoded);
    Ok(rep)
}

/// SHA-256 hex of a file's bytes, for [`Options::artifact_sha256`].
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}
