//! `cargo bench --bench charts`: renders 10,000 charts of mixed kinds (bars,
//! columns over time, target-vs-achievement progress, the Henan tile map)
//! through skillpress's chart code, with description, accessible SVG, table
//! rows and CSV, and reports the median microseconds per chart. Beside it, the
//! bare plotters cost: the same rectangles and labels drawn straight into a
//! String with `SVGBackend`, with no layout by character width, no
//! `<title>`/`<desc>`, no description and no CSV.
//!
//! No benchmark framework: each chart is timed with `Instant`, and the median
//! of 10,000 is stable enough to compare the two.

use std::hint::black_box;
use std::time::{Duration, Instant};

use plotters::prelude::*;
use rust_decimal::Decimal;
use skillpress::render::charts::{self, Bar, ChartKind, HENAN_TILES, MapTile, Progress};
use skillpress::render::context::Link;
use skillpress::render::urls::Urls;

const CHARTS: usize = 10_000;
const WARM_UP: usize = 400;
const LABELS: [&str; 12] = [
    "院校技能培训专项",
    "先进制造业技能培训专项",
    "重点群体技能培训专项",
    "“三农”领域技能培训专项",
    "民营企业技能培训专项",
    "青年技能人才培训专项",
    "职业技能竞赛培训专项",
    "交通水利领域技能培训专项",
    "数字领域技能培训专项",
    "南阳市",
    "三门峡市",
    "新乡市",
];

/// A small deterministic generator, so every run draws the same charts.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn source() -> Link {
    Link {
        name: "2025年度技能河南建设工作方案".into(),
        url: "/documents/henan-2025-plan/#q-1".into(),
    }
}

fn bar(label: &str, value: u64, unit: &str, time: &str) -> Bar {
    Bar::new(label, Decimal::from(value), unit, time, source())
}

/// The data of one chart, drawn both ways.
enum Spec {
    Bars(Vec<Bar>),
    Columns(Vec<Bar>),
    Progress(Vec<Progress>),
    Map(Vec<MapTile>),
}

fn spec(i: usize, rng: &mut Lcg) -> Spec {
    match i % 4 {
        0 => {
            let n = 3 + rng.next(10) as usize;
            Spec::Bars(
                (0..n)
                    .map(|j| {
                        bar(
                            LABELS[j % LABELS.len()],
                            1000 + rng.next(500_000),
                            "人次",
                            "2025年",
                        )
                    })
                    .collect(),
            )
        }
        1 => {
            let n = 2 + rng.next(5) as usize;
            Spec::Columns(
                (0..n)
                    .map(|j| {
                        let year = format!("{}年", 2019 + j);
                        bar(&year, 10 + rng.next(200), "人", &year)
                    })
                    .collect(),
            )
        }
        2 => {
            let n = 1 + rng.next(4) as usize;
            Spec::Progress(
                (0..n)
                    .map(|j| {
                        let target = 1000 + rng.next(2_000_000);
                        let label = LABELS[j % LABELS.len()];
                        Progress {
                            label: label.into(),
                            target: bar(label, target, "人次", "2025年"),
                            actual: bar(
                                label,
                                rng.next(target * 5 / 4),
                                "人次",
                                "截至2025年6月30日",
                            ),
                        }
                    })
                    .collect(),
            )
        }
        _ => Spec::Map(
            HENAN_TILES
                .iter()
                .map(|&(name, col, row)| {
                    let bar = (rng.next(3) > 0).then(|| {
                        bar(
                            &format!("{name}市"),
                            100 + rng.next(20_000),
                            "人",
                            "2019—2024年",
                        )
                    });
                    MapTile {
                        name: name.into(),
                        col,
                        row,
                        bar,
                    }
                })
                .collect(),
        ),
    }
}

/// Through skillpress: layout, description, accessible SVG, rows and CSV.
fn skillpress_chart(spec: &Spec, urls: &Urls) -> usize {
    let chart = match spec {
        Spec::Bars(bars) => charts::bars(
            "b",
            ChartKind::Comparison,
            "各专项年培训目标",
            "专项",
            false,
            bars.clone(),
            urls,
        ),
        Spec::Columns(points) => charts::over_time(
            "c",
            "三门峡市：竞赛参赛选手（完成，按年）",
            true,
            points.clone(),
            urls,
        ),
        Spec::Progress(items) => {
            charts::target_actual("p", "目标完成情况", "对照规则。", items.clone(), urls)
        }
        Spec::Map(tiles) => charts::tile_map(
            "m",
            "各省辖市的企业新型学徒制培训（完成）",
            "省辖市",
            "",
            tiles.clone(),
            urls,
        ),
    };
    chart.view.svg.len() + chart.csv.1.len()
}

fn text() -> TextStyle<'static> {
    TextStyle::from(("sans-serif", 22.94).into_font())
}

