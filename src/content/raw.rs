//! Records as editors wrote them, one file at a time, with spans on everything
//! that a later check may point at. Checks that need two files (does the parent
//! exist? is the quote in the body?) belong to `model/`.

use rust_decimal::Decimal;

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span, Spanned};

use super::schema::{self, Fields};
use super::value::{self, Value, ValueError};
use super::yaml::{Node, NodeKind};

/// A Markdown body and where it starts in its file.
#[derive(Clone, Debug)]
pub struct Body {
    pub text: String,
    pub offset: usize,
    /// The links written in `text`, read once when the file is loaded: the
    /// content check and the link check both need them.
    pub links: super::markdown::Links,
}

#[derive(Debug)]
pub struct RawSite {
    pub file: FileId,
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub base_url: Spanned<String>,
    pub publisher: Option<String>,
    pub icp: Option<String>,
    pub theme: Option<Spanned<String>>,
    pub navigation: Option<Vec<NavItem>>,
    pub headline: Vec<RawHeadline>,
    /// Who runs the site (页脚：本站由…整理).
    pub operator: Option<String>,
    /// The site's relation to the issuing authorities, in the footer.
    pub disclaimer: Option<String>,
    /// The licence of the open data, shown on /data/.
    pub data_license: Option<RawLicense>,
    /// What the home page maps (`home: {map: …}`).
    pub home_map: Option<RawMapSpec>,
}

