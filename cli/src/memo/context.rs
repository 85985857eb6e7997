//! The template context of a memo: everything a template may cite, built
//! from the report (analysis, gate, attestation status), the stack manifest,
//! the attestation's evidence components and the answers file.
//!
//! `templates/CONTEXT.md` documents each key; `strata memo --dump-context`
//! prints the context as JSON.

use serde::Serialize;
use serde_json::{Value, json};

use crate::analyze::{DeviceAnalysis, FleetAnalysis};
use crate::decision::risks::{self, Art36, Risk};
use crate::decision::{self, Inputs, Recommendation};
use crate::model::{Answers, Fact, Stack};
use crate::report::DeviceReport;

/// One entry of the evidence register; memos cite it as `[E-n]`.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceEntry {
    /// `E-n`.
    pub id: String,
    /// attestation, evidence-file, review, declarations, list-snapshot, fact.
    pub kind: &'static str,
    /// What it is.
    pub title: String,
    /// Digest, date or source detail.
    pub detail: String,
    /// The `sha256:` digest that `detail` starts with, when it does (HTML
    /// memos set it apart: a digest may break anywhere, prose may not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The rest of `detail` after its digest (a review's note, a
    /// declarations document's evaluation time), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// Verification or evidence status.
    pub status: String,
    /// Lookup key (`attestation`, `list:<id>`, `review`); see `cite`.
    pub key: String,
}

/// Evidence tags of facts (governance-facts §0).
pub fn status_label(status: &str) -> &'static str {
    match status {
        "V" => "verified",
        "S" => "secondary sources",
        "M" => "model knowledge, unverified",
        "U" => "unverified",
        _ => "unknown status",
    }
}

fn fact_entry(layer: &str, f: &Fact) -> (String, String, String) {
    let mut detail = f.source.clone();
    if let Some(d) = &f.source_date {
        detail.push_str(&format!(", {d}"));
    }
    let mut status = format!("[{}] {}", f.status, status_label(&f.status));
    if let Some(by) = &f.by {
        status.push_str(&format!("; claim by {by}"));
    }
    (format!("{layer}: {}", f.claim), detail, status)
}

