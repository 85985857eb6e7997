//! Vertical concentration: who controls how much of one device's stack, and
//! how dependent the whole fleet is on each group.
//!
//! The definitions are those of governance-facts §3.3 and §3.4 (a strata
//! proposal, not a standard). "Vendor" there always means the ultimate
//! group a supplier resolves to (Google LLC counts as Alphabet). With layer
//! weights w_l normalised over the
//! layers a device has, and f_{l,g} the fraction of layer l held by group g:
//!
//! ```text
//! s_g   = Σ_l w_l · f_{l,g}            group's weighted share of the stack
//! TOP   = max_g s_g
//! H     = Σ_g s_g²                      (HHI = 10,000 · H)
//! H_min = Σ_(l,k) (w_l · f_{l,k})²      H if every allocation had its own group
//! VCI   = (H − H_min) / (1 − H_min)     0 diversified … 1 single vendor
//! N_eff = 1 / H
//! ```
//!
//! Across the fleet each device counts n_d · c_d (units × criticality):
//! `S_{l,g} = Σ_d n_d c_d f_{d,l,g} / Σ_d n_d c_d` over the devices that have
//! layer l, `HHI_l = 10,000 · Σ_g S_{l,g}²`, and the pooled exposure
//! `S_g = Σ_d n_d c_d s_{d,g} / Σ_d n_d c_d`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::LayerName;

use super::explain::{ExplainLine, Explainer, f1, f4, fnum, r1, r4};
use super::resolve::LayerAnalysis;

/// Thresholds strata applies. They are strata defaults, not taken from any
/// standard; callers (a policy file) may change them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// TOP at or above which a stack is a single-vendor vertical stack (0.80).
    pub single_vendor_top: f64,
    /// TOP at or above which a stack is partially integrated (0.50).
    pub partial_top: f64,
    /// Units at or above which a deployment is large-scale for WP248 C5 (100).
    pub large_scale_units: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            single_vendor_top: 0.80,
            partial_top: 0.50,
            large_scale_units: 100,
        }
    }
}

/// How integrated a stack is, by its TOP (governance-facts §3.3 bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    /// TOP ≥ 0.80, or one group holds every layer.
    SingleVendorVertical,
    /// 0.50 ≤ TOP < 0.80.
    PartiallyIntegrated,
    /// TOP < 0.50.
    Diversified,
}

impl Band {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::SingleVendorVertical => "single-vendor-vertical",
            Band::PartiallyIntegrated => "partially-integrated",
            Band::Diversified => "diversified",
        }
    }
}

/// A group's share of something (a device stack, a fleet layer, the fleet).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShare {
    /// Group vendor id.
    pub group: String,
    /// Group legal name.
    pub name: String,
    /// Its share, 0–1, 4 decimals.
    pub share: f64,
    /// Layers where it holds any part (device level only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerName>,
    /// Layers it holds entirely (device level only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<LayerName>,
}

/// Concentration figures of one device.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceConcentration {
    /// Groups by share, largest first (ties by id).
    pub groups: Vec<GroupShare>,
    /// The largest group and TOP, its share.
    pub top: Option<GroupShare>,
    /// Cross-layer Herfindahl H, 0–1.
    pub h: f64,
    /// HHI = 10,000 · H, 1 decimal.
    pub hhi: f64,
    /// H if every allocation had a distinct group.
    pub h_min: f64,
    /// Normalised vertical concentration index; `None` when undefined
    /// (a single allocation: H_min = 1).
    pub vci: Option<f64>,
    /// Effective number of groups, 1 / H.
    pub n_eff: f64,
    /// Band by TOP.
    pub band: Band,
    /// Workings, when explaining.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explain: Vec<ExplainLine>,
}

impl DeviceConcentration {
    /// TOP, the largest group's share (0 for a stack with no layers).
    pub fn top_share(&self) -> f64 {
        self.top.as_ref().map_or(0.0, |t| t.share)
    }
}

