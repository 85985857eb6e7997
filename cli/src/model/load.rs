//! Loading a strata file: guarded YAML → JSON Schema (every error, with
//! positions) → typed value.
//!
//! Dates and times in the schemas carry `"format": "date"` or
//! `"format": "date-time"`, checked by strata's one parser
//! ([`crate::clock`]): an impossible date (`2026-02-30`) is
//! `error[invalid-date]` with its file, line and column, never a value read
//! as "no date".

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;
use crate::yaml::{self, Spans};

/// The strata file kinds, each with a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `stacks/<device>.yaml`.
    Stack,
    /// `vendors.yaml`.
    Vendors,
    /// `designations.yaml`.
    Designations,
    /// `policy.yaml`.
    Policy,
    /// `approved-devices.yaml`.
    ApprovedDevices,
    /// `attestations/reviews.yaml`.
    Reviews,
    /// A memo answers file.
    Answers,
    /// `catalog.yaml`: what devices report, mapped to stacks and vendors.
    Catalog,
    /// `calendar.yaml`: the regulatory dates and adequacy decisions memos cite.
    Calendar,
}

/// Names accepted by `strata schema NAME`, in display order.
pub const SCHEMA_NAMES: [&str; 9] = [
    "stack",
    "vendors",
    "designations",
    "policy",
    "approved-devices",
    "reviews",
    "answers",
    "catalog",
    "calendar",
];

impl FileKind {
    /// Every kind of strata file.
    pub const ALL: [FileKind; 9] = [
        FileKind::Stack,
        FileKind::Vendors,
        FileKind::Designations,
        FileKind::Policy,
        FileKind::ApprovedDevices,
        FileKind::Reviews,
        FileKind::Answers,
        FileKind::Catalog,
        FileKind::Calendar,
    ];

    /// The schema name.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Stack => "stack",
            FileKind::Vendors => "vendors",
            FileKind::Designations => "designations",
            FileKind::Policy => "policy",
            FileKind::ApprovedDevices => "approved-devices",
            FileKind::Reviews => "reviews",
            FileKind::Answers => "answers",
            FileKind::Catalog => "catalog",
            FileKind::Calendar => "calendar",
        }
    }

    /// Look a kind up by schema name.
    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn source(self) -> &'static str {
        match self {
            FileKind::Stack => include_str!("../../../schemas/stack.schema.json"),
            FileKind::Vendors => include_str!("../../../schemas/vendors.schema.json"),
            FileKind::Designations => include_str!("../../../schemas/designations.schema.json"),
            FileKind::Policy => include_str!("../../../schemas/policy.schema.json"),
            FileKind::ApprovedDevices => {
                include_str!("../../../schemas/approved-devices.schema.json")
            }
            FileKind::Reviews => include_str!("../../../schemas/reviews.schema.json"),
            FileKind::Answers => include_str!("../../../schemas/answers.schema.json"),
            FileKind::Catalog => include_str!("../../../schemas/catalog.schema.json"),
            FileKind::Calendar => include_str!("../../../schemas/calendar.schema.json"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The JSON Schema text of a file kind, by name (`stack`, `vendors`, …).
pub fn schema_source(name: &str) -> Option<&'static str> {
    FileKind::from_name(name).map(FileKind::source)
}

struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

fn compiled(kind: FileKind) -> &'static Compiled {
    static CELLS: [OnceLock<Compiled>; FileKind::ALL.len()] =
        [const { OnceLock::new() }; FileKind::ALL.len()];
    CELLS[kind.index()].get_or_init(|| {
        // The schemas are part of the binary and covered by tests; failing
        // here is a build defect, not bad input.
        #[allow(clippy::expect_used)]
        let schema: Value = serde_json::from_str(kind.source()).expect("embedded schema is JSON");
        #[allow(clippy::expect_used)]
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_format("date", crate::clock::is_date)
            .with_format("date-time", crate::clock::is_time)
            .build(&schema)
            .expect("embedded schema compiles");
        Compiled { schema, validator }
    })
}

/// The JSON Schema of `kind`, parsed (key order as written).
pub fn schema_value(kind: FileKind) -> &'static Value {
    &compiled(kind).schema
}

