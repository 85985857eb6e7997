//! The official CycloneDX JSON schemas (1.2–1.7, with the strict variants
//! of 1.2 and 1.3) and the SPDX 2.3 JSON schema, embedded in the binary, and
//! their compiled validators.
//!
//! The bom schemas reference `spdx.schema.json`, `jsf-0.82.schema.json` and
//! (1.7) `cryptography-defs.schema.json` relative to their own
//! `http://cyclonedx.org/schema/...` ids. Those are put in a
//! [`jsonschema::Registry`] under the same ids and the validators are built
//! offline, so no reference is ever fetched over the network. Validators are
//! Draft 7 with format assertions on (`date-time`, `iri-reference`,
//! `idn-email`, `uri`, ... decide the verdict of the specification's own test
//! corpus) and are compiled lazily, once per spec version, per process.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, ValidationError, Validator};
use serde_json::Value;

use crate::diag::{Code, Diagnostic};

/// A CycloneDX specification version that `strata validate` has a schema for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    /// CycloneDX 1.2.
    V1_2,
    /// CycloneDX 1.3.
    V1_3,
    /// CycloneDX 1.4.
    V1_4,
    /// CycloneDX 1.5.
    V1_5,
    /// CycloneDX 1.6.
    V1_6,
    /// CycloneDX 1.7.
    V1_7,
}

impl SpecVersion {
    /// Every supported version, oldest first.
    pub const ALL: [SpecVersion; 6] = [
        SpecVersion::V1_2,
        SpecVersion::V1_3,
        SpecVersion::V1_4,
        SpecVersion::V1_5,
        SpecVersion::V1_6,
        SpecVersion::V1_7,
    ];

