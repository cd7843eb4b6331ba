//! Editors' Markdown → HTML and → plain text blocks, from one walk over the events
//! so that a block numbered here for citation checks is the same block the
//! HTML highlights.
//!
//! A block is the innermost paragraph, heading, list item or table cell: a quote
//! must lie inside one (DESIGN.md). Raw HTML is turned into text, never passed
//! through, so editors cannot inject script.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span, escape_html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// A highlighted stretch of one block, in characters of the block's plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub block: usize,
    pub start: usize,
    pub end: usize,
    /// `id` of the `<mark>`, the target of links from figures.
    pub id: String,
    /// Where the mark links to (the figure's row).
    pub href: String,
}

/// Plain text of every block, in document order.
pub fn plain_blocks(source: &str) -> Vec<String> {
    let mut blocks = Blocks::default();
    for event in Parser::new_ext(source, options()) {
        blocks.see(&event);
    }
    blocks.blocks
}

/// [`plain_blocks`] and [`lint`] from one reading of the Markdown: a
/// document's body is linted and its blocks searched for quotes.
pub fn lint_and_blocks(
    source: &str,
    file: FileId,
    offset: usize,
    sink: &mut Diagnostics,
) -> Vec<String> {
    let (mut blocks, mut lint) = (Blocks::default(), Lint::new(source, file, offset));
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        blocks.see(&event);
        lint.see(&event, range, sink);
    }
    lint.finish(sink);
    blocks.blocks
}

/// The plain text of each block, built event by event.
#[derive(Default)]
struct Blocks {
    blocks: Vec<String>,
    /// The blocks open around the current event, innermost last.
    stack: Vec<usize>,
}

impl Blocks {
    fn see(&mut self, event: &Event) {
        match event {
            Event::Start(tag) if is_block(tag) => {
                self.stack.push(self.blocks.len());
                self.blocks.push(String::new());
            }
            Event::End(end) if is_block_end(end) => {
                self.stack.pop();
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(&b) = self.stack.last() {
                    self.blocks[b].push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(&b) = self.stack.last() {
                    self.blocks[b].push('\n');
                }
            }
            _ => {}
        }
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell
    )
}

/// Which text events of editors' prose may carry a number link: not inside a
/// link, an image or a code block (inline code is its own event). Both
/// [`prose_texts`] and [`to_html_linked`] count events with it, so an index
/// found by one is the same event in the other.
#[derive(Default)]
struct ProseWalker {
    link: usize,
    image: usize,
    code: usize,
    blocks: usize,
    stack: Vec<usize>,
    texts: usize,
}

impl ProseWalker {
    /// Feeds one event; for an eligible text event, returns `(text index, block)`.
    fn observe(&mut self, event: &Event) -> Option<(usize, usize)> {
        match event {
            Event::Start(Tag::Link { .. }) => self.link += 1,
            Event::End(TagEnd::Link) => self.link = self.link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.image += 1,
            Event::End(TagEnd::Image) => self.image = self.image.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::Start(tag) if is_block(tag) => {
                self.stack.push(self.blocks);
                self.blocks += 1;
            }
            Event::End(end) if is_block_end(end) => {
                self.stack.pop();
            }
            Event::Text(_) if self.link == 0 && self.image == 0 && self.code == 0 => {
                let index = self.texts;
                self.texts += 1;
                return Some((index, self.stack.last().copied().unwrap_or(usize::MAX)));
            }
            _ => {}
        }
        None
    }
}

/// A text event of editors' prose that may carry number links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProseText {
    /// Index among eligible text events (see [`NumberLink::text`]).
    pub index: usize,
    /// The block (paragraph, heading, item, cell) it belongs to; `usize::MAX` outside any.
    pub block: usize,
    pub text: String,
    /// Byte range in the source.
    pub range: std::ops::Range<usize>,
    /// Whether the source bytes are the text itself (no escapes or entities),
    /// so character positions map onto the file.
    pub verbatim: bool,
}

/// Every text event of the prose that is not inside a link, image or code.
pub fn prose_texts(source: &str) -> Vec<ProseText> {
    let mut walker = ProseWalker::default();
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        if let Some((index, block)) = walker.observe(&event)
            && let Event::Text(t) = &event
        {
            out.push(ProseText {
                index,
                block,
                verbatim: source.get(range.clone()) == Some(&**t),
                text: t.to_string(),
                range,
            });
        }
    }
    out
}

