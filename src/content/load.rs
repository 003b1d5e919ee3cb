//! Loading: walk `content/`, read and parse every file once (in parallel), and assemble a
//! `Site` whose URLs, links and references are all resolved. No templates run here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::kinds::{
    ArticleFront, BookFront, CounselingFront, FrontMatter, Kind, Meta, PageFront, SectionFront,
    SortBy, WorksheetFront,
};
use super::{
    ContentFile, Page, Section, Site, Topic, books, counseling, front_matter, images, links,
    slugify, url_prefix, worksheet,
};
use crate::PAGES_PER_TASK;
use crate::config::{Config, is_language_code};
use crate::diagnostics::{Diagnostic, did_you_mean, relative};
use crate::inside::SiteRoot;
use crate::markdown::{self, MarkdownInput};

pub const CONTENT_DIR: &str = "content";
const SECTION_FILE: &str = "_index.md";

/// Sections by folder and language.
type SectionsByDir = HashMap<(String, usize), usize>;

/// Choices that change what is loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include drafts and pages dated in the future.
    pub drafts: bool,
    /// The date pages are compared with to decide what is "in the future".
    pub today: Date,
}

/// A page as loaded, with the problems of its Markdown; `None` for a draft or a page dated
/// in the future, which the build leaves out.
pub type LoadedPage = Option<(Page, Vec<Diagnostic>)>;

/// A Markdown file read from disk: its path and its text.
struct Source {
    abs: PathBuf,
    /// Path relative to `content/` with `/` separators.
    rel: String,
    text: String,
}

