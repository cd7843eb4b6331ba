//! Stage 3: the resolved [`Site`] → every output file, in memory.
//!
//! Pages render in parallel (rayon; `Tera` is `Sync`), then are collected into a
//! sorted map, so the output is the same bytes whatever the thread timing.
//! Nothing here touches the disk: `output/` writes, `serve` keeps it in memory.

pub mod charts;
pub mod context;
pub mod data;
pub mod deps;
pub mod links;
pub mod markup;
mod pages;
pub mod theme;
pub mod urls;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::BuildError;
use crate::model::Site;

pub use pages::{Page, all_pages};

/// Output path (`regions/nanyang/index.html`) → bytes, sorted. The bytes are
/// shared, so `serve` copies a whole build's set in the time of its paths
/// and then replaces the few files a save changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
}

impl FileSet {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into(), std::sync::Arc::new(bytes.into()));
    }

    /// Adds a file whose bytes another set holds too, without copying them.
    pub fn insert_shared(&mut self, path: impl Into<String>, bytes: std::sync::Arc<Vec<u8>>) {
        self.files.insert(path.into(), bytes);
    }

    /// Each file with its bytes as shared ([`FileSet::insert_shared`]).
    pub fn iter_shared(&self) -> impl Iterator<Item = (&String, &std::sync::Arc<Vec<u8>>)> {
        self.files.iter()
    }

    /// Adds every file of `other`, replacing files of the same path.
    pub fn extend(&mut self, other: FileSet) {
        self.files.extend(other.files);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|bytes| bytes.as_slice())
    }

    /// Removes a file; whether it was there.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(path).is_some()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.files.iter().map(|(path, bytes)| (path, &**bytes))
    }

    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// Reports output paths that cannot all be written: a path that is not plain
/// (empty segment, `.`, `..`, `\`), or a file that is also a folder of another
/// (`topics/index.html` and `topics/index.html/index.html`; a file `regions` in
/// `static/`). `build` would fail on them; `check` says so first.
pub fn check_paths(layers: &[&FileSet], sink: &mut crate::diag::Diagnostics) {
    let paths: std::collections::BTreeSet<&str> = layers
        .iter()
        .flat_map(|layer| layer.paths())
        .map(String::as_str)
        .collect();
    check_path_set(&paths, sink);
}

/// A path made only of ordinary names: no empty segment, `.`, `..`, `\\` or
/// NUL, so joined to the output folder it stays inside it.
pub fn is_plain_path(path: &str) -> bool {
    path.split('/')
        .all(|segment| !matches!(segment, "" | "." | "..") && !segment.contains(['\\', '\0']))
}

/// [`check_paths`] on the set of every output path.
pub fn check_path_set(
    paths: &std::collections::BTreeSet<&str>,
    sink: &mut crate::diag::Diagnostics,
) {
    use crate::diag::{Code, Diagnostic};
    for path in paths {
        if !is_plain_path(path) {
            sink.push(
                Diagnostic::without_file(
                    Code::PathConflict,
                    format!("输出路径“{path}”不是站点内的普通路径"),
                )
                .help("检查 static/ 和主题中的文件名"),
            );
            continue;
        }
        let mut folder = String::new();
        for segment in path
            .split('/')
            .collect::<Vec<_>>()
            .iter()
            .rev()
            .skip(1)
            .rev()
        {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(segment);
            if paths.contains(folder.as_str()) {
                sink.push(
                    Diagnostic::without_file(
                        Code::PathConflict,
                        format!("输出文件“{folder}”与“{path}”冲突：同一路径不能既是文件又是文件夹"),
                    )
                    .help("给 static/ 中的这个文件改名，或修改生成这个网址的内容"),
                );
            }
        }
    }
}

/// Renders every page, chart, data file and feed of the site.
pub fn render(site: &Site, theme: &theme::Theme) -> Result<FileSet, BuildError> {
    let tera = load_templates(theme)?;
    let mut files = FileSet::default();
    for (_, outputs) in render_pages(site, &tera, theme, &all_pages(site))? {
        for (path, bytes) in outputs {
            files.insert(path, bytes);
        }
    }
    Ok(files)
}

