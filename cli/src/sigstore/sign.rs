//! `strata sign`: a Sigstore bundle v0.3 holding a DSSE envelope over an
//! in-toto Statement v1.
//!
//! Two offline modes:
//! - a key (`--key`): the bundle's verification material is a public-key
//!   hint, the base64 SHA-256 of the key's SubjectPublicKeyInfo;
//! - an organisation certificate (`--cert`, `--chain`, `--key`): the
//!   bundle carries the signing certificate. Bundle v0.3 holds exactly one
//!   certificate (the protobuf-specs make `x509CertificateChain` v0.1/v0.2
//!   only, and `sigstore-verify` rejects a chain in v0.3), so the chain is
//!   checked here, before signing, and handed to verifiers as trust
//!   material (`strata verify --ca CHAIN.pem`), the way Sigstore's own
//!   trusted root carries Fulcio's intermediates.
//!
//! Neither mode adds a transparency log entry or a timestamp: both need a
//! network service. Keyless signing (Fulcio + Rekor) is in
//! [`super::keyless`].

use std::path::{Path, PathBuf};

use base64::Engine as _;
use sigstore_types::bundle::{CertificateContent, VerificationMaterialContent};
use sigstore_types::{
    Bundle, DerCertificate, DsseEnvelope, DsseSignature, KeyId, MediaType, PayloadBytes,
    PublicKeyIdentifier, SignatureBytes, SignatureContent, VerificationMaterial,
};

use super::IN_TOTO_PAYLOAD_TYPE;
use super::keys::SigningKey;
use super::statement::{self, StatementPayload};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// Largest file signed: 1 GiB (it is read whole; a BOM becomes the
/// statement's predicate).
pub const MAX_SIGNED_BYTES: u64 = 1024 * 1024 * 1024;

/// What signs.
#[derive(Debug)]
pub enum Signer {
    /// A bare key; the bundle carries its hint.
    Key(SigningKey),
    /// An organisation certificate and its key; `chain` (intermediates and
    /// root) was used to check the certificate before signing.
    Certificate {
        /// The private key matching the certificate.
        key: SigningKey,
        /// The leaf certificate.
        leaf: DerCertificate,
    },
}

impl Signer {
    fn key(&self) -> &SigningKey {
        match self {
            Signer::Key(k) | Signer::Certificate { key: k, .. } => k,
        }
    }
}

/// A signed bundle, not yet written.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The bundle, pretty JSON with a trailing newline.
    pub bundle_json: Vec<u8>,
    /// The statement inside it.
    pub statement: StatementPayload,
}

/// The public-key hint strata writes: base64 of the SHA-256 of the DER
/// SubjectPublicKeyInfo. Hints are unauthenticated lookup aids; verifiers
/// use the key they are given (strata also accepts the hex form).
pub fn key_hint(public_key: &sigstore_types::DerPublicKey) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(sigstore_verify::crypto::sha256(public_key.as_bytes()).as_bytes())
}

/// Where the bundle for `file` goes by default: beside it, by the fleet
/// layout's rule ([`crate::layout::bundle_path`]).
pub fn default_output(file: &Path) -> PathBuf {
    crate::layout::bundle_path(file)
}

/// Sign a file: read it, build the statement, sign its DSSE PAE, and
/// assemble the bundle.
/// `-` reads standard input, with the same limit.
pub fn sign_file(file: &Path, signer: &Signer) -> Result<Signed> {
    let bytes = fsutil::read_input(file, MAX_SIGNED_BYTES)?;
    sign_bytes(file, &bytes, signer)
}

/// Sign bytes read from `file` (the name is used for the subject).
pub fn sign_bytes(file: &Path, bytes: &[u8], signer: &Signer) -> Result<Signed> {
    let statement = statement::build(file, bytes)?;
    let pae = sigstore_types::pae(IN_TOTO_PAYLOAD_TYPE, &statement.payload);
    let sig = signer.key().sign(&pae)?;
    let envelope = DsseEnvelope::new(
        IN_TOTO_PAYLOAD_TYPE,
        PayloadBytes::new(statement.payload.clone()),
        DsseSignature::new(SignatureBytes::new(sig), KeyId::default()),
    );
    let content = match signer {
        Signer::Key(k) => VerificationMaterialContent::PublicKey(PublicKeyIdentifier::new(
            key_hint(k.public_key()),
        )),
        Signer::Certificate { leaf, .. } => {
            VerificationMaterialContent::Certificate(CertificateContent::new(leaf.clone()))
        }
    };
    let bundle = Bundle::new(
        MediaType::Bundle0_3,
        VerificationMaterial::new(content),
        SignatureContent::DsseEnvelope(envelope),
    );
    let mut bundle_json = bundle
        .to_json_pretty()
        .map_err(|e| {
            Error::invalid(
                Diagnostic::error(Code::Bundle, format!("cannot serialise the bundle: {e}"))
                    .in_file(file),
            )
        })?
        .into_bytes();
    bundle_json.push(b'\n');
    Ok(Signed {
        bundle_json,
        statement,
    })
}

/// Check that `leaf` belongs to `key`: the certificate's public key must be
/// the signing key's.
pub fn check_certificate_matches_key(
    leaf: &DerCertificate,
    key: &SigningKey,
    cert_path: &Path,
) -> Result<()> {
    let info = sigstore_verify::crypto::parse_certificate_info(leaf).map_err(|e| {
        Error::invalid(
            Diagnostic::error(
                Code::BadCertificate,
                format!("not a usable certificate: {e}"),
            )
            .in_file(cert_path),
        )
    })?;
    if info.public_key.as_bytes() != key.public_key().as_bytes() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::CertificateKeyMismatch,
                "the certificate is not for this signing key",
            )
            .in_file(cert_path)
            .help(format!(
                "the key is {}; pass the certificate issued for it",
                key.path.display()
            )),
        ));
    }
    Ok(())
}

/// Check that `leaf` chains to `chain` (intermediates and root) with the
/// code-signing usage at `now`, so that a bundle is never written for a
/// certificate its verifiers will reject.
pub fn check_certificate_chains(
    leaf: &DerCertificate,
    chain: &[DerCertificate],
    chain_path: &Path,
    now: jiff::Timestamp,
) -> Result<()> {
    super::verify::chain::chains_to_ca(leaf, chain, now).map_err(|e| {
        Error::invalid(
            Diagnostic::error(
                Code::CertificateChain,
                format!("the certificate does not chain to these CA certificates with code-signing usage: {e}"),
            )
            .in_file(chain_path),
        )
    })
}
