//! The command line: one file per subcommand, dispatched from [`run`].

use clap::{Args, FromArgMatches, Parser, Subcommand};
use strata::diag::{ExitStatus, Result};

use crate::color::{self, ColorWhen};
use crate::output::ErrorFormat;

mod analyze;
mod assemble;
mod attest;
mod completions;
mod diff;
mod evidence;
mod explain;
mod fmt;
mod gate;
mod hash;
#[cfg(test)]
mod help_tests;
mod init;
mod inventory;
mod keyless;
mod log;
mod man;
mod memo;
mod model;
mod report;
mod review;
mod schema;
mod sign;
mod validate;
mod verify;
mod verify_bundle;

/// `strata --version`: the package version, then the git commit and its
/// date when built from a git checkout (see `build.rs`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("STRATA_BUILD_INFO"),
    ")"
);

/// strata: evidence and control for devices whose chip, OS, AI model and
/// cloud come from one vendor.
///
/// Exit status: 0 success, 1 a check, verification or gate failed, 2 usage,
/// input or I/O error.
#[derive(Debug, Parser)]
#[command(name = "strata", version = VERSION, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Colour for people: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE forces it), always or never. Machine formats never.
    #[arg(long, global = true, value_name = "WHEN", value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

impl Cli {
    /// Parse the command line. `strata SUBCOMMAND ...` builds only that
    /// subcommand's arguments (clap otherwise builds all of them, a tenth of
    /// a millisecond of every start); anything else (`strata`, `--help`,
    /// `help`, a misspelt name) takes the whole tree. The test below holds
    /// both to the same help, usage and arguments.
    pub fn parse_args() -> Cli {
        let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        memo::rewrite_old_fleet_flag(&mut args);
        let fast = args
            .get(1)
            .and_then(|a| a.to_str())
            .and_then(one_subcommand);
        let Some(cmd) = fast else {
            return Cli::parse_from(args);
        };
        let parsed = cmd
            .try_get_matches_from(&args)
            .and_then(|m| Cli::from_arg_matches(&m));
        match parsed {
            Ok(cli) => cli,
            Err(e) => e.exit(),
        }
    }

    /// The format errors are reported in: JSON when the command was asked
    /// for JSON output.
    pub fn error_format(&self) -> ErrorFormat {
        if std::env::args().any(|a| a == "--format=json" || a == "json") && wants_json() {
            ErrorFormat::Json
        } else {
            ErrorFormat::Human
        }
    }
}

/// True when `--format json` or `--format=json` is on the command line.
fn wants_json() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

#[derive(Debug, Subcommand)]
enum Command {
    Analyze(analyze::AnalyzeArgs),
    Assemble(assemble::AssembleArgs),
    Attest(attest::AttestArgs),
    Completions(completions::CompletionsArgs),
    Diff(diff::DiffArgs),
    Fmt(fmt::FmtArgs),
    Evidence(evidence::EvidenceArgs),
    Explain(explain::ExplainArgs),
    Gate(gate::GateArgs),
    Hash(hash::HashArgs),
    Init(init::InitArgs),
    Inventory(inventory::InventoryArgs),
    Log(log::LogArgs),
    Man(man::ManArgs),
    Memo(memo::MemoArgs),
    Model(model::ModelArgs),
    Report(report::ReportArgs),
    Review(review::ReviewArgs),
    Schema(schema::SchemaArgs),
    Sign(sign::SignArgs),
    Validate(validate::ValidateArgs),
    Verify(verify::VerifyArgs),
    VerifyBundle(verify_bundle::VerifyBundleArgs),
}

