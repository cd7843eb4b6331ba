//! What may be compared, ranked, summed and charted together (DESIGN.md "What
//! may be compared"). Every chart, every generated sentence, every headline and
//! every total gets its set from here, and so does the build's check of totals
//! against their parts; that is why this sits in the model, not in `render/`.
//!
//! Figures are comparable when they share metric, kind and time basis (the
//! unit follows from the metric: values are compared in the metric's unit),
//! have no `subject`, and are not standards. A bound (以上, 最高) or an
//! approximation (近, 约) stays comparable but is ranked as an interval:
//!
//! - exact `v`: [v, v]; lower bound: [v, ∞); upper bound: [0, v];
//! - approximation: [0.9v, 1.1v] (近/接近: [0.9v, v]), i.e. within 10%.
//!
//! "最大的是X" is said only when X's interval lies at or above every other;
//! otherwise the sentence names every candidate that could be the largest.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::*;

/// Why a figure was left out of a comparison, as the sentence says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// About one organisation or group narrower than its region.
    Subject(String),
    /// A policy parameter, never an achievement.
    Standard,
    /// Another time basis than the compared figures'.
    OtherTime(String),
    /// A vague span in the source's words (近三年来): no place on a time axis.
    Vague(String),
    Undated,
    /// A parent whose parts are stated only for some sub-items.
    PartsIncomplete,
    /// A program's figure shown among brands, or a region's program figure.
    NotOwn(String),
    /// A count since a date (2019年以来): no single point on a time axis.
    NotAPoint(String),
    /// Figures of one series at one time that state different numbers.
    Conflicting(String),
    /// Stated only as parts, of a metric whose parts cannot be added (an average).
    NotAdditive,
}

impl Reason {
    pub fn text(&self) -> String {
        match self {
            Reason::Subject(s) => format!("只涉及{s}"),
            Reason::Standard => "是政策标准，不是完成数".to_owned(),
            Reason::OtherTime(t) => format!("时间不同（{t}）"),
            Reason::Vague(t) => format!("时间为原文的“{t}”，无法对齐"),
            Reason::Undated => "时间未注明".to_owned(),
            Reason::PartsIncomplete => "只有部分分项有数字，无法相加".to_owned(),
            Reason::NotOwn(what) => what.clone(),
            Reason::NotAPoint(t) => format!("是“{t}”的累计数，不是时间轴上的一点"),
            Reason::Conflicting(t) => format!("{t}有几个不同的数，不知以哪个为准"),
            Reason::NotAdditive => "只有各分项的数字，而平均数或比率不能相加".to_owned(),
        }
    }
}

/// Whether a figure may enter any comparison, total or headline at all.
pub fn eligible(f: &Figure) -> Result<(), Reason> {
    if f.kind == FigureKind::Standard {
        return Err(Reason::Standard);
    }
    if let Some(s) = &f.subject {
        return Err(Reason::Subject(s.clone()));
    }
    match f.time {
        Time::Vague(_) => Err(Reason::Vague(f.time_label())),
        Time::Undated => Err(Reason::Undated),
        _ => Ok(()),
    }
}

/// Figures that share a time basis: a stock on the document's date and the
/// same date given as `as_of` are one basis.
pub fn time_basis(time: Time) -> Option<Time> {
    match time {
        Time::DocDate(d) => Some(Time::AsOf(d)),
        Time::Vague(_) | Time::Undated => None,
        t => Some(t),
    }
}

/// A value as an interval (in the metric's unit), from its qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub low: Decimal,
    /// `None`: no upper end (a lower bound).
    pub high: Option<Decimal>,
}

impl Interval {
    pub fn of(value: Decimal, bound: Option<Bound>, word: Option<&str>) -> Interval {
        let tenth = value / Decimal::from(10);
        match bound {
            None => Interval {
                low: value,
                high: Some(value),
            },
            Some(Bound::Lower) => Interval {
                low: value,
                high: None,
            },
            Some(Bound::Upper) => Interval {
                low: Decimal::ZERO,
                high: Some(value),
            },
            Some(Bound::About) if matches!(word, Some("近" | "接近")) => Interval {
                low: value - tenth,
                high: Some(value),
            },
            Some(Bound::About) => Interval {
                low: value - tenth,
                high: Some(value + tenth),
            },
        }
    }

    pub fn exact(&self) -> bool {
        self.high == Some(self.low)
    }
}