/// Compute a device's concentration from its resolved layers.
pub fn device(layers: &[LayerAnalysis], th: &Thresholds, explain: bool) -> DeviceConcentration {
    let mut ex = Explainer::new(explain);
    // s_g, the terms of each, names, and layers held.
    let mut shares: BTreeMap<&str, (f64, &str, Vec<String>)> = BTreeMap::new();
    let mut h_min = 0.0;
    for l in layers {
        for p in &l.parts {
            let e = shares.entry(p.vendor.group.as_str()).or_insert((
                0.0,
                p.vendor.group_name.as_str(),
                Vec::new(),
            ));
            e.0 += l.weight * p.fraction;
            e.2.push(format!("{}×{}", f4(l.weight), fnum(p.fraction)));
            h_min += (l.weight * p.fraction).powi(2);
        }
    }
    ex.add(
        "w_l",
        "w_l = W_l / Σ W over the device's layers (W: silicon 0.15, os 0.25, model 0.25, vehicle 0.15, services 0.20)",
        || {
            let total: f64 = layers.iter().map(|l| l.default_weight).sum();
            let sum = layers
                .iter()
                .map(|l| fnum(l.default_weight))
                .collect::<Vec<_>>()
                .join(" + ");
            let each = layers
                .iter()
                .map(|l| {
                    format!(
                        "w_{} = {} / {} = {}",
                        l.layer,
                        fnum(l.default_weight),
                        fnum(total),
                        f4(l.weight)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            format!("Σ W = {sum} = {}; {each}", fnum(total))
        },
    );
    let h: f64 = shares.values().map(|(s, _, _)| s * s).sum();
    for (g, (s, _, terms)) in &shares {
        ex.add(&format!("s_{g}"), "s_g = Σ_l w_l · f_{l,g}", || {
            format!("s_{g} = {} = {}", terms.join(" + "), f4(*s))
        });
    }
    let mut groups: Vec<GroupShare> = shares
        .iter()
        .map(|(g, (s, name, _))| GroupShare {
            group: g.to_string(),
            name: name.to_string(),
            share: r4(*s),
            layers: layers
                .iter()
                .filter(|l| l.parts.iter().any(|p| p.vendor.group == *g))
                .map(|l| l.layer)
                .collect(),
            controls: layers
                .iter()
                .filter(|l| l.controlled_by.as_deref() == Some(g))
                .map(|l| l.layer)
                .collect(),
        })
        .collect();
    sort_shares(&mut groups);
    let top = groups.first().cloned();
    let top_raw = top
        .as_ref()
        .and_then(|t| shares.get(t.group.as_str()))
        .map_or(0.0, |(s, _, _)| *s);
    let full_vertical = !layers.is_empty()
        && top.as_ref().is_some_and(|t| {
            layers
                .iter()
                .all(|l| l.controlled_by.as_deref() == Some(&t.group))
        });
    let vci = if 1.0 - h_min > 1e-12 {
        Some((h - h_min) / (1.0 - h_min))
    } else {
        None
    };
    let n_eff = if h > 0.0 { 1.0 / h } else { 0.0 };
    let band = if full_vertical || top_raw >= th.single_vendor_top - 1e-9 {
        Band::SingleVendorVertical
    } else if top_raw >= th.partial_top - 1e-9 {
        Band::PartiallyIntegrated
    } else {
        Band::Diversified
    };

    if let Some(t) = &top {
        ex.add("TOP", "TOP = max_g s_g", || {
            format!("TOP = s_{} = {} ({})", t.group, f4(top_raw), t.name)
        });
    }
    ex.add("H", "H = Σ_g s_g²; HHI = 10,000 · H", || {
        let terms = shares
            .values()
            .map(|(s, _, _)| format!("{}²", f4(*s)))
            .collect::<Vec<_>>()
            .join(" + ");
        format!("H = {terms} = {}; HHI = {}", f4(h), f1(h * 1e4))
    });
    ex.add("H_min", "H_min = Σ_(l,k) (w_l · f_{l,k})²", || {
        let terms = layers
            .iter()
            .flat_map(|l| {
                l.parts
                    .iter()
                    .map(move |p| format!("({}×{})²", f4(l.weight), fnum(p.fraction)))
            })
            .collect::<Vec<_>>()
            .join(" + ");
        format!("H_min = {terms} = {}", f4(h_min))
    });
    ex.add("VCI", "VCI = (H − H_min) / (1 − H_min)", || match vci {
        Some(v) => format!(
            "VCI = ({} − {}) / (1 − {}) = {}",
            f4(h),
            f4(h_min),
            f4(h_min),
            f4(v)
        ),
        None => "undefined: the stack is a single allocation (H_min = 1)".into(),
    });
    ex.add("N_eff", "N_eff = 1 / H", || {
        format!("N_eff = 1 / {} = {}", f4(h), f4(n_eff))
    });
    ex.add(
        "band",
        "single-vendor vertical if TOP ≥ 0.80 or one group holds every layer; partially integrated if TOP ≥ 0.50; else diversified (strata defaults, not a standard)",
        || {
            format!(
                "TOP {} → {}{}",
                f4(top_raw),
                band.as_str(),
                if full_vertical {
                    " (one group holds every layer)"
                } else {
                    ""
                }
            )
        },
    );
    DeviceConcentration {
        groups,
        top,
        h: r4(h),
        hhi: r1(h * 1e4),
        h_min: r4(h_min),
        vci: vci.map(r4),
        n_eff: r4(n_eff),
        band,
        explain: ex.finish(),
    }
}

/// Largest share first, then by group id, comparing rounded shares so that
/// float noise never reorders output.
pub(crate) fn sort_shares(v: &mut [GroupShare]) {
    v.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.group.cmp(&b.group))
    });
}

