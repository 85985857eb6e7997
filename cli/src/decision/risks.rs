//! The DPIA risk register: risks strata proposes from the stack, scored on
//! the CNIL 4-level severity and likelihood scales, merged with the
//! assessors' answers, and the Art. 36 prior-consultation trigger.
//!
//! Proposed scores are a starting point printed as such; the answers file
//! confirms or changes them (`risks: {R-5: {severity: 3, ...}}`). Risk ids
//! are fixed per risk type, so answers keep pointing at the same risk when
//! the stack changes.

use serde::Serialize;

use crate::analyze::{DeviceAnalysis, FlagCode};
use crate::model::{Answers, Assessment, Stack};

use super::measures::{self, MeasureItem};

/// Scale words for levels 1–4 (CNIL PIA).
pub const SCALE: [&str; 4] = ["Negligible", "Limited", "Significant", "Maximum"];

/// The three-level rating from severity × likelihood (a strata convention,
/// not a CNIL rule): high if S ≥ 3 and L ≥ 3, or S = 4 and L ≥ 2; medium if
/// S + L ≥ 5; else low.
pub fn level(severity: u8, likelihood: u8) -> &'static str {
    if (severity >= 3 && likelihood >= 3) || (severity == 4 && likelihood >= 2) {
        "high"
    } else if severity + likelihood >= 5 {
        "medium"
    } else {
        "low"
    }
}

/// One risk of the register.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// Stable id (`R-1` …; `X-n` for risks the assessors added).
    pub id: String,
    /// Short title.
    pub title: String,
    /// What could happen and why this stack makes it plausible.
    pub description: String,
    /// `strata` (proposed from the stack) or `answers` (set by assessors).
    pub scored_by: &'static str,
    /// Severity 1–4.
    pub severity: u8,
    /// Why this severity, in one line (strata's from the stack, or the
    /// answers'); null when the assessors set the score without one.
    pub severity_reason: Option<String>,
    /// Likelihood 1–4.
    pub likelihood: u8,
    /// Why this likelihood, in one line; null when not stated.
    pub likelihood_reason: Option<String>,
    /// high, medium or low.
    pub level: &'static str,
    /// The measures that treat this risk (the register's entries naming it
    /// in `treats`, and the plain sentences under the risk).
    pub measures: Vec<MeasureItem>,
    /// Residual severity, when assessed.
    pub residual_severity: Option<u8>,
    /// Residual likelihood, when assessed.
    pub residual_likelihood: Option<u8>,
    /// Residual level, when assessed.
    pub residual_level: Option<&'static str>,
    /// `answers` (declared) or `computed` (from the measures' effects);
    /// null when not assessed.
    pub residual_by: Option<&'static str>,
    /// Why the residual score, in one line; null when not stated.
    pub residual_reason: Option<String>,
    /// What the residual score rests on when a reader should know (planned
    /// measures only, or measures whose status is not stated).
    pub residual_note: Option<String>,
    /// A contradiction in the register to resolve before sign-off (a
    /// residual score below the inherent one while no measure treats it).
    pub residual_open: Option<String>,
    /// Who accepted the residual risk.
    pub accepted_by: Option<String>,
}

/// Art. 36 prior consultation.
#[derive(Debug, Clone, Serialize)]
pub struct Art36 {
    /// `REQUIRED`, `NOT_REQUIRED` or `NOT_DETERMINED` (residual risk not
    /// assessed for every risk).
    pub status: &'static str,
    /// Why.
    pub reason: String,
}

pub use crate::analyze::dpia::in_eea;

/// `destination of operator (region)`.
pub fn transfer_label(t: &crate::analyze::Transfer) -> String {
    match &t.operator {
        Some(op) if !t.destination.contains(op.as_str()) => {
            format!("{} of {op} ({})", t.destination, t.region)
        }
        _ => format!("{} ({})", t.destination, t.region),
    }
}

struct Proposal {
    id: &'static str,
    title: &'static str,
    description: String,
    severity: u8,
    severity_reason: String,
    likelihood: u8,
    likelihood_reason: String,
}

/// A risk type strata did not propose for this device, and why: ids are
/// fixed per risk type, so a register without it skips its id, and the
/// memo says why rather than leave a gap unexplained.
#[derive(Debug, Clone, Serialize)]
pub struct NotProposed {
    /// The risk type's id (`R-4`).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Why it does not apply to this device.
    pub reason: String,
}

