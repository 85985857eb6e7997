//! The OpenSSF model-signing v1.0 manifest and the in-toto statement that
//! carries it.
//!
//! A manifest lists a model's resources (files, or `path:start:end` shards)
//! with their SHA-256, sorted by path components, and records how they were
//! cut (`predicate.serialization`). The statement's one subject is named
//! after the model and its digest is the SHA-256 of the concatenated raw
//! resource digests in listed order.
//!
//! strata writes the statement with a fixed key order and sorted ignore
//! paths, so the same model gives the same payload. Reading is as lenient
//! as model-signing 1.1.1 where it must be (`shard_size` written as a float
//! such as `1048576.0`; any key order) and strict everywhere else: the
//! predicate type must be v1.0 (pre-1.0 `Digests/v0.1` payloads get an
//! "unsupported version" error), there must be exactly one subject, and its
//! digest must equal the digest of the listed resources.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::Digest as _;

use crate::hashing::{self, Kind, Mode};

/// `predicateType` of model-signing v1.0 signatures.
pub const PREDICATE_V1: &str = "https://model_signing/signature/v1.0";
/// `predicateType` of the pre-1.0 format, which strata does not read.
pub const PREDICATE_V01: &str = "https://model_signing/Digests/v0.1";
/// in-toto Statement v1.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";

/// How a model was cut into resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serialization {
    /// Files, or shards of this many bytes.
    pub mode: Mode,
    /// Whether symbolic links were followed.
    pub allow_symlinks: bool,
    /// Paths left out, relative to the model directory, sorted.
    pub ignore_paths: Vec<String>,
}

impl Serialization {
    /// The `algorithm` each resource carries: `sha256`, or
    /// `sha256-sharded-N`.
    pub fn algorithm(&self) -> String {
        match self.mode {
            Mode::Files => "sha256".into(),
            Mode::Shards(n) => format!("sha256-sharded-{n}"),
        }
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        match self.mode {
            Mode::Files => {
                m.insert("method".into(), json!("files"));
                m.insert("hash_type".into(), json!("sha256"));
            }
            Mode::Shards(n) => {
                m.insert("method".into(), json!("shards"));
                m.insert("hash_type".into(), json!("sha256"));
                m.insert("shard_size".into(), json!(n));
            }
        }
        m.insert("allow_symlinks".into(), json!(self.allow_symlinks));
        if !self.ignore_paths.is_empty() {
            m.insert("ignore_paths".into(), json!(self.ignore_paths));
        }
        Value::Object(m)
    }

    fn from_json(v: &Value) -> Result<Self, String> {
        let method = v
            .get("method")
            .and_then(Value::as_str)
            .ok_or("predicate.serialization.method is missing")?;
        let hash_type = v
            .get("hash_type")
            .and_then(Value::as_str)
            .ok_or("predicate.serialization.hash_type is missing")?;
        if hash_type != "sha256" {
            return Err(format!(
                "hash_type `{hash_type}` is not supported (strata verifies sha256 manifests)"
            ));
        }
        let mode = match method {
            "files" => Mode::Files,
            "shards" => {
                let size = v
                    .get("shard_size")
                    .ok_or("predicate.serialization.shard_size is missing")?;
                Mode::Shards(shard_size(size)?)
            }
            other => return Err(format!("serialization method `{other}` is not supported")),
        };
        let allow_symlinks = match v.get("allow_symlinks") {
            Some(Value::Bool(b)) => *b,
            None => false,
            Some(other) => return Err(format!("allow_symlinks is `{other}`, not a boolean")),
        };
        let mut ignore_paths = Vec::new();
        match v.get("ignore_paths") {
            None | Some(Value::Null) => {}
            Some(Value::Array(a)) => {
                for p in a {
                    let p = p.as_str().ok_or("ignore_paths holds a non-string")?;
                    ignore_paths.push(p.to_string());
                }
            }
            Some(_) => return Err("ignore_paths is not a list".into()),
        }
        ignore_paths.sort();
        ignore_paths.dedup();
        Ok(Serialization {
            mode,
            allow_symlinks,
            ignore_paths,
        })
    }
}

