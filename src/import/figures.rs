//! Proposed figures: every number with a unit in the body, with its clause as the
//! quote, a metric of metrics.yaml matched by unit and by the words around it,
//! and the kind, time, region and qualifier the sentence gives. Proposals are
//! written commented out; nothing is published until an editor confirms it.
//!
//! Never proposed: document numbers (〔2024〕11号), dates, phone numbers, list
//! ordinals, 第N届/第N名, and "每…1人" in a rule.

use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::Catalogue;
use super::meta::Meta;
use crate::content::value;

/// One proposed figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// The best metric, when one fits by unit and words.
    pub metric: Option<String>,
    /// Other metrics of the same unit that also fit, best first.
    pub candidates: Vec<String>,
    /// As the source writes it: `34.08万`, `2万-15万`, `75%`.
    pub value: String,
    /// The unit written after the number (名 read as 人).
    pub unit: String,
    /// The amount in base units (元 for money), for comparing; high end of a range.
    pub amount: (Decimal, Option<Decimal>),
    pub quote: String,
    /// `target` or `standard`; none for an achievement.
    pub kind: Option<&'static str>,
    pub qualifier: Option<String>,
    pub year: Option<i32>,
    pub since: Option<i32>,
    pub time_text: Option<String>,
    pub region: Option<String>,
}

/// What extraction knows about the document.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub kind: Option<String>,
    pub region: Option<String>,
    /// The year a plan is for (from its title), or of its date.
    pub year: Option<i32>,
}

impl Context {
    pub fn of(meta: &Meta, _catalogue: &Catalogue) -> Context {
        static YEAR: OnceLock<Regex> = OnceLock::new();
        let year_re = YEAR.get_or_init(|| Regex::new(r"(\d{4})年").expect("regex"));
        let title_year = meta
            .title
            .as_deref()
            .and_then(|t| year_re.captures(t))
            .and_then(|c| c[1].parse().ok());
        let date_year = meta.date.as_deref().and_then(|d| d.get(..4)?.parse().ok());
        Context {
            kind: meta.kind.clone(),
            region: meta.region.clone(),
            year: title_year.or(date_year),
        }
    }
}

fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(\d+(?:[.,]\d+)*)(万|亿)?(?:[-—~～至](\d+(?:\.\d+)?)(万|亿)?)?(余|多)?(万|亿)?(人次|万元|亿元|人|名|个|家|所|元|场|%|％)",
        )
        .expect("number regex")
    })
}

const BEFORE_HEDGES: &[&str] = &[
    "不低于",
    "不少于",
    "不超过",
    "超过",
    "至少",
    "最高",
    "接近",
    "近",
    "约",
    "超",
    "逾",
];
const AFTER_HEDGES: &[&str] = &["以上", "以下", "以内", "左右", "余", "多"];
const STANDARD_WORDS: &[&str] = &[
    "给予",
    "每人",
    "每吸纳",
    "最高",
    "不超过",
    "抵免",
    "扣除",
    "标准",
    "奖补",
    "补助",
];
const TARGET_WORDS: &[&str] = &[
    "力争",
    "目标",
    "确保",
    "达到",
    "年培训",
    "年招生",
    "新增",
    "新建",
];
const TIME_TEXTS: &[&str] = &[
    "近三年来",
    "近三年",
    "近两年",
    "近五年",
    "近年来",
    "去年以来",
    "年初以来",
    "今年以来",
    "截至目前",
    "截止目前",
    "历年来",
];

