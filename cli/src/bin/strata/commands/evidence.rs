//! `strata evidence inspect`: what strata reads from one evidence file.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use strata::diag::{Error, ExitStatus, Result};
use strata::evidence::{self, Options, Report, android::StatusList};
use strata::model::EvidenceKind;
use strata::sigstore::artifact::{ArtifactDigests, ArtifactInput};

use crate::args::{self, Format, HUMAN_JSON, QuietArg, SignerArgs};
use crate::color::{Painter, Tone, VERDICT_PREFIXES};
use crate::output;

/// Read hardware, OS and vehicle evidence and verify it.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    command: EvidenceCommand,
}

#[derive(Debug, Subcommand)]
enum EvidenceCommand {
    Inspect(InspectArgs),
}

/// Decode one evidence file and run every verification check on it.
///
/// Prints the decoded fields and each check by name with its outcome
/// (pass, fail, or skip with the reason: a skipped check is never counted as
/// verified). The kind is detected when unambiguous; name it with --kind
/// otherwise.
///
/// Android key attestation chains are checked for chain signatures, CA
/// constraints, a Google hardware attestation root (matched by public key;
/// the software attestation root fails), validity at --at, revocation
/// against --revocation, and a hardware security level. The KeyDescription
/// must be strict DER; --vbmeta compares the root of trust with a vbmeta
/// image.
///
/// AVB vbmeta images are checked for their hash and RSA signature (with the
/// key embedded in the image: that it is the OEM's key takes an
/// attestation's verifiedBootKey). Uptane metadata is checked for the
/// threshold of signatures by the role's keys from root metadata
/// (--uptane-root, or root.json beside the file), and for expiry.
///
/// TCG platform certificates (attribute certificates) are decoded with their
/// components; the signature needs the issuing CA (--ca), the holder
/// binding --holder.
/// TPM EK certificates (also in the TPM NV form) and SPDM/DICE chains are
/// checked link by link; strata holds no TPM or SPDM roots, and says so.
///
/// npm registry attestations (the registry's {"attestations": [...]}) are
/// read as slsa-provenance: the SLSA provenance bundle is verified as
/// below, the registry's publish attestation with its public key (--key),
/// and both subjects (pkg:npm/NAME@VERSION, SHA-512) must agree with each
/// other and with the package tarball given as --artifact.
///
/// SLSA provenance (Sigstore bundles, DSSE, .intoto.jsonl) is decoded; the
/// DSSE signature is checked with the signing certificate's key and the
/// builder id against the certificate identity (or, when an SLSA BYOB
/// delegator signed, the builder is the workflow that called it, at a
/// release tag), and against --builder-id when given. A Sigstore bundle is also
/// verified completely and offline by strata's Sigstore verifier (Fulcio
/// chain at the signing time, SCT, Rekor inclusion proof, checkpoint and
/// SET) against the embedded public-good trusted root (or --trusted-root);
/// the signer identity is checked only when pinned with --identity and
/// --issuer (otherwise `signer-identity` is skipped, and the certificate's
/// identity is authenticated but not required).
///
/// The verdict is `passed` (every check passed), `partial` (some skipped),
/// `not-verified` (none ran) or `failed`.
///
/// Exit status: 0 every check that ran passed, 1 a check failed, 2 the file
/// is malformed or unreadable.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata evidence inspect chain.pem
  strata evidence inspect chain.pem --at 2026-01-01 --revocation status.json
  strata evidence inspect chain.pem --vbmeta vbmeta.img
  strata evidence inspect vbmeta.img --format json
  strata evidence inspect director/targets.json --uptane-root director/root.json --at 2026-01-01
  strata evidence inspect platform.pem --holder ek.cer --ca platform-ca.pem --inventory hw.json
  strata evidence inspect ek.cer --ca tpm-intermediate.crt --ca tpm-root.crt
  strata evidence inspect build.intoto.jsonl --artifact MODULE.bazel
  strata evidence inspect app.intoto.jsonl --artifact app.tar.gz \\
      --builder-id https://github.com/ORG/BUILDER/.github/workflows/build.yml@v1.0.0
  strata evidence inspect attestations.json --artifact pkg-1.0.0.tgz --key npm-registry.pem
  strata evidence inspect build.intoto.jsonl --artifact MODULE.bazel \\
      --identity https://github.com/ORG/REPO/.github/workflows/release.yml@refs/tags/v1.0.0 \\
      --issuer https://token.actions.githubusercontent.com",
    mut_arg("identity", |a| a.help("For SLSA provenance in a Sigstore bundle: the certificate identity (SAN) that must have signed it, exact (e.g. the builder workflow); with --issuer")),
    // The last --issuer counts, so that the CA files `--issuer` used to
    // take (repeatedly) get the hint to use --ca rather than clap's error.
    mut_arg("issuer", |a| a.overrides_with("issuer").help("For SLSA provenance in a Sigstore bundle: the OIDC issuer the certificate must name, exact; with --identity")))]
