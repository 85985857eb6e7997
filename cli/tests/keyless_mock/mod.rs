//! Local mock Fulcio (v2 `signingCert`), Rekor (v1 `log/entries`, `dsse`
//! 0.0.1) and GitHub Actions token endpoint for the keyless signing tests.
//!
//! One plain-HTTP listener on 127.0.0.1 (a `TcpListener` in a thread)
//! routes by path. The mocks are built on `sigstore_pki`'s test world: the
//! mock Fulcio checks the proof of possession and issues a leaf for the
//! submitted key with an embedded SCT from the test CT log; the mock Rekor
//! checks the envelope's signature against the submitted certificate,
//! computes the `dsse` 0.0.1 body as Rekor does, and answers with an
//! inclusion proof, a signed checkpoint and a SET from the test log key.
//! Modes make each service misbehave in one way.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use sigstore_types::{DerCertificate, DerPublicKey, SignatureBytes};
use sigstore_verify::crypto::SigningScheme;

use crate::sigstore_pki::{
    EntryOpts, IDENTITY, ISSUER, LeafSpec, LogKey, World, b64, log_entry, sha256,
};

pub fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// An unsigned JWT with these claims (Fulcio, not strata, checks the
/// signature; the mock Fulcio does not).
pub fn jwt(claims: &Value) -> String {
    let b = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b(br#"{"alg":"RS256","kid":"test"}"#),
        b(claims.to_string().as_bytes()),
        b(b"not-checked-by-the-mock")
    )
}

/// A token for the world's identity and issuer, valid ten minutes.
pub fn token() -> String {
    jwt(
        &json!({"iss": ISSUER, "sub": IDENTITY, "aud": "sigstore", "exp": jiff::Timestamp::now().as_second() + 600}),
    )
}

fn claims_of(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}

/// The bearer the mock GitHub Actions token endpoint accepts.
pub const GHA_BEARER: &str = "runner-request-token";

#[derive(Clone, Copy, PartialEq)]
pub enum FulcioMode {
    Honest,
    Unauthorized,
    /// Certify someone else than the token names.
    OtherIdentity,
    /// Certify a different key than the one submitted.
    OtherKey,
}

#[derive(Clone, Copy, PartialEq)]
pub enum RekorMode {
    Honest,
    /// From the n-th entry on (0-based), log another payload's hash.
    OtherPayloadFrom(usize),
    /// Flip a bit of the SET.
    BadSet,
    /// Answer HTTP 500.
    Broken,
}

/// One request as the mock saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub bearer: Option<String>,
    pub body: Vec<u8>,
}

pub struct Mock {
    pub world: World,
    fulcio: FulcioMode,
    rekor: RekorMode,
    seen: Mutex<Vec<Seen>>,
}

/// The mock servers (one listener routes by path) and the world behind them.
pub struct Servers {
    pub url: String,
    pub mock: Arc<Mock>,
}

impl Servers {
    pub fn start(fulcio: FulcioMode, rekor: RekorMode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mock = Arc::new(Mock {
            world: World::new(),
            fulcio,
            rekor,
            seen: Mutex::new(Vec::new()),
        });
        let m = mock.clone();
        std::thread::spawn(move || {
            // Serves until the test process exits; each connection has
            // read and write timeouts, so a stuck client cannot hang it.
            for stream in listener.incoming().flatten() {
                let _ = serve(&m, stream);
            }
        });
        Servers { url, mock }
    }

    pub fn seen(&self, path_prefix: &str) -> Vec<Seen> {
        self.mock
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path.starts_with(path_prefix))
            .cloned()
            .collect()
    }
}

fn serve(mock: &Mock, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    );
    let mut length = 0usize;
    let mut bearer = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        let (k, v) = h.split_once(':').unwrap_or((&h, ""));
        let v = v.trim();
        match k.to_ascii_lowercase().as_str() {
            "content-length" => length = v.parse().unwrap_or(0),
            "authorization" => bearer = v.strip_prefix("Bearer ").map(str::to_string),
            _ => {}
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    mock.seen.lock().unwrap().push(Seen {
        path: path.clone(),
        bearer: bearer.clone(),
        body: body.clone(),
    });
    let (status, answer) = match (method.as_str(), path.as_str()) {
        ("POST", "/api/v2/signingCert") => fulcio(mock, &body),
        ("POST", "/api/v1/log/entries") => rekor(mock, &body),
        ("GET", p) if p.starts_with("/token?") => gha_token(&path, bearer.as_deref()),
        _ => (404, json!({"message": "no such endpoint"})),
    };
    let text = answer.to_string();
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )?;
    out.flush()
}

