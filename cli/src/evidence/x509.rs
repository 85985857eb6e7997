//! X.509 certificates for the evidence parsers: decoded strictly by
//! RustCrypto `x509-cert` (the stack the Sigstore verifier uses), with the
//! raw encodings strata compares and signs over (TBS, names, public key,
//! extension values and their offsets) located by the strict DER reader.
//!
//! Distinguished names are rendered the way strata's reports always showed
//! them: RDNs in certificate order joined by `, `, multi-valued RDNs joined
//! by ` + `, `CN`/`C`/`L`/`ST`/`O`/`OU`/`DC`/`Email` abbreviations, the
//! registered short name for other X.520 and PKCS #9 attributes, and
//! `OID(dotted)` for the rest; string values as text, other values as
//! uppercase hex.
//!
//! Signatures are verified with aws-lc-rs over the TBS bytes as they appear
//! in the file: RSA PKCS #1 v1.5 (SHA-1 for legacy roots, SHA-256/384/512),
//! RSASSA-PSS with SHA-256/384/512, ECDSA on P-256 and P-384 with SHA-256 or
//! SHA-384, and Ed25519.
//!
//! Strictness: what `x509-cert` rejects (BER lengths, non-canonical
//! BOOLEANs and INTEGERs, trailing bytes) is malformed; on top of it,
//! signature and key BIT STRINGs must be whole octets and the names' OBJECT
//! IDENTIFIERs minimal. `der` 0.7 does not read the rare universal tags it
//! has no type for (UniversalString, GraphicString, GeneralString): a
//! certificate with one in a name is refused as malformed.

use ::der::oid::ObjectIdentifier;
use ::der::{Decode, Reader as _, SliceReader};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectAltName};

use super::der::{Class, DerError, DerResult, Reader, Tlv, hex_unsigned, tag};
use crate::clock::Time;

/// One extension, with its value where it lies in the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The extension OID, dotted.
    pub oid: String,
    /// The contents of the `extnValue` OCTET STRING.
    pub value: &'a [u8],
    /// Offset of `value` in the certificate's DER.
    pub offset: usize,
}

/// A certificate decoded by `x509-cert`, with its raw parts.
#[derive(Debug, Clone)]
pub struct Cert<'a> {
    /// The certificate as decoded by `x509-cert`.
    pub cert: Certificate,
    /// The whole DER.
    pub der: &'a [u8],
    tbs: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
    extensions: Vec<Extension<'a>>,
}

impl<'a> Cert<'a> {
    /// Decode one DER certificate strictly (no trailing bytes); `index` is
    /// its position in the file, for messages.
    pub fn parse(der: &'a [u8], index: usize) -> DerResult<Self> {
        let fail =
            |at: usize, what: String| DerError::new(at, format!("certificate {index}: {what}"));
        let mut r = SliceReader::new(der).map_err(|e| fail(0, e.kind().to_string()))?;
        let cert = Certificate::decode(&mut r).map_err(|e| {
            let at = e.position().and_then(|p| usize::try_from(p).ok());
            fail(at.unwrap_or(0), e.kind().to_string())
        })?;
        if !r.is_finished() {
            let rest = usize::try_from(r.remaining_len()).unwrap_or(0);
            return Err(fail(der.len() - rest, format!("{rest} trailing bytes")));
        }
        // Keys and signatures are whole octets: a BIT STRING claiming
        // unused bits is not one (`der` accepts it as a BIT STRING).
        let spki = &cert.tbs_certificate.subject_public_key_info;
        if cert.signature.unused_bits() != 0 || spki.subject_public_key.unused_bits() != 0 {
            return Err(fail(
                0,
                "signature or public key BIT STRING has unused bits".into(),
            ));
        }
        let raw = RawParts::walk(der).map_err(|e| fail(e.offset, e.what))?;
        // Names are DER too, OBJECT IDENTIFIERs included (`const-oid`
        // accepts a padded arc).
        for (what, name) in [("issuer", &raw.issuer), ("subject", &raw.subject)] {
            name_attributes(name.raw)
                .map_err(|e| fail(name.offset + e.offset, format!("{what}: {}", e.what)))?;
        }
        Ok(Cert {
            cert,
            der,
            tbs: raw.tbs,
            issuer: raw.issuer.raw,
            subject: raw.subject.raw,
            spki: raw.spki,
            extensions: raw.extensions,
        })
    }

