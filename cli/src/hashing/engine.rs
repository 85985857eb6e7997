//! The hashing engine: stream files or byte ranges through SHA-256 with one
//! fixed buffer per worker, in parallel over all cores.

use std::cell::RefCell;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::walk::FileJob;
use super::{BUFFER_SIZE, Entry, Mode, Progress};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil::{self, Scope};

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// SHA-256 of a byte slice.
pub(super) fn digest_of(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Stream `len` bytes (or to end of file when `None`) from `reader`.
fn stream(
    path: &Path,
    reader: &mut impl Read,
    len: Option<u64>,
    progress: Option<&dyn Progress>,
) -> Result<(u64, [u8; 32])> {
    BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() != BUFFER_SIZE {
            buf.resize(BUFFER_SIZE, 0);
        }
        let mut hasher = Sha256::new();
        let mut done: u64 = 0;
        loop {
            let want = match len {
                Some(l) => (l - done).min(BUFFER_SIZE as u64) as usize,
                None => BUFFER_SIZE,
            };
            if want == 0 {
                break;
            }
            let n = match reader.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(path, e)),
            };
            hasher.update(&buf[..n]);
            done += n as u64;
            if let Some(p) = progress {
                p.advance(n as u64);
            }
        }
        if let Some(l) = len
            && done != l
        {
            return Err(Error::invalid(Diagnostic::error(
                Code::FileChanged,
                format!("`{}` shrank while it was being hashed", path.display()),
            )));
        }
        Ok((done, hasher.finalize().into()))
    })
}

/// SHA-256 and size of a whole regular file, streamed, opened within
/// `scope` (see [`fsutil::open_regular`]).
pub fn hash_file(path: &Path, scope: Scope<'_>) -> Result<(u64, [u8; 32])> {
    hash_file_reporting(path, scope, None)
}

fn hash_file_reporting(
    path: &Path,
    scope: Scope<'_>,
    progress: Option<&dyn Progress>,
) -> Result<(u64, [u8; 32])> {
    let mut f = fsutil::open_regular(path, scope)?;
    stream(path, &mut f, None, progress)
}

/// SHA-256 of bytes `start..end` of a regular file opened within `scope`.
pub fn hash_range(path: &Path, scope: Scope<'_>, start: u64, end: u64) -> Result<[u8; 32]> {
    hash_range_reporting(path, scope, start, end, None)
}

fn hash_range_reporting(
    path: &Path,
    scope: Scope<'_>,
    start: u64,
    end: u64,
    progress: Option<&dyn Progress>,
) -> Result<[u8; 32]> {
    let mut f = fsutil::open_regular(path, scope)?;
    f.seek(SeekFrom::Start(start))
        .map_err(|e| Error::io(path, e))?;
    Ok(stream(path, &mut f, Some(end.saturating_sub(start)), progress)?.1)
}

/// One unit of work: a file, or a shard of one.
struct Job<'a> {
    file: &'a FileJob,
    range: Option<(u64, u64)>,
}

/// Hash every file (or shard) and return entries in listing order.
pub(super) fn hash_all(
    files: &[FileJob],
    mode: Mode,
    progress: Option<&dyn Progress>,
) -> Result<Vec<Entry>> {
    let jobs: Vec<Job<'_>> = match mode {
        Mode::Files => files.iter().map(|file| Job { file, range: None }).collect(),
        Mode::Shards(size) => {
            let size = size.max(1);
            let mut jobs = Vec::new();
            for file in files {
                let mut start = 0;
                while start < file.size {
                    let end = (start + size).min(file.size);
                    jobs.push(Job {
                        file,
                        range: Some((start, end)),
                    });
                    start = end;
                }
            }
            jobs
        }
    };
    jobs.par_iter()
        .with_max_len(1)
        .map(|job| match job.range {
            None => {
                let (size, digest) =
                    hash_file_reporting(&job.file.path, job.file.scope(), progress)?;
                Ok(Entry {
                    name: job.file.name.clone(),
                    size,
                    digest,
                })
            }
            Some((start, end)) => {
                let digest =
                    hash_range_reporting(&job.file.path, job.file.scope(), start, end, progress)?;
                Ok(Entry {
                    name: format!("{}:{start}:{end}", job.file.name),
                    size: end - start,
                    digest,
                })
            }
        })
        .collect()
}
