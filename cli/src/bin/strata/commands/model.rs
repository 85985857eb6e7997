//! `strata model hash|sign|verify MODEL`: OpenSSF model-signing v1.0
//! compatible signatures over model weights.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use strata::diag::{Error, ExitStatus, Result};
use strata::hashing::{Mode, Progress};
use strata::modelsign::verify::{ModelTrust, VerifyOptions};
use strata::modelsign::{self, HashConfig, ModelSigner};
use strata::sigstore::keyless::Outcome;
use strata::sigstore::keys;
use strata::sigstore::trust;

use super::keyless::KeylessArgs;
use crate::args::{self, Format, HUMAN_JSON, HashingArgs, QuietArg, TrustArgs};
use crate::color::{Painter, VERDICT_PREFIXES};
use crate::output;
use crate::progress::TerminalProgress;

/// Hash, sign and verify model weights in the OpenSSF model-signing format.
///
/// Signatures are byte-compatible with model-signing v1.0 (the
/// `model_signing` tool, PyPI `model-signing` 1.1.1): a Sigstore bundle
/// v0.3 holding a DSSE envelope over an in-toto statement whose predicate
/// (`https://model_signing/signature/v1.0`) lists every file, or every
/// shard of every file, with its SHA-256. Bundles made by `model_signing
/// sign key|certificate` verify here, and strata's verify with
/// `model_signing verify key|certificate`.
///
/// Files are hashed in parallel on all cores with constant memory; with
/// --shard-size one huge file is cut into shards that hash in parallel too.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata model hash models/mimo-7b
  strata model sign models/mimo-7b --key signing.pem --signature mimo-7b.sig
  strata model sign models/mimo-7b --key leaf-key.pem --cert leaf.pem --chain org-ca.pem
  strata model verify models/mimo-7b --signature mimo-7b.sig --key signing.pub
  strata model verify models/mimo-7b --signature model.sig --ca org-ca.pem
  strata model verify models/gemma --signature model.sig \\
      --identity release@example.com --issuer https://accounts.google.com")]
pub struct ModelArgs {
    #[command(subcommand)]
    command: ModelCommand,
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
    Hash(HashArgs),
    Sign(SignArgs),
    Verify(VerifyArgs),
}

/// How a model is cut and what is left out.
fn config(hashing: &HashingArgs, shard_size: Option<u64>) -> HashConfig {
    let h = hashing.resolve();
    HashConfig {
        mode: shard_size.map(Mode::Shards).unwrap_or(Mode::Files),
        allow_symlinks: h.allow_symlinks,
        ignore: h.ignore_paths,
        ignore_git_paths: h.ignore_git_paths,
        root: None,
    }
}

/// Hash a model: the subject digest and resources a signature would carry.
///
/// The digest is the SHA-256 of the concatenated resource digests in path-
/// component order, the subject digest of a model-signing signature.
/// `--format json` prints the in-toto statement `strata model sign` would
/// sign.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata model hash models/mimo-7b
  strata model hash models/mimo-7b --list --ignore-paths optimizer-state
  strata model hash big.safetensors --shard-size 1000000000 --format json")]
struct HashArgs {
    /// Model directory or file.
    model: PathBuf,
    #[command(flatten)]
    hashing: HashingArgs,
    /// Cut files into shards of this many bytes (`sha256-sharded-N`).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    shard_size: Option<u64>,
    /// List every resource.
    #[arg(long)]
    list: bool,
    /// Output format: lines for people, or the in-toto statement as JSON.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
}

/// Sign a model with a key or an organisation certificate.
///
/// The signature (default `model.sig`, as model_signing names it) is
/// written atomically; when it lies inside the model directory it is left
/// out of the hash and recorded as ignored. Keys are ECDSA P-256, P-384 or
/// P-521 (unencrypted PKCS#8 or SEC1 PEM); the bundle carries the key's
/// hint (hex SHA-256 of its PEM public key). With --cert, the bundle
/// carries the leaf and every certificate of --chain, and the leaf must
/// belong to the key, allow digital signatures or code signing, and chain
/// to --chain now.
///
/// With --keyless (network), the model is hashed first, then an ephemeral
/// key is certified by Fulcio for the identity in an OIDC token, the
/// signature is logged in Rekor, and the bundle (the same shape
/// `model_signing sign sigstore` writes) is verified against the trusted
/// root before it is written; see `strata sign --help` for the token
/// sources. Keyless signing is tested against local mock Fulcio and Rekor
/// servers, not against the public-good services.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata model sign models/mimo-7b --key signing.pem
  strata model sign models/mimo-7b --key signing.pem --signature attestations/mimo-7b.sig
  strata model sign weights/ --key leaf-key.pem --cert leaf.pem --chain intermediate.pem \\
      --chain root.pem
  strata model sign big.safetensors --key signing.pem --shard-size 1000000000
  strata model sign models/mimo-7b --keyless   # in GitHub Actions, with id-token: write")]
