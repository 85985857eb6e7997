//! The report's "seen but not approved" section: what the policy's
//! inventories see in use on no approved stack, as one model (an intro, three
//! tables and the restricted-list lines) that the plain-text, Markdown and
//! HTML renderings share. Counts and product identifiers only.

use std::fmt::Write as _;

use crate::analyze::screening::Confidence;
use crate::escape;
use crate::inventory::{Counts, SeenNotApproved};
use crate::model::EntryStatus;
use crate::table::{Table, count};

/// The section's title.
pub const TITLE: &str = "Seen but not approved (device inventories)";

/// The section, ready to render.
pub struct Section {
    /// One paragraph: how many, where, as of when.
    pub intro: String,
    /// Labelled tables (absent when empty).
    pub tables: Vec<(String, Table)>,
    /// The restricted-list label and lines.
    pub restricted: (String, Vec<String>),
}

fn owners(c: &Counts) -> [String; 4] {
    [
        c.company.to_string(),
        c.personal.to_string(),
        c.unknown.to_string(),
        c.total().to_string(),
    ]
}

/// The section for `s`.
pub fn section(s: &SeenNotApproved) -> Section {
    let intro = format!(
        "{} of {} active in {} (as of {}) on no approved stack: {} company, {} personal, {} of unknown ownership. Pseudonymous counts only: no device or person is named.",
        count(s.devices.total(), "device"),
        s.active,
        s.inventories.join(", "),
        s.as_of,
        s.devices.company,
        s.devices.personal,
        s.devices.unknown,
    );
    let mut tables = Vec::new();
    if !s.stacks.is_empty() {
        let mut t = Table::new(&[
            "vendor group",
            "vendor",
            "stack or model",
            "company",
            "personal",
            "unknown",
            "total",
        ])
        .right_align(&[3, 4, 5, 6]);
        for r in &s.stacks {
            let what = match (&r.stack, &r.model) {
                (Some(stack), _) => format!("{stack} (catalogued, not approved)"),
                (None, Some(model)) => format!("{model} (unknown model)"),
                (None, None) => "catalogued model without a stack".to_string(),
            };
            let mut row = vec![r.group_name.clone(), r.vendor.clone(), what];
            row.extend(owners(&r.devices));
            t.row(row);
        }
        tables.push(("Stacks and models nobody approved".to_string(), t));
    }
    if !s.unknown_by_manufacturer.is_empty() {
        let mut t =
            Table::new(&["manufacturer as reported", "resolves to", "devices"]).right_align(&[2]);
        for u in &s.unknown_by_manufacturer {
            t.row(vec![
                u.manufacturer.clone(),
                u.vendor.clone(),
                u.devices.to_string(),
            ]);
        }
        tables.push((
            "Unknown models, by the manufacturer they report".to_string(),
            t,
        ));
    }
    if !s.unresolved.is_empty() {
        let mut t = Table::new(&[
            "manufacturer as reported",
            "models",
            "company",
            "personal",
            "unknown",
            "total",
        ])
        .right_align(&[2, 3, 4, 5]);
        for u in &s.unresolved {
            let mut row = vec![u.manufacturer.clone(), u.models.join(", ")];
            row.extend(owners(&u.devices));
            t.row(row);
        }
        tables.push((
            "Manufacturers nothing resolves (add them to catalog.yaml)".to_string(),
            t,
        ));
    }
    let lines = if !s.screened {
        vec!["not screened: no designations.yaml".to_string()]
    } else if s.restricted.is_empty() {
        vec!["none: no vendor or reported manufacturer of these devices matched a list entry (no match is not a safe harbour)".to_string()]
    } else {
        s.restricted
            .iter()
            .map(|h| {
                let kind = match (h.status, h.confidence) {
                    (EntryStatus::Historical, _) => "history",
                    (EntryStatus::Active, Confidence::Exact) => "RESTRICTED",
                    (EntryStatus::Active, Confidence::Possible) => "possible match",
                };
                format!(
                    "{kind}: {} ({} not approved): {}",
                    h.subject,
                    count(h.devices, "device"),
                    h.summary
                )
            })
            .collect()
    };
    Section {
        intro,
        tables,
        restricted: (
            "Restricted lists, on these vendors and manufacturers".to_string(),
            lines,
        ),
    }
}

/// The section as HTML.
pub fn html(o: &mut String, s: &SeenNotApproved) {
    let sec = section(s);
    let _ = writeln!(o, "<h2>{}</h2>", escape::html(TITLE));
    let _ = writeln!(o, "<p>{}</p>", escape::html(&sec.intro));
    for (label, t) in &sec.tables {
        let _ = writeln!(o, "<h3>{}</h3>", escape::html(label));
        o.push_str("<table>\n<thead><tr>");
        for (i, h) in t.headers.iter().enumerate() {
            let class = if t.right.contains(&i) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(o, "<th{class}>{}</th>", escape::html(h));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for row in &t.rows {
            o.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                let class = if t.right.contains(&i) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(o, "<td{class}>{}</td>", escape::html(c));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n");
    }
    let (label, lines) = &sec.restricted;
    let _ = writeln!(o, "<h3>{}</h3>\n<ul>", escape::html(label));
    for l in lines {
        let _ = writeln!(o, "<li>{}</li>", escape::html(l));
    }
    o.push_str("</ul>\n");
}
