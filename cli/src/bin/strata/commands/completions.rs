//! `strata completions SHELL`: a shell completion script, generated from
//! the command-line definition (clap_complete).

use std::path::Path;

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use strata::diag::{Error, ExitStatus, Result};

use super::Cli;
use crate::output;

/// Print a completion script for SHELL on stdout.
///
/// The script is generated from strata's own argument definitions, so it
/// always matches this binary: subcommands, flags, and the values of flags
/// that take a fixed set (`--format`, `--color`, ...). Install it where your
/// shell looks for completions (see the examples); open a new shell
/// afterwards.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata completions bash > ~/.local/share/bash-completion/completions/strata
  strata completions zsh > ~/.zfunc/_strata     # with fpath+=(~/.zfunc) before compinit
  strata completions fish > ~/.config/fish/completions/strata.fish
  strata completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL", value_enum)]
    shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "strata", &mut buf);
    buf
}

/// Run `strata completions`.
pub fn run(args: CompletionsArgs) -> Result<ExitStatus> {
    output::stdout(&script(args.shell)).map_err(|e| Error::io(Path::new("<stdout>"), e))?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand (and every subcommand below one) by name.
    fn subcommands() -> Vec<String> {
        fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
            for s in cmd.get_subcommands() {
                out.push(s.get_name().to_string());
                walk(s, out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), &mut out);
        out
    }

    #[test]
    fn every_shell_gets_a_script_naming_every_subcommand() {
        let names = subcommands();
        assert!(names.contains(&"verify-bundle".to_string()), "{names:?}");
        assert!(names.contains(&"completions".to_string()), "{names:?}");
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let text = String::from_utf8(script(shell)).unwrap();
            assert!(text.len() > 1000, "{shell}: {} bytes", text.len());
            for n in &names {
                assert!(text.contains(n.as_str()), "{shell} script lacks `{n}`");
            }
            // Flags with a fixed set of values complete them.
            assert!(text.contains("sarif"), "{shell}");
        }
    }
}
