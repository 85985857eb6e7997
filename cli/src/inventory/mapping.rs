//! Column mappings for generic inventories: which CSV column (by header) or
//! which JSON member (by pointer or key) holds each field strata uses.
//!
//! A mapping is written `FIELD=COLUMN`, e.g. `manufacturer=Make`,
//! `model=Model`, `id=Asset Tag`; for JSON, the column is a JSON pointer
//! inside each record (`/hardware/make`) or a top-level key, and the extra
//! field `records` names the member holding the array (none: the file is
//! the array). `manufacturer` or `vin` is required. There is deliberately
//! no field for names, e-mail, phone numbers, IMEI, serials or MACs.

use std::collections::BTreeMap;

use super::Ownership;
use crate::diag::{Code, Diagnostic, Error, Result};

/// A field strata reads from a generic inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The device's identity (pseudonymised).
    Id,
    /// The user's identity (pseudonymised).
    User,
    /// Manufacturer or make.
    Manufacturer,
    /// Model.
    Model,
    /// OS family.
    Os,
    /// OS version.
    OsVersion,
    /// Ownership.
    Ownership,
    /// Management mode.
    Mode,
    /// Last check-in (date or RFC 3339 time).
    LastSeen,
    /// Vehicle identification number (pseudonymised; its WMI is kept).
    Vin,
}

/// Every field name a mapping accepts, with its field.
pub const FIELDS: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("last-seen", Field::LastSeen),
    ("manufacturer", Field::Manufacturer),
    ("mode", Field::Mode),
    ("model", Field::Model),
    ("os", Field::Os),
    ("os-version", Field::OsVersion),
    ("ownership", Field::Ownership),
    ("user", Field::User),
    ("vin", Field::Vin),
];

/// A column mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    fields: BTreeMap<Field, String>,
    /// JSON only: the member holding the array of records.
    pub records: Option<String>,
}

impl Mapping {
    /// Parse `FIELD=COLUMN` specifications.
    pub fn parse<S: AsRef<str>>(specs: &[S]) -> Result<Mapping> {
        let mut m = Mapping::default();
        let mut diags = Vec::new();
        for spec in specs {
            let spec = spec.as_ref();
            let Some((name, column)) = spec.split_once('=') else {
                diags.push(bad(format!("`{spec}` is not FIELD=COLUMN")));
                continue;
            };
            let (name, column) = (name.trim(), column.trim());
            if column.is_empty() {
                diags.push(bad(format!("`{name}` maps to an empty column")));
                continue;
            }
            if name == "records" {
                m.records = Some(column.to_string());
                continue;
            }
            match FIELDS.iter().find(|(n, _)| *n == name) {
                Some((_, f)) => {
                    if m.fields.insert(*f, column.to_string()).is_some() {
                        diags.push(bad(format!("`{name}` is mapped twice")));
                    }
                }
                None => diags.push(bad(format!("`{name}` is not a field strata reads"))),
            }
        }
        if diags.is_empty()
            && !m.fields.contains_key(&Field::Manufacturer)
            && !m.fields.contains_key(&Field::Vin)
        {
            diags.push(bad("the mapping needs `manufacturer` or `vin`".into()));
        }
        if diags.is_empty() {
            Ok(m)
        } else {
            Err(Error::Invalid(diags))
        }
    }

    /// The column of `field`, when mapped.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields.get(&field).map(String::as_str)
    }

    /// Every mapped field and its column.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        self.fields.iter().map(|(f, c)| (*f, c.as_str()))
    }
}

fn bad(message: String) -> Diagnostic {
    let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
    Diagnostic::error(Code::InventoryMapping, message).help(format!(
        "write --map FIELD=COLUMN with FIELD one of {}, or records=MEMBER (JSON)",
        names.join(", ")
    ))
}

/// Ownership as generic exports write it (case ignored).
pub(super) fn ownership(s: &str) -> std::result::Result<Ownership, String> {
    let k: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match k.as_str() {
        "company" | "companyowned" | "corporate" | "corp" | "leased" | "lease" | "owned" => {
            Ok(Ownership::Company)
        }
        "personal" | "personallyowned" | "private" | "byod" => Ok(Ownership::Personal),
        "" | "unknown" | "unspecified" => Ok(Ownership::Unknown),
        _ => Err(format!(
            "`{}` is not an ownership strata knows",
            s.chars().take(40).collect::<String>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_parse_and_refuse_unknown_fields() {
        let m = Mapping::parse(&["manufacturer=Make", "model = Model", "id=Asset Tag"]).unwrap();
        assert_eq!(m.get(Field::Manufacturer), Some("Make"));
        assert_eq!(m.get(Field::Model), Some("Model"));
        assert_eq!(m.get(Field::Id), Some("Asset Tag"));
        assert_eq!(m.get(Field::Os), None);
        let m = Mapping::parse(&["records=items", "vin=/vehicle/vin"]).unwrap();
        assert_eq!(m.records.as_deref(), Some("items"));
        for bad in [
            vec!["email=Mail", "manufacturer=M"],
            vec!["manufacturer"],
            vec!["manufacturer="],
            vec!["model=Model"],
            vec!["manufacturer=A", "manufacturer=B"],
        ] {
            let e = Mapping::parse(&bad).unwrap_err();
            assert_eq!(e.diagnostics()[0].code, Code::InventoryMapping, "{bad:?}");
        }
    }

    #[test]
    fn ownership_synonyms() {
        assert_eq!(ownership("Corporate"), Ok(Ownership::Company));
        assert_eq!(ownership("Leased"), Ok(Ownership::Company));
        assert_eq!(ownership("BYOD"), Ok(Ownership::Personal));
        assert_eq!(ownership("Personally owned"), Ok(Ownership::Personal));
        assert_eq!(ownership(""), Ok(Ownership::Unknown));
        assert!(ownership("rented by Ana").is_err());
    }
}
