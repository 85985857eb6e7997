//! SBOMs as vendors deliver them, through the real binary: the CycloneDX
//! specification's XML test corpus (1.2–1.7), CycloneDX JSON 1.2 and 1.3
//! with their strict variants, SPDX 2.3 JSON (the specification's example
//! and documents broken from it), formats strata refuses, hostile XML, and
//! vendor SBOMs of every format as `assemble` evidence.

use crate::common;

use std::path::{Path, PathBuf};

use crate::validate::{corpus_files as corpus, validate_json as validate};
use common::{example_fleet, render, repo, strata};
use serde_json::{Value, json};

const XML_VERSIONS: [&str; 6] = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Write `text` to `dir/name`, validate it and expect it refused (exit 2,
/// no panic); the stderr.
fn refused(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = strata(dir).arg("validate").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    err
}

fn misjudged<'a>(doc: &'a Value, expected: &str) -> Vec<&'a str> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != expected)
        .map(|f| f["file"].as_str().unwrap())
        .collect()
}

#[test]
fn xml_corpus_of_every_version_is_judged_as_the_specification_says() {
    let dir = repo();
    let mut total = 0;
    for version in XML_VERSIONS {
        let valid = corpus(version, "valid-", ".xml");
        let invalid = corpus(version, "invalid-", ".xml");
        assert!(valid.len() >= 20 && invalid.len() >= 20, "{version}");
        let (code, doc) = validate(&dir, &[], &valid);
        assert_eq!(
            misjudged(&doc, "valid"),
            Vec::<&str>::new(),
            "{version}: {doc:#}"
        );
        assert_eq!(code, 0, "{version}");
        for f in doc["files"].as_array().unwrap() {
            assert_eq!(f["format"], "cyclonedx-xml");
            assert_eq!(f["spec_version"], version);
        }
        let (code, doc) = validate(&dir, &[], &invalid);
        assert_eq!(
            misjudged(&doc, "invalid"),
            Vec::<&str>::new(),
            "{version}: {doc:#}"
        );
        assert_eq!(code, 1, "{version}");
        // Each fails its XSD (or names another version), with a line.
        for f in doc["files"].as_array().unwrap() {
            let diags = f["diagnostics"].as_array().unwrap();
            assert!(
                diags.iter().any(|d| d["severity"] == "error"
                    && ["schema-xsd", "unsupported-spec-version"]
                        .contains(&d["code"].as_str().unwrap())),
                "{}: {diags:#?}",
                f["file"]
            );
        }
        total += valid.len() + invalid.len();
    }
    assert!(total >= 300, "XML corpus shrank: {total}");
}

#[test]
fn strict_variants_of_1_2_and_1_3_reject_what_the_specification_omits() {
    let tmp = tempfile::tempdir().unwrap();
    for version in ["1.2", "1.3"] {
        let doc = json!({"bomFormat": "CycloneDX", "specVersion": version, "version": 1,
            "components": [{"type": "library", "name": "zlib", "version": "1.3.1",
                            "x-build-id": "42"}]});
        let path = tmp.path().join(format!("extra-{version}.json"));
        std::fs::write(&path, doc.to_string()).unwrap();
        let (code, lax) = validate(tmp.path(), &[], std::slice::from_ref(&path));
        assert_eq!(code, 0, "{version}: {lax:#}");
        let (code, strict) = validate(tmp.path(), &["--strict"], std::slice::from_ref(&path));
        assert_eq!(code, 1, "{version}");
        let d = &strict["files"][0]["diagnostics"][0];
        assert_eq!(d["code"], "schema-additional-properties");
        assert_eq!(d["pointer"], "/components/0");
    }
}

#[test]
fn spdx_example_shows_namespace_creators_and_packages() {
    let dir = repo();
    let example = dir.join("cli/tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json");
    let (code, doc) = validate(&dir, &["--strict"], std::slice::from_ref(&example));
    assert_eq!(code, 0, "{doc:#}");
    let f = &doc["files"][0];
    assert_eq!(f["format"], "spdx-json");
    assert_eq!(f["spec_version"], "2.3");
    assert_eq!(f["component_count"], Value::Null);
    assert_eq!(f["spdx"]["package_count"], 4);
    assert_eq!(
        f["spdx"]["document_namespace"],
        "http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301"
    );
    assert_eq!(f["spdx"]["creators"][0], "Tool: LicenseFind-1.0");
    let out = strata(&dir).arg("validate").arg(&example).output().unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.starts_with("valid: "), "{line}");
    for fact in [
        "SPDX 2.3 JSON",
        "4 packages",
        "namespace http://spdx.org/spdxdocs/spdx-example-",
        "created by Tool: LicenseFind-1.0; Organization: ExampleCodeInspect ()",
    ] {
        assert!(line.contains(fact), "{fact}: {line}");
    }
}

