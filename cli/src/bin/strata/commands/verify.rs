//! `strata verify BUNDLE [ARTIFACT]`: every check, reported by name;
//! `strata verify --batch LIST`: many bundles, one line each.

use std::path::PathBuf;

use std::io::IsTerminal;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use strata::diag::{ExitStatus, Result};
use strata::sigstore::artifact::ArtifactInput;
use strata::sigstore::{batch, input, verify};

use crate::args::{self, Format, HUMAN_JSON, NowArg, QuietArg, TrustArgs};
use crate::color::{Painter, VERDICT_PREFIXES};
use crate::output;

/// Verify a Sigstore bundle, reporting every check by name.
///
/// Checks: bundle-format, verification-material, certificate-chain,
/// certificate-validity, sct, identity, issuer, signature, artifact-digest,
/// tlog-entry, inclusion-proof, checkpoint, set, rfc3161-timestamp,
/// signing-time, trust-root-validity. Each is pass, FAIL, n/a (with the
/// reason) or -- (not checked: an earlier failure left nothing to check
/// against). The bundle verifies only when nothing failed.
///
/// Trust, one of:
///
/// - `--identity ID --issuer URL`: a keyless Sigstore bundle, against the
///   trusted root (the embedded public-good root unless --trusted-root); the
///   SAN and the OIDC issuer must match exactly. cosign's names work too:
///   --certificate-identity, --certificate-identity-regexp,
///   --certificate-oidc-issuer, --ca-roots.
///
/// - `--key PUB.pem`: a bundle signed with a key.
///
/// - `--ca CA.pem --identity ID`: a bundle signed with an organisation
///   certificate; CA.pem holds the root and any intermediates.
///
/// --identity-regexp R matches the whole SAN: R is parsed on its own, then
/// anchored at both ends (text in R cannot move the anchors).
///
/// The DSSE payload is checked exactly as received, and its in-toto subject
/// must be the artifact. ARTIFACT is a file or sha256:HEX; when omitted,
/// strata looks next to the bundle (bom.sigstore.json -> bom.cdx.json,
/// X.sigstore.json -> X).
///
/// Each check is strata's own, built on the sigstore-verify crates'
/// primitives; for Sigstore bundles and key bundles with a log entry the
/// sigstore-verify verifier then runs over the same inputs and must agree
/// (the SCT and parts of the log-entry check are its alone). Key and CA
/// bundles signed offline carry no log entry or timestamp: their
/// certificate is checked at the verification time, and the log checks
/// say they do not apply. Nothing is fetched from the network.
///
/// Batch: `--batch LIST` verifies many bundles against the same trust in
/// one process, in parallel on every core, the trust material read once.
/// LIST is a file with one `BUNDLE [ARTIFACT]` a line (spaces or tabs
/// between; when a line holds a tab only tabs separate, for paths with
/// spaces; `#` comments and blank lines skipped; relative paths from the
/// working directory), `-` for that list on standard input, or a directory,
/// whose `*.sigstore.json` files are all verified with their artifacts
/// found next to them. --batch may be repeated. Output keeps the input
/// order: one line per bundle (ok, FAIL with the failed checks, ERROR with
/// why it could not be read) and the counts, or with --format json an array
/// of {source, bundle, outcome, report | error} where each report is what
/// --format json prints for one bundle. A progress bar appears on stderr
/// when it is a terminal.
///
/// Exit status: 0 verified, 1 a check failed, 2 unreadable or malformed
/// input. With --batch: 0 only when every bundle verified, 1 when any did
/// not, 2 when the list is malformed or empty (nothing is verified then) or
/// any entry could not be read (the others are still verified and
/// reported).
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata verify attestations/pixel-9-pro/bom.sigstore.json --key examples/keys/demo-signing-key.pub
  strata verify bom.sigstore.json bom.cdx.json --ca org-ca.pem --identity release@example.com
  strata verify artifact.sigstore.json artifact.tar.gz \\
      --identity https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0 \\
      --issuer https://token.actions.githubusercontent.com
  strata verify bundle.json sha256:06ce3309... --identity-regexp 'https://github.com/org/.*' \\
      --issuer https://token.actions.githubusercontent.com --format json
  strata verify blob.sigstore.json blob --certificate-identity release@example.com \\
      --certificate-oidc-issuer https://accounts.google.com
  curl -sL https://example.com/fw.bin | strata verify fw.bin.sigstore.json - --key vendor.pub
  strata verify --batch attestations/ --key examples/keys/demo-signing-key.pub
  strata verify --batch bundles.txt --ca org-ca.pem --identity release@example.com --format json
  find out -name '*.sigstore.json' | strata verify --batch - --key signing.pub

