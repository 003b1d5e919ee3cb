//! What each job of the plan reads, and one fingerprint of those inputs per job. `serve`
//! compares a job's fingerprint with the last run's and runs the job again only when it
//! differs: the decision comes from the inputs alone, with no special case per edit.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
// Fast and the same in every run; these hashes never leave the process.
use rustc_hash::FxHasher as DefaultHasher;
use tera::Value;

use super::context::Shared;
use super::plan::{Finishing, Prep};
use super::{Job, Renderer};
use crate::content::{Kind, Site};

/// The inputs one job reads. Lists of indices are into `Site::pages`, `Site::sections`
/// and `Site::topics` of the run that planned the job.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reads {
    /// Pages read whole: text, rendered HTML, front matter and their cover and PDFs.
    pub pages: Vec<usize>,
    /// Pages whose card (the few fields lists show) the job shows.
    pub cards: Vec<usize>,
    /// Sections whose `section` value the job shows (title, text, its pages' order).
    pub sections: Vec<usize>,
    /// Sections whose topic counts the job shows ("browse by topic").
    pub section_topics: Vec<usize>,
    /// Topics the job shows: name, URL and pages.
    pub topics: Vec<usize>,
    /// Every topic, as the topic index and the search page list them.
    pub all_topics: bool,
    /// Every page's, section's and topic's URL and date of last change (the sitemap).
    pub addresses: bool,
    /// The `site` value of `site.toml` and the site's section URLs.
    pub config: bool,
    /// Which pages are translations of which, and their URLs (the `hreflang` links and
    /// the language switcher); read only in a site with more than one language.
    pub alternates: bool,
    /// The template the job renders; what it extends, includes or imports comes with it.
    pub template: Option<String>,
    /// Files read from disk (static files, covers).
    pub files: Vec<PathBuf>,
    /// The HTML that every page job made (the search index).
    pub page_outputs: bool,
    /// The path of every file every other job made (the collision check).
    pub output_paths: bool,
}

