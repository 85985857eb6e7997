//! `calendar.yaml`: the regulatory calendar. The dates the memos cite (AI
//! Act, Data Act, CRA, …) and the EU adequacy decisions they rely on are
//! configuration the organisation keeps current, never constants in code: a
//! date that moves (the Digital Omnibus on AI) is edited here and every memo
//! follows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Date;

/// `calendar.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Calendar {
    /// File format version (1).
    pub version: u32,
    /// Dated rules by id.
    pub entries: BTreeMap<String, CalendarEntry>,
    /// EU adequacy decisions by ISO 3166 alpha-2 country code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub adequacy: BTreeMap<String, Adequacy>,
}

/// One dated rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CalendarEntry {
    /// The act.
    pub instrument: String,
    /// What applies on the date.
    pub provision: String,
    /// Where it applies (ISO 3166 alpha-2, or `EU`).
    pub jurisdiction: String,
    /// The device classes it applies to; every class when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// The date it applies from, as the act stands.
    pub applies: Date,
    /// Evidence tag (V, S, M, U).
    pub status: String,
    /// Where the date comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A pending change of the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<DateChange>,
}

/// A pending change of a date: a proposal or a provisional agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateChange {
    /// The date it would apply from.
    pub applies: Date,
    /// The instrument that would change it.
    pub by: String,
    /// Where it stands.
    pub stage: String,
    /// Evidence tag.
    pub status: String,
    /// Where that comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An EU adequacy decision (Art. 45 GDPR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Adequacy {
    /// The decision.
    pub decision: String,
    /// When it was adopted.
    pub adopted: Date,
    /// Covers only certified recipients (the EU-US Data Privacy Framework).
    #[serde(default)]
    pub certified_only: bool,
    /// Evidence tag.
    pub status: String,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
