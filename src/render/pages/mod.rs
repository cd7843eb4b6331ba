//! Which pages the site has and how each is rendered. Each page kind has its
//! own file with a typed context (a `Serialize` struct): the template sees
//! exactly its fields.

mod brand;
mod document;
mod feeds;
mod home;
mod lists;
mod metric;

use metric::{view_further_paths, view_regions};
mod pagination;
mod program;
mod region;
mod topic;

use serde::Serialize;
use tera::{Context, Tera};

use crate::BuildError;
use crate::content::markdown;
use crate::model::*;

use super::charts::{self, Chart, ChartKind, ChartView, pick};
use super::context::*;
use super::theme::Theme;
use super::urls::Urls;

/// Bytes a page's buffer starts with: most pages fit, so it seldom grows.
const PAGE_BYTES_HINT: usize = 32 * 1024;

/// One output page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Home,
    Regions,
    Region(RegionId),
    Programs,
    Program(ProgramId),
    Brands,
    Brand(BrandId),
    Documents,
    Document(DocId),
    Metrics,
    Metric(MetricId),
    /// A long metric's list for one region and its direct children.
    MetricView(MetricId, RegionId),
    Topics,
    Topic(String),
    NotFound,
    Data,
    Search,
    Feed,
    Sitemap,
    Robots,
}

impl Page {
    /// The page's URL path from the site root (`regions/nanyang/`); `None` for
    /// files that are not pages of their own (404, feed, sitemap, robots).
    pub fn from_root(&self, site: &Site) -> Option<String> {
        Some(match self {
            Page::Home => String::new(),
            Page::Regions => "regions/".into(),
            Page::Region(id) => format!("regions/{}/", site.region(*id).slug),
            Page::Programs => "programs/".into(),
            Page::Program(id) => format!("programs/{}/", site.program(*id).slug),
            Page::Brands => "brands/".into(),
            Page::Brand(id) => format!("brands/{}/", site.brand(*id).slug),
            Page::Documents => "documents/".into(),
            Page::Document(id) => format!("documents/{}/", site.document(*id).slug),
            Page::Metrics => "metrics/".into(),
            Page::Metric(id) => format!("metrics/{}/", site.metric(*id).id),
            Page::MetricView(id, r) => {
                format!("metrics/{}/{}/", site.metric(*id).id, site.region(*r).slug)
            }
            Page::Topics => "topics/".into(),
            Page::Topic(t) => format!("topics/{}/", super::urls::encode_segment(t)),
            Page::Data => "data/".into(),
            Page::Search => "search/".into(),
            Page::NotFound | Page::Feed | Page::Sitemap | Page::Robots => return None,
        })
    }
}

/// The pages a page renders beyond its own URL (the further pages of a long
/// list), for the sitemap.
pub fn further_paths(site: &Site, page: &Page) -> Vec<String> {
    let list =
        |base: String, rows: usize| pagination::further_paths(&base, rows, pagination::PER_PAGE);
    match page {
        Page::Metric(id) => view_further_paths(site, *id, None),
        Page::MetricView(id, r) => view_further_paths(site, *id, Some(*r)),
        Page::Documents => list("documents/".into(), site.documents.len()),
        Page::Brands => list("brands/".into(), site.brands.len()),
        Page::Topic(t) => list(
            format!("topics/{}/", super::urls::encode_segment(t)),
            site.topics[t].documents.len(),
        ),
        _ => Vec::new(),
    }
}

pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Home,
        Page::Regions,
        Page::Programs,
        Page::Brands,
        Page::Documents,
        Page::Metrics,
        Page::Topics,
        Page::Data,
        Page::Search,
        Page::NotFound,
        Page::Feed,
        Page::Sitemap,
        Page::Robots,
    ];
    pages.extend((0..site.regions.len()).map(|i| Page::Region(RegionId(i))));
    pages.extend((0..site.programs.len()).map(|i| Page::Program(ProgramId(i))));
    pages.extend((0..site.brands.len()).map(|i| Page::Brand(BrandId(i))));
    pages.extend((0..site.documents.len()).map(|i| Page::Document(DocId(i))));
    for (i, m) in site.metrics.iter().enumerate() {
        pages.push(Page::Metric(MetricId(i)));
        // Each view is a page of its own: a save re-renders only the views
        // that list a changed figure, and a build spreads a long metric
        // over every core.
        pages.extend(
            view_regions(site, m)
                .into_iter()
                .map(|r| Page::MetricView(MetricId(i), r)),
        );
    }
    pages.extend(site.topics.keys().map(|t| Page::Topic(t.clone())));
    pages
}

