//! Stage 3b: the search index. Pagefind (with its `extended` feature, which
//! segments Chinese) indexes the rendered pages in memory and returns its
//! bundle — index, fragments, WebAssembly and the search API script — as files
//! under `pagefind/`, served from the site itself (no CDN).
//!
//! Only what a page marks with `data-pagefind-body` (the theme's `<main>`) is
//! indexed; pages are added in path order, so the bundle is the same bytes
//! for the same site.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::BuildError;
use crate::render::FileSet;

/// Where the bundle goes, from the site root.
pub const BUNDLE_DIR: &str = "pagefind";

/// Indexes every page of `pages` that is a page of its own (`…/index.html`,
/// not the 404 page) and returns the bundle's files.
pub fn index(pages: &FileSet) -> Result<FileSet, BuildError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&e))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("zh-cn".to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failed(&e))?;
        for (path, bytes) in pages.iter().filter(|(path, _)| is_searchable(path)) {
            let html = tame_for_index(&String::from_utf8_lossy(bytes));
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .map_err(|e| failed(&e))?;
        }
        let mut bundle = FileSet::default();
        for file in index.get_files().await.map_err(|e| failed(&e))? {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            bundle.insert(format!("{BUNDLE_DIR}/{name}"), file.contents);
        }
        Ok(bundle)
    })
}

/// Characters of text Pagefind indexes per page: four times the longest
/// document of the default site. The pages keep all their text.
const MAX_INDEXED_CHARS: usize = 50_000;
/// Longest run of one repeated character that is indexed.
const MAX_RUN: usize = 8;

/// Pagefind's indexing is quadratic in how often a pair of characters repeats
/// in one page (it rescans every earlier position of the pair), so a 300 KB
/// run of one 汉字 took half a minute. Gives it the page with text beyond
/// [`MAX_INDEXED_CHARS`] and runs longer than [`MAX_RUN`] left out; tags stay.
fn tame_for_index(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4 * MAX_INDEXED_CHARS));
    let (mut in_tag, mut count, mut run, mut previous) = (false, 0usize, 0usize, '\0');
    for c in html.chars() {
        if in_tag || c == '<' {
            in_tag = c != '>';
            out.push(c);
            continue;
        }
        run = if c == previous { run + 1 } else { 1 };
        previous = c;
        if c.is_whitespace() || (run <= MAX_RUN && count < MAX_INDEXED_CHARS) {
            count += usize::from(!c.is_whitespace());
            out.push(c);
        }
    }
    out
}

fn is_searchable(path: &str) -> bool {
    (path == "index.html" || path.ends_with("/index.html")) && !path.starts_with("search/")
}

fn failed(error: &dyn std::fmt::Display) -> BuildError {
    BuildError::Search(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body><nav>导航</nav><main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>"
        )
    }

    #[test]
    fn pathological_text_is_cut_but_tags_stay() {
        let long = page("长", &"技".repeat(300_000));
        let tamed = tame_for_index(&long);
        assert!(
            tamed.contains("技技技技技技技技<"),
            "a run keeps {MAX_RUN} characters"
        );
        assert!(!tamed.contains(&"技".repeat(MAX_RUN + 1)));
        assert!(tamed.ends_with("</p></main></body></html>"));
        let prose = page("长", &"技能培训，".repeat(50_000));
        let tamed = tame_for_index(&prose);
        assert!(tamed.len() < 4 * MAX_INDEXED_CHARS + 300, "{}", tamed.len());
        assert!(tamed.ends_with("</p></main></body></html>"));
        let small = page("技能河南", "人人持证");
        assert_eq!(tame_for_index(&small), small);
    }

    #[test]
    fn indexes_chinese_pages_deterministically() {
        let mut pages = FileSet::default();
        pages.insert("index.html", page("技能河南", "人人持证"));
        pages.insert(
            "programs/xinxing-xuetuzhi/index.html",
            page("企业新型学徒制", "深化产教融合，推行新型学徒制培训"),
        );
        pages.insert("404.html", page("找不到页面", "学徒"));
        let first = index(&pages).unwrap();
        assert!(
            first.contains("pagefind/pagefind.js"),
            "{:?}",
            first.paths().collect::<Vec<_>>()
        );
        assert!(first.paths().any(|p| p.starts_with("pagefind/index/")));
        assert!(first.paths().any(|p| p.starts_with("pagefind/fragment/")));
        assert_eq!(index(&pages).unwrap(), first, "same pages, same bundle");
    }
}
