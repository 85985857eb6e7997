//! A bare `sigstore-verify` client, for comparison with
//! `strata verify-bundle` in `benches/sigstore.sh`.
//!
//! It does only what any client of the library must: read the bundle and
//! the trusted root, build a `Verifier`, verify the artifact (a file,
//! streamed) against an identity and issuer. No named checks, no report.
//! Exit 0 verified, 1 not.
//!
//! Usage: bare_sigstore_verify BUNDLE IDENTITY ISSUER FILE [TRUSTED_ROOT]

#![allow(clippy::print_stderr)]

use std::process::ExitCode;

use sigstore_trust_root::{SIGSTORE_PRODUCTION_TRUSTED_ROOT, TrustedRoot};
use sigstore_types::Bundle;
use sigstore_verify::{VerificationPolicy, Verifier};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, bundle, identity, issuer, file, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bare_sigstore_verify BUNDLE IDENTITY ISSUER FILE [TRUSTED_ROOT]");
        return ExitCode::from(2);
    };
    let run = || -> Result<(), Box<dyn std::error::Error>> {
        let root = match rest.first() {
            Some(p) => TrustedRoot::from_json(&std::fs::read_to_string(p)?)?,
            None => TrustedRoot::from_json(SIGSTORE_PRODUCTION_TRUSTED_ROOT)?,
        };
        let bundle = Bundle::from_json(&std::fs::read_to_string(bundle)?)?;
        let verifier = Verifier::new(&root)?;
        let policy = VerificationPolicy::new(identity.as_str(), issuer.as_str());
        verifier.verify_reader(std::fs::File::open(file)?, &bundle, &policy)?;
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
