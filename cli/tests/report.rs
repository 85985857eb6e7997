//! `strata report` through the real binary.

use crate::common;

use common::{render, repo_like, strata};

#[test]
fn text_report_on_the_example_fleet() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    insta::assert_snapshot!(render(&out, tmp.path()));
}

#[test]
fn markdown_report_on_the_example_fleet() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args([
            "report",
            "fleet",
            "--now",
            "2026-11-26",
            "--format",
            "md",
            "-o",
            "report.md",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    assert!(md.starts_with("# strata report: 5 devices, 310 units (2026-11-26)\n"));
    assert!(md.contains("| device | units | attestation |"));
    insta::assert_snapshot!(md);
}

#[test]
fn html_report_on_the_example_fleet() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args([
            "report",
            "fleet",
            "--now",
            "2026-11-26",
            "--format",
            "html",
            "-o",
            "report.html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    // Self-contained: no script, nothing fetched.
    for banned in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "the page holds `{banned}`");
    }
    // One colour per vendor group across the page: Xiaomi's fill is the
    // same in the legend, the matrix and every bar.
    let legend = html
        .split("<ul class=\"legend\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap();
    let xiaomi = legend
        .lines()
        .find(|l| l.contains("Xiaomi Corporation"))
        .and_then(|l| l.split("background:").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap();
    let fills: Vec<&str> = html
        .split("background:")
        .skip(1)
        .map(|s| s.split("</span>").next().unwrap())
        .filter(|s| s.contains("Xiaomi Corporation"))
        .map(|s| s.split([';', '"']).next().unwrap())
        .collect();
    assert!(fills.len() > 5, "{fills:?}");
    assert!(fills.iter().all(|f| *f == xiaomi), "{xiaomi} vs {fills:?}");
    // The gate column is there for every device.
    assert_eq!(
        html.matches("<td class=\"good\">pass</td>").count()
            + html.matches("<td class=\"warn\">pass (").count(),
        5
    );
    insta::assert_snapshot!(html);
}

#[test]
fn json_report_carries_analysis_and_gate() {
    let tmp = repo_like();
    let out = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The example attestations carry bundles signed with the demo key, and
    // the example policy names its public key: the gate verifies them.
    assert_eq!(v["gate"]["result"], "pass");
    assert_eq!(v["devices"].as_array().unwrap().len(), 5);
    assert_eq!(
        v["devices"][0]["attestation"]["status"],
        "signed (verified)"
    );
    assert_eq!(
        v["devices"][0]["attestation"]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    assert!(!v["limitations"].as_array().unwrap().is_empty());
}

#[test]
fn missing_attestation_is_reported_not_fatal() {
    let tmp = repo_like();
    std::fs::remove_file(tmp.path().join("attestations/laptop/bom.cdx.json")).unwrap();
    std::fs::write(
        tmp.path().join("attestations/mixed-phone/bom.cdx.json"),
        "{\"bomFormat\": \"CycloneDX\"}",
    )
    .unwrap();
    let out = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["devices"][0]["attestation"]["status"], "missing");
    assert_eq!(v["devices"][1]["attestation"]["status"], "invalid");
}

#[test]
fn each_device_cites_its_declarations() {
    let tmp = repo_like();
    let report = |tmp: &tempfile::TempDir| -> serde_json::Value {
        let out = strata(tmp.path())
            .args(["report", "fleet", "--now", "2026-11-26", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", render(&out, tmp.path()));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = report(&tmp);
    for d in v["devices"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let c = &d["declarations"];
        assert_eq!(
            c["path"],
            format!("../attestations/{id}/declarations.cdx.json")
        );
        let bytes = std::fs::read(
            tmp.path()
                .join(format!("attestations/{id}/declarations.cdx.json")),
        )
        .unwrap();
        assert_eq!(c["sha256"], strata::digest::Digest::of(&bytes).to_string());
        assert_eq!(c["current"], true, "{id}");
        assert!(!c["declared"]["conformance"].as_array().unwrap().is_empty());
    }
    // Stale (the BOM changed since), unreadable, absent.
    let dir = tmp.path().join("attestations");
    let bom = dir.join("laptop/bom.cdx.json");
    let text = std::fs::read_to_string(&bom).unwrap();
    std::fs::write(&bom, text.replacen('{', "{\n  ", 1)).unwrap();
    std::fs::write(dir.join("mixed-phone/declarations.cdx.json"), "[1").unwrap();
    std::fs::remove_file(dir.join("pixel-9-pro/declarations.cdx.json")).unwrap();
    let v = report(&tmp);
    let by_id = |id: &str| {
        v["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("laptop")["declarations"]["current"], false);
    assert!(by_id("mixed-phone")["declarations"]["unreadable"].is_string());
    assert!(by_id("pixel-9-pro").get("declarations").is_none());
    let out = strata(tmp.path())
        .args(["report", "fleet", "--now", "2026-11-26"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("declarations ../attestations/laptop/declarations.cdx.json (sha256:")
            && text.contains("STALE: made for another version of the attestation"),
        "{text}"
    );
    assert!(
        text.contains(
            "declarations ../attestations/mixed-phone/declarations.cdx.json: unreadable: "
        ),
        "{text}"
    );
}
