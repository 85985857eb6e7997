//! SHA-256 digests as strata writes them: `sha256:` and 64 lowercase
//! hexadecimal digits, the form reviews, diffs, logs and memos cite.
//!
//! [`Digest`] parses strictly (the prefix, exactly 64 digits, lowercase),
//! prints the full form, and [`Digest::short`] gives the 12-digit form used
//! in human output.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

use crate::diag::Result;

/// The prefix of every digest strata writes.
pub const PREFIX: &str = "sha256:";

/// Hex digits shown by [`Digest::short`].
pub const SHORT_HEX: usize = 12;

/// A SHA-256 digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest([u8; 32]);

/// Why a text is not a digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a SHA-256 digest (expected sha256: and 64 lowercase hexadecimal digits)")]
pub struct DigestError(pub String);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// The digest of the file at `path`, read whole up to `limit` bytes.
    pub fn of_file(path: &Path, limit: u64) -> Result<Digest> {
        Ok(Digest::of(&crate::fsutil::read_bounded(path, limit)?))
    }

    /// A digest from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Digest {
        Digest(bytes)
    }

    /// Parse `sha256:<64 lowercase hex>`.
    pub fn parse(text: &str) -> std::result::Result<Digest, DigestError> {
        let bad = || DigestError(text.to_string());
        let hex_part = text.strip_prefix(PREFIX).ok_or_else(bad)?;
        if hex_part.len() != 64
            || !hex_part
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_part, &mut out).map_err(|_| bad())?;
        Ok(Digest(out))
    }

    /// The 32 bytes.
    pub fn bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The 64 hex digits, without the prefix.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// `sha256:` and the first 12 hex digits, for display.
    pub fn short(&self) -> String {
        let hex = self.hex();
        format!("{PREFIX}{}", &hex[..SHORT_HEX])
    }
}

/// The short display form of a digest written as text: `sha256:` and its
/// first 12 hex digits (the text as it is when shorter).
pub fn short(text: &str) -> String {
    let hex = text.strip_prefix(PREFIX).unwrap_or(text);
    format!("{PREFIX}{}", hex.get(..SHORT_HEX).unwrap_or(hex))
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", self.hex())
    }
}

impl FromStr for Digest {
    type Err = DigestError;
    fn from_str(s: &str) -> std::result::Result<Digest, DigestError> {
        Digest::parse(s)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Digest, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Digest::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn digests_of_bytes_print_in_full_and_short() {
        let d = Digest::of(b"abc");
        assert_eq!(d.to_string(), ABC);
        assert_eq!(d.short(), "sha256:ba7816bf8f01");
        assert_eq!(short(ABC), "sha256:ba7816bf8f01");
        assert_eq!(short("sha256:abc"), "sha256:abc");
        assert_eq!(Digest::parse(ABC).unwrap(), d);
    }

    #[test]
    fn parsing_is_strict() {
        for bad in [
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "sha256:ba7816bf",
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00",
            "sha256:za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "",
        ] {
            assert!(Digest::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_are_read_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(Digest::of_file(&p, 3).unwrap().to_string(), ABC);
        assert!(Digest::of_file(&p, 2).is_err());
    }

    #[test]
    fn serde_round_trips_the_text_form() {
        let d: Digest = serde_json::from_str(&format!("\"{ABC}\"")).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{ABC}\""));
        assert!(serde_json::from_str::<Digest>("\"sha256:1\"").is_err());
    }
}
