//! Matching inventory records against the catalog and vendors.yaml.
//!
//! Reported strings are compared after normalisation: model names and OS
//! families case-folded with everything but letters and digits dropped
//! (`Pixel 9 Pro`, `PIXEL-9-PRO` and `pixel9pro` are one name);
//! manufacturer strings also lose corporate-form suffixes (`Dell Inc.` is
//! `dell`, see [`crate::names`]). A manufacturer resolves through the
//! catalog's names, then the Android brand, then the VIN's WMI, then
//! vendors.yaml (vendor id, legal name, alias). A model matches a catalog
//! entry whose vendor is in the manufacturer's group and whose OS families
//! (when listed) include the record's. Every result says which rule
//! matched ([`Class::explain`]).

use std::collections::HashMap;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::model::{Catalog, Loaded};
use crate::names;
use crate::yaml::escape_token;

/// How a manufacturer string resolved to a vendor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum ManufacturerRule {
    /// A name under the vendor in the catalog's `manufacturers`.
    Catalog {
        /// Vendor id.
        vendor: String,
        /// The name as written in the catalog.
        name: String,
    },
    /// The Android brand matched a catalog name.
    Brand {
        /// Vendor id.
        vendor: String,
        /// The name as written in the catalog.
        name: String,
    },
    /// The VIN's world manufacturer identifier.
    Wmi {
        /// Vendor id.
        vendor: String,
        /// The WMI.
        wmi: String,
    },
    /// vendors.yaml: a vendor id, legal name or alias.
    Vendors {
        /// Vendor id.
        vendor: String,
        /// The declared name that matched (the id for an id).
        name: String,
    },
}

impl ManufacturerRule {
    /// The vendor id.
    pub fn vendor(&self) -> &str {
        match self {
            ManufacturerRule::Catalog { vendor, .. }
            | ManufacturerRule::Brand { vendor, .. }
            | ManufacturerRule::Wmi { vendor, .. }
            | ManufacturerRule::Vendors { vendor, .. } => vendor,
        }
    }

    /// One phrase: which rule matched.
    pub fn explain(&self) -> String {
        match self {
            ManufacturerRule::Catalog { vendor, name } => {
                format!("catalog manufacturers.{vendor} name \"{name}\"")
            }
            ManufacturerRule::Brand { vendor, name } => {
                format!("brand, catalog manufacturers.{vendor} name \"{name}\"")
            }
            ManufacturerRule::Wmi { vendor, wmi } => {
                format!("VIN WMI {wmi}, catalog manufacturers.{vendor}")
            }
            ManufacturerRule::Vendors { vendor, name } => {
                format!("vendors.yaml {vendor} \"{name}\"")
            }
        }
    }
}

/// What a record is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A catalogued model.
    Model {
        /// Index in the catalog's `models`.
        entry: usize,
        /// The model name (as written in the catalog) that matched.
        name: String,
        /// How the manufacturer resolved; none when the record reported
        /// no manufacturer and the model name alone was unambiguous.
        maker: Option<ManufacturerRule>,
    },
    /// A model the catalog does not know, from a known manufacturer.
    UnknownModel(ManufacturerRule),
    /// A manufacturer strata cannot resolve (or none reported).
    Unresolved,
}

impl Class {
    /// One sentence: which rule matched.
    pub fn explain(&self, catalog: &Catalog) -> String {
        match self {
            Class::Model { entry, name, maker } => {
                let m = catalog.models.get(*entry);
                let what = m
                    .and_then(|m| m.stack.clone())
                    .unwrap_or_else(|| "a model without a stack".into());
                let by = match maker {
                    Some(r) => format!("manufacturer by {}", r.explain()),
                    None => "no manufacturer reported; the model name is unambiguous".into(),
                };
                format!("catalog models[{entry}] ({what}) name \"{name}\"; {by}")
            }
            Class::UnknownModel(r) => {
                format!("model not in the catalog; manufacturer by {}", r.explain())
            }
            Class::Unresolved => "manufacturer not in the catalog or vendors.yaml".into(),
        }
    }
}

/// The normalised form of a model name or OS family.
pub fn model_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The normalised form of a manufacturer string.
pub fn maker_key(s: &str) -> String {
    names::tokens(s).concat()
}

