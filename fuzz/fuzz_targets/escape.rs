//! strata's output escapers (`strata::escape`: terminal, Markdown, HTML) on
//! arbitrary text. For every input:
//! - no output holds a raw control, bidi or zero-width character (the
//!   whole-output terminal form keeps line breaks and tabs; HTML keeps
//!   them too, where they are inert);
//! - the Markdown run is one line, every Markdown metacharacter is behind a
//!   backslash and every `&`, `<`, `>` is an entity, so no heading, link,
//!   emphasis, table cell or HTML tag from the input survives;
//! - the HTML text holds no `<`, `>`, `"` or `'`: no tag or attribute from
//!   the input survives;
//! - nothing is lost: undoing the escapes gives the input back with only the
//!   hidden characters written as `\u{..}` (and, in Markdown, line breaks
//!   as spaces).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::escape::{self, is_hidden};

const MARKDOWN_META: &str = "\\`*_[]#|~!";

/// The input as the escapers show it: hidden characters as `\u{..}`
/// (those `keep` selects stay raw).
fn shown(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if is_hidden(c) && !keep(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Undo the entities in `s` (those in `entities`), failing on a bare `&`.
fn unentity(s: &str, entities: &[(&str, char)]) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some((name, c)) = entities.iter().find(|(name, _)| tail.starts_with(name)) else {
            panic!("a bare `&` in escaped output: {s:?}");
        };
        out.push(*c);
        rest = &tail[name.len()..];
    }
    out.push_str(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let line = escape::terminal(&text);
    assert!(!line.chars().any(is_hidden), "terminal: {line:?}");
    assert_eq!(line, shown(&text, |_| false));

    let lines = escape::terminal_lines(&text);
    assert!(
        !lines
            .chars()
            .any(|c| c != '\n' && c != '\t' && is_hidden(c)),
        "terminal_lines: {lines:?}"
    );
    assert_eq!(lines, shown(&text, |c| c == '\n' || c == '\t'));

    let md = escape::markdown(&text);
    assert!(!md.chars().any(is_hidden), "markdown: {md:?}");
    assert!(!md.contains(['<', '>']), "markdown holds a tag: {md:?}");
    // Every metacharacter is escaped: walk the run, a backslash takes the
    // next character with it.
    let mut unescaped = String::new();
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) if MARKDOWN_META.contains(n) => unescaped.push(n),
                // The backslash of a `\u{..}` escape: literal in Markdown.
                Some('u') => unescaped.push_str("\\u"),
                other => panic!("markdown: a backslash before {other:?}: {md:?}"),
            }
        } else {
            assert!(!MARKDOWN_META.contains(c), "markdown: a raw {c:?}: {md:?}");
            unescaped.push(c);
        }
    }
    let md_back = unentity(&unescaped, &[("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]);
    let md_text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    assert_eq!(md_back, shown(&md_text, |_| false), "markdown lost text");

    let html = escape::html(&text);
    assert!(
        !html.chars().any(|c| c != '\n' && c != '\t' && is_hidden(c)),
        "html: {html:?}"
    );
    assert!(
        !html.contains(['<', '>', '"', '\'']),
        "html holds markup: {html:?}"
    );
    let html_back = unentity(
        &html,
        &[
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#x27;", '\''),
            ("&#x2f;", '/'),
        ],
    );
    assert_eq!(
        html_back,
        shown(&text, |c| c == '\n' || c == '\t'),
        "html lost text"
    );
});
