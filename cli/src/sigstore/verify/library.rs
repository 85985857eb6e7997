//! The cross-check: `sigstore-verify`'s own verifier over the same inputs.
//!
//! The library verifies a bundle in one call and stops at the first failure,
//! so its verdict is mapped onto the check it names ([`check_for`]). When
//! that check is one the library lets a caller relax (identity, SCT, chain,
//! log inclusion), the call is repeated without it to learn about the
//! checks behind it; that is how the SCT and the log-entry consistency,
//! which strata does not re-implement, get a status of their own. A
//! relaxed run never counts towards the verdict: it only fills in checks
//! the strict run did not reach.
//!
//! The library runs for Sigstore bundles, and for key bundles that carry a
//! log entry or a timestamp (without either it refuses every bundle: it
//! needs an authenticated time). Organisation-PKI bundles are strata's
//! alone.
//!
//! The first, strict run ([`start`]) depends on nothing strata's checks
//! find; its verdict is folded into the report by [`cross_check`]. (Running
//! it on a second thread alongside strata's checks was measured: the thread
//! cost more than the overlap saved in a single `verify-bundle`.)

use sigstore_types::{Artifact, ArtifactDigest, Bundle, HashAlgorithm, Sha256Hash};
use sigstore_verify::bundle::Error as BundleError;
use sigstore_verify::{
    CertificateError, Error as LibError, PublicKeyVerificationPolicy, TimestampError,
    TransparencyLogError, VerificationPolicy, Verifier,
};

use super::{IdentityRule, Options, Sheet, SigningKey, TrustMode};
use crate::diag::{Error, Result};
use crate::fsutil;
use crate::sigstore::artifact::{ArtifactDigests, ArtifactInput};
use crate::sigstore::checks::{CheckId, Source, Status};

/// Which check a library error is about.
pub fn check_for(e: &LibError) -> CheckId {
    let msg = e.to_string();
    match e {
        LibError::IdentityMismatch { .. } => CheckId::Identity,
        LibError::IssuerMismatch { .. } => CheckId::Issuer,
        LibError::SignatureInvalid(_) => CheckId::Signature,
        LibError::ArtifactMismatch(m) if m.contains("hashedrekord") => CheckId::TlogEntry,
        LibError::ArtifactMismatch(_) | LibError::UnsupportedArtifact(_) => CheckId::ArtifactDigest,
        LibError::Certificate(c) => match c {
            CertificateError::Malformed(_) => CheckId::VerificationMaterial,
            CertificateError::NoValidAuthority { .. } => CheckId::TrustRootValidity,
            CertificateError::NotYetValid { .. } | CertificateError::Expired { .. } => {
                CheckId::CertificateValidity
            }
            CertificateError::Sct(_) => CheckId::Sct,
            _ => CheckId::CertificateChain,
        },
        LibError::TransparencyLog(t) => match t {
            TransparencyLogError::InclusionProof(_) => CheckId::InclusionProof,
            TransparencyLogError::Checkpoint(_) => CheckId::Checkpoint,
            TransparencyLogError::InclusionPromise(_) | TransparencyLogError::UnknownLog { .. } => {
                CheckId::Set
            }
            TransparencyLogError::IntegratedTime(m) if m.contains("future") => CheckId::SigningTime,
            TransparencyLogError::IntegratedTime(_) => CheckId::CertificateValidity,
            _ => CheckId::TlogEntry,
        },
        LibError::Timestamp(t) => match t {
            TimestampError::OutsideAuthorityValidity { .. } => CheckId::TrustRootValidity,
            TimestampError::NoVerifiedTimestamp(_) => CheckId::SigningTime,
            _ => CheckId::Rfc3161Timestamp,
        },
        LibError::UnsupportedBundle(_) if msg.contains("payload type") => CheckId::ArtifactDigest,
        LibError::UnsupportedBundle(_) if msg.contains("Rekor") => CheckId::TlogEntry,
        LibError::UnsupportedBundle(_) if msg.contains("public-key verification") => {
            CheckId::VerificationMaterial
        }
        LibError::InvalidBundle(m) if m.contains("no signing certificate") => {
            CheckId::VerificationMaterial
        }
        LibError::InvalidTrustRoot(_)
        | LibError::TrustRoot(_)
        | LibError::TrustedCertificate(_) => CheckId::TrustRootValidity,
        LibError::InvalidBundle(m) if m.contains("in-toto") => CheckId::ArtifactDigest,
        LibError::Bundle(b) => match b {
            BundleError::MissingInclusionProof(_) | BundleError::LogIndexOutOfRange { .. } => {
                CheckId::InclusionProof
            }
            BundleError::MissingCheckpoint | BundleError::CheckpointRootMismatch => {
                CheckId::Checkpoint
            }
            BundleError::MissingInclusionPromise(_) => CheckId::Set,
            BundleError::MissingSigningTimeEvidence | BundleError::MissingTimestamp => {
                CheckId::SigningTime
            }
            _ => CheckId::BundleFormat,
        },
        _ => CheckId::BundleFormat,
    }
}

