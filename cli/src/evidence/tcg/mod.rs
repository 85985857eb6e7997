//! TCG Platform Certificates: RFC 5755 attribute certificates carrying the
//! TCG Platform Certificate Profile attributes.
//!
//! `x509-cert` reads X.509 certificates, not attribute certificates, so the
//! outer structure (`AttributeCertificateInfo`: version, holder, issuer,
//! signature, serial, validity, attributes, extensions) is walked with the
//! strict DER reader, and `x509-cert`'s types check what it has: names,
//! algorithm identifiers and extensions; the signature is checked like a
//! certificate's (see [`crate::evidence::x509::verify_signature`]).
//!
//! Decoded: platform manufacturer, model, version and serial (from the
//! subjectAltName directoryName, TCG OIDs 2.23.133.5.1.x, or the pre-2018
//! 2.23.133.2.x ones); the platformConfiguration attribute, dispatched on
//! its OID: v1 (2.23.133.5.1.7.1), v2 (.7.2) and v3 (.7.3, components as
//! lists of Traits, see [`traits`]), each component with its class,
//! manufacturer, model, serial, revision, addresses, (delta) status,
//! certificates and, from v3 Traits, Common Criteria and FIPS levels and
//! country of origin; base or delta credential
//! (tcgCredentialType 2.23.133.2.25); the holder, which for a base
//! certificate is the TPM EK certificate's issuer and serial.
//!
//! The profile's size constraints are enforced: required strings (component
//! manufacturer and model, property names) must be `SIZE (1..STRMAX)` or
//! the certificate is malformed. Empty optional strings and empty
//! `SEQUENCE OF`s are common in issued certificates: they are read as
//! absent and listed as deviations.
//!
//! `components-match` compares the certified components with the device's
//! observed inventory (JSON `{"components": [{"manufacturer", "model",
//! "serial"?, "revision"?}]}`), the platform attribute validation of the
//! TCG profile: a certified component absent from the device, or with
//! another serial, fails.
//!
//! Checks: `signature` (with the issuer's certificate, when given),
//! `validity` (at the evaluation time), `holder-binding` (against the EK or
//! base platform certificate, when given).

use ::der::Decode;
use serde::Serialize;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::spki::AlgorithmIdentifierOwned;

mod config;
mod traits;
mod values;

use crate::clock::Time;
use crate::diag::Code;
use crate::evidence::certs;
use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};
use crate::evidence::report::{Report, Status};
use crate::evidence::x509::{name_attributes, name_to_string, verify_signature};
use crate::evidence::{Malformed, fmt_time};
use crate::model::EvidenceKind;

pub(super) const STRMAX: usize = 256;
pub(super) const URIMAX: usize = 1024;

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluation time for validity; `None` skips it.
    pub at: Option<Time>,
    /// Candidate issuer certificates (DER) for the signature check.
    pub issuers: Vec<Vec<u8>>,
    /// The holder's certificate (EK, or base platform certificate for a
    /// delta), DER.
    pub holder: Option<Vec<u8>>,
    /// The device's observed component inventory (JSON).
    pub inventory: Option<Vec<u8>>,
}

/// One platform component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // the profile's field names
pub struct Component {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub manufacturer: String,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_replaceable: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Certificates the component names (v2 componentPlatformCert, v3
    /// certificate traits), each as `kind: identification`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
    /// A Common Criteria evaluation (v3 CommonCriteria trait), rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_criteria: Option<String>,
    /// A FIPS 140 level (v3 FIPSLevel trait), rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fips_level: Option<String>,
    /// Country of origin (v3 countryOfOrigin trait), rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_origin: Option<String>,
    /// v3 traits not placed in a field above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<Trait>,
}

/// A v3 component trait not placed in a [`Component`] field: an unknown
/// syntax (value in hex) or a known one in a category strata does not
/// place (value decoded and rendered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trait {
    /// The value syntax (`traitId`): its profile name, or the OID.
    pub id: String,
    /// What the value means (`traitCategory`): its profile name, or the OID.
    pub category: String,
    /// The registry the value is drawn from (`traitRegistry`), OID.
    pub registry: String,
    /// The trait's description, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value: rendered when the syntax is known, hex otherwise.
    pub value: String,
}

