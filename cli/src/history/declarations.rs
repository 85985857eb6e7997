//! A device's declarations document (CycloneDX 1.6 CDXA,
//! `declarations.cdx.json`, written by `strata attest`) read back: reduced
//! to what `strata diff` and `strata log` compare between two versions and
//! what `strata report` cites.
//!
//! What is compared: each requirement's conformance score per assessor
//! (strata's own evaluation, and each reviewer's), the claims by their
//! predicate, the affirmation's signatories, the standard (the policy and
//! its digest) and the BOM the document is bound to. Reading is lenient
//! (unknown fields are ignored, a reference that does not resolve is shown
//! as written), so any CycloneDX 1.6 declarations document reads.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::diff::Change;
use crate::cdxa::{self, Document};
use crate::digest::Digest;

/// One requirement's conformance as one assessor attested it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conformance {
    /// The requirement's identifier in its standard (a rule code,
    /// `criterion:<id>`, ...).
    pub requirement: String,
    /// The assessor's name; absent for strata's own evaluation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
    /// 0 to 1.
    pub score: f64,
    /// Why.
    pub rationale: String,
}

/// What a declarations document says, reduced for comparison and citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declared {
    /// `sha256:<hex>` of the document's bytes.
    pub digest: String,
    /// When it was evaluated (`metadata.timestamp`), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated: Option<String>,
    /// The standard(s) judged against: `name version` (the policy and its
    /// digest).
    pub standards: Vec<String>,
    /// `sha256:<hex>` of the BOM the document is bound to (its external
    /// reference of type `bom`), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom: Option<String>,
    /// Every requirement mapped, by assessor: strata's first, then by
    /// assessor name and requirement.
    pub conformance: Vec<Conformance>,
    /// The claims' predicates.
    pub claims: BTreeSet<String>,
    /// The affirmation's signatories, `Name (role)`.
    pub signatories: BTreeSet<String>,
}

impl Declared {
    /// Read a declarations document; `Err` says why it is not one.
    pub fn read(bytes: &[u8]) -> Result<Declared, String> {
        let doc: Document = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        Ok(summarize(&doc, Digest::of(bytes)))
    }

    /// strata's own conformance entries (the gate's evaluation).
    pub fn by_strata(&self) -> impl Iterator<Item = &Conformance> {
        self.conformance.iter().filter(|c| c.assessor.is_none())
    }

    /// One line for a document that appeared or disappeared:
    /// `N of M requirements met, C claims, S signatories`.
    pub fn tally(&self) -> String {
        let (met, all) = self
            .by_strata()
            .fold((0, 0), |(m, a), c| (m + usize::from(c.score >= 1.0), a + 1));
        format!(
            "{} {}: {met} of {all} requirements met, {} claim(s), {} signator{}",
            crate::digest::short(&self.digest),
            self.standards.join(", "),
            self.claims.len(),
            self.signatories.len(),
            if self.signatories.len() == 1 {
                "y"
            } else {
                "ies"
            }
        )
    }
}

fn summarize(doc: &Document, digest: Digest) -> Declared {
    let standards = doc.definitions.as_ref().map(|d| &d.standards[..]);
    let identifiers: HashMap<&str, &str> = standards
        .into_iter()
        .flatten()
        .flat_map(|s| &s.requirements)
        .map(|r| (r.bom_ref.as_str(), r.identifier.as_str()))
        .collect();
    let empty = cdxa::Declarations {
        assessors: vec![],
        attestations: vec![],
        claims: vec![],
        evidence: vec![],
        targets: None,
        affirmation: None,
    };
    let decl = doc.declarations.as_ref().unwrap_or(&empty);
    let assessors: HashMap<&str, &str> = decl
        .assessors
        .iter()
        .map(|a| (a.bom_ref.as_str(), a.organization.name.as_str()))
        .collect();
    let identifiers = &identifiers;
    let mut conformance: Vec<Conformance> = decl
        .attestations
        .iter()
        .flat_map(|a| {
            let assessor = (a.assessor != cdxa::STRATA_ASSESSOR).then(|| {
                assessors
                    .get(a.assessor.as_str())
                    .map_or(a.assessor.clone(), |n| (*n).to_string())
            });
            a.map.iter().map(move |m| Conformance {
                requirement: identifiers
                    .get(m.requirement.as_str())
                    .map_or(m.requirement.clone(), |i| (*i).to_string()),
                assessor: assessor.clone(),
                score: m.conformance.score,
                rationale: m.conformance.rationale.clone(),
            })
        })
        .collect();
    conformance.sort_by(|a, b| (&a.assessor, &a.requirement).cmp(&(&b.assessor, &b.requirement)));
    Declared {
        digest: digest.to_string(),
        evaluated: doc.metadata.timestamp.clone(),
        standards: standards
            .into_iter()
            .flatten()
            .map(|s| format!("{} {}", s.name, s.version))
            .collect(),
        bom: doc
            .external_references
            .iter()
            .filter(|r| r.kind == "bom")
            .flat_map(|r| &r.hashes)
            .find(|h| h.alg == "SHA-256")
            .map(|h| format!("sha256:{}", h.content)),
        conformance,
        claims: decl.claims.iter().map(|c| c.predicate.clone()).collect(),
        signatories: decl
            .affirmation
            .iter()
            .flat_map(|a| &a.signatories)
            .map(|s| match &s.role {
                Some(r) => format!("{} ({r})", s.name),
                None => s.name.clone(),
            })
            .collect(),
    }
}