    /// The subject, rendered.
    pub fn subject(&self) -> String {
        name_to_string(self.subject)
    }

    /// The issuer, rendered.
    pub fn issuer(&self) -> String {
        name_to_string(self.issuer)
    }

    /// The DER of the subject name.
    pub fn subject_raw(&self) -> &'a [u8] {
        self.subject
    }

    /// The DER of the issuer name.
    pub fn issuer_raw(&self) -> &'a [u8] {
        self.issuer
    }

    /// True when subject and issuer are the same name.
    pub fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    /// The DER of the TBSCertificate, which the signature covers.
    pub fn tbs_raw(&self) -> &'a [u8] {
        self.tbs
    }

    /// SHA-256 of the SubjectPublicKeyInfo, lowercase hex.
    pub fn spki_sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(self.spki))
    }

    /// The serial number as lowercase hex without leading zeros.
    pub fn serial_hex(&self) -> String {
        hex_unsigned(self.cert.tbs_certificate.serial_number.as_bytes())
    }

    /// The signature algorithm OID, dotted.
    pub fn signature_algorithm(&self) -> String {
        self.cert.signature_algorithm.oid.to_string()
    }

    /// The validity window.
    pub fn not_before_after(&self) -> (Time, Time) {
        let v = &self.cert.tbs_certificate.validity;
        (timestamp(v.not_before), timestamp(v.not_after))
    }

    /// The validity window as RFC 3339 strings.
    pub fn validity(&self) -> (String, String) {
        let (nb, na) = self.not_before_after();
        (super::fmt_time(nb), super::fmt_time(na))
    }

    /// True when the certificate is valid at `at`.
    pub fn valid_at(&self, at: Time) -> bool {
        let (nb, na) = self.not_before_after();
        nb <= at && at <= na
    }

    /// The extensions, in certificate order.
    pub fn extensions(&self) -> &[Extension<'a>] {
        &self.extensions
    }

    /// The first extension with `oid`.
    pub fn extension(&self, oid: &str) -> Option<&Extension<'a>> {
        self.extensions.iter().find(|e| e.oid == oid)
    }

    /// The subjectAltName names; `None` when absent, repeated or malformed.
    pub fn subject_alt_names(&self) -> Option<Vec<GeneralName>> {
        match self.cert.tbs_certificate.get::<SubjectAltName>() {
            Ok(Some((_, san))) => Some(san.0),
            _ => None,
        }
    }

    /// The extendedKeyUsage purposes; `None` when absent, repeated or
    /// malformed.
    pub fn extended_key_usage(&self) -> Option<Vec<ObjectIdentifier>> {
        match self.cert.tbs_certificate.get::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => Some(eku.0),
            _ => None,
        }
    }

    /// True when the certificate's basicConstraints says it is a CA.
    pub fn is_ca(&self) -> bool {
        matches!(
            self.cert.tbs_certificate.get::<BasicConstraints>(),
            Ok(Some((_, bc))) if bc.ca
        )
    }

    /// Verify this certificate's signature with `issuer`'s public key.
    pub fn signed_by(&self, issuer: &Cert<'_>) -> Result<(), String> {
        let spki = &issuer.cert.tbs_certificate.subject_public_key_info;
        verify_signature(
            spki,
            &self.cert.signature_algorithm,
            self.cert.signature.raw_bytes(),
            self.tbs,
        )
        .map_err(|e| match e {
            SignatureError::UnsupportedAlgorithm => format!(
                "unsupported signature algorithm {}",
                self.cert.signature_algorithm.oid
            ),
            other => other.to_string(),
        })
    }
}

