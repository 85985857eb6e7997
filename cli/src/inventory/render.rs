//! The reconciliation for people and spreadsheets: plain text, Markdown and
//! self-contained HTML built from one outline (so the three say the same),
//! and CSV with one row per stack, unknown model and unresolved model.
//! Nothing here has a per-device identifier: the report counts devices.

use super::reconcile::{Counts, InventoryReport, SourceReport};
use super::screen::Via;
use crate::analyze::screening::Confidence;
use crate::diag::{Error, Result};
use crate::escape::{html as esc, markdown as md};
use crate::model::EntryStatus;
use crate::table::Table;

enum Block {
    Heading(u8, String),
    Para(String),
    Table(Table),
}

/// `N (a company, b personal, c unknown)`.
fn ownership(c: &Counts) -> String {
    format!(
        "{} ({} company, {} personal, {} unknown)",
        c.total(),
        c.company,
        c.personal,
        c.unknown
    )
}

fn counts_cells(c: &Counts) -> Vec<String> {
    vec![
        c.company.to_string(),
        c.personal.to_string(),
        c.unknown.to_string(),
        c.total().to_string(),
    ]
}

fn outline(r: &InventoryReport) -> Vec<Block> {
    let mut out = Vec::new();
    let t = &r.totals;
    out.push(Block::Heading(
        1,
        "Shadow fleet: devices in use against what was approved".into(),
    ));
    out.push(Block::Para(format!(
        "As of {}; records without a check-in for more than {} days are stale and counted apart. Device and user identities: {}.",
        r.as_of,
        r.stale_days,
        if r.pseudonyms == "none" {
            "not written (run without pseudonyms)".to_string()
        } else {
            "keyed pseudonyms (HMAC-SHA-256) only".to_string()
        }
    )));
    let mut summary = Table::new(&["devices in use", "company", "personal", "unknown", "total"])
        .right_align(&[1, 2, 3, 4]);
    let mut row = |name: &str, c: &Counts| {
        let mut cells = vec![name.to_string()];
        cells.extend(counts_cells(c));
        summary.row(cells);
    };
    row("approved stack", &t.approved);
    row("catalogued, not approved", &t.unapproved);
    row("unknown model", &t.unknown_model);
    row("unresolved manufacturer", &t.unresolved);
    row("seen but not approved", &t.not_approved());
    out.push(Block::Table(summary));
    out.push(Block::Para(format!(
        "{} active devices; apart from them: {} stale, {} duplicate and {} retired records.",
        t.active, t.stale, t.duplicates, t.retired
    )));
    for s in &r.sources {
        source(&mut out, s);
    }
    out.push(Block::Heading(2, "Restricted-list screening".into()));
    if r.screening.is_empty() {
        out.push(Block::Para(
            "No resolved vendor and no reported manufacturer matches a list entry (or the fleet has no designations.yaml). No match is not a safe harbour.".into(),
        ));
    } else {
        let mut tbl = Table::new(&[
            "subject",
            "screened as",
            "list",
            "entity",
            "status",
            "match",
            "devices",
        ])
        .right_align(&[6]);
        for h in &r.screening {
            tbl.row(vec![
                h.subject.clone(),
                match h.via {
                    Via::Vendor => "vendor".into(),
                    Via::ReportedManufacturer => "reported manufacturer".into(),
                },
                h.list.clone(),
                h.entity.clone(),
                match h.status {
                    EntryStatus::Active => "active".into(),
                    EntryStatus::Historical => "historical".into(),
                },
                match h.confidence {
                    Confidence::Exact => "exact".into(),
                    Confidence::Possible => "possible".into(),
                },
                h.devices.to_string(),
            ]);
        }
        out.push(Block::Table(tbl));
        for h in &r.screening {
            out.push(Block::Para(format!("- {}", h.summary)));
        }
    }
    if !r.warnings.is_empty() {
        out.push(Block::Heading(2, "Warnings".into()));
        for w in &r.warnings {
            let at = match (&w.file, w.position, &w.pointer) {
                (Some(f), Some(p), _) => format!("{}:{}", f.display(), p.line),
                (Some(f), None, Some(ptr)) => format!("{} {ptr}", f.display()),
                (Some(f), None, None) => f.display().to_string(),
                _ => String::new(),
            };
            out.push(Block::Para(format!("- {at}: {} [{}]", w.message, w.code)));
        }
    }
    out.push(Block::Para(
        "Decision support, not legal advice: matches on reported manufacturer strings are possible matches to confirm by hand.".into(),
    ));
    out
}

