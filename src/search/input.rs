//! What Pagefind is given of a page: only what it indexes. A rendered page is
//! about twice the markup Pagefind reads (navigation, header and footer
//! outside `<main>`, class and href attributes, inline SVG charts it drops
//! anyway), and parsing it was most of the indexing time. So each page is cut
//! down, in one pass over our own templates' output, to
//! `<html lang><body>` + the `data-pagefind-body` element with the elements
//! Pagefind removes left out and only the attributes it reads kept; and in
//! that same pass Pagefind's parser rules are driven with what is kept
//! ([`digest_marked`]), so the cut-down page itself is only written out
//! ([`slim_marked`]) for markup only an HTML parser can read.
//!
//! Text is kept as it is, but bounded: Pagefind's indexing is quadratic in how
//! often a pair of characters repeats in one page (a 300 KB run of one 汉字
//! took half a minute), so text beyond [`MAX_INDEXED_CHARS`] and runs of one
//! character longer than [`MAX_RUN`] are left out. The pages keep all their text.

use std::borrow::Cow;

use crate::render::markup::{RAW_TEXT, Tag, attribute, each_attribute, next_byte, tag_at};

/// Characters of text Pagefind indexes per page: four times the longest
/// document of the default site.
pub const MAX_INDEXED_CHARS: usize = 50_000;
/// Longest run of one repeated character that is indexed.
pub const MAX_RUN: usize = 8;

/// Elements Pagefind leaves out of the index with everything inside them
/// (its parser's removal list), so they are not handed to it at all.
const DROPPED: &[&str] = &[
    "svg", "script", "style", "noscript", "nav", "footer", "form", "label", "iframe", "template",
    "head",
];

/// The page as Pagefind needs it. A page without a `data-pagefind-body`
/// element is given whole (Pagefind then indexes nothing of it, as before).
pub fn slim(html: &str) -> String {
    slim_marked(html).unwrap_or_else(|| bounded(html))
}

/// [`slim`] of a page with a `data-pagefind-body` element; `None` without one.
pub fn slim_marked(html: &str) -> Option<String> {
    let body = Body::of(html)?;
    let mut out = String::with_capacity(body.html.len() / 2 + 64);
    body.walk(&mut out);
    Some(out)
}

/// What Pagefind's parser rules make of a page with a `data-pagefind-body`
/// element: the same as [`replay`] of its [`slim_marked`] page, read in the
/// one pass over the page that would have slimmed it (the slimmed page is
/// neither written nor read again), and a digest of what it read (the
/// element and the page's language: equal for pages Pagefind reads the
/// same). `None` without the element, or when the replay would hand the
/// page back to be parsed.
pub fn digest_marked(html: &str) -> Option<(pagefind::DomParserResult, u64)> {
    let body = Body::of(html)?;
    let mut builder = pagefind::DigestBuilder::silent();
    let mut replay = Replay::new(&mut builder);
    body.walk(&mut replay);
    let key = super::key_of(&[body.lang.unwrap_or_default(), body.html]);
    replay.finished().then(|| (builder.wrap(), key))
}

/// The part of a page Pagefind reads: from the `data-pagefind-body` element's
/// start tag to the page's last `</main>`, and the page's language.
struct Body<'a> {
    html: &'a str,
    lang: Option<&'a str>,
}

impl<'a> Body<'a> {
    fn of(html: &'a str) -> Option<Self> {
        let (open_start, open_end) = body_tag(html)?;
        let close = memchr::memmem::rfind(&html.as_bytes()[open_end..], b"</main>")
            .map_or(html.len(), |at| open_end + at);
        let lang = html
            .find("<html")
            .and_then(|at| tag_at(html, at))
            .and_then(|tag| attribute(tag.attributes, "lang"));
        Some(Body {
            html: &html[open_start..close],
            lang,
        })
    }

    /// `<html lang><body>`, the body element, `</main></body></html>`.
    fn walk(&self, sink: &mut impl Sink<'a>) {
        let lang = self.lang.map(|lang| (Cow::Borrowed("lang"), lang));
        sink.tag(&made("html", false), lang.as_slice());
        sink.tag(&made("body", false), &[]);
        Walker::default().walk(self.html, sink);
        for name in ["main", "body", "html"] {
            sink.tag(&made(name, true), &[]);
        }
    }
}

