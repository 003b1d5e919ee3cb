//! Inputs that once crashed (or hung) a fuzz target, kept under
//! `tests/fuzz_regressions/<target>/` and fed to the same function the target calls
//! (see `fuzz/` and README "Fuzzing"). Each must return, with a result or a located
//! diagnostic, instead of panicking, and within the fuzzers' timeout of 10 seconds. The
//! `privacy_reader` target's are pages that the privacy gate's reader read wrong: beside
//! each `NAME.html`, `NAME.loads` lists what a browser loads from it, one URL a line.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hearth::config::Config;
use hearth::content::front_matter;
use hearth::content::load::{self, LoadOptions, parse_page_front};
use hearth::content::{Kind, SectionFront, hours, worksheet};
use hearth::diagnostics::Diagnostic;
use hearth::privacy;

// The site the `markdown_links` target loads, from the fuzz crate itself.
#[path = "../../fuzz/markdown_site.rs"]
mod markdown_site;

/// The saved inputs of one target, sorted; none when the target never crashed.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a readable regression input");
            (p, bytes)
        })
        .collect()
}

/// The diagnostic points at a line that exists in `source` and renders.
fn assert_located(d: &Diagnostic, source: &str, input: &Path) {
    if let Some(line) = d.line {
        let lines = source.matches('\n').count() + 1;
        assert!(
            (1..=lines).contains(&(line as usize)),
            "{}: line {line} is outside a {lines}-line input: {d}",
            input.display()
        );
    }
    assert!(!d.render(false).is_empty());
}

/// The fuzzers count an input that runs this long as a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

#[test]
fn front_matter_inputs() {
    for (input, bytes) in inputs("front_matter") {
        let Ok(source) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let started = Instant::now();
        let path = Path::new("content/fuzz.md");
        let split = match front_matter::split(source, path) {
            Ok(split) => split,
            Err(d) => {
                assert_located(&d, source, &input);
                continue;
            }
        };
        for kind in Kind::ALL {
            if let Err(d) = parse_page_front(kind, source, &split, path) {
                assert_located(&d, source, &input);
            }
        }
        if let Err(d) = front_matter::parse::<SectionFront>(source, &split, path) {
            assert_located(&d, source, &input);
        }
        assert!(started.elapsed() < TIMEOUT, "{} is slow", input.display());
    }
}

#[test]
fn markdown_links_inputs() {
    let cases = inputs("markdown_links");
    if cases.is_empty() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    for (rel, text) in markdown_site::PAGES {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let config =
        Config::parse(markdown_site::SITE_TOML, Path::new("site.toml")).expect("site.toml");
    let options = LoadOptions {
        drafts: false,
        today: jiff::civil::date(2026, 1, 1),
    };
    for (input, bytes) in cases {
        let mut file = markdown_site::FRONT.as_bytes().to_vec();
        file.extend_from_slice(&bytes);
        std::fs::write(root.join(markdown_site::FUZZ_PAGE), &file).expect("write");
        let source = String::from_utf8_lossy(&file);
        let diags = match load::load(root, config.clone(), &options, None) {
            Ok((_, warnings)) => warnings,
            Err(errors) => errors,
        };
        for d in diags
            .iter()
            .filter(|d| d.path == Path::new(markdown_site::FUZZ_PAGE))
        {
            assert_located(d, &source, &input);
        }
    }
}

#[test]
fn worksheet_inputs() {
    let resolve = |target: &str| (target == "articles/a.md").then(|| "/articles/a/".to_string());
    for (input, bytes) in inputs("worksheet") {
        let Ok(body) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match worksheet::parse(body, &resolve) {
            Ok(sheet) => {
                let _ = worksheet::to_html(&sheet);
            }
            Err(issues) => {
                for issue in issues {
                    assert!(
                        body.is_char_boundary(issue.offset),
                        "{}: {issue:?}",
                        input.display()
                    );
                }
            }
        }
    }
}

#[test]
fn site_toml_inputs() {
    for (input, bytes) in inputs("site_toml") {
        let Ok(source) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Err(problems) = Config::parse(source, Path::new("site.toml")) {
            for d in &problems {
                assert_located(d, source, &input);
            }
        }
    }
}

#[test]
fn hours_inputs() {
    for (input, bytes) in inputs("hours") {
        let Ok(spec) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Err(e) = hours::parse(spec) {
            assert!(
                spec.is_char_boundary(e.offset),
                "{}: {e:?}",
                input.display()
            );
        }
        let lines: Vec<&str> = spec.split('\n').collect();
        if let Err((line, e)) = hours::parse_lines(&lines) {
            assert!(
                lines[line].is_char_boundary(e.offset),
                "{}: {e:?}",
                input.display()
            );
        }
    }
}

#[test]
fn privacy_reader_inputs() {
    for (input, bytes) in inputs("privacy_reader") {
        if input.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let list = input.with_extension("loads");
        let expected =
            std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("{}: {e}", list.display()));
        let found = privacy::loads(&bytes);
        // Each URL as often as the list has it; the reader may find more.
        let mut left = found.clone();
        for url in expected.lines() {
            let Some(i) = left.iter().position(|f| f == url) else {
                panic!("{}: misses {url:?} (found {found:?})", input.display());
            };
            left.swap_remove(i);
        }
    }
}
