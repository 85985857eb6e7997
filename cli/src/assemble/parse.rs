//! Kind-specific reading of evidence: what each evidence kind contributes to
//! the BOM beyond its digest.
//!
//! A vendor SBOM (`kind: cyclonedx`, CycloneDX 1.4–1.7 JSON) is validated
//! against the official schema of its version; an invalid one stops assembly.
//! Its identity (metadata component, supplier, version), serial number,
//! component count and digest are recorded, and the BOM references it rather
//! than merging its components.

use std::path::Path;

use time::OffsetDateTime;

use crate::diag::{Diagnostic, Error, Result, Severity};
use crate::evidence;
use crate::model::EvidenceKind;
use crate::validate;

use super::evidence::EvidenceRecord;

/// How many of an invalid vendor SBOM's errors are repeated in the message.
const SHOWN_SBOM_ERRORS: usize = 5;

/// Parse `full` according to `rec.kind` and add its properties to `rec`.
/// `manifest` names the stack file in diagnostics; `at` is the evaluation
/// time for validity and expiry checks (the BOM timestamp; without one
/// those checks are recorded as skipped, keeping the BOM reproducible).
pub fn parse_kind(
    rec: &mut EvidenceRecord,
    full: &Path,
    manifest: &Path,
    at: Option<OffsetDateTime>,
    artifact: Option<&Path>,
) -> Result<()> {
    match rec.kind {
        EvidenceKind::File | EvidenceKind::Directory => Ok(()),
        EvidenceKind::Cyclonedx => vendor_sbom(rec, full, manifest),
        EvidenceKind::AndroidKeyAttestation
        | EvidenceKind::AvbVbmeta
        | EvidenceKind::UptaneMetadata
        | EvidenceKind::TcgPlatformCertificate
        | EvidenceKind::TpmEkCertificate
        | EvidenceKind::SpdmCertificate
        | EvidenceKind::SlsaProvenance => hardware(rec, full, manifest, at, artifact),
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

/// Hardware, OS and vehicle evidence: decoded fields and every check's
/// outcome become properties; a failed verification is a warning (the BOM
/// records it), a malformed file stops assembly.
fn hardware(
    rec: &mut EvidenceRecord,
    full: &Path,
    manifest: &Path,
    at: Option<OffsetDateTime>,
    artifact: Option<&Path>,
) -> Result<()> {
    let artifact_sha256 = match artifact {
        Some(a) => Some(evidence::slsa::sha256_hex(
            &std::fs::read(a).map_err(|e| Error::io(a, e))?,
        )),
        None => None,
    };
    let opts = evidence::Options {
        at,
        artifact_sha256,
        ..evidence::Options::default()
    };
    let report = evidence::inspect(full, Some(rec.kind), &opts).map_err(|e| match e {
        Error::Invalid(mut d) => {
            d.push(
                Diagnostic::error(
                    "evidence-malformed",
                    format!("evidence `{}` is not valid {}", rec.path, rec.kind.as_str()),
                )
                .in_file(manifest)
                .help(format!(
                    "`strata evidence inspect {}` shows the details",
                    full.display()
                )),
            );
            Error::Invalid(d)
        }
        other => other,
    })?;
    if !report.passed() {
        let failed: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.status == evidence::Status::Fail)
            .map(|c| c.name.as_str())
            .collect();
        rec.warnings.push(
            Diagnostic::warning(
                "evidence-verification-failed",
                format!(
                    "evidence `{}` failed verification: {}",
                    rec.path,
                    failed.join(", ")
                ),
            )
            .in_file(manifest),
        );
    }
    rec.properties.extend(report.properties(prefix(rec.kind)));
    rec.report = Some(report);
    Ok(())
}

/// Property prefix per kind: `evidence:<prefix>:<field>`.
pub(super) fn prefix(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::AndroidKeyAttestation => "android",
        EvidenceKind::AvbVbmeta => "avb",
        EvidenceKind::UptaneMetadata => "uptane",
        EvidenceKind::TcgPlatformCertificate => "tcg",
        EvidenceKind::TpmEkCertificate => "tpm-ek",
        EvidenceKind::SpdmCertificate => "spdm",
        EvidenceKind::SlsaProvenance => "slsa",
        _ => "other",
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