/// The decoded platform certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformCert {
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial, hex.
    pub serial: String,
    /// Validity start, RFC 3339.
    pub not_before: String,
    /// Validity end, RFC 3339.
    pub not_after: String,
    /// The validity window, for the check.
    #[serde(skip)]
    pub validity: Option<(Time, Time)>,
    /// Signature algorithm OID.
    pub signature_algorithm: String,
    /// `base` or `delta`.
    pub credential_type: String,
    /// Holder: issuer DN and serial of the certificate it is bound to.
    pub holder_issuer: Option<String>,
    /// Holder serial, hex.
    pub holder_serial: Option<String>,
    /// Platform identity from subjectAltName.
    pub platform_manufacturer: Option<String>,
    /// Platform model.
    pub platform_model: Option<String>,
    /// Platform version.
    pub platform_version: Option<String>,
    /// Platform serial.
    pub platform_serial: Option<String>,
    /// TCG platform specification `major.minor.revision`, class hex.
    pub platform_specification: Option<String>,
    /// TCG credential specification `major.minor.revision`.
    pub credential_specification: Option<String>,
    /// `v1`, `v2` or `v3` when a platformConfiguration attribute is present.
    pub configuration_version: Option<String>,
    /// Components.
    pub components: Vec<Component>,
    /// Platform properties (name, value).
    pub properties: Vec<(String, String)>,
    /// True for the pre-standard layout (subjectAltName as a bare Name).
    pub legacy_layout: bool,
    /// Tolerated departures from the profile (an empty `SEQUENCE OF`
    /// where `SIZE (1..MAX)` is required is read as absent).
    pub deviations: Vec<String>,
}

fn mal(e: DerError) -> Malformed {
    Malformed::at(Code::TcgPlatformCertificateMalformed, e)
}

/// Whether `data` looks like an attribute certificate (PEM label, or a
/// DER SEQUENCE whose info starts with INTEGER 1 and a Holder SEQUENCE).
pub fn detect(data: &[u8]) -> bool {
    let Ok(blobs) = certs::split(data) else {
        return false;
    };
    let Some(b) = blobs.first() else { return false };
    if b.label.as_deref() == Some("ATTRIBUTE CERTIFICATE") {
        return true;
    }
    let mut r = Reader::new(&b.der, 0);
    let Ok(mut outer) = r.sequence("") else {
        return false;
    };
    let Ok(mut info) = outer.sequence("") else {
        return false;
    };
    matches!(info.read(), Ok(t) if t.class == Class::Universal && t.tag == tag::INTEGER && t.content == [1])
        && matches!(info.read(), Ok(t) if t.class == Class::Universal && t.tag == tag::SEQUENCE)
}

pub(super) fn sized(s: String, max: usize, what: &str, t: &Tlv<'_>) -> DerResult<String> {
    if s.is_empty() || s.chars().count() > max {
        return Err(DerError::new(
            t.offset,
            format!(
                "{what} is {} characters; the TCG profile requires SIZE (1..{max})",
                s.chars().count()
            ),
        ));
    }
    Ok(s)
}

pub(super) fn utf8(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    std::str::from_utf8(t.content)
        .map(str::to_string)
        .map_err(|_| DerError::new(t.offset, format!("{what}: invalid UTF-8")))
}

/// Names in GeneralNames, rendered; a directoryName must be a Name.
fn general_names(t: &Tlv<'_>, what: &str) -> DerResult<Vec<String>> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let mut out = Vec::new();
    while !r.is_empty() {
        let g = r.read()?;
        if g.class == Class::Context && g.tag == 4 {
            let mut inner = Reader::inside(&g);
            let n = inner.read()?;
            inner.finish(what)?;
            Name::from_der(n.raw).map_err(|e| {
                DerError::new(n.offset, format!("{what}: directoryName: {}", e.kind()))
            })?;
            out.push(name_to_string(n.raw));
        } else {
            out.push(format!("GeneralName {}", g.describe()));
        }
    }
    Ok(out)
}

