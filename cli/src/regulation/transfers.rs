//! Transfers (GDPR Chapter V) per data destination.
//!
//! For every place the stack sends data to (the agent's routes, the
//! services' endpoints) and every recipient the answers' data inventory
//! names, this says where the data starts (the countries the approved-device
//! list says the devices are used in) and where it ends, whether that is a
//! transfer under Chapter V, the GDPR's territorial scope (Art. 3: it
//! follows the controller's establishment, not the device), the local law
//! of a country outside the EEA where the data is collected (from the
//! regulatory calendar's entries for that country), the transfer tool and
//! impact assessment from the answers, and the third-country-access risk
//! (the calendar's adequacy decisions and access notes).
//!
//! A device used in China that sends data to a server in China is never
//! said to send data "out of the EEA": the data never was in the EEA.
//! Whether the controller's disclosure to the recipient there is a
//! transfer (EDPB Guidelines 05/2021: an exporter subject to the GDPR makes
//! data available to an importer in a third country) is left to the
//! answers, and says so while they are silent.

use serde::Serialize;

use super::{Input, dated, in_eea};
use crate::analyze::DeviceAnalysis;
use crate::model::{Answers, RouteTo, Stack, TransferAnswer};

/// Whether a destination is a transfer under Chapter V.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChapterV {
    /// Data collected in the EEA goes to a third country.
    Transfer,
    /// The data stays in the EEA, or enters it.
    NoTransfer,
    /// Turns on facts the data does not show (who discloses, where the
    /// devices are used, where the destination is); the answers decide.
    ToDetermine,
}

/// One data destination and the law that governs it.
#[derive(Debug, Clone, Serialize)]
pub struct Destination {
    /// The route kind (`vendor-cloud`), the endpoint host, or the
    /// data-inventory recipient.
    pub destination: String,
    /// Which source declares it: `stack` or `answers`.
    pub source: &'static str,
    /// The recipient: the answers' legal entity, else the operator's name.
    pub recipient: String,
    /// What goes there and why, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Its country (ISO 3166 alpha-2), when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// From where to where, in words.
    pub movement: String,
    /// Chapter V status.
    pub chapter_v: ChapterV,
    /// Why that status.
    pub chapter_v_reason: String,
    /// The transfer tool as the answers give it, in words.
    pub tool: String,
    /// The transfer impact assessment, in words.
    pub tia: String,
    /// How the local export rules are met, from the answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_compliance: Option<String>,
    /// The third-country-access risk at the destination.
    pub access: String,
    /// What the answers leave open for this destination.
    pub open: Vec<String>,
    /// Where the answers contradict the facts (the calendar, the data).
    pub conflicts: Vec<String>,
}

/// The transfer analysis of one device.
#[derive(Debug, Clone, Serialize)]
pub struct Transfers {
    /// The territorial scope (Art. 3), in one sentence.
    pub scope: String,
    /// Countries the devices are used in.
    pub used_in: Vec<String>,
    /// The law of each country outside the EEA where the devices are used
    /// (one line per calendar entry for that country and device class,
    /// dated), which governs the collection there and exports from it.
    pub local_law: Vec<String>,
    /// Every destination, stack ones first.
    pub destinations: Vec<Destination>,
    /// Answers naming a destination no source declares.
    pub unmatched: Vec<String>,
}

impl Transfers {
    /// Destinations that are transfers or whose status is open.
    pub fn needing_a_tool(&self) -> impl Iterator<Item = &Destination> {
        self.destinations
            .iter()
            .filter(|d| d.chapter_v != ChapterV::NoTransfer)
    }

    /// True when some destination is open (a gap or a conflict).
    pub fn has_open(&self) -> bool {
        self.destinations
            .iter()
            .any(|d| !d.open.is_empty() || !d.conflicts.is_empty())
            || !self.unmatched.is_empty()
    }
}

/// A destination before the law is applied.
struct Raw {
    destination: String,
    source: &'static str,
    operator: Option<String>,
    purpose: Option<String>,
    country: Option<String>,
}

