//! Good sites build: the minimal fixture, every accept fixture, and the real
//! Skills Henan content; twice byte-identical; under a sub-path.

mod common;

use common::*;

fn build_to(root: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["build", "--output", out];
    args.extend_from_slice(extra);
    run_in(root, &args)
}

fn read(dir: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn minimal_site_builds_every_kind_of_page() {
    let out = tempfile::tempdir().unwrap();
    let root = fixtures().join("good/minimal");
    let output = build_to(&root, &out.path().join("public"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = out.path().join("public");
    for page in [
        "index.html",
        "404.html",
        "regions/index.html",
        "regions/nanyang/index.html",
        "programs/xuetuzhi/index.html",
        "brands/wankang-hugong/index.html",
        "documents/nanyang-reply/index.html",
        "metrics/enterprise_training/index.html",
        "topics/企业职工培训/index.html",
        "assets/style.css",
    ] {
        assert!(public.join(page).is_file(), "missing {page}");
    }
    let doc = read(&public, "documents/nanyang-reply/index.html");
    assert!(
        doc.contains(
            "<mark id=\"q-1\"><a href=\"#f-1\">全市累计完成企业职工技能培训34.08万人</a></mark>"
        ),
        "{doc}"
    );
    assert!(doc.contains(
        "<th scope=\"row\">发文字号</th><td data-pagefind-weight=\"10\">宛人社提字〔2024〕1号</td>"
    ));
    assert!(
        doc.contains("<th scope=\"row\">办理结果</th><td>A类（所提问题已经解决或基本解决）</td>")
    );
    let region = read(&public, "regions/nanyang/index.html");
    assert!(region.contains("34.08万人"));
    assert!(
        region.contains("/documents/nanyang-reply/#q-1"),
        "figures link to their sentence"
    );
}

/// Removes `<script src="…/assets/…" defer></script>` tags (empty, external, from the theme).
fn strip_theme_scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script src=\"") {
        let tag_end = rest[start..]
            .find("</script>")
            .map(|e| start + e + "</script>".len());
        let tag = tag_end.map(|end| &rest[start..end]);
        match tag {
            Some(tag) if tag.contains("/assets/") && tag.matches('>').count() == 2 => {
                out.push_str(&rest[..start]);
                rest = &rest[tag_end.unwrap()..];
            }
            _ => {
                out.push_str(&rest[..start + 1]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn accept_fixtures_check_and_build() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixtures().join("accept")).unwrap() {
        let fixture = entry.unwrap().path();
        count += 1;
        let site = overlay_site(&fixture);
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let check = run_in(site.path(), &["check"]);
        assert!(check.status.success(), "{name}: {}", stderr(&check));
        let build = run_in(site.path(), &["build"]);
        assert!(build.status.success(), "{name}: {}", stderr(&build));
        for (path, bytes) in tree_bytes(&site.path().join("public")) {
            if path.ends_with(".html") {
                let html = String::from_utf8_lossy(&bytes).to_lowercase();
                // The theme's own scripts are external files under assets/; any other script is injected.
                let without_theme = strip_theme_scripts(&html);
                assert!(
                    !without_theme.contains("<script"),
                    "{name}: {path} has a script tag"
                );
                assert!(
                    !html.contains("<img"),
                    "{name}: {path} has an injected image tag"
                );
            }
        }
    }
    assert!(count >= 8, "accept fixtures: {count}");
}

#[test]
fn raw_html_in_a_body_is_shown_as_text() {
    let site = overlay_site(&fixtures().join("accept/03-raw-html-in-body"));
    let build = run_in(site.path(), &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let html = read(
        &site.path().join("public"),
        "documents/nanyang-reply/index.html",
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

/// A document that states no figure is not searched for quotes, but its
/// Markdown is still read for what the editor did not mean.
#[test]
fn a_document_without_figures_still_has_its_markdown_checked() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("good/minimal"), dir.path());
    std::fs::write(
        dir.path().join("content/documents/no-figures.md"),
        "---\ntitle: 没有数字的通知\nkind: notice\nregion: nanyang\ndate: 2024-05-28\n---\n\n\
         请各单位按时报送材料 **\n\n<b>粗体</b>\n",
    )
    .unwrap();
    let check = run_in(dir.path(), &["check"]);
    let said = stderr(&check);
    assert!(check.status.success(), "{said}");
    for code in ["[leftover-emphasis]", "[raw-html]"] {
        assert!(said.contains(code), "{code}:\n{said}");
    }
    assert!(said.contains("no-figures.md"), "{said}");
}

#[test]
fn footer_shows_publisher_and_registration_number_when_given() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("good/minimal"), dir.path());
    let site_yaml = dir.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&site_yaml).unwrap();
    text.push_str("icp: 豫ICP备00000000号-1\n");
    std::fs::write(&site_yaml, text).unwrap();
    let build = run_in(dir.path(), &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let public = dir.path().join("public");
    for page in [
        "index.html",
        "404.html",
        "documents/nanyang-reply/index.html",
    ] {
        let html = read(&public, page);
        let footer = html
            .split("<footer")
            .nth(1)
            .unwrap_or_else(|| panic!("{page} has no footer"));
        assert!(footer.contains("主办：示例人社局"), "{page}: {footer}");
        assert!(
            footer.contains(">豫ICP备00000000号-1</a>"),
            "{page}: {footer}"
        );
    }
    // Without `icp` the footer says nothing about registration.
    let plain = tempfile::tempdir().unwrap();
    let build = build_to(
        &fixtures().join("good/minimal"),
        &plain.path().join("public"),
        &[],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(!read(&plain.path().join("public"), "index.html").contains("ICP"));
}

#[test]
fn two_builds_are_byte_identical() {
    let root = repo_root();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = build_to(&root, &a.path().join("public"), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = build_to(&root, &b.path().join("public"), &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    let (ta, tb) = (
        tree_bytes(&a.path().join("public")),
        tree_bytes(&b.path().join("public")),
    );
    assert!(
        ta.len() > 100,
        "the default site has pages for every region, program, brand, document"
    );
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let out = tempfile::tempdir().unwrap();
    let output = build_to(
        &repo_root(),
        &out.path().join("public"),
        &["--base-url", "https://example.org/skills/"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let public = out.path().join("public");
    for (path, bytes) in tree_bytes(&public)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(&bytes);
        for link in html
            .split("href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
        {
            if link.starts_with('/') {
                assert!(
                    link.starts_with("/skills/"),
                    "{path}: link {link} escapes the sub-path"
                );
            }
        }
    }
    let home = read(&public, "index.html");
    assert!(home.contains("href=\"/skills/assets/style.css?v="));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/skills/\">"));
}

#[test]
fn the_real_site_passes_strict_and_still_marks_the_reviewed_sanmenxia_typo() {
    let strict = run_in(&repo_root(), &["check", "--strict"]);
    let text = stderr(&strict);
    assert!(strict.status.success(), "{text}");
    assert!(!text.contains("警告"), "{text}");
    // The page still shows the mark and the editor's reason.
    let site = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("content"), &site.path().join("content"));
    let build = run_in(site.path(), &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let page = read(
        &site.path().join("public"),
        "documents/sanmenxia-188/index.html",
    );
    assert!(page.contains("原文如此"), "the mark stays");
    assert!(
        page.contains("已核对：原文如此：答复原文写作"),
        "the reason is shown"
    );
    // Without `reviewed:` the same figure warns again, and strict fails.
    let file = site.path().join("content/documents/sanmenxia-188.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let unreviewed: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("reviewed:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, unreviewed).unwrap();
    let output = run_in(site.path(), &["check"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("共 0 个错误、1 个警告"), "{text}");
    assert!(
        text.contains("[over-max]") && text.contains("9516万"),
        "{text}"
    );
    let strict = run_in(site.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_successful_build_replaces_the_previous_output_whole() {
    let site = overlay_site(&fixtures().join("accept/01-utf8-bom"));
    let public = site.path().join("public");
    // An earlier build, so the folder is one skillpress may replace.
    assert!(run_in(site.path(), &["build"]).status.success());
    std::fs::write(public.join("stale.html"), "from an older build").unwrap();
    let output = run_in(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !public.join("stale.html").exists(),
        "pages of older builds do not linger"
    );
    assert!(public.join("index.html").is_file());
    let leftovers = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".skillpress-"))
        .count();
    assert_eq!(leftovers, 0, "staging and old folders are cleaned up");
}

/// A theme whose pages carry no `data-pagefind-body` marker has every page
/// indexed whole, as Pagefind itself does; the build reads those pages back
/// from what it wrote, since it does not keep them.
#[test]
fn a_theme_without_the_search_marker_has_every_page_indexed() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("site");
    copy_tree(&fixtures().join("good/minimal"), &root);
    let templates = root.join("themes/plain/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let base =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    let marker = "{% if page.searchable %} data-pagefind-body data-pagefind-meta=\"kind:{{ page.kind }}\"{% endif %}";
    assert!(base.contains(marker), "the default theme marks its pages");
    std::fs::write(templates.join("base.html"), base.replace(marker, "")).unwrap();
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}theme: plain\n")).unwrap();

    let public = site.path().join("public");
    let output = build_to(&root, &public, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pages = tree_bytes(&public)
        .into_iter()
        .filter(|(path, _)| {
            (path == "index.html" || path.ends_with("/index.html"))
                && !path.starts_with("search/")
                && !path.starts_with("pagefind/")
        })
        .count();
    let entry: serde_json::Value =
        serde_json::from_str(&read(&public, "pagefind/pagefind-entry.json")).unwrap();
    assert!(pages > 10, "{pages}");
    assert_eq!(entry["languages"]["zh-cn"]["page_count"], pages);
}

/// A document page's table of figures repeats each quote of the body beside
/// it; search indexes the sentence once (the body), so a page is not ranked
/// up for saying a thing twice and the index holds less.
#[test]
fn a_quoted_sentence_is_indexed_once_on_its_document_page() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let output = build_to(&fixtures().join("good/minimal"), &public, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = read(&public, "documents/nanyang-reply/index.html");
    let quote = "全市累计完成企业职工技能培训34.08万人";
    assert_eq!(page.matches(quote).count(), 2, "body and table");
    let shown_on = |path: &str| read(&public, path).contains(quote);
    assert!(
        shown_on("regions/nanyang/index.html"),
        "the region's figure table quotes it too"
    );
    let indexed_on: Vec<String> = indexed_text(&public)
        .into_iter()
        .flat_map(|(url, content)| std::iter::repeat_n(url, content.matches(quote).count()))
        .collect();
    assert_eq!(
        indexed_on,
        ["/documents/nanyang-reply/"],
        "tables repeat it, the index does not"
    );
}
