use hashbrown::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::{
    fossick::{FossickedData, FossickedWord, MetaFossickedWord, Positions},
    index::index_metadata::MetaFilter,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{Locations, PackedPage, PackedVariant, PackedWord, WordIndex};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;

pub struct PagefindIndexes {
    pub word_indexes: HashMap<String, Vec<u8>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    pub fragments: Vec<(String, String)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData {
    full_hash: String,
    encoded_data: String,
    word_count: usize,
    page_number: usize,
}

#[derive(Debug)]
enum SortType {
    String,
    Number,
}

/// Results from processing a single page in parallel.
/// Contains the word map, filter entries, and encoded page data for one page.
struct PageProcessingResult {
    // skillpress: the page's words, split into `WORD_SHARDS` shards by word,
    // so the merge below runs a shard per core.
    word_map: Vec<Vec<(String, PageWord)>>,
    filter_entries: Vec<(String, String, usize)>, // (filter, value, page_number)
    encoded_page: IntermediaryPageData,
}

// skillpress: shards of the word map, merged on every core. Any number
// gives the same index: a word's pages all land in one shard, in page order.
const WORD_SHARDS: usize = 32;
// skillpress: a page keeps its words' shards as bytes.
const _: () = assert!(WORD_SHARDS <= 256);

// skillpress: which shard a word's entries go to (FNV-1a: fixed, cheap).
fn word_shard(word: &str) -> usize {
    let hash = word.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    (hash % WORD_SHARDS as u64) as usize
}

pub async fn build_indexes(
    mut pages: Vec<FossickedData>,
    language: String,
    options: &SearchOptions,
) -> Result<PagefindIndexes> {
    let mut meta = MetaIndex {
        version: options.version.into(),
        pages: Vec::new(),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: Vec::new(),
    };

    /*
        - Collect all sort keys
        - Sort `pages` by one of them and set `default_sort`
        - Do the main enumerate loop as an iter_mut and set page numbers
        - Later on, for each other sort key:
            - Sort the `pages` array and output the page numbers to `alternate_sorts`
    */

    let mut word_map: HashMap<String, PackedWord> = HashMap::new();
    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

    for (page_number, page) in pages.iter_mut().enumerate() {
        page.fragment.page_number = page_number;
    }

    // Get all possible sort keys
    let mut sorts: Vec<_> = pages
        .iter()
        .flat_map(|page| page.sort.keys().cloned())
        .collect();
    sorts.sort_unstable();
    sorts.dedup();

    // Determine the best sorting parser that fits all available values for each given key
    let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
    for sort in sorts.iter() {
        let mut sort_values = pages.iter().flat_map(|page| page.sort.get(sort));
        sort_types.insert(
            sort.clone(),
            if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some()) {
                SortType::Number
            } else {
                SortType::String
            },
        );
    }

    for (sort_key, sort_type) in sort_types {
        let mut page_values: Vec<_> = pages
            .iter()
            .flat_map(|page| {
                page.sort
                    .get(&sort_key)
                    .map(|v| (v, page.fragment.page_number))
            })
            .collect();
        options.logger.v_info(format!(
            "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
        ));
        match sort_type {
            SortType::String => page_values.sort_by_key(|p| p.0),
            SortType::Number => page_values.sort_by(|p1, p2| {
                let p1 = parse_int_sort(p1.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                let p2 = parse_int_sort(p2.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                p1.total_cmp(&p2)
            }),
        }
        meta.sorts.push(MetaSort {
            sort: sort_key,
            pages: page_values.into_iter().map(|p| p.1).collect(),
        });
    }

    let mut meta_fields_set: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter() {
        meta_fields_set.extend(page.fragment.data.meta.keys().cloned());
    }
    meta.meta_fields = meta_fields_set.into_iter().collect();

    // Clone meta_fields for use in parallel processing
    let meta_fields_ref = meta.meta_fields.clone();
    let language_ref = language.clone();

    // Process pages in parallel - each page builds its own word map
    let page_results: Vec<PageProcessingResult> = pages
        .into_par_iter()
        .map(|page| {
            // Meta field IDs were assigned per-page,
            // but need to be remapped to the global meta_fields order.
            let page_field_order: Vec<&String> = page.fragment.data.meta.keys().collect();
            let field_id_map: Vec<u16> = page_field_order
                .iter()
                .map(|name| meta_fields_ref.iter().position(|f| f == *name).unwrap() as u16)
                .collect();

            // skillpress: a page's meta words (few: its title and the like)
            // are grouped first, and each joins its content word below, as
            // Pagefind's per-page word map joined them.
            let mut meta_words: HashMap<String, MetaGroups> =
                HashMap::with_capacity(page.meta_word_data.len());
            for (word, meta_positions) in page.meta_word_data {
                let groups = meta_words.entry(word).or_default();
                for mut meta_fossicked in meta_positions {
                    meta_fossicked.field_id = field_id_map[meta_fossicked.field_id as usize];
                    if let Some(original) = meta_fossicked.original_word.clone() {
                        groups
                            .variants
                            .entry(original)
                            .or_default()
                            .push(meta_fossicked);
                    } else {
                        groups.normalized.push(meta_fossicked);
                    }
                }
            }

            // skillpress: each word goes straight into its shard's list, made
            // at its final size (a page's meta-only words, a few, may grow
            // it); the order of a page's words within a shard does not
            // matter, since the merge sorts each word's pages.
            let page_number = page.fragment.page_number;
            let shard_of: Vec<u8> = page
                .word_data
                .iter()
                .map(|(word, _)| word_shard(word) as u8)
                .collect();
            let mut sizes = [0usize; WORD_SHARDS];
            for &shard in &shard_of {
                sizes[usize::from(shard)] += 1;
            }
            let mut word_shards: Vec<Vec<(String, PageWord)>> =
                sizes.iter().map(|&size| Vec::with_capacity(size)).collect();
            for ((word, positions), shard) in page.word_data.into_iter().zip(shard_of) {
                let meta = if meta_words.is_empty() {
                    None
                } else {
                    meta_words.remove(&word)
                };
                let packed = page_word(page_number, positions, meta);
                word_shards[usize::from(shard)].push((word, packed));
            }
            for (word, meta) in meta_words {
                let packed = page_word(page_number, Positions::new(), Some(meta));
                word_shards[word_shard(&word)].push((word, packed));
            }

            // Collect filter entries for this page
            let filter_entries: Vec<(String, String, usize)> = page
                .fragment
                .data
                .filters
                .iter()
                .flat_map(|(filter, values)| {
                    values.iter().map(move |value| {
                        (filter.clone(), value.clone(), page.fragment.page_number)
                    })
                })
                .collect();

            // Compute encoded page data
            let encoded_data = serde_json::to_string(&page.fragment.data).unwrap();
            let encoded_page = IntermediaryPageData {
                full_hash: format!("{}_{}", language_ref, full_hash(encoded_data.as_bytes())),
                word_count: page.fragment.data.word_count,
                page_number: page.fragment.page_number,
                encoded_data,
            };

            PageProcessingResult {
                word_map: word_shards,
                filter_entries,
                encoded_page,
            }
        })
        .collect();

    // skillpress: the word maps are merged a shard at a time on every core
    // (they were merged on one core, the longest serial step of indexing);
    // a word's pages are sorted in its shard. Filters and fragment hashes
    // stay sequential, in page order.
    let mut shard_inputs: Vec<Vec<Vec<(String, PageWord)>>> = (0..WORD_SHARDS)
        .map(|_| Vec::with_capacity(page_results.len()))
        .collect();
    let mut page_rest = Vec::with_capacity(page_results.len());
    for result in page_results {
        for (shard, words) in result.word_map.into_iter().enumerate() {
            shard_inputs[shard].push(words);
        }
        page_rest.push((result.filter_entries, result.encoded_page));
    }
    let merged: Vec<HashMap<String, PackedWord>> = shard_inputs
        .into_par_iter()
        .map(|pages| {
            let mut shard_map: HashMap<String, PackedWord> = HashMap::new();
            for words in pages {
                for (word, page_word) in words {
                    let packed = match page_word {
                        // skillpress: the common case, one page of a word
                        // without variants, is added without a word list.
                        PageWord::Plain(page) => {
                            match shard_map.entry(word) {
                                hashbrown::hash_map::Entry::Occupied(mut entry) => {
                                    entry.get_mut().pages.push(page);
                                }
                                hashbrown::hash_map::Entry::Vacant(entry) => {
                                    let word = entry.key().clone();
                                    entry.insert(PackedWord {
                                        word,
                                        pages: vec![page],
                                        additional_variants: Vec::new(),
                                    });
                                }
                            }
                            continue;
                        }
                        PageWord::Varied(packed) => packed,
                    };
                    match shard_map.entry(word) {
                        hashbrown::hash_map::Entry::Occupied(mut entry) => {
                            let existing = entry.get_mut();
                            existing.pages.extend(packed.pages); // Move, not clone
                            for variant in packed.additional_variants {
                                if let Some(existing_variant) = existing
                                    .additional_variants
                                    .iter_mut()
                                    .find(|v| v.form == variant.form)
                                {
                                    existing_variant.pages.extend(variant.pages);
                                } else {
                                    existing.additional_variants.push(variant);
                                }
                            }
                        }
                        hashbrown::hash_map::Entry::Vacant(entry) => {
                            let word = entry.key().clone();
                            entry.insert(PackedWord { word, ..packed });
                        }
                    }
                }
            }
            // Sort pages within each word by page_number to maintain correct order after parallel processing
            for packed_word in shard_map.values_mut() {
                packed_word.pages.sort_by_key(|p| p.page_number);
                for variant in &mut packed_word.additional_variants {
                    variant.pages.sort_by_key(|p| p.page_number);
                }
            }
            shard_map
        })
        .collect();
    word_map.reserve(merged.iter().map(HashMap::len).sum());
    for shard_map in merged {
        word_map.extend(shard_map);
    }

    for (filter_entries, encoded_page) in page_rest {
        // Merge filter entries using or_default for cleaner code
        for (filter, value, page_number) in filter_entries {
            filter_map
                .entry(filter)
                .or_default()
                .entry(value)
                .or_default()
                .push(page_number);
        }

        // Handle fragment hashing (must be sequential due to collision handling)
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one until we stop colliding
        // TODO: There are some collision issues here.
        // If two builds match a collision in different orders the hashes will swap,
        // which could return incorrect data due to files being cached.
        while let Some(collision) = fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // These pages are identical. Add both under the same hash.
                fragments.push((
                    collision.word_count,
                    (collision.full_hash.clone(), collision.clone()),
                ));
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        fragment_hashes.insert(short_hash.to_string(), encoded_page);
    }

    fragments.extend(
        fragment_hashes
            .into_iter()
            .map(|(hash, frag)| (frag.word_count, (hash, frag))),
    );
    fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

    let page_count = fragments.len();
    let mut final_fragments = Vec::new();

    if let Some(max_fragments) = options
        .max_fragments
        .filter(|&m| m > 0 && (m as usize) < fragments.len())
    {
        let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
        options.logger.info(format!(
            "Bundling {} fragments into groups of {}, resulting in {} files",
            fragments.len(),
            group_size,
            fragments.chunks(group_size).len()
        ));
        let mut group_hashes: BTreeSet<String> = BTreeSet::new();
        for chunk in fragments.chunks(group_size) {
            let mut group_map = BTreeMap::new();
            for (_, (hash, frag)) in chunk {
                let val: serde_json::Value = serde_json::from_str(&frag.encoded_data).unwrap();
                group_map.insert(hash.clone(), val);
            }
            let group_json = serde_json::to_string(&group_map).unwrap();
            let prefix = format!("{language}_group_");
            let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

            // If we hit a collision, extend one hash until we stop colliding
            let mut hash_length = 7;
            let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
            while group_hashes.contains(short_group_hash) && hash_length < 40 {
                hash_length += 1;
                short_group_hash = &group_hash[..prefix.len() + hash_length];
            }
            group_hashes.insert(short_group_hash.to_string());

            final_fragments.push((short_group_hash.to_string(), group_json));

            for (word_count, (hash, _)) in chunk {
                meta.pages.push(MetaPage {
                    hash: hash.clone(),
                    word_count: *word_count as u32,
                    group_hash: short_group_hash.to_string(),
                });
            }
        }
    } else {
        for (word_count, (hash, frag)) in fragments {
            final_fragments.push((hash.clone(), frag.encoded_data));
            meta.pages.push(MetaPage {
                hash: hash.clone(),
                word_count: word_count as u32,
                group_hash: "".into(),
            });
        }
    }

    // Encode filter indexes in parallel
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
    filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
        .into_par_iter()
        .map(|(filter, values)| {
            let mut sorted_values: Vec<_> = values.into_iter().collect();
            sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            let mut filter_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                FilterIndex {
                    filter: filter.clone(),
                    values: sorted_values
                        .into_iter()
                        .map(|(value, pages)| PackedValue { value, pages })
                        .collect(),
                },
                filter_index.as_mut(),
            );
            let hash = format!("{}_{}", language, full_hash(&filter_index));
            (filter, filter_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut filter_indexes = HashMap::new();
    for (filter, filter_index, hash) in encoded_filters {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        // TODO: DRY
        while filter_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        filter_indexes.insert(short_hash.to_string(), filter_index);
        meta.filters.push(MetaFilter {
            filter,
            hash: short_hash.to_string(),
        })
    }

    if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
        options.logger.error(format!(
            "Language {} has too many documents to index, must be < {}",
            language,
            u32::MAX
        ));
        bail!(
            "Language {language} has too many documents to index, must be < {}",
            u32::MAX
        );
    }

    // TODO: Parameterize these chunk sizes via byte size rather than word count
    let word_count = word_map.len();
    let chunks = chunk_index(word_map, options.index_chunk_size);
    meta.index_chunks = chunk_meta(&chunks);

    // Encode word index chunks in parallel (delta encoding + CBOR serialization)
    let encoded_chunks: Vec<(usize, Vec<u8>, String)> = chunks
        .into_par_iter()
        .enumerate()
        .map(|(i, chunk)| {
            // Delta-encode page numbers within each word's page list
            let delta_chunk: Vec<PackedWord> = chunk
                .into_iter()
                .map(|mut word| {
                    let mut last_page: usize = 0;
                    for page in &mut word.pages {
                        let delta = page.page_number - last_page;
                        last_page = page.page_number;
                        page.page_number = delta;
                    }
                    // Also handle additional_variants
                    for variant in &mut word.additional_variants {
                        let mut last_page: usize = 0;
                        for page in &mut variant.pages {
                            let delta = page.page_number - last_page;
                            last_page = page.page_number;
                            page.page_number = delta;
                        }
                    }
                    word
                })
                .collect();

            // skillpress: encoded into a buffer each thread keeps, then
            // copied once at its final size; growing a new Vec byte by byte
            // was a tenth of indexing time (reallocations and their copies).
            thread_local! {
                static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            let word_index = BUFFER.with_borrow_mut(|buffer| {
                buffer.clear();
                let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                    WordIndex { words: delta_chunk },
                    buffer,
                );
                buffer.clone()
            });

            let hash = format!("{}_{}", language, full_hash(&word_index));
            (i, word_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
    for (i, word_index, hash) in encoded_chunks {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), word_index);
        meta.index_chunks[i].hash = short_hash.into();
    }

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok(PagefindIndexes {
        word_indexes,
        filter_indexes,
        sorts,
        meta_index: (meta_hash, meta_index),
        fragments: final_fragments,
        language,
        word_count,
        page_count,
    })
}

/// skillpress: one page's entry for one word, before the pages are merged.
enum PageWord {
    /// Nearly every word: one page, no diacritic variants. Kept without a
    /// word list of its own (and without a copy of the word) per page.
    Plain(PackedPage),
    /// A word with variants or meta positions on this page, as Pagefind's
    /// per-page map held it (its `word` is set when it is merged).
    Varied(PackedWord),
}

/// skillpress: a page's meta positions of one word, as Pagefind grouped them.
#[derive(Default)]
struct MetaGroups {
    normalized: Vec<MetaFossickedWord>,
    variants: BTreeMap<String, Vec<MetaFossickedWord>>,
}

/// skillpress: one page's entry for a word from its content `positions`
/// (maybe none) and its meta positions (maybe none), made as Pagefind's
/// per-page word map made it: content first, then meta locations joined to
/// the page or variant with the same form.
fn page_word(page_number: usize, positions: Positions, meta: Option<MetaGroups>) -> PageWord {
    if meta.is_none()
        && !positions.is_empty()
        && positions.iter().all(|p| p.original_word.is_none())
    {
        return PageWord::Plain(positions_to_packed_page(positions, page_number));
    }
    let mut packed = PackedWord {
        word: String::new(),
        pages: Vec::new(),
        additional_variants: Vec::new(),
    };
    // Group positions by original_word for this page
    let mut normalized_positions = Positions::new();
    let mut variant_positions: BTreeMap<String, Positions> = BTreeMap::new();
    for fossicked in positions {
        match fossicked.original_word.clone() {
            // No diacritics - original matches normalized form
            None => normalized_positions.push(fossicked),
            // Original form differs (has diacritics) - stored instead in additional_variants
            Some(original) => variant_positions
                .entry(original)
                .or_default()
                .push(fossicked),
        }
    }
    // One page's entry: at most one page for the word and one per variant
    // (the forms are the map's keys), each of them this page.
    if !normalized_positions.is_empty() {
        packed
            .pages
            .push(positions_to_packed_page(normalized_positions, page_number));
    }
    packed
        .additional_variants
        .extend(
            variant_positions
                .into_iter()
                .map(|(form, positions)| PackedVariant {
                    form,
                    pages: vec![positions_to_packed_page(positions, page_number)],
                }),
        );
    let Some(MetaGroups {
        normalized,
        variants,
    }) = meta
    else {
        return PageWord::Varied(packed);
    };
    // Meta locations join the page or variant of the same form, or come as
    // a page without content locations.
    let meta_page = |meta_locs| PackedPage {
        page_number,
        locs: Locations::new(),
        meta_locs,
    };
    if !normalized.is_empty() {
        let meta_locs = meta_positions_to_packed(normalized);
        match packed.pages.first_mut() {
            Some(page) => page.meta_locs = meta_locs,
            None => packed.pages.push(meta_page(meta_locs)),
        }
    }
    // Handle diacritic variants in meta
    for (form, positions) in variants {
        let meta_locs = meta_positions_to_packed(positions);
        match packed
            .additional_variants
            .iter_mut()
            .find(|v| v.form == form)
        {
            // The variant's one page, from the content.
            Some(variant) => variant.pages[0].meta_locs = meta_locs,
            None => packed.additional_variants.push(PackedVariant {
                form,
                pages: vec![meta_page(meta_locs)],
            }),
        }
    }
    PageWord::Varied(packed)
}

/// Convert fossicked word positions to a packed page representation.
/// Sorts by weight (with common weight 25 first) then by position for delta encoding.
fn positions_to_packed_page(mut positions: Positions, page_number: usize) -> PackedPage {
    // A page weight of 1 is encoded as 25. Since most words should be this weight,
    // we want to sort them to be first in the locations array to reduce filesize
    // when we inline weight changes.
    // We then sort by position within each weight group,
    // which helps us delta encode the index.
    // skillpress: the key is cheap to compute; `sort_by_cached_key` made a
    // list of keys for every word of every page. Both sorts are stable.
    positions.sort_by_key(|p| (if p.weight == 25 { 0 } else { p.weight }, p.position));

    let mut current_weight = 25;
    let mut weighted_positions = Locations::with_capacity(positions.len());
    let mut last_position = 0;

    // Calculate our output list of positions with weights.
    // This is a vec of page positions, with a change in weight for subsequent positions
    // denoted by a negative integer.
    for FossickedWord {
        position, weight, ..
    } in positions
    {
        if weight != current_weight {
            // Weight change: emit marker + absolute position, new delta base
            weighted_positions.push(-(weight as i32) - 1);
            weighted_positions.push(position as i32);
            last_position = position;
            current_weight = weight;
        } else {
            // emit delta from previous position
            weighted_positions.push((position - last_position) as i32);
            last_position = position;
        }
    }

    PackedPage {
        page_number,
        locs: weighted_positions,
        meta_locs: vec![],
    }
}

fn chunk_index(word_map: HashMap<String, PackedWord>, chunk_size: usize) -> Vec<Vec<PackedWord>> {
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut words = word_map
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<PackedWord>>();
    // skillpress: compares in place; `sort_by_key(|w| w.word.clone())`
    // allocated a copy of both words for every comparison. Words are the
    // map's keys, so unique, and an unstable sort gives the same order.
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));

    let mut index_chunks = Vec::new();

    let mut index_chunk = Vec::new();
    let mut index_chunk_size = 0;
    for word in words.into_iter() {
        index_chunk_size += word
            .pages
            .iter()
            .chain(word.additional_variants.iter().flat_map(|v| &v.pages))
            .map(|p| p.locs.len() + p.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len();
        index_chunk.push(word);
        if index_chunk_size >= chunk_size {
            // skillpress: moved, not cloned (the clone copied the whole index).
            index_chunks.push(std::mem::take(&mut index_chunk));
            index_chunk_size = 0;
        }
    }
    if !index_chunk.is_empty() {
        index_chunks.push(index_chunk);
    }

    index_chunks
}

fn chunk_meta(indexes: &[Vec<PackedWord>]) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = Vec::new();

    for chunk in indexes.iter() {
        named_chunks.push(MetaChunk {
            from: chunk.first().map_or("".into(), |w| w.word.clone()),
            to: chunk.last().map_or("".into(), |w| w.word.clone()),
            hash: "".into(),
        });
    }
    if named_chunks.len() > 1 {
        for i in 0..named_chunks.len() - 1 {
            let chunks = &mut named_chunks[i..=i + 1];
            let prefixes = get_prefixes((&chunks[0].to, &chunks[1].from));
            // Only trim 'to' if it won't create an invalid range (to < from)
            if prefixes.0 >= chunks[0].from {
                chunks[0].to = prefixes.0;
            }
            // Always trim the next chunk's 'from'
            chunks[1].from = prefixes.1;
        }
    }

    named_chunks
}

fn get_prefixes((a, b): (&str, &str)) -> (String, String) {
    let common_prefix_length: usize = b
        .chars()
        .zip(a.chars())
        .take_while(|&(a, b)| a == b)
        .count();

    let a_prefix = a.chars().take(common_prefix_length + 1).collect::<String>();
    let b_prefix = b.chars().take(common_prefix_length + 1).collect::<String>();

    (a_prefix, b_prefix)
}

fn parse_int_sort(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float_sort(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Encode meta positions with field ID markers.
/// Negative numbers switch field IDs, positive numbers are delta-encoded positions.
/// e.g., [-1, 0, 5, -4, 2] means: field 0 positions [0, 5], field 3 positions [2]
fn meta_positions_to_packed(mut positions: Vec<MetaFossickedWord>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }

    positions.sort_by_key(|p| (p.field_id, p.position));

    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);

    for MetaFossickedWord {
        field_id, position, ..
    } in positions
    {
        if Some(field_id) != current_field {
            result.push(-((field_id as i32) + 1));
            current_field = Some(field_id);
            last_position = 0;
        }
        result.push((position - last_position) as i32);
        last_position = position;
    }

    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// skillpress: `page_word` joins a page's content and meta positions of a
    /// word as Pagefind's per-page word map joined them.
    #[test]
    fn a_page_word_joins_content_and_meta_as_pagefind_did() {
        let at = |position, original: Option<&str>| FossickedWord {
            position,
            weight: 25,
            original_word: original.map(Into::into),
        };
        let meta_at = |field_id, position, original: Option<&str>| MetaFossickedWord {
            field_id,
            position,
            original_word: original.map(Into::into),
        };
        let page = |locs: &[i32], meta_locs: Vec<i32>| PackedPage {
            page_number: 7,
            locs: locs.iter().copied().collect(),
            meta_locs,
        };
        let shown = |word: PageWord| match word {
            PageWord::Plain(page) => format!("plain {page:?}"),
            PageWord::Varied(word) => format!("varied {word:?}"),
        };
        // Nearly every word: one page, its locations as deltas.
        assert_eq!(
            shown(page_word(
                7,
                smallvec::smallvec![at(3, None), at(10, None)],
                None
            )),
            shown(PageWord::Plain(page(&[3, 7], vec![])))
        );
        // A variant in the content; meta positions on the plain form, on
        // that variant and on a variant only the meta has.
        let meta = MetaGroups {
            normalized: vec![meta_at(0, 1, None)],
            variants: BTreeMap::from([
                ("café".into(), vec![meta_at(1, 2, Some("café"))]),
                ("cafè".into(), vec![meta_at(0, 4, Some("cafè"))]),
            ]),
        };
        let expected = PackedWord {
            word: String::new(),
            pages: vec![page(&[3], vec![-1, 1])],
            additional_variants: vec![
                PackedVariant {
                    form: "café".into(),
                    pages: vec![page(&[5], vec![-2, 2])],
                },
                PackedVariant {
                    form: "cafè".into(),
                    pages: vec![page(&[], vec![-1, 4])],
                },
            ],
        };
        assert_eq!(
            shown(page_word(
                7,
                smallvec::smallvec![at(3, None), at(5, Some("café"))],
                Some(meta)
            )),
            shown(PageWord::Varied(expected))
        );
        // Only in the meta: a page without locations.
        let meta = MetaGroups {
            normalized: vec![meta_at(2, 0, None)],
            ..Default::default()
        };
        let expected = PackedWord {
            word: String::new(),
            pages: vec![page(&[], vec![-3, 0])],
            additional_variants: vec![],
        };
        assert_eq!(
            shown(page_word(7, Positions::new(), Some(meta))),
            shown(PageWord::Varied(expected))
        );
    }

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    impl Mock for HashMap<String, PackedWord> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            let page = PackedPage {
                page_number,
                locs: locs.into(),
                meta_locs: vec![],
            };
            match self.get_mut(word) {
                Some(w) => w.pages.push(page),
                None => {
                    let _ = self.insert(
                        word.into(),
                        PackedWord {
                            word: word.into(),
                            pages: vec![page],
                            additional_variants: vec![],
                        },
                    );
                }
            }
        }
    }

    fn test_words() -> HashMap<String, PackedWord> {
        let mut words = HashMap::new();
        words.word("apple", 1, vec![20, 40, 60]);
        words.word("apple", 5, vec![3, 6, 9]);
        words.word("apricot", 5, vec![45, 3432, 6003]);
        words.word("banana", 5, vec![100, 500, 900, 566]);
        words.word("peach", 5, vec![383, 2, 678]);

        words
    }

    /// The same postings, but held as diacritic variants rather than on the word itself
    fn test_variant_words() -> HashMap<String, PackedWord> {
        let mut words = test_words();
        for word in words.values_mut() {
            word.additional_variants.push(PackedVariant {
                form: format!("{}\u{0301}", word.word),
                pages: std::mem::take(&mut word.pages),
            });
        }
        words
    }

    #[test]
    fn build_index_chunks() {
        let chunks = chunk_index(test_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_index_chunks_from_variant_words() {
        let chunks = chunk_index(test_variant_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_chunk_meta() {
        let chunks = chunk_index(test_words(), 8);
        let meta = chunk_meta(&chunks);
        assert_eq!(meta.len(), 3);
        assert_eq!(
            meta[0],
            MetaChunk {
                from: "apple".into(),
                to: "apple".into(), // Not trimmed to "app" since that would make to < from
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[1],
            MetaChunk {
                from: "apr".into(),
                to: "b".into(),
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[2],
            MetaChunk {
                from: "p".into(),
                to: "peach".into(),
                hash: "".into(),
            }
        );
    }

    #[test]
    fn common_prefix() {
        assert_eq!(
            get_prefixes(("apple", "apricot")),
            ("app".into(), "apr".into())
        );
        assert_eq!(
            get_prefixes(("cataraman", "yacht")),
            ("c".into(), "y".into())
        );
        assert_eq!(
            get_prefixes(("cath", "cathartic")),
            ("cath".into(), "catha".into())
        );
        // This should be an invalid state, but just in case:
        assert_eq!(
            get_prefixes(("catha", "cath")),
            ("catha".into(), "cath".into())
        );
    }
}
