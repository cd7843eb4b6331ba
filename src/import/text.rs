//! Plain text files: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
//! Chinese encoding (GBK/GB18030, Big5) guessed by chardetng. Editors' .txt files
//! often come from Windows Notepad in GBK; guessing is safer than refusing.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// Decodes `bytes` and names the encoding that was used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8.name());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // Chinese government files: prefer GB18030 (a superset of GBK) when the
    // guess is GBK, so rare characters outside GBK still decode.
    let mut encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if encoding == GBK {
        encoding = GB18030;
    }
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

/// One entry per line of the text, line endings removed.
pub fn lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded() {
        let sample =
            "对市政协八届二次会议第188号提案的答复\n全市开展企业职工技能培训评价11207人次。";
        let (bytes, _, _) = GBK.encode(sample);
        assert!(std::str::from_utf8(&bytes).is_err());
        let (text, name) = decode(&bytes);
        assert_eq!(text, sample);
        assert_eq!(name, "gb18030");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let (text, name) = decode("\u{feff}答复".as_bytes());
        assert_eq!(text, "答复");
        assert_eq!(name, "UTF-8");
    }
}
