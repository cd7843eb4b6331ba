//! Every generated sentence of the default site is recomputed from the open
//! data (public/data/figures.json) and the content's program and region trees:
//! each comparison chart's count ("比较了N个"), its superlative ("最大的是X")
//! and its total ("合计"), and each headline figure. All must be true.
//!
//! `CLAIMS_SITE=/path/to/public` checks an existing build instead of building
//! (used to show the test failing on an older build).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;

use common::{strip_tags, unescape};

struct Fig {
    metric: String,
    metric_name: String,
    unit: String,
    kind: String,
    program: String,
    region: String,
    region_name: String,
    brand: String,
    subject: String,
    qualifier: String,
    time: String,
    time_basis: String,
    value: Decimal,
    value_written: String,
    quote: String,
    year: String,
    /// The metric's unit (万元), in which `value` is given.
    metric_unit: String,
}

impl Fig {
    fn eligible(&self) -> bool {
        self.kind != "standard"
            && self.subject.is_empty()
            && self.time_basis != "time_text"
            && self.time_basis != "undated"
    }
}

struct Tree {
    /// slug → (name, parent slug)
    programs: BTreeMap<String, (String, Option<String>, String)>,
    regions: BTreeMap<String, (String, Option<String>, String)>,
}

fn front_field(text: &str, field: &str) -> Option<String> {
    let head = text.split("\n---").next().unwrap_or("");
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
}

fn tree(content: &Path) -> Tree {
    let read = |dir: &str| {
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(content.join(dir)) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let slug = entry
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let name = front_field(&text, "name").unwrap_or_default();
            // Region pages and captions may use the short name (南阳).
            let short = front_field(&text, "short_name").unwrap_or_else(|| name.clone());
            out.insert(slug, (name, front_field(&text, "parent"), short));
        }
        out
    };
    Tree {
        programs: read("programs"),
        regions: read("regions"),
    }
}

fn figures(public: &Path) -> Vec<Fig> {
    let json: Value =
        serde_json::from_slice(&std::fs::read(public.join("data/figures.json")).unwrap()).unwrap();
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    json.as_array()
        .unwrap()
        .iter()
        .map(|v| Fig {
            metric: s(v, "metric"),
            metric_name: s(v, "metric_name"),
            unit: s(v, "unit"),
            kind: s(v, "kind"),
            program: s(v, "program"),
            region: s(v, "region"),
            region_name: s(v, "region_name"),
            brand: s(v, "brand"),
            subject: s(v, "subject"),
            qualifier: s(v, "qualifier"),
            time: s(v, "time"),
            time_basis: s(v, "time_basis"),
            value: s(v, "value_in_metric_unit").parse().unwrap(),
            value_written: s(v, "value_written"),
            quote: s(v, "quote"),
            year: s(v, "year"),
            metric_unit: s(v, "metric_unit"),
        })
        .collect()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}

struct ChartText {
    page: String,
    kind: String,
    caption: String,
    description: String,
    /// (label, value, time) of the data table.
    rows: Vec<(String, String, String)>,
}

fn charts(public: &Path) -> Vec<ChartText> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for part in html.split("<figure class=\"chart\"").skip(1) {
            let kind = between(part, "data-chart-kind=\"", "\"")
                .unwrap()
                .to_owned();
            let caption_html = between(part, "<figcaption", "</figcaption>")
                .and_then(|c| c.split_once('>'))
                .unwrap()
                .1;
            let caption = strip_tags(caption_html.split("<span class=\"unit\">").next().unwrap());
            let description =
                strip_tags(between(part, "<p class=\"chart-desc\">", "</p>").unwrap());
            let body = between(part, "<tbody>", "</tbody>").unwrap_or("");
            let rows = body
                .split("<tr>")
                .skip(1)
                .map(|row| {
                    let label = strip_tags(between(row, "<th scope=\"row\">", "</th>").unwrap());
                    let value = strip_tags(between(row, "<td class=\"num\">", "</td>").unwrap());
                    let time = strip_tags(between(row, "<td class=\"time\">", "</td>").unwrap());
                    (label, value, time)
                })
                .collect();
            out.push(ChartText {
                page: entry
                    .path()
                    .strip_prefix(public)
                    .unwrap()
                    .display()
                    .to_string(),
                kind,
                caption,
                description,
                rows,
            });
        }
    }
    out
}

