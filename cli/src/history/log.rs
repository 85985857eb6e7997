//! `strata log DEVICE`: the history of one device's attestation, signature
//! and reviews, one line per change, newest first.
//!
//! Commits are walked from a starting revision (HEAD) in topological then
//! time order. A commit reports a file as changed when it differs from
//! *every* parent, as `git log -- PATH` does, so a merge does not repeat
//! what its branches already did; review entries are reported when they are
//! absent from every parent.
//!
//! The cost follows what changed: per commit only the blob ids of four
//! paths are looked up, through trees not seen before ([`super::paths`]);
//! an attestation, bundle or declarations document is read and parsed once
//! per distinct blob; a
//! version of the device's reviews file (and of the shared reviews file of
//! the earlier layout) is read only where the file changed, each distinct
//! version once, and only the device's entries in it are parsed (each
//! distinct entry once). A device's own file holds its entries only, so its
//! versions stay small however long the fleet's history; the shared file's
//! versions grow with the whole fleet and are most of the bytes such a
//! history holds, so they are read on all cores, a batch of commits ahead
//! of the walk. A review is reported when it appears in neither file of a
//! parent, so a commit that moves entries from the shared file into the
//! device's (`strata review migrate`) reports nothing.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use git2::{Commit, Oid, Repository};
use rayon::prelude::*;
use serde::Serialize;

use super::diff::{Change, one_line};
use super::paths::{DevicePaths, Ids};
use super::revdiff::{compare_declarations, compare_files, review_line};
use super::reviews::DeviceScan;
use super::{DeviceFiles, FileAt, History, git_time};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::digest::short as short_digest;
use crate::model::Review;

/// What a log entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The attestation changed (or appeared, or was removed).
    Attestation,
    /// Only the Sigstore bundle changed.
    Signature,
    /// The declarations document (CycloneDX 1.6 CDXA) changed.
    Declarations,
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
    /// Semantic changes (attestation, signature and declarations entries).
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

/// The device's review entries in each version of the reviews file read.
struct ReviewVersions {
    /// By reviews-file blob.
    by_blob: HashMap<Oid, Rc<Vec<Review>>>,
    /// The scanner (with its cache of parsed entries) of this thread.
    scan: DeviceScan,
    /// A scanner and a repository handle (opened when first used) per
    /// reader thread, kept across batches.
    readers: Vec<Reader>,
}

struct Reader {
    repo: Option<Repository>,
    scan: DeviceScan,
}

/// The device's entries in each reviews blob one thread read.
type Found = Vec<(Oid, Vec<Review>)>;

/// Versions read per thread below which one thread reads them all.
const MIN_PER_THREAD: usize = 4;
/// Reader threads at most (each holds a repository handle).
const MAX_THREADS: usize = 8;

impl ReviewVersions {
    fn new(device: &str) -> ReviewVersions {
        let threads = rayon::current_num_threads().clamp(1, MAX_THREADS);
        ReviewVersions {
            by_blob: HashMap::new(),
            scan: DeviceScan::new(device),
            readers: (0..threads)
                .map(|_| Reader {
                    repo: None,
                    scan: DeviceScan::new(device),
                })
                .collect(),
        }
    }

    /// The device's entries in the reviews blob `oid` (none when absent);
    /// read now unless [`Self::read_ahead`] did.
    fn get(&mut self, h: &History, oid: Option<Oid>) -> Result<Rc<Vec<Review>>> {
        let Some(oid) = oid else {
            return Ok(Rc::new(Vec::new()));
        };
        if let Some(r) = self.by_blob.get(&oid) {
            return Ok(Rc::clone(r));
        }
        let blob = h.repo().find_blob(oid).map_err(|e| git_err(&e))?;
        let r = Rc::new(self.scan.reviews(blob.content()));
        self.by_blob.insert(oid, Rc::clone(&r));
        Ok(r)
    }

