//! Terminal output: machine output on stdout, diagnostics and progress on
//! stderr. In JSON mode errors are JSON too.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use strata::diag::{Diagnostic, Error};

/// How errors are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// `error[code]: message` blocks on stderr.
    Human,
    /// `{"error": {...}, "diagnostics": [...]}` on stdout.
    Json,
}

/// Print an error that stopped a command.
pub fn report_error(err: &Error, format: ErrorFormat) {
    match format {
        ErrorFormat::Human => {
            let text = err.to_string();
            let text = if text.starts_with("error") || text.starts_with("warning") {
                text
            } else {
                format!("error: {text}")
            };
            eprintln!("{text}");
        }
        ErrorFormat::Json => {
            let diags = err.diagnostics();
            let v = serde_json::json!({"error": err.to_string(), "diagnostics": diags});
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
    }
}

/// Print warnings and notes that did not stop the command.
pub fn report_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

/// Write machine output to stdout; a closed pipe is not an error.
pub fn stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A one-line status message on stderr (progress, files written).
pub fn status(msg: &str) {
    eprintln!("{msg}");
}
