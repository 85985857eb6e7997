//! `init`: write a starter fleet that is wired end to end: vendors,
//! designations, the regulatory calendar the memos date their rules from, a policy whose `unsigned-attestation` rule names a demo key
//! pair generated here, an approved-device list whose entries name the
//! attestations `assemble --out-dir attestations` writes, one example stack
//! with its evidence. [`next_commands`] are the three commands that take it
//! from there to a gate verdict and a report.
//!
//! The key pair is fresh for every fleet (the system's random source), so a
//! fleet whose demo key is never replaced at least does not trust a
//! published one; it is marked demo-only in `keys/README.md` and in the
//! policy, and the private key is git-ignored.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;
use crate::sigstore::keys;

/// The demo private key, relative to the fleet.
pub const DEMO_KEY: &str = "keys/demo-signing-key.pem";
/// The demo public key, relative to the fleet (named by the policy).
pub const DEMO_PUBLIC_KEY: &str = "keys/demo-signing-key.pub";

/// The fixed starter files, relative to the target directory.
pub const STARTER: [(&str, &[u8]); 9] = [
    ("vendors.yaml", include_bytes!("vendors.yaml")),
    ("designations.yaml", include_bytes!("designations.yaml")),
    // The example fleet's calendar: the dates are the same for every fleet
    // until its owner edits them.
    (
        "calendar.yaml",
        include_bytes!("../../../examples/calendar.yaml"),
    ),
    ("policy.yaml", include_bytes!("policy.yaml")),
    (
        "approved-devices.yaml",
        include_bytes!("approved-devices.yaml"),
    ),
    (
        "stacks/example-phone.yaml",
        include_bytes!("example-phone.yaml"),
    ),
    (
        "evidence/example-phone/firmware.bin",
        b"example firmware image: replace with the real file\n",
    ),
    ("keys/README.md", include_bytes!("keys-README.md")),
    ("keys/.gitignore", include_bytes!("keys-gitignore")),
];

/// Every file [`init`] writes, relative to the target directory.
pub fn files() -> Vec<&'static str> {
    let mut out: Vec<&str> = STARTER.iter().map(|(rel, _)| *rel).collect();
    out.extend([DEMO_KEY, DEMO_PUBLIC_KEY]);
    out
}

/// Write the starter set into `dir`, with a fresh demo key pair. Refuses
/// to overwrite an existing file unless `force`; checks every file before
/// writing any. Returns the files written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    if !force {
        let existing: Vec<Diagnostic> = files()
            .into_iter()
            .map(|rel| dir.join(rel))
            .filter(|p| p.exists())
            .map(|p| {
                Diagnostic::error(Code::FileExists, "refusing to overwrite an existing file")
                    .in_file(p)
                    .help("pass --force to overwrite, or choose another directory")
            })
            .collect();
        if !existing.is_empty() {
            return Err(Error::Invalid(existing));
        }
    }
    let pkcs8 = keys::generate_p256_pkcs8()?;
    let key = keys::SigningKey::from_pkcs8_der(&pkcs8, Path::new(DEMO_KEY))?;
    let generated = [
        (DEMO_KEY, keys::private_key_pem(&pkcs8).into_bytes()),
        (DEMO_PUBLIC_KEY, key.public_key_pem().into_bytes()),
    ];
    let mut written = Vec::new();
    for (rel, bytes) in STARTER
        .iter()
        .map(|(rel, b)| (*rel, b.to_vec()))
        .chain(generated)
    {
        let p = dir.join(rel);
        fsutil::write_atomic(&p, &bytes)?;
        written.push(p);
    }
    Ok(written)
}

/// The three commands that take a fresh fleet at `dir` (as the user named
/// it) to a signed attestation, a gate verdict and a report.
pub fn next_commands(dir: &Path) -> [String; 3] {
    let here = dir.as_os_str().is_empty() || dir == Path::new(".");
    let path = |rel: &str| {
        if here {
            rel.to_string()
        } else {
            shell_quote(&dir.join(rel).to_string_lossy())
        }
    };
    let fleet = if here {
        String::new()
    } else {
        format!(" {}", shell_quote(&dir.to_string_lossy()))
    };
    [
        format!(
            "strata assemble {} --out-dir {} --sign {}",
            path("stacks"),
            path("attestations"),
            path(DEMO_KEY)
        ),
        format!("strata gate{fleet}"),
        format!("strata report{fleet}"),
    ]
}

/// `s` as one POSIX shell word: as is when it holds only safe characters,
/// else in single quotes.
fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./+:=@%,".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, ApprovedDevices, Designations, FileKind, Policy, Stack, Vendors};

    #[test]
    fn starter_files_parse_and_refuse_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let written = init(dir.path(), false).unwrap();
        assert_eq!(written.len(), files().len());
        let d = dir.path();
        model::load::<Vendors>(&d.join("vendors.yaml"), FileKind::Vendors).unwrap();
        model::load::<Designations>(&d.join("designations.yaml"), FileKind::Designations).unwrap();
        model::load::<Policy>(&d.join("policy.yaml"), FileKind::Policy).unwrap();
        model::load::<ApprovedDevices>(&d.join("approved-devices.yaml"), FileKind::ApprovedDevices)
            .unwrap();
        model::load::<Stack>(&d.join("stacks/example-phone.yaml"), FileKind::Stack).unwrap();
        let key = keys::load_signing_key(&d.join(DEMO_KEY)).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join(DEMO_PUBLIC_KEY)).unwrap(),
            key.public_key_pem()
        );
        let e = init(d, false).unwrap_err();
        assert_eq!(e.diagnostics().len(), files().len());
        init(d, true).unwrap();
        // A new fleet gets a new key.
        let again = keys::load_signing_key(&d.join(DEMO_KEY)).unwrap();
        assert_ne!(again.public_key_pem(), key.public_key_pem());
    }

    #[test]
    fn next_commands_name_the_fleet_as_given_and_quote_it() {
        assert_eq!(
            next_commands(Path::new(".")),
            [
                "strata assemble stacks --out-dir attestations --sign keys/demo-signing-key.pem",
                "strata gate",
                "strata report",
            ]
        );
        let [a, g, r] = next_commands(Path::new("my fleet"));
        assert_eq!(
            a,
            "strata assemble 'my fleet/stacks' --out-dir 'my fleet/attestations' \
             --sign 'my fleet/keys/demo-signing-key.pem'"
        );
        assert_eq!(g, "strata gate 'my fleet'");
        assert_eq!(r, "strata report 'my fleet'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
