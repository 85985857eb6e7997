//! The procurement memo's own sections, built from data: the lists
//! screened with their versions and this device's result on each (and the
//! lists the organisation expects that were not screened), the options
//! considered (the fleet's diversified alternative and "defer" with their
//! figures), supplier due diligence from vendors.yaml, certifications
//! ([`super::assurance`]), the software support period against the
//! intended term of use, exit and lock-in, data residency, and the
//! public-procurement hooks for a public buyer.
//!
//! Nothing here is asserted without a source: a fact the inputs lack is
//! said to be "not declared", a list without a snapshot "not screened".

use std::collections::BTreeMap;

use serde::Serialize;

use super::assurance::{self, CertRow};
use super::figures::{hhi, index, percent};
use crate::analyze::{DeviceAnalysis, DeviceHit, FlagCode, ListInfo};
use crate::clock::Date;
use crate::decision::Recommendation;
use crate::model::{
    Answers, Calendar, EntryStatus, ExpectedList, Fact, OptionAnswer, Stack, Vendor, Vendors,
};

/// What the procurement sections are built from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The device's analysis.
    pub device: &'a DeviceAnalysis,
    /// Every device of the fleet (for the diversified alternative).
    pub fleet: &'a [DeviceAnalysis],
    /// The list snapshots screened.
    pub lists: &'a [ListInfo],
    /// The lists the organisation expects screened.
    pub expected: &'a [ExpectedList],
    /// The fleet's vendors.
    pub vendors: Option<&'a Vendors>,
    /// The stack manifest.
    pub stack: &'a Stack,
    /// The device's answers.
    pub answers: &'a Answers,
    /// The recommendation.
    pub recommendation: &'a Recommendation,
    /// The regulatory calendar.
    pub calendar: Option<&'a Calendar>,
    /// The memo's date.
    pub today: Date,
    /// Evidence key → `E-n`.
    pub cite: &'a BTreeMap<String, String>,
}

/// The procurement memo's sections (context key `procurement`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procurement {
    /// Every list snapshot screened, with this device's result.
    pub lists: Vec<ScreenedList>,
    /// The lists the organisation expects with no snapshot: not screened.
    pub not_screened: Vec<NotScreened>,
    /// True when designations.yaml names the lists it expects (`expected`);
    /// without them strata cannot say which lists were not screened.
    pub expected_named: bool,
    /// The options considered.
    pub options: Vec<Choice>,
    /// The diversified alternative in the fleet, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Alternative>,
    /// Supplier due diligence, one row per controlling vendor.
    pub suppliers: Vec<Supplier>,
    /// Certifications and assurance.
    pub certifications: Vec<CertRow>,
    /// The software support period against the intended term of use.
    pub support: SupportPeriod,
    /// Exit and lock-in.
    pub exit: Exit,
    /// Where data goes, per data route and endpoint.
    pub residency: Vec<Residency>,
    /// Public-procurement hooks; empty unless the answers say the buyer is
    /// public.
    pub public: Vec<Hook>,
}

/// One list snapshot (as the analysis screened it) and this device's
/// result on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenedList {
    /// The snapshot: `id`, `name`, `publisher`, `source`, `snapshot_date`,
    /// `retrieved`, …
    #[serde(flatten)]
    pub list: ListInfo,
    /// `active match`, `possible match`, `historical entry` or `no match`.
    pub result: &'static str,
    /// The entries matched, one sentence each.
    pub detail: Vec<String>,
    /// The snapshot's evidence id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// An expected list that was not screened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotScreened {
    /// List id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Where it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Why the organisation expects it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// The result word for a list: the strongest kind of match on it.
fn list_result(id: &str, device: &DeviceAnalysis) -> (&'static str, Vec<String>) {
    let on = |hits: &[DeviceHit]| -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for h in hits.iter().filter(|h| h.hit.list == id) {
            let s = match h.hit.status {
                EntryStatus::Active => format!("{}, {}", h.hit.entity, h.located),
                EntryStatus::Historical => format!(
                    "{}, effective {}, vacated {} ({}): context, not a restriction",
                    h.hit.entity,
                    h.hit.effective.as_deref().unwrap_or("?"),
                    h.hit.vacated.as_deref().unwrap_or("?"),
                    h.hit.citation
                ),
            };
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen
    };
    let s = &device.screening;
    let active = on(&s.active);
    if !active.is_empty() {
        return ("active match", active);
    }
    let possible: Vec<String> = on(&s.possible)
        .into_iter()
        .map(|p| format!("{p}: to confirm by hand"))
        .collect();
    if !possible.is_empty() {
        return ("possible match", possible);
    }
    let historical = on(&s.historical);
    if !historical.is_empty() {
        return ("historical entry", historical);
    }
    ("no match", Vec::new())
}

