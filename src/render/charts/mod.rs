//! Charts: SVG drawn with plotters at build time, each with a caption, a source
//! line, a generated description, a data table and a CSV download, so it reads
//! without JavaScript, without colour and without sight.
//!
//! One file per way of drawing (`bars`, `columns`, `progress`, `tilemap`);
//! `pick` decides from the model which charts a page gets. What every kind
//! shares sits here: the plotters text style, width estimates, the accessible
//! SVG wrapper and the CSV.
//!
//! plotters estimates text width as 0.7 em per UTF-8 *byte*, so Chinese labels
//! measure about twice as wide as they are (CRATES.md). No chart here lets
//! plotters lay out text: every position is computed from [`text_width`].

mod bars;
mod columns;
pub mod pick;
mod progress;
mod tilemap;

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBColor, TextStyle};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::content::value::format_chinese;
use crate::diag::escape_html;
use crate::model::compare::{self, Interval};

use super::context::Link;
use super::urls::Urls;

pub use bars::bars;
pub use columns::over_time;
pub use pick::{bar_for, latest_per};
pub use progress::{Progress, target_actual};
pub use tilemap::{HENAN_TILES, MapTile, tile_map};

/// What a chart shows, written to `data-chart-kind` on its `<figure>` so tests and
/// readers' tools can find charts by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Regions, programs or sub-programs side by side (horizontal bars).
    Comparison,
    /// One region's metric over years, periods or dates (columns).
    OverTime,
    /// Achievement against target (progress bars).
    TargetActual,
    /// A brand's figures beside other brands' figures of the same metric.
    BrandFigures,
    /// How many brands each region and each level has.
    BrandWall,
    /// The prefecture-level divisions of Henan as a tile grid.
    TileMap,
}

impl ChartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Comparison => "comparison",
            ChartKind::OverTime => "over-time",
            ChartKind::TargetActual => "target-actual",
            ChartKind::BrandFigures => "brand-figures",
            ChartKind::BrandWall => "brand-wall",
            ChartKind::TileMap => "tile-map",
        }
    }
}

/// One value to draw: what it is, its value and unit, when, and where the number comes from.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: Decimal,
    pub unit: String,
    pub time: String,
    pub source: Link,
    /// Where the label leads in the data table (a region or brand page), if anywhere.
    pub link: Option<String>,
    /// Drawn in the accent colour and named "（本品牌）" in its label: the page's own item.
    pub highlight: bool,
    /// The value as the source writes it (近1万人, 500余家); `None`: the number alone.
    pub written: Option<String>,
    /// How far the value is bounded (从 its qualifier); `None`: exact.
    pub interval: Option<Interval>,
    /// The qualifier word (以上, 近 …) beside the value; `None`: exact.
    pub qualifier: Option<String>,
    /// Whether its metric may be summed (`Metric::additive`): no 合计 of averages.
    pub additive: bool,
}

impl Bar {
    pub fn new(
        label: impl Into<String>,
        value: Decimal,
        unit: impl Into<String>,
        time: impl Into<String>,
        source: Link,
    ) -> Self {
        Bar {
            label: label.into(),
            value,
            unit: unit.into(),
            time: time.into(),
            source,
            link: None,
            highlight: false,
            written: None,
            interval: None,
            qualifier: None,
            additive: true,
        }
    }

    /// `34.08万人`, or as the source writes it (`近1万人`): how the number is
    /// drawn and shown in the table.
    pub fn value_label(&self) -> String {
        match &self.written {
            Some(w) => w.clone(),
            None => crate::content::value::format_with_unit(self.value, &self.unit),
        }
    }

    /// The measure word the source counts in after the number (35名 → 名,
    /// 500余家 → 家), if it writes one: a single ideograph, so that a
    /// qualifier after it (15名以上) is never taken for it.
    fn counter(&self) -> Option<&str> {
        let written = self.written.as_deref()?;
        let word = crate::content::value::after_number(written);
        let mut chars = word.chars();
        let one_ideograph = matches!(
            (chars.next(), chars.next()),
            (Some('\u{4E00}'..='\u{9FFF}'), None)
        );
        (one_ideograph && word.len() < written.len()).then_some(word)
    }

