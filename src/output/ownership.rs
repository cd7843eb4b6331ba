//! Which folders a build may replace, and cleaning up after killed builds.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The file at the top of every output skillpress publishes. Its first line
/// is fixed; the rest explains it to whoever opens the folder.
pub const MARKER: &str = ".skillpress-output";
const MARKER_FIRST_LINE: &str = "skillpress output";
pub const MARKER_TEXT: &str = "skillpress output\n\
    此文件夹由 skillpress 生成，每次生成站点时整体替换；请不要在这里存放其他文件。\n\
    This folder is written by skillpress and replaced whole by every build.\n";

/// Prefixes of the folders a publish creates beside the output.
pub(super) const STAGING_PREFIX: &str = ".skillpress-staging-";
pub(super) const OLD_PREFIX: &str = ".skillpress-old-";

/// Why an output folder is refused. Each message says what, why, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "输出目录 {path} 是文件系统的根目录 /：生成站点时会整体替换输出目录，这会删除整个系统的文件。请用 --output 指定一个单独的文件夹，例如 public"
    )]
    FilesystemRoot { path: PathBuf },
    #[error(
        "输出目录 {path} 是您的主目录（$HOME）或包含它：生成站点时会整体替换输出目录，这会删除您的全部文件。请用 --output 指定一个单独的文件夹，例如 public"
    )]
    Home { path: PathBuf },
    #[error(
        "输出目录 {path} 就是站点根目录：生成站点时会整体替换输出目录，这会删除 content/ 等全部源文件。请用 --output 指定一个单独的文件夹，例如 public"
    )]
    SiteRoot { path: PathBuf },
    #[error(
        "输出目录 {path} 包含站点根目录 {root}：生成站点时会整体替换输出目录，这会删除整个站点。请用 --output 指定一个单独的文件夹，例如 public"
    )]
    ContainsRoot { path: PathBuf, root: PathBuf },
    #[error(
        "输出目录 {path} 是 Git 仓库的数据文件夹 .git 或在其中：替换它会毁掉版本历史。请用 --output 指定一个单独的文件夹，例如 public"
    )]
    Git { path: PathBuf },
    #[error(
        "输出目录 {path} 在 {dir}/ 里面：生成站点时会整体替换输出目录，这会删除其中的源文件。请把输出目录放在 content/、static/ 和 themes/ 之外，例如 --output public"
    )]
    InsideSources { path: PathBuf, dir: &'static str },
    #[error(
        "输出目录 {path} 是一个符号链接：替换输出目录时只会替换链接本身，而不是它指向的文件夹。请直接用 --output 指定链接指向的文件夹"
    )]
    Symlink { path: PathBuf },
    #[error(
        "输出目录 {path} 已存在，但不是文件夹：skillpress 不会覆盖它。请删除或改名这个文件，或用 --output 指定别的文件夹"
    )]
    NotADirectory { path: PathBuf },
    #[error(
        "输出目录 {path} 里有 .git：生成站点时会整体替换输出目录，这会删除这个 Git 仓库。请把仓库放在别处（生成后再把输出目录的内容复制进去），或用 --output 指定别的文件夹"
    )]
    HoldsGit { path: PathBuf },
    #[error(
        "输出目录 {path} 不是空文件夹，也没有 skillpress 留下的标记文件 .skillpress-output（其中有 {example} 等）：skillpress 只替换它自己生成的文件夹，以免删掉别人的文件。如果这个文件夹可以删除，请先删除或改名它，再重新生成；否则请用 --output 指定别的文件夹"
    )]
    NotOurs { path: PathBuf, example: String },
    #[error(
        "无法确定输出目录 {path} 的位置：{source}。请检查这个路径，或用 --output 指定别的文件夹"
    )]
    Unresolvable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Both checks: where the output is, then what it holds. Returns the
/// canonical path of the output.
pub fn check_target(root: &Path, output: &Path) -> Result<PathBuf, Refusal> {
    let target = check_location(root, output)?;
    check_contents(output, &target)?;
    Ok(target)
}

