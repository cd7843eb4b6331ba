//! The command line: `new`, exit codes, messages without a site.

mod common;

use common::*;

#[test]
fn new_document_proposes_a_pinyin_slug_and_refuses_to_overwrite() {
    let site = overlay_site(&fixtures().join("accept/01-utf8-bom"));
    let root = site.path().to_str().unwrap();
    let output = skillpress(&["new", "document", "2025年某市工作方案", "--root", root]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("请核对读音"), "{text}");
    let created: Vec<_> = std::fs::read_dir(site.path().join("content/documents"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    let file = created
        .iter()
        .find(|n| n.to_string_lossy().starts_with("2025-"))
        .expect("file created")
        .clone();
    let body = std::fs::read_to_string(site.path().join("content/documents").join(&file)).unwrap();
    assert!(body.contains("title: 2025年某市工作方案"));
    assert!(body.contains("发文字号"), "fields are commented in Chinese");
    let again = skillpress(&["new", "document", "2025年某市工作方案", "--root", root]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("已存在"));
    // What the editor must still supply is a placeholder that check rejects.
    assert!(
        body.contains("kind: work-plan "),
        "方案 is a work plan:\n{body}"
    );
    let check = run_in(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "an unfilled skeleton fails");
    assert!(stderr(&check).contains("[unfilled]"), "{}", stderr(&check));
}

#[test]
fn a_missing_site_says_where_it_looked() {
    let empty = tempfile::tempdir().unwrap();
    let output = run_in(empty.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("[no-content]"));
}

#[test]
fn a_bad_base_url_override_is_a_build_failure() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("p");
    let output = run_in(
        &fixtures().join("good/minimal"),
        &[
            "build",
            "--output",
            o.to_str().unwrap(),
            "--base-url",
            "example.org",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!o.exists());
}

/// Issue 12: a build that would publish site.yaml's placeholder domain says so,
/// at base_url's line; `--base-url` silences it, and `check` stays quiet.
#[test]
fn a_build_with_the_placeholder_base_url_warns_unless_overridden() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("p");
    let root = fixtures().join("good/minimal");
    let plain = run_in(&root, &["build", "--output", o.to_str().unwrap()]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let text = stderr(&plain);
    assert!(text.contains("[placeholder-base-url]"), "{text}");
    assert!(
        text.contains("site.yaml:"),
        "the warning points into site.yaml:\n{text}"
    );
    assert!(text.contains("--base-url"), "{text}");
    let overridden = run_in(
        &root,
        &[
            "build",
            "--output",
            o.to_str().unwrap(),
            "--base-url",
            "https://skills.henan.gov.cn/",
        ],
    );
    assert!(overridden.status.success(), "{}", stderr(&overridden));
    assert!(
        !stderr(&overridden).contains("placeholder-base-url"),
        "{}",
        stderr(&overridden)
    );
    let check = run_in(&root, &["check"]);
    assert!(
        !stderr(&check).contains("placeholder-base-url"),
        "{}",
        stderr(&check)
    );
}
