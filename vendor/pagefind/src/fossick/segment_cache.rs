//! skillpress: where ICU4X splits a run of text into words, remembered per
//! thread for short runs.
//!
//! Segmenting is a dictionary walk per character and the largest part of
//! reading a Chinese page. The short runs of a site repeat across its pages
//! (table headings, units, region and metric names, labels), and a run's
//! words depend only on the run, so each distinct short run is segmented
//! once per thread. Long runs (prose) rarely repeat and are not kept.

use std::cell::RefCell;

use hashbrown::HashMap;
use smallvec::SmallVec;

/// Byte offsets where a run's words end (the last is the run's length).
pub type Ends = SmallVec<[u32; 8]>;

/// Runs longer than this (in bytes) are segmented each time.
const MAX_RUN: usize = 256;

/// Runs remembered per thread before the cache starts over, so a site of
/// many distinct runs (numbers, names) holds a bounded amount: about 2 MB
/// per thread. Four times as many found 0.15 % more on a national corpus.
const MAX_RUNS: usize = 1 << 14;

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, Ends>> = RefCell::new(HashMap::new());
}

/// Where `run`'s words end, as `segment` gives them; from this thread's cache when `run` is short and seen before.
pub fn ends(run: &str, segment: impl FnOnce(&str) -> Ends) -> Ends {
    if run.len() > MAX_RUN {
        return segment(run);
    }
    CACHE.with_borrow_mut(|cache| {
        if let Some(ends) = cache.get(run) {
            return ends.clone();
        }
        if cache.len() >= MAX_RUNS {
            cache.clear();
        }
        let ends = segment(run);
        cache.insert(run.into(), ends.clone());
        ends
    })
}

#[cfg(test)]
mod tests {
    /// The words of `run` as ICU4X gives them, with no cache.
    fn uncached(run: &str) -> Vec<&str> {
        super::super::segment_words_icu(run).collect()
    }

    #[test]
    fn a_run_splits_the_same_whether_remembered_or_not() {
        let long = "深化产教融合，推行企业新型学徒制，".repeat(20);
        assert!(long.len() > super::MAX_RUN);
        let runs = [
            "职业技能培训",
            "职业技能培训补贴",
            "职业技能",
            "河南省2023年",
            "วิกิพีเดีย",
            "人次（万）",
            "price.",
            long.as_str(),
        ];
        // Each run twice, interleaved with the others: the second reading
        // comes from the cache for short runs, and must not be another
        // run's words.
        for _ in 0..2 {
            for run in runs {
                let words: Vec<&str> = super::super::segment_words(run).collect();
                assert_eq!(words, uncached(run), "{run}");
                assert!(words.len() > 1, "{run}: {words:?}");
            }
        }
    }

    #[test]
    fn a_full_cache_starts_over_and_still_answers() {
        for n in 0..super::MAX_RUNS + 10 {
            let run = format!("第{n}期培训");
            let words: Vec<&str> = super::super::segment_words(&run).collect();
            if n % 4099 == 0 || n > super::MAX_RUNS {
                assert_eq!(words, uncached(&run), "{run}");
            }
        }
        super::CACHE.with_borrow(|cache| assert!(cache.len() <= super::MAX_RUNS));
    }
}
