//! The inventories a policy names (`inventories:`): their sources resolved
//! against the policy file, reconciled against the fleet's catalog, and the
//! counts the analysis weighs when asked for observed counts
//! ([`observed`]).
//!
//! Only counts leave this module: identities are reduced to in-memory tags
//! to count each device once ([`Pseudonymizer::without_key`]) and nothing
//! per device is written, so no pseudonym key is needed.

use std::collections::BTreeSet;
use std::path::Path;

use super::{InventoryReport, Mapping, Matcher, Options, Pseudonymizer, Source, SourceFormat};
use crate::analyze::observed::{Observed, UnlistedCount};
use crate::clock::Time;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::layout;
use crate::model::{self, Catalog, Designations, DeviceClass, FileKind, Loaded, PolicyInventories};
use crate::policy::Policy;

/// Default stale window of the policy's inventories, in days.
pub const DEFAULT_STALE_DAYS: u32 = 30;

/// The policy's inventories, reconciled.
#[derive(Debug, Clone)]
pub struct PolicyInventory {
    /// The reconciliation, one source report per policy source, in order.
    pub report: InventoryReport,
    /// The sources, paths joined to the policy file's directory.
    pub sources: Vec<Source>,
    /// The catalog matched against.
    pub catalog: Loaded<Catalog>,
}

/// Reconcile the inventories `policy` names against the fleet's catalog,
/// the `approved` stacks and, when given, the restricted lists; `None` when
/// the policy names no inventories.
pub fn reconcile_policy(
    fleet: &Fleet,
    policy: &Policy,
    approved: &BTreeSet<String>,
    designations: Option<&Designations>,
    now: Time,
) -> Result<Option<PolicyInventory>> {
    let Some(inv) = &policy.file.value.inventories else {
        return Ok(None);
    };
    let policy_dir = policy.path().parent().unwrap_or(Path::new("."));
    let sources = sources(policy, inv, policy_dir)?;
    let catalog_path = layout::catalog(&fleet.root);
    if !catalog_path.is_file() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::NoCatalog,
                "the policy names inventories and the fleet has no catalog to match them against",
            )
            .in_file(&catalog_path)
            .help("write catalog.yaml beside vendors.yaml (`strata schema catalog`)"),
        ));
    }
    let catalog: Loaded<Catalog> = model::load(&catalog_path, FileKind::Catalog)?;
    let report = {
        let matcher = Matcher::new(fleet, &catalog)?;
        super::reconcile(
            &matcher,
            &catalog_path,
            approved,
            designations,
            &Pseudonymizer::without_key(),
            &sources,
            Options {
                now,
                stale_days: inv.stale_days.unwrap_or(DEFAULT_STALE_DAYS),
            },
            None,
        )?
    };
    Ok(Some(PolicyInventory {
        report,
        sources,
        catalog,
    }))
}

/// The inventories the fleet's policy (`policy.yaml`) names, reconciled
/// against the stacks of the approved-device list (`devices`, else the
/// fleet's `approved-devices.yaml`) and, when given, the restricted lists;
/// `None` when there is no policy or it names no inventories.
pub fn for_fleet(
    fleet: &Fleet,
    devices: Option<&Path>,
    designations: Option<&Designations>,
    now: Time,
) -> Result<Option<PolicyInventory>> {
    let policy_path = layout::policy(&fleet.root);
    if !policy_path.is_file() {
        return Ok(None);
    }
    let policy = crate::policy::load(&policy_path)?;
    if policy.file.value.inventories.is_none() {
        return Ok(None);
    }
    let list_path =
        devices.map_or_else(|| layout::approved_devices(&fleet.root), Path::to_path_buf);
    let approved: BTreeSet<String> = if list_path.is_file() {
        let list: Loaded<model::ApprovedDevices> =
            model::load(&list_path, FileKind::ApprovedDevices)?;
        list.value.devices.into_iter().map(|d| d.id).collect()
    } else {
        BTreeSet::new()
    };
    reconcile_policy(fleet, &policy, &approved, designations, now)
}

