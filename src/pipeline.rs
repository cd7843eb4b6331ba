//! The one pipeline `build`, `check` and `serve` run, as typed stages:
//! validate → render (theme, templates, pages) → links → search → publish.
//! Each stage is timed into a [`Progress`], which `build -v` prints and which
//! shows the stage being run on a terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::theme::Theme;
use crate::render::{self, FileSet, deps};
use crate::{BuildError, Checked};

/// The stages, in the order data travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Validate,
    Render,
    Links,
    Search,
    Publish,
}

impl Stage {
    /// The stage's name in `build -v`'s table (stable, for scripts and benches).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Validate => "validate",
            Stage::Render => "render",
            Stage::Links => "links",
            Stage::Search => "search",
            Stage::Publish => "publish",
        }
    }

    /// What a reader watching the terminal sees.
    fn label(self) -> &'static str {
        match self {
            Stage::Validate => "检查内容",
            Stage::Render => "生成页面",
            Stage::Links => "检查链接",
            Stage::Search => "建立搜索索引",
            Stage::Publish => "写入输出目录",
        }
    }
}

/// Wall time of each stage run, and what the run produced.
#[derive(Debug, Default)]
pub struct Progress {
    live: bool,
    pub timings: Vec<(Stage, Duration)>,
    /// Pages rendered (HTML files), files written, bytes written.
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

impl Progress {
    /// Records timings, shows nothing.
    pub fn quiet() -> Self {
        Progress::default()
    }

    /// Shows each stage as it runs when stderr is a terminal; quiet otherwise.
    pub fn terminal() -> Self {
        Progress {
            live: std::io::stderr().is_terminal(),
            ..Progress::default()
        }
    }

    /// Runs one stage, timing it.
    pub fn run<T>(&mut self, stage: Stage, f: impl FnOnce() -> T) -> T {
        if self.live {
            let done: Vec<String> = self
                .timings
                .iter()
                .map(|(s, d)| format!("{} {:.1} 秒", s.label(), d.as_secs_f64()))
                .collect();
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}{}…", prefix(&done), stage.label());
            let _ = err.flush();
        }
        let started = Instant::now();
        let value = f();
        self.timings.push((stage, started.elapsed()));
        value
    }

    /// Clears the live line, so the final messages start on a clean line.
    pub fn finish(&self) {
        if self.live && !self.timings.is_empty() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }

    pub fn total(&self, stage: Stage) -> Duration {
        self.timings
            .iter()
            .filter(|(s, _)| *s == stage)
            .map(|(_, d)| *d)
            .sum()
    }

    /// `build -v`'s table: one line per stage, then the counts.
    pub fn table(&self) -> String {
        let mut text = String::new();
        for stage in [
            Stage::Validate,
            Stage::Render,
            Stage::Links,
            Stage::Search,
            Stage::Publish,
        ] {
            if self.timings.iter().any(|(s, _)| *s == stage) {
                text.push_str(&format!(
                    "  {:<9}{:>9.3} s  {}\n",
                    stage.name(),
                    self.total(stage).as_secs_f64(),
                    stage.label()
                ));
            }
        }
        text.push_str(&format!(
            "  pages {} · files {} · bytes {}\n",
            self.pages, self.files, self.bytes
        ));
        text
    }

    /// Counts the files and bytes of what is about to be written.
    pub fn count(&mut self, layers: &[&FileSet]) {
        let mut all: BTreeMap<&str, u64> = BTreeMap::new();
        for layer in layers {
            all.extend(layer.iter().map(|(p, b)| (p.as_str(), b.len() as u64)));
        }
        self.count_sizes(&all);
    }

    /// [`Progress::count`] from each output path's size.
    fn count_sizes<P: AsRef<str>>(&mut self, sizes: &BTreeMap<P, u64>) {
        self.pages = sizes
            .keys()
            .filter(|p| p.as_ref().ends_with(".html"))
            .count();
        self.files = sizes.len();
        self.bytes = sizes.values().sum();
    }
}

fn prefix(done: &[String]) -> String {
    if done.is_empty() {
        String::new()
    } else {
        format!("{} · ", done.join(" · "))
    }
}

/// Stage 1: reads `root/content` and checks every file and cross-reference.
pub fn validate(root: &Path, progress: &mut Progress) -> Checked {
    progress.run(Stage::Validate, || crate::validate(root))
}

/// What the render stage made: the theme and its parsed templates (kept by
/// `serve` between rebuilds), the pages, and which page produced which files.
pub struct Rendered {
    pub theme: Theme,
    pub templates: tera::Tera,
    pub pages: FileSet,
    /// The theme's and the site's `static/` files, published beside the pages.
    pub statics: FileSet,
    /// Page key ([`deps::page_key`]) → the output files it produced.
    pub produced: BTreeMap<String, Vec<String>>,
}