/// Build the evidence register for one device. A reviews file that exists
/// but does not load is an error, as it is for the gate.
pub fn evidence_register(
    stack: &Stack,
    report: &DeviceReport,
    analysis: &FleetAnalysis,
    cited: &[&super::cited::Cited],
) -> Vec<EvidenceEntry> {
    let mut rows: Vec<(&'static str, String, String, String)> = Vec::new();
    let mut keys: Vec<String> = vec!["attestation".into()];
    rows.push((
        "attestation",
        format!(
            "CycloneDX attestation {}",
            report
                .attestation
                .path
                .as_deref()
                .unwrap_or("(none listed)")
        ),
        report
            .attestation
            .sha256
            .as_ref()
            .map(|d| format!("sha256:{d}"))
            .unwrap_or_else(|| "no file".into()),
        report.attestation.status.to_string(),
    ));
    for e in &report.evidence {
        keys.push(format!("evidence:{}", keys.len()));
        let status = match e.verification.as_deref() {
            Some("passed") => "digest recorded in the attestation; verification passed".to_string(),
            Some("failed") => "digest recorded in the attestation; verification FAILED".to_string(),
            Some(v) => format!("digest recorded in the attestation; verification {v}"),
            None => "digest recorded in the attestation".to_string(),
        };
        rows.push((
            "evidence-file",
            format!("{}: {} ({})", e.layer, e.name, e.kind),
            format!("sha256:{}", e.sha256),
            status,
        ));
    }
    // Reviews bound to the attestation's current digest; `cite.review`
    // points at the first, `cite["review:N"]` at the others.
    if report.reviews.is_empty() {
        keys.push("review".into());
        rows.push((
            "review",
            "Review of the attestation".into(),
            "no review of the current attestation digest".into(),
            "not reviewed".into(),
        ));
    }
    for (i, r) in report.reviews.iter().enumerate() {
        keys.push(if i == 0 {
            "review".into()
        } else {
            format!("review:{i}")
        });
        let mut status = format!("{} {}", r.verdict.as_str(), r.criteria.join(", "));
        if let Some(e) = &r.expires {
            status.push_str(&format!(", expires {e}"));
        }
        rows.push((
            "review",
            format!("Review by {} on {}", r.reviewer, r.date),
            format!(
                "{}{}",
                r.digest,
                r.note
                    .as_deref()
                    .map(|n| format!("; {n}"))
                    .unwrap_or_default()
            ),
            status,
        ));
    }
    // The declarations document (`strata attest`): the gate's verdicts
    // and the reviewers' approvals as CycloneDX 1.6 claims.
    if let Some(c) = &report.declarations {
        keys.push("declarations".into());
        let evaluated = match &c.read {
            crate::report::DeclarationsRead::Declared(d) => d
                .evaluated
                .as_deref()
                .map(|t| format!("; evaluated {t}"))
                .unwrap_or_default(),
            crate::report::DeclarationsRead::Unreadable(_) => String::new(),
        };
        rows.push((
            "declarations",
            format!("CycloneDX 1.6 declarations {}", c.path),
            format!("{}{evaluated}", c.sha256),
            crate::report::declarations_status(c),
        ));
    }
    // Earlier final memos (`--cite`), each checked against its binding;
    // `cite["final:N"]` points at the N-th.
    for (n, c) in cited.iter().enumerate() {
        keys.push(format!("final:{n}"));
        rows.push((
            "final-memo",
            c.title.clone(),
            c.detail.clone(),
            c.status.clone(),
        ));
    }
    for l in &analysis.lists {
        keys.push(format!("list:{}", l.id));
        rows.push((
            "list-snapshot",
            format!("{} ({})", l.name, l.publisher),
            format!("snapshot {}; {}", l.snapshot_date, l.source),
            format!("{} active entries screened", l.active_entries),
        ));
    }
    for f in &stack.device.facts {
        let (t, d, s) = fact_entry("device", f);
        keys.push(format!("fact:{}", keys.len()));
        rows.push(("fact", t, d, s));
    }
    for (name, layer) in stack.layers.iter() {
        for f in &layer.facts {
            let (t, d, s) = fact_entry(name.as_str(), f);
            keys.push(format!("fact:{}", keys.len()));
            rows.push(("fact", t, d, s));
        }
        if let Some(a) = &layer.agent {
            for f in &a.facts {
                let (t, d, s) = fact_entry(&format!("agent {}", a.name), f);
                keys.push(format!("fact:{}", keys.len()));
                rows.push(("fact", t, d, s));
            }
        }
    }
    rows.into_iter()
        .zip(keys)
        .enumerate()
        .map(|(i, ((kind, title, detail, status), key))| {
            let (digest, remark) = split_digest(&detail);
            EvidenceEntry {
                id: format!("E-{}", i + 1),
                kind,
                title,
                digest,
                remark,
                detail,
                status,
                key,
            }
        })
        .collect()
}

/// A detail that starts with a `sha256:` digest, split into the digest and
/// what follows it (after `; `); `(None, None)` for any other detail.
fn split_digest(detail: &str) -> (Option<String>, Option<String>) {
    if !detail.starts_with("sha256:") {
        return (None, None);
    }
    let end = detail
        .find(|c: char| c == ';' || c.is_whitespace())
        .unwrap_or(detail.len());
    let rest = detail[end..].trim_start_matches(';').trim();
    (
        Some(detail[..end].to_string()),
        (!rest.is_empty()).then(|| rest.to_string()),
    )
}

/// Everything a device memo's template receives.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceContext {
    /// The device's analysis (layers, concentration, flags, screening, DPIA
    /// screening); see `strata analyze --format json`.
    pub device: DeviceAnalysis,
    /// Attestation status, recorded DPIA, gate findings.
    pub status: DeviceReport,
    /// The attestation's status as findings state it: never "verified"
    /// while an evidence check FAILED ([`decision::verification_summary`]).
    pub verification: String,
    /// The stack manifest as written.
    pub stack: Stack,
    /// The risk register.
    pub risks: Vec<Risk>,
    /// The measure register (every measure of the answers, whether or not
    /// it treats a risk).
    pub measures: Vec<crate::decision::measures::MeasureItem>,
    /// The CNIL risk map: each risk's cell before and after the measures.
    pub risk_map: super::riskmap::RiskMap,
    /// The risk map as inline SVG (already escaped; use `| safe`).
    pub risk_map_svg: String,
    /// The risk types strata did not propose for this device, with why
    /// (their fixed ids are missing from the register).
    pub risks_not_proposed: Vec<risks::NotProposed>,
    /// Art. 36 prior consultation.
    pub art36: Art36,
    /// The procurement recommendation.
    pub recommendation: Recommendation,
    /// Where personal data goes and under which law, per destination
    /// (Chapter V, Art. 3, local law, the answers' tools).
    pub transfers: crate::regulation::transfers::Transfers,
    /// The employment context (WP249), for a device employees use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment: Option<crate::regulation::employment::Employment>,
    /// The product, AI and data rules that fit the deployment, dated from
    /// the regulatory calendar.
    pub rules: Vec<crate::regulation::rules::RuleNote>,
    /// The evidence register.
    pub evidence: Vec<EvidenceEntry>,
    /// Evidence key → `E-n`, for citations (`cite["attestation"]`,
    /// `cite["list:fcc-covered-list"]`, `cite["review"]`).
    pub cite: std::collections::BTreeMap<String, String>,
    /// The rules that fit, one sentence each with its date.
    pub notes: Vec<String>,
    /// Inline SVG stack chart (HTML only; already escaped), coloured by
    /// vendor group as in every chart of the document.
    pub chart_svg: String,
    /// The vendor groups of the chart with their colours.
    pub legend: Vec<super::chart::LegendEntry>,
    /// Historical list matches, one per list entry (the analysis lists one
    /// per layer the vendor appears in).
    pub history: Vec<crate::analyze::DeviceHit>,
    /// The procurement memo's sections ([`super::procurement`]).
    pub procurement: super::procurement::Procurement,
}

