//! Data residency for the procurement memo: where each agent data route
//! and service endpoint of the stack sends data, with its region and
//! whether that is inside the EEA (the DPIA carries the transfer analysis).

use serde::Serialize;

use crate::model::{RouteTo, Stack, Vendors};

/// Where data goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residency {
    /// The layer that sends it.
    pub layer: String,
    /// Host, or the route's kind (`vendor-cloud`, `on-device`).
    pub destination: String,
    /// Operator (vendor name), when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Region, or "not declared".
    pub region: String,
    /// `on the device`, `inside the EEA`, `outside the EEA`, `not declared`.
    pub zone: &'static str,
    /// Purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

fn operator_name(vendors: Option<&Vendors>, op: Option<&String>) -> Option<String> {
    op.map(|o| {
        vendors
            .and_then(|v| v.vendors.get(o))
            .map(|v| v.name.clone())
            .unwrap_or_else(|| o.clone())
    })
}

fn region_where(region: Option<&String>) -> (String, &'static str) {
    match region {
        Some(r) if crate::regulation::in_eea(r) => (r.clone(), "inside the EEA"),
        Some(r) => (r.clone(), "outside the EEA"),
        None => ("not declared".into(), "not declared"),
    }
}

/// Every agent data route and service endpoint with its region.
pub fn residency(stack: &Stack, vendors: Option<&Vendors>) -> Vec<Residency> {
    let mut out = Vec::new();
    for (name, layer) in stack.layers.iter() {
        if let Some(a) = &layer.agent {
            for r in &a.data_routing {
                let (region, zone) = if r.to == RouteTo::OnDevice {
                    ("on the device".to_string(), "on the device")
                } else {
                    region_where(r.region.as_ref())
                };
                out.push(Residency {
                    layer: format!("{name} (agent {})", a.name),
                    destination: r.to.as_str().to_string(),
                    operator: operator_name(vendors, r.operator.as_ref()),
                    region,
                    zone,
                    purpose: r.purpose.clone(),
                });
            }
        }
        for e in &layer.endpoints {
            let (region, zone) = region_where(e.region.as_ref());
            out.push(Residency {
                layer: name.to_string(),
                destination: e.host.clone(),
                operator: operator_name(vendors, e.operator.as_ref())
                    .or_else(|| operator_name(vendors, layer.supplier.as_ref())),
                region,
                zone,
                purpose: e.purpose.clone(),
            });
        }
    }
    out
}
