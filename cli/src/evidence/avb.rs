//! Android Verified Boot (AVB 2.0) vbmeta images.
//!
//! Layout (libavb `avb_vbmeta_image.h`, all integers big-endian): a
//! 256-byte header, an authentication block (hash and signature) and an
//! auxiliary block (descriptors, public key, public key metadata). The
//! signature is RSASSA-PKCS1-v1_5 over header ‖ auxiliary block with the
//! header's algorithm; the public key is AVB's own encoding (bit length,
//! n0inv, modulus, R²) with exponent 65537.
//!
//! Checks: `vbmeta-hash` (the stored hash equals the recomputed one) and
//! `vbmeta-signature` (the signature verifies with the embedded key). The
//! embedded key is the image's own: that it is the *OEM's* key is shown
//! only by the bootloader's key store or by a key attestation's
//! `verifiedBootKey`, which [`relate`] compares: an attestation's
//! verifiedBootKey is SHA-256 of the top-level vbmeta public key, and its
//! verifiedBootHash is the vbmeta digest (SHA-256 over every vbmeta
//! struct, top-level first; for a device without chained vbmeta partitions
//! that is this image's).

use serde::Serialize;
use sha2::{Digest, Sha256, Sha512};

use super::Malformed;
use super::report::{Report, Status};
use crate::diag::Code;
use crate::model::EvidenceKind;

const HEADER: usize = 256;
const MAGIC: &[u8; 4] = b"AVB0";

/// A descriptor of a vbmeta image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Descriptor {
    /// A key/value property.
    Property {
        /// Key.
        key: String,
        /// Value (lossy UTF-8).
        value: String,
    },
    /// dm-verity hash tree of a partition.
    Hashtree {
        /// Partition.
        partition: String,
        /// Image size in bytes.
        image_size: u64,
        /// Hash algorithm, e.g. `sha1`, `sha256`.
        hash_algorithm: String,
        /// Root digest, hex.
        root_digest: String,
        /// Salt, hex.
        salt: String,
    },
    /// Whole-partition hash.
    Hash {
        /// Partition.
        partition: String,
        /// Image size in bytes.
        image_size: u64,
        /// Hash algorithm.
        hash_algorithm: String,
        /// Digest, hex.
        digest: String,
        /// Salt, hex.
        salt: String,
    },
    /// A kernel command-line fragment.
    KernelCmdline {
        /// The fragment.
        cmdline: String,
    },
    /// Delegation of a partition to another key.
    ChainPartition {
        /// Partition.
        partition: String,
        /// Rollback index location.
        rollback_index_location: u32,
        /// SHA-256 of the delegated public key, hex.
        public_key_sha256: String,
    },
    /// A tag strata does not know.
    Unknown {
        /// The tag.
        tag: u64,
        /// Bytes following the header.
        size: u64,
    },
}

/// A decoded vbmeta image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vbmeta {
    /// libavb version required, `major.minor`.
    pub required_libavb_version: String,
    /// Signature algorithm name, e.g. `SHA512_RSA4096`.
    pub algorithm: String,
    /// Rollback index.
    pub rollback_index: u64,
    /// Rollback index location.
    pub rollback_index_location: u32,
    /// Header flags (1: hashtree disabled, 2: verification disabled).
    pub flags: u32,
    /// Release string, e.g. `avbtool 1.1.0`.
    pub release_string: String,
    /// SHA-256 over header, authentication and auxiliary blocks: the value
    /// a key attestation reports as verifiedBootHash.
    pub vbmeta_digest: String,
    /// SHA-256 of the public key blob: the value a key attestation reports
    /// as verifiedBootKey.
    pub public_key_sha256: Option<String>,
    /// RSA modulus size in bits.
    pub public_key_bits: Option<u32>,
    /// The descriptors, in order.
    pub descriptors: Vec<Descriptor>,
}

fn bad(msg: impl Into<String>, offset: usize) -> Malformed {
    Malformed {
        code: Code::AvbVbmetaMalformed,
        message: msg.into(),
        offset: Some(offset),
        pointer: None,
    }
}

fn be32(d: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]])
}

fn be64(d: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[at..at + 8]);
    u64::from_be_bytes(b)
}

