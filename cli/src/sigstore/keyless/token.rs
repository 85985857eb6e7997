//! The OIDC identity token keyless signing presents to Fulcio: where it
//! comes from, and what its claims say.
//!
//! Sources, first found wins:
//! 1. `--identity-token TOKEN`, or `--identity-token @FILE` (the file's
//!    text, trimmed);
//! 2. the `SIGSTORE_ID_TOKEN` environment variable (cosign's name);
//! 3. GitHub Actions' ambient credentials: with `ACTIONS_ID_TOKEN_REQUEST_URL`
//!    and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` set (a workflow with
//!    `permissions: id-token: write`), a token for audience `sigstore` is
//!    requested from the runner.
//!
//! There is no interactive browser flow.
//!
//! The claims are read without checking the token's signature: Fulcio
//! verifies the token, strata only needs to know who it names, to tell the
//! user who is about to sign, to compute the proof of possession, and to pin
//! the verification of the finished bundle to that identity.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;

use super::{Transport, http_status_text};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// Environment variable holding a ready token (cosign's name for it).
pub const ENV_TOKEN: &str = "SIGSTORE_ID_TOKEN";
/// GitHub Actions: the runner's token endpoint.
pub const ENV_GHA_URL: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
/// GitHub Actions: the bearer token for that endpoint.
pub const ENV_GHA_TOKEN: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/// The audience Sigstore's public-good Fulcio accepts.
pub const SIGSTORE_AUDIENCE: &str = "sigstore";

/// GitHub Actions' OIDC issuer.
pub const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// Largest token file read: 64 KiB (tokens are a few KiB).
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Where the token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `--identity-token TOKEN`.
    Argument,
    /// `--identity-token @FILE`.
    File(PathBuf),
    /// `SIGSTORE_ID_TOKEN`.
    Environment,
    /// GitHub Actions' token endpoint.
    GitHubActions,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Argument => write!(f, "--identity-token"),
            TokenSource::File(p) => write!(f, "--identity-token @{}", p.display()),
            TokenSource::Environment => write!(f, "{ENV_TOKEN}"),
            TokenSource::GitHubActions => write!(f, "GitHub Actions OIDC"),
        }
    }
}

/// A token and its (unverified) claims. `Debug` does not show the token.
#[derive(Clone)]
pub struct IdentityToken {
    raw: String,
    /// Its claims.
    pub claims: Claims,
    /// Where it came from.
    pub source: TokenSource,
}

impl std::fmt::Debug for IdentityToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityToken")
            .field("claims", &self.claims)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl IdentityToken {
    /// The compact JWT, as sent to Fulcio.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// The claims strata reads from a token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claims {
    /// `iss`.
    pub issuer: String,
    /// `sub`.
    pub subject: String,
    /// `email`.
    pub email: Option<String>,
    /// `aud`, one or several.
    pub audience: Vec<String>,
    /// `exp`, seconds since the epoch.
    pub expires: Option<i64>,
    /// GitHub Actions' `job_workflow_ref`.
    pub job_workflow_ref: Option<String>,
    /// Sigstore's OAuth2 service (Dex): `federated_claims.connector_id`,
    /// the upstream issuer Fulcio records.
    pub connector_id: Option<String>,
}

impl Claims {
    /// What the proof of possession signs: the `email` claim when there is
    /// one, else `sub` (Fulcio's rule, as cosign applies it).
    pub fn proof_subject(&self) -> &str {
        self.email.as_deref().unwrap_or(&self.subject)
    }

    /// The identity Fulcio will certify (the certificate's SAN), as far as
    /// strata knows Fulcio's public-good configuration: the email for email
    /// tokens, `https://github.com/` + `job_workflow_ref` for GitHub Actions,
    /// else `sub`. Other CI providers map their claims differently; pass
    /// the expected identity explicitly for them.
    pub fn expected_identity(&self) -> String {
        if let Some(email) = &self.email {
            return email.clone();
        }
        match &self.job_workflow_ref {
            Some(r) if self.issuer == GITHUB_ACTIONS_ISSUER => format!("https://github.com/{r}"),
            _ => self.subject.clone(),
        }
    }

