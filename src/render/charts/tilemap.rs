//! A tile-grid map: equal tiles placed roughly where places lie, coloured by a
//! metric in a few classes of a viridis-like sequential scale. No geodata: the
//! grid is written by hand ([`HENAN_TILES`]).
//!
//! Every tile carries its name and its value (or 无数据) as text, and tiles
//! without data are white with grey hatching, so nothing depends on colour.
//! Tiles link to their region page through a transparent `<a>` laid over each
//! tile after plotters has drawn; the same links are in the data table, which
//! is what keyboards and screen readers use (the SVG itself is `role="img"`).

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use super::*;

/// The 18 prefecture-level divisions of Henan (17 cities and 济源) as
/// (short name, column, row): 安阳, 鹤壁 and 濮阳 along the top, 三门峡 in the
/// west, 商丘 and 周口 in the east, 信阳 at the bottom.
pub const HENAN_TILES: [(&str, i32, i32); 18] = [
    ("安阳", 2, 0),
    ("鹤壁", 3, 0),
    ("濮阳", 4, 0),
    ("济源", 1, 1),
    ("焦作", 2, 1),
    ("新乡", 3, 1),
    ("三门峡", 0, 2),
    ("洛阳", 1, 2),
    ("郑州", 2, 2),
    ("开封", 3, 2),
    ("商丘", 4, 2),
    ("平顶山", 1, 3),
    ("许昌", 2, 3),
    ("周口", 3, 3),
    ("南阳", 1, 4),
    ("漯河", 2, 4),
    ("驻马店", 3, 4),
    ("信阳", 3, 5),
];

/// One tile: its short name, grid place and the figure, if any. Tiles are not
/// links: inside `role="img"` a link would be hidden from screen readers (the
/// table under the map links each region instead).
#[derive(Clone, Debug)]
pub struct MapTile {
    pub name: String,
    pub col: i32,
    pub row: i32,
    pub bar: Option<Bar>,
}

const CELL_W: i32 = 96;
const CELL_H: i32 = 78;
const TILE_W: i32 = 90;
const TILE_H: i32 = 72;
const SWATCH: i32 = 22;
const LEGEND_ROW: i32 = 32;
// Two a row: legend text may grow by TEXT_ROOM on a phone.
const LEGEND_PER_ROW: usize = 2;
/// The smallest value font that stays ≥ 12 px at 390 px, for numbers too wide for a tile.
const SMALL_FONT: f64 = 17.5;
/// Light to dark, as in viridis; larger values are darker. Text on the darkest class is white.
const CLASSES: [RGBColor; 4] = [
    RGBColor(253, 231, 37),
    RGBColor(94, 201, 98),
    RGBColor(33, 145, 140),
    RGBColor(59, 82, 139),
];
const HATCH: RGBColor = RGBColor(200, 200, 200);

/// `what` names the tiles in the description (省辖市); `note` ends it (why this metric).
pub fn tile_map(
    id: &str,
    caption: &str,
    what: &str,
    note: &str,
    tiles: Vec<MapTile>,
    urls: &Urls,
) -> Chart {
    let mut with_data: Vec<Bar> = tiles.iter().filter_map(|t| t.bar.clone()).collect();
    with_data.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    let unit = with_data
        .first()
        .map(|b| b.unit.clone())
        .unwrap_or_default();
    debug_assert!(
        with_data.iter().all(|b| b.unit == unit),
        "one metric, one unit"
    );
    let max = with_data
        .iter()
        .map(|b| b.value)
        .max()
        .unwrap_or(Decimal::ZERO);
    let step = class_step(max);
    let shown: Vec<String> = with_data.iter().map(tile_value).collect();
    let description = describe(caption, what, &tiles, &with_data, step) + note;
    let svg = accessible_svg(&draw(&tiles, step), caption, &description);
    assemble(
        Parts {
            id,
            kind: ChartKind::TileMap,
            caption,
            unit: &unit,
            description,
            svg,
        },
        &with_data,
        &shown,
        urls,
    )
}

/// The value as drawn on a tile: with its unit when that fits, else the number alone.
fn tile_value(bar: &Bar) -> String {
    let full = bar.value_label();
    if sized_text_width(&full, SMALL_FONT) <= TILE_W - 6 {
        full
    } else {
        format_chinese(bar.value)
    }
}

