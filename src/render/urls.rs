//! Every URL of the site, in one place. Links are written from the domain root
//! with the path of `base_url` in front (`/skills/regions/nanyang/`), so the same
//! output works at a domain root or under a sub-path; output paths are the same
//! without the prefix (`regions/nanyang/index.html`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::model::{Brand, Document, Metric, Program, Region};

#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/skills/`.
    pub base_path: String,
    /// `https://example.org/skills/`.
    pub base_url: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        let mut base_path = base_path.to_owned();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Urls {
            base_path,
            base_url: base_url.to_owned(),
        }
    }

    /// A path from the site root (`regions/`) as a link.
    pub fn path(&self, from_root: &str) -> String {
        format!("{}{}", self.base_path, from_root.trim_start_matches('/'))
    }

    /// An absolute URL, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, from_root: &str) -> String {
        format!("{}{}", self.base_url, from_root.trim_start_matches('/'))
    }

    pub fn region(&self, r: &Region) -> String {
        self.entity("regions", &r.slug)
    }
    pub fn program(&self, p: &Program) -> String {
        self.entity("programs", &p.slug)
    }
    pub fn brand(&self, b: &Brand) -> String {
        self.entity("brands", &b.slug)
    }
    pub fn document(&self, d: &Document) -> String {
        self.entity("documents", &d.slug)
    }
    pub fn metric(&self, m: &Metric) -> String {
        self.entity("metrics", &m.id)
    }

    /// `path("{folder}/{slug}/")` in one allocation: entity links are made
    /// for every row of every table (~80,000 on a 1,000-document national
    /// site), and two `format!`s each were ~0.9 % of its build.
    fn entity(&self, folder: &str, slug: &str) -> String {
        [self.base_path.as_str(), folder, "/", slug, "/"].concat()
    }
    /// Topic folders are the topic text itself (DESIGN.md); the link is percent-encoded.
    pub fn topic(&self, topic: &str) -> String {
        self.path(&format!("topics/{}/", encode_segment(topic)))
    }
}

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`)
/// is percent-encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path segment (UTF-8 bytes outside the unreserved set).
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// Inverse of [`encode_segment`] for whole paths (used by the link checker).
pub fn decode_path(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_sub_path() {
        let urls = Urls::new("https://example.org/skills/", "/skills/");
        assert_eq!(urls.path("/regions/"), "/skills/regions/");
        assert_eq!(
            urls.absolute("feed.xml"),
            "https://example.org/skills/feed.xml"
        );
    }

    /// An entity's link is the path of its folder, at a domain root and
    /// under a sub-path alike.
    #[test]
    fn entity_links_are_paths_of_their_folders() {
        for urls in [
            Urls::new("https://example.org/", "/"),
            Urls::new("https://example.org/skills/", "/skills"),
        ] {
            for (folder, slug) in [("regions", "nanyang"), ("documents", "henan-2025-plan")] {
                assert_eq!(
                    urls.entity(folder, slug),
                    urls.path(&format!("{folder}/{slug}/"))
                );
            }
        }
        let urls = Urls::new("https://example.org/skills/", "/skills/");
        assert_eq!(urls.entity("metrics", "peixun"), "/skills/metrics/peixun/");
    }

    #[test]
    fn topics_round_trip() {
        let encoded = encode_segment("企业职工培训");
        assert!(encoded.is_ascii());
        assert_eq!(decode_path(&encoded), "企业职工培训");
        assert_eq!(encode_segment("a b/c~d.e_f-g%"), "a%20b%2Fc~d.e_f-g%25");
        assert_eq!(decode_path("/x/%E4%BC%81%2"), "/x/企%2");
    }
}