/// A number in prose linked to its figure's source sentence: characters
/// `start..end` of eligible text event `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberLink {
    pub text: usize,
    pub start: usize,
    pub end: usize,
    pub href: String,
    /// Where the number is from, for readers who hover.
    pub title: String,
}

/// Renders editors' prose (program and brand bodies, region summaries) with
/// its numbers linked (`links` sorted by text, start; from `model::prose`).
/// Official text never comes here: documents use [`to_html_at`].
pub fn to_html_linked(source: &str, base_path: &str, links: &[NumberLink]) -> Html {
    render(source, &[], base_path, links)
}

/// Escapes one text event, wrapping the linked numbers.
fn link_text(text: &str, links: &[&NumberLink]) -> String {
    let mut out = String::new();
    let mut open = false;
    let mut end = 0;
    let mut next = links.iter().peekable();
    // The text since the last tag, escaped in one go when the next tag comes.
    let mut run = 0;
    for (i, (at, _)) in text.char_indices().enumerate() {
        if open && i >= end {
            push_escaped(&mut out, &text[run..at]);
            run = at;
            out.push_str("</a>");
            open = false;
        }
        if !open && let Some(l) = next.next_if(|l| l.start == i) {
            push_escaped(&mut out, &text[run..at]);
            run = at;
            out.push_str(&format!(
                "<a class=\"figure-link\" href=\"{}\" title=\"{}\">",
                escape_html(&l.href),
                escape_html(&l.title)
            ));
            open = true;
            end = l.end;
        }
    }
    push_escaped(&mut out, &text[run..]);
    if open {
        out.push_str("</a>");
    }
    out
}

/// Output of [`to_html`].
#[derive(Clone, Debug, Default)]
pub struct Html {
    pub html: String,
    /// `(level, id, text)` of each `##`/`###` heading, for a table of contents.
    pub headings: Vec<(u8, String, String)>,
}

/// Renders Markdown to HTML. `highlights` must be sorted by (block, start) and
/// not overlap. Headings are shifted down one level (the page title is the `h1`)
/// and get ids `h-1`, `h-2`… for links.
pub fn to_html(source: &str, highlights: &[Highlight]) -> Html {
    to_html_at(source, highlights, "/")
}

/// [`to_html`] for a site under `base_path` (`/skills/`): links written from the
/// site root (`/regions/`) get the base path in front, as the link gate reads
/// them; links that content checks refuse (`javascript:`…) never become links.
pub fn to_html_at(source: &str, highlights: &[Highlight], base_path: &str) -> Html {
    render(source, highlights, base_path, &[])
}

fn render(source: &str, highlights: &[Highlight], base_path: &str, links: &[NumberLink]) -> Html {
    let mut walker = ProseWalker::default();
    let mut events: Vec<Event> = Vec::new();
    let mut block_count = 0usize;
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (block, chars so far)
    let mut pending = highlights.iter().peekable();
    let mut open: Option<&Highlight> = None;
    let mut headings = Vec::new();
    let mut heading_text: Option<String> = None;
    for event in Parser::new_ext(source, options()) {
        let prose = walker.observe(&event);
        if let (Some((index, _)), Event::Text(t)) = (prose, &event) {
            let here: Vec<&NumberLink> = links.iter().filter(|l| l.text == index).collect();
            if !here.is_empty() {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(t);
                }
                if let Some((_, offset)) = stack.last_mut() {
                    *offset += t.chars().count();
                }
                events.push(Event::Html(CowStr::from(link_text(t, &here))));
                continue;
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                stack.push((block_count, 0));
                block_count += 1;
                let shifted = shift(level);
                let id = format!("h-{}", headings.len() + 1);
                headings.push((shifted, id.clone(), String::new()));
                heading_text = Some(String::new());
                events.push(Event::Html(CowStr::from(format!(
                    "<h{shifted} id=\"{id}\">"
                ))));
            }
            Event::End(TagEnd::Heading(level)) => {
                stack.pop();
                if let (Some(text), Some(last)) = (heading_text.take(), headings.last_mut()) {
                    last.2 = text;
                }
                events.push(Event::Html(CowStr::from(format!("</h{}>\n", shift(level)))));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: site_link(dest_url, base_path),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: site_link(dest_url, base_path),
                title,
                id,
            })),
            Event::Start(tag) => {
                if is_block(&tag) {
                    stack.push((block_count, 0));
                    block_count += 1;
                }
                events.push(Event::Start(tag));
            }
            Event::End(end) => {
                if is_block_end(&end) {
                    stack.pop();
                }
                events.push(Event::End(end));
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
                match stack.last_mut() {
                    Some((block, offset)) => {
                        let html = mark_text(&t, *block, offset, &mut pending, &mut open);
                        events.push(Event::Html(CowStr::from(html)));
                    }
                    None => events.push(Event::Text(t)),
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, offset)) = stack.last_mut() {
                    *offset += 1;
                }
                events.push(event);
            }
            Event::Code(t) => {
                if let Some((_, offset)) = stack.last_mut() {
                    *offset += t.chars().count();
                }
                events.push(Event::Code(t));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Html {
        html: official_layout(&html),
        headings,
    }
}