/// `strata` with the one subcommand `name`, or `None` for a name that is
/// not a subcommand.
fn one_subcommand(name: &str) -> Option<clap::Command> {
    macro_rules! sub {
        ($name:literal, $args:ty) => {
            <$args>::augment_args(clap::Command::new($name))
        };
    }
    let sub = match name {
        "analyze" => sub!("analyze", analyze::AnalyzeArgs),
        "assemble" => sub!("assemble", assemble::AssembleArgs),
        "attest" => sub!("attest", attest::AttestArgs),
        "completions" => sub!("completions", completions::CompletionsArgs),
        "diff" => sub!("diff", diff::DiffArgs),
        "fmt" => sub!("fmt", fmt::FmtArgs),
        "evidence" => sub!("evidence", evidence::EvidenceArgs),
        "explain" => sub!("explain", explain::ExplainArgs),
        "gate" => sub!("gate", gate::GateArgs),
        "hash" => sub!("hash", hash::HashArgs),
        "init" => sub!("init", init::InitArgs),
        "inventory" => sub!("inventory", inventory::InventoryArgs),
        "log" => sub!("log", log::LogArgs),
        "man" => sub!("man", man::ManArgs),
        "memo" => sub!("memo", memo::MemoArgs),
        "model" => sub!("model", model::ModelArgs),
        "report" => sub!("report", report::ReportArgs),
        "review" => sub!("review", review::ReviewArgs),
        "schema" => sub!("schema", schema::SchemaArgs),
        "sign" => sub!("sign", sign::SignArgs),
        "validate" => sub!("validate", validate::ValidateArgs),
        "verify" => sub!("verify", verify::VerifyArgs),
        "verify-bundle" => sub!("verify-bundle", verify_bundle::VerifyBundleArgs),
        _ => return None,
    };
    // The settings of `Cli`'s #[command] that reach a subcommand.
    Some(
        GlobalArgs::augment_args(clap::Command::new("strata"))
            .max_term_width(100)
            .subcommand_required(true)
            .subcommand(sub),
    )
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    color::init(cli.global.color);
    match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Assemble(a) => assemble::run(a),
        Command::Attest(a) => attest::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Evidence(a) => evidence::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Gate(a) => gate::run(a),
        Command::Hash(a) => hash::run(a),
        Command::Init(a) => init::run(a),
        Command::Inventory(a) => inventory::run(a),
        Command::Log(a) => log::run(a),
        Command::Man(a) => man::run(a),
        Command::Memo(a) => memo::run(a),
        Command::Model(a) => model::run(a),
        Command::Report(a) => report::run(a),
        Command::Review(a) => review::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Sign(a) => sign::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Verify(a) => verify::run(a),
        Command::VerifyBundle(a) => verify_bundle::run(a),
    }
}

/// The system clock, for library work that needs the time more than once.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock;

impl strata::clock::Clock for SystemClock {
    fn now(&self) -> strata::clock::Timestamp {
        strata::clock::Timestamp::now()
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every subcommand, and every subcommand below it, renders the same
    /// help and usage through [`one_subcommand`] as through the whole tree.
    fn same(full: &mut clap::Command, fast: &mut clap::Command, path: &str) {
        assert_eq!(
            full.render_long_help().to_string(),
            fast.render_long_help().to_string(),
            "{path} --help"
        );
        assert_eq!(
            full.render_help().to_string(),
            fast.render_help().to_string(),
            "{path} -h"
        );
        assert_eq!(
            full.render_usage().to_string(),
            fast.render_usage().to_string(),
            "{path} usage"
        );
        let names: Vec<String> = full
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let fast_names: Vec<String> = fast
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, fast_names, "{path}");
        for n in names {
            let (Some(f), Some(q)) = (full.find_subcommand_mut(&n), fast.find_subcommand_mut(&n))
            else {
                panic!("{path} {n}");
            };
            same(f, q, &format!("{path} {n}"));
        }
    }

    #[test]
    fn one_subcommand_parses_and_renders_like_the_whole_tree() {
        let mut full = Cli::command();
        full.build();
        let names: Vec<String> = full
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .filter(|n| n != "help")
            .collect();
        assert_eq!(names.len(), 23);
        for name in names {
            let mut fast = one_subcommand(&name).unwrap_or_else(|| panic!("{name} is missing"));
            fast.build();
            same(
                full.find_subcommand_mut(&name).unwrap(),
                fast.find_subcommand_mut(&name).unwrap(),
                &name,
            );
        }
        assert!(one_subcommand("help").is_none());
        assert!(one_subcommand("verfy").is_none());
        // Both paths give the same parse.
        let argv = [
            "strata", "verify", "--batch", "-", "--key", "k.pub", "--format", "json",
        ];
        let a = Cli::try_parse_from(argv).unwrap();
        let m = one_subcommand("verify")
            .unwrap()
            .try_get_matches_from(argv)
            .unwrap();
        let b = Cli::from_arg_matches(&m).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        // And the same errors.
        let argv = ["strata", "verify", "b.json", "--batch", "l.txt"];
        let a = Cli::try_parse_from(argv).unwrap_err().render().to_string();
        let b = one_subcommand("verify")
            .unwrap()
            .try_get_matches_from(argv)
            .unwrap_err()
            .render()
            .to_string();
        assert_eq!(a, b);
    }
}
