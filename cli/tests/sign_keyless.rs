//! `strata sign --keyless` against local mock Fulcio and Rekor servers
//! ([`keyless_mock`]): the real `strata` binary signs, and `strata verify`
//! checks the result. Nothing here reaches the public-good services.

use crate::common;
use crate::keyless_mock;
use crate::sigstore_pki;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::strata;
use keyless_mock::{FulcioMode, GHA_BEARER, RekorMode, Servers, jwt, token, unb64};
use serde_json::{Value, json};
use sigstore_pki::{IDENTITY, ISSUER, b64};
use sigstore_types::DerCertificate;

/// A small CycloneDX BOM naming device `test-phone`.
const BOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"device","bom-ref":"device:test-phone","name":"Test Phone","properties":[{"name":"strata:device:id","value":"test-phone"}]}}}"#;

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
