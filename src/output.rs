//! Writing the site: every file goes into a staging folder beside the output folder,
//! which replaces the old output only once everything succeeded. hearth refuses to write
//! into folders it did not create, so it can never delete a practice's own files.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::inside::SiteRoot;

/// Marker file in every output folder hearth made; only such folders are ever replaced.
pub const MARKER: &str = ".hearth-output";
const MARKER_TEXT: &str =
    "This folder was made by `hearth build`, which replaces it on every build.\n";

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub body: Body,
}

/// A file's content: bytes made by the build, a source file copied as it is, or a file of
/// hearth's own cache (`.hearth-cache/`), hard-linked.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    Copy(PathBuf),
    Cached(PathBuf),
}

impl Output {
    pub fn bytes(path: PathBuf, bytes: Vec<u8>) -> Output {
        Output {
            path,
            body: Body::Bytes(bytes),
        }
    }

    /// Frees the bytes of a file already written, keeping its path.
    pub fn forget_bytes(&mut self) {
        if let Body::Bytes(bytes) = &mut self.body {
            *bytes = Vec::new();
        }
    }

    pub fn copy(path: PathBuf, source: PathBuf) -> Output {
        Output {
            path,
            body: Body::Copy(source),
        }
    }

    /// A file of `.hearth-cache/`, which nothing but hearth writes and hearth never
    /// changes in place (it writes a new file and renames it): hard-linked into the
    /// output rather than copied.
    pub fn cached(path: PathBuf, cached: PathBuf) -> Output {
        Output {
            path,
            body: Body::Cached(cached),
        }
    }
}

/// Resolves the output folder and refuses the ones hearth must never replace.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let root = absolute(root);
    let out = absolute(&if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    });
    let refuse = |why: String| {
        Diagnostic::error(
            "site.toml",
            format!("output_dir `{}` {why}", output.display()),
        )
        .with_help("set output_dir to a folder of its own, e.g. output_dir = \"public\"")
    };
    if root.starts_with(&out) {
        return Err(refuse("is the site folder or a folder that contains it; building there would replace your files".into()));
    }
    for protected in ["content", "templates", "themes", "static"] {
        if out.starts_with(root.join(protected)) {
            return Err(refuse(format!(
                "is inside {protected}/, which holds your site's sources"
            )));
        }
    }
    if out.is_file() {
        return Err(refuse("is a file, not a folder".into()));
    }
    if out.is_dir()
        && !out.join(MARKER).is_file()
        && fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(refuse(format!(
            "already holds files that hearth did not make (there is no {MARKER} in it); hearth never replaces such a folder"
        )));
    }
    Ok(out)
}

/// Makes `path` absolute and lexically normal (`a/./b/../c` → `a/c`), following the real
/// path of the deepest part that exists so symlinks cannot hide the site folder.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut real = fs::canonicalize(&existing).unwrap_or(existing);
    real.extend(rest.iter().rev());
    real
}

/// The folder a build writes into, beside the output folder. It takes the output folder's
/// place only once the whole build succeeded ([`Staging::publish`]); dropped unpublished
/// (an error anywhere, or a panic), it is removed and the previous output stays as it was.
///
/// Render jobs write their files into it as soon as they are made, from many threads, so
/// the disk works while pages are still being rendered.
///
/// Every file copied into it must really be inside `site`: the walks that find the files
/// already leave out links that lead elsewhere, and this is the last gate before the web,
/// whichever walk a file came from and however a link changed since.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    site: SiteRoot,
}