pub struct InspectArgs {
    /// The evidence file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The evidence kind (detected when omitted), e.g.
    /// android-key-attestation.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
    #[command(flatten)]
    quiet: QuietArg,
    /// Evaluate validity at this time (YYYY-MM-DD for midnight UTC, or RFC
    /// 3339); now by default.
    #[arg(long, value_name = "TIME", value_parser = args::parse_time)]
    at: Option<jiff::Timestamp>,
    /// Android attestation status list (status.json) for the revocation
    /// check.
    #[arg(long, value_name = "FILE")]
    revocation: Option<PathBuf>,
    /// Uptane root metadata holding the signing keys; a root.json beside
    /// FILE is used when omitted.
    #[arg(long, value_name = "FILE")]
    uptane_root: Option<PathBuf>,
    /// Deprecated spelling of --uptane-root.
    #[arg(long, value_name = "FILE", hide = true, conflicts_with = "uptane_root")]
    root: Option<PathBuf>,
    /// Trusted Uptane ECU keys (JSON object of key id to TUF key), for ECU
    /// and vehicle manifests.
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
    /// Certificates of the issuing CA(s) (PEM or DER; repeatable), for
    /// TCG platform and TPM EK certificates.
    #[arg(long, value_name = "FILE")]
    ca: Vec<PathBuf>,
    /// The certificate a platform certificate's holder should name: the TPM
    /// EK certificate (or, for a delta, the base platform certificate).
    #[arg(long, value_name = "FILE")]
    holder: Option<PathBuf>,
    /// The device's observed components (JSON {"components": [{manufacturer,
    /// model, serial?, revision?}]}) to compare with a platform certificate.
    #[arg(long, value_name = "FILE")]
    inventory: Option<PathBuf>,
    /// The artifact SLSA provenance should describe (its SHA-256 must be a
    /// subject; for npm registry attestations the package tarball, whose
    /// SHA-512 must be the subjects').
    #[arg(long, value_name = "FILE")]
    artifact: Option<PathBuf>,
    /// For npm registry attestations: the registry's public key (PEM), to
    /// verify its publish attestation.
    #[arg(long, value_name = "PUB.pem")]
    key: Option<PathBuf>,
    /// The builder SLSA provenance must name (slsa-verifier's
    /// --builder-id): a workflow URI, with @VERSION to require that
    /// version. Matched against the provenance's builder, which for a BYOB
    /// delegator's signature is the workflow that called the delegator.
    #[arg(long, value_name = "ID")]
    builder_id: Option<String>,
    #[command(flatten)]
    signer: SignerArgs,
    /// Sigstore trusted_root.json for provenance bundles (default: the
    /// embedded public-good root).
    #[arg(long, value_name = "FILE")]
    trusted_root: Option<PathBuf>,
    /// Deprecated spelling of --issuer.
    #[arg(long, value_name = "URL", hide = true, conflicts_with = "issuer")]
    oidc_issuer: Option<String>,
    /// An AVB vbmeta image to compare with the attestation's
    /// verifiedBootKey and verifiedBootHash.
    #[arg(long, value_name = "FILE")]
    vbmeta: Option<PathBuf>,
}

/// Run `strata evidence`.
pub fn run(args: EvidenceArgs) -> Result<ExitStatus> {
    match args.command {
        EvidenceCommand::Inspect(a) => inspect(a),
    }
}

/// The pinned provenance signer: `--identity` with `--issuer` (or its
/// deprecated spelling `--oidc-issuer`). An `--issuer` naming a file is the
/// old spelling of `--ca`.
fn signer(args: &InspectArgs) -> Result<evidence::slsa_sigstore::Policy> {
    if let Some(i) = &args.signer.issuer
        && !i.contains("://")
        && Path::new(i).is_file()
    {
        return Err(Error::Usage(format!(
            "--issuer `{i}` is a file: --issuer is the OIDC issuer URL a provenance certificate \
             must name; give issuing CA certificates with --ca {i}"
        )));
    }
    let issuer = args::or_deprecated(
        args.signer.issuer.clone(),
        args.oidc_issuer.clone(),
        "--oidc-issuer",
        "--issuer",
    );
    if args.signer.identity.is_some() != issuer.is_some() {
        return Err(Error::Usage(
            "--identity and --issuer pin the provenance signer together: give both".into(),
        ));
    }
    Ok(evidence::slsa_sigstore::Policy {
        identity: args.signer.identity.clone(),
        issuer,
        trusted_root: args.trusted_root.clone(),
        now: Some(args::wall_clock().timestamp()),
    })
}

