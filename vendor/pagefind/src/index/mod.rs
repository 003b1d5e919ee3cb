use hashbrown::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::{
    index::index_metadata::MetaFilter,
    output::gzip,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{PackedPage, PackedVariant, PackedWord, WordIndex};
use kept::{BuiltChunk, KeptPage, LanguageBuild, PreviousChunks};
use postings::{meta_positions_to_locs, OnPage, WordIds};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;
pub(crate) mod kept;
pub(crate) mod postings;

pub struct PagefindIndexes {
    /// Word index chunks, gzipped (shared with the build kept for the next one).
    pub word_indexes: HashMap<String, Arc<Vec<u8>>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    /// Fragments, gzipped (each page's made when it was parsed, see `kept.rs`).
    pub fragments: Vec<(String, Arc<Vec<u8>>)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData<'a> {
    full_hash: String,
    page: &'a KeptPage,
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
struct PageProcessingResult<'a> {
    field_id_map: Vec<u16>,
    filter_entries: Vec<(String, String, usize)>, // (filter, value, page_number)
    encoded_page: IntermediaryPageData<'a>,
}

/// Builds one language's index from its pages, whose words were packed and fragments made
/// when they were parsed (`FossickedData::pack_words`, interned in `ids`; `KeptPage`). A
/// page's number is its place in `pages`. `previous` is what the last build of this
/// language left (see `kept.rs`): its word index chunks whose words did not change are
/// reused rather than encoded and gzipped again. Returns what this build leaves for the
/// next.
pub fn build_indexes(
    pages: Vec<&Arc<KeptPage>>,
    language: String,
    options: &SearchOptions,
    ids: &WordIds,
    previous: Option<&LanguageBuild>,
) -> Result<(PagefindIndexes, LanguageBuild)> {
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

    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

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
            .enumerate()
            .flat_map(|(page_number, page)| page.sort.get(&sort_key).map(|v| (v, page_number)))
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

    // Each page's words were packed when it was parsed (`postings.rs`); what is left per
    // page is its filters, its fragment and how its meta field ids map to the index's.
    let meta_fields_ref = &meta.meta_fields;
    let language_ref = language.clone();
    let page_results: Vec<PageProcessingResult> = pages
        .par_iter()
        .enumerate()
        .map(|(page_number, page)| {
            // Meta field IDs were assigned per-page,
            // but need to be remapped to the global meta_fields order.
            let field_id_map: Vec<u16> = page
                .fragment
                .data
                .meta
                .keys()
                .map(|name| meta_fields_ref.iter().position(|f| f == name).unwrap() as u16)
                .collect();

            let filter_entries: Vec<(String, String, usize)> = page
                .fragment
                .data
                .filters
                .iter()
                .flat_map(|(filter, values)| {
                    values
                        .iter()
                        .map(move |value| (filter.clone(), value.clone(), page_number))
                })
                .collect();

            let encoded_page = IntermediaryPageData {
                full_hash: format!("{}_{}", language_ref, page.fragment_hash),
                word_count: page.fragment.data.word_count,
                page_number,
                page,
            };

            PageProcessingResult {
                field_id_map,
                filter_entries,
                encoded_page,
            }
        })
        .collect();

    // The pages each word is on, in page order.
    let mut pages_of_word: Vec<WordPages> = Vec::new();
    pages_of_word.resize_with(ids.len(), WordPages::default);
    for (page_number, page) in pages.iter().enumerate() {
        page.postings.each_word(page_number as u32, |word, on| {
            let entry = &mut pages_of_word[word as usize];
            entry.size += page.postings.size_at(on, &mut entry.forms);
            entry.on_pages.push(on);
        });
    }
    let mut field_id_maps = Vec::with_capacity(page_results.len());

    // Merge results sequentially
    for result in page_results {
        field_id_maps.push(result.field_id_map);

        for (filter, value, page_number) in result.filter_entries {
            filter_map
                .entry(filter)
                .or_default()
                .entry(value)
                .or_default()
                .push(page_number);
        }

        // Handle fragment hashing (must be sequential due to collision handling)
        let encoded_page = result.encoded_page;
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

    if let Some(max_fragments) =
        options.max_fragments.filter(|&m| m > 0 && (m as usize) < fragments.len())
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
                let val: serde_json::Value =
                    serde_json::from_str(&frag.page.fragment_json()).unwrap();
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

            final_fragments.push((
                short_group_hash.to_string(),
                Arc::new(gzip(vec![group_json.as_bytes()])),
            ));

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
            final_fragments.push((hash.clone(), Arc::clone(&frag.page.fragment_file)));
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
    // Words are sorted and split into chunks by their size; each chunk's words are put
    // together from the pages' postings only when that chunk is encoded, so the whole
    // inverted index is never held at once.
    let mut words: Vec<(&str, u32, WordPages)> = pages_of_word
        .into_iter()
        .zip(0..)
        .filter(|(pages, _)| !pages.on_pages.is_empty())
        .map(|(pages, id)| (ids.word(id), id, pages))
        .collect();
    let word_count = words.len();
    words.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let word_of = |(_, id, on): &(&str, u32, WordPages)| {
        packed_word(*id, &on.on_pages, &pages, &field_id_maps, ids)
    };
    let sizes: Vec<usize> = words
        .iter()
        .map(|(_, _, on)| on.size + on.forms.len())
        .collect();
    let bounds = chunk_bounds(&sizes, options.index_chunk_size);
    meta.index_chunks = chunk_meta(
        bounds
            .iter()
            .map(|r| (words[r.start].0, words[r.end - 1].0)),
    );

    // Encode word index chunks in parallel (delta encoding + CBOR serialization), and
    // gzip them; a chunk of the previous build whose words are the same and did not change
    // is taken as it is, and one that encodes to the same bytes keeps its gzipped file.
    let previous = previous
        .map(|build| PreviousChunks::new(build, &pages, &meta.meta_fields, ids.len()));
    let encoded = std::sync::atomic::AtomicUsize::new(0);
    let gzipped = std::sync::atomic::AtomicUsize::new(0);
    let built_chunks: Vec<BuiltChunk> = bounds
        .into_par_iter()
        .map(|range| {
            let chunk_words: Vec<u32> = words[range.clone()].iter().map(|w| w.1).collect();
            if let Some(chunk) = previous.as_ref().and_then(|p| p.unchanged(&chunk_words)) {
                return BuiltChunk {
                    words: chunk_words,
                    hash: chunk.hash.clone(),
                    file: Arc::clone(&chunk.file),
                };
            }
            encoded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let chunk = words[range].iter().map(word_of);
            // Delta-encode page numbers within each word's page list
            let delta_chunk: Vec<PackedWord> = chunk
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

            let mut word_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                WordIndex { words: delta_chunk },
                word_index.as_mut(),
            );

            let hash = format!("{}_{}", language, full_hash(&word_index));
            let file = match previous.as_ref().and_then(|p| p.file_of(&hash)) {
                Some(file) => Arc::clone(file),
                None => {
                    gzipped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Arc::new(gzip(vec![&word_index]))
                }
            };
            BuiltChunk {
                words: chunk_words,
                hash,
                file,
            }
        })
        .collect();
    drop(previous);

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Arc<Vec<u8>>> = HashMap::new();
    for (i, chunk) in built_chunks.iter().enumerate() {
        let hash = &chunk.hash;
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), Arc::clone(&chunk.file));
        meta.index_chunks[i].hash = short_hash.into();
    }
    let next_build = LanguageBuild {
        pages: pages.iter().map(|&page| Arc::clone(page)).collect(),
        meta_fields: meta.meta_fields.clone(),
        chunks: built_chunks,
        encoded: encoded.into_inner(),
        gzipped: gzipped.into_inner(),
    };
    options.logger.v_info(format!(
        "Language {language}: {} of {} word index chunks encoded, {} gzipped",
        next_build.encoded,
        next_build.chunks.len(),
        next_build.gzipped
    ));

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok((
        PagefindIndexes {
            word_indexes,
            filter_indexes,
            sorts,
            meta_index: (meta_hash, meta_index),
            fragments: final_fragments,
            language,
            word_count,
            page_count,
        },
        next_build,
    ))
}