/// Straight plotters: the same rectangles and labels, fixed positions, nothing else.
#[allow(clippy::type_complexity)]
fn bare_chart(spec: &Spec) -> usize {
    let mut svg = String::new();
    {
        let (height, draw): (
            u32,
            Box<dyn Fn(&DrawingArea<SVGBackend, plotters::coord::Shift>)>,
        ) = match spec {
            Spec::Bars(bars) => (
                bars.len() as u32 * 58 + 12,
                Box::new(move |root| {
                    for (i, b) in bars.iter().enumerate() {
                        let top = 12 + i as i32 * 58;
                        let len = (b.value / Decimal::from(2000))
                            .round()
                            .to_string()
                            .parse::<i32>()
                            .unwrap_or(0)
                            .min(380);
                        let _ = root.draw(&Text::new(b.label.clone(), (0, top + 12), text()));
                        let _ = root.draw(&Rectangle::new(
                            [(0, top + 24), (len, top + 46)],
                            BLUE.filled(),
                        ));
                        let _ = root.draw(&Text::new(b.value_label(), (len + 6, top + 35), text()));
                    }
                }),
            ),
            Spec::Columns(points) => (
                254,
                Box::new(move |root| {
                    for (i, p) in points.iter().enumerate() {
                        let x = 20 + i as i32 * 90;
                        let h = p.value.to_string().parse::<i32>().unwrap_or(0).min(180);
                        let _ = root.draw(&Rectangle::new(
                            [(x, 214 - h), (x + 54, 214)],
                            BLUE.filled(),
                        ));
                        let _ = root.draw(&Text::new(p.value_label(), (x, 200 - h), text()));
                        let _ = root.draw(&Text::new(p.label.clone(), (x, 236), text()));
                    }
                    let _ = root.draw(&PathElement::new(
                        vec![(0, 214), (480, 214)],
                        BLACK.stroke_width(1),
                    ));
                }),
            ),
            Spec::Progress(items) => (
                items.len() as u32 * 90 + 14,
                Box::new(move |root| {
                    for (i, item) in items.iter().enumerate() {
                        let top = 14 + i as i32 * 90;
                        let _ = root.draw(&Text::new(item.label.clone(), (0, top + 12), text()));
                        let _ = root.draw(&Rectangle::new(
                            [(0, top + 24), (400, top + 46)],
                            RGBColor(230, 230, 230).filled(),
                        ));
                        let _ = root.draw(&Rectangle::new(
                            [(0, top + 30), (300, top + 40)],
                            BLUE.filled(),
                        ));
                        let _ = root.draw(&Rectangle::new(
                            [(398, top + 21), (401, top + 49)],
                            BLACK.filled(),
                        ));
                        for (j, t) in [
                            "完成".to_owned(),
                            item.actual.value_label(),
                            "目标".to_owned(),
                            item.target.value_label(),
                        ]
                        .into_iter()
                        .enumerate()
                        {
                            let _ = root.draw(&Text::new(t, (j as i32 * 100, top + 63), text()));
                        }
                    }
                }),
            ),
            Spec::Map(tiles) => (
                544,
                Box::new(move |root| {
                    for t in tiles.iter() {
                        let (x, y) = (t.col * 96 + 3, t.row * 78 + 3);
                        let _ = root.draw(&Rectangle::new(
                            [(x, y), (x + 90, y + 72)],
                            RGBColor(94, 201, 98).filled(),
                        ));
                        let _ = root.draw(&Text::new(t.name.clone(), (x + 45, y + 22), text()));
                        let value = t
                            .bar
                            .as_ref()
                            .map_or_else(|| "无数据".to_owned(), Bar::value_label);
                        let _ = root.draw(&Text::new(value, (x + 45, y + 50), text()));
                    }
                }),
            ),
        };
        let root = SVGBackend::with_string(&mut svg, (480, height)).into_drawing_area();
        draw(&root);
        let _ = root.present();
    }
    svg.len()
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e6
}

fn main() {
    let urls = Urls::new("https://skills.example.gov.cn/", "/");
    let mut rng = Lcg(2025);
    let specs: Vec<Spec> = (0..CHARTS).map(|i| spec(i, &mut rng)).collect();
    for s in specs.iter().take(WARM_UP) {
        black_box(skillpress_chart(s, &urls));
        black_box(bare_chart(s));
    }
    let kinds = ["bars", "columns", "progress", "tile map"];
    let mut ours: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    let mut bare: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    let mut bytes = (0usize, 0usize);
    let started = Instant::now();
    for (i, s) in specs.iter().enumerate() {
        let t = Instant::now();
        bytes.0 += black_box(skillpress_chart(s, &urls));
        ours[i % 4].push(t.elapsed());
        let t = Instant::now();
        bytes.1 += black_box(bare_chart(s));
        bare[i % 4].push(t.elapsed());
    }
    let total = started.elapsed();
    println!(
        "{CHARTS} charts of 4 kinds, {:.2} s for both passes",
        total.as_secs_f64()
    );
    println!(
        "{:<10} {:>16} {:>16} {:>8}",
        "kind", "skillpress µs", "bare plotters µs", "ratio"
    );
    for k in 0..4 {
        let (a, b) = (median(ours[k].clone()), median(bare[k].clone()));
        println!("{:<10} {:>16.1} {:>16.1} {:>7.1}×", kinds[k], a, b, a / b);
    }
    let (a, b) = (median(ours.concat()), median(bare.concat()));
    println!("{:<10} {:>16.1} {:>16.1} {:>7.1}×", "all", a, b, a / b);
    println!(
        "mean bytes per chart: skillpress {} (SVG + CSV), bare {} (SVG)",
        bytes.0 / CHARTS,
        bytes.1 / CHARTS
    );
}
