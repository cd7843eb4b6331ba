//! The footer of every page promises "点击数字可查看原文语句". These tests read
//! the built default site as a reader would: every number in editors' prose
//! (program and brand bodies, region summaries) is either a link to the
//! sentence of a document that states it, or `check` reports it; and region
//! pages state their own region once and compare no single zone.
//!
//! `PROSE_SITE=/path/to/public` checks an existing build instead of building
//! (used to show the test failing on a build without prose links).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::strip_tags;
use regex::Regex;

/// The default site built once for this binary (`PROSE_SITE`: another build).
fn built_site() -> PathBuf {
    common::default_public_or("PROSE_SITE")
}

fn pages(site: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

/// The highlighted quote of each `#q-N` of each document page.
fn quotes(pages: &[(String, String)]) -> HashMap<(String, String), String> {
    let mark = Regex::new(r#"<mark(?: id="(q-\d+)")?><a [^>]*>(.*?)</a></mark>"#).unwrap();
    let mut quotes: HashMap<(String, String), String> = HashMap::new();
    for (path, html) in pages {
        let Some(slug) = path
            .strip_prefix("documents/")
            .and_then(|p| p.strip_suffix("/index.html"))
        else {
            continue;
        };
        let mut current: Option<String> = None;
        for m in mark.captures_iter(html) {
            if let Some(id) = m.get(1) {
                current = Some(id.as_str().to_owned());
            }
            if let Some(id) = &current {
                quotes
                    .entry((slug.to_owned(), id.clone()))
                    .or_default()
                    .push_str(&strip_tags(&m[2]));
            }
        }
    }
    quotes
}

/// A quantity as a reader sees it: digits, then 万/亿 and a hedge, then a unit
/// (not an ordinal 第2项, not a year).
fn quantity() -> Regex {
    Regex::new(r"(?:^|[^第\d.,])(\d[\d,.]*(?:余|多)?(?:万亿|万|亿)?(?:余|多)?(?:人次|人|名|家|个|所|项|元|%|％|场|户|支|期))")
        .unwrap()
}

fn digits(text: &str) -> String {
    let n = Regex::new(r"\d[\d,.]*(?:余|多)?(?:万亿|万|亿)?").unwrap();
    n.find(text)
        .map(|m| m.as_str().replace(',', ""))
        .unwrap_or_default()
}

#[test]
fn every_number_in_prose_links_to_a_sentence_that_states_it() {
    let site = built_site();
    let pages = pages(&site);
    let quotes = quotes(&pages);
    let prose = Regex::new(r#"(?s)<div class="prose">(.*?)</div>"#).unwrap();
    let link = Regex::new(
        r#"(?s)<a class="figure-link" href="[^"]*/documents/([^/]+)/#(q-\d+)"[^>]*>(.*?)</a>"#,
    )
    .unwrap();
    let any_link = Regex::new(r"(?s)<a [^>]*>.*?</a>").unwrap();
    let mut problems = Vec::new();
    let mut linked = 0;
    for (path, html) in &pages {
        if path.starts_with("documents/") {
            continue; // official text: never linked, never reworded
        }
        for body in prose.captures_iter(html) {
            let body = &body[1];
            for l in link.captures_iter(body) {
                linked += 1;
                let text = strip_tags(&l[3]);
                let key = (l[1].to_owned(), l[2].to_owned());
                match quotes.get(&key) {
                    Some(quote) if quote.replace(',', "").contains(&digits(&text)) => {}
                    Some(quote) => problems.push(format!(
                        "{path}: “{text}” links to {}#{}, whose sentence “{quote}” does not state it",
                        key.0, key.1
                    )),
                    None => problems.push(format!(
                        "{path}: “{text}” links to {}#{}, which is no highlighted sentence",
                        key.0, key.1
                    )),
                }
            }
            let outside = strip_tags(&any_link.replace_all(body, ""));
            for q in quantity().captures_iter(&outside) {
                problems.push(format!("{path}: “{}” in prose links nowhere", &q[1]));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(linked >= 100, "only {linked} numbers in prose are links");
}

#[test]
fn default_site_has_no_unlinked_number() {
    let root = common::repo_root();
    let out = common::skillpress(&["check", "--strict", "--root", root.to_str().unwrap()]);
    let err = common::stderr(&out);
    assert!(
        out.status.success() && !err.contains("unlinked-number"),
        "{err}"
    );
}

/// A copy of the default site with one program body changed.
fn edited(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::repo_root().join("content"),
        &dir.path().join("content"),
    );
    let path = dir.path().join("content").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} no longer says {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    dir
}

fn warnings(dir: &Path) -> String {
    let out = common::run_in(dir, &["check"]);
    common::stderr(&out)
}

#[test]
fn a_dropped_qualifier_is_reported_not_linked() {
    // The source says 近1万人; prose that says 1万人 states another number.
    let dir = edited("programs/xinxing-xuetuzhi.md", "学员近1万人", "学员1万人");
    let err = warnings(dir.path());
    assert!(
        err.contains("unlinked-number") && err.contains("“1万人”"),
        "{err}"
    );
    assert!(
        err.contains("content/programs/xinxing-xuetuzhi.md:16:"),
        "{err}"
    );
}

#[test]
fn an_equal_value_in_another_unit_is_reported() {
    // 6万人次 (a training target) is not 6万人.
    let dir = edited("programs/jiaotong-shuili.md", "培训6万人次", "培训6万人");
    let err = warnings(dir.path());
    assert!(
        err.contains("unlinked-number") && err.contains("“6万人”"),
        "{err}"
    );
}

#[test]
fn links_code_chinese_numerals_and_headings() {
    let extra = "\n\n## 年培训6万人次\n\n[年培训6万人次](/documents/henan-2025-plan/) `6万人次` 年培训六万人次。\n";
    let dir = edited(
        "programs/jiaotong-shuili.md",
        "没有区分牵头单位和配合单位",
        &format!("没有区分牵头单位和配合单位{extra}"),
    );
    let err = warnings(dir.path());
    assert!(!err.contains("unlinked-number"), "{err}");
    let out = dir.path().join("public");
    let built = common::run_in(
        dir.path(),
        &["build", "--output", out.to_str().unwrap(), "-q"],
    );
    assert!(built.status.success(), "{}", common::stderr(&built));
    let html = std::fs::read_to_string(out.join("programs/jiaotong-shuili/index.html")).unwrap();
    // A number in a heading links; the heading keeps its id and plain text.
    assert!(
        Regex::new(
            r#"<h3 id="h-1">年培训<a class="figure-link" href="[^"]+#q-\d+"[^>]*>6万人次</a></h3>"#
        )
        .unwrap()
        .is_match(&html),
        "{html}"
    );
    // The editor's own link is left as written: no link inside a link.
    assert!(
        html.contains(">年培训6万人次</a> <code>6万人次</code> 年培训六万人次。"),
        "{html}"
    );
}

#[test]
fn region_pages_name_their_region_once_and_compare_no_single_zone() {
    let site = built_site();
    let heading = Regex::new(r"<h1>(.*?)</h1>").unwrap();
    let tables = Regex::new(r#"(?s)<table class="figures[^"]*">(.*?)</table>"#).unwrap();
    let row = Regex::new(r"(?s)<tr class=.figure").unwrap();
    for slug in ["henan", "nanyang"] {
        let html =
            std::fs::read_to_string(site.join(format!("regions/{slug}/index.html"))).unwrap();
        let name = heading.captures(&html).unwrap()[1].to_owned();
        let mut rows = 0;
        for t in tables.captures_iter(&html) {
            let n = row.find_iter(&t[1]).count();
            rows += n;
            assert!(n > 1, "{slug}: a figure table of one row");
            // The page's region is its heading, not a column of every row.
            assert!(
                !t[1].contains(r#"class="region""#) && !t[1].contains(&format!(">{name}</a></td>")),
                "{slug}: {name} is repeated in the rows of a table"
            );
        }
        assert!(rows > 0, "{slug}: no figures");
        assert!(
            !html.contains("（下级）"),
            "{slug}: children's figures in tables of their own"
        );
    }
}
