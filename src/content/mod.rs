//! The content model: a `Site` of typed pages and sections, loaded once and then read-only.

pub mod books;
pub mod counseling;
pub mod front_matter;
pub mod hours;
pub mod images;
pub mod kinds;
pub mod links;
pub mod load;
pub mod us;
pub mod worksheet;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

pub use kinds::{Common, Kind, Meta, SectionFront, SortBy};

use crate::config::Config;
use crate::markdown::Rendered;

/// One Markdown page (not an `_index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, as shown in diagnostics (`content/articles/a.md`).
    pub path: PathBuf,
    /// Path relative to `content/`, as written in `@/` links (`articles/a.md`).
    pub rel: String,
    /// Index of the section the page belongs to (the section in the page's language).
    pub section: usize,
    /// Index into `Site::languages`: 0 for the default language.
    pub lang: usize,
    /// `rel` without the language: what a page and its translations have in common
    /// (`about.md` for `about.md` and `about.es.md`).
    pub translation_key: String,
    pub kind: Kind,
    pub common: Common,
    pub meta: Meta,
    pub slug: String,
    /// Site-relative URL with a trailing slash (`/articles/a/`).
    pub url: String,
    /// The whole file. Worksheets keep theirs (their body is parsed after links resolve);
    /// otherwise loading drops it as soon as the page is parsed and rendered, so that the
    /// next file reuses its memory rather than the build touching more. [`Page::text`] reads the file again when a problem found
    /// later must point at a line in it.
    pub source: Option<String>,
    /// A hash of the file's text when `serve`'s cache loaded it (0 otherwise): with the
    /// URLs its links lead to, it stands for everything the page says.
    pub source_hash: u64,
    /// The file on disk, to read again.
    pub file: PathBuf,
    pub body_offset: usize,
    /// Shared with `serve`'s cache of loaded pages, so that a page loaded again is not
    /// copied; only a page whose `@/` links are resolved gets a copy of its own.
    pub rendered: std::sync::Arc<Rendered>,
    /// The parsed worksheet, for worksheet pages (its HTML is also in `rendered.html`).
    pub worksheet: Option<worksheet::Worksheet>,
    /// Parsed opening hours, for counseling pages that list them.
    pub opening_hours: Vec<hours::Rule>,
    /// The checked ISBN, for book pages that give one (`meta` keeps it as written).
    pub isbn: Option<books::Isbn>,
}

impl Page {
    /// The Markdown after the front matter; empty once the source is dropped.
    pub fn body(&self) -> &str {
        self.source
            .as_deref()
            .map_or("", |source| &source[self.body_offset..])
    }

    /// The whole file, to point a diagnostic at a line of it: the source when kept, else
    /// read again (only a page with a problem needs this). If the file cannot be read any
    /// more (deleted during the build), the text is empty and a diagnostic pointed into it
    /// lands on line 1.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.source {
            Some(source) => Cow::Borrowed(source),
            None => Cow::Owned(std::fs::read_to_string(&self.file).unwrap_or_default()),
        }
    }

    /// Points `diagnostic` at `value` after the front-matter key `key`, when it is found.
    pub fn locate(
        &self,
        key: &str,
        value: &str,
        diagnostic: crate::diagnostics::Diagnostic,
    ) -> crate::diagnostics::Diagnostic {
        let text = self.text();
        match links::find_in_front_matter(&text, key, value) {
            Some(offset) => diagnostic.at_offset(&text, offset),
            None => diagnostic,
        }
    }

    /// The page's date for sorting and feeds: `updated` falls back to `date`.
    pub fn last_modified(&self) -> Option<jiff::civil::Date> {
        self.common.updated.or(self.common.date)
    }
}

/// A folder with an `_index.md` (or the content root), listing its pages.
#[derive(Debug, Clone)]
pub struct Section {
    pub path: PathBuf,
    /// Folder relative to `content/` (`articles`), empty for the root.
    pub dir: String,
    /// Index into `Site::languages`.
    pub lang: usize,
    /// A section in another language than its `_index.md`'s, made because it has no
    /// `_index.<lang>.md`: its title is the theme's word for its kind.
    pub untranslated: bool,
    pub front: SectionFront,
    pub url: String,
    pub source: String,
    pub body_offset: usize,
    pub rendered: Rendered,
    /// Indices into `Site::pages`, in the section's order.
    pub pages: Vec<usize>,
}