/// One word as the index stores it, put together from the pages it is on: on each page its
/// normalised form's locations, then its diacritic variants' (body, then meta fields), in
/// the order the pages were given, as Pagefind's per-page word maps merged them.
/// The pages a word is on, and what it weighs in the word index (as `packed_size` counts).
#[derive(Default)]
struct WordPages {
    on_pages: Vec<OnPage>,
    size: usize,
    forms: Vec<u32>,
}

fn packed_word(
    id: u32,
    on_pages: &[OnPage],
    pages: &[&Arc<KeptPage>],
    field_id_maps: &[Vec<u16>],
    ids: &WordIds,
) -> PackedWord {
    let mut word = PackedWord {
        word: ids.word(id).to_string(),
        pages: Vec::new(),
        additional_variants: Vec::new(),
    };
    fn variant<'a>(word: &'a mut PackedWord, form: &str) -> &'a mut PackedVariant {
        match word.additional_variants.iter().position(|v| v.form == form) {
            Some(i) => &mut word.additional_variants[i],
            None => {
                word.additional_variants.push(PackedVariant {
                    form: form.to_string(),
                    pages: Vec::new(),
                });
                word.additional_variants.last_mut().unwrap()
            }
        }
    }
    fn set_meta(pages: &mut Vec<PackedPage>, page_number: usize, meta_locs: Vec<i32>) {
        match pages.last_mut() {
            Some(page) if page.page_number == page_number => page.meta_locs = meta_locs,
            _ => pages.push(PackedPage {
                page_number,
                locs: vec![],
                meta_locs,
            }),
        }
    }
    for &on in on_pages {
        let page_number = on.page as usize;
        let postings = &pages[page_number].postings;
        for on_page in postings.body_at(on, ids) {
            let packed = PackedPage {
                page_number,
                locs: on_page.locs.to_vec(),
                meta_locs: vec![],
            };
            match on_page.form {
                None => word.pages.push(packed),
                Some(form) => variant(&mut word, form).pages.push(packed),
            }
        }
        for (form, positions) in postings.meta_at(on, ids) {
            let field_id_map = &field_id_maps[page_number];
            let renumbered: Vec<(u16, u32)> = positions
                .iter()
                .map(|&(field, position)| (field_id_map[field as usize], position))
                .collect();
            let meta_locs = meta_positions_to_locs(&renumbered);
            match form {
                None => set_meta(&mut word.pages, page_number, meta_locs),
                Some(form) => set_meta(&mut variant(&mut word, form).pages, page_number, meta_locs),
            }
        }
    }
    word
}

