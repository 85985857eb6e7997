//! Progress reporting for long hashing work: a byte-count bar on stderr that
//! only appears when stderr is a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Receives progress from hashing; called from several threads.
pub trait Progress: Sync {
    /// Work is about to start: `total` bytes in `files` files.
    fn start(&self, total: u64, files: usize);
    /// `bytes` more were hashed.
    fn advance(&self, bytes: u64);
    /// Work is done.
    fn finish(&self);
}

/// A progress bar on stderr.
#[derive(Debug)]
pub struct StderrProgress {
    bar: ProgressBar,
    label: String,
}

impl StderrProgress {
    /// A bar labelled `label`, or `None` when stderr is not a terminal (CI,
    /// pipes, redirected output), so that nothing is drawn there.
    pub fn if_terminal(label: &str) -> Option<StderrProgress> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(8));
        Some(StderrProgress {
            bar,
            label: label.to_string(),
        })
    }
}

impl Progress for StderrProgress {
    fn start(&self, total: u64, files: usize) {
        let style = ProgressStyle::with_template(
            "{prefix} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        self.bar.set_style(style);
        self.bar.set_prefix(self.label.clone());
        self.bar.set_message(format!("{files} files"));
        self.bar.set_length(total);
        self.bar.enable_steady_tick(Duration::from_millis(250));
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
