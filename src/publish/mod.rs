//! `hearth publish` as a library: [`plan`] builds the site and works out what would change
//! at the target (a git branch or a folder) without changing it; [`apply`] makes exactly
//! those changes. The command line and the editor's Publish button both use these two.

mod branch;
pub mod config;
mod error;
mod files;
mod folder;
mod git;

use std::path::{Path, PathBuf};

use crate::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use config::{PublishConfig, Target};
pub use error::PublishError;
use files::CACHE_DIR;

/// How many paths of each kind of change the summary names.
const SHOWN: usize = 5;

/// What the caller asks of a publish.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Work out the changes without writing anything: not the target, not the site's
    /// output folder, not hearth's cache (the site is built in a temporary folder).
    pub dry_run: bool,
    /// Let the publish remove more pages than `max_deletions` allows.
    pub allow_deletions: bool,
    /// The date that decides which pages are in the future, and the commit's date; today
    /// when unset.
    pub today: Option<jiff::civil::Date>,
}

/// Paths, relative to the published site, that a publish adds, replaces and removes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    fn all_added(files: &[files::SiteFile]) -> Changes {
        Changes {
            added: files.iter().map(|f| f.rel.clone()).collect(),
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// "3 added, 1 changed, 0 removed".
    pub fn counts(&self) -> String {
        format!(
            "{} added, {} changed, {} removed",
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        )
    }
}

/// What a publish would do, worked out and not yet done.
#[derive(Debug)]
pub struct PublishPlan {
    /// Where the site goes, in words: "branch `pages` of git@…" or "folder /Volumes/Site".
    pub destination: String,
    pub changes: Changes,
    /// Pages (`.html` files) published now, and how many of them this publish removes.
    pub published_pages: usize,
    pub removed_pages: usize,
    pub max_deletions: f64,
    pub allow_deletions: bool,
    pub dry_run: bool,
    /// The build's warnings.
    pub warnings: Vec<Diagnostic>,
    date: jiff::civil::Date,
    root: PathBuf,
    step: Step,
    /// A dry run's build and repository, removed with the plan (declared after `step`,
    /// which is dropped first).
    _scratch: Option<tempfile::TempDir>,
}

#[derive(Debug)]
enum Step {
    Git(branch::Prepared),
    Folder(folder::Prepared),
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// The target already held this very site.
    Nothing,
    /// A commit with this id was pushed.
    Commit(String),
    /// The folder was brought up to date.
    Folder,
}

impl PublishPlan {
    /// Whether the deletion guard stops this publish: it would remove more than
    /// `max_deletions` of the published pages and `allow_deletions` was not given.
    pub fn guard(&self) -> Result<(), Diagnostics> {
        let limit = self.max_deletions * self.published_pages as f64;
        if self.allow_deletions || self.removed_pages == 0 || self.removed_pages as f64 <= limit {
            return Ok(());
        }
        let refused = PublishError::TooManyDeletions {
            removed: self.removed_pages,
            published: self.published_pages,
            share: self.max_deletions,
        };
        Err(one(refused, &self.root))
    }

    /// The plan in words, as the command line and the editor's Publish page show it:
    /// where, the counts, the first few paths of each kind, and the pages it removes.
    pub fn summary(&self) -> String {
        let Changes {
            added,
            changed,
            removed,
        } = &self.changes;
        let mut text = format!(
            "Publishing to {}: {}",
            self.destination,
            self.changes.counts()
        );
        for (sign, paths) in [("+", added), ("~", changed), ("-", removed)] {
            for path in paths.iter().take(SHOWN) {
                text.push_str(&format!("\n  {sign} {path}"));
            }
            if paths.len() > SHOWN {
                text.push_str(&format!("\n  {sign} … and {} more", paths.len() - SHOWN));
            }
        }
        if self.removed_pages > 0 {
            text.push_str(&format!(
                "\nThis removes {} of the {} published pages.",
                self.removed_pages, self.published_pages
            ));
        }
        text
    }

    /// The git commit's message: the date and the counts.
    pub fn message(&self) -> String {
        format!("Publish {}: {}", self.date, self.changes.counts())
    }
}

