//! Uptane metadata in its ASN.1/DER encoding (the Uptane reference
//! implementation's `metadataverificationmodule` and manifest modules).
//!
//! Read: signed metadata (`Metadata ::= SEQUENCE { signed [0], number of
//! signatures [1], signatures [2] }`) with its role, expiry (seconds since
//! the epoch), version and, for targets, each target's file name, length,
//! hashes and custom ECU identifier; vehicle version manifests (VIN,
//! primary ECU, the ECU version manifests with their installed images).
//!
//! The signature of DER metadata is over SHA-256 of the DER of the
//! `signed` element as it appears in the file, and is checked with the
//! role's keys from (JSON) root metadata, like the JSON form.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Image;
use crate::diag::Code;
use crate::evidence::Malformed;
use crate::evidence::der::{Class, DerError, DerResult, Reader, Tlv, tag};

/// One signature of DER metadata.
#[derive(Debug, Clone)]
pub struct DerSignature {
    /// Key id, hex.
    pub keyid: String,
    /// Method (1 = ed25519).
    pub method: i64,
    /// Signature bytes.
    pub value: Vec<u8>,
}

/// Decoded DER metadata.
#[derive(Debug, Clone)]
pub enum DerDoc {
    /// Signed repository metadata.
    Metadata {
        /// `root`, `targets`, `snapshot` or `timestamp`.
        role: &'static str,
        /// Expiry, seconds since the epoch.
        expires: i64,
        /// Version.
        version: i64,
        /// Targets (for targets metadata).
        targets: Vec<Image>,
        /// What the signatures cover: SHA-256 of the `signed` DER.
        signed_digest: Vec<u8>,
        /// Signatures.
        signatures: Vec<DerSignature>,
    },
    /// A vehicle version manifest.
    VehicleManifest {
        /// VIN.
        vin: String,
        /// Primary ECU serial.
        primary: String,
        /// The installed images, one per ECU manifest.
        images: Vec<Image>,
    },
}

fn mal(e: DerError) -> Malformed {
    Malformed::at(Code::UptaneMetadataMalformed, e)
}

/// Whether `data` is DER Uptane metadata or a DER vehicle manifest.
pub fn detect(data: &[u8]) -> bool {
    let mut r = Reader::new(data, 0);
    let Ok(outer) = r.expect(tag::SEQUENCE, "") else {
        return false;
    };
    if !r.is_empty() {
        return false;
    }
    let first = Reader::inside(&outer).peek().ok().flatten();
    match first {
        Some(t) if t.class == Class::Context && t.tag == 0 && t.constructed => true,
        Some(t) if t.class == Class::Universal && t.tag == tag::SEQUENCE => {
            let mut s = Reader::inside(&t);
            matches!(s.read(), Ok(v) if v.class == Class::Universal && v.tag == 26)
        }
        _ => false,
    }
}

fn ctx_int(t: &Tlv<'_>, what: &str) -> DerResult<i64> {
    // [n] IMPLICIT INTEGER/ENUMERATED: re-read the contents as an INTEGER.
    if t.content.is_empty() || t.content.len() > 8 {
        return Err(DerError::new(
            t.offset,
            format!("{what}: bad integer length"),
        ));
    }
    let mut v: i64 = if t.content[0] & 0x80 != 0 { -1 } else { 0 };
    for b in t.content {
        v = (v << 8) | i64::from(*b);
    }
    Ok(v)
}

fn ctx(r: &mut Reader<'_>, n: u32, what: &str) -> DerResult<()> {
    match r.peek()? {
        Some(t) if t.class == Class::Context && t.tag == n => Ok(()),
        Some(t) => Err(DerError::new(
            t.offset,
            format!("{what}: expected [{n}], found {}", t.describe()),
        )),
        None => Err(DerError::new(r.offset(), format!("{what}: missing [{n}]"))),
    }
}

fn hashes(t: &Tlv<'_>, what: &str) -> DerResult<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    let mut r = Reader::inside(t);
    while !r.is_empty() {
        let mut h = r.sequence(&format!("{what} hash"))?;
        let f = h.read()?.enumerated("hash function")?;
        let d = h.read()?.octets("digest")?;
        h.finish("hash")?;
        let name = match f {
            0 => "sha224",
            1 => "sha256",
            2 => "sha384",
            3 => "sha512",
            _ => "unknown",
        };
        out.insert(name.to_string(), hex::encode(d));
    }
    Ok(out)
}

fn target(t: &Tlv<'_>, custom: Option<&Tlv<'_>>) -> DerResult<Image> {
    let mut r = Reader::inside(t);
    ctx(&mut r, 0, "target filename")?;
    let name_t = r.read()?;
    let path = std::str::from_utf8(name_t.content)
        .map_err(|_| DerError::new(name_t.offset, "target filename: not text"))?
        .to_string();
    ctx(&mut r, 1, "target length")?;
    let length = ctx_int(&r.read()?, "target length")?;
    ctx(&mut r, 2, "number of hashes")?;
    r.read()?;
    ctx(&mut r, 3, "hashes")?;
    let hs = hashes(&r.read()?, "target")?;
    let mut ecu = None;
    let mut hw = None;
    if let Some(c) = custom {
        let mut cr = Reader::inside(c);
        while !cr.is_empty() {
            let f = cr.read()?;
            let text = std::str::from_utf8(f.content).ok().map(str::to_string);
            match (f.class, f.tag) {
                (Class::Context, 1) => hw = text,
                (Class::Context, 2) => ecu = text,
                _ => {}
            }
        }
    }
    Ok(Image {
        path,
        hashes: hs,
        length: u64::try_from(length).ok(),
        hardware_id: hw,
        ecu_serial: ecu,
    })
}

