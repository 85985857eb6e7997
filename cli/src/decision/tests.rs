//! Each decision path on the example fleet's devices, with the evidence
//! changed one fact at a time.

use std::path::{Path, PathBuf};

use super::*;
use crate::analyze::{AnalyzeOptions, FleetAnalysis, analyze_fleet};
use crate::clock::{Date, Time};
use crate::digest::Digest;
use crate::gate::AppliedException;
use crate::model::{self, FileKind, Level};
use crate::policy::RuleCode;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

struct Case {
    analysis: FleetAnalysis,
    stack: Stack,
    answers: Answers,
    attestation: &'static str,
    evidence: Vec<EvidenceCheck>,
    reviews: Vec<Review>,
    gate: Vec<gate::Check>,
    dpia_recorded: Option<String>,
    id: String,
}

impl Case {
    /// A device of the example fleet with a verified attestation, no
    /// review, no gate finding and its DPIA on record when `dpia` is given.
    fn new(id: &str, dpia: Option<&str>) -> Case {
        let analysis = analyze_fleet(&examples(), &AnalyzeOptions::default()).unwrap();
        let d = analysis.device(id).unwrap();
        let stack = model::load::<Stack>(&examples().join(&d.stack), FileKind::Stack)
            .unwrap()
            .value;
        Case {
            analysis: analysis.clone(),
            stack,
            answers: Answers {
                version: 1,
                ..Answers::default()
            },
            attestation: "signed (verified)",
            evidence: Vec::new(),
            reviews: Vec::new(),
            gate: Vec::new(),
            dpia_recorded: dpia.map(str::to_string),
            id: id.to_string(),
        }
    }

    fn device(&self) -> &DeviceAnalysis {
        self.analysis.device(&self.id).unwrap()
    }

    fn assess(&self) -> Assessment {
        assess(&Inputs {
            stack: &self.stack,
            device: self.device(),
            answers: &self.answers,
            attestation: self.attestation,
            evidence: &self.evidence,
            reviews: &self.reviews,
            gate: &self.gate,
            dpia_recorded: self.dpia_recorded.as_deref(),
            fleet: Some(&self.analysis.fleet),
            calendar: None,
            today: crate::clock::Date::parse("2026-12-01").unwrap(),
        })
    }

    fn decide(&self) -> Recommendation {
        self.assess().recommendation
    }

    /// Residual scores for every proposed risk.
    fn residual(mut self, s: u8, l: u8) -> Case {
        for r in self.assess().risks {
            let a = self.answers.risks.entry(r.id).or_default();
            a.residual_severity = Some(s);
            a.residual_likelihood = Some(l);
        }
        self
    }
}

fn review(verdict: ReviewVerdict, criteria: &str, note: &str) -> Review {
    Review {
        device: "x".into(),
        digest: Digest::parse(&format!("sha256:{}", "ab".repeat(32))).unwrap(),
        verdict,
        criteria: vec![criteria.into()],
        reviewer: "Procurement Office <procurement@example.org>".into(),
        date: Time::parse("2026-11-26T09:20:00Z").unwrap(),
        expires: None,
        note: Some(note.into()),
    }
}

fn check(rule: RuleCode, verdict: GateVerdict, exception: Option<&str>) -> gate::Check {
    gate::Check {
        device: "x".into(),
        rule,
        level: Level::Deny,
        verdict,
        message: "finding".into(),
        exception: exception.map(|r| AppliedException {
            reason: r.into(),
            expires: Date::parse("2027-03-31").unwrap(),
            approved_by: None,
        }),
        stack: "stacks/x.yaml".into(),
        listed_at: None,
        inventory: None,
    }
}

#[test]
fn a_recorded_rejection_of_the_current_digest_rejects() {
    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007")).residual(2, 2);
    c.reviews.push(review(
        ReviewVerdict::Reject,
        "procurement-approved",
        "One group controls chip, OS, agent and cloud",
    ));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject);
    assert!(
        r.reason.starts_with(
            "Procurement Office rejected this attestation (procurement-approved) on 2026-11-26"
        ),
        "{}",
        r.reason
    );
    assert!(r.reasons[0].contains("One group controls chip"));
}

