//! The canonical formatter (`canon::format`, what `strata fmt` writes) on
//! arbitrary text of every file kind, the kind chosen by the first byte. No
//! panic; whenever a file is formatted, the output
//! - reads back as the same values as the input (lists compared as
//!   multisets: fmt sorts sets and keyed lists),
//! - is still valid for its kind and formats to itself (idempotent),
//! - holds no raw control, bidi or zero-width character that the input did
//!   not already hold raw (a comment is kept as written, but an escape such
//!   as `"\u202E"` is never turned into the invisible character).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use strata::canon;
use strata::escape::is_hidden;
use strata::model::FileKind;

/// `v` as a string in which object keys are sorted and every list is
/// sorted: equal for two values that differ only in list order.
fn unordered(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, String)> = m
                .iter()
                .map(|(k, v)| (serde_json::to_string(k).unwrap_or_default(), unordered(v)))
                .collect();
            entries.sort();
            let inner: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => {
            let mut items: Vec<String> = a.iter().map(unordered).collect();
            items.sort();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = FileKind::ALL[usize::from(selector) % FileKind::ALL.len()];
    let file = Path::new("fuzz.yaml");
    let Ok(out) = canon::format(text, file, kind) else {
        return;
    };
    let (before, _) = strata::yaml::parse(text, file).expect("formatted input parses");
    let (after, _) = match strata::yaml::parse(&out, file) {
        Ok(v) => v,
        Err(e) => panic!("fmt output does not parse: {e}\n--- output\n{out}"),
    };
    assert_eq!(
        unordered(&before),
        unordered(&after),
        "fmt changed a value\n--- input\n{text}\n--- output\n{out}"
    );
    match canon::format(&out, file, kind) {
        Ok(again) => assert_eq!(again, out, "fmt is not idempotent\n--- input\n{text}"),
        Err(e) => panic!("fmt output is not formattable again: {e}\n--- output\n{out}"),
    }
    if let Some(c) = out
        .chars()
        .find(|&c| c != '\n' && is_hidden(c) && !text.contains(c))
    {
        panic!("fmt wrote {c:?} raw, the input held it only escaped\n--- output\n{out:?}");
    }
});
