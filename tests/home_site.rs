//! site.yaml's footer and licence fields, `home.map`, and regions' `order`,
//! end to end: what reaches the pages, and bad values reported at
//! file:line:column in the editor's terms.

mod common;

use std::path::Path;

use common::*;

const CITIES: &[(&str, &str)] = &[
    ("zhengzhou", "郑州市"),
    ("kaifeng", "开封市"),
    ("luoyang", "洛阳市"),
    ("pingdingshan", "平顶山市"),
    ("anyang", "安阳市"),
    ("hebi", "鹤壁市"),
    ("xinxiang", "新乡市"),
    ("jiaozuo", "焦作市"),
    ("puyang", "濮阳市"),
    ("xuchang", "许昌市"),
];

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn append(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    let mut old = std::fs::read_to_string(&path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    let output = run_in(root, &["build", "--output", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

/// Positions of `names` in `html`, which must all occur.
fn positions(html: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| html.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect()
}

#[test]
fn footer_licence_and_order_reach_every_page() {
    let dir = overlay_site(&fixtures().join("good/minimal"));
    let root = dir.path();
    append(
        root,
        "content/site.yaml",
        "operator: 示例资料整理组\ndisclaimer: 本站不是示例人社局的官方网站。\ndata_license:\n  name: CC BY 4.0\n  url: https://creativecommons.org/licenses/by/4.0/\n",
    );
    // 郑州 first by `order`, 南阳 second; 开封 has none: after them.
    write(
        root,
        "content/regions/zhengzhou.yaml",
        "name: 郑州市\nlevel: city\nparent: henan\norder: 1\n",
    );
    write(
        root,
        "content/regions/kaifeng.yaml",
        "name: 开封市\nlevel: city\nparent: henan\n",
    );
    append(root, "content/regions/nanyang.yaml", "order: 13\n");
    let out = build(root);
    for page in [
        "index.html",
        "regions/index.html",
        "regions/nanyang/index.html",
        "documents/nanyang-reply/index.html",
        "data/index.html",
        "404.html",
    ] {
        let html = read(&out, page);
        let footer = html.split("<footer").nth(1).unwrap();
        assert!(
            footer.contains("本站由示例资料整理组根据公开文件整理"),
            "{page}"
        );
        assert!(footer.contains("本站不是示例人社局的官方网站。"), "{page}");
    }
    let data = read(&out, "data/index.html");
    assert!(
        data.contains("<a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>"),
        "{data}"
    );
    let license = read(&out, "data/LICENSE.txt");
    assert!(license.contains("许可：CC BY 4.0"), "{license}");
    assert!(license.contains("https://creativecommons.org/licenses/by/4.0/"));
    // figures.json stays a bare list: consumers are not broken.
    let json: serde_json::Value = serde_json::from_str(&read(&out, "data/figures.json")).unwrap();
    assert!(json.is_array());
    // Administrative order in the region list, on the home page and in the
    // root's children.
    for page in [
        "regions/index.html",
        "index.html",
        "regions/henan/index.html",
    ] {
        let html = read(&out, page);
        // On the home page, the region list (the story names cities first).
        let main = html
            .split("<h2 id=\"regions\">")
            .nth(1)
            .unwrap_or_else(|| html.split("<main").nth(1).unwrap());
        let at = positions(main, &["郑州市", "南阳市", "开封市"]);
        assert!(at[0] < at[1] && at[1] < at[2], "{page}: {at:?}");
    }
}

#[test]
fn a_site_without_the_new_fields_still_builds_and_says_no_licence() {
    let dir = overlay_site(&fixtures().join("good/minimal"));
    let out = build(dir.path());
    let home = read(&out, "index.html");
    assert!(!home.contains("class=\"operator\""));
    assert!(!home.contains("class=\"disclaimer\""));
    assert!(!out.join("data/LICENSE.txt").exists());
    assert!(read(&out, "data/index.html").contains("本站未声明数据许可"));
}

/// `check` fails and names `at` (file:line:column) with `code` and `words`.
fn reports(root: &Path, at: &str, code: &str, words: &str) {
    let output = run_in(root, &["check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let found = err
        .lines()
        .zip(err.lines().skip(1))
        .any(|(l, m)| l.trim() == at && m.contains(&format!("[{code}]")) && m.contains(words));
    assert!(found, "expected {at} [{code}] {words} in:\n{err}");
}

#[test]
fn a_bad_order_is_reported_at_its_place() {
    for (value, shown) in [
        ("x1", "“x1”"),
        ("-3", "“-3”"),
        ("[1]", "列表"),
        ("1.5", "“1.5”"),
    ] {
        let dir = overlay_site(&fixtures().join("good/minimal"));
        append(
            dir.path(),
            "content/regions/nanyang.yaml",
            &format!("order: {value}\n"),
        );
        reports(
            dir.path(),
            "content/regions/nanyang.yaml:7:8",
            "wrong-type",
            &format!("`order` 应是 0 到 100000 之间的整数，这里是{shown}"),
        );
    }
}

#[test]
fn bad_home_map_values_are_reported_at_their_place() {
    let cases = [
        (
            "home:\n  map:\n    metric: nope\n",
            "content/site.yaml:7:13",
            "unknown-reference",
            "nope",
        ),
        (
            "home:\n  map:\n    metric: enterprise_training\n    kind: standard\n",
            "content/site.yaml:8:11",
            "bad-enum",
            "首页地图不能画政策标准",
        ),
        (
            "home:\n  map:\n    metric: enterprise_training\n    kind: 完成数\n",
            "content/site.yaml:8:11",
            "bad-enum",
            "`kind` 的值“完成数”不在允许范围内",
        ),
        (
            "home:\n  map:\n    metric: enterprise_training\n    year: 25\n",
            "content/site.yaml:8:11",
            "bad-year",
            "`year` 应是四位数的年份",
        ),
        (
            "home:\n  mapp: {}\n",
            "content/site.yaml:6:3",
            "unknown-field",
            "mapp",
        ),
        (
            "data_license:\n  name: CC BY 4.0\n  url: creativecommons.org\n",
            "content/site.yaml:7:8",
            "bad-url",
            "data_license 的 url",
        ),
    ];
    for (yaml, at, code, words) in cases {
        let dir = overlay_site(&fixtures().join("good/minimal"));
        append(dir.path(), "content/site.yaml", yaml);
        reports(dir.path(), at, code, words);
    }
}

/// A site where `cities` of the ten cities have a 2024 achievement.
fn map_site(cities: usize, map: &str) -> tempfile::TempDir {
    let dir = overlay_site(&fixtures().join("good/minimal"));
    let root = dir.path();
    append(root, "content/site.yaml", map);
    let mut figures = String::new();
    let mut body = String::new();
    for (i, (slug, name)) in CITIES.iter().enumerate() {
        write(
            root,
            &format!("content/regions/{slug}.yaml"),
            &format!(
                "name: {name}\nlevel: city\nparent: henan\norder: {}\n",
                i + 1
            ),
        );
        if i < cities {
            let n = 1000 + i;
            figures.push_str(&format!(
                "  - metric: enterprise_training\n    region: {slug}\n    value: {n}\n    year: 2024\n    quote: {name}培训{n}人\n"
            ));
            body.push_str(&format!("{name}培训{n}人。\n\n"));
        }
    }
    write(
        root,
        "content/documents/cities.md",
        &format!(
            "---\ntitle: 各市情况\nkind: report\nregion: henan\ndate: 2024-12-31\nfigures:\n{figures}---\n{body}"
        ),
    );
    dir
}

#[test]
fn the_map_appears_only_where_most_tiles_have_data() {
    // 10 of 18 tiles: drawn, by default and when chosen in site.yaml.
    for map in [
        "",
        "home:\n  map:\n    metric: enterprise_training\n    kind: actual\n    year: 2024\n",
    ] {
        let dir = map_site(10, map);
        let home = read(&build(dir.path()), "index.html");
        assert!(home.contains("id=\"chart-map-cities\""), "{map}");
        assert!(home.contains("各省辖市的企业职工技能培训（完成）"));
    }
    // 9 of 18: never a map of mostly 无数据, even when site.yaml asks for one.
    for map in ["", "home:\n  map:\n    metric: enterprise_training\n"] {
        let dir = map_site(9, map);
        let home = read(&build(dir.path()), "index.html");
        assert!(!home.contains("id=\"chart-map-cities\""), "{map}");
    }
    // A year without figures: no map.
    let dir = map_site(
        10,
        "home:\n  map:\n    metric: enterprise_training\n    year: 2023\n",
    );
    let home = read(&build(dir.path()), "index.html");
    assert!(!home.contains("id=\"chart-map-cities\""));
}

#[test]
fn the_default_site_has_no_map_and_its_footer_says_who_runs_it() {
    let site = default_site();
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(!home.contains("id=\"chart-map-cities\""));
    assert!(home.contains("本站由技能河南建设资料整理根据公开文件整理"));
    assert!(home.contains("不是河南省人力资源和社会保障厅"));
    let main = home.split("<h2 id=\"regions\">").nth(1).unwrap();
    let at = positions(
        main,
        &["郑州市", "开封市", "洛阳市", "三门峡市", "南阳市", "济源"],
    );
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}
