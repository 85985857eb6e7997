//! The procurement recommendation: a decision with its reasons, conditions
//! drawn from a library keyed by what the evidence shows, and the triggers
//! that reopen the decision.
//!
//! Decision rules, in order: an active restricted-list match → REJECT; a
//! residual high risk (Art. 36) → ESCALATE, which also blocks a plain
//! approve; any gate finding, DPIA need, concentration flag or an attestation
//! that is not verified → APPROVE WITH CONDITIONS; otherwise APPROVE.

use serde::Serialize;

use super::risks::{Art36, Risk, in_eea};
use crate::analyze::{DeviceAnalysis, FlagCode, Outcome};
use crate::gate::Verdict;
use crate::model::{Answers, Stack};
use crate::report::DeviceReport;

/// A condition attached to the recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionItem {
    /// `C-n`.
    pub id: String,
    /// What must be done.
    pub text: String,
    /// Why (the finding that triggers it).
    pub because: String,
    /// Owner, when the answers name one.
    pub owner: Option<String>,
    /// Due date, when the answers name one.
    pub due: Option<String>,
}

/// The recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// `APPROVE`, `APPROVE WITH CONDITIONS`, `REJECT` or `ESCALATE`.
    pub decision: &'static str,
    /// Why, most important first.
    pub reasons: Vec<String>,
    /// Conditions (library, then the answers').
    pub conditions: Vec<ConditionItem>,
    /// What reopens the decision.
    pub review_triggers: Vec<String>,
}

/// Decide for one device.
pub fn recommend(
    stack: &Stack,
    device: &DeviceAnalysis,
    report: &DeviceReport,
    risks: &[Risk],
    art36: &Art36,
    answers: &Answers,
) -> Recommendation {
    let mut reasons = Vec::new();
    let mut lib: Vec<(String, String)> = Vec::new();
    let restricted = !device.screening.active.is_empty();
    for h in &device.screening.active {
        reasons.push(format!(
            "Restricted-list match: {}, {}",
            h.hit.summary, h.located
        ));
    }
    if art36.status == "REQUIRED" {
        reasons.push(format!(
            "Art. 36 prior consultation required: {}",
            art36.reason
        ));
    }
    if report.attestation.status != "signed (verified)" {
        reasons.push(format!("The attestation is {}.", report.attestation.status));
        lib.push((
            "Obtain a signed attestation of the exact build and model version, and verify it before deployment.".into(),
            format!("attestation {}", report.attestation.status),
        ));
    }
    let deny: Vec<&str> = report
        .gate
        .iter()
        .filter(|c| c.verdict == Verdict::Deny)
        .map(|c| c.rule.code())
        .collect();
    if !deny.is_empty() {
        reasons.push(format!(
            "The policy gate denies the device ({}).",
            deny.join(", ")
        ));
    }
    for f in &device.flags {
        reasons.push(f.message.clone());
    }
    match device.dpia.outcome {
        Outcome::Required if report.dpia_recorded.is_none() => {
            reasons.push("A DPIA is required (GDPR Art. 35) and none is on record.".into());
            lib.push((
                "Complete and approve the DPIA before deployment (Art. 35); consult the works council (Art. 35(9)).".into(),
                "DPIA required, none on record".into(),
            ));
        }
        Outcome::Required => reasons.push(format!(
            "A DPIA is required; on record: {}.",
            report.dpia_recorded.as_deref().unwrap_or_default()
        )),
        Outcome::Recommended => reasons.push(
            "A DPIA is recommended (one WP248 criterion is met); record the reasoning either way."
                .into(),
        ),
        Outcome::NotRequiredDocumented => {}
    }
    let agent = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    if let (Some(a), Some(_)) = (agent, device.flag(FlagCode::PrivilegedAgent)) {
        lib.push((
            format!(
                "Disable or restrict agent `{}` via MDM; deny its permissions for messages, calls, calendar, contacts and location{}.",
                a.name,
                if a.can_disable == Some(false) { " (the vendor says it cannot be disabled: verify what MDM can enforce)" } else { "" }
            ),
            "privileged embedded agent".into(),
        ));
    }
    let third: Vec<String> = device
        .dpia
        .transfers
        .iter()
        .filter(|t| !in_eea(&t.region))
        .map(super::risks::transfer_label)
        .collect();
    if !third.is_empty() {
        reasons.push(format!(
            "Personal data leaves the EEA: {}.",
            third.join(", ")
        ));
    }
    if !third.is_empty() {
        lib.push((
            format!(
                "Block the vendor's AI and telemetry endpoints ({}) or obtain EEA data residency with no remote access from non-adequate countries; SCCs and a transfer impact assessment for what remains.",
                third.join(", ")
            ),
            "data leaves the EEA".into(),
        ));
    }
    if device.flag(FlagCode::DataPathSingleVendor).is_some()
        || device.flag(FlagCode::FullVertical).is_some()
    {
        lib.push((
            "Contractual notice of ownership change, of designation on any list, of OTA changes and of AI-model version changes; pin the model version.".into(),
            "one vendor group controls the data path".into(),
        ));
        lib.push((
            "Fleet diversity cap: no vendor group above 50 % of the fleet at any layer (see the fleet HHI in the annex).".into(),
            "vertical concentration".into(),
        ));
    }
    if device.deployment.as_deref() == Some("byod") {
        lib.push((
            "Work profile only on personally owned devices; no corporate data outside it.".into(),
            "BYOD deployment".into(),
        ));
    }
    if stack.layers.vehicle.is_some() {
        lib.push((
            "Exit plan and return of vehicle data (EU Data Act); telematics sharing off until the DPIA is approved.".into(),
            "connected vehicle".into(),
        ));
    }
    let residual_high = risks.iter().any(|r| r.residual_level == Some("high"));
    let decision = if restricted {
        "REJECT"
    } else if art36.status == "REQUIRED" || residual_high {
        "ESCALATE"
    } else if !reasons.is_empty() || !lib.is_empty() {
        "APPROVE WITH CONDITIONS"
    } else {
        "APPROVE"
    };
    if reasons.is_empty() {
        reasons.push("No finding: verified attestation, no restricted party, no concentration flag, no DPIA need.".into());
    }
    let mut conditions: Vec<ConditionItem> = lib
        .into_iter()
        .map(|(text, because)| ConditionItem {
            id: String::new(),
            text,
            because,
            owner: None,
            due: None,
        })
        .collect();
    conditions.extend(answers.conditions.iter().map(|c| ConditionItem {
        id: String::new(),
        text: c.text.clone(),
        because: "added by the assessors".into(),
        owner: c.owner.clone(),
        due: c.due.map(|d| d.to_string()),
    }));
    for (i, c) in conditions.iter_mut().enumerate() {
        c.id = format!("C-{}", i + 1);
    }
    let mut triggers = vec![
        "A new snapshot of any restricted list screened (the US 1260H list is updated at least annually).".to_string(),
        "An OS, firmware or AI-model version change (OTA), or a new agent permission or data destination.".to_string(),
        "A change of ownership or control of a vendor group in the stack.".to_string(),
    ];
    for c in &report.gate {
        if let Some(ex) = &c.exception {
            triggers.push(format!(
                "Expiry of the policy exception for `{}` on {}.",
                c.rule, ex.expires
            ));
        }
    }
    Recommendation {
        decision,
        reasons,
        conditions,
        review_triggers: triggers,
    }
}
