//! Long lists split into pages, as Zola and Hugo sites do: page 1 at the
//! list's own URL, page N at `<list>/page/N/`, and a navigation block that
//! works without JavaScript (`partials/pagination.html`).

use super::Renderer;
use crate::render::context::{Link, PageView};
use serde::Serialize;

/// Items per page of a long document, brand or topic list. A document row
/// is about 330 bytes of HTML and a brand about 400, so a page stays near
/// 30 KB (a few KB gzipped) and one or two screens of scrolling per ten
/// items on a phone; 50 is also the metric pages' row count, so every list
/// of the site pages alike. A list of up to this many items is one page and
/// renders exactly as before pagination existed.
pub const PER_PAGE: usize = 50;

/// Page numbers shown on either side of the current one; further numbers
/// collapse into a gap (1 … 4 5 6 7 8 … 115), so the block stays a few
/// lines on a phone however long the list.
const AROUND: usize = 2;

/// One entry of the page-number list: a page, or a gap of skipped pages.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct PageNumber {
    /// The page number; `None` marks a gap (shown as `…`).
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

/// Page N of M of one list.
#[derive(Serialize, Clone, Debug)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first and last page, the current one and its neighbours, with gaps.
    pub pages: Vec<PageNumber>,
    /// The rows shown (1-based, inclusive) of `rows`.
    pub first: usize,
    pub last: usize,
    pub rows: usize,
}

/// How many pages a list of `rows` items takes (at least one).
pub fn page_count(rows: usize, per_page: usize) -> usize {
    rows.div_ceil(per_page).max(1)
}

/// The index range of `rows` items that page `page` (1-based) shows.
pub fn page_range(rows: usize, per_page: usize, page: usize) -> std::ops::Range<usize> {
    let from = ((page - 1) * per_page).min(rows);
    from..(from + per_page).min(rows)
}

/// The URL path of page `page` of the list at `base` (`documents/`):
/// the list itself for page 1, `documents/page/N/` after.
pub fn page_path(base: &str, page: usize) -> String {
    if page > 1 {
        format!("{base}page/{page}/")
    } else {
        base.to_owned()
    }
}

/// The paths of pages 2… of a list (for the sitemap).
pub fn further_paths(base: &str, rows: usize, per_page: usize) -> Vec<String> {
    (2..=page_count(rows, per_page))
        .map(|p| page_path(base, p))
        .collect()
}

/// Rows of one group (a document kind, a brand level) on one page.
pub struct PageGroup<T> {
    /// The group's index in the whole list.
    pub group: usize,
    /// The group began on an earlier page (its heading says 续).
    pub continued: bool,
    pub rows: Vec<T>,
}

/// A grouped list cut into pages of `per_page` rows, groups in order, each
/// page's rows under their groups' headings (a group may span pages).
pub fn paged_groups<T>(groups: Vec<Vec<T>>, per_page: usize) -> Vec<Vec<PageGroup<T>>> {
    let mut pages: Vec<Vec<PageGroup<T>>> = vec![Vec::new()];
    let mut on_page = 0;
    for (group, rows) in groups.into_iter().enumerate() {
        let mut continued = false;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            if on_page == per_page {
                pages.push(Vec::new());
                on_page = 0;
            }
            let taken: Vec<T> = rows.by_ref().take(per_page - on_page).collect();
            on_page += taken.len();
            pages
                .last_mut()
                .expect("one page at least")
                .push(PageGroup {
                    group,
                    continued,
                    rows: taken,
                });
            continued = true;
        }
    }
    pages
}

/// The page (1-based) on which each group begins.
pub fn group_first_pages(sizes: &[usize], per_page: usize) -> Vec<usize> {
    let mut before = 0;
    sizes
        .iter()
        .map(|n| {
            let page = before / per_page + 1;
            before += n;
            page
        })
        .collect()
}

/// A group of a paginated list, linked to the page it begins on.
#[derive(Serialize, Clone)]
pub struct GroupJump {
    pub name: &'static str,
    pub count: usize,
    pub url: String,
}

