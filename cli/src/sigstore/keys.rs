//! Signing keys: ECDSA P-256 from PEM, signing deterministically.
//!
//! Keys are read from unencrypted PEM: PKCS#8 (`PRIVATE KEY`, what
//! `openssl genpkey` writes) or SEC1 (`EC PRIVATE KEY`, what
//! `openssl ecparam -genkey` writes). Encrypted keys, including cosign's
//! `ENCRYPTED SIGSTORE PRIVATE KEY`, are refused with a hint.
//!
//! Signatures are ECDSA P-256 with SHA-256 and RFC 6979 deterministic
//! nonces (the RustCrypto `p256` crate), so signing the same payload with
//! the same key gives the same bytes: a re-signed attestation that did not
//! change does not show up as a diff in git. Verifiers cannot tell RFC 6979
//! signatures from randomised ones.

use std::path::{Path, PathBuf};

use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
use sigstore_types::DerPublicKey;

use crate::diag::{Diagnostic, Error, Result};
use crate::fsutil;

/// An ECDSA P-256 signing key.
pub struct SigningKey {
    key: p256::ecdsa::SigningKey,
    public: DerPublicKey,
    /// The file it was read from.
    pub path: PathBuf,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// The public key, DER SubjectPublicKeyInfo.
    pub fn public_key(&self) -> &DerPublicKey {
        &self.public
    }

    /// Sign `message` (hashed with SHA-256), returning an ASN.1 DER
    /// signature. Deterministic (RFC 6979).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let sig: p256::ecdsa::Signature = self.key.sign(message);
        sig.to_der().as_bytes().to_vec()
    }

    /// Build a signing key from PKCS#8 DER (used by tests and examples).
    pub fn from_pkcs8_der(der: &[u8], path: &Path) -> Result<Self> {
        let secret = p256::SecretKey::from_pkcs8_der(der).map_err(|e| {
            Error::invalid(bad_key(
                path,
                &format!("not an unencrypted PKCS#8 ECDSA P-256 key ({e})"),
            ))
        })?;
        Self::from_secret(secret, path)
    }

    fn from_secret(secret: p256::SecretKey, path: &Path) -> Result<Self> {
        let public = secret.public_key().to_public_key_der().map_err(|e| {
            Error::invalid(bad_key(path, &format!("cannot encode its public key: {e}")))
        })?;
        Ok(SigningKey {
            key: p256::ecdsa::SigningKey::from(secret),
            public: DerPublicKey::new(public.as_bytes().to_vec()),
            path: path.to_path_buf(),
        })
    }
}

/// Largest key file read: 64 KiB.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Read an ECDSA P-256 private key from PEM.
pub fn load_signing_key(path: &Path) -> Result<SigningKey> {
    let bytes = fsutil::read_bounded(path, MAX_KEY_BYTES)?;
    let text =
        String::from_utf8(bytes).map_err(|_| Error::invalid(bad_key(path, "not a PEM file")))?;
    let blocks = pem::parse_many(&text)
        .map_err(|e| Error::invalid(bad_key(path, &format!("not PEM: {e}"))))?;
    let Some(block) = blocks.iter().find(|b| b.tag().contains("PRIVATE KEY")) else {
        return Err(Error::invalid(bad_key(
            path,
            "no PRIVATE KEY block in the file",
        )));
    };
    let refused = |msg: &str, help: &str| Err(Error::invalid(bad_key(path, msg).help(help)));
    match block.tag() {
        "PRIVATE KEY" => SigningKey::from_pkcs8_der(block.contents(), path),
        "EC PRIVATE KEY" => {
            let secret = p256::SecretKey::from_sec1_der(block.contents()).map_err(|e| {
                Error::invalid(bad_key(path, &format!("not a SEC1 ECDSA P-256 key ({e})")))
            })?;
            SigningKey::from_secret(secret, path)
        }
        "ENCRYPTED PRIVATE KEY" => refused(
            "the key is encrypted",
            "decrypt it to a file only you can read: `openssl pkcs8 -in KEY -out PLAIN.pem`",
        ),
        tag if tag.starts_with("ENCRYPTED") => refused(
            &format!("`{tag}` (a cosign-encrypted key) is not supported"),
            "export an unencrypted PKCS#8 ECDSA P-256 key, or sign with cosign",
        ),
        tag => refused(
            &format!("`{tag}` keys are not supported"),
            "strata signs with ECDSA P-256 keys (PKCS#8 or SEC1 PEM)",
        ),
    }
}

fn bad_key(path: &Path, msg: &str) -> Diagnostic {
    Diagnostic::error("bad-signing-key", msg.to_string()).in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway P-256 key (PKCS#8), generated for this test only.
    const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMrLrrn50u9PhYBVe
UGGtZeJ9+ZhRPCsUZ0r0Ia6wT/uhRANCAAT1AblRJKMNK2nIsZXhnIdCkOu7/W78
Gq/U2SERJ4nDJbBnALP9/2L5mrWpN/xMPwJDWGhoZYy/6E0gSGg61spm
-----END PRIVATE KEY-----
";

    #[test]
    fn signs_deterministically_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.pem");
        std::fs::write(&p, TEST_KEY).unwrap();
        let k = load_signing_key(&p).unwrap();
        let a = k.sign(b"hello");
        assert_eq!(a, k.sign(b"hello"), "RFC 6979 is deterministic");
        assert_ne!(a, k.sign(b"hellO"));
        sigstore_verify::crypto::verify_signature(
            k.public_key(),
            b"hello",
            &sigstore_types::SignatureBytes::new(a),
            sigstore_verify::crypto::SigningScheme::EcdsaP256Sha256,
        )
        .unwrap();
    }

    #[test]
    fn encrypted_and_foreign_keys_are_refused_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.pem");
        std::fs::write(
            &p,
            "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nYWJj\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
        )
        .unwrap();
        let e = load_signing_key(&p).unwrap_err().to_string();
        assert!(e.contains("cosign-encrypted"), "{e}");
        std::fs::write(&p, "hello").unwrap();
        assert!(load_signing_key(&p).is_err());
    }
}
