//! Worksheet PDFs: making one for the plan's `Prep::Pdf` (before the pages, whose
//! "Download PDF" links show each file's size), and the cache `serve` keeps of them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::output::Output;

/// A PDF of a worksheet as its page links to it.
#[derive(Debug, Clone, Serialize)]
pub struct PdfLink {
    pub url: String,
    pub paper: &'static str,
    pub size: String,
    pub pages: usize,
}

/// PDFs already made, keyed by a hash of everything that goes into one, so `serve` never
/// typesets an unchanged worksheet again.
#[derive(Debug, Default)]
pub struct PdfCache {
    // Read only when PDFs are made (the `pdf` feature).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    made: Mutex<HashMap<u64, (Vec<u8>, usize)>>,
    /// How many PDFs were typeset (cache misses), for tests and the terminal line.
    pub typeset: AtomicUsize,
}

/// Typesets worksheet page `i` as a PDF on `paper`, published at `url` (the plan's
/// `Prep::Pdf`); the PDF comes from `cache` when nothing that goes into it changed.
pub fn make(
    site: &crate::content::Site,
    strings: &crate::strings::Strings,
    i: usize,
    paper: crate::content::kinds::Paper,
    url: &str,
    cache: Option<&PdfCache>,
    images: &crate::images::cache::Cache,
) -> Result<(Output, PdfLink), Diagnostic> {
    #[cfg(feature = "pdf")]
    {
        use crate::content::kinds::Paper as Choice;
        let paper = match paper {
            Choice::A4 => crate::render::pdf::Paper::A4,
            Choice::Letter | Choice::Both => crate::render::pdf::Paper::Letter,
        };
        making::make_one(site, strings, i, paper, url, cache, images)
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (paper, url, cache, strings, images);
        Err(Diagnostic::error(
            &site.pages[i].path,
            "this hearth was built without worksheet PDFs (the `pdf` feature)",
        ))
    }
}

#[cfg(feature = "pdf")]
mod making {
    use std::path::PathBuf;
    use std::sync::atomic::Ordering;

    use super::{PdfCache, PdfLink, human_size};
    use crate::content::Site;
    use crate::content::kinds::{Audience, Meta, WorksheetMeta};
    use crate::diagnostics::Diagnostic;
    use crate::images::cache::Cache;
    use crate::output::Output;
    use crate::render::pdf::{Paper, PdfInput, PrintImage};

    pub(super) fn make_one(
        site: &Site,
        strings: &crate::strings::Strings,
        i: usize,
        paper: Paper,
        url: &str,
        cache: Option<&PdfCache>,
        images: &Cache,
    ) -> Result<(Output, PdfLink), Diagnostic> {
        let page = &site.pages[i];
        let Meta::Worksheet(meta) = &page.meta else {
            return Err(Diagnostic::error(&page.path, "not a worksheet"));
        };
        let sheet = page
            .worksheet
            .as_ref()
            .ok_or_else(|| Diagnostic::error(&page.path, "worksheet was not parsed"))?;
        let config = &site.config;
        let language = site.code(page.lang);
        let subtitle = subtitle(meta, strings, language);
        let permalink = format!("{}{}", config.base(), page.url);
        // Typst fills in the numbers: the theme's "Page {current} of {total}" with its
        // placeholders left for `preamble` to replace.
        let page_of = strings
            .text(Some(language), "page_of", None, &[])
            .unwrap_or_else(|_| "Page {current} of {total}".into());
        let input = PdfInput {
            title: &page.common.title,
            description: page.common.description.as_deref(),
            subtitle: (!subtitle.is_empty()).then_some(subtitle.as_str()),
            language,
            page_of: &page_of,
            practice: config.practice.name.as_deref().unwrap_or(&config.title),
            url: &permalink,
            paper,
            sheet,
            images: &print_images(site, i, images),
        };
        let fail = |message: String| {
            Diagnostic::error(&page.path, format!("cannot make the worksheet PDF: {message}"))
                .with_help("this is a bug in hearth if the worksheet builds as a web page; please report it with the file")
        };
        let (bytes, pages) = typeset(&input, meta.fillable, cache).map_err(fail)?;
        let link = PdfLink {
            url: url.to_string(),
            paper: paper.label(),
            size: human_size(bytes.len()),
            pages,
        };
        Ok((
            Output::bytes(PathBuf::from(url.trim_start_matches('/')), bytes),
            link,
        ))
    }

    /// The print copy of each photo of worksheet `i`: its JPEG or PNG copy, 1200 pixels
    /// wide (or narrower, as the photo is): sharp across the text width of a page (174 mm)
    /// at about 175 dpi, a fraction of a phone original's size. It is made as its web
    /// page's copies are and kept in the same cache. A photo that cannot be read is left out here: its own preparation
    /// job reports it at its line, and the build fails.
    fn print_images(site: &Site, i: usize, images: &Cache) -> Vec<Option<PrintImage>> {
        let page = &site.pages[i];
        let files = site.images.inline.get(&page.path);
        page.rendered
            .images
            .iter()
            .enumerate()
            .map(|(n, image)| {
                let file = files?.get(n)?.as_ref()?;
                let source = site.images.sources.get(file)?;
                let known = images.look(file).ok()?;
                let set = crate::images::plan_set(file, &source.output, &known.probe, known.hash);
                let copy = images.print_copy(&set).ok()?;
                Some(PrintImage {
                    bytes: copy.bytes,
                    extension: set.fallback_format.extension(),
                    key: copy.key,
                    alt: image.alt.clone(),
                    caption: image.title.clone(),
                })
            })
            .collect()
    }

    /// "20 minutes · for couples", or empty.
    fn subtitle(meta: &WorksheetMeta, strings: &crate::strings::Strings, language: &str) -> String {
        let audience = meta.audience.map(|a| {
            let key = match a {
                Audience::Couples => "for_couples",
                Audience::Individuals => "for_individuals",
            };
            strings
                .text(Some(language), key, None, &[])
                .unwrap_or_default()
        });
        [meta.duration.clone(), audience]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The PDF's bytes and page count: from the cache when the same input was typeset
    /// before, else typeset (with form fields when `fillable`) and kept in the cache.
    fn typeset(
        input: &PdfInput<'_>,
        fillable: bool,
        cache: Option<&PdfCache>,
    ) -> Result<(Vec<u8>, usize), String> {
        let key = crate::render::pdf::cache_key(input, fillable);
        if let Some(hit) = cache.and_then(|c| c.made.lock().ok()?.get(&key).cloned()) {
            return Ok(hit);
        }
        let rendered = crate::render::pdf::render(input)?;
        let pages = rendered.pages;
        let bytes = if fillable {
            crate::render::forms::add_fields(&rendered)?
        } else {
            rendered.bytes
        };
        if let Some(cache) = cache {
            cache.typeset.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut made) = cache.made.lock() {
                made.insert(key, (bytes.clone(), pages));
            }
        }
        Ok((bytes, pages))
    }
}

/// "48 KB", "1.2 MB".
pub fn human_size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}
