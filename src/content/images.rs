//! Which image files the site shows and links to, found at load: each page's hero
//! (`image:`), the site's own raster images in Markdown, and book covers, resolved to
//! files and checked (the file is there, inside the site, in a format hearth reads, with
//! alt text). What is inside the files is read later, by the plan's image jobs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::books::cover_path;
use super::kinds::Meta;
use super::{ContentFile, Page, Section, links};
use crate::diagnostics::Diagnostic;
use crate::inside::{Outside, SiteRoot};
use crate::markdown::{self, InlineImage, MarkdownInput};

/// Where in which file an image is named, to point a problem found later at it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UseAt {
    /// As diagnostics name it (`content/articles/a.md`).
    pub path: PathBuf,
    /// The file on disk, read again only when a problem is reported.
    pub file: PathBuf,
    pub place: Place,
}

/// Where in its file an image is named.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// After the front-matter key `key`, where `value` is written.
    Key { key: &'static str, value: String },
    /// At this byte offset of the file (a Markdown image).
    Offset(usize),
}

impl UseAt {
    /// An error pointed at this use.
    pub fn error(&self, message: impl Into<String>, help: &str) -> Diagnostic {
        let text = std::fs::read_to_string(&self.file).unwrap_or_default();
        let d = Diagnostic::error(&self.path, message).with_help(help);
        match &self.place {
            Place::Key { key, value } => match links::find_in_front_matter(&text, key, value) {
                Some(offset) => d.at_offset(&text, offset),
                None => d,
            },
            Place::Offset(offset) => d.at_offset(&text, *offset),
        }
    }
}

/// A photo the site shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSource {
    /// Where the original would be published (`articles/tea/hero.jpg`); its copies go
    /// beside it.
    pub output: PathBuf,
    /// Its first use, for problems found when the file is read.
    pub used_at: UseAt,
}

/// A page's hero photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Hero {
    pub source: PathBuf,
    pub alt: String,
    /// The credit as HTML (its Markdown links made links), without a paragraph around it.
    pub credit_html: Option<String>,
}

/// Every image file the site shows or links to.
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// Every photo shown, by its file.
    pub sources: BTreeMap<PathBuf, ImageSource>,
    /// Page index → its hero.
    pub heroes: HashMap<usize, Hero>,
    /// Book page index → its cover's file.
    pub covers: HashMap<usize, PathBuf>,
    /// A page's or section's file (its `path`) → the file of each of its inline images,
    /// in order (`None` for one that could not be resolved).
    pub inline: HashMap<PathBuf, Vec<Option<PathBuf>>>,
    /// Image files a page links to: their originals are published as they are.
    pub linked: HashSet<PathBuf>,
}

impl Images {
    /// Whether `file`'s original is left out of the output: it is shown as resized
    /// copies, and no page links to it.
    pub fn replaces_original(&self, file: &Path) -> bool {
        self.sources.contains_key(file) && !self.linked.contains(file)
    }
}

/// Finds and checks every image the pages and sections show.
pub fn collect(
    root: &Path,
    pages: &[Page],
    sections: &[Section],
    files: &[ContentFile],
    diags: &mut Vec<Diagnostic>,
) -> Images {
    let mut finder = Finder {
        root,
        site: SiteRoot::new(root),
        // A bundle's file is placed beside each translation, the default language's
        // first: its processed copies go there, once.
        output_of: files
            .iter()
            .rev()
            .map(|f| (f.source.clone(), f.output.clone()))
            .collect(),
        images: Images::default(),
        diags,
    };
    for (i, page) in pages.iter().enumerate() {
        finder.hero(i, page);
        if let Meta::Book(book) = &page.meta
            && let Some(cover) = &book.cover
        {
            let file = cover_path(root, page, cover);
            // books.rs reports a missing cover; only one that is there is shown.
            if file.is_file() {
                let at = finder.front_matter_use(page, "cover", cover);
                if let Some(file) = finder.register(file, cover, at) {
                    finder.images.covers.insert(i, file);
                }
            }
        }
        let dir = root.join(&page.path);
        let dir = dir.parent().unwrap_or(root);
        let body_offset = page.body_offset;
        finder.markdown(
            &page.path,
            &page.file,
            dir,
            body_offset,
            &page.rendered.images,
            &page.rendered.image_links,
        );
    }
    for section in sections {
        let file = root.join(&section.path);
        let dir = file.parent().unwrap_or(root).to_path_buf();
        finder.markdown(
            &section.path,
            &file,
            &dir,
            section.body_offset,
            &section.rendered.images,
            &section.rendered.image_links,
        );
    }
    finder.images
}

/// One search through the site's images.
struct Finder<'a> {
    root: &'a Path,
    site: SiteRoot,
    /// Content file → where it is published.
    output_of: HashMap<PathBuf, PathBuf>,
    images: Images,
    diags: &'a mut Vec<Diagnostic>,
}

