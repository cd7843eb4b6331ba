//! The body as faithful Markdown: the official text character for character,
//! with the document's own numbering (一、 （一） 1.) as structure, tables kept,
//! and page artefacts (page numbers, "|" marks, running headers) dropped and listed.

use std::collections::HashMap;

use super::Block;
use super::meta::Layout;

/// Whitespace trimmed at both ends (full-width spaces included) and runs inside
/// collapsed to one space: layout, not text.
pub fn tidy(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
    {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A line that is a page artefact rather than text: a page number, a lone
/// table-rule mark, a "第 1 页 共 3 页" footer.
pub fn is_artefact(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return false;
    }
    if compact.chars().all(|c| "|｜¦│-—–_=·.".contains(c)) {
        return true;
    }
    let inner = compact.trim_matches(|c: char| "-—–·".contains(c));
    if inner.len() <= 3
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
        && compact.len() > inner.len()
    {
        return true; // "- 3 -", "—3—"
    }
    if !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit()) {
        return true; // a lone page number
    }
    // 第1页 / 第1页共3页 / 1/3
    page_regex().is_match(&compact)
}

fn page_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^(第\d{1,3}页(共\d{1,3}页)?|\d{1,3}/\d{1,3}|共\d{1,3}页第\d{1,3}页)$")
            .expect("page regex")
    })
}

/// Tidies every block, drops artefacts and running headers, joins a line that
/// breaks inside a quotation or title mark with the next one. Returns the
/// blocks and the dropped lines (for the editor's report).
pub fn clean(blocks: Vec<Block>) -> (Vec<Block>, Vec<String>) {
    let mut dropped = Vec::new();
    let mut tidied: Vec<Block> = Vec::new();
    for block in blocks {
        match block {
            Block::Para(line) => {
                let line = tidy(&line);
                if line.is_empty() {
                    continue;
                }
                if is_artefact(&line) {
                    dropped.push(line);
                    continue;
                }
                tidied.push(Block::Para(line));
            }
            Block::Table(rows) => {
                let rows: Vec<Vec<String>> = rows
                    .into_iter()
                    .map(|r| r.iter().map(|c| tidy(c)).collect())
                    .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
                    .collect();
                if !rows.is_empty() {
                    tidied.push(Block::Table(rows));
                }
            }
        }
    }
    // A short line repeated three times or more is a running header or footer.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for b in &tidied {
        if let Block::Para(l) = b
            && l.chars().count() <= 30
        {
            *counts.entry(l.clone()).or_default() += 1;
        }
    }
    let mut out: Vec<Block> = Vec::new();
    for b in tidied {
        if let Block::Para(l) = &b
            && counts.get(l).copied().unwrap_or(0) >= 3
        {
            dropped.push(l.clone());
            continue;
        }
        // Join a line broken inside “…” or 《…》 with the next line.
        if let (Some(Block::Para(prev)), Block::Para(line)) = (out.last_mut(), &b)
            && unbalanced(prev)
            && closes(prev, line)
        {
            prev.push_str(line);
            continue;
        }
        out.push(b);
    }
    (out, dropped)
}

fn unbalanced(line: &str) -> bool {
    let open = line.matches('“').count() + line.matches('《').count();
    let close = line.matches('”').count() + line.matches('》').count();
    open > close
}

/// The next line closes the open mark before any sentence ends.
fn closes(prev: &str, next: &str) -> bool {
    let joined = format!("{prev}{next}");
    !unbalanced(&joined) && next.chars().count() <= 40
}

/// The level of a structural heading: 一、 → 2, （一） → 3.
fn heading_level(line: &str) -> Option<u8> {
    let mut chars = line.chars();
    let first = chars.next()?;
    if is_han_numeral(first) {
        let rest: String = line
            .chars()
            .skip_while(|c| is_han_numeral(*c))
            .take(1)
            .collect();
        if rest == "、" {
            return Some(2);
        }
    }
    if first == '（' || first == '(' {
        let inner: String = line
            .chars()
            .skip(1)
            .take_while(|c| is_han_numeral(*c))
            .collect();
        let after = line.chars().nth(1 + inner.chars().count());
        if !inner.is_empty() && matches!(after, Some('）') | Some(')')) {
            return Some(3);
        }
    }
    None
}