/// `shard_size` as a positive integer; model-signing 1.1.1 writes it as a
/// float (`1048576.0`), which is accepted when it is integral.
fn shard_size(v: &Value) -> Result<u64, String> {
    let n = if let Some(n) = v.as_u64() {
        n
    } else if let Some(f) = v.as_f64() {
        if f.fract() != 0.0 || !(1.0..=9.007_199_254_740_992e15).contains(&f) {
            return Err(format!("shard_size `{v}` is not a positive whole number"));
        }
        f as u64
    } else {
        return Err(format!("shard_size `{v}` is not a number"));
    };
    if n == 0 {
        return Err("shard_size is 0".into());
    }
    Ok(n)
}

/// One hashed resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `path` (files) or `path:start:end` (shards), relative to the model.
    pub name: String,
    /// `sha256` or `sha256-sharded-N`.
    pub algorithm: String,
    /// Lowercase hex SHA-256.
    pub digest: String,
}

/// A model's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelManifest {
    /// The subject name: the model directory's name.
    pub model_name: String,
    /// How it was cut.
    pub serialization: Serialization,
    /// Resources in the order they are listed.
    pub resources: Vec<Resource>,
    /// The subject digest, hex.
    pub root_digest: String,
}

impl ModelManifest {
    /// The manifest of a hashed tree. A single-file model's resource is
    /// named `.`, as model-signing names it.
    pub fn from_hashed(
        model_name: &str,
        hashed: &hashing::Manifest,
        serialization: Serialization,
    ) -> Self {
        let algorithm = serialization.algorithm();
        let resources: Vec<Resource> = hashed
            .entries
            .iter()
            .map(|e| Resource {
                name: match (hashed.kind, serialization.mode) {
                    (Kind::File, Mode::Files) => ".".into(),
                    (Kind::File, Mode::Shards(_)) => {
                        match e.name.rsplitn(3, ':').collect::<Vec<_>>()[..] {
                            [end, start, _] => format!(".:{start}:{end}"),
                            _ => e.name.clone(),
                        }
                    }
                    _ => e.name.clone(),
                },
                algorithm: algorithm.clone(),
                digest: hex::encode(e.digest),
            })
            .collect();
        let root_digest = root_digest(&resources).unwrap_or_default();
        ModelManifest {
            model_name: model_name.to_string(),
            serialization,
            resources,
            root_digest,
        }
    }

    /// The in-toto statement: pretty JSON (2 spaces) in a fixed key order.
    pub fn statement(&self) -> crate::diag::Result<Vec<u8>> {
        let resources: Vec<Value> = self
            .resources
            .iter()
            .map(|r| json!({"name": r.name, "algorithm": r.algorithm, "digest": r.digest}))
            .collect();
        let mut predicate = Map::new();
        predicate.insert("serialization".into(), self.serialization.to_json());
        predicate.insert("resources".into(), Value::Array(resources));
        let mut st = Map::new();
        st.insert("_type".into(), json!(STATEMENT_V1));
        st.insert(
            "subject".into(),
            json!([{"name": self.model_name, "digest": {"sha256": self.root_digest}}]),
        );
        st.insert("predicateType".into(), json!(PREDICATE_V1));
        st.insert("predicate".into(), Value::Object(predicate));
        Ok(crate::diag::to_json_pretty(&Value::Object(st))?.into_bytes())
    }

