//! The link check that gates a build: every internal link and `#fragment` in the
//! rendered pages must resolve. Links editors wrote in Markdown are reported at
//! their file and line; anything else is a theme bug and says which page.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

// The link check hashes every link of every page (millions at national
// scale) and the keys are the site's own paths: a fast hash, not a
// DoS-resistant one.
use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use crate::content::link::{self, Link};
use crate::content::markdown;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::Site;

use super::FileSet;
use super::markup;
use super::urls::decode_path;

/// Checks every internal link of the rendered pages against the pages and the
/// static files (theme's and site's `static/`) that the build publishes.
pub fn check(files: &FileSet, statics: &FileSet, site: &Site, sink: &mut Diagnostics) {
    let mut scans = Scans::new();
    scan_missing(files, &mut scans);
    check_scanned(&scans, &|path| files.contains(path), statics, site, sink);
}

/// What each HTML page was scanned for, by path. `serve` keeps it between
/// rebuilds so that only re-rendered pages are read again.
pub type Scans = BTreeMap<String, Arc<Scanned>>;

/// Brings `scans` up to date with `files`: entries of pages no longer there
/// go, pages without an entry are scanned (on every core). A caller that
/// re-rendered a page removes its entry first.
pub fn scan_missing(files: &FileSet, scans: &mut Scans) {
    scans.retain(|path, _| files.contains(path));
    let missing: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html") && !scans.contains_key(*path))
        .collect();
    let scanned: Vec<(String, Arc<Scanned>)> = missing
        .par_iter()
        .map(|(path, bytes)| {
            let scanned = scan(&super::text_of(bytes));
            ((*path).clone(), Arc::new(scanned))
        })
        .collect();
    scans.extend(scanned);
}

/// [`check`] from what each page was scanned for (`scanned`, by path) and
/// which paths the pages produced (`is_page`), for a build that does not keep
/// the pages themselves.
pub fn check_scanned(
    scanned: &Scans,
    is_page: &(dyn Fn(&str) -> bool + Sync),
    statics: &FileSet,
    site: &Site,
    sink: &mut Diagnostics,
) {
    check_scanned_only(scanned, is_page, statics, site, sink, &|_| true);
}