/// Where the `<main … data-pagefind-body …>` tag starts and ends.
fn body_tag(html: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    // memchr's vectorised search: `str::find` read each page's head and
    // header here at a tenth of the speed.
    while let Some(at) = memchr::memmem::find(&html.as_bytes()[from..], b"<main").map(|i| from + i)
    {
        let tag = tag_at(html, at)?;
        if tag.attributes.contains("data-pagefind-body") {
            return Some((at, tag.end));
        }
        from = tag.end;
    }
    None
}

/// The whole page with its text bounded, for a page without a body element.
fn bounded(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    Walker::default().text_only_bounds(html, &mut out);
    out
}

/// Attributes Pagefind reads: the language, anchors, images' text, and its
/// own `data-pagefind-*` instructions.
/// Names are matched in any case, as an HTML parser matches them.
fn is_read(name: &str) -> bool {
    ["lang", "id", "src", "alt"]
        .iter()
        .any(|read| name.eq_ignore_ascii_case(read))
        || name
            .get(..14)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("data-pagefind-"))
}

/// Copies markup and text, keeping count of the text for the bounds.
#[derive(Default)]
struct Walker {
    count: usize,
    run: usize,
    previous: char,
}

impl Walker {
    fn walk<'a>(&mut self, html: &'a str, sink: &mut impl Sink<'a>) {
        // The attributes of one tag, kept between tags.
        let mut read: Vec<Attribute<'a>> = Vec::new();
        let mut at = 0;
        while at < html.len() {
            let Some(lt) = next_byte(html, at, b'<') else {
                self.text(&html[at..], sink);
                break;
            };
            self.text(&html[at..lt], sink);
            if html[lt..].starts_with("<!--") {
                at = html[lt..].find("-->").map_or(html.len(), |i| lt + i + 3);
                continue;
            }
            let Some(tag) = tag_at(html, lt) else {
                break;
            };
            at = tag.end;
            if tag.name.is_empty() || tag.name.starts_with('!') {
                continue;
            }
            if !tag.closing && !tag.self_closing && DROPPED.contains(&tag.name) {
                at = skip_element(html, tag.end, tag.name, |_| {});
                continue;
            }
            if let Some(end) = ignored_element_end(html, &tag) {
                at = end;
                continue;
            }
            read.clear();
            read.extend(
                each_attribute(tag.attributes)
                    .filter(|(n, _)| is_read(n))
                    // Lower case, as Pagefind reads the names.
                    .map(|(name, value)| (lower_case(name), value)),
            );
            sink.tag(&tag, &read);
        }
    }

    /// A whole page with its tags as they are and its text bounded.
    fn text_only_bounds(&mut self, html: &str, out: &mut String) {
        let mut in_tag = false;
        for c in html.chars() {
            if in_tag || c == '<' {
                in_tag = c != '>';
                out.push(c);
            } else {
                self.push(c, out);
            }
        }
    }

    /// Nearly all text is kept whole, so it is handed on at once up to the
    /// first char left out, and only the rest char by char.
    fn text<'a>(&mut self, text: &'a str, sink: &mut impl Sink<'a>) {
        for (at, c) in text.char_indices() {
            if !self.keeps(c) {
                sink.text(&text[..at]);
                let mut rest = String::new();
                for c in text[at + c.len_utf8()..].chars() {
                    self.push(c, &mut rest);
                }
                sink.text(&rest);
                return;
            }
        }
        sink.text(text);
    }

    fn push(&mut self, c: char, out: &mut String) {
        if self.keeps(c) {
            out.push(c);
        }
    }

    /// Whether `c`, coming next, is within the bounds (and counts it).
    /// Asked for every char of a page's text, so inlined into its loops.
    #[inline(always)]
    fn keeps(&mut self, c: char) -> bool {
        if c == self.previous {
            self.run += 1;
        } else {
            self.run = 1;
            self.previous = c;
        }
        if c.is_whitespace() {
            return true;
        }
        let kept = self.run <= MAX_RUN && self.count < MAX_INDEXED_CHARS;
        self.count += usize::from(kept);
        kept
    }
}

