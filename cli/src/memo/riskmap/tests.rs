use super::*;

fn risk(id: &str, s: u8, l: u8, residual: Option<(u8, u8)>) -> Risk {
    crate::decision::risks::sample(id, s, l, residual)
}

fn cell(rows: &[MapRow], s: u8, l: u8) -> &[String] {
    let row = rows.iter().find(|r| r.severity == s).map(|r| &r.cells);
    row.and_then(|c| c.iter().find(|c| c.likelihood == l))
        .map(|c| c.risks.as_slice())
        .unwrap_or_default()
}

#[test]
fn each_risk_sits_in_its_cell_before_and_after() {
    let risks = [
        risk("R-1", 4, 3, Some((3, 2))),
        risk("R-7", 4, 3, Some((3, 2))),
        risk("R-2", 2, 1, None),
    ];
    let m = RiskMap::of(&risks);
    assert_eq!(m.before[0].severity, 4);
    assert_eq!(m.before[0].word, "Maximum");
    assert_eq!(m.before[3].severity, 1);
    assert_eq!(cell(&m.before, 4, 3), ["R-1", "R-7"]);
    assert_eq!(cell(&m.before, 2, 1), ["R-2"]);
    assert_eq!(cell(&m.after, 3, 2), ["R-1", "R-7"]);
    assert!(cell(&m.after, 4, 3).is_empty());
    assert!(m.after.iter().all(|r| {
        r.cells
            .iter()
            .all(|c| !c.risks.contains(&"R-2".to_string()))
    }));
    assert_eq!(m.not_assessed, ["R-2"]);
    assert_eq!(m.before[0].cells[2].level, "high");
    assert_eq!(m.before[3].cells[0].level, "low");
    let placed: usize = m
        .before
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| c.risks.len())
        .sum();
    assert_eq!(placed, 3);
}

#[test]
fn the_svg_is_deterministic_accessible_and_escaped() {
    let risks = [risk("R-1", 4, 3, Some((3, 2))), risk("X-1<&>", 1, 1, None)];
    let a = svg(&risks);
    assert_eq!(a, svg(&risks));
    assert!(a.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(a.contains("<title id=\"riskmap-title\">"));
    assert!(a.contains("<desc id=\"riskmap-desc\">Before measures: R-1 severity 4 Maximum, likelihood 3 Significant; X-1&lt;&amp;&gt; severity 1 Negligible"));
    assert!(!a.contains("X-1<&>"));
    assert!(a.contains(">R-1</text>"));
    assert!(a.contains("not on the map after measures: X-1&lt;&amp;&gt;"));
    for w in SCALE {
        assert!(a.contains(w), "{w}");
    }
    assert!(a.ends_with("</svg>"));
}

#[test]
fn a_crowded_cell_grows_its_row() {
    let risks: Vec<Risk> = (1..=7)
        .map(|i| risk(&format!("R-{i}"), 2, 2, Some((2, 2))))
        .collect();
    let m = RiskMap::of(&risks);
    let h = row_heights(&m);
    assert_eq!(h[2], 10 + LINE * 4);
    assert_eq!(h[0], 40);
    let s = svg(&risks);
    assert!(s.contains(">R-7</text>"), "{s}");
}
