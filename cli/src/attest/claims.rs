//! The `declarations` of one device: targets, claims, evidence, assessors,
//! attestations and the affirmation, built from the gate's checks, the
//! device's analysis, its BOM and its reviews.
//!
//! Conformance comes from the gate: a rule's requirement scores 1 when the
//! gate's check passes and 0 otherwise (warn, deny, or excepted, where the
//! exception is the mitigation strategy), and the rationale starts with the
//! gate's verdict. Review criteria score 1 when the current digest holds an
//! unexpired approval, as the rule `stale-review` judges it. Facts that
//! speak against a requirement are `counterEvidence` of their claim and
//! the claim a `counterClaim` of the requirement.

use crate::analyze::{DeviceAnalysis, ListInfo, Outcome};
use crate::cdxa::{Claim, Declarations, Evidence, EvidenceData};
use crate::clock::{Date, Time};
use crate::gate::{Check, Verdict};
use crate::model::{LayerName, Review};
use crate::policy::{Policy, RuleCode, RuleConfig};
use crate::review::{self, CriterionState};

use super::BomRef;
use super::signoff::{self, contact, end_of, map_entry, verdict_level, verdict_name};
use super::standard::{WP248_REF, criterion_ref, list_ref, rule_ref};
use super::targets::{DEVICE, bom_evidence, targets};

/// Everything one device's declarations are built from.
#[derive(Debug)]
pub struct Context<'a> {
    /// The device's analysis.
    pub device: &'a DeviceAnalysis,
    /// The gate's checks of the device, in rule order.
    pub checks: Vec<&'a Check>,
    /// The device's BOM.
    pub bom: &'a BomRef,
    /// The device's reviews, in file order.
    pub reviews: &'a [Review],
    /// The Sigstore bundle beside the BOM, if any.
    pub bundle: Option<&'a [u8]>,
    /// The policy.
    pub policy: &'a Policy,
    /// The restricted-list snapshots screened.
    pub lists: &'a [ListInfo],
    /// The DPIA the approved-device list records for the device.
    pub dpia_recorded: Option<String>,
    /// The evaluation time.
    pub at: Time,
    /// The day expiry is judged on.
    pub today: Date,
}

const ATTESTATION_EVIDENCE: &str = "evidence:attestation";

struct Out {
    claims: Vec<Claim>,
    evidence: Vec<Evidence>,
    created: String,
}

impl Out {
    fn evidence(
        &mut self,
        bom_ref: String,
        description: String,
        data: Vec<EvidenceData>,
        expires: Option<String>,
    ) -> String {
        self.evidence.push(Evidence {
            bom_ref: bom_ref.clone(),
            property_name: None,
            description,
            data,
            created: self.created.clone(),
            expires,
            author: None,
            reviewer: None,
        });
        bom_ref
    }

    #[allow(clippy::too_many_arguments)]
    fn claim(
        &mut self,
        bom_ref: String,
        target: &str,
        predicate: String,
        reasoning: String,
        holds: bool,
        evidence: Vec<String>,
        mitigations: Vec<String>,
    ) -> String {
        let (evidence, counter_evidence) = if holds {
            (evidence, vec![])
        } else {
            (vec![], evidence)
        };
        self.claims.push(Claim {
            bom_ref: bom_ref.clone(),
            target: target.to_string(),
            predicate,
            mitigation_strategies: mitigations,
            reasoning,
            evidence,
            counter_evidence,
        });
        bom_ref
    }
}

