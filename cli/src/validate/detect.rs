//! Telling SBOM formats apart by their content: XML starts with `<`, JSON
//! with `{` or `[`; SPDX tag-value and YAML are recognised by their version
//! line so that they get an error naming what is supported rather than a
//! JSON syntax error.

use serde_json::Value;

/// What the text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    /// XML (UTF-8, or UTF-16 with a byte order mark).
    Xml,
    /// JSON, or anything else (the JSON parser then says what is wrong).
    Json,
    /// A format strata recognises but does not read, in words.
    Unsupported(&'static str),
}

/// How far into the text the SPDX version line of tag-value or YAML is
/// looked for.
const HEAD: usize = 64 * 1024;

/// Classify `bytes` by their first significant characters.
pub fn sniff(bytes: &[u8]) -> Sniff {
    if bytes.starts_with(&[0xFF, 0xFE, b'<', 0]) || bytes.starts_with(&[0xFE, 0xFF, 0, b'<']) {
        return Sniff::Xml;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => return Sniff::Xml,
        Some(b'{' | b'[') | None => return Sniff::Json,
        Some(_) => {}
    }
    let head = String::from_utf8_lossy(&text[..text.len().min(HEAD)]);
    for line in head.lines().map(str::trim_start) {
        if line.starts_with("SPDXVersion:") {
            return Sniff::Unsupported("SPDX tag-value");
        }
        if line.starts_with("spdxVersion:") {
            return Sniff::Unsupported("SPDX YAML");
        }
    }
    Sniff::Json
}

/// JSON documents that are SBOMs strata does not read: SPDX 3 JSON-LD.
pub fn unsupported_json(doc: &Value) -> Option<&'static str> {
    let context = doc.get("@context")?;
    let names_spdx = |v: &Value| v.as_str().is_some_and(|s| s.contains("spdx.org/rdf/3"));
    let spdx3 = match context {
        Value::Array(items) => items.iter().any(names_spdx),
        other => names_spdx(other),
    };
    spdx3.then_some("SPDX 3 JSON-LD")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(sniff(b"  <?xml version=\"1.0\"?><bom/>"), Sniff::Xml);
        assert_eq!(sniff(b"\xEF\xBB\xBF<bom/>"), Sniff::Xml);
        assert_eq!(sniff(&[0xFF, 0xFE, b'<', 0, b'b', 0]), Sniff::Xml);
        assert_eq!(sniff(b"\n{\"bomFormat\": 1}"), Sniff::Json);
        assert_eq!(sniff(b""), Sniff::Json);
        assert_eq!(sniff(b"nonsense"), Sniff::Json);
        assert_eq!(
            sniff(b"## Document\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n"),
            Sniff::Unsupported("SPDX tag-value")
        );
        assert_eq!(
            sniff(b"---\nspdxVersion: SPDX-2.3\n"),
            Sniff::Unsupported("SPDX YAML")
        );
    }

    #[test]
    fn spdx3_json_ld_is_recognised() {
        let doc =
            json!({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []});
        assert_eq!(unsupported_json(&doc), Some("SPDX 3 JSON-LD"));
        let doc = json!({"@context": ["https://spdx.org/rdf/3.0.0/spdx-context.jsonld"]});
        assert_eq!(unsupported_json(&doc), Some("SPDX 3 JSON-LD"));
        assert_eq!(
            unsupported_json(&json!({"@context": "https://schema.org"})),
            None
        );
        assert_eq!(unsupported_json(&json!([1])), None);
    }
}
