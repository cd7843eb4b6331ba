//! Totals against their parts, where the content states both: a program and
//! its sub-programs (or, for a top program without a total of its own, its
//! scope region's total in the same document: the ten 专项 and the province's
//! target), and a region and its child regions. Derived from the model
//! (program parent and scope, region parent), never from names.
//!
//! A percentage with `share_of: {part, whole}` is recomputed from those two
//! figures and compared at the precision the source writes (19.4% is
//! [19.35, 19.45)); a bad reference is an error.
//!
//! Disagreement is a warning citing both quotes; agreement is a line on the
//! total's page. Values are compared as intervals (`compare::Interval`): a
//! total of "200万人次以上" agrees with parts adding up to exactly 200万.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::diag::{Code, Diagnostic, Diagnostics};

use super::compare::{self, Interval};
use super::*;

/// Where an agreement line is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Program(ProgramId),
    Region(RegionId),
}

/// A total that its parts add up to: one line on the holder's page.
#[derive(Clone, Debug)]
pub struct Agreement {
    pub holder: Holder,
    pub text: String,
    /// The total and the parts, for links and tests.
    pub total: FigureId,
    pub parts: Vec<FigureId>,
}

pub(super) fn check(site: &Site, sink: &mut Diagnostics) -> Vec<Agreement> {
    let mut found = Vec::new();
    for p in 0..site.programs.len() {
        check_program(site, ProgramId(p), sink, &mut found);
    }
    for r in 0..site.regions.len() {
        check_region(site, RegionId(r), sink, &mut found);
    }
    check_shares(site, sink, &mut found);
    found
}

fn kind_word(kind: FigureKind) -> &'static str {
    match kind {
        FigureKind::Target => "目标",
        _ => "完成数",
    }
}

