//! The policy as a CycloneDX 1.6 standard (`definitions.standards`): one
//! requirement per enabled rule and per review criterion, one per
//! restricted-list snapshot screened, and the WP248 DPIA screening.
//!
//! The standard's version is the SHA-256 of `policy.yaml`, so a declaration
//! names the exact policy it was judged against. Requirement bom-refs are
//! stable (`rule:<code>`, `criterion:<id>`, `restricted-list:<id>`,
//! `wp248-screening`): the attestations map to them and `strata diff` lines
//! up two declarations by them.

use crate::analyze::{DpiaScreening, ListInfo};
use crate::cdxa::{Property, Requirement, Standard};
use crate::digest::Digest;
use crate::policy::{Policy, RuleCode, RuleConfig};

/// The standard's bom-ref.
pub const STANDARD_REF: &str = "standard:policy";

/// The requirement bom-ref of the WP248 screening.
pub const WP248_REF: &str = "wp248-screening";

/// The requirement bom-ref of a rule.
pub fn rule_ref(code: RuleCode) -> String {
    format!("rule:{code}")
}

/// The requirement bom-ref of a review criterion.
pub fn criterion_ref(id: &str) -> String {
    format!("criterion:{id}")
}

/// The requirement bom-ref of a restricted list.
pub fn list_ref(id: &str) -> String {
    format!("restricted-list:{id}")
}

/// The policy as a standard. `digest` is the policy file's SHA-256,
/// `owner` who keeps it, `lists` the snapshots screened, `dpia` any
/// device's screening (for the criteria's titles, the same on every
/// device).
pub fn standard(
    policy: &Policy,
    digest: &Digest,
    owner: &str,
    lists: &[ListInfo],
    dpia: &DpiaScreening,
) -> Standard {
    let mut requirements = Vec::new();
    for rule in policy.enabled() {
        let mut descriptions = vec![format!(
            "level {}: {}",
            level_name(rule.level),
            match rule.level {
                crate::model::Level::Deny => "a finding fails the gate",
                _ => "a finding is reported and does not fail the gate",
            }
        )];
        descriptions.extend(params_in_words(policy, rule.code));
        requirements.push(Requirement {
            bom_ref: rule_ref(rule.code),
            identifier: rule.code.code().to_string(),
            title: Some(format!("Gate rule {}", rule.code)),
            text: Some(rule.code.description().to_string()),
            descriptions,
            parent: None,
            properties: vec![Property::new("strata:level", level_name(rule.level))],
        });
    }
    let required: Vec<&String> = policy
        .enabled()
        .find_map(|r| match &r.config {
            RuleConfig::StaleReview { criteria, .. } => Some(criteria.iter().collect()),
            _ => None,
        })
        .unwrap_or_default();
    for (id, criterion) in policy.criteria() {
        let mut descriptions = Vec::new();
        if required.contains(&id) {
            descriptions.push(
                "required by the rule stale-review: an unexpired approval of the current attestation digest"
                    .to_string(),
            );
        }
        requirements.push(Requirement {
            bom_ref: criterion_ref(id),
            identifier: format!("criterion:{id}"),
            title: Some(format!("Review criterion {id}")),
            text: Some(criterion.description.trim().to_string()),
            descriptions,
            parent: None,
            properties: vec![],
        });
    }
    let restricted_on = policy.is_enabled(RuleCode::RestrictedEntity);
    for list in lists {
        let mut descriptions = vec![
            format!("publisher: {}", list.publisher),
            format!("source: {}", list.source),
            format!("snapshot of {}", list.snapshot_date),
            format!(
                "{} active and {} historical entries; only active ones restrict",
                list.active_entries, list.historical_entries
            ),
        ];
        if let Some(effect) = &list.effect {
            descriptions.push(format!("effect: {effect}"));
        }
        requirements.push(Requirement {
            bom_ref: list_ref(&list.id),
            identifier: format!("restricted-list:{}", list.id),
            title: Some(list.name.clone()),
            text: Some(format!(
                "No vendor of the device, nor its parent group, matches an active entry of {} (snapshot {}).",
                list.name, list.snapshot_date
            )),
            descriptions,
            parent: restricted_on.then(|| rule_ref(RuleCode::RestrictedEntity)),
            properties: vec![],
        });
    }
    let mut descriptions: Vec<String> = dpia
        .criteria
        .iter()
        .map(|c| format!("{}: {}", c.code, c.title))
        .collect();
    descriptions.push(
        "the national Art. 35(4) list is for the data-protection officer to check".to_string(),
    );
    requirements.push(Requirement {
        bom_ref: WP248_REF.to_string(),
        identifier: WP248_REF.to_string(),
        title: Some("DPIA screening (WP248 rev.01)".to_string()),
        text: Some(
            "The device is screened against the nine criteria of the Article 29 Working Party's \
             DPIA guidelines (WP248 rev.01) and the cases of GDPR Art. 35(3); a device meeting \
             two or more criteria, or one case, needs a DPIA before it is deployed."
                .to_string(),
        ),
        descriptions,
        parent: policy
            .is_enabled(RuleCode::DpiaRequired)
            .then(|| rule_ref(RuleCode::DpiaRequired)),
        properties: vec![],
    });
    Standard {
        bom_ref: STANDARD_REF.to_string(),
        name: "strata device policy".to_string(),
        version: digest.to_string(),
        description: Some(format!(
            "The policy `{}` as `strata gate` enforces it: its enabled rules, review criteria, \
             the restricted lists screened and the WP248 DPIA screening. The version is the \
             policy file's SHA-256.",
            policy
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        )),
        owner: Some(owner.to_string()),
        requirements,
    }
}

fn level_name(level: crate::model::Level) -> &'static str {
    match level {
        crate::model::Level::Allow => "allow",
        crate::model::Level::Warn => "warn",
        crate::model::Level::Deny => "deny",
    }
}

/// A rule's parameters as written in the policy, each with its meaning.
fn params_in_words(policy: &Policy, code: RuleCode) -> Vec<String> {
    let Some(raw) = policy.file.value.rules.get(code.code()) else {
        return Vec::new();
    };
    raw.params
        .iter()
        .map(|(name, value)| {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            match code.params().iter().find(|p| p.name == name) {
                Some(p) => format!("{name} = {shown} ({})", p.doc),
                None => format!("{name} = {shown}"),
            }
        })
        .collect()
}
