//! The decision on one device: APPROVE, APPROVE WITH CONDITIONS, DEFER,
//! ESCALATE or REJECT, with the reason for the outcome. One function
//! ([`assess`]) serves the procurement memo, the DPIA's conclusion, the
//! fleet memo and `strata report`, so no two documents can disagree.
//!
//! The rules, strongest first (the first that applies decides; every
//! finding is still listed):
//!
//! 1. **REJECT**: an active restricted-list match; a recorded `reject`
//!    review of the current attestation digest; an attestation whose
//!    signature does not verify or that is not a valid document; an
//!    evidence item whose verification FAILED. A memo never approves over
//!    the organisation's own rejection or over evidence that did not verify.
//! 2. **ESCALATE**: the policy gate denies the device (someone with the
//!    authority fixes it or records an exception); a residual high risk
//!    (Art. 36 prior consultation).
//! 3. **DEFER**: a DPIA is required and none is on record, or the Art. 36
//!    status is not determined (Art. 35(1): the DPIA comes before the
//!    processing); sources contradict each other on a fact the decision
//!    rests on.
//! 4. **APPROVE WITH CONDITIONS** when at least one condition applies;
//!    **APPROVE** only when nothing is open.

pub mod conditions;
pub mod measures;
pub mod risks;

use serde::Serialize;

use crate::analyze::{DeviceAnalysis, Outcome};
use crate::gate::{self, Verdict as GateVerdict};
use crate::model::{Answers, Review, Stack, Verdict as ReviewVerdict};
use crate::regulation::transfers::{ChapterV, Transfers};

pub use conditions::ConditionItem;
use risks::{Art36, Risk};

/// The outcome of the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Decision {
    /// Nothing is open.
    #[serde(rename = "APPROVE")]
    Approve,
    /// Approve once the listed conditions are met.
    #[serde(rename = "APPROVE WITH CONDITIONS")]
    ApproveWithConditions,
    /// Not yet: something must exist or be determined first.
    #[serde(rename = "DEFER")]
    Defer,
    /// Someone with the authority (or the supervisory authority) decides.
    #[serde(rename = "ESCALATE")]
    Escalate,
    /// Do not buy or deploy.
    #[serde(rename = "REJECT")]
    Reject,
}

impl Decision {
    /// The word printed in memos and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "APPROVE",
            Decision::ApproveWithConditions => "APPROVE WITH CONDITIONS",
            Decision::Defer => "DEFER",
            Decision::Escalate => "ESCALATE",
            Decision::Reject => "REJECT",
        }
    }
}

/// One evidence item of the attestation (a `strata:evidence:*` component)
/// and the outcome of its verification when the assembler checked it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceCheck {
    /// The layer it belongs to.
    pub layer: String,
    /// The file or directory name.
    pub name: String,
    /// Evidence kind (`file`, `cyclonedx`, `model-signing`, …).
    pub kind: String,
    /// Its SHA-256 as recorded in the attestation (hex).
    pub sha256: String,
    /// `passed`, `failed` or another word the assembler recorded; null
    /// when only the digest was recorded.
    pub verification: Option<String>,
}

impl EvidenceCheck {
    /// True when its verification failed.
    pub fn failed(&self) -> bool {
        self.verification.as_deref() == Some("failed")
    }
}

/// The attestation's status as a finding may state it: a signature that
/// verifies is not called "verified" while an evidence check FAILED.
pub fn verification_summary(attestation: &str, evidence: &[EvidenceCheck]) -> String {
    let failed = evidence.iter().filter(|e| e.failed()).count();
    if failed == 0 {
        return attestation.to_string();
    }
    let head = match attestation {
        "signed (verified)" => "signature verified",
        other => other,
    };
    format!(
        "{head}, but {failed} of {} FAILED verification",
        crate::table::count(evidence.len() as u64, "evidence item")
    )
}

/// Everything the decision rests on for one device.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The stack manifest.
    pub stack: &'a Stack,
    /// Its analysis.
    pub device: &'a DeviceAnalysis,
    /// The assessors' answers (empty when there are none).
    pub answers: &'a Answers,
    /// The attestation status (`strata report`'s words: `signed (verified)`,
    /// `signature INVALID`, `invalid`, `unsigned`, `missing`, …).
    pub attestation: &'a str,
    /// The attestation's evidence items.
    pub evidence: &'a [EvidenceCheck],
    /// Reviews of the current attestation digest, in file order.
    pub reviews: &'a [Review],
    /// The gate's findings for the device (warn, deny, excepted).
    pub gate: &'a [gate::Check],
    /// The DPIA reference on the approved-device list.
    pub dpia_recorded: Option<&'a str>,
    /// The fleet's concentration, for conditions on the whole fleet (the
    /// diversity cap says when it is breached now); `None` when unknown.
    pub fleet: Option<&'a crate::analyze::FleetConcentration>,
    /// The fleet's regulatory calendar (`calendar.yaml`), when it has one.
    pub calendar: Option<&'a crate::model::Calendar>,
    /// The date the decision is made for (the memo's or report's date).
    pub today: crate::clock::Date,
}

