//! Splits `---` YAML front matter from a Markdown file and deserialises it, keeping line
//! numbers counted from the top of the file so every error points at the right place.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, unknown_field_hint};

/// A source file cut into its front matter and its Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Byte offset of the YAML text in the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Cuts `source` at its `---` fences. Accepts a BOM and CRLF line endings.
pub fn split<'a>(source: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[bom..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        let message = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with front matter"
        };
        return Err(Diagnostic::error(path, message).at(source, 1, 1).with_help(
            "start the file with a `---` line, then `title: Your title`, then another `---` line",
        ));
    }
    let yaml_offset = bom + first_line_end;
    let mut offset = yaml_offset;
    for line in source[yaml_offset..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &source[yaml_offset..offset],
                yaml_offset,
                body: &source[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "the front matter is never closed")
        .at(source, 1, 1)
        .with_help("add a line with only `---` after the last front-matter key"))
}

/// How many `[` and `{` may be open at once in front matter. yaml_serde refuses more than
/// 128 levels anyway, but only after libyaml has scanned them all, and libyaml's scanner
/// slows down with the square of the depth: a line of 16 000 `[` took two seconds (a
/// hand-made input timed out the front_matter fuzz target). Brackets are counted without
/// regard to quotes, so brackets in text count too; no real front matter leaves 256 open.
const MAX_OPEN_BRACKETS: usize = 256;

/// Byte offset in `yaml` of the bracket that opens one level too many, if any does.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut open = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                open += 1;
                if open > MAX_OPEN_BRACKETS {
                    return Some(i);
                }
            }
            b']' | b'}' => open = open.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Deserialises the front matter of `split` into `T`, with positions in `source`.
pub fn parse<T: DeserializeOwned>(
    source: &str,
    split: &Split<'_>,
    path: &Path,
) -> Result<T, Diagnostic> {
    if let Some(at) = too_deep(split.yaml) {
        return Err(
            Diagnostic::error(path, "lists or maps are nested too deeply here")
                .at_offset(source, split.yaml_offset + at)
                .with_help(format!(
                    "front matter may have at most {MAX_OPEN_BRACKETS} `[` or `{{` open at once; \
                     close the brackets you opened"
                )),
        );
    }
    // An empty block is an empty map, so a missing `title` gets its own clear message.
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e, source, split, path))
}

fn yaml_error(e: &serde_yaml::Error, source: &str, split: &Split<'_>, path: &Path) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line N column M" with positions inside the YAML block; we
    // report positions in the whole file instead.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let mut message = message.trim_end_matches(':').trim().to_string();
    if message.contains("found character that cannot start any token") && split.yaml.contains('\t')
    {
        message = "a tab character is not allowed in YAML front matter".into();
    }
    let mut d = Diagnostic::error(path, message.clone());
    // The position comes from libyaml's byte index, not its line and column: libyaml also
    // breaks lines at a lone `\r` (and at NEL, LS and PS), where the rest of hearth counts
    // only `\n`, so its line numbers could point past the end of the file. An empty block
    // was parsed as `{}` (see `parse`), whose index means nothing here.
    let index = e
        .location()
        .filter(|_| !split.yaml.trim().is_empty())
        .map_or(0, |loc| loc.index().min(split.yaml.len()));
    d = d.at_offset(source, split.yaml_offset + index);
    let help = unknown_field_hint(&message).or_else(|| {
        if message.contains("tab character") {
            Some("indent with spaces, not tabs".into())
        } else if message.starts_with("missing field `title`") {
            Some("add a line `title: Your title` between the `---` lines".into())
        } else if message.contains("missing field") {
            Some("add the missing key to the front matter".into())
        } else if message.contains("invalid type") {
            Some("check the value's form: text, a number, a date like 2026-03-14, or a list in [brackets]".into())
        } else {
            None
        }
    });
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Front {
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        topics: Vec<String>,
    }

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_front_matter_and_body() {
        let src = "---\ntitle: Hi\n---\nBody\n";
        let s = split(src, p()).unwrap();
        assert_eq!(s.yaml, "title: Hi\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, src.find("Body").unwrap());
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let src = "\u{feff}---\r\ntitle: Hi\r\n---\r\nBody\r\n";
        let s = split(src, p()).unwrap();
        let f: Front = parse(src, &s, p()).unwrap();
        assert_eq!(f.title, "Hi");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn missing_fence_is_an_error() {
        assert!(
            split("title: x\n", p())
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(split("", p()).unwrap_err().message.contains("empty"));
        assert!(
            split("---\ntitle: x\n", p())
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn yaml_error_positions_count_from_top_of_file() {
        let src = "---\ntitle: Hi\ntopics: [a, b\n---\n";
        let s = split(src, p()).unwrap();
        let err = parse::<Front>(src, &s, p()).unwrap_err();
        assert!(err.line.unwrap() >= 3, "{err:?}");
    }

    #[test]
    fn unknown_key_is_located_with_hint() {
        let src = "---\ntitle: Hi\ntopcs: [a]\n---\n";
        let s = split(src, p()).unwrap();
        let err = parse::<Front>(src, &s, p()).unwrap_err();
        assert_eq!((err.line, err.col), (Some(3), Some(1)), "{err:?}");
        assert!(err.help.unwrap().starts_with("did you mean `topics`?"));
    }

    #[test]
    fn carriage_returns_alone_do_not_push_the_line_past_the_file() {
        // libyaml counts each lone `\r` as a line; found by the front_matter fuzz target.
        let src = "---\ntitle:\r\r\r\r\rz\r A\n---\n";
        let s = split(src, p()).unwrap();
        let err = parse::<Front>(src, &s, p()).unwrap_err();
        // libyaml notices the missing `:` where the block ends, before the closing fence.
        assert!(matches!(err.line, Some(2 | 3)), "{err:?}");
        assert!(err.source_line.is_some(), "{err:?}");
    }

    #[test]
    fn deeply_nested_brackets_are_refused_before_parsing() {
        let n = 20_000;
        let src = format!(
            "---\ntitle: Hi\ntopics: {}{}\n---\n",
            "[".repeat(n),
            "]".repeat(n)
        );
        let s = split(&src, p()).unwrap();
        let started = std::time::Instant::now();
        let err = parse::<Front>(&src, &s, p()).unwrap_err();
        assert!(started.elapsed().as_secs() < 1, "{:?}", started.elapsed());
        assert!(err.message.contains("nested too deeply"), "{err:?}");
        assert_eq!(err.line, Some(3), "{err:?}");
        // Brackets that close again do not add up.
        let src = format!("---\ntitle: Hi\ntopics: [{}]\n---\n", "[a], ".repeat(300));
        let s = split(&src, p()).unwrap();
        assert!(parse::<Front>(&src, &s, p()).is_err_and(|e| !e.message.contains("deeply")));
    }

    #[test]
    fn tabs_get_a_plain_message() {
        let src = "---\ntitle: Hi\n\ttopics: [a]\n---\n";
        let s = split(src, p()).unwrap();
        let err = parse::<Front>(src, &s, p()).unwrap_err();
        assert!(err.message.contains("tab"), "{err:?}");
    }

    #[test]
    fn missing_title_says_how_to_fix() {
        let src = "---\n---\nbody";
        let s = split(src, p()).unwrap();
        let err = parse::<Front>(src, &s, p()).unwrap_err();
        assert!(err.message.contains("missing field `title`"), "{err:?}");
        assert!(err.help.unwrap().contains("title:"));
    }
}
