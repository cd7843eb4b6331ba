//! `skillpress new`: writes a commented skeleton file for an editor to fill in,
//! and `skillpress init`: a new site that builds (see `init.rs`).
//!
//! Every value an editor must supply is written as "尚未填写：…" (what to write
//! there), which `check` rejects at its line, so an untouched skeleton cannot be
//! published. What the name reveals is used: 卢氏县 is a county, …的答复 a
//! proposal reply. A Chinese name gets a proposed pinyin slug to check.

mod init;

use std::path::{Path, PathBuf};

pub use init::init;

use crate::cli::NewKind;
use crate::content::raw::{DOC_KINDS, REGION_LEVELS};
use crate::content::schema::{PLACEHOLDER, chinese_value};
use crate::content::slug;
use crate::diag::{Diagnostics, SourceMap};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} 已存在，未覆盖。请换一个名称，或直接编辑这个文件")]
    Exists(PathBuf),
    #[error(
        "{0} 不是空目录，未新建站点。请换一个新目录名（例如 skillpress init my-site），或在空目录中运行"
    )]
    NotEmpty(PathBuf),
    #[error("无法写入 {path}：{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `--parent` and `--region` of `new`: a slug or a Chinese name.
#[derive(Clone, Copy, Debug, Default)]
pub struct Links<'a> {
    pub parent: Option<&'a str>,
    pub region: Option<&'a str>,
}

/// What one skeleton needs to know about its name and its links.
struct Filled {
    /// The Chinese name or title, when the editor gave one.
    name: Option<String>,
    parent: Option<String>,
    region: Option<String>,
    /// Notes for the editor about links that could not be matched.
    notes: Vec<String>,
}

fn placeholder(what: &str) -> String {
    format!("{PLACEHOLDER}：{what}")
}

/// Creates the file and returns the message for the editor.
pub fn create(
    root: &Path,
    kind: NewKind,
    name: &str,
    links: Links<'_>,
) -> Result<String, ScaffoldError> {
    let name = name.trim();
    let (slug, guessed) = if slug::is_valid(name) {
        (name.to_owned(), false)
    } else if kind == NewKind::Region {
        (slug::suggest_for_name(name), true)
    } else {
        (slug::suggest(name), true)
    };
    let known = Known::read(root);
    let mut notes = Vec::new();
    let mut link = |text: Option<&str>, names: &[(String, String)], what: &str| {
        text.map(|t| {
            let (value, note) = known.resolve(t, names, what);
            notes.extend(note);
            value
        })
    };
    let parent_names = if kind == NewKind::Program {
        &known.programs
    } else {
        &known.regions
    };
    let parent = link(
        links.parent,
        parent_names,
        if kind == NewKind::Program {
            "项目"
        } else {
            "区域"
        },
    );
    let region = link(links.region, &known.regions, "区域");
    let filled = Filled {
        name: guessed.then(|| name.to_owned()),
        parent,
        region,
        notes,
    };
    let (folder, extension, text) = match kind {
        NewKind::Region => ("regions", "yaml", region_file(&filled)),
        NewKind::Program => ("programs", "md", program_file(&filled)),
        NewKind::Brand => ("brands", "md", brand_file(&filled)),
        NewKind::Document => ("documents", "md", document_file(&filled)),
    };
    let path = root
        .join("content")
        .join(folder)
        .join(format!("{slug}.{extension}"));
    if path.exists() {
        return Err(ScaffoldError::Exists(path));
    }
    write_new(&path, &text)?;
    let mut message = format!("已新建 {}", path.display());
    if guessed {
        message.push_str(&format!(
            "\n建议的 slug 是“{slug}”（由“{name}”自动转写的拼音）。请核对读音：地名的自动拼音常常有误，例如 长垣 应为 changyuan、叶县 应为 shexian。需要修改时直接给文件改名。"
        ));
    }
    for note in &filled.notes {
        message.push_str(&format!("\n注意：{note}"));
    }
    let unfilled = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && l.contains(PLACEHOLDER))
        .count();
    if unfilled > 0 {
        message.push_str(&format!(
            "\n文件中有 {unfilled} 处“{PLACEHOLDER}”，填好之前 skillpress check 会逐一指出，站点不会生成。"
        ));
    }
    message.push_str("\n按文件中的注释填写，然后运行 skillpress check。");
    Ok(message)
}

/// Writes a file that must not exist yet, creating its folder.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    // create_new: never overwrite, even if the file appeared after a check.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| ScaffoldError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Names and slugs of the site's regions and programs, to turn `--parent 三门峡市`
/// into `parent: sanmenxia`. Read leniently: a site with errors still helps.
struct Known {
    regions: Vec<(String, String)>,
    programs: Vec<(String, String)>,
}

