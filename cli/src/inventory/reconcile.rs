//! Reconciliation: every record of every source classified against the
//! catalog and the approved-device list, counted by stack, ownership and
//! management mode, with unknown models grouped by manufacturer, unresolved
//! manufacturers listed and stale records counted apart.
//!
//! Files are read in parallel in small batches and merged in file order, so
//! the result is deterministic and memory holds a batch of compact records
//! plus one 128-bit tag per device (to count each device once), never an
//! export. Identities are tagged (keyed HMAC, see [`super::Pseudonymizer`])
//! the moment a record is read and the raw strings dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

// Keys strata makes itself (HMAC tags no one can choose without the key,
// class numbers) are hashed with FxHash; strings from the inventories keep
// SipHash, whose random key resists collisions chosen by a device.
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::matcher::{Class, Matcher, Resolved, maker_key, model_key};
use super::pseudonym::{Domain, Pseudonymizer};
use super::screen::{ScreeningHit, screen};
use super::{FileOutcome, Mapping, Ownership, Record, SourceFormat};
use crate::clock::Time;
use crate::diag::{Diagnostic, Error, Result, Severity};
use crate::model::Designations;

/// Version of the JSON report's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// Files read in parallel before their records are merged.
const BATCH: usize = 16;

/// One inventory source: a file or a directory of pages of one format.
#[derive(Debug, Clone)]
pub struct Source {
    /// The export format.
    pub format: SourceFormat,
    /// The file, or a directory of page files.
    pub path: PathBuf,
    /// The column mapping (generic formats).
    pub mapping: Option<Mapping>,
    /// The directory the source must stay inside, reached without symbolic
    /// links (the policy's directory, for the inventories a policy names);
    /// `None` for paths given on the command line, which may be anywhere.
    pub within: Option<PathBuf>,
}

impl Source {
    /// How the guarded open reaches this source's files.
    pub fn scope(&self) -> crate::fsutil::Scope<'_> {
        self.within
            .as_deref()
            .map_or(crate::fsutil::Scope::Given, crate::fsutil::Scope::Within)
    }
}

/// How to reconcile.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The time "now" is (the library never reads the clock).
    pub now: Time,
    /// Records with no check-in for more than this many days are stale.
    pub stale_days: u32,
}

/// Devices by ownership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counts {
    /// Company-owned.
    pub company: u64,
    /// Personally owned.
    pub personal: u64,
    /// Ownership not recorded.
    pub unknown: u64,
}

impl Counts {
    /// All devices.
    pub fn total(&self) -> u64 {
        self.company + self.personal + self.unknown
    }

    /// No device at all.
    pub fn is_zero(&self) -> bool {
        self.total() == 0
    }

    fn add(&mut self, o: Ownership, n: u64) {
        match o {
            Ownership::Company => self.company += n,
            Ownership::Personal => self.personal += n,
            Ownership::Unknown => self.unknown += n,
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.company += other.company;
        self.personal += other.personal;
        self.unknown += other.unknown;
    }
}

/// A catalogued model seen in a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackRow {
    /// The stack (device id), when the catalog names one.
    pub stack: Option<String>,
    /// Whether approved-devices.yaml lists the stack.
    pub approved: bool,
    /// The model's vendor.
    pub vendor: String,
    /// Its group.
    pub group: Option<String>,
    /// Index of the entry in the catalog's `models`.
    pub catalog_entry: usize,
    /// Devices by ownership.
    pub devices: Counts,
    /// Of them, devices below the entry's `min-os-version` or
    /// `min-patch-level` (absent when none).
    #[serde(skip_serializing_if = "Counts::is_zero")]
    pub below_minimum: Counts,
    /// Which rules matched, with how many devices each.
    pub matched_by: BTreeMap<String, u64>,
}

/// One model under a manufacturer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCount {
    /// The model as reported (the most frequent spelling), or `(none)`.
    pub model: String,
    /// Devices by ownership.
    pub devices: Counts,
}

