//! The CNIL risk map of a DPIA: a 4 × 4 grid of severity (vertical, 4
//! Maximum at the top) by likelihood (horizontal, 1 Negligible at the
//! left), with each risk id in its cell before the measures (inherent
//! score) and after them (residual score), side by side. Cells are shaded
//! by level in greys and every id is written out, so the map reads in
//! black and white; the SVG carries a `<title>` and a `<desc>` that list
//! every placement in words. [`RiskMap`] is the same map as data, for the
//! Markdown table form.

use serde::Serialize;

use crate::decision::risks::{Risk, SCALE, level};

/// One cell of the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapCell {
    /// Likelihood 1–4 (the column).
    pub likelihood: u8,
    /// The cell's level (high, medium, low).
    pub level: &'static str,
    /// The ids of the risks in it, in register order.
    pub risks: Vec<String>,
}

/// One row of the map: a severity and its four cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapRow {
    /// Severity 1–4.
    pub severity: u8,
    /// Its CNIL scale word.
    pub word: &'static str,
    /// Cells by likelihood 1–4.
    pub cells: Vec<MapCell>,
}

/// The map before and after the measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskMap {
    /// Inherent scores, rows from severity 4 down to 1.
    pub before: Vec<MapRow>,
    /// Residual scores, rows from severity 4 down to 1.
    pub after: Vec<MapRow>,
    /// Risks without a residual score (not on the "after" map).
    pub not_assessed: Vec<String>,
}

fn word(score: u8) -> &'static str {
    SCALE
        .get(usize::from(score).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

fn grid<'a>(placed: impl Iterator<Item = (&'a str, u8, u8)> + Clone) -> Vec<MapRow> {
    (1..=4u8)
        .rev()
        .map(|s| MapRow {
            severity: s,
            word: word(s),
            cells: (1..=4u8)
                .map(|l| MapCell {
                    likelihood: l,
                    level: level(s, l),
                    risks: placed
                        .clone()
                        .filter(|(_, rs, rl)| *rs == s && *rl == l)
                        .map(|(id, _, _)| id.to_string())
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

impl RiskMap {
    /// The map of `risks`.
    pub fn of(risks: &[Risk]) -> RiskMap {
        let before = risks
            .iter()
            .map(|r| (r.id.as_str(), r.severity, r.likelihood));
        let after = risks
            .iter()
            .filter_map(|r| Some((r.id.as_str(), r.residual_severity?, r.residual_likelihood?)));
        RiskMap {
            before: grid(before),
            after: grid(after),
            not_assessed: risks
                .iter()
                .filter(|r| r.residual_severity.is_none() || r.residual_likelihood.is_none())
                .map(|r| r.id.clone())
                .collect(),
        }
    }
}

/// Escape for the SVG (XML), one line.
fn esc(s: &str) -> String {
    crate::escape::html(&s.replace(['\n', '\r'], " "))
}

/// Grey fill of a level: dark for high, light for medium, white for low.
fn fill(level: &str) -> &'static str {
    match level {
        "high" => "#bdbdbd",
        "medium" => "#e6e6e6",
        _ => "#ffffff",
    }
}

const LEFT: u32 = 84;
const CELL_W: u32 = 68;
const TOP: u32 = 34;
const GAP: u32 = 28;
const LINE: u32 = 13;
const IDS_PER_LINE: usize = 2;

/// Lines of ids a cell needs.
fn lines(cell: &MapCell) -> u32 {
    cell.risks.len().div_ceil(IDS_PER_LINE) as u32
}

/// Height of each row (severity 4 first), the same in both panels so
/// they line up.
fn row_heights(map: &RiskMap) -> Vec<u32> {
    map.before
        .iter()
        .zip(&map.after)
        .map(|(b, a)| {
            let most = b.cells.iter().chain(&a.cells).map(lines).max().unwrap_or(0);
            (10 + LINE * most).max(40)
        })
        .collect()
}

fn panel(out: &mut String, x0: u32, heading: &str, rows: &[MapRow], heights: &[u32]) {
    let grid_w = CELL_W * 4;
    out.push_str(&format!(
        "<text x=\"{}\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        x0 + LEFT + grid_w / 2,
        esc(heading)
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"10\">Severity</text>",
        x0 + LEFT - 6,
        TOP - 6
    ));
    let mut y = TOP;
    for (row, h) in rows.iter().zip(heights) {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"10\">{} {}</text>",
            x0 + LEFT - 6,
            y + h / 2 + 4,
            row.severity,
            esc(row.word)
        ));
        for cell in &row.cells {
            let x = x0 + LEFT + CELL_W * (u32::from(cell.likelihood) - 1);
            out.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{h}\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.75\"/>",
                fill(cell.level)
            ));
            let n = lines(cell);
            let first = y + h / 2 + 4 - (LINE * n.saturating_sub(1)) / 2;
            for (k, ids) in cell.risks.chunks(IDS_PER_LINE).enumerate() {
                out.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
                    x + CELL_W / 2,
                    first + LINE * k as u32,
                    esc(&ids.join(" "))
                ));
            }
        }
        y += h;
    }
    for l in 1..=4u8 {
        let x = x0 + LEFT + CELL_W * (u32::from(l) - 1) + CELL_W / 2;
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{l}</text><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
            y + 13,
            y + 25,
            esc(word(l))
        ));
    }
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">Likelihood</text>",
        x0 + LEFT + grid_w / 2,
        y + 39
    ));
}

