//! Restricted-list screening of what inventories report: every resolved
//! vendor through [`crate::analyze::screening::Screener`] (its names and its
//! parents'), and every manufacturer string as reported, so a raw `HUAWEI`
//! that no catalog entry resolves still surfaces against a Huawei
//! designation. A reported string is not a verified legal entity: its
//! matches are always *possible* matches for a human to confirm.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::matcher::Matcher;
use crate::analyze::screening::{Confidence, Screener};
use crate::model::{Designations, EntryStatus};
use crate::names;

/// What was screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// A vendor id the records resolved to.
    Vendor,
    /// A manufacturer string as reported.
    ReportedManufacturer,
}

/// One match of what the inventories hold against a list entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ScreeningHit {
    /// Active (restricts) or historical (context).
    pub status: EntryStatus,
    /// Exact or possible.
    pub confidence: Confidence,
    /// The vendor id or the reported string.
    pub subject: String,
    /// Which of the two it is.
    pub via: Via,
    /// List id.
    pub list: String,
    /// List name.
    pub list_name: String,
    /// List snapshot date.
    pub snapshot_date: String,
    /// Listed entity.
    pub entity: String,
    /// The entry's citation.
    pub citation: String,
    /// Active devices concerned.
    pub devices: u64,
    /// One sentence for people.
    pub summary: String,
}

/// Screen the vendors (with their active device counts) and the reported
/// manufacturer strings (with the vendor each resolved to, if any).
pub(super) fn screen(
    matcher: &Matcher<'_>,
    designations: Option<&Designations>,
    vendors: &BTreeMap<String, u64>,
    reported: &BTreeMap<String, (Option<String>, u64)>,
) -> Vec<ScreeningHit> {
    let Some(d) = designations else {
        return Vec::new();
    };
    let screener = Screener::new(matcher.fleet(), Some(d));
    let mut out = Vec::new();
    let mut covered: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (vendor, n) in vendors {
        for h in screener.screen(vendor) {
            covered.insert((vendor.clone(), h.list.clone(), h.entity.clone()));
            out.push(ScreeningHit {
                status: h.status,
                confidence: h.confidence,
                subject: vendor.clone(),
                via: Via::Vendor,
                list: h.list,
                list_name: h.list_name,
                snapshot_date: h.snapshot_date,
                entity: h.entity,
                citation: h.citation,
                devices: *n,
                summary: h.summary,
            });
        }
    }
    // Reported strings, merged by normalised form.
    let mut by_norm: BTreeMap<String, (String, BTreeSet<String>, u64)> = BTreeMap::new();
    for (raw, (vendor, n)) in reported {
        let k = names::normalize(raw);
        if k.is_empty() {
            continue;
        }
        let e = by_norm
            .entry(k)
            .or_insert_with(|| (raw.clone(), BTreeSet::new(), 0));
        if let Some(v) = vendor {
            e.1.insert(v.clone());
        }
        e.2 += n;
    }
    for (k, (raw, vendors, n)) in by_norm {
        for list in &d.lists {
            for entry in &list.entries {
                let hit = std::iter::once(&entry.entity)
                    .chain(&entry.aliases)
                    .map(|name| names::normalize(name))
                    .find(|lk| *lk == k || names::is_token_prefix(&k, lk));
                if hit.is_none() {
                    continue;
                }
                if vendors
                    .iter()
                    .any(|v| covered.contains(&(v.clone(), list.id.clone(), entry.entity.clone())))
                {
                    continue;
                }
                let status = match entry.status {
                    EntryStatus::Active => "active entry",
                    EntryStatus::Historical => "historical entry: context only, not a restriction",
                };
                out.push(ScreeningHit {
                    status: entry.status,
                    confidence: Confidence::Possible,
                    subject: raw.clone(),
                    via: Via::ReportedManufacturer,
                    list: list.id.clone(),
                    list_name: list.name.clone(),
                    snapshot_date: list.snapshot_date.to_string(),
                    entity: entry.entity.clone(),
                    citation: entry.citation.clone(),
                    devices: n,
                    summary: format!(
                        "reported manufacturer \"{raw}\" possibly matches \"{}\" on {} ({}, snapshot {}): {status}; confirm by hand and add the manufacturer to the catalog",
                        entry.entity, list.name, list.publisher, list.snapshot_date
                    ),
                });
            }
        }
    }
    out.sort();
    out
}
