//! Parses arguments, runs the command, turns the outcome into an exit code:
//! 0 on success, 1 when the content has errors, 2 when the build itself failed.

use std::process::ExitCode;

// Indexing allocates many short-lived strings on several threads; mimalloc
// spends less time per allocation than glibc's and returns memory between
// stages instead of keeping one arena per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    allocator::keep_freed_memory_for_a_while();
    match skillpress::cli::parse() {
        Ok(cli) => skillpress::cli::run(cli),
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

    /// Each stage frees what the one before it built (pages, then each
    /// search part's index). Returned after 1 s, that memory comes back as
    /// fresh huge pages the kernel must zero: about a tenth of a national
    /// build's CPU. Kept 10 s, the next stage reuses it (national 10k: about
    /// 8 % less wall time, peak +70 MiB), and `serve` still returns it soon
    /// after a save.
    const KEEP_MS: std::ffi::c_long = 10_000;

    /// Sets the purge delay unless `MIMALLOC_PURGE_DELAY` is set, so a
    /// benchmark can still try other values.
    pub fn keep_freed_memory_for_a_while() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            set(KEEP_MS);
        }
    }

    #[allow(unsafe_code)]
    fn set(value: std::ffi::c_long) {
        // SAFETY: a plain setter with no pointers; called first thing in
        // `main`, before any other thread exists to read the option.
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
            keep_freed_memory_for_a_while();
            assert_eq!(get(), KEEP_MS);
        }
    }
}
