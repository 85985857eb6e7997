//! Legal-name normalisation, shared by vendor alias resolution and
//! restricted-list screening.
//!
//! Two names denote the same legal entity for strata's purposes when their
//! normalised forms are equal: case folded, punctuation dropped, `&` read as
//! `and`, a leading "The" and trailing corporate-form suffixes (Inc., Ltd.,
//! Co., Corporation, Company, LLC, plc, B.V., GmbH, …) removed. So
//! "Xiaomi Communications Co., Ltd." and the stack id
//! `xiaomi-communications` both normalise to `xiaomi communications`.
//!
//! Normalisation is deliberately conservative: it never drops words that
//! carry meaning ("Holdings", "Technologies", "Group"), because a false
//! match on a restricted list is as harmful as a missed one. Near matches
//! are left to [`is_token_prefix`], which callers report as *possible*
//! matches for a human to confirm.

/// Corporate-form words stripped from the end of a name (after punctuation
/// is removed, so `B.V.` is `bv` and `S.p.A.` is `spa`).
const SUFFIXES: &[&str] = &[
    "ab",
    "ag",
    "as",
    "asa",
    "bhd",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "jsc",
    "kg",
    "kk",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "ltda",
    "nv",
    "oy",
    "oyj",
    "plc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "sas",
    "se",
    "spa",
    "srl",
];

/// The normalised form of a legal name, a vendor alias or a vendor id.
///
/// ```
/// use strata::names::normalize;
/// assert_eq!(normalize("Xiaomi Communications Co., Ltd."), "xiaomi communications");
/// assert_eq!(normalize("xiaomi-communications"), "xiaomi communications");
/// assert_eq!(normalize("Fairphone B.V."), "fairphone");
/// ```
pub fn normalize(name: &str) -> String {
    tokens(name).join(" ")
}

/// The normalised words of a name; see [`normalize`].
pub fn tokens(name: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '.' | '\'' | '\u{2019}' => {}
            '&' => cleaned.push_str(" and "),
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<String> = cleaned.split_whitespace().map(str::to_string).collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| SUFFIXES.binary_search(&w.as_str()).is_ok())
    {
        words.pop();
    }
    words
}

/// True when one normalised name is the other with words added at the end,
/// e.g. `huawei` and `huawei technologies`. Equal names are not prefixes of
/// each other here; test equality first.
pub fn is_token_prefix(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty()
        && short != long
        && long.starts_with(short)
        && long.as_bytes().get(short.len()) == Some(&b' ')
}

/// Levenshtein distance in characters, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_table_is_sorted_for_binary_search() {
        let mut sorted = SUFFIXES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, SUFFIXES);
    }

    #[test]
    fn corporate_suffixes_case_and_punctuation() {
        let same = [
            ("Xiaomi Corporation", "xiaomi"),
            ("XIAOMI CORP.", "xiaomi"),
            ("Xiaomi Inc.", "xiaomi"),
            ("Xiaomi Communications Co., Ltd.", "xiaomi communications"),
            (
                "Beijing Xiaomi Mobile Software Co.,Ltd",
                "beijing xiaomi mobile software",
            ),
            ("Huawei Technologies Company", "huawei technologies"),
            ("Huawei Technologies Co., Ltd.", "huawei technologies"),
            (
                "Taiwan Semiconductor Manufacturing Company Limited",
                "taiwan semiconductor manufacturing",
            ),
            ("Google LLC", "google"),
            ("Alphabet Inc.", "alphabet"),
            ("Arm Holdings plc", "arm holdings"),
            ("Fairphone B.V.", "fairphone"),
            ("Robert Bosch GmbH", "robert bosch"),
            ("Mistral AI SAS", "mistral ai"),
            ("Amazon.com, Inc.", "amazoncom"),
            ("AT&T Inc.", "at and t"),
            ("The Boeing Company", "boeing"),
            ("  ZTE   Corporation ", "zte"),
            ("Procter & Gamble Co", "procter and gamble"),
        ];
        for (name, want) in same {
            assert_eq!(normalize(name), want, "{name}");
        }
    }

    #[test]
    fn vendor_ids_normalise_like_names() {
        assert_eq!(normalize("xiaomi-communications"), "xiaomi communications");
        assert_eq!(normalize("qualcomm_technologies"), "qualcomm technologies");
        assert_eq!(normalize("amazon.com"), "amazoncom");
    }

    #[test]
    fn a_name_made_only_of_a_suffix_is_kept() {
        // "Company" alone is a (strange) name, not nothing.
        assert_eq!(normalize("Company"), "company");
        assert_eq!(normalize("Co., Ltd."), "co");
        assert_eq!(normalize("..."), "");
    }

    #[test]
    fn meaningful_words_are_not_stripped() {
        assert_ne!(normalize("Xiaomi Holdings"), normalize("Xiaomi Inc."));
        assert_ne!(
            normalize("Huawei Technologies"),
            normalize("Huawei Device Co.")
        );
    }

    #[test]
    fn non_ascii_names_fold_case() {
        assert_eq!(normalize("ÖBB-Holding AG"), "öbb holding");
        assert_eq!(normalize("小米集团"), "小米集团");
    }

    #[test]
    fn token_prefixes() {
        assert!(is_token_prefix("huawei", "huawei technologies"));
        assert!(is_token_prefix("huawei technologies", "huawei"));
        assert!(!is_token_prefix("huawei", "huawei"));
        assert!(!is_token_prefix("hua", "huawei"));
        assert!(!is_token_prefix("", "huawei"));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("qualcom", "qualcomm"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("xiaomi", "xiaomi"), 0);
    }
}
