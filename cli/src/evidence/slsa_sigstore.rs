//! SLSA provenance in a Sigstore bundle, verified by strata's Sigstore
//! verifier: the signing certificate chains to Fulcio at the signing time
//! with a valid SCT, and the Rekor entry (inclusion proof, checkpoint, SET)
//! logs this signature. Offline, against the embedded public-good trusted
//! root or a given `trusted_root.json`.
//!
//! Without a pinned identity the certificate's own SAN and OIDC issuer are
//! taken as the policy: the identity is then authenticated (Fulcio issued
//! the certificate to it) but not required to be anyone in particular, and
//! the report says so. With `--identity` and `--issuer` both must match
//! exactly.

use std::path::PathBuf;

use serde_json::Value;

use super::Malformed;
use super::report::{Report, Status};
use crate::diag::Code;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::checks::{CheckId, Report as BundleReport};
use crate::sigstore::trust::{self, RootChoice};
use crate::sigstore::verify::{IdentityRule, Options, TrustMode, verify};

/// The identity policy and trust root for provenance bundles.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Required certificate identity (SAN), exact.
    pub identity: Option<String>,
    /// Required OIDC issuer, exact.
    pub issuer: Option<String>,
    /// Trusted root (default: the embedded public-good root).
    pub trusted_root: Option<PathBuf>,
    /// The verification time (the wall clock, passed in by the binary);
    /// without one the bundle is not verified and the checks say so.
    pub now: Option<jiff::Timestamp>,
}

/// True when the document is a Sigstore bundle (not a bare envelope).
pub fn is_bundle(doc: &Value) -> bool {
    doc.get("mediaType").is_some() && doc.get("verificationMaterial").is_some()
}

/// Verify the bundle `doc` whose signed statement names `digest` (the
/// artifact's SHA-256, or the first subject's), adding the checks
/// `certificate-chain`, `transparency-log` and `signer-identity` (prefixed
/// with `pre`) to `rep`. `san` and `oidc_issuer` are what the certificate
/// says.
pub fn check(
    rep: &mut Report,
    pre: &str,
    doc: &Value,
    digest: [u8; 32],
    cert_identity: (Option<&str>, Option<&str>),
    policy: &Policy,
) -> Result<(), Malformed> {
    let root = root(policy)?;
    let Some(now) = policy.now else {
        for name in ["certificate-chain", "transparency-log", "signer-identity"] {
            rep.check(
                &format!("{pre}{name}"),
                Status::NotApplicable,
                "no verification time given",
            );
        }
        return Ok(());
    };
    let (san, oidc) = cert_identity;
    let pinned = policy.identity.is_some() || policy.issuer.is_some();
    let opts = Options {
        trust: TrustMode::Sigstore,
        root,
        identity: policy
            .identity
            .clone()
            .or_else(|| san.map(str::to_string))
            .map(IdentityRule::Exact),
        issuer: policy.issuer.clone().or_else(|| oidc.map(str::to_string)),
        require_tlog: true,
        now,
    };
    let text = serde_json::to_string(doc)
        .map_err(|e| Malformed::internal("cannot serialise the provenance bundle", e))?;
    let file = crate::sigstore::input::parse_bundle(std::path::Path::new("provenance"), &text)
        .map_err(|e| Malformed::new(Code::SlsaProvenanceMalformed, e.to_string()))?;
    let r = verify(&file, &ArtifactInput::Sha256(digest), &opts)
        .map_err(|e| Malformed::new(Code::SlsaProvenanceMalformed, e.to_string()))?;
    let group = |ids: &[CheckId]| group(&r, ids);
    let (s, d) = group(&[
        CheckId::BundleFormat,
        CheckId::VerificationMaterial,
        CheckId::CertificateChain,
        CheckId::CertificateValidity,
        CheckId::Sct,
        CheckId::TrustRootValidity,
    ]);
    rep.check(&format!("{pre}certificate-chain"), s, d);
    let (s, d) = group(&[
        CheckId::TlogEntry,
        CheckId::InclusionProof,
        CheckId::Checkpoint,
        CheckId::Set,
        CheckId::Rfc3161Timestamp,
        CheckId::SigningTime,
    ]);
    rep.check(&format!("{pre}transparency-log"), s, d);
    signer_identity(rep, pre, &r, pinned);
    Ok(())
}

/// The trusted root a policy names (the embedded public-good one by
/// default).
pub(crate) fn root(policy: &Policy) -> Result<trust::Root, Malformed> {
    trust::load_root(&match &policy.trusted_root {
        Some(p) => RootChoice::File(p.clone()),
        None => RootChoice::PublicGood,
    })
    .map_err(|e| Malformed::new(Code::BadTrustedRoot, e.to_string()))
}

/// One evidence check for a group of the Sigstore verifier's checks: fail
/// with every failure, pass naming what held, or n/a when none ran.
pub(crate) fn group(r: &BundleReport, ids: &[CheckId]) -> (Status, String) {
    let trust = r.trust.trim_end_matches(" (identity policy)");
    match r.group(ids) {
        Err(why) => (Status::Fail, why),
        Ok(passed) if passed.is_empty() => (Status::NotApplicable, "nothing to check".into()),
        Ok(passed) => (
            Status::Pass,
            format!("{} hold (Sigstore verifier, {trust})", passed.join(", ")),
        ),
    }
}

/// `signer-identity`: the identity and issuer checks when the signer was
/// pinned; otherwise not applicable, saying so.
pub(crate) fn signer_identity(rep: &mut Report, pre: &str, r: &BundleReport, pinned: bool) {
    if pinned {
        let (s, d) = group(r, &[CheckId::Identity, CheckId::Issuer]);
        rep.check(&format!("{pre}signer-identity"), s, d);
    } else {
        rep.check(
            &format!("{pre}signer-identity"),
            Status::NotApplicable,
            "not pinned: the certificate identity is authenticated by the chain but no identity was required (give --identity and --issuer)",
        );
    }
}
