//! The DPIA's measure register, residual scores and CNIL risk map through
//! the real binary: measures attach to the risks they treat, residual
//! scores carry the scale words and a reason, the map places each risk
//! before and after the measures (HTML as SVG, Markdown as tables), and
//! answers that contradict the register are refused.

use crate::common;

use crate::memo::{memo, ok_text};
use common::{render, repo, repo_like};

/// The text from the first `from` to the first `to` after it.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {text}"));
    let end = start + text[start..].find(to).unwrap();
    &text[start..end]
}

/// Write `yaml` as `name` in `dir`; the name, for `--answers`.
fn answers(dir: &std::path::Path, name: &str, yaml: &str) -> String {
    std::fs::write(dir.join(name), yaml).unwrap();
    name.to_string()
}

#[test]
fn the_final_dpia_in_html_carries_the_register_and_the_risk_map() {
    let tmp = repo_like();
    let a = repo().join("examples/answers/xiaomi-15s-pro-cn.yaml");
    let a = a.to_str().unwrap();
    let text = ok_text(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--answers",
            a,
            "--format",
            "html",
        ],
    );
    let part = between(&text, "<h2>4. Risks", "<h2>6. Prior consultation");
    // The map: one SVG with a title and a description that list every
    // placement, both grids, scale words on the axes.
    assert_eq!(part.matches("<svg ").count(), 1, "{part}");
    for want in [
        "<title id=\"riskmap-title\">",
        "R-7 severity 4 Maximum, likelihood 3 Significant",
        "After measures: R-1 severity 3 Significant, likelihood 2 Limited",
        "Before measures (inherent)",
        "After measures (residual)",
    ] {
        assert!(part.contains(want), "{want} in {part}");
    }
    insta::assert_snapshot!(part);
}