/// One compared item: a figure, or the sum of a parent's parts.
#[derive(Clone, Debug)]
pub struct Entry<K> {
    pub key: K,
    /// The figure, or the parts that were added up.
    pub figures: Vec<FigureId>,
    /// In the metric's unit (a sum for parts).
    pub value: Decimal,
    pub interval: Interval,
    /// 由分项相加: the value is the sum of `figures`.
    pub from_parts: bool,
}

#[derive(Clone, Debug)]
pub struct LeftOut<K> {
    pub key: K,
    pub figure: FigureId,
    pub reason: Reason,
}

/// A comparable set and what was left out of it, with reasons.
#[derive(Clone, Debug)]
pub struct Selection<K> {
    pub entries: Vec<Entry<K>>,
    pub left_out: Vec<LeftOut<K>>,
    /// The shared time basis of the entries.
    pub time: Option<Time>,
}

pub fn entry_of<K>(site: &Site, key: K, id: FigureId) -> Entry<K> {
    let f = site.figure(id);
    let value = f.in_metric_unit_high.unwrap_or(f.in_metric_unit);
    let interval = match f.in_metric_unit_high {
        // A range 2万-15万 is its own interval.
        Some(high) => Interval {
            low: f.in_metric_unit,
            high: Some(high),
        },
        None => Interval::of(value, f.bound(), f.qualifier.as_deref()),
    };
    Entry {
        key,
        figures: vec![id],
        value,
        interval,
        from_parts: false,
    }
}

/// Sum of parts: the sum of the values, bounded as loosely as its loosest part.
fn sum_of<K>(site: &Site, key: K, parts: &[FigureId]) -> Entry<K> {
    let entries: Vec<Entry<()>> = parts.iter().map(|&p| entry_of(site, (), p)).collect();
    let value = entries.iter().map(|e| e.value).sum();
    let low = entries.iter().map(|e| e.interval.low).sum();
    let high = entries
        .iter()
        .map(|e| e.interval.high)
        .sum::<Option<Decimal>>();
    Entry {
        key,
        figures: parts.to_vec(),
        value,
        interval: Interval { low, high },
        from_parts: true,
    }
}

/// Picks the comparable set of `kind` among `figures`, one entry per key.
///
/// The time basis is the one most keys have a figure at (ties: the latest).
/// A key's figure is the one at that basis, its own totals (no program or
/// brand) first, then file order. Keys without a figure at that basis are left
/// out with their latest figure's time. `parts(k)`: for a key with no figure
/// at all, the figures of its parts (sub-programs) if it has parts, and
/// whether every part has one: then the key's entry is their sum (由分项相加).
pub fn select<K: Ord + Copy>(
    site: &Site,
    figures: &[FigureId],
    kind: FigureKind,
    key: impl Fn(&Figure) -> Option<K>,
    parts: impl Fn(K, Time) -> Option<(Vec<FigureId>, bool)>,
    expected: &[K],
) -> Selection<K> {
    let mut left_out = Vec::new();
    let mut by_key: BTreeMap<K, Vec<FigureId>> = BTreeMap::new();
    for &id in figures {
        let f = site.figure(id);
        let Some(k) = key(f) else { continue };
        if f.kind != kind {
            continue;
        }
        match eligible(f) {
            Ok(()) => by_key.entry(k).or_default().push(id),
            // A standard among achievements is a different kind of number: not "left out".
            Err(Reason::Standard) => {}
            Err(reason) => left_out.push(LeftOut {
                key: k,
                figure: id,
                reason,
            }),
        }
    }
    // Count keys per time basis.
    let mut counts: BTreeMap<Time, usize> = BTreeMap::new();
    for ids in by_key.values() {
        let mut bases: Vec<Time> = ids
            .iter()
            .filter_map(|&i| time_basis(site.figure(i).time))
            .collect();
        bases.sort();
        bases.dedup();
        for b in bases {
            *counts.entry(b).or_default() += 1;
        }
    }
    let time = counts
        .iter()
        .max_by_key(|&(t, n)| (*n, *t))
        .map(|(t, _)| *t);
    let mut entries = Vec::new();
    let mut missing: Vec<K> = expected
        .iter()
        .copied()
        .filter(|k| !by_key.contains_key(k))
        .collect();
    for (k, ids) in &by_key {
        let at: Vec<FigureId> = ids
            .iter()
            .copied()
            .filter(|&i| time_basis(site.figure(i).time) == time)
            .collect();
        let best = at.iter().copied().min_by_key(|&i| {
            let f = site.figure(i);
            (f.program.is_some() || f.brand.is_some(), i)
        });
        match best {
            Some(id) => entries.push(entry_of(site, *k, id)),
            None => {
                let latest = ids
                    .iter()
                    .copied()
                    .max_by_key(|&i| (site.figure(i).time, std::cmp::Reverse(i)))
                    .expect("a key has figures");
                left_out.push(LeftOut {
                    key: *k,
                    figure: latest,
                    reason: Reason::OtherTime(site.figure(latest).time_label()),
                });
            }
        }
    }
    if let Some(t) = time {
        missing.sort();
        for k in missing {
            match parts(k, t) {
                Some((ids, _))
                    if !ids.is_empty() && !site.metric(site.figure(ids[0]).metric).additive =>
                {
                    left_out.push(LeftOut {
                        key: k,
                        figure: ids[0],
                        reason: Reason::NotAdditive,
                    })
                }
                Some((ids, true)) if !ids.is_empty() => entries.push(sum_of(site, k, &ids)),
                Some((ids, false)) if !ids.is_empty() => left_out.push(LeftOut {
                    key: k,
                    figure: ids[0],
                    reason: Reason::PartsIncomplete,
                }),
                _ => {}
            }
        }
    }
    entries.sort_by_key(|e| e.key);
    Selection {
        entries,
        left_out,
        time,
    }
}

