//! Which builder produced SLSA provenance, judged from the signing
//! certificate as slsa-verifier does.
//!
//! Two paths:
//! - **direct**: the provenance's `builder.id` must be the identity the
//!   certificate was issued to (the builder workflow signed its own
//!   provenance);
//! - **BYOB delegator**: when the certificate names one of the SLSA
//!   "bring your own builder" delegators of slsa-github-generator
//!   (`delegator_generic_slsa3.yml`, `delegator_lowperms-generic_slsa3.yml`),
//!   the delegator signed on behalf of the trusted reusable workflow that
//!   called it, and that caller is the provenance's `builder.id`. Then the
//!   certificate must come from GitHub Actions' OIDC issuer, the delegator
//!   must be referenced at a release tag `refs/tags/vX.Y.Z`, and the caller
//!   must be a GitHub workflow referenced at a release tag too.
//!
//! A builder pinned by the user (`--builder-id`) is matched against the
//! provenance's builder (on the delegator path, not the certificate,
//! which names the delegator): a pin with `@version` must name that version
//! (`v1.2.3` matches `refs/tags/v1.2.3`); a pin without one matches any
//! version of that workflow.

use super::report::Status;

/// The delegator workflows, as certificate identities without their ref.
pub const DELEGATORS: [&str; 2] = [
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml",
];

/// The OIDC issuer of GitHub Actions tokens.
pub const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// What the builder rule needs from the provenance and its certificate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs<'a> {
    /// The provenance's `builder.id`.
    pub builder: Option<&'a str>,
    /// The certificate identity (SAN URI).
    pub signer: Option<&'a str>,
    /// The certificate's OIDC issuer.
    pub issuer: Option<&'a str>,
    /// The builder the user pinned.
    pub pinned: Option<&'a str>,
}

/// Split `uri@ref` at its last `@` (a URI has no `@` after its authority
/// here, but a ref never contains one).
fn split_ref(id: &str) -> (&str, Option<&str>) {
    match id.rsplit_once('@') {
        Some((name, r)) => (name, Some(r)),
        None => (id, None),
    }
}

