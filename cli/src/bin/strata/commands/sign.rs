//! `strata sign FILE...`: Sigstore bundle v0.3, DSSE over an in-toto
//! Statement v1.

use std::path::PathBuf;

use clap::Args;
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::sigstore::keys;
use strata::sigstore::sign::{self, Signer};
use strata::sigstore::trust;

use crate::output;

/// Sign attestations: a Sigstore bundle v0.3 holding a DSSE envelope over
/// an in-toto Statement v1.
///
/// A CycloneDX BOM is signed as a statement with predicateType
/// `https://cyclonedx.org/bom` whose predicate is the BOM and whose subject
/// is the device it describes (`device:<id>`) with the SHA-256 of the BOM
/// file. Any other file gets a subject named after it.
///
/// The bundle for `bom.cdx.json` is written next to it as
/// `bom.sigstore.json` (the `attestations/<device>/` layout); for any other
/// FILE as `FILE.sigstore.json`. Files are written atomically.
///
/// Modes, both offline:
///
/// - `--key KEY.pem`: an ECDSA P-256 key; the bundle carries the public-key
///   hint (base64 SHA-256 of the key).
///
/// - `--cert LEAF --chain CHAIN --key KEY`: an organisation's own PKI; the
///   bundle carries the leaf certificate, which must chain to CHAIN
///   (intermediates and root) with the code-signing usage. A v0.3 bundle
///   holds one certificate, so verifiers get the chain as trust material:
///   `strata verify --ca CHAIN`.
///
/// Signatures are deterministic (RFC 6979): the same file and key give the
/// same bundle. No transparency log entry or timestamp is added; keyless
/// signing (Fulcio, Rekor) is not implemented.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata sign attestations/pixel-9-pro/bom.cdx.json --key examples/keys/demo-signing-key.pem
  strata sign attestations/*/bom.cdx.json --key signing.pem
  strata sign release.tar.gz --key signing.pem -o release.sigstore.json
  strata sign bom.cdx.json --cert leaf.pem --chain org-ca.pem --key leaf-key.pem")]
pub struct SignArgs {
    /// Files to sign.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// ECDSA P-256 private key, unencrypted PEM (PKCS#8 or SEC1).
    #[arg(long, value_name = "KEY.pem")]
    key: PathBuf,
    /// Signing certificate (PEM) issued for --key by your organisation's CA.
    #[arg(long, value_name = "LEAF.pem", requires = "chain")]
    cert: Option<PathBuf>,
    /// The CA certificates the leaf chains to (PEM: intermediates and root).
    #[arg(long, value_name = "CHAIN.pem", requires = "cert")]
    chain: Option<PathBuf>,
    /// Write the bundle here (one FILE only).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Run `strata sign`.
pub fn run(args: SignArgs) -> Result<ExitStatus> {
    if args.output.is_some() && args.files.len() > 1 {
        return Err(Error::Usage("-o/--output takes one FILE".into()));
    }
    let key = keys::load_signing_key(&args.key)?;
    let signer = match (&args.cert, &args.chain) {
        (Some(cert_path), Some(chain_path)) => {
            let leaf = trust::load_certificates(cert_path)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::Usage("--cert has no certificate".into()))?;
            sign::check_certificate_matches_key(&leaf, &key, cert_path)?;
            let chain = trust::load_certificates(chain_path)?;
            sign::check_certificate_chains(&leaf, &chain, chain_path)?;
            Signer::Certificate { key, leaf }
        }
        _ => Signer::Key(key),
    };
    // Sign everything first: nothing is written when one file fails.
    let mut done = Vec::new();
    for file in &args.files {
        let signed = sign::sign_file(file, &signer)?;
        let out = args
            .output
            .clone()
            .unwrap_or_else(|| sign::default_output(file));
        done.push((file, out, signed));
    }
    for (file, out, signed) in done {
        fsutil::write_atomic(&out, &signed.bundle_json)?;
        output::status(&format!(
            "signed {} -> {} (subject {} sha256:{})",
            file.display(),
            out.display(),
            signed.statement.subject_name,
            signed.statement.sha256_hex
        ));
    }
    Ok(ExitStatus::Success)
}
