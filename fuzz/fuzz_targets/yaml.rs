//! strata's YAML loader on arbitrary text: the guarded reader
//! (`yaml::parse`: alias budget in bytes, node and depth caps, duplicate
//! keys) and the whole typed load of every file kind (schema check with
//! spans, typed deserialisation, dates). No panic; memory bounded (run with
//! `-rss_limit_mb`); alias bombs refused.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use strata::model::{self, FileKind};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = Path::new("fuzz.yaml");
    if let Ok((value, _)) = strata::yaml::parse(text, file) {
        // Whatever the aliases, the built value stays within the budget.
        let size = serde_json::to_vec(&value).map(|v| v.len()).unwrap_or(0);
        assert!(
            size <= 8 * strata::yaml::alias_budget(text.len()) + 64,
            "a {}-byte document expanded to {size} bytes of JSON",
            text.len()
        );
    }
    let kind = FileKind::ALL[usize::from(selector) % FileKind::ALL.len()];
    let _ = model::check_str(text, file, kind);
    match kind {
        FileKind::Stack => drop(model::parse_str::<model::Stack>(text, file, kind)),
        FileKind::Vendors => drop(model::parse_str::<model::Vendors>(text, file, kind)),
        FileKind::Designations => drop(model::parse_str::<model::Designations>(text, file, kind)),
        FileKind::Policy => drop(model::parse_str::<model::Policy>(text, file, kind)),
        FileKind::ApprovedDevices => {
            drop(model::parse_str::<model::ApprovedDevices>(text, file, kind))
        }
        FileKind::Reviews => drop(model::parse_str::<model::Reviews>(text, file, kind)),
        FileKind::Answers => drop(model::parse_str::<model::Answers>(text, file, kind)),
        FileKind::Catalog => drop(model::parse_str::<model::Catalog>(text, file, kind)),
    }
});
