//! Metadata detected from the text: title, 发文字号, 签发人, 成文日期 (the 落款),
//! issuer, region, contact and, for replies to proposals, the meeting, number,
//! title, proposers and 办理结果. What is not found stays empty: `write` turns it
//! into a placeholder that `check` rejects, never into a guess.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::{Block, Catalogue, ImportOptions};
use crate::content::raw::RegionLevel;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proposal {
    pub meeting: Option<String>,
    pub number: Option<String>,
    pub title: Option<String>,
    pub proposers: Vec<String>,
    pub result: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<String>,
    /// ISO 8601.
    pub date: Option<String>,
    pub doc_number: Option<String>,
    pub signed_by: Option<String>,
    pub contact: Option<String>,
    pub proposal: Option<Proposal>,
    /// Field → how it was found, when that was an inference the editor should check.
    pub how: Vec<(&'static str, String)>,
}

/// The detected metadata and which blocks the body leaves out or marks up.
#[derive(Debug, Default)]
pub struct Layout {
    pub meta: Meta,
    /// The 版头 (lines before the title) and the title itself.
    pub skip: HashSet<usize>,
    /// Titles of attached plans inside the body, shown as headings.
    pub inner_titles: HashSet<usize>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// 三人社建提字〔2024〕11号 at the start of a line.
fn doc_number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([\p{Han}]{1,16}\s?[〔\[［【（(]\s?\d{4}\s?[〕\]］】）)]\s?第?\d{1,4}号)",
    )
}

fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^([0-9]{4}|[〇○零一二三四五六七八九]{4})年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月([0-9]{1,2}|[一二三四五六七八九十]{1,3})日$",
    )
}

const SENTENCE_PUNCT: &[char] = &['，', ',', '。', '：', ':', '；', ';', '！', '？'];
const TITLE_ENDINGS: &[&str] = &[
    "答复", "通知", "方案", "意见", "办法", "细则", "规定", "决定", "报告", "计划", "函", "批复",
    "通报", "纲要", "规划", "措施",
];
const ORG_ENDINGS: &[&str] = &[
    "局",
    "办公室",
    "厅",
    "委员会",
    "政府",
    "小组",
    "中心",
    "委",
    "室",
    "院",
    "会",
    "部",
    "办",
];

fn han_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or(match c {
            '○' | '零' => Some(0),
            _ => None,
        })
}

/// 2024, 二〇二四, 5, 十二, 二十八 → number.
fn han_or_arabic(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() == 4 && chars.iter().all(|c| han_digit(*c).is_some()) {
        return chars
            .iter()
            .try_fold(0, |acc, c| Some(acc * 10 + han_digit(*c)?));
    }
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + han_digit(*d)?),
        [t, '十'] => Some(han_digit(*t)? * 10),
        [t, '十', d] => Some(han_digit(*t)? * 10 + han_digit(*d)?),
        [d] => han_digit(*d),
        _ => None,
    }
}

/// 2025年5月2日 / 二〇二四年五月二十八日 → 2025-05-02, when the whole line is a date.
pub fn chinese_date(line: &str) -> Option<String> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let caps = date_re().captures(&compact)?;
    let y = han_or_arabic(&caps[1])?;
    let m = han_or_arabic(&caps[2])?;
    let d = han_or_arabic(&caps[3])?;
    let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).ok()?;
    Some(date.to_string())
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A line that can be (part of) a title: no sentence punctuation, not a number or date line.
fn title_like(line: &str) -> bool {
    !line.contains(SENTENCE_PUNCT)
        && line.chars().count() <= 80
        && chinese_date(line).is_none()
        && !doc_number_re().is_match(line)
        && !line.starts_with(['(', '（'])
}

fn ends_like_title(line: &str) -> bool {
    TITLE_ENDINGS.iter().any(|e| line.ends_with(e))
}

fn is_header_line(line: &str) -> bool {
    doc_number_re().is_match(line)
        || [
            "签发人",
            "办理结果",
            "密级",
            "紧急程度",
            "缓急",
            "份号",
            "类别",
        ]
        .iter()
        .any(|k| line.starts_with(k))
}

