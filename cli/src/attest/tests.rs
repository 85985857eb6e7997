//! Declarations of the example fleet: valid CycloneDX 1.6, bound to their
//! BOMs, deterministic, and in agreement with the gate.

use std::path::{Path, PathBuf};

use super::*;
use crate::cdxa::MapEntry;
use crate::clock::Time;
use crate::gate::Verdict;
use crate::validate::{self, Options};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn opts(at: &str) -> AttestOptions {
    let at = Time::parse(at).unwrap();
    AttestOptions {
        gate: GateOptions {
            policy: None,
            devices: None,
            today: at.date(),
            now: at.timestamp(),
            as_of: at,
        },
        at,
        only: vec![],
    }
}

fn strata_map(doc: &Document) -> &[MapEntry] {
    let decl = doc.declarations.as_ref().unwrap();
    assert_eq!(decl.attestations[0].assessor, "assessor:strata");
    &decl.attestations[0].map
}

#[test]
fn every_example_device_gets_a_valid_bound_document() {
    let out = attest(&examples(), &opts("2026-12-01T00:00:00Z")).unwrap();
    assert_eq!(out.declarations.len(), 5);
    for d in &out.declarations {
        let bytes = render(&d.document).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        // Validated as the file beside its BOM would be: schema, references
        // and BOM-Links, all errors for a declarations document.
        let report = validate::validate_value(&d.path, &value, &Options::default()).unwrap();
        assert!(
            report.diagnostics.is_empty(),
            "{}: {:#?}",
            d.device,
            report.diagnostics
        );
        assert_eq!(report.spec_version.as_deref(), Some("1.6"));
        // Read back through the typed model.
        let back: Document = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, d.document);
    }
}

#[test]
fn conformance_agrees_with_the_gate() {
    let out = attest(&examples(), &opts("2026-12-01T00:00:00Z")).unwrap();
    let mut seen = 0;
    for check in &out.gate.checks {
        let d = out
            .declarations
            .iter()
            .find(|d| d.device == check.device)
            .unwrap();
        let entry = strata_map(&d.document)
            .iter()
            .find(|m| m.requirement == format!("rule:{}", check.rule))
            .unwrap_or_else(|| panic!("{} {} unmapped", check.device, check.rule));
        let pass = check.verdict == Verdict::Pass;
        assert_eq!(entry.conformance.score == 1.0, pass, "{check:?}");
        assert_eq!(
            !entry.conformance.mitigation_strategies.is_empty(),
            check.verdict == Verdict::Excepted,
            "{check:?}"
        );
        let verdict = serde_json::to_value(check.verdict).unwrap();
        assert!(
            entry
                .conformance
                .rationale
                .starts_with(verdict.as_str().unwrap()),
            "{}",
            entry.conformance.rationale
        );
        assert_eq!(entry.counter_claims.is_empty(), pass);
        seen += 1;
    }
    // The example fleet exercises every verdict.
    let verdicts: Vec<Verdict> = out.gate.checks.iter().map(|c| c.verdict).collect();
    for v in [Verdict::Pass, Verdict::Warn, Verdict::Excepted] {
        assert!(verdicts.contains(&v), "no {v:?} in the example gate run");
    }
    assert_eq!(seen, out.gate.checks.len());
}

#[test]
fn output_is_deterministic_and_follows_the_evaluation_time() {
    let a = attest(&examples(), &opts("2026-12-01T00:00:00Z")).unwrap();
    let b = attest(&examples(), &opts("2026-12-01T00:00:00Z")).unwrap();
    let c = attest(&examples(), &opts("2026-12-02T00:00:00Z")).unwrap();
    for ((x, y), z) in a
        .declarations
        .iter()
        .zip(&b.declarations)
        .zip(&c.declarations)
    {
        assert_eq!(render(&x.document).unwrap(), render(&y.document).unwrap());
        assert_ne!(x.document.serial_number, z.document.serial_number);
        assert_eq!(
            x.document.metadata.timestamp.as_deref(),
            Some("2026-12-01T00:00:00Z")
        );
    }
}

#[test]
fn approving_reviewers_of_the_current_digest_are_signatories() {
    let out = attest(&examples(), &opts("2026-12-01T00:00:00Z")).unwrap();
    for d in &out.declarations {
        let aff = d
            .document
            .declarations
            .as_ref()
            .and_then(|x| x.affirmation.as_ref())
            .unwrap();
        let bom = BomRef::read(&d.bom).unwrap();
        let reviews = crate::review::load_reviews(&layout::reviews_path_for(&d.bom))
            .unwrap()
            .unwrap()
            .value
            .reviews;
        let approvers: std::collections::BTreeSet<String> = reviews
            .iter()
            .filter(|r| {
                r.device == d.device
                    && r.digest == bom.digest
                    && r.verdict == crate::model::Verdict::Approve
            })
            .map(|r| r.reviewer.split('<').next().unwrap().trim().to_string())
            .collect();
        let signed: std::collections::BTreeSet<String> =
            aff.signatories.iter().map(|s| s.name.clone()).collect();
        assert_eq!(signed, approvers, "{}", d.device);
        assert!(aff.statement.contains(&bom.digest.to_string()));
    }
}

#[test]
fn an_unknown_device_is_refused() {
    let mut o = opts("2026-12-01T00:00:00Z");
    o.only = vec!["no-such-device".into()];
    let err = attest(&examples(), &o).unwrap_err();
    assert!(err.to_string().contains("no-such-device"), "{err}");
}
