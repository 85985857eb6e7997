//! Restricted-list screening against the user's dated list snapshots
//! (`designations.yaml`).
//!
//! Each vendor a stack mentions is screened under every name it is known
//! by: its legal name and aliases, and those of each parent up to its group
//! (lists commonly extend to subsidiaries; an entry whose `match-scope` is
//! `entity` is matched on the vendor's own names only). Names are compared
//! after legal-name normalisation ([`crate::names`]); every hit says which
//! declared name matched which listed name.
//!
//! Only `active` entries restrict. `historical` entries (vacated, removed)
//! are reported as context with their dates, never as a restriction. Names
//! that share leading words without being equal ("Huawei" and "Huawei
//! Technologies") are *possible* matches for a human to confirm: as in
//! trade-screening practice, no match is not a safe harbour, and a possible
//! match is not a finding.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::fleet::Fleet;
use crate::model::{Designations, EntryStatus, LayerName, UpstreamRole};
use crate::names;

use super::resolve::Role;

/// One list snapshot, as screened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListInfo {
    /// List id.
    pub id: String,
    /// List name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Where the snapshot came from.
    pub source: String,
    /// Snapshot date.
    pub snapshot_date: String,
    /// When the user retrieved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Where it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Statute or order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// What a listing does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    /// Active entries in the snapshot.
    pub active_entries: usize,
    /// Historical entries in the snapshot.
    pub historical_entries: usize,
}

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Normalised names are equal.
    Exact,
    /// One normalised name extends the other; a human must confirm.
    Possible,
}

/// Whose name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The screened vendor's own name or alias.
    Vendor,
    /// A parent's name or alias (the entry covers its subsidiaries).
    Parent,
}

/// One match of a vendor against a list entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Hit {
    /// The vendor screened.
    pub vendor: String,
    /// List id.
    pub list: String,
    /// List name.
    pub list_name: String,
    /// List publisher.
    pub publisher: String,
    /// List snapshot date.
    pub snapshot_date: String,
    /// Listed entity.
    pub entity: String,
    /// Active (restricts) or historical (context).
    pub status: EntryStatus,
    /// When the listing took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// When it was vacated or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacated: Option<String>,
    /// The entry's citation.
    pub citation: String,
    /// What a listing does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    /// Exact or possible.
    pub confidence: Confidence,
    /// Whose name matched: the vendor's or a parent's.
    pub relation: Relation,
    /// The vendor id whose declared name matched.
    pub matched_vendor: String,
    /// That declared name, as in vendors.yaml.
    pub matched_name: String,
    /// The listed name it matched (the entity or one of its aliases).
    pub entry_name: String,
    /// The normalised form compared (the vendor side for possible matches).
    pub normalized: String,
    /// One sentence for people.
    pub summary: String,
}

/// Where a vendor appears in a device stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Appearance {
    /// The layer (none for the manufacturer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerName>,
    /// How the vendor appears there.
    pub role: Role,
    /// For an upstream vendor, what it does (fab, IP…), when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream_role: Option<UpstreamRole>,
}

impl Appearance {
    /// `silicon supplier`, `silicon fab`, `os upstream supplier`,
    /// `manufacturer`.
    pub fn label(&self) -> String {
        let role = match (self.role, self.upstream_role) {
            (Role::Upstream, Some(r)) => r.label(),
            (Role::Upstream, None) => "upstream supplier",
            (r, _) => r.as_str(),
        };
        match self.layer {
            Some(l) => format!("{l} {role}"),
            None => role.to_string(),
        }
    }
}

/// A match of one vendor against one list entry in a device: one per
/// (vendor, entry), with every place the vendor appears in the stack.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DeviceHit {
    /// Every layer and role the vendor has in the stack, in stack order.
    pub appears: Vec<Appearance>,
    /// The same, for people: "as silicon supplier, os supplier".
    pub located: String,
    /// The match.
    #[serde(flatten)]
    pub hit: Hit,
}

