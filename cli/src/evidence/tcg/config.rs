//! The platformConfiguration attribute in its v1 and v2 grammars and their
//! components, and the comparison of certified components with a device
//! inventory.

use super::values::{certificate_identifier, retag, uri_reference};
use super::{Component, Malformed, PlatformCert, STRMAX, URIMAX, sized, utf8};
use crate::diag::Code;
use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};

pub(super) fn platform_configuration(
    v: &Tlv<'_>,
    version: u8,
    pc: &mut PlatformCert,
) -> DerResult<()> {
    v.expect_universal(tag::SEQUENCE, "platformConfiguration")?;
    pc.configuration_version = Some(format!("v{version}"));
    let mut r = Reader::inside(v);
    let (props_tag, uri_tags): (u32, &[u32]) = if version == 1 {
        (1, &[2])
    } else {
        (2, &[1, 3])
    };
    let mut last: Option<u32> = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context || last.is_some_and(|l| f.tag <= l) {
            return Err(DerError::new(
                f.offset,
                format!(
                    "platformConfiguration: unexpected {} (fields must be [0]..[3] in order)",
                    f.describe()
                ),
            ));
        }
        last = Some(f.tag);
        let what = format!("platformConfiguration-v{version}");
        if f.tag == 0 {
            let mut cs = Reader::inside(&f);
            if cs.is_empty() {
                pc.deviations.push(format!(
                    "{what}: empty componentIdentifiers (SIZE (1..MAX)), at byte {}",
                    f.offset
                ));
            }
            while !cs.is_empty() {
                let n = pc.components.len() + 1;
                let c = cs.expect(tag::SEQUENCE, &format!("component {n}"))?;
                let comp = component(&c, version, n, &mut pc.deviations)?;
                pc.components.push(comp);
            }
        } else if f.tag == props_tag {
            let mut ps = Reader::inside(&f);
            if ps.is_empty() {
                pc.deviations.push(format!(
                    "{what}: empty platformProperties (SIZE (1..MAX)), at byte {}",
                    f.offset
                ));
            }
            while !ps.is_empty() {
                let mut p = ps.sequence("platform property")?;
                let nt = p.expect(tag::UTF8_STRING, "propertyName")?;
                let name = sized(utf8(&nt, "propertyName")?, STRMAX, "propertyName", &nt)?;
                let vt = p.expect(tag::UTF8_STRING, "propertyValue")?;
                let value = sized(utf8(&vt, "propertyValue")?, STRMAX, "propertyValue", &vt)?;
                while !p.is_empty() {
                    p.skip_any()?;
                }
                pc.properties.push((name, value));
            }
        } else if uri_tags.contains(&f.tag) {
            let mut u = Reader::inside(&f);
            let ut = u.expect(tag::IA5_STRING, "uniformResourceIdentifier")?;
            sized(utf8(&ut, "URI")?, URIMAX, "uniformResourceIdentifier", &ut)?;
            while !u.is_empty() {
                u.skip_any()?;
            }
        } else {
            return Err(DerError::new(
                f.offset,
                format!("{what}: unknown field {}", f.describe()),
            ));
        }
    }
    Ok(())
}

