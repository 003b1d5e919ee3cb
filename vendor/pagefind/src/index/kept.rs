//! What an index keeps of a page once it is parsed, and of a build for the next one
//! (hearth's patch, see PATCHED.md).
//!
//! A page's fragment file is made as soon as the page is parsed ([`KeptPage::finish`]):
//! its JSON, the hash that names it and its gzipped bytes, so a build only collects the
//! fragments, and an index kept between builds (a dev server) makes again only the
//! fragments of the pages it parsed again. A build keeps its word index chunks
//! ([`LanguageBuild`]), so the next build of the same index encodes and gzips again only
//! the chunks whose words changed.

use std::io::Read;
use std::ops::Deref;
use std::sync::Arc;

use hashbrown::HashMap;

use crate::fossick::FossickedData;
use crate::output::gzip;
use crate::utils::full_hash;

/// A page parsed and packed (`FossickedData::pack_words`), with its fragment file made.
/// It reads as the parsed page, whose fragment text (`content`, `anchors`) is let go: the
/// file holds it.
#[derive(Debug)]
pub struct KeptPage {
    page: FossickedData,
    /// The SHA-1 of the fragment's JSON, as Pagefind names the file (without the
    /// `{language}_` prefix, which is the language the page is indexed under).
    pub(crate) fragment_hash: String,
    /// The fragment file: `pagefind_dcd` and the JSON, gzipped.
    pub(crate) fragment_file: Arc<Vec<u8>>,
}

impl KeptPage {
    /// Makes the page's fragment file as the index build made it.
    pub(crate) fn finish(mut page: FossickedData) -> KeptPage {
        let json = serde_json::to_string(&page.fragment.data).expect("a fragment is JSON");
        let fragment_hash = full_hash(json.as_bytes());
        let fragment_file = Arc::new(gzip(vec![json.as_bytes()]));
        page.fragment.data.content = String::new();
        page.fragment.data.anchors = Vec::new();
        KeptPage {
            page,
            fragment_hash,
            fragment_file,
        }
    }

    /// The fragment's JSON, for the rare index that bundles fragments in groups.
    pub(crate) fn fragment_json(&self) -> String {
        let mut out = String::new();
        flate2::read::GzDecoder::new(self.fragment_file.as_slice())
            .read_to_string(&mut out)
            .expect("a fragment this index gzipped");
        out.split_off("pagefind_dcd".len())
    }
}

impl Deref for KeptPage {
    type Target = FossickedData;

    fn deref(&self) -> &FossickedData {
        &self.page
    }
}

/// Gzipped bytes handed over without a copy when nothing else holds them.
pub(crate) fn unshare(bytes: Arc<Vec<u8>>) -> Vec<u8> {
    Arc::try_unwrap(bytes).unwrap_or_else(|shared| shared.as_ref().clone())
}

/// What one language's build leaves for the next build of the same index.
#[derive(Default)]
pub(crate) struct LanguageBuild {
    /// The pages, in their order (a page's number is its place here).
    pub pages: Vec<Arc<KeptPage>>,
    /// The index's meta fields, in order: a page's meta field ids are renumbered by them.
    pub meta_fields: Vec<String>,
    /// The word index chunks, in order.
    pub chunks: Vec<BuiltChunk>,
    /// How many of the chunks this build encoded, and how many of those it gzipped (the
    /// others were the previous build's).
    pub encoded: usize,
    pub gzipped: usize,
}

/// One chunk of the word index as built.
pub(crate) struct BuiltChunk {
    /// The ids of its words, in order.
    pub words: Vec<u32>,
    /// `{language}_{SHA-1 of the encoded chunk}`, the name before it is shortened.
    pub hash: String,
    /// The file: `pagefind_dcd` and the encoded chunk, gzipped.
    pub file: Arc<Vec<u8>>,
}

/// The previous build's chunks, found by their first word and by their hash.
pub(crate) struct PreviousChunks<'a> {
    build: &'a LanguageBuild,
    /// Words whose postings may differ from the previous build's: where the page at a
    /// number is not the same page, the words whose postings differ between the two. `None`
    /// when nothing can be reused without encoding it (the meta fields changed).
    changed_words: Option<Vec<bool>>,
    by_first_word: HashMap<u32, usize>,
    by_hash: HashMap<&'a str, usize>,
}

