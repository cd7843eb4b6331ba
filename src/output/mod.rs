//! Stage 4: write a rendered [`FileSet`] and the site's `static/` folder to the
//! output directory, atomically.
//!
//! Everything is written into a staging folder *beside* the output (same file
//! system, so the final rename is atomic), then the old output is swapped out.
//! A failure at any point leaves the previous `public/` exactly as it was.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::BuildError;
use crate::render::FileSet;
use crate::render::theme::Theme;

pub fn publish(
    files: &FileSet,
    root: &Path,
    output: &Path,
    theme: &Theme,
) -> Result<(), BuildError> {
    publish_all(&[&statics(root, theme)?, files], output)
}

/// The files that are copied, not rendered: the theme's `static/`, then the
/// site's own `static/` (which may override a theme file of the same name).
pub fn statics(root: &Path, theme: &Theme) -> Result<FileSet, BuildError> {
    let mut files = FileSet::default();
    for (path, bytes) in theme.static_files() {
        files.insert(path, bytes);
    }
    copy_static(root, &mut files)?;
    Ok(files)
}

/// Writes the layers (later ones win on the same path) into a fresh staging
/// folder, then swaps it in place of `output`.
pub fn publish_all(layers: &[&FileSet], output: &Path) -> Result<(), BuildError> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs_err::create_dir_all(parent).map_err(|source| io(parent, source))?;
    let staging = tempfile::Builder::new()
        .prefix(".skillpress-staging-")
        .tempdir_in(parent)
        .map_err(|source| io(parent, source))?;
    write_all(staging.path(), layers)?;
    swap(staging, output)
}

/// Brings an output folder written from `old` up to date with `new` by writing
/// only the files that differ and deleting the ones that are gone. Used by
/// `serve` between rebuilds, where a full swap would rewrite every file.
pub fn update(output: &Path, old: &FileSet, new: &FileSet) -> Result<usize, BuildError> {
    let mut written = 0;
    for (path, bytes) in new.iter() {
        if old.get(path) != Some(bytes.as_slice()) {
            write(output, path, bytes)?;
            written += 1;
        }
    }
    for path in old.paths().filter(|p| !new.contains(p)) {
        let file = output.join(path);
        match std::fs::remove_file(&file) {
            Ok(()) => written += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(io(&file, source)),
        }
    }
    Ok(written)
}

/// Writes the layers' files (later layers win) on every core: folders first,
/// in path order, then the files in parallel.
fn write_all(base: &Path, layers: &[&FileSet]) -> Result<(), BuildError> {
    use rayon::prelude::*;
    let mut files: std::collections::BTreeMap<&str, &[u8]> = std::collections::BTreeMap::new();
    for layer in layers {
        files.extend(layer.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    }
    let dirs: std::collections::BTreeSet<PathBuf> = files
        .keys()
        .filter_map(|p| base.join(p).parent().map(Path::to_path_buf))
        .collect();
    for dir in &dirs {
        fs_err::create_dir_all(dir).map_err(|source| io(dir, source))?;
    }
    let files: Vec<(&str, &[u8])> = files.into_iter().collect();
    files.par_iter().try_for_each(|(relative, bytes)| {
        let path = base.join(relative);
        fs_err::write(&path, bytes).map_err(|source| io(&path, source))
    })
}

fn write(base: &Path, relative: &str, bytes: &[u8]) -> Result<(), BuildError> {
    let path = base.join(relative);
    if let Some(dir) = path.parent() {
        fs_err::create_dir_all(dir).map_err(|source| io(dir, source))?;
    }
    fs_err::write(&path, bytes).map_err(|source| io(&path, source))
}

/// Reads `root/static/` verbatim; links leading outside the site root are skipped
/// (nothing outside the site root is ever copied).
fn copy_static(root: &Path, files: &mut FileSet) -> Result<(), BuildError> {
    let static_dir = root.join("static");
    if !static_dir.is_dir() {
        return Ok(());
    }
    let canonical_root = root.canonicalize().map_err(|source| io(root, source))?;
    for entry in WalkDir::new(&static_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::Read {
            path: static_dir.clone(),
            source: e.into(),
        })?;
        let path = entry.path();
        if entry.path_is_symlink()
            && !path
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_root))
        {
            continue;
        }
        if !path.is_file() {
            continue;
        }
        let relative = path
            .strip_prefix(&static_dir)
            .expect("walk stays inside static/");
        let bytes = fs_err::read(path).map_err(|source| BuildError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(relative, bytes);
    }
    Ok(())
}

/// Replaces `output` with the staging folder: rename the old one aside, rename
/// the new one in, then delete the old one.
fn swap(staging: tempfile::TempDir, output: &Path) -> Result<(), BuildError> {
    let staged: PathBuf = staging.keep();
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(".skillpress-old-")
            .tempdir_in(parent)
            .map_err(|source| io(parent, source))?
            .keep();
        let aside = old.join("public");
        if let Err(source) = std::fs::rename(output, &aside) {
            let _ = std::fs::remove_dir_all(&staged);
            let _ = std::fs::remove_dir_all(&old);
            return Err(io(output, source));
        }
        if let Err(source) = std::fs::rename(&staged, output) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&aside, output);
            let _ = std::fs::remove_dir_all(&staged);
            let _ = std::fs::remove_dir_all(&old);
            return Err(io(output, source));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(source) = std::fs::rename(&staged, output) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(io(output, source));
    }
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> BuildError {
    BuildError::Output {
        path: path.to_path_buf(),
        source,
    }
}
