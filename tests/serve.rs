//! `skillpress serve`: incremental rebuilds equal full builds; the server
//! serves the site (at the root and under a sub-path), reloads open pages after
//! a save, shows errors without losing the last good build, and never serves a
//! file outside the output.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::preview::{ReloadStream, Server, request};
use common::{copy_tree, repo_root, tree_bytes};
use skillpress::serve::preview::{Changes, Outcome, Preview};

const WAIT: Duration = Duration::from_secs(20);

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("content"), &dir.path().join("content"));
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join("content").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} should contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Removes the figure list item that starts with `- metric: {metric}`.
fn remove_figure(root: &Path, file: &str, metric: &str) {
    let path = root.join("content").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find(&format!("  - metric: {metric}\n"))
        .expect("figure present");
    let rest = &text[start + 4..];
    let end = start
        + 4
        + rest
            .find("\n  - ")
            .or_else(|| rest.find("\n  #"))
            .or_else(|| rest.find("\n---"))
            .unwrap()
        + 1;
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
}

fn documents(slugs: &[&str]) -> Changes {
    Changes::Documents(slugs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>())
}

/// After each edit, the incremental result must be exactly what a full build
/// of the same content gives, in memory and on disk.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = site_copy();
    let root = site.path();
    let output = root.join("public");
    let mut preview = Preview::new(root.to_path_buf(), output.clone());
    assert!(matches!(
        preview.rebuild(&Changes::Everything).outcome,
        Outcome::Full { .. }
    ));

    type Step = (&'static str, fn(&Path), &'static [&'static str]);
    let steps: Vec<Step> = vec![
        (
            "retitle every document",
            |r| {
                for doc in [
                    "henan-2025-plan",
                    "nanyang-73192",
                    "nanyang-gaoxin-2022",
                    "sanmenxia-188",
                    "xinxiang-82",
                ] {
                    let path = r.join(format!("content/documents/{doc}.md"));
                    let text = std::fs::read_to_string(&path).unwrap();
                    std::fs::write(&path, text.replacen("\ntitle: ", "\ntitle: 修订稿：", 1))
                        .unwrap();
                }
            },
            &[
                "henan-2025-plan",
                "nanyang-73192",
                "nanyang-gaoxin-2022",
                "sanmenxia-188",
                "xinxiang-82",
            ],
        ),
        (
            "drop a figure",
            |r| remove_figure(r, "documents/xinxiang-82.md", "event_attendees"),
            &["xinxiang-82"],
        ),
        (
            "move a figure to another year",
            |r| {
                edit(
                    r,
                    "documents/xinxiang-82.md",
                    "    value: 28\n    time_text: 近三年\n",
                    "    value: 28\n    year: 2023\n",
                )
            },
            &["xinxiang-82"],
        ),
        (
            "add a topic",
            |r| {
                edit(
                    r,
                    "documents/xinxiang-82.md",
                    "topics: [",
                    "topics: [测试新主题, ",
                )
            },
            &["xinxiang-82"],
        ),
        (
            "remove it again",
            |r| {
                edit(
                    r,
                    "documents/xinxiang-82.md",
                    "topics: [测试新主题, ",
                    "topics: [",
                )
            },
            &["xinxiang-82"],
        ),
        (
            "add a document",
            |r| {
                let text =
                    std::fs::read_to_string(r.join("content/documents/xinxiang-82.md")).unwrap();
                let text = text
                    .replacen("number: \"82\"", "number: \"83\"", 1)
                    .replacen("\ntitle: ", "\ntitle: 另一份答复：", 1);
                std::fs::write(r.join("content/documents/xinxiang-83.md"), text).unwrap();
            },
            &["xinxiang-83"],
        ),
        (
            "delete it",
            |r| std::fs::remove_file(r.join("content/documents/xinxiang-83.md")).unwrap(),
            &["xinxiang-83"],
        ),
        (
            "drop a figure of the provincial plan",
            |r| remove_figure(r, "documents/henan-2025-plan.md", "vocational_training"),
            &["henan-2025-plan"],
        ),
    ];
    for (what, apply, changed) in steps {
        apply(root);
        let report = preview.rebuild(&documents(changed));
        assert!(
            matches!(report.outcome, Outcome::Incremental { .. }),
            "{what}: {:?}\n{}",
            report.outcome,
            report.text
        );
        let good = preview.good.as_ref().unwrap();

        let mut full = Preview::new(root.to_path_buf(), root.join("full"));
        full.rebuild(&Changes::Everything);
        let expected = full.good.as_ref().unwrap();
        let got: Vec<_> = good.pages.iter().collect();
        let want: Vec<_> = expected.pages.iter().collect();
        if got != want {
            let differ: Vec<&String> = want
                .iter()
                .filter(|(p, b)| good.pages.get(p) != Some(b.as_slice()))
                .map(|(p, _)| *p)
                .collect();
            let extra: Vec<&String> = good
                .pages
                .paths()
                .filter(|p| !expected.pages.contains(p))
                .collect();
            panic!(
                "{what}: incremental output differs from a full build\n  stale or missing: {differ:?}\n  left over: {extra:?}"
            );
        }
        assert_eq!(
            tree_bytes(&output),
            tree_bytes(&root.join("full")),
            "{what}: files on disk differ"
        );
    }
    // With its search index refreshed, the preview's output is exactly what `build` writes.
    preview.index_search().unwrap();
    let build = common::run_in(root, &["build", "--output", "built"]);
    assert!(build.status.success(), "{}", common::stderr(&build));
    assert!(
        tree_bytes(&output)
            .iter()
            .any(|(p, _)| p == "pagefind/pagefind.js")
    );
    assert_eq!(
        tree_bytes(&output),
        tree_bytes(&root.join("built")),
        "serve's output differs from build's"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_build() {
    let site = site_copy();
    let root = site.path();
    let mut preview = Preview::new(root.to_path_buf(), root.join("public"));
    preview.rebuild(&Changes::Everything);
    let before = tree_bytes(&root.join("public"));

    edit(
        root,
        "documents/xinxiang-82.md",
        "kind: proposal-reply",
        "kind: proposal-replyy",
    );
    let report = preview.rebuild(&documents(&["xinxiang-82"]));
    assert_eq!(report.outcome, Outcome::Failed);
    assert!(report.text.contains("xinxiang-82.md:3:"), "{}", report.text);
    let page = preview.failure.as_deref().expect("an error page");
    assert!(
        page.contains("xinxiang-82.md:3:") && page.contains("lang=\"zh-CN\""),
        "{page}"
    );
    assert!(preview.good.is_some(), "the last good build is kept");
    assert_eq!(
        tree_bytes(&root.join("public")),
        before,
        "public/ is untouched"
    );

    edit(
        root,
        "documents/xinxiang-82.md",
        "kind: proposal-replyy",
        "kind: proposal-reply",
    );
    let report = preview.rebuild(&documents(&["xinxiang-82"]));
    assert!(
        matches!(report.outcome, Outcome::Incremental { .. }),
        "{:?}",
        report.outcome
    );
    assert!(preview.failure.is_none());
    assert_eq!(tree_bytes(&root.join("public")), before);
}

#[test]
fn serves_the_site_and_reloads_after_a_save() {
    let site = site_copy();
    let root = site.path();
    let server = Server::start(root);
    assert_eq!(server.base_path, "/");

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("/_skillpress/livereload/event-stream"),
        "the reload script is injected"
    );
    // What `serve` wrote to disk is what `build` writes: no reload script.
    let on_disk = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(!on_disk.contains("livereload"));
    assert!(
        home.text().starts_with(on_disk.trim_end()),
        "served page = built page + script"
    );

    let page = "/documents/xinxiang-82/";
    assert!(!server.get(page).text().contains("预览修订"));
    let reload = ReloadStream::open(&server);
    edit(
        root,
        "documents/xinxiang-82.md",
        "\ntitle: ",
        "\ntitle: 预览修订：",
    );
    assert_eq!(reload.next(WAIT).as_deref(), Some("reload"));
    let log = server
        .wait_log("增量更新", WAIT)
        .unwrap_or_else(|seen| panic!("no incremental rebuild logged:\n{seen}"));
    assert!(log.contains("毫秒"), "{log}");
    let updated = server.get(page);
    assert_eq!(updated.status, 200);
    assert!(
        updated
            .text()
            .contains("预览修订：对市政协十三届二次会议第82号提案的答复")
    );
}

#[test]
fn errors_show_in_the_browser_until_fixed() {
    let site = site_copy();
    let root = site.path();
    let server = Server::start(root);
    // The first search index is written in the background; the output is
    // compared once it is on disk, or the comparison races the indexer.
    server
        .wait_log("搜索索引已更新", WAIT)
        .expect("the first index is written");
    let page = "/documents/xinxiang-82/";
    let good = server.get(page).text();
    let before = tree_bytes(&root.join("public"));

    let reload = ReloadStream::open(&server);
    edit(
        root,
        "documents/xinxiang-82.md",
        "kind: proposal-reply",
        "kind: proposal-replyy",
    );
    assert_eq!(reload.next(WAIT).as_deref(), Some("reload"));
    let broken = server.get(page);
    assert_eq!(broken.status, 500);
    let text = broken.text();
    assert!(
        text.contains("xinxiang-82.md:3:") && text.contains("预览暂停更新"),
        "{text}"
    );
    assert!(
        text.contains("/_skillpress/livereload/event-stream"),
        "the error page keeps listening"
    );
    assert_eq!(
        server.get("/assets/style.css").status,
        200,
        "assets keep serving"
    );
    assert_eq!(
        server.get(&format!("{page}?last-good")).text(),
        good,
        "the last good page stays reachable"
    );
    assert_eq!(
        tree_bytes(&root.join("public")),
        before,
        "the output on disk is the last good build"
    );

    let reload = ReloadStream::open(&server);
    edit(
        root,
        "documents/xinxiang-82.md",
        "kind: proposal-replyy",
        "kind: proposal-reply",
    );
    assert_eq!(
        reload.next(WAIT).as_deref(),
        Some("reload"),
        "the error page is told to reload once fixed"
    );
    let mut fixed = server.get(page);
    for _ in 0..100 {
        if fixed.status == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        fixed = server.get(page);
    }
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.text(), good);
}

#[test]
fn a_static_link_leading_out_is_refused_and_never_served() {
    let site = site_copy();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("static/leak.txt"),
    )
    .unwrap();
    let server = Server::start(root);
    // The link is a content error (as in check and build): the preview shows it.
    let response = request(
        &server.addr,
        "GET",
        &format!("{}leak.txt", server.base_path),
    );
    assert_ne!(response.status, 200);
    assert!(!response.text().contains("TOP-SECRET"), "leak.txt leaked");
    assert!(
        response.text().contains("symlink-outside"),
        "{}",
        response.text()
    );
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = site_copy();
    let root = site.path();
    std::fs::write(root.join("secret.txt"), "TOP-SECRET").unwrap();
    let server = Server::start(root);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/assets/..%2f..%2fsecret.txt",
        "/assets%2F..%2F..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/assets/..\\..\\secret.txt",
        "//etc/passwd",
        "/%00/etc/passwd",
        "/%c0%ae%c0%ae/secret.txt",
        "/leak.txt",
        "/secret.txt",
        "/content/site.yaml",
        "/public/index.html",
    ] {
        let response = request(&server.addr, "GET", path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.text().contains("TOP-SECRET") && !response.text().contains("root:x:0"),
            "{path} leaked"
        );
    }
    // An absolute-form request line names a path too.
    let absolute = request(
        &server.addr,
        "GET",
        &format!("http://{}/../secret.txt", server.addr),
    );
    assert!(matches!(absolute.status, 400 | 404), "{}", absolute.status);
}