/// One device as the fleet sees it.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    /// Device id.
    pub id: &'a str,
    /// Units n_d.
    pub units: u64,
    /// Criticality c_d.
    pub criticality: f64,
    /// Its resolved layers.
    pub layers: &'a [LayerAnalysis],
    /// Its band (single-vendor vertical, …).
    pub band: Band,
    /// Its largest group.
    pub top_group: Option<&'a GroupShare>,
    /// The group holding OS, model and services, if one does.
    pub data_path_group: Option<&'a GroupShare>,
    /// Weighted share of its stack (Σ w_l f) held by vendors with an active
    /// restricted-list hit.
    pub restricted_share: f64,
}

/// Devices an inventory sees on no approved stack (observed counts only):
/// their stacks are not described, so each counts whole under the group its
/// vendor resolves to in the pooled exposure and the fleet HHI.
#[derive(Debug, Clone)]
pub struct Unlisted<'a> {
    /// Group vendor id.
    pub group: &'a str,
    /// Group legal name.
    pub group_name: &'a str,
    /// Devices in use.
    pub units: u64,
    /// Criticality (2 per vehicle, 1 otherwise).
    pub criticality: f64,
}

/// One layer across the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetLayer {
    /// The layer.
    pub layer: LayerName,
    /// Devices that have it.
    pub devices: usize,
    /// Σ n_d c_d over those devices.
    pub weight: f64,
    /// HHI_l, 0–10,000, 1 decimal.
    pub hhi: f64,
    /// S_{l,g}, largest first.
    pub shares: Vec<GroupShare>,
}

/// Share of the fleet in single-vendor stacks, overall and per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetSlice {
    /// Weighted share (n·c) of the fleet.
    pub share: f64,
    /// Share of units (criticality ignored).
    pub unit_share: f64,
    /// Per group: weighted share and the devices.
    pub by_group: Vec<SliceGroup>,
}

/// One group's slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceGroup {
    /// Group vendor id.
    pub group: String,
    /// Group legal name.
    pub name: String,
    /// Weighted share of the fleet.
    pub share: f64,
    /// Device ids.
    pub devices: Vec<String>,
}

