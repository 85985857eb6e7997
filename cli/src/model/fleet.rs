//! Fleet-wide files: vendors, designations, policy and the approved-device
//! list.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stack::Fact;
use crate::clock::Date;

/// `vendors.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Vendors {
    /// File format version (1).
    pub version: u32,
    /// Vendor id → vendor.
    pub vendors: BTreeMap<String, Vendor>,
}

/// One vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Vendor {
    /// Legal name.
    pub name: String,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Parent vendor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// ISO 3166 alpha-2 country.
    pub jurisdiction: String,
    /// Sourced facts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Ownership and control (beneficial owners, voting control), as a
    /// sourced fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Fact>,
    /// Listing venue (stock exchange and code), as a sourced fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<Fact>,
    /// Foreign-control indicators (e.g. control from a jurisdiction whose
    /// law compels cooperation with intelligence services), each a sourced
    /// fact; strata states none that is not written here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_indicators: Vec<Fact>,
}

/// `designations.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Designations {
    /// File format version (1).
    pub version: u32,
    /// Dated list snapshots.
    pub lists: Vec<DesignationList>,
    /// The lists the organisation expects a device to be screened against;
    /// one with no snapshot in `lists` is named in the procurement memo as
    /// not screened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<ExpectedList>,
}

/// A list the organisation expects screened (its snapshot may be missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExpectedList {
    /// List id; the snapshot in `lists` with this id screens it.
    pub id: String,
    /// List name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Where it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Why the organisation expects it screened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One restricted or designation list, as a dated snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DesignationList {
    /// List id.
    pub id: String,
    /// List name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Where it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Statute or order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// What a listing does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    /// Source of the snapshot.
    pub source: String,
    /// Snapshot date.
    pub snapshot_date: Date,
    /// Retrieval date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<Date>,
    /// Entries.
    pub entries: Vec<Designation>,
}

/// One entry on a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Designation {
    /// Listed legal name.
    pub entity: String,
    /// Other listed names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Whether subsidiaries or affiliates are covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_scope: Option<String>,
    /// Active entries restrict; historical ones inform.
    pub status: EntryStatus,
    /// Effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    /// Date vacated or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacated: Option<Date>,
    /// Citation.
    pub citation: String,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Whether an entry restricts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    /// In force.
    Active,
    /// Vacated, removed or rescinded: context only.
    Historical,
}

/// `policy.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// File format version (1).
    pub version: u32,
    /// Review criteria id → description.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub criteria: BTreeMap<String, Criterion>,
    /// Rule code → level and parameters.
    pub rules: BTreeMap<String, Rule>,
    /// Exceptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// Inventories the gate's inventory rules reconcile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventories: Option<PolicyInventories>,
}

/// The `inventories:` of a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyInventories {
    /// The exports, each judged on its own.
    pub sources: Vec<PolicyInventorySource>,
    /// Records with no check-in for more than this many days are stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_days: Option<u32>,
}

/// One inventory export named by the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyInventorySource {
    /// The source's name in findings and exceptions.
    pub id: String,
    /// The export format (`graph`, `android`, `jamf`, `vin-csv`, `csv`,
    /// `json`).
    pub format: String,
    /// A file or a directory of pages, relative to the policy file.
    pub path: String,
    /// Field → column, for `csv` and `json`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<String, String>,
}

/// A review criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Criterion {
    /// What a reviewer certifies.
    pub description: String,
}

/// A rule's level and parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rule {
    /// allow, warn or deny.
    pub level: Level,
    /// Rule-specific parameters.
    #[serde(flatten)]
    pub params: BTreeMap<String, serde_json::Value>,
}

/// A rule level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; does not fail.
    Warn,
    /// Fails the gate.
    Deny,
}

/// An exception to a rule for one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exception {
    /// Device id.
    pub device: String,
    /// Rule code.
    pub rule: String,
    /// Why it is acceptable.
    pub reason: String,
    /// Last day it applies; an expired exception no longer does.
    pub expires: Date,
    /// Approver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// `approved-devices.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApprovedDevices {
    /// File format version (1).
    pub version: u32,
    /// Devices.
    pub devices: Vec<ApprovedDevice>,
}

/// One approved device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApprovedDevice {
    /// Device id.
    pub id: String,
    /// Stack manifest path, relative to the list.
    pub stack: String,
    /// Attestation path, relative to the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Units in the fleet.
    pub units: u64,
    /// Weight per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<f64>,
    /// Accountable owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Deployment model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<String>,
    /// Countries the devices are used in (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_in: Vec<String>,
    /// Reference to the completed DPIA (document id or path), when one was
    /// carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpia: Option<String>,
}