/// Models the catalog does not know, from a manufacturer strata resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownGroup {
    /// Vendor id.
    pub vendor: String,
    /// Its group.
    pub group: Option<String>,
    /// Devices by ownership.
    pub devices: Counts,
    /// The manufacturer strings reported, with counts.
    pub reported_as: BTreeMap<String, u64>,
    /// Which rules resolved the manufacturer, with counts.
    pub matched_by: BTreeMap<String, u64>,
    /// The models, most devices first.
    pub models: Vec<ModelCount>,
}

/// A manufacturer strata cannot resolve: to add to the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unresolved {
    /// As reported (the most frequent spelling), or `(none)`.
    pub manufacturer: String,
    /// Every spelling reported, with counts.
    pub reported_as: BTreeMap<String, u64>,
    /// Devices by ownership.
    pub devices: Counts,
    /// The models, most devices first.
    pub models: Vec<ModelCount>,
}

/// What one source holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceReport {
    /// Export format.
    pub format: SourceFormat,
    /// The path as given.
    pub path: PathBuf,
    /// Files read.
    pub files: usize,
    /// Records read.
    pub records: u64,
    /// Records of a device already counted (same identity).
    pub duplicates: u64,
    /// Records removed from management (counted apart).
    pub retired: u64,
    /// Records with no check-in within the stale window (counted apart).
    pub stale: u64,
    /// Devices counted below.
    pub active: u64,
    /// Active devices by ownership.
    pub ownership: Counts,
    /// Active devices by management mode.
    pub modes: BTreeMap<String, u64>,
    /// Catalogued models, approved or not.
    pub stacks: Vec<StackRow>,
    /// Unknown models by vendor.
    pub unknown_models: Vec<UnknownGroup>,
    /// Manufacturers strata cannot resolve.
    pub unresolved: Vec<Unresolved>,
}

/// Totals over all sources (active devices).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Active devices.
    pub active: u64,
    /// On an approved stack.
    pub approved: Counts,
    /// Catalogued model whose stack is not approved.
    pub unapproved: Counts,
    /// Unknown model of a known manufacturer.
    pub unknown_model: Counts,
    /// Manufacturer not resolved.
    pub unresolved: Counts,
    /// Stale records.
    pub stale: u64,
    /// Duplicate records.
    pub duplicates: u64,
    /// Retired records.
    pub retired: u64,
}

impl Totals {
    /// Devices in use that nobody approved.
    pub fn not_approved(&self) -> Counts {
        let mut c = self.unapproved;
        c.merge(&self.unknown_model);
        c.merge(&self.unresolved);
        c
    }
}

/// The reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The time the report judges staleness against.
    pub as_of: String,
    /// The stale window, in days.
    pub stale_days: u32,
    /// `hmac-sha256` (keyed pseudonyms) or `none`.
    pub pseudonyms: &'static str,
    /// The catalog read.
    pub catalog: PathBuf,
    /// Totals.
    pub totals: Totals,
    /// Per source.
    pub sources: Vec<SourceReport>,
    /// Restricted-list screening of resolved vendors and reported
    /// manufacturer strings.
    pub screening: Vec<ScreeningHit>,
    /// Warnings on single records (e.g. VIN check digits).
    pub warnings: Vec<Diagnostic>,
}

/// One record as written by `--records`: pseudonyms, never identities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRow<'a> {
    /// Source path.
    pub source: &'a Path,
    /// Device pseudonym (none without a key or an identity).
    pub device: Option<String>,
    /// User pseudonym.
    pub user: Option<String>,
    /// `approved`, `unapproved`, `unknown-model` or `unresolved`.
    pub status: &'static str,
    /// `active`, `stale`, `duplicate` or `retired`.
    pub state: &'static str,
    /// Stack, for catalogued models.
    pub stack: Option<&'a str>,
    /// Vendor.
    pub vendor: Option<&'a str>,
    /// Group.
    pub group: Option<&'a str>,
    /// Manufacturer as reported.
    pub manufacturer: Option<&'a str>,
    /// Model as reported.
    pub model: Option<&'a str>,
    /// Ownership.
    pub ownership: Ownership,
    /// Management mode.
    pub mode: &'a str,
    /// Last check-in day.
    pub last_seen: Option<String>,
}

