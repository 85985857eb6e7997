//! The worked examples of governance-facts §3.3 (devices A–E) and §3.4 (the
//! 100 × B, 50 × C, 20 × D (c = 2), 80 × E fleet), asserted at the precision
//! the reference prints them.

use super::*;
use crate::analyze::resolve::{PartAnalysis, VendorRef, default_weight};
use LayerName::{Model, Os, Services, Silicon, Vehicle};

/// Layers of a device from `(layer, [(group, fraction)])`, weights
/// normalised as `resolve` does.
pub(crate) fn layers(spec: &[(LayerName, &[(&str, f64)])]) -> Vec<LayerAnalysis> {
    let total: f64 = spec.iter().map(|(l, _)| default_weight(*l)).sum();
    spec.iter()
        .map(|(l, parts)| {
            let parts: Vec<PartAnalysis> = parts
                .iter()
                .map(|(g, f)| PartAnalysis {
                    vendor: VendorRef {
                        id: g.to_string(),
                        name: format!("{g} legal name"),
                        group: g.to_string(),
                        group_name: format!("{g} group"),
                        written_as: None,
                    },
                    product: format!("{g} product"),
                    role: None,
                    fraction: *f,
                })
                .collect();
            let controlled_by = parts
                .iter()
                .find(|p| (p.fraction - 1.0).abs() < 1e-9)
                .map(|p| p.vendor.group.clone());
            LayerAnalysis {
                layer: *l,
                product: String::new(),
                default_weight: default_weight(*l),
                weight: default_weight(*l) / total,
                parts,
                controlled_by,
                upstream: Vec::new(),
            }
        })
        .collect()
}

pub(crate) fn device_a() -> Vec<LayerAnalysis> {
    layers(&[
        (Silicon, &[("xiaomi", 1.0)]),
        (Os, &[("xiaomi", 1.0)]),
        (Model, &[("xiaomi", 1.0)]),
        (Services, &[("xiaomi", 1.0)]),
    ])
}

pub(crate) fn device_b() -> Vec<LayerAnalysis> {
    layers(&[
        (Silicon, &[("qualcomm", 1.0)]),
        (Os, &[("xiaomi", 1.0)]),
        (Model, &[("xiaomi", 1.0)]),
        (Services, &[("xiaomi", 1.0)]),
    ])
}

pub(crate) fn device_c() -> Vec<LayerAnalysis> {
    layers(&[
        (Silicon, &[("qualcomm", 1.0)]),
        (Os, &[("xiaomi", 1.0)]),
        (Model, &[("google", 1.0)]),
        (Services, &[("xiaomi", 0.5), ("google", 0.5)]),
    ])
}

pub(crate) fn device_d() -> Vec<LayerAnalysis> {
    layers(&[
        (Silicon, &[("qualcomm", 0.5), ("nvidia", 0.5)]),
        (Os, &[("xiaomi", 1.0)]),
        (Model, &[("xiaomi", 1.0)]),
        (Vehicle, &[("xiaomi", 1.0)]),
        (Services, &[("xiaomi", 1.0)]),
    ])
}

pub(crate) fn device_e() -> Vec<LayerAnalysis> {
    layers(&[
        (Silicon, &[("intel", 1.0)]),
        (Os, &[("microsoft", 1.0)]),
        (Model, &[("openai", 1.0)]),
        (Services, &[("aws", 1.0)]),
    ])
}

#[track_caller]
fn close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol + 1e-9,
        "expected {expected} ± {tol}, got {actual}"
    );
}

/// Assert a device's figures at the reference's printed precision: TOP and
/// VCI to 2 decimals, HHI to the unit, N_eff to 2 decimals.
#[track_caller]
fn row(l: &[LayerAnalysis], top: (&str, f64), hhi: f64, vci: f64, n_eff: f64, band: Band) {
    let d = device(l, &Thresholds::default(), false);
    let t = d.top.as_ref().unwrap();
    assert_eq!(t.group, top.0);
    close(t.share, top.1, 0.005);
    close(d.hhi, hhi, 0.5);
    close(d.vci.unwrap(), vci, 0.005);
    close(d.n_eff, n_eff, 0.005);
    assert_eq!(d.band, band);
}

