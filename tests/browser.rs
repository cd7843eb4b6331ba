//! The browser suite (tests/browser/crawl.mjs) over the real site, built at a
//! domain root and under `/skills/`, and a test that the suite itself fails on
//! planted defects. Needs node, java and chromium (.ci/run installs them); a
//! missing one fails the test with the command that installs it, never skips.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use common::*;

fn suite_dir() -> PathBuf {
    repo_root().join("tests/browser")
}

fn chromium() -> PathBuf {
    PathBuf::from(
        std::env::var_os("SKILLPRESS_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()),
    )
}

/// Node modules are installed once per test run, from the committed lock file.
/// `--ignore-scripts`: vnu-jar's install script would download a Java runtime
/// from outside the package registry; the system's java runs vnu.jar instead.
fn prerequisites() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        for (tool, args, install) in [
            ("node", &["--version"][..], "apt-get install -y nodejs npm"),
            ("java", &["-version"][..], "apt-get install -y default-jre-headless"),
        ] {
            if !Command::new(tool).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()) {
                return Err(format!("`{tool}` is missing; install it with `{install}` (bash .ci/run does)"));
            }
        }
        if !chromium().is_file() {
            return Err(format!("{} is missing; install it with `apt-get install -y chromium fonts-noto-cjk` (bash .ci/run does)", chromium().display()));
        }
        if !suite_dir().join("node_modules/playwright-core").is_dir() {
            let out = Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]).current_dir(suite_dir()).output();
            match out {
                Ok(o) if o.status.success() => {}
                Ok(o) => return Err(format!("`npm ci` in tests/browser failed:\n{}", String::from_utf8_lossy(&o.stderr))),
                Err(e) => return Err(format!("cannot run npm: {e}")),
            }
        }
        Ok(())
    });
    if let Err(message) = ready {
        panic!("browser suite prerequisites: {message}");
    }
}

/// A static server for one built site, stopped when dropped. The only place
/// that knows which server it is: swap in `skillpress serve` here.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/prefix/`
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `dir` (which may not exist yet) under `prefix` on a free loopback port.
fn start_server(dir: &Path, prefix: &str) -> Server {
    let mut child = Command::new("node")
        .arg(suite_dir().join("server.mjs"))
        .args([
            "--root",
            dir.to_str().unwrap(),
            "--prefix",
            prefix,
            "--port",
            "0",
            "--exit-with-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start node server.mjs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("read server address");
    let url = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("server said {line:?}"))
        .to_owned();
    Server { child, url }
}

/// Builds the default site for `server`'s address into its folder.
fn build_site(out: &Path, server: &Server) {
    let output = run_in(
        &repo_root(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &server.url,
        ],
    );
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
}

fn crawl(args: &[String]) -> (Output, serde_json::Value) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let output = Command::new("node")
        .arg(suite_dir().join("crawl.mjs"))
        .args(args)
        .args(["--json", report.path().to_str().unwrap()])
        .current_dir(suite_dir())
        .output()
        .expect("run node crawl.mjs");
    let json = std::fs::read_to_string(report.path())
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (output, json)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn real_site_passes_browser_suite_at_root_and_under_subpath() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    let (root_dir, sub_dir) = (tmp.path().join("root"), tmp.path().join("sub"));
    let root = start_server(&root_dir, "/");
    let sub = start_server(&sub_dir, "/skills/");
    build_site(&root_dir, &root);
    build_site(&sub_dir, &sub);
    let (output, report) = crawl(&[
        "--site".into(),
        format!("{}={}=full", root.url, root_dir.display()),
        "--site".into(),
        format!("{}={}=light", sub.url, sub_dir.display()),
    ]);
    let out = text(&output);
    assert!(
        output.status.success(),
        "the browser suite found problems:\n{out}"
    );
    // It really crawled: both sites, every kind of page.
    let sites = report["sites"].as_array().expect("report has sites");
    assert_eq!(sites.len(), 2, "{out}");
    for site in sites {
        assert!(
            site["pages"].as_u64().unwrap() > 100,
            "too few pages crawled:\n{out}"
        );
        let kinds = site["kinds"].as_array().unwrap();
        for kind in [
            "home",
            "regions list",
            "region",
            "programs list",
            "program",
            "brands list",
            "brand",
            "documents list",
            "document",
            "metrics list",
            "metric",
            "topics",
            "topic",
            "data",
            "404",
        ] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "no {kind} page was checked:\n{out}"
            );
        }
    }
    println!("{out}");
}

