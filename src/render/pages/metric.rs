use std::collections::{BTreeMap, BTreeSet};

use super::pagination::Pagination;
use super::*;

/// One metric in the metric list.
#[derive(Serialize)]
pub struct MetricItem {
    pub name: String,
    pub url: String,
    pub unit: String,
    pub count: usize,
    pub description: Option<String>,
}

/// What `metrics.html` sees.
#[derive(Serialize)]
pub struct MetricsContext {
    pub metrics: Vec<MetricItem>,
}

/// Up to this many figures a metric's page lists them all, as a small site
/// (the default one) expects; above it the page becomes a summary with
/// per-region views, so no page grows with the whole country.
pub const ALL_ON_ONE_PAGE: usize = 120;
/// Figure rows per page of a long list (about 1 KB of HTML each).
pub const ROWS_PER_PAGE: usize = 50;

/// One level of the region tree in a metric's summary.
#[derive(Serialize, Clone)]
pub struct LevelRow {
    /// 省 / 省辖市 / 县（市）…: the levels of the regions at that depth.
    pub level: String,
    /// Regions at that depth with a figure of the metric.
    pub regions: usize,
    pub figures: usize,
    /// The latest year of those figures (`2025年`), empty when none is dated.
    pub latest_year: String,
}

/// A link to a per-region view, with how many figures it lists.
#[derive(Serialize, Clone)]
pub struct ViewLink {
    pub name: String,
    pub url: String,
    pub figures: usize,
}

/// Views grouped by the level of their region.
#[derive(Serialize, Clone)]
pub struct ViewGroup {
    pub level: String,
    pub views: Vec<ViewLink>,
}

/// What `metric.html` sees.
#[derive(Serialize)]
pub struct MetricContext {
    pub name: String,
    pub name_en: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    pub groups: Vec<MetricGroup>,
    pub charts: Vec<ChartView>,
    /// The figures by level of the region tree (on the metric's main page).
    pub levels: Vec<LevelRow>,
    /// What the list covers (`测一市及下辖各地`); empty when it lists every figure.
    pub scope: String,
    /// Links to the per-region views (on the main page of a long metric).
    pub views: Vec<ViewGroup>,
    /// The main page, linked from a view or a further page.
    pub main_url: Option<String>,
    pub pagination: Option<Pagination>,
}

/// One list of a metric's figures: the whole metric (a small metric), or
/// one region with its direct children (`region`: `None` for the root's
/// list on the main page). Every figure is in at least one view.
pub struct MetricView {
    pub region: Option<RegionId>,
    /// In reading order: time, kind, region, file order.
    pub figures: Vec<FigureId>,
}

/// What the pages of one view share: the summary the main page shows.
struct MetricShared {
    levels: Vec<LevelRow>,
    view_groups: Vec<ViewGroup>,
}

impl MetricView {
    pub fn pages(&self) -> usize {
        pages_for(self.figures.len())
    }
}

/// Pages of a list of `rows` figures (one when it is empty).
fn pages_for(rows: usize) -> usize {
    rows.div_ceil(ROWS_PER_PAGE).max(1)
}

/// The root of the region tree (validation guarantees exactly one).
fn root_region(site: &Site) -> Option<RegionId> {
    site.regions
        .iter()
        .position(|r| r.parent.is_none())
        .map(RegionId)
}

