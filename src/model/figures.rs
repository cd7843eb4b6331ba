//! Documents and their figures: references, units, citation checks, values above
//! a metric's `max`, conflicting figures, and the highlights of quoted sentences.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::content::markdown::{self, Highlight};
use crate::content::raw::{RawDocument, RawFigure, When};
use crate::content::value::{format_chinese, unit_scale, units_convert};
use crate::diag::{Code, Diagnostic, Diagnostics};

use super::citation::{self, Found, Normalized};
use super::resolve::Index;
use super::*;

pub(super) struct Refs<'a> {
    pub regions: &'a Index<'a>,
    pub programs: &'a Index<'a>,
    pub brands: &'a Index<'a>,
    pub metrics: &'a Index<'a>,
}

/// What each document's text alone decides ([`Facts`]: where its quotes
/// are, their numbers, its Markdown messages), kept by `serve` between
/// rebuilds for documents whose file did not change (same id and version,
/// see [`crate::content::LoadCache`]). Only documents whose every quote was
/// found are kept: a missing quote's message reads the body again.
#[derive(Default)]
pub struct QuoteCache {
    found: HashMap<crate::diag::FileId, (u64, Arc<Facts>)>,
}

/// What is made of one document on its own: its normalised blocks (left
/// empty when taken from the cache) and its [`Facts`].
type Prepared = (Vec<Normalized>, Arc<Facts>);

/// What a document's text alone decides: where each figure's quote is, the
/// numbers in each quote, and the messages about its Markdown.
struct Facts {
    located: Vec<Option<Found>>,
    numbers: Vec<citation::QuoteNumbers>,
    lint: Diagnostics,
}

pub(super) fn resolve_documents(
    raw_documents: &mut [RawDocument],
    versions: &HashMap<crate::diag::FileId, u64>,
    refs: &Refs<'_>,
    metrics: &[Metric],
    sink: &mut Diagnostics,
    cache: Option<&mut QuoteCache>,
) -> (Vec<Option<Document>>, Vec<Figure>) {
    // Sized once: this runs on one thread, and at national scale each
    // doubling of the figures would copy tens of megabytes into fresh memory.
    let stated: usize = raw_documents.iter().map(|d| d.figures.len()).sum();
    let mut resolved = Resolved {
        documents: Vec::with_capacity(raw_documents.len()),
        figures: Vec::with_capacity(stated),
        figure_spans: Vec::with_capacity(stated),
    };
    // Finding the quotes is most of this stage's work and needs nothing but
    // the document, so it runs on every core, a batch of documents at a time
    // (a batch's normalised bodies are 12 bytes per character). The rest
    // (references, units, messages in document order) is one document after
    // another: it runs while the next batch's quotes are found.
    let remember = cache.is_some();
    let cached = cache.as_deref();
    let prepare_batch = |docs: &[RawDocument]| -> Vec<Prepared> {
        docs.par_iter()
            .map(|doc| {
                let version = versions.get(&doc.slug.span.file);
                match cached.and_then(|c| c.get(doc.slug.span.file, version)) {
                    Some(facts) => (Vec::new(), facts.clone()),
                    None => prepare(doc),
                }
            })
            .collect()
    };
    // Kept into the cache after the loop: it is read while batches are found.
    let mut kept: Vec<(crate::diag::FileId, Arc<Facts>)> = Vec::new();
    let mut batches = raw_documents.chunks_mut(QUOTE_BATCH);
    let mut current = batches.next();
    let mut next = current.as_deref().map(&prepare_batch).unwrap_or_default();
    let mut first = 0;
    while let Some(docs) = current {
        let prepared = std::mem::take(&mut next);
        let following_docs = batches.next();
        let mut following = Vec::new();
        // In place: the documents are resolved on this thread (in `serve`,
        // not behind the search indexer's work on the pool), while the
        // next batch's quotes are found on the pool.
        rayon::in_place_scope(|scope| {
            if let Some(docs) = following_docs.as_deref() {
                scope.spawn(|_| following = prepare_batch(docs));
            }
            for (offset, (raw_doc, prepared)) in docs.iter_mut().zip(prepared).enumerate() {
                if remember {
                    kept.push((raw_doc.slug.span.file, prepared.1.clone()));
                }
                resolved.add(first + offset, raw_doc, prepared, refs, metrics, sink);
            }
        });
        first += docs.len();
        next = following;
        current = following_docs;
    }
    if let Some(cache) = cache {
        for (file, facts) in &kept {
            cache.keep(*file, versions.get(file), facts);
        }
        cache.found.retain(|file, _| versions.contains_key(file));
    }
    let Resolved {
        documents,
        mut figures,
        figure_spans,
    } = resolved;
    mark_conflicts(&mut figures, &figure_spans, metrics, sink);
    (documents, figures)
}

