//! Facts a stack or the approved-device list leaves undeclared.
//!
//! An optional fact has three states: declared yes, declared no, and not
//! declared. The last is not the same as "no": an agent whose manifest omits
//! `actions` may well act on the user's behalf. Every output says "not
//! declared" for such a fact, never "no", and this module lists each one
//! with who can answer it (the vendor, or the organisation for facts of the
//! deployment) and the question to put to them, so the screening that
//! depends on it can be completed.

use serde::Serialize;

use crate::model::{RouteTo, Stack};

/// Who can supply an undeclared fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AskWhom {
    /// The vendor of the device or layer.
    Vendor,
    /// The organisation deploying the device (the approved-device list).
    Organisation,
}

impl AskWhom {
    /// `vendor` or `organisation`.
    pub fn as_str(self) -> &'static str {
        match self {
            AskWhom::Vendor => "vendor",
            AskWhom::Organisation => "organisation",
        }
    }
}

/// One fact that was not declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undeclared {
    /// The file that would declare it, relative to the fleet root.
    pub file: String,
    /// JSON pointer of the missing member in that file.
    pub pointer: String,
    /// What is not known, as a noun phrase.
    pub what: String,
    /// Who can answer.
    pub ask: AskWhom,
    /// The question to put to them.
    pub question: String,
    /// What the answer can change: WP248 criteria (`C2`), flags
    /// (`privileged-agent`) or `transfers`.
    pub affects: Vec<&'static str>,
}

/// A device's entry in the approved-device list.
#[derive(Debug, Clone, Copy)]
pub struct ListEntry<'a> {
    /// The list file, relative to the fleet root.
    pub file: &'a str,
    /// The entry's index in `devices`.
    pub index: usize,
    /// Its deployment, when declared.
    pub deployment: Option<&'a str>,
}

