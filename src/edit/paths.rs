//! Which files the editor may read and write: only Markdown under `content/`, images under
//! `content/` and `static/`, and `site.toml`. A path is refused when it is absolute, has
//! `..` (or `.`, a backslash, a NUL) in it, has another extension, or really lies outside
//! the site through a symbolic link (the rule of `crate::inside`).

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::load::CONTENT_DIR;
use crate::inside::SiteRoot;

use super::media::MEDIA_EXTENSIONS;

/// The folder of the site's own static files (copied as they are).
const STATIC_DIR: &str = "static";

/// A path the editor sent, checked: relative to the site, with `/` between its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePath(String);

/// What a path is for, which decides its allowed places and extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// A Markdown page, or site.toml.
    Entry,
    /// An image.
    Media,
    /// A folder to list.
    Folder,
}

/// Why a path was refused, in words for the editor.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("hearth edit does not touch `{path}`: {reason}")]
pub(crate) struct Refused {
    pub path: String,
    pub reason: &'static str,
}

impl SitePath {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn on_disk(&self, root: &Path) -> PathBuf {
        root.join(&self.0)
    }

    /// The extension, in lower case ("" without one).
    pub(crate) fn extension(&self) -> String {
        Path::new(&self.0)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// Checks `raw` for `usage` in the site at `root`.
    pub(crate) fn parse(root: &Path, raw: &str, usage: Use) -> Result<SitePath, Refused> {
        let refuse = |reason| Refused {
            path: raw.to_string(),
            reason,
        };
        let path = lexical(raw).map_err(refuse)?;
        let site_path = SitePath(path);
        let top = site_path.0.split('/').next().unwrap_or_default();
        let allowed = match usage {
            Use::Entry => {
                site_path.0 == CONFIG_FILE || (top == CONTENT_DIR && site_path.extension() == "md")
            }
            Use::Media => {
                (top == CONTENT_DIR || top == STATIC_DIR)
                    && MEDIA_EXTENSIONS.contains(&site_path.extension().as_str())
            }
            Use::Folder => top == CONTENT_DIR || top == STATIC_DIR,
        };
        if !allowed {
            return Err(refuse(
                "only Markdown pages under content/, images under content/ or static/, and site.toml can be edited",
            ));
        }
        stays_inside(root, &site_path.on_disk(root)).map_err(refuse)?;
        Ok(site_path)
    }
}

/// The path with its parts checked one by one, before anything on disk is looked at.
fn lexical(raw: &str) -> Result<String, &'static str> {
    if raw.is_empty() {
        return Err("the path is empty");
    }
    if raw.starts_with('/') || raw.contains(':') {
        return Err("absolute paths are not accepted");
    }
    if raw.contains('\\') || raw.contains('\0') {
        return Err("backslashes and NUL are not accepted in paths");
    }
    let parts: Vec<&str> = raw.split('/').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| *p == ".." || *p == ".") {
        return Err("`..` and `.` are not accepted in paths");
    }
    Ok(parts.join("/"))
}

/// Whether `path` really is inside the site: the path itself when it exists (so a link
/// that leads out is refused), or else the nearest folder above it that exists.
fn stays_inside(root: &Path, path: &Path) -> Result<(), &'static str> {
    let site = SiteRoot::new(root);
    let mut probe = path;
    loop {
        if std::fs::symlink_metadata(probe).is_ok() {
            return site
                .check(probe)
                .map_err(|_| "it leads outside the site folder through a symbolic link");
        }
        match probe.parent() {
            Some(parent) if parent.starts_with(root) => probe = parent,
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(dir.path().join("content/articles")).expect("mkdir");
        dir
    }

    #[test]
    fn accepts_pages_images_and_settings() {
        let dir = site();
        let root = dir.path();
        for (raw, usage) in [
            ("content/articles/new.md", Use::Entry),
            ("site.toml", Use::Entry),
            ("content/articles/photo.JPG", Use::Media),
            ("static/images/x.png", Use::Media),
            ("content/articles", Use::Folder),
        ] {
            assert!(SitePath::parse(root, raw, usage).is_ok(), "{raw}");
        }
    }

    #[test]
    fn refuses_leaving_the_site_and_other_files() {
        let dir = site();
        let root = dir.path();
        for (raw, usage) in [
            ("../outside.md", Use::Entry),
            ("content/../../x.md", Use::Entry),
            ("/etc/passwd", Use::Entry),
            ("C:/x.md", Use::Entry),
            ("content\\x.md", Use::Entry),
            ("content/./x.md", Use::Entry),
            ("content/x.html", Use::Entry),
            ("templates/page.html", Use::Entry),
            ("static/x.md", Use::Entry),
            ("public/index.md", Use::Entry),
            ("site.toml", Use::Media),
            ("content/script.js", Use::Media),
            ("templates", Use::Folder),
            ("", Use::Entry),
        ] {
            assert!(SitePath::parse(root, raw, usage).is_err(), "{raw}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_link_that_leads_out() {
        let dir = site();
        let outside = tempfile::tempdir().expect("temp");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/away")).expect("link");
        let refused = SitePath::parse(dir.path(), "content/away/x.md", Use::Entry);
        assert!(refused.is_err());
    }
}
