//! The memos' charts: inline SVG bars of vendor-group shares, one row per
//! layer, coloured with one colour per vendor group for the whole document
//! ([`GroupColours`], the assignment the HTML report uses, so a group has
//! the same colour in every chart of a memo and in the report), and the
//! legend that names each colour. Each segment also carries its group's
//! name (as a label where it fits, always as a tooltip), so colour is never
//! the only carrier of meaning.

use serde::Serialize;

use crate::analyze::{DeviceAnalysis, FleetConcentration};
use crate::report::GroupColours;

/// One legend entry: a vendor group and its colours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendEntry {
    /// Group vendor id.
    pub group: String,
    /// Group legal name.
    pub name: String,
    /// Fill colour (`#rrggbb`).
    pub fill: &'static str,
    /// Label colour on the fill (`#rrggbb`).
    pub ink: &'static str,
}

/// The legend of `groups` (ids), in the colours' order, each once.
pub fn legend<'a>(
    colours: &GroupColours,
    groups: impl IntoIterator<Item = &'a str>,
) -> Vec<LegendEntry> {
    let wanted: Vec<&str> = groups.into_iter().collect();
    colours
        .groups()
        .iter()
        .filter(|(id, _)| wanted.contains(&id.as_str()))
        .map(|(id, name)| {
            let (fill, ink) = colours.of(id);
            LegendEntry {
                group: id.clone(),
                name: name.clone(),
                fill,
                ink,
            }
        })
        .collect()
}

/// The legend of every group in a device's stack.
pub fn device_legend(colours: &GroupColours, device: &DeviceAnalysis) -> Vec<LegendEntry> {
    legend(
        colours,
        device
            .layers
            .iter()
            .flat_map(|l| l.parts.iter().map(|p| p.vendor.group.as_str())),
    )
}

/// One segment of a bar: a group and its fraction of the row.
struct Segment<'a> {
    group: &'a str,
    name: &'a str,
    fraction: f64,
}

/// The segments of a list of shares.
fn segments(shares: &[crate::analyze::GroupShare]) -> Vec<Segment<'_>> {
    shares
        .iter()
        .map(|g| Segment {
            group: &g.group,
            name: &g.name,
            fraction: g.share,
        })
        .collect()
}

/// One bar: a label and its segments.
struct Row<'a> {
    label: String,
    segments: Vec<Segment<'a>>,
}

/// Escape for the SVG (XML): the HTML escaper, which also shows hidden
/// characters; line breaks become spaces (a label is one line).
fn esc(s: &str) -> String {
    crate::escape::html(&s.replace(['\n', '\r'], " "))
}

/// Average label width per character at 12 px sans-serif, for deciding
/// whether a name fits its segment.
const CHAR_WIDTH: f64 = 6.6;

/// `name`, shortened with an ellipsis to fit a segment `width` pixels wide,
/// or empty when not even two characters fit.
fn fit_label(name: &str, width: f64) -> String {
    let room = ((width - 10.0) / CHAR_WIDTH).floor().max(0.0) as usize;
    if name.chars().count() <= room {
        name.to_string()
    } else if room >= 2 {
        format!("{}…", name.chars().take(room - 1).collect::<String>())
    } else {
        String::new()
    }
}

fn bars(aria: &str, rows: &[Row<'_>], colours: &GroupColours) -> String {
    let (label_w, bar_w, row_h) = (90.0, 420.0, 28.0);
    let height = row_h * rows.len() as f64 + 12.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">",
        esc(aria),
        w = label_w + bar_w + 10.0
    );
    for (i, row) in rows.iter().enumerate() {
        let y = 6.0 + row_h * i as f64;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + row_h / 2.0 + 4.0,
            esc(&row.label)
        ));
        let mut x = label_w;
        for s in &row.segments {
            let w = bar_w * s.fraction;
            let (fill, ink) = colours.of(s.group);
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#fff\"><title>{}</title></rect>",
                row_h - 6.0,
                esc(&format!(
                    "{}: {} ({})",
                    row.label,
                    s.name,
                    super::figures::percent(s.fraction)
                ))
            ));
            // A name that does not fit its segment is shortened with an
            // ellipsis; the full name is in the tooltip and the legend.
            let label = fit_label(s.name, w);
            if !label.is_empty() {
                svg.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{ink}\">{}</text>",
                    x + 6.0,
                    y + row_h / 2.0 + 1.0,
                    esc(&label)
                ));
            }
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Which vendor group controls which layer of a device: one row per layer,
/// split by the parts' fractions.
pub fn stack_chart(device: &DeviceAnalysis, colours: &GroupColours) -> String {
    let rows: Vec<Row<'_>> = device
        .layers
        .iter()
        .map(|l| Row {
            label: l.layer.as_str().to_string(),
            segments: l
                .parts
                .iter()
                .map(|p| Segment {
                    group: &p.vendor.group,
                    name: &p.vendor.group_name,
                    fraction: p.fraction,
                })
                .collect(),
        })
        .collect();
    bars("Vendor group by layer", &rows, colours)
}

/// The fleet's concentration: each layer's shares S_{l,g}, then the pooled
/// exposure S_g.
pub fn fleet_chart(fleet: &FleetConcentration, colours: &GroupColours) -> String {
    let mut rows: Vec<Row<'_>> = fleet
        .layers
        .iter()
        .map(|l| Row {
            label: l.layer.as_str().to_string(),
            segments: segments(&l.shares),
        })
        .collect();
    rows.push(Row {
        label: "pooled".into(),
        segments: segments(&fleet.pooled),
    });
    bars("Fleet shares by layer and pooled", &rows, colours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit_their_segment_or_are_shortened() {
        assert_eq!(fit_label("Xiaomi Corporation", 420.0), "Xiaomi Corporation");
        let short = fit_label("Qualcomm Incorporated", 60.0);
        assert!(
            short.ends_with('…') && short.chars().count() == 7,
            "{short}"
        );
        assert_eq!(fit_label("NVIDIA", 12.0), "");
    }

    #[test]
    fn svg_text_is_escaped() {
        assert_eq!(esc("<b a=\"1\">&"), "&lt;b a=&quot;1&quot;&gt;&amp;");
    }
}