    /// The value as an interval for ranking (exact unless bounded).
    pub fn interval(&self) -> Interval {
        self.interval.unwrap_or(Interval {
            low: self.value,
            high: Some(self.value),
        })
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct ChartView {
    pub id: String,
    pub kind: ChartKind,
    pub caption: String,
    pub description: String,
    /// Shown after the caption; empty when rows carry different units.
    pub unit: String,
    pub svg: String,
    pub rows: Vec<ChartRow>,
    pub sources: Vec<Link>,
    pub csv_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct ChartRow {
    pub label: String,
    pub url: Option<String>,
    pub value: String,
    /// The qualifier word (以上, 近 …); empty when the number is exact.
    pub qualifier: String,
    pub time: String,
    pub source: Link,
}

/// A rendered chart and its CSV file (output path, bytes).
pub struct Chart {
    pub view: ChartView,
    pub csv: (String, Vec<u8>),
}

impl Chart {
    /// Appends a sentence (what was left out and why) to the description,
    /// in the page text and in the SVG's `<desc>` alike.
    pub fn add_sentence(&mut self, sentence: &str) {
        if sentence.is_empty() {
            return;
        }
        let old = format!("<desc>{}</desc>", escape_html(&self.view.description));
        self.view.description.push_str(sentence);
        let new = format!("<desc>{}</desc>", escape_html(&self.view.description));
        self.view.svg = self.view.svg.replacen(&old, &new, 1);
    }
}

/// Width of every chart's viewBox. The SVG scales to its box, so text sizes
/// below are in these units, not pixels.
pub(crate) const WIDTH: u32 = 480;
/// 18.5 viewBox units stay ≥ 12 px when the chart is scaled to the ~330 px it gets on a 390 px phone.
pub(crate) const FONT: f64 = 18.5;
/// Okabe–Ito blue and vermilion: told apart with any colour vision, and both
/// darker than 4.5:1 against the white chart background.
pub(crate) const BAR_BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const VERMILION: RGBColor = RGBColor(213, 94, 0);
pub(crate) const TEXT: RGBColor = RGBColor(27, 31, 36);
pub(crate) const MUTED: RGBColor = RGBColor(85, 85, 85);
pub(crate) const LIGHT: RGBColor = RGBColor(230, 230, 230);

/// The text style every chart uses, anchored at its left end and vertical centre.
pub(crate) fn text_style(color: RGBColor) -> TextStyle<'static> {
    sized_text_style(FONT, color, HPos::Left)
}

pub(crate) fn sized_text_style(size: f64, color: RGBColor, h: HPos) -> TextStyle<'static> {
    // plotters writes font sizes divided by 1.24: ask for 1.24× to get `size`.
    TextStyle {
        font: ("sans-serif", size * 1.24).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, VPos::Center),
    }
}

/// How much a label may grow on screen: the theme's CSS scales chart text up
/// (1.2× on phones, 1.4× in the large-text mode) so labels stay readable when
/// the drawing shrinks to fit a phone. Layouts leave room for the largest.
pub(crate) const TEXT_ROOM: f64 = 1.4;

/// Room a label needs in viewBox units at [`FONT`], grown by [`TEXT_ROOM`]:
/// CJK characters a full em, others about 0.6 em.
pub fn text_width(text: &str) -> i32 {
    sized_text_width(text, FONT)
}

pub(crate) fn sized_text_width(text: &str, size: f64) -> i32 {
    (drawn_text_width(text, size) * TEXT_ROOM).ceil() as i32
}

/// Width as drawn, before any scaling by the theme.
pub(crate) fn drawn_text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { size * 0.6 } else { size })
        .sum::<f64>()
}

/// Drawings kept by their inputs: a chart shown on several pages (a region's
/// children on the region's page and on the metric's per-region page) is
/// drawn once. `key` must hold everything the drawing reads. Only time
/// depends on it, never output; bounded, so `serve` does not grow with edits.
pub(crate) fn drawn(key: String, draw: impl FnOnce() -> String) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Mutex::default);
    const MAX_ENTRIES: usize = 4096;
    if let Some(svg) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return svg;
    }
    let svg = draw();
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(key, svg.clone());
    }
    svg
}

/// The key of a bar or column drawing for [`drawn`]: what those drawings read
/// of each bar (its label, value and highlight, and the value as shown),
/// each string behind its length so that no two inputs share a key. (A
/// `Debug` of the whole bars, sources and all, escaped every char: ~5 % of a
/// national build's instructions.)
pub(crate) fn drawing_key(kind: &str, bars: &[Bar], shown: &[String]) -> String {
    use std::fmt::Write as _;
    let mut key = format!("{kind} {}", bars.len());
    for (bar, value_label) in bars.iter().zip(shown) {
        let _ = write!(
            key,
            " {}:{} {} {} {}:{}",
            bar.label.len(),
            bar.label,
            bar.value,
            u8::from(bar.highlight),
            value_label.len(),
            value_label
        );
    }
    key
}

