//! Editor text that becomes a file or folder name in the output or a folder the
//! build reads: topics (`/topics/<topic>/`) and `theme:` (`themes/<name>/`).
//!
//! A topic folder is the topic text itself (docs/design.md), so the text must be
//! a name every file system and static host treats the same way: never a path
//! (`/`, `\`, `.`, `..`), never a name that is already a file of the output
//! (`index.html`), nothing invisible, nothing Windows refuses. Checked once,
//! here, while reading content, so `check` and `build` agree.

use crate::diag::{Code, Diagnostic, Diagnostics, Spanned};

use super::yaml::{Node, NodeKind};

/// Longest topic, in characters (a Chinese character is 3 bytes; file names are
/// limited to 255 bytes).
pub const TOPIC_MAX_CHARS: usize = 64;

/// Longest theme name.
pub const THEME_MAX_CHARS: usize = 64;

/// Names that are already files of `topics/`, or devices on Windows.
const RESERVED: &[&str] = &[
    "index.html",
    "index.htm",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// Characters that Windows does not allow in file names (besides `/` and `\`).
const WINDOWS_FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*'];

/// Invisible formatting characters (zero-width spaces and joiners, direction
/// overrides, the BOM): two topics that look the same must be the same folder.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Why `topic` cannot be a folder name, or `None` when it can.
pub fn topic_problem(topic: &str) -> Option<String> {
    if topic.trim().is_empty() {
        return Some("主题是空的".into());
    }
    if topic.starts_with(char::is_whitespace) || topic.ends_with(char::is_whitespace) {
        return Some("开头或结尾有空格".into());
    }
    if topic.chars().count() > TOPIC_MAX_CHARS {
        return Some(format!("超过 {TOPIC_MAX_CHARS} 个字"));
    }
    if let Some(c) = topic.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Some(format!("含有看不见的控制字符 U+{:04X}", c as u32));
    }
    if let Some(c) = topic.chars().find(|c| *c == '/' || *c == '\\') {
        return Some(format!("含有路径分隔符“{c}”"));
    }
    if let Some(c) = topic.chars().find(|c| WINDOWS_FORBIDDEN.contains(c)) {
        return Some(format!(
            "含有半角符号“{c}”，有的系统不允许它出现在文件夹名中"
        ));
    }
    if topic.starts_with('.') {
        return Some(
            "以“.”开头（“.”和“..”表示当前和上级文件夹，以“.”开头的文件夹会被隐藏）".into(),
        );
    }
    if topic.ends_with('.') {
        return Some("以“.”结尾（有的系统会去掉它）".into());
    }
    let lower = topic.to_lowercase();
    let stem = lower.split('.').next().unwrap_or("");
    if RESERVED.contains(&lower.as_str()) || (RESERVED[2..].contains(&stem)) {
        return Some(format!("“{topic}”是保留的文件名"));
    }
    None
}

/// Validates the topics of one record; the ones that cannot be folders are
/// reported where they are written and left out.
pub fn read_topics(items: Vec<Spanned<String>>, sink: &mut Diagnostics) -> Vec<String> {
    items
        .into_iter()
        .filter_map(|topic| match topic_problem(&topic.value) {
            None => Some(topic.value),
            Some(why) => {
                sink.push(
                    Diagnostic::error(
                        Code::BadTopic,
                        topic.span,
                        format!("主题“{}”不能用作网址：{why}", topic.value.escape_debug()),
                    )
                    .label("不能用作网址的主题")
                    .help(format!(
                        "主题就是网址 /topics/<主题>/ 中的文件夹名：只写主题词本身（例如 企业职工培训），不含 / \\ < > : \" | ? * 和控制字符，不以 . 开头或结尾，不超过 {TOPIC_MAX_CHARS} 个字；需要这些符号时改用全角（／：？）"
                    )),
                );
                None
            }
        })
        .collect()
}

/// The valid topics of a front matter, with where each is written (read
/// without reporting: `raw` reports the rest).
pub fn topic_nodes(node: &Node) -> Vec<Spanned<String>> {
    let NodeKind::Map(entries) = &node.kind else {
        return Vec::new();
    };
    let Some((_, topics)) = entries
        .iter()
        .find(|(k, _)| k.scalar_text().as_deref() == Some("topics"))
    else {
        return Vec::new();
    };
    let items = match &topics.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![topics],
    };
    items
        .into_iter()
        .filter_map(|item| Some(Spanned::new(item.scalar_text()?, item.span)))
        .filter(|t| topic_problem(&t.value).is_none())
        .collect()
}

