//! Signature checking for the gate's `unsigned-attestation` rule: a full
//! offline verification of each attestation's Sigstore bundle against the
//! trust material the policy names (read once with the policy, see
//! [`crate::policy::SignatureTrust`]).

use std::path::Path;

use crate::check::Status;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::input;
use crate::sigstore::verify::{self, Options};

/// Verify `bundle` over `attestation`; `Err` says why it does not verify.
pub fn check(attestation: &Path, bundle: &Path, opts: &Options) -> Result<(), String> {
    let file = input::read_bundle(bundle)
        .map_err(|e| format!("bundle `{}` is unreadable: {e}", bundle.display()))?;
    let report = verify::verify(&file, &ArtifactInput::File(attestation.to_path_buf()), opts)
        .map_err(|e| format!("bundle `{}` cannot be verified: {e}", bundle.display()))?;
    if report.verified {
        return Ok(());
    }
    let failed: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| format!("{} ({})", c.id.name(), c.detail))
        .collect();
    Err(format!("signature does not verify: {}", failed.join("; ")))
}
