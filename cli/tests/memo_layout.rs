//! The layout of the rendered memos (issue #14 item 15), on the real
//! binary's HTML and Markdown: one colour per vendor group across the
//! document (the report's assignment) with a legend, no literal backticks
//! in HTML, digests apart from prose in the evidence register, dates kept
//! on one line, one number format per quantity, print CSS that keeps a
//! device's section and short tables on one page.

use std::collections::BTreeMap;

use crate::common;

use common::{render, repo_like, strata};

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = strata(dir)
        .args(args)
        .args(["--now", "2026-11-26"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", render(&out, dir));
    String::from_utf8(out.stdout).unwrap()
}

fn memo(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["memo"];
    all.extend(args);
    all.extend(["--fleet", "fleet"]);
    run(dir, &all)
}

/// Group name → fill colour of every chart segment, failing on a group
/// drawn in two colours.
fn segment_colours(html: &str) -> BTreeMap<String, String> {
    let re =
        regex::Regex::new(r##"fill="(#[0-9a-f]{6})" stroke="#fff"><title>[^:<]+: ([^<]+) \("##)
            .unwrap();
    let mut seen = BTreeMap::new();
    for c in re.captures_iter(html) {
        let (fill, name) = (c[1].to_string(), c[2].to_string());
        if let Some(before) = seen.insert(name.clone(), fill.clone()) {
            assert_eq!(before, fill, "{name} is drawn in two colours");
        }
    }
    seen
}

/// Group name → colour of a legend (the memo's `<li>` or the report's).
fn legend_colours(html: &str) -> BTreeMap<String, String> {
    let re = regex::Regex::new(
        r#"<li><span class="swatch" style="background:(#[0-9a-f]{6})"></span>(?:<bdi>)?([^<]+)"#,
    )
    .unwrap();
    re.captures_iter(html)
        .map(|c| (c[2].to_string(), c[1].to_string()))
        .collect()
}

#[test]
fn one_colour_per_vendor_group_across_the_document_with_a_legend() {
    let tmp = repo_like();
    let report = run(tmp.path(), &["report", "fleet", "--format", "html"]);
    let report_colours = legend_colours(&report);
    assert_eq!(report_colours.len(), 10, "{report_colours:?}");
    let fleet = memo(tmp.path(), &["procurement", "--all", "--format", "html"]);
    // The fleet chart and every device chart colour a group alike, and
    // alike the HTML report.
    let drawn = segment_colours(&fleet);
    assert_eq!(drawn.len(), 10, "every group is drawn: {drawn:?}");
    let legend = legend_colours(&fleet);
    for (name, fill) in &drawn {
        assert_eq!(legend.get(name), Some(fill), "{name} in the legend");
        assert_eq!(
            report_colours.get(name),
            Some(fill),
            "{name} as in the report"
        );
    }
    assert!(fleet.contains("aria-label=\"Fleet shares by layer and pooled\""));
    assert_eq!(
        fleet.matches("<ul class=\"legend\"").count(),
        1 + common::EXAMPLE_DEVICES.len(),
        "the document's legend and one per device"
    );
    // A device memo uses the same colours, and its legend names the
    // groups of its chart only.
    for id in common::EXAMPLE_DEVICES {
        for kind in ["procurement", "dpia"] {
            let html = memo(tmp.path(), &[kind, id, "--format", "html"]);
            let drawn = segment_colours(&html);
            assert!(!drawn.is_empty(), "{kind} {id}");
            assert_eq!(legend_colours(&html), drawn, "{kind} {id}");
            for (name, fill) in &drawn {
                assert_eq!(report_colours.get(name), Some(fill), "{kind} {id}: {name}");
            }
        }
    }
}

#[test]
fn html_memos_show_no_markdown_and_keep_dates_and_figures_whole() {
    let tmp = repo_like();
    let date = regex::Regex::new(r"(.{0,21})\b(\d{4}-\d{2}-\d{2})\b").unwrap();
    let svg = regex::Regex::new(r"(?s)<svg.*?</svg>").unwrap();
    for id in common::EXAMPLE_DEVICES {
        for kind in ["procurement", "dpia"] {
            let html = memo(tmp.path(), &[kind, id, "--format", "html"]);
            assert!(!html.contains('`'), "{kind} {id}: a literal backtick");
            // No date outside a nowrap span can wrap at its hyphens: every
            // date in the body text is inside one.
            let body = &html[html.find("<body>").unwrap()..];
            for c in date.captures_iter(body) {
                let before = &c[1];
                assert!(
                    before.ends_with("<span class=\"nowrap\">")
                        || before.ends_with("<td class=\"date\">"),
                    "{kind} {id}: a bare date after {before:?}"
                );
            }
            // Outside the charts' tooltips, `%` is tied to its figure.
            let text = svg.replace_all(&html, "");
            assert!(!text.contains(" %"), "{kind} {id}: % apart from its figure");
        }
    }
    let html = memo(
        tmp.path(),
        &["procurement", "xiaomi-15s-pro-cn", "--format", "html"],
    );
    assert!(
        html.contains("does not use agent <code>miclaw</code> under its authority"),
        "library prose sets names as code"
    );
    assert!(html.contains("expires <span class=\"nowrap\">2027-05-31</span>"));
    assert!(
        html.contains(
            "holds TOP 1.00; VCI 1.00, effective number of vendor groups 1.00, HHI 10000:"
        ),
        "one format per quantity"
    );
}

#[test]
fn the_register_sets_digests_apart_from_prose() {
    let tmp = repo_like();
    let html = memo(
        tmp.path(),
        &["procurement", "xiaomi-15s-pro-cn", "--format", "html"],
    );
    let register = &html[html.find("<h2>Annex A. Evidence register</h2>").unwrap()..];
    let register = &register[..register.find("</table>").unwrap()];
    // A review's note is prose in its own span, its digest in another: only
    // the digest may break anywhere.
    let re = regex::Regex::new(
        r#"<td><span class="digest">sha256:[0-9a-f]{64}</span><span class="remark">Re-recorded for the attestation"#,
    )
    .unwrap();
    assert_eq!(re.find_iter(register).count(), 3, "{register}");
    assert!(!register.contains("<td class=\"digest\""), "{register}");
    assert!(register.contains("<col class=\"status\">"));
    // The CSS: word-break only for digests, overflow-wrap for code and
    // the register's fixed columns, never on every cell.
    let css = &html[..html.find("</style>").unwrap()];
    assert!(css.contains(".digest {") && css.contains("word-break: break-all"));
    assert_eq!(css.matches("word-break").count(), 1, "{css}");
    // No markup where it cannot go: the running footer is a CSS string.
    assert!(
        css.contains("@bottom-left { content: \"Procurement memo, 2026-11-26\";"),
        "{css}"
    );
    assert!(!css.contains("<span") && !css.contains("<code"), "{css}");
    let td = css
        .lines()
        .find(|l| l.trim_start().starts_with("th, td {"))
        .unwrap();
    assert!(!td.contains("overflow-wrap"), "{td}");
    // The Markdown register keeps its five columns.
    let md = memo(tmp.path(), &["procurement", "xiaomi-15s-pro-cn"]);
    assert!(md.contains("| Id | Kind | Evidence | Detail | Status |"));
}

#[test]
fn print_css_keeps_sections_and_short_tables_on_one_page() {
    let tmp = repo_like();
    let fleet = memo(tmp.path(), &["procurement", "--all", "--format", "html"]);
    assert!(fleet.contains("section.device, .keep { break-inside: avoid; }"));
    assert_eq!(
        fleet.matches("<section class=\"device\">").count(),
        common::EXAMPLE_DEVICES.len()
    );
    assert!(fleet.contains("<table class=\"keep compact\">"));
    let dpia = memo(tmp.path(), &["dpia", "laptop", "--format", "html"]);
    assert!(dpia.contains("<table class=\"meta keep\">"));
    assert!(
        dpia.matches("<table class=\"keep\">").count() >= 3,
        "{dpia}"
    );
}
