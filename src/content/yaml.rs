//! YAML text → a tree of [`Node`]s that remember where they were written.
//!
//! We parse into a generic tree (not straight into structs) so that `schema.rs`
//! can report every unknown or missing field of a file at once, in Chinese, with
//! the exact position, instead of stopping at serde's first error.
//! serde-saphyr does the parsing: pure Rust, maintained, and its `Spanned`
//! gives byte offsets (serde_yaml is archived; serde_yml is unsound). Plain
//! YAML, which is nearly every file, is read from its parser's events
//! directly (`yaml_events.rs`, the same values and positions, faster);
//! serde-saphyr reads the rest and words every syntax error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    /// Kept as the shortest text that round-trips, so `34.08` stays `34.08`.
    Float(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What an editor would call this kind of value, for "wrong type" messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "空值",
            NodeKind::Bool(_) => "布尔值",
            NodeKind::Int(_) | NodeKind::Float(_) => "数字",
            NodeKind::Str(_) => "文字",
            NodeKind::Seq(_) => "列表",
            NodeKind::Map(_) => "映射（键: 值）",
        }
    }

    /// Scalars as text (numbers as written), for fields that are text either way
    /// (`number: 188` and `number: "188"` both mean 188).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.clone()),
            _ => None,
        }
    }
}

/// Parses `yaml`, which starts at byte `offset` of `file`. Problems go to
/// `sink`: every tab-indented line and full-width colon, then (once those are
/// repaired in a copy) the first syntax error, if it cannot be a consequence of
/// the repairs. Returns the tree whenever the (repaired) text parses, so the
/// fields of a file with a tab are still checked.
pub fn parse(yaml: &str, file: FileId, offset: usize, sink: &mut Diagnostics) -> Option<Node> {
    let (problems, repair) = precheck(yaml, file, offset);
    let first_problem = problems
        .iter()
        .filter_map(|d| d.primary.as_ref())
        .map(|l| l.span.start)
        .min();
    for diagnostic in problems {
        sink.push(diagnostic);
    }
    let text = repair.text.as_deref().unwrap_or(yaml);
    let read = super::yaml_events::read(text, file, offset, &|at| repair.original(at))
        .map_or_else(|| read_with_serde_saphyr(text, file, offset, &repair), Ok);
    match read {
        Ok(root) => Some(root),
        Err(error) => {
            let (diagnostic, structural) = syntax_error(&error, text, file, offset, &repair);
            let at = diagnostic.primary.as_ref().map_or(0, |l| l.span.start);
            // After a repaired line, an indentation error may only echo the
            // repair; an unclosed bracket or quote is the editor's own.
            if !structural || first_problem.is_none_or(|first| at < first) {
                sink.push(diagnostic);
            }
            None
        }
    }
}

/// The tree of `text` as serde-saphyr reads it: every file the faster
/// reader (`yaml_events`) leaves, and the messages of every syntax error.
fn read_with_serde_saphyr(
    text: &str,
    file: FileId,
    offset: usize,
    repair: &Repair,
) -> Result<Node, serde_saphyr::Error> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        // Comments are never read; emitting them limits a run of comment lines
        // to 32 ("too many buffered comments"), e.g. a commented-out figures block.
        emit_comments: false,
    };
    let root = serde_saphyr::from_str_with_options::<Option<serde_saphyr::Spanned<RawNode>>>(
        text, options,
    )?;
    Ok(match root {
        Some(root) => convert(root, text, file, offset, repair),
        None => Node {
            kind: NodeKind::Null,
            span: Span::new(file, offset, offset),
        },
    })
}

/// [`read_with_serde_saphyr`] of a text without repairs, for comparing the
/// two readers.
#[cfg(test)]
pub(super) fn read_slowly(
    text: &str,
    file: FileId,
    offset: usize,
) -> Result<Node, serde_saphyr::Error> {
    read_with_serde_saphyr(text, file, offset, &Repair::default())
}

/// A copy of the text with tabs of indentation turned into two spaces and
/// full-width colons into `:` plus spaces, and the way back to original offsets.
#[derive(Default)]
struct Repair {
    text: Option<String>,
    /// Offsets, in the repaired text, of bytes that the original does not have.
    inserted: Vec<usize>,
}

impl Repair {
    fn original(&self, at: usize) -> usize {
        at - self.inserted.partition_point(|&i| i <= at)
    }
}

