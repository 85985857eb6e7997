//! The JSON Schema (draft-07) of every JSON output, built from shared
//! pieces (a diagnostic, a check, a gate finding, the analysis) so the
//! schemas cannot disagree about them. Each document is closed at the top
//! level (`additionalProperties: false`); objects inside it name what they
//! always hold and may grow new keys without a new schema version.

use serde_json::{Map, Value, json};

use super::SCHEMA_VERSION;
use crate::check::Status;
use crate::policy::RuleCode;

/// A kind of JSON document strata prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `strata analyze --format json`.
    Analyze,
    /// `strata diff --format json`.
    Diff,
    /// Any command's error with `--format json`.
    Error,
    /// `strata evidence inspect --format json`.
    Evidence,
    /// `strata explain CODE --format json`.
    Explain,
    /// `strata explain --list --format json`.
    ExplainList,
    /// `strata gate --format json`.
    Gate,
    /// `strata hash --format json`.
    Hash,
    /// `strata log --format json`.
    Log,
    /// `strata model verify --format json`.
    ModelVerify,
    /// `strata report --format json`.
    Report,
    /// `strata review approve|reject --format json`.
    Review,
    /// `strata validate --format json`.
    Validate,
    /// `strata inventory reconcile --format json`.
    Inventory,
    /// `strata diff --inventory OLD NEW --format json`.
    InventoryDiff,
    /// `strata verify BUNDLE --format json`.
    Verify,
    /// `strata verify --batch LIST --format json`.
    VerifyBatch,
}

/// Every output, by schema name.
pub const OUTPUTS: [Output; 17] = [
    Output::Analyze,
    Output::Diff,
    Output::Error,
    Output::Evidence,
    Output::Explain,
    Output::ExplainList,
    Output::Gate,
    Output::Hash,
    Output::Inventory,
    Output::InventoryDiff,
    Output::Log,
    Output::ModelVerify,
    Output::Report,
    Output::Review,
    Output::Validate,
    Output::Verify,
    Output::VerifyBatch,
];

