//! Which file changes matter to `hearth serve`: sources yes, the output folder, hidden
//! files and editors' temporary files no. Pure, so it is tested without a file system.

use std::path::{Path, PathBuf};

/// Top-level names whose changes trigger a rebuild.
const WATCHED: [&str; 6] = [
    "content",
    "templates",
    "themes",
    "static",
    "i18n",
    "site.toml",
];

/// The changed paths worth a rebuild, relative to the site root, sorted and de-duplicated.
pub fn relevant(root: &Path, output: &Path, changed: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = changed
        .iter()
        .filter(|p| !p.starts_with(output))
        .filter_map(|p| p.strip_prefix(root).ok())
        .filter(|rel| {
            rel.components()
                .next()
                .is_some_and(|c| WATCHED.iter().any(|w| c.as_os_str() == *w))
        })
        .filter(|rel| !is_noise(rel))
        .map(Path::to_path_buf)
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Hidden files and editors' swap, backup and temporary files.
fn is_noise(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        || rel.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.ends_with('~')
                || n.ends_with(".swp")
                || n.ends_with(".swx")
                || n.ends_with(".tmp")
                || n.starts_with("#")
        })
}

/// "content/articles/a.md" or "content/a.md and 2 more", for the terminal line.
pub fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [] => "nothing".into(),
        [one] => one.display().to_string(),
        [first, rest @ ..] => format!("{} and {} more", first.display(), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sources_drops_output_hidden_and_temporary_files() {
        let root = Path::new("/site");
        let output = Path::new("/site/public");
        let changed: Vec<PathBuf> = [
            "/site/content/a.md",
            "/site/content/a.md",
            "/site/public/index.html",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/templates/page.html",
            "/site/site.toml",
            "/site/README.md",
            "/site/.git/index",
            "/elsewhere/x.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            relevant(root, output, &changed),
            vec![
                PathBuf::from("content/a.md"),
                PathBuf::from("site.toml"),
                PathBuf::from("templates/page.html")
            ]
        );
    }

    #[test]
    fn describes_one_or_many() {
        assert_eq!(describe(&[PathBuf::from("a.md")]), "a.md");
        assert_eq!(
            describe(&[PathBuf::from("a.md"), PathBuf::from("b.md")]),
            "a.md and 1 more"
        );
    }
}
