use super::pagination::{self, GroupJump, PER_PAGE, Pagination};
use super::*;

/// One recognition level of the brand wall.
#[derive(Serialize)]
pub struct BrandLevelGroup {
    pub name: &'static str,
    pub brands: Vec<BrandItem>,
    /// The level began on an earlier page of the wall.
    pub continued: bool,
}

/// What `brands.html` sees.
#[derive(Serialize)]
pub struct BrandsContext {
    pub levels: Vec<BrandLevelGroup>,
    /// On the first page only.
    pub charts: Vec<ChartView>,
    /// Every level and where it begins (a long wall only).
    pub jumps: Vec<GroupJump>,
    pub pagination: Option<Pagination>,
}

/// What `brand.html` sees.
#[derive(Serialize)]
pub struct BrandContext {
    pub name: String,
    pub region: Link,
    pub level: &'static str,
    pub recognized_by: Option<String>,
    pub year: Option<String>,
    pub occupations: String,
    pub training_base: Option<String>,
    /// HTML.
    pub body: String,
    pub groups: Vec<MetricGroup>,
    /// Figures of the programs this brand belongs to: shown, marked as the
    /// programs', when the brand has none of its own.
    pub related_groups: Vec<MetricGroup>,
    pub programs: Vec<ProgramItem>,
    pub charts: Vec<ChartView>,
}

impl Renderer<'_> {
    /// The brand wall: one page, or pages of `PER_PAGE` brands in the same
    /// order (by level, then region) at `brands/page/N/`, charts on page 1.
    pub(super) fn brands(&self) -> Vec<Out> {
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
        let names: Vec<&'static str> = levels.iter().map(|(l, _)| brand_level_label(*l)).collect();
        let sizes: Vec<usize> = levels.iter().map(|(_, b)| b.len()).collect();
        let rows = sizes.iter().sum();
        let url = |p: usize| self.urls.path(&pagination::page_path("brands/", p));
        let pages =
            pagination::paged_groups(levels.into_iter().map(|(_, b)| b).collect(), PER_PAGE);
        let total = pages.len();
        let jumps = pagination::group_jumps(&names, &sizes, PER_PAGE, total, url);
        let (mut charts, mut extra) = split_charts(pick::brand_wall_charts(site, &self.urls));
        let mut outs = Vec::new();
        for (i, groups) in pages.into_iter().enumerate() {
            let page = i + 1;
            let levels = groups
                .into_iter()
                .map(|g| BrandLevelGroup {
                    name: names[g.group],
                    brands: g.rows,
                    continued: g.continued,
                })
                .collect();
            let context = BrandsContext {
                levels,
                charts: std::mem::take(&mut charts),
                jumps: jumps.clone(),
                pagination: Pagination::new(page, rows, PER_PAGE, url),
            };
            let from_root = pagination::page_path("brands/", page);
            outs.push(Out {
                path: format!("{from_root}index.html"),
                template: "brands.html",
                page: self.list_page(
                    "brands/",
                    "品牌",
                    vec![],
                    (
                        "人力资源品牌",
                        "各级人力资源品牌（劳务品牌）：所在地区、工种与相关数字".into(),
                    ),
                    (page, total),
                ),
                context: to_context(&context),
                extra: std::mem::take(&mut extra),
            });
        }
        outs
    }

    pub(super) fn brand(&self, id: BrandId) -> Out {
        let site = self.site;
        let views = self.views();
        let b = site.brand(id);
        let (charts, extra) = split_charts(pick::brand_figure_charts(site, &self.urls, id));
        let mut related: Vec<FigureId> = b
            .programs
            .iter()
            .flat_map(|&p| site.program(p).figures.iter().copied())
            .filter(|f| !b.figures.contains(f))
            .collect();
        related.sort();
        related.dedup();
        let context = BrandContext {
            name: b.name.clone(),
            region: views.region_link(b.region),
            level: brand_level_label(b.level),
            recognized_by: b.recognized_by.clone(),
            year: b.year.map(|y| format!("{y}年")),
            occupations: b.occupations.join("、"),
            training_base: b.training_base.clone(),
            body: self.prose_html(prose::Owner::Brand(id)).unwrap_or_default(),
            groups: views.groups(&b.figures),
            related_groups: views.groups(&related),
            programs: b.programs.iter().map(|&p| views.program_item(p)).collect(),
            charts,
        };
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
            context: to_context(&context),
            extra,
        }
    }
}
