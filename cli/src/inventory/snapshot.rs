//! Inventory snapshots over time: what appeared or grew between two
//! reconciliations.
//!
//! A snapshot is the JSON report of `strata inventory reconcile --format
//! json` ([`super::InventoryReport`], `schema_version` 1), kept in git. It
//! is pseudonymous by construction: it holds counts by stack, vendor and
//! reported manufacturer and model, never a device or user identity (not
//! even a pseudonym), and it is canonical: the same inputs, catalog and
//! `--now` give byte-identical files, so a commit shows only what changed.
//! [`diff`] compares two snapshots: devices in use by stack, by unknown
//! models of a vendor and by unresolved manufacturer, summed over sources,
//! and by vendor group ("xiaomi models: 0 → 37 personal devices").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::matcher::maker_key;
use super::reconcile::{Counts, SCHEMA_VERSION};
use crate::diag::{Code, Diagnostic, Error, Position, Result};

/// Largest snapshot read.
const MAX_SNAPSHOT: u64 = 64 * 1024 * 1024;

/// What a tally counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Subject {
    /// A catalogued model's stack (or a catalogued model without one).
    Stack {
        /// The stack id (none for a catalogued model without a stack).
        stack: Option<String>,
        /// The model's vendor.
        vendor: String,
        /// Whether the newer snapshot (else the older) has it approved.
        approved: bool,
    },
    /// Models the catalog did not know, of one vendor.
    UnknownModels {
        /// The vendor the manufacturer resolved to.
        vendor: String,
    },
    /// A manufacturer nothing resolved.
    Unresolved {
        /// As reported (the most frequent spelling).
        manufacturer: String,
    },
}

impl Subject {
    fn label(&self) -> String {
        match self {
            Subject::Stack {
                stack,
                vendor,
                approved,
            } => format!(
                "{} ({vendor}, {})",
                stack
                    .as_deref()
                    .unwrap_or("catalogued model without a stack"),
                if *approved {
                    "approved"
                } else {
                    "not approved"
                }
            ),
            Subject::UnknownModels { vendor } => format!("unknown {vendor} models"),
            Subject::Unresolved { manufacturer } => {
                format!("unresolved manufacturer {manufacturer}")
            }
        }
    }
}

/// How a count changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// None before, some now.
    Appeared,
    /// More now.
    Grew,
    /// Fewer now.
    Shrank,
    /// Some before, none now.
    Gone,
}

impl ChangeKind {
    fn of(before: u64, after: u64) -> Option<ChangeKind> {
        match (before, after) {
            (0, 0) => None,
            (0, _) => Some(ChangeKind::Appeared),
            (_, 0) => Some(ChangeKind::Gone),
            (b, a) if a > b => Some(ChangeKind::Grew),
            (b, a) if a < b => Some(ChangeKind::Shrank),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Appeared => "appeared",
            ChangeKind::Grew => "grew",
            ChangeKind::Shrank => "shrank",
            ChangeKind::Gone => "gone",
        }
    }
}

/// One subject whose devices changed (in total or by ownership).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// How the total changed (none when only the ownership mix did).
    pub change: Option<ChangeKind>,
    /// What is counted.
    pub subject: Subject,
    /// Devices in the older snapshot.
    pub before: Counts,
    /// Devices in the newer snapshot.
    pub after: Counts,
}

/// One vendor group's devices (catalogued and unknown models).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupChange {
    /// How the total changed.
    pub change: Option<ChangeKind>,
    /// The group (the vendor when it has no group).
    pub group: String,
    /// Devices in the older snapshot.
    pub before: Counts,
    /// Devices in the newer snapshot.
    pub after: Counts,
}

/// A snapshot's identity in the diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotInfo {
    /// The file.
    pub path: PathBuf,
    /// The time it judged staleness against.
    pub as_of: String,
    /// Active devices.
    pub active: u64,
    /// Active devices on no approved stack.
    pub not_approved: u64,
}

/// Two snapshots compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotDiff {
    /// The older snapshot.
    pub old: SnapshotInfo,
    /// The newer snapshot.
    pub new: SnapshotInfo,
    /// Vendor groups whose devices changed, most added first.
    pub groups: Vec<GroupChange>,
    /// Stacks, unknown models and unresolved manufacturers whose devices
    /// changed, most added first.
    pub changes: Vec<Change>,
}

// The part of a report a diff reads; other members are ignored.
#[derive(Deserialize)]
struct Report {
    as_of: String,
    totals: Totals,
    sources: Vec<Source>,
}

#[derive(Deserialize)]
struct Totals {
    active: u64,
    unapproved: Counts,
    unknown_model: Counts,
    unresolved: Counts,
}

#[derive(Deserialize)]
struct Source {
    stacks: Vec<StackRow>,
    unknown_models: Vec<UnknownRow>,
    unresolved: Vec<UnresolvedRow>,
}

