//! A page saved from a government website, parsed with lol_html (already used
//! by the search index). The article body is taken from the content container
//! gov.cn-style sites use (#UCAP-CONTENT, .pages_content, #zoom, .TRS_Editor,
//! article …), never the site chrome; the metadata table (索引号, 发文机关,
//! 成文日期, 发文字号, 发布日期 …) is read wherever it is on the page.

use std::cell::RefCell;
use std::rc::Rc;

use lol_html::{RewriteStrSettings, doc_text, element, end_tag, rewrite_str};

use super::{Block, Source};

/// Containers of the article body, most specific first.
const CONTAINERS: &[&str] = &[
    "#UCAP-CONTENT",
    ".pages_content",
    "#zoom",
    ".TRS_Editor",
    ".article-content",
    ".article_content",
    "#content",
    "article",
];

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "head", "nav", "header", "footer", "select", "button", "form",
    "iframe", "svg",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "blockquote",
    "pre",
    "dt",
    "dd",
];

#[derive(Clone, Debug)]
enum Token {
    Text(String),
    Break,
    TableStart,
    TableEnd,
    RowStart,
    CellStart,
    Enter(usize),
    Leave(usize),
}

#[derive(Default)]
struct State {
    tokens: Vec<Token>,
    skip: usize,
}

/// Decodes the character references lol_html leaves in text.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "nbsp" | "ensp" | "emsp" => Some(' '),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "lsquo" => Some('‘'),
            "rsquo" => Some('’'),
            "mdash" => Some('—'),
            "ndash" => Some('–'),
            "hellip" => Some('…'),
            "middot" => Some('·'),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn tokens(html: &str) -> Result<Vec<Token>, String> {
    let state = Rc::new(RefCell::new(State::default()));
    let mut handlers = Vec::new();
    for (n, sel) in CONTAINERS.iter().enumerate() {
        let s = state.clone();
        handlers.push(element!(*sel, move |el| {
            s.borrow_mut().tokens.push(Token::Enter(n));
            let s2 = s.clone();
            if el.can_have_content() {
                el.on_end_tag(end_tag!(move |_| {
                    s2.borrow_mut().tokens.push(Token::Leave(n));
                    Ok(())
                }))?;
            }
            Ok(())
        }));
    }
    let s = state.clone();
    handlers.push(element!("*", move |el| {
        let name = el.tag_name().to_ascii_lowercase();
        let push = |t: Token| s.borrow_mut().tokens.push(t);
        if SKIPPED.contains(&name.as_str()) {
            s.borrow_mut().skip += 1;
            let s2 = s.clone();
            if el.can_have_content() {
                el.on_end_tag(end_tag!(move |_| {
                    let mut st = s2.borrow_mut();
                    st.skip = st.skip.saturating_sub(1);
                    Ok(())
                }))?;
            } else {
                s.borrow_mut().skip -= 1;
            }
            return Ok(());
        }
        let (start, end) = match name.as_str() {
            "table" => (Some(Token::TableStart), Some(Token::TableEnd)),
            "tr" => (Some(Token::RowStart), None),
            "td" | "th" => (Some(Token::CellStart), None),
            n if BLOCKS.contains(&n) => (Some(Token::Break), Some(Token::Break)),
            _ => (None, None),
        };
        if let Some(t) = start {
            push(t);
        }
        if let Some(t) = end
            && el.can_have_content()
        {
            let s2 = s.clone();
            el.on_end_tag(end_tag!(move |_| {
                s2.borrow_mut().tokens.push(t.clone());
                Ok(())
            }))?;
        }
        Ok(())
    }));
    let s = state.clone();
    let mut settings = RewriteStrSettings::new().with_strict(false);
    for h in handlers {
        settings = settings.append_element_content_handler(h);
    }
    let settings = settings.append_document_content_handler(doc_text!(move |t| {
        let mut st = s.borrow_mut();
        if st.skip == 0 && !t.as_str().is_empty() {
            st.tokens.push(Token::Text(t.as_str().to_owned()));
        }
        Ok(())
    }));
    rewrite_str(html, settings).map_err(|e| e.to_string())?;
    let tokens = std::mem::take(&mut state.borrow_mut().tokens);
    Ok(tokens)
}

/// Blocks from a token stream: text between breaks is a paragraph; tables
/// become rows of cells.
fn blocks(tokens: &[Token]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let flush = |line: &mut String, out: &mut Vec<Block>, tables: &mut Vec<Vec<Vec<String>>>| {
        let text = decode_entities(line);
        line.clear();
        if let Some(t) = tables.last_mut() {
            if let Some(cell) = t.last_mut().and_then(|r| r.last_mut()) {
                if !cell.is_empty() && !text.trim().is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text.trim());
            }
        } else if !text.trim().is_empty() {
            out.push(Block::Para(text));
        }
    };
    for t in tokens {
        match t {
            Token::Text(s) => line.push_str(&s.replace(['\n', '\r', '\t'], " ")),
            Token::Break => flush(&mut line, &mut out, &mut tables),
            Token::TableStart => {
                flush(&mut line, &mut out, &mut tables);
                tables.push(Vec::new());
            }
            Token::RowStart => {
                flush(&mut line, &mut out, &mut tables);
                if let Some(t) = tables.last_mut() {
                    t.push(Vec::new());
                }
            }
            Token::CellStart => {
                flush(&mut line, &mut out, &mut tables);
                if let Some(row) = tables.last_mut().and_then(|t| t.last_mut()) {
                    row.push(String::new());
                }
            }
            Token::TableEnd => {
                flush(&mut line, &mut out, &mut tables);
                if let Some(t) = tables.pop() {
                    let t: Vec<Vec<String>> = t.into_iter().filter(|r| !r.is_empty()).collect();
                    match tables
                        .last_mut()
                        .and_then(|o| o.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        // A table inside a cell: its text joins the cell.
                        Some(cell) => {
                            for r in &t {
                                cell.push_str(&r.join(" "));
                            }
                        }
                        None if !t.is_empty() => out.push(Block::Table(t)),
                        None => {}
                    }
                }
            }
            Token::Enter(_) | Token::Leave(_) => {}
        }
    }
    flush(&mut line, &mut out, &mut tables);
    out
}

