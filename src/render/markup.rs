//! Reading the tags of the HTML skillpress writes, without building a tree:
//! the link check wants every element's id and link target, and search wants
//! the elements of `<main>`. Quoted attribute values (which may hold `>`),
//! comments and the content of raw-text elements (`<script>`, `<style>`,
//! `<textarea>`, …, whose `<` is text) are read as an HTML parser reads them.

/// One start or end tag, read from its `<`.
pub struct Tag<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub self_closing: bool,
    pub attributes: &'a str,
    /// Byte just after the tag's `>`.
    pub end: usize,
}

/// Reads the tag starting at `html[at] == '<'`, honouring quoted attribute
/// values (which may hold `>`). `None` when the tag never ends.
pub fn tag_at(html: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let closing = bytes.get(at + 1) == Some(&b'/');
    let name_start = at + 1 + usize::from(closing);
    let name_end = bytes[name_start..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        .map_or(html.len(), |i| name_start + i);
    if bytes.get(name_end) == Some(&b'>') {
        // No attributes (most end tags, and `<tr>`, `<td>`, `<p>`, …).
        return Some(Tag {
            name: &html[name_start..name_end],
            closing,
            self_closing: false,
            attributes: "",
            end: name_end + 1,
        });
    }
    // From quote to quote to the `>` outside them (the bytes searched for
    // are ASCII, so never part of a multi-byte char).
    let mut i = name_end;
    loop {
        let found = i + memchr::memchr3(b'"', b'\'', b'>', &bytes[i..])?;
        let quote = bytes[found];
        if quote == b'>' {
            let inner = &html[name_end..found];
            return Some(Tag {
                name: &html[name_start..name_end],
                closing,
                self_closing: inner.trim_end().ends_with('/'),
                attributes: inner.trim_end().trim_end_matches('/'),
                end: found + 1,
            });
        }
        let closed = found + 1 + memchr::memchr(quote, &bytes[found + 1..])?;
        i = closed + 1;
    }
}

/// Where the next `byte` (ASCII) is in `html` from `from`, as an index into
/// `html`. The tag readers look for `<` at every tag of every page; the
/// `memchr` crate's vectorised search reads HTML several times faster than
/// `str::find` with a `char`.
pub fn next_byte(html: &str, from: usize, byte: u8) -> Option<usize> {
    debug_assert!(byte.is_ascii());
    memchr::memchr(byte, html.as_bytes().get(from..)?).map(|i| from + i)
}

/// The value of attribute `name` in a tag's attribute text.
pub fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    each_attribute(attributes).find_map(|(n, v)| (n == name).then_some(v))
}

/// The (name, raw value) pairs of a tag's attribute text; a bare attribute
/// has an empty value.
pub fn each_attribute(mut rest: &str) -> impl Iterator<Item = (&str, &str)> {
    // Read byte by byte: every byte looked for is ASCII, so never part of a
    // multi-byte char (the link check reads every attribute of every page).
    std::iter::from_fn(move || {
        rest = trim_start(rest);
        if rest.is_empty() {
            return None;
        }
        let name_end = position(rest, |b| b.is_ascii_whitespace() || b == b'=');
        let name = &rest[..name_end];
        rest = trim_start(&rest[name_end..]);
        let Some(after_eq) = rest.strip_prefix('=') else {
            return Some((name, ""));
        };
        let after_eq = trim_start(after_eq);
        let (value, next) = match after_eq.as_bytes().first() {
            Some(&quote @ (b'"' | b'\'')) => {
                let body = &after_eq[1..];
                let end = next_byte(body, 0, quote).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = position(after_eq, |b| b.is_ascii_whitespace());
                (&after_eq[..end], &after_eq[end..])
            }
        };
        rest = next;
        Some((name, value))
    })
}

/// `str::trim_start`, taking ASCII whitespace bytewise first.
fn trim_start(text: &str) -> &str {
    let text = text.trim_ascii_start();
    match text.as_bytes().first() {
        // Other whitespace `trim_start` takes: vertical tab, and non-ASCII.
        Some(&b) if b == 0x0b || !b.is_ascii() => text.trim_start(),
        _ => text,
    }
}

/// Index of the first byte of `text` that `stop` accepts, or its length.
fn position(text: &str, stop: impl Fn(u8) -> bool) -> usize {
    text.bytes().position(stop).unwrap_or(text.len())
}

