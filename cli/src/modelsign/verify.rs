//! `strata model verify`: a model signature checked completely, each check
//! reported by name.
//!
//! 1. `bundle-format`: a Sigstore bundle v0.3 with one DSSE signature over
//!    an in-toto JSON payload (key and certificate modes; Sigstore bundles
//!    are checked by the Sigstore verifier);
//! 2. `signer`: key mode: the bundle's key hint, when present, names the
//!    given key (model-signing refuses a mismatch, and so does strata);
//!    certificate mode: the leaf chains to the given CA at the time it was
//!    issued (model-signing's rule; the bundle carries no timestamp) and
//!    allows digital signatures or code signing; Sigstore mode: strata's
//!    full Sigstore verification (chain, identity, issuer, transparency
//!    log) with the statement's subject as the artifact;
//! 3. `signature`: ECDSA over the DSSE PAE of the payload exactly as
//!    received, never re-serialised;
//! 4. `statement`: the payload is a model-signing v1.0 statement whose
//!    subject digest is the digest of its resources;
//! 5. `model-files`: the model hashed as the signature says (files or
//!    shards, its ignore paths) matches; missing, extra and changed
//!    resources are reported separately.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::bundle::{self, Material, ModelBundle};
use super::manifest::{Difference, ModelManifest};
use super::{HashConfig, hash_model, key_hint};
use crate::check::{Check, Status};
use crate::diag::Result;
use crate::hashing::Progress;
use crate::sigstore::artifact::ArtifactInput;
use crate::sigstore::keys::verify_ecdsa;
use crate::sigstore::trust::{self, TrustSpec};
use sigstore_types::DerCertificate;

/// What the signature is checked against.
#[derive(Debug, Clone)]
pub enum ModelTrust {
    /// A public key (PEM).
    Key(PathBuf),
    /// CA certificates (PEM) the bundle's chain must lead to.
    Ca(PathBuf),
    /// A Sigstore trusted root and identity policy.
    Sigstore(TrustSpec),
}

/// Options for [`verify`].
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Trust material.
    pub trust: ModelTrust,
    /// Hashing: the signature's serialization decides files or shards and
    /// adds its ignore paths; symbolic links, extra ignores and the git
    /// names come from here.
    pub hash: HashConfig,
    /// Hash only the files the signature lists (model-signing's
    /// `--ignore_unsigned_files`).
    pub ignore_unsigned_files: bool,
    /// Verification time (Sigstore mode).
    pub now: jiff::Timestamp,
}

/// The result of verifying a model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    /// The model directory or file.
    pub model: PathBuf,
    /// The signature file.
    pub signature: PathBuf,
    /// What it was checked against.
    pub trust: String,
    /// The signed subject: model name and digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Resources the signature lists.
    pub signed_resources: usize,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// How the model differs from the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    /// The Sigstore verifier's checks (Sigstore mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigstore: Option<crate::sigstore::checks::Report>,
    /// True when every check passed or did not apply.
    pub verified: bool,
}

impl ModelReport {
    /// The check with this name.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The human rendering.
    pub fn render_human(&self) -> String {
        let mut out = format!(
            "model      {}\nsignature  {}\ntrust      {}\n",
            self.model.display(),
            self.signature.display(),
            self.trust
        );
        if let Some(s) = &self.subject {
            out.push_str(&format!(
                "subject    {s} ({})\n",
                crate::table::count(self.signed_resources as u64, "resource")
            ));
        }
        for c in &self.checks {
            out.push_str(&format!(
                "  {:<5} {:<14} {}\n",
                c.status.label(),
                c.name,
                c.detail
            ));
        }
        if let Some(d) = &self.difference {
            for c in &d.changed {
                out.push_str(&format!("  changed  {}\n", c.name));
            }
            for m in &d.missing {
                out.push_str(&format!("  missing  {m}\n"));
            }
            for e in &d.extra {
                out.push_str(&format!("  extra    {e}\n"));
            }
        }
        out.push_str(if self.verified {
            "verified: the model matches its signature\n"
        } else {
            "NOT VERIFIED\n"
        });
        out
    }
}

struct Sheet(Vec<Check>);

impl Sheet {
    fn set(&mut self, name: &'static str, status: Status, detail: impl Into<String>) {
        self.0.push(Check::new(name, status, detail));
    }
    fn result(&mut self, name: &'static str, r: std::result::Result<String, String>) -> bool {
        match r {
            Ok(d) => {
                self.set(name, Status::Pass, d);
                true
            }
            Err(d) => {
                self.set(name, Status::Fail, d);
                false
            }
        }
    }
}

