//! Site search: builds the Pagefind index and its browser assets from pages already rendered in memory.
//!
//! Pagefind is used as a library, so nothing is read back from the disk and nothing is loaded
//! from another host at search time. Its index is chunked (word index, one fragment per page,
//! one file per filter), so a search on a big site downloads little.
//!
//! What is indexed: only `<main id="main">` (marked `data-pagefind-body` here, in the copy
//! handed to Pagefind): that is the theme's contract, in the README's "Themes". Once any
//! page has that mark, Pagefind skips pages without it, so the build warns of each one.
//! Filters are injected as empty `data-pagefind-filter="name:value"` elements just inside
//! `<main>`, the markup Pagefind reads filters from (its `add_html_file` has no filter argument).

use std::fmt::Write as _;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::progress::ProgressSink;

use pagefind::api::{HtmlFile, PagefindIndex};
use pagefind::options::PagefindServiceConfig;

mod headings;
#[cfg(test)]
mod same_results;

/// The folder, under the output folder, that holds the index and Pagefind's assets.
pub const SEARCH_DIR: &str = "pagefind";

/// How many pages `build_index` prepares and parses at once: enough for every core to
/// have work, few enough that the prepared copies stay small beside the site.
const PAGES_PER_BATCH: usize = 256;

/// The opening of the element that holds a page's main content, in every theme template.
const MAIN_OPEN: &str = r#"<main id="main""#;
const MAIN_CLOSE: &str = "</main>";

/// Whether a page has the element the index reads.
pub fn has_main(html: &[u8]) -> bool {
    memchr::memmem::find(html, MAIN_OPEN.as_bytes()).is_some()
}

/// One page to index: its site URL (`/articles/a/`), its rendered HTML, and filters.
pub struct SearchPage<'a> {
    pub url: &'a str,
    pub html: &'a str,
    /// e.g. [("kind", vec!["Article".into()]), ("topic", vec!["Communication".into(), "Conflict".into()])]
    pub filters: Vec<(&'static str, Vec<String>)>,
}

/// A Pagefind index being filled: pages are parsed one by one, on any thread, as they are
/// rendered ([`Indexer::parse`]: only the parsed page, its words packed, is kept, so its HTML
/// can be let go at once), then added in the order the caller chooses, and the index files
/// made from them. `serve` keeps one between rebuilds and parses again only changed pages.
pub struct Indexer {
    index: PagefindIndex,
    /// Pagefind's API is async (its work runs in `spawn_blocking` and rayon), so it needs a
    /// runtime; a current-thread one with no I/O driver is enough, as nothing touches the disk.
    runtime: tokio::runtime::Runtime,
}

/// A page parsed by [`Indexer::parse`], waiting to be added.
pub use pagefind::api::ParsedPage;

impl Indexer {
    /// `language` is an ISO 639-1 code (`en`, `de`, `pt-br`); it picks Pagefind's stemmer and
    /// overrides the pages' `<html lang>`. Empty lets Pagefind read `<html lang>` instead.
    /// Must not be made from inside a tokio runtime (it drives Pagefind on its own one).
    pub fn new(language: &str) -> Result<Indexer, String> {
        // Pagefind reads the working directory when it loads its options and panics if that fails.
        std::env::current_dir()
            .map_err(|e| format!("search index: the working directory is unreadable: {e}"))?;
        let language = language.trim().to_lowercase();
        let config =
            PagefindServiceConfig::builder().exclude_selectors(headings::not_the_heading_text());
        let config = if language.is_empty() {
            config.build()
        } else {
            config.force_language(language).build()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| format!("search index: cannot start the async runtime: {e}"))?;
        // Service mode (what the API uses) logs nothing to stdout or stderr.
        let index = PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e:#}"))?;
        Ok(Indexer { index, runtime })
    }

    /// Parses one page for the index, without adding it; many threads may parse at once.
    pub fn parse(&self, page: &SearchPage<'_>) -> Result<ParsedPage, String> {
        let file = HtmlFile {
            source_path: None,
            url: Some(page.url.to_string()),
            content: prepare_html(page)?,
        };
        self.index
            .parse_html_file(file)
            .map_err(|e| format!("search index: cannot index {}: {e:#}", page.url))
    }

