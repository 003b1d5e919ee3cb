//! `serve`'s rebuilds. A full rebuild reuses the parsed and rendered Markdown of every file
//! whose text is unchanged (and the PDFs, through the PDF cache). The commonest edit — the
//! text of a page below its front matter — takes a quick path instead: that page is read
//! again and re-rendered, and so is every output that shows its card, if the card changed.
//! Anything else (front matter, new or deleted files, templates, site.toml, worksheets,
//! headings other pages may link to) takes the full path, which is always correct.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::load::{LoadCache, LoadOptions, reload_page};
use crate::content::{Kind, Page, Site, links};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{self, Output};
use crate::render::context::Shared;
use crate::render::{Job, Renderer};
use crate::templates::Templates;
use crate::{BuildOptions, Loaded, Rendering, check, load_config, load_site, render_loaded};

/// The last good build and what a quick rebuild needs of it.
struct Built {
    site: Site,
    templates: Templates,
    shared: Shared,
    jobs: Vec<Job>,
    /// Page index → the jobs whose output shows its card.
    card_readers: Vec<Vec<usize>>,
    source_of: HashMap<PathBuf, PathBuf>,
    /// A page's file (relative to the site root) → its index.
    page_by_path: HashMap<PathBuf, usize>,
    feed_job: Option<usize>,
}

/// What a rebuild changed.
pub struct Update {
    /// `true`: `outputs` is the whole site (search index aside); `false`: only these files
    /// changed, at paths that already existed.
    pub everything: bool,
    pub outputs: Vec<Output>,
    /// Render jobs run (pages, lists, feeds…), for the terminal line.
    pub rerendered: usize,
    pub jobs: usize,
    /// The pages to index for search, when search is on.
    pub search: Option<SearchRequest>,
}

/// What the search indexer needs: which pages to index, and in which language.
pub struct SearchRequest {
    pub docs: Vec<crate::SearchDoc>,
    pub language: String,
}

/// A serve session: the build options and what the last good build left.
pub struct Session {
    options: BuildOptions,
    cache: LoadCache,
    built: Option<Built>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            cache: LoadCache::default(),
            built: None,
        }
    }

    /// Where the site's own output folder is, so the watcher can ignore it.
    pub fn output_dir(&self) -> Option<PathBuf> {
        let built = self.built.as_ref()?;
        Some(self.options.root.join(&built.site.config.output_dir))
    }

    /// Rebuilds after `changed` (paths relative to the site root), by the quickest correct
    /// path. On error the last good build is kept.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        if let Some(result) = self.quick(changed) {
            return result;
        }
        if let Some(result) = self.templates_only(changed) {
            return result;
        }
        self.full()
    }

    /// Loads and renders everything, reusing unchanged files' Markdown.
    pub fn full(&mut self) -> Result<Update, Diagnostics> {
        let options = &self.options;
        let config = load_config(options)?;
        let Loaded {
            site, templates, ..
        } = load_site(options, config, Some(&self.cache))?;
        let Rendering {
            shared,
            jobs,
            outputs,
            card_readers,
            mut problems,
        } = render_loaded(&site, &templates, options, true);
        problems.extend(output::check_collisions(&outputs));
        let source_of = crate::source_map(&site);
        problems.extend(check::privacy(
            &outputs,
            &site.config.privacy.allow,
            &source_of,
        ));
        if problems.has_errors() {
            problems.sort();
            return Err(problems);
        }
        let page_by_path = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.clone(), i))
            .collect();
        let feed_job = jobs.iter().position(|j| matches!(j, Job::Feed));
        let search = search_request(&site);
        let rendered = jobs.len();
        self.built = Some(Built {
            site,
            templates,
            shared,
            jobs,
            card_readers,
            source_of,
            page_by_path,
            feed_job,
        });
        Ok(Update {
            everything: true,
            outputs,
            rerendered: rendered,
            jobs: rendered,
            search,
        })
    }

    /// The quick path, when every change is the body of an existing page whose front
    /// matter and headings stay as they were; `None` when the full path is needed.
    fn quick(&mut self, changed: &[PathBuf]) -> Option<Result<Update, Diagnostics>> {
        let built = self.built.as_mut()?;
        let load_options = LoadOptions {
            drafts: self.options.drafts,
            today: self
                .options
                .today
                .unwrap_or_else(|| jiff::Zoned::now().date()),
        };
        let root = &self.options.root;
        let mut edits = Vec::new();
        for path in changed {
            let &i = built.page_by_path.get(path)?;
            let old = &built.site.pages[i];
            let (mut page, diags) =
                reload_page(root, &root.join(path), &built.site.sections, &load_options).ok()??;
            if !same_shape(old, &page) || diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            let link_problems =
                links::resolve_page(&mut page, &built.site.pages, &built.site.sections);
            if !link_problems.is_empty() {
                return None;
            }
            // Set from the front matter, which has not changed.
            page.opening_hours = old.opening_hours.clone();
            edits.push((i, page));
        }
        if edits.is_empty() {
            return None;
        }

        let mut jobs = BTreeSet::new();
        let mut previous = Vec::new();
        for (i, page) in edits {
            previous.push((i, std::mem::replace(&mut built.site.pages[i], page)));
            jobs.insert(i);
            if built.shared.refresh_card(&built.site, i) {
                jobs.extend(built.card_readers[i].iter().copied());
            }
        }
        // The feed carries the newest pages' whole text.
        jobs.extend(built.feed_job);

        let result = built.render(&jobs, &built.templates);
        if result.is_err() {
            for (i, page) in previous {
                built.site.pages[i] = page;
                built.shared.refresh_card(&built.site, i);
            }
        }
        Some(result.map(|outputs| Update {
            everything: false,
            outputs,
            rerendered: jobs.len(),
            jobs: built.jobs.len(),
            search: search_request(&built.site),
        }))
    }
}

