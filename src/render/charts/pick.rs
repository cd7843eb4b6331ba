//! Which charts the data supports: series over time, targets with a matching
//! achievement, brands' figures, the brand wall and the map. Each function
//! reads the model and returns only charts whose data exists; nothing is
//! interpolated, summed across regions or guessed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::compare::Shape;
use crate::model::*;

use super::super::context::{Link, brand_level_label};
use super::super::urls::Urls;
use super::bars as bars_chart;
use super::*;

/// The bar for one figure, labelled by `label`: its value as the source
/// writes it, ranked as an interval when bounded (`model::compare`).
pub fn bar_for(site: &Site, urls: &Urls, id: FigureId, label: String) -> Bar {
    let f = site.figure(id);
    let document = site.document(f.document);
    let source = Link {
        name: document.title.clone(),
        url: format!("{}#{}", urls.document(document), f.quote_anchor),
    };
    let entry = compare::entry_of(site, (), id);
    let mut bar = Bar::new(
        label,
        entry.value,
        site.metric(f.metric).unit.clone(),
        f.time_label(),
        source,
    );
    bar.written = Some(f.value_label());
    bar.qualifier = f.qualifier.clone();
    bar.interval = Some(entry.interval);
    bar.additive = site.metric(f.metric).additive;
    bar
}

/// The bar for a compared entry: a figure, or a parent's parts added up (由分项相加).
pub fn bar_for_entry<K>(site: &Site, urls: &Urls, entry: &compare::Entry<K>, label: String) -> Bar {
    let first = entry.figures[0];
    if !entry.from_parts {
        return bar_for(site, urls, first, label);
    }
    let mut bar = bar_for(site, urls, first, format!("{label}（由分项相加）"));
    bar.value = entry.value;
    bar.interval = Some(entry.interval);
    let exact = entry.interval.exact();
    let sum = crate::content::value::format_with_unit(entry.value, &bar.unit);
    bar.written = Some(if exact { sum } else { format!("约{sum}") });
    bar.qualifier = (!exact).then(|| "约".to_owned());
    bar
}

/// The sentence saying what a comparison left out and why.
pub fn left_out_sentence<K: Copy>(
    site: &Site,
    selection: &compare::Selection<K>,
    label: impl Fn(K) -> String,
) -> String {
    compare::left_out_sentence(&selection.left_out, |l| {
        format!("{}{}", label(l.key), site.figure(l.figure).value_label())
    })
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
        FigureKind::Standard => ("标准", "standard"),
    }
}

