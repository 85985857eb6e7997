//! Transparency log entries: inclusion proof, checkpoint, SET, and the
//! entry's consistency with the bundle.
//!
//! Each is checked per entry with the primitives of `sigstore-merkle`,
//! `sigstore-crypto` and `sigstore-rekor`, following the rules of
//! `sigstore-verify` (Rekor v2 entries take their index, size and root from
//! the entry and the signed checkpoint, never from the proof's duplicate
//! fields; a SET's log key must be valid at the integrated time).

use jiff::Timestamp;
use sigstore_types::bundle::VerificationMaterialContent;
use sigstore_types::{
    KindVersion, Sha256Hash, SignatureBytes, SignatureContent, TransparencyLogEntry,
};
use sigstore_verify::crypto::Keyring;
use sigstore_verify::rekor::RekorEntryBody;

use super::content::signature_bytes;
use super::{Ctx, Sheet};
use crate::sigstore::checks::{CheckId, Status};

/// What the log checks established for the time checks.
#[derive(Debug, Default)]
pub(crate) struct TlogOutcome {
    /// Integrated times authenticated by a verified SET (Rekor v1 kinds).
    pub set_times: Vec<Timestamp>,
    /// Trust-root validity findings: `Ok(fact)` or `Err(problem)`.
    pub validity: Vec<std::result::Result<String, String>>,
}

/// Per-entry results of one check, folded into one report line.
#[derive(Default)]
struct Fold(Vec<(Status, String)>);

impl Fold {
    fn push(&mut self, entry: usize, status: Status, detail: impl Into<String>) {
        self.0
            .push((status, format!("entry {entry}: {}", detail.into())));
    }

    fn write(self, id: CheckId, sheet: &mut Sheet) {
        let failed: Vec<&str> = self
            .0
            .iter()
            .filter(|(s, _)| *s == Status::Fail)
            .map(|(_, d)| d.as_str())
            .collect();
        let all: Vec<&str> = self.0.iter().map(|(_, d)| d.as_str()).collect();
        if !failed.is_empty() {
            sheet.fail(id, failed.join("; "));
        } else if self.0.iter().all(|(s, _)| *s == Status::NotApplicable) {
            sheet.na(id, all.join("; "));
        } else {
            sheet.pass(id, all.join("; "));
        }
    }
}

fn is_v2(entry: &TransparencyLogEntry) -> bool {
    entry.kind_version == KindVersion::HashedRekordV002
}

/// Run the four log checks over every entry.
pub(crate) fn check(ctx: &Ctx<'_>, sheet: &mut Sheet) -> TlogOutcome {
    let ids = [
        CheckId::TlogEntry,
        CheckId::InclusionProof,
        CheckId::Checkpoint,
        CheckId::Set,
    ];
    let mut out = TlogOutcome::default();
    let entries = &ctx.bundle.verification_material.tlog_entries;
    if entries.is_empty() {
        for id in ids {
            if ctx.tlog_required {
                sheet.fail(id, "the bundle has no transparency log entry");
            } else {
                sheet.na(
                    id,
                    "the bundle has no transparency log entry (key and CA signing are offline)",
                );
            }
        }
        return out;
    }
    let keyring = match ctx.opts.root.root.rekor_keys() {
        Ok(k) => k,
        Err(e) => {
            for id in ids {
                sheet.fail(id, format!("the trusted root's log keys are unusable: {e}"));
            }
            return out;
        }
    };
    let now = ctx.opts.now;
    let (mut entry_fold, mut proof_fold, mut cp_fold, mut set_fold) = (
        Fold::default(),
        Fold::default(),
        Fold::default(),
        Fold::default(),
    );
    for (i, e) in entries.iter().enumerate() {
        match consistency(ctx, e) {
            Ok(d) => entry_fold.push(i, Status::Pass, d),
            Err(d) => entry_fold.push(i, Status::Fail, d),
        }
        inclusion(ctx, i, e, &keyring, now, &mut proof_fold, &mut cp_fold);
        set(ctx, i, e, &keyring, &mut set_fold, &mut out);
    }
    entry_fold.write(CheckId::TlogEntry, sheet);
    proof_fold.write(CheckId::InclusionProof, sheet);
    cp_fold.write(CheckId::Checkpoint, sheet);
    set_fold.write(CheckId::Set, sheet);
    out
}

