//! The theme: templates and static files. The default theme is compiled into the
//! binary (its source is `themes/default/`), so a site with no `themes/` folder
//! builds anywhere; `theme: NAME` overrides any subset of it, file by file.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::BuildError;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8]),)*]
    };
}

/// Every file of `themes/default/`; a unit test checks that none is missing.
pub const DEFAULT_FILES: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/regions.html",
    "templates/region.html",
    "templates/programs.html",
    "templates/program.html",
    "templates/brands.html",
    "templates/brand.html",
    "templates/documents.html",
    "templates/document.html",
    "templates/metrics.html",
    "templates/metric.html",
    "templates/topics.html",
    "templates/topic.html",
    "templates/404.html",
    "templates/data.html",
    "templates/search.html",
    "templates/feed.xml",
    "templates/sitemap.xml",
    "templates/partials/figures.html",
    "templates/partials/document_list.html",
    "templates/partials/chart.html",
    "static/assets/style.css",
    "static/assets/large.css",
    "static/assets/search.js",
    "static/assets/a11y.js",
    "static/assets/icon.svg",
];

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
        for (path, bytes) in DEFAULT_FILES {
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
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            return Err(BuildError::MissingTheme(name.to_owned()));
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
                if !entry.file_type().is_file() {
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
        let mut on_disk: Vec<String> = WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "update DEFAULT_FILES in render/theme.rs");
    }
}