/// [`check_scanned`] for the links on the pages `only` accepts (the pages
/// themselves and the editors' Markdown shown on them); targets are still
/// looked up among all pages. `serve` checks the pages it re-rendered.
pub fn check_scanned_only(
    scanned: &Scans,
    is_page: &(dyn Fn(&str) -> bool + Sync),
    statics: &FileSet,
    site: &Site,
    sink: &mut Diagnostics,
    only: &(dyn Fn(&str) -> bool + Sync),
) {
    let base_path = {
        let p = site.base_path().to_owned();
        if p.ends_with('/') { p } else { format!("{p}/") }
    };
    let site_files = SiteFiles {
        is_page,
        statics,
        scanned,
    };

    // Editors' Markdown first, so their broken links carry a file and line.
    // What was reported there (page → targets) is not reported again below.
    let mut reported: HashMap<String, HashSet<String>> = HashMap::new();
    for (links, at, page) in editor_bodies(site).filter(|(_, _, page)| only(page)) {
        for (written, range) in links.iter() {
            let Some(target) = internal(written, &base_path, &page) else {
                continue;
            };
            if let Err(why) = target.and_then(|t| {
                let result = site_files.resolve(&base_path, &page, &t);
                reported.entry(page.clone()).or_default().insert(t);
                result
            }) {
                let span = span_in(at, range.clone());
                sink.push(
                    Diagnostic::error(Code::BrokenLink, span, format!("链接“{written}”指向的页面不存在：{why}"))
                        .label("失效的链接")
                        .help("站内链接从站点根目录写起（例如 [原文](/documents/sanmenxia-188/)），或相对于本页（例如 ../sanmenxia-188/）；static/ 中的文件按它在 static/ 中的路径链接（例如 /files/原件.pdf）；锚点 # 后应是页面中存在的编号"),
                );
            }
        }
    }
    let is_reported = |page: &str, target: &str| {
        reported
            .get(page)
            .is_some_and(|targets| targets.contains(target))
    };
    let scanned: Vec<(&String, &Arc<Scanned>)> =
        scanned.iter().filter(|(path, _)| only(path)).collect();
    // Most links repeat from page to page (navigation, breadcrumbs, a
    // document's figures): a link from the root means the same on every
    // page, so each distinct one is resolved once. The distinct links are
    // gathered on every core, a share of the pages each (millions of links
    // at national scale), and the shares' sets joined.
    let share = scanned.len().div_ceil(rayon::current_num_threads()).max(1);
    let distinct: HashSet<&str> = scanned
        .par_chunks(share)
        .map(|pages| {
            pages
                .iter()
                .flat_map(|(_, page)| page.links.iter())
                .collect::<HashSet<&str>>()
        })
        .reduce(HashSet::default, |mut all, some| {
            all.extend(some);
            all
        });
    let shared: HashMap<&str, Shared> = distinct
        .into_par_iter()
        .filter_map(|written| {
            // A relative link or a bare fragment depends on its page.
            if matches!(link::classify(written), Ok(Link::Relative | Link::Fragment)) {
                return None;
            }
            let shared = match internal(written, &base_path, "") {
                None => Shared::Leaves,
                Some(Err(why)) => Shared::Broken(why),
                Some(Ok(target)) => {
                    let resolved = site_files.resolve(&base_path, "", &target);
                    Shared::Target(target, resolved)
                }
            };
            Some((written, shared))
        })
        .collect();
    // Pages are checked on every core; diagnostics are pushed in path order.
    let broken: Vec<Vec<Diagnostic>> = scanned
        .par_iter()
        .map(|(path, page)| {
            let mut found = Vec::new();
            for written in page.links.iter() {
                let outcome = match shared.get(written) {
                    Some(Shared::Leaves) => continue,
                    Some(Shared::Target(t, _)) if is_reported(path, t) => continue,
                    Some(Shared::Target(_, resolved)) => resolved.clone(),
                    Some(Shared::Broken(why)) => Err(why.clone()),
                    None => match internal(written, &base_path, path) {
                        None => continue,
                        Some(Ok(t)) if is_reported(path, &t) => continue,
                        Some(target) => {
                            target.and_then(|t| site_files.resolve(&base_path, path, &t))
                        }
                    },
                };
                if let Err(why) = outcome {
                    found.push(
                        Diagnostic::without_file(
                            Code::BrokenLink,
                            format!("页面 {path} 中的链接“{written}”失效：{why}"),
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
        for link in scan(&super::text_of(bytes)).links.iter() {
            if is_external(link) {
                found
                    .entry(link.to_owned())
                    .or_default()
                    .pages
                    .insert(path.clone());
            }
        }
    }
    for (links, at, _) in editor_bodies(site) {
        for (link, range) in links.iter() {
            if is_external(link) {
                found
                    .entry(link.clone())
                    .or_default()
                    .written_at
                    .push(span_in(at, range.clone()));
            }
        }
    }
    found
}

/// Where a link at `range` of an editor's text stands in its file: `at` is
/// where the text starts (empty span), or the whole field when the text does
/// not map offset for offset onto the file (a block or quoted YAML scalar).
fn span_in(at: Span, range: std::ops::Range<usize>) -> Span {
    if at.end > at.start {
        at
    } else {
        Span::new(at.file, at.start + range.start, at.start + range.end)
    }
}

/// Every Markdown body editors wrote: its links, where it starts in its
/// file, and the output page it becomes.
fn editor_bodies(site: &Site) -> impl Iterator<Item = (Cow<'_, markdown::Links>, Span, String)> {
    // Bodies' links were read when their files were loaded.
    let documents = site.documents.iter().map(|d| {
        (
            Cow::Borrowed(&d.body_links),
            d.body_at,
            format!("documents/{}/index.html", d.slug),
        )
    });
    let programs = site.programs.iter().map(|p| {
        (
            Cow::Borrowed(&p.body_links),
            p.body_at,
            format!("programs/{}/index.html", p.slug),
        )
    });
    let brands = site.brands.iter().map(|b| {
        (
            Cow::Borrowed(&b.body_links),
            b.body_at,
            format!("brands/{}/index.html", b.slug),
        )
    });
    // A summary is a YAML scalar: a one-line one maps offset for offset onto
    // its file; a block one is reported at the field, where the editor looks.
    let regions = site.regions.iter().filter_map(|r| {
        let (summary, at) = (r.summary.as_ref()?, r.summary_at?);
        let at = if summary.contains('\n') || at.end - at.start != summary.len() {
            at
        } else {
            Span::new(at.file, at.start, at.start)
        };
        Some((
            Cow::Owned(markdown::links(summary)),
            at,
            format!("regions/{}/index.html", r.slug),
        ))
    });
    documents.chain(programs).chain(brands).chain(regions)
}

#[derive(Debug, Default)]
pub struct ExternalLink {
    /// Output pages (`documents/x/index.html`) that link to it.
    pub pages: BTreeSet<String>,
    /// Where editors wrote it in Markdown.
    pub written_at: Vec<Span>,
}

/// An internal link as a path from the domain root with its fragment
/// (`/skills/regions/#list`), or a bare fragment (`#q-1`); `None` for links that
/// leave the site (or that content checks refuse); `Err` for a relative link
/// that climbs out of the site.
fn internal(written: &str, base_path: &str, from_page: &str) -> Option<Result<String, String>> {
    let absolute = match link::classify(written).ok()? {
        Link::External => return None,
        Link::Fragment => return Some(Ok(written.trim().to_owned())),
        // Editors write links from the site root (docs/design.md); the theme writes them with the base path.
        Link::SiteRelative if written.starts_with(base_path) => written.to_owned(),
        Link::SiteRelative => format!("{base_path}{}", written.trim_start_matches('/')),
        Link::Relative => {
            let page_dir = from_page.strip_suffix("index.html").unwrap_or(from_page);
            let page_dir = &page_dir[..page_dir.rfind('/').map_or(0, |i| i + 1)];
            return Some(join(&format!("{base_path}{page_dir}"), written, base_path));
        }
    };
    Some(join("/", &absolute, base_path))
}

/// Resolves `link` against the directory URL `base` as a browser does (`..`,
/// `.`, query and fragment), and keeps it under the site's `base_path`.
fn join(base: &str, link: &str, base_path: &str) -> Result<String, String> {
    // Nearly every link the theme writes is a plain path from the root, which
    // a browser resolves to itself: no URL parsing for those (three parses
    // per link were most of the link check).
    if is_plain_absolute(link) && is_plain_absolute(base_path) {
        let path = link.split('#').next().unwrap_or(link);
        if !path.starts_with(base_path) {
            return Err(format!("超出了站点（站点从 {base_path} 开始）"));
        }
        return Ok(link.to_owned());
    }
    join_as_url(base, link, base_path)
}

/// A path from the root that URL resolution leaves as it is: unreserved
/// ASCII only (nothing to percent-encode or decode), no query, at most one
/// `#`, no empty, `.` or `..` segment.
fn is_plain_absolute(link: &str) -> bool {
    let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
    let unreserved = |text: &str| {
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let mut segments = rest.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        if (segment.is_empty() && !last)
            || segment == "."
            || segment == ".."
            || !unreserved(segment)
        {
            return false;
        }
    }
    unreserved(fragment)
}

/// [`join`] by the URL standard, for any link.
fn join_as_url(base: &str, link: &str, base_path: &str) -> Result<String, String> {
    let origin = url::Url::parse("http://site.invalid/").expect("valid URL");
    let resolved = origin
        .join(base)
        .and_then(|base| base.join(link))
        .map_err(|e| format!("无法解析网址（{e}）"))?;
    if resolved.origin() != origin.origin() {
        return Err("指向别的网站".into());
    }
    let path = resolved.path();
    if !decode_path(path).starts_with(&decode_path(base_path)) {
        return Err(format!("超出了站点（站点从 {base_path} 开始）"));
    }
    Ok(match resolved.fragment() {
        Some(fragment) => format!("{path}#{fragment}"),
        None => path.to_owned(),
    })
}

/// A link from the root, or one that leaves the site, resolved once for
/// every page that carries it.
enum Shared {
    /// Leaves the site, or is refused by the content checks: not checked here.
    Leaves,
    /// Cannot name a file of the site ([`internal`] says why).
    Broken(String),
    /// Its target ([`internal`]) and whether it resolves.
    Target(String, Result<(), String>),
}

/// What a link may point at: rendered pages (with their ids) and static files.
struct SiteFiles<'a> {
    is_page: &'a (dyn Fn(&str) -> bool + Sync),
    statics: &'a FileSet,
    scanned: &'a Scans,
}

impl SiteFiles<'_> {
    fn exists(&self, path: &str) -> bool {
        (self.is_page)(path) || self.statics.contains(path)
    }

    /// `link` is a path from the domain root (with the base path) and an
    /// optional fragment, or a bare fragment on `from_page`.
    fn resolve(&self, base_path: &str, from_page: &str, link: &str) -> Result<(), String> {
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
            } else if self.exists(&relative) {
                relative
            } else if self.exists(&format!("{relative}/index.html")) {
                format!("{relative}/index.html")
            } else {
                relative
            }
        };
        if !self.exists(&page) {
            return Err(format!("没有 {page}"));
        }
        if let Some(fragment) = fragment.filter(|f| !f.is_empty())
            && let Some(scanned) = self.scanned.get(page.as_str())
            && !scanned.has_id(&decode_path(fragment))
        {
            return Err(format!("{page} 中没有锚点 #{fragment}"));
        }
        Ok(())
    }
}

/// The ids and link targets (`href`, `src`) of one HTML page, entities decoded.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Sorted, each once.
    ids: Strings,
    /// In page order, repeats kept.
    links: Strings,
}

