//! The Markdown pipeline with link resolution: the input is the body of an article in a
//! tiny site on disk, loaded the way `hearth build` loads it (read, front matter, render,
//! `@/` link resolution, references), so links to the other pages and their headings
//! resolve or fail as they would for a practice.

#![no_main]

mod common;
#[path = "../markdown_site.rs"]
mod markdown_site;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hearth::internals::config::Config;
use hearth::internals::content::load::{self, LoadOptions};
use hearth::internals::markdown::{self, LINK_OPEN, MarkdownInput};
use libfuzzer_sys::fuzz_target;
use markdown_site::{FRONT, FUZZ_PAGE, PAGES, SITE_TOML};

/// A site folder made once per process; each input overwrites only the fuzzed article.
fn site() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("hearth-fuzz-site-{}", std::process::id()));
        for (rel, text) in PAGES {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
            std::fs::write(path, text).expect("write a fixture page");
        }
        root
    })
}

fn config() -> Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            Config::parse(SITE_TOML, Path::new("site.toml")).expect("a valid site.toml")
        })
        .clone()
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    let mut file = FRONT.as_bytes().to_vec();
    file.extend_from_slice(data);
    std::fs::write(root.join(FUZZ_PAGE), &file).expect("write the fuzzed page");

    // The renderer on its own, as for a page that is not a bundle.
    if let Ok(body) = std::str::from_utf8(data) {
        let rendered = markdown::render(&MarkdownInput {
            text: body,
            relative_base: Some("/articles/"),
        });
        for issue in &rendered.issues {
            assert!(issue.offset <= body.len(), "{issue:?}");
        }
        for link in &rendered.links {
            assert!(link.offset <= body.len(), "{link:?}");
        }
    }

    let options = LoadOptions {
        drafts: false,
        today: jiff::civil::date(2026, 1, 1),
    };
    let source = String::from_utf8_lossy(&file);
    let check_all = |diags: &[hearth::diagnostics::Diagnostic]| {
        for d in diags {
            if d.path == Path::new(FUZZ_PAGE) {
                common::check_diagnostic(d, &source);
            } else if let Some(text) = PAGES.iter().find(|(rel, _)| d.path == Path::new(rel)) {
                common::check_diagnostic(d, text.1);
            }
        }
    };
    match load::load(root, config(), &options, None) {
        Ok((site, warnings)) => {
            check_all(&warnings);
            let page = site
                .pages
                .iter()
                .find(|p| p.rel == "articles/fuzz.md")
                .expect("the fuzzed page is loaded");
            // Every placeholder was replaced, unless the text itself spelled one out
            // (directly, or through an entity or a percent escape).
            if !source.contains("5b0f") && !source.contains(['&', '%', '\\']) {
                assert!(
                    !page.rendered.html.contains(LINK_OPEN),
                    "a link placeholder survived: {}",
                    page.rendered.html
                );
            }
            let _ = page.rendered.toc();
        }
        Err(diags) => {
            assert!(
                diags.iter().any(|d| d.is_error()),
                "failed without an error"
            );
            check_all(&diags);
        }
    }
});
