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

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result};
use crate::fleet::Fleet;
use crate::model::{self, FileKind, Loaded, Stack};

pub use bom::{OutputFormat, render};
pub use evidence::{EvidenceRecord, FileRecord};

/// Options for [`assemble`].
#[derive(Debug, Clone, Default)]
pub struct AssembleOptions {
    /// The fleet root; discovered from the stack's location when `None`.
    pub root: Option<PathBuf>,
    /// Record this time as `metadata.timestamp` (RFC 3339). Without it the
    /// BOM carries no wall-clock time and is byte-reproducible.
    pub timestamp: Option<String>,
    /// Show a progress bar on stderr while hashing (only on a terminal).
    pub progress: bool,
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

/// Assemble the stack manifest at `stack_path`.
pub fn assemble(stack_path: &Path, opts: &AssembleOptions) -> Result<Assembled> {
    let stack: Loaded<Stack> = model::load(stack_path, FileKind::Stack)?;
    let fleet = match &opts.root {
        Some(r) => Fleet::open(r)?,
        None => Fleet::discover(stack_path)?,
    };
    let mut warnings = check::check_stack(&stack, &fleet)?;
    let at = opts.timestamp.as_deref().and_then(|t| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    });
    let evidence = evidence::collect(&stack, &fleet, opts.progress, at)?;
    for rec in &evidence {
        warnings.extend(rec.warnings.iter().cloned());
    }
    let bom = bom::build(&stack.value, &fleet, &evidence, opts.timestamp.as_deref())?;
    Ok(Assembled {
        device_id: stack.value.device.id.clone(),
        bom,
        evidence,
        warnings,
    })
}
