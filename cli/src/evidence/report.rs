//! What inspecting one evidence file yields: decoded fields, named
//! verification checks with their outcome, and the structured decode.

use serde::Serialize;

pub use crate::check::{Check, Status};
use crate::model::EvidenceKind;

/// One decoded field, for display and for BOM properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Dotted kebab-case name, e.g. `root-of-trust.device-locked`.
    pub name: String,
    /// The value as text.
    pub value: String,
}

/// Everything strata read from one evidence file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The evidence kind it was read as.
    pub kind: EvidenceKind,
    /// One line saying what the file is.
    pub summary: String,
    /// The evaluation time used for time-dependent checks (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_at: Option<String>,
    /// Decoded fields, in a fixed order.
    pub fields: Vec<Field>,
    /// Verification checks, in the order they ran.
    pub checks: Vec<Check>,
    /// The full structured decode (format-specific).
    pub decoded: serde_json::Value,
}

impl Report {
    /// The check called `name`, if it ran.
    pub fn find_check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The value of the field called `name`, if decoded.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    /// A report with no fields or checks yet.
    pub fn new(kind: EvidenceKind, summary: impl Into<String>) -> Self {
        Report {
            kind,
            summary: summary.into(),
            evaluated_at: None,
            fields: Vec::new(),
            checks: Vec::new(),
            decoded: serde_json::Value::Null,
        }
    }

    /// Add a field.
    pub fn field(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push(Field {
            name: name.to_string(),
            value: value.into(),
        });
    }

    /// Add a field when the value is present.
    pub fn field_opt(&mut self, name: &str, value: Option<impl Into<String>>) {
        if let Some(v) = value {
            self.field(name, v);
        }
    }

    /// Add a check.
    pub fn check(&mut self, name: &str, status: Status, detail: impl Into<String>) {
        self.checks.push(Check {
            name: name.to_string(),
            status,
            detail: detail.into(),
        });
    }

    /// Add a passing or failing check.
    pub fn check_bool(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        self.check(name, if ok { Status::Pass } else { Status::Fail }, detail);
    }

    /// True when no check failed (checks that did not apply do not fail).
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }

    /// `failed` when a check failed; `passed` when every check passed;
    /// `partial` when some passed and others did not apply; `not-verified`
    /// when none ran.
    pub fn verdict(&self) -> &'static str {
        if !self.passed() {
            "failed"
        } else if self.checks.iter().all(|c| c.status == Status::Pass) && !self.checks.is_empty() {
            "passed"
        } else if self.checks.iter().any(|c| c.status == Status::Pass) {
            "partial"
        } else {
            "not-verified"
        }
    }

    /// The report as `(name, value)` pairs for BOM properties, prefixed
    /// `evidence:<prefix>:` for fields and `evidence:check:` for checks.
    pub fn properties(&self, prefix: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for f in &self.fields {
            out.push((format!("evidence:{prefix}:{}", f.name), f.value.clone()));
        }
        for c in &self.checks {
            out.push((
                format!("evidence:check:{}", c.name),
                c.status.name().to_string(),
            ));
        }
        out.push((
            "evidence:verification".to_string(),
            self.verdict().to_string(),
        ));
        if let Some(t) = &self.evaluated_at {
            out.push(("evidence:evaluated-at".to_string(), t.clone()));
        }
        out
    }
}
