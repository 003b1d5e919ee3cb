//! The finishing jobs of the plan, which work over every file the other jobs made: the
//! search index (from the pages' HTML) and the check that no two jobs write one file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Finish;
use crate::config;
use crate::content::{self, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output;
use crate::progress::ProgressSink;
use crate::render::{self, plan::Finishing};

/// Runs one finishing job over `outputs`, adding what it makes to them. The search index is
/// made only for a site whose other jobs all succeeded: its input is their pages.
pub(crate) fn run_finishing(
    job: Finishing,
    site: &content::Site,
    outputs: &mut Vec<output::Output>,
    problems: &mut Diagnostics,
    finish: &Finish<'_>,
    progress: &ProgressSink,
) {
    match job {
        Finishing::SearchIndex if !problems.has_errors() => {
            let index = {
                let html = html_by_path(outputs);
                let docs = search_docs(site);
                problems.extend(left_out_of_search(&docs, |path| html.get(path).copied()));
                search_index(&docs, site.search_language(), progress, |path| {
                    html.get(path).copied()
                })
            };
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

/// The search index, built from the rendered pages in memory; `html_of` finds a page's
/// HTML by its output path.
pub fn search_index<'a>(
    docs: &[SearchDoc],
    language: &str,
    progress: &ProgressSink,
    html_of: impl Fn(&Path) -> Option<&'a [u8]>,
) -> Result<Vec<output::Output>, Diagnostic> {
    let pages: Vec<render::search::SearchPage<'_>> = docs
        .iter()
        .filter_map(|doc| {
            let html = std::str::from_utf8(html_of(&doc.path)?).ok()?;
            Some(render::search::SearchPage {
                url: &doc.url,
                html,
                filters: doc.filters.clone(),
            })
        })
        .collect();
    render::search::build_index(&pages, language, progress)
        .map(|files| files.into_iter().map(|(path, bytes)| output::Output::bytes(path, bytes)).collect())
        .map_err(|e| {
            Diagnostic::error(config::CONFIG_FILE, format!("cannot build the search index: {e}"))
                .with_help("set [search] enabled = false in site.toml to build without search, and report this")
        })
}

/// A warning for each page the search index cannot read: the theme's contract is that
/// every page template puts the page's own text in `<main id="main">`, and the index reads
/// that element alone, so a page whose template has none would be missing from search.
fn left_out_of_search<'a>(
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

/// Finds pages' HTML among a build's outputs.
fn html_by_path(outputs: &[output::Output]) -> HashMap<&Path, &[u8]> {
    outputs
        .iter()
        .filter_map(|o| match &o.body {
            output::Body::Bytes(bytes) => Some((o.path.as_path(), bytes.as_slice())),
            output::Body::Copy(_) | output::Body::Cached(_) => None,
        })
        .collect()
}
