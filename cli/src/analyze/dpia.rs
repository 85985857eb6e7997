//! DPIA screening: the nine WP248 rev.01 "likely high risk" criteria,
//! evaluated from a device's model/agent and services layers and its
//! deployment (units, who uses it), each met or not with the reason drawn
//! from the stack (governance-facts §1.3 and §1.4).
//!
//! ```text
//! mandatory = any(Art. 35(3)(a), (b), (c))      national lists: not checked here
//! count     = number of C1..C9 met
//! outcome   = REQUIRED                 if mandatory or count >= 2
//!             RECOMMENDED              if count == 1
//!             NOT_REQUIRED_DOCUMENTED  otherwise (the reasoning is the record)
//! ```
//!
//! Conditional criteria (C2, C9, and C5 below the fleet-size threshold)
//! carry a `review` note saying what would make them met; screening is
//! decision support for the DPO, who may override it with reasons.

use serde::Serialize;

use crate::model::{Agent, DeviceClass, Layer, RouteTo};

/// One WP248 criterion, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// `C1` … `C9`.
    pub code: &'static str,
    /// WP248 wording, shortened.
    pub title: &'static str,
    /// Whether the stack meets it.
    pub met: bool,
    /// Why, from the stack.
    pub reason: String,
    /// What a human must check: the condition that would change the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
}

/// One Art. 35(3) case that always requires a DPIA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mandatory {
    /// `Art. 35(3)(a)` …
    pub code: &'static str,
    /// What it covers.
    pub title: &'static str,
    /// Whether it applies.
    pub met: bool,
    /// Why.
    pub reason: String,
}

/// The screening outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// A mandatory case applies or two or more criteria are met.
    Required,
    /// One criterion is met.
    Recommended,
    /// None is met; the reasoning is recorded (Art. 5(2)).
    NotRequiredDocumented,
}

impl Outcome {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Required => "REQUIRED",
            Outcome::Recommended => "RECOMMENDED",
            Outcome::NotRequiredDocumented => "NOT_REQUIRED_DOCUMENTED",
        }
    }
}

/// A destination outside the EEA: a separate Chapter V (Art. 44–49) check,
/// not a WP248 criterion.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Transfer {
    /// Region code as declared (`unspecified` when missing).
    pub region: String,
    /// Host or route kind.
    pub destination: String,
    /// Operator vendor id, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Purpose, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// A device's DPIA screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DpiaScreening {
    /// C1 … C9.
    pub criteria: Vec<Criterion>,
    /// Number met.
    pub count: usize,
    /// Art. 35(3)(a)–(c).
    pub mandatory: Vec<Mandatory>,
    /// The national Art. 35(4) list is for the DPO to check.
    pub national_list: &'static str,
    /// REQUIRED, RECOMMENDED or NOT_REQUIRED_DOCUMENTED.
    pub outcome: Outcome,
    /// How the outcome follows.
    pub rule: String,
    /// Off-device destinations outside the EEA (Chapter V check).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<Transfer>,
}

impl DpiaScreening {
    /// Codes of the criteria met.
    pub fn met(&self) -> Vec<&'static str> {
        self.criteria
            .iter()
            .filter(|c| c.met)
            .map(|c| c.code)
            .collect()
    }
}

/// What the screening reads.
#[derive(Debug, Clone, Copy)]
pub struct DpiaInput<'a> {
    /// Device class.
    pub class: DeviceClass,
    /// The model layer, if any.
    pub model: Option<&'a Layer>,
    /// The services layer, if any.
    pub services: Option<&'a Layer>,
    /// Units in the fleet; `None` when no approved-device list says.
    pub units: Option<u64>,
    /// Deployment model from the approved-device list.
    pub deployment: Option<&'a str>,
    /// Market or firmware variant of the build (`CN`, `EU`), if declared.
    pub region: Option<&'a str>,
    /// Countries the devices are used in (ISO 3166 alpha-2), when declared.
    pub used_in: &'a [String],
    /// Units at or above which C5 is met.
    pub large_scale_units: u64,
}