impl Output {
    /// The name `strata schema` takes: `output-gate`, ….
    pub fn schema_name(self) -> &'static str {
        match self {
            Output::Analyze => "output-analyze",
            Output::Diff => "output-diff",
            Output::Error => "output-error",
            Output::Evidence => "output-evidence",
            Output::Explain => "output-explain",
            Output::ExplainList => "output-explain-list",
            Output::Gate => "output-gate",
            Output::Hash => "output-hash",
            Output::Inventory => "output-inventory",
            Output::InventoryDiff => "output-inventory-diff",
            Output::Log => "output-log",
            Output::ModelVerify => "output-model-verify",
            Output::Report => "output-report",
            Output::Review => "output-review",
            Output::Validate => "output-validate",
            Output::Verify => "output-verify",
            Output::VerifyBatch => "output-verify-batch",
        }
    }

    /// The command line that prints it.
    pub fn command(self) -> &'static str {
        match self {
            Output::Analyze => "strata analyze --format json",
            Output::Diff => "strata diff --format json",
            Output::Error => "any strata command with --format json, when it fails (exit 2)",
            Output::Evidence => "strata evidence inspect --format json",
            Output::Explain => "strata explain CODE --format json",
            Output::ExplainList => "strata explain --list --format json",
            Output::Gate => "strata gate --format json",
            Output::Hash => "strata hash --format json",
            Output::Inventory => "strata inventory reconcile --format json",
            Output::InventoryDiff => "strata diff --inventory OLD NEW --format json",
            Output::Log => "strata log --format json",
            Output::ModelVerify => "strata model verify --format json",
            Output::Report => "strata report --format json",
            Output::Review => "strata review approve|reject --format json",
            Output::Validate => "strata validate --format json",
            Output::Verify => "strata verify BUNDLE --format json",
            Output::VerifyBatch => "strata verify --batch LIST --format json",
        }
    }

    /// The schema.
    pub fn schema(self) -> Value {
        let (required, optional): (Keys, Keys) = match self {
            Output::Analyze => (analysis_fields(), vec![("counts", counts_used())]),
            Output::InventoryDiff => inventory_diff(),
            Output::Diff => diff(),
            Output::Error => (
                vec![("error", string()), ("diagnostics", array(diagnostic()))],
                vec![],
            ),
            Output::Evidence => evidence(),
            Output::Explain => (
                vec![
                    ("code", kebab()),
                    ("summary", string()),
                    ("explanation", string()),
                ],
                vec![],
            ),
            Output::ExplainList => (
                vec![(
                    "codes",
                    array(object(&[("code", kebab()), ("summary", string())], &[])),
                )],
                vec![],
            ),
            Output::Gate => gate(),
            Output::Inventory => inventory(),
            Output::Hash => (
                vec![
                    ("backend", string()),
                    (
                        "results",
                        array(object(
                            &[
                                ("path", string()),
                                ("kind", enumeration(&["file", "directory"])),
                                ("sha256", sha256()),
                                ("size", count()),
                            ],
                            &[("files", count())],
                        )),
                    ),
                ],
                vec![],
            ),
            Output::Log => log(),
            Output::ModelVerify => model_verify(),
            Output::Report => report(),
            Output::Review => review(),
            Output::Validate => validate(),
            Output::Verify => (verify_fields(), verify_optional()),
            Output::VerifyBatch => verify_batch(),
        };
        let mut properties = Map::new();
        properties.insert(
            "schema_version".into(),
            json!({"type": "integer", "const": SCHEMA_VERSION}),
        );
        let mut names = vec![Value::from("schema_version")];
        for (k, v) in &required {
            properties.insert((*k).into(), v.clone());
            names.push(Value::from(*k));
        }
        for (k, v) in &optional {
            properties.insert((*k).into(), v.clone());
        }
        json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": format!("strata {} output", self.schema_name().trim_start_matches("output-")),
            "description": format!(
                "What `{}` prints (schema_version {SCHEMA_VERSION}). New keys may appear inside nested objects without a new schema_version; a key removed, renamed or retyped changes it.",
                self.command()
            ),
            "type": "object",
            "required": names,
            "properties": properties,
            "additionalProperties": false
        })
    }
}

// ------------------------------------------------------------ building blocks

/// Named keys of an object, each with its schema.
type Keys = Vec<(&'static str, Value)>;

fn string() -> Value {
    json!({"type": "string"})
}

fn opt_string() -> Value {
    json!({"type": ["string", "null"]})
}

fn kebab() -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})
}

fn sha256() -> Value {
    json!({"type": "string", "pattern": "^[0-9a-f]{64}$"})
}

fn count() -> Value {
    json!({"type": "integer", "minimum": 0})
}

fn number() -> Value {
    json!({"type": "number"})
}

fn share() -> Value {
    json!({"type": "number", "minimum": 0, "maximum": 1})
}

