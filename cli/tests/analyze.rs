//! `strata analyze` through the real binary, on a copy of `examples/`.

use crate::common;

use common::{example_fleet, render, strata};
use serde_json::Value;

fn json(dir: &std::path::Path, extra: &[&str]) -> Value {
    let out = strata(dir)
        .args(["analyze", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, dir));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn device<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no device {id}"))
}

fn flag<'a>(d: &'a Value, code: &str) -> Option<&'a Value> {
    d["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
}

#[test]
fn table_on_the_example_fleet() {
    let fleet = example_fleet();
    let out = strata(fleet.path()).arg("analyze").output().unwrap();
    let text = render(&out, fleet.path());
    assert!(!text.contains('\x1b'), "no colour codes");
    insta::assert_snapshot!(text);
}

#[test]
fn table_with_explain() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args(["analyze", "--explain"])
        .output()
        .unwrap();
    insta::assert_snapshot!(render(&out, fleet.path()));
}

#[test]
fn json_on_the_example_fleet_is_byte_stable() {
    let fleet = example_fleet();
    let run = || {
        strata(fleet.path())
            .args(["analyze", "--format", "json"])
            .output()
            .unwrap()
    };
    let a = run();
    assert!(a.status.success());
    assert_eq!(a.stdout, run().stdout, "same inputs, same bytes");
    insta::assert_snapshot!(String::from_utf8(a.stdout).unwrap());
}