/// Mistakes that the YAML parser reports in words editors cannot act on:
/// a full-width colon typed by a Chinese IME (`name：南阳`) and tab
/// indentation. Every such line is reported, not only the first.
fn precheck(yaml: &str, file: FileId, offset: usize) -> (Vec<Diagnostic>, Repair) {
    let mut problems = Vec::new();
    let mut repaired = String::with_capacity(yaml.len() + 16);
    let mut inserted = Vec::new();
    let mut line_start = 0;
    let mut in_block_scalar: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let here = offset + line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        // Text inside `|` / `>` block scalars is the editor's prose: leave it alone.
        if let Some(block_indent) = in_block_scalar {
            if content.trim().is_empty() || indent > block_indent {
                repaired.push_str(line);
                continue;
            }
            in_block_scalar = None;
        }
        let mut fixed = line.to_owned();
        if content[..indent].contains('\t') {
            let tab = content.find('\t').unwrap_or(0);
            problems.push(
                Diagnostic::error(
                    Code::TabIndent,
                    Span::new(file, here + tab, here + tab + 1),
                    "这一行用制表符（Tab）缩进，YAML 不允许",
                )
                .label("制表符")
                .help("请改用空格缩进（通常每层两个空格）"),
            );
            let mut spaces = String::new();
            for c in content[..indent].chars() {
                if c == '\t' {
                    inserted.push(repaired.len() + spaces.len() + 1);
                    spaces.push_str("  ");
                } else {
                    spaces.push(c);
                }
            }
            fixed = format!("{spaces}{}", &line[indent..]);
        }
        let body = content[indent..].trim_start_matches("- ");
        // A full-width colon right after a key; not in comments, values or quotes.
        let colon = body.find('：').filter(|&colon| {
            let key = &body[..colon];
            !body.starts_with('#')
                && !key.contains(':')
                && !key.contains(['"', '\''])
                && !key.trim().is_empty()
        });
        if let Some(colon) = colon {
            let key = body[..colon].trim();
            let in_line = indent + (content[indent..].len() - body.len()) + colon;
            let at = here + in_line;
            problems.push(
                Diagnostic::error(
                    Code::FullWidthColon,
                    Span::new(file, at, at + '：'.len_utf8()),
                    format!("字段“{key}”后面用了全角冒号“：”"),
                )
                .label("全角冒号")
                .help(format!(
                    "请使用半角冒号和一个空格：`{key}: …`（中文输入法下按 Shift 切换到英文再输入冒号）"
                )),
            );
            // Same byte length, so offsets after it stay put.
            let in_fixed = in_line + (fixed.len() - line.len());
            fixed.replace_range(in_fixed..in_fixed + '：'.len_utf8(), ":  ");
        }
        repaired.push_str(&fixed);
        let trimmed = content.trim_end();
        if trimmed.ends_with(": |")
            || trimmed.ends_with(": >")
            || trimmed.ends_with(": |-")
            || trimmed.ends_with(": >-")
            || trimmed == "- |"
        {
            in_block_scalar = Some(indent);
        }
    }
    let repair = Repair {
        text: (!problems.is_empty()).then_some(repaired),
        inserted,
    };
    (problems, repair)
}

fn syntax_error(
    error: &serde_saphyr::Error,
    yaml: &str,
    file: FileId,
    offset: usize,
    repair: &Repair,
) -> (Diagnostic, bool) {
    let formatter = serde_saphyr::UserMessageFormatter;
    let location = error.location();
    let at = location
        .and_then(|l| l.span().byte_offset())
        .map(|b| b as usize)
        .or_else(|| {
            location.map(|l| byte_of_line_col(yaml, l.line() as usize, l.column() as usize))
        })
        .unwrap_or(0)
        .min(yaml.len());
    let english = error
        .without_snippet()
        .render_with_options(serde_saphyr::render_options! {
            formatter: &formatter,
            snippets: serde_saphyr::SnippetMode::Off,
        });
    // The English location suffix duplicates what our header shows.
    let english = english
        .split(" at line ")
        .next()
        .unwrap_or(&english)
        .to_owned();
    let (code, message, help) = if english.contains("duplicate") {
        (
            Code::DuplicateKey,
            format!("同一字段写了两次（解析器原文：{english}）"),
            "每个字段在同一层级只能出现一次：删除或合并重复的那一行",
        )
    } else {
        (
            Code::YamlSyntax,
            format!(
                "YAML 格式有误：{}（解析器原文：{english}）",
                in_chinese(&english)
            ),
            "检查这一行及上一行：冒号后要有空格，同一层级缩进要对齐，含有冒号或 # 的文字请用引号括起来",
        )
    };
    let end = (at + 1).min(yaml.len()).max(at);
    let (start, end) = (
        repair.original(at),
        repair.original(end).max(repair.original(at)),
    );
    let structural = [
        "indent",
        "expected key",
        "'-' indicator",
        "mapping values",
        "block sequence",
        "simple key",
        "node content",
    ]
    .iter()
    .any(|w| english.contains(w));
    let diagnostic =
        Diagnostic::error(code, Span::new(file, offset + start, offset + end), message)
            .label("此处")
            .help(help);
    (diagnostic, structural)
}