/// The suite can fail: a copy of the built site with a broken link, an image
/// without alt text, a stray end tag, a stylesheet from another host, an inline
/// script and a line too wide for a phone on one page; each must be reported
/// by the check meant to catch it.
#[test]
fn browser_suite_reports_planted_defects() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let server = start_server(&dir, "/");
    build_site(&dir, &server);
    let page = dir.join("documents/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let planted = "<p><a href=\"/no-such-page/\">坏链接</a></p>\
                   <p><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" width=\"1\" height=\"1\"></p>\
                   </span>\
                   <link rel=\"stylesheet\" href=\"https://cdn.example.com/x.css\">\
                   <script>document.title += '';</script>\
                   <pre>{}</pre>\n</main>";
    let planted = planted.replace("{}", &"0123456789".repeat(30));
    assert!(html.contains("</main>"));
    std::fs::write(&page, html.replacen("</main>", &planted, 1)).unwrap();

    let (output, report) = crawl(&[
        "--site".into(),
        format!("{}={}=full", server.url, dir.display()),
        "--only".into(),
        "/documents/".into(),
    ]);
    let out = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the suite must fail on the planted site:\n{out}"
    );
    let findings = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON report:\n{out}"));
    let found = |check: &str, needle: &str| {
        findings
            .iter()
            .any(|f| f["check"] == check && f["message"].as_str().unwrap_or("").contains(needle))
    };
    assert!(
        found("links", "broken link http://127.0.0.1"),
        "broken link not reported:\n{out}"
    );
    assert!(
        found("axe", "image-alt"),
        "image without alt not reported by axe:\n{out}"
    );
    assert!(
        found("nu-html", "Stray end tag"),
        "stray end tag not reported by the Nu checker:\n{out}"
    );
    // The test server's CSP stops the request before the crawler's own host
    // check sees it; either report will do (a server without CSP leaves it to
    // the host check).
    assert!(
        found("foreign-request", "cdn.example.com") || found("console", "cdn.example.com"),
        "request to another host not reported:\n{out}"
    );
    assert!(
        found("console", "Content Security Policy"),
        "inline script not reported:\n{out}"
    );
    assert!(
        found("overflow-390", "scrolls sideways"),
        "horizontal overflow not reported:\n{out}"
    );
}

/// Chinese search in the browser (issue 7): 学徒 finds the 新型学徒制 program,
/// 长垣厨师 the brand, a document number its document; at the root and under
/// `/skills/`, through Pagefind's index built by `skillpress build`.
#[test]
fn search_finds_chinese_words_at_root_and_under_subpath() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    for (name, prefix) in [("root", "/"), ("sub", "/skills/")] {
        let dir = tmp.path().join(name);
        let server = start_server(&dir, prefix);
        build_site(&dir, &server);
        let output = Command::new("node")
            .arg(suite_dir().join("search.mjs"))
            .args(["--site", &server.url])
            .args(["--expect", "学徒=programs/xinxing-xuetuzhi/"])
            .args(["--expect", "长垣厨师=brands/changyuan-chushi/"])
            .args([
                "--expect",
                "三人社建提字〔2024〕11号=documents/sanmenxia-188/",
            ])
            .args([
                "--expect",
                "宛开办〔2022〕5号=documents/nanyang-gaoxin-2022/",
            ])
            .current_dir(suite_dir())
            .output()
            .expect("run node search.mjs");
        let out = text(&output);
        assert!(output.status.success(), "search under {prefix}:\n{out}");
        println!("{prefix}\n{out}");
    }
}

