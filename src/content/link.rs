//! What a link that an editor wrote may point at. One rule, used while reading
//! content (an error at the link) and by the link gate (which links to resolve):
//!
//! - `http:`, `https:`, `mailto:`, `tel:`: external, left alone;
//! - `/…`: from the site root (the path of `base_url` is put in front);
//! - `foo/`, `../x`, `x.pdf`: relative to the page the link is on;
//! - `#fragment`: on the same page.
//!
//! Anything else (`javascript:`, `data:`, `vbscript:`, `file:`, `//host`, a
//! backslash) is refused. The scheme is read as a browser reads it: tabs and
//! line breaks anywhere are dropped, leading spaces and control characters are
//! ignored, case does not matter; Markdown has already decoded entities.

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};

/// Schemes a link may use.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// `https://…`, `mailto:…`, `tel:…`.
    External,
    /// `/regions/` (as written, from the site root).
    SiteRelative,
    /// `../x/`, `x.pdf`.
    Relative,
    /// `#h-1`.
    Fragment,
}

/// What `url` is, or why it is refused (a Chinese phrase).
pub fn classify(url: &str) -> Result<Link, String> {
    if url
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("网址中有控制字符".into());
    }
    // As the WHATWG URL parser does: strip leading/trailing C0 and spaces, drop tabs and newlines.
    let seen: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if seen.is_empty() {
        return Err("网址是空的".into());
    }
    if let Some(scheme) = scheme(&seen) {
        let scheme = scheme.to_ascii_lowercase();
        return if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
            Ok(Link::External)
        } else {
            Err(format!("不允许使用“{scheme}:”开头的链接"))
        };
    }
    let path = seen.split(['?', '#']).next().unwrap_or("");
    if path.contains('\\') {
        return Err("网址中有反斜杠 \\（浏览器会把它当作 /）".into());
    }
    if seen.starts_with("//") {
        return Err("以 // 开头的网址会指向别的网站".into());
    }
    Ok(if seen.starts_with('#') {
        Link::Fragment
    } else if seen.starts_with('/') {
        Link::SiteRelative
    } else {
        Link::Relative
    })
}

/// The scheme of a URL (`javascript` in `javascript:x`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let candidate = &url[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(candidate)
}

/// Reports a refused link at `span`.
pub fn refused(url: &str, why: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::LinkScheme,
        span,
        format!("链接“{}”不能发布：{why}", url.escape_debug()),
    )
    .label("不允许的链接")
    .help("链接只能是 https:// 或 http:// 网址、mailto:（邮件）、tel:（电话）、从站点根目录写起的站内网址（如 /documents/sanmenxia-188/）、相对网址（如 ../nanyang/）或页内锚点（如 #h-1）")
}

/// Checks every link of a Markdown body, as [`super::markdown::links`] read
/// them (`offset` is where the body starts in its file).
pub fn check_links(
    links: &super::markdown::Links,
    file: FileId,
    offset: usize,
    sink: &mut Diagnostics,
) {
    for (url, range) in links {
        if let Err(why) = classify(url) {
            sink.push(refused(
                url,
                &why,
                Span::new(file, offset + range.start, offset + range.end),
            ));
        }
    }
}

/// Checks the links of Markdown written inside a YAML field (a region's
/// `summary`): reported at the field, whose text does not map byte for byte.
pub fn check_markdown_field(source: &str, span: Span, sink: &mut Diagnostics) {
    for (url, _) in super::markdown::links(source) {
        if let Err(why) = classify(&url) {
            sink.push(refused(&url, &why, span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_links() {
        assert_eq!(classify("https://www.gov.cn/"), Ok(Link::External));
        assert_eq!(classify("HTTP://example.org"), Ok(Link::External));
        assert_eq!(classify("mailto:a@b.cn"), Ok(Link::External));
        assert_eq!(classify("tel:0377-1234"), Ok(Link::External));
        assert_eq!(classify("/documents/x/"), Ok(Link::SiteRelative));
        assert_eq!(classify("/files/原件.pdf"), Ok(Link::SiteRelative));
        assert_eq!(classify("../nanyang/"), Ok(Link::Relative));
        assert_eq!(classify("x.pdf"), Ok(Link::Relative));
        assert_eq!(classify("a/b:c"), Ok(Link::Relative));
        assert_eq!(classify("#h-1"), Ok(Link::Fragment));
        assert_eq!(classify("?q=1"), Ok(Link::Relative));
    }

    #[test]
    fn refused_links_whatever_their_disguise() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "ftp://example.org/",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil",
            "",
        ] {
            assert!(classify(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn entity_encoded_schemes_are_seen_decoded() {
        let mut sink = Diagnostics::new();
        let md = "甲[点我](&#106;avascript:alert(1))乙\n\n丙<javascript:alert(2)>\n\n[x][r]\n\n[r]: JAVASCRIPT:alert(3)\n";
        check_links(
            &crate::content::markdown::links(md),
            FileId(0),
            10,
            &mut sink,
        );
        let found: Vec<_> = sink.iter().filter(|d| d.code == Code::LinkScheme).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[0].primary.as_ref().unwrap().span.start,
            10 + md.find('[').unwrap()
        );
    }
}
