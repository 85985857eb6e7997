//! `strata verify`: every check of a bundle, each reported by name.
//!
//! The checks run in the order of [`CheckId::ALL`], each on its own so that
//! one failure does not hide another:
//!
//! 1. [`material`]: bundle format, what signed it, identity and issuer;
//! 2. [`content`]: the signature over the DSSE PAE (the payload exactly as
//!    received, never re-serialised) or the artifact digest, and the
//!    in-toto subject or message digest against the artifact;
//! 3. [`tlog`]: each log entry's inclusion proof, checkpoint, SET and
//!    consistency with the bundle;
//! 4. [`times`]: RFC 3161 timestamps, the signing time, the certificate's
//!    validity at that time and the trust-root windows;
//! 5. [`chain`]: the certificate chain at each signing time;
//! 6. [`library`]: the `sigstore-verify` verifier over the same inputs,
//!    whose verdict must agree.
//!
//! Three trust modes: a Sigstore trusted root with an identity policy
//! (keyless bundles), a public key (`--key`), or an organisation CA
//! (`--ca`). A key or CA bundle without a log entry or timestamp is checked
//! at the verification time, and the log and timestamp checks say they do
//! not apply.

pub mod chain;
pub mod content;
pub mod library;
pub mod material;
mod statement;
pub mod times;
pub mod tlog;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use regex_syntax::hir::{Hir, Look};
use sigstore_types::{Bundle, DerCertificate, DerPublicKey};
use sigstore_verify::crypto::{CertificateInfo, KeyAlgorithm};

use super::artifact::{ArtifactDigests, ArtifactInput};
use super::checks::{Check, CheckId, Report, Signer, Source, Status};
use super::input::BundleFile;
use super::trust::{PublicKey, Root};
use crate::diag::{Error, Result};

/// What the bundle is checked against.
#[derive(Debug, Clone)]
pub enum TrustMode {
    /// A Sigstore trusted root (Fulcio, Rekor, CT logs, TSAs) and an
    /// identity policy: keyless bundles.
    Sigstore,
    /// A public key: bundles signed with a key.
    Key(PublicKey),
    /// An organisation's CA certificates (root, and intermediates if any).
    Ca {
        /// The certificates.
        certs: Vec<DerCertificate>,
        /// The file they came from.
        path: PathBuf,
    },
}

/// How a certificate's SAN must match.
#[derive(Debug, Clone)]
pub enum IdentityRule {
    /// Equal, byte for byte.
    Exact(String),
    /// The whole SAN matches the expression.
    Regexp {
        /// As given.
        source: String,
        /// The expression parsed on its own, then wrapped between
        /// start-of-text and end-of-text assertions as a syntax tree, so no
        /// text in the pattern can move the anchors.
        regex: regex_automata::meta::Regex,
    },
}

impl IdentityRule {
    /// Compile an identity expression; it must match the whole SAN.
    ///
    /// The pattern is parsed alone (an unbalanced `)` is an error, never
    /// the end of a wrapper group) and anchored in its syntax tree, never
    /// by pasting `^(?:` and `)$` around its text: `a@b\.com)|(?:.*`
    /// cannot widen into "anything".
    pub fn regexp(source: &str) -> Result<Self> {
        let fail = |e: &dyn std::fmt::Display| {
            Error::Usage(format!(
                "--identity-regexp `{}` does not compile: {e}",
                crate::diag::escape_controls(source)
            ))
        };
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(source)
            .map_err(|e| fail(&e))?;
        let whole = Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]);
        let regex = regex_automata::meta::Regex::builder()
            .build_from_hir(&whole)
            .map_err(|e| fail(&e))?;
        Ok(IdentityRule::Regexp {
            source: source.to_string(),
            regex,
        })
    }

    /// Whether `san` satisfies the rule.
    pub fn matches(&self, san: &str) -> bool {
        match self {
            IdentityRule::Exact(s) => s == san,
            IdentityRule::Regexp { regex, .. } => regex.is_match(san),
        }
    }

    /// How the rule reads in messages.
    pub fn describe(&self) -> String {
        match self {
            IdentityRule::Exact(s) => format!("`{s}`"),
            IdentityRule::Regexp { source, .. } => {
                format!("regexp `{source}` (matching the whole SAN)")
            }
        }
    }
}

