//! Certifications and assurance for the procurement memo: which schemes a
//! device class calls for (Common Criteria / EUCC, EN 18031 under the RED
//! delegated act, ETSI EN 303 645, the Cyber Resilience Act; UN R155/R156
//! and ISO/SAE 21434 for vehicles), what the vendor declared for each in the
//! stack manifest (`device.certifications`), and the dates from the fleet's
//! regulatory calendar. A scheme the vendor did not declare is "not
//! declared: ask the vendor", never assumed met.

use serde::Serialize;

use crate::clock::Date;
use crate::model::{Calendar, Certification, DeviceClass, Scheme};
use crate::regulation;

/// A scheme a device class calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// The scheme.
    pub scheme: Scheme,
    /// Its name and legal instrument.
    pub name: &'static str,
    /// How it applies to the class (mandatory, voluntary, baseline).
    pub applies: &'static str,
    /// The regulatory-calendar ids that date it.
    pub dates: &'static [&'static str],
}

const CC: Expected = Expected {
    scheme: Scheme::CommonCriteria,
    name: "Common Criteria (ISO/IEC 15408)",
    applies: "voluntary assurance: an independent evaluation against a protection profile",
    dates: &[],
};
const EUCC: Expected = Expected {
    scheme: Scheme::Eucc,
    name: "EUCC, the EU cybersecurity certification scheme on Common Criteria (Implementing Regulation (EU) 2024/482)",
    applies: "voluntary EU certificate",
    dates: &["eucc"],
};
const EN18031: Expected = Expected {
    scheme: Scheme::En18031,
    name: "EN 18031-1/-2/-3 under the Radio Equipment Directive delegated act (Regulation (EU) 2022/30)",
    applies: "mandatory for internet-connected radio equipment placed on the EU market",
    dates: &["red-delegated-act"],
};
const CRA: Expected = Expected {
    scheme: Scheme::Cra,
    name: "Cyber Resilience Act conformity (Regulation (EU) 2024/2847)",
    applies: "mandatory for products with digital elements placed on the EU market",
    dates: &["cra-reporting", "cra-full"],
};
const ETSI: Expected = Expected {
    scheme: Scheme::EtsiEn303645,
    name: "ETSI EN 303 645",
    applies: "the consumer-IoT security baseline",
    dates: &[],
};
const R155: Expected = Expected {
    scheme: Scheme::UnR155,
    name: "UN Regulation No. 155 (cybersecurity management system)",
    applies: "mandatory in the EU for newly registered vehicles",
    dates: &["un-r155-r156"],
};
const R156: Expected = Expected {
    scheme: Scheme::UnR156,
    name: "UN Regulation No. 156 (software update management system, RXSWIN)",
    applies: "mandatory in the EU for newly registered vehicles",
    dates: &["un-r155-r156"],
};
const ISO21434: Expected = Expected {
    scheme: Scheme::IsoSae21434,
    name: "ISO/SAE 21434:2021 (road vehicles, cybersecurity engineering)",
    applies: "the engineering standard behind UN R155",
    dates: &[],
};

/// The schemes a device class calls for, in the order the memo lists them.
pub fn expected_for(class: DeviceClass) -> &'static [Expected] {
    match class {
        DeviceClass::Vehicle => &[R155, R156, ISO21434],
        DeviceClass::Iot => &[EN18031, CRA, ETSI, CC, EUCC],
        DeviceClass::Phone | DeviceClass::Tablet | DeviceClass::Laptop => &[EN18031, CRA, CC, EUCC],
    }
}

/// One row of the memo's certifications table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertRow {
    /// The scheme id (`en-18031`, `un-r155`, …).
    pub scheme: &'static str,
    /// Its name and instrument.
    pub name: String,
    /// How it applies to this device class; for a declared scheme the
    /// class does not call for, says so.
    pub applies: String,
    /// Its dates from the regulatory calendar, one sentence each.
    pub dates: Vec<String>,
    /// What the vendor declared, one sourced sentence per declaration.
    pub declared: Vec<String>,
    /// True when nothing is declared (the memo prints "not declared: ask
    /// the vendor").
    pub ask: bool,
}

fn declared_text(c: &Certification) -> String {
    let mut s = format!("{} ({}", c.claim, c.source);
    if let Some(d) = c.source_date {
        s.push_str(&format!(", {d}"));
    }
    s.push_str(&format!(") [{}]", c.status));
    if let Some(by) = &c.by {
        s.push_str(&format!(", claim by {by}"));
    }
    s
}

fn dated(calendar: Option<&Calendar>, ids: &[&str], today: Date) -> Vec<String> {
    ids.iter()
        .map(|id| {
            let label = regulation::KNOWN_ENTRIES
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, l)| *l)
                .unwrap_or(id);
            format!("{label}: {}", regulation::dated(calendar, id, today).text)
        })
        .collect()
}

/// The certifications table: every scheme the class calls for, with what
/// was declared (or not), then declared schemes the class does not call
/// for.
pub fn rows(
    class: DeviceClass,
    declared: &[Certification],
    calendar: Option<&Calendar>,
    today: Date,
) -> Vec<CertRow> {
    let expected = expected_for(class);
    let mut out: Vec<CertRow> = expected
        .iter()
        .map(|e| {
            let declared: Vec<String> = declared
                .iter()
                .filter(|c| c.scheme == e.scheme)
                .map(declared_text)
                .collect();
            CertRow {
                scheme: e.scheme.as_str(),
                name: e.name.to_string(),
                applies: e.applies.to_string(),
                dates: dated(calendar, e.dates, today),
                ask: declared.is_empty(),
                declared,
            }
        })
        .collect();
    for c in declared {
        if expected.iter().any(|e| e.scheme == c.scheme) {
            continue;
        }
        if let Some(row) = out.iter_mut().find(|r| r.scheme == c.scheme.as_str()) {
            row.declared.push(declared_text(c));
            continue;
        }
        out.push(CertRow {
            scheme: c.scheme.as_str(),
            name: c.scheme.as_str().to_string(),
            applies: format!(
                "declared by the vendor; not among the schemes strata lists for a {}",
                class.as_str()
            ),
            dates: Vec::new(),
            declared: vec![declared_text(c)],
            ask: false,
        });
    }
    out
}

#[cfg(test)]
mod tests;
