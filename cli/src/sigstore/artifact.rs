//! The artifact a bundle is verified against: a file, standard input (`-`
//! on the command line), `sha256:<hex>`, or a SHA-512 digest (an npm
//! package's integrity).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::Digest as _;
use sigstore_types::HashAlgorithm;

use crate::diag::{Code, Diagnostic, Error, Result};

/// What the user named as the artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactInput {
    /// A file, hashed when verified.
    File(PathBuf),
    /// A SHA-256 digest given as `sha256:<hex>`.
    Sha256([u8; 32]),
    /// Standard input, streamed through the hashes once.
    Stdin,
    /// A SHA-512 digest (npm names package tarballs by theirs).
    Sha512([u8; 64]),
}

impl ArtifactInput {
    /// Parse a command-line argument: `sha256:<64 hex digits>` is a digest,
    /// anything else a path.
    pub fn parse(arg: &str) -> Result<Self> {
        match arg.strip_prefix("sha256:") {
            Some(hex_digest) => parse_sha256(hex_digest).map(ArtifactInput::Sha256),
            None => Ok(ArtifactInput::File(PathBuf::from(arg))),
        }
    }

    /// [`ArtifactInput::parse`] for a command-line argument, where `-` is
    /// standard input.
    pub fn parse_arg(arg: &str) -> Result<Self> {
        if arg == "-" {
            Ok(ArtifactInput::Stdin)
        } else {
            Self::parse(arg)
        }
    }

    /// The artifact next to a bundle, for when none is named:
    /// `bom.sigstore.json` -> `bom.cdx.json`, `X.sigstore.json` -> `X`.
    pub fn next_to(bundle: &Path) -> Result<Self> {
        let name = bundle
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut candidates = Vec::new();
        if let Some(stem) = name.strip_suffix(".sigstore.json") {
            candidates.push(bundle.with_file_name(format!("{stem}.cdx.json")));
            if !stem.is_empty() {
                candidates.push(bundle.with_file_name(stem));
            }
        }
        candidates
            .into_iter()
            .find(|c| c.is_file())
            .map(ArtifactInput::File)
            .ok_or_else(|| {
                Error::invalid(
                    Diagnostic::error(
                        Code::NoArtifact,
                        "no artifact given and none found next to the bundle",
                    )
                    .in_file(bundle)
                    .help(
                        "name it (FILE or sha256:HEX); for X.sigstore.json strata looks for X, \
                         for bom.sigstore.json for bom.cdx.json",
                    ),
                )
            })
    }

    /// How the artifact is shown in reports.
    pub fn display(&self) -> String {
        match self {
            ArtifactInput::File(p) => p.display().to_string(),
            ArtifactInput::Sha256(d) => format!("sha256:{}", hex::encode(d)),
            ArtifactInput::Stdin => crate::fsutil::STDIN_NAME.to_string(),
            ArtifactInput::Sha512(d) => format!("sha512:{}", hex::encode(d)),
        }
    }
}

fn parse_sha256(hex_digest: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(hex_digest).map_err(|_| bad_digest(hex_digest))?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| bad_digest(hex_digest))
}

fn bad_digest(hex_digest: &str) -> Error {
    Error::Usage(format!(
        "`sha256:{hex_digest}` is not a SHA-256 digest (expected 64 hexadecimal digits)"
    ))
}

/// The artifact's digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactDigests {
    /// SHA-256 (always, unless the artifact was given as a SHA-512 digest).
    pub sha256: Option<[u8; 32]>,
    /// SHA-384, when it was asked for and the artifact is a file.
    pub sha384: Option<[u8; 48]>,
    /// SHA-512, when it was asked for and the artifact is a file.
    pub sha512: Option<[u8; 64]>,
    /// The file, when the artifact is one (needed whole only by signature
    /// schemes that cannot verify a digest, such as Ed25519).
    pub path: Option<PathBuf>,
}