/// Two sources that say opposite things about the same fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    /// What the sources disagree about.
    pub topic: String,
    /// One source and what it says.
    pub one: String,
    /// The other source and what it says.
    pub other: String,
}

/// The recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// The outcome.
    pub decision: Decision,
    /// Why this outcome, in one or two sentences.
    pub reason: String,
    /// Every finding behind it, the deciding ones first.
    pub reasons: Vec<String>,
    /// Sources that contradict each other.
    pub contradictions: Vec<Contradiction>,
    /// Conditions (library, then the answers').
    pub conditions: Vec<ConditionItem>,
    /// What reopens the decision.
    pub review_triggers: Vec<String>,
}

/// The risk register, the Art. 36 status and the recommendation of one
/// device.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The risk register.
    pub risks: Vec<Risk>,
    /// Art. 36 prior consultation.
    pub art36: Art36,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// Where personal data goes and under which law, per destination.
    pub transfers: Transfers,
}

/// The transfer analysis of the device the inputs describe.
pub fn transfers(i: &Inputs<'_>) -> Transfers {
    crate::regulation::transfers::analyse(&crate::regulation::Input {
        stack: i.stack,
        device: i.device,
        answers: i.answers,
        calendar: i.calendar,
        today: i.today,
    })
}

/// Assess one device: risks, Art. 36, the transfers and the decision.
pub fn assess(i: &Inputs<'_>) -> Assessment {
    let risks = risks::register(i.stack, i.device, i.answers);
    let art36 = risks::art36(&risks);
    let transfers = transfers(i);
    let recommendation = decide(i, &risks, &art36, &transfers);
    Assessment {
        risks,
        art36,
        recommendation,
        transfers,
    }
}

/// `reviewer` without the e-mail address.
fn who(reviewer: &str) -> &str {
    reviewer.split(" <").next().unwrap_or(reviewer).trim()
}

/// Words that say a feature is switched off.
const OFF_WORDS: &[&str] = &["disabled", "switched off", "turned off", "deactivated"];

/// Sources that contradict each other: a claim that the agent is disabled
/// while the stack says it cannot be; approve and reject of the same
/// criterion on the same digest; a transfer tool the facts rule out (an
/// adequacy decision the calendar lacks, the DPF outside the US, "not a
/// transfer" for data that leaves the EEA); an answer about a destination
/// no source declares.
pub fn contradictions(i: &Inputs<'_>, transfers: &Transfers) -> Vec<Contradiction> {
    let mut out = Vec::new();
    for d in &transfers.destinations {
        for c in &d.conflicts {
            out.push(Contradiction {
                topic: format!("the transfer tool for {}", d.destination),
                one: format!("the answers (transfers): {}", d.tool),
                other: c.clone(),
            });
        }
    }
    for u in &transfers.unmatched {
        out.push(Contradiction {
            topic: format!("a data destination `{u}`"),
            one: "the answers (transfers) name it".into(),
            other: "neither the stack manifest nor the answers' data inventory declares it".into(),
        });
    }
    let agent = i.stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    if let Some(a) = agent.filter(|a| a.can_disable == Some(false)) {
        let name = a.name.to_lowercase();
        let says_off = |text: &str| {
            let t = text.to_lowercase();
            (t.contains(&name) || t.contains("agent")) && OFF_WORDS.iter().any(|w| t.contains(w))
        };
        let stack_says = format!(
            "the stack manifest: agent `{}` cannot be disabled (`can-disable: false`)",
            a.name
        );
        let mut claims: Vec<String> = Vec::new();
        for r in i.reviews {
            if let Some(n) = r.note.as_deref().filter(|n| says_off(n)) {
                claims.push(format!(
                    "the {} review by {} ({}): \"{n}\"",
                    r.criteria.join(", "),
                    who(&r.reviewer),
                    r.date
                ));
            }
        }
        for c in i.gate {
            if let Some(ex) = c.exception.as_ref().filter(|e| says_off(&e.reason)) {
                claims.push(format!(
                    "the policy exception for `{}`: \"{}\"",
                    c.rule, ex.reason
                ));
            }
        }
        let answered = i
            .answers
            .risks
            .iter()
            .flat_map(|(id, a)| a.measures.iter().map(move |m| (id.clone(), m.as_str())))
            .chain(i.answers.measures.iter().map(|m| {
                let treats = match m {
                    crate::model::MeasureEntry::Measure(m) if !m.treats.is_empty() => {
                        m.treats.join(", ")
                    }
                    _ => "no stated risk".to_string(),
                };
                (treats, m.text())
            }));
        for (id, m) in answered {
            if says_off(m) {
                claims.push(format!("the measures for {id} in the answers: \"{m}\""));
            }
        }
        for c in claims {
            out.push(Contradiction {
                topic: format!("whether agent `{}` can be disabled", a.name),
                one: c,
                other: stack_says.clone(),
            });
        }
    }
    out.extend(answers_against_themselves(i.answers));
    out.extend(residency_against_the_stack(i.answers, transfers));
    let failed: Vec<String> = i
        .evidence
        .iter()
        .filter(|e| e.failed())
        .map(|e| format!("{}: {}", e.layer, e.name))
        .collect();
    if !failed.is_empty() {
        // A review whose criterion is about the evidence (its id names
        // security or evidence) approved what did not verify.
        let about_evidence = |c: &String| c.contains("security") || c.contains("evidence");
        for r in i
            .reviews
            .iter()
            .filter(|r| r.verdict == ReviewVerdict::Approve)
            .filter(|r| r.criteria.iter().any(about_evidence))
        {
            out.push(Contradiction {
                topic: format!("the evidence behind the {} review", r.criteria.join(", ")),
                one: format!(
                    "{} approved the attestation on {}",
                    who(&r.reviewer),
                    r.date.date()
                ),
                other: format!(
                    "the attestation records FAILED evidence verification ({})",
                    failed.join(", ")
                ),
            });
        }
    }
    for (k, r) in i.reviews.iter().enumerate() {
        if r.verdict != ReviewVerdict::Reject {
            continue;
        }
        for a in i.reviews[..k]
            .iter()
            .chain(&i.reviews[k + 1..])
            .filter(|a| a.verdict == ReviewVerdict::Approve)
        {
            for c in r.criteria.iter().filter(|c| a.criteria.contains(c)) {
                out.push(Contradiction {
                    topic: format!("criterion `{c}` for the current attestation"),
                    one: format!("{} approved it on {}", who(&a.reviewer), a.date),
                    other: format!("{} rejected it on {}", who(&r.reviewer), r.date),
                });
            }
        }
    }
    out
}