/// For a program with no figure of its own: its sub-programs' figures of the
/// same metric, kind and time basis, and whether every sub-program has one.
pub fn program_parts(
    site: &Site,
    program: ProgramId,
    metric: MetricId,
    kind: FigureKind,
    time: Time,
) -> Option<(Vec<FigureId>, bool)> {
    let children = &site.program(program).children;
    if children.is_empty() {
        return None;
    }
    let mut ids = Vec::new();
    let mut complete = true;
    for &c in children {
        let own = site.program(c).figures.iter().copied().find(|&i| {
            let f = site.figure(i);
            f.metric == metric
                && f.kind == kind
                && f.program == Some(c)
                && eligible(f).is_ok()
                && time_basis(f.time) == Some(time)
        });
        match own {
            Some(id) => ids.push(id),
            None => match program_parts(site, c, metric, kind, time) {
                Some((more, true)) => ids.extend(more),
                _ => complete = false,
            },
        }
    }
    Some((ids, complete))
}

/// What one series over time is about. A subject's figures are their own
/// series: they never join (or stand in for) their region's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeriesKey {
    pub region: RegionId,
    pub subject: Option<String>,
    pub metric: MetricId,
    pub program: Option<ProgramId>,
    pub brand: Option<BrandId>,
    pub kind: FigureKind,
}

/// How a time is written: points of one series share it, since a year, a
/// multi-year period and a stock on a date do not belong on one axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    Year,
    Period,
    Date,
}

/// The shape of a time that can be a point of a series; counts since a date,
/// vague spans and undated figures are not points.
pub fn shape(time: Time) -> Option<Shape> {
    match time {
        Time::Year(_) => Some(Shape::Year),
        Time::Period(..) => Some(Shape::Period),
        Time::AsOf(_) | Time::DocDate(_) => Some(Shape::Date),
        Time::Since(..) | Time::Vague(_) | Time::Undated => None,
    }
}

/// One key's figures at two or more times of one shape, oldest first, and the
/// key's other figures with the reason each is not on the axis.
#[derive(Clone, Debug)]
pub struct Series {
    pub key: SeriesKey,
    pub shape: Shape,
    pub points: Vec<FigureId>,
    pub left_out: Vec<LeftOut<()>>,
}