/// Marks the parts of an official text that GB/T 9704 places apart, so the
/// theme can lay them out (on screen and in print) without changing a
/// character: `od-number` (发文字号, centred), `od-title` (a plan's or an
/// attachment's title, centred), `od-signature` (落款, the short line right
/// before the date, right-aligned) and `od-date` (成文日期, right-aligned).
/// Only whole paragraphs are recognised, by their text alone.
fn official_layout(html: &str) -> String {
    let lines: Vec<&str> = html.split_inclusive('\n').collect();
    let texts: Vec<Option<Cow<str>>> = lines.iter().map(|l| paragraph_text(l)).collect();
    let mut out = String::with_capacity(html.len() + 64);
    for (i, line) in lines.iter().enumerate() {
        let class = texts[i].as_deref().and_then(|text| {
            let next_is_date = texts
                .get(i + 1)
                .and_then(|t| t.as_deref())
                .is_some_and(is_date);
            if is_date(text) {
                Some("od-date")
            } else if is_doc_number(text) {
                Some("od-number")
            } else if next_is_date
                && is_short_line(text, SIGNATURE_MAX)
                && !text.starts_with(['(', '（'])
            {
                Some("od-signature")
            } else if is_short_line(text, TITLE_MAX) && is_title(text) {
                Some("od-title")
            } else {
                None
            }
        });
        match class {
            Some(class) => {
                out.push_str(&format!("<p class=\"{class}\">"));
                out.push_str(&line[3..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The text of a line that is one whole `<p>…</p>`, tags removed; `None`
/// also for a paragraph that cannot be any part [`official_layout`] marks
/// (longer than a title, and no document number), whose text is not needed.
fn paragraph_text(line: &str) -> Option<Cow<'_, str>> {
    let inner = line.trim_end().strip_prefix("<p>")?.strip_suffix("</p>")?;
    // Most paragraphs hold no tag: their text is the line's own.
    if !inner.contains('<') {
        return Some(Cow::Borrowed(inner.trim()));
    }
    let may_be_number = inner.contains('〔');
    let mut text = String::new();
    let mut counted = 0;
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => {
                text.push(c);
                counted += usize::from(!c.is_whitespace());
                if counted > TITLE_MAX && !may_be_number {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(Cow::Owned(text.trim().to_owned()))
}

/// The most chars a title (`od-title`) and a signature (`od-signature`) have.
const TITLE_MAX: usize = 40;
const SIGNATURE_MAX: usize = 30;

/// 2025年5月2日
fn is_date(text: &str) -> bool {
    let mut rest = text;
    for (digits, mark) in [(4..=4, '年'), (1..=2, '月'), (1..=2, '日')] {
        let n = rest.chars().take_while(char::is_ascii_digit).count();
        if !digits.contains(&n) {
            return false;
        }
        rest = &rest[n..];
        match rest.strip_prefix(mark) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// 宛开办〔2022〕5号
fn is_doc_number(text: &str) -> bool {
    let Some((head, tail)) = text.split_once('〔') else {
        return false;
    };
    let Some((year, number)) = tail.split_once('〕') else {
        return false;
    };
    let number = number.strip_suffix('号').unwrap_or("-");
    !head.is_empty()
        && head.chars().count() <= 12
        && !head.contains(['。', '，', '：', ':'])
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// A line, not a sentence: short and without sentence punctuation.
fn is_short_line(text: &str, max: usize) -> bool {
    let n = text.chars().count();
    n > 0 && n <= max && !text.contains(['。', '，', ',', '；', ';', '：', ':', '！', '？'])
}

/// Ends like the title of a plan or an attachment (……工作方案, ……指导计划).
fn is_title(text: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "方案", "计划", "办法", "意见", "通知", "规定", "细则", "要点", "清单", "规划",
    ];
    !text.starts_with(['(', '（', '附']) && ENDINGS.iter().any(|e| text.ends_with(e))
}

/// A link destination as published: the base path before links from the site
/// root; refused schemes emptied (content checks report them).
fn site_link<'a>(dest: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    use super::link::{Link, classify};
    match classify(&dest) {
        Err(_) => CowStr::from("#"),
        Ok(Link::SiteRelative) if !dest.starts_with(base_path) => {
            CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), dest))
        }
        Ok(_) => dest,
    }
}

fn shift(level: HeadingLevel) -> u8 {
    (level as u8 + 1).min(6)
}

/// Escapes one text event, opening and closing `<mark>`s at highlight boundaries.
/// A mark never spans two events: it is closed at the end of each and reopened,
/// so the HTML stays well nested whatever inline tags lie between.
fn mark_text<'h>(
    text: &str,
    block: usize,
    offset: &mut usize,
    pending: &mut std::iter::Peekable<std::slice::Iter<'h, Highlight>>,
    open: &mut Option<&'h Highlight>,
) -> String {
    let mut out = String::new();
    // No mark open and none to come in this block (a body without figures,
    // most blocks of one with them): the text is only escaped.
    if open.is_none() && pending.peek().is_none_or(|h| h.block > block) {
        *offset += text.chars().count();
        push_escaped(&mut out, text);
        return out;
    }
    if let Some(h) = open {
        if h.block == block {
            out.push_str(&format!("<mark><a href=\"{}\">", escape_html(&h.href)));
        } else {
            *open = None;
        }
    }
    // The text since the last tag, escaped in one go when the next tag comes.
    let mut run = 0;
    for (at, _) in text.char_indices() {
        let position = *offset;
        if let Some(h) = open {
            if position >= h.end {
                push_escaped(&mut out, &text[run..at]);
                run = at;
                out.push_str("</a></mark>");
                *open = None;
            }
        }
        while pending
            .peek()
            .is_some_and(|h| (h.block, h.start) < (block, position) && open.is_none())
        {
            pending.next();
        }
        if open.is_none() {
            if let Some(h) = pending
                .peek()
                .filter(|h| h.block == block && h.start == position)
            {
                push_escaped(&mut out, &text[run..at]);
                run = at;
                out.push_str(&format!(
                    "<mark id=\"{}\"><a href=\"{}\">",
                    escape_html(&h.id),
                    escape_html(&h.href)
                ));
                *open = Some(h);
                pending.next();
            }
        }
        *offset += 1;
    }
    push_escaped(&mut out, &text[run..]);
    if let Some(h) = open {
        if *offset >= h.end {
            *open = None;
        }
        out.push_str("</a></mark>");
    }
    out
}

fn push_escaped(out: &mut String, text: &str) {
    html_escape::encode_double_quoted_attribute_to_string(text, out);
}

/// Markdown that does not do what the editor meant: leftover `**` (CJK text
/// defeats CommonMark's emphasis rules) and raw HTML (shown as text).
pub fn lint(source: &str, file: FileId, offset: usize, sink: &mut Diagnostics) {
    let mut lint = Lint::new(source, file, offset);
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        lint.see(&event, range, sink);
    }
    lint.finish(sink);
}

/// [`lint`], event by event.
struct Lint<'a> {
    source: &'a str,
    file: FileId,
    offset: usize,
    /// Unmatched `*` come out as separate text events: the run of adjacent
    /// text so far.
    run: Option<std::ops::Range<usize>>,
}

impl<'a> Lint<'a> {
    fn new(source: &'a str, file: FileId, offset: usize) -> Self {
        Lint {
            source,
            file,
            offset,
            run: None,
        }
    }

    fn see(&mut self, event: &Event, range: std::ops::Range<usize>, sink: &mut Diagnostics) {
        match event {
            Event::Text(_) => match &mut self.run {
                Some(r) if r.end == range.start => r.end = range.end,
                _ => {
                    self.finish(sink);
                    self.run = Some(range);
                }
            },
            Event::Html(t) | Event::InlineHtml(t)
                if t.trim_start().starts_with('<') && !t.trim_start().starts_with("<!--") =>
            {
                self.finish(sink);
                let at = self.offset + range.start;
                sink.push(
                    Diagnostic::warning(
                        Code::RawHtml,
                        Span::new(self.file, at, self.offset + range.end),
                        "正文中的 HTML 会按文字原样显示，不会生效",
                    )
                    .label("HTML")
                    .help("请用 Markdown 书写格式；如确需原文中的尖括号，可忽略此提示"),
                );
            }
            _ => self.finish(sink),
        }
    }

    /// Reports a `**` left in the run of text that just ended.
    fn finish(&mut self, sink: &mut Diagnostics) {
        if let Some(range) = self.run.take() {
            if let Some(i) = self.source[range.clone()].find("**") {
                let at = self.offset + range.start + i;
                sink.push(
                    Diagnostic::warning(
                        Code::LeftoverEmphasis,
                        Span::new(self.file, at, at + 2),
                        "这里的 ** 没有变成粗体，会原样显示",
                    )
                    .label("未生效的 **")
                    .help("中文紧挨着 ** 时加粗常常不生效：在 ** 外侧加一个空格，或删掉 **"),
                );
            }
        }
    }
}

/// The link targets of a Markdown text, each with its byte range in it.
pub type Links = Vec<(String, std::ops::Range<usize>)>;

/// Every link target in the Markdown, with its byte range in `source`.
pub fn links(source: &str) -> Links {
    // A link or image is written with `[` (inline, reference, image) or `<`
    // (autolink); an entity is text, never syntax. Most bodies have neither
    // and are not parsed for no link.
    if !source.contains(['[', '<']) {
        return Links::new();
    }
    parsed_links(source)
}

fn parsed_links(source: &str) -> Links {
    Parser::new_ext(source, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            // `<a@b.cn>` is written without its scheme; the HTML says mailto:.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => Some((format!("mailto:{dest_url}"), range)),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), range)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_brackets_or_angles_has_no_links() {
        let without = [
            "http://example.org/ www.example.org a@b.cn mailto:a@b.cn",
            "&#91;文字&#93;(/regions/) &lt;http://example.org/&gt; &#60;a@b.cn&#62;",
            "| 甲 | 乙 |\n| - | - |\n| (/x/) | ~~删~~ |\n\n脚注^1 与 (说明)：见 /documents/a/",
            "    (/indented/code)\n\n```\n(/fenced/)\n```\n",
        ];
        for md in without {
            assert!(!md.contains(['[', '<']), "{md}");
            assert_eq!(parsed_links(md), Links::new(), "{md}");
            assert_eq!(links(md), Links::new(), "{md}");
        }
        let with = [
            "[原文](/documents/a/) ![图](/i.png) <http://example.org/> <a@b.cn>",
            "[甲][1]\n\n[1]: /regions/\n",
        ];
        for md in with {
            assert!(!parsed_links(md).is_empty(), "{md}");
            assert_eq!(links(md), parsed_links(md), "{md}");
        }
    }

    #[test]
    fn one_reading_lints_and_blocks_as_two_did() {
        let samples = [
            "",
            "一段**没有生效的粗体**文字。\n\n第二段 **生效** 的。",
            "# 标题\n\n- 项目一<b>粗</b>\n- 项目二 **\n\n| 甲 | 乙 |\n| - | - |\n| 1 | <i>2</i> |\n",
            "<div>整块 HTML</div>\n\n<!-- 注释 -->\n\n行内 `代码` 与**残留\n换行",
            "> 引文**一\n>\n> 引文二[^1]\n\n[^1]: 脚注 ** 文字",
        ];
        for (n, md) in samples.iter().enumerate() {
            let file = FileId(n as u32);
            let (mut apart, mut together) = (Diagnostics::new(), Diagnostics::new());
            lint(md, file, 7, &mut apart);
            let blocks = lint_and_blocks(md, file, 7, &mut together);
            assert_eq!(blocks, plain_blocks(md), "{md:?}");
            let messages = |d: &Diagnostics| format!("{:?}", d.iter().collect::<Vec<_>>());
            assert_eq!(messages(&together), messages(&apart), "{md:?}");
        }
        // The samples do have messages to compare.
        let mut sink = Diagnostics::new();
        lint_and_blocks(samples[1], FileId(0), 0, &mut sink);
        lint_and_blocks(samples[2], FileId(0), 0, &mut sink);
        assert!(sink.iter().any(|d| d.code == Code::LeftoverEmphasis));
        assert!(sink.iter().any(|d| d.code == Code::RawHtml));
    }

    #[test]
    fn blocks_are_paragraphs_items_and_cells() {
        let md = "## 一、总体\n\n第一段，\n续行。\n\n- 甲项\n- 乙项\n\n| a | b |\n|---|---|\n| 格1 | 格2 |\n";
        let blocks = plain_blocks(md);
        assert_eq!(
            blocks,
            vec![
                "一、总体",
                "第一段，\n续行。",
                "甲项",
                "乙项",
                "a",
                "b",
                "格1",
                "格2"
            ]
        );
    }

    #[test]
    fn raw_html_is_text_not_markup() {
        let html = to_html(
            "正文<script>alert(1)</script>\n\n<div onclick=x>块</div>\n",
            &[],
        )
        .html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn site_links_get_the_base_path_and_refused_links_go() {
        let md = "[a](/regions/) [b](/s/regions/) [c](../x/) [d](JaVaScRiPt:alert(1)) [e](https://e.org/)\n";
        let html = to_html_at(md, &[], "/s/").html;
        assert!(html.contains("href=\"/s/regions/\">a"), "{html}");
        assert!(html.contains("href=\"/s/regions/\">b"), "{html}");
        assert!(html.contains("href=\"../x/\">c"), "{html}");
        assert!(html.contains("href=\"#\">d"), "{html}");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://e.org/\">e"), "{html}");
        assert_eq!(
            to_html("[a](/regions/)", &[]).html,
            "<p><a href=\"/regions/\">a</a></p>\n"
        );
    }

    #[test]
    fn highlights_wrap_the_quoted_characters() {
        let md = "前文。全市完成培训34.08万人。后文\n";
        let h = Highlight {
            block: 0,
            start: 3,
            end: 17,
            id: "q-1".into(),
            href: "#f-1".into(),
        };
        let html = to_html(md, &[h]).html;
        assert!(
            html.contains(
                "前文。<mark id=\"q-1\"><a href=\"#f-1\">全市完成培训34.08万人。</a></mark>后文"
            ),
            "{html}"
        );
    }

    #[test]
    fn highlights_across_inline_tags_stay_nested() {
        let md = "甲*乙*丙\n";
        let h = Highlight {
            block: 0,
            start: 0,
            end: 3,
            id: "q".into(),
            href: "#f".into(),
        };
        let html = to_html(md, &[h]).html;
        assert_eq!(
            html.matches("<mark").count(),
            html.matches("</mark>").count()
        );
        assert!(
            html.contains("<em><mark><a href=\"#f\">乙</a></mark></em>"),
            "{html}"
        );
    }

    #[test]
    fn official_parts_get_classes_and_keep_their_text() {
        let source = "宛开办〔2022〕5号\n\n现将方案印发给你们，请认真贯彻执行。\n\n南阳高新区综合办公室\n\n2022年1月26日\n\n(此件主动公开)\n\n南阳高新区高质量推进“人人持证、技能河南”建设工作方案\n\n下一步，我们将继续推进。\n\n2024年7月24日\n\n*2024年8月1日*\n";
        let html = to_html(source, &[]).html;
        // A paragraph's text is read with its inline tags left out.
        assert!(
            html.contains("<p class=\"od-date\"><em>2024年8月1日</em></p>"),
            "{html}"
        );
        // However long it is, a document number with tags is still one; a long
        // title with tags is no title.
        let starts = |md: String, start: &str| {
            let html = to_html(&md, &[]).html;
            assert!(html.starts_with(start), "{html}");
        };
        starts(
            format!("*宛开办*〔2022〕{}号", "1".repeat(60)),
            "<p class=\"od-number\"><em>",
        );
        starts(format!("*南阳*{}工作方案", "高".repeat(35)), "<p><em>");
        starts(
            format!("*南阳*{}工作方案", "高".repeat(34)),
            "<p class=\"od-title\"><em>",
        );
        assert!(
            html.contains("<p class=\"od-number\">宛开办〔2022〕5号</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"od-signature\">南阳高新区综合办公室</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"od-date\">2022年1月26日</p>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<p class=\"od-title\">南阳高新区高质量推进“人人持证、技能河南”建设工作方案</p>"
            ),
            "{html}"
        );
        // A sentence before a date is no signature; a note is no title.
        assert!(html.contains("<p>下一步，我们将继续推进。</p>"), "{html}");
        assert!(html.contains("<p>(此件主动公开)</p>"), "{html}");
        assert!(
            html.contains("<p>现将方案印发给你们，请认真贯彻执行。</p>"),
            "{html}"
        );
        assert!(!is_date("2022年1月26日前") && !is_date("22年1月2日"));
        assert!(!is_doc_number("根据〔2022〕5号文件精神"));
    }

    #[test]
    fn number_links_skip_links_and_code_and_keep_heading_ids() {
        let md = "## 目标6万人次\n\n[培训3万人次](/x/) `5万人` 培训3万人次。\n";
        let texts = prose_texts(md);
        // The link's text and the code are not prose a number link may enter.
        let eligible: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(eligible, vec!["目标6万人次", " ", " 培训3万人次。"]);
        let links: Vec<NumberLink> = texts
            .iter()
            .filter_map(|t| {
                let start = t.text.chars().position(|c| c.is_ascii_digit())?;
                Some(NumberLink {
                    text: t.index,
                    start,
                    end: start + 4,
                    href: "/d/#q-1".into(),
                    title: "原文".into(),
                })
            })
            .collect();
        let out = to_html_linked(md, "/", &links);
        let a = "<a class=\"figure-link\" href=\"/d/#q-1\" title=\"原文\">";
        assert!(
            out.html
                .contains(&format!("<h3 id=\"h-1\">目标{a}6万人次</a></h3>")),
            "{}",
            out.html
        );
        assert_eq!(out.headings[0].2, "目标6万人次");
        assert!(
            out.html.contains("<a href=\"/x/\">培训3万人次</a>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<code>5万人</code>"), "{}", out.html);
        assert!(
            out.html.contains(&format!(" 培训{a}3万人次</a>。")),
            "{}",
            out.html
        );
        // Documents (official text) never get number links.
        assert!(!to_html_at(md, &[], "/").html.contains("figure-link"));
    }

    #[test]
    fn headings_shift_down_and_get_ids() {
        let out = to_html("## 一、总体要求\n\n正文\n", &[]);
        assert!(
            out.html.contains("<h3 id=\"h-1\">一、总体要求</h3>"),
            "{}",
            out.html
        );
        assert_eq!(out.headings, vec![(3, "h-1".into(), "一、总体要求".into())]);
    }

    #[test]
    fn lint_warns_about_raw_html_but_not_comments() {
        let mut sink = Diagnostics::new();
        lint(
            "正文<script>x</script>\n\n<!-- 注释 -->\n",
            FileId(0),
            0,
            &mut sink,
        );
        let html: Vec<_> = sink.iter().filter(|d| d.code == Code::RawHtml).collect();
        assert!(!html.is_empty());
        let comment_at = "正文<script>x</script>\n\n".len();
        assert!(
            html.iter()
                .all(|d| d.primary.as_ref().unwrap().span.start < comment_at),
            "comments are not warned about"
        );
    }

    #[test]
    fn lint_finds_leftover_emphasis_with_position() {
        let mut sink = Diagnostics::new();
        let md = "第一行\n\n**注意：**正文\n";
        lint(md, FileId(0), 100, &mut sink);
        let d = sink.iter().next().unwrap();
        assert_eq!(d.code, Code::LeftoverEmphasis);
        assert_eq!(
            d.primary.as_ref().unwrap().span.start,
            100 + md.find("**").unwrap()
        );
    }
}
