//! The index made in batches finds what Pagefind's one-page-at-a-time path finds (issue #21):
//! a 500-page site, 50 queries of words sampled from its pages, the same pages for each.
//!
//! Both indexes are decoded from their files (gzipped CBOR word chunks, the page list in
//! `pf_meta`, JSON fragments) and searched the way Pagefind's search does it: each query
//! word lowercased, its diacritics folded and stemmed, every word but the last matched
//! whole, the last as a prefix, and the pages holding all of them found.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use ciborium::Value;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pagefind_stem::{Algorithm, Stemmer};

use super::{SearchPage, build_index, prepare_html};

const WORDS: &[&str] = &[
    "calm",
    "connect",
    "connecting",
    "connection",
    "partner",
    "partners",
    "listen",
    "listening",
    "repair",
    "repairs",
    "argument",
    "arguments",
    "trust",
    "trusting",
    "sleep",
    "anxiety",
    "anxious",
    "worry",
    "worried",
    "breathe",
    "breathing",
    "rest",
    "kindness",
    "boundary",
    "boundaries",
    "grief",
    "grieving",
    "parent",
    "parenting",
    "child",
    "children",
    "school",
    "teacher",
    "routine",
    "routines",
    "morning",
    "evening",
    "walk",
    "walking",
    "journal",
    "journaling",
    "feeling",
    "feelings",
    "name",
    "naming",
    "anger",
    "angry",
    "shame",
    "gentle",
    "gently",
    "promise",
    "reconnect",
    "together",
    "apart",
    "distance",
    "closeness",
    "habit",
    "habits",
    "change",
    "changing",
    "support",
    "friend",
    "friends",
    "family",
    "families",
    "holiday",
    "holidays",
    "café",
    "niño",
    "naïve",
    "résumé",
    "therapy",
    "therapist",
    "session",
    "sessions",
    "question",
    "questions",
    "answer",
    "honest",
    "honesty",
    "patience",
    "patient",
    "practice",
    "practicing",
];

/// A deterministic pseudo-random sequence (a linear congruential generator).
struct Sequence(u64);

impl Sequence {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn words(&mut self, n: usize) -> Vec<&'static str> {
        (0..n).map(|_| WORDS[self.below(WORDS.len())]).collect()
    }
}

/// Page `i` of the site: (url, its words, its HTML as the theme renders an article).
fn page(i: usize, seq: &mut Sequence) -> (String, Vec<&'static str>, String) {
    let url = format!("/articles/page-{i}/");
    let mut words = seq.words(3);
    let title = words.join(" ");
    let mut body = String::new();
    for h in 0..1 + seq.below(4) {
        let n = 2 + seq.below(3);
        let heading = seq.words(n);
        let n = 20 + seq.below(60);
        let paragraph = seq.words(n);
        let id = format!("h-{h}");
        body.push_str(&format!(
            "<h2 id=\"{id}\">{} <a class=\"anchor\" href=\"#{id}\" data-pagefind-ignore><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a></h2>\n<p>{}.</p>\n",
            heading.join(" "),
            paragraph.join(" ")
        ));
        words.extend(heading);
        words.extend(paragraph);
    }
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><title>{title} | Practice</title></head>\n<body>\n\
         <nav><a href=\"/\">Home</a></nav>\n<main id=\"main\" tabindex=\"-1\">\n<h1>{title}</h1>\n{body}</main>\n\
         <footer>Footer</footer>\n</body>\n</html>\n"
    );
    (url, words, html)
}

/// Pagefind's index of `pages` as it was made before issue #21: one `add_html_file` a page.
fn one_page_at_a_time(pages: &[SearchPage<'_>]) -> Vec<(PathBuf, Vec<u8>)> {
    let config = PagefindServiceConfig::builder()
        .exclude_selectors(super::headings::not_the_heading_text())
        .force_language("en".into())
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut index = PagefindIndex::new(Some(config)).unwrap();
        for page in pages {
            let html = prepare_html(page).unwrap();
            index
                .add_html_file(None, Some(page.url.to_string()), html)
                .await
                .unwrap();
        }
        index
            .get_files()
            .await
            .unwrap()
            .into_iter()
            .map(|f| {
                (
                    PathBuf::from(super::SEARCH_DIR).join(f.filename),
                    f.contents,
                )
            })
            .collect()
    })
}

/// An index read back from its files.
struct Decoded {
    /// Each indexed word (stemmed) → the URLs of the pages holding it.
    words: BTreeMap<String, BTreeSet<String>>,
    /// Each page's fragment, by URL.
    fragments: BTreeMap<String, serde_json::Value>,
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out.strip_prefix(b"pagefind_dcd")
        .expect("signature")
        .to_vec()
}

fn array(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).expect("a CBOR array")
}

fn integer(value: &Value) -> usize {
    usize::try_from(i128::from(value.as_integer().expect("a CBOR integer"))).unwrap()
}

fn text(value: &Value) -> &str {
    value.as_text().expect("a CBOR text")
}

