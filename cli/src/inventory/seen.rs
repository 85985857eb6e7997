//! "Seen but not approved": what the policy's inventories see in use on no
//! approved stack, for the report and the fleet memo. Catalogued stacks
//! nobody approved and models the catalog does not know, by vendor group and
//! vendor, with ownership; unknown models by the manufacturer they were
//! reported under; manufacturers nothing resolves; and the restricted-list
//! hits on any of those. Only counts and product identifiers (stack ids,
//! vendor ids, manufacturer and model strings as reported): never a device
//! or a person.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::policy::PolicyInventory;
use super::{Counts, ScreeningHit, Via};
use crate::analyze::screening::Confidence;
use crate::fleet::Fleet;
use crate::model::EntryStatus;

/// One stack or model in use that nobody approved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeenRow {
    /// Vendor group id.
    pub group: String,
    /// Its legal name.
    pub group_name: String,
    /// Vendor id.
    pub vendor: String,
    /// The catalogued stack (device id), for a catalogued model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// The model as reported, for a model the catalog does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Devices by ownership.
    pub devices: Counts,
}

/// Models the catalog does not know, under one reported manufacturer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownByManufacturer {
    /// The manufacturer as reported.
    pub manufacturer: String,
    /// The vendor it resolves to.
    pub vendor: String,
    /// Devices reporting it with a model the catalog does not know.
    pub devices: u64,
}

/// A manufacturer nothing resolves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnresolvedRow {
    /// As reported (the most frequent spelling).
    pub manufacturer: String,
    /// The models reported under it, most devices first.
    pub models: Vec<String>,
    /// Devices by ownership.
    pub devices: Counts,
}

/// A restricted-list hit on what nobody approved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeenHit {
    /// The vendor id or the manufacturer string as reported.
    pub subject: String,
    /// Which of the two.
    pub via: Via,
    /// Active (restricts) or historical (context).
    pub status: EntryStatus,
    /// Exact or possible (a reported string is always possible).
    pub confidence: Confidence,
    /// List id.
    pub list: String,
    /// Listed entity.
    pub entity: String,
    /// Devices on no approved stack concerned.
    pub devices: u64,
    /// One sentence for people.
    pub summary: String,
}

/// What the inventories see that nobody approved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeenNotApproved {
    /// The inventories read, relative to the fleet root.
    pub inventories: Vec<String>,
    /// The time staleness was judged against.
    pub as_of: String,
    /// Active devices in all inventories.
    pub active: u64,
    /// Of them, on no approved stack, by ownership.
    pub devices: Counts,
    /// Catalogued stacks nobody approved and unknown models, by group,
    /// vendor and stack or model, most devices first.
    pub stacks: Vec<SeenRow>,
    /// Unknown models by the manufacturer reported, most devices first.
    pub unknown_by_manufacturer: Vec<UnknownByManufacturer>,
    /// Manufacturers nothing resolves, most devices first.
    pub unresolved: Vec<UnresolvedRow>,
    /// Whether restricted lists were screened (designations.yaml exists).
    pub screened: bool,
    /// Restricted-list hits on the above.
    pub restricted: Vec<SeenHit>,
}

fn add(c: &mut Counts, o: &Counts) {
    c.company += o.company;
    c.personal += o.personal;
    c.unknown += o.unknown;
}

