//! Stage 3b: the search index. Pagefind (with its `extended` feature, which
//! segments Chinese) indexes the rendered pages in memory and returns its
//! bundle — index, fragments, WebAssembly and the search API script — as files
//! under `pagefind/`, served from the site itself (no CDN).
//!
//! Only what a page marks with `data-pagefind-body` (the theme's `<main>`) is
//! indexed; pages are added in path order, so the bundle is the same bytes
//! for the same site.
//!
//! At scale one Pagefind index holds memory in proportion to the whole site
//! (every page's words are held until the index is built). So pages are
//! split, in path order, into parts of at most [`PART_PAGES`], indexed two
//! at a time ([`PARTS_IN_FLIGHT`]), each part's pages read on every core,
//! and the browser merges them (`mergeIndex`). Part 1 is
//! the bundle at `pagefind/`; part N > 1 is only its index files, under
//! `pagefind/part-N/`, listed in `pagefind/parts.json` for the theme's script
//! (an empty list for one part).
//! A site of up to [`PART_PAGES`] pages keeps one index, as before.

mod input;

use rayon::prelude::*;

use pagefind::api::{PagefindIndex, ReadPage};
use pagefind::options::PagefindServiceConfig;

use crate::BuildError;
use crate::render::FileSet;

/// Where the bundle goes, from the site root.
pub const BUNDLE_DIR: &str = "pagefind";

/// Pages per index part. Pagefind holds ~0.3 MB per page while indexing, so
/// one part in flight stays near 300 MB at national scale;
/// large enough that the default site keeps one index (one set of requests
/// per query in the browser) and that each part's ranking statistics are
/// close to the whole site's (tried: parts of ~45 pages reorder results).
pub const PART_PAGES: usize = 1000;

/// Parts indexed at once. Each part's pages are read on every core, but
/// each part also has steps that use fewer (building its index, writing its
/// files), and with one part at a time a core waited there. Two at once:
/// plain 10k −14 % wall time for +15 % peak memory (410 → 470 MB), national
/// 10k −3 % for +26 % (580 → 735 MB), both within the 1 GiB the issue allows
/// (`ab.sh`, tmpfs, interleaved rounds, session 35). Three were no faster.
const PARTS_IN_FLIGHT: usize = 2;

/// The list of extra parts the theme's search script merges.
pub const PARTS_FILE: &str = "parts.json";

/// Indexes every page of `pages` that is a page of its own (`…/index.html`,
/// not the 404 page) and returns the bundle's files.
pub fn index(pages: &FileSet) -> Result<FileSet, BuildError> {
    index_cached(pages, &mut PartCache::default())
}

/// [`index`], reusing the parts of earlier runs whose pages are unchanged.
pub fn index_cached(pages: &FileSet, cache: &mut PartCache) -> Result<FileSet, BuildError> {
    index_in_parts(pages, part_pages(), cache)
}

/// [`index`] with parts of at most `part_pages` pages.
pub fn index_in_parts(
    pages: &FileSet,
    part_pages: usize,
    cache: &mut PartCache,
) -> Result<FileSet, BuildError> {
    let inputs: Vec<Input> = pages
        .iter()
        .collect::<Vec<_>>()
        .par_iter()
        .filter_map(|(path, bytes)| Input::of(path, &crate::render::text_of(bytes)))
        .collect();
    index_inputs(inputs, part_pages, cache, |path| {
        pages.get(path).map(<[u8]>::to_vec)
    })
}

/// What the index keeps of one page, made as soon as the page is rendered so
/// that a build need not hold the pages themselves.
pub enum Input {
    /// A page with the `data-pagefind-body` marker, already read into what
    /// Pagefind's parser rules make of it ([`input::digest_marked`]), with a
    /// digest of what it was read from.
    Read {
        path: String,
        key: u64,
        digest: pagefind::DomParserResult,
    },
    /// A page with the marker whose markup only an HTML parser can read: the
    /// part Pagefind reads ([`input::slim`]), which Pagefind then parses.
    Marked { path: String, html: String },
    /// A page without the marker: indexed (whole) only when no page has one,
    /// so only its path is kept and its bytes are read back then.
    Unmarked { path: String },
}

