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
}

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
    let media_type = match serde_json::from_str::<Head>(text) {
        Ok(head) => head.media_type,
        Err(_) => {
            let value: Value = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
            value
                .get("mediaType")
                .and_then(Value::as_str)
                .map(str::to_string)
        }
    };
    let bundle = serde_json::from_str::<Bundle>(text).map_err(|e| e.to_string());
    Ok(BundleFile {
        path: path.to_path_buf(),
        media_type,
        bundle,
    })
}

/// A JSON object's `mediaType` when it is a string (the last one, as for a
/// [`Value`]); every other member is skipped unbuilt.
struct Head {
    media_type: Option<String>,
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
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "mediaType" {
                        media_type = map.next_value::<Value>()?.as_str().map(str::to_string);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Head { media_type })
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
    fn non_bundle_json_is_not_an_input_error() {
        let b = parse_bundle(Path::new("b.json"), r#"{"mediaType": "x"}"#).unwrap();
        assert_eq!(b.media_type.as_deref(), Some("x"));
        assert!(b.version().is_none());
        assert!(b.bundle.is_err());
    }
}
