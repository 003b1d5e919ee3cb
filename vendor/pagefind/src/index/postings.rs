//! A page's words packed as soon as the page is parsed (hearth's patch, see PATCHED.md).
//!
//! A parsed page used to keep a map from each word (a `String` per word per page) to its
//! positions (a 32-byte `FossickedWord` each) until the whole index was built. Here each
//! word is a `u32` id into one [`WordIds`] table shared by the index, and each page's
//! positions are one `Vec<i32>`, already in the weighted, delta-encoded form the index
//! chunks store, so a page costs a tenth of the memory and the index build only copies.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;

use hashbrown::HashMap;

use crate::fossick::{FossickedWord, MetaFossickedWord};

/// The `form` of a posting that holds a word as normalised (no diacritic variant).
const NORMALISED: u32 = u32::MAX;

/// Every word and diacritic form of an index, each stored once, by id.
#[derive(Debug, Default)]
pub struct WordIds {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl WordIds {
    fn id(&mut self, word: String) -> u32 {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("fewer than 2^32 distinct words");
        self.words.push(word.clone());
        self.ids.insert(word, id);
        id
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }
}

/// One word, or one diacritic form of it, on one page: where its positions are.
#[derive(Debug, Clone, Copy)]
struct Posting {
    word: u32,
    /// [`NORMALISED`], or the id of the form as written (`café` for `cafe`).
    form: u32,
    start: u32,
    end: u32,
}

impl Posting {
    fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A page's words and their positions, in the body and in the meta fields.
#[derive(Debug, Clone, Default)]
pub struct PagePostings {
    /// Sorted by word id; a word's normalised form first, then its variants by form.
    body: Vec<Posting>,
    /// The same for the meta fields (title, image alt…), into `meta_positions`.
    meta: Vec<Posting>,
    /// Body positions, weighted and delta-encoded per posting (`positions_to_locs`).
    locs: Vec<i32>,
    /// Meta positions as (field id, position): field ids are renumbered for the whole
    /// index at build time, before they are encoded.
    meta_positions: Vec<(u16, u32)>,
}

/// A word's body locations on one page, ready for the index; `form` is `None` for the
/// normalised word.
pub(crate) struct WordOnPage<'a> {
    pub form: Option<&'a str>,
    pub locs: &'a [i32],
}

impl PagePostings {
    /// Packs a page's words, interning them in `ids` (locked once for the page).
    pub(crate) fn pack(
        word_data: HashMap<String, Vec<FossickedWord>>,
        meta_word_data: HashMap<String, Vec<MetaFossickedWord>>,
        ids: &Mutex<WordIds>,
    ) -> PagePostings {
        // Positions are encoded before the lock is taken; the lock only maps strings to ids.
        let mut locs = Vec::new();
        let mut body = Vec::new();
        for (word, positions) in word_data {
            let mut normalised = Vec::new();
            let mut variants: BTreeMap<String, Vec<FossickedWord>> = BTreeMap::new();
            for mut position in positions {
                match position.original_word.take() {
                    None => normalised.push(position),
                    Some(form) => variants.entry(form).or_default().push(position),
                }
            }
            let mut push = |form: Option<String>, positions: Vec<FossickedWord>| {
                let start = locs.len() as u32;
                positions_to_locs(positions, &mut locs);
                body.push((word.clone(), form, start, locs.len() as u32));
            };
            if !normalised.is_empty() {
                push(None, normalised);
            }
            for (form, positions) in variants {
                push(Some(form), positions);
            }
        }
        let mut meta_positions = Vec::new();
        let mut meta = Vec::new();
        for (word, positions) in meta_word_data {
            let mut normalised = Vec::new();
            let mut variants: BTreeMap<String, Vec<(u16, u32)>> = BTreeMap::new();
            for position in positions {
                let at = (position.field_id, position.position);
                match position.original_word {
                    None => normalised.push(at),
                    Some(form) => variants.entry(form).or_default().push(at),
                }
            }
            let mut push = |form: Option<String>, positions: Vec<(u16, u32)>| {
                let start = meta_positions.len() as u32;
                meta_positions.extend(positions);
                meta.push((word.clone(), form, start, meta_positions.len() as u32));
            };
            if !normalised.is_empty() {
                push(None, normalised);
            }
            for (form, positions) in variants {
                push(Some(form), positions);
            }
        }

        let (body, meta) = {
            let mut ids = ids.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut intern = |postings: Vec<(String, Option<String>, u32, u32)>| {
                let mut interned: Vec<Posting> = postings
                    .into_iter()
                    .map(|(word, form, start, end)| Posting {
                        word: ids.id(word),
                        form: form.map_or(NORMALISED, |form| ids.id(form)),
                        start,
                        end,
                    })
                    .collect();
                // Stable: a word's postings stay normalised first, then forms in order.
                interned.sort_by_key(|p| p.word);
                interned.shrink_to_fit();
                interned
            };
            (intern(body), intern(meta))
        };
        locs.shrink_to_fit();
        meta_positions.shrink_to_fit();
        PagePostings {
            body,
            meta,
            locs,
            meta_positions,
        }
    }

    /// Calls `changed` with each word whose postings differ between this page and `other`
    /// (a word on one of them only, or with other forms or locations), as long as both
    /// number their meta fields alike; words on both with the same postings are skipped.
    pub(crate) fn changed_words(&self, other: &PagePostings, mut changed: impl FnMut(u32)) {
        Self::changed_in(&self.body, &other.body, &mut changed, |a, b| {
            self.locs[a.range()] == other.locs[b.range()]
        });
        Self::changed_in(&self.meta, &other.meta, &mut changed, |a, b| {
            self.meta_positions[a.range()] == other.meta_positions[b.range()]
        });
    }