/// The rules as one sentence each (`notes`, for the findings' regulatory
/// calendar): the rule, why it fits, and its date.
fn rule_sentences(rules: &[crate::regulation::rules::RuleNote]) -> Vec<String> {
    rules
        .iter()
        .map(|r| {
            format!(
                "{}: {}{}.",
                r.rule,
                r.fits,
                r.date
                    .as_ref()
                    .map(|d| format!(" ({})", d.text))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// The JSON the templates see for one device (`strata memo --dump-context`).
pub fn to_value(ctx: &DeviceContext, common: &Value) -> crate::diag::Result<Value> {
    let mut v = serde_json::to_value(ctx)
        .map_err(|e| crate::diag::Error::internal("cannot serialise the memo context", e))?;
    let c = &ctx.device.concentration;
    super::figures::annotate(v.pointer_mut("/device/concentration/explain"), |m| {
        super::figures::stated_device(m, c)
    });
    if let (Some(obj), Some(c)) = (v.as_object_mut(), common.as_object()) {
        for (k, val) in c {
            obj.insert(k.clone(), val.clone());
        }
    }
    Ok(v)
}

/// The sentence every draft carries.
pub const DRAFT_DISCLAIMER: &str = "Tool-generated draft: decision support, not legal advice. Every figure can be recomputed from the annexed evidence; the DPO, procurement and counsel decide.";

/// The sentence a final memo carries.
pub const FINAL_DISCLAIMER: &str = "Decision support, not legal advice. Every figure can be recomputed from the annexed evidence; the people who sign below decide and are accountable for the decision.";

/// Keys shared by every memo: tool, date, disclaimer, answers, lists, and
/// `final` (no draft marking).
pub fn common(analysis: &FleetAnalysis, answers: &Answers, date: &str, final_: bool) -> Value {
    let mut v = json!({
        "tool": {"name": "strata", "version": env!("CARGO_PKG_VERSION")},
        "date": date,
        "final": final_,
        "disclaimer": if final_ { FINAL_DISCLAIMER } else { DRAFT_DISCLAIMER },
        "answers": answers,
        "lists": analysis.lists,
        "method": analysis.method,
        "fleet": analysis.fleet,
        "scale": risks::SCALE,
    });
    // Only with observed counts, so a memo on declared counts keeps its
    // context as it was.
    if let Some(c) = &analysis.counts {
        v["counts"] = json!(c);
    }
    super::figures::annotate(v.pointer_mut("/fleet/explain"), |m| {
        super::figures::stated_fleet(m, &analysis.fleet)
    });
    v
}

/// The fleet-wide things every device memo reads: the analysis, the
/// regulatory calendar, the memo's date and the document's colours.
#[derive(Debug, Clone, Copy)]
pub struct Shared<'a> {
    /// The fleet's analysis.
    pub analysis: &'a FleetAnalysis,
    /// The fleet's regulatory calendar, when it has one.
    pub calendar: Option<&'a crate::model::Calendar>,
    /// The memo's date.
    pub today: crate::clock::Date,
    /// One colour per vendor group for the whole document.
    pub colours: &'a crate::report::GroupColours,
    /// The fleet's vendors (supplier due diligence).
    pub vendors: Option<&'a crate::model::Vendors>,
    /// The lists the organisation expects screened (designations.yaml
    /// `expected`).
    pub expected_lists: &'a [crate::model::ExpectedList],
    /// Earlier final memos the memo cites (`--cite`), checked against
    /// their bindings.
    pub cited: &'a [super::cited::Cited],
}

/// Build the context of one device.
pub fn device_context(
    stack: Stack,
    device: &DeviceAnalysis,
    status: &DeviceReport,
    answers: &Answers,
    shared: &Shared<'_>,
) -> DeviceContext {
    let Shared {
        analysis, colours, ..
    } = *shared;
    let assessed = decision::assess(&Inputs {
        stack: &stack,
        device,
        answers,
        attestation: status.attestation.status,
        evidence: &status.evidence,
        reviews: &status.reviews,
        gate: &status.gate,
        dpia_recorded: status.dpia_recorded.as_deref(),
        fleet: Some(&analysis.fleet),
        calendar: shared.calendar,
        today: shared.today,
    });
    let legal = crate::regulation::Input {
        stack: &stack,
        device,
        answers,
        calendar: shared.calendar,
        today: shared.today,
    };
    let rules = crate::regulation::rules::rules(&legal);
    let employment = crate::regulation::employment::employment(&legal);
    let mut status = status.clone();
    status.decision = assessed.recommendation.decision;
    status.reason = assessed.recommendation.reason.clone();
    let cited: Vec<&super::cited::Cited> = shared
        .cited
        .iter()
        .filter(|c| c.device.as_deref().is_none_or(|d| d == device.id))
        .collect();
    let evidence = evidence_register(&stack, &status, analysis, &cited);
    let cite: std::collections::BTreeMap<String, String> = evidence
        .iter()
        .map(|e| (e.key.clone(), e.id.clone()))
        .collect();
    let mut history: Vec<crate::analyze::DeviceHit> = Vec::new();
    for h in &device.screening.historical {
        if !history
            .iter()
            .any(|x| x.hit.list == h.hit.list && x.hit.entity == h.hit.entity)
        {
            history.push(h.clone());
        }
    }
    let procurement = super::procurement::build(&super::procurement::Inputs {
        device,
        fleet: &analysis.devices,
        lists: &analysis.lists,
        expected: shared.expected_lists,
        vendors: shared.vendors,
        stack: &stack,
        answers,
        recommendation: &assessed.recommendation,
        calendar: shared.calendar,
        today: shared.today,
        cite: &cite,
    });
    DeviceContext {
        procurement,
        history,
        cite,
        notes: rule_sentences(&rules),
        rules,
        employment,
        chart_svg: super::chart::stack_chart(device, colours),
        legend: super::chart::device_legend(colours, device),
        device: device.clone(),
        verification: decision::verification_summary(status.attestation.status, &status.evidence),
        risks_not_proposed: risks::not_proposed(&stack, device),
        status,
        stack,
        measures: {
            let mut m = crate::decision::measures::register(answers);
            let ids: Vec<&str> = assessed.risks.iter().map(|r| r.id.as_str()).collect();
            crate::decision::measures::not_in_register(&mut m, &ids);
            m
        },
        risk_map: super::riskmap::RiskMap::of(&assessed.risks),
        risk_map_svg: super::riskmap::svg(&assessed.risks),
        risks: assessed.risks,
        art36: assessed.art36,
        recommendation: assessed.recommendation,
        transfers: assessed.transfers,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_is_split_into_its_digest_and_the_rest() {
        assert_eq!(
            split_digest("sha256:ab12"),
            (Some("sha256:ab12".into()), None)
        );
        assert_eq!(
            split_digest("sha256:ab12; Re-recorded for the attestation"),
            (
                Some("sha256:ab12".into()),
                Some("Re-recorded for the attestation".into())
            )
        );
        assert_eq!(split_digest("snapshot 2025-01-07; FCC"), (None, None));
        assert_eq!(split_digest("no file"), (None, None));
    }
}
