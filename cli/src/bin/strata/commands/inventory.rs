//! `strata inventory reconcile`: the shadow fleet, from MDM and fleet
//! exports, against what was approved.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use strata::diag::{Code, Diagnostic, Error, ExitStatus, Result};
use strata::inventory::{
    self, Mapping, Matcher, Options, Pseudonymizer, RecordRow, Source, SourceFormat,
};
use strata::model::{self, ApprovedDevices, Catalog, Designations, FileKind, Loaded};
use strata::{fsutil, layout};

use crate::args::{FleetArgs, Format, Formats, NowArg};
use crate::output;

/// `human`, `json`, `csv`, `md` or `html`.
const FORMATS: Formats = Formats::new(&[
    Format::Human,
    Format::Json,
    Format::Csv,
    Format::Md,
    Format::Html,
]);

/// Device inventories from MDM and fleet systems, against what was approved.
///
/// Reads the exports the organisation already has (Intune, Android
/// Enterprise, Jamf Pro, vehicle lists, any CSV or JSON) and answers what is
/// in use that nobody approved, which vendor groups it comes from and which
/// restricted lists those are on.
///
/// An inventory is personal data. strata reads only what reconciliation
/// needs, replaces every device and user identity with a keyed pseudonym
/// (HMAC-SHA-256 with the organisation's key) and never writes names, user
/// principal names, e-mail addresses, phone numbers, IMEI, serial numbers,
/// MAC addresses or device names.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(subcommand)]
    command: InventoryCommand,
}

#[derive(Debug, Subcommand)]
enum InventoryCommand {
    Reconcile(ReconcileArgs),
}

/// Reconcile inventories against the catalog and the approved-device list.
///
/// For each source: devices by catalogued stack (approved or not), by
/// ownership and by management mode; models the catalog does not know,
/// grouped by the vendor their manufacturer resolves to (an unknown Xiaomi
/// model is still Xiaomi); manufacturers strata cannot resolve, to add to
/// catalog.yaml; stale records (no check-in within --stale-days), duplicates
/// and retired records counted apart. Resolved vendors and reported
/// manufacturer strings are screened against designations.yaml.
///
/// A PATH is a file or a directory of pages (every .json, or .csv, file in
/// it). Each source flag may be repeated. The pseudonym key comes from
/// --key-file or the STRATA_PSEUDONYM_KEY environment variable (at least 16
/// bytes); without one strata refuses to run unless --no-pseudonym is given,
/// and then writes no per-device identifier at all. Exit status 0 when the
/// report was made; use `strata gate` to fail a CI job.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  export STRATA_PSEUDONYM_KEY=\"$(cat /secrets/org-pseudonym.key)\"
  strata inventory reconcile examples --intune examples/inventory/intune \\
      --android examples/inventory/android-enterprise.json --now 2026-12-01
  strata inventory reconcile examples --key-file org.key --jamf exports/jamf/ \\
      --vehicles exports/fleet.csv --format md -o shadow-fleet.md
  strata inventory reconcile examples --no-pseudonym --csv assets.csv \\
      --map manufacturer=Vendor --map model=Model --map ownership='Owner type'
  strata inventory reconcile examples --intune exports/ --format json | jq .totals
  strata inventory reconcile examples --intune exports/ --records devices.csv")]
struct ReconcileArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Microsoft Graph managedDevice pages (Intune).
    #[arg(long, value_name = "PATH", alias = "graph")]
    intune: Vec<PathBuf>,
    /// Android Management API device lists (Android Enterprise).
    #[arg(long, value_name = "PATH")]
    android: Vec<PathBuf>,
    /// Jamf Pro computers-inventory pages.
    #[arg(long, value_name = "PATH")]
    jamf: Vec<PathBuf>,
    /// Vehicle lists as CSV keyed by VIN (columns VIN, Make, Model, …).
    #[arg(long, value_name = "PATH")]
    vehicles: Vec<PathBuf>,
    /// Any CSV inventory, read through --map.
    #[arg(long, value_name = "PATH", requires = "map")]
    csv: Vec<PathBuf>,
    /// Any JSON inventory (an array, or records=MEMBER), read through --map.
    #[arg(long, value_name = "PATH", requires = "map")]
    json: Vec<PathBuf>,
    /// Column mapping for --csv and --json: FIELD=COLUMN, FIELD one of id,
    /// user, manufacturer, model, os, os-version, ownership, mode,
    /// last-seen, vin (and records=MEMBER for JSON).
    #[arg(long, value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// The catalog; the fleet's catalog.yaml by default.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// File holding the organisation's pseudonym key (else the
    /// STRATA_PSEUDONYM_KEY environment variable).
    #[arg(long, value_name = "FILE", conflicts_with = "no_pseudonym")]
    key_file: Option<PathBuf>,
    /// Run without a key: identities are only counted, never written.
    #[arg(long)]
    no_pseudonym: bool,
    /// Records with no check-in for more than DAYS days are stale.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    stale_days: u32,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = FORMATS)]
    format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write one CSV row per record to FILE: pseudonyms, status,
    /// stack, vendor, reported manufacturer and model, ownership, mode.
    #[arg(long, value_name = "FILE")]
    records: Option<PathBuf>,
    #[command(flatten)]
    now: NowArg,
}

