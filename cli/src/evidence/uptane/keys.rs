//! TUF/Uptane signing: canonical JSON, public keys, and signature checks.
//!
//! Signatures cover the OLPC canonical JSON form of the `signed` object
//! (keys sorted by code point, no whitespace, only `"` and `\` escaped,
//! integers only), as securesystemslib and aktualizr produce it. Keys are
//! `ed25519` (hex or base64 public key) or `rsa` with a PEM public key and
//! the `rsassa-pss-sha256` scheme; signatures are hex or base64.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

/// A public key from root metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Ed25519, 32 bytes.
    Ed25519(Vec<u8>),
    /// RSA, PKCS#1 RSAPublicKey DER, verified with RSASSA-PSS.
    RsaPss {
        /// RSAPublicKey DER.
        pkcs1: Vec<u8>,
        /// Hash for PSS: 256 or 512 (from the scheme).
        sha: u16,
    },
}

/// Canonical JSON bytes of `v`, or why it has none.
pub fn canonical(v: &Value) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    write(v, &mut out, 0)?;
    Ok(out)
}

fn write(v: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
    if depth > 128 {
        return Err("nesting too deep for canonical JSON".into());
    }
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                out.extend_from_slice(n.to_string().as_bytes());
            } else {
                return Err(format!(
                    "number {n} is not an integer; canonical JSON has no floats"
                ));
            }
        }
        Value::String(s) => string(s, out),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(x, out, depth + 1)?;
            }
            out.push(b']');
        }
        Value::Object(o) => {
            let sorted: BTreeMap<&String, &Value> = o.iter().collect();
            out.push(b'{');
            for (i, (k, x)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(k, out);
                out.push(b':');
                write(x, out, depth + 1)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Hex when the text is even-length hex, else standard base64.
pub fn decode_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.is_empty() && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return hex::decode(s).ok();
    }
    B64.decode(s.trim()).ok()
}

/// Parse a TUF key object (`{"keytype", "scheme"?, "keyval": {"public"}}`).
pub fn parse_key(k: &Value) -> Result<PublicKey, String> {
    let keytype = k
        .get("keytype")
        .and_then(Value::as_str)
        .ok_or("key has no `keytype`")?
        .to_ascii_lowercase();
    let public = k
        .pointer("/keyval/public")
        .and_then(Value::as_str)
        .ok_or("key has no `keyval.public`")?;
    match keytype.as_str() {
        "ed25519" => {
            let b = decode_bytes(public).ok_or("ed25519 public key is neither hex nor base64")?;
            if b.len() != 32 {
                return Err(format!("ed25519 public key is {} bytes, not 32", b.len()));
            }
            Ok(PublicKey::Ed25519(b))
        }
        "rsa" => {
            let scheme = k
                .get("scheme")
                .and_then(Value::as_str)
                .unwrap_or("rsassa-pss-sha256");
            let sha = match scheme {
                "rsassa-pss-sha256" => 256,
                "rsassa-pss-sha512" => 512,
                other => {
                    return Err(format!(
                        "RSA scheme `{other}` is not supported (RSASSA-PSS only)"
                    ));
                }
            };
            Ok(PublicKey::RsaPss {
                pkcs1: rsa_pkcs1(public)?,
                sha,
            })
        }
        other => Err(format!("key type `{other}` is not supported")),
    }
}

/// The PKCS#1 RSAPublicKey inside a PEM `PUBLIC KEY` (SPKI) or
/// `RSA PUBLIC KEY` block.
fn rsa_pkcs1(pem: &str) -> Result<Vec<u8>, String> {
    use ::der::Decode;
    let blob = super::super::certs::split(pem.as_bytes())
        .map_err(|e| format!("RSA public key: {e}"))?
        .into_iter()
        .next()
        .ok_or("RSA public key: no PEM block")?;
    match blob.label.as_deref() {
        Some("RSA PUBLIC KEY") => Ok(blob.der),
        Some("PUBLIC KEY") => {
            let spki = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(&blob.der)
                .map_err(|e| format!("RSA public key: {e}"))?;
            Ok(spki.subject_public_key.raw_bytes().to_vec())
        }
        other => Err(format!("RSA public key: unexpected PEM label {other:?}")),
    }
}

/// Verify `sig` over `msg` with `key`.
pub fn verify(key: &PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    use aws_lc_rs::signature::{self, UnparsedPublicKey};
    match key {
        PublicKey::Ed25519(k) => UnparsedPublicKey::new(&signature::ED25519, k)
            .verify(msg, sig)
            .is_ok(),
        PublicKey::RsaPss { pkcs1, sha } => {
            let alg = if *sha == 512 {
                &signature::RSA_PSS_2048_8192_SHA512
            } else {
                &signature::RSA_PSS_2048_8192_SHA256
            };
            UnparsedPublicKey::new(alg, pkcs1).verify(msg, sig).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        let v: Value =
            serde_json::from_str(r#"{"b":[1,true,null],"a":"x\"y\\z","c":{"z":1,"y":-2}}"#)
                .unwrap();
        assert_eq!(
            String::from_utf8(canonical(&v).unwrap()).unwrap(),
            r#"{"a":"x\"y\\z","b":[1,true,null],"c":{"y":-2,"z":1}}"#
        );
        let f: Value = serde_json::from_str(r#"{"a":1.5}"#).unwrap();
        assert!(canonical(&f).is_err());
    }
}