/// Verify `model` against the signature at `signature`.
///
/// Input errors (unreadable files, a signature that is not a bundle,
/// unreadable trust material) are errors; everything else is a check.
pub fn verify(
    model: &Path,
    signature: &Path,
    opts: &VerifyOptions,
    progress: Option<&dyn Progress>,
) -> Result<ModelReport> {
    let (b, text) = bundle::read(signature)?;
    let mut sheet = Sheet(Vec::new());
    let mut report = ModelReport {
        model: model.to_path_buf(),
        signature: signature.to_path_buf(),
        trust: String::new(),
        subject: None,
        signed_resources: 0,
        checks: Vec::new(),
        difference: None,
        sigstore: None,
        verified: false,
    };
    // The statement is read first (unauthenticated) because Sigstore mode
    // needs its subject as the artifact; it counts only once signed.
    let statement = ModelManifest::from_statement(&b.payload);
    if let Ok(m) = &statement {
        report.subject = Some(format!("{} sha256:{}", m.model_name, m.root_digest));
        report.signed_resources = m.resources.len();
    }
    match &opts.trust {
        ModelTrust::Sigstore(spec) => {
            report.trust = "Sigstore trusted root (identity policy)".into();
            sigstore_checks(
                signature,
                &text,
                &statement,
                spec,
                opts.now,
                &mut sheet,
                &mut report,
            )?;
        }
        ModelTrust::Key(path) => {
            report.trust = format!("public key {}", path.display());
            key_checks(path, &b, &mut sheet)?;
        }
        ModelTrust::Ca(path) => {
            report.trust = format!("CA certificates {}", path.display());
            ca_checks(path, &b, &mut sheet)?;
        }
    }
    let statement_ok = sheet.result(
        "statement",
        statement
            .as_ref()
            .map(|m| {
                format!(
                    "model-signing v1.0 statement, {} {}, digests consistent",
                    m.resources.len(),
                    if m.resources.len() == 1 {
                        format!("{} resource", m.serialization.algorithm())
                    } else {
                        format!("{} resources", m.serialization.algorithm())
                    }
                )
            })
            .map_err(Clone::clone),
    );
    match (&statement, statement_ok) {
        (Ok(signed), true) => {
            let mut cfg = opts.hash.clone();
            cfg.mode = signed.serialization.mode;
            cfg.ignore
                .extend(signed.serialization.ignore_paths.iter().cloned());
            let only = opts.ignore_unsigned_files.then(|| signed.file_names());
            let actual = hash_model(model, &cfg, Some(signature), only, progress)?;
            let d = Difference::between(signed, &actual);
            if d.is_empty() {
                sheet.set(
                    "model-files",
                    Status::Pass,
                    match signed.resources.len() {
                        1 => "the one resource matches".to_string(),
                        n => format!("all {n} resources match"),
                    },
                );
            } else {
                sheet.set("model-files", Status::Fail, d.describe());
                report.difference = Some(d);
            }
        }
        _ => sheet.set(
            "model-files",
            Status::NotChecked,
            "the statement could not be read",
        ),
    }
    report.verified = sheet
        .0
        .iter()
        .all(|c| matches!(c.status, Status::Pass | Status::NotApplicable));
    report.checks = sheet.0;
    Ok(report)
}

fn format_check(b: &ModelBundle, sheet: &mut Sheet) -> bool {
    let r = if b.media_type != bundle::MEDIA_TYPE_V03 {
        Err(format!(
            "media type `{}`: key and certificate model signatures are `{}`",
            b.media_type,
            bundle::MEDIA_TYPE_V03
        ))
    } else if b.payload_type != bundle::PAYLOAD_TYPE {
        Err(format!(
            "payload type `{}`, expected `{}`",
            b.payload_type,
            bundle::PAYLOAD_TYPE
        ))
    } else {
        Ok("Sigstore bundle v0.3, one DSSE signature over an in-toto statement".into())
    };
    sheet.result("bundle-format", r)
}

fn key_checks(path: &Path, b: &ModelBundle, sheet: &mut Sheet) -> Result<()> {
    let (key, _) = crate::sigstore::keys::load_ec_public_key(path)?;
    format_check(b, sheet);
    let ours = key_hint(&key);
    let hint = match &b.material {
        Material::PublicKey { hint } if hint.is_empty() => Ok(
            "the bundle gives no key hint (an older model-signing format); the signature decides"
                .into(),
        ),
        Material::PublicKey { hint } if hint.eq_ignore_ascii_case(&ours) => {
            Ok(format!("the bundle's key hint names {}", path.display()))
        }
        Material::PublicKey { hint } => Err(format!(
            "key mismatch: the bundle's key hint {hint} is not {} (hint {ours})",
            path.display()
        )),
        Material::Chain(_) => {
            Err("the bundle carries a certificate chain: verify it with --ca".into())
        }
        Material::Sigstore => Err(
            "the bundle is a Sigstore (keyless) signature: verify it with --identity and --issuer"
                .into(),
        ),
    };
    let hint_ok = sheet.result("signer", hint);
    if hint_ok {
        let pae = bundle::pae(&b.payload_type, &b.payload);
        sheet.result(
            "signature",
            verify_ecdsa(&key, &pae, &b.signature)
                .map(|c| format!("{} signature over the DSSE envelope verifies", c.name())),
        );
    } else {
        sheet.set("signature", Status::NotChecked, "the signer check failed");
    }
    Ok(())
}

