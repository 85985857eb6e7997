//! The gate's rule catalogue: each rule's stable code, what it checks, its
//! parameters, and how it is evaluated against one device's analysis.

use std::path::Path;

use serde_json::Value;

use crate::analyze::{DeviceAnalysis, FlagCode, Outcome};
use crate::diag::Diagnostic;
use crate::model::{ApprovedDevice, LayerName, Loaded, Policy, Rule};

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
            let mut d = Diagnostic::error("unknown-rule", format!("unknown rule `{code}`"));
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
                            "invalid-rule-parameter",
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
                            "invalid-rule-parameter",
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
                            Diagnostic::error("invalid-rule-parameter", m)
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
                                "invalid-rule-parameter",
                                "`required-layers` needs `layers`, a non-empty list of layer names",
                            )
                            .help("layer names: silicon, os, model, vehicle, services"),
                            &format!("{base}/layers"),
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    diags.sort_by_key(|d| d.position);
    diags
}

/// One rule's verdict on one device: `None` when it passes, else the message.
pub fn evaluate(
    code: &str,
    rule: &Rule,
    device: &DeviceAnalysis,
    entry: Option<&ApprovedDevice>,
    list_dir: &Path,
    trust: Option<&crate::sigstore::verify::Options>,
) -> Option<String> {
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
            let opts = trust?;
            super::signature::check(&path, &bundle, opts)
                .err()
                .map(|m| format!("attestation `{att}`: {m}"))
        }
        _ => None,
    }
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
