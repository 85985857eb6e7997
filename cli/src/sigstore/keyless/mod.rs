//! Keyless signing: an ephemeral key certified by Fulcio for an OIDC
//! identity, the signature recorded in Rekor, and the bundle verified with
//! strata's own verifier before anyone sees it.
//!
//! The flow ([`Session::begin`], then [`Session::sign_bytes`] per file):
//! 1. generate an ephemeral ECDSA P-256 key (it never leaves memory);
//! 2. Fulcio v2 ([`fulcio`]): the token and the public key, with a proof of
//!    possession, buy a certificate for the token's identity; strata checks
//!    the certificate is for this key and this identity;
//! 3. sign the DSSE PAE of the in-toto statement (as [`super::sign`] does);
//! 4. Rekor v1 ([`rekor`]): log the envelope as a `dsse` 0.0.1 entry and get
//!    its inclusion proof, checkpoint and SET;
//! 5. assemble the bundle v0.3 and verify it completely
//!    ([`super::verify::verify`]) against the trusted root, pinned to the
//!    token's identity and issuer. A bundle that does not verify is never
//!    returned as signed.
//!
//! All network access goes through the [`Transport`] trait; [`http`] holds
//! the one real implementation. Tests drive the flow with mock servers.

pub mod fulcio;
pub mod http;
pub mod rekor;
pub mod token;

use std::path::Path;

use base64::Engine as _;
use sigstore_types::bundle::{CertificateContent, VerificationMaterialContent};
use sigstore_types::{
    Bundle, DerCertificate, DsseEnvelope, DsseSignature, KeyId, MediaType, PayloadBytes,
    SignatureBytes, SignatureContent, TransparencyLogEntry, VerificationMaterial,
};

use super::IN_TOTO_PAYLOAD_TYPE;
use super::artifact::ArtifactInput;
use super::checks::Report;
use super::keys::SigningKey;
use super::sign::Signed;
use super::statement;
use super::trust::Root;
use super::verify::{IdentityRule, Options, TrustMode};
use crate::clock::Clock;
use crate::diag::{Code, Diagnostic, Error, Result};

pub use token::IdentityToken;

/// Sigstore's public-good Fulcio.
pub const DEFAULT_FULCIO_URL: &str = "https://fulcio.sigstore.dev";
/// Sigstore's public-good Rekor.
pub const DEFAULT_REKOR_URL: &str = "https://rekor.sigstore.dev";

/// An HTTP answer: status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The body, bounded by the transport.
    pub body: Vec<u8>,
}

/// How keyless signing talks to the network. `Err` is a transport failure
/// (no connection, timeout) in words; any HTTP status is an `Ok` reply.
pub trait Transport {
    /// POST a JSON body.
    fn post_json(&self, url: &str, body: &[u8]) -> std::result::Result<Reply, String>;
    /// GET with a bearer token.
    fn get(&self, url: &str, bearer: &str) -> std::result::Result<Reply, String>;
}

/// Where Fulcio and Rekor are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Fulcio's base URL.
    pub fulcio: String,
    /// Rekor's base URL.
    pub rekor: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            fulcio: DEFAULT_FULCIO_URL.into(),
            rekor: DEFAULT_REKOR_URL.into(),
        }
    }
}

/// Who the bundle must verify as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The certificate's SAN, exactly.
    pub identity: String,
    /// The certificate's OIDC issuer, exactly.
    pub issuer: String,
}

impl Expected {
    /// What the token's claims say, each overridable.
    pub fn from_token(token: &IdentityToken, identity: Option<&str>, issuer: Option<&str>) -> Self {
        Expected {
            identity: identity
                .map(str::to_string)
                .unwrap_or_else(|| token.claims.expected_identity()),
            issuer: issuer
                .map(str::to_string)
                .unwrap_or_else(|| token.claims.expected_issuer()),
        }
    }
}

/// The outcome for one file.
#[derive(Debug)]
pub enum Outcome {
    /// The bundle verified: safe to write.
    Verified {
        /// The bundle and its statement.
        signed: Signed,
        /// The verification report.
        report: Box<Report>,
        /// The Rekor entry's index.
        log_index: u64,
    },
    /// The bundle did not verify: it must not be written.
    Refused {
        /// Why.
        report: Box<Report>,
        /// The Rekor entry's index.
        log_index: u64,
    },
}