/// Search over an index in parts (issue 16): a generated corpus indexed in
/// parts of 60 pages, so `pagefind/parts.json` lists several; the browser
/// merges them and finds pages that only a later part holds (a document and
/// a program, late in path order), and their result links open them.
#[test]
fn search_finds_chinese_words_in_later_parts_of_the_index() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    common::corpus::Corpus { documents: 150 }.write(tmp.path());
    let dir = tmp.path().join("out");
    let server = start_server(&dir, "/");
    let output = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["build", "-q", "--root"])
        .arg(tmp.path())
        .arg("--output")
        .arg(&dir)
        .args(["--base-url", &server.url])
        .env("SKILLPRESS_SEARCH_PART_PAGES", "60")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
    let parts = std::fs::read_to_string(dir.join("pagefind/parts.json")).unwrap();
    assert!(parts.contains("part-2/"), "{parts}");
    let output = Command::new("node")
        .arg(suite_dir().join("search.mjs"))
        .args(["--site", &server.url, "--parts"])
        // doc-99 sorts last of the documents; programs come after them.
        .args(["--expect", "测三人社〔2024〕99号=documents/doc-99/"])
        .args(["--expect", "测一市技能提升行动三=programs/program-3/"])
        .current_dir(suite_dir())
        .output()
        .expect("run node search.mjs");
    let out = text(&output);
    assert!(output.status.success(), "search in parts:\n{out}");
    println!("{out}");
}

/// Live reload (issue 5): a region page open in Chromium updates by itself when
/// the document that states its figures is saved.
#[test]
fn an_open_page_reloads_when_its_source_is_saved() {
    prerequisites();
    let site = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("content"), &site.path().join("content"));
    let server = common::preview::Server::start(site.path());
    let output = Command::new("node")
        .arg(suite_dir().join("reload.mjs"))
        .args([
            "--url",
            &format!(
                "http://{}{}regions/xinxiang/",
                server.addr, server.base_path
            ),
        ])
        .args([
            "--file",
            site.path()
                .join("content/documents/xinxiang-82.md")
                .to_str()
                .unwrap(),
        ])
        .args(["--from", "对市政协十三届二次会议第82号提案的答复"])
        .args(["--to", "对市政协十三届二次会议第82号提案的答复（预览修订）"])
        .current_dir(suite_dir())
        .output()
        .expect("run node reload.mjs");
    let out = text(&output);
    assert!(
        output.status.success(),
        "live reload in the browser:\n{out}"
    );
    println!("{out}");
}

fn reader_check(server: &Server, only: Option<&str>) -> (Output, serde_json::Value) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut command = Command::new("node");
    command
        .arg(suite_dir().join("reader.mjs"))
        .args(["--site", &server.url])
        .args(["--json", report.path().to_str().unwrap()]);
    if let Some(only) = only {
        command.args(["--only", only]);
    }
    let output = command
        .current_dir(suite_dir())
        .output()
        .expect("run node reader.mjs");
    let json = std::fs::read_to_string(report.path())
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (output, json)
}

/// Issue 12: at 390 px, at normal text and in the large-text mode, on every
/// page, every figure's value and source link (and every other cell of its
/// row) lies inside the viewport without sideways scrolling, and chart labels
/// render at ≥ 14 px and grow in the large-text mode.
#[test]
fn figures_and_chart_labels_read_on_a_phone_at_normal_and_large_text() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let server = start_server(&dir, "/");
    build_site(&dir, &server);
    let (output, report) = reader_check(&server, None);
    let out = text(&output);
    assert!(
        output.status.success(),
        "a phone reader misses figures or chart text:\n{out}"
    );
    // It really looked: every page, every figure, the charts.
    let stats = &report["stats"];
    assert!(stats["pages"].as_u64().unwrap() > 100, "{out}");
    assert!(stats["figures"]["normal"].as_u64().unwrap() > 300, "{out}");
    assert_eq!(
        stats["figures"]["normal"], stats["figures"]["large"],
        "{out}"
    );
    // Charts stand only where figures may be compared: on the default site
    // the ten 专项 targets (home, programs, two program pages) and the brand wall.
    assert!(stats["charts"].as_u64().unwrap() >= 5, "{out}");
    let (normal, large) = (
        report["chartMin"]["normal"].as_f64().unwrap(),
        report["chartMin"]["large"].as_f64().unwrap(),
    );
    assert!(
        normal >= 14.0 && large > normal,
        "chart labels {normal} px, large {large} px:\n{out}"
    );
    println!("{out}");
}

