//! Reading bundle files.
//!
//! A bundle that is not readable, not UTF-8 or not JSON is an input error
//! (exit 2) naming the file, line and column. A JSON document that is not a
//! bundle strata can verify (an unknown media type, a missing field) is not
//! an input error: it fails the `bundle-format` check (exit 1), because
//! judging what a document is *is* the first verification step.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sigstore_types::Bundle;

use crate::diag::{Code, Diagnostic, Error, Position, Result};
use crate::fsutil;

/// Largest bundle read: 64 MiB. A bundle holds a signature, a certificate,
/// log proofs and (for DSSE) the statement, which for strata is the whole
/// BOM; real ones are kilobytes to a few megabytes.
pub const MAX_BUNDLE_BYTES: u64 = fsutil::MAX_INPUT_BYTES;

/// The media types strata knows, with the version each denotes.
pub const KNOWN_MEDIA_TYPES: [(&str, &str); 4] = [
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "v0.1",
    ),
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "v0.2",
    ),
    ("application/vnd.dev.sigstore.bundle.v0.3+json", "v0.3"),
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "v0.3",
    ),
];

/// A bundle file read from disk: valid JSON, maybe a valid bundle.
#[derive(Debug)]
pub struct BundleFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// `mediaType` as written, when it is a string.
    pub media_type: Option<String>,
    /// The parsed bundle, or why the JSON is not a bundle.
    pub bundle: std::result::Result<Bundle, String>,
    /// Which of the mutually exclusive members the JSON holds, as written
    /// (the parsed [`Bundle`] keeps only one of each kind, whatever the
    /// document says).
    pub members: Members,
}

/// The members of a bundle of which exactly one must be present, each name
/// listed once per occurrence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    /// `dsseEnvelope`, `messageSignature`.
    pub content: Vec<&'static str>,
    /// `verificationMaterial`'s `certificate`, `x509CertificateChain`,
    /// `publicKey`.
    pub material: Vec<&'static str>,
}

/// The content members of a bundle.
const CONTENT_MEMBERS: [&str; 2] = ["dsseEnvelope", "messageSignature"];

/// The verification-material members of a bundle.
const MATERIAL_MEMBERS: [&str; 3] = ["certificate", "x509CertificateChain", "publicKey"];

impl BundleFile {
    /// Bundle version (`v0.1`, `v0.2`, `v0.3`) for a known media type.
    pub fn version(&self) -> Option<&'static str> {
        let mt = self.media_type.as_deref()?;
        KNOWN_MEDIA_TYPES
            .iter()
            .find(|(known, _)| *known == mt)
            .map(|(_, v)| *v)
    }
}

/// Read and parse a bundle file.
///
/// Errors (exit 2) only when the file cannot be read, is too large, is not
/// UTF-8 or is not JSON; everything else is left to the `bundle-format`
/// check.
pub fn read_bundle(path: &Path) -> Result<BundleFile> {
    let text = fsutil::read_text(path)?;
    parse_bundle(path, &text)
}

/// Parse bundle text already read from `path`.
pub fn parse_bundle(path: &Path, text: &str) -> Result<BundleFile> {
    // The media type as written, and a syntax check of the whole text,
    // without building a tree of the document: only an object's
    // `mediaType` is kept. Anything else (not an object, say) takes the
    // general path, with the same result.
    let (media_type, members) = match serde_json::from_str::<Head>(text) {
        Ok(head) => (head.media_type, head.members),
        Err(_) => {
            let value: Value = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
            let media_type = value
                .get("mediaType")
                .and_then(Value::as_str)
                .map(str::to_string);
            (media_type, Members::default())
        }
    };
    let bundle = serde_json::from_str::<Bundle>(text).map_err(|e| e.to_string());
    Ok(BundleFile {
        path: path.to_path_buf(),
        media_type,
        bundle,
        members,
    })
}

/// A JSON object's `mediaType` when it is a string (the last one, as for a
/// [`Value`]) and which exclusive [`Members`] it holds; every other member
/// is skipped unbuilt.
struct Head {
    media_type: Option<String>,
    members: Members,
}