/// Where [`Walker`] hands what Pagefind reads of a page: text, and tags with
/// the attributes Pagefind reads (names in lower case, in page order).
trait Sink<'a> {
    fn text(&mut self, text: &str);
    /// `tag`'s own attribute text is not read: `read` holds what is kept.
    fn tag(&mut self, tag: &Tag<'a>, read: &[Attribute<'a>]);
}

/// An attribute Pagefind reads: its name in lower case, its raw value.
type Attribute<'a> = (Cow<'a, str>, &'a str);

/// A tag the walker makes itself (the cut-down page's frame), not read from
/// the page.
fn made(name: &str, closing: bool) -> Tag<'_> {
    Tag {
        name,
        closing,
        self_closing: false,
        attributes: "",
        end: 0,
    }
}

/// The slimmed page, as markup.
impl<'a> Sink<'a> for String {
    fn text(&mut self, text: &str) {
        self.push_str(text);
    }

    fn tag(&mut self, tag: &Tag<'a>, read: &[Attribute<'a>]) {
        self.push('<');
        if tag.closing {
            self.push('/');
        }
        self.push_str(tag.name);
        for (name, value) in read {
            let quote = if value.contains('"') { '\'' } else { '"' };
            self.push(' ');
            self.push_str(name);
            self.push('=');
            self.push(quote);
            self.push_str(value);
            self.push(quote);
        }
        if tag.self_closing {
            self.push_str(" /");
        }
        self.push('>');
    }
}

/// An attribute name in lower case, copied only when it is not already.
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Drives Pagefind's parser rules with a page's elements and text, by the
/// rules [`replay`] reads a slimmed page with: the first markup it would
/// hand back to be parsed stops it.
struct Replay<'a, 'b> {
    builder: &'b mut pagefind::DigestBuilder,
    open: Vec<(&'a str, pagefind::OpenElement)>,
    seen_html: bool,
    failed: bool,
}

impl<'a, 'b> Replay<'a, 'b> {
    fn new(builder: &'b mut pagefind::DigestBuilder) -> Self {
        Replay {
            builder,
            open: Vec::new(),
            seen_html: false,
            failed: false,
        }
    }

    /// Whether the whole page was replayed (and is not one to parse).
    fn finished(&self) -> bool {
        !self.failed && self.open.is_empty() && self.seen_html
    }
}

impl<'a> Sink<'a> for Replay<'a, '_> {
    fn text(&mut self, text: &str) {
        if self.failed || text.is_empty() {
            return;
        }
        if self.open.is_empty() {
            // Text outside <html> is not Pagefind's.
            self.failed = !text.trim().is_empty();
        } else {
            self.builder.text(text);
        }
    }

    fn tag(&mut self, tag: &Tag<'a>, read: &[Attribute<'a>]) {
        let (name, closing) = (tag.name, tag.closing);
        if self.failed {
            return;
        }
        let plain = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !plain || RAW_TEXT.contains(&name) {
            self.failed = true;
            return;
        }
        if closing {
            match self.open.pop() {
                Some((open, element)) if open == name => self.builder.end(&element, name),
                _ => self.failed = true,
            }
            return;
        }
        // Only the <html> element comes first, and only once.
        if self.open.is_empty() && (self.seen_html || name != "html") {
            self.failed = true;
            return;
        }
        self.seen_html = true;
        let attribute = |wanted: &str| {
            read.iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| (*value).to_owned())
        };
        // A void element comes back closed already.
        if let Some(element) = self.builder.element(name, &attribute) {
            self.open.push((name, element));
        }
    }
}

