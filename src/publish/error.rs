//! What can stop a publish, as typed errors, and the diagnostic each becomes: the file it
//! concerns, what is wrong and how to fix it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::inside::Outside;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("site.toml has no [publish] table")]
    NotConfigured,
    #[error("the built site has a file outside its output folder")]
    Outside(Outside),
    #[error("`{0}` has a name hearth cannot publish")]
    BadName(PathBuf),
    #[error("cannot {what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("git is not installed")]
    GitMissing,
    #[error("git could not {action}: {detail}")]
    Git { action: String, detail: String },
    #[error("the publish folder {} has no folder above it", .0.display())]
    FolderUnmounted(PathBuf),
    #[error("the publish folder {} holds files hearth did not publish", .0.display())]
    FolderForeign(PathBuf),
    #[error("{} is not a folder hearth may publish to", .0.display())]
    FolderOverlaps(PathBuf),
    #[error("{} was not published by hearth", .0.display())]
    FolderConflict(PathBuf),
    #[error("the list of published files {} is damaged", .0.display())]
    ManifestDamaged(PathBuf),
    #[error("this publish would remove {removed} of the {published} published pages")]
    TooManyDeletions {
        removed: usize,
        published: usize,
        share: f64,
    },
    #[error("a dry run's plan cannot be applied")]
    DryRun,
}

impl PublishError {
    pub(crate) fn io(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PublishError::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

/// Where each `[publish]` key sits in site.toml, so an error about one can point at it.
#[derive(Deserialize, Default)]
struct PublishSpans {
    target: Option<Spanned<toml::Value>>,
    remote: Option<Spanned<toml::Value>>,
    path: Option<Spanned<toml::Value>>,
    max_deletions: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct SiteSpans {
    #[serde(default)]
    publish: PublishSpans,
}

impl PublishError {
    /// The `[publish]` key an error is about, if it is about one.
    fn key(&self, spans: PublishSpans) -> Option<Spanned<toml::Value>> {
        match self {
            PublishError::GitMissing => spans.target,
            PublishError::Git { .. } => spans.remote,
            PublishError::FolderOverlaps(_) | PublishError::FolderUnmounted(_) => spans.path,
            PublishError::TooManyDeletions { .. } => spans.max_deletions.or(spans.target),
            _ => None,
        }
    }

    /// The diagnostic, pointing at the line of site.toml (in `root`) it concerns.
    pub(crate) fn located(self, root: &Path) -> Diagnostic {
        let source = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
        let spans = toml::from_str::<SiteSpans>(&source)
            .map(|s| s.publish)
            .unwrap_or_default();
        let key = self.key(spans);
        let diagnostic = Diagnostic::from(self);
        match key {
            Some(value) if diagnostic.path == Path::new(CONFIG_FILE) => {
                diagnostic.at_offset(&source, value.span().start)
            }
            _ => diagnostic,
        }
    }
}

impl From<PublishError> for Diagnostic {
    fn from(error: PublishError) -> Diagnostic {
        let message = error.to_string();
        match error {
            PublishError::NotConfigured => Diagnostic::error(CONFIG_FILE, message).with_help(
                "add a [publish] table to site.toml, e.g.\n[publish]\ntarget = \"git\"\nremote = \"git@codeberg.org:you/pages.git\"\nbranch = \"pages\"\n(see \"Putting your site online\" in the README)",
            ),
            PublishError::Outside(outside) => outside.into(),
            PublishError::BadName(path) => Diagnostic::error(&path, message)
                .with_help(
                "rename the file in the site: hearth cannot publish names with line breaks, tabs or backslashes, a linked folder, or a file named .hearth-published",
            ),
            PublishError::Io { path, .. } => Diagnostic::error(&path, message)
                .with_help("check that the folder exists, is writable and the disk is not full"),
            PublishError::GitMissing => Diagnostic::error(CONFIG_FILE, message).with_help(
                "install git (https://git-scm.com) and run hearth publish again, or publish to a folder with target = \"folder\"",
            ),
            PublishError::Git { .. } => Diagnostic::error(CONFIG_FILE, message).with_help(
                "check [publish] remote and branch in site.toml, that this computer can reach the remote, and that git can sign in to it (an ssh key or git's credential helper; try `git ls-remote REMOTE`); nothing was published",
            ),
            PublishError::FolderUnmounted(path) => Diagnostic::error(&path, message).with_help(
                "connect the drive or create the folder above it, then publish again; hearth does not create it in case the drive is not mounted",
            ),
            PublishError::FolderForeign(path) => Diagnostic::error(&path, message).with_help(
                "hearth only publishes into an empty folder, or one it published to before (it holds a .hearth-published list); choose an empty folder or empty this one yourself",
            ),
            PublishError::FolderOverlaps(path) => Diagnostic::error(CONFIG_FILE, message).with_help(format!(
                "[publish] path `{}` is the site folder, holds it, or is inside its output or source folders; choose a folder of its own",
                path.display()
            )),
            PublishError::FolderConflict(path) => Diagnostic::error(&path, message).with_help(
                "someone put this file into the publish folder after hearth's last publish; hearth will not replace it. Move it away, then publish again",
            ),
            PublishError::ManifestDamaged(path) => Diagnostic::error(&path, message).with_help(
                "it names a file outside the folder; delete the list and empty the folder, then publish again",
            ),
            PublishError::TooManyDeletions { share, .. } => Diagnostic::error(CONFIG_FILE, message)
                .with_help(format!(
                    "a publish may remove at most {:.0} % of the published pages ([publish] max_deletions = {share}); check that content/ is complete, then run again with --allow-deletions if the removals are meant",
                    share * 100.0
                )),
            PublishError::DryRun => Diagnostic::error(CONFIG_FILE, message)
                .with_help("plan again without dry_run to publish"),
        }
    }
}
