//! Citation checks: a figure's quote must occur in its document's body, and must
//! state the figure's number.
//!
//! Both sides are compared after removing whitespace and applying Unicode NFKC,
//! so `％`/`%`, `＋`/`+` and full-/half-width punctuation match: editors copy
//! quotes from PDFs and web pages that differ only in such details. NFKC is
//! applied character by character so each normalised character still knows
//! which original character it came from (needed to highlight the original).

use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use crate::content::value::{WAN, YI, strip_thousands};

/// Text normalised for matching, with the original character index of each char.
pub struct Normalized {
    pub chars: Vec<char>,
    pub origin: Vec<usize>,
}

pub fn normalize(text: &str) -> Normalized {
    let mut chars = Vec::with_capacity(text.len() / 2);
    let mut origin = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.chars().enumerate() {
        if is_nfkc_stable(c) {
            // Most of a body: no decomposition to look up.
            chars.push(c);
            origin.push(i);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            if !n.is_whitespace() {
                chars.push(n);
                origin.push(i);
            }
        }
    }
    Normalized { chars, origin }
}

/// Printable ASCII and CJK unified ideographs (and extension A): NFKC leaves
/// each of them as it is (checked for every one in the tests).
fn is_nfkc_stable(c: char) -> bool {
    matches!(c as u32, 0x21..=0x7E | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

pub fn normalize_string(text: &str) -> String {
    normalize(text).chars.into_iter().collect()
}

/// Where a quote was found: block index and the character range in that block's
/// original (un-normalised) plain text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// Searches the blocks for the first occurrence of `quote`.
pub fn find_quote(blocks: &[Normalized], quote: &str) -> Option<Found> {
    find_quotes(blocks, &[quote]).pop().flatten()
}

/// Quotes × body bytes up to which each quote is looked for on its own
/// (`memchr::memmem`, stopping at its first occurrence); above it, one
/// Aho–Corasick automaton finds them all in one pass. Building the
/// automaton cost ~500,000 instructions per document, far more than
/// searching a typical document's dozen quotes one by one.
const SEARCH_EACH_UP_TO: usize = 2 << 20;

/// The first occurrence of each quote in the blocks.
pub fn find_quotes(blocks: &[Normalized], quotes: &[&str]) -> Vec<Option<Found>> {
    find_quotes_with(blocks, quotes, SEARCH_EACH_UP_TO)
}

fn find_quotes_with(
    blocks: &[Normalized],
    quotes: &[&str],
    search_each_up_to: usize,
) -> Vec<Option<Found>> {
    let mut result = vec![None; quotes.len()];
    let needles: Vec<Vec<char>> = quotes.iter().map(|q| normalize(q).chars).collect();
    // Equal quotes share one pattern.
    let mut pattern_of: std::collections::HashMap<&[char], usize> = Default::default();
    let mut patterns: Vec<String> = Vec::new();
    let mut lengths: Vec<usize> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    for (i, needle) in needles.iter().enumerate() {
        if needle.is_empty() {
            continue;
        }
        let id = *pattern_of.entry(needle.as_slice()).or_insert_with(|| {
            patterns.push(needle.iter().collect());
            lengths.push(needle.len());
            owners.push(Vec::new());
            patterns.len() - 1
        });
        owners[id].push(i);
    }
    if patterns.is_empty() {
        return result;
    }
    let texts: Vec<String> = blocks.iter().map(|b| b.chars.iter().collect()).collect();
    let body_bytes: usize = texts.iter().map(String::len).sum();
    let found = if patterns.len().saturating_mul(body_bytes) <= search_each_up_to {
        first_of_each(&texts, &patterns)
    } else {
        first_of_all(&texts, &patterns, &lengths)
    };
    for ((at, owners), length) in found.into_iter().zip(owners).zip(lengths) {
        let Some((index, start)) = at else {
            continue;
        };
        let block = &blocks[index];
        let located = Found {
            block: index,
            start: block.origin[start],
            end: block.origin[start + length - 1] + 1,
        };
        for owner in owners {
            result[owner] = Some(located);
        }
    }
    result
}

/// Block and char index where each pattern first occurs, one pattern at a time.
fn first_of_each(texts: &[String], patterns: &[String]) -> Vec<Option<(usize, usize)>> {
    patterns
        .iter()
        .map(|pattern| {
            let finder = memchr::memmem::Finder::new(pattern.as_bytes());
            texts.iter().enumerate().find_map(|(index, text)| {
                let at = finder.find(text.as_bytes())?;
                Some((index, text[..at].chars().count()))
            })
        })
        .collect()
}

/// [`first_of_each`] in one pass over the blocks (Aho–Corasick): a document
/// with many quotes costs one scan of its body, not one per quote.
fn first_of_all(
    texts: &[String],
    patterns: &[String],
    lengths: &[usize],
) -> Vec<Option<(usize, usize)>> {
    let mut found = vec![None; patterns.len()];
    // A document is searched once: a contiguous NFA is built in a fraction
    // of the time of the DFA `new` would choose.
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
    else {
        return found;
    };
    let mut left = patterns.len();
    for (index, text) in texts.iter().enumerate() {
        // Matches come in order of their end; a forward cursor turns byte ends into char ends.
        let (mut byte, mut chars) = (0usize, 0usize);
        for m in automaton.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            if found[id].is_some() {
                continue;
            }
            chars += text[byte..m.end()].chars().count();
            byte = m.end();
            found[id] = Some((index, chars - lengths[id]));
            left -= 1;
            if left == 0 {
                return found;
            }
        }
    }
    found
}

/// Hedges allowed between a number and 万/亿 (`2500余万元`, `5万多名`).
const INNER_HEDGES: &[char] = &['余', '多'];

/// Every number stated in a (normalised) quote, in base units: `34.08万` →
/// 340800. A number is a maximal run of digits (so 500 never matches inside
/// 1500), with thousands separators and decimals, then optionally a hedge, then
/// optionally 万/亿/万亿, then optionally `%`.
pub fn numbers_in(quote: &str) -> Vec<Decimal> {
    QuoteNumbers::read(quote).values()
}

/// A quote read once for its numbers: its normalised characters and the
/// numbers in them (what [`numbers_in`] and [`written`] read).
pub struct QuoteNumbers {
    chars: Vec<char>,
    spans: Vec<NumberSpan>,
}

impl QuoteNumbers {
    pub fn read(quote: &str) -> Self {
        let chars = normalize(quote).chars;
        let spans = number_spans(&chars);
        QuoteNumbers { chars, spans }
    }

    /// [`numbers_in`] of the quote.
    pub fn values(&self) -> Vec<Decimal> {
        self.spans.iter().map(|n| n.value).collect()
    }
}

/// Whether the quote states `value`, both in base units: a figure of 2300 in 万元
/// is 23000000 元, which "2300万元" states; a figure of 5 in 人 is not stated by
/// "5万人" (the editor forgot the 万).
pub fn states(numbers: &[Decimal], value: Decimal) -> bool {
    numbers.iter().any(|n| n.normalize() == value.normalize())
}

/// Qualifier words written before a number, longest first so that 最高不超过
/// wins over 最高 and 超过 over 超.
pub const BEFORE: &[&str] = &[
    "最高不超过",
    "不低于",
    "不少于",
    "不超过",
    "超过",
    "至少",
    "接近",
    "最高",
    "不到",
    "近",
    "约",
    "超",
    "逾",
];
/// Qualifier words written after a number and its unit.
pub const AFTER: &[&str] = &["以上", "以内", "以下", "左右"];
/// Measure words that may stand between a number and a trailing qualifier
/// (6500元以上, 15.5万人以上) when the figure's unit is not written there.
pub const MEASURES: &[&str] = &[
    "人次", "万元", "亿元", "元/月", "元", "人", "名", "家", "个", "所", "项", "场", "次", "户",
    "支", "期", "%",
];

/// The number as the quote writes it, and the qualifier found around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Qualifier + number + 万/亿 + unit, as in the (normalised) quote: 近1万人.
    pub text: String,
    /// 近, 余, 以上 …; `None` when the number stands alone.
    pub qualifier: Option<String>,
}

