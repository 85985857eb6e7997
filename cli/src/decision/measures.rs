//! The measure register of a DPIA (Art. 35(7)(d)): each measure with the
//! risks it treats, its owner, status (planned, in place, verified) and
//! its effect on likelihood or severity; the residual score of a risk,
//! declared by the assessors or computed from the measures' effects, with
//! the reason for it; and the checks that make a register wrong rather
//! than incomplete (an unknown risk id, a duplicate measure id, a residual
//! score worse than the inherent one).
//!
//! A plain sentence in the answers' `measures:` list (older answers files)
//! is a measure that treats no stated risk and has no owner or status: it
//! is listed, never spread over every risk. A plain sentence under a risk
//! (`risks: {R-1: {measures: [...]}}`) treats that risk only.

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::model::{Answers, MeasureEntry, MeasureStatus};

/// One measure of the register, as the memos show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureItem {
    /// `M-n`.
    pub id: String,
    /// What is done.
    pub text: String,
    /// The risks it treats (empty: not stated).
    pub treats: Vec<String>,
    /// Who is responsible; null when not stated.
    pub owner: Option<String>,
    /// `planned`, `in-place` or `verified`; null when not stated.
    pub status: Option<&'static str>,
    /// `likelihood`, `severity` or `both`; null when not stated.
    pub effect: Option<&'static str>,
    /// Scale steps it lowers its score by (0 without an effect).
    pub steps: u8,
    /// Where its implementation is documented.
    pub evidence: Option<String>,
    /// Who or what verified it.
    pub verified_by: Option<String>,
    /// Where it is in the answers file (a JSON pointer).
    pub pointer: String,
    /// A plain sentence from an older answers file.
    pub plain: bool,
    /// Risks it names that strata did not propose for this device (a
    /// fixed risk type whose conditions the stack does not meet): an open
    /// point, refused by `--final`. Filled by [`not_in_register`].
    pub not_in_register: Vec<String>,
}

impl MeasureItem {
    fn plain(id: String, text: &str, treats: Vec<String>, pointer: String) -> MeasureItem {
        MeasureItem {
            id,
            text: text.to_string(),
            treats,
            owner: None,
            status: None,
            effect: None,
            steps: 0,
            evidence: None,
            verified_by: None,
            pointer,
            plain: true,
            not_in_register: Vec::new(),
        }
    }

    /// True when it treats risk `id`.
    pub fn treats(&self, id: &str) -> bool {
        self.treats.iter().any(|t| t == id)
    }
}

/// The measure register of `answers`: the top-level list in file order
/// (`M-<position>` unless an id is given), then each risk's plain
/// sentences (by risk id, then in order), numbered after them.
pub fn register(answers: &Answers) -> Vec<MeasureItem> {
    let mut out: Vec<MeasureItem> = answers
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let pointer = format!("/measures/{i}");
            let numbered = format!("M-{}", i + 1);
            match m {
                MeasureEntry::Plain(t) => MeasureItem::plain(numbered, t, Vec::new(), pointer),
                MeasureEntry::Measure(m) => MeasureItem {
                    id: m.id.clone().unwrap_or(numbered),
                    text: m.text.clone(),
                    treats: m.treats.clone(),
                    owner: m.owner.clone(),
                    status: m.status.map(MeasureStatus::as_str),
                    effect: m.effect.map(|e| e.as_str()),
                    steps: if m.effect.is_some() {
                        m.steps.unwrap_or(1)
                    } else {
                        0
                    },
                    evidence: m.evidence.clone(),
                    verified_by: m.verified_by.clone(),
                    pointer,
                    plain: false,
                    not_in_register: Vec::new(),
                },
            }
        })
        .collect();
    let extra = answers
        .extra_risks
        .iter()
        .enumerate()
        .map(|(k, a)| (format!("X-{}", k + 1), format!("/extra-risks/{k}"), a));
    let proposed = answers
        .risks
        .iter()
        .map(|(id, a)| (id.clone(), format!("/risks/{id}"), a));
    for (risk, at, a) in proposed.chain(extra) {
        for (j, t) in a.measures.iter().enumerate() {
            let id = format!("M-{}", out.len() + 1);
            out.push(MeasureItem::plain(
                id,
                t,
                vec![risk.clone()],
                format!("{at}/measures/{j}"),
            ));
        }
    }
    out
}

