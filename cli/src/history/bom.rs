//! What an attestation says, reduced to the facts a reviewer compares:
//! per layer its product, version, suppliers and groups, evidence digests,
//! agent permissions and data routing; the device's cloud endpoints; every
//! other `strata:*` property as a set of values.
//!
//! It reads the CycloneDX JSON `strata assemble` writes: layer components
//! carry `bom-ref` `layer:<name>` and `strata:layer`, evidence is nested
//! components with `strata:evidence:path` and a SHA-256 hash, services are
//! the BOM's `services`. Unknown shapes are read as far as they go; nothing
//! here fails on a foreign BOM.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

/// A BOM reduced for comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `strata:device:*` properties and the device name.
    pub device: BTreeMap<String, BTreeSet<String>>,
    /// Layer name → layer.
    pub layers: BTreeMap<String, LayerSummary>,
    /// Cloud endpoints by host: `region=..., operator=..., data=...`.
    pub endpoints: BTreeMap<String, String>,
}

/// One layer of a BOM.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerSummary {
    /// Product name.
    pub product: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Supplier vendor ids.
    pub suppliers: BTreeSet<String>,
    /// Group names (or ids when names are absent).
    pub groups: BTreeSet<String>,
    /// Evidence path (or name) → `sha256:<hex>`.
    pub evidence: BTreeMap<String, String>,
    /// Agent permissions.
    pub permissions: BTreeSet<String>,
    /// Agent data routing entries.
    pub routing: BTreeSet<String>,
    /// Agent facts: name, embedded, background, actions, can-disable.
    pub agent: BTreeMap<String, String>,
    /// Every other `strata:*` property: name → values.
    pub other: BTreeMap<String, BTreeSet<String>>,
}

/// The `strata:device:id` of a BOM, if it names one.
pub fn device_id(bom: &Value) -> Option<String> {
    props(bom.pointer("/metadata/component"))
        .into_iter()
        .find(|(n, _)| n == "strata:device:id")
        .map(|(_, v)| v)
}

fn props(component: Option<&Value>) -> Vec<(String, String)> {
    component
        .and_then(|c| c.get("properties"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get("name")?.as_str()?.to_string(),
                        p.get("value")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn sha256_of(component: &Value) -> Option<String> {
    component
        .get("hashes")?
        .as_array()?
        .iter()
        .find(|h| h.get("alg").and_then(Value::as_str) == Some("SHA-256"))
        .and_then(|h| h.get("content")?.as_str())
        .map(|c| format!("sha256:{c}"))
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Summarise a parsed BOM.
pub fn summarize(bom: &Value) -> Summary {
    let mut s = Summary::default();
    let meta = bom.pointer("/metadata/component");
    if let Some(name) = meta.and_then(|m| str_at(m, "name")) {
        s.device.entry("name".into()).or_default().insert(name);
    }
    for (n, v) in props(meta) {
        if let Some(short) = n.strip_prefix("strata:device:")
            && short != "fact"
        {
            s.device.entry(short.to_string()).or_default().insert(v);
        }
    }
    for c in bom
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let p = props(Some(c));
        let layer = p
            .iter()
            .find(|(n, _)| n == "strata:layer")
            .map(|(_, v)| v.clone())
            .or_else(|| {
                c.get("bom-ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("layer:"))
                    .map(str::to_string)
            });
        let Some(layer) = layer else { continue };
        s.layers.insert(layer, summarize_layer(c, p));
    }
    for svc in bom
        .get("services")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let host = str_at(svc, "name").unwrap_or_else(|| "?".to_string());
        let p = props(Some(svc));
        let get = |k: &str| {
            p.iter()
                .filter(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join("+")
        };
        let data: Vec<&str> = svc
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d.get("classification").and_then(Value::as_str))
            .collect();
        let mut parts = Vec::new();
        for (label, key) in [("region", "strata:region"), ("operator", "strata:operator")] {
            let v = get(key);
            if !v.is_empty() {
                parts.push(format!("{label}={v}"));
            }
        }
        if !data.is_empty() {
            parts.push(format!("data={}", data.join(",")));
        }
        s.endpoints.insert(host, parts.join(" "));
    }
    s
}

fn summarize_layer(c: &Value, p: Vec<(String, String)>) -> LayerSummary {
    let mut l = LayerSummary {
        product: str_at(c, "name"),
        version: str_at(c, "version"),
        ..LayerSummary::default()
    };
    let mut group_ids = BTreeSet::new();
    for (n, v) in p {
        match n.as_str() {
            "strata:layer" => {}
            "strata:supplier" => {
                l.suppliers.insert(v);
            }
            "strata:group" => {
                group_ids.insert(v);
            }
            "strata:group-name" => {
                l.groups.insert(v);
            }
            "strata:agent:permissions" => {
                l.permissions.extend(
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
            }
            "strata:agent:data-routing" => {
                l.routing.insert(v);
            }
            n if n.starts_with("strata:agent:") && n != "strata:agent:fact" => {
                let field = n.trim_start_matches("strata:agent:").to_string();
                l.agent.insert(field, v);
            }
            n if n.starts_with("strata:") => {
                l.other
                    .entry(n.trim_start_matches("strata:").to_string())
                    .or_default()
                    .insert(v);
            }
            _ => {}
        }
    }
    if l.groups.is_empty() {
        l.groups = group_ids;
    }
    if let Some(h) = sha256_of(c) {
        l.evidence.insert("(component hash)".to_string(), h);
    }
    collect_evidence(c, &mut l.evidence);
    l
}

fn collect_evidence(c: &Value, out: &mut BTreeMap<String, String>) {
    for sub in c
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = props(Some(sub))
            .into_iter()
            .find(|(n, _)| n == "strata:evidence:path")
            .map(|(_, v)| v)
            .or_else(|| str_at(sub, "name"))
            .unwrap_or_else(|| "?".to_string());
        if let Some(h) = sha256_of(sub) {
            out.insert(path, h);
        }
        collect_evidence(sub, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_committed_example_attestation() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../attestations/xiaomi-15s-pro-cn/bom.cdx.json");
        let bom: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(device_id(&bom).as_deref(), Some("xiaomi-15s-pro-cn"));
        let s = summarize(&bom);
        assert_eq!(
            s.layers.keys().collect::<Vec<_>>(),
            ["model", "os", "services", "silicon"]
        );
        let model = &s.layers["model"];
        assert!(model.permissions.contains("iot-control"));
        assert_eq!(model.routing.len(), 2);
        assert_eq!(model.agent["name"], "miclaw");
        assert!(model.groups.contains("Xiaomi Corporation"));
        let os = &s.layers["os"];
        assert_eq!(os.version.as_deref(), Some("2.0.201"));
        assert_eq!(os.evidence.len(), 2);
        assert!(s.endpoints["api.example-vendor-cloud.invalid"].contains("region=CN"));
    }
}
