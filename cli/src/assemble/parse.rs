//! Kind-specific reading of evidence: what each evidence kind contributes to
//! the BOM beyond its digest.
//!
//! A vendor SBOM (`kind: cyclonedx`, CycloneDX 1.4–1.7 JSON) is validated
//! against the official schema of its version; an invalid one stops assembly.
//! Its identity (metadata component, supplier, version), serial number,
//! component count and digest are recorded, and the BOM references it rather
//! than merging its components.

use std::path::Path;

use crate::diag::{Diagnostic, Error, Result, Severity};
use crate::model::EvidenceKind;
use crate::validate;

use super::evidence::EvidenceRecord;

/// How many of an invalid vendor SBOM's errors are repeated in the message.
const SHOWN_SBOM_ERRORS: usize = 5;

/// Parse `full` according to `rec.kind` and add its properties to `rec`.
/// `manifest` names the stack file in diagnostics.
pub fn parse_kind(rec: &mut EvidenceRecord, full: &Path, manifest: &Path) -> Result<()> {
    match rec.kind {
        EvidenceKind::File | EvidenceKind::Directory => Ok(()),
        EvidenceKind::Cyclonedx => vendor_sbom(rec, full, manifest),
        other => Err(Error::invalid(
            Diagnostic::error(
                "unsupported-evidence-kind",
                format!(
                    "evidence kind `{}` is not supported by this build of strata",
                    other.as_str()
                ),
            )
            .in_file(manifest)
            .help("attach it as `kind: file` to record its digest"),
        )),
    }
}

fn vendor_sbom(rec: &mut EvidenceRecord, full: &Path, manifest: &Path) -> Result<()> {
    let report = validate::validate_file(full, &validate::Options::default())?;
    if !report.is_valid(false) {
        let errors: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let mut diags = vec![
            Diagnostic::error(
                "vendor-sbom-invalid",
                format!(
                    "vendor SBOM `{}` is not valid CycloneDX {} ({} error{})",
                    rec.path,
                    report.spec_version.as_deref().unwrap_or("(no specVersion)"),
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                ),
            )
            .in_file(manifest)
            .help(format!(
                "`strata validate {}` lists every error; attach it as `kind: file` to record only its digest",
                full.display()
            )),
        ];
        diags.extend(errors.into_iter().take(SHOWN_SBOM_ERRORS).cloned());
        return Err(Error::Invalid(diags));
    }
    rec.warnings.extend(
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .cloned(),
    );
    let mut props = vec![
        (
            "evidence:sbom:spec-version".to_string(),
            report.spec_version.clone().unwrap_or_default(),
        ),
        (
            "evidence:sbom:components".to_string(),
            report.component_count.to_string(),
        ),
    ];
    if let Some(serial) = &report.serial_number {
        props.push(("evidence:sbom:serial-number".to_string(), serial.clone()));
    }
    if let Some(c) = &report.metadata_component {
        if let Some(name) = &c.name {
            props.push(("evidence:sbom:subject".to_string(), name.clone()));
        }
        if let Some(v) = &c.version {
            props.push(("evidence:sbom:subject-version".to_string(), v.clone()));
        }
        if let Some(s) = &c.supplier {
            props.push(("evidence:sbom:supplier".to_string(), s.clone()));
        }
    }
    rec.properties.extend(props);
    Ok(())
}
