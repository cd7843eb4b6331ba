//! Stage 2: the resolved site. References are typed ids, required fields are
//! present, values are exact, and every figure's quote was found in its body.
//! Built by [`resolve`] from the raw records; read by `render/`.

pub mod citation;
pub mod compare;
pub mod consistency;
mod figures;
pub mod prose;
mod resolve;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use crate::content::markdown::Highlight;
pub use crate::content::raw::{BrandLevel, DocKind, FigureKind, NavItem, Proposal, RegionLevel};
pub use crate::content::value::Value;
pub use figures::QuoteCache;
pub use resolve::{resolve, resolve_cached};

macro_rules! ids {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}
ids!(MetricId, RegionId, ProgramId, BrandId, DocId, FigureId);

#[derive(Debug)]
pub struct Site {
    /// Units a number in editors' prose may carry (`prose::units`), found once
    /// per site rather than once per page of prose.
    pub prose_units: Vec<String>,
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    pub publisher: Option<String>,
    /// ICP 备案号 shown in the footer.
    pub icp: Option<String>,
    pub theme: Option<String>,
    pub navigation: Option<Vec<NavItem>>,
    pub headline: Vec<Headline>,
    /// Who runs the site and its relation to the issuing authorities (footer).
    pub operator: Option<String>,
    pub disclaimer: Option<String>,
    /// Licence of the open data: (name, URL).
    pub data_license: Option<(String, Option<String>)>,
    /// What the home page's tile map shows (`home.map`); `None`: chosen from the data.
    pub home_map: Option<MapSpec>,
    pub root: RegionId,
    pub metrics: Vec<Metric>,
    pub regions: Vec<Region>,
    pub programs: Vec<Program>,
    pub brands: Vec<Brand>,
    pub documents: Vec<Document>,
    pub figures: Vec<Figure>,
    /// Totals checked against their parts (program and sub-programs, region and
    /// its children) that agree: one line each on the total's page.
    pub agreements: Vec<consistency::Agreement>,
    /// Topic text → what is filed under it, sorted by topic.
    pub topics: BTreeMap<String, Topic>,
}

#[derive(Debug)]
pub struct Headline {
    pub metric: MetricId,
    pub region: RegionId,
    pub kind: Option<FigureKind>,
    pub year: Option<i32>,
}

/// `home: {map: {metric, kind, year}}` of site.yaml.
#[derive(Debug, Clone, Copy)]
pub struct MapSpec {
    pub metric: MetricId,
    /// Actual (default) or target.
    pub kind: FigureKind,
    pub year: Option<i32>,
}

#[derive(Debug)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    pub max: Option<Decimal>,
    /// Whether figures may be added up: across regions, parts or years.
    pub additive: bool,
    pub figures: Vec<FigureId>,
}

/// A metric without `additive:` is summed unless its unit or name says it is a
/// rate, a share or an average (元/月, %, 人均…): not summing is never false,
/// summing an average is.
pub fn additive_by_default(name: &str, unit: &str) -> bool {
    let rate_unit = unit.contains(['/', '%', '％']);
    let rate_name = ["人均", "平均", "均值", "率", "比例", "占比", "比重"]
        .iter()
        .any(|w| name.contains(w));
    !(rate_unit || rate_name)
}

#[derive(Debug)]
pub struct Region {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub level: RegionLevel,
    pub parent: Option<RegionId>,
    /// In administrative order (`order`, then file order).
    pub children: Vec<RegionId>,
    /// `order` of the region file, if given.
    pub order: Option<i64>,
    pub aliases: Vec<String>,
    /// Markdown.
    pub summary: Option<String>,
    /// Where the summary stands in its region file (for link diagnostics).
    pub summary_at: Option<crate::diag::Span>,
    /// Figures about this region (not its children).
    pub figures: Vec<FigureId>,
    pub documents: Vec<DocId>,
    pub programs: Vec<ProgramId>,
    pub brands: Vec<BrandId>,
}

impl Region {
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug)]
pub struct Program {
    pub slug: String,
    pub name: String,
    pub scope: RegionId,
    pub parent: Option<ProgramId>,
    pub children: Vec<ProgramId>,
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    pub years: Vec<i32>,
    pub brands: Vec<BrandId>,
    pub topics: Vec<String>,
    pub body: String,
    /// Where the body starts in its file, for messages about links in it.
    pub body_at: crate::diag::Span,
    /// The links written in the body, as read when it was loaded.
    pub body_links: crate::content::markdown::Links,
    pub figures: Vec<FigureId>,
}

