//! Open data, feed, sitemap and robots.txt of the default site.

mod common;

use common::*;

/// The default site, built once for this test binary.
fn build_default() -> &'static Built {
    default_site()
}

/// Texts of every element named `name`, and checks the whole document parses.
fn elements(xml: &str, name: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}"))
        {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) => inside = e.name().as_ref() == name.as_bytes(),
            quick_xml::events::Event::Text(t) if inside => {
                out.push(t.decode().unwrap().into_owned())
            }
            quick_xml::events::Event::End(_) => inside = false,
            _ => {}
        }
    }
    out
}

#[test]
fn figures_csv_and_json_hold_every_figure_with_its_source() {
    let out = build_default();
    let public = out.path().join("public");
    let csv = std::fs::read(public.join("data/figures.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/figures.json")).unwrap()).unwrap();
    let json = json.as_array().unwrap();
    assert_eq!(rows.len(), json.len());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["check", "--root", repo_root().to_str().unwrap()])
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&check.stderr);
    assert!(
        summary.contains(&format!("{} 个数字", rows.len())),
        "one row per figure: {summary}"
    );
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // Field by field: the provincial 200万人次 target and Nanyang's 34.08万.
    let province = rows
        .iter()
        .find(|r| &r[column("value_written")] == "200万人次以上" && &r[column("region")] == "henan")
        .expect("200万 row");
    // As the source writes it: the qualifier in its own column too.
    assert_eq!(&province[column("qualifier")], "以上");
    assert_eq!(&province[column("value")], "2000000");
    assert_eq!(&province[column("unit")], "人次");
    assert_eq!(&province[column("kind")], "target");
    assert_eq!(&province[column("year")], "2025");
    assert_eq!(&province[column("document")], "henan-2025-plan");
    assert!(
        province[column("page_url")]
            .starts_with("https://skills.example.gov.cn/documents/henan-2025-plan/#q-")
    );
    let nanyang = rows
        .iter()
        .find(|r| &r[column("value_written")] == "34.08万人")
        .expect("34.08万 row");
    assert_eq!(
        &nanyang[column("value")],
        "340800",
        "exact, never 340799.99"
    );
    assert_eq!(&nanyang[column("region")], "nanyang");
    assert!(nanyang[column("quote")].contains("34.08万"));
    let typo = rows
        .iter()
        .find(|r| &r[column("value_written")] == "9516万个")
        .expect("9516万 row");
    assert_eq!(&typo[column("over_max")], "true");
    // JSON agrees with CSV row by row.
    for (row, object) in rows.iter().zip(json) {
        for (i, name) in headers.iter().enumerate() {
            let value = &object[name];
            let text = value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value.to_string());
            assert_eq!(text, &row[i], "column {name}");
        }
    }
    assert!(
        public
            .join("data/metrics/vocational_training.csv")
            .is_file()
    );
    assert!(
        std::fs::read_to_string(public.join("data/index.html"))
            .unwrap()
            .contains("value_in_metric_unit")
    );
}

#[test]
fn feed_sitemap_and_robots() {
    let out = build_default();
    let public = out.path().join("public");
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let ids = elements(&feed, "id");
    // The feed id, then one entry per dated document: the Nanyang reply has no date.
    assert_eq!(ids.len(), 1 + 4, "{ids:?}");
    assert!(
        ids[1..]
            .iter()
            .all(|id| id.starts_with("https://skills.example.gov.cn/documents/"))
    );
    let updated = elements(&feed, "updated");
    assert_eq!(updated[1], "2025-05-02T00:00:00+08:00", "newest first");
    assert!(
        !feed.contains("nanyang-73192"),
        "undated documents are left out"
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let locs = elements(&sitemap, "loc");
    assert!(locs.len() > 100);
    for loc in &locs {
        let path = loc.strip_prefix("https://skills.example.gov.cn/").unwrap();
        let decoded = skillpress::render::urls::decode_path(path);
        assert!(
            public.join(&decoded).join("index.html").is_file() || decoded.is_empty(),
            "sitemap lists missing page {loc}"
        );
    }
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://skills.example.gov.cn/sitemap.xml"));
}

/// `check --external` lists links that leave the site with the file and line an
/// editor wrote them on, and the pages that carry them; it fetches nothing
/// (the host below does not resolve) and does not change the exit status.
#[test]
fn check_external_lists_outgoing_links_with_file_and_line() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("good/minimal"), site.path());
    let doc = site.path().join("content/documents/nanyang-reply.md");
    let mut text = std::fs::read_to_string(&doc).unwrap();
    text.push_str("\n详见[人社部网站](https://www.mohrss.invalid/zcfg/)。\n");
    std::fs::write(&doc, text).unwrap();

    let plain = run_in(site.path(), &["check"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert!(
        plain.stdout.is_empty(),
        "without --external nothing is listed"
    );

    let output = run_in(site.path(), &["check", "--external"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = String::from_utf8_lossy(&output.stdout);
    let mut lines = listed.lines();
    assert_eq!(
        lines.next(),
        Some("https://www.mohrss.invalid/zcfg/"),
        "{listed}"
    );
    assert_eq!(
        lines.next(),
        Some("    写在 content/documents/nanyang-reply.md:38:3"),
        "{listed}"
    );
    assert_eq!(
        lines.next(),
        Some("    出现在 /documents/nanyang-reply/"),
        "{listed}"
    );
    assert!(stderr(&output).contains("站外链接共 1 个"));
}

/// The search index is part of `build`: Pagefind's bundle under /pagefind/,
/// one Chinese index with every page except the search page itself.
#[test]
fn build_writes_a_chinese_search_index_of_every_page() {
    let out = build_default();
    let public = out.path().join("public");
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    let pages = tree_bytes(&public)
        .iter()
        .filter(|(p, _)| {
            p.ends_with("index.html") && !p.starts_with("search/") && !p.starts_with("pagefind/")
        })
        .count();
    assert_eq!(
        entry["languages"]["zh-cn"]["page_count"].as_u64(),
        Some(pages as u64),
        "{entry}"
    );
    for file in [
        "pagefind/pagefind.js",
        "pagefind/wasm.unknown.pagefind",
        "search/index.html",
        "assets/search.js",
    ] {
        assert!(public.join(file).is_file(), "missing {file}");
    }
    let search = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    assert!(search.contains("data-bundle=\"/pagefind/\"") && search.contains("<noscript>"));
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("<a class=\"search-link\" href=\"/search/\">搜索</a>"),
        "the header links to search without JavaScript"
    );
    assert!(
        home.contains("data-pagefind-body"),
        "only main content is indexed"
    );
}
