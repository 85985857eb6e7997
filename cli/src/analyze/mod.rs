//! `analyze`: who controls each device's stack, how concentrated the fleet
//! is, which vendors appear on restricted lists, and whether each device
//! needs a DPIA.
//!
//! [`analyze_fleet`] loads a fleet (vendors, designations, the
//! approved-device list and the stacks it names, or every `stacks/*.yaml`
//! when there is no list), resolves every vendor to its ultimate group, and
//! returns a [`FleetAnalysis`]: plain data, serialisable to JSON with a
//! deterministic order (sorted vectors, shares rounded to 4 decimals, HHI to
//! 1), so the same inputs always give the same bytes. The pieces:
//!
//! - [`resolve`]: stack → layers with vendors, groups, fractions, weights;
//! - [`concentration`]: TOP, HHI, VCI, N_eff per device; per-layer HHI,
//!   pooled exposure and single-vendor shares per fleet (governance-facts
//!   §3.3–3.4);
//! - [`screening`]: restricted-list matches, active vs historical (§4);
//! - [`dpia`]: the WP248 screening (§1.3–1.4);
//! - [`explain`]: formula-and-numbers workings for `--explain`.
//!
//! Nothing here prints or knows about clap; the `analyze`, `gate` and
//! `report` commands render the result.

pub mod concentration;
pub mod dpia;
pub mod explain;
mod flags;
pub mod observed;
pub mod resolve;
mod scale;
pub mod screening;
pub mod undeclared;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::layout::{APPROVED_FILE, DESIGNATIONS_FILE, STACKS_DIR};
use crate::model::{
    self, ApprovedDevices, Designations, DeviceClass, FileKind, LayerName, Loaded, Stack,
};

pub use concentration::{
    Band, DeviceConcentration, FleetConcentration, FleetLayer, FleetSlice, GroupShare, SliceGroup,
    Thresholds,
};
pub use dpia::{Criterion, DpiaScreening, Mandatory, Outcome, Transfer};
pub use explain::ExplainLine;
pub use flags::{Flag, FlagCode};
pub use resolve::{LayerAnalysis, PartAnalysis, Role, UpstreamRef, VendorRef, default_weight};
pub use screening::{Appearance, Confidence, DeviceHit, DeviceScreening, Hit, ListInfo, Relation};
pub use undeclared::{AskWhom, Undeclared};

/// Printed with every analysis.
pub const DISCLAIMER: &str = "Decision support, not legal advice: the figures and screenings inform the DPO, procurement and counsel, who decide.";

/// What to analyse and how.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    /// Fill in `explain` workings on every figure.
    pub explain: bool,
    /// Bands and the large-scale threshold.
    pub thresholds: Thresholds,
    /// The approved-device list; `<root>/approved-devices.yaml` when it
    /// exists otherwise. Must exist when given.
    pub devices: Option<PathBuf>,
    /// The designations file; `<root>/designations.yaml` when it exists
    /// otherwise. Must exist when given.
    pub designations: Option<PathBuf>,
    /// Observed counts: each approved device weighs the devices the
    /// inventories see on its stack instead of its declared `units`, and
    /// devices on no approved stack join the pooled exposure.
    pub observed: Option<observed::Observed>,
}

/// The files an analysis read, relative to the fleet root where possible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inputs {
    /// vendors.yaml.
    pub vendors: String,
    /// The designations file, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub designations: Option<String>,
    /// The approved-device list, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_devices: Option<String>,
}

/// A layer's default weight, as applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerWeight {
    /// The layer.
    pub layer: LayerName,
    /// W_l.
    pub weight: f64,
}

/// The parameters behind the figures, printed so they can be challenged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    /// Default layer weights W_l, renormalised per device.
    pub weights: Vec<LayerWeight>,
    /// Bands and thresholds.
    pub thresholds: Thresholds,
    /// How devices are weighted in fleet figures.
    pub fleet_weighting: &'static str,
    /// Whether restricted lists were screened.
    pub restricted_lists_screened: bool,
}

