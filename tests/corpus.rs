//! A generated national-shaped corpus (tests/common/corpus.rs): it builds,
//! two builds are the same bytes (search index in parts included), and the
//! preview's output equals `build`'s.

mod common;

use common::corpus::Corpus;
use common::tree_bytes;
use skillpress::serve::preview::{Changes, Outcome, Preview};

fn generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Corpus { documents: 150 }.write(dir.path());
    dir
}

#[test]
fn generated_corpus_checks_without_problems() {
    let site = generated();
    let out = common::run_in(site.path(), &["check"]);
    let text = common::stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        !text.contains("警告"),
        "the corpus is written to verify: {text}"
    );
}

#[test]
fn two_builds_are_byte_identical_with_search_in_parts() {
    let site = generated();
    let root = site.path().to_str().unwrap();
    let build = |out: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_skillpress"))
            .args(["build", "-q", "--root", root, "--output", out])
            // Small parts, so the merge list and several parts are exercised.
            .env("SKILLPRESS_SEARCH_PART_PAGES", "60")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        assert!(output.stderr.is_empty(), "-q prints nothing on success");
    };
    build("one");
    build("two");
    let one = tree_bytes(&site.path().join("one"));
    let parts = one
        .iter()
        .find(|(p, _)| p == "pagefind/parts.json")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    assert_eq!(parts.as_deref(), Some(r#"["part-2/","part-3/","part-4/"]"#));
    assert!(one.len() > 500, "{} files", one.len());
    assert!(
        one == tree_bytes(&site.path().join("two")),
        "two builds differ"
    );
}

#[test]
fn serve_output_equals_build_output() {
    let site = generated();
    let root = site.path();
    let mut preview = Preview::new(root.to_path_buf(), root.join("served"));
    let report = preview.rebuild(&Changes::Everything);
    assert!(
        matches!(report.outcome, Outcome::Full { .. }),
        "{}",
        report.text
    );
    preview.index_search().unwrap();
    let built = common::run_in(root, &["build", "-q", "--output", "built"]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let served = tree_bytes(&root.join("served"));
    assert!(served.iter().any(|(p, _)| p == "pagefind/pagefind.js"));
    assert!(
        served == tree_bytes(&root.join("built")),
        "serve differs from build"
    );
}