/// The kind from the title: …的答复 → proposal-reply; 印发《X》的通知 → the kind of X;
/// …方案/计划 → work-plan; …通知 → notice; …意见/办法 → policy; …报告 → report.
pub fn kind_from_title(title: &str) -> Option<&'static str> {
    static R: OnceLock<Regex> = OnceLock::new();
    let printed = re(&R, r"印发.*《(.+)》的通知$");
    if let Some(c) = printed.captures(title)
        && let Some(k) = kind_from_title(&c[1])
        && k != "notice"
    {
        return Some(k);
    }
    let t = title.trim_end_matches(['》', '”']);
    if t.ends_with("答复") || t.ends_with("答复函") {
        Some("proposal-reply")
    } else if t.ends_with("方案") || t.ends_with("计划") || t.ends_with("要点") {
        Some("work-plan")
    } else if t.ends_with("通知") || t.ends_with("通报") {
        Some("notice")
    } else if ["意见", "办法", "细则", "规定", "决定", "措施", "条例"]
        .iter()
        .any(|e| t.ends_with(e))
    {
        Some("policy")
    } else if t.ends_with("报告") || t.ends_with("总结") {
        Some("report")
    } else {
        None
    }
}

/// The region named most specifically: in the issuer first, then the title,
/// then the most-named region of the text (longest names win at each place).
fn detect_region(
    catalogue: &Catalogue,
    issuer: Option<&str>,
    title: Option<&str>,
    text: &str,
) -> Option<String> {
    let mut names: Vec<(String, &str)> = Vec::new();
    for r in &catalogue.regions {
        names.push((r.name.clone(), &r.slug.value));
        if let Some(s) = &r.short_name {
            names.push((s.clone(), &r.slug.value));
        }
        for a in &r.aliases {
            // One-character aliases (宛) match inside too many words.
            if a.chars().count() >= 2 {
                names.push((a.clone(), &r.slug.value));
            }
        }
    }
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
    // (slug, weight): a name inside “…” or 《…》 is a brand, an award or another
    // document's title, weak evidence of the document's own region.
    let longest_in = |hay: &str| -> Vec<(String, usize)> {
        let mut found = Vec::new();
        let chars: Vec<char> = hay.chars().collect();
        let mut depth = 0i32;
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '“' | '《' => depth += 1,
                '”' | '》' => depth = (depth - 1).max(0),
                _ => {}
            }
            let rest: String = chars[i..].iter().collect();
            if let Some((n, slug)) = names.iter().find(|(n, _)| rest.starts_with(n.as_str())) {
                found.push(((*slug).to_owned(), if depth > 0 { 1 } else { 3 }));
                i += n.chars().count();
            } else {
                i += 1;
            }
        }
        found
    };
    for hay in [issuer, title].into_iter().flatten() {
        if let Some((first, _)) = longest_in(hay).into_iter().next() {
            return Some(first);
        }
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (slug, weight) in longest_in(text) {
        match counts.iter_mut().find(|(s, _)| *s == slug) {
            Some((_, n)) => *n += weight,
            None => counts.push((slug, weight)),
        }
    }
    // A reply of a 市政协/市人大 proposal, or a text of the 市人社局, is a city's.
    let city_text = title.is_some_and(|t| t.contains("市政协") || t.contains("市人大"))
        || text.contains("市人社局");
    if city_text
        && counts.iter().any(|(s, _)| {
            catalogue
                .region(s)
                .is_some_and(|r| r.level == RegionLevel::City)
        })
    {
        counts.retain(|(s, _)| {
            catalogue
                .region(s)
                .is_some_and(|r| r.level == RegionLevel::City)
        });
    }
    let depth = |slug: &str| {
        catalogue
            .region(slug)
            .map(|r| r.level as usize)
            .unwrap_or(0)
    };
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(depth(&a.0).cmp(&depth(&b.0))))
        .map(|(s, _)| s)
}

