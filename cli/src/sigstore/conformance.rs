//! `strata verify-bundle`: the sigstore-conformance client protocol.
//!
//! ```text
//! verify-bundle --bundle F --certificate-identity ID --certificate-oidc-issuer URL [--trusted-root F] FILE_OR_DIGEST
//! verify-bundle --bundle F --key PUB.pem [--trusted-root F] FILE_OR_DIGEST
//! ```
//!
//! It runs the same verification as `strata verify` (every named check and
//! the `sigstore-verify` cross-check) with the protocol's policy: an exact
//! identity and issuer, or a managed key whose bundle must carry a
//! transparency log entry, as the public suite expects.

use std::path::{Path, PathBuf};

use super::artifact::ArtifactInput;
use super::checks::Report;
use super::input;
use super::trust::{self, RootChoice};
use super::verify::{self, IdentityRule, Options, TrustMode};
use crate::diag::{Error, Result};

/// The protocol's arguments.
#[derive(Debug, Clone)]
pub struct Request {
    /// `--bundle`.
    pub bundle: PathBuf,
    /// `--certificate-identity`.
    pub identity: Option<String>,
    /// `--certificate-oidc-issuer`.
    pub issuer: Option<String>,
    /// `--key`.
    pub key: Option<PathBuf>,
    /// `--trusted-root`.
    pub trusted_root: Option<PathBuf>,
    /// `--staging`: the embedded staging root instead of public-good.
    pub staging: bool,
    /// FILE_OR_DIGEST.
    pub artifact: String,
}

/// Run one conformance verification at `now`.
pub fn verify_bundle(req: &Request, now: jiff::Timestamp) -> Result<Report> {
    let choice = match (&req.trusted_root, req.staging) {
        (Some(p), _) => RootChoice::File(p.clone()),
        (None, true) => RootChoice::Staging,
        (None, false) => RootChoice::PublicGood,
    };
    let (trust, identity, issuer) = match (&req.key, &req.identity, &req.issuer) {
        (Some(k), None, None) => (TrustMode::Key(trust::load_public_key(k)?), None, None),
        (None, Some(id), Some(iss)) => (
            TrustMode::Sigstore,
            Some(IdentityRule::Exact(id.clone())),
            Some(iss.clone()),
        ),
        _ => {
            return Err(Error::Usage(
                "give --key, or both --certificate-identity and --certificate-oidc-issuer".into(),
            ));
        }
    };
    let opts = Options {
        trust,
        root: trust::load_root(&choice)?,
        identity,
        issuer,
        require_tlog: true,
        now,
    };
    let artifact = ArtifactInput::parse(&req.artifact)?;
    let file = input::read_bundle(Path::new(&req.bundle))?;
    verify::verify(&file, &artifact, &opts)
}
