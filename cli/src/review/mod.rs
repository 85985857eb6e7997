//! `review`: approvals and rejections bound to the exact bytes of an
//! attestation, kept in `reviews.yaml` beside the attestation
//! (`attestations/<device>/reviews.yaml`), the way cargo-vet binds audits to
//! crate versions. Entries of the earlier layout, one shared
//! `attestations/reviews.yaml`, are read with the device's own ([`Reviews`])
//! until [`migrate`] moves them.
//!
//! An entry names the device, the `sha256:` digest of its attestation file,
//! the verdict, the criteria of `policy.yaml` it covers, the reviewer, the
//! time, and optionally an expiry date and a note. Changing a single byte of
//! the attestation makes earlier approvals stale: the gate's `stale-review`
//! rule (see [`status`]) then fails until someone reviews the new digest,
//! and `strata diff` shows them what changed since the last approved one.
//!
//! Recording is two steps so the binary can show what is being certified
//! before anything is written: [`prepare`] resolves the device, checks the
//! criteria and the attestation (CycloneDX validity, the device it
//! describes, and its Sigstore bundle with `strata verify`'s checks against
//! the trust given or the policy's, see [`signature`]) and builds the entry; [`commit`] appends it
//! under a lock (see [`store`]) and rewrites the file canonically and
//! atomically. Nothing is written when any step fails.

pub mod merge;
pub mod migrate;
pub mod signature;
pub mod status;
pub mod store;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::{Check, Status};
use crate::clock::{Date, Time};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::Digest;
use crate::layout;
use crate::model::{self, ApprovedDevices, FileKind, Loaded, Review, Verdict};
use crate::policy::Policy;
use crate::validate;

pub use migrate::{Migration, migrate};
pub use status::{CriterionState, ReviewStatus, status};
pub use store::{LOCK_TIMEOUT, commit};

/// Load a reviews file; `None` when it does not exist yet. A file that
/// exists but is not a valid reviews file (an impossible date included) is
/// an error for every command that reads it.
pub fn load_reviews(path: &Path) -> Result<Option<Loaded<model::Reviews>>> {
    if !path.exists() {
        return Ok(None);
    }
    model::load(path, FileKind::Reviews).map(Some)
}

/// Reads devices' reviews: the entries of each device's own reviews file
/// ([`layout::reviews_path_for`]) after its entries in the shared file of
/// the earlier layout ([`layout::legacy_reviews_path_for`]), which is read
/// once however many devices it serves.
#[derive(Debug, Default)]
pub struct Reviews {
    legacy: std::collections::HashMap<PathBuf, ByDevice>,
}

/// Review entries grouped by device id, each group in file order.
pub type ByDevice = std::collections::HashMap<String, Vec<Review>>;

/// Group `reviews` by device, keeping their order within each device.
/// [`status`] only looks at the device's own entries, in order, so it gives
/// the same answer on a device's group as on the whole file.
pub fn by_device(reviews: Vec<Review>) -> ByDevice {
    let mut out = ByDevice::new();
    for r in reviews {
        out.entry(r.device.clone()).or_default().push(r);
    }
    out
}

impl Reviews {
    /// A reader with nothing read yet.
    pub fn new() -> Reviews {
        Reviews::default()
    }

    /// The reviews of `device`, whose attestation is at `attestation`, in
    /// file order (shared file first: its entries are the older ones). A
    /// file that exists but does not load is an error.
    pub fn of(&mut self, attestation: &Path, device: &str) -> Result<Vec<Review>> {
        let legacy = layout::legacy_reviews_path_for(attestation);
        if !self.legacy.contains_key(&legacy) {
            let all = load_reviews(&legacy)?
                .map(|l| l.value.reviews)
                .unwrap_or_default();
            self.legacy.insert(legacy.clone(), by_device(all));
        }
        let mut out = self
            .legacy
            .get(&legacy)
            .and_then(|g| g.get(device))
            .cloned()
            .unwrap_or_default();
        out.extend(
            load_reviews(&layout::reviews_path_for(attestation))?
                .map(|l| l.value.reviews)
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r.device == device),
        );
        Ok(out)
    }
}

/// The reviewer identity git would use for a commit in `start`'s
/// repository: `user.name <user.email>` (repository, global and system
/// configuration), or `None` when neither is set.
pub fn git_identity(start: &Path) -> Option<String> {
    let config = git2::Repository::discover(start)
        .and_then(|r| r.config())
        .or_else(|_| git2::Config::open_default())
        .ok()?;
    let name = config
        .get_string("user.name")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let email = config
        .get_string("user.email")
        .ok()
        .filter(|s| !s.trim().is_empty());
    match (name, email) {
        (Some(n), Some(e)) => Some(format!("{n} <{e}>")),
        (Some(n), None) => Some(n),
        (None, Some(e)) => Some(format!("<{e}>")),
        (None, None) => None,
    }
}