/// A device's screening result.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DeviceScreening {
    /// Exact matches on active entries: restrictions.
    pub active: Vec<DeviceHit>,
    /// Exact matches on historical entries: context only.
    pub historical: Vec<DeviceHit>,
    /// Possible matches, to confirm by hand.
    pub possible: Vec<DeviceHit>,
}

struct Entry<'a> {
    list: usize,
    entry: usize,
    names: Vec<(&'a str, String)>,
}

/// Screens vendors against the list snapshots.
pub struct Screener<'a> {
    fleet: &'a Fleet,
    lists: Option<&'a Designations>,
    entries: Vec<Entry<'a>>,
}

impl<'a> Screener<'a> {
    /// A screener over `lists` (none: nothing is screened).
    pub fn new(fleet: &'a Fleet, lists: Option<&'a Designations>) -> Self {
        let mut entries = Vec::new();
        for (li, list) in lists
            .map(|d| d.lists.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            for (ei, e) in list.entries.iter().enumerate() {
                let names = std::iter::once(&e.entity)
                    .chain(&e.aliases)
                    .map(|n| (n.as_str(), names::normalize(n)))
                    .filter(|(_, k)| !k.is_empty())
                    .collect();
                entries.push(Entry {
                    list: li,
                    entry: ei,
                    names,
                });
            }
        }
        Screener {
            fleet,
            lists,
            entries,
        }
    }

    /// The snapshots screened against.
    pub fn lists(&self) -> Vec<ListInfo> {
        let Some(d) = self.lists else {
            return Vec::new();
        };
        d.lists
            .iter()
            .map(|l| ListInfo {
                id: l.id.clone(),
                name: l.name.clone(),
                publisher: l.publisher.clone(),
                source: l.source.clone(),
                snapshot_date: l.snapshot_date.to_string(),
                retrieved: l.retrieved.map(|d| d.to_string()),
                jurisdiction: l.jurisdiction.clone(),
                legal_basis: l.legal_basis.clone(),
                effect: l.effect.clone(),
                active_entries: l
                    .entries
                    .iter()
                    .filter(|e| e.status == EntryStatus::Active)
                    .count(),
                historical_entries: l
                    .entries
                    .iter()
                    .filter(|e| e.status == EntryStatus::Historical)
                    .count(),
            })
            .collect()
    }