impl Renderer<'_> {
    /// What `job` reads: the same choices `run` makes, written down before running it.
    pub fn reads(&self, job: &Job) -> Reads {
        let site = self.site;
        let template = self.template_of(job);
        let chrome = Reads {
            config: true,
            template,
            ..Reads::default()
        };
        let multilingual = site.languages.len() > 1;
        match job {
            Job::Page(i) => Reads {
                pages: vec![*i],
                cards: self.shared.cards_read_by_page(site, *i),
                sections: vec![site.pages[*i].section],
                topics: self.shared.topics_of(*i).to_vec(),
                alternates: multilingual,
                ..chrome
            },
            Job::Section { section, number } => {
                let s = &site.sections[*section];
                let mut cards = s.pages[self.list_slice(*section, *number)].to_vec();
                let mut pages = Vec::new();
                if s.dir.is_empty() {
                    cards.extend(self.home_cards(s.lang));
                    // Its structured data describes every counseling page.
                    pages = site
                        .pages_of_kind(Kind::Counseling)
                        .filter(|(_, p)| p.lang == s.lang)
                        .map(|(i, _)| i)
                        .collect();
                }
                Reads {
                    pages,
                    cards,
                    sections: vec![*section],
                    section_topics: vec![*section],
                    alternates: multilingual,
                    ..chrome
                }
            }
            Job::Topic(t) => Reads {
                cards: site.topics[*t].pages.clone(),
                topics: vec![*t],
                ..chrome
            },
            Job::TopicIndex(_) | Job::SearchPage(_) => Reads {
                all_topics: true,
                ..chrome
            },
            Job::NotFound | Job::ThemeCss | Job::Robots => chrome,
            // The feed picks the newest pages and carries their whole text.
            Job::Feed(_) => Reads {
                pages: (0..site.pages.len()).collect(),
                ..chrome
            },
            Job::Sitemap => Reads {
                addresses: true,
                ..chrome
            },
            Job::Alias { page, .. } => Reads {
                pages: vec![*page],
                ..chrome
            },
            // The copies its preparation job decided, from the photo.
            Job::Image(source) => Reads {
                files: vec![source.clone()],
                ..Reads::default()
            },
            Job::Copy { source, .. } => Reads {
                files: vec![source.clone()],
                ..Reads::default()
            },
            Job::Embedded { .. } => Reads::default(),
        }
    }

    /// One fingerprint per job of `jobs`, from what each reads; the same inputs always
    /// give the same fingerprint, in any run.
    pub fn fingerprints(&self, jobs: &[Job]) -> Vec<u64> {
        let hashes = InputHashes::new(self);
        let reads: Vec<Reads> = jobs
            .par_iter()
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|job| self.reads(job))
            .collect();
        // Each template's fingerprint once, not once per job that renders it.
        let mut templates: HashMap<&str, u64> = HashMap::new();
        for name in reads.iter().filter_map(|r| r.template.as_deref()) {
            templates
                .entry(name)
                .or_insert_with(|| self.templates.fingerprint(name));
        }
        jobs.par_iter()
            .zip(&reads)
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|(job, reads)| {
                let mut h = DefaultHasher::default();
                job_key(self.site, job).hash(&mut h);
                reads
                    .template
                    .as_deref()
                    .map(|t| templates.get(t))
                    .hash(&mut h);
                for &p in &reads.pages {
                    hashes.pages[p].hash(&mut h);
                }
                for &c in &reads.cards {
                    hashes.cards[c].hash(&mut h);
                }
                for &s in &reads.sections {
                    hashes.sections[s].hash(&mut h);
                }
                for &s in &reads.section_topics {
                    hashes.section_topics[s].hash(&mut h);
                }
                for &t in &reads.topics {
                    hashes.topics[t].hash(&mut h);
                }
                if reads.all_topics {
                    hashes.topics.hash(&mut h);
                }
                if reads.config {
                    hashes.config.hash(&mut h);
                }
                if reads.addresses {
                    hashes.addresses.hash(&mut h);
                }
                if reads.alternates {
                    hashes.alternates.hash(&mut h);
                }
                for file in &reads.files {
                    file_stamp(file).hash(&mut h);
                }
                h.finish()
            })
            .collect()
    }
}

/// A key for a job that stays the same from one run to the next while the job does the
/// same thing, though indices into the site shift when pages come and go: a hash of what
/// it makes, named by paths rather than indices.
pub fn job_key(site: &Site, job: &Job) -> u64 {
    let mut h = DefaultHasher::default();
    std::mem::discriminant(job).hash(&mut h);
    match job {
        Job::Page(i) => site.pages[*i].path.hash(&mut h),
        // Named by where its copies go too: a slug that moves the page moves them.
        Job::Image(source) => (source, image_output(site, source)).hash(&mut h),
        Job::Section { section, number } => (&site.sections[*section].path, number).hash(&mut h),
        Job::Topic(t) => (site.topics[*t].lang, &site.topics[*t].slug).hash(&mut h),
        Job::TopicIndex(lang) | Job::SearchPage(lang) | Job::Feed(lang) => lang.hash(&mut h),
        Job::Alias { page, alias } => (alias, &site.pages[*page].path).hash(&mut h),
        Job::Copy { output, .. } => output.hash(&mut h),
        Job::Embedded { name } => name.hash(&mut h),
        Job::NotFound | Job::ThemeCss | Job::Sitemap | Job::Robots => {}
    }
    h.finish()
}

/// Where photo `source`'s copies are published (beside its original's place).
fn image_output<'a>(site: &'a Site, source: &Path) -> Option<&'a Path> {
    site.images.sources.get(source).map(|s| s.output.as_path())
}

