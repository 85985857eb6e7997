//! SPDM and DICE device certificates: a single certificate, a PEM bundle,
//! concatenated DER, or an SPDM certificate chain with its header (length,
//! reserved, root hash; the hash is checked as `spdm-root-hash`), root
//! first as SPDM orders it or leaf first.
//!
//! Decoded per certificate: subject, issuer, serial, validity; the DMTF
//! device-info otherName (1.3.6.1.4.1.412.274.1, `manufacturer:product:
//! serial`); the SPDM extension (…274.6) with its OIDs (…274.2 hardware
//! identity, …274.3 mutable certificate); DICE TcbInfo (2.23.133.5.4.1)
//! and MultiTcbInfo (2.23.133.5.4.5): vendor, model, version, SVN, layer,
//! FWIDs.
//!
//! Checks: `chain-signatures` (each link, in the order found),
//! `chain-root` (skipped: strata holds no SPDM/DICE roots, and says which
//! root the chain ends at), `validity` at the evaluation time.

use serde::Serialize;
use x509_cert::ext::pkix::name::GeneralName;

use super::certs;
use super::der::{Class, DerError, DerResult, Reader, Tlv, tag};
use super::report::{Report, Status};
use super::x509::Cert;
use super::{Malformed, fmt_time};
use crate::clock::Time;
use crate::diag::Code;
use crate::model::EvidenceKind;

const OID_DMTF_DEVICE_INFO: &str = "1.3.6.1.4.1.412.274.1";
const OID_SPDM_EXTENSION: &str = "1.3.6.1.4.1.412.274.6";
const OID_TCB_INFO: &str = "2.23.133.5.4.1";
const OID_MULTI_TCB_INFO: &str = "2.23.133.5.4.5";

/// One DICE TcbInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // the TCG DICE field names
pub struct TcbInfo {
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub version: Option<String>,
    pub svn: Option<i64>,
    pub layer: Option<i64>,
    pub index: Option<i64>,
    /// `(hash algorithm OID, digest hex)`.
    pub fwids: Vec<(String, String)>,
}

fn mal(e: DerError) -> Malformed {
    Malformed::at(Code::SpdmCertificateMalformed, e)
}

/// Whether `data` carries DMTF or DICE identity in its certificates.
pub fn detect(data: &[u8]) -> bool {
    let body = spdm_header(data).map_or(data, |(n, _, _)| &data[n..]);
    let Ok(blobs) = certs::split(body) else {
        return false;
    };
    blobs.iter().enumerate().any(|(i, b)| {
        certs::parse_cert(&b.der, i).is_ok_and(|c| {
            c.extensions().iter().any(|e| {
                [OID_SPDM_EXTENSION, OID_TCB_INFO, OID_MULTI_TCB_INFO].contains(&e.oid.as_str())
            }) || device_info(&c).is_some()
        })
    })
}

fn device_info(c: &Cert<'_>) -> Option<String> {
    for g in c.subject_alt_names()? {
        if let GeneralName::OtherName(other) = g
            && other.type_id.to_string() == OID_DMTF_DEVICE_INFO
        {
            // value [0] EXPLICIT UTF8String: `x509-cert` has removed the [0].
            let der = ::der::Encode::to_der(&other.value).ok()?;
            return Reader::new(&der, 0)
                .read()
                .ok()?
                .string("DMTF device info")
                .ok();
        }
    }
    None
}

fn spdm_extension(v: &[u8]) -> DerResult<Vec<String>> {
    let mut r = Reader::new(v, 0);
    let seq = r.expect(tag::SEQUENCE, "SPDM extension")?;
    r.finish("SPDM extension")?;
    let mut out = Vec::new();
    let mut s = Reader::inside(&seq);
    while !s.is_empty() {
        let mut e = s.sequence("SPDM extension entry")?;
        let oid = e.read()?.oid("SPDM extension id")?;
        while !e.is_empty() {
            e.skip_any()?;
        }
        out.push(match oid.as_str() {
            "1.3.6.1.4.1.412.274.2" => "hardware-identity".to_string(),
            "1.3.6.1.4.1.412.274.3" => "mutable-certificate".to_string(),
            o => o.to_string(),
        });
    }
    Ok(out)
}