/// A sub-range `[off, off+len)` of `block`, or an error naming the field.
fn range<'a>(
    block: &'a [u8],
    off: u64,
    len: u64,
    what: &str,
    base: usize,
) -> Result<&'a [u8], Malformed> {
    let end = off.checked_add(len);
    match end {
        Some(e) if e <= block.len() as u64 => Ok(&block[off as usize..e as usize]),
        _ => Err(bad(
            format!(
                "{what} (offset {off}, size {len}) lies outside its {}-byte block",
                block.len()
            ),
            base,
        )),
    }
}

/// Whether `data` is a vbmeta image.
pub fn detect(data: &[u8]) -> bool {
    data.len() >= HEADER && &data[..4] == MAGIC
}

struct Alg {
    name: &'static str,
    sha512: bool,
    bits: u32,
}

fn algorithm(n: u32) -> Option<Alg> {
    let (name, sha512, bits) = match n {
        0 => ("NONE", false, 0),
        1 => ("SHA256_RSA2048", false, 2048),
        2 => ("SHA256_RSA4096", false, 4096),
        3 => ("SHA256_RSA8192", false, 8192),
        4 => ("SHA512_RSA2048", true, 2048),
        5 => ("SHA512_RSA4096", true, 4096),
        6 => ("SHA512_RSA8192", true, 8192),
        _ => return None,
    };
    Some(Alg { name, sha512, bits })
}

