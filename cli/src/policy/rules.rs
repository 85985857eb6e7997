//! The rule catalogue: every rule's stable code, what a finding means, its
//! parameters, and its typed configuration, read from `policy.yaml` once.
//!
//! [`RuleCode`] names a rule (the catalogue `strata gate --rules` prints,
//! SARIF's rule list, exception targets); [`RuleConfig`] is one rule's
//! parameters as typed values. [`parse`] turns a rule's YAML mapping into
//! its configuration, reporting every unknown parameter, wrong type and
//! out-of-range value at its position.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::inventory_rules::Threshold;
use crate::diag::{Code, Diagnostic};
use crate::model::{Criterion, LayerName, Level};
use crate::sigstore::trust::TrustSpec;
use crate::sigstore::verify::Options;

/// One parameter a rule takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its key in the rule's mapping.
    pub name: &'static str,
    /// What it means and what it holds.
    pub doc: &'static str,
}

impl fmt::Display for Param {
    /// `name: doc`, as `strata gate --rules` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.doc)
    }
}

/// A rule strata knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleCode {
    /// One vendor group controls more layers than allowed.
    MaxLayersPerGroup,
    /// The stack lacks a required layer.
    RequiredLayers,
    /// One group controls every layer.
    FullVertical,
    /// One group controls OS, model/agent and services.
    DataPathSingleVendor,
    /// An embedded agent acts in the background on personal data.
    PrivilegedAgent,
    /// A vendor matches an active restricted-list entry.
    RestrictedEntity,
    /// A DPIA is required and none is recorded.
    DpiaRequired,
    /// The attestation is missing, unsigned or does not verify.
    UnsignedAttestation,
    /// The attestation lacks current approving reviews.
    StaleReview,
    /// An inventory holds devices nobody approved.
    UnapprovedInUse,
    /// An inventory holds models the catalog does not know.
    UnknownModel,
    /// An inventory holds manufacturers nothing resolves.
    UnresolvedManufacturer,
    /// Devices of a catalogued model run an OS below its minimum.
    BelowMinimumOs,
}

impl RuleCode {
    /// Every rule, in documentation order.
    pub const ALL: [RuleCode; 13] = [
        RuleCode::MaxLayersPerGroup,
        RuleCode::RequiredLayers,
        RuleCode::FullVertical,
        RuleCode::DataPathSingleVendor,
        RuleCode::PrivilegedAgent,
        RuleCode::RestrictedEntity,
        RuleCode::DpiaRequired,
        RuleCode::UnsignedAttestation,
        RuleCode::StaleReview,
        RuleCode::UnapprovedInUse,
        RuleCode::UnknownModel,
        RuleCode::UnresolvedManufacturer,
        RuleCode::BelowMinimumOs,
    ];

    /// True for the rules judged on the policy's `inventories:` rather than
    /// on each device of the approved-device list.
    pub fn is_inventory(self) -> bool {
        matches!(
            self,
            RuleCode::UnapprovedInUse
                | RuleCode::UnknownModel
                | RuleCode::UnresolvedManufacturer
                | RuleCode::BelowMinimumOs
        )
    }

