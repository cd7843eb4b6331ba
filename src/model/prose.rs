//! Numbers in editors' prose (program and brand bodies, region summaries) and
//! the figures they state. Every page's footer promises that a number can be
//! clicked to its source sentence: a number in prose that equals one figure
//! the page shows (same value, unit and qualifier; the figure whose quote is
//! closest to the sentence when several do) links to that figure's quote; any
//! other is a warning (`unlinked-number`) at its place in the file.
//!
//! Numbers are read with the citation scanner (`citation::number_spans`), so a
//! number in prose means what it would mean in a quote. Only quantities count:
//! a number followed by a unit or measure word (人, 人次, 万元, 家, 个, % …);
//! years, dates, ordinals and document numbers (2025年, 第2项, 188号) are not
//! figures. Chinese numerals (十个专项) are not read, as in quotes.

use std::ops::Range;

use rust_decimal::Decimal;

use super::citation::{self, AFTER, BEFORE, MEASURES};
use super::*;
use crate::content::markdown::{self, ProseText};
use crate::content::value::{WAN, YI};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};

/// Whose prose it is: decides which figures a number may link to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Program(ProgramId),
    Brand(BrandId),
    Region(RegionId),
}

/// A quantity stated in prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    /// The eligible text event it stands in (`markdown::ProseText::index`).
    pub text: usize,
    /// Characters of that event's text: qualifier, number, 万/亿 and unit.
    pub start: usize,
    pub end: usize,
    /// Bytes of the source: exact when the event is verbatim, else the event.
    pub bytes: Range<usize>,
    /// As written (normalised): 近1万人.
    pub written: String,
    /// In base units of `unit`: 2300万元 is 23000000 元.
    pub value: Decimal,
    /// 人, 人次, 元, %, 元/月 … (名 reads as 人; 万元 and 亿元 as 元).
    pub unit: String,
    pub bound: Option<Bound>,
    /// The words right before it (from the last comma, 、 or colon): what
    /// it is about.
    pub clause: String,
    /// The words right after it, to the next comma.
    pub clause_after: String,
    /// Everything before and after it in its paragraph, item or cell.
    pub context: String,
    pub context_after: String,
}

/// What a quantity in prose links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Figure(FigureId),
    /// No figure the page shows has this value, unit and qualifier.
    NoFigure,
    /// Several figures with different sources fit equally well.
    Ambiguous(Vec<FigureId>),
}

/// The figures a page shows next to the prose: a program's and its
/// sub-programs', a brand's and its programs', a region's and its children's.
pub fn candidates(site: &Site, owner: Owner) -> Vec<FigureId> {
    let mut ids: Vec<FigureId> = match owner {
        Owner::Program(p) => {
            let p = site.program(p);
            let children = p
                .children
                .iter()
                .flat_map(|&c| site.program(c).figures.iter());
            p.figures.iter().chain(children).copied().collect()
        }
        Owner::Brand(b) => {
            let b = site.brand(b);
            let programs = b
                .programs
                .iter()
                .flat_map(|&p| site.program(p).figures.iter());
            b.figures.iter().chain(programs).copied().collect()
        }
        Owner::Region(r) => {
            let r = site.region(r);
            let children = r
                .children
                .iter()
                .flat_map(|&c| site.region(c).figures.iter());
            r.figures.iter().chain(children).copied().collect()
        }
    };
    ids.sort();
    ids.dedup();
    ids
}