pub struct Renderer<'a> {
    pub(super) site: &'a Site,
    tera: &'a Tera,
    pub(super) urls: Urls,
    /// The site's view in Tera's form, converted once: every page shows it,
    /// and a converted value is shared, not copied, by each page's context.
    site_view: tera::Value,
}

/// What a page renders to: the template, its path and its context.
pub(super) struct Out {
    path: String,
    template: &'static str,
    page: PageView,
    context: Context,
    /// Files that belong to the page (its charts' CSV).
    extra: Vec<(String, Vec<u8>)>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera, theme: &Theme) -> Self {
        let urls = Urls::new(&site.base_url, site.base_path());
        let nav = match &site.navigation {
            Some(items) => items
                .iter()
                .map(|i| Link {
                    name: i.name.clone(),
                    url: if i.url.starts_with('/') {
                        urls.path(&i.url)
                    } else {
                        i.url.clone()
                    },
                })
                .collect(),
            None => [
                ("首页", ""),
                ("区域", "regions/"),
                ("项目", "programs/"),
                ("品牌", "brands/"),
                ("文件", "documents/"),
                ("指标", "metrics/"),
                ("数据", "data/"),
            ]
            .into_iter()
            .map(|(name, path)| Link {
                name: name.to_owned(),
                url: urls.path(path),
            })
            .collect(),
        };
        let site_view = SiteView {
            title: site.title.clone(),
            description: site.description.clone().unwrap_or_default(),
            language: site.language.clone(),
            base_path: urls.base_path.clone(),
            base_url: urls.base_url.clone(),
            publisher: site.publisher.clone(),
            icp: site.icp.clone(),
            operator: site.operator.clone(),
            disclaimer: site.disclaimer.clone(),
            data_license: site.data_license.as_ref().map(|(name, url)| Link {
                name: name.clone(),
                url: url.clone().unwrap_or_default(),
            }),
            nav,
            search_url: urls.path("search/"),
            search_script_url: fingerprinted(&urls, theme, "assets/search.js"),
            style_url: fingerprinted(&urls, theme, "assets/style.css"),
            large_style_url: fingerprinted(&urls, theme, "assets/large.css"),
            script_url: fingerprinted(&urls, theme, "assets/a11y.js"),
            icon_url: fingerprinted(&urls, theme, "assets/icon.svg"),
        };
        Renderer {
            site,
            tera,
            urls,
            site_view: tera::Value::from_serializable(&site_view),
        }
    }

    pub(super) fn views(&self) -> Views<'_> {
        Views {
            site: self.site,
            urls: &self.urls,
        }
    }

    pub fn render(&self, page: &Page) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
        let outs = match page {
            // A long metric or list is several pages (views, further pages).
            Page::Metric(id) => self.metric(*id),
            Page::MetricView(id, r) => self.metric_region(*id, *r),
            Page::Documents => self.documents(),
            Page::Brands => self.brands(),
            Page::Topic(t) => self.topic(t),
            page => vec![match page {
                Page::Home => self.home(),
                Page::Regions => self.regions(),
                Page::Region(id) => self.region(*id),
                Page::Programs => self.programs(),
                Page::Program(id) => self.program(*id),
                Page::Brand(id) => self.brand(*id),
                Page::Document(id) => self.document(*id),
                Page::Metrics => self.metrics(),
                Page::Metric(_)
                | Page::MetricView(..)
                | Page::Documents
                | Page::Brands
                | Page::Topic(_) => {
                    unreachable!("handled above")
                }
                Page::Topics => self.topics(),
                Page::NotFound => self.not_found(),
                Page::Data => self.data(),
                Page::Search => self.search(),
                Page::Feed => self.feed(),
                Page::Sitemap => self.sitemap(),
                Page::Robots => {
                    let text = format!(
                        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                        self.urls.absolute("sitemap.xml")
                    );
                    return Ok(vec![("robots.txt".to_owned(), text.into_bytes())]);
                }
            }],
        };
        let mut files = Vec::new();
        for out in outs {
            let mut context = out.context;
            context.insert_value("site", self.site_view.clone());
            context.insert("page", &out.page);
            // Rendered as bytes: `Tera::render` checks its whole output as
            // UTF-8 to make a `String` (1.6 % of a national build), which
            // `render::text_of` does faster when the page is read.
            let mut html = Vec::with_capacity(PAGE_BYTES_HINT);
            self.tera
                .render_to(out.template, &context, &mut html)
                .map_err(|e| super::template_error(out.template, &e))?;
            files.extend(out.extra);
            files.push((out.path, html));
        }
        Ok(files)
    }

    pub(super) fn page(
        &self,
        title: &str,
        description: String,
        from_root: &str,
        section: &str,
        breadcrumbs: Vec<Link>,
    ) -> PageView {
        PageView {
            title: title.to_owned(),
            description: truncate_chars(&description, 120),
            url: self.urls.path(from_root),
            canonical: self.urls.absolute(from_root),
            section: self.urls.path(section),
            kind: kind_label(section),
            breadcrumbs,
            searchable: true,
        }
    }

    /// Editors' prose as HTML, its numbers linked to their figures' source
    /// sentences (`model::prose`): the one place every page kind renders prose.
    pub(super) fn prose_html(&self, owner: prose::Owner) -> Option<String> {
        let site = self.site;
        let (source, _) = prose::text_of(site, owner)?;
        let links: Vec<markdown::NumberLink> = prose::numbers(site, owner)
            .into_iter()
            .filter_map(|(q, found)| match found {
                prose::Found::Figure(id) => {
                    let f = site.figure(id);
                    let document = site.document(f.document);
                    Some(markdown::NumberLink {
                        text: q.text,
                        start: q.start,
                        end: q.end,
                        href: format!("{}#{}", self.urls.document(document), f.quote_anchor),
                        title: format!("原文：{}", document.title),
                    })
                }
                _ => None,
            })
            .collect();
        Some(markdown::to_html_linked(source, &self.urls.base_path, &links).html)
    }

    pub(super) fn crumb(&self, name: &str, from_root: &str) -> Link {
        Link {
            name: name.to_owned(),
            url: self.urls.path(from_root),
        }
    }
}

