//! The finishing jobs of the plan, which work over every file the other jobs made: the
//! search index (from the pages the render jobs parsed, `indexing.rs`) and the check that
//! no two jobs write one file.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Finish;
use super::indexing::Indexing;
use crate::config;
use crate::content::{self, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output;
use crate::progress::ProgressSink;
use crate::render::{self, plan::Finishing};

/// Runs one finishing job over `outputs`, adding what it makes to them. The search index is
/// made (from what `indexing` parsed) only for a site whose other jobs all succeeded.
pub(crate) fn run_finishing(
    job: Finishing,
    indexing: &mut Option<Indexing>,
    outputs: &mut Vec<output::Output>,
    problems: &mut Diagnostics,
    finish: &Finish<'_>,
    progress: &ProgressSink,
) {
    match job {
        Finishing::SearchIndex if !problems.has_errors() => {
            let Some(indexing) = indexing.take() else {
                return;
            };
            let (index, warnings) = indexing.finish(progress);
            problems.extend(warnings);
            match index {
                Ok(index) => {
                    problems.extend(index.par_iter().flat_map_iter(finish).collect::<Vec<_>>());
                    outputs.extend(index);
                }
                Err(d) => problems.push(d),
            }
        }
        Finishing::SearchIndex => {}
        Finishing::Collisions => {
            problems.extend(output::check_collisions(
                outputs.iter().map(|o| o.path.as_path()),
            ));
        }
    }
}

/// What the search index needs to know of one page besides its HTML.
pub struct SearchDoc {
    /// The page's file in the output (`articles/a/index.html`).
    pub path: PathBuf,
    /// Its Markdown file, to name in a warning.
    pub source: PathBuf,
    pub url: String,
    pub filters: Vec<(&'static str, Vec<String>)>,
}

/// The pages the search index covers, in the site's order (so every build indexes them in
/// the same order), with filters by kind and topic. List pages are left out: they only
/// repeat what the pages say.
pub fn search_docs(site: &content::Site) -> Vec<SearchDoc> {
    site.pages
        .iter()
        .map(|page| {
            let kind = match page.kind {
                Kind::Articles => "Article",
                Kind::Books => "Book",
                Kind::Worksheets => "Worksheet",
                Kind::Counseling => "Counseling",
                Kind::Pages => "Page",
            };
            SearchDoc {
                path: render::index_path(&page.url),
                source: page.path.clone(),
                url: page.url.clone(),
                filters: vec![
                    ("kind", vec![kind.to_string()]),
                    ("topic", page.common.topics.clone()),
                ],
            }
        })
        .collect()
}

/// The diagnostic of an index that could not be made.
pub(crate) fn index_error(e: String) -> Diagnostic {
    Diagnostic::error(
        config::CONFIG_FILE,
        format!("cannot build the search index: {e}"),
    )
    .with_help("set [search] enabled = false in site.toml to build without search, and report this")
}

/// A warning for each page the search index cannot read: the theme's contract is that
/// every page template puts the page's own text in `<main id="main">`, and the index reads
/// that element alone, so a page whose template has none would be missing from search.
pub(super) fn left_out_of_search<'a>(
    docs: &[SearchDoc],
    html_of: impl Fn(&Path) -> Option<&'a [u8]>,
) -> Vec<Diagnostic> {
    docs.iter()
        .filter(|doc| html_of(&doc.path).is_some_and(|html| !render::search::has_main(html)))
        .map(|doc| {
            Diagnostic::warning(
                &doc.source,
                "this page is left out of search: its template has no `<main id=\"main\">`",
            )
            .with_help("put the page's own text inside `<main id=\"main\">` in its template (the search index reads only that element), or set [search] enabled = false")
        })
        .collect()
}
