//! Writing one scalar: plain when that reads back as the same string under
//! both YAML 1.2 (strata's reader) and YAML 1.1 (older tools), double-quoted
//! otherwise.

use serde_json::Value;

use crate::yaml::resolve_plain;

/// Where a scalar is written: flow collections forbid more characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// A block mapping value, key or block sequence item.
    Block,
    /// An item of a flow sequence `[a, b]`.
    Flow,
}

/// Words YAML 1.1 reads as booleans or null; quoted so that older tools
/// (PyYAML, yq v3) read the same string strata does.
const YAML11_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "<<",
    "=",
];

/// The text of a scalar value.
pub(crate) fn value(v: &Value, ctx: Context) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, ctx),
        // Collections are never scalars; callers do not pass them.
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// The text of a mapping key.
pub(crate) fn key(k: &str) -> String {
    string(k, Context::Block)
}

/// A string, plain when safe, else double-quoted.
pub(crate) fn string(s: &str, ctx: Context) -> String {
    if plain_ok(s, ctx) {
        s.to_string()
    } else {
        quoted(s)
    }
}

fn plain_ok(s: &str, ctx: Context) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    if ctx == Context::Flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    if YAML11_WORDS.contains(&s) {
        return false;
    }
    // Numbers, dates, times and versions: YAML 1.1 readers may turn these
    // into numbers or timestamps, so quote anything number-like.
    let numberish = (first.is_ascii_digit() || "+-.".contains(first))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.:_".contains(c));
    if numberish {
        return false;
    }
    matches!(resolve_plain(s), Value::String(ref r) if r == s)
}

/// A double-quoted YAML string with escapes.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn round_trip(s: &str, ctx: Context) {
        let text = match ctx {
            Context::Block => format!("k: {}\n", string(s, ctx)),
            Context::Flow => format!("k: [{}]\n", string(s, ctx)),
        };
        let (v, _) = crate::yaml::parse(&text, Path::new("t.yaml")).unwrap();
        let got = match ctx {
            Context::Block => v["k"].clone(),
            Context::Flow => v["k"][0].clone(),
        };
        assert_eq!(got, Value::String(s.to_string()), "{text}");
    }

    #[test]
    fn strings_read_back_unchanged() {
        for s in [
            "plain text",
            "2026-01-01",
            "2.0.201",
            "16",
            "1.5",
            "yes",
            "null",
            "",
            " padded ",
            "a: b",
            "a #b",
            "#x",
            "- item",
            "inference, ASR and TTS",
            "line\nbreak",
            "tab\there",
            "quote \" and \\ backslash",
            "ends:",
            "Xiaomi's Vela",
            "@scope",
            "[x]",
            "1.02T total / 42B active (sparse MoE)",
            "sha256:0123abcd",
            "日本語",
            "bell\u{7}",
        ] {
            round_trip(s, Context::Block);
            round_trip(s, Context::Flow);
        }
    }

    #[test]
    fn safe_strings_stay_plain() {
        assert_eq!(string("Xiaomi Cloud", Context::Block), "Xiaomi Cloud");
        assert_eq!(string("2.0.201", Context::Block), "\"2.0.201\"");
        assert_eq!(string("a, b", Context::Block), "a, b");
        assert_eq!(string("a, b", Context::Flow), "\"a, b\"");
        assert_eq!(
            string("sha256:ab12", Context::Block),
            "sha256:ab12",
            "a colon not followed by a space is plain"
        );
    }
}