/// One device, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceAnalysis {
    /// Device id.
    pub id: String,
    /// Device name.
    pub name: String,
    /// Device class.
    pub class: DeviceClass,
    /// Market or firmware variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The stack manifest, relative to the fleet root.
    pub stack: String,
    /// Units n_d (1 when not on an approved-device list).
    pub units: u64,
    /// Criticality c_d (list value; default 2 for vehicles, else 1).
    pub criticality: f64,
    /// n_d · c_d.
    pub weight: f64,
    /// Whether an approved-device list names it.
    pub approved: bool,
    /// Accountable owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Deployment model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<String>,
    /// Countries the devices are used in (from the approved-device list).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_in: Vec<String>,
    /// Layers in stack order, with who controls them.
    pub layers: Vec<LayerAnalysis>,
    /// TOP, HHI, VCI, N_eff, band.
    pub concentration: DeviceConcentration,
    /// Hard flags, in a fixed order.
    pub flags: Vec<Flag>,
    /// Restricted-list matches.
    pub screening: DeviceScreening,
    /// WP248 screening.
    pub dpia: DpiaScreening,
    /// Facts the stack or the approved-device list leaves undeclared, with
    /// the question to ask; every output says "not declared" for them.
    pub undeclared: Vec<Undeclared>,
}

impl DeviceAnalysis {
    /// The flag with this code, if raised.
    pub fn flag(&self, code: FlagCode) -> Option<&Flag> {
        self.flags.iter().find(|f| f.code == code)
    }

    /// A layer, if the device has it.
    pub fn layer(&self, layer: LayerName) -> Option<&LayerAnalysis> {
        self.layers.iter().find(|l| l.layer == layer)
    }
}

/// A whole fleet, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetAnalysis {
    /// The fleet root as given.
    pub root: String,
    /// Files read.
    pub inputs: Inputs,
    /// Observed counts, when the analysis used them (absent: the declared
    /// `units`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<observed::CountsUsed>,
    /// Parameters.
    pub method: Method,
    /// The list snapshots screened, with publisher, source and date.
    pub lists: Vec<ListInfo>,
    /// Devices, sorted by id.
    pub devices: Vec<DeviceAnalysis>,
    /// Fleet-level figures.
    pub fleet: FleetConcentration,
    /// Warnings and notes that did not stop the analysis.
    pub notes: Vec<Diagnostic>,
    /// Not legal advice.
    pub disclaimer: &'static str,
}

impl FleetAnalysis {
    /// A device by id.
    pub fn device(&self, id: &str) -> Option<&DeviceAnalysis> {
        self.devices.iter().find(|d| d.id == id)
    }
}

/// Analyse the fleet rooted at `root` (the directory holding vendors.yaml).
pub fn analyze_fleet(root: &Path, opts: &AnalyzeOptions) -> Result<FleetAnalysis> {
    let fleet = Fleet::open(root)?;
    analyze(&fleet, opts)
}

/// One device to analyse, as found in the approved list or stacks/.
struct Candidate {
    stack: Loaded<Stack>,
    units: Option<u64>,
    criticality: Option<f64>,
    owner: Option<String>,
    deployment: Option<String>,
    used_in: Vec<String>,
    /// The list file (relative to the root) and the entry's index.
    list_at: Option<(String, usize)>,
}

/// Analyse an opened fleet.
pub fn analyze(fleet: &Fleet, opts: &AnalyzeOptions) -> Result<FleetAnalysis> {
    analyze_inner(fleet, opts, None)
}

/// Analyse the devices of an approved-device list the caller has already
/// loaded (`opts.devices` is not read), as [`analyze`] would with
/// `opts.devices` naming that list's file.
pub fn analyze_list(
    fleet: &Fleet,
    opts: &AnalyzeOptions,
    list: &Loaded<ApprovedDevices>,
) -> Result<FleetAnalysis> {
    analyze_inner(fleet, opts, Some(list))
}

