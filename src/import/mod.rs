//! `hearth import wordpress`: brings a WordPress (or Squarespace) export into a hearth site.
//!
//! Two passes over the export, each a stream of items: the first learns the attachments,
//! menus and every post's new address (`plan`); the second converts each post
//! (`shortcodes`, `convert`), fetches its images (`media`) and stages the files (`write`).
//! Only when the whole export has gone through are the files put in place, never over an
//! existing one; then the report (`report`) is written.

mod convert;
mod media;
mod plan;
mod report;
mod shortcodes;
mod write;
mod wxr;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use report::{MenuEntry, Report};

use crate::config::Config;
use crate::content::load::{LoadOptions, load};
use crate::content::{Kind, slugify};
use crate::diagnostics::Diagnostic;
use convert::ImageRef;
use plan::{Decision, Existing, Planned};
use shortcodes::{Attachments, GalleryImage};
use wxr::{Channel, Item};

/// What can stop an import; turned into a diagnostic at the edge.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImportError {
    #[error("cannot read {path}: {error}", path = .0.display(), error = .1)]
    Read(PathBuf, std::io::Error),
    #[error("cannot write {path}: {error}", path = .0.display(), error = .1)]
    Write(PathBuf, std::io::Error),
    #[error("the export is not well-formed XML: {message}")]
    Xml {
        message: String,
        offset: u64,
        line: usize,
        col: usize,
        /// The text of that line, to show under the message.
        source_line: String,
    },
    #[error("this is not a WordPress export: {0}")]
    NotWxr(String),
    #[error("cannot write front matter: {0}")]
    Yaml(String),
}

impl ImportError {
    fn diagnostic(self, export: &Path) -> Diagnostic {
        match self {
            ImportError::Xml {
                line,
                col,
                ref source_line,
                ..
            } => {
                let mut d = Diagnostic::error(export, self.to_string())
                    .with_help("export the site again (WordPress: Tools → Export → All content); a file cut short or edited by hand is not read");
                // The export may be large: its line is set here rather than found by
                // `Diagnostic::at` in the whole text.
                d.line = u32::try_from(line).ok().filter(|l| *l > 0);
                d.col = u32::try_from(col).ok().filter(|c| *c > 0);
                d.source_line = Some(source_line.clone()).filter(|l| !l.is_empty());
                d
            }
            ImportError::NotWxr(_) => Diagnostic::error(export, self.to_string()).with_help(
                "use the file WordPress makes under Tools → Export (Squarespace: Settings → Import & Export → Export, WordPress)",
            ),
            ImportError::Read(ref path, _) if path == export => {
                Diagnostic::error(export, self.to_string())
                    .with_help("check the file's name and that it is the export you downloaded")
            }
            other => Diagnostic::error(export, other.to_string()),
        }
    }
}

/// An image uploaded to WordPress (an attachment item).
#[derive(Debug, Clone)]
struct Attachment {
    url: String,
    alt: String,
    parent: u64,
    order: i64,
}

#[derive(Default)]
struct Uploads(HashMap<u64, Attachment>);

impl Attachments for Uploads {
    fn by_id(&self, id: u64) -> Option<GalleryImage> {
        self.0.get(&id).map(|a| GalleryImage {
            url: a.url.clone(),
            alt: a.alt.clone(),
        })
    }

    fn of_post(&self, parent: u64) -> Vec<GalleryImage> {
        let mut mine: Vec<(&u64, &Attachment)> =
            self.0.iter().filter(|(_, a)| a.parent == parent).collect();
        mine.sort_by_key(|(id, a)| (a.order, **id));
        mine.into_iter()
            .filter_map(|(id, _)| self.by_id(*id))
            .collect()
    }
}