/// Everything a verification needs besides the bundle and artifact.
#[derive(Debug, Clone)]
pub struct Options {
    /// Key, CA, or Sigstore trusted root.
    pub trust: TrustMode,
    /// The trusted root: Fulcio CAs and CT logs for keyless bundles; Rekor
    /// log keys and TSAs for every mode.
    pub root: Root,
    /// Required certificate identity.
    pub identity: Option<IdentityRule>,
    /// Required OIDC issuer, exact.
    pub issuer: Option<String>,
    /// Fail when the bundle has no transparency log entry (always so for
    /// Sigstore bundles; the conformance protocol asks it of key bundles).
    pub require_tlog: bool,
    /// The verification time: the fallback signing time for key and CA
    /// bundles without a signed time.
    pub now: Timestamp,
}

/// The signing key, from the certificate or from `--key`.
#[derive(Debug, Clone)]
pub(crate) struct SigningKey {
    pub der: DerPublicKey,
    pub algorithm: KeyAlgorithm,
}

/// A signing time and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct SignedTime {
    pub time: Timestamp,
    pub source: String,
}

/// What signed the bundle, as far as it could be read.
#[derive(Debug, Default)]
pub(crate) struct Material {
    pub key: Option<SigningKey>,
    pub cert: Option<CertificateInfo>,
    pub leaf: Option<DerCertificate>,
    pub intermediates: Vec<DerCertificate>,
}

/// State shared by the check modules.
pub(crate) struct Ctx<'a> {
    pub bundle: &'a Bundle,
    pub version: &'static str,
    pub opts: &'a Options,
    pub digests: ArtifactDigests,
    /// The DSSE payload's statement (`None` for message signatures).
    pub statement: Option<serde_json::Result<statement::Statement>>,
    pub key: Option<SigningKey>,
    pub cert: Option<CertificateInfo>,
    pub leaf: Option<DerCertificate>,
    pub bundle_intermediates: Vec<DerCertificate>,
    pub times: Vec<SignedTime>,
    pub tlog_required: bool,
    /// Trust-root validity findings: `Ok(fact)` or `Err(problem)`.
    pub validity: Vec<std::result::Result<String, String>>,
}

/// The check results as they accumulate.
pub(crate) struct Sheet {
    checks: BTreeMap<CheckId, Check>,
}

impl Sheet {
    fn new() -> Self {
        let checks = CheckId::ALL
            .iter()
            .map(|&id| {
                (
                    id,
                    Check {
                        id,
                        status: Status::NotChecked,
                        detail: "not checked: an earlier check failed".into(),
                        by: Source::Strata,
                    },
                )
            })
            .collect();
        Sheet { checks }
    }

    pub fn set(&mut self, id: CheckId, status: Status, detail: impl Into<String>) {
        self.checks.insert(
            id,
            Check {
                id,
                status,
                detail: detail.into(),
                by: Source::Strata,
            },
        );
    }

    pub fn pass(&mut self, id: CheckId, detail: impl Into<String>) {
        self.set(id, Status::Pass, detail);
    }

    pub fn fail(&mut self, id: CheckId, detail: impl Into<String>) {
        self.set(id, Status::Fail, detail);
    }

    pub fn na(&mut self, id: CheckId, detail: impl Into<String>) {
        self.set(id, Status::NotApplicable, detail);
    }

    pub fn status(&self, id: CheckId) -> Status {
        self.checks
            .get(&id)
            .map(|c| c.status)
            .unwrap_or(Status::NotChecked)
    }

    pub fn get_mut(&mut self, id: CheckId) -> Option<&mut Check> {
        self.checks.get_mut(&id)
    }