/// Refuses outputs that hold or contain sources, whatever they contain now.
/// Returns the output's canonical path (it may not exist yet).
pub fn check_location(root: &Path, output: &Path) -> Result<PathBuf, Refusal> {
    let path = output.to_path_buf();
    let unresolvable = |source| Refusal::Unresolvable {
        path: path.clone(),
        source,
    };
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Refusal::Symlink { path });
    }
    let target = resolve(output).map_err(unresolvable)?;
    let root = root.canonicalize().map_err(unresolvable)?;
    if target.parent().is_none() {
        return Err(Refusal::FilesystemRoot { path });
    }
    if let Some(home) = std::env::var_os("HOME").and_then(|h| Path::new(&h).canonicalize().ok()) {
        if home.starts_with(&target) {
            return Err(Refusal::Home { path });
        }
    }
    if target == root {
        return Err(Refusal::SiteRoot { path });
    }
    if root.starts_with(&target) {
        return Err(Refusal::ContainsRoot { path, root });
    }
    if target.components().any(|c| c.as_os_str() == ".git") {
        return Err(Refusal::Git { path });
    }
    for dir in ["content", "static", "themes"] {
        let sources = resolve(&root.join(dir)).map_err(unresolvable)?;
        if target.starts_with(&sources) {
            return Err(Refusal::InsideSources { path, dir });
        }
    }
    Ok(target)
}

/// Refuses an existing output that skillpress cannot tell it wrote. `output`
/// is the path as given (for messages), `target` its canonical form.
pub fn check_contents(output: &Path, target: &Path) -> Result<(), Refusal> {
    let path = output.to_path_buf();
    let meta = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Refusal::Unresolvable { path, source }),
        Ok(meta) => meta,
    };
    if meta.file_type().is_symlink() {
        return Err(Refusal::Symlink { path });
    }
    if !meta.is_dir() {
        return Err(Refusal::NotADirectory { path });
    }
    let mut names: Vec<String> = std::fs::read_dir(target)
        .map_err(|source| Refusal::Unresolvable {
            path: path.clone(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.iter().any(|n| n == ".git") {
        return Err(Refusal::HoldsGit { path });
    }
    if names.is_empty() || is_marked(target) || looks_like_earlier_build(target) {
        return Ok(());
    }
    names.sort();
    let example = names.swap_remove(0);
    Err(Refusal::NotOurs { path, example })
}

/// Whether `dir` carries the marker of a skillpress output.
pub(super) fn is_marked(dir: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir.join(MARKER)) else {
        return false;
    };
    meta.is_file() && starts_with(&dir.join(MARKER), MARKER_FIRST_LINE.as_bytes())
}

/// Outputs of skillpress from before the marker existed (the default `public/`
/// of every earlier user): accepted once, marked from then on. They always
/// hold these files, and `data/figures.csv` starts with a BOM and this header;
/// a folder made by hand does not.
pub(super) fn looks_like_earlier_build(dir: &Path) -> bool {
    const FILES: [&str; 5] = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "data/figures.json",
        "data/figures.csv",
    ];
    FILES
        .iter()
        .all(|f| std::fs::symlink_metadata(dir.join(f)).is_ok_and(|m| m.is_file()))
        && starts_with(
            &dir.join("data/figures.csv"),
            "\u{feff}metric,metric_name,".as_bytes(),
        )
}

fn starts_with(file: &Path, prefix: &[u8]) -> bool {
    let mut head = vec![0; prefix.len()];
    File::open(file).is_ok_and(|mut f| f.read_exact(&mut head).is_ok() && head == prefix)
}

/// The absolute, symlink-free form of `path`, which may not exist yet: the
/// part that exists is canonicalized, the rest appended (a folder that does
/// not exist cannot be a link, so `..` after it just drops it).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::env::current_dir()?.join(path);
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            // `resolved` has no links left, so its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                match resolved.canonicalize() {
                    Ok(canonical) => resolved = canonical,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if std::fs::symlink_metadata(&resolved).is_ok() {
                            // A link to nowhere: where it leads is unknown.
                            return Err(e);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(resolved)
}

