//! The value syntaxes of TCG Platform Certificate Profile v2.x Traits
//! (certificate identifiers, URI references, Common Criteria and FIPS
//! levels, ISO 9000, named-bit capabilities, PEM certificates, public keys,
//! geographic locations), each decoded strictly and rendered as one line
//! of text; shared with the v2 grammar where it uses the same types.

use super::{STRMAX, URIMAX, sized, utf8};
use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};
use crate::evidence::x509::name_to_string;

/// An IMPLICIT-tagged element read as the universal type it replaces.
pub(super) fn retag<'a>(t: &Tlv<'a>, tag_no: u32) -> Tlv<'a> {
    Tlv {
        class: Class::Universal,
        tag: tag_no,
        ..*t
    }
}

/// A size-checked IA5String.
pub(super) fn ia5(t: &Tlv<'_>, max: usize, what: &str) -> DerResult<String> {
    t.expect_universal(tag::IA5_STRING, what)?;
    sized(t.string(what)?, max, what, t)
}

/// A size-checked UTF8String (IMPLICIT-tagged ones read as UTF8String).
pub(super) fn utf8_sized(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    sized(utf8(t, what)?, STRMAX, what, t)
}

/// A `BOOLEAN DEFAULT x`: DER omits the default, so an encoded default is
/// an error.
pub(super) fn defaulted_bool(t: &Tlv<'_>, default: bool, what: &str) -> DerResult<bool> {
    let b = t.boolean(what)?;
    if b == default {
        return Err(DerError::new(
            t.offset,
            format!("{what}: the DEFAULT value {default} is encoded; DER omits it"),
        ));
    }
    Ok(b)
}

/// An ENUMERATED within `lo..=hi`.
pub(super) fn enum_in(t: &Tlv<'_>, lo: i64, hi: i64, what: &str) -> DerResult<i64> {
    let v = t.enumerated(what)?;
    if !(lo..=hi).contains(&v) {
        return Err(DerError::new(
            t.offset,
            format!("{what}: {v} is not one of {lo}..{hi}"),
        ));
    }
    Ok(v)
}

pub(super) fn is_universal(t: Option<Tlv<'_>>, tag_no: u32) -> bool {
    t.is_some_and(|t| t.class == Class::Universal && t.tag == tag_no)
}

/// `CertificateIdentifier ::= SEQUENCE { hashedCertIdentifier [0]
/// OPTIONAL, genericCertIdentifier [1] OPTIONAL }`.
pub(super) fn certificate_identifier(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let mut parts = Vec::new();
    if let Some(h) = r.optional_context(0)? {
        let mut hr = Reader::inside(&h);
        let alg = hr.expect(tag::SEQUENCE, &format!("{what}: hashAlgorithm"))?;
        let alg_oid = Reader::inside(&alg)
            .read()?
            .oid(&format!("{what}: hashAlgorithm"))?;
        let value = hr
            .read()?
            .octets(&format!("{what}: hashOverSignatureValue"))?;
        hr.finish(&format!("{what}: hashedCertIdentifier"))?;
        let alg_name = match alg_oid.as_str() {
            "2.16.840.1.101.3.4.2.1" => "sha256".to_string(),
            "2.16.840.1.101.3.4.2.2" => "sha384".to_string(),
            "2.16.840.1.101.3.4.2.3" => "sha512".to_string(),
            "1.3.14.3.2.26" => "sha1".to_string(),
            o => o.to_string(),
        };
        parts.push(format!("signature hash {alg_name}:{}", hex::encode(value)));
    }
    if let Some(g) = r.optional_context(1)? {
        let mut gr = Reader::inside(&g);
        let names = gr.expect(tag::SEQUENCE, &format!("{what}: issuer"))?;
        let name = Reader::inside(&names)
            .read()
            .map_err(|e| e.context(&format!("{what}: issuer")))?;
        let issuer = if name.class == Class::Context && name.tag == 4 {
            name_to_string(Reader::inside(&name).read()?.raw)
        } else {
            format!("GeneralName {}", name.describe())
        };
        let serial = gr.read()?.big_int(&format!("{what}: serial"))?;
        if !gr.is_empty() {
            gr.expect(tag::BIT_STRING, &format!("{what}: issuerUID"))?;
        }
        gr.finish(&format!("{what}: genericCertIdentifier"))?;
        parts.push(format!(
            "issuer `{issuer}` serial {}",
            crate::evidence::der::hex_unsigned(serial)
        ));
    }
    r.finish(what)?;
    if parts.is_empty() {
        return Err(DerError::new(
            t.offset,
            format!("{what}: identifies no certificate (neither [0] nor [1])"),
        ));
    }
    Ok(parts.join(", "))
}

