//! The small site the `markdown_links` fuzz target loads, shared with the test that
//! replays its saved inputs (`tests/hearth/fuzz_regressions.rs`), so both run an input in
//! the same site.

pub const SITE_TOML: &str = "title = \"Fuzz Practice\"\nbase_url = \"https://fuzz.example\"\n";
/// The front matter put before each input, which becomes the article's body.
pub const FRONT: &str = "---\ntitle: Fuzzed\ndate: 2025-01-02\ntopics: [fuzz]\n---\n";
pub const FUZZ_PAGE: &str = "content/articles/fuzz.md";

/// The fixed pages around the fuzzed one: targets with headings, sections, a link back.
pub const PAGES: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome. Read [the new article](@/articles/fuzz.md).\n",
    ),
    (
        "content/about.md",
        "---\ntitle: About\n---\n## Who we are\n\n### Our room {#room}\n\nText.\n",
    ),
    (
        "content/articles/_index.md",
        "---\ntitle: Articles\nkind: articles\n---\nAll [about us](@/about.md#room).\n",
    ),
    (
        "content/articles/other.md",
        "---\ntitle: Other\ndate: 2025-01-01\n---\n## First steps\n\n## First steps\n\nSee [it](@/articles/fuzz.md).\n",
    ),
];
