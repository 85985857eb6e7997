//! Observed device counts: what the inventories the policy names
//! (`inventories:`) count in use, in place of the `units` declared in the
//! approved-device list, so the fleet figures describe the fleet that
//! exists. The inventory layer reconciles the exports and fills an
//! [`Observed`]; the analysis only weighs it: an approved device's units are
//! the devices the catalog resolves to its stack, and devices in use on no
//! approved stack count whole under their vendor's group in the pooled
//! exposure and the fleet HHI.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fleet::Fleet;

/// Devices in use on no approved stack, of one vendor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnlistedCount {
    /// The vendor the catalog or vendors.yaml resolves them to.
    pub vendor: String,
    /// Vehicles (criticality 2) or not (1).
    pub vehicle: bool,
    /// Active devices.
    pub devices: u64,
}

/// The counts an inventory reconciliation observed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// The inventories counted (as the policy names them, relative to the
    /// fleet root).
    pub inventories: Vec<String>,
    /// The time staleness was judged against.
    pub as_of: String,
    /// The stale window, in days.
    pub stale_days: u32,
    /// Active devices per approved stack (device id).
    pub stacks: BTreeMap<String, u64>,
    /// Active devices on no approved stack, by vendor.
    pub unlisted: Vec<UnlistedCount>,
    /// Active devices whose manufacturer nothing resolves: in no figure.
    pub unresolved: u64,
}

/// Which counts weighed the fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The `units` of approved-devices.yaml.
    #[default]
    Declared,
    /// The devices the policy's inventories see in use.
    Observed,
}

impl Basis {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Declared => "declared",
            Basis::Observed => "observed",
        }
    }
}

/// One vendor group's devices on no approved stack, as the analysis counts
/// them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlistedGroup {
    /// Group vendor id.
    pub group: String,
    /// Group legal name.
    pub name: String,
    /// Active devices.
    pub devices: u64,
    /// Of them, vehicles (criticality 2; the others 1).
    pub vehicles: u64,
    /// Σ n·c.
    pub weight: f64,
}

/// What an analysis on observed counts says about its counts (the JSON
/// field `counts`; absent with declared counts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountsUsed {
    /// Always `observed` (declared counts carry no `counts` field).
    pub basis: Basis,
    /// The inventories counted.
    pub inventories: Vec<String>,
    /// The time staleness was judged against.
    pub as_of: String,
    /// The stale window, in days.
    pub stale_days: u32,
    /// Devices on approved stacks.
    pub approved_devices: u64,
    /// Devices on no approved stack, by group, most first: in the pooled
    /// exposure and the fleet HHI only.
    pub unlisted: Vec<UnlistedGroup>,
    /// Devices of manufacturers nothing resolves: in no figure.
    pub unresolved_devices: u64,
    /// One line for people: which counts, from where (as [`CountsUsed::line`]).
    pub summary: String,
}

impl CountsUsed {
    /// From the observed counts, each unlisted vendor resolved to its group.
    pub fn new(o: &Observed, fleet: &Fleet) -> CountsUsed {
        let mut by: BTreeMap<String, (String, u64, u64)> = BTreeMap::new();
        for u in &o.unlisted {
            let group = fleet.group_of(&u.vendor).unwrap_or(&u.vendor).to_string();
            let name = fleet.group_name(&group).unwrap_or(&group).to_string();
            let e = by.entry(group).or_insert((name, 0, 0));
            e.1 += u.devices;
            if u.vehicle {
                e.2 += u.devices;
            }
        }
        let mut unlisted: Vec<UnlistedGroup> = by
            .into_iter()
            .map(|(group, (name, devices, vehicles))| UnlistedGroup {
                group,
                name,
                devices,
                vehicles,
                weight: super::explain::r4(
                    (devices - vehicles) as f64 * criticality(false)
                        + vehicles as f64 * criticality(true),
                ),
            })
            .collect();
        unlisted.sort_by(|a, b| b.devices.cmp(&a.devices).then(a.group.cmp(&b.group)));
        let mut c = CountsUsed {
            basis: Basis::Observed,
            inventories: o.inventories.clone(),
            as_of: o.as_of.clone(),
            stale_days: o.stale_days,
            approved_devices: o.stacks.values().sum(),
            unlisted,
            unresolved_devices: o.unresolved,
            summary: String::new(),
        };
        c.summary = c.line();
        c
    }

    /// One line for people: which counts, from where.
    pub fn line(&self) -> String {
        let unlisted: u64 = self.unlisted.iter().map(|u| u.devices).sum();
        let mut s = format!(
            "counts: observed in {} as of {} (stale after {} days): {} on approved stacks, {} on no approved stack (pooled under their vendor group)",
            self.inventories.join(", "),
            self.as_of,
            self.stale_days,
            crate::table::count(self.approved_devices, "device"),
            crate::table::count(unlisted, "device"),
        );
        if self.unresolved_devices > 0 {
            s.push_str(&format!(
                ", {} of unresolved manufacturers (in no figure)",
                crate::table::count(self.unresolved_devices, "device")
            ));
        }
        s
    }
}

/// Criticality of a device on no approved stack.
pub fn criticality(vehicle: bool) -> f64 {
    if vehicle { 2.0 } else { 1.0 }
}
