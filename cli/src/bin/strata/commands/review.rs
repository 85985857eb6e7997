//! `strata review approve|reject`: record a verdict on a device's current
//! attestation in `attestations/<device>/reviews.yaml`; `review migrate`
//! moves the entries of the earlier shared `attestations/reviews.yaml`
//! there; `review merge` is the git merge driver for reviews files.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use strata::diag::{Error, ExitStatus, Result};
use strata::model::Verdict;
use strata::review::{self, Prepared, Request};

use crate::args::{FleetArgs, FleetOpt, Format, HUMAN_JSON, NowArg, TrustArgs};
use crate::output;

/// Approve or reject a device's current attestation for policy criteria.
///
/// The verdict is bound to the SHA-256 of the attestation file the
/// approved-device list names, so any later change to the attestation
/// makes it stale (gate rule `stale-review`). Criteria come from
/// policy.yaml's `criteria:`; their descriptions are shown as the statement
/// you certify. The reviewer is `git config user.name <user.email>` unless
/// --who is given.
///
/// Before approving, strata checks that the attestation is valid CycloneDX,
/// describes the device, and that its Sigstore bundle (bom.sigstore.json
/// beside it) verifies with every check of `strata verify`, against the key,
/// CA or identity you name (by default the trust material of the policy's
/// `unsigned-attestation` rule), over the exact bytes whose digest is recorded;
/// it refuses (exit 1) otherwise. A rejection needs no signature. Nothing is
/// written unless every check passes; the file is rewritten canonically and
/// atomically, under a lock, so concurrent reviews are all kept.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata review approve xiaomi-su7 --fleet examples --criteria security-reviewed \\
      --note \"evidence hashes match the release\"   # signature checked with the policy's key
  strata review approve pixel-9-pro --fleet examples --criteria dpo-approved,procurement-approved \\
      --key examples/keys/demo-signing-key.pub --expires 2027-06-30 --who \"DPO <dpo@example.org>\"
  strata review reject xiaomi-15s-pro-cn --fleet examples --criteria security-reviewed \\
      --note \"agent routes voice to a CN cloud\"
  strata gate examples   # stale-review now passes or fails accordingly
  git config merge.strata-reviews.driver \"strata review merge %O %A %B\"")]
pub struct ReviewArgs {
    #[command(subcommand)]
    command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Approve the device's current attestation for the criteria.
    Approve(VerdictArgs),
    /// Reject the device's current attestation for the criteria.
    Reject(VerdictArgs),
    /// Move the entries of the shared attestations/reviews.yaml into each
    /// device's own reviews file.
    ///
    /// Fleets made before strata kept reviews per device hold them all in
    /// one attestations/reviews.yaml. strata still reads it, but its
    /// versions grow with the whole fleet's reviews, which makes `strata
    /// log` slow on a long history. This moves every entry beside its
    /// device's attestation (attestations/<device>/reviews.yaml) and removes
    /// the shared file. Safe to interrupt and to run again; comments in the
    /// shared file are not carried over. Commit the result as one change:
    /// `strata log` and `strata diff` show no review added or removed.
    Migrate(MigrateArgs),
    /// Git merge driver for reviews files: merge entries, not lines.
    ///
    /// Keeps entries added on either side, drops entries removed on either
    /// side, writes the canonical result to OURS. Enable with
    /// `attestations/*/reviews.yaml merge=strata-reviews` in .gitattributes and
    /// `git config merge.strata-reviews.driver "strata review merge %O %A %B"`.
    /// Exit status: 0 merged, 1 a side is not a valid reviews file (git then
    /// reports a conflict), 2 I/O error.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  # once per clone; .gitattributes names the driver for attestations/*/reviews.yaml
  git config merge.strata-reviews.name \"strata reviews\"
  git config merge.strata-reviews.driver \"strata review merge %O %A %B\"")]
#[command(after_long_help = "Examples:
  strata review migrate examples
  strata review migrate --fleet fleet --format json
  git add -A attestations && git commit -m \"reviews: one file per device\"

Exit status: 0 migrated (or nothing to migrate), 2 a reviews file is invalid
or an entry names a device that cannot be a directory name (nothing removed).")]
struct MigrateArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
}