/// The documents and figures resolved so far, in document order.
struct Resolved {
    documents: Vec<Option<Document>>,
    figures: Vec<Figure>,
    /// Where each figure was written.
    figure_spans: Vec<crate::diag::Span>,
}

impl Resolved {
    /// Resolves document `doc_index` once its quotes were found (`prepared`):
    /// its references, figures and highlights; a document whose region did
    /// not resolve is `None` (the site is then not built). Its body moves
    /// into the document.
    fn add(
        &mut self,
        doc_index: usize,
        raw_doc: &mut RawDocument,
        (blocks, facts): Prepared,
        refs: &Refs<'_>,
        metrics: &[Metric],
        sink: &mut Diagnostics,
    ) {
        let file = raw_doc.slug.span.file;
        sink.append(facts.lint.clone());
        let region = refs
            .regions
            .get(&raw_doc.region, "region", sink)
            .map(RegionId);
        let quotes = raw_doc.figures.iter().map(|f| f.quote.value.as_str());
        let body_chars: usize = blocks.iter().map(|b| b.chars.len()).sum();
        let blocks = Quoted {
            blocks,
            located: quotes
                .into_iter()
                .zip(facts.located.iter().copied())
                .collect(),
            // Explaining a missing quote rescans the body ~2·log2(len) times; cap
            // that work per document so a huge body with bad quotes stays linear.
            help_budget: Cell::new(HELP_BUDGET),
            body_chars,
        };
        let mut found: Vec<(usize, Found)> = Vec::new();
        for (raw_figure, numbers) in raw_doc.figures.iter().zip(&facts.numbers) {
            let Some(figure) = resolve_figure(
                raw_doc, raw_figure, numbers, region, refs, metrics, &blocks, sink,
            ) else {
                continue;
            };
            let (figure, at) = figure;
            let number = self.figures.len();
            found.push((number, at));
            self.figures.push(Figure {
                document: DocId(doc_index),
                ..figure
            });
            self.figure_spans.push(raw_figure.span);
        }
        let highlights = assign_highlights(&mut self.figures, &found);
        self.documents.push(region.map(|region| Document {
            slug: raw_doc.slug.value.clone(),
            title: raw_doc.title.clone(),
            kind: raw_doc.kind,
            issuer: raw_doc.issuer.clone(),
            region,
            date: raw_doc.date,
            doc_number: raw_doc.doc_number.as_ref().map(|n| n.value.clone()),
            signed_by: raw_doc.signed_by.clone(),
            proposal: raw_doc.proposal.as_ref().map(|p| Proposal {
                meeting: p.meeting.clone(),
                number: p.number.clone(),
                title: p.title.clone(),
                proposers: p.proposers.clone(),
                result: p.result.clone(),
            }),
            contact: raw_doc.contact.clone(),
            topics: raw_doc.topics.clone(),
            body: std::mem::take(&mut raw_doc.body.text),
            body_at: crate::diag::Span::new(file, raw_doc.body.offset, raw_doc.body.offset),
            body_links: std::mem::take(&mut raw_doc.body.links),
            figures: Vec::new(),
            highlights,
            source_url: raw_doc.source_url.clone(),
        }));
    }
}

/// Documents whose quotes are found together, in parallel.
const QUOTE_BATCH: usize = 256;

impl QuoteCache {
    fn get(&self, file: crate::diag::FileId, version: Option<&u64>) -> Option<&Arc<Facts>> {
        let (kept, facts) = self.found.get(&file)?;
        (Some(kept) == version).then_some(facts)
    }

