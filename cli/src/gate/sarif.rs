//! SARIF 2.1.0 output of a gate run, for GitHub code scanning and other
//! SARIF consumers.
//!
//! One run, the rule catalogue as `tool.driver.rules`, one result per
//! finding located at the device's entry in the approved-device list, or,
//! for an inventory rule, at the inventory file or directory judged.
//! Excepted findings carry an external suppression with the exception's
//! reason, so scanners show them as dismissed rather than dropping them.

use serde_json::{Value, json};

use super::{GateReport, Verdict};
use crate::model::Level;
use crate::policy::RuleCode;

/// The SARIF schema URI written into `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// Render `report` as SARIF. `uri` turns a path relative to the fleet root
/// (the approved-device list, an inventory) into the path the consumer
/// should see (relative to the repository root, `/` separators).
pub fn render(report: &GateReport, uri: &dyn Fn(&str) -> String) -> Value {
    let list_uri = uri(&report.devices);
    let enabled: Vec<(RuleCode, Level)> = RuleCode::ALL
        .into_iter()
        .map(|r| {
            let level = report
                .checks
                .iter()
                .find(|c| c.rule == r)
                .map(|c| c.level)
                .unwrap_or(Level::Allow);
            (r, level)
        })
        .collect();
    let rules: Vec<Value> = enabled
        .iter()
        .map(|(r, level)| {
            let params: Vec<String> = r.params().iter().map(ToString::to_string).collect();
            json!({
                "id": r.code(),
                "shortDescription": {"text": r.description()},
                "fullDescription": {"text": if params.is_empty() {
                    r.description().to_string()
                } else {
                    format!("{} Parameters: {}", r.description(), params.join("; "))
                }},
                "defaultConfiguration": {"level": sarif_level(*level)},
                "properties": {"tags": ["supply-chain", "procurement"]}
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|c| {
            let index = RuleCode::ALL.iter().position(|r| *r == c.rule).unwrap_or(0);
            let (mut location, kind) = match &c.inventory {
                Some(path) => (json!({"artifactLocation": {"uri": uri(path)}}), "inventory"),
                None => (json!({"artifactLocation": {"uri": list_uri}}), "device"),
            };
            if let Some(at) = &c.listed_at {
                location["region"] = json!({"startLine": at.line});
            }
            let mut result = json!({
                "ruleId": c.rule,
                "ruleIndex": index,
                "level": sarif_level(c.level),
                "message": {"text": format!("{}: {}", c.device, c.message)},
                "locations": [{
                    "physicalLocation": location,
                    "logicalLocations": [{"name": c.device, "kind": kind}]
                }],
                "partialFingerprints": {"strataDeviceRule/v1": format!("{}/{}", c.device, c.rule)},
                "properties": {"device": c.device, "stack": c.stack}
            });
            if c.verdict == Verdict::Excepted
                && let Some(ex) = &c.exception
            {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "justification": format!("{} (policy exception until {})", ex.reason, ex.expires)
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "strata",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "invocations": [{
                "executionSuccessful": true,
                "properties": {"policy": report.policy, "devices": report.devices, "date": report.now}
            }],
            "results": results
        }]
    })
}