    /// The stable kebab-case code used in `policy.yaml`, SARIF and JUnit.
    pub fn code(self) -> &'static str {
        match self {
            RuleCode::MaxLayersPerGroup => "max-layers-per-group",
            RuleCode::RequiredLayers => "required-layers",
            RuleCode::FullVertical => "full-vertical",
            RuleCode::DataPathSingleVendor => "data-path-single-vendor",
            RuleCode::PrivilegedAgent => "privileged-agent",
            RuleCode::RestrictedEntity => "restricted-entity",
            RuleCode::DpiaRequired => "dpia-required",
            RuleCode::UnsignedAttestation => "unsigned-attestation",
            RuleCode::StaleReview => "stale-review",
            RuleCode::UnapprovedInUse => "unapproved-in-use",
            RuleCode::UnknownModel => "unknown-model",
            RuleCode::UnresolvedManufacturer => "unresolved-manufacturer",
            RuleCode::BelowMinimumOs => "below-minimum-os",
        }
    }

    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<RuleCode> {
        RuleCode::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What a finding means.
    pub fn description(self) -> &'static str {
        match self {
            RuleCode::MaxLayersPerGroup => {
                "One vendor group controls more layers of a device than allowed."
            }
            RuleCode::RequiredLayers => {
                "A device's stack manifest lacks a layer the policy requires."
            }
            RuleCode::FullVertical => "One vendor group controls every layer of the device.",
            RuleCode::DataPathSingleVendor => {
                "One vendor group controls the OS, the model/agent and the cloud services: collection, processing and egress sit with one party."
            }
            RuleCode::PrivilegedAgent => {
                "An embedded AI agent runs in the background with access to personal data and acts on the user's behalf."
            }
            RuleCode::RestrictedEntity => {
                "A vendor of the device (or its parent) matches an active entry of a restricted list in designations.yaml."
            }
            RuleCode::DpiaRequired => {
                "The DPIA screening says a DPIA is required (GDPR Art. 35) and the approved-device list records none (`dpia:`)."
            }
            RuleCode::UnsignedAttestation => {
                "The device's attestation is missing, has no Sigstore bundle next to it (`bom.sigstore.json`), or its bundle does not verify offline against the trust material the rule names."
            }
            RuleCode::StaleReview => {
                "The device's current attestation (by SHA-256) lacks an unexpired approving review in its reviews.yaml for every required criterion, or the newest review of a criterion rejects it."
            }
            RuleCode::UnapprovedInUse => {
                "An inventory source named by the policy's `inventories:` holds devices in use on no approved stack (catalogued but not approved, unknown models, unresolved manufacturers)."
            }
            RuleCode::UnknownModel => {
                "An inventory source holds models catalog.yaml does not know, from manufacturers it resolves."
            }
            RuleCode::UnresolvedManufacturer => {
                "An inventory source holds devices whose manufacturer neither catalog.yaml nor vendors.yaml resolves."
            }
            RuleCode::BelowMinimumOs => {
                "Devices of a catalogued model in an inventory source report an OS version or security patch level below the minimum of their catalog.yaml entry (`min-os-version`, `min-patch-level`)."
            }
        }
    }

    /// The parameters it takes besides `level`.
    pub fn params(self) -> &'static [Param] {
        match self {
            RuleCode::MaxLayersPerGroup => &[Param {
                name: "max",
                doc: "the largest number of layers one group may control entirely (integer ≥ 1)",
            }],
            RuleCode::RequiredLayers => &[Param {
                name: "layers",
                doc: "list of layer names (silicon, os, model, vehicle, services)",
            }],
            RuleCode::UnsignedAttestation => &[
                Param {
                    name: "key",
                    doc: "public key (PEM) of key-signed bundles, relative to the policy file",
                },
                Param {
                    name: "ca",
                    doc: "an organisation's CA certificates (PEM), with identity",
                },
                Param {
                    name: "identity",
                    doc: "exact certificate identity (SAN)",
                },
                Param {
                    name: "identity-regexp",
                    doc: "certificate identity as an anchored regular expression",
                },
                Param {
                    name: "issuer",
                    doc: "exact OIDC issuer of keyless bundles",
                },
                Param {
                    name: "trusted-root",
                    doc: "Sigstore trusted_root.json (default: the embedded public-good root)",
                },
            ],
            RuleCode::StaleReview => &[
                Param {
                    name: "criteria",
                    doc: "list of criteria ids from the policy's `criteria:` that must be approved",
                },
                Param {
                    name: "max-age-days",
                    doc: "approvals older than this many days no longer count (optional integer ≥ 1)",
                },
            ],
            RuleCode::UnapprovedInUse
            | RuleCode::UnknownModel
            | RuleCode::UnresolvedManufacturer
            | RuleCode::BelowMinimumOs => super::inventory_rules::params(self),
            RuleCode::FullVertical
            | RuleCode::DataPathSingleVendor
            | RuleCode::PrivilegedAgent
            | RuleCode::RestrictedEntity
            | RuleCode::DpiaRequired => &[],
        }
    }

    /// How to resolve a finding, as SARIF's rule help says it.
    pub fn remedy(self) -> &'static str {
        match self {
            RuleCode::MaxLayersPerGroup => {
                "Source a layer from another vendor group, or accept the concentration for this device with an exception (reason and expiry), or raise `max` if the policy is too strict. `strata analyze --explain` shows which group controls which layer."
            }
            RuleCode::RequiredLayers => {
                "Add the missing layer to the device's stack manifest (`stacks/<device>.yaml`) with its supplier and evidence, then re-run `strata assemble`; or drop the layer from `layers` if the policy should not require it."
            }
            RuleCode::FullVertical => {
                "Decide whether the single-vendor stack is acceptable for this use: record the decision as an exception with a reason and an expiry, or choose a device with a layer from another group."
            }
            RuleCode::DataPathSingleVendor => {
                "Check where the device's data goes (`routes` in the stack manifest) and whether one party holding collection, processing and egress is acceptable; mitigate (e.g. on-device or self-hosted processing) or record an exception with a reason and an expiry."
            }
            RuleCode::PrivilegedAgent => {
                "Restrict the embedded agent's permissions (or turn it off by management policy) and record it in the stack manifest, or document the risk in the DPIA (`strata memo dpia DEVICE`) and record an exception."
            }
            RuleCode::RestrictedEntity => {
                "Do not approve the device while the match stands. If the match is a different company, say so in `designations.yaml` or the vendor's entry in `vendors.yaml`; if the device must be kept, record an exception with the legal basis as its reason and an expiry."
            }
            RuleCode::DpiaRequired => {
                "Carry out the DPIA (`strata memo dpia DEVICE` writes a draft) and record it on the device's entry in `approved-devices.yaml` (`dpia:`), or record an exception while it is in progress."
            }
            RuleCode::UnsignedAttestation => {
                "Assemble and sign the attestation (`strata assemble STACK --sign KEY`, or `strata sign` / `strata sign --keyless`), commit `bom.sigstore.json` next to `bom.cdx.json`, and check it with `strata verify` against the trust material this rule names."
            }
            RuleCode::StaleReview => {
                "Review what changed since the last approved digest (`strata diff sha256:OLD WORKTREE DEVICE`), then record a verdict for every required criterion with `strata review approve DEVICE --criteria C,...`."
            }
            RuleCode::UnapprovedInUse => {
                "See which stacks are in use without approval (`strata inventory reconcile`): assess and approve them (a stack manifest and an entry in `approved-devices.yaml`), or withdraw the devices through the MDM; raise `max-devices`/`max-share` or narrow `ownership` only if the policy is too strict."
            }
            RuleCode::UnknownModel => {
                "Add the models the inventory reports to `catalog.yaml` (marketing names, model codes or identifiers) so they resolve to a stack, or record an exception while they are assessed."
            }
            RuleCode::UnresolvedManufacturer => {
                "Add the manufacturer strings the inventory reports to `catalog.yaml` (aliases) or `vendors.yaml` so they resolve to a vendor and vendor group; until then they cannot be screened by group."
            }
            RuleCode::BelowMinimumOs => {
                "Update the devices below the catalog's `min-os-version` / `min-patch-level` through the MDM, or retire them; lower the minimum in `catalog.yaml` only with the security team's agreement."
            }
        }
    }

    /// GitHub code scanning's `security-severity` (0.0–10.0) for rules
    /// about the integrity of the supply chain; `None` for procurement
    /// and compliance rules.
    pub fn security_severity(self) -> Option<&'static str> {
        match self {
            RuleCode::RestrictedEntity => Some("8.0"),
            RuleCode::UnsignedAttestation => Some("7.5"),
            RuleCode::PrivilegedAgent => Some("6.0"),
            RuleCode::StaleReview => Some("5.0"),
            // Unpatched devices and devices nobody assessed are in use.
            RuleCode::BelowMinimumOs => Some("6.5"),
            RuleCode::UnapprovedInUse => Some("5.5"),
            RuleCode::MaxLayersPerGroup
            | RuleCode::RequiredLayers
            | RuleCode::FullVertical
            | RuleCode::DataPathSingleVendor
            | RuleCode::DpiaRequired
            | RuleCode::UnknownModel
            | RuleCode::UnresolvedManufacturer => None,
        }
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The catalogue as `strata gate --rules` prints it: each code, its
/// description, and one `parameter name: meaning` line per parameter.
pub fn render_catalogue() -> String {
    let mut text = String::new();
    for r in RuleCode::ALL {
        text.push_str(&format!("{}\n    {}\n", r.code(), r.description()));
        for p in r.params() {
            text.push_str(&format!("    parameter {p}\n"));
        }
    }
    text
}

