//! The employment context (WP249, Art. 88): when employees use the device,
//! what a DPO checks beyond the WP248 screening — that consent is not the
//! basis for employees' data, that private and work data are separated on
//! employees' own devices, that any monitoring is necessary, proportionate
//! and transparent, and which national employment law or collective
//! agreement frames it. Each point says what the answers give, or what is
//! missing; nothing is assumed from silence.

use serde::Serialize;

use super::Input;

/// One point of the employment analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// What the point is about.
    pub topic: &'static str,
    /// What applies and what the answers say.
    pub text: String,
    /// True when the answers leave it open or contradict WP249.
    pub open: bool,
}

/// The employment context of a device employees use; `None` when its
/// deployment is not an employee one (kiosk) or not declared.
#[derive(Debug, Clone, Serialize)]
pub struct Employment {
    /// The deployment it applies to (`byod`, `cope`, `fleet-vehicle`).
    pub deployment: String,
    /// Who the data subjects are, in one sentence.
    pub who: String,
    /// The points, in a fixed order.
    pub points: Vec<Point>,
}

impl Employment {
    /// The points the answers leave open.
    pub fn open(&self) -> impl Iterator<Item = &Point> {
        self.points.iter().filter(|p| p.open)
    }
}

/// The employment analysis, for an employee deployment.
pub fn employment(i: &Input<'_>) -> Option<Employment> {
    let deployment = i.device.deployment.as_deref()?;
    let who = match deployment {
        "byod" => "employees using their own devices for work",
        "cope" => "employees using devices the employer issues and lets them use privately",
        "fleet-vehicle" => "employees driving cars the employer assigns",
        _ => return None,
    };
    let a = i.answers;
    let mut points = Vec::new();
    let consent: Vec<&str> = a
        .lawful_bases
        .iter()
        .filter(|b| b.basis == "6(1)(a)" && b.employee_data != Some(false))
        .map(|b| b.purpose.as_str())
        .collect();
    points.push(if !consent.is_empty() {
        Point {
            topic: "Consent",
            text: format!(
                "Consent (Art. 6(1)(a)) is relied on for employees' data ({}): WP249 holds that employees are seldom in a position to give, refuse or revoke consent freely; choose another basis or show that refusing has no consequence",
                consent.join("; ")
            ),
            open: true,
        }
    } else if a.lawful_bases.is_empty() {
        Point {
            topic: "Consent",
            text: "The lawful bases are not stated; WP249: consent is rarely valid between employer and employee, so it should not be the basis for employees' data".into(),
            open: true,
        }
    } else {
        Point {
            topic: "Consent",
            text: "Consent is not relied on for employees' data, as WP249 advises (employees are seldom free to refuse their employer)".into(),
            open: false,
        }
    });
    let employment = a.employment.as_ref();
    if deployment == "byod" {
        points.push(match employment.and_then(|e| e.separation.as_deref()) {
            Some(s) => Point {
                topic: "Private and work data (BYOD)",
                text: format!("WP249 requires private and work use to be kept apart on employees' own devices. The answers: {s}"),
                open: false,
            },
            None => Point {
                topic: "Private and work data (BYOD)",
                text: "WP249 requires private and work use to be kept apart on employees' own devices; the answers do not say how (employment.separation)".into(),
                open: true,
            },
        });
    }
    let gathers = monitoring_capable(i);
    points.push(match employment.and_then(|e| e.monitoring.as_deref()) {
        Some(m) => Point {
            topic: "Monitoring",
            text: format!(
                "{gathers}. WP249: any monitoring must be necessary, proportionate and transparent to the employees. The answers: {m}"
            ),
            open: false,
        },
        None => Point {
            topic: "Monitoring",
            text: format!(
                "{gathers}. WP249: any monitoring must be necessary, proportionate and transparent; the answers do not say what will and will not be monitored (employment.monitoring)"
            ),
            open: true,
        },
    });
    let laws: Vec<&str> = a
        .lawful_bases
        .iter()
        .filter(|b| b.employee_data == Some(true))
        .filter_map(|b| b.employment_law.as_deref())
        .collect();
    points.push(if laws.is_empty() {
        Point {
            topic: "National employment law (Art. 88)",
            text: "Member State law or collective agreements may set more specific rules for employees' data (e.g. works-council co-determination over technical monitoring, Germany's BetrVG s.87(1) no. 6); the answers name none (lawful-bases[].employment-law)".into(),
            open: true,
        }
    } else {
        let mut laws = laws;
        laws.sort_unstable();
        laws.dedup();
        Point {
            topic: "National employment law (Art. 88)",
            text: format!("The answers: {}", laws.join(" ")),
            open: false,
        }
    });
    Some(Employment {
        deployment: deployment.into(),
        who: format!("The data subjects include {who} (WP248 C7: a power imbalance)."),
        points,
    })
}

/// What in the stack could monitor employees, in words.
fn monitoring_capable(i: &Input<'_>) -> String {
    let mut what = Vec::new();
    let agent = i.stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    if let Some(a) = agent {
        let reach: Vec<&str> = a
            .permissions
            .iter()
            .map(String::as_str)
            .filter(|p| {
                [
                    "location",
                    "communications",
                    "calendar",
                    "camera-microphone",
                    "sensors",
                ]
                .contains(p)
            })
            .collect();
        if !reach.is_empty() {
            what.push(format!(
                "agent `{}`{} reaches {}",
                a.name,
                if a.background {
                    " runs in the background and"
                } else {
                    ""
                },
                reach.join(", ")
            ));
        }
    }
    let telemetry = i
        .stack
        .layers
        .services
        .as_ref()
        .map(|s| {
            s.endpoints
                .iter()
                .flat_map(|e| e.data.iter().map(String::as_str))
                .filter(|d| ["location", "driving-behaviour", "cabin-audio"].contains(d))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if !telemetry.is_empty() {
        let mut t = telemetry;
        t.sort_unstable();
        t.dedup();
        what.push(format!("the vendor's services receive {}", t.join(", ")));
    }
    if what.is_empty() {
        "The stack declares nothing that tracks the user".into()
    } else {
        format!(
            "The stack can reveal where employees are and what they do: {}",
            what.join("; ")
        )
    }
}

#[cfg(test)]
mod tests;