/// Where a number the page does not show may still come from: the figures
/// of the owner's region (a brand's, a program's scope), its ancestors and
/// the regions below it. A
/// number links to one of them only when its sentence reads like the quote
/// ([`WIDER_LIKENESS`] character pairs in common), never on value alone.
pub fn wider(site: &Site, owner: Owner) -> Vec<FigureId> {
    let region = match owner {
        Owner::Program(p) => site.program(p).scope,
        Owner::Brand(b) => site.brand(b).region,
        Owner::Region(r) => r,
    };
    // The region's ancestors, then its subtree: a walk, not a scan of every
    // region per owner (thousands of owners at national scale).
    let mut related: Vec<RegionId> = site.region_and_ancestors(region).collect();
    let mut stack: Vec<RegionId> = site.region(region).children.clone();
    while let Some(r) = stack.pop() {
        related.push(r);
        stack.extend(site.region(r).children.iter().copied());
    }
    let mut ids: Vec<FigureId> = related
        .into_iter()
        .flat_map(|r| site.region(r).figures.iter().copied())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Character pairs a sentence must share with a quote the page does not show.
pub const WIDER_LIKENESS: usize = 4;

/// The prose of an owner and where it stands in its file.
pub fn text_of(site: &Site, owner: Owner) -> Option<(&str, Span)> {
    match owner {
        Owner::Program(p) => Some((&site.program(p).body, site.program(p).body_at)),
        Owner::Brand(b) => Some((&site.brand(b).body, site.brand(b).body_at)),
        Owner::Region(r) => {
            let r = site.region(r);
            Some((r.summary.as_deref()?, r.summary_at?))
        }
    }
}

/// Units a quantity may be written in: the site's metric and figure units and
/// the common measure words, longest first (人次 before 人).
pub fn units(site: &Site) -> Vec<String> {
    let mut units: Vec<String> = MEASURES.iter().map(|m| (*m).to_owned()).collect();
    for u in site
        .metrics
        .iter()
        .map(|m| &m.unit)
        .chain(site.figures.iter().map(|f| &f.unit))
    {
        let u = citation::normalize_string(u);
        let tail = u.trim_start_matches(['万', '亿']).to_owned();
        units.push(u);
        units.push(tail);
    }
    units.retain(|u| !u.is_empty());
    units.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    units.dedup();
    units
}

/// A unit in base form: multiplier and canonical name.
fn canonical(unit: &str) -> (Decimal, String) {
    let u = citation::normalize_string(unit);
    match u.as_str() {
        "万元" => (WAN, "元".into()),
        "亿元" => (YI, "元".into()),
        "名" | "位" => (Decimal::ONE, "人".into()),
        "万人" => (WAN, "人".into()),
        "万人次" => (WAN, "人次".into()),
        _ => (Decimal::ONE, u),
    }
}

/// Comparisons prose writes around a number that quotes' qualifiers do not
/// list: 低于5000元 is a bound, never the standard of 5000元 itself.
const COMPARISONS: &[&str] = &["低于", "高于", "不足", "少于", "多于"];

fn bound_of(word: &str) -> Option<Bound> {
    match word {
        "低于" | "不足" | "少于" => Some(Bound::Upper),
        "高于" | "多于" => Some(Bound::Lower),
        w => Bound::of(w),
    }
}

/// Every quantity in the prose, in order.
pub fn quantities(source: &str, units: &[String]) -> Vec<Quantity> {
    markdown::prose_texts(source)
        .iter()
        .flat_map(|t| quantities_in(t, units))
        .collect()
}

fn quantities_in(t: &ProseText, units: &[String]) -> Vec<Quantity> {
    let n = citation::normalize(&t.text);
    let chars = &n.chars;
    let at = |i: usize, word: &str| {
        let w: Vec<char> = word.chars().collect();
        chars.get(i..i + w.len()) == Some(w.as_slice())
    };
    let unit_at = |i: usize| units.iter().find(|u| at(i, u)).cloned();
    let mut found = Vec::new();
    for span in citation::number_spans(chars) {
        // 第2项 is an ordinal, not a quantity.
        if span.start > 0 && chars[span.start - 1] == '第' {
            continue;
        }
        let mut start = span.start;
        let mut end = span.end;
        let mut word: Option<String> = span.hedge.map(String::from);
        if let Some(w) = BEFORE
            .iter()
            .chain(COMPARISONS)
            .find(|w| start >= w.chars().count() && at(start - w.chars().count(), w))
        {
            start -= w.chars().count();
            word = Some((*w).to_owned());
        }
        // 5万多名: a hedge after 万.
        if word.is_none() && matches!(chars.get(end), Some('余' | '多')) {
            word = Some(chars[end].to_string());
            end += 1;
        }
        let Some(unit) = unit_at(end) else { continue };
        end += unit.chars().count();
        if word.is_none()
            && let Some(w) = AFTER.iter().find(|w| at(end, w))
        {
            end += w.chars().count();
            word = Some((*w).to_owned());
        }
        let (multiplier, unit) = canonical(&unit);
        let Some(value) = span.value.checked_mul(multiplier) else {
            continue;
        };
        let (o_start, o_end) = (n.origin[start], n.origin[end - 1] + 1);
        let bytes = if t.verbatim {
            let byte = |c: usize| {
                t.text
                    .char_indices()
                    .nth(c)
                    .map_or(t.text.len(), |(b, _)| b)
            };
            t.range.start + byte(o_start)..t.range.start + byte(o_end)
        } else {
            t.range.clone()
        };
        found.push(Quantity {
            text: t.index,
            start: o_start,
            end: o_end,
            bytes,
            written: chars[start..end].iter().collect(),
            value: value.normalize(),
            unit,
            bound: word.as_deref().and_then(bound_of),
            clause: before(chars, start, "，,、：:；;。！？!?\n"),
            clause_after: after(chars, end, "，,、：:；;。！？!?\n"),
            context: before(chars, start, ""),
            context_after: after(chars, end, ""),
        });
    }
    found
}

/// The text from character `at` to the first of `stops`.
fn after(chars: &[char], at: usize, stops: &str) -> String {
    let to = chars[at..]
        .iter()
        .position(|c| stops.contains(*c))
        .map_or(chars.len(), |i| at + i);
    chars[at..to].iter().collect()
}

/// The text before character `at`, back to the last of `stops`.
fn before(chars: &[char], at: usize, stops: &str) -> String {
    let from = chars[..at]
        .iter()
        .rposition(|c| stops.contains(*c))
        .map_or(0, |i| i + 1);
    chars[from..at].iter().collect()
}

/// Whether a figure states exactly this quantity: one value (no range), the
/// same value in the same unit, and the same kind of bound (近1万 is not 1万;
/// 500多家 is 500余家).
pub fn states(figure: &Figure, q: &Quantity) -> bool {
    if figure.value.high.is_some() {
        return false;
    }
    // The value under each multiplier `canonical` may give, before the unit is
    // normalised: this runs for every figure near every number of the prose.
    let low = figure.value.low;
    let could_be = [Decimal::ONE, WAN, YI]
        .iter()
        .any(|&m| low.checked_mul(m).is_some_and(|v| v.normalize() == q.value));
    if !could_be {
        return false;
    }
    let (multiplier, unit) = canonical(&figure.unit);
    figure
        .value
        .low
        .checked_mul(multiplier)
        .is_some_and(|v| v.normalize() == q.value && unit == q.unit)
        && figure.bound() == q.bound
}

/// A figure's quote split at its number: the words before and after it.
fn around(figure: &Figure, q: &Quantity) -> (String, String) {
    let chars = citation::normalize(&figure.quote).chars;
    let (multiplier, _) = canonical(&figure.unit);
    let at = citation::number_spans(&chars)
        .into_iter()
        .find(|s| s.value.checked_mul(multiplier).map(|v| v.normalize()) == Some(q.value));
    match at {
        Some(s) => (
            chars[..s.start].iter().collect(),
            chars[s.end..].iter().collect(),
        ),
        None => (chars.iter().collect(), String::new()),
    }
}

/// Character pairs the sentence shares with the quote: the figure whose quote
/// reads most like the sentence is the one it states.
fn likeness(sentence: &str, quote: &str) -> usize {
    let quote = citation::normalize_string(quote);
    let s: Vec<char> = sentence.chars().collect();
    // Pairs with a digit are the number itself, not what it is about.
    let mut pairs: Vec<(char, char)> = s
        .windows(2)
        .filter(|w| !w[0].is_ascii_digit() && !w[1].is_ascii_digit())
        .map(|w| (w[0], w[1]))
        .collect();
    pairs.sort();
    pairs.dedup();
    let q: Vec<char> = quote.chars().collect();
    pairs
        .iter()
        .filter(|p| q.windows(2).any(|w| (w[0], w[1]) == **p))
        .count()
}

/// The figure among `candidates` that a quantity states.
pub fn find(site: &Site, q: &Quantity, candidates: &[FigureId]) -> Found {
    let fitting: Vec<FigureId> = candidates
        .iter()
        .copied()
        .filter(|&id| states(site.figure(id), q))
        .collect();
    // Nearest words first (另有“全国技术能手”2人、“中原技能大奖”2人), then the
    // whole item; words before the number against the quote's words before
    // it, words after against after.
    let scored: Vec<((usize, usize), FigureId)> = fitting
        .iter()
        .map(|&id| {
            let (before, after) = around(site.figure(id), q);
            let score = (
                likeness(&q.clause, &before) + likeness(&q.clause_after, &after),
                likeness(&q.context, &before) + likeness(&q.context_after, &after),
            );
            (score, id)
        })
        .collect();
    let Some(best) = scored.iter().map(|(s, _)| *s).max() else {
        return Found::NoFigure;
    };
    let top: Vec<FigureId> = scored
        .iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, id)| *id)
        .collect();
    let source = |id: FigureId| {
        let f = site.figure(id);
        (f.document, &f.quote_anchor)
    };
    if top.iter().all(|&id| source(id) == source(top[0])) {
        Found::Figure(top[0])
    } else {
        Found::Ambiguous(top)
    }
}

