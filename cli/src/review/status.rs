//! Whether a device's current attestation carries the reviews the policy
//! requires: the logic of the gate's `stale-review` rule.
//!
//! For each required criterion, the newest entry for the device's *current*
//! digest that names the criterion decides: an approval counts until its
//! `expires` date (inclusive) and, when the policy sets `max-age-days`,
//! until that many days after it was given; a rejection fails. Entries for
//! other digests never count: they are what the reviewer approved before,
//! and the most recent fully approved one is reported so that `strata diff`
//! can show what changed since.

use serde::Serialize;

use crate::clock::{Date, Time};
use crate::digest::Digest;
use crate::model::{Review, Verdict};

/// The state of one required criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum CriterionState {
    /// Approved and not expired.
    Approved {
        /// Reviewer.
        by: String,
        /// When.
        date: Time,
    },
    /// No entry for the current digest names it.
    Missing,
    /// The newest entry rejects it.
    Rejected {
        /// Reviewer.
        by: String,
        /// When.
        date: Time,
        /// Why.
        note: Option<String>,
    },
    /// The newest approval has expired.
    Expired {
        /// Reviewer.
        by: String,
        /// Last day it counted.
        on: Date,
    },
}

/// The review state of one device's current attestation.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewStatus {
    /// The current digest.
    pub digest: Digest,
    /// Each required criterion, in policy order.
    pub criteria: Vec<(String, CriterionState)>,
    /// The most recent other digest approved for every required criterion
    /// (or, failing that, for any), and when.
    pub last_approved: Option<(Digest, Time)>,
}

impl ReviewStatus {
    /// True when every required criterion is approved and unexpired.
    pub fn ok(&self) -> bool {
        self.criteria
            .iter()
            .all(|(_, s)| matches!(s, CriterionState::Approved { .. }))
    }

    /// Criteria that are not approved, by state.
    pub fn not_approved(&self) -> impl Iterator<Item = &(String, CriterionState)> {
        self.criteria
            .iter()
            .filter(|(_, s)| !matches!(s, CriterionState::Approved { .. }))
    }
}

/// The review state of `device` at `digest` against `required` criteria on
/// `today`.
pub fn status(
    reviews: &[Review],
    device: &str,
    digest: &Digest,
    required: &[String],
    today: Date,
    max_age_days: Option<u64>,
) -> ReviewStatus {
    let mine: Vec<&Review> = reviews.iter().filter(|r| r.device == device).collect();
    let criteria = required
        .iter()
        .map(|c| {
            let newest = mine
                .iter()
                .filter(|r| r.digest == *digest && r.criteria.iter().any(|x| x == c))
                .max_by(|a, b| a.date.cmp(&b.date));
            let state = match newest {
                None => CriterionState::Missing,
                Some(r) if r.verdict == Verdict::Reject => CriterionState::Rejected {
                    by: r.reviewer.clone(),
                    date: r.date,
                    note: r.note.clone(),
                },
                Some(r) => match last_valid_day(r, max_age_days) {
                    Some(last) if last < today => CriterionState::Expired {
                        by: r.reviewer.clone(),
                        on: last,
                    },
                    _ => CriterionState::Approved {
                        by: r.reviewer.clone(),
                        date: r.date,
                    },
                },
            };
            (c.clone(), state)
        })
        .collect();
    ReviewStatus {
        digest: *digest,
        criteria,
        last_approved: last_approved(&mine, digest, required),
    }
}

/// The last day an approval counts: the earlier of its `expires` and
/// `date + max_age_days` (an age past the calendar's end never expires it
/// by age; the dates themselves were checked when the file was loaded).
fn last_valid_day(r: &Review, max_age_days: Option<u64>) -> Option<Date> {
    let aged = max_age_days
        .and_then(|d| i64::try_from(d).ok())
        .and_then(|d| r.date.date().add_days(d));
    match (r.expires, aged) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn last_approved(
    mine: &[&Review],
    current: &Digest,
    required: &[String],
) -> Option<(Digest, Time)> {
    let approvals: Vec<&&Review> = mine
        .iter()
        .filter(|r| r.verdict == Verdict::Approve && r.digest != *current)
        .collect();
    let full = |digest: &Digest| {
        required.iter().all(|c| {
            approvals
                .iter()
                .any(|r| r.digest == *digest && r.criteria.iter().any(|x| x == c))
        })
    };
    let newest = |only_full: bool| {
        approvals
            .iter()
            .filter(|r| !only_full || full(&r.digest))
            .max_by(|a, b| a.date.cmp(&b.date))
            .map(|r| (r.digest, r.date))
    };
    newest(true).or_else(|| newest(false))
}
