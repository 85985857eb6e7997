//! `report --format html`: the fleet report as one self-contained page.
//!
//! No script, no network, no external stylesheet or font: the page is read
//! as it is, in a browser or printed (print CSS for A4). It shows what the
//! text report shows, laid out for the eye: a devices × layers matrix
//! coloured by vendor group (one colour per group across the whole page,
//! with a legend), per-layer and pooled concentration bars, restricted-list
//! hits with their dates, DPIA status, signature status, the gate verdict
//! and the decision ([`crate::decision`]) per device, then each device's
//! findings. Every name from the fleet is
//! escaped by [`escape::html`] (hidden characters shown) and isolated with
//! `<bdi>`, so a right-to-left override in a vendor name cannot reorder the
//! text around it. Colours are never the only carrier of meaning: every
//! coloured cell or segment also names its group.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;
use super::render::{device_findings, gate_cell};
use crate::analyze::{DeviceHit, FleetAnalysis, GroupShare};
use crate::escape;

/// Fill colours (Tableau 10) and a label colour with WCAG AA contrast on
/// each, for every chart strata draws (report and memos); a fleet with more
/// groups reuses them (the cells name their group).
pub const PALETTE: [(&str, &str); 10] = [
    ("#4e79a7", "#fff"),
    ("#f28e2b", "#000"),
    ("#59a14f", "#000"),
    ("#e15759", "#000"),
    ("#76b7b2", "#000"),
    ("#edc948", "#000"),
    ("#b07aa1", "#000"),
    ("#ff9da7", "#000"),
    ("#9c755f", "#fff"),
    ("#bab0ac", "#000"),
];

/// One colour per vendor group for a whole document: groups in order of
/// their pooled fleet share (largest first, ties by group id), then any
/// group that appears only in a layer, by id. The same fleet always gets
/// the same colours.
#[derive(Debug, Clone)]
pub struct GroupColours {
    order: Vec<(String, String)>,
}

impl GroupColours {
    /// The colours for every vendor group in `a`.
    pub fn for_fleet(a: &FleetAnalysis) -> GroupColours {
        let mut pooled: Vec<&GroupShare> = a.fleet.pooled.iter().collect();
        pooled.sort_by(|x, y| y.share.total_cmp(&x.share).then(x.group.cmp(&y.group)));
        let mut order: Vec<(String, String)> = pooled
            .iter()
            .map(|g| (g.group.clone(), g.name.clone()))
            .collect();
        let mut rest = BTreeMap::new();
        for d in &a.devices {
            for l in &d.layers {
                for p in &l.parts {
                    if !order.iter().any(|(id, _)| *id == p.vendor.group) {
                        rest.insert(p.vendor.group.clone(), p.vendor.group_name.clone());
                    }
                }
            }
        }
        order.extend(rest);
        GroupColours { order }
    }

    /// Fill and label colour of `group`.
    pub fn of(&self, group: &str) -> (&'static str, &'static str) {
        let i = self.order.iter().position(|(id, _)| id == group);
        i.map_or(("#ddd", "#000"), |i| PALETTE[i % PALETTE.len()])
    }

    /// The groups, in legend order: (id, name).
    pub fn groups(&self) -> &[(String, String)] {
        &self.order
    }
}