impl Known {
    fn read(root: &Path) -> Self {
        let mut sources = SourceMap::new();
        let mut sink = Diagnostics::new();
        let raw = crate::content::load(root, &mut sources, &mut sink);
        let regions = raw
            .regions
            .iter()
            .flat_map(|r| {
                std::iter::once(r.name.clone())
                    .chain(short_name(&r.name))
                    .chain(r.short_name.clone())
                    .chain(r.aliases.iter().cloned())
                    .map(|n| (n, r.slug.value.clone()))
            })
            .chain(
                raw.regions
                    .iter()
                    .map(|r| (r.slug.value.clone(), r.slug.value.clone())),
            )
            .collect();
        let programs = raw
            .programs
            .iter()
            .map(|p| (p.name.clone(), p.slug.value.clone()))
            .chain(
                raw.programs
                    .iter()
                    .map(|p| (p.slug.value.clone(), p.slug.value.clone())),
            )
            .collect();
        Known { regions, programs }
    }

    /// The slug for a slug or name; unknown ones are kept as written, with a note.
    fn resolve(
        &self,
        text: &str,
        names: &[(String, String)],
        what: &str,
    ) -> (String, Option<String>) {
        let text = text.trim();
        if let Some((_, slug)) = names.iter().find(|(n, _)| n == text) {
            return (slug.clone(), None);
        }
        let note = if slug::has_han(text) {
            format!(
                "还没有名为“{text}”的{what}，文件中暂写了“{text}”；check 会提示先新建它（建议的 slug 为 {}）",
                slug::suggest_for_name(text)
            )
        } else {
            format!("还没有 slug 为“{text}”的{what}；check 会指出这一处")
        };
        (text.to_owned(), Some(note))
    }
}

