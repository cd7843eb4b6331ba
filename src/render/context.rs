//! View structs: what templates see. Built from the model, formatted for
//! readers (34.08万, 2024年, 目标/完成) so templates only lay things out.

use serde::Serialize;

use crate::model::*;

use super::urls::Urls;

#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_path: String,
    pub base_url: String,
    pub publisher: Option<String>,
    pub icp: Option<String>,
    /// Footer: who runs the site, and its relation to the issuing authorities.
    pub operator: Option<String>,
    pub disclaimer: Option<String>,
    /// Licence of the open data (name, URL if any).
    pub data_license: Option<Link>,
    pub nav: Vec<Link>,
    pub style_url: String,
    /// 适老化 rules (larger text, higher contrast), applied by the header toggle.
    pub large_style_url: String,
    pub search_url: String,
    pub search_script_url: String,
    /// Remembers the toggle across pages; the toggle works without it.
    pub script_url: String,
    pub icon_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct PageView {
    pub title: String,
    pub description: String,
    /// Path from the domain root, e.g. `/skills/regions/nanyang/`.
    pub url: String,
    pub canonical: String,
    /// Which nav entry is current (`/regions/` …), from the site root.
    pub section: String,
    /// 区域, 项目 …: shown with search results.
    pub kind: &'static str,
    pub breadcrumbs: Vec<Link>,
    /// False on a page that repeats what another page says first (a metric's
    /// per-region view or further page): left out of the search index, so a
    /// result leads to the page that says it, and the index stays smaller.
    pub searchable: bool,
}

impl PageView {
    /// The page, indexed for search only when `searchable`.
    pub fn searchable(mut self, searchable: bool) -> PageView {
        self.searchable = searchable;
        self
    }
}

#[derive(Serialize, Clone)]
pub struct FigureRow {
    pub anchor: String,
    pub metric: String,
    pub metric_url: String,
    pub region: String,
    pub region_url: String,
    pub program: Option<Link>,
    pub brand: Option<Link>,
    pub is_target: bool,
    /// actual | target | standard, for the CSS class.
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// Who the number is about when narrower than the region: part of its label.
    pub subject: Option<String>,
    pub qualifier: Option<String>,
    pub time: String,
    pub value: String,
    pub quote: String,
    pub source_title: String,
    pub source_url: String,
    pub note: Option<String>,
    pub over_max: bool,
    pub conflicting: bool,
    /// Why an editor accepted this figure's warning; shown beside the mark.
    pub reviewed: Option<String>,
}

/// Figures of one metric, for tables grouped by metric.
#[derive(Serialize)]
pub struct MetricGroup {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub url: String,
    pub rows: Vec<FigureRow>,
}

#[derive(Serialize, Clone)]
pub struct DocumentItem {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub issuer: Option<String>,
    pub date: String,
    pub doc_number: Option<String>,
    pub region: String,
    pub figure_count: usize,
}

#[derive(Serialize, Clone)]
pub struct RegionItem {
    pub name: String,
    pub url: String,
    pub level: &'static str,
    pub figure_count: usize,
    pub children: Vec<RegionItem>,
}

#[derive(Serialize, Clone)]
pub struct ProgramItem {
    pub name: String,
    pub url: String,
    pub scope: String,
    pub lead: String,
    pub figure_count: usize,
    pub children: Vec<ProgramItem>,
}

#[derive(Serialize, Clone)]
pub struct BrandItem {
    pub name: String,
    pub url: String,
    pub region: String,
    pub level: &'static str,
    pub occupations: String,
}

pub fn level_label(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Country => "国家",
        RegionLevel::Province => "省",
        RegionLevel::City => "省辖市",
        RegionLevel::County => "县（市）",
        RegionLevel::District => "区",
        RegionLevel::Zone => "功能区",
    }
}

pub fn brand_level_label(level: BrandLevel) -> &'static str {
    match level {
        BrandLevel::National => "国家级",
        BrandLevel::Provincial => "省级",
        BrandLevel::City => "市级",
        BrandLevel::County => "县级",
    }
}

pub fn doc_kind_label(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Policy => "政策文件",
        DocKind::WorkPlan => "工作方案",
        DocKind::ProposalReply => "提案答复",
        DocKind::Notice => "通知",
        DocKind::Report => "报告",
    }
}

pub fn date_label(date: Option<jiff::civil::Date>) -> String {
    date.map_or_else(
        || "未注明日期".to_owned(),
        |d| format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    )
}

/// A figure's value as the source writes it, qualifier and unit once: 近1万人,
/// 2300万元, 最高200万元, 75%.
pub fn value_label(figure: &Figure) -> String {
    figure.value_label()
}

/// 完成, 目标 or 标准: a standard is never shown as 完成.
pub fn kind_label(kind: FigureKind) -> &'static str {
    match kind {
        FigureKind::Actual => "完成",
        FigureKind::Target => "目标",
        FigureKind::Standard => "标准",
    }
}