#[derive(Deserialize)]
struct StackRow {
    stack: Option<String>,
    approved: bool,
    vendor: String,
    group: Option<String>,
    devices: Counts,
}

#[derive(Deserialize)]
struct UnknownRow {
    vendor: String,
    group: Option<String>,
    devices: Counts,
}

#[derive(Deserialize)]
struct UnresolvedRow {
    manufacturer: String,
    devices: Counts,
}

/// A snapshot reduced to tallies.
struct Tallies {
    info: SnapshotInfo,
    /// Key → (subject, devices).
    subjects: BTreeMap<(u8, String, String), (Subject, Counts)>,
    groups: BTreeMap<String, Counts>,
}

/// Largest device count a snapshot may hold in one field: far beyond any
/// real fleet, small enough that no sum of a 64 MiB file's counts overflows.
const MAX_COUNT: u64 = 1 << 40;

fn snapshot_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error(Code::InventorySnapshot, message)
        .in_file(path)
        .help("a snapshot is the output of `strata inventory reconcile --format json`")
}

/// Every `Counts` in the snapshot within [`MAX_COUNT`]; the first one out
/// of range, with its pointer.
fn check_counts(v: &Value, at: &mut String) -> Option<String> {
    match v {
        Value::Object(m) => {
            if let (Some(c), Some(p), Some(u)) = (
                m.get("company").and_then(Value::as_u64),
                m.get("personal").and_then(Value::as_u64),
                m.get("unknown").and_then(Value::as_u64),
            ) && [c, p, u].iter().any(|n| *n > MAX_COUNT)
            {
                return Some(at.clone());
            }
            for (k, x) in m {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::yaml::escape_token(k));
                if let Some(p) = check_counts(x, at) {
                    return Some(p);
                }
                at.truncate(len);
            }
            None
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                if let Some(p) = check_counts(x, at) {
                    return Some(p);
                }
                at.truncate(len);
            }
            None
        }
        _ => None,
    }
}

fn read(path: &Path) -> Result<Tallies> {
    let bytes = crate::fsutil::read_bounded(path, MAX_SNAPSHOT)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m)
            .to_string();
        Error::invalid(
            snapshot_error(path, format!("this is not JSON: {message}")).at((e.line() > 0)
                .then_some(Position {
                    line: e.line(),
                    column: e.column(),
                })),
        )
    })?;
    drop(bytes);
    match value.get("schema_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(Error::invalid(
                snapshot_error(
                    path,
                    format!(
                        "snapshot schema_version {v} is not {SCHEMA_VERSION}, the one this strata writes"
                    ),
                )
                .pointer("/schema_version")
                .help("make both snapshots with the same strata version"),
            ));
        }
        None => {
            return Err(Error::invalid(
                snapshot_error(
                    path,
                    "this is not an inventory snapshot: no schema_version".to_string(),
                )
                .pointer("/schema_version"),
            ));
        }
    }
    let report: Report = serde_path_to_error::deserialize(&value).map_err(|e| {
        let mut pointer = crate::model::json_pointer(e.path());
        let inner = e.into_inner().to_string();
        // A missing member is pointed at where it belongs.
        if let Some(field) = inner
            .strip_prefix("missing field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            pointer.push('/');
            pointer.push_str(&crate::yaml::escape_token(field));
        }
        Error::invalid(
            snapshot_error(path, format!("this is not an inventory snapshot: {inner}"))
                .pointer(pointer),
        )
    })?;
    if let Some(at) = check_counts(&value, &mut String::new()) {
        return Err(Error::invalid(
            snapshot_error(
                path,
                format!("a device count is larger than {MAX_COUNT}: not a real inventory"),
            )
            .pointer(at),
        ));
    }
    drop(value);
    let t = &report.totals;
    let mut out = Tallies {
        info: SnapshotInfo {
            path: path.to_path_buf(),
            as_of: report.as_of.clone(),
            active: t.active,
            not_approved: t.unapproved.total() + t.unknown_model.total() + t.unresolved.total(),
        },
        subjects: BTreeMap::new(),
        groups: BTreeMap::new(),
    };
    let mut add = |key: (u8, String, String), subject: Subject, c: &Counts| {
        merge(
            &mut out
                .subjects
                .entry(key)
                .or_insert_with(|| (subject, Counts::default()))
                .1,
            c,
        );
    };
    let mut groups: BTreeMap<String, Counts> = BTreeMap::new();
    for s in &report.sources {
        for r in &s.stacks {
            let key = (0, r.stack.clone().unwrap_or_default(), r.vendor.clone());
            let subject = Subject::Stack {
                stack: r.stack.clone(),
                vendor: r.vendor.clone(),
                approved: r.approved,
            };
            add(key, subject, &r.devices);
            let g = r.group.clone().unwrap_or_else(|| r.vendor.clone());
            merge(groups.entry(g).or_default(), &r.devices);
        }
        for u in &s.unknown_models {
            let subject = Subject::UnknownModels {
                vendor: u.vendor.clone(),
            };
            add((1, u.vendor.clone(), String::new()), subject, &u.devices);
            let g = u.group.clone().unwrap_or_else(|| u.vendor.clone());
            merge(groups.entry(g).or_default(), &u.devices);
        }
        for u in &s.unresolved {
            let subject = Subject::Unresolved {
                manufacturer: u.manufacturer.clone(),
            };
            add(
                (2, maker_key(&u.manufacturer), String::new()),
                subject,
                &u.devices,
            );
        }
    }
    out.groups = groups;
    Ok(out)
}

