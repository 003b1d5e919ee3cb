//! Loading: walk `content/`, read and parse every file once (in parallel), and assemble a
//! `Site` whose URLs, links and references are all resolved. No templates run here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::civil::Date;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::kinds::{
    ArticleFront, BookFront, CounselingFront, FrontMatter, Kind, Meta, PageFront, SectionFront,
    SortBy, WorksheetFront,
};
use super::{
    ContentFile, Page, Section, Site, Topic, books, counseling, front_matter, links, slugify,
    worksheet,
};
use crate::PAGES_PER_TASK;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, relative};
use crate::inside::SiteRoot;
use crate::markdown::{self, MarkdownInput};

pub const CONTENT_DIR: &str = "content";
const SECTION_FILE: &str = "_index.md";
const BUNDLE_FILE: &str = "index.md";

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
/// that a file whose text has not changed is not parsed or rendered again.
#[derive(Default)]
pub struct LoadCache {
    entries: Mutex<CacheEntries>,
}

#[derive(Default)]
struct CacheEntries {
    /// What a page's parse depends on besides its own text: the sections and the options.
    /// When it changes, every entry is stale.
    context: u64,
    /// Path relative to `content/` → the hash of the file's text and what it gave.
    pages: HashMap<String, (u64, Option<Page>)>,
}

impl LoadCache {
    fn start(&self, context: u64) {
        if let Ok(mut entries) = self.entries.lock()
            && entries.context != context
        {
            entries.pages.clear();
            entries.context = context;
        }
    }

    fn get(&self, rel: &str, hash: u64) -> Option<Option<Page>> {
        let entries = self.entries.lock().ok()?;
        match entries.pages.get(rel) {
            Some((h, page)) if *h == hash => Some(page.clone()),
            _ => None,
        }
    }

