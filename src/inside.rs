//! The one rule for every site file hearth reads or publishes: its real path, with every
//! symbolic link followed, must be inside the site folder. A link that leads out (say
//! `content/notes.txt -> /etc/passwd`) is refused with a diagnostic naming the link and
//! where it points, so nothing from outside the site can end up on the web. Links that
//! stay inside the site are followed as if they were the files they point to.

use std::fs;
use std::path::{Component, Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::diagnostics::{Diagnostic, relative};

/// The site folder: as given, to show paths relative to it, and as its real path, which
/// every file's real path is compared with.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    given: PathBuf,
    real: PathBuf,
}

/// Why a path was refused: where it really is, outside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outside {
    /// `link` (relative to the site) is a symbolic link whose real path, `target`, is
    /// outside the site folder.
    Link { link: PathBuf, target: PathBuf },
    /// `path` leads out without a link of the site's own: named with `..` or absolutely.
    Path { path: PathBuf, real: PathBuf },
}

impl SiteRoot {
    pub fn new(root: &Path) -> SiteRoot {
        // A root that cannot be resolved has no files to read either; its readers say so.
        let real = fs::canonicalize(root)
            .or_else(|_| std::path::absolute(root))
            .unwrap_or_else(|_| root.to_path_buf());
        SiteRoot {
            given: root.to_path_buf(),
            real,
        }
    }

    /// Whether `path` (the site root joined with a path inside it, as readers build it)
    /// really is inside the site. A path that does not resolve (missing, or a dangling
    /// link) passes: there is nothing to read, and its reader reports that in its own words.
    pub fn check(&self, path: &Path) -> Result<(), Outside> {
        match fs::canonicalize(path) {
            Ok(real) if !real.starts_with(&self.real) => Err(self.culprit(path, real)),
            _ => Ok(()),
        }
    }

    /// For a walk that follows links, as a `filter_entry` test: whether to take `entry`
    /// (and for a folder, what is in it). A link that leads out of the site is left out and
    /// reported in `refused`, and so is the walk's root when it (or a folder above it) is
    /// one. Only links and the root need resolving: any other entry is where its folder is,
    /// and its folder was taken.
    pub fn admits(&self, entry: &DirEntry, refused: &mut Vec<Diagnostic>) -> bool {
        if entry.depth() > 0 && !entry.path_is_symlink() {
            return true;
        }
        match self.check(entry.path()) {
            Ok(()) => true,
            Err(outside) => {
                refused.push(outside.into());
                false
            }
        }
    }

    /// Every link under `dir` (or `dir` itself) that leads out of the site, for folders
    /// whose files another walk copies: nothing is read here, only links resolved.
    pub fn links_out(&self, dir: &Path) -> Vec<Diagnostic> {
        let mut refused = Vec::new();
        let walk = WalkDir::new(dir)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| self.admits(e, &mut refused));
        // Unreadable entries and loops are the copying walk's to report (or skip).
        for _ in walk {}
        refused
    }

    /// Names what makes `path` (whose real path is `real`) leave the site: the outermost
    /// part of it below the root whose real path is outside. Its folder is inside, so that
    /// part is the link; a path written with `..` or absolutely has none of its own.
    fn culprit(&self, path: &Path, real: PathBuf) -> Outside {
        let below_root = path
            .strip_prefix(&self.given)
            .ok()
            .filter(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))));
        if let Some(rest) = below_root {
            let mut part = self.given.clone();
            for name in rest.components() {
                part.push(name);
                if let Ok(target) = fs::canonicalize(&part)
                    && !target.starts_with(&self.real)
                {
                    return Outside::Link {
                        link: relative(&self.given, &part),
                        target,
                    };
                }
            }
        }
        Outside::Path {
            path: relative(&self.given, path),
            real,
        }
    }
}

