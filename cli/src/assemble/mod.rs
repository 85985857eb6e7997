//! `assemble`: a stack manifest and its evidence become one CycloneDX BOM.
//!
//! The work runs in three phases so that a user sees every problem at once:
//! 1. load the manifest and check it against the fleet (every supplier,
//!    upstream and operator id known; split fractions summing to 1; every
//!    evidence path inside the fleet root and present) — all errors together;
//! 2. hash and read the evidence (parallel, streaming; see `hashing`);
//! 3. build the BOM (see `bom`), deterministically: same inputs, same bytes.

mod bom;
mod check;
mod evidence;
mod parse;
mod record;

use std::path::Path;

use crate::clock::{Time, Timestamp};
use crate::diag::{Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::fsutil;
use crate::hashing::Progress;
use crate::model::{self, FileKind, Loaded, Stack};

pub use bom::{OutputFormat, render};
pub use record::{EvidenceRecord, FileRecord};

/// Options for [`assemble`].
#[derive(Clone, Copy)]
pub struct AssembleOptions<'a> {
    /// The fleet root; discovered from the stack's location when `None`.
    pub root: Option<&'a Path>,
    /// Record this time as `metadata.timestamp` (RFC 3339, as written) and
    /// judge time-dependent evidence checks at it. Without it the BOM
    /// carries no wall-clock time and is byte-reproducible.
    pub timestamp: Option<&'a str>,
    /// The instant signed evidence (Sigstore provenance, model signatures)
    /// is verified at when no timestamp is given: the wall clock, read by
    /// the binary.
    pub now: Timestamp,
    /// Where hashing reports its progress.
    pub progress: Option<&'a dyn Progress>,
}

impl AssembleOptions<'_> {
    /// Options with no fixed root, no timestamp and no progress, verifying
    /// signed evidence at `now`.
    pub fn new(now: Timestamp) -> Self {
        AssembleOptions {
            root: None,
            timestamp: None,
            now,
            progress: None,
        }
    }
}

impl std::fmt::Debug for AssembleOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssembleOptions")
            .field("root", &self.root)
            .field("timestamp", &self.timestamp)
            .field("now", &self.now)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// An assembled attestation.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The device id.
    pub device_id: String,
    /// The BOM (CycloneDX 1.5); see [`render`].
    pub bom: cyclonedx_bom::models::bom::Bom,
    /// What was read from each evidence entry, in manifest order.
    pub evidence: Vec<EvidenceRecord>,
    /// Warnings that did not stop assembly.
    pub warnings: Vec<Diagnostic>,
}

/// Assemble the stack manifest at `stack_path`; `-` reads it from standard
/// input (the fleet is then found from the current directory unless
/// `opts.root` names it).
pub fn assemble(stack_path: &Path, opts: &AssembleOptions<'_>) -> Result<Assembled> {
    let at = opts
        .timestamp
        .map(|t| Time::parse(t).map_err(|e| Error::Usage(format!("--timestamp {e}"))))
        .transpose()?;
    let stdin = fsutil::is_stdin(stack_path);
    let stack: Loaded<Stack> = if stdin {
        let text = fsutil::read_input_text(stack_path)?;
        model::parse_str(&text, Path::new(fsutil::STDIN_NAME), FileKind::Stack)?
    } else {
        model::load(stack_path, FileKind::Stack)?
    };
    let fleet = match opts.root {
        Some(r) => Fleet::open(r)?,
        None if stdin => Fleet::discover(Path::new("."))?,
        None => Fleet::discover(stack_path)?,
    };
    let mut warnings = check::check_stack(&stack, &fleet)?;
    // A vendor written by its legal name or an alias is recorded by its id.
    warnings.extend(fleet.alias_notes(&stack));
    let mut resolved = stack.value.clone();
    resolved.visit_vendor_names(|_, _, name| {
        if let Some(id) = fleet.resolve(name).id() {
            *name = id.to_string();
        }
    });
    let evidence = evidence::collect(&stack, &fleet, opts.progress, at, opts.now)?;
    for rec in &evidence {
        warnings.extend(rec.warnings.iter().cloned());
    }
    let bom = bom::build(&resolved, &fleet, &evidence, opts.timestamp)?;
    Ok(Assembled {
        device_id: stack.value.device.id.clone(),
        bom,
        evidence,
        warnings,
    })
}
