//! Parses arguments, runs the command, turns the outcome into an exit code:
//! 0 on success, 1 when the content has errors, 2 when the build itself failed.

use std::process::ExitCode;

// Indexing allocates many short-lived strings on several threads; mimalloc
// spends less time per allocation than glibc's and returns memory between
// stages instead of keeping one arena per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match skillpress::cli::parse() {
        Ok(cli) => skillpress::cli::run(cli),
        Err(code) => code,
    }
}