    /// The device's entries at a commit whose ids are `ids`: those of the
    /// shared file, then those of its own.
    fn both(&mut self, h: &History, ids: &Ids) -> Result<Vec<Review>> {
        let mut out = self.get(h, ids.shared_reviews)?.to_vec();
        out.extend(self.get(h, ids.reviews)?.iter().cloned());
        Ok(out)
    }

    /// Read the versions `want` not read yet, spread over the threads in
    /// runs of consecutive versions (git stores a version as a delta
    /// against a neighbour, so neighbours are cheaper read together).
    fn read_ahead(&mut self, h: &History, want: &[Oid]) -> Result<()> {
        let mut seen = HashSet::new();
        let todo: Vec<Oid> = want
            .iter()
            .copied()
            .filter(|o| !self.by_blob.contains_key(o) && seen.insert(*o))
            .collect();
        let threads = self.readers.len().min(todo.len() / MIN_PER_THREAD);
        if threads < 2 {
            for oid in todo {
                self.get(h, Some(oid))?;
            }
            return Ok(());
        }
        let gitdir = h.repo().path().to_path_buf();
        let chunks: Vec<&[Oid]> = todo.chunks(todo.len().div_ceil(threads)).collect();
        let read: Vec<Result<Found>> = chunks
            .into_par_iter()
            .zip(self.readers.par_iter_mut())
            .map(|(chunk, reader)| {
                let repo = match reader.repo.take() {
                    Some(r) => r,
                    None => Repository::open(&gitdir).map_err(|e| git_err(&e))?,
                };
                let found = chunk
                    .iter()
                    .map(|oid| {
                        let blob = repo.find_blob(*oid).map_err(|e| git_err(&e))?;
                        Ok((*oid, reader.scan.reviews(blob.content())))
                    })
                    .collect();
                reader.repo = Some(repo);
                found
            })
            .collect();
        for part in read {
            for (oid, reviews) in part? {
                self.by_blob.insert(oid, Rc::new(reviews));
            }
        }
        Ok(())
    }
}

/// A commit of the walk with the ids of the device's files in it and in
/// its parents.
struct Step<'r> {
    commit: Commit<'r>,
    me: Ids,
    parents: Vec<Ids>,
}

impl Step<'_> {
    /// Whether the file `f` picks changed in this commit: it differs from
    /// every parent (a root commit: it exists).
    fn changed(&self, f: fn(&Ids) -> Option<Oid>) -> bool {
        if self.parents.is_empty() {
            f(&self.me).is_some()
        } else {
            self.parents.iter().all(|p| f(p) != f(&self.me))
        }
    }
}

/// Commits looked at before the first batch of reviews files is read; the
/// batch doubles each time, so `-n` stops early and a long walk reads in
/// large batches.
const FIRST_BATCH: usize = 64;

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
    let mut paths = DevicePaths::new(h, device);
    let mut versions = ReviewVersions::new(device);
    let order: Vec<Oid> = h
        .walk_from(start)?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| git_err(&e))?;
    // Parents read ahead of the walk.
    let mut pending: HashMap<Oid, Commit<'_>> = HashMap::new();
    let mut entries = Vec::new();
    let mut commits = 0usize;
    let mut ever = false;
    'walk: for part in chunks_doubling(&order, FIRST_BATCH) {
        let mut steps = Vec::with_capacity(part.len());
        let mut want = Vec::new();
        for oid in part {
            let commit = match pending.remove(oid) {
                Some(c) => c,
                None => h.repo().find_commit(*oid).map_err(|e| git_err(&e))?,
            };
            let me = paths.at_commit(&commit)?;
            let mut parents = Vec::with_capacity(1);
            for p in commit.parent_ids() {
                let ids = match paths.known(p) {
                    Some(ids) => ids,
                    None => {
                        // Read once: kept for when the walk reaches it.
                        let pc = h.repo().find_commit(p).map_err(|e| git_err(&e))?;
                        let ids = paths.at_commit(&pc)?;
                        pending.insert(p, pc);
                        ids
                    }
                };
                parents.push(ids);
            }
            let step = Step {
                commit,
                me,
                parents,
            };
            if step.changed(|i| i.reviews) || step.changed(|i| i.shared_reviews) {
                for ids in std::iter::once(&step.me).chain(&step.parents) {
                    want.extend(ids.reviews);
                    want.extend(ids.shared_reviews);
                }
            }
            steps.push(step);
        }
        versions.read_ahead(h, &want)?;
        for step in &steps {
            commits += 1;
            ever |=
                step.me.bom.is_some() || step.me.bundle.is_some() || step.me.declarations.is_some();
            changes_in(h, step, &mut versions, &mut entries)?;
            ever |= !entries.is_empty();
            if limit.is_some_and(|l| entries.len() >= l) {
                entries.truncate(limit.unwrap_or(usize::MAX));
                break 'walk;
            }
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

/// `items` cut into consecutive runs of `first`, twice that, and so on.
fn chunks_doubling<T>(items: &[T], first: usize) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut at, mut size) = (0, first.max(1));
    while at < items.len() {
        let end = items.len().min(at.saturating_add(size));
        out.push(&items[at..end]);
        at = end;
        size = size.saturating_mul(2);
    }
    out
}