    fn keep(&mut self, file: crate::diag::FileId, version: Option<&u64>, facts: &Arc<Facts>) {
        match version {
            Some(&version) if facts.located.iter().all(Option::is_some) => {
                self.found.insert(file, (version, facts.clone()));
            }
            _ => {
                self.found.remove(&file);
            }
        }
    }
}

/// A document's body as normalised blocks, where each figure's quote is, and
/// the messages about its Markdown (one reading of the Markdown for both).
fn prepare(raw_doc: &RawDocument) -> Prepared {
    let mut lint = Diagnostics::new();
    let body = &raw_doc.body;
    let file = raw_doc.slug.span.file;
    // The blocks are only searched for quotes: a document that states no
    // figure (most of a large plain site) is only linted.
    let blocks: Vec<Normalized> = if raw_doc.figures.is_empty() {
        markdown::lint(&body.text, file, body.offset, &mut lint);
        Vec::new()
    } else {
        markdown::lint_and_blocks(&body.text, file, body.offset, &mut lint)
            .iter()
            .map(|b| citation::normalize(b))
            .collect()
    };
    let quotes: Vec<&str> = raw_doc
        .figures
        .iter()
        .map(|f| f.quote.value.as_str())
        .collect();
    let located = citation::find_quotes(&blocks, &quotes);
    let numbers = raw_doc
        .figures
        .iter()
        .map(|f| citation::QuoteNumbers::read(&f.quote.value))
        .collect();
    let facts = Facts {
        located,
        numbers,
        lint,
    };
    (blocks, Arc::new(facts))
}

