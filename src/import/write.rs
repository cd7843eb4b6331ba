//! Writes the imported document: front matter with every detected field (and a
//! placeholder `check` rejects for what was not found), the proposed figures as
//! a commented-out block, and the body. Never overwrites a file.

use std::io::Write as _;
use std::path::Path;

use super::figures::Proposal;
use super::meta::Meta;
use super::{ImportError, Imported};

/// The placeholder for what was not found. `check` rejects it today: as a value
/// of `kind` it is no kind, as `region` no region, as a date no date; optional
/// fields not found are listed under the unknown key `尚未填写`.
pub const PLACEHOLDER: &str = "尚未填写";

/// A YAML scalar: plain when safe, single-quoted otherwise.
pub fn scalar(text: &str) -> String {
    let risky = text.is_empty()
        || text.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ])
        || text.contains([':', '#', '[', ']', '{', '}', ',', '\'', '"'])
        || text.ends_with(' ')
        || text.parse::<f64>().is_ok()
        || matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        );
    if risky {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        text.to_owned()
    }
}

/// A slug from what the document says: `<region>-<proposal number>` for a reply,
/// `<region>-<year>-<number>` for a numbered document, else the file name.
pub fn suggest_slug(meta: &Meta, file_stem: &str) -> String {
    let region = meta.region.clone().unwrap_or_else(|| "document".into());
    if let Some(n) = meta.proposal.as_ref().and_then(|p| p.number.as_ref()) {
        return format!("{region}-{n}");
    }
    if let Some(number) = &meta.doc_number {
        let digits: Vec<String> = number
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if !digits.is_empty() {
            return format!("{region}-{}", digits.join("-"));
        }
    }
    if crate::content::slug::is_valid(file_stem) {
        return file_stem.to_owned();
    }
    if let Some(year) = meta.date.as_deref().and_then(|d| d.get(..4)) {
        return format!("{region}-{year}");
    }
    region
}

