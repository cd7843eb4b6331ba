//! Stage 2: the resolved site. References are typed ids, required fields are
//! present, values are exact, and every figure's quote was found in its body.
//! Built by [`resolve`] from the raw records; read by `render/`.

pub mod citation;
mod figures;
mod resolve;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use crate::content::markdown::Highlight;
pub use crate::content::raw::{BrandLevel, DocKind, FigureKind, NavItem, Proposal, RegionLevel};
pub use crate::content::value::Value;
pub use resolve::resolve;

macro_rules! ids {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}
ids!(MetricId, RegionId, ProgramId, BrandId, DocId, FigureId);

#[derive(Debug)]
pub struct Site {
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
    pub root: RegionId,
    pub metrics: Vec<Metric>,
    pub regions: Vec<Region>,
    pub programs: Vec<Program>,
    pub brands: Vec<Brand>,
    pub documents: Vec<Document>,
    pub figures: Vec<Figure>,
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

#[derive(Debug)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    pub max: Option<Decimal>,
    pub figures: Vec<FigureId>,
}

#[derive(Debug)]
pub struct Region {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub level: RegionLevel,
    pub parent: Option<RegionId>,
    pub children: Vec<RegionId>,
    pub aliases: Vec<String>,
    /// Markdown.
    pub summary: Option<String>,
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
    pub figures: Vec<FigureId>,
    /// Quotes to mark in the body, sorted, not overlapping.
    pub highlights: Vec<Highlight>,
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
}

impl Time {
    /// The year to place the figure on a time axis, if any.
    pub fn year(self) -> Option<i32> {
        match self {
            Time::Year(y) | Time::Period(_, y) => Some(y),
            Time::AsOf(d) | Time::DocDate(d) => Some(d.year() as i32),
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
        }
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
