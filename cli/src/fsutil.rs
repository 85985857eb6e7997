//! File-system helpers: bounded reads, atomic writes and path confinement.
//!
//! Every file strata writes goes through [`write_atomic`]: a temporary file in
//! the same directory, flushed, then renamed over the target, so a reader never
//! sees half an output. Every input strata reads whole goes through
//! [`read_bounded`], so a hostile multi-gigabyte "YAML file" is refused instead
//! of exhausting memory.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result};

/// Largest structured input (YAML, JSON, certificate, bundle) read whole: 64 MiB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Read a whole file, refusing anything larger than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::invalid(
            Diagnostic::error(Code::NotAFile, "expected a file, found a directory").in_file(path),
        ));
    }
    if meta.len() > limit {
        return Err(Error::invalid(too_large(path, limit)));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    // Read one byte past the limit to catch files that grow while read.
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > limit {
        return Err(Error::invalid(too_large(path, limit)));
    }
    Ok(buf)
}

fn too_large(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Code::InputTooLarge,
        format!("file is larger than the {} limit", limit_text(limit)),
    )
    .in_file(path)
}

/// A size limit for people: MiB, or KiB under 1 MiB (keys and tokens are
/// bounded in KiB: "the 0 MiB limit" said nothing).
fn limit_text(limit: u64) -> String {
    if limit >= 1024 * 1024 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit.div_ceil(1024))
    }
}

/// How standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// True when `path` is `-`, the command-line name of standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Read `path` whole within `limit` bytes, or standard input, with the same
/// limit, when `path` is `-`.
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>> {
    if !is_stdin(path) {
        return read_bounded(path, limit);
    }
    let name = Path::new(STDIN_NAME);
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(name, e))?;
    if buf.len() as u64 > limit {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::InputTooLarge,
                format!(
                    "standard input is larger than the {} limit",
                    limit_text(limit)
                ),
            )
            .in_file(name),
        ));
    }
    Ok(buf)
}

/// [`read_input`] as UTF-8 text within [`MAX_INPUT_BYTES`].
pub fn read_input_text(path: &Path) -> Result<String> {
    let bytes = read_input(path, MAX_INPUT_BYTES)?;
    let name = if is_stdin(path) {
        Path::new(STDIN_NAME)
    } else {
        path
    };
    utf8(bytes, name)
}

/// Read a whole UTF-8 text file within [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_bounded(path, MAX_INPUT_BYTES)?;
    utf8(bytes, path)
}

fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            Diagnostic::error(
                Code::NotUtf8,
                format!(
                    "file is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .in_file(path),
        )
    })
}

/// Write `contents` to `path` atomically: temporary file, fsync, rename.
/// Parent directories are created.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let mut n = 0u32;
    let (tmp_path, mut tmp) = loop {
        let candidate = parent.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(Error::io(&candidate, e)),
        }
    };
    let result = tmp
        .write_all(contents)
        .and_then(|()| tmp.sync_all())
        .and_then(|()| std::fs::rename(&tmp_path, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Remove `.` and `..` components lexically (without touching the disk).
pub fn normalize_lexically(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                // `..` after `..` (or at the start) stays; after a name it
                // cancels the name.
                let after_parent =
                    matches!(out.components().next_back(), Some(Component::ParentDir));
                if after_parent || !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Join `rel` onto `root`, refusing absolute paths and `..` components that
/// would leave `root`, unless `allow_escape` is set. Symbolic links are
/// checked separately by the caller (see `hashing`).
pub fn confine(root: &Path, rel: &str, allow_escape: bool) -> std::result::Result<PathBuf, String> {
    let p = Path::new(rel);
    if allow_escape {
        return Ok(if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        });
    }
    if p.is_absolute() {
        return Err(format!(
            "absolute path `{rel}` is outside the manifest's root"
        ));
    }
    let mut depth: i64 = 0;
    for c in p.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("path `{rel}` escapes the manifest's root"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "absolute path `{rel}` is outside the manifest's root"
                ));
            }
        }
    }
    Ok(root.join(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_lexically_keeps_leading_parents() {
        for (p, want) in [
            ("a/./b/../c", "a/c"),
            ("./../../x/y", "../../x/y"),
            ("../a/../../b", "../../b"),
            ("a/..", ""),
            ("a/../..", ".."),
        ] {
            assert_eq!(
                normalize_lexically(Path::new(p)),
                PathBuf::from(want),
                "{p}"
            );
        }
    }

    #[test]
    fn confine_refuses_escapes() {
        let root = Path::new("/r");
        assert!(confine(root, "a/b.bin", false).is_ok());
        assert!(confine(root, "a/../b.bin", false).is_ok());
        assert!(confine(root, "../b.bin", false).is_err());
        assert!(confine(root, "a/../../b.bin", false).is_err());
        assert!(confine(root, "/etc/passwd", false).is_err());
        assert_eq!(confine(root, "../x", true).unwrap(), Path::new("/r/../x"));
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.json");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn bounded_read_refuses_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 2048]).unwrap();
        let e = read_bounded(&p, 1024).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "input-too-large");
        assert_eq!(
            e.diagnostics()[0].message,
            "file is larger than the 1 KiB limit"
        );
        assert_eq!(read_bounded(&p, 4096).unwrap().len(), 2048);
        assert_eq!(
            too_large(&p, 64 * 1024 * 1024).message,
            "file is larger than the 64 MiB limit"
        );
    }
}
