//! skillpress: the words a word is indexed as, worked out once per thread
//! rather than at every occurrence.
//!
//! What a word indexes as (its normalised and stemmed form, compound parts,
//! dotted tails and, in a segmented language, the pairs of its clusters)
//! depends only on the word, the page's language and the characters the
//! options keep. Text repeats its words: on a Chinese site most occurrences
//! are of words already seen, and working their forms out again was most of
//! reading a page after segmenting it.

use std::cell::RefCell;

use hashbrown::HashMap;
use pagefind_stem::Stemmer;

use super::splitting::{
    get_dotted_tails, get_indexable_bigrams, get_indexable_words, IndexableWord,
};

/// Words remembered per thread before the cache starts over, so that a site
/// of many distinct words (numbers, names) holds a bounded amount: at about
/// 250 bytes a word, some 16 MB per thread.
const MAX_WORDS: usize = 1 << 16;

#[derive(Default)]
pub struct WordForms {
    /// What the cached forms were worked out for: a page in another language
    /// or with other kept characters starts the cache over.
    language: String,
    include_characters: Vec<char>,
    /// By word, for words read as they are and for segmented ones (which
    /// also index their pairs).
    whole: HashMap<String, Vec<IndexableWord>>,
    segmented: HashMap<String, Vec<IndexableWord>>,
}

thread_local! {
    static CACHE: RefCell<WordForms> = RefCell::new(WordForms::default());
}

impl WordForms {
    /// This thread's cache, ready for a page in `language`; give it back
    /// with [`WordForms::put_back`].
    pub fn take(language: &str, include_characters: &[char]) -> WordForms {
        let mut forms = CACHE.take();
        if forms.language != language || forms.include_characters != include_characters {
            forms = WordForms {
                language: language.to_owned(),
                include_characters: include_characters.to_vec(),
                ..WordForms::default()
            };
        }
        forms
    }

    pub fn put_back(self) {
        CACHE.set(self);
    }

    /// The words `word` is indexed as, in the order Pagefind adds them:
    /// [`get_indexable_words`], then [`get_dotted_tails`], then (when
    /// `segmented`) [`get_indexable_bigrams`].
    pub fn of(
        &mut self,
        word: &str,
        segmented: bool,
        stemmer: Option<&Stemmer>,
    ) -> &[IndexableWord] {
        if self.whole.len() + self.segmented.len() >= MAX_WORDS {
            self.whole.clear();
            self.segmented.clear();
        }
        let include_characters = &self.include_characters;
        let cache = if segmented {
            &mut self.segmented
        } else {
            &mut self.whole
        };
        cache.entry_ref(word).or_insert_with(|| {
            let mut forms = get_indexable_words(word, stemmer, include_characters);
            let tails = get_dotted_tails(word, stemmer, include_characters, &forms);
            forms.extend(tails);
            if segmented {
                let bigrams = get_indexable_bigrams(word, stemmer, &forms);
                forms.extend(bigrams);
            }
            forms
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fossick::get_stemmer;

    fn uncached(word: &str, segmented: bool, stemmer: Option<&Stemmer>) -> Vec<IndexableWord> {
        let mut forms = get_indexable_words(word, stemmer, &[]);
        forms.extend(get_dotted_tails(word, stemmer, &[], &forms));
        if segmented {
            let bigrams = get_indexable_bigrams(word, stemmer, &forms);
            forms.extend(bigrams);
        }
        forms
    }

    // A word's forms are the same from the cache, the first time and again,
    // segmented or not, and a page in another language starts it over.
    #[test]
    fn cached_forms_are_the_forms() {
        let words = [
            "职业技能",
            "技能",
            "培训后就业率",
            "2023年",
            "Report",
            "sysconfig.is_python_build",
            "COVID-19",
            "，",
            "“豫菜师傅”",
            "naïve",
            "テレビゲーム",
        ];
        let english = get_stemmer("en");
        for (language, stemmer) in [("zh-cn", None), ("en", english.as_ref())] {
            let mut cache = WordForms::take(language, &[]);
            for round in 0..2 {
                for word in words {
                    for segmented in [false, true] {
                        assert_eq!(
                            cache.of(word, segmented, stemmer),
                            uncached(word, segmented, stemmer).as_slice(),
                            "{language} {word} segmented={segmented} round {round}"
                        );
                    }
                }
            }
            cache.put_back();
        }
        let cache = WordForms::take("zh-cn", &[]);
        assert!(
            cache.whole.is_empty(),
            "English forms are not reused for Chinese"
        );
        cache.put_back();
    }
}