/// A loaded, validated file.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The typed value.
    pub value: T,
    /// The raw JSON value, for pointers.
    pub raw: Value,
    /// Source positions.
    pub spans: Spans,
    /// The file it came from.
    pub path: PathBuf,
}

impl<T> Loaded<T> {
    /// A diagnostic located at `pointer` in this file.
    pub fn diag_at(&self, mut diag: Diagnostic, pointer: &str) -> Diagnostic {
        diag.file = Some(self.path.clone());
        diag.position = self.spans.nearest(pointer);
        diag.pointer = Some(pointer.to_string());
        diag
    }
}

/// The fleet's restricted and designation lists (`designations.yaml` in
/// `root`), or `None` when the fleet has none.
pub fn load_designations_of(root: &Path) -> Result<Option<Loaded<super::Designations>>> {
    let path = crate::layout::designations(root);
    if path.is_file() {
        load(&path, FileKind::Designations).map(Some)
    } else {
        Ok(None)
    }
}

/// The fleet's regulatory calendar (`calendar.yaml` in `root`), when it has
/// one.
///
/// Read through the guarded open within the fleet: a `calendar.yaml` that is
/// a symbolic link out of the fleet, a FIFO or a device is an error, never
/// read as "no calendar".
pub fn load_calendar_of(root: &Path) -> Result<Option<Loaded<super::Calendar>>> {
    let path = crate::layout::calendar(root);
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    let text = fsutil::read_text_in(&path, fsutil::Scope::Within(root))?;
    parse_str(&text, &path, FileKind::Calendar).map(Some)
}

/// Read, validate and deserialise the file at `path` as `kind`.
pub fn load<T: DeserializeOwned>(path: &Path, kind: FileKind) -> Result<Loaded<T>> {
    let text = fsutil::read_text(path)?;
    parse_str(&text, path, kind)
}

/// Validate and deserialise YAML `text` as `kind`; `path` names it in
/// diagnostics.
pub fn parse_str<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    kind: FileKind,
) -> Result<Loaded<T>> {
    let (raw, spans, diags) = check_str(text, path, kind)?;
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    // From a reference: the same visits as from an owned copy, without
    // copying the whole tree first. The path of the value that did not fit
    // (a number too large, a fraction where a count belongs) is tracked, so
    // the error points at its line and column.
    let value: T = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let pointer = json_pointer(e.path());
        let inner = e.into_inner().to_string();
        let message = match raw.pointer(&pointer) {
            Some(Value::Number(n)) if n.is_f64() => {
                format!("`{n}` does not fit: {inner}")
            }
            _ => inner,
        };
        Error::invalid(
            Diagnostic::error(Code::InvalidValue, message)
                .in_file(path)
                .at(spans.nearest(&pointer))
                .pointer(pointer)
                .help(format!(
                    "see `strata schema {}` for the format",
                    kind.name()
                )),
        )
    })?;
    Ok(Loaded {
        value,
        raw,
        spans,
        path: path.to_path_buf(),
    })
}

