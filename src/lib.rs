//! hearth: a static site generator for therapy and counseling practices.
//!
//! One pipeline serves `build`, `check` and `serve`: load (`content`) → plan
//! (`render::plan`) → run its preparation, render and finishing jobs (`pipeline`) → write
//! (`output`, staging folder then swap) or serve from memory (`serve`).

//!
//! The public API is what the `hearth` command uses: [`build`], [`check`],
//! [`render_in_memory`], [`serve`], [`publish`], [`scaffold`] (`init`, `new`), [`import`],
//! [`external`] link checks and the [`diagnostics`] they all report. Everything else is
//! the crate's own; hearth's fuzz targets, benches and tests reach it through the hidden
//! [`internals`] module, which is not a stable API.

mod check;
mod config;
mod content;
pub mod diagnostics;
pub mod edit;
pub mod external;
mod images;
pub mod import;
mod inside;
mod markdown;
mod output;
mod pipeline;
mod placeholders;
mod privacy;
pub mod progress;
pub mod publish;
mod render;
pub mod scaffold;
pub mod serve;
mod strings;
mod templates;

/// The crate's internals, for hearth's own fuzz targets (`fuzz/`), benches (`benches/`)
/// and integration tests (`tests/`), which exercise parts of the pipeline on their own.
/// Not an API: anything here may change in any release.
#[doc(hidden)]
pub mod internals {
    pub mod check {
        pub use crate::check::*;
    }
    pub mod config {
        pub use crate::config::*;
    }
    pub mod content {
        pub use crate::content::*;
    }
    pub mod inside {
        pub use crate::inside::*;
    }
    pub mod markdown {
        pub use crate::markdown::*;
    }
    pub mod output {
        pub use crate::output::*;
    }
    pub mod privacy {
        pub use crate::privacy::*;
    }
    pub mod render {
        pub use crate::render::*;
    }
    pub mod templates {
        pub use crate::templates::*;
    }
}

pub use config::CONFIG_FILE;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::Config;
use diagnostics::{Diagnostic, Diagnostics};
pub use pipeline::source_map;
use pipeline::{Loaded, Rendering, load_site, pages_by_kind};
pub(crate) use pipeline::{SearchDoc, search_docs};

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
    /// Told how far the build has got (the command line shows it on a terminal).
    pub progress: progress::ProgressSink,
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub files: usize,
    pub pages_by_kind: BTreeMap<&'static str, usize>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Photo copies encoded by this build, and taken from `.hearth-cache/images/`.
    pub images_encoded: usize,
    pub images_reused: usize,
    /// Source photos read and hashed; the others were known from their size and times.
    pub images_read: usize,
}

/// What a build made along the way and no longer needs: the loaded site, the template
/// data, the plan. At 10 000 pages, freeing it piece by piece took 30-50 ms on one thread at
/// the end of the build.
#[expect(dead_code, reason = "held only to be freed, never read")]
struct Spent(
    content::Site,
    templates::Templates,
    render::context::Shared,
    render::plan::Plan,
);

/// Frees `value` on a thread of its own, so the caller need not wait (and a process
/// that exits does not free it at all).
pub(crate) fn free_in_background<T: Send + 'static>(value: T) {
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
    let image_cache = &spent.2.image_cache;
    let counts = image_cache.counts();
    // Only after a whole build is it known which copies no page uses any more. A cache
    // that cannot be cleaned costs disk space, not the build.
    let _ = image_cache.prune();
    let files = rendered.outputs.len();
    let report = BuildReport {
        output_dir,
        files,
        pages_by_kind: rendered.pages_by_kind,
        warnings: rendered.warnings,
        elapsed: started.elapsed(),
        images_encoded: counts.encoded,
        images_reused: counts.reused,
        images_read: counts.read,
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
        let mut problems = privacy::check(o, &hosts, &|path| source_of.get(path).cloned());
        if let Some(staging) = staging
            && let Err(d) = staging.write(o)
        {
            problems.push(d);
        }
        problems
    };
    // Once written (and parsed for the search index), a page's bytes are needed again only
    // by the caller when nothing is written; otherwise they are freed at once.
    let keep_bytes = staging.is_none();
    let Rendering {
        outputs,
        mut problems,
        shared,
        plan,
    } = pipeline::run_plan(&site, &templates, options, keep_bytes, &finish);
    if problems.has_errors() {
        problems.extend(warnings);
        problems.sort();
        return Err(problems);
    }
    warnings.extend(problems.0);
    warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let pages_by_kind = pages_by_kind(&site);
    Ok((
        RenderedSite {
            outputs,
            source_of,
            pages_by_kind,
            warnings,
        },
        Spent(site, templates, shared, plan),
    ))
}

/// The site folder a command works on: `--root`, or the current folder.
pub fn site_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