/// Parts of the answers that disagree: an entity listed as a processor
/// (with an Art. 28 agreement) while the roles call it a controller.
fn answers_against_themselves(a: &Answers) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let parties = a
        .roles
        .as_ref()
        .map(|r| r.parties.as_slice())
        .unwrap_or_default();
    for p in a.processors.as_deref().unwrap_or_default() {
        if let Some(party) = parties
            .iter()
            .find(|x| x.entity == p.entity && x.role.ends_with("controller"))
        {
            out.push(Contradiction {
                topic: format!("the role of {}", p.entity),
                one: format!("the answers' processors: a processor under {}", p.agreement),
                other: format!("the answers' roles: {}", party.role),
            });
        }
    }
    out
}

/// Where a recipient processes the data: the answers' data inventory
/// against the stack, for a recipient the answers tie to a stack
/// destination (`transfers[].recipient`).
fn residency_against_the_stack(a: &Answers, transfers: &Transfers) -> Vec<Contradiction> {
    let mut out = Vec::new();
    for d in transfers
        .destinations
        .iter()
        .filter(|d| d.source == "stack")
    {
        let Some(stack_country) = d.country.as_deref() else {
            continue;
        };
        let Some(recipient) = a
            .transfers
            .iter()
            .find(|t| t.destination == d.destination)
            .and_then(|t| t.recipient.as_deref())
        else {
            continue;
        };
        for row in a
            .data_inventory
            .iter()
            .filter(|r| r.recipient.starts_with(recipient))
        {
            if let Some(c) = row
                .country
                .as_deref()
                .filter(|c| !c.eq_ignore_ascii_case(stack_country))
            {
                out.push(Contradiction {
                    topic: format!("where {recipient} processes the data"),
                    one: format!("the answers' data inventory ({}): {c}", row.category),
                    other: format!(
                        "the stack manifest: {} is in {stack_country}",
                        d.destination
                    ),
                });
            }
        }
    }
    out
}