    /// Adds parsed pages in order; a page at a URL added before replaces it.
    pub fn add(&mut self, pages: Vec<ParsedPage>) -> Result<(), String> {
        let index = &mut self.index;
        for result in self.runtime.block_on(index.add_parsed_pages(pages)) {
            result.map_err(|e| format!("search index: {e:#}"))?;
        }
        Ok(())
    }

    /// Puts the pages in the order of `urls`, so the files are those a new index would make
    /// from the same pages added in that order.
    pub fn reorder(&mut self, urls: &[&str]) {
        let index = &mut self.index;
        self.runtime.block_on(index.reorder_pages(urls));
    }

    /// Takes the page at `url` out of the index.
    pub fn remove(&mut self, url: &str) {
        let index = &mut self.index;
        self.runtime.block_on(index.remove_page(url));
    }

    /// The index of the pages added so far, with Pagefind's UI files (so nothing is loaded
    /// from another host): (path relative to the output folder, bytes), all under
    /// `pagefind/`, sorted by path; the same for the same pages added in the same order.
    pub fn files(&mut self) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        let index = &mut self.index;
        let files = self.runtime.block_on(index.get_files());
        Ok(search_files(
            files.map_err(|e| format!("search index: {e:#}"))?,
        ))
    }

    /// [`Indexer::files`] for the last time: the files are moved out of the index rather
    /// than copied, so the end of a build does not hold them twice.
    pub fn into_files(self) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        let files = self.runtime.block_on(self.index.into_files());
        Ok(search_files(
            files.map_err(|e| format!("search index: {e:#}"))?,
        ))
    }
}

/// Pagefind's files under [`SEARCH_DIR`], sorted by path.
fn search_files(files: Vec<pagefind::api::SyntheticFile>) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|file| (PathBuf::from(SEARCH_DIR).join(file.filename), file.contents))
        .collect();
    // Pagefind hands its index files over from hash maps, in no stable order.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Builds the index of `pages` at once (see [`Indexer`]; a build parses its pages as it
