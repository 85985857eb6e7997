//! Hostile names never change what a human reads: ANSI and OSC escape
//! sequences, bidi overrides, zero-width characters, HTML and Markdown in a
//! device or vendor name reach no output raw. Each medium has its own
//! escaping (terminal, Markdown, HTML), and `strata fmt` keeps invisible
//! characters as escapes in the files it rewrites.

use std::path::Path;

use super::run;
use crate::common::repo_like;

/// A name that tries everything: an OSC title sequence, a colour, a
/// right-to-left override, a zero-width space, an HTML tag, a line break
/// starting a Markdown heading and a `javascript:` link.
const HOSTILE: &str = r#""Pixel\e]0;pwned\a\e[31m\u202E(0.1)\u200B <img src=x onerror=alert(1)>\n# Injected heading [x](javascript:alert(1))""#;

/// Replace the first `key: value` line whose value is `old` in `file`.
fn set(dir: &Path, file: &str, line: &str, new: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(line), "{file} has no `{line}`");
    let key = line.split(':').next().unwrap();
    std::fs::write(&p, text.replacen(line, &format!("{key}: {new}"), 1)).unwrap();
}

fn hostile_fleet() -> tempfile::TempDir {
    let tmp = repo_like();
    let d = tmp.path();
    set(
        d,
        "fleet/stacks/pixel-9-pro.yaml",
        "  name: Google Pixel 9 Pro",
        HOSTILE,
    );
    set(d, "fleet/vendors.yaml", "    name: Alphabet Inc.", HOSTILE);
    tmp
}

/// No raw control character (but line breaks and tabs) and no bidi or
/// zero-width character.
fn no_hidden(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || strata::escape::is_invisible(c))
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in\n{text}");
}

/// Nothing the name tried to start: no forged line and, in Markdown and
/// HTML (`markup`), no tag and no link. On a terminal `<img>` is only text.
fn nothing_injected(what: &str, text: &str, markup: bool) {
    no_hidden(what, text);
    if markup {
        assert!(!text.contains("<img"), "{what}: a tag survived\n{text}");
    }
    // A Markdown link only means something in Markdown.
    if what.ends_with(" md") {
        assert!(
            !text.replace("\\]", "").contains("](javascript:"),
            "{what}: a link survived\n{text}"
        );
    }
    // In HTML a line break inside an element starts no heading.
    assert!(
        what.ends_with(" html")
            || !text
                .lines()
                .any(|l| l.trim_start().starts_with("# Injected")),
        "{what}: a heading was injected\n{text}"
    );
}

#[test]
fn hostile_names_stay_text_in_every_human_format() {
    let tmp = hostile_fleet();
    let d = tmp.path();
    let cases: &[&[&str]] = &[
        &["report", "fleet"],
        &["report", "fleet", "--format", "md"],
        &["report", "fleet", "--format", "html"],
        &["analyze", "fleet"],
        &[
            "memo",
            "procurement",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--format",
            "md",
        ],
        &[
            "memo",
            "procurement",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--format",
            "html",
        ],
        &[
            "memo",
            "dpia",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--format",
            "md",
        ],
        &[
            "memo",
            "dpia",
            "pixel-9-pro",
            "--fleet",
            "fleet",
            "--format",
            "html",
        ],
        &[
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--format",
            "md",
        ],
        &[
            "memo",
            "procurement",
            "--all",
            "--fleet",
            "fleet",
            "--format",
            "html",
        ],
    ];
    for args in cases {
        let r = run(d, args);
        let what = args.join(" ");
        assert!(r.code.is_some_and(|c| c < 2), "{what}: {}", r.text());
        nothing_injected(&what, &r.stdout, args.contains(&"--format"));
        no_hidden(&what, &r.stderr);
        // The name is there, shown.
        assert!(
            r.stdout.contains("\\u{202e}") && r.stdout.contains("\\u{1b}"),
            "{what}: the name's hidden characters are not shown\n{}",
            r.stdout
        );
    }
}

#[test]
fn fmt_keeps_invisible_characters_as_escapes() {
    let tmp = repo_like();
    let d = tmp.path();
    let stack = "fleet/stacks/pixel-9-pro.yaml";
    set(
        d,
        stack,
        "  name: Google Pixel 9 Pro",
        r#""Pixel\u202E9\u200B\u2066 Pro""#,
    );
    let r = run(d, &["fmt", stack]);
    assert_eq!(r.code, Some(0), "{}", r.text());
    let text = std::fs::read_to_string(d.join(stack)).unwrap();
    no_hidden("fmt", &text);
    assert!(
        text.contains(r#"name: "Pixel\u202e9\u200b\u2066 Pro""#),
        "{text}"
    );
    // And the escapes mean the same string: fmt is idempotent on it.
    let r = run(d, &["fmt", "--check", stack]);
    assert_eq!(r.code, Some(0), "{}", r.text());
}