/// A region's name without its level word (卢氏县 → 卢氏), when two or more characters remain.
fn short_name(name: &str) -> Option<String> {
    ["自治县", "省", "市", "县", "区"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .filter(|s| s.chars().count() >= 2)
        .map(str::to_owned)
}

fn words<T>(options: &[(&'static str, T)]) -> Vec<&'static str> {
    options.iter().map(|(w, _)| *w).collect()
}

fn region_file(f: &Filled) -> String {
    let name = f
        .name
        .clone()
        .unwrap_or_else(|| placeholder("区域全称，例如 卢氏县"));
    let short = f
        .name
        .as_deref()
        .and_then(short_name)
        .unwrap_or_else(|| "简称".to_owned());
    let level = f
        .name
        .as_deref()
        .and_then(|n| chinese_value(n, &words(REGION_LEVELS)))
        .map_or_else(
            || placeholder("级别：country | province | city | county | district | zone"),
            str::to_owned,
        );
    let parent = f.parent.clone().unwrap_or_else(|| {
        placeholder("上级区域的 slug（regions/ 中的文件名，例如 henan）；根区域删除这一行")
    });
    format!(
        "# 区域文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
# 写着“{PLACEHOLDER}”的地方要换成实际内容，否则 skillpress check 会报错。\n\
name: {name}    # * 全称\n\
# short_name: {short}    # 简称\n\
level: {level}    # * country | province | city | county | district | zone\n\
parent: {parent}    # 上级区域的 slug（文件名）\n\
# aliases: [别称]\n\
# summary: 一两句话介绍这个区域的技能工作（可用 Markdown）\n"
    )
}

fn program_file(f: &Filled) -> String {
    let name = f.name.clone().unwrap_or_else(|| placeholder("项目名称"));
    let scope = f
        .region
        .clone()
        .unwrap_or_else(|| placeholder("实施范围：区域的 slug（regions/ 中的文件名，例如 henan）"));
    let parent = match &f.parent {
        Some(p) => format!("parent: {p}    # 所属的总项目"),
        None => "# parent: 总项目的 slug    # 子项目才写".to_owned(),
    };
    format!(
        "---\n\
# 项目文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
# 写着“{PLACEHOLDER}”的地方要换成实际内容，否则 skillpress check 会报错。\n\
name: {name}    # * 项目名称\n\
scope: {scope}    # * 实施范围\n\
{parent}\n\
# lead: [省人力资源社会保障厅]   # 牵头部门\n\
# partners: [省教育厅]          # 配合部门\n\
# years: [2025]\n\
# brands: [品牌的 slug]\n\
# topics: [职业技能培训]\n\
---\n\
{PLACEHOLDER}：用自己的话介绍这个项目：面向谁、培训什么、由哪些部门负责。\n"
    )
}

fn brand_file(f: &Filled) -> String {
    let name = f.name.clone().unwrap_or_else(|| placeholder("品牌名称"));
    let region = f
        .region
        .clone()
        .unwrap_or_else(|| placeholder("所在区域的 slug（regions/ 中的文件名，例如 nanyang）"));
    let level = placeholder("认定级别：national | provincial | city | county");
    format!(
        "---\n\
# 人力资源品牌文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
# 写着“{PLACEHOLDER}”的地方要换成实际内容，否则 skillpress check 会报错。\n\
name: {name}    # * 品牌名称\n\
region: {region}    # * 所在区域\n\
level: {level}    # * 认定级别\n\
# recognized_by: 河南省人力资源和社会保障厅\n\
# year: 2023            # 认定年份\n\
# occupations: [养老护理员]\n\
# training_base: 培训基地名称\n\
---\n\
{PLACEHOLDER}：介绍这个品牌：涉及的工种、培训和就业情况。\n"
    )
}

fn document_file(f: &Filled) -> String {
    let title = f
        .name
        .clone()
        .unwrap_or_else(|| placeholder("文件标题，照原文抄写"));
    let kind_words = words(DOC_KINDS);
    let kind = f
        .name
        .as_deref()
        .and_then(|n| chinese_value(n.trim_end_matches(['》', '”', '"']), &kind_words));
    let kind_line = kind.map_or_else(
        || placeholder("文件类型：policy | work-plan | proposal-reply | notice | report"),
        str::to_owned,
    );
    let region = f.region.clone().unwrap_or_else(|| {
        placeholder("文件所属区域的 slug（regions/ 中的文件名，例如 sanmenxia）")
    });
    let proposal = if kind == Some("proposal-reply") {
        format!(
            "proposal:              # * 提案答复必填\n\
\x20 meeting: {}\n\
\x20 number: {}\n\
\x20 title: {}\n\
\x20 proposers: [{}]\n\
\x20 # result: A           # 办理结果 A | B | C\n",
            placeholder("会议名称，例如 市政协八届二次会议"),
            placeholder("提案号，例如 188"),
            placeholder("提案标题"),
            placeholder("提案人，多人用逗号分隔")
        )
    } else {
        "# proposal:            # 仅提案答复（kind: proposal-reply）填写\n\
#   meeting: 市政协八届二次会议\n\
#   number: \"188\"\n\
#   title: 关于强化企业技工培养\n\
#   proposers: [提案人甲, 提案人乙]\n\
#   result: A          # 办理结果 A | B | C\n"
            .to_owned()
    };
    format!(
        "---\n\
# 文件。带 * 的字段必填；以 # 开头的行是说明，可删除。\n\
# 写着“{PLACEHOLDER}”的地方要换成实际内容，否则 skillpress check 会报错。\n\
# figures 中每个数字都要有原文引文（quote），构建时会核对。\n\
title: {title}    # * 文件标题\n\
kind: {kind_line}    # * policy | work-plan | proposal-reply | notice | report\n\
region: {region}    # * 文件所属区域\n\
# issuer: 发文机关全称\n\
# date: 2025-05-02     # 成文日期 YYYY-MM-DD；原文没有日期就不写\n\
# doc_number: 发文字号，例如 宛人社〔2025〕1号\n\
# signed_by: 签发人\n\
{proposal}\
# contact: 联系部门及电话\n\
# topics: [职业技能培训]\n\
# source_url: https://… 官方原文的网址\n\
figures: []\n\
# figures:\n\
#   - metric: vocational_training   # * metrics.yaml 中的指标编号\n\
#     value: 34.08万                # * 可写 34.08万、2300万、75%、12,000、2万-15万\n\
#     year: 2024                    # 或 period: 2022-2024，或 as_of: 2024-05-28\n\
#     kind: actual                  # actual（完成）| target（目标）\n\
#     quote: 全市累计完成职业技能培训34.08万人次   # * 从正文原样复制\n\
---\n\
{PLACEHOLDER}：在此粘贴文件全文，保持原文措辞和数字（粘贴时删除这一行）。\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Filled {
        Filled {
            name: Some(name.to_owned()),
            parent: None,
            region: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn skeletons_parse_as_yaml() {
        let mut sink = crate::diag::Diagnostics::new();
        let mut sources = crate::diag::SourceMap::new();
        for text in [
            program_file(&named("甲")),
            brand_file(&named("乙")),
            document_file(&named("丙的答复")),
            document_file(&named("丁")),
        ] {
            let split = crate::content::frontmatter::split(&text).unwrap();
            let id = sources.add("x.md", text.clone());
            assert!(
                crate::content::yaml::parse(split.yaml, id, split.yaml_offset, &mut sink).is_some()
            );
        }
        let region = region_file(&named("卢氏县"));
        let id = sources.add("x.yaml", region.clone());
        assert!(crate::content::yaml::parse(&region, id, 0, &mut sink).is_some());
        assert!(sink.is_empty(), "{sink:?}");
    }

    #[test]
    fn the_name_says_what_it_is() {
        assert!(region_file(&named("卢氏县")).contains("level: county "));
        assert!(region_file(&named("卧龙区")).contains("level: district "));
        assert!(region_file(&named("南阳市")).contains("level: city "));
        assert!(document_file(&named("关于第188号提案的答复")).contains("kind: proposal-reply "));
        assert!(document_file(&named("关于开展培训的通知")).contains("kind: notice "));
        assert!(document_file(&named("2025年工作方案")).contains("kind: work-plan "));
        assert!(document_file(&named("某某")).contains("kind: 尚未填写："));
    }
}
