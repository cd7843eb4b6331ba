//! Reads the fields of a YAML mapping with the checks every record shares:
//! unknown fields (with "did you mean"), missing required fields, wrong types,
//! enum values and dates. Each getter reports its own problem and returns `None`,
//! so one file yields all its problems at once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::{Code, Diagnostic, Diagnostics, Span, Spanned};

use super::yaml::{Node, NodeKind};

pub struct Fields<'a> {
    map_span: Span,
    /// What the record is called in messages (“区域文件”, “图表数字”).
    what: &'static str,
    entries: BTreeMap<String, (&'a Node, &'a Node)>,
    /// Fields still holding a `new` placeholder: already reported, so not "missing".
    placeholders: BTreeSet<String>,
}

impl<'a> Fields<'a> {
    /// Reads `node` as a mapping whose keys must be among `allowed`.
    pub fn new(
        node: &'a Node,
        what: &'static str,
        allowed: &[&str],
        sink: &mut Diagnostics,
    ) -> Option<Self> {
        record_schema(what, allowed);
        let NodeKind::Map(entries) = &node.kind else {
            let message = if node.kind == NodeKind::Null {
                format!("{what}是空的")
            } else {
                format!("{what}应是“字段: 值”的映射，这里却是{}", node.kind_name())
            };
            sink.push(
                Diagnostic::error(Code::WrongType, node.span, message).help(format!(
                    "按 docs/guide/fields.md 的格式逐行写出字段，例如：{}: …",
                    allowed[0]
                )),
            );
            return None;
        };
        let mut fields = BTreeMap::new();
        let mut placeholders = BTreeSet::new();
        for (key, value) in entries {
            let Some(name) = key.scalar_text() else {
                sink.push(Diagnostic::error(
                    Code::WrongType,
                    key.span,
                    format!("字段名应是文字，这里是{}", key.kind_name()),
                ));
                continue;
            };
            if !allowed.contains(&name.as_str()) {
                sink.push(unknown_field(&name, key.span, what, allowed));
                continue;
            }
            if let Some(diagnostic) = unfilled(&name, value) {
                sink.push(diagnostic);
                placeholders.insert(name);
                continue;
            }
            fields.insert(name, (key, value));
        }
        Some(Fields {
            map_span: node.span,
            what,
            entries: fields,
            placeholders,
        })
    }

    /// The node of a present, non-null field.
    pub fn node(&self, name: &str) -> Option<&'a Node> {
        self.entries
            .get(name)
            .map(|(_, v)| *v)
            .filter(|v| v.kind != NodeKind::Null)
    }

    pub fn has(&self, name: &str) -> bool {
        self.node(name).is_some()
    }

    pub fn key_span(&self, name: &str) -> Option<Span> {
        self.entries.get(name).map(|(k, _)| k.span)
    }

    pub fn span(&self) -> Span {
        self.map_span
    }

    /// A required field: reports it missing.
    pub fn require(&self, name: &str, sink: &mut Diagnostics) -> Option<&'a Node> {
        let node = self.node(name);
        if node.is_none() && !self.placeholders.contains(name) {
            let span = self.key_span(name).unwrap_or(Span::new(
                self.map_span.file,
                self.map_span.start,
                self.map_span.start,
            ));
            sink.push(
                Diagnostic::error(
                    Code::MissingField,
                    span,
                    format!("{}缺少必填字段 `{name}`", self.what),
                )
                .help(format!("添加一行 `{name}: …`")),
            );
        }
        node
    }

    pub fn text(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
        self.node(name).and_then(|n| text(n, name, sink))
    }

    pub fn required_text(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
        self.require(name, sink).and_then(|n| text(n, name, sink))
    }

    pub fn text_list(&self, name: &str, sink: &mut Diagnostics) -> Vec<Spanned<String>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| text(item, name, sink))
                .collect(),
            // A single value where a list is expected is what editors mean by a one-item list.
            _ => text(node, name, sink).into_iter().collect(),
        }
    }

    pub fn year(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<i32>> {
        self.node(name).and_then(|n| year(n, name, sink))
    }

    pub fn year_list(&self, name: &str, sink: &mut Diagnostics) -> Vec<Spanned<i32>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| year(item, name, sink))
                .collect(),
            _ => year(node, name, sink).into_iter().collect(),
        }
    }

    pub fn date(&self, name: &str, sink: &mut Diagnostics) -> Option<Spanned<jiff::civil::Date>> {
        self.node(name).and_then(|n| date(n, name, sink))
    }

    /// One of a fixed set of words (`level: city`).
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        options: &[(&str, T)],
        required: bool,
        sink: &mut Diagnostics,
    ) -> Option<Spanned<T>> {
        let node = if required {
            self.require(name, sink)?
        } else {
            self.node(name)?
        };
        let value = text(node, name, sink)?;
        if let Some((_, t)) = options.iter().find(|(word, _)| *word == value.value) {
            return Some(Spanned::new(*t, value.span));
        }
        let words: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
        let mut diagnostic = Diagnostic::error(
            Code::BadEnum,
            value.span,
            format!("`{name}` 的值“{}”不在允许范围内", value.value),
        )
        .label("无效取值");
        let listed = words
            .iter()
            .map(|w| match value_label(w) {
                Some(label) => format!("{w}（{label}）"),
                None => (*w).to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" | ");
        diagnostic =
            match chinese_value(&value.value, &words).or_else(|| closest(&value.value, &words)) {
                Some(near) if super::slug::has_han(&value.value) => diagnostic.help(format!(
                    "“{}”在这里写作 `{near}`：改为 `{name}: {near}`。可选值：{listed}",
                    value.value
                )),
                Some(near) => diagnostic.help(format!("您是否想写 `{near}`？可选值：{listed}")),
                None => diagnostic.help(format!("可选值：{listed}")),
            };
        sink.push(diagnostic);
        None
    }
}