/// Builds the site as `hearth build` does (never with drafts) and works out what the
/// publish would change. Nothing at the target is changed.
pub fn plan(options: &PublishOptions) -> Result<PublishPlan, Diagnostics> {
    let config = crate::config::Config::load(&options.root).map_err(Diagnostics)?;
    let publish = config
        .publish
        .clone()
        .ok_or_else(|| one(PublishError::NotConfigured, &options.root))?;
    let scratch = if options.dry_run {
        Some(tempfile::tempdir().map_err(|e| {
            one(
                PublishError::io("create a temporary folder in", std::env::temp_dir(), e),
                &options.root,
            )
        })?)
    } else {
        None
    };
    let build = BuildOptions {
        root: options.root.clone(),
        output: scratch.as_ref().map(|s| s.path().join("public")),
        drafts: false,
        today: options.today,
        ..BuildOptions::default()
    };
    let report = crate::build(&build)?;
    let files = files::collect(&report.output_dir).map_err(|e| one(e, &options.root))?;
    let (destination, step, changes, published_pages) = plan_target(
        options,
        &publish,
        &report.output_dir,
        scratch.as_ref().map(|s| s.path()),
        files,
    )
    .map_err(|e| one(e, &options.root))?;
    let removed_pages = changes.removed.iter().filter(|p| files::is_page(p)).count();
    Ok(PublishPlan {
        destination,
        changes,
        published_pages,
        removed_pages,
        max_deletions: publish.max_deletions.get(),
        allow_deletions: options.allow_deletions,
        dry_run: options.dry_run,
        warnings: report.warnings,
        date: options.today.unwrap_or_else(|| jiff::Zoned::now().date()),
        root: options.root.clone(),
        step,
        _scratch: scratch,
    })
}

/// Makes the planned changes, unless the deletion guard stops them or the plan is a dry
/// run's. Nothing changed means no commit and no push.
pub fn apply(plan: PublishPlan) -> Result<Published, Diagnostics> {
    plan.guard()?;
    let root = plan.root.clone();
    if plan.dry_run {
        return Err(one(PublishError::DryRun, &root));
    }
    if plan.changes.is_empty() {
        return Ok(Published::Nothing);
    }
    let message = plan.message();
    match plan.step {
        Step::Git(prepared) => branch::apply(prepared, &message).map(Published::Commit),
        Step::Folder(prepared) => folder::apply(prepared).map(|()| Published::Folder),
    }
    .map_err(|e| one(e, &root))
}

type TargetPlan = (String, Step, Changes, usize);

fn plan_target(
    options: &PublishOptions,
    publish: &PublishConfig,
    output_dir: &Path,
    scratch: Option<&Path>,
    files: Vec<files::SiteFile>,
) -> Result<TargetPlan, PublishError> {
    match &publish.target {
        Target::Git { remote, branch } => {
            let cache = options
                .root
                .join(CACHE_DIR)
                .join("publish")
                .join("repo.git");
            let git = match scratch {
                Some(scratch) => {
                    let git = git::Git::open_or_init(&scratch.join("repo.git"))?;
                    git.borrow_objects_of(&cache)?;
                    git
                }
                None => git::Git::open_or_init(&cache)?,
            };
            let address = branch::remote_address(&options.root, remote.as_str());
            let planned = branch::plan(git, &address, branch.as_str(), &files)?;
            let destination = format!("branch `{branch}` of {remote}");
            Ok((
                destination,
                Step::Git(planned.prepared),
                planned.changes,
                planned.published_pages,
            ))
        }
        Target::Folder { path } => {
            let target = folder_target(&options.root, path, output_dir)?;
            let planned = folder::plan(&target, files)?;
            let destination = format!("folder {}", target.display());
            Ok((
                destination,
                Step::Folder(planned.prepared),
                planned.changes,
                planned.published_pages,
            ))
        }
    }
}

/// The publish folder, taken from the site folder when relative; refused when it is the
/// site, holds the site, or lies in the output folder or the site's sources.
fn folder_target(root: &Path, path: &Path, output_dir: &Path) -> Result<PathBuf, PublishError> {
    let real = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let target = std::path::absolute(root.join(path)).unwrap_or_else(|_| root.join(path));
    let (site, out) = (real(root), real(output_dir));
    let resolved = match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => real(parent).join(name),
        _ => target.clone(),
    };
    let sources = ["content", "templates", "themes", "static", CACHE_DIR];
    let overlaps = site.starts_with(&resolved)
        || resolved.starts_with(&out)
        || out.starts_with(&resolved)
        || sources.iter().any(|s| resolved.starts_with(site.join(s)));
    if overlaps {
        return Err(PublishError::FolderOverlaps(path.to_path_buf()));
    }
    Ok(target)
}

fn one(error: PublishError, root: &Path) -> Diagnostics {
    Diagnostics(vec![error.located(root)])
}