#[test]
fn content_types_not_found_and_methods() {
    let site = site_copy();
    let server = Server::start(site.path());
    for (path, content_type) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/data/figures.json", "application/json; charset=utf-8"),
        ("/data/figures.csv", "text/csv; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "{path}"
        );
    }
    let missing = server.get("/regions/no-such-place/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains(
            &std::fs::read_to_string(site.path().join("public/404.html")).unwrap()[..200]
        )
    );
    assert_eq!(server.get("/assets/").status, 404, "no directory listings");
    assert_eq!(server.get("/regions/nanyang").status, 301);
    server
        .wait_log("搜索索引已更新", WAIT)
        .expect("the search index is built");
    assert_eq!(
        server.get("/pagefind/pagefind.js").header("content-type"),
        Some("text/javascript; charset=utf-8"),
        "search is served too"
    );
    assert_eq!(request(&server.addr, "POST", "/").status, 405);
    let head = request(&server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn serves_under_the_sub_path_of_base_url() {
    let site = site_copy();
    edit(
        site.path(),
        "site.yaml",
        "base_url: https://skills.example.gov.cn/",
        "base_url: https://example.org/skills/",
    );
    let server = Server::start(site.path());
    assert_eq!(server.base_path, "/skills/");
    let home = server.get("/skills/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/skills/regions/\""));
    assert_eq!(server.get("/skills/regions/nanyang/").status, 200);
    assert_eq!(
        server.get("/regions/nanyang/").status,
        404,
        "only under the sub-path, as deployed"
    );
    let root = server.get("/");
    assert_eq!(root.status, 301);
    assert_eq!(root.header("location"), Some("/skills/"));
}

