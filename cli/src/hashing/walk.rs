//! Listing the files to hash: walk a directory in a stable order, refuse or
//! follow symbolic links, confine to a root, apply ignore paths.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{DEFAULT_IGNORED, HashOptions, Kind, component_cmp};
use crate::diag::{Code, Diagnostic, Error, Result};

/// A regular file to hash.
#[derive(Debug, Clone)]
pub(super) struct FileJob {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Name relative to the hashed directory, `/`-separated.
    pub name: String,
    /// Size when listed.
    pub size: u64,
}

/// What [`list`] found.
#[derive(Debug)]
pub(super) struct Listing {
    pub kind: Kind,
    pub files: Vec<FileJob>,
}

fn symlink_refused(path: &Path) -> Error {
    Error::invalid(
        Diagnostic::error(Code::SymlinkRefused, format!("`{}` is a symbolic link", path.display()))
            .help("evidence must be regular files; set `allow-symlinks: true` on the entry to follow links"),
    )
}

fn outside_root(path: &Path, root: &Path) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::PathOutsideRoot,
            format!("`{}` resolves outside the root `{}`", path.display(), root.display()),
        )
        .help("keep evidence inside the fleet directory, or set `allow-outside-root: true` on the entry"),
    )
}

fn canonical(path: &Path) -> Result<PathBuf> {
    path.canonicalize().map_err(|e| Error::io(path, e))
}

fn ensure_inside(path: &Path, root: Option<&Path>) -> Result<()> {
    if let Some(root) = root
        && !canonical(path)?.starts_with(root)
    {
        return Err(outside_root(path, root));
    }
    Ok(())
}

fn is_ignored(name: &str, opts: &HashOptions) -> bool {
    // Like model-signing: the git names are ignored as paths relative to the
    // hashed directory, so only at its top level.
    if opts.ignore_git_paths
        && name
            .split('/')
            .next()
            .is_some_and(|c| DEFAULT_IGNORED.contains(&c))
    {
        return true;
    }
    opts.ignore.iter().any(|ig| {
        let ig = ig.trim_end_matches('/');
        name == ig
            || name
                .strip_prefix(ig)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// List the regular files under `path` (or `path` itself), sorted by path
/// components.
pub(super) fn list(path: &Path, opts: &HashOptions) -> Result<Listing> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.file_type().is_symlink() && !opts.allow_symlinks {
        return Err(symlink_refused(path));
    }
    let root = opts.root.as_deref().map(canonical).transpose()?;
    ensure_inside(path, root.as_deref())?;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        return Ok(Listing {
            kind: Kind::File,
            files: vec![FileJob {
                path: path.to_path_buf(),
                name,
                size: meta.len(),
            }],
        });
    }
    if !meta.is_dir() {
        return Err(Error::invalid(Diagnostic::error(
            Code::NotAFile,
            format!(
                "`{}` is neither a regular file nor a directory",
                path.display()
            ),
        )));
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(path)
        .follow_links(opts.allow_symlinks)
        .min_depth(1)
        .into_iter();
    let walker = walker.filter_entry(|e| match relative_name(path, e.path()) {
        Ok(name) => !is_ignored(&name, opts),
        Err(_) => true, // reported below
    });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let p = e.path().unwrap_or(path).to_path_buf();
            if e.loop_ancestor().is_some() {
                Error::invalid(Diagnostic::error(
                    Code::SymlinkLoop,
                    format!("`{}` is a symbolic link loop", p.display()),
                ))
            } else {
                match e.into_io_error() {
                    Some(io) => Error::io(&p, io),
                    None => Error::invalid(Diagnostic::error(
                        Code::WalkFailed,
                        format!("cannot walk `{}`", p.display()),
                    )),
                }
            }
        })?;
        let name = relative_name(path, entry.path())?;
        if entry.path_is_symlink() {
            if !opts.allow_symlinks {
                return Err(symlink_refused(entry.path()));
            }
            ensure_inside(entry.path(), root.as_deref())?;
        }
        let ft = entry.file_type();
        if ft.is_dir() || opts.only.as_ref().is_some_and(|only| !only.contains(&name)) {
            continue;
        }
        if !ft.is_file() {
            return Err(Error::invalid(Diagnostic::error(
                Code::NotAFile,
                format!(
                    "`{}` is neither a regular file nor a directory",
                    entry.path().display()
                ),
            )));
        }
        let size = entry
            .metadata()
            .map_err(|e| Error::io(entry.path(), e.into()))?
            .len();
        files.push(FileJob {
            path: entry.into_path(),
            name,
            size,
        });
    }
    files.sort_by(|a, b| component_cmp(&a.name, &b.name));
    Ok(Listing {
        kind: Kind::Directory,
        files,
    })
}

/// `full` relative to `base` as a `/`-separated UTF-8 string.
fn relative_name(base: &Path, full: &Path) -> Result<String> {
    let rel = full.strip_prefix(base).unwrap_or(full);
    let mut parts = Vec::new();
    for c in rel.components() {
        match c.as_os_str().to_str() {
            Some(s) => parts.push(s),
            None => {
                return Err(Error::invalid(Diagnostic::error(
                    Code::NonUtf8Path,
                    format!("`{}` has a name that is not valid UTF-8", full.display()),
                )));
            }
        }
    }
    Ok(parts.join("/"))
}