#[derive(Debug)]
pub struct Brand {
    pub slug: String,
    pub name: String,
    pub region: RegionId,
    pub level: BrandLevel,
    pub recognized_by: Option<String>,
    pub year: Option<i32>,
    pub occupations: Vec<String>,
    pub training_base: Option<String>,
    pub body: String,
    pub body_at: crate::diag::Span,
    pub body_links: crate::content::markdown::Links,
    pub figures: Vec<FigureId>,
    pub programs: Vec<ProgramId>,
}

#[derive(Debug)]
pub struct Document {
    pub slug: String,
    pub title: String,
    pub kind: DocKind,
    /// 发文机关
    pub issuer: Option<String>,
    pub region: RegionId,
    /// 成文日期
    pub date: Option<jiff::civil::Date>,
    /// 发文字号
    pub doc_number: Option<String>,
    /// 签发人
    pub signed_by: Option<String>,
    pub proposal: Option<Proposal>,
    pub contact: Option<String>,
    pub topics: Vec<String>,
    pub body: String,
    pub body_at: crate::diag::Span,
    pub body_links: crate::content::markdown::Links,
    pub figures: Vec<FigureId>,
    /// Quotes to mark in the body, sorted, not overlapping.
    pub highlights: Vec<Highlight>,
    /// The official original (https).
    pub source_url: Option<String>,
}

/// The time a figure refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Time {
    Year(i32),
    Period(i32, i32),
    AsOf(jiff::civil::Date),
    /// No time given: as of the document's date.
    DocDate(jiff::civil::Date),
    /// No time given and the document is undated.
    Undated,
    /// A count since a date (`true`: written as a year alone) until a date
    /// (`as_of`, or the document's), if known.
    Since(jiff::civil::Date, bool, Option<jiff::civil::Date>),
    /// The source's own words for a vague span (`Figure::time_text`), placed
    /// on a time axis by the document's date.
    Vague(Option<jiff::civil::Date>),
}

impl Time {
    /// The year to place the figure on a time axis, if any.
    pub fn year(self) -> Option<i32> {
        match self {
            Time::Year(y) | Time::Period(_, y) => Some(y),
            Time::AsOf(d) | Time::DocDate(d) => Some(d.year() as i32),
            Time::Since(from, _, until) => Some(until.unwrap_or(from).year() as i32),
            Time::Vague(d) => d.map(|d| d.year() as i32),
            Time::Undated => None,
        }
    }

    pub fn label(self) -> String {
        match self {
            Time::Year(y) => format!("{y}年"),
            Time::Period(a, b) => format!("{a}—{b}年"),
            Time::AsOf(d) | Time::DocDate(d) => {
                format!("截至{}年{}月{}日", d.year(), d.month(), d.day())
            }
            Time::Undated => "时间未注明".to_owned(),
            Time::Since(from, year_only, until) => {
                let start = if year_only {
                    format!("{}年以来", from.year())
                } else {
                    format!("{}年{}月{}日以来", from.year(), from.month(), from.day())
                };
                match until {
                    Some(d) => format!("{start}（截至{}年{}月{}日）", d.year(), d.month(), d.day()),
                    None => start,
                }
            }
            // Only the figure knows the words; see `Figure::time_label`.
            Time::Vague(_) => "时间未注明".to_owned(),
        }
    }
}

/// How the source bounds its number (DESIGN.md: qualifier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    /// 以上, 余, 多, 超过, 不低于 …: at least the number.
    Lower,
    /// 不超过, 最高, 以内, 不到 …: at most the number.
    Upper,
    /// 近, 约, 左右, 接近: about the number.
    About,
}

impl Bound {
    /// The bound a qualifier word states; `None` for an unknown word or 无.
    pub fn of(word: &str) -> Option<Bound> {
        Some(match word {
            "以上" | "余" | "多" | "超过" | "超" | "逾" | "不低于" | "不少于" | "至少" => {
                Bound::Lower
            }
            "不超过" | "最高" | "最高不超过" | "以内" | "以下" | "不到" => {
                Bound::Upper
            }
            "近" | "约" | "左右" | "接近" => Bound::About,
            _ => return None,
        })
    }
}