/// Fields that hold sentences; every other text field is a name, unit or id.
const LONG_FIELDS: &[&str] = &[
    "title",
    "description",
    "summary",
    "note",
    "quote",
    "training_base",
    "recognized_by",
    "meeting",
    "contact",
    "issuer",
    "url",
    "base_url",
];
const MAX_SHORT_CHARS: usize = 200;
const MAX_LONG_CHARS: usize = 2_000;

pub fn text(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<String>> {
    match node.scalar_text() {
        // Every page repeats names and units: a 1 MB unit made 74 MB of output.
        Some(s) if too_long(s.trim(), name).is_some() => {
            let (count, max) = too_long(s.trim(), name).unwrap_or_default();
            sink.push(
                Diagnostic::error(
                    Code::TooLong,
                    node.span,
                    format!("`{name}` 太长：共 {count} 个字符，最多 {max} 个"),
                )
                .label("过长的文字")
                .help("这里应是简短的文字；较长的说明请写进正文或 description"),
            );
            None
        }
        Some(s) => Some(Spanned::new(s.trim().to_owned(), node.span)),
        None => {
            sink.push(wrong_type(node, name, "文字"));
            None
        }
    }
}

/// `(length, limit)` in characters when `text` is too long for the field `name`.
fn too_long(text: &str, name: &str) -> Option<(usize, usize)> {
    let max = if LONG_FIELDS.contains(&name) {
        MAX_LONG_CHARS
    } else {
        MAX_SHORT_CHARS
    };
    // Counting stops just past the limit: a huge value costs no more than a short one.
    let count = text.chars().take(max + 1).count();
    (count > max).then(|| (text.chars().count(), max))
}

pub fn year(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<i32>> {
    let parsed = match &node.kind {
        NodeKind::Int(i) => i32::try_from(*i).ok(),
        NodeKind::Str(s) => s.trim().parse::<i32>().ok(),
        _ => None,
    };
    match parsed {
        Some(y) if (1949..=2100).contains(&y) => Some(Spanned::new(y, node.span)),
        _ => {
            sink.push(
                Diagnostic::error(
                    Code::BadYear,
                    node.span,
                    format!("`{name}` 应是四位数的年份"),
                )
                .label("不是有效年份")
                .help(format!("例如 `{name}: 2024`")),
            );
            None
        }
    }
}

pub fn date(node: &Node, name: &str, sink: &mut Diagnostics) -> Option<Spanned<jiff::civil::Date>> {
    let text = node.scalar_text().unwrap_or_default();
    let text = text.trim();
    let well_formed = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match text.parse::<jiff::civil::Date>() {
        Ok(d) if well_formed => Some(Spanned::new(d, node.span)),
        _ => {
            let message = if well_formed {
                format!("`{name}` 的日期“{text}”不存在")
            } else {
                format!("`{name}` 的日期“{text}”格式不对")
            };
            sink.push(
                Diagnostic::error(Code::BadDate, node.span, message)
                    .label("无效日期")
                    .help("日期写作 YYYY-MM-DD，例如 2024-05-28；文件未注明日期时删除这一行"),
            );
            None
        }
    }
}

pub fn wrong_type(node: &Node, name: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(
        Code::WrongType,
        node.span,
        format!("`{name}` 应是{expected}，这里却是{}", node.kind_name()),
    )
    .label(format!("应为{expected}"))
}

fn unknown_field(name: &str, span: Span, what: &str, allowed: &[&str]) -> Diagnostic {
    let what = what.trim();
    let diagnostic = Diagnostic::error(
        Code::UnknownField,
        span,
        format!("{what}中没有字段 `{name}`"),
    )
    .label("未知字段");
    if let Some(field) = chinese_key(name, allowed) {
        return diagnostic.help(format!(
            "“{name}”对应的字段是 `{field}`：把这一行改为 `{field}: …`（字段名用英文，值可以写中文）"
        ));
    }
    match closest(name, allowed) {
        Some(near) => diagnostic.help(format!("您是否想写 `{near}`？")),
        None => diagnostic.help(format!("允许的字段：{}", allowed.join("、"))),
    }
}

/// The nearest word by edit distance, if it is near enough to be a typo.
/// One edit per four characters (at least one): `nanayng` → `nanyang`,
/// `regoin` → `region`, but `lushi` is not a typo of `luohe`.
pub fn closest<'w>(word: &str, candidates: &[&'w str]) -> Option<&'w str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 1.max(c.chars().count() / 4) && *d < c.chars().count())
        .min()
        .map(|(_, c)| c)
}

