//! What a figure means, end to end (DESIGN.md "What a figure means"): the
//! fixture tests/fixtures/meaning/site is built and its pages, open data and
//! messages are read.

mod common;

use std::path::Path;

struct Built {
    _dir: tempfile::TempDir,
    public: std::path::PathBuf,
    stderr: String,
}

fn build() -> Built {
    let dir = common::overlay_site(&common::fixtures().join("meaning/site"));
    let public = dir.path().join("public");
    let output = common::run_in(dir.path(), &["build"]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    Built {
        _dir: dir,
        public,
        stderr,
    }
}

fn read(public: &Path, path: &str) -> String {
    String::from_utf8(std::fs::read(public.join(path)).unwrap()).unwrap()
}

/// The table row (`<tr …>…</tr>`) of a page that contains `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn a_qualifier_is_shown_as_written_on_pages_and_in_open_data() {
    let b = build();
    let page = read(&b.public, "regions/nanyang/index.html");
    assert!(page.contains("近1万人"), "region page shows 近1万人");
    let csv = read(&b.public, "data/figures.csv");
    let line = csv
        .lines()
        .find(|l| l.contains("2024年以来南阳培训近1万人"))
        .unwrap();
    assert!(line.contains(",近,"), "qualifier column: {line}");
    assert!(line.contains(",近1万人,"), "value_written column: {line}");
    let header = csv.lines().next().unwrap();
    for column in ["qualifier", "subject", "time_basis", "value_written"] {
        assert!(header.contains(column), "{column} in {header}");
    }
    // 500余家 keeps 余; `qualifier: 无` makes 近200个 exact while the words stay.
    assert!(
        csv.lines()
            .any(|l| l.contains(",余,") && l.contains("500余家"))
    );
    let exact = csv.lines().find(|l| l.contains("提供岗位近200个")).unwrap();
    assert!(!exact.contains(",近,"), "qualifier: 无 overrides: {exact}");
}

#[test]
fn a_standard_is_never_labelled_as_an_achievement() {
    let b = build();
    let page = read(&b.public, "documents/henan-plan/index.html");
    let row = row_with(&page, "每培训1人给予1000元补贴</a></td>");
    assert!(row.contains(">标准<"), "{row}");
    assert!(!row.contains("完成"), "{row}");
    let json = read(&b.public, "data/figures.json");
    assert!(json.contains("\"kind\": \"standard\""));
    // Not on the home page's headline figures.
    let home = read(&b.public, "index.html");
    assert!(
        !home.contains("1000元"),
        "a standard is not a headline figure"
    );
}

#[test]
fn a_subject_is_part_of_the_label_and_left_out_of_comparisons() {
    let b = build();
    let page = read(&b.public, "regions/nanyang/index.html");
    assert!(page.contains("仅指：南阳某学院"));
    let metric = read(&b.public, "metrics/partners/index.html");
    let desc = metric
        .split("<p class=\"chart-desc\">")
        .nth(1)
        .and_then(|d| d.split("</p>").next())
        .unwrap();
    assert!(desc.contains("比较了2个"), "{desc}");
    assert!(
        desc.contains("未纳入比较：南阳市500余家（只涉及南阳某学院）"),
        "{desc}"
    );
}

#[test]
fn since_and_time_text_are_shown_as_the_source_says() {
    let b = build();
    let page = read(&b.public, "regions/nanyang/index.html");
    assert!(page.contains("2024年以来（截至2024年5月28日）"));
    assert!(page.contains(">近三年来<"));
    // The vague span is never turned into years.
    let csv = read(&b.public, "data/figures.csv");
    let line = csv
        .lines()
        .find(|l| l.contains("近三年来南阳累计"))
        .unwrap();
    assert!(line.contains(",time_text,"), "{line}");
}

#[test]
fn a_parent_stated_only_as_parts_is_their_sum_and_a_total_that_agrees_gets_a_line() {
    let b = build();
    let page = read(&b.public, "programs/zongti/index.html");
    assert!(
        page.contains("乙专项（由分项相加）"),
        "parent from its parts"
    );
    assert!(page.contains("比较了2个项目"));
    assert!(page.contains("最大的是甲专项（6万人）"));
    assert!(
        page.contains(
            "2个子项目企业职工技能培训目标合计10万人（由分项相加），与河南省的目标“10万人以上”一致。"
        ),
        "consistency line"
    );
    let plan = read(&b.public, "documents/henan-plan/index.html");
    assert!(plan.contains("href=\"https://hrss.henan.gov.cn/plan.html\""));
}

#[test]
fn a_total_that_disagrees_with_its_parts_is_a_warning_citing_both_quotes() {
    let b = build();
    let s = &b.stderr;
    assert!(s.contains("inconsistent-total"), "{s}");
    assert!(s.contains("全省培训5万人"), "total's quote: {s}");
    assert!(s.contains("2024年以来南阳培训近1万人"), "part's quote: {s}");
    assert!(s.contains("新乡培训9500人"), "part's quote: {s}");
    assert!(s.contains("cities-report.md:"), "file:line: {s}");
}

#[test]
fn a_bound_is_not_ranked_as_an_exact_value() {
    let b = build();
    let page = read(&b.public, "regions/henan/index.html");
    // 近1万 (9000..10000) against 9500: neither is proven the largest.
    assert!(
        page.contains("最大的是南阳市（近1万人）、新乡市（9500人）之一"),
        "bounds rank as bounds"
    );
}

#[test]
fn bad_combinations_are_errors_at_their_line() {
    let dir = common::overlay_site(&common::fixtures().join("meaning/site"));
    let doc = dir.path().join("content/documents/henan-plan.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let text = text
        .replace(
            "source_url: https://hrss.henan.gov.cn/plan.html",
            "source_url: http://hrss.henan.gov.cn/plan.html",
        )
        .replace(
            "    year: 2025\n    program: zx-a\n",
            "    year: 2025\n    since: 2024\n    program: zx-a\n",
        )
        .replace(
            "    kind: standard\n",
            "    kind: standard\n    qualifier: 大约\n",
        );
    std::fs::write(&doc, text).unwrap();
    let output = common::run_in(dir.path(), &["check"]);
    let s = common::stderr(&output);
    assert!(!output.status.success());
    assert!(s.contains("henan-plan.md:7"), "source_url line: {s}");
    assert!(s.contains("同一个数字同时写了 year 和 since"), "{s}");
    assert!(s.contains("不是可识别的限定词"), "{s}");
}
