//! The folder target: the built site is copied into a folder (a mounted drive, a synced
//! folder), replacing and removing only files listed in the folder's `.hearth-published`,
//! the list of what hearth put there, so nothing hearth did not publish is ever touched.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::Changes;
use super::error::PublishError;
use super::files::{SiteFile, is_page};
use crate::inside::SiteRoot;

/// The list, in the publish folder, of every file hearth published there.
pub(crate) const MANIFEST: &str = ".hearth-published";
const MANIFEST_HEADER: &str = "# Files `hearth publish` put in this folder, one a line. hearth replaces and removes only these.\n";

/// A sync ready to run.
#[derive(Debug)]
pub(crate) struct Prepared {
    target: PathBuf,
    files: Vec<SiteFile>,
    changes: Changes,
    listed: BTreeSet<String>,
}

pub(crate) struct Planned {
    pub prepared: Prepared,
    pub changes: Changes,
    pub published_pages: usize,
}

/// Compares `files` with what hearth published in `target` before.
pub(crate) fn plan(target: &Path, files: Vec<SiteFile>) -> Result<Planned, PublishError> {
    let listed = read_manifest(target)?;
    let inside = SiteRoot::new(target);
    let mut changes = Changes::default();
    for file in &files {
        let there = target.join(&file.rel);
        inside.check(&there).map_err(PublishError::Outside)?;
        if file.rel == MANIFEST {
            // The site's own file of that name would replace hearth's list.
            return Err(PublishError::BadName(file.rel.clone().into()));
        }
        if !there.exists() {
            changes.added.push(file.rel.clone());
        } else if !listed.contains(&file.rel) {
            return Err(PublishError::FolderConflict(there));
        } else if !same_bytes(&file.abs, &there)? {
            changes.changed.push(file.rel.clone());
        }
    }
    let kept: BTreeSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    for rel in &listed {
        if !kept.contains(rel.as_str()) && target.join(rel).is_file() {
            changes.removed.push(rel.clone());
        }
    }
    let published_pages = listed
        .iter()
        .filter(|rel| is_page(rel) && target.join(rel).is_file())
        .count();
    Ok(Planned {
        prepared: Prepared {
            target: target.to_path_buf(),
            files,
            changes: changes.clone(),
            listed,
        },
        changes,
        published_pages,
    })
}

/// Copies the added and changed files, removes the removed ones, and updates the list.
pub(crate) fn apply(prepared: Prepared) -> Result<(), PublishError> {
    let Prepared {
        target,
        files,
        changes,
        listed,
    } = prepared;
    if !target.exists() {
        fs::create_dir(&target).map_err(|e| PublishError::io("create", &target, e))?;
    }
    // Listed before they are written, so an interrupted publish never leaves a file of
    // hearth's that the next one would take for someone else's.
    let mut all = listed;
    all.extend(files.iter().map(|f| f.rel.clone()));
    write_manifest(&target, &all)?;
    let to_copy: BTreeSet<&str> = changes
        .added
        .iter()
        .chain(&changes.changed)
        .map(String::as_str)
        .collect();
    for file in files.iter().filter(|f| to_copy.contains(f.rel.as_str())) {
        copy_into(&target, file)?;
    }
    for rel in &changes.removed {
        remove_from(&target, rel)?;
    }
    let now: BTreeSet<String> = files.into_iter().map(|f| f.rel).collect();
    write_manifest(&target, &now)
}

/// The files hearth published in `target` before; an empty folder (or none yet) has none,
/// and a folder with files but no list is someone else's.
fn read_manifest(target: &Path) -> Result<BTreeSet<String>, PublishError> {
    match target.parent() {
        Some(parent) if parent.as_os_str().is_empty() || parent.is_dir() => {}
        _ => return Err(PublishError::FolderUnmounted(target.to_path_buf())),
    }
    if !target.exists() {
        return Ok(BTreeSet::new());
    }
    let list = target.join(MANIFEST);
    let text = match fs::read_to_string(&list) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let empty = fs::read_dir(target)
                .map_err(|e| PublishError::io("read", target, e))?
                .next()
                .is_none();
            return if empty {
                Ok(BTreeSet::new())
            } else {
                Err(PublishError::FolderForeign(target.to_path_buf()))
            };
        }
        Err(e) => return Err(PublishError::io("read", list, e)),
    };
    let mut listed = BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let normal = Path::new(line)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !normal || line == MANIFEST {
            return Err(PublishError::ManifestDamaged(list));
        }
        listed.insert(line.to_string());
    }
    Ok(listed)
}

fn write_manifest(target: &Path, files: &BTreeSet<String>) -> Result<(), PublishError> {
    let mut text = String::from(MANIFEST_HEADER);
    for rel in files {
        text.push_str(rel);
        text.push('\n');
    }
    write_replacing(&target.join(MANIFEST), text.as_bytes())
}

fn copy_into(target: &Path, file: &SiteFile) -> Result<(), PublishError> {
    let there = target.join(&file.rel);
    if let Some(folder) = there.parent() {
        fs::create_dir_all(folder).map_err(|e| PublishError::io("create", folder, e))?;
    }
    SiteRoot::new(target)
        .check(&there)
        .map_err(PublishError::Outside)?;
    let bytes = fs::read(&file.abs).map_err(|e| PublishError::io("read", &file.abs, e))?;
    write_replacing(&there, &bytes)
}

/// Writes beside `path`, then renames over it, so a reader of the folder never sees half a file.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let partial = path.with_file_name(format!(".{name}.hearth-partial"));
    fs::write(&partial, bytes).map_err(|e| PublishError::io("write", &partial, e))?;
    fs::rename(&partial, path).map_err(|e| {
        let _ = fs::remove_file(&partial);
        PublishError::io("replace", path, e)
    })
}

/// Removes a file hearth published, and the folders it leaves empty.
fn remove_from(target: &Path, rel: &str) -> Result<(), PublishError> {
    let there = target.join(rel);
    SiteRoot::new(target)
        .check(&there)
        .map_err(PublishError::Outside)?;
    fs::remove_file(&there).map_err(|e| PublishError::io("remove", &there, e))?;
    let mut folder = there.parent();
    while let Some(dir) = folder.filter(|d| *d != target) {
        // Fails, and so stops, at the first folder that still holds something.
        if fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
    Ok(())
}

fn same_bytes(a: &Path, b: &Path) -> Result<bool, PublishError> {
    let meta = |p: &Path| fs::metadata(p).map_err(|e| PublishError::io("read", p, e));
    if meta(a)?.len() != meta(b)?.len() {
        return Ok(false);
    }
    let read = |p: &Path| fs::read(p).map_err(|e| PublishError::io("read", p, e));
    Ok(read(a)? == read(b)?)
}