/// The error for observed counts asked of a fleet whose policy names no
/// inventories.
pub fn no_inventories(fleet: &Fleet) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::NoInventories,
            "observed counts need inventories and the policy names none",
        )
        .in_file(layout::policy(&fleet.root))
        .help("name the MDM and fleet exports under `inventories:` in policy.yaml, or use --counts declared"),
    )
}

impl PolicyInventory {
    /// The sources' paths, relative to `root` when inside it, `/`-separated.
    pub fn relative_paths(&self, root: &Path) -> Vec<String> {
        self.sources
            .iter()
            .map(|s| {
                let p = s.path.strip_prefix(root).unwrap_or(&s.path);
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect()
    }

    /// The counts the analysis weighs: active devices per approved stack,
    /// devices on no approved stack by vendor (vehicles apart), and devices
    /// of unresolved manufacturers. Paths are shown relative to `root`.
    pub fn observed(&self, root: &Path) -> Observed {
        let mut o = Observed {
            inventories: self.relative_paths(root),
            as_of: self.report.as_of.clone(),
            stale_days: self.report.stale_days,
            ..Observed::default()
        };
        let mut unlisted: std::collections::BTreeMap<(String, bool), u64> = Default::default();
        for s in &self.report.sources {
            let vehicles = s.format == SourceFormat::VinCsv;
            for r in &s.stacks {
                let n = r.devices.total();
                match (&r.stack, r.approved) {
                    (Some(stack), true) => *o.stacks.entry(stack.clone()).or_default() += n,
                    _ => {
                        let class = self
                            .catalog
                            .value
                            .models
                            .get(r.catalog_entry)
                            .and_then(|m| m.class);
                        let vehicle = vehicles || class == Some(DeviceClass::Vehicle);
                        *unlisted.entry((r.vendor.clone(), vehicle)).or_default() += n;
                    }
                }
            }
            for g in &s.unknown_models {
                *unlisted.entry((g.vendor.clone(), vehicles)).or_default() += g.devices.total();
            }
            o.unresolved += s.unresolved.iter().map(|u| u.devices.total()).sum::<u64>();
        }
        o.unlisted = unlisted
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|((vendor, vehicle), devices)| UnlistedCount {
                vendor,
                vehicle,
                devices,
            })
            .collect();
        o
    }
}

fn sources(policy: &Policy, inv: &PolicyInventories, dir: &Path) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (i, s) in inv.sources.iter().enumerate() {
        let ptr = format!("/inventories/sources/{i}");
        let Some(format) = SourceFormat::from_name(&s.format) else {
            diags.push(
                policy.diag_at(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{}` is not an inventory format", s.format),
                    )
                    .help("formats: graph, android, jamf, vin-csv, csv, json"),
                    &format!("{ptr}/format"),
                ),
            );
            continue;
        };
        let path = dir.join(&s.path);
        if !path.exists() {
            diags.push(
                policy.diag_at(
                    Diagnostic::error(
                        Code::IoError,
                        format!("inventory `{}`: {} does not exist", s.id, path.display()),
                    )
                    .help("paths under `inventories:` are relative to the policy file"),
                    &format!("{ptr}/path"),
                ),
            );
            continue;
        }
        let generic = matches!(format, SourceFormat::Csv | SourceFormat::Json);
        let mapping = match (generic, s.map.is_empty()) {
            (true, _) => {
                let specs: Vec<String> = s.map.iter().map(|(k, v)| format!("{k}={v}")).collect();
                match Mapping::parse(&specs) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        diags.extend(e.diagnostics().into_iter().map(|d| {
                            let d = policy.diag_at(d, &format!("{ptr}/map"));
                            Diagnostic {
                                code: Code::InvalidValue,
                                ..d
                            }
                        }));
                        continue;
                    }
                }
            }
            (false, false) => {
                diags.push(
                    policy.diag_at(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("`map` applies to csv and json inventories, not {format:?}"),
                        )
                        .help("remove `map`; the format's own fields are read"),
                        &format!("{ptr}/map"),
                    ),
                );
                continue;
            }
            (false, true) => None,
        };
        out.push(Source {
            format,
            path,
            mapping,
            within: Some(dir.to_path_buf()),
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(diags))
    }
}
