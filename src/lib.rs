//! hearth: a static site generator for therapy and counseling practices.
//!
//! One pipeline serves `build` and `check`: load (`content`) → plan (`render::plan`) →
//! run the jobs in parallel (`render`) → write (`output`, staging folder then swap).

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edit;
pub mod external;
pub mod inside;
pub mod markdown;
pub mod output;
mod placeholders;
pub mod privacy;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use content::Kind;
use content::load::LoadOptions;
use diagnostics::{Diagnostic, Diagnostics};

/// The most pages one parallel task takes on (`with_max_len`). Left to itself, rayon
/// splits a list into as many parts as threads and halves them again only when a thread
/// steals one, so on two cores a thread could be left with a quarter of the site while the
/// other waited: 140-300 ms of a 10k build ran on one thread. Small tasks end together.
pub(crate) const PAGES_PER_TASK: usize = 16;

/// What the command line (or a test) asks of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The date that decides which pages are "in the future"; today when unset.
    pub today: Option<jiff::civil::Date>,
    /// PDFs kept between builds (`serve` keeps one for its whole run).
    pub pdf_cache: Option<std::sync::Arc<render::worksheets::PdfCache>>,
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub files: usize,
    pub pages_by_kind: BTreeMap<&'static str, usize>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// What a build made along the way and no longer needs: the loaded site, the template
/// data, the plan. At 10 000 pages, freeing it piece by piece took 30-50 ms on one thread at
/// the end of the build.
#[expect(dead_code, reason = "held only to be freed, never read")]
struct Spent(
    content::Site,
    templates::Templates,
    render::context::Shared,
    Vec<render::Job>,
);

/// Frees `value` on a thread of its own, so the caller need not wait (and a process
/// that exits does not free it at all).
fn free_in_background<T: Send + 'static>(value: T) {
    // If no thread can be made, the closure and the value go with the error, here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Loads, renders and writes the site.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let config = load_config(options)?;
    let output_dir = output::check_output_dir(
        &options.root,
        options.output.as_ref().unwrap_or(&config.output_dir),
    )
    .map_err(|d| Diagnostics(vec![d]))?;
    let loaded = load_site(options, config, None)?;
    // Only a site that loaded touches the disk. Removed again unless everything succeeds.
    let staging = output::Staging::create(&output_dir, inside::SiteRoot::new(&options.root))
        .map_err(|d| Diagnostics(vec![d]))?;
    let (rendered, spent) = render_site_with(options, loaded, Some(&staging))?;
    staging
        .publish(&output_dir)
        .map_err(|d| Diagnostics(vec![d]))?;
    let files = rendered.outputs.len();
    let report = BuildReport {
        output_dir,
        files,
        pages_by_kind: rendered.pages_by_kind,
        warnings: rendered.warnings,
        elapsed: started.elapsed(),
    };
    free_in_background((spent, rendered.outputs, rendered.source_of));
    Ok(report)
}

/// What `hearth check` reports when nothing is wrong enough to fail.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub warnings: Vec<Diagnostic>,
    /// External links with the pages that use them (listed, not fetched).
    pub external: Vec<(String, Vec<String>)>,
}

/// Runs the whole pipeline without writing, then checks the rendered pages; returns the
/// warnings and external links, or every problem found.
pub fn check(options: &BuildOptions) -> Result<CheckReport, Diagnostics> {
    let config = load_config(options)?;
    let rendered = render_site(options, config)?;
    let report = check::site(&rendered.outputs, &rendered.source_of);
    let mut all = Diagnostics(rendered.warnings);
    all.extend(report.problems);
    all.extend(placeholders::find(
        &options.root,
        rendered.source_of.values().map(PathBuf::as_path),
    ));
    all.sort();
    if all.has_errors() {
        return Err(all);
    }
    Ok(CheckReport {
        warnings: all.0,
        external: report.external,
    })
}

/// Loads and renders the site in memory, as `serve` needs it.
pub fn render_in_memory(options: &BuildOptions) -> Result<RenderedSite, Diagnostics> {
    let config = load_config(options)?;
    render_site(options, config)
}

pub(crate) fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&options.root).map_err(Diagnostics)?;
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    Ok(config)
}

/// The site in memory: every output file, and what the build learned.
pub struct RenderedSite {
    /// When the build wrote the files (and made no search index), pages keep only their
    /// paths here.
    pub outputs: Vec<output::Output>,
    /// Output path → the source file it was made from, to name in diagnostics.
    pub source_of: HashMap<PathBuf, PathBuf>,
    pub pages_by_kind: BTreeMap<&'static str, usize>,
    pub warnings: Vec<Diagnostic>,
}

/// Load → plan → render, all in memory, with the privacy gate.
pub fn render_site(options: &BuildOptions, config: Config) -> Result<RenderedSite, Diagnostics> {
    render_site_with(options, load_site(options, config, None)?, None).map(|(rendered, _)| rendered)
}

