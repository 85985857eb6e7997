//! `report`: the procurement officer's overview of a fleet.
//!
//! One page per fleet: each device with its attestation status,
//! concentration, restricted-list screening, DPIA need and gate verdict;
//! then the fleet-wide concentration, the list snapshots screened against,
//! and the gate summary. It is assembled from [`crate::analyze`] and
//! [`crate::gate`] (when the fleet has a policy) and rendered as plain text,
//! Markdown, a self-contained HTML page or JSON. Nothing here computes a figure of its own.

mod html;
mod render;
pub mod seen;

use std::path::Path;

use serde::Serialize;

use serde_json::Value;

use crate::analyze::observed::Observed;
use crate::analyze::{self, AnalyzeOptions, FleetAnalysis};
use crate::check::Status;
use crate::clock::{Date, Time, Timestamp};
use crate::decision::{self, Decision, EvidenceCheck, Inputs};
use crate::diag::Result;
use crate::digest::Digest;
use crate::fleet::Fleet;
use crate::gate::{self, GateOptions, GateReport, Verdict};
use crate::history::declarations::Declared;
use crate::layout;
use crate::model::{self, Answers, ApprovedDevices, FileKind, Review, Stack};
use crate::policy::RuleCode;
use crate::validate;

pub use html::{GroupColours, PALETTE, html};
pub use render::{declarations_status, markdown, summary_text, text};

/// What is known about a device's attestation file.
#[derive(Debug, Clone, Serialize)]
pub struct AttestationStatus {
    /// The path as written in the approved-device list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `missing`, `invalid`, `unsigned`, `signed (not verified)` (no trust
    /// material in the policy), `signed (verified)` or `signature INVALID`.
    pub status: &'static str,
    /// SHA-256 of the attestation file, when it exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// One device's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceReport {
    /// Device id.
    pub id: String,
    /// Attestation status.
    pub attestation: AttestationStatus,
    /// The DPIA reference recorded in the approved-device list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpia_recorded: Option<String>,
    /// Gate findings for the device (warn, deny, excepted).
    pub gate: Vec<gate::Check>,
    /// Reviews of the current attestation digest (`attestations/reviews.yaml`),
    /// in file order.
    pub reviews: Vec<Review>,
    /// The attestation's evidence items and their verification.
    pub evidence: Vec<EvidenceCheck>,
    /// The decision on the device ([`crate::decision`]; in `strata report`
    /// without answers, in a memo with the memo's answers).
    pub decision: Decision,
    /// Why.
    pub reason: String,
    /// The device's declarations document (`strata attest`), cited as
    /// evidence; absent when there is none beside the attestation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declarations: Option<DeclarationsCitation>,
}

/// A device's declarations document (CycloneDX 1.6 CDXA) as the report
/// cites it: where, which bytes, and what its claims' conformance says.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationsCitation {
    /// The path, relative to the approved-device list as the attestation's.
    pub path: String,
    /// `sha256:<hex>` of the file.
    pub sha256: String,
    /// Whether it is bound to the attestation the report reads (its BOM
    /// link carries that file's SHA-256); false when it names another
    /// version of the attestation or none.
    pub current: bool,
    /// What it says, or why it does not read.
    #[serde(flatten)]
    pub read: DeclarationsRead,
}

/// A declarations document's content in the report, or why it is missing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclarationsRead {
    /// Read.
    Declared(Box<Declared>),
    /// Not a declarations document: why.
    Unreadable(String),
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The date the report was made for (exception expiry).
    pub date: String,
    /// Per device, in analysis order.
    pub devices: Vec<DeviceReport>,
    /// The analysis.
    pub analysis: FleetAnalysis,
    /// The gate run, when the fleet has a policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateSummary>,
    /// What this report does not cover.
    pub limitations: Vec<&'static str>,
    /// What the policy's inventories see in use that nobody approved (only
    /// when the policy names inventories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_not_approved: Option<crate::inventory::SeenNotApproved>,
    /// The observed counts the analysis used (`--counts observed`), for a
    /// second run of the same analysis (the memo's workings).
    #[serde(skip)]
    pub observed: Option<Observed>,
    /// The fleet's regulatory calendar, for the memos' dated rules.
    #[serde(skip)]
    pub calendar: Option<crate::model::Calendar>,
    /// The lists the organisation expects screened (designations.yaml
    /// `expected`), for the procurement memo.
    #[serde(skip)]
    pub expected_lists: Vec<crate::model::ExpectedList>,
}

/// How to make a report beyond its date.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// Weigh devices by the devices the policy's inventories see in use
    /// (an error, `no-inventories`, when the policy names none).
    pub observed: bool,
    /// The time inventory records are judged stale against.
    pub as_of: Time,
}

/// The gate's verdict in the report.
#[derive(Debug, Clone, Serialize)]
pub struct GateSummary {
    /// `pass` or `fail`.
    pub result: Status,
    /// The policy file.
    pub policy: String,
    /// Totals.
    pub summary: gate::Summary,
    /// Notes (expired or unused exceptions).
    pub notes: Vec<crate::diag::Diagnostic>,
}