/// Parse and verify a platform certificate.
pub fn inspect(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    let blob = certs::split(data)
        .map_err(mal)?
        .into_iter()
        .next()
        .ok_or_else(|| Malformed::new(Code::TcgPlatformCertificateMalformed, "empty file"))?;
    let der = blob.der.as_slice();
    let mut top = Reader::new(der, 0);
    let outer_t = top
        .expect(tag::SEQUENCE, "AttributeCertificate")
        .map_err(mal)?;
    top.finish("the file").map_err(mal)?;
    let mut outer = Reader::inside(&outer_t);
    let info_t = outer
        .expect(tag::SEQUENCE, "AttributeCertificateInfo")
        .map_err(mal)?;
    let sig_alg_t = outer
        .expect(tag::SEQUENCE, "signatureAlgorithm")
        .map_err(mal)?;
    let sig_t = outer
        .expect(tag::BIT_STRING, "signatureValue")
        .map_err(mal)?;
    outer.finish("AttributeCertificate").map_err(mal)?;
    let (pc, sig_alg_inner) = parse_info(&info_t).map_err(mal)?;
    let outer_alg = AlgorithmIdentifierOwned::from_der(sig_alg_t.raw).map_err(|e| {
        Malformed::new(
            Code::TcgPlatformCertificateMalformed,
            format!("signatureAlgorithm: {}", e.kind()),
        )
    })?;
    if sig_alg_t.raw != sig_alg_inner {
        return Err(Malformed::new(
            Code::TcgPlatformCertificateMalformed,
            "signatureAlgorithm differs from the signature field inside the certificate info",
        ));
    }
    let mut rep = Report::new(
        EvidenceKind::TcgPlatformCertificate,
        format!(
            "TCG platform certificate ({}), {}",
            pc.credential_type,
            crate::table::count(pc.components.len() as u64, "component")
        ),
    );
    rep.evaluated_at = opts.at.map(fmt_time);
    // Signature.
    let sig_bytes = sig_t.content;
    if sig_bytes.first() != Some(&0) {
        return Err(Malformed::new(
            Code::TcgPlatformCertificateMalformed,
            "signatureValue BIT STRING has unused bits",
        ));
    }
    let mut tried = Vec::new();
    let mut verified: Option<String> = None;
    for (i, d) in opts.issuers.iter().enumerate() {
        let Ok(c) = certs::parse_cert(d, i) else {
            continue;
        };
        if c.subject() != pc.issuer {
            tried.push(format!("`{}`", c.subject()));
            continue;
        }
        let spki = &c.cert.tbs_certificate.subject_public_key_info;
        match verify_signature(spki, &outer_alg, &sig_bytes[1..], info_t.raw) {
            Ok(()) => {
                verified = Some(c.subject());
                break;
            }
            Err(e) => tried.push(format!("`{}` ({e})", c.subject())),
        }
    }
    match (&verified, opts.issuers.is_empty()) {
        (Some(s), _) => rep.check("signature", Status::Pass, format!("signed by `{s}`")),
        (None, true) => rep.check(
            "signature",
            Status::NotApplicable,
            format!("issuer `{}` certificate not given", pc.issuer),
        ),
        (None, false) => rep.check(
            "signature",
            Status::Fail,
            format!("not signed by any given issuer: {}", tried.join(", ")),
        ),
    }
    // Validity.
    match opts.at {
        None => rep.check(
            "validity",
            Status::NotApplicable,
            "no evaluation time given",
        ),
        Some(at) => {
            let ok = pc.validity.is_some_and(|(nb, na)| nb <= at && at <= na);
            rep.check_bool(
                "validity",
                ok,
                format!(
                    "valid {} to {}, evaluated at {}",
                    pc.not_before,
                    pc.not_after,
                    fmt_time(at)
                ),
            );
        }
    }
    // Holder binding.
    match (&opts.holder, &pc.holder_serial) {
        (None, _) => rep.check(
            "holder-binding",
            Status::NotApplicable,
            "holder certificate not given",
        ),
        (Some(_), None) => rep.check(
            "holder-binding",
            Status::Fail,
            "the certificate names no holder by issuer and serial",
        ),
        (Some(h), Some(serial)) => {
            let (res, what) = holder_info(h);
            match res {
                Some((issuer, hserial)) => {
                    let ok = Some(&issuer) == pc.holder_issuer.as_ref() && &hserial == serial;
                    rep.check_bool(
                        "holder-binding",
                        ok,
                        format!(
                            "holder names `{}` serial {serial}; the given {what} is `{issuer}` serial {hserial}",
                            pc.holder_issuer.as_deref().unwrap_or("?")
                        ),
                    );
                }
                None => rep.check(
                    "holder-binding",
                    Status::Fail,
                    "the holder file is neither an X.509 nor a platform certificate",
                ),
            }
        }
    }
    match &opts.inventory {
        None => rep.check(
            "components-match",
            Status::NotApplicable,
            "no device inventory given",
        ),
        Some(inv) => {
            let (ok, detail) = config::match_inventory(&pc, inv)?;
            rep.check_bool("components-match", ok, detail);
        }
    }
    add_fields(&pc, &mut rep);
    rep.decoded = serde_json::to_value(&pc)
        .map_err(|e| Malformed::internal("cannot serialise the decoded certificate", e))?;
    Ok(rep)
}

