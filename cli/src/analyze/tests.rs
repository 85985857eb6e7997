//! `analyze_fleet` on the example fleet and on small broken fleets.

use super::*;
use crate::diag::Position;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn opts() -> AnalyzeOptions {
    AnalyzeOptions::default()
}

/// A temporary fleet with the given files.
fn fleet_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const VENDORS: &str = "version: 1
vendors:
  xiaomi: {name: Xiaomi Corporation, aliases: [\"Xiaomi Communications Co., Ltd.\"], jurisdiction: CN}
  qualcomm: {name: Qualcomm Incorporated, jurisdiction: US}
";

#[test]
fn example_fleet_findings() {
    let a = analyze_fleet(&examples(), &opts()).unwrap();
    let ids: Vec<&str> = a.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "laptop",
            "mixed-phone",
            "pixel-9-pro",
            "xiaomi-15s-pro-cn",
            "xiaomi-su7"
        ]
    );
    let dp = |id: &str| {
        a.device(id)
            .unwrap()
            .flag(FlagCode::DataPathSingleVendor)
            .and_then(|f| f.group_name.clone())
    };
    assert_eq!(
        dp("xiaomi-15s-pro-cn").as_deref(),
        Some("Xiaomi Corporation")
    );
    assert_eq!(dp("pixel-9-pro").as_deref(), Some("Alphabet Inc."));
    assert_eq!(dp("xiaomi-su7").as_deref(), Some("Xiaomi Corporation"));
    assert_eq!(dp("mixed-phone"), None);
    assert_eq!(dp("laptop"), None);

    let full = |id: &str| a.device(id).unwrap().flag(FlagCode::FullVertical).is_some();
    assert!(full("xiaomi-15s-pro-cn"));
    assert!(full("pixel-9-pro"));
    assert!(!full("xiaomi-su7"), "the SU7's silicon is not Xiaomi");

    // The vehicle's silicon: Qualcomm and NVIDIA, half each; the rest Xiaomi
    // (xiaomi-ev rolls up to Xiaomi Corporation). It is worked example D.
    let su7 = a.device("xiaomi-su7").unwrap();
    let si = su7.layer(LayerName::Silicon).unwrap();
    let who: Vec<(&str, f64)> = si
        .parts
        .iter()
        .map(|p| (p.vendor.group_name.as_str(), p.fraction))
        .collect();
    assert_eq!(
        who,
        [("Qualcomm Incorporated", 0.5), ("NVIDIA Corporation", 0.5)]
    );
    assert_eq!(si.controlled_by, None);
    assert_eq!(
        su7.layer(LayerName::Vehicle).unwrap().parts[0].vendor.group,
        "xiaomi"
    );
    assert_eq!(su7.concentration.top_share(), 0.85);
    assert_eq!(su7.concentration.hhi, 7_337.5);
    assert_eq!(su7.criticality, 2.0);
    assert_eq!(su7.weight, 40.0);

    // Historical designation: context, never a restriction.
    let x = a.device("xiaomi-15s-pro-cn").unwrap();
    assert!(x.screening.active.is_empty());
    assert!(x.flag(FlagCode::RestrictedPartyAtLayer).is_none());
    let h = &x.screening.historical[0].hit;
    assert_eq!(h.list, "dod-ccmc-1237");
    assert_eq!(h.vacated.as_deref(), Some("2021-05-25"));
    // The SU7's vehicle supplier is screened through its parent.
    assert!(
        su7.screening
            .historical
            .iter()
            .any(|h| h.hit.vendor == "xiaomi-ev" && h.hit.relation == Relation::Parent)
    );
    assert_eq!(a.fleet.restricted_exposure, 0.0);
    assert_eq!(a.lists.len(), 2);
    assert_eq!(a.lists[1].snapshot_date, "2021-05-25");

    // DPIA outcomes.
    let outcome = |id: &str| a.device(id).unwrap().dpia.outcome;
    assert_eq!(outcome("xiaomi-15s-pro-cn"), Outcome::Required);
    assert_eq!(outcome("pixel-9-pro"), Outcome::Required);
    assert_eq!(outcome("xiaomi-su7"), Outcome::Required);
    assert_eq!(outcome("mixed-phone"), Outcome::Recommended);
    assert_eq!(outcome("laptop"), Outcome::Recommended);

    assert!(a.notes.is_empty(), "{:?}", a.notes);
    assert_eq!(
        a.inputs.approved_devices.as_deref(),
        Some("approved-devices.yaml")
    );
    assert_eq!(x.stack, "stacks/xiaomi-15s-pro-cn.yaml");
}