fn boolean() -> Value {
    json!({"type": "boolean"})
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn enumeration(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

/// An object holding `required` (and possibly `optional`) keys; other keys
/// may appear.
fn object(required: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let mut properties = Map::new();
    for (k, v) in required.iter().chain(optional) {
        properties.insert((*k).into(), v.clone());
    }
    json!({
        "type": "object",
        "required": required.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        "properties": properties
    })
}

/// A diagnostic, as in every report and error.
fn diagnostic() -> Value {
    object(
        &[
            ("code", kebab()),
            ("severity", enumeration(&["note", "warning", "error"])),
            ("message", string()),
        ],
        &[
            ("file", string()),
            (
                "position",
                object(&[("line", count()), ("column", count())], &[]),
            ),
            ("pointer", string()),
            ("help", string()),
        ],
    )
}

fn status() -> Value {
    let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
    enumeration(&names)
}

/// A named check with its status and detail (evidence, model verify,
/// review).
fn named_check() -> Value {
    object(
        &[
            ("name", kebab()),
            ("status", status()),
            ("detail", string()),
        ],
        &[],
    )
}

fn rule() -> Value {
    let names: Vec<&str> = RuleCode::ALL.iter().map(|r| r.code()).collect();
    enumeration(&names)
}

/// One rule on one device, as the gate and the report give it.
fn gate_check() -> Value {
    object(
        &[
            ("device", string()),
            ("rule", rule()),
            ("level", enumeration(&["allow", "warn", "deny"])),
            (
                "verdict",
                enumeration(&["pass", "warn", "deny", "excepted"]),
            ),
            ("stack", string()),
        ],
        &[
            ("message", string()),
            (
                "listed_at",
                object(&[("file", string()), ("line", count())], &[]),
            ),
            ("inventory", string()),
            (
                "exception",
                object(
                    &[("reason", string()), ("expires", string())],
                    &[("approved_by", string())],
                ),
            ),
        ],
    )
}

/// The shadow-fleet reconciliation (pseudonymous counts only; also the
/// snapshot an organisation keeps in git).
fn inventory() -> (Keys, Keys) {
    let any_object = || json!({"type": "object"});
    let source = object(
        &[
            ("format", string()),
            ("path", string()),
            ("records", count()),
        ],
        &[
            ("files", count()),
            ("active", count()),
            ("stale", count()),
            ("duplicates", count()),
            ("retired", count()),
            ("ownership", any_object()),
            ("modes", any_object()),
            ("stacks", array(any_object())),
            ("unknown_models", array(any_object())),
            ("unresolved", array(any_object())),
        ],
    );
    let hit = object(
        &[
            ("status", string()),
            ("subject", string()),
            ("list", string()),
        ],
        &[
            ("confidence", string()),
            ("via", string()),
            ("list_name", string()),
            ("snapshot_date", string()),
            ("entity", string()),
            ("citation", string()),
            ("devices", count()),
        ],
    );
    (
        vec![
            ("as_of", string()),
            ("stale_days", count()),
            ("pseudonyms", enumeration(&["none", "hmac-sha256"])),
            ("totals", object(&[("active", count())], &[])),
            ("sources", array(source)),
            ("screening", array(hit)),
            ("warnings", array(diagnostic())),
        ],
        vec![("catalog", string())],
    )
}

fn gate_summary() -> Value {
    object(
        &[
            ("devices", count()),
            ("rules", count()),
            ("deny", count()),
            ("warn", count()),
            ("excepted", count()),
        ],
        &[("inventories", count())],
    )
}

fn group_share() -> Value {
    object(
        &[("group", string()), ("name", string()), ("share", share())],
        &[],
    )
}

/// The analysis: `strata analyze`'s document, and `analysis` in the report.
fn analysis_fields() -> Keys {
    let device = object(
        &[
            ("id", string()),
            ("name", string()),
            ("class", string()),
            ("stack", string()),
            ("units", count()),
            ("criticality", number()),
            ("weight", number()),
            ("approved", boolean()),
            (
                "layers",
                array(object(
                    &[
                        ("layer", string()),
                        ("product", string()),
                        ("weight", number()),
                        ("parts", array(json!({"type": "object"}))),
                    ],
                    &[],
                )),
            ),
            (
                "concentration",
                object(
                    &[
                        ("groups", array(json!({"type": "object"}))),
                        ("vci", number()),
                        ("n_eff", number()),
                        ("band", string()),
                    ],
                    &[("top", json!({"type": "object"}))],
                ),
            ),
            (
                "flags",
                array(object(&[("code", kebab()), ("message", string())], &[])),
            ),
            (
                "screening",
                object(
                    &[
                        ("active", array(json!({"type": "object"}))),
                        ("historical", array(json!({"type": "object"}))),
                        ("possible", array(json!({"type": "object"}))),
                    ],
                    &[],
                ),
            ),
            (
                "dpia",
                object(
                    &[
                        (
                            "criteria",
                            array(object(
                                &[
                                    ("code", string()),
                                    ("title", string()),
                                    ("met", boolean()),
                                    ("reason", string()),
                                ],
                                &[],
                            )),
                        ),
                        ("count", count()),
                        ("outcome", string()),
                    ],
                    &[],
                ),
            ),
        ],
        &[
            ("region", string()),
            ("owner", string()),
            ("deployment", string()),
            ("used_in", array(string())),
        ],
    );
    let fleet = object(
        &[
            ("units", count()),
            ("weight", number()),
            (
                "layers",
                array(object(
                    &[
                        ("layer", string()),
                        ("devices", count()),
                        ("hhi", number()),
                        ("shares", array(group_share())),
                    ],
                    &[],
                )),
            ),
            ("pooled", array(group_share())),
            ("hhi", number()),
            ("n_eff", number()),
        ],
        &[],
    );
    vec![
        ("root", string()),
        ("inputs", json!({"type": "object"})),
        ("method", json!({"type": "object"})),
        (
            "lists",
            array(object(
                &[
                    ("id", string()),
                    ("name", string()),
                    ("snapshot_date", string()),
                    ("active_entries", count()),
                ],
                &[],
            )),
        ),
        ("devices", array(device)),
        ("fleet", fleet),
        ("notes", array(diagnostic())),
        ("disclaimer", string()),
    ]
}

fn gate() -> (Keys, Keys) {
    (
        vec![
            ("policy", string()),
            ("devices", string()),
            ("now", string()),
            ("result", enumeration(&["pass", "fail"])),
            ("summary", gate_summary()),
            ("checks", array(gate_check())),
            ("notes", array(diagnostic())),
        ],
        vec![],
    )
}

/// Two inventory snapshots compared.
fn inventory_diff() -> (Keys, Keys) {
    let info = || {
        object(
            &[
                ("path", string()),
                ("as_of", string()),
                ("active", count()),
                ("not_approved", count()),
            ],
            &[],
        )
    };
    let change = || json!({"anyOf": [enumeration(&["appeared", "grew", "shrank", "gone"]), {"type": "null"}]});
    (
        vec![
            ("old", info()),
            ("new", info()),
            (
                "groups",
                array(object(
                    &[
                        ("change", change()),
                        ("group", string()),
                        ("before", ownership_counts()),
                        ("after", ownership_counts()),
                    ],
                    &[],
                )),
            ),
            (
                "changes",
                array(object(
                    &[
                        ("change", change()),
                        (
                            "subject",
                            object(
                                &[(
                                    "kind",
                                    enumeration(&["stack", "unknown-models", "unresolved"]),
                                )],
                                &[
                                    ("stack", json!({"type": ["string", "null"]})),
                                    ("vendor", string()),
                                    ("approved", boolean()),
                                    ("manufacturer", string()),
                                ],
                            ),
                        ),
                        ("before", ownership_counts()),
                        ("after", ownership_counts()),
                    ],
                    &[],
                )),
            ),
        ],
        vec![],
    )
}

/// Which counts weighed the fleet (`--counts observed` only).
fn counts_used() -> Value {
    object(
        &[
            ("basis", enumeration(&["observed"])),
            ("inventories", array(string())),
            ("as_of", string()),
            ("stale_days", count()),
            ("approved_devices", count()),
            (
                "unlisted",
                array(object(
                    &[
                        ("group", string()),
                        ("name", string()),
                        ("devices", count()),
                        ("vehicles", count()),
                        ("weight", number()),
                    ],
                    &[],
                )),
            ),
            ("unresolved_devices", count()),
            ("summary", string()),
        ],
        &[],
    )
}

/// Devices by ownership.
fn ownership_counts() -> Value {
    object(
        &[
            ("company", count()),
            ("personal", count()),
            ("unknown", count()),
        ],
        &[],
    )
}

/// What the policy's inventories see that nobody approved.
fn seen_not_approved() -> Value {
    object(
        &[
            ("inventories", array(string())),
            ("as_of", string()),
            ("active", count()),
            ("devices", ownership_counts()),
            (
                "stacks",
                array(object(
                    &[
                        ("group", string()),
                        ("group_name", string()),
                        ("vendor", string()),
                        ("devices", ownership_counts()),
                    ],
                    &[("stack", string()), ("model", string())],
                )),
            ),
            (
                "unknown_by_manufacturer",
                array(object(
                    &[
                        ("manufacturer", string()),
                        ("vendor", string()),
                        ("devices", count()),
                    ],
                    &[],
                )),
            ),
            (
                "unresolved",
                array(object(
                    &[
                        ("manufacturer", string()),
                        ("models", array(string())),
                        ("devices", ownership_counts()),
                    ],
                    &[],
                )),
            ),
            ("screened", boolean()),
            (
                "restricted",
                array(object(
                    &[
                        ("subject", string()),
                        ("via", enumeration(&["vendor", "reported-manufacturer"])),
                        ("status", enumeration(&["active", "historical"])),
                        ("confidence", enumeration(&["exact", "possible"])),
                        ("list", string()),
                        ("entity", string()),
                        ("devices", count()),
                        ("summary", string()),
                    ],
                    &[],
                )),
            ),
        ],
        &[],
    )
}

fn report() -> (Keys, Keys) {
    let mut analysis = object(&[], &[]);
    let fields = analysis_fields();
    analysis["required"] = json!(fields.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    analysis["properties"] = Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    );
    (
        vec![
            ("date", string()),
            (
                "devices",
                array(object(
                    &[
                        ("id", string()),
                        (
                            "attestation",
                            object(
                                &[("status", string())],
                                &[("path", string()), ("sha256", sha256())],
                            ),
                        ),
                        ("gate", array(gate_check())),
                    ],
                    &[("dpia_recorded", string())],
                )),
            ),
            ("analysis", analysis),
            ("limitations", array(string())),
        ],
        vec![
            (
                "gate",
                object(
                    &[
                        ("result", enumeration(&["pass", "fail"])),
                        ("policy", string()),
                        ("summary", gate_summary()),
                        ("notes", array(diagnostic())),
                    ],
                    &[],
                ),
            ),
            ("seen_not_approved", seen_not_approved()),
        ],
    )
}

fn validate() -> (Keys, Keys) {
    (
        vec![
            ("valid", boolean()),
            ("strict", boolean()),
            (
                "files",
                array(object(
                    &[
                        ("file", string()),
                        ("status", enumeration(&["valid", "invalid", "unreadable"])),
                        ("spec_version", opt_string()),
                        ("serial_number", opt_string()),
                        ("metadata_component", json!({"type": ["object", "null"]})),
                        ("component_count", json!({"type": ["integer", "null"]})),
                        ("errors", count()),
                        ("warnings", count()),
                        ("diagnostics", array(diagnostic())),
                    ],
                    &[],
                )),
            ),
        ],
        vec![],
    )
}

/// A verification report's always-present keys (`strata verify`, and each
/// bundle of a batch).
fn verify_fields() -> Keys {
    vec![
        ("bundle", string()),
        ("artifact", string()),
        ("trust", string()),
        ("signing_times", array(string())),
        ("time_source", string()),
        (
            "checks",
            array(object(
                &[("id", kebab()), ("status", status()), ("detail", string())],
                &[("by", string())],
            )),
        ),
        ("library", string()),
        ("verified", boolean()),
    ]
}

fn verify_optional() -> Keys {
    vec![
        ("media_type", string()),
        ("artifact_sha256", sha256()),
        ("signer", object(&[("kind", string())], &[])),
    ]
}

fn verify_report() -> Value {
    object(&verify_fields(), &verify_optional())
}

fn verify_batch() -> (Keys, Keys) {
    (
        vec![
            (
                "summary",
                object(
                    &[
                        ("bundles", count()),
                        ("verified", count()),
                        ("not_verified", count()),
                        ("errors", count()),
                    ],
                    &[],
                ),
            ),
            (
                "bundles",
                array(object(
                    &[
                        ("source", string()),
                        ("bundle", string()),
                        (
                            "outcome",
                            enumeration(&["verified", "not-verified", "error"]),
                        ),
                    ],
                    &[
                        ("report", verify_report()),
                        (
                            "error",
                            object(
                                &[("message", string()), ("diagnostics", array(diagnostic()))],
                                &[],
                            ),
                        ),
                    ],
                )),
            ),
        ],
        vec![],
    )
}

fn evidence() -> (Keys, Keys) {
    (
        vec![
            ("file", string()),
            ("kind", kebab()),
            ("summary", string()),
            (
                "fields",
                array(object(&[("name", string()), ("value", string())], &[])),
            ),
            ("checks", array(named_check())),
            ("decoded", json!({})),
            (
                "verification",
                enumeration(&["passed", "partial", "not-verified", "failed"]),
            ),
        ],
        vec![("evaluated_at", string())],
    )
}

fn model_verify() -> (Keys, Keys) {
    (
        vec![
            ("model", string()),
            ("signature", string()),
            ("trust", string()),
            ("signed_resources", count()),
            ("checks", array(named_check())),
            ("verified", boolean()),
        ],
        vec![
            ("subject", string()),
            (
                "difference",
                object(
                    &[],
                    &[
                        ("changed", array(json!({"type": "object"}))),
                        ("missing", array(string())),
                        ("extra", array(string())),
                    ],
                ),
            ),
            ("sigstore", verify_report()),
        ],
    )
}

fn review() -> (Keys, Keys) {
    (
        vec![
            ("recorded", boolean()),
            ("refused", opt_string()),
            ("reviews", string()),
            ("attestation", string()),
            (
                "entry",
                object(
                    &[
                        ("device", string()),
                        ("digest", string()),
                        ("verdict", enumeration(&["approve", "reject"])),
                        ("criteria", array(string())),
                        ("reviewer", string()),
                        ("date", string()),
                    ],
                    &[("expires", string()), ("note", string())],
                ),
            ),
            (
                "criteria",
                array(object(&[("id", string()), ("description", string())], &[])),
            ),
            ("checks", array(named_check())),
        ],
        vec![],
    )
}

fn diff() -> (Keys, Keys) {
    let side = object(&[("rev", string())], &[("commit", string())]);
    (
        vec![
            ("from", side.clone()),
            ("to", side),
            ("directory", string()),
            (
                "devices",
                array(object(
                    &[
                        ("device", string()),
                        (
                            "status",
                            enumeration(&["added", "removed", "changed", "unchanged"]),
                        ),
                        ("changes", array(json!({"type": "object"}))),
                    ],
                    &[
                        ("from_digest", string()),
                        ("to_digest", string()),
                        ("reviews_added", array(json!({"type": "object"}))),
                        ("reviews_removed", array(json!({"type": "object"}))),
                    ],
                )),
            ),
            (
                "totals",
                object(
                    &[
                        ("added", count()),
                        ("removed", count()),
                        ("changed", count()),
                        ("unchanged", count()),
                    ],
                    &[],
                ),
            ),
        ],
        vec![],
    )
}

fn log() -> (Keys, Keys) {
    (
        vec![
            ("device", string()),
            ("from", string()),
            ("commits", count()),
            (
                "entries",
                array(object(
                    &[
                        ("commit", string()),
                        ("short", string()),
                        ("author", string()),
                        ("date", string()),
                        ("kind", string()),
                        ("summary", string()),
                    ],
                    &[
                        ("digest", string()),
                        ("review", json!({"type": "object"})),
                        ("changes", array(json!({"type": "object"}))),
                    ],
                )),
            ),
        ],
        vec![],
    )
}
