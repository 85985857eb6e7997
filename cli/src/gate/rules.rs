//! The gate's rule catalogue: each rule's stable code, what it checks, its
//! parameters, and how it is evaluated against one device's analysis.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use time::Date;

use crate::analyze::{DeviceAnalysis, FlagCode, Outcome};
use crate::diag::{Code, Diagnostic};
use crate::model::{ApprovedDevice, LayerName, Loaded, Policy, Review, Rule};
use crate::review::{self, CriterionState};

/// What rules see beyond the device's analysis.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Directory of the approved-device list (attestation paths are
    /// relative to it).
    pub list_dir: &'a Path,
    /// Today.
    pub now: Date,
    /// Loaded reviews files by path (see [`crate::review::reviews_path_for`]),
    /// each grouped by device (see [`reviews_by_device`]).
    pub reviews: &'a BTreeMap<PathBuf, DeviceReviews>,
    /// Trust material of the `unsigned-attestation` rule, when it names
    /// usable material.
    pub trust: Option<&'a crate::sigstore::verify::Options>,
}

/// One reviews file's entries grouped by device id, each group in file
/// order, so a device's reviews are found without scanning the whole file.
pub type DeviceReviews = HashMap<String, Vec<Review>>;

/// Group `reviews` by device, keeping their order within each device.
/// [`review::status`] only looks at the device's own entries, in order, so
/// it gives the same answer on a device's group as on the whole file.
pub fn reviews_by_device(reviews: Vec<Review>) -> DeviceReviews {
    let mut out = DeviceReviews::new();
    for r in reviews {
        out.entry(r.device.clone()).or_default().push(r);
    }
    out
}

/// A rule strata knows: code and one-line description.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable kebab-case code, used in `policy.yaml`, SARIF and JUnit.
    pub code: &'static str,
    /// What a finding means.
    pub description: &'static str,
    /// Parameters it takes, `name: meaning`.
    pub params: &'static [&'static str],
}

/// Every rule, in documentation order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "max-layers-per-group",
        description: "One vendor group controls more layers of a device than allowed.",
        params: &["max: the largest number of layers one group may control entirely (integer ≥ 1)"],
    },
    RuleInfo {
        code: "required-layers",
        description: "A device's stack manifest lacks a layer the policy requires.",
        params: &["layers: list of layer names (silicon, os, model, vehicle, services)"],
    },
    RuleInfo {
        code: "full-vertical",
        description: "One vendor group controls every layer of the device.",
        params: &[],
    },
    RuleInfo {
        code: "data-path-single-vendor",
        description: "One vendor group controls the OS, the model/agent and the cloud services: collection, processing and egress sit with one party.",
        params: &[],
    },
    RuleInfo {
        code: "privileged-agent",
        description: "An embedded AI agent runs in the background with access to personal data and acts on the user's behalf.",
        params: &[],
    },
    RuleInfo {
        code: "restricted-entity",
        description: "A vendor of the device (or its parent) matches an active entry of a restricted list in designations.yaml.",
        params: &[],
    },
    RuleInfo {
        code: "dpia-required",
        description: "The DPIA screening says a DPIA is required (GDPR Art. 35) and the approved-device list records none (`dpia:`).",
        params: &[],
    },
    RuleInfo {
        code: "unsigned-attestation",
        description: "The device's attestation is missing, has no Sigstore bundle next to it (`bom.sigstore.json`), or its bundle does not verify offline against the trust material the rule names.",
        params: &[
            "key: public key (PEM) of key-signed bundles, relative to the policy file",
            "ca: an organisation's CA certificates (PEM), with identity",
            "identity: exact certificate identity (SAN)",
            "identity-regexp: certificate identity as an anchored regular expression",
            "issuer: exact OIDC issuer of keyless bundles",
            "trusted-root: Sigstore trusted_root.json (default: the embedded public-good root)",
        ],
    },
    RuleInfo {
        code: "stale-review",
        description: "The device's current attestation (by SHA-256) lacks an unexpired approving review in attestations/reviews.yaml for every required criterion, or the newest review of a criterion rejects it.",
        params: &[
            "criteria: list of criteria ids from the policy's `criteria:` that must be approved",
            "max-age-days: approvals older than this many days no longer count (optional integer ≥ 1)",
        ],
    },
];

/// The catalogue entry for `code`.
pub fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code == code)
}

