//! The theme: templates and static files. The default theme is compiled into the
//! binary (its source is `themes/default/`), so a site with no `themes/` folder
//! builds anywhere; `theme: NAME` overrides any subset of it, file by file.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::BuildError;
use crate::content::{names, walk};

/// Every file of `themes/default/`, embedded at compile time.
pub static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of a directory embedded by `include_dir`, at any depth.
fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(embedded_files(sub));
    }
    files
}

#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name (`region.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Output path (`assets/style.css`) → bytes.
    statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn default_theme() -> Self {
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
        for file in embedded_files(&DEFAULT) {
            let path = file
                .path()
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = file.contents();
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(name.to_owned(), String::from_utf8_lossy(bytes).into_owned());
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.insert(name.to_owned(), bytes.to_vec());
            }
        }
        Theme { templates, statics }
    }

    /// The default theme, overridden by `root/themes/NAME/` when a name is given.
    pub fn load(root: &Path, name: Option<&str>) -> Result<Self, BuildError> {
        let mut theme = Self::default_theme();
        let Some(name) = name else { return Ok(theme) };
        // Content checks report both at site.yaml; this keeps any caller inside the root.
        if names::theme_problem(name).is_some() {
            return Err(BuildError::MissingTheme(name.to_owned()));
        }
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            return Err(BuildError::MissingTheme(name.to_owned()));
        }
        let canonical_root = root.canonicalize().map_err(|source| BuildError::Read {
            path: root.to_path_buf(),
            source,
        })?;
        if !walk::inside(&canonical_root, &dir) {
            return Err(BuildError::OutsideRoot(dir));
        }
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&base).sort_by_file_name() {
                let entry = entry.map_err(|e| BuildError::Read {
                    path: base.clone(),
                    source: e.into(),
                })?;
                if entry.path_is_symlink() && !walk::inside(&canonical_root, entry.path()) {
                    return Err(BuildError::OutsideRoot(entry.path().to_path_buf()));
                }
                if !entry.path().is_file() {
                    continue;
                }
                let relative = entry
                    .path()
                    .strip_prefix(&base)
                    .expect("inside theme")
                    .components();
                let relative = relative
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = fs_err::read(entry.path()).map_err(|source| BuildError::Read {
                    path: entry.path().to_path_buf(),
                    source,
                })?;
                if is_template {
                    theme
                        .templates
                        .insert(relative, String::from_utf8_lossy(&bytes).into_owned());
                } else {
                    theme.statics.insert(relative, bytes);
                }
            }
        }
        Ok(theme)
    }

    pub fn static_files(&self) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
        self.statics.iter().map(|(k, v)| (k.clone(), v.clone()))
    }

    /// A static file's bytes, for fingerprinting and the page-weight report.
    pub fn static_file(&self, path: &str) -> Option<&[u8]> {
        self.statics.get(path).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_default_theme_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let theme = Theme::default_theme();
        let mut on_disk = 0;
        for entry in WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            on_disk += 1;
            let path = entry
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(entry.path()).unwrap();
            if let Some(name) = path.strip_prefix("templates/") {
                assert_eq!(theme.templates[name].as_bytes(), bytes, "{path}");
            } else if let Some(name) = path.strip_prefix("static/") {
                assert_eq!(theme.static_file(name), Some(bytes.as_slice()), "{path}");
            }
        }
        assert_eq!(on_disk, theme.templates.len() + theme.statics.len());
    }

    #[test]
    fn a_theme_name_that_is_a_path_is_never_read() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(outside.path().join("templates")).unwrap();
        std::fs::write(outside.path().join("templates/base.html"), "STOLEN").unwrap();
        let absolute = outside.path().to_str().unwrap();
        assert!(Theme::load(root.path(), Some(absolute)).is_err());
        assert!(Theme::load(root.path(), Some("../x")).is_err());
        // themes/evil is a link that leads out of the root.
        std::fs::create_dir_all(root.path().join("themes")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("themes/evil")).unwrap();
        assert!(matches!(
            Theme::load(root.path(), Some("evil")),
            Err(BuildError::OutsideRoot(_))
        ));
    }
}
