//! The content model: a `Site` of typed pages and sections, loaded once and then read-only.

pub mod books;
pub mod counseling;
pub mod front_matter;
pub mod hours;
pub mod kinds;
pub mod links;
pub mod load;
pub mod us;
pub mod worksheet;

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
    /// Index of the section the page belongs to.
    pub section: usize,
    pub kind: Kind,
    pub common: Common,
    pub meta: Meta,
    pub slug: String,
    /// Site-relative URL with a trailing slash (`/articles/a/`).
    pub url: String,
    /// The whole file, kept so loading's later steps can point at lines in it. A build
    /// empties it once loading is done ([`Site::forget_sources`]); `serve` keeps it.
    pub source: String,
    pub body_offset: usize,
    pub rendered: Rendered,
    /// The parsed worksheet, for worksheet pages (its HTML is also in `rendered.html`).
    pub worksheet: Option<worksheet::Worksheet>,
    /// Parsed opening hours, for counseling pages that list them.
    pub opening_hours: Vec<hours::Rule>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// Points `diagnostic` at `value` after the front-matter key `key`, when it is found.
    pub fn locate(
        &self,
        key: &str,
        value: &str,
        diagnostic: crate::diagnostics::Diagnostic,
    ) -> crate::diagnostics::Diagnostic {
        match links::find_in_front_matter(&self.source, key, value) {
            Some(offset) => diagnostic.at_offset(&self.source, offset),
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
        if self.dir.is_empty() {
            "_index.md".into()
        } else {
            format!("{}/_index.md", self.dir)
        }
    }
}

/// A topic named in front matter, with everything filed under it.
#[derive(Debug, Clone)]
pub struct Topic {
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
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub topics: Vec<Topic>,
    pub files: Vec<ContentFile>,
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
    /// Frees every page's Markdown source, which nothing after loading reads: a build
    /// does this so that rendering reuses that memory rather than touching more.
    /// [`Page::body`] is empty afterwards.
    pub fn forget_sources(&mut self) {
        for page in &mut self.pages {
            page.source = String::new();
            page.body_offset = 0;
        }
    }

    pub fn root_section(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.dir.is_empty())
    }

    /// The first section of a kind, e.g. where "all books" live.
    pub fn section_of_kind(&self, kind: Kind) -> Option<&Section> {
        self.sections.iter().find(|s| s.front.kind == kind)
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

/// The URL-safe form of a topic or file name.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}
