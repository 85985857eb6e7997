//! Terminal output: machine output on stdout, diagnostics and progress on
//! stderr. In JSON mode errors are JSON too.
//!
//! Every write goes through [`stdout`] or [`stderr_line`], never `print!`:
//! a closed pipe (`strata log | head`, a reader that went away) is not an
//! error and never a panic. The command ends quietly with the status its
//! work earned; nothing is left to say to a reader that is gone.

use std::collections::BTreeSet;
use std::io::Write;

use strata::diag::{Diagnostic, Error, Severity};

use crate::args::Format;
use crate::color::{Painter, Tone};

/// How errors are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// `error[code]: message` blocks on stderr.
    Human,
    /// `{"error": {...}, "diagnostics": [...]}` on stdout.
    Json,
}

/// Print an error that stopped a command. Input and internal errors are
/// rendered as their diagnostics (see [`render_diagnostics`]); usage and I/O
/// errors as one `error: ...` line.
pub fn report_error(err: &Error, format: ErrorFormat) {
    match format {
        ErrorFormat::Human => stderr_painted(&render_human(err), paint_severities),
        ErrorFormat::Json => {
            let diags = err.diagnostics();
            let v = serde_json::json!({"error": err.to_string(), "diagnostics": diags});
            // A `Value` of strings and derived records always serialises.
            let text = strata::outputs::to_json(&v).unwrap_or_else(|e| {
                let v = serde_json::json!({
                    "schema_version": strata::outputs::SCHEMA_VERSION,
                    "error": format!("cannot render the error as JSON: {e}"),
                    "diagnostics": [],
                });
                format!("{v}\n")
            });
            // A closed stdout has no reader left to tell.
            let _ = stdout(text.as_bytes());
        }
    }
}

/// The human rendering of an error, without the final newline.
fn render_human(err: &Error) -> String {
    match err {
        Error::Invalid(_) | Error::Internal(_) => render_diagnostics(&err.diagnostics()),
        Error::Usage(_) | Error::Io { .. } => format!("error: {err}"),
    }
}

/// Diagnostics, one block each, without the final newline. The first error
/// of each code ends with a line pointing at `strata explain CODE`.
fn render_diagnostics(diags: &[Diagnostic]) -> String {
    let mut explained = BTreeSet::new();
    diags
        .iter()
        .map(|d| {
            if d.severity == Severity::Error && explained.insert(d.code) {
                format!("{d}\n  = note: {}", d.code.explain_hint())
            } else {
                d.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Print warnings and notes that did not stop the command (and errors in
/// the inputs a command judged, such as the BOMs `strata validate` checks).
pub fn report_diagnostics(diags: &[Diagnostic]) {
    if !diags.is_empty() {
        stderr_painted(&render_diagnostics(diags), paint_severities);
    }
}

/// Diagnostics with their severity coloured when stderr is.
fn paint_severities(text: &str) -> String {
    Painter::stderr().line_prefixes(
        text,
        &[
            ("error", Tone::Bad),
            ("warning", Tone::Warn),
            ("note", Tone::Note),
        ],
    )
}

/// Write a command's output in `format` to stdout. Text for people
/// ([`Format::Human`]) passes through [`strata::escape::terminal_lines`]:
/// whatever a renderer let through, no escape sequence, bidi control or
/// zero-width character from an input reaches the terminal raw. Machine
/// formats (JSON, SARIF, JUnit, XML) are escaped by their serialisers and
/// Markdown and HTML by their renderers; they are written as they are.
pub fn emit(format: Format, text: &[u8]) -> strata::diag::Result<()> {
    emit_painted(format, text, str::to_string)
}

/// [`emit`], with `paint` colouring human text after it is escaped (so the
/// colour's own escape sequences are the only ones that reach the terminal).
pub fn emit_painted(
    format: Format,
    text: &[u8],
    paint: impl Fn(&str) -> String,
) -> strata::diag::Result<()> {
    let painted;
    let bytes = if format == Format::Human {
        painted = paint(&strata::escape::terminal_lines(&String::from_utf8_lossy(
            text,
        )));
        painted.as_bytes()
    } else {
        text
    };
    stdout(bytes).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))
}

/// Write bytes to stdout as they are; a closed pipe is not an error.
pub fn stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A warning on stderr that does not stop the command (`warning: MSG`).
pub fn warning(msg: &str) {
    let msg = strata::escape::terminal_lines(msg);
    stderr_raw(&format!(
        "{}: {msg}",
        Painter::stderr().paint("warning", Tone::Warn)
    ));
}

/// A one-line status message on stderr (progress, files written).
pub fn status(msg: &str) {
    stderr_line(msg);
}

/// Write `msg` and a newline to stderr, escaped for a terminal (line
/// breaks and tabs kept). A closed or full stderr is ignored: messages are
/// for a reader, and there is none.
pub fn stderr_line(msg: &str) {
    stderr_raw(&strata::escape::terminal_lines(msg));
}

/// [`stderr_line`], with `paint` colouring the escaped text.
fn stderr_painted(msg: &str, paint: impl Fn(&str) -> String) {
    stderr_raw(&paint(&strata::escape::terminal_lines(msg)));
}

/// One line on stderr, written as it is (already escaped and painted).
fn stderr_raw(msg: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(msg.as_bytes());
    let _ = err.write_all(b"\n");
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use strata::diag::{Code, Position};

    use super::*;

    #[test]
    fn the_first_error_of_each_code_points_at_strata_explain() {
        let err = Error::Invalid(vec![
            Diagnostic::error(Code::UnknownKey, "unknown key `suplier`")
                .in_file("stacks/a.yaml")
                .at(Some(Position { line: 4, column: 8 }))
                .help("did you mean `supplier`?"),
            Diagnostic::warning(Code::SupplierAndParts, "both"),
            Diagnostic::error(Code::UnknownKey, "unknown key `colour`"),
        ]);
        assert_eq!(
            render_human(&err),
            "error[unknown-key]: unknown key `suplier`\n  --> stacks/a.yaml:4:8\n  \
             = help: did you mean `supplier`?\n  \
             = note: for more information, try `strata explain unknown-key`\n\
             warning[supplier-and-parts]: both\n\
             error[unknown-key]: unknown key `colour`"
        );
    }

    #[test]
    fn usage_io_and_internal_errors_by_their_kind() {
        assert_eq!(
            render_human(&Error::Usage("give --key".into())),
            "error: give --key"
        );
        // A message that happens to start with "error" is still prefixed.
        assert_eq!(
            render_human(&Error::Usage("error budget exceeded".into())),
            "error: error budget exceeded"
        );
        let io = Error::io(
            std::path::Path::new("a.yaml"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(render_human(&io), format!("error: {io}"));
        assert_eq!(
            render_human(&Error::internal("cannot serialise the report", "boom")),
            "error[internal]: cannot serialise the report: boom\n  \
             = help: this is a defect in strata; please report it\n  \
             = note: for more information, try `strata explain internal`"
        );
    }
}
