//! Trust material: Sigstore trusted roots, public keys and CA certificates.
//!
//! The default trusted root is Sigstore's public-good root as embedded in
//! `sigstore-trust-root` (a snapshot of the TUF-distributed
//! `trusted_root.json`); strata never fetches one. `--trusted-root FILE`
//! replaces it. A public key (`--key`) or an organisation's CA (`--ca`) are
//! read from PEM.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sigstore_trust_root::{
    SIGSTORE_PRODUCTION_TRUSTED_ROOT, SIGSTORE_STAGING_TRUSTED_ROOT, TrustedRoot,
};
use sigstore_types::{DerCertificate, DerPublicKey};
use sigstore_verify::crypto::KeyAlgorithm;
use x509_cert::der::Decode;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// Largest PEM key or certificate file read: 1 MiB.
pub const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// A trusted root and where it came from.
#[derive(Debug, Clone)]
pub struct Root {
    /// The parsed root.
    pub root: TrustedRoot,
    /// `embedded public-good`, `embedded staging`, or the file.
    pub source: String,
}

/// Which trusted root to load.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RootChoice {
    /// Sigstore public-good, embedded in the binary.
    #[default]
    PublicGood,
    /// Sigstore staging, embedded in the binary.
    Staging,
    /// A `trusted_root.json` file.
    File(PathBuf),
}

/// Load a trusted root. A file that is not JSON or not a trusted root is an
/// input error.
pub fn load_root(choice: &RootChoice) -> Result<Root> {
    match choice {
        RootChoice::PublicGood => Ok(Root {
            root: embedded(SIGSTORE_PRODUCTION_TRUSTED_ROOT)?,
            source: "embedded Sigstore public-good trusted root".into(),
        }),
        RootChoice::Staging => Ok(Root {
            root: embedded(SIGSTORE_STAGING_TRUSTED_ROOT)?,
            source: "embedded Sigstore staging trusted root".into(),
        }),
        RootChoice::File(path) => {
            let text = fsutil::read_text(path)?;
            let _: Value =
                serde_json::from_str(&text).map_err(|e| super::input::json_error(path, &e))?;
            let root = TrustedRoot::from_json(&text).map_err(|e| {
                Error::invalid(
                    Diagnostic::error(Code::BadTrustedRoot, format!("not a trusted root: {e}"))
                        .in_file(path),
                )
            })?;
            Ok(Root {
                root,
                source: path.display().to_string(),
            })
        }
    }
}

fn embedded(json: &str) -> Result<TrustedRoot> {
    TrustedRoot::from_json(json).map_err(|e| {
        Error::invalid(Diagnostic::error(
            Code::BadTrustedRoot,
            format!("the embedded trusted root does not parse: {e}"),
        ))
    })
}

/// A public key read from `PUBLIC KEY` PEM.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// DER SubjectPublicKeyInfo.
    pub der: DerPublicKey,
    /// Its algorithm.
    pub algorithm: KeyAlgorithm,
    /// The file.
    pub path: PathBuf,
}

impl PublicKey {
    /// Hex SHA-256 of the SubjectPublicKeyInfo.
    pub fn sha256_hex(&self) -> String {
        spki_sha256_hex(&self.der)
    }
}

/// Hex SHA-256 of a DER SubjectPublicKeyInfo.
pub fn spki_sha256_hex(der: &DerPublicKey) -> String {
    hex::encode(sigstore_verify::crypto::sha256(der.as_bytes()).as_bytes())
}

/// Read a public key (`-----BEGIN PUBLIC KEY-----`).
pub fn load_public_key(path: &Path) -> Result<PublicKey> {
    let text = read_pem_text(path)?;
    let der = DerPublicKey::from_pem(&text).map_err(|e| bad_pem(path, "public key", &e))?;
    let algorithm =
        KeyAlgorithm::from_spki(&der).map_err(|e| bad_pem(path, "supported public key", &e))?;
    Ok(PublicKey {
        der,
        algorithm,
        path: path.to_path_buf(),
    })
}

/// Read every `CERTIFICATE` block of a PEM file (at least one).
pub fn load_certificates(path: &Path) -> Result<Vec<DerCertificate>> {
    let text = read_pem_text(path)?;
    let blocks = pem::parse_many(&text).map_err(|e| bad_pem(path, "certificate", &e))?;
    let mut certs = Vec::new();
    for b in blocks {
        if b.tag() != "CERTIFICATE" {
            continue;
        }
        x509_cert::Certificate::from_der(b.contents())
            .map_err(|e| bad_pem(path, "X.509 certificate", &e))?;
        certs.push(DerCertificate::new(b.contents().to_vec()));
    }
    if certs.is_empty() {
        return Err(Error::invalid(
            Diagnostic::error(Code::BadPem, "no CERTIFICATE block in the file").in_file(path),
        ));
    }
    Ok(certs)
}