/// `into += c`, saturating (counts are bounded on reading).
fn merge(into: &mut Counts, c: &Counts) {
    into.company = into.company.saturating_add(c.company);
    into.personal = into.personal.saturating_add(c.personal);
    into.unknown = into.unknown.saturating_add(c.unknown);
}

/// Compare the snapshots at `old` and `new`.
pub fn diff(old: &Path, new: &Path) -> Result<SnapshotDiff> {
    let (a, b) = (read(old)?, read(new)?);
    let mut changes = Vec::new();
    let keys: std::collections::BTreeSet<&(u8, String, String)> =
        a.subjects.keys().chain(b.subjects.keys()).collect();
    for k in keys {
        let before = a.subjects.get(k).map(|s| s.1).unwrap_or_default();
        let after = b.subjects.get(k).map(|s| s.1).unwrap_or_default();
        if before == after {
            continue;
        }
        let Some((subject, _)) = b.subjects.get(k).or_else(|| a.subjects.get(k)) else {
            continue;
        };
        changes.push(Change {
            change: ChangeKind::of(before.total(), after.total()),
            subject: subject.clone(),
            before,
            after,
        });
    }
    let added = |b: &Counts, a: &Counts| a.total() as i128 - b.total() as i128;
    changes.sort_by(|x, y| {
        added(&y.before, &y.after)
            .cmp(&added(&x.before, &x.after))
            .then_with(|| x.subject.cmp(&y.subject))
    });
    let names: std::collections::BTreeSet<&String> =
        a.groups.keys().chain(b.groups.keys()).collect();
    let mut groups: Vec<GroupChange> = names
        .into_iter()
        .filter_map(|g| {
            let before = a.groups.get(g).copied().unwrap_or_default();
            let after = b.groups.get(g).copied().unwrap_or_default();
            (before != after).then(|| GroupChange {
                change: ChangeKind::of(before.total(), after.total()),
                group: g.clone(),
                before,
                after,
            })
        })
        .collect();
    groups.sort_by(|x, y| {
        added(&y.before, &y.after)
            .cmp(&added(&x.before, &x.after))
            .then_with(|| x.group.cmp(&y.group))
    });
    Ok(SnapshotDiff {
        old: a.info,
        new: b.info,
        groups,
        changes,
    })
}

/// `N → M devices`, then each ownership whose count changed
/// (`0 → 37 personal`).
fn counts(before: &Counts, after: &Counts) -> String {
    let mut text = format!("{} → {} devices", before.total(), after.total());
    let parts: Vec<String> = [
        ("company", before.company, after.company),
        ("personal", before.personal, after.personal),
        ("unknown ownership", before.unknown, after.unknown),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(name, b, a)| format!("{b} → {a} {name}"))
    .collect();
    if !parts.is_empty() {
        text.push_str(&format!(" ({})", parts.join(", ")));
    }
    text
}

/// The diff as text.
pub fn render_text(d: &SnapshotDiff) -> String {
    let mut out = format!(
        "Inventory snapshots {} ({}) → {} ({})\n",
        crate::escape::terminal(&d.old.path.display().to_string()),
        crate::escape::terminal(&d.old.as_of),
        crate::escape::terminal(&d.new.path.display().to_string()),
        crate::escape::terminal(&d.new.as_of)
    );
    out.push_str(&format!(
        "Active devices: {} → {}; on no approved stack: {} → {}\n",
        d.old.active, d.new.active, d.old.not_approved, d.new.not_approved
    ));
    if d.groups.is_empty() && d.changes.is_empty() {
        out.push_str("\nNo stack, vendor or manufacturer changed.\n");
        return out;
    }
    if !d.groups.is_empty() {
        out.push_str("\nVendor groups (catalogued and unknown models)\n");
        for g in &d.groups {
            let tag = g.change.map_or("mix", ChangeKind::as_str);
            out.push_str(&format!(
                "  {tag:<8}  {} models: {}\n",
                crate::escape::terminal(&g.group),
                counts(&g.before, &g.after)
            ));
        }
    }
    if !d.changes.is_empty() {
        out.push_str("\nStacks, unknown models and unresolved manufacturers\n");
        for c in &d.changes {
            let tag = c.change.map_or("mix", ChangeKind::as_str);
            out.push_str(&format!(
                "  {tag:<8}  {}: {}\n",
                crate::escape::terminal(&c.subject.label()),
                counts(&c.before, &c.after)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests;
