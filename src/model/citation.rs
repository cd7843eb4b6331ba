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

/// The first occurrence of each quote, found in one pass over the blocks
/// (Aho–Corasick): a document with many figures costs one scan of its body,
/// not one per figure.
pub fn find_quotes(blocks: &[Normalized], quotes: &[&str]) -> Vec<Option<Found>> {
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
    let Ok(automaton) = aho_corasick::AhoCorasick::new(&patterns) else {
        return result;
    };
    let mut done = vec![false; patterns.len()];
    let mut left = patterns.len();
    for (index, block) in blocks.iter().enumerate() {
        let text: String = block.chars.iter().collect();
        // Matches come in order of their end; a forward cursor turns byte ends into char ends.
        let (mut byte, mut chars) = (0usize, 0usize);
        for m in automaton.find_overlapping_iter(&text) {
            let id = m.pattern().as_usize();
            if done[id] {
                continue;
            }
            chars += text[byte..m.end()].chars().count();
            byte = m.end();
            let start = block.origin[chars - lengths[id]];
            let end = block.origin[chars - 1] + 1;
            for &owner in &owners[id] {
                result[owner] = Some(Found {
                    block: index,
                    start,
                    end,
                });
            }
            done[id] = true;
            left -= 1;
            if left == 0 {
                return result;
            }
        }
    }
    result
}

/// Hedges allowed between a number and 万/亿 (`2500余万元`, `5万多名`).
const INNER_HEDGES: &[char] = &['余', '多'];

/// Every number stated in a (normalised) quote, in base units: `34.08万` →
/// 340800. A number is a maximal run of digits (so 500 never matches inside
/// 1500), with thousands separators and decimals, then optionally a hedge, then
/// optionally 万/亿/万亿, then optionally `%`.
pub fn numbers_in(quote: &str) -> Vec<Decimal> {
    let chars: Vec<char> = normalize(quote).chars;
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
        while j < chars.len() && INNER_HEDGES.contains(&chars[j]) {
            j += 1;
        }
        let multiplier = match (chars.get(j), chars.get(j + 1)) {
            (Some('万'), Some('亿')) => Some(WAN * YI),
            (Some('万'), _) => Some(WAN),
            (Some('亿'), _) => Some(YI),
            _ => None,
        };
        match multiplier {
            Some(m) => found.extend(number.checked_mul(m).map(|v| v.normalize())),
            None => found.push(number.normalize()),
        }
    }
    found
}

/// Whether the quote states `value`, both in base units: a figure of 2300 in 万元
/// is 23000000 元, which "2300万元" states; a figure of 5 in 人 is not stated by
/// "5万人" (the editor forgot the 万).
pub fn states(numbers: &[Decimal], value: Decimal) -> bool {
    numbers.iter().any(|n| n.normalize() == value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

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

    #[test]
    fn full_width_digits_normalise() {
        assert!(states(&numbers_in("培训１２万人"), d("120000")));
    }
}