/// Decode and verify a vbmeta image.
pub fn inspect(data: &[u8]) -> Result<Report, Malformed> {
    if data.len() < HEADER {
        return Err(bad(
            format!(
                "{} bytes is shorter than the 256-byte vbmeta header",
                data.len()
            ),
            0,
        ));
    }
    if &data[..4] != MAGIC {
        return Err(bad("missing the `AVB0` magic", 0));
    }
    let h = &data[..HEADER];
    let auth_size = be64(h, 12);
    let aux_size = be64(h, 20);
    let alg_no = be32(h, 28);
    let alg =
        algorithm(alg_no).ok_or_else(|| bad(format!("unknown algorithm type {alg_no}"), 28))?;
    if !auth_size.is_multiple_of(64) || !aux_size.is_multiple_of(64) {
        return Err(bad("block sizes must be multiples of 64", 12));
    }
    let total = (HEADER as u64)
        .checked_add(auth_size)
        .and_then(|x| x.checked_add(aux_size))
        .filter(|t| *t <= data.len() as u64)
        .ok_or_else(|| bad(format!(
            "header declares {auth_size}+{aux_size} block bytes but the file has {} after the header",
            data.len() - HEADER
        ), 12))? as usize;
    let auth = &data[HEADER..HEADER + auth_size as usize];
    let aux = &data[HEADER + auth_size as usize..total];
    let aux_base = HEADER + auth_size as usize;
    let stored_hash = range(auth, be64(h, 32), be64(h, 40), "hash", 32)?;
    let signature = range(auth, be64(h, 48), be64(h, 56), "signature", 48)?;
    let pubkey = range(aux, be64(h, 64), be64(h, 72), "public key", 64)?;
    range(aux, be64(h, 80), be64(h, 88), "public key metadata", 80)?;
    let desc_off = be64(h, 96);
    let descs = range(aux, desc_off, be64(h, 104), "descriptors", 96)?;
    let release_string = String::from_utf8_lossy(&h[128..176])
        .trim_end_matches('\0')
        .to_string();
    let descriptors = parse_descriptors(descs, aux_base + desc_off as usize)?;
    let (n, bits) = if pubkey.is_empty() {
        (None, None)
    } else {
        let (n, bits) = parse_public_key(pubkey, aux_base + be64(h, 64) as usize)?;
        (Some(n), Some(bits))
    };
    let vbmeta_digest = hex::encode(Sha256::digest(&data[..total]));
    let public_key_sha256 = (!pubkey.is_empty()).then(|| hex::encode(Sha256::digest(pubkey)));
    let v = Vbmeta {
        required_libavb_version: format!("{}.{}", be32(h, 4), be32(h, 8)),
        algorithm: alg.name.to_string(),
        rollback_index: be64(h, 112),
        rollback_index_location: be32(h, 124),
        flags: be32(h, 120),
        release_string,
        vbmeta_digest,
        public_key_sha256,
        public_key_bits: bits,
        descriptors,
    };
    let mut rep = Report::new(
        EvidenceKind::AvbVbmeta,
        format!(
            "AVB vbmeta image, {}, {} descriptors",
            v.algorithm,
            v.descriptors.len()
        ),
    );
    // Checks.
    let mut signed = h.to_vec();
    signed.extend_from_slice(aux);
    if alg_no == 0 {
        rep.check(
            "vbmeta-hash",
            Status::Fail,
            "algorithm NONE: the image is not signed",
        );
        rep.check(
            "vbmeta-signature",
            Status::Fail,
            "algorithm NONE: the image is not signed",
        );
    } else {
        let computed: Vec<u8> = if alg.sha512 {
            Sha512::digest(&signed).to_vec()
        } else {
            Sha256::digest(&signed).to_vec()
        };
        rep.check_bool(
            "vbmeta-hash",
            computed.as_slice() == stored_hash,
            if computed.as_slice() == stored_hash {
                "the stored hash matches header and auxiliary data".to_string()
            } else {
                format!(
                    "stored hash {} differs from computed {}",
                    hex::encode(stored_hash),
                    hex::encode(&computed)
                )
            },
        );
        let verdict = match (&n, bits) {
            (Some(n), Some(b)) if b == alg.bits => verify_rsa(n, alg.sha512, &signed, signature),
            (Some(_), Some(b)) => Err(format!("{b}-bit key for algorithm {}", alg.name)),
            _ => Err("no public key in the image".to_string()),
        };
        match verdict {
            Ok(()) => rep.check(
                "vbmeta-signature",
                Status::Pass,
                format!(
                    "{} signature verifies with the embedded {}-bit key",
                    alg.name, alg.bits
                ),
            ),
            Err(e) => rep.check("vbmeta-signature", Status::Fail, e),
        }
    }
    match (
        &v.public_key_sha256,
        known_test_key(v.public_key_sha256.as_deref()),
    ) {
        (Some(k), Some(name)) => rep.check(
            "vbmeta-key-not-test-key",
            Status::Fail,
            format!("signed with the public {name} (sha256:{k}): anyone can sign with it"),
        ),
        (Some(k), None) => rep.check(
            "vbmeta-key-not-test-key",
            Status::Pass,
            format!("key sha256:{k} is not a known public AOSP test key"),
        ),
        (None, _) => {}
    }
    // AVB_VBMETA_IMAGE_FLAGS_HASHTREE_DISABLED (1) and
    // ..._VERIFICATION_DISABLED (2): an unlocked bootloader honours them.
    let disabled: Vec<&str> = [(1, "hashtree"), (2, "verification")]
        .iter()
        .filter(|(bit, _)| v.flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    rep.check_bool(
        "vbmeta-verification-enabled",
        disabled.is_empty(),
        if disabled.is_empty() {
            "neither hashtree nor verification is disabled in the header flags".to_string()
        } else {
            format!(
                "header flags {} disable {}",
                v.flags,
                disabled.join(" and ")
            )
        },
    );
    rep.check(
        "vbmeta-key-trust",
        Status::NotApplicable,
        "the embedded key is the image's own; whether it is the OEM's is shown by an attestation's verifiedBootKey (`--vbmeta` on the attestation, or both in one stack)",
    );
    rep.field("algorithm", v.algorithm.clone());
    rep.field("required-libavb-version", v.required_libavb_version.clone());
    rep.field("rollback-index", v.rollback_index.to_string());
    rep.field(
        "rollback-index-location",
        v.rollback_index_location.to_string(),
    );
    rep.field("flags", v.flags.to_string());
    rep.field("release-string", v.release_string.clone());
    rep.field("vbmeta-digest", v.vbmeta_digest.clone());
    rep.field_opt("public-key-sha256", v.public_key_sha256.clone());
    for d in &v.descriptors {
        match d {
            Descriptor::Hash {
                partition,
                digest,
                hash_algorithm,
                ..
            } => rep.field(
                &format!("hash.{partition}"),
                format!("{hash_algorithm}:{digest}"),
            ),
            Descriptor::Hashtree {
                partition,
                root_digest,
                hash_algorithm,
                ..
            } => rep.field(
                &format!("hashtree.{partition}"),
                format!("{hash_algorithm}:{root_digest}"),
            ),
            Descriptor::ChainPartition {
                partition,
                public_key_sha256,
                rollback_index_location,
            } => rep.field(
                &format!("chain.{partition}"),
                format!(
                    "key sha256:{public_key_sha256}, rollback location {rollback_index_location}"
                ),
            ),
            Descriptor::Property { key, value } => {
                rep.field(&format!("property.{key}"), value.clone())
            }
            _ => {}
        }
    }
    rep.decoded = serde_json::to_value(&v)
        .map_err(|e| Malformed::internal("cannot serialise the decoded image", e))?;
    Ok(rep)
}

fn verify_rsa(n: &[u8], sha512: bool, msg: &[u8], sig: &[u8]) -> Result<(), String> {
    use aws_lc_rs::signature::{self, RsaPublicKeyComponents};
    let alg = if sha512 {
        &signature::RSA_PKCS1_2048_8192_SHA512
    } else {
        &signature::RSA_PKCS1_2048_8192_SHA256
    };
    let key = RsaPublicKeyComponents {
        n,
        e: &[0x01, 0x00, 0x01][..],
    };
    key.verify(alg, msg, sig)
        .map_err(|_| "the signature does not verify with the embedded public key".to_string())
}

/// AVB public key: u32 bits, u32 n0inv, modulus (bits/8), rr (bits/8).
fn parse_public_key(k: &[u8], base: usize) -> Result<(Vec<u8>, u32), Malformed> {
    if k.len() < 8 {
        return Err(bad("public key shorter than its 8-byte header", base));
    }
    let bits = be32(k, 0);
    if bits == 0 || !bits.is_multiple_of(8) || bits > 16384 {
        return Err(bad(
            format!("public key size {bits} bits is not valid"),
            base,
        ));
    }
    let nb = (bits / 8) as usize;
    if k.len() != 8 + 2 * nb {
        return Err(bad(
            format!(
                "public key blob is {} bytes; a {bits}-bit key takes {}",
                k.len(),
                8 + 2 * nb
            ),
            base,
        ));
    }
    Ok((k[8..8 + nb].to_vec(), bits))
}

fn cstr(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .trim_end_matches('\0')
        .to_string()
}

fn take<'a>(
    d: &'a [u8],
    at: &mut usize,
    n: u64,
    what: &str,
    base: usize,
) -> Result<&'a [u8], Malformed> {
    let start = *at;
    let end = (start as u64)
        .checked_add(n)
        .filter(|e| *e <= d.len() as u64)
        .ok_or_else(|| bad(format!("{what} runs past its descriptor"), base + start))?
        as usize;
    *at = end;
    Ok(&d[start..end])
}

