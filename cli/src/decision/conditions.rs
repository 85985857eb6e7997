//! The condition library: conditions drawn from what the evidence shows
//! (agent, transfers, concentration, deployment, vehicle), then the
//! assessors' own from the answers file, and the triggers that reopen a
//! decision.

use serde::Serialize;

use super::Inputs;
use crate::analyze::{FlagCode, Outcome};
use crate::regulation::transfers::{ChapterV, Destination, Transfers};

/// A condition attached to the recommendation: a clause with its owner,
/// due date, how it is verified and the remedy when it is not met.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionItem {
    /// `C-n`.
    pub id: String,
    /// The library condition's key ([`KEYS`]), by which the answers'
    /// `condition-owners` give it an owner and a due date; absent for the
    /// answers' own conditions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'static str>,
    /// What must be done (one obligation, no alternatives).
    pub text: String,
    /// Why (the finding that triggers it).
    pub because: String,
    /// Owner: the answers' name, or the role strata proposes.
    pub owner: Option<String>,
    /// Due date, when the answers name one (templates print "to be set").
    pub due: Option<String>,
    /// How it is verified: the strata rule or check that enforces it, or
    /// the record a person checks where strata cannot.
    pub verified_by: Option<String>,
    /// What happens while it is not met.
    pub remedy: Option<String>,
}

/// The keys of the library's conditions, by which the answers give each an
/// owner and a due date (`condition-owners`).
pub const KEYS: [&str; 10] = [
    "signed-attestation",
    "dpia",
    "dpia-decision",
    "agent-restriction",
    "transfer-tool",
    "chapter-v-status",
    "vendor-notice",
    "diversity-cap",
    "work-profile",
    "vehicle-data",
];

/// A library condition before it is numbered.
struct Clause {
    key: &'static str,
    text: String,
    because: &'static str,
    owner: String,
    verified_by: String,
    remedy: &'static str,
}

/// What an agent permission reaches, in the words of the device's class:
/// a car's agent is never said to read "messages and calls".
fn reaches(permission: &str, vehicle: bool) -> Option<&'static str> {
    Some(match (permission, vehicle) {
        ("communications", false) => "messages and calls",
        ("communications", true) => "the data of drivers' paired phones",
        ("notifications", _) => "notifications",
        ("calendar", _) => "calendar",
        ("contacts", _) => "contacts",
        ("location", _) => "location",
        ("sensors", false) => "sensors",
        ("sensors", true) => "cabin sensors",
        ("camera-microphone", false) => "camera and microphone",
        ("camera-microphone", true) => "the in-cabin camera and microphone",
        ("vehicle-telemetry", _) => "vehicle telemetry",
        ("files", _) => "files",
        ("browser", _) => "browsing",
        ("iot-control", _) => "control of connected devices",
        ("payments", _) => "payments",
        ("emotion-recognition", _) => "emotion recognition",
        _ => return None,
    })
}

/// The agent clause: disable it where it can be disabled, else restrict
/// each permission it has, in the device class's words (a car's always
/// names the in-cabin camera and microphone).
fn agent_clause(a: &crate::model::Agent, vehicle: bool) -> String {
    if a.can_disable == Some(true) {
        return format!(
            "Disable agent `{}` through device management on every unit before it is issued.",
            a.name
        );
    }
    let mut denied: Vec<&str> = a
        .permissions
        .iter()
        .filter_map(|p| reaches(p, vehicle))
        .collect();
    if vehicle && !denied.contains(&"the in-cabin camera and microphone") {
        denied.push("the in-cabin camera and microphone");
    }
    let which = if a.can_disable == Some(false) {
        "the vendor states it cannot be disabled"
    } else {
        "whether it can be disabled is not declared"
    };
    format!(
        "Restrict agent `{}` through {} before each unit is issued ({which}): deny its access to {}.",
        a.name,
        if vehicle {
            "the fleet-management platform"
        } else {
            "device management"
        },
        denied.join(", ")
    )
}