/// What a preparation job reads: a photo's file; a worksheet's page (front matter and
/// text) and the settings.
pub fn prep_reads(site: &Site, job: &Prep) -> Reads {
    match job {
        Prep::Image(source) => Reads {
            files: vec![source.clone()],
            ..Reads::default()
        },
        // A worksheet's PDF prints its photos too.
        Prep::Pdf { page, .. } => Reads {
            pages: vec![*page],
            config: true,
            files: site
                .images
                .inline
                .get(&site.pages[*page].path)
                .map(|files| files.iter().flatten().cloned().collect())
                .unwrap_or_default(),
            ..Reads::default()
        },
    }
}

/// A key for a preparation job that stays the same between runs.
pub fn prep_key(site: &Site, job: &Prep) -> u64 {
    let mut h = DefaultHasher::default();
    match job {
        Prep::Image(source) => ("image", source, image_output(site, source)).hash(&mut h),
        Prep::Pdf { page, url, .. } => ("pdf", url, &site.pages[*page].path).hash(&mut h),
    }
    h.finish()
}

/// One fingerprint per preparation job, from what [`prep_reads`] says it reads. Pages
/// count by the hash of their text and, for a worksheet, its parsed model with its links
/// resolved; the settings by all of `site.toml` and the theme's strings (`strings`, their
/// hash: a PDF's footer and subtitle are in its language).
pub fn prep_fingerprints(site: &Site, strings: u64, jobs: &[Prep]) -> Vec<u64> {
    let mut config = DefaultHasher::default();
    hash_debug(&mut config, &site.config);
    strings.hash(&mut config);
    let config = config.finish();
    jobs.par_iter()
        .map(|job| {
            let reads = prep_reads(site, job);
            let mut h = DefaultHasher::default();
            prep_key(site, job).hash(&mut h);
            hash_debug(&mut h, job);
            for &p in &reads.pages {
                let page = &site.pages[p];
                (&page.path, &page.url, page.source_hash).hash(&mut h);
                // A worksheet's links point at other pages' URLs, which its text lacks.
                if page.worksheet.is_some() {
                    hash_debug(&mut h, &page.worksheet);
                }
            }
            if reads.config {
                config.hash(&mut h);
            }
            for file in &reads.files {
                file_stamp(file).hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

impl Finishing {
    /// What a finishing job reads: what the other jobs made.
    pub fn reads(self) -> Reads {
        match self {
            Finishing::SearchIndex => Reads {
                page_outputs: true,
                config: true,
                ..Reads::default()
            },
            Finishing::Collisions => Reads {
                output_paths: true,
                ..Reads::default()
            },
        }
    }
}

/// The hash of every input a job may read, each made once per run.
struct InputHashes {
    pages: Vec<u64>,
    cards: Vec<u64>,
    sections: Vec<u64>,
    section_topics: Vec<u64>,
    topics: Vec<u64>,
    config: u64,
    addresses: u64,
    alternates: u64,
}

impl InputHashes {
    fn new(renderer: &Renderer<'_>) -> InputHashes {
        let site = renderer.site;
        let shared = renderer.shared;
        let pages = match shared.page_input_hashes() {
            Some(hashes) => hashes.to_vec(),
            None => page_input_hashes(site, shared),
        };
        let cards = match shared.card_hashes() {
            Some(hashes) => hashes.to_vec(),
            None => (0..site.pages.len())
                .into_par_iter()
                .with_max_len(crate::PAGES_PER_TASK)
                .map(|i| shared.card_hash(site, i))
                .collect(),
        };
        let sections = site
            .sections
            .iter()
            .zip(&renderer.section_values)
            .map(|(s, value)| {
                let mut h = DefaultHasher::default();
                hash_value(value).hash(&mut h);
                (&s.path, &s.dir, &s.url).hash(&mut h);
                hash_debug(&mut h, &s.front);
                // Its pages' order decides what each list page shows.
                for &p in &s.pages {
                    site.pages[p].path.hash(&mut h);
                }
                h.finish()
            })
            .collect();
        let section_topics = renderer.section_topics.iter().map(hash_value).collect();
        let topics = site
            .topics
            .iter()
            .map(|t| {
                let mut h = DefaultHasher::default();
                (&t.name, &t.slug, &t.url).hash(&mut h);
                for &p in &t.pages {
                    (&site.pages[p].path, site.pages[p].kind.plural()).hash(&mut h);
                }
                h.finish()
            })
            .collect();
        let mut addresses = DefaultHasher::default();
        for page in &site.pages {
            (&page.url, page.last_modified()).hash(&mut addresses);
        }
        for section in &site.sections {
            (&section.url, &section.pages).hash(&mut addresses);
        }
        for topic in &site.topics {
            (&topic.url, &topic.pages).hash(&mut addresses);
        }
        // Read only in a site with more than one language (`Reads::alternates`).
        let mut alternates = DefaultHasher::default();
        if site.languages.len() > 1 {
            for page in &site.pages {
                (&page.translation_key, page.lang, &page.url).hash(&mut alternates);
            }
            for section in &site.sections {
                (&section.dir, section.lang, &section.url).hash(&mut alternates);
            }
        }
        InputHashes {
            addresses: addresses.finish(),
            alternates: alternates.finish(),
            pages,
            cards,
            sections,
            section_topics,
            topics,
            config: {
                let mut h = DefaultHasher::default();
                for value in &shared.site {
                    hash_value(value).hash(&mut h);
                }
                h.finish()
            },
        }
    }
}

/// A hash of everything each page is made from: its file's text (`Page::source_hash`),
/// the URLs its `@/` links lead to (which other pages decide), its worksheet model, and
/// its cover and PDFs. The same hash means the same page and the same card.
pub fn page_input_hashes(site: &Site, shared: &Shared) -> Vec<u64> {
    let url_of: HashMap<Cow<str>, &str> = site
        .pages
        .iter()
        .map(|p| (Cow::Borrowed(p.rel.as_str()), p.url.as_str()))
        .chain(
            site.sections
                .iter()
                .map(|s| (Cow::Owned(s.rel()), s.url.as_str())),
        )
        .collect();
    (0..site.pages.len())
        .into_par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|i| {
            let page = &site.pages[i];
            let mut h = DefaultHasher::default();
            (&page.path, &page.url, &page.slug, page.kind.plural()).hash(&mut h);
            page.source_hash.hash(&mut h);
            for link in &page.rendered.links {
                url_of.get(link.target.as_str()).hash(&mut h);
            }
            if page.worksheet.is_some() {
                hash_debug(&mut h, &page.worksheet);
            }
            hash_debug(&mut h, &(shared.covers.get(&i), shared.pdfs_of(i)));
            // The photos it shows: its hero's and its Markdown images' copies.
            let hero = site.images.heroes.get(&i);
            hash_debug(
                &mut h,
                &(hero, hero.and_then(|h| shared.images.get(&h.source))),
            );
            for file in site
                .images
                .inline
                .get(&page.path)
                .into_iter()
                .flatten()
                .flatten()
            {
                hash_debug(&mut h, &shared.images.get(file));
            }
            h.finish()
        })
        .collect()
}

/// Hashes a template value as the JSON it serialises to, with its keys sorted (a Tera map
/// keeps no fixed order).
fn hash_value(value: &Value) -> u64 {
    let mut h = DefaultHasher::default();
    match serde_json::to_value(value).and_then(|json| serde_json::to_vec(&json)) {
        Ok(bytes) => bytes.hash(&mut h),
        // Never the same twice: a value that cannot be hashed always counts as changed.
        Err(_) => std::time::Instant::now().hash(&mut h),
    }
    h.finish()
}

/// Feeds `value`'s `Debug` text to the hasher without building the string.
fn hash_debug(h: &mut DefaultHasher, value: &impl std::fmt::Debug) {
    struct Feed<'a>(&'a mut DefaultHasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let _ = write!(Feed(h), "{value:?}");
}

/// A file's size and modification time, or `None` when it cannot be read (a missing file
/// is a change too).
fn file_stamp(path: &PathBuf) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}