/// renders them instead), parsing them in parallel a batch at a time.
pub fn build_index(
    pages: &[SearchPage<'_>],
    language: &str,
    progress: &ProgressSink,
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    // Filter names are checked before any work starts.
    for page in pages {
        filter_markup(page)?;
    }
    let mut indexer = Indexer::new(language)?;
    progress.stage("Indexing for search", pages.len());
    for batch in pages.chunks(PAGES_PER_BATCH) {
        let parsed = batch
            .par_iter()
            .map(|page| indexer.parse(page))
            .collect::<Result<Vec<_>, String>>()?;
        indexer.add(parsed)?;
        progress.advance(batch.len());
    }
    progress.stage("Writing the search index", 0);
    indexer.into_files()
}

/// The HTML handed to Pagefind: `<main id="main">` marked as the indexed body, the
/// page's filters as `data-pagefind-filter` elements just inside it (or before `</body>`
/// on a page without it).
///
/// When nothing outside `<main>` can change the index, only `<main>` is handed over, in a
/// shell that keeps `<html …>` (the language) and `<title>` (Pagefind's fallback title):
/// the header, menu, footer and `<head>` are a quarter of a page that Pagefind would parse
/// only to skip. See [`shell`] for what keeps the whole page.
fn prepare_html(page: &SearchPage<'_>) -> Result<String, String> {
    let markup = filter_markup(page)?;
    let html = page.html;
    if let Some(start) = html.find(MAIN_OPEN) {
        let name_end = start + MAIN_OPEN.len();
        let tag_end = html[name_end..]
            .find('>')
            .map(|i| name_end + i + 1)
            .ok_or_else(|| format!("search index: {}: unclosed <main> tag", page.url))?;
        let main_end = html[tag_end..]
            .rfind(MAIN_CLOSE)
            .map(|i| tag_end + i + MAIN_CLOSE.len());
        let shell = main_end.and_then(|end| shell(&html[..start], &html[end..]));
        let (before, after) = match (&shell, main_end) {
            (Some(open), Some(end)) => (open.as_str(), &html[tag_end..end]),
            _ => (&html[..start], &html[tag_end..]),
        };
        let mut out = String::with_capacity(
            before.len() + after.len() + markup.len() + (tag_end - start) + 48,
        );
        out.push_str(before);
        out.push_str(&html[start..name_end]);
        out.push_str(" data-pagefind-body");
        out.push_str(&html[name_end..tag_end]);
        out.push_str(&markup);
        out.push_str(after);
        if shell.is_some() {
            out.push_str("</body></html>");
        }
        Ok(out)
    } else {
        let at = html.rfind("</body>").unwrap_or(html.len());
        Ok(format!("{}{markup}{}", &html[..at], &html[at..]))
    }
}

/// The opening of a page without what surrounds `<main>`: `<html …>` as written, `<head>`
/// with only the `<title>`, and `<body>`. `None` (index the whole page) when the parts
/// around `<main>` hold anything Pagefind reads there: `data-pagefind-*` attributes, an
/// `<h1>` or `<img>` (automatic title and image), or an `id` (anchors are numbered in
/// document order), or when there is no `<html>` tag to copy.
fn shell(before: &str, after: &str) -> Option<String> {
    const READ_BY_PAGEFIND: [&str; 4] = ["data-pagefind", "<h1", "<img", "id="];
    let lower_before = before.to_ascii_lowercase();
    let lower_after = after.to_ascii_lowercase();
    if READ_BY_PAGEFIND
        .iter()
        .any(|m| lower_before.contains(m) || lower_after.contains(m))
    {
        return None;
    }
    let html_start = lower_before.find("<html")?;
    let html_end = html_start + before[html_start..].find('>')? + 1;
    let title = lower_before.find("<title").and_then(|t| {
        let end = lower_before[t..].find("</title>")? + t + "</title>".len();
        Some(&before[t..end])
    });
    Some(format!(
        "<!DOCTYPE html>{}<head>{}</head><body>",
        &before[html_start..html_end],
        title.unwrap_or_default()
    ))
}

/// One empty `<span data-pagefind-filter="name:value">` per distinct, non-blank value.
/// (With the `name:value` form Pagefind takes everything after the first colon literally,
/// commas and colons included.)
fn filter_markup(page: &SearchPage<'_>) -> Result<String, String> {
    let mut markup = String::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (name, values) in &page.filters {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "search index: {}: filter name {name:?} must be ASCII letters, digits, `-` or `_`",
                page.url
            ));
        }
        for value in values {
            let value = value.trim();
            if value.is_empty() || seen.contains(&(name, value)) {
                continue;
            }
            seen.push((name, value));
            let _ = write!(
                markup,
                r#"<span data-pagefind-filter="{name}:{}"></span>"#,
                escape_attribute(value)
            );
        }
    }
    Ok(markup)
}