/// `actual`, `target` or `standard`, as open data and CSS classes write it.
pub fn kind_slug(kind: FigureKind) -> &'static str {
    match kind {
        FigureKind::Actual => "actual",
        FigureKind::Target => "target",
        FigureKind::Standard => "standard",
    }
}

pub struct Views<'a> {
    pub site: &'a Site,
    pub urls: &'a Urls,
}

impl<'a> Views<'a> {
    pub fn figure_row(&self, id: FigureId) -> FigureRow {
        let site = self.site;
        let f = site.figure(id);
        let metric = site.metric(f.metric);
        let region = site.region(f.region);
        let document = site.document(f.document);
        FigureRow {
            anchor: f.anchor.clone(),
            metric: metric.name.clone(),
            metric_url: self.urls.metric(metric),
            region: region.name.clone(),
            region_url: self.urls.region(region),
            program: f.program.map(|p| Link {
                name: site.program(p).name.clone(),
                url: self.urls.program(site.program(p)),
            }),
            brand: f.brand.map(|b| Link {
                name: site.brand(b).name.clone(),
                url: self.urls.brand(site.brand(b)),
            }),
            is_target: f.kind == FigureKind::Target,
            kind: kind_slug(f.kind),
            kind_label: kind_label(f.kind),
            subject: f.subject.clone(),
            qualifier: f.qualifier.clone(),
            time: f.time_label(),
            value: value_label(f),
            quote: f.quote.clone(),
            source_title: document.title.clone(),
            source_url: format!("{}#{}", self.urls.document(document), f.quote_anchor),
            note: f.note.clone(),
            over_max: f.over_max,
            conflicting: f.conflicting,
            reviewed: f.reviewed.clone(),
        }
    }

    /// Rows sorted for reading: by metric order of first appearance, then time, targets after actuals.
    pub fn groups(&self, figures: &[FigureId]) -> Vec<MetricGroup> {
        let mut by_metric: Vec<(MetricId, Vec<FigureId>)> = Vec::new();
        for &id in figures {
            let m = self.site.figure(id).metric;
            match by_metric.iter_mut().find(|(k, _)| *k == m) {
                Some((_, list)) => list.push(id),
                None => by_metric.push((m, vec![id])),
            }
        }
        by_metric
            .into_iter()
            .map(|(m, mut ids)| {
                ids.sort_by_key(|&id| {
                    let f = self.site.figure(id);
                    (f.time, f.kind, f.region, id)
                });
                let metric = self.site.metric(m);
                MetricGroup {
                    id: metric.id.clone(),
                    name: metric.name.clone(),
                    unit: metric.unit.clone(),
                    url: self.urls.metric(metric),
                    rows: ids.into_iter().map(|id| self.figure_row(id)).collect(),
                }
            })
            .collect()
    }

    pub fn document_item(&self, id: DocId) -> DocumentItem {
        let d = self.site.document(id);
        DocumentItem {
            title: d.title.clone(),
            url: self.urls.document(d),
            kind: doc_kind_label(d.kind),
            issuer: d.issuer.clone(),
            date: date_label(d.date),
            doc_number: d.doc_number.clone(),
            region: self.site.region(d.region).name.clone(),
            figure_count: d.figures.len(),
        }
    }

    /// Documents newest first; undated last (DESIGN.md).
    pub fn documents_sorted(&self, ids: &[DocId]) -> Vec<DocumentItem> {
        let mut ids = ids.to_vec();
        ids.sort_by(|a, b| {
            let (da, db) = (self.site.document(*a), self.site.document(*b));
            db.date
                .is_some()
                .cmp(&da.date.is_some())
                .then(db.date.cmp(&da.date))
                .then(da.slug.cmp(&db.slug))
        });
        ids.into_iter().map(|id| self.document_item(id)).collect()
    }

    pub fn region_item(&self, id: RegionId, depth: usize) -> RegionItem {
        let r = self.site.region(id);
        RegionItem {
            name: r.name.clone(),
            url: self.urls.region(r),
            level: level_label(r.level),
            figure_count: r.figures.len(),
            children: if depth == 0 {
                Vec::new()
            } else {
                r.children
                    .iter()
                    .map(|&c| self.region_item(c, depth - 1))
                    .collect()
            },
        }
    }

    pub fn program_item(&self, id: ProgramId) -> ProgramItem {
        let p = self.site.program(id);
        ProgramItem {
            name: p.name.clone(),
            url: self.urls.program(p),
            scope: self.site.region(p.scope).name.clone(),
            lead: p.lead.join("、"),
            figure_count: p.figures.len(),
            children: p.children.iter().map(|&c| self.program_item(c)).collect(),
        }
    }

    pub fn brand_item(&self, id: BrandId) -> BrandItem {
        let b = self.site.brand(id);
        BrandItem {
            name: b.name.clone(),
            url: self.urls.brand(b),
            region: self.site.region(b.region).name.clone(),
            level: brand_level_label(b.level),
            occupations: b.occupations.join("、"),
        }
    }

    pub fn region_link(&self, id: RegionId) -> Link {
        let r = self.site.region(id);
        Link {
            name: r.name.clone(),
            url: self.urls.region(r),
        }
    }
}