/// Run `strata inventory`.
pub fn run(args: InventoryArgs) -> Result<ExitStatus> {
    match args.command {
        InventoryCommand::Reconcile(a) => reconcile(a),
    }
}

fn pseudonymizer(args: &ReconcileArgs) -> Result<Pseudonymizer> {
    if let Some(path) = &args.key_file {
        let key = inventory::read_key_file(path)?;
        return Pseudonymizer::keyed(&key, &path.display().to_string());
    }
    if args.no_pseudonym {
        return Ok(Pseudonymizer::without_key());
    }
    match std::env::var_os(inventory::KEY_ENV) {
        Some(v) if !v.is_empty() => {
            let key = v.into_encoded_bytes();
            Pseudonymizer::keyed(&key, inventory::KEY_ENV)
        }
        _ => Err(Error::invalid(
            Diagnostic::error(
                Code::PseudonymKey,
                format!(
                    "no pseudonym key: pass --key-file FILE or set {}; an inventory is personal data",
                    inventory::KEY_ENV
                ),
            )
            .help("or run with --no-pseudonym to write no per-device identifiers at all"),
        )),
    }
}

fn sources(args: &ReconcileArgs) -> Result<Vec<Source>> {
    let mapping = if args.csv.is_empty() && args.json.is_empty() {
        if !args.map.is_empty() {
            return Err(Error::Usage(
                "--map applies to --csv and --json sources; none was given".into(),
            ));
        }
        None
    } else {
        Some(Mapping::parse(&args.map)?)
    };
    let mut out = Vec::new();
    for (format, paths) in [
        (SourceFormat::Graph, &args.intune),
        (SourceFormat::Android, &args.android),
        (SourceFormat::Jamf, &args.jamf),
        (SourceFormat::VinCsv, &args.vehicles),
        (SourceFormat::Csv, &args.csv),
        (SourceFormat::Json, &args.json),
    ] {
        for p in paths {
            if !p.exists() {
                return Err(Error::io(
                    p,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
                ));
            }
            out.push(Source {
                format,
                path: p.clone(),
                mapping: matches!(format, SourceFormat::Csv | SourceFormat::Json)
                    .then(|| mapping.clone())
                    .flatten(),
                within: None,
            });
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(
            "no inventory given: pass --intune, --android, --jamf, --vehicles, --csv or --json"
                .into(),
        ));
    }
    Ok(out)
}

fn reconcile(args: ReconcileArgs) -> Result<ExitStatus> {
    let sources = sources(&args)?;
    let pseudo = pseudonymizer(&args)?;
    let fleet = args.fleet.discover()?;
    let catalog_path = args
        .catalog
        .clone()
        .unwrap_or_else(|| layout::catalog(&fleet.root));
    if !catalog_path.is_file() {
        return Err(Error::invalid(
            Diagnostic::error(Code::NoCatalog, "no catalog to match inventories against")
                .in_file(&catalog_path)
                .help("write catalog.yaml beside vendors.yaml (`strata schema catalog`)"),
        ));
    }
    let catalog: Loaded<Catalog> = model::load(&catalog_path, FileKind::Catalog)?;
    let approved_path = layout::approved_devices(&fleet.root);
    let approved: BTreeSet<String> = if approved_path.is_file() {
        let list: Loaded<ApprovedDevices> = model::load(&approved_path, FileKind::ApprovedDevices)?;
        list.value.devices.into_iter().map(|d| d.id).collect()
    } else {
        BTreeSet::new()
    };
    let designations_path = layout::designations(&fleet.root);
    let designations: Option<Loaded<Designations>> = if designations_path.is_file() {
        Some(model::load(&designations_path, FileKind::Designations)?)
    } else {
        None
    };
    let matcher = Matcher::new(&fleet, &catalog)?;
    let options = Options {
        now: args.now.time(),
        stale_days: args.stale_days,
    };
    let run = |records: Option<inventory::RecordSink<'_>>| {
        inventory::reconcile(
            &matcher,
            &catalog_path,
            &approved,
            designations.as_ref().map(|d| &d.value),
            &pseudo,
            &sources,
            options,
            records,
        )
    };
    let report = match &args.records {
        Some(path) => {
            let mut result = None;
            fsutil::write_atomic_with(path, |w| {
                let mut csv = inventory::RecordWriter::new(w);
                let r = run(Some(&mut |row: &RecordRow<'_>| csv.write(row)))?;
                csv.finish()?;
                result = Some(r);
                Ok(())
            })?;
            result.ok_or_else(|| Error::internal("records", "no report"))?
        }
        None => run(None)?,
    };
    let text = match args.format {
        Format::Json => strata::diag::to_json_pretty(&report)? + "\n",
        Format::Csv => inventory::csv(&report)?,
        Format::Md => inventory::markdown(&report),
        Format::Html => inventory::html(&report),
        _ => inventory::text(&report),
    };
    match &args.output {
        Some(p) => fsutil::write_atomic(p, text.as_bytes())?,
        None => output::stdout(text.as_bytes()).map_err(|e| Error::io(Path::new("<stdout>"), e))?,
    }
    Ok(ExitStatus::Success)
}
