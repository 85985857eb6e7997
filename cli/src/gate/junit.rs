//! JUnit XML output of a gate run: one testsuite per device, one testcase
//! per device × enabled rule. Deny findings are failures, excepted findings
//! are skipped with the exception's reason, warnings pass with the finding in
//! `system-out`, so CI dashboards show every rule that ran.

use std::collections::BTreeMap;

use super::{Check, GateReport, Verdict};

/// Escape text for XML 1.0 attribute and element content; characters XML
/// 1.0 cannot carry are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Render `report` as JUnit XML.
pub fn render(report: &GateReport) -> String {
    let mut by_device: BTreeMap<&str, Vec<&Check>> = BTreeMap::new();
    for c in &report.checks {
        by_device.entry(&c.device).or_default().push(c);
    }
    let count = |cs: &[&Check], v: Verdict| cs.iter().filter(|c| c.verdict == v).count();
    let all: Vec<&Check> = report.checks.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"strata gate\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        all.len(),
        count(&all, Verdict::Deny),
        count(&all, Verdict::Excepted)
    ));
    for (device, checks) in &by_device {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
            escape(device),
            checks.len(),
            count(checks, Verdict::Deny),
            count(checks, Verdict::Excepted)
        ));
        for c in checks {
            let open = format!(
                "    <testcase classname=\"strata.gate.{}\" name=\"{}\"",
                escape(&c.device),
                escape(c.rule.code())
            );
            match c.verdict {
                Verdict::Pass => out.push_str(&format!("{open}/>\n")),
                Verdict::Deny => out.push_str(&format!(
                    "{open}>\n      <failure type=\"deny\" message=\"{m}\">{m}</failure>\n    </testcase>\n",
                    m = escape(&c.message)
                )),
                Verdict::Warn => out.push_str(&format!(
                    "{open}>\n      <system-out>warn: {}</system-out>\n    </testcase>\n",
                    escape(&c.message)
                )),
                Verdict::Excepted => {
                    let reason = c
                        .exception
                        .as_ref()
                        .map(|e| format!("policy exception until {}: {}", e.expires, e.reason))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{open}>\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                        escape(&reason),
                        escape(&c.message)
                    ));
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