/// What the walk of `content/` found.
#[derive(Default)]
struct Walk {
    markdown: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

/// Pages as parsed and rendered from their Markdown, kept by `serve` between rebuilds so
/// that a file whose text has not changed is not parsed or rendered again, and one that the
/// watcher did not report and whose size and modification time are unchanged is not even
/// read.
#[derive(Default)]
pub struct LoadCache {
    entries: Mutex<CacheEntries>,
    /// The files reported changed since the last load (paths relative to `content/`);
    /// `None` when nobody said, and then every file is read and compared.
    reported: Mutex<Option<HashSet<String>>>,
}

#[derive(Default)]
struct CacheEntries {
    /// What a page's parse depends on besides its own text: the sections and the options.
    /// When it changes, every entry is stale.
    context: u64,
    /// Path relative to `content/` → what the file gave.
    pages: rustc_hash::FxHashMap<String, CacheEntry>,
}

struct CacheEntry {
    stamp: Option<Stamp>,
    /// The hash of the file's text.
    hash: u64,
    /// Shared, so that the lock is held only to find it, not while it is copied.
    page: Arc<Option<Page>>,
}

/// A file's size and modification time: when both are as they were and the watcher did not
/// report the file, its text is taken to be as it was.
type Stamp = (u64, std::time::SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

impl LoadCache {
    /// Says which files changed since the last load, as the watcher reported them; for the
    /// next load only. Paths outside `content/` are ignored.
    pub fn reported(&self, content: &Path, paths: &[PathBuf]) {
        let content = content
            .canonicalize()
            .unwrap_or_else(|_| content.to_path_buf());
        let rels = paths
            .iter()
            .filter_map(|path| {
                let path = path.canonicalize().unwrap_or_else(|_| path.clone());
                Some(rel_of(&content, &path)).filter(|_| path.starts_with(&content))
            })
            .collect();
        if let Ok(mut reported) = self.reported.lock() {
            *reported = Some(rels);
        }
    }

    fn start(&self, context: u64) -> Option<HashSet<String>> {
        if let Ok(mut entries) = self.entries.lock()
            && entries.context != context
        {
            entries.pages.clear();
            entries.context = context;
        }
        self.reported.lock().ok()?.take()
    }

    /// The page of a file that was not reported and whose stamp is unchanged.
    fn unchanged(&self, rel: &str, stamp: Option<Stamp>) -> Option<Option<Page>> {
        let found = {
            let entries = self.entries.lock().ok()?;
            match entries.pages.get(rel) {
                Some(entry) if stamp.is_some() && entry.stamp == stamp => entry.page.clone(),
                _ => return None,
            }
        };
        Some(Option::clone(&found))
    }

    fn get(&self, rel: &str, hash: u64, stamp: Option<Stamp>) -> Option<Option<Page>> {
        let found = {
            let mut entries = self.entries.lock().ok()?;
            match entries.pages.get_mut(rel) {
                Some(entry) if entry.hash == hash => {
                    entry.stamp = stamp;
                    entry.page.clone()
                }
                _ => return None,
            }
        };
        Some(Option::clone(&found))
    }

    fn put(&self, rel: &str, hash: u64, stamp: Option<Stamp>, page: &Option<Page>) {
        let page = Arc::new(page.clone());
        if let Ok(mut entries) = self.entries.lock() {
            entries
                .pages
                .insert(rel.to_string(), CacheEntry { stamp, hash, page });
        }
    }

    /// Drops the entries of files that no longer exist.
    fn keep_only(&self, rels: &rustc_hash::FxHashSet<&str>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.pages.retain(|rel, _| rels.contains(rel.as_str()));
        }
    }
}

fn hash_of(value: impl Hash) -> u64 {
    // Fast, and only ever compared within one run of `serve`.
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Loads the whole site. Returns the site and its warnings, or every error found.
pub fn load(
    root: &Path,
    config: Config,
    options: &LoadOptions,
    cache: Option<&LoadCache>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::error(CONTENT_DIR, "there is no content folder")
                .with_help("create a `content/` folder beside site.toml with your Markdown files"),
        ]);
    }
    let mut loader = Loader {
        root,
        content,
        options,
        cache,
        diags: Vec::new(),
    };
    let walk = walk(root, &loader.content, &mut loader.diags);
    // Sections first: a page's section decides how its front matter is read.
    let (section_files, page_files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        walk.markdown.iter().partition(|abs| {
            abs.file_name()
                .is_some_and(|name| split_language(&name.to_string_lossy()).0 == "_index")
        });
    let languages = config.language_codes();
    let mut sections = loader.sections(&config, &languages, section_files);
    let mut pages = loader.pages(page_files, &sections, &languages);
    let files = place_files(&loader.content, &walk.files, &pages);
    loader.render_sections(&mut sections);
    let translations = translation_groups(&pages);
    let references = loader.connect(&mut pages, &mut sections, &languages, &translations);
    let images = images::collect(root, &pages, &sections, &files, &mut loader.diags);
    order_sections(&mut sections, &pages);
    let topics = collect_topics(&pages, &languages);
    let Loader { diags, .. } = loader;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let links::References {
        books_of,
        worksheets_of,
        mentioned_in,
        used_by,
    } = references;
    let site = Site {
        root: root.to_path_buf(),
        config,
        languages,
        translations,
        pages,
        sections,
        topics,
        files,
        images,
        books_of,
        worksheets_of,
        mentioned_in,
        used_by,
    };
    Ok((site, diags))
}

/// One load of the site: where it is, what was asked, and every problem found so far.
struct Loader<'a> {
    root: &'a Path,
    content: PathBuf,
    options: &'a LoadOptions,
    cache: Option<&'a LoadCache>,
    diags: Vec<Diagnostic>,
}