/// The step of `sigstore-verify`'s fixed order (see `Verifier::verify`) at
/// which an error is raised, at the earliest; -1 when it may come from the
/// preparation before any step.
///
/// Certificate path: 0 structure and certificate, 1 RFC 3161, 2 SET-backed
/// times, 3 chain and validity, 4 SCT, 5 identity and issuer, 6 log
/// inclusion, checkpoint, SET and integrated time, 7 signature and binding,
/// 8 log-entry consistency. Key path: 0 structure, 1 log, 2 RFC 3161, 3
/// signature and binding, 4 consistency.
fn failure_step(e: &LibError, key_path: bool) -> i32 {
    let msg = e.to_string();
    let (cert, key) = match e {
        LibError::Certificate(CertificateError::Malformed(_)) => (0, -1),
        LibError::Timestamp(TimestampError::NoVerifiedTimestamp(_)) => (2, -1),
        LibError::Timestamp(_) => (1, 2),
        LibError::TransparencyLog(t) => match t {
            TransparencyLogError::InclusionProof(_) | TransparencyLogError::Checkpoint(_) => (6, 1),
            TransparencyLogError::EntryMismatch(_) | TransparencyLogError::MalformedEntry(_) => {
                (8, 4)
            }
            _ => (2, 1),
        },
        LibError::Certificate(CertificateError::Sct(_)) => (4, -1),
        LibError::Certificate(_) => (3, -1),
        LibError::IdentityMismatch { .. } | LibError::IssuerMismatch { .. } => (5, -1),
        LibError::SignatureInvalid(_) => (7, 3),
        LibError::ArtifactMismatch(m) if m.contains("hashedrekord") => (8, 4),
        LibError::ArtifactMismatch(_) => (7, 3),
        LibError::UnsupportedBundle(_) if msg.contains("Rekor entry") => (8, 4),
        _ => (-1, -1),
    };
    if key_path { key } else { cert }
}

/// The last step at which the library checks `id` (see [`failure_step`]).
fn last_step(id: CheckId, key_path: bool) -> i32 {
    let (cert, key) = match id {
        CheckId::BundleFormat | CheckId::VerificationMaterial => (0, 0),
        CheckId::Rfc3161Timestamp => (1, 2),
        CheckId::CertificateChain => (3, 99),
        CheckId::Sct => (4, 99),
        CheckId::Identity | CheckId::Issuer => (5, 99),
        CheckId::InclusionProof | CheckId::Checkpoint | CheckId::Set => (6, 1),
        CheckId::SigningTime | CheckId::TrustRootValidity => (6, 2),
        CheckId::Signature | CheckId::ArtifactDigest => (7, 3),
        CheckId::CertificateValidity | CheckId::TlogEntry => (8, 4),
    };
    if key_path { key } else { cert }
}

