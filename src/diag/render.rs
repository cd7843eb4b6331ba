//! Diagnostics to text (terminal, snapshots) and to HTML (the preview error page).
//! The HTML is the same text, escaped: one wording, two clothes.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

use super::source::{floor_char_boundary, line_of};
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
        .with_context_lines(CONTEXT_LINES);
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
    // The one HTML escaper (html-escape): `& < > "`, enough for text and
    // double-quoted attributes, which is all skillpress writes.
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// Adapter from our [`Diagnostic`] to miette's trait, holding the file text.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedLabel>,
}

/// A secondary label in another file becomes a related report of its own.
#[derive(Debug)]
struct RelatedLabel {
    text: String,
    source: Snippet,
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
            let same_file: Vec<&super::Label> = std::iter::once(primary)
                .chain(diagnostic.secondary.iter().filter(|l| l.span.file == file))
                .collect();
            let spans: Vec<(usize, usize)> = same_file
                .iter()
                .map(|l| clamp(text, l.span.start, l.span.end))
                .collect();
            let (snippet, translated) =
                Snippet::new(sources.name(file), text, sources.line_starts(file), &spans);
            source = Some(snippet);
            for (i, (label, span)) in same_file.iter().zip(translated).enumerate() {
                if i == 0 {
                    labels.push(LabeledSpan::new_primary_with_span(
                        Some(label.text.clone()).filter(|t| !t.is_empty()),
                        span,
                    ));
                } else {
                    labels.push(LabeledSpan::new_with_span(Some(label.text.clone()), span));
                }
            }
            for label in diagnostic.secondary.iter().filter(|l| l.span.file != file) {
                let other = sources.text(label.span.file);
                let span = clamp(other, label.span.start, label.span.end);
                let (source, translated) = Snippet::new(
                    sources.name(label.span.file),
                    other,
                    sources.line_starts(label.span.file),
                    &[span],
                );
                related.push(RelatedLabel {
                    text: label.text.clone(),
                    source,
                    span: translated[0],
                });
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
fn clamp(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = floor_char_boundary(text, start.min(text.len()));
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// Lines shown before and after a label (as `with_context_lines`).
const CONTEXT_LINES: usize = 1;
/// Lines longer than this are clipped around the label: miette pads to the
/// label's column and panics past column 65,535 (a document pasted on one line).
const MAX_LINE_CHARS: usize = 1000;
/// What a clipped line keeps, in characters before and after the label.
const KEEP_BEFORE: usize = 60;
const KEEP_AFTER: usize = 200;
/// A label over more lines than this is cut to its first lines.
const MAX_LABEL_LINES: usize = 50;
const ELLIPSIS: &str = "…";

/// Only the lines a diagnostic shows, copied out of its file (never the whole
/// file, so rendering costs the same in a small file and a huge one), each
/// long line clipped around its label. Offsets of labels are translated into
/// this text; line numbers and columns reported to miette are the file's own.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: String,
    windows: Vec<Window>,
}

/// A run of consecutive file lines in [`Snippet::text`].
#[derive(Debug)]
struct Window {
    /// 0-based file line of the window's first line.
    first_line: usize,
    start: usize,
    end: usize,
    lines: Vec<SnippetLine>,
}

#[derive(Debug)]
struct SnippetLine {
    /// Where the line starts in the snippet, and the byte range of the file it keeps.
    at: usize,
    kept: std::ops::Range<usize>,
    /// Bytes added before the kept text (an ellipsis when clipped on the left).
    prefix: usize,
    /// Characters of the file line cut off before the kept text.
    cut_chars: usize,
}

impl Snippet {
    /// Builds the snippet for `spans` (byte ranges in `text`) and returns the
    /// spans translated into it, in the same order.
    fn new(
        name: &str,
        text: &str,
        line_starts: &[usize],
        spans: &[(usize, usize)],
    ) -> (Snippet, Vec<SourceSpan>) {
        let last_line = line_starts.len().saturating_sub(1);
        let line_end = |line: usize| {
            line_starts
                .get(line + 1)
                .map_or(text.len(), |next| next - 1)
        };
        // Lines each label needs, and where on its first line it starts.
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(start, end)| {
                let first = line_of(line_starts, start);
                let last = line_of(line_starts, end.max(start)).min(first + MAX_LABEL_LINES);
                (
                    first.saturating_sub(CONTEXT_LINES),
                    (last + CONTEXT_LINES).min(last_line),
                )
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut snippet = Snippet {
            name: name.to_owned(),
            text: String::new(),
            windows: Vec::new(),
        };
        for (a, b) in merged {
            let start = snippet.text.len();
            let mut lines = Vec::new();
            for (line, &ls) in line_starts.iter().enumerate().take(b + 1).skip(a) {
                let le = line_end(line);
                let body = &text[ls..le];
                let at = snippet.text.len();
                let (kept, prefix) = if body.chars().count() > MAX_LINE_CHARS {
                    // Clip around the first label that starts on this line.
                    let anchor = spans
                        .iter()
                        .map(|&(s, _)| s)
                        .filter(|&s| s >= ls && s <= le)
                        .min()
                        .unwrap_or(ls);
                    let from = text[ls..anchor]
                        .char_indices()
                        .rev()
                        .nth(KEEP_BEFORE - 1)
                        .map_or(ls, |(i, _)| ls + i);
                    let to = text[anchor..le]
                        .char_indices()
                        .nth(KEEP_AFTER)
                        .map_or(le, |(i, _)| anchor + i);
                    if from > ls {
                        snippet.text.push_str(ELLIPSIS);
                    }
                    let prefix = snippet.text.len() - at;
                    snippet.text.push_str(&text[from..to]);
                    if to < le {
                        snippet.text.push_str(ELLIPSIS);
                    }
                    (from..to, prefix)
                } else {
                    snippet.text.push_str(body);
                    (ls..le, 0)
                };
                if le < text.len() {
                    snippet.text.push('\n');
                }
                let cut_chars = text[ls..kept.start].chars().count();
                lines.push(SnippetLine {
                    at,
                    kept,
                    prefix,
                    cut_chars,
                });
            }
            snippet.windows.push(Window {
                first_line: a,
                start,
                end: snippet.text.len(),
                lines,
            });
        }
        let translated = spans
            .iter()
            .map(|&(start, end)| {
                let s = snippet.translate(line_starts, start);
                let e = snippet.translate(line_starts, end.max(start)).max(s);
                // A label cut to its first lines ends in its own window.
                let window_end = snippet
                    .windows
                    .iter()
                    .find(|w| w.start <= s && s <= w.end)
                    .map_or(s, |w| w.end);
                SourceSpan::new(s.into(), e.min(window_end) - s)
            })
            .collect();
        (snippet, translated)
    }

    /// A file offset as an offset in the snippet (clamped into kept text).
    fn translate(&self, line_starts: &[usize], offset: usize) -> usize {
        let line = line_of(line_starts, offset);
        for window in &self.windows {
            if let Some(l) = line
                .checked_sub(window.first_line)
                .and_then(|i| window.lines.get(i))
            {
                let inside = offset.clamp(l.kept.start, l.kept.end) - l.kept.start;
                return l.at + l.prefix + inside;
            }
        }
        // Past a label's last shown line: the end of the window before it.
        self.windows
            .iter()
            .rev()
            .find(|w| w.first_line <= line)
            .map_or(0, |w| w.end)
    }
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let window = self
            .windows
            .iter()
            .find(|w| w.start <= start && end <= w.end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let local = SourceSpan::new((start - window.start).into(), span.len());
        let text = &self.text[window.start..window.end];
        let inner = <str as miette::SourceCode>::read_span(
            text,
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        let line = window.first_line + inner.line();
        // Columns count characters (a 汉字 is one column), as editors and our
        // header do, including what was cut off the start of a clipped line.
        let column = match window.lines.get(inner.line()) {
            Some(l) if inner.column() > 0 => {
                let kept_from = (l.at + l.prefix).min(start);
                l.cut_chars + self.text[kept_from..start].chars().count()
            }
            _ => inner.column(),
        };
        let data_start = window.start + inner.span().offset();
        let data = &self.text.as_bytes()[data_start..data_start + inner.data().len()];
        Ok(Box::new(
            miette::MietteSpanContents::new_named(
                self.name.clone(),
                data,
                SourceSpan::new(data_start.into(), inner.data().len()),
                line,
                column,
                inner.line_count(),
            )
            .with_language("yaml"),
        ))
    }
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