/// A record reduced to what is counted.
struct Slim {
    tag: Option<[u8; 16]>,
    user: Option<[u8; 16]>,
    class: u32,
    mode: u32,
    ownership: Ownership,
    last_seen: Option<Time>,
    retired: bool,
    /// Below its catalog entry's minimum OS version or patch level.
    below: bool,
}

/// Normalised model → (its spellings with counts, devices).
type ModelTally = BTreeMap<String, (BTreeMap<String, u64>, Counts)>;

/// Called with each record for `--records`.
pub type RecordSink<'s> = &'s mut dyn FnMut(&RecordRow<'_>) -> Result<()>;

type ClassKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

struct FileClass {
    resolved: Resolved,
    manufacturer: Option<String>,
    model: Option<String>,
}

struct FileRead {
    slims: Vec<Slim>,
    classes: Vec<FileClass>,
    modes: Vec<String>,
    outcome: FileOutcome,
}

fn read_one(
    source: &Source,
    path: &Path,
    matcher: &Matcher<'_>,
    pseudo: &Pseudonymizer,
) -> Result<FileRead> {
    let mut slims = Vec::new();
    let mut classes: Vec<FileClass> = Vec::new();
    let mut index: HashMap<ClassKey, u32> = HashMap::new();
    let mut modes: Vec<String> = Vec::new();
    let mut mode_index: HashMap<String, u32> = HashMap::new();
    let mut sink = |_at: super::Location, r: Record| {
        let Record {
            id,
            user,
            manufacturer,
            brand,
            model,
            os,
            os_version,
            patch_level,
            ownership,
            mode,
            last_seen,
            retired,
            wmi,
            ..
        } = r;
        let tag = id.map(|i| pseudo.tag(Domain::Device, &i));
        let user = user.map(|u| pseudo.tag(Domain::User, &u));
        let key: ClassKey = (manufacturer, brand, model, os, wmi);
        let class = match index.get(&key) {
            Some(c) => *c,
            None => {
                let resolved = matcher.resolve(
                    key.0.as_deref(),
                    key.1.as_deref(),
                    key.2.as_deref(),
                    key.3.as_deref(),
                    key.4.as_deref(),
                );
                let c = u32::try_from(classes.len()).unwrap_or(u32::MAX);
                classes.push(FileClass {
                    resolved,
                    manufacturer: key.0.clone(),
                    model: key.2.clone(),
                });
                index.insert(key, c);
                c
            }
        };
        let below = match classes.get(class as usize).map(|c| &c.resolved.class) {
            Some(Class::Model { entry, .. }) => {
                matcher.below_minimum(*entry, os_version.as_deref(), patch_level)
            }
            _ => false,
        };
        let mode = mode.unwrap_or_else(|| "unknown".to_string());
        let m = match mode_index.get(&mode) {
            Some(m) => *m,
            None => {
                let m = u32::try_from(modes.len()).unwrap_or(u32::MAX);
                modes.push(mode.clone());
                mode_index.insert(mode, m);
                m
            }
        };
        slims.push(Slim {
            tag,
            user,
            class,
            mode: m,
            ownership: ownership.unwrap_or(Ownership::Unknown),
            last_seen,
            retired,
            below,
        });
    };
    let outcome = super::read_file(
        source.format,
        path,
        source.scope(),
        source.mapping.as_ref(),
        &mut sink,
    )?;
    Ok(FileRead {
        slims,
        classes,
        modes,
        outcome,
    })
}

/// A class across files.
struct GlobalClass {
    resolved: Resolved,
    manufacturer: Option<String>,
    model: Option<String>,
}

#[derive(Default)]
struct SourceAcc {
    files: usize,
    records: u64,
    duplicates: u64,
    retired: u64,
    stale: u64,
    ownership: Counts,
    modes: BTreeMap<String, u64>,
    /// Active devices by class, and those below their entry's minimum.
    by_class: FxHashMap<u32, (Counts, Counts)>,
    seen: FxHashSet<[u8; 16]>,
}

/// Reconcile `sources` against the catalog (through `matcher`), the
/// approved stacks and the restricted lists. `records`, when given, is
/// called with every record in file order (pseudonyms only). Errors on
/// single records are collected over all files and returned together.
#[allow(clippy::too_many_arguments)]
pub fn reconcile(
    matcher: &Matcher<'_>,
    catalog_path: &Path,
    approved: &BTreeSet<String>,
    designations: Option<&Designations>,
    pseudo: &Pseudonymizer,
    sources: &[Source],
    options: Options,
    mut records: Option<RecordSink<'_>>,
) -> Result<InventoryReport> {
    let cutoff = options
        .now
        .unix_seconds()
        .saturating_sub(i64::from(options.stale_days) * 86_400);
    let mut jobs: Vec<(usize, PathBuf)> = Vec::new();
    let mut accs: Vec<SourceAcc> = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let files = super::source_files(s.format, &s.path, s.scope())?;
        accs.push(SourceAcc {
            files: files.len(),
            ..SourceAcc::default()
        });
        jobs.extend(files.into_iter().map(|f| (i, f)));
    }
    let mut global: Vec<GlobalClass> = Vec::new();
    let mut global_index: HashMap<(Option<String>, Option<String>, Resolved), u32> = HashMap::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for batch in jobs.chunks(BATCH) {
        let reads: Vec<Result<FileRead>> = batch
            .par_iter()
            .map(|(s, path)| read_one(&sources[*s], path, matcher, pseudo))
            .collect();
        for ((s, _), read) in batch.iter().zip(reads) {
            let read = match read {
                Ok(r) => r,
                Err(e) => {
                    errors.extend(e.diagnostics());
                    continue;
                }
            };
            for d in read.outcome.diagnostics {
                if d.severity == Severity::Error {
                    errors.push(d);
                } else {
                    warnings.push(d);
                }
            }
            let map: Vec<u32> = read
                .classes
                .into_iter()
                .map(|c| {
                    let key = (c.manufacturer, c.model, c.resolved);
                    if let Some(g) = global_index.get(&key) {
                        return *g;
                    }
                    let g = u32::try_from(global.len()).unwrap_or(u32::MAX);
                    global.push(GlobalClass {
                        manufacturer: key.0.clone(),
                        model: key.1.clone(),
                        resolved: key.2.clone(),
                    });
                    global_index.insert(key, g);
                    g
                })
                .collect();
            let acc = &mut accs[*s];
            acc.records += read.outcome.records;
            for slim in read.slims {
                let class = map.get(slim.class as usize).copied().unwrap_or_default();
                let mode = read
                    .modes
                    .get(slim.mode as usize)
                    .map_or("unknown", String::as_str);
                let state = if slim.retired {
                    acc.retired += 1;
                    "retired"
                } else if slim.tag.is_some_and(|t| !acc.seen.insert(t)) {
                    acc.duplicates += 1;
                    "duplicate"
                } else if slim.last_seen.is_some_and(|t| t.unix_seconds() < cutoff) {
                    acc.stale += 1;
                    "stale"
                } else {
                    acc.ownership.add(slim.ownership, 1);
                    *acc.modes.entry(mode.to_string()).or_default() += 1;
                    let (all, below) = acc.by_class.entry(class).or_default();
                    all.add(slim.ownership, 1);
                    if slim.below {
                        below.add(slim.ownership, 1);
                    }
                    "active"
                };
                if let Some(write) = records.as_mut()
                    && let Some(g) = global.get(class as usize)
                {
                    let row = record_row(
                        &sources[*s].path,
                        g,
                        matcher,
                        approved,
                        pseudo,
                        &slim,
                        state,
                        mode,
                    );
                    write(&row)?;
                }
            }
        }
        if errors.len() >= super::MAX_DIAGNOSTICS {
            break;
        }
    }
    if !errors.is_empty() {
        errors.truncate(super::MAX_DIAGNOSTICS);
        return Err(Error::Invalid(errors));
    }
    let catalog = matcher.catalog();
    let mut totals = Totals::default();
    let mut reports = Vec::new();
    let mut vendor_devices: BTreeMap<String, u64> = BTreeMap::new();
    let mut reported: BTreeMap<String, (Option<String>, u64)> = BTreeMap::new();
    for (s, acc) in sources.iter().zip(accs) {
        let mut stacks: BTreeMap<usize, StackRow> = BTreeMap::new();
        let mut unknown: BTreeMap<String, (UnknownGroup, ModelTally)> = BTreeMap::new();
        let mut unresolved: BTreeMap<String, (Unresolved, ModelTally)> = BTreeMap::new();
        let mut classes: Vec<(&u32, &(Counts, Counts))> = acc.by_class.iter().collect();
        classes.sort_by_key(|(c, _)| **c);
        for (c, (counts, below)) in classes {
            let Some(g) = global.get(*c as usize) else {
                continue;
            };
            let n = counts.total();
            if let Some(v) = &g.resolved.vendor {
                *vendor_devices.entry(v.clone()).or_default() += n;
            }
            if let Some(m) = &g.manufacturer {
                let e = reported
                    .entry(m.clone())
                    .or_insert((g.resolved.vendor.clone(), 0));
                e.1 += n;
            }
            let manufacturer = g.manufacturer.clone().unwrap_or_else(|| "(none)".into());
            let model = g.model.clone().unwrap_or_else(|| "(none)".into());
            match &g.resolved.class {
                Class::Model { entry, .. } => {
                    let m = catalog.models.get(*entry);
                    let stack = m.and_then(|m| m.stack.clone());
                    let is_approved = stack.as_ref().is_some_and(|s| approved.contains(s));
                    let row = stacks.entry(*entry).or_insert_with(|| StackRow {
                        stack: stack.clone(),
                        approved: is_approved,
                        vendor: m.map(|m| m.vendor.clone()).unwrap_or_default(),
                        group: g.resolved.group.clone(),
                        catalog_entry: *entry,
                        devices: Counts::default(),
                        below_minimum: Counts::default(),
                        matched_by: BTreeMap::new(),
                    });
                    row.devices.merge(counts);
                    row.below_minimum.merge(below);
                    *row.matched_by
                        .entry(g.resolved.class.explain(catalog))
                        .or_default() += n;
                    if is_approved {
                        totals.approved.merge(counts);
                    } else {
                        totals.unapproved.merge(counts);
                    }
                }
                Class::UnknownModel(rule) => {
                    let vendor = rule.vendor().to_string();
                    let (grp, models) = unknown.entry(vendor.clone()).or_insert_with(|| {
                        (
                            UnknownGroup {
                                vendor,
                                group: g.resolved.group.clone(),
                                devices: Counts::default(),
                                reported_as: BTreeMap::new(),
                                matched_by: BTreeMap::new(),
                                models: Vec::new(),
                            },
                            BTreeMap::new(),
                        )
                    });
                    grp.devices.merge(counts);
                    *grp.reported_as.entry(manufacturer).or_default() += n;
                    *grp.matched_by.entry(rule.explain()).or_default() += n;
                    let (spellings, mc) = models.entry(model_key(&model)).or_default();
                    *spellings.entry(model).or_default() += n;
                    mc.merge(counts);
                    totals.unknown_model.merge(counts);
                }
                Class::Unresolved => {
                    let key = g.manufacturer.as_deref().map(maker_key).unwrap_or_default();
                    let (u, models) = unresolved.entry(key).or_insert_with(|| {
                        (
                            Unresolved {
                                manufacturer: String::new(),
                                reported_as: BTreeMap::new(),
                                devices: Counts::default(),
                                models: Vec::new(),
                            },
                            BTreeMap::new(),
                        )
                    });
                    u.devices.merge(counts);
                    *u.reported_as.entry(manufacturer).or_default() += n;
                    let (spellings, mc) = models.entry(model_key(&model)).or_default();
                    *spellings.entry(model).or_default() += n;
                    mc.merge(counts);
                    totals.unresolved.merge(counts);
                }
            }
        }
        let mut unknown_models: Vec<UnknownGroup> = unknown
            .into_values()
            .map(|(mut g, models)| {
                g.models = model_counts(models);
                g
            })
            .collect();
        unknown_models.sort_by(|a, b| {
            b.devices
                .total()
                .cmp(&a.devices.total())
                .then(a.vendor.cmp(&b.vendor))
        });
        let mut unresolved: Vec<Unresolved> = unresolved
            .into_values()
            .map(|(mut u, models)| {
                u.manufacturer = most_frequent(&u.reported_as);
                u.models = model_counts(models);
                u
            })
            .collect();
        unresolved.sort_by(|a, b| {
            b.devices
                .total()
                .cmp(&a.devices.total())
                .then(a.manufacturer.cmp(&b.manufacturer))
        });
        let active = acc.ownership.total();
        totals.active += active;
        totals.stale += acc.stale;
        totals.duplicates += acc.duplicates;
        totals.retired += acc.retired;
        reports.push(SourceReport {
            format: s.format,
            path: s.path.clone(),
            files: acc.files,
            records: acc.records,
            duplicates: acc.duplicates,
            retired: acc.retired,
            stale: acc.stale,
            active,
            ownership: acc.ownership,
            modes: acc.modes,
            stacks: stacks.into_values().collect(),
            unknown_models,
            unresolved,
        });
    }
    let screening = screen(matcher, designations, &vendor_devices, &reported);
    Ok(InventoryReport {
        schema_version: SCHEMA_VERSION,
        as_of: options.now.to_string(),
        stale_days: options.stale_days,
        pseudonyms: if pseudo.is_keyed() {
            "hmac-sha256"
        } else {
            "none"
        },
        catalog: catalog_path.to_path_buf(),
        totals,
        sources: reports,
        screening,
        warnings,
    })
}