/// Imports the WordPress export at `export` into the site at `root`.
pub fn wordpress(root: &Path, export: &Path) -> Result<Report, Vec<Diagnostic>> {
    let existing = existing(root)?;
    let fail = |e: ImportError| vec![e.diagnostic(export)];
    let (items, uploads, channel) = first_pass(export).map_err(fail)?;
    let decisions = plan::plan(&items, &channel, &existing);
    let moved = moved(&decisions);
    let mut report = Report {
        menu: menu(&items, &decisions, &channel, &moved),
        ..Report::default()
    };
    for item in items.iter().filter(|i| i.comments > 0) {
        report.comments += item.comments;
        report.commented_posts += 1;
    }
    for decision in &decisions {
        match decision {
            Decision::Exists { title, url, file } => {
                report
                    .existing
                    .push((title.clone(), url.clone(), file.clone()));
            }
            Decision::Skip { title, why } => report.skipped.push((title.clone(), why.clone())),
            Decision::Import(_) => {}
        }
    }
    // Second pass: convert, fetch and stage.
    let mut staging = write::Staging::create(root).map_err(fail)?;
    let mut work = Work {
        moved,
        uploads: &uploads,
        fetcher: media::Fetcher::new(),
        staging: &mut staging,
        report: &mut report,
    };
    let mut next = decisions.iter();
    wxr::read(export, |channel, item| {
        // `next` moves on only at content items, in step with the plan's decisions.
        if is_content(&item)
            && let Some(Decision::Import(planned)) = next.next()
        {
            return work.import(planned, &item, channel);
        }
        Ok(())
    })
    .map_err(fail)?;
    // Everything converted: now, and only now, the files go in place.
    let (written, kept) = staging.commit(root).map_err(fail)?;
    report.written = written;
    for file in kept {
        let title = "a file that appeared during the import".to_string();
        report.existing.push((title, String::new(), file));
    }
    let text = report.markdown(&export.display().to_string());
    report.report_file = Some(write::report_file(root, &text).map_err(fail)?);
    Ok(report)
}

/// Old path → new URL of every imported page that will be published (a link to a draft
/// would be a broken link until it is).
fn moved(decisions: &[Decision]) -> convert::Moved {
    let today = jiff::Zoned::now().date();
    let mut moved = HashMap::new();
    for decision in decisions {
        if let Decision::Import(p) = decision
            && !p.draft
            && p.date.is_none_or(|d| d <= today)
        {
            for alias in &p.aliases {
                moved.insert(alias.clone(), p.url.clone());
            }
        }
    }
    std::sync::Arc::new(moved)
}

/// Whether an item is a post, page or other content (not an upload or a menu entry).
fn is_content(item: &Item) -> bool {
    !matches!(item.post_type.as_str(), "attachment" | "nav_menu_item")
}

/// The first pass: every item but the posts' text, the uploads, and the channel.
fn first_pass(export: &Path) -> Result<(Vec<Item>, Uploads, Channel), ImportError> {
    let mut items = Vec::new();
    let mut uploads = Uploads::default();
    let channel = wxr::read(export, |_, mut item| {
        if item.post_type == "attachment" {
            let url = if item.attachment_url.is_empty() {
                item.link.clone()
            } else {
                item.attachment_url.clone()
            };
            let alt = item.meta("_wp_attachment_image_alt").unwrap_or_default();
            let attachment = Attachment {
                url,
                alt: html_escape::decode_html_entities(alt.trim()).into_owned(),
                parent: item.parent,
                order: item.menu_order,
            };
            uploads.0.insert(item.id, attachment);
        } else {
            item.content = String::new();
            items.push(item);
        }
        Ok(())
    })?;
    Ok((items, uploads, channel))
}

/// The site as it is, drafts included: the addresses an import must not take.
fn existing(root: &Path) -> Result<Existing, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let options = LoadOptions {
        drafts: true,
        today: jiff::Zoned::now().date(),
    };
    let (site, _) = load(root, config, &options, None)?;
    let Some(articles) = site.section_of_kind(Kind::Articles) else {
        return Err(vec![
            Diagnostic::error(
                "content",
                "the site has no section of kind `articles` for the posts",
            )
            .with_help(
                "create content/articles/_index.md with `kind: articles` in its front matter",
            ),
        ]);
    };
    let dir = Path::new(crate::content::load::CONTENT_DIR).join(&articles.dir);
    let url = articles.url.clone();
    Ok(Existing::of(&site, dir, url))
}