/// Renders the given pages in parallel; each page with the files it produced
/// (its HTML and its charts' CSV), in the order given.
#[allow(clippy::type_complexity)]
pub fn render_pages(
    site: &Site,
    tera: &tera::Tera,
    theme: &theme::Theme,
    pages: &[Page],
) -> Result<Vec<(Page, Vec<(String, Vec<u8>)>)>, BuildError> {
    render_each(site, tera, theme, pages, |page, files| {
        Ok((page.clone(), files))
    })
}

/// A rendered file's bytes as text: the templates' pages are UTF-8, checked
/// by `simdutf8` (several times faster than the standard library on Chinese
/// text); bytes that are not UTF-8 read as `String::from_utf8_lossy` reads
/// them. Every reader of a page's HTML (link check, search) goes through it.
pub fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Renders the given pages in parallel and hands each page's files to `each`
/// as soon as they are made, so a caller that writes them out and keeps only
/// what it needs holds a page per core, not the whole site. The results come
/// back in the order given.
pub fn render_each<T: Send>(
    site: &Site,
    tera: &tera::Tera,
    theme: &theme::Theme,
    pages: &[Page],
    each: impl Fn(&Page, Vec<(String, Vec<u8>)>) -> Result<T, BuildError> + Sync,
) -> Result<Vec<T>, BuildError> {
    let renderer = pages::Renderer::new(site, tera, theme);
    pages
        .par_iter()
        // A page at a time: pages differ in cost by hundreds of times (a
        // county's against the country's or the open data), and a core that
        // runs out of work can then take the next page from another, instead
        // of waiting at the end for a long run of pages it cannot split.
        .with_max_len(1)
        .map(|page| each(page, renderer.render(page)?))
        .collect()
}

/// Parses the theme's templates once; `serve` keeps the result between rebuilds.
pub fn load_templates(theme: &theme::Theme) -> Result<tera::Tera, BuildError> {
    let mut tera = tera::Tera::new();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, source)| (name.as_str(), source.as_str())),
    )
    .map_err(|e| template_error("（加载模板）", &e))?;
    Ok(tera)
}

/// Tera's autoescaping, the same bytes written a run at a time: Tera's own
/// writes each byte through `dyn Write` (~2 % of a national build).
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut from = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..at])?;
        out.write_all(entity)?;
        from = at + 1;
    }
    out.write_all(&bytes[from..])
}

pub(crate) fn template_error(template: &str, error: &tera::Error) -> BuildError {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!("\n  原因：{cause}"));
        source = cause.source();
    }
    BuildError::Template {
        template: template.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's bytes read as the text they are, borrowed; bytes that are
    /// not UTF-8 read as `from_utf8_lossy` reads them.
    #[test]
    fn a_page_reads_as_its_text() {
        let page = "<p>技能河南：职业技能培训 1,024 人次 ✓</p>";
        assert!(
            matches!(text_of(page.as_bytes()), std::borrow::Cow::Borrowed(text) if text == page)
        );
        for bytes in [
            &b"\xff"[..],
            b"ok \xe6\x8a",
            b"\xe6\x8a\x80\xe8\x83\xbd\xc0\xaf end",
            b"\xed\xa0\x80",
        ] {
            assert_eq!(text_of(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
            assert!(text_of(bytes).contains('\u{FFFD}'));
        }
    }

    #[test]
    fn escaping_writes_what_teras_own_escaping_writes() {
        let escaped = |escape: tera::EscapeFn, text: &str| {
            let mut out = Vec::new();
            escape(text, &mut out).unwrap();
            out
        };
        let cases = [
            "",
            "技能河南",
            "<script>alert('x') & \"y\"</script>",
            "&&<<>>''\"\"",
            "a&b",
            "末尾<",
            "<开头",
            "&amp; stays escaped again",
        ];
        for text in cases {
            assert_eq!(
                escaped(escape_html, text),
                escaped(tera::escape_html, text),
                "{text}"
            );
        }
    }

    #[test]
    fn a_file_that_is_also_a_folder_is_reported() {
        let mut pages = FileSet::default();
        pages.insert("topics/index.html", "list");
        pages.insert("topics/x/index.html", "x");
        let mut sink = crate::diag::Diagnostics::new();
        check_paths(&[&pages], &mut sink);
        assert!(!sink.has_errors());
        pages.insert("topics/index.html/index.html", "topic index.html");
        let mut statics = FileSet::default();
        statics.insert("../escape", "x");
        check_paths(&[&statics, &pages], &mut sink);
        assert_eq!(sink.error_count(), 2);
    }
}
