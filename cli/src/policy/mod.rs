//! `policy.yaml`, read once into typed values: review criteria, each rule's
//! level and typed configuration ([`rules::RuleConfig`]), and exceptions
//! naming a known rule and a real expiry date.
//!
//! [`load`] reports every problem of the file at once, each with its file,
//! line and column: the schema's findings (structure, types, impossible
//! dates) and the catalogue's (unknown rules, unknown parameters, wrong
//! types, out-of-range values, undefined criteria, unusable trust
//! material). The gate, `review` and the memos read the policy through it,
//! so a policy one of them refuses, all of them refuse.

mod inventory_rules;
pub mod rules;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::clock::Date;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::model::{self, Criterion, FileKind, Level, Loaded};
use crate::yaml::escape_token;

pub use inventory_rules::{Owners, Threshold};
pub use rules::{Param, RuleCode, RuleConfig, SignatureTrust, render_catalogue};

/// One rule of the policy.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Which rule.
    pub code: RuleCode,
    /// allow, warn or deny.
    pub level: Level,
    /// Its parameters.
    pub config: RuleConfig,
}

impl Rule {
    /// True unless the level is `allow`.
    pub fn enabled(&self) -> bool {
        self.level != Level::Allow
    }
}

/// An exception to a rule for one device.
#[derive(Debug, Clone)]
pub struct Exception {
    /// Device id.
    pub device: String,
    /// The rule it excuses.
    pub rule: RuleCode,
    /// Why it is acceptable.
    pub reason: String,
    /// Last day it applies.
    pub expires: Date,
    /// Approver.
    pub approved_by: Option<String>,
}

/// A loaded, validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The file as read (positions for diagnostics, criteria).
    pub file: Loaded<model::Policy>,
    /// Every rule the file names, by code as written (alphabetical).
    pub rules: Vec<Rule>,
    /// The exceptions, in file order.
    pub exceptions: Vec<Exception>,
}

impl Policy {
    /// The policy file.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// Review criteria id → description.
    pub fn criteria(&self) -> &BTreeMap<String, Criterion> {
        &self.file.value.criteria
    }

    /// The rule with this code, when the policy names it.
    pub fn rule(&self, code: RuleCode) -> Option<&Rule> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// The rules at level warn or deny, in [`Policy::rules`] order.
    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.enabled())
    }

    /// True when the rule is named at level warn or deny.
    pub fn is_enabled(&self, code: RuleCode) -> bool {
        self.rule(code).is_some_and(Rule::enabled)
    }

    /// The trust material of `unsigned-attestation`, at any level.
    pub fn signature_trust(&self) -> Option<&SignatureTrust> {
        self.rules.iter().find_map(|r| match &r.config {
            RuleConfig::UnsignedAttestation(t) => Some(t.as_ref()),
            _ => None,
        })
    }

    /// A diagnostic located at `pointer` in the policy file.
    pub fn diag_at(&self, diag: Diagnostic, pointer: &str) -> Diagnostic {
        self.file.diag_at(diag, pointer)
    }
}

/// Read and validate the policy at `path`.
pub fn load(path: &Path) -> Result<Policy> {
    let text = crate::fsutil::read_text(path)?;
    parse_str(&text, path)
}

