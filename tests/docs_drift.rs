//! The editors' guide (docs/guide/) cannot drift from the tool: its field
//! reference lists exactly the fields the schema checks, record by record, and
//! every diagnostic code has an entry. A field added to the schema only (or to
//! the guide only) fails here, naming the field and the record.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use skillpress::content::schema;
use skillpress::diag::Code;

fn guide(name: &str) -> String {
    let path = common::repo_root().join("docs/guide").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields of each `<!-- schema: NAME -->` table in fields.md: the first
/// cell of each row, in backticks.
fn guide_fields(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line
            .trim()
            .strip_prefix("<!-- schema:")
            .and_then(|rest| rest.strip_suffix("-->"))
        {
            current = Some(name.trim().to_owned());
            tables.entry(name.trim().to_owned()).or_default();
            continue;
        }
        let Some(name) = &current else { continue };
        if !line.starts_with('|') {
            if !line.trim().is_empty() {
                current = None;
            }
            continue;
        }
        let first = line.trim_start_matches('|').split('|').next().unwrap_or("");
        if let Some(field) = first
            .trim()
            .strip_prefix('`')
            .and_then(|f| f.strip_suffix('`'))
        {
            tables.get_mut(name).unwrap().insert(field.to_owned());
        }
    }
    tables
}

/// Every difference between the schema and the guide, in words.
fn drift(
    schema: &BTreeMap<String, Vec<String>>,
    guide: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (record, fields) in schema {
        let Some(documented) = guide.get(record) else {
            problems.push(format!(
                "docs/guide/fields.md has no table `<!-- schema: {record} -->`"
            ));
            continue;
        };
        for field in fields {
            if !documented.contains(field) {
                problems.push(format!(
                    "field `{field}` of {record} is checked by the tool but missing from docs/guide/fields.md"
                ));
            }
        }
        for field in documented {
            if !fields.contains(field) {
                problems.push(format!(
                    "field `{field}` of {record} is in docs/guide/fields.md but the tool does not accept it"
                ));
            }
        }
    }
    for record in guide.keys() {
        if !schema.contains_key(record) {
            problems.push(format!(
                "docs/guide/fields.md documents a record `{record}` that the tool does not read"
            ));
        }
    }
    problems
}

#[test]
fn the_field_reference_lists_exactly_the_checked_fields() {
    let schema = schema::all_schemas();
    assert!(
        schema.len() >= 10,
        "every record kind is read by all_schemas: {:?}",
        schema.keys()
    );
    let problems = drift(&schema, &guide_fields(&guide("fields.md")));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_field_added_to_the_schema_only_is_caught() {
    let mut schema = schema::all_schemas();
    schema
        .get_mut("数字（figure）")
        .expect("figures are a record")
        .push("confidence".to_owned());
    let problems = drift(&schema, &guide_fields(&guide("fields.md")));
    assert_eq!(
        problems,
        [
            "field `confidence` of 数字（figure） is checked by the tool but missing from docs/guide/fields.md"
        ]
    );
}

#[test]
fn every_diagnostic_code_has_an_entry() {
    let text = guide("diagnostics.md");
    let entries: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
        .collect();
    let codes: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let missing: Vec<_> = codes.difference(&entries).collect();
    let stale: Vec<_> = entries.difference(&codes).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "codes without an entry in docs/guide/diagnostics.md: {missing:?}; entries for codes that do not exist: {stale:?}"
    );
}

#[test]
fn guide_links_lead_somewhere_and_readme_links_the_guide() {
    let dir = common::repo_root().join("docs/guide");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for target in text.split("](").skip(1).filter_map(|s| s.split(')').next()) {
            let file = target.split('#').next().unwrap();
            // import.md is written by the import work, merged separately.
            if file.is_empty() || file.contains("://") || file == "import.md" {
                continue;
            }
            assert!(
                dir.join(file).exists(),
                "{} links to {target}, which does not exist",
                path.display()
            );
        }
    }
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains("](docs/guide/README.md)"),
        "README.md links the guide"
    );
    assert!(
        !readme.contains("../shared/"),
        "README.md links inside the repository only"
    );
}