fn parse_descriptors(d: &[u8], base: usize) -> Result<Vec<Descriptor>, Malformed> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < d.len() {
        if d.len() - pos < 16 {
            return Err(bad("truncated descriptor header", base + pos));
        }
        let tag = be64(d, pos);
        let nfollow = be64(d, pos + 8);
        if !nfollow.is_multiple_of(8) {
            return Err(bad(
                format!("descriptor size {nfollow} is not a multiple of 8"),
                base + pos,
            ));
        }
        let body_start = pos + 16;
        let body_end = (body_start as u64)
            .checked_add(nfollow)
            .filter(|e| *e <= d.len() as u64)
            .ok_or_else(|| {
                bad(
                    format!("descriptor of {nfollow} bytes runs past the descriptor block"),
                    base + pos,
                )
            })? as usize;
        let body = &d[body_start..body_end];
        let at = base + pos;
        out.push(descriptor(tag, body, at)?);
        pos = body_end;
    }
    Ok(out)
}

fn need(body: &[u8], n: usize, what: &str, at: usize) -> Result<(), Malformed> {
    if body.len() < n {
        Err(bad(
            format!("{what} descriptor shorter than its {n}-byte fixed part"),
            at,
        ))
    } else {
        Ok(())
    }
}

fn descriptor(tag: u64, b: &[u8], at: usize) -> Result<Descriptor, Malformed> {
    Ok(match tag {
        0 => {
            need(b, 16, "property", at)?;
            let (kl, vl) = (be64(b, 0), be64(b, 8));
            let mut p = 16;
            let key = take(b, &mut p, kl, "property key", at)?;
            take(b, &mut p, 1, "property key terminator", at)?;
            let value = take(b, &mut p, vl, "property value", at)?;
            Descriptor::Property {
                key: String::from_utf8_lossy(key).into_owned(),
                value: String::from_utf8_lossy(value).into_owned(),
            }
        }
        1 => {
            need(b, 164, "hashtree", at)?;
            let image_size = be64(b, 4);
            let hash_algorithm = cstr(&b[52..84]);
            let (nl, sl, dl) = (be32(b, 84), be32(b, 88), be32(b, 92));
            let mut p = 164;
            let name = take(b, &mut p, u64::from(nl), "partition name", at)?;
            let salt = take(b, &mut p, u64::from(sl), "salt", at)?;
            let digest = take(b, &mut p, u64::from(dl), "root digest", at)?;
            Descriptor::Hashtree {
                partition: String::from_utf8_lossy(name).into_owned(),
                image_size,
                hash_algorithm,
                root_digest: hex::encode(digest),
                salt: hex::encode(salt),
            }
        }
        2 => {
            need(b, 116, "hash", at)?;
            let image_size = be64(b, 0);
            let hash_algorithm = cstr(&b[8..40]);
            let (nl, sl, dl) = (be32(b, 40), be32(b, 44), be32(b, 48));
            let mut p = 116;
            let name = take(b, &mut p, u64::from(nl), "partition name", at)?;
            let salt = take(b, &mut p, u64::from(sl), "salt", at)?;
            let digest = take(b, &mut p, u64::from(dl), "digest", at)?;
            Descriptor::Hash {
                partition: String::from_utf8_lossy(name).into_owned(),
                image_size,
                hash_algorithm,
                digest: hex::encode(digest),
                salt: hex::encode(salt),
            }
        }
        3 => {
            need(b, 8, "kernel cmdline", at)?;
            let len = be32(b, 4);
            let mut p = 8;
            let c = take(b, &mut p, u64::from(len), "kernel command line", at)?;
            Descriptor::KernelCmdline {
                cmdline: String::from_utf8_lossy(c).into_owned(),
            }
        }
        4 => {
            need(b, 76, "chain partition", at)?;
            let rollback_index_location = be32(b, 0);
            let (nl, kl) = (be32(b, 4), be32(b, 8));
            let mut p = 76;
            let name = take(b, &mut p, u64::from(nl), "partition name", at)?;
            let key = take(b, &mut p, u64::from(kl), "public key", at)?;
            Descriptor::ChainPartition {
                partition: String::from_utf8_lossy(name).into_owned(),
                rollback_index_location,
                public_key_sha256: hex::encode(Sha256::digest(key)),
            }
        }
        t => Descriptor::Unknown {
            tag: t,
            size: b.len() as u64,
        },
    })
}