/// The most frequent key (the smallest on a tie), or `(none)`.
fn most_frequent(m: &BTreeMap<String, u64>) -> String {
    m.iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or_else(|| "(none)".to_string(), |(k, _)| k.clone())
}

fn model_counts(models: ModelTally) -> Vec<ModelCount> {
    let mut out: Vec<ModelCount> = models
        .into_values()
        .map(|(spellings, devices)| ModelCount {
            model: most_frequent(&spellings),
            devices,
        })
        .collect();
    out.sort_by(|a, b| {
        b.devices
            .total()
            .cmp(&a.devices.total())
            .then(a.model.cmp(&b.model))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn record_row<'a>(
    source: &'a Path,
    g: &'a GlobalClass,
    matcher: &'a Matcher<'_>,
    approved: &BTreeSet<String>,
    pseudo: &Pseudonymizer,
    slim: &Slim,
    state: &'static str,
    mode: &'a str,
) -> RecordRow<'a> {
    let (status, stack) = match &g.resolved.class {
        Class::Model { entry, .. } => {
            let stack = matcher
                .catalog()
                .models
                .get(*entry)
                .and_then(|m| m.stack.as_deref());
            if stack.is_some_and(|s| approved.contains(s)) {
                ("approved", stack)
            } else {
                ("unapproved", stack)
            }
        }
        Class::UnknownModel(_) => ("unknown-model", None),
        Class::Unresolved => ("unresolved", None),
    };
    RecordRow {
        source,
        device: slim
            .tag
            .as_ref()
            .and_then(|t| pseudo.render(Domain::Device, t)),
        user: slim
            .user
            .as_ref()
            .and_then(|t| pseudo.render(Domain::User, t)),
        status,
        state,
        stack,
        vendor: g.resolved.vendor.as_deref(),
        group: g.resolved.group.as_deref(),
        manufacturer: g.manufacturer.as_deref(),
        model: g.model.as_deref(),
        ownership: slim.ownership,
        mode,
        last_seen: slim.last_seen.map(|t| t.date().to_string()),
    }
}

#[cfg(test)]
mod tests;