#[derive(Clone, Debug)]
pub struct RawLicense {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug)]
pub struct RawMapSpec {
    pub metric: Spanned<String>,
    pub kind: Option<FigureKind>,
    pub year: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct NavItem {
    pub name: String,
    pub url: String,
}

#[derive(Debug)]
pub struct RawHeadline {
    pub metric: Spanned<String>,
    pub region: Spanned<String>,
    pub kind: Option<FigureKind>,
    pub year: Option<i32>,
}

#[derive(Debug)]
pub struct RawMetric {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    pub max: Option<Decimal>,
    /// Whether figures of this metric may be added up (`additive`); None: decided by
    /// the unit and name (`model::additive_by_default`).
    pub additive: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegionLevel {
    Country,
    Province,
    City,
    County,
    District,
    Zone,
}

#[derive(Clone, Debug)]
pub struct RawRegion {
    pub slug: Spanned<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub level: RegionLevel,
    pub parent: Option<Spanned<String>>,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// Where `summary` stands, so a broken link in it is reported at its line.
    pub summary_at: Option<Span>,
    /// Place among its siblings (administrative order); absent: after the
    /// numbered ones, in file order.
    pub order: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct RawProgram {
    pub slug: Spanned<String>,
    pub name: String,
    pub scope: Spanned<String>,
    pub parent: Option<Spanned<String>>,
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    pub years: Vec<i32>,
    pub brands: Vec<Spanned<String>>,
    pub topics: Vec<String>,
    pub body: Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BrandLevel {
    National,
    Provincial,
    City,
    County,
}

#[derive(Clone, Debug)]
pub struct RawBrand {
    pub slug: Spanned<String>,
    pub name: String,
    pub region: Spanned<String>,
    pub level: BrandLevel,
    pub recognized_by: Option<String>,
    pub year: Option<i32>,
    pub occupations: Vec<String>,
    pub training_base: Option<String>,
    pub body: Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Policy,
    WorkPlan,
    ProposalReply,
    Notice,
    Report,
}

/// 提案 being answered by a proposal reply.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub meeting: String,
    pub number: String,
    pub title: String,
    pub proposers: Vec<String>,
    /// 办理结果: A, B or C.
    pub result: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RawDocument {
    pub slug: Spanned<String>,
    pub title: String,
    pub kind: DocKind,
    pub issuer: Option<String>,
    pub region: Spanned<String>,
    pub date: Option<jiff::civil::Date>,
    pub doc_number: Option<Spanned<String>>,
    pub signed_by: Option<String>,
    pub proposal: Option<Proposal>,
    pub contact: Option<String>,
    pub topics: Vec<String>,
    pub figures: Vec<RawFigure>,
    pub body: Body,
    /// The official original (https), shown on the document page.
    pub source_url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FigureKind {
    Actual,
    Target,
    /// A policy parameter (rate, cap, quota, award): never an achievement.
    Standard,
}

/// The time a figure refers to, when written explicitly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    Year(i32),
    Period(i32, i32),
    AsOf(jiff::civil::Date),
    /// `since` (a date; `true` when written as a year alone), until `as_of` if given.
    Since(jiff::civil::Date, bool, Option<jiff::civil::Date>),
    /// `time_text`: the source's own words for a vague span (近三年来).
    Text,
}

#[derive(Clone, Debug)]
pub struct RawFigure {
    /// The whole list item, for messages about the figure as a whole.
    pub span: Span,
    pub metric: Spanned<String>,
    pub value: Spanned<Value>,
    pub quote: Spanned<String>,
    pub region: Option<Spanned<String>>,
    pub program: Option<Spanned<String>>,
    pub brand: Option<Spanned<String>>,
    pub kind: FigureKind,
    pub when: Option<When>,
    pub unit: Option<Spanned<String>>,
    pub note: Option<String>,
    // What the figure means (DESIGN.md "What a figure means").
    /// `qualifier:` as written (`无` = exact); absent: detected from the quote.
    pub qualifier: Option<Spanned<String>>,
    pub subject: Option<String>,
    pub time_text: Option<String>,
    /// `reviewed: <reason>`: an editor checked this figure's warning against the source.
    pub reviewed: Option<String>,
    /// `id:` a name other figures refer to (`share_of`), unique in its document.
    pub id: Option<Spanned<String>>,
    /// `share_of: {part, whole}`: a percentage the build recomputes from two figures.
    pub share_of: Option<RawShareOf>,
}

/// `share_of` of a percentage figure: the figures it is part ÷ whole of, each an
/// `id` in the same document or `<document slug>#<id>`.
#[derive(Debug, Clone)]
pub struct RawShareOf {
    pub span: Span,
    pub part: Spanned<String>,
    pub whole: Spanned<String>,
}

pub const REGION_LEVELS: &[(&str, RegionLevel)] = &[
    ("country", RegionLevel::Country),
    ("province", RegionLevel::Province),
    ("city", RegionLevel::City),
    ("county", RegionLevel::County),
    ("district", RegionLevel::District),
    ("zone", RegionLevel::Zone),
];

pub const BRAND_LEVELS: &[(&str, BrandLevel)] = &[
    ("national", BrandLevel::National),
    ("provincial", BrandLevel::Provincial),
    ("city", BrandLevel::City),
    ("county", BrandLevel::County),
];

pub const DOC_KINDS: &[(&str, DocKind)] = &[
    ("policy", DocKind::Policy),
    ("work-plan", DocKind::WorkPlan),
    ("proposal-reply", DocKind::ProposalReply),
    ("notice", DocKind::Notice),
    ("report", DocKind::Report),
];

const FIGURE_KINDS: &[(&str, FigureKind)] = &[
    ("actual", FigureKind::Actual),
    ("target", FigureKind::Target),
    ("standard", FigureKind::Standard),
];
const RESULTS: &[(&str, &str)] = &[("A", "A"), ("B", "B"), ("C", "C")];

fn texts(items: Vec<Spanned<String>>) -> Vec<String> {
    items.into_iter().map(|s| s.value).collect()
}

fn opt(value: Option<Spanned<String>>) -> Option<String> {
    value.map(|s| s.value).filter(|s| !s.is_empty())
}

pub fn read_site(node: &Node, file: FileId, sink: &mut Diagnostics) -> Option<RawSite> {
    const FIELDS: &[&str] = &[
        "title",
        "description",
        "language",
        "base_url",
        "publisher",
        "icp",
        "theme",
        "navigation",
        "headline",
        "operator",
        "disclaimer",
        "data_license",
        "home",
    ];
    let f = Fields::new(node, "site.yaml ", FIELDS, sink)?;
    let title = f.required_text("title", sink);
    let base_url = f
        .required_text("base_url", sink)
        .and_then(|url| check_base_url(url, sink));
    let navigation = f.node("navigation").map(|n| read_navigation(n, sink));
    let headline = match f.node("headline") {
        Some(Node {
            kind: NodeKind::Seq(items),
            ..
        }) => items
            .iter()
            .filter_map(|item| read_headline(item, sink))
            .collect(),
        Some(other) => {
            sink.push(schema::wrong_type(other, "headline", "列表"));
            Vec::new()
        }
        None => Vec::new(),
    };
    // Read before any `?` below, so every field is checked (and recorded).
    let operator = opt(f.text("operator", sink));
    let disclaimer = opt(f.text("disclaimer", sink));
    let data_license = f.node("data_license").and_then(|n| read_license(n, sink));
    let home_map = f.node("home").and_then(|n| read_home(n, sink));
    Some(RawSite {
        file,
        title: title?.value,
        description: opt(f.text("description", sink)),
        language: opt(f.text("language", sink)).unwrap_or_else(|| "zh-CN".to_owned()),
        base_url: base_url?,
        publisher: opt(f.text("publisher", sink)),
        icp: opt(f.text("icp", sink)),
        theme: f
            .text("theme", sink)
            .and_then(|t| super::names::read_theme(t, sink)),
        navigation,
        headline,
        operator,
        disclaimer,
        data_license,
        home_map,
    })
}

fn read_license(node: &Node, sink: &mut Diagnostics) -> Option<RawLicense> {
    let f = Fields::new(node, "数据许可（data_license）", &["name", "url"], sink)?;
    let name = f.required_text("name", sink);
    let url = f.text("url", sink).and_then(|url| {
        let ok = url.value.starts_with("https://") || url.value.starts_with("http://");
        if !ok {
            sink.push(
                Diagnostic::error(
                    Code::BadUrl,
                    url.span,
                    format!("data_license 的 url “{}”不是完整网址", url.value),
                )
                .label("应以 https:// 开头")
                .help("写出许可协议全文的网址，例如 https://creativecommons.org/licenses/by/4.0/deed.zh-hans；没有就删除这一行"),
            );
            return None;
        }
        Some(url.value)
    });
    Some(RawLicense {
        name: opt(name)?,
        url,
    })
}

fn read_home(node: &Node, sink: &mut Diagnostics) -> Option<RawMapSpec> {
    let f = Fields::new(node, "首页设置（home）", &["map"], sink)?;
    let map = f.node("map")?;
    let f = Fields::new(
        map,
        "首页地图（home.map）",
        &["metric", "kind", "year"],
        sink,
    )?;
    let metric = f.required_text("metric", sink);
    let kind = f.choice("kind", FIGURE_KINDS, false, sink);
    let year = f.year("year", sink).map(|y| y.value);
    if let Some(k) = &kind
        && k.value == FigureKind::Standard
    {
        sink.push(
            Diagnostic::error(Code::BadEnum, k.span, "首页地图不能画政策标准（standard）")
                .label("标准不是完成数或目标")
                .help("写 `kind: actual`（完成）或 `kind: target`（目标）"),
        );
        return None;
    }
    Some(RawMapSpec {
        metric: metric?,
        kind: kind.map(|k| k.value),
        year,
    })
}

/// A host reserved for examples (RFC 2606, RFC 6761): `example.org`,
/// `skills.example.gov.cn` (any `example` label), `*.test`, `*.invalid`,
/// `*.localhost`. site.yaml ships with one until the site gets its domain.
pub fn is_placeholder_url(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    labels.contains(&"example")
        || matches!(labels.last(), Some(&("test" | "invalid" | "localhost")))
}

fn check_base_url(url: Spanned<String>, sink: &mut Diagnostics) -> Option<Spanned<String>> {
    let ok = (url.value.starts_with("https://") || url.value.starts_with("http://"))
        && url
            .value
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if ok {
        Some(url)
    } else {
        sink.push(
            Diagnostic::error(
                Code::BadUrl,
                url.span,
                format!("base_url “{}”不是完整网址", url.value),
            )
            .label("应以 https:// 开头")
            .help("写出站点发布后的完整地址，例如 https://example.gov.cn/skills/"),
        );
        None
    }
}

fn read_navigation(node: &Node, sink: &mut Diagnostics) -> Vec<NavItem> {
    let NodeKind::Seq(items) = &node.kind else {
        sink.push(schema::wrong_type(node, "navigation", "列表"));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let f = Fields::new(item, "导航项", &["name", "url"], sink)?;
            let name = f.required_text("name", sink)?;
            let url = f.required_text("url", sink)?;
            if let Err(why) = super::link::classify(&url.value) {
                sink.push(super::link::refused(&url.value, &why, url.span));
                return None;
            }
            if !url.value.starts_with('/') && !url.value.contains("://") {
                sink.push(
                    Diagnostic::error(
                        Code::BadUrl,
                        url.span,
                        format!("导航网址“{}”应从站点根目录写起", url.value),
                    )
                    .help("站内网址以 / 开头，例如 /regions/；站外网址写完整的 https://…"),
                );
                return None;
            }
            Some(NavItem {
                name: name.value,
                url: url.value,
            })
        })
        .collect()
}

fn read_headline(node: &Node, sink: &mut Diagnostics) -> Option<RawHeadline> {
    let f = Fields::new(
        node,
        "首页数字",
        &["metric", "region", "kind", "year"],
        sink,
    )?;
    let metric = f.required_text("metric", sink);
    let region = f.required_text("region", sink);
    let kind = f.choice("kind", FIGURE_KINDS, false, sink).map(|k| k.value);
    let year = f.year("year", sink).map(|y| y.value);
    Some(RawHeadline {
        metric: metric?,
        region: region?,
        kind,
        year,
    })
}

pub fn read_metrics(node: &Node, sink: &mut Diagnostics) -> Vec<RawMetric> {
    let NodeKind::Map(entries) = &node.kind else {
        sink.push(schema::wrong_type(
            node,
            "metrics.yaml",
            "“指标编号: {name, unit}”的映射",
        ));
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(key, value)| read_metric(key, value, sink))
        .collect()
}

fn read_metric(key: &Node, node: &Node, sink: &mut Diagnostics) -> Option<RawMetric> {
    let id = schema::text(key, "指标编号", sink)?;
    let valid_id = id
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_id {
        let suggestion: String = id
            .value
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        sink.push(
            Diagnostic::error(
                Code::BadMetricId,
                id.span,
                format!("指标编号“{}”应是小写英文和下划线", id.value),
            )
            .label("不合规的编号")
            .help(format!(
                "例如 `{}`（小写字母开头，只含 a-z、0-9 和 _）",
                suggestion.trim_matches('_')
            )),
        );
    }
    let f = Fields::new(
        node,
        "指标",
        &["name", "name_en", "unit", "description", "max", "additive"],
        sink,
    )?;
    let name = f.required_text("name", sink);
    let unit = f.required_text("unit", sink);
    let additive = f.node("additive").and_then(|n| read_additive(n, sink));
    let max = f
        .node("max")
        .and_then(|n| read_plain_number(n, "max", sink));
    if !valid_id {
        return None;
    }
    let unit = unit?.value;
    // A percentage cannot exceed 100 (DESIGN.md: "A `%` metric has an implicit max of 100").
    let max = max.or_else(|| (unit == "%").then(|| Decimal::from(100)));
    Some(RawMetric {
        id,
        name: name?.value,
        name_en: opt(f.text("name_en", sink)),
        unit,
        description: opt(f.text("description", sink)),
        max,
        additive,
    })
}

/// `additive: true|false` (是/否 also read): may this metric's figures be summed.
fn read_additive(node: &Node, sink: &mut Diagnostics) -> Option<bool> {
    let text = node.scalar_text().unwrap_or_default();
    match text.trim() {
        "true" | "是" => Some(true),
        "false" | "否" => Some(false),
        other => {
            sink.push(
                Diagnostic::error(
                    Code::BadValue,
                    node.span,
                    format!("`additive` 的值“{other}”应为 true 或 false"),
                )
                .label("应为 true 或 false")
                .help(
                    "几个地区或几年的数字相加有意义时写 `additive: true`（如培训人次）；\
                     人均数、平均数、比率等不能相加时写 `additive: false`",
                ),
            );
            None
        }
    }
}

fn read_plain_number(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Decimal> {
    let text = node.scalar_text().unwrap_or_default();
    match value::parse(&text) {
        Ok(v) if v.high.is_none() => Some(v.low),
        Ok(_) | Err(ValueError::Unreadable) => {
            sink.push(
                Diagnostic::error(
                    Code::BadValue,
                    node.span,
                    format!("`{name}` 的值“{text}”不是数字"),
                )
                .help(format!("例如 `{name}: 100000`")),
            );
            None
        }
        Err(ValueError::Negative) => {
            sink.push(Diagnostic::error(
                Code::NegativeValue,
                node.span,
                format!("`{name}` 不能是负数"),
            ));
            None
        }
    }
}

pub fn read_region(
    node: &Node,
    slug: Spanned<String>,
    sink: &mut Diagnostics,
) -> Option<RawRegion> {
    const FIELDS: &[&str] = &[
        "name",
        "short_name",
        "level",
        "parent",
        "aliases",
        "summary",
        "order",
    ];
    let f = Fields::new(node, "区域文件", FIELDS, sink)?;
    let name = f.required_text("name", sink);
    let level = f.choice("level", REGION_LEVELS, true, sink);
    let summary = f.text("summary", sink).inspect(|s| {
        super::link::check_markdown_field(&s.value, s.span, sink);
    });
    Some(RawRegion {
        slug,
        name: name?.value,
        short_name: opt(f.text("short_name", sink)),
        level: level?.value,
        parent: f.text("parent", sink),
        aliases: texts(f.text_list("aliases", sink)),
        summary_at: summary.as_ref().map(|s| s.span),
        summary: opt(summary),
        order: f.node("order").and_then(|n| read_order(n, sink)),
    })
}

/// `order: 3`: a whole number, 1 = first among its siblings.
fn read_order(node: &Node, sink: &mut Diagnostics) -> Option<i64> {
    let parsed = match &node.kind {
        NodeKind::Int(i) => Some(*i),
        NodeKind::Str(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    if let Some(i) = parsed.filter(|i| (0..=100_000).contains(i)) {
        return Some(i);
    }
    let written = node
        .scalar_text()
        .map_or_else(|| node.kind_name().to_owned(), |t| format!("“{t}”"));
    sink.push(
        Diagnostic::error(
            Code::WrongType,
            node.span,
            format!("`order` 应是 0 到 100000 之间的整数，这里是{written}"),
        )
        .label("应为整数")
        .help(
            "order 是这个区域在同级区域中的排列序号，按官方行政区划顺序写 1、2、3……（例如郑州 1、开封 2、洛阳 3）；不需要时删除这一行",
        ),
    );
    None
}

pub fn read_program(
    node: &Node,
    slug: Spanned<String>,
    body: Body,
    sink: &mut Diagnostics,
) -> Option<RawProgram> {
    const FIELDS: &[&str] = &[
        "name", "scope", "parent", "lead", "partners", "years", "brands", "topics",
    ];
    let f = Fields::new(node, "项目文件", FIELDS, sink)?;
    let name = f.required_text("name", sink);
    let scope = f.required_text("scope", sink);
    Some(RawProgram {
        slug,
        name: name?.value,
        scope: scope?,
        parent: f.text("parent", sink),
        lead: texts(f.text_list("lead", sink)),
        partners: texts(f.text_list("partners", sink)),
        years: f
            .year_list("years", sink)
            .into_iter()
            .map(|y| y.value)
            .collect(),
        brands: f.text_list("brands", sink),
        topics: super::names::read_topics(f.text_list("topics", sink), sink),
        body,
    })
}

pub fn read_brand(
    node: &Node,
    slug: Spanned<String>,
    body: Body,
    sink: &mut Diagnostics,
) -> Option<RawBrand> {
    const FIELDS: &[&str] = &[
        "name",
        "region",
        "level",
        "recognized_by",
        "year",
        "occupations",
        "training_base",
    ];
    let f = Fields::new(node, "品牌文件", FIELDS, sink)?;
    let name = f.required_text("name", sink);
    let region = f.required_text("region", sink);
    let level = f.choice("level", BRAND_LEVELS, true, sink);
    Some(RawBrand {
        slug,
        name: name?.value,
        region: region?,
        level: level?.value,
        recognized_by: opt(f.text("recognized_by", sink)),
        year: f.year("year", sink).map(|y| y.value),
        occupations: texts(f.text_list("occupations", sink)),
        training_base: opt(f.text("training_base", sink)),
        body,
    })
}

pub fn read_document(
    node: &Node,
    slug: Spanned<String>,
    body: Body,
    sink: &mut Diagnostics,
) -> Option<RawDocument> {
    const FIELDS: &[&str] = &[
        "title",
        "kind",
        "issuer",
        "region",
        "date",
        "doc_number",
        "signed_by",
        "proposal",
        "contact",
        "topics",
        "figures",
        "source_url",
    ];
    let f = Fields::new(node, "文件", FIELDS, sink)?;
    let title = f.required_text("title", sink);
    let kind = f.choice("kind", DOC_KINDS, true, sink);
    let region = f.required_text("region", sink);
    let date = f.date("date", sink);
    let proposal = read_proposal(&f, kind.as_ref(), sink);
    let figures = match f.node("figures") {
        Some(Node {
            kind: NodeKind::Seq(items),
            ..
        }) => items
            .iter()
            .filter_map(|item| read_figure(item, sink))
            .collect(),
        Some(other) => {
            sink.push(schema::wrong_type(
                other,
                "figures",
                "列表（每项以 - 开头）",
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    Some(RawDocument {
        slug,
        title: title?.value,
        kind: kind?.value,
        issuer: opt(f.text("issuer", sink)),
        region: region?,
        date: date.map(|d| d.value),
        doc_number: f.text("doc_number", sink),
        signed_by: opt(f.text("signed_by", sink)),
        proposal,
        contact: opt(f.text("contact", sink)),
        topics: super::names::read_topics(f.text_list("topics", sink), sink),
        figures,
        body,
        source_url: f
            .text("source_url", sink)
            .and_then(|u| check_source_url(u, sink)),
    })
}

/// `source_url` must be an absolute https address: readers follow it to the original.
fn check_source_url(url: Spanned<String>, sink: &mut Diagnostics) -> Option<String> {
    let rest = url.value.strip_prefix("https://").unwrap_or("");
    if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace) {
        return Some(url.value);
    }
    sink.push(
        Diagnostic::error(
            Code::BadUrl,
            url.span,
            format!("source_url “{}”不是完整的 https 网址", url.value),
        )
        .label("应以 https:// 开头")
        .help("写出官方原文的完整地址，例如 https://hrss.henan.gov.cn/2025/01-01/123.html"),
    );
    None
}

/// `proposal` is required for a proposal reply and an error on other kinds.
fn read_proposal(
    f: &Fields<'_>,
    kind: Option<&Spanned<DocKind>>,
    sink: &mut Diagnostics,
) -> Option<Proposal> {
    let is_reply = kind.map(|k| k.value == DocKind::ProposalReply);
    let node = f.node("proposal");
    match (is_reply, node) {
        (Some(true), None) => {
            let span = kind.map(|k| k.span).unwrap_or(f.span());
            sink.push(
                Diagnostic::error(
                    Code::ProposalField,
                    span,
                    "提案答复（proposal-reply）缺少 `proposal` 信息",
                )
                .label("提案答复")
                .help("添加 proposal: 下的 meeting、number、title、proposers（以及 result）"),
            );
            None
        }
        (Some(false), Some(node)) => {
            let span = f.key_span("proposal").unwrap_or(node.span);
            sink.push(
                Diagnostic::error(
                    Code::ProposalField,
                    span,
                    "只有提案答复（kind: proposal-reply）才能写 `proposal`",
                )
                .label("多余的字段")
                .help("若这是提案答复，把 kind 改为 proposal-reply；否则删除 proposal 一段"),
            );
            None
        }
        (_, Some(node)) => {
            let p = Fields::new(
                node,
                "提案信息",
                &["meeting", "number", "title", "proposers", "result"],
                sink,
            )?;
            let meeting = p.required_text("meeting", sink);
            let number = p.required_text("number", sink);
            let title = p.required_text("title", sink);
            let proposers = p
                .require("proposers", sink)
                .map(|_| texts(p.text_list("proposers", sink)));
            let result = p
                .choice("result", RESULTS, false, sink)
                .map(|r| r.value.to_owned());
            Some(Proposal {
                meeting: meeting?.value,
                number: number?.value,
                title: title?.value,
                proposers: proposers?,
                result,
            })
        }
        _ => None,
    }
}

fn read_figure(node: &Node, sink: &mut Diagnostics) -> Option<RawFigure> {
    const FIELDS: &[&str] = &[
        "metric",
        "value",
        "quote",
        "region",
        "program",
        "brand",
        "kind",
        "year",
        "period",
        "as_of",
        "unit",
        "note",
        // What the figure means (DESIGN.md).
        "qualifier",
        "subject",
        "since",
        "time_text",
        "reviewed",
        "id",
        "share_of",
    ];
    let f = Fields::new(node, "数字（figure）", FIELDS, sink)?;
    let metric = f.required_text("metric", sink);
    let value = f.require("value", sink).and_then(|n| read_value(n, sink));
    let quote = f.required_text("quote", sink);
    let kind = f
        .choice("kind", FIGURE_KINDS, false, sink)
        .map_or(FigureKind::Actual, |k| k.value);
    let when = read_when(&f, sink);
    let share_of = f.node("share_of").and_then(|n| read_share_of(n, sink));
    Some(RawFigure {
        span: node.span,
        metric: metric?,
        value: value?,
        quote: quote?,
        region: f.text("region", sink),
        program: f.text("program", sink),
        brand: f.text("brand", sink),
        kind,
        when: when.ok()?,
        unit: f.text("unit", sink),
        note: opt(f.text("note", sink)),
        qualifier: f
            .text("qualifier", sink)
            .and_then(|q| check_qualifier(q, sink)),
        subject: opt(f.text("subject", sink)),
        time_text: opt(f.text("time_text", sink)),
        reviewed: opt(f.text("reviewed", sink)),
        id: f.text("id", sink),
        share_of,
    })
}

fn read_share_of(node: &Node, sink: &mut Diagnostics) -> Option<RawShareOf> {
    let f = Fields::new(node, "占比来源（share_of）", &["part", "whole"], sink)?;
    let part = f.required_text("part", sink);
    let whole = f.required_text("whole", sink);
    Some(RawShareOf {
        span: node.span,
        part: part?,
        whole: whole?,
    })
}

/// Words a `qualifier:` may be: the detected ones (DESIGN.md) and 无 (exact).
pub const QUALIFIER_WORDS: &[&str] = &[
    "以上",
    "余",
    "多",
    "超过",
    "超",
    "逾",
    "不低于",
    "不少于",
    "至少",
    "不超过",
    "最高",
    "最高不超过",
    "以内",
    "以下",
    "不到",
    "近",
    "约",
    "左右",
    "接近",
    "无",
];

fn check_qualifier(q: Spanned<String>, sink: &mut Diagnostics) -> Option<Spanned<String>> {
    if QUALIFIER_WORDS.contains(&q.value.as_str()) {
        return Some(q);
    }
    sink.push(
        Diagnostic::error(
            Code::BadEnum,
            q.span,
            format!("`qualifier` 的值“{}”不是可识别的限定词", q.value),
        )
        .label("无效取值")
        .help(format!(
            "可选：{}（“无”表示原文数字是确数）",
            QUALIFIER_WORDS.join("、")
        )),
    );
    None
}

fn read_value(node: &Node, sink: &mut Diagnostics) -> Option<Spanned<Value>> {
    let Some(text) = node.scalar_text() else {
        sink.push(schema::wrong_type(node, "value", "数字"));
        return None;
    };
    match value::parse(&text) {
        Ok(v) => Some(Spanned::new(v, node.span)),
        Err(ValueError::Negative) => {
            sink.push(
                Diagnostic::error(
                    Code::NegativeValue,
                    node.span,
                    format!("数值“{text}”是负数"),
                )
                .label("负数")
                .help("人数、金额、个数不会是负数；若原文说“减少”，请写减少的数量并在 note 中说明"),
            );
            None
        }
        Err(ValueError::Unreadable) => {
            sink.push(
                Diagnostic::error(Code::BadValue, node.span, format!("无法识别数值“{text}”"))
                    .label("无法识别")
                    .help("可写 34.08万、2300万、8亿、75%、12,000 或范围 2万-15万；汉字数字请改写为阿拉伯数字"),
            );
            None
        }
    }
}

/// `Err` when the time was written wrongly (already reported); `Ok(None)` when absent.
fn read_when(f: &Fields<'_>, sink: &mut Diagnostics) -> Result<Option<When>, ()> {
    let present: Vec<&str> = ["year", "period", "as_of", "since", "time_text"]
        .into_iter()
        .filter(|k| f.has(k))
        .collect();
    // `since` may be combined with `as_of` (a count from then until that date).
    let since_until = present == ["as_of", "since"];
    if present.len() > 1 && !since_until {
        let span = f.key_span(present[1]).unwrap_or(f.span());
        sink.push(
            Diagnostic::error(
                Code::TimeConflict,
                span,
                format!("同一个数字同时写了 {}", present.join(" 和 ")),
            )
            .label("多余")
            .help("year（某一年）、period（起止年份，如 2022-2024）、as_of（截至日期）、since（某时以来）、time_text（原文的模糊时间）只保留一个；只有 since 可以与 as_of 同用"),
        );
        return Err(());
    }
    if let Some(y) = f.year("year", sink) {
        return Ok(Some(When::Year(y.value)));
    }
    if f.has("year") {
        return Err(());
    }
    if let Some(p) = f.text("period", sink) {
        let years: Vec<Option<i32>> = p
            .value
            .split(['-', '–', '—'])
            .map(|y| y.trim().parse().ok())
            .collect();
        return match years.as_slice() {
            [Some(a), Some(b)]
                if a < b && (1949..=2100).contains(a) && (1949..=2100).contains(b) =>
            {
                Ok(Some(When::Period(*a, *b)))
            }
            _ => {
                sink.push(
                    Diagnostic::error(
                        Code::BadYear,
                        p.span,
                        format!("period “{}”应写作“起始年-结束年”", p.value),
                    )
                    .label("无效的起止年份")
                    .help("例如 `period: 2022-2024`，起始年早于结束年"),
                );
                Err(())
            }
        };
    }
    if f.has("since") {
        let until = f.date("as_of", sink);
        if f.has("as_of") && until.is_none() {
            return Err(());
        }
        let since = read_since(f, sink)?;
        if let Some(until) = &until
            && until.value < since.0
        {
            sink.push(
                Diagnostic::error(
                    Code::BadDate,
                    until.span,
                    "as_of 早于 since：截至日期应在起始时间之后",
                )
                .label("早于起始时间")
                .help("核对 since 与 as_of 是否写反"),
            );
            return Err(());
        }
        return Ok(Some(When::Since(since.0, since.1, until.map(|u| u.value))));
    }
    if f.has("time_text") {
        return Ok(Some(When::Text));
    }
    if let Some(d) = f.date("as_of", sink) {
        return Ok(Some(When::AsOf(d.value)));
    }
    if f.has("as_of") {
        return Err(());
    }
    Ok(None)
}

/// `since: 2024` (from the start of that year) or `since: 2024-01-01`.
fn read_since(f: &Fields<'_>, sink: &mut Diagnostics) -> Result<(jiff::civil::Date, bool), ()> {
    let node = f.node("since").ok_or(())?;
    let text = node.scalar_text().unwrap_or_default();
    let text = text.trim();
    if text.len() == 4 {
        let year = f.year("since", sink).ok_or(())?;
        return jiff::civil::Date::new(year.value as i16, 1, 1)
            .map(|d| (d, true))
            .map_err(|_| ());
    }
    f.date("since", sink).map(|d| (d.value, false)).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::is_placeholder_url;

    #[test]
    fn placeholder_hosts_are_the_reserved_example_names() {
        for url in [
            "https://skills.example.gov.cn/",
            "https://example.org/skills/",
            "http://EXAMPLE.com",
            "https://site.test/",
            "http://a.localhost:8080/",
        ] {
            assert!(is_placeholder_url(url), "{url}");
        }
        for url in [
            "https://skills.henan.gov.cn/",
            "https://examples.org/",
            "http://127.0.0.1:8080/",
            "https://hrss.henan.gov.cn/example/",
        ] {
            assert!(!is_placeholder_url(url), "{url}");
        }
    }
}
