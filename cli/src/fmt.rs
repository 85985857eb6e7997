//! `fmt`: rewrite every strata file under a directory in canonical form
//! (see [`crate::canon`]), or, with `check`, report the files that are not,
//! with a unified diff, and change nothing.
//!
//! Strata files are recognised by name (`vendors.yaml`, `designations.yaml`,
//! `policy.yaml`, `approved-devices.yaml`, `reviews.yaml`) or, for other
//! `.yaml` files, by content (a `version` key plus the keys of a kind; a
//! stack has `device` and `layers`, memo answers a `device` id). Hidden directories, `target` and
//! `node_modules` are skipped. A file that is not valid for its kind is
//! reported and left alone.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::canon;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;
use crate::model::FileKind;

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Already canonical.
    Canonical,
    /// Rewritten.
    Reformatted,
    /// Not canonical (check mode: left as is).
    Drift,
}

/// One file's result.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    /// The file.
    pub path: PathBuf,
    /// Its kind.
    pub kind: &'static str,
    /// What happened.
    pub status: Status,
    /// Unified diff from the file to its canonical form (check mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// The result of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Every strata file found, by path.
    pub files: Vec<FileResult>,
    /// Files that could not be formatted (invalid, unreadable).
    pub errors: Vec<Diagnostic>,
}

impl Report {
    /// Files not in canonical form (check mode).
    pub fn drift(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.status == Status::Drift)
            .count()
    }

    /// Files rewritten.
    pub fn reformatted(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.status == Status::Reformatted)
            .count()
    }
}

/// Format the strata file at `path`, or every one below the directory
/// `path`. With `check`, write nothing.
pub fn fmt(path: &Path, check: bool) -> Result<Report> {
    let mut report = Report::default();
    // What the path is, said as it is: a FIFO or a device is refused by
    // the guarded open with what it is, a missing path by the system.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let explicit = !meta.is_dir();
    let files: Vec<(PathBuf, Option<FileKind>)> = if meta.is_dir() {
        discover(path)?
    } else {
        fsutil::check_file(path, fsutil::Scope::Given)?;
        vec![(path.to_path_buf(), None)]
    };
    for (file, kind) in files {
        let text = match fsutil::read_text(&file) {
            Ok(t) => t,
            Err(e) => {
                report.errors.extend(e.diagnostics());
                continue;
            }
        };
        let Some(kind) = kind.or_else(|| canon::detect_kind(&file, &text)) else {
            if explicit {
                return Err(Error::invalid(
                    Diagnostic::error(
                        Code::NotAStrataFile,
                        "this is not a strata file (stack, vendors, designations, policy, approved-devices or reviews)",
                    )
                    .in_file(&file),
                ));
            }
            continue;
        };
        match canon::format(&text, &file, kind) {
            Ok(out) if out == text => report.files.push(FileResult {
                path: file,
                kind: kind.name(),
                status: Status::Canonical,
                diff: None,
            }),
            Ok(out) if check => {
                let name = file.display().to_string();
                let diff = similar::TextDiff::from_lines(&text, &out)
                    .unified_diff()
                    .context_radius(2)
                    .header(&name, &format!("{name} (canonical)"))
                    .to_string();
                report.files.push(FileResult {
                    path: file,
                    kind: kind.name(),
                    status: Status::Drift,
                    diff: Some(diff),
                });
            }
            Ok(out) => {
                fsutil::write_atomic(&file, out.as_bytes())?;
                report.files.push(FileResult {
                    path: file,
                    kind: kind.name(),
                    status: Status::Reformatted,
                    diff: None,
                });
            }
            Err(e) => report.errors.extend(e.diagnostics()),
        }
    }
    Ok(report)
}

/// Strata-file candidates below `dir`, sorted by path: files with a
/// strata name get their kind, other `.yaml`/`.yml` files are detected by
/// content later.
fn discover(dir: &Path) -> Result<Vec<(PathBuf, Option<FileKind>)>> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (name.starts_with('.') || name == "target" || name == "node_modules"))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_default();
            Error::io(
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk the directory")),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push((entry.path().to_path_buf(), None));
        }
    }
    Ok(out)
}