/// One column chart per series over time (`model::compare::series`): a
/// region's, or one subject's, metric, program, brand and kind at two or more
/// times of the same shape. A subject's series is its own chart, labelled with
/// the subject; figures of the series' key that have no point on the axis
/// (counts since a date, vague spans) are named in the description with the
/// reason. `id_prefix` keeps ids unique per page.
pub fn over_time_charts(
    site: &Site,
    urls: &Urls,
    id_prefix: &str,
    figures: &[FigureId],
) -> Vec<Chart> {
    let mut charts = Vec::new();
    for series in compare::series(site, figures) {
        let key = &series.key;
        let shape = series.shape;
        let m = site.metric(key.metric);
        let r = site.region(key.region);
        let mut series_name = r.name.clone();
        let mut id = format!("{id_prefix}-trend-{}-{}", r.slug, m.id);
        for (name, slug) in [
            key.program
                .map(|p| site.program(p))
                .map(|p| (&p.name, &p.slug)),
            key.brand.map(|b| site.brand(b)).map(|b| (&b.name, &b.slug)),
        ]
        .into_iter()
        .flatten()
        {
            series_name.push_str(&format!("·{name}"));
            id.push_str(&format!("-{slug}"));
        }
        if let Some(subject) = &key.subject {
            // A subject has no slug: its first figure's place names it uniquely.
            let first = site.figure(series.points[0]);
            series_name.push_str(&format!("·{subject}"));
            id.push_str(&format!(
                "-about-{}-{}",
                site.document(first.document).slug,
                first.anchor
            ));
        }
        let (word, slug) = kind_word(key.kind);
        let by = match shape {
            Shape::Year => "按年",
            Shape::Period => "按时期",
            Shape::Date => "按时点",
        };
        id.push_str(&format!("-{slug}-{}", by_slug(shape)));
        let caption = format!("{series_name}：{}（{word}，{by}）", m.name);
        let points = series
            .points
            .iter()
            .map(|&f| bar_for(site, urls, f, site.figure(f).time.label()))
            .collect();
        // A subject's points are one group at each time (a contest team): the
        // same people may be counted at each, so no total over the years.
        let totals = shape == Shape::Year && key.subject.is_none();
        let mut chart = over_time(&id, &caption, totals, points, urls);
        chart.add_sentence(&compare::left_out_sentence(&series.left_out, |l| {
            format!(
                "{}{}",
                site.figure(l.figure).time_label(),
                site.figure(l.figure).value_label()
            )
        }));
        charts.push(chart);
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
        Time::Since(start, _, Some(until)) => {
            from <= i32::from(start.year()) && i32::from(until.year()) <= to
        }
        Time::Since(_, _, None) | Time::Vague(_) | Time::Undated => false,
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
        if compare::eligible(target).is_err() {
            continue;
        }
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
                f.kind == FigureKind::Actual
                    && same(f)
                    && compare::eligible(f).is_ok()
                    && within(f.time, window)
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

/// On a brand's page: for each metric and kind of its own figures, every
/// brand's comparable figure of that metric and kind (`model::compare`), the
/// page's own brand marked. A program's figure that names a brand is the
/// program's, not the brand's own: it is left out and the sentence says so.
pub fn brand_figure_charts(site: &Site, urls: &Urls, brand: BrandId) -> Vec<Chart> {
    let own = site.brand(brand);
    let own_figure = |f: &Figure| f.program.is_none() && compare::eligible(f).is_ok();
    let mut subjects: Vec<(MetricId, FigureKind)> = own
        .figures
        .iter()
        .map(|&f| site.figure(f))
        .filter(|f| own_figure(f))
        .map(|f| (f.metric, f.kind))
        .collect();
    subjects.sort_by_key(|&(m, k)| (m, k == FigureKind::Target));
    subjects.dedup();
    let mut charts = Vec::new();
    for (metric, kind) in subjects {
        let of_metric: Vec<FigureId> = site.metric(metric).figures.clone();
        let mut selection = compare::select(
            site,
            &of_metric,
            kind,
            |f| f.brand.filter(|_| f.program.is_none()),
            |_, _| None,
            &[],
        );
        for &id in &of_metric {
            let f = site.figure(id);
            if let (Some(b), Some(p)) = (f.brand, f.program)
                && f.kind == kind
            {
                selection.left_out.push(compare::LeftOut {
                    key: b,
                    figure: id,
                    reason: compare::Reason::NotOwn(format!(
                        "是项目“{}”的数字，不是品牌自身的",
                        site.program(p).name
                    )),
                });
            }
        }
        let bars = selection
            .entries
            .iter()
            .map(|e| {
                let b = e.key;
                let is_own = b == brand;
                let name = &site.brand(b).name;
                let mut bar = bar_for_entry(
                    site,
                    urls,
                    e,
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
        let mut chart = bars_chart(
            &format!("brand-{}-{}-{slug}", own.slug, m.id),
            ChartKind::BrandFigures,
            &caption,
            "品牌",
            false,
            bars,
            urls,
        );
        chart.add_sentence(&left_out_sentence(site, &selection, |b| {
            site.brand(b).name.clone()
        }));
        charts.push(chart);
    }
    charts
}

/// The brand wall in numbers: how many brands each region has, and each level.
/// Above this many regions with brands, the wall's chart counts them by the
/// root's children instead (the list itself is paginated).
const WALL_REGION_BARS: usize = 50;

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
    // A national wall has brands in hundreds of regions: one bar each made
    // a 400 KB chart. Then the bars are the root's children, each counting
    // the brands of its whole subtree.
    let mut caption = "各地区的人力资源品牌数量".to_owned();
    let mut anchor = "#brands";
    if by_region.len() > WALL_REGION_BARS {
        let mut by_top: BTreeMap<RegionId, usize> = BTreeMap::new();
        for (r, n) in by_region {
            let line: Vec<RegionId> = site.region_and_ancestors(r).collect();
            let top = line[line.len().saturating_sub(2)];
            *by_top.entry(top).or_default() += n;
        }
        by_region = by_top;
        if let Some(root) = site.regions.iter().find(|r| r.parent.is_none()) {
            caption = format!("{}各地的人力资源品牌数量（含下辖地区）", root.name);
        }
        anchor = "";
    }
    let regions = by_region
        .into_iter()
        .map(|(r, n)| {
            let mut bar = count_bar(site.region(r).name.clone(), n);
            bar.link = Some(format!("{}{anchor}", urls.region(site.region(r))));
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
            &caption,
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

/// A map is drawn only when more than half of its tiles carry a number.
pub fn map_has_data(with_data: usize, tiles: usize) -> bool {
    with_data * 2 > tiles
}

/// The tile map of Henan's prefecture-level divisions. What it maps is
/// `home.map` of site.yaml when given; otherwise the metric that the most
/// tiles have an achievement for (ties: more figures, then the catalogue's
/// order). `None` unless the root region is Henan and more than half of the
/// tiles have a comparable figure: never a map of mostly 无数据.
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
    let cities: Vec<RegionId> = places.iter().filter_map(|p| p.3).collect();
    // The regions' own totals: a program's or brand's figure is not the city's.
    let select = |metric: MetricId, kind: FigureKind, year: Option<i32>| {
        compare::select(
            site,
            &site.metric(metric).figures,
            kind,
            |f| {
                (f.program.is_none()
                    && f.brand.is_none()
                    && cities.contains(&f.region)
                    && year.is_none_or(|y| f.time.year() == Some(y)))
                .then_some(f.region)
            },
            |_, _| None,
            &[],
        )
    };
    let (metric, kind, selection) = match site.home_map {
        Some(spec) => (
            spec.metric,
            spec.kind,
            select(spec.metric, spec.kind, spec.year),
        ),
        None => (0..site.metrics.len())
            .map(MetricId)
            .map(|m| (m, FigureKind::Actual, select(m, FigureKind::Actual, None)))
            .max_by_key(|(m, _, s)| {
                (
                    s.entries.len(),
                    site.metric(*m).figures.len(),
                    std::cmp::Reverse(*m),
                )
            })?,
    };
    if !map_has_data(selection.entries.len(), places.len()) {
        return None;
    }
    let m = site.metric(metric);
    let tiles = places
        .into_iter()
        .map(|(name, col, row, region)| {
            let entry = region.and_then(|r| selection.entries.iter().find(|e| e.key == r));
            let bar = entry.map(|e| {
                let r = site.region(e.key);
                let mut bar = bar_for_entry(site, urls, e, r.name.clone());
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
    let kind_word = if kind == FigureKind::Target {
        "目标"
    } else {
        "完成"
    };
    let caption = format!("各省辖市的{}（{kind_word}）", m.name);
    let note = if site.home_map.is_some() {
        format!(
            "地图所用指标“{}”由本站设置（site.yaml 的 home.map）选定，只显示同一时间、本市自身的{kind_word}数。",
            m.name
        )
    } else {
        format!(
            "地图所用指标“{}”是本站中有可比数字（同一时间、本市自身的完成数）的省辖市最多的指标。",
            m.name
        )
    };
    let mut chart = tile_map(
        "map-cities",
        &caption,
        "省辖市（含济源示范区）",
        &note,
        tiles,
        urls,
    );
    chart.add_sentence(&left_out_sentence(site, &selection, |r| {
        site.region(r).name.clone()
    }));
    Some(chart)
}
