//! `skillpress init [DIR]`: a new site that checks and builds as it is: site
//! settings, a starter metric catalogue, one root region, a `.gitignore` for
//! the output and a CI example. Nothing in it is a placeholder (it must build);
//! what to change before publishing is said in comments.

use std::path::Path;

use crate::content::raw::REGION_LEVELS;
use crate::content::schema::chinese_value;
use crate::content::slug;

use super::{ScaffoldError, write_new};

/// The common metrics of skills-training reports, with the units documents use.
const STARTER_METRICS: &str = "\
# 指标目录：每个数字（figure）的 metric 写这里的编号（冒号前的英文）。
# 单位照文件的写法：人、人次、个、家、所、元、万元、%、元/月。% 指标的上限默认是 100。
# 可以增删；编号用小写英文和下划线。

# 培训
vocational_training:
  name: 职业技能培训
  unit: 人次
  description: 开展各类职业技能培训的人次。
subsidized_training:
  name: 政府补贴性培训
  unit: 人次
  description: 享受政府培训补贴的职业技能培训人次。
enterprise_employee_training:
  name: 企业职工技能培训
  unit: 人
apprenticeship_training:
  name: 企业新型学徒制培训
  unit: 人
# 证书与评价
skill_certificates:
  name: 新增技能人才（取证）
  unit: 人
  description: 新取得职业资格证书或职业技能等级证书的人数。
evaluation_institutions:
  name: 评价机构
  unit: 家
# 技能人才
new_high_skill_talent:
  name: 新增高技能人才（取证）
  unit: 人
high_skill_share:
  name: 高技能人才占技能人才比例
  unit: \"%\"
skill_master_studios:
  name: 技能大师工作室
  unit: 个
high_skill_training_bases:
  name: 高技能人才培训基地
  unit: 个
competition_participants:
  name: 竞赛参赛选手
  unit: 人
# 品牌
hr_brands:
  name: 人力资源品牌
  unit: 个
brand_training:
  name: 人力资源品牌培训
  unit: 人次
brand_employment:
  name: 人力资源品牌带动就业
  unit: 人
# 资金
subsidy_funds:
  name: 奖补/补贴资金
  unit: 万元
training_subsidy_paid:
  name: 发放职业培训补贴
  unit: 万元
";

const GITIGNORE: &str = "\
# skillpress build 的输出和它的临时文件夹
/public/
/.skillpress-*
";

const CI_EXAMPLE: &str = "\
# 持续集成示例（GitHub Actions；Gitea / Forgejo Actions 也能运行）。
# 每次推送和合并请求都检查内容；推送到 main 时生成站点并作为构建产物上传。
# 把 SKILLPRESS_GIT 改为 skillpress 源码仓库的地址，把 BASE_URL 改为正式网址。
name: skillpress
on:
  push:
  pull_request:
env:
  SKILLPRESS_GIT: https://example.org/skillpress.git
  BASE_URL: https://example.org/
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: 安装 skillpress
        run: cargo install --locked --git \"$SKILLPRESS_GIT\" skillpress
      - name: 检查内容（警告也算错误）
        run: skillpress check --strict
      - name: 生成站点
        run: skillpress build --base-url \"$BASE_URL\"
      - uses: actions/upload-artifact@v4
        if: github.ref == 'refs/heads/main'
        with:
          name: public
          path: public/
";

/// Creates the site in `dir`, which must be empty or not exist yet.
pub fn init(dir: &Path, region: &str, title: Option<&str>) -> Result<String, ScaffoldError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    if dir.exists() {
        let occupied = fs_err::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(Result::ok)
            // A fresh `git init` may come first.
            .any(|e| e.file_name() != ".git");
        if occupied {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let region = region.trim();
    let region_slug = if slug::is_valid(region) {
        region.to_owned()
    } else {
        slug::suggest_for_name(region)
    };
    let level = chinese_value(
        region,
        &REGION_LEVELS.iter().map(|(w, _)| *w).collect::<Vec<_>>(),
    )
    .unwrap_or("province");
    let title = title.map_or_else(|| format!("技能{region}"), str::to_owned);
    let site = format!(
        "# 站点设置。字段说明见 skillpress 的 docs/guide/fields.md。\n\
title: {title}\n\
description: {region}职业技能工作的政策文件、培训项目、人力资源品牌和统计数字，每个数字都注明原文出处。\n\
language: zh-CN\n\
# 发布前改为站点的正式网址（可以带子路径，如 https://hrss.example.gov.cn/skills/），\n\
# 或在构建时用 skillpress build --base-url 覆盖。\n\
base_url: https://example.org/\n\
# publisher: {region}人力资源和社会保障局   # 页脚显示的主办单位\n\
# icp: 豫ICP备00000000号                  # 备案号\n"
    );
    let short = super::short_name(region)
        .map(|s| format!("short_name: {s}\n"))
        .unwrap_or_default();
    let root_region = format!(
        "# 根区域：只有它不写 parent。下级区域用 skillpress new region 名称 --parent {region_slug} 新建。\n\
name: {region}\n\
{short}\
level: {level}\n"
    );
    let files = [
        ("content/site.yaml".to_owned(), site),
        (
            "content/metrics.yaml".to_owned(),
            STARTER_METRICS.to_owned(),
        ),
        (format!("content/regions/{region_slug}.yaml"), root_region),
        (".gitignore".to_owned(), GITIGNORE.to_owned()),
        (
            ".github/workflows/skillpress.yml".to_owned(),
            CI_EXAMPLE.to_owned(),
        ),
    ];
    for (name, text) in &files {
        write_new(&dir.join(name), text)?;
    }
    let shown = dir.display();
    let mut message = format!("已在 {shown} 新建站点：");
    for (name, _) in &files {
        message.push_str(&format!("\n  {name}"));
    }
    if !slug::is_valid(region) {
        message.push_str(&format!(
            "\n根区域“{region}”的 slug 是“{region_slug}”（自动转写的拼音，请核对读音；需要时给文件改名）。"
        ));
    }
    message.push_str(&format!(
        "\n接下来：\n  cd {shown}\n  skillpress new document 文件标题 --region {region_slug}\n  skillpress serve    # 在浏览器中预览\n  git add . && git commit -m \"新建站点\""
    ));
    Ok(message)
}
