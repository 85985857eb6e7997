//! The legal analysis the memos need beyond the risk register, read from
//! the stack, the deployment, the answers and the fleet's regulatory
//! calendar (`calendar.yaml`): which product, AI and data rules fit the
//! deployment, with their dates ([`rules`]); where personal data goes and
//! under which law, per destination ([`transfers`]); the employment context
//! ([`employment`]).
//!
//! No legal date is a constant here: [`dated`] looks each one up in the
//! calendar by id and says so when the calendar lacks it, so a memo never
//! states a date nobody maintains (nor "a deferral is proposed" without the
//! dates).

pub mod employment;
pub mod rules;
pub mod transfers;

use serde::Serialize;

use crate::clock::Date;
use crate::model::Calendar;

/// The calendar ids strata looks up, with what each one dates (listed in
/// `templates/CONTEXT.md`).
pub const KNOWN_ENTRIES: &[(&str, &str)] = &[
    (
        "ai-act-prohibitions",
        "AI Act Art. 4 (AI literacy) and Art. 5 prohibitions",
    ),
    ("ai-act-gpai", "AI Act obligations of GPAI model providers"),
    ("ai-act-art50", "AI Act Art. 50 transparency"),
    (
        "ai-act-annex-iii",
        "AI Act Annex III high-risk obligations and Art. 26 deployer duties",
    ),
    (
        "ai-act-annex-i",
        "AI Act high-risk obligations for products under Annex I",
    ),
    ("data-act", "Data Act Arts 4-5 (user access and sharing)"),
    (
        "data-act-design",
        "Data Act Art. 3 (access by design for new products)",
    ),
    ("cn-pipl-cross-border", "China PIPL cross-border rules"),
    (
        "cn-automobile-data",
        "China automobile data security provisions",
    ),
    (
        "cra-reporting",
        "Cyber Resilience Act reporting obligations",
    ),
    ("cra-full", "Cyber Resilience Act full application"),
    (
        "red-delegated-act",
        "Radio Equipment Directive delegated act (EN 18031)",
    ),
    ("un-r155-r156", "UN R155 and R156 for vehicles"),
    ("eucc", "EUCC certification scheme"),
];

/// Everything the analyses read for one device.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The stack manifest.
    pub stack: &'a crate::model::Stack,
    /// Its analysis (class, deployment, `used_in`, vendor names).
    pub device: &'a crate::analyze::DeviceAnalysis,
    /// The assessors' answers.
    pub answers: &'a crate::model::Answers,
    /// The regulatory calendar.
    pub calendar: Option<&'a Calendar>,
    /// The memo's date.
    pub today: Date,
}

/// A rule's date as the calendar gives it, said relative to the memo's date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dated {
    /// The calendar id.
    pub id: String,
    /// The date in force, when the calendar has the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies: Option<Date>,
    /// True when the date in force is on or before the memo's date.
    pub in_force: bool,
    /// The sentence the memo prints: "applies since 2025-02-02 [V]",
    /// "applies from 2026-08-02 [V]; the Digital Omnibus … would move it to
    /// 2027-12-02 [S]", or why no date is stated.
    pub text: String,
    /// True when the calendar lacks the entry (or the fleet has none).
    pub missing: bool,
}

/// Look `id` up in the calendar and say its date relative to `today`.
pub fn dated(calendar: Option<&Calendar>, id: &str, today: Date) -> Dated {
    let Some(cal) = calendar else {
        return Dated {
            id: id.into(),
            applies: None,
            in_force: false,
            text: "date not stated: the fleet has no regulatory calendar (calendar.yaml)".into(),
            missing: true,
        };
    };
    let Some(e) = cal.entries.get(id) else {
        return Dated {
            id: id.into(),
            applies: None,
            in_force: false,
            text: format!(
                "date not stated: the regulatory calendar has no entry `{id}` (calendar.yaml)"
            ),
            missing: true,
        };
    };
    let in_force = e.applies <= today;
    let mut text = format!(
        "{} {} [{}]",
        if in_force {
            "applies since"
        } else {
            "applies from"
        },
        e.applies,
        e.status
    );
    if let Some(c) = &e.change {
        text.push_str(&format!(
            "; {} ({}) would move it to {} [{}]{}",
            c.by,
            c.stage,
            c.applies,
            c.status,
            if in_force && c.applies > today {
                ": check which date is law"
            } else {
                ""
            }
        ));
    }
    Dated {
        id: id.into(),
        applies: Some(e.applies),
        in_force,
        text,
        missing: false,
    }
}

pub use crate::analyze::dpia::in_eea;

#[cfg(test)]
mod tests;
