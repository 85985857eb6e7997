//! Listing the files to hash: walk a directory in a stable order, refuse or
//! follow symbolic links, confine to a root, apply ignore paths.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{DEFAULT_IGNORED, HashOptions, Kind, component_cmp};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil::{self, Scope};

/// A regular file to hash.
#[derive(Debug, Clone)]
pub(super) struct FileJob {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Name relative to the hashed directory, `/`-separated.
    pub name: String,
    /// Size when listed.
    pub size: u64,
    /// The directory the file must be opened within, without following
    /// links (see [`Scope::Within`]); `None` for paths the user named.
    pub root: Option<PathBuf>,
}

impl FileJob {
    /// How the file is opened.
    pub fn scope(&self) -> Scope<'_> {
        match &self.root {
            Some(r) => Scope::Within(r),
            None => Scope::Given,
        }
    }
}

/// What [`list`] found.
#[derive(Debug)]
pub(super) struct Listing {
    pub kind: Kind,
    pub files: Vec<FileJob>,
}

fn symlink_refused(path: &Path) -> Error {
    Error::invalid(
        Diagnostic::error(Code::SymlinkRefused, format!("`{}` is a symbolic link", fsutil::shown(path)))
            .help("evidence must be regular files; set `allow-symlinks: true` on the entry to follow links"),
    )
}

fn outside_root(path: &Path, root: &Path) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::PathOutsideRoot,
            format!(
                "`{}` resolves outside the root `{}`",
                fsutil::shown(path),
                fsutil::shown(root)
            ),
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

/// Where a listed file is opened: the path and the directory it is opened
/// within. Inside a root a file reached through followed links is opened by
/// its resolved path, within the resolved root; any other by its own path.
fn placed(
    path: &Path,
    through_link: bool,
    root: Option<&Path>,
    canon_root: Option<&Path>,
) -> Result<(PathBuf, Option<PathBuf>)> {
    match (root, canon_root) {
        (Some(_), Some(canon)) if through_link => {
            let resolved = canonical(path)?;
            if !resolved.starts_with(canon) {
                return Err(outside_root(path, canon));
            }
            Ok((resolved, Some(canon.to_path_buf())))
        }
        (Some(r), _) => Ok((path.to_path_buf(), Some(r.to_path_buf()))),
        _ => Ok((path.to_path_buf(), None)),
    }
}

/// List the regular files under `path` (or `path` itself), sorted by path
/// components. With a root, every directory between the root and `path` is
/// checked to be a real directory (no symbolic link), and every file is
/// later opened within the root without following links.
pub(super) fn list(path: &Path, opts: &HashOptions) -> Result<Listing> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let leaf_link = meta.file_type().is_symlink();
    if leaf_link && !opts.allow_symlinks {
        return Err(symlink_refused(path));
    }
    let root = opts.root.as_deref();
    let canon_root = root.map(canonical).transpose()?;
    if let Some(r) = root {
        let below_root = fsutil::normalize_lexically(path) != fsutil::normalize_lexically(r);
        if below_root && let Some(parent) = path.parent() {
            fsutil::check_dir(parent, Scope::Within(r))?;
        }
    }
    ensure_inside(path, canon_root.as_deref())?;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let (path, root) = placed(path, leaf_link, root, canon_root.as_deref())?;
        return Ok(Listing {
            kind: Kind::File,
            files: vec![FileJob {
                path,
                name,
                size: meta.len(),
                root,
            }],
        });
    }
    if !meta.is_dir() {
        return Err(not_file_or_dir(path, &meta.file_type()));
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
                    format!("`{}` is a symbolic link loop", fsutil::shown(&p)),
                ))
            } else {
                match e.into_io_error() {
                    Some(io) => Error::io(&p, io),
                    None => Error::invalid(Diagnostic::error(
                        Code::WalkFailed,
                        format!("cannot walk `{}`", fsutil::shown(&p)),
                    )),
                }
            }
        })?;
        let name = relative_name(path, entry.path())?;
        if entry.path_is_symlink() {
            if !opts.allow_symlinks {
                return Err(symlink_refused(entry.path()));
            }
            ensure_inside(entry.path(), canon_root.as_deref())?;
        }
        let ft = entry.file_type();
        if ft.is_dir() || opts.only.as_ref().is_some_and(|only| !only.contains(&name)) {
            continue;
        }
        if !ft.is_file() {
            return Err(not_file_or_dir(entry.path(), &ft));
        }
        let size = entry
            .metadata()
            .map_err(|e| Error::io(entry.path(), e.into()))?
            .len();
        // Links are followed only with `allow_symlinks`; then any file may
        // lie behind one.
        let (file_path, file_root) = placed(
            entry.path(),
            opts.allow_symlinks || leaf_link,
            root,
            canon_root.as_deref(),
        )?;
        files.push(FileJob {
            path: file_path,
            name,
            size,
            root: file_root,
        });
    }
    files.sort_by(|a, b| component_cmp(&a.name, &b.name));
    Ok(Listing {
        kind: Kind::Directory,
        files,
    })
}

fn not_file_or_dir(path: &Path, ft: &std::fs::FileType) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::NotAFile,
            format!(
                "`{}` is {}, neither a regular file nor a directory",
                fsutil::shown(path),
                fsutil::describe_type(ft)
            ),
        )
        .help("evidence must be regular files and directories: a FIFO, device or socket could block or never end"),
    )
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
                    format!(
                        "`{}` has a name that is not valid UTF-8",
                        fsutil::shown(full)
                    ),
                )));
            }
        }
    }
    Ok(parts.join("/"))
}