#[derive(Debug, Args)]
struct MergeArgs {
    /// The common ancestor's version (%O).
    #[arg(value_name = "BASE")]
    base: PathBuf,
    /// Our version (%A); the result is written here.
    #[arg(value_name = "OURS")]
    ours: PathBuf,
    /// Their version (%B).
    #[arg(value_name = "THEIRS")]
    theirs: PathBuf,
}

#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata review approve xiaomi-su7 --fleet examples -c security-reviewed --key demo.pub
  strata review approve laptop --fleet examples -c dpo-approved --key demo.pub --expires 2027-06-30
  strata review approve phone -c security-reviewed --ca org-ca.pem --identity release@example.org
  strata review reject pixel-9-pro --fleet examples -c dpo-approved --note \"US cloud\"
  strata review approve phone -c dpo-approved --key demo.pub --who \"CI <ci@example.org>\" --yes
  strata review approve phone -c security-reviewed \\
      --certificate-identity https://github.com/org/fleet/.github/workflows/ci.yml@refs/heads/main \\
      --certificate-oidc-issuer https://token.actions.githubusercontent.com

Exit status: 0 recorded, 1 refused (the attestation failed a check) or not
confirmed, 2 bad input (unknown device or criterion, missing attestation).",
    mut_arg("now", |a| a.help("Record this time instead of now (YYYY-MM-DD for midnight UTC, or RFC 3339); the signature is verified at it too")))]
struct VerdictArgs {
    /// Device id, as in approved-devices.yaml.
    #[arg(value_name = "DEVICE")]
    device: String,
    /// Criteria from policy.yaml, comma-separated or repeated.
    #[arg(
        long,
        short = 'c',
        value_name = "ID",
        value_delimiter = ',',
        required = true
    )]
    criteria: Vec<String>,
    /// What you checked, or why you reject.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Reviewer, e.g. "Ana Lima <ana@example.org>"; git config by default.
    #[arg(long, value_name = "WHO")]
    who: Option<String>,
    /// Last day the verdict counts (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    expires: Option<String>,
    #[command(flatten)]
    now: NowArg,
    #[command(flatten)]
    fleet: FleetOpt,
    /// The attestation to review, instead of the list's.
    #[arg(long, value_name = "FILE")]
    attestation: Option<PathBuf>,
    /// The reviews file; reviews.yaml beside the attestation by default.
    #[arg(long, value_name = "FILE")]
    reviews: Option<PathBuf>,
    /// Do not ask for confirmation on a terminal.
    #[arg(long, short = 'y')]
    yes: bool,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = HUMAN_JSON)]
    format: Format,
    /// The trust the attestation's bundle is verified with; the policy's
    /// `unsigned-attestation` rule's by default.
    #[command(flatten)]
    trust: TrustArgs,
}

/// Run `strata review`.
pub fn run(args: ReviewArgs) -> Result<ExitStatus> {
    match args.command {
        ReviewCommand::Approve(a) => verdict(a, Verdict::Approve),
        ReviewCommand::Reject(a) => verdict(a, Verdict::Reject),
        ReviewCommand::Migrate(a) => migrate(&a),
        ReviewCommand::Merge(a) => merge(&a),
    }
}

fn migrate(a: &MigrateArgs) -> Result<ExitStatus> {
    let fleet = a.fleet.discover()?;
    let m = review::migrate(&fleet.root)?;
    if a.format == Format::Json {
        return print(Format::Json, &strata::outputs::to_json(&m)?).map(|()| ExitStatus::Success);
    }
    if m.removed.is_empty() {
        output::status("no shared reviews file to migrate: reviews are kept per device already");
        return Ok(ExitStatus::Success);
    }
    let mut text = String::new();
    for w in &m.written {
        text.push_str(&format!(
            "{}: {} moved to {}{}\n",
            w.device,
            strata::table::count_as(w.appended as u64, "entry", "entries"),
            w.path.display(),
            if w.present > 0 {
                format!(" ({} there already)", w.present)
            } else {
                String::new()
            }
        ));
    }
    for r in &m.removed {
        text.push_str(&format!("removed {}\n", r.display()));
    }
    print(Format::Human, &text)?;
    Ok(ExitStatus::Success)
}

