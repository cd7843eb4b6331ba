//! The tree of a YAML text read straight from the parser's events, for the
//! plain YAML nearly every content file is. serde-saphyr (see `yaml.rs`) reads
//! the same events through serde, one `Spanned` visitor per node, which cost
//! more than parsing itself: about 4 % of a national build.
//!
//! Only what this reader is sure to read as serde-saphyr does is read here:
//! one document, no anchors, aliases, tags or merge keys, string keys each
//! once, and scalars whose type is plain to see. Anything else, and every
//! syntax error, returns `None`, and the caller reads the text the slow way,
//! so every value and every message stays what it was. The tests compare
//! both readers on the real site's files and on generated YAML.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span as ParserSpan};

use super::yaml::{Node, NodeKind};
use crate::diag::{FileId, Span};

/// Deeper nesting is left to serde-saphyr, which limits it (64).
const MAX_DEPTH: usize = 32;
/// More nodes are left to serde-saphyr, which limits them (250,000).
const MAX_NODES: usize = 100_000;
/// A key longer than this is left to the parser's limit on simple keys
/// (1,024 chars), which serde-saphyr configures.
const MAX_KEY_BYTES: usize = 512;

/// The tree of `text` (the YAML as parsed, starting at byte `offset` of
/// `file`), with `original` mapping an offset in `text` back to the editor's
/// file. `None` when serde-saphyr must read it.
pub fn read(
    text: &str,
    file: FileId,
    offset: usize,
    original: &dyn Fn(usize) -> usize,
) -> Option<Node> {
    let options = granit_parser::options! { emit_comments: false };
    let mut events = Parser::new_from_str_with_options(text, options);
    let mut reader = Reader {
        text,
        file,
        offset,
        original,
        nodes: 0,
    };
    let (Event::StreamStart, _) = events.next_event()?.ok()? else {
        return None;
    };
    let root = match events.next_event()?.ok()? {
        (Event::StreamEnd, _) => None,
        (Event::DocumentStart(_, None), _) => {
            let (event, span) = events.next_event()?.ok()?;
            let root = reader.node(event, span, &mut events, 0)?;
            let (Event::DocumentEnd, _) = events.next_event()?.ok()? else {
                return None;
            };
            let (Event::StreamEnd, _) = events.next_event()?.ok()? else {
                return None;
            };
            // A null document is no tree, as `Option<…>` reads it.
            (root.kind != NodeKind::Null).then_some(root)
        }
        _ => return None,
    };
    Some(root.unwrap_or(Node {
        kind: NodeKind::Null,
        span: Span::new(file, offset, offset),
    }))
}

struct Reader<'a> {
    text: &'a str,
    file: FileId,
    offset: usize,
    original: &'a dyn Fn(usize) -> usize,
    nodes: usize,
}

type Events<'a> = Parser<'a, granit_parser::StrInput<'a>>;

impl Reader<'_> {
    /// The node that `event` starts, reading the events of its children.
    fn node<'t>(
        &mut self,
        event: Event<'t>,
        span: ParserSpan,
        events: &mut Events<'t>,
        depth: usize,
    ) -> Option<Node> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return None;
        }
        let kind = match event {
            Event::Scalar(value, style, 0, None) => scalar(value, style)?,
            Event::SequenceStart(_, 0, None) => {
                let mut items = Vec::new();
                loop {
                    match events.next_event()?.ok()? {
                        (Event::SequenceEnd, _) => break,
                        (event, span) => items.push(self.node(event, span, events, depth + 1)?),
                    }
                }
                NodeKind::Seq(items)
            }
            Event::MappingStart(_, 0, None) => {
                let mut entries: Vec<(Node, Node)> = Vec::new();
                loop {
                    let key = match events.next_event()?.ok()? {
                        (Event::MappingEnd, _) => break,
                        (event @ Event::Scalar(..), span) => {
                            self.node(event, span, events, depth + 1)?
                        }
                        _ => return None,
                    };
                    let NodeKind::Str(name) = &key.kind else {
                        return None;
                    };
                    // A merge key, or a key the parser may limit.
                    if name == "<<" || name.len() > MAX_KEY_BYTES {
                        return None;
                    }
                    let (event, span) = events.next_event()?.ok()?;
                    let value = self.node(event, span, events, depth + 1)?;
                    entries.push((key, value));
                }
                // A key written twice: serde-saphyr's message says which.
                if has_duplicate_keys(&entries) {
                    return None;
                }
                NodeKind::Map(entries)
            }
            _ => return None,
        };
        Some(Node {
            kind,
            span: self.span(&span),
        })
    }

    /// Where a node is in the editor's file, as `yaml::convert` places it
    /// (a parser reading a `&str` always knows its byte offsets).
    fn span(&self, span: &ParserSpan) -> Span {
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span
            .end
            .byte_offset()
            .unwrap_or(start)
            .max(start)
            .min(self.text.len());
        Span::new(
            self.file,
            self.offset + (self.original)(start),
            self.offset + (self.original)(end),
        )
    }
}

