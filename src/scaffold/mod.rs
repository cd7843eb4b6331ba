//! `skillpress new`: writes a commented skeleton file for an editor to fill in.
//! A Chinese name gets a proposed pinyin slug and a reminder to check it.

use std::path::{Path, PathBuf};

use crate::cli::NewKind;
use crate::content::slug;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} 已存在，未覆盖。请换一个名称，或直接编辑这个文件")]
    Exists(PathBuf),
    #[error("无法写入 {path}：{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Creates the file and returns the message for the editor.
pub fn create(root: &Path, kind: NewKind, name: &str) -> Result<String, ScaffoldError> {
    let name = name.trim();
    let (slug, guessed) = if slug::is_valid(name) {
        (name.to_owned(), false)
    } else {
        (slug::suggest(name), true)
    };
    let title = if guessed {
        name.to_owned()
    } else {
        String::new()
    };
    let (folder, extension, text) = match kind {
        NewKind::Region => ("regions", "yaml", region(&title)),
        NewKind::Program => ("programs", "md", program(&title)),
        NewKind::Brand => ("brands", "md", brand(&title)),
        NewKind::Document => ("documents", "md", document(&title)),
    };
    let path = root
        .join("content")
        .join(folder)
        .join(format!("{slug}.{extension}"));
    if path.exists() {
        return Err(ScaffoldError::Exists(path));
    }
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    // create_new: never overwrite, even if the file appeared after the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| ScaffoldError::Io {
            path: path.clone(),
            source,
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|source| ScaffoldError::Io {
        path: path.clone(),
        source,
    })?;
    let mut message = format!("已新建 {}", path.display());
    if guessed {
        message.push_str(&format!(
            "\n建议的 slug 是“{slug}”（由“{name}”自动转写的拼音）。请核对读音：地名的自动拼音常常有误，例如 长垣 应为 changyuan、叶县 应为 shexian。需要修改时直接给文件改名。"
        ));
    }
    message.push_str("\n按文件中的注释填写，然后运行 skillpress check。");
    Ok(message)
}

fn region(name: &str) -> String {
    format!(
        "# 区域文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
name: {name}          # * 全称，如 南阳市\n\
# short_name: 南阳     # 简称\n\
level: city           # * country | province | city | county | district | zone\n\
parent: henan         # 上级区域的 slug（文件名）；只有根区域不写\n\
# aliases: [宛]        # 别称\n\
# summary: 一两句话介绍这个区域的技能工作（可用 Markdown）\n"
    )
}

fn program(name: &str) -> String {
    format!(
        "---\n\
# 项目文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
name: {name}            # * 项目名称\n\
scope: henan            # * 实施范围：区域的 slug\n\
# parent: xiandai-fuwu  # 所属的总项目（子项目才写）\n\
# lead: [省人力资源社会保障厅]   # 牵头部门\n\
# partners: [省教育厅]          # 配合部门\n\
# years: [2025]\n\
# brands: [henan-hugong]       # 相关人力资源品牌的 slug\n\
# topics: [职业技能培训]\n\
---\n\
用自己的话介绍这个项目：面向谁、培训什么、由哪些部门负责。\n"
    )
}

fn brand(name: &str) -> String {
    format!(
        "---\n\
# 人力资源品牌文件。带 * 的字段必填。\n\
name: {name}            # * 品牌名称\n\
region: nanyang         # * 所在区域的 slug\n\
level: provincial       # * 认定级别：national | provincial | city | county\n\
# recognized_by: 河南省人力资源和社会保障厅\n\
# year: 2023            # 认定年份\n\
# occupations: [养老护理员]\n\
# training_base: 某某职业培训学校\n\
---\n\
介绍这个品牌：涉及的工种、培训和就业情况。\n"
    )
}

fn document(title: &str) -> String {
    format!(
        "---\n\
# 文件。带 * 的字段必填；figures 中每个数字都要有原文引文（quote），构建时会核对。\n\
title: {title}          # * 文件标题\n\
kind: work-plan         # * policy | work-plan | proposal-reply | notice | report\n\
issuer: 某市人力资源和社会保障局   # 发文机关\n\
region: nanyang        # * 文件所属区域的 slug\n\
# date: 2025-05-02     # 成文日期 YYYY-MM-DD；原文没有日期就不写\n\
# doc_number: 宛人社〔2025〕1号    # 发文字号\n\
# signed_by: 张三      # 签发人\n\
# proposal:            # 仅提案答复（kind: proposal-reply）填写\n\
#   meeting: 市政协八届二次会议\n\
#   number: \"188\"\n\
#   title: 关于强化企业技工培养\n\
#   proposers: [张三, 李四]\n\
#   result: A          # 办理结果 A | B | C\n\
# contact: 市人社局 1234567\n\
# topics: [职业技能培训]\n\
figures: []\n\
# figures:\n\
#   - metric: vocational_training   # * metrics.yaml 中的指标编号\n\
#     value: 34.08万                # * 可写 34.08万、2300万、75%、12,000、2万-15万\n\
#     year: 2024                    # 或 period: 2022-2024，或 as_of: 2024-05-28\n\
#     kind: actual                  # actual（完成）| target（目标）\n\
#     quote: 全市累计完成职业技能培训34.08万人次   # * 从正文原样复制\n\
---\n\
（在此粘贴文件全文，保持原文措辞和数字。）\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_parse_as_yaml() {
        let mut sink = crate::diag::Diagnostics::new();
        let mut sources = crate::diag::SourceMap::new();
        for text in [program("甲"), brand("乙"), document("丙")] {
            let split = crate::content::frontmatter::split(&text).unwrap();
            let id = sources.add("x.md", text.clone());
            assert!(
                crate::content::yaml::parse(split.yaml, id, split.yaml_offset, &mut sink).is_some()
            );
        }
        let id = sources.add("x.yaml", region("丁"));
        assert!(crate::content::yaml::parse(&region("丁"), id, 0, &mut sink).is_some());
        assert!(sink.is_empty(), "{sink:?}");
    }
}
