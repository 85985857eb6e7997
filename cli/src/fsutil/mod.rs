//! File-system helpers: bounded reads, atomic writes and path confinement.
//!
//! Every file strata writes goes through [`write_atomic`]: a temporary file in
//! the same directory, flushed, then renamed over the target, so a reader never
//! sees half an output. Every file strata reads is opened by
//! [`open_regular`] (regular files only, non-blocking, and inside the fleet
//! without following symbolic links; see [`Scope`]), and every input read
//! whole is bounded by counting bytes ([`read_limited`], [`read_bounded`]), so
//! a hostile multi-gigabyte "YAML file", a FIFO or `/dev/zero` is refused
//! instead of exhausting memory or hanging.

use std::path::{Component, Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result};

mod open;

pub use open::{
    Scope, check_dir, check_file, describe as describe_type, open_regular, read_limited,
    read_to_limit,
};

/// Largest structured input (YAML, JSON, certificate, bundle) read whole: 64 MiB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Most entries strata judges in one list of one file: the evidence entries
/// of a stack, the targets of Uptane metadata, the items of any one JSON
/// array or object in evidence. Beyond it a file is refused with
/// `too-many-entries` rather than read into memory.
pub const MAX_ENTRIES: usize = 10_000;

/// Read a whole regular file the user named, refusing anything larger than
/// `limit` bytes (see [`read_limited`]).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    read_limited(path, Scope::Given, limit)
}

/// A byte count in the largest binary unit that states it exactly (`1 MiB`,
/// `64 KiB`, `1536 bytes`), or to one decimal when no unit does.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {name}", n / size);
        }
    }
    for (name, size) in UNITS {
        if n >= size {
            // Tenths, rounded down so the limit is never overstated.
            let tenths = n * 10 / size;
            return format!("{}.{} {name}", tenths / 10, tenths % 10);
        }
    }
    format!("{n} bytes")
}

pub(crate) fn too_large(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Code::InputTooLarge,
        format!("file is larger than the {} limit", human_bytes(limit)),
    )
    .in_file(path)
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
    read_to_limit(std::io::stdin().lock(), Path::new(STDIN_NAME), limit, 0)
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

/// `path` for a message, with control characters (a NUL, an escape, a
/// newline) shown as escapes, so a hostile file name cannot forge output.
pub fn shown(path: &Path) -> String {
    crate::diag::escape_controls(&path.to_string_lossy()).into_owned()
}

/// Read a whole UTF-8 text file the user named within [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    read_text_in(path, Scope::Given)
}

/// Read a whole UTF-8 text file within `scope` and [`MAX_INPUT_BYTES`].
pub fn read_text_in(path: &Path, scope: Scope<'_>) -> Result<String> {
    utf8(read_limited(path, scope, MAX_INPUT_BYTES)?, path)
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
    write_atomic_with(path, |w| {
        w.write_all(contents).map_err(|e| Error::io(path, e))
    })
}

/// Write to `path` atomically what `write` streams into a buffered
/// temporary file (for outputs too large to build in memory): the file
/// appears complete, or not at all when `write` fails.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
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
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut tmp);
    let written = write(&mut buffered)
        .and_then(|()| std::io::Write::flush(&mut buffered).map_err(|e| Error::io(path, e)));
    drop(buffered);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(e);
    }
    let result = tmp
        .sync_all()
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

    #[test]
    fn limits_print_in_exact_units() {
        assert_eq!(human_bytes(1024 * 1024), "1 MiB");
        assert_eq!(human_bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(64 * 1024), "64 KiB");
        assert_eq!(human_bytes(1536 * 1024), "1536 KiB");
        assert_eq!(human_bytes(1536 * 1024 + 1), "1.5 MiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
        assert_eq!(human_bytes(0), "0 bytes");
    }

    #[test]
    fn shown_paths_escape_control_characters() {
        assert_eq!(shown(Path::new("a\0b\x1b[31m")), "a\\u{0}b\\u{1b}[31m");
        assert_eq!(shown(Path::new("plain/é.yaml")), "plain/é.yaml");
    }

    /// Every read of a file's contents in the library and the binary goes
    /// through the guarded open: a new `std::fs::read` (or `File::open`,
    /// `read_to_string`, a read-mode `OpenOptions`) outside this module and
    /// outside tests fails here.
    #[test]
    fn no_unguarded_reads() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let forbidden = [
            "fs::read(",
            "fs::read_to_string(",
            "File::open(",
            ".read(true)",
        ];
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy();
            if !name.ends_with(".rs")
                || name == "tests.rs"
                || name.ends_with("_tests.rs")
                || path.starts_with(src.join("fsutil"))
            {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            // Test modules sit at the end of a file.
            let body = text.split("#[cfg(test)]").next().unwrap_or("");
            for (i, line) in body.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for f in forbidden {
                    if code.contains(f) {
                        found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "read files through fsutil::open_regular / read_limited / read_bounded:\n{}",
            found.join("\n")
        );
    }
}