/// A rule's parameters, as typed values.
#[derive(Debug, Clone)]
pub enum RuleConfig {
    /// `max-layers-per-group`.
    MaxLayersPerGroup {
        /// The largest number of layers one group may control (≥ 1).
        max: u64,
    },
    /// `required-layers`.
    RequiredLayers {
        /// The layers every stack must declare (at least one).
        layers: Vec<LayerName>,
    },
    /// `full-vertical`.
    FullVertical,
    /// `data-path-single-vendor`.
    DataPathSingleVendor,
    /// `privileged-agent`.
    PrivilegedAgent,
    /// `restricted-entity`.
    RestrictedEntity,
    /// `dpia-required`.
    DpiaRequired,
    /// `unsigned-attestation`.
    UnsignedAttestation(Box<SignatureTrust>),
    /// `stale-review`.
    StaleReview {
        /// Criteria that must be approved (each defined under `criteria:`).
        criteria: Vec<String>,
        /// Approvals older than this many days no longer count (≥ 1).
        max_age_days: Option<u64>,
    },
    /// `unapproved-in-use`, `unknown-model`, `unresolved-manufacturer` and
    /// `below-minimum-os`: judged per inventory source.
    Inventory(Threshold),
}

/// The trust material of `unsigned-attestation`, paths resolved against
/// the policy file's directory.
#[derive(Debug, Clone)]
pub struct SignatureTrust {
    /// What the rule names.
    pub spec: TrustSpec,
    /// The material loaded and checked, when the rule is enabled (the
    /// verification time is set per use, see [`SignatureTrust::options`]).
    pub loaded: Option<Options>,
}