/// What the report cannot yet say; printed with every report so no reader
/// mistakes an absent check for a passed one.
pub const LIMITATIONS: &[&str] = &[
    "Signatures are verified only when the policy's `unsigned-attestation` rule names trust material (key, CA or identity); otherwise a bundle is reported as present, not verified.",
    "Decisions here use no answers file: risks carry strata's proposed scores and the Art. 36 status stays undetermined until a memo's answers assess the residual risk.",
];

/// Build the report for the fleet at `root` as of `date` (exception and
/// review expiry), verifying signatures at `now`, on declared counts.
pub fn report(root: &Path, date: Date, now: Timestamp) -> Result<Report> {
    report_with(
        root,
        date,
        now,
        &ReportOptions {
            observed: false,
            as_of: Time::from_timestamp(now),
        },
    )
}

/// [`report`] with options: observed counts.
pub fn report_with(
    root: &Path,
    date: Date,
    now: Timestamp,
    opts: &ReportOptions,
) -> Result<Report> {
    let fleet = Fleet::open(root)?;
    let policy = layout::policy(&fleet.root);
    let list_path = layout::approved_devices(&fleet.root);
    let (analysis, mut gate_report): (FleetAnalysis, Option<GateReport>) =
        if policy.is_file() && list_path.is_file() {
            let g = gate::gate(
                &fleet.root,
                &GateOptions {
                    policy: None,
                    devices: None,
                    today: date,
                    now,
                    as_of: opts.as_of,
                },
            )?;
            (g.analysis.clone(), Some(g))
        } else {
            (analyze::analyze(&fleet, &AnalyzeOptions::default())?, None)
        };
    // The policy's inventories, reconciled once for the observed counts
    // and the "seen but not approved" section: the gate's reconciliation
    // when its inventory rules ran (same list, restricted lists and time).
    let designations = model::load_designations_of(&fleet.root)?;
    let calendar = model::load_calendar_of(&fleet.root)?;
    let inventories = match gate_report.as_mut().and_then(|g| g.inventories.take()) {
        Some(inv) => Some(inv),
        None => crate::inventory::for_fleet(
            &fleet,
            None,
            designations.as_ref().map(|d| &d.value),
            opts.as_of,
        )?,
    };
    let observed = match (&inventories, opts.observed) {
        (Some(inv), true) => Some(inv.observed(&fleet.root)),
        (None, true) => return Err(crate::inventory::no_inventories(&fleet)),
        (_, false) => None,
    };
    let seen_not_approved = inventories
        .as_ref()
        .map(|inv| inv.seen_not_approved(&fleet, designations.is_some()));
    let analysis = match &observed {
        Some(o) => analyze::analyze(
            &fleet,
            &AnalyzeOptions {
                observed: Some(o.clone()),
                ..AnalyzeOptions::default()
            },
        )?,
        None => analysis,
    };
    let list: Option<ApprovedDevices> = if list_path.is_file() {
        Some(model::load::<ApprovedDevices>(&list_path, FileKind::ApprovedDevices)?.value)
    } else {
        None
    };
    let list_dir = list_path.parent().unwrap_or(Path::new("."));
    let no_answers = Answers {
        version: 1,
        ..Answers::default()
    };
    let mut devices = Vec::new();
    let mut reviews_reader = crate::review::Reviews::new();
    for d in &analysis.devices {
        let entry = list
            .as_ref()
            .and_then(|l| l.devices.iter().find(|e| e.id == d.id));
        let mut attestation =
            attestation_status(list_dir, entry.and_then(|e| e.attestation.as_deref()));
        // The gate verified the bundle when its `unsigned-attestation`
        // rule ran with trust material.
        if attestation.status == "signed (not verified)" {
            let check = gate_report.as_ref().and_then(|g| {
                g.checks
                    .iter()
                    .find(|c| c.device == d.id && c.rule == RuleCode::UnsignedAttestation)
            });
            attestation.status = match check.map(|c| c.verdict) {
                Some(Verdict::Pass) => "signed (verified)",
                Some(_) => "signature INVALID",
                None => attestation.status,
            };
        }
        let gate: Vec<gate::Check> = gate_report
            .as_ref()
            .map(|g| {
                g.checks
                    .iter()
                    .filter(|c| c.device == d.id && c.verdict != Verdict::Pass)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let (reviews, evidence) = match &attestation.path {
            Some(rel) => (
                current_reviews(
                    &mut reviews_reader,
                    &d.id,
                    &list_dir.join(rel),
                    attestation.sha256.as_deref(),
                )?,
                evidence_checks(&list_dir.join(rel)),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let stack = model::load::<Stack>(&fleet.root.join(&d.stack), FileKind::Stack)?.value;
        let dpia_recorded = entry.and_then(|e| e.dpia.clone());
        let declarations = entry
            .and_then(|e| e.attestation.as_deref())
            .and_then(|rel| cite_declarations(list_dir, rel, attestation.sha256.as_deref()));
        let assessed = decision::assess(&Inputs {
            stack: &stack,
            device: d,
            answers: &no_answers,
            attestation: attestation.status,
            evidence: &evidence,
            reviews: &reviews,
            gate: &gate,
            dpia_recorded: dpia_recorded.as_deref(),
            fleet: Some(&analysis.fleet),
            calendar: calendar.as_ref().map(|c| &c.value),
            today: date,
        });
        devices.push(DeviceReport {
            id: d.id.clone(),
            declarations,
            attestation,
            dpia_recorded,
            gate,
            reviews,
            evidence,
            decision: assessed.recommendation.decision,
            reason: assessed.recommendation.reason,
        });
    }
    Ok(Report {
        date: date.to_string(),
        devices,
        gate: gate_report.map(|g| GateSummary {
            result: g.result,
            policy: g.policy,
            summary: g.summary,
            notes: g.notes,
        }),
        analysis,
        limitations: LIMITATIONS.to_vec(),
        seen_not_approved,
        observed,
        calendar: calendar.map(|c| c.value),
        expected_lists: designations.map(|d| d.value.expected).unwrap_or_default(),
    })
}

/// Reviews of the attestation at `path` whose digest is `sha256` (hex), in
/// file order. A reviews file that exists but does not load is an error, as
/// it is for the gate.
fn current_reviews(
    reader: &mut crate::review::Reviews,
    device: &str,
    path: &Path,
    sha256: Option<&str>,
) -> Result<Vec<Review>> {
    let Some(digest) =
        sha256.and_then(|h| Digest::parse(&format!("{}{h}", crate::digest::PREFIX)).ok())
    else {
        return Ok(Vec::new());
    };
    Ok(reader
        .of(path, device)?
        .into_iter()
        .filter(|r| r.digest == digest)
        .collect())
}

/// The evidence components (`strata:evidence:*`) of the attestation BOM at
/// `path`; none when it does not read as JSON (its status says so).
pub fn evidence_checks(path: &Path) -> Vec<EvidenceCheck> {
    let Some(bom) = crate::fsutil::read_bounded(path, crate::validate::MAX_BOM_BYTES)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for layer in bom["components"].as_array().into_iter().flatten() {
        let layer_name = layer["bom-ref"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches("layer:")
            .to_string();
        for c in layer["components"].as_array().into_iter().flatten() {
            let Some(hash) = c["hashes"][0]["content"].as_str() else {
                continue;
            };
            let prop = |name: &str| {
                c["properties"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| p["name"] == name)
                    .and_then(|p| p["value"].as_str())
            };
            out.push(EvidenceCheck {
                layer: layer_name.clone(),
                name: c["name"].as_str().unwrap_or_default().to_string(),
                kind: prop("strata:evidence:kind").unwrap_or("file").to_string(),
                sha256: hash.to_string(),
                verification: prop("strata:evidence:verification").map(str::to_string),
            });
        }
    }
    out
}

fn attestation_status(list_dir: &Path, rel: Option<&str>) -> AttestationStatus {
    let Some(rel) = rel else {
        return AttestationStatus {
            path: None,
            status: "missing",
            sha256: None,
        };
    };
    let path = list_dir.join(rel);
    let sha256 = crate::hashing::hash_file(&path, crate::fsutil::Scope::Given)
        .ok()
        .map(|(_, d)| hex::encode(d));
    let status = if sha256.is_none() {
        "missing"
    } else if !validate::validate_file(
        &path,
        &validate::Options {
            cyclonedx_json_only: true,
            ..validate::Options::default()
        },
    )
    .is_ok_and(|r| r.is_valid(false))
    {
        "invalid"
    } else if layout::bundle_path(&path).is_file() {
        "signed (not verified)"
    } else {
        "unsigned"
    };
    AttestationStatus {
        path: Some(rel.to_string()),
        status,
        sha256,
    }
}

/// The declarations document beside the attestation `rel` (relative to
/// `list_dir`) whose SHA-256 is `bom_hex`, if there is one.
fn cite_declarations(
    list_dir: &Path,
    rel: &str,
    bom_hex: Option<&str>,
) -> Option<DeclarationsCitation> {
    let rel = Path::new(rel).with_file_name(layout::DECLARATIONS_FILE);
    let path = list_dir.join(&rel);
    if !path.exists() {
        return None;
    }
    let (sha256, read) = match crate::fsutil::read_limited(
        &path,
        crate::fsutil::Scope::Given,
        validate::MAX_BOM_BYTES,
    ) {
        Ok(bytes) => (
            crate::digest::Digest::of(&bytes).to_string(),
            match Declared::read(&bytes) {
                Ok(d) => DeclarationsRead::Declared(Box::new(d)),
                Err(e) => DeclarationsRead::Unreadable(e),
            },
        ),
        Err(e) => (String::new(), DeclarationsRead::Unreadable(e.to_string())),
    };
    let current = match (&read, bom_hex) {
        (DeclarationsRead::Declared(d), Some(hex)) => {
            d.bom.as_deref().and_then(|b| b.strip_prefix("sha256:")) == Some(hex)
        }
        _ => false,
    };
    Some(DeclarationsCitation {
        path: rel.to_string_lossy().replace('\\', "/"),
        sha256,
        current,
        read,
    })
}