/// Stage 2: loads the theme and renders every page of the site.
pub fn render(root: &Path, site: &Site, progress: &mut Progress) -> Result<Rendered, BuildError> {
    progress.run(Stage::Render, || {
        let theme = Theme::load(root, site.theme.as_deref())?;
        let templates = render::load_templates(&theme)?;
        let statics = crate::output::statics(root, &theme)?;
        let mut pages = FileSet::default();
        let mut produced = BTreeMap::new();
        let all = render::all_pages(site);
        for (page, files) in render::render_pages(site, &templates, &theme, &all)? {
            add_page(site, &page, files, &mut pages, &mut produced);
        }
        Ok(Rendered {
            theme,
            templates,
            pages,
            statics,
            produced,
        })
    })
}

/// Adds one rendered page's files and records which page made them.
pub fn add_page(
    site: &Site,
    page: &render::Page,
    files: Vec<(String, Vec<u8>)>,
    pages: &mut FileSet,
    produced: &mut BTreeMap<String, Vec<String>>,
) {
    produced.insert(
        deps::page_key(page, site),
        files.iter().map(|(p, _)| p.clone()).collect(),
    );
    for (path, bytes) in files {
        pages.insert(path, bytes);
    }
}

/// Stage 3: no two output paths collide, and every internal link resolves
/// to a page or a static file. `true` when the sink has no errors.
/// `scans` holds what pages were scanned for (empty on a first build): pages
/// without an entry are scanned now and added, so `serve` reads again only
/// the pages it re-rendered.
pub fn links(
    pages: &FileSet,
    scans: &mut render::links::Scans,
    statics: &FileSet,
    site: &Site,
    sink: &mut Diagnostics,
    progress: &mut Progress,
) -> bool {
    progress.run(Stage::Links, || {
        render::check_paths(&[statics, pages], sink);
        render::links::scan_missing(pages, scans);
        render::links::check_scanned(scans, &|path| pages.contains(path), statics, site, sink);
    });
    !sink.has_errors()
}

/// Stage 4: the search bundle of the pages.
pub fn search(pages: &FileSet, progress: &mut Progress) -> Result<FileSet, BuildError> {
    progress.run(Stage::Search, || crate::search::index(pages))
}

/// Stage 5: writes the layers (later ones win) into `output`, atomically.
/// `output` must be skillpress's to replace (see [`crate::output`]).
pub fn publish(
    root: &Path,
    layers: &[&FileSet],
    output: &Path,
    progress: &mut Progress,
) -> Result<(), BuildError> {
    progress.count(layers);
    progress.run(Stage::Publish, || {
        crate::output::publish_all(root, layers, output)
    })
}

/// What `build` published: files and bytes, counted into its [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub files: usize,
}

/// What the streamed render keeps of one page after writing it: the paths it
/// produced, what the link check reads of its HTML, and what the search
/// index reads.
struct Kept {
    /// Each file's path and size.
    paths: Vec<(String, u64)>,
    /// Files another page had already claimed, with this page's bytes, to
    /// be compared with what that page wrote.
    again: Vec<(String, Vec<u8>)>,
    scanned: Vec<(String, std::sync::Arc<render::links::Scanned>)>,
    search: Vec<crate::search::Input>,
    /// A file that could not be written (a static file where its folder
    /// should be): reported as the path conflict it is when the paths are
    /// checked, as a write error otherwise.
    unwritten: Option<BuildError>,
}