    /// Screen one vendor id: at most one hit per list entry, the strongest
    /// (exact on the vendor's own name, then exact via a parent, then
    /// possible), sorted.
    pub fn screen(&self, vendor: &str) -> Vec<Hit> {
        let Some(lists) = self.lists else {
            return Vec::new();
        };
        let mut candidates: Vec<(Relation, &str, &str, String)> = Vec::new();
        let own = std::iter::once((Relation::Vendor, vendor));
        let parents = self
            .fleet
            .ancestors(vendor)
            .into_iter()
            .map(|p| (Relation::Parent, p));
        for (rel, id) in own.chain(parents) {
            if let Some(v) = self.fleet.vendors.value.vendors.get(id) {
                for n in std::iter::once(&v.name).chain(&v.aliases) {
                    let k = names::normalize(n);
                    if !k.is_empty() {
                        candidates.push((rel, id, n.as_str(), k));
                    }
                }
            }
        }
        let mut hits = Vec::new();
        for e in &self.entries {
            let (Some(list), Some(entry)) = (
                lists.lists.get(e.list),
                lists.lists.get(e.list).and_then(|l| l.entries.get(e.entry)),
            ) else {
                continue;
            };
            let own_only = entry.match_scope.as_deref() == Some("entity");
            let mut best: Option<(Confidence, Relation, &str, &str, &str, &str)> = None;
            for (rel, id, declared, k) in &candidates {
                if own_only && *rel == Relation::Parent {
                    continue;
                }
                for (listed, lk) in &e.names {
                    let conf = if k == lk {
                        Confidence::Exact
                    } else if names::is_token_prefix(k, lk) {
                        Confidence::Possible
                    } else {
                        continue;
                    };
                    let cand = (conf, *rel, *id, *declared, *listed, k.as_str());
                    if best.as_ref().is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                        best = Some(cand);
                    }
                }
            }
            let Some((confidence, relation, matched_vendor, matched_name, entry_name, norm)) = best
            else {
                continue;
            };
            let mut hit = Hit {
                vendor: vendor.to_string(),
                list: list.id.clone(),
                list_name: list.name.clone(),
                publisher: list.publisher.clone(),
                snapshot_date: list.snapshot_date.to_string(),
                entity: entry.entity.clone(),
                status: entry.status,
                effective: entry.effective.map(|d| d.to_string()),
                vacated: entry.vacated.map(|d| d.to_string()),
                citation: entry.citation.clone(),
                effect: list.effect.clone(),
                confidence,
                relation,
                matched_vendor: matched_vendor.to_string(),
                matched_name: matched_name.to_string(),
                entry_name: entry_name.to_string(),
                normalized: norm.to_string(),
                summary: String::new(),
            };
            hit.summary = summary(&hit);
            hits.push(hit);
        }
        hits.sort();
        hits
    }

    /// Screen every vendor a device mentions, with where it appears.
    pub(crate) fn screen_device(&self, mentions: &[(Appearance, &str)]) -> DeviceScreening {
        // One entry per (vendor, list entry): a vendor that supplies three
        // layers matches once, naming the three places.
        let mut by_hit: BTreeMap<Hit, BTreeSet<Appearance>> = BTreeMap::new();
        let mut screened: BTreeMap<&str, Vec<Hit>> = BTreeMap::new();
        for (at, vendor) in mentions {
            let hits = screened
                .entry(*vendor)
                .or_insert_with(|| self.screen(vendor));
            for hit in hits.iter() {
                by_hit.entry(hit.clone()).or_default().insert(*at);
            }
        }
        let mut out = DeviceScreening::default();
        for (hit, appears) in by_hit {
            let appears: Vec<Appearance> = appears.into_iter().collect();
            let labels: Vec<String> = appears.iter().map(Appearance::label).collect();
            let dh = DeviceHit {
                located: format!("as {}", labels.join(", ")),
                appears,
                hit,
            };
            match (dh.hit.confidence, dh.hit.status) {
                (Confidence::Possible, _) => out.possible.push(dh),
                (Confidence::Exact, EntryStatus::Active) => out.active.push(dh),
                (Confidence::Exact, EntryStatus::Historical) => out.historical.push(dh),
            }
        }
        out
    }
}