    /// The OIDC issuer Fulcio will record: the upstream provider for tokens
    /// from Sigstore's OAuth2 service, else `iss`.
    pub fn expected_issuer(&self) -> String {
        match &self.connector_id {
            Some(c) if is_sigstore_dex(&self.issuer) && c.starts_with("https://") => c.clone(),
            _ => self.issuer.clone(),
        }
    }

    /// Whether the token names Sigstore's audience (public-good Fulcio
    /// refuses it otherwise).
    pub fn for_sigstore(&self) -> bool {
        self.audience.iter().any(|a| a == SIGSTORE_AUDIENCE)
    }
}

fn is_sigstore_dex(issuer: &str) -> bool {
    matches!(
        issuer,
        "https://oauth2.sigstore.dev/auth" | "https://oauth2.sigstage.dev/auth"
    )
}

fn bad_token(source: &TokenSource, msg: impl Into<String>) -> Error {
    let d = Diagnostic::error(Code::IdentityToken, msg.into())
        .help("pass an OIDC identity token for audience `sigstore` (a compact JWT: header.payload.signature)");
    Error::invalid(match source {
        TokenSource::File(p) => d.in_file(p),
        _ => d,
    })
}

/// Read a token's claims, unverified. The token must be a compact JWT with
/// `iss` and either `sub` or `email`.
pub fn parse_claims(raw: &str, source: &TokenSource) -> Result<Claims> {
    let parts: Vec<&str> = raw.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad_token(
            source,
            "not a compact JWT (three base64url parts separated by dots)",
        ));
    }
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1].trim_end_matches('='))
        .map_err(|e| bad_token(source, format!("the JWT payload is not base64url: {e}")))?;
    let v: Value = serde_json::from_slice(&payload)
        .map_err(|e| bad_token(source, format!("the JWT payload is not JSON: {e}")))?;
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let issuer = text("iss")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad_token(source, "the token has no `iss` claim"))?;
    let subject = text("sub").unwrap_or_default();
    let email = text("email").filter(|s| !s.is_empty());
    if subject.is_empty() && email.is_none() {
        return Err(bad_token(source, "the token has neither `sub` nor `email`"));
    }
    let audience = match v.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    Ok(Claims {
        issuer,
        subject,
        email,
        audience,
        expires: v.get("exp").and_then(Value::as_i64),
        job_workflow_ref: text("job_workflow_ref"),
        connector_id: v
            .get("federated_claims")
            .and_then(|f| f.get("connector_id"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// Find the token: `flag` (`TOKEN` or `@FILE`), else `SIGSTORE_ID_TOKEN`,
/// else GitHub Actions' ambient credentials (fetched through `transport`).
/// `env` reads an environment variable. The token must not have expired
/// at `now` (seconds since the epoch).
pub fn obtain(
    flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    transport: &dyn Transport,
    now: i64,
) -> Result<IdentityToken> {
    let nonempty = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let (raw, source) = if let Some(f) = flag {
        match f.strip_prefix('@') {
            Some(path) => {
                let path = Path::new(path);
                let bytes = fsutil::read_bounded(path, MAX_TOKEN_BYTES)?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    bad_token(
                        &TokenSource::File(path.into()),
                        "the token file is not UTF-8",
                    )
                })?;
                (text.trim().to_string(), TokenSource::File(path.into()))
            }
            None => (f.trim().to_string(), TokenSource::Argument),
        }
    } else if let Some(t) = nonempty(ENV_TOKEN) {
        (t.trim().to_string(), TokenSource::Environment)
    } else if let (Some(url), Some(bearer)) = (nonempty(ENV_GHA_URL), nonempty(ENV_GHA_TOKEN)) {
        (
            github_actions_token(transport, &url, &bearer)?,
            TokenSource::GitHubActions,
        )
    } else {
        return Err(Error::Usage(format!(
            "--keyless needs an OIDC identity token: pass --identity-token TOKEN (or @FILE), set {ENV_TOKEN}, or run in GitHub Actions with `permissions: id-token: write`; strata has no interactive browser login"
        )));
    };
    let claims = parse_claims(&raw, &source)?;
    if let Some(exp) = claims.expires
        && exp <= now
    {
        return Err(bad_token(
            &source,
            format!(
                "the token expired {} s ago (exp {exp}); OIDC tokens live minutes: get a fresh one",
                now - exp
            ),
        ));
    }
    Ok(IdentityToken {
        raw,
        claims,
        source,
    })
}

/// Ask the GitHub Actions runner for a token with audience `sigstore`.
fn github_actions_token(transport: &dyn Transport, url: &str, bearer: &str) -> Result<String> {
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}audience={SIGSTORE_AUDIENCE}");
    let fail =
        |msg: String| {
            Error::invalid(Diagnostic::error(Code::IdentityToken, msg).help(
                "the workflow needs `permissions: id-token: write`; or pass --identity-token",
            ))
        };
    super::check_url(&url, "GitHub Actions token endpoint")?;
    let reply = transport.get(&url, bearer).map_err(|e| {
        fail(format!(
            "cannot reach the GitHub Actions token endpoint: {e}"
        ))
    })?;
    if reply.status != 200 {
        return Err(fail(format!(
            "the GitHub Actions token endpoint answered HTTP {}: {}",
            http_status_text(reply.status),
            super::error_message(&reply.body)
        )));
    }
    let v: Value = serde_json::from_slice(&reply.body).map_err(|e| {
        fail(format!(
            "the GitHub Actions token endpoint sent no JSON: {e}"
        ))
    })?;
    v.get("value")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| fail("the GitHub Actions token endpoint sent no `value`".into()))
}

