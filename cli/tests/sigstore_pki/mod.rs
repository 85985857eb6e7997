//! Offline Sigstore trust material for tests: a Fulcio-like CA whose leaf
//! certificates carry an embedded SCT from a test CT log, a Rekor-like log
//! that issues SETs, Merkle inclusion proofs and signed checkpoints, and an
//! organisation PKI (root, intermediate, leaf). Everything is generated at
//! test time; nothing touches the network.

#![allow(dead_code)]

use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use serde_json::{Value, json};
use sigstore_verify::crypto::KeyPair as SigKeyPair;
use x509_cert::der::{Decode, Encode};

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    *sigstore_verify::crypto::sha256(bytes).as_bytes()
}

fn odt(t: jiff::Timestamp) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(t.as_second()).unwrap()
}

/// A key that signs (the CT log, the Rekor log, a signer).
pub struct LogKey {
    pub pair: SigKeyPair,
}

impl LogKey {
    pub fn new() -> Self {
        LogKey {
            pair: SigKeyPair::generate_ecdsa_p256().unwrap(),
        }
    }
    pub fn spki(&self) -> Vec<u8> {
        self.pair.public_key_der().unwrap().as_bytes().to_vec()
    }
    pub fn id(&self) -> [u8; 32] {
        sha256(&self.spki())
    }
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        self.pair.sign(data).unwrap().as_bytes().to_vec()
    }
}

/// How a leaf certificate is made.
pub struct LeafSpec<'a> {
    pub san: SanType,
    pub issuer: Option<&'a str>,
    pub not_before: jiff::Timestamp,
    pub not_after: jiff::Timestamp,
    pub code_signing: bool,
    pub sct: bool,
}

/// A leaf certificate and its key.
pub struct Leaf {
    pub der: Vec<u8>,
    pub pkcs8: Vec<u8>,
}

impl Leaf {
    pub fn pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.der.clone()))
    }
    pub fn key_pem(&self) -> String {
        pem::encode(&pem::Pem::new("PRIVATE KEY", self.pkcs8.clone()))
    }
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        SigKeyPair::from_pkcs8_der(&self.pkcs8)
            .unwrap()
            .sign(data)
            .unwrap()
            .as_bytes()
            .to_vec()
    }
}

/// A CA: its parameters, key and certificate.
pub struct Ca {
    pub params: CertificateParams,
    pub key: KeyPair,
    pub der: Vec<u8>,
}

impl Ca {
    pub fn root(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name = dn(name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = time::OffsetDateTime::from_unix_timestamp(1_577_836_800).unwrap();
        params.not_after = time::OffsetDateTime::from_unix_timestamp(4_102_444_800).unwrap();
        let key = KeyPair::generate().unwrap();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        Ca { params, key, der }
    }

    pub fn intermediate(name: &str, parent: &Ca) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name = dn(name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = time::OffsetDateTime::from_unix_timestamp(1_577_836_800).unwrap();
        params.not_after = time::OffsetDateTime::from_unix_timestamp(4_102_444_800).unwrap();
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&parent.params, &parent.key);
        let der = params.signed_by(&key, &issuer).unwrap().der().to_vec();
        Ca { params, key, der }
    }

