//! Stage 1: read `content/` into raw records, checking each file on its own.
//!
//! The walk is sorted, so the order of records (and of everything built from
//! them) does not depend on the file system. Nothing outside the site root is
//! read: a symbolic link that leads out is an error.

pub mod frontmatter;
pub mod link;
pub mod markdown;
pub mod names;
pub mod raw;
pub mod schema;
pub mod slug;
pub mod value;
pub mod walk;
pub mod yaml;
mod yaml_events;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span, Spanned};

pub use raw::{Body, RawBrand, RawDocument, RawMetric, RawProgram, RawRegion, RawSite};
pub use walk::Collection;
use walk::ContentFile;

/// Everything read from `content/`, before cross-file checks.
#[derive(Debug, Default)]
pub struct RawContent {
    pub site: Option<RawSite>,
    pub metrics: Vec<RawMetric>,
    pub regions: Vec<RawRegion>,
    pub programs: Vec<RawProgram>,
    pub brands: Vec<RawBrand>,
    pub documents: Vec<RawDocument>,
    /// Every valid topic as written, where: two spellings of one folder are an error.
    pub topic_spellings: Vec<Spanned<String>>,
    /// Slugs of files that exist but could not be read: references to them are
    /// not reported again as unknown (one mistake, one message).
    pub unreadable: BTreeSet<(Collection, String)>,
    /// With a [`LoadCache`] only: each read file's version, the same as long
    /// as the file keeps its id and its text (what later caches key on).
    pub versions: HashMap<FileId, u64>,
}

/// What `serve` keeps of the last load, so that a save parses again only the
/// files whose text changed. An entry is used only for a file with the same
/// id, name, collection and text, so its spans and messages are exactly
/// those a fresh parse would make.
#[derive(Default)]
pub struct LoadCache {
    files: HashMap<FileId, Cached>,
    /// File name → id, of the files above.
    names: HashMap<String, FileId>,
    next_version: u64,
    /// Set by [`LoadCache::trust_stamps`] for the next load only: whether a
    /// file whose stamp did not change is taken as it was, except these.
    trusted: Option<std::collections::HashSet<String>>,
}

struct Cached {
    name: String,
    collection: Collection,
    text: String,
    stamp: Option<walk::Stamp>,
    parsed: Option<Parsed>,
    version: u64,
}

impl LoadCache {
    fn get(&self, file: &ContentFile, name: &str, text: &str) -> Option<&Cached> {
        self.files
            .get(&file.id)
            .filter(|c| c.collection == file.collection && c.name == name && c.text == text)
    }

    /// For the next load: a file whose size, times and inode are those it
    /// had when last read is not read again, unless `except` names it
    /// (`content/documents/a.md`: what a watch event reported).
    pub fn trust_stamps(&mut self, except: impl IntoIterator<Item = String>) {
        self.trusted = Some(except.into_iter().collect());
    }

    /// The text last read of `name`, if its stamp is still `stamp` and the
    /// next load trusts stamps.
    fn unchanged(&self, name: &str, stamp: &walk::Stamp) -> Option<String> {
        if self.trusted.as_ref()?.contains(name) {
            return None;
        }
        let cached = self.files.get(self.names.get(name)?)?;
        (cached.name == name && cached.stamp.as_ref() == Some(stamp)).then(|| cached.text.clone())
    }
}

/// Reads the site at `root`. Problems go to `sink`; whatever could be read is returned.
pub fn load(root: &Path, sources: &mut SourceMap, sink: &mut Diagnostics) -> RawContent {
    load_cached(root, sources, sink, None)
}

