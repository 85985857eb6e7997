//! Kind-specific reading of evidence: what each evidence kind contributes to
//! the BOM beyond its digest.
//!
//! A vendor SBOM (`kind: cyclonedx`: CycloneDX JSON or XML 1.2–1.7;
//! `kind: spdx`: SPDX 2.3 JSON) is validated against the official schema of
//! its format and version; an invalid one, or one of the other standard than
//! its kind says, stops assembly. Its format, spec version, identity (what it
//! describes: name, version, supplier), serial number or document namespace,
//! creators, component or package count and digest are recorded, and the BOM
//! references it rather than merging its components.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result, Severity};
use crate::evidence;
use crate::fsutil::{self, Scope};
use crate::model::{EvidenceKind, EvidenceTrust};
use crate::validate;

use super::record::EvidenceRecord;

/// How many of an invalid vendor SBOM's errors are repeated in the message.
const SHOWN_SBOM_ERRORS: usize = 5;

/// What [`parse_kind`] reads an entry with.
#[derive(Debug)]
pub struct KindInput<'a> {
    /// The evidence on disk.
    pub full: &'a Path,
    /// The stack file, for diagnostics.
    pub manifest: &'a Path,
    /// Evaluation time for validity and expiry checks (the BOM timestamp;
    /// without one those checks are recorded as not applicable, keeping the
    /// BOM reproducible).
    pub at: Option<crate::clock::Time>,
    /// Verification time of signed evidence when there is no `at`.
    pub now: crate::clock::Timestamp,
    /// The artifact provenance describes, or the model a model signature
    /// covers, on disk.
    pub artifact: Option<&'a Path>,
    /// Trust material for signed evidence.
    pub trust: Option<&'a EvidenceTrust>,
    /// The fleet root trust paths are relative to.
    pub root: &'a Path,
    /// Whether the entry may leave the fleet (`allow-outside-root`): its
    /// evidence and artifact are then opened as paths the user named.
    pub allow_outside: bool,
}

impl KindInput<'_> {
    /// How the entry's evidence and artifact are opened.
    fn scope(&self) -> Scope<'_> {
        if self.allow_outside {
            Scope::Given
        } else {
            Scope::Within(self.root)
        }
    }

    /// A trust file named in the entry (`key`, `ca`, `trusted-root`):
    /// confined to the fleet, and checked to be a regular file reached
    /// without symbolic links before whoever needs it reads it.
    fn trust_path(&self, p: &str) -> Result<PathBuf> {
        let full = fsutil::confine(self.root, p, false).map_err(|m| {
            Error::invalid(Diagnostic::error(Code::PathOutsideRoot, m).in_file(self.manifest))
        })?;
        fsutil::check_file(&full, Scope::Within(self.root))?;
        Ok(full)
    }
}

/// Parse the evidence according to `rec.kind` and add its properties to
/// `rec`.
pub fn parse_kind(rec: &mut EvidenceRecord, input: &KindInput<'_>) -> Result<()> {
    let (full, manifest) = (input.full, input.manifest);
    match rec.kind {
        EvidenceKind::ModelSigning => model_signature(rec, input),
        EvidenceKind::File | EvidenceKind::Directory => Ok(()),
        EvidenceKind::Cyclonedx | EvidenceKind::Spdx => vendor_sbom(rec, full, manifest),
        EvidenceKind::AndroidKeyAttestation
        | EvidenceKind::AvbVbmeta
        | EvidenceKind::UptaneMetadata
        | EvidenceKind::TcgPlatformCertificate
        | EvidenceKind::TpmEkCertificate
        | EvidenceKind::SpdmCertificate
        | EvidenceKind::SlsaProvenance => hardware(rec, input),
    }
}

