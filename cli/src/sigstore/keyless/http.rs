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
    /// A client whose every call gives up after `timeout`, trusting the
    /// Mozilla root store for TLS.
    pub fn new(timeout: Duration) -> Self {
        Self::with_roots(timeout, RootCerts::WebPki)
    }

    fn with_roots(timeout: Duration, roots: RootCerts) -> Self {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(roots)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A one-connection HTTPS server on 127.0.0.1 with a fresh self-signed
    /// certificate; returns its URL and the certificate (DER).
    fn tls_server() -> (String, Vec<u8>, std::thread::JoinHandle<()>) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let der = cert.der().to_vec();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![rustls::pki_types::CertificateDer::from(der.clone())],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}/token?x=1", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let Ok((tcp, _)) = listener.accept() else {
                return;
            };
            tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => return,
                }
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            let body = if head.contains("authorization: bearer secret") {
                r#"{"value":"ok"}"#
            } else {
                r#"{"value":"no bearer"}"#
            };
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.flush();
            tls.conn.send_close_notify();
            let _ = tls.flush();
        });
        (url, der, handle)
    }

    #[test]
    fn tls_works_with_a_trusted_certificate_and_refuses_an_unknown_one() {
        let (url, der, h) = tls_server();
        let roots = RootCerts::from(vec![ureq::tls::Certificate::from_der(&der).to_owned()]);
        let t = UreqTransport::with_roots(Duration::from_secs(10), roots);
        let reply = t.get(&url, "secret").unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, br#"{"value":"ok"}"#);
        h.join().unwrap();

        let (url, _, h) = tls_server();
        let e = UreqTransport::new(Duration::from_secs(10))
            .get(&url, "secret")
            .unwrap_err();
        assert!(
            e.contains("UnknownIssuer") || e.contains("certificate"),
            "{e}"
        );
        h.join().unwrap();
    }
}
