//! Rendering the report: one document model ([`Block`]s) of plain text
//! (names from the fleet included) written out for terminals or as
//! Markdown for tickets and wikis, each piece escaped for its medium by
//! [`crate::escape`] (a hostile name stays text in both).

use super::Report;
use crate::analyze::{DeviceAnalysis, GroupShare};
use crate::diag::Code;
use crate::escape;
use crate::gate::Verdict;
use crate::table::{Table, count};

enum Block {
    Heading(String),
    Para(String),
    Table(Table),
    Bullets(Vec<String>),
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn shares(groups: &[GroupShare], n: usize) -> String {
    groups
        .iter()
        .take(n)
        .map(|g| format!("{} {}", g.name, pct(g.share)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn device_findings(d: &DeviceAnalysis, r: &super::DeviceReport) -> Vec<String> {
    let mut out = vec![format!("decision {}: {}", r.decision.as_str(), r.reason)];
    for rv in r
        .reviews
        .iter()
        .filter(|rv| rv.verdict == crate::model::Verdict::Reject)
    {
        out.push(format!(
            "review REJECT [{}] by {} on {}{}",
            rv.criteria.join(", "),
            rv.reviewer,
            rv.date,
            rv.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ));
    }
    for e in r.evidence.iter().filter(|e| e.failed()) {
        out.push(format!(
            "evidence verification FAILED: {}: {} ({})",
            e.layer, e.name, e.kind
        ));
    }
    for f in &d.flags {
        out.push(format!("{}: {}", f.code.as_str(), f.message));
    }
    for h in &d.screening.active {
        out.push(format!("RESTRICTED: {}; {}", h.hit.summary, h.located));
    }
    for h in &d.screening.possible {
        out.push(format!(
            "possible list match, confirm by hand: {}; {}",
            h.hit.summary, h.located
        ));
    }
    for h in &d.screening.historical {
        out.push(format!(
            "history (context, not a restriction): {}; {}",
            h.hit.summary, h.located
        ));
    }
    let met: Vec<&str> = d
        .dpia
        .criteria
        .iter()
        .filter(|c| c.met)
        .map(|c| c.code)
        .collect();
    let recorded = match &r.dpia_recorded {
        Some(x) => format!("; DPIA on record: {x}"),
        None => String::new(),
    };
    out.push(format!(
        "DPIA screening {} ({} of 9 WP248 criteria met{}{}){recorded}",
        d.dpia.outcome.as_str(),
        met.len(),
        if met.is_empty() { "" } else { ": " },
        met.join(" ")
    ));
    for u in &d.undeclared {
        out.push(format!(
            "not declared: {} (ask the {}; affects {})",
            u.what,
            u.ask.as_str(),
            u.affects.join(", ")
        ));
    }
    for c in &r.gate {
        let tag = match c.verdict {
            Verdict::Deny => "gate DENY",
            Verdict::Warn => "gate warn",
            Verdict::Excepted => "gate excepted",
            Verdict::Pass => continue,
        };
        let mut line = format!("{tag} [{}]: {}", c.rule, c.message);
        if let Some(ex) = &c.exception {
            line.push_str(&format!(" (exception until {}: {})", ex.expires, ex.reason));
        }
        out.push(line);
    }
    out
}

fn blocks(r: &Report) -> Vec<Block> {
    let a = &r.analysis;
    let mut b = Vec::new();
    b.push(Block::Heading(format!(
        "strata report: {}, {} ({})",
        count(a.devices.len() as u64, "device"),
        count(a.fleet.units, "unit"),
        r.date
    )));
    b.push(Block::Para(a.disclaimer.to_string()));

    b.push(Block::Heading("Devices".into()));
    let mut t = Table::new(&[
        "device",
        "units",
        "attestation",
        "top vendor",
        "TOP",
        "band",
        "restricted",
        "DPIA",
        "gate",
        "decision",
    ])
    .right_align(&[1, 4]);
    for (d, dr) in a.devices.iter().zip(&r.devices) {
        let top = d.concentration.top.as_ref();
        let deny = dr
            .gate
            .iter()
            .filter(|c| c.verdict == Verdict::Deny)
            .count();
        let warn = dr
            .gate
            .iter()
            .filter(|c| c.verdict == Verdict::Warn)
            .count();
        let gate = match (&r.gate, deny, warn) {
            (None, _, _) => "-".to_string(),
            (Some(_), 0, 0) => "pass".to_string(),
            (Some(_), 0, w) => format!("pass ({w} warn)"),
            (Some(_), d, w) => format!("FAIL ({d} deny, {w} warn)"),
        };
        t.row(vec![
            d.id.clone(),
            d.units.to_string(),
            dr.attestation.status.to_string(),
            top.map(|g| g.name.clone()).unwrap_or_default(),
            top.map(|g| format!("{:.2}", g.share)).unwrap_or_default(),
            d.concentration.band.as_str().to_string(),
            if d.screening.active.is_empty() {
                "none".into()
            } else {
                format!("{} HIT", d.screening.active.len())
            },
            d.dpia.outcome.as_str().to_string(),
            gate,
            dr.decision.as_str().to_string(),
        ]);
    }
    b.push(Block::Table(t));

    for (d, dr) in a.devices.iter().zip(&r.devices) {
        let mut title = format!("{}: {}, {}", d.id, d.name, count(d.units, "unit"));
        if let Some(o) = &d.owner {
            title.push_str(&format!(", owner {o}"));
        }
        if let Some(dep) = &d.deployment {
            title.push_str(&format!(" ({dep})"));
        }
        b.push(Block::Heading(title));
        let mut lt = Table::new(&["layer", "vendor group", "product"]);
        for l in &d.layers {
            let vendors = l
                .parts
                .iter()
                .map(|p| {
                    if l.parts.len() > 1 {
                        format!("{} {}", p.vendor.group_name, pct(p.fraction))
                    } else {
                        p.vendor.group_name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            lt.row(vec![
                l.layer.as_str().to_string(),
                vendors,
                l.product.clone(),
            ]);
        }
        b.push(Block::Table(lt));
        b.push(Block::Bullets(device_findings(d, dr)));
    }

    b.push(Block::Heading(
        "Fleet concentration (weighted by units × criticality)".into(),
    ));
    let f = &a.fleet;
    let mut bullets = vec![
        format!("pooled exposure: {}", shares(&f.pooled, 4)),
        format!(
            "fleet HHI {:.1} (effective number of vendor groups {:.2})",
            f.hhi, f.n_eff
        ),
        format!(
            "single-vendor stacks: {} of units ({} by weight)",
            pct(f.single_vendor_stacks.unit_share),
            pct(f.single_vendor_stacks.share)
        ),
        format!(
            "one vendor group on OS + model + services: {} of units",
            pct(f.data_path_single_vendor.unit_share)
        ),
    ];
    for l in &f.layers {
        bullets.push(format!(
            "{} layer HHI {:.1}: {}",
            l.layer.as_str(),
            l.hhi,
            shares(&l.shares, 3)
        ));
    }
    b.push(Block::Bullets(bullets));

    b.push(Block::Heading(
        "Restricted lists screened (user-kept snapshots)".into(),
    ));
    if a.lists.is_empty() {
        b.push(Block::Para(
            "No designations.yaml: no list was screened. No match is not a safe harbour.".into(),
        ));
    } else {
        let mut t =
            Table::new(&["list", "publisher", "snapshot", "active entries"]).right_align(&[3]);
        for l in &a.lists {
            t.row(vec![
                l.name.clone(),
                l.publisher.clone(),
                l.snapshot_date.clone(),
                l.active_entries.to_string(),
            ]);
        }
        b.push(Block::Table(t));
    }

    if let Some(g) = &r.gate {
        b.push(Block::Heading(format!(
            "Gate: {}",
            g.result.name().to_uppercase()
        )));
        b.push(Block::Para(format!(
            "policy {}: {} deny, {} warn, {} excepted over {} devices × {} rules",
            g.policy,
            g.summary.deny,
            g.summary.warn,
            g.summary.excepted,
            g.summary.devices,
            g.summary.rules
        )));
        let notes: Vec<String> = g
            .notes
            .iter()
            .filter(|n| matches!(n.code, Code::ExceptionExpired | Code::ExceptionUnused))
            .map(|n| n.message.clone())
            .collect();
        if !notes.is_empty() {
            b.push(Block::Bullets(notes));
        }
    }
    b.push(Block::Heading("Not covered by this report".into()));
    b.push(Block::Bullets(
        r.limitations.iter().map(|s| s.to_string()).collect(),
    ));
    b
}

/// Plain text for a terminal.
pub fn text(r: &Report) -> String {
    let mut out = String::new();
    for block in blocks(r) {
        match block {
            Block::Heading(h) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&escape::terminal(&h));
                out.push('\n');
            }
            Block::Para(p) => {
                out.push_str("  ");
                out.push_str(&escape::terminal(&p));
                out.push('\n');
            }
            Block::Table(t) => out.push_str(&t.to_text("  ")),
            Block::Bullets(items) => {
                for i in items {
                    out.push_str(&format!("  - {}\n", escape::terminal(&i)));
                }
            }
        }
    }
    out
}

/// Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let mut first = true;
    for block in blocks(r) {
        match block {
            Block::Heading(h) => {
                out.push_str(if first { "# " } else { "## " });
                first = false;
                out.push_str(&escape::markdown(&h));
                out.push_str("\n\n");
            }
            Block::Para(p) => {
                out.push_str(&escape::markdown(&p));
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                out.push_str(&t.to_markdown());
                out.push('\n');
            }
            Block::Bullets(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", escape::markdown(&i)));
                }
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