#[test]
fn an_active_restricted_list_match_rejects() {
    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007")).residual(2, 2);
    let d = c
        .analysis
        .devices
        .iter_mut()
        .find(|d| d.id == c.id)
        .unwrap();
    let h = d.screening.historical[0].clone();
    d.screening.active.push(h);
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject);
    assert!(
        r.reason.starts_with("Active restricted-list match"),
        "{}",
        r.reason
    );
}

#[test]
fn a_failed_signature_or_evidence_check_never_approves() {
    for status in ["signature INVALID", "invalid"] {
        let mut c = Case::new("mixed-phone", None);
        c.attestation = status;
        let r = c.decide();
        assert_eq!(r.decision, Decision::Reject, "{status}");
    }
    let mut c = Case::new("mixed-phone", None);
    c.evidence.push(EvidenceCheck {
        layer: "model".into(),
        name: "weights.sig".into(),
        kind: "model-signing".into(),
        sha256: "00".repeat(32),
        verification: Some("failed".into()),
    });
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject);
    assert_eq!(
        r.reason,
        "Evidence verification FAILED: model: weights.sig (model-signing)."
    );
}

#[test]
fn a_gate_denial_escalates_and_an_excepted_one_does_not() {
    let mut c = Case::new("mixed-phone", None);
    c.gate
        .push(check(RuleCode::RequiredLayers, GateVerdict::Deny, None));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Escalate);
    assert!(r.reason.contains("`required-layers`"), "{}", r.reason);

    let mut c = Case::new("mixed-phone", None);
    c.gate.push(check(
        RuleCode::RequiredLayers,
        GateVerdict::Excepted,
        Some("pilot"),
    ));
    assert_ne!(c.decide().decision, Decision::Escalate);
}

#[test]
fn a_residual_high_risk_escalates() {
    let c = Case::new("pixel-9-pro", Some("DPIA-2026-004")).residual(4, 3);
    let a = c.assess();
    assert_eq!(a.art36.status, "REQUIRED");
    assert_eq!(a.recommendation.decision, Decision::Escalate);
    assert!(
        a.recommendation
            .reason
            .starts_with("Art. 36 prior consultation required")
    );
}

#[test]
fn a_required_dpia_that_is_missing_defers() {
    let c = Case::new("xiaomi-su7", None);
    let r = c.decide();
    assert_eq!(r.decision, Decision::Defer);
    assert!(
        r.reason.starts_with("A DPIA is required") && r.reason.contains("Art. 35(1)"),
        "{}",
        r.reason
    );
}

#[test]
fn an_undetermined_art36_status_defers() {
    let c = Case::new("pixel-9-pro", Some("DPIA-2026-004"));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Defer);
    assert!(
        r.reason.contains("Art. 36 status is not determined"),
        "{}",
        r.reason
    );
    let c = Case::new("pixel-9-pro", Some("DPIA-2026-004")).residual(2, 2);
    assert_eq!(c.decide().decision, Decision::ApproveWithConditions);
}

#[test]
fn contradictions_between_sources_are_flagged_and_defer() {
    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007")).residual(2, 2);
    c.reviews.push(review(
        ReviewVerdict::Approve,
        "dpo-approved",
        "BYOD in China only, miclaw cloud features disabled by policy",
    ));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Defer);
    assert_eq!(r.contradictions.len(), 1);
    let k = &r.contradictions[0];
    assert_eq!(k.topic, "whether agent `miclaw` can be disabled");
    assert!(k.one.contains("disabled by policy") && k.other.contains("can-disable: false"));

    // The same criterion approved and rejected on one digest.
    let mut c = Case::new("mixed-phone", None);
    c.reviews
        .push(review(ReviewVerdict::Approve, "security-reviewed", "ok"));
    c.reviews
        .push(review(ReviewVerdict::Reject, "security-reviewed", "no"));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject, "the rejection still decides");
    assert_eq!(r.contradictions.len(), 1);
}

