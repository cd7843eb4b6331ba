//! Totals against their parts, where the content states both: a program and
//! its sub-programs (or, for a top program without a total of its own, its
//! scope region's total in the same document: the ten 专项 and the province's
//! target), and a region and its child regions. Derived from the model
//! (program parent and scope, region parent), never from names.
//!
//! Disagreement is a warning citing both quotes; agreement is a line on the
//! total's page. Values are compared as intervals (`compare::Interval`): a
//! total of "200万人次以上" agrees with parts adding up to exactly 200万.

use rust_decimal::Decimal;

use crate::content::value::format_chinese;
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
    let written_sum = format!("{}{}", format_chinese(sum), m.unit);
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