fn metadata(outer: &Tlv<'_>) -> DerResult<DerDoc> {
    let mut r = Reader::inside(outer);
    ctx(&mut r, 0, "signed")?;
    let signed = r.read()?;
    let signed_digest = Sha256::digest(signed.raw).to_vec();
    let mut s = Reader::inside(&signed);
    ctx(&mut s, 0, "type")?;
    let role = match ctx_int(&s.read()?, "type")? {
        0 => "root",
        1 => "targets",
        2 => "snapshot",
        3 => "timestamp",
        n => {
            return Err(DerError::new(
                signed.offset,
                format!("unknown role type {n}"),
            ));
        }
    };
    ctx(&mut s, 1, "expires")?;
    let expires = ctx_int(&s.read()?, "expires")?;
    ctx(&mut s, 2, "version")?;
    let version = ctx_int(&s.read()?, "version")?;
    ctx(&mut s, 3, "body")?;
    let body = s.read()?;
    s.finish("signed")?;
    let mut targets = Vec::new();
    if role == "targets" {
        let mut b = Reader::inside(&body);
        ctx(&mut b, 1, "targetsMetadata")?;
        let tm = b.read()?;
        let mut t = Reader::inside(&tm);
        ctx(&mut t, 0, "numberOfTargets")?;
        let n = ctx_int(&t.read()?, "numberOfTargets")?;
        ctx(&mut t, 1, "targets")?;
        let list = t.read()?;
        let mut l = Reader::inside(&list);
        while !l.is_empty() {
            let tc = l.expect(tag::SEQUENCE, "TargetAndCustom")?;
            let mut tr = Reader::inside(&tc);
            ctx(&mut tr, 0, "target")?;
            let tt = tr.read()?;
            let custom = tr.optional_context(1)?;
            targets.push(target(&tt, custom.as_ref())?);
        }
        if usize::try_from(n).ok() != Some(targets.len()) {
            return Err(DerError::new(
                tm.offset,
                format!("numberOfTargets says {n}, the list has {}", targets.len()),
            ));
        }
    }
    ctx(&mut r, 1, "numberOfSignatures")?;
    r.read()?;
    ctx(&mut r, 2, "signatures")?;
    let sigs_t = r.read()?;
    r.finish("Metadata")?;
    let mut signatures = Vec::new();
    let mut sr = Reader::inside(&sigs_t);
    while !sr.is_empty() {
        let mut sg = sr.sequence("signature")?;
        let keyid = hex::encode(sg.read()?.octets("keyid")?);
        let method = sg.read()?.enumerated("method")?;
        let value = sg.read()?.octets("signature value")?.to_vec();
        sg.finish("signature")?;
        signatures.push(DerSignature {
            keyid,
            method,
            value,
        });
    }
    Ok(DerDoc::Metadata {
        role,
        expires,
        version,
        targets,
        signed_digest,
        signatures,
    })
}

fn vehicle_manifest(outer: &Tlv<'_>) -> DerResult<DerDoc> {
    let mut r = Reader::inside(outer);
    let mut s = r.sequence("vehicle manifest signed")?;
    let vin = s.read()?.string("vehicleIdentifier")?;
    let primary = s.read()?.string("primaryIdentifier")?;
    s.read()?.int("numberOfECUVersionManifests")?;
    let list = s.expect(tag::SEQUENCE, "ecuVersionManifests")?;
    let mut images = Vec::new();
    let mut l = Reader::inside(&list);
    while !l.is_empty() {
        let mut em = l.sequence("ECU version manifest")?;
        let mut es = em.sequence("ECU version manifest signed")?;
        let ecu = es.read()?.string("ecuIdentifier")?;
        es.read()?.int("previousTime")?;
        es.read()?.int("currentTime")?;
        // Optional securityAttack string, then the installed image.
        let mut img = es.read()?;
        if img.class == Class::Universal && img.tag != tag::SEQUENCE {
            img = es.read()?;
        }
        img.expect_universal(tag::SEQUENCE, "installedImage")?;
        let mut ir = Reader::inside(&img);
        let path = ir.read()?.string("filename")?;
        let length = ir.read()?.int("length")?;
        ir.read()?.int("numberOfHashes")?;
        let hs = hashes(&ir.expect(tag::SEQUENCE, "hashes")?, "installed image")?;
        images.push(Image {
            path,
            hashes: hs,
            length: u64::try_from(length).ok(),
            hardware_id: None,
            ecu_serial: Some(ecu),
        });
    }
    Ok(DerDoc::VehicleManifest {
        vin,
        primary,
        images,
    })
}

/// Decode DER Uptane metadata or a DER vehicle manifest.
pub fn decode(data: &[u8]) -> Result<DerDoc, Malformed> {
    let mut r = Reader::new(data, 0);
    let outer = r.expect(tag::SEQUENCE, "Uptane DER").map_err(mal)?;
    r.finish("the file").map_err(mal)?;
    let first = Reader::inside(&outer).peek().map_err(mal)?;
    match first {
        Some(t) if t.class == Class::Context && t.tag == 0 => metadata(&outer).map_err(mal),
        _ => vehicle_manifest(&outer).map_err(mal),
    }
}

/// The signatures as JSON-form values, for messages and the decode.
pub fn signatures_json(sigs: &[DerSignature]) -> Value {
    Value::Array(
        sigs.iter()
            .map(|s| serde_json::json!({"keyid": s.keyid, "method": s.method}))
            .collect(),
    )
}