fn source(out: &mut Vec<Block>, s: &SourceReport) {
    out.push(Block::Heading(
        2,
        format!("{} ({})", s.path.display(), s.format.as_str()),
    ));
    out.push(Block::Para(format!(
        "{} files, {} records: devices in use {}; {} stale, {} duplicate, {} retired.",
        s.files,
        s.records,
        ownership(&s.ownership),
        s.stale,
        s.duplicates,
        s.retired
    )));
    if !s.modes.is_empty() {
        let modes: Vec<String> = s.modes.iter().map(|(m, n)| format!("{m} {n}")).collect();
        out.push(Block::Para(format!(
            "By management mode: {}.",
            modes.join(", ")
        )));
    }
    if !s.stacks.is_empty() {
        out.push(Block::Heading(3, "Catalogued models".into()));
        let mut tbl = Table::new(&[
            "stack", "approved", "vendor", "group", "company", "personal", "unknown", "total",
        ])
        .right_align(&[4, 5, 6, 7]);
        for row in &s.stacks {
            let mut cells = vec![
                row.stack.clone().unwrap_or_else(|| "(no stack)".into()),
                if row.approved { "yes" } else { "NO" }.into(),
                row.vendor.clone(),
                row.group.clone().unwrap_or_default(),
            ];
            cells.extend(counts_cells(&row.devices));
            tbl.row(cells);
        }
        out.push(Block::Table(tbl));
        for row in &s.stacks {
            for (rule, n) in &row.matched_by {
                out.push(Block::Para(format!("- {n} matched by {rule}")));
            }
        }
    }
    if !s.unknown_models.is_empty() {
        out.push(Block::Heading(3, "Unknown models, by manufacturer".into()));
        for g in &s.unknown_models {
            let reported: Vec<String> = g
                .reported_as
                .iter()
                .map(|(m, n)| format!("\"{m}\" {n}"))
                .collect();
            let models: Vec<String> = g
                .models
                .iter()
                .map(|m| format!("{} {}", m.model, m.devices.total()))
                .collect();
            out.push(Block::Para(format!(
                "- {} (group {}): devices {}; reported as {}; models: {}.",
                g.vendor,
                g.group.as_deref().unwrap_or("unknown"),
                ownership(&g.devices),
                reported.join(", "),
                models.join(", ")
            )));
        }
    }
    if !s.unresolved.is_empty() {
        out.push(Block::Heading(
            3,
            "Unresolved manufacturers (add them to catalog.yaml)".into(),
        ));
        for u in &s.unresolved {
            let models: Vec<String> = u
                .models
                .iter()
                .map(|m| format!("{} {}", m.model, m.devices.total()))
                .collect();
            out.push(Block::Para(format!(
                "- \"{}\": devices {}; models: {}.",
                u.manufacturer,
                ownership(&u.devices),
                models.join(", ")
            )));
        }
    }
}

/// Walk the outline, telling `emit` whether a block is a list item and
/// calling `list` with `true` when a list starts and `false` when it ends:
/// the list tracking the three renderers share.
fn walk(
    r: &InventoryReport,
    s: &mut String,
    mut list: impl FnMut(&mut String, bool),
    mut emit: impl FnMut(&mut String, Block, bool),
) {
    let mut in_list = false;
    for b in outline(r) {
        let is_item = matches!(&b, Block::Para(p) if p.starts_with("- "));
        if in_list != is_item {
            list(s, is_item);
        }
        in_list = is_item;
        emit(s, b, is_item);
    }
    if in_list {
        list(s, false);
    }
}

