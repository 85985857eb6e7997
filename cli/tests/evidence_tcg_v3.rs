//! TCG Platform Certificate Profile v2.x: platformConfiguration-v3
//! (components as lists of Traits), read from certificates built here from
//! the profile's grammar: the Intel base certificate with its
//! platformConfiguration attribute replaced by a v3 one.

use crate::common::{self, tlv};

use std::path::{Path, PathBuf};

use der::Encode;
use strata::evidence::der::Reader;
use strata::evidence::{Report, Status, tcg};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw/tcg")
}

fn oid(s: &str) -> Vec<u8> {
    der::asn1::ObjectIdentifier::new_unwrap(s).to_der().unwrap()
}

fn utf8(s: &str) -> Vec<u8> {
    tlv(0x0c, s.as_bytes())
}

/// A Trait of syntax 2.23.133.19.1.`id` and category 2.23.133.19.2.`cat`.
fn tr(id: u32, cat: u32, value: &[u8]) -> Vec<u8> {
    tlv(
        0x30,
        &[
            oid(&format!("2.23.133.19.1.{id}")),
            oid(&format!("2.23.133.19.2.{cat}")),
            oid("2.23.133.18.3.1"),
            tlv(0x04, value),
        ]
        .concat(),
    )
}

/// A v3 component: class, manufacturer, model, serial, and `extra`.
fn component(
    class: u8,
    manufacturer: &str,
    model: &str,
    serial: &str,
    extra: &[Vec<u8>],
) -> Vec<u8> {
    let mut traits = vec![
        tr(4, 7, &tlv(0x04, &[0, 0, 0, class])),
        tr(18, 8, &utf8(manufacturer)),
        tr(18, 9, &utf8(model)),
        tr(18, 10, &utf8(serial)),
    ];
    traits.extend(extra.iter().cloned());
    tlv(0x30, &traits.concat())
}

/// The Intel base certificate with `attribute` (type, value) in place of
/// its platformConfiguration. Its signature no longer verifies; no issuer
/// is given, so the signature check does not run.
fn certificate_with(attr_type: &str, value: &[u8]) -> Vec<u8> {
    let pem = std::fs::read(dir().join("hirs/plat_cert1.pem")).unwrap();
    let der = strata::evidence::certs::split(&pem).unwrap().remove(0).der;
    let outer = Reader::new(&der, 0).read().unwrap();
    let mut o = Reader::inside(&outer);
    let (info, alg, sig) = (o.read().unwrap(), o.read().unwrap(), o.read().unwrap());
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let mut ir = Reader::inside(&info);
    while !ir.is_empty() {
        let f = ir.read().unwrap();
        // AttributeCertificateInfo: version, holder, issuer, signature,
        // serialNumber, attrCertValidityPeriod, attributes, ...
        if fields.len() == 6 {
            let mut attrs = Vec::new();
            let mut ar = Reader::inside(&f);
            while !ar.is_empty() {
                let a = ar.read().unwrap();
                let t = Reader::inside(&a).read().unwrap().oid("type").unwrap();
                if !t.starts_with("2.23.133.5.1.7.") {
                    attrs.extend(a.raw);
                }
            }
            attrs.extend(tlv(0x30, &[oid(attr_type), tlv(0x31, value)].concat()));
            fields.push(tlv(0x30, &attrs));
        } else {
            fields.push(f.raw.to_vec());
        }
    }
    tlv(
        0x30,
        &[
            tlv(0x30, &fields.concat()),
            alg.raw.to_vec(),
            sig.raw.to_vec(),
        ]
        .concat(),
    )
}

const V3: &str = "2.23.133.5.1.7.3";

fn v3_certificate() -> Vec<u8> {
    let fips = tlv(0x30, &[tlv(0x16, b"140-2"), tlv(0x0a, &[2])].concat());
    let origin = tlv(0x30, &tlv(0x30, &tlv(0x13, b"TW")));
    let components = [
        component(
            0x14,
            "Dell Inc.",
            "0K1VYX",
            "CNFCP0048A0123",
            &[tr(18, 13, &utf8("A05"))],
        ),
        component(
            0x10,
            "Infineon",
            "SLB9672",
            "00A1B2C3",
            &[tr(6, 27, &fips), tr(23, 40, &origin)],
        ),
    ];
    let props = tlv(0x30, &[utf8("firmwareVersion"), utf8("2.19.1")].concat());
    let config = tlv(
        0x30,
        &[tlv(0xa0, &components.concat()), tlv(0xa1, &props)].concat(),
    );
    certificate_with(V3, &config)
}

