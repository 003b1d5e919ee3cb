//! What hearth remembers of each source photo between builds
//! (`.hearth-cache/image-sources.json`): the SHA-256 of its bytes and what its header says,
//! beside the file's size, modification time, change time and inode. A photo whose stamp
//! is unchanged is neither read nor hashed again. The stamp is only a memo of the hash:
//! the cache stays keyed by the hash of the bytes, and a stamp that differs (a git checkout
//! resets modification times) costs one new hash, never a new encoding.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use image::ImageFormat;
use image::metadata::Orientation;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ImageError, Probe, name_of};

/// Where the memo lives, under the site folder (beside the cache's copies, not among
/// them: `Cache::prune` never sees it).
pub const MEMO_FILE: &str = ".hearth-cache/image-sources.json";
/// Changes whenever what an entry means changes; a memo of another version is ignored.
const VERSION: u32 = 1;
/// A file modified this shortly before it was hashed may be modified again within the
/// same tick of a coarse file-system clock (FAT counts in 2 s) with nothing in its stamp
/// changing: its hash is used for this build but not trusted by the next (git calls such
/// files "racily clean").
const SETTLE: Duration = Duration::from_secs(2);

/// What identifies one version of a file cheaply: if any of it differs, the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    size: u64,
    /// Modification time, nanoseconds since 1970.
    modified: u128,
    /// Unix change time (which no tool can set back), nanoseconds; 0 elsewhere.
    changed: i128,
    /// Unix inode (a file replaced by a rename has a new one); 0 elsewhere.
    inode: u64,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Stamp {
        let modified = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            (
                i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec()),
                metadata.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Stamp {
            size: metadata.len(),
            modified,
            changed,
            inode,
        }
    }
}

/// One photo as last read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    stamp: Stamp,
    /// When it was hashed, nanoseconds since 1970: the hash is trusted only if the file
    /// had been left alone for [`SETTLE`] by then.
    hashed_at: u128,
    /// SHA-256 of the bytes, in hex.
    hash: String,
    header: Header,
}

impl Entry {
    fn trusted_for(&self, stamp: &Stamp) -> bool {
        self.stamp == *stamp && stamp.modified + SETTLE.as_nanos() <= self.hashed_at
    }
}

/// [`Probe`] as the memo stores it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Header {
    width: u32,
    height: u32,
    /// The EXIF orientation value (1-8).
    orientation: u8,
    has_alpha: bool,
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Header {
    fn of(probe: &Probe) -> Option<Header> {
        Some(Header {
            width: probe.width,
            height: probe.height,
            orientation: probe.orientation.to_exif(),
            has_alpha: probe.has_alpha,
            format: match probe.format {
                ImageFormat::Jpeg => Format::Jpeg,
                ImageFormat::Png => Format::Png,
                ImageFormat::WebP => Format::Webp,
                _ => return None,
            },
        })
    }

    fn probe(&self) -> Option<Probe> {
        Some(Probe {
            width: self.width,
            height: self.height,
            orientation: Orientation::from_exif(self.orientation)?,
            has_alpha: self.has_alpha,
            format: match self.format {
                Format::Jpeg => ImageFormat::Jpeg,
                Format::Png => ImageFormat::Png,
                Format::Webp => ImageFormat::WebP,
            },
        })
    }
}

/// The memo file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
struct MemoFile {
    version: u32,
    /// By the photo's path relative to the site folder.
    photos: BTreeMap<String, Entry>,
}

/// A source photo: the hash of its bytes (the cache key) and its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub hash: String,
    pub probe: Probe,
}

/// The memo of one build (or one `serve` rebuild), with how many photos it had to read.
#[derive(Debug)]
pub struct Sources {
    root: PathBuf,
    entries: Mutex<HashMap<PathBuf, Entry>>,
    changed: AtomicBool,
    read: AtomicUsize,
}

