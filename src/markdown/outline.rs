//! A page's outline and length, learned event by event while its body is parsed:
//! headings with unique ids (and warnings for skipped levels) and the word count. Shared
//! by articles (`markdown::render`) and worksheets, so both name and count the same way.

use std::collections::HashMap;

use pulldown_cmark::HeadingLevel;

use super::{Heading, MarkdownIssue, Rendered};

/// The outline and word count of one page body so far.
#[derive(Default)]
pub(crate) struct Outline {
    open: Option<OpenHeading>,
    last_level: u8,
    ids: HashMap<String, usize>,
}

struct OpenHeading {
    custom_id: Option<String>,
    offset: usize,
    text: String,
}

impl Outline {
    pub(crate) fn open_heading(&mut self, custom_id: Option<&str>, offset: usize) {
        self.open = Some(OpenHeading {
            custom_id: custom_id.map(str::to_string),
            offset,
            text: String::new(),
        });
    }

    /// Counts the words of a text or code event, and adds it to the open heading's title.
    pub(crate) fn text(&mut self, text: &str, out: &mut Rendered) {
        out.word_count += count_words(text);
        if let Some(h) = self.open.as_mut() {
            h.text.push_str(text);
        }
    }

    /// Closes the open heading: gives it its unique id and adds it to `out.headings`.
    pub(crate) fn close_heading<'o>(
        &mut self,
        level: HeadingLevel,
        out: &'o mut Rendered,
    ) -> Option<&'o Heading> {
        let h = self.open.take()?;
        let id = self.unique_id(h.custom_id.unwrap_or_else(|| slug::slugify(&h.text)));
        let n = level as u8;
        check_heading_level(out, self.last_level, n, h.offset);
        self.last_level = n;
        out.headings.push(Heading {
            level: n,
            id,
            title: h.text,
            offset: h.offset,
        });
        out.headings.last()
    }

    /// Makes heading ids unique within the page: `intro`, `intro-1`, `intro-2`.
    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}-{}", *n - 1)
        }
    }
}

/// Words in `text`, as `split_whitespace` counts them. Counted as the places where a space
/// is followed by something else, a byte at a time in short runs with a small counter,
/// which the compiler turns into vector instructions: three times faster than decoding
/// characters. The bytes of other characters (curly quotes, dashes, accents) are never
/// ASCII spaces, so only text with a space from outside ASCII needs decoding.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() && has_wide_space(text.as_bytes()) {
        return text.split_whitespace().count();
    }
    // `char::is_whitespace` on ASCII: space, and tab to carriage return.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let mut words = 0;
    let mut after_space = true;
    for run in text.as_bytes().chunks(32) {
        let mut starts = 0u8;
        for &b in run {
            let is_space = space(b);
            starts += u8::from(after_space & !is_space);
            after_space = is_space;
        }
        words += usize::from(starts);
    }
    words
}

/// Whether UTF-8 `bytes` hold one of the characters beyond ASCII that `char::is_whitespace`
/// counts: U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F and
/// U+3000 (Unicode's White_Space), found by their first bytes.
fn has_wide_space(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(|i| match (bytes[i], at(i + 1), at(i + 2)) {
            (0xC2, second, _) => matches!(second, 0x85 | 0xA0),
            (0xE1, 0x9A, 0x80) | (0xE3, 0x80, 0x80) | (0xE2, 0x81, 0x9F) => true,
            (0xE2, 0x80, third) => matches!(third, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            _ => false,
        })
}

fn check_heading_level(out: &mut Rendered, previous: u8, level: u8, offset: usize) {
    // The page title is the h1, so the body starts at h2.
    let previous = previous.max(1);
    if level > previous + 1 {
        out.issues.push(MarkdownIssue {
            offset,
            error: false,
            message: format!("heading level skipped: h{level} follows h{previous}"),
            help: format!(
                "use {} so screen-reader users can follow the outline",
                "#".repeat(previous as usize + 1)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            "  two words ",
            "tab\tand\nnewline\r\nand\x0Bvertical\x0Cfeed",
            "non\u{a0}breaking space and caf\u{e9}",
            "\u{2003}em space",
            "curly \u{201c}quotes\u{201d}\u{2014}and dashes",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        // Every character up to U+3100 (past the last space outside ASCII), between words.
        for c in ('\u{80}'..'\u{3100}').chain(['\u{3000}']) {
            let text = format!("a{c}b \u{2019}{c}{c}c");
            assert_eq!(
                count_words(&text),
                text.split_whitespace().count(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
