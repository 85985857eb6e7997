//! Rekor v1: record a signed DSSE envelope in the transparency log
//! (`POST /api/v1/log/entries`, kind `dsse` version 0.0.1) and turn the
//! answer into a bundle's `tlogEntries` entry.
//!
//! The proposed entry is the envelope (as a JSON string) and the signing
//! certificate (base64 of its PEM). Rekor answers with one entry keyed by
//! its UUID: the canonicalised body, integrated time, log id and index, an
//! inclusion proof with a signed checkpoint, and the SET. Nothing here
//! trusts the answer: the finished bundle is verified against the trusted
//! root before it is written (see [`super`]).

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::{Transport, b64, error_message, http_status_text, join_url};
use crate::diag::{Code, Diagnostic, Error, Result};

/// Rekor's entry-creation endpoint, relative to its base URL.
pub const ENTRIES_PATH: &str = "/api/v1/log/entries";

/// What Rekor says about the entry it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The entry's UUID.
    pub uuid: String,
    /// Canonicalised body, base64.
    pub body: String,
    /// Seconds since the epoch.
    pub integrated_time: i64,
    /// SHA-256 of the log's key, hex.
    pub log_id_hex: String,
    /// The entry's index in the log.
    pub log_index: u64,
    /// Signed entry timestamp, base64.
    pub set: String,
    /// Index in the tree the proof is for.
    pub proof_log_index: u64,
    /// Root hash, hex.
    pub root_hash_hex: String,
    /// Tree size.
    pub tree_size: u64,
    /// Proof hashes, hex.
    pub hashes_hex: Vec<String>,
    /// Signed checkpoint (a signed note).
    pub checkpoint: String,
}

fn rekor_error(url: &str, msg: impl Into<String>) -> Error {
    Error::invalid(Diagnostic::error(Code::Rekor, msg.into()).help(format!(
        "Rekor endpoint: {url} (set another with --rekor-url)"
    )))
}

/// The proposed `dsse` 0.0.1 entry.
pub fn request_body(envelope_json: &str, leaf_pem: &str) -> Vec<u8> {
    json!({
        "apiVersion": "0.0.1",
        "kind": "dsse",
        "spec": {
            "proposedContent": {
                "envelope": envelope_json,
                "verifiers": [b64(leaf_pem.as_bytes())]
            }
        }
    })
    .to_string()
    .into_bytes()
}

/// Upload the envelope; returns Rekor's account of the entry.
pub fn log_dsse(
    transport: &dyn Transport,
    base: &str,
    envelope_json: &str,
    leaf_pem: &str,
) -> Result<LogEntry> {
    let url = join_url(base, ENTRIES_PATH);
    super::check_url(&url, "Rekor")?;
    let reply = transport
        .post_json(&url, &request_body(envelope_json, leaf_pem))
        .map_err(|e| rekor_error(&url, format!("cannot reach Rekor: {e}")))?;
    if !(200..300).contains(&reply.status) {
        return Err(rekor_error(
            &url,
            format!(
                "Rekor answered HTTP {}: {}",
                http_status_text(reply.status),
                error_message(&reply.body)
            ),
        ));
    }
    parse_entry(&reply.body).map_err(|e| rekor_error(&url, e))
}

/// Read Rekor's answer: one entry keyed by its UUID.
pub fn parse_entry(body: &[u8]) -> std::result::Result<LogEntry, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("Rekor's answer is not JSON: {e}"))?;
    let map = v.as_object().ok_or("Rekor's answer is not a JSON object")?;
    if map.len() != 1 {
        return Err(format!(
            "Rekor's answer holds {} entries; one was expected",
            map.len()
        ));
    }
    let Some((uuid, e)) = map.iter().next() else {
        return Err("Rekor's answer holds no entry".into());
    };
    let e = e.as_object().ok_or("Rekor's entry is not a JSON object")?;
    let proof = e
        .get("verification")
        .and_then(|v| v.get("inclusionProof"))
        .and_then(Value::as_object)
        .ok_or("Rekor's entry has no verification.inclusionProof")?;
    let set = e
        .get("verification")
        .and_then(|v| v.get("signedEntryTimestamp"))
        .and_then(Value::as_str)
        .ok_or("Rekor's entry has no verification.signedEntryTimestamp")?;
    let hashes_hex = proof
        .get("hashes")
        .map(|h| {
            h.as_array()
                .ok_or("inclusionProof.hashes is not a list")?
                .iter()
                .map(|x| hex_field(x, "inclusionProof.hashes[]"))
                .collect::<std::result::Result<Vec<_>, String>>()
        })
        .transpose()?
        .unwrap_or_default();
    let body = text(e, "body")?;
    base64::engine::general_purpose::STANDARD
        .decode(&body)
        .map_err(|err| format!("Rekor's entry body is not base64: {err}"))?;
    base64::engine::general_purpose::STANDARD
        .decode(set)
        .map_err(|err| format!("Rekor's signedEntryTimestamp is not base64: {err}"))?;
    Ok(LogEntry {
        uuid: uuid.clone(),
        body,
        integrated_time: int(e, "integratedTime")?,
        log_id_hex: hex_field(e.get("logID").unwrap_or(&Value::Null), "logID")?,
        log_index: uint(e, "logIndex")?,
        set: set.to_string(),
        proof_log_index: uint(proof, "logIndex")?,
        root_hash_hex: hex_field(proof.get("rootHash").unwrap_or(&Value::Null), "rootHash")?,
        tree_size: uint(proof, "treeSize")?,
        hashes_hex,
        checkpoint: text(proof, "checkpoint")?,
    })
}

