//! Deterministic mutation test: the default site and the fixtures, mutated the
//! way careless or hostile editors would (byte flips, lost and doubled lines,
//! swapped or huge values, unicode junk, BOM/CRLF, deleted and renamed files,
//! truncated YAML …), then `check` (most runs) or `build`. For every run:
//! no panic, no hang; exit 1 with a located message, or exit 0 (a build that
//! passed its link gate); a failed build leaves the previous `public/` byte for
//! byte; nothing is written outside the output folder.
//!
//! `SKILLPRESS_MUTATIONS=5000` runs more (default 300); `SKILLPRESS_MUTATION_ONLY=N`
//! runs case N alone and keeps its site, to reproduce a failure.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{copy_tree, fixtures, overlay_site, repo_root, tree_bytes};

const SEED: u64 = 0x5eed_2026_1129;
const TIMEOUT: Duration = Duration::from_secs(60);
/// One run in this many is a `build` (the rest are `check`).
const BUILD_EVERY: usize = 5;

/// SplitMix64: small, fast, and the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A site to mutate: the default site or a fixture laid over the minimal one.
#[derive(Clone, Debug)]
enum Base {
    Default,
    Fixture(PathBuf),
}

fn lay_out(base: &Base, root: &Path) {
    match base {
        Base::Default => {
            for dir in ["content", "themes", "static"] {
                let from = repo_root().join(dir);
                if from.is_dir() {
                    copy_tree(&from, &root.join(dir));
                }
            }
        }
        Base::Fixture(path) => {
            let dir = overlay_site(path);
            copy_tree(dir.path(), root);
        }
    }
}

fn bases() -> Vec<Base> {
    let mut fixtures_list: Vec<PathBuf> = ["good", "accept", "bad"]
        .iter()
        .flat_map(|kind| {
            let dir = fixtures().join(kind);
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            entries.sort();
            entries
        })
        .collect();
    fixtures_list.retain(|p| !p.ends_with("good/minimal") || p.join("content").is_dir());
    let mut bases = vec![Base::Default];
    bases.extend(fixtures_list.into_iter().map(Base::Fixture));
    bases
}

/// Every file under `content/`, relative to the root, sorted.
fn content_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

const JUNK: &[&str] = &[
    "\u{200b}",
    "\u{feff}",
    "\u{202e}",
    "\u{0301}",
    "\u{0}",
    "\r",
    "\t",
    "：",
    "＂",
    "🎉",
    "𠀀",
    "\u{fffd}",
    "---",
    "- ",
    ": ",
    "{",
    "[",
    "&",
    "*a",
    "!!binary",
    "%YAML 1.2",
    "'",
    "\"",
    "#",
    "<script>",
    "](javascript:x)",
    "[a](../../x)",
    "\\",
    "万",
    "亿",
    "%",
    "\u{3000}",
];

const FIELDS: &[&str] = &[
    "region",
    "parent",
    "scope",
    "metric",
    "program",
    "brand",
    "brands",
    "unit",
    "name",
    "title",
    "value",
    "quote",
    "year",
    "period",
    "as_of",
    "kind",
    "level",
    "date",
    "topics",
    "theme",
    "base_url",
    "max",
    "doc_number",
    "figures",
    "aliases",
    "headline",
];

fn huge(rng: &mut Rng) -> String {
    let size = [1_000, 70_000, 300_000, 1_000_000][rng.below(4)];
    let unit = *rng.pick(&["技", "9", "a", "万", "“", " "]);
    unit.repeat(size / unit.len().max(1))
}

