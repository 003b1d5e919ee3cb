//! Placeholders a practice still has to replace: every `TODO:` left in `site.toml` or in a
//! published content file. `hearth check` lists them as warnings, so a practice can see
//! what is left before the site goes live; they never stop a build.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;

/// The one marker the starter site puts on every placeholder.
pub const MARKER: &str = "TODO:";

/// The placeholders in `site.toml` and in `sources` (site-relative paths), in file order.
/// A file that cannot be read is passed over: loading it has already reported why.
pub(crate) fn find<'a>(
    root: &Path,
    sources: impl IntoIterator<Item = &'a Path>,
) -> Vec<Diagnostic> {
    let mut files: Vec<PathBuf> = sources.into_iter().map(Path::to_path_buf).collect();
    files.sort();
    files.dedup();
    std::iter::once(PathBuf::from(CONFIG_FILE))
        .chain(files)
        .filter_map(|file| {
            let text = std::fs::read_to_string(root.join(&file)).ok()?;
            Some(in_text(&text, &file))
        })
        .flatten()
        .collect()
}

/// One warning per marker in `text`, the contents of `file`, at the marker's line and column.
pub(crate) fn in_text(text: &str, file: &Path) -> Vec<Diagnostic> {
    text.match_indices(MARKER)
        .map(|(offset, _)| {
            let rest = &text[offset + MARKER.len()..];
            let what = rest.lines().next().unwrap_or_default();
            let what = what.trim().trim_end_matches("-->").trim();
            Diagnostic::warning(file, format!("placeholder to replace: {what}"))
                .at_offset(text, offset)
                .with_help(
                    "write your own text here (or delete what does not apply), then remove the `TODO:` marker",
                )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_is_found_at_its_line_and_column() {
        let text = "---\ntitle: Me  # TODO: your name\n---\n\nBody.\n<!-- TODO: a paragraph -->\n";
        let found = in_text(text, Path::new("content/a.md"));
        let located: Vec<String> = found.iter().map(Diagnostic::location).collect();
        assert_eq!(located, ["content/a.md:2:14", "content/a.md:6:6"]);
        assert_eq!(found[0].message, "placeholder to replace: your name");
        assert_eq!(found[1].message, "placeholder to replace: a paragraph");
        assert!(found.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn text_without_the_marker_has_none() {
        assert!(
            in_text(
                "todo: lower case\nTODO without a colon\n",
                Path::new("a.md")
            )
            .is_empty()
        );
    }
}
