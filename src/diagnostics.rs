//! Diagnostics: one problem in one file, with its position and a hint, printed at the edge.
//!
//! Every stage of the pipeline collects `Diagnostic`s instead of stopping at the first
//! problem, so the practice sees everything that needs fixing in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pointing at a file and (where known) a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based; `u32` keeps the struct small enough to pass around in `Result`s.
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
    pub help: Option<String>,
    /// The text of the line the diagnostic points at, shown with a caret.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            col: None,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Points the diagnostic at `line:col` (1-based) of `source`, keeping that line's text.
    pub fn at(mut self, source: &str, line: usize, col: usize) -> Self {
        self.line = Some(u32::try_from(line.max(1)).unwrap_or(u32::MAX));
        self.col = Some(u32::try_from(col.max(1)).unwrap_or(u32::MAX));
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Points the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        self.at(source, line, col)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or just the path), as printed and as used in tests.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.col) {
            (Some(line), Some(col)) => format!("{path}:{line}:{col}"),
            (Some(line), None) => format!("{path}:{line}"),
            _ => path.to_string(),
        }
    }

    /// Renders the diagnostic with the source line and a caret, as the CLI prints it.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.path.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let group = match (&self.source_line, self.line, self.col) {
            (Some(text), Some(line), Some(col)) => {
                let start = char_col_to_byte(text, col as usize);
                let end = next_char_boundary(text, start);
                Group::with_title(title).element(
                    Snippet::source(text.as_str())
                        .line_start(line as usize)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            (_, Some(line), col) => Group::with_title(title).element(
                Origin::path(path.as_str())
                    .line(line as usize)
                    .char_column(col.unwrap_or(1) as usize),
            ),
            _ => Group::with_title(title).element(Origin::path(path.as_str())),
        };
        let group = match &self.help {
            Some(help) => group.element(Level::HELP.message(help.as_str())),
            None => group,
        };
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Every diagnostic a run produced; the build fails when any of them is an error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Orders diagnostics by file, then position, so output groups by file and is stable
    /// however the parallel stages finished.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// A path shown relative to the site root, so messages stay short and stable.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn char_col_to_byte(text: &str, col: usize) -> usize {
    text.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i)
}

fn next_char_boundary(text: &str, start: usize) -> usize {
    text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

/// The closest of `candidates` to `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A hint for serde's "unknown field `x`, expected one of `a`, `b`" messages: the closest
/// valid key, and the list of valid keys.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        return Some(format!("`{field}` is not a setting here; remove it"));
    }
    let list = expected.join(", ");
    Some(match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? Valid keys here: {list}"),
        None => format!("valid keys here: {list}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let src = "ab\ncdé f\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, "ab\ncdé ".len()), (2, 5));
    }

    #[test]
    fn unknown_field_hint_names_the_closest_key() {
        let msg = "unknown field `titel`, expected one of `title`, `date`";
        let hint = unknown_field_hint(msg).unwrap();
        assert!(hint.starts_with("did you mean `title`?"), "{hint}");
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["title", "description", "date"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::error("content/a.md", "bad value")
            .at("x: 1\ntitle: [\n", 2, 8)
            .with_help("close the list");
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:8"), "{text}");
        assert!(text.contains("title: ["), "{text}");
        assert!(text.contains("close the list"), "{text}");
    }
}
