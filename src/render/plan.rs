//! The whole build as data, planned from the `Site` alone, in three stages that
//! `build`, `check` and `serve` run the same way: preparation jobs make what pages show
//! (photo sizes, worksheet PDFs), render jobs make the site's files, and finishing jobs
//! work over everything made (the search index, the check that no two jobs write one file).

use std::path::PathBuf;

use super::Job;
use crate::content::kinds::{Meta, Paper};
use crate::content::{Section, Site};
use crate::templates::DefaultTheme;

/// Every job of a build, stage by stage.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Run first: pages show what these make (an `<img>`'s size, a PDF's size).
    pub prepare: Vec<Prep>,
    /// Run in parallel once the preparation is done. Page `i`'s job is `render[i]`.
    pub render: Vec<Job>,
    /// Run last, over what every other job made.
    pub finish: Vec<Finishing>,
}

/// A preparation job.
#[derive(Debug, Clone, PartialEq)]
pub enum Prep {
    /// Reads the header of a photo the site shows (a hero, a Markdown image, a book
    /// cover) for its size and orientation, and decides its copies (which the render job
    /// `Job::Image` with the same file makes).
    Image(PathBuf),
    /// Typesets worksheet page `page` as a PDF on one paper, published at `url`.
    Pdf {
        page: usize,
        paper: Paper,
        url: String,
    },
}

/// A finishing job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finishing {
    /// The search index, from the HTML that every page job made (within the element the
    /// theme marks with `data-pagefind-body`, or `<main id="main">`).
    SearchIndex,
    /// No two jobs may write the same file.
    Collisions,
}

/// Lists every job the site needs.
pub fn plan(site: &Site) -> Plan {
    Plan {
        prepare: prepare_jobs(site),
        render: render_jobs(site),
        finish: if site.config.search.enabled {
            vec![Finishing::SearchIndex, Finishing::Collisions]
        } else {
            vec![Finishing::Collisions]
        },
    }
}

fn prepare_jobs(site: &Site) -> Vec<Prep> {
    let mut jobs = Vec::new();
    jobs.extend(site.images.sources.keys().cloned().map(Prep::Image));
    for (i, page) in site.pages.iter().enumerate() {
        match &page.meta {
            Meta::Worksheet(sheet) if cfg!(feature = "pdf") && page.worksheet.is_some() => {
                let choice = sheet
                    .paper
                    .or(site.config.worksheets.paper)
                    .unwrap_or(Paper::Letter);
                let base = page.url.trim_end_matches('/');
                let pdf = |paper, url| Prep::Pdf {
                    page: i,
                    paper,
                    url,
                };
                match choice {
                    Paper::Letter | Paper::A4 => jobs.push(pdf(choice, format!("{base}.pdf"))),
                    Paper::Both => jobs.extend([
                        pdf(Paper::Letter, format!("{base}.pdf")),
                        pdf(Paper::A4, format!("{base}-a4.pdf")),
                    ]),
                }
            }
            _ => {}
        }
    }
    jobs
}

fn render_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (i, section) in site.sections.iter().enumerate() {
        for number in 1..=page_count(section) {
            jobs.push(Job::Section { section: i, number });
        }
    }
    let languages = 0..site.languages.len();
    jobs.extend(languages.clone().map(Job::TopicIndex));
    jobs.extend((0..site.topics.len()).map(Job::Topic));
    jobs.push(Job::NotFound);
    if site.config.search.enabled {
        jobs.extend(languages.clone().map(Job::SearchPage));
    }
    jobs.push(Job::ThemeCss);
    jobs.extend(languages.map(Job::Feed));
    jobs.extend([Job::Sitemap, Job::Robots]);
    for (i, page) in site.pages.iter().enumerate() {
        jobs.extend(page.common.aliases.iter().map(|alias| Job::Alias {
            page: i,
            alias: alias.clone(),
        }));
    }
    jobs.extend(site.images.sources.keys().cloned().map(Job::Image));
    jobs.extend(static_jobs(site));
    // A photo shown as resized copies is published as it is only when a page links to it.
    jobs.extend(
        site.files
            .iter()
            .filter(|f| !site.images.replaces_original(&f.source))
            .map(|f| Job::Copy {
                source: f.source.clone(),
                output: f.output.clone(),
            }),
    );
    jobs
}

/// Static files: the built-in theme's, the theme's, then the site's `static/` (later wins).
fn static_jobs(site: &Site) -> Vec<Job> {
    let mut by_path: std::collections::BTreeMap<PathBuf, Job> = Default::default();
    let theme = &site.config.theme.name;
    for name in DefaultTheme::iter().filter(|f| f.starts_with("static/")) {
        let output = PathBuf::from(name.trim_start_matches("static/"));
        by_path.insert(
            output,
            Job::Embedded {
                name: name.to_string(),
            },
        );
    }
    for dir in [
        site.root.join("themes").join(theme).join("static"),
        site.root.join("static"),
    ] {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() && !site.images.replaces_original(entry.path()) {
                let output = crate::diagnostics::relative(&dir, entry.path());
                by_path.insert(
                    output.clone(),
                    Job::Copy {
                        source: entry.into_path(),
                        output,
                    },
                );
            }
        }
    }
    by_path.into_values().collect()
}

/// How many list pages a section has.
pub(crate) fn page_count(section: &Section) -> usize {
    match section.front.paginate_by {
        Some(n) if n > 0 => section.pages.len().div_ceil(n).max(1),
        _ => 1,
    }
}
