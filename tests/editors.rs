//! What an editor meets first: `init`, `new` scaffolds that cannot be published
//! unfilled, messages that find what was meant, Chinese on the command line,
//! and a default site that passes `check --strict`.

mod common;

use std::path::Path;

use common::*;

/// The minimal site with `edits` applied: (path, Some(text)) writes a file,
/// (path, None) removes it.
fn site_with(edits: &[(&str, Option<&str>)]) -> tempfile::TempDir {
    let site = overlay_site(&fixtures().join("good/minimal"));
    for (path, text) in edits {
        let path = site.path().join(path);
        match text {
            Some(text) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
            None => std::fs::remove_file(&path).unwrap(),
        }
    }
    site
}

fn minimal(path: &str) -> String {
    std::fs::read_to_string(fixtures().join("good/minimal").join(path)).unwrap()
}

/// `check` on a site, with the temporary path taken out; the run must fail.
fn check_fails(site: &Path) -> String {
    let output = run_in(site, &["check"]);
    let text = stderr(&output).replace(&site.display().to_string(), "[ROOT]");
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_columns_agree(&text);
    text
}

/// The header `file:line:col` and miette's `[file:line:col]` count columns alike
/// (characters, as editors count them), also when Chinese text comes first.
fn assert_columns_agree(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(inner) = line
            .trim()
            .strip_prefix("╭─[")
            .and_then(|l| l.strip_suffix(']'))
        else {
            continue;
        };
        let header = lines[..i]
            .iter()
            .rev()
            .find(|l| l.starts_with("content/"))
            .expect("a header line before the snippet");
        assert_eq!(*header, inner, "two column conventions in:\n{text}");
    }
}

