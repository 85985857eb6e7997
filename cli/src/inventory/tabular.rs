//! Streaming CSV readers: vehicle lists keyed by VIN, and any CSV through a
//! column mapping. The delimiter (`,`, `;` or tab) is taken from the header
//! line, a UTF-8 byte order mark is skipped, and rows are read one at a
//! time. Errors name the file and line.

use std::io::{BufRead, BufReader};
use std::path::Path;

use super::mapping::{Field, Mapping};
use super::{FileOutcome, Location, Record, SourceFormat};
use crate::clock::Time;
use crate::diag::{Code, Diagnostic, Error, Position, Result};

/// Header names a vehicle list uses for each field (compared lower-case,
/// letters and digits only). Registration, driver and cost centre columns
/// are never read.
const VIN_HEADERS: &[(Field, &[&str])] = &[
    (
        Field::Vin,
        &[
            "vin",
            "vehicleidentificationnumber",
            "chassisnumber",
            "chassisno",
        ],
    ),
    (
        Field::Manufacturer,
        &["make", "manufacturer", "brand", "marque"],
    ),
    (Field::Model, &["model", "modelname"]),
    (
        Field::Ownership,
        &["ownership", "ownershiptype", "ownedby", "financing"],
    ),
    (
        Field::LastSeen,
        &[
            "lastseen",
            "lastcontact",
            "lastupdate",
            "lasttelematics",
            "lastreport",
        ],
    ),
    (Field::Os, &["os", "software", "softwareplatform"]),
    (
        Field::OsVersion,
        &["osversion", "softwareversion", "firmwareversion"],
    ),
];

fn key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn csv_error(path: &Path, line: u64, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(Code::InventoryCsv, message)
        .in_file(path)
        .at(Some(Position {
            line: usize::try_from(line).unwrap_or(usize::MAX),
            column: 1,
        }))
        .help(help)
}

pub(super) fn read(
    format: SourceFormat,
    path: &Path,
    file: std::fs::File,
    mapping: Option<&Mapping>,
    sink: &mut dyn FnMut(Location, Record),
) -> Result<FileOutcome> {
    let mut buf = BufReader::with_capacity(1 << 16, file);
    let head = buf.fill_buf().map_err(|e| Error::io(path, e))?;
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(buf);
    let headers = rdr
        .headers()
        .map_err(|e| {
            Error::invalid(csv_error(
                path,
                1,
                format!("cannot read the header line: {e}"),
                "the first line names the columns",
            ))
        })?
        .clone();
    let columns = columns(format, path, mapping, &headers)?;
    let mut outcome = FileOutcome::default();
    let mut row = csv::StringRecord::new();
    loop {
        let line_hint = rdr.position().line() + 1;
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                outcome.records += 1;
                let line = row.position().map_or(line_hint, csv::Position::line);
                let get = |f: Field| -> Option<&str> {
                    columns
                        .iter()
                        .find(|(cf, _)| *cf == f)
                        .and_then(|(_, i)| row.get(*i))
                        .filter(|s| !s.is_empty())
                };
                match convert(&get, format == SourceFormat::VinCsv) {
                    Ok((r, warning)) => {
                        if let Some(w) = warning {
                            outcome.note(w.in_file(path).at(at(line)));
                        }
                        sink(Location::Line(line), r);
                    }
                    Err(d) => outcome.note(d.in_file(path).at(at(line))),
                }
            }
            Err(e) => {
                outcome.records += 1;
                let line = e.position().map_or(line_hint, csv::Position::line);
                let (msg, help) = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => (
                        "the row is not UTF-8".to_string(),
                        "export the file as UTF-8",
                    ),
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => (
                        format!("the row has {len} fields, the header {expected_len}"),
                        "quote fields that contain the delimiter",
                    ),
                    csv::ErrorKind::Io(io) => {
                        return Err(Error::io(
                            path,
                            std::io::Error::new(io.kind(), io.to_string()),
                        ));
                    }
                    _ => (e.to_string(), "the file must be CSV with a header line"),
                };
                outcome.note(csv_error(path, line, msg, help));
            }
        }
    }
    outcome.close(path, Code::InventoryCsv, ("row", "rows"));
    Ok(outcome)
}