#[test]
fn plain_measures_are_listed_not_spread_over_every_risk() {
    let tmp = repo_like();
    let a = answers(
        tmp.path(),
        "plain.yaml",
        "version: 1\ndevice: xiaomi-15s-pro-cn\nmeasures: [MDM work profile]\nrisks:\n  R-3:\n    measures: [Server-side mail]\n    residual-severity: 1\n    residual-likelihood: 2\n  R-2: {residual-severity: 2, residual-likelihood: 1}\n",
    );
    let text = ok_text(tmp.path(), &["dpia", "xiaomi-15s-pro-cn", "--answers", &a]);
    let part = between(&text, "## 5. Measures", "## 6. Prior");
    assert_eq!(part.matches("MDM work profile").count(), 1, "{part}");
    insta::assert_snapshot!(part);
    // --final lists what is missing: owner, status and risks of each
    // measure, the untreated high and medium risks, the reasons, and the
    // residual score lowered with no measure.
    let out = memo(
        tmp.path(),
        &[
            "dpia",
            "xiaomi-15s-pro-cn",
            "--answers",
            &a,
            "--final",
            "-o",
            "dpia.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "measure M-1 is a plain sentence",
        "plain.yaml:3:12 (at /measures/0)",
        "measure M-2 is a plain sentence",
        "a measure treating R-1 (high inherent risk)",
        "the reason for R-3's residual score",
        "R-2: the residual score is below the inherent one, but no measure treats R-2",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
    assert!(!tmp.path().join("dpia.md").exists());
}

#[test]
fn residual_scores_are_computed_from_effects_and_say_what_they_rest_on() {
    let tmp = repo_like();
    let a = answers(
        tmp.path(),
        "effects.yaml",
        "version: 1\ndevice: laptop\nmeasures:\n  - text: Block the third-party endpoint\n    treats: [R-1, R-7]\n    owner: IT security\n    status: planned\n    effect: likelihood\n  - text: Encrypt backups\n    treats: [R-3]\n    owner: IT\n    status: verified\n    effect: both\n    steps: 2\nrisks:\n  R-7: {residual-severity: 4, residual-likelihood: 1, residual-reason: Endpoint blocked}\n",
    );
    let text = ok_text(tmp.path(), &["dpia", "laptop", "--answers", &a]);
    let part = between(&text, "| Id | Measures | Residual", "## 6. Prior");
    for want in [
        "| R-1 | M-1 (planned) | 2 Limited | 2 Limited | low | computed from the measures' effects: no measure lowers severity; likelihood M-1 −1 Note: relies only on planned measures (M-1). |",
        "| R-3 | M-2 (verified) | 1 Negligible | 1 Negligible | low | computed from the measures' effects: severity M-2 −2; likelihood M-2 −2 |",
        "| R-7 | M-1 (planned) | 4 Maximum | 1 Negligible | medium | Endpoint blocked Note: relies only on planned measures (M-1). |",
        "| R-2 | none | — | — | not assessed | — |",
    ] {
        assert!(part.contains(want), "{want} in {part}");
    }
}

#[test]
fn a_measure_for_a_risk_type_not_proposed_here_is_an_open_point() {
    let tmp = repo_like();
    // The laptop's stack declares no agent that acts: R-4 is not proposed.
    let a = answers(
        tmp.path(),
        "r4.yaml",
        "version: 1\ndevice: laptop\nmeasures:\n  - {text: Agent actions off, treats: [R-4], owner: IT, status: in-place}\n",
    );
    let text = ok_text(tmp.path(), &["dpia", "laptop", "--answers", &a]);
    assert!(
        text.contains(
            "| M-1 | Agent actions off | R-4 (R-4: not in this device's register) | IT | in-place |"
        ),
        "{text}"
    );
    let out = memo(
        tmp.path(),
        &["dpia", "laptop", "--answers", &a, "--final", "-o", "d.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("measure M-1 treats R-4, which is not in this device's risk register"),
        "{}",
        render(&out, tmp.path())
    );
}

#[test]
fn answers_that_contradict_the_register_exit_2_naming_file_and_line() {
    let tmp = repo_like();
    let cases = [
        (
            "unknown_risk",
            "version: 1\ndevice: laptop\nmeasures:\n  - {text: Block, treats: [R-1, R-12]}\n  - {text: Wipe, treats: [X-1]}\n",
        ),
        (
            "bad_status",
            "version: 1\ndevice: laptop\nmeasures:\n  - {text: Block, treats: [R-1], status: done, effect: up}\n",
        ),
        (
            "residual_above_inherent",
            "version: 1\ndevice: laptop\nrisks:\n  R-1: {severity: 2, likelihood: 2, residual-severity: 3, residual-likelihood: 2}\nextra-risks:\n  - {title: Shoulder surfing, severity: 1, likelihood: 2, residual-severity: 1, residual-likelihood: 3}\n",
        ),
        (
            "duplicate_measure_id",
            "version: 1\ndevice: laptop\nmeasures:\n  - {id: M-2, text: Block, treats: [R-1]}\n  - {text: Wipe, treats: [R-3]}\n",
        ),
    ];
    let mut all = String::new();
    for (name, yaml) in cases {
        let a = answers(tmp.path(), &format!("{name}.yaml"), yaml);
        let out = memo(tmp.path(), &["dpia", "laptop", "--answers", &a]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{name}: {}",
            render(&out, tmp.path())
        );
        all.push_str(&format!("### {name}\n{}\n", render(&out, tmp.path())));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn the_fleet_memo_checks_each_devices_measures_against_its_own_register() {
    let tmp = repo_like();
    let a = answers(
        tmp.path(),
        "laptop.yaml",
        "version: 1\ndevice: laptop\nmeasures:\n  - {text: Block, treats: [R-9]}\n",
    );
    let out = memo(tmp.path(), &["procurement", "--all", "--answers", &a]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[unknown-risk]: measure M-1 treats `R-9`")
            && err.contains("laptop.yaml:4:28 (at /measures/0/treats/0)"),
        "{err}"
    );
}