fn analyze_inner(
    fleet: &Fleet,
    opts: &AnalyzeOptions,
    list: Option<&Loaded<ApprovedDevices>>,
) -> Result<FleetAnalysis> {
    let root = fleet.root.as_path();
    let mut notes = Vec::new();
    let mut errors = Vec::new();

    let designations_path = optional(root, opts.designations.as_deref(), DESIGNATIONS_FILE);
    let designations: Option<Loaded<Designations>> = match &designations_path {
        Some(p) => Some(model::load(p, FileKind::Designations)?),
        None => {
            notes.push(
                Diagnostic::warning(
                    Code::NoDesignations,
                    format!("no {DESIGNATIONS_FILE}: restricted lists were not screened"),
                )
                .help("keep dated list snapshots in designations.yaml; no match is not a safe harbour"),
            );
            None
        }
    };

    let approved_path = match list {
        Some(l) => Some(l.path.clone()),
        None => optional(root, opts.devices.as_deref(), APPROVED_FILE),
    };
    let candidates = match &approved_path {
        Some(p) => from_approved(root, p, list, &mut errors, &mut notes)?,
        None => {
            notes.push(
                Diagnostic::warning(
                    Code::NoApprovedList,
                    format!(
                        "no {APPROVED_FILE}: analysing every {STACKS_DIR}/*.yaml with 1 unit each"
                    ),
                )
                .help("list devices with their units in approved-devices.yaml to weight the fleet"),
            );
            from_stacks_dir(root, &mut errors)?
        }
    };

    // Resolve every stack (in parallel, each with its own warnings), then
    // take them in order, collecting every error before giving up.
    let outcomes: Vec<_> = candidates
        .into_par_iter()
        .map(|c| {
            let mut warnings = Vec::new();
            let r = resolve::resolve(&c.stack, fleet, &mut warnings);
            (c, r, warnings)
        })
        .collect();
    let mut resolved = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (c, r, warnings) in outcomes {
        let id = c.stack.value.device.id.clone();
        if let Some(first) = seen.get(&id) {
            errors.push(
                c.stack.diag_at(
                    Diagnostic::error(
                        Code::DuplicateDevice,
                        format!("device id `{id}` is also used by {}", first.display()),
                    )
                    .help("device ids must be unique in a fleet"),
                    "/device/id",
                ),
            );
            continue;
        }
        seen.insert(id, c.stack.path.clone());
        notes.extend(warnings);
        match r {
            Ok(r) => resolved.push((c, r)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }

    let screener = screening::Screener::new(fleet, designations.as_ref().map(|d| &d.value));
    let resolved: Vec<(Candidate, resolve::Resolved)> = match &opts.observed {
        Some(o) => resolved
            .into_iter()
            .map(|(mut c, r)| {
                if c.units.is_some() {
                    c.units = Some(o.stacks.get(&c.stack.value.device.id).copied().unwrap_or(0));
                }
                (c, r)
            })
            .collect(),
        None => resolved,
    };
    let mut devices: Vec<DeviceAnalysis> = resolved
        .into_par_iter()
        .map(|(c, r)| device(c, r, root, &screener, opts))
        .collect();
    devices.sort_by(|a, b| a.id.cmp(&b.id));

    let data_path: Vec<Option<&GroupShare>> = devices
        .iter()
        .map(|d| {
            d.flag(FlagCode::DataPathSingleVendor)
                .and_then(|f| f.group.as_deref())
                .and_then(|g| d.concentration.groups.iter().find(|s| s.group == g))
        })
        .collect();
    let members: Vec<concentration::Member<'_>> = devices
        .iter()
        .zip(&data_path)
        .map(|(d, dp)| concentration::Member {
            id: &d.id,
            units: d.units,
            criticality: d.criticality,
            layers: &d.layers,
            band: d.concentration.band,
            top_group: d.concentration.top.as_ref(),
            data_path_group: *dp,
            restricted_share: flags::restricted_share(d),
        })
        .collect();
    let counts = opts
        .observed
        .as_ref()
        .map(|o| observed::CountsUsed::new(o, fleet));
    let unlisted: Vec<concentration::Unlisted<'_>> = counts
        .iter()
        .flat_map(|c| &c.unlisted)
        .flat_map(|u| {
            [
                (
                    u.devices.saturating_sub(u.vehicles),
                    observed::criticality(false),
                ),
                (u.vehicles, observed::criticality(true)),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(units, criticality)| concentration::Unlisted {
                group: &u.group,
                group_name: &u.name,
                units,
                criticality,
            })
        })
        .collect();
    let fleet_conc = concentration::fleet(&members, &unlisted, opts.explain);
    drop(members);
    drop(unlisted);

    Ok(FleetAnalysis {
        root: root.display().to_string(),
        inputs: Inputs {
            vendors: rel(root, &fleet.vendors.path),
            designations: designations_path.as_deref().map(|p| rel(root, p)),
            approved_devices: approved_path.as_deref().map(|p| rel(root, p)),
        },
        counts,
        method: Method {
            weights: LayerName::ALL
                .into_iter()
                .map(|layer| LayerWeight {
                    layer,
                    weight: default_weight(layer),
                })
                .collect(),
            thresholds: opts.thresholds,
            fleet_weighting: "units × criticality (criticality from the approved-device list; default 2 per vehicle, 1 otherwise)",
            restricted_lists_screened: designations.is_some(),
        },
        lists: screener.lists(),
        devices,
        fleet: fleet_conc,
        notes,
        disclaimer: DISCLAIMER,
    })
}

/// Analyse one resolved device.
fn device(
    c: Candidate,
    r: resolve::Resolved,
    root: &Path,
    screener: &screening::Screener<'_>,
    opts: &AnalyzeOptions,
) -> DeviceAnalysis {
    let s = &c.stack.value;
    let conc = concentration::device(&r.layers, &opts.thresholds, opts.explain);
    let mentions: Vec<(Appearance, &str)> = r
        .mentions
        .iter()
        .map(|m| {
            let at = Appearance {
                layer: m.layer,
                role: m.role,
                upstream_role: m.upstream_role,
            };
            (at, m.vendor.id.as_str())
        })
        .collect();
    let screening = screener.screen_device(&mentions);
    let units = c.units.unwrap_or(1);
    let criticality = c.criticality.unwrap_or(match s.device.class {
        DeviceClass::Vehicle => 2.0,
        _ => 1.0,
    });
    let dpia = dpia::screen(&dpia::DpiaInput {
        class: s.device.class,
        model: s.layers.model.as_ref(),
        services: s.layers.services.as_ref(),
        units: c.units,
        deployment: c.deployment.as_deref(),
        region: s.device.region.as_deref(),
        used_in: &c.used_in,
        large_scale_units: opts.thresholds.large_scale_units,
    });
    let flags = flags::flags(&r.layers, &conc, s, &screening);
    let stack_file = rel(root, &c.stack.path);
    let entry = c
        .list_at
        .as_ref()
        .map(|(file, index)| undeclared::ListEntry {
            file,
            index: *index,
            deployment: c.deployment.as_deref(),
        });
    let undeclared = undeclared::undeclared(s, &stack_file, entry);
    DeviceAnalysis {
        id: s.device.id.clone(),
        name: s.device.name.clone(),
        class: s.device.class,
        region: s.device.region.clone(),
        stack: stack_file,
        units,
        criticality: explain::r4(criticality),
        weight: explain::r4(units as f64 * criticality),
        approved: c.units.is_some(),
        owner: c.owner,
        deployment: c.deployment,
        used_in: c.used_in,
        layers: r.layers,
        concentration: conc,
        flags,
        screening,
        dpia,
        undeclared,
    }
}

/// `given` when set, else `<root>/<name>` when it exists.
fn optional(root: &Path, given: Option<&Path>, name: &str) -> Option<PathBuf> {
    match given {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let p = join(root, name);
            p.is_file().then_some(p)
        }
    }
}

/// `root/rel`, without a leading `./` when the root is the current directory.
fn join(root: &Path, rel: &str) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        PathBuf::from(rel)
    } else {
        root.join(rel)
    }
}

