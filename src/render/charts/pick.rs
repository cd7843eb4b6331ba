//! Which charts the data supports: series over time, targets with a matching
//! achievement, brands' figures, the brand wall and the map. Each function
//! reads the model and returns only charts whose data exists; nothing is
//! interpolated, summed across regions or guessed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::*;

use super::super::context::{Link, brand_level_label};
use super::super::urls::Urls;
use super::bars as bars_chart;
use super::*;

/// The bar for one figure, labelled by `label`.
pub fn bar_for(site: &Site, urls: &Urls, id: FigureId, label: String) -> Bar {
    let f = site.figure(id);
    let document = site.document(f.document);
    let source = Link {
        name: document.title.clone(),
        url: format!("{}#{}", urls.document(document), f.quote_anchor),
    };
    Bar::new(
        label,
        f.in_metric_unit_high.unwrap_or(f.in_metric_unit),
        site.metric(f.metric).unit.clone(),
        f.time.label(),
        source,
    )
}

/// Picks one figure per key (region, program …) to compare: of the given kind,
/// the latest in time, ties broken by file order. Returns (key, figure).
pub fn latest_per<K: Ord + Copy>(
    site: &Site,
    figures: &[FigureId],
    kind: FigureKind,
    key: impl Fn(&Figure) -> Option<K>,
) -> Vec<(K, FigureId)> {
    let mut best: BTreeMap<K, FigureId> = BTreeMap::new();
    for &id in figures {
        let f = site.figure(id);
        if f.kind != kind {
            continue;
        }
        let Some(k) = key(f) else { continue };
        match best.get(&k) {
            Some(&other) if site.figure(other).time >= f.time => {}
            _ => {
                best.insert(k, id);
            }
        }
    }
    best.into_iter().collect()
}

fn kind_word(kind: FigureKind) -> (&'static str, &'static str) {
    match kind {
        FigureKind::Actual => ("完成", "actual"),
        FigureKind::Target => ("目标", "target"),
    }
}

/// What a figure is about besides its metric: the region, program and brand.
type Subject = (
    RegionId,
    MetricId,
    Option<ProgramId>,
    Option<BrandId>,
    FigureKind,
);

fn subject(f: &Figure) -> Subject {
    (f.region, f.metric, f.program, f.brand, f.kind)
}

/// How a time is written: points of one series must share it, since a year,
/// a multi-year period and a stock on a date do not belong on one axis.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Year,
    Period,
    Date,
}

fn shape(time: Time) -> Option<Shape> {
    match time {
        Time::Year(_) => Some(Shape::Year),
        Time::Period(..) => Some(Shape::Period),
        Time::AsOf(_) | Time::DocDate(_) => Some(Shape::Date),
        Time::Undated => None,
    }
}

/// One column chart per region, metric, program, brand and kind with figures at
/// two or more times of the same shape. Periods must not overlap (2019—2024
/// beside 2022—2024 would count the same years twice). `id_prefix` keeps ids
/// unique per page.
pub fn over_time_charts(
    site: &Site,
    urls: &Urls,
    id_prefix: &str,
    figures: &[FigureId],
) -> Vec<Chart> {
    let mut series: BTreeMap<(Subject, Shape), Vec<FigureId>> = BTreeMap::new();
    for &id in figures {
        let f = site.figure(id);
        if let Some(s) = shape(f.time) {
            series.entry((subject(f), s)).or_default().push(id);
        }
    }
    let mut charts = Vec::new();
    for (((region, metric, program, brand, kind), shape), mut ids) in series {
        ids.sort_by_key(|&id| site.figure(id).time);
        let times: Vec<Time> = ids.iter().map(|&id| site.figure(id).time).collect();
        let mut distinct = times.clone();
        distinct.dedup();
        if distinct.len() < 2 {
            continue;
        }
        let overlapping = distinct.windows(2).any(|w| matches!((w[0], w[1]), (Time::Period(_, end), Time::Period(start, _)) if start <= end));
        if overlapping {
            continue;
        }
        let m = site.metric(metric);
        let r = site.region(region);
        let mut series_name = r.name.clone();
        let mut id = format!("{id_prefix}-trend-{}-{}", r.slug, m.id);
        for (name, slug) in [
            program.map(|p| site.program(p)).map(|p| (&p.name, &p.slug)),
            brand.map(|b| site.brand(b)).map(|b| (&b.name, &b.slug)),
        ]
        .into_iter()
        .flatten()
        {
            series_name.push_str(&format!("·{name}"));
            id.push_str(&format!("-{slug}"));
        }
        let (word, slug) = kind_word(kind);
        let by = match shape {
            Shape::Year => "按年",
            Shape::Period => "按时期",
            Shape::Date => "按时点",
        };
        id.push_str(&format!("-{slug}-{}", by_slug(shape)));
        let caption = format!("{series_name}：{}（{word}，{by}）", m.name);
        let points = ids
            .iter()
            .map(|&f| bar_for(site, urls, f, site.figure(f).time.label()))
            .collect();
        charts.push(over_time(&id, &caption, shape == Shape::Year, points, urls));
    }
    charts
}