/// `s` ending in exactly one line break.
fn one_final_newline(mut s: String) -> String {
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// Plain text for a terminal (the binary escapes control characters at
/// its edge).
pub fn text(r: &InventoryReport) -> String {
    let mut s = String::new();
    walk(
        r,
        &mut s,
        |s, starts| {
            if !starts {
                s.push('\n');
            }
        },
        |s, b, is_item| match b {
            Block::Heading(1, h) => s.push_str(&format!("{h}\n\n")),
            Block::Heading(_, h) => s.push_str(&format!("{h}\n")),
            Block::Para(p) if is_item => s.push_str(&format!("  {p}\n")),
            Block::Para(p) => s.push_str(&format!("{p}\n\n")),
            Block::Table(t) => {
                s.push_str(&t.to_text("  "));
                s.push('\n');
            }
        },
    );
    one_final_newline(s)
}

/// Markdown a CIO can forward; every text from an export is escaped
/// (`strata::escape::markdown`), so a manufacturer string cannot start a
/// heading, a link or a tag.
pub fn markdown(r: &InventoryReport) -> String {
    let mut s = String::new();
    walk(
        r,
        &mut s,
        |s, starts| {
            if !starts {
                s.push('\n');
            }
        },
        |s, b, is_item| match b {
            Block::Heading(level, h) => {
                s.push_str(&"#".repeat(usize::from(level)));
                s.push_str(&format!(" {}\n\n", md(&h)));
            }
            Block::Para(p) if is_item => {
                s.push_str(&format!("- {}\n", md(p.trim_start_matches("- "))));
            }
            Block::Para(p) => s.push_str(&format!("{}\n\n", md(&p))),
            Block::Table(t) => {
                s.push_str(&t.to_markdown());
                s.push('\n');
            }
        },
    );
    one_final_newline(s)
}

/// A self-contained HTML page (no scripts, no external resources).
pub fn html(r: &InventoryReport) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Shadow fleet</title>\n<style>\nbody{font:14px/1.4 system-ui,sans-serif;max-width:60em;margin:2em auto;color:#111}\ntable{border-collapse:collapse;margin:.5em 0 1em}\nth,td{border:1px solid #bbb;padding:.2em .5em;text-align:left}\ntd.n{text-align:right}\n@media print{body{margin:0}}\n</style>\n</head>\n<body>\n",
    );
    walk(
        r,
        &mut s,
        |s, starts| s.push_str(if starts { "<ul>\n" } else { "</ul>\n" }),
        |s, b, is_item| match b {
            Block::Heading(level, h) => s.push_str(&format!("<h{level}>{}</h{level}>\n", esc(&h))),
            Block::Para(p) if is_item => {
                s.push_str(&format!("<li>{}</li>\n", esc(p.trim_start_matches("- "))));
            }
            Block::Para(p) => s.push_str(&format!("<p>{}</p>\n", esc(&p))),
            Block::Table(t) => {
                s.push_str("<table>\n<tr>");
                for h in &t.headers {
                    s.push_str(&format!("<th>{}</th>", esc(h)));
                }
                s.push_str("</tr>\n");
                for row in &t.rows {
                    s.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        let class = if t.right.contains(&i) {
                            " class=\"n\""
                        } else {
                            ""
                        };
                        s.push_str(&format!("<td{class}>{}</td>", esc(c)));
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</table>\n");
            }
        },
    );
    s.push_str("</body>\n</html>\n");
    s
}

/// CSV for spreadsheets: one row per catalogued stack, per unknown model
/// and per unresolved model, for each source.
pub fn csv(r: &InventoryReport) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::internal("cannot write the CSV", e);
    w.write_record([
        "source",
        "format",
        "status",
        "stack",
        "vendor",
        "group",
        "manufacturer",
        "model",
        "company",
        "personal",
        "unknown",
        "total",
    ])
    .map_err(fail)?;
    for s in &r.sources {
        let path = s.path.display().to_string();
        let mut put = |status: &str,
                       stack: &str,
                       vendor: &str,
                       group: &str,
                       manufacturer: &str,
                       model: &str,
                       c: &Counts|
         -> Result<()> {
            let counts = counts_cells(c);
            let mut rec = vec![
                path.as_str(),
                s.format.as_str(),
                status,
                stack,
                vendor,
                group,
                manufacturer,
                model,
            ];
            rec.extend(counts.iter().map(String::as_str));
            w.write_record(&rec).map_err(fail)
        };
        for row in &s.stacks {
            put(
                if row.approved {
                    "approved"
                } else {
                    "unapproved"
                },
                row.stack.as_deref().unwrap_or(""),
                &row.vendor,
                row.group.as_deref().unwrap_or(""),
                "",
                "",
                &row.devices,
            )?;
        }
        for g in &s.unknown_models {
            let reported = g
                .reported_as
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(" / ");
            for m in &g.models {
                put(
                    "unknown-model",
                    "",
                    &g.vendor,
                    g.group.as_deref().unwrap_or(""),
                    &reported,
                    &m.model,
                    &m.devices,
                )?;
            }
        }
        for u in &s.unresolved {
            for m in &u.models {
                put(
                    "unresolved",
                    "",
                    "",
                    "",
                    &u.manufacturer,
                    &m.model,
                    &m.devices,
                )?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::internal("cannot write the CSV", e))?;
    String::from_utf8(bytes).map_err(|e| Error::internal("cannot write the CSV", e))
}

/// Writes `--records`: one CSV row per record, pseudonyms only.
pub struct RecordWriter<'w> {
    w: ::csv::Writer<&'w mut dyn std::io::Write>,
    header: bool,
}

impl<'w> RecordWriter<'w> {
    /// A writer onto `w`.
    pub fn new(w: &'w mut dyn std::io::Write) -> RecordWriter<'w> {
        RecordWriter {
            w: ::csv::Writer::from_writer(w),
            header: false,
        }
    }

    /// Write one record (the header first).
    pub fn write(&mut self, r: &super::reconcile::RecordRow<'_>) -> Result<()> {
        let fail = |e: ::csv::Error| Error::internal("cannot write the records", e);
        if !self.header {
            self.header = true;
            self.w
                .write_record([
                    "source",
                    "device",
                    "user",
                    "status",
                    "state",
                    "stack",
                    "vendor",
                    "group",
                    "manufacturer",
                    "model",
                    "ownership",
                    "mode",
                    "last-seen",
                ])
                .map_err(fail)?;
        }
        let source = r.source.display().to_string();
        self.w
            .write_record([
                source.as_str(),
                r.device.as_deref().unwrap_or(""),
                r.user.as_deref().unwrap_or(""),
                r.status,
                r.state,
                r.stack.unwrap_or(""),
                r.vendor.unwrap_or(""),
                r.group.unwrap_or(""),
                r.manufacturer.unwrap_or(""),
                r.model.unwrap_or(""),
                r.ownership.as_str(),
                r.mode,
                r.last_seen.as_deref().unwrap_or(""),
            ])
            .map_err(fail)
    }

    /// Flush.
    pub fn finish(mut self) -> Result<()> {
        self.w
            .flush()
            .map_err(|e| Error::internal("cannot write the records", e))
    }
}