#[test]
fn port_in_use_and_ctrl_c() {
    let site = site_copy();
    let server = Server::start(site.path());
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(
        message.contains(&format!("端口 {port} 已被占用")) && message.contains("--port 0"),
        "{message}"
    );

    let _stream = ReloadStream::open(&server);
    let status = server.interrupt();
    assert!(status.success(), "Ctrl-C stops cleanly: {status:?}");
}

/// A theme template that no longer renders is a build failure, not a content
/// error: the preview reports it, keeps the last good build, and recovers.
#[test]
fn a_broken_template_keeps_the_last_good_build() {
    let site = site_copy();
    let root = site.path();
    let templates = root.join("themes/mine/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>没有这个页面</h1>{% endblock content %}",
    )
    .unwrap();
    let yaml = root.join("content/site.yaml");
    std::fs::write(
        &yaml,
        format!("{}theme: mine\n", std::fs::read_to_string(&yaml).unwrap()),
    )
    .unwrap();
    let mut preview = Preview::new(root.to_path_buf(), root.join("public"));
    assert!(matches!(
        preview.rebuild(&Changes::Everything).outcome,
        Outcome::Full { .. }
    ));
    let before = tree_bytes(&root.join("public"));

    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ 没有结束",
    )
    .unwrap();
    let report = preview.rebuild(&Changes::Everything);
    assert_eq!(report.outcome, Outcome::Failed);
    assert!(report.text.contains("模板错误"), "{}", report.text);
    assert!(preview.failure.as_deref().unwrap().contains("模板错误"));
    assert!(preview.good.is_some());
    assert_eq!(tree_bytes(&root.join("public")), before);

    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>页面不在了</h1>{% endblock content %}",
    )
    .unwrap();
    assert!(matches!(
        preview.rebuild(&Changes::Everything).outcome,
        Outcome::Full { .. }
    ));
    assert!(preview.failure.is_none());
    assert!(
        String::from_utf8_lossy(
            preview
                .good
                .as_ref()
                .unwrap()
                .pages
                .get("404.html")
                .unwrap()
        )
        .contains("页面不在了")
    );
}