/// Every off-device destination: the agent's routes, the services'
/// endpoints, then the answers' data-inventory recipients.
fn raw_destinations(stack: &Stack, answers: &Answers) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    let agent = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    for r in agent.map(|a| a.data_routing.as_slice()).unwrap_or_default() {
        if r.to == RouteTo::OnDevice {
            continue;
        }
        out.push(Raw {
            destination: r.to.as_str().to_string(),
            source: "stack",
            operator: r.operator.clone(),
            purpose: r.purpose.clone(),
            country: r.region.as_ref().map(|c| c.trim().to_ascii_uppercase()),
        });
    }
    let endpoints = stack
        .layers
        .services
        .as_ref()
        .map(|s| s.endpoints.as_slice());
    for e in endpoints.unwrap_or_default() {
        out.push(Raw {
            destination: e.host.clone(),
            source: "stack",
            operator: e.operator.clone(),
            purpose: e.purpose.clone(),
            country: e.region.as_ref().map(|c| c.trim().to_ascii_uppercase()),
        });
    }
    for row in &answers.data_inventory {
        out.push(Raw {
            destination: row.recipient.clone(),
            source: "answers",
            operator: None,
            purpose: Some(row.category.clone()),
            country: row.country.clone(),
        });
    }
    out
}

/// A vendor's legal name from the device's analysis, by vendor id.
fn vendor_name(device: &DeviceAnalysis, id: &str) -> Option<String> {
    device
        .layers
        .iter()
        .flat_map(|l| {
            l.parts
                .iter()
                .map(|p| &p.vendor)
                .chain(l.upstream.iter().map(|u| &u.vendor))
        })
        .find(|v| v.id == id)
        .map(|v| v.name.clone())
}