/// `URIReference ::= SEQUENCE { uniformResourceIdentifier IA5String,
/// hashAlgorithm OPTIONAL, hashValue BIT STRING OPTIONAL }`.
pub(super) fn uri_reference(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let uri = ia5(
        &r.read()?,
        URIMAX,
        &format!("{what}: uniformResourceIdentifier"),
    )?;
    if is_universal(r.peek()?, tag::SEQUENCE) {
        r.read()?;
    }
    if !r.is_empty() {
        r.expect(tag::BIT_STRING, &format!("{what}: hashValue"))?;
    }
    r.finish(what)?;
    Ok(uri)
}

/// `CommonCriteriaEvaluation`, rendered: `Common Criteria 3.1 EAL4+
/// (evaluationCompleted), certificate N by AUTHORITY`.
pub(super) fn common_criteria(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let m = r.expect(tag::SEQUENCE, &format!("{what}: cCMeasures"))?;
    let measures = cc_measures(&m, &format!("{what}: cCMeasures"))?;
    let number = utf8_sized(
        &r.expect(tag::UTF8_STRING, &format!("{what}: cCCertificateNumber"))?,
        &format!("{what}: cCCertificateNumber"),
    )?;
    let authority = utf8_sized(
        &r.expect(tag::UTF8_STRING, &format!("{what}: cCCertificateAuthority"))?,
        &format!("{what}: cCCertificateAuthority"),
    )?;
    let mut out = format!("{measures}, certificate {number} by {authority}");
    let mut last = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context || f.tag > 2 || last.is_some_and(|l| f.tag <= l) {
            return Err(DerError::new(
                f.offset,
                format!("{what}: unexpected {}", f.describe()),
            ));
        }
        last = Some(f.tag);
        match f.tag {
            0 => out.push_str(&format!(
                ", scheme {}",
                utf8_sized(&f, &format!("{what}: evaluationScheme"))?
            )),
            n => {
                let time = retag(&f, tag::GENERALIZED_TIME).generalized_time(what)?;
                let label = if n == 1 { "issued" } else { "expires" };
                out.push_str(&format!(", {label} {}", time.date()));
            }
        }
    }
    Ok(out)
}

/// `CommonCriteriaMeasures`, rendered.
pub(super) fn cc_measures(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    let mut r = Reader::inside(t);
    let version = ia5(&r.read()?, STRMAX, &format!("{what}: version"))?;
    let eal = enum_in(&r.read()?, 1, 7, &format!("{what}: assuranceLevel"))?;
    let status = match enum_in(&r.read()?, 0, 2, &format!("{what}: evaluationStatus"))? {
        0 => "designedToMeet",
        1 => "evaluationInProgress",
        _ => "evaluationCompleted",
    };
    let plus = if is_universal(r.peek()?, tag::BOOLEAN) {
        defaulted_bool(&r.read()?, false, &format!("{what}: plus"))?
    } else {
        false
    };
    let mut out = format!(
        "Common Criteria {version} EAL{eal}{} ({status})",
        if plus { "+" } else { "" }
    );
    let mut last = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context || f.tag > 4 || last.is_some_and(|l| f.tag <= l) {
            return Err(DerError::new(
                f.offset,
                format!("{what}: unexpected {}", f.describe()),
            ));
        }
        last = Some(f.tag);
        match f.tag {
            0 => {
                let s = enum_in(
                    &retag(&f, tag::ENUMERATED),
                    0,
                    2,
                    &format!("{what}: strengthOfFunction"),
                )?;
                let strength = match s {
                    0 => "basic",
                    1 => "medium",
                    _ => "high",
                };
                out.push_str(&format!(", strength of function {strength}"));
            }
            1 | 3 => {
                let o = retag(&f, tag::OID).oid(what)?;
                let label = if f.tag == 1 { "profile" } else { "target" };
                out.push_str(&format!(", {label} {o}"));
            }
            _ => {
                let u = uri_reference(&retag(&f, tag::SEQUENCE), what)?;
                let label = if f.tag == 2 { "profile" } else { "target" };
                out.push_str(&format!(", {label} {u}"));
            }
        }
    }
    Ok(out)
}

