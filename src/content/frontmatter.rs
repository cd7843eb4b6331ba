//! Splits a Markdown file into its YAML front matter and its body, by lines,
//! keeping byte offsets so errors in either part point at real file lines.
//! (Front-matter crates return owned strings and lose the offsets.)

#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file text.
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line; carries the offset of the opening line's end.
    Unclosed { opening_end: usize },
}

/// `text` must already be without a BOM. A line is `---` when it is exactly that,
/// apart from a trailing `\r` (CRLF files) and trailing spaces.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = line_spans(text);
    let Some((first_start, first_end, first_next)) = lines.next() else {
        return Err(SplitError::Missing);
    };
    if !is_fence(&text[first_start..first_end]) {
        return Err(SplitError::Missing);
    }
    for (start, end, next) in lines {
        if is_fence(&text[start..end]) {
            return Ok(Split {
                yaml: &text[first_next..start],
                yaml_offset: first_next,
                body: &text[next..],
                body_offset: next,
            });
        }
    }
    Err(SplitError::Unclosed {
        opening_end: first_end,
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == "---"
}

/// (start, end without `\n`, start of next line) for every line.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        Some((start, end, next))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offsets() {
        let text = "---\ntitle: 甲\n---\n正文\n";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: 甲\n");
        assert_eq!(&text[split.yaml_offset..split.yaml_offset + 5], "title");
        assert_eq!(split.body, "正文\n");
        assert_eq!(&text[split.body_offset..], "正文\n");
    }

    #[test]
    fn accepts_crlf_and_trailing_spaces() {
        let text = "--- \r\ntitle: x\r\n---\r\nbody";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: x\r\n");
        assert_eq!(split.body, "body");
    }

    #[test]
    fn body_may_be_empty_and_contain_rules() {
        assert_eq!(split("---\na: 1\n---").unwrap().body, "");
        let text = "---\na: 1\n---\n上文\n\n---\n\n下文";
        assert!(split(text).unwrap().body.contains("下文"));
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("title: x\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(
            split("---\ntitle: x\n"),
            Err(SplitError::Unclosed { opening_end: 3 })
        );
    }
}