/// Reads the metadata and the layout of the title and 版头.
pub fn detect(
    blocks: &[Block],
    labelled: &[(String, String)],
    catalogue: &Catalogue,
    options: &ImportOptions,
) -> Layout {
    let lines: Vec<(usize, &str)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Para(l) => Some((i, l.as_str())),
            Block::Table(_) => None,
        })
        .collect();
    let mut layout = Layout::default();
    let meta = &mut layout.meta;
    let label = |keys: &[&str]| -> Option<String> {
        labelled
            .iter()
            .find(|(k, v)| keys.iter().any(|key| compact(k).contains(key)) && !v.trim().is_empty())
            .map(|(_, v)| super::body::tidy(v))
    };

    // 版头: header lines before the title.
    let mut pos = 0;
    while pos < lines.len() && is_header_line(lines[pos].1) {
        layout.skip.insert(lines[pos].0);
        pos += 1;
    }
    // Title: consecutive title-like lines at the top (at most three).
    let mut title_lines: Vec<&str> = Vec::new();
    while pos < lines.len() && title_lines.len() < 3 && title_like(lines[pos].1) {
        title_lines.push(lines[pos].1);
        pos += 1;
    }
    let mut title_end = pos;
    // Only a block that ends like a title is a title (not a 主送 line or a name).
    if !title_lines.last().is_some_and(|l| ends_like_title(l)) {
        title_end -= title_lines.len();
        title_lines.clear();
    }
    if !title_lines.is_empty() {
        for (i, _) in &lines[title_end - title_lines.len()..title_end] {
            layout.skip.insert(*i);
        }
        let joined: String = title_lines.iter().map(|l| compact(l)).collect();
        // A page that repeats its title ("X" then "X" broken over two lines).
        let chars: Vec<char> = joined.chars().collect();
        let half = chars.len() / 2;
        let title = if chars.len().is_multiple_of(2) && chars[..half] == chars[half..] {
            chars[..half].iter().collect()
        } else {
            joined
        };
        meta.title = Some(title);
    } else if let Some(t) = label(&["标题", "名称"]) {
        meta.title = Some(t);
    } else if let Some((_, l)) = lines
        .iter()
        .find(|(_, l)| title_like(l) && ends_like_title(l))
    {
        meta.title = Some(compact(l));
        meta.how
            .push(("title", "取自正文中的方案标题；原文没有单独的标题行".into()));
    }

    // Header lines right after the title (发文字号 under the title).
    let mut after = title_end;
    while after < lines.len() && after < title_end + 2 && is_header_line(lines[after].1) {
        after += 1;
    }
    let head: Vec<&str> = lines[..after.min(lines.len())]
        .iter()
        .map(|(_, l)| *l)
        .collect();
    for l in &head {
        if meta.doc_number.is_none()
            && let Some(c) = doc_number_re().captures(l)
        {
            meta.doc_number = Some(compact(&c[1]));
        }
        if let Some(rest) = l.split("签发人").nth(1) {
            let name: String = rest
                .trim_start_matches([':', '：', ' ', '\u{3000}'])
                .chars()
                .take_while(|c| !c.is_whitespace() && !SENTENCE_PUNCT.contains(c))
                .collect();
            if !name.is_empty() {
                meta.signed_by = Some(name);
            }
        }
    }
    if meta.doc_number.is_none() {
        meta.doc_number = label(&["发文字号", "文号"]);
    }
    let result = lines.iter().find_map(|(_, l)| {
        let rest = l.split("办理结果").nth(1)?;
        let r = rest
            .trim_start_matches([':', '：', ' ', '\u{3000}'])
            .chars()
            .next()?;
        matches!(r, 'A' | 'B' | 'C').then(|| r.to_string())
    });

    // 落款: the first line that is only a date; the organisation just above it.
    let date_at = lines.iter().position(|(_, l)| chinese_date(l).is_some());
    if let Some(d) = date_at {
        meta.date = chinese_date(lines[d].1);
        if d > 0 {
            let above = lines[d - 1].1;
            if !above.contains(SENTENCE_PUNCT)
                && above.chars().count() <= 30
                && ORG_ENDINGS.iter().any(|e| above.ends_with(e))
            {
                meta.issuer = Some(compact(above));
            }
        }
        // A plan's own title after the 落款 of its covering notice.
        for (i, l) in lines.iter().skip(d + 1).take(4) {
            if title_like(l) && ends_like_title(l) && !layout.skip.contains(i) {
                if meta.title.as_deref() != Some(compact(l).as_str()) {
                    layout.inner_titles.insert(*i);
                }
                break;
            }
        }
    }
    if meta.date.is_none()
        && let Some(d) = label(&["成文日期", "发文日期"])
    {
        meta.date = chinese_date(&d).or_else(|| {
            jiff::civil::Date::strptime("%Y-%m-%d", d.trim())
                .ok()
                .map(|d| d.to_string())
        });
    }
    if meta.issuer.is_none() {
        meta.issuer = label(&["发文机关", "发布机构"]);
    }

    // Contact: 联系单位/联系部门/联系人 lines.
    meta.contact = lines.iter().find_map(|(_, l)| {
        let l = l
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）']);
        if !l.starts_with("联系") {
            return None;
        }
        let (_, value) = l.split_once([':', '：'])?;
        let v = super::body::tidy(value);
        (!v.is_empty()).then_some(v)
    });

    let text: String = lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    meta.kind = options.kind.clone().or_else(|| {
        meta.title
            .as_deref()
            .and_then(kind_from_title)
            .map(str::to_owned)
    });

    // Replies to proposals.
    if meta.kind.as_deref() == Some("proposal-reply") {
        let mut p = Proposal {
            result,
            ..Proposal::default()
        };
        static TITLE: OnceLock<Regex> = OnceLock::new();
        let t = re(
            &TITLE,
            r"^对?(.*?(?:会议|政协|人大))?第(\d+)号(?:提案|建议)",
        );
        if let Some(title) = &meta.title
            && let Some(c) = t.captures(title)
        {
            p.meeting = c
                .get(1)
                .map(|m| m.as_str().to_owned())
                .filter(|m| !m.is_empty());
            p.number = Some(c[2].to_owned());
        }
        if let Some((_, salutation)) = lines.iter().find(|(_, l)| {
            let l = l.trim_end_matches([':', '：']);
            (l.ends_with("委员") || l.ends_with("代表")) && l.chars().count() <= 40
        }) {
            let names = salutation
                .trim_end_matches([':', '：'])
                .trim_start_matches("尊敬的")
                .trim_end_matches("委员")
                .trim_end_matches("代表");
            p.proposers = names
                .split(['、', '，', ','])
                .map(compact)
                .filter(|n| !n.is_empty())
                .collect();
        }
        static QUOTED: OnceLock<Regex> = OnceLock::new();
        let q = re(&QUOTED, r"(?:您|你)们?(?:提出|所提)的“([^”]+)”");
        p.title = q.captures(&text).map(|c| c[1].to_owned());
        meta.proposal = Some(p);
    }

    meta.region = options.region.clone().or_else(|| {
        detect_region(
            catalogue,
            meta.issuer.as_deref(),
            meta.title.as_deref(),
            &text,
        )
    });

    // A reply is written by the bureau that says 我局 / 市人社局: name it after the region.
    if meta.issuer.is_none()
        && meta.kind.as_deref() == Some("proposal-reply")
        && (text.contains("市人社局") || text.contains("我局"))
        && let Some(region) = meta.region.as_deref().and_then(|r| catalogue.region(r))
    {
        meta.issuer = Some(format!("{}人力资源和社会保障局", region.name));
        meta.how
            .push(("issuer", "由正文中的“市人社局”“我局”和所属区域推断".into()));
    }
    if options.region.is_none() && meta.region.is_some() {
        meta.how.push((
            "region",
            "由发文机关、标题或正文中最常出现的地名推断".into(),
        ));
    }
    layout
}

