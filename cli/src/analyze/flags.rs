//! The hard flags of governance-facts §3.3: independent of the weights, they
//! say *why* a score matters.
//!
//! - `full-vertical`: one group controls every layer the device has;
//! - `data-path-single-vendor`: one group controls `os`, `model` (the
//!   agent) and `services`, so collection, processing and egress sit with
//!   one party;
//! - `privileged-agent`: the agent has background access to sensors,
//!   communications, calendar/contacts, notifications or vehicle telemetry,
//!   or executes actions;
//! - `restricted-party-at-layer`: a vendor in the stack (or its parent)
//!   matches an *active* restricted-list entry.
//!
//! "Controls" means holds the whole layer: a layer split between groups is
//! controlled by none of them.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{LayerName, Stack};

use super::concentration::DeviceConcentration;
use super::dpia::privileged_agent;
use super::resolve::{LayerAnalysis, Role};
use super::screening::DeviceScreening;

/// A hard flag's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagCode {
    /// One group controls every layer.
    FullVertical,
    /// One group controls os, model and services.
    DataPathSingleVendor,
    /// The agent is privileged.
    PrivilegedAgent,
    /// A vendor matches an active restricted-list entry.
    RestrictedPartyAtLayer,
}

impl FlagCode {
    /// The kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::FullVertical => "full-vertical",
            FlagCode::DataPathSingleVendor => "data-path-single-vendor",
            FlagCode::PrivilegedAgent => "privileged-agent",
            FlagCode::RestrictedPartyAtLayer => "restricted-party-at-layer",
        }
    }
}

/// A raised flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Which flag.
    pub code: FlagCode,
    /// The group concerned, for the concentration flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Its legal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// The layers concerned.
    pub layers: Vec<LayerName>,
    /// One sentence.
    pub message: String,
}

/// The flags a device raises, in [`FlagCode`] order.
pub(crate) fn flags(
    layers: &[LayerAnalysis],
    conc: &DeviceConcentration,
    stack: &Stack,
    screening: &DeviceScreening,
) -> Vec<Flag> {
    let mut out = Vec::new();
    let held = |l: LayerName| {
        layers
            .iter()
            .find(|x| x.layer == l)
            .and_then(|x| x.controlled_by.as_deref())
    };
    let name_of = |g: &str| {
        conc.groups
            .iter()
            .find(|s| s.group == g)
            .map_or_else(|| g.to_string(), |s| s.name.clone())
    };
    let names = |ls: &[LayerName]| ls.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ");

    if let Some(first) = layers.first().and_then(|l| l.controlled_by.as_deref())
        && layers
            .iter()
            .all(|l| l.controlled_by.as_deref() == Some(first))
    {
        let ls: Vec<LayerName> = layers.iter().map(|l| l.layer).collect();
        let n = name_of(first);
        out.push(Flag {
            code: FlagCode::FullVertical,
            group: Some(first.to_string()),
            group_name: Some(n.clone()),
            message: format!("{n} controls every layer ({})", names(&ls)),
            layers: ls,
        });
    }

    if let (Some(os), Some(model), Some(services)) = (
        held(LayerName::Os),
        held(LayerName::Model),
        held(LayerName::Services),
    ) && os == model
        && model == services
    {
        let n = name_of(os);
        out.push(Flag {
            code: FlagCode::DataPathSingleVendor,
            group: Some(os.to_string()),
            group_name: Some(n.clone()),
            layers: vec![LayerName::Os, LayerName::Model, LayerName::Services],
            message: format!(
                "{n} controls os, model and services: collection, processing and egress sit with one party"
            ),
        });
    }

    if let Some(why) = stack
        .layers
        .model
        .as_ref()
        .and_then(|m| m.agent.as_ref())
        .and_then(privileged_agent)
    {
        out.push(Flag {
            code: FlagCode::PrivilegedAgent,
            group: held(LayerName::Model).map(str::to_string),
            group_name: held(LayerName::Model).map(name_of),
            layers: vec![LayerName::Model],
            message: why,
        });
    }

    if !screening.active.is_empty() {
        let ls: BTreeSet<LayerName> = screening
            .active
            .iter()
            .flat_map(|h| h.appears.iter().filter_map(|a| a.layer))
            .collect();
        let who: BTreeSet<String> = screening
            .active
            .iter()
            .map(|h| {
                let places: Vec<String> = h.appears.iter().map(|a| a.label()).collect();
                format!(
                    "`{}` ({}) on {}",
                    h.hit.vendor,
                    places.join(", "),
                    h.hit.list_name
                )
            })
            .collect();
        out.push(Flag {
            code: FlagCode::RestrictedPartyAtLayer,
            group: None,
            group_name: None,
            layers: ls.into_iter().collect(),
            message: format!(
                "active restricted-list entry: {}",
                who.into_iter().collect::<Vec<_>>().join("; ")
            ),
        });
    }
    out
}

/// Σ_l w_l · f_l over the parts whose supplier has an active restricted-list
/// hit at that layer: the device's share for fleet restricted exposure.
pub(crate) fn restricted_share(d: &super::DeviceAnalysis) -> f64 {
    let hit: BTreeSet<(LayerName, &str)> = d
        .screening
        .active
        .iter()
        .flat_map(|h| {
            h.appears
                .iter()
                .filter(|a| a.role == Role::Supplier)
                .filter_map(|a| a.layer.map(|l| (l, h.hit.vendor.as_str())))
        })
        .collect();
    d.layers
        .iter()
        .flat_map(|l| {
            l.parts
                .iter()
                .filter(|p| hit.contains(&(l.layer, p.vendor.id.as_str())))
                .map(move |p| l.weight * p.fraction)
        })
        .sum()
}