fn text(m: &Map<String, Value>, k: &str) -> std::result::Result<String, String> {
    m.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or(format!("Rekor's entry has no `{k}` string"))
}

fn int(m: &Map<String, Value>, k: &str) -> std::result::Result<i64, String> {
    m.get(k)
        .and_then(Value::as_i64)
        .ok_or(format!("Rekor's entry has no `{k}` integer"))
}

fn uint(m: &Map<String, Value>, k: &str) -> std::result::Result<u64, String> {
    m.get(k)
        .and_then(Value::as_u64)
        .ok_or(format!("Rekor's entry has no non-negative `{k}` integer"))
}

fn hex_field(v: &Value, what: &str) -> std::result::Result<String, String> {
    let s = v
        .as_str()
        .ok_or(format!("Rekor's `{what}` is not a string"))?;
    let bytes = hex::decode(s).map_err(|e| format!("Rekor's `{what}` is not hex: {e}"))?;
    if bytes.len() != 32 {
        return Err(format!(
            "Rekor's `{what}` is {} bytes, not a SHA-256",
            bytes.len()
        ));
    }
    Ok(s.to_ascii_lowercase())
}

fn hex_to_b64(h: &str) -> String {
    // Checked by `hex_field` when parsed.
    b64(&hex::decode(h).unwrap_or_default())
}

impl LogEntry {
    /// The bundle v0.3 `tlogEntries` entry (protobuf JSON: 64-bit
    /// integers as strings, hashes and ids base64).
    pub fn bundle_entry(&self) -> Value {
        json!({
            "logIndex": self.log_index.to_string(),
            "logId": {"keyId": hex_to_b64(&self.log_id_hex)},
            "kindVersion": {"kind": "dsse", "version": "0.0.1"},
            "integratedTime": self.integrated_time.to_string(),
            "inclusionPromise": {"signedEntryTimestamp": self.set},
            "inclusionProof": {
                "logIndex": self.proof_log_index.to_string(),
                "rootHash": hex_to_b64(&self.root_hash_hex),
                "treeSize": self.tree_size.to_string(),
                "hashes": self.hashes_hex.iter().map(|h| hex_to_b64(h)).collect::<Vec<_>>(),
                "checkpoint": {"envelope": self.checkpoint}
            },
            "canonicalizedBody": self.body
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> Value {
        let h = "ab".repeat(32);
        json!({"24296fb24b8ad77a": {
            "body": b64(b"{}"),
            "integratedTime": 1700000000,
            "logID": h,
            "logIndex": 42,
            "verification": {
                "inclusionProof": {"checkpoint": "cp\n", "hashes": [h], "logIndex": 7, "rootHash": h, "treeSize": 8},
                "signedEntryTimestamp": b64(b"set")
            }
        }})
    }

    #[test]
    fn an_answer_becomes_a_bundle_entry() {
        let e = parse_entry(answer().to_string().as_bytes()).unwrap();
        assert_eq!((e.log_index, e.proof_log_index, e.tree_size), (42, 7, 8));
        let b = e.bundle_entry();
        assert_eq!(b["logIndex"], "42");
        assert_eq!(b["inclusionProof"]["logIndex"], "7");
        assert_eq!(b["logId"]["keyId"], b64(&[0xab; 32]));
        assert_eq!(b["inclusionProof"]["hashes"][0], b64(&[0xab; 32]));
        assert_eq!(b["canonicalizedBody"], b64(b"{}"));
    }

    #[test]
    fn malformed_answers_say_what_is_wrong() {
        type Edit = fn(&mut Value);
        let cases: [(&str, Edit); 5] = [
            ("one was expected", |v| {
                v["other"] = json!({});
            }),
            ("inclusionProof", |v| {
                v["24296fb24b8ad77a"]["verification"]
                    .as_object_mut()
                    .unwrap()
                    .remove("inclusionProof");
            }),
            ("not hex", |v| v["24296fb24b8ad77a"]["logID"] = json!("zz")),
            ("not a SHA-256", |v| {
                v["24296fb24b8ad77a"]["verification"]["inclusionProof"]["rootHash"] = json!("abcd")
            }),
            ("`logIndex`", |v| {
                v["24296fb24b8ad77a"]["logIndex"] = json!(-1)
            }),
        ];
        for (why, edit) in cases {
            let mut v = answer();
            edit(&mut v);
            let e = parse_entry(v.to_string().as_bytes()).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
        }
    }
}
