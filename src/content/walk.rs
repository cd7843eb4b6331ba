//! Finds the files of `content/`, decides which collection each belongs to, and
//! reads them as UTF-8 (a BOM is dropped; CRLF is kept and handled downstream).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    Site,
    Metrics,
    Regions,
    Programs,
    Brands,
    Documents,
}

impl Collection {
    pub fn label(self) -> &'static str {
        match self {
            Collection::Site => "站点设置",
            Collection::Metrics => "指标目录",
            Collection::Regions => "regions/ 区域",
            Collection::Programs => "programs/ 项目",
            Collection::Brands => "brands/ 品牌",
            Collection::Documents => "documents/ 文件",
        }
    }
}

#[derive(Debug)]
pub struct ContentFile {
    pub id: FileId,
    pub collection: Collection,
    pub stem: String,
    pub extension: String,
    /// The file as it was just before it was read (`None` if that is unknown).
    pub stamp: Option<Stamp>,
}

/// What the file system says of a file: size, modification and change
/// times, inode. When all are the same at the next walk, the text read then
/// is the text now (`serve` uses that only for files no watch event named).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        })
    }
}

/// Text read at an earlier walk, by file name (`content/…`) and stamp, that
/// stands in for reading the file again.
pub type Earlier<'a> = &'a (dyn Fn(&str, &Stamp) -> Option<String> + Sync);

/// Every readable content file, in sorted path order.
pub fn walk(root: &Path, sources: &mut SourceMap, sink: &mut Diagnostics) -> Vec<ContentFile> {
    walk_reusing(root, sources, sink, None)
}

/// [`walk`], taking the text of a file whose stamp is unchanged from `earlier`.
pub fn walk_reusing(
    root: &Path,
    sources: &mut SourceMap,
    sink: &mut Diagnostics,
    earlier: Option<Earlier<'_>>,
) -> Vec<ContentFile> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        sink.push(
            Diagnostic::without_file(
                Code::NoContent,
                format!("在 {} 中找不到 content/ 文件夹", root.display()),
            )
            .help("在站点根目录运行，或用 --root 指定站点根目录（其中应有 content/site.yaml）；还没有站点时，运行 skillpress init 目录名 新建一个"),
        );
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !inside(&canonical_root, &content_dir) {
        link_outside(root, &content_dir, sources, sink);
        return Vec::new();
    }
    // The tree is walked in order first; the files are then read on every
    // core; last, in walk order again, each gets its id and its diagnostics,
    // so ids and messages are the same as a one-by-one walk's.
    let mut steps = Vec::new();
    let walker = WalkDir::new(&content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_default();
                steps.push(Step::Unwalkable(format!("无法读取 {path}：{err}")));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let name = display_path(root, &path);
        let mut is_file = entry.file_type().is_file();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {
                    if target.is_dir() {
                        // Folders reached through links are not walked: one place per file.
                        continue;
                    }
                    is_file = target.is_file();
                }
                _ => {
                    steps.push(Step::LinkOutside(path));
                    continue;
                }
            }
        }
        if !is_file {
            continue;
        }
        let relative = path
            .strip_prefix(&content_dir)
            .unwrap_or(&path)
            .to_path_buf();
        match classify(&relative) {
            Some((collection, stem, extension)) => steps.push(Step::Read {
                name,
                path,
                file: (collection, stem, extension),
            }),
            None => steps.push(Step::Stray { name, relative }),
        }
    }
    let mut read: Vec<Option<Read>> = {
        use rayon::prelude::*;
        steps
            .par_iter()
            .map(|step| match step {
                Step::Read { path, name, .. } => {
                    let stamp = earlier.and_then(|_| Stamp::of(path));
                    let kept = earlier.zip(stamp.as_ref()).and_then(|(e, s)| e(name, s));
                    Some((kept.map_or_else(|| read_utf8(path), Ok), stamp))
                }
                _ => None,
            })
            .collect()
    };
    let mut files = Vec::new();
    for (step, text) in steps.into_iter().zip(read.iter_mut()) {
        match step {
            Step::Unwalkable(message) => {
                sink.push(Diagnostic::without_file(Code::NotUtf8, message));
            }
            Step::LinkOutside(path) => link_outside(root, &path, sources, sink),
            Step::Stray { name, relative } => {
                let id = sources.add(name.clone(), "");
                sink.push(stray_file(id, &name, &relative));
            }
            Step::Read {
                name,
                file: (collection, stem, extension),
                ..
            } => match text.take().expect("read beside its step") {
                (Ok(text), stamp) => {
                    let id = sources.add(name, text);
                    files.push(ContentFile {
                        id,
                        collection,
                        stem,
                        extension,
                        stamp,
                    });
                }
                (Err(problem), _) => {
                    let id = sources.add(name.clone(), "");
                    sink.push(problem.into_diagnostic(id, &name));
                }
            },
        }
    }
    files
}

