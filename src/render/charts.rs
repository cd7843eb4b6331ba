//! Charts: SVG drawn with plotters at build time, each with a caption, a source
//! line, a generated description, a data table and a CSV download, so it reads
//! without JavaScript, without colour and without sight.
//!
//! Bars are drawn as plotters `Rectangle`s (its `Histogram` emits bars in a
//! different order on every run) and labels sit on their own line above each
//! bar: plotters measures CJK text as ~2× too wide, and a label on its own line
//! is never clipped, however long (现代服务业技能培训专项), even at 390 px.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::content::value::format_chinese;
use crate::diag::escape_html;
use crate::model::*;

use super::context::Link;
use super::urls::Urls;

/// One bar: what it is, its value in the metric's unit, where the number comes from.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: Decimal,
    pub time: String,
    pub source: Link,
}

#[derive(Serialize, Clone, Debug)]
pub struct ChartView {
    pub id: String,
    pub caption: String,
    pub description: String,
    pub unit: String,
    pub svg: String,
    pub rows: Vec<ChartRow>,
    pub sources: Vec<Link>,
    pub csv_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct ChartRow {
    pub label: String,
    pub value: String,
    pub time: String,
    pub source: Link,
}

/// A rendered chart and its CSV file (output path, bytes).
pub struct Chart {
    pub view: ChartView,
    pub csv: (String, Vec<u8>),
}

const WIDTH: u32 = 480;
/// 18.5 viewBox units stay ≥ 12 px when the chart is scaled to the ~330 px it gets on a 390 px phone.
const FONT: f64 = 18.5;
const LABEL_H: i32 = 24;
const BAR_H: i32 = 22;
const GAP: i32 = 12;
const BAR_COLOR: RGBColor = RGBColor(11, 92, 173);
const TEXT_COLOR: RGBColor = RGBColor(27, 31, 36);

/// Horizontal bars, largest first. `what` names the compared things in the description.
/// `summable`: whether adding the bars up means something (disjoint regions do;
/// program targets that may overlap do not).
pub fn bars(id: &str, caption: &str, unit: &str, what: &str, summable: bool, mut bars: Vec<Bar>, urls: &Urls) -> Chart {
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    let description = describe(caption, unit, what, summable, &bars);
    let svg = draw_bars(&bars, unit, caption, &description);
    let mut sources: Vec<Link> = Vec::new();
    for bar in &bars {
        let page = bar.source.url.split('#').next().unwrap_or("").to_owned();
        if !sources.iter().any(|s| s.url == page) {
            sources.push(Link { name: bar.source.name.clone(), url: page });
        }
    }
    let rows: Vec<ChartRow> = bars
        .iter()
        .map(|b| ChartRow { label: b.label.clone(), value: format!("{}{unit}", format_chinese(b.value)), time: b.time.clone(), source: b.source.clone() })
        .collect();
    let csv_path = format!("data/charts/{id}.csv");
    let csv = chart_csv(&bars, unit, urls);
    Chart {
        view: ChartView {
            id: id.to_owned(),
            caption: caption.to_owned(),
            description,
            unit: unit.to_owned(),
            svg,
            rows,
            sources,
            csv_url: urls.path(&csv_path),
        },
        csv: (csv_path, csv),
    }
}

/// The text alternative: what is compared, largest and smallest, and the total
/// only where adding up is meaningful (same kind and time for every bar).
fn describe(caption: &str, unit: &str, what: &str, summable: bool, bars: &[Bar]) -> String {
    let Some(first) = bars.first() else { return format!("{caption}：暂无数据。") };
    let last = bars.last().expect("non-empty");
    let mut text = format!("{caption}：比较了{}个{what}。", bars.len());
    text.push_str(&format!("最大的是{}（{}{unit}）", first.label, format_chinese(first.value)));
    if bars.len() > 1 {
        text.push_str(&format!("，最小的是{}（{}{unit}）", last.label, format_chinese(last.value)));
    }
    text.push('。');
    let same_time = bars.iter().all(|b| b.time == first.time);
    if !summable {
        text.push_str("各项可能相互交叉，未作加总。");
    } else if same_time && bars.len() > 1 && unit != "%" {
        let total: Decimal = bars.iter().map(|b| b.value).sum();
        text.push_str(&format!("均为{}，合计{}{unit}。", first.time, format_chinese(total)));
    } else if !same_time {
        text.push_str("各项时间口径不同，未作加总。");
    }
    text
}

fn draw_bars(bars: &[Bar], unit: &str, title: &str, description: &str) -> String {
    let row = LABEL_H + BAR_H + GAP;
    let height = (bars.len() as i32 * row + GAP).max(row) as u32;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(Decimal::ONE).max(Decimal::new(1, 6));
    let value_labels: Vec<String> = bars.iter().map(|b| format!("{}{unit}", format_chinese(b.value))).collect();
    // Room for the longest value label to the right of the longest bar.
    let label_room = value_labels.iter().map(|l| text_width(l)).max().unwrap_or(0) + 8;
    let bar_room = (WIDTH as i32 - label_room - 4).max(60);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        // plotters writes font sizes divided by 1.24: ask for 1.24× to get FONT.
        let style = TextStyle::from(("sans-serif", FONT * 1.24).into_font()).color(&TEXT_COLOR).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, (bar, value_label)) in bars.iter().zip(&value_labels).enumerate() {
            let top = GAP + i as i32 * row;
            let ratio = (bar.value / max).to_f64().unwrap_or(0.0);
            let length = ((bar_room as f64) * ratio).round().max(2.0) as i32;
            let bar_top = top + LABEL_H;
            let _ = root.draw(&Text::new(bar.label.clone(), (0, top + LABEL_H / 2), style.clone()));
            let _ = root.draw(&Rectangle::new([(0, bar_top), (length, bar_top + BAR_H)], BAR_COLOR.filled()));
            let _ = root.draw(&Text::new(value_label.clone(), (length + 6, bar_top + BAR_H / 2), style.clone()));
        }
        let _ = root.present();
    }
    accessible_svg(&svg, title, description)
}