fn is_han_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

const SENTENCE_END: &[char] = &['。', '；', ';', '！', '？'];

/// Escapes a leading character that Markdown would read as syntax, so the text
/// renders as written ("# ", "> ", "- ", "+ ", "* ").
fn escape_start(line: &str) -> String {
    let mut chars = line.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ ('#' | '>' | '-' | '+' | '*' | '=')), _) => format!("\\{c}{}", &line[1..]),
        _ => line.to_owned(),
    }
}

/// A Markdown table; "|" inside cells escaped.
fn table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            out.push(' ');
            out.push_str(&cell.replace('|', "\\|"));
            out.push_str(" |");
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for _ in 0..width {
                out.push_str(" --- |");
            }
            out.push('\n');
        }
    }
    out.pop();
    out
}

/// The Markdown body: the blocks after the title, one paragraph per line,
/// 一、 lines as `##` (a run-in heading "一、…。正文" split after its first 。),
/// stand-alone （一） lines as `###`, the title of an attached plan as `##`.
pub fn markdown(blocks: &[Block], layout: &Layout) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if layout.skip.contains(&i) {
            continue;
        }
        match block {
            Block::Table(rows) => parts.push(table(rows)),
            Block::Para(line) => {
                if layout.inner_titles.contains(&i) {
                    parts.push(format!("## {line}"));
                    continue;
                }
                match heading_level(line) {
                    Some(2) => {
                        if let Some(pos) = line.find('。') {
                            let (head, rest) = line.split_at(pos + '。'.len_utf8());
                            if rest.is_empty() {
                                parts.push(format!("## {head}"));
                            } else {
                                parts.push(format!("## {head}"));
                                parts.push(escape_start(rest));
                            }
                        } else {
                            parts.push(format!("## {line}"));
                        }
                    }
                    Some(3) if !line.contains(SENTENCE_END) => parts.push(format!("### {line}")),
                    _ => parts.push(escape_start(line)),
                }
            }
        }
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artefacts_are_recognised() {
        for a in ["|", "- 3 -", "—12—", "7", "第2页共5页", "2/5"] {
            assert!(is_artefact(a), "{a}");
        }
        for t in [
            "2024年5月28日",
            "1.实施先进制造业技能培训专项。",
            "抄送：市政协提案委（3份）",
        ] {
            assert!(!is_artefact(t), "{t}");
        }
    }

    #[test]
    fn broken_title_is_joined_and_spaces_tidied() {
        let (blocks, dropped) = clean(vec![
            Block::Para("南阳高新区高质量推进“人人持证、".into()),
            Block::Para("技能河南”建设工作方案".into()),
            Block::Para("联系部门及电话：市人社局  2850339   联系人：秦斌 ".into()),
            Block::Para("|".into()),
        ]);
        assert_eq!(
            blocks,
            vec![
                Block::Para("南阳高新区高质量推进“人人持证、技能河南”建设工作方案".into()),
                Block::Para("联系部门及电话：市人社局 2850339 联系人：秦斌".into()),
            ]
        );
        assert_eq!(dropped, vec!["|".to_owned()]);
    }

    #[test]
    fn headings_follow_the_documents_numbering() {
        assert_eq!(heading_level("一、总体要求"), Some(2));
        assert_eq!(heading_level("十二、其他"), Some(2));
        assert_eq!(heading_level("(一)建立健全技能人才培养培训体系"), Some(3));
        assert_eq!(heading_level("（二）加大资金投入。"), Some(3));
        assert_eq!(heading_level("一是大力开展"), None);
        assert_eq!(heading_level("1.实施"), None);
    }
}