#[derive(Debug)]
pub struct Figure {
    pub document: DocId,
    pub metric: MetricId,
    pub region: RegionId,
    pub program: Option<ProgramId>,
    pub brand: Option<BrandId>,
    pub kind: FigureKind,
    pub time: Time,
    /// The unit the value is written in (the metric's unless the figure says otherwise).
    pub unit: String,
    pub value: Value,
    /// `value` converted to the metric's unit: what charts and tables compare.
    pub in_metric_unit: Decimal,
    pub in_metric_unit_high: Option<Decimal>,
    pub quote: String,
    pub note: Option<String>,
    /// The qualifier word (以上, 近 …) as written or detected; `None`: exact.
    pub qualifier: Option<String>,
    /// The number as the quote writes it, with its qualifier and unit (近1万人).
    pub value_written: String,
    /// Who the number is about when narrower than the region (一所学院).
    pub subject: Option<String>,
    /// The source's words for a vague time (近三年来), with `Time::Vague`.
    pub time_text: Option<String>,
    /// The figure in its file, for messages that cite it.
    pub span: crate::diag::Span,
    /// Above the metric's `max`: shown with 原文如此.
    pub over_max: bool,
    /// Another figure with the same metric, region, program, brand, kind and time disagrees.
    pub conflicting: bool,
    /// An editor's reason for accepting this figure's warning (`reviewed:`).
    pub reviewed: Option<String>,
    /// `f-N`: the figure's row in its document's figure table.
    pub anchor: String,
    /// `q-N`: the highlighted sentence in the document body.
    pub quote_anchor: String,
    /// `id:` the name `share_of` refers to, unique in its document.
    pub id: Option<crate::diag::Spanned<String>>,
    /// `share_of`: a percentage recomputed from two figures (`consistency`).
    pub share_of: Option<crate::content::raw::RawShareOf>,
}

impl Figure {
    /// How the figure bounds its value, from its qualifier.
    pub fn bound(&self) -> Option<Bound> {
        self.qualifier.as_deref().and_then(Bound::of)
    }

    /// The time as readers should see it: the source's own words for a vague span.
    pub fn time_label(&self) -> String {
        match (&self.time, &self.time_text) {
            (Time::Vague(_), Some(words)) => words.clone(),
            _ => self.time.label(),
        }
    }

    /// The value as the source writes it, unit once: 近1万人, 500余家, 最高200万元.
    /// The unit is added only where the quote's words end at the number
    /// (1万, 500余), never after a measure word or a qualifier (15名, 6500元以上).
    pub fn value_label(&self) -> String {
        let bare = crate::content::value::after_number(&self.value_written).is_empty();
        if self.value_written.contains(self.unit.as_str()) || !bare {
            self.value_written.clone()
        } else {
            format!("{}{}", self.value_written, self.unit)
        }
    }
}

#[derive(Debug, Default)]
pub struct Topic {
    pub documents: Vec<DocId>,
    pub programs: Vec<ProgramId>,
}

impl Site {
    pub fn metric(&self, id: MetricId) -> &Metric {
        &self.metrics[id.0]
    }
    pub fn region(&self, id: RegionId) -> &Region {
        &self.regions[id.0]
    }
    pub fn program(&self, id: ProgramId) -> &Program {
        &self.programs[id.0]
    }
    pub fn brand(&self, id: BrandId) -> &Brand {
        &self.brands[id.0]
    }
    pub fn document(&self, id: DocId) -> &Document {
        &self.documents[id.0]
    }
    pub fn figure(&self, id: FigureId) -> &Figure {
        &self.figures[id.0]
    }

    /// The region and every region above it, nearest first.
    pub fn region_and_ancestors(&self, id: RegionId) -> impl Iterator<Item = RegionId> + '_ {
        std::iter::successors(Some(id), |&r| self.region(r).parent)
    }

    /// The program and every program above it, nearest first.
    pub fn program_and_ancestors(&self, id: ProgramId) -> impl Iterator<Item = ProgramId> + '_ {
        std::iter::successors(Some(id), |&p| self.program(p).parent)
    }

    /// The path part of `base_url` (`/` or `/skills/`), prefixed to every internal link.
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

#[cfg(test)]
mod additive_tests {
    use super::additive_by_default;

    #[test]
    fn averages_rates_and_shares_are_not_summed_by_default() {
        assert!(additive_by_default("职业技能培训", "人次"));
        assert!(additive_by_default("奖补资金", "万元"));
        assert!(!additive_by_default("持证人员人均月收入", "元/月"));
        assert!(!additive_by_default("人均年收入", "元"));
        assert!(!additive_by_default("培训合格率", "%"));
        assert!(!additive_by_default("高技能人才占技能人才比例", "%"));
        assert!(!additive_by_default("就业率", "个"));
    }
}