/// The undeclared facts of one device: its stack (at `stack_file`) and its
/// entry in the approved-device list, when it has one.
pub fn undeclared(
    stack: &Stack,
    stack_file: &str,
    entry: Option<ListEntry<'_>>,
) -> Vec<Undeclared> {
    let mut out = Vec::new();
    let mut vendor = |pointer: String, what: String, question: String, affects: &[&'static str]| {
        out.push(Undeclared {
            file: stack_file.to_string(),
            pointer,
            what,
            ask: AskWhom::Vendor,
            question,
            affects: affects.to_vec(),
        });
    };
    if let Some(a) = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref()) {
        let name = &a.name;
        let base = "/layers/model/agent";
        if a.actions.is_none() {
            vendor(
                format!("{base}/actions"),
                format!("whether agent `{name}` executes actions on the user's behalf"),
                format!(
                    "Can `{name}` act on the user's behalf (send messages, book, pay, control devices or vehicle functions), and does each action need the user's confirmation?"
                ),
                &["C2", "C8", "privileged-agent"],
            );
        }
        if a.can_disable.is_none() {
            vendor(
                format!("{base}/can-disable"),
                format!("whether agent `{name}` can be disabled on a managed device"),
                format!(
                    "Can `{name}` be disabled or removed on a managed device, and through which MDM control?"
                ),
                &["C9"],
            );
        }
        if a.data_routing.is_empty() {
            vendor(
                format!("{base}/data-routing"),
                format!("where agent `{name}`'s data goes"),
                format!(
                    "Where are `{name}`'s prompts, context and outputs processed and stored: on the device, in the vendor's cloud (which region, which legal entity) or at third parties?"
                ),
                &["C7", "transfers"],
            );
        }
        for (i, r) in a.data_routing.iter().enumerate() {
            if r.to == RouteTo::OnDevice {
                continue;
            }
            if r.region.is_none() {
                vendor(
                    format!("{base}/data-routing/{i}/region"),
                    format!("the region of agent `{name}`'s {} route", r.to.as_str()),
                    "In which country is this data processed, and from which countries can it be accessed?".into(),
                    &["transfers"],
                );
            }
            if r.operator.is_none() && r.to == RouteTo::ThirdParty {
                vendor(
                    format!("{base}/data-routing/{i}/operator"),
                    format!("who operates agent `{name}`'s third-party route"),
                    "Which legal entity receives this data, and is it a processor or an independent controller?".into(),
                    &["transfers"],
                );
            }
        }
    }
    for (layer, l) in stack.layers.iter() {
        for (i, e) in l.endpoints.iter().enumerate() {
            let at = format!("/layers/{layer}/endpoints/{i}");
            if e.region.is_none() {
                vendor(
                    format!("{at}/region"),
                    format!("the region of endpoint {}", e.host),
                    format!(
                        "In which country is {} hosted, and from which countries can its data be accessed?",
                        e.host
                    ),
                    &["transfers"],
                );
            }
            if e.data.is_empty() {
                vendor(
                    format!("{at}/data"),
                    format!("which data endpoint {} receives", e.host),
                    format!(
                        "Which categories of personal data does the device send to {}?",
                        e.host
                    ),
                    &["C3", "C4"],
                );
            }
        }
    }
    if let Some(e) = entry
        && e.deployment.is_none()
    {
        out.push(Undeclared {
            file: e.file.to_string(),
            pointer: format!("/devices/{}/deployment", e.index),
            what: format!("how device `{}` is deployed", stack.device.id),
            ask: AskWhom::Organisation,
            question: "Who uses the device: employees on corporate devices (cope), employees on their own devices (byod), a vehicle fleet (fleet-vehicle) or the public (kiosk)?".into(),
            affects: vec!["C7"],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(agent: &str) -> Stack {
        let text = format!(
            "version: 1\ndevice: {{id: d, name: D, class: phone}}\nlayers:\n  model:\n    supplier: v\n    product: M\n    agent: {agent}\n  services:\n    supplier: v\n    product: C\n    endpoints: [{{host: a.invalid}}, {{host: b.invalid, region: DE, data: [location]}}]\n"
        );
        let (v, _) = crate::yaml::parse(&text, std::path::Path::new("s.yaml")).unwrap();
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn omitted_facts_are_listed_with_their_question() {
        let s = stack(
            "{name: x, embedded: true, background: false, permissions: [], data-routing: [{to: third-party}, {to: on-device}]}",
        );
        let u = undeclared(&s, "stacks/d.yaml", None);
        let pointers: Vec<&str> = u.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/layers/model/agent/actions",
                "/layers/model/agent/can-disable",
                "/layers/model/agent/data-routing/0/region",
                "/layers/model/agent/data-routing/0/operator",
                "/layers/services/endpoints/0/region",
                "/layers/services/endpoints/0/data",
            ]
        );
        assert!(
            u.iter()
                .all(|u| u.ask == AskWhom::Vendor && u.question.ends_with('?'))
        );
        assert_eq!(u[0].affects, ["C2", "C8", "privileged-agent"]);
    }

    #[test]
    fn declared_facts_are_not_listed_whatever_their_value() {
        let s = stack(
            "{name: x, embedded: false, background: false, actions: false, can-disable: true, permissions: [], data-routing: [{to: vendor-cloud, region: CN}]}",
        );
        let u = undeclared(&s, "stacks/d.yaml", None);
        assert!(u.iter().all(|u| !u.pointer.contains("agent")), "{u:?}");
    }

    #[test]
    fn the_deployment_is_asked_of_the_organisation() {
        let s = stack(
            "{name: x, embedded: false, background: false, actions: false, can-disable: true, permissions: [], data-routing: [{to: on-device}]}",
        );
        let entry = ListEntry {
            file: "approved-devices.yaml",
            index: 4,
            deployment: None,
        };
        let u = undeclared(&s, "stacks/d.yaml", Some(entry));
        let last = u.last().unwrap();
        assert_eq!(last.pointer, "/devices/4/deployment");
        assert_eq!(last.ask, AskWhom::Organisation);
        assert_eq!(last.file, "approved-devices.yaml");
    }
}
