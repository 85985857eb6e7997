//! TPM endorsement key (EK) certificates: plain DER or PEM, or the TPM 1.2
//! NV form with its 7-byte `TCG_PCCLIENT_STORED_CERT` header.
//!
//! Decoded: the TPM manufacturer, model and firmware version from the
//! subjectAltName directoryName (2.23.133.2.1/2/3; the manufacturer is a
//! 4-byte TCG vendor id such as `STM `), the EK extended key usage
//! (2.23.133.8.1), issuer, serial and validity.
//!
//! Checks: `ek-key-usage` (the EKU names the EK certificate purpose),
//! `chain-signatures` (up through the issuer certificates given, each link
//! verified; skipped without them), `validity` at the evaluation time.

use x509_cert::ext::pkix::name::GeneralName;

use super::certs;
use super::report::{Report, Status};
use super::x509::{Cert, name_attributes};
use super::{Malformed, fmt_time};
use crate::clock::Time;
use crate::diag::Code;
use crate::model::EvidenceKind;

/// OID of the TCG EK certificate extended key usage.
pub const OID_EK_CERTIFICATE: &str = "2.23.133.8.1";

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluation time; `None` skips validity.
    pub at: Option<Time>,
    /// Issuer certificates (DER), any order.
    pub issuers: Vec<Vec<u8>>,
}

fn mal(e: super::der::DerError) -> Malformed {
    Malformed::at(Code::TpmEkCertificateMalformed, e)
}

/// Whether `data` is an EK certificate (NV header, or the EK EKU or TPM
/// subjectAltName attributes).
pub fn detect(data: &[u8]) -> bool {
    if matches!(certs::strip_tpm_nv_header(data), Ok((_, true))) {
        return true;
    }
    let Ok(blobs) = certs::split(data) else {
        return false;
    };
    blobs.len() == 1
        && certs::parse_cert(&blobs[0].der, 0)
            .is_ok_and(|c| tpm_attrs(&c).0.is_some() || has_ek_eku(&c))
}

fn has_ek_eku(c: &Cert<'_>) -> bool {
    c.extended_key_usage()
        .is_some_and(|e| e.iter().any(|o| o.to_string() == OID_EK_CERTIFICATE))
}

/// (manufacturer, model, version) from the subjectAltName.
fn tpm_attrs(c: &Cert<'_>) -> (Option<String>, Option<String>, Option<String>) {
    let mut out = (None, None, None);
    for g in c.subject_alt_names().unwrap_or_default() {
        let GeneralName::DirectoryName(n) = g else {
            continue;
        };
        let Ok(der) = ::der::Encode::to_der(&n) else {
            continue;
        };
        for (oid, v) in name_attributes(&der).unwrap_or_default() {
            match oid.as_str() {
                "2.23.133.2.1" => out.0 = Some(v),
                "2.23.133.2.2" => out.1 = Some(v),
                "2.23.133.2.3" => out.2 = Some(v),
                _ => {}
            }
        }
    }
    out
}

/// `family level L revision R` from the subjectDirectoryAttributes
/// tpmSpecification attribute (2.23.133.2.16), when present.
fn tpm_specification(c: &Cert<'_>) -> Option<String> {
    use super::der::{Reader, tag};
    let ext = c.extension("2.5.29.9")?;
    let mut r = Reader::new(ext.value, 0);
    let seq = r.expect(tag::SEQUENCE, "subjectDirectoryAttributes").ok()?;
    let mut attrs = Reader::inside(&seq);
    while !attrs.is_empty() {
        let mut a = attrs.sequence("attribute").ok()?;
        let oid = a.read().ok()?.oid("type").ok()?;
        let set = a.read().ok()?;
        if oid != "2.23.133.2.16" {
            continue;
        }
        let v = set.set_of("tpmSpecification").ok()?.into_iter().next()?;
        let mut f = Reader::inside(&v);
        let family = f.read().ok()?.string("family").ok()?;
        let level = f.read().ok()?.int("level").ok()?;
        let revision = f.read().ok()?.int("revision").ok()?;
        return Some(format!("{family} level {level} revision {revision}"));
    }
    None
}

/// `id:53544D20` → `STM ` (the TCG vendor id as ASCII), when printable.
fn vendor_ascii(id: &str) -> Option<String> {
    let h = id.strip_prefix("id:")?;
    let b = hex::decode(h).ok()?;
    b.iter()
        .all(|x| x.is_ascii_graphic() || *x == b' ')
        .then(|| String::from_utf8_lossy(&b).trim_end().to_string())
}