/// Finds `value` (base units) in the quote and reads what surrounds it: a
/// qualifier before (近, 最高), between number and 万 (余, 多), after the unit
/// (以上, 左右); and the unit itself (`unit`, or a common measure word).
/// `high` extends the span to the upper end of a range.
pub fn written(quote: &str, low: Decimal, high: Option<Decimal>, unit: &str) -> Option<Written> {
    written_in(&QuoteNumbers::read(quote), low, high, unit)
}

/// [`written`] of a quote already read.
pub fn written_in(
    quote: &QuoteNumbers,
    low: Decimal,
    high: Option<Decimal>,
    unit: &str,
) -> Option<Written> {
    let (chars, spans) = (&quote.chars, &quote.spans);
    let first = spans.iter().find(|s| s.value == low.normalize())?;
    let last = match high {
        Some(h) => spans
            .iter()
            .find(|s| s.value == h.normalize() && s.start >= first.end)?,
        None => first,
    };
    // Whether `word` stands at `at` (compared char by char: this runs for
    // every measure word of every figure).
    let text_at = |at: usize, word: &str| {
        let mut i = at;
        word.chars().all(|c| {
            i += 1;
            chars.get(i - 1) == Some(&c)
        }) && i <= chars.len()
    };
    let mut qualifier: Option<String> = None;
    let mut start = first.start;
    if high.is_none()
        && let Some(word) = BEFORE
            .iter()
            .find(|w| start >= w.chars().count() && text_at(start - w.chars().count(), w))
    {
        start -= word.chars().count();
        qualifier = Some((*word).to_owned());
    }
    let mut end = last.end;
    if qualifier.is_none() {
        qualifier = last.hedge.map(String::from);
    }
    // The unit: the figure's own (万元 after 2300 is multiplier + 元, already
    // partly consumed), else one common measure word.
    let unit_norm = normalize_string(unit);
    let unit_tail = unit_norm.trim_start_matches(['万', '亿']);
    let mut units: Vec<&str> = vec![unit_norm.as_str(), unit_tail];
    units.extend(MEASURES);
    if let Some(u) = units.iter().find(|u| !u.is_empty() && text_at(end, u)) {
        end += u.chars().count();
    }
    // 5万多名: a hedge after 万.
    if qualifier.is_none()
        && high.is_none()
        && let Some(&c) = chars.get(end).filter(|c| INNER_HEDGES.contains(c))
    {
        qualifier = Some(c.to_string());
        end += 1;
        if let Some(u) = units.iter().find(|u| !u.is_empty() && text_at(end, u)) {
            end += u.chars().count();
        }
    }
    if qualifier.is_none()
        && high.is_none()
        && let Some(word) = AFTER.iter().find(|w| text_at(end, w))
    {
        end += word.chars().count();
        qualifier = Some((*word).to_owned());
    }
    Some(Written {
        text: chars[start..end].iter().collect(),
        qualifier,
    })
}

