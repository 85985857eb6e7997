//! What the declarations read from the device's BOM: its evidence items
//! (nested components with `strata:evidence:kind`, their digests, checks
//! and expiry) and the targets, the device and its layers bound to the BOM
//! by BOM-Link, the vendor groups named.

use crate::cdxa::{Component, OrganizationalEntity, Targets};
use crate::clock::Time;
use crate::model::LayerName;

use super::claims::Context;

/// The device target's bom-ref.
pub(super) const DEVICE: &str = "target:device";

/// One evidence item of the BOM (a nested component with
/// `strata:evidence:kind`).
pub(super) struct BomEvidence {
    pub(super) bom_ref: String,
    pub(super) layer: String,
    pub(super) kind: String,
    pub(super) path: String,
    pub(super) sha256: Option<String>,
    pub(super) checks: Vec<(String, String)>,
    pub(super) verification: Option<String>,
    pub(super) expires: Option<Time>,
}

impl BomEvidence {
    pub(super) fn failed(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|(_, v)| v == "fail")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    pub(super) fn ok(&self) -> bool {
        self.failed().is_empty() && !matches!(self.verification.as_deref(), Some("fail" | "failed"))
    }
}

fn prop<'v>(c: &'v serde_json::Value, name: &str) -> Option<&'v str> {
    c.get("properties")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))?
        .get("value")?
        .as_str()
}

pub(super) fn bom_evidence(bom: &serde_json::Value) -> Vec<BomEvidence> {
    let mut out = Vec::new();
    let layers = bom.get("components").and_then(|c| c.as_array());
    for layer in layers.into_iter().flatten() {
        let layer_name = prop(layer, "strata:layer").unwrap_or("device").to_string();
        let nested = layer.get("components").and_then(|c| c.as_array());
        for c in nested.into_iter().flatten() {
            let (Some(kind), Some(bom_ref)) = (
                prop(c, "strata:evidence:kind"),
                c.get("bom-ref").and_then(|r| r.as_str()),
            ) else {
                continue;
            };
            let props = c.get("properties").and_then(|p| p.as_array());
            let mut checks = Vec::new();
            let mut expires = None;
            for p in props.into_iter().flatten() {
                let (Some(n), Some(v)) = (
                    p.get("name").and_then(|n| n.as_str()),
                    p.get("value").and_then(|v| v.as_str()),
                ) else {
                    continue;
                };
                if let Some(check) = n.strip_prefix("strata:evidence:check:") {
                    checks.push((check.to_string(), v.to_string()));
                } else if n.ends_with(":not-after") || n == "strata:evidence:uptane:expires" {
                    let t = Time::parse(v).ok();
                    expires = match (expires, t) {
                        (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            let sha256 = c
                .get("hashes")
                .and_then(|h| h.as_array())
                .and_then(|h| {
                    h.iter()
                        .find(|x| x.get("alg").and_then(|a| a.as_str()) == Some("SHA-256"))
                })
                .and_then(|x| x.get("content"))
                .and_then(|x| x.as_str())
                .map(str::to_string);
            out.push(BomEvidence {
                bom_ref: bom_ref.to_string(),
                layer: layer_name.clone(),
                kind: kind.to_string(),
                path: prop(c, "strata:evidence:path")
                    .unwrap_or(bom_ref)
                    .to_string(),
                sha256,
                checks,
                verification: prop(c, "strata:evidence:verification").map(str::to_string),
                expires,
            });
        }
    }
    out
}

/// The targets: the device and its layers by BOM-Link, the vendor groups by
/// name. Returns the targets and each layer's target bom-ref.
pub(super) fn targets(ctx: &Context<'_>) -> (Targets, Vec<(LayerName, String)>) {
    let bom = &ctx.bom.value;
    let device_ref = bom
        .pointer("/metadata/component/bom-ref")
        .and_then(|r| r.as_str());
    let mut components = vec![Component {
        kind: "device".into(),
        bom_ref: Some(DEVICE.into()),
        name: ctx.device.name.clone(),
        version: None,
        external_references: vec![
            ctx.bom
                .reference(device_ref, "the device in its attestation"),
        ],
        properties: vec![],
    }];
    let mut layer_targets = Vec::new();
    let layers = bom.get("components").and_then(|c| c.as_array());
    for l in &ctx.device.layers {
        let found = layers
            .into_iter()
            .flatten()
            .find(|c| prop(c, "strata:layer") == Some(l.layer.as_str()));
        let Some(c) = found else { continue };
        let target = format!("target:layer:{}", l.layer.as_str());
        components.push(Component {
            kind: c
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("device")
                .into(),
            bom_ref: Some(target.clone()),
            name: l.product.clone(),
            version: c
                .get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            external_references: vec![ctx.bom.reference(
                c.get("bom-ref").and_then(|r| r.as_str()),
                &format!("the {} layer in the device's attestation", l.layer.as_str()),
            )],
            properties: vec![],
        });
        layer_targets.push((l.layer, target));
    }
    let organizations = ctx
        .device
        .concentration
        .groups
        .iter()
        .map(|g| OrganizationalEntity {
            bom_ref: Some(format!("target:group:{}", g.group)),
            name: g.name.clone(),
            contact: vec![],
        })
        .collect();
    (
        Targets {
            organizations,
            components,
        },
        layer_targets,
    )
}
