//! Appending to the reviews file without losing a concurrent entry.
//!
//! A writer holds an operating-system advisory lock (`flock` on Unix,
//! `LockFileEx` on Windows) on `.reviews.yaml.lock` beside the file,
//! re-reads the file under the lock, appends its entry, writes the
//! canonical result to a temporary file and renames it over the original,
//! then releases the lock. Two `strata review` processes therefore
//! serialise: the second reads the first one's entry before adding its own.
//! The kernel releases the lock when its holder dies, so a writer killed
//! with `kill -9` (a cancelled CI job) leaves at most an unlocked lock file
//! behind, which the next writer simply locks again; the reviews file is
//! only ever replaced whole. Comments in the file are kept.
//!
//! On Unix the holder removes the lock file before releasing it. A writer
//! that was waiting on the removed file notices (the path no longer names
//! the file it locked) and locks the current one instead, so two writers
//! never both believe they hold the lock.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::canon;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;
use crate::model::{self, FileKind, Review};

/// How long a writer waits for another, live one to finish.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(20);

/// Header written at the top of a new reviews file.
const HEADER: &str = "\
# Reviews of device attestations, written by `strata review`: each entry
# binds a verdict to the SHA-256 of one attestation file. Append-only in
# meaning; `strata fmt` keeps it sorted. Schema: `strata schema reviews`.
";

/// An exclusive advisory lock on a reviews file, released on drop (and by
/// the kernel if the process dies first).
pub(crate) struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    pub(crate) fn acquire(target: &Path, timeout: Duration) -> Result<Lock> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "reviews.yaml".to_string());
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(format!(".{name}.lock"));
        let start = Instant::now();
        let mut wait = Duration::from_millis(2);
        loop {
            let file = open_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {
                    if names_same_file(&path, &file) {
                        return Ok(Lock { file, path });
                    }
                    // The previous holder removed it as we locked: take
                    // the current one.
                    continue;
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
            if start.elapsed() >= timeout {
                return Err(Error::invalid(
                    Diagnostic::error(
                        Code::ReviewsLocked,
                        format!(
                            "another strata process has been writing {} for {} s",
                            target.display(),
                            timeout.as_secs()
                        ),
                    )
                    .in_file(&path)
                    .help(
                        "the lock is held by a running process (a dead one releases it); \
                         wait for it to finish, or find it with `fuser` or `lsof` on the lock file",
                    ),
                ));
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_millis(100));
        }
    }
}

/// Open (creating) the lock file for locking: never through a symbolic
/// link, never anything but a regular file, never blocking on a FIFO.
fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        options.custom_flags(flags.bits().cast_signed());
    }
    let file = options.open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::NotAFile,
                "the reviews lock file is not a regular file",
            )
            .in_file(path)
            .help("remove it; strata creates it as an empty file"),
        ));
    }
    Ok(file)
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn names_same_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Lock files are never removed where open files cannot be, so the path
/// always names the locked file.
#[cfg(not(unix))]
fn names_same_file(_path: &Path, _file: &File) -> bool {
    true
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (see the module note), then released.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Append `entry` to the reviews file at `path` (created when missing),
/// under the lock, canonically and atomically.
pub fn commit(path: &Path, entry: &Review) -> Result<()> {
    commit_with_timeout(path, entry, LOCK_TIMEOUT)
}

/// [`commit`] with an explicit lock timeout.
pub fn commit_with_timeout(path: &Path, entry: &Review, timeout: Duration) -> Result<()> {
    let _lock = Lock::acquire(path, timeout)?;
    append_locked(path, std::slice::from_ref(entry), false).map(|_| ())
}

/// Append those of `entries` the reviews file at `path` does not hold yet
/// (created when missing), under the lock, canonically and atomically;
/// the number appended.
pub fn commit_new(path: &Path, entries: &[Review]) -> Result<usize> {
    let _lock = Lock::acquire(path, LOCK_TIMEOUT)?;
    append_locked(path, entries, true)
}

/// Append `entries` (with `skip_present`, only those not in the file yet)
/// to the reviews file at `path`, whose lock the caller holds.
fn append_locked(path: &Path, entries: &[Review], skip_present: bool) -> Result<usize> {
    let text = if path.exists() {
        fsutil::read_text(path)?
    } else {
        format!("{HEADER}version: 1\nreviews: []\n")
    };
    let loaded = model::parse_str::<model::Reviews>(&text, path, FileKind::Reviews)?;
    let comments = canon::comments::collect(&text, &loaded.spans);
    let mut raw = loaded.raw.clone();
    let Some(list) = raw.get_mut("reviews").and_then(Value::as_array_mut) else {
        return Err(Error::invalid(
            Diagnostic::error(Code::InvalidValue, "`reviews` is not a list").in_file(path),
        ));
    };
    let mut added = 0;
    for entry in entries {
        if skip_present && loaded.value.reviews.contains(entry) {
            continue;
        }
        let new = serde_json::to_value(entry).map_err(|e| {
            Error::invalid(Diagnostic::error(Code::InvalidValue, e.to_string()).in_file(path))
        })?;
        list.push(new);
        added += 1;
    }
    if added == 0 && path.exists() {
        return Ok(0);
    }
    // The result must still be a valid reviews file (the entries came from
    // typed values, but check rather than trust).
    let out = canon::render(&raw, FileKind::Reviews, &comments, path)?;
    model::parse_str::<model::Reviews>(&out, path, FileKind::Reviews)?;
    fsutil::write_atomic(path, out.as_bytes())?;
    Ok(added)
}