/// Every snapshot screened with the device's result, and the expected
/// lists that have no snapshot.
pub fn screened(
    lists: &[ListInfo],
    expected: &[ExpectedList],
    device: &DeviceAnalysis,
    cite: &BTreeMap<String, String>,
) -> (Vec<ScreenedList>, Vec<NotScreened>) {
    let done = lists
        .iter()
        .map(|l| {
            let (result, detail) = list_result(&l.id, device);
            ScreenedList {
                list: l.clone(),
                result,
                detail,
                cite: cite.get(&format!("list:{}", l.id)).cloned(),
            }
        })
        .collect();
    // An id named twice is named once.
    let mut named: Vec<&str> = Vec::new();
    let missing = expected
        .iter()
        .filter(|e| !lists.iter().any(|l| l.id == e.id))
        .filter(|e| {
            let first = !named.contains(&e.id.as_str());
            named.push(&e.id);
            first
        })
        .map(|e| NotScreened {
            id: e.id.clone(),
            name: e.name.clone(),
            publisher: e.publisher.clone(),
            jurisdiction: e.jurisdiction.clone(),
            why: e
                .why
                .as_deref()
                .map(|w| w.trim_end_matches('.').to_string()),
        })
        .collect();
    (done, missing)
}

/// One option considered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// The option.
    pub option: String,
    /// `strata` (built from the fleet) or `answers`.
    pub from: &'static str,
    /// What it means for the risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    /// What it means for the concentration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concentration: Option<String>,
}

/// The fleet's diversified alternative to a device.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// Device id.
    pub id: String,
    /// Device name.
    pub name: String,
    /// Its concentration figures, as the options table states them.
    pub figures: String,
}

/// Compare by VCI (an undefined one last), then TOP, then id.
fn concentration_key(d: &DeviceAnalysis) -> (f64, f64) {
    let c = &d.concentration;
    (
        c.vci.unwrap_or(f64::INFINITY),
        c.top.as_ref().map(|t| t.share).unwrap_or(0.0),
    )
}

/// The diversified alternative: the approved stack of the same device
/// class in the fleet with the lowest concentration (VCI, then TOP), when
/// it is lower than this device's.
pub fn diversified<'a>(
    device: &DeviceAnalysis,
    fleet: &'a [DeviceAnalysis],
) -> Option<&'a DeviceAnalysis> {
    let own = concentration_key(device);
    fleet
        .iter()
        .filter(|d| d.id != device.id && d.class == device.class && d.approved)
        .filter(|d| concentration_key(d) < own)
        .min_by(|a, b| {
            concentration_key(a)
                .partial_cmp(&concentration_key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.id.cmp(&b.id))
        })
}

/// "VCI 1.00, TOP 1.00 (Xiaomi Corporation), N_eff 1.00, HHI 10000, band
/// single-vendor-vertical".
fn figures(d: &DeviceAnalysis) -> String {
    let c = &d.concentration;
    let top = c
        .top
        .as_ref()
        .map(|t| format!(", TOP {} ({})", index(t.share), t.name))
        .unwrap_or_default();
    format!(
        "VCI {}{top}, N_eff {}, HHI {}, band {}",
        c.vci.map(index).unwrap_or_else(|| "undefined".into()),
        index(c.n_eff),
        hhi(c.hhi),
        c.band.as_str()
    )
}

fn screening_words(d: &DeviceAnalysis) -> String {
    if d.screening.active.is_empty() {
        "no active restricted-list match on the lists screened".into()
    } else {
        let mut names: Vec<&str> = d
            .screening
            .active
            .iter()
            .map(|h| h.hit.entity.as_str())
            .collect();
        names.dedup();
        format!("active restricted-list match: {}", names.join(", "))
    }
}