/// What `unsigned-attestation` needs when its material is missing.
pub const NEEDS_TRUST: &str = "`unsigned-attestation` needs trust material: `key: PUB.pem`, `ca: CA.pem` with `identity`, or `identity` (or `identity-regexp`) with `issuer`";

impl SignatureTrust {
    /// Verification options at `now`: the material loaded at policy load,
    /// or loaded now when the rule is off (a reviewer may still verify
    /// against it). `Err` says why the material is unusable.
    pub fn options(&self, now: jiff::Timestamp) -> std::result::Result<Options, String> {
        let mut opts = match &self.loaded {
            Some(o) => o.clone(),
            None => load_trust(&self.spec)?,
        };
        opts.now = now;
        Ok(opts)
    }
}

/// Load the trust material of a spec; the verification time is a
/// placeholder the caller replaces.
fn load_trust(spec: &TrustSpec) -> std::result::Result<Options, String> {
    if spec.is_empty() {
        return Err(NEEDS_TRUST.into());
    }
    spec.options(jiff::Timestamp::UNIX_EPOCH)
        .map_err(|e| match e {
            crate::diag::Error::Usage(m) => format!("{NEEDS_TRUST} ({m})"),
            other => other.to_string(),
        })
}

/// What parsing a rule can look up: the policy's criteria and directory,
/// and how to place a diagnostic at a JSON pointer of the file.
pub struct Ctx<'a> {
    /// The policy's `criteria:`.
    pub criteria: &'a BTreeMap<String, Criterion>,
    /// The directory of the policy file (trust paths are relative to it).
    pub policy_dir: &'a Path,
    /// Place a diagnostic at the value a pointer of the policy file names.
    pub at: &'a dyn Fn(Diagnostic, &str) -> Diagnostic,
    /// Place a diagnostic at the key a pointer names (unknown keys).
    pub at_key: &'a dyn Fn(Diagnostic, &str) -> Diagnostic,
}

