//! The one guarded open: every file strata reads is opened here.
//!
//! A file is opened only when it is a regular file, checked before it is
//! opened (so a FIFO, a device or a socket is never opened at all, and the
//! open cannot block) and again on the opened descriptor (so a swap between
//! the two is caught). The open is non-blocking and never makes a terminal
//! the controlling one.
//!
//! A path inside the fleet ([`Scope::Within`]) is resolved one component at a
//! time from the fleet directory without following symbolic links: a link
//! anywhere below the fleet directory (an intermediate directory as much as
//! the file itself) is refused, and `..` may not climb out of it. A path the
//! user named ([`Scope::Given`]) may be anywhere and reached through links,
//! but gets the same type checks. Reads are bounded by counting the bytes
//! read, never by the size `stat` reports (`/dev/zero` and files under
//! `/proc` report 0).

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

use crate::diag::{Code, Diagnostic, Error, Result};

/// Where a path may lead when strata opens it.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// A path the user named (a command-line argument, or a stack entry
    /// with `allow-outside-root`): it may be anywhere and reached through
    /// symbolic links; only the type and size checks apply.
    Given,
    /// A path inside the fleet directory (the argument): every component
    /// below it is resolved without following symbolic links, and the path
    /// may not leave it. The directory itself is trusted and may be reached
    /// through links.
    Within(&'a Path),
}

/// What a file system object is, in words, for messages ("a FIFO (named
/// pipe)", "a character device", ...).
pub fn describe(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// The refusal of a path that is not a regular file.
pub(super) fn not_regular(path: &Path, what: &str) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::NotAFile,
            format!("`{}` is {what}, not a regular file", super::shown(path)),
        )
        .in_file(path)
        .help("strata reads regular files only: a FIFO, device or socket could block or never end"),
    )
}

/// The refusal of a symbolic link inside the fleet.
pub(super) fn link_refused(path: &Path, link: &Path) -> Error {
    let msg = if link == path {
        format!("`{}` is a symbolic link", super::shown(path))
    } else {
        format!(
            "`{}` leads through the symbolic link `{}`",
            super::shown(path),
            super::shown(link)
        )
    };
    Error::invalid(
        Diagnostic::error(Code::SymlinkRefused, msg)
            .in_file(path)
            .help("paths inside the fleet are read without following symbolic links; point at the real file"),
    )
}

/// The refusal of a path that climbs out of the fleet.
pub(super) fn outside(path: &Path, root: &Path) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::PathOutsideRoot,
            format!(
                "`{}` is outside the fleet directory `{}`",
                super::shown(path),
                super::shown(root)
            ),
        )
        .in_file(path)
        .help("keep evidence inside the fleet directory, or set `allow-outside-root: true` on the entry"),
    )
}

/// `path` relative to `root`, as plain names: `.` dropped, `..` cancelled
/// lexically, and refused when it would climb above `root`.
pub(super) fn relative_names(root: &Path, path: &Path) -> Result<Vec<std::ffi::OsString>> {
    let root_n = super::normalize_lexically(root);
    let path_n = super::normalize_lexically(path);
    let rel = path_n
        .strip_prefix(&root_n)
        .map_err(|_| outside(path, root))?;
    let mut names = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) => names.push(n.to_os_string()),
            Component::CurDir => {}
            _ => return Err(outside(path, root)),
        }
    }
    Ok(names)
}

/// Open `path` for reading, as a regular file only (see the module note).
pub fn open_regular(path: &Path, scope: Scope<'_>) -> Result<File> {
    let file = match scope {
        Scope::Given => open_given(path)?,
        Scope::Within(root) => open_within(root, path)?,
    };
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular(path, describe(&meta.file_type())));
    }
    Ok(file)
}

fn open_given(path: &Path) -> Result<File> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular(path, describe(&meta.file_type())));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(nonblocking_flags());
    }
    opts.open(path).map_err(|e| Error::io(path, e))
}

