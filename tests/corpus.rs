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
    let site = generated();
    let root = site.path();
    let mut preview = Preview::new(root.to_path_buf(), root.join("served"));
    preview.rebuild(&Changes::Everything);
    let page_2 = "metrics/enterprise_training/city-0/page/2/index.html";
    assert!(root.join("served").join(page_2).is_file());
    // city-0's counties are 0–5: deleting 30 of their documents leaves 45
    // rows, one page.
    let gone: std::collections::BTreeSet<String> = (0..150)
        .filter(|d| d % 12 < 6)
        .take(30)
        .map(|d| format!("doc-{d}"))
        .collect();
    for slug in &gone {
        std::fs::remove_file(root.join(format!("content/documents/{slug}.md"))).unwrap();
    }
    let report = preview.rebuild(&Changes::Documents(gone));
    assert!(
        matches!(report.outcome, Outcome::Incremental { .. }),
        "{}",
        report.text
    );
    preview.index_search().unwrap();
    assert!(!root.join("served").join(page_2).exists(), "page 2 is gone");
    let built = common::run_in(root, &["build", "-q", "--output", "built"]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(
        tree_bytes(&root.join("served")) == tree_bytes(&root.join("built")),
        "the incremental rebuild differs from a build"
    );
}