#[cfg(test)]
mod tests {
    use super::super::Reply;
    use super::*;
    use std::cell::RefCell;

    fn jwt(claims: &Value) -> String {
        let b = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        format!(
            "{}.{}.{}",
            b(br#"{"alg":"RS256"}"#),
            b(claims.to_string().as_bytes()),
            b(b"sig")
        )
    }

    /// A transport that answers GETs with a fixed reply and records URLs.
    struct Fake {
        reply: Reply,
        seen: RefCell<Vec<(String, String)>>,
    }

    impl Transport for Fake {
        fn post_json(&self, _: &str, _: &[u8]) -> std::result::Result<Reply, String> {
            Err("no POST expected".into())
        }
        fn get(&self, url: &str, bearer: &str) -> std::result::Result<Reply, String> {
            self.seen.borrow_mut().push((url.into(), bearer.into()));
            Ok(self.reply.clone())
        }
    }

    fn fake(status: u16, body: &str) -> Fake {
        Fake {
            reply: Reply {
                status,
                body: body.as_bytes().to_vec(),
            },
            seen: RefCell::new(Vec::new()),
        }
    }

    #[test]
    fn claims_give_the_identity_fulcio_certifies() {
        let src = TokenSource::Argument;
        let email = parse_claims(
            &jwt(&serde_json::json!({"iss": "https://oauth2.sigstore.dev/auth", "sub": "123", "email": "a@example.com", "aud": "sigstore", "federated_claims": {"connector_id": "https://github.com/login/oauth"}})),
            &src,
        )
        .unwrap();
        assert_eq!(email.proof_subject(), "a@example.com");
        assert_eq!(email.expected_identity(), "a@example.com");
        assert_eq!(email.expected_issuer(), "https://github.com/login/oauth");
        assert!(email.for_sigstore());
        let gha = parse_claims(
            &jwt(&serde_json::json!({"iss": GITHUB_ACTIONS_ISSUER, "sub": "repo:o/r:ref:refs/heads/main", "aud": ["sigstore"], "job_workflow_ref": "o/r/.github/workflows/rel.yml@refs/heads/main"})),
            &src,
        )
        .unwrap();
        assert_eq!(gha.proof_subject(), "repo:o/r:ref:refs/heads/main");
        assert_eq!(
            gha.expected_identity(),
            "https://github.com/o/r/.github/workflows/rel.yml@refs/heads/main"
        );
        assert_eq!(gha.expected_issuer(), GITHUB_ACTIONS_ISSUER);
        let other = parse_claims(
            &jwt(&serde_json::json!({"iss": "https://x.test", "sub": "svc", "aud": "other"})),
            &src,
        )
        .unwrap();
        assert_eq!(other.expected_identity(), "svc");
        assert!(!other.for_sigstore());
    }

    #[test]
    fn malformed_tokens_are_refused_with_reasons() {
        let src = TokenSource::Argument;
        for (raw, why) in [
            ("abc", "compact JWT"),
            ("a..c", "compact JWT"),
            ("a.!!!.c", "base64url"),
            (&jwt(&serde_json::json!({"sub": "x"})), "`iss`"),
            (
                &jwt(&serde_json::json!({"iss": "https://x.test"})),
                "neither",
            ),
        ] {
            let e = parse_claims(raw, &src).unwrap_err().to_string();
            assert!(e.contains(why), "{raw}: {e}");
        }
    }

    #[test]
    fn sources_in_order_and_expiry() {
        let t1 = jwt(&serde_json::json!({"iss": "https://a.test", "sub": "one", "exp": 2000}));
        let t2 = jwt(&serde_json::json!({"iss": "https://a.test", "sub": "two"}));
        let none = fake(500, "");
        let env_with = |k: &str| (k == ENV_TOKEN).then(|| t2.clone());
        let tok = obtain(Some(&t1), &env_with, &none, 1000).unwrap();
        assert_eq!(
            (tok.claims.subject.as_str(), &tok.source),
            ("one", &TokenSource::Argument)
        );
        let tok = obtain(None, &env_with, &none, 1000).unwrap();
        assert_eq!(
            (tok.claims.subject.as_str(), &tok.source),
            ("two", &TokenSource::Environment)
        );
        assert!(!format!("{tok:?}").contains(&t2), "Debug hides the token");
        let e = obtain(Some(&t1), &env_with, &none, 2000)
            .unwrap_err()
            .to_string();
        assert!(e.contains("expired"), "{e}");
        let e = obtain(None, &|_| None, &none, 0).unwrap_err();
        assert!(matches!(e, Error::Usage(_)), "{e}");
        assert!(e.to_string().contains("no interactive browser login"));
    }

    #[test]
    fn github_actions_token_is_requested_for_sigstore() {
        let tok = jwt(&serde_json::json!({"iss": GITHUB_ACTIONS_ISSUER, "sub": "repo:o/r"}));
        let f = fake(200, &serde_json::json!({"value": tok}).to_string());
        let env = |k: &str| match k {
            ENV_GHA_URL => Some("http://127.0.0.1:9/token?api-version=2.0".to_string()),
            ENV_GHA_TOKEN => Some("bearer-x".to_string()),
            _ => None,
        };
        let got = obtain(None, &env, &f, 0).unwrap();
        assert_eq!(got.source, TokenSource::GitHubActions);
        assert_eq!(
            f.seen.borrow().as_slice(),
            &[(
                "http://127.0.0.1:9/token?api-version=2.0&audience=sigstore".to_string(),
                "bearer-x".to_string()
            )]
        );
        let e = obtain(
            None,
            &env,
            &fake(403, r#"{"message":"no id-token permission"}"#),
            0,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("HTTP 403") && e.contains("no id-token permission"),
            "{e}"
        );
    }
}
