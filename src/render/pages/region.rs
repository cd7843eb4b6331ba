use super::*;

/// What `regions.html` sees.
#[derive(Serialize)]
pub struct RegionsContext {
    pub tree: RegionItem,
    pub charts: Vec<ChartView>,
}

/// What `region.html` sees.
#[derive(Serialize)]
pub struct RegionContext {
    pub name: String,
    pub level: &'static str,
    pub aliases: String,
    /// HTML.
    pub summary: Option<String>,
    pub groups: Vec<MetricGroup>,
    /// The children's figures side by side, never summed into this region.
    pub children_figures: Vec<MetricGroup>,
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
            groups: views.groups(&region.figures),
            children_figures: self.children_comparison(id),
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

    /// The children's figures side by side, per metric: never summed into the parent.
    pub(super) fn children_comparison(&self, id: RegionId) -> Vec<MetricGroup> {
        let mut groups = self.views().groups(&self.children_figures(id));
        for g in &mut groups {
            g.rows
                .sort_by(|a, b| a.region.cmp(&b.region).then(a.time.cmp(&b.time)));
        }
        groups
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