/// A certificate time as a timestamp.
fn timestamp(t: x509_cert::time::Time) -> Time {
    // `der` times are 1970 to 9999, all of which `Time` holds.
    i64::try_from(t.to_unix_duration().as_secs())
        .ok()
        .and_then(Time::from_unix)
        .unwrap_or(Time::from_timestamp(jiff::Timestamp::MAX))
}

/// The raw encodings of a certificate's parts, found by walking its DER.
struct RawParts<'a> {
    tbs: &'a [u8],
    issuer: Tlv<'a>,
    subject: Tlv<'a>,
    spki: &'a [u8],
    extensions: Vec<Extension<'a>>,
}

impl<'a> RawParts<'a> {
    fn walk(der: &'a [u8]) -> DerResult<Self> {
        let mut top = Reader::new(der, 0);
        let mut cert = top.sequence("Certificate")?;
        let tbs = cert.expect(tag::SEQUENCE, "tbsCertificate")?;
        let mut r = Reader::inside(&tbs);
        r.optional_context(0)?;
        r.expect(tag::INTEGER, "serialNumber")?;
        r.expect(tag::SEQUENCE, "signature")?;
        let issuer = r.expect(tag::SEQUENCE, "issuer")?;
        r.expect(tag::SEQUENCE, "validity")?;
        let subject = r.expect(tag::SEQUENCE, "subject")?;
        let spki = r.expect(tag::SEQUENCE, "subjectPublicKeyInfo")?;
        r.optional_context(1)?;
        r.optional_context(2)?;
        let mut extensions = Vec::new();
        if let Some(wrapped) = r.optional_context(3)? {
            let mut w = Reader::inside(&wrapped);
            let mut list = w.sequence("extensions")?;
            while !list.is_empty() {
                let mut e = list.sequence("extension")?;
                let oid = e.read()?.oid("extnID")?;
                let mut value = e.read()?;
                if value.class == Class::Universal && value.tag == tag::BOOLEAN {
                    value = e.read()?;
                }
                extensions.push(Extension {
                    oid,
                    value: value.octets("extnValue")?,
                    offset: value.content_offset,
                });
            }
        }
        Ok(RawParts {
            tbs: tbs.raw,
            issuer,
            subject,
            spki: spki.raw,
            extensions,
        })
    }
}

/// Why a signature did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The algorithm (or its pairing with the key's curve) is not one
    /// strata verifies.
    UnsupportedAlgorithm,
    /// The signature is not valid for the message and key.
    Invalid,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureError::UnsupportedAlgorithm => "signature unsupported algorithm",
            SignatureError::Invalid => "signature verification error",
        })
    }
}

/// Verify `signature` over `message` with the signer's public key `spki`,
/// for the signature algorithm `alg` (the signed object's
/// `signatureAlgorithm`).
pub fn verify_signature(
    spki: &x509_cert::spki::SubjectPublicKeyInfoOwned,
    alg: &x509_cert::spki::AlgorithmIdentifierOwned,
    signature: &[u8],
    message: &[u8],
) -> Result<(), SignatureError> {
    use aws_lc_rs::signature::{self as sig, UnparsedPublicKey, VerificationAlgorithm};
    let curve = || {
        spki.algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .map(|o| o.to_string())
    };
    let algorithm: &dyn VerificationAlgorithm = match alg.oid.to_string().as_str() {
        // sha1WithRSAEncryption and the OIW sha1WithRSASignature.
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => {
            &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
        }
        "1.2.840.113549.1.1.11" => &sig::RSA_PKCS1_2048_8192_SHA256,
        "1.2.840.113549.1.1.12" => &sig::RSA_PKCS1_2048_8192_SHA384,
        "1.2.840.113549.1.1.13" => &sig::RSA_PKCS1_2048_8192_SHA512,
        "1.2.840.113549.1.1.10" => match pss_hash(alg).as_deref() {
            Some("2.16.840.1.101.3.4.2.1") => &sig::RSA_PSS_2048_8192_SHA256,
            Some("2.16.840.1.101.3.4.2.2") => &sig::RSA_PSS_2048_8192_SHA384,
            Some("2.16.840.1.101.3.4.2.3") => &sig::RSA_PSS_2048_8192_SHA512,
            _ => return Err(SignatureError::UnsupportedAlgorithm),
        },
        "1.2.840.10045.4.3.2" => match curve().as_deref() {
            Some(P256) => &sig::ECDSA_P256_SHA256_ASN1,
            Some(P384) => &sig::ECDSA_P384_SHA256_ASN1,
            _ => return Err(SignatureError::UnsupportedAlgorithm),
        },
        "1.2.840.10045.4.3.3" => match curve().as_deref() {
            Some(P256) => &sig::ECDSA_P256_SHA384_ASN1,
            Some(P384) => &sig::ECDSA_P384_SHA384_ASN1,
            _ => return Err(SignatureError::UnsupportedAlgorithm),
        },
        "1.3.101.112" => &sig::ED25519,
        _ => return Err(SignatureError::UnsupportedAlgorithm),
    };
    UnparsedPublicKey::new(algorithm, spki.subject_public_key.raw_bytes())
        .verify(message, signature)
        .map_err(|_| SignatureError::Invalid)
}