fn by_slug(shape: Shape) -> &'static str {
    match shape {
        Shape::Year => "year",
        Shape::Period => "period",
        Shape::Date => "date",
    }
}

/// How achievements are matched to targets, as the chart description says it.
pub const MATCH_RULE: &str = "对照规则：完成数与目标须是同一指标、同一地区、同一项目和品牌；目标为某一年时，完成数须在该年内，目标为某一时期时，完成数须在该时期内（年份、时期或期内某日的累计数均可），取其中最新的一个；没有对应完成数的目标不画。";

/// The year range a target covers: a year or a period; targets stated on a
/// date (standing rules such as 不低于60%) match nothing.
fn window(time: Time) -> Option<(i32, i32)> {
    match time {
        Time::Year(y) => Some((y, y)),
        Time::Period(a, b) => Some((a, b)),
        _ => None,
    }
}

fn within(time: Time, (from, to): (i32, i32)) -> bool {
    match time {
        Time::Year(y) => from <= y && y <= to,
        Time::Period(a, b) => from <= a && b <= to,
        Time::AsOf(d) | Time::DocDate(d) => (from..=to).contains(&i32::from(d.year())),
        Time::Undated => false,
    }
}

/// Every target in `figures` with its matching achievement ([`MATCH_RULE`]), in figure order.
pub fn target_pairs(site: &Site, figures: &[FigureId]) -> Vec<(FigureId, FigureId)> {
    let mut pairs = Vec::new();
    for &t in figures {
        let target = site.figure(t);
        let Some(window) = window(target.time).filter(|_| target.kind == FigureKind::Target) else {
            continue;
        };
        let same = |f: &Figure| {
            f.metric == target.metric
                && f.region == target.region
                && f.program == target.program
                && f.brand == target.brand
        };
        let actual = figures
            .iter()
            .copied()
            .filter(|&a| {
                let f = site.figure(a);
                f.kind == FigureKind::Actual && same(f) && within(f.time, window)
            })
            .max_by_key(|&a| site.figure(a).time);
        if let Some(a) = actual {
            pairs.push((t, a));
        }
    }
    pairs
}

/// The progress chart of a page, if any target in `figures` has a matching achievement.
/// `name_program`: add the program's name to each row (on region pages and the home page).
pub fn target_actual_chart(
    site: &Site,
    urls: &Urls,
    id: &str,
    caption: &str,
    figures: &[FigureId],
    name_program: bool,
) -> Option<Chart> {
    let pairs = target_pairs(site, figures);
    if pairs.is_empty() {
        return None;
    }
    let items = pairs
        .into_iter()
        .map(|(t, a)| {
            let f = site.figure(t);
            let mut label = site.metric(f.metric).name.clone();
            if let Some(p) = f.program.filter(|_| name_program) {
                label.push_str(&format!("（{}）", site.program(p).name));
            }
            Progress {
                label: label.clone(),
                target: bar_for(site, urls, t, label.clone()),
                actual: bar_for(site, urls, a, label),
            }
        })
        .collect();
    Some(target_actual(id, caption, MATCH_RULE, items, urls))
}

/// On a brand's page: for each metric and kind of its figures, every brand's
/// latest figure of that metric and kind, the page's own brand marked.
pub fn brand_figure_charts(site: &Site, urls: &Urls, brand: BrandId) -> Vec<Chart> {
    let own = site.brand(brand);
    let mut subjects: Vec<(MetricId, FigureKind)> = own
        .figures
        .iter()
        .map(|&f| (site.figure(f).metric, site.figure(f).kind))
        .collect();
    subjects.sort_by_key(|&(m, k)| (m, k == FigureKind::Target));
    subjects.dedup();
    let mut charts = Vec::new();
    for (metric, kind) in subjects {
        let of_metric: Vec<FigureId> = site.metric(metric).figures.clone();
        let picked = latest_per(site, &of_metric, kind, |f| f.brand);
        let bars = picked
            .into_iter()
            .map(|(b, f)| {
                let is_own = b == brand;
                let name = &site.brand(b).name;
                let mut bar = bar_for(
                    site,
                    urls,
                    f,
                    if is_own {
                        format!("{name}（本品牌）")
                    } else {
                        name.clone()
                    },
                );
                bar.link = Some(urls.brand(site.brand(b)));
                bar.highlight = is_own;
                bar
            })
            .collect();
        let m = site.metric(metric);
        let (word, slug) = kind_word(kind);
        let caption = format!("各品牌相关的{}（{word}）", m.name);
        // Brand figures are often a program's figures that several brands share: never summed.
        charts.push(bars_chart(
            &format!("brand-{}-{}-{slug}", own.slug, m.id),
            ChartKind::BrandFigures,
            &caption,
            "品牌",
            false,
            bars,
            urls,
        ));
    }
    charts
}