/// A number in normalised text: value in base units, where it starts, where
/// it ends (after a hedge and 万/亿), and the hedge between number and 万 (余).
/// Public so that prose linking (`model::prose`) reads numbers exactly as quotes are read.
pub struct NumberSpan {
    pub value: Decimal,
    pub start: usize,
    pub end: usize,
    pub hedge: Option<char>,
}

pub fn number_spans(chars: &[char]) -> Vec<NumberSpan> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || ((chars[i] == ',' || chars[i] == '.')
                    && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let Some(plain) =
            strip_thousands(&digits).or_else(|| strip_thousands(&digits.replace(',', "")))
        else {
            continue;
        };
        let Ok(number) = plain.parse::<Decimal>() else {
            continue;
        };
        let mut j = i;
        let mut hedge = None;
        while j < chars.len() && INNER_HEDGES.contains(&chars[j]) {
            hedge = Some(chars[j]);
            j += 1;
        }
        let (multiplier, width) = match (chars.get(j), chars.get(j + 1)) {
            (Some('万'), Some('亿')) => (Some(WAN * YI), 2),
            (Some('万'), _) => (Some(WAN), 1),
            (Some('亿'), _) => (Some(YI), 1),
            _ => (None, 0),
        };
        // A hedge not followed by 万/亿 belongs after the number all the same (500余家).
        let end = j + width;
        let value = match multiplier {
            Some(m) => number.checked_mul(m).map(|v| v.normalize()),
            None => Some(number.normalize()),
        };
        if let Some(value) = value {
            found.push(NumberSpan {
                value,
                start,
                end,
                hedge,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn chars_kept_without_a_look_up_are_their_own_nfkc() {
        let stable: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfkc_stable(c))
            .collect();
        assert_eq!(stable.len(), 94 + 6592 + 20992);
        for c in stable {
            assert!(!c.is_whitespace(), "{c:?}");
            assert_eq!(std::iter::once(c).nfkc().collect::<String>(), c.to_string());
        }
        // Full-width forms are not among them: NFKC maps them to ASCII.
        assert!(!is_nfkc_stable('％'));
        assert_eq!(normalize_string("５０ ％，共计"), "50%,共计");
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn blocks(texts: &[&str]) -> Vec<Normalized> {
        texts.iter().map(|t| normalize(t)).collect()
    }

    #[test]
    fn finds_quotes_ignoring_whitespace_and_width() {
        let b = blocks(&[
            "前言",
            "专业设置与全市主导产业匹配度超过75％，与国内63家企业",
        ]);
        let found = find_quote(&b, "匹配度超过 75%").unwrap();
        assert_eq!(found.block, 1);
        let original: String = "专业设置与全市主导产业匹配度超过75％，与国内63家企业"
            .chars()
            .skip(found.start)
            .take(found.end - found.start)
            .collect();
        assert_eq!(original, "匹配度超过75％");
        assert!(find_quote(&b, "政府+企业").is_none());
        let b = blocks(&["推行“政府＋企业”双向互动机制"]);
        assert!(find_quote(&b, "“政府+企业”双向").is_some());
    }

    /// The first occurrence of a quote by comparing chars at every place:
    /// what both searches must find.
    fn first_by_hand(blocks: &[Normalized], quote: &str) -> Option<Found> {
        let needle = normalize(quote).chars;
        if needle.is_empty() {
            return None;
        }
        blocks.iter().enumerate().find_map(|(index, block)| {
            let at = block
                .chars
                .windows(needle.len())
                .position(|w| w == needle)?;
            Some(Found {
                block: index,
                start: block.origin[at],
                end: block.origin[at + needle.len() - 1] + 1,
            })
        })
    }

    proptest::proptest! {
        /// Quotes searched one by one and all at once find the same first
        /// occurrences, the ones found by hand: quotes inside other quotes,
        /// repeated, overlapping, equal after normalising, or absent.
        #[test]
        fn each_search_finds_the_first_occurrence_of_every_quote(
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["技", "能", "培训", "5", "0", "％", "%", " ", "，", "万人", "ａ"]),
                    0..30,
                ),
                1..4,
            ),
            picks in proptest::collection::vec((0usize..4, 0usize..40, 1usize..8), 1..12),
            extra in proptest::collection::vec(
                proptest::sample::select(vec!["培训5", "技技", "0％", "能 能", "万人培训", "缺"]),
                0..3,
            ),
        ) {
            let texts: Vec<String> = texts.iter().map(|t| t.concat()).collect();
            let b: Vec<Normalized> = texts.iter().map(|t| normalize(t)).collect();
            // Quotes cut from the blocks' text (so most are found), and others.
            let mut quotes: Vec<String> = picks
                .iter()
                .map(|&(block, from, len)| {
                    let chars: Vec<char> = texts[block % texts.len()].chars().collect();
                    let from = from.min(chars.len());
                    chars[from..(from + len).min(chars.len())].iter().collect()
                })
                .collect();
            quotes.extend(extra.iter().map(|q| q.to_string()));
            let quotes: Vec<&str> = quotes.iter().map(String::as_str).collect();
            let by_hand: Vec<Option<Found>> = quotes.iter().map(|q| first_by_hand(&b, q)).collect();
            proptest::prop_assert_eq!(&find_quotes_with(&b, &quotes, usize::MAX), &by_hand);
            proptest::prop_assert_eq!(&find_quotes_with(&b, &quotes, 0), &by_hand);
        }
    }

    #[test]
    fn quotes_do_not_cross_blocks() {
        let b = blocks(&["第一段结尾", "第二段开头"]);
        assert!(find_quote(&b, "结尾第二段").is_none());
    }

    #[test]
    fn numbers_respect_digit_boundaries() {
        let n = numbers_in("培训1500人");
        assert!(!states(&n, d("500")));
        assert!(states(&n, d("1500")));
        assert!(!states(&numbers_in("2024年以来"), d("24")));
    }

    #[test]
    fn numbers_in_chinese_forms() {
        let n = numbers_in("累计完成企业职工技能培训34.08万人");
        assert!(states(&n, d("340800")));
        assert!(states(&numbers_in("获得奖补资金2,300万元"), d("23000000")));
        assert!(states(
            &numbers_in("争取省级奖补资金3820万元"),
            d("38200000")
        ));
        assert!(!states(&numbers_in("5万人"), d("5")));
        assert!(states(&numbers_in("投入8亿元"), d("800000000")));
        assert!(states(&numbers_in("共340,800人"), d("340800")));
    }

    #[test]
    fn hedges_are_allowed() {
        assert!(states(&numbers_in("资金2500余万元"), d("25000000")));
        assert!(states(&numbers_in("年培养技能人才7000余人"), d("7000")));
        assert!(states(&numbers_in("近5万名"), d("50000")));
        assert!(states(&numbers_in("5万多名技能型人才"), d("50000")));
        assert!(states(&numbers_in("15.5万人以上"), d("155000")));
        assert!(states(&numbers_in("超过75％"), d("75")));
        assert!(states(&numbers_in("约1.1万人"), d("11000")));
    }

    fn w(quote: &str, value: &str, unit: &str) -> (String, Option<String>) {
        let found = written(quote, d(value), None, unit).unwrap();
        (found.text, found.qualifier)
    }

    #[test]
    fn written_forms_keep_qualifier_and_unit() {
        let q = |s: &str| Some(s.to_owned());
        assert_eq!(w("培训近1万人", "10000", "人"), ("近1万人".into(), q("近")));
        assert_eq!(
            w("合作企业500余家", "500", "家"),
            ("500余家".into(), q("余"))
        );
        assert_eq!(w("500多家企业", "500", "家"), ("500多家".into(), q("多")));
        assert_eq!(
            w("给予最高不超过200万元奖补", "2000000", "元"),
            ("最高不超过200万元".into(), q("最高不超过"))
        );
        assert_eq!(
            w("最高200万元", "2000000", "万元"),
            ("最高200万元".into(), q("最高"))
        );
        assert_eq!(
            w("月薪6500元以上", "6500", "元/月"),
            ("6500元以上".into(), q("以上"))
        );
        assert_eq!(
            w("15.5万人以上", "155000", "人"),
            ("15.5万人以上".into(), q("以上"))
        );
        assert_eq!(
            w("5万多名技能人才", "50000", "人"),
            ("5万多名".into(), q("多"))
        );
        assert_eq!(
            w("获得资金2300万元", "23000000", "元"),
            ("2300万元".into(), None)
        );
        assert_eq!(
            w("匹配度超过75％", "75", "%"),
            ("超过75%".into(), q("超过"))
        );
        assert_eq!(w("共培训1500人", "1500", "人"), ("1500人".into(), None));
    }

    #[test]
    fn full_width_digits_normalise() {
        assert!(states(&numbers_in("培训１２万人"), d("120000")));
    }
}
