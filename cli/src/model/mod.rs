//! The files a user keeps in git, as typed Rust values.
//!
//! Each file kind has a JSON Schema in `schemas/` (the source of truth for
//! validation and for `strata schema NAME`) and a serde type here that mirrors
//! it. [`load`] reads a file through the guarded YAML reader, validates it
//! against its schema reporting *every* error with file, line and column, and
//! only then deserialises it.

mod answers;
mod calendar;
mod catalog;
mod fleet;
mod load;
mod reviews;
mod stack;

pub use answers::{
    Answers, AssessedOption, Assessment, Buyer, Condition, ConditionOwner, Document, Effect,
    Employment, InventoryRow, LawfulBasis, LegitimateInterest, Measure, MeasureEntry,
    MeasureStatus, OptionAnswer, Party, Processor, Roles, SignOff, TermOfUse, Tia, TransferAnswer,
    Transparency, View,
};
pub use calendar::{Adequacy, Calendar, CalendarEntry, DateChange};
pub use catalog::{Catalog, CatalogManufacturer, CatalogModel};
pub use fleet::{
    ApprovedDevice, ApprovedDevices, Criterion, Designation, DesignationList, Designations,
    EntryStatus, Exception, ExpectedList, Level, Policy, PolicyInventories, PolicyInventorySource,
    Rule, Vendor, Vendors,
};
pub use load::{
    FileKind, Loaded, SCHEMA_NAMES, check_str, json_pointer, load, load_calendar_of,
    load_designations_of, parse_str, schema_source, schema_value, suggest,
};
pub use reviews::{Review, Reviews, Verdict};
pub use stack::{
    Agent, Certification, DeviceClass, DeviceInfo, Endpoint, Evidence, EvidenceKind, EvidenceTrust,
    Fact, Layer, LayerName, Layers, Part, Route, RouteTo, Scheme, Stack, Support, Upstream,
    UpstreamEntry, UpstreamRole, Weights,
};