/// Regions in tree order (depth first, children as listed), with their depth.
fn tree_order(site: &Site) -> Vec<(RegionId, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(RegionId, usize)> = root_region(site).into_iter().map(|r| (r, 0)).collect();
    while let Some((r, depth)) = stack.pop() {
        out.push((r, depth));
        for &c in site.region(r).children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
}

fn reading_order(site: &Site, figures: &mut [FigureId]) {
    figures.sort_by_key(|&f| {
        let x = site.figure(f);
        (x.time, x.kind, x.region, f)
    });
}

/// Whether the metric is listed on one page (a small site's metric) or is a
/// summary with per-region views.
fn is_long(m: &Metric) -> bool {
    m.figures.len() > ALL_ON_ONE_PAGE
}

/// The regions, in tree order, that have a view of a long metric (its own
/// page, [`Page::MetricView`]): every region but the root with a child that
/// has a figure of the metric.
pub fn view_regions(site: &Site, m: &Metric) -> Vec<RegionId> {
    if !is_long(m) {
        return Vec::new();
    }
    let root = root_region(site);
    let parents: BTreeSet<RegionId> = m
        .figures
        .iter()
        .filter_map(|&f| site.region(site.figure(f).region).parent)
        .collect();
    tree_order(site)
        .into_iter()
        .map(|(r, _)| r)
        .filter(|&r| Some(r) != root && parents.contains(&r))
        .collect()
}

/// The metric's figures about the region and its direct children, in
/// figure order (the order of the metric's own list).
fn figures_about(site: &Site, id: MetricId, r: RegionId) -> Vec<FigureId> {
    let mut figures: Vec<FigureId> = std::iter::once(&r)
        .chain(&site.region(r).children)
        .flat_map(|&r| &site.region(r).figures)
        .copied()
        .filter(|&f| site.figure(f).metric == id)
        .collect();
    figures.sort();
    figures
}

/// The figures one view lists, in figure order: `None` is the main page's
/// list (every figure of a small metric; the root's and its children's of a
/// long one), `Some(r)` the region's and its children's.
fn listed(site: &Site, id: MetricId, region: Option<RegionId>) -> Vec<FigureId> {
    let m = site.metric(id);
    match region.or_else(|| root_region(site)) {
        _ if !is_long(m) => m.figures.clone(),
        Some(r) => figures_about(site, id, r),
        None => Vec::new(),
    }
}

/// One view with its list in reading order. Deterministic: it depends on
/// the content alone.
pub fn metric_view(site: &Site, id: MetricId, region: Option<RegionId>) -> MetricView {
    let mut figures = listed(site, id, region);
    reading_order(site, &mut figures);
    MetricView { region, figures }
}

/// The URL path from the site root of page `page` (1-based) of a view:
/// `metrics/<id>/`, `metrics/<id>/page/2/`, `metrics/<id>/<region>/`,
/// `metrics/<id>/<region>/page/2/`.
pub fn view_path(site: &Site, m: &Metric, region: Option<RegionId>, page: usize) -> String {
    let mut path = format!("metrics/{}/", m.id);
    if let Some(r) = region {
        path.push_str(&format!("{}/", site.region(r).slug));
    }
    if page > 1 {
        path.push_str(&format!("page/{page}/"));
    }
    path
}

/// The further pages of a view's list (for the sitemap).
pub fn view_further_paths(site: &Site, id: MetricId, region: Option<RegionId>) -> Vec<String> {
    // Only the count matters: the list is not put in reading order.
    (2..=pages_for(listed(site, id, region).len()))
        .map(|page| view_path(site, site.metric(id), region, page))
        .collect()
}

/// How a level of the tree is named: the levels of its regions (省辖市、功能区).
fn level_name(site: &Site, regions: &[RegionId]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for &r in regions {
        let name = level_label(site.region(r).level);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join("、")
}

impl Renderer<'_> {
    pub(super) fn metrics(&self) -> Out {
        let metrics: Vec<MetricItem> = self
            .site
            .metrics
            .iter()
            .filter(|m| !m.figures.is_empty())
            .map(|m| MetricItem {
                name: m.name.clone(),
                url: self.urls.metric(m),
                unit: m.unit.clone(),
                count: m.figures.len(),
                description: m.description.clone(),
            })
            .collect();
        let context = MetricsContext { metrics };
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
            context: to_context(&context),
            extra: Vec::new(),
        }
    }

    /// The metric's main page and the further pages of its list.
    pub(super) fn metric(&self, id: MetricId) -> Vec<Out> {
        let m = self.site.metric(id);
        let shared = MetricShared {
            levels: self.levels(m),
            view_groups: if is_long(m) {
                self.view_links(id)
            } else {
                Vec::new()
            },
        };
        self.view_pages(id, &metric_view(self.site, id, None), &shared)
    }

    /// A long metric's view of one region, and the further pages of its list.
    pub(super) fn metric_region(&self, id: MetricId, region: RegionId) -> Vec<Out> {
        let shared = MetricShared {
            levels: Vec::new(),
            view_groups: Vec::new(),
        };
        self.view_pages(id, &metric_view(self.site, id, Some(region)), &shared)
    }

    fn view_pages(&self, id: MetricId, view: &MetricView, shared: &MetricShared) -> Vec<Out> {
        (1..=view.pages())
            .map(|page| self.metric_page(id, view, page, shared))
            .collect()
    }

    fn metric_page(
        &self,
        id: MetricId,
        view: &MetricView,
        page: usize,
        shared: &MetricShared,
    ) -> Out {
        let MetricShared {
            levels,
            view_groups,
        } = shared;
        let long = is_long(self.site.metric(id));
        let site = self.site;
        let m = site.metric(id);
        let main = view.region.is_none() && page == 1;
        let region = view.region.or_else(|| root_region(site));
        let charts = match (page, long) {
            (1, false) => self.whole_metric_charts(m),
            (1, true) => self.view_charts(id, region),
            _ => Vec::new(),
        };
        let (charts, extra) = split_charts(charts);
        let total = view.pages();
        let from = ((page - 1) * ROWS_PER_PAGE).min(view.figures.len());
        let to = (from + ROWS_PER_PAGE).min(view.figures.len());
        let shown = &view.figures[from..to];
        let url = |p: usize| self.urls.path(&view_path(site, m, view.region, p));
        let pagination = Pagination::new(page, view.figures.len(), ROWS_PER_PAGE, url);
        let scope = match (long, region) {
            (true, Some(r)) => format!("{}及下辖各地", site.region(r).name),
            _ => String::new(),
        };
        let mut title = format!("指标：{}", m.name);
        let mut description = m
            .description
            .clone()
            .unwrap_or_else(|| format!("“{}”在各地区、各年份的数字及出处", m.name));
        if view.region.is_some() {
            title.push_str(&format!(" · {scope}"));
            description = format!("“{}”在{scope}的数字及出处", m.name);
        }
        if page > 1 {
            title.push_str(&format!(" · 第{page}页"));
            description = format!("{description}（第{page}页，共{total}页）");
        }
        let context = MetricContext {
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            unit: m.unit.clone(),
            description: m.description.clone(),
            groups: self.views().groups(shown),
            charts,
            levels: if main { levels.to_vec() } else { Vec::new() },
            scope,
            views: if main {
                view_groups.to_vec()
            } else {
                Vec::new()
            },
            main_url: (!main).then(|| self.urls.metric(m)),
            pagination,
        };
        let from_root = view_path(site, m, view.region, page);
        let mut crumbs = vec![self.crumb("指标", "metrics/")];
        if !main {
            crumbs.push(self.crumb(&m.name, &format!("metrics/{}/", m.id)));
        }
        Out {
            path: format!("{from_root}index.html"),
            template: "metric.html",
            page: self
                .page(&title, description, &from_root, "metrics/", crumbs)
                .searchable(main),
            context: to_context(&context),
            extra,
        }
    }

    /// A small metric's charts: every region compared, every series over time.
    fn whole_metric_charts(&self, m: &Metric) -> Vec<Chart> {
        let site = self.site;
        let mut charts = self.comparison_charts(
            "metric",
            "各地",
            "地区",
            false,
            &m.figures,
            // A region's own figures: a program's or brand's figure is not the region's.
            |f| (f.program.is_none() && f.brand.is_none()).then_some(f.region),
            |r| site.region(r).name.clone(),
            &[],
            |_, _, _, _| None,
        );
        charts.extend(pick::over_time_charts(
            site, &self.urls, "metric", &m.figures,
        ));
        charts
    }

    /// A view's charts, the questions a reader of one region asks: how its
    /// children compare (the chart its region page draws for this metric)
    /// and how the region itself did over time.
    fn view_charts(&self, id: MetricId, region: Option<RegionId>) -> Vec<Chart> {
        let site = self.site;
        let Some(region) = region else {
            return Vec::new();
        };
        // The figures about the children, in figure order (not the whole
        // metric scanned once per view).
        let mut below = figures_about(site, id, region);
        below.retain(|&f| site.figure(f).region != region);
        let r = site.region(region);
        let prefix = format!("metric-view-{}", r.slug);
        let parent = Some(region);
        let mut charts = self.comparison_charts(
            &prefix,
            &format!("{}下辖各地：", r.display_name()),
            "地区",
            true,
            &below,
            |f| {
                (site.region(f.region).parent == parent && f.program.is_none() && f.brand.is_none())
                    .then_some(f.region)
            },
            |r| site.region(r).name.clone(),
            &[],
            |_, _, _, _| None,
        );
        let own: Vec<FigureId> = r
            .figures
            .iter()
            .copied()
            .filter(|&f| {
                let x = site.figure(f);
                x.metric == id && x.program.is_none() && x.brand.is_none()
            })
            .collect();
        charts.extend(pick::over_time_charts(site, &self.urls, &prefix, &own));
        charts
    }

    /// The metric's figures by depth in the region tree.
    fn levels(&self, m: &Metric) -> Vec<LevelRow> {
        let site = self.site;
        let depth: BTreeMap<RegionId, usize> = tree_order(site).into_iter().collect();
        let mut by_depth: BTreeMap<usize, (Vec<RegionId>, usize, Option<i32>)> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for &f in &m.figures {
            let x = site.figure(f);
            let d = depth.get(&x.region).copied().unwrap_or(0);
            let entry = by_depth.entry(d).or_default();
            if seen.insert(x.region) {
                entry.0.push(x.region);
            }
            entry.1 += 1;
            entry.2 = entry.2.max(x.time.year());
        }
        by_depth
            .into_values()
            .map(|(regions, figures, year)| LevelRow {
                level: level_name(site, &regions),
                regions: regions.len(),
                figures,
                latest_year: year.map(|y| format!("{y}年")).unwrap_or_default(),
            })
            .collect()
    }

    /// Links to the per-region views (not the main one), by their region's
    /// level, with how many figures each lists.
    fn view_links(&self, id: MetricId) -> Vec<ViewGroup> {
        let site = self.site;
        let m = site.metric(id);
        let mut groups: Vec<ViewGroup> = Vec::new();
        for r in view_regions(site, m) {
            let level = level_label(site.region(r).level).to_owned();
            let link = ViewLink {
                name: site.region(r).name.clone(),
                url: self.urls.path(&view_path(site, m, Some(r), 1)),
                figures: listed(site, id, Some(r)).len(),
            };
            match groups.iter_mut().find(|g| g.level == level) {
                Some(g) => g.views.push(link),
                None => groups.push(ViewGroup {
                    level,
                    views: vec![link],
                }),
            }
        }
        groups
    }

    /// One chart per metric and kind where at least two keys (regions,
    /// programs) have comparable figures (`model::compare`): the comparison
    /// readers would rather see than read. `expected`: every key that should
    /// be there (sub-programs), so a key stated only as parts shows their sum.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn comparison_charts<K: Ord + Copy>(
        &self,
        id_prefix: &str,
        caption_prefix: &str,
        what: &str,
        summable: bool,
        figures: &[FigureId],
        key: impl Fn(&Figure) -> Option<K> + Copy,
        label: impl Fn(K) -> String + Copy,
        expected: &[K],
        parts: impl Fn(K, MetricId, FigureKind, Time) -> Option<(Vec<FigureId>, bool)> + Copy,
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
                let selection = compare::select(
                    site,
                    &of_metric,
                    kind,
                    key,
                    |k, t| parts(k, metric, kind, t),
                    expected,
                );
                if selection.entries.len() < 2 {
                    continue;
                }
                let m = site.metric(metric);
                let bars = selection
                    .entries
                    .iter()
                    .map(|e| pick::bar_for_entry(site, &self.urls, e, label(e.key)))
                    .collect();
                let caption = format!("{caption_prefix}{}（{kind_word}）", m.name);
                let mut chart = charts::bars(
                    &format!("{id_prefix}-{}-{slug}", m.id),
                    ChartKind::Comparison,
                    &caption,
                    what,
                    summable,
                    bars,
                    &self.urls,
                );
                chart.add_sentence(&pick::left_out_sentence(site, &selection, label));
                charts.push(chart);
            }
        }
        charts
    }
}
