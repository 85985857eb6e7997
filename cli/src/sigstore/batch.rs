//! Batch verification: many bundles against one set of trust material,
//! verified in parallel and reported in input order.
//!
//! `strata verify --batch SOURCE` takes bundles from list files, standard
//! input or directories ([`read_source`]). A list holds one entry a line:
//!
//! ```text
//! # comments and blank lines are skipped
//! attestations/pixel-9-pro/bom.sigstore.json
//! release.tar.gz.sigstore.json  release.tar.gz
//! firmware.sigstore.json        sha256:06ce3309...
//! dir with spaces/a.sigstore.json<TAB>dir with spaces/a
//! ```
//!
//! `BUNDLE [ARTIFACT]`, separated by spaces or tabs; when a line holds a
//! tab, only tabs separate, so that paths may contain spaces. ARTIFACT is a
//! file or `sha256:HEX`; without it the artifact is looked up next to the
//! bundle as for a single bundle ([`ArtifactInput::next_to`]). Relative
//! paths are relative to the working directory, as for a single bundle. A
//! directory contributes every `*.sigstore.json` below it, sorted by path.
//!
//! Syntax errors in a list stop the batch before anything is verified (every
//! bad line is named, with file and line). An entry whose files cannot be
//! read is reported as an error in its place and the others are still
//! verified; the trust material is read once, before the first entry.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::artifact::ArtifactInput;
use super::checks::{Report, Status};
use super::input;
use super::verify::{self, Options};
use crate::diag::{Code, Diagnostic, Error, ExitStatus, Position, Result};
use crate::fsutil;

/// How standard input is named in messages.
pub const STDIN_NAME: &str = fsutil::STDIN_NAME;

/// One bundle to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The bundle file.
    pub bundle: PathBuf,
    /// The artifact, when the entry names one.
    pub artifact: Option<ArtifactInput>,
    /// Where the entry came from: `list.txt:3`, `<stdin>:3`, or the
    /// directory it was found in.
    pub source: String,
}

/// Read the entries of one `--batch` argument: `-` (standard input), a
/// directory, or a list file.
pub fn read_source(arg: &Path) -> Result<Vec<Entry>> {
    if fsutil::is_stdin(arg) {
        let text = fsutil::read_input_text(arg)?;
        return parse_list(Path::new(STDIN_NAME), &text);
    }
    if arg.is_dir() {
        return scan_dir(arg);
    }
    parse_list(arg, &fsutil::read_text(arg)?)
}

/// Every `*.sigstore.json` below `dir`, sorted by path.
fn scan_dir(dir: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            match e.into_io_error() {
                Some(io) => Error::io(&path, io),
                None => Error::invalid(
                    Diagnostic::error(Code::WalkError, "cannot walk the directory (a link loop?)")
                        .in_file(path),
                ),
            }
        })?;
        let is_bundle = item
            .file_name()
            .to_string_lossy()
            .ends_with(".sigstore.json")
            && (item.file_type().is_file() || item.path().is_file());
        if is_bundle {
            out.push(Entry {
                bundle: item.into_path(),
                artifact: None,
                source: dir.display().to_string(),
            });
        }
    }
    Ok(out)
}

