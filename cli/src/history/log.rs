//! `strata log DEVICE`: the history of one device's attestation, signature
//! and reviews, one line per change, newest first.
//!
//! Commits are walked from a starting revision (HEAD) in topological then
//! time order. A commit reports a file as changed when it differs from
//! *every* parent, as `git log -- PATH` does, so a merge does not repeat
//! what its branches already did; review entries are reported when they are
//! absent from every parent. Only the blob ids of three paths are looked up
//! per commit; attestation blobs are read only where they change, and the
//! reviews file is scanned for the device's entries (entries already seen
//! are not parsed again), which keeps a thousand-commit history well under
//! a second.

use std::collections::HashMap;

use git2::Oid;
use serde::Serialize;

use super::diff::{Change, one_line};
use super::revdiff::{compare_files, review_line};
use super::{DeviceFiles, FileAt, History, blob_at, git_time, parse_reviews_lenient};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::short as short_digest;
use crate::layout::{BOM_FILE, BUNDLE_FILE, REVIEWS_FILE};
use crate::model::Review;

/// What a log entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The attestation changed (or appeared, or was removed).
    Attestation,
    /// Only the Sigstore bundle changed.
    Signature,
    /// A review entry was added.
    Review,
    /// A review entry was removed.
    ReviewRemoved,
}

/// One change in the device's history.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Commit id.
    pub commit: String,
    /// Short commit id.
    pub short: String,
    /// Author, `Name <email>`.
    pub author: String,
    /// Author time, RFC 3339 UTC.
    pub date: String,
    /// What changed.
    pub kind: Kind,
    /// One line of what changed.
    pub summary: String,
    /// The attestation digest after the commit (attestation and signature
    /// entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Semantic changes (attestation and signature entries).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The review entry (review entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// A device's history.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceLog {
    /// Device id.
    pub device: String,
    /// The revision walked from.
    pub from: String,
    /// Commits walked.
    pub commits: usize,
    /// Changes, newest first.
    pub entries: Vec<Entry>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Ids {
    bom: Option<Oid>,
    bundle: Option<Oid>,
    reviews: Option<Oid>,
}

struct Walker<'h> {
    h: &'h History,
    device: String,
    paths: [String; 3],
    ids: HashMap<Oid, Ids>,
    /// Parsed review blocks by their text.
    blocks: HashMap<Vec<u8>, Vec<Review>>,
    /// The device's reviews by reviews-file blob.
    reviews: HashMap<Oid, Vec<Review>>,
    needle: String,
}

impl<'h> Walker<'h> {
    fn ids(&mut self, commit: Oid) -> Result<Ids> {
        if let Some(i) = self.ids.get(&commit) {
            return Ok(*i);
        }
        let tree = self.h.tree(commit)?;
        let i = Ids {
            bom: blob_at(&tree, &self.paths[0]),
            bundle: blob_at(&tree, &self.paths[1]),
            reviews: blob_at(&tree, &self.paths[2]),
        };
        self.ids.insert(commit, i);
        Ok(i)
    }

    /// The device's review entries in the reviews blob `oid`.
    fn reviews(&mut self, oid: Option<Oid>) -> Result<Vec<Review>> {
        let Some(oid) = oid else {
            return Ok(Vec::new());
        };
        if let Some(r) = self.reviews.get(&oid) {
            return Ok(r.clone());
        }
        let blob = self.h.repo().find_blob(oid).map_err(|e| git_err(&e))?;
        let bytes = blob.content();
        let found = match self.scan_blocks(bytes) {
            Some(r) => r,
            None => parse_reviews_lenient(&String::from_utf8_lossy(bytes))
                .into_iter()
                .filter(|r| r.device == self.device)
                .collect(),
        };
        self.reviews.insert(oid, found.clone());
        Ok(found)
    }