/// Matches records against a catalog and the fleet's vendors.
pub struct Matcher<'a> {
    fleet: &'a Fleet,
    catalog: &'a Catalog,
    makers: HashMap<String, (String, String)>,
    wmis: HashMap<String, String>,
    models: HashMap<String, Vec<(usize, usize)>>,
    /// Each model entry's `min-os-version`, parsed.
    min_os: Vec<Option<Vec<u64>>>,
}

/// The vendor and group a record resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Resolved {
    /// The class.
    pub class: Class,
    /// Vendor id (the catalog entry's for a model).
    pub vendor: Option<String>,
    /// Group id.
    pub group: Option<String>,
}

impl<'a> Matcher<'a> {
    /// A matcher; every vendor id the catalog names must be in
    /// vendors.yaml, and no name may mean two vendors.
    pub fn new(fleet: &'a Fleet, catalog: &'a Loaded<Catalog>) -> Result<Matcher<'a>> {
        let c = &catalog.value;
        let mut diags = Vec::new();
        let known = |id: &str| fleet.vendors.value.vendors.contains_key(id);
        let mut makers: HashMap<String, (String, String)> = HashMap::new();
        let mut wmis = HashMap::new();
        for (vendor, m) in &c.manufacturers {
            if !known(vendor) {
                diags.push(
                    catalog.diag_at(
                        Diagnostic::error(
                            Code::UnknownVendor,
                            format!(
                                "catalog manufacturer `{vendor}` is not a vendor in vendors.yaml"
                            ),
                        )
                        .help("add the vendor to vendors.yaml or use its vendor id"),
                        &format!("/manufacturers/{}", escape_token(vendor)),
                    ),
                );
            }
            for (i, n) in m.names.iter().enumerate() {
                let k = maker_key(n);
                if let Some((other, _)) = makers.get(&k)
                    && other != vendor
                {
                    diags.push(catalog.diag_at(
                        Diagnostic::error(
                            Code::CatalogAmbiguous,
                            format!("manufacturer name \"{n}\" is listed for `{other}` and `{vendor}`"),
                        )
                        .help("a reported name must mean one vendor; remove it from one of them"),
                        &format!("/manufacturers/{}/names/{i}", escape_token(vendor)),
                    ));
                }
                makers.insert(k, (vendor.clone(), n.clone()));
            }
            for w in &m.wmi {
                wmis.insert(w.clone(), vendor.clone());
            }
        }
        let mut models: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (i, m) in c.models.iter().enumerate() {
            if !known(&m.vendor) {
                diags.push(
                    catalog.diag_at(
                        Diagnostic::error(
                            Code::UnknownVendor,
                            format!(
                                "catalog model vendor `{}` is not a vendor in vendors.yaml",
                                m.vendor
                            ),
                        )
                        .help("add the vendor to vendors.yaml or use its vendor id"),
                        &format!("/models/{i}/vendor"),
                    ),
                );
            }
            for (j, n) in m.names.iter().enumerate() {
                models.entry(model_key(n)).or_default().push((i, j));
            }
        }
        if !diags.is_empty() {
            return Err(Error::Invalid(diags));
        }
        let min_os = c
            .models
            .iter()
            .map(|m| m.min_os_version.as_deref().and_then(version))
            .collect();
        Ok(Matcher {
            fleet,
            catalog: c,
            makers,
            wmis,
            models,
            min_os,
        })
    }

    /// Whether a device of catalog entry `entry` reporting `os_version` and
    /// `patch_level` is below the entry's `min-os-version` or
    /// `min-patch-level`. A value the device does not report (or reports in
    /// a form that is not dot-separated numbers) is not judged.
    pub fn below_minimum(
        &self,
        entry: usize,
        os_version: Option<&str>,
        patch_level: Option<crate::clock::Date>,
    ) -> bool {
        let os_below = match (self.min_os.get(entry).and_then(Option::as_ref), os_version) {
            (Some(min), Some(v)) => version(v).is_some_and(|v| compare_versions(&v, min).is_lt()),
            _ => false,
        };
        let patch_below = match (
            self.catalog
                .models
                .get(entry)
                .and_then(|m| m.min_patch_level),
            patch_level,
        ) {
            (Some(min), Some(p)) => p < min,
            _ => false,
        };
        os_below || patch_below
    }

    /// The fleet whose vendors resolve manufacturers.
    pub fn fleet(&self) -> &Fleet {
        self.fleet
    }

    /// The catalog matched against.
    pub fn catalog(&self) -> &Catalog {
        self.catalog
    }

    fn maker(
        &self,
        manufacturer: Option<&str>,
        brand: Option<&str>,
        wmi: Option<&str>,
    ) -> Option<ManufacturerRule> {
        if let Some(m) = manufacturer
            && let Some((vendor, name)) = self.makers.get(&maker_key(m))
        {
            return Some(ManufacturerRule::Catalog {
                vendor: vendor.clone(),
                name: name.clone(),
            });
        }
        if let Some(b) = brand
            && let Some((vendor, name)) = self.makers.get(&maker_key(b))
        {
            return Some(ManufacturerRule::Brand {
                vendor: vendor.clone(),
                name: name.clone(),
            });
        }
        if let Some(w) = wmi
            && let Some(vendor) = self.wmis.get(w)
        {
            return Some(ManufacturerRule::Wmi {
                vendor: vendor.clone(),
                wmi: w.to_string(),
            });
        }
        let m = manufacturer?;
        match self.fleet.resolve(m) {
            crate::fleet::Resolution::Id(id) => Some(ManufacturerRule::Vendors {
                vendor: id.to_string(),
                name: id.to_string(),
            }),
            crate::fleet::Resolution::Alias { id, matched } => Some(ManufacturerRule::Vendors {
                vendor: id.to_string(),
                name: matched.to_string(),
            }),
            _ => None,
        }
    }

    /// Resolve what a record reports.
    pub fn resolve(
        &self,
        manufacturer: Option<&str>,
        brand: Option<&str>,
        model: Option<&str>,
        os: Option<&str>,
        wmi: Option<&str>,
    ) -> Resolved {
        let maker = self.maker(manufacturer, brand, wmi);
        let group_of = |v: &str| self.fleet.group_of(v).map(str::to_string);
        let maker_group = maker.as_ref().and_then(|r| group_of(r.vendor()));
        let os_key = os.map(model_key);
        let fits_os = |entry: usize| {
            let Some(e) = self.catalog.models.get(entry) else {
                return false;
            };
            match &os_key {
                Some(k) if !e.os.is_empty() => e.os.iter().any(|o| k.starts_with(&model_key(o))),
                _ => true,
            }
        };
        if let Some(candidates) = model.and_then(|m| self.models.get(&model_key(m))) {
            let fitting: Vec<(usize, usize)> = candidates
                .iter()
                .copied()
                .filter(|(e, _)| fits_os(*e))
                .filter(|(e, _)| match (&maker, manufacturer) {
                    (Some(_), _) => {
                        let v = self.catalog.models.get(*e).map(|m| m.vendor.as_str());
                        v.and_then(group_of) == maker_group && maker_group.is_some()
                    }
                    (None, None) => true,
                    (None, Some(_)) => false,
                })
                .collect();
            let unique = fitting.first().filter(|_| {
                fitting
                    .iter()
                    .all(|(e, _)| Some(e) == fitting.first().map(|(e, _)| e))
            });
            if let Some((entry, name)) = unique {
                let m = &self.catalog.models[*entry];
                return Resolved {
                    class: Class::Model {
                        entry: *entry,
                        name: m.names.get(*name).cloned().unwrap_or_default(),
                        maker,
                    },
                    vendor: Some(m.vendor.clone()),
                    group: group_of(&m.vendor),
                };
            }
        }
        match maker {
            Some(r) => Resolved {
                vendor: Some(r.vendor().to_string()),
                group: maker_group,
                class: Class::UnknownModel(r),
            },
            None => Resolved {
                class: Class::Unresolved,
                vendor: None,
                group: None,
            },
        }
    }
}

/// The leading dot-separated numbers of a version (`15.0`, `10.0.26100.2314`,
/// `17.6.1 (21G93)` → 17, 6, 1); none when it does not start with a number.
pub fn version(s: &str) -> Option<Vec<u64>> {
    let head = s
        .trim()
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?;
    let parts: Vec<u64> = head
        .split('.')
        .map_while(|p| p.parse::<u64>().ok())
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// Compare versions component by component, missing components as 0
/// (`15` equals `15.0`).
pub fn compare_versions(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests;
