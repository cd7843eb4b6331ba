use super::*;

/// What `index.html` sees.
#[derive(Serialize)]
pub struct HomeContext {
    pub headline: Vec<FigureRow>,
    pub root: Link,
    pub latest: Vec<DocumentItem>,
    pub brands: Vec<BrandItem>,
    pub regions: Vec<RegionItem>,
    pub programs: Vec<ProgramItem>,
    /// (what, how many) for the counts line.
    pub counts: Vec<(&'static str, usize)>,
    pub charts: Vec<ChartView>,
    pub progress: Vec<ChartView>,
    pub map: Vec<ChartView>,
}

impl Renderer<'_> {
    pub(super) fn home(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let root = site.root;
        let all_docs: Vec<DocId> = (0..site.documents.len()).map(DocId).collect();
        let mut latest = views.documents_sorted(&all_docs);
        latest.truncate(6);
        let (charts, mut extra) = split_charts(
            self.main_program()
                .map(|p| self.program_children_charts(p))
                .unwrap_or_default(),
        );
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
        let (map, more) = split_charts(pick::henan_map(site, &self.urls).into_iter().collect());
        extra.extend(more);
        let context = HomeContext {
            headline: self.headline_rows(),
            root: views.region_link(root),
            latest,
            brands: (0..site.brands.len())
                .map(|i| views.brand_item(BrandId(i)))
                .collect(),
            regions: site
                .region(root)
                .children
                .iter()
                .map(|&c| views.region_item(c, 0))
                .collect(),
            // Programs with figures of their own, in file order.
            programs: (0..site.programs.len())
                .filter(|&i| !site.programs[i].figures.is_empty())
                .map(|i| views.program_item(ProgramId(i)))
                .collect(),
            counts: vec![
                ("区域", site.regions.len()),
                ("项目", site.programs.len()),
                ("品牌", site.brands.len()),
                ("文件", site.documents.len()),
                ("数字", site.figures.len()),
            ],
            charts,
            progress,
            map,
        };
        let description = site
            .description
            .clone()
            .unwrap_or_else(|| format!("{}：技能培训工作的目标、成效与原始文件", site.title));
        Out {
            path: "index.html".into(),
            template: "index.html",
            page: self.page(&site.title, description, "", "", vec![]),
            context: to_context(&context),
            extra,
        }
    }

    /// The home page figures: `headline` of site.yaml, or the root region's
    /// figures of the latest year (DESIGN.md).
    pub(super) fn headline_rows(&self) -> Vec<FigureRow> {
        let site = self.site;
        let views = self.views();
        let ids: Vec<FigureId> = if site.headline.is_empty() {
            let root = site.region(site.root);
            let latest = root
                .figures
                .iter()
                .filter(|&&f| compare::eligible(site.figure(f)).is_ok())
                .filter_map(|&f| site.figure(f).time.year())
                .max();
            // The region's own totals: program and brand figures have their own pages.
            root.figures
                .iter()
                .copied()
                .filter(|&f| {
                    let fig = site.figure(f);
                    // Never a standard, a subject's figure or a vague time (`model::compare`).
                    compare::eligible(fig).is_ok()
                        && fig.time.year() == latest
                        && fig.program.is_none()
                        && fig.brand.is_none()
                })
                .collect()
        } else {
            site.headline
                .iter()
                .filter_map(|h| {
                    site.region(h.region).figures.iter().copied().find(|&f| {
                        let fig = site.figure(f);
                        fig.metric == h.metric
                            && compare::eligible(fig).is_ok()
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
}
