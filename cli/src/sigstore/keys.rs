//! Signing keys: ECDSA P-256, P-384 and P-521 from PEM, signing
//! deterministically; and ECDSA verification for the same curves.
//!
//! Keys are read from unencrypted PEM: PKCS#8 (`PRIVATE KEY`, what
//! `openssl genpkey` writes) or SEC1 (`EC PRIVATE KEY`, what
//! `openssl ecparam -genkey` writes). Encrypted keys, including cosign's
//! `ENCRYPTED SIGSTORE PRIVATE KEY`, are refused with a hint.
//!
//! Each curve signs with its own hash, as Sigstore's protobuf specs and
//! OpenSSF model-signing pair them: P-256 with SHA-256, P-384 with SHA-384,
//! P-521 with SHA-512. P-256 and P-384 nonces are RFC 6979 deterministic
//! (the RustCrypto `p256`/`p384` crates), so signing the same payload with
//! the same key gives the same bytes: a re-signed attestation that did not
//! change does not show up as a diff in git. RustCrypto's P-521 has no RFC
//! 6979 signer in its 0.13 line, so P-521 keys are read and sign with
//! aws-lc-rs, with randomised nonces. Verifiers cannot tell RFC 6979
//! signatures from randomised ones; verification is aws-lc-rs for every
//! curve.

use std::path::{Path, PathBuf};

use aws_lc_rs::signature::{ECDSA_P521_SHA512_ASN1_SIGNING, EcdsaKeyPair};
use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
use sigstore_types::DerPublicKey;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// The NIST curves strata signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// secp256r1, signed with SHA-256.
    P256,
    /// secp384r1, signed with SHA-384.
    P384,
    /// secp521r1, signed with SHA-512.
    P521,
}

impl Curve {
    /// The curve's name as OpenSSL spells it.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256 (SHA-256)",
            Curve::P384 => "P-384 (SHA-384)",
            Curve::P521 => "P-521 (SHA-512)",
        }
    }

    /// The curve of a SubjectPublicKeyInfo, and its SEC1 point.
    pub fn of_spki(der: &[u8]) -> std::result::Result<(Curve, Vec<u8>), String> {
        use x509_cert::der::Decode;
        use x509_cert::der::oid::ObjectIdentifier;
        let spki = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| format!("not a SubjectPublicKeyInfo: {e}"))?;
        if spki.algorithm.oid.to_string() != "1.2.840.10045.2.1" {
            return Err(format!(
                "not an elliptic-curve key (algorithm {})",
                spki.algorithm.oid
            ));
        }
        let curve_oid = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .map(|o| o.to_string())
            .unwrap_or_default();
        let curve = match curve_oid.as_str() {
            "1.2.840.10045.3.1.7" => Curve::P256,
            "1.3.132.0.34" => Curve::P384,
            "1.3.132.0.35" => Curve::P521,
            other => {
                return Err(format!(
                    "unsupported curve `{other}` (P-256, P-384 and P-521 are supported)"
                ));
            }
        };
        Ok((curve, spki.subject_public_key.raw_bytes().to_vec()))
    }
}

enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    /// RustCrypto's P-521 has no RFC 6979 signer in the 0.13 line, so
    /// P-521 signs with aws-lc-rs and randomised nonces.
    P521(EcdsaKeyPair),
}

/// An ECDSA signing key.
pub struct SigningKey {
    key: Inner,
    public: DerPublicKey,
    /// The file it was read from.
    pub path: PathBuf,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("path", &self.path)
            .field("curve", &self.curve())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// The public key, DER SubjectPublicKeyInfo.
    pub fn public_key(&self) -> &DerPublicKey {
        &self.public
    }

    /// The public key as PEM, the way OpenSSL and Python's `cryptography`
    /// write it (64-column base64, LF line ends).
    pub fn public_key_pem(&self) -> String {
        public_key_pem(self.public.as_bytes())
    }

    /// The key's curve.
    pub fn curve(&self) -> Curve {
        match self.key {
            Inner::P256(_) => Curve::P256,
            Inner::P384(_) => Curve::P384,
            Inner::P521(_) => Curve::P521,
        }
    }

