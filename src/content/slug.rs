//! Slugs: the file stem is the URL segment, `^[a-z0-9]+(-[a-z0-9]+)*$`.
//! Pinyin is only ever a *suggestion*: automatic readings of Henan place names
//! are often wrong (长垣 is changyuan, not zhangyuan), so an editor confirms it.

use pinyin::ToPinyin;

pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A valid slug close to what the editor wrote: letters lower-cased, other
/// separators turned into `-`, Chinese characters into toneless pinyin.
pub fn suggest(stem: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut last_was_han = false;
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            if last_was_han && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
            last_was_han = false;
        } else if let Some(p) = c.to_pinyin() {
            if !last_was_han && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push_str(p.plain());
            last_was_han = true;
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
            last_was_han = false;
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let slug = words.join("-");
    if slug.is_empty() {
        "new-page".to_owned()
    } else {
        slug
    }
}

/// A slug for a Chinese name, without the level word that slugs leave out by
/// convention (南阳市 → nanyang, 卢氏县 → lushi; 叶县 keeps it: yexian).
pub fn suggest_for_name(name: &str) -> String {
    let name = name.trim();
    let stem = ["自治县", "自治州", "地区", "省", "市", "县", "区"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .filter(|stem| stem.chars().count() >= 2)
        .unwrap_or(name);
    suggest(stem)
}

pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| c.to_pinyin().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_slugs() {
        for good in ["nanyang", "wankang-hugong", "henan-2025-plan", "a1"] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "", "Nanyang", "nan_yang", "-a", "a-", "a--b", "南阳", "nan yang",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn names_lose_their_level_word() {
        assert_eq!(suggest_for_name("卢氏县"), "lushi");
        assert_eq!(suggest_for_name("南阳市"), "nanyang");
        assert_eq!(suggest_for_name("叶县"), "yexian");
    }

    #[test]
    fn suggests_pinyin_and_cleans_ascii() {
        assert_eq!(suggest("南阳"), "nanyang");
        assert_eq!(suggest("Nan_Yang"), "nan-yang");
        assert_eq!(suggest("2025年工作方案"), "2025-niangongzuofangan");
        assert!(is_valid(&suggest("宛康护工")));
        assert_eq!(suggest("《通知》"), "tongzhi", "punctuation is dropped");
        assert_eq!(
            suggest("！？"),
            "new-page",
            "nothing usable gives a placeholder"
        );
    }
}
