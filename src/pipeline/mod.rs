//! The steps `build`, `check` and `serve` share, in the order data flows: load the site
//! (`load_site`), plan it (`render::plan`), run the preparation jobs (`prepare`), the
//! render jobs (`run_jobs`) and the finishing jobs (`finish`).

mod finish;
mod indexing;
mod prepare;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::load::LoadOptions;
use crate::content::{self, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::progress::ProgressSink;
use crate::render::plan::{Finishing, Plan};
use crate::{BuildOptions, PAGES_PER_TASK, inside, output, render, templates};

pub(crate) use finish::run_finishing;
pub(crate) use finish::{SearchDoc, index_error, search_docs};
pub(crate) use prepare::{PrepMade, Prepared, assemble, prepare, run_prep};

/// A site loaded and checked, with its compiled templates: what rendering starts from.
pub(crate) struct Loaded {
    pub site: content::Site,
    pub templates: templates::Templates,
    pub warnings: Vec<Diagnostic>,
}

/// Loads the content and compiles the templates, or returns every problem of both.
/// `cache` (kept by `serve`) spares parsing and rendering files whose text is unchanged.
pub(crate) fn load_site(
    options: &BuildOptions,
    config: Config,
    cache: Option<&content::load::LoadCache>,
) -> Result<Loaded, Diagnostics> {
    let root = &options.root;
    let load_options = LoadOptions {
        drafts: options.drafts,
        today: options.today.unwrap_or_else(|| jiff::Zoned::now().date()),
    };
    // The static folders `render::static_jobs` copies from: their links are resolved here,
    // so one leading out of the site fails the build before anything is written.
    let site_root = inside::SiteRoot::new(root);
    let static_links_out: Vec<Diagnostic> = [
        root.join("themes").join(&config.theme.name).join("static"),
        root.join("static"),
    ]
    .iter()
    .flat_map(|dir| site_root.links_out(dir))
    .collect();
    // Templates compile while content loads: both are independent and both can fail.
    let (templates, loaded) = rayon::join(
        || templates::Templates::load(root, &config),
        || content::load::load(root, config.clone(), &load_options, cache),
    );
    match (templates, loaded) {
        (Ok(mut templates), Ok((site, mut warnings))) if static_links_out.is_empty() => {
            warnings.append(&mut templates.warnings);
            Ok(Loaded {
                site,
                templates,
                warnings,
            })
        }
        (t, l) => {
            let mut all = Diagnostics(static_links_out);
            if let Err(d) = t {
                all.extend(d);
            }
            if let Err(d) = l {
                all.extend(d);
            }
            all.sort();
            Err(all)
        }
    }
}

/// What is done with each file as soon as it is rendered: the privacy gate, and when
/// building, writing it. Returns the problems found.
pub(crate) type Finish<'a> = dyn Fn(&output::Output) -> Vec<Diagnostic> + Sync + 'a;

/// Runs `jobs` in parallel, each file passed to `finish` by the job that made it; unless
/// `keep_bytes`, the files keep only their paths after that. One result per job, in order,
/// and the problems `finish` found.
pub(crate) fn run_jobs(
    renderer: &render::Renderer<'_>,
    jobs: &[&render::Job],
    keep_bytes: bool,
    finish: &Finish<'_>,
    progress: &ProgressSink,
) -> (Vec<render::JobResult>, Diagnostics) {
    let results: Vec<(render::JobResult, Vec<Diagnostic>)> = jobs
        .par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|job| {
            let mut result = renderer.run(job);
            let finished = match &mut result {
                Ok(outputs) => {
                    let problems = outputs.iter().flat_map(finish).collect();
                    if !keep_bytes {
                        outputs.iter_mut().for_each(output::Output::forget_bytes);
                    }
                    problems
                }
                Err(_) => Vec::new(),
            };
            progress.advance(1);
            (result, finished)
        })
        .collect();
    let mut problems = Diagnostics::default();
    let results = results
        .into_iter()
        .map(|(result, finished)| {
            problems.extend(finished);
            result
        })
        .collect();
    (results, problems)
}

/// What running the whole plan made.
pub(crate) struct Rendering {
    pub shared: render::context::Shared,
    pub plan: Plan,
    pub outputs: Vec<output::Output>,
    pub problems: Diagnostics,
}

/// Plans the site and runs every job of the plan, stage by stage.
pub(crate) fn run_plan(
    site: &content::Site,
    templates: &templates::Templates,
    options: &BuildOptions,
    keep_bytes: bool,
    finish: &Finish<'_>,
) -> Rendering {
    let plan = render::plan::plan(site);
    let Prepared {
        shared,
        pdfs: mut outputs,
        mut problems,
    } = prepare(site, &templates.strings, &plan.prepare, options, finish);
    let renderer = render::Renderer::new(site, templates, &shared);
    let all: Vec<&render::Job> = plan.render.iter().collect();
    // The search index parses each page as its job makes it, once it is through `finish`.
    let mut indexing = if plan.finish.contains(&Finishing::SearchIndex) {
        match indexing::Indexing::new(site) {
            Ok(indexing) => Some(indexing),
            Err(d) => {
                problems.push(d);
                None
            }
        }
    } else {
        None
    };
    let finish_and_index = |o: &output::Output| {
        let problems = finish(o);
        if let Some(indexing) = &indexing {
            indexing.take(o);
        }
        problems
    };
    options.progress.stage("Rendering", all.len());
    let (results, finished) = run_jobs(
        &renderer,
        &all,
        keep_bytes,
        &finish_and_index,
        &options.progress,
    );
    problems.extend(finished.0);
    outputs.reserve(results.len());
    for result in results {
        match result {
            Ok(o) => outputs.extend(o),
            Err(d) => problems.push(d),
        }
    }
    for job in &plan.finish {
        run_finishing(
            *job,
            &mut indexing,
            &mut outputs,
            &mut problems,
            finish,
            &options.progress,
        );
    }
    Rendering {
        shared,
        plan,
        outputs,
        problems,
    }
}

/// How many pages of each kind the site has, for the summary line.
pub(crate) fn pages_by_kind(site: &content::Site) -> BTreeMap<&'static str, usize> {
    let mut pages_by_kind = BTreeMap::new();
    for kind in Kind::ALL {
        let n = site.count(kind);
        if n > 0 {
            pages_by_kind.insert(kind.plural(), n);
        }
    }
    pages_by_kind
}

/// Which source file each page and section list was made from.
pub fn source_map(site: &content::Site) -> HashMap<PathBuf, PathBuf> {
    let pages = site
        .pages
        .iter()
        .map(|p| (render::index_path(&p.url), p.path.clone()));
    let sections = site
        .sections
        .iter()
        .map(|s| (render::index_path(&s.url), s.path.clone()));
    pages.chain(sections).collect()
}
