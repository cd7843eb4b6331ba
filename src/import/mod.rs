//! `skillpress import` and `skillpress extract`: from an official file (.docx,
//! .txt in UTF-8 or GBK, a saved .html page) to a document file with detected
//! metadata, the faithful body as Markdown, and proposed figures that an editor
//! confirms by uncommenting.
//!
//! Stages, one file each: `text`/`docx`/`html` read the file into [`Block`]s;
//! `body` drops page artefacts and writes the Markdown; `meta` detects the
//! front matter; `figures` proposes figures; `write` writes the file.

pub mod body;
pub mod cli;
pub mod docx;
pub mod figures;
pub mod html;
pub mod meta;
pub mod text;
pub mod write;

use std::path::{Path, PathBuf};

use crate::content::{RawMetric, RawRegion};
use crate::diag::{Diagnostics, SourceMap};

/// One block of the source, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line of a text file or a paragraph of a .docx / .html file.
    Para(String),
    /// Rows of cells.
    Table(Vec<Vec<String>>),
}

/// What a reader produced.
#[derive(Clone, Debug, Default)]
pub struct Source {
    pub blocks: Vec<Block>,
    /// Labelled metadata the file carries itself (a gov.cn page's table:
    /// 索引号, 发文机关, 成文日期, 发文字号, 发布日期 …), label → value.
    pub labelled: Vec<(String, String)>,
    /// How the file was read ("UTF-8", "gb18030", "docx", "html").
    pub read_as: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{0}：不支持这种文件。请提供 .docx、.txt 或 .html 文件（PDF 请先用 WPS 或 Word 另存为 .docx 或 .txt）"
    )]
    Unsupported(PathBuf),
    #[error("{path} 不是可读的 .docx 文件（{message}）。请用 Word 或 WPS 打开后另存为 .docx 再试")]
    Docx { path: PathBuf, message: String },
    #[error("{path} 无法解析为网页（{message}）")]
    Html { path: PathBuf, message: String },
    #[error("{0} 已存在，未覆盖。请用 --slug 换一个名称，或先删除、改名原文件")]
    Exists(PathBuf),
    #[error("--slug “{0}”不是有效的 slug：只能用小写字母、数字和连字符，例如 sanmenxia-188")]
    BadSlug(String),
    #[error("--kind “{0}”不是文件类型：应为 policy、work-plan、proposal-reply、notice 或 report")]
    BadKind(String),
    #[error("--region “{0}”不是已有的区域：content/regions/ 下没有 {0}.yaml")]
    UnknownRegion(String),
    #[error("找不到文件 {0}：请给出 content/documents/ 下的文件路径或 slug")]
    NoDocument(String),
    #[error("无法写入 {path}：{source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} 中没有找到正文文字")]
    Empty(PathBuf),
}

/// Reads any supported file into blocks, by its extension.
pub fn read(path: &Path) -> Result<Source, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "text" | "md" => {
            let (text, encoding) = text::decode(&bytes);
            Ok(Source {
                blocks: text::lines(&text).into_iter().map(Block::Para).collect(),
                labelled: Vec::new(),
                read_as: encoding.to_owned(),
            })
        }
        "docx" => docx::read(&bytes).map_err(|message| ImportError::Docx {
            path: path.to_path_buf(),
            message,
        }),
        "html" | "htm" | "shtml" => {
            let (text, _) = text::decode(&bytes);
            html::read(&text).map_err(|message| ImportError::Html {
                path: path.to_path_buf(),
                message,
            })
        }
        _ => Err(ImportError::Unsupported(path.to_path_buf())),
    }
}

/// The site's metrics and regions, which detection and extraction match against.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub metrics: Vec<RawMetric>,
    pub regions: Vec<RawRegion>,
}

impl Catalogue {
    /// Reads `root/content`; problems in other files do not stop an import.
    pub fn load(root: &Path) -> Catalogue {
        let mut sources = SourceMap::new();
        let mut sink = Diagnostics::new();
        let raw = crate::content::load(root, &mut sources, &mut sink);
        Catalogue {
            metrics: raw.metrics,
            regions: raw.regions,
        }
    }

    pub fn region(&self, slug: &str) -> Option<&RawRegion> {
        self.regions.iter().find(|r| r.slug.value == slug)
    }