/// The second pass's tools and where its results go.
struct Work<'a> {
    moved: convert::Moved,
    uploads: &'a Uploads,
    fetcher: media::Fetcher,
    staging: &'a mut write::Staging,
    report: &'a mut Report,
}

impl Work<'_> {
    /// Converts one post or page and stages it with its images.
    fn import(
        &mut self,
        planned: &Planned,
        item: &Item,
        channel: &Channel,
    ) -> Result<(), ImportError> {
        let prepared = shortcodes::prepare(&item.content, item.id, self.uploads);
        let converted = convert::to_markdown(&prepared.html, &channel.link, &self.moved);
        let file = planned.file.clone();
        let bundle = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut names = HashSet::new();
        let mut by_url: HashMap<String, Option<String>> = HashMap::new();
        let mut body = converted.markdown.clone();
        for (i, image) in converted.images.iter().enumerate() {
            let markdown = self.image(image, &bundle, &file, &mut names, &mut by_url)?;
            body = body.replacen(&convert::image_token(i), &markdown, 1);
        }
        let mut front = write::Front {
            title: planned.title.clone(),
            description: planned.description.clone(),
            date: planned.date,
            draft: planned.draft,
            topics: planned.topics.clone(),
            aliases: planned.aliases.clone(),
            ..write::Front::default()
        };
        if let Some(featured) = planned.featured.and_then(|id| self.uploads.0.get(&id)) {
            let image = ImageRef {
                url: convert::absolute(&featured.url, &channel.link),
                alt: Some(featured.alt.clone()),
            };
            if let Some(name) =
                self.fetch_into(&image.url, &bundle, &file, &mut names, &mut by_url)?
            {
                let alt = Some(featured.alt.clone()).filter(|a| !a.is_empty());
                if alt.is_none() {
                    self.report
                        .missing_alt
                        .push((file.clone(), format!("{name} (the hero image)")));
                }
                if planned.kind == Kind::Articles {
                    front.image = Some(name);
                    front.image_alt = alt;
                } else {
                    // Pages have no hero image: it opens the page instead.
                    body = format!("![{}]({name})\n\n{body}", escape_alt(&featured.alt));
                }
            }
        }
        if planned.kind == Kind::Articles {
            front.author = planned.author.clone();
        }
        let text = write::page_text(&front, &body)?;
        self.staging.add(&file, text.as_bytes())?;
        self.count(planned, &file);
        for name in prepared.unknown {
            self.report.shortcodes.push((file.clone(), name));
        }
        for url in converted.embeds {
            self.report.embeds.push((file.clone(), url));
        }
        Ok(())
    }

    fn count(&mut self, planned: &Planned, file: &Path) {
        let r = &mut *self.report;
        match planned.kind {
            Kind::Articles => r.articles += 1,
            _ => r.pages += 1,
        }
        if planned.draft {
            r.drafts += 1;
        }
        if !planned.draft && planned.date.is_some_and(|d| d > jiff::Zoned::now().date()) {
            r.scheduled += 1;
        }
        r.aliases += planned.aliases.len();
        if let Some(why) = planned.hidden {
            r.hidden
                .push((planned.title.clone(), file.to_path_buf(), why));
        }
        if planned.untitled {
            r.untitled.push(file.to_path_buf());
        }
    }

    /// The Markdown for one image of a page: the downloaded file, or a link to where it was.
    fn image(
        &mut self,
        image: &ImageRef,
        bundle: &Path,
        file: &Path,
        names: &mut HashSet<String>,
        by_url: &mut HashMap<String, Option<String>>,
    ) -> Result<String, ImportError> {
        let alt = image.alt.clone().unwrap_or_default();
        match self.fetch_into(&image.url, bundle, file, names, by_url)? {
            Some(name) => {
                if alt.is_empty() {
                    self.report
                        .missing_alt
                        .push((file.to_path_buf(), name.clone()));
                }
                Ok(format!("![{}]({name})", escape_alt(&alt)))
            }
            None => {
                let words = if alt.is_empty() {
                    "Image (not imported)".to_string()
                } else {
                    format!("Image: {}", escape_alt(&alt))
                };
                if image.url.starts_with("http") {
                    Ok(format!("[{words}](<{}>)", image.url.replace('>', "%3E")))
                } else {
                    Ok(words)
                }
            }
        }
    }

    /// Fetches `url` into the bundle once per page; `None` (and a line in the report) when
    /// it cannot be had.
    fn fetch_into(
        &mut self,
        url: &str,
        bundle: &Path,
        file: &Path,
        names: &mut HashSet<String>,
        by_url: &mut HashMap<String, Option<String>>,
    ) -> Result<Option<String>, ImportError> {
        // Once per page: an image shown twice (or also as the hero) is one file, or one
        // line in the report.
        if let Some(done) = by_url.get(url) {
            return Ok(done.clone());
        }
        match self.fetcher.fetch(url) {
            Ok(fetched) => {
                let name = media::file_name(url, fetched.extension, names);
                self.staging.add(&bundle.join(&name), &fetched.bytes)?;
                self.report.images += 1;
                by_url.insert(url.to_string(), Some(name.clone()));
                Ok(Some(name))
            }
            Err(why) => {
                let shown = if url.starts_with("data:") {
                    "an image written into the page itself".to_string()
                } else {
                    url.to_string()
                };
                self.report
                    .failed_images
                    .push((file.to_path_buf(), shown, why));
                Ok(None)
            }
        }
    }
}

