//! A deterministic national-shaped test corpus, written as a skillpress site:
//! one province, cities and counties (a 3-level region tree), programs,
//! brands and documents whose figures verify. Fictional test data only.
//!
//! Used by `tests/corpus.rs` (byte-identical builds, `serve` equals `build`)
//! and by `benches/scale.rs` (`#[path]`-included), so both measure the same
//! shape. `documents` is the size parameter: about 1.2 entity pages each.

use std::fmt::Write as _;
use std::path::Path;

pub struct Corpus {
    pub documents: usize,
}

const METRICS: [(&str, &str, &str, &str); 4] = [
    (
        "enterprise_training",
        "企业职工技能培训",
        "人次",
        "完成企业职工技能培训",
    ),
    (
        "new_certificates",
        "新取得职业资格证书",
        "人",
        "新取得职业资格证书",
    ),
    ("training_bases", "技能培训基地", "个", "建成技能培训基地"),
    ("subsidy_funds", "奖补资金", "万元", "落实奖补资金"),
];

const WORDS: [&str; 12] = [
    "深化产教融合",
    "推行新型学徒制",
    "健全终身职业技能培训制度",
    "加强高技能人才队伍建设",
    "推进职业技能等级认定",
    "开展企业职工岗位技能提升培训",
    "落实职业培训补贴政策",
    "建设公共实训基地",
    "打造劳务品牌",
    "促进重点群体就业创业",
    "完善技能人才评价体系",
    "提升培训质量和就业率",
];

impl Corpus {
    pub fn cities(&self) -> usize {
        (self.documents / 60).clamp(2, 500)
    }

    pub const COUNTIES_PER_CITY: usize = 6;

    pub fn programs(&self) -> usize {
        (self.documents / 25).max(2)
    }

    pub fn brands(&self) -> usize {
        (self.documents / 20).max(2)
    }

    /// Regions + programs + brands + documents: the entity pages.
    pub fn entity_pages(&self) -> usize {
        1 + self.cities() * (1 + Self::COUNTIES_PER_CITY)
            + self.programs()
            + self.brands()
            + self.documents
    }

    /// Writes the site's `content/` under `root`.
    pub fn write(&self, root: &Path) {
        let content = root.join("content");
        for dir in ["regions", "programs", "brands", "documents"] {
            std::fs::create_dir_all(content.join(dir)).unwrap();
        }
        let write = |path: &str, text: String| std::fs::write(content.join(path), text).unwrap();
        write(
            "site.yaml",
            "title: 全国规模测试站点\ndescription: 测试数据，虚构内容\nbase_url: https://example.org/scale/\npublisher: 测试人社厅\n"
                .to_owned(),
        );
        let mut metrics = String::new();
        for (slug, name, unit, _) in METRICS {
            let _ = writeln!(metrics, "{slug}:\n  name: {name}\n  unit: {unit}");
        }
        write("metrics.yaml", metrics);

        write(
            "regions/ceshi.yaml",
            "name: 测试省\nshort_name: 测试\nlevel: province\n".to_owned(),
        );
        let counties = self.counties();
        for c in 0..self.cities() {
            write(
                &format!("regions/city-{c}.yaml"),
                format!(
                    "name: 测{}市\nshort_name: 测{}\nlevel: city\nparent: ceshi\nsummary: 测试用的第{c}个市。\n",
                    cjk(c),
                    cjk(c)
                ),
            );
        }
        for (k, (slug, name, city)) in counties.iter().enumerate() {
            write(
                &format!("regions/{slug}.yaml"),
                format!(
                    "name: {name}\nlevel: county\nparent: city-{city}\nsummary: 测试用的第{k}个县。\n"
                ),
            );
        }
        for b in 0..self.brands() {
            let (county, name, _) = &counties[b % counties.len()];
            write(
                &format!("brands/brand-{b}.md"),
                format!(
                    "---\nname: {name}{}技工\nregion: {county}\nlevel: county\noccupations: [中式烹调师]\n---\n{name}的劳务品牌，{}。\n",
                    cjk(b),
                    WORDS[b % WORDS.len()]
                ),
            );
        }
        for p in 0..self.programs() {
            let city = p % self.cities();
            write(
                &format!("programs/program-{p}.md"),
                format!(
                    "---\nname: 测{}市技能提升行动{}\nscope: city-{city}\nlead: [市人社局]\nyears: [{}]\nbrands: [brand-{}]\ntopics: [技能提升]\n---\n{}，{}。\n",
                    cjk(city),
                    cjk(p),
                    2020 + p % 6,
                    p % self.brands(),
                    WORDS[p % WORDS.len()],
                    WORDS[(p + 5) % WORDS.len()]
                ),
            );
        }
        for d in 0..self.documents {
            let (county, name, _) = &counties[d % counties.len()];
            // One document per county and year: figures never disagree.
            let year = 2016 + (d / counties.len()) % 10;
            let mut figures = String::new();
            let mut body = format!(
                "# 一、总体情况\n\n{year}年，{name}人社部门{}。\n\n",
                WORDS[d % 12]
            );
            for (m, (metric, _, unit, verb)) in METRICS.iter().enumerate() {
                let value = truth(d % counties.len(), m, year);
                let sentence = format!("全年{verb}{value}{unit}");
                let _ = write!(
                    figures,
                    "  - metric: {metric}\n    value: {value}\n    year: {year}\n    quote: {sentence}\n"
                );
                let _ = write!(
                    body,
                    "## {}、{}\n\n{sentence}。{}，{}。\n\n",
                    cjk(m + 2),
                    WORDS[(d + m) % 12],
                    WORDS[(d + m + 3) % 12],
                    WORDS[(d + m + 7) % 12]
                );
            }
            write(
                &format!("documents/doc-{d}.md"),
                format!(
                    "---\ntitle: {name}{year}年技能工作报告（第{d}号）\nkind: report\nissuer: {name}人力资源和社会保障局\nregion: {county}\ndate: {year}-12-{:02}\ndoc_number: 测{}人社〔{year}〕{d}号\ntopics: [技能提升]\nfigures:\n{figures}---\n{body}",
                    1 + d % 28,
                    cjk(d % counties.len())
                ),
            );
        }
    }

    /// (slug, name, city) of every county.
    fn counties(&self) -> Vec<(String, String, usize)> {
        (0..self.cities() * Self::COUNTIES_PER_CITY)
            .map(|k| {
                (
                    format!("county-{k}"),
                    format!("测{}县", cjk(k)),
                    k / Self::COUNTIES_PER_CITY,
                )
            })
            .collect()
    }
}

/// The one true value of a metric in a county and year.
fn truth(county: usize, metric: usize, year: usize) -> u64 {
    let x = (county as u64 * 7919 + metric as u64 * 104_729 + year as u64 * 1_299_709) % 9973;
    100 + x * (metric as u64 + 1)
}

/// A short Chinese numeral-like name, unique per number.
fn cjk(n: usize) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    n.to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap() as usize])
        .collect()
}
