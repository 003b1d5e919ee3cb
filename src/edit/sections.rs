//! What the editor needs to know of the site as it is on disk: its sections (folder, title,
//! kind) and the topics its pages already use. Read leniently with the front-matter
//! splitter, so a site that does not build yet still gets an editor to fix it in.

use std::collections::BTreeSet;
use std::path::Path;

use crate::content::Kind;
use crate::content::front_matter;
use crate::content::load::CONTENT_DIR;

/// A folder with an `_index.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionInfo {
    /// Relative to `content/`, with `/`; empty for the home section.
    pub dir: String,
    pub title: String,
    pub kind: Kind,
}

/// The sections and topics found under `content/`.
#[derive(Debug, Default)]
pub(crate) struct SiteInfo {
    pub sections: Vec<SectionInfo>,
    pub topics: BTreeSet<String>,
}

impl SiteInfo {
    pub(crate) fn section_of_kind(&self, kind: Kind) -> Option<&SectionInfo> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The section a file (relative to the site) belongs to: the nearest folder above it
    /// with an `_index.md`.
    pub(crate) fn section_of(&self, file: &str) -> Option<&SectionInfo> {
        let inside = file.strip_prefix(CONTENT_DIR)?.strip_prefix('/')?;
        let mut dir = parent_of(inside);
        loop {
            if let Some(section) = self.sections.iter().find(|s| s.dir == dir) {
                return Some(section);
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent_of(&dir);
        }
    }
}

/// `a/b/c` → `a/b`; `c` → ``.
fn parent_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or(String::new(), |(p, _)| p.to_string())
}

/// Reads the sections and topics of the site at `root`.
pub(crate) fn scan(root: &Path) -> SiteInfo {
    let content = root.join(CONTENT_DIR);
    let mut info = SiteInfo::default();
    let walk = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter();
    for entry in walk.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(split) = front_matter::split(&text, path) else {
            continue;
        };
        let Ok(yaml) = serde_yaml::from_str::<serde_yaml::Value>(split.yaml) else {
            continue;
        };
        if entry.file_name() == "_index.md" {
            let dir = path
                .parent()
                .and_then(|p| p.strip_prefix(&content).ok())
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let kind = yaml
                .get("kind")
                .and_then(|k| serde_yaml::from_value::<Kind>(k.clone()).ok())
                .unwrap_or_default();
            let title = yaml
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or(&dir)
                .to_string();
            info.sections.push(SectionInfo { dir, title, kind });
        } else if let Some(topics) = yaml.get("topics").and_then(|t| t.as_sequence()) {
            info.topics
                .extend(topics.iter().filter_map(|t| t.as_str()).map(str::to_string));
        }
    }
    info
}