fn summary(h: &Hit) -> String {
    let via = match h.relation {
        Relation::Vendor => format!("`{}` ({})", h.vendor, h.matched_name),
        Relation::Parent => format!(
            "`{}` through its parent `{}` ({})",
            h.vendor, h.matched_vendor, h.matched_name
        ),
    };
    let how = match h.confidence {
        Confidence::Exact => "matches",
        Confidence::Possible => "possibly matches (confirm by hand)",
    };
    let dates = match (&h.effective, &h.vacated) {
        (Some(e), Some(v)) => format!(", effective {e}, vacated {v}"),
        (Some(e), None) => format!(", effective {e}"),
        (None, Some(v)) => format!(", vacated {v}"),
        (None, None) => String::new(),
    };
    let status = match h.status {
        EntryStatus::Active => "active entry".to_string(),
        EntryStatus::Historical => "historical entry: context only, not a restriction".to_string(),
    };
    format!(
        "{via} {how} \"{}\" on {} ({}, snapshot {}): {status}{dates}",
        h.entry_name, h.list_name, h.publisher, h.snapshot_date
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::layout::VENDORS_FILE;
    use crate::model::{FileKind, parse_str};

    const VENDORS: &str = "version: 1
vendors:
  xiaomi:
    name: Xiaomi Corporation
    aliases: [\"Xiaomi Communications Co., Ltd.\", Xiaomi Inc.]
    jurisdiction: CN
  xiaomi-ev: {name: \"Xiaomi EV Technology Co., Ltd.\", parent: xiaomi, jurisdiction: CN}
  huawei-device: {name: \"Huawei Device Co., Ltd.\", jurisdiction: CN}
  hw: {name: \"HUAWEI TECHNOLOGIES CO., LTD\", jurisdiction: CN}
  zte-sub: {name: ZTE Devices Ltd, parent: zte, jurisdiction: CN}
  zte: {name: ZTE Corp., jurisdiction: CN}
  google: {name: Google LLC, jurisdiction: US}
";

    const LISTS: &str = "version: 1
lists:
  - id: fcc
    name: FCC Covered List
    publisher: FCC
    source: fcc.gov
    snapshot-date: \"2025-10-31\"
    entries:
      - {entity: Huawei Technologies Company, status: active, effective: \"2021-03-12\", citation: c1}
      - {entity: ZTE Corporation, status: active, match-scope: entity, citation: c2}
  - id: ccmc
    name: CCMC
    publisher: DoD
    source: court docket
    snapshot-date: \"2021-05-25\"
    entries:
      - {entity: Xiaomi Corporation, status: historical, effective: \"2021-01-14\", vacated: \"2021-05-25\", citation: c3}
  - id: made-up
    name: Made-up list
    publisher: Test
    source: test
    snapshot-date: \"2026-01-01\"
    entries:
      - {entity: Beijing Xiaomi, aliases: [\"XIAOMI COMMUNICATIONS CO LTD\"], status: active, citation: c4}
";

    fn with<T>(f: impl FnOnce(&Screener<'_>) -> T) -> T {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(VENDORS_FILE), VENDORS).unwrap();
        let fleet = Fleet::open(dir.path()).unwrap();
        let d: Designations = parse_str(
            LISTS,
            Path::new("designations.yaml"),
            FileKind::Designations,
        )
        .unwrap()
        .value;
        f(&Screener::new(&fleet, Some(&d)))
    }

    #[test]
    fn historical_entries_are_context_with_dates() {
        with(|s| {
            let hits = s.screen("xiaomi");
            let ccmc = hits.iter().find(|h| h.list == "ccmc").unwrap();
            assert_eq!(ccmc.status, EntryStatus::Historical);
            assert_eq!(ccmc.confidence, Confidence::Exact);
            assert_eq!(ccmc.vacated.as_deref(), Some("2021-05-25"));
            assert_eq!(
                ccmc.summary,
                "`xiaomi` (Xiaomi Corporation) matches \"Xiaomi Corporation\" on CCMC (DoD, snapshot 2021-05-25): historical entry: context only, not a restriction, effective 2021-01-14, vacated 2021-05-25"
            );
            let dev = s.screen_device(&[(at(Some(LayerName::Os), Role::Supplier), "xiaomi")]);
            assert!(dev.historical.iter().any(|h| h.hit.list == "ccmc"));
            assert!(dev.active.iter().all(|h| h.hit.list != "ccmc"));
        });
    }

    #[test]
    fn aliases_match_with_legal_name_normalisation() {
        with(|s| {
            let hits = s.screen("xiaomi");
            let made = hits.iter().find(|h| h.list == "made-up").unwrap();
            assert_eq!(made.status, EntryStatus::Active);
            assert_eq!(made.confidence, Confidence::Exact);
            assert_eq!(made.matched_name, "Xiaomi Communications Co., Ltd.");
            assert_eq!(made.entry_name, "XIAOMI COMMUNICATIONS CO LTD");
            assert_eq!(made.normalized, "xiaomi communications");
            // Case, punctuation and "Co., Ltd" vs "Company".
            let hw = s.screen("hw");
            assert_eq!(hw.len(), 1);
            assert_eq!(hw[0].entity, "Huawei Technologies Company");
            assert_eq!(hw[0].confidence, Confidence::Exact);
        });
    }

    #[test]
    fn parents_are_screened_for_subsidiaries() {
        with(|s| {
            let hits = s.screen("xiaomi-ev");
            let ccmc = hits.iter().find(|h| h.list == "ccmc").unwrap();
            assert_eq!(ccmc.relation, Relation::Parent);
            assert_eq!(ccmc.matched_vendor, "xiaomi");
            assert_eq!(ccmc.confidence, Confidence::Exact);
            assert!(ccmc.summary.contains("through its parent `xiaomi`"));
        });
    }

    #[test]
    fn entity_scope_entries_do_not_reach_subsidiaries() {
        with(|s| {
            assert_eq!(s.screen("zte")[0].confidence, Confidence::Exact);
            // The parent route is closed by `match-scope: entity`; what is
            // left is zte-sub's own name "ZTE Devices", which extends "ZTE":
            // a possible match only.
            let sub = s.screen("zte-sub");
            assert_eq!(sub.len(), 1);
            assert_eq!(sub[0].confidence, Confidence::Possible);
            assert_eq!(sub[0].relation, Relation::Vendor);
        });
    }

    #[test]
    fn near_names_are_possible_matches_not_restrictions() {
        with(|s| {
            // "Huawei Device" is not "Huawei Technologies": no match at all.
            assert!(s.screen("huawei-device").is_empty());
            let dev = s.screen_device(&[(at(None, Role::Manufacturer), "zte-sub")]);
            assert!(dev.active.is_empty());
            assert_eq!(dev.possible.len(), 1);
            assert!(dev.possible[0].hit.summary.contains("confirm by hand"));
        });
    }

    fn at(layer: Option<LayerName>, role: Role) -> Appearance {
        Appearance {
            layer,
            role,
            upstream_role: None,
        }
    }

    #[test]
    fn one_match_per_vendor_and_entry_naming_every_place() {
        with(|s| {
            let dev = s.screen_device(&[
                (at(None, Role::Manufacturer), "hw"),
                (at(Some(LayerName::Services), Role::Supplier), "hw"),
                (at(Some(LayerName::Silicon), Role::Supplier), "hw"),
                (at(Some(LayerName::Os), Role::Supplier), "hw"),
                (at(Some(LayerName::Os), Role::Supplier), "hw"),
                (at(Some(LayerName::Model), Role::Operator), "hw"),
                (
                    Appearance {
                        upstream_role: Some(UpstreamRole::Fab),
                        ..at(Some(LayerName::Silicon), Role::Upstream)
                    },
                    "hw",
                ),
            ]);
            assert_eq!(dev.active.len(), 1, "{:#?}", dev.active);
            let h = &dev.active[0];
            assert_eq!(h.hit.entity, "Huawei Technologies Company");
            assert_eq!(
                h.located,
                "as manufacturer, silicon supplier, silicon fab, os supplier, model operator, services supplier"
            );
            assert_eq!(h.appears.len(), 6);
            // Two vendors matching one entry are two matches.
            let two = s.screen_device(&[
                (at(Some(LayerName::Os), Role::Supplier), "xiaomi"),
                (at(Some(LayerName::Os), Role::Supplier), "xiaomi-ev"),
            ]);
            let ccmc: Vec<&str> = two
                .historical
                .iter()
                .filter(|h| h.hit.list == "ccmc")
                .map(|h| h.hit.vendor.as_str())
                .collect();
            assert_eq!(ccmc, ["xiaomi", "xiaomi-ev"]);
        });
    }

    #[test]
    fn unlisted_vendors_and_missing_lists_give_nothing() {
        with(|s| assert!(s.screen("google").is_empty()));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(VENDORS_FILE), VENDORS).unwrap();
        let fleet = Fleet::open(dir.path()).unwrap();
        let s = Screener::new(&fleet, None);
        assert!(s.screen("xiaomi").is_empty());
        assert!(s.lists().is_empty());
    }

    #[test]
    fn list_provenance_is_carried() {
        with(|s| {
            let l = s.lists();
            assert_eq!(l.len(), 3);
            assert_eq!(l[0].publisher, "FCC");
            assert_eq!(l[0].snapshot_date, "2025-10-31");
            assert_eq!(l[0].active_entries, 2);
            assert_eq!(l[1].historical_entries, 1);
        });
    }
}
