use super::*;

/// What `programs.html` sees.
#[derive(Serialize)]
pub struct ProgramsContext {
    /// Programs without a parent, each with its sub-programs.
    pub programs: Vec<ProgramItem>,
    pub charts: Vec<ChartView>,
}

/// What `program.html` sees.
#[derive(Serialize)]
pub struct ProgramContext {
    pub name: String,
    pub scope: Link,
    pub parent: Option<Link>,
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    pub years: String,
    /// HTML.
    pub body: String,
    pub groups: Vec<MetricGroup>,
    pub children: Vec<ProgramItem>,
    pub children_groups: Vec<MetricGroup>,
    pub charts: Vec<ChartView>,
    pub own_charts: Vec<ChartView>,
    pub brands: Vec<BrandItem>,
    pub topics: Vec<Link>,
    pub documents: Vec<DocumentItem>,
    /// Totals that their parts add up to (`model::consistency`).
    pub agreements: Vec<String>,
}

impl Renderer<'_> {
    pub(super) fn programs(&self) -> Out {
        let site = self.site;
        let views = self.views();
        // The same charts as on the home page, under their own ids and CSV files.
        let charts = self
            .main_program()
            .map(|p| self.program_children_charts(p))
            .unwrap_or_default();
        let (charts, _) = split_charts(charts);
        let context = ProgramsContext {
            programs: (0..site.programs.len())
                .filter(|&i| site.programs[i].parent.is_none())
                .map(|i| views.program_item(ProgramId(i)))
                .collect(),
            charts,
        };
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
            context: to_context(&context),
            extra: Vec::new(),
        }
    }

    pub(super) fn program(&self, id: ProgramId) -> Out {
        let site = self.site;
        let views = self.views();
        let p = site.program(id);
        let child_figures: Vec<FigureId> = p
            .children
            .iter()
            .flat_map(|&c| site.program(c).figures.iter().copied())
            .collect();
        let (charts, mut extra) = split_charts(self.program_children_charts(id));
        let own = pick::target_actual_chart(
            site,
            &self.urls,
            &format!("program-{}-target-actual", p.slug),
            &format!("{}：目标完成情况", p.name),
            &p.figures,
            false,
        );
        let (own_charts, more) = split_charts(own.into_iter().collect());
        extra.extend(more);
        let mut sources: Vec<DocId> = p.figures.iter().map(|&f| site.figure(f).document).collect();
        sources.sort();
        sources.dedup();
        let context = ProgramContext {
            name: p.name.clone(),
            scope: views.region_link(p.scope),
            parent: p.parent.map(|x| Link {
                name: site.program(x).name.clone(),
                url: self.urls.program(site.program(x)),
            }),
            lead: p.lead.clone(),
            partners: p.partners.clone(),
            years: p
                .years
                .iter()
                .map(|y| format!("{y}年"))
                .collect::<Vec<_>>()
                .join("、"),
            body: self
                .prose_html(prose::Owner::Program(id))
                .unwrap_or_default(),
            groups: views.groups(&p.figures),
            children: p.children.iter().map(|&c| views.program_item(c)).collect(),
            children_groups: views.groups(&child_figures),
            charts,
            own_charts,
            brands: p.brands.iter().map(|&b| views.brand_item(b)).collect(),
            topics: self.topic_links(&p.topics),
            documents: views.documents_sorted(&sources),
            agreements: agreements(site, consistency::Holder::Program(id)),
        };
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
            context: to_context(&context),
            extra,
        }
    }

    pub(super) fn program_children_charts(&self, id: ProgramId) -> Vec<Chart> {
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
            &program.children,
            |p, metric, kind, time| compare::program_parts(site, p, metric, kind, time),
        )
    }

    /// The program whose sub-programs carry the most figures (the ten special
    /// programs of the provincial plan, on the default site): charted on the
    /// home and program list pages.
    pub(super) fn main_program(&self) -> Option<ProgramId> {
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
}
