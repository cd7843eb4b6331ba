//! skillpress: editors' YAML and Markdown about skills-training work → a static
//! public-information site.
//!
//! The stages, each a module, in the order data travels:
//! `content` (read and check each file) → `model` (resolve references, verify
//! citations) → `render` (pages, charts, data, feeds; into an in-memory
//! [`render::FileSet`] for `check` and `serve`, streamed into the staging
//! folder by `build`) → `search` → `output` (publish atomically). `diag` is
//! the floor every stage reports into; `cli` and `serve` sit on top.

#![forbid(unsafe_code)]

pub mod cli;
pub mod content;
pub mod diag;
pub mod import;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
#[cfg(test)]
mod test_fixtures;

use std::path::{Path, PathBuf};

use diag::{Diagnostics, SourceMap};
use model::Site;

/// The result of reading and checking a site: the model when it resolved, and
/// every problem found on the way.
pub struct Checked {
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
    pub site: Option<Site>,
    /// The pages `check` rendered in memory, when the content had no errors.
    pub rendered: Option<render::FileSet>,
    /// Where site.yaml's `base_url` names a placeholder (example) domain:
    /// `build` warns unless `--base-url` replaces it.
    pub placeholder_base_url: Option<diag::Spanned<String>>,
}

/// Reads `root/content` and checks every file and every cross-reference.
pub fn validate(root: &Path) -> Checked {
    validate_with(root, None)
}

fn validate_with(root: &Path, mut cache: Option<&mut ValidateCache>) -> Checked {
    let mut sources = SourceMap::new();
    let mut diagnostics = Diagnostics::new();
    let raw = content::load_cached(
        root,
        &mut sources,
        &mut diagnostics,
        cache.as_deref_mut().map(|c| &mut c.content),
    );
    let placeholder_base_url = raw
        .site
        .as_ref()
        .map(|s| s.base_url.clone())
        .filter(|url| content::raw::is_placeholder_url(&url.value));
    let site = model::resolve_cached(raw, &mut diagnostics, cache.map(|c| &mut c.quotes));
    Checked {
        sources,
        diagnostics,
        site,
        rendered: None,
        placeholder_base_url,
    }
}

/// What `serve` keeps between two validations of one site: each file's
/// parse and where each document's quotes were found. [`validate_cached`]
/// with it gives exactly what [`validate`] gives.
#[derive(Default)]
pub struct ValidateCache {
    pub content: content::LoadCache,
    pub quotes: model::QuoteCache,
}

/// [`validate`], parsing again only the files that changed since the
/// cache was last used.
pub fn validate_cached(root: &Path, cache: &mut ValidateCache) -> Checked {
    validate_with(root, Some(cache))
}

/// `skillpress check`: validates, then renders in memory to check every link,
/// so `check` fails exactly when `build` would.
pub fn check(root: &Path) -> Result<Checked, BuildError> {
    check_with(root, &mut pipeline::Progress::quiet())
}

/// [`check`], timing each stage into `progress`.
pub fn check_with(root: &Path, progress: &mut pipeline::Progress) -> Result<Checked, BuildError> {
    let mut checked = pipeline::validate(root, progress);
    checked.rendered = render_checked(root, &mut checked, progress)?.map(|r| r.pages);
    Ok(checked)
}

/// Renders a site that validated and checks its links; `None` when there are errors.
fn render_checked(
    root: &Path,
    checked: &mut Checked,
    progress: &mut pipeline::Progress,
) -> Result<Option<pipeline::Rendered>, BuildError> {
    let Some(site) = checked
        .site
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    else {
        return Ok(None);
    };
    let rendered = pipeline::render(root, site, progress)?;
    let ok = pipeline::links(
        &rendered.pages,
        &mut Default::default(),
        &rendered.statics,
        site,
        &mut checked.diagnostics,
        progress,
    );
    Ok(ok.then_some(rendered))
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of site.yaml (`--base-url`).
    pub base_url: Option<String>,
}

/// Failures of the build itself, as opposed to problems in the content.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("模板错误（{template}）：{message}")]
    Template { template: String, message: String },
    #[error("主题“{0}”不存在：找不到 themes/{0}/ 文件夹")]
    MissingTheme(String),
    #[error("--base-url “{0}”不是完整网址（应以 https:// 或 http:// 开头）")]
    BadBaseUrl(String),
    #[error("无法写入输出目录 {path}：{source}")]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法生成搜索索引：{0}")]
    Search(String),
    #[error("无法读取 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    UnsafeOutput(#[from] output::Refusal),
    #[error(
        "无法把新生成的站点放到 {output}（{source}），也无法把原来的输出目录放回原处（{restore}）：原来的输出目录完好，现在在 {aside}。请把它改回 {output} 后重新生成"
    )]
    Stranded {
        output: PathBuf,
        aside: PathBuf,
        source: std::io::Error,
        restore: std::io::Error,
    },
    #[error("{0} 是指向站点根目录之外的符号链接，skillpress 不读取站点以外的文件")]
    OutsideRoot(PathBuf),
    #[error(
        "输出路径“{0}”不是站点内的普通路径（含 ..、空段或反斜杠），未写入；请检查主题模板和 static/ 中的文件名"
    )]
    UnsafeOutputPath(String),
}

/// Checks, renders and publishes. Returns the checked content either way: when it
/// has errors, nothing is written and the previous output is left as it was.
/// After a build that got as far as rendering, `site` is `None` (the model is
/// freed before the search index is made).
pub fn build(options: &BuildOptions) -> Result<(Checked, Option<pipeline::Published>), BuildError> {
    build_with(options, &mut pipeline::Progress::quiet())
}

/// [`build`], timing each stage into `progress`.
pub fn build_with(
    options: &BuildOptions,
    progress: &mut pipeline::Progress,
) -> Result<(Checked, Option<pipeline::Published>), BuildError> {
    // Before any work: an output where sources live fails fast. What the
    // folder holds is checked when publishing, so content errors come first.
    output::check_location(&options.root, &options.output)?;
    let mut checked = pipeline::validate(&options.root, progress);
    if let (None, Some(url)) = (&options.base_url, &checked.placeholder_base_url) {
        checked.diagnostics.push(
            diag::Diagnostic::warning(
                diag::Code::PlaceholderBaseUrl,
                url.span,
                format!(
                    "base_url “{}”是占位地址，生成的网址、站点地图和订阅都会指向它",
                    url.value
                ),
            )
            .label("占位域名")
            .help("把 base_url 改为站点发布后的实际地址，或构建时加 --base-url https://实际域名/"),
        );
    }
    let Some(site) = checked.site.as_mut() else {
        return Ok((checked, None));
    };
    if let Some(url) = &options.base_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(BuildError::BadBaseUrl(url.clone()));
        }
        site.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    if checked.diagnostics.has_errors() {
        return Ok((checked, None));
    }
    // Handed over, so it is freed before the search index is made: after a
    // build, `checked.site` is `None`.
    let site = checked.site.take().expect("present above");
    let published = pipeline::render_and_publish(
        &options.root,
        site,
        &options.output,
        &mut checked.diagnostics,
        progress,
    )?;
    Ok((checked, published))
}