/// SHA-256 of AVB public key blobs whose private keys are public (AOSP
/// `external/avb/test/data`), with their names.
const TEST_KEYS: &[(&str, &str)] = &[(
    "7ec02ee1be696366f3fa91240a8ec68125c4145d698f597aa2b3464b59ca7fc3",
    "AOSP AVB test key testkey_rsa4096",
)];

fn known_test_key(sha: Option<&str>) -> Option<&'static str> {
    let sha = sha?;
    TEST_KEYS.iter().find(|(k, _)| *k == sha).map(|(_, n)| *n)
}

/// Compare a vbmeta image with a key attestation's RootOfTrust: checks
/// `avb-boot-key-match` and `avb-boot-hash-match`.
pub fn relate(vbmeta: &Report, attestation: &Report, rep: &mut Report) {
    let get = |r: &Report, n: &str| {
        r.fields
            .iter()
            .find(|f| f.name == n)
            .map(|f| f.value.clone())
    };
    let pairs = [
        (
            "avb-boot-key-match",
            "public-key-sha256",
            "root-of-trust.verified-boot-key",
            "verifiedBootKey",
        ),
        (
            "avb-boot-hash-match",
            "vbmeta-digest",
            "root-of-trust.verified-boot-hash",
            "verifiedBootHash",
        ),
    ];
    for (check, vf, af, label) in pairs {
        match (get(vbmeta, vf), get(attestation, af)) {
            (Some(v), Some(a)) => rep.check_bool(
                check,
                v == a,
                if v == a {
                    format!("attestation {label} equals the vbmeta {vf} {v}")
                } else {
                    format!("attestation {label} {a} differs from the vbmeta {vf} {v}")
                },
            ),
            _ => rep.check(
                check,
                Status::NotApplicable,
                format!("attestation carries no {label}"),
            ),
        }
    }
}
