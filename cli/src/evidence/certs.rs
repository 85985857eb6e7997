//! Getting certificates out of evidence files: PEM (one or many blocks),
//! a single DER certificate, concatenated DER certificates (SPDM/DICE
//! chains without the SPDM header), and the TPM 1.2 NV form of an EK
//! certificate (a 7-byte `TCG_PCCLIENT_STORED_CERT` header).

use x509_parser::prelude::*;

use super::der::{DerError, DerResult, Reader, tag};

/// One encoded object found in a file, with its PEM label (`None` for DER).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// PEM label, e.g. `CERTIFICATE`; `None` when the file was DER.
    pub label: Option<String>,
    /// The DER bytes.
    pub der: Vec<u8>,
    /// Byte offset in the (DER) file, 0 for PEM blocks.
    pub offset: usize,
}

/// True when `data` looks like PEM text.
pub fn is_pem(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    head.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Split a file into its DER objects: PEM blocks in order, or consecutive
/// top-level DER elements (each must be a SEQUENCE; nothing may trail).
pub fn split(data: &[u8]) -> DerResult<Vec<Blob>> {
    if is_pem(data) {
        let mut out = Vec::new();
        for (i, p) in x509_parser::pem::Pem::iter_from_buffer(data).enumerate() {
            let p = p.map_err(|e| DerError::new(0, format!("PEM block {}: {e}", i + 1)))?;
            out.push(Blob {
                label: Some(p.label),
                der: p.contents,
                offset: 0,
            });
        }
        if out.is_empty() {
            return Err(DerError::new(0, "no PEM block found"));
        }
        return Ok(out);
    }
    let mut r = Reader::new(data, 0);
    let mut out = Vec::new();
    while !r.is_empty() {
        let t = r.read()?;
        t.expect_universal(tag::SEQUENCE, "DER object")?;
        out.push(Blob {
            label: None,
            der: t.raw.to_vec(),
            offset: t.offset,
        });
    }
    if out.is_empty() {
        return Err(DerError::new(0, "empty file"));
    }
    Ok(out)
}

/// Strip the TPM 1.2 NV storage header from an EK certificate, if present:
/// `10 01` (stored cert tag), `00` (full cert), a big-endian u16 size,
/// `10 02` (full cert tag), then the DER certificate, whose length must
/// match the size. Returns the DER and whether a header was removed.
pub fn strip_tpm_nv_header(data: &[u8]) -> DerResult<(&[u8], bool)> {
    if data.len() < 7 || data[0] != 0x10 || data[1] != 0x01 {
        return Ok((data, false));
    }
    if data[2] != 0x00 {
        return Err(DerError::new(
            2,
            format!(
                "TPM NV certificate header: certType 0x{:02x} is not a full certificate (0x00)",
                data[2]
            ),
        ));
    }
    let size = usize::from(u16::from_be_bytes([data[3], data[4]]));
    if data[5] != 0x10 || data[6] != 0x02 {
        return Err(DerError::new(
            5,
            "TPM NV certificate header: missing TCG_FULL_CERT tag 0x1002",
        ));
    }
    if size < 2 || data.len() < 5 + size {
        return Err(DerError::new(
            3,
            format!(
                "TPM NV certificate header: size {size} exceeds the {} bytes present",
                data.len() - 5
            ),
        ));
    }
    Ok((&data[7..5 + size], true))
}

/// Parse one DER X.509 certificate strictly: x509-parser's parse, with no
/// trailing bytes allowed.
pub fn parse_cert<'a>(der: &'a [u8], index: usize) -> DerResult<X509Certificate<'a>> {
    match X509Certificate::from_der(der) {
        Ok(([], c)) => Ok(c),
        Ok((rest, _)) => Err(DerError::new(
            der.len() - rest.len(),
            format!("certificate {index}: {} trailing bytes", rest.len()),
        )),
        Err(e) => Err(DerError::new(0, format!("certificate {index}: {e}"))),
    }
}

/// SHA-256 of a certificate's SubjectPublicKeyInfo, lowercase hex.
pub fn spki_sha256(c: &X509Certificate<'_>) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(c.public_key().raw))
}

/// A certificate's validity as RFC 3339 strings.
pub fn validity(c: &X509Certificate<'_>) -> (String, String) {
    let f = |t: &ASN1Time| {
        t.to_datetime()
            .format(&::time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| t.to_string())
    };
    (f(&c.validity().not_before), f(&c.validity().not_after))
}

/// True when `c` is valid at `at`.
pub fn valid_at(c: &X509Certificate<'_>, at: ::time::OffsetDateTime) -> bool {
    let t = ASN1Time::from(at);
    c.validity().not_before <= t && t <= c.validity().not_after
}

/// Verify `c`'s signature with `issuer`'s public key.
pub fn signed_by(c: &X509Certificate<'_>, issuer: &X509Certificate<'_>) -> Result<(), String> {
    c.verify_signature(Some(issuer.public_key()))
        .map_err(|e| match e {
            X509Error::SignatureUnsupportedAlgorithm => format!(
                "unsupported signature algorithm {}",
                c.signature_algorithm.algorithm
            ),
            other => other.to_string(),
        })
}

/// The serial number as lowercase hex without leading zeros.
pub fn serial_hex(c: &X509Certificate<'_>) -> String {
    super::der::hex_unsigned(c.raw_serial())
}

/// True when the certificate's basicConstraints says it is a CA.
pub fn is_ca(c: &X509Certificate<'_>) -> bool {
    matches!(c.basic_constraints(), Ok(Some(bc)) if bc.value.ca)
}
