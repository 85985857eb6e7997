//! One escaping layer per output medium, for every string strata did not
//! write itself (device, vendor and product names, answers, certificate
//! SANs, keys and values quoted in messages, file names).
//!
//! - [`terminal`]: one line of text for a terminal. Control characters (an
//!   escape sequence, a newline, a NUL) and the characters that reorder or
//!   hide text ([`is_invisible`]: bidi overrides and isolates, zero-width
//!   characters) are shown as Rust-style escapes such as `\u{1b}` and
//!   `\u{202e}`, so a name can neither colour, move nor forge a line.
//!   [`terminal_lines`] is the same for a whole rendered output, keeping
//!   its line breaks and tabs: the binary passes everything it writes for
//!   a human through it, as a last line of defence.
//! - [`markdown`]: one inline run of Markdown. The terminal escapes, line
//!   breaks as spaces, HTML metacharacters as entities and the Markdown
//!   ones (`\`, `` ` ``, `*`, `_`, `[`, `]`, `#`, `|`, `~`, `!`) behind a
//!   backslash: no heading, link, image, table cell or tag can start inside
//!   a value. A pair of backticks stays a code span (strata writes names as
//!   `` `miclaw` ``): its text is literal in Markdown, so only `|` (which
//!   ends a GFM table cell even there), line breaks and hidden characters
//!   are changed in it.
//! - [`html`]: text for an HTML element or attribute: `&`, `<`, `>`, `"`,
//!   `'`, `/` as entities (as minijinja's HTML autoescape) and hidden characters made visible as in
//!   [`terminal`]. Templates isolate interpolated names from the text
//!   around them (`unicode-bidi: isolate`).
//!
//! JSON, SARIF and JUnit output is escaped by its serialiser.

use std::borrow::Cow;

/// Whether `c` reorders or hides text without being a control character:
/// the bidi embeddings, overrides, isolates and marks (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069), zero-width and invisible
/// characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+00AD, U+180E,
/// U+034F), line and paragraph separators (U+2028, U+2029), deprecated
/// format controls (U+206A–U+206F), interlinear annotations
/// (U+FFF9–U+FFFB) and the invisible tag characters (U+E0000–U+E007F).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Whether `c` must never reach a reader raw: a control character or an
/// [invisible](is_invisible) one.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Escape the characters `hide` selects as `\u{..}`.
fn shown(text: &str, hide: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hide) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hide(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line for a terminal: every control and invisible character shown
/// as `\u{..}` (a newline too).
pub fn terminal(text: &str) -> Cow<'_, str> {
    shown(text, is_hidden)
}

/// A whole output for a terminal: as [`terminal`], but line breaks and
/// tabs are kept.
pub fn terminal_lines(text: &str) -> Cow<'_, str> {
    shown(text, |c| c != '\n' && c != '\t' && is_hidden(c))
}

/// Text for Markdown: a pair of backticks stays a code span, its text
/// literal but for `|`, line breaks and hidden characters
/// ([`markdown_code`]), so a name written as `` `miclaw` `` renders as code
/// rather than as escaped backticks; everything else is escaped by
/// [`markdown_text`].
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    backtick_pairs(
        text,
        |t, out| out.push_str(&markdown_text(t)),
        |code, out| {
            out.push('`');
            out.push_str(&markdown_code(code));
            out.push('`');
        },
        &mut out,
    );
    out
}

/// Walk `s`, handing the text between a pair of backticks (with something
/// other than spaces between them) to `code` and all else, lone backticks
/// included, to `text`.
pub fn backtick_pairs(
    s: &str,
    text: impl Fn(&str, &mut String),
    code: impl Fn(&str, &mut String),
    out: &mut String,
) {
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if !after[..close].trim().is_empty() => {
                text(&rest[..open], out);
                code(&after[..close], out);
                rest = &after[close + 1..];
            }
            _ => {
                text(&rest[..open + 1], out);
                rest = after;
            }
        }
    }
    text(rest, out);
}

/// One inline run of Markdown (a table cell, a list item, a heading, a
/// sentence); see the module note.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// The text of a Markdown code span (between backticks): literal there, so
/// nothing is escaped but what could still break out or hide: `|` (a GFM
/// table cell ends at it even inside a code span), line breaks (a space)
/// and hidden characters (made visible). Never contains a backtick: the
/// caller splits on them.
pub fn markdown_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            c if is_hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Text for HTML, in an element or a quoted attribute; see the module note.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "Pixel\u{1b}]8;;http://x\u{7}\u{202e}1.0\u{2066}\u{200b}\n# Injected <img src=x onerror=alert(1)> [x](javascript:alert(1))";

    fn no_raw_hidden(s: &str) {
        assert!(!s.chars().any(is_invisible), "{s:?}");
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{s:?}"
        );
    }

    #[test]
    fn terminal_text_shows_every_hidden_character() {
        let t = terminal(HOSTILE);
        no_raw_hidden(&t);
        assert!(!t.contains('\n'));
        assert!(
            t.contains("\\u{1b}]8;;") && t.contains("\\u{202e}1.0"),
            "{t}"
        );
        assert_eq!(
            terminal("Xiaomi Communications Co., Ltd."),
            "Xiaomi Communications Co., Ltd."
        );
        assert!(matches!(terminal("plain é 中文"), Cow::Borrowed(_)));
        let lines = terminal_lines("a\tb\nc\u{1b}[2J\u{2067}");
        assert_eq!(lines, "a\tb\nc\\u{1b}[2J\\u{2067}");
    }

    #[test]
    fn markdown_runs_cannot_start_blocks_links_or_tags() {
        let m = markdown(HOSTILE);
        no_raw_hidden(&m);
        assert!(
            !m.contains('\n') && !m.contains('<') && !m.replace("\\]", "").contains("]("),
            "{m}"
        );
        assert!(m.contains("\\# Injected &lt;img"), "{m}");
        assert_eq!(markdown("a|b_c*d"), "a\\|b\\_c\\*d");
        assert_eq!(markdown("AT&T (US), v1.2-3"), "AT&amp;T (US), v1.2-3");
    }

    #[test]
    fn html_text_has_no_tags_or_hidden_characters() {
        let h = html(HOSTILE);
        no_raw_hidden(&h);
        assert!(
            !h.contains('<') && !h.contains('>') && !h.contains('"'),
            "{h}"
        );
        assert!(h.contains("&lt;img src=x"), "{h}");
        assert_eq!(html("O'Neil & \"Co\""), "O&#x27;Neil &amp; &quot;Co&quot;");
    }
}
