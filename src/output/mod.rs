//! Stage 4: write a rendered [`FileSet`] and the site's `static/` folder to the
//! output directory, atomically.
//!
//! Everything is written into a staging folder *beside* the output (same file
//! system, so the final rename is atomic), then the old output is swapped out.
//! A failure at any point leaves the previous `public/` exactly as it was.
//!
//! Ownership: a build replaces the output folder whole, so skillpress only
//! replaces a folder it can tell it wrote. Every output it publishes carries
//! [`MARKER`]; a folder is replaced only when it carries the marker, is empty,
//! is absent, or holds the footprint of a build from before the marker existed
//! (see [`looks_like_earlier_build`]). Locations that hold or contain sources
//! (the site root, `content/`, `static/`, `themes/`, `.git`, the home folder,
//! `/`) are refused whatever they contain. Paths are compared canonicalized.

mod ownership;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::BuildError;
use crate::render::FileSet;
use crate::render::theme::Theme;

pub use ownership::{MARKER, MARKER_TEXT, Refusal, check_contents, check_location, check_target};

pub fn publish(
    files: &FileSet,
    root: &Path,
    output: &Path,
    theme: &Theme,
) -> Result<(), BuildError> {
    publish_all(root, &[&statics(root, theme)?, files], output)
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
/// folder, then swaps it in place of `output`, which must be ours to replace.
pub fn publish_all(root: &Path, layers: &[&FileSet], output: &Path) -> Result<(), BuildError> {
    let staging = Staging::begin(root, output)?;
    staging.write(layers)?;
    staging.commit()
}

/// A publish in progress: the staging folder beside `output`, written in one
/// or more steps (a build writes each page as soon as it is rendered), then
/// swapped in by [`Staging::commit`]. Dropped without
/// a commit, the staging folder is removed and `output` is untouched.
pub struct Staging {
    folder: tempfile::TempDir,
    /// The output as given (for messages) and its canonical path.
    output: PathBuf,
    target: PathBuf,
    /// Held until the swap, so publishes beside each other take turns.
    _lock: Option<std::fs::File>,
    /// Folders made so far: a file in a folder already made costs no
    /// `mkdir` (tens of thousands of chart files share one folder).
    made: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Checks where `output` is and makes the staging folder beside it.
    pub fn begin(root: &Path, output: &Path) -> Result<Staging, BuildError> {
        let target = check_location(root, output)?;
        let parent = target
            .parent()
            .expect("the file-system root is refused by check_location");
        fs_err::create_dir_all(parent).map_err(|source| io(parent, source))?;
        // Publishes beside each other take turns, so a folder left by a killed
        // build can be told from one being written right now.
        let lock = ownership::lock_dir(parent);
        if lock.is_some() {
            ownership::remove_stale(parent);
        }
        let folder = tempfile::Builder::new()
            .prefix(ownership::STAGING_PREFIX)
            .tempdir_in(parent)
            .map_err(|source| io(parent, source))?;
        Ok(Staging {
            folder,
            output: output.to_path_buf(),
            target,
            _lock: lock,
            made: Default::default(),
        })
    }

    /// Writes one file (a later write of the same path wins). A path that
    /// could lead outside the folder is refused, whoever made it.
    pub fn write_file(&self, relative: &str, bytes: &[u8]) -> Result<(), BuildError> {
        if !crate::render::is_plain_path(relative) {
            return Err(BuildError::UnsafeOutputPath(relative.to_owned()));
        }
        let made = |dir: &str| {
            self.made
                .lock()
                .expect("the set of made folders is never poisoned")
                .contains(dir)
        };
        match relative.rsplit_once('/') {
            Some((dir, _)) if !made(dir) => {
                // Recorded once it exists, so no other thread writes into
                // a folder that is not there yet.
                write(self.folder.path(), relative, bytes)?;
                self.made
                    .lock()
                    .expect("the set of made folders is never poisoned")
                    .insert(dir.to_owned());
                Ok(())
            }
            _ => {
                let path = self.folder.path().join(relative);
                fs_err::write(&path, bytes).map_err(|source| io(&path, source))
            }
        }
    }

    /// A file written into the staging folder earlier.
    pub fn read(&self, relative: &str) -> Option<Vec<u8>> {
        crate::render::is_plain_path(relative)
            .then(|| std::fs::read(self.folder.path().join(relative)).ok())
            .flatten()
    }

    /// Writes the layers' files; a later layer, or a later call, wins on
    /// the same path.
    pub fn write(&self, layers: &[&FileSet]) -> Result<(), BuildError> {
        write_all(self.folder.path(), layers)
    }

    /// Marks the staged folder as ours and swaps it in place of the output.
    /// What the output holds is checked here, just before it is replaced,
    /// not when staging began, so content errors found while staging (links)
    /// are reported first.
    pub fn commit(self) -> Result<(), BuildError> {
        check_contents(&self.output, &self.target)?;
        // Last, so a static file of the same name cannot take its place.
        write(self.folder.path(), MARKER, MARKER_TEXT.as_bytes())?;
        swap(self.folder.keep(), &self.target, |from, to| {
            std::fs::rename(from, to)
        })
    }
}

/// Brings an output folder written from `old` up to date with `new` by writing
/// only the files that differ and deleting the ones that are gone. Used by
/// `serve` between rebuilds, where a full swap would rewrite every file.
pub fn update(output: &Path, old: &FileSet, new: &FileSet) -> Result<usize, BuildError> {
    if output.exists() && !ownership::is_marked(output) {
        // Replaced by something else since the last full build: not ours to edit.
        check_contents(output, output)?;
    }
    let mut written = 0;
    for (path, bytes) in new.iter() {
        // A file carried over from the old set shares its bytes: no need to compare them.
        let same = old.get(path).is_some_and(|was| {
            std::ptr::eq(was.as_ptr(), bytes.as_ptr()) && was.len() == bytes.len()
                || was == bytes.as_slice()
        });
        if !same {
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
    // A static/ that is itself a link leading out is never read (content checks report it).
    if !crate::content::walk::inside(&canonical_root, &static_dir) {
        return Ok(());
    }
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

/// Replaces `output` with the staged folder: rename the old one aside, rename
/// the new one in, then delete the old one. `rename` is a parameter so tests
/// can make it fail. No path through here deletes the previous output: when it
/// cannot be put back, the error says where it is.
fn swap(
    staged: PathBuf,
    output: &Path,
    rename: impl Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), BuildError> {
    let parent = output
        .parent()
        .expect("the file-system root is refused by check_location");
    if std::fs::symlink_metadata(output).is_ok() {
        let old = match tempfile::Builder::new()
            .prefix(ownership::OLD_PREFIX)
            .tempdir_in(parent)
        {
            Ok(old) => old.keep(),
            Err(source) => {
                let _ = std::fs::remove_dir_all(&staged);
                return Err(io(parent, source));
            }
        };
        let aside = old.join(output.file_name().expect("a canonical path ends in a name"));
        if let Err(source) = rename(output, &aside) {
            let _ = std::fs::remove_dir_all(&staged);
            let _ = std::fs::remove_dir(&old);
            return Err(io(output, source));
        }
        if let Err(source) = rename(&staged, output) {
            let _ = std::fs::remove_dir_all(&staged);
            // Put the previous output back before reporting.
            return match rename(&aside, output) {
                Ok(()) => {
                    let _ = std::fs::remove_dir(&old);
                    Err(io(output, source))
                }
                // It stays where it is, whole; the next build leaves it alone
                // while `output` is missing.
                Err(restore) => Err(BuildError::Stranded {
                    output: output.to_path_buf(),
                    aside,
                    source,
                    restore,
                }),
            };
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(source) = rename(&staged, output) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A parent folder with a marked output holding `old` and a staged one.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir(&output).unwrap();
        std::fs::write(output.join("index.html"), "old").unwrap();
        std::fs::write(output.join(MARKER), MARKER_TEXT).unwrap();
        let staged = dir.path().join(".skillpress-staging-test");
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("index.html"), "new").unwrap();
        (dir, output, staged)
    }

    fn assert_no_staging_left(dir: &Path) {
        let left: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(ownership::STAGING_PREFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_staging_written_in_steps_replaces_the_output_only_when_committed() {
        let (dir, output, _) = setup();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let mut pages = FileSet::default();
        pages.insert("index.html", "new");
        let mut bundle = FileSet::default();
        bundle.insert("pagefind/pagefind.js", "search");
        bundle.insert("index.html", "later wins");
        // Abandoned (the search failed, say): nothing changes, nothing is left.
        let staging = Staging::begin(&root, &output).unwrap();
        staging.write(&[&pages]).unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_no_staging_left(dir.path());
        // Written in two steps and committed: the later step wins.
        let staging = Staging::begin(&root, &output).unwrap();
        staging.write(&[&pages]).unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        staging.write(&[&bundle]).unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "later wins"
        );
        assert!(output.join("pagefind/pagefind.js").is_file());
        assert!(ownership::is_marked(&output));
    }

    #[test]
    fn a_staged_file_never_leaves_the_staging_folder() {
        let (dir, output, _) = setup();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let staging = Staging::begin(&root, &output).unwrap();
        for path in [
            "../escaped.html",
            "a/../../escaped.html",
            "/tmp/x.html",
            "a\\b.html",
            "",
        ] {
            assert!(staging.write_file(path, b"x").is_err(), "{path:?}");
            assert!(staging.read(path).is_none(), "{path:?}");
        }
        assert!(!dir.path().join("escaped.html").exists());
        staging.write_file("a/b.html", b"x").unwrap();
        assert_eq!(staging.read("a/b.html").as_deref(), Some(&b"x"[..]));
    }

    #[test]
    fn the_output_is_checked_when_committing_and_left_as_it_was() {
        let (dir, output, _) = setup();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let staging = Staging::begin(&root, &output).unwrap();
        staging.write_file("index.html", b"new").unwrap();
        // Replaced by someone else's folder while the build ran.
        std::fs::remove_file(output.join(MARKER)).ok();
        std::fs::write(output.join("notes.txt"), "mine").unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(
            std::fs::read_to_string(output.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_no_staging_left(dir.path());
    }

    #[test]
    fn a_failed_swap_puts_the_previous_output_back() {
        let (_dir, output, staged) = setup();
        let failing = staged.clone();
        let result = swap(staged, &output, |from, to| {
            if from == failing {
                Err(std::io::Error::other("disk full"))
            } else {
                std::fs::rename(from, to)
            }
        });
        assert!(matches!(result, Err(BuildError::Output { .. })));
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn when_the_restore_fails_too_the_previous_output_survives_and_is_named() {
        let (dir, output, staged) = setup();
        let public = output.clone();
        let result = swap(staged, &output, |from, to| {
            if to == public {
                Err(std::io::Error::other("device busy"))
            } else {
                std::fs::rename(from, to)
            }
        });
        let Err(BuildError::Stranded { aside, .. }) = result else {
            panic!("expected Stranded, got {result:?}");
        };
        assert_eq!(
            std::fs::read_to_string(aside.join("index.html")).unwrap(),
            "old"
        );
        let message = BuildError::Stranded {
            output: output.clone(),
            aside: aside.clone(),
            source: std::io::Error::other("a"),
            restore: std::io::Error::other("b"),
        }
        .to_string();
        assert!(message.contains(&aside.display().to_string()), "{message}");
        // The next publish leaves that only copy alone.
        let _lock = ownership::lock_dir(dir.path());
        ownership::remove_stale(dir.path());
        assert!(aside.join("index.html").is_file());
    }
}
