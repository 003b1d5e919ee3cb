//! What the editor needs to know of the site as it is on disk: its sections (folder, title,
//! kind), the topics its pages already use and its languages. Read leniently (the
//! front-matter splitter, site.toml as plain TOML), so a site that does not build yet
//! still gets an editor to fix it in.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::{CONFIG_FILE, is_language_code};
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

/// The sections and topics found under `content/`, and the languages of site.toml.
#[derive(Debug, Default)]
pub(crate) struct SiteInfo {
    pub sections: Vec<SectionInfo>,
    pub topics: BTreeSet<String>,
    pub languages: Languages,
}

/// The site's default language and the others (`[languages.<code>]`), by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Languages {
    pub default: String,
    /// Each other language's code and its name (the code when it has none).
    pub others: Vec<(String, String)>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            default: "en".into(),
            others: Vec::new(),
        }
    }
}

impl Languages {
    /// Whether the site is in more than one language.
    pub(crate) fn several(&self) -> bool {
        !self.others.is_empty()
    }

    /// Every code, the default first.
    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default.as_str()).chain(self.others.iter().map(|(c, _)| c.as_str()))
    }

    /// Whether `code` is one of the other languages.
    pub(crate) fn is_other(&self, code: &str) -> bool {
        self.others.iter().any(|(c, _)| c == code)
    }

    /// The languages named in site.toml at `root`; the defaults when it cannot be read,
    /// since the loader names that mistake and the editor is where it gets fixed.
    pub(crate) fn read(root: &Path) -> Languages {
        let Ok(text) = std::fs::read_to_string(root.join(CONFIG_FILE)) else {
            return Languages::default();
        };
        let Ok(toml) = text.parse::<toml::Table>() else {
            return Languages::default();
        };
        let default = toml
            .get("language")
            .and_then(toml::Value::as_str)
            .unwrap_or("en")
            .to_string();
        let others = toml
            .get("languages")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flatten()
            .filter(|(code, _)| **code != default && is_language_code(code))
            .map(|(code, table)| {
                let name = table
                    .get("name")
                    .and_then(toml::Value::as_str)
                    .unwrap_or(code);
                (code.clone(), name.to_string())
            })
            .collect();
        Languages { default, others }
    }
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
    let mut info = SiteInfo {
        languages: Languages::read(root),
        ..SiteInfo::default()
    };
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