/// secp256r1.
const P256: &str = "1.2.840.10045.3.1.7";
/// secp384r1.
const P384: &str = "1.3.132.0.34";

/// The hash OID of RSASSA-PSS parameters (`[0] hashAlgorithm`); `None`
/// when absent (SHA-1 by default, which strata does not verify) or
/// malformed.
fn pss_hash(alg: &x509_cert::spki::AlgorithmIdentifierOwned) -> Option<String> {
    let params = ::der::Encode::to_der(alg.parameters.as_ref()?).ok()?;
    let mut r = Reader::new(&params, 0);
    let mut seq = r.sequence("RSASSA-PSS-params").ok()?;
    let hash = seq.optional_context(0).ok()??;
    let mut h = Reader::inside(&hash);
    let mut id = h.sequence("hashAlgorithm").ok()?;
    id.read().ok()?.oid("hashAlgorithm").ok()
}

/// Text of one attribute value, as the reports show it (by tag number:
/// the reports never told the classes apart).
fn attribute_value(v: &Tlv<'_>) -> Option<String> {
    match v.tag {
        // NumericString, VisibleString, PrintableString, GeneralString,
        // ObjectDescriptor, GraphicString, T61String, VideotexString,
        // UTF8String, IA5String: the octets as UTF-8.
        18 | 26 | 19 | 27 | 7 | 25 | 20 | 21 | 12 | 22 => {
            std::str::from_utf8(v.content).ok().map(str::to_string)
        }
        // BMPString: UTF-16 (an odd last octet is a code unit of its own).
        30 => {
            let units: Vec<u16> = v
                .content
                .chunks(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    [a] => u16::from(*a),
                    _ => 0,
                })
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => Some(hex::encode_upper(v.content)),
    }
}

/// The short name of an attribute type.
fn attribute_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "Email",
        "0.9.2342.19200300.100.1.1" => "uid",
        "1.2.840.113549.1.9.2" => "unstructuredName",
        "1.2.840.113549.1.9.3" => "contentType",
        "1.2.840.113549.1.9.4" => "id-messageDigest",
        "1.2.840.113549.1.9.5" => "signing-time",
        "1.2.840.113549.1.9.7" => "challengePassword",
        "1.2.840.113549.1.9.14" => "extensionRequest",
        "1.2.840.113549.1.9.15" => "smimeCapabilities",
        "1.2.840.113549.1.9.20" => "friendlyName",
        "1.3.6.1.4.1.311.60.2.1.1" => "msJurisdictionLocality",
        "1.3.6.1.4.1.311.60.2.1.2" => "msJurisdictionStateOrProvince",
        "1.3.6.1.4.1.311.60.2.1.3" => "msJurisdictionCountry",
        "2.5.4.0" => "objectClass",
        "2.5.4.1" => "aliasedEntryName",
        "2.5.4.2" => "knowledgeInformation",
        "2.5.4.4" => "surname",
        "2.5.4.5" => "serialNumber",
        "2.5.4.9" => "streetAddress",
        "2.5.4.12" => "title",
        "2.5.4.13" => "description",
        "2.5.4.14" => "searchGuide",
        "2.5.4.15" => "businessCategory",
        "2.5.4.16" => "postalAddress",
        "2.5.4.17" => "postalCode",
        "2.5.4.41" => "name",
        "2.5.4.42" => "givenName",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.45" => "uniqueIdentifier",
        "2.5.4.46" => "dnQualifier",
        _ => return None,
    })
}