/// Fleet-level concentration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetConcentration {
    /// Σ n_d.
    pub units: u64,
    /// Σ n_d c_d.
    pub weight: f64,
    /// Per-layer HHI, in stack order.
    pub layers: Vec<FleetLayer>,
    /// Pooled cross-layer exposure S_g, largest first.
    pub pooled: Vec<GroupShare>,
    /// HHI of the pooled exposure, 1 decimal.
    pub hhi: f64,
    /// 1 / Σ S_g².
    pub n_eff: f64,
    /// Devices whose band is single-vendor vertical (TOP ≥ threshold).
    pub single_vendor_stacks: FleetSlice,
    /// Devices where one group holds OS, model and services.
    pub data_path_single_vendor: FleetSlice,
    /// Weighted share of (device × layer) weight held by vendors with an
    /// active restricted-list hit.
    pub restricted_exposure: f64,
    /// Observed counts only: devices in use on no approved stack, in the
    /// pooled exposure and the fleet HHI (not in `units`, `weight`, the
    /// per-layer figures or the slices, which describe approved stacks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlisted: Option<UnlistedTotals>,
    /// Workings, when explaining.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explain: Vec<ExplainLine>,
}

/// The devices on no approved stack counted in the pooled exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlistedTotals {
    /// Devices.
    pub units: u64,
    /// Σ n·c.
    pub weight: f64,
}

