//! Achievement against target as progress bars: one row per pair, each on its
//! own scale (so 人 and 人次 rows never share an axis). The light track runs
//! to the target, marked by a black tick; the blue bar is what was achieved and
//! may pass the tick. The words 完成, 目标 and 完成率 sit beside the numbers,
//! so nothing depends on telling the colours apart.

use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::*;

// Rows leave room for labels grown by TEXT_ROOM (see mod.rs).
const LABEL_H: i32 = 32;
const TRACK_H: i32 = 22;
const LINE_H: i32 = 34;
const GAP: i32 = 20;

/// A target and the achievement matched to it (see [`super::pick::target_pairs`]).
#[derive(Clone, Debug)]
pub struct Progress {
    pub label: String,
    pub target: Bar,
    pub actual: Bar,
}

impl Progress {
    /// Achievement as a share of the target, in percent to one decimal.
    fn rate(&self) -> Option<Decimal> {
        (!self.target.value.is_zero()).then(|| {
            (self.actual.value / self.target.value * Decimal::from(100))
                .round_dp(1)
                .normalize()
        })
    }
}

/// `rule` says in words how actuals were matched to targets; it ends the description.
pub fn target_actual(
    id: &str,
    caption: &str,
    rule: &str,
    items: Vec<Progress>,
    urls: &Urls,
) -> Chart {
    let mut text = format!("{caption}：{}项目标有对应的完成数。", items.len());
    for item in &items {
        text.push_str(&format!(
            "{}：完成{}（{}），目标{}（{}）",
            item.label,
            item.actual.value_label(),
            item.actual.time,
            item.target.value_label(),
            item.target.time
        ));
        if let Some(rate) = item.rate() {
            // With a bound or an approximation on either side the rate is not exact.
            if item.actual.interval().exact() && item.target.interval().exact() {
                text.push_str(&format!("，完成率{rate}%"));
            } else {
                text.push_str(&format!("，按原文数字计完成率约{rate}%"));
            }
        }
        text.push('。');
    }
    text.push_str(rule);
    let mut bars = Vec::new();
    let mut shown = Vec::new();
    for item in &items {
        for (word, bar) in [("目标", &item.target), ("完成", &item.actual)] {
            let mut row = bar.clone();
            row.label = format!("{}（{word}）", item.label);
            shown.push(bar.value_label());
            bars.push(row);
        }
    }
    let units: Vec<&str> = items.iter().map(|i| i.target.unit.as_str()).collect();
    let unit = if units.windows(2).all(|w| w[0] == w[1]) {
        units.first().copied().unwrap_or("")
    } else {
        ""
    };
    let svg = accessible_svg(&draw(&items), caption, &text);
    assemble(
        Parts {
            id,
            kind: ChartKind::TargetActual,
            caption,
            unit,
            description: text,
            svg,
        },
        &bars,
        &shown,
        urls,
    )
}

/// The words and numbers under one track, as (word, number) pairs flowed into
/// lines no wider than the chart.
fn lines(item: &Progress) -> Vec<Vec<(String, String)>> {
    let mut pairs = vec![
        ("完成".to_owned(), item.actual.value_label()),
        ("目标".to_owned(), item.target.value_label()),
    ];
    if let Some(rate) = item.rate() {
        pairs.push(("完成率".to_owned(), format!("{rate}%")));
    }
    let mut lines: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut x = 0;
    for pair in pairs {
        let w = text_width(&pair.0) + 6 + text_width(&pair.1) + 18;
        if x > 0 && x + w > WIDTH as i32 {
            lines.push(Vec::new());
            x = 0;
        }
        x += w;
        lines.last_mut().expect("one line").push(pair);
    }
    lines
}

pub(crate) fn draw(items: &[Progress]) -> String {
    let laid: Vec<Vec<Vec<(String, String)>>> = items.iter().map(lines).collect();
    let height: i32 = GAP
        + laid
            .iter()
            .map(|l| LABEL_H + TRACK_H + 4 + LINE_H * l.len() as i32 + GAP)
            .sum::<i32>();
    let track_room = WIDTH as i32 - 8;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        let style = text_style(TEXT);
        let muted = text_style(MUTED);
        let mut top = GAP;
        for (item, item_lines) in items.iter().zip(&laid) {
            let scale = item
                .target
                .value
                .max(item.actual.value)
                .max(Decimal::new(1, 6));
            let len = |v: Decimal| {
                ((track_room as f64) * (v / scale).to_f64().unwrap_or(0.0))
                    .round()
                    .max(2.0) as i32
            };
            let _ = root.draw(&Text::new(
                item.label.clone(),
                (0, top + LABEL_H / 2),
                style.clone(),
            ));
            let track_top = top + LABEL_H;
            let target = len(item.target.value);
            let _ = root.draw(&Rectangle::new(
                [(0, track_top), (target, track_top + TRACK_H)],
                LIGHT.filled(),
            ));
            let inset = TRACK_H / 4;
            let _ = root.draw(&Rectangle::new(
                [
                    (0, track_top + inset),
                    (len(item.actual.value), track_top + TRACK_H - inset),
                ],
                BAR_BLUE.filled(),
            ));
            let _ = root.draw(&Rectangle::new(
                [
                    (target - 2, track_top - 3),
                    (target + 1, track_top + TRACK_H + 3),
                ],
                TEXT.filled(),
            ));
            let mut y = track_top + TRACK_H + 4 + LINE_H / 2;
            for line in item_lines {
                let mut x = 0;
                for (word, number) in line {
                    let _ = root.draw(&Text::new(word.clone(), (x, y), muted.clone()));
                    x += text_width(word) + 6;
                    let _ = root.draw(&Text::new(number.clone(), (x, y), style.clone()));
                    x += text_width(number) + 18;
                }
                y += LINE_H;
            }
            top += LABEL_H + TRACK_H + 4 + LINE_H * item_lines.len() as i32 + GAP;
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
    fn pairs_show_both_numbers_and_the_rate() {
        let urls = Urls::new("https://example.org/", "/");
        let item = Progress {
            label: "职业技能培训".into(),
            target: bar("t", 2_000_000, "人次", "2025年"),
            actual: bar("a", 1_500_000, "人次", "截至2025年6月30日"),
        };
        let chart = target_actual("t", "目标完成情况", "规则。", vec![item], &urls);
        let drawn = texts(&chart.view.svg);
        for label in [
            "职业技能培训",
            "完成",
            "150万人次",
            "目标",
            "200万人次",
            "75%",
        ] {
            assert!(
                drawn.contains(&label.to_owned()),
                "{label} not in {drawn:?}"
            );
        }
        assert!(
            chart.view.description.contains("完成率75%"),
            "{}",
            chart.view.description
        );
        assert!(chart.view.description.ends_with("规则。"));
        assert_eq!(chart.view.rows.len(), 2);
        assert_eq!(chart.view.rows[0].label, "职业技能培训（目标）");
        assert_eq!(chart.view.unit, "人次");
    }
}
