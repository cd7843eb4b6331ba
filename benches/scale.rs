//! `cargo bench --bench scale`: builds a generated national-shaped corpus
//! (tests/common/corpus.rs) with the release binary as a child process and
//! reports wall time, pages/s, peak RSS and each stage's time from `build -v`.
//!
//!   SCALE_SIZES="1000 10000" SCALE_RUNS=3 cargo bench --bench scale
//!
//! It also prints the median HTML page's bytes and the five largest pages.
//! `SCALE_KEEP=DIR` keeps a copy of each corpus in `DIR/<size>/`.
//!
//! Sizes are entity pages (default 1000); the median of SCALE_RUNS (default 3)
//! builds into a fresh folder is shown. Peak RSS comes from `/usr/bin/time`
//! (the child's maxrss as wait4 reports it). The machine may be shared: quote
//! medians, and compare before/after in the same run of the machine.

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::process::Command;
use std::time::Instant;

const STAGES: [&str; 5] = ["validate", "render", "links", "search", "publish"];

struct Run {
    wall: f64,
    rss_mib: f64,
    stages: Vec<f64>,
    pages: usize,
    bytes: u64,
    /// HTML pages by size: (bytes, path), largest first.
    page_sizes: Vec<(u64, String)>,
    /// Bytes of the search index (`pagefind/`), all parts.
    index_bytes: u64,
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SCALE_SIZES")
        .unwrap_or_else(|_| "1000".to_owned())
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let runs: usize = std::env::var("SCALE_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    // SCALE_BINARY: another build of skillpress (an older commit), for before/after.
    let binary_path = std::env::var("SCALE_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_skillpress").to_owned());
    let binary = binary_path.as_str();
    println!(
        "{:>7} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "pages",
        "wall s",
        "pages/s",
        "RSS MiB",
        "validate",
        "render",
        "links",
        "search",
        "publish",
        "MB out",
        "MB index"
    );
    for size in sizes {
        let dir = tempfile::tempdir().unwrap();
        // About 1.2 entity pages per document.
        let corpus = corpus::Corpus {
            documents: size * 5 / 6,
        };
        corpus.write(dir.path());
        // SCALE_KEEP=DIR: also write the corpus to DIR/<size>, for profiling.
        if let Ok(keep) = std::env::var("SCALE_KEEP") {
            corpus.write(&std::path::Path::new(&keep).join(size.to_string()));
        }
        let mut results: Vec<Run> = (0..runs)
            .map(|n| build(binary, dir.path(), &dir.path().join(format!("out-{n}"))))
            .collect();
        results.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        let median = &results[results.len() / 2];
        let stages: Vec<String> = median.stages.iter().map(|s| format!("{s:>9.2}")).collect();
        println!(
            "{:>7} {:>8.2} {:>8.0} {:>9.0} {} {:>10.1} {:>9.1}   (entities {}, median of {runs})",
            median.pages,
            median.wall,
            median.pages as f64 / median.wall,
            median.rss_mib,
            stages.join(" "),
            median.bytes as f64 / 1e6,
            median.index_bytes as f64 / 1e6,
            corpus.entity_pages()
        );
        print_page_sizes(&median.page_sizes);
    }
}

/// The median HTML page and the five largest, in bytes: what a phone loads.
fn print_page_sizes(sizes: &[(u64, String)]) {
    if sizes.is_empty() {
        return;
    }
    let mut bytes: Vec<u64> = sizes.iter().map(|(b, _)| *b).collect();
    bytes.sort_unstable();
    println!(
        "        HTML pages {} · median {} bytes · largest:",
        sizes.len(),
        bytes[bytes.len() / 2]
    );
    for (b, path) in sizes.iter().take(5) {
        println!("        {b:>12}  {path}");
    }
}

/// Every `.html` file under `dir` with its size, largest first (ties by path).
fn html_sizes(dir: &std::path::Path) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                out.push((size, rel.to_string_lossy().into_owned()));
            }
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out
}

fn build(binary: &str, root: &std::path::Path, output: &std::path::Path) -> Run {
    let rss_file = root.join("rss.txt");
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(binary)
        .args(["build", "-v", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run /usr/bin/time skillpress build -v");
    let wall = started.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "build failed:\n{log}");
    let rss_kib: f64 = std::fs::read_to_string(&rss_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stage = |name: &str| -> f64 {
        log.lines()
            .find_map(|l| {
                let mut words = l.split_whitespace();
                (words.next() == Some(name)).then(|| words.next()?.parse().ok())?
            })
            .unwrap_or(f64::NAN)
    };
    let counts = log
        .lines()
        .find(|l| l.trim_start().starts_with("pages "))
        .unwrap_or_default();
    let numbers: Vec<u64> = counts
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let page_sizes = html_sizes(output);
    let index_bytes = dir_bytes(&output.join("pagefind"));
    let _ = std::fs::remove_dir_all(output);
    Run {
        wall,
        rss_mib: rss_kib / 1024.0,
        stages: STAGES.iter().map(|s| stage(s)).collect(),
        pages: numbers.first().copied().unwrap_or(0) as usize,
        bytes: numbers.get(2).copied().unwrap_or(0),
        page_sizes,
        index_bytes,
    }
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&entry.path()),
            _ => entry.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}