/// Decide for one device, given its risks and Art. 36 status.
pub fn decide(
    i: &Inputs<'_>,
    risks: &[Risk],
    art36: &Art36,
    transfers: &Transfers,
) -> Recommendation {
    let d = i.device;
    let mut reject: Vec<String> = Vec::new();
    let mut escalate: Vec<String> = Vec::new();
    let mut defer: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();

    for h in &d.screening.active {
        reject.push(format!(
            "Active restricted-list match: {}, {}.",
            h.hit.summary, h.located
        ));
    }
    for r in i
        .reviews
        .iter()
        .filter(|r| r.verdict == ReviewVerdict::Reject)
    {
        reject.push(format!(
            "{} rejected this attestation ({}) on {}{}.",
            who(&r.reviewer),
            r.criteria.join(", "),
            r.date.date(),
            r.note
                .as_deref()
                .map(|n| format!(": \"{n}\""))
                .unwrap_or_default()
        ));
    }
    match i.attestation {
        "signature INVALID" => reject.push(
            "The attestation's signature does not verify against the policy's trust material."
                .into(),
        ),
        "invalid" => reject.push("The attestation is not a valid CycloneDX document.".into()),
        "signed (verified)" => {}
        s => other.push(format!("The attestation is {s}.")),
    }
    for e in i.evidence.iter().filter(|e| e.failed()) {
        reject.push(format!(
            "Evidence verification FAILED: {}: {} ({}).",
            e.layer, e.name, e.kind
        ));
    }
    let deny: Vec<String> = i
        .gate
        .iter()
        .filter(|c| c.verdict == GateVerdict::Deny)
        .map(|c| format!("`{}`", c.rule))
        .collect();
    if !deny.is_empty() {
        escalate.push(format!(
            "The policy gate denies the device ({}): fix the finding or have an exception approved.",
            deny.join(", ")
        ));
    }
    let residual_high = risks.iter().any(|r| r.residual_level == Some("high"));
    if art36.status == "REQUIRED" || residual_high {
        escalate.push(format!(
            "Art. 36 prior consultation required: {}.",
            art36.reason
        ));
    }
    match (d.dpia.outcome, i.dpia_recorded) {
        (Outcome::Required, None) => defer.push(
            "A DPIA is required (WP248: 2 or more criteria) and none is on record; under Art. 35(1) it comes before the processing.".into(),
        ),
        (Outcome::Required, Some(rec)) => {
            if art36.status == "NOT_DETERMINED" {
                defer.push(format!(
                    "A DPIA is on record ({rec}) but the Art. 36 status is not determined: {}.",
                    art36.reason
                ));
            } else {
                other.push(format!("A DPIA is required; on record: {rec}."));
            }
        }
        (Outcome::Recommended, None) => other.push(
            "A DPIA is recommended (one WP248 criterion is met) and no decision on it is on record."
                .into(),
        ),
        (Outcome::Recommended, Some(rec)) => other.push(format!(
            "A DPIA is recommended (one WP248 criterion is met); on record: {rec}."
        )),
        (Outcome::NotRequiredDocumented, _) => {}
    }
    let contradictions = contradictions(i, transfers);
    if !contradictions.is_empty() {
        defer.push(format!(
            "{} contradiction(s) between sources must be resolved first: {}.",
            contradictions.len(),
            contradictions
                .iter()
                .map(|c| c.topic.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    for f in &d.flags {
        other.push(format!("{}.", f.message));
    }
    let named = |status: ChapterV| -> Vec<String> {
        transfers
            .destinations
            .iter()
            .filter(|t| t.chapter_v == status)
            .map(|t| {
                format!(
                    "{} ({})",
                    t.destination,
                    t.country.as_deref().unwrap_or("country not declared")
                )
            })
            .collect()
    };
    let transferred = named(ChapterV::Transfer);
    if !transferred.is_empty() {
        other.push(format!(
            "Personal data leaves the EEA (Chapter V transfers): {}.",
            transferred.join(", ")
        ));
    }
    let undetermined = named(ChapterV::ToDetermine);
    if !undetermined.is_empty() {
        other.push(format!(
            "Whether Chapter V applies is still to be determined for: {}.",
            undetermined.join(", ")
        ));
    }

    let conditions = conditions::conditions(i, transfers);
    let (decision, reason) = if !reject.is_empty() {
        (Decision::Reject, reject.join(" "))
    } else if !escalate.is_empty() {
        (Decision::Escalate, escalate.join(" "))
    } else if !defer.is_empty() {
        (Decision::Defer, defer.join(" "))
    } else if !conditions.is_empty() {
        (
            Decision::ApproveWithConditions,
            format!(
                "Nothing blocks the purchase; {} condition(s) must be met first ({}).",
                conditions.len(),
                conditions
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    } else {
        (
            Decision::Approve,
            "Nothing is open: verified attestation, no rejection, no restricted party, no gate denial, no concentration flag, no DPIA need, no condition.".into(),
        )
    };
    let reasons: Vec<String> = reject
        .into_iter()
        .chain(escalate)
        .chain(defer)
        .chain(other)
        .collect();
    Recommendation {
        decision,
        reason,
        reasons,
        contradictions,
        conditions,
        review_triggers: conditions::review_triggers(i),
    }
}

#[cfg(test)]
mod tests;