/// Hardware, OS and vehicle evidence: decoded fields and every check's
/// outcome become properties; a failed verification is a warning (the BOM
/// records it), a malformed file stops assembly.
fn hardware(rec: &mut EvidenceRecord, input: &KindInput<'_>) -> Result<()> {
    let (full, manifest, at, artifact) = (input.full, input.manifest, input.at, input.artifact);
    // Provenance in a Sigstore bundle is checked against the entry's
    // identity and issuer when given (`trust:`), and its trusted root.
    let sigstore = match input.trust {
        Some(t) => evidence::slsa_sigstore::Policy {
            identity: t.identity.clone(),
            issuer: t.issuer.clone(),
            trusted_root: t
                .trusted_root
                .as_deref()
                .map(|p| input.trust_path(p))
                .transpose()?,
            now: Some(input.now),
        },
        None => evidence::slsa_sigstore::Policy {
            now: Some(input.now),
            ..Default::default()
        },
    };
    // The artifact (an OS image, say) is streamed, never read whole.
    let artifact_sha256 = match artifact {
        Some(a) => Some(hex::encode(crate::hashing::hash_file(a, input.scope())?.1)),
        None => None,
    };
    let opts = evidence::Options {
        at,
        artifact_sha256,
        sigstore,
        ..evidence::Options::default()
    };
    let report =
        evidence::inspect_in(full, input.scope(), Some(rec.kind), &opts).map_err(|e| match e {
            Error::Invalid(mut d) => {
                d.push(
                    Diagnostic::error(
                        Code::EvidenceMalformed,
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
                Code::EvidenceVerificationFailed,
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

/// A model-signing bundle: verified against its model directory with the
/// entry's trust material; the outcome of every check becomes a property,
/// a failed verification a warning. Without a model directory or trust it
/// is recorded as not checked (never as passed or failed), with a warning
/// saying what is missing. A bundle that cannot be read stops assembly.
fn model_signature(rec: &mut EvidenceRecord, input: &KindInput<'_>) -> Result<()> {
    use crate::modelsign::verify::{ModelTrust, VerifyOptions, verify};
    let manifest = input.manifest;
    let not_checked = |rec: &mut EvidenceRecord, why: &str| {
        rec.properties
            .push(("evidence:verification".into(), "not-checked".into()));
        rec.properties
            .push(("evidence:model-signing:not-checked".into(), why.into()));
        rec.warnings.push(
            Diagnostic::warning(
                Code::ModelSigningEvidence,
                format!("model signature `{}` was not verified: {why}", rec.path),
            )
            .in_file(manifest)
            .help("give `trust: {key: PUB.pem}`, `trust: {ca: CA.pem}` or `trust: {identity: ..., issuer: ...}`, and `artifact:` (or the layer's `weights`) for the model directory"),
        );
    };
    let Some(model) = input.artifact else {
        not_checked(
            rec,
            "no model directory (`artifact` or the layer's `weights`)",
        );
        return Ok(());
    };
    let Some(t) = input.trust else {
        not_checked(rec, "no `trust` to verify it against");
        return Ok(());
    };
    let path = |p: &Option<String>| -> Result<Option<PathBuf>> {
        p.as_deref().map(|p| input.trust_path(p)).transpose()
    };
    let trust = match (path(&t.key)?, path(&t.ca)?) {
        (Some(k), _) => ModelTrust::Key(k),
        (None, Some(ca)) => ModelTrust::Ca(ca),
        (None, None)
            if (t.identity.is_some() || t.identity_regexp.is_some()) && t.issuer.is_some() =>
        {
            ModelTrust::Sigstore(crate::sigstore::trust::TrustSpec {
                identity: t.identity.clone(),
                identity_regexp: t.identity_regexp.clone(),
                issuer: t.issuer.clone(),
                trusted_root: path(&t.trusted_root)?,
                ..Default::default()
            })
        }
        _ => {
            not_checked(rec, "`trust` names no key, CA or identity with issuer");
            return Ok(());
        }
    };
    let now = input.at.map(|t| t.timestamp()).unwrap_or(input.now);
    let opts = VerifyOptions {
        trust,
        hash: crate::modelsign::HashConfig {
            ignore_git_paths: true,
            root: (!input.allow_outside).then(|| input.root.to_path_buf()),
            ..Default::default()
        },
        ignore_unsigned_files: false,
        now,
    };
    let report = verify(model, input.full, &opts, None)?;
    let p = |k: &str| format!("evidence:model-signing:{k}");
    if let Some(s) = &report.subject {
        rec.properties.push((p("subject"), s.clone()));
    }
    rec.properties
        .push((p("resources"), report.signed_resources.to_string()));
    rec.properties.push((
        p("trust"),
        report
            .trust
            .replace(&format!("{}/", input.root.display()), ""),
    ));
    for c in &report.checks {
        rec.properties
            .push((format!("evidence:check:{}", c.name), c.status.name().into()));
    }
    rec.properties.push((
        "evidence:verification".into(),
        if report.verified { "passed" } else { "failed" }.into(),
    ));
    if !report.verified {
        let failed: Vec<String> = report
            .checks
            .iter()
            .filter(|c| c.status == crate::sigstore::checks::Status::Fail)
            .map(|c| format!("{} ({})", c.name, c.detail))
            .collect();
        rec.warnings.push(
            Diagnostic::warning(
                Code::EvidenceVerificationFailed,
                format!(
                    "model signature `{}` failed verification: {}",
                    rec.path,
                    failed.join("; ")
                ),
            )
            .in_file(manifest),
        );
    }
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
    let standard = report.format.standard();
    let declared = match rec.kind {
        EvidenceKind::Spdx => "SPDX",
        _ => "CycloneDX",
    };
    if standard != declared {
        let right = if standard == "SPDX" {
            "spdx"
        } else {
            "cyclonedx"
        };
        return Err(Error::invalid(
            Diagnostic::error(
                Code::WrongEvidenceKind,
                format!(
                    "evidence `{}` is declared as `{}` but is {}",
                    rec.path,
                    rec.kind.as_str(),
                    report.describe()
                ),
            )
            .in_file(manifest)
            .help(format!("declare it as `kind: {right}`")),
        ));
    }
    if !report.is_valid(false) {
        let errors: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let mut diags = vec![
            Diagnostic::error(
                Code::VendorSbomInvalid,
                format!(
                    "vendor SBOM `{}` is not valid {} ({} error{})",
                    rec.path,
                    report.describe(),
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
    rec.properties.extend(sbom_properties(&report));
    Ok(())
}

/// The `evidence:sbom:*` properties of a valid vendor SBOM.
fn sbom_properties(report: &validate::Report) -> Vec<(String, String)> {
    let p = |k: &str, v: &str| (format!("evidence:sbom:{k}"), v.to_string());
    let mut props = vec![
        p("format", report.format.as_str()),
        p(
            "spec-version",
            report.spec_version.as_deref().unwrap_or_default(),
        ),
    ];
    match &report.spdx {
        Some(s) => {
            props.push(p("packages", &s.package_count.to_string()));
            props.push(p("files", &s.file_count.to_string()));
            if let Some(ns) = &s.document_namespace {
                props.push(p("document-namespace", ns));
            }
            if let Some(name) = &s.name {
                props.push(p("document-name", name));
            }
            for c in &s.creators {
                props.push(p("creator", c));
            }
        }
        None => props.push(p("components", &report.component_count.to_string())),
    }
    if let Some(serial) = &report.serial_number {
        props.push(p("serial-number", serial));
    }
    if let Some(c) = &report.metadata_component {
        if let Some(name) = &c.name {
            props.push(p("subject", name));
        }
        if let Some(v) = &c.version {
            props.push(p("subject-version", v));
        }
        if let Some(s) = &c.supplier {
            props.push(p("supplier", s));
        }
    }
    props
}
