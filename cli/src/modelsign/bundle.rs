//! Model signature files: Sigstore bundles v0.3 as OpenSSF model-signing
//! writes and reads them.
//!
//! model-signing's key and certificate modes build the bundle from the
//! protobuf specs directly: a DSSE envelope, no transparency log entry, and
//! as verification material either a public-key hint (the lowercase hex
//! SHA-256 of the PEM public key) or an `x509CertificateChain` holding the
//! leaf and the rest of the chain (the protobuf specs reserve that field
//! for v0.1/v0.2 bundles, but model-signing writes it in v0.3 and its
//! verifiers expect it there, so strata does the same for compatibility).
//! Its Sigstore mode writes an ordinary keyless bundle, which strata hands
//! to its full Sigstore verifier.

use std::path::Path;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// Media type model-signing writes and requires for key and certificate
/// bundles.
pub const MEDIA_TYPE_V03: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// DSSE payload type of in-toto statements.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// Largest signature file read: 512 MiB (a manifest of millions of files).
pub const MAX_SIGNATURE_BYTES: u64 = 512 * 1024 * 1024;

/// What signed, as the bundle says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Material {
    /// A bare key, with its hint (may be empty in older bundles).
    PublicKey {
        /// Hex SHA-256 of the PEM public key, as model-signing writes it.
        hint: String,
    },
    /// A certificate chain, leaf first (model-signing's certificate mode).
    Chain(Vec<Vec<u8>>),
    /// A single certificate with transparency-log entries: a Sigstore
    /// (keyless) bundle.
    Sigstore,
}

/// A model signature, parsed far enough to verify.
#[derive(Debug, Clone)]
pub struct ModelBundle {
    /// `mediaType` as written.
    pub media_type: String,
    /// The verification material.
    pub material: Material,
    /// The DSSE payload type.
    pub payload_type: String,
    /// The DSSE payload, decoded, exactly as signed.
    pub payload: Vec<u8>,
    /// The signature over the payload's PAE, DER.
    pub signature: Vec<u8>,
}

/// DSSE pre-authentication encoding of `payload`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Serialise a key- or certificate-mode bundle: pretty JSON with a
/// trailing newline.
pub fn write(material: &Material, payload: &[u8], signature: &[u8]) -> Result<Vec<u8>> {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let vm = match material {
        Material::PublicKey { hint } => json!({"publicKey": {"hint": hint}, "tlogEntries": []}),
        Material::Chain(certs) => json!({
            "x509CertificateChain": {
                "certificates": certs.iter().map(|c| json!({"rawBytes": b64(c)})).collect::<Vec<_>>()
            },
            "tlogEntries": []
        }),
        Material::Sigstore => json!({"tlogEntries": []}),
    };
    let doc = json!({
        "mediaType": MEDIA_TYPE_V03,
        "verificationMaterial": vm,
        "dsseEnvelope": {
            "payload": b64(payload),
            "payloadType": PAYLOAD_TYPE,
            "signatures": [{"sig": b64(signature), "keyid": ""}]
        }
    });
    let mut out = crate::diag::to_json_pretty(&doc)?.into_bytes();
    out.push(b'\n');
    Ok(out)
}

/// Read a model signature file: the parsed bundle and the file's text
/// (for the Sigstore verifier, so the file is read once).
pub fn read(path: &Path) -> Result<(ModelBundle, String)> {
    let bytes = fsutil::read_bounded(path, MAX_SIGNATURE_BYTES)?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| crate::sigstore::input::json_error(path, &e))?;
    let bundle = parse(&value).map_err(|m| {
        Error::invalid(
            Diagnostic::error(Code::ModelSignatureMalformed, m)
                .in_file(path)
                .help("a model signature is a Sigstore bundle written by `strata model sign` or `model_signing sign`"),
        )
    })?;
    // Valid JSON is UTF-8.
    Ok((bundle, String::from_utf8_lossy(&bytes).into_owned()))
}

fn b64(v: &Value, what: &str) -> std::result::Result<Vec<u8>, String> {
    let s = v.as_str().ok_or(format!("{what} is not a string"))?;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("{what} is not base64: {e}"))
}

