//! Fulcio v2: trade an OIDC token and a public key for a short-lived
//! signing certificate (`POST /api/v2/signingCert`).
//!
//! The request carries the token, the public key as PEM and a proof of
//! possession: the key's signature over the token's subject (its `email`
//! claim, else `sub`). The answer is a certificate chain, leaf first, whose
//! leaf embeds the SCT of Fulcio's CT log. A detached SCT cannot travel in
//! a bundle v0.3, so such an answer is refused.

use serde_json::{Value, json};
use sigstore_types::DerCertificate;
use x509_cert::der::Decode;

use super::{Transport, error_message, http_status_text, join_url};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::sigstore::keys::SigningKey;

/// Fulcio's signing-certificate endpoint, relative to its base URL.
pub const SIGNING_CERT_PATH: &str = "/api/v2/signingCert";

fn fulcio_error(url: &str, msg: impl Into<String>) -> Error {
    Error::invalid(Diagnostic::error(Code::Fulcio, msg.into()).help(format!(
        "Fulcio endpoint: {url} (set another with --fulcio-url)"
    )))
}

/// The JSON request: token, PEM public key, proof of possession.
pub fn request_body(token: &str, key: &SigningKey, proof_subject: &str) -> Result<Vec<u8>> {
    let proof = key.sign(proof_subject.as_bytes())?;
    let body = json!({
        "credentials": {"oidcIdentityToken": token},
        "publicKeyRequest": {
            "publicKey": {"algorithm": "ECDSA", "content": key.public_key_pem()},
            "proofOfPossession": super::b64(&proof)
        }
    });
    Ok(body.to_string().into_bytes())
}

/// Ask Fulcio for a certificate; returns the chain, leaf first.
pub fn signing_certificate(
    transport: &dyn Transport,
    base: &str,
    token: &str,
    key: &SigningKey,
    proof_subject: &str,
) -> Result<Vec<DerCertificate>> {
    let url = join_url(base, SIGNING_CERT_PATH);
    super::check_url(&url, "Fulcio")?;
    let body = request_body(token, key, proof_subject)?;
    let reply = transport
        .post_json(&url, &body)
        .map_err(|e| fulcio_error(&url, format!("cannot reach Fulcio: {e}")))?;
    if !(200..300).contains(&reply.status) {
        let hint = match reply.status {
            401 | 403 => {
                " (the identity token was refused: expired, wrong audience, or an issuer this Fulcio does not trust)"
            }
            _ => "",
        };
        return Err(fulcio_error(
            &url,
            format!(
                "Fulcio answered HTTP {}{hint}: {}",
                http_status_text(reply.status),
                error_message(&reply.body)
            ),
        ));
    }
    parse_chain(&reply.body).map_err(|e| fulcio_error(&url, e))
}

/// Read the certificate chain out of Fulcio's answer.
pub fn parse_chain(body: &[u8]) -> std::result::Result<Vec<DerCertificate>, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("Fulcio's answer is not JSON: {e}"))?;
    if v.get("signedCertificateDetachedSct").is_some() {
        return Err("Fulcio returned a certificate with a detached SCT; a bundle v0.3 needs the SCT embedded in the certificate (public-good Fulcio embeds it)".into());
    }
    let pems = v
        .pointer("/signedCertificateEmbeddedSct/chain/certificates")
        .and_then(Value::as_array)
        .ok_or("Fulcio's answer has no signedCertificateEmbeddedSct.chain.certificates")?;
    let mut chain = Vec::new();
    for (i, p) in pems.iter().enumerate() {
        let text = p
            .as_str()
            .ok_or(format!("certificate {i} of Fulcio's chain is not a string"))?;
        for block in pem::parse_many(text)
            .map_err(|e| format!("certificate {i} of Fulcio's chain is not PEM: {e}"))?
        {
            if block.tag() != "CERTIFICATE" {
                continue;
            }
            x509_cert::Certificate::from_der(block.contents()).map_err(|e| {
                format!("certificate {i} of Fulcio's chain is not an X.509 certificate: {e}")
            })?;
            chain.push(DerCertificate::new(block.contents().to_vec()));
        }
    }
    if chain.is_empty() {
        return Err("Fulcio's answer holds no certificate".into());
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_read_and_detached_scts_refused() {
        let e = parse_chain(br#"{"signedCertificateDetachedSct":{"chain":{"certificates":[]}}}"#)
            .unwrap_err();
        assert!(e.contains("detached SCT"), "{e}");
        let e = parse_chain(br#"{"signedCertificateEmbeddedSct":{"chain":{"certificates":[]}}}"#)
            .unwrap_err();
        assert!(e.contains("no certificate"), "{e}");
        let e = parse_chain(b"<html>").unwrap_err();
        assert!(e.contains("not JSON"), "{e}");
        let e = parse_chain(
            br#"{"signedCertificateEmbeddedSct":{"chain":{"certificates":["-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n"]}}}"#,
        )
        .unwrap_err();
        assert!(e.contains("not an X.509"), "{e}");
    }
}
