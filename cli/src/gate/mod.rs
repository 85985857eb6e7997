//! `gate`: judge an approved-device list against `policy.yaml` for CI.
//!
//! Each rule of the policy (see [`crate::policy::RuleCode`] for the catalogue) runs on
//! each device of the list at its level: `deny` findings fail the gate,
//! `warn` findings are reported, `allow` turns a rule off. An exception in
//! the policy names a device, a rule, a mandatory reason and an expiry date;
//! it turns a finding into an excepted one until it expires. An expired
//! exception no longer applies and is reported, and so is one that matches
//! no finding. The clock is passed in (`today`, `now`) so results are
//! reproducible.
//!
//! Output renderers live beside: [`sarif`] (SARIF 2.1.0 for code scanning)
//! and [`junit`] (one testcase per device × rule).

pub mod inventory;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod signature;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::analyze::{self, AnalyzeOptions, FleetAnalysis};
use crate::check::Status;
use crate::clock::{Date, Timestamp};
use crate::diag::{Code, Diagnostic, Result, Severity};
use crate::fleet::Fleet;
use crate::layout;
use crate::model::{self, ApprovedDevices, FileKind, Level, Loaded};
use crate::policy::{self, Policy, RuleCode};

/// Options for [`gate`].
#[derive(Debug, Clone)]
pub struct GateOptions {
    /// The policy; `<root>/policy.yaml` when `None`.
    pub policy: Option<PathBuf>,
    /// The approved-device list; `<root>/approved-devices.yaml` when `None`.
    pub devices: Option<PathBuf>,
    /// The day exceptions and review expiry are judged on.
    pub today: Date,
    /// The instant signatures are verified at (the wall clock, read by the
    /// binary).
    pub now: Timestamp,
    /// The instant inventory records are judged stale at (`--now`, else
    /// the wall clock): the same inputs and `--now` give the same verdict
    /// on any day.
    pub as_of: crate::clock::Time,
}

/// Outcome of one rule on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The rule found nothing.
    Pass,
    /// A `warn` finding.
    Warn,
    /// A `deny` finding: fails the gate.
    Deny,
    /// A finding covered by a live exception.
    Excepted,
}

/// One rule evaluated on one device.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Device id.
    pub device: String,
    /// The rule.
    pub rule: RuleCode,
    /// The rule's level in the policy.
    pub level: Level,
    /// The outcome.
    pub verdict: Verdict,
    /// What was found (empty on pass).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The exception that covers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<AppliedException>,
    /// The stack manifest of the device, relative to the fleet root.
    pub stack: String,
    /// Where the device's entry lies in the approved-device list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_at: Option<ListedAt>,
    /// For an inventory rule: the inventory source judged (relative to the
    /// fleet root); `device` is then the source's id in the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<String>,
}

/// A position in the approved-device list, with the file it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedAt {
    /// The approved-device list, relative to the fleet root.
    pub file: String,
    /// Line of the device's entry (1-based).
    pub line: usize,
}

/// An exception that covered a finding.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedException {
    /// Why it is acceptable.
    pub reason: String,
    /// Last day it applies.
    pub expires: Date,
    /// Approver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// Totals of a gate run.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    /// Devices gated.
    pub devices: usize,
    /// Inventory sources judged (absent when the policy names none).
    #[serde(skip_serializing_if = "is_zero")]
    pub inventories: usize,
    /// Rules enabled (level warn or deny).
    pub rules: usize,
    /// Deny findings.
    pub deny: usize,
    /// Warn findings.
    pub warn: usize,
    /// Findings covered by exceptions.
    pub excepted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The result of a gate run.
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    /// The policy file, relative to the fleet root.
    pub policy: String,
    /// The approved-device list, relative to the fleet root.
    pub devices: String,
    /// The date exceptions were judged against.
    pub now: Date,
    /// `pass` or `fail`.
    pub result: Status,
    /// Totals.
    pub summary: Summary,
    /// Every device × enabled rule, by device then rule.
    pub checks: Vec<Check>,
    /// Expired and unused exceptions, analysis notes.
    pub notes: Vec<Diagnostic>,
    /// The analysis the rules ran on.
    #[serde(skip)]
    pub analysis: FleetAnalysis,
    /// The policy's inventories as the inventory rules judged them
    /// (screened against the fleet's restricted lists), so that a report
    /// need not reconcile them again; `None` when no inventory rule ran.
    #[serde(skip)]
    pub inventories: Option<crate::inventory::PolicyInventory>,
}

impl GateReport {
    /// True when no deny finding is left.
    pub fn passed(&self) -> bool {
        self.summary.deny == 0
    }

    /// Findings only (warn, deny, excepted), in check order.
    pub fn findings(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.verdict != Verdict::Pass)
    }
}