/// The (metric, kind, time basis) triples some eligible figure in `ids` has.
fn subjects(site: &Site, ids: &[FigureId]) -> Vec<(MetricId, FigureKind, Time)> {
    let mut out: Vec<_> = ids
        .iter()
        .map(|&i| site.figure(i))
        .filter(|f| compare::eligible(f).is_ok())
        .filter_map(|f| compare::time_basis(f.time).map(|t| (f.metric, f.kind, t)))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn matches(f: &Figure, metric: MetricId, kind: FigureKind, time: Time) -> bool {
    f.metric == metric
        && f.kind == kind
        && compare::eligible(f).is_ok()
        && compare::time_basis(f.time) == Some(time)
}

fn check_program(site: &Site, id: ProgramId, sink: &mut Diagnostics, found: &mut Vec<Agreement>) {
    let p = site.program(id);
    if p.children.is_empty() {
        return;
    }
    let child_figures: Vec<FigureId> = p
        .children
        .iter()
        .flat_map(|&c| site.program(c).figures.iter().copied())
        .collect();
    for (metric, kind, time) in subjects(site, &child_figures) {
        let Some((parts, complete)) = compare::program_parts(site, id, metric, kind, time) else {
            continue;
        };
        let own = p.figures.iter().copied().find(|&i| {
            let f = site.figure(i);
            f.program == Some(id) && matches(f, metric, kind, time)
        });
        // A top program without a total of its own: its scope's total in the
        // same document as the parts (the province's target for the ten 专项).
        let total = own.or_else(|| {
            if p.parent.is_some() {
                return None;
            }
            let docs: Vec<DocId> = parts.iter().map(|&i| site.figure(i).document).collect();
            site.region(p.scope).figures.iter().copied().find(|&i| {
                let f = site.figure(i);
                f.program.is_none()
                    && f.brand.is_none()
                    && docs.contains(&f.document)
                    && matches(f, metric, kind, time)
            })
        });
        let Some(total) = total else { continue };
        // Sub-programs the parts belong to (a parent stated as parts counts once).
        let covered = p
            .children
            .iter()
            .filter(|&&c| {
                parts.iter().any(|&i| {
                    site.figure(i)
                        .program
                        .is_some_and(|fp| site.program_and_ancestors(fp).any(|a| a == c))
                })
            })
            .count();
        let parts_name = if covered == p.children.len() {
            format!("{covered}个子项目")
        } else {
            format!("有此项数字的{covered}个子项目（共{}个）", p.children.len())
        };
        let whose = if own.is_some() {
            format!("{}的", p.name)
        } else {
            format!("{}的", site.region(p.scope).name)
        };
        compare_total(
            site,
            Holder::Program(id),
            total,
            &parts,
            complete,
            &parts_name,
            &whose,
            sink,
            found,
        );
    }
}

fn check_region(site: &Site, id: RegionId, sink: &mut Diagnostics, found: &mut Vec<Agreement>) {
    let r = site.region(id);
    if r.children.is_empty() {
        return;
    }
    let own_totals = r.figures.iter().copied().filter(|&i| {
        let f = site.figure(i);
        f.region == id && f.program.is_none() && f.brand.is_none()
    });
    for total in own_totals.collect::<Vec<_>>() {
        let t = site.figure(total);
        let Some(time) = compare::time_basis(t.time) else {
            continue;
        };
        if compare::eligible(t).is_err() || site.metric(t.metric).unit == "%" {
            continue;
        }
        let mut parts = Vec::new();
        let mut complete = true;
        for &c in &r.children {
            let part = site.region(c).figures.iter().copied().find(|&i| {
                let f = site.figure(i);
                f.region == c
                    && f.program.is_none()
                    && f.brand.is_none()
                    && matches(f, t.metric, t.kind, time)
            });
            match part {
                Some(p) => parts.push(p),
                None => complete = false,
            }
        }
        if parts.is_empty() {
            continue;
        }
        compare_total(
            site,
            Holder::Region(id),
            total,
            &parts,
            complete,
            &if complete {
                format!("下辖{}个地区", r.children.len())
            } else {
                format!(
                    "有此项数字的{}个下辖地区（共{}个）",
                    parts.len(),
                    r.children.len()
                )
            },
            &format!("{}的", r.name),
            sink,
            found,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_total(
    site: &Site,
    holder: Holder,
    total: FigureId,
    parts: &[FigureId],
    complete: bool,
    parts_name: &str,
    whose: &str,
    sink: &mut Diagnostics,
    found: &mut Vec<Agreement>,
) {
    let t = site.figure(total);
    // Averages and rates of the parts do not add up to the whole's.
    if !site.metric(t.metric).additive {
        return;
    }
    let t_int = compare::entry_of(site, (), total).interval;
    let entries: Vec<_> = parts
        .iter()
        .map(|&p| compare::entry_of(site, (), p))
        .collect();
    let low: Decimal = entries.iter().map(|e| e.interval.low).sum();
    let high: Option<Decimal> = entries.iter().map(|e| e.interval.high).sum();
    let sum: Decimal = entries.iter().map(|e| e.value).sum();
    let sum_int = Interval { low, high };
    let m = site.metric(t.metric);
    // Parts may exceed nothing; when all are known they must also reach the total.
    let exceeds = t_int.high.is_some_and(|th| low > th);
    let falls_short = complete && sum_int.high.is_some_and(|sh| sh < t_int.low);
    let written_sum = crate::content::value::format_with_unit(sum, &m.unit);
    if exceeds || falls_short {
        let how = if exceeds { "超过了" } else { "不到" };
        let mut d = Diagnostic::warning(
            Code::InconsistentTotal,
            t.span,
            format!(
                "{parts_name}的{}（{}）合计{written_sum}，{how}{whose}总数“{}”",
                m.name,
                kind_word(t.kind),
                t.value_label()
            ),
        )
        .label(format!("总数，引文：{}", t.quote));
        for &p in parts {
            let f = site.figure(p);
            d = d.also(f.span, format!("分项，引文：{}", f.quote));
        }
        sink.push(
            d.help("核对各分项与总数是否同一指标、同一时间、同一口径；原文如此时在 note 中说明"),
        );
        return;
    }
    // Parts that already add up exactly to an exact total agree even when a
    // sub-item has no number of this kind (it states none, e.g. another metric).
    let exact_match = sum_int.exact() && t_int.exact() && sum_int.low == t_int.low;
    if complete || exact_match {
        found.push(Agreement {
            holder,
            text: format!(
                "{parts_name}{}{}合计{written_sum}（由分项相加），与{whose}{}“{}”一致",
                m.name,
                kind_word(t.kind),
                kind_word(t.kind),
                t.value_label()
            ),
            total,
            parts: parts.to_vec(),
        });
    }
}

/// A metric's name without its unit note: 政府补贴性技能培训（人） → 政府补贴性技能培训.
fn bare_name(name: &str) -> &str {
    match name.rsplit_once('（') {
        Some((head, tail)) if tail.ends_with('）') && !head.is_empty() => head,
        _ => name,
    }
}

/// Digits after the decimal point of a number as written (`19.4%` → 1).
pub fn written_decimals(written: &str) -> u32 {
    let number: String = written
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number
        .split_once('.')
        .map_or(0, |(_, frac)| frac.len() as u32)
}

/// The percentages a stated share may stand for: its qualifier's interval
/// (`compare::Interval::of`), widened by half a unit of its last written digit;
/// the upper end is exclusive (19.45 rounds to 19.5, not 19.4).
pub fn stated_share(stated: Interval, decimals: u32) -> (Decimal, Option<Decimal>) {
    let half = Decimal::new(5, decimals + 1);
    (stated.low - half, stated.high.map(|h| h + half))
}

/// part ÷ whole × 100 as an interval, from the two figures' intervals;
/// `None` when the whole may be zero.
pub fn ratio(part: Interval, whole: Interval) -> Option<Interval> {
    let hundred = Decimal::from(100);
    let low = match whole.high {
        Some(wh) => (part.low * hundred).checked_div(wh)?,
        None => Decimal::ZERO,
    };
    let high = match part.high {
        Some(ph) if !whole.low.is_zero() => Some((ph * hundred).checked_div(whole.low)?),
        _ => None,
    };
    Some(Interval { low, high })
}

/// Whether a stated share (at `decimals` written digits) agrees with a ratio.
pub fn share_agrees(stated: Interval, decimals: u32, ratio: Interval) -> bool {
    let (low, high) = stated_share(stated, decimals);
    let below_high = high.is_none_or(|h| ratio.low < h);
    let above_low = ratio.high.is_none_or(|rh| rh >= low);
    below_high && above_low
}

/// Each `share_of` resolved against the figures' `id`s and checked.
fn check_shares(site: &Site, sink: &mut Diagnostics, found: &mut Vec<Agreement>) {
    // (document, id) → figure; an id must be unique in its document.
    let mut ids: BTreeMap<(DocId, &str), FigureId> = BTreeMap::new();
    for (i, f) in site.figures.iter().enumerate() {
        let Some(id) = &f.id else { continue };
        if !crate::content::slug::is_valid(&id.value) {
            sink.push(
                Diagnostic::error(
                    Code::BadShareOf,
                    id.span,
                    format!("数字的 id“{}”不合规范", id.value),
                )
                .label("id 只能用小写字母、数字和连字符")
                .help("例如 `id: xichuan-peixun`；share_of 用它引用这个数字"),
            );
            continue;
        }
        if let Some(&first) = ids.get(&(f.document, id.value.as_str())) {
            sink.push(
                Diagnostic::error(
                    Code::BadShareOf,
                    id.span,
                    format!("同一文件中已有 id 为“{}”的数字", id.value),
                )
                .label("重复的 id")
                .also(site.figure(first).span, "先出现的数字")
                .help("同一文件中每个数字的 id 必须不同；给其中一个换个名字"),
            );
            continue;
        }
        ids.insert((f.document, id.value.as_str()), FigureId(i));
    }
    for (i, f) in site.figures.iter().enumerate() {
        if let Some(share) = &f.share_of {
            check_share(site, FigureId(i), share, &ids, sink, found);
        }
    }
}

fn resolve_ref(
    site: &Site,
    from: DocId,
    r: &crate::diag::Spanned<String>,
    ids: &BTreeMap<(DocId, &str), FigureId>,
    sink: &mut Diagnostics,
) -> Option<FigureId> {
    let (doc, id) = match r.value.split_once('#') {
        Some((slug, id)) => {
            let Some(d) = site.documents.iter().position(|d| d.slug == slug) else {
                sink.push(
                    Diagnostic::error(
                        Code::BadShareOf,
                        r.span,
                        format!("share_of 引用的文件“{slug}”不存在"),
                    )
                    .label("没有这个文件")
                    .help("写作 `文件slug#数字id`（文件slug 是 documents/ 下的文件名，不带 .md），同一文件中的数字直接写它的 id"),
                );
                return None;
            };
            (DocId(d), id)
        }
        None => (from, r.value.as_str()),
    };
    if let Some(&f) = ids.get(&(doc, id)) {
        return Some(f);
    }
    let known: Vec<&str> = ids
        .keys()
        .filter(|(d, _)| *d == doc)
        .map(|(_, i)| *i)
        .collect();
    let help = if known.is_empty() {
        format!(
            "文件“{}”中还没有写了 id 的数字：在被引用的数字上加一行 `id: 名称`（小写字母、数字和连字符），再在 share_of 中写这个名称",
            site.document(doc).slug
        )
    } else {
        format!(
            "文件“{}”中已有的 id：{}；或在被引用的数字上加一行 `id: {id}`",
            site.document(doc).slug,
            known.join("、")
        )
    };
    sink.push(
        Diagnostic::error(
            Code::BadShareOf,
            r.span,
            format!("share_of 引用的数字“{}”不存在", r.value),
        )
        .label("没有这个 id 的数字")
        .help(help),
    );
    None
}

fn check_share(
    site: &Site,
    id: FigureId,
    share: &crate::content::raw::RawShareOf,
    ids: &BTreeMap<(DocId, &str), FigureId>,
    sink: &mut Diagnostics,
    found: &mut Vec<Agreement>,
) {
    let f = site.figure(id);
    let m = site.metric(f.metric);
    if m.unit != "%" {
        sink.push(
            Diagnostic::error(
                Code::BadShareOf,
                share.span,
                format!("只有百分比才能写 share_of，指标“{}”的单位是“{}”", m.name, m.unit),
            )
            .label("不是百分比")
            .help("share_of 写在单位为 % 的数字上（例如“占比为19.4%”），说明它是哪两个数相除；其他数字请删掉 share_of"),
        );
        return;
    }
    let part = resolve_ref(site, f.document, &share.part, ids, sink);
    let whole = resolve_ref(site, f.document, &share.whole, ids, sink);
    let (Some(part), Some(whole)) = (part, whole) else {
        return;
    };
    let (p, w) = (site.figure(part), site.figure(whole));
    let (pu, wu) = (&site.metric(p.metric).unit, &site.metric(w.metric).unit);
    if pu != wu || pu == "%" {
        sink.push(
            Diagnostic::error(
                Code::BadShareOf,
                share.span,
                format!(
                    "share_of 的部分“{}”（单位{pu}）和整体“{}”（单位{wu}）不能相除",
                    p.value_label(),
                    w.value_label()
                ),
            )
            .label("单位不同")
            .also(p.span, "部分")
            .also(w.span, "整体")
            .help("部分和整体须是同一单位的数（人 和 人次 也不同），且都不是百分比；核对 part 和 whole 引用的 id"),
        );
        return;
    }
    let pi = compare::entry_of(site, (), part).interval;
    let wi = compare::entry_of(site, (), whole).interval;
    if wi.high.is_some_and(|wh| pi.low > wh) {
        sink.push(
            Diagnostic::error(
                Code::BadShareOf,
                share.part.span,
                format!(
                    "share_of 的部分“{}”大于整体“{}”",
                    p.value_label(),
                    w.value_label()
                ),
            )
            .label("部分大于整体")
            .also(w.span, "整体")
            .help("part 写部分（分子），whole 写整体（分母）；核对是否写反"),
        );
        return;
    }
    let Some(r) = ratio(pi, wi) else {
        sink.push(
            Diagnostic::error(
                Code::BadShareOf,
                share.whole.span,
                format!("share_of 的整体“{}”为零，不能作除数", w.value_label()),
            )
            .label("整体为零")
            .help("核对 whole 引用的 id"),
        );
        return;
    };
    let decimals = written_decimals(&f.value.written);
    let stated = compare::entry_of(site, (), id).interval;
    let computed = if r.exact() {
        format!("{}%", r.low.round_dp(decimals + 2).normalize())
    } else {
        format!(
            "{}%至{}",
            r.low.round_dp(decimals + 2).normalize(),
            r.high.map_or("不定".to_owned(), |h| format!(
                "{}%",
                h.round_dp(decimals + 2).normalize()
            ))
        )
    };
    let division = format!(
        "{}÷{}",
        p.in_metric_unit.normalize(),
        w.in_metric_unit.normalize()
    );
    let precision = if decimals == 0 {
        "按原文写到的整数".to_owned()
    } else {
        format!("按原文写到的{decimals}位小数")
    };
    let region = &site.region(f.region).name;
    // The ratio rounded as the source rounds (half away from zero).
    let rounded = r.exact().then(|| {
        format!(
            "{precision}为{}%",
            r.low
                .round_dp_with_strategy(
                    decimals,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                )
                .normalize()
        )
    });
    if share_agrees(stated, decimals, r) {
        let rounded = rounded.map(|t| format!("，{t}")).unwrap_or_default();
        found.push(Agreement {
            holder: Holder::Region(f.region),
            text: format!(
                "{region}{}{}占{}{}的{}：{division}≈{computed}{rounded}，与原文“{}”一致",
                bare_name(&site.metric(p.metric).name),
                p.value_label(),
                bare_name(&site.metric(w.metric).name),
                w.value_label(),
                f.value_label(),
                f.quote
            ),
            total: id,
            parts: vec![part, whole],
        });
        return;
    }
    if f.reviewed.is_some() {
        return;
    }
    sink.push(
        Diagnostic::warning(
            Code::InconsistentShare,
            f.span,
            format!(
                "百分比“{}”与它所由计算的两个数不一致：{division}≈{computed}{}",
                f.value_label(),
                rounded.map(|t| format!("，{t}")).unwrap_or_default()
            ),
        )
        .label(format!("百分比，引文：{}", f.quote))
        .also(p.span, format!("部分，引文：{}", p.quote))
        .also(w.span, format!("整体，引文：{}", w.quote))
        .help("核对 share_of 的 part（部分）和 whole（整体）是否引用了正确的数字、数值是否抄错；原件确实如此时在 note 中说明，核对后加一行 `reviewed: 理由`"),
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Bound;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn exact(s: &str) -> Interval {
        Interval::of(d(s), None, None)
    }

    #[test]
    fn a_share_agrees_within_half_a_written_digit_and_not_at_the_upper_edge() {
        let stated = exact("19.4");
        for inside in ["19.35", "19.4", "19.4499"] {
            assert!(share_agrees(stated, 1, exact(inside)), "{inside}");
        }
        // 19.45 rounds to 19.5 and 19.3499 to 19.3: neither is "19.4%".
        for outside in ["19.45", "19.3499", "19.5"] {
            assert!(!share_agrees(stated, 1, exact(outside)), "{outside}");
        }
        // Two written decimals are held to two: 19.41 is not "19.4" at 19.40%.
        assert!(!share_agrees(exact("19.40"), 2, exact("19.41")));
        // 淅川: 1697 ÷ 8741 = 19.414…%.
        let r = ratio(exact("1697"), exact("8741")).unwrap();
        assert!(share_agrees(stated, 1, r));
        let r = ratio(exact("1697"), exact("8700")).unwrap(); // 19.505…%
        assert!(!share_agrees(stated, 1, r));
    }

    #[test]
    fn a_qualifier_widens_the_stated_share_honestly() {
        // 35%左右: ±10% of 35, then half a unit: [31, 39).
        let about = Interval::of(d("35"), Some(Bound::About), Some("左右"));
        assert!(share_agrees(about, 0, exact("33.2")));
        assert!(share_agrees(about, 0, exact("31")));
        assert!(!share_agrees(about, 0, exact("30.9")));
        assert!(!share_agrees(about, 0, exact("39")));
        // 不低于20% is a bound: anything from 19.5 up.
        let floor = Interval::of(d("20"), Some(Bound::Lower), Some("不低于"));
        assert!(share_agrees(floor, 0, exact("87")));
        assert!(share_agrees(floor, 0, exact("19.5")));
        assert!(!share_agrees(floor, 0, exact("19.4")));
        // 最高30%: up to 30.5 (exclusive), however small.
        let cap = Interval::of(d("30"), Some(Bound::Upper), Some("最高"));
        assert!(share_agrees(cap, 0, exact("0.1")));
        assert!(!share_agrees(cap, 0, exact("30.5")));
    }

    #[test]
    fn a_bounded_part_or_whole_makes_the_ratio_an_interval() {
        // 近1万 of exactly 5万: 18%–20%.
        let near = Interval::of(d("10000"), Some(Bound::About), Some("近"));
        let r = ratio(near, exact("50000")).unwrap();
        assert_eq!((r.low, r.high), (d("18"), Some(d("20"))));
        assert!(share_agrees(exact("19"), 0, r));
        assert!(!share_agrees(exact("21"), 0, r));
        // A whole of "500余" has no upper end: the ratio may go down to 0.
        let more = Interval::of(d("500"), Some(Bound::Lower), Some("余"));
        let r = ratio(exact("100"), more).unwrap();
        assert_eq!((r.low, r.high), (Decimal::ZERO, Some(d("20"))));
        // A zero whole divides nothing.
        assert!(ratio(exact("1"), exact("0")).is_none());
    }

    #[test]
    fn decimals_are_counted_as_written() {
        assert_eq!(written_decimals("19.4%"), 1);
        assert_eq!(written_decimals("28.38％"), 2);
        assert_eq!(written_decimals("35%"), 0);
        assert_eq!(written_decimals("19.40"), 2);
    }

    /// The minimal fixture site with one more document whose figures are `figures`.
    fn checked_with(figures: &str) -> crate::Checked {
        checked_with_body(
            figures,
            "2024年全县组织补贴性培训8741人，定向输送技能人才1697人，占比为19.4%。另一口径占比为19.6%。输送1697人次。",
        )
    }

    /// The minimal fixture site, a few more metrics, and a document `shares`
    /// of the given figures and body.
    pub(crate) fn checked_with_body(figures: &str, body: &str) -> crate::Checked {
        let dir = crate::test_fixtures::site_from(&["good/minimal"]);
        let content = dir.path().join("content");
        let mut metrics = std::fs::read_to_string(content.join("metrics.yaml")).unwrap();
        metrics.push_str(
            "trained:\n  name: 补贴性培训\n  unit: 人\noutbound:\n  name: 定向输送\n  unit: 人\noutbound_times:\n  name: 输送人次\n  unit: 人次\nshare:\n  name: 输送占比\n  unit: \"%\"\n",
        );
        std::fs::write(content.join("metrics.yaml"), metrics).unwrap();
        let doc = format!(
            "---\ntitle: 县里的报告\nkind: report\nregion: nanyang\ndate: 2024-05-28\nfigures:\n{figures}---\n{body}\n"
        );
        std::fs::write(content.join("documents/shares.md"), doc).unwrap();
        let checked = crate::validate(dir.path());
        drop(dir);
        checked
    }

    const PARTS: &str = "  - metric: trained\n    id: peixun\n    value: 8741\n    year: 2024\n    quote: 组织补贴性培训8741人\n  - metric: outbound\n    id: shuchu\n    value: 1697\n    year: 2024\n    quote: 定向输送技能人才1697人\n  - metric: outbound_times\n    id: renci\n    value: 1697\n    year: 2024\n    quote: 输送1697人次\n";

    fn codes(c: &crate::Checked) -> Vec<(Code, String)> {
        c.diagnostics
            .iter()
            .map(|d| (d.code, d.message.clone()))
            .collect()
    }

    #[test]
    fn an_agreeing_share_gives_a_line_on_its_regions_page() {
        let c = checked_with(&format!(
            "{PARTS}  - metric: share\n    value: 19.4%\n    year: 2024\n    quote: 占比为19.4%\n    share_of:\n      part: shuchu\n      whole: peixun\n"
        ));
        assert!(codes(&c).is_empty(), "{:?}", codes(&c));
        let site = c.site.unwrap();
        let lines: Vec<&Agreement> = site
            .agreements
            .iter()
            .filter(|a| a.text.contains('÷'))
            .collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].text,
            "南阳市定向输送1697人占补贴性培训8741人的19.4%：1697÷8741≈19.414%，按原文写到的1位小数为19.4%，与原文“占比为19.4%”一致"
        );
    }

    #[test]
    fn a_disagreeing_share_warns_citing_all_three_quotes() {
        let c = checked_with(&format!(
            "{PARTS}  - metric: share\n    value: 19.6%\n    year: 2024\n    quote: 另一口径占比为19.6%\n    share_of: {{part: shuchu, whole: peixun}}\n"
        ));
        let warnings: Vec<&crate::diag::Diagnostic> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::InconsistentShare)
            .collect();
        assert_eq!(warnings.len(), 1, "{:?}", codes(&c));
        let w = warnings[0];
        assert!(w.message.contains("1697÷8741≈19.414%") && w.message.contains("为19.4%"));
        assert_eq!(w.secondary.len(), 2);
        assert!(
            c.site
                .unwrap()
                .agreements
                .iter()
                .all(|a| !a.text.contains('÷'))
        );
    }

    #[test]
    fn bad_references_are_errors_in_the_editors_terms() {
        let share = |part: &str, whole: &str| {
            format!(
                "{PARTS}  - metric: share\n    value: 19.4%\n    year: 2024\n    quote: 占比为19.4%\n    share_of:\n      part: {part}\n      whole: {whole}\n"
            )
        };
        let only_error = |c: &crate::Checked| {
            let errors: Vec<(Code, String)> = codes(c)
                .into_iter()
                .filter(|(code, _)| *code == Code::BadShareOf)
                .collect();
            assert_eq!(errors.len(), 1, "{:?}", codes(c));
            assert!(c.diagnostics.has_errors());
            errors[0].1.clone()
        };
        assert!(only_error(&checked_with(&share("shuchu", "pei-xun"))).contains("“pei-xun”不存在"));
        assert!(
            only_error(&checked_with(&share("nope#shuchu", "peixun"))).contains("文件“nope”不存在")
        );
        // 人次 ÷ 人: a unit mismatch.
        assert!(only_error(&checked_with(&share("renci", "peixun"))).contains("不能相除"));
        // Written the wrong way round: the part is larger than the whole.
        assert!(only_error(&checked_with(&share("peixun", "shuchu"))).contains("大于整体"));
        // Another document's figure by `slug#id`.
        let c = checked_with(&share("shares#shuchu", "shares#peixun"));
        assert!(!c.diagnostics.has_errors(), "{:?}", codes(&c));
    }
}