/// Every quantity in an owner's prose and what it links to.
pub fn numbers(site: &Site, owner: Owner) -> Vec<(Quantity, Found)> {
    let Some((source, _)) = text_of(site, owner) else {
        return Vec::new();
    };
    let shown = candidates(site, owner);
    // Only when a number is not among the shown figures, and computed once.
    let mut wider_ids: Option<Vec<FigureId>> = None;
    quantities(source, &site.prose_units)
        .into_iter()
        .map(|q| {
            let mut found = find(site, &q, &shown);
            if found == Found::NoFigure {
                let wider = wider_ids.get_or_insert_with(|| {
                    let mut ids = wider(site, owner);
                    // `candidates` returns its ids sorted.
                    ids.retain(|id| shown.binary_search(id).is_err());
                    ids
                });
                let alike: Vec<FigureId> = wider
                    .iter()
                    .copied()
                    // The value first: reading quotes is the costly part.
                    .filter(|&id| states(site.figure(id), &q))
                    .filter(|&id| {
                        let (before, after) = around(site.figure(id), &q);
                        likeness(&q.context, &before) + likeness(&q.context_after, &after)
                            >= WIDER_LIKENESS
                    })
                    .collect();
                found = find(site, &q, &alike);
            }
            (q, found)
        })
        .collect()
}

