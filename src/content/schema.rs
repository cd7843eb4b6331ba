//! Reads the fields of a YAML mapping with the checks every record shares:
//! unknown fields (with "did you mean"), missing required fields, wrong types,
//! enum values and dates. Each getter reports its own problem and returns `None`,
//! so one file yields all its problems at once.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Diagnostics, Span, Spanned};

use super::yaml::{Node, NodeKind};

pub struct Fields<'a> {
    map_span: Span,
    /// What the record is called in messages (“区域文件”, “图表数字”).
    what: &'static str,
    entries: BTreeMap<String, (&'a Node, &'a Node)>,
}

impl<'a> Fields<'a> {
    /// Reads `node` as a mapping whose keys must be among `allowed`.
    pub fn new(
        node: &'a Node,
        what: &'static str,
        allowed: &[&str],
        sink: &mut Diagnostics,
    ) -> Option<Self> {
        let NodeKind::Map(entries) = &node.kind else {
            let message = if node.kind == NodeKind::Null {
                format!("{what}是空的")
            } else {
                format!("{what}应是“字段: 值”的映射，这里却是{}", node.kind_name())
            };
            sink.push(
                Diagnostic::error(Code::WrongType, node.span, message).help(format!(
                    "按 DESIGN.md 的格式逐行写出字段，例如：{}: …",
                    allowed[0]
                )),
            );
            return None;
        };
        let mut fields = BTreeMap::new();
        for (key, value) in entries {
            let Some(name) = key.scalar_text() else {
                sink.push(Diagnostic::error(
                    Code::WrongType,
                    key.span,
                    format!("字段名应是文字，这里是{}", key.kind_name()),
                ));
                continue;
            };
            if !allowed.contains(&name.as_str()) {
                sink.push(unknown_field(&name, key.span, what, allowed));
                continue;
            }
            fields.insert(name, (key, value));
        }
        Some(Fields {
            map_span: node.span,
            what,
            entries: fields,
        })
    }

    /// The node of a present, non-null field.
    pub fn node(&self, name: &str) -> Option<&'a Node> {
        self.entries
            .get(name)
            .map(|(_, v)| *v)
            .filter(|v| v.kind != NodeKind::Null)
    }

    pub fn has(&self, name: &str) -> bool {
        self.node(name).is_some()
    }

    pub fn key_span(&self, name: &str) -> Option<Span> {
        self.entries.get(name).map(|(k, _)| k.span)
    }

    pub fn span(&self) -> Span {
        self.map_span
    }

    /// A required field: reports it missing.
    pub fn require(&self, name: &str, sink: &mut Diagnostics) -> Option<&'a Node> {
        let node = self.node(name);
        if node.is_none() {
            let span = self.key_span(name).unwrap_or(Span::new(
                self.map_span.file,
                self.map_span.start,
                self.map_span.start,
            ));
            sink.push(
                Diagnostic::error(
                    Code::MissingField,
                    span,
                    format!("{}缺少必填字段 `{name}`", self.what),
                )
                .help(format!("添加一行 `{name}: …`")),
            );
        }
        node
    }

    pub fn text(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
        self.node(name).and_then(|n| text(n, name, sink))
    }

    pub fn required_text(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
        self.require(name, sink).and_then(|n| text(n, name, sink))
    }

    pub fn text_list(&self, name: &str, sink: &mut Diagnostics) -> Vec<Spanned<String>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| text(item, name, sink))
                .collect(),
            // A single value where a list is expected is what editors mean by a one-item list.
            _ => text(node, name, sink).into_iter().collect(),
        }
    }

    pub fn year(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<i32>> {
        self.node(name).and_then(|n| year(n, name, sink))
    }

    pub fn year_list(&self, name: &str, sink: &mut Diagnostics) -> Vec<Spanned<i32>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| year(item, name, sink))
                .collect(),
            _ => year(node, name, sink).into_iter().collect(),
        }
    }

    pub fn date(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<jiff::civil::Date>> {
        self.node(name).and_then(|n| date(n, name, sink))
    }

    /// One of a fixed set of words (`level: city`).
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        options: &[(&str, T)],
        required: bool,
        sink: &mut Diagnostics,
    ) -> Option<Spanned<T>> {
        let node = if required {
            self.require(name, sink)?
        } else {
            self.node(name)?
        };
        let value = text(node, name, sink)?;
        if let Some((_, t)) = options.iter().find(|(word, _)| *word == value.value) {
            return Some(Spanned::new(*t, value.span));
        }
        let words: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
        let mut diagnostic = Diagnostic::error(
            Code::BadEnum,
            value.span,
            format!("`{name}` 的值“{}”不在允许范围内", value.value),
        )
        .label("无效取值");
        diagnostic = match closest(&value.value, &words) {
            Some(near) => diagnostic.help(format!(
                "您是否想写 `{near}`？可选值：{}",
                words.join(" | ")
            )),
            None => diagnostic.help(format!("可选值：{}", words.join(" | "))),
        };
        sink.push(diagnostic);
        None
    }
}