/// Parse one DiceTcbInfo SEQUENCE.
pub fn tcb_info(t: &Tlv<'_>) -> DerResult<TcbInfo> {
    t.expect_universal(tag::SEQUENCE, "DiceTcbInfo")?;
    let mut r = Reader::inside(t);
    let mut out = TcbInfo::default();
    let mut last: Option<u32> = None;
    let int = |f: &Tlv<'_>| -> DerResult<i64> {
        let fake = [&[0x02u8, f.content.len() as u8][..], f.content].concat();
        if f.content.len() > 8 {
            return Err(DerError::new(f.offset, "DiceTcbInfo integer too large"));
        }
        Reader::new(&fake, f.offset)
            .read()?
            .int("DiceTcbInfo integer")
    };
    let text = |f: &Tlv<'_>| -> DerResult<String> {
        std::str::from_utf8(f.content)
            .map(str::to_string)
            .map_err(|_| DerError::new(f.offset, "DiceTcbInfo: invalid UTF-8"))
    };
    while !r.is_empty() {
        let f = r.read()?;
        if f.class != Class::Context || last.is_some_and(|l| f.tag <= l) {
            return Err(DerError::new(
                f.offset,
                format!(
                    "DiceTcbInfo: unexpected {} (fields [0]..[10] in order)",
                    f.describe()
                ),
            ));
        }
        last = Some(f.tag);
        match f.tag {
            0 => out.vendor = Some(text(&f)?),
            1 => out.model = Some(text(&f)?),
            2 => out.version = Some(text(&f)?),
            3 => out.svn = Some(int(&f)?),
            4 => out.layer = Some(int(&f)?),
            5 => out.index = Some(int(&f)?),
            6 => {
                let mut l = Reader::inside(&f);
                while !l.is_empty() {
                    let mut fw = l.sequence("FWID")?;
                    let alg = fw.read()?.oid("FWID hashAlg")?;
                    let d = fw.read()?.octets("FWID digest")?;
                    fw.finish("FWID")?;
                    out.fwids.push((alg, hex::encode(d)));
                }
            }
            7..=10 => {}
            n => {
                return Err(DerError::new(
                    f.offset,
                    format!("DiceTcbInfo: unknown field [{n}]"),
                ));
            }
        }
    }
    Ok(out)
}

