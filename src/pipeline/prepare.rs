//! The plan's preparation jobs: each photo's size and each worksheet PDF, made before
//! the pages that show them, and gathered into the data every render job shares.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::Finish;
use crate::BuildOptions;
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::cache::Cache;
use crate::images::{self, ImageSet};
use crate::output::Output;
use crate::render::context::{Kept, Shared};
use crate::render::plan::Prep;
use crate::render::worksheets::{self, PdfCache, PdfLink};

/// What one preparation job made.
#[derive(Debug, Clone)]
pub(crate) enum PrepMade {
    Image(PathBuf, ImageSet),
    Pdf(usize, Output, PdfLink),
}

/// What the preparation stage hands to the render jobs.
pub(crate) struct Prepared {
    pub shared: Shared,
    /// The worksheet PDFs, already passed to `finish`.
    pub pdfs: Vec<Output>,
    pub problems: Diagnostics,
}

/// Runs one preparation job.
pub(crate) fn run_prep(
    site: &Site,
    strings: &crate::strings::Strings,
    job: &Prep,
    cache: Option<&PdfCache>,
    images: &Cache,
) -> Result<PrepMade, Diagnostic> {
    match job {
        Prep::Image(source) => {
            let set = site.images.sources.get(source).map_or_else(
                || Err(Diagnostic::error(source, "hearth lost track of this photo")),
                |found| {
                    let known = images
                        .look(source)
                        .map_err(|e| found.used_at.error(e.to_string(), e.help()))?;
                    Ok(images::plan_set(
                        source,
                        &found.output,
                        &known.probe,
                        known.hash,
                    ))
                },
            )?;
            Ok(PrepMade::Image(source.clone(), set))
        }
        Prep::Pdf { page, paper, url } => {
            let (output, link) =
                worksheets::make(site, strings, *page, *paper, url, cache, images)?;
            Ok(PrepMade::Pdf(*page, output, link))
        }
    }
}

/// Runs every preparation job in parallel, passes each PDF to `finish`, and gathers the
/// results.
pub(crate) fn prepare(
    site: &Site,
    strings: &crate::strings::Strings,
    jobs: &[Prep],
    options: &BuildOptions,
    finish: &Finish<'_>,
) -> Prepared {
    let cache = options.pdf_cache.as_deref();
    let image_cache = Arc::new(Cache::new(&site.root));
    let results: Vec<Result<PrepMade, Diagnostic>> = jobs
        .par_iter()
        .map(|job| run_prep(site, strings, job, cache, &image_cache))
        .collect();
    image_cache.remember(|photo| site.images.sources.contains_key(photo));
    let mut problems = Diagnostics::default();
    let mut made = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(m) => made.push(m),
            Err(d) => problems.push(d),
        }
    }
    let (shared, pdfs) = assemble(site, made, None, image_cache);
    problems.extend(pdfs.par_iter().flat_map_iter(finish).collect::<Vec<_>>());
    Prepared {
        shared,
        pdfs,
        problems,
    }
}

/// The data render jobs share, from what the preparation jobs made; and the PDFs. What
/// `previous` (an earlier serve run) kept is reused where its inputs are unchanged.
/// `image_cache` is the one the preparation jobs looked the photos up in.
pub(crate) fn assemble(
    site: &Site,
    made: Vec<PrepMade>,
    previous: Option<&Kept>,
    image_cache: Arc<Cache>,
) -> (Shared, Vec<Output>) {
    let mut sets = HashMap::new();
    let mut links: HashMap<usize, Vec<PdfLink>> = HashMap::new();
    let mut pdfs = Vec::new();
    for m in made {
        match m {
            PrepMade::Image(source, set) => {
                sets.insert(source, set);
            }
            PrepMade::Pdf(i, output, link) => {
                links.entry(i).or_default().push(link);
                pdfs.push(output);
            }
        }
    }
    (
        Shared::reusing(site, sets, links, previous, image_cache),
        pdfs,
    )
}
