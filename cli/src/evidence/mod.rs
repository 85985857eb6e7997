//! Hardware, OS and vehicle evidence: parsers and verifiers for the formats
//! devices ship proof in, one module per format.
//!
//! [`inspect`] reads one file as a given (or detected) [`EvidenceKind`] and
//! returns a [`Report`]: decoded fields, every verification check by name
//! with pass/fail/skip, and the structured decode. A file that is not
//! well-formed for its format is an [`Error::Invalid`] (exit 2) naming what
//! was wrong and where; a well-formed file that fails verification is a
//! report whose checks fail (exit 1). Skipped checks say why and are never
//! counted as verified.

pub mod android;
pub mod avb;
pub mod certs;
pub mod der;
pub mod ek;
pub mod json;
pub mod npm;
pub mod report;
pub mod slsa;
pub mod slsa_builder;
pub mod slsa_sigstore;
pub mod spdm;
pub mod tcg;
pub mod uptane;
pub mod x509;

use std::path::Path;

use crate::clock::Time;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil::{self, Scope};
use crate::model::EvidenceKind;

pub use report::{Check, Field, Report, Status};

/// Why a file could not be read as its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// Stable diagnostic code.
    pub code: Code,
    /// What was wrong.
    pub message: String,
    /// Byte offset in the file, for binary formats.
    pub offset: Option<usize>,
    /// JSON pointer, for JSON formats.
    pub pointer: Option<String>,
}

impl Malformed {
    /// A malformed-input error without a location.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Malformed {
            code,
            message: message.into(),
            offset: None,
            pointer: None,
        }
    }

    /// From a DER error, keeping its offset.
    pub fn at(code: Code, e: der::DerError) -> Self {
        Malformed {
            code,
            message: e.what,
            offset: Some(e.offset),
            pointer: None,
        }
    }

    /// A failure inside strata while reading the file (e.g. its decoded
    /// form would not serialise): a defect, not a malformed file.
    pub fn internal(what: &str, e: impl std::fmt::Display) -> Self {
        Malformed::new(Code::Internal, format!("{what}: {e}"))
    }

    /// Into the error about `file`: an input error, or an internal one.
    pub fn into_error(self, file: &Path) -> Error {
        if self.code == Code::Internal {
            return Error::Internal(format!("{}: {}", file.display(), self.message));
        }
        Error::invalid(self.into_diagnostic(file))
    }

    /// Into a diagnostic about `file`.
    pub fn into_diagnostic(self, file: &Path) -> Diagnostic {
        let mut msg = self.message;
        if let Some(o) = self.offset {
            msg.push_str(&format!(" (at byte offset {o})"));
        }
        let mut d = Diagnostic::error(self.code, msg).in_file(file);
        if let Some(p) = self.pointer {
            d = d.pointer(p);
        }
        d
    }
}

/// Options for [`inspect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluation time for validity checks; `None` skips them.
    pub at: Option<Time>,
    /// Android attestation status list for the revocation check.
    pub revocation: Option<android::StatusList>,
    /// Uptane root metadata (bytes, description); a `root.json` beside the
    /// file is used when absent.
    pub uptane_root: Option<(Vec<u8>, String)>,
    /// Trusted Uptane ECU keys (JSON object of key id to key).
    pub uptane_keys: Option<Vec<u8>>,
    /// Issuer certificates (DER) for platform and EK certificates.
    pub issuers: Vec<Vec<u8>>,
    /// The holder certificate (DER) a platform certificate should name.
    pub holder: Option<Vec<u8>>,
    /// The device's observed component inventory (JSON) for platform
    /// certificates.
    pub inventory: Option<Vec<u8>>,
    /// SHA-256 (hex) of the artifact provenance should describe.
    pub artifact_sha256: Option<String>,
    /// Identity policy and trust root for provenance in Sigstore bundles.
    pub sigstore: slsa_sigstore::Policy,
    /// The builder SLSA provenance must name (see [`slsa::Options`]).
    pub builder_id: Option<String>,
    /// SHA-512 of the artifact: an npm package tarball, related to the
    /// subjects of npm registry attestations.
    pub artifact_sha512: Option<[u8; 64]>,
    /// The npm registry's public key, for its publish attestation.
    pub registry_key: Option<crate::sigstore::trust::PublicKey>,
}

/// RFC 3339 text of a time, in UTC with whole seconds
/// (`2026-01-01T00:00:00Z`).
pub fn fmt_time(t: Time) -> String {
    t.to_string()
}

/// The hardware/OS/vehicle kinds [`inspect`] can read.
pub const INSPECTABLE: &[EvidenceKind] = &[
    EvidenceKind::AndroidKeyAttestation,
    EvidenceKind::AvbVbmeta,
    EvidenceKind::UptaneMetadata,
    EvidenceKind::TcgPlatformCertificate,
    EvidenceKind::TpmEkCertificate,
    EvidenceKind::SpdmCertificate,
    EvidenceKind::SlsaProvenance,
];

/// Guess the kind of `data`; `None` when no format claims it or it is
/// ambiguous.
pub fn detect(data: &[u8]) -> Option<EvidenceKind> {
    if avb::detect(data) {
        return Some(EvidenceKind::AvbVbmeta);
    }
    if slsa::detect(data) {
        return Some(EvidenceKind::SlsaProvenance);
    }
    if uptane::detect(data) {
        return Some(EvidenceKind::UptaneMetadata);
    }
    if android::detect(data) {
        return Some(EvidenceKind::AndroidKeyAttestation);
    }
    if tcg::detect(data) {
        return Some(EvidenceKind::TcgPlatformCertificate);
    }
    if ek::detect(data) {
        return Some(EvidenceKind::TpmEkCertificate);
    }
    if spdm::detect(data) {
        return Some(EvidenceKind::SpdmCertificate);
    }
    None
}