/// Hands a slimmed page ([`slim`]) to Pagefind's parser rules element by
/// element, so Pagefind does not parse it again. `false` when the page is
/// not the plain, well-formed markup our templates make (an end tag that
/// closes another element, an element left open, a comment, raw-text
/// elements, upper-case names): only an HTML parser knows what such a page
/// means, so Pagefind is then given the HTML itself.
pub fn replay(slim: &str, builder: &mut pagefind::DigestBuilder) -> bool {
    let mut replay = Replay::new(builder);
    let mut read = Vec::new();
    let mut at = 0;
    while at < slim.len() && !replay.failed {
        let lt = next_byte(slim, at, b'<').unwrap_or(slim.len());
        replay.text(&slim[at..lt]);
        if lt == slim.len() {
            break;
        }
        let Some(tag) = tag_at(slim, lt) else {
            return false;
        };
        at = tag.end;
        read.clear();
        read.extend(each_attribute(tag.attributes).map(|(n, v)| (Cow::Borrowed(n), v)));
        replay.tag(&tag, &read);
    }
    replay.finished()
}

/// Where an element marked `data-pagefind-ignore` ends, when leaving it out
/// changes nothing Pagefind makes: it indexes no text of it, and its anchors
/// are never shown. Kept when anything inside still counts for Pagefind even
/// when ignored (metadata, filters and sort keys, a page's first `<h1>` as its
/// title, an `<img>` as its image), and for void elements (no end tag to find).
fn ignored_element_end(html: &str, tag: &Tag) -> Option<usize> {
    // Nearly every tag has no instruction at all: found without reading its
    // attributes one by one.
    if tag.closing
        || tag.self_closing
        || !tag.attributes.contains("data-pagefind-")
        || pagefind::is_void_element(tag.name)
    {
        return None;
    }
    let instructions: Vec<&str> = each_attribute(tag.attributes)
        .map(|(name, _)| name)
        .filter(|name| name.starts_with("data-pagefind-"))
        .collect();
    if instructions != ["data-pagefind-ignore"] {
        return None;
    }
    let mut still_counts = false;
    let end = skip_element(html, tag.end, tag.name, |inner| {
        still_counts |= !inner.closing && counts_when_ignored(inner);
    });
    (!still_counts).then_some(end)
}

