//! in-toto Statement v1 construction for `strata sign`.
//!
//! A CycloneDX BOM becomes a statement whose `predicateType` is
//! `https://cyclonedx.org/bom`, whose predicate is the BOM itself and whose
//! one subject names the device (`device:<id>`, from the
//! `metadata.component` property `strata:device:id`, or its bom-ref
//! `device:<id>`) with the SHA-256 of the BOM file's bytes. Any other file
//! gets a subject named after the file, with a small strata predicate
//! recording its name and size.
//!
//! The statement is serialised compactly, keys in a fixed order and the BOM
//! in its own key order, so the same file always gives the same payload.

use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::Digest as _;

use super::{CYCLONEDX_PREDICATE, STATEMENT_V1};
use crate::diag::{Code, Diagnostic, Error, Result};

/// `predicateType` of strata's generic file predicate. The host is a
/// placeholder until strata has a home; the type is stable.
pub const FILE_PREDICATE: &str = "https://example.invalid/strata/predicate/file/v1";

/// A statement ready to sign, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementPayload {
    /// The serialised statement: the DSSE payload.
    pub payload: Vec<u8>,
    /// The one subject's name.
    pub subject_name: String,
    /// The subject's SHA-256, hex.
    pub sha256_hex: String,
    /// The predicate type.
    pub predicate_type: String,
    /// The device id, for a strata BOM.
    pub device: Option<String>,
}

/// Build the statement for a file's bytes.
///
/// A JSON object with `"bomFormat": "CycloneDX"` is a BOM; a BOM that names
/// no device is signed with the file name as subject. Anything else is a
/// generic file. Bytes read from standard input (`path` is `-`) are named
/// `stdin`.
pub fn build(path: &Path, bytes: &[u8]) -> Result<StatementPayload> {
    let sha256_hex = hex::encode(sha2::Sha256::digest(bytes));
    let file_name = if crate::fsutil::is_stdin(path) {
        "stdin".to_string()
    } else {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "artifact".into())
    };
    let bom = serde_json::from_slice::<Value>(bytes)
        .ok()
        .filter(|v| v.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX"));
    let (subject_name, predicate_type, predicate, device) = match bom {
        Some(bom) => {
            let device = device_id(&bom);
            let name = device
                .as_ref()
                .map(|d| format!("device:{d}"))
                .unwrap_or_else(|| file_name.clone());
            (name, CYCLONEDX_PREDICATE.to_string(), bom, device)
        }
        None => (
            file_name.clone(),
            FILE_PREDICATE.to_string(),
            json!({"name": file_name, "size": bytes.len()}),
            None,
        ),
    };
    let mut statement = Map::new();
    statement.insert("_type".into(), Value::String(STATEMENT_V1.into()));
    statement.insert(
        "subject".into(),
        json!([{"name": subject_name, "digest": {"sha256": sha256_hex}}]),
    );
    statement.insert(
        "predicateType".into(),
        Value::String(predicate_type.clone()),
    );
    statement.insert("predicate".into(), predicate);
    let payload = serde_json::to_vec(&Value::Object(statement)).map_err(|e| {
        Error::invalid(
            Diagnostic::error(
                Code::Statement,
                format!("cannot serialise the statement: {e}"),
            )
            .in_file(path),
        )
    })?;
    Ok(StatementPayload {
        payload,
        subject_name,
        sha256_hex,
        predicate_type,
        device,
    })
}

/// The device id a strata BOM describes: the `strata:device:id` property of
/// `metadata.component`, else its bom-ref `device:<id>`.
pub fn device_id(bom: &Value) -> Option<String> {
    let component = bom.get("metadata")?.get("component")?;
    let from_property = component
        .get("properties")
        .and_then(Value::as_array)
        .and_then(|props| {
            props.iter().find_map(|p| {
                (p.get("name").and_then(Value::as_str) == Some("strata:device:id"))
                    .then(|| p.get("value").and_then(Value::as_str))
                    .flatten()
            })
        });
    from_property
        .or_else(|| {
            component
                .get("bom-ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("device:"))
        })
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_names_its_device_and_embeds_itself() {
        let bom = br#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"bom-ref":"device:x","properties":[{"name":"strata:device:id","value":"pixel"}]}}}"#;
        let s = build(Path::new("a/bom.cdx.json"), bom).unwrap();
        assert_eq!(s.subject_name, "device:pixel");
        assert_eq!(s.device.as_deref(), Some("pixel"));
        let v: Value = serde_json::from_slice(&s.payload).unwrap();
        assert_eq!(v["predicateType"], CYCLONEDX_PREDICATE);
        assert_eq!(v["predicate"]["specVersion"], "1.5");
        assert_eq!(v["subject"][0]["digest"]["sha256"], s.sha256_hex);
        assert_eq!(build(Path::new("a/bom.cdx.json"), bom).unwrap(), s);
    }

    #[test]
    fn bom_ref_is_the_fallback_and_other_files_are_generic() {
        let bom = br#"{"bomFormat":"CycloneDX","metadata":{"component":{"bom-ref":"device:car"}}}"#;
        assert_eq!(
            build(Path::new("b.json"), bom).unwrap().subject_name,
            "device:car"
        );
        let s = build(Path::new("dir/notes.txt"), b"hello").unwrap();
        assert_eq!(s.subject_name, "notes.txt");
        assert_eq!(s.predicate_type, FILE_PREDICATE);
        assert_eq!(
            s.sha256_hex,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
    }
}