/// The parser's English, said the way an editor can act on it.
fn in_chinese(english: &str) -> &'static str {
    const WORDS: &[(&str, &str)] = &[
        (
            "unclosed bracket",
            "方括号或花括号没有闭合：[ 要有对应的 ]，{ 要有对应的 }",
        ),
        (
            "unclosed quote",
            "引号没有闭合：开头的引号要有对应的结尾引号",
        ),
        (
            "expected ',' or ']'",
            "列表 [ … ] 中的各项要用半角逗号分隔，并以 ] 结束",
        ),
        (
            "expected ',' or '}'",
            "映射 { … } 中的各项要用半角逗号分隔，并以 } 结束",
        ),
        (
            "mapping values are not allowed",
            "这里不能再出现“字段: 值”：可能是文字中含有“: ”而没有加引号，或者缩进不对",
        ),
        (
            "did not find expected key",
            "缩进不对，或者这一行不是“字段: 值”的形式",
        ),
        (
            "did not find expected '-' indicator",
            "列表中的这一行缩进不对，或者缺少开头的 -",
        ),
        ("did not find expected node content", "这里缺少值"),
        (
            "block sequence entries are not allowed",
            "这里不能以 - 开始列表：列表要另起一行并缩进",
        ),
        ("invalid indentation", "缩进不对：同一层级的行要对齐"),
        ("incorrect indentation", "缩进不对：同一层级的行要对齐"),
        ("simple key", "这一行缺少冒号，或者冒号后少了空格"),
        ("tab", "用了制表符（Tab）：请改用空格"),
        (
            "unknown escape character",
            "双引号里的反斜杠 \\ 开始了一个无效的转义：改用单引号，或写成 \\\\",
        ),
        ("unknown anchor", "引用了不存在的锚点（*名称）"),
        (
            "unexpected end of file",
            "文件意外结束：可能缺少闭合的括号或引号",
        ),
        ("unexpected EOF", "文件意外结束：可能缺少闭合的括号或引号"),
        (
            "unexpected character",
            "出现了不能在这里使用的字符：含有特殊符号的文字请用引号括起来",
        ),
        (
            "cannot start any token",
            "这个字符不能出现在值的开头：请把整个值用引号括起来",
        ),
        (
            "multiple documents",
            "一个文件里只能有一段 YAML（删除多余的 ---）",
        ),
        (
            "document end marker",
            "--- 或 ... 之后还有内容：一个文件只能有一段 YAML",
        ),
        (
            "trailing content after",
            "引号结束后还有文字：把整段文字放进引号里",
        ),
    ];
    WORDS
        .iter()
        .find(|(english_words, _)| english.contains(english_words))
        .map_or("这一处不符合 YAML 的写法", |(_, chinese)| chinese)
}

fn byte_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// The shape serde-saphyr fills in; converted to [`Node`] with file offsets.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<serde_saphyr::Spanned<RawNode>>),
    Map(
        Vec<(
            serde_saphyr::Spanned<RawNode>,
            serde_saphyr::Spanned<RawNode>,
        )>,
    ),
}

