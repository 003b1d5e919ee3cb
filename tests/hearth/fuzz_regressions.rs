//! Inputs that once crashed (or hung) a fuzz target, and hand-written hard ones, kept under
//! `tests/fuzz_regressions/<target>/` and fed to the same function the target calls, with
//! the target's own checks (see `fuzz/` and README "Fuzzing"). Each must return, with a
//! result or a located diagnostic, instead of panicking, and within the fuzzers' timeout of
//! 10 seconds. The `privacy_reader` target's are pages that the privacy gate's reader read
//! wrong: beside each `NAME.html`, `NAME.loads` lists what a browser loads from it, one URL
//! a line.
//!
//! Every target in `fuzz/fuzz_targets/` must have a folder here with at least one input and
//! a test below that replays it: a missing or empty folder fails, so a renamed folder or a
//! new target cannot pass by replaying nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hearth::diagnostics::Diagnostic;
use hearth::internals::config::Config;
use hearth::internals::content::front_matter;
use hearth::internals::content::load::{self, LoadOptions, parse_page_front};
use hearth::internals::content::{Kind, SectionFront};
use hearth::internals::markdown::{self, LINK_OPEN, MarkdownInput};
use hearth::internals::privacy;

// The checks the targets make of a diagnostic, from the fuzz crate itself.
#[path = "../../fuzz/fuzz_targets/common/mod.rs"]
mod common;
// The site the `markdown_links` target loads, from the fuzz crate itself.
#[path = "../../fuzz/markdown_site.rs"]
mod markdown_site;

/// The targets this file replays, each by a test below.
const REPLAYED: [&str; 6] = [
    "front_matter",
    "hours",
    "markdown_links",
    "privacy_reader",
    "site_toml",
    "worksheet",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn regressions_dir() -> PathBuf {
    manifest_dir().join("tests/fuzz_regressions")
}

/// The saved inputs of one target, sorted. Panics when the target's folder is missing or
/// holds no file: a test that replays nothing would pass whatever the target does.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    inputs_in(&regressions_dir(), target)
}

/// [`inputs`] from the folders under `regressions`.
fn inputs_in(regressions: &Path, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = regressions.join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: the regression inputs of fuzz target `{target}` are missing ({e}); \
             add at least one input there",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    assert!(
        !files.is_empty(),
        "{}: fuzz target `{target}` has no regression inputs; add at least one",
        dir.display()
    );
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a readable regression input");
            (p, bytes)
        })
        .collect()
}

/// The fuzzers count an input that runs this long as a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

fn assert_in_time(started: Instant, input: &Path) {
    let took = started.elapsed();
    assert!(took < TIMEOUT, "{} is slow: {took:?}", input.display());
}

/// The names of the fuzz targets, from the files in `fuzz/fuzz_targets/`.
fn fuzz_targets() -> BTreeSet<String> {
    let dir = manifest_dir().join("fuzz/fuzz_targets");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            p.file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn every_fuzz_target_has_regression_inputs_and_a_replay() {
    let targets = fuzz_targets();
    assert!(
        targets.len() >= REPLAYED.len(),
        "found only {targets:?} in fuzz/fuzz_targets/"
    );
    for target in &targets {
        // Panics with the folder's name when it is missing or empty.
        inputs(target);
    }
    let replayed: BTreeSet<String> = REPLAYED.iter().map(|t| t.to_string()).collect();
    assert_eq!(
        targets, replayed,
        "every fuzz target needs a test in tests/hearth/fuzz_regressions.rs that replays \
         its inputs (and its name in REPLAYED), and every replayed target a file in \
         fuzz/fuzz_targets/"
    );
    // A folder named after no target (a typo, a renamed target) would never be replayed.
    let folders: BTreeSet<String> = std::fs::read_dir(regressions_dir())
        .expect("tests/fuzz_regressions")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            p.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        folders, targets,
        "tests/fuzz_regressions/ has a folder per target, no more"
    );
}

#[test]
#[should_panic(expected = "tests/fuzz_regressions/no_such_target: the regression inputs")]
fn a_target_without_a_regression_folder_fails() {
    inputs("no_such_target");
}

#[test]
#[should_panic(expected = "fuzz target `hours` has no regression inputs")]
fn a_target_with_an_empty_regression_folder_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder, even one holding only folders, is no input.
    std::fs::create_dir_all(dir.path().join("hours/sub")).expect("mkdir");
    inputs_in(dir.path(), "hours");
}

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
                common::check_diagnostic(&d, source);
                continue;
            }
        };
        assert!(split.yaml_offset <= split.body_offset && split.body_offset <= source.len());
        assert_eq!(
            &source[split.yaml_offset..split.yaml_offset + split.yaml.len()],
            split.yaml
        );
        assert_eq!(&source[split.body_offset..], split.body);
        for kind in Kind::ALL {
            if let Err(d) = parse_page_front(kind, source, &split, path) {
                common::check_diagnostic(&d, source);
            }
        }
        if let Err(d) = front_matter::parse::<SectionFront>(source, &split, path) {
            common::check_diagnostic(&d, source);
        }
        assert_in_time(started, &input);
    }
}