/// Append the entries of one commit: attestation or signature changed,
/// review entries added or removed.
fn changes_in(
    h: &History,
    step: &Step<'_>,
    versions: &mut ReviewVersions,
    entries: &mut Vec<Entry>,
) -> Result<()> {
    let bom_changed = step.changed(|i| i.bom);
    let bundle_changed = step.changed(|i| i.bundle);
    let declarations_changed = step.changed(|i| i.declarations);
    let reviews_changed = step.changed(|i| i.reviews) || step.changed(|i| i.shared_reviews);
    if !(bom_changed || bundle_changed || declarations_changed || reviews_changed) {
        return Ok(());
    }
    let (commit, me) = (&step.commit, &step.me);
    let oid = commit.id();
    let first = step.parents.first().copied().unwrap_or_default();
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
    if bom_changed || bundle_changed {
        let files = |i: &Ids| DeviceFiles {
            bom: i.bom.map(|oid| FileAt { oid, data: None }),
            bundle: i.bundle.map(|oid| FileAt { oid, data: None }),
            declarations: None,
            reviews: None,
        };
        let before = (first.bom.is_some() || first.bundle.is_some()).then(|| files(&first));
        let after = (me.bom.is_some() || me.bundle.is_some()).then(|| files(me));
        let (_, digest, changes) = compare_files(h, before.as_ref(), after.as_ref())?;
        let (kind, summary) = match (bom_changed, &digest, first.bom) {
            (true, None, _) => (Kind::Attestation, "attestation removed".to_string()),
            (true, Some(d), None) => (
                Kind::Attestation,
                format!(
                    "attestation added {}: {} layers",
                    short_digest(d),
                    changes
                        .iter()
                        .filter(|c| matches!(c, Change::LayerAdded { .. }))
                        .count()
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
    if declarations_changed {
        let files = |i: &Ids| DeviceFiles {
            declarations: i.declarations.map(|oid| FileAt { oid, data: None }),
            ..DeviceFiles::default()
        };
        let changes = compare_declarations(h, Some(&files(&first)), Some(&files(me)))?;
        // A document added or removed says so itself.
        let summary = match &changes[..] {
            [only @ Change::Declarations { .. }] => only.describe(),
            _ => format!("declarations: {}", one_line(&changes, 4)),
        };
        let mut e = base(Kind::Declarations, summary);
        e.changes = changes;
        entries.push(e);
    }
    if reviews_changed {
        let mine = versions.both(h, me)?;
        let before: Vec<Vec<Review>> = step
            .parents
            .iter()
            .map(|p| versions.both(h, p))
            .collect::<Result<_>>()?;
        for r in mine.iter() {
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
    Ok(())
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