/// The transfer analysis of one device.
pub fn analyse(i: &Input<'_>) -> Transfers {
    let used_in = i.device.used_in.clone();
    let roles = i.answers.roles.as_ref();
    let controller = roles
        .map(|r| r.controller.clone())
        .unwrap_or_else(|| "the controller".into());
    let established = roles.and_then(|r| r.established_in.clone());
    let scope = match established.as_deref() {
        Some(c) if in_eea(c) => format!(
            "The GDPR applies to {controller}'s processing through its establishment in {c} (Art. 3(1)), wherever the processing takes place{}.",
            match used_in.as_slice() {
                [] => String::new(),
                u if u.iter().all(|c| in_eea(c)) => String::new(),
                u => format!(
                    ", including on the devices used in {}; the law of {} applies there as well",
                    u.join(", "),
                    u.iter()
                        .filter(|c| !in_eea(c))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        ),
        Some(c) => format!(
            "{controller} is established in {c}, outside the EEA: the GDPR applies only if it offers goods or services to, or monitors, people in the EEA (Art. 3(2)), or through an EU establishment the answers do not name."
        ),
        None => format!(
            "Where {controller} is established is not stated (roles.established-in in the answers), so the GDPR's territorial scope (Art. 3) is not determined."
        ),
    };
    let mut matched = vec![false; i.answers.transfers.len()];
    let mut destinations = Vec::new();
    for raw in raw_destinations(i.stack, i.answers) {
        let answer = i
            .answers
            .transfers
            .iter()
            .position(|t| t.destination == raw.destination);
        if let Some(k) = answer {
            matched[k] = true;
        }
        destinations.push(destination(
            i,
            raw,
            answer.map(|k| &i.answers.transfers[k]),
            &used_in,
        ));
    }
    let unmatched = i
        .answers
        .transfers
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(t, _)| t.destination.clone())
        .collect();
    Transfers {
        scope,
        local_law: local_law(i, &used_in),
        used_in,
        destinations,
        unmatched,
    }
}

/// The calendar's entries for each country outside the EEA where the
/// devices are used, that apply to the device's class.
fn local_law(i: &Input<'_>, used_in: &[String]) -> Vec<String> {
    let class = i.device.class.as_str();
    let mut out = Vec::new();
    for origin in used_in.iter().filter(|c| !in_eea(c)) {
        let entries: Vec<_> = i
            .calendar
            .map(|c| {
                c.entries
                    .iter()
                    .filter(|(_, e)| e.jurisdiction.eq_ignore_ascii_case(origin))
                    .filter(|(_, e)| e.classes.is_empty() || e.classes.iter().any(|c| c == class))
                    .collect()
            })
            .unwrap_or_default();
        if entries.is_empty() {
            out.push(format!(
                "{origin}: the regulatory calendar has no entry for {origin}'s data-protection or export law; add one"
            ));
        }
        for (id, e) in entries {
            out.push(format!(
                "{}: {} ({})",
                e.instrument,
                e.provision,
                dated(i.calendar, id, i.today).text
            ));
        }
    }
    out
}

/// The movement of the data and its Chapter V status.
fn movement(used_in: &[String], country: Option<&str>) -> (String, ChapterV, String) {
    let Some(to) = country else {
        return (
            "destination country not declared".into(),
            ChapterV::ToDetermine,
            "the stack or the answers do not say where this destination is".into(),
        );
    };
    if used_in.is_empty() {
        return (
            format!("to {to}; where the devices are used is not declared"),
            if in_eea(to) {
                ChapterV::ToDetermine
            } else {
                ChapterV::Transfer
            },
            if in_eea(to) {
                "set `used-in` in approved-devices.yaml: data collected outside the EEA and sent here is an export under the local law there".into()
            } else {
                format!(
                    "{to} is outside the EEA; unless the devices are used there (set `used-in` in approved-devices.yaml), data leaves the EEA"
                )
            },
        );
    }
    let from = used_in.join(", ");
    let eea_origin = used_in.iter().any(|c| in_eea(c));
    let foreign_origin: Vec<&String> = used_in.iter().filter(|c| !in_eea(c)).collect();
    if in_eea(to) {
        if foreign_origin.is_empty() {
            return (
                format!("collected in {from}, processed in {to}: stays in the EEA"),
                ChapterV::NoTransfer,
                "the data does not leave the EEA".into(),
            );
        }
        return (
            format!("collected in {from}, sent to {to} in the EEA"),
            ChapterV::NoTransfer,
            format!(
                "data entering the EEA is no transfer under Chapter V; leaving {} is an export under the law there",
                foreign_origin
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if eea_origin {
        return (
            format!("collected in {from}, sent to {to}: leaves the EEA"),
            ChapterV::Transfer,
            format!("data collected in the EEA goes to {to}, a third country"),
        );
    }
    let same = foreign_origin.iter().all(|c| c.as_str() == to);
    (
        if same {
            format!("collected and processed in {to}: the data is never in the EEA")
        } else {
            format!("collected in {from}, sent to {to}: never in the EEA")
        },
        ChapterV::ToDetermine,
        "no data leaves the EEA; it is a transfer under Chapter V only if the controller (subject to the GDPR through its establishment) discloses the data to this recipient, not where the recipient collects it from the user directly (EDPB Guidelines 05/2021)".into(),
    )
}

/// Apply the law to one destination.
fn destination(
    i: &Input<'_>,
    raw: Raw,
    answer: Option<&TransferAnswer>,
    used_in: &[String],
) -> Destination {
    let (movement, mut chapter_v, mut chapter_v_reason) = movement(used_in, raw.country.as_deref());
    let mut open = Vec::new();
    let mut conflicts = Vec::new();
    let recipient = answer
        .and_then(|a| a.recipient.clone())
        .or_else(|| {
            raw.operator
                .as_deref()
                .map(|op| vendor_name(i.device, op).unwrap_or_else(|| op.to_string()))
        })
        .unwrap_or_else(|| {
            if raw.source == "answers" {
                raw.destination.clone()
            } else {
                "not declared".into()
            }
        });
    let country = raw.country.as_deref();
    let leaves_origin = used_in
        .iter()
        .any(|o| !in_eea(o) && country.is_some_and(|c| !c.eq_ignore_ascii_case(o)));
    let local_compliance = answer.and_then(|a| a.local_law.clone());
    if leaves_origin && local_compliance.is_none() {
        open.push(format!(
            "the data leaves {} for {}: the answers do not say how its export rules are met (transfers[].local-law)",
            used_in
                .iter()
                .filter(|o| !in_eea(o))
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            country.unwrap_or("an undeclared country")
        ));
    }
    let adequacy = country.and_then(|c| i.calendar.and_then(|cal| cal.adequacy.get(c)));
    let access = match (country, adequacy) {
        (Some(c), _) if in_eea(c) => "in the EEA: no third-country access question".into(),
        (Some(c), Some(a)) => format!(
            "EU adequacy decision for {c}: {} (adopted {}) [{}]{}{}",
            a.decision,
            a.adopted,
            a.status,
            if a.certified_only {
                "; covers certified recipients only"
            } else {
                ""
            },
            a.note
                .as_deref()
                .map(|n| format!("; {n}"))
                .unwrap_or_default()
        ),
        (Some(c), None) => {
            let note = i.calendar.and_then(|cal| {
                cal.entries
                    .get(&format!("access-{}", c.to_ascii_lowercase()))
            });
            format!(
                "no EU adequacy decision for {c} in the regulatory calendar: public-authority access under {c}'s law must be assessed in a transfer impact assessment (Schrems II, C-311/18){}",
                note.map(|e| format!("; {}: {} [{}]", e.instrument, e.provision, e.status))
                    .unwrap_or_default()
            )
        }
        (None, _) => "destination country not declared: access risk not assessed".into(),
    };
    let (tool, tia) = match answer {
        None => {
            if chapter_v != ChapterV::NoTransfer {
                open.push(match chapter_v {
                    ChapterV::Transfer => {
                        "no transfer tool in the answers (transfers[].tool)".to_string()
                    }
                    _ => "the answers do not say whether this is a transfer (transfers[].tool, `not-a-transfer` with the reason)".to_string(),
                });
            }
            ("not stated".to_string(), "not stated".to_string())
        }
        Some(a) => judge_tool(
            a,
            country,
            adequacy.is_some(),
            (&mut chapter_v, &mut chapter_v_reason),
            (&mut open, &mut conflicts),
        ),
    };
    Destination {
        destination: raw.destination,
        source: raw.source,
        recipient,
        purpose: raw.purpose,
        country: raw.country,
        movement,
        chapter_v,
        chapter_v_reason,
        tool,
        tia,
        local_compliance,
        access,
        open,
        conflicts,
    }
}

/// The answers' tool for a destination, checked against the facts: an
/// adequacy decision the calendar lacks, the DPF outside the US, a
/// "not a transfer" for data that leaves the EEA, SCCs without an impact
/// assessment are flagged, never taken at their word.
fn judge_tool(
    a: &TransferAnswer,
    country: Option<&str>,
    adequate: bool,
    (chapter_v, chapter_v_reason): (&mut ChapterV, &mut String),
    (open, conflicts): (&mut Vec<String>, &mut Vec<String>),
) -> (String, String) {
    let c = country.unwrap_or("an undeclared country");
    let tia = match &a.tia {
        Some(t) => format!(
            "{}{}: {}",
            t.reference,
            t.date.map(|d| format!(" of {d}")).unwrap_or_default(),
            t.outcome
        ),
        None if a.tool == "not-a-transfer" => "not needed".into(),
        None => "none".into(),
    };
    let reason = a.reason.as_deref().map(|r| r.trim().trim_end_matches('.'));
    let tool = match a.tool.as_str() {
        "not-a-transfer" => {
            match (*chapter_v, reason) {
                (ChapterV::Transfer, _) => conflicts.push(format!(
                    "the answers say this is not a transfer, but data collected in the EEA goes to {c}"
                )),
                (_, None) => open.push("`not-a-transfer` needs its reason".into()),
                (ChapterV::ToDetermine, Some(r)) => {
                    *chapter_v = ChapterV::NoTransfer;
                    *chapter_v_reason = format!("the answers: {r}");
                }
                _ => {}
            }
            "none needed: not a transfer (see why above)".into()
        }
        "adequacy" => {
            if !adequate {
                conflicts.push(format!(
                    "the answers rely on an adequacy decision, but the regulatory calendar has none for {c}"
                ));
            }
            format!("adequacy decision (Art. 45) for {c}")
        }
        "dpf" => {
            if country != Some("US") {
                conflicts.push(format!(
                    "the EU-US Data Privacy Framework covers US recipients only, not {c}"
                ));
            }
            "EU-US Data Privacy Framework (Art. 45): valid only while the recipient is certified on the DPF list".into()
        }
        "sccs" => {
            if a.tia.is_none() {
                open.push("SCCs without a transfer impact assessment (Schrems II)".into());
            }
            format!(
                "standard contractual clauses (Art. 46(2)(c)){}",
                a.module
                    .map(|m| format!(", module {m}"))
                    .unwrap_or_else(|| ", module not stated".into())
            )
        }
        "bcr" => {
            if a.tia.is_none() {
                open.push(
                    "binding corporate rules without a transfer impact assessment (Schrems II)"
                        .into(),
                );
            }
            "binding corporate rules (Art. 47)".into()
        }
        "derogation" => {
            if reason.is_none() {
                open.push("a derogation needs its Art. 49 ground in the reason".into());
            }
            format!(
                "derogation (Art. 49; for occasional transfers only){}",
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            )
        }
        _ => {
            if *chapter_v != ChapterV::NoTransfer {
                open.push(
                    "no transfer tool: the transfer has no legal ground under Chapter V".into(),
                );
            }
            "none".into()
        }
    };
    (tool, tia)
}

#[cfg(test)]
mod tests;
