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

/// A device's findings, one line each: the decision, rejections, failed
/// evidence, flags, list hits, DPIA screening, undeclared facts and gate
/// findings.
pub(super) fn device_findings(d: &DeviceAnalysis, r: &super::DeviceReport) -> Vec<String> {
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
    if let Some(c) = &r.declarations {
        out.push(declarations_line(c));
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

/// The declarations document cited: file, digest, whether it speaks of
/// this attestation, and strata's conformance per requirement.
fn declarations_line(c: &super::DeclarationsCitation) -> String {
    let d = match &c.read {
        super::DeclarationsRead::Declared(d) => d,
        super::DeclarationsRead::Unreadable(why) => {
            return format!("declarations {}: unreadable: {why}", c.path);
        }
    };
    format!(
        "declarations {} ({}{}, {}){}",
        c.path,
        crate::digest::short(&c.sha256),
        d.evaluated
            .as_deref()
            .map(|t| format!(", evaluated {t}"))
            .unwrap_or_default(),
        binding(c),
        conformance(d)
    )
}

/// Whether a declarations document speaks of the attestation read.
fn binding(c: &super::DeclarationsCitation) -> &'static str {
    if c.current {
        "bound to this attestation"
    } else {
        "STALE: made for another version of the attestation; run `strata attest`"
    }
}

/// `: N of M requirements met (not: …); K claim(s); signatories: …`.
fn conformance(d: &crate::history::declarations::Declared) -> String {
    let all = d.by_strata().count();
    let unmet: Vec<String> = d
        .by_strata()
        .filter(|x| x.score < 1.0)
        .map(|x| format!("{} {:?}", x.requirement, x.score))
        .collect();
    let mut line = format!(": {} of {all} requirements met", all - unmet.len());
    if !unmet.is_empty() {
        line.push_str(&format!(" (not: {})", unmet.join(", ")));
    }
    line.push_str(&format!(
        "; {} claim(s); signatories: {}",
        d.claims.len(),
        if d.signatories.is_empty() {
            "none".to_string()
        } else {
            d.signatories.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    ));
    line
}

/// A declarations document as an evidence register cites it: its status
/// (bound or stale, requirements met, claims, signatories) or why it does
/// not read.
pub fn declarations_status(c: &super::DeclarationsCitation) -> String {
    match &c.read {
        super::DeclarationsRead::Declared(d) => format!("{}{}", binding(c), conformance(d)),
        super::DeclarationsRead::Unreadable(why) => format!("unreadable: {why}"),
    }
}

/// With observed counts, the devices on no approved stack in the pooled
/// exposure, by group.
pub(super) fn unlisted_line(a: &crate::analyze::FleetAnalysis) -> Option<String> {
    let c = a.counts.as_ref().filter(|c| !c.unlisted.is_empty())?;
    Some(format!(
        "of which on no approved stack (each device whole under its vendor group): {}",
        c.unlisted
            .iter()
            .map(|u| format!("{} {}", u.name, count(u.devices, "device")))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The headline: devices, units and the date.
fn headline(r: &Report) -> Block {
    let a = &r.analysis;
    Block::Heading(format!(
        "strata report: {}, {} ({})",
        count(a.devices.len() as u64, "device"),
        count(a.fleet.units, "unit"),
        r.date
    ))
}

/// A device's gate cell: `-` without a policy, `pass`, `pass (N warn)` or
/// `FAIL (N deny, M warn)`.
pub(super) fn gate_cell(r: &Report, dr: &super::DeviceReport) -> String {
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
    match (&r.gate, deny, warn) {
        (None, _, _) => "-".to_string(),
        (Some(_), 0, 0) => "pass".to_string(),
        (Some(_), 0, w) => format!("pass ({w} warn)"),
        (Some(_), d, w) => format!("FAIL ({d} deny, {w} warn)"),
    }
}

/// The gate notes a reader must see: expired and unused exceptions.
pub(super) fn gate_notes(g: &super::GateSummary) -> Vec<String> {
    g.notes
        .iter()
        .filter(|n| matches!(n.code, Code::ExceptionExpired | Code::ExceptionUnused))
        .map(|n| n.message.clone())
        .collect()
}

/// One row per device: attestation, top vendor, screening, DPIA, gate.
fn devices_table(r: &Report) -> Table {
    let a = &r.analysis;
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
        let gate = gate_cell(r, dr);
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
    t
}

/// The gate's verdict and its totals, when the fleet has a policy.
fn gate_blocks(r: &Report) -> Vec<Block> {
    let mut b = Vec::new();
    if let Some(g) = &r.gate {
        b.push(Block::Heading(format!(
            "Gate: {}",
            g.result.name().to_uppercase()
        )));
        b.push(Block::Para(format!(
            "policy {}: {} deny, {} warn, {} excepted over {} × {}",
            g.policy,
            g.summary.deny,
            g.summary.warn,
            g.summary.excepted,
            count(g.summary.devices as u64, "device"),
            count(g.summary.rules as u64, "rule"),
        )));
        let notes = gate_notes(g);
        if !notes.is_empty() {
            b.push(Block::Bullets(notes));
        }
    }
    b
}

/// The summary (`report -q`): the headline, the devices table and the gate
/// verdict.
fn summary_blocks(r: &Report) -> Vec<Block> {
    let mut b = vec![headline(r)];
    if let Some(c) = &r.analysis.counts {
        b.push(Block::Para(c.summary.clone()));
    }
    b.push(Block::Table(devices_table(r)));
    b.extend(gate_blocks(r));
    b
}

fn blocks(r: &Report) -> Vec<Block> {
    let a = &r.analysis;
    let mut b = vec![headline(r)];
    if let Some(c) = &a.counts {
        b.push(Block::Para(c.summary.clone()));
    }
    b.push(Block::Para(a.disclaimer.to_string()));
    b.push(Block::Heading("Devices".into()));
    b.push(Block::Table(devices_table(r)));

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
    let mut bullets = vec![format!("pooled exposure: {}", shares(&f.pooled, 4))];
    bullets.extend(unlisted_line(a));
    bullets.extend([
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
    ]);
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

    if let Some(s) = &r.seen_not_approved {
        let sec = super::seen::section(s);
        b.push(Block::Heading(super::seen::TITLE.into()));
        b.push(Block::Para(sec.intro));
        for (label, t) in sec.tables {
            b.push(Block::Para(format!("{label}:")));
            b.push(Block::Table(t));
        }
        let (label, lines) = sec.restricted;
        b.push(Block::Para(format!("{label}:")));
        b.push(Block::Bullets(lines));
    }

    b.extend(gate_blocks(r));
    b.push(Block::Heading("Not covered by this report".into()));
    b.push(Block::Bullets(
        r.limitations.iter().map(|s| s.to_string()).collect(),
    ));
    b
}

/// Plain text for a terminal.
pub fn text(r: &Report) -> String {
    text_of(blocks(r))
}

/// The summary as plain text: the headline, the devices table and the gate
/// verdict.
pub fn summary_text(r: &Report) -> String {
    text_of(summary_blocks(r))
}

fn text_of(blocks: Vec<Block>) -> String {
    let mut out = String::new();
    for block in blocks {
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
