//! `serve`'s rebuilds. A full rebuild reuses the parsed and rendered Markdown of every file
//! whose text is unchanged (and the PDFs, through the PDF cache). The commonest edits — a
//! page's text, its title or description — take a quick path instead: that page is read
//! again and re-rendered, and so is every output that shows its card, if the card changed.
//! A template change re-renders what uses the template. Anything else (other front matter,
//! new or deleted files, site.toml, worksheets, headings other pages may link to) takes the
//! full path, which is always correct.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::load::{LoadCache, LoadOptions, reload_page, sort_section, sort_topic};
use crate::content::{Kind, Page, Site, links};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{self, Output};
use crate::privacy;
use crate::render::context::Shared;
use crate::render::{Job, Renderer};
use crate::templates::Templates;
use crate::{BuildOptions, Loaded, Rendering, load_config, load_site, render_loaded};

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

impl Update {
    /// A rebuild that found nothing to re-render.
    fn nothing(built: &Built) -> Update {
        Update {
            everything: false,
            outputs: Vec::new(),
            rerendered: 0,
            jobs: built.jobs.len(),
            search: None,
        }
    }

    pub fn is_nothing(&self) -> bool {
        !self.everything && self.rerendered == 0
    }
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
    /// Changed files that the last rebuild failed on.
    pending: BTreeSet<PathBuf>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            cache: LoadCache::default(),
            built: None,
            pending: BTreeSet::new(),
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
        // What a failed rebuild could not apply is tried again with the next changes, so a
        // quick rebuild after a broken template or site.toml cannot hide it.
        self.pending.extend(changed.iter().cloned());
        let changed: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let result = match self.quick(&changed) {
            Some(result) => result,
            None => match self.templates_only(&changed) {
                Some(result) => result,
                None => self.full(),
            },
        };
        if result.is_ok() {
            self.pending.clear();
        }
        result
    }

    /// Loads and renders everything, reusing unchanged files' Markdown.
    pub fn full(&mut self) -> Result<Update, Diagnostics> {
        let options = &self.options;
        let config = load_config(options)?;
        let Loaded {
            site, templates, ..
        } = load_site(options, config, Some(&self.cache))?;
        let source_of = crate::source_map(&site);
        let hosts = privacy::Hosts::of(&site.config);
        let gate = |o: &Output| privacy::check(o, &hosts, &source_of);
        let Rendering {
            shared,
            jobs,
            outputs,
            card_readers,
            mut problems,
        } = render_loaded(&site, &templates, options, true, true, &gate);
        problems.extend(output::check_collisions(&outputs));
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
        // Only pages that still exist (deleted or renamed ones change other pages' links
        // and lists).
        if !changed
            .iter()
            .all(|p| built.page_by_path.contains_key(p) && root.join(p).is_file())
        {
            return None;
        }
        let mut edits = Vec::new();
        for path in changed {
            let &i = built.page_by_path.get(path)?;
            let old = &built.site.pages[i];
            // A file that does not parse (often one caught half-saved) is reported at once:
            // its own diagnostics are what matters, and a full rebuild of a big site would
            // only delay them.
            let (mut page, diags) =
                match reload_page(root, &root.join(path), &built.site.sections, &load_options) {
                    Ok(Some(loaded)) => loaded,
                    Ok(None) => return None,
                    Err(d) => return Some(Err(Diagnostics(vec![d]))),
                };
            if diags.iter().any(Diagnostic::is_error) {
                return Some(Err(Diagnostics(diags)));
            }
            // Saved again as it was (or one save seen as two events): nothing to do.
            if page.source == old.source {
                continue;
            }
            let shape = edit_shape(old, &page)?;
            if shape == Shape::Card && !built.same_order(i, &page) {
                return None;
            }
            let link_problems =
                links::resolve_page(&mut page, &built.site.pages, &built.site.sections);
            if !link_problems.is_empty() {
                return Some(Err(Diagnostics(link_problems)));
            }
            // Set from the front matter, whose keys that matter here have not changed.
            page.opening_hours = old.opening_hours.clone();
            edits.push((i, page, shape));
        }
        if edits.is_empty() {
            return Some(Ok(Update::nothing(built)));
        }

        let mut jobs = BTreeSet::new();
        let mut previous = Vec::new();
        for (i, page, shape) in edits {
            previous.push((i, std::mem::replace(&mut built.site.pages[i], page)));
            jobs.insert(i);
            if built.shared.refresh_card(&built.site, i) {
                jobs.extend(built.card_readers[i].iter().copied());
            }
            if shape == Shape::Card {
                // Its redirect pages name it.
                jobs.extend(built.jobs.iter().enumerate().filter_map(|(j, job)| {
                    matches!(job, Job::Alias { page, .. } if *page == i).then_some(j)
                }));
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
        if names.is_empty() {
            return Some(Ok(Update::nothing(built)));
        }
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
        problems.extend(privacy::gate(
            &outputs,
            &privacy::Hosts::of(&self.site.config),
            &self.source_of,
        ));
        if problems.has_errors() {
            problems.sort();
            return Err(problems);
        }
        Ok(outputs)
    }
}

/// How an edit changed a page, when it can take the quick path.
#[derive(Debug, PartialEq)]
enum Shape {
    /// Only the text below the front matter.
    Body,
    /// Also keys that only the page and the cards showing it print: title, description,
    /// date of review, `extra`.
    Card,
}

/// Whether an edited page can take the quick path: same kind, same headings (so other
/// pages' links to it still resolve), not a worksheet (its PDF is made from the body), and
/// either the same front matter or one that differs only in keys that lists and links do
/// not depend on (titles also order lists: `Built::same_order` checks that).
fn edit_shape(old: &Page, new: &Page) -> Option<Shape> {
    let ids =
        |p: &Page| -> Vec<String> { p.rendered.headings.iter().map(|h| h.id.clone()).collect() };
    if old.kind != new.kind || new.kind == Kind::Worksheets || ids(old) != ids(new) {
        return None;
    }
    // `serve` keeps every page's source: `text` reads nothing here.
    if old.text()[..old.body_offset] == new.text()[..new.body_offset] {
        return Some(Shape::Body);
    }
    // Books make cover images and counseling pages feed the practice's data on the home
    // page: their front matter takes the full path.
    if !matches!(new.kind, Kind::Articles | Kind::Pages) {
        return None;
    }
    let fixed = |p: &Page| {
        let mut common = p.common.clone();
        common.title.clear();
        common.description = None;
        common.reviewed = None;
        common.extra.clear();
        (
            serde_json::to_value(&common).ok(),
            serde_json::to_value(&p.meta).ok(),
        )
    };
    let (old_fixed, new_fixed) = (fixed(old), fixed(new));
    (old_fixed.0.is_some() && old_fixed == new_fixed).then_some(Shape::Card)
}

impl Built {
    /// Whether page `i`, replaced by `new`, keeps its place in its section and topics.
    fn same_order(&self, i: usize, new: &Page) -> bool {
        let site = &self.site;
        let page = |j: usize| if j == i { new } else { &site.pages[j] };
        let section = &site.sections[new.section];
        let mut order = section.pages.clone();
        sort_section(&section.front, &mut order, page);
        if order != section.pages {
            return false;
        }
        site.topics
            .iter()
            .filter(|t| t.pages.contains(&i))
            .all(|t| {
                let mut order = t.pages.clone();
                sort_topic(&mut order, page);
                order == t.pages
            })
    }
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