/// Validate policy YAML `text`; `path` names it in diagnostics.
pub fn parse_str(text: &str, path: &Path) -> Result<Policy> {
    let (raw, spans, schema_diags) = model::check_str(text, path, FileKind::Policy)?;
    let at = |d: Diagnostic, pointer: &str| {
        d.in_file(path)
            .at(spans.nearest(pointer))
            .pointer(pointer.to_string())
    };
    let criteria: BTreeMap<String, Criterion> = raw
        .get("criteria")
        .and_then(|c| serde_json::from_value(c.clone()).ok())
        .unwrap_or_default();
    let policy_dir = path.parent().unwrap_or(Path::new("."));
    let at_key = |d: Diagnostic, pointer: &str| {
        let d = at(d, pointer);
        let key = spans.key(pointer);
        Diagnostic {
            position: key.or(d.position),
            ..d
        }
    };
    let ctx = rules::Ctx {
        criteria: &criteria,
        policy_dir,
        at: &at,
        at_key: &at_key,
    };
    let mut diags = Vec::new();
    // Rules the catalogue judged: the schema's findings on their parameters
    // are the catalogue's to report, in its words.
    let mut judged: Vec<String> = Vec::new();
    let mut typed = Vec::new();
    let mut entries: Vec<(&String, &Value)> = raw
        .get("rules")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (code, rule) in entries {
        let base = format!("/rules/{}", escape_token(code));
        let Some(rc) = RuleCode::from_code(code) else {
            let known: Vec<&str> = RuleCode::ALL.iter().map(|r| r.code()).collect();
            let mut d = Diagnostic::error(Code::UnknownRule, format!("unknown rule `{code}`"));
            d = match model::suggest(code, &known) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("known rules: {}", known.join(", "))),
            };
            let mut d = at(d, &base);
            d.position = spans.key(&base).or(d.position);
            diags.push(d);
            continue;
        };
        let Some(map) = rule.as_object() else {
            continue;
        };
        let Some(level) = map
            .get("level")
            .and_then(|l| serde_json::from_value::<Level>(l.clone()).ok())
        else {
            continue;
        };
        judged.push(base.clone());
        let mut params = map.clone();
        params.remove("level");
        match rules::parse(rc, level, &params, &base, &ctx) {
            Ok(config) => typed.push(Rule {
                code: rc,
                level,
                config,
            }),
            Err(ds) => diags.extend(ds),
        }
    }
    if raw.get("inventories").is_none() {
        for r in typed
            .iter()
            .filter(|r| r.code.is_inventory() && r.enabled())
        {
            let base = format!("/rules/{}", r.code);
            diags.push(at_key(
                Diagnostic::error(
                    Code::InvalidRuleParameter,
                    format!(
                        "rule `{}` judges inventories, and the policy names none",
                        r.code
                    ),
                )
                .help("add `inventories: {sources: [{id: intune, format: graph, path: ...}]}`, or set the rule to `level: allow`"),
                &base,
            ));
        }
    }
    let mut exceptions = Vec::new();
    for (i, ex) in raw
        .get("exceptions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(code) = ex.get("rule").and_then(Value::as_str) else {
            continue;
        };
        let Some(rule) = RuleCode::from_code(code) else {
            diags.push(at(
                Diagnostic::error(
                    Code::UnknownRule,
                    format!("exception names unknown rule `{code}`"),
                ),
                &format!("/exceptions/{i}/rule"),
            ));
            continue;
        };
        if let Ok(e) = serde_json::from_value::<model::Exception>(ex.clone()) {
            exceptions.push(Exception {
                device: e.device,
                rule,
                reason: e.reason,
                expires: e.expires,
                approved_by: e.approved_by,
            });
        }
    }
    diags.extend(schema_diags.into_iter().filter(|d| {
        let p = d.pointer.as_deref().unwrap_or_default();
        !judged.iter().any(|base| {
            p == base || (p.starts_with(&format!("{base}/")) && p != format!("{base}/level"))
        })
    }));
    if !diags.is_empty() {
        diags.sort_by_key(|d| d.position);
        return Err(Error::Invalid(diags));
    }
    let value = <model::Policy as serde::Deserialize>::deserialize(&raw).map_err(|e| {
        Error::invalid(
            Diagnostic::error(Code::InvalidValue, e.to_string())
                .in_file(path)
                .help("see `strata schema policy` for the format"),
        )
    })?;
    Ok(Policy {
        file: Loaded {
            value,
            raw,
            spans,
            path: path.to_path_buf(),
        },
        rules: typed,
        exceptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Policy> {
        parse_str(text, Path::new("policy.yaml"))
    }

    fn errors(text: &str) -> Vec<String> {
        load_text(text)
            .unwrap_err()
            .diagnostics()
            .iter()
            .map(|d| {
                let p = d.position.unwrap();
                format!("{}:{}:{}", d.code, p.line, p.column)
            })
            .collect()
    }

    #[test]
    fn a_valid_policy_is_typed() {
        let p = load_text(
            "version: 1\ncriteria:\n  sec: {description: S}\nrules:\n  stale-review: {level: deny, criteria: [sec]}\n  max-layers-per-group: {level: warn, max: 3}\n  full-vertical: {level: allow}\nexceptions:\n  - {device: a, rule: full-vertical, reason: r, expires: \"2027-01-31\"}\n",
        )
        .unwrap();
        let codes: Vec<&str> = p.rules.iter().map(|r| r.code.code()).collect();
        assert_eq!(
            codes,
            ["full-vertical", "max-layers-per-group", "stale-review"]
        );
        assert_eq!(p.enabled().count(), 2);
        assert!(!p.is_enabled(RuleCode::FullVertical));
        assert_eq!(p.exceptions[0].rule, RuleCode::FullVertical);
        assert_eq!(p.exceptions[0].expires.to_string(), "2027-01-31");
        assert!(matches!(
            p.rule(RuleCode::MaxLayersPerGroup).unwrap().config,
            RuleConfig::MaxLayersPerGroup { max: 3 }
        ));
    }

    #[test]
    fn every_problem_is_reported_at_once_with_positions() {
        let e = errors(
            "version: 1\nrules:\n  restricted-entty:\n    level: deny\n  max-layers-per-group:\n    level: warn\n    max: 0\n    min: 2\nexceptions:\n  - device: laptop\n    rule: restricted-entity\n    reason: test\n    expires: \"2026-02-30\"\n  - device: laptop\n    rule: no-such-rule\n    reason: test\n    expires: \"2026-01-01\"\n",
        );
        assert_eq!(
            e,
            [
                "unknown-rule:3:3",
                "invalid-rule-parameter:7:10",
                "invalid-rule-parameter:8:5",
                "invalid-date:13:14",
                "unknown-rule:15:11"
            ]
        );
    }

    #[test]
    fn wrong_types_and_levels_are_spanned() {
        assert_eq!(
            errors(
                "version: 1\nrules:\n  max-layers-per-group:\n    level: warn\n    max: \"3\"\n"
            ),
            ["invalid-rule-parameter:5:10"]
        );
        assert_eq!(
            errors("version: 1\nrules:\n  full-vertical:\n    level: sometimes\n"),
            ["invalid-value:4:12"]
        );
        assert_eq!(
            errors("version: 1\nrules:\n  stale-review:\n    level: deny\n    criteria: [nope]\n"),
            ["unknown-criterion:5:16"]
        );
    }
}