/// Mark in each measure the risks it treats that are not in `register`
/// (the ids of this device's risks).
pub fn not_in_register(measures: &mut [MeasureItem], register: &[&str]) {
    for m in measures {
        m.not_in_register = m
            .treats
            .iter()
            .filter(|t| !register.contains(&t.as_str()))
            .cloned()
            .collect();
    }
}

/// Where risk `id`'s assessment is in the answers file: `/risks/R-n`, or
/// `/extra-risks/<n-1>` for `X-n`.
pub fn risk_pointer(id: &str) -> String {
    match id.strip_prefix("X-").and_then(|n| n.parse::<usize>().ok()) {
        Some(n) if n >= 1 => format!("/extra-risks/{}", n - 1),
        _ => format!("/risks/{id}"),
    }
}

/// A residual score and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Residual {
    /// Residual severity.
    pub severity: Option<u8>,
    /// Residual likelihood.
    pub likelihood: Option<u8>,
    /// `answers` (declared by the assessors) or `computed` (from the
    /// measures' effects); null when not assessed.
    pub by: Option<&'static str>,
    /// Why (the answers' `residual-reason`, or the computation).
    pub reason: Option<String>,
    /// What the residual score rests on, when a reader should know:
    /// planned measures only, or measures whose status is not stated.
    pub note: Option<String>,
    /// A contradiction to resolve: a residual score below the inherent one
    /// while no measure treats the risk, or above the inherent score strata
    /// proposes.
    pub open: Option<String>,
}

/// A risk's inherent score and which of its two figures the assessors
/// declared (the others are strata's proposal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inherent {
    /// Severity.
    pub severity: u8,
    /// Likelihood.
    pub likelihood: u8,
    /// True for each figure the answers declare: (severity, likelihood).
    pub declared: (bool, bool),
}

/// The residual score of risk `id` (inherent `(severity, likelihood)`):
/// the assessors' where they declare it, else computed from the effects
/// of the measures treating it (each lowers its score by its steps, never
/// below 1), else not assessed.
pub fn residual(
    id: &str,
    inherent_score: Inherent,
    declared: (Option<u8>, Option<u8>),
    declared_reason: Option<&str>,
    treating: &[&MeasureItem],
) -> Residual {
    let inherent = (inherent_score.severity, inherent_score.likelihood);
    let lowering = |sev: bool| -> (u8, Vec<String>) {
        let mut steps = 0u8;
        let mut why = Vec::new();
        for m in treating {
            let lowers = match m.effect {
                Some("both") => true,
                Some("severity") => sev,
                Some("likelihood") => !sev,
                _ => false,
            };
            if lowers {
                steps = steps.saturating_add(m.steps);
                why.push(format!("{} −{}", m.id, m.steps));
            }
        }
        (steps, why)
    };
    let (sev_steps, sev_why) = lowering(true);
    let (lik_steps, lik_why) = lowering(false);
    let computable = !sev_why.is_empty() || !lik_why.is_empty();
    let lower = |score: u8, steps: u8| score.saturating_sub(steps).max(1);
    let (severity, likelihood, by, reason) = match declared {
        (None, None) if computable => {
            let part = |what: &str, why: &[String]| {
                if why.is_empty() {
                    format!("no measure lowers {what}")
                } else {
                    format!("{what} {}", why.join(", "))
                }
            };
            (
                Some(lower(inherent.0, sev_steps)),
                Some(lower(inherent.1, lik_steps)),
                Some("computed"),
                Some(format!(
                    "computed from the measures' effects: {}; {}",
                    part("severity", &sev_why),
                    part("likelihood", &lik_why)
                )),
            )
        }
        (None, None) => (None, None, None, None),
        (s, l) => (s, l, Some("answers"), declared_reason.map(str::to_string)),
    };
    let lowered =
        severity.is_some_and(|s| s < inherent.0) || likelihood.is_some_and(|l| l < inherent.1);
    let ids = |want: &dyn Fn(&MeasureItem) -> bool| -> Vec<&str> {
        treating
            .iter()
            .filter(|m| want(m))
            .map(|m| m.id.as_str())
            .collect()
    };
    let mut note = None;
    let mut open: Option<String> = None;
    // Above strata's proposal (an answers file contradicting itself is an
    // error, see `check`): the proposal may have changed with the stack.
    for (what, residual, score, own) in [
        ("severity", severity, inherent.0, inherent_score.declared.0),
        (
            "likelihood",
            likelihood,
            inherent.1,
            inherent_score.declared.1,
        ),
    ] {
        if let Some(v) = residual.filter(|v| *v > score && !own) {
            let this = format!(
                "the residual {what} {v} is above the inherent {what} {score} strata proposes; confirm the inherent {what} with its reason, or lower the residual one"
            );
            open = Some(match open {
                Some(o) => format!("{o}; {this}"),
                None => this,
            });
        }
    }
    if lowered && open.is_none() {
        let working = ids(&|m| matches!(m.status, Some("in-place" | "verified")));
        let planned = ids(&|m| m.status == Some("planned"));
        let unstated = ids(&|m| m.status.is_none());
        if treating.is_empty() {
            open = Some(format!(
                "the residual score is below the inherent one, but no measure treats {id}"
            ));
        } else if working.is_empty() && unstated.is_empty() {
            note = Some(format!(
                "relies only on planned measures ({})",
                planned.join(", ")
            ));
        } else if working.is_empty() {
            note = Some(format!(
                "relies on measures whose status is not stated ({})",
                unstated.join(", ")
            ));
        }
    }
    Residual {
        severity,
        likelihood,
        by,
        reason,
        note,
        open,
    }
}