impl Input {
    /// `None` for files that are not pages of their own.
    pub fn of(path: &str, html: &str) -> Option<Input> {
        if !is_searchable(path) {
            return None;
        }
        let path = path.to_owned();
        if let Some((digest, key)) = input::digest_marked(html) {
            return Some(Input::Read { path, key, digest });
        }
        Some(match input::slim_marked(html) {
            Some(html) => Input::Marked { path, html },
            None => Input::Unmarked { path },
        })
    }

    fn path(&self) -> &str {
        match self {
            Input::Read { path, .. } | Input::Marked { path, .. } | Input::Unmarked { path } => {
                path
            }
        }
    }
}

/// A digest of what Pagefind reads of a page (or of a part's pages), for the
/// [`PartCache`]. (Fixed seed: the same within a process, which is all the
/// cache needs.)
fn key_of<T: std::hash::Hash + ?Sized>(read: &T) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5eed).hash_one(read)
}

/// Pages per part: [`PART_PAGES`], or `SKILLPRESS_SEARCH_PART_PAGES`.
pub fn part_pages() -> usize {
    // A smaller part size for trying the merge in a browser on a small site.
    std::env::var("SKILLPRESS_SEARCH_PART_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PART_PAGES)
}

/// The index parts of the last run, by a digest of each part's pages. The
/// preview keeps one between saves: a save re-indexes only the parts whose
/// pages it changed (the parts are cut by page count in path order, so an
/// edit that adds no page leaves every boundary where it was). A part is the
/// same bytes whether made now or reused, so `serve` still equals `build`.
#[derive(Default)]
pub struct PartCache {
    parts: std::collections::HashMap<u64, std::sync::Arc<FileSet>>,
    /// Parts indexed (not reused) by the last run.
    pub indexed: usize,
}

/// One page as a part holds it: its path, the digest of its markup, and the
/// page as Pagefind is given it.
struct Page {
    path: String,
    key: u64,
    read: ReadPage,
}

/// A digest of a part's pages: their paths and markup.
fn digest(part: &[Page]) -> u64 {
    let pages: Vec<(&str, u64)> = part.iter().map(|p| (p.path.as_str(), p.key)).collect();
    key_of(&pages)
}

/// Indexes `inputs` (in any order) in parts of at most `part_pages` pages.
/// `read` gives back the bytes of an unmarked page, needed only when no
/// page is marked.
pub fn index_inputs(
    mut inputs: Vec<Input>,
    part_pages: usize,
    cache: &mut PartCache,
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
) -> Result<FileSet, BuildError> {
    inputs.sort_unstable_by(|a, b| a.path().cmp(b.path()));
    // Pagefind indexes only marked pages when any page is marked, and every
    // page when none is (a theme without the marker); an unmarked page is not
    // handed to it at all, since parsing it would be wasted.
    let any_marked = inputs.iter().any(|i| !matches!(i, Input::Unmarked { .. }));
    let searchable: Vec<Page> = if any_marked {
        inputs
            .into_iter()
            .filter_map(|i| match i {
                Input::Read { path, key, digest } => Some(Page {
                    path,
                    key,
                    read: ReadPage::Digest(digest),
                }),
                Input::Marked { path, html } => Some(Page {
                    path,
                    key: key_of(html.as_str()),
                    read: ReadPage::Html(html),
                }),
                Input::Unmarked { .. } => None,
            })
            .collect()
    } else {
        inputs
            .par_iter()
            .map(|i| {
                let bytes = read(i.path()).unwrap_or_default();
                let html = input::slim(&crate::render::text_of(&bytes));
                Page {
                    path: i.path().to_owned(),
                    key: key_of(html.as_str()),
                    read: ReadPage::Html(html),
                }
            })
            .collect()
    };
    // Equal-sized parts: no small last part with skewed ranking statistics.
    let count = searchable.len().div_ceil(part_pages.max(1)).max(1);
    let size = searchable.len().div_ceil(count).max(1);
    let mut parts: Vec<Vec<Page>> = Vec::with_capacity(count);
    let mut rest = searchable.into_iter();
    loop {
        let part: Vec<Page> = rest.by_ref().take(size).collect();
        if part.is_empty() && !parts.is_empty() {
            break;
        }
        parts.push(part);
    }
    let digests: Vec<u64> = parts.par_iter().map(|part| digest(part)).collect();
    // PARTS_IN_FLIGHT parts at a time (each uses every core), their pages
    // handed to Pagefind and freed as they go.
    let mut bundles: Vec<std::sync::Arc<FileSet>> = Vec::with_capacity(parts.len());
    let mut rest = parts.into_iter().zip(&digests);
    loop {
        let group: Vec<_> = rest.by_ref().take(PARTS_IN_FLIGHT).collect();
        if group.is_empty() {
            break;
        }
        let made: Vec<Result<std::sync::Arc<FileSet>, BuildError>> = group
            .into_par_iter()
            .map(|(part, key)| match cache.parts.get(key) {
                Some(bundle) => Ok(bundle.clone()),
                None => {
                    let pages = part.into_iter().map(|page| (page.path, page.read));
                    index_part(pages.collect(), Parse::Replay).map(std::sync::Arc::new)
                }
            })
            .collect();
        for bundle in made {
            bundles.push(bundle?);
        }
    }
    cache.indexed = digests
        .iter()
        .filter(|key| !cache.parts.contains_key(*key))
        .count();
    // Only the current parts are kept, so the cache holds one index at most.
    cache.parts = digests.into_iter().zip(bundles.iter().cloned()).collect();
    // The bundle shares each part's bytes with the cache: no copy of the
    // index is made (it was held twice at the end of a build).
    let mut bundle = FileSet::default();
    let mut extra = Vec::new();
    for (number, part) in bundles.into_iter().enumerate() {
        if number == 0 {
            for (name, bytes) in part.iter_shared() {
                bundle.insert_shared(format!("{BUNDLE_DIR}/{name}"), bytes.clone());
            }
            continue;
        }
        let dir = format!("part-{}", number + 1);
        for (name, bytes) in part.iter_shared().filter(|(name, _)| is_index_file(name)) {
            bundle.insert_shared(format!("{BUNDLE_DIR}/{dir}/{name}"), bytes.clone());
        }
        extra.push(format!("{dir}/"));
    }
    // Always written (`[]` for one part): the script fetches it, and a 404
    // would show as an error in the browser's console.
    let list = serde_json::to_vec(&extra).expect("a list of strings serialises");
    bundle.insert(format!("{BUNDLE_DIR}/{PARTS_FILE}"), list);
    Ok(bundle)
}

/// How Pagefind reads a slimmed page.
#[derive(Clone, Copy)]
enum Parse {
    /// From our own split of it ([`input::replay`]), parsing it only when
    /// that cannot be done.
    Replay,
    /// With Pagefind's HTML parser (the tests compare the two).
    #[cfg_attr(not(test), allow(dead_code))]
    Html,
}

/// One Pagefind index over `pages` (path, page read or slimmed), its files
/// named from the bundle's root.
fn index_part(pages: Vec<(String, ReadPage)>, parse: Parse) -> Result<FileSet, BuildError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&e))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("zh-cn".to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failed(&e))?;
        match parse {
            // Pages already read are handed over as they are; slimmed pages
            // are split into elements, not parsed again (input::replay),
            // unless only a parser can read them; on every core.
            Parse::Replay => {
                index
                    .add_html_events(pages, input::replay)
                    .await
                    .map_err(|e| failed(&e))?;
            }
            Parse::Html => {
                for (path, page) in pages {
                    let ReadPage::Html(html) = page else {
                        return Err(failed(&"only a page's HTML can be parsed"));
                    };
                    index
                        .add_html_file(Some(path), None, html)
                        .await
                        .map_err(|e| failed(&e))?;
                }
            }
        }
        let mut bundle = FileSet::default();
        // Built once: the vendored Pagefind moves the pages into the index
        // instead of copying them (vendor/pagefind/README.md).
        for file in index.into_files().await.map_err(|e| failed(&e))? {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            bundle.insert(name, file.contents);
        }
        Ok(bundle)
    })
}