impl Loader<'_> {
    /// Reads and parses every `_index.md` (and `_index.<lang>.md`).
    fn sections(
        &mut self,
        config: &Config,
        languages: &[String],
        files: Vec<&PathBuf>,
    ) -> Vec<Section> {
        let sources: Vec<Source> = files
            .into_iter()
            .filter_map(|abs| {
                read_source(self.root, &self.content, abs)
                    .map_err(|d| self.diags.push(d))
                    .ok()
            })
            .collect();
        load_sections(
            self.root,
            config,
            languages,
            sources,
            self.options,
            &mut self.diags,
        )
    }

    /// Reads, parses and renders every page in parallel, in the order of their paths;
    /// leaves out drafts and future pages unless asked, and checks that URLs are unique.
    fn pages(
        &mut self,
        files: Vec<&PathBuf>,
        sections: &[Section],
        languages: &[String],
    ) -> Vec<Page> {
        let by_dir: SectionsByDir = sections
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.dir.clone(), s.lang), i))
            .collect();
        let mut reported = None;
        if let Some(cache) = self.cache {
            let sections_key: Vec<(&str, usize, Kind)> = sections
                .iter()
                .map(|s| (s.dir.as_str(), s.lang, s.front.kind))
                .collect();
            reported = cache.start(hash_of((
                sections_key,
                languages,
                self.options.drafts,
                self.options.today,
            )));
            let rels: Vec<String> = files.iter().map(|abs| rel_of(&self.content, abs)).collect();
            cache.keep_only(&rels.iter().map(String::as_str).collect());
        }
        let reported = reported.as_ref();
        let (root, content, options, cache) = (self.root, &self.content, self.options, self.cache);
        // Each file is read, parsed and rendered in one task, and its text dropped there: a
        // build never holds the whole content in memory.
        let parsed: Vec<Result<LoadedPage, Diagnostic>> = files
            .into_par_iter()
            .with_max_len(PAGES_PER_TASK)
            .map(|abs| {
                let context = PageContext {
                    root,
                    content,
                    sections,
                    by_dir: &by_dir,
                    languages,
                    options,
                };
                match cache {
                    None => {
                        let s = read_source(root, content, abs)?;
                        load_and_render(&context, s)
                    }
                    Some(cache) => load_cached(&context, abs, cache, reported),
                }
            })
            .collect();
        let mut pages: Vec<Page> = Vec::with_capacity(parsed.len());
        for result in parsed {
            match result {
                Ok(Some((page, problems))) => {
                    pages.push(page);
                    self.diags.extend(problems);
                }
                Ok(None) => {}
                Err(d) => self.diags.push(d),
            }
        }
        // Stable order whatever the threads did: by source path.
        pages.sort_by(|a, b| a.rel.cmp(&b.rel));
        check_unique_urls(&pages, sections, &mut self.diags);
        pages
    }

    /// Renders each section's own text (the part above its list).
    fn render_sections(&mut self, sections: &mut [Section]) {
        sections.par_iter_mut().for_each(|s| {
            let text = &s.source[s.body_offset..];
            s.rendered = markdown::render(&MarkdownInput {
                text,
                relative_base: Some(&s.url),
            });
        });
        for s in sections.iter() {
            self.diags
                .extend(issues_at(&s.path, &s.source, s.body_offset, &s.rendered));
        }
    }

    /// Checks what pages say of each other and resolves it: books' ISBNs and covers,
    /// counseling pages, `@/` links (in worksheets too), and the references between pages.
    fn connect(
        &mut self,
        pages: &mut [Page],
        sections: &mut [Section],
        languages: &[String],
        translations: &HashMap<String, Vec<usize>>,
    ) -> links::References {
        books::validate(self.root, pages, &mut self.diags);
        counseling::validate(pages, &mut self.diags);
        links::resolve(pages, sections, languages, &mut self.diags);
        links::references(pages, translations, languages, &mut self.diags)
    }
}

/// What loading one page needs besides its file.
struct PageContext<'a> {
    root: &'a Path,
    content: &'a Path,
    sections: &'a [Section],
    by_dir: &'a SectionsByDir,
    languages: &'a [String],
    options: &'a LoadOptions,
}

/// A page from `serve`'s cache when its file is unchanged; else loaded and put there. A
/// file is taken as unchanged unread when it was not reported and its stamp is the same;
/// else it is read, and unchanged when its text's hash is the same.
fn load_cached(
    context: &PageContext<'_>,
    abs: &Path,
    cache: &LoadCache,
    reported: Option<&HashSet<String>>,
) -> Result<LoadedPage, Diagnostic> {
    let rel = rel_of(context.content, abs);
    let stamp = stamp(abs);
    let cached = match reported {
        Some(reported) if !reported.contains(&rel) => cache.unchanged(&rel, stamp),
        _ => None,
    };
    let with_problems = |page: Option<Page>| {
        page.map(|page| {
            let problems = markdown_diagnostics(&page);
            (page, problems)
        })
    };
    if let Some(page) = cached {
        return Ok(with_problems(page));
    }
    let s = read_source(context.root, context.content, abs)?;
    let hash = hash_of(&s.text);
    if let Some(page) = cache.get(&rel, hash, stamp) {
        return Ok(with_problems(page));
    }
    let mut loaded = load_and_render(context, s)?;
    if let Some((page, _)) = &mut loaded {
        page.source_hash = hash;
    }
    cache.put(
        &rel,
        hash,
        stamp,
        &loaded.as_ref().map(|(page, _)| page.clone()),
    );
    Ok(loaded)
}