    /// Read a manifest from a statement's bytes (the DSSE payload exactly
    /// as received). The error says what is wrong.
    pub fn from_statement(payload: &[u8]) -> Result<Self, String> {
        let v: Value =
            serde_json::from_slice(payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
        match v.get("_type").and_then(Value::as_str) {
            Some(STATEMENT_V1) => {}
            Some(other) => {
                return Err(format!(
                    "statement type `{other}`, expected `{STATEMENT_V1}`"
                ));
            }
            None => return Err("the payload is not an in-toto statement (no `_type`)".into()),
        }
        match v.get("predicateType").and_then(Value::as_str) {
            Some(PREDICATE_V1) => {}
            Some(PREDICATE_V01) => {
                return Err(format!(
                    "unsupported version: `{PREDICATE_V01}` is the pre-1.0 model-signing format; re-sign the model with model-signing 1.0 or later (or strata model sign)"
                ));
            }
            Some(other) => {
                return Err(format!(
                    "predicateType `{other}` is not a model signature (expected `{PREDICATE_V1}`)"
                ));
            }
            None => return Err("the statement has no predicateType".into()),
        }
        let subjects = v
            .get("subject")
            .and_then(Value::as_array)
            .ok_or("the statement has no subject list")?;
        let [subject] = subjects.as_slice() else {
            return Err(format!(
                "expected exactly one subject, found {}",
                subjects.len()
            ));
        };
        let model_name = subject
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let expected = subject
            .pointer("/digest/sha256")
            .and_then(Value::as_str)
            .ok_or("the subject has no sha256 digest")?
            .to_ascii_lowercase();
        let predicate = v.get("predicate").ok_or("the statement has no predicate")?;
        let serialization = Serialization::from_json(
            predicate
                .get("serialization")
                .ok_or("predicate.serialization is missing")?,
        )?;
        let list = predicate
            .get("resources")
            .and_then(Value::as_array)
            .ok_or("predicate.resources is missing")?;
        let mut resources = Vec::with_capacity(list.len());
        for (i, r) in list.iter().enumerate() {
            let field = |k: &str| {
                r.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or(format!("predicate.resources[{i}] has no `{k}`"))
            };
            let digest = field("digest")?.to_ascii_lowercase();
            if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "predicate.resources[{i}].digest is not a SHA-256 hex digest"
                ));
            }
            resources.push(Resource {
                name: field("name")?,
                algorithm: field("algorithm")?,
                digest,
            });
        }
        let root = root_digest(&resources)?;
        if root != expected {
            return Err(format!(
                "the manifest is inconsistent: the subject digest is {expected} but the listed resources hash to {root}"
            ));
        }
        Ok(ModelManifest {
            model_name,
            serialization,
            resources,
            root_digest: root,
        })
    }

    /// The files the manifest names (shard names reduced to their path).
    pub fn file_names(&self) -> std::collections::BTreeSet<String> {
        self.resources
            .iter()
            .map(|r| match self.serialization.mode {
                Mode::Files => r.name.clone(),
                Mode::Shards(_) => strip_range(&r.name).to_string(),
            })
            .collect()
    }
}

/// `path:start:end` without `:start:end`.
fn strip_range(name: &str) -> &str {
    let mut it = name.rsplitn(3, ':');
    let (_, _, path) = (it.next(), it.next(), it.next());
    path.unwrap_or(name)
}

/// SHA-256 of the concatenated raw digests, hex.
fn root_digest(resources: &[Resource]) -> Result<String, String> {
    let mut h = sha2::Sha256::new();
    for r in resources {
        let raw = hex::decode(&r.digest).map_err(|_| format!("`{}` is not hex", r.digest))?;
        h.update(raw);
    }
    Ok(hex::encode(h.finalize()))
}

/// How a model on disk differs from its signed manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Signed resources not found on disk.
    pub missing: Vec<String>,
    /// Resources on disk the signature does not list.
    pub extra: Vec<String>,
    /// Resources whose digest differs: name, signed digest, actual digest.
    pub changed: Vec<Changed>,
}

/// A resource whose content changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    /// Resource name.
    pub name: String,
    /// Digest in the signature.
    pub signed: String,
    /// Digest on disk.
    pub actual: String,
}

impl Difference {
    /// Compare the signed manifest with the model as hashed.
    pub fn between(signed: &ModelManifest, actual: &ModelManifest) -> Self {
        let want: BTreeMap<&str, &str> = signed
            .resources
            .iter()
            .map(|r| (r.name.as_str(), r.digest.as_str()))
            .collect();
        let have: BTreeMap<&str, &str> = actual
            .resources
            .iter()
            .map(|r| (r.name.as_str(), r.digest.as_str()))
            .collect();
        let mut d = Difference::default();
        for (name, digest) in &want {
            match have.get(name) {
                None => d.missing.push(name.to_string()),
                Some(a) if a != digest => d.changed.push(Changed {
                    name: name.to_string(),
                    signed: digest.to_string(),
                    actual: a.to_string(),
                }),
                Some(_) => {}
            }
        }
        d.extra = have
            .keys()
            .filter(|n| !want.contains_key(*n))
            .map(|n| n.to_string())
            .collect();
        d
    }

    /// True when the model matches.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }

