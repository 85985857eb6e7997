//! YAML alias amplification: the budget bounds the expanded size in bytes,
//! so a megabyte scalar aliased 1,500 times (1.5 GB expanded) is refused at
//! the alias that crosses it, for every kind of strata file.

use super::run;

/// `big: &b <1 MiB>` and a list of 1,500 `*b`, as a file of `kind`.
fn bomb(kind_key: &str) -> String {
    let mut y = format!(
        "version: 1\n{kind_key}: {{}}\nbig: &b {}\nlist:\n",
        "x".repeat(1 << 20)
    );
    for _ in 0..1500 {
        y.push_str("  - *b\n");
    }
    y
}

#[test]
fn a_megabyte_scalar_aliased_1500_times_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("vendors.yaml"), bomb("vendors")).unwrap();
    let r = run(d, &["analyze", "."]);
    r.refused("yaml-alias-budget");
    // Refused at the fourth alias (line 8), the one past 4 times the input.
    assert!(r.stderr.contains("vendors.yaml:8:5"), "{}", r.text());
    // The same through `fmt`, which reads any strata file.
    std::fs::write(d.join("policy.yaml"), bomb("rules")).unwrap();
    run(d, &["fmt", "--check", "policy.yaml"]).refused("yaml-alias-budget");
    // And a nested bomb of tiny values hits the node cap.
    let mut y = String::from("version: 1\nvendors: {}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        y.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    std::fs::write(d.join("vendors.yaml"), y).unwrap();
    run(d, &["analyze", "."]).refused("yaml-too-many-nodes");
}