impl From<Outside> for Diagnostic {
    fn from(outside: Outside) -> Diagnostic {
        match outside {
            Outside::Link { link, target } => {
                let what = if target.is_dir() { "folder" } else { "file" };
                Diagnostic::error(
                    &link,
                    format!(
                        "`{}` is a link to {}, which is outside the site folder; hearth never reads or publishes files from outside the site",
                        link.display(),
                        target.display()
                    ),
                )
                .with_help(format!(
                    "replace the link with a copy of the {what} it points to (remove the link, then copy {} to {}); links to files inside the site folder are fine",
                    target.display(),
                    link.display()
                ))
            }
            Outside::Path { path, real } => Diagnostic::error(
                &path,
                format!(
                    "`{}` is outside the site folder (it is {}); hearth never reads or publishes files from outside the site",
                    path.display(),
                    real.display()
                ),
            )
            .with_help("put a copy of the file inside the site folder and name it from there"),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A site folder and, beside it, a folder that is not part of the site.
    fn site_and_elsewhere() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(site.join("content/shared")).expect("mkdir");
        fs::create_dir_all(&elsewhere).expect("mkdir");
        fs::write(site.join("content/shared/b.md"), "inside").expect("write");
        fs::write(elsewhere.join("secret.txt"), "outside").expect("write");
        (dir, site, elsewhere)
    }

    #[test]
    fn a_link_inside_the_site_passes() {
        let (_dir, site, _) = site_and_elsewhere();
        symlink(site.join("content/shared/b.md"), site.join("content/a.md")).expect("link");
        let root = SiteRoot::new(&site);
        assert_eq!(root.check(&site.join("content/a.md")), Ok(()));
        assert_eq!(root.check(&site.join("content/shared/b.md")), Ok(()));
    }

    #[test]
    fn a_link_out_is_named_with_its_target() {
        let (_dir, site, elsewhere) = site_and_elsewhere();
        symlink(elsewhere.join("secret.txt"), site.join("content/notes.txt")).expect("link");
        let root = SiteRoot::new(&site);
        let target = fs::canonicalize(elsewhere.join("secret.txt")).expect("real");
        assert_eq!(
            root.check(&site.join("content/notes.txt")),
            Err(Outside::Link {
                link: PathBuf::from("content/notes.txt"),
                target,
            })
        );
    }

    #[test]
    fn a_file_under_a_folder_link_out_names_the_folder_link() {
        let (_dir, site, elsewhere) = site_and_elsewhere();
        symlink(&elsewhere, site.join("content/linked")).expect("link");
        let root = SiteRoot::new(&site);
        let target = fs::canonicalize(&elsewhere).expect("real");
        assert_eq!(
            root.check(&site.join("content/linked/secret.txt")),
            Err(Outside::Link {
                link: PathBuf::from("content/linked"),
                target,
            })
        );
    }

    #[test]
    fn a_path_written_with_dots_is_outside_without_a_link() {
        let (_dir, site, _) = site_and_elsewhere();
        let root = SiteRoot::new(&site);
        let path = site.join("content/../../elsewhere/secret.txt");
        assert!(matches!(root.check(&path), Err(Outside::Path { .. })));
    }

    #[test]
    fn a_missing_file_is_left_to_its_reader() {
        let (_dir, site, _) = site_and_elsewhere();
        assert_eq!(
            SiteRoot::new(&site).check(&site.join("content/gone.md")),
            Ok(())
        );
    }

    #[test]
    fn a_walk_leaves_out_and_reports_every_link_out() {
        let (_dir, site, elsewhere) = site_and_elsewhere();
        symlink(elsewhere.join("secret.txt"), site.join("content/notes.txt")).expect("link");
        symlink(&elsewhere, site.join("content/linked")).expect("link");
        symlink(
            site.join("content/shared"),
            site.join("content/also-shared"),
        )
        .expect("link");
        let refused = SiteRoot::new(&site).links_out(&site.join("content"));
        let mut links: Vec<String> = refused
            .iter()
            .map(|d| d.path.display().to_string())
            .collect();
        links.sort();
        assert_eq!(links, ["content/linked", "content/notes.txt"]);
    }
}