impl<'a> PreviousChunks<'a> {
    pub fn new(
        build: &'a LanguageBuild,
        pages: &[&Arc<KeptPage>],
        meta_fields: &[String],
        word_count: usize,
    ) -> PreviousChunks<'a> {
        let changed_words = (build.meta_fields == meta_fields).then(|| {
            let mut changed = vec![false; word_count];
            for i in 0..pages.len().max(build.pages.len()) {
                let (before, now) = (build.pages.get(i), pages.get(i).copied());
                match (before, now) {
                    (Some(before), Some(now)) if Arc::ptr_eq(before, now) => {}
                    // Meta field ids are the page's own, renumbered by its fields' names.
                    (Some(before), Some(now))
                        if before
                            .fragment
                            .data
                            .meta
                            .keys()
                            .eq(now.fragment.data.meta.keys()) =>
                    {
                        let mark = |word: u32| changed[word as usize] = true;
                        before.postings.changed_words(&now.postings, mark);
                    }
                    _ => {
                        for page in before.into_iter().chain(now) {
                            page.postings
                                .each_word(0, |word, _| changed[word as usize] = true);
                        }
                    }
                }
            }
            changed
        });
        PreviousChunks {
            build,
            changed_words,
            by_first_word: build
                .chunks
                .iter()
                .enumerate()
                .filter_map(|(i, chunk)| Some((*chunk.words.first()?, i)))
                .collect(),
            by_hash: build
                .chunks
                .iter()
                .enumerate()
                .map(|(i, chunk)| (chunk.hash.as_str(), i))
                .collect(),
        }
    }

    /// The previous build's chunk of exactly these words, if none of them changed: its
    /// bytes are those the chunk would encode to now.
    pub fn unchanged(&self, words: &[u32]) -> Option<&'a BuiltChunk> {
        let changed = self.changed_words.as_ref()?;
        let chunk = &self.build.chunks[*self.by_first_word.get(words.first()?)?];
        (chunk.words == words && words.iter().all(|&w| !changed[w as usize])).then_some(chunk)
    }

    /// The previous build's file of the chunk with this hash (the same encoded bytes).
    pub fn file_of(&self, hash: &str) -> Option<&'a Arc<Vec<u8>>> {
        self.by_hash.get(hash).map(|&i| &self.build.chunks[i].file)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use crate::api::{HtmlFile, PagefindIndex};
    use crate::options::PagefindServiceConfig;

    /// A page of `words` pseudo-random words (some with diacritics) from a vocabulary big
    /// enough to make several word index chunks.
    fn page(seed: u64, words: usize, extra: &str) -> String {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let body: Vec<String> = (0..words)
            .map(|_| {
                let n = next() % 3000;
                match n % 97 {
                    0 => format!("café{n}"),
                    1 => format!("naïve{}", n % 7),
                    _ => format!("w{n}x"),
                }
            })
            .collect();
        format!(
            "<html lang=\"en\"><head><title>Page {seed}</title></head><body><main data-pagefind-body>\
             <h1>Title {seed} w{}x</h1><p>{}</p>{extra}</main></body></html>",
            seed % 50,
            body.join(" ")
        )
    }

    fn index() -> PagefindIndex {
        let config = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        PagefindIndex::new(Some(config)).unwrap()
    }

    fn add(index: &mut PagefindIndex, pages: &[(String, String)]) {
        let parsed: Vec<_> = pages
            .iter()
            .map(|(url, html)| {
                index
                    .parse_html_file(HtmlFile {
                        source_path: None,
                        url: Some(url.clone()),
                        content: html.clone(),
                    })
                    .unwrap()
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for result in runtime.block_on(index.add_parsed_pages(parsed)) {
            result.unwrap();
        }
    }

    fn files(index: &mut PagefindIndex) -> BTreeMap<PathBuf, Vec<u8>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime
            .block_on(index.get_files())
            .unwrap()
            .into_iter()
            .map(|f| (f.filename, f.contents))
            .collect()
    }

    fn fresh_files(pages: &[(String, String)]) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut fresh = index();
        add(&mut fresh, pages);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime
            .block_on(fresh.into_files())
            .unwrap()
            .into_iter()
            .map(|f| (f.filename, f.contents))
            .collect()
    }

    /// Brings `kept` up to `pages` as a dev server does (pages parsed again only if they
    /// changed, gone ones removed, the order set) and checks its files are those of a new
    /// index of the same pages.
    fn update_and_compare(
        kept: &mut PagefindIndex,
        before: &[(String, String)],
        pages: &[(String, String)],
    ) -> (usize, usize, usize) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for (url, _) in before {
            if !pages.iter().any(|(u, _)| u == url) {
                assert!(runtime.block_on(kept.remove_page(url)));
            }
        }
        let changed: Vec<(String, String)> = pages
            .iter()
            .filter(|page| !before.contains(page))
            .cloned()
            .collect();
        add(kept, &changed);
        let order: Vec<&str> = pages.iter().map(|(url, _)| url.as_str()).collect();
        runtime.block_on(kept.reorder_pages(&order));
        let kept_files = files(kept);
        let fresh = fresh_files(pages);
        assert_eq!(
            kept_files.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &fresh {
            assert!(&kept_files[name] == bytes, "{} differs", name.display());
        }
        let state = kept.search_index.try_lock().unwrap();
        let build = &state.last_builds["en"];
        (build.encoded, build.gzipped, build.chunks.len())
    }

    #[test]
    fn a_kept_index_makes_the_files_of_a_new_one_after_each_change() {
        let mut pages: Vec<(String, String)> = (0..300)
            .map(|i| (format!("/p/{i}/"), page(i, 150, "")))
            .collect();
        let mut kept = index();
        add(&mut kept, &pages);
        let first = files(&mut kept);
        assert_eq!(first, fresh_files(&pages));
        assert!(
            first
                .keys()
                .filter(|f| f.extension().is_some_and(|e| e == "pf_index"))
                .count()
                > 3,
            "the test needs several word index chunks"
        );

        let steps: Vec<Box<dyn Fn(&mut Vec<(String, String)>)>> = vec![
            // A word added at the end of one page's body.
            Box::new(|p| p[40].1 = p[40].1.replace("</p>", " w7x</p>")),
            // Nothing changed.
            Box::new(|_| {}),
            // A page's words changed throughout, and its title.
            Box::new(|p| p[120].1 = page(9999, 170, "")),
            // A page gone, one added in the middle, one moved to the front.
            Box::new(|p| {
                p.remove(7);
                p.insert(200, ("/new/".into(), page(4242, 90, "")));
                let moved = p.remove(250);
                p.insert(0, moved);
            }),
            // A meta field only one page has (the meta fields are renumbered).
            Box::new(|p| {
                p[60].1 = p[60].1.replace(
                    "<h1>",
                    "<span data-pagefind-meta=\"aardvark:w12x\"></span><h1>",
                )
            }),
            // A page with words no other page has, and one with a filter.
            Box::new(|p| {
                p[3].1 = page(3, 150, "<p>zzzunique aaaunique</p>");
                p[4].1 = page(
                    4,
                    150,
                    "<span data-pagefind-filter=\"kind:Article\"></span>",
                );
            }),
            // Two edits at once, back as they were.
            Box::new(|p| {
                p[40].1 = page(40, 150, "");
                p[60].1 = p[60]
                    .1
                    .replace("<span data-pagefind-meta=\"aardvark:w12x\"></span>", "");
            }),
        ];
        for (i, step) in steps.iter().enumerate() {
            let before = pages.clone();
            step(&mut pages);
            let (encoded, gzipped, chunks) = update_and_compare(&mut kept, &before, &pages);
            eprintln!("step {i}: {encoded} of {chunks} chunks encoded, {gzipped} gzipped");
            match i {
                // Only the chunk of the word added was made again, and the next if the
                // word's weight moved the boundary between them.
                0 => assert!(encoded <= 2 && gzipped <= 2, "step {i}"),
                1 => assert_eq!(encoded, 0),
                _ => {}
            }
        }
    }

    #[test]
    fn into_files_hands_over_the_files_get_files_makes() {
        let pages: Vec<(String, String)> = (0..20)
            .map(|i| (format!("/p/{i}/"), page(i, 40, "")))
            .collect();
        let mut index = index();
        add(&mut index, &pages);
        assert_eq!(files(&mut index), fresh_files(&pages));
    }
}
