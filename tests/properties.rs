//! Property tests for the three hand-written parsers editors' text goes through:
//! the front-matter splitter, the value parser and the quote matcher. None may
//! panic on any input, and each keeps its round trip.

use proptest::prelude::*;
use rust_decimal::Decimal;

use skillpress::content::frontmatter::{self, SplitError};
use skillpress::content::value::{self, format_chinese};
use skillpress::model::citation::{find_quote, normalize, numbers_in, states};

/// Text made of the pieces that matter to these parsers, in any order.
fn pieces(parts: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(parts), 0..max).prop_map(|v| v.concat())
}

const FRONT_MATTER_PARTS: &[&str] = &[
    "---",
    "--- ",
    "-",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "title: 甲",
    "a: 1",
    "正文",
    "\u{feff}",
    "…",
    "#",
    "：",
    "\u{0}",
];

const VALUE_PARTS: &[&str] = &[
    "0", "1", "2", "5", "9", ".", ",", "万", "亿", "%", "％", "-", "~", "至", "—", "–", " ", "１",
    "约", "余", "e", "+", "\u{3000}", "٣",
];

const BODY_PARTS: &[&str] = &[
    "培训", "技能", "34.08", "万人", "，", "。", "％", "%", "＋", "+", " ", "\n", "　", "㎏", "ﬁ",
    "\u{0301}", "e", "Å", "2300", "亿元", "“", "”", "(", "（",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn splitter_never_panics_and_offsets_hold(text in pieces(FRONT_MATTER_PARTS, 40)) {
        match frontmatter::split(&text) {
            Ok(split) => {
                prop_assert_eq!(&text[split.yaml_offset..split.yaml_offset + split.yaml.len()], split.yaml);
                prop_assert_eq!(&text[split.body_offset..], split.body);
                prop_assert!(split.yaml_offset <= split.body_offset);
            }
            Err(SplitError::Unclosed { opening_end }) => prop_assert!(opening_end <= text.len()),
            Err(SplitError::Missing) => {}
        }
    }

    #[test]
    fn splitter_never_panics_on_any_text(text in any::<String>()) {
        let _ = frontmatter::split(&text);
    }

    #[test]
    fn splitter_returns_what_was_joined(
        yaml in pieces(&["title: 甲", "a: 1", " ", "：", "-", "正文"], 12),
        body in pieces(FRONT_MATTER_PARTS, 20),
        yaml_lines in 0usize..4,
        crlf in any::<bool>(),
    ) {
        // YAML lines that are not fences, then a fence, then any body.
        let nl = if crlf { "\r\n" } else { "\n" };
        let yaml: String = (0..yaml_lines).map(|i| format!("k{i}{yaml}{nl}")).collect();
        let text = format!("---{nl}{yaml}---{nl}{body}");
        let split = frontmatter::split(&text).unwrap();
        prop_assert_eq!(split.yaml, yaml.as_str());
        prop_assert_eq!(split.body, body.as_str());
    }

    #[test]
    fn value_parser_never_panics(text in pieces(VALUE_PARTS, 30)) {
        let _ = value::parse(&text);
    }

    #[test]
    fn value_parser_never_panics_on_any_text(text in any::<String>()) {
        let _ = value::parse(&text);
    }

    #[test]
    fn a_number_in_every_equivalent_form_is_the_same_value(
        units in 0u64..1_000_000_000_000,
        cents in 0u32..100,
    ) {
        let exact = Decimal::from(units) + Decimal::new(i64::from(cents), 2);
        let plain = exact.normalize().to_string();
        let mut forms = vec![
            plain.clone(),
            value::group_thousands(&plain),
            format_chinese(exact),
            // Full-width digits, as a Chinese IME types them.
            plain.chars().map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                other => other,
            }).collect(),
            format!(" {plain} "),
        ];
        if (exact / Decimal::from(10_000)).scale() <= 6 {
            forms.push(format!("{}万", (exact / Decimal::from(10_000)).normalize()));
        }
        for form in &forms {
            let parsed = value::parse(form);
            prop_assert!(parsed.is_ok(), "{form:?} did not parse");
            prop_assert_eq!(parsed.unwrap().low, exact.normalize(), "{:?}", form);
            // The same number written in a quote is recognised as stated.
            let numbers = numbers_in(&format!("全年完成培训{form}人次"));
            prop_assert!(states(&numbers, exact), "{form:?} not stated by the quote: {numbers:?}");
        }
    }

    #[test]
    fn quote_matcher_never_panics(
        blocks in prop::collection::vec(any::<String>(), 0..4),
        quote in any::<String>(),
    ) {
        let normalized: Vec<_> = blocks.iter().map(|b| normalize(b)).collect();
        let _ = find_quote(&normalized, &quote);
        let _ = numbers_in(&quote);
    }

    #[test]
    fn a_quote_taken_from_a_body_is_found(
        blocks in prop::collection::vec(pieces(BODY_PARTS, 30), 1..4),
        which in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
        len in 1usize..20,
    ) {
        let block = which.get(&blocks);
        let chars: Vec<char> = block.chars().collect();
        prop_assume!(!chars.is_empty());
        let start = from.index(chars.len());
        let end = (start + len).min(chars.len());
        let quote: String = chars[start..end].iter().collect();
        let needle = normalize(&quote).chars;
        prop_assume!(!needle.is_empty());
        let normalized: Vec<_> = blocks.iter().map(|b| normalize(b)).collect();
        let found = find_quote(&normalized, &quote);
        prop_assert!(found.is_some(), "{quote:?} not found in {blocks:?}");
        let found = found.unwrap();
        // What is highlighted contains the quote (a character NFKC expands may be cut).
        let original: String = blocks[found.block]
            .chars()
            .skip(found.start)
            .take(found.end - found.start)
            .collect();
        let marked = normalize(&original).chars;
        prop_assert!(
            marked.windows(needle.len()).any(|w| w == needle.as_slice()),
            "{original:?} does not contain {quote:?}"
        );
    }
}
