//! `init`: write a working starter fleet that `assemble` and `validate`
//! accept as is.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fsutil;

/// The starter files, relative to the target directory.
pub const STARTER: [(&str, &[u8]); 6] = [
    ("vendors.yaml", include_bytes!("vendors.yaml")),
    ("designations.yaml", include_bytes!("designations.yaml")),
    ("policy.yaml", include_bytes!("policy.yaml")),
    (
        "approved-devices.yaml",
        include_bytes!("approved-devices.yaml"),
    ),
    (
        "stacks/example-phone.yaml",
        include_bytes!("example-phone.yaml"),
    ),
    (
        "evidence/example-phone/firmware.bin",
        b"example firmware image: replace with the real file\n",
    ),
];

/// Write the starter set into `dir`. Refuses to overwrite an existing file
/// unless `force`; checks every file before writing any.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    if !force {
        let existing: Vec<Diagnostic> = STARTER
            .iter()
            .map(|(rel, _)| dir.join(rel))
            .filter(|p| p.exists())
            .map(|p| {
                Diagnostic::error(Code::FileExists, "refusing to overwrite an existing file")
                    .in_file(p)
                    .help("pass --force to overwrite, or choose another directory")
            })
            .collect();
        if !existing.is_empty() {
            return Err(Error::Invalid(existing));
        }
    }
    let mut written = Vec::new();
    for (rel, bytes) in STARTER {
        let p = dir.join(rel);
        fsutil::write_atomic(&p, bytes)?;
        written.push(p);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, ApprovedDevices, Designations, FileKind, Policy, Stack, Vendors};

    #[test]
    fn starter_files_parse_and_refuse_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false).unwrap();
        let d = dir.path();
        model::load::<Vendors>(&d.join("vendors.yaml"), FileKind::Vendors).unwrap();
        model::load::<Designations>(&d.join("designations.yaml"), FileKind::Designations).unwrap();
        model::load::<Policy>(&d.join("policy.yaml"), FileKind::Policy).unwrap();
        model::load::<ApprovedDevices>(&d.join("approved-devices.yaml"), FileKind::ApprovedDevices)
            .unwrap();
        model::load::<Stack>(&d.join("stacks/example-phone.yaml"), FileKind::Stack).unwrap();
        let e = init(d, false).unwrap_err();
        assert_eq!(e.diagnostics().len(), STARTER.len());
        init(d, true).unwrap();
    }
}