/// Where each group of a list of `total` pages begins (nothing for one page).
pub fn group_jumps(
    names: &[&'static str],
    sizes: &[usize],
    per_page: usize,
    total: usize,
    url: impl Fn(usize) -> String,
) -> Vec<GroupJump> {
    if total <= 1 {
        return Vec::new();
    }
    group_first_pages(sizes, per_page)
        .into_iter()
        .zip(names.iter().zip(sizes))
        .map(|(page, (&name, &count))| GroupJump {
            name,
            count,
            url: url(page),
        })
        .collect()
}

/// A further page's title and description name its number (`文件 · 第2页`).
pub fn numbered(title: &str, description: String, page: usize, total: usize) -> (String, String) {
    if page > 1 {
        (
            format!("{title} · 第{page}页"),
            format!("{description}（第{page}页，共{total}页）"),
        )
    } else {
        (title.to_owned(), description)
    }
}

impl Renderer<'_> {
    /// The view of page `page` of `total` of the list whose first page is
    /// `base` (`documents/`, `topics/<t>/`), in the section of its first path
    /// segment: numbered after the first page, with a crumb back to the first
    /// (named `name`) after `crumbs`, and indexed for search on the first only
    /// (the others repeat what their items' own pages say).
    pub(super) fn list_page(
        &self,
        base: &str,
        name: &str,
        mut crumbs: Vec<Link>,
        (title, description): (&str, String),
        (page, total): (usize, usize),
    ) -> PageView {
        let (title, description) = numbered(title, description, page, total);
        if page > 1 {
            crumbs.push(self.crumb(name, base));
        }
        let section = format!("{}/", base.split('/').next().unwrap_or_default());
        self.page(
            &title,
            description,
            &page_path(base, page),
            &section,
            crumbs,
        )
        .searchable(page == 1)
    }
}

impl Pagination {
    /// Page `page` of a list of `rows` items, `url(p)` linking page `p`;
    /// `None` when the whole list fits on one page.
    pub fn new(
        page: usize,
        rows: usize,
        per_page: usize,
        url: impl Fn(usize) -> String,
    ) -> Option<Pagination> {
        let total = page_count(rows, per_page);
        if total <= 1 {
            return None;
        }
        let range = page_range(rows, per_page, page);
        // The ends, the current page and its neighbours; a gap of a single
        // page shows that page, as `…` would be no shorter.
        let mut shown: Vec<bool> = (0..total + 2)
            .map(|p| {
                (1..=total).contains(&p) && (p == 1 || p == total || p.abs_diff(page) <= AROUND)
            })
            .collect();
        for p in 2..total {
            shown[p] |= shown[p - 1] && shown[p + 1];
        }
        let mut pages = Vec::new();
        for p in 1..=total {
            if shown[p] {
                pages.push(PageNumber {
                    number: Some(p),
                    url: url(p),
                    current: p == page,
                });
            } else if shown[p - 1] {
                pages.push(PageNumber {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            }
        }
        Some(Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            pages,
            first: range.start + 1,
            last: range.end,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(page: usize, total: usize) -> String {
        let p = Pagination::new(page, total * 10, 10, |p| format!("/l/{p}/")).unwrap();
        p.pages
            .iter()
            .map(|n| match n.number {
                Some(x) if n.current => format!("[{x}]"),
                Some(x) => x.to_string(),
                None => "…".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn page_numbers_keep_the_ends_and_the_neighbours() {
        assert_eq!(shown(1, 3), "[1] 2 3");
        assert_eq!(shown(1, 7), "[1] 2 3 … 7");
        assert_eq!(shown(4, 7), "1 2 3 [4] 5 6 7");
        assert_eq!(shown(1, 20), "[1] 2 3 … 20");
        assert_eq!(shown(4, 20), "1 2 3 [4] 5 6 … 20");
        assert_eq!(shown(5, 20), "1 2 3 4 [5] 6 7 … 20");
        assert_eq!(shown(10, 20), "1 … 8 9 [10] 11 12 … 20");
        assert_eq!(shown(17, 20), "1 … 15 16 [17] 18 19 20");
        assert_eq!(shown(20, 20), "1 … 18 19 [20]");
    }

    #[test]
    fn one_page_needs_no_navigation_and_ranges_cover_every_row() {
        assert!(Pagination::new(1, 50, 50, |_| String::new()).is_none());
        assert!(Pagination::new(1, 0, 50, |_| String::new()).is_none());
        let rows = 123;
        let covered: Vec<usize> = (1..=page_count(rows, 50))
            .flat_map(|p| page_range(rows, 50, p))
            .collect();
        assert_eq!(covered, (0..rows).collect::<Vec<_>>());
        assert_eq!(
            further_paths("documents/", rows, 50),
            ["documents/page/2/", "documents/page/3/"]
        );
    }

    #[test]
    fn groups_span_pages_in_order() {
        let pages = paged_groups(vec![vec![1, 2, 3], vec![], vec![4, 5, 6, 7, 8]], 3);
        let shape: Vec<Vec<(usize, bool, Vec<i32>)>> = pages
            .into_iter()
            .map(|p| {
                p.into_iter()
                    .map(|g| (g.group, g.continued, g.rows))
                    .collect()
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(0, false, vec![1, 2, 3])],
                vec![(2, false, vec![4, 5, 6])],
                vec![(2, true, vec![7, 8])],
            ]
        );
        assert_eq!(group_first_pages(&[3, 0, 5], 3), [1, 2, 2]);
        assert_eq!(paged_groups::<i32>(vec![], 3).len(), 1);
    }
}