/// Run the gate on the fleet at `root`.
pub fn gate(root: &Path, opts: &GateOptions) -> Result<GateReport> {
    let fleet = Fleet::open(root)?;
    let policy_path = opts
        .policy
        .clone()
        .unwrap_or_else(|| layout::policy(&fleet.root));
    let devices_path = opts
        .devices
        .clone()
        .unwrap_or_else(|| layout::approved_devices(&fleet.root));
    let policy = policy::load(&policy_path)?;
    let list: Loaded<ApprovedDevices> = model::load(&devices_path, FileKind::ApprovedDevices)?;
    let list_dir = devices_path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    // The analysis and the reviews file are independent: read both at once.
    let (analysis, reviews) = rayon::join(
        || analyze::analyze_list(&fleet, &AnalyzeOptions::default(), &list),
        || load_reviews(&policy, &list.value, &list_dir),
    );
    let analysis = analysis?;
    let reviews = reviews?;
    let trust = policy
        .rule(RuleCode::UnsignedAttestation)
        .filter(|r| r.enabled())
        .and_then(|_| policy.signature_trust())
        .and_then(|t| t.options(opts.now).ok());
    let ctx = rules::Context {
        list_dir: &list_dir,
        today: opts.today,
        reviews: &reviews,
        trust: trust.as_ref(),
    };

    let mut checks = Vec::new();
    let mut used = vec![false; policy.exceptions.len()];
    let all_enabled: Vec<&policy::Rule> = policy.enabled().collect();
    let enabled: Vec<&policy::Rule> = all_enabled
        .iter()
        .copied()
        .filter(|r| !r.code.is_inventory())
        .collect();
    let inventory_rules = inventory::enabled_rules(&policy);
    let (judged, inventories) = if inventory_rules.is_empty() {
        (Vec::new(), None)
    } else {
        let approved = list.value.devices.iter().map(|d| d.id.clone()).collect();
        inventory::judge(&fleet, &policy, &approved, opts.as_of, &inventory_rules)?
    };
    let mut summary = Summary {
        devices: analysis.devices.len(),
        inventories: judged.len(),
        rules: all_enabled.len(),
        ..Summary::default()
    };
    // The list entry of each device id (the first, as a duplicate id is
    // refused by the analysis), and the exceptions of each device × rule in
    // policy order, so neither is a scan per device.
    let mut entries: HashMap<&str, usize> = HashMap::new();
    for (i, d) in list.value.devices.iter().enumerate() {
        entries.entry(d.id.as_str()).or_insert(i);
    }
    let mut exceptions: HashMap<(&str, RuleCode), Vec<usize>> = HashMap::new();
    for (i, ex) in policy.exceptions.iter().enumerate() {
        exceptions
            .entry((ex.device.as_str(), ex.rule))
            .or_default()
            .push(i);
    }
    // A finding, device or inventory, settled against the exceptions and
    // counted, the same way for both.
    let mut settle = |check: &mut Check| {
        judge_finding(
            check,
            &policy,
            &exceptions,
            &mut used,
            &mut summary,
            opts.today,
        )
    };
    let index_of = |id: &str| entries.get(id).copied();
    let root_rel = |p: &Path| {
        p.strip_prefix(&fleet.root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    // The rules read files and verify signatures: run devices in parallel,
    // then judge the findings in device order.
    let messages: Vec<Vec<Option<String>>> = analysis
        .devices
        .par_iter()
        .map(|device| {
            let entry = index_of(&device.id).map(|i| &list.value.devices[i]);
            enabled
                .iter()
                .map(|rule| rules::evaluate(&rule.config, device, entry, &ctx))
                .collect()
        })
        .collect();
    let list_file = root_rel(&devices_path);
    for (device, found) in analysis.devices.iter().zip(messages) {
        let listed_at = index_of(&device.id)
            .and_then(|i| list.spans.nearest(&format!("/devices/{i}/id")))
            .map(|p| ListedAt {
                file: list_file.clone(),
                line: p.line,
            });
        for (rule, message) in enabled.iter().zip(found) {
            let mut check = Check {
                device: device.id.clone(),
                rule: rule.code,
                level: rule.level,
                verdict: Verdict::Pass,
                message: message.clone().unwrap_or_default(),
                exception: None,
                stack: device.stack.clone(),
                listed_at: listed_at.clone(),
                inventory: None,
            };
            if message.is_some() {
                settle(&mut check);
            }
            checks.push(check);
        }
    }
    let inventory_checks = judged.into_iter().flat_map(|j| {
        let path = j.path.to_string_lossy().replace('\\', "/");
        inventory_rules
            .iter()
            .zip(j.findings)
            .map(move |((code, _), message)| (j.id.clone(), path.clone(), *code, message))
            .collect::<Vec<_>>()
    });
    for (id, path, code, message) in inventory_checks {
        let level = policy.rule(code).map_or(Level::Allow, |r| r.level);
        let mut check = Check {
            device: id,
            rule: code,
            level,
            verdict: Verdict::Pass,
            message: message.clone().unwrap_or_default(),
            exception: None,
            stack: String::new(),
            listed_at: None,
            inventory: Some(path),
        };
        if message.is_some() {
            settle(&mut check);
        }
        checks.push(check);
    }

    let mut notes = analysis.notes.clone();
    for (i, ex) in policy.exceptions.iter().enumerate() {
        let ptr = format!("/exceptions/{i}");
        if ex.expires < opts.today {
            notes.push(
                policy.diag_at(
                    Diagnostic::warning(
                        Code::ExceptionExpired,
                        format!(
                            "the exception for `{}` on `{}` expired on {}; it no longer applies",
                            ex.device, ex.rule, ex.expires
                        ),
                    )
                    .help("renew it with a new expiry and reason, or remove it"),
                    &format!("{ptr}/expires"),
                ),
            );
        } else if !used[i] {
            notes.push(
                policy.diag_at(
                    Diagnostic::warning(
                        Code::ExceptionUnused,
                        format!(
                            "the exception for `{}` on `{}` matches no finding",
                            ex.device, ex.rule
                        ),
                    )
                    .help("remove it, or check the device id and rule code"),
                    &ptr,
                ),
            );
        }
    }
    Ok(GateReport {
        policy: root_rel(&policy_path),
        devices: root_rel(&devices_path),
        now: opts.today,
        result: Status::of(summary.deny == 0),
        summary,
        checks,
        notes,
        analysis,
        inventories,
    })
}

/// Turn a check with a finding into its verdict: excepted by the first
/// live exception for its device and rule (marking it used), else deny or
/// warn by the rule's level; counted in `summary`.
fn judge_finding(
    check: &mut Check,
    policy: &Policy,
    exceptions: &HashMap<(&str, RuleCode), Vec<usize>>,
    used: &mut [bool],
    summary: &mut Summary,
    today: Date,
) {
    let live = exceptions
        .get(&(check.device.as_str(), check.rule))
        .into_iter()
        .flatten()
        .map(|&i| (i, &policy.exceptions[i]))
        .find(|(_, ex)| ex.expires >= today);
    match live {
        Some((i, ex)) => {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            check.verdict = Verdict::Excepted;
            check.exception = Some(AppliedException {
                reason: ex.reason.clone(),
                expires: ex.expires,
                approved_by: ex.approved_by.clone(),
            });
            summary.excepted += 1;
        }
        None if check.level == Level::Deny => {
            check.verdict = Verdict::Deny;
            summary.deny += 1;
        }
        None => {
            check.verdict = Verdict::Warn;
            summary.warn += 1;
        }
    }
}

/// The reviews the `stale-review` rule needs, by device (none when the
/// rule is off). A missing file means no reviews; an invalid one is an
/// error.
fn load_reviews(
    policy: &Policy,
    list: &ApprovedDevices,
    list_dir: &Path,
) -> Result<rules::DeviceReviews> {
    let mut out = rules::DeviceReviews::new();
    if !policy.is_enabled(RuleCode::StaleReview) {
        return Ok(out);
    }
    let mut reader = crate::review::Reviews::new();
    for d in &list.devices {
        let Some(att) = &d.attestation else { continue };
        let reviews = reader.of(&list_dir.join(att), &d.id)?;
        out.insert(d.id.clone(), reviews);
    }
    Ok(out)
}

/// The human-readable report: findings first, then notes and the verdict.
pub fn render_human(report: &GateReport) -> String {
    let mut out = String::new();
    for c in report.findings() {
        let tag = match c.verdict {
            Verdict::Deny => "deny",
            Verdict::Warn => "warn",
            Verdict::Excepted => "excepted",
            Verdict::Pass => continue,
        };
        match &c.inventory {
            Some(path) => out.push_str(&format!(
                "{tag}[{}] {} ({path}): {}\n",
                c.rule, c.device, c.message
            )),
            None => out.push_str(&format!("{tag}[{}] {}: {}\n", c.rule, c.device, c.message)),
        }
        if let Some(ex) = &c.exception {
            out.push_str(&format!(
                "  = exception until {}: {}\n",
                ex.expires, ex.reason
            ));
        }
    }
    for n in &report.notes {
        if n.severity >= Severity::Warning {
            out.push_str(&format!("{n}\n"));
        }
    }
    let s = &report.summary;
    let inventories = match s.inventories {
        0 => String::new(),
        1 => " and 1 inventory".to_string(),
        n => format!(" and {n} inventories"),
    };
    out.push_str(&format!(
        "gate {}: {}{inventories} × {}; {} deny, {} warn, {} excepted (policy {}, list {}, date {})\n",
        report.result.name().to_uppercase(),
        crate::table::count(s.devices as u64, "device"),
        crate::table::count(s.rules as u64, "rule"),
        s.deny,
        s.warn,
        s.excepted,
        report.policy,
        report.devices,
        report.now
    ));
    out
}