/// Check the policy's rules: known codes and valid parameters. Every problem
/// is returned, located in the policy file.
pub fn check_policy(policy: &Loaded<Policy>) -> Vec<Diagnostic> {
    let policy_dir = policy.path.parent().unwrap_or(Path::new("."));
    let mut diags = Vec::new();
    for (code, rule) in &policy.value.rules {
        let base = format!("/rules/{code}");
        let Some(info) = rule_info(code) else {
            let known: Vec<&str> = RULES.iter().map(|r| r.code).collect();
            let mut d = Diagnostic::error(Code::UnknownRule, format!("unknown rule `{code}`"));
            d = match crate::model::suggest(code, &known) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("known rules: {}", known.join(", "))),
            };
            let mut d = policy.diag_at(d, &base);
            d.position = policy.spans.key(&base).or(d.position);
            diags.push(d);
            continue;
        };
        let allowed: Vec<&str> = info
            .params
            .iter()
            .filter_map(|p| p.split(':').next())
            .collect();
        for key in rule.params.keys() {
            if !allowed.contains(&key.as_str()) {
                let help = if allowed.is_empty() {
                    format!("`{code}` takes no parameters besides `level`")
                } else {
                    format!("`{code}` takes: {}", info.params.join("; "))
                };
                diags.push(
                    policy.diag_at(
                        Diagnostic::error(
                            Code::InvalidRuleParameter,
                            format!("rule `{code}` has no parameter `{key}`"),
                        )
                        .help(help),
                        &format!("{base}/{key}"),
                    ),
                );
            }
        }
        match code.as_str() {
            "max-layers-per-group" => match rule.params.get("max").and_then(Value::as_u64) {
                Some(n) if n >= 1 => {}
                _ => diags.push(
                    policy.diag_at(
                        Diagnostic::error(
                            Code::InvalidRuleParameter,
                            "`max-layers-per-group` needs `max`, an integer ≥ 1",
                        )
                        .help("e.g. `max: 3`"),
                        &format!("{base}/max"),
                    ),
                ),
            },
            "unsigned-attestation" if rule.level != crate::model::Level::Allow => {
                if let Err(m) = super::signature::trust_from_rule(rule, policy_dir) {
                    diags.push(
                        policy.diag_at(
                            Diagnostic::error(Code::InvalidRuleParameter, m)
                                .help("e.g. `key: keys/signing-key.pub`"),
                            &base,
                        ),
                    );
                }
            }
            "required-layers" => {
                let ok = rule
                    .params
                    .get("layers")
                    .and_then(Value::as_array)
                    .is_some_and(|a| {
                        !a.is_empty()
                            && a.iter()
                                .all(|l| l.as_str().and_then(LayerName::parse).is_some())
                    });
                if !ok {
                    diags.push(
                        policy.diag_at(
                            Diagnostic::error(
                                Code::InvalidRuleParameter,
                                "`required-layers` needs `layers`, a non-empty list of layer names",
                            )
                            .help("layer names: silicon, os, model, vehicle, services"),
                            &format!("{base}/layers"),
                        ),
                    );
                }
            }
            "stale-review" => diags.extend(check_stale_review(policy, rule, &base)),
            _ => {}
        }
    }
    diags.sort_by_key(|d| d.position);
    diags
}

fn check_stale_review(policy: &Loaded<Policy>, rule: &Rule, base: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let defined: Vec<&str> = policy.value.criteria.keys().map(String::as_str).collect();
    match rule.params.get("criteria").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for (i, c) in list.iter().enumerate() {
                let ptr = format!("{base}/criteria/{i}");
                match c.as_str() {
                    Some(id) if policy.value.criteria.contains_key(id) => {}
                    Some(id) => {
                        let mut d = Diagnostic::error(
                            Code::UnknownCriterion,
                            format!(
                                "`stale-review` requires criterion `{id}`, which `criteria:` does not define"
                            ),
                        );
                        d = match crate::model::suggest(id, &defined) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help("define it under `criteria:` with a description"),
                        };
                        diags.push(policy.diag_at(d, &ptr));
                    }
                    None => diags.push(policy.diag_at(
                        Diagnostic::error(Code::InvalidRuleParameter, "criteria ids are strings"),
                        &ptr,
                    )),
                }
            }
        }
        _ => diags.push(
            policy.diag_at(
                Diagnostic::error(
                    Code::InvalidRuleParameter,
                    "`stale-review` needs `criteria`, a non-empty list of criteria ids",
                )
                .help("e.g. `criteria: [security-reviewed]`"),
                &format!("{base}/criteria"),
            ),
        ),
    }
    if let Some(v) = rule.params.get("max-age-days")
        && v.as_u64().is_none_or(|n| n < 1)
    {
        diags.push(policy.diag_at(
            Diagnostic::error(
                Code::InvalidRuleParameter,
                "`max-age-days` must be an integer ≥ 1",
            ),
            &format!("{base}/max-age-days"),
        ));
    }
    diags
}

