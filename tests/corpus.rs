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

/// The generated corpus with a preview that has built it in full into `served/`.
fn previewed() -> (tempfile::TempDir, Preview) {
    let site = generated();
    let root = site.path();
    let mut preview = Preview::new(root.to_path_buf(), root.join("served"));
    let report = preview.rebuild(&Changes::Everything);
    assert!(
        matches!(report.outcome, Outcome::Full { .. }),
        "{}",
        report.text
    );
    (site, preview)
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
    let (site, mut preview) = previewed();
    preview.index_search().unwrap();
    assert!(site.path().join("served/pagefind/pagefind.js").is_file());
    assert_served_equals_a_build(&mut preview, "built");
}

/// No metric page of a 1,000-page national-shaped site may exceed this
/// (sizes are deterministic). Before the per-region views one page there
/// held every figure of its metric: 2.2 MB and 78 charts.
const METRIC_PAGE_BUDGET: usize = 150_000;

#[test]
fn long_metrics_are_summaries_with_linked_per_region_pages() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus { documents: 833 };
    corpus.write(dir.path());
    let out = common::run_in(dir.path(), &["build", "-q", "--output", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let files: std::collections::BTreeMap<String, Vec<u8>> =
        tree_bytes(&dir.path().join("out")).into_iter().collect();
    let html = |path: &str| -> String {
        String::from_utf8(
            files
                .get(path)
                .unwrap_or_else(|| panic!("{path} is missing"))
                .clone(),
        )
        .unwrap()
    };
    // Every metric page stays within the budget.
    let metric_pages: Vec<(&String, usize)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("metrics/") && p.ends_with(".html"))
        .map(|(p, b)| (p, b.len()))
        .collect();
    assert!(metric_pages.len() > 20, "{metric_pages:?}");
    for (path, size) in &metric_pages {
        assert!(
            *size <= METRIC_PAGE_BUDGET,
            "{path}: {size} bytes > {METRIC_PAGE_BUDGET}"
        );
    }
    // The main page: a summary by level linking to each city's page.
    let main = html("metrics/enterprise_training/index.html");
    assert!(main.contains("各级地区的数字"), "no summary by level");
    let base = "/scale/metrics/enterprise_training/";
    for city in 0..corpus.cities() {
        assert!(
            main.contains(&format!("href=\"{base}city-{city}/\"")),
            "main page does not link city-{city}"
        );
    }
    // A city's page lists its counties' figures over pages with fixed URLs,
    // each linked from the others.
    let city = html("metrics/enterprise_training/city-0/index.html");
    assert!(city.contains(&format!("href=\"{base}city-0/page/2/\"")));
    let second = html("metrics/enterprise_training/city-0/page/2/index.html");
    assert!(second.contains(&format!("href=\"{base}city-0/\"")));
    assert!(!files.contains_key("metrics/enterprise_training/city-0/page/3/index.html"));
    // Search leads to the main page; the views repeat its figures and are not indexed.
    assert!(main.contains("data-pagefind-body"));
    for view in [&city, &second] {
        assert!(!view.contains("data-pagefind-body"), "a view is indexed");
    }
    let fragments = files
        .keys()
        .filter(|p| p.starts_with("pagefind/") && p.contains("/fragment/"))
        .count();
    let marked = files
        .iter()
        .filter(|(p, b)| {
            p.ends_with("index.html")
                && *p != "search/index.html"
                && String::from_utf8_lossy(b).contains("data-pagefind-body")
        })
        .count();
    assert_eq!(fragments, marked, "one search fragment per indexed page");
    // Every county figure of the metric is listed on exactly one city page.
    let rows: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("metrics/enterprise_training/city-") && p.ends_with(".html"))
        .map(|(_, b)| {
            String::from_utf8_lossy(b)
                .matches("<tr class=\"figure")
                .count()
        })
        .sum();
    assert_eq!(rows, corpus.documents, "one figure per document and metric");
    // The sitemap names every page of the metric.
    let sitemap = html("sitemap.xml");
    for (path, _) in &metric_pages {
        let url = format!(
            "https://example.org/scale/{}",
            path.trim_end_matches("index.html")
        );
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in sitemap"
        );
    }
}

#[test]
fn an_incremental_rebuild_that_shortens_a_metric_list_equals_a_build() {
    let (site, mut preview) = previewed();
    let root = site.path();
    let page_2 = "metrics/enterprise_training/city-0/page/2/index.html";
    assert!(root.join("served").join(page_2).is_file());
    // city-0's counties are 0–5: deleting 30 of their documents leaves 45
    // rows, one page.
    remove_documents(
        &mut preview,
        (0..150).filter(|d| d % 12 < 6).take(30).collect(),
    );
    assert!(!root.join("served").join(page_2).exists(), "page 2 is gone");
    assert_served_equals_a_build(&mut preview, "built");
}

