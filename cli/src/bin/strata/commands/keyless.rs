//! The `--keyless` options shared by `strata sign` and `strata model sign`,
//! and starting a keyless session from them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use strata::diag::Result;
use strata::sigstore::keyless::{self, Endpoints, Expected, Session, http::UreqTransport};
use strata::sigstore::trust::{self, RootChoice};

use crate::output;

/// Sigstore keyless signing options.
#[derive(Debug, Args)]
pub struct KeylessArgs {
    /// Sign with Sigstore (Fulcio, Rekor): needs the network and an OIDC
    /// token.
    #[arg(long, conflicts_with_all = ["key", "cert", "chain"])]
    pub keyless: bool,
    /// OIDC identity token for --keyless, or @FILE to read it from a file.
    #[arg(long, value_name = "TOKEN|@FILE", requires = "keyless")]
    pub identity_token: Option<String>,
    /// Fulcio's base URL.
    #[arg(long, value_name = "URL", requires = "keyless", default_value = keyless::DEFAULT_FULCIO_URL)]
    pub fulcio_url: String,
    /// Rekor's base URL.
    #[arg(long, value_name = "URL", requires = "keyless", default_value = keyless::DEFAULT_REKOR_URL)]
    pub rekor_url: String,
    /// Trusted root (`trusted_root.json`) the keyless bundle is verified
    /// against before it is written; the embedded public-good root by
    /// default.
    #[arg(long, value_name = "FILE", requires = "keyless")]
    pub trusted_root: Option<PathBuf>,
    /// Identity the certificate must name, when Fulcio derives it from the
    /// token differently than strata expects (default: the token's email,
    /// GitHub Actions' workflow ref, else `sub`).
    #[arg(long, value_name = "SAN", requires = "keyless")]
    pub expect_identity: Option<String>,
    /// OIDC issuer the certificate must name (default: the token's `iss`).
    #[arg(long, value_name = "URL", requires = "keyless")]
    pub expect_issuer: Option<String>,
    /// Give up on each request to Fulcio, Rekor or the token endpoint after
    /// this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "keyless",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

impl KeylessArgs {
    /// The HTTP transport with the chosen timeout.
    pub fn transport(&self) -> UreqTransport {
        UreqTransport::new(Duration::from_secs(self.timeout))
    }

    /// Load the trusted root, obtain the token, and get an ephemeral key
    /// certified by Fulcio. Returns the session and the trusted root's name.
    pub fn session<'a>(&self, transport: &'a UreqTransport) -> Result<(Session<'a>, String)> {
        let root = trust::load_root(&match &self.trusted_root {
            Some(p) => RootChoice::File(p.clone()),
            None => RootChoice::PublicGood,
        })?;
        let root_source = root.source.clone();
        keyless::check_url(&self.fulcio_url, "Fulcio")?;
        keyless::check_url(&self.rekor_url, "Rekor")?;
        let token = keyless::token::obtain(
            self.identity_token.as_deref(),
            &|k| std::env::var(k).ok(),
            transport,
            crate::args::wall_clock().unix_seconds(),
        )?;
        let expected = Expected::from_token(
            &token,
            self.expect_identity.as_deref(),
            self.expect_issuer.as_deref(),
        );
        output::status(&format!(
            "keyless: signing as {} (issuer {}), token from {}",
            expected.identity, expected.issuer, token.source
        ));
        if !token.claims.for_sigstore() {
            output::status(&format!(
                "warning: the token's audience is {:?}, not `sigstore`; public-good Fulcio will refuse it",
                token.claims.audience
            ));
        }
        let endpoints = Endpoints {
            fulcio: self.fulcio_url.clone(),
            rekor: self.rekor_url.clone(),
        };
        let session = Session::begin(
            transport,
            endpoints,
            &token,
            expected,
            root,
            &super::SystemClock,
        )?;
        output::status(&format!(
            "keyless: Fulcio ({}) certified an ephemeral P-256 key until {}",
            self.fulcio_url, session.not_after
        ));
        Ok((session, root_source))
    }
}