/// Escapes a value for a double-quoted attribute (Pagefind decodes entities back).
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::path::Path;

    use super::*;

    fn page_html(title: &str, body: &str) -> String {
        format!(
            r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title} | Hearth</title></head>
<body>
<nav><a href="/">Home</a> navigationonlyword</nav>
<main id="main" tabindex="-1">
<h1>{title}</h1>
<p>{body}</p>
</main>
<footer>footeronlyword</footer>
</body>
</html>
"#
        )
    }

    struct Fixture {
        htmls: Vec<(&'static str, String)>,
    }

    impl Fixture {
        fn new() -> Self {
            Fixture {
                htmls: vec![
                    (
                        "/articles/repair/",
                        page_html(
                            "Repair after a fight",
                            "Couples repair with a soft start. The word zephyrquill appears only here.",
                        ),
                    ),
                    (
                        "/articles/getaway/",
                        page_html(
                            "Planning a getaway",
                            "Couples plan a getaway together and talk about rest.",
                        ),
                    ),
                    (
                        "/worksheets/daily/",
                        page_html(
                            "Daily connection plan",
                            "A worksheet for couples: ten minutes of daily connection.",
                        ),
                    ),
                ],
            }
        }

        fn pages(&self) -> Vec<SearchPage<'_>> {
            let filters: [Vec<(&'static str, Vec<String>)>; 3] = [
                vec![
                    ("kind", vec!["Article".into()]),
                    (
                        "topic",
                        vec!["Communication".into(), "Tom & \"Jerry\", <x>".into()],
                    ),
                ],
                vec![
                    ("kind", vec!["Article".into()]),
                    ("topic", vec!["Conflict".into(), "  ".into()]),
                ],
                vec![("kind", vec!["Worksheet".into(), "Worksheet".into()])],
            ];
            self.htmls
                .iter()
                .zip(filters)
                .map(|((url, html), filters)| SearchPage { url, html, filters })
                .collect()
        }
    }

    fn build() -> Vec<(PathBuf, Vec<u8>)> {
        let fixture = Fixture::new();
        build_index(&fixture.pages(), "en", &ProgressSink::default()).expect("index builds")
    }

    /// Gunzips a Pagefind data file and strips its `pagefind_dcd` signature.
    fn decode(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip");
        out.strip_prefix(b"pagefind_dcd")
            .expect("pagefind_dcd signature")
            .to_vec()
    }

    fn with_ext<'a>(
        files: &'a [(PathBuf, Vec<u8>)],
        folder: &str,
        ext: &str,
    ) -> Vec<&'a (PathBuf, Vec<u8>)> {
        files
            .iter()
            .filter(|(path, _)| {
                path.parent() == Some(&Path::new(SEARCH_DIR).join(folder))
                    && path.extension().is_some_and(|e| e == ext)
            })
            .collect()
    }

    /// Each fragment, decoded: (url, the whole fragment JSON).
    fn fragments(files: &[(PathBuf, Vec<u8>)]) -> Vec<(String, serde_json::Value)> {
        with_ext(files, "fragment", "pf_fragment")
            .into_iter()
            .map(|(_, bytes)| {
                let json: serde_json::Value =
                    serde_json::from_slice(&decode(bytes)).expect("fragment JSON");
                (json["url"].as_str().expect("url").to_string(), json)
            })
            .collect()
    }

    #[test]
    fn writes_the_index_and_the_assets_under_pagefind() {
        let files = build();
        let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
        for expected in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-entry.json",
            "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css",
            "pagefind/wasm.en.pagefind",
        ] {
            assert!(paths.contains(&Path::new(expected)), "missing {expected}");
        }
        assert!(paths.iter().all(|p| p.starts_with(SEARCH_DIR)));
        assert_eq!(with_ext(&files, "fragment", "pf_fragment").len(), 3);
        assert!(!with_ext(&files, "index", "pf_index").is_empty());
        assert!(!with_ext(&files, "filter", "pf_filter").is_empty());
        assert!(
            files
                .iter()
                .any(|(p, _)| p.extension().is_some_and(|e| e == "pf_meta"))
        );

        let entry = files
            .iter()
            .find(|(p, _)| p == Path::new("pagefind/pagefind-entry.json"))
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.1).unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], 3);
    }

    #[test]
    fn a_word_of_one_page_is_in_that_page_fragment_only() {
        let files = build();
        let fragments = fragments(&files);
        let urls: Vec<&str> = fragments.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(urls.len(), 3);
        for (url, json) in &fragments {
            let text = json.to_string();
            assert_eq!(
                text.contains("zephyrquill"),
                url == "/articles/repair/",
                "{url}: {text}"
            );
            assert!(text.contains(&format!("\"url\":\"{url}\"")));
            // Only <main> is indexed: not the nav or the footer.
            assert!(!text.contains("navigationonlyword"), "{url}: {text}");
            assert!(!text.contains("footeronlyword"), "{url}: {text}");
            assert_eq!(
                json["meta"]["title"].as_str().map(|t| t.is_empty()),
                Some(false)
            );
        }
        let repair = &fragments
            .iter()
            .find(|(u, _)| u == "/articles/repair/")
            .unwrap()
            .1;
        assert_eq!(repair["meta"]["title"], "Repair after a fight");
    }

    #[test]
    fn filters_reach_the_fragments_and_the_filter_index() {
        let files = build();
        let fragments = fragments(&files);
        let filters_of = |url: &str| {
            fragments
                .iter()
                .find(|(u, _)| u == url)
                .map(|(_, json)| json["filters"].clone())
                .unwrap()
        };
        assert_eq!(
            filters_of("/articles/repair/"),
            serde_json::json!({
                "kind": ["Article"],
                "topic": ["Communication", "Tom & \"Jerry\", <x>"],
            })
        );
        assert_eq!(
            filters_of("/articles/getaway/"),
            serde_json::json!({"kind": ["Article"], "topic": ["Conflict"]})
        );
        assert_eq!(
            filters_of("/worksheets/daily/"),
            serde_json::json!({"kind": ["Worksheet"]})
        );

        // One filter file per filter name (CBOR: the strings appear as they are).
        let decoded: Vec<Vec<u8>> = with_ext(&files, "filter", "pf_filter")
            .into_iter()
            .map(|(_, bytes)| decode(bytes))
            .collect();
        assert_eq!(decoded.len(), 2);
        let contains = |needle: &str| {
            decoded
                .iter()
                .any(|d| d.windows(needle.len()).any(|w| w == needle.as_bytes()))
        };
        for value in [
            "kind",
            "topic",
            "Article",
            "Worksheet",
            "Communication",
            "Conflict",
            "Tom & \"Jerry\", <x>",
        ] {
            assert!(contains(value), "{value} not in the filter index");
        }
    }

    #[test]
    fn the_same_pages_give_the_same_files() {
        assert_eq!(build(), build());
    }

    #[test]
    fn bad_filter_names_are_refused() {
        let html = page_html("T", "text");
        let page = SearchPage {
            url: "/t/",
            html: &html,
            filters: vec![("a:b", vec!["x".into()])],
        };
        assert!(
            build_index(&[page], "en", &ProgressSink::default())
                .unwrap_err()
                .contains("a:b")
        );
    }

    #[test]
    fn hands_over_only_main_when_nothing_around_it_matters() {
        let html = page_html("T", "text");
        let page = SearchPage {
            url: "/t/",
            html: &html,
            filters: Vec::new(),
        };
        let out = prepare_html(&page).unwrap();
        assert!(out.starts_with(
            r#"<!DOCTYPE html><html lang="en"><head><title>T | Hearth</title></head><body><main id="main" data-pagefind-body"#
        ));
        assert!(out.ends_with("</main></body></html>"));
        assert!(!out.contains("navigationonlyword") && !out.contains("footeronlyword"));

        // An id, an image or a Pagefind attribute outside <main>: the whole page goes.
        for extra in [
            r#"<a id="top"></a>"#,
            r#"<img src="/logo.png" alt="">"#,
            r#"<meta data-pagefind-meta="x:y">"#,
        ] {
            let html = html.replace("<nav>", &format!("{extra}<nav>"));
            let page = SearchPage {
                url: "/t/",
                html: &html,
                filters: Vec::new(),
            };
            let out = prepare_html(&page).unwrap();
            assert!(out.contains("navigationonlyword"), "{extra}");
        }
    }

    #[test]
    fn marks_main_and_puts_filters_inside_it() {
        let html = page_html("T", "text");
        let page = SearchPage {
            url: "/t/",
            html: &html,
            filters: vec![("kind", vec!["A&B".into()])],
        };
        let out = prepare_html(&page).unwrap();
        assert!(out.contains(
            r#"<main id="main" data-pagefind-body tabindex="-1"><span data-pagefind-filter="kind:A&amp;B"></span>"#
        ));
    }
}