/// Parse the bundle JSON.
pub fn parse(v: &Value) -> std::result::Result<ModelBundle, String> {
    let media_type = v
        .get("mediaType")
        .and_then(Value::as_str)
        .ok_or("no mediaType: not a Sigstore bundle")?
        .to_string();
    let vm = v
        .get("verificationMaterial")
        .ok_or("no verificationMaterial")?;
    let material = if let Some(pk) = vm.get("publicKey") {
        Material::PublicKey {
            hint: pk
                .get("hint")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }
    } else if let Some(chain) = vm.get("x509CertificateChain") {
        let certs = chain
            .get("certificates")
            .and_then(Value::as_array)
            .ok_or("x509CertificateChain has no certificates")?;
        if certs.is_empty() {
            return Err("x509CertificateChain is empty".into());
        }
        let has_tlog = vm
            .get("tlogEntries")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if has_tlog {
            Material::Sigstore
        } else {
            Material::Chain(
                certs
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        b64(
                            c.get("rawBytes").unwrap_or(&Value::Null),
                            &format!("certificate {i}"),
                        )
                    })
                    .collect::<std::result::Result<_, _>>()?,
            )
        }
    } else if vm.get("certificate").is_some() {
        Material::Sigstore
    } else {
        return Err(
            "verificationMaterial has no publicKey, certificate or x509CertificateChain".into(),
        );
    };
    if v.get("messageSignature").is_some() {
        return Err("the bundle holds a message signature, not a DSSE envelope: it is not a model signature".into());
    }
    let env = v.get("dsseEnvelope").ok_or("no dsseEnvelope")?;
    let payload_type = env
        .get("payloadType")
        .and_then(Value::as_str)
        .ok_or("dsseEnvelope has no payloadType")?
        .to_string();
    let payload = b64(
        env.get("payload").unwrap_or(&Value::Null),
        "dsseEnvelope.payload",
    )?;
    let sigs = env
        .get("signatures")
        .and_then(Value::as_array)
        .ok_or("dsseEnvelope has no signatures")?;
    let [sig] = sigs.as_slice() else {
        return Err(format!(
            "dsseEnvelope has {} signatures; a model signature has exactly one",
            sigs.len()
        ));
    };
    let signature = b64(sig.get("sig").unwrap_or(&Value::Null), "the signature")?;
    Ok(ModelBundle {
        media_type,
        material,
        payload_type,
        payload,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_bundles_parse_back() {
        let m = Material::PublicKey { hint: "ab".into() };
        let bytes = write(&m, b"{}", b"sig").unwrap();
        let b = parse(&serde_json::from_slice(&bytes).unwrap()).unwrap();
        assert_eq!(b.material, m);
        assert_eq!(b.payload, b"{}");
        assert_eq!(b.signature, b"sig");
        assert_eq!(b.media_type, MEDIA_TYPE_V03);
        let m = Material::Chain(vec![b"leaf".to_vec(), b"ca".to_vec()]);
        let b = parse(&serde_json::from_slice(&write(&m, b"{}", b"s").unwrap()).unwrap()).unwrap();
        assert_eq!(b.material, m);
    }

    #[test]
    fn pae_matches_the_dsse_spec() {
        assert_eq!(pae("t", b"ab"), b"DSSEv1 1 t 2 ab");
    }

    #[test]
    fn broken_bundles_say_why() {
        let e = parse(&json!({"mediaType": MEDIA_TYPE_V03})).unwrap_err();
        assert!(e.contains("verificationMaterial"), "{e}");
        let e = parse(
            &json!({"mediaType": MEDIA_TYPE_V03, "verificationMaterial": {"publicKey": {}},
            "messageSignature": {}}),
        )
        .unwrap_err();
        assert!(e.contains("message signature"), "{e}");
        let e = parse(
            &json!({"mediaType": MEDIA_TYPE_V03, "verificationMaterial": {"publicKey": {}},
            "dsseEnvelope": {"payloadType": PAYLOAD_TYPE, "payload": "e30=", "signatures": []}}),
        )
        .unwrap_err();
        assert!(e.contains("0 signatures"), "{e}");
        let e = parse(&json!({"mediaType": MEDIA_TYPE_V03, "verificationMaterial": {"publicKey": {}},
            "dsseEnvelope": {"payloadType": PAYLOAD_TYPE, "payload": "!!", "signatures": [{"sig": ""}]}})).unwrap_err();
        assert!(e.contains("base64"), "{e}");
    }
}