/// The start tags of a page in order, skipping comments, doctype and CDATA,
/// and the text inside raw-text elements. A `<` that starts no tag is text.
pub fn start_tags(html: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let lt = next_byte(html, at, b'<')?;
            let rest = &html[lt..];
            let skip_to = |end: &str| rest.find(end).map_or(html.len(), |i| lt + i + end.len());
            if rest.starts_with("<!--") {
                at = skip_to("-->");
                continue;
            }
            if rest.starts_with("<![CDATA[") {
                at = skip_to("]]>");
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                at = skip_to(">");
                continue;
            }
            let starts_name = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic());
            let closing_name = rest[1..].starts_with('/');
            if !starts_name && !closing_name {
                at = lt + 1;
                continue;
            }
            let Some(tag) = tag_at(html, lt) else {
                at = html.len();
                return None;
            };
            at = tag.end;
            if tag.closing {
                continue;
            }
            if !tag.self_closing
                && RAW_TEXT
                    .iter()
                    .any(|raw| tag.name.eq_ignore_ascii_case(raw))
            {
                at = raw_text_end(html, tag.end, tag.name);
            }
            return Some(tag);
        }
    })
}

/// Elements whose content is text up to their end tag (HTML's RCDATA,
/// raw text and script data).
pub const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Where the raw-text element `name`, whose content starts at `from`, ends:
/// after the first `</name` (any case), or at the end of the page.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let start = at + i + 2;
        let candidate = bytes.get(start..start + name.len());
        let after = bytes.get(start + name.len()).copied();
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes()))
            && after.is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        {
            return html[start..]
                .find('>')
                .map_or(html.len(), |j| start + j + 1);
        }
        at = start;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tag reader as first written, byte by byte with a quote state:
    /// what [`tag_at`] must keep answering.
    fn tag_at_bytewise(html: &str, at: usize) -> Option<(&str, bool, bool, &str, usize)> {
        let bytes = html.as_bytes();
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_end = html[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |i| name_start + i);
        let mut quote = None;
        for (i, &b) in bytes.iter().enumerate().skip(name_end) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => {
                    let inner = &html[name_end..i];
                    let attributes = inner.trim_end().trim_end_matches('/');
                    let self_closing = inner.trim_end().ends_with('/');
                    return Some((
                        &html[name_start..name_end],
                        closing,
                        self_closing,
                        attributes,
                        i + 1,
                    ));
                }
                None => {}
            }
        }
        None
    }

    /// The attribute reader as first written, char by char: what
    /// [`each_attribute`] must keep answering.
    fn each_attribute_by_chars(mut rest: &str) -> Vec<(&str, &str)> {
        let mut pairs = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                return pairs;
            }
            let name_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=')
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            rest = rest[name_end..].trim_start();
            let Some(after_eq) = rest.strip_prefix('=') else {
                pairs.push((name, ""));
                continue;
            };
            let after_eq = after_eq.trim_start();
            let (value, next) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after_eq[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after_eq
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after_eq.len());
                    (&after_eq[..end], &after_eq[end..])
                }
            };
            rest = next;
            pairs.push((name, value));
        }
    }

    fn read(html: &str, at: usize) -> Option<(&str, bool, bool, &str, usize)> {
        tag_at(html, at).map(|t| (t.name, t.closing, t.self_closing, t.attributes, t.end))
    }

    #[test]
    fn quoted_values_may_hold_the_end_of_a_tag() {
        let html = r#"<a title='1 > 0' href="/x/?q=>">链接</a>"#;
        let tag = tag_at(html, 0).unwrap();
        assert_eq!(tag.name, "a");
        assert_eq!(attribute(tag.attributes, "href"), Some("/x/?q=>"));
        assert_eq!(&html[tag.end..tag.end + 6], "链接");
        assert!(tag_at(r#"<a href="/never-closed>"#, 0).is_none());
        assert_eq!(read("<br/>", 0), Some(("br", false, true, "", 5)));
        assert_eq!(read("</p >", 0), Some(("p", true, false, "", 5)));
    }

    proptest! {
        #[test]
        fn reads_every_tag_as_the_bytewise_reader_did(
            parts in proptest::collection::vec(
                prop::sample::select(vec!["<", ">", "\"", "'", "/", " ", "\n", "a", "id", "=", "中", "文"]),
                0..40,
            )
        ) {
            let html = format!("<{}", parts.concat());
            for (at, _) in html.match_indices('<') {
                prop_assert_eq!(read(&html, at), tag_at_bytewise(&html, at), "{:?} at {}", html, at);
            }
        }

        #[test]
        fn reads_every_attribute_as_the_char_reader_did(
            parts in proptest::collection::vec(
                prop::sample::select(vec![
                    "id", "href", "=", "\"", "'", " ", "\t", "\n", "\u{b}", "\u{c}", "\u{a0}",
                    "\u{3000}", "中", "é", "/", "x",
                ]),
                0..40,
            )
        ) {
            let text = parts.concat();
            prop_assert_eq!(
                each_attribute(&text).collect::<Vec<_>>(),
                each_attribute_by_chars(&text),
                "{:?}", text
            );
        }
    }
}