fn walk(root: &Path, content: &Path, diags: &mut Vec<Diagnostic>) -> Walk {
    let mut found = Walk::default();
    // Links are followed, so a page can be shared between sections, but only while they
    // stay inside the site: one that leads out is reported and nothing behind it is read.
    let site = SiteRoot::new(root);
    let mut refused = Vec::new();
    // Sorted at the end (`folder_order`) rather than by walkdir, which takes each entry's
    // path apart again at every comparison: 1.5 % of a build's instructions, on one thread.
    let entries = WalkDir::new(content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            (e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
                && site.admits(e, &mut refused)
        });
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.into_path();
                if path.extension().is_some_and(|x| x == "md") {
                    found.markdown.push(path);
                } else {
                    found.files.push(path);
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| content.to_path_buf(), Path::to_path_buf);
                let reason = e.io_error().map_or(e.to_string(), |io| io.to_string());
                // A link that is there but leads nowhere (a missing file, a loop of links).
                let link = e
                    .path()
                    .filter(|p| p.metadata().is_err())
                    .and_then(|p| p.read_link().ok());
                let (message, help) = if e.loop_ancestor().is_some() {
                    (
                        "a symbolic link loops back to a folder that contains it".to_string(),
                        "remove the link or point it somewhere outside its own folder",
                    )
                } else if let Some(link) = link {
                    (
                        format!(
                            "cannot read: a symbolic link to {}, which cannot be opened: {reason}",
                            link.display()
                        ),
                        "point the link at a file that exists, or remove it",
                    )
                } else {
                    (
                        format!("cannot read: {reason}"),
                        "check the file's permissions (it must be readable by you)",
                    )
                };
                diags.push(Diagnostic::error(relative(root, &path), message).with_help(help));
            }
        }
    }
    diags.extend(refused);
    found.markdown.sort_by_cached_key(|p| folder_order(p));
    found.files.sort_by_cached_key(|p| folder_order(p));
    found
}

/// A key that orders paths folder by folder, as a walk that sorts each folder by name
/// meets them: the path's bytes with each separator made the lowest byte. Comparing these
/// is far cheaper than taking both paths apart into components at every comparison.
fn folder_order(path: &Path) -> Vec<u8> {
    let separator_lowest = |&b: &u8| {
        if std::path::is_separator(char::from(b)) {
            0
        } else {
            b
        }
    };
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(separator_lowest)
        .collect()
}

fn read_source(root: &Path, content: &Path, abs: &Path) -> Result<Source, Diagnostic> {
    let display = relative(root, abs);
    let bytes = std::fs::read(abs).map_err(|e| {
        Diagnostic::error(&display, format!("cannot read: {e}"))
            .with_help("check the file's permissions (it must be readable by you)")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        Diagnostic::error(&display, "the file is not valid UTF-8 text")
            .at_offset(&good, valid)
            .with_help("save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)")
    })?;
    Ok(Source {
        abs: abs.to_path_buf(),
        rel: rel_of(content, abs),
        text,
    })
}