/// Refuse a file that lists more entries for strata to judge than
/// [`fsutil::MAX_ENTRIES`]: the evidence entries of a stack (all layers
/// together: each is hashed, parsed and becomes BOM components) and the
/// devices of an approved-device list. Checked before the schema, so a
/// hostile file costs no validation or assembly.
fn judged_entries(raw: &Value, spans: &Spans, path: &Path, kind: FileKind) -> Result<()> {
    let lists: Vec<(String, usize)> = match kind {
        FileKind::Stack => raw
            .get("layers")
            .and_then(Value::as_object)
            .map(|layers| {
                layers
                    .iter()
                    .filter_map(|(name, layer)| {
                        let n = layer.get("evidence")?.as_array()?.len();
                        Some((format!("/layers/{}/evidence", yaml::escape_token(name)), n))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        FileKind::ApprovedDevices => raw
            .get("devices")
            .and_then(Value::as_array)
            .map(|d| vec![("/devices".to_string(), d.len())])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let (what, help) = match kind {
        FileKind::Stack => (
            "evidence entries",
            "declare many files as one `kind: directory` entry",
        ),
        _ => ("devices", "split the fleet into several fleets"),
    };
    let mut total = 0usize;
    for (pointer, n) in lists {
        total += n;
        if total > fsutil::MAX_ENTRIES {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::TooManyEntries,
                    format!(
                        "this {} file lists more than {} {what}; strata judges at most {} in one file",
                        kind.name(),
                        fsutil::MAX_ENTRIES,
                        fsutil::MAX_ENTRIES
                    ),
                )
                .in_file(path)
                .at(spans.value(&pointer))
                .pointer(pointer)
                .help(help),
            ));
        }
    }
    Ok(())
}

/// The JSON pointer of a path serde tracked while deserialising.
pub fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&yaml::escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Parse YAML `text` and check it against the schema of `kind`: the value,
/// its source positions and every schema finding, sorted by position (none
/// when the file is valid). Unreadable YAML, an empty file and a version
/// newer than strata's are errors.
pub fn check_str(
    text: &str,
    path: &Path,
    kind: FileKind,
) -> Result<(Value, Spans, Vec<Diagnostic>)> {
    let (raw, spans) = yaml::parse(text, path)?;
    if raw.is_null() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::EmptyFile,
                format!("the file is empty; expected a {} file", kind.name()),
            )
            .in_file(path)
            .help(format!(
                "see `strata schema {}` for the format",
                kind.name()
            )),
        ));
    }
    if let Some(v) = raw.get("version").and_then(Value::as_u64)
        && v > 1
    {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::UnsupportedVersion,
                format!(
                    "{} file version {v} is newer than this strata understands (1)",
                    kind.name()
                ),
            )
            .in_file(path)
            .at(spans.value("/version"))
            .help("upgrade strata"),
        ));
    }
    judged_entries(&raw, &spans, path, kind)?;
    let c = compiled(kind);
    let mut diags: Vec<Diagnostic> = Vec::new();
    for err in c.validator.iter_errors(&raw) {
        let pointer = err.instance_path().as_str().to_string();
        diags.extend(describe(
            &err, &pointer, &c.schema, &raw, &spans, path, kind,
        ));
    }
    diags.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.message.cmp(&b.message))
    });
    diags.dedup();
    Ok((raw, spans, diags))
}

/// The `format` of the schema node an error came from (`date`,
/// `date-time`), when it has one.
fn format_of<'a>(err: &jsonschema::ValidationError<'_>, schema: &'a Value) -> Option<&'a str> {
    let location = err.schema_path().as_str();
    let node = location.rsplit_once('/').map(|(node, _)| node)?;
    schema.pointer(node)?.get("format")?.as_str()
}

/// `error[invalid-date]` for a date or time that the one parser refuses.
fn invalid_date(format: &str, value: &Value) -> Option<Diagnostic> {
    let text = value.as_str()?;
    let err = match format {
        "date" => crate::clock::Date::parse(text).err()?,
        "date-time" => crate::clock::Time::parse(text).err()?,
        _ => return None,
    };
    let help = err.help();
    Some(Diagnostic::error(Code::InvalidDate, err.to_string()).help(help))
}