    /// Sign `message` (hashed with the curve's hash), returning an ASN.1
    /// DER signature. Deterministic (RFC 6979) for P-256 and P-384;
    /// randomised for P-521.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        use p256::ecdsa::signature::Signer as _;
        Ok(match &self.key {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::P521(k) => k
                .sign(&aws_lc_rs::rand::SystemRandom::new(), message)
                .map_err(|_| {
                    Error::invalid(bad_key(
                        &self.path,
                        "aws-lc-rs could not sign with this P-521 key",
                    ))
                })?
                .as_ref()
                .to_vec(),
        })
    }

    /// Build a signing key from PKCS#8 DER (used by tests and examples).
    pub fn from_pkcs8_der(der: &[u8], path: &Path) -> Result<Self> {
        if let Ok(s) = p256::SecretKey::from_pkcs8_der(der) {
            return Self::build(
                Inner::P256(s.clone().into()),
                s.public_key().to_public_key_der(),
                path,
            );
        }
        if let Ok(s) = p384::SecretKey::from_pkcs8_der(der) {
            return Self::build(
                Inner::P384(s.clone().into()),
                s.public_key().to_public_key_der(),
                path,
            );
        }
        match EcdsaKeyPair::from_pkcs8(&ECDSA_P521_SHA512_ASN1_SIGNING, der) {
            Ok(k) => Self::p521(k, path),
            Err(e) => Err(Error::invalid(bad_key(
                path,
                &format!("not an unencrypted PKCS#8 ECDSA P-256, P-384 or P-521 key ({e})"),
            ))),
        }
    }

    /// Build a signing key from SEC1 DER (`EC PRIVATE KEY`).
    fn from_sec1_der(der: &[u8], path: &Path) -> Result<Self> {
        if let Ok(s) = p256::SecretKey::from_sec1_der(der) {
            return Self::build(
                Inner::P256(s.clone().into()),
                s.public_key().to_public_key_der(),
                path,
            );
        }
        if let Ok(s) = p384::SecretKey::from_sec1_der(der) {
            return Self::build(
                Inner::P384(s.clone().into()),
                s.public_key().to_public_key_der(),
                path,
            );
        }
        // SEC1 only: `from_private_key_der` would take PKCS#8 too.
        let sec1 = sec1_ec_private_key(der).map_err(|e| {
            Error::invalid(bad_key(
                path,
                &format!("not a SEC1 ECDSA P-256, P-384 or P-521 key ({e})"),
            ))
        })?;
        match EcdsaKeyPair::from_private_key_der(&ECDSA_P521_SHA512_ASN1_SIGNING, sec1) {
            Ok(k) => Self::p521(k, path),
            Err(e) => Err(Error::invalid(bad_key(
                path,
                &format!("not a SEC1 ECDSA P-256, P-384 or P-521 key ({e})"),
            ))),
        }
    }

    fn p521(key: EcdsaKeyPair, path: &Path) -> Result<Self> {
        use aws_lc_rs::encoding::AsDer;
        use aws_lc_rs::signature::KeyPair;
        let public = key.public_key().as_der().map_err(|e| {
            Error::invalid(bad_key(path, &format!("cannot encode its public key: {e}")))
        })?;
        Ok(SigningKey {
            public: DerPublicKey::new(public.as_ref().to_vec()),
            key: Inner::P521(key),
            path: path.to_path_buf(),
        })
    }

    fn build(
        key: Inner,
        public: std::result::Result<p256::pkcs8::Document, p256::pkcs8::spki::Error>,
        path: &Path,
    ) -> Result<Self> {
        let public = public.map_err(|e| {
            Error::invalid(bad_key(path, &format!("cannot encode its public key: {e}")))
        })?;
        Ok(SigningKey {
            key,
            public: DerPublicKey::new(public.as_bytes().to_vec()),
            path: path.to_path_buf(),
        })
    }
}

/// An RFC 5915 `ECPrivateKey`, what a PEM `EC PRIVATE KEY` block holds.
/// Decoded to check its shape; aws-lc-rs reads the key.
#[derive(der::Sequence)]
#[allow(dead_code)]
struct EcPrivateKey<'a> {
    version: u8,
    private_key: der::asn1::OctetStringRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    parameters: Option<der::asn1::ObjectIdentifier>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    public_key: Option<der::asn1::BitStringRef<'a>>,
}

/// `der` when it is a version 1 `ECPrivateKey` (and not, say, PKCS #8
/// under the SEC1 label, which aws-lc-rs would also read).
fn sec1_ec_private_key(der: &[u8]) -> std::result::Result<&[u8], String> {
    use der::Decode;
    let k = EcPrivateKey::from_der(der).map_err(|e| e.to_string())?;
    if k.version != 1 {
        return Err(format!("ECPrivateKey version {} is not 1", k.version));
    }
    Ok(der)
}

