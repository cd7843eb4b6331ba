//! Pins, for the default content, each figure's kind, qualifier and subject
//! against an expectation file written from the source documents. Figures are
//! matched by (document, position in its front matter); metric and value must
//! match too, so a misaligned list fails loudly instead of comparing the wrong
//! figures.
//!
//! The file is `FIGURES_EXPECTED` if set, else tests/expected/figures.yaml if
//! it exists, else the example in tests/fixtures/meaning/.

mod common;

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct Expected {
    metric: String,
    value: Scalar,
    kind: String,
    qualifier: Option<String>,
    subject: Option<String>,
    #[allow(dead_code)]
    time: Option<Scalar>,
    #[allow(dead_code)]
    why: Option<String>,
}

#[test]
fn figure_kinds_qualifiers_and_subjects_match_the_reviewed_expectations() {
    let root = common::repo_root();
    let path = std::env::var("FIGURES_EXPECTED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            let real = root.join("tests/expected/figures.yaml");
            if real.exists() {
                real
            } else {
                root.join("tests/fixtures/meaning/expected-figures.yaml")
            }
        });
    let text = std::fs::read_to_string(&path).unwrap();
    let expected: BTreeMap<String, Vec<Expected>> = serde_saphyr::from_str(&text).unwrap();
    let checked = skillpress::validate(&root);
    let site = checked.site.expect("the default site resolves");
    let mut problems = Vec::new();
    for (slug, list) in &expected {
        let Some(doc) = site.documents.iter().find(|d| &d.slug == slug) else {
            problems.push(format!("{slug}: no such document"));
            continue;
        };
        if doc.figures.len() != list.len() {
            problems.push(format!(
                "{slug}: {} figures in the content, {} expected",
                doc.figures.len(),
                list.len()
            ));
        }
        for (i, (&id, e)) in doc.figures.iter().zip(list).enumerate() {
            let f = site.figure(id);
            let at = format!("{slug} #{}", i + 1);
            let metric = &site.metric(f.metric).id;
            if metric != &e.metric || f.value.written != e.value.text() {
                problems.push(format!(
                    "{at}: content has {metric} = {}, expected {} = {} (misaligned?)",
                    f.value.written,
                    e.metric,
                    e.value.text()
                ));
                continue;
            }
            let kind = match f.kind {
                skillpress::model::FigureKind::Actual => "actual",
                skillpress::model::FigureKind::Target => "target",
                skillpress::model::FigureKind::Standard => "standard",
            };
            if kind != e.kind {
                problems.push(format!("{at} {metric}: kind {kind}, expected {}", e.kind));
            }
            if f.qualifier != e.qualifier {
                problems.push(format!(
                    "{at} {metric}: qualifier {:?}, expected {:?}",
                    f.qualifier, e.qualifier
                ));
            }
            if f.subject != e.subject {
                problems.push(format!(
                    "{at} {metric}: subject {:?}, expected {:?}",
                    f.subject, e.subject
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
