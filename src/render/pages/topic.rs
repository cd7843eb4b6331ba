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
    pub programs: Vec<ProgramItem>,
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

    pub(super) fn topic(&self, name: &str) -> Out {
        let views = self.views();
        let topic = &self.site.topics[name];
        let context = TopicContext {
            name: name.to_owned(),
            documents: views.documents_sorted(&topic.documents),
            programs: topic
                .programs
                .iter()
                .map(|&p| views.program_item(p))
                .collect(),
        };
        Out {
            path: format!("topics/{name}/index.html"),
            template: "topic.html",
            page: self.page(
                &format!("主题：{name}"),
                format!("主题“{name}”下的文件与项目"),
                &format!("topics/{}/", crate::render::urls::encode_segment(name)),
                "topics/",
                vec![self.crumb("主题", "topics/")],
            ),
            context: to_context(&context),
            extra: Vec::new(),
        }
    }
}
