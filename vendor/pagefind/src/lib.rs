use std::sync::{Arc, Mutex};
use std::{cmp::Ordering, path::PathBuf};

use anyhow::{bail, Result};
use either::Either;
use fossick::Fossicker;
use futures::future::join_all;
use hashbrown::HashMap;
use index::PagefindIndexes;
use options::{PagefindInboundConfig, SearchOptions};
use output::SyntheticFile;
use rayon::prelude::*;
pub use service::api;
use wax::walk::Entry;
use wax::Glob;

use crate::index::build_indexes;
use crate::index::kept::{KeptPage, LanguageBuild};
use crate::index::postings::WordIds;

mod fossick;
mod fragments;
mod index;
#[macro_use]
mod logging;
pub mod options;
mod output;
mod playground;
pub mod runner;
#[cfg(feature = "serve")]
mod serve;
mod service;
mod utils;

const PAGEFIND_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `fossick_batch` reports of each page it added.
pub(crate) struct IndexedPage {
    pub word_count: usize,
    pub url: String,
    pub meta: std::collections::BTreeMap<String, String>,
}

struct SearchState {
    options: SearchOptions,
    fossicked_pages: Vec<Arc<KeptPage>>,
    /// The words of every page's packed postings (`FossickedData::pack_words`); shared, so
    /// pages can be parsed and packed outside the state's lock.
    word_ids: Arc<Mutex<WordIds>>,
    built_indexes: Vec<PagefindIndexes>,
    /// What the last build of each language left for the next (`index/kept.rs`).
    last_builds: HashMap<String, LanguageBuild>,
}

impl SearchState {
    pub fn new(options: SearchOptions) -> Self {
        Self {
            options,
            fossicked_pages: vec![],
            word_ids: Arc::default(),
            built_indexes: vec![],
            last_builds: HashMap::new(),
        }
    }

    /// Parses one file, packs its words and makes its fragment: what every way of adding a
    /// page from disk or one at a time does (`PagefindIndex::parse_html_file` does the same
    /// with word forms shared across pages).
    fn fossick_packed(
        file: Fossicker,
        options: &SearchOptions,
        word_ids: &Mutex<WordIds>,
    ) -> Result<KeptPage> {
        let mut page = file.fossick_sync(options)?;
        page.pack_words(word_ids);
        Ok(KeptPage::finish(page))
    }

    pub fn walk_for_files(&self, dir: PathBuf, glob: String) -> Result<Vec<Fossicker>> {
        let log = &self.options.logger;

        log.status("[Walking source directory]");
        if let Ok(glob) = Glob::new(&glob) {
            Ok(glob
                .walk(&dir)
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .map(|file_path| Fossicker::new_relative_to(file_path, dir.clone()))
                .collect())
        } else {
            log.error(format!(
                "Error: Provided glob \"{}\" did not parse as a valid glob.",
                self.options.glob
            ));
            bail!(
                "Error: Provided glob \"{}\" did not parse as a valid glob.",
                self.options.glob
            );
        }
    }

    /// Fossick files in parallel using rayon
    pub fn fossick_many(&mut self, dir: PathBuf, glob: String) -> Result<usize> {
        let files = self.walk_for_files(dir.clone(), glob)?;
        let log = &self.options.logger;

        log.info(format!(
            "Found {} file{} matching {}",
            files.len(),
            plural!(files.len()),
            self.options.glob
        ));
        log.status("[Parsing files]");

        // Use rayon for parallel HTML parsing - this is the main performance win
        // Partition results into successes and failures to report errors
        let (results, errors): (Vec<_>, Vec<_>) = files
            .into_par_iter()
            .map(|f| Self::fossick_packed(f, &self.options, &self.word_ids))
            .partition_map(|r| match r {
                Ok(data) => Either::Left(data),
                Err(e) => Either::Right(e),
            });

        // Report any errors that occurred during parallel processing
        if !errors.is_empty() {
            log.warn(format!(
                "{} file{} failed to index",
                errors.len(),
                plural!(errors.len())
            ));
            for err in errors.iter().take(5) {
                log.warn(format!("  - {}", err));
            }
            if errors.len() > 5 {
                log.warn(format!("  ... and {} more", errors.len() - 5));
            }
        }

        let existing_page_count = self.fossicked_pages.len();
        self.fossicked_pages.extend(results.into_iter().map(Arc::new));

        Ok(self.fossicked_pages.len() - existing_page_count)
    }

