//! Getting certificates out of evidence files: PEM (one or many blocks),
//! a single DER certificate, concatenated DER certificates (SPDM/DICE
//! chains without the SPDM header), and the TPM 1.2 NV form of an EK
//! certificate (a 7-byte `TCG_PCCLIENT_STORED_CERT` header).

use super::der::{DerError, DerResult, Reader, tag};
use super::x509::Cert;

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
        let out = pem_blocks(data)?;
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

/// The PEM blocks of `data`, in order, decoded by the `pem` crate. Text
/// between blocks is ignored; a `-----BEGIN ` anywhere but at the start of
/// a line, or anything after an END boundary on its line, is an error (a
/// damaged chain must not lose a certificate silently).
fn pem_blocks(data: &[u8]) -> DerResult<Vec<Blob>> {
    use memchr::memmem;
    let mut out = Vec::new();
    let mut next = 0;
    for start in memmem::find_iter(data, b"-----BEGIN ") {
        let n = out.len() + 1;
        if start > 0 && data[start - 1] != b'\n' {
            return Err(DerError::new(
                start,
                format!("PEM block {n}: BEGIN boundary not at the start of a line"),
            ));
        }
        if start < next {
            return Err(DerError::new(
                start,
                format!("PEM block {n}: BEGIN inside a block"),
            ));
        }
        let rest = &data[start..];
        let end = memmem::find(rest, b"\n-----END ")
            .and_then(|e| {
                let line = &rest[e + 1..];
                let close = memmem::find(&line[9..], b"-----")?;
                Some(e + 1 + 9 + close + 5)
            })
            .ok_or_else(|| DerError::new(start, format!("PEM block {n}: no END line")))?;
        let line_end = rest[end..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| end + i);
        if rest[end..line_end].iter().any(|b| !b.is_ascii_whitespace()) {
            return Err(DerError::new(
                start + end,
                format!("PEM block {n}: text after the END boundary"),
            ));
        }
        let p = pem::parse(&rest[..end])
            .map_err(|e| DerError::new(start, format!("PEM block {n}: {e}")))?;
        out.push(Blob {
            label: Some(p.tag().to_string()),
            der: p.into_contents(),
            offset: 0,
        });
        next = start + end;
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

/// Parse one DER X.509 certificate strictly (see [`Cert::parse`]).
pub fn parse_cert(der: &[u8], index: usize) -> DerResult<Cert<'_>> {
    Cert::parse(der, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &[u8] = include_bytes!("android/roots/software_root_ec_A2059ED10E435B57.pem");

    fn pem_text() -> String {
        String::from_utf8(ROOT.to_vec()).unwrap()
    }

    #[test]
    fn splits_pem_chains_with_text_between_blocks() {
        let one = split(ROOT).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].label.as_deref(), Some("CERTIFICATE"));
        let two = format!("leaf:\n{}\nroot:\r\n{}", pem_text(), pem_text());
        let blobs = split(two.as_bytes()).unwrap();
        assert_eq!(blobs.len(), 2);
        assert_eq!(blobs[0].der, blobs[1].der);
        // Whitespace inside the base64 is ignored (RFC 7468, lax).
        let spaced = pem_text().replacen("\nM", "\n M", 1);
        assert_eq!(split(spaced.as_bytes()).unwrap()[0].der, one[0].der);
    }

    #[test]
    fn damaged_pem_is_an_error_not_a_shorter_chain() {
        let glued = format!("{}{}", pem_text().trim_end(), pem_text());
        let e = split(glued.as_bytes()).unwrap_err();
        assert!(
            e.what.contains("PEM block 1: text after the END boundary"),
            "{e}"
        );
        let mid = format!("x{}", pem_text());
        let e = split(mid.as_bytes()).unwrap_err();
        assert!(e.what.contains("not at the start of a line"), "{e}");
        let truncated = &pem_text()[..pem_text().len() - 30];
        let e = split(truncated.as_bytes()).unwrap_err();
        assert!(e.what.contains("no END line"), "{e}");
        let mismatched = pem_text().replace("END CERTIFICATE", "END CRL");
        assert!(split(mismatched.as_bytes()).is_err());
        let bad64 = pem_text().replacen("\nM", "\n*", 1);
        assert!(split(bad64.as_bytes()).is_err());
    }

    #[test]
    fn der_objects_must_be_sequences_with_nothing_after() {
        let der = split(ROOT).unwrap().remove(0).der;
        let two = [der.clone(), der.clone()].concat();
        let blobs = split(&two).unwrap();
        assert_eq!((blobs.len(), blobs[1].offset), (2, der.len()));
        let mut junk = der.clone();
        junk.push(0x05);
        assert!(split(&junk).is_err());
        assert!(split(&[0x31, 0x00]).is_err());
        assert!(split(&[]).is_err());
    }

    #[test]
    fn tpm_nv_header() {
        let der = split(ROOT).unwrap().remove(0).der;
        let size = u16::try_from(der.len() + 2).unwrap().to_be_bytes();
        let mut nv = vec![0x10, 0x01, 0x00, size[0], size[1], 0x10, 0x02];
        nv.extend(&der);
        assert_eq!(strip_tpm_nv_header(&nv).unwrap(), (&der[..], true));
        assert_eq!(strip_tpm_nv_header(&der).unwrap(), (&der[..], false));
        nv[2] = 0x01;
        assert!(strip_tpm_nv_header(&nv).is_err());
        nv[2] = 0x00;
        nv.truncate(nv.len() - 1);
        assert!(strip_tpm_nv_header(&nv).is_err());
    }
}
