//! Workings for `--explain`: every figure with its formula and the numbers
//! substituted, so a reader can recompute it by hand; plus the rounding that
//! keeps JSON output byte-stable.

use serde::Serialize;

/// One figure's working: what it is, its formula and the formula with the
/// inputs substituted, ending in the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainLine {
    /// The figure, e.g. `TOP` or `HHI os`.
    pub metric: String,
    /// The formula in symbols, e.g. `TOP = max_g s_g`.
    pub formula: String,
    /// The formula with this stack's numbers, e.g. `TOP = s_xiaomi = 1.0000`.
    pub workings: String,
}

impl ExplainLine {
    /// A new line.
    pub fn new(
        metric: impl Into<String>,
        formula: impl Into<String>,
        workings: impl Into<String>,
    ) -> Self {
        ExplainLine {
            metric: metric.into(),
            formula: formula.into(),
            workings: workings.into(),
        }
    }
}

/// Collects explain lines only when asked to, so the common path does not
/// pay for string formatting.
#[derive(Debug, Default)]
pub(crate) struct Explainer {
    on: bool,
    lines: Vec<ExplainLine>,
}

impl Explainer {
    pub(crate) fn new(on: bool) -> Self {
        Explainer {
            on,
            lines: Vec::new(),
        }
    }

    /// Add a line; `workings` is only evaluated when explaining.
    pub(crate) fn add(&mut self, metric: &str, formula: &str, workings: impl FnOnce() -> String) {
        if self.on {
            self.lines
                .push(ExplainLine::new(metric, formula, workings()));
        }
    }

    pub(crate) fn finish(self) -> Vec<ExplainLine> {
        self.lines
    }
}

/// Round to 4 decimals, the precision of every share and index in output.
/// Values within 1e-9 of zero become exactly 0 (never `-0.0`).
pub fn r4(x: f64) -> f64 {
    round_to(x, 1e4)
}

/// Round to 1 decimal, the precision of HHI figures (0–10,000).
pub fn r1(x: f64) -> f64 {
    round_to(x, 1e1)
}

fn round_to(x: f64, scale: f64) -> f64 {
    if !x.is_finite() || x.abs() < 1e-9 {
        return 0.0;
    }
    // Nudge by far less than the printed precision so that decimal halves
    // that binary floats store just below (0.19875 as 0.198749…) round up,
    // as a reader recomputing by hand would.
    let y = x * scale;
    let r = (y + 1e-6 * y.signum()).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

/// Serialise an f64 rounded to 4 decimals, for values kept at full
/// precision for computation (layer weights, fractions).
pub(crate) fn ser4<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(r4(*x))
}

/// A share or index as printed in workings: 4 decimals.
pub(crate) fn f4(x: f64) -> String {
    format!("{:.4}", r4(x))
}

/// An HHI as printed in workings: 1 decimal.
pub(crate) fn f1(x: f64) -> String {
    format!("{:.1}", r1(x))
}

/// A multiplier as written by the user (`1`, `0.5`, `2`), without noise.
pub(crate) fn fnum(x: f64) -> String {
    let r = r4(x);
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_stable_and_never_negative_zero() {
        assert_eq!(r4(0.176_470_588), 0.1765);
        assert_eq!(r4(-1e-12), 0.0);
        assert!(r4(-1e-12).is_sign_positive());
        assert_eq!(r4(f64::NAN), 0.0);
        assert_eq!(r1(7_337.500_000_000_001), 7337.5);
        // 2 × 0.075² + 0.25² + 0.25² + 0.15² + 0.2² is 0.19875 in decimals.
        let h_min: f64 = 2.0 * 0.075f64.powi(2) + 0.0625 + 0.0625 + 0.0225 + 0.04;
        assert_eq!(r4(h_min), 0.1988);
        assert_eq!(r4(-0.000_05), -0.0001);
        assert_eq!(f4(1.0), "1.0000");
        assert_eq!(fnum(2.0), "2");
        assert_eq!(fnum(0.5), "0.5");
    }

    #[test]
    fn explainer_only_formats_when_on() {
        let mut off = Explainer::new(false);
        off.add("x", "x = 1", || unreachable!("not evaluated when off"));
        assert!(off.finish().is_empty());
        let mut on = Explainer::new(true);
        on.add("x", "x = 1", || "x = 1".into());
        assert_eq!(on.finish().len(), 1);
    }
}
