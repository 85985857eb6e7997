//! Progress reporting for long hashing work. The library only reports;
//! the binary decides whether and how to draw it (a bar on a terminal,
//! nothing in CI).

/// Receives progress from hashing; called from several threads.
pub trait Progress: Sync {
    /// Work on `label` (the file or directory) is about to start: `total`
    /// bytes in `files` files.
    fn start(&self, label: &str, total: u64, files: usize);
    /// `bytes` more were hashed.
    fn advance(&self, bytes: u64);
    /// The work started last is done.
    fn finish(&self);
}