/// Applies one mutation to the site at `root`; returns what it did.
fn mutate(root: &Path, rng: &mut Rng) -> String {
    let files = content_files(root);
    if files.is_empty() {
        return "no content".into();
    }
    let rel = rng.pick(&files).clone();
    let path = root.join(&rel);
    let name = rel.display().to_string();
    let bytes = std::fs::read(&path).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let line = rng.below(lines.len());
    let write = |s: &str| std::fs::write(&path, s).unwrap();
    match rng.below(16) {
        0 => {
            let mut b = bytes.clone();
            if !b.is_empty() {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            std::fs::write(&path, b).unwrap();
            format!("flip a bit in {name}")
        }
        1 => {
            lines.remove(line);
            write(&lines.join("\n"));
            format!("delete line {} of {name}", line + 1)
        }
        2 => {
            lines.insert(line, lines[line].clone());
            write(&lines.join("\n"));
            format!("duplicate line {} of {name}", line + 1)
        }
        3 => {
            // Swap the values of two `key: value` lines.
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(": "))
                .collect();
            if keyed.len() >= 2 {
                let (a, b) = (*rng.pick(&keyed), *rng.pick(&keyed));
                let va = lines[a].split_once(": ").unwrap().1.to_owned();
                let vb = lines[b].split_once(": ").unwrap().1.to_owned();
                let ka = lines[a].split_once(": ").unwrap().0.to_owned();
                let kb = lines[b].split_once(": ").unwrap().0.to_owned();
                lines[a] = format!("{ka}: {vb}");
                lines[b] = format!("{kb}: {va}");
                write(&lines.join("\n"));
            }
            format!("swap two values in {name}")
        }
        4 => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(": "))
                .collect();
            let value = huge(rng);
            let size = value.len();
            if let Some(&i) = keyed.get(rng.below(keyed.len().max(1))) {
                let key = lines[i].split_once(": ").unwrap().0.to_owned();
                lines[i] = format!("{key}: {value}");
            } else {
                lines[line].push_str(&value);
            }
            write(&lines.join("\n"));
            format!("huge value ({size} bytes) in {name}")
        }
        5 => {
            let junk = *rng.pick(JUNK);
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            write(&format!("{}{junk}{}", &text[..at], &text[at..]));
            format!("insert {junk:?} at byte {at} of {name}")
        }
        6 => {
            if rng.below(2) == 0 {
                write(&format!("\u{feff}{text}"));
                format!("BOM before {name}")
            } else {
                write(&text.replace('\n', "\r\n"));
                format!("CRLF in {name}")
            }
        }
        7 => {
            std::fs::remove_file(&path).unwrap();
            format!("delete {name}")
        }
        8 => {
            let stem = *rng.pick(&[
                "renamed", "Bad Name", "南阳", "a--b", "-x", "index", "x.y", "henan", "nanyang",
                "con", "a",
            ]);
            let ext = path
                .extension()
                .map_or("md".into(), |e| e.to_string_lossy().into_owned());
            let target = path.with_file_name(format!("{stem}.{ext}"));
            std::fs::rename(&path, &target).unwrap();
            format!(
                "rename {name} to {}",
                target.file_name().unwrap().to_string_lossy()
            )
        }
        9 => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            write(&text[..at]);
            format!("truncate {name} at byte {at}")
        }
        10 => {
            let other = rng.below(lines.len());
            lines.swap(line, other);
            write(&lines.join("\n"));
            format!("swap lines {} and {} of {name}", line + 1, other + 1)
        }
        11 => {
            let l = &mut lines[line];
            match rng.below(3) {
                0 => l.insert_str(0, "  "),
                1 => l.insert(0, '\t'),
                _ => *l = l.trim_start().to_owned(),
            }
            write(&lines.join("\n"));
            format!("change the indent of line {} of {name}", line + 1)
        }
        12 => {
            let target = path.with_file_name(format!(
                "copy-{}",
                path.file_name().unwrap().to_string_lossy()
            ));
            std::fs::write(&target, &bytes).unwrap();
            format!("copy {name} beside itself")
        }
        13 => {
            // Point a field at something that does not exist (or at odd text).
            let field = *rng.pick(FIELDS);
            let value = *rng.pick(&[
                "nowhere",
                "../../x",
                "..",
                "index.html",
                "''",
                "[]",
                "{}",
                "-1",
                "0",
                "9999999999",
                "2024-02-30",
                "2030-2020",
                "1e400",
                "1,2,3",
                "null",
                "~",
                "/abs",
                "a/b",
            ]);
            let mut done = false;
            for l in lines.iter_mut() {
                if l.trim_start().starts_with(&format!("{field}:")) {
                    let indent = l.len() - l.trim_start().len();
                    *l = format!("{}{field}: {value}", &l[..indent]);
                    done = true;
                    break;
                }
            }
            if !done {
                lines.insert(line, format!("{field}: {value}"));
            }
            write(&lines.join("\n"));
            format!("set {field}: {value} in {name}")
        }
        14 => {
            // A whole document pasted on one line.
            write(&text.replace(['\n', '\r'], ""));
            format!("join every line of {name}")
        }
        _ => {
            // Drop the value of a key (an empty or null field).
            if let Some((k, _)) = lines[line].split_once(':') {
                lines[line] = format!("{k}:");
            }
            write(&lines.join("\n"));
            format!("empty line {} value of {name}", line + 1)
        }
    }
}

