//! The named verification checks and the report that lists them.
//!
//! Every check has a stable kebab-case id (the names in the report and in
//! `--format json`), a one-line description, and a status from strata's one
//! vocabulary ([`crate::check::Status`]): pass, fail, not applicable (with
//! the reason), or not checked (an earlier failure left nothing to check it
//! against). A bundle verifies only when no check failed and none was left
//! unchecked.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// One verification check, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    /// Media type is a known bundle version and the bundle has its shape.
    BundleFormat,
    /// What signed (certificate or key) is what the verifier was told to
    /// trust.
    VerificationMaterial,
    /// The signing certificate chains to a trusted CA, with the
    /// code-signing usage, at the signing time.
    CertificateChain,
    /// The signing certificate was within its validity period at every
    /// verified signing time.
    CertificateValidity,
    /// The certificate's embedded SCT verifies against a trusted CT log key.
    Sct,
    /// The certificate's SAN identity matches exactly (or the anchored
    /// regular expression).
    Identity,
    /// The certificate's OIDC issuer matches exactly.
    Issuer,
    /// The signature verifies over the artifact digest or the DSSE PAE.
    Signature,
    /// The in-toto subject (or message digest) matches the artifact.
    ArtifactDigest,
    /// Each transparency log entry describes this bundle.
    TlogEntry,
    /// Each entry's Merkle inclusion proof reaches the checkpoint root.
    InclusionProof,
    /// Each checkpoint is signed by a trusted log key.
    Checkpoint,
    /// Each signed entry timestamp (inclusion promise) verifies.
    Set,
    /// Each RFC 3161 timestamp verifies against a trusted TSA.
    Rfc3161Timestamp,
    /// There is an authenticated signing time, not in the future.
    SigningTime,
    /// Each trust-root key or CA was valid at the time it was used.
    TrustRootValidity,
}

impl CheckId {
    /// Every check, in report order.
    pub const ALL: [CheckId; 16] = [
        CheckId::BundleFormat,
        CheckId::VerificationMaterial,
        CheckId::CertificateChain,
        CheckId::CertificateValidity,
        CheckId::Sct,
        CheckId::Identity,
        CheckId::Issuer,
        CheckId::Signature,
        CheckId::ArtifactDigest,
        CheckId::TlogEntry,
        CheckId::InclusionProof,
        CheckId::Checkpoint,
        CheckId::Set,
        CheckId::Rfc3161Timestamp,
        CheckId::SigningTime,
        CheckId::TrustRootValidity,
    ];

    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            CheckId::BundleFormat => "bundle-format",
            CheckId::VerificationMaterial => "verification-material",
            CheckId::CertificateChain => "certificate-chain",
            CheckId::CertificateValidity => "certificate-validity",
            CheckId::Sct => "sct",
            CheckId::Identity => "identity",
            CheckId::Issuer => "issuer",
            CheckId::Signature => "signature",
            CheckId::ArtifactDigest => "artifact-digest",
            CheckId::TlogEntry => "tlog-entry",
            CheckId::InclusionProof => "inclusion-proof",
            CheckId::Checkpoint => "checkpoint",
            CheckId::Set => "set",
            CheckId::Rfc3161Timestamp => "rfc3161-timestamp",
            CheckId::SigningTime => "signing-time",
            CheckId::TrustRootValidity => "trust-root-validity",
        }
    }

    /// What the check establishes, in one line.
    pub fn description(self) -> &'static str {
        match self {
            CheckId::BundleFormat => "bundle media type (v0.1-v0.3) and shape",
            CheckId::VerificationMaterial => "the bundle's certificate or key is the trusted kind",
            CheckId::CertificateChain => "certificate chains to a trusted CA at signing time",
            CheckId::CertificateValidity => "certificate valid at every verified signing time",
            CheckId::Sct => "embedded SCT verifies against a trusted CT log key",
            CheckId::Identity => "certificate SAN matches the required identity",
            CheckId::Issuer => "certificate OIDC issuer matches the required issuer",
            CheckId::Signature => "signature over the artifact digest or DSSE PAE",
            CheckId::ArtifactDigest => "in-toto subject or message digest matches the artifact",
            CheckId::TlogEntry => "transparency log entry consistent with the bundle",
            CheckId::InclusionProof => "Merkle inclusion proof reaches the checkpoint root",
            CheckId::Checkpoint => "checkpoint signed by a trusted log key",
            CheckId::Set => "signed entry timestamp (inclusion promise)",
            CheckId::Rfc3161Timestamp => "RFC 3161 timestamps verify against a trusted TSA",
            CheckId::SigningTime => "an authenticated signing time exists",
            CheckId::TrustRootValidity => "each trust-root key or CA valid when used",
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

pub use crate::check::Status;

/// Which implementation decided a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// strata's own check, built on the sigstore crates' primitives.
    Strata,
    /// The `sigstore-verify` verifier.
    Library,
    /// strata's check, confirmed by the `sigstore-verify` verifier.
    Both,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its outcome.
    pub status: Status,
    /// What was found, or why it does not apply.
    pub detail: String,
    /// Who decided it.
    pub by: Source,
}