/// Adds what plotters leaves out: `role="img"`, `<title>`, `<desc>`.
pub(crate) fn accessible_svg(svg: &str, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen("<svg ", "<svg role=\"img\" focusable=\"false\" ", 1);
    format!(
        "{open}><title>{}</title><desc>{}</desc>{}",
        escape_html(title),
        escape_html(description),
        &rest[1..]
    )
}

/// Everything but the drawing: rows, sources, CSV. `shown` is the text drawn
/// for each bar's value, repeated in the table so both say the same.
pub(crate) struct Parts<'a> {
    pub id: &'a str,
    pub kind: ChartKind,
    pub caption: &'a str,
    pub unit: &'a str,
    pub description: String,
    pub svg: String,
}

pub(crate) fn assemble(parts: Parts<'_>, bars: &[Bar], shown: &[String], urls: &Urls) -> Chart {
    let mut sources: Vec<Link> = Vec::new();
    for bar in bars {
        let page = bar.source.url.split('#').next().unwrap_or("").to_owned();
        if !sources.iter().any(|s| s.url == page) {
            sources.push(Link {
                name: bar.source.name.clone(),
                url: page,
            });
        }
    }
    let rows: Vec<ChartRow> = bars
        .iter()
        .zip(shown)
        .map(|(b, value)| ChartRow {
            label: b.label.clone(),
            url: b.link.clone(),
            value: value.clone(),
            qualifier: b.qualifier.clone().unwrap_or_default(),
            time: b.time.clone(),
            source: b.source.clone(),
        })
        .collect();
    let csv_path = format!("data/charts/{}.csv", parts.id);
    let csv = chart_csv(bars, urls);
    Chart {
        view: ChartView {
            id: parts.id.to_owned(),
            kind: parts.kind,
            caption: parts.caption.to_owned(),
            description: parts.description,
            unit: parts.unit.to_owned(),
            svg: parts.svg,
            rows,
            sources,
            csv_url: urls.path(&csv_path),
        },
        csv: (csv_path, csv),
    }
}

fn chart_csv(bars: &[Bar], urls: &Urls) -> Vec<u8> {
    // A BOM first: Excel on zh-CN Windows otherwise reads the file as GBK.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        // value_written and qualifier as in figures.csv: 近1万 never becomes a bare 10000.
        let _ = writer.write_record([
            "项目",
            "数值",
            "value_written",
            "qualifier",
            "单位",
            "时间",
            "出处",
            "出处网址",
        ]);
        for b in bars {
            let url = if b.source.url.starts_with('/') {
                urls.absolute(b.source.url.trim_start_matches(&urls.base_path))
            } else {
                b.source.url.clone()
            };
            let _ = writer.write_record([
                b.label.as_str(),
                &b.value.normalize().to_string(),
                &b.value_label(),
                b.qualifier.as_deref().unwrap_or(""),
                &b.unit,
                &b.time,
                &b.source.name,
                &url,
            ]);
        }
        let _ = writer.flush();
    }
    out
}

/// "最大的是A（3万人），最小的是B、C（5人）。" over bars of one unit; exact
/// ties are all named. Bounds rank as bounds (`model::compare`): when a bound
/// or an approximation could be the largest as well as another value, the
/// sentence names every candidate and says it cannot tell.
pub(crate) fn extremes(bars: &[Bar]) -> String {
    let intervals: Vec<Interval> = bars.iter().map(Bar::interval).collect();
    let (Some(max), Some(min)) = (compare::largest(&intervals), compare::smallest(&intervals))
    else {
        return String::new();
    };
    let named = |e: &compare::Extreme| {
        if e.certain {
            let names: Vec<&str> = e.indices.iter().map(|&i| bars[i].label.as_str()).collect();
            format!(
                "{}（{}）",
                names.join("、"),
                bars[e.indices[0]].value_label()
            )
        } else {
            let names: Vec<String> = e
                .indices
                .iter()
                .map(|&i| format!("{}（{}）", bars[i].label, bars[i].value_label()))
                .collect();
            format!("{}之一（含约数或上下限，无法确定）", names.join("、"))
        }
    };
    let mut text = format!("最大的是{}", named(&max));
    if max != min {
        text.push_str(&format!("，最小的是{}", named(&min)));
    }
    text.push('。');
    text
}

