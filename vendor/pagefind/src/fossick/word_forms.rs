//! What each word of a page is indexed as, worked out once per word rather than once per
//! occurrence (hearth's patch, see PATCHED.md).
//!
//! A word's forms (normalised, stemmed, its compound parts and dotted tails) depend only on
//! the word as written, the page's language and the options: a page repeats its words, and
//! a site repeats its vocabulary from page to page. [`PageForms`] remembers them for one
//! page; [`WordForms`] for every page parsed with it, shared between threads.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use pagefind_stem::Stemmer;

use super::splitting::{
    get_dotted_tails, get_indexable_bigrams, get_indexable_words, IndexableWord,
};

/// What one word, as written on a page, is indexed as.
#[derive(Debug)]
pub(crate) struct Forms {
    /// As `get_indexable_words`, then its dotted tails, then (for a segmented language)
    /// its bigrams: in the order the page's map of words gets them.
    pub words: Vec<IndexableWord>,
    /// How many of `words` are compound parts.
    pub compound_count: usize,
}

impl Forms {
    fn of(
        word: &str,
        segmented: bool,
        stemmer: Option<&Stemmer>,
        include_characters: &[char],
    ) -> Forms {
        let mut words = get_indexable_words(word, stemmer, include_characters);
        let dotted_tails = get_dotted_tails(word, stemmer, include_characters, &words);
        words.extend(dotted_tails);
        if segmented {
            let bigrams = get_indexable_bigrams(word, stemmer, &words);
            words.extend(bigrams);
        }
        let compound_count = words.iter().filter(|w| w.is_compound_part).count();
        Forms {
            words,
            compound_count,
        }
    }
}

/// The forms of words in one language (one stemmer) with one set of extra characters.
#[derive(Debug)]
struct LanguageForms {
    hasher: DefaultHashBuilder,
    /// Sharded by the word's hash, so threads rarely wait for each other.
    shards: Box<[Mutex<HashTable<(Box<str>, bool, Arc<Forms>)>>]>,
}

const SHARDS: usize = 64;

impl LanguageForms {
    fn new() -> Self {
        Self {
            hasher: DefaultHashBuilder::default(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    fn hash(&self, word: &str, segmented: bool) -> u64 {
        self.hasher.hash_one((word, segmented))
    }

    fn get_or_insert(
        &self,
        word: &str,
        segmented: bool,
        make: impl FnOnce() -> Forms,
    ) -> Arc<Forms> {
        let hash = self.hash(word, segmented);
        let shard = &self.shards[(hash >> 58) as usize % SHARDS];
        let eq = |entry: &(Box<str>, bool, Arc<Forms>)| &*entry.0 == word && entry.1 == segmented;
        if let Some(entry) = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .find(hash, eq)
        {
            return Arc::clone(&entry.2);
        }
        // Worked out outside the lock; if another thread got there first, its forms are
        // the same and the first ones are kept.
        let forms = Arc::new(make());
        let mut table = shard.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = table
            .entry(hash, eq, |entry| self.hash(&entry.0, entry.1))
            .or_insert_with(|| (word.into(), segmented, forms));
        Arc::clone(&entry.get().2)
    }
}

/// The forms of every word met so far, shared by the pages of an index (whatever thread
/// parses them), so each distinct word is normalised and stemmed once per build.
#[derive(Debug, Default)]
pub struct WordForms {
    /// By language code before any `-` (which picks the stemmer) and extra characters.
    languages: Mutex<HashMap<(String, Vec<char>), Arc<LanguageForms>>>,
}

impl WordForms {
    fn language(&self, language: &str, include_characters: &[char]) -> Arc<LanguageForms> {
        let code = language.split('-').next().unwrap_or_default();
        let mut languages = self
            .languages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (code.to_string(), include_characters.to_vec());
        Arc::clone(
            languages
                .entry(key)
                .or_insert_with(|| Arc::new(LanguageForms::new())),
        )
    }
}

/// The forms of the words of one page: looked up in its own map first (no lock), then in
/// the shared [`WordForms`], worked out only when neither has them.
pub(crate) struct PageForms<'a> {
    stemmer: Option<&'a Stemmer>,
    include_characters: &'a [char],
    shared: Arc<LanguageForms>,
    /// By `segmented`, then by word.
    seen: [HashMap<Box<str>, Arc<Forms>>; 2],
}

impl<'a> PageForms<'a> {
    pub(crate) fn new(
        shared: &WordForms,
        language: &str,
        stemmer: Option<&'a Stemmer>,
        include_characters: &'a [char],
    ) -> Self {
        Self {
            stemmer,
            include_characters,
            shared: shared.language(language, include_characters),
            seen: Default::default(),
        }
    }

    /// The forms of `word` (with no zero-width spaces), as a page of a segmented language
    /// indexes it if `segmented`.
    pub(crate) fn get(&mut self, word: &str, segmented: bool) -> &Forms {
        let seen = &mut self.seen[usize::from(segmented)];
        // Two look-ups on a miss, to make a boxed key only for a new word.
        if !seen.contains_key(word) {
            let (stemmer, include_characters) = (self.stemmer, self.include_characters);
            let forms = self.shared.get_or_insert(word, segmented, || {
                Forms::of(word, segmented, stemmer, include_characters)
            });
            seen.insert(word.into(), forms);
        }
        &seen[word]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagefind_stem::Algorithm;

    #[test]
    fn shared_forms_are_those_of_the_word() {
        let stemmer = Stemmer::create(Algorithm::English);
        let shared = WordForms::default();
        for word in ["Running", "sysconfig.is_python_build", "café", "re-run", "Running"] {
            let expected = Forms::of(word, false, Some(&stemmer), &[]);
            let mut page = PageForms::new(&shared, "en-GB", Some(&stemmer), &[]);
            let forms = page.get(word, false);
            assert_eq!(forms.words, expected.words);
            assert_eq!(forms.compound_count, expected.compound_count);
        }
        // One language table for en and en-GB
        let _ = PageForms::new(&shared, "en", Some(&stemmer), &[]);
        assert_eq!(shared.languages.lock().unwrap().len(), 1);
    }
}