/// What to record.
#[derive(Debug, Clone)]
pub struct Request {
    /// Device id.
    pub device: String,
    /// Approve or reject.
    pub verdict: Verdict,
    /// Criteria ids from the policy (at least one).
    pub criteria: Vec<String>,
    /// Optional note.
    pub note: Option<String>,
    /// `Name <email>`.
    pub reviewer: String,
    /// The time to record.
    pub now: Time,
    /// Last day the verdict counts.
    pub expires: Option<Date>,
    /// The attestation, when not the one the approved-device list names.
    pub attestation: Option<PathBuf>,
    /// The reviews file, when not the one beside the attestations.
    pub reviews: Option<PathBuf>,
    /// The policy; `<fleet>/policy.yaml` when `None`.
    pub policy: Option<PathBuf>,
    /// What the attestation's signature is verified against (required to
    /// approve).
    pub trust: signature::Trust,
}

/// A verdict ready to be written, with everything the reviewer certifies.
#[derive(Debug, Clone, Serialize)]
pub struct Prepared {
    /// The entry to append.
    pub entry: Review,
    /// The attestation reviewed.
    pub attestation: PathBuf,
    /// The reviews file it goes to.
    pub reviews_path: PathBuf,
    /// Each criterion with its description from the policy.
    pub criteria: Vec<(String, String)>,
    /// Checks run on the attestation (`cyclonedx`, `device`, `signature`).
    pub checks: Vec<Check>,
}

impl Prepared {
    /// Why an approval must be refused: the failed checks, if any. A
    /// rejection is always recorded (a broken attestation is a reason to
    /// reject it).
    pub fn refusal(&self) -> Option<String> {
        if self.entry.verdict != Verdict::Approve {
            return None;
        }
        let failed: Vec<String> = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect();
        (!failed.is_empty()).then(|| failed.join("; "))
    }

    /// The certification statement shown before recording.
    pub fn statement(&self) -> String {
        let verb = match self.entry.verdict {
            Verdict::Approve => "certify that it meets",
            Verdict::Reject => "find that it does not meet",
        };
        let mut s = format!(
            "I, {}, have reviewed the attestation of `{}` ({}, {}) and {verb} these criteria:\n",
            self.entry.reviewer,
            self.entry.device,
            self.attestation.display(),
            self.entry.digest.short()
        );
        for (id, desc) in &self.criteria {
            s.push_str(&format!("  - {id}: {desc}\n"));
        }
        s
    }
}

/// Resolve the device and criteria, check the attestation and build the
/// entry. `fleet_root` holds `policy.yaml` and `approved-devices.yaml`.
pub fn prepare(fleet_root: &Path, req: &Request) -> Result<Prepared> {
    let policy_path = req
        .policy
        .clone()
        .unwrap_or_else(|| layout::policy(fleet_root));
    let policy = crate::policy::load(&policy_path)?;
    let criteria = check_criteria(&policy, &req.criteria)?;
    let attestation = crate::fsutil::normalize_lexically(&match &req.attestation {
        Some(p) => p.clone(),
        None => attestation_of(fleet_root, &req.device)?,
    });
    if !attestation.is_file() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::AttestationMissing,
                format!("the attestation of `{}` does not exist", req.device),
            )
            .in_file(&attestation)
            .help("run `strata assemble` (and `strata sign`) first"),
        ));
    }
    if let (Some(exp), now) = (req.expires, req.now.date())
        && exp < now
    {
        return Err(Error::Usage(format!(
            "--expires {exp} is before the review date {now}"
        )));
    }
    let now = req.now.timestamp();
    let verify = match (req.verdict, req.trust.is_empty()) {
        (_, false) => Some(req.trust.options(now)?),
        (Verdict::Approve, true) => Some(signature::from_policy(&policy, now)?),
        (Verdict::Reject, true) => signature::from_policy(&policy, now).ok(),
    };
    let bytes = crate::fsutil::read_bounded(&attestation, validate::MAX_BOM_BYTES)?;
    let digest = Digest::of(&bytes);
    let checks = check_attestation(&attestation, &bytes, &req.device, verify.as_ref())?;
    let reviews_path = req
        .reviews
        .clone()
        .unwrap_or_else(|| layout::reviews_path_for(&attestation));
    let mut ids: Vec<String> = criteria.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    Ok(Prepared {
        entry: Review {
            device: req.device.clone(),
            digest,
            verdict: req.verdict,
            criteria: ids,
            reviewer: req.reviewer.clone(),
            date: req.now,
            expires: req.expires,
            note: req.note.clone().filter(|n| !n.trim().is_empty()),
        },
        attestation,
        reviews_path,
        criteria,
        checks,
    })
}

