//! Hashing progress drawn on the terminal: the binary's implementation of
//! the library's [`strata::hashing::Progress`]. A byte-count bar on stderr,
//! only when stderr is a terminal, so CI logs and pipes stay clean.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on stderr, one per piece of work started.
#[derive(Debug, Default)]
pub struct TerminalProgress {
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    /// A reporter, or `None` when stderr is not a terminal (CI, pipes,
    /// redirected output), so that nothing is drawn there.
    pub fn if_terminal() -> Option<TerminalProgress> {
        std::io::stderr()
            .is_terminal()
            .then(TerminalProgress::default)
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        // A poisoned lock only means another thread panicked mid-draw;
        // progress is cosmetic, so keep drawing.
        let mut guard = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard);
    }
}

impl strata::hashing::Progress for TerminalProgress {
    fn start(&self, label: &str, total: u64, files: usize) {
        let style = ProgressStyle::with_template(
            "{prefix} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}, {eta} left, {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(8));
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        bar.set_message(if files == 1 {
            "1 file".to_string()
        } else {
            format!("{files} files")
        });
        bar.enable_steady_tick(Duration::from_millis(250));
        self.with_bar(|slot| {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance(&self, bytes: u64) {
        self.with_bar(|slot| {
            if let Some(b) = slot.as_ref() {
                b.inc(bytes);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|slot| {
            if let Some(b) = slot.take() {
                b.finish_and_clear();
            }
        });
    }
}