/// A name from the fleet: escaped and isolated.
fn name(s: &str) -> String {
    format!("<bdi>{}</bdi>", escape::html(s))
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #111; margin: 2rem auto; max-width: 90rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p.meta, p.disclaimer { color: #444; margin: .2rem 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap, th.nowrap { white-space: nowrap; }
div.wide { overflow-x: auto; }
table.matrix { font-size: .85rem; }
table.matrix td.layer { padding: 0; min-width: 5.5rem; height: 1px; }
.split { display: flex; height: 100%; min-height: 2.2rem; }
.split > span { display: block; padding: .25rem .35rem; overflow-wrap: break-word; hyphens: auto; }
.bar { display: flex; height: 1.4rem; border: 1px solid #888; width: 100%; max-width: 40rem; }
.bar > span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: .35rem 1rem; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { display: inline-block; width: 1rem; height: 1rem; border: 1px solid #666; }
.bad { color: #a00; font-weight: 600; }
.warn { color: #8a5a00; font-weight: 600; }
.good { color: #1a6b1a; font-weight: 600; }
.muted { color: #666; }
ul.findings { margin: .3rem 0 .8rem 1.2rem; padding: 0; }
section.device { break-inside: avoid; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  h2 { break-after: avoid; }
  tr, .bar, .legend { break-inside: avoid; }
  thead { display: table-header-group; }
  div.wide { overflow: visible; }
  table.matrix { font-size: 7pt; }
  table.matrix th, table.matrix td { padding: .1rem .2rem; }
  table.matrix td.layer { min-width: 0; }
  .split > span { padding: .1rem .2rem; }
}
";

/// The page.
pub fn html(r: &Report) -> String {
    let a = &r.analysis;
    let colours = GroupColours::for_fleet(a);
    let mut o = String::new();
    let title = format!(
        "strata report: {}, {} ({})",
        crate::table::count(a.devices.len() as u64, "device"),
        crate::table::count(a.fleet.units, "unit"),
        r.date
    );
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"meta\">Fleet root {root}. Weighted by units × criticality.</p>\n<p class=\"disclaimer\">{disc}</p>\n",
        t = escape::html(&title),
        root = name(&a.root),
        disc = escape::html(a.disclaimer),
    );
    if let Some(c) = &a.counts {
        let _ = writeln!(o, "<p class=\"meta\">{}</p>", name(&c.summary));
    }
    if let Some(g) = &r.gate {
        let verdict = g.result.name().to_uppercase();
        let class = if verdict == "PASS" { "good" } else { "bad" };
        let _ = writeln!(
            o,
            "<p>Gate: <strong class=\"{class}\">{verdict}</strong> ({} deny, {} warn, {} excepted; policy {}).</p>",
            g.summary.deny,
            g.summary.warn,
            g.summary.excepted,
            name(&g.policy)
        );
    }
    legend(&mut o, &colours);
    matrix(&mut o, r, &colours);
    concentration(&mut o, a, &colours);
    restricted(&mut o, r);
    if let Some(s) = &r.seen_not_approved {
        super::seen::html(&mut o, s);
    }
    devices(&mut o, r);
    gate(&mut o, r);
    o.push_str("<h2>Not covered by this report</h2>\n<ul>\n");
    for l in &r.limitations {
        let _ = writeln!(o, "<li>{}</li>", escape::html(l));
    }
    o.push_str("</ul>\n</body>\n</html>\n");
    o
}

fn legend(o: &mut String, colours: &GroupColours) {
    o.push_str("<h2>Vendor groups</h2>\n<ul class=\"legend\">\n");
    for (id, group) in colours.groups() {
        let (fill, _) = colours.of(id);
        let _ = writeln!(
            o,
            "<li><span class=\"swatch\" style=\"background:{fill}\"></span>{}</li>",
            name(group)
        );
    }
    o.push_str("</ul>\n");
}

/// A status word with its class: what a reader must notice is coloured
/// and bold, and says so in words too.
fn status_class(text: &str) -> &'static str {
    let t = text.to_ascii_lowercase();
    if t.contains("fail")
        || t.contains("invalid")
        || t.contains("hit")
        || t == "missing"
        || t == "reject"
    {
        "bad"
    } else if t.contains("warn")
        || t.contains("not verified")
        || t == "unsigned"
        || t == "defer"
        || t == "escalate"
    {
        "warn"
    } else if t.starts_with("pass")
        || t.contains("(verified)")
        || t == "none"
        || t.starts_with("approve")
    {
        "good"
    } else {
        ""
    }
}

fn status_td(text: &str) -> String {
    let class = status_class(text);
    if class.is_empty() {
        format!("<td>{}</td>", escape::html(text))
    } else {
        format!("<td class=\"{class}\">{}</td>", escape::html(text))
    }
}

fn matrix(o: &mut String, r: &Report, colours: &GroupColours) {
    let a = &r.analysis;
    o.push_str("<h2>Devices by layer</h2>\n<div class=\"wide\"><table class=\"matrix\">\n<thead><tr><th>device</th><th class=\"nowrap\">units</th>");
    let layers: Vec<_> = a.method.weights.iter().map(|w| w.layer).collect();
    for l in &layers {
        let _ = write!(o, "<th>{}</th>", escape::html(l.as_str()));
    }
    o.push_str("<th>TOP</th><th>attestation</th><th>restricted</th><th>DPIA</th><th>gate</th><th>decision</th></tr></thead>\n<tbody>\n");
    for (d, dr) in a.devices.iter().zip(&r.devices) {
        let _ = write!(
            o,
            "<tr><td>{}<br><span class=\"muted\">{}</span></td><td class=\"num\">{}</td>",
            name(&d.id),
            name(&d.name),
            d.units
        );
        for want in &layers {
            match d.layers.iter().find(|l| l.layer == *want) {
                None => o.push_str("<td class=\"muted\">n/a</td>"),
                Some(l) => {
                    o.push_str("<td class=\"layer\"><div class=\"split\">");
                    for p in &l.parts {
                        let (fill, ink) = colours.of(&p.vendor.group);
                        let label = if l.parts.len() > 1 {
                            format!("{} {}", name(&p.vendor.group_name), pct(p.fraction))
                        } else {
                            name(&p.vendor.group_name)
                        };
                        let _ = write!(
                            o,
                            "<span style=\"background:{fill};color:{ink};flex:{:.4} 1 0\" title=\"{}\">{label}</span>",
                            p.fraction,
                            escape::html(&format!("{}: {}", l.product, p.vendor.name))
                        );
                    }
                    o.push_str("</div></td>");
                }
            }
        }
        let top = d
            .concentration
            .top
            .as_ref()
            .map(|g| {
                format!(
                    "{:.2}<br>{}",
                    g.share,
                    escape::html(d.concentration.band.as_str())
                )
            })
            .unwrap_or_default();
        let restricted = if d.screening.active.is_empty() {
            "none".to_string()
        } else {
            format!("{} HIT", d.screening.active.len())
        };
        // The reference itself is in the device's findings.
        let dpia = match &dr.dpia_recorded {
            Some(_) => format!("{}, on record", d.dpia.outcome.as_str()),
            None => d.dpia.outcome.as_str().to_string(),
        };
        let _ = writeln!(
            o,
            "<td class=\"num\">{top}</td>{}{}<td>{}</td>{}{}</tr>",
            status_td(dr.attestation.status),
            status_td(&restricted),
            escape::html(&dpia),
            status_td(&gate_cell(r, dr)),
            status_td(dr.decision.as_str()),
        );
    }
    o.push_str("</tbody>\n</table></div>\n");
}

/// A horizontal bar of shares, one segment per group, with the figures in
/// words beside it.
fn bar(o: &mut String, shares: &[GroupShare], colours: &GroupColours) {
    o.push_str("<div class=\"bar\">");
    for g in shares {
        let (fill, _) = colours.of(&g.group);
        let _ = write!(
            o,
            "<span style=\"background:{fill};width:{:.2}%\" title=\"{}\"></span>",
            g.share * 100.0,
            escape::html(&format!("{} {}", g.name, pct(g.share)))
        );
    }
    o.push_str("</div>\n<p class=\"meta\">");
    let words: Vec<String> = shares
        .iter()
        .map(|g| format!("{} {}", name(&g.name), escape::html(&pct(g.share))))
        .collect();
    o.push_str(&words.join(", "));
    o.push_str("</p>\n");
}

fn concentration(o: &mut String, a: &FleetAnalysis, colours: &GroupColours) {
    let f = &a.fleet;
    o.push_str("<h2>Fleet concentration</h2>\n");
    let _ = writeln!(
        o,
        "<p>Fleet HHI {:.1} (effective number of vendor groups {:.2}). Single-vendor stacks: {} of units ({} by weight). One vendor group on OS + model + services: {} of units.</p>",
        f.hhi,
        f.n_eff,
        pct(f.single_vendor_stacks.unit_share),
        pct(f.single_vendor_stacks.share),
        pct(f.data_path_single_vendor.unit_share)
    );
    o.push_str("<h3>Pooled exposure</h3>\n");
    bar(o, &f.pooled, colours);
    if let Some(line) = super::render::unlisted_line(a) {
        let _ = writeln!(o, "<p>{}</p>", name(&line));
    }
    for l in &f.layers {
        let _ = writeln!(
            o,
            "<h3>{} layer: HHI {:.1}, {}</h3>",
            escape::html(l.layer.as_str()),
            l.hhi,
            crate::table::count(l.devices as u64, "device")
        );
        bar(o, &l.shares, colours);
    }
}

fn restricted(o: &mut String, r: &Report) {
    let a = &r.analysis;
    o.push_str("<h2>Restricted lists</h2>\n");
    if a.lists.is_empty() {
        o.push_str(
            "<p>No designations.yaml: no list was screened. No match is not a safe harbour.</p>\n",
        );
        return;
    }
    o.push_str("<table>\n<thead><tr><th>list screened</th><th>publisher</th><th class=\"nowrap\">snapshot</th><th>active entries</th></tr></thead>\n<tbody>\n");
    for l in &a.lists {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td class=\"num\">{}</td></tr>",
            name(&l.name),
            name(&l.publisher),
            escape::html(&l.snapshot_date),
            l.active_entries
        );
    }
    o.push_str("</tbody>\n</table>\n");
    let mut rows = Vec::new();
    for d in &a.devices {
        let kinds: [(&str, &[DeviceHit]); 3] = [
            ("RESTRICTED", &d.screening.active),
            ("possible match", &d.screening.possible),
            ("history", &d.screening.historical),
        ];
        for (kind, hits) in kinds {
            for h in hits {
                rows.push(format!(
                    "<tr><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td></tr>",
                    name(&d.id),
                    if kind == "RESTRICTED" {
                        format!("<td class=\"bad\">{kind}</td>")
                    } else {
                        format!("<td>{kind}</td>")
                    },
                    name(&h.hit.vendor),
                    name(&h.hit.entity),
                    name(&h.hit.list_name),
                    escape::html(h.hit.effective.as_deref().unwrap_or("")),
                    escape::html(h.hit.vacated.as_deref().unwrap_or("")),
                    escape::html(&h.hit.snapshot_date),
                ));
            }
        }
    }
    if rows.is_empty() {
        o.push_str("<p>No vendor of any device matched a list entry. No match is not a safe harbour.</p>\n");
    } else {
        o.push_str("<table>\n<thead><tr><th>device</th><th>kind</th><th>vendor</th><th>listed entity</th><th>list</th><th class=\"nowrap\">effective</th><th class=\"nowrap\">vacated</th><th class=\"nowrap\">snapshot</th></tr></thead>\n<tbody>\n");
        for row in rows {
            o.push_str(&row);
            o.push('\n');
        }
        o.push_str("</tbody>\n</table>\n");
    }
}

fn devices(o: &mut String, r: &Report) {
    o.push_str("<h2>Findings per device</h2>\n");
    for (d, dr) in r.analysis.devices.iter().zip(&r.devices) {
        let _ = write!(
            o,
            "<section class=\"device\">\n<h3>{}: {}, {}",
            name(&d.id),
            name(&d.name),
            escape::html(&crate::table::count(d.units, "unit"))
        );
        if let Some(owner) = &d.owner {
            let _ = write!(o, ", owner {}", name(owner));
        }
        o.push_str("</h3>\n<ul class=\"findings\">\n");
        for f in device_findings(d, dr) {
            let _ = writeln!(o, "<li>{}</li>", name(&f));
        }
        o.push_str("</ul>\n</section>\n");
    }
}

fn gate(o: &mut String, r: &Report) {
    let Some(g) = &r.gate else {
        o.push_str("<h2>Gate</h2>\n<p>No policy.yaml: the gate was not run.</p>\n");
        return;
    };
    let verdict = g.result.name().to_uppercase();
    let _ = writeln!(
        o,
        "<h2>Gate: {}</h2>\n<p>Policy {}: {} deny, {} warn, {} excepted over {} × {}.</p>",
        escape::html(&verdict),
        name(&g.policy),
        g.summary.deny,
        g.summary.warn,
        g.summary.excepted,
        escape::html(&crate::table::count(g.summary.devices as u64, "device")),
        escape::html(&crate::table::count(g.summary.rules as u64, "rule")),
    );
    let notes = super::render::gate_notes(g);
    if !notes.is_empty() {
        o.push_str("<ul>\n");
        for n in notes {
            let _ = writeln!(o, "<li>{}</li>", name(&n));
        }
        o.push_str("</ul>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_isolated() {
        let n = name("Pixel <img src=x onerror=alert(1)>\u{202E}1.0");
        assert!(n.starts_with("<bdi>") && n.ends_with("</bdi>"));
        assert!(!n.contains("<img"));
        assert!(!n.contains('\u{202E}'));
    }

    #[test]
    fn status_words_carry_their_class() {
        assert_eq!(status_class("FAIL (1 deny, 0 warn)"), "bad");
        assert_eq!(status_class("signature INVALID"), "bad");
        assert_eq!(status_class("signed (not verified)"), "warn");
        assert_eq!(status_class("pass (2 warn)"), "warn");
        assert_eq!(status_class("signed (verified)"), "good");
        assert_eq!(status_class("pass"), "good");
        assert_eq!(status_class("required"), "");
        assert_eq!(status_class("REJECT"), "bad");
        assert_eq!(status_class("DEFER"), "warn");
        assert_eq!(status_class("APPROVE WITH CONDITIONS"), "good");
    }
}