/// How a document is broken: name, the change, expected code and pointer.
type Breakage = (&'static str, fn(&mut Value), &'static str, &'static str);

#[test]
fn spdx_documents_broken_from_the_example_are_invalid_with_pointers() {
    let tmp = tempfile::tempdir().unwrap();
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(
            repo().join("cli/tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let cases: [Breakage; 6] = [
        (
            "no-creation-info",
            |d| {
                d.as_object_mut().unwrap().remove("creationInfo");
            },
            "schema-required",
            "",
        ),
        (
            "package-name-number",
            |d| d["packages"][0]["name"] = json!(1),
            "schema-type",
            "/packages/0/name",
        ),
        (
            "unknown-key",
            |d| d["packages"][1]["vendorField"] = json!("x"),
            "schema-additional-properties",
            "/packages/1",
        ),
        (
            "bad-checksum-alg",
            |d| d["files"][0]["checksums"][0]["algorithm"] = json!("CRC32"),
            "schema-enum",
            "/files/0/checksums/0/algorithm",
        ),
        (
            "spdx-2.2",
            |d| d["spdxVersion"] = json!("SPDX-2.2"),
            "unsupported-spec-version",
            "/spdxVersion",
        ),
        (
            "version-number",
            |d| d["spdxVersion"] = json!(2.3),
            "unsupported-spec-version",
            "/spdxVersion",
        ),
    ];
    for (name, mutate, code, pointer) in cases {
        let mut doc = example.clone();
        mutate(&mut doc);
        let path = tmp.path().join(format!("{name}.spdx.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        let (status, out) = validate(tmp.path(), &[], std::slice::from_ref(&path));
        assert_eq!(status, 1, "{name}: {out:#}");
        let d = &out["files"][0]["diagnostics"][0];
        assert_eq!(
            (d["code"].as_str(), d["pointer"].as_str()),
            (Some(code), Some(pointer)),
            "{name}: {out:#}"
        );
        assert!(d["position"]["line"].is_u64(), "{name}");
    }
}

#[test]
fn unsupported_sbom_formats_say_what_is_supported() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        (
            "sbom.spdx",
            "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n",
            "SPDX tag-value",
        ),
        (
            "sbom.spdx.rdf",
            r##"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument rdf:about="#SPDXRef-DOCUMENT"/></rdf:RDF>"##,
            "SPDX RDF/XML",
        ),
        (
            "sbom.spdx.yaml",
            "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n",
            "SPDX YAML",
        ),
        (
            "sbom.spdx3.json",
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#,
            "SPDX 3 JSON-LD",
        ),
    ];
    for (name, text, what) in files {
        let err = refused(tmp.path(), name, text);
        assert!(
            err.contains("error[unsupported-sbom-format]"),
            "{name}: {err}"
        );
        assert!(err.contains(what), "{name}: {err}");
        assert!(err.contains("SPDX 2.3 JSON"), "{name}: {err}");
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn hostile_xml_is_refused_without_expanding_or_fetching() {
    let tmp = tempfile::tempdir().unwrap();
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [\n<!ENTITY a \"{}\">\n{}]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">&e;</bom>\n",
        "x".repeat(100),
        (b'b'..=b'e')
            .map(|c| {
                let prev = (c - 1) as char;
                format!(
                    "<!ENTITY {} \"{}\">\n",
                    c as char,
                    format!("&{prev};").repeat(10)
                )
            })
            .collect::<String>()
    );
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom SYSTEM \"http://127.0.0.1:9/bom.dtd\">\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>\n";
    let local = "<!DOCTYPE bom [<!ENTITY f SYSTEM \"file:///etc/passwd\">]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">&f;</bom>";
    for (name, text) in [
        ("laughs.xml", laughs.as_str()),
        ("external.xml", external),
        ("local.xml", local),
    ] {
        let start = std::time::Instant::now();
        let err = refused(tmp.path(), name, text);
        assert!(start.elapsed().as_secs() < 10, "{name}");
        assert!(err.contains("error[xml-doctype]"), "{name}: {err}");
        assert!(!err.contains("root:"), "{name}: {err}");
    }
    // Deep nesting stops at libxml2's limit; an XML bomb-free 65 MiB file
    // stops at the size limit before parsing.
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let big = format!(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><!--{}--></bom>",
        " ".repeat(65 * 1024 * 1024)
    );
    for (name, text, code) in [
        ("deep.xml", deep, "xml-syntax"),
        ("big.xml", big, "input-too-large"),
    ] {
        let err = refused(tmp.path(), name, &text);
        assert!(err.contains(&format!("error[{code}]")), "{name}: {err}");
    }
}

#[test]
fn strata_own_xml_output_passes_the_xsd() {
    let fleet = example_fleet();
    let out = strata(fleet.path())
        .args([
            "assemble",
            "stacks/laptop.yaml",
            "--format",
            "xml",
            "-o",
            "laptop.cdx.xml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let (code, doc) = validate(
        fleet.path(),
        &["--strict"],
        &[fleet.path().join("laptop.cdx.xml")],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["files"][0]["format"], "cyclonedx-xml");
    assert_eq!(doc["files"][0]["spec_version"], "1.5");
}

/// Replace the mixed phone's vendor SBOM with `name` holding `text`,
/// declared as `kind`, and assemble.
fn assemble_with(kind: &str, name: &str, text: &str) -> (std::process::Output, tempfile::TempDir) {
    let fleet = example_fleet();
    let stack = fleet.path().join("stacks/mixed-phone.yaml");
    let yaml = std::fs::read_to_string(&stack).unwrap().replace(
        "      - kind: cyclonedx\n        path: evidence/mixed-phone/eos-2.6.sbom.cdx.json",
        &format!("      - kind: {kind}\n        path: evidence/mixed-phone/{name}"),
    );
    assert!(yaml.contains(name));
    std::fs::write(&stack, yaml).unwrap();
    std::fs::write(fleet.path().join("evidence/mixed-phone").join(name), text).unwrap();
    let out = strata(fleet.path())
        .args(["assemble", "stacks/mixed-phone.yaml"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    (out, fleet)
}

/// The `strata:evidence:sbom:*` properties (without that prefix) of the
/// OS layer's SBOM evidence named `*name`, which is referenced as a BOM.
pub(crate) fn sbom_properties(out: &std::process::Output, name: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let os = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == "layer:os")
        .unwrap();
    let sbom = os["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().ends_with(name))
        .unwrap();
    assert_eq!(sbom["externalReferences"][0]["type"], "bom");
    sbom["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let n = p["name"].as_str()?.strip_prefix("strata:evidence:sbom:")?;
            Some((n.to_string(), p["value"].as_str()?.to_string()))
        })
        .collect()
}

fn has(props: &[(String, String)], name: &str, value: &str) -> bool {
    props.iter().any(|(n, v)| n == name && v == value)
}

#[test]
fn vendor_sboms_of_every_format_are_evidence_with_format_and_version() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.3" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <component type="operating-system"><name>/e/OS</name><version>2.6</version></component>
  </metadata>
  <components>
    <component type="library"><name>zlib</name><version>1.3.1</version></component>
  </components>
</bom>"#;
    let (out, fleet) = assemble_with("cyclonedx", "eos.cdx.xml", xml);
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let p = sbom_properties(&out, "eos.cdx.xml");
    for (name, value) in [
        ("format", "cyclonedx-xml"),
        ("spec-version", "1.3"),
        ("components", "1"),
        ("subject", "/e/OS"),
    ] {
        assert!(has(&p, name, value), "{name}={value}: {p:?}");
    }

    let json12 = json!({"bomFormat": "CycloneDX", "specVersion": "1.2", "version": 1,
        "metadata": {"component": {"type": "operating-system", "name": "/e/OS", "version": "2.6"}}});
    let (out, fleet) = assemble_with("cyclonedx", "eos.cdx.json", &json12.to_string());
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let p = sbom_properties(&out, "eos.cdx.json");
    assert!(
        has(&p, "format", "cyclonedx-json") && has(&p, "spec-version", "1.2"),
        "{p:?}"
    );

    let spdx = std::fs::read_to_string(
        repo().join("cli/tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json"),
    )
    .unwrap();
    let (out, fleet) = assemble_with("spdx", "eos.spdx.json", &spdx);
    assert!(out.status.success(), "{}", render(&out, fleet.path()));
    let p = sbom_properties(&out, "eos.spdx.json");
    for (name, value) in [
        ("format", "spdx-json"),
        ("spec-version", "2.3"),
        ("packages", "4"),
        ("files", "5"),
        (
            "document-namespace",
            "http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301",
        ),
        ("creator", "Person: Jane Doe ()"),
        ("subject", "glibc"),
        ("subject-version", "2.11.1"),
        ("supplier", "Jane Doe (jane.doe@example.com)"),
    ] {
        assert!(has(&p, name, value), "{name}={value}: {p:?}");
    }
    assert_eq!(p.iter().filter(|(n, _)| n == "creator").count(), 3);
}

#[test]
fn vendor_sbom_of_the_wrong_kind_or_invalid_stops_assembly() {
    let spdx = std::fs::read_to_string(
        repo().join("cli/tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json"),
    )
    .unwrap();
    let (out, _fleet) = assemble_with("cyclonedx", "eos.spdx.json", &spdx);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[wrong-evidence-kind]") && err.contains("kind: spdx"),
        "{err}"
    );

    let xml = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.2" version="1"><components><component type="library"><name>zlib</name></component></components></bom>"#;
    let (out, _fleet) = assemble_with("cyclonedx", "eos.cdx.xml", xml);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[vendor-sbom-invalid]"), "{err}");
    assert!(err.contains("CycloneDX 1.2 XML"), "{err}");
    assert!(
        err.contains("error[schema-xsd]") && err.contains("eos.cdx.xml:1"),
        "{err}"
    );

    let (out, _fleet) = assemble_with("spdx", "eos.spdx", "SPDXVersion: SPDX-2.3\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[unsupported-sbom-format]"));
}

/// Documents built from the formats, per version and format: (name, text,
/// expected status, expected first error code).
fn built_documents() -> Vec<(String, String, &'static str, &'static str)> {
    let mut out = Vec::new();
    for v in XML_VERSIONS {
        let component = json!({"type": "library", "name": "zlib", "version": "1.3.1"});
        let bom = json!({"bomFormat": "CycloneDX", "specVersion": v, "version": 1, "components": [component]});
        let mut no_name = bom.clone();
        no_name["components"][0]
            .as_object_mut()
            .unwrap()
            .remove("name");
        let mut wrong_type = bom.clone();
        wrong_type["version"] = json!("one");
        let mut no_version = bom.clone();
        no_version.as_object_mut().unwrap().remove("version");
        let version_required = v <= "1.4";
        out.extend([
            (format!("valid-{v}.json"), bom.to_string(), "valid", ""),
            (
                format!("no-name-{v}.json"),
                no_name.to_string(),
                "invalid",
                "schema-required",
            ),
            (
                format!("wrong-type-{v}.json"),
                wrong_type.to_string(),
                "invalid",
                "schema-type",
            ),
            (
                format!("no-bom-version-{v}.json"),
                no_version.to_string(),
                if version_required { "invalid" } else { "valid" },
                if version_required {
                    "schema-required"
                } else {
                    ""
                },
            ),
        ]);
        let ns = format!("http://cyclonedx.org/schema/bom/{v}");
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<bom xmlns=\"{ns}\" version=\"1\">\n<components>\n<component type=\"library\"><name>zlib</name><version>1.3.1</version></component>\n</components>\n</bom>\n"
        );
        out.extend([
            (format!("valid-{v}.xml"), xml.clone(), "valid", ""),
            (
                format!("no-name-{v}.xml"),
                xml.replace("<name>zlib</name>", ""),
                "invalid",
                "schema-xsd",
            ),
            (
                format!("wrong-type-{v}.xml"),
                xml.replace("version=\"1\"", "version=\"one\""),
                "invalid",
                "schema-xsd",
            ),
            (
                format!("bad-enum-{v}.xml"),
                xml.replace("\"library\"", "\"gadget\""),
                "invalid",
                "schema-xsd",
            ),
        ]);
        if v != "1.2" {
            // A 1.3+ element (component properties) under the 1.2 namespace.
            let wrong_ns = xml.replace(&ns, "http://cyclonedx.org/schema/bom/1.2").replace(
                "</version></component>",
                "</version><properties><property name=\"a\">b</property></properties></component>",
            );
            out.push((
                format!("wrong-namespace-{v}.xml"),
                wrong_ns,
                "invalid",
                "schema-xsd",
            ));
        }
    }
    out
}

#[test]
fn documents_built_from_each_version_and_format_get_the_right_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = built_documents();
    let paths: Vec<PathBuf> = docs
        .iter()
        .map(|(name, text, ..)| {
            let p = tmp.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let (code, out) = validate(tmp.path(), &[], &paths);
    assert_eq!(code, 1);
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), docs.len());
    for ((name, _, status, first), f) in docs.iter().zip(files) {
        assert_eq!(f["status"], *status, "{name}: {f:#}");
        if !first.is_empty() {
            assert_eq!(f["diagnostics"][0]["code"], *first, "{name}: {f:#}");
            assert!(f["diagnostics"][0]["position"]["line"].is_u64(), "{name}");
        }
    }
}