/// A score as written: `1.0`, `0.5`.
fn score(x: f64) -> String {
    format!("{x:?}")
}

fn added_removed(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (
        b.difference(a).cloned().collect(),
        a.difference(b).cloned().collect(),
    )
}

/// The changes from one version of a device's declarations to another
/// (either may be absent: added, removed). A side that does not read is an
/// `Unreadable` change of its own.
pub fn compare(
    a: Option<&Result<Declared, String>>,
    b: Option<&Result<Declared, String>>,
) -> Vec<Change> {
    let mut out = Vec::new();
    for (side, x) in [("from", a), ("to", b)] {
        if let Some(Err(e)) = x {
            out.push(Change::DeclarationsUnreadable {
                side: side.into(),
                error: e.clone(),
            });
        }
    }
    let (a, b) = match (a, b) {
        (Some(Err(_)), _) | (_, Some(Err(_))) => return out,
        (None, None) => return out,
        (Some(Ok(x)), Some(Ok(y))) => (x, y),
        (x, y) => {
            let tally = |s: Option<&Result<Declared, String>>| {
                s.and_then(|r| r.as_ref().ok()).map(Declared::tally)
            };
            out.push(Change::Declarations {
                from: tally(x),
                to: tally(y),
            });
            return out;
        }
    };
    if a.standards != b.standards {
        out.push(Change::Standard {
            from: a.standards.clone(),
            to: b.standards.clone(),
        });
    }
    if a.bom != b.bom {
        out.push(Change::BoundTo {
            from: a.bom.clone(),
            to: b.bom.clone(),
        });
    }
    // Keyed (assessor is someone else, assessor, requirement): strata's
    // evaluation first, then each assessor's.
    let by_key = |d: &Declared| -> BTreeMap<(bool, Option<String>, String), f64> {
        d.conformance
            .iter()
            .map(|c| {
                (
                    (
                        c.assessor.is_some(),
                        c.assessor.clone(),
                        c.requirement.clone(),
                    ),
                    c.score,
                )
            })
            .collect()
    };
    let (ca, cb) = (by_key(a), by_key(b));
    let keys: BTreeSet<&(bool, Option<String>, String)> = ca.keys().chain(cb.keys()).collect();
    for k in keys {
        let (x, y) = (ca.get(k), cb.get(k));
        if x != y {
            out.push(Change::Conformance {
                requirement: k.2.clone(),
                assessor: k.1.clone(),
                from: x.copied().map(score),
                to: y.copied().map(score),
            });
        }
    }
    let (added, removed) = added_removed(&a.claims, &b.claims);
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Claims { added, removed });
    }
    let (added, removed) = added_removed(&a.signatories, &b.signatories);
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Signatories { added, removed });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn doc() -> Value {
        json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "serialNumber": "urn:uuid:57d65cdc-22d8-5c62-9862-7482a0ccff00", "version": 1,
            "metadata": {},
            "externalReferences": [{"type": "bom", "url": "urn:cdx:57d65cdc-22d8-5c62-9862-7482a0ccff00/1",
                "hashes": [{"alg": "SHA-256", "content": "aa"}]}],
            "definitions": {"standards": [{"bom-ref": "std", "name": "policy", "version": "sha256:11",
                "requirements": [
                    {"bom-ref": "rule:stale-review", "identifier": "stale-review"},
                    {"bom-ref": "criterion:dpo", "identifier": "criterion:dpo"}]}]},
            "declarations": {
                "assessors": [
                    {"bom-ref": "assessor:strata", "thirdParty": false, "organization": {"name": "strata 0.1.0"}},
                    {"bom-ref": "assessor:reviewer:0", "thirdParty": false, "organization": {"name": "Dee Pio"}}],
                "attestations": [
                    {"summary": "s", "assessor": "assessor:strata", "map": [
                        {"requirement": "rule:stale-review", "conformance": {"score": 1.0, "rationale": "pass"},
                         "confidence": {"score": 1.0, "rationale": "r"}},
                        {"requirement": "criterion:dpo", "conformance": {"score": 1.0, "rationale": "ok"},
                         "confidence": {"score": 1.0, "rationale": "r"}}]},
                    {"summary": "s", "assessor": "assessor:reviewer:0", "map": [
                        {"requirement": "criterion:dpo", "conformance": {"score": 1.0, "rationale": "approved"},
                         "confidence": {"score": 1.0, "rationale": "r"}}]}],
                "claims": [
                    {"bom-ref": "c1", "target": "t", "predicate": "Layer os is controlled by Acme.", "reasoning": "r"},
                    {"bom-ref": "c2", "target": "t", "predicate": "Reviewed by Dee Pio.", "reasoning": "r"}],
                "affirmation": {"statement": "s", "signatories": [{"name": "Dee Pio", "role": "approved dpo",
                    "organization": {"name": "Dee Pio"},
                    "externalReference": {"type": "attestation", "url": "../reviews.yaml"}}]}
            }
        })
    }

    fn read(v: &Value) -> Result<Declared, String> {
        Declared::read(serde_json::to_string(v).unwrap().as_bytes())
    }

    #[test]
    fn a_document_reads_into_conformance_claims_and_signatories() {
        let d = read(&doc()).unwrap();
        assert_eq!(d.standards, ["policy sha256:11"]);
        assert_eq!(d.bom.as_deref(), Some("sha256:aa"));
        let c: Vec<(Option<&str>, &str, f64)> = d
            .conformance
            .iter()
            .map(|c| (c.assessor.as_deref(), c.requirement.as_str(), c.score))
            .collect();
        assert_eq!(
            c,
            [
                (None, "criterion:dpo", 1.0),
                (None, "stale-review", 1.0),
                (Some("Dee Pio"), "criterion:dpo", 1.0)
            ]
        );
        assert_eq!(d.by_strata().count(), 2);
        assert_eq!(
            d.signatories.iter().collect::<Vec<_>>(),
            ["Dee Pio (approved dpo)"]
        );
        assert!(
            d.tally()
                .ends_with("2 of 2 requirements met, 2 claim(s), 1 signatory")
        );
    }

    #[test]
    fn changes_name_conformance_claims_and_signatories() {
        let a = read(&doc());
        let mut v = doc();
        v["declarations"]["attestations"][0]["map"][0]["conformance"]["score"] = json!(0.0);
        v["declarations"]["attestations"]
            .as_array_mut()
            .unwrap()
            .pop();
        v["declarations"]["claims"][1]["predicate"] = json!("No review counts.");
        v["declarations"]["affirmation"]["signatories"] = json!([]);
        v["definitions"]["standards"][0]["version"] = json!("sha256:22");
        let b = read(&v);
        let described: Vec<String> = compare(Some(&a), Some(&b))
            .iter()
            .map(Change::describe)
            .collect();
        assert_eq!(
            described,
            [
                "standard policy sha256:11 → policy sha256:22",
                "conformance of requirement stale-review: 1.0 → 0.0",
                "conformance of requirement criterion:dpo by Dee Pio: 1.0 → (none)",
                "claim added: No review counts.; claim removed: Reviewed by Dee Pio.",
                "signatory removed: Dee Pio (approved dpo)",
            ]
        );
        assert!(compare(Some(&a), Some(&a)).is_empty());
    }

    #[test]
    fn added_removed_and_unreadable_documents() {
        let a = read(&doc());
        let added = compare(None, Some(&a));
        assert_eq!(added.len(), 1);
        assert!(
            added[0]
                .describe()
                .starts_with("declarations added: sha256:"),
            "{}",
            added[0].describe()
        );
        assert!(
            compare(Some(&a), None)[0]
                .describe()
                .starts_with("declarations removed: ")
        );
        for bad in [&b"{"[..], b"[]", b"{\"bomFormat\": \"CycloneDX\"}", b"\xff"] {
            let e = Declared::read(bad);
            assert!(e.is_err());
            let c = compare(Some(&a), Some(&e));
            assert_eq!(c.len(), 1);
            assert!(c[0].describe().starts_with("to side unreadable: "), "{c:?}");
        }
    }
}