/// Whether Pagefind reads an element even inside an ignored one: an `<h1>`,
/// an `<img>`, or any `data-pagefind-` instruction but `data-pagefind-ignore`
/// (inside an ignored element, ignoring more changes nothing). Names in any
/// case, as Pagefind's parser reads them.
fn counts_when_ignored(tag: &Tag) -> bool {
    const INSTRUCTION: &[u8] = b"data-pagefind-";
    const IGNORE: &[u8] = b"ignore";
    let attributes = tag.attributes.as_bytes();
    let is_ignore = |at: usize| {
        attributes
            .get(at..at + IGNORE.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(IGNORE))
            && !attributes
                .get(at + IGNORE.len())
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    tag.name.eq_ignore_ascii_case("h1")
        || tag.name.eq_ignore_ascii_case("img")
        || memchr::memchr2_iter(b'd', b'D', attributes).any(|at| {
            attributes
                .get(at..at + INSTRUCTION.len())
                .is_some_and(|name| name.eq_ignore_ascii_case(INSTRUCTION))
                && !is_ignore(at + INSTRUCTION.len())
        })
}

/// Where the element `name` whose start tag ends at `from` ends (after its
/// end tag), counting nested elements of the same name; `seen` is shown
/// every tag inside it.
fn skip_element(html: &str, from: usize, name: &str, mut seen: impl FnMut(&Tag)) -> usize {
    let mut depth = 1;
    let mut at = from;
    while let Some(lt) = next_byte(html, at, b'<') {
        let Some(tag) = tag_at(html, lt) else {
            return html.len();
        };
        at = tag.end;
        if tag.name.eq_ignore_ascii_case(name) && !tag.self_closing {
            if tag.closing {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            } else {
                depth += 1;
            }
        }
        seen(&tag);
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body><nav>导航</nav><main id=\"main\" class=\"wrap\" data-pagefind-body data-pagefind-meta=\"kind:文件\">\
             <h1 class=\"t\">{title}</h1><p>{body}</p></main><footer>页脚</footer></body></html>"
        )
    }

    #[test]
    fn keeps_the_body_and_what_pagefind_reads_only() {
        let html = page(
            "技能河南",
            "人人持证<a href=\"/x/\" class=\"k\">技能</a><svg viewBox=\"0 0 1 1\"><text>坐标</text><svg><text>内层</text></svg></svg>\
             <table><tr><td id=\"r1\" data-pagefind-weight=\"10\">豫人社〔2023〕1号</td></tr></table>\
             <img src=\"a.png\" alt=\"图表\"/><!-- 注释 --><script>var x = \"<p>\";</script>后文",
        );
        let slim = slim(&html);
        assert_eq!(
            slim,
            "<html lang=\"zh-CN\"><body><main id=\"main\" data-pagefind-body=\"\" data-pagefind-meta=\"kind:文件\">\
             <h1>技能河南</h1><p>人人持证<a>技能</a><table><tr><td id=\"r1\" data-pagefind-weight=\"10\">豫人社〔2023〕1号</td></tr></table>\
             <img src=\"a.png\" alt=\"图表\" />后文</p></main></body></html>"
        );
    }

    #[test]
    fn an_ignored_element_is_left_out_unless_something_in_it_still_counts() {
        let html = page(
            "标题",
            "正文<div data-pagefind-ignore><table><tr id=\"f-1\"><td>表格</td></tr></table></div>\
             <span data-pagefind-ignore=\"all\">全部</span>\
             <div data-pagefind-ignore><span data-pagefind-meta=\"k:v\">元数据</span></div>\
             <div data-pagefind-ignore><span DATA-PAGEFIND-FILTER=\"k:v\">筛选</span></div>\
             <div data-pagefind-ignore><img src=\"a.png\" alt=\"图\"></div>\
             <div data-pagefind-ignore><H1>另一标题</H1></div>\
             <div data-pagefind-ignore><svg><path d=\"M0 0\" data-x=\"d\"/></svg><p>图表说明</p></div>\
             <div data-pagefind-ignore data-pagefind-weight=\"2\">加权</div>\
             <div data-pagefind-ignore><p>嵌套<a data-pagefind-ignore>忽略</a></p></div>\
             <div data-pagefind-ignore><span data-pagefind-ignored=\"x\">近似指令</span></div>\
             <img data-pagefind-ignore src=\"b.png\">后文",
        );
        let slim = slim(&html);
        for left_out in ["表格", "全部", "图表说明", "嵌套", "忽略"] {
            assert!(!slim.contains(left_out), "{left_out} is left out: {slim}");
        }
        for kept in [
            "元数据",
            "另一标题",
            "data-pagefind-filter=\"k:v\">筛选",
            "a.png",
            "加权",
            "近似指令",
            "b.png",
            "后文",
        ] {
            assert!(slim.contains(kept), "{kept} is kept: {slim}");
        }
    }

    #[test]
    fn a_quoted_greater_than_does_not_end_a_tag() {
        let html = page(
            "标题",
            "<span title=\"a > b\" data-pagefind-meta=\"x:1>0\">正文</span>",
        );
        assert!(
            slim(&html).contains("<span data-pagefind-meta=\"x:1>0\">正文</span>"),
            "{}",
            slim(&html)
        );
    }

    #[test]
    fn pathological_text_is_cut_but_tags_stay() {
        let long = page("长", &"技".repeat(300_000));
        let cut = slim(&long);
        assert!(
            cut.contains("技技技技技技技技<"),
            "a run keeps {MAX_RUN} characters"
        );
        assert!(!cut.contains(&"技".repeat(MAX_RUN + 1)));
        assert!(cut.ends_with("</p></main></body></html>"));
        let prose = page("长", &"技能培训，".repeat(50_000));
        let cut = slim(&prose);
        assert!(cut.len() < 4 * MAX_INDEXED_CHARS + 300, "{}", cut.len());
        assert!(cut.ends_with("</p></main></body></html>"));
    }

    #[test]
    fn a_page_without_a_body_element_is_given_whole_and_bounded() {
        let html = format!("<html><body><p>{}</p></body></html>", "技".repeat(20));
        assert_eq!(
            slim(&html),
            format!("<html><body><p>{}</p></body></html>", "技".repeat(MAX_RUN))
        );
    }
}