fn fulcio(mock: &Mock, body: &[u8]) -> (u16, Value) {
    if mock.fulcio == FulcioMode::Unauthorized {
        return (
            401,
            json!({"code": 16, "message": "There was an error processing the identity token"}),
        );
    }
    let req: Value = serde_json::from_slice(body).unwrap();
    let token = req["credentials"]["oidcIdentityToken"].as_str().unwrap();
    let claims = claims_of(token);
    let key_pem = req["publicKeyRequest"]["publicKey"]["content"]
        .as_str()
        .unwrap();
    assert_eq!(req["publicKeyRequest"]["publicKey"]["algorithm"], "ECDSA");
    let spki = DerPublicKey::from_pem(key_pem).unwrap();
    // Fulcio's proof of possession: a signature over the email, else `sub`.
    let email = claims["email"].as_str();
    let challenge = email.unwrap_or_else(|| claims["sub"].as_str().unwrap());
    let proof = unb64(
        req["publicKeyRequest"]["proofOfPossession"]
            .as_str()
            .unwrap(),
    );
    if sigstore_verify::crypto::verify_signature(
        &spki,
        challenge.as_bytes(),
        &SignatureBytes::new(proof),
        SigningScheme::EcdsaP256Sha256,
    )
    .is_err()
    {
        return (
            400,
            json!({"code": 3, "message": "invalid proof of possession"}),
        );
    }
    let w = &mock.world;
    let san = match (mock.fulcio, email) {
        (FulcioMode::OtherIdentity, _) => {
            rcgen::SanType::URI("https://ci.example.test/someone/else".try_into().unwrap())
        }
        (_, Some(e)) => rcgen::SanType::Rfc822Name(e.try_into().unwrap()),
        (_, None) => rcgen::SanType::URI(claims["sub"].as_str().unwrap().try_into().unwrap()),
    };
    let other_key = LogKey::new();
    let spki_bytes = if mock.fulcio == FulcioMode::OtherKey {
        other_key.spki()
    } else {
        spki.as_bytes().to_vec()
    };
    let leaf = w.fulcio.issue_for_spki(
        &LeafSpec {
            san,
            issuer: claims["iss"].as_str(),
            not_before: w.minutes(-1),
            not_after: w.minutes(10),
            code_signing: true,
            sct: true,
        },
        Some(&w.ct),
        &spki_bytes,
    );
    let pem = |der: &[u8]| pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec()));
    (
        201,
        json!({"signedCertificateEmbeddedSct": {"chain": {"certificates": [pem(&leaf), w.fulcio.pem()]}}}),
    )
}

fn rekor(mock: &Mock, body: &[u8]) -> (u16, Value) {
    if mock.rekor == RekorMode::Broken {
        return (
            500,
            json!({"code": 500, "message": "error communicating with backend"}),
        );
    }
    let n = mock
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.path == "/api/v1/log/entries")
        .count()
        - 1;
    let req: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        (req["kind"].as_str(), req["apiVersion"].as_str()),
        (Some("dsse"), Some("0.0.1"))
    );
    let content = &req["spec"]["proposedContent"];
    let envelope_text = content["envelope"].as_str().unwrap();
    let envelope: Value = serde_json::from_str(envelope_text).unwrap();
    let verifier = content["verifiers"][0].as_str().unwrap();
    let cert_pem = String::from_utf8(unb64(verifier)).unwrap();
    let cert = DerCertificate::from_pem(&cert_pem).unwrap();
    let info = sigstore_verify::crypto::parse_certificate_info(&cert).unwrap();
    let payload = unb64(envelope["payload"].as_str().unwrap());
    let payload_type = envelope["payloadType"].as_str().unwrap();
    let sig_b64 = envelope["signatures"][0]["sig"].as_str().unwrap();
    // Rekor refuses an envelope the verifier did not sign.
    if sigstore_verify::crypto::verify_signature(
        &info.public_key,
        &sigstore_types::pae(payload_type, &payload),
        &SignatureBytes::new(unb64(sig_b64)),
        SigningScheme::EcdsaP256Sha256,
    )
    .is_err()
    {
        return (400, json!({"code": 400, "message": "verification failed"}));
    }
    let logged: Vec<u8> = match mock.rekor {
        RekorMode::OtherPayloadFrom(k) if n >= k => b"another payload".to_vec(),
        _ => payload,
    };
    let canonical = serde_json::to_vec(&json!({
        "apiVersion": "0.0.1",
        "kind": "dsse",
        "spec": {
            "envelopeHash": {"algorithm": "sha256", "value": hex::encode(sha256(envelope_text.as_bytes()))},
            "payloadHash": {"algorithm": "sha256", "value": hex::encode(sha256(&logged))},
            "signatures": [{"signature": sig_b64, "verifier": verifier}]
        }
    }))
    .unwrap();
    let l = log_entry(
        &mock.world,
        &canonical,
        &EntryOpts {
            integrated: 0,
            ..EntryOpts::default()
        },
    );
    let mut set = l.set;
    if mock.rekor == RekorMode::BadSet {
        let i = set.len() / 2;
        set[i] ^= 1;
    }
    let uuid = hex::encode(sha256(&canonical));
    (
        201,
        json!({uuid: {
            "body": b64(&canonical),
            "integratedTime": l.integrated,
            "logID": hex::encode(l.log_id),
            "logIndex": 0,
            "verification": {
                "inclusionProof": {
                    "checkpoint": l.checkpoint,
                    "hashes": [hex::encode(l.other)],
                    "logIndex": 0,
                    "rootHash": hex::encode(l.root),
                    "treeSize": 2
                },
                "signedEntryTimestamp": b64(&set)
            }
        }}),
    )
}

/// GitHub Actions' token endpoint: a token for audience `sigstore`.
fn gha_token(path: &str, bearer: Option<&str>) -> (u16, Value) {
    if bearer != Some(GHA_BEARER) || !path.ends_with("&audience=sigstore") {
        return (403, json!({"message": "bad request token or audience"}));
    }
    (200, json!({"value": token()}))
}
