//! Earlier final memos a memo cites (`--cite FILE.binding.json`): each
//! binding sidecar `--final` wrote is read, the memo it names (beside it)
//! is hashed again and compared with the SHA-256 the binding recorded, and
//! the result goes into the evidence register of the device it is for. A
//! memo whose file changed since it was signed is cited as FAILED, never
//! as the signed document.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::Digest;
use crate::fsutil;

/// Largest binding sidecar read.
const BINDING_LIMIT: u64 = 1 << 20;
/// Largest cited memo hashed.
const MEMO_LIMIT: u64 = 64 << 20;

#[derive(Debug, Deserialize)]
struct Binding {
    version: u32,
    kind: String,
    device: Option<String>,
    #[serde(rename = "document-version")]
    document_version: Option<String>,
    date: String,
    rendered: Rendered,
}

#[derive(Debug, Deserialize)]
struct Rendered {
    path: String,
    sha256: String,
}

/// A cited final memo and whether its file still matches its binding.
#[derive(Debug, Clone)]
pub struct Cited {
    /// The device it is for (`None`: the fleet memo).
    pub device: Option<String>,
    /// The register's title.
    pub title: String,
    /// The recorded SHA-256 and the binding file.
    pub detail: String,
    /// `binding verified` or why not.
    pub status: String,
}

/// Read and check every binding in `paths`. A file that is no binding is an
/// input error naming it (exit 2); a memo that no longer matches its binding
/// is cited with a FAILED status.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Cited>> {
    paths.iter().map(|p| one(p)).collect()
}

fn one(path: &Path) -> Result<Cited> {
    let bytes = fsutil::read_bounded(path, BINDING_LIMIT)?;
    let invalid = |why: String| {
        Error::invalid(
            Diagnostic::error(Code::BindingInvalid, format!("not a memo binding: {why}"))
                .in_file(path)
                .help("give the `.binding.json` sidecar `strata memo --final -o FILE` wrote"),
        )
    };
    let b: Binding = serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
    if b.version != 1 {
        return Err(invalid(format!("version {} is not 1", b.version)));
    }
    let recorded = Digest::parse(&b.rendered.sha256).map_err(|e| invalid(e.0))?;
    let name = Path::new(&b.rendered.path);
    // The memo sits beside its binding, by the bare file name it recorded.
    if name.components().count() != 1 || name.file_name().is_none() {
        return Err(invalid(format!(
            "the rendered path `{}` is not a file name",
            b.rendered.path
        )));
    }
    // Within the binding's directory: a memo that is a symbolic link out of
    // it, a FIFO or a device is not read.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let memo = dir.join(name);
    let status = match fsutil::read_limited(&memo, fsutil::Scope::Within(dir), MEMO_LIMIT) {
        Ok(text) if Digest::of(&text) == recorded => {
            "binding verified: the memo matches its SHA-256".to_string()
        }
        Ok(_) => format!(
            "FAILED: {} differs from the SHA-256 its binding recorded",
            b.rendered.path
        ),
        Err(e) => format!("FAILED: the memo cannot be read ({e})"),
    };
    let kind = match b.kind.as_str() {
        "dpia" => "DPIA",
        "procurement" => "procurement memo",
        "fleet" => "fleet procurement memo",
        other => return Err(invalid(format!("unknown memo kind `{other}`"))),
    };
    Ok(Cited {
        device: b.device,
        title: format!(
            "Final {kind} {}{}, {}",
            b.rendered.path,
            b.document_version
                .map(|v| format!(", version {v}"))
                .unwrap_or_default(),
            b.date
        ),
        detail: format!("{recorded}; binding {}", path.display()),
        status,
    })
}

#[cfg(test)]
mod tests;
