//! Charts on the default site: which pages carry which charts, every SVG is
//! well-formed XML with a title and description, and the data table beside it
//! holds the numbers the bars are labelled with.

mod common;

use common::*;

fn build_default() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = run_in(&repo_root(), &["build", "--output", out.path().join("public").to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

/// (page, chart id) pairs the default content must produce.
const EXPECTED: &[(&str, &str)] = &[
    ("index.html", "program-jineng-zhaoliang-qiancheng-vocational_training-target"),
    ("index.html", "program-jineng-zhaoliang-qiancheng-new_high_skill_talent-target"),
    ("programs/index.html", "program-jineng-zhaoliang-qiancheng-vocational_training-target"),
    ("programs/xiandai-fuwu/index.html", "program-xiandai-fuwu-vocational_training-target"),
    ("programs/jineng-zhaoliang-qiancheng/index.html", "program-jineng-zhaoliang-qiancheng-new_high_skill_talent-target"),
    ("metrics/vocational_training/index.html", "metric-vocational_training-target"),
];

#[test]
fn pages_carry_their_charts() {
    let out = build_default();
    let public = out.path().join("public");
    for (page, id) in EXPECTED {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        assert!(html.contains(&format!("<figure class=\"chart\" id=\"chart-{id}\"")), "{page} lacks chart {id}");
        assert!(public.join(format!("data/charts/{id}.csv")).is_file(), "{id}.csv missing");
    }
}

#[test]
fn every_chart_is_valid_svg_and_matches_its_table() {
    let out = build_default();
    let public = out.path().join("public");
    let mut charts = 0;
    for (path, bytes) in tree_bytes(&public).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        for figure in html.split("<figure class=\"chart\"").skip(1) {
            charts += 1;
            let figure = &figure[..figure.find("</figure>").unwrap()];
            let svg = &figure[figure.find("<svg").unwrap()..figure.find("</svg>").unwrap() + 6];
            let mut reader = quick_xml::Reader::from_str(svg);
            let mut texts = Vec::new();
            let mut in_text = false;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Start(e)) => in_text = e.name().as_ref() == b"text",
                    Ok(quick_xml::events::Event::Text(t)) if in_text => texts.push(t.decode().unwrap().into_owned()),
                    Ok(_) => {}
                    Err(e) => panic!("{path}: chart SVG is not XML: {e}"),
                }
            }
            assert!(svg.starts_with("<svg role=\"img\""), "{path}");
            assert!(svg.contains("<title>") && svg.contains("<desc>"), "{path}");
            assert!(svg.contains("viewBox"), "{path}");
            let table = &figure[figure.find("<tbody>").unwrap()..];
            for row in table.split("<tr>").skip(1) {
                let value = row.split("class=\"num\">").nth(1).unwrap().split('<').next().unwrap();
                assert!(texts.iter().any(|t| t.trim() == value), "{path}: table value {value} not drawn in {texts:?}");
            }
        }
    }
    assert!(charts >= 10, "only {charts} charts on the default site");
}