/// Issuer and serial of a holder candidate: an X.509 certificate (EK), or
/// a platform certificate (the base of a delta).
fn holder_info(der: &[u8]) -> (Option<(String, String)>, &'static str) {
    let raw = certs::strip_tpm_nv_header(der)
        .map(|(d, _)| d)
        .unwrap_or(der);
    if let Ok(c) = certs::parse_cert(raw, 0) {
        return (Some((c.issuer(), c.serial_hex())), "certificate");
    }
    if let Ok(r) = inspect(der, &Options::default())
        && let Some(pc) = serde_json::from_value::<serde_json::Value>(r.decoded).ok()
    {
        let issuer = pc["issuer"].as_str().unwrap_or_default().to_string();
        let serial = pc["serial"].as_str().unwrap_or_default().to_string();
        return (Some((issuer, serial)), "platform certificate");
    }
    (None, "file")
}

fn add_fields(pc: &PlatformCert, rep: &mut Report) {
    rep.field("credential-type", pc.credential_type.clone());
    rep.field_opt("platform.manufacturer", pc.platform_manufacturer.clone());
    rep.field_opt("platform.model", pc.platform_model.clone());
    rep.field_opt("platform.version", pc.platform_version.clone());
    rep.field_opt("platform.serial", pc.platform_serial.clone());
    rep.field("issuer", pc.issuer.clone());
    rep.field("serial", pc.serial.clone());
    rep.field("not-before", pc.not_before.clone());
    rep.field("not-after", pc.not_after.clone());
    rep.field_opt("holder.issuer", pc.holder_issuer.clone());
    rep.field_opt("holder.serial", pc.holder_serial.clone());
    rep.field_opt("platform-specification", pc.platform_specification.clone());
    rep.field_opt(
        "credential-specification",
        pc.credential_specification.clone(),
    );
    rep.field_opt("platform-configuration", pc.configuration_version.clone());
    if pc.legacy_layout {
        rep.field("legacy-layout", "true");
    }
    if !pc.deviations.is_empty() {
        rep.field("profile-deviations", pc.deviations.len().to_string());
    }
    for (i, c) in pc.components.iter().enumerate() {
        let mut v = format!("{} {}", c.manufacturer, c.model);
        if let Some(s) = &c.serial {
            v.push_str(&format!(", serial {s}"));
        }
        if let Some(r) = &c.revision {
            v.push_str(&format!(", revision {r}"));
        }
        if let Some(cl) = &c.class {
            v.push_str(&format!(", class {cl}"));
        }
        if let Some(st) = &c.status {
            v.push_str(&format!(", status {st}"));
        }
        let n = i + 1;
        rep.field(&format!("component.{n}"), v);
        for (k, cert) in c.certificates.iter().enumerate() {
            rep.field(
                &format!("component.{n}.certificate.{}", k + 1),
                cert.clone(),
            );
        }
        rep.field_opt(
            &format!("component.{n}.common-criteria"),
            c.common_criteria.clone(),
        );
        rep.field_opt(&format!("component.{n}.fips-level"), c.fips_level.clone());
        rep.field_opt(
            &format!("component.{n}.country-of-origin"),
            c.country_of_origin.clone(),
        );
        for (k, t) in c.traits.iter().enumerate() {
            rep.field(
                &format!("component.{n}.trait.{}", k + 1),
                format!("{} ({}): {}", t.category, t.id, t.value),
            );
        }
    }
}

