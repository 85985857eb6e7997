//! The `strata` binary: argument parsing and rendering only. All work happens
//! in the `strata` library; each subcommand lives in `commands/<name>.rs`.

mod args;
mod color;
mod commands;
mod output;
mod progress;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = commands::Cli::parse_args();
    let format = cli.error_format();
    match commands::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            output::report_error(&err, format);
            ExitCode::from(strata::diag::ExitStatus::Error.code())
        }
    }
}
