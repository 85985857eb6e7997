//! The memo answers file: what only people can answer for a DPIA or a
//! procurement memo (purposes, lawful basis, necessity, measures, residual
//! risk, DPO advice, sign-off). Its JSON Schema is `schemas/answers.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Date;

/// A memo answers file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Answers {
    /// File format version (1).
    pub version: u32,
    /// The device the answers are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Document control.
    #[serde(default)]
    pub document: Document,
    /// Controller and role determination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<String>,
    /// The DPO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
    /// Supervisory authority and national list checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_authority: Option<String>,
    /// Art. 35(7)(a) purposes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<String>,
    /// Art. 6 / Art. 9 basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lawful_basis: Option<String>,
    /// Art. 35(7)(b) necessity and proportionality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub necessity: Option<String>,
    /// Retention periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// Data subjects, including non-users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_subjects: Option<String>,
    /// Art. 35(9) consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation: Option<String>,
    /// Controller, processor and other roles, with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Roles>,
    /// The lawful basis of each purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lawful_bases: Vec<LawfulBasis>,
    /// Data inventory: category × recipient × location × retention.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_inventory: Vec<InventoryRow>,
    /// Chapter V per destination: the transfer tool, the transfer impact
    /// assessment and how local export rules are met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<TransferAnswer>,
    /// Information to data subjects (Art. 13/14) and rights handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparency: Option<Transparency>,
    /// The employment context (WP249): BYOD separation, monitoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// Processors and their Art. 28 agreements; an empty list says there
    /// are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processors: Option<Vec<Processor>>,
    /// Art. 35(9): the views sought, with what they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views_sought: Vec<View>,
    /// Art. 35(9): why no views were sought, when none were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views_not_sought_reason: Option<String>,
    /// Assessments of strata's proposed risks, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub risks: BTreeMap<String, Assessment>,
    /// Risks the assessors add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_risks: Vec<Assessment>,
    /// The measure register (Art. 35(7)(d)): each measure with the risks
    /// it treats, its owner, status and effect. A plain sentence (older
    /// answers files) is a measure that states none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureEntry>,
    /// Art. 35(2) DPO advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo_advice: Option<String>,
    /// Whether the DPO's advice was accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo_advice_accepted: Option<bool>,
    /// Why it was overruled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo_advice_overruled_reason: Option<String>,
    /// Procurement options considered: each a sentence, or the option with
    /// what it means for the risk and the concentration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionAnswer>,
    /// Conditions added to the library's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Owners and due dates of the library's conditions, by key
    /// (`signed-attestation`, `agent-restriction`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub condition_owners: BTreeMap<String, ConditionOwner>,
    /// Residual-risk acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_acceptance: Option<String>,
    /// Sign-off rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sign_off: Vec<SignOff>,
    /// The buyer: whether it is a public contracting authority, and where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<Buyer>,
    /// The intended term of use of the devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_of_use: Option<TermOfUse>,
}

/// A procurement option the assessors considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OptionAnswer {
    /// The option in one sentence.
    Text(String),
    /// The option with its effects.
    Assessed(AssessedOption),
}

impl OptionAnswer {
    /// The option.
    pub fn option(&self) -> &str {
        match self {
            OptionAnswer::Text(t) => t,
            OptionAnswer::Assessed(a) => &a.option,
        }
    }
}

/// An option with what it means for the risk and the concentration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AssessedOption {
    /// The option.
    pub option: String,
    /// What it means for the risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    /// What it means for the concentration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration: Option<String>,
}

/// The buyer of the devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Buyer {
    /// True for a contracting authority under public-procurement law.
    pub public: bool,
    /// ISO 3166 alpha-2 country of the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
}

/// How long the organisation means to use the devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TermOfUse {
    /// Last day of intended use.
    pub until: Date,
    /// Why this term (contract, depreciation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Document control fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Document {
    /// Document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Document version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Classification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Privileged & confidential marking.
    #[serde(default)]
    pub privileged: bool,
    /// Addressee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Author of the memo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<String>,
    /// Procurement reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// People's assessment of one risk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assessment {
    /// Title (required for extra risks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Inherent severity 1–4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    /// Inherent likelihood 1–4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<u8>,
    /// Why the inherent severity is what it is (one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
    /// Why the inherent likelihood is what it is (one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood_reason: Option<String>,
    /// Measures for this risk, as plain sentences (older answers files;
    /// the measure register `measures` with `treats` is preferred).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<String>,
    /// Residual severity 1–4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_severity: Option<u8>,
    /// Residual likelihood 1–4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_likelihood: Option<u8>,
    /// Why the residual severity and likelihood are what they are (one
    /// line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_reason: Option<String>,
    /// Who accepted the residual risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<String>,
}

/// One entry of the measure register: a structured measure, or a plain
/// sentence as older answers files wrote them (no risk, owner or status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MeasureEntry {
    /// A plain sentence.
    Plain(String),
    /// A structured measure.
    Measure(Measure),
}

impl MeasureEntry {
    /// The measure's text.
    pub fn text(&self) -> &str {
        match self {
            MeasureEntry::Plain(t) => t,
            MeasureEntry::Measure(m) => &m.text,
        }
    }
}

/// A measure of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Measure {
    /// Its id (`M-1` …); numbered by position in the list when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What is done.
    pub text: String,
    /// The ids of the risks it treats (`R-1`, `X-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treats: Vec<String>,
    /// Who is responsible for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// planned, in-place or verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MeasureStatus>,
    /// Which score it lowers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    /// By how many scale steps (1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u8>,
    /// Where its implementation is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Who or what verified it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
}

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeasureStatus {
    /// Decided, not yet implemented.
    Planned,
    /// Implemented.
    InPlace,
    /// Implemented and checked.
    Verified,
}