/// A fresh ECDSA P-256 private key from the system's random source, as
/// PKCS#8 DER.
pub fn generate_p256_pkcs8() -> Result<Vec<u8>> {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};
    let rng = aws_lc_rs::rand::SystemRandom::new();
    EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
        .map(|k| k.as_ref().to_vec())
        .map_err(|_| Error::internal("cannot generate a P-256 key", "the random source failed"))
}

/// A PKCS#8 DER private key as PEM (`PRIVATE KEY`, 64-column base64, LF).
pub fn private_key_pem(pkcs8_der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new("PRIVATE KEY", pkcs8_der.to_vec()),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

/// A DER SubjectPublicKeyInfo as PEM, the way OpenSSL and Python's
/// `cryptography` write it: 64-column base64 and LF line ends.
pub fn public_key_pem(spki_der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new("PUBLIC KEY", spki_der.to_vec()),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

/// Verify an ASN.1 DER ECDSA signature over `message` with a public key
/// given as DER SubjectPublicKeyInfo, hashing with the curve's hash.
pub fn verify_ecdsa(
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> std::result::Result<Curve, String> {
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_ASN1, ECDSA_P384_SHA384_ASN1, ECDSA_P521_SHA512_ASN1, UnparsedPublicKey,
    };
    let (curve, point) = Curve::of_spki(spki_der)?;
    let alg = match curve {
        Curve::P256 => &ECDSA_P256_SHA256_ASN1,
        Curve::P384 => &ECDSA_P384_SHA384_ASN1,
        Curve::P521 => &ECDSA_P521_SHA512_ASN1,
    };
    UnparsedPublicKey::new(alg, point)
        .verify(message, signature)
        .map(|_| curve)
        .map_err(|_| {
            format!(
                "the {} signature does not verify with this key",
                curve.name()
            )
        })
}

/// Read an ECDSA P-256, P-384 or P-521 public key (PEM `PUBLIC KEY`) as
/// DER SubjectPublicKeyInfo, with its curve.
pub fn load_ec_public_key(path: &Path) -> Result<(Vec<u8>, Curve)> {
    let bytes = fsutil::read_bounded(path, MAX_KEY_BYTES)?;
    let bad = |msg: String| {
        Error::invalid(
            Diagnostic::error(Code::BadPublicKey, msg)
                .in_file(path)
                .help("give the signer's ECDSA P-256, P-384 or P-521 public key as PEM (`openssl ec -in KEY -pubout`)"),
        )
    };
    let text = String::from_utf8(bytes).map_err(|_| bad("not a PEM file".into()))?;
    let blocks = pem::parse_many(&text).map_err(|e| bad(format!("not PEM: {e}")))?;
    let block = blocks
        .iter()
        .find(|b| b.tag() == "PUBLIC KEY")
        .ok_or_else(|| bad("no PUBLIC KEY block in the file".into()))?;
    let (curve, _) = Curve::of_spki(block.contents()).map_err(bad)?;
    Ok((block.contents().to_vec(), curve))
}

/// Largest key file read: 64 KiB.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Read an ECDSA P-256, P-384 or P-521 private key from PEM.
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
        "EC PRIVATE KEY" => SigningKey::from_sec1_der(block.contents(), path),
        "ENCRYPTED PRIVATE KEY" => refused(
            "the key is encrypted",
            "decrypt it to a file only you can read: `openssl pkcs8 -in KEY -out PLAIN.pem`",
        ),
        tag if tag.starts_with("ENCRYPTED") => refused(
            &format!("`{tag}` (a cosign-encrypted key) is not supported"),
            "export an unencrypted PKCS#8 ECDSA key, or sign with cosign",
        ),
        tag => refused(
            &format!("`{tag}` keys are not supported"),
            "strata signs with ECDSA P-256, P-384 or P-521 keys (PKCS#8 or SEC1 PEM)",
        ),
    }
}

fn bad_key(path: &Path, msg: &str) -> Diagnostic {
    Diagnostic::error(Code::BadSigningKey, msg.to_string()).in_file(path)
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
        let a = k.sign(b"hello").unwrap();
        assert_eq!(a, k.sign(b"hello").unwrap(), "RFC 6979 is deterministic");
        assert_ne!(a, k.sign(b"hellO").unwrap());
        sigstore_verify::crypto::verify_signature(
            k.public_key(),
            b"hello",
            &sigstore_types::SignatureBytes::new(a),
            sigstore_verify::crypto::SigningScheme::EcdsaP256Sha256,
        )
        .unwrap();
    }

    /// A throwaway P-521 key, PKCS#8 and SEC1, generated for this test
    /// only with `openssl genpkey`; `P521_SPKI` is `openssl pkey -pubout`.
    const P521_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAvlTTrylCrNNqZrVS
4wq6+bp3q5CrIL+alSIF7/2ZPmaaM6GR17Au48flcUYbgoia1MKpo/y3NQv3ybI+
Ucfy9Z+hgYkDgYYABAHCWbq3hBP62FIU38vn4/zd/3GCjq0tzHX9V7P0W2UhUTNg
Pc8044yCYjgRz3alS4nzYX9M0piv3D6UEU/VR7nfLgENmHjUrnHV6QFeto/gzF9m
VJp2V0LIiW29V81LOQLsw2jZTivVE+KrBqsbldXZiG5g9FgTH6ejI3qOk/SxXbLB
tw==
-----END PRIVATE KEY-----
";
    const P521_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MIHcAgEBBEIAvlTTrylCrNNqZrVS4wq6+bp3q5CrIL+alSIF7/2ZPmaaM6GR17Au
48flcUYbgoia1MKpo/y3NQv3ybI+Ucfy9Z+gBwYFK4EEACOhgYkDgYYABAHCWbq3
hBP62FIU38vn4/zd/3GCjq0tzHX9V7P0W2UhUTNgPc8044yCYjgRz3alS4nzYX9M
0piv3D6UEU/VR7nfLgENmHjUrnHV6QFeto/gzF9mVJp2V0LIiW29V81LOQLsw2jZ
TivVE+KrBqsbldXZiG5g9FgTH6ejI3qOk/SxXbLBtw==
-----END EC PRIVATE KEY-----
";
    const P521_SPKI: &str = "30819b301006072a8648ce3d020106052b81040023038186000401c259bab78413fad85214dfcbe7e3fcddff71828ead2dcc75fd57b3f45b65215133603dcf34e38c82623811cf76a54b89f3617f4cd298afdc3e94114fd547b9df2e010d9878d4ae71d5e9015eb68fe0cc5f66549a765742c8896dbd57cd4b3902ecc368d94e2bd513e2ab06ab1b95d5d9886e60f458131fa7a3237a8e93f4b15db2c1b7";

    #[test]
    fn p521_keys_load_from_pkcs8_and_sec1_and_sign() {
        let dir = tempfile::tempdir().unwrap();
        for (name, pem) in [("pkcs8.pem", P521_PKCS8), ("sec1.pem", P521_SEC1)] {
            let p = dir.path().join(name);
            std::fs::write(&p, pem).unwrap();
            let k = load_signing_key(&p).unwrap();
            assert_eq!(k.curve(), Curve::P521, "{name}");
            assert_eq!(hex::encode(k.public_key().as_bytes()), P521_SPKI, "{name}");
            let sig = k.sign(b"payload").unwrap();
            let spki = hex::decode(P521_SPKI).unwrap();
            assert_eq!(verify_ecdsa(&spki, b"payload", &sig), Ok(Curve::P521));
            assert!(verify_ecdsa(&spki, b"payloaD", &sig).is_err());
        }
    }

    #[test]
    fn a_pkcs8_body_under_the_sec1_label_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.pem");
        let body = pem::parse(P521_PKCS8).unwrap().into_contents();
        std::fs::write(&p, pem::encode(&pem::Pem::new("EC PRIVATE KEY", body))).unwrap();
        let e = load_signing_key(&p).unwrap_err().to_string();
        assert!(e.contains("not a SEC1"), "{e}");
    }

    #[test]
    fn spki_curves_and_refusals() {
        let spki = hex::decode(P521_SPKI).unwrap();
        assert_eq!(Curve::of_spki(&spki).unwrap().0, Curve::P521);
        // Trailing bytes, a truncated key and a non-minimal length are not
        // a SubjectPublicKeyInfo.
        let mut trailing = spki.clone();
        trailing.push(0);
        assert!(Curve::of_spki(&trailing).is_err());
        assert!(Curve::of_spki(&spki[..spki.len() - 1]).is_err());
        let mut long = vec![0x30, 0x82, 0x00, 0x9b];
        long.extend(&spki[3..]);
        assert!(Curve::of_spki(&long).is_err());
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