/// A certified ephemeral key, ready to sign files.
pub struct Session<'a> {
    transport: &'a dyn Transport,
    endpoints: Endpoints,
    key: SigningKey,
    leaf: DerCertificate,
    leaf_pem: String,
    expected: Expected,
    root: Root,
    clock: &'a dyn Clock,
    /// When the certificate expires.
    pub not_after: jiff::Timestamp,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("endpoints", &self.endpoints)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

impl<'a> Session<'a> {
    /// Generate the ephemeral key and get its certificate from Fulcio. The
    /// certificate must be for the key and for `expected`. Each bundle is
    /// verified at the time `clock` gives when Rekor has logged it.
    pub fn begin(
        transport: &'a dyn Transport,
        endpoints: Endpoints,
        token: &IdentityToken,
        expected: Expected,
        root: Root,
        clock: &'a dyn Clock,
    ) -> Result<Self> {
        check_url(&endpoints.fulcio, "Fulcio")?;
        check_url(&endpoints.rekor, "Rekor")?;
        let key = ephemeral_key()?;
        let chain = fulcio::signing_certificate(
            transport,
            &endpoints.fulcio,
            token.raw(),
            &key,
            token.claims.proof_subject(),
        )?;
        let Some(leaf) = chain.into_iter().next() else {
            return Err(refused("Fulcio's answer holds no certificate".into()));
        };
        let info = sigstore_verify::crypto::parse_certificate_info(&leaf)
            .map_err(|e| refused(format!("Fulcio's certificate is not usable: {e}")))?;
        if info.public_key.as_bytes() != key.public_key().as_bytes() {
            return Err(refused(
                "Fulcio's certificate is for another public key than the one strata sent".into(),
            ));
        }
        let got_identity = info.identity.as_ref().map(|i| i.to_string());
        if got_identity.as_deref() != Some(expected.identity.as_str())
            || info.issuer.as_deref() != Some(expected.issuer.as_str())
        {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::KeylessIdentity,
                    format!(
                        "Fulcio certified `{}` (issuer `{}`), but the token says `{}` (issuer `{}`)",
                        got_identity.as_deref().unwrap_or("no identity"),
                        info.issuer.as_deref().unwrap_or("none"),
                        expected.identity,
                        expected.issuer
                    ),
                )
                .help("if your OIDC provider's identities map differently in Fulcio, pass the certified values with --expect-identity and --expect-issuer"),
            ));
        }
        let leaf_pem = pem::encode_config(
            &pem::Pem::new("CERTIFICATE", leaf.as_bytes().to_vec()),
            pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
        );
        Ok(Session {
            transport,
            endpoints,
            key,
            leaf,
            leaf_pem,
            expected,
            root,
            clock,
            not_after: info.not_after,
        })
    }

    /// Who signs.
    pub fn expected(&self) -> &Expected {
        &self.expected
    }

    /// Sign `bytes` read from `file`, log the signature in Rekor, and verify
    /// the bundle (reported as `bundle_path`) against the trusted root.
    pub fn sign_bytes(&self, file: &Path, bytes: &[u8], bundle_path: &Path) -> Result<Outcome> {
        self.sign_statement(statement::build(file, bytes)?, bundle_path)
    }

    /// Sign a prepared in-toto statement (its subject digest is what the
    /// bundle is verified against), log it in Rekor and verify the bundle.
    pub fn sign_statement(
        &self,
        statement: statement::StatementPayload,
        bundle_path: &Path,
    ) -> Result<Outcome> {
        let pae = sigstore_types::pae(IN_TOTO_PAYLOAD_TYPE, &statement.payload);
        let sig = self.key.sign(&pae)?;
        let envelope_json = serde_json::json!({
            "payload": b64(&statement.payload),
            "payloadType": IN_TOTO_PAYLOAD_TYPE,
            "signatures": [{"sig": b64(&sig)}]
        })
        .to_string();
        let entry = rekor::log_dsse(
            self.transport,
            &self.endpoints.rekor,
            &envelope_json,
            &self.leaf_pem,
        )?;
        let tlog: TransparencyLogEntry =
            serde_json::from_value(entry.bundle_entry()).map_err(|e| {
                refused(format!(
                    "Rekor's entry does not fit a bundle (uuid {}): {e}",
                    entry.uuid
                ))
            })?;
        let envelope = DsseEnvelope::new(
            IN_TOTO_PAYLOAD_TYPE,
            PayloadBytes::new(statement.payload.clone()),
            DsseSignature::new(SignatureBytes::new(sig), KeyId::default()),
        );
        let bundle = Bundle::new(
            MediaType::Bundle0_3,
            VerificationMaterial::new(VerificationMaterialContent::Certificate(
                CertificateContent::new(self.leaf.clone()),
            ))
            .with_tlog_entries(vec![tlog]),
            SignatureContent::DsseEnvelope(envelope),
        );
        let text = bundle
            .to_json_pretty()
            .map_err(|e| refused(format!("cannot serialise the bundle: {e}")))?;
        let report = self.verify(&text, bundle_path, &statement.sha256_hex)?;
        let mut bundle_json = text.into_bytes();
        bundle_json.push(b'\n');
        Ok(if report.verified {
            Outcome::Verified {
                signed: Signed {
                    bundle_json,
                    statement,
                },
                report: Box::new(report),
                log_index: entry.log_index,
            }
        } else {
            Outcome::Refused {
                report: Box::new(report),
                log_index: entry.log_index,
            }
        })
    }

    fn verify(&self, text: &str, bundle_path: &Path, sha256_hex: &str) -> Result<Report> {
        let file = super::input::parse_bundle(bundle_path, text)?;
        let digest = ArtifactInput::parse(&format!("sha256:{sha256_hex}"))?;
        let opts = Options {
            trust: TrustMode::Sigstore,
            root: self.root.clone(),
            identity: Some(IdentityRule::Exact(self.expected.identity.clone())),
            issuer: Some(self.expected.issuer.clone()),
            require_tlog: true,
            now: self.clock.now(),
        };
        super::verify::verify(&file, &digest, &opts)
    }
}

