//! The product, AI and data rules that fit a device's deployment, brief and
//! dated: the AI Act articles an employer meets as deployer (Art. 4, Art. 5(1)(f),
//! Art. 26 with Annex III point 4, Art. 50) or as buyer of a GPAI-based
//! product, the Data Act's user access and sharing rights for a connected
//! vehicle (Arts 4–5), and ePrivacy Art. 5(3) for every device the stack
//! reads or writes remotely. Each rule says why it fits this deployment
//! (or why it does not, where a reader would expect it) and its date from
//! the regulatory calendar ([`super::dated`]).

use serde::Serialize;

use super::{Dated, Input, dated};
use crate::model::DeviceClass;

/// One rule as it applies to the device.
#[derive(Debug, Clone, Serialize)]
pub struct RuleNote {
    /// The rule (`AI Act Art. 5(1)(f)`).
    pub rule: String,
    /// Why it fits this deployment.
    pub fits: String,
    /// What it asks of the organisation.
    pub duty: String,
    /// Its date, from the calendar; absent for a rule in force without a
    /// date of its own to state (ePrivacy Art. 5(3)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Dated>,
}

/// The rules that fit the device, in a fixed order.
pub fn rules(i: &Input<'_>) -> Vec<RuleNote> {
    let mut out = Vec::new();
    let date = |id: &str| Some(dated(i.calendar, id, i.today));
    let vehicle = i.device.class == DeviceClass::Vehicle || i.stack.layers.vehicle.is_some();
    let deployment = i.device.deployment.as_deref();
    let byod = deployment == Some("byod");
    let agent = i.stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    let model = i.stack.layers.model.as_ref();

    if let Some(a) = agent {
        let name = &a.name;
        // Who deploys the agent decides which AI Act duties fall on the
        // organisation.
        let deployer = if byod {
            format!(
                "on employees' own devices the organisation does not use agent `{name}` under its authority, so it is not its deployer unless it uses the agent for work"
            )
        } else {
            format!(
                "the organisation provides the {} with agent `{name}` for work, so it deploys the agent (Art. 3(4))",
                if vehicle { "car" } else { "device" }
            )
        };
        out.push(RuleNote {
            rule: "AI Act Art. 4 (AI literacy)".into(),
            fits: deployer.clone(),
            duty: if byod {
                "train the staff who use the agent for work, if the organisation lets them; otherwise none".into()
            } else {
                "ensure the staff who use the agent have sufficient AI literacy (training, usage rules)".into()
            },
            date: date("ai-act-prohibitions"),
        });
        let senses = a
            .permissions
            .iter()
            .any(|p| p == "camera-microphone" || p == "sensors");
        let cabin = i.stack.layers.services.as_ref().is_some_and(|s| {
            s.endpoints
                .iter()
                .any(|e| e.data.iter().any(|d| d == "cabin-audio"))
        });
        if senses || cabin {
            out.push(RuleNote {
                rule: "AI Act Art. 5(1)(f) (emotion recognition in the workplace)".into(),
                fits: format!(
                    "agent `{name}` reads {} of {} at work",
                    if vehicle { "the cabin's camera, microphone or audio" } else { "sensors, camera or microphone" },
                    if vehicle { "the drivers" } else { "employees" }
                ),
                duty: "obtain the vendor's written statement that no emotion of employees is inferred, and switch off any feature that does; such inference is prohibited (medical and safety reasons aside)".into(),
                date: date("ai-act-prohibitions"),
            });
        }
        out.push(RuleNote {
            rule: "AI Act Art. 26 and Annex III point 4 (employment)".into(),
            fits: format!(
                "agent `{name}` is not high-risk by its intended purpose; it becomes an Annex III point 4(b) system if the organisation uses it, or the {} data it gathers, to monitor or evaluate workers",
                if vehicle { "vehicle's" } else { "device's" }
            ),
            duty: "do not use it to monitor or evaluate workers; if that changes, the Art. 26 deployer duties apply (use per instructions, human oversight, logs, informing workers' representatives and the workers affected, Art. 26(7))".into(),
            date: date("ai-act-annex-iii"),
        });
        if a.actions == Some(true) && a.permissions.iter().any(|p| p == "communications") {
            out.push(RuleNote {
                rule: "AI Act Art. 50 (transparency)".into(),
                fits: format!(
                    "agent `{name}` acts for the {} towards other people ({})",
                    if vehicle { "driver" } else { "user" },
                    if vehicle { "through the driver's paired phone" } else { "messages, calls" }
                ),
                duty: "the vendor as provider must let people know they deal with an AI system (Art. 50(1)); ask how recipients of the agent's messages are told, and tell employees and correspondents in the privacy notice".into(),
                date: date("ai-act-art50"),
            });
        }
    }
    if let Some(m) = model.filter(|m| m.supplier.is_some() || !m.parts.is_empty()) {
        out.push(RuleNote {
            rule: "AI Act Chapter V (general-purpose AI models)".into(),
            fits: format!("the stack runs the model {}", m.display_product()),
            duty: "duties fall on the model's provider, not the buyer: ask the vendor for its technical documentation summary and training-content summary (Art. 53) and whether it notified the model as of systemic risk (Art. 51–52)".into(),
            date: date("ai-act-gpai"),
        });
    }
    if vehicle {
        out.push(RuleNote {
            rule: "Data Act Arts 4–5 (connected products)".into(),
            fits: "the car is a connected product; the organisation, as its owner or lessee, is its user".into(),
            duty: "claim access to the data the car generates (Art. 4) and have it shared with a third party such as a fleet-management or repair provider (Art. 5); agree with the manufacturer how, in the contract".into(),
            date: date("data-act"),
        });
        out.push(RuleNote {
            rule: "Data Act Art. 3(1) (access by design)".into(),
            fits: "applies to connected products placed on the market after its date".into(),
            duty: "for cars first placed on the market after that date, require direct user access to the vehicle data in the specification".into(),
            date: date("data-act-design"),
        });
        out.push(RuleNote {
            rule: "AI Act, AI in type-approved vehicles (Annex I Section B)".into(),
            fits: "AI in the car reaches the AI Act through the vehicle type-approval acts, not directly".into(),
            duty: "track the type-approval acts' AI requirements; nothing to do for the buyer now".into(),
            date: date("ai-act-annex-i"),
        });
    }
    if let Some(why) = terminal_access(i, vehicle) {
        out.push(RuleNote {
            rule: "ePrivacy Directive Art. 5(3) (terminal equipment)".into(),
            fits: why,
            duty: "storing or reading information on the device needs the user's consent unless strictly necessary for a service the user requested (EDPB Guidelines 2/2023 read this broadly: apps, SDKs, IoT, cars); the MDM's own reads count too".into(),
            date: None,
        });
    }
    out
}

/// Why ePrivacy Art. 5(3) fits: what in the stack reads or writes the
/// device remotely, or `None` when nothing does.
fn terminal_access(i: &Input<'_>, vehicle: bool) -> Option<String> {
    let mut what = Vec::new();
    let agent = i.stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    if let Some(a) = agent.filter(|a| {
        a.data_routing
            .iter()
            .any(|r| r.to != crate::model::RouteTo::OnDevice)
    }) {
        what.push(format!("agent `{}` sends device data to a cloud", a.name));
    }
    if i.stack
        .layers
        .services
        .as_ref()
        .is_some_and(|s| !s.endpoints.is_empty())
    {
        what.push("the services layer exchanges data with remote endpoints".into());
    }
    if i.stack.layers.os.is_some() || i.stack.layers.vehicle.is_some() {
        what.push(format!(
            "{} updates write to the device",
            if vehicle { "over-the-air" } else { "OS" }
        ));
    }
    if what.is_empty() {
        return None;
    }
    Some(format!(
        "the {} is terminal equipment: {}",
        if vehicle { "connected car" } else { "device" },
        what.join("; ")
    ))
}

#[cfg(test)]
mod tests;
