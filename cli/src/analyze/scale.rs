//! WP248 criterion C5, "data processed on a large scale", reasoned on the
//! four factors the guidelines name (WP248 rev.01, after WP243): the
//! number of data subjects, the volume and range of data, the duration or
//! permanence of the processing, and its geographic extent. A device count
//! alone says little: the reason says what the count stands for (80
//! company laptops are at least 80 employees whose work data the agent
//! reads; 20 pool cars are at least 20 drivers and their passengers), and
//! names each factor the stack or the approved-device list does not
//! declare.
//!
//! Whether C5 is met stays strata's documented rule: at least
//! `large_scale_units` data subjects, counting one per unit (a lower bound:
//! a pool car has several drivers, a phone's contacts are data subjects
//! too). The other factors are stated for the DPO to weigh.

use super::dpia::{Criterion, DpiaInput, crit};
use crate::model::{Agent, RouteTo};
use crate::table::{count, count_as};

/// Agent permissions that are a kind of personal data (the rest, such as
/// `iot-control` or `payments`, are capabilities and are named as such).
fn data_kind(permission: &str) -> Option<&'static str> {
    Some(match permission {
        "location" => "location",
        "communications" => "communications",
        "notifications" => "notifications",
        "calendar" => "calendar",
        "contacts" => "contacts",
        "camera-microphone" => "camera and microphone",
        "sensors" => "sensor readings",
        "vehicle-telemetry" => "vehicle telemetry",
        "browser" => "browsing",
        "files" => "files",
        "payments" => "payments",
        "emotion-recognition" => "emotion inferences",
        _ => return None,
    })
}

/// Who the units stand for, by deployment, with `n` units.
fn subjects(n: u64, deployment: Option<&str>, vehicle: bool) -> String {
    match deployment {
        Some("byod") => format!(
            "{} = at least {} using their own devices (BYOD), whose private data shares the device with their work data",
            count(n, "unit"),
            count(n, "employee")
        ),
        Some("cope") => format!(
            "{} = at least {} on company devices that they may also use privately, with their work data",
            count(n, "unit"),
            count(n, "employee")
        ),
        Some("fleet-vehicle") => format!(
            "{} = at least {} (a pool vehicle usually has several)",
            count(n, if vehicle { "vehicle" } else { "unit" }),
            count(n, "driver")
        ),
        Some("kiosk") => format!(
            "{} used by the public or by shifts of staff: the number of people is not declared and is likely larger than the count",
            count(n, "kiosk")
        ),
        Some(d) => format!(
            "{} in deployment `{d}`: who uses them is not declared",
            count(n, "unit")
        ),
        None => format!(
            "{}; who uses them is not declared (set `deployment` in approved-devices.yaml)",
            count(n, "unit")
        ),
    }
}

/// The kinds of personal data the agent and the endpoints declare.
fn range(agent: Option<&Agent>, endpoint_data: &[&str]) -> String {
    let mut kinds: Vec<String> = agent
        .map(|a| {
            a.permissions
                .iter()
                .filter_map(|p| data_kind(p))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for d in endpoint_data {
        let d = d.replace('-', " ");
        if !kinds.contains(&d) {
            kinds.push(d);
        }
    }
    if kinds.is_empty() {
        return "range of data not declared (no agent permission or endpoint data category)".into();
    }
    let n = kinds.len();
    format!(
        "{} ({})",
        count_as(n as u64, "kind of personal data", "kinds of personal data"),
        kinds.join(", ")
    )
}

/// How long the processing lasts.
fn duration(agent: Option<&Agent>, vehicle: bool, continuous_data: bool) -> String {
    match agent {
        Some(a) if a.background => format!(
            "continuous: agent `{}` runs in the background for as long as the device is in use",
            a.name
        ),
        _ if vehicle || continuous_data => {
            "continuous while in use (telemetry or location streams)".into()
        }
        Some(a) => format!("while a user has agent `{}` open", a.name),
        None => "duration not declared (no agent, no continuous data stream)".into(),
    }
}

/// Where the data subjects are and where their data goes.
fn geography(region: Option<&str>, used_in: &[String], destinations: &[String]) -> String {
    let build = match region {
        Some(r) => format!("build for the {r} market"),
        None => "market of the build not declared".into(),
    };
    let to = if destinations.is_empty() {
        "no off-device destination declared".to_string()
    } else {
        format!("data goes to {}", destinations.join(", "))
    };
    let used = if used_in.is_empty() {
        "the countries where the devices are used are not declared".to_string()
    } else {
        format!("used in {}", used_in.join(", "))
    };
    format!("{build}; {to}; {used}")
}

/// Regions the agent's routes and the endpoints send data to, each once,
/// `not declared` for a route without one.
fn destinations(input: &DpiaInput<'_>, agent: Option<&Agent>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |r: Option<&String>| {
        let r = r.map_or("region not declared".to_string(), Clone::clone);
        if !out.contains(&r) {
            out.push(r);
        }
    };
    for r in agent.map(|a| a.data_routing.as_slice()).unwrap_or_default() {
        if r.to != RouteTo::OnDevice {
            add(r.region.as_ref());
        }
    }
    for e in input
        .services
        .map(|s| s.endpoints.as_slice())
        .unwrap_or_default()
    {
        add(e.region.as_ref());
    }
    out
}

/// C5 for one device: met at `large_scale_units` data subjects or more,
/// with the four WP248 factors as the reason. `others` names the
/// non-users who are data subjects too (contacts, passengers), or is
/// empty.
pub(crate) fn c5(input: &DpiaInput<'_>, others: &str) -> Criterion {
    let agent = input.model.and_then(|m| m.agent.as_ref());
    let vehicle = input.class == crate::model::DeviceClass::Vehicle;
    let endpoint_data: Vec<&str> = input
        .services
        .map(|s| {
            s.endpoints
                .iter()
                .flat_map(|e| e.data.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    let continuous_data = endpoint_data
        .iter()
        .any(|d| super::dpia::CONTINUOUS_DATA.contains(d));
    let factors = format!(
        "range: {}; duration: {}; geography: {}",
        range(agent, &endpoint_data),
        duration(agent, vehicle, continuous_data),
        geography(input.region, input.used_in, &destinations(input, agent)),
    );
    let rule = format!(
        "strata counts one data subject per unit and meets C5 at {} (WP248 sets no number)",
        input.large_scale_units
    );
    match input.units {
        Some(n) => {
            let met = n >= input.large_scale_units;
            let reason = format!(
                "data subjects: {}{others}; {factors}. {rule}: {}",
                subjects(n, input.deployment, vehicle),
                if met { "met" } else { "not met on the count" }
            );
            let review = (!met && (!others.is_empty() || agent.is_some_and(|a| a.background)))
                .then(|| {
                    "weigh the non-users, the duration and the geographic extent as well as the count: the count is a lower bound".to_string()
                });
            crit("C5", met, reason, review)
        }
        None => crit(
            "C5",
            false,
            format!(
                "data subjects: unknown, the device is not on an approved-device list (no `units`){others}; {factors}"
            ),
            Some("set `units` and `deployment` in approved-devices.yaml".into()),
        ),
    }
}
