//! Who a Sigstore bundle says signed it, for `strata diff` and `strata log`.
//!
//! This reads the claim, it does not verify it: the identity is the leaf
//! certificate's subject alternative name (e-mail or URI) with the OIDC
//! issuer from the Fulcio extension, or the public-key hint of a key-based
//! bundle. `strata verify` is what checks a signature.

use base64::Engine;
use serde_json::Value;
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode, asn1::Utf8StringRef, oid::ObjectIdentifier};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

/// Fulcio's OIDC issuer extension, v2 (DER UTF8String).
const ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// Fulcio's OIDC issuer extension, v1 (raw string).
const ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
/// Subject alternative name.
const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

/// The signer identity a bundle claims, as one line.
pub fn identity(bundle: &[u8]) -> String {
    let Ok(v) = serde_json::from_slice::<Value>(bundle) else {
        return "unreadable bundle (not JSON)".to_string();
    };
    let vm = v.get("verificationMaterial");
    let cert_b64 = vm
        .and_then(|m| m.pointer("/certificate/rawBytes"))
        .or_else(|| vm.and_then(|m| m.pointer("/x509CertificateChain/certificates/0/rawBytes")))
        .and_then(Value::as_str);
    if let Some(b64) = cert_b64 {
        return match base64::engine::general_purpose::STANDARD.decode(b64) {
            Ok(der) => certificate_identity(&der),
            Err(_) => "unreadable certificate (bad base64)".to_string(),
        };
    }
    if let Some(hint) = vm
        .and_then(|m| m.pointer("/publicKey/hint"))
        .and_then(Value::as_str)
    {
        return format!("key {hint}");
    }
    "no signer identity in the bundle".to_string()
}

fn certificate_identity(der: &[u8]) -> String {
    let Ok(cert) = Certificate::from_der(der) else {
        return "unreadable certificate (bad DER)".to_string();
    };
    let mut san = Vec::new();
    let mut issuer = None;
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        let bytes = ext.extn_value.as_bytes();
        if ext.extn_id == SAN {
            if let Ok(names) = SubjectAltName::from_der(bytes) {
                for n in names.0 {
                    match n {
                        GeneralName::Rfc822Name(s) => san.push(s.to_string()),
                        GeneralName::UniformResourceIdentifier(s) => san.push(s.to_string()),
                        GeneralName::DnsName(s) => san.push(s.to_string()),
                        _ => {}
                    }
                }
            }
        } else if ext.extn_id == ISSUER_V2 {
            issuer = Utf8StringRef::from_der(bytes).ok().map(|s| s.to_string());
        } else if ext.extn_id == ISSUER_V1 && issuer.is_none() {
            issuer = std::str::from_utf8(bytes).ok().map(str::to_string);
        }
    }
    let who = if san.is_empty() {
        cert.tbs_certificate.subject.to_string()
    } else {
        san.join(", ")
    };
    let fingerprint = cert
        .to_der()
        .map(|d| crate::digest::Digest::of(&d).short())
        .unwrap_or_default();
    match issuer {
        Some(i) => format!("{who} (issuer {i})"),
        None if fingerprint.is_empty() => who,
        None => format!("{who} (certificate {fingerprint})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
    /// -subj /O=sigstore.dev -addext subjectAltName=email:alice@example.org
    /// -addext 1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:https://accounts.example.org`
    pub(crate) const ALICE_CERT: &str = include_str!("../../tests/fixtures/signers/alice.cert.b64");

    #[test]
    fn certificate_identity_is_san_and_issuer() {
        let bundle = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {"certificate": {"rawBytes": ALICE_CERT.trim()}}
        });
        assert_eq!(
            identity(bundle.to_string().as_bytes()),
            "alice@example.org (issuer https://accounts.example.org)"
        );
    }

    #[test]
    fn key_hints_and_garbage() {
        let b = serde_json::json!({"verificationMaterial": {"publicKey": {"hint": "abc"}}});
        assert_eq!(identity(b.to_string().as_bytes()), "key abc");
        assert_eq!(identity(b"{}"), "no signer identity in the bundle");
        assert_eq!(identity(b"nope"), "unreadable bundle (not JSON)");
    }
}
