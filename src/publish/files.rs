//! The files a publish sends: everything in the built output folder except hearth's own
//! marker and cache, each checked to really be inside that folder.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::error::PublishError;
use crate::inside::SiteRoot;
use crate::output::MARKER;

/// Never published, wherever it turns up: hearth's cache of PDFs, images and publishes.
pub(crate) const CACHE_DIR: &str = ".hearth-cache";

/// One file of the built site.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    /// Its path in the output folder, with `/` between parts (as URLs and git name it).
    pub rel: String,
    pub abs: PathBuf,
}

/// Every file to publish from the output folder `out`, sorted by path.
pub(crate) fn collect(out: &Path) -> Result<Vec<SiteFile>, PublishError> {
    // The output folder is the root here: a link in it may not lead anywhere else, not
    // even into the site's sources.
    let inside = SiteRoot::new(out);
    let mut files = Vec::new();
    let walk = WalkDir::new(out)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != CACHE_DIR);
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out).to_path_buf();
            PublishError::io("read", path, e.into())
        })?;
        let rel_path = entry.path().strip_prefix(out).unwrap_or(entry.path());
        if entry.depth() == 1 && entry.file_name() == MARKER {
            continue;
        }
        if entry.path_is_symlink() {
            inside.check(entry.path()).map_err(PublishError::Outside)?;
            if entry.path().is_dir() {
                // A folder linked from elsewhere in the output is published where it sits.
                return Err(PublishError::BadName(rel_path.to_path_buf()));
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        files.push(SiteFile {
            rel: rel_string(rel_path)?,
            abs: entry.path().to_path_buf(),
        });
    }
    Ok(files)
}

/// `a/b/c.html` from a relative path; names git or a list file could not carry are refused.
fn rel_string(rel: &Path) -> Result<String, PublishError> {
    let mut parts = Vec::new();
    for part in rel.components() {
        let Component::Normal(name) = part else {
            return Err(PublishError::BadName(rel.to_path_buf()));
        };
        match name.to_str() {
            Some(name) if !name.contains(['\n', '\r', '\t', '\\']) => parts.push(name),
            _ => return Err(PublishError::BadName(rel.to_path_buf())),
        }
    }
    Ok(parts.join("/"))
}

/// Whether `rel` is a page, for the deletion guard.
pub(crate) fn is_page(rel: &str) -> bool {
    rel.ends_with(".html")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_marker_and_the_cache_are_left_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path();
        for rel in [
            "index.html",
            "a/index.html",
            ".hearth-cache/x",
            "a/.hearth-cache/y",
            MARKER,
        ] {
            let path = out.join(rel);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, rel).expect("write");
        }
        let rels: Vec<String> = collect(out)
            .expect("collect")
            .into_iter()
            .map(|f| f.rel)
            .collect();
        assert_eq!(rels, ["a/index.html", "index.html"]);
    }

    #[test]
    fn a_link_out_of_the_output_folder_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(dir.path().join("secret.txt"), "private").expect("write");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("notes.txt"))
            .expect("link");
        assert!(matches!(collect(&out), Err(PublishError::Outside(_))));
    }
}