/// Stages 2–5 of `build`, streamed. Each page is written into the staging
/// folder as soon as it is rendered, and only what the later stages read of
/// it is kept (its paths, its links and ids, the part search indexes), so a
/// build holds a few pages at a time instead of the whole site. The links
/// are then checked on what was kept; on an error the staging folder is
/// removed and `output` is untouched. `None` when the sink has errors.
/// The model is dropped once the links are checked, before the search
/// index (the build's largest stage) is made.
pub fn render_and_publish(
    root: &Path,
    site: Site,
    output: &Path,
    sink: &mut Diagnostics,
    progress: &mut Progress,
) -> Result<Option<Published>, BuildError> {
    let (statics, staging, kept) = progress.run(Stage::Render, || {
        let theme = Theme::load(root, site.theme.as_deref())?;
        let templates = render::load_templates(&theme)?;
        let statics = crate::output::statics(root, &theme)?;
        let staging = crate::output::Staging::begin(root, output)?;
        staging.write(&[&statics])?;
        let all = render::all_pages(&site);
        // A chart's table shared by several pages is written once.
        let claimed = std::sync::Mutex::new(std::collections::HashSet::new());
        let kept = render::render_each(&site, &templates, &theme, &all, |_, files| {
            keep_after_writing(&staging, &claimed, files)
        })?;
        Ok::<_, BuildError>((statics, staging, kept))
    })?;
    let mut paths: BTreeMap<String, u64> = statics
        .iter()
        .map(|(p, b)| (p.clone(), b.len() as u64))
        .collect();
    // Looked up for every distinct link target: a fast hash (see links.rs).
    let mut page_paths = foldhash::HashSet::default();
    let mut written_twice = Vec::new();
    let mut scanned = BTreeMap::new();
    let mut inputs = Vec::new();
    let mut unwritten = None;
    for page in kept {
        unwritten = unwritten.or(page.unwritten);
        for (path, size) in page.paths {
            page_paths.insert(path.clone());
            paths.insert(path, size);
        }
        // Every page has been written by now: compare with the file on disk.
        for (path, bytes) in page.again {
            if staging.read(&path).as_deref() != Some(bytes.as_slice()) {
                written_twice.push(path);
            }
        }
        scanned.extend(page.scanned);
        inputs.extend(page.search);
    }
    let ok = progress.run(Stage::Links, || {
        // Pages are written as they come, so of two pages making one file
        // with different bytes, whichever came first would be published.
        for path in written_twice {
            sink.push(
                crate::diag::Diagnostic::without_file(
                    crate::diag::Code::PathConflict,
                    format!("两个页面生成了同一个输出文件“{path}”，内容却不同"),
                )
                .help("检查生成这个网址的内容（编号或 slug 是否重复）和 themes/ 中的模板"),
            );
        }
        render::check_path_set(&paths.keys().map(String::as_str).collect(), sink);
        render::links::check_scanned(
            &scanned,
            &|path| page_paths.contains(path),
            &statics,
            &site,
            sink,
        );
        !sink.has_errors()
    });
    if !ok {
        return Ok(None);
    }
    if let Some(error) = unwritten {
        return Err(error);
    }
    drop(scanned);
    drop(site);
    let bundle = progress.run(Stage::Search, || {
        crate::search::index_inputs(
            inputs,
            crate::search::part_pages(),
            &mut Default::default(),
            |path| staging.read(path),
        )
    })?;
    paths.extend(bundle.iter().map(|(p, b)| (p.clone(), b.len() as u64)));
    progress.count_sizes(&paths);
    let files = paths.len();
    progress.run(Stage::Publish, || {
        staging.write(&[&bundle])?;
        staging.commit()
    })?;
    Ok(Some(Published { files }))
}

/// Writes a page's files into the staging folder (each path once: the
/// first page to claim it writes it) and keeps what the link check and the
/// search index read of them.
fn keep_after_writing(
    staging: &crate::output::Staging,
    claimed: &std::sync::Mutex<std::collections::HashSet<String>>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Kept, BuildError> {
    let mut kept = Kept {
        paths: Vec::with_capacity(files.len()),
        again: Vec::new(),
        scanned: Vec::new(),
        search: Vec::new(),
        unwritten: None,
    };
    for (path, bytes) in files {
        let first = claimed
            .lock()
            .expect("the set of written paths is never poisoned")
            .insert(path.clone());
        if path.ends_with(".html") {
            // Read as text once, for both readers.
            let html = render::text_of(&bytes);
            kept.scanned.push((
                path.clone(),
                std::sync::Arc::new(render::links::scan(&html)),
            ));
            kept.search.extend(crate::search::Input::of(&path, &html));
        }
        kept.paths.push((path.clone(), bytes.len() as u64));
        if !first {
            kept.again.push((path, bytes));
        } else if kept.unwritten.is_none() {
            // A path that is not plain is refused here and reported by the
            // path check.
            kept.unwritten = staging.write_file(&path, &bytes).err();
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_two_pages_make_is_written_once_and_the_second_kept_to_compare() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let staging = crate::output::Staging::begin(&root, &dir.path().join("public")).unwrap();
        let claimed = std::sync::Mutex::new(std::collections::HashSet::new());
        let file = |bytes: &str| vec![("data/a.csv".to_owned(), bytes.as_bytes().to_vec())];
        let first = keep_after_writing(&staging, &claimed, file("1,2")).unwrap();
        let second = keep_after_writing(&staging, &claimed, file("3,4")).unwrap();
        assert!(first.again.is_empty());
        assert_eq!(second.again, [("data/a.csv".to_owned(), b"3,4".to_vec())]);
        assert_eq!(staging.read("data/a.csv").as_deref(), Some(&b"1,2"[..]));
        // Not plain: never written, left for the path check to report.
        let outside = keep_after_writing(&staging, &claimed, vec![("../x.csv".into(), vec![])]);
        assert!(outside.unwrap().unwritten.is_some());
        assert!(!dir.path().join("x.csv").exists());
    }
}
