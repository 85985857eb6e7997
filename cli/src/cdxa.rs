//! A typed serde model of the CycloneDX 1.6 subset strata writes for
//! attestations in CycloneDX's own terms (CDXA): `definitions.standards`
//! (the policy as requirements) and `declarations` (targets, claims,
//! evidence, assessors, attestations with conformance and confidence, an
//! affirmation with signatories).
//!
//! `cyclonedx-bom` stops at 1.5, so these types are strata's own. They
//! cover what strata emits, no more; field names and nesting follow the
//! official 1.6 JSON schema (`schemas/cyclonedx/bom-1.6.schema.json`), and
//! the tests validate documents built from them against it. Empty lists and
//! absent options are left out, so the output carries no empty arrays.
//! Reading back (`diff`, `log`) is lenient: unknown fields are ignored.

use serde::{Deserialize, Serialize};

/// The `specVersion` this model writes.
pub const SPEC_VERSION: &str = "1.6";

/// The `$schema` of a CycloneDX 1.6 JSON document.
pub const SCHEMA_URL: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

/// The bom-ref of strata's own assessor (its automated evaluation) in the
/// declarations `strata attest` writes; reviewers are `assessor:reviewer:N`.
pub const STRATA_ASSESSOR: &str = "assessor:strata";

/// A CycloneDX 1.6 document holding definitions and declarations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// `http://cyclonedx.org/schema/bom-1.6.schema.json`.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `CycloneDX`.
    pub bom_format: String,
    /// Always `1.6` when written.
    pub spec_version: String,
    /// `urn:uuid:<uuid>`.
    pub serial_number: String,
    /// The document's version (1 and up).
    pub version: u32,
    /// Time, tools, the subject device.
    pub metadata: Metadata,
    /// Documents this one is about (the device's BOM, by BOM-Link).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
    /// The standards (the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definitions: Option<Definitions>,
    /// What is claimed and attested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declarations: Option<Declarations>,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The evaluation time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The tools that wrote it (1.6 object form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Tools>,
    /// What the document is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Component>,
    /// Name-value pairs (`strata:format`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// `metadata.tools` in the 1.5+ object form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tools {
    /// Tools as components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

/// A component (subset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// `device`, `application`, `operating-system`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Identifier within this document.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// Name.
    pub name: String,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where it is described (a BOM-Link into the device's BOM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
    /// Name-value pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// A `name`/`value` property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// Name (`strata:*`).
    pub name: String,
    /// Value.
    pub value: String,
}

impl Property {
    /// A property.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Property {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// An external reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalReference {
    /// `bom`, `attestation`, `evidence`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// A URL, relative reference or BOM-Link.
    pub url: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Digests of what it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
}

/// A digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hash {
    /// `SHA-256`.
    pub alg: String,
    /// Lower-case hex.
    pub content: String,
}

impl Hash {
    /// A SHA-256 digest from its hex form.
    pub fn sha256(hex: impl Into<String>) -> Self {
        Hash {
            alg: "SHA-256".into(),
            content: hex.into(),
        }
    }
}

/// `definitions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definitions {
    /// Standards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<Standard>,
}

/// A standard: the requirements claims are judged against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    /// Identifier within this document.
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who is responsible for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Its requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<Requirement>,
}

/// One requirement of a standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    /// Identifier within this document.
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    /// Identifier within the standard (a rule code, `criterion:<id>`, ...).
    pub identifier: String,
    /// Short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Parameters and context in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    /// The requirement this one refines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Name-value pairs (`strata:level`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// `declarations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Declarations {
    /// Who assessed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessors: Vec<Assessor>,
    /// Requirements mapped to claims.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<Attestation>,
    /// What is claimed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// What supports or contradicts the claims.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// What the claims are about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Targets>,
    /// Who stands behind the declarations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affirmation: Option<Affirmation>,
}

/// An assessor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessor {
    /// Identifier within this document.
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    /// Outside the organisation making the claims.
    pub third_party: bool,
    /// Who.
    pub organization: OrganizationalEntity,
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationalEntity {
    /// Identifier within this document.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// Name.
    pub name: String,
    /// People to contact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<Contact>,
}

/// A person or mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One assessor's attestation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attestation {
    /// What it says, in a sentence.
    pub summary: String,
    /// The assessor's bom-ref.
    pub assessor: String,
    /// Requirement → claims, conformance, confidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map: Vec<MapEntry>,
}

/// One requirement mapped to its claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapEntry {
    /// The requirement's bom-ref.
    pub requirement: String,
    /// Claims that support conformance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<String>,
    /// Claims that speak against it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_claims: Vec<String>,
    /// How far the requirement is met.
    pub conformance: Conformance,
    /// How sure the assessor is.
    pub confidence: Confidence,
}

/// Conformance of claims to a requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conformance {
    /// 0 to 1.
    pub score: f64,
    /// Why.
    pub rationale: String,
    /// Evidence bom-refs describing mitigations (exceptions, conditions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigation_strategies: Vec<String>,
}