/// Every series over time among `figures`: same region and subject, metric,
/// program, brand and kind (never a standard), at two or more distinct times
/// of one shape; periods must not overlap (2019—2024 beside 2022—2024 would
/// count the same years twice).
pub fn series(site: &Site, figures: &[FigureId]) -> Vec<Series> {
    let mut by_key: BTreeMap<SeriesKey, Vec<FigureId>> = BTreeMap::new();
    for &id in figures {
        let f = site.figure(id);
        if f.kind == FigureKind::Standard {
            continue;
        }
        let key = SeriesKey {
            region: f.region,
            subject: f.subject.clone(),
            metric: f.metric,
            program: f.program,
            brand: f.brand,
            kind: f.kind,
        };
        by_key.entry(key).or_default().push(id);
    }
    let mut out = Vec::new();
    for (key, ids) in by_key {
        let mut shapes: Vec<Shape> = ids
            .iter()
            .filter_map(|&i| shape(site.figure(i).time))
            .collect();
        shapes.sort();
        shapes.dedup();
        for sh in shapes {
            let mut points: Vec<FigureId> = ids
                .iter()
                .copied()
                .filter(|&i| shape(site.figure(i).time) == Some(sh))
                .collect();
            points.sort_by_key(|&i| (site.figure(i).time, i));
            // One point per time: a number restated by several documents is
            // drawn once; different numbers for one time are drawn not at all.
            let mut conflicting: Vec<FigureId> = Vec::new();
            let mut kept: Vec<FigureId> = Vec::new();
            for same_time in points.chunk_by(|&a, &b| site.figure(a).time == site.figure(b).time) {
                let first = site.figure(same_time[0]);
                let agree = same_time.iter().all(|&i| {
                    let f = site.figure(i);
                    f.in_metric_unit == first.in_metric_unit
                        && f.in_metric_unit_high == first.in_metric_unit_high
                        && f.qualifier == first.qualifier
                });
                if agree {
                    kept.push(same_time[0]);
                } else {
                    conflicting.extend_from_slice(same_time);
                }
            }
            let restated: Vec<FigureId> = points
                .iter()
                .copied()
                .filter(|i| !kept.contains(i) && !conflicting.contains(i))
                .collect();
            let points = kept;
            let times: Vec<Time> = points.iter().map(|&i| site.figure(i).time).collect();
            let overlapping = times.windows(2).any(|w| {
                matches!((w[0], w[1]), (Time::Period(_, end), Time::Period(start, _)) if start <= end)
            });
            if times.len() < 2 || overlapping {
                continue;
            }
            let left_out = ids
                .iter()
                .copied()
                .filter(|i| !points.contains(i) && !restated.contains(i))
                .map(|i| {
                    let f = site.figure(i);
                    let reason = match f.time {
                        _ if conflicting.contains(&i) => Reason::Conflicting(f.time_label()),
                        Time::Since(..) => Reason::NotAPoint(f.time_label()),
                        Time::Vague(_) => Reason::Vague(f.time_label()),
                        Time::Undated => Reason::Undated,
                        _ => Reason::OtherTime(f.time_label()),
                    };
                    LeftOut {
                        key: (),
                        figure: i,
                        reason,
                    }
                })
                .collect();
            out.push(Series {
                key: key.clone(),
                shape: sh,
                points,
                left_out,
            });
        }
    }
    out
}

/// Which entries could be the largest (or smallest): exact ties are all
/// named and `certain`; overlapping intervals are all named, not `certain`.
#[derive(Debug, PartialEq, Eq)]
pub struct Extreme {
    pub indices: Vec<usize>,
    pub certain: bool,
}

pub fn largest(intervals: &[Interval]) -> Option<Extreme> {
    let max_low = intervals.iter().map(|i| i.low).max()?;
    let indices: Vec<usize> = (0..intervals.len())
        .filter(|&i| intervals[i].high.is_none_or(|h| h >= max_low))
        .collect();
    Some(decide(intervals, indices))
}

pub fn smallest(intervals: &[Interval]) -> Option<Extreme> {
    let min_high = intervals.iter().filter_map(|i| i.high).min();
    let indices: Vec<usize> = (0..intervals.len())
        .filter(|&i| min_high.is_none_or(|h| intervals[i].low <= h))
        .collect();
    Some(decide(intervals, indices))
}

fn decide(intervals: &[Interval], indices: Vec<usize>) -> Extreme {
    let first = intervals[indices[0]];
    let certain = indices.len() == 1
        || indices
            .iter()
            .all(|&i| intervals[i].exact() && intervals[i] == first);
    Extreme { indices, certain }
}