/// The word a sentence the chart computes (a change, a total) counts in: the
/// sources' own when every value is written with the same one, so that
/// 35名，74名 is followed by 增加39名 rather than 39人; otherwise the unit.
/// A unit of 万 or 亿 keeps its magnitude, so it is never replaced.
pub(crate) fn counting_unit(bars: &[Bar]) -> &str {
    let unit = bars.first().map(|b| b.unit.as_str()).unwrap_or("");
    if unit.starts_with(['万', '亿']) {
        return unit;
    }
    let mut counters = bars.iter().map(Bar::counter);
    match counters.next().flatten() {
        Some(word) if counters.all(|other| other == Some(word)) => word,
        _ => unit,
    }
}

/// "合计12万人" / "合计不少于12万人" / "合计约12万人", or nothing when bounds mix.
pub(crate) fn total_phrase(bars: &[Bar]) -> Option<String> {
    if !bars.iter().all(|b| b.additive) {
        return None;
    }
    let intervals: Vec<Interval> = bars.iter().map(Bar::interval).collect();
    let values: Vec<Decimal> = bars.iter().map(|b| b.value).collect();
    let (word, total) = compare::total_words(&intervals, &values)?;
    Some(format!(
        "合计{word}{}",
        crate::content::value::format_with_unit(total, counting_unit(bars))
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn bar(label: &str, value: i64, unit: &str, time: &str) -> Bar {
        Bar::new(
            label,
            Decimal::from(value),
            unit,
            time,
            Link {
                name: "方案".into(),
                url: "/documents/a/#q-1".into(),
            },
        )
    }

    /// Every `<text>` of an SVG, in order, so tests can look for a label.
    pub(crate) fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</text>"))
                    .map(|(s, _)| s.trim().to_owned())
            })
            .collect()
    }

    #[test]
    fn drawing_keys_differ_wherever_a_drawing_does() {
        let shown = |bars: &[Bar]| bars.iter().map(Bar::value_label).collect::<Vec<_>>();
        let key = |bars: &[Bar]| drawing_key("bars", bars, &shown(bars));
        let base = [bar("甲", 3, "人", ""), bar("乙", 1, "人", "")];
        let mut highlighted = base.clone();
        highlighted[1].highlight = true;
        let mut other_value = base.clone();
        other_value[1].value = Decimal::from(2);
        let mut written = base.clone();
        written[0].written = Some("近3人".into());
        let mut other_source = base.clone();
        other_source[0].time = "2023年".into();
        assert_ne!(key(&base), key(&highlighted));
        assert_ne!(key(&base), key(&other_value));
        assert_ne!(key(&base), key(&written));
        assert_ne!(key(&base), key(&base[..1]));
        assert_ne!(key(&base), drawing_key("columns", &base, &shown(&base)));
        // What the drawing does not read leaves the key as it is.
        assert_eq!(key(&base), key(&other_source));
        // A label holding what separates the parts is still told apart.
        let joined = [bar("甲 3 0 2:3人 1:乙", 1, "人", "")];
        let apart = [bar("甲", 3, "人", ""), bar("乙", 1, "人", "")];
        assert_ne!(key(&joined), key(&apart));
    }

    #[test]
    fn ties_for_largest_and_smallest_are_all_named() {
        let bars = [
            bar("甲", 3, "人", ""),
            bar("乙", 1, "人", ""),
            bar("丙", 1, "人", ""),
        ];
        assert_eq!(
            extremes(&bars),
            "最大的是甲（3人），最小的是乙、丙（1人）。"
        );
    }

    #[test]
    fn a_charts_csv_keeps_the_written_value_and_its_qualifier() {
        let mut near = bar("甲", 10000, "人", "2024年");
        near.written = Some("近1万人".into());
        near.qualifier = Some("近".into());
        let exact = bar("乙", 9500, "人", "2024年");
        let urls = Urls::new("https://example.org/", "/");
        let csv = String::from_utf8(chart_csv(&[near, exact], &urls)).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[0],
            "项目,数值,value_written,qualifier,单位,时间,出处,出处网址"
        );
        assert!(
            lines[1].starts_with("甲,10000,近1万人,近,人,2024年,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("乙,9500,\"9,500人\",,人,"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn text_widths_count_characters_not_bytes() {
        assert_eq!(text_width("南阳市"), (FONT * 3.0 * TEXT_ROOM).ceil() as i32);
        assert!(text_width("Nanyang") < text_width("南阳市南阳"));
    }
}