const PROFILING: &[&str] = &[
    "browser",
    "calendar",
    "camera-microphone",
    "communications",
    "contacts",
    "iot-control",
    "location",
    "notifications",
    "sensors",
    "vehicle-telemetry",
];
const MONITORING: &[&str] = &[
    "camera-microphone",
    "communications",
    "location",
    "notifications",
    "sensors",
    "vehicle-telemetry",
];
const SENSITIVE_PERMS: &[&str] = &[
    "calendar",
    "camera-microphone",
    "communications",
    "contacts",
    "emotion-recognition",
    "location",
    "payments",
    "sensors",
    "vehicle-telemetry",
];
const SENSITIVE_DATA: &[&str] = &[
    "audio",
    "biometric",
    "biometrics",
    "cabin-audio",
    "communications",
    "driving-behaviour",
    "emotion",
    "financial",
    "health",
    "location",
    "messages",
    "payments",
    "video",
    "voice",
];
pub(crate) const CONTINUOUS_DATA: &[&str] =
    &["cabin-audio", "driving-behaviour", "location", "telemetry"];
const SPECIAL_DATA: &[&str] = &["biometric", "biometrics", "emotion", "health"];
const PRIVILEGED: &[&str] = &[
    "calendar",
    "camera-microphone",
    "communications",
    "contacts",
    "location",
    "notifications",
    "sensors",
    "vehicle-telemetry",
];
/// The EEA (EU 27 plus Iceland, Liechtenstein and Norway) as ISO 3166
/// alpha-2 codes, with `EU` and `EEA` themselves, sorted.
const EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EEA", "ES", "EU", "FI", "FR", "GR", "HR",
    "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI",
    "SK",
];

/// True for a region inside the EEA: a member state's ISO 3166 alpha-2 code
/// (any case; `EL` for Greece too), `EU` or `EEA`.
pub fn in_eea(region: &str) -> bool {
    let r = region.trim().to_ascii_uppercase();
    r == "EL" || EEA.binary_search(&r.as_str()).is_ok()
}

/// Permission domains for C6: data collected for different purposes.
fn domain(permission: &str) -> &'static str {
    match permission {
        "communications" | "notifications" => "communications",
        "calendar" | "contacts" => "calendar and contacts",
        "location" | "sensors" | "camera-microphone" | "emotion-recognition" => {
            "location and sensors"
        }
        "iot-control" => "home IoT",
        "vehicle-telemetry" => "vehicle",
        "browser" => "browsing",
        "files" => "files",
        "payments" => "payments",
        _ => "other",
    }
}

fn pick<'a>(have: &'a [String], set: &[&str]) -> Vec<&'a str> {
    have.iter()
        .map(String::as_str)
        .filter(|p| set.contains(p))
        .collect()
}

fn list(v: &[&str]) -> String {
    v.join(", ")
}

/// Why the agent is privileged (governance-facts §3.3 `PRIVILEGED_AGENT`):
/// background access to sensors, communications, calendar/contacts,
/// notifications or vehicle telemetry, or the ability to execute actions.
pub fn privileged_agent(agent: &Agent) -> Option<String> {
    let bg = if agent.background {
        pick(&agent.permissions, PRIVILEGED)
    } else {
        Vec::new()
    };
    let acts = agent.actions == Some(true);
    match (bg.is_empty(), acts) {
        (true, false) => None,
        (false, false) => Some(format!(
            "agent `{}` has background access to {}",
            agent.name,
            list(&bg)
        )),
        (true, true) => Some(format!("agent `{}` executes actions", agent.name)),
        (false, true) => Some(format!(
            "agent `{}` has background access to {} and executes actions",
            agent.name,
            list(&bg)
        )),
    }
}