    /// Fossick many files in parallel using rayon, as `fossick_many` does for files on disk,
    /// keeping the order they are given in. A file whose URL was added before replaces it,
    /// as with `fossick_one`. Returns one result per file, in order.
    pub fn fossick_batch(&mut self, files: Vec<Fossicker>) -> Vec<Result<IndexedPage>> {
        let results: Vec<_> = files
            .into_par_iter()
            .map(|f| Self::fossick_packed(f, &self.options, &self.word_ids))
            .collect();
        self.add_fossicked(results)
    }

    /// Adds pages already parsed and packed (with this state's word ids), in order; a page
    /// whose URL was added before replaces it.
    pub fn add_fossicked(&mut self, results: Vec<Result<KeptPage>>) -> Vec<Result<IndexedPage>> {
        let mut position_of: HashMap<String, usize> = self
            .fossicked_pages
            .iter()
            .enumerate()
            .map(|(i, page)| (page.url.clone(), i))
            .collect();
        results
            .into_iter()
            .map(|result| {
                let page = Arc::new(result?);
                let indexed = IndexedPage {
                    word_count: page.fragment.data.word_count,
                    url: page.fragment.data.url.clone(),
                    meta: page.fragment.data.meta.clone(),
                };
                if let Some(&existing) = position_of.get(&page.url) {
                    self.fossicked_pages[existing] = page;
                } else {
                    position_of.insert(page.url.clone(), self.fossicked_pages.len());
                    self.fossicked_pages.push(page);
                }
                Ok(indexed)
            })
            .collect()
    }

    /// Puts the pages in the order of `urls`; pages not in it go last, in their order.
    pub fn reorder_pages(&mut self, urls: &[&str]) {
        let rank: HashMap<&str, usize> = urls.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        self.fossicked_pages
            .sort_by_cached_key(|page| rank.get(page.url.as_str()).copied().unwrap_or(usize::MAX));
    }

    /// Removes the page at `url`, if one was added; returns whether one was.
    pub fn remove_page(&mut self, url: &str) -> bool {
        let before = self.fossicked_pages.len();
        self.fossicked_pages.retain(|page| page.url != url);
        before != self.fossicked_pages.len()
    }

    pub fn fossick_one(&mut self, file: Fossicker) -> Result<IndexedPage> {
        let page = Self::fossick_packed(file, &self.options, &self.word_ids);
        self.add_fossicked(vec![page]).pop().expect("one page")
    }

    /// Builds the indexes from the pages added so far, which are read, not copied.
    pub async fn build_indexes(&mut self) -> Result<()> {
        let pages = std::mem::take(&mut self.fossicked_pages);
        let built = self.build_indexes_of(&pages).await;
        self.fossicked_pages = pages;
        built
    }