/// [`load`], reusing (and then updating) the parse of every file whose text
/// did not change since the cache was filled.
pub fn load_cached(
    root: &Path,
    sources: &mut SourceMap,
    sink: &mut Diagnostics,
    mut cache: Option<&mut LoadCache>,
) -> RawContent {
    let mut content = RawContent::default();
    let files = match cache.as_deref_mut() {
        None => walk::walk(root, sources, sink),
        Some(cache) => {
            let cache = &*cache;
            let earlier = |name: &str, stamp: &walk::Stamp| cache.unchanged(name, stamp);
            walk::walk_reusing(root, sources, sink, Some(&earlier))
        }
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.trusted = None;
    }
    let mut slugs: BTreeMap<(Collection, String), Span> = BTreeMap::new();
    // Each file is parsed on its own, on every core; slugs, records and
    // messages are then taken in walk order, as a one-by-one read would.
    // With a cache, a file is parsed only when it is not in it.
    let parsed: Vec<(Option<Parsed>, Option<u64>)> = {
        use rayon::prelude::*;
        let cached = cache.as_deref();
        files
            .par_iter()
            .map(|file| {
                let text = sources.text(file.id);
                match cached.and_then(|c| c.get(file, sources.name(file.id), text)) {
                    Some(hit) => (hit.parsed.clone(), Some(hit.version)),
                    None => (parse_file(file, text), None),
                }
            })
            .collect()
    };
    let parsed: Vec<Option<Parsed>> = match cache {
        None => parsed.into_iter().map(|(p, _)| p).collect(),
        Some(cache) => {
            let mut files_now = HashMap::with_capacity(files.len());
            let mut old = std::mem::take(&mut cache.files);
            cache.names.clear();
            let parsed = files
                .iter()
                .zip(parsed)
                .map(|(file, (parsed, version))| {
                    let entry = match version {
                        Some(_) => Cached {
                            stamp: file.stamp,
                            ..old.remove(&file.id).expect("a hit is in the cache")
                        },
                        None => {
                            cache.next_version += 1;
                            Cached {
                                name: sources.name(file.id).to_owned(),
                                collection: file.collection,
                                text: sources.text(file.id).to_owned(),
                                stamp: file.stamp,
                                parsed: parsed.clone(),
                                version: cache.next_version,
                            }
                        }
                    };
                    content.versions.insert(file.id, entry.version);
                    cache.names.insert(entry.name.clone(), file.id);
                    files_now.insert(file.id, entry);
                    parsed
                })
                .collect();
            cache.files = files_now;
            parsed
        }
    };
    // Sized once: a national site's records are tens of megabytes, taken
    // on one thread, and each doubling would copy them into fresh memory.
    let of = |collection| files.iter().filter(|f| f.collection == collection).count();
    content.regions.reserve_exact(of(Collection::Regions));
    content.programs.reserve_exact(of(Collection::Programs));
    content.brands.reserve_exact(of(Collection::Brands));
    content.documents.reserve_exact(of(Collection::Documents));
    for (file, parsed) in files.into_iter().zip(parsed) {
        match parsed {
            Some(parsed) => take_parsed(file, parsed, sources, sink, &mut content, &mut slugs),
            None => read_file(file, sources, sink, &mut content),
        }
    }
    names::check_topic_spellings(&content.topic_spellings, sink);
    // What the build copies or reads besides content/ must stay inside the root too.
    walk::check_tree(root, &root.join("static"), sources, sink);
    if let Some(theme) = content.site.as_ref().and_then(|s| s.theme.as_ref()) {
        check_theme(root, theme, sources, sink);
    }
    if content.site.is_none()
        && !sink.iter().any(|d| d.code == Code::NoContent)
        && !sink.has_errors()
    {
        sink.push(
            Diagnostic::without_file(Code::NoContent, "缺少 content/site.yaml")
                .help("新建 content/site.yaml，至少写上 title 和 base_url；或在空目录中运行 skillpress init 新建整个站点"),
        );
    }
    content
}

/// A region, program, brand or document file read on its own, before its
/// slug is checked against the others'.
#[derive(Clone)]
struct Parsed {
    /// Messages about its YAML, front matter and Markdown links.
    parse: Diagnostics,
    /// Whether it parsed at all.
    parsed: bool,
    topics: Vec<Spanned<String>>,
    /// The record, and the messages about its fields.
    record: Option<Record>,
    read: Diagnostics,
}

#[derive(Clone)]
enum Record {
    Region(RawRegion),
    Program(RawProgram),
    Brand(RawBrand),
    Document(RawDocument),
}