#[allow(clippy::too_many_arguments)]
fn resolve_figure(
    doc: &RawDocument,
    raw: &RawFigure,
    numbers: &citation::QuoteNumbers,
    doc_region: Option<RegionId>,
    refs: &Refs<'_>,
    metrics: &[Metric],
    blocks: &Quoted<'_>,
    sink: &mut Diagnostics,
) -> Option<(Figure, Found)> {
    let metric = refs.metrics.get(&raw.metric, "metric", sink).map(MetricId);
    let region = match &raw.region {
        Some(r) => refs.regions.get(r, "region", sink).map(RegionId),
        None => doc_region,
    };
    let program = raw
        .program
        .as_ref()
        .map(|p| refs.programs.get(p, "program", sink).map(ProgramId));
    let brand = raw
        .brand
        .as_ref()
        .map(|b| refs.brands.get(b, "brand", sink).map(BrandId));
    let found = check_quote(raw, blocks, sink);
    let metric = metric?;
    let m = &metrics[metric.0];
    let unit = raw
        .unit
        .as_ref()
        .map_or(m.unit.clone(), |u| u.value.clone());
    if let Some(u) = &raw.unit {
        if !units_convert(&u.value, &m.unit) {
            sink.push(
                Diagnostic::error(Code::BadUnit, u.span, format!("单位“{}”不能换算为指标“{}”的单位“{}”", u.value, m.name, m.unit))
                    .label("不可换算")
                    .help("只有 元、万元、亿元 之间可以换算；人 与 人次 是不同的指标。请换一个指标，或删掉 unit 使用指标的单位"),
            );
            return None;
        }
    }
    if raw.value.value.percent && m.unit != "%" {
        sink.push(
            Diagnostic::error(
                Code::BadUnit,
                raw.value.span,
                format!("指标“{}”的单位是“{}”，数值却写了 %", m.name, m.unit),
            )
            .label("百分比")
            .help("百分比请用单位为 % 的指标（例如 high_skill_share）"),
        );
        return None;
    }
    let scale = unit_scale(&unit).1;
    let base_low = raw.value.value.low * scale;
    let base_high = raw.value.value.high.map(|h| h * scale);
    let found = found?;
    check_number(raw, numbers, &unit, base_low, base_high, sink)?;
    let metric_scale = unit_scale(&m.unit).1;
    let in_metric_unit = (base_low / metric_scale).normalize();
    let in_metric_unit_high = base_high.map(|h| (h / metric_scale).normalize());
    let over_max = m
        .max
        .is_some_and(|max| in_metric_unit_high.unwrap_or(in_metric_unit) > max);
    if over_max {
        let max = m.max.unwrap_or_default();
        let help = match &raw.note {
            Some(note) => format!("已有 note 说明（{note}），页面会标注“原文如此”；核对原件后加一行 `reviewed: 理由`，check --strict 即可通过；若不是原文笔误，请改正数值"),
            None => "若原文如此（例如笔误），保留原值并添加 note 说明，页面会标注“原文如此”；核对原件后加一行 `reviewed: 理由`；否则请改正数值".to_owned(),
        };
        let diagnostic = Diagnostic::warning(
            Code::OverMax,
            raw.value.span,
            format!(
                "数值 {} 超过指标“{}”的上限 {}{}",
                raw.value.value.written,
                m.name,
                format_chinese(max),
                m.unit
            ),
        )
        .label("超出上限")
        .help(help);
        // A reviewed figure keeps its mark on the page but no longer warns.
        if raw.reviewed.is_none() {
            sink.push(diagnostic);
        }
    }
    let time = match raw.when {
        Some(When::Year(y)) => Time::Year(y),
        Some(When::Period(a, b)) => Time::Period(a, b),
        Some(When::AsOf(d)) => Time::AsOf(d),
        Some(When::Since(from, year_only, until)) => {
            Time::Since(from, year_only, until.or(doc.date))
        }
        Some(When::Text) => Time::Vague(doc.date),
        None => doc.date.map_or(Time::Undated, Time::DocDate),
    };
    let written = citation::written_in(numbers, base_low, base_high, &unit);
    // `qualifier: 无` says the number is exact although a hedge stands near it.
    let qualifier = match &raw.qualifier {
        Some(q) if q.value == "无" => None,
        Some(q) => Some(q.value.clone()),
        None => written.as_ref().and_then(|w| w.qualifier.clone()),
    };
    let value_written = written.map_or_else(|| raw.value.value.written.clone(), |w| w.text);
    let figure = Figure {
        document: DocId(0),
        metric,
        region: region?,
        program: program.flatten(),
        brand: brand.flatten(),
        kind: raw.kind,
        time,
        unit,
        value: raw.value.value.clone(),
        in_metric_unit,
        in_metric_unit_high,
        quote: raw.quote.value.clone(),
        note: raw.note.clone(),
        qualifier,
        value_written,
        subject: raw.subject.clone(),
        time_text: raw.time_text.clone(),
        span: raw.span,
        over_max,
        conflicting: false,
        reviewed: raw.reviewed.clone(),
        anchor: String::new(),
        quote_anchor: String::new(),
        id: raw.id.clone(),
        share_of: raw.share_of.clone(),
    };
    // A reference that failed was reported; the figure is still dropped.
    if program.is_some_and(|p| p.is_none()) || brand.is_some_and(|b| b.is_none()) {
        return None;
    }
    Some((figure, found))
}

/// Characters of body the "closest match" explanations of one document may scan.
const HELP_BUDGET: usize = 200_000_000;

/// A document's blocks with every figure's quote already located.
pub(super) struct Quoted<'a> {
    blocks: Vec<Normalized>,
    located: HashMap<&'a str, Option<Found>>,
    help_budget: Cell<usize>,
    body_chars: usize,
}

/// The quote must be in the body; when it is not, say how far it matched.
fn check_quote(raw: &RawFigure, quoted: &Quoted<'_>, sink: &mut Diagnostics) -> Option<Found> {
    if let Some(found) = quoted
        .located
        .get(raw.quote.value.as_str())
        .copied()
        .flatten()
    {
        return Some(found);
    }
    let quote = citation::normalize(&raw.quote.value).chars;
    let cost = quoted
        .body_chars
        .saturating_mul(2 * (usize::BITS - quote.len().leading_zeros()) as usize + 2);
    let help = match quoted.help_budget.get().checked_sub(cost) {
        Some(rest) => {
            quoted.help_budget.set(rest);
            closest_match_help(&quoted.blocks, &quote)
        }
        None => closest_match_help(&[], &quote),
    };
    sink.push(
        Diagnostic::error(Code::QuoteNotInBody, raw.quote.span, "引文在正文中找不到")
            .label("正文中没有这句话")
            .help(help),
    );
    None
}

