//! Colour for people, never for programs: `--color auto|always|never`.
//!
//! `auto` (the default) colours a stream only when it is a terminal, and
//! follows the conventions every colour-aware tool shares (through anstream):
//! `NO_COLOR` (non-empty) turns colour off, `CLICOLOR_FORCE` (non-empty)
//! turns it on even in a pipe, `CLICOLOR=0` turns it off, and `TERM=dumb`
//! has none. `--color always` and `--color never` override all of them.
//!
//! Colour marks what a reader looks for first and nothing else: verdicts
//! (pass, FAIL, valid, invalid), gate levels (deny, warn) and diagnostic
//! severities. It is applied to the binary's rendered text after layout
//! (escape codes take no columns, so tables stay aligned); the library's
//! output is colour-free, and machine formats (JSON, SARIF, JUnit) are never
//! coloured.

use std::sync::OnceLock;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    // Plain comments: doc comments would become per-value help lines in
    // every subcommand's --help.
    // On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    #[default]
    Auto,
    // Always, also in pipes and files.
    Always,
    // Never.
    Never,
}

/// Whether stdout and stderr are coloured, decided once.
static CHOICE: OnceLock<(bool, bool)> = OnceLock::new();

/// Decide, from `--color` and the environment, whether each stream gets
/// colour. Later calls do nothing.
pub fn init(when: ColorWhen) {
    CHOICE.get_or_init(|| {
        ColorChoice::write_global(match when {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        });
        let on = |c: ColorChoice| !matches!(c, ColorChoice::Never | ColorChoice::Auto);
        (
            on(anstream::AutoStream::choice(&std::io::stdout())),
            on(anstream::AutoStream::choice(&std::io::stderr())),
        )
    });
}

/// What a coloured word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Passed, valid, verified: green.
    Good,
    /// Failed, denied, invalid, an error: bold red.
    Bad,
    /// A warning: yellow.
    Warn,
    /// Excepted, not applicable, a note: cyan.
    Note,
}

impl Tone {
    fn style(self) -> Style {
        match self {
            Tone::Good => Style::new().fg_color(Some(AnsiColor::Green.into())),
            Tone::Bad => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            Tone::Warn => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            Tone::Note => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        }
    }
}

/// Paints text for one stream, or leaves it alone when that stream has no
/// colour.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    on: bool,
}

impl Painter {
    /// For stdout.
    pub fn stdout() -> Painter {
        Painter {
            on: CHOICE.get().is_some_and(|c| c.0),
        }
    }

    /// For stderr.
    pub fn stderr() -> Painter {
        Painter {
            on: CHOICE.get().is_some_and(|c| c.1),
        }
    }

    /// A painter that paints (tests) or not.
    #[cfg(test)]
    pub fn with(on: bool) -> Painter {
        Painter { on }
    }

    /// `text` in `tone`.
    pub fn paint(self, text: &str, tone: Tone) -> String {
        if self.on && !text.is_empty() {
            let s = tone.style();
            format!("{s}{text}{s:#}")
        } else {
            text.to_string()
        }
    }

    /// Paint, on each line, the first of `prefixes` the line starts with
    /// once its indentation is skipped (e.g. `FAIL` in `  FAIL  signature`).
    /// A prefix matches only whole: followed by the end of the line, a
    /// space, `[`, `:` or `(`.
    pub fn line_prefixes(self, text: &str, prefixes: &[(&str, Tone)]) -> String {
        if !self.on {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 64);
        for line in text.split_inclusive('\n') {
            let body = line.trim_start_matches(' ');
            let indent = &line[..line.len() - body.len()];
            let hit = prefixes
                .iter()
                .find(|(p, _)| body.starts_with(p) && boundary(&body[p.len()..]));
            match hit {
                Some((p, tone)) => {
                    out.push_str(indent);
                    out.push_str(&self.paint(p, *tone));
                    out.push_str(&body[p.len()..]);
                }
                None => out.push_str(line),
            }
        }
        out
    }

    /// Paint every whole-word occurrence of `words` (a word is delimited by
    /// anything but letters, digits, `-` and `_`).
    pub fn words(self, text: &str, words: &[(&str, Tone)]) -> String {
        if !self.on {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut rest = text;
        'scan: while !rest.is_empty() {
            for (w, tone) in words {
                if rest.starts_with(w)
                    && boundary(&rest[w.len()..])
                    && !word_char_before(text, text.len() - rest.len())
                {
                    out.push_str(&self.paint(w, *tone));
                    rest = &rest[w.len()..];
                    continue 'scan;
                }
            }
            let Some(c) = rest.chars().next() else { break };
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// True when `rest` (what follows a match) starts at a word boundary.
fn boundary(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| !is_word_char(c))
}

/// True when the character before byte `at` of `text` is a word character.
fn word_char_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(is_word_char)
}

/// The verdict words of the human reports (verify, model verify, evidence
/// inspect, batch verify, validate), coloured at the start of a line.
pub const VERDICT_PREFIXES: &[(&str, Tone)] = &[
    ("pass", Tone::Good),
    ("ok", Tone::Good),
    ("valid:", Tone::Good),
    ("verified:", Tone::Good),
    ("FAIL", Tone::Bad),
    ("fail", Tone::Bad),
    ("ERROR", Tone::Bad),
    ("invalid:", Tone::Bad),
    ("unreadable:", Tone::Bad),
    ("NOT VERIFIED", Tone::Bad),
    ("NOT verified:", Tone::Bad),
    ("not verified:", Tone::Bad),
    ("changed", Tone::Bad),
    ("missing", Tone::Bad),
    ("extra", Tone::Bad),
    ("skip", Tone::Note),
    ("n/a", Tone::Note),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_changes_without_colour() {
        let p = Painter::with(false);
        let text = "  FAIL  signature  bad\ngate FAIL: x\n";
        assert_eq!(p.line_prefixes(text, VERDICT_PREFIXES), text);
        assert_eq!(p.words(text, &[("FAIL", Tone::Bad)]), text);
        assert_eq!(p.paint("x", Tone::Good), "x");
    }

    #[test]
    fn prefixes_are_painted_whole_and_keep_their_columns() {
        let p = Painter::with(true);
        let out = p.line_prefixes(
            "  pass  a\n  FAIL  b\n  passage\nvalid: f\n",
            VERDICT_PREFIXES,
        );
        let red = Tone::Bad.style();
        let green = Tone::Good.style();
        assert_eq!(
            out,
            format!(
                "  {green}pass{green:#}  a\n  {red}FAIL{red:#}  b\n  passage\n{green}valid:{green:#} f\n"
            )
        );
        let plain: String = anstream::adapter::strip_str(&out).to_string();
        assert_eq!(plain, "  pass  a\n  FAIL  b\n  passage\nvalid: f\n");
    }

    #[test]
    fn words_are_painted_only_whole() {
        let p = Painter::with(true);
        let red = Tone::Bad.style();
        assert_eq!(
            p.words("FAIL (1 deny) FAILED xFAIL FAIL", &[("FAIL", Tone::Bad)]),
            format!("{red}FAIL{red:#} (1 deny) FAILED xFAIL {red}FAIL{red:#}")
        );
    }
}