/// Paths and bytes of every file under `dir`, except those under `skip`.
fn snapshot(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.path() != skip)
        .filter_map(Result::ok)
        .map(|e| {
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

#[derive(Default)]
struct Counts {
    runs: usize,
    clean_errors: usize,
    checks_passed: usize,
    builds: usize,
    panics: usize,
    hangs: usize,
    failures: Vec<String>,
}

/// A `path:line:column` location line, or a file-less problem that names the file.
fn is_located(stderr: &str) -> bool {
    stderr.lines().any(|l| {
        let mut parts = l.trim().rsplitn(3, ':');
        let col = parts.next().unwrap_or("");
        let line = parts.next().unwrap_or("");
        let file = parts.next().unwrap_or("");
        !file.is_empty()
            && !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && !col.is_empty()
            && col.bytes().all(|b| b.is_ascii_digit())
    }) || stderr.contains("content/")
}

fn run_case(index: usize, base: &Base, prebuilt: &Path, keep: bool, counts: &Mutex<Counts>) {
    let mut rng = Rng::new(SEED ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    lay_out(base, &root);
    let mut done = Vec::new();
    for _ in 0..1 + rng.below(3) {
        done.push(mutate(&root, &mut rng));
    }
    let build = index % BUILD_EVERY == BUILD_EVERY - 1;
    let output = root.join("public");
    if build {
        copy_tree(prebuilt, &output);
    }
    let before_public = tree_bytes(&output);
    let before = snapshot(temp.path(), &output);
    let root_arg = root.to_str().unwrap().to_owned();
    let out_arg = output.to_str().unwrap().to_owned();
    let args: Vec<&str> = if build {
        vec!["build", "--root", &root_arg, "--output", &out_arg]
    } else {
        vec!["check", "--root", &root_arg]
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr_pipe, &mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let what = format!("case {index} ({} {base:?}): {}", args[0], done.join("; "));
    let mut c = counts.lock().unwrap();
    c.runs += 1;
    let Some(status) = status else {
        c.hangs += 1;
        c.failures.push(format!("HANG {what}"));
        return;
    };
    let code = status.code().unwrap_or(-1);
    let excerpt: String = stderr.chars().filter(|c| *c != '技').take(1500).collect();
    if code == 101 || stderr.contains("panicked") {
        c.panics += 1;
        c.failures.push(format!("PANIC {what}\n{excerpt}"));
        return;
    }
    let mut problems = Vec::new();
    match code {
        0 if build => {
            c.builds += 1;
            if !output.join("index.html").is_file() {
                problems.push("exit 0 but no index.html".to_owned());
            }
        }
        0 => c.checks_passed += 1,
        1 => {
            c.clean_errors += 1;
            if !is_located(&stderr) {
                problems.push("exit 1 without a file:line message".to_owned());
            }
            if build && tree_bytes(&output) != before_public {
                problems.push("a failed build changed public/".to_owned());
            }
        }
        other => problems.push(format!("exit {other}")),
    }
    let after = snapshot(temp.path(), &output);
    if after != before {
        let changed: Vec<String> = after
            .keys()
            .chain(before.keys())
            .filter(|k| after.get(*k) != before.get(*k))
            .take(5)
            .map(|k| k.display().to_string())
            .collect();
        problems.push(format!("wrote outside the output: {changed:?}"));
    }
    if !problems.is_empty() {
        c.failures
            .push(format!("{} {what}\n{excerpt}", problems.join(", ")));
    }
    drop(c);
    if keep {
        let kept = temp.keep();
        eprintln!("kept the mutated site in {}", kept.display());
    }
}

#[test]
fn mutated_sites_never_panic_hang_or_write_outside() {
    let runs: usize = std::env::var("SKILLPRESS_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let only: Option<usize> = std::env::var("SKILLPRESS_MUTATION_ONLY")
        .ok()
        .and_then(|s| s.parse().ok());
    let bases = bases();

    // Previous outputs to lay under failed builds: real builds of the two sites.
    let prebuilt = tempfile::tempdir().unwrap();
    for (name, base) in [
        ("default", Base::Default),
        ("minimal", Base::Fixture(fixtures().join("good/minimal"))),
    ] {
        let root = prebuilt.path().join(name);
        lay_out(&base, &root);
        let out = prebuilt.path().join(format!("{name}-public"));
        let status = Command::new(env!("CARGO_BIN_EXE_skillpress"))
            .args(["build", "--root", root.to_str().unwrap()])
            .args(["--output", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(status.status.success(), "{name} must build");
    }
    let prebuilt_for = |base: &Base| match base {
        Base::Default => prebuilt.path().join("default-public"),
        Base::Fixture(_) => prebuilt.path().join("minimal-public"),
    };

    let counts = Mutex::new(Counts::default());
    let cases: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..runs).collect(),
    };
    // Half the runs on the default site, half on the fixtures.
    let base_of = |i: usize| {
        if i.is_multiple_of(2) {
            bases[0].clone()
        } else {
            bases[1 + (i / 2) % (bases.len() - 1)].clone()
        }
    };
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = cases.get(k) else { break };
                    let base = base_of(i);
                    run_case(i, &base, &prebuilt_for(&base), only.is_some(), &counts);
                }
            });
        }
    });
    let c = counts.into_inner().unwrap();
    eprintln!(
        "mutation runs: {}, clean errors: {}, checks passed: {}, builds: {}, panics: {}, hangs: {}, other failures: {}",
        c.runs,
        c.clean_errors,
        c.checks_passed,
        c.builds,
        c.panics,
        c.hangs,
        c.failures.len() - c.panics - c.hangs
    );
    assert!(
        c.failures.is_empty(),
        "{} of {} runs failed (rerun one with SKILLPRESS_MUTATION_ONLY=N):\n\n{}",
        c.failures.len(),
        c.runs,
        c.failures.join("\n\n")
    );
}

