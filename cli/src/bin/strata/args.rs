//! Arguments shared by the subcommands, each declared once and flattened
//! into every command that takes it: the fleet ([`FleetArgs`],
//! [`FleetOpt`]), the output format ([`Format`] and [`Formats`]), trust
//! material ([`TrustArgs`], [`SignerArgs`]), what hashing leaves out
//! ([`HashingArgs`]) and `--now` ([`NowArg`]).
//!
//! Old spellings are kept for one release as hidden arguments (or hidden
//! `--format` values) that print one deprecation note each on stderr; see
//! [`deprecated`].

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, Args, Command};
use strata::clock::{Date, Time};
use strata::diag::Result;
use strata::fleet::Fleet;
use strata::sigstore::trust::TrustSpec;

use crate::output;

/// Say on stderr that `old` is deprecated in favour of `new`.
pub fn deprecated(old: &str, new: &str) {
    output::warning(&format!("{old} is deprecated; use {new}"));
}

/// The value of the current spelling, else the value given with the
/// deprecated one (with a note). clap keeps the two from being given
/// together.
pub fn or_deprecated<T>(
    current: Option<T>,
    old: Option<T>,
    old_name: &str,
    new_name: &str,
) -> Option<T> {
    match (current, old) {
        (Some(v), _) => Some(v),
        (None, Some(v)) => {
            deprecated(old_name, new_name);
            Some(v)
        }
        (None, None) => None,
    }
}

// ---------------------------------------------------------------- the fleet

/// The fleet, as a positional `[FLEET]` or as `--fleet DIR`, for commands
/// that take no other positional argument (analyze, gate, report, init).
#[derive(Debug, Clone, Args)]
pub struct FleetArgs {
    /// The fleet: a directory holding vendors.yaml, or any directory below
    /// one (vendors.yaml is looked for there and upward); the current
    /// directory when omitted.
    #[arg(value_name = "FLEET", conflicts_with = "fleet_dir")]
    fleet: Option<PathBuf>,
    /// The fleet, as an option: the same as FLEET.
    #[arg(long = "fleet", id = "fleet_dir", value_name = "DIR")]
    fleet_dir: Option<PathBuf>,
}

impl FleetArgs {
    /// The directory given, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.fleet.as_deref().or(self.fleet_dir.as_deref())
    }

    /// The fleet around the directory given (the current directory when
    /// none was).
    pub fn discover(&self) -> Result<Fleet> {
        discover(self.dir())
    }
}

/// The fleet as `--fleet DIR`, for commands whose positional arguments name
/// something else (assemble, memo, review, diff, log).
#[derive(Debug, Clone, Args)]
pub struct FleetOpt {
    /// The fleet: a directory holding vendors.yaml, or any directory below
    /// one (vendors.yaml is looked for there and upward); found from the
    /// current directory upward when omitted.
    #[arg(long, value_name = "DIR")]
    pub fleet: Option<PathBuf>,
}

impl FleetOpt {
    /// The fleet around the directory given (the current directory when
    /// none was).
    pub fn discover(&self) -> Result<Fleet> {
        discover(self.fleet.as_deref())
    }

    /// The attestations directory of `diff` and `log`: the one given with
    /// the deprecated `--attestations DIR`; else the fleet's (see
    /// [`strata::fleet::attestations_dir`]), the fleet given or found from
    /// the current directory; else, outside any fleet, ./attestations.
    pub fn attestations(&self, old: Option<&Path>, device: Option<&str>) -> Result<PathBuf> {
        if let Some(dir) = old {
            deprecated("--attestations", "--fleet");
            return Ok(dir.to_path_buf());
        }
        let start = self.fleet.as_deref().unwrap_or(Path::new("."));
        let root = match (strata::fleet::find_root(start)?, &self.fleet) {
            (Some(root), _) => root,
            (None, None) => return Ok(PathBuf::from(strata::layout::ATTESTATIONS_DIR)),
            // Not a fleet: say so as every command does.
            (None, Some(_)) => self.discover()?.root,
        };
        strata::fleet::attestations_dir(&root, device)
    }
}

