//! `strata sign --keyless` against local mock Fulcio and Rekor servers.
//!
//! The mocks speak plain HTTP on 127.0.0.1 (a `TcpListener` in a thread)
//! and are built on `sigstore_pki`'s test world: the mock Fulcio checks the
//! proof of possession and issues a leaf for the submitted key with an
//! embedded SCT from the test CT log; the mock Rekor checks the envelope's
//! signature against the submitted certificate, computes the `dsse` 0.0.1
//! body as Rekor does, and answers with an inclusion proof, a signed
//! checkpoint and a SET from the test log key. The real `strata` binary
//! signs, and `strata verify` checks the result. Nothing here reaches the
//! public-good services.

mod common;
mod sigstore_pki;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use common::strata;
use serde_json::{Value, json};
use sigstore_pki::{EntryOpts, IDENTITY, ISSUER, LeafSpec, LogKey, World, b64, log_entry, sha256};
use sigstore_types::{DerCertificate, DerPublicKey, SignatureBytes};
use sigstore_verify::crypto::SigningScheme;

/// A small CycloneDX BOM naming device `test-phone`.
const BOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"device","bom-ref":"device:test-phone","name":"Test Phone","properties":[{"name":"strata:device:id","value":"test-phone"}]}}}"#;

const GHA_BEARER: &str = "runner-request-token";

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// An unsigned JWT with these claims (Fulcio, not strata, checks the
/// signature; the mock Fulcio does not).
fn jwt(claims: &Value) -> String {
    let b = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b(br#"{"alg":"RS256","kid":"test"}"#),
        b(claims.to_string().as_bytes()),
        b(b"not-checked-by-the-mock")
    )
}

