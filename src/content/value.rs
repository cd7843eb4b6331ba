//! Figure values as Chinese documents write them (`34.08万`, `2300万`, `8亿`,
//! `75%`, `12,000`, `2万-15万`) → exact decimals.
//!
//! Exact, because a reader who sees 34.08万 on a page and 340799.99999 in the CSV
//! stops trusting both. `rust_decimal` keeps every digit an editor can write.

use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

/// A parsed value: one number or a range, in the unit the editor wrote it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub low: Decimal,
    /// Upper end of a range (`2万-15万`).
    pub high: Option<Decimal>,
    /// Written with `%`.
    pub percent: bool,
    /// As the editor wrote it, for the "as written" column of open data.
    pub written: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ValueError {
    Negative,
    Unreadable,
}

pub const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
pub const YI: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);

pub fn parse(written: &str) -> Result<Value, ValueError> {
    let text: String = written.nfkc().filter(|c| !c.is_whitespace()).collect();
    if text.starts_with('-') {
        return Err(ValueError::Negative);
    }
    let parts: Vec<&str> = text.split(['-', '~', '至', '—', '–']).collect();
    let (low, high, percent) = match parts.as_slice() {
        [one] => {
            let (v, p) = number(one)?;
            (v, None, p)
        }
        [a, b] => {
            let (low, p1) = number(a)?;
            let (high, p2) = number(b)?;
            if high < low {
                return Err(ValueError::Unreadable);
            }
            (low, Some(high), p1 || p2)
        }
        _ => return Err(ValueError::Unreadable),
    };
    Ok(Value {
        low,
        high,
        percent,
        written: written.trim().to_owned(),
    })
}

/// One number: digits with optional thousands separators and decimals, then
/// optionally 万 or 亿 (or 万亿), then optionally `%`.
fn number(text: &str) -> Result<(Decimal, bool), ValueError> {
    let (text, percent) = match text.strip_suffix('%') {
        Some(t) => (t, true),
        None => (text, false),
    };
    let (digits, multiplier) = if let Some(t) = text.strip_suffix("万亿") {
        (t, WAN * YI)
    } else if let Some(t) = text.strip_suffix('万') {
        (t, WAN)
    } else if let Some(t) = text.strip_suffix('亿') {
        (t, YI)
    } else {
        (text, Decimal::ONE)
    };
    if percent && multiplier != Decimal::ONE {
        return Err(ValueError::Unreadable);
    }
    let plain = strip_thousands(digits).ok_or(ValueError::Unreadable)?;
    let value: Decimal = plain.parse().map_err(|_| ValueError::Unreadable)?;
    value
        .checked_mul(multiplier)
        .map(|v| (v.normalize(), percent))
        .ok_or(ValueError::Unreadable)
}

/// `12,000` → `12000`; rejects misplaced commas (`1,20`) and anything not a number.
pub(crate) fn strip_thousands(text: &str) -> Option<String> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if int.is_empty()
        || frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let valid = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1
            || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    if !valid {
        return None;
    }
    let mut plain = groups.concat();
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    Some(plain)
}

/// What a value as written says after its number: the words after its last
/// digit, 万, 亿, 余 or 多 (`15名` → `名`, `6500元以上` → `元以上`, `1万` and
/// `500余` → nothing).
pub fn after_number(written: &str) -> &str {
    match written
        .char_indices()
        .rfind(|&(_, c)| c.is_ascii_digit() || "万亿余多".contains(c))
    {
        Some((at, last)) => &written[at + last.len_utf8()..],
        None => written,
    }
}

/// How many base units one unit is: money converts (元, 万元, 亿元); every other
/// unit stands alone (人 and 人次 never mix).
pub fn unit_scale(unit: &str) -> (&str, Decimal) {
    match unit {
        "万元" => ("元", WAN),
        "亿元" => ("元", YI),
        _ => (unit, Decimal::ONE),
    }
}

/// Whether a figure written in `from` can be shown in its metric's `to`.
pub fn units_convert(from: &str, to: &str) -> bool {
    unit_scale(from).0 == unit_scale(to).0
}

