//! Every broken fixture under tests/fixtures/bad/ fails `check` and `build` with
//! the diagnostic its DEFECT file names, at the right file and line, and leaves
//! an existing public/ untouched. The rendered text is snapshotted: it is what
//! editors read.

mod common;

use std::path::Path;

use common::*;

struct Defect {
    code: String,
    file: String,
    line: String,
}

fn read_defect(path: &Path) -> Defect {
    let text = std::fs::read_to_string(path).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{} lacks {name}", path.display()))
            .trim()
            .to_owned()
    };
    Defect {
        code: field("code"),
        file: field("file"),
        line: field("line"),
    }
}

fn assert_reports(stderr: &str, defect: &Defect, fixture: &str) {
    assert!(
        stderr.contains(&format!("[{}]", defect.code)),
        "{fixture}: expected code {} in:\n{stderr}",
        defect.code
    );
    if defect.file != "-" {
        let at = format!("{}:{}:", defect.file, defect.line);
        let header = stderr
            .lines()
            .zip(stderr.lines().skip(1))
            .any(|(location, message)| {
                location.starts_with(&at) && message.contains(&format!("[{}]", defect.code))
            });
        assert!(
            header,
            "{fixture}: expected `{at}` followed by [{}] in:\n{stderr}",
            defect.code
        );
    }
}

#[test]
fn every_broken_fixture_is_reported_where_it_is() {
    let mut count = 0;
    insta::glob!("fixtures/bad/*/DEFECT", |defect_path| {
        count += 1;
        let fixture_dir = defect_path.parent().unwrap();
        let name = fixture_dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let site = overlay_site(fixture_dir);
        let output = run_in(site.path(), &["check"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name}: check must exit 1\n{}",
            stderr(&output)
        );
        let text = stderr(&output);
        assert_reports(&text, &read_defect(defect_path), &name);
        if fixture_dir.join("DEFECT2").exists() {
            assert_reports(&text, &read_defect(&fixture_dir.join("DEFECT2")), &name);
        }
        let redacted = text.replace(&site.path().display().to_string(), "[ROOT]");
        insta::assert_snapshot!(redacted);
        assert_build_leaves_public_untouched(site.path(), &name);
    });
    assert!(
        count >= 30,
        "expected at least 30 broken fixtures, found {count}"
    );
}

/// `build` on a broken site exits 1 and leaves a previous public/ byte for byte.
fn assert_build_leaves_public_untouched(root: &Path, name: &str) {
    let public = root.join("public");
    std::fs::create_dir_all(public.join("old")).unwrap();
    std::fs::write(public.join("index.html"), "previous build").unwrap();
    std::fs::write(public.join("old/page.html"), "keep me").unwrap();
    let before = tree_bytes(&public);
    let output = run_in(root, &["build"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{name}: build must exit 1\n{}",
        stderr(&output)
    );
    assert_eq!(tree_bytes(&public), before, "{name}: public/ changed");
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".skillpress-"))
        .collect();
    assert!(leftovers.is_empty(), "{name}: staging folders left behind");
}