impl Scanned {
    /// Whether both pages have the same ids: links into them resolve alike.
    pub fn same_ids(&self, other: &Scanned) -> bool {
        self.ids == other.ids
    }

    fn has_id(&self, id: &str) -> bool {
        self.ids
            .spans
            .binary_search_by(|&span| self.ids.text(span).cmp(id))
            .is_ok()
    }
}

/// Strings kept end to end in one buffer. A page of a national site has
/// about eighty links and twenty ids, and the link check holds every page's
/// until all pages are made: a `String` apiece was over a million
/// allocations and about a hundred megabytes.
#[derive(Debug, Default)]
struct Strings {
    buffer: String,
    /// Where each string is in `buffer`.
    spans: Vec<(u32, u32)>,
}

impl Strings {
    fn push(&mut self, string: &str) {
        let offset = |at: usize| u32::try_from(at).expect("a page's links and ids fit in 4 GiB");
        let start = offset(self.buffer.len());
        self.buffer.push_str(string);
        self.spans.push((start, offset(self.buffer.len())));
    }

    fn text(&self, (start, end): (u32, u32)) -> &str {
        &self.buffer[start as usize..end as usize]
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&span| self.text(span))
    }

    /// The same strings sorted, each once (the buffer is kept as it is).
    fn sorted_unique(mut self) -> Strings {
        let mut spans = std::mem::take(&mut self.spans);
        spans.sort_unstable_by(|&a, &b| self.text(a).cmp(self.text(b)));
        spans.dedup_by(|a, b| self.text(*a) == self.text(*b));
        self.spans = spans;
        self
    }
}