/// Width estimate in viewBox units: CJK characters a full em, others about half.
fn text_width(text: &str) -> i32 {
    text.chars().map(|c| if c.is_ascii() { FONT * 0.6 } else { FONT }).sum::<f64>().ceil() as i32
}

/// Adds what plotters leaves out: `role="img"`, `<title>`, `<desc>`.
fn accessible_svg(svg: &str, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else { return svg.to_owned() };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen("<svg ", "<svg role=\"img\" focusable=\"false\" ", 1);
    format!("{open}><title>{}</title><desc>{}</desc>{}", escape_html(title), escape_html(description), &rest[1..])
}

fn chart_csv(bars: &[Bar], unit: &str, urls: &Urls) -> Vec<u8> {
    // A BOM first: Excel on zh-CN Windows otherwise reads the file as GBK.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let _ = writer.write_record(["项目", "数值", "单位", "时间", "出处", "出处网址"]);
        for b in bars {
            let url = if b.source.url.starts_with('/') { urls.absolute(b.source.url.trim_start_matches(&urls.base_path)) } else { b.source.url.clone() };
            let _ = writer.write_record([b.label.as_str(), &b.value.normalize().to_string(), unit, &b.time, &b.source.name, &url]);
        }
        let _ = writer.flush();
    }
    out
}

/// The bar for one figure, labelled by `label`.
pub fn bar_for(site: &Site, urls: &Urls, id: FigureId, label: String) -> Bar {
    let f = site.figure(id);
    let document = site.document(f.document);
    Bar {
        label,
        value: f.in_metric_unit_high.unwrap_or(f.in_metric_unit),
        time: f.time.label(),
        source: Link { name: document.title.clone(), url: format!("{}#{}", urls.document(document), f.quote_anchor) },
    }
}

/// Picks one figure per key (region, program …) to compare: of the given kind,
/// the latest in time, ties broken by file order. Returns (key, figure).
pub fn latest_per<K: Ord + Copy>(site: &Site, figures: &[FigureId], kind: FigureKind, key: impl Fn(&Figure) -> Option<K>) -> Vec<(K, FigureId)> {
    let mut best: std::collections::BTreeMap<K, FigureId> = std::collections::BTreeMap::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: i64) -> Bar {
        Bar { label: label.into(), value: Decimal::from(value), time: "2025年".into(), source: Link { name: "方案".into(), url: "/documents/a/#q-1".into() } }
    }

    #[test]
    fn svg_is_accessible_and_deterministic() {
        let urls = Urls::new("https://example.org/", "/");
        let make = || bars("t", "各专项年培训目标", "人次", "专项", true, vec![bar("现代服务业技能培训专项", 350000), bar("数字领域", 50000)], &urls);
        let a = make();
        let b = make();
        assert_eq!(a.view.svg, b.view.svg);
        assert!(a.view.svg.starts_with("<svg role=\"img\""));
        assert!(a.view.svg.contains("<title>各专项年培训目标</title>"));
        assert!(a.view.svg.contains("现代服务业技能培训专项"), "long labels are drawn whole");
        assert!(a.view.svg.contains("35万人次"));
        assert!(a.view.svg.contains("viewBox"));
        assert!(a.view.description.contains("最大的是现代服务业技能培训专项（35万人次）"));
        assert!(a.view.description.contains("合计40万人次"));
        assert!(a.csv.1.starts_with("\u{feff}".as_bytes()));
        assert_eq!(a.view.rows[1].label, "数字领域");
    }

    #[test]
    fn mixed_times_are_not_summed() {
        let urls = Urls::new("https://example.org/", "/");
        let mut other = bar("乙", 5);
        other.time = "2024年".into();
        let chart = bars("t", "c", "人", "地区", true, vec![bar("甲", 10), other], &urls);
        assert!(chart.view.description.contains("未作加总"));
        assert!(!chart.view.description.contains("合计"));
    }
}
