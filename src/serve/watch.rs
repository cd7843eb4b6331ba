//! Watching the site's sources (never the output) and batching bursts of
//! events — an editor's atomic save, a `git checkout` of many files — into one
//! list of changed paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// Long enough to merge the events of one save, short enough to feel instant.
const DEBOUNCE: Duration = Duration::from_millis(40);

pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    pub changes: Receiver<Vec<PathBuf>>,
}

/// Watches `content/`, `static/` and `themes/` under `root`, and the root itself
/// (not recursively) so that creating `static/` or `themes/` is noticed.
pub fn watch(root: &Path, output: &Path) -> Result<Watcher, String> {
    let (sender, changes) = channel();
    let (root_dir, output) = (root.to_path_buf(), output.to_path_buf());
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.event.paths)
            .filter(|p| is_source(p, &root_dir, &output))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = sender.send(paths);
        }
    })
    .map_err(|e| e.to_string())?;
    for dir in ["content", "static", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("{}：{e}", path.display()))?;
        }
    }
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("{}：{e}", root.display()))?;
    Ok(Watcher {
        _debouncer: debouncer,
        changes,
    })
}

/// Editors' swap and backup files, the output and anything outside the three
/// source folders cause no rebuild.
fn is_source(path: &Path, root: &Path, output: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    if path.starts_with(output) {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
    {
        return false;
    }
    relative.components().next().is_some_and(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some("content" | "static" | "themes")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_only() {
        let (root, out) = (
            Path::new("/work/content/site"),
            Path::new("/work/content/site/public"),
        );
        assert!(is_source(
            Path::new("/work/content/site/content/documents/a.md"),
            root,
            out
        ));
        assert!(is_source(
            Path::new("/work/content/site/themes/default/templates/base.html"),
            root,
            out
        ));
        assert!(!is_source(
            Path::new("/work/content/site/public/index.html"),
            root,
            out
        ));
        assert!(!is_source(
            Path::new("/work/content/site/content/documents/.a.md.swp"),
            root,
            out
        ));
        assert!(!is_source(
            Path::new("/work/content/site/content/documents/a.md~"),
            root,
            out
        ));
        assert!(!is_source(
            Path::new("/work/content/site/README.md"),
            root,
            out
        ));
    }
}