/// Parse the parameters of rule `code` at `level` (the rule's mapping
/// without `level`, at pointer `base`): every problem at its position.
pub fn parse(
    code: RuleCode,
    level: Level,
    params: &Map<String, Value>,
    base: &str,
    ctx: &Ctx<'_>,
) -> std::result::Result<RuleConfig, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let allowed = code.params();
    for key in params.keys() {
        if !allowed.iter().any(|p| p.name == key) {
            let help = if allowed.is_empty() {
                format!("`{code}` takes no parameters besides `level`")
            } else {
                let all: Vec<String> = allowed.iter().map(Param::to_string).collect();
                format!("`{code}` takes: {}", all.join("; "))
            };
            diags.push((ctx.at_key)(
                Diagnostic::error(
                    Code::InvalidRuleParameter,
                    format!("rule `{code}` has no parameter `{key}`"),
                )
                .help(help),
                &format!("{base}/{}", crate::yaml::escape_token(key)),
            ));
        }
    }
    let config = match code {
        RuleCode::MaxLayersPerGroup => match params.get("max").and_then(Value::as_u64) {
            Some(max) if max >= 1 => Some(RuleConfig::MaxLayersPerGroup { max }),
            _ => {
                diags.push((ctx.at)(
                    Diagnostic::error(
                        Code::InvalidRuleParameter,
                        "`max-layers-per-group` needs `max`, an integer ≥ 1",
                    )
                    .help("e.g. `max: 3`"),
                    &format!("{base}/max"),
                ));
                None
            }
        },
        RuleCode::RequiredLayers => {
            let list = params
                .get("layers")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty());
            let layers: Option<Vec<LayerName>> = list.and_then(|a| {
                a.iter()
                    .map(|l| l.as_str().and_then(LayerName::parse))
                    .collect()
            });
            let names: Vec<&str> = LayerName::ALL.iter().map(|l| l.as_str()).collect();
            match (layers, list) {
                (Some(layers), _) => Some(RuleConfig::RequiredLayers { layers }),
                (None, Some(list)) => {
                    for (i, l) in list.iter().enumerate() {
                        if l.as_str().and_then(LayerName::parse).is_none() {
                            let shown = l.as_str().map_or_else(|| l.to_string(), str::to_string);
                            diags.push((ctx.at)(
                                Diagnostic::error(
                                    Code::InvalidRuleParameter,
                                    format!("`{shown}` is not a layer name"),
                                )
                                .help(format!("layer names: {}", names.join(", "))),
                                &format!("{base}/layers/{i}"),
                            ));
                        }
                    }
                    None
                }
                (None, None) => {
                    diags.push((ctx.at)(
                        Diagnostic::error(
                            Code::InvalidRuleParameter,
                            "`required-layers` needs `layers`, a non-empty list of layer names",
                        )
                        .help("layer names: silicon, os, model, vehicle, services"),
                        &format!("{base}/layers"),
                    ));
                    None
                }
            }
        }
        RuleCode::FullVertical => Some(RuleConfig::FullVertical),
        RuleCode::DataPathSingleVendor => Some(RuleConfig::DataPathSingleVendor),
        RuleCode::PrivilegedAgent => Some(RuleConfig::PrivilegedAgent),
        RuleCode::RestrictedEntity => Some(RuleConfig::RestrictedEntity),
        RuleCode::DpiaRequired => Some(RuleConfig::DpiaRequired),
        RuleCode::UnsignedAttestation => signature_trust(level, params, base, ctx, &mut diags)
            .map(|t| RuleConfig::UnsignedAttestation(Box::new(t))),
        RuleCode::StaleReview => stale_review(params, base, ctx, &mut diags),
        RuleCode::UnapprovedInUse
        | RuleCode::UnknownModel
        | RuleCode::UnresolvedManufacturer
        | RuleCode::BelowMinimumOs => {
            super::inventory_rules::parse(code, params, base, ctx, &mut diags)
                .map(RuleConfig::Inventory)
        }
    };
    match config {
        Some(c) if diags.is_empty() => Ok(c),
        _ => Err(diags),
    }
}

