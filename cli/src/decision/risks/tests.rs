use super::*;

#[test]
fn level_mapping_follows_the_convention() {
    assert_eq!(level(3, 3), "high");
    assert_eq!(level(4, 2), "high");
    assert_eq!(level(4, 1), "medium");
    assert_eq!(level(2, 3), "medium");
    assert_eq!(level(2, 2), "low");
    assert_eq!(level(1, 4), "medium");
}

#[test]
fn art36_needs_every_residual_and_fires_on_high() {
    let mk = |rl: Option<&'static str>| Risk {
        residual_level: rl,
        ..sample("R-1", 1, 1, None)
    };
    assert_eq!(art36(&[mk(Some("low")), mk(None)]).status, "NOT_DETERMINED");
    assert_eq!(
        art36(&[mk(Some("low")), mk(Some("high"))]).status,
        "REQUIRED"
    );
    assert_eq!(art36(&[mk(Some("medium"))]).status, "NOT_REQUIRED");
}