/// The risk types strata did not propose for this stack, in id order.
pub fn not_proposed(stack: &Stack, device: &DeviceAnalysis) -> Vec<NotProposed> {
    let proposed: Vec<&str> = proposals(stack, device).iter().map(|p| p.id).collect();
    let agent = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    let mut out = Vec::new();
    let mut skip = |id: &'static str, title: &'static str, reason: String| {
        if !proposed.contains(&id) {
            out.push(NotProposed { id, title, reason });
        }
    };
    skip(
        "R-4",
        TITLE_R4,
        match agent {
            None => "the stack declares no agent".to_string(),
            Some(a) if a.actions.is_none() => format!(
                "agent {} does not declare whether it takes actions (ask the vendor; the risk is proposed once it does)",
                a.name
            ),
            Some(a) => format!("agent {} takes no actions", a.name),
        },
    );
    skip(
        "R-5",
        TITLE_R5,
        match agent {
            None => "the stack declares no agent".to_string(),
            Some(a) => format!("agent {} does not run in the background", a.name),
        },
    );
    skip(
        "R-6",
        TITLE_R6,
        match device.deployment.as_deref() {
            None => "the deployment is not declared, so no employees are known to use the device"
                .to_string(),
            Some(d) if !EMPLOYEE_DEPLOYMENTS.contains(&d) => {
                format!("deployment `{d}` does not put the device with employees")
            }
            Some(_) => "the stack has neither an agent nor a vehicle layer".to_string(),
        },
    );
    skip(
        "R-7",
        TITLE_R7,
        "no route or endpoint sends data outside the EEA".to_string(),
    );
    skip(
        "R-8",
        TITLE_R8,
        "no one vendor group controls the data path".to_string(),
    );
    out
}

const TITLE_R4: &str = "Unwanted autonomous action by the agent";
const TITLE_R5: &str = "Covert or background collection";
const TITLE_R6: &str = "Function creep into worker monitoring";
const TITLE_R7: &str = "Access from a third country";
const TITLE_R8: &str = "Vendor lock-in blocking exit or the exercise of rights";

/// Deployments that put a device in employees' hands.
const EMPLOYEE_DEPLOYMENTS: [&str; 4] = ["cope", "byod", "fleet-vehicle", "corporate"];

/// R-7's description: where the data goes outside the EEA, said from
/// where the devices are used. A device used only in the country its data
/// goes to is not said to send data out of the EEA; its risk is the access
/// that country's authorities have, and whether Chapter V applies is the
/// transfer analysis's question.
fn third_country_access(device: &DeviceAnalysis, third: &[String]) -> String {
    let used = &device.used_in;
    let local = !used.is_empty()
        && used.iter().all(|c| !in_eea(c))
        && device
            .dpia
            .transfers
            .iter()
            .all(|t| used.iter().any(|u| u.eq_ignore_ascii_case(&t.region)));
    if local {
        format!(
            "Data is collected where the devices are used ({}) and processed there, outside the EEA: {}. Authorities there may access it; whether Chapter V applies turns on who discloses it (the DPIA's transfer analysis).",
            used.join(", "),
            third.join(", ")
        )
    } else {
        format!(
            "Data is sent to or remotely accessible from outside the EEA: {}. Chapter V transfer rules apply (a transfer tool and a transfer impact assessment where there is no adequacy decision).",
            third.join(", ")
        )
    }
}