#[test]
fn example_fleet_output_is_byte_stable() {
    let o = AnalyzeOptions {
        explain: true,
        ..opts()
    };
    let a = serde_json::to_string(&analyze_fleet(&examples(), &o).unwrap()).unwrap();
    let b = serde_json::to_string(&analyze_fleet(&examples(), &o).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn unknown_and_ambiguous_suppliers_are_errors_with_positions() {
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        (
            "stacks/p.yaml",
            "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  os: {supplier: nokia, product: X}\n  silicon: {supplier: qualcom, product: Y}\n",
        ),
    ]);
    let e = analyze_fleet(dir.path(), &opts()).unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].code, "unknown-vendor");
    assert_eq!(
        d[0].position,
        Some(Position {
            line: 4,
            column: 18
        })
    );
    assert!(d[0].file.as_ref().unwrap().ends_with("stacks/p.yaml"));
    assert_eq!(d[1].position.unwrap().line, 5);
    assert!(
        d[1].help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `qualcomm`?")
    );
}

#[test]
fn a_supplier_named_by_alias_resolves_to_its_group() {
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        (
            "stacks/p.yaml",
            "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  os: {supplier: xiaomi-communications, product: HyperOS}\n  services: {supplier: xiaomi, product: Cloud}\n",
        ),
    ]);
    let a = analyze_fleet(dir.path(), &opts()).unwrap();
    let d = &a.devices[0];
    let v = &d.layers[0].parts[0].vendor;
    assert_eq!(v.id, "xiaomi");
    assert_eq!(v.written_as.as_deref(), Some("xiaomi-communications"));
    assert_eq!(d.concentration.top_share(), 1.0);
    assert!(d.flag(FlagCode::FullVertical).is_some());
    // Without an approved list: every stack, 1 unit, and a note saying so.
    assert_eq!(d.units, 1);
    assert!(!d.approved);
    let codes: Vec<&str> = a.notes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "no-designations",
            "no-approved-list",
            "vendor-name-resolved"
        ]
    );
    assert!(
        a.notes[2].message.starts_with(
            "supplier `xiaomi-communications` is vendor `xiaomi` (by its declared name"
        )
    );
}

#[test]
fn bad_designations_file_is_an_error_with_its_line() {
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        (
            "designations.yaml",
            "version: 1\nlists:\n  - id: x\n    name: X\n    publisher: P\n    source: S\n    snapshot-date: \"2026-01-01\"\n    entries:\n      - {entity: Xiaomi, status: maybe, citation: c}\n",
        ),
        (
            "stacks/p.yaml",
            "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  os: {supplier: xiaomi, product: X}\n",
        ),
    ]);
    let e = analyze_fleet(dir.path(), &opts()).unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d[0].code, "invalid-value");
    assert_eq!(d[0].position.unwrap().line, 9);
    assert!(d[0].file.as_ref().unwrap().ends_with("designations.yaml"));
}

#[test]
fn approved_list_problems_are_reported_together() {
    let stack = "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  os: {supplier: xiaomi, product: X}\n";
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        ("stacks/p.yaml", stack),
        ("stacks/extra.yaml", &stack.replace("id: p", "id: extra")),
        (
            "approved-devices.yaml",
            "version: 1\ndevices:\n  - {id: p, stack: stacks/p.yaml, units: 3}\n  - {id: q, stack: stacks/p.yaml, units: 1}\n  - {id: r, stack: stacks/nope.yaml, units: 1}\n  - {id: p, stack: stacks/p.yaml, units: 1}\n",
        ),
    ]);
    let e = analyze_fleet(dir.path(), &opts()).unwrap_err();
    let d = e.diagnostics();
    let codes: Vec<(&str, usize)> = d
        .iter()
        .map(|d| (d.code.as_str(), d.position.unwrap().line))
        .collect();
    assert_eq!(
        codes,
        [
            ("device-id-mismatch", 4),
            ("missing-stack", 5),
            ("duplicate-device", 6)
        ]
    );
}

#[test]
fn stacks_off_the_approved_list_are_noted_not_analysed() {
    let stack = "version: 1\ndevice: {id: p, name: P, class: vehicle}\nlayers:\n  os: {supplier: xiaomi, product: X}\n";
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        ("stacks/p.yaml", stack),
        ("stacks/extra.yaml", &stack.replace("id: p", "id: extra")),
        (
            "approved-devices.yaml",
            "version: 1\ndevices:\n  - {id: p, stack: stacks/p.yaml, units: 3}\n",
        ),
    ]);
    let a = analyze_fleet(dir.path(), &opts()).unwrap();
    assert_eq!(a.devices.len(), 1);
    assert_eq!(
        a.devices[0].weight, 6.0,
        "vehicles default to criticality 2"
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.code == "stack-not-approved" && n.message.starts_with("stacks/extra.yaml"))
    );
}