/// The keys a comparison chart compares, from its caption: (what, parent or
/// none, metric name, kind). `what` is program, region or brand.
fn parse_caption(caption: &str) -> Option<(&'static str, Option<String>, String, String)> {
    let (head, rest) = caption.split_once('：').unwrap_or(("", caption));
    let (metric, kind) = rest.strip_suffix('）')?.rsplit_once('（')?;
    let kind = match kind {
        "目标" => "target",
        "完成" => "actual",
        _ => return None,
    }
    .to_owned();
    if let Some(p) = head.strip_suffix("各子项目") {
        return Some(("program", Some(p.to_owned()), metric.to_owned(), kind));
    }
    if let Some(r) = head.strip_suffix("下辖各地") {
        return Some(("region", Some(r.to_owned()), metric.to_owned(), kind));
    }
    if let Some(m) = caption.strip_prefix("各地") {
        let (metric, _) = m.rsplit_once('（')?;
        return Some(("region", None, metric.to_owned(), kind));
    }
    None
}

/// The number the description states after "比较了".
fn compared_count(description: &str) -> Option<usize> {
    between(description, "比较了", "个")?.parse().ok()
}

/// Keys named in "未纳入比较：A…（…）；B…（…）。".
fn left_out_count(description: &str) -> usize {
    let Some(list) = description.split("未纳入比较：").nth(1) else {
        return 0;
    };
    let list = list.split('。').next().unwrap_or("");
    // Items are separated by "；" outside parentheses.
    let mut depth = 0;
    let mut items = 1;
    for c in list.chars() {
        match c {
            '（' => depth += 1,
            '）' => depth -= 1,
            '；' if depth == 0 => items += 1,
            _ => {}
        }
    }
    items
}

fn site_dir() -> (PathBuf, PathBuf) {
    let content = common::repo_root().join("content");
    (common::default_public_or("CLAIMS_SITE"), content)
}

#[test]
fn every_generated_claim_is_true() {
    let (public, content) = site_dir();
    check_claims(&public, &content, 3, true);
}

