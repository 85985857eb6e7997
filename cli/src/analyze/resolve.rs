//! From a stack manifest to resolved layers: every supplier, upstream
//! vendor, manufacturer and data operator resolved to a vendor and its
//! ultimate group, split layers checked, layer weights normalised.
//!
//! Nothing is guessed: a name that is not a vendor id, legal name or alias
//! in vendors.yaml is an error at its line, and so is a name that fits two
//! vendors. All problems of a stack are reported together.

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::fleet::{Fleet, Resolution};
use crate::model::{LayerName, Loaded, Stack, UpstreamRole};

use super::explain::ser4;

/// Default weight W_l of a layer (governance-facts §3.3, reflecting privilege
/// over personal data): silicon 0.15, os 0.25, model 0.25, vehicle 0.15,
/// services 0.20. They are renormalised over the layers a device has.
pub fn default_weight(layer: LayerName) -> f64 {
    match layer {
        LayerName::Silicon => 0.15,
        LayerName::Os => 0.25,
        LayerName::Model => 0.25,
        LayerName::Vehicle => 0.15,
        LayerName::Services => 0.20,
    }
}

/// A vendor as resolved for one mention in a stack.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct VendorRef {
    /// Vendor id in vendors.yaml.
    pub id: String,
    /// Its legal name.
    pub name: String,
    /// Its ultimate group's vendor id.
    pub group: String,
    /// The group's legal name.
    pub group_name: String,
    /// The name the stack used when it was an alias rather than the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_as: Option<String>,
}

/// A vendor a layer depends on without controlling it, with its role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UpstreamRef {
    /// The vendor.
    #[serde(flatten)]
    pub vendor: VendorRef,
    /// What it does for the layer, when the stack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<UpstreamRole>,
    /// The role for people ("fab", "IP licensor"), or "upstream supplier"
    /// when not declared.
    pub role_label: &'static str,
}

/// One share of a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartAnalysis {
    /// Who controls this share.
    pub vendor: VendorRef,
    /// The product.
    pub product: String,
    /// What it does (cockpit, ADAS…), when the stack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Its share of the layer, f (0 < f ≤ 1; a layer's fractions sum to 1).
    #[serde(serialize_with = "ser4")]
    pub fraction: f64,
}

/// One layer of a device, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerAnalysis {
    /// The layer.
    pub layer: LayerName,
    /// Product name (or the parts' names joined).
    pub product: String,
    /// The default weight W_l before normalisation.
    pub default_weight: f64,
    /// The weight w_l = W_l / Σ W over this device's layers (serialised
    /// to 4 decimals, kept exact for computation).
    #[serde(serialize_with = "ser4")]
    pub weight: f64,
    /// Who controls it, with fractions.
    pub parts: Vec<PartAnalysis>,
    /// The group holding the whole layer, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controlled_by: Option<String>,
    /// Vendors depended on without control (IP, fab, AOSP), with roles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<UpstreamRef>,
}

impl LayerAnalysis {
    /// The fraction of this layer a group holds.
    pub fn fraction_of(&self, group: &str) -> f64 {
        self.parts
            .iter()
            .filter(|p| p.vendor.group == group)
            .map(|p| p.fraction)
            .sum()
    }
}

/// A vendor mentioned by a stack other than as a layer's controller.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mention {
    pub layer: Option<LayerName>,
    pub role: Role,
    /// For an upstream vendor, its declared role.
    pub upstream_role: Option<UpstreamRole>,
    pub vendor: VendorRef,
}

/// How a vendor appears in a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Controls (a share of) a layer.
    Supplier,
    /// Upstream dependency of a layer (IP, fab, base OS).
    Upstream,
    /// Maker of the device.
    Manufacturer,
    /// Operates a destination the agent's data or an endpoint goes to.
    Operator,
}

impl Role {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Supplier => "supplier",
            Role::Upstream => "upstream",
            Role::Manufacturer => "manufacturer",
            Role::Operator => "operator",
        }
    }
}

/// A stack with every vendor resolved.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub layers: Vec<LayerAnalysis>,
    /// Every vendor mention, suppliers included, for screening.
    pub mentions: Vec<Mention>,
}

