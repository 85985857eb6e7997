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

use std::path::Path;

use serde::Serialize;

use crate::analyze::{self, AnalyzeOptions, FleetAnalysis};
use crate::check::Status;
use crate::clock::{Date, Timestamp};
use crate::diag::Result;
use crate::fleet::Fleet;
use crate::gate::{self, GateOptions, GateReport, Verdict};
use crate::history::declarations::Declared;
use crate::layout;
use crate::model::{self, ApprovedDevices, FileKind};
use crate::policy::RuleCode;
use crate::validate;

pub use html::{GroupColours, html};
pub use render::{markdown, summary_text, text};

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
    "Reviews are read only through the policy's `stale-review` rule (approvals bound to the digest of the current attestation); a policy without it does not check them.",
];

/// Build the report for the fleet at `root` as of `date` (exception and
/// review expiry), verifying signatures at `now`.
pub fn report(root: &Path, date: Date, now: Timestamp) -> Result<Report> {
    let fleet = Fleet::open(root)?;
    let policy = layout::policy(&fleet.root);
    let list_path = layout::approved_devices(&fleet.root);
    let (analysis, gate_report): (FleetAnalysis, Option<GateReport>) =
        if policy.is_file() && list_path.is_file() {
            let g = gate::gate(
                &fleet.root,
                &GateOptions {
                    policy: None,
                    devices: None,
                    today: date,
                    now,
                },
            )?;
            (g.analysis.clone(), Some(g))
        } else {
            (analyze::analyze(&fleet, &AnalyzeOptions::default())?, None)
        };
    let list: Option<ApprovedDevices> = if list_path.is_file() {
        Some(model::load::<ApprovedDevices>(&list_path, FileKind::ApprovedDevices)?.value)
    } else {
        None
    };
    let list_dir = list_path.parent().unwrap_or(Path::new("."));
    let devices = analysis
        .devices
        .iter()
        .map(|d| {
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
            let declarations = entry
                .and_then(|e| e.attestation.as_deref())
                .and_then(|rel| cite_declarations(list_dir, rel, attestation.sha256.as_deref()));
            DeviceReport {
                id: d.id.clone(),
                declarations,
                attestation,
                dpia_recorded: entry.and_then(|e| e.dpia.clone()),
                gate: gate_report
                    .as_ref()
                    .map(|g| {
                        g.checks
                            .iter()
                            .filter(|c| c.device == d.id && c.verdict != Verdict::Pass)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
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
    })
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
