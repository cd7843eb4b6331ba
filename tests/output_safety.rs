//! `--output` is replaced whole, so skillpress replaces only folders it can
//! tell it wrote: every refused kind of output is left byte-identical, with
//! exit code 2 and a Chinese message that says why and what to do.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{copy_tree, fixtures, run_in, stderr, tree_bytes};

/// A temp folder holding a copy of the minimal site in `site/`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("good/minimal"), &dir.path().join("site"));
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn build(&self, output: &str) -> Output {
        run_in(&self.root(), &["build", "--output", output])
    }
}

/// Builds into `output` (relative to the site root), expecting a refusal whose
/// message contains `reason`, with `watched` unchanged to the byte.
fn refused(site: &Site, output: &str, watched: &Path, reason: &str) {
    let before = tree_bytes(watched);
    assert!(
        !before.is_empty(),
        "{} has files to protect",
        watched.display()
    );
    let result = site.build(output);
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "--output {output}:\n{text}");
    assert!(text.contains("输出目录"), "{text}");
    assert!(
        text.contains(reason),
        "--output {output}: want {reason:?} in\n{text}"
    );
    assert!(
        text.contains("--output"),
        "the message says what to do:\n{text}"
    );
    assert!(
        tree_bytes(watched) == before,
        "--output {output} changed {}",
        watched.display()
    );
    assert_no_leftovers(&site.root());
}

fn assert_no_leftovers(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".skillpress-"))
        .collect();
    assert!(left.is_empty(), "left in {}: {left:?}", dir.display());
}

#[test]
fn the_site_root_is_refused() {
    let site = Site::new();
    refused(&site, ".", &site.root(), "就是站点根目录");
    refused(&site, "public/..", &site.root(), "就是站点根目录");
}

#[test]
fn source_folders_are_refused() {
    let site = Site::new();
    let root = site.root();
    std::fs::create_dir_all(root.join("static/files")).unwrap();
    std::fs::write(root.join("static/files/a.pdf"), "pdf").unwrap();
    std::fs::create_dir_all(root.join("themes/mine")).unwrap();
    std::fs::write(root.join("themes/mine/base.html"), "<html>").unwrap();
    refused(&site, "content", &root.join("content"), "在 content/ 里面");
    refused(
        &site,
        "content/regions",
        &root.join("content"),
        "在 content/ 里面",
    );
    refused(&site, "static", &root.join("static"), "在 static/ 里面");
    refused(
        &site,
        "themes/mine",
        &root.join("themes"),
        "在 themes/ 里面",
    );
    // `..` and a link do not get around it.
    refused(
        &site,
        "public/../content",
        &root.join("content"),
        "在 content/ 里面",
    );
    std::os::unix::fs::symlink(root.join("content"), root.join("alias")).unwrap();
    refused(
        &site,
        "alias/regions",
        &root.join("content"),
        "在 content/ 里面",
    );
}

#[test]
fn an_ancestor_of_the_root_is_refused() {
    let site = Site::new();
    refused(&site, "..", site.dir.path(), "包含站点根目录");
}