fn inclusion(
    ctx: &Ctx<'_>,
    i: usize,
    e: &TransparencyLogEntry,
    keyring: &Keyring,
    now: Timestamp,
    proof_fold: &mut Fold,
    cp_fold: &mut Fold,
) {
    let Some(proof) = &e.inclusion_proof else {
        if e.inclusion_promise.is_some() && (ctx.version == "v0.1" || !ctx.tlog_required) {
            let why = "no inclusion proof; the entry's SET is its evidence";
            proof_fold.push(i, Status::NotApplicable, why);
            cp_fold.push(i, Status::NotApplicable, why);
        } else {
            proof_fold.push(i, Status::Fail, "no inclusion proof");
            cp_fold.push(i, Status::Fail, "no inclusion proof, so no checkpoint");
        }
        return;
    };
    let Some(checkpoint) = proof.checkpoint.checkpoint() else {
        proof_fold.push(i, Status::Fail, "the inclusion proof has no checkpoint");
        cp_fold.push(i, Status::Fail, "the inclusion proof has no checkpoint");
        return;
    };
    let (index, size, root) = if is_v2(e) {
        (
            e.log_index.get(),
            checkpoint.tree_size(),
            *checkpoint.root_hash(),
        )
    } else {
        (proof.log_index.get(), proof.tree_size, proof.root_hash)
    };
    let leaf = sigstore_merkle::hash_leaf(e.canonicalized_body.as_bytes());
    match sigstore_merkle::verify_inclusion_proof(&leaf, index, size, &proof.hashes, &root) {
        Ok(()) => proof_fold.push(
            i,
            Status::Pass,
            format!("leaf {index} of {size} reaches root {}", short(&root)),
        ),
        Err(err) => proof_fold.push(
            i,
            Status::Fail,
            format!(
                "leaf {index} of {size} does not reach root {}: {err}",
                short(&root)
            ),
        ),
    }
    if !is_v2(e) && checkpoint.root_hash() != &proof.root_hash {
        cp_fold.push(
            i,
            Status::Fail,
            format!(
                "the checkpoint's root {} is not the proof's root {}",
                short(checkpoint.root_hash()),
                short(&proof.root_hash)
            ),
        );
        return;
    }
    let message = checkpoint.signed_data();
    let mut hints = Vec::new();
    let mut matched = false;
    for sig in checkpoint.signatures() {
        hints.push(hex::encode(sig.key_id.as_bytes()));
        for key in keyring.keys_by_hint(&sig.key_id, now) {
            matched = true;
            if key.verify(message, &sig.signature).is_ok() {
                cp_fold.push(
                    i,
                    Status::Pass,
                    format!(
                        "`{}` size {} signed by log key {}",
                        checkpoint.origin(),
                        checkpoint.tree_size(),
                        hex::encode(sig.key_id.as_bytes())
                    ),
                );
                return;
            }
        }
    }
    let detail = if matched {
        format!(
            "the signature by log key hint {} does not verify",
            hints.join(", ")
        )
    } else {
        format!(
            "no trusted log key has the checkpoint's key hint {}",
            if hints.is_empty() {
                "(none: unsigned)".to_string()
            } else {
                hints.join(", ")
            }
        )
    };
    cp_fold.push(i, Status::Fail, detail);
}

fn set(
    ctx: &Ctx<'_>,
    i: usize,
    e: &TransparencyLogEntry,
    keyring: &Keyring,
    fold: &mut Fold,
    out: &mut TlogOutcome,
) {
    let now = ctx.opts.now;
    let Some(promise) = &e.inclusion_promise else {
        if ctx.version == "v0.1" {
            fold.push(i, Status::Fail, "a v0.1 bundle's entries must carry a SET");
            return;
        }
        fold.push(
            i,
            Status::NotApplicable,
            if is_v2(e) {
                "Rekor v2 entries carry no SET"
            } else {
                "no SET; the inclusion proof is the entry's evidence"
            },
        );
        return;
    };
    let id_bytes = e.log_id.key_id.as_bytes();
    let Ok(key_id) = Sha256Hash::try_from(id_bytes) else {
        fold.push(i, Status::Fail, "the log ID is not a SHA-256 key ID");
        return;
    };
    let log = hex::encode(id_bytes);
    let key = match e.integrated_time {
        Some(t) => keyring.key_at(&key_id, t),
        None => keyring.key_started_by(&key_id, now),
    };
    let Some(key) = key else {
        let detail = match (keyring.key(&key_id), e.integrated_time) {
            (Some(_), Some(t)) => {
                let p = format!(
                    "log key {} was not valid at the integrated time {t}",
                    &log[..8]
                );
                out.validity.push(Err(p.clone()));
                p
            }
            _ => format!("log {log} is not in the trusted root"),
        };
        fold.push(i, Status::Fail, detail);
        return;
    };
    let payload = format!(
        r#"{{"body":"{}","integratedTime":{},"logID":"{}","logIndex":{}}}"#,
        e.canonicalized_body.to_base64(),
        e.integrated_time.map_or(0, |t| t.as_second()),
        log,
        e.log_index.as_i64()
    );
    let sig = SignatureBytes::new(promise.signed_entry_timestamp.as_bytes().to_vec());
    match key.verify(payload.as_bytes(), &sig) {
        Ok(()) => {
            let when = e
                .integrated_time
                .map(|t| format!(" integrated {t}"))
                .unwrap_or_default();
            fold.push(
                i,
                Status::Pass,
                format!("signed by log {}{when}", &log[..8]),
            );
            if let Some(t) = e.integrated_time
                && !is_v2(e)
            {
                out.set_times.push(t);
                out.validity
                    .push(Ok(format!("log key {} valid at {t}", &log[..8])));
            }
        }
        Err(err) => fold.push(
            i,
            Status::Fail,
            format!("the SET by log {} does not verify: {err}", &log[..8]),
        ),
    }
}

