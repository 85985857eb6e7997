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
use crate::sigstore::trust::{self, RootChoice};
use crate::sigstore::verify::{self, IdentityRule, Options, TrustMode};
use crate::sigstore::{Status, input};

/// Trust material for the rule, or why the parameters are unusable.
pub fn trust_from_rule(rule: &Rule, policy_dir: &Path) -> Result<Options, String> {
    let text = |k: &str| {
        rule.params
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let identity = match (text("identity"), text("identity-regexp")) {
        (Some(id), _) => Some(IdentityRule::Exact(id)),
        (None, Some(re)) => Some(IdentityRule::regexp(&re).map_err(|e| e.to_string())?),
        (None, None) => None,
    };
    let trust = match (text("key"), text("ca")) {
        (Some(k), _) => {
            TrustMode::Key(trust::load_public_key(&policy_dir.join(k)).map_err(|e| e.to_string())?)
        }
        (None, Some(ca)) if identity.is_some() => {
            let path = policy_dir.join(ca);
            TrustMode::Ca {
                certs: trust::load_certificates(&path).map_err(|e| e.to_string())?,
                path,
            }
        }
        (None, None) if identity.is_some() && text("issuer").is_some() => TrustMode::Sigstore,
        _ => {
            return Err("`unsigned-attestation` needs trust material: `key: PUB.pem`, `ca: CA.pem` with `identity`, or `identity` (or `identity-regexp`) with `issuer`".into());
        }
    };
    let root = trust::load_root(&match text("trusted-root") {
        Some(p) => RootChoice::File(policy_dir.join(p)),
        None => RootChoice::PublicGood,
    })
    .map_err(|e| e.to_string())?;
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
        .unwrap_or_else(|_| jiff::Timestamp::now());
    Ok(Options {
        trust,
        root,
        identity,
        issuer: text("issuer"),
        require_tlog: false,
        now,
    })
}

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