/// Confidence in an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    /// 0 to 1.
    pub score: f64,
    /// Why.
    pub rationale: String,
}

/// A claim about a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    /// Identifier within this document.
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    /// The target's bom-ref.
    pub target: String,
    /// The statement.
    pub predicate: String,
    /// Evidence bom-refs describing mitigations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigation_strategies: Vec<String>,
    /// Why the evidence substantiates it.
    pub reasoning: String,
    /// Supporting evidence bom-refs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Contradicting evidence bom-refs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_evidence: Vec<String>,
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// Identifier within this document.
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    /// The property (taxonomy name) it stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_name: Option<String>,
    /// What it is and how it was made.
    pub description: String,
    /// Its data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<EvidenceData>,
    /// When it was created (the evaluation time).
    pub created: String,
    /// When it stops counting (a certificate, exception or review expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Who produced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Contact>,
    /// Who reviewed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<Contact>,
}

/// A named datum of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceData {
    /// Name (`digest`, `check:signature`, ...).
    pub name: String,
    /// Its content.
    pub contents: DataContents,
}

impl EvidenceData {
    /// A datum whose content is plain text.
    pub fn text(name: impl Into<String>, text: impl Into<String>) -> Self {
        EvidenceData {
            name: name.into(),
            contents: DataContents {
                attachment: Some(Attachment {
                    content_type: "text/plain".into(),
                    content: text.into(),
                }),
            },
        }
    }
}

/// Data contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataContents {
    /// Inline text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
}

/// An inline attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// MIME type.
    pub content_type: String,
    /// The text.
    pub content: String,
}

/// `declarations.targets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// Organisations (vendor groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<OrganizationalEntity>,
    /// Components (the device and its layers, by BOM-Link).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

/// `declarations.affirmation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affirmation {
    /// What the signatories affirm.
    pub statement: String,
    /// Who.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<Signatory>,
}

/// A signatory, identified by organisation and an external record of the
/// approval (the schema's alternative to an enveloped signature).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signatory {
    /// Name.
    pub name: String,
    /// Role (the criteria approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organisation.
    pub organization: OrganizationalEntity,
    /// Where the approval is recorded.
    pub external_reference: ExternalReference,
}

/// A BOM-Link to an element of another BOM:
/// `urn:cdx:<uuid>/<version>#<percent-encoded bom-ref>`. `serial` is the
/// BOM's `serialNumber` (`urn:uuid:` is stripped).
pub fn bom_link(serial: &str, version: u32, bom_ref: Option<&str>) -> String {
    let uuid = serial.strip_prefix("urn:uuid:").unwrap_or(serial);
    match bom_ref {
        None => format!("urn:cdx:{uuid}/{version}"),
        Some(r) => format!("urn:cdx:{uuid}/{version}#{}", percent_encode(r)),
    }
}

/// The parts of a BOM-Link: `urn:uuid:<uuid>` serial, version, and the
/// decoded bom-ref of an element link. `None` when `link` is not one.
pub fn parse_bom_link(link: &str) -> Option<(String, u32, Option<String>)> {
    let rest = link.strip_prefix("urn:cdx:")?;
    let (doc, fragment) = match rest.split_once('#') {
        Some((d, f)) => (d, Some(percent_decode(f)?)),
        None => (rest, None),
    };
    let (uuid, version) = doc.split_once('/')?;
    let version: u32 = version.parse().ok().filter(|v| *v >= 1)?;
    let well_formed = uuid.len() == 36
        && uuid.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
        });
    well_formed.then(|| (format!("urn:uuid:{uuid}"), version, fragment))
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIAL: &str = "urn:uuid:57d65cdc-22d8-5c62-9862-7482a0ccff00";

    #[test]
    fn bom_links_round_trip_and_encode_the_ref() {
        let link = bom_link(SERIAL, 1, Some("device:pixel 9"));
        assert_eq!(
            link,
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/1#device%3Apixel%209"
        );
        assert_eq!(
            parse_bom_link(&link),
            Some((SERIAL.to_string(), 1, Some("device:pixel 9".to_string())))
        );
        assert_eq!(
            parse_bom_link(&bom_link(SERIAL, 3, None)),
            Some((SERIAL.to_string(), 3, None))
        );
    }

    #[test]
    fn malformed_bom_links_are_refused() {
        for bad in [
            "urn:uuid:57d65cdc-22d8-5c62-9862-7482a0ccff00",
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00",
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/0",
            "urn:cdx:57D65CDC-22d8-5c62-9862-7482a0ccff00/1",
            "urn:cdx:57d65cdc22d85c6298627482a0ccff00xxxx/1",
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/1#%zz",
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/1#%FF",
            "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/x",
        ] {
            assert_eq!(parse_bom_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn empty_lists_and_options_are_left_out() {
        let c = Component {
            kind: "device".into(),
            bom_ref: None,
            name: "x".into(),
            version: None,
            external_references: vec![],
            properties: vec![],
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"type":"device","name":"x"}"#
        );
    }
}