    pub fn pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.der.clone()))
    }

    fn spki(&self) -> Vec<u8> {
        use rcgen::PublicKeyData;
        self.key.subject_public_key_info()
    }

    /// Issue a leaf. With `sct`, the leaf embeds an SCT from `ct`.
    pub fn issue(&self, spec: &LeafSpec<'_>, ct: Option<&LogKey>) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let der = self.issue_for(spec, ct, &key);
        Leaf {
            der,
            pkcs8: key.serialize_der(),
        }
    }

    /// Issue a leaf for someone else's public key (DER SubjectPublicKeyInfo),
    /// as Fulcio does; returns the certificate's DER.
    pub fn issue_for_spki(&self, spec: &LeafSpec<'_>, ct: Option<&LogKey>, spki: &[u8]) -> Vec<u8> {
        self.issue_for(spec, ct, &P256Spki::from_der(spki))
    }

    fn issue_for(
        &self,
        spec: &LeafSpec<'_>,
        ct: Option<&LogKey>,
        key: &impl rcgen::PublicKeyData,
    ) -> Vec<u8> {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params.subject_alt_names = vec![spec.san.clone()];
        params.serial_number = Some(SerialNumber::from(vec![0x11, 0x22, 0x33, 0x44]));
        params.not_before = odt(spec.not_before);
        params.not_after = odt(spec.not_after);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = if spec.code_signing {
            vec![ExtendedKeyUsagePurpose::CodeSigning]
        } else {
            vec![ExtendedKeyUsagePurpose::EmailProtection]
        };
        params.use_authority_key_identifier_extension = true;
        if let Some(iss) = spec.issuer {
            // Fulcio's OIDC issuer (v2): a DER UTF8String.
            let mut v = vec![0x0c, iss.len() as u8];
            v.extend_from_slice(iss.as_bytes());
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    &[1, 3, 6, 1, 4, 1, 57264, 1, 8],
                    v,
                ));
        }
        let issuer = Issuer::from_params(&self.params, &self.key);
        let precert = params.signed_by(key, &issuer).unwrap().der().to_vec();
        match (spec.sct, ct) {
            (true, Some(ct)) => {
                let cert = x509_cert::Certificate::from_der(&precert).unwrap();
                let tbs = cert.tbs_certificate.to_der().unwrap();
                let ts: u64 = (spec.not_before.as_millisecond() + 1000) as u64;
                let issuer_key_hash = sha256(&self.spki());
                // RFC 6962 digitally-signed data for a precert entry.
                let mut signed = vec![0u8, 0u8];
                signed.extend_from_slice(&ts.to_be_bytes());
                signed.extend_from_slice(&1u16.to_be_bytes());
                signed.extend_from_slice(&issuer_key_hash);
                let len = tbs.len() as u32;
                signed.extend_from_slice(&len.to_be_bytes()[1..]);
                signed.extend_from_slice(&tbs);
                signed.extend_from_slice(&0u16.to_be_bytes());
                let sig = ct.sign(&signed);
                let mut sct = vec![0u8];
                sct.extend_from_slice(&ct.id());
                sct.extend_from_slice(&ts.to_be_bytes());
                sct.extend_from_slice(&0u16.to_be_bytes());
                sct.extend_from_slice(&[4, 3]);
                sct.extend_from_slice(&(sig.len() as u16).to_be_bytes());
                sct.extend_from_slice(&sig);
                let mut list = ((sct.len() + 2) as u16).to_be_bytes().to_vec();
                list.extend_from_slice(&(sct.len() as u16).to_be_bytes());
                list.extend_from_slice(&sct);
                let octet = x509_cert::der::asn1::OctetString::new(list)
                    .unwrap()
                    .to_der()
                    .unwrap();
                params
                    .custom_extensions
                    .push(CustomExtension::from_oid_content(
                        &[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],
                        octet,
                    ));
                params.signed_by(key, &issuer).unwrap().der().to_vec()
            }
            _ => precert,
        }
    }
}

/// A P-256 public key given as SubjectPublicKeyInfo DER, for rcgen.
struct P256Spki {
    point: Vec<u8>,
}

impl P256Spki {
    fn from_der(spki: &[u8]) -> Self {
        use x509_cert::der::Decode;
        let info = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(spki).unwrap();
        P256Spki {
            point: info.subject_public_key.raw_bytes().to_vec(),
        }
    }
}

impl rcgen::PublicKeyData for P256Spki {
    fn der_bytes(&self) -> &[u8] {
        &self.point
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

fn dn(name: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::OrganizationName, "strata tests");
    d.push(DnType::CommonName, name);
    d
}

/// A Sigstore-like world: Fulcio CA, CT log, Rekor log.
pub struct World {
    pub fulcio: Ca,
    pub ct: LogKey,
    pub rekor: LogKey,
    pub now: jiff::Timestamp,
}

pub const ISSUER: &str = "https://issuer.example.test";
pub const IDENTITY: &str =
    "https://ci.example.test/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0";

impl World {
    pub fn new() -> Self {
        World {
            fulcio: Ca::root("test-fulcio"),
            ct: LogKey::new(),
            rekor: LogKey::new(),
            now: jiff::Timestamp::now(),
        }
    }