fn ca_checks(path: &Path, b: &ModelBundle, sheet: &mut Sheet) -> Result<()> {
    let ca = trust::load_certificates(path)?;
    format_check(b, sheet);
    let chain = match &b.material {
        Material::Chain(c) => c,
        Material::PublicKey { .. } => {
            sheet.set(
                "signer",
                Status::Fail,
                "the bundle is signed with a bare key: verify it with --key",
            );
            sheet.set("signature", Status::NotChecked, "the signer check failed");
            return Ok(());
        }
        Material::Sigstore => {
            sheet.set(
                "signer",
                Status::Fail,
                "the bundle is a Sigstore (keyless) signature: verify it with --identity and --issuer",
            );
            sheet.set("signature", Status::NotChecked, "the signer check failed");
            return Ok(());
        }
    };
    let certs: Vec<DerCertificate> = chain
        .iter()
        .map(|c| DerCertificate::new(c.clone()))
        .collect();
    let Some((leaf, rest)) = certs.split_first() else {
        sheet.set(
            "signer",
            Status::Fail,
            "the bundle's certificate chain is empty",
        );
        return Ok(());
    };
    let info = match sigstore_verify::crypto::parse_certificate_info(leaf) {
        Ok(i) => i,
        Err(e) => {
            sheet.set(
                "signer",
                Status::Fail,
                format!("the signing certificate does not parse: {e}"),
            );
            sheet.set("signature", Status::NotChecked, "the signer check failed");
            return Ok(());
        }
    };
    let issued = info.not_before;
    let chained = crate::sigstore::verify::chain::chains_for_model_signing(leaf, rest, &ca, issued)
        .map(|()| {
            format!(
                "{} chains to {} at its issue time {issued}",
                trust::describe_certificate(leaf),
                path.display()
            )
        })
        .map_err(|e| {
            format!(
                "{} does not chain to {}: {e}",
                trust::describe_certificate(leaf),
                path.display()
            )
        });
    if sheet.result("signer", chained) {
        let pae = bundle::pae(&b.payload_type, &b.payload);
        sheet.result(
            "signature",
            verify_ecdsa(info.public_key.as_bytes(), &pae, &b.signature)
                .map(|c| format!("{} signature by the certificate's key verifies", c.name())),
        );
    } else {
        sheet.set("signature", Status::NotChecked, "the signer check failed");
    }
    Ok(())
}

fn sigstore_checks(
    signature: &Path,
    text: &str,
    statement: &std::result::Result<ModelManifest, String>,
    spec: &TrustSpec,
    now: jiff::Timestamp,
    sheet: &mut Sheet,
    report: &mut ModelReport,
) -> Result<()> {
    let opts = spec.options(now)?;
    let file = crate::sigstore::input::parse_bundle(signature, text)?;
    let Ok(m) = statement else {
        sheet.set(
            "bundle-format",
            Status::NotChecked,
            "the statement could not be read",
        );
        sheet.set(
            "signer",
            Status::NotChecked,
            "the statement could not be read",
        );
        sheet.set(
            "signature",
            Status::NotChecked,
            "the statement could not be read",
        );
        return Ok(());
    };
    let mut digest = [0u8; 32];
    hex::decode_to_slice(&m.root_digest, &mut digest)
        .map_err(|_| super::not_a_model(signature, "the subject digest is not hex"))?;
    let r = crate::sigstore::verify::verify(&file, &ArtifactInput::Sha256(digest), &opts)?;
    let named = |ids: &[crate::sigstore::checks::CheckId]| -> std::result::Result<String, String> {
        r.group(ids).map(|passed| {
            if passed.is_empty() {
                "not applicable".to_string()
            } else {
                passed.join(", ") + " hold"
            }
        })
    };
    use crate::sigstore::checks::CheckId as C;
    sheet.result("bundle-format", named(&[C::BundleFormat]));
    let signer_ids: Vec<C> = C::ALL
        .iter()
        .copied()
        .filter(|c| !matches!(c, C::BundleFormat | C::Signature | C::ArtifactDigest))
        .collect();
    sheet.result("signer", named(&signer_ids));
    sheet.result("signature", named(&[C::Signature, C::ArtifactDigest]));
    report.sigstore = Some(r);
    Ok(())
}
