//! The search index fed by the render jobs: each page is parsed for the index by the job
//! that rendered it, right after the page is written, so a build never holds every page's
//! HTML for the index; the finishing job adds the parsed pages in the site's order and
//! makes the index files.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use super::finish::{SearchDoc, index_error, left_out_of_search, search_docs};
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::output::{self, Body};
use crate::progress::ProgressSink;
use crate::render::search::{Indexer, ParsedPage, SearchPage, has_main};

/// The pages the index covers and what has been parsed of them so far.
pub(crate) struct Indexing {
    indexer: Indexer,
    docs: Vec<SearchDoc>,
    /// A page's output path → its place in `docs`.
    doc_of: HashMap<PathBuf, usize>,
    /// One slot per doc, filled by the job that renders the page.
    parsed: Mutex<Vec<Option<ParsedPage>>>,
    /// Pages left out (no `<main id="main">`), and the first page that could not be parsed.
    warnings: Mutex<Vec<Diagnostic>>,
    failure: Mutex<Option<String>>,
}

impl Indexing {
    pub(crate) fn new(site: &content::Site) -> Result<Indexing, Diagnostic> {
        let indexer = Indexer::new(site.search_language()).map_err(index_error)?;
        let docs = search_docs(site);
        let doc_of = docs
            .iter()
            .enumerate()
            .map(|(i, doc)| (doc.path.clone(), i))
            .collect();
        let parsed = Mutex::new(docs.iter().map(|_| None).collect());
        Ok(Indexing {
            indexer,
            docs,
            doc_of,
            parsed,
            warnings: Mutex::default(),
            failure: Mutex::default(),
        })
    }

    /// Parses `output` for the index if it is one of the pages the index covers. Called by
    /// the render job that made it, on the job's thread.
    pub(crate) fn take(&self, output: &output::Output) {
        let Some(&i) = self.doc_of.get(&output.path) else {
            return;
        };
        let Body::Bytes(bytes) = &output.body else {
            return;
        };
        let doc = &self.docs[i];
        if !has_main(bytes) {
            lock(&self.warnings).extend(left_out_of_search(std::slice::from_ref(doc), |_| {
                Some(bytes.as_slice())
            }));
        }
        let Ok(html) = std::str::from_utf8(bytes) else {
            return;
        };
        let page = SearchPage {
            url: &doc.url,
            html,
            filters: doc.filters.clone(),
        };
        match self.indexer.parse(&page) {
            Ok(parsed) => lock(&self.parsed)[i] = Some(parsed),
            Err(e) => {
                lock(&self.failure).get_or_insert(e);
            }
        }
    }

    /// Adds the parsed pages in the site's order and makes the index files; with the
    /// warnings of pages left out.
    pub(crate) fn finish(
        self,
        progress: &ProgressSink,
    ) -> (Result<Vec<output::Output>, Diagnostic>, Vec<Diagnostic>) {
        let warnings = into_inner(self.warnings);
        if let Some(e) = into_inner(self.failure) {
            return (Err(index_error(e)), warnings);
        }
        progress.stage("Writing the search index", 0);
        let mut indexer = self.indexer;
        let pages: Vec<ParsedPage> = into_inner(self.parsed).into_iter().flatten().collect();
        let files = indexer.add(pages).and_then(|()| indexer.into_files());
        let outputs = files
            .map(|files| {
                files
                    .into_iter()
                    .map(|(path, bytes)| output::Output::bytes(path, bytes))
                    .collect()
            })
            .map_err(index_error);
        (outputs, warnings)
    }
}

/// A lock whose holder panicked is still usable: the render job's panic is reported on its own.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
