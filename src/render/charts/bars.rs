//! Horizontal bars, largest first: regions, programs or brands side by side.
//!
//! Bars are drawn as plotters `Rectangle`s (its `Histogram` emits bars in a
//! different order on every run) and labels sit on their own line above each
//! bar, so a long label (现代服务业技能培训专项) is never clipped, even at 390 px.

use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::*;

// Rows leave room for labels grown by TEXT_ROOM (see mod.rs).
const LABEL_H: i32 = 32;
const BAR_H: i32 = 22;
const GAP: i32 = 20;

/// Bars of one unit, largest first. `what` names the compared things in the
/// description. `summable`: whether adding the bars up means something
/// (disjoint regions do; program targets that may overlap do not).
pub fn bars(
    id: &str,
    kind: ChartKind,
    caption: &str,
    what: &str,
    summable: bool,
    mut bars: Vec<Bar>,
    urls: &Urls,
) -> Chart {
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    let unit = bars.first().map(|b| b.unit.clone()).unwrap_or_default();
    debug_assert!(
        bars.iter().all(|b| b.unit == unit),
        "人 and 人次 never share an axis"
    );
    let description = describe(caption, what, summable, &bars);
    let shown: Vec<String> = bars.iter().map(Bar::value_label).collect();
    let svg = super::drawn(super::drawing_key("bars", &bars, &shown), || {
        draw(&bars, &shown)
    });
    let svg = accessible_svg(&svg, caption, &description);
    assemble(
        Parts {
            id,
            kind,
            caption,
            unit: &unit,
            description,
            svg,
        },
        &bars,
        &shown,
        urls,
    )
}

/// The text alternative: what is compared, largest and smallest, and the total
/// only where adding up is meaningful (same time for every bar, not a share).
fn describe(caption: &str, what: &str, summable: bool, bars: &[Bar]) -> String {
    let Some(first) = bars.first() else {
        return format!("{caption}：暂无数据。");
    };
    let mut text = format!("{caption}：比较了{}个{what}。", bars.len());
    text.push_str(&extremes(bars));
    // A rank among bounds is not proven: say the value only.
    let exact = bars.iter().all(|b| b.interval().exact());
    if let Some(own) = bars.iter().find(|b| b.highlight && !exact) {
        text.push_str(&format!("{}为{}。", own.label, own.value_label()));
    } else if let Some(own) = bars.iter().find(|b| b.highlight) {
        let rank = bars.iter().position(|b| b.label == own.label).unwrap_or(0) + 1;
        text.push_str(&format!(
            "{}为{}，排第{rank}。",
            own.label,
            own.value_label()
        ));
    }
    let same_time = bars.iter().all(|b| b.time == first.time);
    if !summable {
        text.push_str("各项可能相互交叉，未作加总。");
    } else if !first.additive {
        text.push_str("各项是平均数或比率，相加没有意义，未作加总。");
    } else if same_time && bars.len() > 1 && first.unit != "%" {
        match total_phrase(bars) {
            Some(total) => text.push_str(&format!("均为{}，{total}。", first.time)),
            None => text.push_str("含上限和下限，未作加总。"),
        }
    } else if !same_time {
        text.push_str("各项时间口径不同，未作加总。");
    }
    text
}