/// Fields that hold sentences; every other text field is a name, unit or id.
const LONG_FIELDS: &[&str] = &[
    "title",
    "description",
    "summary",
    "note",
    "quote",
    "training_base",
    "recognized_by",
    "meeting",
    "contact",
    "issuer",
    "url",
    "base_url",
];
const MAX_SHORT_CHARS: usize = 200;
const MAX_LONG_CHARS: usize = 2_000;

pub fn text(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
    match node.scalar_text() {
        // Every page repeats names and units: a 1 MB unit made 74 MB of output.
        Some(s) if too_long(s.trim(), name).is_some() => {
            let (count, max) = too_long(s.trim(), name).unwrap_or_default();
            sink.push(
                Diagnostic::error(
                    Code::TooLong,
                    node.span,
                    format!("`{name}` 太长：共 {count} 个字符，最多 {max} 个"),
                )
                .label("过长的文字")
                .help("这里应是简短的文字；较长的说明请写进正文或 description"),
            );
            None
        }
        Some(s) => Some(Spanned::new(s.trim().to_owned(), node.span)),
        None => {
            sink.push(wrong_type(node, name, "文字"));
            None
        }
    }
}

/// `(length, limit)` in characters when `text` is too long for the field `name`.
fn too_long(text: &str, name: &str) -> Option<(usize, usize)> {
    let max = if LONG_FIELDS.contains(&name) {
        MAX_LONG_CHARS
    } else {
        MAX_SHORT_CHARS
    };
    // Counting stops just past the limit: a huge value costs no more than a short one.
    let count = text.chars().take(max + 1).count();
    (count > max).then(|| (text.chars().count(), max))
}

pub fn year(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<i32>> {
    let parsed = match &node.kind {
        NodeKind::Int(i) => i32::try_from(*i).ok(),
        NodeKind::Str(s) => s.trim().parse::<i32>().ok(),
        _ => None,
    };
    match parsed {
        Some(y) if (1949..=2100).contains(&y) => Some(Spanned::new(y, node.span)),
        _ => {
            sink.push(
                Diagnostic::error(
                    Code::BadYear,
                    node.span,
                    format!("`{name}` 应是四位数的年份"),
                )
                .label("不是有效年份")
                .help(format!("例如 `{name}: 2024`")),
            );
            None
        }
    }
}

pub fn date(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<jiff::civil::Date>> {
    let text = node.scalar_text().unwrap_or_default();
    let text = text.trim();
    let well_formed = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match text.parse::<jiff::civil::Date>() {
        Ok(d) if well_formed => Some(Spanned::new(d, node.span)),
        _ => {
            let message = if well_formed {
                format!("`{name}` 的日期“{text}”不存在")
            } else {
                format!("`{name}` 的日期“{text}”格式不对")
            };
            sink.push(
                Diagnostic::error(Code::BadDate, node.span, message)
                    .label("无效日期")
                    .help("日期写作 YYYY-MM-DD，例如 2024-05-28；文件未注明日期时删除这一行"),
            );
            None
        }
    }
}

pub fn wrong_type(node: &Node, name: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(
        Code::WrongType,
        node.span,
        format!("`{name}` 应是{expected}，这里却是{}", node.kind_name()),
    )
    .label(format!("应为{expected}"))
}

fn unknown_field(name: &str, span: Span, what: &str, allowed: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::UnknownField,
        span,
        format!("{what}中没有字段 `{name}`"),
    )
    .label("未知字段");
    match closest(name, allowed) {
        Some(near) => diagnostic.help(format!("您是否想写 `{near}`？")),
        None => diagnostic.help(format!("允许的字段：{}", allowed.join("、"))),
    }
}

/// The nearest word by edit distance, if it is near enough to be a typo.
pub fn closest<'w>(word: &str, candidates: &[&'w str]) -> Option<&'w str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3) && *d < c.chars().count())
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("regoin", &["region", "kind"]), Some("region"));
        assert_eq!(closest("titel", &["title", "kind"]), Some("title"));
        assert_eq!(closest("zzzzzz", &["region", "kind"]), None);
    }
}