#[test]
fn expected_findings() {
    let fleet = example_fleet();
    let v = json(fleet.path(), &[]);

    // The vertically integrated phones: one group holds os + model + services.
    for (id, group) in [
        ("xiaomi-15s-pro-cn", "Xiaomi Corporation"),
        ("pixel-9-pro", "Alphabet Inc."),
        ("xiaomi-su7", "Xiaomi Corporation"),
    ] {
        let d = device(&v, id);
        let f = flag(d, "data-path-single-vendor").unwrap_or_else(|| panic!("{id}"));
        assert_eq!(f["group_name"], group, "{id}");
        assert_eq!(f["layers"], serde_json::json!(["os", "model", "services"]));
    }
    assert!(flag(device(&v, "xiaomi-15s-pro-cn"), "full-vertical").is_some());
    assert!(flag(device(&v, "pixel-9-pro"), "full-vertical").is_some());

    // The mixed phone and the laptop are not.
    for id in ["mixed-phone", "laptop"] {
        let d = device(&v, id);
        assert!(flag(d, "data-path-single-vendor").is_none(), "{id}");
        assert!(flag(d, "full-vertical").is_none(), "{id}");
    }

    // The vehicle: Qualcomm and NVIDIA silicon under Xiaomi everything else.
    let su7 = device(&v, "xiaomi-su7");
    assert!(flag(su7, "full-vertical").is_none());
    let silicon = &su7["layers"][0];
    assert_eq!(silicon["layer"], "silicon");
    let groups: Vec<(&str, f64)> = silicon["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["vendor"]["group_name"].as_str().unwrap(),
                p["fraction"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [("Qualcomm Incorporated", 0.5), ("NVIDIA Corporation", 0.5)]
    );
    assert_eq!(su7["concentration"]["top"]["share"], 0.85);

    // Xiaomi's 2021 DoD designation is history, not a restriction.
    let x = device(&v, "xiaomi-15s-pro-cn");
    assert_eq!(x["screening"]["active"], serde_json::json!([]));
    assert!(flag(x, "restricted-party-at-layer").is_none());
    let h = &x["screening"]["historical"][0];
    assert_eq!(h["status"], "historical");
    assert_eq!(h["vacated"], "2021-05-25");
    assert_eq!(h["list"], "dod-ccmc-1237");

    // Each list carries its provenance.
    let lists = v["lists"].as_array().unwrap();
    assert!(lists.iter().all(|l| l["publisher"].is_string()
        && l["source"].is_string()
        && l["snapshot_date"].is_string()));

    // DPIA outcomes.
    for (id, outcome) in [
        ("xiaomi-15s-pro-cn", "REQUIRED"),
        ("pixel-9-pro", "REQUIRED"),
        ("xiaomi-su7", "REQUIRED"),
        ("mixed-phone", "RECOMMENDED"),
        ("laptop", "RECOMMENDED"),
    ] {
        assert_eq!(device(&v, id)["dpia"]["outcome"], outcome, "{id}");
    }
    assert_eq!(
        device(&v, "xiaomi-15s-pro-cn")["dpia"]["criteria"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
}

#[test]
fn explain_adds_workings_to_json() {
    let fleet = example_fleet();
    let plain = json(fleet.path(), &[]);
    assert!(plain["fleet"].get("explain").is_none());
    let v = json(fleet.path(), &["--explain"]);
    let ex = device(&v, "xiaomi-su7")["concentration"]["explain"]
        .as_array()
        .unwrap();
    let vci = ex.iter().find(|l| l["metric"] == "VCI").unwrap();
    assert_eq!(vci["formula"], "VCI = (H − H_min) / (1 − H_min)");
    assert_eq!(
        vci["workings"],
        "VCI = (0.7338 − 0.1988) / (1 − 0.1988) = 0.6677"
    );
    assert!(!v["fleet"]["explain"].as_array().unwrap().is_empty());
}

#[test]
fn fleet_is_discovered_upward_or_given() {
    let fleet = example_fleet();
    let inside = json(&fleet.path().join("stacks"), &[]);
    assert_eq!(inside["devices"].as_array().unwrap().len(), 5);
    assert!(inside["root"].as_str().unwrap().ends_with(".."));
    let parent = fleet.path().parent().unwrap();
    let name = fleet.path().file_name().unwrap().to_str().unwrap();
    let given = json(parent, &[name]);
    assert_eq!(given["devices"], inside["devices"]);
}

#[test]
fn a_supplier_named_by_alias_is_grouped_with_its_vendor() {
    let fleet = example_fleet();
    let p = fleet.path().join("stacks/mixed-phone.yaml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("supplier: qualcomm", "supplier: qualcomm-technologies");
    std::fs::write(&p, text).unwrap();
    let v = json(fleet.path(), &[]);
    let part = &device(&v, "mixed-phone")["layers"][0]["parts"][0]["vendor"];
    assert_eq!(part["id"], "qualcomm");
    assert_eq!(part["written_as"], "qualcomm-technologies");
}

#[test]
fn a_supplier_written_as_its_legal_name_resolves_with_a_note() {
    let fleet = example_fleet();
    let p = fleet.path().join("stacks/xiaomi-15s-pro-cn.yaml");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        "  silicon:\n    supplier: xiaomi",
        "  silicon:\n    supplier: \"XIAOMI CORP.\"",
        1,
    );
    std::fs::write(&p, text).unwrap();
    let out = strata(fleet.path()).arg("analyze").output().unwrap();
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note[vendor-name-resolved]: supplier `XIAOMI CORP.` is vendor `xiaomi`"),
        "{stderr}"
    );
    let v = json(fleet.path(), &[]);
    let part = &device(&v, "xiaomi-15s-pro-cn")["layers"][0]["parts"][0]["vendor"];
    assert_eq!(part["id"], "xiaomi");
    assert_eq!(part["written_as"], "XIAOMI CORP.");
    // The attestation records the vendor id, not the name as written.
    let out = strata(fleet.path())
        .args(["assemble", "stacks/xiaomi-15s-pro-cn.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let bom = String::from_utf8(out.stdout).unwrap();
    assert!(!bom.contains("XIAOMI CORP."));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vendor-name-resolved"));
}

#[test]
fn a_legal_name_that_matches_no_vendor_suggests_the_id() {
    let fleet = example_fleet();
    let p = fleet.path().join("stacks/xiaomi-15s-pro-cn.yaml");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        "  silicon:\n    supplier: xiaomi",
        "  silicon:\n    supplier: \"XIAOMI HOLDINGS LIMITED\"",
        1,
    );
    std::fs::write(&p, text).unwrap();
    for cmd in [
        &["analyze"][..],
        &["assemble", "stacks/xiaomi-15s-pro-cn.yaml"],
    ] {
        let out = strata(fleet.path()).args(cmd).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error[unknown-vendor]"), "{stderr}");
        assert!(stderr.contains("did you mean `xiaomi`?"), "{stderr}");
    }
}

#[test]
fn upstream_roles_are_shown() {
    let fleet = example_fleet();
    let v = json(fleet.path(), &[]);
    let silicon = &device(&v, "xiaomi-15s-pro-cn")["layers"][0];
    assert_eq!(silicon["upstream"][1]["id"], "tsmc");
    assert_eq!(silicon["upstream"][1]["role"], "fab");
    assert_eq!(silicon["upstream"][1]["role_label"], "fab");
    let out = strata(fleet.path()).arg("analyze").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("upstream: arm (IP licensor), tsmc (fab)"),
        "{text}"
    );
}

#[test]
fn unknown_supplier_is_an_input_error_with_its_line() {
    let fleet = example_fleet();
    let p = fleet.path().join("stacks/laptop.yaml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("supplier: intel", "supplier: intell")
        .replace("supplier: aws", "supplier: nokia");
    std::fs::write(&p, text).unwrap();
    let out = strata(fleet.path()).arg("analyze").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(render(&out, fleet.path()));
}

#[test]
fn bad_designations_file_is_an_input_error_with_its_line() {
    let fleet = example_fleet();
    let p = fleet.path().join("designations.yaml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("status: historical", "status: vacated")
        .replace(
            "    publisher: US Federal Communications Commission (PSHSB)\n",
            "",
        );
    std::fs::write(&p, text).unwrap();
    let out = strata(fleet.path()).arg("analyze").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(render(&out, fleet.path()));
}

#[test]
fn errors_are_json_in_json_mode() {
    let fleet = example_fleet();
    std::fs::write(
        fleet.path().join("designations.yaml"),
        "version: 1\nlists: [\n",
    )
    .unwrap();
    let out = strata(fleet.path())
        .args(["analyze", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert!(d["file"].as_str().unwrap().ends_with("designations.yaml"));
    assert!(d["position"]["line"].as_u64().is_some());
}

#[test]
fn no_fleet_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = strata(empty.path()).arg("analyze").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-fleet-root"));
}