#[test]
fn git_is_refused() {
    let site = Site::new();
    let git = site.root().join(".git");
    std::fs::create_dir_all(git.join("objects")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    refused(&site, ".git", &git, ".git");
    refused(&site, ".git/objects/out", &git, ".git");
}

#[test]
fn home_and_the_file_system_root_are_refused() {
    let site = Site::new();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "export A=1\n").unwrap();
    let before = tree_bytes(home.path());
    let result = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(home.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{text}");
    assert!(text.contains("主目录"), "{text}");
    assert_eq!(tree_bytes(home.path()), before);

    let result = site.build("/");
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{text}");
    assert!(text.contains("文件系统的根目录"), "{text}");
}

#[test]
fn a_folder_skillpress_did_not_write_is_refused() {
    let site = Site::new();
    let other = site.dir.path().join("other");
    std::fs::create_dir_all(other.join("photos")).unwrap();
    std::fs::write(other.join("photos/a.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    refused(&site, "../other", &other, "没有 skillpress 留下的标记文件");
    // The default output too, when someone put other things there.
    let public = site.root().join("public");
    std::fs::create_dir(&public).unwrap();
    std::fs::write(public.join("stale.html"), "hand-made").unwrap();
    refused(&site, "public", &public, "stale.html");
}

#[test]
fn a_file_is_refused() {
    let site = Site::new();
    let notes = site.dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo.txt"), "buy milk").unwrap();
    refused(&site, "../notes/todo.txt", &notes, "不是文件夹");
}

#[test]
fn an_output_that_is_a_link_is_refused() {
    let site = Site::new();
    let real = site.dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(&real, site.root().join("public")).unwrap();
    refused(&site, "public", &real, "符号链接");
    assert!(site.root().join("public").is_symlink());
}

#[test]
fn a_marked_output_is_replaced_whole() {
    let site = Site::new();
    let first = site.build("public");
    assert!(first.status.success(), "{}", stderr(&first));
    let public = site.root().join("public");
    let marker = std::fs::read_to_string(public.join(".skillpress-output")).unwrap();
    assert!(marker.starts_with("skillpress output\n"), "{marker}");
    std::fs::write(public.join("stale.html"), "from an older build").unwrap();
    let second = site.build("public");
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!public.join("stale.html").exists());
    assert!(public.join("index.html").is_file());
    assert!(public.join(".skillpress-output").is_file());
    assert_no_leftovers(&site.root());
}

#[test]
fn an_empty_folder_is_used() {
    let site = Site::new();
    let out = site.dir.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    let result = site.build("../empty");
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(out.join("index.html").is_file());
    assert!(out.join(".skillpress-output").is_file());
}

/// Outputs of the version before the marker carry no marker; their footprint
/// lets them be replaced once, and they are marked from then on.
#[test]
fn an_unmarked_output_of_an_earlier_build_is_replaced_once() {
    let site = Site::new();
    assert!(site.build("public").status.success());
    let public = site.root().join("public");
    std::fs::remove_file(public.join(".skillpress-output")).unwrap();
    std::fs::write(public.join("documents-removed-since.html"), "old page").unwrap();
    let result = site.build("public");
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(public.join(".skillpress-output").is_file());
    assert!(!public.join("documents-removed-since.html").exists());
}

#[test]
fn stale_staging_folders_of_killed_builds_are_removed() {
    let site = Site::new();
    let root = site.root();
    // What a build killed while writing leaves: a staging folder beside the output.
    let stale = root.join(".skillpress-staging-Xy12ab");
    std::fs::create_dir_all(stale.join("regions/nanyang")).unwrap();
    std::fs::write(stale.join("regions/nanyang/index.html"), "half").unwrap();
    std::fs::write(stale.join(".skillpress-output"), "skillpress output\n").unwrap();
    // One killed after setting the old output aside and putting the new one in.
    let old = root.join(".skillpress-old-Ab34cd");
    std::fs::create_dir_all(old.join("public")).unwrap();
    std::fs::write(old.join("public/index.html"), "older").unwrap();
    // Not ours by name: stays.
    std::fs::create_dir(root.join("my-staging")).unwrap();
    let result = site.build("public");
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!stale.exists(), "the stale staging folder is removed");
    assert!(root.join("my-staging").is_dir());
    // The old copy stayed while it was the only one; the next build drops it.
    assert!(site.build("public").status.success());
    assert_no_leftovers(&root);
}

#[test]
fn serve_refuses_a_source_folder_at_start_up() {
    let site = Site::new();
    let content = site.root().join("content");
    let before = tree_bytes(&content);
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["serve", "--port", "0", "--output", "content", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve --output content kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let result = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&result.stderr);
    assert_eq!(status.code(), Some(2), "{text}");
    assert!(text.contains("在 content/ 里面"), "{text}");
    assert!(tree_bytes(&content) == before, "content/ changed");
}

/// What the output holds is checked just before it is replaced, so a content
/// error found while the pages are made (a broken link) is reported first,
/// with the content's exit code; the folder is untouched and nothing is left.
#[test]
fn a_broken_link_is_reported_before_an_output_that_is_not_ours() {
    let site = Site::new();
    let document = site.root().join("content/documents/nanyang-reply.md");
    let text = std::fs::read_to_string(&document).unwrap();
    std::fs::write(
        &document,
        format!("{text}\n见[另一份文件](/documents/no-such-document/)。\n"),
    )
    .unwrap();
    let other = site.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let before = tree_bytes(&other);
    let result = site.build("../other");
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert!(text.contains("broken-link"), "{text}");
    assert!(!text.contains("没有 skillpress 留下的标记文件"), "{text}");
    assert!(tree_bytes(&other) == before);
    assert_no_leftovers(&site.root());
    assert_no_leftovers(site.dir.path());
}
