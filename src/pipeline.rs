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

    /// Records a stage run that was timed elsewhere (beside another stage).
    fn record(&mut self, stage: Stage, took: Duration) {
        self.timings.push((stage, took));
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
        let mut all: BTreeMap<&str, usize> = BTreeMap::new();
        for layer in layers {
            all.extend(layer.iter().map(|(p, b)| (p.as_str(), b.len())));
        }
        self.pages = all.keys().filter(|p| p.ends_with(".html")).count();
        self.files = all.len();
        self.bytes = all.values().map(|&b| b as u64).sum();
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
pub fn links(
    pages: &FileSet,
    statics: &FileSet,
    site: &Site,
    sink: &mut Diagnostics,
    progress: &mut Progress,
) -> bool {
    progress.run(Stage::Links, || {
        render::check_paths(&[statics, pages], sink);
        render::links::check(pages, statics, site, sink);
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

/// Stages 4 and 5 of `build` side by side: the pages and static files are
/// written into the staging folder while the search index is made, then the
/// bundle is written and the folder swapped in. Writing is mostly the
/// kernel's work, so the index uses the cores meanwhile. The two timings
/// overlap; their sum is more than the wall time they took. Returns the bundle.
pub fn search_and_publish(
    root: &Path,
    statics: &FileSet,
    pages: &FileSet,
    output: &Path,
    progress: &mut Progress,
) -> Result<FileSet, BuildError> {
    let staging = crate::output::Staging::begin(root, output)?;
    let (bundle, (written, writing)) = progress.run(Stage::Search, || {
        rayon::join(
            || crate::search::index(pages),
            || {
                let started = Instant::now();
                (staging.write(&[statics, pages]), started.elapsed())
            },
        )
    });
    written?;
    let bundle = bundle?;
    progress.count(&[statics, pages, &bundle]);
    let started = Instant::now();
    staging.write(&[&bundle])?;
    staging.commit()?;
    progress.record(Stage::Publish, writing + started.elapsed());
    Ok(bundle)
}