/// The options: as proposed, the diversified alternative, defer, then the
/// answers' own.
pub fn options(i: &Inputs<'_>) -> Vec<Choice> {
    let d = i.device;
    let r = i.recommendation;
    let mut out = vec![Choice {
        option: format!("Buy {} as proposed", d.name),
        from: "strata",
        risk: Some(format!(
            "{}: {}; {}",
            r.decision.as_str(),
            r.reason.trim_end_matches('.'),
            screening_words(d)
        )),
        concentration: Some(figures(d)),
    }];
    out.push(match diversified(d, i.fleet) {
        Some(alt) => Choice {
            option: format!(
                "Diversified alternative: {} (`{}`), the approved {} stack in the fleet with the lowest concentration",
                alt.name,
                alt.id,
                d.class.as_str()
            ),
            from: "strata",
            risk: Some(format!(
                "{}; its own memo (`strata memo procurement {}`) carries its decision",
                screening_words(alt),
                alt.id
            )),
            concentration: Some(format!("{} (this device: {})", figures(alt), figures(d))),
        },
        None => Choice {
            option: "Diversified alternative: none in the fleet".into(),
            from: "strata",
            risk: Some(format!(
                "no approved {} stack in the fleet has a lower concentration than this one; a diversified alternative must be sourced outside the fleet",
                d.class.as_str()
            )),
            concentration: Some(figures(d)),
        },
    });
    let open = r.reasons.len();
    out.push(Choice {
        option: "Defer, or do nothing".into(),
        from: "strata",
        risk: Some(format!(
            "no new exposure; the need stays unmet and the {open} finding(s) above stay open until a new decision"
        )),
        concentration: Some(
            "the fleet's figures stay as they are (annex B, the fleet)".to_string(),
        ),
    });
    for o in &i.answers.options {
        let (risk, concentration) = match o {
            OptionAnswer::Text(_) => (None, None),
            OptionAnswer::Assessed(a) => (a.risk.clone(), a.concentration.clone()),
        };
        out.push(Choice {
            option: o.option().to_string(),
            from: "answers",
            risk,
            concentration,
        });
    }
    out
}

/// Supplier due diligence for one controlling vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Supplier {
    /// Vendor id.
    pub id: String,
    /// Legal name.
    pub name: String,
    /// The layers it controls or holds a part of.
    pub layers: Vec<String>,
    /// Ownership chain up to the ultimate group, each with its
    /// jurisdiction: "Google LLC (US) → Alphabet Inc. (US)".
    pub chain: String,
    /// Sourced facts: ownership, listing, foreign-control indicators, each
    /// with the entity it is about.
    pub facts: Vec<SupplierFact>,
    /// What vendors.yaml does not declare for the chain.
    pub not_declared: Vec<&'static str>,
    /// Restricted-list status: active matches, possible matches, history.
    pub lists: String,
}

/// A sourced fact of supplier due diligence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplierFact {
    /// `ownership`, `listing` or `foreign-control indicator`.
    pub kind: &'static str,
    /// The vendor it is about.
    pub entity: String,
    /// The fact with its source and tag.
    pub text: String,
}

/// "claim (source, date) [S], claim by vendor".
pub fn fact_text(f: &Fact) -> String {
    let mut s = format!("{} ({}", f.claim.trim_end_matches('.'), f.source);
    if let Some(d) = f.source_date {
        s.push_str(&format!(", {d}"));
    }
    s.push_str(&format!(") [{}]", f.status));
    if let Some(by) = &f.by {
        s.push_str(&format!(", claim by {by}"));
    }
    s
}

/// The vendor and its parents, bounded (a cycle is refused at load, but
/// the walk does not rely on it).
fn chain<'a>(vendors: &'a Vendors, id: &str) -> Vec<(&'a str, &'a Vendor)> {
    let mut out: Vec<(&str, &Vendor)> = Vec::new();
    let mut next = vendors.vendors.get_key_value(id);
    while let Some((k, v)) = next {
        if out.len() >= 16 || out.iter().any(|(seen, _)| *seen == k.as_str()) {
            break;
        }
        out.push((k.as_str(), v));
        next = v
            .parent
            .as_deref()
            .and_then(|p| vendors.vendors.get_key_value(p));
    }
    out
}

