//! The catalogue of diagnostic codes. A code is stable: editors search for it,
//! tests (tests/fixtures/bad/*/DEFECT) assert it, and `about` says each in a line.

/// Declares the enum and its kebab-case names in one table, so a code cannot
/// exist without a name or a description.
macro_rules! codes {
    ($($variant:ident = $name:literal : $about:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The name printed in messages, e.g. `quote-not-in-body`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// One line in Chinese for the list of codes.
            pub fn about(self) -> &'static str {
                match self { $(Code::$variant => $about,)* }
            }
        }
    };
}

codes! {
    // Files and folders
    NoContent = "no-content": "站点根目录下没有 content/ 文件夹或 site.yaml",
    StrayFile = "stray-file": "content/ 中出现了不属于任何栏目的文件",
    NotUtf8 = "not-utf8": "文件不是 UTF-8 编码",
    SymlinkOutside = "symlink-outside": "符号链接指向站点根目录之外",
    EmptyFile = "empty-file": "文件为空",
    NoFrontMatter = "no-front-matter": "Markdown 文件缺少开头的 --- 元数据块",
    FrontMatterUnclosed = "front-matter-unclosed": "元数据块没有以 --- 结束",
    InvalidSlug = "invalid-slug": "文件名不是合法的网址标识（slug）",
    DuplicateSlug = "duplicate-slug": "同一栏目中有两个文件使用同一 slug",
    // YAML
    YamlSyntax = "yaml-syntax": "YAML 语法错误",
    FullWidthColon = "full-width-colon": "使用了全角冒号“：”作为键值分隔符",
    TabIndent = "tab-indent": "用制表符（Tab）缩进",
    DuplicateKey = "duplicate-key": "同一层级中同一字段写了两次",
    // Fields
    UnknownField = "unknown-field": "未知字段",
    MissingField = "missing-field": "缺少必填字段",
    WrongType = "wrong-type": "字段类型不对（例如应为列表却写成文字）",
    BadEnum = "bad-enum": "字段取值不在允许范围内",
    BadDate = "bad-date": "日期无效或格式不是 YYYY-MM-DD",
    BadYear = "bad-year": "年份或起止年份无效",
    BadValue = "bad-value": "数值无法识别",
    NegativeValue = "negative-value": "数值为负数",
    BadUnit = "bad-unit": "单位与指标的单位不可换算",
    BadMetricId = "bad-metric-id": "指标编号不是 snake_case",
    TimeConflict = "time-conflict": "year、period、as_of 只能写一个",
    ProposalField = "proposal-field": "proposal 与文件类型不符",
    BadUrl = "bad-url": "网址格式不对",
    // References and structure
    UnknownReference = "unknown-reference": "引用了不存在的区域、项目、品牌或指标",
    ParentCycle = "parent-cycle": "区域或项目的上级关系形成了循环",
    RegionRoot = "region-root": "区域树必须有且只有一个根（没有 parent 的区域）",
    DuplicateDocNumber = "duplicate-doc-number": "两个文件使用同一发文字号",
    // Citations
    QuoteNotInBody = "quote-not-in-body": "引文在正文中找不到",
    QuoteNumberMismatch = "quote-number-mismatch": "数值与引文中的数字不一致",
    // Rendered output
    BrokenLink = "broken-link": "站内链接指向不存在的页面或锚点",
    Template = "template": "模板错误",
    // Warnings
    OverMax = "over-max": "数值超过指标上限（可能是原文笔误）",
    ConflictingFigures = "conflicting-figures": "同一口径的两个数字不一致",
    LeftoverEmphasis = "leftover-emphasis": "正文中残留了未生效的 ** 强调符号",
    RawHtml = "raw-html": "正文中的 HTML 按文字显示，不会执行",
    TooLong = "too-long": "字段的文字过长",
    // Safe paths and links
    BadTopic = "bad-topic": "主题（topics）的文字不能用作网址中的文件夹名",
    BadTheme = "bad-theme": "theme 不是 themes/ 下的主题文件夹名",
    LinkScheme = "link-scheme": "链接使用了不允许的协议（如 javascript:）或写法",
    PathConflict = "path-conflict": "两个输出文件的路径冲突（一个是另一个的文件夹）",
    InconsistentTotal = "inconsistent-total": "总数与各分项之和不一致",
    InconsistentShare = "inconsistent-share": "百分比与它所由计算的两个数字不一致",
    BadShareOf = "bad-share-of": "share_of 引用的数字不存在或不能相除（单位不同、部分大于整体）",
    // Editors' workflow
    Unfilled = "unfilled": "还有“尚未填写”的占位内容（skillpress new 生成的文件）",
    PlaceholderBaseUrl = "placeholder-base-url": "base_url 是占位地址（example 域名），构建时没有用 --base-url 替换",
    UnlinkedNumber = "unlinked-number": "正文中的数字不是本页任何数字的原文数值，读者点不到出处",
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code name {name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
            assert!(!code.about().is_empty());
        }
    }
}