#[test]
fn phone_weights_renormalise_over_four_layers() {
    // "phone weights renormalised over four layers to 0.1765 / 0.2941 /
    // 0.2941 / 0.2353"
    let w: Vec<f64> = device_a().iter().map(|l| r4(l.weight)).collect();
    assert_eq!(w, vec![0.1765, 0.2941, 0.2941, 0.2353]);
}

#[test]
fn worked_example_a_xiaomi_15s_pro_all_xiaomi() {
    row(
        &device_a(),
        ("xiaomi", 1.00),
        10_000.0,
        1.00,
        1.00,
        Band::SingleVendorVertical,
    );
}

#[test]
fn worked_example_b_snapdragon_and_xiaomi_above_it() {
    row(
        &device_b(),
        ("xiaomi", 0.82),
        7_093.0,
        0.61,
        1.41,
        Band::SingleVendorVertical,
    );
}

#[test]
fn worked_example_c_xiaomi_global_with_google_assistant() {
    // Xiaomi and Google tie at 0.4118; ties go to the smaller id.
    row(
        &device_c(),
        ("google", 0.41),
        3_702.0,
        0.18,
        2.70,
        Band::Diversified,
    );
    let d = device(&device_c(), &Thresholds::default(), false);
    assert_eq!(d.groups[1].group, "xiaomi");
    assert_eq!(d.groups[0].share, d.groups[1].share);
}

#[test]
fn worked_example_d_su7_split_silicon() {
    // The reference prints 7,337; H = 0.73375 exactly, so HHI is 7,337.5.
    row(
        &device_d(),
        ("xiaomi", 0.85),
        7_337.0,
        0.67,
        1.36,
        Band::SingleVendorVertical,
    );
    let d = device(&device_d(), &Thresholds::default(), false);
    assert_eq!(d.hhi, 7_337.5);
    // H_min = 2 × 0.075² + 0.25² + 0.25² + 0.15² + 0.20² = 0.19875.
    close(d.h_min, 0.19875, 1e-4);
}

#[test]
fn worked_example_e_diversified_laptop_scores_2595_with_vci_zero() {
    // "a fully diversified stack still scores 2,595": raw HHI thresholds
    // cannot be reused, VCI corrects for it.
    // Microsoft and OpenAI tie at 0.2941; ties go to the smaller id.
    row(
        &device_e(),
        ("microsoft", 0.29),
        2_595.0,
        0.00,
        3.85,
        Band::Diversified,
    );
}

#[test]
fn a_single_allocation_has_no_vci() {
    let d = device(
        &layers(&[(Os, &[("g", 1.0)])]),
        &Thresholds::default(),
        false,
    );
    assert_eq!(d.vci, None);
    assert_eq!(d.top_share(), 1.0);
    assert_eq!(d.band, Band::SingleVendorVertical);
}

#[test]
fn bands_follow_thresholds() {
    let t = Thresholds {
        single_vendor_top: 0.9,
        ..Thresholds::default()
    };
    assert_eq!(
        device(&device_b(), &t, false).band,
        Band::PartiallyIntegrated
    );
    // Full vertical is single-group whatever the threshold.
    assert_eq!(
        device(&device_a(), &t, false).band,
        Band::SingleVendorVertical
    );
}