struct SignArgs {
    /// Model directory or file.
    model: PathBuf,
    /// Private key (PEM).
    #[arg(long, value_name = "KEY.pem", required_unless_present = "keyless")]
    key: Option<PathBuf>,
    /// Signing certificate (PEM) for --key.
    #[arg(long, value_name = "LEAF.pem", requires = "chain")]
    cert: Option<PathBuf>,
    /// Certificates the leaf chains to (PEM; repeatable).
    #[arg(long, value_name = "CHAIN.pem", requires = "cert")]
    chain: Vec<PathBuf>,
    /// Where to write the signature.
    #[arg(long, value_name = "FILE", default_value = modelsign::DEFAULT_SIGNATURE)]
    signature: PathBuf,
    #[command(flatten)]
    keyless: KeylessArgs,
    #[command(flatten)]
    hashing: HashingArgs,
    /// Cut files into shards of this many bytes (`sha256-sharded-N`), so a
    /// single huge file hashes on every core.
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    shard_size: Option<u64>,
}

/// Verify a model against its signature, every check by name.
///
/// Checks: bundle-format, signer, signature, statement, model-files. The
/// model is hashed the way the signature says (files or shards, its ignore
/// paths); missing, extra and changed files are listed separately.
///
/// Trust, one of:
///
/// - `--key PUB.pem`: a key signature; the bundle's key hint must name it.
///
/// - `--ca CA.pem`: a certificate signature; the chain in the bundle must
///   lead to a certificate in CA.pem at the time the leaf was issued (the
///   bundle has no timestamp; model_signing checks the same way), and the
///   leaf must allow digital signatures or code signing.
///
/// - `--identity ID --issuer URL` (or --identity-regexp): a Sigstore
///   keyless signature, checked completely and offline by strata's Sigstore
///   verifier against the trusted root (public-good unless --trusted-root).
///
/// Exit status: 0 verified, 1 a check failed, 2 unreadable or malformed
/// input.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata model verify models/mimo-7b --signature model.sig --key signing.pub
  strata model verify models/mimo-7b --signature model.sig --ca org-ca.pem --format json
  strata model verify models/mimo-7b --signature model.sig --key signing.pub --ignore-unsigned-files
  strata model verify models/gemma --signature model.sig \\
      --certificate-identity release@example.com \\
      --certificate-oidc-issuer https://accounts.google.com",
    // A model-signing certificate chain is its own trust: no identity.
    mut_arg("ca", |a| a.conflicts_with_all(["identity", "identity_regexp", "issuer"])))]
struct VerifyArgs {
    /// Model directory or file.
    model: PathBuf,
    /// The signature.
    #[arg(long, value_name = "FILE", default_value = modelsign::DEFAULT_SIGNATURE)]
    signature: PathBuf,
    /// Hash only the files the signature lists; files added since signing
    /// are not reported.
    #[arg(long)]
    ignore_unsigned_files: bool,
    #[command(flatten)]
    hashing: HashingArgs,
    /// Output format: the checks for people, or the report as JSON.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
    #[command(flatten)]
    quiet: QuietArg,
    #[command(flatten)]
    trust: TrustArgs,
}

/// Run `strata model`.
pub fn run(args: ModelArgs) -> Result<ExitStatus> {
    match args.command {
        ModelCommand::Hash(a) => hash(a),
        ModelCommand::Sign(a) => sign(a),
        ModelCommand::Verify(a) => verify(a),
    }
}

fn stdout(format: Format, text: &str) -> Result<()> {
    output::emit(format, text.as_bytes())
}

fn hash(a: HashArgs) -> Result<ExitStatus> {
    let bar = TerminalProgress::if_terminal();
    let m = modelsign::hash_model(
        &a.model,
        &config(&a.hashing, a.shard_size),
        None,
        None,
        bar.as_ref().map(|b| b as &dyn Progress),
    )?;
    let text = match a.format {
        Format::Json => {
            let mut s = String::from_utf8_lossy(&m.statement()?).into_owned();
            s.push('\n');
            s
        }
        _ => {
            let mut s = format!(
                "sha256:{}  {} ({})\n",
                m.root_digest,
                a.model.display(),
                resources(&m)
            );
            if a.list {
                for r in &m.resources {
                    s.push_str(&format!("  sha256:{}  {}\n", r.digest, r.name));
                }
            }
            s
        }
    };
    stdout(a.format, &text)?;
    Ok(ExitStatus::Success)
}