/// The brand wall in numbers: how many brands each region has, and each level.
pub fn brand_wall_charts(site: &Site, urls: &Urls) -> Vec<Chart> {
    if site.brands.is_empty() {
        return Vec::new();
    }
    let list = Link {
        name: "人力资源品牌名录".into(),
        url: urls.path("brands/"),
    };
    let count_bar = |label: String, count: usize| {
        Bar::new(
            label,
            Decimal::from(count as u64),
            "个",
            "本站收录",
            list.clone(),
        )
    };
    let mut by_region: BTreeMap<RegionId, usize> = BTreeMap::new();
    let mut by_level: BTreeMap<BrandLevel, usize> = BTreeMap::new();
    for b in &site.brands {
        *by_region.entry(b.region).or_default() += 1;
        *by_level.entry(b.level).or_default() += 1;
    }
    let regions = by_region
        .into_iter()
        .map(|(r, n)| {
            let mut bar = count_bar(site.region(r).name.clone(), n);
            bar.link = Some(format!("{}#brands", urls.region(site.region(r))));
            bar
        })
        .collect();
    let levels = by_level
        .into_iter()
        .map(|(l, n)| count_bar(brand_level_label(l).to_owned(), n))
        .collect();
    vec![
        bars_chart(
            "brands-by-region",
            ChartKind::BrandWall,
            "各地区的人力资源品牌数量",
            "地区",
            true,
            regions,
            urls,
        ),
        bars_chart(
            "brands-by-level",
            ChartKind::BrandWall,
            "各认定级别的人力资源品牌数量",
            "级别",
            true,
            levels,
            urls,
        ),
    ]
}

/// The tile map of Henan's prefecture-level divisions, coloured by the metric
/// that the most of them have an achievement for (ties: more figures, then the
/// catalogue's order). `None` unless the root region is Henan and at least two
/// tiles have data.
pub fn henan_map(site: &Site, urls: &Urls) -> Option<Chart> {
    let root = site.region(site.root);
    if !root.name.starts_with("河南") {
        return None;
    }
    let places: Vec<(&str, i32, i32, Option<RegionId>)> = HENAN_TILES
        .iter()
        .map(|&(name, col, row)| {
            (
                name,
                col,
                row,
                root.children
                    .iter()
                    .copied()
                    .find(|&c| site.region(c).name.starts_with(name)),
            )
        })
        .collect();
    // For each metric: how many tiles have an actual figure, and how many figures.
    let mut counts: BTreeMap<MetricId, (usize, usize)> = BTreeMap::new();
    for &(_, _, _, region) in &places {
        let Some(region) = region else { continue };
        let mut metrics: Vec<MetricId> = site
            .region(region)
            .figures
            .iter()
            .map(|&f| site.figure(f))
            .filter(|f| f.kind == FigureKind::Actual)
            .map(|f| f.metric)
            .collect();
        for &m in &metrics {
            counts.entry(m).or_default().1 += 1;
        }
        metrics.sort();
        metrics.dedup();
        for m in metrics {
            counts.entry(m).or_default().0 += 1;
        }
    }
    let (&metric, &(cities, _)) = counts
        .iter()
        .max_by_key(|&(m, &(cities, figures))| (cities, figures, std::cmp::Reverse(*m)))?;
    if cities < 2 {
        return None;
    }
    let m = site.metric(metric);
    let tiles = places
        .into_iter()
        .map(|(name, col, row, region)| {
            let figure = region.and_then(|r| {
                site.region(r)
                    .figures
                    .iter()
                    .copied()
                    .filter(|&f| {
                        site.figure(f).metric == metric && site.figure(f).kind == FigureKind::Actual
                    })
                    // The region's own total before a program's or brand's figure, then the latest.
                    .max_by_key(|&f| {
                        (
                            site.figure(f).program.is_none() && site.figure(f).brand.is_none(),
                            site.figure(f).time,
                            std::cmp::Reverse(f),
                        )
                    })
            });
            let bar = figure.map(|f| {
                let r = site.region(region.expect("a figure has a region"));
                let mut bar = bar_for(site, urls, f, r.name.clone());
                bar.link = Some(urls.region(r));
                bar
            });
            MapTile {
                name: name.to_owned(),
                col,
                row,
                bar,
            }
        })
        .collect();
    let caption = format!("各省辖市的{}（完成）", m.name);
    let note = format!("地图所用指标“{}”是本站中有数字的省辖市最多的指标。", m.name);
    Some(tile_map(
        "map-cities",
        &caption,
        "省辖市（含济源示范区）",
        &note,
        tiles,
        urls,
    ))
}
