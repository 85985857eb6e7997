//! `attestations/reviews.yaml`: who approved or rejected which attestation.

use serde::{Deserialize, Serialize};

use crate::clock::{Date, Time};
use crate::digest::Digest;

/// `reviews.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Reviews {
    /// File format version (1).
    pub version: u32,
    /// Entries, canonically sorted by device, digest and date.
    pub reviews: Vec<Review>,
}

/// One review entry: a verdict on one exact attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Review {
    /// Device id.
    pub device: String,
    /// `sha256:<64 hex>` of the attestation file's bytes.
    pub digest: Digest,
    /// Approve or reject.
    pub verdict: Verdict,
    /// Policy criteria the verdict covers.
    pub criteria: Vec<String>,
    /// `Name <email>`.
    pub reviewer: String,
    /// When the verdict was recorded (RFC 3339, UTC).
    pub date: Time,
    /// Last day the verdict counts, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// What was checked, or why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A review verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The attestation meets the criteria.
    Approve,
    /// The attestation does not meet the criteria.
    Reject,
}

impl Verdict {
    /// `approve` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::Reject => "reject",
        }
    }
}