/// `vMAJOR.MINOR.PATCH`, optionally with a `-prerelease`, numbers without
/// leading zeros (the semantic versions slsa-verifier accepts for the
/// generator's workflows).
fn is_semver_tag(tag: &str) -> bool {
    let Some(v) = tag.strip_prefix('v') else {
        return false;
    };
    let (core, pre) = match v.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (v, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    let num_ok = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    nums.len() == 3
        && nums.iter().all(num_ok)
        && pre.is_none_or(|p| {
            !p.is_empty()
                && p.split('.').all(|part| {
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        })
}

/// The release tag of a ref `refs/tags/<tag>`, if it is one.
fn release_tag(r: Option<&str>) -> Option<&str> {
    r.and_then(|r| r.strip_prefix("refs/tags/"))
        .filter(|t| !t.is_empty())
}

/// Whether the pinned builder names `builder` (see the module note).
fn pin_matches(pinned: &str, builder: &str) -> bool {
    let (pn, pv) = split_ref(pinned);
    let (bn, bv) = split_ref(builder);
    pn == bn
        && match (pv, bv) {
            (None, _) => true,
            (Some(p), Some(b)) => p == b || b.strip_prefix("refs/tags/") == Some(p),
            (Some(_), None) => false,
        }
}

/// The `builder-matches-signer` outcome and its detail, naming the path
/// taken.
pub fn check(i: Inputs<'_>) -> (Status, String) {
    let (Some(builder), Some(signer)) = (i.builder, i.signer) else {
        return (
            Status::NotApplicable,
            "no builder id or no certificate identity".to_string(),
        );
    };
    let (signer_name, signer_ref) = split_ref(signer);
    if DELEGATORS.contains(&signer_name) {
        return delegated(i, builder, signer, signer_ref);
    }
    if builder != signer {
        return (
            Status::Fail,
            format!("direct: provenance claims builder {builder} but was signed by {signer}"),
        );
    }
    match i.pinned {
        Some(p) if !pin_matches(p, builder) => (
            Status::Fail,
            format!(
                "direct: builder id is the certificate identity {signer}, not the pinned builder {p}"
            ),
        ),
        Some(p) => (
            Status::Pass,
            format!(
                "direct: builder id is the certificate identity {signer}, the pinned builder {p}"
            ),
        ),
        None => (
            Status::Pass,
            format!("direct: builder id is the certificate identity {signer}"),
        ),
    }
}

/// The BYOB path: signed by a delegator for the calling workflow.
fn delegated(
    i: Inputs<'_>,
    builder: &str,
    signer: &str,
    signer_ref: Option<&str>,
) -> (Status, String) {
    let fail = |why: String| (Status::Fail, format!("BYOB delegator {signer}: {why}"));
    if i.issuer != Some(GITHUB_ACTIONS_ISSUER) {
        return fail(format!(
            "the certificate's OIDC issuer is {}, not GitHub Actions ({GITHUB_ACTIONS_ISSUER})",
            i.issuer.unwrap_or("absent")
        ));
    }
    if !release_tag(signer_ref).is_some_and(is_semver_tag) {
        return fail(format!(
            "the delegator is referenced at {}, not at a release tag refs/tags/vX.Y.Z",
            signer_ref.unwrap_or("no ref")
        ));
    }
    let (builder_name, builder_ref) = split_ref(builder);
    if !builder_name.starts_with("https://github.com/")
        || !builder_name.contains("/.github/workflows/")
    {
        return fail(format!(
            "the provenance's builder {builder} is not a GitHub reusable workflow"
        ));
    }
    if DELEGATORS.contains(&builder_name) {
        return fail(format!(
            "the provenance names the delegator itself ({builder}) as its builder, not the workflow that called it"
        ));
    }
    if release_tag(builder_ref).is_none() {
        return fail(format!(
            "the calling builder {builder} is not referenced at a release tag (refs/tags/...)"
        ));
    }
    let path = format!(
        "BYOB: signed by the SLSA delegator {signer} on behalf of the trusted reusable workflow {builder}, the provenance's builder"
    );
    match i.pinned {
        Some(p) if pin_matches(p, builder) => (
            Status::Pass,
            format!("{path}; it is the pinned builder {p}"),
        ),
        Some(p) => (Status::Fail, format!("{path}; the pinned builder is {p}")),
        None => (
            Status::Pass,
            format!("{path} (no builder pinned: give --builder-id to require one)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DELEGATOR: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.9.0";
    const LOWPERMS: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v2.0.0";
    const TRW: &str =
        "https://github.com/acme/builders/.github/workflows/builder.yml@refs/tags/v0.3.1";

    fn run(builder: &str, signer: &str, issuer: &str, pinned: Option<&str>) -> (Status, String) {
        check(Inputs {
            builder: Some(builder),
            signer: Some(signer),
            issuer: Some(issuer),
            pinned,
        })
    }

    #[test]
    fn direct_path_requires_the_signer_as_builder() {
        let id = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0";
        let (s, d) = run(id, id, GITHUB_ACTIONS_ISSUER, None);
        assert_eq!(s, Status::Pass);
        assert_eq!(
            d,
            format!("direct: builder id is the certificate identity {id}")
        );
        let (s, d) = run(TRW, id, GITHUB_ACTIONS_ISSUER, None);
        assert_eq!(s, Status::Fail);
        assert!(d.starts_with("direct: provenance claims builder"), "{d}");
        // A pin is matched too, loosely without a version.
        let name = id.split('@').next().unwrap();
        assert_eq!(
            run(id, id, GITHUB_ACTIONS_ISSUER, Some(name)).0,
            Status::Pass
        );
        assert_eq!(
            run(
                id,
                id,
                GITHUB_ACTIONS_ISSUER,
                Some(&format!("{name}@v1.0.0"))
            )
            .0,
            Status::Pass
        );
        assert_eq!(
            run(
                id,
                id,
                GITHUB_ACTIONS_ISSUER,
                Some(&format!("{name}@v1.0.1"))
            )
            .0,
            Status::Fail
        );
        assert_eq!(
            run(id, id, GITHUB_ACTIONS_ISSUER, Some(TRW)).0,
            Status::Fail
        );
    }

    #[test]
    fn delegators_sign_for_their_caller() {
        for signer in [DELEGATOR, LOWPERMS] {
            let (s, d) = run(TRW, signer, GITHUB_ACTIONS_ISSUER, None);
            assert_eq!(s, Status::Pass, "{d}");
            assert!(d.starts_with("BYOB: signed by the SLSA delegator"), "{d}");
            assert!(d.contains("no builder pinned"), "{d}");
        }
        // The pin is matched against the provenance's builder, not the
        // certificate (which names the delegator).
        let trw_name = TRW.split('@').next().unwrap();
        for pin in [TRW, trw_name, &format!("{trw_name}@v0.3.1")] {
            let (s, d) = run(TRW, DELEGATOR, GITHUB_ACTIONS_ISSUER, Some(pin));
            assert_eq!(s, Status::Pass, "{pin}: {d}");
            assert!(d.contains("it is the pinned builder"), "{d}");
        }
        for pin in [
            DELEGATOR,
            "https://github.com/acme/builders/.github/workflows/other.yml",
            &format!("{trw_name}@v0.3.2"),
        ] {
            let (s, d) = run(TRW, DELEGATOR, GITHUB_ACTIONS_ISSUER, Some(pin));
            assert_eq!(s, Status::Fail, "{pin}: {d}");
        }
    }

    #[test]
    fn the_delegator_path_has_its_own_requirements() {
        let fails = |builder: &str, signer: &str, issuer: &str, why: &str| {
            let (s, d) = run(builder, signer, issuer, None);
            assert_eq!(s, Status::Fail, "{d}");
            assert!(d.contains(why), "{why} not in {d}");
        };
        fails(TRW, DELEGATOR, "https://accounts.google.com", "OIDC issuer");
        let at = |r: &str| format!("{}@{r}", DELEGATORS[0]);
        for r in [
            "refs/heads/main",
            "refs/tags/v1.9",
            "refs/tags/1.9.0",
            "refs/tags/v01.9.0",
            "refs/tags/v1.9.0-",
        ] {
            fails(TRW, &at(r), GITHUB_ACTIONS_ISSUER, "not at a release tag");
        }
        fails(TRW, DELEGATORS[0], GITHUB_ACTIONS_ISSUER, "no ref");
        assert_eq!(
            run(
                TRW,
                &at("refs/tags/v1.10.0-rc.0"),
                GITHUB_ACTIONS_ISSUER,
                None
            )
            .0,
            Status::Pass
        );
        fails(
            "https://github.com/acme/builders/.github/workflows/builder.yml@refs/heads/main",
            DELEGATOR,
            GITHUB_ACTIONS_ISSUER,
            "not referenced at a release tag",
        );
        fails(
            "https://github.com/acme/builders/.github/workflows/builder.yml",
            DELEGATOR,
            GITHUB_ACTIONS_ISSUER,
            "not referenced at a release tag",
        );
        fails(
            "https://example.com/builder@refs/tags/v1",
            DELEGATOR,
            GITHUB_ACTIONS_ISSUER,
            "not a GitHub reusable workflow",
        );
        fails(
            DELEGATOR,
            DELEGATOR,
            GITHUB_ACTIONS_ISSUER,
            "names the delegator itself",
        );
    }

    #[test]
    fn nothing_to_compare() {
        let (s, _) = check(Inputs {
            builder: None,
            signer: Some(DELEGATOR),
            ..Inputs::default()
        });
        assert_eq!(s, Status::NotApplicable);
    }
}
