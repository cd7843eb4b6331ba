use super::pagination::{self, PER_PAGE, Pagination};
use super::*;

/// One topic in the topic list.
#[derive(Serialize)]
pub struct TopicItem {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// What `topics.html` sees.
#[derive(Serialize)]
pub struct TopicsContext {
    pub topics: Vec<TopicItem>,
}

/// What `topic.html` sees.
#[derive(Serialize)]
pub struct TopicContext {
    pub name: String,
    pub documents: Vec<DocumentItem>,
    /// On the first page only.
    pub programs: Vec<ProgramItem>,
    pub program_count: usize,
    /// Of the documents, when there are more than `PER_PAGE`.
    pub pagination: Option<Pagination>,
}

impl Renderer<'_> {
    pub(super) fn topic_links(&self, topics: &[String]) -> Vec<Link> {
        topics
            .iter()
            .map(|t| Link {
                name: t.clone(),
                url: self.urls.topic(t),
            })
            .collect()
    }

    pub(super) fn topics(&self) -> Out {
        let topics: Vec<TopicItem> = self
            .site
            .topics
            .iter()
            .map(|(t, topic)| TopicItem {
                name: t.clone(),
                url: self.urls.topic(t),
                count: topic.documents.len() + topic.programs.len(),
            })
            .collect();
        let context = TopicsContext { topics };
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
            context: to_context(&context),
            extra: Vec::new(),
        }
    }

    /// A topic's page: its documents (newest first, pages of `PER_PAGE` at
    /// `topics/<topic>/page/N/` when longer) and, on page 1, its programs.
    pub(super) fn topic(&self, name: &str) -> Vec<Out> {
        let views = self.views();
        let topic = &self.site.topics[name];
        let base = format!("topics/{}/", crate::render::urls::encode_segment(name));
        let url = |p: usize| self.urls.path(&pagination::page_path(&base, p));
        let documents = views.documents_sorted(&topic.documents);
        let rows = documents.len();
        let pages = pagination::paged_groups(vec![documents], PER_PAGE);
        let total = pages.len();
        let mut programs: Vec<ProgramItem> = topic
            .programs
            .iter()
            .map(|&p| views.program_item(p))
            .collect();
        let mut outs = Vec::new();
        for (i, groups) in pages.into_iter().enumerate() {
            let page = i + 1;
            let context = TopicContext {
                name: name.to_owned(),
                documents: groups.into_iter().flat_map(|g| g.rows).collect(),
                programs: std::mem::take(&mut programs),
                program_count: topic.programs.len(),
                pagination: Pagination::new(page, rows, PER_PAGE, url),
            };
            outs.push(Out {
                path: format!(
                    "{}index.html",
                    pagination::page_path(&format!("topics/{name}/"), page)
                ),
                template: "topic.html",
                page: self.list_page(
                    &base,
                    name,
                    vec![self.crumb("主题", "topics/")],
                    (
                        &format!("主题：{name}"),
                        format!("主题“{name}”下的文件与项目"),
                    ),
                    (page, total),
                ),
                context: to_context(&context),
                extra: Vec::new(),
            });
        }
        outs
    }
}