/// What may be relaxed to look past a failed check.
#[derive(Debug, Clone, Copy, Default)]
struct Relax {
    identity: bool,
    sct: bool,
    chain: bool,
    tlog: bool,
}

impl Relax {
    /// Relax the check `id` failed on, if the library allows it.
    fn past(mut self, id: CheckId) -> Option<Self> {
        match id {
            CheckId::Identity | CheckId::Issuer if !self.identity => self.identity = true,
            CheckId::Sct if !self.sct => self.sct = true,
            CheckId::CertificateChain
            | CheckId::CertificateValidity
            | CheckId::TrustRootValidity
                if !self.chain =>
            {
                self.chain = true
            }
            CheckId::InclusionProof | CheckId::Checkpoint if !self.tlog => self.tlog = true,
            _ => return None,
        }
        Some(self)
    }

    /// Whether a run under this relaxation leaves `id` unchecked.
    fn skips(self, id: CheckId) -> bool {
        match id {
            CheckId::Sct => self.sct || self.chain,
            CheckId::CertificateChain | CheckId::CertificateValidity => self.chain,
            CheckId::InclusionProof | CheckId::Checkpoint => self.tlog,
            CheckId::Identity | CheckId::Issuer => self.identity,
            _ => false,
        }
    }

    fn any(self) -> bool {
        self.identity || self.sct || self.chain || self.tlog
    }
}

/// What the library is given: the same inputs as strata's checks.
pub(crate) struct Input<'a> {
    pub bundle: &'a Bundle,
    pub artifact: &'a ArtifactInput,
    pub digests: &'a ArtifactDigests,
    pub opts: &'a Options,
    pub key: Option<&'a SigningKey>,
}

/// Why the library does not run for this bundle, when it does not. Needs
/// only the bundle-format and verification-material checks.
pub(crate) fn skip_reason(input: &Input<'_>, sheet: &Sheet) -> Option<String> {
    let has_tlog = !input.bundle.verification_material.tlog_entries.is_empty();
    let has_tsa = !input
        .bundle
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps
        .is_empty();
    match &input.opts.trust {
        TrustMode::Ca { .. } => {
            return Some(
                "not run: sigstore-verify checks Fulcio and managed-key bundles; organisation-PKI bundles are checked by strata alone"
                    .into(),
            );
        }
        TrustMode::Key(_) if !has_tlog && !has_tsa => {
            return Some(
                "not run: sigstore-verify needs a log entry or timestamp; this key bundle has neither, so strata's checks decide"
                    .into(),
            );
        }
        _ => {}
    }
    if sheet.status(CheckId::BundleFormat) != Status::Pass
        || sheet.status(CheckId::VerificationMaterial) != Status::Pass
    {
        return Some("not run: the bundle is not one it could verify this way".into());
    }
    None
}

/// The library's verifier and its first, strict run.
pub(crate) struct Started {
    verifier: std::result::Result<Verifier, String>,
    first: Option<Result<LibResult>>,
}

/// Build the verifier and make the strict run. Independent of strata's
/// checks.
pub(crate) fn start(input: &Input<'_>) -> Started {
    match Verifier::new(&input.opts.root.root) {
        Ok(v) => {
            let first = run(input, &v, Relax::default());
            Started {
                verifier: Ok(v),
                first: Some(first),
            }
        }
        Err(e) => Started {
            verifier: Err(e.to_string()),
            first: None,
        },
    }
}