fn describe(
    err: &jsonschema::ValidationError<'_>,
    pointer: &str,
    schema: &Value,
    raw: &Value,
    spans: &Spans,
    path: &Path,
    kind: FileKind,
) -> Vec<Diagnostic> {
    let at = |p: &str| spans.nearest(p);
    let base = |code: Code, msg: String, p: &str| {
        Diagnostic::error(code, msg)
            .in_file(path)
            .at(at(p))
            .pointer(p.to_string())
    };
    let name = if pointer.is_empty() {
        "the document".to_string()
    } else {
        format!("`{pointer}`")
    };
    if let ValidationErrorKind::Format { .. } | ValidationErrorKind::Pattern { .. } = err.kind()
        && let Some(format) = format_of(err, schema)
        && let Some(d) = raw.pointer(pointer).and_then(|v| invalid_date(format, v))
    {
        return vec![d.in_file(path).at(at(pointer)).pointer(pointer.to_string())];
    }
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(schema, raw, pointer);
            unexpected
                .iter()
                .map(|k| {
                    let p = format!("{pointer}/{}", yaml::escape_token(k));
                    let mut d = Diagnostic::error(Code::UnknownKey, format!("unknown key `{k}`"))
                        .in_file(path)
                        .at(spans.key(&p))
                        .pointer(p);
                    d.help = Some(match suggest(k, &allowed) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if !allowed.is_empty() => {
                            format!("expected one of: {}", allowed.join(", "))
                        }
                        None => format!("see `strata schema {}`", kind.name()),
                    });
                    d
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let prop = property.as_str().unwrap_or("?");
            vec![base(
                Code::MissingKey,
                format!("{name} is missing required key `{prop}`"),
                pointer,
            )]
        }
        ValidationErrorKind::Type { kind: tk } => {
            let expected = match tk {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let found = raw.pointer(pointer).map(json_type).unwrap_or("nothing");
            let mut d = base(
                Code::WrongType,
                format!("{name} should be {expected}, found {found}"),
                pointer,
            );
            if expected == "string" && (found == "number" || found == "boolean") {
                d.help = Some("quote the value so YAML reads it as text, e.g. \"1.0\"".into());
            }
            vec![d]
        }
        ValidationErrorKind::Enum { options } => {
            let opts = match &**options {
                Value::Array(a) => a
                    .iter()
                    .map(|o| o.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            vec![
                base(
                    Code::InvalidValue,
                    format!("{name} is not one of the allowed values"),
                    pointer,
                )
                .help(format!("expected one of: {opts}")),
            ]
        }
        ValidationErrorKind::AnyOf { .. }
            if err.schema_path().as_str().contains("layers") || pointer.starts_with("/layers/") =>
        {
            vec![base(
                Code::MissingKey,
                format!("layer {name} needs `supplier` and `product`, or `parts`"),
                pointer,
            )]
        }
        ValidationErrorKind::Constant { expected_value } if pointer == "/version" => vec![base(
            Code::UnsupportedVersion,
            format!("unsupported file version; expected {expected_value}"),
            pointer,
        )],
        _ => vec![
            base(Code::InvalidValue, format!("{name}: {err}"), pointer).help(format!(
                "see `strata schema {}` for the format",
                kind.name()
            )),
        ],
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Follow `$ref`s within the root schema.
fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/") => match root.pointer(&r[1..]) {
                Some(n) => node = n,
                None => break,
            },
            _ => break,
        }
    }
    node
}

/// The property names the schema allows for the object at `pointer`.
fn allowed_keys(root: &Value, raw: &Value, pointer: &str) -> Vec<String> {
    let mut node = deref(root, root);
    let mut inst = raw;
    for tok in pointer.split('/').skip(1) {
        let tok = tok.replace("~1", "/").replace("~0", "~");
        let next = if inst.is_array() {
            node.get("items")
        } else {
            node.get("properties")
                .and_then(|p| p.get(&tok))
                .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))
        };
        let Some(n) = next else { return Vec::new() };
        node = deref(root, n);
        inst = match inst {
            Value::Array(a) => tok
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(&Value::Null),
            Value::Object(o) => o.get(&tok).unwrap_or(&Value::Null),
            _ => &Value::Null,
        };
    }
    let mut keys: Vec<String> = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// The allowed key closest to `key` by edit distance, if close enough.
