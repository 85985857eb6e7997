//! The condition library: conditions drawn from what the evidence shows
//! (agent, transfers, concentration, deployment, vehicle), then the
//! assessors' own from the answers file, and the triggers that reopen a
//! decision.

use serde::Serialize;

use super::Inputs;
use super::risks::{in_eea, transfer_label};
use crate::analyze::{DeviceAnalysis, FlagCode, Outcome};

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

/// Data destinations outside the EEA, labelled.
pub fn third_country(device: &DeviceAnalysis) -> Vec<String> {
    device
        .dpia
        .transfers
        .iter()
        .filter(|t| !in_eea(&t.region))
        .map(transfer_label)
        .collect()
}

/// The conditions for one device: the library's, then the answers'.
pub fn conditions(i: &Inputs<'_>) -> Vec<ConditionItem> {
    let (stack, device) = (i.stack, i.device);
    let mut lib: Vec<(String, String)> = Vec::new();
    if i.attestation != "signed (verified)" {
        lib.push((
            "Obtain a signed attestation of the exact build and model version, and verify it before deployment.".into(),
            format!("attestation {}", i.attestation),
        ));
    }
    if device.dpia.outcome == Outcome::Required && i.dpia_recorded.is_none() {
        lib.push((
            "Complete and approve the DPIA before deployment (Art. 35); consult the works council (Art. 35(9)).".into(),
            "DPIA required, none on record".into(),
        ));
    }
    if device.dpia.outcome == Outcome::Recommended && i.dpia_recorded.is_none() {
        lib.push((
            "Record the DPIA decision and its reasoning (one WP248 criterion is met): carry one out, or document why not (Art. 5(2)), and note the reference on the approved-device list.".into(),
            "DPIA recommended, no decision on record".into(),
        ));
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
    let third = third_country(device);
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
    let mut out: Vec<ConditionItem> = lib
        .into_iter()
        .map(|(text, because)| ConditionItem {
            id: String::new(),
            text,
            because,
            owner: None,
            due: None,
        })
        .collect();
    out.extend(i.answers.conditions.iter().map(|c| ConditionItem {
        id: String::new(),
        text: c.text.clone(),
        because: "added by the assessors".into(),
        owner: c.owner.clone(),
        due: c.due.map(|d| d.to_string()),
    }));
    for (n, c) in out.iter_mut().enumerate() {
        c.id = format!("C-{}", n + 1);
    }
    out
}

/// What reopens the decision.
pub fn review_triggers(i: &Inputs<'_>) -> Vec<String> {
    let mut triggers = vec![
        "A new snapshot of any restricted list screened (the US 1260H list is updated at least annually).".to_string(),
        "An OS, firmware or AI-model version change (OTA), or a new agent permission or data destination.".to_string(),
        "A change of ownership or control of a vendor group in the stack.".to_string(),
    ];
    for c in i.gate {
        if let Some(ex) = &c.exception {
            triggers.push(format!(
                "Expiry of the policy exception for `{}` on {}.",
                c.rule, ex.expires
            ));
        }
    }
    triggers
}