/// The fleet around `dir` (the current directory when `None`): the nearest
/// directory at or above it holding vendors.yaml.
fn discover(dir: Option<&Path>) -> Result<Fleet> {
    Fleet::discover(dir.unwrap_or(Path::new(".")))
}

// ---------------------------------------------------------------- --format

/// Every output format strata writes. A command accepts the ones it can
/// produce (see [`Formats`]); `human` is the default wherever there is a
/// form for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: aligned text on a terminal.
    Human,
    /// JSON, for programs.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// Markdown.
    Md,
    /// Self-contained HTML.
    Html,
    /// XML.
    Xml,
    /// CSV, for spreadsheets.
    Csv,
}

impl Format {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Md => "md",
            Format::Html => "html",
            Format::Xml => "xml",
            Format::Csv => "csv",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Format::Human => "for people",
            Format::Json => "JSON",
            Format::Sarif => "SARIF 2.1.0 (code scanning)",
            Format::Junit => "JUnit XML (CI test reports)",
            Format::Md => "Markdown",
            Format::Html => "self-contained HTML",
            Format::Xml => "XML",
            Format::Csv => "CSV (spreadsheets)",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The `--format` values one command accepts, and the deprecated names it
/// still maps to one of them (with a note). Used as the argument's
/// `value_parser`.
#[derive(Debug, Clone, Copy)]
pub struct Formats {
    accepted: &'static [Format],
    deprecated: &'static [(&'static str, Format)],
}

/// `human` or `json`.
pub const HUMAN_JSON: Formats = Formats::new(&[Format::Human, Format::Json]);

impl Formats {
    /// Accept exactly `accepted`.
    pub const fn new(accepted: &'static [Format]) -> Formats {
        Formats {
            accepted,
            deprecated: &[],
        }
    }

    /// Also accept the deprecated names, each standing for a format.
    pub const fn with_deprecated(self, deprecated: &'static [(&'static str, Format)]) -> Formats {
        Formats {
            accepted: self.accepted,
            deprecated,
        }
    }

    fn names(&self) -> Vec<&'static str> {
        self.accepted.iter().map(|f| f.name()).collect()
    }
}

impl TypedValueParser for Formats {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> std::result::Result<Format, clap::Error> {
        if let Some(s) = value.to_str() {
            if let Some(f) = self.accepted.iter().find(|f| f.name() == s) {
                return Ok(*f);
            }
            if let Some((old, f)) = self.deprecated.iter().find(|(old, _)| *old == s) {
                deprecated(&format!("--format {old}"), &format!("--format {f}"));
                return Ok(*f);
            }
        }
        // clap's own error, naming the accepted values.
        PossibleValuesParser::new(self.names())
            .parse_ref(cmd, arg, value)
            .and_then(|_| Err(clap::Error::new(clap::error::ErrorKind::InvalidValue)))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let current = self
            .accepted
            .iter()
            .map(|f| PossibleValue::new(f.name()).help(f.help()));
        let old = self
            .deprecated
            .iter()
            .map(|(old, _)| PossibleValue::new(*old).hide(true));
        Some(Box::new(current.chain(old)))
    }
}

// ---------------------------------------------------------------- trust

/// The signer a certificate must name: part of [`TrustArgs`], and on its
/// own where only a Sigstore signer is pinned (`evidence inspect`).
/// cosign's names are visible aliases.
#[derive(Debug, Clone, Args)]
pub struct SignerArgs {
    /// Required certificate identity (SAN), exact.
    #[arg(long, value_name = "ID", visible_alias = "certificate-identity")]
    pub identity: Option<String>,
    /// Required OIDC issuer, exact.
    #[arg(long, value_name = "URL", visible_alias = "certificate-oidc-issuer")]
    pub issuer: Option<String>,
}