/// The fleet's layers where one vendor group holds more than half, as
/// `layer: group share` (the diversity cap is breached there now).
fn above_cap(fleet: Option<&crate::analyze::FleetConcentration>) -> Vec<String> {
    fleet
        .map(|f| {
            f.layers
                .iter()
                .flat_map(|l| {
                    l.shares.iter().filter(|g| g.share > 0.5).map(move |g| {
                        format!(
                            "{} {} {:.1} %",
                            l.layer.as_str(),
                            g.name,
                            (g.share * 1000.0).round() / 10.0
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The conditions for one device: the library's, then the answers'.
pub fn conditions(i: &Inputs<'_>, transfers: &Transfers) -> Vec<ConditionItem> {
    let (stack, device) = (i.stack, i.device);
    let vehicle =
        device.class == crate::model::DeviceClass::Vehicle || stack.layers.vehicle.is_some();
    let owner = |role: &str| match &device.owner {
        Some(o) => format!("{role} ({o})"),
        None => role.to_string(),
    };
    let mut lib: Vec<Clause> = Vec::new();
    if i.attestation != "signed (verified)" {
        lib.push(Clause {
            text: "Obtain a signed attestation of the exact build and model version, and verify it before deployment.".into(),
            key: "signed-attestation",
            because: "the attestation is not signed and verified",
            owner: "Procurement lead".into(),
            verified_by: "gate rule `unsigned-attestation` (`strata gate`) and `strata verify`".into(),
            remedy: "no unit is deployed until the attestation verifies",
        });
    }
    if device.dpia.outcome == Outcome::Required && i.dpia_recorded.is_none() {
        lib.push(Clause {
            text: "Complete and approve the DPIA before deployment (Art. 35(1)), with the views of the works council or employee representatives (Art. 35(9)).".into(),
            key: "dpia",
            because: "DPIA required, none on record",
            owner: format!("{}, with the DPO's advice", owner("Business owner")),
            verified_by: "gate rule `dpia-required`: the `dpia` reference on the approved-device list".into(),
            remedy: "no deployment; processing already started stops until the DPIA is approved",
        });
    }
    if device.dpia.outcome == Outcome::Recommended && i.dpia_recorded.is_none() {
        lib.push(Clause {
            text: "Record the DPIA decision with its reasoning (one WP248 criterion is met; Art. 5(2)) and its reference on the approved-device list (`dpia`).".into(),
            key: "dpia-decision",
            because: "DPIA recommended, no decision on record",
            owner: "DPO".into(),
            verified_by: "the `dpia` reference on the approved-device list, shown by `strata report`".into(),
            remedy: "the device is not approved until the decision is on record",
        });
    }
    let agent = stack.layers.model.as_ref().and_then(|m| m.agent.as_ref());
    if let (Some(a), Some(_)) = (agent, device.flag(FlagCode::PrivilegedAgent)) {
        lib.push(Clause {
            text: agent_clause(a, vehicle),
            key: "agent-restriction",
            because: "privileged embedded agent",
            owner: owner("Device owner"),
            verified_by: format!(
                "the {} configuration export, checked by security before issue (strata does not read it); gate rule `privileged-agent` flags the agent while its permissions stand",
                if vehicle { "fleet-management" } else { "device-management" }
            ),
            remedy: "a unit without the configuration is not issued, and one found without it is withdrawn until it is configured",
        });
    }
    // Chapter V, from the transfer analysis: a transfer without a settled
    // tool, and a destination whose status only the answers can settle.
    let label = |d: &&Destination| {
        format!(
            "{} ({})",
            d.destination,
            d.country.as_deref().unwrap_or("country not declared")
        )
    };
    let unsettled: Vec<&Destination> = transfers
        .destinations
        .iter()
        .filter(|d| !d.open.is_empty() || !d.conflicts.is_empty())
        .collect();
    let transfers_open: Vec<String> = unsettled
        .iter()
        .filter(|d| d.chapter_v == ChapterV::Transfer)
        .map(label)
        .collect();
    if !transfers_open.is_empty() {
        lib.push(Clause {
            text: format!(
                "Put a Chapter V transfer tool with its transfer impact assessment in place for each transfer ({}) before deployment; until it is signed, block those endpoints at the network and in device management.",
                transfers_open.join(", ")
            ),
            key: "transfer-tool",
            because: "personal data leaves the EEA",
            owner: "DPO, with legal".into(),
            verified_by: "the DPIA's transfer analysis, regenerated by `strata memo dpia` from the answers on every stack change; the DPO checks the signed tool and the assessment".into(),
            remedy: "the endpoints stay blocked; a transfer found without a tool stops",
        });
    }
    let to_determine: Vec<String> = unsettled
        .iter()
        .filter(|d| d.chapter_v == ChapterV::ToDetermine)
        .map(label)
        .collect();
    if !to_determine.is_empty() {
        lib.push(Clause {
            text: format!(
                "Record in the answers, for each destination whose Chapter V status is open ({}), whether the organisation discloses the data to the recipient and the transfer tool it relies on, before deployment.",
                to_determine.join(", ")
            ),
            key: "chapter-v-status",
            because: "the data alone does not settle whether Chapter V applies",
            owner: "DPO".into(),
            verified_by: "the DPIA's transfer analysis lists the destination as open until the answers settle it; `memo --final` refuses while it is open".into(),
            remedy: "the destination is treated as a transfer: its endpoints are blocked until the status is recorded",
        });
    }
    if device.flag(FlagCode::DataPathSingleVendor).is_some()
        || device.flag(FlagCode::FullVertical).is_some()
    {
        lib.push(Clause {
            text: "Contract clause: the vendor gives notice before any change of ownership or control, any designation on a restricted list, and any OTA or AI-model version change takes effect; the model version is pinned.".into(),
            key: "vendor-notice",
            because: "one vendor group controls the data path",
            owner: "Procurement lead, with legal".into(),
            verified_by: "strata re-screens the vendors on each list snapshot (gate rule `restricted-entity`); a new build changes the attestation digest, which gate rule `stale-review` catches".into(),
            remedy: "on a missed notice the buyer suspends deployment and may terminate under the contract's exit clause",
        });
        let breached = above_cap(i.fleet);
        lib.push(Clause {
            text: if breached.is_empty() {
                "Fleet diversity cap: no vendor group above 50 % of the fleet at any layer, this purchase included.".into()
            } else {
                format!(
                    "Fleet diversity cap of 50 % per vendor group and layer, breached now ({}): a plan to bring these layers under the cap is agreed before further units are bought.",
                    breached.join("; ")
                )
            },
            key: "diversity-cap",
            because: "vertical concentration",
            owner: "CIO / CISO".into(),
            verified_by: "the fleet's per-layer shares in the workings annex (`strata analyze --explain`), recomputed on each change of the approved-device list; no gate rule enforces the cap".into(),
            remedy: "no further units of a vendor group above the cap are approved until the plan is agreed",
        });
    }
    if device.deployment.as_deref() == Some("byod") {
        lib.push(Clause {
            text: "Corporate data only in a managed work profile on personally owned devices."
                .into(),
            key: "work-profile",
            because: "BYOD deployment",
            owner: owner("Device owner"),
            verified_by: "the device-management enrolment report (strata does not read it)".into(),
            remedy: "a device without the work profile gets no access to corporate data",
        });
    }
    if stack.layers.vehicle.is_some() {
        lib.push(Clause {
            text: "Contract clause: the organisation has access to the vehicle data and the right to have it shared with parties it names (EU Data Act Arts 4–5), and an exit plan; telematics sharing with the vendor stays off until the DPIA is approved.".into(),
            key: "vehicle-data",
            because: "connected vehicle",
            owner: "Procurement lead, with legal".into(),
            verified_by: "legal's contract review; the telematics setting in the fleet-management export (strata does not read either)".into(),
            remedy: "no vehicle is put into service until the clause is signed",
        });
    }
    let mut out: Vec<ConditionItem> = lib
        .into_iter()
        .map(|c| {
            let answered = i.answers.condition_owners.get(c.key);
            ConditionItem {
                id: String::new(),
                key: Some(c.key),
                text: c.text,
                because: c.because.into(),
                owner: Some(answered.map_or(c.owner, |a| a.owner.clone())),
                due: answered.and_then(|a| a.due).map(|d| d.to_string()),
                verified_by: Some(c.verified_by),
                remedy: Some(c.remedy.into()),
            }
        })
        .collect();
    out.extend(i.answers.conditions.iter().map(|c| ConditionItem {
        id: String::new(),
        key: None,
        text: c.text.clone(),
        because: "added by the assessors".into(),
        owner: c.owner.clone(),
        due: c.due.map(|d| d.to_string()),
        verified_by: c.verified_by.clone(),
        remedy: c.remedy.clone(),
    }));
    for (n, c) in out.iter_mut().enumerate() {
        c.id = format!("C-{}", n + 1);
    }
    out
}

/// What reopens the decision.
pub fn review_triggers(i: &Inputs<'_>) -> Vec<String> {
    let mut triggers = vec![
        "A new snapshot of any restricted list screened, or a first snapshot of a list not yet screened.".to_string(),
        "An OS, firmware or AI-model version change (OTA), or a new agent permission or data destination.".to_string(),
        "A change of ownership or control of a vendor group in the stack.".to_string(),
    ];
    for c in i.gate {
        if let Some(ex) = &c.exception {
            triggers.push(format!(
                "Expiry of the policy exception for `{}` on {}.",
                c.rule, ex.expires
            ));
        }
    }
    triggers
}
