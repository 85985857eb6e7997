//! `strata assemble`, `init` and `schema` through the real binary.

use crate::common;

use common::{example_fleet, render, repo, strata};

const STACKS: [&str; 5] = common::EXAMPLE_DEVICES;

#[test]
fn every_example_assembles_deterministically() {
    let fleet = example_fleet();
    for id in STACKS {
        let a = strata(fleet.path())
            .args(["assemble", &format!("stacks/{id}.yaml")])
            .output()
            .unwrap();
        assert!(a.status.success(), "{id}: {}", render(&a, fleet.path()));
        let b = strata(fleet.path())
            .args(["assemble", &format!("stacks/{id}.yaml")])
            .output()
            .unwrap();
        assert_eq!(
            a.stdout, b.stdout,
            "{id}: output must be byte-identical across runs"
        );
        let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
        assert_eq!(v["specVersion"], "1.5");
        assert_eq!(
            v["metadata"]["component"]["bom-ref"],
            format!("device:{id}")
        );
        assert!(v["serialNumber"].as_str().unwrap().starts_with("urn:uuid:"));
        assert!(
            v["metadata"].get("timestamp").is_none(),
            "no wall-clock time by default"
        );
    }
}

#[test]
fn attestations_in_the_repository_are_current() {
    // attestations/<device>/bom.cdx.json must be what assemble produces now.
    let fleet = example_fleet();
    for id in STACKS {
        let out = strata(fleet.path())
            .args(["assemble", &format!("stacks/{id}.yaml")])
            .output()
            .unwrap();
        assert!(out.status.success());
        let committed =
            std::fs::read(repo().join("attestations").join(id).join("bom.cdx.json")).unwrap();
        assert!(
            committed == out.stdout,
            "attestations/{id}/bom.cdx.json is stale: run `cargo run -- assemble examples/stacks --out-dir attestations`"
        );
    }
}

