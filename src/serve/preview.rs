//! The preview's build state: the last good build, kept in memory, and how a
//! set of changed files becomes the next one.
//!
//! Validation always covers the whole site (it is cheap, and rules such as
//! references and duplicate document numbers cross files). Rendering is
//! incremental when only documents changed: the pages that can show those
//! documents ([`deps::pages_showing_document`], in the old and the new site)
//! are re-rendered, every other page is kept. On disk only the files that
//! differ are rewritten.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{self, Diagnostics, SourceMap};
use crate::model::Site;
use crate::pipeline::{self, Progress};
use crate::render::theme::Theme;
use crate::render::{self, FileSet, deps};
use crate::{BuildError, output};

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Only these documents (by slug).
    Documents(BTreeSet<String>),
    /// Anything else: site.yaml, metrics, regions, programs, brands, theme, static.
    Everything,
}

impl Changes {
    /// Both sets of changes: what a rebuild that failed left to do, and the next.
    fn and(self, next: &Changes) -> Changes {
        match (self, next) {
            (Changes::Documents(mut slugs), Changes::Documents(more)) => {
                slugs.extend(more.iter().cloned());
                Changes::Documents(slugs)
            }
            _ => Changes::Everything,
        }
    }

    /// Classifies changed paths: document files alone allow an incremental rebuild.
    pub fn of_paths(root: &Path, paths: &[PathBuf]) -> Changes {
        let documents = root.join("content").join("documents");
        let mut slugs = BTreeSet::new();
        for path in paths {
            let is_document =
                path.starts_with(&documents) && path.extension().is_some_and(|e| e == "md");
            match path.file_stem().and_then(|s| s.to_str()) {
                Some(stem) if is_document => slugs.insert(stem.to_owned()),
                _ => return Changes::Everything,
            };
        }
        Changes::Documents(slugs)
    }
}

/// A build that validated, rendered and passed the link check.
pub struct GoodBuild {
    pub site: Site,
    theme: Arc<Theme>,
    templates: Arc<tera::Tera>,
    pub pages: Arc<FileSet>,
    pub statics: Arc<FileSet>,
    /// Page key → the output files it produced.
    produced: BTreeMap<String, Vec<String>>,
    /// What the link check read of each page, reused for unchanged pages.
    scans: render::links::Scans,
}

/// What a rebuild did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every page rendered and the output folder replaced.
    Full { files: usize },
    /// Only these pages re-rendered; `written` files changed on disk.
    Incremental { pages: usize, written: usize },
    /// The content has errors (or the theme does not render): nothing changed.
    Failed,
}

/// The result of one rebuild, for the terminal and the browser.
pub struct Report {
    pub outcome: Outcome,
    /// Every diagnostic, as `check` prints it.
    pub text: String,
    pub errors: usize,
    pub warnings: usize,
}

pub struct Preview {
    root: PathBuf,
    output: PathBuf,
    pub good: Option<GoodBuild>,
    /// The error page body while the latest attempt failed.
    pub failure: Option<String>,
    /// The Pagefind bundle in the output folder. Indexed after the pages (in
    /// the background by `serve`), so a reload never waits for it; the lock
    /// orders writes of the bundle against full rebuilds of the folder.
    pub search: Arc<Mutex<Arc<FileSet>>>,
    /// The index parts of [`Preview::index_search`]'s last run.
    search_parts: crate::search::PartCache,
    /// Each file's parse and each document's quotes, from the last rebuild.
    validated: crate::ValidateCache,
    /// Changes since the last good build that no rebuild has shown yet (the
    /// rebuilds since failed): the next rebuild covers them too.
    unbuilt: Option<Changes>,
}

/// Indexing the pages of one good build for search, runnable on another thread.
pub struct SearchJob {
    pages: Arc<FileSet>,
    output: PathBuf,
    on_disk: Arc<Mutex<Arc<FileSet>>>,
}

