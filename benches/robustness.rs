//! `cargo bench --bench robustness`: the binary on pathological sites, each made
//! in a temp dir from the minimal fixture: documents of 0.5, 5 and 50 MB
//! (`build`), 10,000 conflicting figures (`check`) and a 300 KB run of one
//! 汉字 (`build`). Prints the median wall time of up to 3 runs; a run still going
//! after `SKILLPRESS_BENCH_TIMEOUT` seconds (default 300) is killed and shown as
//! `>N s`. `SKILLPRESS_BIN` times another binary (e.g. an older build).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes one pathological case into a copy of the minimal site.
type Make = Box<dyn Fn(&Path)>;

fn main() {
    let bin = std::env::var_os("SKILLPRESS_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_skillpress")),
        PathBuf::from,
    );
    let timeout = Duration::from_secs(
        std::env::var("SKILLPRESS_BENCH_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    );
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let temp = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &str, Make)> = vec![
        (
            "document 0.5 MB",
            "build",
            Box::new(|p| big_document(p, 500_000)),
        ),
        (
            "document 5 MB",
            "build",
            Box::new(|p| big_document(p, 5_000_000)),
        ),
        (
            "document 50 MB",
            "build",
            Box::new(|p| big_document(p, 50_000_000)),
        ),
        (
            "10k conflicting figures",
            "check",
            Box::new(|p| conflicts(p, 10_000)),
        ),
        (
            "300 KB run of one CJK character",
            "build",
            Box::new(|p| cjk_run(p, 100_000)),
        ),
    ];
    for (i, (name, command, make)) in cases.iter().enumerate() {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let root = temp.path().join(format!("site-{i}"));
        minimal(&root);
        make(&root);
        let out = temp.path().join(format!("out-{i}"));
        let mut times = Vec::new();
        let mut status = None;
        for _ in 0..3 {
            let (secs, code) = run(&bin, command, &root, &out, timeout);
            times.push(secs);
            status = code;
            if code.is_none() || secs >= 10.0 {
                break;
            }
        }
        match status {
            Some(code) => println!(
                "{name:32} {command:5} median {:>8.2} s of {} (exit {code})",
                median(&times),
                times.len()
            ),
            None => println!("{name:32} {command:5} >{} s (killed)", timeout.as_secs()),
        }
    }
}

/// Runs the binary, killing it after `timeout`; the exit code, or `None` when killed.
fn run(
    bin: &Path,
    command: &str,
    root: &Path,
    out: &Path,
    timeout: Duration,
) -> (f64, Option<i32>) {
    let mut args = vec![command, "--root", root.to_str().unwrap()];
    if command == "build" {
        args.extend(["--output", out.to_str().unwrap()]);
    }
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run skillpress");
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (started.elapsed().as_secs_f64(), status.code());
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return (started.elapsed().as_secs_f64(), None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The minimal good site of the tests.
fn minimal(root: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/minimal");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn document(root: &Path) -> PathBuf {
    root.join("content/documents/nanyang-reply.md")
}

/// The fixture's document with `bytes` of paragraphs before its body, so every
/// quote is found only after the whole filler.
fn big_document(root: &Path, bytes: usize) {
    let path = document(root);
    let text = std::fs::read_to_string(&path).unwrap();
    let body_at = text[4..].find("\n---\n").unwrap() + 4 + 5;
    let mut out = String::with_capacity(bytes + text.len());
    out.push_str(&text[..body_at]);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "各地人力资源社会保障部门要坚持以需求为导向，完善职业技能培训体系，提升劳动者就业创业能力，第{i}段。\n\n"
        ));
        i += 1;
    }
    out.push_str(&text[body_at..]);
    std::fs::write(path, out).unwrap();
}

/// One document with `n` figures of one metric, region and year, all different.
fn conflicts(root: &Path, n: usize) {
    let mut text = String::from(
        "---\ntitle: 冲突\nkind: notice\nregion: nanyang\ndate: 2024-05-28\nfigures:\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "  - metric: enterprise_training\n    value: {}\n    year: 2024\n    quote: 第{i}项培训{}人\n",
            i + 1,
            i + 1
        ));
    }
    text.push_str("---\n");
    for i in 0..n {
        text.push_str(&format!("第{i}项培训{}人。\n\n", i + 1));
    }
    std::fs::write(document(root), text).unwrap();
}

/// A paragraph of `chars` times one 汉字 at the end of the document.
fn cjk_run(root: &Path, chars: usize) {
    let path = document(root);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n\n");
    text.push_str(&"技".repeat(chars));
    text.push('\n');
    std::fs::write(path, text).unwrap();
}