/// Compute fleet concentration over `members` and, with observed counts,
/// the `unlisted` devices (each whole under its group).
pub fn fleet(
    members: &[Member<'_>],
    unlisted: &[Unlisted<'_>],
    explain: bool,
) -> FleetConcentration {
    let mut ex = Explainer::new(explain);
    let wd = |m: &Member<'_>| m.units as f64 * m.criticality;
    let wu = |u: &Unlisted<'_>| u.units as f64 * u.criticality;
    let approved_total: f64 = members.iter().map(wd).sum();
    let unlisted_total: f64 = unlisted.iter().map(wu).sum();
    let units: u64 = members.iter().map(|m| m.units).sum();
    let div = |x: f64, by: f64| if by > 0.0 { x / by } else { 0.0 };
    ex.add(
        "n_d·c_d",
        "device weight = units n_d × criticality c_d",
        || {
            let each = members
                .iter()
                .map(|m| {
                    format!(
                        "{} {}×{} = {}",
                        m.id,
                        m.units,
                        fnum(m.criticality),
                        fnum(wd(m))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            format!("{each}; Σ = {}", fnum(approved_total))
        },
    );
    if !unlisted.is_empty() {
        ex.add(
            "unlisted n·c",
            "devices in use on no approved stack, each whole under its vendor group",
            || {
                let each = unlisted
                    .iter()
                    .map(|u| {
                        format!(
                            "{} {}×{} = {}",
                            u.group,
                            u.units,
                            fnum(u.criticality),
                            fnum(wu(u))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                format!("{each}; Σ = {}", fnum(unlisted_total))
            },
        );
    }
    let total = approved_total;
    let pooled_total = approved_total + unlisted_total;

    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    let mut layers_out = Vec::new();
    for layer in LayerName::ALL {
        let with: Vec<(&Member<'_>, &LayerAnalysis)> = members
            .iter()
            .filter_map(|m| m.layers.iter().find(|l| l.layer == layer).map(|l| (m, l)))
            .collect();
        if with.is_empty() {
            continue;
        }
        let lw: f64 = with.iter().map(|(m, _)| wd(m)).sum();
        let mut acc: BTreeMap<&str, (f64, Vec<String>)> = BTreeMap::new();
        for (m, l) in &with {
            for p in &l.parts {
                names.insert(&p.vendor.group, &p.vendor.group_name);
                let e = acc.entry(p.vendor.group.as_str()).or_default();
                e.0 += wd(m) * p.fraction;
                e.1.push(format!(
                    "{}×{}×{}",
                    m.units,
                    fnum(m.criticality),
                    fnum(p.fraction)
                ));
            }
        }
        let hhi = 1e4 * acc.values().map(|(x, _)| div(*x, lw).powi(2)).sum::<f64>();
        for (g, (x, terms)) in &acc {
            ex.add(
                &format!("S_{layer},{g}"),
                "S_{l,g} = Σ_d n_d c_d f_{d,l,g} / Σ_d n_d c_d (devices with layer l)",
                || {
                    format!(
                        "S_{layer},{g} = ({}) / {} = {}",
                        terms.join(" + "),
                        fnum(lw),
                        f4(div(*x, lw))
                    )
                },
            );
        }
        ex.add(
            &format!("HHI {layer}"),
            "HHI_l = 10,000 · Σ_g S_{l,g}²",
            || {
                let terms = acc
                    .values()
                    .map(|(x, _)| format!("{}²", f4(div(*x, lw))))
                    .collect::<Vec<_>>()
                    .join(" + ");
                format!("HHI_{layer} = 10,000 × ({terms}) = {}", f1(hhi))
            },
        );
        let mut shares: Vec<GroupShare> = acc
            .iter()
            .map(|(g, (x, _))| share(g, names.get(g).copied().unwrap_or(g), div(*x, lw)))
            .collect();
        sort_shares(&mut shares);
        layers_out.push(FleetLayer {
            layer,
            devices: with.len(),
            weight: r4(lw),
            hhi: r1(hhi),
            shares,
        });
    }

    // Pooled exposure S_g = Σ_d n_d c_d s_{d,g} / Σ_d n_d c_d.
    let mut pooled: BTreeMap<&str, (f64, Vec<String>)> = BTreeMap::new();
    for m in members {
        let mut s_d: BTreeMap<&str, f64> = BTreeMap::new();
        for l in m.layers {
            for p in &l.parts {
                *s_d.entry(p.vendor.group.as_str()).or_default() += l.weight * p.fraction;
            }
        }
        for (g, s) in s_d {
            let e = pooled.entry(g).or_default();
            e.0 += wd(m) * s;
            e.1.push(format!("{}×{}", fnum(wd(m)), f4(s)));
        }
    }
    for u in unlisted {
        names.entry(u.group).or_insert(u.group_name);
        let e = pooled.entry(u.group).or_default();
        e.0 += wu(u);
        e.1.push(format!("{}×1", fnum(wu(u))));
    }
    for (g, (x, terms)) in &pooled {
        ex.add(
            &format!("S_{g}"),
            "S_g = Σ_d n_d c_d s_{d,g} / Σ_d n_d c_d",
            || {
                format!(
                    "S_{g} = ({}) / {} = {}",
                    terms.join(" + "),
                    fnum(pooled_total),
                    f4(div(*x, pooled_total))
                )
            },
        );
    }
    let h_fleet: f64 = pooled
        .values()
        .map(|(x, _)| div(*x, pooled_total).powi(2))
        .sum();
    let mut pooled_out: Vec<GroupShare> = pooled
        .iter()
        .map(|(g, (x, _))| share(g, names.get(g).copied().unwrap_or(g), div(*x, pooled_total)))
        .collect();
    sort_shares(&mut pooled_out);
    let n_eff = if h_fleet > 0.0 { 1.0 / h_fleet } else { 0.0 };
    ex.add(
        "HHI fleet",
        "HHI_fleet = 10,000 · Σ_g S_g²; N_eff_fleet = 1 / Σ_g S_g²",
        || {
            format!(
                "HHI_fleet = 10,000 × {} = {}; N_eff = 1 / {} = {}",
                f4(h_fleet),
                f1(h_fleet * 1e4),
                f4(h_fleet),
                f4(n_eff)
            )
        },
    );

    let single = slice(
        members,
        |m| m.top_group.filter(|_| m.band == Band::SingleVendorVertical),
        total,
    );
    ex.add(
        "single-vendor stacks",
        "Σ n_d c_d over devices with TOP ≥ threshold / Σ n_d c_d",
        || {
            slice_workings(&single, members, total, |m| {
                m.band == Band::SingleVendorVertical
            })
        },
    );
    let data_path = slice(members, |m| m.data_path_group, total);
    ex.add(
        "data-path single vendor",
        "Σ n_d c_d over devices where one group holds os, model and services / Σ n_d c_d",
        || slice_workings(&data_path, members, total, |m| m.data_path_group.is_some()),
    );
    let restricted: f64 = members.iter().map(|m| wd(m) * m.restricted_share).sum();
    ex.add(
        "restricted exposure",
        "Σ_d n_d c_d · (Σ_l w_l f_l held by actively listed vendors) / Σ_d n_d c_d",
        || {
            let terms = members
                .iter()
                .filter(|m| m.restricted_share > 0.0)
                .map(|m| format!("{}×{}", fnum(wd(m)), f4(m.restricted_share)))
                .collect::<Vec<_>>();
            let terms = if terms.is_empty() {
                "0".to_string()
            } else {
                terms.join(" + ")
            };
            format!(
                "({terms}) / {} = {}",
                fnum(total),
                f4(div(restricted, total))
            )
        },
    );

    FleetConcentration {
        units,
        weight: r4(total),
        layers: layers_out,
        pooled: pooled_out,
        hhi: r1(h_fleet * 1e4),
        n_eff: r4(n_eff),
        single_vendor_stacks: single,
        data_path_single_vendor: data_path,
        restricted_exposure: r4(div(restricted, total)),
        unlisted: (!unlisted.is_empty()).then(|| UnlistedTotals {
            units: unlisted.iter().map(|u| u.units).sum(),
            weight: r4(unlisted_total),
        }),
        explain: ex.finish(),
    }
}

fn share(group: &str, name: &str, s: f64) -> GroupShare {
    GroupShare {
        group: group.to_string(),
        name: name.to_string(),
        share: r4(s),
        layers: Vec::new(),
        controls: Vec::new(),
    }
}

/// The fleet slice of devices `pick` assigns to a group.
fn slice<'a>(
    members: &[Member<'a>],
    pick: impl Fn(&Member<'a>) -> Option<&'a GroupShare>,
    total: f64,
) -> FleetSlice {
    let units_total: u64 = members.iter().map(|m| m.units).sum();
    let mut by: BTreeMap<&str, (&str, f64, Vec<String>)> = BTreeMap::new();
    let mut w = 0.0;
    let mut u = 0u64;
    for m in members {
        if let Some(g) = pick(m) {
            let dw = m.units as f64 * m.criticality;
            w += dw;
            u += m.units;
            let e = by.entry(&g.group).or_insert((&g.name, 0.0, Vec::new()));
            e.1 += dw;
            e.2.push(m.id.to_string());
        }
    }
    let div = |x: f64, by: f64| if by > 0.0 { x / by } else { 0.0 };
    let mut by_group: Vec<SliceGroup> = by
        .into_iter()
        .map(|(g, (name, x, mut devices))| {
            devices.sort();
            SliceGroup {
                group: g.to_string(),
                name: name.to_string(),
                share: r4(div(x, total)),
                devices,
            }
        })
        .collect();
    by_group.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.group.cmp(&b.group))
    });
    FleetSlice {
        share: r4(div(w, total)),
        unit_share: r4(div(u as f64, units_total as f64)),
        by_group,
    }
}

fn slice_workings(
    s: &FleetSlice,
    members: &[Member<'_>],
    total: f64,
    pick: impl Fn(&Member<'_>) -> bool,
) -> String {
    let terms = members
        .iter()
        .filter(|m| pick(m))
        .map(|m| format!("{} {}×{}", m.id, m.units, fnum(m.criticality)))
        .collect::<Vec<_>>();
    let terms = if terms.is_empty() {
        "none".to_string()
    } else {
        terms.join(" + ")
    };
    format!("({terms}) / {} = {}", fnum(total), f4(s.share))
}

#[cfg(test)]
mod tests;
