//! What assembly reads from each evidence entry, before it becomes BOM
//! components: the records `evidence` fills and `parse` and `bom` read.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{EvidenceKind, LayerName};

/// One file inside a hashed directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRecord {
    /// Path relative to the directory, `/`-separated.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// What was read from one evidence entry (or the model weights).
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRecord {
    /// The layer it belongs to.
    pub layer: LayerName,
    /// The declared kind (`directory` for model weights).
    pub kind: EvidenceKind,
    /// The path as written in the manifest.
    pub path: String,
    /// Free text from the manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// True for the model layer's weights.
    pub weights: bool,
    /// SHA-256 of the file, or of the directory manifest (the concatenated
    /// file digests in path-component order, as OpenSSF model-signing
    /// computes its subject digest).
    pub sha256: String,
    /// Total size in bytes.
    pub size: u64,
    /// The files of a directory, sorted by path components.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileRecord>,
    /// `strata:evidence:*` properties from parsing the evidence.
    pub properties: Vec<(String, String)>,
    /// Problems worth reporting that did not stop assembly.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// The inspection report, for hardware, OS and vehicle evidence.
    #[serde(skip)]
    pub report: Option<crate::evidence::Report>,
}