// --- Placeholders written by `skillpress new` -------------------------------

/// Every value an editor must still supply starts with this word; `check`
/// rejects it where it stands, so an untouched scaffold is never published.
pub const PLACEHOLDER: &str = "尚未填写";

/// The error for a field whose value (or one item of whose list) is still a
/// placeholder; `None` when the field was filled in.
fn unfilled(name: &str, value: &Node) -> Option<Diagnostic> {
    let is_placeholder =
        |n: &Node| matches!(&n.kind, NodeKind::Str(s) if s.trim_start().starts_with(PLACEHOLDER));
    let node = match &value.kind {
        NodeKind::Seq(items) => items.iter().find(|n| is_placeholder(n))?,
        _ if is_placeholder(value) => value,
        _ => return None,
    };
    let text = node.scalar_text().unwrap_or_default();
    Some(unfilled_at(node.span, &format!("`{name}` {}", text.trim())))
}

/// The one wording of the placeholder error, for fields and for Markdown bodies.
pub fn unfilled_at(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(Code::Unfilled, span, what.to_owned())
        .label("待填写")
        .help("把“尚未填写：…”整个换成实际内容（说明就写在冒号后面）；用不到的可选字段可以整行删除")
}

/// A Markdown body that still starts with the placeholder of `new`.
pub fn unfilled_body(body: &str, file: crate::diag::FileId, offset: usize) -> Option<Diagnostic> {
    let lead = body.len() - body.trim_start().len();
    let first = body.trim_start().lines().next()?;
    first.starts_with(PLACEHOLDER).then(|| {
        unfilled_at(
            Span::new(file, offset + lead, offset + lead + first.len()),
            &format!("正文{}", first.trim()),
        )
    })
}

// --- What editors write in Chinese, mapped to what the tool expects ---------

