use super::*;

/// One document in the Atom feed.
#[derive(Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    pub updated: String,
    pub author: String,
    pub summary: String,
}

/// What `feed.xml` sees.
#[derive(Serialize)]
pub struct FeedContext {
    pub entries: Vec<FeedEntry>,
    pub updated: String,
    pub feed_url: String,
}

/// What `sitemap.xml` sees.
#[derive(Serialize)]
pub struct SitemapContext {
    pub urls: Vec<String>,
}

impl Renderer<'_> {
    /// Atom feed: one entry per dated document, newest first (undated ones are left out).
    pub(super) fn feed(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let dated: Vec<DocId> = (0..site.documents.len())
            .map(DocId)
            .filter(|&d| site.document(d).date.is_some())
            .collect();
        let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00+08:00");
        let mut entries: Vec<(jiff::civil::Date, FeedEntry)> = dated
            .iter()
            .map(|&id| {
                let d = site.document(id);
                let item = views.document_item(id);
                let date = d.date.expect("dated");
                (
                    date,
                    FeedEntry {
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
        let context = FeedContext {
            entries: entries.into_iter().map(|(_, e)| e).collect(),
            updated,
            feed_url: self.urls.absolute("feed.xml"),
        };
        Out {
            path: "feed.xml".into(),
            template: "feed.xml",
            page: self.page(&site.title, String::new(), "feed.xml", "", vec![]),
            context: to_context(&context),
            extra: Vec::new(),
        }
    }

    pub(super) fn sitemap(&self) -> Out {
        let urls: Vec<String> = all_pages(self.site)
            .iter()
            .flat_map(|p| {
                let mut paths: Vec<String> = p.from_root(self.site).into_iter().collect();
                // A long metric's per-region views, further pages of long lists.
                paths.extend(further_paths(self.site, p));
                paths
            })
            .map(|p| self.urls.absolute(&p))
            .collect();
        let context = SitemapContext { urls };
        Out {
            path: "sitemap.xml".into(),
            template: "sitemap.xml",
            page: self.page("sitemap", String::new(), "sitemap.xml", "", vec![]),
            context: to_context(&context),
            extra: Vec::new(),
        }
    }
}