/// Fold the library's verdict into the sheet (running it again with
/// relaxations when it stopped at a check it lets a caller relax). Returns
/// a line for the report.
pub(crate) fn cross_check(
    input: &Input<'_>,
    sheet: &mut Sheet,
    started: Started,
) -> Result<String> {
    let mut lib_checks = library_checks(input);
    let verifier = match started.verifier {
        Ok(v) => v,
        Err(e) => {
            mark_fail(sheet, CheckId::TrustRootValidity, &e);
            return Ok(format!("sigstore-verify rejects the trusted root: {e}"));
        }
    };
    let mut first = started.first;
    let key_path = matches!(input.opts.trust, TrustMode::Key(_));
    let mut relax = Relax::default();
    let mut first_error = None;
    for _ in 0..5 {
        let outcome = match first.take() {
            Some(strict) => strict?,
            None => run(input, &verifier, relax)?,
        };
        match outcome {
            Ok(result) => {
                for id in lib_checks.drain(..) {
                    let sct_unverified = id == CheckId::Sct && !result.sct_verified();
                    if !relax.skips(id) && !sct_unverified {
                        mark_pass(sheet, id);
                    }
                }
                break;
            }
            Err(e) => {
                let mut id = check_for(&e);
                // webpki reports an expired or not-yet-valid leaf as a chain
                // error; when strata found the leaf out of its validity, that
                // is the check it is about.
                let msg = e.to_string();
                if id == CheckId::CertificateChain
                    && (msg.contains("CertExpired") || msg.contains("CertNotValidYet"))
                    && sheet.status(CheckId::CertificateValidity) == Status::Fail
                {
                    id = CheckId::CertificateValidity;
                }
                // The library checks in a fixed order: whatever it finished
                // before the step that failed, passed.
                let step = failure_step(&e, key_path);
                lib_checks.retain(|&c| {
                    let done = last_step(c, key_path) < step;
                    if done && !relax.skips(c) {
                        mark_pass(sheet, c);
                    }
                    !done && c != id
                });
                mark_fail(sheet, id, &e.to_string());
                if first_error.is_none() {
                    first_error = Some(format!("{id}: {e}"));
                }
                match relax.past(id) {
                    Some(r) => relax = r,
                    None => break,
                }
            }
        }
    }
    // The SCT is the library's alone; say why when no run reached it.
    if let Some(c) = sheet.get_mut(CheckId::Sct)
        && c.status == Status::NotChecked
    {
        c.detail = "not checked: sigstore-verify stopped at an earlier check".into();
    }
    Ok(match first_error {
        None if relax.any() => "verified only with relaxations (not counted)".into(),
        None => "sigstore-verify agrees: verified".into(),
        Some(e) => format!("sigstore-verify rejects the bundle ({e})"),
    })
}

/// The checks the library covers for this bundle and mode.
fn library_checks(ctx: &Input<'_>) -> Vec<CheckId> {
    let mut ids = vec![
        CheckId::BundleFormat,
        CheckId::VerificationMaterial,
        CheckId::Signature,
        CheckId::ArtifactDigest,
        CheckId::SigningTime,
    ];
    let vm = &ctx.bundle.verification_material;
    if !vm.tlog_entries.is_empty() {
        ids.extend([
            CheckId::TlogEntry,
            CheckId::InclusionProof,
            CheckId::Checkpoint,
        ]);
        if vm
            .tlog_entries
            .iter()
            .any(|e| e.inclusion_promise.is_some())
        {
            ids.push(CheckId::Set);
        }
    }
    if !vm.timestamp_verification_data.rfc3161_timestamps.is_empty() {
        ids.push(CheckId::Rfc3161Timestamp);
    }
    if matches!(ctx.opts.trust, TrustMode::Sigstore) {
        ids.extend([
            CheckId::CertificateChain,
            CheckId::CertificateValidity,
            CheckId::Sct,
            CheckId::TrustRootValidity,
            CheckId::Issuer,
        ]);
        if matches!(ctx.opts.identity, Some(IdentityRule::Exact(_))) {
            ids.push(CheckId::Identity);
        }
    }
    ids
}

type LibResult = std::result::Result<sigstore_verify::VerificationResult, LibError>;