/// site.yaml is watched too (a full rebuild), and a burst of saves — a
/// `git checkout` of several files — is one rebuild.
#[test]
fn site_yaml_and_bursts_of_saves_rebuild_once() {
    let site = site_copy();
    let root = site.path();
    let server = Server::start(root);
    server.wait_log("搜索索引已更新", WAIT).expect("started");

    let reload = ReloadStream::open(&server);
    edit(
        root,
        "site.yaml",
        "title: 技能河南",
        "title: 技能河南（预览）",
    );
    assert_eq!(reload.next(WAIT).as_deref(), Some("reload"));
    let log = server
        .wait_log("已生成全部", WAIT)
        .unwrap_or_else(|seen| panic!("no full rebuild:\n{seen}"));
    assert!(log.contains("site.yaml 已修改"), "{log}");
    assert!(
        server
            .get("/")
            .text()
            .contains("<title>技能河南（预览）</title>")
    );
    server.wait_log("搜索索引已更新", WAIT).expect("reindexed");

    let reload = ReloadStream::open(&server);
    // Read first, then write all five back to back, as a checkout does.
    let edits: Vec<_> = [
        "henan-2025-plan",
        "nanyang-73192",
        "nanyang-gaoxin-2022",
        "sanmenxia-188",
        "xinxiang-82",
    ]
    .iter()
    .map(|doc| {
        let path = root.join(format!("content/documents/{doc}.md"));
        let text =
            std::fs::read_to_string(&path)
                .unwrap()
                .replacen("\ntitle: ", "\ntitle: 新版：", 1);
        (path, text)
    })
    .collect();
    for (path, text) in edits {
        std::fs::write(path, text).unwrap();
    }
    assert_eq!(reload.next(WAIT).as_deref(), Some("reload"));
    // One rebuild for the burst. On a loaded machine the writer can be paused
    // past the 40 ms debounce between two writes, splitting the burst in two,
    // but never into a rebuild per file.
    let mut rebuilds = Vec::new();
    let mut files = 0;
    while files < 5 {
        let log = server
            .wait_log("增量更新", WAIT)
            .unwrap_or_else(|seen| panic!("no rebuild for all five:\n{seen}\n{rebuilds:?}"));
        let line = log.lines().last().unwrap_or_default().to_owned();
        files += line
            .split_once(" 个文件已修改")
            .and_then(|(n, _)| n.trim().parse::<usize>().ok())
            .unwrap_or(1);
        rebuilds.push(line);
    }
    assert_eq!(files, 5, "{rebuilds:?}");
    assert!(rebuilds.len() <= 2, "a rebuild per save: {rebuilds:?}");
    std::thread::sleep(Duration::from_millis(500));
    let later: Vec<String> = server
        .log
        .try_iter()
        .filter(|l| l.contains("已修改"))
        .collect();
    assert!(
        later.is_empty(),
        "a second rebuild for the same burst: {later:?}"
    );
}