    /// Whether `slug` is `ancestor` or lies below it.
    pub fn is_within(&self, slug: &str, ancestor: &str) -> bool {
        let mut current = Some(slug.to_owned());
        let mut steps = 0;
        while let Some(s) = current {
            if s == ancestor {
                return true;
            }
            steps += 1;
            if steps > 16 {
                return false;
            }
            current = self
                .region(&s)
                .and_then(|r| r.parent.as_ref().map(|p| p.value.clone()));
        }
        false
    }
}

/// Options of `skillpress import`.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    pub kind: Option<String>,
    pub region: Option<String>,
    pub slug: Option<String>,
}

/// Everything an import produces before it is written.
#[derive(Debug)]
pub struct Imported {
    pub meta: meta::Meta,
    pub body: String,
    pub dropped: Vec<String>,
    pub proposals: Vec<figures::Proposal>,
    pub slug: String,
    pub read_as: String,
}

/// Reads, detects and extracts, without writing anything.
pub fn convert(
    source: Source,
    catalogue: &Catalogue,
    options: &ImportOptions,
    file_stem: &str,
) -> Result<Imported, ImportError> {
    const KINDS: &[&str] = &["policy", "work-plan", "proposal-reply", "notice", "report"];
    if let Some(kind) = &options.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(ImportError::BadKind(kind.clone()));
    }
    if let Some(region) = &options.region
        && catalogue.region(region).is_none()
    {
        return Err(ImportError::UnknownRegion(region.clone()));
    }
    let (blocks, dropped) = body::clean(source.blocks);
    let layout = meta::detect(&blocks, &source.labelled, catalogue, options);
    let body = body::markdown(&blocks, &layout);
    let meta = layout.meta;
    let proposals = figures::extract(&body, &figures::Context::of(&meta, catalogue), catalogue);
    let slug = match &options.slug {
        Some(s) if crate::content::slug::is_valid(s) => s.clone(),
        Some(s) => return Err(ImportError::BadSlug(s.clone())),
        None => write::suggest_slug(&meta, file_stem),
    };
    Ok(Imported {
        meta,
        body,
        dropped,
        proposals,
        slug,
        read_as: source.read_as,
    })
}

/// `skillpress import FILE`: writes `content/documents/<slug>.md` (never
/// overwriting) and returns it with what was found, for the editor to confirm.
pub fn import(
    root: &Path,
    file: &Path,
    options: &ImportOptions,
) -> Result<(PathBuf, Imported), ImportError> {
    let source = read(file)?;
    let catalogue = Catalogue::load(root);
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let imported = convert(source, &catalogue, options, stem)?;
    if imported.body.trim().is_empty() {
        return Err(ImportError::Empty(file.to_path_buf()));
    }
    let path = root
        .join("content")
        .join("documents")
        .join(format!("{}.md", imported.slug));
    let text = write::render(&imported, file);
    write::create_new(&path, &text)?;
    Ok((path, imported))
}

/// `skillpress extract DOC`: proposes figures for an existing document file
/// (a path, or a slug under content/documents/) and returns them as the
/// commented YAML block `import` writes.
pub fn extract(
    root: &Path,
    doc: &str,
) -> Result<(PathBuf, Vec<figures::Proposal>, String), ImportError> {
    let candidates = [
        PathBuf::from(doc),
        root.join(doc),
        root.join("content/documents").join(format!("{doc}.md")),
    ];
    let path = candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| ImportError::NoDocument(doc.to_owned()))?;
    let bytes = std::fs::read(&path).map_err(|source| ImportError::Read {
        path: path.clone(),
        source,
    })?;
    let (text, _) = text::decode(&bytes);
    let (front, body) = meta::split_front_matter(&text);
    let catalogue = Catalogue::load(root);
    let meta = meta::from_front_matter(front);
    let existing = meta::existing_quotes(front);
    let proposals: Vec<figures::Proposal> =
        figures::extract(body, &figures::Context::of(&meta, &catalogue), &catalogue)
            .into_iter()
            .filter(|p| {
                !existing
                    .iter()
                    .any(|q| p.quote.contains(q.as_str()) || q.contains(p.quote.as_str()))
            })
            .collect();
    let block = write::proposals_block(&proposals);
    Ok((path, proposals, block))
}