/// A file's text (or why there is none) and its stamp before it was read.
type Read = (Result<String, ReadProblem>, Option<Stamp>);

/// One entry of the walk, in order, before files are read.
enum Step {
    Unwalkable(String),
    LinkOutside(PathBuf),
    Stray {
        name: String,
        relative: PathBuf,
    },
    Read {
        name: String,
        path: PathBuf,
        file: (Collection, String, String),
    },
}

/// Whether `path`, with every link on the way followed, lies inside the
/// (canonical) site root. A dangling link does not.
pub fn inside(canonical_root: &Path, path: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(canonical_root))
}

fn link_outside(root: &Path, path: &Path, sources: &mut SourceMap, sink: &mut Diagnostics) {
    let name = display_path(root, path);
    let id = sources.add(name.clone(), "");
    sink.push(
        Diagnostic::error(
            Code::SymlinkOutside,
            Span::file_start(id),
            format!("{name} 是指向站点根目录之外的符号链接"),
        )
        .help("skillpress 不读取站点以外的文件：把文件复制进来，或删除这个链接"),
    );
}

/// Reports every symbolic link under `dir` (`static/`, `themes/NAME/`), and
/// `dir` itself, that leads outside the site root: such files are never read
/// or published. A missing `dir` is fine.
pub fn check_tree(root: &Path, dir: &Path, sources: &mut SourceMap, sink: &mut Diagnostics) {
    if dir.symlink_metadata().is_err() {
        return;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !inside(&canonical_root, dir) {
        link_outside(root, dir, sources, sink);
        return;
    }
    let walker = WalkDir::new(dir).follow_links(false).sort_by_file_name();
    for entry in walker.into_iter().filter_map(Result::ok) {
        if entry.depth() > 0 && entry.path_is_symlink() && !inside(&canonical_root, entry.path()) {
            link_outside(root, entry.path(), sources, sink);
        }
    }
}

/// Files and folders whose name starts with `.` or `_` are ignored (drafts, editor backups).
fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Which collection a path (relative to `content/`) belongs to, with its stem and extension.
fn classify(relative: &Path) -> Option<(Collection, String, String)> {
    let mut components = relative.components();
    let first = components.next()?.as_os_str().to_str()?;
    let rest: PathBuf = components.collect();
    let stem = relative.file_stem()?.to_str()?.to_owned();
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_owned();
    let yaml = extension == "yaml" || extension == "yml";
    let collection = if rest.as_os_str().is_empty() {
        match (stem.as_str(), yaml) {
            ("site", true) => Collection::Site,
            ("metrics", true) => Collection::Metrics,
            _ => return None,
        }
    } else {
        match (first, yaml, extension.as_str()) {
            ("regions", true, _) => Collection::Regions,
            ("programs", _, "md") => Collection::Programs,
            ("brands", _, "md") => Collection::Brands,
            ("documents", _, "md") => Collection::Documents,
            _ => return None,
        }
    };
    Some((collection, stem, extension))
}

fn stray_file(id: FileId, name: &str, relative: &Path) -> Diagnostic {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let help = match first.as_str() {
        "regions" => "regions/ 中只放 .yaml 或 .yml 文件".to_owned(),
        "programs" | "brands" | "documents" => format!("{first}/ 中只放 .md 文件"),
        _ if relative.components().count() == 1 => {
            "content/ 根目录只放 site.yaml 和 metrics.yaml；图片、PDF 等放到 static/ 文件夹"
                .to_owned()
        }
        _ => format!(
            "content/ 中没有“{first}”栏目：可用的栏目是 regions/、programs/、brands/、documents/；附件放到 static/"
        ),
    };
    Diagnostic::error(
        Code::StrayFile,
        Span::file_start(id),
        format!("不认识的文件 {name}"),
    )
    .help(format!("{help}；不想发布的文件可在文件名前加 _"))
}

#[derive(Debug)]
enum ReadProblem {
    Io(std::io::Error),
    NotUtf8 {
        line: usize,
        column: usize,
        encoding_hint: &'static str,
    },
}

impl ReadProblem {
    fn into_diagnostic(self, id: FileId, name: &str) -> Diagnostic {
        match self {
            ReadProblem::Io(err) => Diagnostic::error(Code::NotUtf8, Span::file_start(id), format!("无法读取 {name}：{err}")),
            ReadProblem::NotUtf8 { line, column, encoding_hint } => Diagnostic::error(
                Code::NotUtf8,
                Span::file_start(id),
                format!("{name} 不是 UTF-8 编码（第 {line} 行第 {column} 个字节处）{encoding_hint}"),
            )
            .help("用编辑器“另存为 UTF-8”（记事本：编码选 UTF-8；VS Code：右下角编码 → 通过编码保存 → UTF-8）"),
        }
    }
}

fn read_utf8(path: &Path) -> Result<String, ReadProblem> {
    let mut bytes = fs_err::read(path).map_err(ReadProblem::Io)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // The bytes become the text in place: a national site's files are tens
    // of megabytes, and a copy is as much memory again to fault in.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(not_utf8) => {
            let (bytes, err) = (not_utf8.as_bytes(), not_utf8.utf8_error());
            let valid = &bytes[..err.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                "，看起来是 UTF-16"
            } else {
                "，可能是 GBK/GB2312"
            };
            Err(ReadProblem::NotUtf8 {
                line,
                column: valid.len() - line_start + 1,
                encoding_hint: hint,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's text is its bytes without a leading BOM; bytes that are not
    /// UTF-8 are reported at their line and column, with a guess at the encoding.
    #[test]
    fn a_file_is_read_as_utf8_without_its_bom() {
        let dir = tempfile::tempdir().unwrap();
        let read = |bytes: &[u8]| {
            let path = dir.path().join("f.yaml");
            std::fs::write(&path, bytes).unwrap();
            read_utf8(&path)
        };
        assert_eq!(read("name: 南阳市\n".as_bytes()).unwrap(), "name: 南阳市\n");
        assert_eq!(
            read("\u{feff}name: 南阳市".as_bytes()).unwrap(),
            "name: 南阳市"
        );
        assert_eq!(read(b"").unwrap(), "");
        // 南阳 in GBK on the second line, after "name: ".
        match read(b"level: city\nname: \xC4\xCF\xD1\xF4\n") {
            Err(ReadProblem::NotUtf8 {
                line,
                column,
                encoding_hint,
            }) => {
                assert_eq!((line, column), (2, 7));
                assert!(encoding_hint.contains("GBK"), "{encoding_hint}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn classifies_paths() {
        let c = |p: &str| classify(Path::new(p)).map(|(c, s, _)| (c, s));
        assert_eq!(c("site.yaml"), Some((Collection::Site, "site".into())));
        assert_eq!(
            c("metrics.yml"),
            Some((Collection::Metrics, "metrics".into()))
        );
        assert_eq!(
            c("regions/nanyang.yaml"),
            Some((Collection::Regions, "nanyang".into()))
        );
        assert_eq!(
            c("documents/2024/a.md"),
            Some((Collection::Documents, "a".into()))
        );
        assert_eq!(c("documents/a.txt"), None);
        assert_eq!(c("notes.md"), None);
        assert_eq!(c("images/a.png"), None);
    }
}