/// Renders a loaded site, passing every file through the privacy gate as soon as it is
/// made and, when building, writing it into `staging`.
fn render_site_with(
    options: &BuildOptions,
    loaded: Loaded,
    staging: Option<&output::Staging>,
) -> Result<(RenderedSite, Spent), Diagnostics> {
    let Loaded {
        site,
        templates,
        mut warnings,
    } = loaded;
    let source_of = source_map(&site);
    let hosts = privacy::Hosts::of(&site.config);
    let finish = |o: &output::Output| {
        let mut problems = privacy::check(o, &hosts, &source_of);
        if let Some(staging) = staging
            && let Err(d) = staging.write(o)
        {
            problems.push(d);
        }
        problems
    };
    // Once written, a page's bytes are needed again only by the search index (or by the
    // caller, when nothing is written); otherwise they are freed at once.
    let keep_bytes = staging.is_none() || site.config.search.enabled;
    let Rendering {
        mut outputs,
        mut problems,
        shared,
        jobs,
    } = render_loaded(&site, &templates, options, keep_bytes, &finish);
    if site.config.search.enabled && !problems.has_errors() {
        let index = {
            let html = html_by_path(&outputs);
            search_index(&search_docs(&site), &site.config.language, |path| {
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
    problems.extend(output::check_collisions(
        outputs.iter().map(|o| o.path.as_path()),
    ));
    if problems.has_errors() {
        problems.extend(warnings);
        problems.sort();
        return Err(problems);
    }
    warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let pages_by_kind = pages_by_kind(&site);
    Ok((
        RenderedSite {
            outputs,
            source_of,
            pages_by_kind,
            warnings,
        },
        Spent(site, templates, shared, jobs),
    ))
}

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
        || templates::Templates::load(root, &config.theme.name),
        || content::load::load(root, config.clone(), &load_options, cache),
    );
    match (templates, loaded) {
        (Ok(templates), Ok((site, warnings))) if static_links_out.is_empty() => Ok(Loaded {
            site,
            templates,
            warnings,
        }),
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

/// What running every render job made (the search index and the checks come after).
pub(crate) struct Rendering {
    pub shared: render::context::Shared,
    pub jobs: Vec<render::Job>,
    pub outputs: Vec<output::Output>,
    pub problems: Diagnostics,
}

/// What is done with each file as soon as it is rendered: the privacy gate, and when
/// building, writing it. Returns the problems found.
pub(crate) type Finish<'a> = dyn Fn(&output::Output) -> Vec<Diagnostic> + Sync + 'a;

/// The preparation jobs' results and the plan of the render jobs.
pub(crate) struct Prepared {
    pub shared: render::context::Shared,
    pub jobs: Vec<render::Job>,
    /// The worksheet PDFs, already passed to `finish`.
    pub outputs: Vec<output::Output>,
    pub problems: Diagnostics,
}

/// Runs the preparation jobs (cover sizes, then the PDFs, whose sizes worksheet pages
/// show) and plans the render jobs.
pub(crate) fn prepare(
    site: &content::Site,
    options: &BuildOptions,
    finish: &Finish<'_>,
) -> Prepared {
    let (covers, cover_jobs, cover_problems) = render::covers::plan(site);
    let pdfs = render::worksheets::make_all(site, options.pdf_cache.as_deref());
    let mut problems = Diagnostics(cover_problems);
    problems.extend(pdfs.problems);
    problems.extend(
        pdfs.outputs
            .par_iter()
            .flat_map_iter(finish)
            .collect::<Vec<_>>(),
    );
    let shared = render::context::Shared::new(site, covers, pdfs.links);
    let jobs = render::plan(site, cover_jobs);
    Prepared {
        shared,
        jobs,
        outputs: pdfs.outputs,
        problems,
    }
}

/// Runs `jobs` in parallel, each file passed to `finish` by the job that made it; unless
/// `keep_bytes`, the files keep only their paths after that. One result per job, in order,
/// and the problems `finish` found.
pub(crate) fn run_jobs(
    renderer: &render::Renderer<'_>,
    jobs: &[&render::Job],
    keep_bytes: bool,
    finish: &Finish<'_>,
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

/// Prepares, then runs every render job.
pub(crate) fn render_loaded(
    site: &content::Site,
    templates: &templates::Templates,
    options: &BuildOptions,
    keep_bytes: bool,
    finish: &Finish<'_>,
) -> Rendering {
    let Prepared {
        shared,
        jobs,
        mut outputs,
        mut problems,
    } = prepare(site, options, finish);
    let renderer = render::Renderer::new(site, templates, &shared);
    let all: Vec<&render::Job> = jobs.iter().collect();
    let (results, finished) = run_jobs(&renderer, &all, keep_bytes, finish);
    problems.extend(finished.0);
    outputs.reserve(results.len());
    for result in results {
        match result {
            Ok(o) => outputs.extend(o),
            Err(d) => problems.push(d),
        }
    }
    Rendering {
        shared,
        jobs,
        outputs,
        problems,
    }
}

/// How many pages of each kind the site has, for the summary line.
fn pages_by_kind(site: &content::Site) -> BTreeMap<&'static str, usize> {
    let mut pages_by_kind = BTreeMap::new();
    for kind in Kind::ALL {
        let n = site.count(kind);
        if n > 0 {
            pages_by_kind.insert(kind.plural(), n);
        }
    }
    pages_by_kind
}

/// What the search index needs to know of one page besides its HTML.
pub struct SearchDoc {
    /// The page's file in the output (`articles/a/index.html`).
    pub path: PathBuf,
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
    render::search::build_index(&pages, language)
        .map(|files| files.into_iter().map(|(path, bytes)| output::Output::bytes(path, bytes)).collect())
        .map_err(|e| {
            Diagnostic::error(config::CONFIG_FILE, format!("cannot build the search index: {e}"))
                .with_help("set [search] enabled = false in site.toml to build without search, and report this")
        })
}

/// Finds pages' HTML among a build's outputs.
fn html_by_path(outputs: &[output::Output]) -> HashMap<&Path, &[u8]> {
    outputs
        .iter()
        .filter_map(|o| match &o.body {
            output::Body::Bytes(bytes) => Some((o.path.as_path(), bytes.as_slice())),
            output::Body::Copy(_) => None,
        })
        .collect()
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

/// The site folder a command works on: `--root`, or the current folder.
pub fn site_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