    async fn build_indexes_of(&mut self, pages: &[Arc<KeptPage>]) -> Result<()> {
        let log = &self.options.logger;

        let used_custom_body = pages.iter().any(|page| page.has_custom_body);
        if used_custom_body {
            log.info("Found a data-pagefind-body element on the site.\n↳ Ignoring pages without this tag.");
        } else {
            log.info(
                "Did not find a data-pagefind-body element on the site.\n↳ Indexing all <body> elements on the site."
            );
        }

        if self.options.root_selector == "html" {
            let pages_without_html = pages
                .iter()
                .filter(|p| !p.has_html_element)
                .map(|p| format!("  * {:?} has no <html> element", p.fragment.data.url))
                .collect::<Vec<_>>();
            if !pages_without_html.is_empty() {
                log.warn(format!(
                    "{} page{} found without an <html> element. \n\
                    Pages without an outer <html> element will not be processed by default. \n\
                    If adding this element is not possible, use the root selector config to target a different root element. \n\
                    Run Pagefind with --verbose for more information.",
                    pages_without_html.len(),
                    plural!(pages_without_html.len())
                ));
                log.v_warn(pages_without_html.join("\n"));
            }
        }

        log.status("[Reading languages]");

        let pages_with_data = pages.into_iter().filter(|d| {
            if used_custom_body && !d.has_custom_body && !d.force_inclusion {
                return false;
            }
            !d.postings.is_empty()
        });

        let mut language_map: HashMap<String, Vec<&Arc<KeptPage>>> = HashMap::new();
        for page in pages_with_data {
            language_map.entry(page.language.clone()).or_default().push(page);
        }

        log.info(format!(
            "Discovered {} language{}: {}",
            language_map.len(),
            plural!(language_map.len()),
            language_map.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
        log.v_info(
            language_map
                .iter()
                .map(|(k, v)| format!("  * {}: {} page{}", k, v.len(), plural!(v.len())))
                .collect::<Vec<_>>()
                .join("\n"),
        );

        let primary_language = language_map
            .iter()
            .filter(|(k, _)| k.as_str() != "unknown")
            .max_by(|(lang_a, pages_a), (lang_b, pages_b)| {
                let size = pages_a.len().cmp(&pages_b.len());
                if matches!(size, Ordering::Equal) {
                    return lang_b.cmp(lang_a);
                }
                size
            })
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| "unknown".into());

        if let Some(mut unknown_pages) = language_map.remove("unknown") {
            if !language_map.is_empty() {
                log.warn(format!(
                    "{} page{} found without an html lang attribute. \n\
                    Merging these pages with the {} language, as that is the main language on this site. \n\
                    Run Pagefind with --verbose for more information.",
                    unknown_pages.len(),
                    plural!(unknown_pages.len()),
                    primary_language
                ));

                log.v_warn(
                    unknown_pages
                        .iter()
                        .map(|p| {
                            format!("  * {:?} has no html lang attribute", p.fragment.data.url)
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                );

                if let Some(primary) = language_map.get_mut(&primary_language) {
                    primary.append(&mut unknown_pages);
                } else {
                    language_map.insert(primary_language, unknown_pages);
                }
            } else {
                language_map.insert(primary_language, unknown_pages);
            }
        }

        log.status("[Building search indexes]");

        // `build_indexes` awaits nothing, so one language after another is what `join_all`
        // did; the word ids stay locked (a std lock, never held across an await).
        let built_indexes: Vec<_> = {
            let word_ids = self.word_ids.lock().unwrap_or_else(|p| p.into_inner());
            let last_builds = &self.last_builds;
            language_map
                .into_iter()
                .map(|(language, pages)| {
                    let last = last_builds.get(&language);
                    build_indexes(pages, language, &self.options, &word_ids, last)
                })
                .collect()
        };
        (self.built_indexes, self.last_builds) = built_indexes
            .into_iter()
            .flat_map(|i| i.ok())
            .map(|(index, build)| {
                let language = index.language.clone();
                (index, (language, build))
            })
            .unzip();

        let stats = self.built_indexes.iter().fold((0, 0, 0, 0), |mut stats, index| {
            log.v_info(format!(
                "Language {}: \n  Indexed {} page{}\n  Indexed {} word{}\n  Indexed {} filter{}\n  Indexed {} sort{}\n",
                index.language,
                index.page_count,
                plural!(index.page_count),
                index.word_count,
                plural!(index.word_count),
                index.filter_indexes.len(),
                plural!(index.filter_indexes.len()),
                index.sorts.len(),
                plural!(index.sorts.len())
            ));

            #[cfg(not(feature = "extended"))]
            match index.language.split('-').next() {
                Some("zh") => log.warn("⚠ Indexing Chinese in non-extended mode. \n\
                                        In this mode, Pagefind will not segment words that are not whitespace separated. \n\
                                        Running the extended Pagefind binary will include this segmentation. \n\
                                        Either download the pagefind_extended binary, or run via npx pagefind."),
                Some("ja") => log.warn("⚠ Indexing Japanese in non-extended mode. \n\
                                        In this mode, Pagefind will not segment words that are not whitespace separated. \n\
                                        Running the extended Pagefind binary will include this segmentation. \n\
                                        Either download the pagefind_extended binary, or run via npx pagefind."),
                _ => {}
            };

            stats.0 += index.page_count;
            stats.1 += index.word_count;
            stats.2 += index.filter_indexes.len();
            stats.3 += index.sorts.len();
            stats
        });

        log.info(format!(
            "Total: \n  Indexed {} language{}\n  Indexed {} page{}\n  Indexed {} word{}\n  Indexed {} filter{}\n  Indexed {} sort{}",
            self.built_indexes.len(),
            plural!(self.built_indexes.len()),
            stats.0,
            plural!(stats.0),
            stats.1,
            plural!(stats.1),
            stats.2,
            plural!(stats.2),
            stats.3,
            plural!(stats.3)
        ));

        if stats.1 == 0 && !self.options.running_as_service {
            log.error(
                "Error: Pagefind was not able to build an index. \n\
                Most likely, the directory passed to Pagefind was empty \
                or did not contain any html files.",
            );
            bail!(
                "Error: Pagefind was not able to build an index. \n\
                Most likely, the directory passed to Pagefind was empty \
                or did not contain any html files."
            );
        }
        Ok(())
    }

    pub async fn write_files(&self, custom_outdir: Option<PathBuf>) -> PathBuf {
        let outdir = custom_outdir.unwrap_or(self.options.bundle_output.clone());

        let index_entries: Vec<_> = self
            .built_indexes
            .iter()
            .map(|indexes| indexes.get_lang_meta(&self.options))
            .collect();

        join_all(
            self.built_indexes
                .iter()
                .map(|indexes| async { indexes.write_files_to_disk(&self.options, &outdir).await }),
        )
        .await;

        output::write_common_to_disk(
            index_entries,
            self.options.write_playground,
            &outdir,
            &self.options,
        )
        .await;

        outdir
    }

    pub async fn get_files(&self) -> Vec<SyntheticFile> {
        let outdir = &self.options.bundle_output;
        let files = join_all(
            self.built_indexes
                .iter()
                .map(|indexes| indexes.files_in_memory(&self.options, outdir)),
        )
        .await;
        with_common_files(
            &self.options,
            &self.built_indexes,
            files.into_iter().flatten().collect(),
        )
        .await
    }

    /// As [`SearchState::get_files`], moving the index's files out rather than copying them.
    pub async fn into_files(self) -> Vec<SyntheticFile> {
        // The pages and the last build are let go first, so the files have no other holder.
        let SearchState {
            options,
            built_indexes,
            fossicked_pages,
            last_builds,
            word_ids,
        } = self;
        drop((fossicked_pages, last_builds, word_ids));
        let common = with_common_files(&options, &built_indexes, Vec::new()).await;
        let mut files = Vec::new();
        for indexes in built_indexes {
            files.extend(
                indexes
                    .into_files_in_memory(&options, &options.bundle_output)
                    .await,
            );
        }
        relative_to(&options.bundle_output, &mut files);
        files.extend(common);
        files
    }

    pub fn log_start(&self) {
        let log = &self.options.logger;

        #[cfg(not(feature = "extended"))]
        log.status(&format!("Running Pagefind v{}", self.options.version));
        #[cfg(feature = "extended")]
        log.status(&format!(
            "Running Pagefind v{} (Extended)",
            self.options.version
        ));
        log.v_info("Running in verbose mode");

        log.info(format!(
            "Running from: {:?}",
            self.options.working_directory
        ));
        log.info(format!(
            "Source:       {:?}",
            self.options
                .site_source
                .strip_prefix(&self.options.working_directory)
                .unwrap_or(&self.options.site_source)
        ));
        log.info(format!(
            "Output:       {:?}",
            self.options
                .bundle_output
                .strip_prefix(&self.options.working_directory)
                .unwrap_or(&self.options.bundle_output)
        ));
    }
}

/// `files` with the files every index has (its entry, scripts and styles), paths made
/// relative to the bundle directory.
async fn with_common_files(
    options: &SearchOptions,
    built_indexes: &[PagefindIndexes],
    mut files: Vec<SyntheticFile>,
) -> Vec<SyntheticFile> {
    let outdir = &options.bundle_output;
    let index_entries: Vec<_> = built_indexes
        .iter()
        .map(|indexes| indexes.get_lang_meta(options))
        .collect();

    files.extend(
        output::write_common_to_memory(index_entries, options.write_playground, outdir, options)
            .await
            .into_iter(),
    );
    relative_to(outdir, &mut files);
    files
}

/// SyntheticFiles should only return the relative path to the file
/// _within_ the bundle directory — placing them in a final location
/// is left to the API consumer.
fn relative_to(outdir: &std::path::Path, files: &mut [SyntheticFile]) {
    for file in files.iter_mut() {
        if let Ok(relative_path) = file.filename.strip_prefix(outdir) {
            file.filename = relative_path.to_path_buf();
        }
    }
}