fn tcb_infos(c: &Cert<'_>) -> DerResult<Vec<TcbInfo>> {
    let mut out = Vec::new();
    for e in c.extensions() {
        match e.oid.as_str() {
            OID_TCB_INFO => {
                let mut r = Reader::new(e.value, 0);
                out.push(tcb_info(&r.read()?)?);
                r.finish("TcbInfo")?;
            }
            OID_MULTI_TCB_INFO => {
                let mut r = Reader::new(e.value, 0);
                let seq = r.expect(tag::SEQUENCE, "MultiTcbInfo")?;
                r.finish("MultiTcbInfo")?;
                let mut s = Reader::inside(&seq);
                while !s.is_empty() {
                    out.push(tcb_info(&s.read()?)?);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluation time; `None` skips validity.
    pub at: Option<Time>,
}

/// The SPDM certificate-chain header (DSP0274 §10.7.1: u16 LE length,
/// u16 reserved, the root certificate's hash), when `data` starts with one:
/// (header length, hash algorithm name, root hash).
fn spdm_header(data: &[u8]) -> Option<(usize, &'static str, &[u8])> {
    if data.len() < 4 + 32 + 2
        || usize::from(u16::from_le_bytes([data[0], data[1]])) != data.len()
        || data[2..4] != [0, 0]
    {
        return None;
    }
    for (h, name) in [(32, "sha256"), (48, "sha384"), (64, "sha512")] {
        if data.get(4 + h) == Some(&0x30) && Reader::new(&data[4 + h..], 0).read().is_ok() {
            return Some((4 + h, name, &data[4..4 + h]));
        }
    }
    None
}

fn digest(alg: &str, d: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match alg {
        "sha256" => sha2::Sha256::digest(d).to_vec(),
        "sha384" => sha2::Sha384::digest(d).to_vec(),
        _ => sha2::Sha512::digest(d).to_vec(),
    }
}

/// Parse and check an SPDM/DICE certificate or chain.
pub fn inspect(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    let header = spdm_header(data);
    let body = match header {
        Some((n, _, _)) => &data[n..],
        None => data,
    };
    let blobs = certs::split(body).map_err(mal)?;
    let mut chain = Vec::new();
    for (i, b) in blobs.iter().enumerate() {
        chain.push(certs::parse_cert(&b.der, i).map_err(|e| {
            let mut m = mal(e);
            if let Some(o) = m.offset.as_mut() {
                *o += b.offset;
            }
            m
        })?);
    }
    // SPDM chains are root first; accept leaf first too.
    let root_first = chain.len() > 1 && chain[0].self_issued();
    let order: Vec<usize> = if root_first {
        (0..chain.len()).rev().collect()
    } else {
        (0..chain.len()).collect()
    };
    let mut rep = Report::new(
        EvidenceKind::SpdmCertificate,
        format!(
            "SPDM/DICE certificate{}, {} certificate{}{}",
            if chain.len() > 1 { " chain" } else { "" },
            chain.len(),
            if chain.len() == 1 { "" } else { "s" },
            if root_first { ", root first" } else { "" }
        ),
    );
    rep.evaluated_at = opts.at.map(fmt_time);
    if let Some((_, alg, root_hash)) = header {
        // SPDM orders the chain root first; its hash must be the header's.
        let want = digest(alg, &blobs[0].der);
        rep.field(
            "spdm-header.root-hash",
            format!("{alg}:{}", hex::encode(root_hash)),
        );
        rep.check_bool(
            "spdm-root-hash",
            want == root_hash,
            if want == root_hash {
                format!("the header's {alg} root hash is the first certificate's")
            } else {
                format!(
                    "the header's {alg} root hash differs from the first certificate's {}",
                    hex::encode(&want)
                )
            },
        );
    }
    let mut decoded = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let c = &chain[i];
        let role = if pos == 0 {
            "leaf".to_string()
        } else {
            format!("issuer{pos}")
        };
        let info = device_info(c);
        let exts: Vec<String> = c
            .extension(OID_SPDM_EXTENSION)
            .map(|e| spdm_extension(e.value))
            .transpose()
            .map_err(|e| mal(e).tap_context(&format!("certificate {i}")))?
            .unwrap_or_default();
        let tcbs = tcb_infos(c).map_err(|e| mal(e).tap_context(&format!("certificate {i}")))?;
        rep.field(&format!("{role}.subject"), c.subject());
        if let Some(d) = &info {
            rep.field(&format!("{role}.device-info"), d.clone());
            let parts: Vec<&str> = d.splitn(3, ':').collect();
            if parts.len() == 3 {
                rep.field(&format!("{role}.manufacturer"), parts[0]);
                rep.field(&format!("{role}.product"), parts[1]);
                rep.field(&format!("{role}.serial"), parts[2]);
            }
        }
        if !exts.is_empty() {
            rep.field(&format!("{role}.spdm-extension"), exts.join(", "));
        }
        for (k, t) in tcbs.iter().enumerate() {
            let mut v = format!(
                "{} {} {}",
                t.vendor.as_deref().unwrap_or("-"),
                t.model.as_deref().unwrap_or("-"),
                t.version.as_deref().unwrap_or("-")
            );
            if let Some(s) = t.svn {
                v.push_str(&format!(" svn {s}"));
            }
            for (alg, d) in &t.fwids {
                v.push_str(&format!(" fwid {alg}:{d}"));
            }
            rep.field(&format!("{role}.tcb-info.{}", k + 1), v);
        }
        let (nb, na) = c.validity();
        decoded.push(serde_json::json!({
            "subject": c.subject(), "issuer": c.issuer(),
            "serial": c.serial_hex(), "notBefore": nb, "notAfter": na,
            "deviceInfo": info, "spdmExtension": exts, "tcbInfo": tcbs,
        }));
    }
    // Links, leaf upwards.
    let mut problems = Vec::new();
    for w in order.windows(2) {
        let (c, up) = (&chain[w[0]], &chain[w[1]]);
        if c.issuer_raw() != up.subject_raw() {
            problems.push(format!(
                "certificate {} names issuer `{}`, certificate {} is `{}`",
                w[0],
                c.issuer(),
                w[1],
                up.subject()
            ));
        } else if let Err(e) = c.signed_by(up) {
            problems.push(format!(
                "certificate {} is not signed by certificate {}: {e}",
                w[0], w[1]
            ));
        }
    }
    if chain.len() == 1 {
        rep.check(
            "chain-signatures",
            Status::NotApplicable,
            "a single certificate: no chain to verify",
        );
    } else {
        rep.check_bool(
            "chain-signatures",
            problems.is_empty(),
            if problems.is_empty() {
                format!(
                    "{} verified",
                    crate::table::count(chain.len() as u64 - 1, "signature")
                )
            } else {
                problems.join("; ")
            },
        );
    }
    let top = &chain[order[order.len() - 1]];
    rep.check(
        "chain-root",
        Status::NotApplicable,
        format!(
            "strata holds no SPDM/DICE roots: the chain ends at `{}`, which is not judged",
            top.subject()
        ),
    );
    match opts.at {
        None => rep.check(
            "validity",
            Status::NotApplicable,
            "no evaluation time given",
        ),
        Some(at) => {
            let bad: Vec<String> = chain
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.valid_at(at))
                .map(|(i, c)| {
                    let (nb, na) = c.validity();
                    format!("certificate {i} is valid {nb} to {na}")
                })
                .collect();
            rep.check_bool(
                "validity",
                bad.is_empty(),
                if bad.is_empty() {
                    format!("every certificate is valid at {}", fmt_time(at))
                } else {
                    bad.join("; ")
                },
            );
        }
    }
    rep.decoded = serde_json::json!({"certificates": decoded, "rootFirst": root_first});
    Ok(rep)
}

trait TapContext {
    fn tap_context(self, what: &str) -> Self;
}

impl TapContext for Malformed {
    fn tap_context(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}