impl Finder<'_> {
    fn front_matter_use(&self, page: &Page, key: &'static str, value: &str) -> UseAt {
        UseAt {
            path: page.path.clone(),
            file: page.file.clone(),
            place: Place::Key {
                key,
                value: value.to_string(),
            },
        }
    }

    /// Checks page `i`'s `image:`, `image_alt:` and `image_credit:`.
    fn hero(&mut self, i: usize, page: &Page) {
        let Some((image, alt, credit)) = page.meta.hero() else {
            return;
        };
        let at = self.front_matter_use(page, "image", image);
        let Some(alt) = alt else {
            self.diags.push(at.error(
                "the image has no alt text",
                "add `image_alt: \"…\"` saying what the photo shows; write `image_alt: \"\"` only if it is purely decorative",
            ));
            return;
        };
        let dir = self.root.join(&page.path);
        let dir = dir.parent().unwrap_or(self.root).to_path_buf();
        let Some(file) = self.resolve(&dir, image, true) else {
            self.diags.push(at.error(
                format!("the image `{image}` does not exist"),
                "put the photo beside the page (in its folder, as `index.md`'s neighbour) or under static/, and write its file name",
            ));
            return;
        };
        if let Some(source) = self.register(file, image, at) {
            let credit_html = credit.map(credit_html);
            self.images.heroes.insert(
                i,
                Hero {
                    source,
                    alt: markdown::smart_punctuation(alt),
                    credit_html,
                },
            );
        }
    }

    /// Resolves the inline images and image links of one page or section.
    fn markdown(
        &mut self,
        path: &Path,
        file: &Path,
        dir: &Path,
        body_offset: usize,
        images: &[InlineImage],
        image_links: &[String],
    ) {
        for link in image_links {
            if let Some(linked) = self.resolve(dir, &decode(link), false) {
                self.images.linked.insert(linked);
            }
        }
        if images.is_empty() {
            return;
        }
        let mut resolved = Vec::with_capacity(images.len());
        for image in images {
            let at = UseAt {
                path: path.to_path_buf(),
                file: file.to_path_buf(),
                place: Place::Offset(body_offset + image.offset),
            };
            let written = decode(&image.src);
            let source = match self.resolve(dir, &written, false) {
                Some(found) => self.register(found, &written, at),
                None => {
                    self.diags.push(at.error(
                        format!("the image `{}` does not exist", image.src),
                        "put the photo beside the page, or fix the file name (names are case-sensitive)",
                    ));
                    None
                }
            };
            resolved.push(source);
        }
        self.images.inline.insert(path.to_path_buf(), resolved);
    }

    /// The file an image address names: a path from the site's root (`/images/a.jpg`) is
    /// looked for under `static/`, then `content/`; any other beside the page (and, for a
    /// hero, under `static/`).
    fn resolve(&self, dir: &Path, written: &str, hero: bool) -> Option<PathBuf> {
        let written = written.split(['?', '#']).next().unwrap_or(written);
        let candidates: Vec<PathBuf> = match written.strip_prefix('/') {
            Some(rest) => vec![
                self.root.join("static").join(rest),
                self.root.join("content").join(rest),
            ],
            None if hero => vec![dir.join(written), self.root.join("static").join(written)],
            None => vec![dir.join(written)],
        };
        candidates
            .into_iter()
            .map(|c| normalize(&c))
            .find(|c| c.is_file())
    }

    /// Adds a photo the site shows, once per file; refuses one outside the site or in a
    /// format hearth cannot read. Returns its file when it can be shown.
    fn register(&mut self, file: PathBuf, written: &str, at: UseAt) -> Option<PathBuf> {
        if self.images.sources.contains_key(&file) {
            return Some(file);
        }
        match self.site.check(&file) {
            Ok(()) => {}
            Err(Outside::Path { .. }) => {
                self.diags.push(at.error(
                    format!("the image `{written}` is outside the site folder"),
                    "put a copy of the photo beside the page; hearth never publishes files from outside the site",
                ));
                return None;
            }
            Err(link) => {
                self.diags.push(link.into());
                return None;
            }
        }
        if let Some(ext) = markdown::raster_extension(written)
            && !matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp")
        {
            self.diags.push(at.error(
                format!(
                    "`{written}` is a {} image, which browsers cannot all show",
                    ext.to_uppercase()
                ),
                "export the photo as JPEG (or PNG for a drawing) and name that file instead",
            ));
            return None;
        }
        let output = match self.output_of.get(&file) {
            Some(output) => output.clone(),
            None => match file.strip_prefix(self.root.join("static")) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => crate::diagnostics::relative(self.root, &file),
            },
        };
        self.images.sources.insert(
            file.clone(),
            ImageSource {
                output,
                used_at: at,
            },
        );
        Some(file)
    }
}

/// A credit line's Markdown as HTML, without the paragraph around it.
fn credit_html(credit: &str) -> String {
    let rendered = markdown::render(&MarkdownInput {
        text: credit,
        relative_base: None,
    });
    let html = rendered.html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_string()
}

/// A Markdown address with its `%20`s decoded, as the file is named on disk.
fn decode(url: &str) -> String {
    url.replace("%20", " ")
}

/// `a/b/../c` → `a/c`, without touching the disk (links stay links for `SiteRoot`). A
/// path without `..` stays as it is, so it matches the paths the loader walked.
fn normalize(path: &Path) -> PathBuf {
    if !path.components().any(|c| c == Component::ParentDir) {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            // A leading `.` stays (the site folder given as `.`): the other paths of the
            // site start with it, and this one must equal theirs.
            Component::CurDir if out.as_os_str().is_empty() => out.push("."),
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A photo named with `..` from a site built as `.` is the same file, with the same
    /// path, as when named from its own folder: one set of copies, where the file goes.
    #[test]
    fn normalize_keeps_a_leading_dot() {
        assert_eq!(
            normalize(Path::new("./content/worksheets/../articles/p.jpg")),
            PathBuf::from("./content/articles/p.jpg")
        );
        assert_eq!(
            normalize(Path::new("/site/content/a/../b/p.jpg")),
            PathBuf::from("/site/content/b/p.jpg")
        );
    }
}