/// Read and verify `data` as `kind`.
pub fn inspect_bytes(
    data: &[u8],
    kind: EvidenceKind,
    opts: &Options,
) -> std::result::Result<Report, Malformed> {
    match kind {
        EvidenceKind::AndroidKeyAttestation => android::inspect(
            data,
            &android::Options {
                at: opts.at,
                revocation: opts.revocation.as_ref(),
            },
        ),
        EvidenceKind::AvbVbmeta => avb::inspect(data),
        EvidenceKind::UptaneMetadata => uptane::inspect(
            data,
            &uptane::Options {
                at: opts.at,
                root: opts.uptane_root.clone(),
                keys: opts.uptane_keys.clone(),
            },
        ),
        EvidenceKind::TcgPlatformCertificate => tcg::inspect(
            data,
            &tcg::Options {
                at: opts.at,
                issuers: opts.issuers.clone(),
                holder: opts.holder.clone(),
                inventory: opts.inventory.clone(),
            },
        ),
        EvidenceKind::TpmEkCertificate => ek::inspect(
            data,
            &ek::Options {
                at: opts.at,
                issuers: opts.issuers.clone(),
            },
        ),
        EvidenceKind::SpdmCertificate => spdm::inspect(data, &spdm::Options { at: opts.at }),
        EvidenceKind::SlsaProvenance => slsa::inspect(
            data,
            &slsa::Options {
                artifact_sha256: opts.artifact_sha256.clone(),
                sigstore: opts.sigstore.clone(),
                builder_id: opts.builder_id.clone(),
                artifact_sha512: opts.artifact_sha512,
                registry_key: opts.registry_key.clone(),
            },
        ),
        other => Err(Malformed::new(
            Code::UnsupportedEvidenceKind,
            format!("strata cannot inspect `{}` evidence", other.as_str()),
        )),
    }
}

/// Largest evidence file strata reads (certificates, metadata and vbmeta
/// images are kilobytes; this bounds memory on hostile input).
pub const MAX_EVIDENCE_BYTES: u64 = 64 * 1024 * 1024;

/// Read `path` (a file the user named) and inspect it as `kind`, or as the
/// detected kind.
pub fn inspect(path: &Path, kind: Option<EvidenceKind>, opts: &Options) -> Result<Report> {
    inspect_in(path, Scope::Given, kind, opts)
}

/// Read `path` within `scope` (see [`fsutil::open_regular`]: inside a fleet
/// without following links) and inspect it as `kind`, or as the detected
/// kind. A `root.json` beside Uptane metadata is read within the same scope.
pub fn inspect_in(
    path: &Path,
    scope: Scope<'_>,
    kind: Option<EvidenceKind>,
    opts: &Options,
) -> Result<Report> {
    let file = fsutil::open_regular(path, scope)?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let too_large = |size: String| {
        Error::invalid(
            Diagnostic::error(
                Code::EvidenceTooLarge,
                format!("{size}; strata reads evidence files up to 64 MiB"),
            )
            .in_file(path)
            .help("attach it as `kind: file` to record only its digest"),
        )
    };
    if size > MAX_EVIDENCE_BYTES {
        return Err(too_large(format!("{size} bytes")));
    }
    // The bound is the count of bytes read, not what `stat` said.
    let data =
        fsutil::read_to_limit(file, path, MAX_EVIDENCE_BYTES, size).map_err(|e| match e {
            Error::Invalid(d) if d.iter().any(|d| d.code == Code::InputTooLarge) => {
                too_large("more than 64 MiB".to_string())
            }
            other => other,
        })?;
    let kind = match kind {
        Some(k) => k,
        None => detect(&data).ok_or_else(|| {
            Error::invalid(
                Diagnostic::error(
                    Code::UnknownEvidenceFormat,
                    "could not tell which evidence format this file is",
                )
                .in_file(path)
                .help(format!(
                    "name it with --kind ({})",
                    INSPECTABLE
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )
        })?,
    };
    let mut opts = opts.clone();
    if kind == EvidenceKind::UptaneMetadata && opts.uptane_root.is_none() {
        opts.uptane_root = sibling_root(path, scope)?;
    }
    inspect_bytes(&data, kind, &opts).map_err(|m| m.into_error(path))
}

/// `root.json` beside an Uptane file (not the file itself), read within
/// the file's scope and bound. A missing one is not used; one that is a
/// symbolic link, a FIFO, a device or too large is an error, never read.
fn sibling_root(path: &Path, scope: Scope<'_>) -> Result<Option<(Vec<u8>, String)>> {
    let Some(parent) = path.parent() else {
        return Ok(None);
    };
    let root = parent.join("root.json");
    if path.file_name() == root.file_name() {
        return Ok(None);
    }
    if let Err(e) = std::fs::symlink_metadata(&root)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Ok(None);
    }
    let bytes = fsutil::read_limited(&root, scope, MAX_EVIDENCE_BYTES)?;
    Ok(Some((bytes, "root.json beside the file".to_string())))
}
