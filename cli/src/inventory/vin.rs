//! Vehicle identification numbers (ISO 3779): 17 characters from `0-9A-Z`
//! without `I`, `O` and `Q`; positions 1–3 are the world manufacturer
//! identifier (WMI, ISO 3780); position 9 is a check digit where the
//! region requires one (North America, WMIs `1`–`5`, and China, `L`).
//!
//! A VIN is an identity: strata keeps only its WMI and a pseudonym of the
//! whole VIN, and no message ever quotes it.

use super::Record;

/// Help for an invalid VIN.
pub(super) const HELP: &str = "a VIN has 17 characters from 0-9 and A-Z without I, O and Q";
/// Help for a check digit that fails.
pub(super) const CHECK_HELP: &str = "the record is kept; check the VIN in the fleet system (a typo, or a VIN from a region without check digits)";

/// What a VIN check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VinCheck {
    /// Well-formed; `checked` when the region's check digit was verified.
    Valid {
        /// The WMI.
        wmi: String,
        /// Whether a check digit was required (and matched).
        checked: bool,
    },
    /// Well-formed, but the check digit the region requires does not match.
    BadCheckDigit {
        /// The WMI.
        wmi: String,
        /// Position 9 as written.
        found: char,
        /// What the other 16 characters give.
        expected: char,
    },
    /// Not a VIN: the reason, without the VIN.
    Invalid(String),
}

/// Transliteration of a VIN character (ISO 3779 / 49 CFR 565).
fn value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'H' => u32::from(c - b'A') + 1,
        b'J'..=b'N' => u32::from(c - b'J') + 1,
        b'P' => 7,
        b'R' => 9,
        b'S'..=b'Z' => u32::from(c - b'S') + 2,
        _ => return None,
    })
}

const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check digit the other characters of `vin` (17 valid characters)
/// give.
fn check_digit(vin: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in vin.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    Some(match sum % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    })
}

/// Whether vehicles with this WMI carry a check digit: North America
/// (`1`–`5`) and China (`L`).
fn region_requires_check(wmi: &[u8]) -> bool {
    matches!(wmi.first(), Some(b'1'..=b'5' | b'L'))
}

/// Check a VIN (surrounding whitespace ignored, letters in either case).
pub fn check_vin(vin: &str) -> VinCheck {
    let upper = vin.trim().to_ascii_uppercase();
    let b = upper.as_bytes();
    if b.len() != 17 {
        return VinCheck::Invalid(format!("a VIN has 17 characters, this one {}", b.len()));
    }
    if let Some(pos) = b.iter().position(|c| value(*c).is_none()) {
        return VinCheck::Invalid(format!(
            "character {} of the VIN is not in the VIN alphabet (0-9, A-Z without I, O, Q)",
            pos + 1
        ));
    }
    let wmi = upper[..3].to_string();
    if !region_requires_check(b) {
        return VinCheck::Valid {
            wmi,
            checked: false,
        };
    }
    match check_digit(b) {
        Some(expected) if char::from(b[8]) == expected => VinCheck::Valid { wmi, checked: true },
        Some(expected) => VinCheck::BadCheckDigit {
            wmi,
            found: char::from(b[8]),
            expected,
        },
        None => VinCheck::Invalid("the VIN has a character outside the alphabet".into()),
    }
}

/// Fill a vehicle record from its VIN: the VIN becomes the record's
/// identity (to be pseudonymised) and its WMI is kept. `Err` for a string
/// that is not a VIN; `Ok(Some(warning))` when the check digit fails.
pub(super) fn attach(r: &mut Record, vin: &str) -> Result<Option<String>, String> {
    let check = check_vin(vin);
    let (wmi, warning) = match check {
        VinCheck::Invalid(why) => return Err(why),
        VinCheck::Valid { wmi, .. } => (wmi, None),
        VinCheck::BadCheckDigit {
            wmi,
            found,
            expected,
        } => {
            let msg = format!(
                "VIN check digit is `{found}`, the VIN's other characters give `{expected}` (WMI {wmi})"
            );
            (wmi, Some(msg))
        }
    };
    r.id = Some(vin.trim().to_ascii_uppercase());
    r.wmi = Some(wmi);
    if r.mode.is_none() {
        r.mode = Some("fleet".to_string());
    }
    Ok(warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_textbook_vin_checks() {
        // The worked example of 49 CFR 565 and the reference.
        assert_eq!(
            check_vin("1M8GDM9AXKP042788"),
            VinCheck::Valid {
                wmi: "1M8".into(),
                checked: true
            }
        );
        assert_eq!(
            check_vin(" 1m8gdm9axkp042788 "),
            VinCheck::Valid {
                wmi: "1M8".into(),
                checked: true
            }
        );
        assert_eq!(
            check_vin("1M8GDM9A1KP042788"),
            VinCheck::BadCheckDigit {
                wmi: "1M8".into(),
                found: '1',
                expected: 'X'
            }
        );
    }

    #[test]
    fn regions_without_check_digits_are_not_checked() {
        // A European WMI (W: Germany): position 9 is free.
        assert_eq!(
            check_vin("WVWZZZ1JZ3W386752"),
            VinCheck::Valid {
                wmi: "WVW".into(),
                checked: false
            }
        );
    }

    #[test]
    fn chinese_vins_are_checked() {
        let mut vin = *b"LXMAB12C0TA000123";
        let d = check_digit(&vin).unwrap();
        vin[8] = d as u8;
        let s = std::str::from_utf8(&vin).unwrap();
        assert!(matches!(
            check_vin(s),
            VinCheck::Valid { checked: true, .. }
        ));
        vin[8] = if d == '0' { b'1' } else { b'0' };
        let s = std::str::from_utf8(&vin).unwrap();
        assert!(matches!(check_vin(s), VinCheck::BadCheckDigit { .. }));
    }

    #[test]
    fn malformed_vins_are_invalid_without_quoting_them() {
        for bad in [
            "",
            "1M8GDM9AXKP04278",
            "1M8GDM9AXKP0427888",
            "1M8GDM9AXKPO42788",
            "1M8GDM9AXKP04278é",
        ] {
            match check_vin(bad) {
                VinCheck::Invalid(why) => assert!(!why.contains("1M8"), "{why}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        let mut r = Record::default();
        assert!(attach(&mut r, "IOQ").is_err());
        assert_eq!(r.id, None);
        let w = attach(&mut r, "1M8GDM9A1KP042788").unwrap().unwrap();
        assert!(!w.contains("042788"), "{w}");
        assert_eq!(r.wmi.as_deref(), Some("1M8"));
        assert_eq!(r.mode.as_deref(), Some("fleet"));
    }
}