/// Alt text safe inside `![…]`.
fn escape_alt(alt: &str) -> String {
    alt.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('\n', " ")
}

/// The export's menus as suggested `[[menu]]` entries, in each menu's order.
fn menu(
    items: &[Item],
    decisions: &[Decision],
    channel: &Channel,
    moved: &convert::Moved,
) -> Vec<MenuEntry> {
    let mut url_of: HashMap<u64, (String, String)> = HashMap::new();
    let content = items.iter().filter(|i| is_content(i));
    for (item, decision) in content.zip(decisions) {
        let (title, url) = match decision {
            Decision::Import(p) => (p.title.clone(), p.url.clone()),
            Decision::Exists { title, url, .. } => (title.clone(), url.clone()),
            Decision::Skip { .. } => continue,
        };
        url_of.insert(item.id, (title, url));
    }
    let mut entries: Vec<((String, i64), u64, MenuEntry)> = Vec::new();
    let mut names: HashMap<u64, String> = HashMap::new();
    for item in items.iter().filter(|i| i.post_type == "nav_menu_item") {
        let menu = item
            .terms
            .iter()
            .find(|t| t.domain == "nav_menu")
            .map_or_else(|| "Menu".to_string(), |t| plan::clean_title(&t.name));
        let object_id: u64 = item
            .meta("_menu_item_object_id")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let (default_name, url) = match item.meta("_menu_item_type").unwrap_or_default() {
            "post_type" => match url_of.get(&object_id) {
                Some((title, url)) => (title.clone(), url.clone()),
                None => continue,
            },
            "taxonomy" => match channel.categories.values().find(|c| c.term_id == object_id) {
                Some(cat) => {
                    let name = plan::clean_title(&cat.name);
                    let url = format!("/topics/{}/", slugify(&name));
                    (name, url)
                }
                None => continue,
            },
            _ => {
                let url = item
                    .meta("_menu_item_url")
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                // A link to the old site itself becomes a path on this one.
                let home = channel.link.trim_end_matches('/');
                let url = match plan::old_path(&url, &channel.link) {
                    Some(path) => moved.get(&path).cloned().unwrap_or(path),
                    None if !home.is_empty() && url.trim_end_matches('/') == home => "/".into(),
                    None => url,
                };
                (String::new(), url)
            }
        };
        let title = plan::clean_title(&item.title);
        let name = if title.is_empty() {
            default_name
        } else {
            title
        };
        if name.is_empty() || url.is_empty() {
            continue;
        }
        let parent: u64 = item
            .meta("_menu_item_menu_item_parent")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0);
        names.insert(item.id, name.clone());
        entries.push((
            (menu.clone(), item.menu_order),
            parent,
            MenuEntry {
                menu,
                name,
                url,
                under: None,
            },
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(_, parent, mut entry)| {
            entry.under = names.get(&parent).cloned();
            entry
        })
        .collect()
}