#[test]
fn an_active_entry_raises_the_restricted_flag_and_fleet_exposure() {
    let dir = fleet_with(&[
        ("vendors.yaml", VENDORS),
        (
            "designations.yaml",
            "version: 1\nlists:\n  - id: l\n    name: Test list\n    publisher: P\n    source: S\n    snapshot-date: \"2026-01-01\"\n    entries:\n      - {entity: XIAOMI COMMUNICATIONS CO LTD, status: active, citation: c}\n      - {entity: Qualcomm Inc, status: historical, vacated: \"2020-01-01\", citation: c}\n",
        ),
        (
            "stacks/p.yaml",
            "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  silicon: {supplier: qualcomm, product: S}\n  os: {supplier: xiaomi, product: X}\n",
        ),
    ]);
    let a = analyze_fleet(dir.path(), &opts()).unwrap();
    let d = &a.devices[0];
    let f = d.flag(FlagCode::RestrictedPartyAtLayer).unwrap();
    assert_eq!(f.layers, [LayerName::Os]);
    assert!(
        f.message.contains("`xiaomi` (os supplier) on Test list"),
        "{}",
        f.message
    );
    let hit = &d.screening.active[0].hit;
    assert_eq!(hit.matched_name, "Xiaomi Communications Co., Ltd.");
    assert_eq!(hit.entry_name, "XIAOMI COMMUNICATIONS CO LTD");
    // Qualcomm's entry is historical: context only, no flag, no exposure.
    assert_eq!(d.screening.historical[0].hit.vendor, "qualcomm");
    // os is 0.25 / (0.15 + 0.25) of the stack.
    assert_eq!(a.fleet.restricted_exposure, 0.625);
}

#[test]
fn stacks_read_in_parallel_report_in_list_order() {
    // Many entries, so the stacks are read by several threads: invalid
    // stacks, mismatched ids, missing files and duplicates interleaved.
    let stack = |id: &str| {
        format!(
            "version: 1\ndevice: {{id: {id}, name: P, class: phone}}\nlayers:\n  os: {{supplier: xiaomi, product: X}}\n"
        )
    };
    let mut files: Vec<(String, String)> = vec![("vendors.yaml".into(), VENDORS.into())];
    let mut list = String::from("version: 1\ndevices:\n");
    let mut expected = Vec::new();
    for i in 0..60 {
        let id = format!("d{i:02}");
        match i % 5 {
            0 => {
                files.push((
                    format!("stacks/{id}.yaml"),
                    stack(&id).replace("class: phone", "class: boat"),
                ));
                expected.push(("invalid-value", format!("stacks/{id}.yaml")));
            }
            1 => {
                files.push((format!("stacks/{id}.yaml"), stack("other")));
                expected.push(("device-id-mismatch", "approved-devices.yaml".into()));
            }
            2 => expected.push(("missing-stack", "approved-devices.yaml".into())),
            3 => {
                files.push((format!("stacks/{id}.yaml"), stack(&id)));
                list.push_str(&format!(
                    "  - {{id: {id}, stack: stacks/{id}.yaml, units: 1}}\n"
                ));
                expected.push(("duplicate-device", "approved-devices.yaml".into()));
            }
            _ => files.push((format!("stacks/{id}.yaml"), stack(&id))),
        }
        list.push_str(&format!(
            "  - {{id: {id}, stack: stacks/{id}.yaml, units: 1}}\n"
        ));
    }
    files.push(("approved-devices.yaml".into(), list));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = fleet_with(&refs);
    let e = analyze_fleet(dir.path(), &opts()).unwrap_err();
    let diags = e.diagnostics();
    let got: Vec<(&str, String)> = diags
        .iter()
        .map(|d| {
            let file = d.file.as_ref().unwrap().strip_prefix(dir.path()).unwrap();
            (d.code.as_str(), file.display().to_string())
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn stacks_resolved_in_parallel_keep_their_warnings_in_order() {
    let mut files: Vec<(String, String)> = vec![("vendors.yaml".into(), VENDORS.into())];
    let mut expected = Vec::new();
    for i in 0..40 {
        let id = format!("d{i:02}");
        let silicon = if i % 3 == 0 {
            expected.push(format!("stacks/{id}.yaml"));
            "  silicon:\n    supplier: qualcomm\n    parts:\n      - {supplier: qualcomm, product: A, fraction: 1.0}\n"
        } else {
            "  silicon: {supplier: qualcomm, product: A}\n"
        };
        files.push((
            format!("stacks/{id}.yaml"),
            format!("version: 1\ndevice: {{id: {id}, name: P, class: phone}}\nlayers:\n{silicon}  os: {{supplier: xiaomi, product: X}}\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = fleet_with(&refs);
    let a = analyze_fleet(dir.path(), &opts()).unwrap();
    assert_eq!(a.devices.len(), 40);
    let got: Vec<String> = a
        .notes
        .iter()
        .filter(|n| n.code == "supplier-and-parts")
        .map(|n| {
            let file = n.file.as_ref().unwrap().strip_prefix(dir.path()).unwrap();
            file.display().to_string()
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_preloaded_list_gives_the_analysis_of_its_file() {
    let fleet = Fleet::open(&examples()).unwrap();
    let path = examples().join(APPROVED_FILE);
    let list: Loaded<ApprovedDevices> = model::load(&path, FileKind::ApprovedDevices).unwrap();
    let by_path = analyze(
        &fleet,
        &AnalyzeOptions {
            devices: Some(path.clone()),
            ..opts()
        },
    )
    .unwrap();
    // opts.devices is not read when the list is given.
    let elsewhere = AnalyzeOptions {
        devices: Some(PathBuf::from("no/such/list.yaml")),
        ..opts()
    };
    assert_eq!(analyze_list(&fleet, &elsewhere, &list).unwrap(), by_path);
}
