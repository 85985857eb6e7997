//! Who signs off: the assessors (strata and the reviewers of the current
//! digest) with their attestations, the mapping helpers, and the
//! affirmation whose signatories are the reviewers whose approvals count.

use crate::cdxa::{
    Affirmation, Assessor, Attestation, Confidence, Conformance, Contact, ExternalReference,
    MapEntry, OrganizationalEntity, Signatory,
};
use crate::clock::Date;
use crate::gate::{Check, Verdict};
use crate::model::Verdict as ReviewVerdict;
use crate::review::{self, CriterionState};

use super::claims::Context;
use super::standard::criterion_ref;

use crate::cdxa::STRATA_ASSESSOR as STRATA;

/// The end of a day, as an instant (expiry dates are inclusive).
pub(super) fn end_of(d: Date) -> String {
    format!("{d}T23:59:59Z")
}

/// `Name <email>` split into a contact.
pub(super) fn contact(who: &str) -> Contact {
    match who.split_once('<') {
        Some((name, rest)) => Contact {
            name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
            email: rest
                .strip_suffix('>')
                .map(|e| e.trim().to_string())
                .filter(|e| e.contains('@')),
        },
        None => Contact {
            name: Some(who.trim().to_string()),
            email: None,
        },
    }
}

/// strata and each reviewer of the current digest as assessors; strata's
/// attestation maps `rule_map`, each reviewer's the criteria they judged
/// (their newest verdict on each). `review_refs` are the reviews of the
/// current digest (index into `ctx.reviews`, evidence bom-ref).
pub(super) fn assessors_and_attestations(
    ctx: &Context<'_>,
    rule_map: Vec<MapEntry>,
    review_refs: &[(usize, String)],
) -> (Vec<Assessor>, Vec<Attestation>) {
    let d = ctx.device;
    let digest = ctx.bom.digest;
    let mut assessors = vec![Assessor {
        bom_ref: STRATA.into(),
        third_party: false,
        organization: OrganizationalEntity {
            bom_ref: None,
            name: format!(
                "strata {} (automated evaluation)",
                env!("CARGO_PKG_VERSION")
            ),
            contact: vec![],
        },
    }];
    let mut attestations = vec![Attestation {
        summary: format!(
            "strata's evaluation of {} against the policy on {}: the gate's verdict per rule, the review state per criterion, the restricted lists and the WP248 screening.",
            d.id, ctx.today
        ),
        assessor: STRATA.into(),
        map: rule_map,
    }];
    let mut reviewers: Vec<&str> = Vec::new();
    for r in ctx.reviews.iter().filter(|r| r.digest == digest) {
        if !reviewers.contains(&r.reviewer.as_str()) {
            reviewers.push(&r.reviewer);
        }
    }
    for (n, who) in reviewers.iter().enumerate() {
        let aref = format!("assessor:reviewer:{n}");
        assessors.push(Assessor {
            bom_ref: aref.clone(),
            third_party: false,
            organization: OrganizationalEntity {
                bom_ref: None,
                name: contact(who).name.unwrap_or_else(|| who.to_string()),
                contact: vec![contact(who)],
            },
        });
        let mut map = Vec::new();
        for id in ctx.policy.criteria().keys() {
            let newest = review_refs
                .iter()
                .filter(|(i, _)| {
                    ctx.reviews[*i].reviewer == *who && ctx.reviews[*i].criteria.contains(id)
                })
                .max_by(|a, b| ctx.reviews[a.0].date.cmp(&ctx.reviews[b.0].date));
            let Some((i, _)) = newest else { continue };
            let r = &ctx.reviews[*i];
            let approve = r.verdict == ReviewVerdict::Approve;
            let claim = format!("claim:criterion:{id}");
            let (claims, counter) = if approve {
                (vec![claim], vec![])
            } else {
                (vec![], vec![claim])
            };
            map.push(MapEntry {
                requirement: criterion_ref(id),
                claims,
                counter_claims: counter,
                conformance: Conformance {
                    score: if approve { 1.0 } else { 0.0 },
                    rationale: format!(
                        "{} on {}{}",
                        r.verdict.as_str(),
                        r.date,
                        r.note
                            .as_deref()
                            .map(|n| format!(": {}", n.trim()))
                            .unwrap_or_default()
                    ),
                    mitigation_strategies: vec![],
                },
                confidence: Confidence {
                    score: 1.0,
                    rationale:
                        "The reviewer's own verdict, recorded in reviews.yaml for this digest."
                            .into(),
                },
            });
        }
        attestations.push(Attestation {
            summary: format!(
                "{who}'s review of attestation {} of {}.",
                digest.short(),
                d.id
            ),
            assessor: aref,
            map,
        });
    }

    (assessors, attestations)
}

pub(super) fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Deny => "deny",
        Verdict::Excepted => "excepted",
    }
}

pub(super) fn verdict_level(c: &Check) -> &'static str {
    match c.level {
        crate::model::Level::Allow => "allow",
        crate::model::Level::Warn => "warn",
        crate::model::Level::Deny => "deny",
    }
}

pub(super) fn map_entry(
    requirement: String,
    claims: Vec<String>,
    counter_claims: Vec<String>,
    met: bool,
    rationale: String,
    mitigations: Vec<String>,
) -> MapEntry {
    MapEntry {
        requirement,
        claims,
        counter_claims,
        conformance: Conformance {
            score: if met { 1.0 } else { 0.0 },
            rationale,
            mitigation_strategies: mitigations,
        },
        confidence: Confidence {
            score: 1.0,
            rationale: "Mechanical: strata evaluated the requirement on the signed attestation and the fleet's files; the result rests on the evidence listed.".into(),
        },
    }
}

/// The reviewers whose approvals of the current digest count today, as
/// signatories, under a statement made of the criteria they certify.
pub(super) fn affirmation(ctx: &Context<'_>, status: &review::ReviewStatus) -> Affirmation {
    let mut signers: Vec<(String, Vec<String>)> = Vec::new();
    for (id, state) in &status.criteria {
        if let CriterionState::Approved { by, .. } = state {
            match signers.iter_mut().find(|(w, _)| w == by) {
                Some((_, c)) => c.push(id.clone()),
                None => signers.push((by.clone(), vec![id.clone()])),
            }
        }
    }
    let criteria: Vec<String> = ctx
        .policy
        .criteria()
        .iter()
        .map(|(id, c)| {
            format!(
                "{id}: {}",
                c.description
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    let statement = format!(
        "Each signatory approved attestation {} of {} ({}) for the criteria named in their role, certifying: {}",
        status.digest,
        ctx.device.name,
        ctx.device.id,
        criteria.join(" ")
    );
    let signatories = signers
        .into_iter()
        .map(|(who, criteria)| {
            let c = contact(&who);
            Signatory {
                name: c.name.clone().unwrap_or_else(|| who.clone()),
                role: Some(format!("approved {}", criteria.join(", "))),
                organization: OrganizationalEntity {
                    bom_ref: None,
                    name: c.name.clone().unwrap_or_else(|| who.clone()),
                    contact: vec![c],
                },
                external_reference: ExternalReference {
                    kind: "attestation".into(),
                    url: crate::layout::REVIEWS_FILE.to_string(),
                    comment: Some(format!(
                        "review entries of {} approving {} of {}",
                        who,
                        criteria.join(", "),
                        status.digest
                    )),
                    hashes: vec![],
                },
            }
        })
        .collect();
    Affirmation {
        statement,
        signatories,
    }
}