    fn put(&self, rel: &str, hash: u64, page: &Option<Page>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.pages.insert(rel.to_string(), (hash, page.clone()));
        }
    }

    /// Drops the entries of files that no longer exist.
    fn keep_only(&self, rels: &HashSet<&str>) {
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
    let mut diags = Vec::new();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::error(CONTENT_DIR, "there is no content folder")
                .with_help("create a `content/` folder beside site.toml with your Markdown files"),
        ]);
    }
    let walk = walk(root, &content, &mut diags);
    // Sections first: a page's section decides how its front matter is read.
    let (section_files, page_files): (Vec<&PathBuf>, Vec<&PathBuf>) = walk
        .markdown
        .iter()
        .partition(|abs| abs.file_name().is_some_and(|name| name == SECTION_FILE));
    let section_sources: Vec<Source> = section_files
        .into_iter()
        .filter_map(|abs| {
            read_source(root, &content, abs)
                .map_err(|d| diags.push(d))
                .ok()
        })
        .collect();
    let mut sections = load_sections(root, &config, section_sources, options, &mut diags);
    let section_by_dir: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();

    // Each file is read, parsed and rendered in one task, and its text dropped there (but
    // for `serve`, the only caller with a cache, which compares sources between rebuilds):
    // a build never holds the whole content in memory.
    if let Some(cache) = cache {
        let sections_key: Vec<(&str, Kind)> = sections
            .iter()
            .map(|s| (s.dir.as_str(), s.front.kind))
            .collect();
        cache.start(hash_of((sections_key, options.drafts, options.today)));
        let rels: Vec<String> = page_files.iter().map(|abs| rel_of(&content, abs)).collect();
        cache.keep_only(&rels.iter().map(String::as_str).collect());
    }
    let parsed: Vec<Result<LoadedPage, Diagnostic>> = page_files
        .into_par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|abs| {
            let s = read_source(root, &content, abs)?;
            let Some(cache) = cache else {
                return load_and_render(root, s, &sections, &section_by_dir, options, false);
            };
            let hash = hash_of(&s.text);
            if let Some(page) = cache.get(&s.rel, hash) {
                return Ok(page.map(|page| {
                    let problems = markdown_diagnostics(&page);
                    (page, problems)
                }));
            }
            let rel = s.rel.clone();
            let loaded = load_and_render(root, s, &sections, &section_by_dir, options, true)?;
            cache.put(&rel, hash, &loaded.as_ref().map(|(page, _)| page.clone()));
            Ok(loaded)
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(Some((page, problems))) => {
                pages.push(page);
                diags.extend(problems);
            }
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    // Stable order whatever the threads did: by source path.
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    check_unique_urls(&pages, &sections, &mut diags);

    let files = place_files(&content, &walk.files, &pages);

    sections.par_iter_mut().for_each(|s| {
        let text = &s.source[s.body_offset..];
        s.rendered = markdown::render(&MarkdownInput {
            text,
            relative_base: Some(&s.url),
        });
    });
    for s in &sections {
        diags.extend(issues_at(&s.path, &s.source, s.body_offset, &s.rendered));
    }

    books::validate(root, &mut pages, &mut diags);
    counseling::validate(&mut pages, &mut diags);
    links::resolve(&mut pages, &mut sections, &mut diags);
    parse_worksheets(&mut pages, &sections, &mut diags);
    let links::References {
        books_of,
        worksheets_of,
        mentioned_in,
        used_by,
    } = links::references(&pages, &mut diags);
    order_sections(&mut sections, &pages);
    let topics = collect_topics(&pages);

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        sections,
        topics,
        files,
        books_of,
        worksheets_of,
        mentioned_in,
        used_by,
    };
    Ok((site, diags))
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
    sources: Vec<Source>,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for s in sources {
        let path = relative(root, &s.abs);
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
                    url: dir_url(&dir),
                    dir,
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
    if !sections.iter().any(|s| s.dir.is_empty()) {
        // The home page exists even without content/_index.md.
        sections.push(Section {
            path: PathBuf::from(CONTENT_DIR).join(SECTION_FILE),
            dir: String::new(),
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
    sections.sort_by(|a, b| a.dir.cmp(&b.dir));
    sections
}

/// The section a file in `dir` belongs to: the nearest folder with an `_index.md`.
fn owning_section(dir: &str, by_dir: &HashMap<String, usize>) -> usize {
    let mut d = dir;
    loop {
        if let Some(&i) = by_dir.get(d) {
            return i;
        }
        if d.is_empty() {
            // The root section always exists (load_sections makes one).
            return by_dir.get("").copied().unwrap_or(0);
        }
        d = parent_dir(d);
    }
}

fn load_page(
    root: &Path,
    s: Source,
    sections: &[Section],
    by_dir: &HashMap<String, usize>,
    options: &LoadOptions,
) -> Result<Option<Page>, Diagnostic> {
    let path = relative(root, &s.abs);
    let is_bundle = file_name(&s.rel) == BUNDLE_FILE;
    // A bundle (`name/index.md`) lives in the folder above its own.
    let own_dir = parent_dir(&s.rel);
    let dir = if is_bundle {
        parent_dir(own_dir)
    } else {
        own_dir
    };
    let section = owning_section(if is_bundle { own_dir } else { dir }, by_dir);
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
        file_name(&s.rel).trim_end_matches(".md")
    };
    let slug = slugify(common.slug.as_deref().unwrap_or(stem));
    if slug.is_empty() {
        return Err(
            Diagnostic::error(&path, "the page has no usable slug").with_help(
                "rename the file with letters or digits, or set `slug: a-name` in the front matter",
            ),
        );
    }
    let url = format!("{}{slug}/", dir_url(dir));
    let body_offset = split.body_offset;
    Ok(Some(Page {
        path,
        rel: s.rel,
        section,
        kind,
        common,
        meta,
        slug,
        url,
        source: Some(s.text),
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
    let mut seen: HashMap<&str, &Path> = HashMap::new();
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
/// path under the output folder.
fn place_files(content: &Path, files: &[PathBuf], pages: &[Page]) -> Vec<ContentFile> {
    let bundles: HashMap<&str, &str> = pages
        .iter()
        .filter(|p| file_name(&p.rel) == BUNDLE_FILE)
        .map(|p| (parent_dir(&p.rel), p.url.as_str()))
        .collect();
    files
        .iter()
        .map(|source| {
            let rel = relative(content, source)
                .to_string_lossy()
                .replace('\\', "/");
            let output = match bundles.get(parent_dir(&rel)) {
                Some(url) => format!("{}{}", url.trim_start_matches('/'), file_name(&rel)),
                None => rel,
            };
            ContentFile {
                source: source.clone(),
                output: PathBuf::from(output),
            }
        })
        .collect()
}

/// Parses one page and renders its Markdown: everything about a page that depends on its
/// own file alone, with the problems its Markdown has. Unless `keep_source`, the page's
/// text is dropped then (worksheets keep theirs: their body is parsed later).
fn load_and_render(
    root: &Path,
    s: Source,
    sections: &[Section],
    by_dir: &HashMap<String, usize>,
    options: &LoadOptions,
    keep_source: bool,
) -> Result<LoadedPage, Diagnostic> {
    let Some(mut page) = load_page(root, s, sections, by_dir, options)? else {
        return Ok(None);
    };
    render_page(&mut page);
    let problems = markdown_diagnostics(&page);
    if !keep_source && page.kind != Kind::Worksheets {
        page.source = None;
    }
    Ok(Some((page, problems)))
}

fn render_page(page: &mut Page) {
    let is_bundle = file_name(&page.rel) == BUNDLE_FILE;
    let base = dir_url(parent_dir(&page.rel));
    page.rendered = markdown::render(&MarkdownInput {
        text: page.body(),
        relative_base: if is_bundle { None } else { Some(&base) },
    });
}

/// Parses every worksheet body into the model its web page and PDF are made from.
fn parse_worksheets(pages: &mut [Page], sections: &[Section], diags: &mut Vec<Diagnostic>) {
    let mut urls: HashMap<String, String> = pages
        .iter()
        .map(|p| (p.rel.clone(), p.url.clone()))
        .collect();
    for s in sections {
        urls.insert(s.rel(), s.url.clone());
    }
    let resolve = |target: &str| -> Option<String> {
        let (path, anchor) = target
            .split_once('#')
            .map_or((target, None), |(p, a)| (p, Some(a)));
        urls.get(path)
            .map(|url| anchor.map_or_else(|| url.clone(), |a| format!("{url}#{a}")))
    };
    let results: Vec<_> = pages
        .par_iter()
        .map(|p| (p.kind == Kind::Worksheets).then(|| worksheet::parse(p.body(), &resolve)))
        .collect();
    for (page, result) in pages.iter_mut().zip(results) {
        match result {
            Some(Ok(sheet)) => {
                page.rendered.html = worksheet::to_html(&sheet);
                page.worksheet = Some(sheet);
            }
            Some(Err(issues)) => {
                let text = page.text();
                diags.extend(issues.into_iter().map(|i| {
                    Diagnostic::error(&page.path, i.message)
                        .at_offset(&text, page.body_offset + i.offset)
                        .with_help(i.help)
                }));
            }
            None => {}
        }
    }
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

fn collect_topics(pages: &[Page]) -> Vec<Topic> {
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for name in &page.common.topics {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let topic = topics.entry(slug.clone()).or_insert_with(|| Topic {
                name: name.clone(),
                url: format!("/topics/{slug}/"),
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
    topics.sort_by_key(|t| t.name.to_lowercase());
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