#[test]
fn device_explain_substitutes_the_numbers() {
    let d = device(&device_b(), &Thresholds::default(), true);
    let get = |m: &str| {
        d.explain
            .iter()
            .find(|l| l.metric == m)
            .unwrap_or_else(|| panic!("no {m} in {:#?}", d.explain))
            .workings
            .clone()
    };
    assert_eq!(
        get("w_l"),
        "Σ W = 0.15 + 0.25 + 0.25 + 0.2 = 0.85; w_silicon = 0.15 / 0.85 = 0.1765; w_os = 0.25 / 0.85 = 0.2941; w_model = 0.25 / 0.85 = 0.2941; w_services = 0.2 / 0.85 = 0.2353"
    );
    assert_eq!(
        get("s_xiaomi"),
        "s_xiaomi = 0.2941×1 + 0.2941×1 + 0.2353×1 = 0.8235"
    );
    assert_eq!(get("TOP"), "TOP = s_xiaomi = 0.8235 (xiaomi group)");
    assert_eq!(get("H"), "H = 0.1765² + 0.8235² = 0.7093; HHI = 7093.4");
    assert_eq!(
        get("VCI"),
        "VCI = (0.7093 − 0.2595) / (1 − 0.2595) = 0.6075"
    );
    assert_eq!(get("N_eff"), "N_eff = 1 / 0.7093 = 1.4098");
}

struct Dev {
    id: &'static str,
    units: u64,
    c: f64,
    layers: Vec<LayerAnalysis>,
    conc: DeviceConcentration,
    data_path: Option<GroupShare>,
}

fn dev(id: &'static str, units: u64, c: f64, layers: Vec<LayerAnalysis>) -> Dev {
    let conc = device(&layers, &Thresholds::default(), false);
    let held = |l: LayerName| {
        layers
            .iter()
            .find(|x| x.layer == l)
            .and_then(|x| x.controlled_by.clone())
    };
    let dp = match (held(Os), held(Model), held(Services)) {
        (Some(a), Some(b), Some(c)) if a == b && b == c => Some(a),
        _ => None,
    };
    let data_path = dp.and_then(|g| conc.groups.iter().find(|s| s.group == g).cloned());
    Dev {
        id,
        units,
        c,
        layers,
        conc,
        data_path,
    }
}

fn members(devs: &[Dev]) -> Vec<Member<'_>> {
    devs.iter()
        .map(|d| Member {
            id: d.id,
            units: d.units,
            criticality: d.c,
            layers: &d.layers,
            band: d.conc.band,
            top_group: d.conc.top.as_ref(),
            data_path_group: d.data_path.as_ref(),
            restricted_share: 0.0,
        })
        .collect()
}

fn reference_fleet() -> Vec<Dev> {
    vec![
        dev("b", 100, 1.0, device_b()),
        dev("c", 50, 1.0, device_c()),
        dev("d", 20, 2.0, device_d()),
        dev("e", 80, 1.0, device_e()),
    ]
}

#[test]
fn worked_fleet_example() {
    let devs = reference_fleet();
    let f = fleet(&members(&devs), &[], false);
    assert_eq!(f.units, 250);
    assert_eq!(f.weight, 270.0);
    // "pooled Xiaomi exposure is 0.51; HHI_fleet is 2,979 (N_eff 3.4)"
    assert_eq!(f.pooled[0].group, "xiaomi");
    close(f.pooled[0].share, 0.51, 0.005);
    close(f.hhi, 2_979.0, 0.5);
    close(f.n_eff, 3.4, 0.05);
    // "os HHI 5,830 (Xiaomi 0.70), cloud 4,698 (Xiaomi 0.61), ai 3,909
    // (Xiaomi 0.52), silicon 4,897 (Qualcomm 0.63)"
    let layer = |l: LayerName| f.layers.iter().find(|x| x.layer == l).unwrap();
    for (l, hhi, g, s) in [
        (Os, 5_830.0, "xiaomi", 0.70),
        (Services, 4_698.0, "xiaomi", 0.61),
        (Model, 3_909.0, "xiaomi", 0.52),
        (Silicon, 4_897.0, "qualcomm", 0.63),
    ] {
        let x = layer(l);
        close(x.hhi, hhi, 0.5);
        assert_eq!(x.shares[0].group, g, "{l}");
        close(x.shares[0].share, s, 0.005);
    }
    assert_eq!(layer(Vehicle).hhi, 10_000.0);
    assert_eq!(layer(Vehicle).devices, 1);
    // "52 % of the weighted fleet sits in single-vendor vertical stacks"
    close(f.single_vendor_stacks.share, 0.52, 0.005);
    let by = &f.single_vendor_stacks.by_group;
    assert_eq!(by.len(), 1);
    assert_eq!(by[0].devices, vec!["b", "d"]);
    // Units only: (100 + 20) / 250.
    assert_eq!(f.single_vendor_stacks.unit_share, 0.48);
    assert_eq!(
        f.data_path_single_vendor.share,
        f.single_vendor_stacks.share
    );
    assert_eq!(f.restricted_exposure, 0.0);
}