/// A file's path relative to `content/`, with `/` separators.
fn rel_of(content: &Path, abs: &Path) -> String {
    relative(content, abs).to_string_lossy().replace('\\', "/")
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The folder part of a `/`-separated relative path (`articles` for `articles/a.md`).
fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

pub fn dir_url(dir: &str) -> String {
    if dir.is_empty() {
        "/".into()
    } else {
        format!("/{dir}/")
    }
}

fn load_sections(
    root: &Path,
    config: &Config,
    languages: &[String],
    sources: Vec<Source>,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for s in sources {
        let path = relative(root, &s.abs);
        let lang = match language_of(&s.rel, languages, &path) {
            Ok(lang) => lang,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let parsed = front_matter::split(&s.text, &path).and_then(|split| {
            front_matter::parse::<SectionFront>(&s.text, &split, &path).map(|f| (f, split))
        });
        match parsed {
            Ok((front, _)) if front.draft && !options.drafts => {}
            Ok((front, split)) => {
                let body_offset = split.body_offset;
                let dir = parent_dir(&s.rel).to_string();
                sections.push(Section {
                    path,
                    url: format!("{}{}", url_prefix(languages, lang), dir_url(&dir)),
                    dir,
                    lang,
                    untranslated: false,
                    front,
                    source: s.text,
                    body_offset,
                    rendered: Default::default(),
                    pages: Vec::new(),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    if !sections.iter().any(|s| s.dir.is_empty() && s.lang == 0) {
        // The home page exists even without content/_index.md.
        sections.push(Section {
            path: PathBuf::from(CONTENT_DIR).join(SECTION_FILE),
            dir: String::new(),
            lang: 0,
            untranslated: false,
            front: SectionFront {
                title: config.title.clone(),
                description: Some(config.description.clone()),
                kind: Kind::Pages,
                paginate_by: None,
                sort_by: None,
                weight: None,
                template: None,
                draft: false,
                extra: Default::default(),
            },
            url: "/".into(),
            source: String::new(),
            body_offset: 0,
            rendered: Default::default(),
            pages: Vec::new(),
        });
    }
    add_untranslated_sections(config, languages, &mut sections);
    sections.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.lang.cmp(&b.lang)));
    sections
}

/// Every section of the default language exists in every language: one without its own
/// `_index.<lang>.md` is a copy with no text, whose title the theme gives by its kind (the
/// home page's is the language's title from site.toml).
fn add_untranslated_sections(config: &Config, languages: &[String], sections: &mut Vec<Section>) {
    let have: HashSet<(String, usize)> = sections.iter().map(|s| (s.dir.clone(), s.lang)).collect();
    let mut made = Vec::new();
    for section in sections.iter().filter(|s| s.lang == 0) {
        for (lang, code) in languages.iter().enumerate().skip(1) {
            if have.contains(&(section.dir.clone(), lang)) {
                continue;
            }
            let mut front = section.front.clone();
            if section.dir.is_empty() {
                front.title = config.title_in(code).to_string();
                front.description = Some(config.description_in(code).to_string());
            } else {
                front.description = None;
            }
            let file = format!("_index.{code}.md");
            made.push(Section {
                path: section.path.with_file_name(file),
                dir: section.dir.clone(),
                lang,
                untranslated: !section.dir.is_empty(),
                front,
                url: format!("{}{}", url_prefix(languages, lang), dir_url(&section.dir)),
                source: String::new(),
                body_offset: 0,
                rendered: Default::default(),
                pages: Vec::new(),
            });
        }
    }
    sections.extend(made);
}

/// A content file's name split into its stem and its language code, if it has one:
/// `about.es.md` → (`about`, `es`), `index.md` → (`index`, none).
pub fn split_language(file: &str) -> (&str, Option<&str>) {
    let stem = file.strip_suffix(".md").unwrap_or(file);
    match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_language_code(code) => (base, Some(code)),
        _ => (stem, None),
    }
}

/// Whether a page is a bundle's (`name/index.md`, `name/index.es.md`).
fn is_bundle(rel: &str) -> bool {
    split_language(file_name(rel)).0 == "index"
}

/// The language of a content file (an index into `languages`) from its name; a code the
/// site does not declare is an error.
fn language_of(rel: &str, languages: &[String], path: &Path) -> Result<usize, Diagnostic> {
    let Some(code) = split_language(file_name(rel)).1 else {
        return Ok(0);
    };
    let default = &languages[0];
    if code == default || default.split('-').next() == Some(code) {
        return Ok(0);
    }
    if let Some(i) = languages.iter().position(|l| l == code) {
        return Ok(i);
    }
    // Codes are two letters: one letter off or two swapped is a likely typo (`se` for `es`).
    let one_off = languages
        .iter()
        .map(String::as_str)
        .find(|l| strsim::osa_distance(code, l) == 1);
    let help = match one_off.or_else(|| did_you_mean(code, languages.iter().map(String::as_str))) {
        Some(best) => format!(
            "did you mean `.{best}.md`? Or add the language to site.toml as [languages.{code}]"
        ),
        None => format!(
            "add the language to site.toml as [languages.{code}] with its name, or rename the file"
        ),
    };
    Err(Diagnostic::error(
        path,
        format!(
            "`.{code}.md`: the language `{code}` is not one of this site's ({})",
            languages.join(", ")
        ),
    )
    .with_help(help))
}

/// The section a file in `dir` belongs to: the nearest folder with an `_index.md`, in the
/// file's language.
fn owning_section(dir: &str, lang: usize, by_dir: &SectionsByDir) -> usize {
    let mut d = dir;
    loop {
        if let Some(&i) = by_dir.get(&(d.to_string(), lang)) {
            return i;
        }
        if d.is_empty() {
            // The root section always exists in every language (load_sections makes it).
            return by_dir.get(&(String::new(), 0)).copied().unwrap_or(0);
        }
        d = parent_dir(d);
    }
}

fn load_page(context: &PageContext<'_>, s: Source) -> Result<Option<Page>, Diagnostic> {
    let PageContext {
        root,
        sections,
        by_dir,
        languages,
        options,
        ..
    } = context;
    let path = relative(root, &s.abs);
    let lang = language_of(&s.rel, languages, &path)?;
    let (file_stem, _) = split_language(file_name(&s.rel));
    let is_bundle = file_stem == "index";
    // A bundle (`name/index.md`) lives in the folder above its own.
    let own_dir = parent_dir(&s.rel);
    let dir = if is_bundle {
        parent_dir(own_dir)
    } else {
        own_dir
    };
    let section = owning_section(if is_bundle { own_dir } else { dir }, lang, by_dir);
    let kind = sections[section].front.kind;
    let split = front_matter::split(&s.text, &path)?;
    let (common, meta) = parse_page_front(kind, &s.text, &split, &path)?;
    if !options.drafts && (common.draft || common.date.is_some_and(|d| d > options.today)) {
        return Ok(None);
    }
    let mut common = common;
    common.title = markdown::smart_punctuation(&common.title);
    common.description = common.description.map(|d| markdown::smart_punctuation(&d));
    let stem = if is_bundle {
        file_name(own_dir)
    } else {
        file_stem
    };
    let slug = slugify(common.slug.as_deref().unwrap_or(stem));
    if slug.is_empty() {
        return Err(
            Diagnostic::error(&path, "the page has no usable slug").with_help(
                "rename the file with letters or digits, or set `slug: a-name` in the front matter",
            ),
        );
    }
    let url = format!("{}{}{slug}/", url_prefix(languages, lang), dir_url(dir));
    let body_offset = split.body_offset;
    let translation_key = match own_dir {
        "" => format!("{file_stem}.md"),
        dir => format!("{dir}/{file_stem}.md"),
    };
    Ok(Some(Page {
        path,
        rel: s.rel,
        section,
        lang,
        translation_key,
        kind,
        common,
        meta,
        slug,
        url,
        source: Some(s.text),
        source_hash: 0,
        file: s.abs,
        body_offset,
        rendered: Default::default(),
        worksheet: None,
        opening_hours: Vec::new(),
        isbn: None,
    }))
}

/// Parses the front matter of a page in a section of `kind`, as loading does. Public so
/// the fuzz targets (`fuzz/`) reach the per-kind structs, which stay crate-private.
pub fn parse_page_front(
    kind: Kind,
    source: &str,
    split: &front_matter::Split<'_>,
    path: &Path,
) -> Result<(super::Common, Meta), Diagnostic> {
    match kind {
        Kind::Articles => parse::<ArticleFront>(source, split, path),
        Kind::Books => parse::<BookFront>(source, split, path),
        Kind::Worksheets => parse::<WorksheetFront>(source, split, path),
        Kind::Counseling => parse::<CounselingFront>(source, split, path),
        Kind::Pages => parse::<PageFront>(source, split, path),
    }
}

/// Parses kind-specific front matter and splits it into common and kind parts.
fn parse<F: FrontMatter>(
    source: &str,
    split: &front_matter::Split<'_>,
    path: &Path,
) -> Result<(super::Common, Meta), Diagnostic> {
    front_matter::parse::<F>(source, split, path).map(F::into_parts)
}

fn check_unique_urls(pages: &[Page], sections: &[Section], diags: &mut Vec<Diagnostic>) {
    let mut seen: rustc_hash::FxHashMap<&str, &Path> = Default::default();
    let all = sections
        .iter()
        .map(|s| (s.url.as_str(), s.path.as_path()))
        .chain(pages.iter().map(|p| (p.url.as_str(), p.path.as_path())));
    for (url, path) in all {
        if let Some(first) = seen.insert(url, path) {
            diags.push(
                Diagnostic::error(
                    path,
                    format!(
                        "two pages have the URL {url}: {} and {}",
                        first.display(),
                        path.display()
                    ),
                )
                .with_help(
                    "give one of them a different file name or set `slug:` in its front matter",
                ),
            );
        }
    }
}

/// Decides where each non-Markdown file goes: beside its bundle's page, or at its own
/// path under the output folder. A bundle's files go beside each of its translations, so
/// that the same relative links work in every language.
fn place_files(content: &Path, files: &[PathBuf], pages: &[Page]) -> Vec<ContentFile> {
    let mut bundles: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for p in pages.iter().filter(|p| is_bundle(&p.rel)) {
        bundles
            .entry(parent_dir(&p.rel))
            .or_default()
            .push((p.lang, p.url.as_str()));
    }
    // The default language's copy first: where a file's processed copies go (`images`).
    for urls in bundles.values_mut() {
        urls.sort_unstable();
    }
    let mut placed = Vec::with_capacity(files.len());
    for source in files {
        let rel = relative(content, source)
            .to_string_lossy()
            .replace('\\', "/");
        let outputs = match bundles.get(parent_dir(&rel)) {
            Some(urls) => urls
                .iter()
                .map(|(_, url)| format!("{}{}", url.trim_start_matches('/'), file_name(&rel)))
                .collect(),
            None => vec![rel],
        };
        placed.extend(outputs.into_iter().map(|output| ContentFile {
            source: source.clone(),
            output: PathBuf::from(output),
        }));
    }
    placed
}

/// Pages that share a `translation_key`, for those that have translations: page indices
/// in language order.
fn translation_groups(pages: &[Page]) -> HashMap<String, Vec<usize>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        groups
            .entry(page.translation_key.clone())
            .or_default()
            .push(i);
    }
    groups.retain(|_, group| group.len() > 1);
    for group in groups.values_mut() {
        group.sort_by_key(|&i| pages[i].lang);
    }
    groups
}

/// Parses one page and renders its Markdown: everything about a page that depends on its
/// own file alone, with the problems its Markdown has. The page's text is dropped then
/// (`serve` compares files by the hash of their text).
fn load_and_render(context: &PageContext<'_>, s: Source) -> Result<LoadedPage, Diagnostic> {
    let Some(mut page) = load_page(context, s)? else {
        return Ok(None);
    };
    render_page(&mut page);
    let problems = markdown_diagnostics(&page);
    page.source = None;
    Ok(Some((page, problems)))
}

/// Renders a page's body; a worksheet's is parsed into the model its web page and PDF
/// are made from, in the same one pass.
fn render_page(page: &mut Page) {
    if page.kind == Kind::Worksheets {
        let (sheet, rendered) = worksheet::parse(page.body());
        page.rendered = Arc::new(rendered);
        page.worksheet = Some(sheet);
        return;
    }
    let is_bundle = is_bundle(&page.rel);
    let base = dir_url(parent_dir(&page.rel));
    page.rendered = Arc::new(markdown::render(&MarkdownInput {
        text: page.body(),
        relative_base: if is_bundle { None } else { Some(&base) },
    }));
}

/// The problems found in a page's Markdown, pointed at their lines.
fn markdown_diagnostics(page: &Page) -> Vec<Diagnostic> {
    if page.rendered.issues.is_empty() {
        return Vec::new();
    }
    issues_at(&page.path, &page.text(), page.body_offset, &page.rendered)
}

/// The problems found in Markdown whose text starts at `body_offset` of `source`.
fn issues_at(
    path: &Path,
    source: &str,
    body_offset: usize,
    rendered: &markdown::Rendered,
) -> Vec<Diagnostic> {
    rendered
        .issues
        .iter()
        .map(|issue| {
            let d = if issue.error {
                Diagnostic::error(path, issue.message.clone())
            } else {
                Diagnostic::warning(path, issue.message.clone())
            };
            d.at_offset(source, body_offset + issue.offset)
                .with_help(issue.help.clone())
        })
        .collect()
}

fn order_sections(sections: &mut [Section], pages: &[Page]) {
    for p in 0..pages.len() {
        sections[pages[p].section].pages.push(p);
    }
    for section in sections.iter_mut() {
        let mut order = std::mem::take(&mut section.pages);
        sort_section(&section.front, &mut order, |i| &pages[i]);
        section.pages = order;
    }
}

/// Puts a section's pages in its order: by date (newest first), title or weight.
fn sort_section<'a>(front: &SectionFront, order: &mut [usize], page: impl Fn(usize) -> &'a Page) {
    let sort = front.sort_by.unwrap_or(front.kind.default_sort());
    order.sort_by(|&a, &b| {
        let (a, b) = (page(a), page(b));
        let by_title = || a.common.title.cmp(&b.common.title);
        match sort {
            SortBy::Date => b.common.date.cmp(&a.common.date).then_with(by_title),
            SortBy::Title => by_title(),
            SortBy::Weight => a
                .common
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.common.weight.unwrap_or(i64::MAX))
                .then_with(by_title),
        }
    });
}