/// The files a merged part needs (its entry, metadata, WebAssembly, index,
/// fragments and filters); the scripts and styles come from the first part.
fn is_index_file(name: &str) -> bool {
    !(name.ends_with(".js") || name.ends_with(".css"))
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

    /// `count` documents' pages with the same body, `documents/d{n}/`.
    fn documents(count: usize) -> FileSet {
        let mut pages = FileSet::default();
        for n in 0..count {
            pages.insert(
                format!("documents/d{n}/index.html"),
                page(&format!("文件{n}"), "深化产教融合，推行新型学徒制培训"),
            );
        }
        pages
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
        assert_eq!(
            first.get("pagefind/parts.json"),
            Some(&b"[]"[..]),
            "one part"
        );
    }

    /// Every word of a bundle's word index with the pages it lists, in the
    /// order listed (numbers as pages are added: in path order).
    fn decoded_word_index(bundle: &FileSet) -> std::collections::BTreeMap<String, Vec<u64>> {
        let mut words = std::collections::BTreeMap::new();
        for (path, gz) in bundle.iter().filter(|(p, _)| p.ends_with(".pf_index")) {
            let bytes = gunzip(gz);
            let cbor = bytes.strip_prefix(b"pagefind_dcd").expect(path);
            // WordIndex [words: [PackedWord [word, pages: [PackedPage
            // [page number as a delta, locs, meta locs]], variants]]]
            let mut d = minicbor::Decoder::new(cbor);
            assert_eq!(d.array().unwrap(), Some(1), "{path}");
            for _ in 0..d.array().unwrap().unwrap() {
                assert_eq!(d.array().unwrap(), Some(3));
                let word = d.str().unwrap().to_owned();
                let mut page = 0;
                let mut pages = Vec::new();
                for _ in 0..d.array().unwrap().unwrap() {
                    assert_eq!(d.array().unwrap(), Some(3));
                    page += d.u64().unwrap();
                    pages.push(page);
                    d.skip().unwrap();
                    d.skip().unwrap();
                }
                d.skip().unwrap();
                assert!(
                    words.insert(word, pages).is_none(),
                    "a word in one chunk only"
                );
            }
        }
        words
    }

    /// Pagefind's word maps are merged in shards on every core (vendored
    /// change): each word must still list every page it is on, once, in page
    /// order.
    #[test]
    fn the_word_index_lists_each_word_on_exactly_its_pages_in_order() {
        let mut pages = FileSet::default();
        let count = 300;
        for i in 0..count {
            let body = format!(
                "common w{} p{i}{}",
                i % 7,
                if i % 3 == 0 {
                    " 职业技能培训"
                } else {
                    ""
                }
            );
            pages.insert(
                format!("p/{i:03}/index.html"),
                page(&format!("t{i}"), &body),
            );
        }
        let words = decoded_word_index(&index(&pages).unwrap());
        let on = |keep: &dyn Fn(u64) -> bool| (0..count).filter(|&i| keep(i)).collect::<Vec<_>>();
        assert_eq!(words["common"], on(&|_| true));
        for residue in 0..7 {
            assert_eq!(words[&format!("w{residue}")], on(&|i| i % 7 == residue));
        }
        assert_eq!(words["p123"], [123]);
        assert_eq!(words["培训"], on(&|i| i % 3 == 0));
        for (word, listed) in &words {
            assert!(listed.windows(2).all(|w| w[0] < w[1]), "{word}: {listed:?}");
        }
    }

    /// The real site's pages, slimmed, by path.
    fn default_site_inputs() -> Vec<(String, String)> {
        crate::test_fixtures::real_site_pages()
            .iter()
            .filter(|(path, _)| is_searchable(path))
            .filter_map(|(path, bytes)| {
                input::slim_marked(&crate::render::text_of(bytes)).map(|html| (path.clone(), html))
            })
            .collect()
    }

    #[test]
    fn every_page_of_the_real_site_is_read_as_it_is_rendered() {
        let pages = crate::test_fixtures::real_site_pages();
        let mut read = 0;
        for (path, bytes) in pages.iter().filter(|(path, _)| is_searchable(path)) {
            let html = crate::render::text_of(bytes);
            match Input::of(path, &html) {
                Some(Input::Read { digest, .. }) => {
                    // The one pass reads what replaying the slimmed page reads.
                    let slim = input::slim_marked(&html).unwrap();
                    let mut builder = pagefind::DigestBuilder::silent();
                    assert!(input::replay(&slim, &mut builder), "{path}");
                    assert_eq!(digest, builder.wrap(), "{path}");
                    read += 1;
                }
                _ => panic!("{path} is not read in one pass"),
            }
        }
        assert!(read > 100, "{read}");
    }

    #[test]
    fn the_pages_read_here_make_the_bundle_pagefind_makes_from_the_whole_pages() {
        let pages = crate::test_fixtures::real_site_pages();
        let ours = index(pages).unwrap();
        let whole: Vec<(String, ReadPage)> = pages
            .iter()
            .filter(|(path, _)| is_searchable(path))
            .map(|(path, bytes)| {
                let html = crate::render::text_of(bytes).into_owned();
                (path.clone(), ReadPage::Html(html))
            })
            .collect();
        let theirs = index_part(whole, Parse::Html).unwrap();
        assert!(theirs.paths().count() > 100);
        for (name, bytes) in theirs.iter() {
            let ours = ours.get(&format!("{BUNDLE_DIR}/{name}"));
            assert!(ours == Some(&bytes[..]), "{name} differs");
        }
        assert_eq!(ours.paths().count(), theirs.paths().count() + 1);
    }

    #[test]
    fn replayed_pages_make_the_bundle_pagefind_makes_from_their_html() {
        let mut inputs = default_site_inputs();
        // Markup the replay hands back to the HTML parser, among good pages.
        let odd = [
            (
                "odd/unclosed/index.html",
                "<html lang=\"zh-CN\"><body><main data-pagefind-body><p>未闭合的段落<p>第二段</main></body></html>",
            ),
            (
                "odd/crossed/index.html",
                "<html><body><main data-pagefind-body><b><i>交叉</b></i>标签</main></body></html>",
            ),
            (
                "odd/comment/index.html",
                "<html><body><main data-pagefind-body><!-- 注释 -->正文<br>换行</main></body></html>",
            ),
            (
                "odd/textarea/index.html",
                "<html><body><main data-pagefind-body><textarea><p>不是段落</p></textarea>正文</main></body></html>",
            ),
            (
                "odd/upper/index.html",
                "<html><body><MAIN data-pagefind-body><H1>大写</H1></MAIN></body></html>",
            ),
            (
                "odd/two-bodies/index.html",
                "<html><body><div data-pagefind-body id=\"a\"><h2 id=\"h\">甲</h2></div><p>外面</p><div data-pagefind-body data-pagefind-filter=\"地区:河南\" data-pagefind-sort=\"日期:2024\">乙<img src=\"x.png\" alt=\"图\"><span data-pagefind-meta=\"作者\">某人</span></div></body></html>",
            ),
            (
                "odd/void-end/index.html",
                "<html><body><main data-pagefind-body>前<br/>后</br></main></body></html>",
            ),
        ];
        inputs.extend(odd.iter().map(|(p, h)| (p.to_string(), h.to_string())));
        inputs.sort();
        let pages = |inputs: &[(String, String)]| {
            let html =
                |(path, html): &(String, String)| (path.clone(), ReadPage::Html(html.clone()));
            inputs.iter().map(html).collect::<Vec<_>>()
        };
        let replayed = index_part(pages(&inputs), Parse::Replay).unwrap();
        let parsed = index_part(pages(&inputs), Parse::Html).unwrap();
        assert_eq!(
            replayed.paths().collect::<Vec<_>>(),
            parsed.paths().collect::<Vec<_>>()
        );
        for (path, bytes) in parsed.iter() {
            assert!(replayed.get(path) == Some(&bytes[..]), "{path} differs");
        }
        for (path, html) in odd {
            assert_eq!(replays(html), path.contains("two-bodies"), "{path}");
        }
    }

    /// Whether the replay takes `slim` (or hands it back to be parsed).
    fn replays(slim: &str) -> bool {
        input::replay(slim, &mut pagefind::DigestBuilder::silent())
    }

    #[test]
    fn pages_without_the_body_marker_are_left_out_unless_none_has_it() {
        let unmarked = |title: &str| {
            format!(
                "<!DOCTYPE html><html lang=\"zh-CN\"><body><main><h1>{title}</h1><p>深化产教融合</p></main></body></html>"
            )
        };
        let mut pages = FileSet::default();
        pages.insert("a/index.html", page("文件甲", "深化产教融合"));
        pages.insert("b/index.html", unmarked("文件乙"));
        pages.insert("c/index.html", unmarked("文件丙"));
        let count = |bundle: &FileSet| {
            let entry: serde_json::Value =
                serde_json::from_slice(bundle.get("pagefind/pagefind-entry.json").unwrap())
                    .unwrap();
            entry["languages"]["zh-cn"]["page_count"].clone()
        };
        assert_eq!(count(&index(&pages).unwrap()), 1, "only the marked page");
        pages.remove("a/index.html");
        assert_eq!(count(&index(&pages).unwrap()), 2, "a theme without markers");
    }

    #[test]
    fn large_sites_are_indexed_in_parts_the_browser_merges() {
        let pages = documents(5);
        let bundle = index_in_parts(&pages, 2, &mut PartCache::default()).unwrap();
        let list: Vec<String> =
            serde_json::from_slice(bundle.get("pagefind/parts.json").unwrap()).unwrap();
        assert_eq!(list, ["part-2/", "part-3/"]);
        for part in ["pagefind/", "pagefind/part-2/", "pagefind/part-3/"] {
            let entry = format!("{part}pagefind-entry.json");
            assert!(bundle.contains(&entry), "{entry} missing");
            assert!(
                bundle
                    .paths()
                    .any(|p| p.starts_with(&format!("{part}fragment/")))
            );
        }
        assert!(!bundle.contains("pagefind/part-2/pagefind.js"));
        assert_eq!(
            index_in_parts(&pages, 2, &mut PartCache::default()).unwrap(),
            bundle,
            "same bytes"
        );
    }

    #[test]
    fn a_rerun_indexes_only_the_parts_whose_pages_changed() {
        let mut pages = documents(6);
        let mut cache = PartCache::default();
        let first = index_in_parts(&pages, 2, &mut cache).unwrap();
        assert_eq!(cache.indexed, 3);
        assert_eq!(index_in_parts(&pages, 2, &mut cache).unwrap(), first);
        assert_eq!(cache.indexed, 0, "nothing changed");
        pages.insert(
            "documents/d3/index.html",
            page("文件3", "推进职业技能等级认定"),
        );
        let edited = index_in_parts(&pages, 2, &mut cache).unwrap();
        assert_eq!(cache.indexed, 1, "only the part holding d3");
        assert_eq!(
            edited,
            index_in_parts(&pages, 2, &mut PartCache::default()).unwrap(),
            "the same bytes as indexing everything"
        );
        assert_ne!(edited, first);
        // What Pagefind does not read (here the navigation) changes nothing.
        let html = crate::render::text_of(pages.get("documents/d5/index.html").unwrap())
            .replace("<nav>导航</nav>", "<nav>新的导航</nav>");
        pages.insert("documents/d5/index.html", html);
        assert_eq!(index_in_parts(&pages, 2, &mut cache).unwrap(), edited);
        assert_eq!(cache.indexed, 0, "the navigation is not indexed");
    }

    /// The bundle's files are the cached parts' own bytes, not copies: a
    /// national index is tens of megabytes, held once.
    #[test]
    fn the_bundle_shares_its_bytes_with_the_cached_parts() {
        let pages = documents(5);
        let mut cache = PartCache::default();
        let bundle = index_in_parts(&pages, 2, &mut cache).unwrap();
        let cached: std::collections::HashSet<*const Vec<u8>> = cache
            .parts
            .values()
            .flat_map(|part| {
                part.iter_shared()
                    .map(|(_, bytes)| std::sync::Arc::as_ptr(bytes))
            })
            .collect();
        let (shared, copied): (Vec<_>, Vec<_>) = bundle
            .iter_shared()
            .partition(|(_, bytes)| cached.contains(&std::sync::Arc::as_ptr(bytes)));
        let copied: Vec<&String> = copied.into_iter().map(|(path, _)| path).collect();
        assert_eq!(copied, [&format!("{BUNDLE_DIR}/{PARTS_FILE}")]);
        assert!(shared.len() > 10, "{}", shared.len());
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip");
        out
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    /// The vendored Pagefind (vendor/pagefind) writes what the 1.6.0 browser
    /// script reads, in every part: an entry naming version 1.6.0 and the
    /// part's pages, gzip files whose text starts with Pagefind's signature,
    /// a Chinese word in the word index of the part holding its page (and in
    /// no other), and that page's fragment with its URL and text.
    #[test]
    fn vendored_pagefind_writes_what_the_browser_script_reads() {
        let mut pages = FileSet::default();
        for n in 0..5 {
            let body = if n == 3 {
                "推进职业技能等级认定"
            } else {
                "深化产教融合，推行新型学徒制培训"
            };
            pages.insert(
                format!("documents/d{n}/index.html"),
                page(&format!("文件{n}"), body),
            );
        }
        // Parts of 2, 2 and 1 pages; d3 is in the second.
        let bundle = index_in_parts(&pages, 2, &mut PartCache::default()).unwrap();
        for (part, count, has_word) in [("", 2, false), ("part-2/", 2, true), ("part-3/", 1, false)]
        {
            let dir = format!("pagefind/{part}");
            let entry: serde_json::Value =
                serde_json::from_slice(bundle.get(&format!("{dir}pagefind-entry.json")).unwrap())
                    .unwrap();
            assert_eq!(entry["version"], "1.6.0", "{dir}");
            assert_eq!(entry["languages"]["zh-cn"]["page_count"], count, "{dir}");
            let files: Vec<(&String, &Vec<u8>)> = bundle
                .iter()
                .filter(|(p, _)| {
                    p.strip_prefix(&dir).is_some_and(|rest| {
                        rest.starts_with("index/")
                            || rest.starts_with("fragment/")
                            || rest.ends_with(".pf_meta")
                    })
                })
                .collect();
            assert!(files.len() > count, "{dir}: {} files", files.len());
            let mut word_found = false;
            for (path, bytes) in files {
                let text = gunzip(bytes);
                assert!(text.starts_with(b"pagefind_dcd"), "{path}");
                if path.contains("/index/") {
                    word_found |= contains(&text, "等级");
                }
                if path.contains("/fragment/") && contains(&text, "/documents/d3/") {
                    // The excerpt text, with Pagefind's zero-width spaces
                    // between segmented words taken out.
                    let plain = String::from_utf8_lossy(&text).replace('\u{200B}', "");
                    assert!(plain.contains("推进职业技能等级认定"), "{path}: {plain}");
                }
            }
            assert_eq!(word_found, has_word, "等级 in the word index of {dir}");
        }
    }
}