/// A preview keeps each file's parse and what each document's text decides
/// (where its quotes are, their numbers, its Markdown messages) between
/// rebuilds. After every edit, its messages and pages must be those of a
/// fresh preview of the same content: a stale entry shows as a missing or
/// misplaced message, or a page that did not change.
#[test]
fn cached_rebuilds_equal_fresh_ones() {
    let site = site_copy();
    let root = site.path();
    let mut preview = Preview::new(root.to_path_buf(), root.join("public"));
    preview.rebuild(&Changes::Everything);

    fn append(root: &Path, file: &str, text: &str) {
        let path = root.join("content").join(file);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{old}{text}")).unwrap();
    }
    fn unappend(root: &Path, file: &str, text: &str) {
        let path = root.join("content").join(file);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, old.strip_suffix(text).unwrap()).unwrap();
    }
    const X: &str = "documents/xinxiang-82.md";
    const LEFTOVER: &str = "\n这里的**没有闭合。\n";
    const BROKEN: &str = "\n见[另一份文件](/documents/no-such-document/)。\n";
    // What the step does, which documents it changed, and a line its
    // report must hold ("" for none: it must build).
    type Step = (
        &'static str,
        fn(&Path),
        &'static [&'static str],
        &'static str,
    );
    let steps: Vec<Step> = vec![
        (
            "a quote no longer in its body",
            |r| {
                edit(
                    r,
                    X,
                    "quote: 中级工每人每年5000元",
                    "quote: 中级工每人每年5500元",
                )
            },
            &["xinxiang-82"],
            "xinxiang-82.md:41:12",
        ),
        (
            "a shorter quote that is",
            |r| edit(r, X, "quote: 中级工每人每年5500元", "quote: 每人每年5000元"),
            &["xinxiang-82"],
            "",
        ),
        (
            "a value its quote does not state",
            |r| edit(r, X, "value: 6000", "value: 6500"),
            &["xinxiang-82"],
            "数值 6500（",
        ),
        (
            "the value put back",
            |r| edit(r, X, "value: 6500", "value: 6000"),
            &["xinxiang-82"],
            "",
        ),
        (
            "a leftover ** in a body",
            |r| append(r, X, LEFTOVER),
            &["xinxiang-82"],
            "这里的 ** 没有变成粗体",
        ),
        (
            "another document edited: the warning stays",
            |r| {
                edit(
                    r,
                    "documents/sanmenxia-188.md",
                    "\ntitle: ",
                    "\ntitle: 新版：",
                )
            },
            &["sanmenxia-188"],
            "这里的 ** 没有变成粗体",
        ),
        (
            "the ** removed",
            |r| unappend(r, X, LEFTOVER),
            &["xinxiang-82"],
            "",
        ),
        (
            "a document sorted first (every later file's id moves) and a quote broken after it",
            |r| {
                let text = std::fs::read_to_string(r.join("content").join(X)).unwrap();
                let text = text
                    .replacen("number: \"82\"", "number: \"1\"", 1)
                    .replacen("\ntitle: ", "\ntitle: 另一份答复：", 1);
                std::fs::write(r.join("content/documents/aaa-first.md"), text).unwrap();
                edit(
                    r,
                    "documents/sanmenxia-188.md",
                    "quote: 承建“省级高技能人才培训基地”5个",
                    "quote: 承建“省级高技能人才培训基地”6个",
                );
            },
            &["aaa-first", "sanmenxia-188"],
            "sanmenxia-188.md:28:12",
        ),
        (
            "the quote fixed",
            |r| {
                edit(
                    r,
                    "documents/sanmenxia-188.md",
                    "quote: 承建“省级高技能人才培训基地”6个",
                    "quote: 承建“省级高技能人才培训基地”5个",
                )
            },
            &["sanmenxia-188"],
            "",
        ),
        (
            "the first document removed (ids move back)",
            |r| std::fs::remove_file(r.join("content/documents/aaa-first.md")).unwrap(),
            &["aaa-first"],
            "",
        ),
        (
            "a broken link in a body",
            |r| append(r, X, BROKEN),
            &["xinxiang-82"],
            "链接“/documents/no-such-document/”指向的页面不存在",
        ),
        (
            "the link removed",
            |r| unappend(r, X, BROKEN),
            &["xinxiang-82"],
            "",
        ),
    ];
    for (what, apply, changed, must_say) in steps {
        apply(root);
        let report = preview.rebuild(&documents(changed));
        let mut fresh = Preview::new(root.to_path_buf(), root.join("fresh"));
        let expected = fresh.rebuild(&Changes::Everything);
        assert_eq!(report.text, expected.text, "{what}: messages differ");
        assert!(report.text.contains(must_say), "{what}:\n{}", report.text);
        if expected.outcome == Outcome::Failed {
            assert_eq!(report.outcome, Outcome::Failed, "{what}");
            continue;
        }
        assert!(
            matches!(report.outcome, Outcome::Incremental { .. }),
            "{what}: {:?}\n{}",
            report.outcome,
            report.text
        );
        let (got, want) = (preview.good.as_ref(), fresh.good.as_ref());
        let differ: Vec<&String> = want
            .unwrap()
            .pages
            .iter()
            .filter(|(p, b)| got.unwrap().pages.get(p) != Some(b.as_slice()))
            .map(|(p, _)| p)
            .collect();
        assert!(differ.is_empty(), "{what}: stale pages {differ:?}");
        assert_eq!(
            got.unwrap().pages.len(),
            want.unwrap().pages.len(),
            "{what}"
        );
    }
}