/// Trust material for verifying a signature: a key, an organisation CA, or
/// a Sigstore identity (verify, review, model verify). Flatten it last:
/// its help heading holds for the arguments declared after it.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Trust")]
pub struct TrustArgs {
    /// Public key (PEM) the signature was made with.
    #[arg(long, value_name = "PUB.pem", conflicts_with_all = ["ca", "identity", "identity_regexp", "issuer"])]
    pub key: Option<PathBuf>,
    /// Organisation CA certificates (PEM: root and intermediates) the
    /// signing certificate must chain to.
    #[arg(long, value_name = "CA.pem", visible_alias = "ca-roots")]
    pub ca: Option<PathBuf>,
    #[command(flatten)]
    pub signer: SignerArgs,
    /// Required certificate identity, a regular expression matching the
    /// whole SAN (anchored).
    #[arg(
        long,
        value_name = "REGEXP",
        visible_alias = "certificate-identity-regexp",
        conflicts_with = "identity"
    )]
    pub identity_regexp: Option<String>,
    /// Sigstore trusted_root.json (default: the embedded public-good root).
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
}

impl TrustArgs {
    /// The library's trust specification.
    pub fn spec(&self) -> TrustSpec {
        TrustSpec {
            key: self.key.clone(),
            ca: self.ca.clone(),
            identity: self.signer.identity.clone(),
            identity_regexp: self.identity_regexp.clone(),
            issuer: self.signer.issuer.clone(),
            trusted_root: self.trusted_root.clone(),
        }
    }
}

// ---------------------------------------------------------------- hashing

/// What hashing a directory leaves out, and symbolic links (hash and
/// model), in OpenSSF model-signing's spelling.
#[derive(Debug, Clone, Args)]
pub struct HashingArgs {
    /// Leave out a path relative to the directory (a file, or a directory
    /// and everything under it); repeatable.
    #[arg(long = "ignore-paths", value_name = "PATH")]
    ignore_paths: Vec<String>,
    /// Deprecated spelling of --ignore-paths.
    #[arg(long = "ignore", value_name = "PATH", hide = true)]
    ignore: Vec<String>,
    /// Hash `.git`, `.gitattributes`, `.github` and `.gitignore` too (left
    /// out by default).
    #[arg(long)]
    no_ignore_git_paths: bool,
    /// Deprecated spelling of --no-ignore-git-paths.
    #[arg(long = "no-ignore-git", hide = true)]
    no_ignore_git: bool,
    /// Follow symbolic links instead of refusing them.
    #[arg(long)]
    pub allow_symlinks: bool,
}

/// [`HashingArgs`] with the deprecated spellings folded in.
#[derive(Debug, Clone)]
pub struct Hashing {
    /// Paths to leave out.
    pub ignore_paths: Vec<String>,
    /// Leave out `.git` and friends.
    pub ignore_git_paths: bool,
    /// Follow symbolic links.
    pub allow_symlinks: bool,
}

impl HashingArgs {
    /// The settings, noting each deprecated spelling used.
    pub fn resolve(&self) -> Hashing {
        let mut ignore_paths = self.ignore_paths.clone();
        if !self.ignore.is_empty() {
            deprecated("--ignore", "--ignore-paths");
            ignore_paths.extend(self.ignore.iter().cloned());
        }
        if self.no_ignore_git {
            deprecated("--no-ignore-git", "--no-ignore-git-paths");
        }
        Hashing {
            ignore_paths,
            ignore_git_paths: !(self.no_ignore_git_paths || self.no_ignore_git),
            allow_symlinks: self.allow_symlinks,
        }
    }
}

// ---------------------------------------------------------------- --counts

/// Which device counts weigh the fleet figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CountsChoice {
    /// The `units` of approved-devices.yaml.
    #[default]
    Declared,
    /// The devices the inventories named in policy.yaml see in use.
    Observed,
}

/// `--counts declared|observed` (analyze, report, memo).
#[derive(Debug, Clone, Copy, Args)]
pub struct CountsArg {
    /// Weigh devices by the units declared in approved-devices.yaml, or by
    /// the devices the inventories named in policy.yaml (`inventories:`)
    /// see in use; devices on no approved stack then count under their
    /// vendor group in the pooled exposure and the fleet HHI.
    #[arg(long, value_name = "COUNTS", value_enum, default_value_t = CountsChoice::Declared)]
    pub counts: CountsChoice,
}

impl CountsArg {
    /// Whether observed counts were asked for.
    pub fn observed(&self) -> bool {
        self.counts == CountsChoice::Observed
    }
}