/// Class width: a quarter of the maximum, rounded up to 1, 2, 2.5 or 5 × 10ⁿ,
/// so the legend reads 0–2,500, 2,500–5,000 …
fn class_step(max: Decimal) -> Decimal {
    let raw = (max / Decimal::from(CLASSES.len() as i64))
        .to_f64()
        .unwrap_or(1.0)
        .max(1e-6);
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(raw);
    Decimal::from_f64(nice)
        .unwrap_or(Decimal::ONE)
        .round_dp(6)
        .normalize()
}

fn class_of(value: Decimal, step: Decimal) -> usize {
    if step.is_zero() {
        return 0;
    }
    ((value / step).floor().to_usize().unwrap_or(0)).min(CLASSES.len() - 1)
}

fn class_label(i: usize, step: Decimal) -> String {
    let low = step * Decimal::from(i as i64);
    let high = step * Decimal::from(i as i64 + 1);
    if i == CLASSES.len() - 1 {
        format!("{}以上", format_chinese(low))
    } else {
        format!("{}–{}", format_chinese(low), format_chinese(high))
    }
}

fn describe(
    caption: &str,
    what: &str,
    tiles: &[MapTile],
    with_data: &[Bar],
    step: Decimal,
) -> String {
    let mut text = format!(
        "{caption}：{}个{what}中，{}个有这项数字。",
        tiles.len(),
        with_data.len()
    );
    if with_data.is_empty() {
        return text;
    }
    text.push_str(&extremes(with_data));
    let classes: Vec<String> = (0..CLASSES.len()).map(|i| class_label(i, step)).collect();
    text.push_str(&format!(
        "颜色由浅到深分为{}档（{}），每块上都写有名称和数值。",
        CLASSES.len(),
        classes.join("、")
    ));
    let mut times: Vec<&str> = with_data.iter().map(|b| b.time.as_str()).collect();
    times.sort();
    times.dedup();
    if times.len() > 1 {
        text.push_str(&format!(
            "各地时间口径不同（{}），仅供对照，未作加总。",
            times.join("、")
        ));
    }
    let missing: Vec<&str> = tiles
        .iter()
        .filter(|t| t.bar.is_none())
        .map(|t| t.name.as_str())
        .collect();
    if !missing.is_empty() {
        text.push_str(&format!("无数据：{}。", missing.join("、")));
    }
    text
}

fn tile_origin(tile: &MapTile) -> (i32, i32) {
    (
        tile.col * CELL_W + (CELL_W - TILE_W) / 2,
        tile.row * CELL_H + (CELL_H - TILE_H) / 2,
    )
}

fn grid_height(tiles: &[MapTile]) -> i32 {
    (tiles.iter().map(|t| t.row).max().unwrap_or(0) + 1) * CELL_H
}

pub(crate) fn draw(tiles: &[MapTile], step: Decimal) -> String {
    let grid_h = grid_height(tiles);
    let legend_items = CLASSES.len() + 1;
    let legend_rows = legend_items.div_ceil(LEGEND_PER_ROW) as i32;
    let height = grid_h + 8 + legend_rows * LEGEND_ROW + 4;
    let muted = sized_text_style(FONT, MUTED, HPos::Center);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        for tile in tiles {
            let (x, y) = tile_origin(tile);
            let centre = x + TILE_W / 2;
            match &tile.bar {
                Some(bar) => {
                    let class = class_of(bar.value, step);
                    let _ = root.draw(&Rectangle::new(
                        [(x, y), (x + TILE_W, y + TILE_H)],
                        CLASSES[class].filled(),
                    ));
                    let color = if class == CLASSES.len() - 1 {
                        WHITE
                    } else {
                        TEXT
                    };
                    let value = tile_value(bar);
                    let size = if text_width(&value) > TILE_W - 6 {
                        SMALL_FONT
                    } else {
                        FONT
                    };
                    let _ = root.draw(&Text::new(
                        tile.name.clone(),
                        (centre, y + 22),
                        sized_text_style(FONT, color, HPos::Center),
                    ));
                    let _ = root.draw(&Text::new(
                        value,
                        (centre, y + 50),
                        sized_text_style(size, color, HPos::Center),
                    ));
                }
                None => {
                    draw_no_data(&root, x, y, TILE_W, TILE_H);
                    let _ = root.draw(&Text::new(
                        tile.name.clone(),
                        (centre, y + 22),
                        muted.clone(),
                    ));
                    let _ = root.draw(&Text::new(
                        "无数据".to_owned(),
                        (centre, y + 50),
                        muted.clone(),
                    ));
                }
            }
        }
        let left = text_style(TEXT);
        // `i` also places the item and labels its class, not only indexes CLASSES.
        #[allow(clippy::needless_range_loop)]
        for i in 0..legend_items {
            let x = (i % LEGEND_PER_ROW) as i32 * (WIDTH as i32 / LEGEND_PER_ROW as i32);
            let y = grid_h + 8 + (i / LEGEND_PER_ROW) as i32 * LEGEND_ROW;
            let label = if i < CLASSES.len() {
                let _ = root.draw(&Rectangle::new(
                    [(x, y), (x + SWATCH, y + SWATCH)],
                    CLASSES[i].filled(),
                ));
                class_label(i, step)
            } else {
                draw_no_data(&root, x, y, SWATCH, SWATCH);
                "无数据".to_owned()
            };
            let _ = root.draw(&Text::new(
                label,
                (x + SWATCH + 6, y + SWATCH / 2),
                left.clone(),
            ));
        }
        let _ = root.present();
    }
    svg
}