/// Where each risk is, in words, for the SVG's `<desc>`.
fn describe(risks: &[Risk]) -> String {
    let at = |s: u8, l: u8| format!("severity {s} {}, likelihood {l} {}", word(s), word(l));
    let before: Vec<String> = risks
        .iter()
        .map(|r| format!("{} {}", r.id, at(r.severity, r.likelihood)))
        .collect();
    let after: Vec<String> = risks
        .iter()
        .map(|r| match (r.residual_severity, r.residual_likelihood) {
            (Some(s), Some(l)) => format!("{} {}", r.id, at(s, l)),
            _ => format!("{} not assessed", r.id),
        })
        .collect();
    format!(
        "Before measures: {}. After measures: {}.",
        if before.is_empty() {
            "no risks".to_string()
        } else {
            before.join("; ")
        },
        if after.is_empty() {
            "no risks".to_string()
        } else {
            after.join("; ")
        }
    )
}

/// The map as inline SVG: the inherent map and the residual map side by
/// side, a legend of the shading, and the risks not yet assessed.
pub fn svg(risks: &[Risk]) -> String {
    let map = RiskMap::of(risks);
    let heights = row_heights(&map);
    let grid_h: u32 = heights.iter().sum();
    let panel_w = LEFT + CELL_W * 4;
    let width = panel_w * 2 + GAP;
    let legend_y = TOP + grid_h + 58;
    let height = legend_y + if map.not_assessed.is_empty() { 8 } else { 24 };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"riskmap-title riskmap-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\"><title id=\"riskmap-title\">CNIL risk map: severity by likelihood, before and after the measures</title><desc id=\"riskmap-desc\">{}</desc>",
        esc(&describe(risks))
    );
    panel(
        &mut out,
        0,
        "Before measures (inherent)",
        &map.before,
        &heights,
    );
    panel(
        &mut out,
        panel_w + GAP,
        "After measures (residual)",
        &map.after,
        &heights,
    );
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{legend_y}\" font-size=\"10\">Shading by level (section 4):</text>"
    ));
    let mut x = LEFT + 150;
    for lvl in ["high", "medium", "low"] {
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.75\"/><text x=\"{}\" y=\"{legend_y}\" font-size=\"10\">{lvl}</text>",
            legend_y - 9,
            fill(lvl),
            x + 18
        ));
        x += 70;
    }
    if !map.not_assessed.is_empty() {
        out.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{}\" font-size=\"10\">Residual score not assessed, so not on the map after measures: {}</text>",
            legend_y + 16,
            esc(&map.not_assessed.join(", "))
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests;
