//! Unit tests' sites: folders of `tests/fixtures/` laid over one another in a
//! temporary directory, and the real site's rendered pages (only compiled
//! for tests).

use std::path::Path;

/// A temporary site made of the given folders of `tests/fixtures/`, in order
/// (later ones add or replace files).
pub fn site_from(layers: &[&str]) -> tempfile::TempDir {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    for layer in layers {
        copy(&fixtures.join(layer), dir.path());
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The repository's own site (`content/`), rendered once per test binary.
pub fn real_site_pages() -> &'static crate::render::FileSet {
    static PAGES: std::sync::OnceLock<crate::render::FileSet> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::validate(root).site.expect("the real site validates");
        crate::pipeline::render(root, &site, &mut crate::pipeline::Progress::quiet())
            .expect("the real site renders")
            .pages
    })
}