fn run(ctx: &Input<'_>, verifier: &Verifier, relax: Relax) -> Result<LibResult> {
    let bundle = ctx.bundle;
    let blob;
    let artifact: Artifact<'_> = match (ctx.artifact, needs_blob(ctx)) {
        (ArtifactInput::File(path), true) => {
            blob = fsutil::read_bounded(path, super::content::MAX_WHOLE_ARTIFACT)?;
            Artifact::from_blob(&blob)
        }
        _ => match (ctx.digests.sha256, ctx.digests.sha512) {
            (Some(d), _) => Artifact::from_digest(Sha256Hash::new(d)),
            (None, Some(d)) => Artifact::from_digest(
                ArtifactDigest::new(HashAlgorithm::Sha2512, d.to_vec())
                    .map_err(|e| Error::Internal(format!("a SHA-512 digest: {e}")))?,
            ),
            (None, None) => {
                return Err(Error::Internal("an artifact without a digest".into()));
            }
        },
    };
    let use_reader = matches!(ctx.artifact, ArtifactInput::File(_)) && !needs_blob(ctx);
    let outcome = match &ctx.opts.trust {
        TrustMode::Key(k) => {
            let mut policy = PublicKeyVerificationPolicy::new(k.der.clone());
            if relax.tlog || bundle.verification_material.tlog_entries.is_empty() {
                policy = policy.skip_tlog_unsafe();
            }
            if use_reader {
                reader(ctx, |r| verifier.verify_reader(r, bundle, &policy))?
            } else {
                verifier.verify(artifact, bundle, &policy)
            }
        }
        _ => {
            let mut policy = VerificationPolicy::any_identity();
            if !relax.identity {
                if let Some(IdentityRule::Exact(id)) = &ctx.opts.identity {
                    policy = policy.require_identity(id.as_str());
                }
                if let Some(iss) = &ctx.opts.issuer {
                    policy = policy.require_issuer(iss.as_str());
                }
            }
            if relax.chain {
                policy = policy.skip_certificate_chain();
            } else if relax.sct {
                policy = policy.skip_sct();
            }
            if relax.tlog {
                policy = policy.skip_tlog_unsafe();
            }
            if use_reader {
                reader(ctx, |r| verifier.verify_reader(r, bundle, &policy))?
            } else {
                verifier.verify(artifact, bundle, &policy)
            }
        }
    };
    match outcome {
        Err(LibError::ArtifactRead(e)) => Err(Error::io(
            ctx.digests
                .path
                .as_deref()
                .unwrap_or(std::path::Path::new("<artifact>")),
            e,
        )),
        other => Ok(other),
    }
}

fn reader(ctx: &Input<'_>, f: impl FnOnce(std::fs::File) -> LibResult) -> Result<LibResult> {
    let path = ctx
        .digests
        .path
        .as_deref()
        .unwrap_or(std::path::Path::new("<artifact>"));
    let file = fsutil::open_regular(path, fsutil::Scope::Given)?;
    Ok(f(file))
}

/// Message signatures whose scheme cannot verify a digest (Ed25519) need
/// the artifact's bytes.
fn needs_blob(ctx: &Input<'_>) -> bool {
    let sigstore_types::SignatureContent::MessageSignature(_) = &ctx.bundle.content else {
        return false;
    };
    let Some(key) = &ctx.key else {
        return false;
    };
    super::material::scheme(key.algorithm, &ctx.bundle.content)
        .is_some_and(|s| !s.supports_prehashed())
}

fn mark_fail(sheet: &mut Sheet, id: CheckId, msg: &str) {
    if let Some(c) = sheet.get_mut(id) {
        if c.detail.contains(msg) {
            return;
        }
        match c.status {
            Status::Fail => {
                c.by = Source::Both;
                c.detail = format!("{} (sigstore-verify: {msg})", c.detail);
            }
            _ => {
                c.status = Status::Fail;
                c.by = Source::Library;
                c.detail = if c.detail.starts_with("not checked") {
                    format!("sigstore-verify: {msg}")
                } else {
                    format!("sigstore-verify: {msg} (strata's own check: {})", c.detail)
                };
            }
        }
    }
}

