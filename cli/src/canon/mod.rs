//! Canonical form of strata's YAML files, shared by `strata fmt` and every
//! command that writes a strata file (`strata review`).
//!
//! A file is canonical when it is exactly what [`format`] makes of it: keys in
//! the order the file's JSON Schema declares them (map keys such as vendor
//! ids alphabetically), sets sorted, keyed lists sorted by the keys their
//! schema names (`x-strata-sort-by`: approved devices by id, exceptions by
//! device and rule, reviews by device, digest and date), two-space block
//! layout, short scalar lists on one line, strings quoted only when a YAML
//! 1.1 or 1.2 reader could read them as something else, prose too long for
//! a line folded at 80 columns (`>-`) and text with line breaks written
//! literally (`|`).
//!
//! Comments are kept and move with the value they annotate (see
//! [`comments`]). Before anything is returned, the output is parsed again and
//! compared with the input: the values must be equal (up to the sorting) and
//! every comment must have been written, or formatting fails instead of
//! changing the meaning of a file or dropping a comment.

pub mod comments;
mod emit;
mod scalar;

use std::path::Path;

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::model::{self, FileKind};
pub use comments::Comments;
use emit::{Emitter, Nav};

/// Format `text`, a strata file of `kind` read from `path`, canonically.
/// The file must be valid for its kind.
pub fn format(text: &str, path: &Path, kind: FileKind) -> Result<String> {
    let loaded = model::parse_str::<Value>(text, path, kind)?;
    let comments = comments::collect(text, &loaded.spans);
    render(&loaded.raw, kind, &comments, path)
}

/// Write `value` (a valid document of `kind`) canonically with `comments`,
/// checking that the output reads back as the same value and that every
/// comment was written. `path` names the file in errors.
pub fn render(value: &Value, kind: FileKind, comments: &Comments, path: &Path) -> Result<String> {
    let nav = Nav::new(model::schema_value(kind));
    let (text, written) = Emitter::new(nav, comments).document(value);
    let expected = canonical_value(&nav, nav.root(), value);
    let (back, _) = crate::yaml::parse(&text, path).map_err(|e| internal(path, &e.to_string()))?;
    if back != expected {
        return Err(internal(
            path,
            "the formatted text does not read back as the same values",
        ));
    }
    if written != comments.count() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::FmtCommentUnplaced,
                format!(
                    "{} of {} comments could not be placed; the file was left as it is",
                    comments.count().saturating_sub(written),
                    comments.count()
                ),
            )
            .in_file(path)
            .help("move comments onto their own line above the key they describe"),
        ));
    }
    Ok(text)
}

fn internal(path: &Path, msg: &str) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::FmtInternal,
            format!("formatting failed: {msg}; the file was left as it is"),
        )
        .in_file(path)
        .help("please report this with the file attached"),
    )
}

/// How the string `s` is written in canonical form (plain or quoted).
pub fn scalar_text(s: &str) -> String {
    scalar::string(s, scalar::Context::Block)
}

/// `value` with lists in canonical order (keys are unordered in JSON).
fn canonical_value(nav: &Nav<'_>, schema: Option<&Value>, value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), canonical_value(nav, nav.child(schema, k), v)))
                .collect(),
        ),
        Value::Array(a) => {
            let item = nav.items(schema);
            Value::Array(
                emit::item_order(nav, schema, a)
                    .into_iter()
                    .map(|i| canonical_value(nav, item, &a[i]))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The kind of strata file at `path` with contents `text`, if it is one:
/// by file name (`vendors.yaml`, `policy.yaml`, …, `reviews.yaml`), then by
/// its top-level keys (a `version` plus `device` and `layers` is a stack).
pub fn detect_kind(path: &Path, text: &str) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let by_name = match name {
        "vendors.yaml" => Some(FileKind::Vendors),
        "designations.yaml" => Some(FileKind::Designations),
        "policy.yaml" => Some(FileKind::Policy),
        "approved-devices.yaml" => Some(FileKind::ApprovedDevices),
        "reviews.yaml" => Some(FileKind::Reviews),
        "catalog.yaml" => Some(FileKind::Catalog),
        "calendar.yaml" => Some(FileKind::Calendar),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        return None;
    }
    let (value, _) = crate::yaml::parse(text, path).ok()?;
    let obj = value.as_object()?;
    obj.get("version")?;
    let has = |k: &str| obj.contains_key(k);
    if has("device") && has("layers") {
        Some(FileKind::Stack)
    } else if obj.get("device").is_some_and(serde_json::Value::is_string) {
        Some(FileKind::Answers)
    } else if has("vendors") {
        Some(FileKind::Vendors)
    } else if has("lists") {
        Some(FileKind::Designations)
    } else if has("rules") {
        Some(FileKind::Policy)
    } else if has("entries") {
        Some(FileKind::Calendar)
    } else if has("manufacturers") || has("models") {
        Some(FileKind::Catalog)
    } else if has("reviews") {
        Some(FileKind::Reviews)
    } else if has("devices") {
        Some(FileKind::ApprovedDevices)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