fn proposals(stack: &Stack, device: &DeviceAnalysis) -> Vec<Proposal> {
    let agent = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    let perms: Vec<&str> = agent
        .map(|a| a.permissions.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let sensitive_perms: Vec<&str> = perms
        .iter()
        .copied()
        .filter(|p| {
            [
                "communications",
                "location",
                "camera-microphone",
                "sensors",
                "contacts",
                "calendar",
            ]
            .contains(p)
        })
        .collect();
    let sensitive = !sensitive_perms.is_empty();
    let agent_name = agent.map(|a| a.name.as_str()).unwrap_or("agent");
    let reach = format!(
        "agent `{agent_name}` can read {}: data of users and of the people they deal with, whose disclosure can have serious, lasting effects",
        sensitive_perms.join(", ")
    );
    let acts = agent.and_then(|a| a.actions).unwrap_or(false);
    let third: Vec<String> = device
        .dpia
        .transfers
        .iter()
        .filter(|t| !in_eea(&t.region))
        .map(transfer_label)
        .collect();
    let strict_third = device
        .dpia
        .transfers
        .iter()
        .any(|t| !in_eea(&t.region) && t.region != "US");
    let third_reason = if third.is_empty() {
        "every declared destination is in the EEA".to_string()
    } else {
        format!("data goes outside the EEA: {}", third.join(", "))
    };
    let mut out = vec![
        Proposal {
            id: "R-1",
            title: "Illegitimate access to personal data",
            description: format!(
                "Data the device processes ({}) is read by someone not entitled to it: the vendor, its cloud, an attacker or an authority.",
                if perms.is_empty() { "device data".to_string() } else { perms.join(", ") }
            ),
            severity: if sensitive { 4 } else { 2 },
            severity_reason: if sensitive {
                reach.clone()
            } else {
                "no agent reads communications, location, sensors, camera or microphone, contacts or calendar; the data is the device's own".into()
            },
            likelihood: if third.is_empty() { 2 } else { 3 },
            likelihood_reason: third_reason.clone(),
        },
        Proposal {
            id: "R-2",
            title: "Unwanted modification of personal data",
            description: "Data on the device or in the vendor's cloud is altered, by an update, a sync fault or the agent acting on it.".into(),
            severity: 2,
            severity_reason: "an altered entry on the device or in the cloud can usually be noticed and corrected from another copy".into(),
            likelihood: if acts { 2 } else { 1 },
            likelihood_reason: if acts {
                format!("agent `{agent_name}` takes actions on the user's data")
            } else {
                "no agent that takes actions is declared; only an update or a sync fault could alter data".into()
            },
        },
        Proposal {
            id: "R-3",
            title: "Disappearance of personal data",
            description: "Data becomes unavailable: account lock-out, vendor service end, remote wipe, lost device.".into(),
            severity: 2,
            severity_reason: "losing device or cloud data is a setback that server copies and backups mostly repair".into(),
            likelihood: 2,
            likelihood_reason: "devices are lost and accounts locked in the ordinary course of use".into(),
        },
    ];
    if let Some(a) = agent {
        if a.actions.unwrap_or(false) {
            out.push(Proposal {
                id: "R-4",
                title: TITLE_R4,
                description: format!(
                    "Agent `{}` executes tools on the user's behalf (messages, calendar, IoT, vehicle functions); a wrong or manipulated action affects the user and third parties{}.",
                    a.name,
                    if a.can_disable == Some(false) { ", and it cannot be disabled" } else { "" }
                ),
                severity: 3,
                severity_reason: "a wrong action (a message sent, an appointment, an IoT or vehicle command) reaches third parties and may not be undone".into(),
                likelihood: if a.can_disable == Some(false) { 3 } else { 2 },
                likelihood_reason: match a.can_disable {
                    Some(false) => format!("agent `{}` acts on the user's behalf and cannot be disabled", a.name),
                    Some(true) => format!("agent `{}` acts on the user's behalf but can be disabled", a.name),
                    None => format!("agent `{}` acts on the user's behalf; whether it can be disabled is not declared", a.name),
                },
            });
        }
        if a.background {
            out.push(Proposal {
                id: "R-5",
                title: TITLE_R5,
                description: format!(
                    "Agent `{}` runs in the background with access to {}; users and the people around them cannot tell when data is collected.",
                    a.name,
                    perms.join(", ")
                ),
                severity: if sensitive { 3 } else { 2 },
                severity_reason: if sensitive {
                    format!("collection of {} reaches people who do not know they are recorded", sensitive_perms.join(", "))
                } else {
                    "the agent's permissions reach no communications, location, sensors, camera or microphone, contacts or calendar".into()
                },
                likelihood: 3,
                likelihood_reason: format!("agent `{}` runs in the background, so it collects whenever the device is on", a.name),
            });
        }
    }
    let employees = device
        .deployment
        .as_deref()
        .is_some_and(|d| EMPLOYEE_DEPLOYMENTS.contains(&d));
    if employees && (agent.is_some() || stack.layers.vehicle.is_some()) {
        out.push(Proposal {
            id: "R-6",
            title: TITLE_R6,
            description: "Agent context, location or telematics collected for convenience is used to monitor, score or discipline employees (EU AI Act Annex III 4(b) territory; works-council co-determination).".into(),
            severity: 3,
            severity_reason: "monitoring or scoring can affect employees' careers and employment".into(),
            likelihood: 2,
            likelihood_reason: format!(
                "the data exists on a {} device, but using it to monitor takes a decision by the employer",
                device.deployment.as_deref().unwrap_or("work")
            ),
        });
    }
    if !third.is_empty() {
        out.push(Proposal {
            id: "R-7",
            title: TITLE_R7,
            description: third_country_access(device, &third),
            severity: 4,
            severity_reason: "a third country's authorities may access the data without safeguards or redress equivalent to the EEA's".into(),
            likelihood: if strict_third { 3 } else { 2 },
            likelihood_reason: if strict_third {
                format!("data goes to destinations outside the EEA and outside the US: {}", third.join(", "))
            } else {
                format!("the destinations outside the EEA are in the US ({}), where a certified recipient falls under the EU–US Data Privacy Framework", third.join(", "))
            },
        });
    }
    if let Some(f) = device
        .flag(FlagCode::DataPathSingleVendor)
        .or(device.flag(FlagCode::FullVertical))
    {
        out.push(Proposal {
            id: "R-8",
            title: TITLE_R8,
            description: format!(
                "{} controls {}: switching off one data flow or leaving the vendor means replacing the device, and rights requests all go to one party.",
                f.group_name.as_deref().unwrap_or("One vendor group"),
                f.layers.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
            ),
            severity: 2,
            severity_reason: "lock-in delays exit and rights requests but exposes no data by itself".into(),
            likelihood: 3,
            likelihood_reason: format!(
                "{} controls {}",
                f.group_name.as_deref().unwrap_or("one vendor group"),
                f.layers.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    out
}

/// The register: proposals merged with the answers, then the assessors'
/// extra risks; each risk with the measures that treat it (a measure
/// applies only to the risks it names) and its residual score.
pub fn register(stack: &Stack, device: &DeviceAnalysis, answers: &Answers) -> Vec<Risk> {
    let register = measures::register(answers);
    let mut out: Vec<Risk> = proposals(stack, device)
        .into_iter()
        .map(|p| {
            let a = answers.risks.get(p.id).cloned().unwrap_or_default();
            let scored = a.severity.is_some() || a.likelihood.is_some();
            merge(
                Base {
                    id: p.id.to_string(),
                    title: p.title.to_string(),
                    description: p.description,
                    proposed: (p.severity, p.likelihood),
                    reasons: (Some(p.severity_reason), Some(p.likelihood_reason)),
                    scored_by_people: scored,
                },
                &a,
                &register,
            )
        })
        .collect();
    for (i, a) in answers.extra_risks.iter().enumerate() {
        out.push(merge(
            Base {
                id: format!("X-{}", i + 1),
                title: a.title.clone().unwrap_or_default(),
                description: a.description.clone().unwrap_or_default(),
                proposed: (a.severity.unwrap_or(1), a.likelihood.unwrap_or(1)),
                reasons: (None, None),
                scored_by_people: true,
            },
            a,
            &register,
        ));
    }
    out
}

/// A risk before the answers: strata's proposal, or an extra risk's own.
struct Base {
    id: String,
    title: String,
    description: String,
    proposed: (u8, u8),
    reasons: (Option<String>, Option<String>),
    scored_by_people: bool,
}

/// A score's reason: the answers' when they give one; strata's when the
/// score is strata's; none when the assessors changed the score without
/// saying why.
fn reason(answered: Option<&String>, changed: bool, proposed: Option<String>) -> Option<String> {
    match answered {
        Some(r) => Some(r.clone()),
        None if changed => None,
        None => proposed,
    }
}

fn merge(b: Base, a: &Assessment, register: &[MeasureItem]) -> Risk {
    let severity = a.severity.unwrap_or(b.proposed.0);
    let likelihood = a.likelihood.unwrap_or(b.proposed.1);
    let treating: Vec<&MeasureItem> = register.iter().filter(|m| m.treats(&b.id)).collect();
    let residual = measures::residual(
        &b.id,
        measures::Inherent {
            severity,
            likelihood,
            declared: (
                a.severity.is_some() || b.id.starts_with("X-"),
                a.likelihood.is_some() || b.id.starts_with("X-"),
            ),
        },
        (a.residual_severity, a.residual_likelihood),
        a.residual_reason.as_deref(),
        &treating,
    );
    let residual_level = match (residual.severity, residual.likelihood) {
        (Some(s), Some(l)) => Some(level(s, l)),
        _ => None,
    };
    Risk {
        severity_reason: reason(
            a.severity_reason.as_ref(),
            a.severity.is_some(),
            b.reasons.0,
        ),
        likelihood_reason: reason(
            a.likelihood_reason.as_ref(),
            a.likelihood.is_some(),
            b.reasons.1,
        ),
        measures: treating.into_iter().cloned().collect(),
        id: b.id,
        title: b.title,
        description: b.description,
        scored_by: if b.scored_by_people {
            "answers"
        } else {
            "strata"
        },
        severity,
        likelihood,
        level: level(severity, likelihood),
        residual_severity: residual.severity,
        residual_likelihood: residual.likelihood,
        residual_level,
        residual_by: residual.by,
        residual_reason: residual.reason,
        residual_note: residual.note,
        residual_open: residual.open,
        accepted_by: a.accepted_by.clone(),
    }
}

/// The answers' errors against this register (see [`measures::check`]):
/// each diagnostic has its answers pointer.
pub fn check(risks: &[Risk], answers: &Answers) -> Vec<crate::diag::Diagnostic> {
    let scored: Vec<measures::Scored<'_>> = risks
        .iter()
        .map(|r| {
            let a = if r.id.starts_with("X-") {
                r.id.get(2..)
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| answers.extra_risks.get(n.wrapping_sub(1)))
            } else {
                answers.risks.get(&r.id)
            };
            let extra = r.id.starts_with("X-");
            measures::Scored {
                id: &r.id,
                inherent: (r.severity, r.likelihood),
                inherent_declared: (
                    extra || a.is_some_and(|a| a.severity.is_some()),
                    extra || a.is_some_and(|a| a.likelihood.is_some()),
                ),
                declared: a
                    .map(|a| (a.residual_severity, a.residual_likelihood))
                    .unwrap_or_default(),
            }
        })
        .collect();
    measures::check(&measures::register(answers), &scored, &RISK_TYPES)
}

/// The fixed risk types strata proposes, each when the stack meets its
/// conditions.
pub const RISK_TYPES: [&str; 8] = ["R-1", "R-2", "R-3", "R-4", "R-5", "R-6", "R-7", "R-8"];

/// Art. 36: required when any residual risk is high.
pub fn art36(risks: &[Risk]) -> Art36 {
    let high: Vec<&str> = risks
        .iter()
        .filter(|r| r.residual_level == Some("high"))
        .map(|r| r.id.as_str())
        .collect();
    let open: Vec<&str> = risks
        .iter()
        .filter(|r| r.residual_level.is_none())
        .map(|r| r.id.as_str())
        .collect();
    if !high.is_empty() {
        Art36 {
            status: "REQUIRED",
            reason: format!(
                "residual risk stays high for {}: consult the supervisory authority before processing (Art. 36(1))",
                high.join(", ")
            ),
        }
    } else if !open.is_empty() {
        Art36 {
            status: "NOT_DETERMINED",
            reason: format!("residual risk not yet assessed for {}", open.join(", ")),
        }
    } else {
        Art36 {
            status: "NOT_REQUIRED",
            reason: "no residual risk is high after the measures".into(),
        }
    }
}

/// A risk scored `severity`/`likelihood` by strata with reasons, and
/// `residual` declared by the answers with a reason, for tests.
#[cfg(test)]
pub(crate) fn sample(id: &str, severity: u8, likelihood: u8, residual: Option<(u8, u8)>) -> Risk {
    Risk {
        id: id.into(),
        title: String::new(),
        description: String::new(),
        scored_by: "strata",
        severity,
        severity_reason: Some("why".into()),
        likelihood,
        likelihood_reason: Some("why".into()),
        level: level(severity, likelihood),
        measures: vec![],
        residual_severity: residual.map(|r| r.0),
        residual_likelihood: residual.map(|r| r.1),
        residual_level: residual.map(|(s, l)| level(s, l)),
        residual_by: residual.map(|_| "answers"),
        residual_reason: residual.map(|_| "why".into()),
        residual_note: None,
        residual_open: None,
        accepted_by: None,
    }
}

#[cfg(test)]
mod tests;