/// Formats an exact number the way Chinese reports do: 万 and 亿 for large round
/// numbers, thousands separators otherwise (34.08万, 2300万, 5,538). A number
/// before 万 or 亿 has no separators: the unit already groups it (9516万, not
/// 9,516万).
pub fn format_chinese(value: Decimal) -> String {
    let value = value.normalize();
    let abs = value.abs();
    if abs >= YI && (abs / YI * Decimal::from(100)).fract().is_zero() {
        // No thousands separators inside 万/亿 numbers: 2300万, as documents write it.
        return format!("{}亿", (value / YI).normalize());
    }
    if abs >= WAN && (abs / WAN * Decimal::from(100)).fract().is_zero() {
        return format!("{}万", (value / WAN).normalize());
    }
    group_thousands(&value.to_string())
}

/// A number with its unit, Chinese style: a unit that starts with 万 or 亿
/// already groups the digits, so none are separated (2300万元, not 2,300万元).
pub fn format_with_unit(value: Decimal, unit: &str) -> String {
    let number = if unit.starts_with(['万', '亿']) {
        value.normalize().to_string()
    } else {
        format_chinese(value)
    };
    format!("{number}{unit}")
}

pub fn group_thousands(text: &str) -> String {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let mut result = format!("{sign}{out}");
    if let Some(f) = frac {
        result.push('.');
        result.push_str(f);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn what_follows_the_number() {
        assert_eq!(after_number("15名"), "名");
        assert_eq!(after_number("6500元以上"), "元以上");
        assert_eq!(after_number("500余家"), "家");
        assert_eq!(after_number("1万"), "");
        assert_eq!(after_number("500余"), "");
        assert_eq!(after_number("近"), "近");
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_every_written_form_exactly() {
        let cases = [
            ("34.08万", "340800"),
            ("1.1万", "11000"),
            ("2300万", "23000000"),
            ("8亿", "800000000"),
            ("12,000", "12000"),
            ("5538", "5538"),
            ("0.5", "0.5"),
            ("１２万", "120000"),
            ("1.5万亿", "1500000000000"),
        ];
        for (written, expected) in cases {
            let v = parse(written).unwrap();
            assert_eq!(v.low, d(expected), "{written}");
            assert_eq!(v.low.to_string(), expected, "{written} must be exact");
            assert_eq!(v.high, None);
        }
    }

    #[test]
    fn percent_forms() {
        for written in ["75%", "75％", "75"] {
            assert_eq!(parse(written).unwrap().low, d("75"), "{written}");
        }
        assert!(parse("75%").unwrap().percent);
        assert!(parse("28.38％").unwrap().percent);
    }

    #[test]
    fn ranges() {
        let v = parse("2万-15万").unwrap();
        assert_eq!((v.low, v.high), (d("20000"), Some(d("150000"))));
        assert_eq!(parse("3000~5000").unwrap().high, Some(d("5000")));
        assert_eq!(parse("15万-2万"), Err(ValueError::Unreadable));
    }

    #[test]
    fn rejects_negative_and_garbage() {
        assert_eq!(parse("-5"), Err(ValueError::Negative));
        for bad in [
            "", "约", "12,00", "1,2345", "3.", "五千", "1.2.3", "5万%", "万",
        ] {
            assert_eq!(parse(bad), Err(ValueError::Unreadable), "{bad:?}");
        }
    }

    #[test]
    fn money_converts_counts_do_not() {
        assert!(units_convert("万元", "元"));
        assert!(units_convert("亿元", "万元"));
        assert!(!units_convert("人", "人次"));
        assert!(units_convert("人", "人"));
    }

    #[test]
    fn formats_as_reports_do() {
        assert_eq!(format_chinese(d("340800")), "34.08万");
        assert_eq!(format_chinese(d("23000000")), "2300万");
        assert_eq!(format_chinese(d("95160000")), "9516万");
        assert_eq!(format_chinese(d("1234500000000")), "12345亿");
        assert_eq!(format_chinese(d("800000000")), "8亿");
        assert_eq!(format_chinese(d("5538")), "5,538");
        assert_eq!(format_with_unit(d("2300"), "万元"), "2300万元");
        assert_eq!(format_with_unit(d("5538"), "人"), "5,538人");
        assert_eq!(format_with_unit(d("23000000"), "元"), "2300万元");
        assert_eq!(format_chinese(d("11207")), "11,207");
        assert_eq!(format_chinese(d("75")), "75");
        assert_eq!(format_chinese(d("28.38")), "28.38");
    }
}
