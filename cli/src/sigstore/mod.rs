//! Sigstore bundles: signing attestations and verifying them completely,
//! offline.
//!
//! strata writes Sigstore bundle v0.3 files holding a DSSE envelope over an
//! in-toto Statement v1 ([`sign`]), and verifies bundles of every version
//! (v0.1–v0.3) with every check reported by name ([`verify`]).
//!
//! The cryptography and the Sigstore rules come from the `sigstore-verify`
//! family of crates (`sigstore-types`, `sigstore-crypto`, `sigstore-merkle`,
//! `sigstore-tsa`, `sigstore-trust-root`). Their verifier is all-or-nothing:
//! it stops at the first failing step. strata therefore runs each check on
//! its own from the crates' primitives, so that a report names every check,
//! and then runs the library's complete verifier over the same inputs as a
//! cross-check: a bundle passes only when both agree (see
//! [`verify::library`]). Two checks come from the library alone, the
//! embedded SCT and the consistency of a log entry with the bundle; the
//! report says so.
//!
//! Where the library cannot help, strata fills the gap itself: bundles
//! signed with a key or an organisation's own CA carry neither a log entry
//! nor a timestamp, which the library's verifier requires, so those modes
//! are verified by strata's checks alone (each still built on the library's
//! primitives), against the verification time.
//!
//! Only keyless signing ([`keyless`]) touches the network, through one
//! HTTP client ([`keyless::http`]); verification is offline.

pub mod artifact;
pub mod batch;
pub mod checks;
pub mod conformance;
pub mod input;
pub mod keyless;
pub mod keys;
pub mod sign;
pub mod statement;
pub mod trust;
pub mod verify;

pub use checks::{Check, CheckId, Report, Status};

/// Media type of the bundles strata writes.
pub const BUNDLE_V03_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// DSSE payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// `_type` of an in-toto Statement v1.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";

/// `predicateType` of a CycloneDX BOM predicate.
pub const CYCLONEDX_PREDICATE: &str = "https://cyclonedx.org/bom";