    /// Fast path for canonical files: every mention of the device id is an
    /// entry's `- device: ID` line, and the entry runs until the next line
    /// at or left of its dash. Only those entries are parsed (once each,
    /// across all versions of the file). `None` when the id appears anywhere
    /// else (another layout, a note naming the device): the caller parses
    /// the whole file.
    fn scan_blocks(&mut self, text: &[u8]) -> Option<Vec<Review>> {
        let id = self.device.as_bytes();
        let is_id = |b: u8| b.is_ascii_alphanumeric() || b"._-".contains(&b);
        let mut out = Vec::new();
        let mut resume = 0;
        for i in memchr::memmem::find_iter(text, id) {
            let before = i.checked_sub(1).map(|j| text[j]);
            let after = text.get(i + id.len()).copied();
            if before.is_some_and(is_id) || after.is_some_and(is_id) {
                continue; // part of a longer id
            }
            if i < resume {
                return None; // inside an entry already read
            }
            let line_start = memchr::memrchr(b'\n', &text[..i]).map_or(0, |j| j + 1);
            let line_end = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |j| i + j + 1);
            let line = &text[line_start..line_end];
            let indent = line.iter().take_while(|b| **b == b' ').count();
            if &line[indent..] != self.needle.as_bytes() {
                return None;
            }
            // Continue over lines indented deeper than the dash.
            let mut end = line_end;
            while end < text.len() {
                let next = memchr::memchr(b'\n', &text[end..]).map_or(text.len(), |j| end + j + 1);
                let l = &text[end..next];
                if !(l.len() > indent + 1 && l[..=indent].iter().all(|b| *b == b' ')) {
                    break;
                }
                end = next;
            }
            resume = end;
            let block = &text[line_start..end];
            let parsed = match self.blocks.get(block) {
                Some(p) => p.clone(),
                None => {
                    let doc = format!("version: 1\nreviews:\n{}", std::str::from_utf8(block).ok()?);
                    let p = parse_reviews_lenient(&doc);
                    if p.len() != 1 || p[0].device != self.device {
                        return None;
                    }
                    self.blocks.insert(block.to_vec(), p.clone());
                    p
                }
            };
            out.extend(parsed);
        }
        Some(out)
    }
}