    fn into_checks(self) -> Vec<Check> {
        self.checks.into_values().collect()
    }
}

/// What bundles are checked against, as reports say it.
pub fn describe_trust(opts: &Options) -> String {
    match &opts.trust {
        TrustMode::Sigstore => format!("{} (identity policy)", opts.root.source),
        TrustMode::Key(k) => format!("public key {}", k.path.display()),
        TrustMode::Ca { path, .. } => format!("organisation CA {}", path.display()),
    }
}

/// Verify a bundle against an artifact.
///
/// Returns a report whatever the outcome; errors only when an input cannot
/// be read (the artifact file, say).
pub fn verify(file: &BundleFile, artifact: &ArtifactInput, opts: &Options) -> Result<Report> {
    let mut sheet = Sheet::new();
    let mut report = Report {
        bundle: file.path.clone(),
        media_type: file.media_type.clone(),
        artifact: artifact.display(),
        artifact_sha256: None,
        trust: describe_trust(opts),
        signer: None,
        signing_times: Vec::new(),
        time_source: String::new(),
        checks: Vec::new(),
        library: "not run".into(),
        verified: false,
    };
    let tlog_required = opts.require_tlog || matches!(opts.trust, TrustMode::Sigstore);
    let Some((bundle, version)) = material::bundle_format(file, &mut sheet) else {
        report.checks = sheet.into_checks();
        return Ok(report);
    };
    let material = material::verification_material(bundle, opts, &mut sheet);
    let statement = content::statement(bundle);
    let needed = content::needed_digests(
        bundle,
        statement.as_ref(),
        material.key.as_ref().map(|k| k.algorithm),
    );
    let digests = ArtifactDigests::compute(artifact, &needed)?;
    report.artifact_sha256 = digests.sha256_hex();
    let mut ctx = Ctx {
        bundle,
        version,
        opts,
        digests,
        statement,
        key: material.key,
        cert: material.cert,
        leaf: material.leaf,
        bundle_intermediates: material.intermediates,
        times: Vec::new(),
        tlog_required,
        validity: Vec::new(),
    };
    report.signer = signer_facts(&ctx);
    strata_checks(&mut ctx, &mut sheet)?;
    let lib = library::Input {
        bundle,
        artifact,
        digests: &ctx.digests,
        opts,
        key: ctx.key.as_ref(),
    };
    report.library = match library::skip_reason(&lib, &sheet) {
        Some(why) => why,
        None => {
            let started = library::start(&lib);
            library::cross_check(&lib, &mut sheet, started)?
        }
    };
    report.signing_times = ctx.times.iter().map(|t| t.time.to_string()).collect();
    report.time_source = ctx
        .times
        .iter()
        .map(|t| t.source.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    report.checks = sheet.into_checks();
    report.verified = report
        .checks
        .iter()
        .all(|c| matches!(c.status, Status::Pass | Status::NotApplicable));
    Ok(report)
}

/// strata's own checks after the verification material, in report order.
fn strata_checks(ctx: &mut Ctx<'_>, sheet: &mut Sheet) -> Result<()> {
    material::identity(ctx, sheet);
    content::signature(ctx, sheet)?;
    content::artifact_digest(ctx, sheet);
    let set_times = tlog::check(ctx, sheet);
    times::check(ctx, set_times, sheet);
    chain::check(ctx, sheet);
    times::trust_root_validity(ctx, sheet);
    Ok(())
}

fn signer_facts(ctx: &Ctx<'_>) -> Option<Signer> {
    let key = ctx.key.as_ref()?;
    Some(Signer {
        kind: if ctx.cert.is_some() {
            "certificate".into()
        } else {
            "public key".into()
        },
        identity: ctx
            .cert
            .as_ref()
            .and_then(|c| c.identity.as_ref())
            .map(|i| i.to_string()),
        issuer: ctx.cert.as_ref().and_then(|c| c.issuer.clone()),
        key_sha256: Some(super::trust::spki_sha256_hex(&key.der)),
    })
}