impl Staging {
    /// Makes an empty staging folder for the output folder `out` of the site at `site`.
    pub fn create(out: &Path, site: SiteRoot) -> Result<Staging, Diagnostic> {
        let parent = out.parent().unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.hearth-staging-{}", std::process::id()));
        fs::create_dir_all(parent).map_err(|e| io_error("create the folder", parent, e))?;
        // Left by an earlier run that had this process id and was killed: ours to remove.
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io_error("clear the staging folder", &dir, e))?;
        }
        fs::create_dir(&dir).map_err(|e| io_error("create the staging folder", &dir, e))?;
        let staging = Staging { dir, site };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error("write", &staging.dir, e))?;
        Ok(staging)
    }

    /// Writes one file of the site.
    pub fn write(&self, output: &Output) -> Result<(), Diagnostic> {
        let target = self.dir.join(&output.path);
        if let Some(folder) = target.parent() {
            // Most folders hold one page: try the one call that usually suffices first.
            match fs::create_dir(folder) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(folder)
                    .map_err(|e| io_error("create the folder", folder, e))?,
            }
        }
        match &output.body {
            Body::Bytes(bytes) => {
                fs::write(&target, bytes).map_err(|e| io_error("write", &target, e))
            }
            Body::Copy(source) => {
                self.site.check(source)?;
                fs::copy(source, &target)
                    .map(|_| ())
                    .map_err(|e| io_error("copy", source, e))
            }
            // A link costs no copy. Where one cannot be made (the output folder on
            // another disk, a file system without them), the file is copied. The cache
            // folder was checked to be inside the site once, when it was opened, and only
            // its plain files are linked: no link inside it can lead the output elsewhere
            // (and a hard link to a symbolic link would publish the link itself).
            Body::Cached(source) => {
                if !fs::symlink_metadata(source).is_ok_and(|m| m.file_type().is_file()) {
                    return Err(Diagnostic::error(
                        source,
                        "is not a plain file of hearth's photo cache",
                    )
                    .with_help("delete the .hearth-cache folder and build again"));
                }
                fs::hard_link(source, &target)
                    .or_else(|_| fs::copy(source, &target).map(|_| ()))
                    .map_err(|e| io_error("copy", source, e))
            }
        }
    }

    /// Puts the staging folder in place of `out`.
    pub fn publish(self, out: &Path) -> Result<(), Diagnostic> {
        swap(&self.dir, out)
    }
}

impl Drop for Staging {
    /// After [`Staging::publish`] the folder has been renamed and there is nothing left.
    fn drop(&mut self) {
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot {what}: {e}"))
        .with_help("check that the output folder's parent is writable and the disk is not full")
}

/// Puts `staging` in place of `out`. The old output is moved aside first and removed only
/// after the new one is in place, so an interrupted swap never loses both.
fn swap(staging: &Path, out: &Path) -> Result<(), Diagnostic> {
    let old = out.with_file_name(format!(
        ".{}.hearth-old-{}",
        out.file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| {
            Diagnostic::error(out, format!("cannot move the previous output aside: {e}"))
        })?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(Diagnostic::error(
            out,
            format!("cannot put the new output in place: {e}"),
        ));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Checks that no two outputs claim the same path.
pub fn check_collisions<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    paths
        .into_iter()
        .filter(|path| !seen.insert(*path))
        .map(|path| {
            Diagnostic::error(path, format!("two things would be written to {}", path.display()))
                .with_help("a page URL collides with a static or content file of the same name; rename one of them")
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The last gate holds on its own: a copy whose source became a link out of the site
    /// after the walks (or came from a walk that missed it) is not written.
    #[test]
    fn staging_refuses_to_copy_a_file_from_outside_the_site() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (site, elsewhere) = (dir.path().join("site"), dir.path().join("elsewhere"));
        fs::create_dir_all(site.join("content")).expect("mkdir");
        fs::create_dir_all(&elsewhere).expect("mkdir");
        fs::write(elsewhere.join("secret.txt"), "outside").expect("write");
        fs::write(site.join("content/mine.txt"), "inside").expect("write");
        std::os::unix::fs::symlink(elsewhere.join("secret.txt"), site.join("content/notes.txt"))
            .expect("link");
        let staging = Staging::create(&site.join("public"), SiteRoot::new(&site)).expect("staging");

        let inside = Output::copy("mine.txt".into(), site.join("content/mine.txt"));
        assert_eq!(staging.write(&inside), Ok(()));
        let outside = Output::copy("notes.txt".into(), site.join("content/notes.txt"));
        let refused = staging
            .write(&outside)
            .expect_err("a file from outside the site");
        assert_eq!(refused.path, PathBuf::from("content/notes.txt"));
        assert!(!staging.dir.join("notes.txt").exists());
    }
}
