//! Google's attestation certificate status list (the `status.json` format
//! served at `https://android.googleapis.com/attestation/status`):
//! `{"entries": {"<hex serial>": {"status": "REVOKED|SUSPENDED",
//! "reason": "KEY_COMPROMISE|..."}}}`. Serials are lowercase hex without
//! leading zeros (Java's `BigInteger.toString(16)`); strata normalises both
//! sides before comparing.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One entry of the status list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusEntry {
    /// `REVOKED` or `SUSPENDED`.
    pub status: String,
    /// Why, e.g. `KEY_COMPROMISE`.
    #[serde(default)]
    pub reason: Option<String>,
    /// Free text.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A parsed status list, keyed by normalised serial.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusList {
    /// Entries by lowercase hex serial without leading zeros.
    pub entries: BTreeMap<String, StatusEntry>,
}

#[derive(Deserialize)]
struct Raw {
    entries: BTreeMap<String, StatusEntry>,
}

impl StatusList {
    /// Parse the JSON. Errors name the offending entry.
    pub fn parse(data: &[u8]) -> Result<StatusList, String> {
        let raw: Raw = serde_json::from_slice(data)
            .map_err(|e| format!("not an attestation status list: {e}"))?;
        let mut entries = BTreeMap::new();
        for (serial, e) in raw.entries {
            let norm = normalise(&serial)
                .ok_or_else(|| format!("entry `{serial}`: the key is not a hexadecimal serial"))?;
            if e.status != "REVOKED" && e.status != "SUSPENDED" {
                return Err(format!(
                    "entry `{serial}`: status `{}` is neither REVOKED nor SUSPENDED",
                    e.status
                ));
            }
            entries.insert(norm, e);
        }
        Ok(StatusList { entries })
    }

    /// The entry for a serial (hex, any case, leading zeros allowed).
    pub fn lookup(&self, serial_hex: &str) -> Option<&StatusEntry> {
        normalise(serial_hex).and_then(|s| self.entries.get(&s))
    }
}

fn normalise(s: &str) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let t = s.trim_start_matches('0').to_ascii_lowercase();
    Some(if t.is_empty() { "0".into() } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_serials() {
        let l = StatusList::parse(
            br#"{"entries":{"00ABc":{"status":"REVOKED","reason":"KEY_COMPROMISE"}}}"#,
        )
        .expect("parse");
        assert!(l.lookup("abc").is_some());
        assert!(l.lookup("0abc").is_some());
        assert!(l.lookup("abd").is_none());
        assert!(StatusList::parse(br#"{"entries":{"xyz":{"status":"REVOKED"}}}"#).is_err());
        assert!(StatusList::parse(br#"{"entries":{"1":{"status":"OK"}}}"#).is_err());
    }
}