impl Sources {
    /// The memo of the site at `root`; empty when there is none or it cannot be read
    /// (it only ever saves work).
    pub fn open(root: &Path) -> Sources {
        let memo: MemoFile = std::fs::read(root.join(MEMO_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|memo: &MemoFile| memo.version == VERSION)
            .unwrap_or_default();
        let entries = memo
            .photos
            .into_iter()
            .map(|(path, entry)| (root.join(path), entry))
            .collect();
        Sources {
            root: root.to_path_buf(),
            entries: Mutex::new(entries),
            changed: AtomicBool::new(false),
            read: AtomicUsize::new(0),
        }
    }

    /// How many photos were read and hashed (not known from their stamp).
    pub fn read_count(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }

    /// The photo's hash and header: remembered when its stamp is unchanged, else read,
    /// hashed, checked and remembered.
    pub fn look(&self, path: &Path) -> Result<Known, ImageError> {
        let name = name_of(path);
        let unreadable = |e: std::io::Error| ImageError::Unreadable {
            name: name.clone(),
            reason: e.to_string(),
        };
        let stamp = Stamp::of(&std::fs::metadata(path).map_err(unreadable)?);
        let remembered = self
            .entries
            .lock()
            .ok()
            .and_then(|entries| entries.get(path).cloned());
        if let Some(entry) = remembered.filter(|e| e.trusted_for(&stamp))
            && let Some(probe) = entry.header.probe()
        {
            return Ok(Known {
                hash: entry.hash,
                probe,
            });
        }
        let hashed_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let bytes = std::fs::read(path).map_err(unreadable)?;
        self.read.fetch_add(1, Ordering::Relaxed);
        let probe = super::probe_bytes(&name, &bytes)?;
        let hash = hex(&Sha256::digest(&bytes));
        // The stamp again: a file that changed while it was read is not remembered.
        let after = std::fs::metadata(path).map(|m| Stamp::of(&m)).ok();
        if after == Some(stamp)
            && let Some(header) = Header::of(&probe)
            && let Ok(mut entries) = self.entries.lock()
        {
            entries.insert(
                path.to_path_buf(),
                Entry {
                    stamp,
                    hashed_at,
                    hash: hash.clone(),
                    header,
                },
            );
            self.changed.store(true, Ordering::Relaxed);
        }
        Ok(Known { hash, probe })
    }

    /// Writes the memo, keeping only the photos `keep` says the site still shows; does
    /// nothing when nothing changed. A temporary file renamed into place, so a build
    /// stopped half-way never leaves half a memo.
    pub fn save(&self, keep: impl Fn(&Path) -> bool) -> std::io::Result<()> {
        let Ok(mut entries) = self.entries.lock() else {
            return Ok(());
        };
        let before = entries.len();
        entries.retain(|path, _| keep(path));
        if !self.changed.load(Ordering::Relaxed) && entries.len() == before {
            return Ok(());
        }
        let memo = MemoFile {
            version: VERSION,
            photos: entries
                .iter()
                .map(|(path, entry)| {
                    let relative = path.strip_prefix(&self.root).unwrap_or(path);
                    (relative.to_string_lossy().into_owned(), entry.clone())
                })
                .collect(),
        };
        let file = self.root.join(MEMO_FILE);
        let dir = file.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut temp, &memo)?;
        temp.persist(&file).map_err(|e| e.error)?;
        self.changed.store(false, Ordering::Relaxed);
        Ok(())
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::new(8, 6)
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut bytes))
            .expect("encode");
        bytes
    }

    fn set_modified(path: &Path, ago: Duration) {
        let file = std::fs::File::options()
            .write(true)
            .open(path)
            .expect("open");
        file.set_modified(SystemTime::now() - ago).expect("mtime");
    }

    #[test]
    fn a_settled_file_is_read_once_and_a_changed_one_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let photo = dir.path().join("p.jpg");
        std::fs::write(&photo, jpeg()).expect("write");
        set_modified(&photo, Duration::from_secs(3600));
        let first = Sources::open(dir.path());
        let known = first.look(&photo).expect("look");
        assert_eq!((known.probe.width, known.probe.height), (8, 6));
        assert_eq!(first.read_count(), 1);
        first.save(|_| true).expect("save");

        let second = Sources::open(dir.path());
        assert_eq!(second.look(&photo).expect("look"), known);
        assert_eq!(second.read_count(), 0);
        // New bytes of the same size, with a new modification time: read again.
        let mut other = jpeg();
        let last = other.len() - 3;
        other[last] ^= 0x55;
        std::fs::write(&photo, &other).expect("write");
        assert_ne!(second.look(&photo).expect("look").hash, known.hash);
        assert_eq!(second.read_count(), 1);
    }

    #[test]
    fn a_file_hashed_just_after_it_was_written_is_not_trusted_next_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let photo = dir.path().join("p.jpg");
        std::fs::write(&photo, jpeg()).expect("write");
        let first = Sources::open(dir.path());
        first.look(&photo).expect("look");
        first.save(|_| true).expect("save");
        let second = Sources::open(dir.path());
        second.look(&photo).expect("look");
        assert_eq!(second.read_count(), 1);
    }
}
