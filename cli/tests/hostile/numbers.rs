//! Numbers that do not fit their field (a fraction, an exponent, a number
//! past 64 bits) are errors with the file, line and column.

use super::run;

#[test]
fn numbers_that_do_not_fit_point_at_their_line_and_column() {
    let fleet = crate::common::example_fleet();
    let d = fleet.path();
    let vendors = d.join("vendors.yaml");
    let text = std::fs::read_to_string(&vendors).unwrap();
    let line = text[..text.find("version: 1\n").unwrap()]
        .matches('\n')
        .count()
        + 1;
    std::fs::write(&vendors, text.replacen("version: 1\n", "version: 1.0\n", 1)).unwrap();
    let r = run(d, &["analyze", "."]);
    r.refused("invalid-value");
    assert!(r.stderr.contains("`1.0` does not fit"), "{}", r.text());
    assert!(
        r.stderr.contains(&format!("vendors.yaml:{line}:10")),
        "{}",
        r.text()
    );
    std::fs::write(&vendors, &text).unwrap();

    let list = d.join("approved-devices.yaml");
    let text = std::fs::read_to_string(&list).unwrap();
    let at = text.find("units: ").expect("the example list has units");
    let line = text[..at].matches('\n').count() + 1;
    for bad in ["1e3", "99999999999999999999", "-1.5"] {
        let end = at + text[at..].find('\n').unwrap();
        let changed = format!("{}units: {bad}{}", &text[..at], &text[end..]);
        std::fs::write(&list, changed).unwrap();
        let r = run(d, &["gate", "."]);
        assert_eq!(r.code, Some(2), "{bad}: {}", r.text());
        assert!(
            r.stderr.contains(&format!("approved-devices.yaml:{line}:")),
            "{bad}: no line and column: {}",
            r.text()
        );
    }
}
