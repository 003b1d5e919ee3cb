//! The search index as a reader meets it: Pagefind's fragments, decoded from a built site.

use std::io::Read;

use crate::support::{Fixture, article};

/// Every page's fragment in `public/pagefind/fragment/`: gunzipped, its `pagefind_dcd`
/// signature stripped, parsed. The test fails if there are none.
fn fragments(site: &Fixture) -> Vec<serde_json::Value> {
    let folder = site.path("public/pagefind/fragment");
    let mut fragments = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("the fragment folder") {
        let path = entry.expect("entry").path();
        assert!(
            path.extension().is_some_and(|e| e == "pf_fragment"),
            "{path:?}"
        );
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(std::fs::read(&path).expect("fragment").as_slice())
            .read_to_end(&mut json)
            .expect("gzip");
        let json = json
            .strip_prefix(b"pagefind_dcd")
            .expect("the pagefind_dcd signature");
        fragments.push(serde_json::from_slice(json).expect("fragment JSON"));
    }
    assert!(!fragments.is_empty(), "no fragments in {folder:?}");
    fragments
}

/// Issue #25: sub-results were titled "The promise to reconnect #Link to this section",
/// because the heading anchor's hidden label was read as part of the heading.
#[test]
fn sub_result_titles_are_the_headings_own_text() {
    let site = Fixture::hub();
    site.write(
        "content/articles/repair.md",
        &article(
            "Repair after a fight",
            "",
            "Opening words.\n\n\
             ## Finding words together\n\nSome text.\n\n\
             ## Using `pause` before *replying*\n\nMore text.\n\n\
             ### Qué decir — café y calma\n\nTexto.\n\n\
             ## Tom & Jerry's **truce**\n\nThe end.\n",
        ),
    );
    site.write(
        "content/fees.md",
        "---\ntitle: Fees\n---\nWhat a session costs.\n\n## Sliding scale\n\nAsk us.\n\n\
         <h2 id=\"hours\"><span aria-hidden=\"true\">§</span> Office hours\
         <span class=\"visually-hidden\"> (updated)</span></h2>\n\nMornings.\n",
    );
    site.build_ok();
    let headings = [
        "Finding words together",
        "Using pause before replying",
        "Qué decir — café y calma",
        // Markdown's smart punctuation makes the apostrophe typographic.
        "Tom & Jerry’s truce",
        "Sliding scale",
        // A heading written in HTML: its decoration and its screen-reader text are left out.
        "Office hours",
    ];

    // The page keeps its anchors, with the label screen readers announce.
    let page = site.html("public/articles/repair/index.html");
    assert_eq!(page.texts("main h2 a.anchor .visually-hidden").len(), 3);
    assert!(
        page.text("main h3 a.anchor")
            .contains("Link to this section")
    );

    let fragments = fragments(&site);
    let mut titles = Vec::new();
    for fragment in &fragments {
        let text = fragment.to_string();
        assert!(!text.contains("Link to this section"), "{text}");
        assert!(!text.contains("(updated)") && !text.contains('§'), "{text}");
        for anchor in fragment["anchors"].as_array().expect("anchors") {
            let element = anchor["element"].as_str().expect("element");
            if element.len() == 2 && element.starts_with('h') {
                titles.push(anchor["text"].as_str().expect("text").to_string());
            }
        }
    }
    for title in &titles {
        assert!(
            headings.contains(&title.as_str()),
            "sub-result title {title:?}"
        );
    }
    titles.sort();
    let mut expected = headings.map(String::from).to_vec();
    expected.sort();
    assert_eq!(titles, expected);
}
