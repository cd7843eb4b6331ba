//! Parses arguments, runs the command, turns the outcome into an exit code:
//! 0 on success, 1 when the content has errors, 2 when the build itself failed.

use std::process::ExitCode;

// Indexing allocates many short-lived strings on several threads; mimalloc
// spends less time per allocation than glibc's. How long it keeps freed
// memory is set below (`allocator`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match skillpress::cli::parse() {
        Ok(cli) => {
            allocator::keep_freed_memory(&cli.command);
            skillpress::cli::run(cli)
        }
        Err(code) => code,
    }
}

/// How long mimalloc keeps freed memory before giving it back to the system.
mod allocator {
    use libmimalloc_sys::{mi_option_set, mi_option_t};

    /// `mi_option_purge_delay` (its place in mimalloc's option list; the
    /// crate names no constant for it). The test below checks the place.
    const PURGE_DELAY: mi_option_t = 15;

    /// mimalloc's own default: freed memory is returned after 1 s.
    #[cfg(test)]
    const DEFAULT_MS: std::ffi::c_long = 1_000;

    /// Each stage frees what the one before it built (the model's working
    /// copies, pages, then each search part's index). Given back after 1 s,
    /// that memory returns as fresh huge pages the kernel must zero: about a
    /// tenth of a national build's CPU (national 10k: 105,000-154,000 page
    /// faults; kept, about 1,100). A build or check ends within minutes,
    /// so it keeps what it freed (-1: never
    /// given back; peak +70-80 MiB); `serve` runs for hours and gives memory
    /// back 10 s after a save has freed it.
    const BUILD_MS: std::ffi::c_long = -1;
    const SERVE_MS: std::ffi::c_long = 10_000;

    /// Sets the purge delay for `command`, unless `MIMALLOC_PURGE_DELAY` is
    /// set (a benchmark can still try other values). Call it before any
    /// thread starts.
    pub fn keep_freed_memory(command: &skillpress::cli::Command) {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            set(delay(command));
        }
    }

    fn delay(command: &skillpress::cli::Command) -> std::ffi::c_long {
        match command {
            skillpress::cli::Command::Serve { .. } => SERVE_MS,
            _ => BUILD_MS,
        }
    }

    #[allow(unsafe_code)]
    fn set(value: std::ffi::c_long) {
        // SAFETY: a plain setter with no pointers. mimalloc stores the value
        // without atomics, so it is set in `main` before any thread starts
        // (the only caller besides the test below, the one test of this
        // binary, while the harness's thread waits for it).
        unsafe { mi_option_set(PURGE_DELAY, value) }
    }

    #[cfg(test)]
    #[allow(unsafe_code)]
    fn get() -> std::ffi::c_long {
        // SAFETY: a plain getter with no pointers.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Option 15 is the purge delay: it starts at mimalloc's default
        /// for it and takes the value set. A mimalloc that renumbered its
        /// options would fail here rather than tune something else.
        #[test]
        fn the_purge_delay_is_the_option_set() {
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
                return;
            }
            assert_eq!(get(), DEFAULT_MS);
            let parse = |args: &[&str]| skillpress::cli::parse_from(args).unwrap().command;
            keep_freed_memory(&parse(&["skillpress", "build"]));
            assert_eq!(get(), BUILD_MS);
            keep_freed_memory(&parse(&["skillpress", "serve"]));
            assert_eq!(get(), SERVE_MS);
        }
    }
}