/// Screen one device.
pub fn screen(input: &DpiaInput<'_>) -> DpiaScreening {
    let agent = input.model.and_then(|m| m.agent.as_ref());
    let no_agent = match input.model {
        Some(_) => "the model layer declares no agent",
        None => "the device has no model layer",
    };
    let perms: &[String] = agent.map(|a| a.permissions.as_slice()).unwrap_or_default();
    let endpoint_data: Vec<(&str, Vec<&str>)> = input
        .services
        .map(|s| {
            s.endpoints
                .iter()
                .map(|e| (e.host.as_str(), e.data.iter().map(String::as_str).collect()))
                .collect()
        })
        .unwrap_or_default();
    let endpoints_with = |set: &[&str]| -> Vec<String> {
        endpoint_data
            .iter()
            .filter_map(|(host, data)| {
                let hit: Vec<&str> = data.iter().copied().filter(|d| set.contains(d)).collect();
                (!hit.is_empty()).then(|| format!("{host} receives {}", list(&hit)))
            })
            .collect()
    };
    // Endpoints that do not say what they receive: "not declared", never
    // "receives nothing".
    let silent: Vec<&str> = endpoint_data
        .iter()
        .filter(|(_, d)| d.is_empty())
        .map(|(h, _)| *h)
        .collect();
    let silent_note = if silent.is_empty() {
        String::new()
    } else {
        format!(
            "; what {} receives is not declared (ask the vendor)",
            list(&silent)
        )
    };
    let vehicle = input.class == DeviceClass::Vehicle;
    let name = agent.map_or("", |a| a.name.as_str());
    let third_parties = !pick(perms, &["communications", "contacts", "calendar"]).is_empty();

    // C1
    let c1 = match agent {
        None => crit("C1", false, no_agent.into(), None),
        Some(a) => {
            let bg = pick(perms, PROFILING);
            if a.background && !bg.is_empty() {
                crit(
                    "C1",
                    true,
                    format!(
                        "agent `{name}` runs in the background with access to {}: persistent context builds behavioural profiles (preferences, routines, location and movements)",
                        list(&bg)
                    ),
                    None,
                )
            } else if perms.iter().any(|p| p == "vehicle-telemetry") {
                crit(
                    "C1",
                    true,
                    format!(
                        "agent `{name}` reads vehicle telemetry, which profiles driving behaviour"
                    ),
                    None,
                )
            } else if perms.iter().any(|p| p == "emotion-recognition") {
                crit(
                    "C1",
                    true,
                    format!("agent `{name}` recognises emotions, an evaluation of the person"),
                    None,
                )
            } else if !a.background {
                crit(
                    "C1",
                    false,
                    format!(
                        "agent `{name}` runs only when opened (background: false); no continuous profiling declared"
                    ),
                    None,
                )
            } else {
                crit(
                    "C1",
                    false,
                    format!("agent `{name}` has no permission that feeds a profile"),
                    None,
                )
            }
        }
    };

    // C2
    let c2_review = format!(
        "met if the employer uses {} output for performance, discipline{} or insurance decisions, or if the agent takes consequential actions without confirmation",
        if vehicle {
            "agent or telematics"
        } else {
            "agent"
        },
        if vehicle { ", driver scoring" } else { "" }
    );
    let c2 = match agent {
        None => crit("C2", false, no_agent.into(), None),
        Some(a) if a.actions == Some(true) && perms.iter().any(|p| p == "payments") => crit(
            "C2",
            true,
            format!(
                "agent `{name}` executes actions and holds the payments permission: decisions with financial effect"
            ),
            None,
        ),
        Some(a) if a.actions == Some(true) => crit(
            "C2",
            false,
            format!(
                "agent `{name}` executes actions, but no decision with legal or similarly significant effect is declared"
            ),
            Some(c2_review),
        ),
        Some(a) if a.actions == Some(false) => crit(
            "C2",
            false,
            format!("agent `{name}` takes no actions; no automated decision is declared"),
            Some(c2_review),
        ),
        Some(_) => crit(
            "C2",
            false,
            format!(
                "whether agent `{name}` executes actions is not declared (ask the vendor); no automated decision is declared"
            ),
            Some(format!("{c2_review}; declare `actions`")),
        ),
    };

    // C3
    let mon = if agent.is_some_and(|a| a.background) {
        pick(perms, MONITORING)
    } else {
        Vec::new()
    };
    let cont = endpoints_with(CONTINUOUS_DATA);
    let c3 = if !mon.is_empty() {
        crit(
            "C3",
            true,
            format!(
                "agent `{name}` has continuous background access to {} through networks; users of a managed {} cannot practically avoid it",
                list(&mon),
                if vehicle { "car" } else { "device" }
            ),
            None,
        )
    } else if perms.iter().any(|p| p == "vehicle-telemetry") {
        crit(
            "C3",
            true,
            format!("agent `{name}` collects vehicle telemetry continuously"),
            None,
        )
    } else if !cont.is_empty() {
        crit(
            "C3",
            true,
            format!(
                "services endpoint {}, collected continuously",
                cont.join("; ")
            ),
            None,
        )
    } else {
        crit(
            "C3",
            false,
            match agent {
                Some(a) if !a.background => format!(
                    "agent `{name}` does not run in the background and no endpoint is declared to receive location or telemetry{silent_note}"
                ),
                Some(_) => format!(
                    "agent `{name}` has no monitoring permission and no endpoint is declared to receive location or telemetry{silent_note}"
                ),
                None => format!(
                    "{no_agent}; no endpoint is declared to receive location or telemetry{silent_note}"
                ),
            },
            None,
        )
    };

    // C4
    let sens = pick(perms, SENSITIVE_PERMS);
    let sens_ep = endpoints_with(SENSITIVE_DATA);
    let c4 = if !sens.is_empty() {
        let why = if sens.contains(&"calendar") {
            " (calendars can reveal health appointments, religious observance, union activity)"
        } else {
            ""
        };
        crit(
            "C4",
            true,
            format!("agent `{name}` can read {}{why}", list(&sens)),
            None,
        )
    } else if !sens_ep.is_empty() {
        crit(
            "C4",
            true,
            format!("services endpoint {}", sens_ep.join("; ")),
            None,
        )
    } else {
        let ordinary = endpoints_with(&["calendar", "contacts"]);
        let files = perms.iter().any(|p| p == "files");
        let review = match (ordinary.is_empty(), files) {
            (true, false) => None,
            (false, _) => Some(format!(
                "{}: ordinary personal data unless an agent draws inferences from it; confirm",
                ordinary.join("; ")
            )),
            (true, true) => Some(format!(
                "agent `{name}` reads files, which may include personal documents; confirm"
            )),
        };
        crit(
            "C4",
            false,
            format!(
                "no permission or endpoint data of a highly personal kind (communications, location, calendar, contacts, voice, health, financial) is declared{silent_note}"
            ),
            review,
        )
    };

    // C5
    let others = if third_parties || vehicle {
        format!(
            "; {} are data subjects too",
            if vehicle {
                "passengers and other drivers"
            } else {
                "their contacts, correspondents and meeting invitees"
            }
        )
    } else {
        String::new()
    };
    let c5 = super::scale::c5(input, &others);

    // C6
    let mut domains: Vec<&str> = perms.iter().map(|p| domain(p)).collect();
    domains.sort_unstable();
    domains.dedup();
    let cross_device = domains.iter().any(|d| *d == "home IoT" || *d == "vehicle");
    let c6 = if domains.len() >= 3 || (domains.len() >= 2 && cross_device) {
        crit(
            "C6",
            true,
            format!(
                "agent `{name}` combines data collected for different purposes: {}",
                list(&domains)
            ),
            None,
        )
    } else {
        crit(
            "C6",
            false,
            match agent {
                None => no_agent.to_string(),
                Some(_) if domains.is_empty() => format!("agent `{name}` has no data permissions"),
                Some(_) => format!("agent `{name}` reaches only {}", list(&domains)),
            },
            None,
        )
    };

    // C7
    let processes = !perms.is_empty()
        || agent.is_some_and(|a| a.data_routing.iter().any(|r| r.to != RouteTo::OnDevice))
        || endpoint_data.iter().any(|(_, d)| !d.is_empty());
    let c7 = match input.deployment {
        _ if !processes => crit(
            "C7",
            false,
            "no agent permission, off-device data route or endpoint data is declared".into(),
            None,
        ),
        Some(d @ ("cope" | "byod" | "fleet-vehicle")) => crit(
            "C7",
            true,
            format!(
                "deployment `{d}`: the data subjects are employees (power imbalance, named in WP248){}",
                if vehicle {
                    "; passengers may include children"
                } else {
                    ""
                }
            ),
            None,
        ),
        Some(d) => crit(
            "C7",
            false,
            format!("deployment `{d}`: the users are not the controller's employees"),
            Some("met if children, patients or other vulnerable people use it".into()),
        ),
        None => crit(
            "C7",
            false,
            "deployment not declared".into(),
            Some(
                "set `deployment` in approved-devices.yaml; met when employees use the device"
                    .into(),
            ),
        ),
    };

    // C8
    let novel = pick(
        perms,
        &["emotion-recognition", "iot-control", "vehicle-telemetry"],
    );
    let c8 = match agent {
        None => crit("C8", false, no_agent.into(), None),
        Some(a) if a.embedded || a.actions == Some(true) || !novel.is_empty() => {
            let mut what = Vec::new();
            if a.embedded {
                what.push("embedded in the OS with system privileges".to_string());
            }
            if a.actions == Some(true) {
                what.push("executes tools on the user's behalf".to_string());
            }
            if !novel.is_empty() {
                what.push(format!("integrates {}", list(&novel)));
            }
            crit(
                "C8",
                true,
                format!("AI agent `{name}` {}", what.join("; ")),
                None,
            )
        }
        Some(a) if a.actions == Some(false) => crit(
            "C8",
            false,
            format!(
                "agent `{name}` is a stand-alone app: not embedded, no actions, no IoT or vehicle integration"
            ),
            None,
        ),
        Some(_) => crit(
            "C8",
            false,
            format!(
                "agent `{name}` is not embedded and has no IoT or vehicle integration; whether it executes actions is not declared (ask the vendor)"
            ),
            Some("met if it executes tools on the user's behalf; declare `actions`".into()),
        ),
    };

    // C9: whether the data subjects can avoid the processing depends on who
    // chose the device and whether work needs it.
    let c9 = match agent {
        None => crit("C9", false, no_agent.into(), None),
        Some(a) => match a.can_disable {
            Some(false) => c9_cannot_disable(name, input.deployment, vehicle),
            Some(true) => crit(
                "C9",
                false,
                format!("agent `{name}` can be disabled (can-disable: true)"),
                Some("met if it can lock accounts or devices".into()),
            ),
            None => crit(
                "C9",
                false,
                format!("agent `{name}`: whether it can be disabled is not declared (ask the vendor)"),
                Some("declare `can-disable`; met if it cannot be disabled on a device required for work or car use".into()),
            ),
        },
    };

    let criteria = vec![c1, c2, c3, c4, c5, c6, c7, c8, c9];
    let is = |code: &str| criteria.iter().any(|c| c.code == code && c.met);
    let special: Vec<String> = endpoints_with(SPECIAL_DATA)
        .into_iter()
        .chain(
            pick(perms, &["emotion-recognition"])
                .iter()
                .map(|p| format!("agent permission {p}")),
        )
        .collect();
    let mandatory = vec![
        Mandatory {
            code: "Art. 35(3)(a)",
            title: "systematic and extensive evaluation with decisions of legal or similarly significant effect",
            met: is("C1") && is("C2"),
            reason: if is("C1") && is("C2") {
                "C1 (evaluation) and C2 (decisions with significant effect) are both met".into()
            } else {
                "needs both C1 and C2".into()
            },
        },
        Mandatory {
            code: "Art. 35(3)(b)",
            title: "large-scale processing of special categories (Art. 9) or criminal-offence data (Art. 10)",
            met: is("C5") && !special.is_empty(),
            reason: match (is("C5"), special.is_empty()) {
                (true, false) => format!(
                    "large scale (C5) and special categories: {}",
                    special.join("; ")
                ),
                (_, true) => "no special-category data declared".into(),
                (false, false) => format!(
                    "special categories ({}) but not large scale",
                    special.join("; ")
                ),
            },
        },
        Mandatory {
            code: "Art. 35(3)(c)",
            title: "systematic monitoring of a publicly accessible area on a large scale",
            met: false,
            reason: if vehicle {
                "not determinable from the stack: check whether vehicle cameras record public roads at scale".into()
            } else {
                "the stack declares no monitoring of publicly accessible areas".into()
            },
        },
    ];
    let count = criteria.iter().filter(|c| c.met).count();
    let mandatory_met: Vec<&str> = mandatory.iter().filter(|m| m.met).map(|m| m.code).collect();
    let (outcome, rule) = if !mandatory_met.is_empty() {
        (
            Outcome::Required,
            format!("{} applies", mandatory_met.join(", ")),
        )
    } else if count >= 2 {
        (
            Outcome::Required,
            format!("{count} of 9 criteria met, 2 or more"),
        )
    } else if count == 1 {
        (Outcome::Recommended, "1 of 9 criteria met".to_string())
    } else {
        (
            Outcome::NotRequiredDocumented,
            "0 of 9 criteria met; keep this screening as the documented reasoning (Art. 5(2))"
                .to_string(),
        )
    };
    DpiaScreening {
        criteria,
        count,
        mandatory,
        national_list: "not checked: consult the competent supervisory authority's Art. 35(4) list and record its version and retrieval date",
        outcome,
        rule,
        transfers: transfers(agent, input.services),
    }
}

