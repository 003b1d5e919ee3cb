//! Writing an import: front matter in the keys hearth's loader accepts, every file staged
//! in a folder of its own first, then put in place only once the whole export has been
//! converted, each with `create_new` so that no existing file is ever overwritten.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use super::ImportError;

/// The front matter of an imported article or page, in `hearth new`'s order. Pages have no
/// `author` or hero image: those keys are left empty for them.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Front {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
    /// The hero image came with no alt text: `image_alt` is left empty (so the site
    /// builds) and a `TODO:` comment asks for one, which `hearth check` lists.
    #[serde(skip)]
    pub alt_missing: bool,
}

/// The whole Markdown file: front matter, then the body.
pub(crate) fn page_text(front: &Front, body: &str) -> Result<String, ImportError> {
    let yaml = serde_yaml::to_string(front).map_err(|e| ImportError::Yaml(e.to_string()))?;
    let todo = if front.alt_missing {
        "# TODO: say in image_alt what the photo shows (WordPress had no alt text for it)\n"
    } else {
        ""
    };
    Ok(format!("---\n{yaml}{todo}---\n\n{body}"))
}

/// Files made so far, in a folder inside the site that is removed unless the import ends.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
    /// Paths relative to the site root, in the order made.
    files: Vec<PathBuf>,
}

impl Staging {
    /// A staging folder under `.hearth-cache/` (on the site's own disk, so nothing is
    /// copied across disks twice).
    pub fn create(root: &Path) -> Result<Staging, ImportError> {
        let cache = root.join(".hearth-cache");
        fs::create_dir_all(&cache).map_err(|e| ImportError::Write(cache.clone(), e))?;
        let dir = tempfile::Builder::new()
            .prefix("import-")
            .tempdir_in(&cache)
            .map_err(|e| ImportError::Write(cache.clone(), e))?;
        Ok(Staging {
            dir,
            files: Vec::new(),
        })
    }

    /// Stages `bytes` for `rel` (relative to the site root).
    pub fn add(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), ImportError> {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| ImportError::Write(path.clone(), e))?;
        }
        fs::write(&path, bytes).map_err(|e| ImportError::Write(path.clone(), e))?;
        self.files.push(rel.to_path_buf());
        Ok(())
    }

    /// Stages a copy of the staged file `from` for `to` (both relative to the site root).
    pub fn copy(&mut self, from: &Path, to: &Path) -> Result<(), ImportError> {
        let source = self.dir.path().join(from);
        let target = self.dir.path().join(to);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| ImportError::Write(target.clone(), e))?;
        }
        fs::copy(&source, &target).map_err(|e| ImportError::Write(target.clone(), e))?;
        self.files.push(to.to_path_buf());
        Ok(())
    }

    /// Puts every staged file in place under `root`. A file that appeared since the plan
    /// was made is left alone and returned in the second list.
    pub fn commit(self, root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), ImportError> {
        let mut written = Vec::new();
        let mut kept = Vec::new();
        for rel in &self.files {
            let from = self.dir.path().join(rel);
            let to = root.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| ImportError::Write(to.clone(), e))?;
            }
            let bytes = fs::read(&from).map_err(|e| ImportError::Read(from.clone(), e))?;
            match OpenOptions::new().write(true).create_new(true).open(&to) {
                Ok(mut file) => {
                    file.write_all(&bytes)
                        .map_err(|e| ImportError::Write(to.clone(), e))?;
                    written.push(rel.clone());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(rel.clone()),
                Err(e) => return Err(ImportError::Write(to, e)),
            }
        }
        Ok((written, kept))
    }
}

/// Writes the report at `import-report.md`, replacing only an earlier report of hearth's;
/// any other file of that name is kept, and the report goes to `import-report-2.md`…
pub(crate) fn report_file(root: &Path, text: &str) -> Result<PathBuf, ImportError> {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            "import-report.md".to_string()
        } else {
            format!("import-report-{n}.md")
        };
        let path = root.join(&name);
        let ours = fs::read_to_string(&path)
            .map(|t| t.starts_with(super::report::HEADING))
            .unwrap_or(false);
        if !path.exists() || ours {
            fs::write(&path, text).map_err(|e| ImportError::Write(path.clone(), e))?;
            return Ok(PathBuf::from(name));
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_yaml_the_loader_reads() {
        let front = Front {
            title: "Señales: \"calma\" & ánimo".into(),
            date: Some(jiff::civil::date(2019, 3, 14)),
            draft: true,
            topics: vec!["Ansiedad".into()],
            aliases: vec!["/2019/03/señales/".into()],
            ..Front::default()
        };
        let text = page_text(&front, "Body\n").unwrap();
        assert!(text.starts_with("---\ntitle: "), "{text}");
        assert!(text.contains("date: 2019-03-14"), "{text}");
        assert!(text.contains("draft: true"), "{text}");
        assert!(!text.contains("image"), "{text}");
        let yaml = text.split("---\n").nth(1).unwrap();
        let back: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(back["title"].as_str(), Some("Señales: \"calma\" & ánimo"));
    }

    #[test]
    fn titles_that_look_like_other_values_stay_text() {
        for title in [
            "2019",
            "No",
            "null",
            "- a list?",
            "#hashtag",
            "[brackets]",
            "a: b",
        ] {
            let front = Front {
                title: title.into(),
                ..Front::default()
            };
            let text = page_text(&front, "").unwrap();
            let yaml = text.split("---\n").nth(1).unwrap();
            #[derive(serde::Deserialize)]
            struct Title {
                title: String,
            }
            let back: Title = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{title}: {e}"));
            assert_eq!(back.title, title);
        }
    }
}
