//! Evidence hashing: SHA-256 of files and directories, fast and bounded.
//!
//! A file hashes to its SHA-256. A directory hashes to a [`Manifest`]: every
//! regular file under it with its digest, sorted by path components (so
//! `tokenizer/vocab.txt` sorts before `tokenizer.json`), and a manifest digest
//! that is the SHA-256 of the concatenated raw file digests in that order. That
//! is exactly the subject digest OpenSSF model-signing computes, so a model
//! directory's digest here matches its model-signing signature.
//!
//! Hashing streams each file through a fixed buffer (constant memory for any
//! size), spreads files (or shards of files) over all cores with rayon, and
//! uses the CPU's SHA extensions when it has them (`sha2` detects SHA-NI at
//! run time; [`sha_backend`] says which path is taken). Symbolic links are
//! refused unless allowed, and even then must stay inside the root when one is
//! given.

mod engine;
mod progress;
mod walk;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use engine::{hash_file, hash_range};
pub use progress::Progress;

use crate::diag::Result;

/// Size of the read buffer each worker streams through.
pub const BUFFER_SIZE: usize = 1 << 20;

/// Files and names that OpenSSF model-signing ignores by default.
pub const DEFAULT_IGNORED: &[&str] = &[".git", ".gitattributes", ".github", ".gitignore"];

/// How a tree is cut into hashed resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// One resource per file.
    #[default]
    Files,
    /// Files cut into shards of this many bytes, named `path:start:end`
    /// (end exclusive); empty files are dropped, as model-signing does.
    Shards(u64),
}

/// Options for [`hash_tree`].
#[derive(Debug, Clone)]
pub struct HashOptions {
    /// Follow symbolic links instead of refusing them.
    pub allow_symlinks: bool,
    /// When set, every file (and every followed link target) must resolve
    /// inside this directory.
    pub root: Option<PathBuf>,
    /// Paths relative to the hashed directory to leave out, matched by
    /// path-component prefix (`a/b` ignores `a/b` and `a/b/c`, not `a/bc`).
    pub ignore: Vec<String>,
    /// Also ignore [`DEFAULT_IGNORED`] at the top of the hashed directory
    /// (as model-signing does: they are paths relative to the model root).
    pub ignore_git_paths: bool,
    /// Files or shards.
    pub mode: Mode,
    /// When set, hash only the files with these names (relative,
    /// `/`-separated) and leave every other file out, as model-signing's
    /// `--ignore_unsigned_files` does.
    pub only: Option<std::collections::BTreeSet<String>>,
}

impl Default for HashOptions {
    fn default() -> Self {
        HashOptions {
            allow_symlinks: false,
            root: None,
            ignore: Vec::new(),
            ignore_git_paths: true,
            mode: Mode::Files,
            only: None,
        }
    }
}

/// Whether a hashed path was a file or a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A single regular file.
    File,
    /// A directory tree.
    Directory,
}

/// One hashed resource: a file, or a shard of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the hashed directory with `/` separators (the file
    /// name for a single file); `path:start:end` for a shard.
    pub name: String,
    /// Bytes hashed.
    pub size: u64,
    /// Raw SHA-256.
    pub digest: [u8; 32],
}

/// The result of hashing a file or directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// File or directory.
    pub kind: Kind,
    /// Resources in path-component order.
    pub entries: Vec<Entry>,
    /// For a file in files mode: its SHA-256. Otherwise the SHA-256 of the
    /// concatenated entry digests.
    pub digest: [u8; 32],
}

impl Manifest {
    /// Total bytes hashed.
    pub fn total_size(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// Lowercase hex of [`Manifest::digest`].
    pub fn hex_digest(&self) -> String {
        hex::encode(self.digest)
    }
}

/// The SHA-256 implementation `sha2` uses on this CPU.
pub fn sha_backend() -> &'static str {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        if std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse4.1")
        {
            return "x86 SHA-NI (hardware)";
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("sha2") {
            return "ARMv8 SHA2 (hardware)";
        }
    }
    "portable (software)"
}

/// Hash a file or directory. See the module notes for the digest rules.
pub fn hash_tree(path: &Path, opts: &HashOptions) -> Result<Manifest> {
    hash_tree_with_progress(path, opts, None)
}

/// [`hash_tree`] reporting bytes hashed to `progress`, labelled with the
/// path.
pub fn hash_tree_with_progress(
    path: &Path,
    opts: &HashOptions,
    progress: Option<&dyn Progress>,
) -> Result<Manifest> {
    let listing = walk::list(path, opts)?;
    let total: u64 = listing.files.iter().map(|f| f.size).sum();
    if let Some(p) = progress {
        p.start(&path.display().to_string(), total, listing.files.len());
    }
    let entries = engine::hash_all(&listing.files, opts.mode, progress)?;
    if let Some(p) = progress {
        p.finish();
    }
    let digest = if listing.kind == Kind::File && opts.mode == Mode::Files {
        entries
            .first()
            .map(|e| e.digest)
            .unwrap_or_else(|| engine::digest_of(&[]))
    } else {
        let mut concat = Vec::with_capacity(entries.len() * 32);
        for e in &entries {
            concat.extend_from_slice(&e.digest);
        }
        engine::digest_of(&concat)
    };
    Ok(Manifest {
        kind: listing.kind,
        entries,
        digest,
    })
}

/// Order two `/`-separated relative paths by their components, the order
/// OpenSSF model-signing lists resources in.
pub fn component_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}