fn supplier_lists(d: &DeviceAnalysis, ids: &[&str]) -> String {
    let ours = |hits: &[DeviceHit]| -> Vec<String> {
        let mut v: Vec<String> = hits
            .iter()
            .filter(|h| ids.contains(&h.hit.vendor.as_str()))
            .map(|h| format!("{} ({})", h.hit.entity, h.hit.list_name))
            .collect();
        v.dedup();
        v
    };
    let mut parts = Vec::new();
    let active = ours(&d.screening.active);
    if !active.is_empty() {
        parts.push(format!("ACTIVE restriction: {}", active.join("; ")));
    }
    let possible = ours(&d.screening.possible);
    if !possible.is_empty() {
        parts.push(format!(
            "possible match to confirm: {}",
            possible.join("; ")
        ));
    }
    let historical = ours(&d.screening.historical);
    if !historical.is_empty() {
        parts.push(format!(
            "historical entry, context and never a restriction: {}",
            historical.join("; ")
        ));
    }
    if active.is_empty() && possible.is_empty() {
        parts.insert(0, "no active match on the lists screened".into());
    }
    parts.join("; ")
}

/// One row per vendor that controls or holds a part of a layer, in stack
/// order.
pub fn suppliers(device: &DeviceAnalysis, vendors: Option<&Vendors>) -> Vec<Supplier> {
    let mut order: Vec<(String, String, Vec<String>)> = Vec::new();
    for l in &device.layers {
        for p in &l.parts {
            match order.iter_mut().find(|(id, _, _)| *id == p.vendor.id) {
                Some((_, _, layers)) => {
                    if !layers.contains(&l.layer.to_string()) {
                        layers.push(l.layer.to_string());
                    }
                }
                None => order.push((
                    p.vendor.id.clone(),
                    p.vendor.name.clone(),
                    vec![l.layer.to_string()],
                )),
            }
        }
    }
    order
        .into_iter()
        .map(|(id, name, layers)| {
            let links = vendors.map(|v| chain(v, &id)).unwrap_or_default();
            let chain_text = if links.is_empty() {
                format!("{name} (not in vendors.yaml)")
            } else {
                links
                    .iter()
                    .map(|(_, v)| format!("{} ({})", v.name, v.jurisdiction))
                    .collect::<Vec<_>>()
                    .join(" → ")
            };
            let mut facts = Vec::new();
            for (_, v) in &links {
                if let Some(f) = &v.ownership {
                    facts.push(SupplierFact {
                        kind: "ownership",
                        entity: v.name.clone(),
                        text: fact_text(f),
                    });
                }
                if let Some(f) = &v.listed {
                    facts.push(SupplierFact {
                        kind: "listing",
                        entity: v.name.clone(),
                        text: fact_text(f),
                    });
                }
                for f in &v.control_indicators {
                    facts.push(SupplierFact {
                        kind: "foreign-control indicator",
                        entity: v.name.clone(),
                        text: fact_text(f),
                    });
                }
            }
            let mut not_declared = Vec::new();
            if !links.iter().any(|(_, v)| v.ownership.is_some()) {
                not_declared.push("ownership and control");
            }
            if !links.iter().any(|(_, v)| v.listed.is_some()) {
                not_declared.push("listing venue");
            }
            if !links.iter().any(|(_, v)| !v.control_indicators.is_empty()) {
                not_declared.push("foreign-control indicators");
            }
            let mut ids: Vec<&str> = links.iter().map(|(k, _)| *k).collect();
            if ids.is_empty() {
                ids.push(id.as_str());
            }
            Supplier {
                lists: supplier_lists(device, &ids),
                id: id.clone(),
                name,
                layers,
                chain: chain_text,
                facts,
                not_declared,
            }
        })
        .collect()
}

/// The software support period against the intended term of use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupportPeriod {
    /// What the vendor declared, with its source; absent when nothing is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// The intended term of use from the answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// The comparison, one sentence.
    pub verdict: String,
    /// True when the declared support ends before the intended term (or
    /// has ended).
    pub short: bool,
}

