//! Diagnostics to text (terminal, snapshots) and to HTML (the preview error page).
//! The HTML is the same text, escaped: one wording, two clothes.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::source::floor_char_boundary;
use super::{Diagnostic, Severity, SourceMap};

/// Plain text without colour: deterministic, readable by screen readers and in CI logs.
pub fn render_text(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    render_styled(diagnostic, sources, false)
}

/// The same text, with colour when `colour` is set (a terminal without `NO_COLOR`).
pub fn render_styled(diagnostic: &Diagnostic, sources: &SourceMap, colour: bool) -> String {
    let report = Report::new(diagnostic, sources);
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = report.to_string();
    }
    // Column and line numbers also in a greppable header, for editors who jump to them.
    let mut text = String::new();
    if let Some(label) = &diagnostic.primary {
        let (line, col) = sources.line_col(label.span.file, label.span.start);
        text.push_str(&format!("{}:{line}:{col}\n", sources.name(label.span.file)));
    }
    text.push_str(out.trim_end());
    text.push('\n');
    // miette's own footer says "help:"; editors read Chinese.
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("  修改建议：{help}\n"));
    }
    text
}

/// A file's text whose reported columns count characters (a 汉字 is one
/// column), as our header and editors do; miette's own count is in bytes.
struct CharColumns {
    name: String,
    text: String,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let start = floor_char_boundary(&self.text, span.offset().min(self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = if inner.column() == 0 {
            0
        } else {
            self.text[line_start..start].chars().count()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for CharColumns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The preview server's error page body: each diagnostic's text in a `<pre>`.
pub fn render_html(diagnostics: &[&Diagnostic], sources: &SourceMap) -> String {
    let mut html = String::new();
    for diagnostic in diagnostics {
        let class = match diagnostic.severity {
            Severity::Error => "diag diag-error",
            Severity::Warning => "diag diag-warning",
        };
        html.push_str(&format!("<pre class=\"{class}\">"));
        html.push_str(&escape_html(&render_text(diagnostic, sources)));
        html.push_str("</pre>\n");
    }
    html
}

/// The one HTML escaper of the crate (diagnostics, Markdown attributes, chart SVG text).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Adapter from our [`Diagnostic`] to miette's trait, holding the file text.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<CharColumns>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedLabel>,
}

/// A secondary label in another file becomes a related report of its own.
#[derive(Debug)]
struct RelatedLabel {
    text: String,
    source: CharColumns,
    span: SourceSpan,
}

impl<'a> Report<'a> {
    fn new(diagnostic: &'a Diagnostic, sources: &SourceMap) -> Self {
        let mut labels = Vec::new();
        let mut related = Vec::new();
        let mut source = None;
        if let Some(primary) = diagnostic
            .primary
            .as_ref()
            .filter(|p| !sources.text(p.span.file).is_empty())
        {
            let file = primary.span.file;
            let text = sources.text(file);
            source = Some(CharColumns {
                name: sources.name(file).to_owned(),
                text: text.to_owned(),
            });
            labels.push(LabeledSpan::new_primary_with_span(
                Some(primary.text.clone()).filter(|t| !t.is_empty()),
                clamp(text, primary.span.start, primary.span.end),
            ));
            for label in &diagnostic.secondary {
                let other = sources.text(label.span.file);
                let span = clamp(other, label.span.start, label.span.end);
                if label.span.file == file {
                    labels.push(LabeledSpan::new_with_span(Some(label.text.clone()), span));
                } else {
                    related.push(RelatedLabel {
                        text: label.text.clone(),
                        source: CharColumns {
                            name: sources.name(label.span.file).to_owned(),
                            text: other.to_owned(),
                        },
                        span,
                    });
                }
            }
        }
        Report {
            diagnostic,
            source,
            labels,
            related,
        }
    }
}

/// Keeps a span inside the text and on character boundaries, so a bad offset
/// can never make the renderer panic or cut a 汉字 in half.
fn clamp(text: &str, start: usize, end: usize) -> SourceSpan {
    let start = floor_char_boundary(text, start.min(text.len()));
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.diagnostic.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(
            f,
            "{word}[{}]: {}",
            self.diagnostic.code.as_str(),
            self.diagnostic.message
        )
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

impl fmt::Display for RelatedLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for RelatedLabel {}

impl miette::Diagnostic for RelatedLabel {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("此处".to_owned()),
            self.span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Span};

    fn sample() -> (Diagnostic, SourceMap) {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", "name: 南阳市\n签发：张三\n");
        let at = "name: 南阳市\n签发".len();
        let diagnostic = Diagnostic::error(
            Code::FullWidthColon,
            Span::new(file, at, at + 3),
            "全角冒号",
        )
        .label("全角冒号")
        .help("改为半角冒号");
        (diagnostic, sources)
    }

    #[test]
    fn columns_count_characters_in_both_places_and_help_is_chinese() {
        let (diagnostic, sources) = sample();
        let text = render_text(&diagnostic, &sources);
        assert!(text.starts_with("a.yaml:2:3\n"), "{text}");
        assert!(text.contains("[a.yaml:2:3]"), "{text}");
        assert!(text.contains("  修改建议：改为半角冒号"), "{text}");
        assert!(!text.contains("help:"), "{text}");
    }

    #[test]
    fn colour_only_when_asked() {
        let (diagnostic, sources) = sample();
        assert!(!render_text(&diagnostic, &sources).contains('\u{1b}'));
        assert!(render_styled(&diagnostic, &sources, true).contains('\u{1b}'));
    }
}
