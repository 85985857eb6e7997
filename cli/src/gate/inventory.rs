//! The gate's inventory rules: the inventories the policy names
//! (`inventories:`) reconciled against the fleet's catalog and the
//! approved-device list, and each source judged by `unapproved-in-use`,
//! `unknown-model`, `unresolved-manufacturer` and `below-minimum-os`.
//!
//! The gate only counts: identities are reduced to in-memory tags to count
//! each device once ([`crate::inventory::Pseudonymizer::without_key`]) and nothing per device
//! is written, so no pseudonym key is needed. Messages name stacks, vendors
//! and reported manufacturer and model strings (product identifiers), never
//! a device or a person.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::clock::Time;
use crate::diag::Result;
use crate::fleet::Fleet;
use crate::inventory::{self, Counts, SourceReport};
use crate::policy::{Owners, Policy, RuleCode, RuleConfig, Threshold};

/// Default stale window of the policy's inventories, in days.
pub use crate::inventory::DEFAULT_STALE_DAYS;

/// One inventory source as judged.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The source's id in the policy.
    pub id: String,
    /// Its path, relative to the fleet root.
    pub path: PathBuf,
    /// Per rule (in the order given): the finding's message, or none.
    pub findings: Vec<Option<String>>,
}

/// Reconcile the policy's inventories (screened against the fleet's
/// restricted lists, when it has them) and judge each source by `rules`
/// (inventory rules, each with its threshold); the reconciliation too.
pub fn judge(
    fleet: &Fleet,
    policy: &Policy,
    approved: &BTreeSet<String>,
    now: Time,
    rules: &[(RuleCode, Threshold)],
) -> Result<(Vec<Judged>, Option<inventory::PolicyInventory>)> {
    let Some(inv) = &policy.file.value.inventories else {
        return Ok((Vec::new(), None));
    };
    let designations = crate::model::load_designations_of(&fleet.root)?;
    let Some(policy_inv) = inventory::reconcile_policy(
        fleet,
        policy,
        approved,
        designations.as_ref().map(|d| &d.value),
        now,
    )?
    else {
        return Ok((Vec::new(), None));
    };
    let judged = inv
        .sources
        .iter()
        .zip(&policy_inv.report.sources)
        .zip(&policy_inv.sources)
        .map(|((declared, found), source)| Judged {
            id: declared.id.clone(),
            path: source
                .path
                .strip_prefix(&fleet.root)
                .map_or_else(|_| source.path.clone(), Path::to_path_buf),
            findings: rules
                .iter()
                .map(|(code, t)| finding(*code, t, found))
                .collect(),
        })
        .collect();
    Ok((judged, Some(policy_inv)))
}

/// The inventory rules of `policy` at level warn or deny, with thresholds.
pub fn enabled_rules(policy: &Policy) -> Vec<(RuleCode, Threshold)> {
    policy
        .enabled()
        .filter_map(|r| match &r.config {
            RuleConfig::Inventory(t) => Some((r.code, *t)),
            _ => None,
        })
        .collect()
}

/// The devices of `c` of the counted ownerships.
fn count(c: &Counts, o: Owners) -> u64 {
    [
        (o.company, c.company),
        (o.personal, c.personal),
        (o.unknown, c.unknown),
    ]
    .into_iter()
    .filter_map(|(on, n)| on.then_some(n))
    .sum()
}

/// The most items a message names.
const SHOWN: usize = 5;

fn finding(code: RuleCode, t: &Threshold, s: &SourceReport) -> Option<String> {
    let o = t.ownership;
    let mut items: Vec<(u64, String)> = Vec::new();
    let what = match code {
        RuleCode::UnapprovedInUse => {
            for r in s.stacks.iter().filter(|r| !r.approved) {
                let name = r
                    .stack
                    .as_deref()
                    .unwrap_or("catalogued model without a stack");
                items.push((count(&r.devices, o), format!("{name} ({})", r.vendor)));
            }
            for g in &s.unknown_models {
                items.push((count(&g.devices, o), format!("unknown {} models", g.vendor)));
            }
            for u in &s.unresolved {
                items.push((
                    count(&u.devices, o),
                    format!("unresolved {}", u.manufacturer),
                ));
            }
            "in use on no approved stack"
        }
        RuleCode::UnknownModel => {
            for g in &s.unknown_models {
                for m in &g.models {
                    items.push((count(&m.devices, o), format!("{} {}", g.vendor, m.model)));
                }
            }
            "of models catalog.yaml does not know"
        }
        RuleCode::UnresolvedManufacturer => {
            for u in &s.unresolved {
                items.push((count(&u.devices, o), u.manufacturer.clone()));
            }
            "of manufacturers nothing resolves"
        }
        _ => {
            for r in &s.stacks {
                let name = r
                    .stack
                    .as_deref()
                    .unwrap_or("catalogued model without a stack");
                items.push((count(&r.below_minimum, o), name.to_string()));
            }
            "below their catalog entry's minimum OS version or patch level"
        }
    };
    items.retain(|(n, _)| *n > 0);
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let n: u64 = items.iter().map(|(n, _)| n).sum();
    let active = count(&s.ownership, o);
    let share = if active == 0 {
        0.0
    } else {
        n as f64 / active as f64
    };
    let over_count = t.max_devices.is_some_and(|m| n > m);
    let over_share = t.max_share.is_some_and(|m| share > m);
    if !(over_count || over_share) {
        return None;
    }
    let owners = if o.all() {
        String::new()
    } else {
        format!("{} ", o.names().join(" or "))
    };
    let mut shown: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|(k, name)| format!("{name} {k}"))
        .collect();
    if items.len() > SHOWN {
        shown.push(format!("{} more", items.len() - SHOWN));
    }
    let mut limits = Vec::new();
    if let Some(m) = t.max_devices {
        limits.push(format!("{m}"));
    }
    if let Some(m) = t.max_share {
        limits.push(format!("{}% of them", percent(m)));
    }
    let devices = if n == 1 { "device" } else { "devices" };
    Some(format!(
        "{n} {owners}{devices} {what} ({}% of {active} active): {}; the policy allows {}",
        percent(share),
        shown.join(", "),
        limits.join(" and ")
    ))
}

/// A share as a percentage with at most one decimal.
fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_short() {
        assert_eq!(percent(0.05), "5");
        assert_eq!(percent(0.1234), "12.3");
        assert_eq!(percent(1.0), "100");
        assert_eq!(percent(0.0), "0");
    }

    #[test]
    fn counts_follow_the_ownership_filter() {
        let c = Counts {
            company: 3,
            personal: 5,
            unknown: 1,
        };
        assert_eq!(count(&c, Owners::ALL), 9);
        let personal = Owners {
            company: false,
            personal: true,
            unknown: false,
        };
        assert_eq!(count(&c, personal), 5);
    }
}