fn at(line: u64) -> Option<Position> {
    Some(Position {
        line: usize::try_from(line).unwrap_or(usize::MAX),
        column: 1,
    })
}

/// The column index of each field read.
fn columns(
    format: SourceFormat,
    path: &Path,
    mapping: Option<&Mapping>,
    headers: &csv::StringRecord,
) -> Result<Vec<(Field, usize)>> {
    let keys: Vec<String> = headers.iter().map(key).collect();
    let mut out = Vec::new();
    match (format, mapping) {
        (SourceFormat::Csv, Some(m)) => {
            let mut diags = Vec::new();
            for (field, column) in m.iter() {
                match keys.iter().position(|k| *k == key(column)) {
                    Some(i) => out.push((field, i)),
                    None => diags.push(csv_error(
                        path,
                        1,
                        format!("the mapping names column `{column}`, which the header does not have"),
                        "the header names must match the mapping (case and punctuation are ignored)",
                    )),
                }
            }
            if !diags.is_empty() {
                return Err(Error::Invalid(diags));
            }
        }
        (SourceFormat::Csv, None) => {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::InventoryMapping,
                    "a generic CSV inventory needs a column mapping",
                )
                .in_file(path)
                .help("pass --map FIELD=COLUMN, e.g. --map manufacturer=Make --map model=Model"),
            ));
        }
        _ => {
            for (field, names) in VIN_HEADERS {
                if let Some(i) = keys.iter().position(|k| names.contains(&k.as_str())) {
                    out.push((*field, i));
                }
            }
            if !out.iter().any(|(f, _)| *f == Field::Vin) {
                return Err(Error::invalid(csv_error(
                    path,
                    1,
                    "the vehicle list has no VIN column".into(),
                    "a vehicle list is keyed by VIN: name the column `VIN`, or read the file with --csv and --map",
                )));
            }
        }
    }
    Ok(out)
}

/// A record from a row, and a warning (a VIN check digit that fails).
fn convert<'r>(
    get: &dyn Fn(Field) -> Option<&'r str>,
    vin_required: bool,
) -> std::result::Result<(Record, Option<Diagnostic>), Box<Diagnostic>> {
    let s = |f: Field| get(f).map(str::to_string);
    let ownership = match get(Field::Ownership) {
        Some(o) => Some(super::mapping::ownership(o).map_err(|m| {
            Box::new(Diagnostic::error(Code::InventoryField, m).help(super::json::OWNERSHIP_HELP))
        })?),
        None => None,
    };
    let last_seen = match get(Field::LastSeen) {
        Some(t) => Some(Time::parse_date_or_time(t).map_err(|e| {
            Box::new(Diagnostic::error(Code::InvalidDate, e.to_string()).help(e.help()))
        })?),
        None => None,
    };
    let mut r = Record {
        id: s(Field::Id),
        user: s(Field::User),
        manufacturer: s(Field::Manufacturer),
        model: s(Field::Model),
        os: s(Field::Os),
        os_version: s(Field::OsVersion),
        ownership,
        mode: s(Field::Mode),
        last_seen,
        ..Record::default()
    };
    let mut warning = None;
    match get(Field::Vin) {
        Some(vin) => {
            if let Some(w) = super::vin::attach(&mut r, vin).map_err(|m| {
                Box::new(Diagnostic::error(Code::VinInvalid, m).help(super::vin::HELP))
            })? {
                warning =
                    Some(Diagnostic::warning(Code::VinCheckDigit, w).help(super::vin::CHECK_HELP));
            }
        }
        None if vin_required => {
            return Err(Box::new(
                Diagnostic::error(Code::InventoryField, "the row has no VIN")
                    .help("every vehicle in a vehicle list needs its VIN"),
            ));
        }
        None => {}
    }
    Ok((r, warning))
}

#[cfg(test)]
mod tests;