impl PolicyInventory {
    /// What the inventories see that nobody approved; `screened` says
    /// whether the reconciliation was given restricted lists.
    pub fn seen_not_approved(&self, fleet: &Fleet, screened: bool) -> SeenNotApproved {
        let group_of = |vendor: &str, group: Option<&String>| -> (String, String) {
            let g = group
                .cloned()
                .or_else(|| fleet.group_of(vendor).map(str::to_string))
                .unwrap_or_else(|| vendor.to_string());
            let name = fleet.group_name(&g).unwrap_or(&g).to_string();
            (g, name)
        };
        type Key = (String, String, Option<String>, Option<String>);
        let mut rows: BTreeMap<Key, (String, Counts)> = BTreeMap::new();
        let mut makers: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut unresolved: BTreeMap<String, (BTreeMap<String, u64>, Counts)> = BTreeMap::new();
        let mut per_vendor: BTreeMap<String, u64> = BTreeMap::new();
        let mut per_reported: BTreeMap<String, u64> = BTreeMap::new();
        let mut total = Counts::default();
        for s in &self.report.sources {
            for r in s.stacks.iter().filter(|r| !r.approved) {
                let (g, name) = group_of(&r.vendor, r.group.as_ref());
                let e = rows
                    .entry((g, r.vendor.clone(), r.stack.clone(), None))
                    .or_insert_with(|| (name, Counts::default()));
                add(&mut e.1, &r.devices);
                add(&mut total, &r.devices);
                *per_vendor.entry(r.vendor.clone()).or_default() += r.devices.total();
            }
            for u in &s.unknown_models {
                let (g, name) = group_of(&u.vendor, u.group.as_ref());
                for m in &u.models {
                    let e = rows
                        .entry((g.clone(), u.vendor.clone(), None, Some(m.model.clone())))
                        .or_insert_with(|| (name.clone(), Counts::default()));
                    add(&mut e.1, &m.devices);
                }
                add(&mut total, &u.devices);
                *per_vendor.entry(u.vendor.clone()).or_default() += u.devices.total();
                for (maker, n) in &u.reported_as {
                    *makers.entry((maker.clone(), u.vendor.clone())).or_default() += n;
                    *per_reported.entry(maker.clone()).or_default() += n;
                }
            }
            for u in &s.unresolved {
                let e = unresolved.entry(u.manufacturer.clone()).or_default();
                for m in &u.models {
                    *e.0.entry(m.model.clone()).or_default() += m.devices.total();
                }
                add(&mut e.1, &u.devices);
                add(&mut total, &u.devices);
                for (maker, n) in &u.reported_as {
                    *per_reported.entry(maker.clone()).or_default() += n;
                }
            }
        }
        let mut stacks: Vec<SeenRow> = rows
            .into_iter()
            .map(
                |((group, vendor, stack, model), (group_name, devices))| SeenRow {
                    group,
                    group_name,
                    vendor,
                    stack,
                    model,
                    devices,
                },
            )
            .collect();
        stacks.sort_by_key(|r| std::cmp::Reverse(r.devices.total()));
        let mut unknown_by_manufacturer: Vec<UnknownByManufacturer> = makers
            .into_iter()
            .map(|((manufacturer, vendor), devices)| UnknownByManufacturer {
                manufacturer,
                vendor,
                devices,
            })
            .collect();
        unknown_by_manufacturer.sort_by_key(|u| std::cmp::Reverse(u.devices));
        let mut unresolved: Vec<UnresolvedRow> = unresolved
            .into_iter()
            .map(|(manufacturer, (models, devices))| {
                let mut models: Vec<(String, u64)> = models.into_iter().collect();
                models.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                UnresolvedRow {
                    manufacturer,
                    models: models.into_iter().map(|(m, _)| m).collect(),
                    devices,
                }
            })
            .collect();
        unresolved.sort_by_key(|u| std::cmp::Reverse(u.devices.total()));
        let restricted = hits(&self.report.screening, &per_vendor, &per_reported);
        SeenNotApproved {
            inventories: self.relative_paths(&fleet.root),
            as_of: self.report.as_of.clone(),
            active: self.report.totals.active,
            devices: total,
            stacks,
            unknown_by_manufacturer,
            unresolved,
            screened,
            restricted,
        }
    }
}

/// The screening hits whose subject is a vendor or a reported manufacturer
/// of devices on no approved stack, with those devices.
fn hits(
    screening: &[ScreeningHit],
    per_vendor: &BTreeMap<String, u64>,
    per_reported: &BTreeMap<String, u64>,
) -> Vec<SeenHit> {
    let mut seen = BTreeSet::new();
    screening
        .iter()
        .filter_map(|h| {
            let n = match h.via {
                Via::Vendor => per_vendor.get(&h.subject),
                Via::ReportedManufacturer => per_reported.get(&h.subject),
            }
            .copied()
            .filter(|n| *n > 0)?;
            seen.insert((h.subject.clone(), h.list.clone(), h.entity.clone()))
                .then(|| SeenHit {
                    subject: h.subject.clone(),
                    via: h.via,
                    status: h.status,
                    confidence: h.confidence,
                    list: h.list.clone(),
                    entity: h.entity.clone(),
                    devices: n,
                    summary: h.summary.clone(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(subject: &str, via: Via) -> ScreeningHit {
        ScreeningHit {
            status: EntryStatus::Active,
            confidence: Confidence::Possible,
            subject: subject.into(),
            via,
            list: "fcc".into(),
            list_name: "FCC Covered List".into(),
            snapshot_date: "2025-10-31".into(),
            entity: "Huawei".into(),
            citation: String::new(),
            devices: 99,
            summary: "s".into(),
        }
    }

    #[test]
    fn hits_keep_only_what_nobody_approved_with_those_devices() {
        let vendors = BTreeMap::from([("huawei".to_string(), 3)]);
        let reported = BTreeMap::from([("HUAWEI".to_string(), 2), ("HONOR".to_string(), 0)]);
        let screening = vec![
            hit("huawei", Via::Vendor),
            hit("huawei", Via::Vendor),
            hit("HUAWEI", Via::ReportedManufacturer),
            hit("HONOR", Via::ReportedManufacturer),
            hit("xiaomi", Via::Vendor),
        ];
        let out = hits(&screening, &vendors, &reported);
        let got: Vec<(&str, u64)> = out
            .iter()
            .map(|h| (h.subject.as_str(), h.devices))
            .collect();
        assert_eq!(got, vec![("huawei", 3), ("HUAWEI", 2)]);
    }
}