impl Section {
    /// Path of its `_index.md` relative to `content/`, as `@/` links name it.
    pub fn rel(&self) -> String {
        let file = self
            .path
            .file_name()
            .map_or_else(|| "_index.md".into(), |f| f.to_string_lossy());
        if self.dir.is_empty() {
            file.into_owned()
        } else {
            format!("{}/{file}", self.dir)
        }
    }
}

/// A topic named in front matter, with everything filed under it.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Index into `Site::languages`: a topic is named in one language.
    pub lang: usize,
    pub name: String,
    pub slug: String,
    pub url: String,
    pub pages: Vec<usize>,
}

/// A file under `content/` that is not Markdown, copied to the output as it is.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub source: PathBuf,
    /// Path inside the output folder.
    pub output: PathBuf,
}

/// Everything the site is made of, resolved and checked.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// The site's language codes, the default first (`Config::language_codes`).
    pub languages: Vec<String>,
    /// Each page's translations, by `translation_key`, for pages that have any: page
    /// indices, in language order.
    pub translations: HashMap<String, Vec<usize>>,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub topics: Vec<Topic>,
    pub files: Vec<ContentFile>,
    /// The photos pages show and the image files they link to.
    pub images: images::Images,
    /// Article page index → the books it recommends (`books:`), in order.
    pub books_of: HashMap<usize, Vec<usize>>,
    /// Article page index → the worksheets it names (`worksheets:`), in order.
    pub worksheets_of: HashMap<usize, Vec<usize>>,
    /// Book page index → article page indices that recommend it.
    pub mentioned_in: HashMap<usize, Vec<usize>>,
    /// Worksheet page index → article page indices that name it.
    pub used_by: HashMap<usize, Vec<usize>>,
}

impl Site {
    /// The default language's home page section.
    pub fn root_section(&self) -> Option<&Section> {
        self.root_section_in(0)
    }

    /// A language's home page section.
    pub fn root_section_in(&self, lang: usize) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.dir.is_empty() && s.lang == lang)
    }

    /// The first section of a kind in the default language, e.g. where "all books" live.
    pub fn section_of_kind(&self, kind: Kind) -> Option<&Section> {
        self.section_of_kind_in(kind, 0)
    }

    pub fn section_of_kind_in(&self, kind: Kind, lang: usize) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.front.kind == kind && s.lang == lang)
    }

    /// The language the search index is told all pages are in; none (`""`) for a site in
    /// several, so that Pagefind reads each page's `<html lang>` and keeps an index per
    /// language.
    pub fn search_language(&self) -> &str {
        if self.languages.len() > 1 {
            ""
        } else {
            &self.config.language
        }
    }

    /// The code of language `lang` (`en-US`, `es`).
    pub fn code(&self, lang: usize) -> &str {
        self.languages
            .get(lang)
            .map_or(&self.config.language, String::as_str)
    }

    /// `""` for the default language, `/es` for Spanish: what its URLs start with.
    pub fn url_prefix(&self, lang: usize) -> String {
        url_prefix(&self.languages, lang)
    }

    /// The translations of page `i`, itself included, in language order; `None` when it
    /// has none.
    pub fn translations_of(&self, i: usize) -> Option<&[usize]> {
        self.translations
            .get(&self.pages[i].translation_key)
            .map(Vec::as_slice)
    }

    pub fn pages_of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.kind == kind)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.pages_of_kind(kind).count()
    }
}

/// `""` for the default language (index 0), `/<code>` for the others.
pub fn url_prefix(languages: &[String], lang: usize) -> String {
    match languages.get(lang) {
        Some(code) if lang > 0 => format!("/{code}"),
        _ => String::new(),
    }
}

/// The URL-safe form of a topic or file name.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}
