//! `.hearth-cache/images/`: every encoded copy of a photo, named by a hash of the source's
//! bytes and of what was done to them (width, format, quality), never by modification
//! time (a git checkout resets those). A build that finds a copy there encodes nothing,
//! and the output gets a hard link to it (the copies are read-only, so nothing can change
//! them through the output); `prune` removes the copies no build used since the cache was
//! opened. The source photos' hashes are remembered by `sources`.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::sources::{Known, Sources, hex};
use super::{Copy, CopyFormat, ImageError, ImageSet, encode};
use crate::output::Output;

/// Where the cache lives, under the site folder.
pub const CACHE_SUBDIR: &str = ".hearth-cache/images";
/// Changes whenever the encoding changes, so old copies are never reused for new settings.
const RECIPE: &str = "hearth-images-1 webp-q80 jpeg-q82 lanczos3";
/// The same for AVIF copies (the `avif` feature), so that turning it on or off never
/// renames the others.
const AVIF_RECIPE: &str = "hearth-images-1 avif-q60-s6 lanczos3";

/// One copy a photo needs, with its name in the cache.
type Wanted = (Copy, String);

/// The cache names of `set`'s copies, for a source whose bytes hash to `source_key`.
fn names(set: &ImageSet, source_key: &str) -> Vec<Wanted> {
    set.copies()
        .map(|copy| {
            let ext = match copy.format {
                CopyFormat::Webp => "webp",
                CopyFormat::Avif => "avif",
                CopyFormat::Fallback => set.fallback_format.extension(),
            };
            let recipe = match copy.format {
                CopyFormat::Avif => AVIF_RECIPE,
                _ => RECIPE,
            };
            let text = format!(
                "{source_key} {recipe} {:?} {}x{} {ext}",
                set.orientation, copy.width, copy.height
            );
            let name = format!("{}.{ext}", hex(&Sha256::digest(text.as_bytes())));
            (copy, name)
        })
        .collect()
}

/// The photo cache of one build (or one `serve` rebuild), with what it did.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Whether `dir` really is inside the site (checked once, when the cache is opened:
    /// its files are then only taken when they are plain files, not links). A cache
    /// folder that is a link out of the site is neither read nor written.
    inside: bool,
    sources: Sources,
    encoded: AtomicUsize,
    reused: AtomicUsize,
    used: Mutex<HashSet<String>>,
}

/// A photo's copy for printing, with its name in the cache (a hash of its source and
/// recipe).
#[derive(Debug, Clone)]
pub struct PrintCopy {
    pub bytes: Vec<u8>,
    pub key: String,
}

/// How many copies a build encoded and how many it took from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub encoded: usize,
    pub reused: usize,
    /// Source photos read and hashed (the others were known by their stamp).
    pub read: usize,
}

impl Cache {
    pub fn new(site_root: &Path) -> Cache {
        let dir = site_root.join(CACHE_SUBDIR);
        Cache {
            inside: crate::inside::SiteRoot::new(site_root).check(&dir).is_ok(),
            dir,
            sources: Sources::open(site_root),
            encoded: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            used: Mutex::new(HashSet::new()),
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            encoded: self.encoded.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
            read: self.sources.read_count(),
        }
    }

    /// A source photo's hash and header (`sources`), for its preparation job.
    pub fn look(&self, source: &Path) -> Result<Known, ImageError> {
        self.sources.look(source)
    }

    /// Saves what is known of the source photos for the next build, forgetting those
    /// `shown` says the site no longer shows. A memo that cannot be written costs speed
    /// only.
    pub fn remember(&self, shown: impl Fn(&Path) -> bool) {
        let _ = self.sources.save(shown);
    }

    /// Every copy `set` names, from the cache or encoded now (and then kept there). The
    /// source is read only when a copy is missing: the names come from `set.key`, the hash
    /// the preparation job found (or remembered) for its bytes.
    pub fn make(&self, set: &ImageSet) -> Result<Vec<Output>, ImageError> {
        let wanted = names(set, &set.key);
        if wanted.iter().all(|w| self.has(&w.1)) {
            self.note_used(&wanted);
            self.reused.fetch_add(wanted.len(), Ordering::Relaxed);
            return Ok(wanted
                .into_iter()
                .map(|(copy, name)| Output::cached(copy.path, self.dir.join(name)))
                .collect());
        }
        let bytes = std::fs::read(&set.source).map_err(|e| ImageError::Unreadable {
            name: super::name_of(&set.source),
            reason: e.to_string(),
        })?;
        // Named by the bytes read now: a photo changed since the preparation job (during
        // `serve`) is never kept under the name of its earlier version.
        let wanted = names(set, &hex(&Sha256::digest(&bytes)));
        self.note_used(&wanted);
        let full = encode::decode(set, &bytes)?;
        drop(bytes);
        let mut outputs = Vec::with_capacity(wanted.len());
        let mut resized: Option<(u32, image::DynamicImage)> = None;
        for (copy, name) in wanted {
            let Copy {
                width,
                height,
                format,
                path,
            } = copy;
            let cached = self.dir.join(&name);
            if self.has(&name) {
                self.reused.fetch_add(1, Ordering::Relaxed);
                outputs.push(Output::cached(path, cached));
                continue;
            }
            let image = match resized.take() {
                Some((w, image)) if w == width => image,
                _ => encode::resize(set, &full, width, height)?,
            };
            let encoded = match format {
                CopyFormat::Webp => encode::webp(set, &image)?,
                CopyFormat::Avif => encode::avif(set, &image)?,
                CopyFormat::Fallback => encode::fallback(set, &image, set.fallback_format)?,
            };
            resized = Some((width, image));
            self.encoded.fetch_add(1, Ordering::Relaxed);
            outputs.push(match self.keep(&name, &encoded) {
                Ok(()) => Output::cached(path, cached),
                // A cache that cannot be written (a read-only checkout) costs speed only.
                Err(_) => Output::bytes(path, encoded),
            });
        }
        Ok(outputs)
    }

