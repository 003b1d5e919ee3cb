//! The names the editor gives pages, and the files they are on disk. Decap lists a folder
//! one level deep and, on a site in several languages, expects every language's file to
//! carry its code; hearth keeps bundles (`books/come-together/index.md`) and leaves the
//! default language's code out (`about.md` beside `about.es.md`). So the editor sees
//! `books/come-together.md` and `about.en.md`, and this module maps both ways.

use std::path::Path;

use super::sections::Languages;

/// One page: its name in the editor and its file, both relative to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub view: String,
    pub disk: String,
}

/// The mapping for the site at `root`.
pub(crate) struct Entries<'a> {
    pub root: &'a Path,
    pub languages: &'a Languages,
}

/// A page's name split into its parts: `dir/stem[.code].md`.
struct Parts<'s> {
    dir: &'s str,
    stem: &'s str,
    /// One of the other languages; `None` for the default one.
    code: Option<&'s str>,
}

impl Entries<'_> {
    /// The file behind the editor's `view` name. Paths that are not pages (site.toml,
    /// images) come back as they are.
    pub(crate) fn to_disk(&self, view: &str) -> String {
        let Some(parts) = self.split(view) else {
            return view.to_string();
        };
        let suffix = parts.code.map(|c| format!(".{c}")).unwrap_or_default();
        let flat = format!("{}{}{suffix}.md", parts.dir, parts.stem);
        let bundle = format!("{}{}", parts.dir, parts.stem);
        if !self.root.join(&flat).exists() && self.is_bundle(&bundle) {
            format!("{bundle}/index{suffix}.md")
        } else {
            flat
        }
    }

    /// The pages under `folder` (relative to the site) in the editor's names: its Markdown
    /// files and its bundles, without the section's own `_index` pages.
    ///
    /// On a site in several languages `extension` says which: `md` lists the pages that
    /// exist in the default language with their translations (Decap groups them), and
    /// `es.md` the pages that exist only in Spanish, which get a list of their own because
    /// Decap would otherwise save them as the default language's.
    pub(crate) fn list(&self, folder: &str, extension: &str) -> Vec<Entry> {
        let mut found = Vec::new();
        let walk = walkdir::WalkDir::new(self.root.join(folder))
            .min_depth(1)
            .max_depth(2)
            .sort_by_file_name();
        for file in walk.into_iter().filter_map(Result::ok) {
            if !file.file_type().is_file() {
                continue;
            }
            let name = file.file_name().to_string_lossy();
            let Some(stem) = name.strip_suffix(".md") else {
                continue;
            };
            let Ok(rel) = file.path().strip_prefix(self.root) else {
                continue;
            };
            let disk = rel.to_string_lossy().replace('\\', "/");
            let view = if file.depth() == 1 && !name.starts_with("_index.") {
                disk.clone()
            } else if file.depth() == 2 && (stem == "index" || self.code_of("index", stem)) {
                // `books/come-together/index.es.md` → `books/come-together.es.md`
                let Some((bundle, _)) = disk.rsplit_once('/') else {
                    continue;
                };
                format!("{bundle}{}.md", &stem["index".len()..])
            } else {
                continue;
            };
            found.push(Entry {
                view: self.with_default_code(&view),
                disk,
            });
        }
        found.sort_by(|a, b| a.view.cmp(&b.view));
        if !self.languages.several() {
            return found;
        }
        let base = |e: &Entry| {
            self.split(&e.view)
                .map(|p| format!("{}{}", p.dir, p.stem))
                .unwrap_or_default()
        };
        let in_default: std::collections::HashSet<String> = found
            .iter()
            .filter(|e| self.split(&e.view).is_some_and(|p| p.code.is_none()))
            .map(base)
            .collect();
        let only_in = extension
            .strip_suffix(".md")
            .filter(|c| self.languages.is_other(c));
        found
            .into_iter()
            .filter(|e| match only_in {
                None => in_default.contains(&base(e)),
                Some(code) => {
                    !in_default.contains(&base(e))
                        && self.split(&e.view).is_some_and(|p| p.code == Some(code))
                }
            })
            .collect()
    }

    /// `view` with the default language's code added, on a site in several languages
    /// (`about.md` → `about.en.md`).
    fn with_default_code(&self, view: &str) -> String {
        match (self.languages.several(), view.strip_suffix(".md")) {
            (true, Some(stem)) if self.split(view).is_some_and(|p| p.code.is_none()) => {
                format!("{stem}.{}.md", self.languages.default)
            }
            _ => view.to_string(),
        }
    }

    /// Whether `name` is `stem.<code>` for one of the other languages.
    fn code_of(&self, stem: &str, name: &str) -> bool {
        name.strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|code| self.languages.is_other(code))
    }

    /// A page's name in its parts; `None` for anything but Markdown under `content/`.
    fn split<'s>(&self, view: &'s str) -> Option<Parts<'s>> {
        if !view.starts_with("content/") {
            return None;
        }
        let name_at = view.rfind('/').map_or(0, |i| i + 1);
        let (dir, name) = view.split_at(name_at);
        let name = name.strip_suffix(".md")?;
        if !self.languages.several() {
            return Some(Parts {
                dir,
                stem: name,
                code: None,
            });
        }
        let (stem, code) = match name.rsplit_once('.') {
            Some((stem, code)) if code == self.languages.default => (stem, None),
            Some((stem, code)) if self.languages.is_other(code) => (stem, Some(code)),
            _ => (name, None),
        };
        Some(Parts { dir, stem, code })
    }

    /// Whether `dir` (relative to the site) is a page bundle: a folder with an `index.md`
    /// in some language.
    fn is_bundle(&self, dir: &str) -> bool {
        let folder = self.root.join(dir);
        self.languages
            .codes()
            .map(|code| {
                if code == self.languages.default {
                    "index.md".to_string()
                } else {
                    format!("index.{code}.md")
                }
            })
            .any(|index| folder.join(index).is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp");
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "---\ntitle: x\n---\n").expect("write");
        }
        dir
    }

    fn two_languages() -> Languages {
        Languages {
            default: "en".into(),
            others: vec![("es".into(), "Español".into())],
        }
    }

    fn views(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.view.as_str()).collect()
    }

    const FILES: [&str; 8] = [
        "content/_index.md",
        "content/_index.es.md",
        "content/about.md",
        "content/about.es.md",
        "content/solo.es.md",
        "content/books/_index.md",
        "content/books/come-together/index.md",
        "content/books/come-together/index.es.md",
    ];

    #[test]
    fn one_language_lists_files_and_bundles_by_their_names() {
        let dir = site(&FILES);
        let languages = Languages::default();
        let entries = Entries {
            root: dir.path(),
            languages: &languages,
        };
        assert_eq!(
            views(&entries.list("content/books", "md")),
            ["content/books/come-together.md"]
        );
        assert_eq!(
            entries.to_disk("content/books/come-together.md"),
            "content/books/come-together/index.md"
        );
        assert_eq!(entries.to_disk("content/about.md"), "content/about.md");
        assert_eq!(entries.to_disk("content/new.md"), "content/new.md");
        assert_eq!(entries.to_disk("site.toml"), "site.toml");
    }

    #[test]
    fn the_default_language_carries_its_code_in_the_editor() {
        let dir = site(&FILES);
        let languages = two_languages();
        let entries = Entries {
            root: dir.path(),
            languages: &languages,
        };
        assert_eq!(
            views(&entries.list("content", "md")),
            ["content/about.en.md", "content/about.es.md"]
        );
        assert_eq!(
            views(&entries.list("content", "es.md")),
            ["content/solo.es.md"]
        );
        assert_eq!(
            views(&entries.list("content/books", "md")),
            [
                "content/books/come-together.en.md",
                "content/books/come-together.es.md"
            ]
        );
        for (view, disk) in [
            ("content/about.en.md", "content/about.md"),
            ("content/about.es.md", "content/about.es.md"),
            ("content/new.en.md", "content/new.md"),
            (
                "content/books/come-together.en.md",
                "content/books/come-together/index.md",
            ),
            (
                "content/books/come-together.es.md",
                "content/books/come-together/index.es.md",
            ),
        ] {
            assert_eq!(entries.to_disk(view), disk, "{view}");
        }
    }

    #[test]
    fn a_new_translation_of_a_bundle_goes_into_the_bundle() {
        let dir = site(&["content/books/_index.md", "content/books/x/index.md"]);
        let languages = two_languages();
        let entries = Entries {
            root: dir.path(),
            languages: &languages,
        };
        assert_eq!(
            entries.to_disk("content/books/x.es.md"),
            "content/books/x/index.es.md"
        );
    }
}