fn parse_info<'a>(info_t: &Tlv<'a>) -> DerResult<(PlatformCert, &'a [u8])> {
    let mut pc = PlatformCert::default();
    let mut r = Reader::inside(info_t);
    let v = r.expect(tag::INTEGER, "version")?.int("version")?;
    if v != 1 {
        return Err(DerError::new(
            info_t.content_offset,
            format!("AttCertVersion {v}; only v2 (1) exists"),
        ));
    }
    // Holder.
    let holder = r.expect(tag::SEQUENCE, "holder")?;
    let mut h = Reader::inside(&holder);
    if let Some(bc) = h.optional_context(0)? {
        let mut is = Reader::inside(&bc);
        let names = general_names(&is.read()?, "holder.baseCertificateID.issuer")?;
        pc.holder_issuer = names.into_iter().next();
        pc.holder_serial = Some(crate::evidence::der::hex_unsigned(
            is.read()?.big_int("holder.baseCertificateID.serial")?,
        ));
    }
    while !h.is_empty() {
        h.skip_any()?;
    }
    // Issuer: v2Form [0].
    let issuer = r.read()?;
    if issuer.class == Class::Context && issuer.tag == 0 {
        let mut v2 = Reader::inside(&issuer);
        let names_t = v2.read()?;
        pc.issuer = general_names(&names_t, "issuer.issuerName")?
            .into_iter()
            .next()
            .unwrap_or_default();
    } else {
        pc.issuer = general_names(&issuer, "issuer")?
            .into_iter()
            .next()
            .unwrap_or_default();
    }
    let sig_inner = r.expect(tag::SEQUENCE, "signature")?;
    AlgorithmIdentifierOwned::from_der(sig_inner.raw)
        .map_err(|e| DerError::new(sig_inner.offset, format!("signature: {}", e.kind())))?;
    pc.signature_algorithm = Reader::inside(&sig_inner)
        .read()?
        .oid("signature.algorithm")?;
    let serial = r.expect(tag::INTEGER, "serialNumber")?;
    pc.serial = crate::evidence::der::hex_unsigned(serial.big_int("serialNumber")?);
    let mut val = r.sequence("attrCertValidityPeriod")?;
    let nb = val.read()?.generalized_time("notBeforeTime")?;
    let na = val.read()?.generalized_time("notAfterTime")?;
    val.finish("attrCertValidityPeriod")?;
    (pc.not_before, pc.not_after) = (fmt_time(nb), fmt_time(na));
    pc.validity = Some((nb, na));
    pc.credential_type = "base".into();
    let attrs = r.expect(tag::SEQUENCE, "attributes")?;
    attributes(&attrs, &mut pc)?;
    if let Some(t) = r.peek()?
        && t.class == Class::Universal
        && t.tag == tag::BIT_STRING
    {
        r.read()?;
    }
    if !r.is_empty() {
        let ext = r.expect(tag::SEQUENCE, "extensions")?;
        extensions(&ext, &mut pc)?;
    }
    r.finish("AttributeCertificateInfo")?;
    Ok((pc, sig_inner.raw))
}

fn version3(t: &Tlv<'_>, what: &str) -> DerResult<String> {
    t.expect_universal(tag::SEQUENCE, what)?;
    let mut r = Reader::inside(t);
    let a = r.read()?.int(what)?;
    let b = r.read()?.int(what)?;
    let c = r.read()?.int(what)?;
    r.finish(what)?;
    Ok(format!("{a}.{b}.{c}"))
}