impl PartialEq for Strings {
    fn eq(&self, other: &Strings) -> bool {
        self.iter().eq(other.iter())
    }
}

/// Reads a page's tags ([`markup::start_tags`]: quoted values, comments and
/// raw-text elements as an HTML parser reads them), not by searching the
/// text, so attributes are found however they are quoted or spaced. The
/// tests check it against lol_html's reading of every page of the real site.
pub fn scan(html: &str) -> Scanned {
    let (mut ids, mut links) = (Strings::default(), Strings::default());
    let keep = |into: &mut Strings, value: Option<&str>| {
        if let Some(value) = value {
            into.push(&html_escape::decode_html_entities(value));
        }
    };
    for tag in markup::start_tags(html) {
        // An element's first attribute of a name counts, as in a browser.
        let (mut id, mut href, mut src) = (None, None, None);
        for (name, value) in markup::each_attribute(tag.attributes) {
            let slot = if name.eq_ignore_ascii_case("id") {
                &mut id
            } else if name.eq_ignore_ascii_case("href") {
                &mut href
            } else if name.eq_ignore_ascii_case("src") {
                &mut src
            } else {
                continue;
            };
            slot.get_or_insert(value);
        }
        keep(&mut ids, id);
        keep(&mut links, href);
        keep(&mut links, src);
    }
    Scanned {
        ids: ids.sorted_unique(),
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What lol_html, an HTML parser, finds on a page: the reference the
    /// tag reader is held to.
    fn scan_with_lol_html(html: &[u8]) -> (Vec<String>, Vec<String>) {
        use lol_html::{HtmlRewriter, Settings, element};
        let decoded = |v: String| html_escape::decode_html_entities(&v).into_owned();
        let (mut ids, mut links) = (Vec::new(), Vec::new());
        {
            let mut rewriter = HtmlRewriter::new(
                Settings::new()
                    .append_element_content_handler(element!("[id]", |el| {
                        ids.extend(el.get_attribute("id").map(decoded));
                        Ok(())
                    }))
                    .append_element_content_handler(element!("[href], [src]", |el| {
                        links.extend(el.get_attribute("href").map(decoded));
                        links.extend(el.get_attribute("src").map(decoded));
                        Ok(())
                    })),
                |_: &[u8]| {},
            );
            rewriter.write(html).unwrap();
            rewriter.end().unwrap();
        }
        ids.sort();
        (ids, links)
    }

    fn scanned(html: &[u8]) -> (Vec<String>, Vec<String>) {
        let found = scan(&String::from_utf8_lossy(html));
        let ids: Vec<String> = found.ids.iter().map(str::to_owned).collect();
        let links = found.links.iter().map(str::to_owned).collect();
        (ids, links)
    }

    #[test]
    fn the_tag_reader_finds_what_an_html_parser_finds() {
        let pages = crate::test_fixtures::real_site_pages();
        let mut checked = 0;
        for (path, bytes) in pages.iter().filter(|(p, _)| p.ends_with(".html")) {
            let (mut ids, links) = scan_with_lol_html(bytes);
            ids.dedup();
            assert_eq!(scanned(bytes), (ids, links), "{path}");
            checked += 1;
        }
        assert!(checked > 200, "{checked}");
        let odd = [
            "<p><a href=\"/a/\" ID='x'>甲</a><A HREF=/b/?q=1&amp;r=2>乙</A><img src = \"c.png\" alt=\"a > b\"></p>",
            "<script>var s = \"<a href='/not/'>\";</script><style>a[href='/no/'] {}</style>\
             <textarea><a href=\"/text/\"></textarea><title><a href=\"/t/\"></title><a href=\"/after/\">后</a>",
            "<!-- <a href=\"/comment/\"> --><!DOCTYPE html><p>1 < 2 <a href=\"#frag\" id=\"第一\">锚</a></p>",
            "<svg><a href=\"#s\"><title>图</title></a><use href=\"#g\"/><g id=\"g\"></g></svg><div id=\"d\" id=\"e\"></div>",
            "<noscript><a href=\"/ns/\"></a></noscript><SCRIPT>document.write('</scr' + 'ipt><a href=\"/x/\">')</SCRIPT><a href=\"/end/\">",
        ];
        for html in odd {
            let (mut ids, links) = scan_with_lol_html(html.as_bytes());
            ids.dedup();
            assert_eq!(scanned(html.as_bytes()), (ids, links), "{html}");
        }
    }

    /// The shortcut for plain paths gives what URL resolution gives, for
    /// every short link over an alphabet of the characters that matter.
    #[test]
    fn a_plain_path_resolves_as_a_url_would() {
        let alphabet = ['/', '.', '#', 'a', '%', '?', '~', '-', '技', ' '];
        let mut links = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|l| alphabet.iter().map(move |c| format!("{l}{c}")))
                .collect();
            links.extend(last.iter().cloned());
        }
        let mut shortcuts = 0;
        for base_path in ["/", "/s/", "/a/"] {
            for link in &links {
                for link in [link.clone(), format!("{base_path}{link}")] {
                    let expected = join_as_url("/", &link, base_path);
                    assert_eq!(
                        join("/", &link, base_path),
                        expected,
                        "{link:?} under {base_path}"
                    );
                    shortcuts += usize::from(is_plain_absolute(&link));
                }
            }
        }
        assert!(shortcuts > 1000, "{shortcuts}");
    }

    #[test]
    fn resolves_pages_fragments_and_static_files() {
        let mut files = FileSet::default();
        files.insert("index.html", "<a href=\"/s/regions/\">x</a>");
        files.insert("regions/index.html", "<h2 id=\"list\">x</h2>");
        let mut statics = FileSet::default();
        statics.insert("files/原件.pdf", "%PDF");
        let mut scanned = Scans::new();
        scan_missing(&files, &mut scanned);
        let is_page = |path: &str| files.contains(path);
        let f = SiteFiles {
            is_page: &is_page,
            statics: &statics,
            scanned: &scanned,
        };
        assert!(f.resolve("/s/", "index.html", "/s/regions/").is_ok());
        assert!(f.resolve("/s/", "index.html", "/s/regions/#list").is_ok());
        assert!(f.resolve("/s/", "index.html", "/s/regions/#nope").is_err());
        assert!(f.resolve("/s/", "index.html", "/s/brands/").is_err());
        assert!(
            f.resolve("/s/", "index.html", "/s/files/%E5%8E%9F%E4%BB%B6.pdf")
                .is_ok()
        );
        assert!(f.resolve("/s/", "index.html", "/s/files/原件.pdf").is_ok());
        assert!(f.resolve("/s/", "index.html", "/s/files/别的.pdf").is_err());
    }

    /// Each page's broken theme links are reported on that page, in path
    /// order, whether a link is resolved once for all pages (from the root:
    /// missing, or leaving the site's sub-path) or on its page (relative,
    /// fragment).
    #[test]
    fn each_page_reports_its_own_broken_links() {
        let dir = crate::test_fixtures::site_from(&["good/minimal"]);
        let yaml = dir.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(
            &yaml,
            text.replace("https://example.org/", "https://example.org/skills/"),
        )
        .unwrap();
        let site = crate::validate(dir.path())
            .site
            .expect("the fixture validates");
        let base = site.base_path().trim_end_matches('/').to_owned();
        assert_eq!(base, "/skills");
        let mut files = FileSet::default();
        let nav = format!(
            "<a href=\"{base}/\">首页</a><a href=\"{base}/gone/\">无</a>\
             <a href=\"{base}/b/#h\">有</a><a href=\"{base}/b/#nope\">无锚点</a>\
             <a href=\"https://example.org/gone/\">外链</a><a href=\"{base}/../x/\">越界</a>"
        );
        files.insert("index.html", format!("{nav}<a href=\"#top\">顶部</a>"));
        files.insert(
            "b/index.html",
            format!("<h2 id=\"h\">标题</h2>{nav}<a href=\"../c/\">相对</a><a href=\"#h\">本页</a>"),
        );
        let mut sink = Diagnostics::default();
        check(&files, &FileSet::default(), &site, &mut sink);
        let reported: Vec<&str> = sink.iter().map(|d| d.message.as_str()).collect();
        let on = |page: &str, link: &str| format!("页面 {page} 中的链接“{link}”失效");
        let expected = [
            on("b/index.html", &format!("{base}/gone/")),
            on("b/index.html", &format!("{base}/b/#nope")),
            on("b/index.html", &format!("{base}/../x/")),
            on("b/index.html", "../c/"),
            on("index.html", &format!("{base}/gone/")),
            on("index.html", &format!("{base}/b/#nope")),
            on("index.html", &format!("{base}/../x/")),
            on("index.html", "#top"),
        ];
        assert_eq!(reported.len(), expected.len(), "{reported:#?}");
        for (message, start) in reported.iter().zip(&expected) {
            assert!(message.starts_with(start.as_str()), "{message} / {start}");
        }
    }

    #[test]
    fn links_become_paths_from_the_domain_root() {
        let page = "documents/a/index.html";
        let at = |link: &str| internal(link, "/s/", page);
        assert_eq!(at("/regions/"), Some(Ok("/s/regions/".into())));
        assert_eq!(at("/s/regions/"), Some(Ok("/s/regions/".into())));
        assert_eq!(at("../b/"), Some(Ok("/s/documents/b/".into())));
        assert_eq!(at("../../regions/#x"), Some(Ok("/s/regions/#x".into())));
        assert_eq!(
            at("fujian.pdf"),
            Some(Ok("/s/documents/a/fujian.pdf".into()))
        );
        assert_eq!(at("./"), Some(Ok("/s/documents/a/".into())));
        assert_eq!(at("#h-1"), Some(Ok("#h-1".into())));
        assert!(
            matches!(at("../../../x/"), Some(Err(_))),
            "climbs out of /s/"
        );
        assert_eq!(at("https://example.org/"), None);
        assert_eq!(at("mailto:a@b.cn"), None);
        assert_eq!(at("javascript:alert(1)"), None);
        assert_eq!(
            internal("x/", "/", "404.html"),
            Some(Ok("/x/".into())),
            "a page that is a file"
        );
    }

    #[test]
    fn every_id_of_a_page_is_found_and_no_other() {
        let ids: Vec<String> = (0..200).map(|n| format!("h-{}", n * 7 % 200)).collect();
        let html: String = ids
            .iter()
            .chain(&ids)
            .map(|id| format!("<p id=\"{id}\">x</p>"))
            .collect();
        let page = scan(&html);
        assert_eq!(page.ids.iter().count(), 200, "each id once");
        for n in 0..200 {
            assert!(page.has_id(&format!("h-{n}")), "h-{n}");
            assert!(!page.has_id(&format!("h-{n}x")), "h-{n}x");
        }
        assert!(!page.has_id("") && !page.has_id("h-") && !page.has_id("z"));
        assert!(page.same_ids(&scan(&html[html.len() / 2..])));
        assert!(!page.same_ids(&scan("<p id=\"h-0\">x</p>")));
    }

    #[test]
    fn scanning_reads_attributes_as_a_parser_does() {
        let page = scan(
            "<p id='a'>x</p><a data-x=\" href=no\" href=\"/r/?a=1&amp;b=2\">y</a>\
              <img SRC=/i.png><div id=\"&#x4E2D;\"></div><script>var s = ' href=\"/fake/\"';</script>",
        );
        assert_eq!(page.ids.iter().collect::<Vec<_>>(), ["a", "中"]);
        assert!(page.has_id("a") && page.has_id("中") && !page.has_id("b"));
        assert_eq!(
            page.links.iter().collect::<Vec<_>>(),
            ["/r/?a=1&b=2", "/i.png"]
        );
    }
}