fn inspect(args: InspectArgs) -> Result<ExitStatus> {
    let sigstore = signer(&args)?;
    let uptane_root = args::or_deprecated(
        args.uptane_root.clone(),
        args.root.clone(),
        "--root",
        "--uptane-root",
    );
    let kind = match &args.kind {
        None => None,
        Some(k) => Some(EvidenceKind::parse(k).ok_or_else(|| {
            Error::Usage(format!(
                "--kind `{k}` is not an evidence kind; one of: {}",
                evidence::INSPECTABLE
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
    };
    let at = args::timestamp_or_now(args.at);
    let revocation = match &args.revocation {
        None => None,
        Some(p) => {
            let data = strata::fsutil::read_bounded(p, evidence::MAX_EVIDENCE_BYTES)?;
            Some(StatusList::parse(&data).map_err(|m| {
                Error::invalid(
                    strata::diag::Diagnostic::error(strata::diag::Code::StatusListMalformed, m)
                        .in_file(p),
                )
            })?)
        }
    };
    let read = |p: &PathBuf| strata::fsutil::read_bounded(p, evidence::MAX_EVIDENCE_BYTES);
    // Streamed, in one pass: an artifact may be an image of gigabytes; npm
    // names a package tarball by its SHA-512.
    let artifact = match &args.artifact {
        Some(p) => Some(ArtifactDigests::compute(
            &ArtifactInput::File(p.clone()),
            &[sigstore_types::HashAlgorithm::Sha2512],
        )?),
        None => None,
    };
    let opts = Options {
        at: Some(strata::clock::Time::from_timestamp(at)),
        revocation,
        uptane_root: match &uptane_root {
            Some(p) => Some((read(p)?, p.display().to_string())),
            None => None,
        },
        uptane_keys: args.keys.as_ref().map(read).transpose()?,
        issuers: {
            let mut v = Vec::new();
            for p in &args.ca {
                let blobs = evidence::certs::split(&read(p)?).map_err(|e| {
                    Error::invalid(
                        strata::diag::Diagnostic::error(
                            strata::diag::Code::CertificateMalformed,
                            e.to_string(),
                        )
                        .in_file(p),
                    )
                })?;
                v.extend(blobs.into_iter().map(|b| b.der));
            }
            v
        },
        holder: args.holder.as_ref().map(read).transpose()?,
        inventory: args.inventory.as_ref().map(read).transpose()?,
        artifact_sha256: artifact.as_ref().and_then(|d| d.sha256).map(hex::encode),
        artifact_sha512: artifact.as_ref().and_then(|d| d.sha512),
        registry_key: args
            .key
            .as_deref()
            .map(strata::sigstore::trust::load_public_key)
            .transpose()?,
        sigstore,
        builder_id: args.builder_id.clone(),
    };
    let mut report = evidence::inspect(&args.file, kind, &opts)?;
    if let Some(v) = &args.vbmeta {
        if report.kind != EvidenceKind::AndroidKeyAttestation {
            return Err(Error::Usage(
                "--vbmeta applies to android-key-attestation evidence".into(),
            ));
        }
        let vb = evidence::inspect(v, Some(EvidenceKind::AvbVbmeta), &opts)?;
        let att = report.clone();
        evidence::avb::relate(&vb, &att, &mut report);
    }
    let text = match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&report)
                .map_err(|e| Error::internal("cannot serialise the report", e))?;
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "file".into(),
                    serde_json::Value::String(args.file.display().to_string()),
                );
                o.insert(
                    "verification".into(),
                    serde_json::Value::String(report.verdict().into()),
                );
            }
            strata::outputs::to_json(&v)?
        }
        _ => {
            let text = render_human(&args.file, &report);
            if args.quiet.quiet {
                args::verdict_line(&text)
            } else {
                text
            }
        }
    };
    output::emit_painted(args.format, text.as_bytes(), |t| paint(t, &report))?;
    Ok(if report.passed() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// Check labels and the verdict coloured (when stdout is).
fn paint(text: &str, r: &Report) -> String {
    let p = Painter::stdout();
    let text = p.line_prefixes(text, VERDICT_PREFIXES);
    let tone = match r.verdict() {
        "passed" => Tone::Good,
        "failed" => Tone::Bad,
        _ => Tone::Warn,
    };
    text.split_inclusive('\n')
        .map(|line| match line.strip_prefix("verification: ") {
            Some(rest) => format!("verification: {}", p.words(rest, &[(r.verdict(), tone)])),
            None => line.to_string(),
        })
        .collect()
}

fn render_human(file: &Path, r: &Report) -> String {
    let mut out = format!("{}\n  {}: {}\n", file.display(), r.kind.as_str(), r.summary);
    if let Some(t) = &r.evaluated_at {
        out.push_str(&format!("  evaluated at {t}\n"));
    }
    if !r.fields.is_empty() {
        out.push_str("\nfields\n");
        let w = r.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in &r.fields {
            out.push_str(&format!("  {:w$}  {}\n", f.name, f.value));
        }
    }
    if !r.checks.is_empty() {
        out.push_str("\nchecks\n");
        let w = r.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &r.checks {
            out.push_str(&format!(
                "  {:<4}  {:w$}  {}\n",
                c.status.label(),
                c.name,
                c.detail
            ));
        }
    }
    out.push_str(&format!("\nverification: {}\n", r.verdict()));
    out
}