#[cfg(unix)]
fn nonblocking_flags() -> i32 {
    use rustix::fs::OFlags;
    // The flag bits are small positive constants; the cast cannot wrap.
    (OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32
}

#[cfg(unix)]
fn open_within(root: &Path, path: &Path) -> Result<File> {
    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, openat, statat};
    let names = relative_names(root, path)?;
    let Some((leaf, dirs)) = names.split_last() else {
        return Err(not_regular(path, "the fleet directory itself"));
    };
    let io = |p: &Path, e: rustix::io::Errno| Error::io(p, std::io::Error::from(e));
    let start = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let mut dir = openat(
        CWD,
        start,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| io(root, e))?;
    let mut walked = super::normalize_lexically(root);
    for name in dirs {
        walked.push(name);
        dir = match openat(
            &dir,
            name.as_os_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(e) => return Err(component_error(path, &walked, &dir, name, e)),
        };
    }
    walked.push(leaf);
    let st = statat(&dir, leaf.as_os_str(), AtFlags::SYMLINK_NOFOLLOW).map_err(|e| io(path, e))?;
    #[allow(clippy::unnecessary_cast)]
    let ft = FileType::from_raw_mode(st.st_mode as rustix::fs::RawMode);
    match ft {
        FileType::RegularFile => {}
        FileType::Symlink => return Err(link_refused(path, path)),
        other => return Err(not_regular(path, describe_raw(other))),
    }
    let fd = openat(
        &dir,
        leaf.as_os_str(),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| io(path, e))?;
    Ok(File::from(fd))
}

/// Why an intermediate directory could not be opened: a link, not a
/// directory, or the operating system's reason.
#[cfg(unix)]
fn component_error(
    path: &Path,
    walked: &Path,
    dir: &rustix::fd::OwnedFd,
    name: &std::ffi::OsStr,
    e: rustix::io::Errno,
) -> Error {
    use rustix::fs::{AtFlags, FileType, statat};
    if let Ok(st) = statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        #[allow(clippy::unnecessary_cast)]
        let ft = FileType::from_raw_mode(st.st_mode as rustix::fs::RawMode);
        match ft {
            FileType::Symlink => return link_refused(path, walked),
            FileType::Directory => {}
            other => {
                return Error::invalid(
                    Diagnostic::error(
                        Code::NotAFile,
                        format!(
                            "`{}` is {}, not a directory",
                            super::shown(walked),
                            describe_raw(other)
                        ),
                    )
                    .in_file(path),
                );
            }
        }
    }
    Error::io(walked, std::io::Error::from(e))
}

#[cfg(unix)]
fn describe_raw(ft: rustix::fs::FileType) -> &'static str {
    use rustix::fs::FileType;
    match ft {
        FileType::RegularFile => "a regular file",
        FileType::Directory => "a directory",
        FileType::Symlink => "a symbolic link",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        _ => "not a regular file",
    }
}

#[cfg(not(unix))]
fn open_within(root: &Path, path: &Path) -> Result<File> {
    check_links(root, path)?;
    open_given(path)
}

/// Refuse a symbolic link in any component of `path` below `root`, the last
/// included (not race-free: used where no descriptor-relative open exists).
#[cfg(not(unix))]
fn check_links(root: &Path, path: &Path) -> Result<()> {
    let mut walked = super::normalize_lexically(root);
    for name in relative_names(root, path)? {
        walked.push(name);
        let meta = std::fs::symlink_metadata(&walked).map_err(|e| Error::io(&walked, e))?;
        if meta.file_type().is_symlink() {
            return Err(link_refused(path, &walked));
        }
    }
    Ok(())
}

/// Check that `path` is a directory reached from `root` without symbolic
/// links (with [`Scope::Given`], only that it is a directory). Used before
/// walking a directory; each file in it is then opened with
/// [`open_regular`].
pub fn check_dir(path: &Path, scope: Scope<'_>) -> Result<()> {
    let meta = match scope {
        Scope::Given => std::fs::metadata(path).map_err(|e| Error::io(path, e))?,
        Scope::Within(root) => {
            let mut walked = super::normalize_lexically(root);
            let mut last = None;
            for name in relative_names(root, path)? {
                walked.push(name);
                let meta = std::fs::symlink_metadata(&walked).map_err(|e| Error::io(&walked, e))?;
                if meta.file_type().is_symlink() {
                    return Err(link_refused(path, &walked));
                }
                last = Some(meta);
            }
            match last {
                Some(m) => m,
                None => std::fs::metadata(root).map_err(|e| Error::io(root, e))?,
            }
        }
    };
    if meta.is_dir() {
        Ok(())
    } else {
        Err(Error::invalid(
            Diagnostic::error(
                Code::NotAFile,
                format!(
                    "`{}` is {}, not a directory",
                    super::shown(path),
                    describe(&meta.file_type())
                ),
            )
            .in_file(path),
        ))
    }
}