A list for --batch:
  # BUNDLE [ARTIFACT]
  attestations/pixel-9-pro/bom.sigstore.json
  release.tar.gz.sigstore.json  release.tar.gz
  firmware.sigstore.json        sha256:06ce3309...",
    mut_arg("now", |a| a.hide(true).help("Verification time instead of now, for key and CA bundles that carry no signed time")))]
pub struct VerifyArgs {
    /// The bundle (`.sigstore.json`).
    #[arg(value_name = "BUNDLE", required_unless_present = "batch")]
    bundle: Option<PathBuf>,
    /// The artifact: a file, `-` for standard input (streamed), or
    /// sha256:<64 hex digits>.
    #[arg(value_name = "ARTIFACT")]
    artifact: Option<String>,
    /// Verify many bundles: a list file (`BUNDLE [ARTIFACT]` a line), `-`
    /// for a list on standard input, or a directory of `*.sigstore.json`.
    /// Repeatable.
    #[arg(long, value_name = "LIST", conflicts_with_all = ["bundle", "artifact"])]
    batch: Vec<PathBuf>,
    /// Output format: a header and one line per check (with --batch: one
    /// line per bundle and the counts), or the report as JSON (with --batch:
    /// an array of reports).
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
    #[command(flatten)]
    now: NowArg,
    #[command(flatten)]
    quiet: QuietArg,
    #[command(flatten)]
    trust: TrustArgs,
}

/// Run `strata verify`.
pub fn run(args: VerifyArgs) -> Result<ExitStatus> {
    let opts = args.trust.spec().options(args.now.timestamp())?;
    let Some(bundle) = &args.bundle else {
        return run_batch(&args, &opts);
    };
    let artifact = match &args.artifact {
        Some(a) => ArtifactInput::parse_arg(a)?,
        None => ArtifactInput::next_to(bundle)?,
    };
    let file = input::read_bundle(bundle)?;
    let report = verify::verify(&file, &artifact, &opts)?;
    let text = match args.format {
        Format::Json => strata::outputs::to_json(&report)?,
        _ => human(report.render_human(), args.quiet),
    };
    output::emit_painted(args.format, text.as_bytes(), paint)?;
    Ok(if report.verified {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// `--batch`: every entry of every list, in parallel, reported in order.
fn run_batch(args: &VerifyArgs, opts: &verify::Options) -> Result<ExitStatus> {
    let entries = batch::read_sources(&args.batch)?;
    let bar = progress_bar(entries.len());
    let outcomes = batch::verify_all(entries, opts, &|| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let text = match args.format {
        Format::Json => strata::outputs::to_json(&batch::json_document(&outcomes))?,
        _ => human(
            batch::render_human(&outcomes, &verify::describe_trust(opts)),
            args.quiet,
        ),
    };
    output::emit_painted(args.format, text.as_bytes(), paint)?;
    Ok(batch::Summary::of(&outcomes).exit_status())
}

/// The human report, or its verdict line with -q.
fn human(text: String, quiet: QuietArg) -> String {
    if quiet.quiet {
        args::verdict_line(&text)
    } else {
        text
    }
}

/// Verdicts coloured when stdout is a terminal (applied after escaping).
fn paint(text: &str) -> String {
    Painter::stdout().line_prefixes(text, VERDICT_PREFIXES)
}

/// A bundle counter on stderr, only when it is a terminal.
fn progress_bar(total: usize) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr_with_hz(8));
    let style = ProgressStyle::with_template(
        "verify [{bar:30}] {human_pos}/{human_len} bundles, {rate}/s, {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}", s.per_sec());
        },
    )
    .progress_chars("=> ");
    bar.set_style(style);
    Some(bar)
}