    pub fn minutes(&self, m: i64) -> jiff::Timestamp {
        self.now + jiff::SignedDuration::from_secs(m * 60)
    }

    /// The trusted root, with each validity window `start` (and optional
    /// `end`) in RFC 3339.
    pub fn trusted_root(
        &self,
        ca_window: (&str, Option<&str>),
        rekor_window: (&str, Option<&str>),
    ) -> String {
        let window = |(s, e): (&str, Option<&str>)| match e {
            Some(e) => json!({"start": s, "end": e}),
            None => json!({"start": s}),
        };
        let log = |k: &LogKey, url: &str, w: Value| {
            json!({
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {"rawBytes": b64(&k.spki()), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": w},
                "logId": {"keyId": b64(&k.id())}
            })
        };
        serde_json::to_string_pretty(&json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log(&self.rekor, "https://rekor.example.test", window(rekor_window))],
            "certificateAuthorities": [{
                "subject": {"organization": "strata tests", "commonName": "test-fulcio"},
                "uri": "https://fulcio.example.test",
                "certChain": {"certificates": [{"rawBytes": b64(&self.fulcio.der)}]},
                "validFor": window(ca_window)
            }],
            "ctlogs": [log(&self.ct, "https://ct.example.test", window(("2020-01-01T00:00:00Z", None)))],
            "timestampAuthorities": []
        }))
        .unwrap()
    }

    pub fn default_root(&self) -> String {
        self.trusted_root(
            ("2020-01-01T00:00:00Z", None),
            ("2020-01-01T00:00:00Z", None),
        )
    }

    /// A Fulcio-like leaf valid from `nb` to `na` minutes from now.
    pub fn leaf(&self, identity: &str, nb: i64, na: i64) -> Leaf {
        self.fulcio.issue(
            &LeafSpec {
                san: SanType::URI(identity.try_into().unwrap()),
                issuer: Some(ISSUER),
                not_before: self.minutes(nb),
                not_after: self.minutes(na),
                code_signing: true,
                sct: true,
            },
            Some(&self.ct),
        )
    }
}

/// How the log entry is made (defaults: all honest).
pub struct EntryOpts<'a> {
    /// Log this payload instead of the envelope's (an entry for something
    /// else).
    pub logged_payload: Option<&'a [u8]>,
    /// Sign the checkpoint with this key (hint still the log's).
    pub checkpoint_key: Option<&'a LogKey>,
    /// Put this key hint on the checkpoint signature.
    pub checkpoint_hint: Option<[u8; 4]>,
    /// Integrated time, minutes from now.
    pub integrated: i64,
}

impl Default for EntryOpts<'_> {
    fn default() -> Self {
        EntryOpts {
            logged_payload: None,
            checkpoint_key: None,
            checkpoint_hint: None,
            integrated: -1,
        }
    }
}

/// What the test Rekor log says about an entry: index 0 of a two-leaf tree
/// whose other leaf is `another entry`.
pub struct Logged {
    pub root: [u8; 32],
    pub other: [u8; 32],
    pub checkpoint: String,
    pub integrated: i64,
    pub log_id: [u8; 32],
    pub set: Vec<u8>,
}

/// Log `body` as Rekor would: Merkle root, signed checkpoint, SET.
pub fn log_entry(world: &World, body: &[u8], opts: &EntryOpts<'_>) -> Logged {
    let leaf_hash = sigstore_merkle::hash_leaf(body);
    let other = sigstore_merkle::hash_leaf(b"another entry");
    let root = sigstore_merkle::hash_children(&leaf_hash, &other);
    let origin = "rekor.example.test - 42";
    let note = format!("{origin}\n2\n{}\n", b64(root.as_bytes()));
    let cp_key = opts.checkpoint_key.unwrap_or(&world.rekor);
    let mut hint = opts
        .checkpoint_hint
        .unwrap_or_else(|| world.rekor.id()[..4].try_into().unwrap())
        .to_vec();
    hint.extend(cp_key.sign(note.as_bytes()));
    let checkpoint = format!("{note}\n— rekor.example.test {}\n", b64(&hint));
    let integrated = world.minutes(opts.integrated).as_second();
    let log_id = world.rekor.id();
    let set_payload = format!(
        r#"{{"body":"{}","integratedTime":{integrated},"logID":"{}","logIndex":0}}"#,
        b64(body),
        hex::encode(log_id)
    );
    let set = world.rekor.sign(set_payload.as_bytes());
    Logged {
        root: *root.as_bytes(),
        other: *other.as_bytes(),
        checkpoint,
        integrated,
        log_id,
        set,
    }
}

