//! Device inventories: what the MDM and fleet systems see, reconciled
//! against what was approved (the "shadow fleet").
//!
//! Readers stream the real export formats one record at a time, never
//! holding a whole export: Microsoft Graph `managedDevice` pages (Intune),
//! Android Management API device lists, Jamf Pro `computers-inventory`
//! pages, vehicle lists as CSV keyed by VIN, and any other CSV or JSON
//! through a column [`Mapping`]. They are tolerant of extra fields, `null`
//! and empty strings, and strict about the fields strata uses: a wrong type
//! or an unknown value is an error naming the file and the JSON pointer (or
//! the CSV line).
//!
//! Privacy by construction: a [`Record`] has no field for names, user
//! principal names, e-mail, phone numbers, IMEI, serial numbers, MAC
//! addresses or device names, so no reader can pass them on. The device and
//! user identities it carries are turned into keyed pseudonyms
//! ([`Pseudonymizer`]) by [`reconcile`] as soon as they are read and are
//! never written anywhere.

mod json;
mod mapping;
mod matcher;
mod policy;
mod pseudonym;
mod reconcile;
mod render;
mod screen;
mod seen;
mod snapshot;
mod tabular;
mod vin;

pub use mapping::{FIELDS, Field, Mapping};
pub use matcher::{Class, ManufacturerRule, Matcher, Resolved};
pub use policy::{
    DEFAULT_STALE_DAYS, PolicyInventory, for_fleet, no_inventories, reconcile_policy,
};
pub use pseudonym::Domain;
pub use pseudonym::{KEY_ENV, MIN_KEY_BYTES, Pseudonymizer, read_key_file};
pub use reconcile::{
    Counts, InventoryReport, ModelCount, Options, RecordRow, RecordSink, SCHEMA_VERSION, Source,
    SourceReport, StackRow, Totals, UnknownGroup, Unresolved, reconcile,
};
pub use render::{RecordWriter, csv, html, markdown, text};
pub use screen::{ScreeningHit, Via};
pub use seen::{SeenHit, SeenNotApproved, SeenRow, UnknownByManufacturer, UnresolvedRow};
pub use snapshot::{
    Change, ChangeKind, GroupChange, SnapshotDiff, SnapshotInfo, Subject, diff as diff_snapshots,
    render_text as render_snapshot_diff,
};
pub use vin::{VinCheck, check_vin};

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::clock::{Date, Time};
use crate::diag::{Diagnostic, Result};

/// The export formats strata reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// Microsoft Graph `managedDevice` pages (Intune).
    Graph,
    /// Android Management API `enterprises.devices.list` responses.
    Android,
    /// Jamf Pro `GET /api/v1/computers-inventory` pages.
    Jamf,
    /// A vehicle list as CSV keyed by VIN.
    VinCsv,
    /// Any CSV, read through a column mapping.
    Csv,
    /// Any JSON array of records, read through a mapping.
    Json,
}

impl SourceFormat {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Graph => "graph",
            SourceFormat::Android => "android",
            SourceFormat::Jamf => "jamf",
            SourceFormat::VinCsv => "vin-csv",
            SourceFormat::Csv => "csv",
            SourceFormat::Json => "json",
        }
    }

    /// Every format.
    pub const ALL: [SourceFormat; 6] = [
        SourceFormat::Graph,
        SourceFormat::Android,
        SourceFormat::Jamf,
        SourceFormat::VinCsv,
        SourceFormat::Csv,
        SourceFormat::Json,
    ];

    /// The format with this kebab-case name.
    pub fn from_name(name: &str) -> Option<SourceFormat> {
        SourceFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The file extension of its files when a directory is given.
    pub fn extension(self) -> &'static str {
        match self {
            SourceFormat::VinCsv | SourceFormat::Csv => "csv",
            _ => "json",
        }
    }
}

/// Who owns a device, as the inventory says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ownership {
    /// Company-owned (or leased by the company).
    Company,
    /// Personally owned (BYOD).
    Personal,
    /// Not recorded.
    Unknown,
}

impl Ownership {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::Company => "company",
            Ownership::Personal => "personal",
            Ownership::Unknown => "unknown",
        }
    }
}

