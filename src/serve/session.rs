//! `serve`'s rebuilds, through the same pipeline as `build`: load (files whose text is
//! unchanged come from the cache of loaded pages, keyed by a hash of their text) → plan →
//! run. Of the plan's preparation and render jobs, only those whose inputs' fingerprint
//! differs from the last good run's are run again (a preparation job's result is kept for
//! the next run); the outputs of jobs that are gone are taken down. The finishing jobs run
//! over the whole result: the collision check at once, the search index afterwards on the
//! server's indexer thread.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Site;
use crate::content::load::LoadCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::cache::Cache;
use crate::output::{self, Body, Output};
use crate::pipeline::{Loaded, PrepMade, assemble, load_site, run_jobs, run_prep};
use crate::privacy;
use crate::render::context::Kept;
use crate::render::inputs::{job_key, prep_fingerprints, prep_key};
use crate::render::plan::{Finishing, Prep, plan};
use crate::render::{Job, Renderer};
use crate::{BuildOptions, load_config};

/// What a rebuild changed in the served files.
pub struct Changes {
    /// Files made or made again, at new or existing paths.
    pub outputs: Vec<Output>,
    /// Paths that no job makes any more.
    pub removed: Vec<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty() && self.removed.is_empty()
    }

    /// Applies the changes to a map of served files, keyed as [`served_key`] keys them.
    pub fn apply_to<B: From<Body>>(self, files: &mut HashMap<String, B>) {
        for path in &self.removed {
            files.remove(&served_key(path));
        }
        for Output { path, body } in self.outputs {
            files.insert(served_key(&path), B::from(body));
        }
    }
}

/// What a rebuild did.
pub struct Update {
    pub changes: Changes,
    /// Render jobs run, and jobs in the plan, for the terminal line.
    pub rerendered: usize,
    pub jobs: usize,
    /// The pages to index for search, when search is on and something changed.
    pub search: Option<SearchRequest>,
    /// Whether the site has search at all (a site that turns it off loses its index).
    pub search_enabled: bool,
    pub warnings: Vec<Diagnostic>,
}

impl Update {
    pub fn is_nothing(&self) -> bool {
        self.changes.is_empty()
    }
}

/// What the search indexer needs: which pages to index, and in which language.
pub struct SearchRequest {
    pub docs: Vec<crate::SearchDoc>,
    pub language: String,
}

/// The files one job made; shared, as most jobs' stay the same from run to run.
type Files = Arc<[PathBuf]>;

/// What the last good run made: each job's fingerprint and the files it made, and what
/// each preparation job made.
#[derive(Default)]
struct LastRun {
    jobs: FxHashMap<u64, (u64, Files)>,
    prepared: FxHashMap<u64, (u64, PrepMade)>,
    kept: Kept,
    output_dir: Option<PathBuf>,
}

/// A preparation job's result: the last run's, or made now.
enum PrepStep {
    Reused(PrepMade),
    Ran(PrepMade),
}
use PrepStep::{Ran, Reused};

/// The render stage of one rebuild.
struct RenderStage {
    /// Every render job's fingerprint and files.
    next: FxHashMap<u64, (u64, Files)>,
    /// The files of the jobs run now.
    outputs: Vec<Output>,
    run: usize,
}

/// The preparation stage of one rebuild.
struct Preparation {
    /// In the plan's order: what each job made, now or in an earlier run.
    made: Vec<PrepMade>,
    /// The files of the jobs run now.
    outputs: Vec<Output>,
    record: FxHashMap<u64, (u64, PrepMade)>,
    /// Job key → the files it made, for the run's record of files.
    paths: Vec<(u64, u64, Files)>,
}