/// The plotters part alone: rectangles and text, no title, description or CSV.
pub(crate) fn draw(bars: &[Bar], shown: &[String]) -> String {
    let row = LABEL_H + BAR_H + GAP;
    let height = (bars.len() as i32 * row + GAP).max(row) as u32;
    let max = bars
        .iter()
        .map(|b| b.value)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::new(1, 6));
    // Room for the longest value label to the right of the longest bar.
    let label_room = shown.iter().map(|l| text_width(l)).max().unwrap_or(0) + 8;
    let bar_room = (WIDTH as i32 - label_room - 4).max(60);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let style = text_style(TEXT);
        for (i, (bar, value_label)) in bars.iter().zip(shown).enumerate() {
            let top = GAP + i as i32 * row;
            let ratio = (bar.value / max).to_f64().unwrap_or(0.0);
            let length = ((bar_room as f64) * ratio).round().max(2.0) as i32;
            let bar_top = top + LABEL_H;
            let color = if bar.highlight { VERMILION } else { BAR_BLUE };
            let _ = root.draw(&Text::new(
                bar.label.clone(),
                (0, top + LABEL_H / 2),
                style.clone(),
            ));
            let _ = root.draw(&Rectangle::new(
                [(0, bar_top), (length, bar_top + BAR_H)],
                color.filled(),
            ));
            let _ = root.draw(&Text::new(
                value_label.clone(),
                (length + 6, bar_top + BAR_H / 2),
                style.clone(),
            ));
        }
        let _ = root.present();
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bar, texts};
    use super::*;

    #[test]
    fn svg_is_accessible_and_deterministic() {
        let urls = Urls::new("https://example.org/", "/");
        let make = || {
            bars(
                "t",
                ChartKind::Comparison,
                "各专项年培训目标",
                "专项",
                true,
                vec![
                    bar("现代服务业技能培训专项", 350000, "人次", "2025年"),
                    bar("数字领域", 50000, "人次", "2025年"),
                ],
                &urls,
            )
        };
        let a = make();
        let b = make();
        assert_eq!(a.view.svg, b.view.svg);
        assert!(a.view.svg.starts_with("<svg role=\"img\""));
        assert!(a.view.svg.contains("<title>各专项年培训目标</title>"));
        assert!(
            texts(&a.view.svg).contains(&"现代服务业技能培训专项".to_owned()),
            "long labels are drawn whole"
        );
        assert!(texts(&a.view.svg).contains(&"35万人次".to_owned()));
        assert!(a.view.svg.contains("viewBox"));
        assert!(
            a.view
                .description
                .contains("最大的是现代服务业技能培训专项（35万人次）")
        );
        assert!(a.view.description.contains("合计40万人次"));
        assert!(a.csv.1.starts_with("\u{feff}".as_bytes()));
        assert_eq!(a.view.rows[1].label, "数字领域");
    }

    #[test]
    fn mixed_times_are_not_summed() {
        let urls = Urls::new("https://example.org/", "/");
        let chart = bars(
            "t",
            ChartKind::Comparison,
            "c",
            "地区",
            true,
            vec![bar("甲", 10, "人", "2025年"), bar("乙", 5, "人", "2024年")],
            &urls,
        );
        assert!(chart.view.description.contains("未作加总"));
        assert!(!chart.view.description.contains("合计"));
    }

    #[test]
    fn averages_are_never_summed() {
        let urls = Urls::new("https://example.org/", "/");
        let average = |label, value| {
            let mut b = bar(label, value, "元/月", "2025年");
            b.additive = false;
            b
        };
        let chart = bars(
            "t",
            ChartKind::Comparison,
            "c",
            "地区",
            true,
            vec![average("甲", 4133), average("乙", 3290)],
            &urls,
        );
        assert!(chart.view.description.contains("相加没有意义"));
        assert!(!chart.view.description.contains("合计"));
    }

    #[test]
    fn the_highlighted_bar_is_named_and_ranked() {
        let urls = Urls::new("https://example.org/", "/");
        let mut own = bar("乙（本品牌）", 5, "人", "2025年");
        own.highlight = true;
        let chart = bars(
            "t",
            ChartKind::BrandFigures,
            "c",
            "品牌",
            false,
            vec![bar("甲", 10, "人", "2025年"), own],
            &urls,
        );
        assert!(
            chart.view.description.contains("乙（本品牌）为5人，排第2"),
            "{}",
            chart.view.description
        );
        assert!(
            chart.view.svg.contains("#D55E00"),
            "the page's own brand stands out"
        );
    }
}
