//! Streaming readers of JSON inventory pages: Graph `managedDevice`
//! (`value`), Android Management API (`devices`), Jamf Pro
//! `computers-inventory` (`results`) and generic JSON through a mapping.
//!
//! A page is read with serde_json's streaming deserializer: the array of
//! records is visited one element at a time and each element is dropped
//! once converted, so memory holds one record, not the page (a file larger
//! than [`SLURP_LIMIT`] is read through a buffered reader instead of into
//! memory). Every other member of the page is skipped unparsed, and so is
//! every member of a record that the format's reader does not use
//! ([`used_members`]): a Graph record carries some forty members, among
//! them the names, e-mail addresses and hardware identifiers strata must
//! not keep, and building them all as values was most of the reading time.

use std::fmt;
use std::io::BufReader;
use std::path::Path;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::mapping::{Field, Mapping};
use super::{FileOutcome, Location, Ownership, Record, SourceFormat};
use crate::clock::{Date, Time};
use crate::diag::{Code, Diagnostic, Error, Position, Result};
use crate::yaml::escape_token;

/// Files up to this size are read into memory and parsed from the slice
/// (faster); larger ones are streamed from a buffered reader.
pub const SLURP_LIMIT: u64 = 64 * 1024 * 1024;

/// The top-level members of a record the format's reader looks at (the
/// first token of every pointer [`graph`], [`android`] and [`jamf`] read);
/// `None` (a generic mapping) keeps them all.
fn used_members(format: SourceFormat) -> Option<&'static [&'static str]> {
    match format {
        SourceFormat::Graph => Some(&[
            "androidSecurityPatchLevel",
            "id",
            "lastSyncDateTime",
            "managedDeviceOwnerType",
            "managementAgent",
            "manufacturer",
            "model",
            "operatingSystem",
            "osVersion",
            "userId",
        ]),
        SourceFormat::Android => Some(&[
            "hardwareInfo",
            "lastPolicySyncTime",
            "lastStatusReportTime",
            "managementMode",
            "name",
            "ownership",
            "softwareInfo",
            "state",
            "userName",
        ]),
        SourceFormat::Jamf => Some(&[
            "general",
            "hardware",
            "id",
            "operatingSystem",
            "userAndLocation",
        ]),
        _ => None,
    }
}

/// The member holding the records and what a page of the format is called.
fn array_key(format: SourceFormat, mapping: Option<&Mapping>) -> (&str, &'static str) {
    match format {
        SourceFormat::Graph => ("value", "Microsoft Graph managedDevice page"),
        SourceFormat::Android => ("devices", "Android Management API device list"),
        SourceFormat::Jamf => ("results", "Jamf Pro computers-inventory page"),
        _ => (
            mapping.and_then(|m| m.records.as_deref()).unwrap_or(""),
            "JSON inventory",
        ),
    }
}

pub(super) fn read(
    format: SourceFormat,
    path: &Path,
    file: std::fs::File,
    mapping: Option<&Mapping>,
    sink: &mut dyn FnMut(Location, Record),
) -> Result<FileOutcome> {
    let (key, what) = array_key(format, mapping);
    let mut outcome = FileOutcome::default();
    let found = {
        let mut on_item = |i: usize, v: Value| {
            outcome.records += 1;
            let mut warning = None;
            let result = convert(format, mapping, &v, &mut warning);
            let (problem, error) = match result {
                Ok(r) => {
                    sink(Location::Index(i), r);
                    (warning, false)
                }
                Err(fe) => (Some(fe), true),
            };
            if let Some(fe) = problem {
                let ptr = format!("{}/{i}{}", item_prefix(key), fe.pointer);
                let d = if error {
                    Diagnostic::error(fe.code, fe.message)
                } else {
                    Diagnostic::warning(fe.code, fe.message)
                };
                outcome.note(d.in_file(path).pointer(ptr).help(fe.help));
            }
        };
        let seed = Page {
            key,
            keep: used_members(format),
            on_item: &mut on_item,
        };
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let parsed = if size <= SLURP_LIMIT {
            let bytes = crate::fsutil::read_to_limit(file, path, SLURP_LIMIT, size)?;
            let mut de = serde_json::Deserializer::from_slice(&bytes);
            seed.deserialize(&mut de).and_then(|f| de.end().map(|()| f))
        } else {
            let mut de =
                serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, file));
            seed.deserialize(&mut de).and_then(|f| de.end().map(|()| f))
        };
        parsed.map_err(|e| syntax(path, &e, what))?
    };
    if !found {
        let expected = if key.is_empty() {
            "a JSON array of records".to_string()
        } else {
            format!("an object with a `{key}` array")
        };
        return Err(Error::invalid(
            Diagnostic::error(
                Code::InventoryExport,
                format!("this is not a {what}: expected {expected}"),
            )
            .in_file(path)
            .pointer("")
            .help(format!(
                "check that the file is a {what}, or read it as another format"
            )),
        ));
    }
    outcome.close(path, Code::InventoryField, ("record", "records"));
    Ok(outcome)
}