impl SearchJob {
    /// Indexes the pages, then writes the bundle files that changed while
    /// holding the lock; `then` runs under the same lock with the new bundle
    /// (to publish it to readers before any later rebuild can). Returns how
    /// many files were written.
    /// `cache` holds the parts of the last run, so only the parts whose
    /// pages changed are indexed again.
    pub fn run(
        self,
        cache: &mut crate::search::PartCache,
        then: impl FnOnce(&Arc<FileSet>),
    ) -> Result<usize, BuildError> {
        let bundle = Arc::new(crate::search::index_cached(&self.pages, cache)?);
        let mut on_disk = self.on_disk.lock().expect("search lock is never poisoned");
        let written = output::update(&self.output, &on_disk, &bundle)?;
        *on_disk = bundle;
        then(&on_disk);
        Ok(written)
    }
}

impl Preview {
    pub fn new(root: PathBuf, output: PathBuf) -> Self {
        Preview {
            root,
            output,
            good: None,
            failure: None,
            search: Arc::default(),
            search_parts: Default::default(),
            validated: Default::default(),
            unbuilt: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn rebuild(&mut self, changes: &Changes) -> Report {
        self.rebuild_with(changes, |_| ())
    }

    /// Rebuilds after a watch event that reported `paths`: as
    /// [`Preview::rebuild_with`], except that a content file the event did
    /// not name is not read again when its size, times and inode are those
    /// it had when last read.
    pub fn rebuild_after(&mut self, paths: &[PathBuf], ready: impl FnOnce(&Preview)) -> Report {
        let names: Option<Vec<String>> = paths
            .iter()
            .map(|p| {
                let relative = p.strip_prefix(&self.root).ok()?;
                let parts: Vec<_> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect();
                Some(parts.join("/"))
            })
            .collect();
        // A path outside the root (not expected) leaves every file read again.
        if let Some(names) = names {
            self.validated.content.trust_stamps(names);
        }
        let changes = Changes::of_paths(&self.root, paths);
        self.rebuild_with(&changes, ready)
    }

    /// [`Preview::rebuild`], calling `ready` as soon as an incremental
    /// rebuild's pages are in memory, before its files are written to the
    /// output folder and the terminal text is made: `serve` shows the pages
    /// (from memory) first. Not called otherwise. Should the writing fail
    /// after `ready`, the outcome is `Failed` and the last good build is
    /// the one before, as when any other step fails.
    pub fn rebuild_with(&mut self, changes: &Changes, ready: impl FnOnce(&Preview)) -> Report {
        let changes = match self.unbuilt.take() {
            Some(unbuilt) => unbuilt.and(changes),
            None => changes.clone(),
        };
        let changes = &changes;
        let mut phases = Phases::from_env();
        let mut checked = phases.run("validate", || {
            crate::validate_cached(&self.root, &mut self.validated)
        });
        let sink = &mut checked.diagnostics;
        let attempt = match checked.site.take().filter(|_| !sink.has_errors()) {
            None => Ok(None),
            Some(site) => match (changes, &self.good) {
                (Changes::Documents(slugs), Some(previous)) => {
                    self.incremental(site, previous, slugs, sink, &mut phases)
                }
                _ => self.full(site, sink),
            },
        };
        let mut failed = None;
        let outcome = match attempt {
            Ok(Some((good, outcome))) => {
                let previous = self.good.replace(good);
                self.failure = None;
                match (outcome, previous) {
                    (Outcome::Incremental { pages, .. }, Some(previous)) => {
                        ready(self);
                        phases.mark("show");
                        let now = &self.good.as_ref().expect("just set").pages;
                        let written = output::update(&self.output, &previous.pages, now);
                        phases.mark("write");
                        match written {
                            Ok(written) => Outcome::Incremental { pages, written },
                            Err(error) => {
                                self.good = Some(previous);
                                failed = Some(Some(error));
                                Outcome::Failed
                            }
                        }
                    }
                    (outcome, _) => outcome,
                }
            }
            Ok(None) => {
                failed = Some(None);
                Outcome::Failed
            }
            Err(error) => {
                failed = Some(Some(error));
                Outcome::Failed
            }
        };
        if outcome == Outcome::Failed {
            self.unbuilt = Some(changes.clone());
        }
        let mut text = phases.run("diagnostics text", || {
            render_text(&checked.diagnostics, &checked.sources)
        });
        let (mut errors, warnings) = (
            checked.diagnostics.error_count(),
            checked.diagnostics.warning_count(),
        );
        if let Some(error) = failed {
            self.failure = Some(error_page(
                &checked.diagnostics,
                &checked.sources,
                error.as_ref(),
            ));
            if let Some(error) = error {
                text.push_str(&format!("错误：{error}\n"));
                errors += 1;
            }
        }
        phases.print();
        Report {
            outcome,
            text,
            errors,
            warnings,
        }
    }

    /// Re-indexes the pages of the last good build for search and writes the
    /// bundle files that changed. Returns how many files it wrote.
    pub fn index_search(&mut self) -> Result<usize, BuildError> {
        match self.search_job() {
            Some(job) => job.run(&mut self.search_parts, |_| ()),
            None => Ok(0),
        }
    }

    /// The search indexing of the last good build, to run elsewhere.
    pub fn search_job(&self) -> Option<SearchJob> {
        self.good.as_ref().map(|good| SearchJob {
            pages: good.pages.clone(),
            output: self.output.clone(),
            on_disk: self.search.clone(),
        })
    }

    /// Renders everything (the pipeline's render and link stages) and
    /// replaces the output folder, keeping the search bundle last indexed.
    fn full(&self, site: Site, sink: &mut Diagnostics) -> Attempt {
        let mut progress = Progress::quiet();
        let rendered = pipeline::render(&self.root, &site, &mut progress)?;
        let mut scans = render::links::Scans::new();
        if !pipeline::links(
            &rendered.pages,
            &mut scans,
            &rendered.statics,
            &site,
            sink,
            &mut progress,
        ) {
            return Ok(None);
        }
        {
            let search = self.search.lock().expect("search lock is never poisoned");
            pipeline::publish(
                &self.root,
                &[&rendered.statics, &rendered.pages, &search],
                &self.output,
                &mut progress,
            )?;
        }
        let files = rendered.pages.len() + rendered.statics.len();
        let good = GoodBuild {
            site,
            theme: Arc::new(rendered.theme),
            templates: Arc::new(rendered.templates),
            pages: Arc::new(rendered.pages),
            statics: Arc::new(rendered.statics),
            produced: rendered.produced,
            scans,
        };
        Ok(Some((good, Outcome::Full { files })))
    }

    /// Re-renders the pages that show the changed documents, keeps the rest.
    fn incremental(
        &self,
        site: Site,
        previous: &GoodBuild,
        slugs: &BTreeSet<String>,
        sink: &mut Diagnostics,
        phases: &mut Phases,
    ) -> Attempt {
        let mut affected = BTreeSet::new();
        for slug in slugs {
            affected.extend(deps::pages_showing_document(&previous.site, slug));
            affected.extend(deps::pages_showing_document(&site, slug));
        }
        // Benchmark knob (benches/serve.rs): re-render every page, to weigh
        // what the dependency rules save.
        if std::env::var_os("SKILLPRESS_SERVE_RENDER_ALL").is_some() {
            affected.extend(previous.produced.keys().cloned());
            affected.extend(
                render::all_pages(&site)
                    .iter()
                    .map(|p| deps::page_key(p, &site)),
            );
        }
        let now: Vec<(String, render::Page)> = render::all_pages(&site)
            .into_iter()
            .map(|p| (deps::page_key(&p, &site), p))
            .collect();
        // Pages that came or went (a metric's per-region view, when its
        // list grew past one page or shrank to one) are rendered or removed
        // whatever the rules name.
        let keys_now: BTreeSet<&String> = now.iter().map(|(key, _)| key).collect();
        affected.extend(
            previous
                .produced
                .keys()
                .filter(|key| !keys_now.contains(key))
                .cloned(),
        );
        affected.extend(
            now.iter()
                .filter(|(key, _)| !previous.produced.contains_key(key))
                .map(|(key, _)| key.clone()),
        );
        phases.mark("affected");
        let selected: Vec<_> = now
            .into_iter()
            .filter(|(key, _)| affected.contains(key))
            .map(|(_, page)| page)
            .collect();
        phases.mark("select");
        let rendered =
            render::render_pages(&site, &previous.templates, &previous.theme, &selected)?;
        phases.mark("render");

        let mut pages = (*previous.pages).clone();
        let mut produced = previous.produced.clone();
        let mut scans = previous.scans.clone();
        // Files of the affected pages go; files another page still produces stay.
        let kept: BTreeSet<&String> = previous
            .produced
            .iter()
            .filter(|(k, _)| !affected.contains(*k))
            .flat_map(|(_, files)| files)
            .collect();
        for key in &affected {
            for path in previous
                .produced
                .get(key)
                .into_iter()
                .flatten()
                .filter(|p| !kept.contains(p))
            {
                pages.remove(path);
            }
            produced.remove(key);
        }
        // Files that came out as they were keep their scan and need no new
        // link check; the changed documents' pages are checked in any case
        // (their Markdown may have changed where the page did not).
        let mut rerendered: BTreeSet<String> = slugs
            .iter()
            .map(|slug| format!("documents/{slug}/index.html"))
            .collect();
        for (_, files) in &rendered {
            for (path, bytes) in files {
                if previous.pages.get(path) != Some(bytes.as_slice()) {
                    scans.remove(path);
                    rerendered.insert(path.clone());
                }
            }
        }
        add_rendered(&site, rendered, &mut pages, &mut produced);
        phases.mark("merge");
        let links_ok = check_links(previous, &pages, &mut scans, &rerendered, &site, sink);
        if !links_ok {
            return Ok(None);
        }
        phases.mark("links");
        let good = GoodBuild {
            site,
            theme: previous.theme.clone(),
            templates: previous.templates.clone(),
            pages: Arc::new(pages),
            statics: previous.statics.clone(),
            produced,
            scans,
        };
        Ok(Some((
            good,
            // The files are written by `rebuild_with`, after `ready`.
            Outcome::Incremental {
                pages: selected.len(),
                written: 0,
            },
        )))
    }
}

/// Wall time of a rebuild's phases, printed to stderr when
/// `SKILLPRESS_SERVE_TIMES` is set (for benches/serve.rs and profiling).
struct Phases {
    on: bool,
    last: std::time::Instant,
    done: Vec<(&'static str, std::time::Duration)>,
}

impl Phases {
    fn from_env() -> Self {
        Phases {
            on: std::env::var_os("SKILLPRESS_SERVE_TIMES").is_some(),
            last: std::time::Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the phase running since the last mark.
    fn mark(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }

    fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        self.last = std::time::Instant::now();
        let value = f();
        self.mark(name);
        value
    }

    fn print(&self) {
        if self.on {
            let parts: Vec<String> = self
                .done
                .iter()
                .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("重建分段（毫秒）：{}", parts.join(" · "));
        }
    }
}

/// The link stage of an incremental rebuild. When the output has the same
/// paths as the last good build and every re-rendered page the same ids,
/// the links of the other pages resolve as they did (they passed), so only
/// the re-rendered pages' links are checked. Anything else, or any broken
/// link, runs the full check, so the messages are those of `build`.
fn check_links(
    previous: &GoodBuild,
    pages: &FileSet,
    scans: &mut render::links::Scans,
    rerendered: &BTreeSet<String>,
    site: &Site,
    sink: &mut Diagnostics,
) -> bool {
    render::links::scan_missing(pages, scans);
    let same_paths =
        pages.len() == previous.pages.len() && pages.paths().eq(previous.pages.paths());
    let same_ids =
        rerendered
            .iter()
            .all(|path| match (previous.scans.get(path), scans.get(path)) {
                (Some(before), Some(now)) => before.same_ids(now),
                (before, now) => before.is_none() && now.is_none(),
            });
    if same_paths && same_ids {
        let mut found = Diagnostics::new();
        render::links::check_scanned_only(
            scans,
            &|path| pages.contains(path),
            &previous.statics,
            site,
            &mut found,
            &|path| rerendered.contains(path),
        );
        if found.is_empty() {
            return true;
        }
    }
    pipeline::links(
        pages,
        scans,
        &previous.statics,
        site,
        sink,
        &mut Progress::quiet(),
    )
}

/// Adds rendered pages' files to the output and records which page made which file.
#[allow(clippy::type_complexity)]
fn add_rendered(
    site: &Site,
    rendered: Vec<(render::Page, Vec<(String, Vec<u8>)>)>,
    pages: &mut FileSet,
    produced: &mut BTreeMap<String, Vec<String>>,
) {
    for (page, files) in rendered {
        pipeline::add_page(site, &page, files, pages, produced);
    }
}

/// `Ok(Some)` built, `Ok(None)` content errors in the sink, `Err` a build
/// failure; the previous good build is untouched in the last two cases.
type Attempt = Result<Option<(GoodBuild, Outcome)>, BuildError>;

fn render_text(diagnostics: &Diagnostics, sources: &SourceMap) -> String {
    let mut text = String::new();
    for d in diagnostics.sorted() {
        text.push_str(&diag::render_text(d, sources));
        text.push('\n');
    }
    text
}

/// A self-contained page listing the problems, in the words `check` uses.
fn error_page(
    diagnostics: &Diagnostics,
    sources: &SourceMap,
    failure: Option<&BuildError>,
) -> String {
    let errors = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .collect::<Vec<_>>();
    let mut body = diag::render_html(&errors, sources);
    if let Some(failure) = failure {
        body.push_str(&format!(
            "<pre class=\"diag diag-error\">{}</pre>\n",
            diag::escape_html(&failure.to_string())
        ));
    }
    let count = errors.len() + usize::from(failure.is_some());
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>内容有 {count} 个错误 - skillpress 预览</title>
<style>
body {{ font: 1rem/1.7 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; color: #1a1a1a; background: #fff; }}
h1 {{ font-size: 1.5rem; color: #a4000f; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #fff4f4; border-left: 4px solid #a4000f; padding: .75rem 1rem; font: .95rem/1.6 ui-monospace, "Noto Sans Mono CJK SC", monospace; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #161616; color: #eee; }} pre {{ background: #2a1414; }} h1 {{ color: #ff8a8a; }} a {{ color: #9cf; }} }}
</style>
</head>
<body>
<main>
<h1>内容有 {count} 个错误，预览暂停更新</h1>
<p>请按下面的提示修改文件并保存，本页会自动刷新。</p>
{body}
<p>上次成功生成的网站仍在输出目录中，其他读者看到的也是它。<a href="?last-good">查看本页上次成功生成的版本</a></p>
</main>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_a_failed_rebuild_left_join_the_next() {
        let docs = |s: &[&str]| Changes::Documents(s.iter().map(|s| s.to_string()).collect());
        assert_eq!(docs(&["a"]).and(&docs(&["b"])), docs(&["a", "b"]));
        assert_eq!(docs(&["a"]).and(&Changes::Everything), Changes::Everything);
        assert_eq!(Changes::Everything.and(&docs(&["b"])), Changes::Everything);
    }

    #[test]
    fn only_documents_allow_an_incremental_rebuild() {
        let root = Path::new("/site");
        let doc = root.join("content/documents/2024/nanyang-73192.md");
        assert_eq!(
            Changes::of_paths(root, std::slice::from_ref(&doc)),
            Changes::Documents(["nanyang-73192".to_owned()].into())
        );
        assert_eq!(
            Changes::of_paths(root, &[doc, root.join("content/site.yaml")]),
            Changes::Everything
        );
        assert_eq!(
            Changes::of_paths(root, &[root.join("content/regions/nanyang.yaml")]),
            Changes::Everything
        );
        assert_eq!(
            Changes::of_paths(root, &[root.join("themes/default/templates/base.html")]),
            Changes::Everything
        );
    }
}
