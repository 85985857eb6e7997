//! `catalog.yaml`: what MDM and fleet systems report about a device, mapped
//! to the fleet's vendors and stacks (see `schemas/catalog.schema.json`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stack::DeviceClass;

/// `catalog.yaml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Catalog {
    /// File format version (1).
    pub version: u32,
    /// Vendor id → the manufacturer strings and VIN WMIs that mean it.
    #[serde(default)]
    pub manufacturers: BTreeMap<String, CatalogManufacturer>,
    /// Device models.
    #[serde(default)]
    pub models: Vec<CatalogModel>,
}

/// The strings a vendor is reported by.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogManufacturer {
    /// Manufacturer and brand strings as reported.
    #[serde(default)]
    pub names: Vec<String>,
    /// VIN world manufacturer identifiers.
    #[serde(default)]
    pub wmi: Vec<String>,
}

/// One device model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogModel {
    /// Vendor id of the maker.
    pub vendor: String,
    /// Device id of the stack, when one describes the model.
    #[serde(default)]
    pub stack: Option<String>,
    /// Device class.
    #[serde(default)]
    pub class: Option<DeviceClass>,
    /// Model identifiers as reported.
    pub names: Vec<String>,
    /// OS families; empty: any.
    #[serde(default)]
    pub os: Vec<String>,
    /// The lowest OS version accepted (dot-separated numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_os_version: Option<String>,
    /// The oldest Android security patch level accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_patch_level: Option<crate::clock::Date>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<String>,
}