/// Warns about every quantity in prose that links to no figure.
pub fn check(site: &Site, sink: &mut Diagnostics) {
    let owners = (0..site.programs.len())
        .map(|i| Owner::Program(ProgramId(i)))
        .chain((0..site.brands.len()).map(|i| Owner::Brand(BrandId(i))))
        .chain((0..site.regions.len()).map(|i| Owner::Region(RegionId(i))));
    for owner in owners {
        let Some((_, at)) = text_of(site, owner) else {
            continue;
        };
        let what = match owner {
            Owner::Program(_) => "项目",
            Owner::Brand(_) => "品牌",
            Owner::Region(_) => "区域",
        };
        for (q, found) in numbers(site, owner) {
            // A summary in a block scalar does not map byte for byte: the whole field.
            let span = if at.end > at.start {
                at
            } else {
                Span::new(at.file, at.start + q.bytes.start, at.start + q.bytes.end)
            };
            let diagnostic = match found {
                Found::Figure(_) => continue,
                Found::NoFigure => Diagnostic::warning(
                    Code::UnlinkedNumber,
                    span,
                    format!("正文中的数字“{}”在本{what}页显示的数字和所在地区的数字里都找不到，读者无法点击它查看原文语句", q.written),
                )
                .label("没有出处的数字")
                .help(format!(
                    "页脚承诺“点击数字可查看原文语句”：在原文所在文件（documents/）的 figures 中添加这个数字（数值、单位和限定词如“近”“余”“以上”与原文一致），并关联到本{what}；原文没有这个数字时改写这句话（不写由几个数字算出的合计，页面会自动显示核对行）"
                )),
                Found::Ambiguous(ids) => {
                    let sources: Vec<String> = ids
                        .iter()
                        .map(|&id| format!("“{}”", site.figure(id).quote))
                        .collect();
                    Diagnostic::warning(
                        Code::UnlinkedNumber,
                        span,
                        format!(
                            "正文中的数字“{}”与本{what}页的几个数字都相同，无法确定链接到哪一句原文：{}",
                            q.written,
                            sources.join("、")
                        ),
                    )
                    .label("出处不明确的数字")
                    .help("在这句话里写明它说的是哪个项目、地区或单位（沿用原文语句的说法），使它只对应其中一句原文")
                }
            };
            sink.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn units() -> Vec<String> {
        let mut u: Vec<String> = MEASURES.iter().map(|m| (*m).to_owned()).collect();
        u.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
        u
    }

    fn q(source: &str) -> Vec<Quantity> {
        quantities(source, &units())
    }

    #[test]
    fn quantities_keep_unit_and_qualifier() {
        let found = q("全省年培训近1万人，投入2300万元，合作企业500余家，占75%。");
        let seen: Vec<(&str, Decimal, &str, Option<Bound>)> = found
            .iter()
            .map(|x| (x.written.as_str(), x.value, x.unit.as_str(), x.bound))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("近1万人", d("10000"), "人", Some(Bound::About)),
                ("2300万元", d("23000000"), "元", None),
                ("500余家", d("500"), "家", Some(Bound::Lower)),
                ("75%", d("75"), "%", None),
            ]
        );
    }

    #[test]
    fn years_ordinals_and_chinese_numerals_are_not_quantities() {
        assert!(q("2025年，“十个专项”的第2项，188号提案，十万人，第3个").is_empty());
        // Full-width digits are digits (NFKC), as in quotes.
        assert_eq!(q("培训１万人次")[0].value, d("10000"));
    }

    #[test]
    fn numbers_in_links_and_code_are_left_alone_but_headings_count() {
        let found = q("[培训3万人次](/documents/x/#q-1) `5万人`\n\n## 目标6万人次\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].written, "6万人次");
    }

    #[test]
    fn positions_map_onto_the_source() {
        let source = "前文 *强调* 培训**3万**人次与1.5万人。\n";
        let found = q(source);
        let last = found.last().unwrap();
        assert_eq!(&source[last.bytes.clone()], "1.5万人");
    }
}
