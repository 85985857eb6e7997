//! `strata verify-bundle`: the sigstore-conformance client protocol.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{ExitStatus, Result};
use strata::sigstore::Status;
use strata::sigstore::conformance::{self, Request};

/// Verify a bundle the way the sigstore-conformance suite drives a client.
///
/// Exactly the protocol of github.com/sigstore/sigstore-conformance:
///
/// - `verify-bundle --bundle F --certificate-identity ID
///   --certificate-oidc-issuer URL [--trusted-root F] FILE_OR_DIGEST`
///
/// - `verify-bundle --bundle F --key PUB.pem [--trusted-root F]
///   FILE_OR_DIGEST`
///
/// FILE_OR_DIGEST is a path or sha256:<hex>. It runs every check of
/// `strata verify` with the sigstore-verify cross-check; a key bundle must
/// carry a transparency log entry. The default trusted root is the embedded
/// public-good one (--staging: the embedded staging root). Offline.
///
/// Exit status: 0 only when everything verifies, 1 when verification
/// fails (the failed checks go to stderr), 2 for unreadable or malformed
/// input.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata verify-bundle --bundle a.txt.sigstore.json \\
      --certificate-identity https://github.com/org/repo/.github/workflows/ci.yml@refs/heads/main \\
      --certificate-oidc-issuer https://token.actions.githubusercontent.com a.txt
  strata verify-bundle --bundle b.sigstore.json --key key.pub --trusted-root trusted_root.json \\
      sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
pub struct VerifyBundleArgs {
    /// The bundle.
    #[arg(long, value_name = "FILE")]
    bundle: PathBuf,
    /// Required certificate identity (SAN), exact.
    #[arg(long, value_name = "ID", requires = "certificate_oidc_issuer")]
    certificate_identity: Option<String>,
    /// Required OIDC issuer, exact.
    #[arg(long, value_name = "URL", requires = "certificate_identity")]
    certificate_oidc_issuer: Option<String>,
    /// Public key (PEM) of a managed-key bundle.
    #[arg(long, value_name = "PUB.pem", conflicts_with_all = ["certificate_identity", "certificate_oidc_issuer"])]
    key: Option<PathBuf>,
    /// Sigstore trusted_root.json.
    #[arg(long, value_name = "FILE")]
    trusted_root: Option<PathBuf>,
    /// Use the embedded Sigstore staging trusted root.
    #[arg(long, conflicts_with = "trusted_root")]
    staging: bool,
    /// The artifact: a path or sha256:<hex>.
    #[arg(value_name = "FILE_OR_DIGEST")]
    artifact: String,
}

/// Run `strata verify-bundle`.
pub fn run(args: VerifyBundleArgs) -> Result<ExitStatus> {
    let report = conformance::verify_bundle(
        &Request {
            bundle: args.bundle,
            identity: args.certificate_identity,
            issuer: args.certificate_oidc_issuer,
            key: args.key,
            trusted_root: args.trusted_root,
            staging: args.staging,
            artifact: args.artifact,
        },
        crate::args::wall_clock().timestamp(),
    )?;
    if report.verified {
        return Ok(ExitStatus::Success);
    }
    for c in report.checks.iter().filter(|c| c.status == Status::Fail) {
        crate::output::status(&format!("FAIL {}: {}", c.id, c.detail));
    }
    crate::output::status(&format!("not verified: {}", report.bundle.display()));
    Ok(ExitStatus::Failure)
}