/// Parses one file of a per-item collection; `None` for the site and metric
/// files and empty files, which [`read_file`] reads in order.
fn parse_file(file: &ContentFile, text: &str) -> Option<Parsed> {
    if text.trim().is_empty() || matches!(file.collection, Collection::Site | Collection::Metrics) {
        return None;
    }
    let id = file.id;
    // The slug it will have if the order-dependent checks accept it.
    let slug = Spanned::new(file.stem.clone(), Span::file_start(id));
    let mut parse = Diagnostics::new();
    let mut read = Diagnostics::new();
    let mut topics = Vec::new();
    if file.collection == Collection::Regions {
        let node = yaml::parse(text, id, 0, &mut parse);
        let record = node
            .as_ref()
            .and_then(|node| raw::read_region(node, slug, &mut read))
            .map(Record::Region);
        return Some(Parsed {
            parse,
            parsed: node.is_some(),
            topics,
            record,
            read,
        });
    }
    let parsed = front_matter(text, id, &mut parse);
    if let Some((node, body)) = &parsed {
        link::check_links(&body.links, id, body.offset, &mut parse);
        if file.collection != Collection::Brands {
            topics.extend(names::topic_nodes(node));
        }
    }
    let ok = parsed.is_some();
    let record = parsed.and_then(|(node, body)| match file.collection {
        Collection::Programs => {
            raw::read_program(&node, slug, body, &mut read).map(Record::Program)
        }
        Collection::Brands => raw::read_brand(&node, slug, body, &mut read).map(Record::Brand),
        _ => raw::read_document(&node, slug, body, &mut read).map(Record::Document),
    });
    Some(Parsed {
        parse,
        parsed: ok,
        topics,
        record,
        read,
    })
}

/// Checks a parsed file's slug and takes its record and messages, exactly as
/// [`read_file`] would have made them.
fn take_parsed(
    file: ContentFile,
    parsed: Parsed,
    sources: &SourceMap,
    sink: &mut Diagnostics,
    content: &mut RawContent,
    slugs: &mut BTreeMap<(Collection, String), Span>,
) {
    let slug = check_slug(&file, sources, sink, slugs);
    if file.collection == Collection::Regions {
        // A region whose slug is refused is not parsed at all.
        if slug.is_none() {
            return;
        }
        sink.append(parsed.parse);
        sink.append(parsed.read);
        match parsed.record {
            Some(Record::Region(region)) => content.regions.push(region),
            _ => mark_unreadable(content, &file),
        }
        return;
    }
    sink.append(parsed.parse);
    content.topic_spellings.extend(parsed.topics);
    if !parsed.parsed || slug.is_none() {
        mark_unreadable(content, &file);
        return;
    }
    sink.append(parsed.read);
    match parsed.record {
        Some(Record::Program(p)) => content.programs.push(p),
        Some(Record::Brand(b)) => content.brands.push(b),
        Some(Record::Document(d)) => content.documents.push(d),
        _ => mark_unreadable(content, &file),
    }
}

/// Reads the site and metric files, and reports an empty file of any kind.
fn read_file(
    file: ContentFile,
    sources: &SourceMap,
    sink: &mut Diagnostics,
    content: &mut RawContent,
) {
    let id = file.id;
    let text = sources.text(id);
    if text.trim().is_empty() {
        sink.push(
            Diagnostic::error(Code::EmptyFile, Span::file_start(id), "文件是空的")
                .help("填写内容，或删除这个文件；不想发布的草稿可在文件名前加 _"),
        );
        return;
    }
    match file.collection {
        Collection::Site => {
            if let Some(node) = yaml::parse(text, id, 0, sink) {
                content.site = raw::read_site(&node, id, sink);
            }
        }
        Collection::Metrics => {
            if let Some(node) = yaml::parse(text, id, 0, sink) {
                content.metrics = raw::read_metrics(&node, sink);
            }
        }
        // Read by `parse_file` and `take_parsed`.
        Collection::Regions | Collection::Programs | Collection::Brands | Collection::Documents => {
        }
    }
}

/// `theme: NAME` (already a plain name) must be a folder under `themes/`.
fn check_theme(
    root: &Path,
    theme: &Spanned<String>,
    sources: &mut SourceMap,
    sink: &mut Diagnostics,
) {
    let dir = root.join("themes").join(&theme.value);
    if dir.is_dir() {
        walk::check_tree(root, &dir, sources, sink);
    } else {
        sink.push(
            Diagnostic::error(
                Code::BadTheme,
                theme.span,
                format!("找不到主题文件夹 themes/{}/", theme.value),
            )
            .label("不存在的主题")
            .help("在站点根目录新建 themes/<名字>/（其中放 templates/ 和 static/），或删除 theme 一行以使用内置主题"),
        );
    }
}

fn mark_unreadable(content: &mut RawContent, file: &ContentFile) {
    content
        .unreadable
        .insert((file.collection, file.stem.clone()));
}