/// Resolve a loaded stack against the fleet's vendors. Errors (unknown or
/// ambiguous vendors, fractions that do not sum to 1) are returned all
/// together; warnings go to `warnings`.
pub(crate) fn resolve(
    stack: &Loaded<Stack>,
    fleet: &Fleet,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Resolved, Vec<Diagnostic>> {
    let s = &stack.value;
    let mut errors = Vec::new();
    let mut mentions = Vec::new();
    warnings.extend(fleet.alias_notes(stack));
    let lookup = |name: &str, ptr: String, what: &str, errors: &mut Vec<Diagnostic>| {
        let found = vendor_ref(fleet, name);
        if found.is_none() {
            errors.push(stack.diag_at(fleet.unresolved(name, what), &ptr));
        }
        found
    };

    if let Some(m) = &s.device.manufacturer
        && let Some(v) = lookup(
            m,
            "/device/manufacturer".into(),
            "manufacturer",
            &mut errors,
        )
    {
        mentions.push(Mention {
            layer: None,
            role: Role::Manufacturer,
            upstream_role: None,
            vendor: v,
        });
    }

    let total_w: f64 = s.layers.iter().map(|(n, _)| default_weight(n)).sum();
    let mut layers = Vec::new();
    for (name, layer) in s.layers.iter() {
        let lp = format!("/layers/{name}");
        let mut parts = Vec::new();
        if layer.parts.is_empty() {
            match &layer.supplier {
                Some(sup) => {
                    if let Some(v) = lookup(sup, format!("{lp}/supplier"), "supplier", &mut errors)
                    {
                        parts.push(PartAnalysis {
                            vendor: v,
                            product: layer.product.clone().unwrap_or_default(),
                            role: None,
                            fraction: 1.0,
                        });
                    }
                }
                None => errors.push(
                    stack.diag_at(
                        Diagnostic::error(
                            Code::MissingKey,
                            format!("layer `{name}` names no supplier and no parts"),
                        )
                        .help("give the layer `supplier` and `product`, or `parts` with fractions"),
                        &lp,
                    ),
                ),
            }
        } else {
            if layer.supplier.is_some() {
                warnings.push(stack.diag_at(
                    Diagnostic::warning(
                        Code::SupplierAndParts,
                        format!(
                            "layer `{name}` has both `supplier` and `parts`; concentration uses `parts`"
                        ),
                    ),
                    &format!("{lp}/supplier"),
                ));
            }
            let sum: f64 = layer.parts.iter().map(|p| p.fraction).sum();
            if !sum.is_finite() || (sum - 1.0).abs() > 1e-6 {
                errors.push(
                    stack.diag_at(
                        Diagnostic::error(
                            Code::FractionsDoNotSum,
                            format!(
                                "the parts of layer `{name}` have fractions summing to {sum}, not 1"
                            ),
                        )
                        .help("a split layer's fractions must add up to exactly 1"),
                        &format!("{lp}/parts"),
                    ),
                );
            }
            for (i, p) in layer.parts.iter().enumerate() {
                if let Some(v) = lookup(
                    &p.supplier,
                    format!("{lp}/parts/{i}/supplier"),
                    "supplier",
                    &mut errors,
                ) {
                    parts.push(PartAnalysis {
                        vendor: v,
                        product: p.product.clone(),
                        role: p.role.clone(),
                        fraction: p.fraction,
                    });
                }
            }
        }
        for p in &parts {
            mentions.push(Mention {
                layer: Some(name),
                role: Role::Supplier,
                upstream_role: None,
                vendor: p.vendor.clone(),
            });
        }
        let mut upstream = Vec::new();
        for (i, up) in layer.upstream.iter().enumerate() {
            let ptr = match up.role() {
                None => format!("{lp}/upstream/{i}"),
                Some(_) => format!("{lp}/upstream/{i}/vendor"),
            };
            if let Some(v) = lookup(up.vendor(), ptr, "upstream vendor", &mut errors) {
                mentions.push(Mention {
                    layer: Some(name),
                    role: Role::Upstream,
                    upstream_role: up.role(),
                    vendor: v.clone(),
                });
                upstream.push(UpstreamRef {
                    vendor: v,
                    role: up.role(),
                    role_label: up.role().map_or("upstream supplier", UpstreamRole::label),
                });
            }
        }
        let mut operators: Vec<(String, String)> = Vec::new();
        if let Some(agent) = &layer.agent {
            for (i, r) in agent.data_routing.iter().enumerate() {
                if let Some(op) = &r.operator {
                    operators.push((op.clone(), format!("{lp}/agent/data-routing/{i}/operator")));
                }
            }
        }
        for (i, ep) in layer.endpoints.iter().enumerate() {
            if let Some(op) = &ep.operator {
                operators.push((op.clone(), format!("{lp}/endpoints/{i}/operator")));
            }
        }
        for (op, ptr) in operators {
            if let Some(v) = lookup(&op, ptr, "operator", &mut errors) {
                mentions.push(Mention {
                    layer: Some(name),
                    role: Role::Operator,
                    upstream_role: None,
                    vendor: v,
                });
            }
        }
        let controlled_by = parts
            .iter()
            .map(|p| p.vendor.group.as_str())
            .find(|g| {
                parts
                    .iter()
                    .filter(|p| p.vendor.group == *g)
                    .map(|p| p.fraction)
                    .sum::<f64>()
                    >= 1.0 - 1e-9
            })
            .map(str::to_string);
        let default = default_weight(name);
        layers.push(LayerAnalysis {
            layer: name,
            product: layer.display_product(),
            default_weight: default,
            weight: if total_w > 0.0 {
                default / total_w
            } else {
                0.0
            },
            parts,
            controlled_by,
            upstream,
        });
    }
    if layers.is_empty() {
        errors.push(
            stack.diag_at(
                Diagnostic::error(
                    Code::NoLayers,
                    "the stack declares no layers; nothing to analyse",
                )
                .help("declare at least one of silicon, os, model, vehicle, services"),
                "/layers",
            ),
        );
    }
    mentions.sort_by(|a, b| (a.layer, a.role, &a.vendor.id).cmp(&(b.layer, b.role, &b.vendor.id)));
    mentions.dedup();
    if errors.is_empty() {
        Ok(Resolved { layers, mentions })
    } else {
        errors.sort_by_key(|a| a.position);
        Err(errors)
    }
}

/// Resolve a name to a [`VendorRef`], or `None` when it is unknown or
/// ambiguous.
pub(crate) fn vendor_ref(fleet: &Fleet, name: &str) -> Option<VendorRef> {
    let res = fleet.resolve(name);
    let id = res.id()?;
    let v = fleet.vendors.value.vendors.get(id)?;
    let group = fleet.group_of(id)?;
    let group_name = fleet.group_name(id).unwrap_or(group);
    Some(VendorRef {
        id: id.to_string(),
        name: v.name.clone(),
        group: group.to_string(),
        group_name: group_name.to_string(),
        written_as: matches!(res, Resolution::Alias { .. }).then(|| name.to_string()),
    })
}