/// A path for output: relative to the root when inside it, `/`-separated.
fn rel(root: &Path, p: &Path) -> String {
    let shown = if root == Path::new(".") {
        p.strip_prefix(".").unwrap_or(p)
    } else {
        p.strip_prefix(root).unwrap_or(p)
    };
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Devices from the approved-device list; every problem is collected.
fn from_approved(
    root: &Path,
    path: &Path,
    loaded: Option<&Loaded<ApprovedDevices>>,
    errors: &mut Vec<Diagnostic>,
    notes: &mut Vec<Diagnostic>,
) -> Result<Vec<Candidate>> {
    let read;
    let list: &Loaded<ApprovedDevices> = match loaded {
        Some(l) => l,
        None => {
            read = model::load(path, FileKind::ApprovedDevices)?;
            &read
        }
    };
    let base = path.parent().unwrap_or(Path::new(""));
    // First what to do with each entry, then the stacks to read are parsed
    // in parallel, then each entry is judged in list order: the result and
    // its diagnostics, in order, are those of reading them one by one.
    let mut ids = BTreeSet::new();
    let mut plan: Vec<(usize, std::result::Result<PathBuf, Diagnostic>)> = Vec::new();
    for (i, d) in list.value.devices.iter().enumerate() {
        if !ids.insert(d.id.as_str()) {
            plan.push((
                i,
                Err(list.diag_at(
                    Diagnostic::error(
                        Code::DuplicateDevice,
                        format!("device `{}` is listed twice", d.id),
                    ),
                    &format!("/devices/{i}/id"),
                )),
            ));
            continue;
        }
        let stack_path = if base.as_os_str().is_empty() {
            PathBuf::from(&d.stack)
        } else {
            base.join(&d.stack)
        };
        if !stack_path.is_file() {
            plan.push((
                i,
                Err(list.diag_at(
                    Diagnostic::error(
                        Code::MissingStack,
                        format!(
                            "stack manifest `{}` of device `{}` does not exist",
                            d.stack, d.id
                        ),
                    )
                    .help(format!("paths are relative to {}", path.display())),
                    &format!("/devices/{i}/stack"),
                )),
            ));
            continue;
        }
        plan.push((i, Ok(stack_path)));
    }
    let paths: Vec<&Path> = plan.iter().filter_map(|(_, p)| p.as_deref().ok()).collect();
    let (stacks, canonical): (Vec<_>, Vec<_>) = paths
        .par_iter()
        .map(|p| (model::load::<Stack>(p, FileKind::Stack), normalise_path(p)))
        .unzip();
    let mut stacks = stacks.into_iter().zip(canonical);
    let mut out = Vec::new();
    let mut listed = BTreeSet::new();
    for (i, step) in plan {
        if let Err(diag) = step {
            errors.push(diag);
            continue;
        }
        let Some((stack, canonical)) = stacks.next() else {
            break;
        };
        let d = &list.value.devices[i];
        listed.insert(canonical);
        let stack: Loaded<Stack> = match stack {
            Ok(s) => s,
            Err(Error::Invalid(d)) => {
                errors.extend(d);
                continue;
            }
            Err(e) => return Err(e),
        };
        if stack.value.device.id != d.id {
            errors.push(
                list.diag_at(
                    Diagnostic::error(
                        Code::DeviceIdMismatch,
                        format!(
                            "device `{}` points at a stack whose device id is `{}`",
                            d.id, stack.value.device.id
                        ),
                    )
                    .help("the approved-device id and the stack's device.id must be the same"),
                    &format!("/devices/{i}/id"),
                ),
            );
            continue;
        }
        out.push(Candidate {
            stack,
            units: Some(d.units),
            criticality: d.criticality,
            owner: d.owner.clone(),
            deployment: d.deployment.clone(),
            used_in: d.used_in.clone(),
            list_at: Some((rel(root, path), i)),
        });
    }
    // Stacks in stacks/ that the list does not name are not analysed.
    let files = stack_files(root)?;
    let canonical: Vec<PathBuf> = files.par_iter().map(|p| normalise_path(p)).collect();
    for (p, canonical) in files.into_iter().zip(canonical) {
        if !listed.contains(&canonical) {
            notes.push(
                Diagnostic::warning(
                    Code::StackNotApproved,
                    format!(
                        "{} is not on the approved-device list; not analysed",
                        rel(root, &p)
                    ),
                )
                .in_file(p),
            );
        }
    }
    Ok(out)
}

/// Every `stacks/*.yaml`, as candidates with unknown units.
fn from_stacks_dir(root: &Path, errors: &mut Vec<Diagnostic>) -> Result<Vec<Candidate>> {
    let files = stack_files(root)?;
    if files.is_empty() {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::NoDevices,
                format!(
                    "no {APPROVED_FILE} and no stack manifests in {}",
                    join(root, STACKS_DIR).display()
                ),
            )
            .help("run `strata init` for a starter fleet"),
        ));
    }
    let mut out = Vec::new();
    for stack in load_stacks(files.iter().map(PathBuf::as_path)) {
        match stack {
            Ok(stack) => out.push(Candidate {
                stack,
                units: None,
                criticality: None,
                owner: None,
                deployment: None,
                used_in: Vec::new(),
                list_at: None,
            }),
            Err(Error::Invalid(d)) => errors.extend(d),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Load stack manifests in parallel; the results are in the order given.
fn load_stacks<'p>(paths: impl Iterator<Item = &'p Path>) -> Vec<Result<Loaded<Stack>>> {
    let paths: Vec<&Path> = paths.collect();
    paths
        .par_iter()
        .map(|p| model::load::<Stack>(p, FileKind::Stack))
        .collect()
}

/// `stacks/*.yaml` and `*.yml`, sorted; none when the directory is absent.
fn stack_files(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = join(root, STACKS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

/// A path for comparison: canonical when it exists.
fn normalise_path(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests;