/// One v1 (also the v3 componentIdentifierV11 trait) or v2
/// ComponentIdentifier.
pub(super) fn component(
    c: &Tlv<'_>,
    version: u8,
    n: usize,
    deviations: &mut Vec<String>,
) -> DerResult<Component> {
    let what = format!("component {n}");
    let mut r = Reader::inside(c);
    let mut out = Component::default();
    if version >= 2 {
        let mut cl = r.sequence(&format!("{what}.componentClass"))?;
        let reg = cl.read()?.oid("componentClassRegistry")?;
        let vt = cl.read()?;
        let val = vt.octets("componentClassValue")?;
        if val.len() != 4 {
            return Err(DerError::new(
                vt.offset,
                format!(
                    "{what}.componentClassValue is {} octets; SIZE (4) required",
                    val.len()
                ),
            ));
        }
        cl.finish("componentClass")?;
        out.class = Some(format!("{reg}:{}", hex::encode(val)));
    }
    let mt = r.expect(tag::UTF8_STRING, &format!("{what}.componentManufacturer"))?;
    out.manufacturer = sized(
        utf8(&mt, "componentManufacturer")?,
        STRMAX,
        &format!("{what}.componentManufacturer"),
        &mt,
    )?;
    let mdt = r.expect(tag::UTF8_STRING, &format!("{what}.componentModel"))?;
    out.model = sized(
        utf8(&mdt, "componentModel")?,
        STRMAX,
        &format!("{what}.componentModel"),
        &mdt,
    )?;
    let mut last: Option<u32> = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context || last.is_some_and(|l| f.tag <= l) {
            return Err(DerError::new(
                f.offset,
                format!(
                    "{what}: unexpected {} (optional fields must be [0]..[7] in order)",
                    f.describe()
                ),
            ));
        }
        last = Some(f.tag);
        match f.tag {
            0 | 1 => {
                let name = if f.tag == 0 {
                    "componentSerial"
                } else {
                    "componentRevision"
                };
                let v = utf8(&f, name)?;
                if v.is_empty() {
                    // Issued certificates carry empty optional strings; the
                    // profile says SIZE (1..STRMAX). Read as absent.
                    deviations.push(format!(
                        "{what}: empty {name} (SIZE (1..STRMAX)), at byte {}",
                        f.offset
                    ));
                } else {
                    let v = sized(v, STRMAX, &format!("{what}.{name}"), &f)?;
                    if f.tag == 0 {
                        out.serial = Some(v);
                    } else {
                        out.revision = Some(v);
                    }
                }
            }
            2 => {
                out.manufacturer_id =
                    crate::evidence::der::oid_to_string(f.content).or(Some(hex::encode(f.content)))
            }
            3 => {
                out.field_replaceable = Some(match f.content {
                    [0x00] => false,
                    [0xff] => true,
                    _ => {
                        return Err(DerError::new(
                            f.offset,
                            format!("{what}.fieldReplaceable: BOOLEAN must be 0x00 or 0xFF"),
                        ));
                    }
                })
            }
            4 => {
                let mut a = Reader::inside(&f);
                if a.is_empty() {
                    deviations.push(format!(
                        "{what}: empty componentAddresses (SIZE (1..MAX)), at byte {}",
                        f.offset
                    ));
                }
                while !a.is_empty() {
                    let ad = a.expect(tag::SEQUENCE, "componentAddress")?;
                    out.addresses
                        .push(component_address(&ad, &format!("{what}.componentAddress"))?);
                }
            }
            5 if version >= 2 => {
                let what = format!("{what}.componentPlatformCert");
                let id = certificate_identifier(&retag(&f, tag::SEQUENCE), &what)?;
                out.certificates.push(format!("PlatformCertificate: {id}"));
            }
            6 if version >= 2 => {
                let what = format!("{what}.componentPlatformCertUri");
                let uri = uri_reference(&retag(&f, tag::SEQUENCE), &what)?;
                out.certificates
                    .push(format!("PlatformCertificate URI: {uri}"));
            }
            7 if version >= 2 => {
                let mut v: i64 = 0;
                for b in f.content {
                    v = (v << 8) | i64::from(*b);
                }
                out.status = Some(match (f.content.len(), v) {
                    (1, 0) => "added".into(),
                    (1, 1) => "modified".into(),
                    (1, 2) => "removed".into(),
                    _ => {
                        return Err(DerError::new(
                            f.offset,
                            format!("{what}.status: unknown AttributeStatus"),
                        ));
                    }
                });
            }
            _ => {
                return Err(DerError::new(
                    f.offset,
                    format!("{what}: unknown field {}", f.describe()),
                ));
            }
        }
    }
    Ok(out)
}

/// `ComponentAddress ::= SEQUENCE { addressType OBJECT IDENTIFIER,
/// addressValue UTF8String }`, with the TCG address types named.
pub(super) fn component_address(ad: &Tlv<'_>, what: &str) -> DerResult<(String, String)> {
    ad.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(ad);
    let ty = r.read()?.oid(&format!("{what}.addressType"))?;
    let vt = r.expect(tag::UTF8_STRING, &format!("{what}.addressValue"))?;
    let val = sized(
        utf8(&vt, "addressValue")?,
        STRMAX,
        &format!("{what}.addressValue"),
        &vt,
    )?;
    r.finish(what)?;
    let name = match ty.as_str() {
        "2.23.133.17.1" => "ethernet-mac".to_string(),
        "2.23.133.17.2" => "wlan-mac".to_string(),
        "2.23.133.17.3" => "bluetooth-mac".to_string(),
        o => o.to_string(),
    };
    Ok((name, val))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Inventory {
    components: Vec<InventoryItem>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InventoryItem {
    manufacturer: String,
    model: String,
    #[serde(default)]
    serial: Option<String>,
    #[serde(default)]
    revision: Option<String>,
}

/// Every certified component (delta `removed` ones excepted) must be on the
/// device: same manufacturer and model, and the same serial and revision
/// where the certificate states them.
pub(super) fn match_inventory(pc: &PlatformCert, inv: &[u8]) -> Result<(bool, String), Malformed> {
    let syntax = |e: serde_json::Error| {
        Malformed::new(Code::InventoryMalformed, format!("device inventory: {e}"))
    };
    crate::evidence::json::scan(inv).map_err(|e| e.or_syntax(syntax))?;
    let inv: Inventory = serde_json::from_slice(inv).map_err(syntax)?;
    let mut missing = Vec::new();
    let mut used = vec![false; inv.components.len()];
    for (i, c) in pc.components.iter().enumerate() {
        if c.status.as_deref() == Some("removed") {
            continue;
        }
        let found = inv.components.iter().enumerate().position(|(k, d)| {
            !used[k]
                && d.manufacturer == c.manufacturer
                && d.model == c.model
                && c.serial
                    .as_ref()
                    .is_none_or(|s| d.serial.as_ref() == Some(s))
                && c.revision
                    .as_ref()
                    .is_none_or(|r| d.revision.as_ref() == Some(r))
        });
        match found {
            Some(k) => used[k] = true,
            None => missing.push(format!(
                "component {} ({} {}{}) is not on the device",
                i + 1,
                c.manufacturer,
                c.model,
                c.serial
                    .as_deref()
                    .map(|s| format!(", serial {s}"))
                    .unwrap_or_default()
            )),
        }
    }
    Ok(if missing.is_empty() {
        (
            true,
            format!(
                "all {} certified components found in the inventory",
                pc.components.len()
            ),
        )
    } else {
        (false, missing.join("; "))
    })
}
