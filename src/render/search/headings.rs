//! Headings as the search index sees them: the heading's own text, without what the theme
//! adds inside it for screen readers or decoration (the `#` anchor link and its hidden label).
//!
//! Pagefind titles each sub-result with the text of its heading. Text inside an element
//! marked `data-pagefind-ignore` used to be read into that title, so every sub-result came
//! out as "… #Link to this section" (issue #25); the patched Pagefind in `vendor/pagefind/`
//! leaves it out. What a theme hides from screen readers (decoration such as a `#`) or shows
//! only to them (the `visually-hidden` class) is not the heading's words either: those are
//! handed to Pagefind as selectors to skip, so the page is parsed once, by Pagefind alone.
//! The page itself keeps all of them.

/// The elements inside a heading that are not the heading's own words, as Pagefind's
/// `exclude_selectors` (one selector each: Pagefind scopes each to its root element).
pub(super) fn not_the_heading_text() -> Vec<String> {
    let mut selectors = Vec::new();
    for level in 1..=6 {
        for inside in ["[aria-hidden=true]", ".visually-hidden"] {
            selectors.push(format!("h{level} {inside}"));
        }
    }
    selectors
}
