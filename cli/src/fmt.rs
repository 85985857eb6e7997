//! `fmt`: rewrite strata files in canonical form (see [`crate::canon`]), or,
//! with `check`, report the files that are not, with a unified diff, and
//! change nothing. The files are those given, or every strata file below the
//! directories given; text read from standard input is formatted by
//! [`fmt_text`].
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

/// Options for [`fmt_paths`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FmtOptions {
    /// Write nothing; report drift with a diff.
    pub check: bool,
    /// Skip a file named explicitly that is not a strata file, instead of
    /// refusing it (pre-commit passes every staged YAML file).
    pub skip_unknown: bool,
}

/// Format the strata file at `path`, or every one below the directory
/// `path`. With `check`, write nothing.
pub fn fmt(path: &Path, check: bool) -> Result<Report> {
    fmt_paths(
        &[path.to_path_buf()],
        &FmtOptions {
            check,
            skip_unknown: false,
        },
    )
}

/// Format the strata files named in `paths` and every one below the
/// directories among them, each file once, in path order.
pub fn fmt_paths(paths: &[PathBuf], opts: &FmtOptions) -> Result<Report> {
    let mut report = Report::default();
    // (file, kind by name, named explicitly)
    let mut files: Vec<(PathBuf, Option<FileKind>, bool)> = Vec::new();
    for path in paths {
        // What the path is, said as it is: a FIFO or a device is refused by
        // the guarded open with what it is, a missing path by the system.
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            files.extend(discover(path)?.into_iter().map(|(f, k)| (f, k, false)));
        } else {
            fsutil::check_file(path, fsutil::Scope::Given)?;
            files.push((path.to_path_buf(), None, true));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)));
    files.dedup_by(|a, b| a.0 == b.0);
    for (file, kind, explicit) in files {
        let explicit = explicit && !opts.skip_unknown;
        let check = opts.check;
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
                let diff = unified_diff(&file, &text, &out);
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

/// How standard input is named in messages and diffs.
pub const STDIN_NAME: &str = "<stdin>";

/// Format strata `text` read from standard input, its kind detected from
/// its content. Returns the canonical text and the result (with the diff
/// from `text` to it, when they differ).
pub fn fmt_text(text: &str) -> Result<(String, FileResult)> {
    let name = Path::new(STDIN_NAME);
    // Content decides the kind; the name only has to look like YAML.
    let kind = canon::detect_kind(Path::new("stdin.yaml"), text).ok_or_else(|| {
        Error::invalid(
            Diagnostic::error(
                Code::NotAStrataFile,
                "standard input is not a strata file (stack, vendors, designations, policy, approved-devices, reviews or answers)",
            )
            .in_file(name)
            .help("a strata file starts with `version: 1` and has the keys of its kind; see `strata schema --list`"),
        )
    })?;
    let out = canon::format(text, name, kind)?;
    let result = if out == text {
        FileResult {
            path: name.to_path_buf(),
            kind: kind.name(),
            status: Status::Canonical,
            diff: None,
        }
    } else {
        FileResult {
            path: name.to_path_buf(),
            kind: kind.name(),
            status: Status::Drift,
            diff: Some(unified_diff(name, text, &out)),
        }
    };
    Ok((out, result))
}

/// The unified diff from `text` to its canonical form `out`.
fn unified_diff(file: &Path, text: &str, out: &str) -> String {
    let name = file.display().to_string();
    similar::TextDiff::from_lines(text, out)
        .unified_diff()
        .context_radius(2)
        .header(&name, &format!("{name} (canonical)"))
        .to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "version: 1\nrules:\n  full-vertical: {level: warn}\n";

    #[test]
    fn several_paths_each_file_once_and_unknown_files_skipped_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("policy.yaml"), POLICY).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/vendors.yaml"), "version: 1\nvendors: {}\n").unwrap();
        std::fs::write(d.join("ci.yml"), "on: push\n").unwrap();
        let paths = [d.join("policy.yaml"), d.to_path_buf(), d.join("ci.yml")];
        let check = FmtOptions {
            check: true,
            skip_unknown: false,
        };
        let e = fmt_paths(&paths, &check).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::NotAStrataFile);
        let r = fmt_paths(
            &paths,
            &FmtOptions {
                skip_unknown: true,
                ..check
            },
        )
        .unwrap();
        let names: Vec<_> = r
            .files
            .iter()
            .map(|f| f.path.strip_prefix(d).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                PathBuf::from("policy.yaml"),
                PathBuf::from("sub/vendors.yaml")
            ]
        );
        assert_eq!(r.drift(), 1, "{r:?}");
        assert!(fmt_paths(&[d.join("missing.yaml")], &check).is_err());
    }

    #[test]
    fn standard_input_is_formatted_by_content() {
        let (out, r) = fmt_text(POLICY).unwrap();
        assert_eq!(r.kind, "policy");
        assert_eq!(r.status, Status::Drift);
        assert!(r.diff.unwrap().contains("<stdin> (canonical)"));
        let (again, r) = fmt_text(&out).unwrap();
        assert_eq!(again, out);
        assert_eq!(r.status, Status::Canonical);
        let e = fmt_text("on: push\n").unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::NotAStrataFile);
    }
}
