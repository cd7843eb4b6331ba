//! Parses arguments, runs the command, turns the outcome into an exit code:
//! 0 on success, 1 when the content has errors, 2 when the build itself failed.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = skillpress::cli::Cli::parse();
    skillpress::cli::run(cli)
}