/// The front matter and the body of a document file.
pub fn split_front_matter(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches('\u{feff}');
    if let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == "---" {
                return (&rest[..offset], &rest[offset + line.len()..]);
            }
            offset += line.len();
        }
    }
    ("", text)
}

fn top_level(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        let v = v
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['\'', '"']);
        (!v.is_empty()).then(|| v.to_owned())
    })
}

/// What `extract` needs from an existing document's front matter.
pub fn from_front_matter(front: &str) -> Meta {
    Meta {
        title: top_level(front, "title"),
        kind: top_level(front, "kind"),
        region: top_level(front, "region"),
        date: top_level(front, "date"),
        ..Meta::default()
    }
}

/// The quotes of figures already confirmed in a document.
pub fn existing_quotes(front: &str) -> Vec<String> {
    front
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let v = l
                .trim_start()
                .trim_start_matches("- ")
                .strip_prefix("quote:")?;
            Some(v.trim().trim_matches(['\'', '"']).to_owned())
        })
        .filter(|q| !q.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_dates() {
        assert_eq!(chinese_date("2024年5月28日").as_deref(), Some("2024-05-28"));
        assert_eq!(
            chinese_date("二〇二四年五月二十八日").as_deref(),
            Some("2024-05-28")
        );
        assert_eq!(chinese_date("2024年5月28日召开"), None);
    }

    #[test]
    fn kinds_from_titles() {
        assert_eq!(
            kind_from_title("对市政协八届二次会议第188号提案的答复"),
            Some("proposal-reply")
        );
        assert_eq!(
            kind_from_title(
                "南阳高新区综合办公室关于印发《南阳高新区高质量推进“人人持证、技能河南”建设工作方案》的通知"
            ),
            Some("work-plan")
        );
        assert_eq!(
            kind_from_title("关于做好2025年技能竞赛工作的通知"),
            Some("notice")
        );
        assert_eq!(
            kind_from_title("关于加强高技能人才队伍建设的意见"),
            Some("policy")
        );
    }
}
