//! skillpress: editors' YAML and Markdown about skills-training work → a static
//! public-information site.
//!
//! The stages, each a module, in the order data travels:
//! `content` (read and check each file) → `model` (resolve references, verify
//! citations) → `render` (pages, charts, data, feeds into an in-memory
//! [`render::FileSet`]) → `output` (publish atomically). `diag` is the floor
//! every stage reports into; `cli` and `serve` sit on top.

pub mod cli;
pub mod content;
pub mod diag;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;

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
    let mut sources = SourceMap::new();
    let mut diagnostics = Diagnostics::new();
    let raw = content::load(root, &mut sources, &mut diagnostics);
    let placeholder_base_url = raw
        .site
        .as_ref()
        .map(|s| s.base_url.clone())
        .filter(|url| content::raw::is_placeholder_url(&url.value));
    let site = model::resolve(raw, &mut diagnostics);
    Checked {
        sources,
        diagnostics,
        site,
        rendered: None,
        placeholder_base_url,
    }
}

/// `skillpress check`: validates, then renders in memory to check every link,
/// so `check` fails exactly when `build` would.
pub fn check(root: &Path) -> Result<Checked, BuildError> {
    let mut checked = validate(root);
    checked.rendered = render_checked(root, &mut checked)?.map(|(files, _)| files);
    Ok(checked)
}

/// Renders a site that validated and checks its links; `None` when there are errors.
fn render_checked(
    root: &Path,
    checked: &mut Checked,
) -> Result<Option<(render::FileSet, render::theme::Theme)>, BuildError> {
    let Some(site) = checked
        .site
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    else {
        return Ok(None);
    };
    let theme = render::theme::Theme::load(root, site.theme.as_deref())?;
    let files = render::render(site, &theme)?;
    render::links::check(&files, site, &mut checked.diagnostics);
    Ok((!checked.diagnostics.has_errors()).then_some((files, theme)))
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
}

/// Checks, renders and publishes. Returns the checked content either way: when it
/// has errors, nothing is written and the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<(Checked, Option<render::FileSet>), BuildError> {
    let mut checked = validate(&options.root);
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
    let Some((mut files, theme)) = render_checked(&options.root, &mut checked)? else {
        return Ok((checked, None));
    };
    files.extend(search::index(&files)?);
    output::publish(&files, &options.root, &options.output, &theme)?;
    Ok((checked, Some(files)))
}