fn check_site(root: &Path) -> (i32, String) {
    let out = common::run_in(root, &["check"]);
    (out.status.code().unwrap_or(-1), common::stderr(&out))
}

#[test]
fn a_broken_only_region_with_references_to_it_is_an_error_not_a_panic() {
    // The program, brand and document all name `nanyang`, whose file is gone,
    // and the only region file left has an error of its own.
    let dir = overlay_site(&fixtures().join("good/minimal"));
    std::fs::remove_file(dir.path().join("content/regions/nanyang.yaml")).unwrap();
    std::fs::write(
        dir.path().join("content/regions/henan.yaml"),
        "name: 河南省\nlevel: planet\n",
    )
    .unwrap();
    let (code, stderr) = check_site(dir.path());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("content/regions/henan.yaml:2:"), "{stderr}");
    assert!(stderr.contains("content/programs/xuetuzhi.md:"), "{stderr}");
}

#[test]
fn a_diagnostic_past_column_65535_is_clipped_not_a_panic() {
    let dir = overlay_site(&fixtures().join("good/minimal"));
    let path = dir.path().join("content/documents/nanyang-reply.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().count() + 3;
    text.push_str("\n\n");
    text.push_str(&"技".repeat(70_000));
    text.push_str("<b>粗</b>\n");
    std::fs::write(&path, text).unwrap();
    let (code, stderr) = check_site(dir.path());
    assert!(
        !stderr.contains("panicked"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert_eq!(code, 0);
    // The location stays true; the snippet shows the label, not 70,000 characters.
    assert!(
        stderr.contains(&format!(
            "content/documents/nanyang-reply.md:{line}:70001\n"
        )),
        "{}",
        stderr.replace(&"技".repeat(100), "…")
    );
    assert!(stderr.contains("…技技技"), "the long line is clipped");
    assert!(stderr.len() < 10_000, "{} bytes of messages", stderr.len());
}

#[test]
fn a_huge_unit_is_an_error_at_its_line() {
    let dir = overlay_site(&fixtures().join("good/minimal"));
    let path = dir.path().join("content/metrics.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("unit: 个", &format!("unit: {}", "个".repeat(1_000_000)));
    std::fs::write(&path, text).unwrap();
    let (code, stderr) = check_site(dir.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("错误[too-long]"),
        "{}",
        &stderr[..stderr.len().min(3000)]
    );
    assert!(
        stderr.contains("content/metrics.yaml:12:"),
        "{}",
        &stderr[..stderr.len().min(3000)]
    );
}