fn refused(msg: String) -> Error {
    Error::invalid(Diagnostic::error(Code::Keyless, msg))
}

/// A fresh P-256 key from the system's random source.
fn ephemeral_key() -> Result<SigningKey> {
    let pkcs8 = super::keys::generate_p256_pkcs8()
        .map_err(|_| refused("cannot generate an ephemeral P-256 key".into()))?;
    SigningKey::from_pkcs8_der(&pkcs8, Path::new("<ephemeral key>"))
}

/// Standard base64.
pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `base` with `path` appended, without doubling the slash.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Refuse URLs that would send a token in clear text: `https://` always,
/// `http://` only to this machine (127.0.0.0/8, `localhost`, `[::1]`).
pub fn check_url(url: &str, service: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::Usage(format!("{service} URL `{url}`: {why}")));
    if url.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return bad("only https:// URLs are supported");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let loopback = host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        bad(
            "plain http:// is only allowed to this machine (127.0.0.1, localhost, [::1]); use https://",
        )
    }
}

/// `401 Unauthorized` and the like.
pub(crate) fn http_status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if reason.is_empty() {
        status.to_string()
    } else {
        format!("{status} {reason}")
    }
}

/// The message of an error answer: its JSON `message` (or `error`), else
/// the start of its text.
pub(crate) fn error_message(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        for k in ["message", "error", "detail"] {
            if let Some(m) = v.get(k).and_then(serde_json::Value::as_str) {
                return m.to_string();
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "(empty answer)".into();
    }
    let short: String = text.chars().take(300).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_text_is_only_for_this_machine() {
        for ok in [
            "https://fulcio.sigstore.dev",
            "http://127.0.0.1:8080",
            "http://127.1.2.3/x",
            "http://localhost:1/",
            "http://[::1]:9/api",
        ] {
            check_url(ok, "Fulcio").unwrap();
        }
        for bad in [
            "http://fulcio.example.com",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.test",
            "http://localhost.evil.test",
            "ftp://x",
            "fulcio.sigstore.dev",
        ] {
            assert!(check_url(bad, "Fulcio").is_err(), "{bad}");
        }
    }

    #[test]
    fn error_answers_read_well() {
        assert_eq!(
            error_message(br#"{"code":16,"message":"bad token"}"#),
            "bad token"
        );
        assert_eq!(error_message(b""), "(empty answer)");
        assert_eq!(http_status_text(401), "401 Unauthorized");
        assert_eq!(http_status_text(418), "418");
        assert_eq!(join_url("https://r.test/", "/api"), "https://r.test/api");
    }
}