fn item_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("/{}", escape_token(key))
    }
}

fn syntax(path: &Path, e: &serde_json::Error, what: &str) -> Error {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_string();
    let position = (e.line() > 0).then_some(Position {
        line: e.line(),
        column: e.column(),
    });
    Error::invalid(
        Diagnostic::error(
            Code::InventoryExport,
            format!("cannot read the {what}: {message}"),
        )
        .in_file(path)
        .at(position)
        .help("the file must be one complete JSON page as the export writes it"),
    )
}

/// A page: an object whose member `key` is the array of records (or, with
/// an empty key, the array itself). Returns whether the array was found.
struct Page<'a> {
    key: &'a str,
    keep: Option<&'static [&'static str]>,
    on_item: &'a mut dyn FnMut(usize, Value),
}

impl<'de> DeserializeSeed<'de> for Page<'_> {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Page<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str("an array of records")
        } else {
            write!(f, "an object with a `{}` array", self.key)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<bool, A::Error> {
        let mut found = false;
        while let Some(k) = map.next_key::<String>()? {
            if !self.key.is_empty() && k == self.key && !found {
                found = map.next_value_seed(Items {
                    keep: self.keep,
                    on_item: &mut *self.on_item,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<bool, A::Error> {
        if !self.key.is_empty() {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &self,
            ));
        }
        Items {
            keep: self.keep,
            on_item: self.on_item,
        }
        .visit_seq(seq)
    }
}

/// The array of records; `null` counts as found and empty.
struct Items<'a> {
    keep: Option<&'static [&'static str]>,
    on_item: &'a mut dyn FnMut(usize, Value),
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<bool, E> {
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<bool, A::Error> {
        let mut i = 0usize;
        while let Some(v) = seq.next_element_seed(Kept(self.keep))? {
            (self.on_item)(i, v);
            i += 1;
        }
        Ok(true)
    }
}

/// One record with only the members in the list (all with `None`). A
/// record that is not an object reads as a value of its type (its members
/// or items dropped), for the error that names the type.
struct Kept(Option<&'static [&'static str]>);

impl<'de> DeserializeSeed<'de> for Kept {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        match self.0 {
            None => serde::Deserialize::deserialize(d),
            Some(_) => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Kept {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let keep = self.0.unwrap_or_default();
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key_seed(Member(keep))? {
            match k {
                // The last of duplicate members wins, as for a whole value.
                Some(name) => {
                    out.insert(name.to_string(), map.next_value()?);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array(Vec::new()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A record's member name: the listed name it equals, or `None` (read
/// without allocating).
struct Member(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Member {
    type Value = Option<&'static str>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Member {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|k| *k == v))
    }
}

/// A problem with one field of one record, relative to the record.
pub(super) struct FieldError {
    pub code: Code,
    pub pointer: String,
    pub message: String,
    pub help: String,
}

type Conv<T> = std::result::Result<T, FieldError>;

fn field_error(pointer: &str, message: String, help: &str) -> FieldError {
    FieldError {
        code: Code::InventoryField,
        pointer: pointer.to_string(),
        message,
        help: help.to_string(),
    }
}

/// The string at `pointer`: absent, `null` and `""` are none; any other
/// type is an error.
fn text<'v>(v: &'v Value, pointer: &str) -> Conv<Option<&'v str>> {
    match v.pointer(pointer) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim())),
        Some(other) => Err(field_error(
            pointer,
            format!("expected a string, found {}", type_name(other)),
            "the format writes this field as a string",
        )),
    }
}

fn owned(v: &Value, pointer: &str) -> Conv<Option<String>> {
    text(v, pointer).map(|o| o.map(str::to_string))
}

/// An identity: a string, or a number written as one.
fn identity(v: &Value, pointer: &str) -> Conv<Option<String>> {
    match v.pointer(pointer) {
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => owned(v, pointer),
    }
}

fn boolean(v: &Value, pointer: &str) -> Conv<Option<bool>> {
    match v.pointer(pointer) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(other) => Err(field_error(
            pointer,
            format!("expected true or false, found {}", type_name(other)),
            "the format writes this field as a boolean",
        )),
    }
}

fn time(v: &Value, pointer: &str) -> Conv<Option<Time>> {
    let Some(s) = text(v, pointer)? else {
        return Ok(None);
    };
    Time::parse(s).map(Some).map_err(|e| FieldError {
        code: Code::InvalidDate,
        pointer: pointer.to_string(),
        message: e.to_string(),
        help: e.help().to_string(),
    })
}

fn date(v: &Value, pointer: &str) -> Conv<Option<Date>> {
    let Some(s) = text(v, pointer)? else {
        return Ok(None);
    };
    Date::parse(s).map(Some).map_err(|e| FieldError {
        code: Code::InvalidDate,
        pointer: pointer.to_string(),
        message: e.to_string(),
        help: e.help().to_string(),
    })
}

use crate::validate::json_type as type_name;

/// `s` as one of `vocabulary` (compared ignoring ASCII case), or an error
/// listing them.
fn one_of<T: Copy>(s: Option<&str>, pointer: &str, vocabulary: &[(&str, T)], absent: T) -> Conv<T> {
    let Some(s) = s else {
        return Ok(absent);
    };
    vocabulary
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(s))
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<&str> = vocabulary.iter().map(|(n, _)| *n).collect();
            field_error(
                pointer,
                format!("`{}` is not one of {}", clip(s), names.join(", ")),
                "strata reads only the values the format documents",
            )
        })
}