#[test]
fn an_approval_over_failed_evidence_is_a_contradiction() {
    let mut c = Case::new("mixed-phone", None);
    c.reviews
        .push(review(ReviewVerdict::Approve, "security-reviewed", "ok"));
    c.evidence.push(EvidenceCheck {
        layer: "os".into(),
        name: "vbmeta.img".into(),
        kind: "avb-vbmeta".into(),
        sha256: "00".repeat(32),
        verification: Some("failed".into()),
    });
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject);
    let k = r
        .contradictions
        .iter()
        .find(|k| k.topic == "the evidence behind the security-reviewed review")
        .unwrap();
    assert!(
        k.other
            .contains("FAILED evidence verification (os: vbmeta.img)")
    );
}

#[test]
fn the_answers_contradicting_themselves_or_the_stack_defer() {
    // A processor under an Art. 28 agreement that the roles call a controller.
    let mut c = Case::new("mixed-phone", None);
    c.answers.processors = Some(vec![crate::model::Processor {
        entity: "Cloud GmbH".into(),
        service: "mail".into(),
        agreement: "DPA-1".into(),
        location: None,
    }]);
    c.answers.roles = Some(crate::model::Roles {
        controller: "Org".into(),
        established_in: Some("DE".into()),
        determination: "decides".into(),
        parties: vec![crate::model::Party {
            entity: "Cloud GmbH".into(),
            role: "independent-controller".into(),
            reason: None,
        }],
    });
    let r = c.decide();
    assert_eq!(r.decision, Decision::Defer);
    assert!(
        r.contradictions
            .iter()
            .any(|k| k.topic == "the role of Cloud GmbH")
    );

    // The answers place a recipient's processing elsewhere than the stack.
    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007")).residual(2, 2);
    c.answers.transfers.push(crate::model::TransferAnswer {
        destination: "vendor-cloud".into(),
        recipient: Some("Xiaomi Cloud Ltd".into()),
        tool: "not-a-transfer".into(),
        module: None,
        tia: None,
        local_law: None,
        reason: Some("collected by the vendor directly".into()),
    });
    c.answers.data_inventory.push(crate::model::InventoryRow {
        category: "Agent queries".into(),
        recipient: "Xiaomi Cloud Ltd (independent controller)".into(),
        location: "Frankfurt".into(),
        country: Some("DE".into()),
        retention: "vendor terms".into(),
    });
    let r = c.decide();
    let k = r
        .contradictions
        .iter()
        .find(|k| k.topic == "where Xiaomi Cloud Ltd processes the data")
        .unwrap();
    assert!(
        k.one.contains(": DE") && k.other.contains("vendor-cloud is in CN"),
        "{k:?}"
    );
    assert_eq!(r.decision, Decision::Defer);
}

#[test]
fn a_transfer_tool_the_facts_rule_out_is_a_contradiction() {
    let mut c = Case::new("pixel-9-pro", Some("DPIA-2026-004"));
    c.answers.transfers.push(crate::model::TransferAnswer {
        destination: "vendor-cloud".into(),
        recipient: None,
        tool: "adequacy".into(),
        module: None,
        tia: None,
        local_law: None,
        reason: None,
    });
    c.answers.transfers.push(crate::model::TransferAnswer {
        destination: "nowhere.invalid".into(),
        recipient: None,
        tool: "sccs".into(),
        module: Some(1),
        tia: None,
        local_law: None,
        reason: None,
    });
    let r = c.decide();
    assert!(
        r.contradictions
            .iter()
            .any(|k| k.topic == "a data destination `nowhere.invalid`")
    );
    // No calendar in the test inputs: an adequacy claim cannot be backed.
    assert!(
        r.contradictions
            .iter()
            .any(|k| k.topic == "the transfer tool for vendor-cloud")
    );
    assert_eq!(r.decision, Decision::Defer);
}

