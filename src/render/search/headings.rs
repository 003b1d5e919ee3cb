//! Headings as the search index sees them: the heading's own text, without what the theme
//! adds inside it for screen readers or decoration (the `#` anchor link and its hidden label).
//!
//! Pagefind titles each sub-result with the text of its heading. It skips an element marked
//! `data-pagefind-ignore` in the page's text, but not in a heading's: the children of an
//! ignored element are read again (only `data-pagefind-ignore="all"` reaches them), so
//! every sub-result came out as "… #Link to this section" (issue #25). The copy of the page
//! handed to Pagefind drops those elements; the page itself keeps them.

use lol_html::{HtmlRewriter, Settings, element};

/// Inside a heading, what is not the heading's own words: elements Pagefind is told to skip,
/// elements hidden from screen readers (decoration such as the anchor's `#`), and text shown
/// only to screen readers (the theme's `visually-hidden` class).
const NOT_THE_HEADING_TEXT: &str = "h1 [data-pagefind-ignore], h2 [data-pagefind-ignore], \
     h3 [data-pagefind-ignore], h4 [data-pagefind-ignore], h5 [data-pagefind-ignore], \
     h6 [data-pagefind-ignore], \
     h1 [aria-hidden=true], h2 [aria-hidden=true], h3 [aria-hidden=true], \
     h4 [aria-hidden=true], h5 [aria-hidden=true], h6 [aria-hidden=true], \
     h1 .visually-hidden, h2 .visually-hidden, h3 .visually-hidden, \
     h4 .visually-hidden, h5 .visually-hidden, h6 .visually-hidden";

/// The markers of [`NOT_THE_HEADING_TEXT`]: a page with none of them is handed over as is,
/// without a second parse.
const MARKERS: [&str; 3] = ["data-pagefind-ignore", "aria-hidden", "visually-hidden"];

/// `html` without the elements inside its headings that are not the heading's own words.
pub(super) fn strip_heading_extras(html: String) -> Result<String, String> {
    if !MARKERS.iter().any(|m| html.contains(m)) {
        return Ok(html);
    }
    let mut out = Vec::with_capacity(html.len());
    let mut rewriter = HtmlRewriter::new(
        Settings::new().append_element_content_handler(element!(NOT_THE_HEADING_TEXT, |el| {
            el.remove();
            Ok(())
        })),
        |chunk: &[u8]| out.extend_from_slice(chunk),
    );
    rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end())
        .map_err(|e| format!("cannot read the page's headings: {e}"))?;
    // lol_html passes the input through byte for byte, less what was removed.
    String::from_utf8(out).map_err(|e| format!("cannot read the page's headings: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(html: &str) -> String {
        strip_heading_extras(html.to_string()).unwrap()
    }

    #[test]
    fn drops_the_anchor_link_and_hidden_labels_inside_headings() {
        let html = "<h2 id=\"a\">Say <em>it</em> <a class=\"anchor\" href=\"#a\" data-pagefind-ignore>\
                    <span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a></h2>";
        assert_eq!(strip(html), "<h2 id=\"a\">Say <em>it</em> </h2>");
        let html = "<h3 id=\"b\"><span aria-hidden=\"true\">§</span> Rest<span class=\"note visually-hidden\"> (new)</span></h3>";
        assert_eq!(strip(html), "<h3 id=\"b\"> Rest</h3>");
    }

    #[test]
    fn leaves_everything_outside_headings() {
        let html = "<p>Text <span aria-hidden=\"true\">*</span></p>\
                    <nav data-pagefind-ignore><h2>On this page</h2></nav>\
                    <span class=\"visually-hidden\">Opens a PDF</span>";
        assert_eq!(strip(html), html);
        let plain = "<h2 id=\"c\">Plain <code>heading</code> — ñandú</h2>";
        assert_eq!(strip(plain), plain);
    }
}
