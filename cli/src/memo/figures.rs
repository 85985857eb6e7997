//! One number format per quantity, everywhere a memo prints a figure:
//! HHI as an integer, shares as percentages with one decimal, TOP, VCI,
//! N_eff, layer weights and thresholds with two decimals. The templates
//! use the filters `hhi`, `percent` and `index`; the workings annex keeps
//! four decimals so each step can be recomputed, and [`stated_device`] and
//! [`stated_fleet`] give, for each of its lines, the figure as the memo
//! states it.
//!
//! Rounding is half up on the analysis's own (4-decimal) figures, as a
//! reader recomputing from the annex would round.

use crate::analyze::{DeviceConcentration, FleetConcentration, GroupShare};

/// `x` rounded half up to `decimals` places (`x` ≥ 0 in practice; a value
/// within 1e-9 of zero is 0).
fn round(x: f64, decimals: i32) -> f64 {
    if !x.is_finite() || x.abs() < 1e-9 {
        return 0.0;
    }
    let scale = 10f64.powi(decimals);
    let y = x * scale;
    // The nudge is far below the printed precision: a decimal half that a
    // binary float stores just below (0.665 as 0.66499…) rounds up.
    (y + 1e-6 * y.signum()).round() / scale
}

/// A share (0–1) as a percentage with one decimal: `42.4 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", round(share * 100.0, 1))
}

/// An HHI (0–10,000) as an integer: `2323`.
pub fn hhi(x: f64) -> String {
    format!("{:.0}", round(x, 0))
}

/// TOP, VCI, N_eff, a weight or a threshold with two decimals: `0.67`.
pub fn index(x: f64) -> String {
    format!("{:.2}", round(x, 2))
}

fn share_of(shares: &[GroupShare], group: &str) -> Option<String> {
    shares
        .iter()
        .find(|g| g.group == group)
        .map(|g| percent(g.share))
}

/// How the memo states the figure a device's workings line (`metric`)
/// ends in; `None` for the lines that only carry inputs (the weights w_l,
/// H_min).
pub fn stated_device(metric: &str, c: &DeviceConcentration) -> Option<String> {
    match metric {
        "TOP" => c.top.as_ref().map(|t| format!("TOP {}", index(t.share))),
        "H" => Some(format!("HHI {}", hhi(c.hhi))),
        "VCI" => Some(match c.vci {
            Some(v) => format!("VCI {}", index(v)),
            None => "VCI undefined".into(),
        }),
        "N_eff" => Some(format!("N_eff {}", index(c.n_eff))),
        "band" => Some(c.band.as_str().to_string()),
        m => m.strip_prefix("s_").and_then(|g| share_of(&c.groups, g)),
    }
}

/// How the memo states the figure a fleet workings line (`metric`) ends
/// in; `None` for the device weights line.
pub fn stated_fleet(metric: &str, f: &FleetConcentration) -> Option<String> {
    match metric {
        "HHI fleet" => Some(format!("HHI {}; N_eff {}", hhi(f.hhi), index(f.n_eff))),
        "single-vendor stacks" => Some(percent(f.single_vendor_stacks.share)),
        "data-path single vendor" => Some(percent(f.data_path_single_vendor.share)),
        "restricted exposure" => Some(percent(f.restricted_exposure)),
        m => {
            if let Some(layer) = m.strip_prefix("HHI ") {
                let l = f.layers.iter().find(|l| l.layer.as_str() == layer)?;
                return Some(format!("HHI {}", hhi(l.hhi)));
            }
            let key = m.strip_prefix("S_")?;
            match key.split_once(',') {
                Some((layer, group)) => {
                    let l = f.layers.iter().find(|l| l.layer.as_str() == layer)?;
                    share_of(&l.shares, group)
                }
                None => share_of(&f.pooled, key),
            }
        }
    }
}

/// Add `stated` (the figure as the memo states it) to each workings line
/// of `lines` (a JSON array of `ExplainLine`s) that ends in one.
pub fn annotate(lines: Option<&mut serde_json::Value>, stated: impl Fn(&str) -> Option<String>) {
    let Some(serde_json::Value::Array(lines)) = lines else {
        return;
    };
    for line in lines {
        let figure = line
            .get("metric")
            .and_then(serde_json::Value::as_str)
            .and_then(&stated);
        if let (Some(figure), Some(obj)) = (figure, line.as_object_mut()) {
            obj.insert("stated".into(), serde_json::Value::String(figure));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_format_per_quantity() {
        assert_eq!(percent(0.4242), "42.4 %");
        assert_eq!(percent(0.0091), "0.9 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(percent(0.0), "0.0 %");
        // Half up, as a reader rounds the annex's four decimals.
        assert_eq!(percent(0.1235), "12.4 %");
        assert_eq!(hhi(7337.5), "7338");
        assert_eq!(hhi(2323.2), "2323");
        assert_eq!(hhi(10_000.0), "10000");
        assert_eq!(index(0.6677), "0.67");
        assert_eq!(index(0.665), "0.67");
        assert_eq!(index(0.85), "0.85");
        assert_eq!(index(0.2), "0.20");
        assert_eq!(index(1.3629), "1.36");
        assert_eq!(index(-1e-12), "0.00");
    }
}