/// A reported value shortened for a message (values in errors are
/// vocabulary fields, never identities).
fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// A management label as reported: letters, digits and `-`/`_` only.
fn label(s: Option<&str>, pointer: &str) -> Conv<Option<String>> {
    let Some(s) = s else {
        return Ok(None);
    };
    if s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(Some(s.to_string()))
    } else {
        Err(field_error(
            pointer,
            "expected a management agent name (letters and digits)".into(),
            "the format writes an enumeration value here",
        ))
    }
}

fn convert(
    format: SourceFormat,
    mapping: Option<&Mapping>,
    v: &Value,
    warning: &mut Option<FieldError>,
) -> Conv<Record> {
    if !v.is_object() {
        return Err(field_error(
            "",
            format!("expected a record (an object), found {}", type_name(v)),
            "every element of the array is one device",
        ));
    }
    match format {
        SourceFormat::Graph => graph(v),
        SourceFormat::Android => android(v),
        SourceFormat::Jamf => jamf(v),
        _ => match mapping {
            Some(m) => generic(m, v, warning),
            None => Err(field_error(
                "",
                "no column mapping for a generic JSON inventory".into(),
                "pass --map FIELD=POINTER",
            )),
        },
    }
}

const GRAPH_OWNERSHIP: &[(&str, Ownership)] = &[
    ("company", Ownership::Company),
    ("personal", Ownership::Personal),
    ("unknown", Ownership::Unknown),
];

fn graph(v: &Value) -> Conv<Record> {
    Ok(Record {
        id: owned(v, "/id")?,
        user: owned(v, "/userId")?,
        manufacturer: owned(v, "/manufacturer")?,
        brand: None,
        model: owned(v, "/model")?,
        os: owned(v, "/operatingSystem")?,
        os_version: owned(v, "/osVersion")?,
        patch_level: date(v, "/androidSecurityPatchLevel")?,
        ownership: Some(one_of(
            text(v, "/managedDeviceOwnerType")?,
            "/managedDeviceOwnerType",
            GRAPH_OWNERSHIP,
            Ownership::Unknown,
        )?),
        mode: label(text(v, "/managementAgent")?, "/managementAgent")?,
        last_seen: time(v, "/lastSyncDateTime")?,
        retired: false,
        wmi: None,
    })
}

#[derive(Clone, Copy)]
enum AndroidMode {
    Full,
    Profile,
    Unspecified,
}

