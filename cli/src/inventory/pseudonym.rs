//! Keyed pseudonyms: HMAC-SHA-256 with the organisation's secret key.
//!
//! A reconciliation needs a device's identity only to count it once and to
//! find it again. The pseudonym of an identity is the first 128 bits of
//! HMAC-SHA-256(key, domain ‖ 0x00 ‖ identity), written `d-<hex>` for
//! devices and `u-<hex>` for users: stable for one key, so the organisation
//! can find a device again in its own MDM (by computing the pseudonym of
//! an id it holds), and meaningless to anyone without the key. The key
//! never leaves the process and is never written.
//!
//! Without a key (`--no-pseudonym`), identities are still reduced to a
//! SHA-256 tag in memory to count each device once, and no per-device
//! identifier is written at all.

use std::path::Path;

use aws_lc_rs::{digest, hmac};

use crate::diag::{Code, Diagnostic, Error, Result};

/// The environment variable the command line reads the key from when no
/// key file is given.
pub const KEY_ENV: &str = "STRATA_PSEUDONYM_KEY";

/// The shortest key accepted, in bytes (128 bits).
pub const MIN_KEY_BYTES: usize = 16;

/// Longest key file read.
const MAX_KEY_FILE: u64 = 4096;

/// Turns identities into pseudonyms.
pub struct Pseudonymizer {
    key: Option<hmac::Key>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Pseudonymizer")
            .field("keyed", &self.key.is_some())
            .finish()
    }
}

/// Identity domains, so a user and a device with the same id differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// A device or vehicle.
    Device,
    /// A user.
    User,
}

impl Domain {
    fn tag(self) -> &'static [u8] {
        match self {
            Domain::Device => b"strata/device",
            Domain::User => b"strata/user",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Domain::Device => "d-",
            Domain::User => "u-",
        }
    }
}

impl Pseudonymizer {
    /// Pseudonyms keyed with `key` (at least [`MIN_KEY_BYTES`] bytes).
    pub fn keyed(key: &[u8], source: &str) -> Result<Pseudonymizer> {
        if key.len() < MIN_KEY_BYTES {
            return Err(Error::invalid(
                Diagnostic::error(
                    Code::PseudonymKey,
                    format!(
                        "the pseudonym key from {source} has {} bytes; at least {MIN_KEY_BYTES} are needed",
                        key.len()
                    ),
                )
                .help("make a key with `head -c 32 /dev/urandom | base64 > org.key` and keep it secret"),
            ));
        }
        Ok(Pseudonymizer {
            key: Some(hmac::Key::new(hmac::HMAC_SHA256, key)),
        })
    }

    /// No key: identities are only counted, never written.
    pub fn without_key() -> Pseudonymizer {
        Pseudonymizer { key: None }
    }

    /// Whether pseudonyms are written.
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// A 128-bit tag of the identity, for counting each device once.
    pub fn tag(&self, domain: Domain, identity: &str) -> [u8; 16] {
        let full: Vec<u8> = match &self.key {
            Some(k) => {
                let mut ctx = hmac::Context::with_key(k);
                ctx.update(domain.tag());
                ctx.update(&[0]);
                ctx.update(identity.as_bytes());
                ctx.sign().as_ref().to_vec()
            }
            None => {
                let mut ctx = digest::Context::new(&digest::SHA256);
                ctx.update(domain.tag());
                ctx.update(&[0]);
                ctx.update(identity.as_bytes());
                ctx.finish().as_ref().to_vec()
            }
        };
        let mut out = [0u8; 16];
        for (o, b) in out.iter_mut().zip(full) {
            *o = b;
        }
        out
    }

    /// The pseudonym of an identity, or `None` without a key.
    pub fn pseudonym(&self, domain: Domain, identity: &str) -> Option<String> {
        self.key.as_ref()?;
        Some(format!(
            "{}{}",
            domain.prefix(),
            hex::encode(self.tag(domain, identity))
        ))
    }

    /// [`Pseudonymizer::pseudonym`] of a tag computed before.
    pub fn render(&self, domain: Domain, tag: &[u8; 16]) -> Option<String> {
        self.key.as_ref()?;
        Some(format!("{}{}", domain.prefix(), hex::encode(tag)))
    }
}

/// Read a key file: its bytes, with trailing line breaks and spaces
/// removed.
pub fn read_key_file(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = crate::fsutil::read_bounded(path, MAX_KEY_FILE)?;
    while bytes.last().is_some_and(u8::is_ascii_whitespace) {
        bytes.pop();
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_hmac_sha256_truncated() {
        let p = Pseudonymizer::keyed(b"0123456789abcdef0123456789abcdef", "test").unwrap();
        let a = p.pseudonym(Domain::Device, "6f3c2a1e").unwrap();
        assert!(a.starts_with("d-") && a.len() == 2 + 32, "{a}");
        assert_eq!(a, p.pseudonym(Domain::Device, "6f3c2a1e").unwrap());
        assert_ne!(a, p.pseudonym(Domain::Device, "6f3c2a1f").unwrap());
        assert_ne!(a[2..], p.pseudonym(Domain::User, "6f3c2a1e").unwrap()[2..]);
        // Recomputed independently: HMAC-SHA-256(key, domain 0x00 id).
        let k = hmac::Key::new(hmac::HMAC_SHA256, b"0123456789abcdef0123456789abcdef");
        let tag = hmac::sign(&k, b"strata/device\x006f3c2a1e");
        assert_eq!(a[2..], hex::encode(&tag.as_ref()[..16]));
        let other = Pseudonymizer::keyed(b"another key, 32 bytes long......", "test").unwrap();
        assert_ne!(a, other.pseudonym(Domain::Device, "6f3c2a1e").unwrap());
    }

    #[test]
    fn short_keys_are_refused_and_no_key_writes_nothing() {
        let e = Pseudonymizer::keyed(b"short", "the environment").unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::PseudonymKey);
        let p = Pseudonymizer::without_key();
        assert_eq!(p.pseudonym(Domain::Device, "x"), None);
        assert_eq!(p.tag(Domain::Device, "x"), p.tag(Domain::Device, "x"));
        assert_ne!(p.tag(Domain::Device, "x"), p.tag(Domain::Device, "y"));
        assert!(!format!("{p:?}").contains("key:"));
    }

    #[test]
    fn key_files_are_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("org.key");
        std::fs::write(&f, "0123456789abcdef0123\n").unwrap();
        assert_eq!(read_key_file(&f).unwrap(), b"0123456789abcdef0123");
    }
}