/// The names of [`MATERIAL_MEMBERS`] an object holds (an object that is
/// not one holds none); values are skipped unbuilt.
struct MaterialKeys(Vec<&'static str>);

impl<'de> serde::Deserialize<'de> for MaterialKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = MaterialKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<MaterialKeys, A::Error> {
                let mut seen = Vec::new();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if let Some(name) = MATERIAL_MEMBERS.iter().find(|n| **n == key) {
                        seen.push(*name);
                    }
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(MaterialKeys(seen))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<MaterialKeys, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
            fn visit_unit<E>(self) -> std::result::Result<MaterialKeys, E> {
                Ok(MaterialKeys(Vec::new()))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl<'de> serde::Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Head;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Head, A::Error> {
                let mut media_type = None;
                let mut members = Members::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "mediaType" {
                        media_type = map.next_value::<Value>()?.as_str().map(str::to_string);
                    } else if key == "verificationMaterial" {
                        let MaterialKeys(seen) = map.next_value()?;
                        members.material.extend(seen);
                    } else {
                        if let Some(name) = CONTENT_MEMBERS.iter().find(|n| **n == key) {
                            members.content.push(*name);
                        }
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Head {
                    media_type,
                    members,
                })
            }
        }
        d.deserialize_map(Visit)
    }
}

/// The input error for text that is not JSON: file, line and column.
pub fn json_error(path: &Path, e: &serde_json::Error) -> Error {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the position goes in the
    // diagnostic's location instead.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Error::invalid(
        Diagnostic::error(Code::JsonSyntax, format!("not valid JSON: {msg}"))
            .in_file(path)
            .at(Some(Position {
                line: e.line(),
                column: e.column(),
            })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = parse_bundle(Path::new("b.json"), "{\n  \"mediaType\": ,\n}").unwrap_err();
        let s = err.to_string();
        assert!(s.contains("error[json-syntax]"), "{s}");
        assert!(s.contains("b.json:2:16"), "{s}");
    }

    #[test]
    fn the_media_type_is_read_as_written_whatever_the_shape() {
        let mt = |text: &str| parse_bundle(Path::new("b.json"), text).unwrap().media_type;
        assert_eq!(
            mt(r#"{"a": [1, {"b": null}], "mediaType": "x"}"#).as_deref(),
            Some("x")
        );
        assert_eq!(
            mt(r#"{"mediaType": "x", "mediaType": "y"}"#).as_deref(),
            Some("y")
        );
        assert_eq!(mt(r#"{"mediaType": 3}"#), None);
        assert_eq!(mt(r#"{"media\u0054ype": "esc"}"#).as_deref(), Some("esc"));
        assert_eq!(
            mt(r#"["application/vnd.dev.sigstore.bundle.v0.3+json"]"#),
            None
        );
        assert_eq!(mt(r#""mediaType""#), None);
        let err = parse_bundle(Path::new("b.json"), r#"{"a": 1} x"#).unwrap_err();
        assert!(err.to_string().contains("json-syntax"), "{err}");
    }

    #[test]
    fn exclusive_members_are_listed_as_written() {
        let m = |text: &str| parse_bundle(Path::new("b.json"), text).unwrap().members;
        let both = m(
            r#"{"dsseEnvelope": {}, "verificationMaterial": {"publicKey": {},
            "certificate": null, "tlogEntries": []}, "messageSignature": 1}"#,
        );
        assert_eq!(both.content, ["dsseEnvelope", "messageSignature"]);
        assert_eq!(both.material, ["publicKey", "certificate"]);
        let odd = m(r#"{"verificationMaterial": [1], "mediaType": "x"}"#);
        assert_eq!(odd, Members::default());
        let twice = m(r#"{"messageSignature": 1, "messageSignature": 2}"#);
        assert_eq!(twice.content, ["messageSignature", "messageSignature"]);
    }

    #[test]
    fn non_bundle_json_is_not_an_input_error() {
        let b = parse_bundle(Path::new("b.json"), r#"{"mediaType": "x"}"#).unwrap();
        assert_eq!(b.media_type.as_deref(), Some("x"));
        assert!(b.version().is_none());
        assert!(b.bundle.is_err());
    }
}