    /// The version as written in `specVersion`, e.g. `1.6`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1_2 => "1.2",
            SpecVersion::V1_3 => "1.3",
            SpecVersion::V1_4 => "1.4",
            SpecVersion::V1_5 => "1.5",
            SpecVersion::V1_6 => "1.6",
            SpecVersion::V1_7 => "1.7",
        }
    }

    /// Parse a `specVersion` value; `None` for versions without a schema
    /// here (1.0, 1.1, future versions, garbage).
    pub fn parse(s: &str) -> Option<SpecVersion> {
        SpecVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The schema's `$id`. From 1.4 on it is also the `$schema` value a BOM
    /// of this version may carry; the 1.2 and 1.3 schemas carry revision
    /// ids (`bom-1.2b`, `bom-1.3a`).
    pub fn schema_id(self) -> &'static str {
        match self {
            SpecVersion::V1_2 => "http://cyclonedx.org/schema/bom-1.2b.schema.json",
            SpecVersion::V1_3 => "http://cyclonedx.org/schema/bom-1.3a.schema.json",
            SpecVersion::V1_4 => "http://cyclonedx.org/schema/bom-1.4.schema.json",
            SpecVersion::V1_5 => "http://cyclonedx.org/schema/bom-1.5.schema.json",
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom-1.6.schema.json",
            SpecVersion::V1_7 => "http://cyclonedx.org/schema/bom-1.7.schema.json",
        }
    }

    /// The embedded schema text.
    pub fn schema_source(self) -> &'static str {
        match self {
            SpecVersion::V1_2 => include_str!("../../../schemas/cyclonedx/bom-1.2.schema.json"),
            SpecVersion::V1_3 => include_str!("../../../schemas/cyclonedx/bom-1.3.schema.json"),
            SpecVersion::V1_4 => include_str!("../../../schemas/cyclonedx/bom-1.4.schema.json"),
            SpecVersion::V1_5 => include_str!("../../../schemas/cyclonedx/bom-1.5.schema.json"),
            SpecVersion::V1_6 => include_str!("../../../schemas/cyclonedx/bom-1.6.schema.json"),
            SpecVersion::V1_7 => include_str!("../../../schemas/cyclonedx/bom-1.7.schema.json"),
        }
    }

    /// The strict variant of the schema (no properties beyond the
    /// specification's), which only 1.2 and 1.3 publish.
    pub fn strict_schema_source(self) -> Option<&'static str> {
        match self {
            SpecVersion::V1_2 => Some(include_str!(
                "../../../schemas/cyclonedx/bom-1.2-strict.schema.json"
            )),
            SpecVersion::V1_3 => Some(include_str!(
                "../../../schemas/cyclonedx/bom-1.3-strict.schema.json"
            )),
            _ => None,
        }
    }

    /// The official XSD of the XML format of this version.
    pub fn xsd_source(self) -> &'static str {
        match self {
            SpecVersion::V1_2 => include_str!("../../../schemas/cyclonedx/bom-1.2.xsd"),
            SpecVersion::V1_3 => include_str!("../../../schemas/cyclonedx/bom-1.3.xsd"),
            SpecVersion::V1_4 => include_str!("../../../schemas/cyclonedx/bom-1.4.xsd"),
            SpecVersion::V1_5 => include_str!("../../../schemas/cyclonedx/bom-1.5.xsd"),
            SpecVersion::V1_6 => include_str!("../../../schemas/cyclonedx/bom-1.6.xsd"),
            SpecVersion::V1_7 => include_str!("../../../schemas/cyclonedx/bom-1.7.xsd"),
        }
    }

    /// The XML namespace of this version, `http://cyclonedx.org/schema/bom/1.N`.
    pub fn xml_namespace(self) -> &'static str {
        match self {
            SpecVersion::V1_2 => "http://cyclonedx.org/schema/bom/1.2",
            SpecVersion::V1_3 => "http://cyclonedx.org/schema/bom/1.3",
            SpecVersion::V1_4 => "http://cyclonedx.org/schema/bom/1.4",
            SpecVersion::V1_5 => "http://cyclonedx.org/schema/bom/1.5",
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom/1.6",
            SpecVersion::V1_7 => "http://cyclonedx.org/schema/bom/1.7",
        }
    }

    /// The version whose XML namespace is `ns`.
    pub fn from_xml_namespace(ns: &str) -> Option<SpecVersion> {
        SpecVersion::ALL
            .into_iter()
            .find(|v| v.xml_namespace() == ns)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The schemas the bom schemas reference, with the ids they are resolved under.
pub const REFERENCED_SCHEMAS: [(&str, &str); 3] = [
    (
        "http://cyclonedx.org/schema/spdx.schema.json",
        include_str!("../../../schemas/cyclonedx/spdx.schema.json"),
    ),
    (
        "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        include_str!("../../../schemas/cyclonedx/jsf-0.82.schema.json"),
    ),
    (
        "http://cyclonedx.org/schema/cryptography-defs.schema.json",
        include_str!("../../../schemas/cyclonedx/cryptography-defs.schema.json"),
    ),
];

/// The registry of referenced schemas, built once.
///
/// A failure here is a defect of the embedded files (covered by unit tests),
/// reported as a string rather than a panic.
pub fn registry() -> Result<&'static Registry<'static>, String> {
    static REGISTRY: OnceLock<Result<Registry<'static>, String>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            let mut builder = Registry::new().draft(Draft::Draft7);
            for (id, text) in REFERENCED_SCHEMAS {
                let value: Value =
                    serde_json::from_str(text).map_err(|e| format!("embedded schema {id}: {e}"))?;
                builder = builder
                    .add(id, value)
                    .map_err(|e| format!("embedded schema {id}: {e}"))?;
            }
            builder
                .prepare()
                .map_err(|e| format!("embedded CycloneDX schemas: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Which schema a document is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonSchema {
    /// The CycloneDX bom schema of a version; `strict` picks the strict
    /// variant where the version has one (1.2 and 1.3).
    Cyclonedx {
        /// The spec version.
        version: SpecVersion,
        /// Use the strict variant when there is one.
        strict: bool,
    },
    /// The SPDX 2.3 JSON schema.
    Spdx2_3,
}

/// The official SPDX 2.3 JSON schema (draft 2019-09).
pub const SPDX_2_3_SCHEMA: &str = include_str!("../../../schemas/spdx/spdx-2.3.schema.json");

impl JsonSchema {
    /// The schema text, its draft and a name for messages.
    fn source(self) -> (&'static str, Draft, String) {
        match self {
            JsonSchema::Cyclonedx { version, strict } => match version.strict_schema_source() {
                Some(text) if strict => (text, Draft::Draft7, format!("bom-{version}-strict")),
                _ => (
                    version.schema_source(),
                    Draft::Draft7,
                    format!("bom-{version}"),
                ),
            },
            JsonSchema::Spdx2_3 => (SPDX_2_3_SCHEMA, Draft::Draft201909, "spdx-2.3".into()),
        }
    }

    /// Slot in the validator cache.
    fn index(self) -> usize {
        match self {
            JsonSchema::Cyclonedx { version, strict } => {
                let strict = strict && version.strict_schema_source().is_some();
                version.index() * 2 + usize::from(strict)
            }
            JsonSchema::Spdx2_3 => SpecVersion::ALL.len() * 2,
        }
    }
}

/// Number of validator slots: two per CycloneDX version, one for SPDX.
const SLOTS: usize = SpecVersion::ALL.len() * 2 + 1;

/// The compiled validator for `schema`, built on first use.
///
/// Errors only if the embedded schemas are broken (a build defect).
pub fn validator(schema: JsonSchema) -> Result<&'static Validator, String> {
    static CELLS: [OnceLock<Result<Validator, String>>; SLOTS] = [const { OnceLock::new() }; SLOTS];
    CELLS[schema.index()]
        .get_or_init(|| {
            let (text, draft, name) = schema.source();
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("embedded {name} schema: {e}"))?;
            let mut options = jsonschema::options()
                .with_draft(draft)
                .should_validate_formats(true)
                .offline();
            if draft == Draft::Draft7 {
                options = options.with_registry(registry()?);
            }
            options
                .build(&value)
                .map_err(|e| format!("embedded {name} schema does not compile: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Longest rendering of a failing value kept in a message; longer values
/// are named by their type instead.
const MAX_VALUE_IN_MESSAGE: usize = 80;

/// Validate `doc` against `schema`, returning one error diagnostic per
/// schema violation, in the validator's (deterministic) order.
pub fn check(doc: &Value, schema: JsonSchema) -> Result<Vec<Diagnostic>, String> {
    let validator = validator(schema)?;
    if validator.is_valid(doc) {
        return Ok(Vec::new());
    }
    let mut out: Vec<Diagnostic> = validator.iter_errors(doc).map(|e| describe(&e)).collect();
    out.dedup();
    Ok(out)
}

/// One schema error as a diagnostic: code `schema-<keyword>`, the instance
/// path as pointer, a message that does not quote large values, and for
/// `anyOf`/`oneOf` a help listing why each alternative failed.
fn describe(err: &ValidationError<'_>) -> Diagnostic {
    let pointer = err.instance_path().as_str().to_string();
    let mut d = Diagnostic::error(code(err.kind()), message(err)).pointer(pointer.clone());
    let context = match err.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    };
    if let Some(branches) = context {
        let mut parts = Vec::new();
        for (i, branch) in branches.iter().enumerate().take(4) {
            if let Some(first) = branch.first() {
                let at = first.instance_path().as_str();
                let rel = at.strip_prefix(pointer.as_str()).unwrap_or(at);
                let place = if rel.is_empty() {
                    String::new()
                } else {
                    format!(" at {rel}")
                };
                parts.push(format!("alternative {}{place}: {}", i + 1, message(first)));
            }
        }
        if branches.len() > 4 {
            parts.push(format!("and {} more alternatives", branches.len() - 4));
        }
        if !parts.is_empty() {
            d = d.help(parts.join("; "));
        }
    }
    d
}

/// The code of a schema error: `schema-` plus its keyword in kebab case,
/// e.g. `additionalProperties` is `schema-additional-properties`. The match
/// is exhaustive so that a new kind in a jsonschema release needs a code.
fn code(kind: &ValidationErrorKind) -> Code {
    use ValidationErrorKind as K;
    match kind {
        K::AdditionalItems { .. } => Code::SchemaAdditionalItems,
        K::AdditionalProperties { .. } => Code::SchemaAdditionalProperties,
        K::AnyOf { .. } => Code::SchemaAnyOf,
        K::BacktrackLimitExceeded { .. } | K::RegexEngineFailure { .. } | K::Pattern { .. } => {
            Code::SchemaPattern
        }
        K::Constant { .. } => Code::SchemaConst,
        K::Contains => Code::SchemaContains,
        K::ContentEncoding { .. } | K::FromUtf8 { .. } => Code::SchemaContentEncoding,
        K::ContentMediaType { .. } => Code::SchemaContentMediaType,
        K::Enum { .. } => Code::SchemaEnum,
        K::ExclusiveMaximum { .. } => Code::SchemaExclusiveMaximum,
        K::ExclusiveMinimum { .. } => Code::SchemaExclusiveMinimum,
        K::FalseSchema => Code::SchemaFalseSchema,
        K::Format { .. } => Code::SchemaFormat,
        K::MaxItems { .. } => Code::SchemaMaxItems,
        K::Maximum { .. } => Code::SchemaMaximum,
        K::MaxLength { .. } => Code::SchemaMaxLength,
        K::MaxProperties { .. } => Code::SchemaMaxProperties,
        K::MinItems { .. } => Code::SchemaMinItems,
        K::Minimum { .. } => Code::SchemaMinimum,
        K::MinLength { .. } => Code::SchemaMinLength,
        K::MinProperties { .. } => Code::SchemaMinProperties,
        K::MultipleOf { .. } => Code::SchemaMultipleOf,
        K::Not { .. } => Code::SchemaNot,
        K::OneOfMultipleValid { .. } | K::OneOfNotValid { .. } => Code::SchemaOneOf,
        K::PropertyNames { .. } => Code::SchemaPropertyNames,
        K::Required { .. } => Code::SchemaRequired,
        K::Type { .. } => Code::SchemaType,
        K::UnevaluatedItems { .. } => Code::SchemaUnevaluatedItems,
        K::UnevaluatedProperties { .. } => Code::SchemaUnevaluatedProperties,
        K::UniqueItems => Code::SchemaUniqueItems,
        K::Referencing(_) => Code::SchemaRef,
        // strata registers no custom keywords, so a custom keyword failing
        // is a defect in strata, not in the BOM.
        K::Custom { .. } => Code::Internal,
    }
}

/// The error message, quoting the failing value only when it is short.
fn message(err: &ValidationError<'_>) -> String {
    let instance: &Value = err.instance();
    let short = match instance {
        Value::Object(_) | Value::Array(_) => false,
        Value::String(s) => s.len() <= MAX_VALUE_IN_MESSAGE,
        _ => true,
    };
    if short {
        err.to_string()
    } else {
        let placeholder = match instance {
            Value::Object(_) => "the object",
            Value::Array(_) => "the array",
            _ => "the string",
        };
        let text = err.masked_with(placeholder).to_string();
        // Sentence case for messages that start with the placeholder.
        let mut chars = text.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cdx(version: SpecVersion) -> JsonSchema {
        JsonSchema::Cyclonedx {
            version,
            strict: false,
        }
    }

    #[test]
    fn every_embedded_schema_compiles_offline() {
        for version in SpecVersion::ALL {
            for strict in [false, true] {
                let validator = validator(JsonSchema::Cyclonedx { version, strict });
                assert!(validator.is_ok(), "{version}: {:?}", validator.err());
            }
        }
        assert!(validator(JsonSchema::Spdx2_3).is_ok());
    }

    #[test]
    fn strict_variants_exist_for_1_2_and_1_3_only() {
        let extra = json!({"bomFormat": "CycloneDX", "specVersion": "1.3", "version": 1,
                           "x-vendor": true});
        let lax = JsonSchema::Cyclonedx {
            version: SpecVersion::V1_3,
            strict: false,
        };
        let strict = JsonSchema::Cyclonedx {
            version: SpecVersion::V1_3,
            strict: true,
        };
        assert!(check(&extra, lax).unwrap().is_empty());
        let errs = check(&extra, strict).unwrap();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code, "schema-additional-properties");
        let slots: std::collections::HashSet<usize> = SpecVersion::ALL
            .into_iter()
            .flat_map(|version| {
                [false, true].map(|strict| JsonSchema::Cyclonedx { version, strict }.index())
            })
            .chain([JsonSchema::Spdx2_3.index()])
            .collect();
        assert_eq!(slots.len(), SpecVersion::ALL.len() + 3);
        assert!(slots.iter().all(|&i| i < SLOTS));
        for v in SpecVersion::ALL {
            assert_eq!(
                v.strict_schema_source().is_some(),
                v <= SpecVersion::V1_3,
                "{v}"
            );
        }
    }

    #[test]
    fn referenced_schemas_resolve_under_their_ids() {
        // An SPDX id outside the embedded list fails, proving spdx.schema.json
        // was resolved (an unresolved $ref would fail compilation instead).
        let bom = |id: &str| {
            json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                   "components": [{"type": "library", "name": "a",
                                   "licenses": [{"license": {"id": id}}]}]})
        };
        assert!(
            check(&bom("Apache-2.0"), cdx(SpecVersion::V1_6))
                .unwrap()
                .is_empty()
        );
        let errs = check(&bom("Not-A-License"), cdx(SpecVersion::V1_6)).unwrap();
        assert!(!errs.is_empty());
        assert!(errs.iter().all(|d| {
            d.pointer
                .as_deref()
                .unwrap_or("")
                .starts_with("/components/0/licenses")
        }));
    }

    #[test]
    fn formats_are_asserted() {
        let bom = json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                         "metadata": {"timestamp": "yesterday"}});
        let errs = check(&bom, cdx(SpecVersion::V1_5)).unwrap();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code, "schema-format");
        assert_eq!(errs[0].pointer.as_deref(), Some("/metadata/timestamp"));
        assert!(errs[0].message.contains("date-time"), "{}", errs[0].message);
    }

    /// The code of every kind is `schema-` and its keyword in kebab case,
    /// as before the codes were registered.
    #[test]
    fn codes_are_schema_and_the_keyword_in_kebab_case() {
        let kebab = |keyword: &str| {
            let mut out = String::from("schema-");
            for c in keyword.chars().filter(|&c| c != '$') {
                if c.is_ascii_uppercase() {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        };
        let kinds = [
            ValidationErrorKind::Contains,
            ValidationErrorKind::FalseSchema,
            ValidationErrorKind::UniqueItems,
            ValidationErrorKind::AdditionalProperties { unexpected: vec![] },
            ValidationErrorKind::MaxLength { limit: 1 },
            ValidationErrorKind::Required {
                property: json!("x"),
            },
        ];
        for k in &kinds {
            assert_eq!(code(k).as_str(), kebab(k.keyword()), "{k:?}");
        }
        assert_eq!(kebab("$ref"), "schema-ref");
    }

    #[test]
    fn large_values_are_not_quoted() {
        let long = "x".repeat(500);
        let bom = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                         "components": [{"type": "no-such-type", "name": long}]});
        let errs = check(&bom, cdx(SpecVersion::V1_6)).unwrap();
        assert!(!errs.is_empty());
        for e in &errs {
            assert!(e.message.len() < 300, "{}", e.message);
        }
    }

    #[test]
    fn versions_parse_and_name_their_schemas() {
        assert_eq!(SpecVersion::parse("1.6"), Some(SpecVersion::V1_6));
        assert_eq!(SpecVersion::parse("1.3"), Some(SpecVersion::V1_3));
        assert_eq!(SpecVersion::parse("1.1"), None);
        assert_eq!(SpecVersion::parse("1.60"), None);
        for v in SpecVersion::ALL {
            let s: Value = serde_json::from_str(v.schema_source()).unwrap();
            assert_eq!(s["$id"], v.schema_id());
            if let Some(strict) = v.strict_schema_source() {
                let s: Value = serde_json::from_str(strict).unwrap();
                assert_eq!(s["$id"], v.schema_id());
            }
            assert_eq!(SpecVersion::from_xml_namespace(v.xml_namespace()), Some(v));
            let ns = format!("targetNamespace=\"{}\"", v.xml_namespace());
            assert!(v.xsd_source().contains(&ns), "{v}");
        }
    }
}