    /// `set`'s fallback copy (JPEG or PNG), for printing: from the cache, or encoded now
    /// and kept there under the name the page's own copy has, so the page's job finds it
    /// made.
    pub fn print_copy(&self, set: &ImageSet) -> Result<PrintCopy, ImageError> {
        fn pick(wanted: Vec<Wanted>) -> Option<Wanted> {
            wanted
                .into_iter()
                .find(|(copy, _)| copy.format == CopyFormat::Fallback)
        }
        let unreadable = |e: std::io::Error| ImageError::Unreadable {
            name: super::name_of(&set.source),
            reason: e.to_string(),
        };
        if let Some(one) = pick(names(set, &set.key))
            && self.has(&one.1)
            && let Ok(bytes) = std::fs::read(self.dir.join(&one.1))
        {
            self.note_used(std::slice::from_ref(&one));
            return Ok(PrintCopy { bytes, key: one.1 });
        }
        let source = std::fs::read(&set.source).map_err(unreadable)?;
        let Some(one) = pick(names(set, &hex(&Sha256::digest(&source)))) else {
            return Err(ImageError::Damaged {
                name: super::name_of(&set.source),
                reason: "it has no copy to print".into(),
            });
        };
        self.note_used(std::slice::from_ref(&one));
        let full = encode::decode(set, &source)?;
        drop(source);
        let (copy, name) = one;
        let image = encode::resize(set, &full, copy.width, copy.height)?;
        let bytes = encode::fallback(set, &image, set.fallback_format)?;
        self.encoded.fetch_add(1, Ordering::Relaxed);
        // Not kept, it is still printed; the page's job encodes it again.
        let _ = self.keep(&name, &bytes);
        Ok(PrintCopy { bytes, key: name })
    }

    /// Whether the cache holds `name` as a plain file (a link there is never taken: the
    /// output would get the link).
    fn has(&self, name: &str) -> bool {
        self.inside
            && std::fs::symlink_metadata(self.dir.join(name)).is_ok_and(|m| m.file_type().is_file())
    }

    fn note_used(&self, wanted: &[Wanted]) {
        if let Ok(mut used) = self.used.lock() {
            used.extend(wanted.iter().map(|w| w.1.clone()));
        }
    }

    /// Writes one copy into the cache: a temporary file renamed into place, so a build
    /// stopped half-way never leaves half a file under a name that will be trusted.
    fn keep(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        if !self.inside {
            return Err(std::io::Error::other(
                "the cache folder is outside the site",
            ));
        }
        std::fs::create_dir_all(&self.dir)?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        file.write_all(bytes)?;
        // Read-only: the output folder holds hard links to these files, so a program that
        // wrote into a published copy in place would change the cached one too. It is
        // refused instead (hearth itself only ever writes new files). Left writable on
        // other systems, where a read-only file cannot be removed by `prune`.
        #[cfg(unix)]
        {
            let mut permissions = file.as_file().metadata()?.permissions();
            permissions.set_readonly(true);
            file.as_file().set_permissions(permissions)?;
        }
        file.persist(self.dir.join(name)).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes every copy in the cache that this cache's builds did not use; returns how
    /// many. Only files named as this module names them are touched.
    pub fn prune(&self) -> std::io::Result<usize> {
        // A cache folder that leads out of the site was never used: nothing there is ours.
        if !self.inside {
            return Ok(0);
        }
        let used = match self.used.lock() {
            Ok(used) => used.clone(),
            Err(_) => return Ok(0),
        };
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_cache_name(&name) && !used.contains(&name) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// A name `make` gives: 64 hex digits and one of the extensions it writes.
fn is_cache_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(key, ext)| {
        key.len() == 64
            && key.bytes().all(|b| b.is_ascii_hexdigit())
            && matches!(ext, "webp" | "avif" | "jpg" | "png")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_touches_only_names_the_cache_gives() {
        assert!(is_cache_name(&format!("{}.webp", "a".repeat(64))));
        assert!(!is_cache_name("notes.txt"));
        assert!(!is_cache_name(&format!("{}.txt", "a".repeat(64))));
    }
}
