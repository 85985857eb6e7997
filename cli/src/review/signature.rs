//! Verifying the attestation's Sigstore bundle before a verdict, with
//! `strata verify`'s checks (see [`crate::sigstore::verify`]).
//!
//! The bundle is `bom.sigstore.json` beside the attestation. It is verified
//! against the exact bytes whose digest the review records (by digest, so
//! the file cannot change between the check and the entry), at the review's
//! time, with the trust the reviewer names (a public key, an organisation CA
//! with an identity, or a Sigstore identity and issuer) or, by default, the
//! trust material of the policy's `unsigned-attestation` rule, the same the
//! gate verifies with.

use std::path::Path;

use crate::check::Status;
use crate::clock::Timestamp;
use crate::diag::{Error, Result};
use crate::policy::Policy;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::input;
use crate::sigstore::verify::{self, Options};

pub use crate::sigstore::trust::TrustSpec as Trust;

/// Why approving needs trust.
pub const NEED_TRUST: &str = "approving verifies the attestation's signature: give --key PUB.pem, \
--ca CA.pem with --identity, or --identity (or --identity-regexp) with --issuer, or name the \
trust material in the policy's `unsigned-attestation` rule";

/// The trust material of the policy's `unsigned-attestation` rule (paths
/// relative to the policy file), verified at `now`.
pub fn from_policy(policy: &Policy, now: Timestamp) -> Result<Options> {
    let trust = policy
        .signature_trust()
        .ok_or_else(|| Error::Usage(NEED_TRUST.into()))?;
    trust
        .options(now)
        .map_err(|m| Error::Usage(format!("{NEED_TRUST} ({m})")))
}

/// Verify `bundle` over the artifact with SHA-256 `digest` (hex). Returns
/// whether it verified and a one-line account: the signer, or the checks
/// that failed.
pub fn verify_bundle(bundle: &Path, digest: [u8; 32], opts: &Options) -> Result<(bool, String)> {
    let file = match input::read_bundle(bundle) {
        Ok(f) => f,
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default().to_string();
            return Ok((false, format!("unreadable bundle: {first}")));
        }
    };
    let report = verify::verify(&file, &ArtifactInput::Sha256(digest), opts)?;
    if report.verified {
        let signer = report
            .signer
            .as_ref()
            .map(|s| match (&s.identity, &s.issuer, &s.key_sha256) {
                (Some(id), Some(iss), _) => format!("{id} (issuer {iss})"),
                (Some(id), None, _) => id.clone(),
                (None, _, Some(k)) => format!("key sha256:{}", k.get(..12).unwrap_or(k)),
                _ => s.kind.clone(),
            })
            .unwrap_or_else(|| "unknown signer".to_string());
        Ok((true, format!("verified against {}: {signer}", report.trust)))
    } else {
        let failed: Vec<String> = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| format!("{} ({})", c.id.name(), c.detail))
            .collect();
        Ok((
            false,
            format!(
                "does not verify against {}: {}",
                report.trust,
                failed.join("; ")
            ),
        ))
    }
}
