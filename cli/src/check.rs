//! One vocabulary for the outcome of a check, used by every report strata
//! prints: `strata verify`, `evidence inspect`, `model verify`, the checks
//! `review` runs before recording a verdict, the evidence properties of an
//! assembled BOM and the gate's result.
//!
//! | status           | label  | meaning                                                      |
//! |------------------|--------|--------------------------------------------------------------|
//! | `pass`           | `pass` | the check ran and held                                       |
//! | `fail`           | `FAIL` | the check ran and did not hold                               |
//! | `not-applicable` | `n/a`  | not run: it does not apply, or what it needs was not given (the detail says which) |
//! | `not-checked`    | `--`   | it applies but could not run because an earlier check failed |
//!
//! A report decides what the statuses add up to (a bundle verifies only
//! when nothing failed and nothing was left unchecked); the names are the
//! same everywhere.

use std::fmt;

use serde::Serialize;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The check ran and held.
    Pass,
    /// The check ran and did not hold.
    Fail,
    /// The check was not run: it does not apply to this input, or the
    /// material it needs was not given. The detail says why. It neither
    /// passes nor fails, and is never reported as verified.
    NotApplicable,
    /// The check applies but could not run because an earlier check failed.
    NotChecked,
}

impl Status {
    /// Every status, in the order of the table above.
    pub const ALL: [Status; 4] = [
        Status::Pass,
        Status::Fail,
        Status::NotApplicable,
        Status::NotChecked,
    ];

    /// The kebab-case name, as in JSON output and BOM properties.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not-applicable",
            Status::NotChecked => "not-checked",
        }
    }

    /// The short label of human tables: `pass`, `FAIL`, `n/a`, `--`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::NotApplicable => "n/a",
            Status::NotChecked => "--",
        }
    }

    /// `Pass` when `ok`, else `Fail`.
    pub fn of(ok: bool) -> Status {
        if ok { Status::Pass } else { Status::Fail }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One named check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable kebab-case name, e.g. `chain-signatures`.
    pub name: String,
    /// Outcome.
    pub status: Status,
    /// What was checked and what was found, or why it did not run.
    pub detail: String,
}

impl Check {
    /// A check called `name`.
    pub fn new(name: impl Into<String>, status: Status, detail: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            status,
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names_and_unique() {
        let mut names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).unwrap().as_str(), Some(s.name()));
            assert_eq!(s.to_string(), s.name());
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Status::ALL.len());
    }

    #[test]
    fn labels_fit_a_four_column_cell() {
        for s in Status::ALL {
            assert!(s.label().len() <= 4, "{s}");
        }
        assert_eq!(Status::of(true), Status::Pass);
        assert_eq!(Status::of(false), Status::Fail);
    }
}