/// Two spellings of a topic that differ only in letter case or Unicode form
/// (`AI` and `ai`) are one folder on Windows and macOS: the build would lose a
/// page there. The first spelling wins; the others are errors.
pub fn check_topic_spellings(topics: &[Spanned<String>], sink: &mut Diagnostics) {
    use unicode_normalization::UnicodeNormalization;
    let mut first: std::collections::HashMap<String, &Spanned<String>> = Default::default();
    for topic in topics {
        let key = topic.value.nfc().collect::<String>().to_lowercase();
        match first.get(&key) {
            None => {
                first.insert(key, topic);
            }
            Some(seen) if seen.value != topic.value => sink.push(
                Diagnostic::error(
                    Code::BadTopic,
                    topic.span,
                    format!(
                        "主题“{}”与“{}”只差大小写或字符写法，会成为同一个文件夹",
                        topic.value, seen.value
                    ),
                )
                .label("另一种写法")
                .also(seen.span, "先出现的写法")
                .help(format!(
                    "同一主题请写成完全相同的文字，例如都写“{}”",
                    seen.value
                )),
            ),
            Some(_) => {}
        }
    }
}

/// Why `name` is not a plain theme name (a folder directly under `themes/`).
pub fn theme_problem(name: &str) -> Option<String> {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if name.chars().count() > THEME_MAX_CHARS {
        Some(format!("超过 {THEME_MAX_CHARS} 个字符"))
    } else if name.contains(['/', '\\']) || name.starts_with('.') {
        Some("是一个路径；theme 只写 themes/ 下文件夹的名字".into())
    } else if !plain {
        Some("只能包含英文字母、数字、- 和 _，并以字母或数字开头".into())
    } else {
        None
    }
}

/// `theme:` of site.yaml as a plain name, or an error at its line.
pub fn read_theme(name: Spanned<String>, sink: &mut Diagnostics) -> Option<Spanned<String>> {
    let Some(why) = theme_problem(&name.value) else {
        return Some(name);
    };
    sink.push(
        Diagnostic::error(
            Code::BadTheme,
            name.span,
            format!("theme “{}”不是主题名：{why}", name.value.escape_debug()),
        )
        .label("应是 themes/ 下的文件夹名")
        .help("主题放在站点根目录的 themes/<名字>/ 中，theme 只写这个名字，例如 theme: henan；不能写绝对路径或 ../"),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_that_are_folder_names() {
        for ok in [
            "企业职工培训",
            "技能 竞赛",
            "AI+培训",
            "50%",
            "第1期",
            "index",
            "v1.0",
            "（试点）",
        ] {
            assert_eq!(topic_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn topics_that_are_paths_or_reserved() {
        for bad in [
            "",
            " ",
            "..",
            ".",
            "../../x",
            "a/b",
            "a\\b",
            ".git",
            "index.html",
            "INDEX.HTML",
            "index.htm",
            "con",
            "NUL.txt",
            "a:b",
            "a?b",
            "尾点.",
            " 前空格",
            "零宽\u{200B}空格",
            "方向\u{202E}覆盖",
            "换行\n",
            "制表\t符",
        ] {
            assert!(topic_problem(bad).is_some(), "{bad:?} must be refused");
        }
        assert!(topic_problem(&"字".repeat(TOPIC_MAX_CHARS)).is_none());
        assert!(topic_problem(&"字".repeat(TOPIC_MAX_CHARS + 1)).is_some());
    }

    #[test]
    fn spellings_of_one_folder_are_reported_once_each() {
        let at = |text: &str, start| {
            Spanned::new(
                text.to_owned(),
                crate::diag::Span::new(crate::diag::FileId(0), start, start + 1),
            )
        };
        let mut sink = Diagnostics::new();
        check_topic_spellings(
            &[
                at("AI培训", 0),
                at("技能竞赛", 1),
                at("ai培训", 2),
                at("AI培训", 3),
                at("e\u{301}", 4),
                at("\u{e9}", 5),
            ],
            &mut sink,
        );
        let starts: Vec<usize> = sink
            .iter()
            .map(|d| d.primary.as_ref().unwrap().span.start)
            .collect();
        assert_eq!(starts, vec![2, 5]);
    }

    #[test]
    fn theme_is_a_plain_name() {
        for ok in ["default", "henan", "henan-2025", "my_theme", "V2"] {
            assert_eq!(theme_problem(ok), None, "{ok}");
        }
        for bad in [
            "", "../x", "/etc", "..", ".", ".hidden", "a/b", "a\\b", "-x", "主题", "a b", "C:",
        ] {
            assert!(theme_problem(bad).is_some(), "{bad:?} must be refused");
        }
    }
}