/// The entry describes this bundle: its kind fits the content, and the
/// signature, digest and signer it logged are the bundle's. (The full
/// consistency rules are the library's; see `library`.)
fn consistency(ctx: &Ctx<'_>, e: &TransparencyLogEntry) -> std::result::Result<String, String> {
    let kind = format!("{}/{}", e.kind_version.kind(), e.kind_version.version());
    let body = RekorEntryBody::parse(&e.canonicalized_body, e.kind_version)
        .map_err(|err| format!("{kind} body does not parse: {err}"))?;
    let sig = signature_bytes(&ctx.bundle.content).ok_or("unsupported bundle content")?;
    let sig_matches = |logged: &SignatureBytes| {
        if logged.as_bytes() == sig.as_bytes() {
            Ok(())
        } else {
            Err(format!(
                "{kind} logs a different signature than the bundle's"
            ))
        }
    };
    let digest_matches = |logged: &[u8], what: &str| {
        if logged == expected_hashedrekord_digest(ctx) {
            Ok(())
        } else {
            Err(format!(
                "{kind} logs digest {} but the {what} is {}",
                hex::encode(logged),
                hex::encode(expected_hashedrekord_digest(ctx))
            ))
        }
    };
    let what = match ctx.bundle.content {
        SignatureContent::DsseEnvelope(_) => "DSSE PAE",
        _ => "artifact",
    };
    match (&body, &ctx.bundle.content) {
        (RekorEntryBody::HashedRekordV001(b), SignatureContent::MessageSignature(_)) => {
            let logged = hex::decode(b.spec.data.hash.value.as_str())
                .map_err(|_| format!("{kind} digest is not hex"))?;
            digest_matches(&logged, what)?;
            sig_matches(&b.spec.signature.content)?;
            verifier_matches(ctx, b.spec.signature.public_key.content.as_bytes(), &kind)?;
        }
        (RekorEntryBody::HashedRekordV002(b), _) => {
            let d = &b.spec.hashed_rekord_v002;
            digest_matches(d.data.digest.as_bytes(), what)?;
            sig_matches(&d.signature.content)?;
        }
        (RekorEntryBody::DsseV001(b), SignatureContent::DsseEnvelope(env)) => {
            let ours =
                hex::encode(sigstore_verify::crypto::sha256(env.payload.as_bytes()).as_bytes());
            if !b.spec.payload_hash.value.eq_ignore_ascii_case(&ours) {
                return Err(format!(
                    "{kind} logs payload hash {} but the payload's is {ours}",
                    b.spec.payload_hash.value
                ));
            }
            match b.spec.signatures.as_slice() {
                [one] => {
                    sig_matches(&one.signature)?;
                    verifier_matches(ctx, one.verifier.as_bytes(), &kind)?;
                }
                more => {
                    return Err(format!(
                        "{kind} logs {} signatures, the bundle 1",
                        more.len()
                    ));
                }
            }
        }
        (RekorEntryBody::IntotoV002(_), SignatureContent::DsseEnvelope(_)) => {
            return Ok(format!(
                "{kind} body parses (its contents are checked by sigstore-verify)"
            ));
        }
        _ => {
            return Err(format!(
                "a {kind} entry cannot describe this bundle's {}",
                match ctx.bundle.content {
                    SignatureContent::DsseEnvelope(_) => "DSSE envelope",
                    _ => "message signature",
                }
            ));
        }
    }
    Ok(format!("{kind} logs this bundle's signature and digest"))
}

/// What a hashedrekord entry must log: the artifact's SHA-256 for a message
/// signature, the SHA-256 of the PAE for a DSSE envelope.
fn expected_hashedrekord_digest(ctx: &Ctx<'_>) -> Vec<u8> {
    match &ctx.bundle.content {
        SignatureContent::DsseEnvelope(env) => sigstore_verify::crypto::sha256(&env.pae())
            .as_bytes()
            .to_vec(),
        _ => ctx.digests.sha256.map(|d| d.to_vec()).unwrap_or_default(),
    }
}

/// The logged verifier (PEM certificate or key) is the bundle's signer.
fn verifier_matches(
    ctx: &Ctx<'_>,
    pem_bytes: &[u8],
    kind: &str,
) -> std::result::Result<(), String> {
    let Ok(text) = std::str::from_utf8(pem_bytes) else {
        return Err(format!("{kind} verifier is not PEM"));
    };
    let Ok(block) = pem::parse(text) else {
        return Err(format!("{kind} verifier is not PEM"));
    };
    let ours: Option<&[u8]> = match &ctx.bundle.verification_material.content {
        VerificationMaterialContent::PublicKey(_) => ctx.key.as_ref().map(|k| k.der.as_bytes()),
        _ => ctx.leaf.as_ref().map(|l| l.as_bytes()),
    };
    match ours {
        Some(ours) if ours == block.contents() => Ok(()),
        Some(_) => Err(format!("{kind} logs a different signer than the bundle's")),
        None => Ok(()),
    }
}

fn short(h: &Sha256Hash) -> String {
    h.to_hex()[..12].to_string()
}