/// Puts a topic's pages in order: newest first, then by title, so topic pages read like
/// the article list.
fn sort_topic<'a>(order: &mut [usize], page: impl Fn(usize) -> &'a Page) {
    order.sort_by(|&a, &b| {
        let (a, b) = (page(a), page(b));
        b.common
            .date
            .cmp(&a.common.date)
            .then_with(|| a.common.title.cmp(&b.common.title))
    });
}

/// Each language's topics: a topic is named in one language and lists its pages.
fn collect_topics(pages: &[Page], languages: &[String]) -> Vec<Topic> {
    let mut topics: BTreeMap<(usize, String), Topic> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for name in &page.common.topics {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let lang = page.lang;
            let topic = topics.entry((lang, slug.clone())).or_insert_with(|| Topic {
                lang,
                name: name.clone(),
                url: format!("{}/topics/{slug}/", url_prefix(languages, lang)),
                slug,
                pages: Vec::new(),
            });
            if topic.pages.last() != Some(&i) {
                topic.pages.push(i);
            }
        }
    }
    let mut topics: Vec<Topic> = topics.into_values().collect();
    for t in &mut topics {
        sort_topic(&mut t.pages, |i| &pages[i]);
    }
    topics.sort_by_key(|t| (t.lang, t.name.to_lowercase()));
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_order_is_the_order_of_path_components() {
        let mut paths: Vec<PathBuf> = [
            "c/a-c.md",
            "c/a/x.md",
            "c/a/b/c.md",
            "c/a.md",
            "c/ab/x.md",
            "c/a/b.md",
            "c/b.md",
            "c/a/b-2.md",
            "c/a/b/a.md",
            "c/a b.md",
            "c/a/B.md",
        ]
        .map(PathBuf::from)
        .into();
        // `Path`'s own order compares component by component.
        let mut by_components = paths.clone();
        by_components.sort();
        paths.sort_by_key(|p| folder_order(p));
        assert_eq!(paths, by_components);
    }
}
