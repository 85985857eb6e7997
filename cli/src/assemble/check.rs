//! Checks of a stack manifest against its fleet, before any hashing: every
//! problem is collected and reported together, each at its line.

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::fsutil;
use crate::model::{Loaded, Stack};

/// Check ids, fractions and evidence paths. Returns warnings; errors stop.
pub fn check_stack(stack: &Loaded<Stack>, fleet: &Fleet) -> Result<Vec<Diagnostic>> {
    let s = &stack.value;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (ptr, what, name) in s.vendor_names() {
        if fleet.resolve(&name).id().is_none() {
            errors.push(stack.diag_at(fleet.unresolved(&name, what), &ptr));
        }
    }
    for (name, layer) in s.layers.iter() {
        let lp = format!("/layers/{name}");
        if !layer.parts.is_empty() {
            let sum: f64 = layer.parts.iter().map(|p| p.fraction).sum();
            if (sum - 1.0).abs() > 1e-6 {
                errors.push(stack.diag_at(
                    Diagnostic::error(
                        Code::FractionsDoNotSum,
                        format!(
                            "the parts of layer `{name}` have fractions summing to {sum}, not 1"
                        ),
                    ),
                    &format!("{lp}/parts"),
                ));
            }
            if layer.supplier.is_some() {
                warnings.push(stack.diag_at(
                    Diagnostic::warning(
                        Code::SupplierAndParts,
                        format!("layer `{name}` has both `supplier` and `parts`; concentration uses `parts`"),
                    ),
                    &format!("{lp}/supplier"),
                ));
            }
        }
        let mut paths: Vec<(String, String, bool)> = layer
            .evidence
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    format!("{lp}/evidence/{i}/path"),
                    e.path.clone(),
                    e.allow_outside_root,
                )
            })
            .collect();
        if let Some(w) = &layer.weights {
            paths.push((format!("{lp}/weights/path"), w.path.clone(), false));
        }
        for (ptr, path, allow) in paths {
            match fsutil::confine(&fleet.root, &path, allow) {
                Err(msg) => errors.push(stack.diag_at(
                    Diagnostic::error(Code::PathOutsideRoot, msg).help(format!(
                        "evidence paths are relative to the fleet root {}; set `allow-outside-root: true` on the entry to allow this",
                        fleet.root.display()
                    )),
                    &ptr,
                )),
                Ok(full) => match std::fs::symlink_metadata(&full) {
                    Err(_) => errors.push(stack.diag_at(
                        Diagnostic::error(Code::MissingEvidence, format!("evidence `{path}` does not exist"))
                            .help(format!("looked for {}", full.display())),
                        &ptr,
                    )),
                    Ok(m) if m.file_type().is_symlink() => errors.push(stack.diag_at(
                        Diagnostic::error(Code::SymlinkRefused, format!("evidence `{path}` is a symbolic link"))
                            .help("point at the real file, or set `allow-symlinks: true` for directory contents"),
                        &ptr,
                    )),
                    Ok(_) => {}
                },
            }
        }
    }
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::Invalid(errors))
    }
}