/// Whether two keys of a map (all text) are the same.
fn has_duplicate_keys(entries: &[(Node, Node)]) -> bool {
    fn name((key, _): &(Node, Node)) -> &str {
        match &key.kind {
            NodeKind::Str(name) => name,
            _ => "",
        }
    }
    // A file's maps have a few keys each; a long one is sorted, not
    // compared pair by pair.
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, entry)| entries[..i].iter().any(|e| name(e) == name(entry)));
    }
    let mut names: Vec<&str> = entries.iter().map(name).collect();
    names.sort_unstable();
    names.windows(2).any(|pair| pair[0] == pair[1])
}

/// A scalar's value as serde-saphyr types it (strict booleans, numbers with
/// a leading zero or an underscore kept as text), or `None` when its text
/// could be a number or a constant in a way this reader does not decide.
fn scalar(value: Cow<str>, style: ScalarStyle) -> Option<NodeKind> {
    if style != ScalarStyle::Plain {
        return Some(NodeKind::Str(value.into_owned()));
    }
    match value.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Some(NodeKind::Null),
        "true" | "True" | "TRUE" => return Some(NodeKind::Bool(true)),
        "false" | "False" | "FALSE" => return Some(NodeKind::Bool(false)),
        _ => {}
    }
    let first = value.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        // Not a number in any YAML spelling.
        return Some(NodeKind::Str(value.into_owned()));
    }
    let digits = value.strip_prefix('-').unwrap_or(&value);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        // Other text starting like a number: `2024-05-28`, `34.08万` are
        // text, but `1e3`, `0x1F`, `+1` or `.5` are left to serde-saphyr
        // (a char outside these can be in no number it reads).
        let number_like = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_' | b':'));
        return (!number_like || is_dashed_digits(&value))
            .then(|| NodeKind::Str(value.into_owned()));
    }
    if whole.len() > 1 && whole.starts_with('0') {
        // A leading zero: text when it is an integer (`0127`), and left to
        // serde-saphyr as a float (`01.5`).
        return fraction
            .is_none()
            .then(|| NodeKind::Str(value.into_owned()));
    }
    match fraction {
        None => match value.parse::<i64>() {
            Ok(int) => Some(NodeKind::Int(int)),
            // Beyond i64, serde-saphyr reads a u64 (made a float) or fails.
            Err(_) => None,
        },
        Some(_) => {
            let float: f64 = value.parse().ok()?;
            float
                .is_finite()
                .then(|| NodeKind::Float(format!("{float}")))
        }
    }
}