fn opts() -> tcg::Options {
    tcg::Options {
        at: Some(common::midnight("2019-01-01")),
        ..Default::default()
    }
}

fn field<'a>(r: &'a Report, name: &str) -> &'a str {
    r.value(name)
        .unwrap_or_else(|| panic!("no field {name} in {:?}", r.fields))
}

#[test]
fn a_v3_configuration_reads_into_the_usual_fields() {
    let r = tcg::inspect(&v3_certificate(), &opts()).unwrap();
    assert_eq!(field(&r, "platform-configuration"), "v3");
    assert_eq!(field(&r, "platform.serial"), "BQKP52840678");
    assert_eq!(
        field(&r, "component.1"),
        "Dell Inc. 0K1VYX, serial CNFCP0048A0123, revision A05, class 2.23.133.18.3.1:00000014"
    );
    assert_eq!(field(&r, "component.2.fips-level"), "FIPS 140-2 level 2");
    assert_eq!(field(&r, "component.2.country-of-origin"), "TW");
    assert_eq!(
        r.decoded["components"][1]["fipsLevel"],
        "FIPS 140-2 level 2"
    );
    assert_eq!(
        r.decoded["properties"][0],
        serde_json::json!(["firmwareVersion", "2.19.1"])
    );
    assert_eq!(r.find_check("validity").unwrap().status, Status::Pass);
    // The components compare with a device inventory as v1/v2 ones do.
    let inventory = serde_json::json!({"components": [
        {"manufacturer": "Infineon", "model": "SLB9672", "serial": "00A1B2C3"},
        {"manufacturer": "Dell Inc.", "model": "0K1VYX", "serial": "CNFCP0048A0123", "revision": "A05"},
    ]});
    let mut o = opts();
    o.inventory = Some(inventory.to_string().into_bytes());
    let r = tcg::inspect(&v3_certificate(), &o).unwrap();
    assert_eq!(
        r.find_check("components-match").unwrap().status,
        Status::Pass
    );
}

#[test]
fn the_grammar_follows_the_attribute_oid() {
    // v2 components under the v3 OID, and v3 components under the v2 OID,
    // are malformed, each naming what its own grammar expected.
    let v2_component = tlv(
        0x30,
        &[
            tlv(
                0x30,
                &[oid("2.23.133.18.3.1"), tlv(0x04, &[0, 0, 0, 0x14])].concat(),
            ),
            utf8("Dell Inc."),
            utf8("0K1VYX"),
        ]
        .concat(),
    );
    let v2_config = tlv(0x30, &tlv(0xa0, &v2_component));
    let e = tcg::inspect(&certificate_with(V3, &v2_config), &opts()).unwrap_err();
    assert!(
        e.message
            .contains("component 1 trait 1: traitCategory: expected OBJECT IDENTIFIER"),
        "{}",
        e.message
    );
    let v3_config = tlv(
        0x30,
        &tlv(0xa0, &component(0x14, "Dell Inc.", "0K1VYX", "S", &[])),
    );
    let e = tcg::inspect(&certificate_with("2.23.133.5.1.7.2", &v3_config), &opts()).unwrap_err();
    assert!(e.message.contains("componentClassValue"), "{}", e.message);
}

#[test]
fn cli_reads_a_v3_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("v3.der"), v3_certificate()).unwrap();
    let out = common::strata(tmp.path())
        .args([
            "evidence",
            "inspect",
            "v3.der",
            "--at",
            "2019-01-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        common::render(&out, tmp.path())
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "tcg-platform-certificate");
    assert_eq!(v["decoded"]["configurationVersion"], "v3");
    assert_eq!(v["decoded"]["components"][1]["countryOfOrigin"], "TW");
    // A malformed trait: exit 2, naming the trait.
    let bad = certificate_with(
        V3,
        &tlv(
            0x30,
            &tlv(
                0xa0,
                &component(0x14, "Dell", "X", "S", &[tr(6, 27, &tlv(0x30, &[]))]),
            ),
        ),
    );
    std::fs::write(tmp.path().join("bad.der"), bad).unwrap();
    let out = common::strata(tmp.path())
        .args(["evidence", "inspect", "bad.der"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("tcg-platform-certificate-malformed"), "{err}");
    assert!(
        err.contains("component 1 trait 5: traitValue (FIPSLevel)"),
        "{err}"
    );
}
