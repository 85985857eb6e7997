//! The signature, and what it binds: the DSSE payload's in-toto subjects or
//! the message digest, against the artifact.
//!
//! The DSSE signature is checked over the PAE of the payload bytes exactly
//! as the envelope carries them; the statement is then parsed from those
//! same bytes. Nothing is re-serialised.

use serde_json::Value;
use sigstore_types::{HashAlgorithm, SignatureBytes, SignatureContent};
use sigstore_verify::crypto::{KeyAlgorithm, verify_signature, verify_signature_prehashed};

use super::statement::{self, Statement};
use super::{Ctx, Sheet, material};
use crate::diag::Result;
use crate::fsutil;
use crate::sigstore::checks::CheckId;
use crate::sigstore::{IN_TOTO_PAYLOAD_TYPE, STATEMENT_V1};

/// The legacy statement type (SLSA provenance v0.2 and older tools).
pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";

/// Largest artifact read whole for a signature scheme that cannot verify a
/// digest (Ed25519 message signatures): 1 GiB.
pub const MAX_WHOLE_ARTIFACT: u64 = 1024 * 1024 * 1024;

/// The DSSE payload parsed as an in-toto statement, once for every check
/// that reads it (`None` for message signatures).
pub(crate) fn statement(bundle: &sigstore_types::Bundle) -> Option<serde_json::Result<Statement>> {
    match &bundle.content {
        SignatureContent::DsseEnvelope(env) => Some(statement::parse(env.payload.as_bytes())),
        _ => None,
    }
}

/// Digests beyond SHA-256 the checks will need; `statement` is the parsed
/// DSSE payload (see [`statement`]).
pub(crate) fn needed_digests(
    bundle: &sigstore_types::Bundle,
    statement: Option<&serde_json::Result<Statement>>,
    key: Option<KeyAlgorithm>,
) -> Vec<HashAlgorithm> {
    let mut out = Vec::new();
    match &bundle.content {
        SignatureContent::MessageSignature(m) => {
            if let Some(d) = &m.message_digest {
                out.push(d.algorithm);
            }
            if let Some(alg) = key
                .and_then(|k| material::scheme(k, &bundle.content))
                .and_then(|s| s.hash_algorithm())
            {
                out.push(alg);
            }
        }
        SignatureContent::DsseEnvelope(_) => {
            if let Some(Ok(st)) = statement
                && let Some(subjects) = st.subject.as_ref().and_then(Value::as_array)
                && subjects
                    .iter()
                    .any(|s| s.get("digest").and_then(|d| d.get("sha512")).is_some())
            {
                out.push(HashAlgorithm::Sha2512);
            }
        }
        _ => {}
    }
    out
}

/// `signature`: over the DSSE PAE, or over the artifact digest.
pub(crate) fn signature(ctx: &Ctx<'_>, sheet: &mut Sheet) -> Result<()> {
    let id = CheckId::Signature;
    let Some(key) = &ctx.key else {
        return Ok(());
    };
    let Some(scheme) = material::scheme(key.algorithm, &ctx.bundle.content) else {
        sheet.fail(
            id,
            format!(
                "no signature scheme for a {:?} key and this bundle's digest algorithm",
                key.algorithm
            ),
        );
        return Ok(());
    };
    match &ctx.bundle.content {
        SignatureContent::DsseEnvelope(env) => {
            let pae = sigstore_types::pae(&env.payload_type, env.payload.as_bytes());
            match verify_signature(&key.der, &pae, &env.signature.sig, scheme) {
                Ok(()) => sheet.pass(
                    id,
                    format!(
                        "{} over the DSSE PAE ({} payload bytes as received)",
                        scheme.name(),
                        env.payload.as_bytes().len()
                    ),
                ),
                Err(e) => sheet.fail(
                    id,
                    format!(
                        "{} signature over the DSSE PAE does not verify: {e}",
                        scheme.name()
                    ),
                ),
            }
        }
        SignatureContent::MessageSignature(m) => {
            let outcome = match scheme.hash_algorithm() {
                Some(alg) => match ctx.digests.get(alg) {
                    Some(digest) => {
                        verify_signature_prehashed(&key.der, digest, &m.signature, scheme)
                            .map_err(|e| e.to_string())
                    }
                    None => Err(format!(
                        "needs the artifact's {} digest; give the artifact file",
                        alg.as_rekor_str()
                    )),
                },
                None => match &ctx.digests.path {
                    Some(path) => {
                        let blob = fsutil::read_bounded(path, MAX_WHOLE_ARTIFACT)?;
                        verify_signature(&key.der, &blob, &m.signature, scheme)
                            .map_err(|e| e.to_string())
                    }
                    None => Err(format!(
                        "{} cannot verify a digest; give the artifact file",
                        scheme.name()
                    )),
                },
            };
            match outcome {
                Ok(()) => sheet.pass(id, format!("{} over the artifact", scheme.name())),
                Err(e) => sheet.fail(
                    id,
                    format!(
                        "{} signature over the artifact does not verify: {e}",
                        scheme.name()
                    ),
                ),
            }
        }
        _ => sheet.fail(id, "unsupported bundle content"),
    }
    Ok(())
}

