//! The programmatic service interface for integrating Pagefind into another Rust project.
//!
//! # Examples
//!
//! ```
//! use pagefind::api::{PagefindIndex};
//! use pagefind::options::{PagefindServiceConfig};
//!
//! #[tokio::main]
//! async fn main() {
//!     let options = PagefindServiceConfig::builder()
//!         .keep_index_url(true)
//!         .force_language("en".to_string())
//!         .build();
//!     let mut index = PagefindIndex::new(Some(options)).expect("Options should be valid");
//!     let indexing_response = index
//!         .add_html_file(
//!             Some("test/index.html".into()),
//!             None,
//!             "<html><body><h1>Test content</h1></body></html>".into(),
//!         )
//!         .await;
//!
//!     if let Ok(file) = indexing_response {
//!         println!("Page word count: {}", file.page_word_count);
//!         println!("Page URL: {}", file.page_url);
//!     }
//!
//!     let files_response = index.get_files().await;
//!     if let Ok(files) = files_response {
//!         println!("Have {} files to write to disk", files.len());
//!     }
//! }
//! ```

pub use crate::output::SyntheticFile;
use anyhow::{bail, Result};
use rust_patch::Patch;
use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use crate::{
    fossick::{parser::DomParserResult, Fossicker, WordForms},
    index::{kept::KeptPage, postings::WordIds},
    options::PagefindServiceConfig,
    PagefindInboundConfig, SearchOptions, SearchState,
};

#[derive(Debug)]
pub struct IndexedFileResponse {
    pub page_word_count: u32,
    pub page_url: String,
    pub page_meta: BTreeMap<String, String>,
}

/// An HTML file that isn't on disk, for `add_html_files`.
#[derive(Debug, Clone)]
pub struct HtmlFile {
    /// The source path of the HTML file if it were to exist on disk.
    pub source_path: Option<String>,
    /// An explicit URL to use, instead of having Pagefind compute the URL based on the `source_path`.
    pub url: Option<String>,
    /// The source HTML content of the file to be parsed.
    pub content: String,
}

pub struct PagefindIndex {
    pub(crate) search_index: Arc<tokio::sync::Mutex<SearchState>>,
    /// The state's options and word ids, so [`PagefindIndex::parse_html_file`] can run on
    /// many threads at once without the state's lock.
    options: Arc<SearchOptions>,
    word_ids: Arc<std::sync::Mutex<WordIds>>,
    /// The forms of the words met so far, shared by the pages `parse_html_file` parses.
    word_forms: Arc<WordForms>,
}

/// A page parsed by [`PagefindIndex::parse_html_file`], its words packed and its fragment
/// file made, ready to be added with [`PagefindIndex::add_parsed_pages`] to the index that
/// parsed it.
pub struct ParsedPage(KeptPage);

impl ParsedPage {
    pub fn url(&self) -> &str {
        &self.0.url
    }

    pub fn word_count(&self) -> u32 {
        self.0.fragment.data.word_count as u32
    }
}

impl PagefindIndex {
    /// Create a new PagefindIndex instance that files can be added to.
    ///
    /// # Arguments
    /// * `config` - An optional PagefindServiceConfig to override default options for the service.
    ///
    /// # Returns
    /// A PagefindIndex instance if search options are valid, otherwise an Error.
    pub fn new(config: Option<PagefindServiceConfig>) -> Result<Self> {
        let mut service_options: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");

        service_options.service = true;
        if let Some(config) = config {
            service_options = config.apply(service_options);
        }

        let options = SearchOptions::load(service_options)?;
        let state = SearchState::new(options.clone());
        Ok(Self {
            word_ids: Arc::clone(&state.word_ids),
            word_forms: Arc::default(),
            options: Arc::new(options),
            search_index: Arc::new(tokio::sync::Mutex::new(state)),
        })
    }