impl Session {
    /// When only templates changed: compiles them again and re-renders the jobs whose
    /// template, or a template it extends, includes or imports, changed — or whose choice
    /// of template changed (a new `article.html` takes over from `page.html`).
    fn templates_only(&mut self, changed: &[PathBuf]) -> Option<Result<Update, Diagnostics>> {
        let built = self.built.as_mut()?;
        let theme_templates = Path::new("themes")
            .join(&built.site.config.theme.name)
            .join("templates");
        if !changed
            .iter()
            .all(|p| p.starts_with("templates") || p.starts_with(&theme_templates))
        {
            return None;
        }
        let templates = match Templates::load(&self.options.root, &built.site.config.theme.name) {
            Ok(t) => t,
            Err(d) => return Some(Err(Diagnostics(d))),
        };
        let names = templates.changed_since(&built.templates);
        let before = Renderer::new(&built.site, &built.templates, &built.shared);
        let after = Renderer::new(&built.site, &templates, &built.shared);
        let jobs: BTreeSet<usize> = built
            .jobs
            .iter()
            .enumerate()
            .filter(|(_, job)| {
                let (old, new) = (before.template_of(job), after.template_of(job));
                old != new
                    || old.is_some_and(|t| built.templates.uses_any(&t, &names))
                    || new.is_some_and(|t| templates.uses_any(&t, &names))
            })
            .map(|(j, _)| j)
            .collect();
        let outputs = match built.render(&jobs, &templates) {
            Ok(outputs) => outputs,
            Err(d) => return Some(Err(d)),
        };
        built.templates = templates;
        Some(Ok(Update {
            everything: false,
            outputs,
            rerendered: jobs.len(),
            jobs: built.jobs.len(),
            search: search_request(&built.site),
        }))
    }
}

impl Built {
    /// Runs some of the jobs again, with `templates`, and checks what they made.
    fn render(
        &self,
        jobs: &BTreeSet<usize>,
        templates: &Templates,
    ) -> Result<Vec<Output>, Diagnostics> {
        let renderer = Renderer::new(&self.site, templates, &self.shared);
        let jobs: Vec<&Job> = jobs.iter().map(|&j| &self.jobs[j]).collect();
        let results: Vec<crate::render::JobResult> =
            jobs.par_iter().map(|job| renderer.run(job)).collect();
        let mut problems = Diagnostics::default();
        let mut outputs = Vec::new();
        for result in results {
            match result {
                Ok(o) => outputs.extend(o),
                Err(d) => problems.push(d),
            }
        }
        problems.extend(check::privacy(
            &outputs,
            &self.site.config.privacy.allow,
            &self.source_of,
        ));
        if problems.has_errors() {
            problems.sort();
            return Err(problems);
        }
        Ok(outputs)
    }
}

/// Whether an edited page can take the quick path: same kind, same front matter (so the
/// same URL, date, topics and references), same headings (so other pages' links to it
/// still resolve), and not a worksheet (its PDF is made from the body).
fn same_shape(old: &Page, new: &Page) -> bool {
    let ids =
        |p: &Page| -> Vec<String> { p.rendered.headings.iter().map(|h| h.id.clone()).collect() };
    old.kind == new.kind
        && new.kind != Kind::Worksheets
        && old.source[..old.body_offset] == new.source[..new.body_offset]
        && ids(old) == ids(new)
}

fn search_request(site: &Site) -> Option<SearchRequest> {
    site.config.search.enabled.then(|| SearchRequest {
        docs: crate::search_docs(site),
        language: site.config.language.clone(),
    })
}

/// Paths as the served map keys them: `/`-separated, relative to the output folder.
pub fn served_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
