use super::*;

/// One metric's own CSV file on /data/.
#[derive(Serialize)]
pub struct MetricFile {
    pub name: String,
    pub unit: String,
    pub count: usize,
    pub csv_url: String,
}

/// What `data.html` sees.
#[derive(Serialize)]
pub struct DataContext {
    /// data/LICENSE.txt, written when site.yaml gives `data_license`.
    pub license_url: Option<String>,
    pub count: usize,
    pub csv_url: String,
    pub json_url: String,
    /// (column, meaning) of figures.csv.
    pub columns: &'static [(&'static str, &'static str)],
    pub metric_files: Vec<MetricFile>,
}

/// What `search.html` and `404.html` see besides `site` and `page`.
#[derive(Serialize)]
pub struct EmptyContext {}

impl Renderer<'_> {
    pub(super) fn data(&self) -> Out {
        let serialized = crate::render::data::Serialized::of_site(self.site, &self.urls);
        let mut extra = vec![
            (
                "data/figures.csv".to_owned(),
                serialized.csv(0..serialized.count()),
            ),
            ("data/figures.json".to_owned(), serialized.json()),
        ];
        // Records are in the order of the site's figures.
        let mut of_metric: Vec<Vec<usize>> = vec![Vec::new(); self.site.metrics.len()];
        for (i, f) in self.site.figures.iter().enumerate() {
            of_metric[f.metric.0].push(i);
        }
        let mut metric_files = Vec::new();
        for (m, rows) in self.site.metrics.iter().zip(of_metric) {
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
            extra.push((path, serialized.csv(rows.iter().copied())));
        }
        // figures.json is a bare list and figures.csv has fixed columns, so the
        // licence travels beside them (docs/design.md: open data).
        let license_url = self.site.data_license.as_ref().map(|(name, url)| {
            let mut text = format!(
                "{}开放数据（figures.csv、figures.json、metrics/*.csv）\n许可：{name}\n",
                self.site.title
            );
            if let Some(url) = url {
                text.push_str(&format!("许可全文：{url}\n"));
            }
            if let Some(operator) = &self.site.operator {
                text.push_str(&format!("整理：{operator}\n"));
            }
            if let Some(disclaimer) = &self.site.disclaimer {
                text.push_str(&format!("说明：{disclaimer}\n"));
            }
            text.push_str("每个数字的出处文件与原文语句见各行的 document、quote、page_url。\n");
            extra.push(("data/LICENSE.txt".to_owned(), text.into_bytes()));
            self.urls.path("data/LICENSE.txt")
        });
        let context = DataContext {
            license_url,
            count: serialized.count(),
            csv_url: self.urls.path("data/figures.csv"),
            json_url: self.urls.path("data/figures.json"),
            columns: crate::render::data::COLUMNS,
            metric_files,
        };
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
            context: to_context(&context),
            extra,
        }
    }

    /// The search page: Pagefind's index is queried by `assets/search.js`;
    /// without JavaScript the page says so and points to the directories.
    pub(super) fn search(&self) -> Out {
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
            context: to_context(&EmptyContext {}),
            extra: Vec::new(),
        }
    }

    pub(super) fn not_found(&self) -> Out {
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
            context: to_context(&EmptyContext {}),
            extra: Vec::new(),
        }
    }
}
