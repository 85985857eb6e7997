//! Kind-specific reading of evidence: what each evidence kind contributes to
//! the BOM beyond its digest.

use std::path::Path;

use crate::diag::{Diagnostic, Error, Result};
use crate::model::EvidenceKind;

use super::evidence::EvidenceRecord;

/// Parse `full` according to `rec.kind` and add its properties to `rec`.
/// `manifest` names the stack file in diagnostics.
pub fn parse_kind(rec: &mut EvidenceRecord, full: &Path, manifest: &Path) -> Result<()> {
    let _ = full;
    match rec.kind {
        EvidenceKind::File | EvidenceKind::Directory => Ok(()),
        other => Err(Error::invalid(
            Diagnostic::error(
                "unsupported-evidence-kind",
                format!(
                    "evidence kind `{}` is not supported by this build of strata",
                    other.as_str()
                ),
            )
            .in_file(manifest)
            .help("attach it as `kind: file` to record its digest"),
        )),
    }
}