#[test]
fn fleet_explain_shows_each_term() {
    let devs = reference_fleet();
    let f = fleet(&members(&devs), &[], true);
    let get = |m: &str| {
        f.explain
            .iter()
            .find(|l| l.metric == m)
            .unwrap_or_else(|| panic!("no {m}"))
            .workings
            .clone()
    };
    assert_eq!(
        get("n_d·c_d"),
        "b 100×1 = 100; c 50×1 = 50; d 20×2 = 40; e 80×1 = 80; Σ = 270"
    );
    assert_eq!(
        get("S_silicon,qualcomm"),
        "S_silicon,qualcomm = (100×1×1 + 50×1×1 + 20×2×0.5) / 270 = 0.6296"
    );
    assert!(get("HHI os").starts_with("HHI_os = 10,000 × (0.2963² + 0.7037²)"));
    assert_eq!(
        get("single-vendor stacks"),
        "(b 100×1 + d 20×2) / 270 = 0.5185"
    );
}

#[test]
fn an_empty_or_weightless_fleet_does_not_divide_by_zero() {
    let f = fleet(&[], &[], true);
    assert_eq!(f.weight, 0.0);
    assert!(f.pooled.is_empty());
    let devs = vec![dev("z", 0, 1.0, device_a())];
    let f = fleet(&members(&devs), &[], false);
    assert_eq!(f.hhi, 0.0);
    assert_eq!(f.single_vendor_stacks.share, 0.0);
    assert!(f.pooled.iter().all(|s| s.share == 0.0));
}

#[test]
fn unlisted_devices_join_the_pooled_exposure_whole_under_their_group() {
    let devs = reference_fleet();
    let plain = fleet(&members(&devs), &[], false);
    // 30 phones of a group no approved device uses, and 10 cars (c = 2) of
    // Xiaomi, on no approved stack: weight 270 + 30 + 20 = 320.
    let unlisted = [
        Unlisted {
            group: "samsung",
            group_name: "Samsung Electronics Co., Ltd.",
            units: 30,
            criticality: 1.0,
        },
        Unlisted {
            group: "xiaomi",
            group_name: "Xiaomi Corporation",
            units: 10,
            criticality: 2.0,
        },
    ];
    let f = fleet(&members(&devs), &unlisted, true);
    let share = |f: &FleetConcentration, g: &str| {
        f.pooled
            .iter()
            .find(|s| s.group == g)
            .map_or(0.0, |s| s.share)
    };
    close(share(&f, "samsung"), 30.0 / 320.0, 1e-4);
    let xiaomi_weight = share(&plain, "xiaomi") * 270.0;
    close(share(&f, "xiaomi"), (xiaomi_weight + 20.0) / 320.0, 1e-3);
    let sum: f64 = f.pooled.iter().map(|s| s.share).sum();
    close(sum, 1.0, 1e-3);
    let h: f64 = f.pooled.iter().map(|s| s.share * s.share).sum();
    close(f.hhi, h * 1e4, 1.0);
    // The approved stacks' own figures are unchanged.
    assert_eq!(f.units, plain.units);
    assert_eq!(f.weight, plain.weight);
    assert_eq!(f.layers, plain.layers);
    assert_eq!(f.single_vendor_stacks, plain.single_vendor_stacks);
    let u = f.unlisted.as_ref().unwrap();
    assert_eq!((u.units, u.weight), (40, 50.0));
    assert!(plain.unlisted.is_none());
    assert!(f.explain.iter().any(|l| l.metric == "unlisted n·c"));
}
