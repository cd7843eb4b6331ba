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

/// What `metric.html` sees. Kept flat so that a paginated metric page can add
/// its own fields (page number, links) beside these.
#[derive(Serialize)]
pub struct MetricContext {
    pub name: String,
    pub name_en: Option<String>,
    pub unit: String,
    pub description: Option<String>,
    pub groups: Vec<MetricGroup>,
    pub charts: Vec<ChartView>,
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

    pub(super) fn metric(&self, id: MetricId) -> Out {
        let m = self.site.metric(id);
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
        let (charts, extra) = split_charts(charts);
        let context = MetricContext {
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            unit: m.unit.clone(),
            description: m.description.clone(),
            groups: self.views().groups(&m.figures),
            charts,
        };
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
            context: to_context(&context),
            extra,
        }
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