/// White with a grey border and light diagonal hatching: visibly "no data" in
/// colour, in greyscale and in print.
fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    x: i32,
    y: i32,
    w: i32,
    h: i32,
) {
    let _ = root.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.filled()));
    let spacing = 10;
    let mut d = spacing;
    while d < w + h {
        let start = if d <= w {
            (x + d, y)
        } else {
            (x + w, y + d - w)
        };
        let end = if d <= h {
            (x, y + d)
        } else {
            (x + d - h, y + h)
        };
        let _ = root.draw(&PathElement::new(vec![start, end], HATCH.stroke_width(1)));
        d += spacing;
    }
    let _ = root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        MUTED.stroke_width(1),
    ));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bar, texts};
    use super::*;

    fn tiles() -> Vec<MapTile> {
        HENAN_TILES
            .iter()
            .map(|&(name, col, row)| {
                let bar = match name {
                    "新乡" => Some(bar("新乡市", 10000, "人", "2019—2024年")),
                    "南阳" => Some(bar("南阳市", 5538, "人", "2022—2024年")),
                    _ => None,
                };
                MapTile {
                    name: name.into(),
                    col,
                    row,
                    bar,
                }
            })
            .collect()
    }

    #[test]
    fn every_tile_is_named_and_valued_in_text() {
        let urls = Urls::new("https://example.org/s/", "/s/");
        let chart = tile_map("m", "各市学徒培训", "省辖市", "", tiles(), &urls);
        let drawn = texts(&chart.view.svg);
        for (name, _, _) in HENAN_TILES {
            assert!(drawn.contains(&name.to_owned()), "{name} missing");
        }
        assert_eq!(
            drawn.iter().filter(|t| *t == "无数据").count(),
            16 + 1,
            "16 empty tiles and the legend"
        );
        assert!(
            // 5,538人 grown for a phone (TEXT_ROOM) no longer fits a tile: the
            // number alone, its unit in the caption.
            drawn.contains(&"1万人".to_owned()) && drawn.contains(&"5,538".to_owned()),
            "{drawn:?}"
        );
        assert!(
            !chart.view.svg.contains("<a "),
            "no links inside role=img: the table carries them"
        );
        assert!(
            chart
                .view
                .description
                .contains("18个省辖市中，2个有这项数字"),
            "{}",
            chart.view.description
        );
        assert!(chart.view.description.contains("时间口径不同"));
        assert_eq!(
            chart.view.rows.len(),
            2,
            "the table lists the tiles with data"
        );
    }

    #[test]
    fn classes_have_round_bounds() {
        assert_eq!(class_step(Decimal::from(10000)), Decimal::from(2500));
        assert_eq!(class_step(Decimal::from(75)), Decimal::from(20));
        assert_eq!(class_of(Decimal::from(10000), Decimal::from(2500)), 3);
        assert_eq!(class_of(Decimal::from(4859), Decimal::from(2500)), 1);
        assert_eq!(class_label(3, Decimal::from(2500)), "7,500以上");
    }
}