fn clause_bounds(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    const STOP: &[char] = &[
        '，', ',', '。', '；', ';', '：', ':', '、', '（', '）', '(', ')', '！', '？',
    ];
    // Do not cut inside “…” or 《…》.
    let mut depth_at = vec![0i32; chars.len() + 1];
    let mut depth = 0;
    for (i, c) in chars.iter().enumerate() {
        depth_at[i] = depth;
        match c {
            '“' | '《' => depth += 1,
            '”' | '》' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth_at[chars.len()] = depth;
    let mut a = start;
    while a > 0 && !(STOP.contains(&chars[a - 1]) && depth_at[a - 1] == 0) {
        a -= 1;
    }
    let mut b = end;
    while b < chars.len() && !(STOP.contains(&chars[b]) && depth_at[b] == 0) {
        b += 1;
    }
    (a, b)
}

fn sentence_start(chars: &[char], at: usize) -> usize {
    let mut a = at;
    while a > 0 && !matches!(chars[a - 1], '。' | '；' | ';' | '！' | '？') {
        a -= 1;
    }
    a
}

fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Units that a figure written in `unit` may be recorded in.
fn unit_fits(text_unit: &str, metric_unit: &str) -> bool {
    let text_unit = if text_unit == "名" { "人" } else { text_unit };
    let text_unit = if text_unit == "％" { "%" } else { text_unit };
    text_unit == metric_unit || value::units_convert(text_unit, metric_unit)
}

/// How well a metric fits: its name's character pairs found in the clause count
/// most, in the words before it less, its description's least.
fn score(clause: &str, before: &str, name: &str, description: &str) -> f64 {
    let (clause, before) = (bigrams(clause), bigrams(before));
    let hits = |t: &str, ctx: &[(char, char)]| -> f64 {
        bigrams(t).iter().filter(|b| ctx.contains(b)).count() as f64
    };
    let pairs = bigrams(name);
    // A name whose words are mostly absent (…（企业）, 新建国家级…) fits less.
    let covered = pairs
        .iter()
        .filter(|b| clause.contains(b) || before.contains(b))
        .count() as f64
        / pairs.len().max(1) as f64;
    (3.0 * hits(name, &clause) + hits(name, &before) + (0.5 * hits(description, &clause)).min(2.0))
        * covered.sqrt()
}

fn parse_amount(written: &str, unit: &str) -> Option<(Decimal, Option<Decimal>)> {
    let v = value::parse(written).ok()?;
    let unit = if unit == "％" { "%" } else { unit };
    let (_, scale) = value::unit_scale(unit);
    Some((v.low * scale, v.high.map(|h| h * scale)))
}

/// Proposes figures for a Markdown body.
pub fn extract(body: &str, context: &Context, catalogue: &Catalogue) -> Vec<Proposal> {
    static SINCE: OnceLock<Regex> = OnceLock::new();
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let since_re = SINCE.get_or_init(|| Regex::new(r"(\d{4})年(?:\d{1,2}月)?以来").expect("regex"));
    let year_re = YEAR.get_or_init(|| Regex::new(r"(\d{4})年").expect("regex"));
    let mut out = Vec::new();
    for block in crate::content::markdown::plain_blocks(body) {
        let text: String = block.chars().filter(|c| *c != '\n').collect();
        let chars: Vec<char> = text.chars().collect();
        // Byte offset → char index.
        let char_at = |byte: usize| text[..byte].chars().count();
        for caps in number_re().captures_iter(&text) {
            let whole = caps.get(0).expect("match");
            let start = char_at(whole.start());
            let end = char_at(whole.end());
            let before =
                |n: usize| -> String { chars[start.saturating_sub(n)..start].iter().collect() };
            let prev = start.checked_sub(1).map(|i| chars[i]);
            // Inside a longer number, a document number or an ordinal.
            if prev.is_some_and(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '〔' | '[' | '第' | '-' | '+' | '＋')
            }) {
                continue;
            }
            let num = &caps[1];
            if num == "1" && before(4).contains('每') {
                continue; // "每吸纳1人": the unit of a rule, not a count
            }
            let mul = caps
                .get(2)
                .or(caps.get(6))
                .map(|m| m.as_str())
                .unwrap_or("");
            let unit = &caps[7];
            let written = match caps.get(3) {
                Some(high) => format!(
                    "{num}{}-{}{}",
                    caps.get(2).map(|m| m.as_str()).unwrap_or(""),
                    high.as_str(),
                    caps.get(4).map(|m| m.as_str()).unwrap_or("")
                ),
                None => format!("{num}{mul}"),
            };
            let written = if matches!(unit, "%" | "％") {
                format!("{written}%")
            } else {
                written
            };
            let Some(amount) = parse_amount(&written, unit) else {
                continue;
            };
            let (a, b) = clause_bounds(&chars, start, end);
            let mut quote: String = chars[a..b].iter().collect();
            // A bare clause ("5个") says too little to find: take the one before too.
            if quote.chars().count() < 6 && a > 1 {
                let (a2, _) = clause_bounds(&chars, a - 1, a - 1);
                quote = chars[a2..b].iter().collect();
            }
            let sentence: String = chars[sentence_start(&chars, start)..end].iter().collect();
            let near: String = chars[a.saturating_sub(30)..a].iter().collect();

            let mut qualifier = BEFORE_HEDGES
                .iter()
                .find(|h| before(h.chars().count()) == **h)
                .map(|h| (*h).to_owned());
            if qualifier.is_none() {
                qualifier = caps.get(5).map(|m| m.as_str().to_owned()).or_else(|| {
                    let tail: String = chars[end..(end + 2).min(chars.len())].iter().collect();
                    AFTER_HEDGES
                        .iter()
                        .find(|h| tail.starts_with(**h))
                        .map(|h| (*h).to_owned())
                });
            }

            let kind = if STANDARD_WORDS.iter().any(|w| quote.contains(w)) {
                Some("standard")
            } else if matches!(
                context.kind.as_deref(),
                Some("work-plan" | "notice" | "policy")
            ) || TARGET_WORDS[..3].iter().any(|w| sentence.contains(w))
            {
                Some("target")
            } else {
                None
            };

            let since = since_re.captures(&sentence).and_then(|c| c[1].parse().ok());
            let time_text = if since.is_none() {
                TIME_TEXTS
                    .iter()
                    .find(|t| sentence.contains(**t))
                    .map(|t| (*t).to_owned())
            } else {
                None
            };
            let year = if since.is_none() && time_text.is_none() {
                year_re
                    .captures_iter(&sentence)
                    .last()
                    .and_then(|c| c[1].parse().ok())
                    .or(if kind == Some("target") {
                        context.year
                    } else {
                        None
                    })
            } else {
                None
            };

            let region = region_in(&sentence, context, catalogue);

            let mut ranked: Vec<(f64, &str)> = catalogue
                .metrics
                .iter()
                .filter(|m| unit_fits(unit, &m.unit))
                .map(|m| {
                    (
                        score(
                            &quote,
                            &near,
                            &m.name,
                            m.description.as_deref().unwrap_or(""),
                        ),
                        m.id.value.as_str(),
                    )
                })
                .filter(|(s, _)| *s > 0.0)
                .collect();
            ranked.sort_by(|x, y| {
                y.0.partial_cmp(&x.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(x.1.cmp(y.1))
            });
            let metric = ranked
                .first()
                .filter(|(s, _)| *s >= 2.0)
                .map(|(_, id)| (*id).to_owned());
            let candidates = ranked
                .iter()
                .skip(usize::from(metric.is_some()))
                .take(3)
                .map(|(_, id)| (*id).to_owned())
                .collect();
            out.push(Proposal {
                metric,
                candidates,
                value: written,
                unit: match unit {
                    "名" => "人".into(),
                    "％" => "%".into(),
                    u => u.to_owned(),
                },
                amount,
                quote,
                kind,
                qualifier,
                year,
                since,
                time_text,
                region,
            });
        }
    }
    out
}

/// A region below the document's region named in the sentence (outside “…”,
/// where names are brands: “镇平玉雕师”).
fn region_in(sentence: &str, context: &Context, catalogue: &Catalogue) -> Option<String> {
    let mut plain = String::new();
    let mut depth = 0;
    for c in sentence.chars() {
        match c {
            '“' | '《' => depth += 1,
            '”' | '》' => depth -= 1,
            _ if depth <= 0 => plain.push(c),
            _ => plain.push(' '),
        }
    }
    let doc_region = context.region.as_deref()?;
    let mut best: Option<(usize, &str)> = None;
    for r in &catalogue.regions {
        if r.slug.value == doc_region || !catalogue.is_within(&r.slug.value, doc_region) {
            continue;
        }
        let names = std::iter::once(r.name.as_str()).chain(r.short_name.as_deref());
        for n in names {
            if n.chars().count() >= 2
                && let Some(pos) = plain.rfind(n)
                && best.is_none_or(|(p, _)| pos > p)
            {
                best = Some((pos, &r.slug.value));
            }
        }
    }
    best.map(|(_, s)| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        extract(text, &Context::default(), &Catalogue::default())
            .into_iter()
            .map(|p| format!("{}{}", p.value, p.unit))
            .collect()
    }

    #[test]
    fn numbers_that_are_not_figures_are_not_proposed() {
        let text = "根据《通知》（宛办〔2021〕33号）精神，2024年5月28日第188号提案，第三届大赛、第4名，\
                    联系电话：2850339，附件1、2。\n\n1. 每吸纳1人给予1000元一次性补助";
        assert_eq!(values(text), vec!["1000元".to_owned()]);
    }

    #[test]
    fn chinese_forms_of_numbers() {
        let text = "拨付补贴资金2500余万元，给予2万-15万元一次性扶持补助，匹配度超过75％，培训34.08万人，组织35名选手";
        assert_eq!(
            values(text),
            vec!["2500万元", "2万-15万元", "75%%", "34.08万人", "35人"]
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn quote_is_the_clause_and_kind_time_qualifier_are_read() {
        let ctx = Context {
            kind: Some("proposal-reply".into()),
            ..Context::default()
        };
        let p = extract(
            "2024年以来，全市开展企业职工技能培训评价11207人次。",
            &ctx,
            &Catalogue::default(),
        );
        assert_eq!(p[0].quote, "全市开展企业职工技能培训评价11207人次");
        assert_eq!(p[0].since, Some(2024));
        let p = extract("累计最高不超过200万元。", &ctx, &Catalogue::default());
        assert_eq!(p[0].kind, Some("standard"));
        assert_eq!(p[0].qualifier.as_deref(), Some("不超过"));
        let p = extract(
            "与500多家企事业单位开展深度合作",
            &ctx,
            &Catalogue::default(),
        );
        assert_eq!(p[0].qualifier.as_deref(), Some("多"));
    }
}
