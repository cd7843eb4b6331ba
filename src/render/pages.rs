//! Which pages the site has, and the context each template receives.

use serde::Serialize;
use tera::{Context, Tera};

use crate::BuildError;
use crate::content::markdown;
use crate::model::*;

use super::charts::{self, Chart, ChartKind, ChartView, pick};
use super::context::*;
use super::theme::Theme;
use super::urls::Urls;

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
            Page::Topics => "topics/".into(),
            Page::Topic(t) => format!("topics/{}/", super::urls::encode_segment(t)),
            Page::Data => "data/".into(),
            Page::Search => "search/".into(),
            Page::NotFound | Page::Feed | Page::Sitemap | Page::Robots => return None,
        })
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
    pages.extend((0..site.metrics.len()).map(|i| Page::Metric(MetricId(i))));
    pages.extend(site.topics.keys().map(|t| Page::Topic(t.clone())));
    pages
}

pub struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    urls: Urls,
    site_view: SiteView,
}

/// What a page renders to: the template, its path and its context.
struct Out {
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
            site_view,
        }
    }

    fn views(&self) -> Views<'_> {
        Views {
            site: self.site,
            urls: &self.urls,
        }
    }

    pub fn render(&self, page: &Page) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
        let out = match page {
            Page::Home => self.home(),
            Page::Regions => self.regions(),
            Page::Region(id) => self.region(*id),
            Page::Programs => self.programs(),
            Page::Program(id) => self.program(*id),
            Page::Brands => self.brands(),
            Page::Brand(id) => self.brand(*id),
            Page::Documents => self.documents(),
            Page::Document(id) => self.document(*id),
            Page::Metrics => self.metrics(),
            Page::Metric(id) => self.metric(*id),
            Page::Topics => self.topics(),
            Page::Topic(t) => self.topic(t),
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
        };
        let mut context = out.context;
        context.insert("site", &self.site_view);
        context.insert("page", &out.page);
        let html = self
            .tera
            .render(out.template, &context)
            .map_err(|e| super::template_error(out.template, &e))?;
        let mut files = out.extra;
        files.push((out.path, html.into_bytes()));
        Ok(files)
    }

    fn page(
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
        }
    }

    fn crumb(&self, name: &str, from_root: &str) -> Link {
        Link {
            name: name.to_owned(),
            url: self.urls.path(from_root),
        }
    }

    fn home(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let mut context = Context::new();
        let root = site.root;
        context.insert("headline", &self.headline_rows());
        context.insert("root", &views.region_link(root));
        let all_docs: Vec<DocId> = (0..site.documents.len()).map(DocId).collect();
        let mut latest = views.documents_sorted(&all_docs);
        latest.truncate(6);
        context.insert("latest", &latest);
        let brands: Vec<BrandItem> = (0..site.brands.len())
            .map(|i| views.brand_item(BrandId(i)))
            .collect();
        context.insert("brands", &brands);
        let regions: Vec<RegionItem> = site
            .region(root)
            .children
            .iter()
            .map(|&c| views.region_item(c, 0))
            .collect();
        context.insert("regions", &regions);
        // Programs with figures of their own, in file order.
        let top_programs: Vec<ProgramItem> = (0..site.programs.len())
            .filter(|&i| !site.programs[i].figures.is_empty())
            .map(|i| views.program_item(ProgramId(i)))
            .collect();
        context.insert("programs", &top_programs);
        context.insert(
            "counts",
            &[
                ("区域", site.regions.len()),
                ("项目", site.programs.len()),
                ("品牌", site.brands.len()),
                ("文件", site.documents.len()),
                ("数字", site.figures.len()),
            ],
        );
        let (charts, mut extra) = split_charts(
            self.main_program()
                .map(|p| self.program_children_charts(p))
                .unwrap_or_default(),
        );
        context.insert("charts", &charts);
        let progress = pick::target_actual_chart(
            site,
            &self.urls,
            "home-target-actual",
            &format!("{}：目标完成情况", site.region(root).name),
            &site.region(root).figures,
            true,
        );
        let (progress, more) = split_charts(progress.into_iter().collect());
        extra.extend(more);
        context.insert("progress", &progress);
        let (map, more) = split_charts(pick::henan_map(site, &self.urls).into_iter().collect());
        extra.extend(more);
        context.insert("map", &map);
        let description = site
            .description
            .clone()
            .unwrap_or_else(|| format!("{}：技能培训工作的目标、成效与原始文件", site.title));
        Out {
            path: "index.html".into(),
            template: "index.html",
            page: self.page(&site.title, description, "", "", vec![]),
            context,
            extra,
        }
    }

    /// The home page figures: `headline` of site.yaml, or the root region's
    /// figures of the latest year (DESIGN.md).
    fn headline_rows(&self) -> Vec<FigureRow> {
        let site = self.site;
        let views = self.views();
        let ids: Vec<FigureId> = if site.headline.is_empty() {
            let root = site.region(site.root);
            let latest = root
                .figures
                .iter()
                .filter_map(|&f| site.figure(f).time.year())
                .max();
            // The region's own totals: program and brand figures have their own pages.
            root.figures
                .iter()
                .copied()
                .filter(|&f| {
                    let fig = site.figure(f);
                    fig.time.year() == latest && fig.program.is_none() && fig.brand.is_none()
                })
                .collect()
        } else {
            site.headline
                .iter()
                .filter_map(|h| {
                    site.region(h.region).figures.iter().copied().find(|&f| {
                        let fig = site.figure(f);
                        fig.metric == h.metric
                            && h.kind.is_none_or(|k| fig.kind == k)
                            && h.year.is_none_or(|y| fig.time.year() == Some(y))
                    })
                })
                .collect()
        };
        ids.into_iter()
            .take(12)
            .map(|id| views.figure_row(id))
            .collect()
    }

    fn regions(&self) -> Out {
        let views = self.views();
        let mut context = Context::new();
        context.insert("tree", &views.region_item(self.site.root, 8));
        let (charts, extra) =
            split_charts(pick::henan_map(self.site, &self.urls).into_iter().collect());
        context.insert("charts", &charts);
        let description = format!(
            "{}各地区技能工作的数字与文件",
            self.site.region(self.site.root).name
        );
        Out {
            path: "regions/index.html".into(),
            template: "regions.html",
            page: self.page("区域", description, "regions/", "regions/", vec![]),
            context,
            extra,
        }
    }

    fn region(&self, id: RegionId) -> Out {
        let site = self.site;
        let views = self.views();
        let region = site.region(id);
        let mut context = Context::new();
        let mut ancestors: Vec<Link> = site
            .region_and_ancestors(id)
            .skip(1)
            .map(|p| views.region_link(p))
            .collect();
        ancestors.reverse();
        context.insert("name", &region.name);
        context.insert("level", level_label(region.level));
        context.insert("aliases", &region.aliases.join("、"));
        context.insert(
            "summary",
            &region
                .summary
                .as_deref()
                .map(|s| markdown::to_html_at(s, &[], &self.urls.base_path).html),
        );
        context.insert("groups", &views.groups(&region.figures));
        context.insert("children_figures", &self.children_comparison(id));
        let (charts, mut extra) = split_charts(self.region_children_charts(id));
        context.insert("charts", &charts);
        let prefix = format!("region-{}", region.slug);
        let mut own = pick::target_actual_chart(
            site,
            &self.urls,
            &format!("{prefix}-target-actual"),
            &format!("{}：目标完成情况", region.name),
            &region.figures,
            true,
        )
        .into_iter()
        .collect::<Vec<_>>();
        own.extend(pick::over_time_charts(
            site,
            &self.urls,
            &prefix,
            &region.figures,
        ));
        let (own, more) = split_charts(own);
        extra.extend(more);
        context.insert("own_charts", &own);
        context.insert(
            "children",
            &region
                .children
                .iter()
                .map(|&c| views.region_item(c, 0))
                .collect::<Vec<_>>(),
        );
        context.insert(
            "programs",
            &region
                .programs
                .iter()
                .map(|&p| views.program_item(p))
                .collect::<Vec<_>>(),
        );
        context.insert(
            "brands",
            &region
                .brands
                .iter()
                .map(|&b| views.brand_item(b))
                .collect::<Vec<_>>(),
        );
        context.insert("documents", &views.documents_sorted(&region.documents));
        let mut crumbs = vec![self.crumb("区域", "regions/")];
        crumbs.extend(ancestors);
        // Summaries of neighbouring cities can read alike ("河南省辖市，地处豫东。…"):
        // the name in front keeps every description unique and self-explaining.
        let description = match &region.summary {
            Some(summary) if summary.trim_start().starts_with(&region.name) => summary.clone(),
            Some(summary) => format!("{}：{summary}", region.name),
            None => format!(
                "{}的技能培训数字、项目、人力资源品牌与原始文件",
                region.name
            ),
        };
        Out {
            path: format!("regions/{}/index.html", region.slug),
            template: "region.html",
            page: self.page(
                &region.name,
                description,
                &format!("regions/{}/", region.slug),
                "regions/",
                crumbs,
            ),
            context,
            extra,
        }
    }

    /// The children's figures side by side, per metric: never summed into the parent.
    fn children_comparison(&self, id: RegionId) -> Vec<MetricGroup> {
        let site = self.site;
        let region = site.region(id);
        let figures: Vec<FigureId> = region
            .children
            .iter()
            .flat_map(|&c| site.region(c).figures.iter().copied())
            .collect();
        let mut groups = self.views().groups(&figures);
        for g in &mut groups {
            g.rows
                .sort_by(|a, b| a.region.cmp(&b.region).then(a.time.cmp(&b.time)));
        }
        groups
    }

    fn programs(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let roots: Vec<ProgramItem> = (0..site.programs.len())
            .filter(|&i| site.programs[i].parent.is_none())
            .map(|i| views.program_item(ProgramId(i)))
            .collect();
        let mut context = Context::new();
        context.insert("programs", &roots);
        // The same charts as on the home page, under their own ids and CSV files.
        let charts = self
            .main_program()
            .map(|p| self.program_children_charts(p))
            .unwrap_or_default();
        let (charts, _) = split_charts(charts);
        context.insert("charts", &charts);
        Out {
            path: "programs/index.html".into(),
            template: "programs.html",
            page: self.page(
                "项目",
                "技能培训专项计划、工程与行动的目标和完成情况".into(),
                "programs/",
                "programs/",
                vec![],
            ),
            context,
            extra: Vec::new(),
        }
    }

    fn program(&self, id: ProgramId) -> Out {
        let site = self.site;
        let views = self.views();
        let p = site.program(id);
        let mut context = Context::new();
        context.insert("name", &p.name);
        context.insert("scope", &views.region_link(p.scope));
        context.insert(
            "parent",
            &p.parent.map(|x| Link {
                name: site.program(x).name.clone(),
                url: self.urls.program(site.program(x)),
            }),
        );
        context.insert("lead", &p.lead);
        context.insert("partners", &p.partners);
        context.insert(
            "years",
            &p.years
                .iter()
                .map(|y| format!("{y}年"))
                .collect::<Vec<_>>()
                .join("、"),
        );
        context.insert(
            "body",
            &markdown::to_html_at(&p.body, &[], &self.urls.base_path).html,
        );
        context.insert("groups", &views.groups(&p.figures));
        context.insert(
            "children",
            &p.children
                .iter()
                .map(|&c| views.program_item(c))
                .collect::<Vec<_>>(),
        );
        let child_figures: Vec<FigureId> = p
            .children
            .iter()
            .flat_map(|&c| site.program(c).figures.iter().copied())
            .collect();
        context.insert("children_groups", &views.groups(&child_figures));
        let (charts, mut extra) = split_charts(self.program_children_charts(id));
        context.insert("charts", &charts);
        let own = pick::target_actual_chart(
            site,
            &self.urls,
            &format!("program-{}-target-actual", p.slug),
            &format!("{}：目标完成情况", p.name),
            &p.figures,
            false,
        );
        let (own, more) = split_charts(own.into_iter().collect());
        extra.extend(more);
        context.insert("own_charts", &own);
        context.insert(
            "brands",
            &p.brands
                .iter()
                .map(|&b| views.brand_item(b))
                .collect::<Vec<_>>(),
        );
        context.insert("topics", &self.topic_links(&p.topics));
        let mut sources: Vec<DocId> = p.figures.iter().map(|&f| site.figure(f).document).collect();
        sources.sort();
        sources.dedup();
        context.insert("documents", &views.documents_sorted(&sources));
        let mut crumbs = vec![self.crumb("项目", "programs/")];
        if let Some(parent) = p.parent {
            crumbs.push(Link {
                name: site.program(parent).name.clone(),
                url: self.urls.program(site.program(parent)),
            });
        }
        Out {
            path: format!("programs/{}/index.html", p.slug),
            template: "program.html",
            page: self.page(
                &p.name,
                first_sentence(&p.body, &p.name),
                &format!("programs/{}/", p.slug),
                "programs/",
                crumbs,
            ),
            context,
            extra,
        }
    }

    fn brands(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let mut levels: Vec<(BrandLevel, Vec<BrandItem>)> = Vec::new();
        let mut order: Vec<usize> = (0..site.brands.len()).collect();
        order.sort_by_key(|&i| (site.brands[i].level, site.brands[i].region, i));
        for i in order {
            let level = site.brands[i].level;
            match levels.last_mut() {
                Some((l, items)) if *l == level => items.push(views.brand_item(BrandId(i))),
                _ => levels.push((level, vec![views.brand_item(BrandId(i))])),
            }
        }
        #[derive(Serialize)]
        struct Level {
            name: &'static str,
            brands: Vec<BrandItem>,
        }
        let levels: Vec<Level> = levels
            .into_iter()
            .map(|(l, brands)| Level {
                name: brand_level_label(l),
                brands,
            })
            .collect();
        let mut context = Context::new();
        context.insert("levels", &levels);
        let (charts, extra) = split_charts(pick::brand_wall_charts(site, &self.urls));
        context.insert("charts", &charts);
        Out {
            path: "brands/index.html".into(),
            template: "brands.html",
            page: self.page(
                "人力资源品牌",
                "各级人力资源品牌（劳务品牌）：所在地区、工种与相关数字".into(),
                "brands/",
                "brands/",
                vec![],
            ),
            context,
            extra,
        }
    }

    fn brand(&self, id: BrandId) -> Out {
        let site = self.site;
        let views = self.views();
        let b = site.brand(id);
        let mut context = Context::new();
        context.insert("name", &b.name);
        context.insert("region", &views.region_link(b.region));
        context.insert("level", brand_level_label(b.level));
        context.insert("recognized_by", &b.recognized_by);
        context.insert("year", &b.year.map(|y| format!("{y}年")));
        context.insert("occupations", &b.occupations.join("、"));
        context.insert("training_base", &b.training_base);
        context.insert(
            "body",
            &markdown::to_html_at(&b.body, &[], &self.urls.base_path).html,
        );
        context.insert("groups", &views.groups(&b.figures));
        context.insert(
            "programs",
            &b.programs
                .iter()
                .map(|&p| views.program_item(p))
                .collect::<Vec<_>>(),
        );
        let (charts, extra) = split_charts(pick::brand_figure_charts(site, &self.urls, id));
        context.insert("charts", &charts);
        Out {
            path: format!("brands/{}/index.html", b.slug),
            template: "brand.html",
            page: self.page(
                &b.name,
                first_sentence(&b.body, &b.name),
                &format!("brands/{}/", b.slug),
                "brands/",
                vec![self.crumb("品牌", "brands/")],
            ),
            context,
            extra,
        }
    }

    fn documents(&self) -> Out {
        let site = self.site;
        let views = self.views();
        #[derive(Serialize)]
        struct Kind {
            name: &'static str,
            documents: Vec<DocumentItem>,
        }
        let mut kinds = Vec::new();
        for kind in [
            DocKind::Policy,
            DocKind::WorkPlan,
            DocKind::Notice,
            DocKind::Report,
            DocKind::ProposalReply,
        ] {
            let ids: Vec<DocId> = (0..site.documents.len())
                .map(DocId)
                .filter(|&d| site.document(d).kind == kind)
                .collect();
            if !ids.is_empty() {
                kinds.push(Kind {
                    name: doc_kind_label(kind),
                    documents: views.documents_sorted(&ids),
                });
            }
        }
        let mut context = Context::new();
        context.insert("kinds", &kinds);
        Out {
            path: "documents/index.html".into(),
            template: "documents.html",
            page: self.page(
                "文件",
                "政策文件、工作方案与提案答复的全文，按类别和日期排列".into(),
                "documents/",
                "documents/",
                vec![],
            ),
            context,
            extra: Vec::new(),
        }
    }

    fn document(&self, id: DocId) -> Out {
        let site = self.site;
        let views = self.views();
        let d = site.document(id);
        let mut meta: Vec<(&str, String)> = Vec::new();
        if let Some(v) = &d.issuer {
            meta.push(("发文机关", v.clone()));
        }
        if let Some(v) = &d.doc_number {
            meta.push(("发文字号", v.clone()));
        }
        meta.push(("成文日期", date_label(d.date)));
        if let Some(v) = &d.signed_by {
            meta.push(("签发人", v.clone()));
        }
        meta.push(("文件类别", doc_kind_label(d.kind).to_owned()));
        if let Some(p) = &d.proposal {
            meta.push(("会议", p.meeting.clone()));
            meta.push(("提案号", p.number.clone()));
            meta.push(("提案标题", p.title.clone()));
            meta.push(("提案人", p.proposers.join("、")));
            if let Some(r) = &p.result {
                meta.push(("办理结果", result_label(r)));
            }
        }
        if let Some(v) = &d.contact {
            meta.push(("联系方式", v.clone()));
        }
        let body = markdown::to_html_at(&d.body, &d.highlights, &self.urls.base_path);
        let mut rows: Vec<FigureRow> = d.figures.iter().map(|&f| views.figure_row(f)).collect();
        for row in &mut rows {
            // On its own page the link goes to the highlighted sentence just above.
            row.source_url = row
                .source_url
                .split_once('#')
                .map_or(row.source_url.clone(), |(_, frag)| format!("#{frag}"));
        }
        let mut context = Context::new();
        context.insert("title", &d.title);
        context.insert("meta", &meta);
        context.insert("region", &views.region_link(d.region));
        context.insert("body", &body.html);
        context.insert(
            "toc",
            &body
                .headings
                .iter()
                .filter(|(level, _, _)| *level == 3)
                .map(|(_, id, text)| Link {
                    name: text.clone(),
                    url: format!("#{id}"),
                })
                .collect::<Vec<_>>(),
        );
        context.insert("figures", &rows);
        context.insert("topics", &self.topic_links(&d.topics));
        let description = format!(
            "{}{}{}全文及其中的{}个数字",
            d.issuer.as_deref().unwrap_or(""),
            d.date
                .map(|x| format!("{}年{}月", x.year(), x.month()))
                .unwrap_or_default(),
            d.title,
            d.figures.len()
        );
        Out {
            path: format!("documents/{}/index.html", d.slug),
            template: "document.html",
            page: self.page(
                &d.title,
                description,
                &format!("documents/{}/", d.slug),
                "documents/",
                vec![self.crumb("文件", "documents/")],
            ),
            context,
            extra: Vec::new(),
        }
    }

    fn metrics(&self) -> Out {
        #[derive(Serialize)]
        struct Item {
            name: String,
            url: String,
            unit: String,
            count: usize,
            description: Option<String>,
        }
        let items: Vec<Item> = self
            .site
            .metrics
            .iter()
            .filter(|m| !m.figures.is_empty())
            .map(|m| Item {
                name: m.name.clone(),
                url: self.urls.metric(m),
                unit: m.unit.clone(),
                count: m.figures.len(),
                description: m.description.clone(),
            })
            .collect();
        let mut context = Context::new();
        context.insert("metrics", &items);
        Out {
            path: "metrics/index.html".into(),
            template: "metrics.html",
            page: self.page(
                "指标",
                "全部统计指标及其数字".into(),
                "metrics/",
                "metrics/",
                vec![],
            ),
            context,
            extra: Vec::new(),
        }
    }

    fn metric(&self, id: MetricId) -> Out {
        let m = self.site.metric(id);
        let mut context = Context::new();
        context.insert("name", &m.name);
        context.insert("name_en", &m.name_en);
        context.insert("unit", &m.unit);
        context.insert("description", &m.description);
        context.insert("groups", &self.views().groups(&m.figures));
        let site = self.site;
        let mut charts = self.comparison_charts(
            "metric",
            "各地",
            "地区",
            false,
            &m.figures,
            |f| Some(f.region),
            |r| site.region(r).name.clone(),
        );
        charts.extend(pick::over_time_charts(
            site, &self.urls, "metric", &m.figures,
        ));
        let (charts, extra) = split_charts(charts);
        context.insert("charts", &charts);
        let description = m
            .description
            .clone()
            .unwrap_or_else(|| format!("“{}”在各地区、各年份的数字及出处", m.name));
        Out {
            path: format!("metrics/{}/index.html", m.id),
            template: "metric.html",
            page: self.page(
                &format!("指标：{}", m.name),
                description,
                &format!("metrics/{}/", m.id),
                "metrics/",
                vec![self.crumb("指标", "metrics/")],
            ),
            context,
            extra,
        }
    }

    fn topic_links(&self, topics: &[String]) -> Vec<Link> {
        topics
            .iter()
            .map(|t| Link {
                name: t.clone(),
                url: self.urls.topic(t),
            })
            .collect()
    }

    fn topics(&self) -> Out {
        #[derive(Serialize)]
        struct Item {
            name: String,
            url: String,
            count: usize,
        }
        let items: Vec<Item> = self
            .site
            .topics
            .iter()
            .map(|(t, topic)| Item {
                name: t.clone(),
                url: self.urls.topic(t),
                count: topic.documents.len() + topic.programs.len(),
            })
            .collect();
        let mut context = Context::new();
        context.insert("topics", &items);
        Out {
            path: "topics/index.html".into(),
            template: "topics.html",
            page: self.page(
                "主题",
                "按主题浏览文件与项目".into(),
                "topics/",
                "topics/",
                vec![],
            ),
            context,
            extra: Vec::new(),
        }
    }

    fn topic(&self, name: &str) -> Out {
        let views = self.views();
        let topic = &self.site.topics[name];
        let mut context = Context::new();
        context.insert("name", name);
        context.insert("documents", &views.documents_sorted(&topic.documents));
        context.insert(
            "programs",
            &topic
                .programs
                .iter()
                .map(|&p| views.program_item(p))
                .collect::<Vec<_>>(),
        );
        Out {
            path: format!("topics/{name}/index.html"),
            template: "topic.html",
            page: self.page(
                &format!("主题：{name}"),
                format!("主题“{name}”下的文件与项目"),
                &format!("topics/{}/", super::urls::encode_segment(name)),
                "topics/",
                vec![self.crumb("主题", "topics/")],
            ),
            context,
            extra: Vec::new(),
        }
    }

    /// One chart per metric and kind where at least two keys (regions, programs)
    /// have a figure: the comparison readers would rather see than read.
    #[allow(clippy::too_many_arguments)]
    fn comparison_charts<K: Ord + Copy>(
        &self,
        id_prefix: &str,
        caption_prefix: &str,
        what: &str,
        summable: bool,
        figures: &[FigureId],
        key: impl Fn(&Figure) -> Option<K> + Copy,
        label: impl Fn(K) -> String,
    ) -> Vec<Chart> {
        let site = self.site;
        let mut metrics: Vec<MetricId> = figures.iter().map(|&f| site.figure(f).metric).collect();
        metrics.sort();
        metrics.dedup();
        let mut charts = Vec::new();
        for metric in metrics {
            let of_metric: Vec<FigureId> = figures
                .iter()
                .copied()
                .filter(|&f| site.figure(f).metric == metric)
                .collect();
            for (kind, kind_word, slug) in [
                (FigureKind::Actual, "完成", "actual"),
                (FigureKind::Target, "目标", "target"),
            ] {
                let picked = charts::latest_per(site, &of_metric, kind, key);
                if picked.len() < 2 {
                    continue;
                }
                let m = site.metric(metric);
                let bars = picked
                    .into_iter()
                    .map(|(k, f)| charts::bar_for(site, &self.urls, f, label(k)))
                    .collect();
                let caption = format!("{caption_prefix}{}（{kind_word}）", m.name);
                charts.push(charts::bars(
                    &format!("{id_prefix}-{}-{slug}", m.id),
                    ChartKind::Comparison,
                    &caption,
                    what,
                    summable,
                    bars,
                    &self.urls,
                ));
            }
        }
        charts
    }

    fn region_children_charts(&self, id: RegionId) -> Vec<Chart> {
        let site = self.site;
        let region = site.region(id);
        let figures: Vec<FigureId> = region
            .children
            .iter()
            .flat_map(|&c| site.region(c).figures.iter().copied())
            .collect();
        let parent = Some(id);
        self.comparison_charts(
            &format!("region-{}", region.slug),
            &format!("{}下辖各地：", region.display_name()),
            "地区",
            true,
            &figures,
            |f| (site.region(f.region).parent == parent).then_some(f.region),
            |r| site.region(r).name.clone(),
        )
    }

    fn program_children_charts(&self, id: ProgramId) -> Vec<Chart> {
        let site = self.site;
        let program = site.program(id);
        let figures: Vec<FigureId> = program
            .children
            .iter()
            .flat_map(|&c| site.program(c).figures.iter().copied())
            .collect();
        let parent = Some(id);
        self.comparison_charts(
            &format!("program-{}", program.slug),
            &format!("{}各子项目：", program.name),
            "项目",
            false,
            &figures,
            |f| f.program.filter(|&p| site.program(p).parent == parent),
            |p| site.program(p).name.clone(),
        )
    }

    /// The program whose sub-programs carry the most figures (the ten special
    /// programs of the provincial plan, on the default site): charted on the
    /// home and program list pages.
    fn main_program(&self) -> Option<ProgramId> {
        let site = self.site;
        (0..site.programs.len())
            .map(ProgramId)
            .filter(|&p| !site.program(p).children.is_empty())
            .max_by_key(|&p| {
                (
                    site.program(p)
                        .children
                        .iter()
                        .filter(|&&c| !site.program(c).figures.is_empty())
                        .count(),
                    std::cmp::Reverse(p),
                )
            })
    }

    fn data(&self) -> Out {
        let records = super::data::records(self.site, &self.urls);
        let mut extra = vec![
            ("data/figures.csv".to_owned(), super::data::to_csv(&records)),
            (
                "data/figures.json".to_owned(),
                super::data::to_json(&records),
            ),
        ];
        #[derive(Serialize)]
        struct MetricFile {
            name: String,
            unit: String,
            count: usize,
            csv_url: String,
        }
        let mut metric_files = Vec::new();
        for m in &self.site.metrics {
            let rows: Vec<_> = records
                .iter()
                .filter(|r| r.metric == m.id)
                .cloned()
                .collect();
            if rows.is_empty() {
                continue;
            }
            let path = format!("data/metrics/{}.csv", m.id);
            metric_files.push(MetricFile {
                name: m.name.clone(),
                unit: m.unit.clone(),
                count: rows.len(),
                csv_url: self.urls.path(&path),
            });
            extra.push((path, super::data::to_csv(&rows)));
        }
        let mut context = Context::new();
        context.insert("count", &records.len());
        context.insert("csv_url", &self.urls.path("data/figures.csv"));
        context.insert("json_url", &self.urls.path("data/figures.json"));
        context.insert("columns", &super::data::COLUMNS);
        context.insert("metric_files", &metric_files);
        Out {
            path: "data/index.html".into(),
            template: "data.html",
            page: self.page(
                "开放数据",
                "本站全部数字的 CSV 与 JSON 下载，每行注明出处文件、原文语句与网址".into(),
                "data/",
                "data/",
                vec![],
            ),
            context,
            extra,
        }
    }

    /// Atom feed: one entry per dated document, newest first (undated ones are left out).
    fn feed(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let dated: Vec<DocId> = (0..site.documents.len())
            .map(DocId)
            .filter(|&d| site.document(d).date.is_some())
            .collect();
        #[derive(Serialize)]
        struct Entry {
            title: String,
            url: String,
            updated: String,
            author: String,
            summary: String,
        }
        let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00+08:00");
        let mut entries: Vec<(jiff::civil::Date, Entry)> = dated
            .iter()
            .map(|&id| {
                let d = site.document(id);
                let item = views.document_item(id);
                let date = d.date.expect("dated");
                (
                    date,
                    Entry {
                        title: d.title.clone(),
                        url: self.urls.absolute(&format!("documents/{}/", d.slug)),
                        updated: stamp(date),
                        author: d
                            .issuer
                            .clone()
                            .or_else(|| site.publisher.clone())
                            .unwrap_or_else(|| site.title.clone()),
                        summary: format!(
                            "{} · {} · {} · {} 个数字",
                            item.kind, item.region, item.date, item.figure_count
                        ),
                    },
                )
            })
            .collect();
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.url.cmp(&b.1.url)));
        // The feed's own date is its newest entry's, never the clock: builds stay byte-identical.
        let updated = entries.first().map_or_else(
            || "2000-01-01T00:00:00+08:00".to_owned(),
            |(d, _)| stamp(*d),
        );
        let mut context = Context::new();
        context.insert(
            "entries",
            &entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        );
        context.insert("updated", &updated);
        context.insert("feed_url", &self.urls.absolute("feed.xml"));
        Out {
            path: "feed.xml".into(),
            template: "feed.xml",
            page: self.page(&site.title, String::new(), "feed.xml", "", vec![]),
            context,
            extra: Vec::new(),
        }
    }

    fn sitemap(&self) -> Out {
        let urls: Vec<String> = all_pages(self.site)
            .iter()
            .filter_map(|p| p.from_root(self.site))
            .map(|p| self.urls.absolute(&p))
            .collect();
        let mut context = Context::new();
        context.insert("urls", &urls);
        Out {
            path: "sitemap.xml".into(),
            template: "sitemap.xml",
            page: self.page("sitemap", String::new(), "sitemap.xml", "", vec![]),
            context,
            extra: Vec::new(),
        }
    }

    /// The search page: Pagefind's index is queried by `assets/search.js`;
    /// without JavaScript the page says so and points to the directories.
    fn search(&self) -> Out {
        let page = self.page(
            "搜索",
            format!(
                "在{}全站搜索政策文件、区域、项目、品牌和指标",
                self.site.title
            ),
            "search/",
            "search/",
            vec![],
        );
        Out {
            path: "search/index.html".into(),
            template: "search.html",
            page,
            context: Context::new(),
            extra: Vec::new(),
        }
    }

    fn not_found(&self) -> Out {
        Out {
            path: "404.html".into(),
            template: "404.html",
            page: self.page(
                "页面不存在",
                "您要找的页面不存在".into(),
                "404.html",
                "",
                vec![],
            ),
            context: Context::new(),
            extra: Vec::new(),
        }
    }
}

/// What kind of page a section holds, as search results name it.
fn kind_label(section: &str) -> &'static str {
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
fn result_label(result: &str) -> String {
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

fn truncate_chars(text: &str, max: usize) -> String {
    let clean: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() <= max {
        clean
    } else {
        format!("{}…", clean.chars().take(max - 1).collect::<String>())
    }
}

/// The first sentence of a Markdown body, for meta descriptions.
fn split_charts(charts: Vec<Chart>) -> (Vec<ChartView>, Vec<(String, Vec<u8>)>) {
    charts.into_iter().map(|c| (c.view, c.csv)).unzip()
}

fn first_sentence(body: &str, fallback: &str) -> String {
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
