//! Editor text and the site's folders never lead the build outside the site:
//! topics cannot escape or replace pages, links out of the root through
//! `static/` or `themes/` are refused and their targets never published, and
//! `check` fails exactly when `build` does.

mod common;

use std::path::Path;

use common::*;

fn secret_outside() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    std::fs::create_dir_all(outside.path().join("templates")).unwrap();
    std::fs::write(
        outside.path().join("templates/base.html"),
        "TOP-SECRET-OUTSIDE",
    )
    .unwrap();
    outside
}

/// Every file under `dir` that contains the secret.
fn leaked(dir: &Path) -> Vec<String> {
    tree_bytes(dir)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("TOP-SECRET-OUTSIDE"))
        .map(|(path, _)| path)
        .collect()
}

/// `check` and `build` give the same exit code; returns check's stderr.
fn check_and_build_agree(root: &Path) -> (Option<i32>, String) {
    let check = run_in(root, &["check"]);
    let build = run_in(root, &["build"]);
    assert_eq!(
        check.status.code(),
        build.status.code(),
        "check and build disagree\ncheck: {}\nbuild: {}",
        stderr(&check),
        stderr(&build)
    );
    (check.status.code(), stderr(&check))
}

#[test]
fn a_topic_never_writes_outside_the_output() {
    let site = overlay_site(&fixtures().join("bad/65-topic-escapes-output"));
    let (code, _) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1));
    assert!(
        !site.path().join("x").exists(),
        "topic ../../x escaped public/"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_static_folder_that_links_out_is_refused_and_never_published() {
    let outside = secret_outside();
    let site = overlay_site(&fixtures().join("good/minimal"));
    std::os::unix::fs::symlink(outside.path(), site.path().join("static")).unwrap();
    let (code, text) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("[symlink-outside]"), "{text}");
    assert!(
        text.contains("static 是指向站点根目录之外的符号链接"),
        "{text}"
    );
    let public = site.path().join("public");
    assert!(!public.exists() || leaked(&public).is_empty());
}

#[test]
fn a_file_in_static_that_links_out_is_refused_and_never_published() {
    let outside = secret_outside();
    let site = overlay_site(&fixtures().join("good/minimal"));
    std::fs::create_dir_all(site.path().join("static/files")).unwrap();
    std::fs::write(site.path().join("static/files/ok.txt"), "ok").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/files/secret.txt"),
    )
    .unwrap();
    let (code, text) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("static/files/secret.txt 是指向站点根目录之外的符号链接"),
        "{text}"
    );
    let public = site.path().join("public");
    assert!(!public.exists() || leaked(&public).is_empty());
}

#[test]
fn a_theme_folder_that_links_out_is_refused() {
    let outside = secret_outside();
    let site = overlay_site(&fixtures().join("good/minimal"));
    std::fs::create_dir_all(site.path().join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("themes/evil")).unwrap();
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}theme: evil\n")).unwrap();
    let (code, text) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("themes/evil 是指向站点根目录之外的符号链接"),
        "{text}"
    );
    let public = site.path().join("public");
    assert!(!public.exists() || leaked(&public).is_empty());
}

#[test]
fn a_missing_theme_is_an_error_at_its_line() {
    let site = overlay_site(&fixtures().join("good/minimal"));
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let line = text.lines().count() + 1;
    std::fs::write(&yaml, format!("{text}theme: henan\n")).unwrap();
    let (code, text) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(&format!("content/site.yaml:{line}:")) && text.contains("[bad-theme]"),
        "{text}"
    );
}

#[test]
fn a_static_file_in_the_way_of_a_page_fails_check_as_it_fails_build() {
    let site = overlay_site(&fixtures().join("good/minimal"));
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    // A file where build needs the folder regions/.
    std::fs::write(site.path().join("static/regions"), "in the way").unwrap();
    let (code, text) = check_and_build_agree(site.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("[path-conflict]"), "{text}");
}

#[test]
fn every_new_bad_fixture_fails_check_and_build_alike() {
    for name in [
        "65-topic-escapes-output",
        "66-topic-dot-dot",
        "67-topic-index-html",
        "68-theme-parent-path",
        "69-theme-absolute-path",
        "70-javascript-link",
        "71-javascript-link-mixed-case",
        "72-broken-relative-link",
        "73-topic-case-collision",
    ] {
        let site = overlay_site(&fixtures().join("bad").join(name));
        let (code, text) = check_and_build_agree(site.path());
        assert_eq!(code, Some(1), "{name}: {text}");
    }
}

#[test]
fn a_link_to_a_static_pdf_is_published_with_the_pdf() {
    let site = overlay_site(&fixtures().join("accept/11-link-to-static-pdf"));
    let build = run_in(
        site.path(),
        &["build", "--base-url", "https://example.org/skills/"],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    let public = site.path().join("public");
    assert!(public.join("files/原件.pdf").is_file());
    let html = std::fs::read_to_string(public.join("documents/nanyang-reply/index.html")).unwrap();
    // Written from the site root, published under the sub-path of base_url.
    assert!(
        html.contains("href=\"/skills/files/%E5%8E%9F%E4%BB%B6.pdf\""),
        "{html}"
    );
}

/// A broken link in a region's `summary` is the editor's, reported at the
/// region file's line (found by the mutation test as a message without a line),
/// and only there: the same link on the rendered page is not reported again
/// as the theme's, whether it is relative or from the root (resolved once for
/// every page that carries it).
#[test]
fn a_broken_link_in_a_region_summary_is_reported_at_its_line() {
    for link in ["../../x", "/nowhere/"] {
        let site = overlay_site(&fixtures().join("good/minimal"));
        let region = site.path().join("content/regions/nanyang.yaml");
        let text = std::fs::read_to_string(&region).unwrap();
        let line = 1 + text
            .lines()
            .position(|l| l.starts_with("summary:"))
            .unwrap();
        let text = text.replace(
            "summary: 豫西南的地级市。",
            &format!("summary: 豫西南的地级市，见[说明]({link})。"),
        );
        std::fs::write(&region, text).unwrap();
        let (code, err) = check_and_build_agree(site.path());
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains(&format!("content/regions/nanyang.yaml:{line}:")),
            "{link}: {err}"
        );
        assert!(!err.contains("主题模板"), "{link}: {err}");
    }
}
