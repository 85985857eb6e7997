//! The network: strata's one HTTP client, a blocking `ureq` agent behind
//! the [`Transport`] trait.
//!
//! TLS is rustls with the aws-lc-rs provider (the crypto library strata
//! already links) and the Mozilla root store compiled in (`webpki-roots`),
//! so the binary needs no system certificate store. Proxies are taken from
//! `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` as usual. Every call has one
//! overall timeout; redirects are not followed (a POST must not be
//! replayed elsewhere); answers are read up to [`MAX_REPLY_BYTES`].
//!
//! Nothing else in strata opens a connection.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

use super::{Reply, Transport};

/// Largest answer read: 4 MiB (certificate chains and log entries are a few
/// KiB).
pub const MAX_REPLY_BYTES: u64 = 4 * 1024 * 1024;

/// A blocking HTTPS client.
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl std::fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UreqTransport").finish_non_exhaustive()
    }
}

impl UreqTransport {
    /// A client whose every call gives up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(RootCerts::WebPki)
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("strata/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        UreqTransport { agent }
    }

    fn read(resp: ureq::http::Response<ureq::Body>) -> Result<Reply, String> {
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .into_with_config()
            .limit(MAX_REPLY_BYTES)
            .read_to_vec()
            .map_err(describe)?;
        Ok(Reply { status, body })
    }
}

impl Transport for UreqTransport {
    fn post_json(&self, url: &str, body: &[u8]) -> Result<Reply, String> {
        let resp = self
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .send(body)
            .map_err(describe)?;
        Self::read(resp)
    }

    fn get(&self, url: &str, bearer: &str) -> Result<Reply, String> {
        let resp = self
            .agent
            .get(url)
            .header("Accept", "application/json")
            .header("Authorization", format!("Bearer {bearer}"))
            .call()
            .map_err(describe)?;
        Self::read(resp)
    }
}

/// A transport failure in words.
fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found (DNS)".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(io) => format!("connection failed: {io}"),
        ureq::Error::BodyExceedsLimit(n) => {
            format!("the answer is larger than {n} bytes")
        }
        other => other.to_string(),
    }
}