/// `artifact-digest`: a statement subject (or the message digest) is the
/// artifact.
pub(crate) fn artifact_digest(ctx: &Ctx<'_>, sheet: &mut Sheet) {
    let id = CheckId::ArtifactDigest;
    match &ctx.bundle.content {
        SignatureContent::DsseEnvelope(env) => {
            if env.payload_type != IN_TOTO_PAYLOAD_TYPE {
                sheet.fail(
                    id,
                    format!(
                        "payload type `{}` is not an in-toto statement; nothing binds the artifact",
                        env.payload_type
                    ),
                );
                return;
            }
            match subject_match(ctx) {
                Ok(detail) => sheet.pass(id, detail),
                Err(detail) => sheet.fail(id, detail),
            }
        }
        SignatureContent::MessageSignature(m) => match &m.message_digest {
            None => sheet.pass(
                id,
                "the bundle has no messageDigest; the signature binds the artifact",
            ),
            Some(d) => match ctx.digests.get(d.algorithm) {
                Some(ours) if ours == d.digest.as_bytes() => sheet.pass(
                    id,
                    format!(
                        "messageDigest {}:{} is the artifact's",
                        d.algorithm.as_rekor_str(),
                        hex::encode(ours)
                    ),
                ),
                Some(ours) => sheet.fail(
                    id,
                    format!(
                        "messageDigest {}:{} is not the artifact's {}",
                        d.algorithm.as_rekor_str(),
                        hex::encode(d.digest.as_bytes()),
                        hex::encode(ours)
                    ),
                ),
                None => sheet.fail(
                    id,
                    format!(
                        "messageDigest is {}; give the artifact file to compute it",
                        d.algorithm.as_rekor_str()
                    ),
                ),
            },
        },
        _ => sheet.fail(id, "unsupported bundle content"),
    }
}

fn subject_match(ctx: &Ctx<'_>) -> std::result::Result<String, String> {
    let statement = match &ctx.statement {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Err(format!("the DSSE payload is not JSON: {e}")),
        None => return Err("the bundle has no DSSE payload".into()),
    };
    let kind = statement
        .kind
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or("");
    if kind != STATEMENT_V1 && kind != STATEMENT_V01 {
        return Err(format!("`_type` `{kind}` is not an in-toto Statement"));
    }
    let predicate = statement
        .predicate_type
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    let subjects = statement
        .subject
        .as_ref()
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or("the statement has no subjects")?;
    let ours256 = ctx.digests.sha256.map(hex::encode);
    let ours512 = ctx.digests.sha512.map(hex::encode);
    let mut seen = Vec::new();
    for s in subjects {
        let name = s.get("name").and_then(Value::as_str).unwrap_or("");
        let digest = s.get("digest");
        let get = |alg: &str| digest.and_then(|d| d.get(alg)).and_then(Value::as_str);
        if let (Some(theirs), Some(ours)) = (get("sha256"), &ours256)
            && theirs.eq_ignore_ascii_case(ours)
        {
            return Ok(format!(
                "subject `{name}` sha256:{ours} is the artifact (predicate {predicate})"
            ));
        }
        if let (Some(theirs), Some(ours)) = (get("sha512"), &ours512)
            && theirs.eq_ignore_ascii_case(ours)
        {
            return Ok(format!(
                "subject `{name}` sha512:{ours} is the artifact (predicate {predicate})"
            ));
        }
        match (get("sha256"), get("sha512")) {
            (Some(d), _) => seen.push(format!("`{name}` sha256:{d}")),
            (None, Some(d)) => seen.push(format!("`{name}` sha512:{d}")),
            (None, None) => seen.push(format!("`{name}` (no sha256/sha512)")),
        }
    }
    let ours = match (&ours256, &ours512) {
        (Some(d), _) => format!("sha256:{d}"),
        (None, Some(d)) => format!("sha512:{d}"),
        (None, None) => "(no digest)".to_string(),
    };
    Err(format!(
        "no subject is the artifact {ours}; the statement names {}",
        seen.join(", ")
    ))
}

/// The bundle's signature bytes.
pub(crate) fn signature_bytes(content: &SignatureContent) -> Option<&SignatureBytes> {
    match content {
        SignatureContent::MessageSignature(m) => Some(&m.signature),
        SignatureContent::DsseEnvelope(e) => Some(&e.signature.sig),
        _ => None,
    }
}
