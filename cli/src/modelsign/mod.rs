//! `strata model`: OpenSSF model-signing v1.0 compatible hashing, signing
//! and verification of model weights.
//!
//! A model directory (or single file) is hashed into a [`ModelManifest`]
//! by [`crate::hashing`] (files mode, or `sha256-sharded-N` shards so one
//! huge file hashes on every core), wrapped in an in-toto Statement v1 with
//! predicate type `https://model_signing/signature/v1.0`, and signed as a
//! DSSE envelope in a Sigstore bundle v0.3, exactly as the `model_signing`
//! tool (PyPI `model-signing` 1.1.1) does, so bundles travel both ways.
//!
//! Paths to ignore are relative to the model directory and match by path
//! component prefix; `.git`, `.gitattributes`, `.github` and `.gitignore`
//! at the top are ignored by default, and so is the signature file when it
//! lies inside the model. Every ignored path is recorded in the signature,
//! and verification ignores what the signature recorded.
//!
//! Modes: a key (ECDSA P-256/P-384/P-521), an organisation certificate
//! (the leaf and chain travel in the bundle; verifiers anchor at their own
//! CA), and, for verification only, Sigstore keyless bundles (checked by
//! strata's full Sigstore verifier against a trusted root and an identity).
//! Keyless signing needs Fulcio and Rekor and is not implemented.

pub mod bundle;
pub mod manifest;
pub mod verify;

use std::path::{Path, PathBuf};

pub use manifest::{Difference, ModelManifest, Serialization};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::hashing::{self, DEFAULT_IGNORED, HashOptions, Mode, Progress};
use crate::sigstore::keys::SigningKey;

/// The signature file name model-signing uses by default.
pub const DEFAULT_SIGNATURE: &str = "model.sig";

/// How a model is hashed.
#[derive(Debug, Clone, Default)]
pub struct HashConfig {
    /// Files, or shards of N bytes.
    pub mode: Mode,
    /// Follow symbolic links.
    pub allow_symlinks: bool,
    /// Paths relative to the model directory to leave out.
    pub ignore: Vec<String>,
    /// Leave out `.git`, `.gitattributes`, `.github`, `.gitignore`.
    pub ignore_git_paths: bool,
    /// The fleet directory the model must lie in: every directory on the
    /// way and every file is then reached without following symbolic links
    /// (see [`crate::fsutil::Scope::Within`]); `None` for a model the user
    /// named.
    pub root: Option<PathBuf>,
}

/// The name a model is signed under: its directory's (or file's) name.
pub fn model_name(model: &Path) -> String {
    let name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if (name.is_empty() || name == "..")
        && let Ok(c) = model.canonicalize()
    {
        return c
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    name
}

/// `path` relative to the model directory, when it lies inside it
/// (`path` need not exist yet).
pub fn relative_to_model(model: &Path, path: &Path) -> Option<String> {
    let root = model.canonicalize().ok()?;
    if !root.is_dir() {
        return None;
    }
    let abs = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            parent.canonicalize().ok()?.join(path.file_name()?)
        }
    };
    let rel = abs.strip_prefix(&root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Hash a model: the manifest a signature over it would carry.
/// `signature` is left out (and recorded) when it lies inside the model.
pub fn hash_model(
    model: &Path,
    cfg: &HashConfig,
    signature: Option<&Path>,
    only: Option<std::collections::BTreeSet<String>>,
    progress: Option<&dyn Progress>,
) -> Result<ModelManifest> {
    let mut ignore: Vec<String> = cfg
        .ignore
        .iter()
        .map(|p| p.trim_end_matches('/').trim_start_matches("./").to_string())
        .filter(|p| !p.is_empty())
        .collect();
    for p in &ignore {
        if p.starts_with('/') || p.split('/').any(|c| c == "..") {
            return Err(Error::Usage(format!(
                "ignore path `{p}` must be relative to the model directory, without `..`"
            )));
        }
    }
    if let Some(rel) = signature.and_then(|s| relative_to_model(model, s)) {
        ignore.push(rel);
    }
    let opts = HashOptions {
        allow_symlinks: cfg.allow_symlinks,
        root: cfg.root.clone(),
        ignore: ignore.clone(),
        ignore_git_paths: cfg.ignore_git_paths,
        mode: cfg.mode,
        only,
    };
    let hashed = hashing::hash_tree_with_progress(model, &opts, progress)?;
    if cfg.ignore_git_paths {
        ignore.extend(DEFAULT_IGNORED.iter().map(|s| s.to_string()));
    }
    ignore.sort();
    ignore.dedup();
    Ok(ModelManifest::from_hashed(
        &model_name(model),
        &hashed,
        Serialization {
            mode: cfg.mode,
            allow_symlinks: cfg.allow_symlinks,
            ignore_paths: ignore,
        },
    ))
}

/// What signs a model.
#[derive(Debug)]
pub enum ModelSigner {
    /// A key; the bundle carries the hex SHA-256 of its PEM public key.
    Key(SigningKey),
    /// A certificate, its chain and its key; the bundle carries leaf and
    /// chain.
    Certificate {
        /// The private key of the leaf.
        key: SigningKey,
        /// Leaf first, then the chain, DER.
        chain: Vec<Vec<u8>>,
    },
}

/// The hint model-signing writes and checks: lowercase hex SHA-256 of the
/// PEM encoding of the public key.
pub fn key_hint(key_spki_der: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(
        crate::sigstore::keys::public_key_pem(key_spki_der).as_bytes(),
    ))
}

/// Sign a manifest: the bundle bytes to write.
pub fn sign_manifest(m: &ModelManifest, signer: &ModelSigner) -> Result<Vec<u8>> {
    let payload = m.statement()?;
    let pae = bundle::pae(bundle::PAYLOAD_TYPE, &payload);
    let (key, material) = match signer {
        ModelSigner::Key(k) => (
            k,
            bundle::Material::PublicKey {
                hint: key_hint(k.public_key().as_bytes()),
            },
        ),
        ModelSigner::Certificate { key, chain } => (key, bundle::Material::Chain(chain.clone())),
    };
    let sig = key.sign(&pae)?;
    bundle::write(&material, &payload, &sig)
}

/// The diagnostic for a model that cannot be read.
pub(crate) fn not_a_model(path: &Path, why: &str) -> Error {
    Error::invalid(Diagnostic::error(Code::ModelUnreadable, why.to_string()).in_file(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hint_is_hex_sha256_of_the_pem() {
        // A key and the hint model_signing 1.1.1 wrote for it.
        let pem_text = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEA9MbCYrF0lXFtZR/fqY8ISK1JYR7\nEkXr0z0mmZJjW0mVlZdeyLH3dXZ5+kF8lkP/vcnEqDKKk9soJ+SG9BVYpw==\n-----END PUBLIC KEY-----\n";
        let der = pem::parse(pem_text).unwrap().into_contents();
        assert_eq!(
            key_hint(&der),
            "d5c29ac53a9127ea637e85344062a701aab47750c711cdd1b92b35bd9b01b37a"
        );
    }

    #[test]
    fn the_signature_inside_the_model_is_relative() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("m")).unwrap();
        let m = dir.path().join("m");
        assert_eq!(
            relative_to_model(&m, &m.join("model.sig")).as_deref(),
            Some("model.sig")
        );
        assert_eq!(relative_to_model(&m, &dir.path().join("x.sig")), None);
        assert_eq!(model_name(&m), "m");
    }
}