#[test]
fn approve_with_conditions_needs_a_condition_and_approve_needs_none() {
    for id in ["laptop", "mixed-phone", "pixel-9-pro"] {
        let c = Case::new(id, Some("DPIA on record")).residual(1, 1);
        let r = c.decide();
        match r.decision {
            Decision::ApproveWithConditions => assert!(!r.conditions.is_empty(), "{id}"),
            Decision::Approve => assert!(r.conditions.is_empty(), "{id}"),
            other => panic!("{id}: {other:?}: {}", r.reason),
        }
    }
    // A device with nothing open: no agent flag, no transfer, verified.
    let c = Case::new("mixed-phone", Some("DPIA-2026-002")).residual(1, 1);
    let r = c.decide();
    assert_eq!(r.decision, Decision::Approve, "{:?}", r.conditions);
    assert!(r.reason.starts_with("Nothing is open"));
    // An unverified attestation is a condition, so never a plain approve.
    let mut c = Case::new("mixed-phone", Some("DPIA-2026-002")).residual(1, 1);
    c.attestation = "unsigned";
    let r = c.decide();
    assert_eq!(r.decision, Decision::ApproveWithConditions);
    assert_eq!(r.conditions.len(), 1);
}

#[test]
fn the_strongest_outcome_decides_and_every_finding_is_listed() {
    let mut c = Case::new("xiaomi-su7", None);
    c.gate
        .push(check(RuleCode::RequiredLayers, GateVerdict::Deny, None));
    c.reviews
        .push(review(ReviewVerdict::Reject, "security-reviewed", "no"));
    let r = c.decide();
    assert_eq!(r.decision, Decision::Reject);
    assert!(r.reasons.iter().any(|x| x.contains("policy gate denies")));
    assert!(
        r.reasons
            .iter()
            .any(|x| x.starts_with("A DPIA is required"))
    );
}

#[test]
fn a_failed_evidence_check_is_never_summarised_as_verified() {
    let check = |v: Option<&str>| EvidenceCheck {
        layer: "os".into(),
        name: "vbmeta.img".into(),
        kind: "avb-vbmeta".into(),
        sha256: "00".into(),
        verification: v.map(str::to_string),
    };
    assert_eq!(
        verification_summary("signed (verified)", &[check(Some("passed")), check(None)]),
        "signed (verified)"
    );
    let s = verification_summary("signed (verified)", &[check(Some("failed")), check(None)]);
    assert_eq!(
        s,
        "signature verified, but 1 of 2 evidence items FAILED verification"
    );
    assert!(!s.contains("signed (verified)"));
    assert_eq!(
        verification_summary("unsigned", &[check(Some("failed"))]),
        "unsigned, but 1 of 1 evidence item FAILED verification"
    );
}

#[test]
fn conditions_are_clauses_with_owner_verification_and_remedy() {
    for id in [
        "laptop",
        "mixed-phone",
        "pixel-9-pro",
        "xiaomi-15s-pro-cn",
        "xiaomi-su7",
    ] {
        let r = Case::new(id, None).decide();
        for c in &r.conditions {
            assert!(c.owner.is_some(), "{id} {}: owner", c.id);
            assert!(c.verified_by.is_some(), "{id} {}: verified by", c.id);
            assert!(c.remedy.is_some(), "{id} {}: remedy", c.id);
            assert!(c.due.is_none(), "{id} {}: due only from the answers", c.id);
            for alternative in ["Disable or restrict", " or obtain", "carry one out, or"] {
                assert!(!c.text.contains(alternative), "{id} {}: {}", c.id, c.text);
            }
        }
    }
}