fn convert(
    node: serde_saphyr::Spanned<RawNode>,
    yaml: &str,
    file: FileId,
    offset: usize,
    repair: &Repair,
) -> Node {
    let span = node.referenced.span();
    let start = span.byte_offset().map(|b| b as usize).unwrap_or_else(|| {
        byte_of_line_col(
            yaml,
            node.referenced.line() as usize,
            node.referenced.column() as usize,
        )
    });
    let len = span.byte_len().unwrap_or(0) as usize;
    let end = (start + len).min(yaml.len());
    let span = Span::new(
        file,
        offset + repair.original(start),
        offset + repair.original(end),
    );
    let kind = match node.value {
        RawNode::Null => NodeKind::Null,
        RawNode::Bool(b) => NodeKind::Bool(b),
        RawNode::Int(i) => NodeKind::Int(i),
        RawNode::Float(f) => NodeKind::Float(format!("{f}")),
        RawNode::Str(s) => NodeKind::Str(s),
        RawNode::Seq(items) => NodeKind::Seq(
            items
                .into_iter()
                .map(|n| convert(n, yaml, file, offset, repair))
                .collect(),
        ),
        RawNode::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        convert(k, yaml, file, offset, repair),
                        convert(v, yaml, file, offset, repair),
                    )
                })
                .collect(),
        ),
    };
    Node { kind, span }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(yaml: &str) -> Node {
        let mut sink = Diagnostics::new();
        let node = parse(yaml, FileId(0), 10, &mut sink);
        assert!(sink.is_empty(), "{sink:?}");
        node.unwrap()
    }

    fn first_code(yaml: &str) -> Code {
        let mut sink = Diagnostics::new();
        parse(yaml, FileId(0), 0, &mut sink);
        sink.iter().next().unwrap().code
    }

    #[test]
    fn keeps_byte_offsets_of_values() {
        let yaml = "name: 南阳市\nparent: henan\n";
        let node = parse_ok(yaml);
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        let (key, value) = &entries[1];
        assert_eq!(key.kind, NodeKind::Str("parent".into()));
        assert_eq!(value.span.start - 10, yaml.find("henan").unwrap());
    }

    #[test]
    fn numbers_booleans_and_text() {
        let node = parse_ok("a: 34.08\nb: 12\nc: yes\nd: 34.08万\ne: 2024-05-28\nf:\n");
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        let kinds: Vec<_> = entries.into_iter().map(|(_, v)| v.kind).collect();
        assert_eq!(kinds[0], NodeKind::Float("34.08".into()));
        assert_eq!(kinds[1], NodeKind::Int(12));
        assert_eq!(kinds[2], NodeKind::Str("yes".into()));
        assert_eq!(kinds[3], NodeKind::Str("34.08万".into()));
        assert_eq!(kinds[4], NodeKind::Str("2024-05-28".into()));
        assert_eq!(kinds[5], NodeKind::Null);
    }

    #[test]
    fn explains_full_width_colon_and_tabs() {
        assert_eq!(first_code("name：南阳\n"), Code::FullWidthColon);
        assert_eq!(first_code("a:\n\t- b\n"), Code::TabIndent);
    }

    #[test]
    fn every_tab_line_is_reported_and_the_rest_still_read() {
        let yaml = "name: 南阳市\naliases:\n\t- 宛\n\t- 宛城\nlevel：city\nparent: henan\n";
        let mut sink = Diagnostics::new();
        let node = parse(yaml, FileId(0), 0, &mut sink).expect("repaired text parses");
        let codes: Vec<Code> = sink.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [Code::TabIndent, Code::TabIndent, Code::FullWidthColon]
        );
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        let (key, value) = &entries[3];
        assert_eq!(key.kind, NodeKind::Str("parent".into()));
        assert_eq!(
            value.span.start,
            yaml.find("henan").unwrap(),
            "offsets map back"
        );
    }

    #[test]
    fn syntax_errors_are_said_in_chinese() {
        let mut sink = Diagnostics::new();
        parse("a: [1, 2\n", FileId(0), 0, &mut sink);
        let message = &sink.iter().next().unwrap().message;
        assert!(message.starts_with("YAML 格式有误：方括号"), "{message}");
    }

    #[test]
    fn full_width_colon_inside_values_is_fine() {
        parse_ok("quote: 联系部门及电话：市人社局\nsummary: |\n  说明：这是正文\n");
    }

    #[test]
    fn reports_syntax_and_duplicate_keys() {
        assert_eq!(first_code("a: [1, 2\n"), Code::YamlSyntax);
        assert_eq!(first_code("a: 1\na: 2\n"), Code::DuplicateKey);
    }
}