/// How much a word weighs in a chunk of the word index.
#[cfg(test)]
fn packed_size(word: &PackedWord) -> usize {
    word.pages
        .iter()
        .chain(word.additional_variants.iter().flat_map(|v| &v.pages))
        .map(|p| p.locs.len() + p.meta_locs.len() + 1)
        .sum::<usize>()
        + word.additional_variants.len()
}

/// Splits words (sorted, of the given sizes) into chunks of at least `chunk_size`, the
/// last one possibly smaller.
fn chunk_bounds(sizes: &[usize], chunk_size: usize) -> Vec<std::ops::Range<usize>> {
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, word_size) in sizes.iter().enumerate() {
        size += word_size;
        if size >= chunk_size {
            bounds.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < sizes.len() {
        bounds.push(start..sizes.len());
    }
    bounds
}

#[cfg(test)]
fn chunk_index(word_map: HashMap<String, PackedWord>, chunk_size: usize) -> Vec<Vec<PackedWord>> {
    let mut words = word_map.into_values().collect::<Vec<PackedWord>>();
    words.sort_by(|a, b| a.word.cmp(&b.word));
    let sizes: Vec<usize> = words.iter().map(packed_size).collect();
    chunk_bounds(&sizes, chunk_size)
        .into_iter()
        .map(|range| words[range].to_vec())
        .collect()
}

/// Each chunk's range of words, from its (first, last) words, trimmed to the prefixes
/// that tell neighbouring chunks apart.
fn chunk_meta<'a>(first_and_last: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = first_and_last
        .map(|(from, to)| MetaChunk {
            from: from.into(),
            to: to.into(),
            hash: "".into(),
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    impl Mock for HashMap<String, PackedWord> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            let page = PackedPage {
                page_number,
                locs,
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
        let meta = chunk_meta(chunks.iter().map(|c| {
            (
                c.first().unwrap().word.as_str(),
                c.last().unwrap().word.as_str(),
            )
        }));
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