/// How a sum of intervals may be stated: 合计X, 合计不少于X, 合计约X …;
/// `None` when it cannot (lower and upper bounds mixed).
pub fn total_words(intervals: &[Interval], values: &[Decimal]) -> Option<(&'static str, Decimal)> {
    let total: Decimal = values.iter().copied().sum();
    let exact = intervals.iter().all(Interval::exact);
    let lower = intervals.iter().any(|i| i.high.is_none());
    let upper = intervals
        .iter()
        .zip(values)
        .any(|(i, v)| i.low == Decimal::ZERO && i.high == Some(*v) && *v > Decimal::ZERO);
    let about = !exact && !lower && !upper;
    match (exact, lower, upper, about) {
        (true, ..) => Some(("", total)),
        (_, true, false, _) if intervals.iter().all(|i| i.high.is_none() || i.exact()) => {
            Some(("不少于", total))
        }
        (_, false, true, _)
            if intervals
                .iter()
                .all(|i| i.low == Decimal::ZERO || i.exact()) =>
        {
            Some(("不超过", total))
        }
        (_, _, _, true) => Some(("约", total)),
        _ => None,
    }
}

/// "未纳入比较：A（只涉及某学院）；B（时间不同（2023年））。" or nothing.
pub fn left_out_sentence<K>(
    left_out: &[LeftOut<K>],
    name: impl Fn(&LeftOut<K>) -> String,
) -> String {
    if left_out.is_empty() {
        return String::new();
    }
    let items: Vec<String> = left_out
        .iter()
        .map(|l| format!("{}（{}）", name(l), l.reason.text()))
        .collect();
    format!("未纳入比较：{}。", items.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(v: i64) -> Interval {
        Interval::of(Decimal::from(v), None, None)
    }
    fn near(v: i64) -> Interval {
        Interval::of(Decimal::from(v), Some(Bound::About), Some("近"))
    }
    fn at_least(v: i64) -> Interval {
        Interval::of(Decimal::from(v), Some(Bound::Lower), Some("以上"))
    }
    fn at_most(v: i64) -> Interval {
        Interval::of(Decimal::from(v), Some(Bound::Upper), Some("最高"))
    }

    /// The fixture site of tests/fixtures/meaning laid over the minimal site.
    fn fixture_site() -> (tempfile::TempDir, Site) {
        let dir = crate::test_fixtures::site_from(&["good/minimal", "meaning/site"]);
        let site = crate::validate(dir.path()).site.expect("fixture resolves");
        (dir, site)
    }

    fn figures_of(site: &Site, metric: &str) -> Vec<FigureId> {
        let m = site.metrics.iter().find(|m| m.id == metric).unwrap();
        m.figures.clone()
    }

    fn region(site: &Site, slug: &str) -> RegionId {
        RegionId(site.regions.iter().position(|r| r.slug == slug).unwrap())
    }

    fn by_region(site: &Site, figures: &[FigureId]) -> Selection<RegionId> {
        select(
            site,
            figures,
            FigureKind::Actual,
            |f| Some(f.region),
            |_, _| None,
            &[],
        )
    }

    #[test]
    fn a_subjects_figure_is_left_out_with_its_subject() {
        let (_dir, site) = fixture_site();
        let s = by_region(&site, &figures_of(&site, "partners"));
        let keys: Vec<RegionId> = s.entries.iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            vec![region(&site, "henan"), region(&site, "xinxiang")]
        );
        assert_eq!(s.left_out.len(), 1);
        assert_eq!(s.left_out[0].key, region(&site, "nanyang"));
        assert_eq!(s.left_out[0].reason, Reason::Subject("南阳某学院".into()));
    }

    #[test]
    fn a_standard_never_enters_a_comparison() {
        let (_dir, site) = fixture_site();
        let ids = figures_of(&site, "subsidy_per_person");
        assert_eq!(eligible(site.figure(ids[0])), Err(Reason::Standard));
        // Not even when asked for standards: a standard is compared with nothing.
        let s = select(
            &site,
            &ids,
            FigureKind::Standard,
            |f| Some(f.region),
            |_, _| None,
            &[],
        );
        assert!(s.entries.is_empty() && s.left_out.is_empty());
    }

    #[test]
    fn mixed_time_bases_keep_one_and_name_the_others() {
        let (_dir, site) = fixture_site();
        let nanyang = region(&site, "nanyang");
        let all = figures_of(&site, "enterprise_training");
        // Vague spans are left out; the since-2024 basis (three keys) wins.
        let s = by_region(&site, &all);
        assert_eq!(s.entries.len(), 3);
        assert!(matches!(s.time, Some(Time::Since(..))));
        assert!(
            s.left_out
                .iter()
                .any(|l| l.key == nanyang && l.reason == Reason::Vague("近三年来".into()))
        );
        // Without Nanyang's since-2024 figure, its 2022—2024 total is another basis.
        let without: Vec<FigureId> = all
            .iter()
            .copied()
            .filter(|&i| {
                !(site.figure(i).region == nanyang
                    && matches!(site.figure(i).time, Time::Since(..)))
            })
            .collect();
        let s = by_region(&site, &without);
        assert!(!s.entries.iter().any(|e| e.key == nanyang));
        assert!(
            s.left_out
                .iter()
                .any(|l| l.key == nanyang && l.reason == Reason::OtherTime("2022—2024年".into()))
        );
    }

    #[test]
    fn a_bound_stays_an_interval_in_a_selection() {
        let (_dir, site) = fixture_site();
        let s = by_region(&site, &figures_of(&site, "enterprise_training"));
        let nanyang = s
            .entries
            .iter()
            .find(|e| e.key == region(&site, "nanyang"))
            .unwrap();
        assert_eq!(nanyang.interval.low, Decimal::from(9000));
        assert_eq!(nanyang.interval.high, Some(Decimal::from(10000)));
        let intervals: Vec<Interval> = s.entries.iter().map(|e| e.interval).collect();
        // 全省5万 is provably the largest; 近1万 vs 9500 is not decided.
        let max = largest(&intervals).unwrap();
        assert!(max.certain);
        assert_eq!(s.entries[max.indices[0]].key, region(&site, "henan"));
        assert!(!smallest(&intervals).unwrap().certain);
    }

    #[test]
    fn a_parent_with_parts_only_is_their_sum() {
        let (_dir, site) = fixture_site();
        let program =
            |slug: &str| ProgramId(site.programs.iter().position(|p| p.slug == slug).unwrap());
        let zongti = program("zongti");
        let children = site.program(zongti).children.clone();
        let figures: Vec<FigureId> = children
            .iter()
            .flat_map(|&c| site.program(c).figures.iter().copied())
            .collect();
        let metric = site.figure(figures[0]).metric;
        let s = select(
            &site,
            &figures,
            FigureKind::Target,
            |f| f.program.filter(|p| children.contains(p)),
            |p, t| program_parts(&site, p, metric, FigureKind::Target, t),
            &children,
        );
        assert_eq!(s.entries.len(), 2);
        let b = s.entries.iter().find(|e| e.key == program("zx-b")).unwrap();
        assert!(b.from_parts);
        assert_eq!(b.value, Decimal::from(40000));
        assert_eq!(b.figures.len(), 2);
        // One part missing: the parent is left out, saying why.
        let first_part = b.figures[0];
        let s = select(
            &site,
            &figures,
            FigureKind::Target,
            |f| f.program.filter(|p| children.contains(p)),
            |p, t| {
                program_parts(&site, p, metric, FigureKind::Target, t).map(|(ids, _)| {
                    (
                        ids.into_iter().filter(|&i| i != first_part).collect(),
                        false,
                    )
                })
            },
            &children,
        );
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.left_out[0].reason, Reason::PartsIncomplete);
    }

    #[test]
    fn an_approximation_is_not_proven_largest_against_close_exact_values() {
        // 近1万 may be 9000..10000: against an exact 9500 nothing is proven.
        let e = largest(&[near(10000), exact(9500), exact(36)]).unwrap();
        assert_eq!(e.indices, vec![0, 1]);
        assert!(!e.certain);
        // Against values all below 9000 it is the largest.
        let e = largest(&[near(10000), exact(621), exact(36)]).unwrap();
        assert_eq!(
            e,
            Extreme {
                indices: vec![0],
                certain: true
            }
        );
    }

    #[test]
    fn bounds_rank_as_bounds() {
        // 500余 is at least 500: not provably larger than 600, provably larger than 400.
        let e = largest(&[at_least(500), exact(600)]).unwrap();
        assert!(!e.certain);
        assert_eq!(
            largest(&[at_least(500), exact(400)]).unwrap().indices,
            vec![0]
        );
        // 最高200 may be anything up to 200: never provably largest over a positive exact.
        let e = largest(&[at_most(200), exact(100)]).unwrap();
        assert!(!e.certain);
        let e = smallest(&[at_most(200), exact(300)]).unwrap();
        assert_eq!(
            e,
            Extreme {
                indices: vec![0],
                certain: true
            }
        );
        // Exact ties are certain and both named.
        let e = largest(&[exact(5), exact(5), exact(1)]).unwrap();
        assert_eq!(
            e,
            Extreme {
                indices: vec![0, 1],
                certain: true
            }
        );
    }

    #[test]
    fn totals_say_how_bounded_they_are() {
        let v = |xs: &[i64]| xs.iter().map(|&x| Decimal::from(x)).collect::<Vec<_>>();
        assert_eq!(
            total_words(&[exact(1), exact(2)], &v(&[1, 2])),
            Some(("", Decimal::from(3)))
        );
        assert_eq!(
            total_words(&[exact(1), at_least(2)], &v(&[1, 2])),
            Some(("不少于", Decimal::from(3)))
        );
        assert_eq!(
            total_words(&[exact(1), near(10)], &v(&[1, 10])),
            Some(("约", Decimal::from(11)))
        );
        assert_eq!(total_words(&[at_most(1), at_least(2)], &v(&[1, 2])), None);
    }

    #[test]
    fn a_subjects_series_is_its_own_and_never_mixes_with_its_regions() {
        let figures = "  - metric: enterprise_training
    value: 100
    year: 2022
    quote: 2022年培训100人
  - metric: enterprise_training
    value: 120
    year: 2023
    quote: 2023年培训120人
  - metric: enterprise_training
    value: 30
    year: 2022
    subject: 某学院
    quote: 某学院2022年培训30人
  - metric: enterprise_training
    value: 50
    year: 2023
    subject: 某学院
    quote: 某学院2023年培训50人
  - metric: enterprise_training
    value: 20
    since: 2024
    subject: 某学院
    quote: 某学院2024年以来培训20人
  - metric: enterprise_training
    value: 90
    time_text: 近三年
    subject: 某学院
    quote: 某学院近三年培训90人
  - metric: enterprise_training
    value: 10
    year: 2024
    kind: standard
    subject: 某学院
    quote: 某学院每期不少于10人
";
        let body = "2022年培训100人，2023年培训120人。某学院2022年培训30人，某学院2023年培训50人，某学院2024年以来培训20人，某学院近三年培训90人，某学院每期不少于10人。";
        let checked = crate::model::consistency::tests::checked_with_body(figures, body);
        let messages: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        // Not even a conflicting-figures warning: 某学院 is not the region.
        assert!(messages.is_empty(), "{messages:?}");
        let site = checked.site.unwrap();
        let all = figures_of(&site, "enterprise_training");
        let all_series = series(&site, &all);
        let values = |ids: &[FigureId]| -> Vec<Decimal> {
            ids.iter().map(|&i| site.figure(i).in_metric_unit).collect()
        };
        assert_eq!(all_series.len(), 2, "{all_series:?}");
        let own = all_series.iter().find(|s| s.key.subject.is_none()).unwrap();
        assert_eq!(
            values(&own.points),
            vec![Decimal::from(100), Decimal::from(120)]
        );
        // The region's 2022—2024 total (the minimal site's reply) is another shape.
        assert_eq!(own.left_out.len(), 1);
        assert_eq!(
            own.left_out[0].reason,
            Reason::OtherTime("2022—2024年".into())
        );
        let college = all_series
            .iter()
            .find(|s| s.key.subject.as_deref() == Some("某学院"))
            .unwrap();
        assert_eq!(college.shape, Shape::Year);
        assert_eq!(
            values(&college.points),
            vec![Decimal::from(30), Decimal::from(50)]
        );
        // Not points: the count since 2024 and the vague 近三年; the standard is no figure of a series.
        let reasons: Vec<&Reason> = college.left_out.iter().map(|l| &l.reason).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(matches!(reasons[0], Reason::NotAPoint(t) if t.starts_with("2024年以来")));
        assert_eq!(reasons[1], &Reason::Vague("近三年".into()));
        // One college figure alone is no series, and never joins the region's.
        let without: Vec<FigureId> = all
            .iter()
            .copied()
            .filter(|&i| site.figure(i).in_metric_unit != Decimal::from(50))
            .collect();
        let s = series(&site, &without);
        assert_eq!(s.len(), 1);
        assert!(s[0].key.subject.is_none());
        assert_eq!(
            values(&s[0].points),
            vec![Decimal::from(100), Decimal::from(120)]
        );
    }
}
