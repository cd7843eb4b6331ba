//! One series over time as columns: a region's metric in two or more years,
//! periods or dates, oldest on the left, on a zero baseline.
//!
//! Each column carries its value above it and its time below it. When a label
//! would not fit its column's slot (many columns, or periods like 2019—2024年),
//! the same series is drawn as horizontal bars in time order instead, which
//! never clips.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::*;

// Room above and below for labels grown by TEXT_ROOM (see mod.rs).
const TOP: i32 = 44;
const PLOT_H: i32 = 180;
const BOTTOM: i32 = 52;
const SIDE: i32 = 8;
/// Columns never grow wider than this, so two columns do not fill the chart.
const MAX_SLOT: i32 = 120;

/// `points` in time order; `bar.label` is the time (2022年). `years`: every point is a
/// calendar year, so a total means something (periods and stock levels on
/// dates are not added up).
pub fn over_time(id: &str, caption: &str, years: bool, points: Vec<Bar>, urls: &Urls) -> Chart {
    let unit = points.first().map(|b| b.unit.clone()).unwrap_or_default();
    debug_assert!(
        points.iter().all(|b| b.unit == unit),
        "人 and 人次 never share an axis"
    );
    let description = describe(caption, years, &points);
    let shown: Vec<String> = points.iter().map(Bar::value_label).collect();
    let svg = super::drawn(super::drawing_key("columns", &points, &shown), || {
        draw(&points, &shown).unwrap_or_else(|| super::bars::draw(&points, &shown))
    });
    let svg = accessible_svg(&svg, caption, &description);
    assemble(
        Parts {
            id,
            kind: ChartKind::OverTime,
            caption,
            unit: &unit,
            description,
            svg,
        },
        &points,
        &shown,
        urls,
    )
}

/// What changed from first to last, the highest and lowest, and a total for calendar years.
fn describe(caption: &str, years: bool, points: &[Bar]) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("{caption}：暂无数据。");
    };
    let list: Vec<String> = points
        .iter()
        .map(|p| format!("{}{}", p.label, p.value_label()))
        .collect();
    let mut text = format!(
        "{caption}：{}个时间点依次为{}。",
        points.len(),
        list.join("，")
    );
    let change = last.value - first.value;
    let verb = if change > Decimal::ZERO {
        "增加"
    } else {
        "减少"
    };
    if !first.interval().exact() || !last.interval().exact() {
        // A bound or an approximation at either end: the change is not known.
        text.push_str("首尾含约数或上下限，未计算增减。");
    } else if change.is_zero() {
        text.push_str(&format!("{}与{}持平。", last.label, first.label));
    } else {
        text.push_str(&format!(
            "{}比{}{verb}{}",
            last.label,
            first.label,
            crate::content::value::format_with_unit(change.abs(), counting_unit(points))
        ));
        if !first.value.is_zero() && first.unit != "%" {
            let percent = (change.abs() / first.value * Decimal::from(100))
                .round_dp(1)
                .normalize();
            text.push_str(&format!("（{verb}{percent}%）"));
        }
        text.push('。');
    }
    if points.len() > 2 {
        text.push_str(&extremes(points));
    }
    if years
        && first.unit != "%"
        && let Some(total) = total_phrase(points)
    {
        text.push_str(&format!("{}至{}{total}。", first.label, last.label));
    }
    text
}