fn signature_trust(
    level: Level,
    params: &Map<String, Value>,
    base: &str,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SignatureTrust> {
    let before = diags.len();
    let mut text = |k: &str| match params.get(k) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            diags.push((ctx.at)(
                Diagnostic::error(
                    Code::InvalidRuleParameter,
                    format!("`unsigned-attestation` parameter `{k}` must be text"),
                )
                .help("e.g. `key: keys/signing-key.pub`"),
                &format!("{base}/{k}"),
            ));
            None
        }
    };
    let key = text("key");
    let ca = text("ca");
    let identity = text("identity");
    let identity_regexp = text("identity-regexp");
    let issuer = text("issuer");
    let trusted_root = text("trusted-root");
    if diags.len() > before {
        return None;
    }
    let path = |p: Option<String>| p.map(|p| ctx.policy_dir.join(p));
    let spec = TrustSpec {
        key: path(key),
        ca: path(ca),
        identity,
        identity_regexp,
        issuer,
        trusted_root: path(trusted_root),
    };
    let loaded = if level == Level::Allow {
        None
    } else {
        match load_trust(&spec) {
            Ok(o) => Some(o),
            Err(m) => {
                diags.push((ctx.at)(
                    Diagnostic::error(Code::InvalidRuleParameter, m)
                        .help("e.g. `key: keys/signing-key.pub`"),
                    base,
                ));
                return None;
            }
        }
    };
    Some(SignatureTrust { spec, loaded })
}

fn stale_review(
    params: &Map<String, Value>,
    base: &str,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<RuleConfig> {
    let before = diags.len();
    let defined: Vec<&str> = ctx.criteria.keys().map(String::as_str).collect();
    let mut criteria = Vec::new();
    match params.get("criteria").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for (i, c) in list.iter().enumerate() {
                let ptr = format!("{base}/criteria/{i}");
                match c.as_str() {
                    Some(id) if ctx.criteria.contains_key(id) => criteria.push(id.to_string()),
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
                        diags.push((ctx.at)(d, &ptr));
                    }
                    None => diags.push((ctx.at)(
                        Diagnostic::error(Code::InvalidRuleParameter, "criteria ids are strings"),
                        &ptr,
                    )),
                }
            }
        }
        _ => diags.push((ctx.at)(
            Diagnostic::error(
                Code::InvalidRuleParameter,
                "`stale-review` needs `criteria`, a non-empty list of criteria ids",
            )
            .help("e.g. `criteria: [security-reviewed]`"),
            &format!("{base}/criteria"),
        )),
    }
    let max_age_days = match params.get("max-age-days") {
        None => None,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Some(n),
            _ => {
                diags.push((ctx.at)(
                    Diagnostic::error(
                        Code::InvalidRuleParameter,
                        "`max-age-days` must be an integer ≥ 1",
                    ),
                    &format!("{base}/max-age-days"),
                ));
                None
            }
        },
    };
    (diags.len() == before).then_some(RuleConfig::StaleReview {
        criteria,
        max_age_days,
    })
}

#[cfg(test)]
mod tests;