fn document_with(from: &str, to: &str) -> String {
    let text = minimal("content/documents/nanyang-reply.md");
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

const LUSHI: &str = "name: 卢氏县\nshort_name: 卢氏\nlevel: county\nparent: nanyang\n";

#[test]
fn region_written_as_a_name_that_exists_is_its_slug() {
    let doc = document_with("region: nanyang", "region: 卢氏县");
    let site = site_with(&[
        ("content/regions/lushi-xian.yaml", Some(LUSHI)),
        ("content/documents/nanyang-reply.md", Some(&doc)),
    ]);
    let text = check_fails(site.path());
    assert!(text.contains("改为 `region: lushi-xian`"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn region_written_as_a_name_that_does_not_exist_says_which_file_to_create() {
    let doc = document_with("region: nanyang", "region: 卢氏县");
    let site = site_with(&[("content/documents/nanyang-reply.md", Some(&doc))]);
    let text = check_fails(site.path());
    assert!(text.contains("regions/lushi.yaml"), "{text}");
    assert!(!text.contains("regions/卢氏县.yaml"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn an_unrelated_slug_is_not_offered_as_a_typo() {
    let doc = document_with("region: nanyang", "region: lushi");
    let site = site_with(&[
        (
            "content/regions/luohe.yaml",
            Some("name: 漯河市\nlevel: city\nparent: henan\n"),
        ),
        ("content/documents/nanyang-reply.md", Some(&doc)),
    ]);
    let text = check_fails(site.path());
    assert!(
        !text.contains("luohe`？"),
        "lushi is no typo of luohe:\n{text}"
    );
    assert!(text.contains("regions/lushi.yaml"), "{text}");
}

#[test]
fn metric_written_as_its_chinese_name() {
    let doc = document_with(
        "- metric: enterprise_training",
        "- metric: 企业职工技能培训",
    );
    let site = site_with(&[("content/documents/nanyang-reply.md", Some(&doc))]);
    let text = check_fails(site.path());
    assert!(text.contains("`metric: enterprise_training`"), "{text}");
    assert!(
        !text.contains("企业职工技能培训.md") && !text.contains("中某个文件"),
        "metrics are entries, not files:\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn unknown_metric_id_points_at_metrics_yaml_entries() {
    let doc = document_with("- metric: enterprise_training", "- metric: zzz_unheard_of");
    let site = site_with(&[("content/documents/nanyang-reply.md", Some(&doc))]);
    let text = check_fails(site.path());
    assert!(text.contains("在 metrics.yaml 中添加一项"), "{text}");
    assert!(!text.contains("zzz_unheard_of.md"), "{text}");
}

#[test]
fn kind_written_in_chinese() {
    let doc = document_with("kind: proposal-reply", "kind: 提案答复");
    let site = site_with(&[("content/documents/nanyang-reply.md", Some(&doc))]);
    let text = check_fails(site.path());
    assert!(text.contains("改为 `kind: proposal-reply`"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn chinese_keys_name_their_fields() {
    let doc = document_with(
        "doc_number: 宛人社提字〔2024〕1号",
        "签发人: 李四\n发文字号: 宛人社提字〔2024〕1号\n签发：王五",
    );
    let site = site_with(&[("content/documents/nanyang-reply.md", Some(&doc))]);
    let text = check_fails(site.path());
    assert!(text.contains("`signed_by`"), "{text}");
    assert!(text.contains("`doc_number`"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn yaml_syntax_errors_in_chinese_and_every_tab_line() {
    let region = "name: 南阳市\nshort_name: 南阳\nlevel: city\nparent: henan\naliases:\n\t- 宛\n\t- 宛城\nsummary: [豫西南的地级市。\n";
    let site = site_with(&[("content/regions/nanyang.yaml", Some(region))]);
    let text = check_fails(site.path());
    assert_eq!(text.matches("[tab-indent]").count(), 2, "{text}");
    assert!(text.contains("YAML 格式有误：方括号"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn help_is_in_chinese() {
    let output = skillpress(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    for english in [
        "Usage",
        "Options",
        "Commands",
        "Print help",
        "[default",
        "Arguments",
    ] {
        assert!(!text.contains(english), "{english} in:\n{text}");
    }
    insta::assert_snapshot!(text);
    let new = skillpress(&["new", "--help"]);
    let new = String::from_utf8_lossy(&new.stdout).into_owned();
    assert!(
        new.contains("可选：region | program | brand | document"),
        "{new}"
    );
    assert!(!new.contains("possible values"), "{new}");
}

#[test]
fn argument_errors_are_in_chinese() {
    let output = skillpress(&["chek"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("您是否想写“check”"), "{text}");
    let option = skillpress(&["new", "regoin", "卢氏县"]);
    assert_eq!(option.status.code(), Some(2));
    let option = stderr(&option);
    for english in ["error:", "Usage", "invalid value", "tip:"] {
        assert!(!option.contains(english), "{english} in:\n{option}");
    }
    insta::assert_snapshot!(format!("{text}\n---\n{option}"));
}

#[test]
fn version_is_printed() {
    let output = skillpress(&["--version"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.trim(),
        format!("skillpress {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn serve_without_a_site_says_what_is_missing() {
    let empty = tempfile::tempdir().unwrap();
    let output = run_in(empty.path(), &["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("content/site.yaml"), "{text}");
    assert!(text.contains("skillpress init"), "{text}");
}

#[test]
fn the_default_site_passes_strict_check() {
    let output = run_in(&repo_root(), &["check", "--strict"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(!text.contains("警告"), "{text}");
}

#[test]
fn init_new_check_fill_check() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let root = site.to_str().unwrap();
    let init = skillpress(&["init", root, "--region", "卢氏县"]);
    assert!(init.status.success(), "{}", stderr(&init));
    for file in [
        "content/site.yaml",
        "content/metrics.yaml",
        "content/regions/lushi.yaml",
        ".gitignore",
        ".github/workflows/skillpress.yml",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let region = std::fs::read_to_string(site.join("content/regions/lushi.yaml")).unwrap();
    assert!(region.contains("level: county"), "{region}");
    let check = run_in(&site, &["check", "--strict"]);
    assert!(
        check.status.success(),
        "a new site checks: {}",
        stderr(&check)
    );
    let build = run_in(&site, &["build"]);
    assert!(
        build.status.success(),
        "a new site builds: {}",
        stderr(&build)
    );
    // A second init into the same (now non-empty) folder is refused.
    let again = skillpress(&["init", root]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("不是空目录"));

    let new = run_in(
        &site,
        &["new", "document", "关于县政协十届三次会议第12号提案的答复"],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let documents = site.join("content/documents");
    let file = std::fs::read_dir(&documents)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let name = format!(
        "content/documents/{}",
        file.file_name().unwrap().to_string_lossy()
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("kind: proposal-reply "), "{text}");
    let expected: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains("尚未填写"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        expected.len(),
        6,
        "region, four proposal fields, body:\n{text}"
    );
    let check = run_in(&site, &["check"]);
    assert_eq!(check.status.code(), Some(1), "an unfilled scaffold fails");
    let report = stderr(&check);
    for line in &expected {
        let at = format!("{name}:{line}:");
        assert!(
            report
                .lines()
                .zip(report.lines().skip(1))
                .any(|(h, m)| h.starts_with(&at)
                    && m.contains("[unfilled]")
                    && m.contains("尚未填写")),
            "expected {at} [unfilled] in:\n{report}"
        );
    }
    assert_eq!(
        report.matches("[unfilled]").count(),
        expected.len(),
        "{report}"
    );

    let filled: String = text
        .lines()
        .map(|l| {
            let value = |key: &str, v: &str| format!("{}{key}: {v}", &l[..l.find(key).unwrap()]);
            if l.trim_start().starts_with('#') || !l.contains("尚未填写") {
                l.to_owned()
            } else if l.trim_start().starts_with("region:") {
                value("region", "lushi")
            } else if l.trim_start().starts_with("meeting:") {
                value("meeting", "县政协十届三次会议")
            } else if l.trim_start().starts_with("number:") {
                value("number", "\"12\"")
            } else if l.trim_start().starts_with("title:") {
                value("title", "关于加强技能培训的提案")
            } else if l.trim_start().starts_with("proposers:") {
                value("proposers", "[张三]")
            } else {
                "张三委员：您提出的关于加强技能培训的提案收悉，现答复如下。".to_owned()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&file, filled).unwrap();
    let check = run_in(&site, &["check", "--strict"]);
    assert!(
        check.status.success(),
        "filled in, it checks: {}",
        stderr(&check)
    );

    // --parent takes a Chinese name of an existing region.
    let town = run_in(&site, &["new", "region", "官道口镇", "--parent", "卢氏县"]);
    assert!(town.status.success(), "{}", stderr(&town));
    let town = std::fs::read_to_string(site.join("content/regions/guandaokouzhen.yaml")).unwrap();
    assert!(town.contains("parent: lushi "), "{town}");
    assert!(
        town.contains("level: 尚未填写"),
        "a 镇 has no level of its own:\n{town}"
    );
}