/// Deletes the generated documents `doc-<n>` and rebuilds the preview
/// incrementally, as a save of those deletions does.
fn remove_documents(preview: &mut Preview, numbers: Vec<usize>) {
    let gone: std::collections::BTreeSet<String> =
        numbers.iter().map(|d| format!("doc-{d}")).collect();
    for slug in &gone {
        let file = preview.root().join(format!("content/documents/{slug}.md"));
        std::fs::remove_file(file).unwrap();
    }
    let report = preview.rebuild(&Changes::Documents(gone));
    assert!(
        matches!(report.outcome, Outcome::Incremental { .. }),
        "{}",
        report.text
    );
}

/// The preview's output folder (`served/`, search included) holds what a
/// build of the same content into `name/` writes.
fn assert_served_equals_a_build(preview: &mut Preview, name: &str) {
    preview.index_search().unwrap();
    let root = preview.root().to_path_buf();
    let built = common::run_in(&root, &["build", "-q", "--output", name]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let differing = common::differing_files(&root.join("served"), &root.join(name));
    assert!(
        differing.is_empty(),
        "the incremental rebuild differs from a build ({name}): {differing:?}"
    );
}

#[test]
fn an_incremental_rebuild_re_renders_the_views_listing_a_changed_figure_and_equals_a_build() {
    let (site, mut preview) = previewed();
    let root = site.path();
    let view = "metrics/enterprise_training/city-1/index.html";
    let served = |path: &str| std::fs::read_to_string(root.join("served").join(path));
    assert!(served(view).is_ok());
    // doc-7 is about county-7, a county of city-1: its figure is listed on
    // the city's view (a page of its own), not on the metric's main page.
    let doc = root.join("content/documents/doc-7.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let value: u64 = text
        .split("metric: enterprise_training\n    value: ")
        .nth(1)
        .and_then(|rest| rest.split('\n').next())
        .and_then(|v| v.parse().ok())
        .expect("doc-7 states an enterprise_training figure");
    let new = value + 1;
    let text = text
        .replace(
            &format!("metric: enterprise_training\n    value: {value}\n"),
            &format!("metric: enterprise_training\n    value: {new}\n"),
        )
        .replace(
            &format!("技能培训{value}人次"),
            &format!("技能培训{new}人次"),
        );
    std::fs::write(&doc, text).unwrap();
    let report = preview.rebuild(&Changes::Documents(["doc-7".to_owned()].into()));
    assert!(
        matches!(report.outcome, Outcome::Incremental { .. }),
        "{}",
        report.text
    );
    assert!(served(view).unwrap().contains(&new.to_string()));
    assert_served_equals_a_build(&mut preview, "built-edit");

    // Without city-1's documents its view is gone, from the site and from
    // the main page's links.
    remove_documents(&mut preview, (0..150).filter(|d| d % 12 >= 6).collect());
    assert!(served(view).is_err(), "city-1's view is gone");
    assert_served_equals_a_build(&mut preview, "built-gone");
}

/// No page of a long document, brand or topic list may exceed this: 50 rows
/// of about 330 bytes and the page around them. Before pagination the
/// document list of this 150-document corpus was one page of every document.
const LIST_PAGE_BUDGET: usize = 40_000;

/// The `<a href>`s of a list page's document rows (`partials/document_list.html`).
fn listed_documents(html: &str) -> Vec<String> {
    html.split("<ul class=\"doc-list\">")
        .skip(1)
        .flat_map(|list| {
            let list = list.split("</ul>").next().unwrap_or("");
            list.split("<a href=\"")
                .skip(1)
                .map(|a| a.split('"').next().unwrap_or("").to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn long_document_and_topic_lists_continue_on_linked_pages() {
    let site = generated();
    let root = site.path();
    let out = common::run_in(root, &["build", "-q", "--output", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let files: std::collections::BTreeMap<String, Vec<u8>> =
        tree_bytes(&root.join("out")).into_iter().collect();
    let html = |path: &str| -> String {
        String::from_utf8(
            files
                .get(path)
                .unwrap_or_else(|| panic!("{path} is missing"))
                .clone(),
        )
        .unwrap()
    };
    let sitemap = html("sitemap.xml");
    // 150 documents: /documents/ and /topics/技能提升/ (every document has
    // that topic) are three pages of 50.
    for (dir, base) in [
        ("documents/", "/scale/documents/"),
        (
            "topics/技能提升/",
            "/scale/topics/%E6%8A%80%E8%83%BD%E6%8F%90%E5%8D%87/",
        ),
    ] {
        let path = |page: usize| match page {
            1 => format!("{dir}index.html"),
            n => format!("{dir}page/{n}/index.html"),
        };
        let url = |page: usize| match page {
            1 => base.to_owned(),
            n => format!("{base}page/{n}/"),
        };
        assert!(!files.contains_key(&path(4)), "{dir}: 150 rows are 3 pages");
        let mut seen: Vec<String> = Vec::new();
        let mut dates: Vec<(u32, u32, u32)> = Vec::new();
        for page in 1..=3 {
            let text = html(&path(page));
            assert!(
                text.len() <= LIST_PAGE_BUDGET,
                "{}: {} bytes > {LIST_PAGE_BUDGET}",
                path(page),
                text.len()
            );
            // Only the first page is indexed: the others repeat the documents' titles.
            assert_eq!(
                text.contains("data-pagefind-body"),
                page == 1,
                "{} indexed for search",
                path(page)
            );
            let rows = listed_documents(&text);
            assert_eq!(rows.len(), 50, "{}", path(page));
            // The sentence over the list counts what the pages list.
            let (first, last) = (50 * (page - 1) + 1, 50 * page);
            let counted = format!("本页列出第 {first}—{last} 件（第 {page} 页，共 3 页）");
            assert!(
                text.contains("共 150 件文件") && text.contains(&counted),
                "{}: the count sentence is wrong",
                path(page)
            );
            seen.extend(rows);
            dates.extend(text.split(" · ").filter_map(|part| {
                let (y, rest) = part.split_once('年')?;
                let (m, rest) = rest.split_once('月')?;
                let d = rest.strip_suffix('日')?;
                Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
            }));
            // Each page links every other, the neighbours as prev/next, and
            // marks itself current.
            for other in (1..=3).filter(|&p| p != page) {
                assert!(
                    text.contains(&format!("href=\"{}\"", url(other))),
                    "{} does not link page {other}",
                    path(page)
                );
            }
            if page > 1 {
                assert!(text.contains(&format!(
                    "<a href=\"{}\" rel=\"prev\">上一页</a>",
                    url(page - 1)
                )));
            }
            if page < 3 {
                assert!(text.contains(&format!(
                    "<a href=\"{}\" rel=\"next\">下一页</a>",
                    url(page + 1)
                )));
            }
            assert!(text.contains(&format!("<span aria-current=\"page\">{page}</span>")));
            assert!(
                sitemap.contains(&format!("<loc>https://example.org{}</loc>", url(page))),
                "{} not in the sitemap",
                url(page)
            );
        }
        // Every document on exactly one page, newest first across pages.
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 150, "{dir}: a document is on two pages");
        assert_eq!(seen.len(), 150);
        assert!(seen.iter().all(|u| u.starts_with("/scale/documents/doc-")));
        assert_eq!(dates.len(), 150);
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{dir}: not newest first across pages"
        );
    }
}

#[test]
fn an_incremental_rebuild_that_shortens_the_document_list_equals_a_build() {
    let (site, mut preview) = previewed();
    let root = site.path();
    let page_3 = "documents/page/3/index.html";
    assert!(root.join("served").join(page_3).is_file());
    // 150 − 60 documents: two pages.
    remove_documents(&mut preview, (90..150).collect());
    assert!(!root.join("served").join(page_3).exists(), "page 3 is gone");
    assert_served_equals_a_build(&mut preview, "built");
}

#[test]
fn a_long_brand_wall_is_paginated_and_charted_by_the_roots_children() {
    let dir = tempfile::tempdir().unwrap();
    // 1,100 documents: 55 brands in 55 counties of 18 cities.
    let corpus = Corpus { documents: 1100 };
    corpus.write(dir.path());
    assert_eq!(corpus.brands(), 55);
    let out = common::run_in(dir.path(), &["build", "-q", "--output", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let read = |path: &str| {
        std::fs::read_to_string(dir.path().join("out").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let first = read("brands/index.html");
    let second = read("brands/page/2/index.html");
    assert!(!dir.path().join("out/brands/page/3").exists());
    for (path, text) in [("brands/", &first), ("brands/page/2/", &second)] {
        assert!(
            text.len() <= LIST_PAGE_BUDGET,
            "{path}: {} bytes > {LIST_PAGE_BUDGET}",
            text.len()
        );
    }
    let brands = |text: &str| {
        text.split("<ul class=\"brand-wall\">")
            .skip(1)
            .map(|l| {
                l.split("</ul>")
                    .next()
                    .unwrap_or("")
                    .matches("<li>")
                    .count()
            })
            .sum::<usize>()
    };
    assert_eq!((brands(&first), brands(&second)), (50, 5));
    assert!(second.contains("县级（续）"), "the level heading continues");
    assert!(first.contains("<a href=\"/scale/brands/page/2/\" rel=\"next\">下一页</a>"));
    assert!(second.contains("<a href=\"/scale/brands/\" rel=\"prev\">上一页</a>"));
    // The chart: a bar per city (the root's children), not per county.
    let chart = first
        .split("brands-by-region\" data-chart-kind")
        .nth(1)
        .expect("the wall's chart")
        .split("</figure>")
        .next()
        .unwrap();
    assert!(chart.contains("各地的人力资源品牌数量（含下辖地区）"));
    assert!(chart.contains("/scale/regions/city-0/"));
    assert!(!chart.contains("/scale/regions/county-"), "{chart}");
    assert!(!second.contains("brands-by-region"), "charts are on page 1");
}