#[test]
fn a_cars_agent_clause_fits_a_car() {
    let r = Case::new("xiaomi-su7", None).decide();
    let agent = r
        .conditions
        .iter()
        .find(|c| c.because == "privileged embedded agent")
        .unwrap();
    assert!(!agent.text.contains("messages"), "{}", agent.text);
    assert!(!agent.text.contains("calls"), "{}", agent.text);
    assert!(
        agent.text.contains("the in-cabin camera and microphone"),
        "{}",
        agent.text
    );
    assert!(
        agent.text.contains("fleet-management platform"),
        "{}",
        agent.text
    );
    let phone = Case::new("xiaomi-15s-pro-cn", None).decide();
    let agent = phone
        .conditions
        .iter()
        .find(|c| c.because == "privileged embedded agent")
        .unwrap();
    assert!(agent.text.contains("messages and calls"), "{}", agent.text);
    assert!(
        agent
            .text
            .contains("the vendor states it cannot be disabled")
    );
}

#[test]
fn a_cap_that_is_breached_now_says_so() {
    // The example fleet's vehicle layer is 100 % Xiaomi.
    let r = Case::new("xiaomi-15s-pro-cn", None).decide();
    let cap = r
        .conditions
        .iter()
        .find(|c| c.text.starts_with("Fleet diversity cap"))
        .unwrap();
    assert!(
        cap.text
            .contains("breached now (vehicle Xiaomi Corporation 100.0 %)"),
        "{}",
        cap.text
    );
    // Without the fleet's figures the cap is stated as an obligation only.
    let c = Case::new("xiaomi-15s-pro-cn", None);
    let without = assess(&Inputs {
        fleet: None,
        stack: &c.stack,
        device: c.device(),
        answers: &c.answers,
        attestation: c.attestation,
        evidence: &c.evidence,
        reviews: &c.reviews,
        gate: &c.gate,
        dpia_recorded: c.dpia_recorded.as_deref(),
        calendar: None,
        today: crate::clock::Date::parse("2026-12-01").unwrap(),
    });
    assert!(without.recommendation.conditions.iter().any(|c| {
        c.text
            .starts_with("Fleet diversity cap: no vendor group above 50 %")
    }));
}

#[test]
fn library_conditions_take_owner_and_due_date_from_the_answers() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../schemas/answers.schema.json")).unwrap();
    let listed: Vec<&str> = schema["properties"]["condition-owners"]["propertyNames"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        conditions::KEYS.to_vec(),
        "the schema lists every key"
    );

    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007")).residual(2, 2);
    let before = c.decide();
    let agent = before
        .conditions
        .iter()
        .find(|x| x.key == Some("agent-restriction"))
        .unwrap();
    assert!(agent.due.is_none());
    c.answers.condition_owners.insert(
        "agent-restriction".into(),
        crate::model::ConditionOwner {
            owner: "Head of IT workplace services".into(),
            due: Some(Date::parse("2027-01-31").unwrap()),
        },
    );
    let after = c.decide();
    let agent = after
        .conditions
        .iter()
        .find(|x| x.key == Some("agent-restriction"))
        .unwrap();
    assert_eq!(
        agent.owner.as_deref(),
        Some("Head of IT workplace services")
    );
    assert_eq!(agent.due.as_deref(), Some("2027-01-31"));
    for k in after.conditions.iter().filter_map(|x| x.key) {
        assert!(conditions::KEYS.contains(&k), "{k}");
    }
}

#[test]
fn third_country_access_is_framed_from_where_the_devices_are_used() {
    let r7 = |c: &Case| {
        c.assess()
            .risks
            .into_iter()
            .find(|r| r.id == "R-7")
            .unwrap()
            .description
    };
    // The example China build is used in China.
    let c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007"));
    let local = r7(&c);
    assert!(
        local.starts_with("Data is collected where the devices are used (CN)"),
        "{local}"
    );
    assert!(!local.contains("Chapter V transfer rules apply"), "{local}");
    // The same phone used in Germany sends data out of the EEA.
    let mut c = Case::new("xiaomi-15s-pro-cn", Some("DPIA-2026-007"));
    let id = c.id.clone();
    let d = c.analysis.devices.iter_mut().find(|d| d.id == id).unwrap();
    d.used_in = vec!["DE".into()];
    let abroad = r7(&c);
    assert!(abroad.starts_with("Data is sent to or remotely accessible from outside the EEA"));
}