impl MeasureStatus {
    /// The word in the answers file and the memos.
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InPlace => "in-place",
            MeasureStatus::Verified => "verified",
        }
    }
}

/// Which score a measure lowers (CNIL: a measure acts on the sources of
/// risk and the threat, lowering likelihood, or on the impact, lowering
/// severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Likelihood.
    Likelihood,
    /// Severity.
    Severity,
    /// Both.
    Both,
}

impl Effect {
    /// The word in the answers file and the memos.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Likelihood => "likelihood",
            Effect::Severity => "severity",
            Effect::Both => "both",
        }
    }

    /// True when it lowers severity.
    pub fn severity(self) -> bool {
        matches!(self, Effect::Severity | Effect::Both)
    }

    /// True when it lowers likelihood.
    pub fn likelihood(self) -> bool {
        matches!(self, Effect::Likelihood | Effect::Both)
    }
}

/// A procurement condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Condition {
    /// What must be done.
    pub text: String,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// How it is verified (the check, record or rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// What happens while it is not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
}

/// A sign-off row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SignOff {
    /// Role.
    pub role: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The document it signs (`dpia` or `procurement`, the latter also
    /// for the fleet memo); every document when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// Controller and processor roles (Art. 4(7), 26, 28).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Roles {
    /// The legal entity that is controller.
    pub controller: String,
    /// Where the controller is established (ISO 3166 alpha-2): decides the
    /// GDPR's territorial scope (Art. 3(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established_in: Option<String>,
    /// Why the roles are as stated.
    pub determination: String,
    /// Other parties and their role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
}

/// Another party to the processing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Party {
    /// Legal entity.
    pub entity: String,
    /// `processor`, `sub-processor`, `joint-controller` or
    /// `independent-controller`.
    pub role: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The lawful basis of one purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LawfulBasis {
    /// The purpose.
    pub purpose: String,
    /// Art. 6(1) point: `6(1)(a)` … `6(1)(f)`.
    pub basis: String,
    /// Why this basis applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// The Art. 9(2) condition where special categories are processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub art9: Option<String>,
    /// The legitimate-interest test (required for 6(1)(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<LegitimateInterest>,
    /// Whether employees' data is processed for this purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_data: Option<bool>,
    /// Art. 88 and the national employment law or collective agreement
    /// (required when `employee-data` is true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_law: Option<String>,
}

impl LawfulBasis {
    /// The legitimate-interests basis, Art. 6(1)(f).
    pub const LEGITIMATE_INTEREST: &'static str = "6(1)(f)";
}

/// The three-part legitimate-interest test (LIA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LegitimateInterest {
    /// Purpose test: the interest pursued.
    pub interest: String,
    /// Necessity test.
    pub necessity: String,
    /// Balancing test against the data subjects' interests.
    pub balancing: String,
}

/// One row of the data inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InventoryRow {
    /// Data category.
    pub category: String,
    /// Recipient legal entity.
    pub recipient: String,
    /// Where it is processed or stored.
    pub location: String,
    /// The country of `location` (ISO 3166 alpha-2), for the transfer
    /// analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// How long it is kept.
    pub retention: String,
}

/// Information to data subjects and rights handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Transparency {
    /// How data subjects (users and non-users) are informed (Art. 13/14).
    pub information: String,
    /// How access, erasure, objection and other requests are handled.
    pub rights: String,
}

/// A processor and its agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Processor {
    /// Legal entity.
    pub entity: String,
    /// What it does.
    pub service: String,
    /// The Art. 28 agreement (reference and date).
    pub agreement: String,
    /// Where it processes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A view sought under Art. 35(9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct View {
    /// Whose view (works council, employee representatives, …).
    pub from: String,
    /// When.
    pub date: Date,
    /// What the view was.
    pub view: String,
    /// How it was taken into account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// Chapter V for one data destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransferAnswer {
    /// The destination: a data route's kind (`vendor-cloud`), an endpoint
    /// host, or a data-inventory recipient.
    pub destination: String,
    /// The recipient legal entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// `not-a-transfer`, `adequacy`, `dpf`, `sccs`, `bcr`, `derogation` or
    /// `none`.
    pub tool: String,
    /// The SCC module (1–4) with `sccs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<u8>,
    /// The transfer impact assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tia: Option<Tia>,
    /// How the export rules of the country where the data is collected are
    /// met (e.g. PIPL Art. 38 standard contract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_law: Option<String>,
    /// Why (required for `not-a-transfer` and `derogation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TransferAnswer {
    /// The tools an answer may name.
    pub const TOOLS: [&'static str; 7] = [
        "not-a-transfer",
        "adequacy",
        "dpf",
        "sccs",
        "bcr",
        "derogation",
        "none",
    ];
}

/// A transfer impact assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Tia {
    /// Its reference.
    pub reference: String,
    /// When it was concluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Its outcome (supplementary measures, residual access risk).
    pub outcome: String,
}

/// The employment context (WP249, Art. 88).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Employment {
    /// How private and work data are kept apart on employees' own devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separation: Option<String>,
    /// What the employer will and will not monitor, and how that is
    /// necessary, proportionate and transparent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
}

/// Who owns a library condition and by when it is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionOwner {
    /// The person or role accountable.
    pub owner: String,
    /// When it is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}