/// One rule's verdict on one device: `None` when it passes, else the message.
pub fn evaluate(
    code: &str,
    rule: &Rule,
    device: &DeviceAnalysis,
    entry: Option<&ApprovedDevice>,
    ctx: &Context<'_>,
) -> Option<String> {
    let list_dir = ctx.list_dir;
    match code {
        "max-layers-per-group" => {
            let max = rule
                .params
                .get("max")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            let worst = device
                .concentration
                .groups
                .iter()
                .max_by_key(|g| g.controls.len())?;
            (worst.controls.len() as u64 > max).then(|| {
                let layers: Vec<&str> = worst.controls.iter().map(|l| l.as_str()).collect();
                format!(
                    "{} controls {} layers ({}); the policy allows {max}",
                    worst.name,
                    worst.controls.len(),
                    layers.join(", ")
                )
            })
        }
        "required-layers" => {
            let missing: Vec<&str> = rule
                .params
                .get("layers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|l| l.as_str())
                .filter(|l| LayerName::parse(l).is_some_and(|n| device.layer(n).is_none()))
                .collect();
            (!missing.is_empty())
                .then(|| format!("the stack declares no {} layer", missing.join(", ")))
        }
        "full-vertical" => device
            .flag(FlagCode::FullVertical)
            .map(|f| f.message.clone()),
        "data-path-single-vendor" => device
            .flag(FlagCode::DataPathSingleVendor)
            .map(|f| f.message.clone()),
        "privileged-agent" => device
            .flag(FlagCode::PrivilegedAgent)
            .map(|f| f.message.clone()),
        "restricted-entity" => {
            let hits: Vec<&str> = device
                .screening
                .active
                .iter()
                .map(|h| h.hit.summary.as_str())
                .collect();
            (!hits.is_empty()).then(|| hits.join("; "))
        }
        "dpia-required" => {
            let recorded = entry.and_then(|e| e.dpia.as_deref()).is_some();
            (device.dpia.outcome == Outcome::Required && !recorded).then(|| {
                let met: Vec<&str> = device.dpia.criteria.iter().filter(|c| c.met).map(|c| c.code).collect();
                format!(
                    "DPIA required ({} of 9 WP248 criteria met: {}) and none is recorded for the device",
                    met.len(),
                    met.join(" ")
                )
            })
        }
        "unsigned-attestation" => {
            let Some(att) = entry.and_then(|e| e.attestation.as_deref()) else {
                return Some(
                    "the approved-device list names no attestation for the device".to_string(),
                );
            };
            let path = list_dir.join(att);
            if !path.is_file() {
                return Some(format!("attestation `{att}` does not exist"));
            }
            let bundle = bundle_path(&path);
            if !bundle.is_file() {
                return Some(format!(
                    "attestation `{att}` has no Sigstore bundle (`{}`)",
                    file_name(&bundle)
                ));
            }
            let opts = ctx.trust?;
            super::signature::check(&path, &bundle, opts)
                .err()
                .map(|m| format!("attestation `{att}`: {m}"))
        }
        "stale-review" => stale_review(rule, device, entry, ctx),
        _ => None,
    }
}

/// The fleet as written in a suggested `strata diff` or `strata log`, which
/// find the attestations from the fleet as the gate does: omitted when the
/// approved-device list is in the current directory, or when the
/// attestations are `./attestations` (where they look outside a fleet).
fn fleet_flag(list_dir: &Path, attestation: &Path) -> String {
    let dir = review::reviews_path_for(attestation)
        .parent()
        .map(crate::fsutil::normalize_lexically)
        .unwrap_or_default();
    let list = crate::fsutil::normalize_lexically(list_dir);
    if dir == Path::new(review::ATTESTATIONS_DIR)
        || list.as_os_str().is_empty()
        || list == Path::new(".")
    {
        String::new()
    } else {
        format!(" --fleet {}", list.display())
    }
}

fn stale_review(
    rule: &Rule,
    device: &DeviceAnalysis,
    entry: Option<&ApprovedDevice>,
    ctx: &Context<'_>,
) -> Option<String> {
    let required: Vec<String> = rule
        .params
        .get("criteria")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    let max_age = rule.params.get("max-age-days").and_then(Value::as_u64);
    let Some(att) = entry.and_then(|e| e.attestation.as_deref()) else {
        return Some("the approved-device list names no attestation to review".to_string());
    };
    let path = ctx.list_dir.join(att);
    if !path.is_file() {
        return Some(format!(
            "attestation `{att}` does not exist; nothing was reviewed"
        ));
    }
    let digest = match review::digest_file(&path) {
        Ok(d) => d,
        Err(e) => return Some(format!("attestation `{att}` cannot be read: {e}")),
    };
    let reviews = ctx
        .reviews
        .get(&review::reviews_path_for(&path))
        .and_then(|file| file.get(&device.id))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let st = review::status(reviews, &device.id, &digest, &required, ctx.now, max_age);
    if st.ok() {
        return None;
    }
    let mut missing = Vec::new();
    let mut other = Vec::new();
    for (c, s) in st.not_approved() {
        match s {
            CriterionState::Missing => missing.push(c.as_str()),
            CriterionState::Rejected { by, date, note } => other.push(format!(
                "rejected for {c} by {by} on {}{}",
                date.get(..10).unwrap_or(date),
                note.as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )),
            CriterionState::Expired { by, on } => {
                other.push(format!("the approval for {c} by {by} expired after {on}"))
            }
            CriterionState::Approved { .. } => {}
        }
    }
    let mut msg = format!("attestation {}", review::short_digest(&digest));
    if !missing.is_empty() {
        msg.push_str(&format!(
            " lacks an approving review for {}",
            missing.join(", ")
        ));
        if !other.is_empty() {
            msg.push(';');
        }
    }
    if !other.is_empty() {
        msg.push_str(&format!(" {}", other.join("; ")));
    }
    let flag = fleet_flag(ctx.list_dir, &path);
    match &st.last_approved {
        Some((d, date)) => msg.push_str(&format!(
            "; last approved {} on {}: see `strata diff {} WORKTREE {}{flag}`",
            review::short_digest(d),
            date.get(..10).unwrap_or(date),
            review::short_digest(d),
            device.id
        )),
        None => msg.push_str(&format!(
            "; no earlier attestation of the device was approved: see `strata log {}{flag}`",
            device.id
        )),
    }
    Some(msg)
}

/// `bom.cdx.json` → `bom.sigstore.json`; other names get `.sigstore.json`
/// appended.
pub fn bundle_path(attestation: &Path) -> std::path::PathBuf {
    let name = file_name(attestation);
    let stem = name.strip_suffix(".cdx.json").unwrap_or(&name);
    attestation.with_file_name(format!("{stem}.sigstore.json"))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Verdict as ReviewVerdict;

    fn review(device: &str, digest: &str, verdict: ReviewVerdict, c: &str, date: &str) -> Review {
        Review {
            device: device.into(),
            digest: digest.into(),
            verdict,
            criteria: vec![c.into()],
            reviewer: format!("{device} {digest} {date}"),
            date: date.into(),
            expires: None,
            note: None,
        }
    }

    #[test]
    fn status_on_a_devices_group_is_status_on_the_whole_file() {
        use ReviewVerdict::{Approve, Reject};
        // Interleaved devices, several digests, and same-date ties whose
        // winner depends on file order.
        let all = vec![
            review("a", "sha256:1", Approve, "sec", "2026-01-01T00:00:00Z"),
            review("b", "sha256:1", Approve, "sec", "2026-01-01T00:00:00Z"),
            review("a", "sha256:1", Reject, "sec", "2026-01-01T00:00:00Z"),
            review("a", "sha256:2", Approve, "dpo", "2026-02-01T00:00:00Z"),
            review("b", "sha256:1", Approve, "dpo", "2026-03-01T00:00:00Z"),
            review("a", "sha256:1", Approve, "dpo", "2026-01-05T00:00:00Z"),
            review("c", "sha256:9", Approve, "sec", "2026-01-01T00:00:00Z"),
            review("b", "sha256:2", Approve, "sec", "2026-03-01T00:00:00Z"),
            review("b", "sha256:2", Approve, "sec", "2026-03-01T00:00:00Z"),
        ];
        let grouped = reviews_by_device(all.clone());
        assert_eq!(grouped.values().map(Vec::len).sum::<usize>(), all.len());
        let required = vec!["sec".to_string(), "dpo".to_string()];
        let today = time::macros::date!(2026 - 06 - 01);
        for device in ["a", "b", "c", "d"] {
            let mine = grouped.get(device).map(Vec::as_slice).unwrap_or_default();
            assert!(mine.iter().all(|r| r.device == device));
            for digest in ["sha256:1", "sha256:2", "sha256:9"] {
                let st = |reviews: &[Review]| {
                    let s = review::status(reviews, device, digest, &required, today, Some(90));
                    (s.digest, s.criteria, s.last_approved)
                };
                assert_eq!(st(mine), st(&all), "{device} {digest}");
            }
        }
        // The tie on a × sha256:1 × sec goes to the later entry (reject).
        let st = review::status(&grouped["a"], "a", "sha256:1", &required, today, None);
        assert!(matches!(st.criteria[0].1, CriterionState::Rejected { .. }));
    }
}
