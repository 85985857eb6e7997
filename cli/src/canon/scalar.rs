//! Writing one scalar: plain when that reads back as the same string under
//! both YAML 1.2 (strata's reader) and YAML 1.1 (older tools), double-quoted
//! otherwise. A string holding a control character or one that reorders or
//! hides text (a bidi override, a zero-width space: see
//! [`crate::escape::is_invisible`]) is always double-quoted with that
//! character written as an escape, so a reviewed file never shows text
//! other than what strata reads (no "Trojan Source").

use serde_json::Value;

use crate::escape::is_hidden;
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
    if s.chars().any(is_hidden) {
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

/// Widest line of a folded block scalar.
pub(crate) const FOLD_WIDTH: usize = 80;

/// A block scalar for a long or multi-line string: the indicator (`>-`,
/// `|` or `|-`) and its content lines (without indentation). Prose longer
/// than a line is folded at spaces (`>-`), text with line breaks is kept
/// literally (`|`, `|-`). `None` when the string cannot be written that way
/// and read back unchanged; it is then double-quoted.
pub(crate) fn block(s: &str, indent: usize) -> Option<(&'static str, Vec<String>)> {
    let simple = !s.is_empty()
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c != '\n' && is_hidden(c));
    if !simple {
        return None;
    }
    let out = if s.contains('\n') {
        let (indicator, body) = match s.strip_suffix('\n') {
            Some(b) if !b.ends_with('\n') => ("|", b),
            Some(_) => return None,
            None => ("|-", s),
        };
        let lines: Vec<String> = body.split('\n').map(str::to_string).collect();
        if lines.iter().any(|l| l.ends_with(' ')) || lines.first().is_some_and(|l| l.is_empty()) {
            return None;
        }
        (indicator, lines)
    } else {
        if s.ends_with(' ') || s.contains("  ") || !s.contains(' ') {
            return None;
        }
        let room = FOLD_WIDTH.saturating_sub(indent).max(40);
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for word in s.split(' ') {
            if !cur.is_empty() && cur.len() + 1 + word.len() > room {
                lines.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        lines.push(cur);
        (">-", lines)
    };
    // Prove it: the block must read back as the same string.
    let pad = " ".repeat(2);
    let doc = format!(
        "k: {}\n{}",
        out.0,
        out.1
            .iter()
            .map(|l| if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            })
            .collect::<String>()
    );
    let (v, _) = crate::yaml::parse(&doc, std::path::Path::new("block")).ok()?;
    (v.get("k").and_then(Value::as_str) == Some(s)).then_some(out)
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
            c if is_hidden(c) && u32::from(c) > 0xffff => {
                out.push_str(&format!("\\U{:08x}", u32::from(c)));
            }
            c if is_hidden(c) => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
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
            "right\u{202e}to left",
            "zero\u{200b}width\u{2066}isolate\u{e0041}tag",
        ] {
            round_trip(s, Context::Block);
            round_trip(s, Context::Flow);
        }
    }

    #[test]
    fn long_prose_folds_and_line_breaks_stay_literal() {
        let prose = "word ".repeat(40).trim_end().to_string();
        let (ind, lines) = block(&prose, 2).unwrap();
        assert_eq!(ind, ">-");
        assert!(lines.len() > 1 && lines.iter().all(|l| l.len() <= FOLD_WIDTH - 2));
        assert_eq!(
            block("a\nb\n", 0).unwrap(),
            ("|", vec!["a".into(), "b".into()])
        );
        assert_eq!(
            block("a\n\nb", 0).unwrap(),
            ("|-", vec!["a".into(), "".into(), "b".into()])
        );
        assert_eq!(block("a  b c", 0), None, "double spaces do not fold");
        assert_eq!(block("a\n\n", 0), None, "two final breaks are quoted");
        assert_eq!(block(" lead\nx", 0), None);
    }

    #[test]
    fn invisible_characters_are_written_as_escapes() {
        assert_eq!(string("a\u{202e}b", Context::Block), "\"a\\u202eb\"");
        assert_eq!(string("x\u{200b}", Context::Block), "\"x\\u200b\"");
        assert_eq!(string("t\u{e0041}", Context::Block), "\"t\\U000e0041\"");
        let long = format!("{} \u{2067}end", "word ".repeat(30));
        assert_eq!(block(&long, 2), None);
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
