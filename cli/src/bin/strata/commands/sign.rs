//! `strata sign FILE...`: Sigstore bundle v0.3, DSSE over an in-toto
//! Statement v1.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::sigstore::keyless::Outcome;
use strata::sigstore::keys;
use strata::sigstore::sign::{self, Signed, Signer};
use strata::sigstore::trust;

use super::keyless::KeylessArgs;
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
/// FILE as `FILE.sigstore.json`. Files are written atomically, and only
/// when every FILE was signed. FILE `-` signs standard input (within the
/// same 1 GiB limit as a file; a BOM's subject is still its device, other
/// content is named `stdin`) and writes the bundle to standard output,
/// or to -o.
///
/// Modes:
///
/// - `--key KEY.pem` (offline): an ECDSA key; the bundle carries the
///   public-key hint (base64 SHA-256 of the key). Deterministic (RFC 6979):
///   the same file and key give the same bundle.
///
/// - `--cert LEAF --chain CHAIN --key KEY` (offline): an organisation's own
///   PKI; the bundle carries the leaf certificate, which must chain to CHAIN
///   (intermediates and root) with the code-signing usage. A v0.3 bundle
///   holds one certificate, so verifiers get the chain as trust material:
///   `strata verify --ca CHAIN`. No transparency log entry or timestamp.
///
/// - `--keyless` (network): Sigstore keyless signing. An ephemeral P-256
///   key is certified by Fulcio for the identity in an OIDC token, the
///   signature is recorded in Rekor (a `dsse` entry), and the bundle
///   carries the certificate, the log entry, its inclusion proof, signed
///   checkpoint and SET. The token comes from --identity-token, else the
///   SIGSTORE_ID_TOKEN environment variable, else GitHub Actions' ambient
///   credentials (ACTIONS_ID_TOKEN_REQUEST_URL and
///   ACTIONS_ID_TOKEN_REQUEST_TOKEN, audience `sigstore`; the workflow needs
///   `permissions: id-token: write`). There is no interactive browser
///   login. Before writing, strata verifies the bundle with every check of
///   `strata verify` against the trusted root (the embedded public-good
///   root, or --trusted-root), pinned to the token's identity and issuer,
///   and refuses to write one that does not verify (exit 1). Each run uses
///   a new key, so keyless bundles differ from run to run. Keyless signing
///   is tested against local mock Fulcio and Rekor servers, not against the
///   public-good services.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata sign attestations/pixel-9-pro/bom.cdx.json --key examples/keys/demo-signing-key.pem
  strata sign attestations/*/bom.cdx.json --key signing.pem
  strata sign release.tar.gz --key signing.pem -o release.sigstore.json
  strata assemble stacks/laptop.yaml | strata sign - --key signing.pem > laptop.sigstore.json
  strata sign bom.cdx.json --cert leaf.pem --chain org-ca.pem --key leaf-key.pem

  # In a GitHub Actions job with `permissions: id-token: write`:
  strata sign attestations/*/bom.cdx.json --keyless
  strata verify attestations/pixel-9-pro/bom.sigstore.json \\
    --identity https://github.com/ORG/REPO/.github/workflows/attest.yml@refs/heads/main \\
    --issuer https://token.actions.githubusercontent.com

  # With an OIDC token (audience `sigstore`) your CI or identity provider issued:
  strata sign bom.cdx.json --keyless --identity-token @token.jwt
  SIGSTORE_ID_TOKEN=\"$TOKEN\" strata sign bom.cdx.json --keyless

  # A private Sigstore deployment:
  strata sign bom.cdx.json --keyless --fulcio-url https://fulcio.internal.example \\
    --rekor-url https://rekor.internal.example --trusted-root internal-trusted-root.json")]
