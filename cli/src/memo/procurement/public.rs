//! The EU public-procurement hooks a public buyer's procurement memo names
//! (governance facts 8.4), each with its source and evidence tag; none for
//! a private buyer.

use serde::Serialize;

use crate::model::Answers;

/// A public-procurement hook: the rule, what it means here, its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hook {
    /// The rule.
    pub rule: &'static str,
    /// What it means for this procurement.
    pub text: &'static str,
    /// Its source and evidence tag.
    pub source: &'static str,
}

/// The EU public-procurement rules a public buyer's memo names
/// (governance facts 8.4); none for a private buyer or when the answers do
/// not say.
pub fn public_hooks(answers: &Answers) -> Vec<Hook> {
    if !answers.buyer.as_ref().is_some_and(|b| b.public) {
        return Vec::new();
    }
    vec![
        Hook {
            rule: "Directive 2014/24/EU, Art. 42(4)",
            text: "Technical specifications may not name a make or brand unless justified, and then only with \"or equivalent\": specify the security and concentration properties, not a vendor.",
            source: "Directive 2014/24/EU [M]",
        },
        Hook {
            rule: "Directive 2014/24/EU, Art. 57",
            text: "The exclusion grounds apply to every tenderer: check them for the supplier and the group behind it.",
            source: "Directive 2014/24/EU [M]",
        },
        Hook {
            rule: "CJEU Kolin, C-652/22 (22 Oct 2024)",
            text: "Operators from third countries with no agreement guaranteeing reciprocal access to EU procurement cannot rely on the directive to claim equal treatment; the contracting authority decides whether and on what terms to admit them.",
            source: "Judgment of the Court of Justice in C-652/22 [M]",
        },
        Hook {
            rule: "International Procurement Instrument, Regulation (EU) 2022/1031",
            text: "The Commission can restrict a third country's bidders (its first measure, of June 2025, covers medical devices from China in tenders above EUR 5 million); check whether a measure covers this product and the supplier's country.",
            source: "Regulation (EU) 2022/1031 [M]",
        },
        Hook {
            rule: "Foreign Subsidies Regulation, Regulation (EU) 2022/2560",
            text: "In public tenders with an estimated value of EUR 250 million or more, tenderers notify the foreign financial contributions they received (the Regulation sets further conditions).",
            source: "Regulation (EU) 2022/2560 [M]",
        },
    ]
}