fn android(v: &Value) -> Conv<Record> {
    let ownership = one_of(
        text(v, "/ownership")?,
        "/ownership",
        &[
            ("COMPANY_OWNED", Ownership::Company),
            ("PERSONALLY_OWNED", Ownership::Personal),
            ("OWNERSHIP_UNSPECIFIED", Ownership::Unknown),
        ],
        Ownership::Unknown,
    )?;
    let mode = match one_of(
        text(v, "/managementMode")?,
        "/managementMode",
        &[
            ("DEVICE_OWNER", AndroidMode::Full),
            ("PROFILE_OWNER", AndroidMode::Profile),
            ("MANAGEMENT_MODE_UNSPECIFIED", AndroidMode::Unspecified),
        ],
        AndroidMode::Unspecified,
    )? {
        AndroidMode::Full => Some("fully-managed".to_string()),
        AndroidMode::Profile => Some("work-profile".to_string()),
        AndroidMode::Unspecified => None,
    };
    let state = text(v, "/state")?;
    let retired = state.is_some_and(|s| s.eq_ignore_ascii_case("DELETED"));
    let last_seen = match time(v, "/lastStatusReportTime")? {
        Some(t) => Some(t),
        None => time(v, "/lastPolicySyncTime")?,
    };
    Ok(Record {
        id: owned(v, "/name")?,
        user: owned(v, "/userName")?,
        manufacturer: owned(v, "/hardwareInfo/manufacturer")?,
        brand: owned(v, "/hardwareInfo/brand")?,
        model: owned(v, "/hardwareInfo/model")?,
        os: Some("Android".to_string()),
        os_version: owned(v, "/softwareInfo/androidVersion")?,
        patch_level: date(v, "/softwareInfo/securityPatchLevel")?,
        ownership: Some(ownership),
        mode,
        last_seen,
        retired,
        wmi: None,
    })
}

fn jamf(v: &Value) -> Conv<Record> {
    let managed = boolean(v, "/general/remoteManagement/managed")?;
    let supervised = boolean(v, "/general/supervised")?;
    let mode = managed.map(|m| match (m, supervised) {
        (true, Some(true)) => "managed-supervised".to_string(),
        (true, _) => "managed".to_string(),
        (false, _) => "unmanaged".to_string(),
    });
    // Jamf has no ownership field; enrolment through Automated Device
    // Enrollment means the organisation bought the Mac.
    let ownership = match boolean(v, "/general/enrolledViaAutomatedDeviceEnrollment")? {
        Some(true) => Ownership::Company,
        _ => Ownership::Unknown,
    };
    let model = match text(v, "/hardware/modelIdentifier")? {
        Some(m) => Some(m.to_string()),
        None => owned(v, "/hardware/model")?,
    };
    Ok(Record {
        id: identity(v, "/id")?,
        user: owned(v, "/userAndLocation/username")?,
        manufacturer: owned(v, "/hardware/make")?,
        brand: None,
        model,
        os: owned(v, "/operatingSystem/name")?,
        os_version: owned(v, "/operatingSystem/version")?,
        patch_level: None,
        ownership: Some(ownership),
        mode,
        last_seen: time(v, "/general/lastContactTime")?,
        retired: false,
        wmi: None,
    })
}

fn generic(m: &Mapping, v: &Value, warning: &mut Option<FieldError>) -> Conv<Record> {
    // A column is a JSON pointer into the record, or a top-level key.
    let pointer = |f: Field| match m.get(f) {
        Some(p) if p.starts_with('/') => p.to_string(),
        Some(p) => format!("/{}", escape_token(p)),
        None => String::new(),
    };
    let get = |f: Field| -> Conv<Option<String>> {
        match m.get(f) {
            Some(_) => identity(v, &pointer(f)),
            None => Ok(None),
        }
    };
    let ownership = match get(Field::Ownership)? {
        Some(s) => Some(
            super::mapping::ownership(&s)
                .map_err(|msg| field_error(&pointer(Field::Ownership), msg, OWNERSHIP_HELP))?,
        ),
        None => None,
    };
    let last_seen = match get(Field::LastSeen)? {
        Some(s) => Some(Time::parse_date_or_time(&s).map_err(|e| FieldError {
            code: Code::InvalidDate,
            pointer: pointer(Field::LastSeen),
            message: e.to_string(),
            help: e.help().to_string(),
        })?),
        None => None,
    };
    let mut r = Record {
        id: get(Field::Id)?,
        user: get(Field::User)?,
        manufacturer: get(Field::Manufacturer)?,
        brand: None,
        model: get(Field::Model)?,
        os: get(Field::Os)?,
        os_version: get(Field::OsVersion)?,
        patch_level: None,
        ownership,
        mode: get(Field::Mode)?,
        last_seen,
        retired: false,
        wmi: None,
    };
    if let Some(vin) = get(Field::Vin)? {
        let at = pointer(Field::Vin);
        let check = super::vin::attach(&mut r, &vin).map_err(|msg| FieldError {
            code: Code::VinInvalid,
            pointer: at.clone(),
            message: msg,
            help: super::vin::HELP.to_string(),
        })?;
        if let Some(msg) = check {
            *warning = Some(FieldError {
                code: Code::VinCheckDigit,
                pointer: at,
                message: msg,
                help: super::vin::CHECK_HELP.to_string(),
            });
        }
    }
    Ok(r)
}

pub(super) const OWNERSHIP_HELP: &str =
    "ownership values are company, corporate, leased, personal, private, byod or unknown";

#[cfg(test)]
mod tests;