#[test]
fn layer_components_carry_types_groups_and_evidence() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/xiaomi-15s-pro-cn.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let comps = v["components"].as_array().unwrap();
    let types: Vec<(&str, &str)> = comps
        .iter()
        .map(|c| (c["bom-ref"].as_str().unwrap(), c["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        types,
        [
            ("layer:silicon", "device"),
            ("layer:os", "operating-system"),
            ("layer:model", "machine-learning-model"),
            ("layer:services", "platform")
        ]
    );
    let model = &comps[2];
    assert!(model.get("modelCard").is_some());
    let props = model["properties"].as_array().unwrap();
    let has = |n: &str, val: &str| props.iter().any(|p| p["name"] == n && p["value"] == val);
    assert!(has("strata:group", "xiaomi"));
    assert!(has("strata:agent:name", "miclaw"));
    assert!(has("strata:jurisdiction", "CN"));
    // Weights: directory digest on the layer, one nested component per file.
    let subs = model["components"].as_array().unwrap();
    let weights = subs
        .iter()
        .find(|c| c["name"].as_str().unwrap().ends_with("(weights)"))
        .unwrap();
    // The model-signing signature over the weights, verified with its key.
    let sig = subs
        .iter()
        .find(|c| c["name"] == "evidence/xiaomi-15s-pro-cn/mimo.model.sig")
        .unwrap();
    let sig_props = sig["properties"].as_array().unwrap();
    let sig_has = |n: &str, val: &str| {
        sig_props
            .iter()
            .any(|p| p["name"] == n && p["value"] == val)
    };
    assert!(sig_has("strata:evidence:verification", "passed"), "{sig}");
    assert!(
        sig_has("strata:evidence:check:model-files", "pass"),
        "{sig}"
    );
    assert!(
        sig_has(
            "strata:evidence:model-signing:subject",
            &format!(
                "mimo sha256:{}",
                weights["hashes"][0]["content"].as_str().unwrap()
            )
        ),
        "the signed subject is the weights digest: {sig}"
    );
    assert_eq!(weights["components"].as_array().unwrap().len(), 5);
    let names: Vec<&str> = weights["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let vocab = names
        .iter()
        .position(|n| *n == "tokenizer/vocab.txt")
        .unwrap();
    let tok = names.iter().position(|n| *n == "tokenizer.json").unwrap();
    assert!(vocab < tok, "path-component order: {names:?}");
    assert_eq!(
        model["hashes"][0]["content"],
        weights["hashes"][0]["content"]
    );
    let deps = v["dependencies"].as_array().unwrap();
    let model_deps = deps.iter().find(|d| d["ref"] == "layer:model").unwrap();
    assert_eq!(
        model_deps["dependsOn"],
        serde_json::json!(["layer:os", "layer:services"])
    );
}

#[test]
fn timestamp_is_opt_in_and_xml_works() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args([
            "assemble",
            "stacks/laptop.yaml",
            "--timestamp",
            "2026-11-25T00:00:00Z",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["metadata"]["timestamp"], "2026-11-25T00:00:00Z");
    let bad = strata(fleet.path())
        .args(["assemble", "stacks/laptop.yaml", "--timestamp", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let xml = strata(fleet.path())
        .args(["assemble", "stacks/laptop.yaml", "--format", "xml"])
        .output()
        .unwrap();
    assert!(xml.status.success());
    assert!(String::from_utf8_lossy(&xml.stdout).contains("http://cyclonedx.org/schema/bom/1.5"));
}

#[test]
fn out_dir_writes_one_bom_per_device() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args(["assemble", "stacks", "--out-dir", "out"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    for id in STACKS {
        assert!(
            fleet
                .path()
                .join("out")
                .join(id)
                .join("bom.cdx.json")
                .is_file()
        );
    }
    let two = strata(fleet.path())
        .args(["assemble", "stacks/laptop.yaml", "stacks/mixed-phone.yaml"])
        .output()
        .unwrap();
    assert_eq!(two.status.code(), Some(2));
}

fn bad_stack(name: &str, yaml: &str) -> String {
    let fleet = example_fleet();
    std::fs::write(fleet.path().join("stacks").join(name), yaml).unwrap();
    let out = strata(fleet.path())
        .args(["assemble", &format!("stacks/{name}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", render(&out, fleet.path()));
    assert!(out.stdout.is_empty());
    let text = render(&out, fleet.path());
    assert!(!text.contains("panicked"), "{text}");
    text
}

#[test]
fn malformed_yaml_names_file_and_line() {
    insta::assert_snapshot!(bad_stack(
        "broken.yaml",
        "version: 1\ndevice: {id: x, name: X\nlayers: {}\n"
    ));
}

#[test]
fn unknown_keys_are_all_reported_with_hints() {
    insta::assert_snapshot!(bad_stack(
        "typo.yaml",
        "version: 1\ndevice: {id: x, name: X, class: fone}\nlayers:\n  os: {suplier: xiaomi, product: HyperOS, colour: red}\n"
    ));
}

#[test]
fn missing_evidence_and_escapes_are_refused() {
    insta::assert_snapshot!(bad_stack(
        "paths.yaml",
        "version: 1\ndevice: {id: x, name: X, class: phone}\nlayers:\n  os:\n    supplier: xiaomi\n    product: HyperOS\n    evidence:\n      - {kind: file, path: evidence/nope.bin}\n      - {kind: file, path: ../../etc/passwd}\n      - {kind: file, path: /etc/passwd}\n"
    ));
}

#[test]
fn unknown_supplier_is_reported_not_grouped() {
    insta::assert_snapshot!(bad_stack(
        "vendor.yaml",
        "version: 1\ndevice: {id: x, name: X, class: phone}\nlayers:\n  os: {supplier: nokia, product: X}\n  silicon:\n    parts:\n      - {supplier: qualcomm, product: A, fraction: 0.5}\n      - {supplier: nvidia, product: B, fraction: 0.4}\n"
    ));
}

#[test]
fn alias_bomb_is_refused() {
    let mut y = String::from("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let text = bad_stack("bomb.yaml", &y);
    assert!(text.contains("yaml-too-many-nodes"), "{text}");
}

#[cfg(unix)]
#[test]
fn symlinked_evidence_is_refused() {
    let fleet = example_fleet();
    std::os::unix::fs::symlink("/etc/hostname", fleet.path().join("evidence/link.bin")).unwrap();
    std::fs::write(
        fleet.path().join("stacks/link.yaml"),
        "version: 1\ndevice: {id: x, name: X, class: phone}\nlayers:\n  os:\n    supplier: xiaomi\n    product: HyperOS\n    evidence:\n      - {kind: file, path: evidence/link.bin}\n",
    )
    .unwrap();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/link.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
}

#[test]
fn missing_stack_file_is_exit_2() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/none.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stacks/none.yaml"));
}

#[test]
fn init_writes_a_fleet_that_assembles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = strata(tmp.path()).args(["init", "fleet"]).output().unwrap();
    assert!(out.status.success());
    let a = strata(tmp.path())
        .args([
            "assemble",
            "fleet/stacks/example-phone.yaml",
            "-o",
            "p.json",
        ])
        .output()
        .unwrap();
    assert!(a.status.success(), "{}", render(&a, tmp.path()));
    assert!(tmp.path().join("p.json").is_file());
    let again = strata(tmp.path()).args(["init", "fleet"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn schema_prints_every_kind() {
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "stack",
        "vendors",
        "designations",
        "policy",
        "approved-devices",
    ] {
        let out = strata(tmp.path()).args(["schema", name]).output().unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    }
    let bad = strata(tmp.path())
        .args(["schema", "nope"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

fn assemble_with_sbom(sbom: &str) -> std::process::Output {
    let fleet = example_fleet();
    let path = fleet
        .path()
        .join("evidence/mixed-phone/eos-2.6.sbom.cdx.json");
    std::fs::write(path, sbom).unwrap();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/mixed-phone.yaml"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    out
}

#[test]
fn vendor_sbom_is_recorded_not_merged() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/mixed-phone.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = serde_json::to_string(&v).unwrap();
    // The vendor's own components (LineageOS, ...) are not merged in.
    assert!(!text.contains("\"name\":\"LineageOS\""));
    let props = crate::validate_formats::sbom_properties(&out, ".sbom.cdx.json");
    let prop = |name: &str| {
        props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(prop("format"), Some("cyclonedx-json"));
    assert_eq!(prop("spec-version"), Some("1.6"));
    assert_eq!(prop("subject"), Some("/e/OS"));
    assert_eq!(prop("supplier"), Some("Murena SAS"));
    assert!(prop("components").unwrap().parse::<u32>().unwrap() > 0);
}

#[test]
fn truncated_vendor_sbom_names_file_and_line() {
    let out = assemble_with_sbom(
        "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"compo",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("eos-2.6.sbom.cdx.json:4:"), "{err}");
}

#[test]
fn invalid_vendor_sbom_stops_assembly() {
    let out = assemble_with_sbom(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "gadget", "name": "x"}]}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vendor-sbom-invalid"), "{err}");
    assert!(err.contains("/components/0/type"), "{err}");
}