/// The declarations of one device.
pub fn declarations(ctx: &Context<'_>) -> Declarations {
    let mut out = Out {
        claims: Vec::new(),
        evidence: Vec::new(),
        created: ctx.at.to_string(),
    };
    let d = ctx.device;
    let (targets, layer_targets) = targets(ctx);
    let layer_target = |l: LayerName| {
        layer_targets
            .iter()
            .find(|(x, _)| *x == l)
            .map_or(DEVICE, |(_, t)| t.as_str())
    };

    // The attestation itself.
    let att_ev = out.evidence(
        ATTESTATION_EVIDENCE.into(),
        "The device's attestation: the CycloneDX 1.5 BOM `strata assemble` wrote from the stack manifest and its evidence.".into(),
        vec![
            EvidenceData::text("digest", ctx.bom.digest.to_string()),
            EvidenceData::text("serial-number", &ctx.bom.serial),
            EvidenceData::text("version", ctx.bom.version.to_string()),
            EvidenceData::text("bom-link", ctx.bom.link(None)),
        ],
        None,
    );

    // Evidence items and their claims.
    let items = bom_evidence(&ctx.bom.value);
    let mut item_refs: Vec<(String, String)> = Vec::new();
    for it in &items {
        let short = it.bom_ref.strip_prefix("evidence:").unwrap_or(&it.bom_ref);
        let mut data = vec![EvidenceData::text("path", &it.path)];
        if let Some(h) = &it.sha256 {
            data.push(EvidenceData::text("digest", format!("sha256:{h}")));
        }
        if let Some(v) = &it.verification {
            data.push(EvidenceData::text("verification", v));
        }
        for (n, v) in &it.checks {
            data.push(EvidenceData::text(format!("check:{n}"), v));
        }
        data.push(EvidenceData::text(
            "bom-link",
            ctx.bom.link(Some(&it.bom_ref)),
        ));
        let ev = out.evidence(
            format!("evidence:item:{short}"),
            format!(
                "{} evidence `{}` of the {} layer, hashed and checked by `strata assemble` and recorded in the attestation.",
                it.kind, it.path, it.layer
            ),
            data,
            it.expires.map(|t| t.to_string()),
        );
        let target = LayerName::ALL
            .into_iter()
            .find(|l| l.as_str() == it.layer)
            .map_or(DEVICE, layer_target);
        let digest = it
            .sha256
            .as_deref()
            .map(|h| format!(" has SHA-256 {}", &h[..h.len().min(12)]))
            .unwrap_or_default();
        let verdict = if it.checks.is_empty() && it.verification.is_none() {
            String::new()
        } else if it.ok() {
            format!(
                "; its {} checks raise no failure{}",
                it.checks.len(),
                it.verification
                    .as_deref()
                    .map(|v| format!(" (verification: {v})"))
                    .unwrap_or_default()
            )
        } else {
            format!(
                "; verification fails{}",
                if it.failed().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", it.failed().join(", "))
                }
            )
        };
        out.claim(
            format!("claim:evidence:{short}"),
            target,
            format!("Evidence `{}` ({}){digest}{verdict}.", it.path, it.kind),
            "strata assemble hashed the evidence and ran the checks its kind has; the digest and each check's outcome are recorded in the signed attestation.".into(),
            it.ok(),
            vec![ev.clone()],
            vec![],
        );
        item_refs.push((it.layer.clone(), ev));
    }

    // Layers and groups.
    let mut layer_claims = Vec::new();
    for l in &d.layers {
        let who = match &l.controlled_by {
            Some(g) => format!(
                "controlled by {}",
                l.parts
                    .iter()
                    .find(|p| &p.vendor.group == g)
                    .map_or(g.as_str(), |p| p.vendor.group_name.as_str())
            ),
            None => format!(
                "shared: {}",
                l.parts
                    .iter()
                    .map(|p| format!("{} {:.0} %", p.vendor.group_name, p.fraction * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut ev = vec![att_ev.clone()];
        ev.extend(
            item_refs
                .iter()
                .filter(|(layer, _)| layer == l.layer.as_str())
                .map(|(_, r)| r.clone()),
        );
        layer_claims.push(out.claim(
            format!("claim:layer:{}", l.layer.as_str()),
            layer_target(l.layer),
            sentence(format!("The {} layer ({}) is {who}", l.layer.as_str(), l.product)),
            "The stack manifest names each part's supplier, vendors.yaml resolves it to its ultimate group, and the signed attestation records both (strata:supplier, strata:group).".into(),
            true,
            ev,
            vec![],
        ));
    }
    let conc = &d.concentration;
    let conc_ev = out.evidence(
        "evidence:concentration".into(),
        "Concentration figures of the device computed by `strata analyze` (`--explain` shows every term).".into(),
        {
            let mut data = vec![
                EvidenceData::text("top", format!("{:.4}", conc.top.as_ref().map_or(0.0, |t| t.share))),
                EvidenceData::text("vci", conc.vci.map_or_else(|| "n/a (one layer)".to_string(), |v| format!("{v:.4}"))),
                EvidenceData::text("n-eff", format!("{:.4}", conc.n_eff)),
                EvidenceData::text("hhi", format!("{:.0}", conc.hhi)),
                EvidenceData::text("band", conc.band.as_str()),
            ];
            for g in &conc.groups {
                data.push(EvidenceData::text(
                    format!("group:{}", g.group),
                    format!("share {:.4}; controls {}", g.share, g.controls.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")),
                ));
            }
            data
        },
        None,
    );
    for g in &conc.groups {
        let controls: Vec<&str> = g.controls.iter().map(|l| l.as_str()).collect();
        layer_claims.push(out.claim(
            format!("claim:group:{}", g.group),
            &format!("target:group:{}", g.group),
            format!(
                "{} controls {} of the device's {} layers entirely{} and holds {:.0} % of the weighted stack.",
                g.name,
                controls.len(),
                d.layers.len(),
                if controls.is_empty() { String::new() } else { format!(" ({})", controls.join(", ")) },
                g.share * 100.0
            ),
            "Shares are the layers' weights times each group's fraction of them, from the attestation's layers.".into(),
            true,
            vec![att_ev.clone(), conc_ev.clone()],
            vec![],
        ));
    }
    let conc_claim = out.claim(
        "claim:concentration".into(),
        DEVICE,
        format!(
            "TOP {:.2}{}, VCI {}, N_eff {:.2}: {}.",
            conc.top.as_ref().map_or(0.0, |t| t.share),
            conc.top.as_ref().map(|t| format!(" ({})", t.name)).unwrap_or_default(),
            conc.vci.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}")),
            conc.n_eff,
            conc.band.as_str()
        ),
        "Computed by strata from the layers' weights and the groups' shares; a lawyer can recompute every figure from `strata analyze --explain`.".into(),
        true,
        vec![conc_ev.clone()],
        vec![],
    );

    // Restricted lists.
    let mut list_claims = Vec::new();
    for list in ctx.lists {
        let hits: Vec<&str> = d
            .screening
            .active
            .iter()
            .filter(|h| h.hit.list == list.id)
            .map(|h| h.hit.summary.as_str())
            .collect();
        let historical: Vec<&str> = d
            .screening
            .historical
            .iter()
            .filter(|h| h.hit.list == list.id)
            .map(|h| h.hit.summary.as_str())
            .collect();
        let mut data = vec![
            EvidenceData::text("publisher", &list.publisher),
            EvidenceData::text("source", &list.source),
            EvidenceData::text("snapshot", &list.snapshot_date),
            EvidenceData::text("active-entries", list.active_entries.to_string()),
        ];
        data.extend(hits.iter().map(|h| EvidenceData::text("active-match", *h)));
        data.extend(
            historical
                .iter()
                .map(|h| EvidenceData::text("historical-match", *h)),
        );
        let ev = out.evidence(
            format!("evidence:list:{}", list.id),
            format!("Screening of the device's vendors, their parents and aliases against the snapshot of {} in designations.yaml.", list.name),
            data,
            None,
        );
        let predicate = if hits.is_empty() {
            format!(
                "No vendor of the device matches an active entry of {} (snapshot {}).",
                list.name, list.snapshot_date
            )
        } else {
            sentence(hits.join("; "))
        };
        list_claims.push((list.id.clone(), hits.is_empty(), out.claim(
            format!("claim:restricted-list:{}", list.id),
            DEVICE,
            predicate,
            "Exact matches of supplier, parent and alias names against the list's active entries; historical entries inform only.".into(),
            hits.is_empty(),
            vec![ev],
            vec![],
        )));
    }

    // DPIA screening.
    let dpia = &d.dpia;
    let mut data: Vec<EvidenceData> = dpia
        .criteria
        .iter()
        .map(|c| {
            EvidenceData::text(
                c.code,
                format!("{}: {}", if c.met { "met" } else { "not met" }, c.reason),
            )
        })
        .collect();
    data.push(EvidenceData::text("outcome", dpia.outcome.as_str()));
    data.push(EvidenceData::text("rule", &dpia.rule));
    let dpia_ev = out.evidence(
        "evidence:dpia-screening".into(),
        "The WP248 screening of the device's stack by `strata analyze`: each criterion met or not, with the reason drawn from the stack.".into(),
        data,
        None,
    );
    let dpia_record = ctx.dpia_recorded.as_ref().map(|r| {
        out.evidence(
            "evidence:dpia-record".into(),
            format!("The DPIA the approved-device list records for the device: {r}."),
            vec![EvidenceData::text("dpia", r)],
            None,
        )
    });
    let met = dpia.met();
    let dpia_needed = dpia.outcome == Outcome::Required;
    let dpia_claim = out.claim(
        "claim:dpia-screening".into(),
        DEVICE,
        format!(
            "{} of 9 WP248 criteria met{}: DPIA {}{}.",
            met.len(),
            if met.is_empty() {
                String::new()
            } else {
                format!(" ({})", met.join(" "))
            },
            dpia.outcome.as_str(),
            ctx.dpia_recorded
                .as_deref()
                .map(|r| format!("; recorded: {r}"))
                .unwrap_or_default()
        ),
        format!(
            "{} The national Art. 35(4) list is for the DPO to check.",
            dpia.rule
        ),
        !dpia_needed,
        vec![dpia_ev.clone()],
        dpia_record.iter().cloned().collect(),
    );

    // Signature.
    let signer = ctx.bundle.map(crate::history::signer::identity);
    let sig_check = ctx
        .checks
        .iter()
        .find(|c| c.rule == RuleCode::UnsignedAttestation);
    let sig_ok = sig_check.is_none_or(|c| c.verdict == Verdict::Pass) && ctx.bundle.is_some();
    let mut data = vec![EvidenceData::text(
        "bundle",
        ctx.bundle
            .map(|b| {
                format!(
                    "{} {}",
                    crate::layout::BUNDLE_FILE,
                    crate::digest::Digest::of(b)
                )
            })
            .unwrap_or_else(|| "none".into()),
    )];
    if let Some(s) = &signer {
        data.push(EvidenceData::text("signer", s));
    }
    if let Some(c) = sig_check {
        data.push(EvidenceData::text(
            "verification",
            if c.verdict == Verdict::Pass {
                "verified against the policy's trust material"
            } else {
                c.message.as_str()
            },
        ));
    }
    let sig_ev = out.evidence(
        "evidence:signature".into(),
        "The attestation's Sigstore bundle, verified offline by the gate with every check of `strata verify` against the trust material of the policy's rule unsigned-attestation.".into(),
        data,
        None,
    );
    let sig_claim = out.claim(
        "claim:signature".into(),
        DEVICE,
        match (sig_check, &signer) {
            (Some(c), Some(s)) if c.verdict == Verdict::Pass => sentence(format!("The attestation is signed and verifies; signer: {s}")),
            (Some(c), _) if c.verdict != Verdict::Pass => sentence(format!("The attestation's signature does not verify: {}", c.message)),
            (_, Some(s)) => format!("The attestation carries a Sigstore bundle; signer claimed: {s} (the policy does not require it to verify)."),
            _ => "The attestation carries no Sigstore bundle.".into(),
        },
        "The bundle's DSSE envelope signs an in-toto statement whose subject is the attestation's SHA-256.".into(),
        sig_ok,
        vec![sig_ev],
        vec![],
    );

    // Reviews of the current digest.
    let digest = ctx.bom.digest;
    let mut review_refs: Vec<(usize, String)> = Vec::new();
    for (i, r) in ctx
        .reviews
        .iter()
        .enumerate()
        .filter(|(_, r)| r.digest == digest)
    {
        let c = contact(&r.reviewer);
        let mut data = vec![
            EvidenceData::text("verdict", r.verdict.as_str()),
            EvidenceData::text("criteria", r.criteria.join(", ")),
            EvidenceData::text("digest", r.digest.to_string()),
            EvidenceData::text("date", r.date.to_string()),
        ];
        if let Some(n) = &r.note {
            data.push(EvidenceData::text("note", n.trim()));
        }
        let bom_ref = format!("evidence:review:{i}");
        out.evidence.push(Evidence {
            bom_ref: bom_ref.clone(),
            property_name: None,
            description: format!(
                "Review entry in reviews.yaml: {} {} by {} on {}.",
                r.verdict.as_str(),
                r.criteria.join(", "),
                r.reviewer,
                r.date
            ),
            data,
            created: out.created.clone(),
            expires: r.expires.map(end_of),
            author: Some(c.clone()),
            reviewer: Some(c),
        });
        review_refs.push((i, bom_ref));
    }
    let (required, max_age) = ctx
        .policy
        .enabled()
        .find_map(|r| match &r.config {
            RuleConfig::StaleReview {
                criteria,
                max_age_days,
            } => Some((criteria.clone(), *max_age_days)),
            _ => None,
        })
        .unwrap_or_default();
    let all: Vec<String> = ctx.policy.criteria().keys().cloned().collect();
    let status = review::status(ctx.reviews, &d.id, &digest, &all, ctx.today, max_age);
    let mut criterion_claims = Vec::new();
    for (id, state) in &status.criteria {
        let refs: Vec<String> = review_refs
            .iter()
            .filter(|(i, _)| ctx.reviews[*i].criteria.contains(id))
            .map(|(_, r)| r.clone())
            .collect();
        let (holds, predicate) = match state {
            CriterionState::Approved { by, date } => (
                true,
                format!(
                    "Attestation {} is approved for {id} by {by} on {}.",
                    digest.short(),
                    date.date()
                ),
            ),
            CriterionState::Missing => (
                false,
                format!("No review of attestation {} covers {id}.", digest.short()),
            ),
            CriterionState::Rejected { by, date, .. } => (
                false,
                format!(
                    "Attestation {} is rejected for {id} by {by} on {}.",
                    digest.short(),
                    date.date()
                ),
            ),
            CriterionState::Expired { by, on } => (
                false,
                format!(
                    "The approval of attestation {} for {id} by {by} expired after {on}.",
                    digest.short()
                ),
            ),
        };
        criterion_claims.push((id.clone(), holds, out.claim(
            format!("claim:criterion:{id}"),
            DEVICE,
            predicate,
            "The newest entry in reviews.yaml for the current digest that names the criterion decides; approvals count until they expire.".into(),
            holds,
            refs,
            vec![],
        )));
    }

    // Rules, as the gate judged them.
    let mut exception_refs = Vec::new();
    let mut rule_map = Vec::new();
    for c in &ctx.checks {
        let mitigations: Vec<String> = c
            .exception
            .as_ref()
            .map(|ex| {
                let r = out.evidence(
                    format!("evidence:exception:{}", c.rule),
                    format!(
                        "Policy exception for {} on {}: {}",
                        c.device,
                        c.rule,
                        ex.reason.trim()
                    ),
                    {
                        let mut data = vec![EvidenceData::text("reason", ex.reason.trim())];
                        if let Some(a) = &ex.approved_by {
                            data.push(EvidenceData::text("approved-by", a));
                        }
                        data
                    },
                    Some(end_of(ex.expires)),
                );
                exception_refs.push(r.clone());
                r
            })
            .into_iter()
            .collect();
        let related: Vec<String> = match c.rule {
            RuleCode::MaxLayersPerGroup
            | RuleCode::FullVertical
            | RuleCode::DataPathSingleVendor => {
                let mut v = layer_claims.clone();
                v.push(conc_claim.clone());
                v
            }
            RuleCode::RequiredLayers => layer_claims.clone(),
            RuleCode::PrivilegedAgent | RuleCode::DpiaRequired => vec![dpia_claim.clone()],
            RuleCode::RestrictedEntity => list_claims.iter().map(|(_, _, r)| r.clone()).collect(),
            RuleCode::UnsignedAttestation => vec![sig_claim.clone()],
            RuleCode::StaleReview => criterion_claims
                .iter()
                .filter(|(id, _, _)| required.contains(id))
                .map(|(_, _, r)| r.clone())
                .collect(),
            // Inventory rules judge inventory sources, never one device.
            RuleCode::UnapprovedInUse
            | RuleCode::UnknownModel
            | RuleCode::UnresolvedManufacturer
            | RuleCode::BelowMinimumOs => Vec::new(),
        };
        let evidence: Vec<String> = match c.rule {
            RuleCode::MaxLayersPerGroup
            | RuleCode::FullVertical
            | RuleCode::DataPathSingleVendor => vec![att_ev.clone(), conc_ev.clone()],
            RuleCode::RequiredLayers => vec![att_ev.clone()],
            RuleCode::PrivilegedAgent | RuleCode::DpiaRequired => {
                vec![att_ev.clone(), dpia_ev.clone()]
            }
            RuleCode::RestrictedEntity => ctx
                .lists
                .iter()
                .map(|l| format!("evidence:list:{}", l.id))
                .collect(),
            RuleCode::UnsignedAttestation => vec!["evidence:signature".into()],
            RuleCode::StaleReview => review_refs.iter().map(|(_, r)| r.clone()).collect(),
            RuleCode::UnapprovedInUse
            | RuleCode::UnknownModel
            | RuleCode::UnresolvedManufacturer
            | RuleCode::BelowMinimumOs => Vec::new(),
        };
        let pass = c.verdict == Verdict::Pass;
        let claim = out.claim(
            format!("claim:rule:{}", c.rule),
            DEVICE,
            if pass {
                format!("The gate rule {} finds nothing on the device.", c.rule)
            } else {
                sentence(format!("The gate rule {} finds: {}", c.rule, c.message))
            },
            format!(
                "strata gate evaluated the rule at level {} on {}.",
                verdict_level(c),
                ctx.today
            ),
            pass,
            evidence,
            mitigations.clone(),
        );
        let rationale = match (&c.verdict, &c.exception) {
            (Verdict::Pass, _) => "pass: the gate rule finds nothing".to_string(),
            (Verdict::Excepted, Some(ex)) => format!(
                "excepted until {}: {}; finding: {}",
                ex.expires,
                ex.reason.trim(),
                c.message
            ),
            (v, _) => format!("{}: {}", verdict_name(*v), c.message),
        };
        let (claims, counter) = if pass {
            ([vec![claim], related].concat(), vec![])
        } else {
            (related, vec![claim])
        };
        rule_map.push(map_entry(
            rule_ref(c.rule),
            claims,
            counter,
            pass,
            rationale,
            mitigations,
        ));
    }
    for (id, holds, claim) in &criterion_claims {
        let state = status
            .criteria
            .iter()
            .find(|(c, _)| c == id)
            .map(|(_, s)| s);
        let rationale = match state {
            Some(CriterionState::Approved { by, date }) => {
                format!("approved by {by} on {}", date.date())
            }
            Some(CriterionState::Rejected { by, date, note }) => format!(
                "rejected by {by} on {}{}",
                date.date(),
                note.as_deref()
                    .map(|n| format!(": {}", n.trim()))
                    .unwrap_or_default()
            ),
            Some(CriterionState::Expired { by, on }) => {
                format!("the approval by {by} expired after {on}")
            }
            _ => "no review of the current digest names it".to_string(),
        };
        let (claims, counter) = if *holds {
            (vec![claim.clone()], vec![])
        } else {
            (vec![], vec![claim.clone()])
        };
        rule_map.push(map_entry(
            criterion_ref(id),
            claims,
            counter,
            *holds,
            rationale,
            vec![],
        ));
    }
    for (id, clean, claim) in &list_claims {
        let (claims, counter) = if *clean {
            (vec![claim.clone()], vec![])
        } else {
            (vec![], vec![claim.clone()])
        };
        let rationale = if *clean {
            "no active entry matches".to_string()
        } else {
            "an active entry matches a vendor of the device".to_string()
        };
        rule_map.push(map_entry(
            list_ref(id),
            claims,
            counter,
            *clean,
            rationale,
            vec![],
        ));
    }
    {
        let (claims, counter) = if dpia_needed {
            (vec![], vec![dpia_claim.clone()])
        } else {
            (vec![dpia_claim.clone()], vec![])
        };
        let rationale = match (&dpia_needed, &ctx.dpia_recorded) {
            (false, _) => format!(
                "DPIA {}: {} of 9 criteria met",
                dpia.outcome.as_str(),
                met.len()
            ),
            (true, Some(r)) => format!("DPIA required and recorded: {r}"),
            (true, None) => "DPIA required and none is recorded".to_string(),
        };
        rule_map.push(map_entry(
            WP248_REF.into(),
            claims,
            counter,
            !dpia_needed,
            rationale,
            dpia_record.iter().cloned().collect(),
        ));
    }

    let (assessors, attestations) =
        signoff::assessors_and_attestations(ctx, rule_map, &review_refs);

    Declarations {
        assessors,
        attestations,
        claims: out.claims,
        evidence: out.evidence,
        targets: Some(targets),
        affirmation: Some(signoff::affirmation(ctx, &status)),
    }
}

/// `text` ending with one full stop.
fn sentence(text: String) -> String {
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}
