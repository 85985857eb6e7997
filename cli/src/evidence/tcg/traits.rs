//! PlatformConfiguration-v3 (TCG Platform Certificate Profile v2.x,
//! attribute 2.23.133.5.1.7.3): each component is a `SEQUENCE OF Trait`,
//! and each Trait names the syntax of its value (`traitId`), what the value
//! means (`traitCategory`) and the registry it is drawn from
//! (`traitRegistry`); `traitValue` is an OCTET STRING holding the DER of
//! the value.
//!
//! Each Trait is decoded by its `traitId` (strictly: a malformed value of a
//! known syntax makes the certificate malformed) and placed by its
//! `traitCategory` into the fields the v1/v2 readers fill: class,
//! manufacturer, model, serial, revision, manufacturer id, field
//! replaceable, addresses, status, certificates, Common Criteria and FIPS
//! levels, country of origin. A Trait of an unknown `traitId` is kept as
//! OID + hex, not an error; a known one in a category strata does not place
//! is kept with its decoded value. A component without a manufacturer or a
//! model trait, or with one of them twice, is read and listed as a
//! deviation.

use super::values::{
    certificate_identifier, common_criteria, fips_level, geo_location, ia5, iso9000, named_bits,
    origin, pem_certificate, public_key, retag, uri_reference, utf8_sized,
};
use super::{Component, PlatformCert, STRMAX, Trait, URIMAX, sized, utf8};
use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};

/// The arc of the trait syntaxes (`tcg-tr-ID`).
const ID: &str = "2.23.133.19.1.";
/// The arc of the trait categories (`tcg-tr-cat`).
const CAT: &str = "2.23.133.19.2.";

/// Trait syntaxes (`traitId` = 2.23.133.19.1.n).
const IDS: [&str; 23] = [
    "Boolean",
    "CertificateIdentifier",
    "CommonCriteria",
    "componentClass",
    "componentIdentifierV11",
    "FIPSLevel",
    "ISO9000",
    "networkMAC",
    "OID",
    "PEN",
    "platformFirmwareCapabilities",
    "platformFirmwareSignatureVerification",
    "platformFirmwareUpdateCompliance",
    "platformHardwareCapabilities",
    "RTM",
    "status",
    "URI",
    "UTF8String",
    "IA5String",
    "PEMCertString",
    "PublicKey",
    "entGeoLocation",
    "countryOfOrigin",
];

/// Trait categories (`traitCategory` = 2.23.133.19.2.n).
const CATEGORIES: [&str; 40] = [
    "platformManufacturer",
    "platformModel",
    "platformVersion",
    "platformSerial",
    "platformManufacturerIdentifier",
    "platformOwnership",
    "componentClass",
    "componentManufacturer",
    "componentModel",
    "componentSerial",
    "componentStatus",
    "componentLocation",
    "componentRevision",
    "componentFieldReplaceable",
    "EKCertificate",
    "IAKCertificate",
    "IDevIDCertificate",
    "DICECertificate",
    "SPDMCertificate",
    "PEMCertificate",
    "PlatformCertificate",
    "DeltaPlatformCertificate",
    "RebasePlatformCertificate",
    "GenericCertificate",
    "CommonCriteria",
    "componentIdentifierV11",
    "FIPSLevel",
    "ISO9000",
    "networkMAC",
    "OID",
    "PEN",
    "platformFirmwareCapabilities",
    "platformHardwareCapabilities",
    "platformFirmwareSignatureVerification",
    "platformFirmwareUpdateCompliance",
    "RTM",
    "PublicKey",
    "componentPartNumber",
    "entGeoLocation",
    "countryOfOrigin",
];

/// The number `n` of an OID `arc` + `n`, if it is one.
fn arc_number(oid: &str, arc: &str) -> Option<usize> {
    oid.strip_prefix(arc)?.parse().ok()
}