/// `FIPSLevel ::= SEQUENCE { version IA5String, level SecurityLevel, plus
/// BOOLEAN DEFAULT FALSE }`, rendered `FIPS 140-2 level 2`.
pub(super) fn fips_level(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let version = ia5(&r.read()?, STRMAX, &format!("{what}: version"))?;
    let level = enum_in(&r.read()?, 1, 4, &format!("{what}: level"))?;
    let plus = if r.is_empty() {
        false
    } else {
        defaulted_bool(&r.read()?, false, &format!("{what}: plus"))?
    };
    r.finish(what)?;
    Ok(format!(
        "FIPS {version} level {level}{}",
        if plus { "+" } else { "" }
    ))
}

/// `ISO9000Certification ::= SEQUENCE { iso9000Certified BOOLEAN DEFAULT
/// FALSE, iso9000Uri IA5String OPTIONAL }`.
pub(super) fn iso9000(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let certified = if is_universal(r.peek()?, tag::BOOLEAN) {
        defaulted_bool(&r.read()?, false, &format!("{what}: iso9000Certified"))?
    } else {
        false
    };
    let mut out = if certified {
        "ISO 9000 certified".to_string()
    } else {
        "not ISO 9000 certified".to_string()
    };
    if !r.is_empty() {
        out.push_str(&format!(
            ", {}",
            ia5(&r.read()?, URIMAX, &format!("{what}: iso9000Uri"))?
        ));
    }
    r.finish(what)?;
    Ok(out)
}

/// The named bits of the BIT STRING syntaxes 11..=15.
pub(super) fn bit_names(n: usize) -> &'static [&'static str] {
    match n {
        11 => &[
            "fwSetupAuthLocal",
            "fwSetupAuthRemote",
            "sMMProtection",
            "fwKernelDMAProtection",
        ],
        12 => &["hardwareSRTM", "secureBoot"],
        13 => &["sp800-147", "sp800-147B", "sp800-193"],
        14 => &[
            "iOMMUSupport",
            "trustedExecutionEnvironment",
            "physicalTamperProtection",
            "physicalTamperDetection",
            "firmwareFlashWP",
            "externalDMASupport",
        ],
        _ => &[
            "static",
            "dynamic",
            "nonHost",
            "virtual",
            "hardwareStatic",
            "bMC",
        ],
    }
}

/// A named-bit BIT STRING, rendered as the names of its set bits (an
/// unknown bit as `bitN`). Unused bits must be zero; trailing zero bits,
/// which DER removes from a named-bit list, are a deviation.
pub(super) fn named_bits(
    n: usize,
    t: &Tlv<'_>,
    what: &str,
    deviations: &mut Vec<String>,
) -> DerResult<String> {
    t.expect_universal(tag::BIT_STRING, what)?;
    let (unused, bytes) = match t.content.split_first() {
        Some((u, b)) if *u <= 7 && (!b.is_empty() || *u == 0) => (*u, b),
        _ => {
            return Err(DerError::new(
                t.offset,
                format!("{what}: malformed BIT STRING (bad unused-bit count)"),
            ));
        }
    };
    if let Some(lastb) = bytes.last() {
        if lastb & ((1u8 << unused) - 1) != 0 {
            return Err(DerError::new(
                t.offset,
                format!("{what}: BIT STRING unused bits are not zero"),
            ));
        }
        if lastb & (1u8 << unused) == 0 {
            deviations.push(format!(
                "{what}: named-bit BIT STRING with trailing zero bits (DER removes them), at byte {}",
                t.offset
            ));
        }
    }
    let names = bit_names(n);
    let mut set = Vec::new();
    for (i, b) in bytes.iter().enumerate() {
        for j in 0..8 {
            if b & (0x80 >> j) != 0 {
                let bit = i * 8 + j;
                set.push(
                    names
                        .get(bit)
                        .map_or_else(|| format!("bit{bit}"), |s| (*s).to_string()),
                );
            }
        }
    }
    Ok(if set.is_empty() {
        "none".to_string()
    } else {
        set.join(", ")
    })
}