    /// [`PagePostings::changed_words`] of one list of postings (sorted by word id).
    fn changed_in(
        a: &[Posting],
        b: &[Posting],
        changed: &mut impl FnMut(u32),
        same_positions: impl Fn(&Posting, &Posting) -> bool,
    ) {
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let word = a
                .get(i)
                .map_or(u32::MAX, |p| p.word)
                .min(b.get(j).map_or(u32::MAX, |p| p.word));
            let run_a = Self::run_of(a, i, word);
            let run_b = Self::run_of(b, j, word);
            let same = run_a.len() == run_b.len()
                && run_a
                    .iter()
                    .zip(run_b)
                    .all(|(x, y)| x.form == y.form && same_positions(x, y));
            if !same {
                changed(word);
            }
            i += run_a.len();
            j += run_b.len();
        }
    }

    /// The postings of `word` starting at `at` (none if another word is there).
    fn run_of(postings: &[Posting], at: usize, word: u32) -> &[Posting] {
        let from = &postings[at.min(postings.len())..];
        &from[..from.partition_point(|p| p.word == word)]
    }

    /// Whether the page's body has no words (such pages are left out of the index).
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// Each word on the page, in id order, with where its postings start.
    pub(crate) fn each_word(&self, page: u32, mut f: impl FnMut(u32, OnPage)) {
        let (mut b, mut m) = (0, 0);
        while b < self.body.len() || m < self.meta.len() {
            let body_word = self.body.get(b).map_or(u32::MAX, |p| p.word);
            let meta_word = self.meta.get(m).map_or(u32::MAX, |p| p.word);
            let word = body_word.min(meta_word);
            let on = OnPage {
                page,
                body: if body_word == word { b as u32 } else { NONE },
                meta: if meta_word == word { m as u32 } else { NONE },
            };
            while self.body.get(b).is_some_and(|p| p.word == word) {
                b += 1;
            }
            while self.meta.get(m).is_some_and(|p| p.word == word) {
                m += 1;
            }
            f(word, on);
        }
    }

    fn run(postings: &[Posting], at: u32) -> &[Posting] {
        if at == NONE {
            return &[];
        }
        let from = &postings[at as usize..];
        let word = from[0].word;
        &from[..from.partition_point(|p| p.word == word)]
    }

    /// The word's body locations on this page, normalised form first, then its variants.
    pub(crate) fn body_at<'a>(
        &'a self,
        on: OnPage,
        ids: &'a WordIds,
    ) -> impl Iterator<Item = WordOnPage<'a>> + 'a {
        Self::run(&self.body, on.body).iter().map(move |p| WordOnPage {
            form: (p.form != NORMALISED).then(|| ids.word(p.form)),
            locs: &self.locs[p.range()],
        })
    }

    /// The word's meta positions on this page as (form, [(field id, position)]).
    pub(crate) fn meta_at<'a>(
        &'a self,
        on: OnPage,
        ids: &'a WordIds,
    ) -> impl Iterator<Item = (Option<&'a str>, &'a [(u16, u32)])> + 'a {
        Self::run(&self.meta, on.meta).iter().map(move |p| {
            (
                (p.form != NORMALISED).then(|| ids.word(p.form)),
                &self.meta_positions[p.range()],
            )
        })
    }

    /// What the word's locations on this page add to the size of its index chunk, as
    /// `index::packed_size` counts a word put together; its variant forms are added to
    /// `forms` (each counts once per word, however many pages have it).
    pub(crate) fn size_at(&self, on: OnPage, forms: &mut Vec<u32>) -> usize {
        let body = Self::run(&self.body, on.body);
        let meta = Self::run(&self.meta, on.meta);
        let mut size = 0;
        for p in body.iter().chain(meta) {
            if p.form != NORMALISED && !forms.contains(&p.form) {
                forms.push(p.form);
            }
        }
        for p in body {
            size += p.range().len() + 1;
        }
        for p in meta {
            let positions = &self.meta_positions[p.range()];
            let mut fields: Vec<u16> = positions.iter().map(|&(field, _)| field).collect();
            fields.sort_unstable();
            fields.dedup();
            size += positions.len() + fields.len();
            if !body.iter().any(|b| b.form == p.form) {
                size += 1;
            }
        }
        size
    }
}

/// No posting (in [`OnPage`]).
const NONE: u32 = u32::MAX;

/// Where one word's postings start on one page, found once when the index is built so each
/// word is put together without searching every page for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OnPage {
    pub page: u32,
    body: u32,
    meta: u32,
}

/// Appends a word's positions on a page to `out` as the index stores them: sorted by weight
/// (the common weight 25 first) then position, deltas between positions, and a weight
/// change as a negative marker followed by an absolute position.
pub(crate) fn positions_to_locs(mut positions: Vec<FossickedWord>, out: &mut Vec<i32>) {
    positions.sort_by_cached_key(|p| (if p.weight == 25 { 0 } else { p.weight }, p.position));

    let mut current_weight = 25;
    let mut last_position = 0;
    for FossickedWord {
        position, weight, ..
    } in positions
    {
        if weight != current_weight {
            out.push(-(weight as i32) - 1);
            out.push(position as i32);
            last_position = position;
            current_weight = weight;
        } else {
            out.push((position - last_position) as i32);
            last_position = position;
        }
    }
}

/// Encodes meta positions with field id markers: a negative number switches field, positive
/// numbers are delta-encoded positions ([-1, 0, 5, -4, 2]: field 0 at 0 and 5, field 3 at 2).
pub(crate) fn meta_positions_to_locs(positions: &[(u16, u32)]) -> Vec<i32> {
    let mut positions = positions.to_vec();
    positions.sort_unstable();
    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);
    for (field_id, position) in positions {
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