#[test]
fn markdown_links_inputs() {
    let cases = inputs("markdown_links");
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
        let started = Instant::now();
        let mut file = markdown_site::FRONT.as_bytes().to_vec();
        file.extend_from_slice(&bytes);
        std::fs::write(root.join(markdown_site::FUZZ_PAGE), &file).expect("write");
        let source = String::from_utf8_lossy(&file);

        // The renderer on its own, as for a page that is not a bundle.
        if let Ok(body) = std::str::from_utf8(&bytes) {
            let rendered = markdown::render(&MarkdownInput {
                text: body,
                relative_base: Some("/articles/"),
            });
            for issue in &rendered.issues {
                assert!(issue.offset <= body.len(), "{}: {issue:?}", input.display());
            }
            for link in &rendered.links {
                assert!(link.offset <= body.len(), "{}: {link:?}", input.display());
            }
        }

        let check_all = |diags: &[Diagnostic]| {
            for d in diags {
                if d.path == Path::new(markdown_site::FUZZ_PAGE) {
                    common::check_diagnostic(d, &source);
                } else if let Some((_, text)) = markdown_site::PAGES
                    .iter()
                    .find(|(rel, _)| d.path == Path::new(rel))
                {
                    common::check_diagnostic(d, text);
                }
            }
        };
        match load::load(root, config.clone(), &options, None) {
            Ok((site, warnings)) => {
                check_all(&warnings);
                let page = site
                    .pages
                    .iter()
                    .find(|p| p.rel == "articles/fuzz.md")
                    .unwrap_or_else(|| panic!("{}: the page is not loaded", input.display()));
                // As the target: every placeholder was replaced, unless the text itself
                // spelled one out (directly, or through an entity or a percent escape).
                if !source.contains("5b0f") && !source.contains(['&', '%', '\\']) {
                    assert!(
                        !page.rendered.html.contains(LINK_OPEN),
                        "{}: a link placeholder survived: {}",
                        input.display(),
                        page.rendered.html
                    );
                }
                let _ = page.rendered.toc();
            }
            Err(diags) => {
                assert!(
                    diags.iter().any(Diagnostic::is_error),
                    "{}: failed without an error",
                    input.display()
                );
                check_all(&diags);
            }
        }
        assert_in_time(started, &input);
    }
}

#[test]
fn worksheet_inputs() {
    for (input, bytes) in inputs("worksheet") {
        let Ok(body) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let started = Instant::now();
        common::check_worksheet(body);
        assert_in_time(started, &input);
    }
}

#[test]
fn site_toml_inputs() {
    for (input, bytes) in inputs("site_toml") {
        let Ok(source) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let started = Instant::now();
        match Config::parse(source, Path::new("site.toml")) {
            Ok(config) => {
                let _ = config.base();
                let _ = config.privacy.content_security_policy();
            }
            Err(problems) => {
                assert!(
                    !problems.is_empty(),
                    "{}: an error without a diagnostic",
                    input.display()
                );
                for d in &problems {
                    common::check_diagnostic(d, source);
                }
            }
        }
        assert_in_time(started, &input);
    }
}

#[test]
fn hours_inputs() {
    for (input, bytes) in inputs("hours") {
        let Ok(spec) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let started = Instant::now();
        // The panic message names the rule; the input is printed first.
        eprintln!("{}", input.display());
        common::check_hours(spec);
        assert_in_time(started, &input);
    }
}

#[test]
fn privacy_reader_inputs() {
    let files = inputs("privacy_reader");
    let is = |p: &Path, ext: &str| p.extension().is_some_and(|e| e == ext);
    let pages: Vec<&(PathBuf, Vec<u8>)> = files.iter().filter(|(p, _)| is(p, "html")).collect();
    assert!(
        !pages.is_empty(),
        "tests/fuzz_regressions/privacy_reader/ has no NAME.html page"
    );
    // A list without its page (say, after a rename) would never be checked.
    for (path, _) in &files {
        assert!(
            is(path, "html") || (is(path, "loads") && path.with_extension("html").is_file()),
            "{}: privacy_reader inputs are NAME.html pages, each with a NAME.loads beside it",
            path.display()
        );
    }
    for (input, bytes) in pages {
        let list = input.with_extension("loads");
        let expected =
            std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("{}: {e}", list.display()));
        let started = Instant::now();
        let found = privacy::loads(bytes);
        // Each URL as often as the list has it; the reader may find more.
        let mut left = found.clone();
        for url in expected.lines() {
            let Some(i) = left.iter().position(|f| f == url) else {
                panic!("{}: misses {url:?} (found {found:?})", input.display());
            };
            left.swap_remove(i);
        }
        assert_in_time(started, input);
    }
}