/// The history of `device` from revision `from`, at most `limit` entries.
pub fn log(h: &History, device: &str, from: &str, limit: Option<usize>) -> Result<DeviceLog> {
    let start = match h.resolve(from, Some(device))? {
        super::Rev::Commit(oid) => oid,
        super::Rev::Worktree => {
            return Err(Error::Usage(
                "strata log walks commits; start from a revision, not WORKTREE".into(),
            ));
        }
    };
    let key = crate::canon::scalar_text(device);
    let mut w = Walker {
        h,
        device: device.to_string(),
        paths: [
            h.path_of(&format!("{device}/{BOM_FILE}")),
            h.path_of(&format!("{device}/{BUNDLE_FILE}")),
            h.path_of(REVIEWS_FILE),
        ],
        ids: HashMap::new(),
        blocks: HashMap::new(),
        reviews: HashMap::new(),
        needle: format!("- device: {key}\n"),
    };
    let mut entries = Vec::new();
    let mut commits = 0usize;
    let mut ever = false;
    let walk = h.walk_from(start)?;
    for oid in walk {
        let oid = oid.map_err(|e| git_err(&e))?;
        commits += 1;
        let commit = h.repo().find_commit(oid).map_err(|e| git_err(&e))?;
        let me = w.ids(oid)?;
        ever |= me.bom.is_some() || me.bundle.is_some();
        let parents: Vec<Ids> = commit
            .parent_ids()
            .map(|p| w.ids(p))
            .collect::<Result<_>>()?;
        let first = parents.first().copied().unwrap_or_default();
        let changed = |f: fn(&Ids) -> Option<Oid>| {
            if parents.is_empty() {
                f(&me).is_some()
            } else {
                parents.iter().all(|p| f(p) != f(&me))
            }
        };
        let author = commit.author();
        let who = format!(
            "{} <{}>",
            author.name().unwrap_or("?"),
            author.email().unwrap_or("?")
        );
        let base = |kind: Kind, summary: String| Entry {
            commit: oid.to_string(),
            short: h.short_id(oid),
            author: who.clone(),
            date: git_time(author.when()),
            kind,
            summary,
            digest: None,
            changes: Vec::new(),
            review: None,
        };
        let bom_changed = changed(|i| i.bom);
        if bom_changed || changed(|i| i.bundle) {
            let files = |i: &Ids| DeviceFiles {
                bom: i.bom.map(|oid| FileAt { oid, data: None }),
                bundle: i.bundle.map(|oid| FileAt { oid, data: None }),
            };
            let before = (first.bom.is_some() || first.bundle.is_some()).then(|| files(&first));
            let after = (me.bom.is_some() || me.bundle.is_some()).then(|| files(&me));
            let (_, digest, changes) = compare_files(h, before.as_ref(), after.as_ref())?;
            let (kind, summary) = match (bom_changed, &digest, first.bom) {
                (true, None, _) => (Kind::Attestation, "attestation removed".to_string()),
                (true, Some(d), None) => (
                    Kind::Attestation,
                    format!(
                        "attestation added {}: {}",
                        short_digest(d),
                        crate::table::count(
                            changes
                                .iter()
                                .filter(|c| matches!(c, Change::LayerAdded { .. }))
                                .count() as u64,
                            "layer",
                            "layers"
                        )
                    ),
                ),
                (true, Some(d), Some(_)) => (
                    Kind::Attestation,
                    format!("attestation {}: {}", short_digest(d), one_line(&changes, 4)),
                ),
                (false, _, _) => (Kind::Signature, one_line(&changes, 4)),
            };
            let mut e = base(kind, summary);
            e.digest = digest;
            e.changes = changes;
            entries.push(e);
        }
        if changed(|i| i.reviews) {
            let mine = w.reviews(me.reviews)?;
            let mut before: Vec<Vec<Review>> = Vec::new();
            for p in &parents {
                before.push(w.reviews(p.reviews)?);
            }
            for r in &mine {
                if before.is_empty() || before.iter().all(|b| !b.contains(r)) {
                    let mut e = base(Kind::Review, review_line(r, 60));
                    e.review = Some(r.clone());
                    entries.push(e);
                }
            }
            if let Some(b) = before.first() {
                for r in b.iter().filter(|r| !mine.contains(r)) {
                    let mut e = base(
                        Kind::ReviewRemoved,
                        format!("removed: {}", review_line(r, 60)),
                    );
                    e.review = Some(r.clone());
                    entries.push(e);
                }
            }
        }
        ever |= !entries.is_empty();
        if limit.is_some_and(|l| entries.len() >= l) {
            entries.truncate(limit.unwrap_or(usize::MAX));
            break;
        }
    }
    if !ever {
        let head = h.devices(&super::Rev::Commit(start), None)?;
        let known: Vec<&String> = head.keys().collect();
        let mut d = Diagnostic::error(
            Code::UnknownDevice,
            format!(
                "device `{device}` has no attestation or review under `{}` in the history of {from}",
                h.dir
            ),
        );
        d = match crate::model::suggest(device, &known) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "devices at {from}: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )),
        };
        return Err(Error::invalid(d));
    }
    Ok(DeviceLog {
        device: device.to_string(),
        from: from.to_string(),
        commits,
        entries,
    })
}

fn git_err(e: &git2::Error) -> Error {
    Error::invalid(Diagnostic::error(
        Code::GitError,
        format!("walking history: {}", e.message()),
    ))
}

/// The human rendering: a table, newest first.
pub fn render_human(l: &DeviceLog) -> String {
    let mut t = crate::table::Table::new(&["commit", "date", "author", "change"]);
    for e in &l.entries {
        t.row(vec![
            e.short.clone(),
            e.date.get(..10).unwrap_or(&e.date).to_string(),
            e.author.clone(),
            e.summary.clone(),
        ]);
    }
    let mut out = format!(
        "{}: {} change(s) in {} commit(s) from {}, newest first\n\n",
        l.device,
        l.entries.len(),
        l.commits,
        l.from
    );
    if l.entries.is_empty() {
        out.push_str("  (nothing)\n");
    } else {
        out.push_str(&t.to_text(""));
    }
    out
}