/// Parse and check an EK certificate.
pub fn inspect(data: &[u8], opts: &Options) -> Result<Report, Malformed> {
    let (raw, had_header) = certs::strip_tpm_nv_header(data).map_err(mal)?;
    let blobs = if had_header {
        vec![certs::Blob {
            label: None,
            der: raw.to_vec(),
            offset: 7,
        }]
    } else {
        certs::split(raw).map_err(mal)?
    };
    if blobs.len() != 1 {
        return Err(Malformed::new(
            Code::TpmEkCertificateMalformed,
            format!(
                "{} objects in the file; an EK certificate file holds one",
                blobs.len()
            ),
        ));
    }
    let c = certs::parse_cert(&blobs[0].der, 0).map_err(|e| {
        let mut m = mal(e);
        if let Some(o) = m.offset.as_mut() {
            *o += blobs[0].offset;
        }
        m
    })?;
    let (mfr, model, version) = tpm_attrs(&c);
    let mut rep = Report::new(
        EvidenceKind::TpmEkCertificate,
        format!(
            "TPM endorsement key certificate{}",
            if had_header {
                " (TPM NV storage form, 7-byte header removed)"
            } else {
                ""
            }
        ),
    );
    rep.evaluated_at = opts.at.map(fmt_time);
    rep.field_opt(
        "tpm.manufacturer",
        mfr.as_ref().map(|m| match vendor_ascii(m) {
            Some(a) => format!("{m} ({a})"),
            None => m.clone(),
        }),
    );
    rep.field_opt("tpm.model", model.clone());
    rep.field_opt("tpm.version", version.clone());
    let spec = tpm_specification(&c);
    rep.field_opt("tpm.specification", spec.clone());
    rep.field("issuer", c.issuer());
    rep.field("serial", c.serial_hex());
    let (nb, na) = c.validity();
    rep.field("not-before", nb.clone());
    rep.field("not-after", na.clone());
    rep.field("public-key-sha256", c.spki_sha256());
    if had_header {
        rep.field("nv-header", "true");
    }
    rep.check_bool(
        "ek-key-usage",
        has_ek_eku(&c),
        if has_ek_eku(&c) {
            "extendedKeyUsage names tcg-kp-EKCertificate (2.23.133.8.1)".to_string()
        } else {
            "extendedKeyUsage does not name tcg-kp-EKCertificate (2.23.133.8.1)".to_string()
        },
    );
    chain_check(&c, &opts.issuers, &mut rep);
    match opts.at {
        None => rep.check(
            "validity",
            Status::NotApplicable,
            "no evaluation time given",
        ),
        Some(at) => rep.check_bool(
            "validity",
            c.valid_at(at),
            format!("valid {nb} to {na}, evaluated at {}", fmt_time(at)),
        ),
    }
    rep.decoded = serde_json::json!({
        "subject": c.subject(), "issuer": c.issuer(),
        "serial": c.serial_hex(), "notBefore": nb, "notAfter": na,
        "tpmManufacturer": mfr, "tpmModel": model, "tpmVersion": version, "tpmSpecification": spec,
        "nvHeader": had_header,
    });
    Ok(rep)
}

/// Walk from `leaf` up through `issuers` by name, verifying each link;
/// records `chain-signatures`.
pub fn chain_check(leaf: &Cert<'_>, issuers: &[Vec<u8>], rep: &mut Report) {
    if issuers.is_empty() {
        rep.check(
            "chain-signatures",
            Status::NotApplicable,
            format!("issuer `{}` certificate not given", leaf.issuer()),
        );
        return;
    }
    let parsed: Vec<Cert<'_>> = issuers
        .iter()
        .enumerate()
        .filter_map(|(i, d)| certs::parse_cert(d, i).ok())
        .collect();
    let mut cur = leaf.clone();
    let mut links = Vec::new();
    for _ in 0..=parsed.len() {
        if cur.self_issued() {
            break;
        }
        let Some(up) = parsed.iter().find(|p| p.subject_raw() == cur.issuer_raw()) else {
            break;
        };
        if let Err(e) = cur.signed_by(up) {
            rep.check(
                "chain-signatures",
                Status::Fail,
                format!(
                    "`{}` is not signed by `{}`: {e}",
                    cur.subject(),
                    up.subject()
                ),
            );
            return;
        }
        links.push(format!("`{}`", up.subject()));
        cur = up.clone();
    }
    if links.is_empty() {
        rep.check(
            "chain-signatures",
            Status::Fail,
            format!("no given certificate is the issuer `{}`", leaf.issuer()),
        );
    } else {
        rep.check(
            "chain-signatures",
            Status::Pass,
            format!("verified up to {}", links.join(" → ")),
        );
        rep.check(
            "chain-root",
            Status::NotApplicable,
            format!(
                "strata holds no manufacturer roots: the chain ends at `{}`, which is not judged",
                cur.subject()
            ),
        );
    }
}