/// Digits with a dash after the first (`2024-05-28`, `2019-2021`): neither
/// an integer nor a float in any spelling serde-saphyr reads, so text.
fn is_dashed_digits(value: &str) -> bool {
    value.as_bytes()[0].is_ascii_digit()
        && value.contains('-')
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const OFFSET: usize = 7;

    /// Both readers' trees of `text`: this one's (`None` when it leaves the
    /// text to serde-saphyr) and serde-saphyr's (`None` on an error).
    fn both(text: &str) -> (Option<Node>, Option<Node>) {
        let fast = read(text, FileId(3), OFFSET, &|at| at);
        let slow = super::super::yaml::read_slowly(text, FileId(3), OFFSET).ok();
        (fast, slow)
    }

    /// Whatever this reader reads, serde-saphyr reads the same, spans and all.
    fn assert_same(text: &str) -> bool {
        let (fast, slow) = both(text);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), slow.as_ref(), "{text:?}");
        }
        fast.is_some()
    }

    #[test]
    fn every_file_of_the_real_site_is_read_here_as_serde_saphyr_reads_it() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut files, mut read_here) = (0, 0);
        for entry in walkdir::WalkDir::new(&content) {
            let path = entry.unwrap().into_path();
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let yaml = match ext {
                "yaml" | "yml" => text.as_str(),
                "md" => match crate::content::frontmatter::split(&text) {
                    Ok(split) => split.yaml,
                    Err(_) => continue,
                },
                _ => continue,
            };
            files += 1;
            read_here += usize::from(assert_same(yaml));
        }
        assert!(files > 60, "{files}");
        // The real site is plain YAML: none of it needs serde-saphyr.
        assert_eq!(read_here, files);
    }

    #[test]
    fn scalars_are_typed_as_serde_saphyr_types_them() {
        let read_here = [
            "a: 34.08",
            "a: 12",
            "a: -12",
            "a: -0",
            "a: -0.0",
            "a: 0",
            "a: 0.5",
            "a: 9223372036854775807",
            "a: -9223372036854775808",
            "a: 1.000000000000000000001",
            "a: 0127",
            "a: -0127",
            "a: yes",
            "a: no",
            "a: on",
            "a: y",
            "a: True",
            "a: FALSE",
            "a: tRue",
            "a: null",
            "a: Null",
            "a: NULL",
            "a: nULL",
            "a: ~",
            "a:",
            "a: ''",
            "a: \"\"",
            "a: '12'",
            "a: \"true\"",
            "a: 34.08万",
            "a: 2024-05-28",
            "a: 2024年",
            "a: 3 个",
            "a: 1,000",
            "a: 2019-2021",
            "a: 2024-5-28",
            "a: 1-2",
            "a: 1-",
            "a: inf",
            "a: nan",
            "a: NaN",
            "a: Infinity",
            "a: 豫人社〔2023〕1号",
            "a: |\n  12\n",
            "a: >\n  true\n",
            "a: [1, 2.5, x, null]",
            "a: {b: 1, c: ''}",
            "a:\n  - 1\n  - b: 2\n    c: [3]\n",
            "'a': 1\n\"b\": 2\n",
            "a: 12:30 开始",
        ];
        for text in read_here {
            assert!(assert_same(text), "read here: {text:?}");
        }
        // Left to serde-saphyr, which reads each its own way or reports it.
        let left = [
            "a: 1e3",
            "a: 0x1F",
            "a: 0o17",
            "a: +1",
            "a: .5",
            "a: 5.",
            "a: .inf",
            "a: -.Inf",
            "a: .NaN",
            "a: 1_000",
            "a: 12:30",
            "a: 01.5",
            "a: 9223372036854775808",
            "a: -9223372036854775809",
            "a: 1.2.3",
            "a: !!str 12",
            "a: &x 1\nb: *x",
            "<<: {a: 1}",
            "a: 1\na: 2",
            "1: a",
            "null: a",
            "true: a",
            "? [a]\n: b",
            "a: 1\n---\nb: 2",
            "%YAML 1.2\n---\na: 1",
            "a: [1, 2",
            "a: 'b",
            "a: b: c",
            "a: -",
            "a: -1-2",
        ];
        for text in left {
            assert!(!assert_same(text), "left to serde-saphyr: {text:?}");
        }
    }

    #[test]
    fn a_key_written_twice_is_left_to_serde_saphyr_in_short_and_long_maps() {
        for keys in [3, 40] {
            let mut text: String = (0..keys).map(|i| format!("k{i}: {i}\n")).collect();
            assert!(assert_same(&text), "{keys} keys, each once");
            text.push_str("k1: again\n");
            assert!(!assert_same(&text), "{keys} keys, one twice");
            assert!(both(&text).1.is_none(), "serde-saphyr reports it");
        }
    }

    #[test]
    fn a_long_run_of_comments_reads_alike() {
        // serde-saphyr's parser buffers comments (a limit `yaml.rs` avoids);
        // this reader asks for none.
        let comments: String = (0..300).map(|i| format!("  # 注释 {i}\n")).collect();
        let text = format!("a: 1\nb:\n{comments}  - 2\nc: 3\n");
        assert!(assert_same(&text));
        assert!(both(&text).1.is_some());
    }

    #[test]
    fn empty_and_null_documents_are_null_at_the_start() {
        for text in ["", "# 只有注释\n", "---\n", "~\n", "null", "---\n...\n"] {
            let (fast, slow) = both(text);
            let null = Node {
                kind: NodeKind::Null,
                span: Span::new(FileId(3), OFFSET, OFFSET),
            };
            assert_eq!(fast.as_ref(), Some(&null), "{text:?}");
            assert_eq!(slow.as_ref(), Some(&null), "{text:?}");
        }
    }

    #[test]
    fn offsets_are_mapped_back_to_the_editors_file() {
        let text = "name: 南阳市\nparent: henan\n";
        let node = read(text, FileId(0), 100, &|at| at.saturating_sub(2)).unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!("{node:?}")
        };
        let at = text.find("henan").unwrap();
        assert_eq!(
            entries[1].1.span,
            Span::new(FileId(0), 100 + at - 2, 100 + at + 3)
        );
    }

    /// Pieces of YAML an editor might write, and some no editor should.
    fn scalar_text() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "12",
                "-3",
                "0",
                "007",
                "34.08",
                "-0.5",
                "1e3",
                "0x1F",
                "+1",
                ".5",
                "1_000",
                "true",
                "True",
                "yes",
                "null",
                "~",
                "",
                "2024-05-28",
                "2024-5-8",
                "12:30",
                "inf",
                ".inf",
                "-.inf",
                ".nan",
                "1.2.3",
                "34.08万",
                "豫人社〔2023〕1号",
                "'单引号'",
                "\"双引号\\n\"",
                "\"12\"",
                "'true'",
                "[1, a]",
                "{b: 1}",
                "a b",
                "#注释",
                "a # 注释",
                "&x 1",
                "*x",
                "!!str 5",
                "\"\"",
                "- x",
                "? y",
                "9223372036854775808",
                "-9223372036854775809",
                "1.7976931348623157e309",
            ])
            .prop_map(str::to_owned),
            "[0-9+.eE_:x-]{1,8}",
            "[a-z0-9 ]{1,6}",
        ]
    }

    fn document() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec!["a", "b", "名称", "'c'", "\"d\"", "1", "null", "<<"]);
        let line = (key, scalar_text(), 0..4usize).prop_map(|(key, value, shape)| match shape {
            0 => format!("{key}: {value}\n"),
            1 => format!("{key}:\n  - {value}\n  - {value}\n"),
            2 => format!("{key}:\n  x: {value}\n"),
            _ => format!("{key}: [{value}, {value}]\n"),
        });
        prop::collection::vec(line, 0..6).prop_map(|lines| lines.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn what_is_read_here_is_what_serde_saphyr_reads(text in document()) {
            assert_same(&text);
        }

        #[test]
        fn a_number_like_scalar_is_read_here_only_as_serde_saphyr_reads_it(value in scalar_text()) {
            assert_same(&format!("a: {value}\n"));
            assert_same(&format!("- {value}\n"));
        }
    }
}