/// Chinese words for enum values (`kind: 提案答复` means `proposal-reply`).
/// The first label of a value is how lists of options name it.
const VALUE_LABELS: &[(&str, &str)] = &[
    ("policy", "政策文件"),
    ("policy", "政策"),
    ("policy", "意见"),
    ("policy", "办法"),
    ("work-plan", "工作方案"),
    ("work-plan", "实施方案"),
    ("work-plan", "方案"),
    ("work-plan", "计划"),
    ("proposal-reply", "提案答复"),
    ("proposal-reply", "提案办理答复"),
    ("proposal-reply", "答复"),
    ("notice", "通知"),
    ("report", "报告"),
    ("report", "总结"),
    ("actual", "完成"),
    ("actual", "实际"),
    ("actual", "实际完成"),
    ("target", "目标"),
    ("target", "任务"),
    ("standard", "标准"),
    ("country", "国家"),
    ("country", "全国"),
    ("province", "省"),
    ("city", "市"),
    ("city", "地级市"),
    ("city", "省辖市"),
    ("county", "县"),
    ("county", "县级市"),
    ("district", "区"),
    ("district", "市辖区"),
    ("zone", "开发区"),
    ("zone", "高新区"),
    ("zone", "示范区"),
    ("zone", "功能区"),
    ("national", "国家级"),
    ("provincial", "省级"),
    ("city", "市级"),
    ("county", "县级"),
];

/// How an enum value is called in Chinese (`proposal-reply` → 提案答复).
pub fn value_label(word: &str) -> Option<&'static str> {
    VALUE_LABELS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, label)| *label)
}

/// The option a Chinese word stands for: an exact label first, then the
/// longest label the text ends with (`县级市` → county, `2024年工作方案` → work-plan).
pub fn chinese_value<'w>(text: &str, options: &[&'w str]) -> Option<&'w str> {
    let text = text.trim();
    let usable = |w: &str| options.iter().copied().find(|o| *o == w);
    VALUE_LABELS
        .iter()
        .find(|(_, label)| *label == text)
        .and_then(|(w, _)| usable(w))
        .or_else(|| {
            VALUE_LABELS
                .iter()
                .filter(|(w, label)| text.ends_with(label) && usable(w).is_some())
                .max_by_key(|(_, label)| label.len())
                .and_then(|(w, _)| usable(w))
        })
}

/// Chinese names of fields, as the document's own metadata table calls them.
const KEY_LABELS: &[(&str, &[&str])] = &[
    ("标题", &["title"]),
    ("文件标题", &["title"]),
    ("名称", &["name", "title"]),
    ("全称", &["name"]),
    ("简称", &["short_name"]),
    ("英文名称", &["name_en"]),
    ("类型", &["kind"]),
    ("文件类型", &["kind"]),
    ("类别", &["kind"]),
    ("文种", &["kind"]),
    ("发文机关", &["issuer"]),
    ("发文单位", &["issuer"]),
    ("印发机关", &["issuer"]),
    ("区域", &["region", "scope"]),
    ("地区", &["region", "scope"]),
    ("所属区域", &["region"]),
    ("成文日期", &["date"]),
    ("发文日期", &["date"]),
    ("日期", &["date", "as_of"]),
    ("发文字号", &["doc_number"]),
    ("文号", &["doc_number"]),
    ("签发人", &["signed_by"]),
    ("签发", &["signed_by"]),
    ("提案", &["proposal"]),
    ("联系人", &["contact"]),
    ("联系方式", &["contact"]),
    ("联系电话", &["contact"]),
    ("主题", &["topics", "theme"]),
    ("主题词", &["topics"]),
    ("数字", &["figures"]),
    ("数据", &["figures"]),
    ("级别", &["level"]),
    ("层级", &["level"]),
    ("认定级别", &["level"]),
    ("上级", &["parent"]),
    ("上级区域", &["parent"]),
    ("别称", &["aliases"]),
    ("别名", &["aliases"]),
    ("简介", &["summary"]),
    ("概述", &["summary"]),
    ("范围", &["scope"]),
    ("实施范围", &["scope"]),
    ("牵头部门", &["lead"]),
    ("牵头单位", &["lead"]),
    ("配合部门", &["partners"]),
    ("配合单位", &["partners"]),
    ("年份", &["years", "year"]),
    ("年度", &["year", "years"]),
    ("品牌", &["brands", "brand"]),
    ("认定单位", &["recognized_by"]),
    ("认定机关", &["recognized_by"]),
    ("认定年份", &["year"]),
    ("工种", &["occupations"]),
    ("职业", &["occupations"]),
    ("培训基地", &["training_base"]),
    ("指标", &["metric"]),
    ("数值", &["value"]),
    ("值", &["value"]),
    ("引文", &["quote"]),
    ("原文", &["quote"]),
    ("项目", &["program"]),
    ("起止年份", &["period"]),
    ("期间", &["period"]),
    ("截至", &["as_of"]),
    ("截至日期", &["as_of"]),
    ("单位", &["unit"]),
    ("备注", &["note"]),
    ("说明", &["note", "description"]),
    ("注", &["note"]),
    ("会议", &["meeting"]),
    ("提案号", &["number"]),
    ("编号", &["number"]),
    ("案由", &["title"]),
    ("提案人", &["proposers"]),
    ("办理结果", &["result"]),
    ("已核对", &["reviewed"]),
    ("核对", &["reviewed"]),
    ("原文链接", &["source_url"]),
    ("原文网址", &["source_url"]),
    ("网址", &["base_url", "url", "source_url"]),
    ("站点地址", &["base_url"]),
    ("描述", &["description"]),
    ("语言", &["language"]),
    ("主办", &["publisher"]),
    ("主办单位", &["publisher"]),
    ("备案号", &["icp"]),
    ("导航", &["navigation"]),
    ("首页数字", &["headline"]),
];