/// A risk as the checks need it: id, inherent and declared residual.
#[derive(Debug, Clone, Copy)]
pub struct Scored<'a> {
    /// The risk id.
    pub id: &'a str,
    /// Inherent (severity, likelihood).
    pub inherent: (u8, u8),
    /// Which inherent figures the answers declare (severity, likelihood).
    pub inherent_declared: (bool, bool),
    /// Declared residual (severity, likelihood).
    pub declared: (Option<u8>, Option<u8>),
}

/// What makes the answers wrong whatever the stack says: a duplicate
/// measure id; a measure treating an id that names no risk (neither a
/// risk of this register nor one of `known_types`, the fixed risk types
/// strata proposes for other stacks, which a measure may keep naming as an
/// open point); a residual score above an inherent score the answers
/// declare themselves. Each diagnostic carries the answers pointer; the
/// caller adds the file and position.
pub fn check(
    measures: &[MeasureItem],
    risks: &[Scored<'_>],
    known_types: &[&str],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ids: Vec<&str> = risks.iter().map(|r| r.id).collect();
    for (k, m) in measures.iter().enumerate() {
        if let Some(first) = measures[..k].iter().find(|o| o.id == m.id) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateMeasureId,
                    format!(
                        "measure id `{}` is used twice (first at {})",
                        m.id, first.pointer
                    ),
                )
                .pointer(format!("{}/id", m.pointer))
                .help("give each measure its own id, or leave `id` out to number it by position"),
            );
        }
        if m.plain {
            continue;
        }
        for (j, t) in m.treats.iter().enumerate() {
            if !ids.contains(&t.as_str()) && !known_types.contains(&t.as_str()) {
                out.push(
                    Diagnostic::error(
                        Code::UnknownRisk,
                        format!(
                            "measure {} treats `{t}`, which is not in this device's risk register",
                            m.id
                        ),
                    )
                    .pointer(format!("{}/treats/{j}", m.pointer))
                    .help(format!("the register has {}", ids.join(", "))),
                );
            }
        }
    }
    for r in risks {
        let at = risk_pointer(r.id);
        for (what, key, residual, inherent, own) in [
            (
                "severity",
                "residual-severity",
                r.declared.0,
                r.inherent.0,
                r.inherent_declared.0,
            ),
            (
                "likelihood",
                "residual-likelihood",
                r.declared.1,
                r.inherent.1,
                r.inherent_declared.1,
            ),
        ] {
            if let Some(v) = residual.filter(|v| *v > inherent && own) {
                out.push(
                    Diagnostic::error(
                        Code::ResidualAboveInherent,
                        format!(
                            "{}: residual {what} {v} is above the inherent {what} {inherent}; measures cannot raise a risk",
                            r.id
                        ),
                    )
                    .pointer(format!("{at}/{key}"))
                    .help(format!("lower `{key}` to {inherent} or less, or raise the inherent `{what}`")),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
