//! `hearth import wordpress`: brings a WordPress (or Squarespace) export into a hearth site.
//!
//! Two passes over the export, each a stream of items: the first learns the attachments,
//! menus and every post's new address (`plan`); the second converts each post
//! (`shortcodes`, `convert`, `page`), fetches its images (`media`) and stages the files
//! (`write`). Only when the whole export has gone through are the files put in place,
//! never over an existing one; then the report (`report`) is written.

mod convert;
mod media;
mod menu;
mod page;
mod plan;
mod report;
mod shortcodes;
mod write;
mod wxr;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use report::{MenuEntry, Report};

use crate::config::Config;
use crate::content::Kind;
use crate::content::load::{LoadOptions, load};
use crate::diagnostics::Diagnostic;
use plan::{Decision, Existing};
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
        menu: menu::suggest(&items, &decisions, &channel, &moved),
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
    let mut work = page::Work {
        moved,
        uploads: &uploads,
        fetcher: media::Fetcher::new(),
        staging: &mut staging,
        report: &mut report,
        staged: HashMap::new(),
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