/// The stem must be a valid slug, unique in its collection (sub-folders included).
fn check_slug(
    file: &ContentFile,
    sources: &SourceMap,
    sink: &mut Diagnostics,
    seen: &mut BTreeMap<(Collection, String), Span>,
) -> Option<Spanned<String>> {
    let here = Span::file_start(file.id);
    if !slug::is_valid(&file.stem) {
        let suggestion = slug::suggest(&file.stem);
        let mut help = format!("把文件改名为 `{suggestion}.{}`", file.extension);
        if slug::has_han(&file.stem) {
            help.push_str("（拼音是自动生成的，请核对读音，例如 长垣 应为 changyuan）");
        }
        sink.push(
            Diagnostic::error(Code::InvalidSlug, here, format!("文件名“{}”不能用作网址", file.stem))
                .help(format!("文件名（不含扩展名）只能用小写字母、数字和连字符 -，例如 nanyang、wankang-hugong。{help}")),
        );
        return None;
    }
    if let Some(first) = seen.get(&(file.collection, file.stem.clone())) {
        sink.push(
            Diagnostic::error(Code::DuplicateSlug, here, format!("{}中已有 slug 为“{}”的文件：{}", file.collection.label(), file.stem, sources.name(first.file)))
                .also(*first, "先出现的同名文件")
                .help("同一栏目中的文件名（不含扩展名）必须各不相同，即使在不同子文件夹中；请给其中一个改名"),
        );
        return None;
    }
    seen.insert((file.collection, file.stem.clone()), here);
    Some(Spanned::new(file.stem.clone(), here))
}

fn front_matter(text: &str, id: FileId, sink: &mut Diagnostics) -> Option<(yaml::Node, Body)> {
    match frontmatter::split(text) {
        Ok(split) => {
            if let Some(unfilled) = schema::unfilled_body(split.body, id, split.body_offset) {
                sink.push(unfilled);
            }
            let node = yaml::parse(split.yaml, id, split.yaml_offset, sink)?;
            Some((
                node,
                Body {
                    text: split.body.to_owned(),
                    offset: split.body_offset,
                    links: markdown::links(split.body),
                },
            ))
        }
        Err(frontmatter::SplitError::Missing) => {
            let first_line_end = text.find('\n').unwrap_or(text.len());
            sink.push(
                Diagnostic::error(Code::NoFrontMatter, Span::new(id, 0, first_line_end), "文件开头缺少元数据块")
                    .label("第一行应是 ---")
                    .help("Markdown 文件以一行 --- 开始，接着写 YAML 字段（如 title: …），再以一行 --- 结束，然后是正文"),
            );
            None
        }
        Err(frontmatter::SplitError::Unclosed { opening_end }) => {
            sink.push(
                Diagnostic::error(
                    Code::FrontMatterUnclosed,
                    Span::new(id, 0, opening_end),
                    "元数据块没有结束",
                )
                .label("从这里开始的元数据块")
                .help("在最后一个字段之后、正文之前加一行 ---"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_load_takes_an_unchanged_file_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("content/documents/a.md");
        std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
        std::fs::write(
            dir.path().join("content/site.yaml"),
            "title: 测试\nbase_url: https://example.org/\n",
        )
        .unwrap();
        let first = "---\ntitle: 一\n---\n正文\n";
        std::fs::write(&doc, first).unwrap();
        let mut cache = LoadCache::default();
        let load = |cache: &mut LoadCache| {
            let mut sources = SourceMap::new();
            load_cached(
                dir.path(),
                &mut sources,
                &mut Diagnostics::new(),
                Some(cache),
            );
            let id = (0..2)
                .map(FileId)
                .find(|&id| sources.name(id).ends_with("a.md"));
            sources.text(id.unwrap()).to_owned()
        };
        assert_eq!(load(&mut cache), first);
        let name = "content/documents/a.md";
        let stamp = walk::Stamp::of(&doc).unwrap();
        assert_eq!(cache.unchanged(name, &stamp), None, "not trusted");
        cache.trust_stamps([]);
        assert_eq!(cache.unchanged(name, &stamp).as_deref(), Some(first));
        cache.trust_stamps([name.to_owned()]);
        assert_eq!(
            cache.unchanged(name, &stamp),
            None,
            "named by a watch event"
        );
        cache.trust_stamps([]);
        let second = "---\ntitle: 第二稿\n---\n正文\n";
        std::fs::write(&doc, second).unwrap();
        let now = walk::Stamp::of(&doc).unwrap();
        assert_ne!(now, stamp);
        assert_eq!(cache.unchanged(name, &now), None, "another stamp");
        assert_eq!(
            load(&mut cache),
            second,
            "a trusted load reads a changed file"
        );
        assert_eq!(cache.unchanged(name, &now), None, "trust lasts one load");
    }
}