pub fn suggest<S: AsRef<str>>(key: &str, allowed: &[S]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (crate::names::edit_distance(key, a.as_ref()), a.as_ref()))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min()
        .map(|(_, a)| a.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;
    use crate::model::{Stack, Vendors};

    const STACK: &str = "version: 1\ndevice: {id: p, name: P, class: phone}\nlayers:\n  os: {supplier: g, product: Android}\n";

    #[test]
    fn all_schemas_compile() {
        for name in SCHEMA_NAMES {
            let k = FileKind::from_name(name).unwrap();
            let _ = compiled(k);
            assert_eq!(k.name(), name);
        }
    }

    #[test]
    fn loads_a_valid_stack() {
        let l: Loaded<Stack> = parse_str(STACK, Path::new("s.yaml"), FileKind::Stack).unwrap();
        assert_eq!(l.value.device.id, "p");
    }

    #[test]
    fn reports_every_error_with_positions() {
        let text = "version: 1\ndevice: {id: p, name: P, class: fone, colour: red}\nlayers:\n  os: {suplier: g, product: Android}\n";
        let e = parse_str::<Stack>(text, Path::new("s.yaml"), FileKind::Stack).unwrap_err();
        let d = e.diagnostics();
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"unknown-key"), "{codes:?}");
        assert!(codes.contains(&"invalid-value"), "{codes:?}");
        let suplier = d.iter().find(|d| d.message.contains("suplier")).unwrap();
        assert_eq!(suplier.position, Some(Position { line: 4, column: 8 }));
        assert_eq!(suplier.help.as_deref(), Some("did you mean `supplier`?"));
        let colour = d.iter().find(|d| d.message.contains("colour")).unwrap();
        assert_eq!(colour.position.unwrap().line, 2);
    }

    #[test]
    fn numbers_where_text_belongs_get_a_hint() {
        let text = "version: 1\nvendors:\n  x: {name: 1.5, jurisdiction: CN}\n";
        let e = parse_str::<Vendors>(text, Path::new("v.yaml"), FileKind::Vendors).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.code, "wrong-type");
        assert!(d.help.as_deref().unwrap().contains("quote"));
    }

    #[test]
    fn newer_versions_are_refused() {
        let e = parse_str::<Vendors>(
            "version: 2\nvendors: {}\n",
            Path::new("v.yaml"),
            FileKind::Vendors,
        )
        .unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "unsupported-version");
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = parse_str::<Vendors>("", Path::new("v.yaml"), FileKind::Vendors).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "empty-file");
    }

    #[test]
    fn suggestions_are_close_matches_only() {
        let allowed = vec!["supplier".to_string(), "product".to_string()];
        assert_eq!(suggest("suplier", &allowed).as_deref(), Some("supplier"));
        assert_eq!(suggest("zzz", &allowed), None);
    }

    #[test]
    fn deserialising_from_a_reference_is_deserialising_a_copy() {
        use crate::model::{ApprovedDevices, Policy, Reviews, Stack};
        fn same<T: DeserializeOwned + std::fmt::Debug + serde::Serialize>(v: &Value) {
            let owned = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
            let by_ref = T::deserialize(v).map_err(|e| e.to_string());
            assert_eq!(
                by_ref.map(|t| serde_json::to_value(t).unwrap()),
                owned.map(|t| serde_json::to_value(t).unwrap()),
                "{v}"
            );
        }
        let docs = [
            serde_json::json!({"version": 1, "device": {"id": "p", "name": "P", "class": "phone"},
                "layers": {"os": {"supplier": "x", "product": "X", "version": "1"}}}),
            serde_json::json!({"version": 1, "device": {"id": "p", "name": "P", "class": "boat"}, "layers": {}}),
            serde_json::json!({"version": 1, "device": {"id": 3, "name": "P", "class": "phone"}, "layers": {}}),
            serde_json::json!({"version": 1, "device": {"name": "P", "class": "phone"}, "layers": {}}),
            serde_json::json!({"version": -1, "layers": []}),
            serde_json::json!({"version": 1, "devices": [{"id": "a", "stack": "s.yaml", "units": 2.5}]}),
            serde_json::json!({"version": 1, "devices": [{"id": "a", "stack": "s.yaml", "units": 2, "criticality": "high"}]}),
            serde_json::json!({"version": 1, "rules": {"x": {"level": "sometimes"}}}),
            serde_json::json!({"version": 1, "rules": {"x": {"level": "deny", "max": 3}}, "exceptions": []}),
            serde_json::json!({"version": 1, "reviews": [{"device": "a", "digest": "d", "verdict": "maybe",
                "criteria": [], "reviewer": "r", "date": "2026-01-01"}]}),
            serde_json::json!([1, 2]),
            serde_json::json!(null),
        ];
        for d in &docs {
            same::<Stack>(d);
            same::<ApprovedDevices>(d);
            same::<Policy>(d);
            same::<Reviews>(d);
        }
    }
}