fn field(out: &mut String, key: &str, value: Option<&str>, how: &[(&'static str, String)]) {
    if let Some(v) = value {
        out.push_str(&format!("{key}: {}", scalar(v)));
        if let Some((_, note)) = how.iter().find(|(k, _)| *k == key) {
            out.push_str(&format!("   # 请核对：{note}"));
        }
        out.push('\n');
    }
}

/// At most this many proposals go into the file: the YAML reader stops at
/// about 96 comment lines in a row ("too many buffered comments").
pub const MAX_IN_FILE: usize = 80;

/// The commented-out figures, one flow-style list item per line (so that
/// uncommenting a line gives a valid item), with what was guessed after it.
pub fn proposals_block(proposals: &[Proposal]) -> String {
    let mut out = String::new();
    for p in proposals {
        let mut parts = vec![format!(
            "metric: {}",
            p.metric.as_deref().unwrap_or(PLACEHOLDER)
        )];
        // A plain number stays unquoted (`value: 11207`), as editors write it.
        let plain = p.value.chars().all(|c| c.is_ascii_digit() || c == '.');
        parts.push(format!(
            "value: {}",
            if plain {
                p.value.clone()
            } else {
                scalar(&p.value)
            }
        ));
        if !matches!(
            p.unit.as_str(),
            "人" | "人次" | "个" | "家" | "所" | "场" | "%"
        ) {
            parts.push(format!("unit: {}", scalar(&p.unit)));
        }
        if let Some(k) = p.kind {
            parts.push(format!("kind: {k}"));
        }
        if let Some(y) = p.year {
            parts.push(format!("year: {y}"));
        }
        if let Some(s) = p.since {
            parts.push(format!("since: {s}"));
        }
        if let Some(t) = &p.time_text {
            parts.push(format!("time_text: {}", scalar(t)));
        }
        if let Some(r) = &p.region {
            parts.push(format!("region: {r}"));
        }
        if let Some(q) = &p.qualifier {
            parts.push(format!("qualifier: {}", scalar(q)));
        }
        parts.push(format!("quote: {}", scalar(&p.quote)));
        out.push_str(&format!("  # - {{{}}}", parts.join(", ")));
        let mut notes = Vec::new();
        if p.metric.is_none() {
            notes.push("未能确定指标".to_owned());
        }
        if !p.candidates.is_empty() {
            notes.push(format!("其他可能：{}", p.candidates.join("、")));
        }
        if !notes.is_empty() {
            out.push_str(&format!("   # {}", notes.join("；")));
        }
        out.push('\n');
    }
    out
}

/// The whole file.
pub fn render(imported: &Imported, source: &Path) -> String {
    let m = &imported.meta;
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "# 由 skillpress import 从 {} 生成（读取为 {}）。请逐项核对后删除本行。\n",
        source.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        imported.read_as
    ));
    if let Some(t) = &m.title {
        field(&mut out, "title", Some(t), &m.how);
    } else {
        out.push_str("# title: 原文中未找到标题，请填写（必填）\n");
    }
    field(
        &mut out,
        "kind",
        Some(m.kind.as_deref().unwrap_or(PLACEHOLDER)),
        &m.how,
    );
    field(&mut out, "issuer", m.issuer.as_deref(), &m.how);
    field(
        &mut out,
        "region",
        Some(m.region.as_deref().unwrap_or(PLACEHOLDER)),
        &m.how,
    );
    field(&mut out, "date", m.date.as_deref(), &m.how);
    field(&mut out, "doc_number", m.doc_number.as_deref(), &m.how);
    field(&mut out, "signed_by", m.signed_by.as_deref(), &m.how);
    if let Some(p) = &m.proposal {
        out.push_str("proposal:\n");
        let or_placeholder = |v: &Option<String>| v.clone().unwrap_or_else(|| PLACEHOLDER.into());
        out.push_str(&format!(
            "  meeting: {}\n",
            scalar(&or_placeholder(&p.meeting))
        ));
        out.push_str(&format!(
            "  number: '{}'\n",
            or_placeholder(&p.number).replace('\'', "''")
        ));
        out.push_str(&format!("  title: {}\n", scalar(&or_placeholder(&p.title))));
        let names: Vec<String> = if p.proposers.is_empty() {
            vec![PLACEHOLDER.into()]
        } else {
            p.proposers.iter().map(|n| scalar(n)).collect()
        };
        out.push_str(&format!("  proposers: [{}]\n", names.join(", ")));
        match &p.result {
            Some(r) => out.push_str(&format!("  result: {r}\n")),
            None => out.push_str("  # result: 原文未写办理结果（A/B/C），有则填写\n"),
        }
    }
    field(&mut out, "contact", m.contact.as_deref(), &m.how);
    // Optional fields not found: one key that `check` rejects until an editor
    // has looked (fill them in, or delete them when the original has none).
    let mut missing: Vec<&str> = Vec::new();
    if m.issuer.is_none() {
        missing.push("issuer");
    }
    if m.date.is_none() {
        missing.push("date");
    }
    if m.doc_number.is_none() {
        missing.push("doc_number");
    }
    if m.signed_by.is_none() {
        missing.push("signed_by");
    }
    if m.contact.is_none() {
        missing.push("contact");
    }
    if !missing.is_empty() {
        out.push_str("# 以下字段在原文中未找到：原文有的请补上，确实没有的从列表中删去；列表删空后删除这一行。\n");
        out.push_str(&format!("{PLACEHOLDER}: [{}]\n", missing.join(", ")));
    }
    out.push_str("figures:\n");
    if !imported.proposals.is_empty() {
        let shown = imported.proposals.len().min(MAX_IN_FILE);
        out.push_str(&format!(
            "  # 以下 {shown} 个数字由 skillpress 从正文中找出，尚未发布。逐个核对指标、数值、时间和引文，\n  # 确认无误后去掉行首的“# ”即可；不是统计数字的整行删除。\n",
        ));
        out.push_str(&proposals_block(&imported.proposals[..shown]));
        if imported.proposals.len() > shown {
            out.push_str(&format!(
                "  # 另有 {} 个数字未列出：确认以上各项后运行 skillpress extract {} 查看其余的。\n",
                imported.proposals.len() - shown,
                imported.slug
            ));
        }
    }
    if !imported.dropped.is_empty() {
        out.push_str("# 导入时删去的版面残留（页码、表格线等），请确认不是正文：\n");
        for d in &imported.dropped {
            out.push_str(&format!("#   {d}\n"));
        }
    }
    out.push_str("---\n");
    out.push_str(&imported.body);
    out
}

/// Creates the file; refuses when it exists, even if it appeared meanwhile.
pub fn create_new(path: &Path, text: &str) -> Result<(), ImportError> {
    if path.exists() {
        return Err(ImportError::Exists(path.to_path_buf()));
    }
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent).map_err(|source| ImportError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ImportError::Exists(path.to_path_buf()));
        }
        Err(source) => {
            return Err(ImportError::Write {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    file.write_all(text.as_bytes())
        .map_err(|source| ImportError::Write {
            path: path.to_path_buf(),
            source,
        })
}
