use super::*;

/// What `regions.html` sees.
#[derive(Serialize)]
pub struct RegionsContext {
    pub tree: RegionItem,
    pub charts: Vec<ChartView>,
}

/// Figures of one metric on a region page, the source named once when every
/// row shares it.
#[derive(Serialize)]
pub struct RegionGroup {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub url: String,
    pub shared_source: Option<Link>,
    /// A group of single figures of several metrics from one document: each
    /// row names its metric.
    pub mixed: bool,
    pub rows: Vec<FigureRow>,
}

/// Metrics with two or more figures each make a group; the single figures of
/// the other metrics are gathered by source document, so a page is not a
/// stack of one-row tables.
fn region_groups(views: &Views<'_>, figures: &[FigureId]) -> Vec<RegionGroup> {
    let mut groups = Vec::new();
    let mut singles: Vec<(String, Vec<FigureRow>)> = Vec::new();
    for g in views.groups(figures) {
        if g.rows.len() > 1 {
            groups.push(g);
            continue;
        }
        for row in g.rows {
            match singles.iter_mut().find(|(t, _)| *t == row.source_title) {
                Some((_, rows)) => rows.push(row),
                None => singles.push((row.source_title.clone(), vec![row])),
            }
        }
    }
    let mut out: Vec<RegionGroup> = groups.into_iter().map(|g| group_of(g, false)).collect();
    for (i, (title, rows)) in singles.into_iter().enumerate() {
        let group = MetricGroup {
            id: format!("other-{}", i + 1),
            name: format!("《{title}》中的其他数字"),
            unit: String::new(),
            url: String::new(),
            rows,
        };
        out.push(group_of(group, true));
    }
    out
}

fn group_of(g: MetricGroup, mixed: bool) -> RegionGroup {
    {
        let first = g.rows.first().map(|r| (&r.source_title, &r.source_url));
        let shared = first.filter(|(title, _)| g.rows.iter().all(|r| &&r.source_title == title));
        RegionGroup {
            shared_source: shared.map(|(title, url)| Link {
                name: title.clone(),
                url: url.split('#').next().unwrap_or(url).to_owned(),
            }),
            id: g.id,
            name: g.name,
            unit: g.unit,
            url: g.url,
            mixed,
            rows: g.rows,
        }
    }
}

fn whole_label(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Country => "全国",
        RegionLevel::Province => "全省",
        RegionLevel::City => "全市",
        RegionLevel::County => "全县",
        RegionLevel::District | RegionLevel::Zone => "全区",
    }
}

/// What `region.html` sees.
#[derive(Serialize)]
pub struct RegionContext {
    pub name: String,
    pub level: &'static str,
    pub aliases: String,
    /// HTML.
    pub summary: Option<String>,
    /// The region's own figures by metric; the region is named once (in the
    /// heading), each row says what part of it a figure is about.
    pub groups: Vec<RegionGroup>,
    /// 全省, 全市 …: the row label of a figure about the whole region.
    pub whole: &'static str,
    /// Whether any child has figures (compared only in `charts`, where
    /// `model::compare` allows it).
    pub children_have_figures: bool,
    pub charts: Vec<ChartView>,
    pub own_charts: Vec<ChartView>,
    pub children: Vec<RegionItem>,
    pub programs: Vec<ProgramItem>,
    pub brands: Vec<BrandItem>,
    pub documents: Vec<DocumentItem>,
    /// Totals that their parts add up to (`model::consistency`).
    pub agreements: Vec<String>,
}

impl Renderer<'_> {
    pub(super) fn regions(&self) -> Out {
        let views = self.views();
        let (charts, extra) =
            split_charts(pick::henan_map(self.site, &self.urls).into_iter().collect());
        let context = RegionsContext {
            tree: views.region_item(self.site.root, 8),
            charts,
        };
        let description = format!(
            "{}各地区技能工作的数字与文件",
            self.site.region(self.site.root).name
        );
        Out {
            path: "regions/index.html".into(),
            template: "regions.html",
            page: self.page("区域", description, "regions/", "regions/", vec![]),
            context: to_context(&context),
            extra,
        }
    }

    pub(super) fn region(&self, id: RegionId) -> Out {
        let site = self.site;
        let views = self.views();
        let region = site.region(id);
        let mut ancestors: Vec<Link> = site
            .region_and_ancestors(id)
            .skip(1)
            .map(|p| views.region_link(p))
            .collect();
        ancestors.reverse();
        let (charts, mut extra) = split_charts(self.region_children_charts(id));
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
        let (own_charts, more) = split_charts(own);
        extra.extend(more);
        let context = RegionContext {
            name: region.name.clone(),
            level: level_label(region.level),
            aliases: region.aliases.join("、"),
            summary: self.prose_html(prose::Owner::Region(id)),
            groups: region_groups(&views, &region.figures),
            whole: whole_label(region.level),
            children_have_figures: !self.children_figures(id).is_empty(),
            charts,
            own_charts,
            children: region
                .children
                .iter()
                .map(|&c| views.region_item(c, 0))
                .collect(),
            programs: region
                .programs
                .iter()
                .map(|&p| views.program_item(p))
                .collect(),
            brands: region.brands.iter().map(|&b| views.brand_item(b)).collect(),
            documents: views.documents_sorted(&region.documents),
            agreements: agreements(site, consistency::Holder::Region(id)),
        };
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
            context: to_context(&context),
            extra,
        }
    }

    /// Every figure of the region's children, in child order.
    fn children_figures(&self, id: RegionId) -> Vec<FigureId> {
        let site = self.site;
        site.region(id)
            .children
            .iter()
            .flat_map(|&c| site.region(c).figures.iter().copied())
            .collect()
    }

    pub(super) fn region_children_charts(&self, id: RegionId) -> Vec<Chart> {
        let site = self.site;
        let region = site.region(id);
        let figures = self.children_figures(id);
        let parent = Some(id);
        self.comparison_charts(
            &format!("region-{}", region.slug),
            &format!("{}下辖各地：", region.display_name()),
            "地区",
            true,
            &figures,
            |f| {
                (site.region(f.region).parent == parent && f.program.is_none() && f.brand.is_none())
                    .then_some(f.region)
            },
            |r| site.region(r).name.clone(),
            &[],
            |_, _, _, _| None,
        )
    }
}
