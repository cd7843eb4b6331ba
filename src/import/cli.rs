//! The two commands' terminal output: what was found, what is left to fill in.

use std::path::Path;
use std::process::ExitCode;

use super::{ImportOptions, write::PLACEHOLDER};

/// `skillpress import FILE`.
pub fn import(
    root: &Path,
    file: &Path,
    kind: Option<String>,
    region: Option<String>,
    slug: Option<String>,
) -> ExitCode {
    let options = ImportOptions { kind, region, slug };
    match super::import(root, file, &options) {
        Ok((path, imported)) => {
            let m = &imported.meta;
            eprintln!(
                "已导入 {}（读取为 {}）→ {}",
                file.display(),
                imported.read_as,
                path.display()
            );
            let show = |label: &str, v: Option<&str>| {
                eprintln!(
                    "  {label:<6} {}",
                    v.unwrap_or(&format!("{PLACEHOLDER}（原文中未找到）"))
                );
            };
            show("标题", m.title.as_deref());
            show("类型", m.kind.as_deref());
            show("发文机关", m.issuer.as_deref());
            show("区域", m.region.as_deref());
            show("成文日期", m.date.as_deref());
            show("发文字号", m.doc_number.as_deref());
            show("签发人", m.signed_by.as_deref());
            show("联系方式", m.contact.as_deref());
            if let Some(p) = &m.proposal {
                show("提案会议", p.meeting.as_deref());
                show("提案号", p.number.as_deref());
                show("提案标题", p.title.as_deref());
                let names = p.proposers.join("、");
                show("提案人", (!names.is_empty()).then_some(names.as_str()));
                show("办理结果", p.result.as_deref());
            }
            for (field, how) in &m.how {
                eprintln!("  请核对 {field}：{how}");
            }
            eprintln!(
                "  正文 {} 字；提出 {} 个待确认的数字（在 figures: 下，已注释）。",
                imported.body.chars().filter(|c| !c.is_whitespace()).count(),
                imported.proposals.len()
            );
            if !imported.dropped.is_empty() {
                eprintln!("  删去的版面残留：{}", imported.dropped.join(" ／ "));
            }
            eprintln!("逐项核对后删除“{PLACEHOLDER}”各处，再运行 skillpress check。");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(1)
        }
    }
}

/// `skillpress extract DOC`: the proposals go to stdout, ready to paste under `figures:`.
pub fn extract(root: &Path, doc: &str) -> ExitCode {
    match super::extract(root, doc) {
        Ok((path, proposals, block)) => {
            print!("{block}");
            eprintln!(
                "{}：提出 {} 个尚未收录的数字（已收录的引文不再列出）。核对后粘贴到 figures: 下并去掉行首的“# ”。",
                path.display(),
                proposals.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(1)
        }
    }
}