pub struct SignArgs {
    /// Files to sign (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// ECDSA P-256, P-384 or P-521 private key, unencrypted PEM (PKCS#8 or
    /// SEC1).
    #[arg(long, value_name = "KEY.pem", required_unless_present = "keyless")]
    key: Option<PathBuf>,
    /// Signing certificate (PEM) issued for --key by your organisation's CA.
    #[arg(long, value_name = "LEAF.pem", requires = "chain")]
    cert: Option<PathBuf>,
    /// The CA certificates the leaf chains to (PEM: intermediates and root).
    #[arg(long, value_name = "CHAIN.pem", requires = "cert")]
    chain: Option<PathBuf>,
    #[command(flatten)]
    keyless: KeylessArgs,
    /// Write the bundle here (one FILE only).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Run `strata sign`.
pub fn run(args: SignArgs) -> Result<ExitStatus> {
    if args.output.is_some() && args.files.len() > 1 {
        return Err(Error::Usage("-o/--output takes one FILE".into()));
    }
    if args.files.len() > 1 && args.files.iter().any(|f| fsutil::is_stdin(f)) {
        return Err(Error::Usage(
            "`-` (standard input) is signed on its own: give it as the only FILE".into(),
        ));
    }
    if args.keyless.keyless {
        return run_keyless(&args);
    }
    let Some(key_path) = &args.key else {
        return Err(Error::Usage("give --key KEY.pem, or --keyless".into()));
    };
    let key = keys::load_signing_key(key_path)?;
    let signer = match (&args.cert, &args.chain) {
        (Some(cert_path), Some(chain_path)) => {
            let leaf = trust::load_certificates(cert_path)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::Usage("--cert has no certificate".into()))?;
            sign::check_certificate_matches_key(&leaf, &key, cert_path)?;
            let chain = trust::load_certificates(chain_path)?;
            sign::check_certificate_chains(
                &leaf,
                &chain,
                chain_path,
                crate::args::wall_clock().timestamp(),
            )?;
            Signer::Certificate { key, leaf }
        }
        _ => Signer::Key(key),
    };
    // Sign everything first: nothing is written when one file fails.
    let mut done = Vec::new();
    for file in &args.files {
        let signed = sign::sign_file(file, &signer)?;
        done.push((file.clone(), output_for(&args, file), signed));
    }
    write_all(done)?;
    Ok(ExitStatus::Success)
}

/// Where the bundle for `file` goes: -o, else next to the file; `None`
/// (standard output) for standard input without -o.
fn output_for(args: &SignArgs, file: &Path) -> Option<PathBuf> {
    match &args.output {
        Some(o) => Some(o.clone()),
        None if fsutil::is_stdin(file) => None,
        None => Some(sign::default_output(file)),
    }
}

fn write_all(done: Vec<(PathBuf, Option<PathBuf>, Signed)>) -> Result<()> {
    for (file, out, signed) in done {
        let to = match &out {
            Some(out) => {
                fsutil::write_atomic(out, &signed.bundle_json)?;
                out.display().to_string()
            }
            None => {
                output::stdout(&signed.bundle_json)
                    .map_err(|e| Error::io(Path::new("<stdout>"), e))?;
                "<stdout>".to_string()
            }
        };
        let file = if fsutil::is_stdin(&file) {
            fsutil::STDIN_NAME.to_string()
        } else {
            file.display().to_string()
        };
        output::status(&format!(
            "signed {file} -> {to} (subject {} sha256:{})",
            signed.statement.subject_name, signed.statement.sha256_hex
        ));
    }
    Ok(())
}

/// `--keyless`: Fulcio, Rekor, then strata's own verification.
fn run_keyless(args: &SignArgs) -> Result<ExitStatus> {
    // Read every file first: a typo fails before any network call.
    let mut inputs = Vec::new();
    for file in &args.files {
        inputs.push((file, fsutil::read_input(file, sign::MAX_SIGNED_BYTES)?));
    }
    let transport = args.keyless.transport();
    let (session, root_source) = args.keyless.session(&transport)?;
    let mut done = Vec::new();
    let mut refused = false;
    for (file, bytes) in inputs {
        let out = output_for(args, file);
        let shown = out.clone().unwrap_or_else(|| PathBuf::from("<stdout>"));
        match session.sign_bytes(file, &bytes, &shown)? {
            Outcome::Verified {
                signed, log_index, ..
            } => {
                output::status(&format!(
                    "keyless: {} logged in Rekor ({}) at index {log_index}; the bundle verifies against {root_source}",
                    file.display(),
                    args.keyless.rekor_url
                ));
                done.push((file.clone(), out, signed));
            }
            Outcome::Refused { report, log_index } => {
                refused = true;
                output::status(&format!(
                    "error[keyless-not-verified]: the bundle for {} (Rekor index {log_index}) does not verify against {root_source}; it was not written",
                    file.display()
                ));
                for c in report.failures() {
                    output::status(&format!("  FAIL  {}  {}", c.id.name(), c.detail));
                }
            }
        }
    }
    if refused {
        output::status("nothing was written");
        return Ok(ExitStatus::Failure);
    }
    write_all(done)?;
    Ok(ExitStatus::Success)
}
