//! The link check that gates a build: every internal link and `#fragment` in the
//! rendered pages must resolve. Links editors wrote in Markdown are reported at
//! their file and line; anything else is a theme bug and says which page.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::content::markdown;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::Site;

use super::FileSet;
use super::urls::decode_path;

pub fn check(files: &FileSet, site: &Site, sink: &mut Diagnostics) {
    let base_path = {
        let p = site.base_path().to_owned();
        if p.ends_with('/') { p } else { format!("{p}/") }
    };
    // Pages are scanned on every core; diagnostics are pushed in path order.
    let html: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect();
    let ids: HashMap<&str, HashSet<String>> = html
        .par_iter()
        .map(|(path, bytes)| {
            (
                path.as_str(),
                attribute_values(&String::from_utf8_lossy(bytes), "id")
                    .into_iter()
                    .collect(),
            )
        })
        .collect();
    let resolve = |from_page: &str, link: &str| -> Result<(), String> {
        resolve_link(files, &ids, &base_path, from_page, link)
    };

    // Editors' Markdown first, so their broken links carry a file and line.
    let mut reported: HashSet<String> = HashSet::new();
    for (body, at, page) in editor_bodies(site) {
        for (link, range) in markdown::links(body) {
            let Some(target) = internal(&link, &base_path) else {
                continue;
            };
            if let Err(why) = resolve(&page, &target) {
                reported.insert(link.clone());
                let span = Span::new(at.file, at.start + range.start, at.start + range.end);
                sink.push(
                    Diagnostic::error(Code::BrokenLink, span, format!("链接“{link}”指向的页面不存在：{why}"))
                        .label("失效的链接")
                        .help("站内链接从站点根目录写起，例如 [原文](/documents/sanmenxia-188/)；锚点 # 后应是页面中存在的编号"),
                );
            }
        }
    }
    let broken: Vec<Vec<Diagnostic>> = html
        .par_iter()
        .map(|(path, bytes)| {
            let html = String::from_utf8_lossy(bytes);
            let mut links = attribute_values(&html, "href");
            links.extend(attribute_values(&html, "src"));
            let mut found = Vec::new();
            for link in links {
                let Some(target) = internal(&link, &base_path) else {
                    continue;
                };
                if reported.contains(&link) {
                    continue;
                }
                if let Err(why) = resolve(path, &target) {
                    found.push(
                        Diagnostic::without_file(
                            Code::BrokenLink,
                            format!("页面 {path} 中的链接“{link}”失效：{why}"),
                        )
                        .help("这是主题模板生成的链接：检查 themes/ 中的模板"),
                    );
                }
            }
            found
        })
        .collect();
    for diagnostic in broken.into_iter().flatten() {
        sink.push(diagnostic);
    }
}

/// External links of the rendered site, for `check --external`: URL → the
/// pages that carry it and where editors wrote it. Nothing is fetched.
pub fn external(files: &FileSet, site: &Site) -> BTreeMap<String, ExternalLink> {
    let mut found: BTreeMap<String, ExternalLink> = BTreeMap::new();
    let is_external = |link: &str| {
        (link.starts_with("http://") || link.starts_with("https://") || link.starts_with("//"))
            && !link.starts_with(&site.base_url)
    };
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for link in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if is_external(&link) {
                found.entry(link).or_default().pages.insert(path.clone());
            }
        }
    }
    for (body, at, _) in editor_bodies(site) {
        for (link, range) in markdown::links(body) {
            if is_external(&link) {
                found.entry(link).or_default().written_at.push(Span::new(
                    at.file,
                    at.start + range.start,
                    at.start + range.end,
                ));
            }
        }
    }
    found
}

/// Every Markdown body editors wrote: the text, where it starts in its file,
/// and the output page it becomes.
fn editor_bodies(site: &Site) -> impl Iterator<Item = (&String, Span, String)> {
    let documents = site.documents.iter().map(|d| {
        (
            &d.body,
            d.body_at,
            format!("documents/{}/index.html", d.slug),
        )
    });
    let programs = site.programs.iter().map(|p| {
        (
            &p.body,
            p.body_at,
            format!("programs/{}/index.html", p.slug),
        )
    });
    let brands = site
        .brands
        .iter()
        .map(|b| (&b.body, b.body_at, format!("brands/{}/index.html", b.slug)));
    documents.chain(programs).chain(brands)
}

#[derive(Debug, Default)]
pub struct ExternalLink {
    /// Output pages (`documents/x/index.html`) that link to it.
    pub pages: BTreeSet<String>,
    /// Where editors wrote it in Markdown.
    pub written_at: Vec<Span>,
}

/// An internal link as a path from the domain root (`/skills/regions/`), or a
/// bare fragment (`#q-1`); `None` for external links, mail, and the like.
fn internal(link: &str, base_path: &str) -> Option<String> {
    if link.starts_with('#') {
        return Some(link.to_owned());
    }
    if link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("tel:")
        || link.starts_with("data:")
        || link.starts_with("//")
    {
        return None;
    }
    if link.starts_with('/') {
        // Editors write links from the site root (DESIGN.md); the theme writes them with the base path.
        return Some(if link.starts_with(base_path) {
            link.to_owned()
        } else {
            format!("{}{}", base_path, link.trim_start_matches('/'))
        });
    }
    None
}

fn resolve_link(
    files: &FileSet,
    ids: &HashMap<&str, HashSet<String>>,
    base_path: &str,
    from_page: &str,
    link: &str,
) -> Result<(), String> {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let page = if path.is_empty() {
        from_page.to_owned()
    } else {
        let relative = decode_path(
            path.strip_prefix(base_path)
                .unwrap_or(path.trim_start_matches('/')),
        );
        if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else if files.contains(&relative) {
            relative
        } else if files.contains(&format!("{relative}/index.html")) {
            format!("{relative}/index.html")
        } else {
            relative
        }
    };
    if !files.contains(&page) && !is_static_asset(&page) {
        return Err(format!("没有 {page}"));
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        if let Some(page_ids) = ids.get(page.as_str()) {
            if !page_ids.contains(&decode_path(fragment)) {
                return Err(format!("{page} 中没有锚点 #{fragment}"));
            }
        }
    }
    Ok(())
}

/// Theme and site static files are copied at publish time, not rendered.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("assets/")
}

/// Values of one attribute in an HTML text (`href="…"`), unescaping `&amp;`.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_and_fragments() {
        let mut files = FileSet::default();
        files.insert("index.html", "<a href=\"/s/regions/\">x</a>");
        files.insert("regions/index.html", "<h2 id=\"list\">x</h2>");
        let ids: HashMap<&str, HashSet<String>> = files
            .iter()
            .map(|(p, b)| {
                (
                    p.as_str(),
                    attribute_values(&String::from_utf8_lossy(b), "id")
                        .into_iter()
                        .collect(),
                )
            })
            .collect();
        assert!(resolve_link(&files, &ids, "/s/", "index.html", "/s/regions/").is_ok());
        assert!(resolve_link(&files, &ids, "/s/", "index.html", "/s/regions/#list").is_ok());
        assert!(resolve_link(&files, &ids, "/s/", "index.html", "/s/regions/#nope").is_err());
        assert!(resolve_link(&files, &ids, "/s/", "index.html", "/s/brands/").is_err());
        assert_eq!(internal("/regions/", "/s/"), Some("/s/regions/".into()));
        assert_eq!(internal("https://example.org/", "/s/"), None);
    }
}
