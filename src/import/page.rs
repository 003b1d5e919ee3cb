//! The second pass, one post or page at a time: its HTML through the shortcodes and the
//! conversion, its images (and featured image) fetched into its bundle, its front matter,
//! and the lines it adds to the report.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::convert::{self, ImageRef};
use super::plan::Planned;
use super::wxr::{Channel, Item};
use super::{ImportError, Report, Uploads, media, shortcodes, write};
use crate::content::Kind;

/// The second pass's tools and where its results go.
pub(crate) struct Work<'a> {
    pub moved: convert::Moved,
    pub uploads: &'a Uploads,
    pub fetcher: media::Fetcher,
    pub staging: &'a mut write::Staging,
    pub report: &'a mut Report,
    /// Images already staged for another page (URL → staged file), copied from there.
    pub staged: HashMap<String, PathBuf>,
}

impl Work<'_> {
    /// Converts one post or page and stages it with its images.
    pub fn import(
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
                    front.alt_missing = alt.is_none();
                    front.image_alt = Some(alt.unwrap_or_default());
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
        if let Some(staged) = self.staged.get(url).cloned() {
            let extension = staged.extension().and_then(|e| e.to_str()).unwrap_or("img");
            let name = media::file_name(url, extension, names);
            self.staging.copy(&staged, &bundle.join(&name))?;
            self.report.images += 1;
            by_url.insert(url.to_string(), Some(name.clone()));
            return Ok(Some(name));
        }
        match self.fetcher.fetch(url) {
            Ok(fetched) => {
                let name = media::file_name(url, fetched.extension, names);
                let rel = bundle.join(&name);
                self.staging.add(&rel, &fetched.bytes)?;
                self.staged.insert(url.to_string(), rel);
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
                let line = (file.to_path_buf(), shown, why);
                self.report.failed_images.push(line);
                by_url.insert(url.to_string(), None);
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