/// Each requested criterion with its description; unknown ones are errors
/// (all reported at once, with suggestions).
fn check_criteria(policy: &Policy, requested: &[String]) -> Result<Vec<(String, String)>> {
    let known: Vec<&str> = policy.criteria().keys().map(String::as_str).collect();
    if requested.is_empty() {
        return Err(Error::Usage(format!(
            "name at least one criterion with --criteria (defined: {})",
            list_or_none(&known)
        )));
    }
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for c in requested {
        match policy.criteria().get(c) {
            Some(def) => {
                if !out.iter().any(|(id, _): &(String, String)| id == c) {
                    out.push((c.clone(), def.description.clone()));
                }
            }
            None => {
                let mut d = Diagnostic::error(
                    Code::UnknownCriterion,
                    format!("criterion `{c}` is not defined in the policy"),
                )
                .in_file(policy.path())
                .at(policy.file.spans.key("/criteria"));
                d = match model::suggest(c, &known) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "defined criteria: {}; add it under `criteria:` with a description",
                        list_or_none(&known)
                    )),
                };
                diags.push(d);
            }
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    out.sort();
    Ok(out)
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// The attestation path the approved-device list gives for `device`.
pub fn attestation_of(fleet_root: &Path, device: &str) -> Result<PathBuf> {
    let list_path = layout::approved_devices(fleet_root);
    let list: Loaded<ApprovedDevices> = model::load(&list_path, FileKind::ApprovedDevices)?;
    let Some(entry) = list.value.devices.iter().find(|d| d.id == device) else {
        let ids: Vec<&str> = list.value.devices.iter().map(|d| d.id.as_str()).collect();
        let mut d = Diagnostic::error(
            Code::UnknownDevice,
            format!("device `{device}` is not in the approved-device list"),
        )
        .in_file(&list_path);
        d = match model::suggest(device, &ids) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "devices: {}; or name the file with --attestation",
                list_or_none(&ids)
            )),
        };
        return Err(Error::invalid(d));
    };
    let Some(att) = &entry.attestation else {
        let i = list
            .value
            .devices
            .iter()
            .position(|d| d.id == device)
            .unwrap_or(0);
        return Err(Error::invalid(
            list.diag_at(
                Diagnostic::error(
                    Code::AttestationMissing,
                    format!("the approved-device list names no attestation for `{device}`"),
                )
                .help(
                    "add `attestation: ../attestations/<id>/bom.cdx.json`, or pass --attestation",
                ),
                &format!("/devices/{i}"),
            ),
        ));
    };
    let dir = list_path.parent().unwrap_or(Path::new("."));
    Ok(dir.join(att))
}

/// Checks before a verdict: CycloneDX validity, that the BOM describes the
/// device, and that its Sigstore bundle verifies (when trust is given; an
/// approval always gives it).
fn check_attestation(
    path: &Path,
    bytes: &[u8],
    device: &str,
    verify: Option<&crate::sigstore::verify::Options>,
) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    let mut bom_device = None;
    let opts = validate::Options {
        cyclonedx_json_only: true,
        ..validate::Options::default()
    };
    match validate::validate_bytes(path, bytes, &opts) {
        Ok(report) if report.is_valid(false) => {
            checks.push(Check::new(
                "cyclonedx",
                Status::Pass,
                format!(
                    "valid CycloneDX {}",
                    report.spec_version.as_deref().unwrap_or("?")
                ),
            ));
            bom_device = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| crate::history::bom::device_id(&v));
        }
        Ok(report) => {
            let first = report
                .diagnostics
                .iter()
                .find(|d| d.severity == crate::diag::Severity::Error)
                .map(|d| d.message.clone())
                .unwrap_or_default();
            checks.push(Check::new(
                "cyclonedx",
                Status::Fail,
                format!(
                    "not a valid CycloneDX BOM ({} error(s); first: {first})",
                    report.count(crate::diag::Severity::Error)
                ),
            ));
        }
        Err(e) => checks.push(Check::new(
            "cyclonedx",
            Status::Fail,
            format!("not readable as JSON: {}", first_line(&e.to_string())),
        )),
    }
    if checks[0].status == Status::Pass {
        checks.push(match bom_device {
            Some(id) if id == device => {
                Check::new("device", Status::Pass, format!("the BOM describes `{id}`"))
            }
            Some(id) => Check::new(
                "device",
                Status::Fail,
                format!("the BOM describes `{id}`, not `{device}`"),
            ),
            None => Check::new(
                "device",
                Status::Fail,
                "the BOM names no device (`strata:device:id`)",
            ),
        });
    }
    let bundle = layout::bundle_path(path);
    let bundle_name = bundle
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    checks.push(match verify {
        _ if !bundle.is_file() => Check::new(
            "signature",
            Status::Fail,
            format!("no Sigstore bundle ({bundle_name}); sign the attestation with `strata sign`"),
        ),
        None => Check::new(
            "signature",
            Status::NotApplicable,
            format!("{bundle_name} not verified: no --key, --ca or --identity given"),
        ),
        Some(opts) => {
            let (ok, detail) = signature::verify_bundle(&bundle, Digest::of(bytes).bytes(), opts)?;
            Check::new(
                "signature",
                Status::of(ok),
                format!("{bundle_name} {detail}"),
            )
        }
    });
    Ok(checks)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests;