fn token() -> String {
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

#[derive(Clone, Copy, PartialEq)]
enum FulcioMode {
    Honest,
    Unauthorized,
    /// Certify someone else than the token names.
    OtherIdentity,
    /// Certify a different key than the one submitted.
    OtherKey,
}

#[derive(Clone, Copy, PartialEq)]
enum RekorMode {
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
struct Seen {
    path: String,
    bearer: Option<String>,
    body: Vec<u8>,
}

struct Mock {
    world: World,
    fulcio: FulcioMode,
    rekor: RekorMode,
    seen: Mutex<Vec<Seen>>,
}

/// The mock servers (one listener routes by path) and the world behind them.
struct Servers {
    url: String,
    mock: Arc<Mock>,
}

impl Servers {
    fn start(fulcio: FulcioMode, rekor: RekorMode) -> Self {
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

    fn seen(&self, path_prefix: &str) -> Vec<Seen> {
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

/// A scratch directory with the BOM and the world's trusted root.
struct Case {
    dir: tempfile::TempDir,
    servers: Servers,
}

impl Case {
    fn new(fulcio: FulcioMode, rekor: RekorMode) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let servers = Servers::start(fulcio, rekor);
        std::fs::write(dir.path().join("bom.cdx.json"), BOM).unwrap();
        std::fs::write(
            dir.path().join("root.json"),
            servers.mock.world.default_root(),
        )
        .unwrap();
        Case { dir, servers }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `strata sign --keyless` with the mocks and the test root, and no
    /// token in the environment.
    fn sign(&self, files: &[&str], extra: &[&str]) -> std::process::Output {
        self.sign_at(&self.servers.url, &self.servers.url, files, extra)
    }

    /// The same with other Fulcio and Rekor URLs.
    fn sign_at(
        &self,
        fulcio: &str,
        rekor: &str,
        files: &[&str],
        extra: &[&str],
    ) -> std::process::Output {
        let mut cmd = strata(self.dir.path());
        cmd.env_remove("SIGSTORE_ID_TOKEN")
            .env_remove("ACTIONS_ID_TOKEN_REQUEST_URL")
            .env_remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
            .arg("sign")
            .args(files)
            .args([
                "--keyless",
                "--fulcio-url",
                fulcio,
                "--rekor-url",
                rekor,
                "--trusted-root",
                "root.json",
            ])
            .args(extra);
        cmd.output().unwrap()
    }

    fn verify(&self, bundle: &str, file: &str, identity: &str, root: bool) -> std::process::Output {
        let mut args = vec![
            "verify",
            bundle,
            file,
            "--identity",
            identity,
            "--issuer",
            ISSUER,
        ];
        if root {
            args.extend(["--trusted-root", "root.json"]);
        }
        strata(self.dir.path()).args(&args).output().unwrap()
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn keyless_sign_then_verify_round_trips() {
    let c = Case::new(FulcioMode::Honest, RekorMode::Honest);
    let out = c.sign(&["bom.cdx.json"], &["--identity-token", &token()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "signing as {IDENTITY} (issuer {ISSUER}), token from --identity-token"
        )),
        "{err}"
    );
    assert!(err.contains("logged in Rekor"), "{err}");

    let bundle: Value =
        serde_json::from_slice(&std::fs::read(c.path("bom.sigstore.json")).unwrap()).unwrap();
    assert_eq!(
        bundle["mediaType"],
        "application/vnd.dev.sigstore.bundle.v0.3+json"
    );
    let vm = &bundle["verificationMaterial"];
    assert!(vm["certificate"]["rawBytes"].is_string());
    let entries = vm["tlogEntries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0]["kindVersion"],
        json!({"kind": "dsse", "version": "0.0.1"})
    );
    assert!(entries[0]["inclusionPromise"]["signedEntryTimestamp"].is_string());
    assert!(
        entries[0]["inclusionProof"]["checkpoint"]["envelope"]
            .as_str()
            .unwrap()
            .starts_with("rekor.example.test - 42\n2\n")
    );
    let statement: Value =
        serde_json::from_slice(&unb64(bundle["dsseEnvelope"]["payload"].as_str().unwrap()))
            .unwrap();
    assert_eq!(statement["subject"][0]["name"], "device:test-phone");
    assert_eq!(statement["predicateType"], "https://cyclonedx.org/bom");

    // What strata sent: the token, and Rekor got the certificate Fulcio issued.
    let f = c.servers.seen("/api/v2/signingCert");
    assert_eq!(f.len(), 1);
    let req: Value = serde_json::from_slice(&f[0].body).unwrap();
    assert_eq!(
        req["credentials"]["oidcIdentityToken"]
            .as_str()
            .unwrap()
            .split('.')
            .count(),
        3
    );
    let r = c.servers.seen("/api/v1/log/entries");
    assert_eq!(r.len(), 1);
    let req: Value = serde_json::from_slice(&r[0].body).unwrap();
    let verifier = unb64(
        req["spec"]["proposedContent"]["verifiers"][0]
            .as_str()
            .unwrap(),
    );
    let sent = DerCertificate::from_pem(std::str::from_utf8(&verifier).unwrap()).unwrap();
    assert_eq!(
        b64(sent.as_bytes()),
        vm["certificate"]["rawBytes"].as_str().unwrap()
    );

    // strata verify agrees, and pins the identity and the trusted root.
    let out = c.verify("bom.sigstore.json", "bom.cdx.json", IDENTITY, true);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let out = c.verify(
        "bom.sigstore.json",
        "bom.cdx.json",
        "https://ci.example.test/other",
        true,
    );
    assert_eq!(code(&out), 1);
    let out = c.verify("bom.sigstore.json", "bom.cdx.json", IDENTITY, false);
    assert_eq!(code(&out), 1, "the test CA is not in the public-good root");
}

#[test]
fn email_tokens_sign_as_the_email_and_tokens_come_from_env_or_file() {
    let c = Case::new(FulcioMode::Honest, RekorMode::Honest);
    let email = jwt(
        &json!({"iss": ISSUER, "sub": "1234567890", "email": "release@example.test", "aud": ["sigstore"]}),
    );
    std::fs::write(c.path("token.jwt"), format!("{email}\n")).unwrap();
    let out = c.sign(&["bom.cdx.json"], &["--identity-token", "@token.jwt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("signing as release@example.test"),
        "{}",
        stderr(&out)
    );
    let out = c.verify(
        "bom.sigstore.json",
        "bom.cdx.json",
        "release@example.test",
        true,
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));

    std::fs::remove_file(c.path("bom.sigstore.json")).unwrap();
    let out = {
        let mut cmd = strata(c.dir.path());
        cmd.env("SIGSTORE_ID_TOKEN", token()).args([
            "sign",
            "bom.cdx.json",
            "--keyless",
            "--fulcio-url",
            &c.servers.url,
            "--rekor-url",
            &c.servers.url,
            "--trusted-root",
            "root.json",
        ]);
        cmd.output().unwrap()
    };
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("token from SIGSTORE_ID_TOKEN"),
        "{}",
        stderr(&out)
    );
    assert!(c.path("bom.sigstore.json").exists());
}

#[test]
fn github_actions_ambient_credentials_are_used() {
    let c = Case::new(FulcioMode::Honest, RekorMode::Honest);
    let run = |bearer: &str| {
        let mut cmd = strata(c.dir.path());
        cmd.env_remove("SIGSTORE_ID_TOKEN")
            .env(
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                format!("{}/token?api-version=2.0", c.servers.url),
            )
            .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", bearer)
            .args([
                "sign",
                "bom.cdx.json",
                "--keyless",
                "--fulcio-url",
                &c.servers.url,
                "--rekor-url",
                &c.servers.url,
                "--trusted-root",
                "root.json",
            ]);
        cmd.output().unwrap()
    };
    let out = run("wrong");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("GitHub Actions token endpoint answered HTTP 403"),
        "{}",
        stderr(&out)
    );
    assert!(
        c.servers.seen("/api/").is_empty(),
        "no Fulcio call without a token"
    );
    let out = run(GHA_BEARER);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("token from GitHub Actions OIDC"),
        "{}",
        stderr(&out)
    );
    let t = c.servers.seen("/token");
    assert_eq!(t.last().unwrap().bearer.as_deref(), Some(GHA_BEARER));
}

#[test]
fn fulcio_refusing_the_token_is_an_error_naming_fulcio_and_the_status() {
    let c = Case::new(FulcioMode::Unauthorized, RekorMode::Honest);
    let out = c.sign(&["bom.cdx.json"], &["--identity-token", &token()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("error[fulcio]: Fulcio answered HTTP 401 Unauthorized"),
        "{err}"
    );
    assert!(
        err.contains("There was an error processing the identity token"),
        "{err}"
    );
    assert!(err.contains(&c.servers.url), "{err}");
    assert!(!c.path("bom.sigstore.json").exists());
    assert!(c.servers.seen("/api/v1/log").is_empty(), "nothing logged");
}

#[test]
fn a_certificate_for_another_identity_or_key_is_refused_before_logging() {
    for (mode, why) in [
        (
            FulcioMode::OtherIdentity,
            "Fulcio certified `https://ci.example.test/someone/else`",
        ),
        (FulcioMode::OtherKey, "another public key"),
    ] {
        let c = Case::new(mode, RekorMode::Honest);
        let out = c.sign(&["bom.cdx.json"], &["--identity-token", &token()]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
        assert!(c.servers.seen("/api/v1/log").is_empty());
        assert!(!c.path("bom.sigstore.json").exists());
    }
    // --expect-identity accepts a mapping strata does not know.
    let c = Case::new(FulcioMode::OtherIdentity, RekorMode::Honest);
    let out = c.sign(
        &["bom.cdx.json"],
        &[
            "--identity-token",
            &token(),
            "--expect-identity",
            "https://ci.example.test/someone/else",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_bad_rekor_entry_is_never_written() {
    for (mode, check) in [
        (RekorMode::OtherPayloadFrom(0), "tlog-entry"),
        (RekorMode::BadSet, "set"),
    ] {
        let c = Case::new(FulcioMode::Honest, mode);
        let out = c.sign(&["bom.cdx.json"], &["--identity-token", &token()]);
        let err = stderr(&out);
        assert_eq!(code(&out), 1, "{err}");
        assert!(err.contains("error[keyless-not-verified]"), "{err}");
        assert!(
            err.contains(&format!("  FAIL  {check}  ")),
            "{check}: {err}"
        );
        assert!(err.contains("nothing was written"), "{err}");
        assert!(!c.path("bom.sigstore.json").exists());
    }
}

#[test]
fn one_bad_file_means_no_file_is_written() {
    let c = Case::new(FulcioMode::Honest, RekorMode::OtherPayloadFrom(1));
    std::fs::write(c.path("notes.txt"), "release notes\n").unwrap();
    let out = c.sign(
        &["bom.cdx.json", "notes.txt"],
        &["--identity-token", &token()],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        !c.path("bom.sigstore.json").exists(),
        "the good one is not written either"
    );
    assert!(!c.path("notes.txt.sigstore.json").exists());
    assert_eq!(
        c.servers.seen("/api/v2/signingCert").len(),
        1,
        "one certificate for all files"
    );
    assert_eq!(c.servers.seen("/api/v1/log/entries").len(), 2);
}

#[test]
fn rekor_errors_and_unreachable_services_name_the_service() {
    let c = Case::new(FulcioMode::Honest, RekorMode::Broken);
    let out = c.sign(&["bom.cdx.json"], &["--identity-token", &token()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("error[rekor]: Rekor answered HTTP 500 Internal Server Error: error communicating with backend"), "{}", stderr(&out));

    // A closed port: connection refused.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let c = Case::new(FulcioMode::Honest, RekorMode::Honest);
    let out = c.sign_at(
        &c.servers.url,
        &closed,
        &["bom.cdx.json"],
        &["--identity-token", &token()],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("error[rekor]: cannot reach Rekor"),
        "{}",
        stderr(&out)
    );

    // A server that accepts and never answers: the timeout ends the wait.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let start = std::time::Instant::now();
    let out = c.sign_at(
        &silent_url,
        &c.servers.url,
        &["bom.cdx.json"],
        &["--identity-token", &token(), "--timeout", "1"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("error[fulcio]: cannot reach Fulcio: timed out"),
        "{}",
        stderr(&out)
    );
    assert!(start.elapsed() < Duration::from_secs(20));
    drop(silent);
}

#[test]
fn token_and_url_problems_are_usage_or_input_errors() {
    let c = Case::new(FulcioMode::Honest, RekorMode::Honest);
    let out = c.sign(&["bom.cdx.json"], &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("--keyless needs an OIDC identity token"),
        "{err}"
    );
    assert!(err.contains("no interactive browser login"), "{err}");

    let expired =
        jwt(&json!({"iss": ISSUER, "sub": IDENTITY, "aud": "sigstore", "exp": 1_000_000_000}));
    let out = c.sign(&["bom.cdx.json"], &["--identity-token", &expired]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("the token expired"),
        "{}",
        stderr(&out)
    );

    let out = c.sign_at(
        "http://fulcio.example.test",
        &c.servers.url,
        &["bom.cdx.json"],
        &["--identity-token", &token()],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("plain http:// is only allowed to this machine"),
        "{}",
        stderr(&out)
    );

    let out = strata(c.dir.path())
        .args(["sign", "bom.cdx.json", "--keyless", "--key", "k.pem"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    assert!(c.servers.seen("/").is_empty(), "no request was made");
}

#[test]
fn help_says_what_is_untested_and_how_to_get_a_token() {
    let out = strata(Path::new("."))
        .args(["sign", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "--keyless",
        "--identity-token",
        "SIGSTORE_ID_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "no interactive browser",
        "not against the public-good services",
        "https://fulcio.sigstore.dev",
        "https://rekor.sigstore.dev",
    ] {
        assert!(help.contains(s), "{s}: {help}");
    }
}
