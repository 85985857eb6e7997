//! Diagnostics and errors shared by every part of strata.
//!
//! A [`Diagnostic`] is one finding about an input: a stable kebab-case code, a
//! severity, a message, and where it was found (file, line, column, JSON
//! pointer) with an optional help hint. Parsers collect *all* diagnostics of a
//! file before giving up, the way cargo-deny accumulates configuration errors.
//!
//! An [`Error`] is why a command could not do its job. Every error maps to exit
//! status 2 (usage, input or I/O); a check that ran and failed is not an error
//! but an outcome with exit status 1 (see [`ExitStatus`]).
//!
//! Every code is registered in [`Code`], with the explanation `strata
//! explain CODE` prints.

mod code;

pub use code::{Code, reference};

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Process exit status, stable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExitStatus {
    /// 0: everything asked for succeeded.
    Success,
    /// 1: a check, verification or gate ran and failed.
    Failure,
    /// 2: usage, input or I/O error; nothing was judged.
    Error,
}

impl ExitStatus {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational context.
    Note,
    /// Worth attention; does not fail by itself.
    Warning,
    /// Fails the input or the check.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A position in a text file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// Line, starting at 1.
    pub line: usize,
    /// Column in characters, starting at 1.
    pub column: usize,
}

/// One finding about an input file or a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `yaml-syntax` or `unknown-key`; serialised as its
    /// kebab-case name.
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it was found in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// Where in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// JSON pointer of the offending value, when the file is structured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error-level diagnostic.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            file: None,
            position: None,
            pointer: None,
            help: None,
        }
    }

    /// A new note: context that needs no action.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    /// A new warning-level diagnostic.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Attach the file.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach a position.
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Attach a JSON pointer.
    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Attach a help hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// `text` with every control character (C0, DEL, C1: a NUL, an escape, a
/// newline) and every character that reorders or hides text (bidi
/// overrides, zero-width characters) shown as a Rust-style escape such as
/// `\u{1b}`, so text taken from a file or a file name cannot forge, colour
/// or hide lines on a terminal ([`crate::escape::terminal`]).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    crate::escape::terminal(text)
}

impl fmt::Display for Diagnostic {
    /// Renders `error[code]: message`, then `  --> file:line:column`, then
    /// `  = help: ...`, the way rustc and cargo-deny do. Control characters
    /// in the message, the file name, the pointer and the hint are escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.severity,
            self.code,
            escape_controls(&self.message)
        )?;
        if let Some(file) = &self.file {
            write!(f, "\n  --> {}", escape_controls(&file.to_string_lossy()))?;
            if let Some(p) = self.position {
                write!(f, ":{}:{}", p.line, p.column)?;
            }
            if let Some(ptr) = &self.pointer
                && !ptr.is_empty()
            {
                write!(f, " (at {})", escape_controls(ptr))?;
            }
        } else if let Some(ptr) = &self.pointer {
            write!(f, "\n  --> {}", escape_controls(ptr))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", escape_controls(help))?;
        }
        Ok(())
    }
}

/// Why a command could not do its job. Always exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file was unreadable as what it should be; carries every
    /// diagnostic found in it.
    #[error("{}", render_all(.0))]
    Invalid(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{}: {source}", escape_controls(&path.to_string_lossy()))]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
    /// strata failed inside itself (e.g. could not serialise its own
    /// output): a defect to report, not a problem with the input.
    #[error("{0}")]
    Internal(String),
}

fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    out
}

impl Error {
    /// An input error with one diagnostic.
    pub fn invalid(diag: Diagnostic) -> Self {
        Error::Invalid(vec![diag])
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An internal failure: `what` failed because of `e`.
    pub fn internal(what: &str, e: impl fmt::Display) -> Self {
        Error::Internal(format!("{what}: {e}"))
    }

    /// The diagnostics this error carries, for JSON output.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Invalid(d) => d.clone(),
            Error::Io { path, source } => {
                vec![Diagnostic::error(Code::IoError, source.to_string()).in_file(path.clone())]
            }
            Error::Usage(m) => vec![Diagnostic::error(Code::Usage, m.clone())],
            Error::Internal(m) => vec![
                Diagnostic::error(Code::Internal, m.clone())
                    .help("this is a defect in strata; please report it"),
            ],
        }
    }
}

/// Result with strata's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// `value` as pretty-printed JSON. A value that cannot be serialised (a
/// defect, e.g. a map with non-string keys) is an [`Error::Internal`], never
/// empty output.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::internal("cannot serialise as JSON", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_help() {
        let d = Diagnostic::error(Code::UnknownKey, "unknown key `colour`")
            .in_file("stacks/a.yaml")
            .at(Some(Position { line: 3, column: 5 }))
            .help("did you mean `color`?");
        assert_eq!(
            d.to_string(),
            "error[unknown-key]: unknown key `colour`\n  --> stacks/a.yaml:3:5\n  = help: did you mean `color`?"
        );
    }

    #[test]
    fn internal_errors_say_they_are_defects() {
        let e = Error::internal("cannot serialise the report", "key must be a string");
        assert_eq!(
            e.to_string(),
            "cannot serialise the report: key must be a string"
        );
        let d = e.diagnostics();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::Internal);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("defect")));
        // Serialisation failures become internal errors, not empty output.
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1);
        assert!(matches!(to_json_pretty(&bad), Err(Error::Internal(_))));
        assert_eq!(to_json_pretty(&[1, 2]).unwrap(), "[\n  1,\n  2\n]");
        // The code serialises as its name.
        let j = serde_json::to_value(Diagnostic::error(Code::UnknownKey, "m")).unwrap();
        assert_eq!(j["code"], "unknown-key");
    }

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(ExitStatus::Success.code(), 0);
        assert_eq!(ExitStatus::Failure.code(), 1);
        assert_eq!(ExitStatus::Error.code(), 2);
    }
}