const LABELS: &[&str] = &[
    "索引号",
    "主题分类",
    "发文机关",
    "成文日期",
    "标题",
    "名称",
    "发文字号",
    "发布日期",
    "发布机构",
    "文号",
    "主题词",
];

/// Label → value from metadata tables: "发文机关：" in one cell and the value in
/// the next, or "发文机关：某某" in one cell.
fn labelled(blocks: &[Block]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    for b in blocks {
        match b {
            Block::Table(rows) => cells.extend(rows.iter().flatten().cloned()),
            Block::Para(p) => cells.push(p.clone()),
        }
    }
    for (i, cell) in cells.iter().enumerate() {
        let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        for label in LABELS {
            let Some(rest) = compact.strip_prefix(label) else {
                continue;
            };
            let rest = rest.trim_start_matches([':', '：']);
            if rest.is_empty() {
                if let Some(next) = cells.get(i + 1) {
                    out.push(((*label).to_owned(), next.trim().to_owned()));
                }
            } else if compact.len() > label.len() && compact[label.len()..].starts_with([':', '：'])
            {
                let value = cell
                    .split_once([':', '：'])
                    .map(|(_, v)| v.trim())
                    .unwrap_or(rest);
                out.push(((*label).to_owned(), value.to_owned()));
            }
            break;
        }
    }
    out
}

/// Reads a saved page: the body container's blocks (or the whole page's when
/// there is no known container) and the metadata table.
pub fn read(html: &str) -> Result<Source, String> {
    let tokens = tokens(html)?;
    let all = blocks(&tokens);
    let fields = labelled(&all);
    // The first known container that holds text, most specific selector first.
    let mut body: Option<Vec<Block>> = None;
    for n in 0..CONTAINERS.len() {
        let mut depth = 0usize;
        let mut inside: Vec<Token> = Vec::new();
        let mut seen = false;
        for t in &tokens {
            match t {
                Token::Enter(m) if *m == n => {
                    depth += 1;
                    seen = true;
                }
                Token::Leave(m) if *m == n => depth = depth.saturating_sub(1),
                _ if depth > 0 => inside.push(t.clone()),
                _ => {}
            }
        }
        if seen {
            let b = blocks(&inside);
            if b.iter()
                .any(|b| matches!(b, Block::Para(p) if p.trim().chars().count() > 20))
            {
                body = Some(b);
                break;
            }
        }
    }
    // A page title above the container (h1 or .title) is part of the document.
    let mut blocks = body.unwrap_or(all);
    if let Some((_, title)) = fields.iter().find(|(k, _)| k == "标题" || k == "名称")
        && !blocks
            .iter()
            .any(|b| matches!(b, Block::Para(p) if p.trim() == title.trim()))
    {
        blocks.insert(0, Block::Para(title.clone()));
    }
    Ok(Source {
        blocks,
        labelled: fields,
        read_as: "html".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_container_and_metadata_table() {
        let page = r#"<html><head><title>站点</title><script>var a="不要";</script></head><body>
<nav><a href="/">首页</a> | 政策</nav>
<table class="policy"><tr><td><b>索引号：</b></td><td>11410000/2025-00123</td>
<td><b>发文机关：</b></td><td>河南省人力资源和社会保障厅</td></tr>
<tr><td>发文字号：</td><td>豫人社〔2025〕5号</td><td>成文日期：</td><td>2025年05月02日</td></tr></table>
<div id="UCAP-CONTENT"><p>各省辖市人社局&nbsp;:</p><p>现将《方案》印发给你们，全年培训200万人次以上。</p>
<table><tr><td>地区</td><td>任务</td></tr><tr><td>郑州</td><td>20万人次</td></tr></table></div>
<footer>主办：某某 | 网站标识码</footer></body></html>"#;
        let s = read(page).unwrap();
        assert_eq!(
            s.blocks,
            vec![
                Block::Para("各省辖市人社局 :".into()),
                Block::Para("现将《方案》印发给你们，全年培训200万人次以上。".into()),
                Block::Table(vec![
                    vec!["地区".into(), "任务".into()],
                    vec!["郑州".into(), "20万人次".into()]
                ]),
            ]
        );
        let get = |k: &str| {
            s.labelled
                .iter()
                .find(|(l, _)| l == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("发文机关"), Some("河南省人力资源和社会保障厅"));
        assert_eq!(get("发文字号"), Some("豫人社〔2025〕5号"));
        assert_eq!(get("成文日期"), Some("2025年05月02日"));
    }
}