/// Compare the stack's `device.support` with the answers' `term-of-use`.
pub fn support(stack: &Stack, answers: &Answers, today: Date) -> SupportPeriod {
    let s = stack.device.support.as_ref();
    let term = answers.term_of_use.as_ref();
    let declared = s.map(|s| {
        let what = match (s.until, s.years) {
            (Some(u), _) => format!("security and OS updates until {u}"),
            (None, Some(y)) => format!("{y} years of updates"),
            (None, None) => "a support period".to_string(),
        };
        let mut f = what;
        if let Some(c) = &s.claim {
            f.push_str(&format!(": \"{c}\""));
        }
        f.push_str(&format!(" ({}", s.source));
        if let Some(d) = s.source_date {
            f.push_str(&format!(", {d}"));
        }
        f.push_str(&format!(") [{}]", s.status));
        if let Some(by) = &s.by {
            f.push_str(&format!(", claim by {by}"));
        }
        f
    });
    let term_text = term.map(|t| {
        let mut s = format!("in use until {}", t.until);
        if let Some(n) = &t.note {
            s.push_str(&format!(" ({n})"));
        }
        s
    });
    let (verdict, short) = match (s, term) {
        (None, _) => (
            "not declared: ask the vendor for the end date of security and OS updates".to_string(),
            false,
        ),
        (Some(s), _) if s.until.is_some_and(|u| u < today) => (
            format!(
                "support ended on {}: the devices no longer receive security updates",
                s.until.map(|u| u.to_string()).unwrap_or_default()
            ),
            true,
        ),
        (Some(_), None) => (
            "the intended term of use is not given, so the period cannot be compared with it"
                .into(),
            false,
        ),
        (Some(s), Some(t)) => match s.until {
            Some(u) if u >= t.until => (
                format!(
                    "covers the intended term: updates to {u}, use to {}",
                    t.until
                ),
                false,
            ),
            Some(u) => (
                format!(
                    "ends before the intended term: updates to {u}, use to {}; the devices would run without security updates from {u}",
                    t.until
                ),
                true,
            ),
            None => (
                format!(
                    "a period in years with no end date: compare it with the term (use to {}) from the launch date by hand",
                    t.until
                ),
                false,
            ),
        },
    };
    SupportPeriod {
        declared,
        term: term_text,
        verdict,
        short,
    }
}

/// Exit and lock-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exit {
    /// What switching costs, from the analysis: one sentence per vendor
    /// group holding whole layers, and the data path.
    pub switching: Vec<String>,
    /// Data portability facts from the stack.
    pub portability: Vec<String>,
}

/// What leaving each vendor group costs, from the layers it holds whole.
pub fn exit(device: &DeviceAnalysis, stack: &Stack) -> Exit {
    let total = device.layers.len();
    let mut switching: Vec<String> = device
        .concentration
        .groups
        .iter()
        .filter(|g| !g.controls.is_empty())
        .map(|g| {
            let layers: Vec<&str> = g.controls.iter().map(|l| l.as_str()).collect();
            format!(
                "{} holds {} of {total} layers whole ({}): leaving it replaces {}",
                g.name,
                g.controls.len(),
                layers.join(", "),
                match g.controls.len() {
                    n if n == total => "the whole device".to_string(),
                    1 => format!("that layer ({} of the stack)", percent(g.share)),
                    n => format!(
                        "those {n} layers together ({} of the stack)",
                        percent(g.share)
                    ),
                }
            )
        })
        .collect();
    if let Some(f) = device.flag(FlagCode::DataPathSingleVendor) {
        switching.push(format!(
            "One vendor group{} runs the data path (os, model and services): the data, the assistant and the cloud leave together or not at all",
            f.group_name
                .as_deref()
                .map(|n| format!(", {n},"))
                .unwrap_or_default()
        ));
    }
    Exit {
        switching,
        portability: stack.device.portability.iter().map(fact_text).collect(),
    }
}

/// Build every procurement section.
pub fn build(i: &Inputs<'_>) -> Procurement {
    let (lists, not_screened) = screened(i.lists, i.expected, i.device, i.cite);
    Procurement {
        lists,
        not_screened,
        expected_named: !i.expected.is_empty(),
        options: options(i),
        alternative: diversified(i.device, i.fleet).map(|d| Alternative {
            id: d.id.clone(),
            name: d.name.clone(),
            figures: figures(d),
        }),
        suppliers: suppliers(i.device, i.vendors),
        certifications: assurance::rows(
            i.device.class,
            &i.stack.device.certifications,
            i.calendar,
            i.today,
        ),
        support: support(i.stack, i.answers, i.today),
        exit: exit(i.device, i.stack),
        residency: residency(i.stack, i.vendors),
        public: public_hooks(i.answers),
    }
}

mod public;
mod residency;

pub use public::{Hook, public_hooks};
pub use residency::{Residency, residency};

#[cfg(test)]
mod tests;