/// The generated national-shaped corpus: its metrics are long, so their
/// pages are summaries and per-region views with their own charts.
#[test]
fn every_generated_claim_of_a_long_metric_is_true() {
    let dir = tempfile::tempdir().unwrap();
    common::corpus::Corpus { documents: 150 }.write(dir.path());
    let out = common::run_in(dir.path(), &["build", "-q", "--output", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let public = dir.path().join("out");
    assert!(
        public
            .join("metrics/enterprise_training/city-0/index.html")
            .is_file(),
        "the corpus's metrics are long enough for per-region views"
    );
    check_claims(&public, &dir.path().join("content"), 8, false);
}

/// The summary by level of a metric's main page ("各级地区的数字"): per depth
/// of the region tree, how many regions have figures, how many figures, and
/// the latest year, recomputed from figures.json.
fn level_problems(public: &Path, tree: &Tree, figs: &[Fig]) -> (usize, Vec<String>) {
    let depth = |slug: &str| {
        let mut d = 0;
        let mut at = slug.to_owned();
        while let Some(Some(parent)) = tree.regions.get(&at).map(|(_, p, _)| p.clone()) {
            d += 1;
            at = parent;
        }
        d
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(public.join("metrics")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let Some(table) = between(&html, "<table class=\"levels\">", "</table>") else {
            continue;
        };
        let metric = strip_tags(between(&html, "<h1>", "</h1>").unwrap());
        let stated: Vec<(usize, usize, String)> = between(table, "<tbody>", "</tbody>")
            .unwrap()
            .split("<tr>")
            .skip(1)
            .map(|row| {
                let cells: Vec<String> = row
                    .split("<td")
                    .skip(1)
                    .map(|c| {
                        strip_tags(c.split_once('>').unwrap().1.split("</td>").next().unwrap())
                    })
                    .collect();
                (
                    cells[0].parse().unwrap(),
                    cells[1].parse().unwrap(),
                    cells[2].clone(),
                )
            })
            .collect();
        let mut by_depth: BTreeMap<usize, (Vec<&str>, usize, Option<i32>)> = BTreeMap::new();
        for f in figs.iter().filter(|f| f.metric_name == metric) {
            let e = by_depth.entry(depth(&f.region)).or_default();
            if !e.0.contains(&f.region.as_str()) {
                e.0.push(&f.region);
            }
            e.1 += 1;
            e.2 = e.2.max(f.year.parse().ok());
        }
        let computed: Vec<(usize, usize, String)> = by_depth
            .into_values()
            .map(|(r, n, y)| (r.len(), n, y.map(|y| format!("{y}年")).unwrap_or_default()))
            .collect();
        checked += 1;
        if stated != computed {
            problems.push(format!(
                "{}：各级地区的数字写作{stated:?}，figures.json 得出{computed:?}",
                entry.path().display()
            ));
        }
    }
    (checked, problems)
}

/// `default_site`: also require what the default site is known to show (a
/// subject's series, a checked percentage).
fn check_claims(public: &Path, content: &Path, min_charts: usize, default_site: bool) {
    let tree = tree(content);
    let figs = figures(public);
    let (levels, mut problems) = level_problems(public, &tree, &figs);
    assert!(levels >= 1, "no metric page has a summary by level");
    let mut checked = 0;
    for chart in charts(public) {
        if chart.kind != "comparison" {
            continue;
        }
        let Some((what, parent, metric, kind)) = parse_caption(&chart.caption) else {
            continue;
        };
        let of = |f: &&Fig| f.metric_name == metric && f.kind == kind && f.eligible();
        // Key slug → display name, and each key's figures.
        let mut keys: BTreeMap<String, (String, Vec<&Fig>)> = BTreeMap::new();
        match what {
            "program" => {
                let parent = parent.as_deref().unwrap();
                let parent_slug = tree
                    .programs
                    .iter()
                    .find(|(_, (n, _, _))| n == parent)
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| panic!("no program named {parent}"));
                for (slug, (name, p, _)) in &tree.programs {
                    if p.as_deref() != Some(parent_slug.as_str()) {
                        continue;
                    }
                    let own: Vec<&Fig> = figs
                        .iter()
                        .filter(of)
                        .filter(|f| &f.program == slug)
                        .collect();
                    // A child with no figure of its own: its parts.
                    let parts: Vec<&Fig> = if own.is_empty() {
                        figs.iter()
                            .filter(of)
                            .filter(|f| {
                                tree.programs
                                    .get(&f.program)
                                    .and_then(|(_, p, _)| p.as_deref())
                                    == Some(slug.as_str())
                            })
                            .collect()
                    } else {
                        own
                    };
                    if !parts.is_empty() {
                        keys.insert(slug.clone(), (name.clone(), parts));
                    }
                }
            }
            _ => {
                for (slug, (name, p, _)) in &tree.regions {
                    if let Some(parent) = &parent {
                        let of_parent = p
                            .as_deref()
                            .and_then(|p| tree.regions.get(p))
                            .is_some_and(|(n, _, short)| n == parent || short == parent);
                        if !of_parent {
                            continue;
                        }
                    }
                    let own: Vec<&Fig> = figs
                        .iter()
                        .filter(of)
                        .filter(|f| &f.region == slug && f.program.is_empty() && f.brand.is_empty())
                        .collect();
                    if !own.is_empty() {
                        keys.insert(slug.clone(), (name.clone(), own));
                    }
                }
            }
        }
        checked += 1;
        let where_ = format!("{} 「{}」", chart.page, chart.description);
        // 1. Count: compared + left out = every key with data.
        let n = compared_count(&chart.description).unwrap_or(0);
        let left = left_out_count(&chart.description);
        if n + left != keys.len() {
            problems.push(format!(
                "{where_}：比较了{n}个、未纳入{left}个，但有数字的共{}个（{}）",
                keys.len(),
                keys.values()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        // 2. Each table row's value, recomputed from figures.json.
        let value_of = |label: &str, time: &str| -> Option<(Decimal, bool)> {
            let name = label.trim_end_matches("（由分项相加）");
            let (_, fs) = keys.values().find(|(n, _)| n == name)?;
            let at: Vec<&&Fig> = fs.iter().filter(|f| f.time == time).collect();
            let exact = at.iter().all(|f| f.qualifier.is_empty());
            if label.ends_with("（由分项相加）") || at.len() > 1 {
                Some((at.iter().map(|f| f.value).sum(), exact))
            } else {
                at.first().map(|f| (f.value, exact))
            }
        };
        let rows: Vec<(String, Option<(Decimal, bool)>)> = chart
            .rows
            .iter()
            .map(|(l, _, t)| (l.clone(), value_of(l, t)))
            .collect();
        for (label, v) in &rows {
            if v.is_none() {
                problems.push(format!("{where_}：行“{label}”在 figures.json 中找不到"));
            }
        }
        // 3a. The superlative holds over the complete set: a key with a number
        // at the chart's time that is neither drawn nor named as left out
        // must not be larger (现代服务业专项's 47万 stated only as parts).
        if let (Some(named), Some((_, _, t0))) = (
            between(&chart.description, "最大的是", "（"),
            chart.rows.first(),
        ) {
            let named_value = value_of(named, t0).map(|(v, _)| v);
            for (name, fs) in keys.values() {
                let drawn = chart
                    .rows
                    .iter()
                    .any(|(l, _, _)| l.trim_end_matches("（由分项相加）") == name);
                let left_out = chart
                    .description
                    .split("未纳入比较：")
                    .nth(1)
                    .is_some_and(|l| l.contains(name.as_str()));
                if drawn || left_out {
                    continue;
                }
                let at: Decimal = fs.iter().filter(|f| &f.time == t0).map(|f| f.value).sum();
                if named_value.is_some_and(|v| at > v) {
                    problems.push(format!(
                        "{where_}：说最大的是{named}，但未列出的{name}为{at}，更大"
                    ));
                }
            }
        }
        // 3. The superlative, when stated as certain, is the largest value.
        if let Some(named) = between(&chart.description, "最大的是", "（")
            && !chart.description.contains("之一")
        {
            {
                let all_exact = rows.iter().all(|(_, v)| v.is_some_and(|(_, e)| e));
                let max = rows.iter().filter_map(|(_, v)| v.map(|(x, _)| x)).max();
                let named_value = rows
                    .iter()
                    .find(|(l, _)| {
                        l.trim_end_matches("（由分项相加）")
                            == named
                                .trim_end_matches("（由分项相加）")
                                .split('、')
                                .next()
                                .unwrap()
                    })
                    .and_then(|(_, v)| v.map(|(x, _)| x));
                if all_exact && named_value != max {
                    problems.push(format!("{where_}：说最大的是{named}，但最大值是{max:?}"));
                }
            }
        }
        // 4a. Only what adds up is summed: never averages, rates or shares.
        if let Some(total) = between(&chart.description, "合计", "。") {
            let average = ["/", "%", "人均", "平均", "率", "比例"]
                .iter()
                .any(|w| total.contains(w) || metric.contains(w));
            if average {
                problems.push(format!("{where_}：平均数或比率被加总（合计{total}）"));
            }
        }
        // 4. A stated exact total equals the sum.
        if let Some(total) = between(&chart.description, "合计", "。")
            && !total.starts_with("不少于")
            && !total.starts_with("约")
            && !total.starts_with("不超过")
        {
            {
                let sum: Decimal = rows.iter().filter_map(|(_, v)| v.map(|(x, _)| x)).sum();
                let digits: String = total
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                // 万 or 亿 before the unit scales; the unit itself may hold one (万元).
                let unit = figs
                    .iter()
                    .find(|f| f.metric_name == metric)
                    .map(|f| f.metric_unit.as_str())
                    .unwrap_or("");
                let words: String = total
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .to_owned();
                let words = words.strip_suffix(unit).unwrap_or(&words);
                let scale = if words.contains('亿') {
                    Decimal::from(100_000_000)
                } else if words.contains('万') {
                    Decimal::from(10_000)
                } else {
                    Decimal::ONE
                };
                let stated = digits.parse::<Decimal>().unwrap() * scale;
                if stated != sum {
                    problems.push(format!("{where_}：合计写作{total}，各行之和为{sum}"));
                }
            }
        }
    }
    assert!(
        checked >= min_charts,
        "found only {checked} comparison charts to check"
    );
    // Headline figures: each is a figure of the open data that may stand for
    // its region (no standard, no subject), shown as written.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    for card in home.split("<li class=\"card").skip(1) {
        let label = strip_tags(between(card, "<span class=\"card-label\">", "</span>").unwrap());
        let value_html = between(card, "class=\"card-value\"", "</a>").unwrap();
        let value = strip_tags(value_html.split_once('>').unwrap().1);
        let value = value.as_str();
        let metric = label.split(" · ").next().unwrap();
        let found = figs
            .iter()
            .any(|f| f.metric_name == metric && f.value_written == value && f.eligible());
        if !found {
            problems.push(format!(
                "首页数字“{label} {value}”不是 figures.json 中可代表地区的数字（或写法不同）"
            ));
        }
    }
    // A site whose root states neither targets nor achievements has no story.
    if default_site || home.contains("<div class=\"story\">") {
        problems.extend(story_problems(&home, &figs, &tree));
    }
    over_time_claims(public, &figs, &mut problems, default_site);
    share_claims(public, &figs, &mut problems, default_site);
    assert!(
        problems.is_empty(),
        "不成立的生成语句：\n{}",
        problems.join("\n")
    );
}

/// The home page's story: every linked number is a figure of the open data
/// (region, metric, kind, time and written value agree), named in its clause
/// with its own region and time; the province's sentence holds only the
/// province's targets, and the achievements sentence says whose they are.
fn story_problems(home: &str, figs: &[Fig], tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(story) = between(home, "<div class=\"story\">", "</div>") else {
        return vec!["首页没有开头的概括语句".to_owned()];
    };
    let mut numbers = 0;
    for sentence in story.split("<p>").skip(1) {
        let sentence = sentence.split("</p>").next().unwrap();
        let text = strip_tags(sentence);
        let mut offset = 0;
        for part in sentence.split("<a class=\"story-num\"").skip(1) {
            numbers += 1;
            let attr = |name: &str| unescape(between(part, &format!("{name}=\""), "\"").unwrap());
            let (region, metric, kind, time) = (
                attr("data-region"),
                attr("data-metric"),
                attr("data-kind"),
                attr("data-time"),
            );
            let shown = strip_tags(between(part, ">", "</a>").unwrap());
            let found = figs.iter().any(|f| {
                f.region == region
                    && f.metric == metric
                    && f.kind == kind
                    && f.time == time
                    && f.kind != "standard"
                    && f.subject.is_empty()
                    && (f.value_written == shown
                        || format!("{}{}", f.value_written, f.unit) == shown)
            });
            if !found {
                problems.push(format!(
                    "首页概括中的“{shown}”（{region} {metric} {kind} {time}）不是 figures.json 中的数字"
                ));
            }
            // The clause before the number: from the last "；" or "：".
            let at = text[offset..]
                .find(&shown)
                .map(|i| i + offset)
                .unwrap_or(offset);
            let clause = text[..at].rsplit(['；', '：']).next().unwrap_or("");
            offset = at + shown.len();
            let name = &tree.regions[&region].0;
            if kind == "target" {
                // Only the province's targets, with their year as the source gives it.
                if !text.starts_with(&format!("{name}提出的目标")) {
                    problems.push(format!(
                        "首页概括：{name}的目标“{shown}”不在该地区的目标句中"
                    ));
                }
                if time.ends_with('年') && !clause.starts_with(&time) && !text[..at].contains(&time)
                {
                    problems.push(format!("首页概括：目标“{shown}”没有写出年份{time}"));
                }
            } else {
                if !clause.starts_with(name.as_str()) || !clause.contains(&time) {
                    problems.push(format!(
                        "首页概括：完成数“{shown}”前没有写明是{name}{time}的数字（“{clause}”）"
                    ));
                }
                let root = tree
                    .regions
                    .iter()
                    .find(|(_, r)| r.1.is_none())
                    .map(|(_, r)| r.0.clone())
                    .unwrap();
                if *name != root && !text.contains(&format!("不代表{root}")) {
                    problems.push(format!("首页概括：{name}的完成数没有说明不代表{root}"));
                }
            }
        }
    }
    if numbers < 3 {
        problems.push(format!("首页概括只有{numbers}个带出处的数字"));
    }
    problems
}

/// "1,697" / "1697" / "3.5万" → a number.
fn number(text: &str) -> Option<Decimal> {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let n: Decimal = digits.parse().ok()?;
    Some(if text.contains('亿') {
        n * Decimal::from(100_000_000)
    } else if text.contains('万') {
        n * Decimal::from(10_000)
    } else {
        n
    })
}

/// Each over-time chart: every point is one figure of figures.json (metric,
/// kind, time and value as written), all of one region and one subject (a
/// subject's series never mixes with its region's), the subject named in the
/// caption; and the stated change from first to last is the difference.
fn over_time_claims(public: &Path, figs: &[Fig], problems: &mut Vec<String>, require: bool) {
    let mut subject_series = 0;
    for chart in charts(public).into_iter().filter(|c| c.kind == "over-time") {
        let where_ = format!("{} 「{}」", chart.page, chart.caption);
        let Some((head, rest)) = chart.caption.rsplit_once('：') else {
            problems.push(format!("{where_}：标题无法解析"));
            continue;
        };
        let Some((metric, how)) = rest.rsplit_once('（') else {
            continue;
        };
        let kind = if how.starts_with("目标") {
            "target"
        } else {
            "actual"
        };
        // The (region, subject) pairs each row could be, kept only if every row has it.
        let mut common: Option<Vec<(String, String)>> = None;
        let mut values = Vec::new();
        for (label, value, time) in &chart.rows {
            let of_row: Vec<&Fig> = figs
                .iter()
                .filter(|f| {
                    f.metric_name == metric
                        && f.kind == kind
                        && &f.time == time
                        && &f.value_written == value
                        && f.kind != "standard"
                })
                .collect();
            if of_row.is_empty() {
                problems.push(format!(
                    "{where_}：点“{label} {value}”在 figures.json 中找不到"
                ));
            }
            let pairs: Vec<(String, String)> = of_row
                .iter()
                .map(|f| (f.region_name.clone(), f.subject.clone()))
                .collect();
            common = Some(match common {
                None => pairs,
                Some(c) => c.into_iter().filter(|p| pairs.contains(p)).collect(),
            });
            values.push(of_row.first().map(|f| (f.value, f.qualifier.is_empty())));
        }
        let named: Vec<(String, String)> = common
            .unwrap_or_default()
            .into_iter()
            .filter(|(region, subject)| {
                head.starts_with(region.as_str())
                    && (subject.is_empty() || head.ends_with(&format!("·{subject}")))
            })
            .collect();
        if named.is_empty() {
            problems.push(format!(
                "{where_}：各点不是同一地区、同一对象（subject）的数字，或标题没有写明对象"
            ));
        }
        if named.iter().any(|(_, s)| !s.is_empty()) {
            subject_series += 1;
        }
        // Averages and rates are never summed over the years.
        if let Some(total) = between(&chart.description, "合计", "。")
            && ["/", "%", "人均", "平均", "率", "比例"]
                .iter()
                .any(|w| total.contains(w) || metric.contains(w))
        {
            problems.push(format!("{where_}：平均数或比率被加总（合计{total}）"));
        }
        // The change from first to last.
        if let (Some(Some((first, true))), Some(Some((last, true)))) =
            (values.first(), values.last())
        {
            let change = *last - *first;
            let verb = if change > Decimal::ZERO {
                "增加"
            } else {
                "减少"
            };
            let stated = chart
                .description
                .split_once(&format!("比{}{verb}", chart.rows[0].2))
                .and_then(|(_, after)| {
                    // In the metric's unit, which may hold a 万 itself (万元).
                    let said = after.split(['（', '。']).next().unwrap_or("");
                    let unit = figs
                        .iter()
                        .find(|f| f.metric_name == metric)
                        .map_or("", |f| f.metric_unit.as_str());
                    number(said.strip_suffix(unit).unwrap_or(said))
                });
            if !change.is_zero() && stated != Some(change.abs()) {
                problems.push(format!(
                    "{where_}：首尾之差为{change}，描述却写作{stated:?}（{}）",
                    chart.description
                ));
            }
        }
    }
    assert!(
        !require || subject_series >= 1,
        "the default site has a subject's series over time (三门峡's contest team): none found"
    );
}

/// Each agreement line of a percentage ("A÷B≈C%，按原文写到的N位小数为X%，
/// 与原文“Q”一致"): A and B are figures of the percentage's region, and A÷B
/// rounds to the percentage written in Q.
fn share_claims(public: &Path, figs: &[Fig], problems: &mut Vec<String>, require: bool) {
    let mut lines = Vec::new();
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for part in html.split("<p class=\"consistency\">").skip(1) {
            let line = strip_tags(part.split("</p>").next().unwrap());
            if line.contains('÷') {
                lines.push(line);
            }
        }
    }
    assert!(
        !require || !lines.is_empty(),
        "the default site shows at least one percentage checked against its figures (淅川 19.4%)"
    );
    for line in lines {
        let quote = between(&line, "与原文“", "”一致").unwrap_or("");
        let Some(share) = figs
            .iter()
            .find(|f| f.quote == quote && f.value_written.contains('%'))
        else {
            problems.push(format!(
                "「{line}」：原文“{quote}”不是 figures.json 中的百分比"
            ));
            continue;
        };
        let division = line
            .split('：')
            .nth(1)
            .and_then(|d| d.split('≈').next())
            .unwrap_or("");
        let (a, b) = division.split_once('÷').unwrap_or(("", ""));
        let (Ok(a), Ok(b)) = (a.parse::<Decimal>(), b.parse::<Decimal>()) else {
            problems.push(format!("「{line}」：算式无法解析"));
            continue;
        };
        for n in [a, b] {
            if !figs
                .iter()
                .any(|f| f.region == share.region && f.value == n && !f.value_written.contains('%'))
            {
                problems.push(format!("「{line}」：{n} 不是{}的数字", share.region_name));
            }
        }
        let written = share.value_written.trim_end_matches(['%', '％']);
        let decimals = written.split_once('.').map_or(0, |(_, f)| f.len() as u32);
        let computed = (a / b * Decimal::from(100)).round_dp_with_strategy(
            decimals,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
        if computed != share.value {
            problems.push(format!(
                "「{line}」：{a}÷{b} 按原文精度为{computed}%，原文却是{}",
                share.value_written
            ));
        }
        let shown = between(&line, "≈", "%").and_then(|c| c.parse::<Decimal>().ok());
        let precise = (a / b * Decimal::from(100)).round_dp(decimals + 2);
        if shown != Some(precise) {
            problems.push(format!("「{line}」：{a}÷{b}≈{precise}%，句中却是{shown:?}"));
        }
        if !line.contains(&format!("为{}%", computed.normalize())) {
            problems.push(format!("「{line}」：应写“按原文写到的…为{computed}%”"));
        }
    }
}