/// Columns, or `None` when a label would not fit and horizontal bars should be drawn instead.
pub(crate) fn draw(points: &[Bar], shown: &[String]) -> Option<String> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as i32;
    let slot = ((WIDTH as i32 - 2 * SIDE) / n).min(MAX_SLOT);
    let widest = points
        .iter()
        .map(|p| text_width(&p.label))
        .chain(shown.iter().map(|s| text_width(s)))
        .max()
        .unwrap_or(0);
    if widest > slot - 4 {
        return None;
    }
    let left = (WIDTH as i32 - slot * n) / 2;
    let column = (slot * 3 / 5).max(8);
    let baseline = TOP + PLOT_H;
    let height = (baseline + BOTTOM) as u32;
    let max = points
        .iter()
        .map(|p| p.value)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::new(1, 6));
    let centred = sized_text_style(FONT, TEXT, HPos::Center);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        for (i, (point, value_label)) in points.iter().zip(shown).enumerate() {
            let centre = left + slot * i as i32 + slot / 2;
            let ratio = (point.value / max).to_f64().unwrap_or(0.0);
            let h = ((PLOT_H as f64) * ratio).round().max(2.0) as i32;
            let x0 = centre - column / 2;
            let _ = root.draw(&Rectangle::new(
                [(x0, baseline - h), (x0 + column, baseline)],
                BAR_BLUE.filled(),
            ));
            let _ = root.draw(&Text::new(
                value_label.clone(),
                (centre, baseline - h - 14),
                centred.clone(),
            ));
            let _ = root.draw(&Text::new(
                point.label.clone(),
                (centre, baseline + BOTTOM / 2 + 2),
                centred.clone(),
            ));
        }
        let _ = root.draw(&PathElement::new(
            vec![(left, baseline), (left + slot * n, baseline)],
            TEXT.stroke_width(1),
        ));
        let _ = root.present();
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bar, texts};
    use super::*;

    #[test]
    fn years_become_columns_with_change_and_total() {
        let urls = Urls::new("https://example.org/", "/");
        let chart = over_time(
            "t",
            "参赛选手",
            true,
            vec![
                bar("2022年", 35, "人", "2022年"),
                bar("2023年", 74, "人", "2023年"),
            ],
            &urls,
        );
        let drawn = texts(&chart.view.svg);
        for label in ["2022年", "2023年", "35人", "74人"] {
            assert!(
                drawn.contains(&label.to_owned()),
                "{label} not in {drawn:?}"
            );
        }
        assert_eq!(chart.view.kind, ChartKind::OverTime);
        assert!(
            chart
                .view
                .description
                .contains("2023年比2022年增加39人（增加111.4%）"),
            "{}",
            chart.view.description
        );
        assert!(chart.view.description.contains("合计109人"));
        assert!(chart.view.svg.contains("<rect"), "columns are rectangles");
    }

    /// The description of a chart of 2022 and 2023 in `unit`, each value
    /// written as the source writes it.
    fn described(unit: &str, values: [(i64, &str); 2]) -> String {
        let urls = Urls::new("https://example.org/", "/");
        let points = ["2022年", "2023年"]
            .into_iter()
            .zip(values)
            .map(|(year, (value, written))| {
                let mut point = bar(year, value, unit, year);
                point.written = Some(written.to_owned());
                point
            })
            .collect();
        over_time("t", "参赛选手", true, points, &urls)
            .view
            .description
    }

    #[test]
    fn a_change_and_a_total_count_in_the_sources_word() {
        let description = described("人", [(35, "35名"), (74, "74名")]);
        assert!(
            description.contains("2022年35名，2023年74名"),
            "{description}"
        );
        assert!(
            description.contains("增加39名（增加111.4%）"),
            "{description}"
        );
        assert!(description.contains("合计109名"), "{description}");

        // Two words for the same unit: the sentences fall back to the unit.
        let description = described("人", [(35, "35名"), (74, "74人")]);
        assert!(description.contains("增加39人"), "{description}");
        // A qualifier after the word is not a counting word.
        let description = described("人", [(35, "35名以上"), (74, "74名以上")]);
        assert!(description.contains("增加39人"), "{description}");
        assert!(description.contains("合计109人"), "{description}");
        // A unit of 万 keeps its magnitude even when the source counts in 人.
        let description = described("万人", [(30, "30万人"), (47, "47万人")]);
        assert!(description.contains("增加17万人"), "{description}");
    }

    #[test]
    fn periods_are_not_summed_and_long_labels_fall_back_to_bars() {
        let urls = Urls::new("https://example.org/", "/");
        let points: Vec<Bar> = (0..8)
            .map(|i| {
                bar(
                    &format!("{}—{}年", 2000 + i * 3, 2002 + i * 3),
                    100 + i,
                    "人",
                    "",
                )
            })
            .collect();
        let chart = over_time("t", "c", false, points, &urls);
        assert!(!chart.view.description.contains("合计"));
        let drawn = texts(&chart.view.svg);
        assert!(
            drawn.contains(&"2021—2023年".to_owned()),
            "labels drawn whole: {drawn:?}"
        );
    }
}
