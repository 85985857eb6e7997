//! Appending to the reviews file without losing a concurrent entry.
//!
//! A writer takes `.reviews.yaml.lock` (created exclusively beside the file;
//! retried with back-off for up to [`LOCK_TIMEOUT`]), re-reads the file
//! under the lock, appends its entry, writes the canonical result to a
//! temporary file and renames it over the original, then removes the lock.
//! Two `strata review` processes therefore serialise: the second reads the
//! first one's entry before adding its own. Comments in the file are kept.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::canon;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;
use crate::model::{self, FileKind, Review};

/// How long a writer waits for another one to finish.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(20);

/// Header written at the top of a new reviews file.
const HEADER: &str = "\
# Reviews of device attestations, written by `strata review`: each entry
# binds a verdict to the SHA-256 of one attestation file. Append-only in
# meaning; `strata fmt` keeps it sorted. Schema: `strata schema reviews`.
";

/// An exclusive lock on a reviews file, released on drop.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn acquire(target: &Path, timeout: Duration) -> Result<Lock> {
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
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if start.elapsed() >= timeout {
                        return Err(Error::invalid(
                            Diagnostic::error(
                                Code::ReviewsLocked,
                                format!(
                                    "another strata process has held the lock on {} for {} s",
                                    target.display(),
                                    timeout.as_secs()
                                ),
                            )
                            .in_file(&path)
                            .help(
                                "if no strata process is running, delete the lock file and retry",
                            ),
                        ));
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(100));
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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
    let text = if path.exists() {
        fsutil::read_text(path)?
    } else {
        format!("{HEADER}version: 1\nreviews: []\n")
    };
    let loaded = model::parse_str::<model::Reviews>(&text, path, FileKind::Reviews)?;
    let comments = canon::comments::collect(&text, &loaded.spans);
    let mut raw = loaded.raw.clone();
    let new = serde_json::to_value(entry).map_err(|e| {
        Error::invalid(Diagnostic::error(Code::InvalidValue, e.to_string()).in_file(path))
    })?;
    match raw.get_mut("reviews").and_then(Value::as_array_mut) {
        Some(list) => list.push(new),
        None => {
            return Err(Error::invalid(
                Diagnostic::error(Code::InvalidValue, "`reviews` is not a list").in_file(path),
            ));
        }
    }
    // The result must still be a valid reviews file (the entry came from a
    // typed value, but check rather than trust).
    let out = canon::render(&raw, FileKind::Reviews, &comments, path)?;
    model::parse_str::<model::Reviews>(&out, path, FileKind::Reviews)?;
    fsutil::write_atomic(path, out.as_bytes())
}
