//! Worksheet PDFs: which papers each worksheet gets, their URLs, and making them in
//! parallel before the pages (whose "Download PDF" links show each file's size).

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

/// Every worksheet PDF: the files, the links per page index, and any problems.
pub struct Made {
    pub outputs: Vec<Output>,
    pub links: HashMap<usize, Vec<PdfLink>>,
    pub problems: Vec<Diagnostic>,
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

#[cfg(not(feature = "pdf"))]
pub fn make_all(_site: &crate::content::Site, _cache: Option<&PdfCache>) -> Made {
    Made {
        outputs: Vec::new(),
        links: HashMap::new(),
        problems: Vec::new(),
    }
}

#[cfg(feature = "pdf")]
pub use making::make_all_pdfs as make_all;

#[cfg(feature = "pdf")]
mod making {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use rayon::prelude::*;

    use std::sync::atomic::Ordering;

    use super::{Made, PdfCache, PdfLink, human_size};
    use crate::content::kinds::{Audience, Meta, Paper as PaperChoice, WorksheetMeta};
    use crate::content::{Page, Site};
    use crate::diagnostics::Diagnostic;
    use crate::output::Output;
    use crate::render::pdf::{Paper, PdfInput};

    /// One PDF made, or why not.
    type OnePdf = Result<(Output, PdfLink), Diagnostic>;

    pub fn make_all_pdfs(site: &Site, cache: Option<&PdfCache>) -> Made {
        let jobs: Vec<(usize, Paper, String)> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.worksheet.is_some())
            .flat_map(|(i, p)| {
                pdf_urls(site, p)
                    .into_iter()
                    .map(move |(paper, url)| (i, paper, url))
            })
            .collect();
        let results: Vec<(usize, OnePdf)> = jobs
            .par_iter()
            .map(|(i, paper, url)| (*i, make_one(site, *i, *paper, url, cache)))
            .collect();
        let mut made = Made {
            outputs: Vec::new(),
            links: HashMap::new(),
            problems: Vec::new(),
        };
        for (i, result) in results {
            match result {
                Ok((output, link)) => {
                    made.outputs.push(output);
                    made.links.entry(i).or_default().push(link);
                }
                Err(d) => made.problems.push(d),
            }
        }
        made
    }

    /// `/worksheets/<slug>.pdf`, plus `/worksheets/<slug>-a4.pdf` when both papers are wanted.
    fn pdf_urls(site: &Site, page: &Page) -> Vec<(Paper, String)> {
        let choice = match &page.meta {
            Meta::Worksheet(w) => w.paper,
            _ => None,
        }
        .or(site.config.worksheets.paper)
        .unwrap_or(PaperChoice::Letter);
        let base = page.url.trim_end_matches('/');
        match choice {
            PaperChoice::Letter => vec![(Paper::Letter, format!("{base}.pdf"))],
            PaperChoice::A4 => vec![(Paper::A4, format!("{base}.pdf"))],
            PaperChoice::Both => vec![
                (Paper::Letter, format!("{base}.pdf")),
                (Paper::A4, format!("{base}-a4.pdf")),
            ],
        }
    }

    fn make_one(
        site: &Site,
        i: usize,
        paper: Paper,
        url: &str,
        cache: Option<&PdfCache>,
    ) -> Result<(Output, PdfLink), Diagnostic> {
        let page = &site.pages[i];
        let Meta::Worksheet(meta) = &page.meta else {
            return Err(Diagnostic::error(&page.path, "not a worksheet"));
        };
        let sheet = page
            .worksheet
            .as_ref()
            .ok_or_else(|| Diagnostic::error(&page.path, "worksheet was not parsed"))?;
        let subtitle = subtitle(meta);
        let config = &site.config;
        let permalink = format!("{}{}", config.base(), page.url);
        let input = PdfInput {
            title: &page.common.title,
            description: page.common.description.as_deref(),
            subtitle: (!subtitle.is_empty()).then_some(subtitle.as_str()),
            language: &config.language,
            practice: config.practice.name.as_deref().unwrap_or(&config.title),
            url: &permalink,
            paper,
            sheet,
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

    /// "20 minutes · for couples", or empty.
    fn subtitle(meta: &WorksheetMeta) -> String {
        let audience = meta.audience.map(|a| match a {
            Audience::Couples => "for couples",
            Audience::Individuals => "for individuals",
        });
        [meta.duration.as_deref(), audience]
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