fn sign(a: SignArgs) -> Result<ExitStatus> {
    if a.keyless.keyless {
        return sign_keyless(&a);
    }
    let Some(key_path) = &a.key else {
        return Err(Error::Usage("give --key KEY.pem, or --keyless".into()));
    };
    let key = keys::load_signing_key(key_path)?;
    let signer = match &a.cert {
        Some(cert_path) => {
            let leaf = trust::load_certificates(cert_path)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::Usage("--cert has no certificate".into()))?;
            strata::sigstore::sign::check_certificate_matches_key(&leaf, &key, cert_path)?;
            let mut chain = Vec::new();
            for p in &a.chain {
                chain.extend(trust::load_certificates(p)?);
            }
            strata::sigstore::verify::chain::chains_for_model_signing(
                &leaf,
                &[],
                &chain,
                crate::args::wall_clock().timestamp(),
            )
            .map_err(|e| {
                Error::Usage(format!(
                    "{} does not chain to --chain now, so verifiers would reject the signature: {e}",
                    cert_path.display()
                ))
            })?;
            let mut all = vec![leaf.as_bytes().to_vec()];
            all.extend(chain.iter().map(|c| c.as_bytes().to_vec()));
            ModelSigner::Certificate { key, chain: all }
        }
        None => ModelSigner::Key(key),
    };
    let m = hash_for_signing(&a)?;
    let bundle = modelsign::sign_manifest(&m, &signer)?;
    write_signature(&a, &m, &bundle)
}

fn hash_for_signing(a: &SignArgs) -> Result<modelsign::ModelManifest> {
    let bar = TerminalProgress::if_terminal();
    modelsign::hash_model(
        &a.model,
        &config(&a.hashing, a.shard_size),
        Some(&a.signature),
        None,
        bar.as_ref().map(|b| b as &dyn Progress),
    )
}

fn write_signature(
    a: &SignArgs,
    m: &modelsign::ModelManifest,
    bundle: &[u8],
) -> Result<ExitStatus> {
    strata::fsutil::write_atomic(&a.signature, bundle)?;
    output::status(&format!(
        "signed {} -> {} ({}, subject {} sha256:{})",
        a.model.display(),
        a.signature.display(),
        resources(m),
        m.model_name,
        m.root_digest
    ));
    Ok(ExitStatus::Success)
}

/// `--keyless`: hash first (a Fulcio certificate lives ten minutes, and a
/// large model can take longer to hash), then certify, sign, log, verify.
fn sign_keyless(a: &SignArgs) -> Result<ExitStatus> {
    let m = hash_for_signing(a)?;
    let transport = a.keyless.transport();
    let (session, root_source) = a.keyless.session(&transport)?;
    let statement = strata::sigstore::statement::StatementPayload {
        payload: m.statement()?,
        subject_name: m.model_name.clone(),
        sha256_hex: m.root_digest.clone(),
        predicate_type: modelsign::manifest::PREDICATE_V1.to_string(),
        device: None,
    };
    match session.sign_statement(statement, &a.signature)? {
        Outcome::Verified {
            signed, log_index, ..
        } => {
            output::status(&format!(
                "keyless: logged in Rekor ({}) at index {log_index}; the bundle verifies against {root_source}",
                a.keyless.rekor_url
            ));
            write_signature(a, &m, &signed.bundle_json)
        }
        Outcome::Refused { report, log_index } => {
            output::status(&format!(
                "error[keyless-not-verified]: the signature (Rekor index {log_index}) does not verify against {root_source}; it was not written",
            ));
            for c in report.failures() {
                output::status(&format!("  FAIL  {}  {}", c.id.name(), c.detail));
            }
            Ok(ExitStatus::Failure)
        }
    }
}

fn verify(a: VerifyArgs) -> Result<ExitStatus> {
    let spec = a.trust.spec();
    let trust = match (&spec.key, &spec.ca) {
        (Some(k), _) => ModelTrust::Key(k.clone()),
        (None, Some(ca)) => ModelTrust::Ca(ca.clone()),
        (None, None) => {
            if (spec.identity.is_none() && spec.identity_regexp.is_none()) || spec.issuer.is_none()
            {
                return Err(Error::Usage(
                    "give --key PUB.pem, --ca CA.pem, or --identity (or --identity-regexp) with --issuer"
                        .into(),
                ));
            }
            ModelTrust::Sigstore(spec)
        }
    };
    let opts = VerifyOptions {
        trust,
        hash: config(&a.hashing, None),
        ignore_unsigned_files: a.ignore_unsigned_files,
        now: crate::args::wall_clock().timestamp(),
    };
    let bar = TerminalProgress::if_terminal();
    let report = strata::modelsign::verify::verify(
        &a.model,
        &a.signature,
        &opts,
        bar.as_ref().map(|b| b as &dyn Progress),
    )?;
    let text = match a.format {
        Format::Json => strata::outputs::to_json(&report)?,
        _ => {
            let text = report.render_human();
            if a.quiet.quiet {
                args::verdict_line(&text)
            } else {
                text
            }
        }
    };
    output::emit_painted(a.format, text.as_bytes(), |t| {
        Painter::stdout().line_prefixes(t, VERDICT_PREFIXES)
    })?;
    Ok(if report.verified {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// "N sha256 resources" ("1 sha256 resource").
fn resources(m: &modelsign::ModelManifest) -> String {
    let n = m.resources.len();
    format!(
        "{n} {} {}",
        m.serialization.algorithm(),
        if n == 1 { "resource" } else { "resources" }
    )
}