fn attributes(seq: &Tlv<'_>, pc: &mut PlatformCert) -> DerResult<()> {
    let mut r = Reader::inside(seq);
    while !r.is_empty() {
        let mut a = r.sequence("attribute")?;
        let oid = a.read()?.oid("attribute type")?;
        let values = a.read()?;
        let vals = values.set_of(&format!("attribute {oid} values"))?;
        a.finish("attribute")?;
        let Some(v) = vals.first() else {
            return Err(DerError::new(
                values.offset,
                format!("attribute {oid} has no value"),
            ));
        };
        match oid.as_str() {
            "2.23.133.2.17" => {
                let mut s = Reader::inside(v);
                let ver = version3(&s.read()?, "tcgPlatformSpecification.version")?;
                let class = s.read()?.octets("platformClass")?;
                pc.platform_specification = Some(format!("{ver}, class {}", hex::encode(class)));
            }
            "2.23.133.2.23" => {
                pc.credential_specification = Some(version3(v, "tcgCredentialSpecification")?)
            }
            "2.23.133.2.25" => {
                let mut s = Reader::inside(v);
                let kind = s.read()?.oid("tcgCredentialType")?;
                pc.credential_type = match kind.as_str() {
                    "2.23.133.8.5" => "delta".into(),
                    "2.23.133.8.2" => "base".into(),
                    other => other.to_string(),
                };
            }
            "2.23.133.5.1.7.1" => config::platform_configuration(v, 1, pc)?,
            "2.23.133.5.1.7.2" => config::platform_configuration(v, 2, pc)?,
            "2.23.133.5.1.7.3" => traits::platform_configuration_v3(v, pc)?,
            _ => {
                let mut again = Reader::new(v.raw, v.offset);
                again.skip_any()?;
            }
        }
    }
    Ok(())
}

fn extensions(seq: &Tlv<'_>, pc: &mut PlatformCert) -> DerResult<()> {
    let mut r = Reader::inside(seq);
    while !r.is_empty() {
        let e = r.expect(tag::SEQUENCE, "extension")?;
        let ext = Extension::from_der(e.raw)
            .map_err(|err| DerError::new(e.offset, format!("extension: {}", err.kind())))?;
        if ext.extn_id.to_string() != "2.5.29.17" {
            continue;
        }
        // subjectAltName: GeneralNames with a directoryName holding the
        // platform identity; pre-standard certificates put a bare Name.
        let mut inner = Reader::new(ext.extn_value.as_bytes(), e.offset);
        let san = inner.expect(tag::SEQUENCE, "subjectAltName")?;
        let first = Reader::inside(&san).peek()?;
        let name_der: Vec<&[u8]> =
            if first.is_some_and(|f| f.class == Class::Universal && f.tag == tag::SET) {
                pc.legacy_layout = true;
                vec![san.raw]
            } else {
                let mut gs = Reader::inside(&san);
                let mut v = Vec::new();
                while !gs.is_empty() {
                    let g = gs.read()?;
                    if g.class == Class::Context && g.tag == 4 {
                        v.push(Reader::inside(&g).read()?.raw);
                    }
                }
                v
            };
        for nd in name_der {
            let attrs = Name::from_der(nd)
                .map_err(|err| err.kind().to_string())
                .and_then(|_| name_attributes(nd).map_err(|err| err.what))
                .map_err(|err| DerError::new(e.offset, format!("subjectAltName name: {err}")))?;
            for (oid, val) in attrs {
                match oid.as_str() {
                    "2.23.133.5.1.1" | "2.23.133.2.4" => pc.platform_manufacturer = Some(val),
                    "2.23.133.5.1.4" | "2.23.133.2.5" => pc.platform_model = Some(val),
                    "2.23.133.5.1.5" | "2.23.133.2.6" => pc.platform_version = Some(val),
                    "2.23.133.5.1.6" | "2.23.133.2.23" => pc.platform_serial = Some(val),
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