// ---------------------------------------------------------------- -q / -v

/// `-q`: the verdict only, for commands whose report ends with one (verify,
/// validate, evidence inspect, model verify, report).
#[derive(Debug, Clone, Copy, Args)]
pub struct QuietArg {
    /// Print the verdict only.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `-q` and `-v` (gate): the verdict only, or every check.
#[derive(Debug, Clone, Copy, Args)]
pub struct VerbosityArgs {
    /// Print the verdict only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every check, passed ones too.
    #[arg(short, long)]
    pub verbose: bool,
}

/// The last non-empty line of a human report (its verdict), with a newline.
pub fn verdict_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .unwrap_or_default()
}

// ---------------------------------------------------------------- --now

/// `--now`: act as of another time. Each command words its help with
/// `mut_arg("now", ...)`; the value is parsed by [`parse_time`].
#[derive(Debug, Clone, Args)]
pub struct NowArg {
    /// Act as of this time instead of now: YYYY-MM-DD (midnight UTC) or an
    /// RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    now: Option<jiff::Timestamp>,
}

/// A time on the command line: `YYYY-MM-DD` (midnight UTC) or RFC 3339,
/// read by the library's one parser ([`strata::clock`]), to the second.
pub fn parse_time(text: &str) -> std::result::Result<jiff::Timestamp, String> {
    strata::clock::Time::parse_date_or_time(text)
        .map(|t| t.timestamp())
        .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

/// The wall clock, to the second: the binary reads it and passes it to the
/// library, which never reads it.
pub fn wall_clock() -> Time {
    let now = jiff::Timestamp::now();
    Time::from_timestamp(jiff::Timestamp::from_second(now.as_second()).unwrap_or(now))
}

/// `given`, else the current time to the second.
pub fn timestamp_or_now(given: Option<jiff::Timestamp>) -> jiff::Timestamp {
    given.unwrap_or_else(|| wall_clock().timestamp())
}

impl NowArg {
    /// The time given, else the current time to the second.
    pub fn timestamp(&self) -> jiff::Timestamp {
        timestamp_or_now(self.now)
    }

    /// [`NowArg::timestamp`] as the library's time.
    pub fn time(&self) -> Time {
        Time::from_timestamp(self.timestamp())
    }

    /// The UTC day of [`NowArg::timestamp`].
    pub fn date(&self) -> Date {
        self.time().date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_dates_or_rfc3339() {
        assert_eq!(
            parse_time("2026-11-26").unwrap().to_string(),
            "2026-11-26T00:00:00Z"
        );
        assert_eq!(
            parse_time("2026-11-26T23:30:00-02:00").unwrap().to_string(),
            "2026-11-27T01:30:00Z"
        );
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "26-11-26",
            "2026-11-26x",
            "now",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn now_gives_the_utc_day() {
        let n = NowArg {
            now: Some(parse_time("2026-11-26T23:30:00-02:00").unwrap()),
        };
        assert_eq!(n.date().to_string(), "2026-11-27");
    }

    #[test]
    fn the_verdict_is_the_last_line_with_text() {
        assert_eq!(
            verdict_line("a\n\nverified: 3 checks\n\n"),
            "verified: 3 checks\n"
        );
        assert_eq!(verdict_line(""), "");
    }

    #[test]
    fn formats_accept_only_their_values() {
        let cmd = Command::new("t");
        let f = Formats::new(&[Format::Human, Format::Json])
            .with_deprecated(&[("table", Format::Human)]);
        let p = |v: &str| f.parse_ref(&cmd, None, OsStr::new(v));
        assert_eq!(p("human").unwrap(), Format::Human);
        assert_eq!(p("json").unwrap(), Format::Json);
        assert_eq!(p("table").unwrap(), Format::Human);
        let e = p("sarif").unwrap_err().to_string();
        assert!(e.contains("human") && e.contains("json"), "{e}");
        assert!(!e.contains("table"), "{e}");
        let shown: Vec<String> = f
            .possible_values()
            .unwrap()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(shown, ["human", "json"]);
    }
}