/// A keyless-style bundle v0.3: DSSE over `payload`, signed by `leaf`,
/// logged as a dsse/0.0.1 entry at index 0 of a two-leaf tree, with SET,
/// inclusion proof and checkpoint.
pub fn keyless_bundle(world: &World, leaf: &Leaf, payload: &[u8], opts: &EntryOpts<'_>) -> Value {
    let sig = leaf.sign(&sigstore_types::pae(
        "application/vnd.in-toto+json",
        payload,
    ));
    dsse_bundle(
        world,
        &sig,
        leaf.pem().as_bytes(),
        json!({"certificate": {"rawBytes": b64(&leaf.der)}}),
        payload,
        opts,
    )
}

/// The same, signed with a bare key (as the npm registry signs its publish
/// attestations): the verification material is the key's hint.
pub fn key_bundle(world: &World, key: &LogKey, payload: &[u8], opts: &EntryOpts<'_>) -> Value {
    let sig = key.sign(&sigstore_types::pae(
        "application/vnd.in-toto+json",
        payload,
    ));
    let pem = pem::encode(&pem::Pem::new("PUBLIC KEY", key.spki()));
    let hint = format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(key.id())
    );
    dsse_bundle(
        world,
        &sig,
        pem.as_bytes(),
        json!({"publicKey": {"hint": hint}}),
        payload,
        opts,
    )
}

fn dsse_bundle(
    world: &World,
    sig: &[u8],
    verifier_pem: &[u8],
    material: Value,
    payload: &[u8],
    opts: &EntryOpts<'_>,
) -> Value {
    let payload_type = "application/vnd.in-toto+json";
    let logged = opts.logged_payload.unwrap_or(payload);
    let body = serde_json::to_vec(&json!({
        "apiVersion": "0.0.1",
        "kind": "dsse",
        "spec": {
            "envelopeHash": {"algorithm": "sha256", "value": hex::encode(sha256(b"envelope"))},
            "payloadHash": {"algorithm": "sha256", "value": hex::encode(sha256(logged))},
            "signatures": [{"signature": b64(sig), "verifier": b64(verifier_pem)}]
        }
    }))
    .unwrap();
    let Logged {
        root,
        other,
        checkpoint,
        integrated,
        log_id,
        set,
    } = log_entry(world, &body, opts);
    let mut material = material;
    material["tlogEntries"] = json!([{
        "logIndex": "0",
        "logId": {"keyId": b64(&log_id)},
        "kindVersion": {"kind": "dsse", "version": "0.0.1"},
        "integratedTime": integrated.to_string(),
        "inclusionPromise": {"signedEntryTimestamp": b64(&set)},
        "inclusionProof": {
            "logIndex": "0",
            "rootHash": b64(&root),
            "treeSize": "2",
            "hashes": [b64(&other)],
            "checkpoint": {"envelope": checkpoint}
        },
        "canonicalizedBody": b64(&body)
    }]);
    material["timestampVerificationData"] = json!({});
    json!({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": material,
        "dsseEnvelope": {
            "payload": b64(payload),
            "payloadType": payload_type,
            "signatures": [{"sig": b64(sig)}]
        }
    })
}

/// An in-toto statement naming `artifact` by its SHA-256.
pub fn statement(name: &str, artifact: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": name, "digest": {"sha256": hex::encode(sha256(artifact))}}],
        "predicateType": "https://example.test/predicate",
        "predicate": {}
    }))
    .unwrap()
}

/// Flip one bit of a base64 field of a JSON value.
pub fn flip_b64(v: &mut Value) {
    let s = v.as_str().unwrap();
    let mut bytes = base64::engine::general_purpose::STANDARD.decode(s).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    *v = Value::String(b64(&bytes));
}