impl ArtifactDigests {
    /// Hash the artifact: SHA-256 always, SHA-384 and SHA-512 too when
    /// asked for and the artifact is a file or standard input. Both are
    /// streamed (constant memory); standard input is read once. A digest
    /// given is the only one known.
    pub fn compute(input: &ArtifactInput, also: &[HashAlgorithm]) -> Result<Self> {
        match input {
            ArtifactInput::Sha256(d) => Ok(ArtifactDigests {
                sha256: Some(*d),
                sha384: None,
                sha512: None,
                path: None,
            }),
            ArtifactInput::Sha512(d) => Ok(ArtifactDigests {
                sha256: None,
                sha384: None,
                sha512: Some(*d),
                path: None,
            }),
            ArtifactInput::File(path) => hash_file(
                path,
                also.contains(&HashAlgorithm::Sha2384),
                also.contains(&HashAlgorithm::Sha2512),
            ),
            ArtifactInput::Stdin => hash_reader(
                &mut std::io::stdin().lock(),
                Path::new(crate::fsutil::STDIN_NAME),
                also.contains(&HashAlgorithm::Sha2384),
                also.contains(&HashAlgorithm::Sha2512),
            ),
        }
    }

    /// The digest for `algorithm`, when it was computed.
    pub fn get(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
        match algorithm {
            HashAlgorithm::Sha2256 => self.sha256.as_ref().map(|d| &d[..]),
            HashAlgorithm::Sha2384 => self.sha384.as_ref().map(|d| &d[..]),
            HashAlgorithm::Sha2512 => self.sha512.as_ref().map(|d| &d[..]),
            _ => None,
        }
    }

    /// Lowercase hex SHA-256, when known.
    pub fn sha256_hex(&self) -> Option<String> {
        self.sha256.map(hex::encode)
    }
}

fn hash_file(path: &Path, want_sha384: bool, want_sha512: bool) -> Result<ArtifactDigests> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::Usage(format!(
            "artifact {} is a directory; give a file or sha256:<hex>",
            crate::fsutil::shown(path)
        )));
    }
    let mut f = crate::fsutil::open_regular(path, crate::fsutil::Scope::Given)?;
    let mut digests = hash_reader(&mut f, path, want_sha384, want_sha512)?;
    digests.path = Some(path.to_path_buf());
    Ok(digests)
}

/// The digests of everything `r` yields (`name` for errors); no path.
fn hash_reader(
    r: &mut dyn Read,
    name: &Path,
    want_sha384: bool,
    want_sha512: bool,
) -> Result<ArtifactDigests> {
    let mut s256 = sha2::Sha256::new();
    let mut s384 = want_sha384.then(sha2::Sha384::new);
    let mut s512 = want_sha512.then(sha2::Sha512::new);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match r.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(name, e)),
        };
        if n == 0 {
            break;
        }
        s256.update(&buf[..n]);
        if let Some(h) = s384.as_mut() {
            h.update(&buf[..n]);
        }
        if let Some(h) = s512.as_mut() {
            h.update(&buf[..n]);
        }
    }
    Ok(ArtifactDigests {
        sha256: Some(s256.finalize().into()),
        sha384: s384.map(|h| h.finalize().into()),
        sha512: s512.map(|h| h.finalize().into()),
        path: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_and_paths_are_told_apart() {
        let d = "ab".repeat(32);
        assert!(matches!(
            ArtifactInput::parse(&format!("sha256:{d}")).unwrap(),
            ArtifactInput::Sha256(_)
        ));
        assert!(ArtifactInput::parse("sha256:abc").is_err());
        assert!(ArtifactInput::parse(&format!("sha256:{}", "zz".repeat(32))).is_err());
        assert_eq!(
            ArtifactInput::parse("a.txt").unwrap(),
            ArtifactInput::File("a.txt".into())
        );
        assert_eq!(ArtifactInput::parse_arg("-").unwrap(), ArtifactInput::Stdin);
        assert_eq!(
            ArtifactInput::parse("-").unwrap(),
            ArtifactInput::File("-".into())
        );
        assert_eq!(ArtifactInput::Stdin.display(), "<stdin>");
    }

    #[test]
    fn file_digests_match_known_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        let d =
            ArtifactDigests::compute(&ArtifactInput::File(p), &[HashAlgorithm::Sha2512]).unwrap();
        assert_eq!(
            d.sha256_hex().unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hex::encode(d.sha512.unwrap()).starts_with("ddaf35a193617aba"));
    }
}