/// Says how far the quote matches the body: its longest matching beginning, or
/// failing that its longest matching end, and what differs next to it.
fn closest_match_help(blocks: &[Normalized], quote: &[char]) -> String {
    let find = |needle: &[char]| {
        blocks.iter().find_map(|b| {
            b.chars
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|at| (b, at))
        })
    };
    // Occurrence of a prefix (or suffix) is monotone in its length: binary search.
    let longest = |from_end: bool| {
        let (mut lo, mut hi) = (0usize, quote.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let part = if from_end {
                &quote[quote.len() - mid..]
            } else {
                &quote[..mid]
            };
            if find(part).is_some() {
                lo = mid
            } else {
                hi = mid - 1
            }
        }
        lo
    };
    let text = |chars: &[char]| chars.iter().collect::<String>();
    let prefix = longest(false);
    let suffix = longest(true);
    let tail = "请从正文中原样复制引文（引文须在同一段落、列表项或表格单元格内）";
    if prefix >= 2 && prefix >= suffix {
        let (block, at) = find(&quote[..prefix]).expect("prefix occurs");
        let body_next = text(&block.chars[at + prefix..(at + prefix + 12).min(block.chars.len())]);
        let quote_next = text(&quote[prefix..(prefix + 12).min(quote.len())]);
        format!(
            "正文中能找到开头“{}”，之后不一致：正文接着是“{body_next}”，引文却是“{quote_next}”。{tail}",
            text(&quote[..prefix])
        )
    } else if suffix >= 2 {
        let start = quote.len() - suffix;
        let (block, at) = find(&quote[start..]).expect("suffix occurs");
        let body_before = text(&block.chars[at.saturating_sub(12)..at]);
        let quote_before = text(&quote[start.saturating_sub(12)..start]);
        format!(
            "正文中能找到结尾“{}”，之前不一致：正文是“{body_before}”，引文却是“{quote_before}”。{tail}",
            text(&quote[start..])
        )
    } else {
        tail.to_owned()
    }
}

fn check_number(
    raw: &RawFigure,
    quote: &citation::QuoteNumbers,
    unit: &str,
    low: Decimal,
    high: Option<Decimal>,
    sink: &mut Diagnostics,
) -> Option<()> {
    let numbers = quote.values();
    let stated =
        citation::states(&numbers, low) && high.is_none_or(|h| citation::states(&numbers, h));
    if stated {
        return Some(());
    }
    let in_quote: Vec<String> = numbers.iter().map(|n| format_chinese(*n)).collect();
    let listed = if in_quote.is_empty() {
        "引文中没有阿拉伯数字".to_owned()
    } else {
        format!("引文中的数字是 {}", in_quote.join("、"))
    };
    sink.push(
        Diagnostic::error(
            Code::QuoteNumberMismatch,
            raw.value.span,
            format!("数值 {}（{}{}）与引文不符：{listed}", raw.value.value.written, format_chinese(high.unwrap_or(low)), unit_scale(unit).0),
        )
        .label("与引文不一致")
        .also(raw.quote.span, "引文")
        .help("核对 value 是否抄错（注意“万”“亿”），或改用写有这个数字的引文；单位为 万元 时 value 写 2300 即对应“2300万元”"),
    );
    None
}