fn merge(a: &MergeArgs) -> Result<ExitStatus> {
    let read = |p: &Path| strata::fsutil::read_text(p);
    let (base, ours, theirs) = (read(&a.base)?, read(&a.ours)?, read(&a.theirs)?);
    match review::merge::merge3(&base, &ours, &theirs, &a.ours) {
        Ok(text) => {
            strata::fsutil::write_atomic(&a.ours, text.as_bytes())?;
            Ok(ExitStatus::Success)
        }
        Err(Error::Invalid(diags)) => {
            output::report_diagnostics(&diags);
            output::status("strata review merge: cannot merge; resolve reviews.yaml by hand");
            Ok(ExitStatus::Failure)
        }
        Err(e) => Err(e),
    }
}

fn verdict(a: VerdictArgs, verdict: Verdict) -> Result<ExitStatus> {
    let now = a.now.time();
    let expires = a
        .expires
        .as_deref()
        .map(|t| {
            strata::clock::Date::parse(t)
                .map_err(|_| Error::Usage(format!("--expires `{t}` is not a date (YYYY-MM-DD)")))
        })
        .transpose()?;
    let fleet = a.fleet.discover()?;
    let reviewer = match &a.who {
        Some(w) if !w.trim().is_empty() => w.trim().to_string(),
        Some(_) => return Err(Error::Usage("--who is empty".into())),
        None => review::git_identity(&fleet.root).ok_or_else(|| {
            Error::Usage(
                "no reviewer identity: set `git config user.name` and `user.email`, or pass --who"
                    .into(),
            )
        })?,
    };
    let prepared = review::prepare(
        &fleet.root,
        &Request {
            device: a.device.clone(),
            verdict,
            criteria: a.criteria.clone(),
            note: a.note.clone(),
            reviewer,
            now,
            expires,
            attestation: a.attestation.clone(),
            reviews: a.reviews.clone(),
            policy: None,
            trust: a.trust.spec(),
        },
    )?;
    let refusal = prepared.refusal();
    let human_form = a.format != Format::Json;
    if human_form {
        print(Format::Human, &human(&prepared))?;
    }
    if let Some(why) = &refusal {
        if human_form {
            output::status(&format!(
                "refused: the attestation does not pass the checks ({why}); nothing was written"
            ));
        } else {
            print(Format::Json, &json(&prepared, false, refusal.as_deref())?)?;
        }
        return Ok(ExitStatus::Failure);
    }
    if human_form && !a.yes && std::io::stdin().is_terminal() && !confirm()? {
        output::status("not recorded");
        return Ok(ExitStatus::Failure);
    }
    review::commit(&prepared.reviews_path, &prepared.entry)?;
    if human_form {
        output::status(&format!(
            "recorded {} of {} in {}",
            prepared.entry.verdict.as_str(),
            prepared.entry.device,
            prepared.reviews_path.display()
        ));
    } else {
        print(Format::Json, &json(&prepared, true, None)?)?;
    }
    let legacy = strata::layout::legacy_reviews_path_for(&prepared.attestation);
    if human_form && a.reviews.is_none() && legacy.is_file() {
        output::status(&format!(
            "note: {} still holds reviews in the earlier shared layout; \
             `strata review migrate` moves them beside each attestation",
            legacy.display()
        ));
    }
    Ok(ExitStatus::Success)
}

fn human(p: &Prepared) -> String {
    let mut s = format!("Checks of {}:\n", p.attestation.display());
    for c in &p.checks {
        s.push_str(&format!(
            "  {:<9} {:<7} {}\n",
            c.name,
            c.status.name(),
            c.detail
        ));
    }
    if p.refusal().is_some() {
        return s;
    }
    s.push_str(&p.statement());
    if let Some(e) = &p.entry.expires {
        s.push_str(&format!("Valid until {e} (inclusive).\n"));
    }
    if let Some(n) = &p.entry.note {
        s.push_str(&format!("Note: {n}\n"));
    }
    s
}

fn json(p: &Prepared, recorded: bool, refused: Option<&str>) -> Result<String> {
    let v = serde_json::json!({
        "recorded": recorded,
        "refused": refused,
        "reviews": p.reviews_path,
        "attestation": p.attestation,
        "entry": p.entry,
        "criteria": p.criteria.iter().map(|(id, d)| serde_json::json!({"id": id, "description": d})).collect::<Vec<_>>(),
        "checks": p.checks,
    });
    strata::outputs::to_json(&v)
}

fn print(format: Format, text: &str) -> Result<()> {
    output::emit(format, text.as_bytes())
}

fn confirm() -> Result<bool> {
    let mut err = std::io::stderr();
    let _ = write!(err, "Record this? [y/N] ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io(Path::new("<stdin>"), e))?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