/// Parse a list: one `BUNDLE [ARTIFACT]` a line, `#` comments, blank lines
/// skipped. Every malformed line is reported, with its line and column.
pub fn parse_list(name: &Path, text: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t').filter(|f| !f.is_empty()).collect()
        } else {
            line.split_ascii_whitespace().collect()
        };
        let at = |field: &str| Position {
            line: line_no,
            column: raw[..offset_in(raw, field)].chars().count() + 1,
        };
        let problem = |field: &str, message: String| {
            Diagnostic::error(Code::BatchListSyntax, message)
                .in_file(name)
                .at(Some(at(field)))
        };
        match fields.as_slice() {
            [bundle] => entries.push(Entry {
                bundle: PathBuf::from(bundle),
                artifact: None,
                source: format!("{}:{line_no}", name.display()),
            }),
            [bundle, artifact] => match ArtifactInput::parse(artifact) {
                Ok(a) => entries.push(Entry {
                    bundle: PathBuf::from(bundle),
                    artifact: Some(a),
                    source: format!("{}:{line_no}", name.display()),
                }),
                Err(e) => problems.push(problem(artifact, e.to_string())),
            },
            _ => problems.push(
                problem(
                    fields.get(2).copied().unwrap_or(line),
                    format!(
                        "expected `BUNDLE [ARTIFACT]`, found {} fields",
                        fields.len()
                    ),
                )
                .help("separate BUNDLE and ARTIFACT with a tab when a path contains spaces"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Byte offset of `field` (a subslice of `line`) in `line`.
fn offset_in(line: &str, field: &str) -> usize {
    let start = line.as_ptr() as usize;
    let at = field.as_ptr() as usize;
    if at >= start && at <= start + line.len() {
        at - start
    } else {
        0
    }
}

/// The entries of every `--batch` argument, in order; at least one.
pub fn read_sources(args: &[PathBuf]) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for arg in args {
        entries.extend(read_source(arg)?);
    }
    if entries.is_empty() {
        let names: Vec<String> = args.iter().map(|a| a.display().to_string()).collect();
        return Err(Error::invalid(
            Diagnostic::error(
                Code::EmptyBatch,
                format!("no bundles to verify in {}", names.join(", ")),
            )
            .help("a list holds one `BUNDLE [ARTIFACT]` a line; a directory is searched for *.sigstore.json"),
        ));
    }
    Ok(entries)
}

/// An entry and what became of it.
#[derive(Debug)]
pub struct Outcome {
    /// The entry.
    pub entry: Entry,
    /// Its report, or why it could not be verified.
    pub result: Result<Report>,
}

/// Verify one entry: the bundle is read first, so that a missing bundle is
/// named as such rather than as a missing artifact.
pub fn verify_entry(entry: &Entry, opts: &Options) -> Result<Report> {
    let file = input::read_bundle(&entry.bundle)?;
    let artifact = match &entry.artifact {
        Some(a) => a.clone(),
        None => ArtifactInput::next_to(&entry.bundle)?,
    };
    verify::verify(&file, &artifact, opts)
}

/// Verify every entry in parallel, against the same options; the outcomes
/// are in entry order. `done` is called once per entry, from any thread.
pub fn verify_all(entries: Vec<Entry>, opts: &Options, done: &(dyn Fn() + Sync)) -> Vec<Outcome> {
    entries
        .into_par_iter()
        .map(|entry| {
            let result = verify_entry(&entry, opts);
            done();
            Outcome { entry, result }
        })
        .collect()
}

/// Counts over a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Entries.
    pub bundles: usize,
    /// Verified.
    pub verified: usize,
    /// Read and checked, but not verified.
    pub not_verified: usize,
    /// Could not be read.
    pub errors: usize,
}

impl Summary {
    /// Count the outcomes.
    pub fn of(outcomes: &[Outcome]) -> Self {
        let mut s = Summary {
            bundles: outcomes.len(),
            ..Summary::default()
        };
        for o in outcomes {
            match &o.result {
                Ok(r) if r.verified => s.verified += 1,
                Ok(_) => s.not_verified += 1,
                Err(_) => s.errors += 1,
            }
        }
        s
    }

    /// 0 when every bundle verified, 2 when any could not be read, else 1.
    pub fn exit_status(&self) -> ExitStatus {
        if self.errors > 0 {
            ExitStatus::Error
        } else if self.not_verified > 0 {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }
}

/// The human rendering: the trust line, one line per bundle in input order
/// (`ok`, `FAIL` with the failed checks, `ERROR` with the reason), and the
/// counts.
pub fn render_human(outcomes: &[Outcome], trust: &str) -> String {
    let mut out = format!("trust  {trust}\n\n");
    for o in outcomes {
        let bundle = o.entry.bundle.display();
        match &o.result {
            Ok(r) if r.verified => out.push_str(&format!("ok     {bundle}  {}\n", r.artifact)),
            Ok(r) => {
                let mut why: Vec<String> = r
                    .failures()
                    .map(|c| format!("{}: {}", c.id, c.detail))
                    .collect();
                if why.is_empty() {
                    why = r
                        .checks
                        .iter()
                        .filter(|c| c.status == Status::NotChecked)
                        .map(|c| format!("{}: {}", c.id, c.detail))
                        .collect();
                }
                out.push_str(&format!(
                    "FAIL   {bundle}  {}  {}\n",
                    r.artifact,
                    crate::escape::terminal(&why.join("; "))
                ));
            }
            Err(e) => out.push_str(&format!(
                "ERROR  {bundle}  {} ({})\n",
                one_line(e, &o.entry.bundle),
                o.entry.source
            )),
        }
    }
    let s = Summary::of(outcomes);
    out.push_str(&format!(
        "\n{}: {} verified, {} not verified, {}\n",
        crate::table::count(s.bundles as u64, "bundle"),
        s.verified,
        s.not_verified,
        crate::table::count(s.errors as u64, "error")
    ));
    out
}

/// An error on one line: `code: message`, with the file when it is not the
/// bundle itself.
fn one_line(err: &Error, bundle: &Path) -> String {
    err.diagnostics()
        .iter()
        .map(|d| {
            let mut s = format!("{}: {}", d.code, d.message);
            if let Some(f) = d.file.as_deref().filter(|f| *f != bundle) {
                s.push_str(&format!(" in {}", f.display()));
                if let Some(p) = d.position {
                    s.push_str(&format!(":{}:{}", p.line, p.column));
                }
            } else if let Some(p) = d.position {
                s.push_str(&format!(" at {}:{}", p.line, p.column));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One element of the JSON array.
#[derive(Debug, Serialize)]
struct JsonOutcome<'a> {
    source: &'a str,
    bundle: &'a Path,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<JsonError>,
}

#[derive(Debug, Serialize)]
struct JsonError {
    message: String,
    diagnostics: Vec<Diagnostic>,
}

/// The JSON document of a batch: the counts, and one object per entry in
/// input order.
#[derive(Debug, Serialize)]
pub struct JsonDocument<'a> {
    /// The counts.
    pub summary: Summary,
    bundles: Vec<JsonOutcome<'a>>,
}

/// The JSON rendering: the `summary` (counts), and `bundles`, one object
/// per entry in input order, with `source`, `bundle`, `outcome`
/// (`verified`, `not-verified`, `error`) and either the `report` (as
/// `strata verify --format json` prints it, every check by name) or the
/// `error`.
pub fn json_document(outcomes: &[Outcome]) -> JsonDocument<'_> {
    let items: Vec<JsonOutcome<'_>> = outcomes
        .iter()
        .map(|o| {
            let (outcome, report, error) = match &o.result {
                Ok(r) if r.verified => ("verified", Some(r), None),
                Ok(r) => ("not-verified", Some(r), None),
                Err(e) => (
                    "error",
                    None,
                    Some(JsonError {
                        message: e.to_string(),
                        diagnostics: e.diagnostics(),
                    }),
                ),
            };
            JsonOutcome {
                source: &o.entry.source,
                bundle: &o.entry.bundle,
                outcome,
                report,
                error,
            }
        })
        .collect();
    JsonDocument {
        summary: Summary::of(outcomes),
        bundles: items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Entry>> {
        parse_list(Path::new("list.txt"), text)
    }

    #[test]
    fn lines_give_bundles_and_artifacts() {
        let d = "ab".repeat(32);
        let text = format!(
            "# a comment\n\n  a.sigstore.json  \r\nb.sigstore.json b.txt\nc.sigstore.json\tsha256:{d}\nd d.sigstore.json\td d.txt\n"
        );
        let e = parse(&text).unwrap();
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].bundle, Path::new("a.sigstore.json"));
        assert_eq!(e[0].artifact, None);
        assert_eq!(e[0].source, "list.txt:3");
        assert_eq!(e[1].artifact, Some(ArtifactInput::File("b.txt".into())));
        assert!(matches!(e[2].artifact, Some(ArtifactInput::Sha256(_))));
        assert_eq!(e[3].bundle, Path::new("d d.sigstore.json"));
        assert_eq!(e[3].artifact, Some(ArtifactInput::File("d d.txt".into())));
        assert_eq!(e[3].source, "list.txt:6");
    }

    #[test]
    fn every_malformed_line_is_named_with_its_position() {
        let err = parse("ok.sigstore.json\na b c\nx.sigstore.json sha256:12\n").unwrap_err();
        let diags = err.diagnostics();
        assert_eq!(diags.len(), 2, "{err}");
        assert_eq!(diags[0].code, "batch-list-syntax");
        assert_eq!(diags[0].position, Some(Position { line: 2, column: 5 }));
        assert!(
            diags[0].message.contains("3 fields"),
            "{}",
            diags[0].message
        );
        assert_eq!(
            diags[1].position,
            Some(Position {
                line: 3,
                column: 17
            })
        );
        assert!(diags[1].message.contains("SHA-256"), "{}", diags[1].message);
        assert!(err.to_string().contains("list.txt:3:17"), "{err}");
    }

    #[test]
    fn empty_lists_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("list.txt");
        std::fs::write(&list, "# nothing\n\n").unwrap();
        let err = read_sources(&[list]).unwrap_err();
        assert_eq!(err.diagnostics()[0].code, "empty-batch");
    }

    #[test]
    fn directories_give_their_bundles_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        for f in [
            "b/x.sigstore.json",
            "a.sigstore.json",
            "c.txt",
            "b.sigstore.json",
        ] {
            std::fs::write(dir.path().join(f), "{}").unwrap();
        }
        let e = read_sources(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = e
            .iter()
            .map(|e| e.bundle.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("a.sigstore.json"),
                Path::new("b/x.sigstore.json"),
                Path::new("b.sigstore.json")
            ]
        );
    }
}