/// The name of a trait syntax or category, or the OID itself.
fn name_of(oid: &str, arc: &str, names: &[&str]) -> String {
    arc_number(oid, arc)
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| names.get(i))
        .map_or_else(|| oid.to_string(), |n| (*n).to_string())
}

/// A decoded trait value.
enum Value {
    Text(String),
    Bool(bool),
    Oid(String),
    Class([u8; 4]),
    Status(&'static str),
    Address(String, String),
    V11(Box<Component>),
    /// Any other syntax, rendered.
    Other(String),
}

impl Value {
    fn render(&self) -> String {
        match self {
            Value::Text(s) | Value::Oid(s) | Value::Other(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Class(c) => hex::encode(c),
            Value::Status(s) => (*s).to_string(),
            Value::Address(t, v) => format!("{t} {v}"),
            Value::V11(c) => format!("{} {}", c.manufacturer, c.model),
        }
    }
}

/// Read `platformConfiguration-v3` into `pc`.
pub(super) fn platform_configuration_v3(v: &Tlv<'_>, pc: &mut PlatformCert) -> DerResult<()> {
    v.expect_universal(tag::SEQUENCE, "platformConfiguration-v3")?;
    pc.configuration_version = Some("v3".into());
    let mut r = Reader::inside(v);
    let mut last: Option<u32> = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context
            || !f.constructed
            || f.tag > 1
            || last.is_some_and(|l| f.tag <= l)
        {
            return Err(DerError::new(
                f.offset,
                format!(
                    "platformConfiguration-v3: unexpected {} (fields are [0] platformComponents and [1] platformProperties, in order)",
                    f.describe()
                ),
            ));
        }
        last = Some(f.tag);
        let mut items = Reader::inside(&f);
        if items.is_empty() {
            let what = if f.tag == 0 {
                "platformComponents"
            } else {
                "platformProperties"
            };
            pc.deviations.push(format!(
                "platformConfiguration-v3: empty {what} (SIZE (1..MAX)), at byte {}",
                f.offset
            ));
        }
        while !items.is_empty() {
            if f.tag == 0 {
                let n = pc.components.len() + 1;
                let c = items.expect(tag::SEQUENCE, &format!("component {n}"))?;
                let comp = component(&c, n, &mut pc.deviations)?;
                pc.components.push(comp);
            } else {
                pc.properties.push(property(&mut items)?);
            }
        }
    }
    Ok(())
}

/// `Property ::= SEQUENCE { propertyName, propertyValue, status [0] OPTIONAL }`.
fn property(items: &mut Reader<'_>) -> DerResult<(String, String)> {
    let mut p = items.sequence("platform property")?;
    let nt = p.expect(tag::UTF8_STRING, "propertyName")?;
    let name = sized(utf8(&nt, "propertyName")?, STRMAX, "propertyName", &nt)?;
    let vt = p.expect(tag::UTF8_STRING, "propertyValue")?;
    let value = sized(utf8(&vt, "propertyValue")?, STRMAX, "propertyValue", &vt)?;
    if let Some(s) = p.optional_context(0)? {
        status(&retag(&s, tag::ENUMERATED), "property status")?;
    }
    p.finish("platform property")?;
    Ok((name, value))
}

fn status(t: &Tlv<'_>, what: &str) -> DerResult<&'static str> {
    match t.enumerated(what)? {
        0 => Ok("added"),
        1 => Ok("modified"),
        2 => Ok("removed"),
        n => Err(DerError::new(
            t.offset,
            format!("{what}: AttributeStatus {n} is not added (0), modified (1) or removed (2)"),
        )),
    }
}

/// One component: a `SEQUENCE (SIZE (1..MAX)) OF Trait`.
fn component(c: &Tlv<'_>, n: usize, deviations: &mut Vec<String>) -> DerResult<Component> {
    let what = format!("component {n}");
    let mut r = Reader::inside(c);
    if r.is_empty() {
        return Err(DerError::new(
            c.offset,
            format!("{what}: no traits (SIZE (1..MAX))"),
        ));
    }
    let mut out = Component::default();
    let (mut manufacturer, mut model) = (0, 0);
    let mut k = 0;
    while !r.is_empty() {
        k += 1;
        let t = r.expect(tag::SEQUENCE, &format!("{what} trait {k}"))?;
        let twhat = format!("{what} trait {k}");
        let tr = read_trait(&t, &twhat, deviations).map_err(|e| in_context(e, &twhat))?;
        let cat = arc_number(&tr.category, CAT);
        // A field given twice keeps its first value and is a deviation.
        let mut dup: Option<&str> = None;
        let mut once = |slot: &mut Option<String>, v: String, field: &'static str| {
            if slot.is_some() {
                dup = Some(field);
            } else {
                *slot = Some(v);
            }
        };
        match (cat, tr.value) {
            (Some(7), Value::Class(v)) => once(
                &mut out.class,
                format!("{}:{}", tr.registry, hex::encode(v)),
                "componentClass",
            ),
            (Some(8), Value::Text(s)) => {
                manufacturer += 1;
                if manufacturer == 1 {
                    out.manufacturer = s;
                }
            }
            (Some(9), Value::Text(s)) => {
                model += 1;
                if model == 1 {
                    out.model = s;
                }
            }
            (Some(10), Value::Text(s)) => once(&mut out.serial, s, "componentSerial"),
            (Some(13), Value::Text(s)) => once(&mut out.revision, s, "componentRevision"),
            (Some(11), Value::Status(s)) => once(&mut out.status, s.to_string(), "componentStatus"),
            (Some(14), Value::Bool(b)) => {
                if out.field_replaceable.is_some() {
                    dup = Some("componentFieldReplaceable");
                } else {
                    out.field_replaceable = Some(b);
                }
            }
            (Some(5 | 31), Value::Oid(o)) => once(&mut out.manufacturer_id, o, "PEN"),
            (Some(29), Value::Address(ty, v)) => out.addresses.push((ty, v)),
            (Some(15..=24), v) => out.certificates.push(format!(
                "{}: {}",
                name_of(&tr.category, CAT, &CATEGORIES),
                v.render()
            )),
            (Some(25), Value::Other(s)) if tr.id_number == Some(3) => {
                once(&mut out.common_criteria, s, "CommonCriteria")
            }
            (Some(27), Value::Other(s)) if tr.id_number == Some(6) => {
                once(&mut out.fips_level, s, "FIPSLevel")
            }
            (Some(40), Value::Other(s)) if tr.id_number == Some(23) => {
                once(&mut out.country_of_origin, s, "countryOfOrigin")
            }
            (Some(26), Value::V11(c)) => {
                // A v1.1 ComponentIdentifier inside a trait: its fields,
                // where no other trait gave them.
                let c = *c;
                if manufacturer == 0 {
                    manufacturer = 1;
                    out.manufacturer = c.manufacturer;
                }
                if model == 0 {
                    model = 1;
                    out.model = c.model;
                }
                out.serial = out.serial.or(c.serial);
                out.revision = out.revision.or(c.revision);
                out.manufacturer_id = out.manufacturer_id.or(c.manufacturer_id);
                out.field_replaceable = out.field_replaceable.or(c.field_replaceable);
                out.addresses.extend(c.addresses);
            }
            (_, v) => out.traits.push(Trait {
                id: name_of(&tr.id, ID, &IDS),
                category: name_of(&tr.category, CAT, &CATEGORIES),
                registry: tr.registry,
                description: tr.description,
                value: v.render(),
            }),
        }
        if let Some(field) = dup {
            deviations.push(format!(
                "{what}: a second {field} trait, at byte {}",
                t.offset
            ));
        }
    }
    for (count, field) in [
        (manufacturer, "componentManufacturer"),
        (model, "componentModel"),
    ] {
        if count != 1 {
            deviations.push(format!(
                "{what}: {} {field} traits (one is required), at byte {}",
                count, c.offset
            ));
        }
    }
    Ok(out)
}

struct RawTrait {
    id: String,
    id_number: Option<usize>,
    category: String,
    registry: String,
    description: Option<String>,
    value: Value,
}

/// `Trait ::= SEQUENCE { traitId, traitCategory, traitRegistry,
/// description [0] OPTIONAL, descriptionURI [1] OPTIONAL, traitValue }`.
fn read_trait(t: &Tlv<'_>, what: &str, deviations: &mut Vec<String>) -> DerResult<RawTrait> {
    let mut r = Reader::inside(t);
    let id = r.read()?.oid(&format!("{what}: traitId"))?;
    let category = r.read()?.oid(&format!("{what}: traitCategory"))?;
    let registry = r.read()?.oid(&format!("{what}: traitRegistry"))?;
    let mut description = None;
    if let Some(d) = r.optional_context(0)? {
        description = Some(sized(
            utf8(&d, "description")?,
            STRMAX,
            &format!("{what}: description"),
            &d,
        )?);
    }
    if let Some(u) = r.optional_context(1)? {
        ia5(
            &retag(&u, tag::IA5_STRING),
            URIMAX,
            &format!("{what}: descriptionURI"),
        )?;
    }
    let vt = r.expect(tag::OCTET_STRING, &format!("{what}: traitValue"))?;
    r.finish(what)?;
    let id_number = arc_number(&id, ID).filter(|n| (1..=IDS.len()).contains(n));
    let value = match id_number {
        None => Value::Other(hex::encode(vt.content)),
        Some(n) => {
            let vwhat = format!("{what}: traitValue ({})", IDS[n - 1]);
            let mut inner = Reader::new(vt.content, vt.content_offset);
            let e = inner.read().map_err(|e| e.context(&vwhat))?;
            inner.finish(&vwhat)?;
            decode(n, &e, &vwhat, deviations).map_err(|e| in_context(e, &vwhat))?
        }
    };
    Ok(RawTrait {
        id,
        id_number,
        category,
        registry,
        description,
        value,
    })
}

/// `e` with `what` in front, unless its message already names it (errors
/// from a bare read, e.g. a missing element, do not).
fn in_context(e: DerError, what: &str) -> DerError {
    if e.what.contains(what) {
        e
    } else {
        e.context(what)
    }
}

/// Decode the value of trait syntax `n` (2.23.133.19.1.n).
fn decode(n: usize, e: &Tlv<'_>, what: &str, deviations: &mut Vec<String>) -> DerResult<Value> {
    Ok(match n {
        1 => Value::Bool(e.boolean(what)?),
        2 => Value::Other(certificate_identifier(e, what)?),
        3 => Value::Other(common_criteria(e, what)?),
        4 => {
            let o = e.octets(what)?;
            Value::Class(o.try_into().map_err(|_| {
                DerError::new(
                    e.offset,
                    format!("{what}: {} octets; SIZE (4) required", o.len()),
                )
            })?)
        }
        5 => {
            e.expect_universal(tag::SEQUENCE, what)?;
            let mut devs = Vec::new();
            let c = super::config::component(e, 1, 1, &mut devs)?;
            deviations.extend(devs.into_iter().map(|d| format!("{what}: {d}")));
            Value::V11(Box::new(c))
        }
        6 => Value::Other(fips_level(e, what)?),
        7 => Value::Other(iso9000(e, what)?),
        8 => {
            let (t, v) = super::config::component_address(e, what)?;
            Value::Address(t, v)
        }
        9 | 10 => Value::Oid(e.oid(what)?),
        11..=15 => Value::Other(named_bits(n, e, what, deviations)?),
        16 => Value::Status(status(e, what)?),
        17 => Value::Other(uri_reference(e, what)?),
        18 => {
            e.expect_universal(tag::UTF8_STRING, what)?;
            Value::Text(utf8_sized(e, what)?)
        }
        19 => Value::Text(ia5(e, STRMAX, what)?),
        20 => Value::Other(pem_certificate(e, what)?),
        21 => Value::Other(public_key(e, what)?),
        22 => Value::Other(geo_location(e, what)?),
        _ => Value::Other(origin(e, what)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::der::build::tlv;
    use ::der::Encode;

    fn oid(s: &str) -> Vec<u8> {
        ::der::asn1::ObjectIdentifier::new_unwrap(s)
            .to_der()
            .unwrap()
    }

    fn utf8s(s: &str) -> Vec<u8> {
        tlv(0x0c, s.as_bytes())
    }

    /// A Trait of syntax `id` (19.1.id) and category `cat` (19.2.cat).
    fn tr(id: u32, cat: u32, value: &[u8]) -> Vec<u8> {
        tr_oids(&format!("{ID}{id}"), &format!("{CAT}{cat}"), value)
    }

    fn tr_oids(id: &str, cat: &str, value: &[u8]) -> Vec<u8> {
        tlv(
            0x30,
            &[oid(id), oid(cat), oid("2.23.133.19.3.1"), tlv(0x04, value)].concat(),
        )
    }

    fn config(components: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &tlv(0xa0, &components.concat()))
    }

    fn read(der: &[u8]) -> DerResult<PlatformCert> {
        let mut pc = PlatformCert::default();
        let t = Reader::new(der, 0).read()?;
        platform_configuration_v3(&t, &mut pc)?;
        Ok(pc)
    }

    fn one(traits: &[Vec<u8>]) -> DerResult<(Component, Vec<String>)> {
        let pc = read(&config(&[tlv(0x30, &traits.concat())]))?;
        Ok((pc.components[0].clone(), pc.deviations))
    }

    fn identity() -> Vec<Vec<u8>> {
        vec![
            tr(4, 7, &tlv(0x04, &[0, 0, 0, 0x14])),
            tr(18, 8, &utf8s("Dell Inc.")),
            tr(18, 9, &utf8s("PowerEdge R760")),
        ]
    }

    #[test]
    fn a_component_reads_into_the_v2_fields() {
        let mut traits = identity();
        traits.extend([
            tr(18, 10, &utf8s("SN123")),
            tr(18, 13, &utf8s("A01")),
            tr(10, 31, &oid("1.3.6.1.4.1.674")),
            tr(1, 14, &tlv(0x01, &[0xff])),
            tr(
                8,
                29,
                &tlv(
                    0x30,
                    &[oid("2.23.133.17.1"), utf8s("00:11:22:33:44:55")].concat(),
                ),
            ),
            tr(16, 11, &tlv(0x0a, &[1])),
        ]);
        let (c, devs) = one(&traits).unwrap();
        assert!(devs.is_empty(), "{devs:?}");
        assert_eq!(c.class.as_deref(), Some("2.23.133.19.3.1:00000014"));
        assert_eq!(c.manufacturer, "Dell Inc.");
        assert_eq!(c.model, "PowerEdge R760");
        assert_eq!(c.serial.as_deref(), Some("SN123"));
        assert_eq!(c.revision.as_deref(), Some("A01"));
        assert_eq!(c.manufacturer_id.as_deref(), Some("1.3.6.1.4.1.674"));
        assert_eq!(c.field_replaceable, Some(true));
        assert_eq!(
            c.addresses,
            vec![("ethernet-mac".to_string(), "00:11:22:33:44:55".to_string())]
        );
        assert_eq!(c.status.as_deref(), Some("modified"));
        assert!(c.traits.is_empty());
    }

    #[test]
    fn levels_origin_and_certificates() {
        let measures = tlv(
            0x30,
            &[
                tlv(0x16, b"3.1"),
                tlv(0x0a, &[4]),
                tlv(0x0a, &[2]),
                tlv(0x01, &[0xff]),
                tlv(0x80, &[2]),
            ]
            .concat(),
        );
        let cc = tlv(
            0x30,
            &[
                measures,
                utf8s("BSI-DSZ-CC-1234"),
                utf8s("BSI"),
                tlv(0x81, b"20240102000000Z"),
            ]
            .concat(),
        );
        let fips = tlv(0x30, &[tlv(0x16, b"140-2"), tlv(0x0a, &[2])].concat());
        let geo = tlv(0x30, &[tlv(0x13, b"US"), tlv(0x80, b"US-TX")].concat());
        let origin = tlv(0x30, &geo);
        let sha256 = tlv(0x30, &oid("2.16.840.1.101.3.4.2.1"));
        let hashed = tlv(0xa0, &[sha256, tlv(0x04, &[0xab; 4])].concat());
        let ek = tlv(0x30, &hashed);
        let mut traits = identity();
        traits.extend([
            tr(3, 25, &cc),
            tr(6, 27, &fips),
            tr(23, 40, &origin),
            tr(2, 15, &ek),
        ]);
        let (c, devs) = one(&traits).unwrap();
        assert!(devs.is_empty(), "{devs:?}");
        assert_eq!(
            c.common_criteria.as_deref(),
            Some(
                "Common Criteria 3.1 EAL4+ (evaluationCompleted), strength of function high, \
                 certificate BSI-DSZ-CC-1234 by BSI, issued 2024-01-02"
            )
        );
        assert_eq!(c.fips_level.as_deref(), Some("FIPS 140-2 level 2"));
        assert_eq!(c.country_of_origin.as_deref(), Some("US, US-TX"));
        assert_eq!(
            c.certificates,
            vec!["EKCertificate: signature hash sha256:abababab".to_string()]
        );
    }

    #[test]
    fn unknown_and_unplaced_traits_are_kept() {
        let mut traits = identity();
        traits.extend([
            // An unknown syntax: kept as OID + hex, even if its bytes are
            // not DER.
            tr_oids("1.2.3.4", "1.2.3.5", &[0xde, 0xad]),
            // A known syntax in a category strata does not place.
            tr(18, 12, &utf8s("slot 3")),
            tr(14, 33, &tlv(0x03, &[0x02, 0x84])),
        ]);
        let (c, devs) = one(&traits).unwrap();
        assert!(devs.is_empty(), "{devs:?}");
        let got: Vec<(&str, &str, &str)> = c
            .traits
            .iter()
            .map(|t| (t.id.as_str(), t.category.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1.2.3.4", "1.2.3.5", "dead"),
                ("UTF8String", "componentLocation", "slot 3"),
                (
                    "platformHardwareCapabilities",
                    "platformHardwareCapabilities",
                    "iOMMUSupport, externalDMASupport"
                ),
            ]
        );
    }

    #[test]
    fn malformed_known_traits_are_errors() {
        let bad = |t: Vec<u8>, why: &str| {
            let mut traits = identity();
            traits.push(t);
            let e = one(&traits).unwrap_err();
            assert!(e.what.contains(why), "{why} not in {}", e.what);
        };
        bad(tr(4, 7, &tlv(0x04, &[0, 0, 1])), "SIZE (4) required");
        bad(tr(18, 10, &tlv(0x0c, &[0xff])), "invalid UTF-8");
        bad(tr(18, 10, &utf8s("")), "SIZE (1..256)");
        bad(
            tr(18, 10, &[utf8s("a"), utf8s("b")].concat()),
            "trailing data",
        );
        bad(tr(1, 14, &tlv(0x01, &[0x01])), "DER requires 0xFF");
        bad(tr(16, 11, &tlv(0x0a, &[3])), "AttributeStatus 3");
        bad(
            tr(
                6,
                27,
                &tlv(0x30, &[tlv(0x16, b"140-2"), tlv(0x0a, &[5])].concat()),
            ),
            "not one of 1..4",
        );
        bad(
            tr(
                6,
                27,
                &tlv(
                    0x30,
                    &[tlv(0x16, b"140-2"), tlv(0x0a, &[2]), tlv(0x01, &[0])].concat(),
                ),
            ),
            "DEFAULT value false is encoded",
        );
        bad(
            tr(14, 33, &tlv(0x03, &[0x02, 0x85])),
            "unused bits are not zero",
        );
        bad(tr(2, 15, &tlv(0x30, &[])), "identifies no certificate");
        bad(tr(20, 20, &utf8s("not a certificate")), "PEMCertString");
        bad(
            tr(23, 40, &tlv(0x30, &tlv(0x30, &tlv(0x13, b"USAX")))),
            "SIZE (2..3)",
        );
        // The trait itself: a missing registry, a value that is not an
        // OCTET STRING.
        bad(
            tlv(
                0x30,
                &[
                    oid("2.23.133.19.1.18"),
                    oid("2.23.133.19.2.10"),
                    tlv(0x04, &utf8s("x")),
                ]
                .concat(),
            ),
            "traitRegistry",
        );
        bad(
            tlv(
                0x30,
                &[
                    oid("2.23.133.19.1.18"),
                    oid("2.23.133.19.2.10"),
                    oid("2.23.133.19.3.1"),
                    utf8s("x"),
                ]
                .concat(),
            ),
            "expected OCTET STRING",
        );
    }

    #[test]
    fn structure_and_deviations() {
        // A component without a model, one with two manufacturers.
        let (_, devs) = one(&identity()[..2]).unwrap();
        assert_eq!(devs.len(), 1, "{devs:?}");
        assert!(devs[0].contains("0 componentModel traits"), "{devs:?}");
        let mut traits = identity();
        traits.push(tr(18, 8, &utf8s("Other")));
        traits.push(tr(18, 10, &utf8s("S1")));
        traits.push(tr(18, 10, &utf8s("S2")));
        let (c, devs) = one(&traits).unwrap();
        assert_eq!(c.manufacturer, "Dell Inc.");
        assert_eq!(c.serial.as_deref(), Some("S1"));
        assert!(
            devs.iter()
                .any(|d| d.contains("2 componentManufacturer traits")),
            "{devs:?}"
        );
        assert!(
            devs.iter()
                .any(|d| d.contains("a second componentSerial trait")),
            "{devs:?}"
        );
        // An empty component; an unknown field; fields out of order.
        let e = read(&config(&[tlv(0x30, &[])])).unwrap_err();
        assert!(e.what.contains("no traits"), "{}", e.what);
        let e = read(&tlv(0x30, &tlv(0xa2, &[]))).unwrap_err();
        assert!(e.what.contains("unexpected [2]"), "{}", e.what);
        let props = tlv(0xa1, &tlv(0x30, &[utf8s("k"), utf8s("v")].concat()));
        let comps = tlv(0xa0, &tlv(0x30, &identity().concat()));
        let e = read(&tlv(0x30, &[props.clone(), comps.clone()].concat())).unwrap_err();
        assert!(e.what.contains("in order"), "{}", e.what);
        let pc = read(&tlv(0x30, &[comps, props].concat())).unwrap();
        assert_eq!(pc.properties, vec![("k".to_string(), "v".to_string())]);
        assert_eq!(pc.configuration_version.as_deref(), Some("v3"));
        // A property with an impossible status.
        let bad_prop = tlv(
            0xa1,
            &tlv(0x30, &[utf8s("k"), utf8s("v"), tlv(0x80, &[7])].concat()),
        );
        let e = read(&tlv(0x30, &bad_prop)).unwrap_err();
        assert!(e.what.contains("AttributeStatus 7"), "{}", e.what);
    }
}
