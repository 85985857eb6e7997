//! How an interpolated value is set in an HTML memo: escaped by
//! [`crate::escape::html`], then three typographic marks the Markdown
//! memo does not need.
//!
//! - Text between a pair of backticks (the library writes names as
//!   `` agent `miclaw` ``) becomes `<code>…</code>`, so no backtick is left
//!   on the printed page.
//! - A date (`2026-11-26`, optionally with a time `T09:30:00Z`) is kept on
//!   one line (`<span class="nowrap">`): a date never wraps at its hyphens.
//! - A percent sign after a figure is tied to it with a no-break space.
//!
//! The marks are added after escaping, around text that is already
//! escaped, so a value cannot open a tag of its own. Where markup cannot
//! go (the `<title>`, the running footer inside CSS, an attribute) the
//! templates use [`plain`], which escapes only.

use crate::escape;

/// Escape `text` for HTML, with no markup added.
pub fn plain(text: &str) -> String {
    escape::html(text)
}

/// Escape `text` for HTML and add the marks: code for backtick pairs,
/// dates kept on one line, `%` tied to its figure.
pub fn html(text: &str) -> String {
    let escaped = escape::html(text);
    let coded = code_spans(&escaped);
    let dated = dates(&coded);
    dated.replace(" %", "\u{a0}%")
}

/// `` `x` `` → `<code>x</code>` for every pair of backticks with something
/// between them; a lone backtick stays as it is.
fn code_spans(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    escape::backtick_pairs(
        s,
        |t, out| out.push_str(t),
        |code, out| {
            out.push_str("<code>");
            out.push_str(code);
            out.push_str("</code>");
        },
        &mut out,
    );
    out
}

/// The length of a date at the start of `b` (`YYYY-MM-DD`, optionally
/// `THH:MM`, `:SS`, and `Z` or `±HH:MM`), or 0.
fn date_len(b: &[u8]) -> usize {
    let digits = |from: usize, n: usize| {
        b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0, 4) && at(4, b'-') && digits(5, 2) && at(7, b'-') && digits(8, 2)) {
        return 0;
    }
    let mut n = 10;
    if at(n, b'T') && digits(n + 1, 2) && at(n + 3, b':') && digits(n + 4, 2) {
        n += 6;
        if at(n, b':') && digits(n + 1, 2) {
            n += 3;
        }
        if at(n, b'Z') {
            n += 1;
        } else if (at(n, b'+') || at(n, b'-'))
            && digits(n + 1, 2)
            && at(n + 3, b':')
            && digits(n + 4, 2)
        {
            n += 6;
        }
    }
    n
}

/// Wrap every date that stands on its own (no letter or digit right
/// before or after it) in `<span class="nowrap">`.
fn dates(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 32);
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        let n = if starts { date_len(&b[i..]) } else { 0 };
        if n > 0 && b.get(i + n).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            // Dates are ASCII: `i` and `i + n` are character boundaries.
            out.push_str(&s[copied..i]);
            out.push_str("<span class=\"nowrap\">");
            out.push_str(&s[i..i + n]);
            out.push_str("</span>");
            i += n;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backtick_pairs_become_code_and_lone_ones_stay() {
        assert_eq!(
            html("agent `miclaw` cannot be disabled (`can-disable: false`)"),
            "agent <code>miclaw</code> cannot be disabled (<code>can-disable: false</code>)"
        );
        assert_eq!(html("a ` b"), "a ` b");
        assert_eq!(html("``"), "``");
        assert_eq!(html("`a` and `b"), "<code>a</code> and `b");
    }

    #[test]
    fn markdown_keeps_backtick_pairs_as_code_spans() {
        use crate::escape::markdown;
        assert_eq!(
            markdown("agent `miclaw` cannot be disabled (`can-disable: false`)"),
            "agent `miclaw` cannot be disabled (`can-disable: false`)"
        );
        // Outside a pair everything is escaped; a lone backtick too.
        assert_eq!(markdown("a ` b *c*"), "a \\` b \\*c\\*");
        assert_eq!(markdown("` `"), "\\` \\`");
        // Inside a pair the text is literal, but a cell cannot end, a line
        // cannot break and a hidden character shows.
        assert_eq!(
            markdown("`<img src=x>|a\n# b\u{202e}` | x"),
            "`<img src=x>\\|a # b\\u{202e}` \\| x"
        );
    }

    #[test]
    fn markup_never_lets_a_value_open_a_tag() {
        let out = html("`<script>alert(1)</script>` on 2026-11-26");
        assert_eq!(
            out,
            "<code>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</code> on <span class=\"nowrap\">2026-11-26</span>"
        );
        assert!(!out.contains("<script"));
        assert_eq!(plain("`x` 2026-11-26 5 %"), "`x` 2026-11-26 5 %");
    }

    #[test]
    fn dates_stay_on_one_line() {
        for (text, want) in [
            (
                "expires 2027-05-31",
                "expires <span class=\"nowrap\">2027-05-31</span>",
            ),
            (
                "on 2026-11-26T09:30:00Z.",
                "on <span class=\"nowrap\">2026-11-26T09:30:00Z</span>.",
            ),
            (
                "2026-11-26T09:30+01:00",
                "<span class=\"nowrap\">2026-11-26T09:30+01:00</span>",
            ),
            // Not dates: inside a longer token, or malformed.
            ("id-2026-11-26x", "id-2026-11-26x"),
            ("v12026-11-26", "v12026-11-26"),
            ("2026-1-26", "2026-1-26"),
            ("sha256:2026", "sha256:2026"),
        ] {
            assert_eq!(html(text), want, "{text}");
        }
    }

    #[test]
    fn a_percent_sign_is_tied_to_its_figure() {
        assert_eq!(html("42.4 % of units"), "42.4\u{a0}% of units");
    }

    #[test]
    fn non_ascii_text_around_dates_is_kept() {
        assert_eq!(
            html("über 2026-11-26 — fin"),
            "über <span class=\"nowrap\">2026-11-26</span> — fin"
        );
    }
}