/// Gives each figure its anchors and returns the document's highlights: the first
/// occurrence of each quote, sorted, overlaps merged into the earlier mark.
fn assign_highlights(figures: &mut [Figure], found: &[(usize, Found)]) -> Vec<Highlight> {
    let mut order: Vec<&(usize, Found)> = found.iter().collect();
    order.sort_by_key(|(n, f)| (f.block, f.start, std::cmp::Reverse(f.end), *n));
    let mut highlights: Vec<Highlight> = Vec::new();
    let mut mark_of: HashMap<usize, String> = HashMap::new();
    for (number, f) in order {
        let overlapping = highlights
            .last()
            .filter(|h| h.block == f.block && f.start < h.end);
        let id = match overlapping {
            Some(h) => h.id.clone(),
            None => {
                let id = format!("q-{}", highlights.len() + 1);
                highlights.push(Highlight {
                    block: f.block,
                    start: f.start,
                    end: f.end,
                    id: id.clone(),
                    href: String::new(),
                });
                id
            }
        };
        mark_of.insert(*number, id);
    }
    for (position, (number, _)) in found.iter().enumerate() {
        let figure = &mut figures[*number];
        figure.anchor = format!("f-{}", position + 1);
        figure.quote_anchor = mark_of.remove(number).unwrap_or_default();
    }
    // Each mark links to the first figure (in file order) that cites it.
    let mut first_citing: HashMap<&str, &str> = HashMap::new();
    for (n, _) in found {
        let figure = &figures[*n];
        first_citing
            .entry(figure.quote_anchor.as_str())
            .or_insert(figure.anchor.as_str());
    }
    for h in &mut highlights {
        if let Some(anchor) = first_citing.get(h.id.as_str()) {
            h.href = format!("#{anchor}");
        }
    }
    highlights
}

/// Same metric, region, program, brand, kind, time and subject, different values: warn,
/// and mark both so pages show each with its source (DESIGN.md).
fn mark_conflicts(
    figures: &mut [Figure],
    spans: &[crate::diag::Span],
    metrics: &[Metric],
    sink: &mut Diagnostics,
) {
    type Key = (
        MetricId,
        RegionId,
        Option<ProgramId>,
        Option<BrandId>,
        FigureKind,
        Time,
        // A subject's figure is not its region's: 某学院's 30 does not conflict with the city's 100.
        Option<String>,
    );
    // Group once by key (linear), in order of first member, then compare
    // each member with its group's first.
    let mut group_of: HashMap<Key, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, f) in figures.iter().enumerate() {
        let key = (
            f.metric,
            f.region,
            f.program,
            f.brand,
            f.kind,
            f.time,
            f.subject.clone(),
        );
        let next = groups.len();
        let group = *group_of.entry(key).or_insert(next);
        if group == next {
            groups.push(Vec::new());
        }
        groups[group].push(i);
    }
    for members in &groups {
        let j = members[0];
        let value = |f: &Figure| (f.in_metric_unit, f.in_metric_unit_high);
        let differs: Vec<usize> = members[1..]
            .iter()
            .copied()
            .filter(|&i| value(&figures[i]) != value(&figures[j]))
            .collect();
        if differs.is_empty() {
            continue;
        }
        // A warning an editor has reviewed (`reviewed:` on either figure) is not repeated.
        let reviewed = |i: usize| figures[i].reviewed.is_some() || figures[j].reviewed.is_some();
        for &i in differs.iter().filter(|&&i| !reviewed(i)) {
            let f = &figures[i];
            sink.push(
                Diagnostic::warning(
                    Code::ConflictingFigures,
                    spans[i],
                    format!(
                        "指标“{}”同一地区、同一时间有两个不同的数：{} 与 {}",
                        metrics[f.metric.0].name, f.value.written, figures[j].value.written
                    ),
                )
                .also(spans[j], "另一个数")
                .help(
                    "两处都会显示并各自注明出处；若口径不同，请改用不同的指标或写明 period / as_of",
                ),
            );
        }
        // Every member of a group with two values is shown with its source.
        for &i in members {
            figures[i].conflicting = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// `serve` validates again after each save: the documents whose every
    /// quote was found are kept, and the next validation takes them from
    /// the cache and says the same.
    #[test]
    fn a_second_validation_takes_every_found_document_from_the_cache() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cache = crate::ValidateCache::default();
        let first = crate::validate_cached(root, &mut cache);
        let site = first.site.as_ref().expect("the real site validates");
        assert!(site.documents.len() > 1);
        assert_eq!(cache.quotes.found.len(), site.documents.len());
        let second = crate::validate_cached(root, &mut cache);
        let again = second.site.as_ref().expect("the real site validates");
        assert_eq!(again.figures.len(), site.figures.len());
        let messages = |checked: &crate::Checked| {
            checked
                .diagnostics
                .iter()
                .map(|d| format!("{d:?}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(messages(&second), messages(&first));
        assert_eq!(cache.quotes.found.len(), site.documents.len());
    }
}