    /// Add an HTML file that isn't on disk into this search index.
    /// Either a filepath or a URL must be provided.
    ///
    /// # Arguments
    /// * `source_path` - The source path of the HTML file if it were to exist on disk.
    /// * `url` - An explicit URL to use, instead of having Pagefind compute the URL based on the `source_path`.
    /// * `content` - The source HTML content of the file to be parsed.
    ///
    /// # Returns
    /// Metadata about the added file if successful, otherwise an Error.
    pub async fn add_html_file(
        &mut self,
        source_path: Option<String>,
        url: Option<String>,
        content: String,
    ) -> Result<IndexedFileResponse> {
        if source_path.is_none() && url.is_none() {
            bail!("Either source_path or url must be provided");
        }

        let file = Fossicker::new_synthetic(source_path.map(PathBuf::from), url, content);
        let state = Arc::clone(&self.search_index);
        let data = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_one(file)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(IndexedFileResponse {
            page_word_count: data.word_count as u32,
            page_url: data.url,
            page_meta: data.meta,
        })
    }

    /// Add many HTML files that aren't on disk into this search index, parsed in parallel
    /// (as `add_directory` parses files from disk) rather than one at a time.
    /// Pages are indexed in the order given. Each file needs a source path or a URL.
    ///
    /// # Arguments
    /// * `files` - The files, each as `add_html_file` takes one.
    ///
    /// # Returns
    /// Metadata about each added file, in the order given, or the error it met.
    pub async fn add_html_files(
        &mut self,
        files: Vec<HtmlFile>,
    ) -> Result<Vec<Result<IndexedFileResponse>>> {
        if files
            .iter()
            .any(|file| file.source_path.is_none() && file.url.is_none())
        {
            bail!("Either source_path or url must be provided");
        }

        let files: Vec<_> = files
            .into_iter()
            .map(|file| {
                Fossicker::new_synthetic(
                    file.source_path.map(PathBuf::from),
                    file.url,
                    file.content,
                )
            })
            .collect();
        let state = Arc::clone(&self.search_index);
        let results = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_batch(files)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))?;

        Ok(results
            .into_iter()
            .map(|result| {
                result.map(|page| IndexedFileResponse {
                    page_word_count: page.word_count as u32,
                    page_url: page.url,
                    page_meta: page.meta,
                })
            })
            .collect())
    }

    /// Index a custom record that isn't backed by an HTML file.
    ///
    /// # Arguments
    /// * `url` - The output URL of this record. Pagefind will not alter this.
    /// * `content` - The raw content of this record.
    /// * `language` - What language is this record written in. Expects an ISO 639-1 code.
    /// * `meta` - The metadata to attach to this record. Supplying a `title` is highly recommended.
    /// * `filters` - The filters to attach to this record.
    /// * `sort` - The sort keys to attach to this record.
    ///
    /// # Returns
    /// Metadata about the added record if successful, otherwise an Error.
    /// Parses one page and packs its words, without adding it: unlike the `add_*` calls
    /// this takes no lock on the index, so a caller can parse pages on many threads (as it
    /// makes them, say) and add them in the order it chooses with
    /// [`PagefindIndex::add_parsed_pages`].
    pub fn parse_html_file(&self, file: HtmlFile) -> Result<ParsedPage> {
        if file.source_path.is_none() && file.url.is_none() {
            bail!("Either source_path or url must be provided");
        }
        let file = Fossicker::new_synthetic(
            file.source_path.map(PathBuf::from),
            file.url,
            file.content,
        );
        let mut page = file.fossick_sync_sharing(&self.options, &self.word_forms)?;
        page.pack_words(&self.word_ids);
        Ok(ParsedPage(KeptPage::finish(page)))
    }

    /// Adds pages from [`PagefindIndex::parse_html_file`], in order. A page whose URL was
    /// added before replaces it, as with `add_html_file`.
    pub async fn add_parsed_pages(
        &mut self,
        pages: Vec<ParsedPage>,
    ) -> Vec<Result<IndexedFileResponse>> {
        let mut state = self.search_index.lock().await;
        state
            .add_fossicked(pages.into_iter().map(|page| Ok(page.0)).collect())
            .into_iter()
            .map(|result| {
                result.map(|page| IndexedFileResponse {
                    page_word_count: page.word_count as u32,
                    page_url: page.url,
                    page_meta: page.meta,
                })
            })
            .collect()
    }

    /// Puts the pages in the order of `urls` (pages not in it go last), as if they had been
    /// added in that order: an index kept between builds can then make the same files as a
    /// new one would.
    pub async fn reorder_pages(&mut self, urls: &[&str]) {
        self.search_index.lock().await.reorder_pages(urls)
    }

    /// Removes the page at `url` from the index; returns whether it was there.
    pub async fn remove_page(&mut self, url: &str) -> bool {
        self.search_index.lock().await.remove_page(url)
    }

    pub async fn add_custom_record(
        &mut self,
        url: String,
        content: String,
        language: String,
        meta: Option<BTreeMap<String, String>>,
        filters: Option<BTreeMap<String, Vec<String>>>,
        sort: Option<BTreeMap<String, String>>,
    ) -> Result<IndexedFileResponse> {
        let force_language = self
            .search_index
            .lock()
            .await
            .options
            .force_language
            .clone();
        let data = DomParserResult {
            digest: content,
            filters: filters.unwrap_or_default(),
            sort: sort.unwrap_or_default(),
            meta: meta.unwrap_or_default(),
            anchor_content: BTreeMap::new(),
            anchor_titles: BTreeMap::new(),
            has_custom_body: false,
            force_inclusion: true,
            has_html_element: true,
            has_old_bundle_reference: false,
            has_default_ui_reference: false,
            language: force_language.unwrap_or(language),
        };
        let file = Fossicker::new_with_data(url, data);
        let state = Arc::clone(&self.search_index);
        let data = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_one(file)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(IndexedFileResponse {
            page_word_count: data.word_count as u32,
            page_url: data.url,
            page_meta: data.meta,
        })
    }

    /// Index a directory of HTML files from disk.
    ///
    /// # Arguments
    /// * `path` - The path to the directory to index.
    /// * `glob` - A glob pattern to match files in the directory. If not provided, the default glob pattern will be used.
    ///
    /// # Returns
    /// The number of pages indexed if successful, otherwise an Error.
    pub async fn add_directory(&mut self, path: String, glob: Option<String>) -> Result<usize> {
        let defaults: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");
        let glob = glob.unwrap_or(defaults.glob);

        let state = Arc::clone(&self.search_index);
        let page_count = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_many(PathBuf::from(path), glob)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(page_count)
    }

    /// Build the search index for this instance and hold it in memory.
    pub async fn build_indexes(&mut self) -> Result<()> {
        self.search_index.lock().await.build_indexes().await
    }

    /// Build the search index for this instance and write the files to disk.
    ///
    /// # Arguments
    /// * `output_path` - The path to write the files to. If not provided, the default output path will be used.
    ///
    /// # Returns
    /// The path files were written to if successful, otherwise an Error.
    pub async fn write_files(&mut self, output_path: Option<String>) -> Result<String> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        let resolved_output_path = state.write_files(output_path.map(Into::into)).await;

        Ok(resolved_output_path.to_string_lossy().into())
    }

    /// Build the search index for this instance and return the files as a list of
    /// SyntheticFileResponse.
    ///
    /// # Returns
    /// A list of SyntheticFiles containing the path and content of each file.
    pub async fn get_files(&mut self) -> Result<Vec<SyntheticFile>> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        Ok(state.get_files().await)
    }

    /// As [`PagefindIndex::get_files`], for the last time: the files are moved out of the
    /// index rather than copied, so they are not held twice.
    pub async fn into_files(mut self) -> Result<Vec<SyntheticFile>> {
        self.build_indexes().await?;
        match Arc::try_unwrap(self.search_index) {
            Ok(state) => Ok(state.into_inner().into_files().await),
            Err(shared) => Ok(shared.lock().await.get_files().await),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn test_add_file() {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        let file_response = index
            .add_html_file(
                Some("test/index.html".into()),
                None,
                "<html><body><h1>Test content</h1></body></html>".into(),
            )
            .await;

        let file = file_response.expect("Adding a file should succeed");
        assert_eq!(file.page_word_count, 2);
        assert_eq!(file.page_url, "/test/index.html");

        let files_response = index.get_files().await;

        let files = files_response.expect("Getting files should succeed");
        let filenames: Vec<_> = files.into_iter().map(|f| f.filename).collect();
        assert!(filenames.contains(&PathBuf::from("pagefind.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.css")));
        assert!(filenames.contains(&PathBuf::from("wasm.en.pagefind")));
        assert!(filenames.contains(&PathBuf::from("pagefind-entry.json")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_meta")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_fragment")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_index")));
    }
}