pub(crate) fn crit(
    code: &'static str,
    met: bool,
    reason: String,
    review: Option<String>,
) -> Criterion {
    let title = match code {
        "C1" => "Evaluation or scoring, including profiling and predicting",
        "C2" => "Automated decision-making with legal or similarly significant effect",
        "C3" => "Systematic monitoring",
        "C4" => "Sensitive data or data of a highly personal nature",
        "C5" => "Data processed on a large scale",
        "C6" => "Matching or combining datasets",
        "C7" => "Data concerning vulnerable data subjects (employees, children…)",
        "C8" => "Innovative use or new technological or organisational solutions",
        _ => "Processing that prevents exercising a right or using a service or contract",
    };
    Criterion {
        code,
        title,
        met,
        reason,
        review,
    }
}

fn transfers(agent: Option<&Agent>, services: Option<&Layer>) -> Vec<Transfer> {
    let outside = |r: Option<&String>| match r {
        None => Some("unspecified".to_string()),
        Some(r) if in_eea(r) => None,
        Some(r) => Some(r.clone()),
    };
    let mut out = Vec::new();
    for r in agent.map(|a| a.data_routing.as_slice()).unwrap_or_default() {
        if r.to == RouteTo::OnDevice {
            continue;
        }
        if let Some(region) = outside(r.region.as_ref()) {
            out.push(Transfer {
                region,
                destination: r.to.as_str().to_string(),
                operator: r.operator.clone(),
                purpose: r.purpose.clone(),
            });
        }
    }
    for e in services.map(|s| s.endpoints.as_slice()).unwrap_or_default() {
        if let Some(region) = outside(e.region.as_ref()) {
            out.push(Transfer {
                region,
                destination: e.host.clone(),
                operator: e.operator.clone(),
                purpose: e.purpose.clone(),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// C9 for an agent that cannot be disabled, as the deployment makes it: on
/// a device or car the employer issues for work the users cannot avoid it;
/// on an employee's own phone (BYOD) the employee chose the device and the
/// agent is the vendor's processing on it, so C9 turns on whether enrolling
/// that phone is the only way to work (WP249: separate private and work use).
fn c9_cannot_disable(name: &str, deployment: Option<&str>, vehicle: bool) -> Criterion {
    let cannot = format!("agent `{name}` cannot be disabled (can-disable: false)");
    match deployment {
        Some("byod") => crit(
            "C9",
            false,
            format!(
                "{cannot}, but on employees' own devices (BYOD): the employee chose the device and the agent is the vendor's processing on its private side; the employer's processing does not need it"
            ),
            Some(
                "met if enrolling the employee's own device is the only way to work access (no company device offered), or if the work profile does not keep the agent out of work data"
                    .into(),
            ),
        ),
        Some("cope") => crit(
            "C9",
            true,
            format!("{cannot} on a device the employer issues for work (COPE): its users cannot do their work without it"),
            None,
        ),
        Some("fleet-vehicle") => crit(
            "C9",
            true,
            format!("{cannot} in a car the employer assigns for work: its drivers cannot use the car without it"),
            None,
        ),
        Some("kiosk") => crit(
            "C9",
            true,
            format!("{cannot} on a shared kiosk device: whoever uses it cannot avoid it"),
            None,
        ),
        _ => crit(
            "C9",
            false,
            format!(
                "{cannot}; the deployment is not declared, so whether its users can avoid the {} is not known",
                if vehicle { "car" } else { "device" }
            ),
            Some("set `deployment` in approved-devices.yaml; met when the device or car is required for work".into()),
        ),
    }
}

#[cfg(test)]
mod tests;