fn decode(files: &[(PathBuf, Vec<u8>)]) -> Decoded {
    let of = |ext: &'static str| {
        files
            .iter()
            .filter(move |(p, _)| p.extension().is_some_and(|e| e == ext))
    };
    let cbor = |bytes: &[u8]| -> Value { ciborium::from_reader(gunzip(bytes).as_slice()).unwrap() };

    let mut fragments = BTreeMap::new();
    let mut url_of_hash = BTreeMap::new();
    for (path, bytes) in of("pf_fragment") {
        let json: serde_json::Value = serde_json::from_slice(&gunzip(bytes)).unwrap();
        let url = json["url"].as_str().unwrap().to_string();
        let hash = path.file_stem().unwrap().to_str().unwrap().to_string();
        url_of_hash.insert(hash, url.clone());
        fragments.insert(url, json);
    }
    let (_, meta) = of("pf_meta").next().expect("pf_meta");
    let meta = cbor(meta);
    // MetaIndex [version, pages [[hash, word_count, group_hash]], …]
    let page_urls: Vec<String> = array(&array(&meta)[1])
        .iter()
        .map(|page| url_of_hash[text(&array(page)[0])].clone())
        .collect();

    let mut words: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, bytes) in of("pf_index") {
        // WordIndex [[word, pages [[page delta, locs, meta_locs]], variants [[form, pages]]]]
        for word in array(&array(&cbor(bytes))[0]) {
            let word = array(word);
            let mut pages = vec![array(&word[1])];
            pages.extend(array(&word[2]).iter().map(|v| array(&array(v)[1])));
            let found = words.entry(text(&word[0]).to_string()).or_default();
            for list in pages {
                let mut number = 0;
                for page in list {
                    number += integer(&array(page)[0]);
                    found.insert(page_urls[number].clone());
                }
            }
        }
    }
    Decoded { words, fragments }
}

/// The pages Pagefind's search finds for `query` in `index`.
fn search(index: &Decoded, stemmer: &Stemmer, query: &[&str]) -> BTreeSet<String> {
    let mut found: Option<BTreeSet<String>> = None;
    for (i, word) in query.iter().enumerate() {
        // Diacritics are folded before stemming ("café" is indexed as "cafe"), for the
        // letters this test's words use.
        let word: String = word
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'é' => 'e',
                'ñ' => 'n',
                'ï' => 'i',
                c => c,
            })
            .collect();
        let stem = stemmer.stem(&word).into_owned();
        let last = i + 1 == query.len();
        let pages: BTreeSet<String> = index
            .words
            .range(stem.clone()..)
            .take_while(|(w, _)| {
                if last {
                    w.starts_with(&stem)
                } else {
                    **w == stem
                }
            })
            .flat_map(|(_, pages)| pages.iter().cloned())
            .collect();
        found = Some(match found {
            Some(before) => before.intersection(&pages).cloned().collect(),
            None => pages,
        });
    }
    found.unwrap_or_default()
}

/// The sample pages as the indexer is given them, each an article.
fn search_pages<'a>(site: &'a [(String, Vec<&str>, String)]) -> Vec<SearchPage<'a>> {
    site.iter()
        .map(|(url, _, html)| SearchPage {
            url,
            html,
            filters: vec![("kind", vec!["Article".into()])],
        })
        .collect()
}

#[test]
fn batches_find_the_same_pages_as_one_page_at_a_time() {
    let mut seq = Sequence(21);
    let site: Vec<(String, Vec<&str>, String)> = (0..500).map(|i| page(i, &mut seq)).collect();
    let pages = search_pages(&site);

    let batched = decode(&build_index(&pages, "en", &Default::default()).unwrap());
    let before = decode(&one_page_at_a_time(&pages));
    assert_eq!(batched.fragments.len(), 500);
    assert_eq!(batched.fragments, before.fragments);

    let stemmer = Stemmer::create(Algorithm::English);
    for _ in 0..50 {
        let (url, words, _) = &site[seq.below(site.len())];
        let n = 1 + seq.below(3);
        let query: Vec<&str> = (0..n).map(|_| words[seq.below(words.len())]).collect();
        let found = search(&batched, &stemmer, &query);
        assert!(found.contains(url), "{query:?} does not find {url}");
        assert_eq!(found, search(&before, &stemmer, &query), "{query:?}");
    }
}

/// The index of the 500 pages is, file for file, the one hearth made before Pagefind
/// packed each page's words as it parsed it (commit ab05abd): Pagefind names each file by
/// a hash of its uncompressed content, and the `pf_meta` file holds the hash of every word
/// chunk and every page's fragment, in page order.
#[test]
fn packed_words_make_the_files_the_maps_made() {
    let mut seq = Sequence(21);
    let site: Vec<(String, Vec<&str>, String)> = (0..500).map(|i| page(i, &mut seq)).collect();
    let pages = search_pages(&site);
    let files = build_index(&pages, "en", &Default::default()).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|(path, _)| path.display().to_string())
        .filter(|name| {
            name.ends_with(".pf_index")
                || name.ends_with(".pf_filter")
                || name.ends_with(".pf_meta")
        })
        .collect();
    let before = [
        "pagefind/filter/en_fc6fda1.pf_filter",
        "pagefind/index/en_08daf70.pf_index",
        "pagefind/index/en_3993238.pf_index",
        "pagefind/index/en_3cc1dbb.pf_index",
        "pagefind/index/en_6c807de.pf_index",
        "pagefind/index/en_9cc746d.pf_index",
        "pagefind/index/en_d0876cc.pf_index",
        "pagefind/pagefind.en_5071f49fac.pf_meta",
    ];
    assert_eq!(names, before);
    let fragments = files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "pf_fragment"))
        .count();
    assert_eq!(fragments, 500);
}
