//! Shared helpers of the end-to-end tests: fixture sites in temp dirs, and the binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a tree, keeping symbolic links as links (a fixture tests one).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            let _ = std::fs::remove_file(&target);
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The minimal good site with a fixture laid over it: paths in `DELETE` removed,
/// then the fixture's `content/` and `static/` copied on top (see tests/fixtures/README.md).
pub fn overlay_site(fixture: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("good/minimal"), dir.path());
    if let Ok(list) = std::fs::read_to_string(fixture.join("DELETE")) {
        for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let path = dir.path().join(line);
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else if path.exists() {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    for folder in ["content", "static"] {
        let from = fixture.join(folder);
        if from.is_dir() {
            copy_tree(&from, &dir.path().join(folder));
        }
    }
    dir
}

pub fn skillpress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(args)
        .output()
        .expect("run skillpress")
}

pub fn run_in(root: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    let root = root.to_str().unwrap();
    all.extend(["--root", root]);
    skillpress(&all)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// What the search index holds of each page: (URL, text) from every fragment
/// of the Pagefind bundle under `public`, all parts, with the zero-width spaces
/// Pagefind puts between segmented words taken out.
pub fn indexed_text(public: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    tree_bytes(&public.join("pagefind"))
        .into_iter()
        .filter(|(path, _)| path.contains("fragment/"))
        .map(|(_, bytes)| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            let fragment: serde_json::Value =
                serde_json::from_str(text.strip_prefix("pagefind_dcd").unwrap()).unwrap();
            (
                fragment["url"].as_str().unwrap().to_owned(),
                fragment["content"]
                    .as_str()
                    .unwrap()
                    .replace('\u{200B}', ""),
            )
        })
        .collect()
}

/// Text of an HTML text node or attribute value, its entities decoded.
pub fn unescape(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

/// The text a reader sees of an HTML fragment: its tags dropped, its entities
/// decoded.
pub fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    unescape(&text)
}

pub mod corpus;
pub mod preview;

/// The built default site's `public/`, or the folder the environment variable
/// `var` names (to run a test against another build, e.g. an older one).
/// The files that differ between two folders (missing from one, or with
/// other bytes), for a message that says where two outputs part.
pub fn differing_files(a: &Path, b: &Path) -> Vec<String> {
    let a: std::collections::BTreeMap<String, Vec<u8>> = tree_bytes(a).into_iter().collect();
    let b: std::collections::BTreeMap<String, Vec<u8>> = tree_bytes(b).into_iter().collect();
    a.keys()
        .chain(b.keys())
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

pub fn default_public_or(var: &str) -> PathBuf {
    std::env::var(var)
        .map(PathBuf::from)
        .unwrap_or_else(|_| default_site().path().join("public"))
}

/// A folder holding `public/`, a build of the default site (content/).
pub struct Built(PathBuf);

impl Built {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// The default site built once per test binary (tests only read it), into
/// CARGO_TARGET_TMPDIR/default-site/<test binary>/public.
pub fn default_site() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("default-site")
            .join(env!("CARGO_CRATE_NAME"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let output = run_in(
            &repo_root(),
            &[
                "build",
                "-q",
                "--output",
                dir.join("public").to_str().unwrap(),
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        Built(dir)
    })
}