fn mark_pass(sheet: &mut Sheet, id: CheckId) {
    if let Some(c) = sheet.get_mut(id) {
        match c.status {
            Status::Pass => c.by = Source::Both,
            Status::NotChecked if matches!(id, CheckId::Sct) => {
                c.status = Status::Pass;
                c.by = Source::Library;
                c.detail = "the embedded SCT verifies against a trusted CT log key".into();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_700_000_000).unwrap()
    }

    #[test]
    fn library_errors_map_to_the_check_they_are_about() {
        let cases: Vec<(LibError, CheckId)> = vec![
            (
                LibError::ArtifactMismatch("artifact hash mismatch for hashedrekord entry".into()),
                CheckId::TlogEntry,
            ),
            (
                LibError::ArtifactMismatch("artifact hash does not match any subject".into()),
                CheckId::ArtifactDigest,
            ),
            (LibError::SignatureInvalid("x".into()), CheckId::Signature),
            (CertificateError::Sct("x".into()).into(), CheckId::Sct),
            (
                CertificateError::Expired {
                    time: ts(),
                    not_after: ts(),
                }
                .into(),
                CheckId::CertificateValidity,
            ),
            (
                CertificateError::NoValidAuthority { time: ts() }.into(),
                CheckId::TrustRootValidity,
            ),
            (
                CertificateError::ChainInvalid("x".into()).into(),
                CheckId::CertificateChain,
            ),
            (
                TransparencyLogError::IntegratedTime("integrated time is in the future".into())
                    .into(),
                CheckId::SigningTime,
            ),
            (
                TransparencyLogError::IntegratedTime("is after certificate validity".into()).into(),
                CheckId::CertificateValidity,
            ),
            (
                TransparencyLogError::Checkpoint("x".into()).into(),
                CheckId::Checkpoint,
            ),
            (
                TransparencyLogError::InclusionPromise("x".into()).into(),
                CheckId::Set,
            ),
            (
                TransparencyLogError::EntryMismatch("x".into()).into(),
                CheckId::TlogEntry,
            ),
            (
                TimestampError::OutsideAuthorityValidity { time: ts() }.into(),
                CheckId::TrustRootValidity,
            ),
            (
                TimestampError::NoVerifiedTimestamp("x".into()).into(),
                CheckId::SigningTime,
            ),
            (
                LibError::UnsupportedBundle("unsupported DSSE payload type \"x\"".into()),
                CheckId::ArtifactDigest,
            ),
            (
                LibError::UnsupportedBundle(
                    "bundle contains a certificate but public-key verification was requested"
                        .into(),
                ),
                CheckId::VerificationMaterial,
            ),
        ];
        for (e, id) in cases {
            assert_eq!(check_for(&e), id, "{e}");
        }
    }

    #[test]
    fn a_failure_implies_only_checks_finished_before_it() {
        // An identity failure (step 5) says the chain and SCT passed, and
        // nothing about the log, the signature or the entry.
        let e = LibError::IdentityMismatch {
            expected: "a".into(),
            actual: None,
        };
        let step = failure_step(&e, false);
        for done in [
            CheckId::CertificateChain,
            CheckId::Sct,
            CheckId::BundleFormat,
        ] {
            assert!(last_step(done, false) < step, "{done}");
        }
        for open in [
            CheckId::InclusionProof,
            CheckId::Signature,
            CheckId::TlogEntry,
            CheckId::CertificateValidity,
        ] {
            assert!(last_step(open, false) >= step, "{open}");
        }
        // Preparation errors imply nothing.
        let e = LibError::InvalidBundle("x".into());
        assert!(
            CheckId::ALL
                .iter()
                .all(|&c| last_step(c, false) >= failure_step(&e, false))
        );
    }
}