/// Render the DER of a Name.
pub fn name_to_string(der: &[u8]) -> String {
    render_name(der).unwrap_or_else(|| "<X509Error: Invalid X.509 name>".to_string())
}

fn render_name(der: &[u8]) -> Option<String> {
    let mut top = Reader::new(der, 0);
    let mut rdns = top.sequence("Name").ok()?;
    let mut out = String::new();
    while !rdns.is_empty() {
        let set = rdns.read().ok()?;
        let mut atvs = Reader::inside(&set);
        let mut rdn = String::new();
        while !atvs.is_empty() {
            let mut atv = atvs.sequence("AttributeTypeAndValue").ok()?;
            let oid = atv.read().ok()?.oid("type").ok()?;
            let value = attribute_value(&atv.read().ok()?)?;
            let name = attribute_name(&oid).map_or_else(|| format!("OID({oid})"), str::to_string);
            if !rdn.is_empty() {
                rdn.push_str(" + ");
            }
            rdn.push_str(&format!("{name}={value}"));
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&rdn);
    }
    Some(out)
}

/// The attributes of the DER of a Name, in order, as (type OID, value):
/// the value as text when it is a NumericString, PrintableString,
/// UTF8String or IA5String holding UTF-8, otherwise its contents as
/// lowercase hex (how TPM and platform identity attributes are shown).
pub fn name_attributes(der: &[u8]) -> DerResult<Vec<(String, String)>> {
    let mut top = Reader::new(der, 0);
    let mut rdns = top.sequence("Name")?;
    top.finish("Name")?;
    let mut out = Vec::new();
    while !rdns.is_empty() {
        let set = rdns.expect(tag::SET, "RelativeDistinguishedName")?;
        let mut atvs = Reader::inside(&set);
        while !atvs.is_empty() {
            let mut atv = atvs.sequence("AttributeTypeAndValue")?;
            let oid = atv.read()?.oid("type")?;
            let v = atv.read()?;
            atv.finish("AttributeTypeAndValue")?;
            // By tag number, like the names' rendering.
            let text = match v.tag {
                18 | 19 | 12 | 22 => std::str::from_utf8(v.content)
                    .map(str::to_string)
                    .unwrap_or_else(|_| hex::encode(v.content)),
                _ => hex::encode(v.content),
            };
            out.push((oid, text));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::der::build::tlv;

    const ROOT: &[u8] = include_bytes!("../../tests/fixtures/hw/tcg/hirs/stmtpmekroot.crt");
    const INT: &[u8] = include_bytes!("../../tests/fixtures/hw/tcg/hirs/stmtpmekint02.crt");

    /// The certificate with its TBS elements passed through `f`.
    fn rebuild(der: &[u8], f: impl Fn(usize, &[u8]) -> Vec<u8>) -> Vec<u8> {
        let mut top = Reader::new(der, 0);
        let mut cert = top.sequence("c").unwrap();
        let tbs = cert.read().unwrap();
        let rest: Vec<u8> = [cert.read().unwrap().raw, cert.read().unwrap().raw].concat();
        let mut r = Reader::inside(&tbs);
        let mut body = Vec::new();
        let mut i = 0;
        while !r.is_empty() {
            body.extend(f(i, r.read().unwrap().raw));
            i += 1;
        }
        tlv(0x30, &[tlv(0x30, &body), rest].concat())
    }

    #[test]
    fn reads_a_real_chain() {
        let root = Cert::parse(ROOT, 1).unwrap();
        let int = Cert::parse(INT, 0).unwrap();
        assert_eq!(
            int.subject(),
            "C=CH, O=STMicroelectronics NV, CN=STM TPM EK Intermediate CA 02"
        );
        assert_eq!(int.issuer(), root.subject());
        assert_eq!(int.issuer_raw(), root.subject_raw());
        assert!(int.is_ca() && root.is_ca() && !root.self_issued());
        assert_eq!(int.signed_by(&root), Ok(()));
        // Self-signed roots: ECDSA P-384 with SHA-384, RSA with SHA-256.
        for pem in [
            &include_bytes!("android/roots/google_p384_KeyAttestationCA1_84A9D029_2025-2035.pem")[..],
            &include_bytes!("android/roots/google_rsa4096_root_D50FF25BA3F2D6B3_2019-2034.pem")[..],
        ] {
            let der = super::super::certs::split(pem).unwrap().remove(0).der;
            let c = Cert::parse(&der, 0).unwrap();
            assert!(c.self_issued() && c.is_ca());
            assert_eq!(c.signed_by(&c), Ok(()));
        }
        assert_eq!(int.signature_algorithm(), "1.2.840.113549.1.1.11");
        assert_eq!(int.tbs_raw(), &INT[4..4 + int.tbs_raw().len()]);
        // Extension values point into the DER.
        for e in int.extensions() {
            assert_eq!(&INT[e.offset..e.offset + e.value.len()], e.value);
        }
        assert!(int.extension("2.5.29.19").is_some());
    }

    #[test]
    fn a_changed_signature_or_the_wrong_key_fails() {
        let root = Cert::parse(ROOT, 1).unwrap();
        let int = Cert::parse(INT, 0).unwrap();
        assert_eq!(
            root.signed_by(&int).unwrap_err(),
            "signature verification error"
        );
        let mut bad = INT.to_vec();
        let n = bad.len();
        bad[n - 1] ^= 1;
        let bad = Cert::parse(&bad, 0).unwrap();
        assert_eq!(
            bad.signed_by(&root).unwrap_err(),
            "signature verification error"
        );
    }

    #[test]
    fn validity_is_inclusive_and_rfc3339() {
        let int = Cert::parse(INT, 0).unwrap();
        let (nb, na) = int.not_before_after();
        assert!(int.valid_at(nb) && int.valid_at(na));
        let second = |t: Time, d: i64| Time::from_unix(t.unix_seconds() + d).unwrap();
        assert!(!int.valid_at(second(nb, -1)));
        assert!(!int.valid_at(second(na, 1)));
        let (a, b) = int.validity();
        assert!(a.ends_with('Z') && b.ends_with('Z'), "{a} {b}");
    }

    #[test]
    fn rejects_trailing_truncated_and_non_der_certificates() {
        let mut trailing = INT.to_vec();
        trailing.push(0);
        let e = Cert::parse(&trailing, 3).unwrap_err();
        assert_eq!(e.offset, INT.len());
        assert!(e.what.contains("certificate 3: 1 trailing bytes"), "{e}");
        assert!(Cert::parse(&INT[..INT.len() - 1], 0).is_err());
        // The outer SEQUENCE with a non-minimal (3-byte) length.
        let mut long = vec![0x30, 0x83, 0x00];
        long.extend(&INT[2..]);
        assert!(Cert::parse(&long, 0).is_err());
        // Indefinite length.
        let mut indefinite = vec![0x30, 0x80];
        indefinite.extend(&INT[4..]);
        indefinite.extend([0, 0]);
        assert!(Cert::parse(&indefinite, 0).is_err());
        // A SET where the SEQUENCE belongs.
        let mut set = INT.to_vec();
        set[0] = 0x31;
        assert!(Cert::parse(&set, 0).is_err());
        // The serial number with a redundant leading zero octet.
        let padded = rebuild(INT, |i, raw| {
            if i == 1 {
                let mut c = vec![0x00];
                c.extend(&raw[2..]);
                tlv(0x02, &c)
            } else {
                raw.to_vec()
            }
        });
        assert!(Cert::parse(&padded, 0).is_err());
        assert!(Cert::parse(&rebuild(INT, |_, raw| raw.to_vec()), 0).is_ok());
        // A critical flag encoded 0x01 (BER TRUE, not DER).
        let pos = INT
            .windows(3)
            .position(|w| w == [0x01, 0x01, 0xff])
            .unwrap();
        let mut ber_true = INT.to_vec();
        ber_true[pos + 2] = 0x01;
        assert!(Cert::parse(&ber_true, 0).is_err());
    }

    #[test]
    fn names_are_strict_der_and_limited_to_the_string_types_der_knows() {
        let atv = |oid: &[u8], value: Vec<u8>| tlv(0x30, &[tlv(0x06, oid), value].concat());
        let with_subject = |name: Vec<u8>| {
            rebuild(
                INT,
                move |i, raw| if i == 5 { name.clone() } else { raw.to_vec() },
            )
        };
        let cn = |value: Vec<u8>| tlv(0x30, &tlv(0x31, &atv(&[0x55, 0x04, 0x03], value)));
        assert!(Cert::parse(&with_subject(cn(tlv(0x0c, b"ok"))), 0).is_ok());
        // An attribute type with a padded arc (2.5.4.3 as 55 80 04 03).
        let padded = tlv(
            0x30,
            &tlv(0x31, &atv(&[0x55, 0x80, 0x04, 0x03], tlv(0x0c, b"x"))),
        );
        let e = Cert::parse(&with_subject(padded), 0).unwrap_err();
        assert!(
            e.what
                .contains("subject: type: malformed OBJECT IDENTIFIER"),
            "{e}"
        );
        // UniversalString (tag 28), legal in old DirectoryStrings, is not a
        // tag `der` 0.7 reads: such a certificate is refused as malformed,
        // never misread.
        let e = Cert::parse(&with_subject(cn(tlv(0x1c, &[0, 0, 0, 0x41]))), 0).unwrap_err();
        assert!(e.what.contains("0x1c"), "{e}");
    }

    #[test]
    fn renders_names_the_way_reports_show_them() {
        let atv = |oid: &[u8], value: Vec<u8>| tlv(0x30, &[tlv(0x06, oid), value].concat());
        let name = tlv(
            0x30,
            &[
                tlv(0x31, &atv(&[0x55, 0x04, 0x06], tlv(0x13, b"US"))),
                tlv(
                    0x31,
                    &[
                        atv(&[0x55, 0x04, 0x03], tlv(0x0c, b"a")),
                        atv(&[0x55, 0x04, 0x05], tlv(0x13, b"42")),
                    ]
                    .concat(),
                ),
                tlv(
                    0x31,
                    &atv(&[0x67, 0x81, 0x05, 0x02, 0x01], tlv(0x04, &[0xab])),
                ),
                tlv(
                    0x31,
                    &atv(&[0x55, 0x04, 0x0c], tlv(0x1e, &[0x00, 0x54, 0x00, 0xef])),
                ),
                tlv(
                    0x31,
                    &atv(
                        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
                        tlv(0x16, b"x@y"),
                    ),
                ),
            ]
            .concat(),
        );
        assert_eq!(
            name_to_string(&name),
            "C=US, CN=a + serialNumber=42, OID(2.23.133.2.1)=AB, title=T\u{ef}, Email=x@y"
        );
        assert_eq!(
            name_attributes(&name).unwrap()[3],
            ("2.23.133.2.1".to_string(), "ab".to_string())
        );
        let bad_utf8 = tlv(
            0x30,
            &tlv(0x31, &atv(&[0x55, 0x04, 0x03], tlv(0x0c, &[0xff]))),
        );
        assert_eq!(name_to_string(&bad_utf8), "<X509Error: Invalid X.509 name>");
        assert_eq!(name_to_string(&tlv(0x30, &[])), "");
    }
}