/// A PEM certificate in a UTF8String, rendered by its subject and serial.
pub(super) fn pem_certificate(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::UTF8_STRING, what)?;
    let text = utf8(t, what)?;
    let blobs = crate::evidence::certs::split(text.as_bytes())
        .map_err(|e| DerError::new(t.offset, format!("{what}: {}", e.what)))?;
    let [blob] = blobs.as_slice() else {
        return Err(DerError::new(
            t.offset,
            format!(
                "{what}: holds {} PEM blocks, not one certificate",
                blobs.len()
            ),
        ));
    };
    let c = crate::evidence::certs::parse_cert(&blob.der, 0)
        .map_err(|e| DerError::new(t.offset, format!("{what}: {}", e.what)))?;
    Ok(format!("`{}` serial {}", c.subject(), c.serial_hex()))
}

/// A SubjectPublicKeyInfo, rendered by algorithm and SHA-256.
pub(super) fn public_key(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    use ::der::Decode;
    use sha2::{Digest, Sha256};
    t.expect_universal(tag::SEQUENCE, what)?;
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(t.raw)
        .map_err(|e| DerError::new(t.offset, format!("{what}: {}", e.kind())))?;
    Ok(format!(
        "{} sha256:{}",
        spki.algorithm.oid,
        hex::encode(Sha256::digest(t.raw))
    ))
}

/// A PrintableString of `lo..=hi` characters.
pub(super) fn printable(t: &Tlv<'_>, lo: usize, hi: usize, what: &str) -> DerResult<String> {
    let s = retag(t, tag::PRINTABLE_STRING).string(what)?;
    if !(lo..=hi).contains(&s.len()) {
        return Err(DerError::new(
            t.offset,
            format!("{what}: {} characters; SIZE ({lo}..{hi}) required", s.len()),
        ));
    }
    Ok(s)
}

/// `EntityGeoLocation`, rendered as its parts joined by commas.
pub(super) fn geo_location(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let cc = r.read()?;
    cc.expect_universal(tag::PRINTABLE_STRING, &format!("{what}: countryCode"))?;
    let mut parts = vec![printable(&cc, 2, 3, &format!("{what}: countryCode"))?];
    let mut last = None;
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context
            || f.constructed
            || !matches!(f.tag, 0..=3 | 5)
            || last.is_some_and(|l| f.tag <= l)
        {
            return Err(DerError::new(
                f.offset,
                format!("{what}: unexpected {}", f.describe()),
            ));
        }
        last = Some(f.tag);
        parts.push(match f.tag {
            0 => printable(&f, 3, 6, &format!("{what}: stateOrProvince"))?,
            3 => printable(&f, 1, STRMAX, &format!("{what}: locationCoords"))?,
            _ => utf8_sized(&f, what)?,
        });
    }
    Ok(parts.join(", "))
}

/// `OriginComposition ::= SEQUENCE { location EntityGeoLocation,
/// hasComponents [0] BOOLEAN DEFAULT TRUE }`.
pub(super) fn origin(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let mut out = geo_location(&r.read()?, &format!("{what}: location"))?;
    if let Some(h) = r.optional_context(0)?
        && !defaulted_bool(
            &retag(&h, tag::BOOLEAN),
            true,
            &format!("{what}: hasComponents"),
        )?
    {
        out.push_str(" (not its components)");
    }
    r.finish(what)?;
    Ok(out)
}
