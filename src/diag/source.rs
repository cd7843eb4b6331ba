//! The files a build read, by id, with their text: what diagnostics point into.

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
struct SourceFile {
    /// Relative to the site root with `/` separators (`content/regions/nanyang.yaml`):
    /// what editors see in git, and stable in snapshots.
    name: String,
    text: String,
    /// Byte offset of the start of every line: line and column lookups stay
    /// logarithmic, so thousands of diagnostics in one big file cost no more
    /// than the file. Found when first asked for: most files get no message,
    /// and a national site's files are read on every core but added here on
    /// one thread.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        });
        id
    }

    pub fn name(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].name
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].text
    }

    /// 1-based line and column of a byte offset; columns count characters
    /// (a 汉字 is one column), as editors count them.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = line_of(self.line_starts(id), offset);
        let line_start = self.line_starts(id)[line];
        let column = text[line_start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offsets where the file's lines start (the first is 0).
    pub fn line_starts(&self, id: FileId) -> &[usize] {
        let file = &self.files[id.0 as usize];
        file.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', file.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }
}

/// 0-based line of a byte offset, given the line starts.
pub(crate) fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut map = SourceMap::new();
        let id = map.add("a.yaml", "name: 南阳市\nlevel: city\r\nparent: x");
        assert_eq!(map.line_col(id, 0), (1, 1));
        assert_eq!(map.line_col(id, "name: 南阳".len()), (1, 9));
        let parent = map.text(id).find("parent").unwrap();
        assert_eq!(map.line_col(id, parent), (3, 1));
        assert_eq!(map.line_starts(id), [0, "name: 南阳市\n".len(), parent]);
        let empty = map.add("b.yaml", "");
        assert_eq!(map.line_starts(empty), [0]);
        assert_eq!(map.line_col(empty, 0), (1, 1));
    }
}