fn read_pem_text(path: &Path) -> Result<String> {
    let bytes = fsutil::read_bounded(path, MAX_PEM_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::invalid(Diagnostic::error(Code::BadPem, "not a PEM file (not UTF-8)").in_file(path))
    })
}

fn bad_pem(path: &Path, what: &str, e: &dyn std::fmt::Display) -> Error {
    Error::invalid(Diagnostic::error(Code::BadPem, format!("not a PEM {what}: {e}")).in_file(path))
}

/// A certificate's subject and issuer, for messages.
pub fn describe_certificate(der: &DerCertificate) -> String {
    match x509_cert::Certificate::from_der(der.as_bytes()) {
        Ok(c) => {
            let subject = c.tbs_certificate.subject.to_string();
            if subject.is_empty() {
                format!("empty subject, issuer `{}`", c.tbs_certificate.issuer)
            } else {
                format!("subject `{subject}`, issuer `{}`", c.tbs_certificate.issuer)
            }
        }
        Err(_) => "unparseable certificate".into(),
    }
}

/// True for a self-signed certificate (subject equals issuer).
pub fn is_self_issued(der: &DerCertificate) -> bool {
    x509_cert::Certificate::from_der(der.as_bytes())
        .map(|c| c.tbs_certificate.subject == c.tbs_certificate.issuer)
        .unwrap_or(false)
}

/// Trust material as a user names it (`--key`, `--ca`, `--identity`,
/// `--identity-regexp`, `--issuer`, `--trusted-root`, or the same keys in a
/// policy rule), turned into verification [`Options`] by [`TrustSpec::options`].
#[derive(Debug, Clone, Default)]
pub struct TrustSpec {
    /// Public key (PEM) the bundle was signed with.
    pub key: Option<PathBuf>,
    /// Organisation CA certificates (PEM).
    pub ca: Option<PathBuf>,
    /// Required certificate identity, exact.
    pub identity: Option<String>,
    /// Required certificate identity, anchored regular expression.
    pub identity_regexp: Option<String>,
    /// Required OIDC issuer.
    pub issuer: Option<String>,
    /// Sigstore trusted root (the embedded public-good root by default).
    pub trusted_root: Option<PathBuf>,
}

impl TrustSpec {
    /// True when no trust was named.
    pub fn is_empty(&self) -> bool {
        self.key.is_none()
            && self.ca.is_none()
            && self.identity.is_none()
            && self.identity_regexp.is_none()
            && self.issuer.is_none()
    }

    /// Verification options at `now`.
    pub fn options(&self, now: jiff::Timestamp) -> Result<super::verify::Options> {
        let identity = match (&self.identity, &self.identity_regexp) {
            (Some(id), _) => Some(super::verify::IdentityRule::Exact(id.clone())),
            (None, Some(re)) => Some(super::verify::IdentityRule::regexp(re)?),
            (None, None) => None,
        };
        let trust = match (&self.key, &self.ca) {
            (Some(k), _) => super::verify::TrustMode::Key(load_public_key(k)?),
            (None, Some(ca)) => {
                if identity.is_none() {
                    return Err(Error::Usage(
                        "--ca needs --identity or --identity-regexp: which signer do you trust?"
                            .into(),
                    ));
                }
                super::verify::TrustMode::Ca {
                    certs: load_certificates(ca)?,
                    path: ca.clone(),
                }
            }
            (None, None) => {
                if identity.is_none() || self.issuer.is_none() {
                    return Err(Error::Usage(
                        "give --key PUB.pem, --ca CA.pem with --identity, or --identity (or --identity-regexp) with --issuer"
                            .into(),
                    ));
                }
                super::verify::TrustMode::Sigstore
            }
        };
        let root = load_root(&match &self.trusted_root {
            Some(p) => RootChoice::File(p.clone()),
            None => RootChoice::PublicGood,
        })?;
        Ok(super::verify::Options {
            trust,
            root,
            identity,
            issuer: self.issuer.clone(),
            require_tlog: false,
            now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_roots_parse() {
        let r = load_root(&RootChoice::PublicGood).unwrap();
        assert!(!r.root.tlogs.is_empty());
        assert!(!r.root.certificate_authorities.is_empty());
        load_root(&RootChoice::Staging).unwrap();
    }

    #[test]
    fn wrong_pem_blocks_are_input_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.pem");
        std::fs::write(
            &p,
            "-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let e = load_public_key(&p).unwrap_err().to_string();
        assert!(e.contains("bad-pem"), "{e}");
        let e = load_certificates(&p).unwrap_err().to_string();
        assert!(e.contains("X.509"), "{e}");
    }
}