    /// One line per kind of difference.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.changed.is_empty() {
            parts.push(format!(
                "{} changed ({})",
                self.changed.len(),
                self.changed
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.missing.is_empty() {
            parts.push(format!(
                "{} missing ({})",
                self.missing.len(),
                self.missing.join(", ")
            ));
        }
        if !self.extra.is_empty() {
            parts.push(format!(
                "{} extra, not signed ({})",
                self.extra.len(),
                self.extra.join(", ")
            ));
        }
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(mode: Mode) -> ModelManifest {
        let resources = vec![
            Resource {
                name: "a".into(),
                algorithm: "sha256".into(),
                digest: hex::encode([1u8; 32]),
            },
            Resource {
                name: "b/c".into(),
                algorithm: "sha256".into(),
                digest: hex::encode([2u8; 32]),
            },
        ];
        let root = root_digest(&resources).unwrap();
        ModelManifest {
            model_name: "m".into(),
            serialization: Serialization {
                mode,
                allow_symlinks: false,
                ignore_paths: vec![".git".into(), "model.sig".into()],
            },
            resources,
            root_digest: root,
        }
    }

    #[test]
    fn statement_round_trips_and_is_stable() {
        let m = manifest(Mode::Files);
        let st = m.statement().unwrap();
        assert_eq!(st, m.statement().unwrap());
        assert_eq!(ModelManifest::from_statement(&st).unwrap(), m);
        let text = String::from_utf8(st).unwrap();
        assert!(
            text.starts_with("{\n  \"_type\": \"https://in-toto.io/Statement/v1\""),
            "{text}"
        );
        let m = manifest(Mode::Shards(1024));
        assert_eq!(
            ModelManifest::from_statement(&m.statement().unwrap()).unwrap(),
            m
        );
    }

    #[test]
    fn float_shard_size_is_accepted_and_fractions_are_not() {
        assert_eq!(shard_size(&json!(1048576.0)).unwrap(), 1_048_576);
        assert_eq!(shard_size(&json!(1024)).unwrap(), 1024);
        assert!(shard_size(&json!(1024.5)).is_err());
        assert!(shard_size(&json!(0)).is_err());
        assert!(shard_size(&json!(-1.0)).is_err());
        assert!(shard_size(&json!("1024")).is_err());
    }

    fn edit(f: impl FnOnce(&mut Value)) -> Result<ModelManifest, String> {
        let mut v: Value =
            serde_json::from_slice(&manifest(Mode::Files).statement().unwrap()).unwrap();
        f(&mut v);
        ModelManifest::from_statement(&serde_json::to_vec(&v).unwrap())
    }

    #[test]
    fn malformed_statements_say_what_is_wrong() {
        let e = edit(|v| v["predicateType"] = json!(PREDICATE_V01)).unwrap_err();
        assert!(e.contains("unsupported version"), "{e}");
        let e = edit(|v| v["predicate"]["resources"][0]["digest"] = json!(hex::encode([9u8; 32])))
            .unwrap_err();
        assert!(e.contains("inconsistent"), "{e}");
        let e = edit(|v| v["subject"] = json!([])).unwrap_err();
        assert!(e.contains("exactly one subject"), "{e}");
        let e = edit(|v| v["_type"] = json!("https://in-toto.io/Statement/v0.1")).unwrap_err();
        assert!(e.contains("statement type"), "{e}");
        let e =
            edit(|v| v["predicate"]["serialization"]["hash_type"] = json!("blake3")).unwrap_err();
        assert!(e.contains("blake3"), "{e}");
        let e = edit(|v| v["predicate"]["serialization"]["method"] = json!("zip")).unwrap_err();
        assert!(e.contains("zip"), "{e}");
        let e = edit(|v| v["predicate"]["resources"][1]["digest"] = json!("zz")).unwrap_err();
        assert!(e.contains("resources[1]"), "{e}");
        assert!(ModelManifest::from_statement(b"not json").is_err());
    }

    #[test]
    fn differences_are_reported_by_kind() {
        let signed = manifest(Mode::Files);
        let mut actual = signed.clone();
        actual.resources[0].digest = hex::encode([7u8; 32]);
        actual.resources.remove(1);
        actual.resources.push(Resource {
            name: "new".into(),
            algorithm: "sha256".into(),
            digest: hex::encode([3u8; 32]),
        });
        let d = Difference::between(&signed, &actual);
        assert_eq!(d.missing, ["b/c"]);
        assert_eq!(d.extra, ["new"]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].name, "a");
        assert!(Difference::between(&signed, &signed).is_empty());
    }

    #[test]
    fn shard_names_reduce_to_files() {
        assert_eq!(strip_range("a/b.bin:0:10"), "a/b.bin");
        assert_eq!(strip_range("x:y.bin:0:10"), "x:y.bin");
    }
}
