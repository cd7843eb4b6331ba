//! Parses arguments, runs the command, turns the outcome into an exit code:
//! 0 on success, 1 when the content has errors, 2 when the build itself failed.

use std::process::ExitCode;

fn main() -> ExitCode {
    match skillpress::cli::parse() {
        Ok(cli) => skillpress::cli::run(cli),
        Err(code) => code,
    }
}