/// Check, without reading it, that `path` is a regular file reached within
/// `scope`: for paths handed on to code that reads them later (trust
/// material named in a stack), which opens them with [`Scope::Given`].
pub fn check_file(path: &Path, scope: Scope<'_>) -> Result<()> {
    open_regular(path, scope).map(drop)
}

/// Read everything from `reader` (named `path` in messages), refusing more
/// than `limit` bytes. The count of bytes read is the bound; `size_hint`
/// (what `stat` said) only sizes the first allocation.
pub fn read_to_limit(
    reader: impl Read,
    path: &Path,
    limit: u64,
    size_hint: u64,
) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(size_hint.min(limit).min(1 << 20) as usize);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > limit {
        return Err(Error::invalid(super::too_large(path, limit)));
    }
    Ok(buf)
}

/// Read a whole regular file within `scope`, refusing more than `limit`
/// bytes.
pub fn read_limited(path: &Path, scope: Scope<'_>, limit: u64) -> Result<Vec<u8>> {
    let file = open_regular(path, scope)?;
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    if hint > limit {
        return Err(Error::invalid(super::too_large(path, limit)));
    }
    read_to_limit(file, path, limit, hint)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn code(e: Error) -> String {
        e.diagnostics()[0].code.to_string()
    }

    fn mkfifo(p: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo failed");
    }

    #[test]
    fn fifos_and_devices_are_refused_before_they_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        // Opening a FIFO for reading without O_NONBLOCK would block here.
        let e = read_limited(&fifo, Scope::Given, 1024).unwrap_err();
        assert_eq!(code(e), "not-a-file");
        let e = read_limited(&fifo, Scope::Within(dir.path()), 1024).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read_limited(Path::new("/dev/zero"), Scope::Given, 1024).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let e = read_limited(dir.path(), Scope::Given, 1024).unwrap_err();
        assert!(e.to_string().contains("a directory"), "{e}");
    }

    #[test]
    fn links_inside_the_fleet_are_refused_at_every_component() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"s").unwrap();
        let fleet = tempfile::tempdir().unwrap();
        let root = fleet.path();
        std::fs::create_dir_all(root.join("evidence/real")).unwrap();
        std::fs::write(root.join("evidence/real/a.bin"), b"a").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("evidence/out")).unwrap();
        std::os::unix::fs::symlink(
            root.join("evidence/real/a.bin"),
            root.join("evidence/l.bin"),
        )
        .unwrap();
        let within = Scope::Within(root);
        assert_eq!(
            read_limited(&root.join("evidence/real/a.bin"), within, 16).unwrap(),
            b"a"
        );
        // An intermediate directory that is a link (to outside the fleet).
        let e = read_limited(&root.join("evidence/out/secret"), within, 16).unwrap_err();
        assert_eq!(code(e), "symlink-refused");
        // The file itself a link, even to a file inside.
        let e = read_limited(&root.join("evidence/l.bin"), within, 16).unwrap_err();
        assert_eq!(code(e), "symlink-refused");
        // `..` cannot climb out lexically either.
        let e = read_limited(&root.join("../x"), within, 16).unwrap_err();
        assert_eq!(code(e), "path-outside-root");
        // The same file named by the user is read through the link.
        assert_eq!(
            read_limited(&root.join("evidence/out/secret"), Scope::Given, 16).unwrap(),
            b"s"
        );
        assert_eq!(
            code(check_dir(&root.join("evidence/out"), within).unwrap_err()),
            "symlink-refused"
        );
        check_dir(&root.join("evidence/real"), within).unwrap();
    }

    #[test]
    fn reads_are_bounded_by_the_bytes_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, vec![0u8; 100]).unwrap();
        // A reader that says nothing of its size is still cut at the limit.
        let e = read_to_limit(std::io::repeat(0), &p, 64, 0).unwrap_err();
        assert_eq!(code(e), "input-too-large");
        assert_eq!(read_to_limit(&b"abc"[..], &p, 3, 0).unwrap(), b"abc");
        assert_eq!(
            code(read_limited(&p, Scope::Given, 99).unwrap_err()),
            "input-too-large"
        );
    }
}