/// The reader check can fail: a figure table that keeps its five columns at
/// any width (the card layout switched off, as on the site before issue 12)
/// and chart labels pinned at their drawn size.
#[test]
fn reader_check_reports_hidden_values_and_small_chart_text() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let server = start_server(&dir, "/");
    build_site(&dir, &server);
    let assets = dir.join("assets");
    for entry in std::fs::read_dir(&assets).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("style") && name.ends_with(".css") {
            let css = std::fs::read_to_string(&path).unwrap();
            assert!(css.contains("@media (max-width: 60rem)"), "{name}");
            assert!(css.contains("--chart-text-scale: 1.2;"), "{name}");
            let planted = css
                .replace("@media (max-width: 60rem)", "@media (max-width: 1px)")
                .replace("--chart-text-scale: 1.2;", "--chart-text-scale: 1;");
            std::fs::write(&path, planted).unwrap();
        }
    }
    let (output, report) = reader_check(
        &server,
        Some("/regions/nanyang/,/documents/sanmenxia-188/,/programs/"),
    );
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "the check must fail:\n{out}");
    let findings = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON report:\n{out}"));
    let found = |check: &str, mode: &str, needle: &str| {
        findings.iter().any(|f| {
            f["check"] == check
                && f["mode"] == mode
                && f["message"].as_str().unwrap_or("").contains(needle)
        })
    };
    for mode in ["normal", "large"] {
        assert!(
            found("figure-hidden", mode, "value shows"),
            "hidden value not reported ({mode}):\n{out}"
        );
        assert!(
            found("figure-hidden", mode, "source link shows"),
            "hidden source not reported ({mode}):\n{out}"
        );
    }
    assert!(
        found("chart-text", "normal", "want ≥ 14 px"),
        "small chart text not reported:\n{out}"
    );
}

/// The reader check reports a 搜索 button that wraps: without the header
/// search rules (input that gives way, button that keeps one line), the
/// button breaks 搜索 in two in large text at 390 px, as before the fix.
#[test]
fn reader_check_reports_a_wrapping_search_button() {
    prerequisites();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let server = start_server(&dir, "/");
    build_site(&dir, &server);
    let rules = [
        ".site-search { flex: 1 1 auto; min-width: 0; max-width: min(100%, 28rem); }",
        ".site-search input { flex: 1 1 6rem; width: 6rem; }",
        ".site-search button { flex: none; white-space: nowrap; }",
    ];
    let mut planted = 0;
    for entry in std::fs::read_dir(dir.join("assets")).unwrap() {
        let path = entry.unwrap().path();
        let mut css = std::fs::read_to_string(&path).unwrap_or_default();
        if rules.iter().all(|r| css.contains(r)) {
            for r in rules {
                css = css.replace(r, "");
            }
            std::fs::write(&path, css).unwrap();
            planted += 1;
        }
    }
    assert_eq!(planted, 1, "the search rules are in style.css");
    let (output, report) = reader_check(&server, Some("/,/regions/"));
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "the check must fail:\n{out}");
    let wrapped = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON report:\n{out}"))
        .iter()
        .filter(|f| f["check"] == "search-wrap" && f["mode"] == "large")
        .count();
    assert_eq!(wrapped, 2, "{out}");
}
