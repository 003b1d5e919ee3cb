//! Every change the editor asks for is first made in a throwaway copy of the site and
//! loaded there with hearth's own loader; only a change that loads is then made to the
//! site, each file written atomically (a temp file in the same folder, then a rename).
//! A refused change leaves every file as it was and returns the loader's diagnostics.

use std::io::Write;
use std::path::Path;

use crate::config::{CONFIG_FILE, Config};
use crate::content::load::{CONTENT_DIR, LoadOptions};
use crate::diagnostics::Diagnostic;

use super::paths::SitePath;

/// Files to write and files to remove, together.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub writes: Vec<(SitePath, Vec<u8>)>,
    pub removes: Vec<SitePath>,
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SaveError {
    /// The site would not build; the loader's own words.
    #[error("{}", render(.0))]
    Breaks(Vec<Diagnostic>),
    #[error("cannot {what} `{path}`: {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::from("Not saved: with this change the site would not build.\n\n");
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        text.push_str(&d.render(false));
        text.push_str("\n\n");
    }
    text.trim_end().to_string()
}

/// Checks `change` against the site at `root`, then makes it.
pub(crate) fn check_and_apply(root: &Path, change: &Change) -> Result<(), SaveError> {
    check(root, change)?;
    for (path, bytes) in &change.writes {
        write_atomically(&path.on_disk(root), bytes).map_err(|source| SaveError::Io {
            what: "write",
            path: path.as_str().into(),
            source,
        })?;
    }
    for path in &change.removes {
        match std::fs::remove_file(path.on_disk(root)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(SaveError::Io {
                    what: "delete",
                    path: path.as_str().into(),
                    source: e,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Loads a copy of the site with `change` made in it.
fn check(root: &Path, change: &Change) -> Result<(), SaveError> {
    let io = |what, source| SaveError::Io {
        what,
        path: "a temporary copy of the site".into(),
        source,
    };
    let copy = tempfile::tempdir().map_err(|e| io("make", e))?;
    copy_site(root, copy.path()).map_err(|e| io("make", e))?;
    for (path, bytes) in &change.writes {
        let target = path.on_disk(copy.path());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("write", e))?;
        }
        // The copy's files are hard links to the site's: writing into one would change
        // the site's file, so the link is removed and a new file made.
        let _ = std::fs::remove_file(&target);
        std::fs::write(target, bytes).map_err(|e| io("write", e))?;
    }
    for path in &change.removes {
        let _ = std::fs::remove_file(path.on_disk(copy.path()));
    }
    // Diagnostics name files relative to the site, never the copy's folder.
    let in_site = |mut all: Vec<Diagnostic>| {
        for d in &mut all {
            if let Ok(rel) = d.path.strip_prefix(copy.path()) {
                d.path = rel.to_path_buf();
            }
        }
        SaveError::Breaks(all)
    };
    let config = Config::load(copy.path()).map_err(in_site)?;
    let options = LoadOptions {
        drafts: false,
        today: jiff::Zoned::now().date(),
    };
    crate::content::load::load(copy.path(), config, &options, None)
        .map(|_| ())
        .map_err(in_site)
}

/// Copies what the loader reads (site.toml and `content/`), hard-linking where it can;
/// links are copied as links, so one leading out of the site is refused as it would be.
fn copy_site(root: &Path, into: &Path) -> std::io::Result<()> {
    std::fs::copy(root.join(CONFIG_FILE), into.join(CONFIG_FILE))?;
    let content = root.join(CONTENT_DIR);
    for entry in walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let target = into.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if kind.is_symlink() {
            copy_link(entry.path(), &target)?;
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(link: &Path, target: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(link)?, target)
}

#[cfg(not(unix))]
fn copy_link(link: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::copy(link, target).map(|_| ())
}

/// Writes `bytes` to `path` through a temp file in the same folder and a rename, so the
/// file is never seen half-written (by the preview's watcher, or after a crash).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".hearth-edit-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
