//! The parameters of the inventory rules (`unapproved-in-use`,
//! `unknown-model`, `unresolved-manufacturer`, `below-minimum-os`): how
//! many devices of which ownership an inventory source may hold before the
//! rule finds, read and checked once at policy load.

use serde_json::{Map, Value};

use super::rules::{Ctx, Param, RuleCode};
use crate::diag::{Code, Diagnostic};

/// Which ownerships a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owners {
    /// Company-owned devices.
    pub company: bool,
    /// Personally owned devices (BYOD).
    pub personal: bool,
    /// Devices whose ownership is not recorded.
    pub unknown: bool,
}

impl Owners {
    /// Nothing counted (the start of a list being read).
    const NONE: Owners = Owners {
        company: false,
        personal: false,
        unknown: false,
    };

    /// Every ownership.
    pub const ALL: Owners = Owners {
        company: true,
        personal: true,
        unknown: true,
    };

    /// True when every ownership is counted.
    pub fn all(self) -> bool {
        self == Owners::ALL
    }

    /// The ownerships counted, in the order company, personal, unknown.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.company, "company"),
            (self.personal, "personal"),
            (self.unknown, "unknown"),
        ]
        .into_iter()
        .filter_map(|(on, n)| on.then_some(n))
        .collect()
    }
}

/// The limits of an inventory rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The most devices a source may hold before the rule finds (none when
    /// only `max-share` is given).
    pub max_devices: Option<u64>,
    /// The largest share (0 to 1) of the source's active devices of the
    /// counted ownerships (`unapproved-in-use` only).
    pub max_share: Option<f64>,
    /// The ownerships counted.
    pub ownership: Owners,
}

const MAX_DEVICES: Param = Param {
    name: "max-devices",
    doc: "the most such devices one inventory source may hold (integer ≥ 0; default 0 unless only max-share is given)",
};
const MAX_SHARE: Param = Param {
    name: "max-share",
    doc: "the largest share of the source's active devices they may be (0 to 1; optional)",
};
const OWNERSHIP: Param = Param {
    name: "ownership",
    doc: "count only these ownerships: list of company, personal, unknown (default all)",
};

/// The parameters of an inventory rule.
pub(super) fn params(code: RuleCode) -> &'static [Param] {
    match code {
        RuleCode::UnapprovedInUse => &[MAX_DEVICES, MAX_SHARE, OWNERSHIP],
        _ => &[MAX_DEVICES, OWNERSHIP],
    }
}

/// Parse an inventory rule's parameters (unknown keys are reported by the
/// caller); every problem at its pointer.
pub(super) fn parse(
    code: RuleCode,
    params: &Map<String, Value>,
    base: &str,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Threshold> {
    let before = diags.len();
    let mut bad = |key: &str, message: String, help: &str| {
        diags.push((ctx.at)(
            Diagnostic::error(Code::InvalidRuleParameter, message).help(help.to_string()),
            &format!("{base}/{key}"),
        ));
    };
    let max_devices = params.get("max-devices").map(|v| {
        v.as_u64().unwrap_or_else(|| {
            bad(
                "max-devices",
                format!("`{code}` parameter `max-devices` must be an integer ≥ 0"),
                "e.g. `max-devices: 0` (any device is a finding)",
            );
            0
        })
    });
    let max_share = match params.get("max-share") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(s) if (0.0..=1.0).contains(&s) => Some(s),
            _ => {
                bad(
                    "max-share",
                    format!("`{code}` parameter `max-share` must be a number from 0 to 1"),
                    "e.g. `max-share: 0.05` for 5% of the source's active devices",
                );
                None
            }
        },
    };
    let mut ownership = Owners::ALL;
    if let Some(v) = params.get("ownership") {
        match v.as_array().filter(|a| !a.is_empty()) {
            Some(list) => {
                ownership = Owners::NONE;
                for (i, o) in list.iter().enumerate() {
                    match o.as_str() {
                        Some("company") => ownership.company = true,
                        Some("personal") => ownership.personal = true,
                        Some("unknown") => ownership.unknown = true,
                        _ => bad(
                            &format!("ownership/{i}"),
                            format!("`{}` is not an ownership", shown(o)),
                            "ownerships: company, personal, unknown",
                        ),
                    }
                }
            }
            None => bad(
                "ownership",
                format!("`{code}` parameter `ownership` must be a non-empty list"),
                "e.g. `ownership: [personal]`",
            ),
        }
    }
    let max_devices = match (max_devices, max_share) {
        (None, None) => Some(0),
        (m, _) => m,
    };
    (diags.len() == before).then_some(Threshold {
        max_devices,
        max_share,
        ownership,
    })
}

fn shown(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}