/// A serve session: the build options, the loaded pages and the last good run.
pub struct Session {
    options: BuildOptions,
    cache: LoadCache,
    last: LastRun,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        let options = BuildOptions {
            pdf_cache: options
                .pdf_cache
                .clone()
                .or_else(|| Some(Default::default())),
            ..options
        };
        Session {
            options,
            cache: LoadCache::default(),
            last: LastRun::default(),
        }
    }

    /// Where the site's own output folder is, so the watcher can ignore it.
    pub fn output_dir(&self) -> Option<PathBuf> {
        self.last
            .output_dir
            .as_ref()
            .map(|d| self.options.root.join(d))
    }

    /// Runs the preparation jobs whose inputs changed; the others' results are the last
    /// good run's.
    fn prepare(
        &self,
        site: &Site,
        strings: &crate::strings::Strings,
        jobs: &[Prep],
        gate: &(dyn Fn(&Output) -> Vec<Diagnostic> + Sync),
        problems: &mut Diagnostics,
        images: &Cache,
    ) -> Preparation {
        let fingerprints = prep_fingerprints(site, strings.hash(), jobs);
        let keys: Vec<u64> = jobs.iter().map(|job| prep_key(site, job)).collect();
        let last = &self.last.prepared;
        let kept = |j: usize| {
            last.get(&keys[j])
                .filter(|(fp, _)| *fp == fingerprints[j])
                .map(|(_, made)| Reused(made.clone()))
        };
        let cache = self.options.pdf_cache.as_deref();
        let results: Vec<Result<PrepStep, Diagnostic>> = (0..jobs.len())
            .into_par_iter()
            .map(|j| {
                kept(j).map_or_else(
                    || run_prep(site, strings, &jobs[j], cache, images).map(Ran),
                    Ok,
                )
            })
            .collect();
        images.remember(|photo| site.images.sources.contains_key(photo));
        let mut prep = Preparation {
            made: Vec::with_capacity(jobs.len()),
            outputs: Vec::new(),
            record: FxHashMap::with_capacity_and_hasher(jobs.len(), Default::default()),
            paths: Vec::new(),
        };
        for (j, result) in results.into_iter().enumerate() {
            let made = match result {
                Ok(Reused(made)) => made,
                Ok(Ran(made)) => {
                    if let PrepMade::Pdf(_, output, _) = &made {
                        problems.extend(gate(output));
                        prep.outputs.push(output.clone());
                    }
                    made
                }
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            let paths: Files = match &made {
                PrepMade::Pdf(_, output, _) => Arc::new([output.path.clone()]),
                _ => Arc::new([]),
            };
            prep.paths.push((keys[j], fingerprints[j], paths));
            prep.record.insert(keys[j], (fingerprints[j], made.clone()));
            prep.made.push(made);
        }
        prep
    }

    /// Runs the render jobs whose fingerprint differs from the last good run's; the record
    /// keeps every job's fingerprint, with the files of the others as they were.
    fn render(
        &self,
        renderer: &Renderer<'_>,
        jobs: &[Job],
        gate: &(dyn Fn(&Output) -> Vec<Diagnostic> + Sync),
        problems: &mut Diagnostics,
    ) -> RenderStage {
        let fingerprints = renderer.fingerprints(jobs);
        let keys: Vec<u64> = jobs.iter().map(|job| job_key(renderer.site, job)).collect();
        let last = &self.last.jobs;
        let stale: Vec<usize> = (0..jobs.len())
            .filter(|&j| last.get(&keys[j]).map(|(fp, _)| *fp) != Some(fingerprints[j]))
            .collect();
        let to_run: Vec<&Job> = stale.iter().map(|&j| &jobs[j]).collect();
        let (results, finished) = run_jobs(renderer, &to_run, true, gate, &Default::default());
        problems.extend(finished.0);
        let mut stage = RenderStage {
            next: FxHashMap::with_capacity_and_hasher(jobs.len(), Default::default()),
            outputs: Vec::new(),
            run: stale.len(),
        };
        for (&j, result) in stale.iter().zip(results) {
            match result {
                Ok(made) => {
                    let paths: Vec<PathBuf> = made.iter().map(|o| o.path.clone()).collect();
                    stage.next.insert(keys[j], (fingerprints[j], paths.into()));
                    stage.outputs.extend(made);
                }
                Err(d) => problems.push(d),
            }
        }
        for (j, key) in keys.iter().enumerate() {
            if !stage.next.contains_key(key)
                && let Some((_, paths)) = last.get(key)
            {
                stage.next.insert(*key, (fingerprints[j], paths.clone()));
            }
        }
        stage
    }

    /// The files the last good run made that no job of `next` makes.
    fn removed(&self, next: &FxHashMap<u64, (u64, Files)>) -> Vec<PathBuf> {
        let made: FxHashSet<&Path> = next
            .values()
            .flat_map(|(_, paths)| paths.iter().map(PathBuf::as_path))
            .collect();
        self.last
            .jobs
            .values()
            .flat_map(|(_, paths)| paths.iter())
            .filter(|path| !made.contains(path.as_path()))
            .cloned()
            .collect()
    }

    /// Rebuilds after the watcher reported `changed`: of the other pages, those whose
    /// file's size and modification time are unchanged are not read again.
    pub fn rebuild_after(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        let content = self.options.root.join(crate::content::load::CONTENT_DIR);
        self.cache.reported(&content, changed);
        self.rebuild()
    }

    /// Loads and plans the site again and runs the jobs whose inputs changed since the last
    /// good run. On error the last good run is kept, so the next rebuild compares with it.
    pub fn rebuild(&mut self) -> Result<Update, Diagnostics> {
        let options = &self.options;
        let config = load_config(options)?;
        let Loaded {
            site,
            templates,
            warnings,
        } = load_site(options, config, Some(&self.cache))?;
        let hosts = privacy::Hosts::of(&site.config);
        // Which file made an output is asked only of one with a problem.
        let source_of = |path: &Path| crate::source_map(&site).remove(path);
        let gate = |o: &Output| privacy::check(o, &hosts, &source_of);
        let plan = plan(&site);
        let mut problems = Diagnostics::default();
        let image_cache = Arc::new(Cache::new(&site.root));
        let prep = self.prepare(
            &site,
            &templates.strings,
            &plan.prepare,
            &gate,
            &mut problems,
            &image_cache,
        );
        let (shared, _) = assemble(&site, prep.made, Some(&self.last.kept), image_cache);
        let renderer = Renderer::new(&site, &templates, &shared);
        let RenderStage {
            mut next,
            mut outputs,
            run,
        } = self.render(&renderer, &plan.render, &gate, &mut problems);
        outputs.extend(prep.outputs);
        next.extend(
            prep.paths
                .into_iter()
                .map(|(key, fp, paths)| (key, (fp, paths))),
        );
        // The finishing jobs: the collision check now, over every file of the run; the
        // search index on the indexer thread, when a page it reads may have changed.
        if plan.finish.contains(&Finishing::Collisions) {
            problems.extend(output::check_collisions(
                next.values()
                    .flat_map(|(_, paths)| paths.iter().map(PathBuf::as_path)),
            ));
        }
        if problems.has_errors() {
            problems.extend(warnings);
            problems.sort();
            return Err(problems);
        }
        let removed = self.removed(&next);
        let mut warnings = Diagnostics(warnings);
        warnings.extend(problems.0);
        warnings.sort();
        let search_enabled = plan.finish.contains(&Finishing::SearchIndex);
        let changed = !outputs.is_empty() || !removed.is_empty();
        let update = Update {
            changes: Changes { outputs, removed },
            rerendered: run,
            jobs: plan.render.len(),
            search: (search_enabled && changed).then(|| SearchRequest {
                docs: crate::search_docs(&site),
                language: site.search_language().to_string(),
            }),
            search_enabled,
            warnings: warnings.0,
        };
        self.last = LastRun {
            jobs: next,
            prepared: prep.record,
            kept: shared.kept(),
            output_dir: Some(site.config.output_dir.clone()),
        };
        // Ten thousand pages take a while to free; the browser need not wait for it.
        drop(renderer);
        crate::free_in_background((site, templates, shared, plan));
        Ok(update)
    }
}

/// Paths as the served map keys them: `/`-separated, relative to the output folder.
pub fn served_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
