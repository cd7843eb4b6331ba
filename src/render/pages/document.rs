use super::pagination::{self, GroupJump, PER_PAGE, Pagination};
use super::*;

/// Documents of one kind, for the document list.
#[derive(Serialize)]
pub struct DocKindGroup {
    pub name: &'static str,
    pub documents: Vec<DocumentItem>,
    /// The kind began on an earlier page of the list.
    pub continued: bool,
}

/// What `documents.html` sees.
#[derive(Serialize)]
pub struct DocumentsContext {
    pub kinds: Vec<DocKindGroup>,
    /// Every kind and where it begins (a long list only).
    pub jumps: Vec<GroupJump>,
    pub pagination: Option<Pagination>,
}

/// What `document.html` sees.
#[derive(Serialize)]
pub struct DocumentContext {
    pub title: String,
    /// The government metadata table: (label, value).
    pub meta: Vec<(&'static str, String)>,
    pub region: Link,
    /// HTML, quotes highlighted.
    pub body: String,
    pub toc: Vec<Link>,
    pub figures: Vec<FigureRow>,
    pub topics: Vec<Link>,
    /// The official original (https).
    pub source_url: Option<String>,
}

impl Renderer<'_> {
    /// The document list: one page, or pages of `PER_PAGE` documents in the
    /// same order (by kind, newest first) at `documents/page/N/`.
    pub(super) fn documents(&self) -> Vec<Out> {
        let site = self.site;
        let views = self.views();
        let mut names = Vec::new();
        let mut groups = Vec::new();
        for kind in [
            DocKind::Policy,
            DocKind::WorkPlan,
            DocKind::Notice,
            DocKind::Report,
            DocKind::ProposalReply,
        ] {
            let ids: Vec<DocId> = (0..site.documents.len())
                .map(DocId)
                .filter(|&d| site.document(d).kind == kind)
                .collect();
            if !ids.is_empty() {
                names.push(doc_kind_label(kind));
                groups.push(views.documents_sorted(&ids));
            }
        }
        let rows: usize = groups.iter().map(Vec::len).sum();
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let url = |p: usize| self.urls.path(&pagination::page_path("documents/", p));
        let pages = pagination::paged_groups(groups, PER_PAGE);
        let total = pages.len();
        let jumps = pagination::group_jumps(&names, &sizes, PER_PAGE, total, url);
        let mut outs = Vec::new();
        for (i, groups) in pages.into_iter().enumerate() {
            let page = i + 1;
            let kinds = groups
                .into_iter()
                .map(|g| DocKindGroup {
                    name: names[g.group],
                    documents: g.rows,
                    continued: g.continued,
                })
                .collect();
            let context = DocumentsContext {
                kinds,
                jumps: jumps.clone(),
                pagination: Pagination::new(page, rows, PER_PAGE, url),
            };
            let from_root = pagination::page_path("documents/", page);
            outs.push(Out {
                path: format!("{from_root}index.html"),
                template: "documents.html",
                page: self.list_page(
                    "documents/",
                    "文件",
                    vec![],
                    (
                        "文件",
                        "政策文件、工作方案与提案答复的全文，按类别和日期排列".into(),
                    ),
                    (page, total),
                ),
                context: to_context(&context),
                extra: Vec::new(),
            });
        }
        outs
    }

    pub(super) fn document(&self, id: DocId) -> Out {
        let site = self.site;
        let views = self.views();
        let d = site.document(id);
        let mut meta: Vec<(&'static str, String)> = Vec::new();
        if let Some(v) = &d.issuer {
            meta.push(("发文机关", v.clone()));
        }
        if let Some(v) = &d.doc_number {
            meta.push(("发文字号", v.clone()));
        }
        meta.push(("成文日期", date_label(d.date)));
        if let Some(v) = &d.signed_by {
            meta.push(("签发人", v.clone()));
        }
        meta.push(("文件类别", doc_kind_label(d.kind).to_owned()));
        if let Some(p) = &d.proposal {
            meta.push(("会议", p.meeting.clone()));
            meta.push(("提案号", p.number.clone()));
            meta.push(("提案标题", p.title.clone()));
            meta.push(("提案人", p.proposers.join("、")));
            if let Some(r) = &p.result {
                meta.push(("办理结果", result_label(r)));
            }
        }
        if let Some(v) = &d.contact {
            meta.push(("联系方式", v.clone()));
        }
        let body = markdown::to_html_at(&d.body, &d.highlights, &self.urls.base_path);
        let mut rows: Vec<FigureRow> = d.figures.iter().map(|&f| views.figure_row(f)).collect();
        for row in &mut rows {
            // On its own page the link goes to the highlighted sentence just above.
            row.source_url = row
                .source_url
                .split_once('#')
                .map_or(row.source_url.clone(), |(_, frag)| format!("#{frag}"));
        }
        let context = DocumentContext {
            title: d.title.clone(),
            meta,
            region: views.region_link(d.region),
            toc: body
                .headings
                .iter()
                .filter(|(level, _, _)| *level == 3)
                .map(|(_, id, text)| Link {
                    name: text.clone(),
                    url: format!("#{id}"),
                })
                .collect(),
            body: body.html,
            figures: rows,
            topics: self.topic_links(&d.topics),
            source_url: d.source_url.clone(),
        };
        let description = format!(
            "{}{}{}全文及其中的{}个数字",
            d.issuer.as_deref().unwrap_or(""),
            d.date
                .map(|x| format!("{}年{}月", x.year(), x.month()))
                .unwrap_or_default(),
            d.title,
            d.figures.len()
        );
        Out {
            path: format!("documents/{}/index.html", d.slug),
            template: "document.html",
            page: self.page(
                &d.title,
                description,
                &format!("documents/{}/", d.slug),
                "documents/",
                vec![self.crumb("文件", "documents/")],
            ),
            context: to_context(&context),
            extra: Vec::new(),
        }
    }
}
