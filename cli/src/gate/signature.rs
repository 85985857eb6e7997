//! Signature checking for the gate's `unsigned-attestation` rule: the trust
//! material named in the policy, and a full offline verification of each
//! attestation's Sigstore bundle against it.
//!
//! Parameters (paths relative to the policy file): `key: PUB.pem` for
//! bundles signed with a key; `ca: CA.pem` with `identity` (or
//! `identity-regexp`) for an organisation's PKI; `identity` (or
//! `identity-regexp`) with `issuer` for keyless Sigstore bundles against the
//! embedded public-good trusted root (or `trusted-root: FILE`).

use std::path::Path;

use serde_json::Value;

use crate::model::Rule;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::trust::TrustSpec;
use crate::sigstore::verify::{self, Options};
use crate::sigstore::{Status, input};

/// Trust material for the rule (paths relative to `policy_dir`), or why the
/// parameters are unusable.
pub fn trust_from_rule(rule: &Rule, policy_dir: &Path) -> Result<Options, String> {
    let text = |k: &str| {
        rule.params
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let path = |k: &str| text(k).map(|p| policy_dir.join(p));
    let spec = TrustSpec {
        key: path("key"),
        ca: path("ca"),
        identity: text("identity"),
        identity_regexp: text("identity-regexp"),
        issuer: text("issuer"),
        trusted_root: path("trusted-root"),
    };
    if spec.is_empty() {
        return Err(NEEDS.into());
    }
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
        .unwrap_or_else(|_| jiff::Timestamp::now());
    spec.options(now).map_err(|e| match e {
        crate::diag::Error::Usage(m) => format!("{NEEDS} ({m})"),
        other => other.to_string(),
    })
}

const NEEDS: &str = "`unsigned-attestation` needs trust material: `key: PUB.pem`, `ca: CA.pem` with `identity`, or `identity` (or `identity-regexp`) with `issuer`";

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