/// An exclusive lock on `dir`, held while the returned file lives; `None`
/// where directories cannot be locked (then stale folders are left alone).
pub(super) fn lock_dir(dir: &Path) -> Option<File> {
    let file = File::open(dir).ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Removes what killed builds left beside the output. Call only while holding
/// [`lock_dir`] on `parent`: then no publish is running there, so every
/// staging folder is stale. An old output set aside is removed only when the
/// output it was replaced by exists (otherwise it is the only copy).
pub(super) fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        // `file_type` does not follow links: a link is never ours.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if name.starts_with(STAGING_PREFIX) {
            let _ = std::fs::remove_dir_all(&path);
        } else if name.starts_with(OLD_PREFIX) {
            let superseded = std::fs::read_dir(&path).is_ok_and(|inside| {
                inside
                    .filter_map(Result::ok)
                    .all(|e| is_marked(&parent.join(e.file_name())))
            });
            if superseded {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/regions", "static", "themes/x", ".git/objects"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        dir
    }

    #[test]
    fn locations_that_hold_sources_are_refused() {
        let dir = site();
        let root = dir.path();
        let refused = |output: &Path| check_location(root, output).unwrap_err();
        assert!(matches!(refused(root), Refusal::SiteRoot { .. }));
        assert!(matches!(
            refused(&root.join("public/..")),
            Refusal::SiteRoot { .. }
        ));
        assert!(matches!(
            refused(&root.join("..")),
            Refusal::ContainsRoot { .. }
        ));
        assert!(matches!(
            refused(&root.join("content")),
            Refusal::InsideSources { dir: "content", .. }
        ));
        assert!(matches!(
            refused(&root.join("content/regions/new/deeper")),
            Refusal::InsideSources { dir: "content", .. }
        ));
        assert!(matches!(
            refused(&root.join("missing/../static/out")),
            Refusal::InsideSources { dir: "static", .. }
        ));
        assert!(matches!(
            refused(&root.join("themes")),
            Refusal::InsideSources { dir: "themes", .. }
        ));
        assert!(matches!(refused(&root.join(".git")), Refusal::Git { .. }));
        assert!(matches!(
            refused(&root.join(".git/objects")),
            Refusal::Git { .. }
        ));
        assert!(matches!(
            refused(Path::new("/")),
            Refusal::FilesystemRoot { .. }
        ));
        assert!(check_location(root, &root.join("public")).is_ok());
        assert!(check_location(root, &root.join("a/b/../public")).is_ok());
    }

    #[test]
    fn links_are_followed_before_comparing() {
        let dir = site();
        let root = dir.path();
        // A link inside the path leads into content/.
        std::os::unix::fs::symlink(root.join("content"), root.join("alias")).unwrap();
        assert!(matches!(
            check_location(root, &root.join("alias/out")).unwrap_err(),
            Refusal::InsideSources { dir: "content", .. }
        ));
        // The output itself a link: refused whatever it points at.
        std::fs::create_dir(root.join("real")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("public")).unwrap();
        assert!(matches!(
            check_location(root, &root.join("public")).unwrap_err(),
            Refusal::Symlink { .. }
        ));
    }

    #[test]
    fn contents_decide_for_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check_contents(&out, &out).is_ok(), "absent");
        std::fs::create_dir(&out).unwrap();
        assert!(check_contents(&out, &out).is_ok(), "empty");
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            check_contents(&out, &out).unwrap_err(),
            Refusal::NotOurs { example, .. } if example == "notes.txt"
        ));
        std::fs::write(out.join(MARKER), "something else").unwrap();
        assert!(check_contents(&out, &out).is_err(), "a marker must say so");
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_contents(&out, &out).is_ok(), "marked");
        std::fs::create_dir(out.join(".git")).unwrap();
        assert!(matches!(
            check_contents(&out, &out).unwrap_err(),
            Refusal::HoldsGit { .. }
        ));
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            check_contents(&file, &file).unwrap_err(),
            Refusal::NotADirectory { .. }
        ));
    }

    #[test]
    fn an_earlier_build_is_recognised_by_its_footprint() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir(out.join("data")).unwrap();
        for f in ["index.html", "404.html", "sitemap.xml", "data/figures.json"] {
            std::fs::write(out.join(f), "x").unwrap();
        }
        assert!(!looks_like_earlier_build(out), "no figures.csv");
        std::fs::write(out.join("data/figures.csv"), "metric,metric_name,unit\n").unwrap();
        assert!(!looks_like_earlier_build(out), "no BOM");
        std::fs::write(
            out.join("data/figures.csv"),
            "\u{feff}metric,metric_name,unit\n",
        )
        .unwrap();
        assert!(looks_like_earlier_build(out));
    }

    #[test]
    fn stale_folders_go_and_the_only_copy_stays() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path();
        let staging = parent.join(".skillpress-staging-abc123");
        std::fs::create_dir_all(staging.join("regions")).unwrap();
        std::fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        // An old output whose replacement never arrived: the only copy.
        let only_copy = parent.join(".skillpress-old-def456");
        std::fs::create_dir_all(only_copy.join("public")).unwrap();
        std::fs::write(only_copy.join("public/index.html"), "old").unwrap();
        // An old output that was replaced.
        let replaced = parent.join(".skillpress-old-ghi789");
        std::fs::create_dir_all(replaced.join("site")).unwrap();
        std::fs::create_dir(parent.join("site")).unwrap();
        std::fs::write(parent.join("site").join(MARKER), MARKER_TEXT).unwrap();
        // Not ours.
        std::fs::create_dir(parent.join("skillpress-staging-mine")).unwrap();
        let _lock = lock_dir(parent).expect("directories lock on this system");
        remove_stale(parent);
        assert!(!staging.exists());
        assert!(!replaced.exists());
        assert!(only_copy.join("public/index.html").is_file());
        assert!(parent.join("skillpress-staging-mine").is_dir());
    }
}