/// The field a Chinese key stands for, among the fields this record allows.
pub fn chinese_key<'w>(key: &str, allowed: &[&'w str]) -> Option<&'w str> {
    let key = key.trim().trim_end_matches(['：', ':']);
    KEY_LABELS
        .iter()
        .filter(|(label, _)| *label == key)
        .flat_map(|(_, fields)| fields.iter())
        .find_map(|f| allowed.iter().copied().find(|a| a == f))
}

// --- The field lists, for the guide's drift test ----------------------------

static RECORDING: AtomicBool = AtomicBool::new(false);
static RECORDED: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());

fn record_schema(what: &str, allowed: &[&str]) {
    if !RECORDING.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut map) = RECORDED.lock() {
        map.insert(
            what.trim().to_owned(),
            allowed.iter().map(|s| (*s).to_owned()).collect(),
        );
    }
}

/// The field lists every record was checked against while `run` ran, by the
/// record's name in messages (“文件”, “数字（figure）”). The guide's field
/// reference is tested against exactly these (tests/docs_drift.rs).
pub fn record_schemas(run: impl FnOnce()) -> BTreeMap<String, Vec<String>> {
    // One recording at a time: two tests recording at once would clear and
    // stop each other's (seen as a flaky docs_drift test).
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    RECORDING.store(true, Ordering::Relaxed);
    run();
    RECORDING.store(false, Ordering::Relaxed);
    std::mem::take(&mut *RECORDED.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Every record kind with a sample that reaches it, read through the real
/// readers: what `record_schemas` needs to see the complete schema.
pub fn all_schemas() -> BTreeMap<String, Vec<String>> {
    record_schemas(|| {
        let mut sink = Diagnostics::new();
        let file = crate::diag::FileId(0);
        let parse = |text: &str, sink: &mut Diagnostics| {
            super::yaml::parse(text, file, 0, sink).unwrap_or(Node {
                kind: NodeKind::Null,
                span: Span::file_start(file),
            })
        };
        let slug = || Spanned::new("x".to_owned(), Span::file_start(file));
        let body = || super::raw::Body {
            text: String::new(),
            offset: 0,
            links: Vec::new(),
        };
        let site = parse(
            "navigation: [{}]\nheadline: [{}]\ndata_license: {}\nhome: {map: {}}\n",
            &mut sink,
        );
        super::raw::read_site(&site, file, &mut sink);
        let metrics = parse("x: {}\n", &mut sink);
        super::raw::read_metrics(&metrics, &mut sink);
        let empty = parse("{}\n", &mut sink);
        super::raw::read_region(&empty, slug(), &mut sink);
        super::raw::read_program(&empty, slug(), body(), &mut sink);
        super::raw::read_brand(&empty, slug(), body(), &mut sink);
        let document = parse(
            "kind: proposal-reply\nproposal: {}\nfigures: [{share_of: {}}]\n",
            &mut sink,
        );
        super::raw::read_document(&document, slug(), body(), &mut sink);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("regoin", &["region", "kind"]), Some("region"));
        assert_eq!(closest("titel", &["title", "kind"]), Some("title"));
        assert_eq!(closest("zzzzzz", &["region", "kind"]), None);
    }
}