/// One device or vehicle as an inventory reports it, reduced to what a
/// reconciliation needs. `id` and `user` are raw identities: they live only
/// until [`reconcile`] pseudonymises them and are never written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The device's identity in its source (Intune id, AMAPI name, Jamf id,
    /// VIN).
    pub id: Option<String>,
    /// The user's identity in its source (Entra user id, AMAPI user name,
    /// Jamf user name).
    pub user: Option<String>,
    /// Manufacturer (or vehicle make) as reported.
    pub manufacturer: Option<String>,
    /// Brand as reported, when the source has one besides the manufacturer.
    pub brand: Option<String>,
    /// Model as reported (model code, marketing name, model identifier).
    pub model: Option<String>,
    /// Operating system family as reported.
    pub os: Option<String>,
    /// OS version as reported.
    pub os_version: Option<String>,
    /// Android security patch level.
    pub patch_level: Option<Date>,
    /// Ownership.
    pub ownership: Option<Ownership>,
    /// Management mode (`fully-managed`, `work-profile`, the Intune
    /// management agent, `managed`, `unmanaged`, `fleet`).
    pub mode: Option<String>,
    /// Last check-in.
    pub last_seen: Option<Time>,
    /// Removed from management (Android `DELETED`): counted apart.
    pub retired: bool,
    /// VIN world manufacturer identifier, for vehicles.
    pub wmi: Option<String>,
}

/// Where a record was read: line (CSV) or index in the file's array (JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of a CSV file.
    Line(u64),
    /// Index in the array of records of a JSON page.
    Index(usize),
}

/// Everything one file produced besides its records: warnings (such as
/// VIN check digits that fail) and errors on single records, which the
/// caller collects before failing.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// Diagnostics, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Records read.
    pub records: u64,
    /// Errors and warnings past [`MAX_DIAGNOSTICS`], counted.
    overflow: (u64, u64),
}

/// Most diagnostics one file keeps (the rest are counted).
pub const MAX_DIAGNOSTICS: usize = 50;

impl FileOutcome {
    /// Keep `d`, or count it once [`MAX_DIAGNOSTICS`] are kept.
    pub(crate) fn note(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(d);
        } else if d.severity == crate::diag::Severity::Error {
            self.overflow.0 += 1;
        } else {
            self.overflow.1 += 1;
        }
    }

    /// One diagnostic for what was counted, not kept, in `path`, whose
    /// records are `rows`: an error when an error is among them, else a
    /// warning (many VINs whose check digit fails do not fail the run).
    pub(crate) fn close(&mut self, path: &Path, code: crate::diag::Code, row: (&str, &str)) {
        let (errors, warnings) = self.overflow;
        let more = |n: u64, what: &str| {
            let (one, many) = row;
            let verb = if n == 1 { "has" } else { "have" };
            format!(
                "{} in this file {verb} {what}",
                crate::table::count_as(n, &format!("more {one}"), &format!("more {many}"))
            )
        };
        let fix = "fix the ones shown and run again to see the rest";
        let (d, what) = match (errors, warnings) {
            (0, 0) => return,
            (0, w) => (
                Diagnostic::warning(code, more(w, "warnings")),
                "see the ones shown",
            ),
            (e, 0) => (Diagnostic::error(code, more(e, "errors")), fix),
            (e, w) => (
                Diagnostic::error(
                    code,
                    format!(
                        "{}, and {w} more {} warnings",
                        more(e, "errors"),
                        if w == 1 { "has" } else { "have" }
                    ),
                ),
                fix,
            ),
        };
        self.diagnostics.push(d.in_file(path).help(what));
    }
}

/// Read one inventory file of `format`, calling `sink` with every record.
/// A structural error (not JSON, not the format, unreadable) is returned
/// as an error; errors on single records are collected in the outcome.
/// The file is opened with the guarded open within `scope`.
pub fn read_file(
    format: SourceFormat,
    path: &Path,
    scope: crate::fsutil::Scope<'_>,
    mapping: Option<&Mapping>,
    sink: &mut dyn FnMut(Location, Record),
) -> Result<FileOutcome> {
    let file = crate::fsutil::open_regular(path, scope)?;
    match format {
        SourceFormat::Graph | SourceFormat::Android | SourceFormat::Jamf | SourceFormat::Json => {
            json::read(format, path, file, mapping, sink)
        }
        SourceFormat::VinCsv | SourceFormat::Csv => {
            tabular::read(format, path, file, mapping, sink)
        }
    }
}

/// The files of a source: `path` itself, or the entries with the format's
/// extension directly in the directory `path`, sorted by name. Every such
/// entry must be a regular file inside the directory: a FIFO, a device or a
/// symbolic link leaving the directory is refused (through the guarded
/// open, which reading checks again), never skipped, so no page of an export
/// goes missing without an error. `path` itself is reached within `scope`.
pub fn source_files(
    format: SourceFormat,
    path: &Path,
    scope: crate::fsutil::Scope<'_>,
) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        crate::fsutil::check_file(path, scope)?;
        return Ok(vec![path.to_path_buf()]);
    }
    crate::fsutil::check_dir(path, scope)?;
    let mut out = Vec::new();
    let entries = std::fs::read_dir(path).map_err(|e| crate::diag::Error::io(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| crate::diag::Error::io(path, e))?;
        let p = entry.path();
        if p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(format.extension()))
        {
            crate::fsutil::check_file(&p, crate::fsutil::Scope::Within(path))?;
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}