/// The agreement lines (`model::consistency`) shown on one page.
pub(super) fn agreements(site: &Site, holder: consistency::Holder) -> Vec<String> {
    site.agreements
        .iter()
        .filter(|a| a.holder == holder)
        .map(|a| format!("{}。", a.text))
        .collect()
}

/// A typed page context as Tera's context. Serialising a struct of strings,
/// numbers and lists cannot fail.
pub(super) fn to_context<T: Serialize>(context: &T) -> Context {
    Context::from_serialize(context).expect("a page context serialises to a map")
}

/// What kind of page a section holds, as search results name it.
pub(super) fn kind_label(section: &str) -> &'static str {
    match section.split('/').next().unwrap_or("") {
        "regions" => "区域",
        "programs" => "项目",
        "brands" => "品牌",
        "documents" => "政策文件",
        "metrics" => "指标",
        "topics" => "主题",
        "data" => "开放数据",
        "search" => "搜索",
        _ => "首页",
    }
}

/// 办理结果 as replies to proposals classify it: the letter alone means nothing to
/// most readers, so the standard meaning of each class follows it.
pub(super) fn result_label(result: &str) -> String {
    let meaning = match result {
        "A" => "所提问题已经解决或基本解决",
        "B" => "所提问题正在解决或已列入计划逐步解决",
        "C" => "所提问题因条件限制需今后研究解决或留作参考",
        _ => return result.to_owned(),
    };
    format!("{result}类（{meaning}）")
}

/// `assets/style.css?v=<hash>`: browsers cache the stylesheet until it changes.
fn fingerprinted(urls: &Urls, theme: &Theme, path: &str) -> String {
    let bytes = theme.static_file(path).unwrap_or_default();
    // FNV-1a: stable across runs and platforms, unlike std's randomised hasher.
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    });
    format!("{}?v={:08x}", urls.path(path), hash as u32)
}

pub(super) fn truncate_chars(text: &str, max: usize) -> String {
    let clean: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() <= max {
        clean
    } else {
        format!("{}…", clean.chars().take(max - 1).collect::<String>())
    }
}

/// Each chart's view for the page, and its data file.
pub(super) fn split_charts(charts: Vec<Chart>) -> (Vec<ChartView>, Vec<(String, Vec<u8>)>) {
    charts.into_iter().map(|c| (c.view, c.csv)).unzip()
}

/// The first sentence of a Markdown body, for meta descriptions.
pub(super) fn first_sentence(body: &str, fallback: &str) -> String {
    let text = markdown::plain_blocks(body)
        .into_iter()
        .find(|b| !b.trim().is_empty())
        .unwrap_or_default();
    let sentence: String = text.split_inclusive('。').next().unwrap_or("").to_owned();
    if sentence.trim().is_empty() {
        fallback.to_owned()
    } else {
        sentence
    }
}