/// Signer facts shown in a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// `certificate`, `public-key`.
    pub kind: String,
    /// Certificate SAN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// Certificate OIDC issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// SHA-256 of the signing key's SubjectPublicKeyInfo, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_sha256: Option<String>,
}

/// The result of verifying one bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The bundle file.
    pub bundle: PathBuf,
    /// Media type as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The artifact: a path or `sha256:<hex>`.
    pub artifact: String,
    /// The artifact's SHA-256, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_sha256: Option<String>,
    /// What the bundle was checked against (`key`, `ca`, `trusted-root`).
    pub trust: String,
    /// Who signed, as the bundle says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// Authenticated signing times (RFC 3339), or the verification time
    /// used when the bundle carries none (see [`Report::time_source`]).
    pub signing_times: Vec<String>,
    /// Where the times came from.
    pub time_source: String,
    /// Every check, in [`CheckId::ALL`] order.
    pub checks: Vec<Check>,
    /// Whether the `sigstore-verify` verifier ran, and its verdict.
    pub library: String,
    /// True when every check passed or did not apply.
    pub verified: bool,
}

impl Report {
    /// The check with this id.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// A group of checks as one verdict: `Err` with every failed check and
    /// every check that could not be reached (`id: detail`, joined by
    /// `; `), else the names of the checks that passed (none when all were
    /// not applicable).
    pub fn group(&self, ids: &[CheckId]) -> std::result::Result<Vec<&'static str>, String> {
        let of = |status: Status| -> Vec<String> {
            self.checks
                .iter()
                .filter(|c| ids.contains(&c.id) && c.status == status)
                .map(|c| format!("{}: {}", c.id.name(), c.detail))
                .collect()
        };
        for bad in [Status::Fail, Status::NotChecked] {
            let found = of(bad);
            if !found.is_empty() {
                return Err(found.join("; "));
            }
        }
        Ok(self
            .checks
            .iter()
            .filter(|c| ids.contains(&c.id) && c.status == Status::Pass)
            .map(|c| c.id.name())
            .collect())
    }

    /// The checks that failed, in order.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    /// The human rendering: a header, then one line per check. Text from
    /// the bundle (media type, SAN, issuer, details quoting them) is
    /// escaped for a terminal: a line break in a SAN cannot forge a line.
    pub fn render_human(&self) -> String {
        let t = |s: &str| crate::escape::terminal(s).into_owned();
        let mut out = String::new();
        out.push_str(&format!("bundle    {}\n", self.bundle.display()));
        if let Some(mt) = &self.media_type {
            out.push_str(&format!("format    {}\n", t(mt)));
        }
        match &self.artifact_sha256 {
            Some(d) if !self.artifact.starts_with("sha256:") => {
                out.push_str(&format!("artifact  {} (sha256:{d})\n", self.artifact))
            }
            _ => out.push_str(&format!("artifact  {}\n", self.artifact)),
        }
        out.push_str(&format!("trust     {}\n", self.trust));
        if let Some(s) = &self.signer {
            let mut who = s.kind.clone();
            if let Some(id) = &s.identity {
                who.push_str(&format!(" {}", t(id)));
            }
            if let Some(iss) = &s.issuer {
                who.push_str(&format!(" (issuer {})", t(iss)));
            }
            if let Some(k) = &s.key_sha256 {
                if s.identity.is_some() || s.issuer.is_some() {
                    who.push_str(&format!(", key sha256:{k}"));
                } else {
                    who.push_str(&format!(" sha256:{k}"));
                }
            }
            out.push_str(&format!("signer    {who}\n"));
        }
        if !self.signing_times.is_empty() {
            out.push_str(&format!(
                "time      {} ({})\n",
                self.signing_times.join(", "),
                self.time_source
            ));
        }
        out.push('\n');
        let width = CheckId::ALL
            .iter()
            .map(|c| c.name().len())
            .max()
            .unwrap_or(0);
        for c in &self.checks {
            let by = match c.by {
                Source::Strata => "",
                Source::Library => " [sigstore-verify]",
                Source::Both => " [+sigstore-verify]",
            };
            out.push_str(&format!(
                "  {:<4}  {:<width$}  {}{by}\n",
                c.status.label(),
                c.id.name(),
                t(&c.detail),
            ));
        }
        out.push('\n');
        out.push_str(&format!("library   {}\n", self.library));
        let count = |s: Status| self.checks.iter().filter(|c| c.status == s).count();
        if self.verified {
            out.push_str(&format!(
                "verified: {} passed, {} not applicable\n",
                crate::table::count(count(Status::Pass) as u64, "check"),
                count(Status::NotApplicable)
            ));
        } else {
            let failed: Vec<&str> = self.failures().map(|c| c.id.name()).collect();
            out.push_str(&format!(
                "NOT VERIFIED: {} failed ({}), {} not checked\n",
                failed.len(),
                failed.join(", "),
                count(Status::NotChecked)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = CheckId::ALL.iter().map(|c| c.name()).collect();
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CheckId::ALL.len());
    }

    #[test]
    fn serde_names_match_display_names() {
        for c in CheckId::ALL {
            let v = serde_json::to_value(c).unwrap();
            assert_eq!(v.as_str(), Some(c.name()));
        }
    }
}
