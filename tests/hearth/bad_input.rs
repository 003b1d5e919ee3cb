//! The bad-input corpus (`tests/bad_input/<case>/`: a site and the expected messages):
//! every case gives a clear diagnostic and exit code 1 (or builds, where it must), never
//! panics, and leaves a previous output untouched. The messages are snapshotted.

use std::path::Path;

use crate::support::Fixture;

/// Copies a corpus site into a temp folder that already has a previous build.
fn prepare(case: &Path) -> Fixture {
    let f = Fixture {
        dir: tempfile::tempdir().expect("temp"),
    };
    let site = case.join("site");
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(&site)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        f.write_bytes(&rel, &std::fs::read(entry.path()).expect("read"));
    }
    f.write("public/.hearth-output", "made by hearth\n");
    f.write("public/previous.html", "the previous build\n");
    f
}

fn check_case(case: &Path, f: &Fixture) -> String {
    let expect = std::fs::read_to_string(case.join("expect.txt")).expect("expect.txt");
    let mut lines = expect.lines();
    let code: i32 = lines
        .next()
        .and_then(|l| l.strip_prefix("exit: "))
        .and_then(|c| c.parse().ok())
        .expect("exit: N");
    let run = f.build();
    let name = case.file_name().expect("name").to_string_lossy();
    assert!(
        !run.stderr.contains("panicked"),
        "{name} panicked:\n{}",
        run.stderr
    );
    assert_eq!(run.code, code, "{name}: exit code\n{}", run.stderr);
    for fragment in lines.filter(|l| !l.is_empty()) {
        assert!(
            run.stderr.contains(fragment),
            "{name}: missing {fragment:?} in:\n{}",
            run.stderr
        );
    }
    if code != 0 {
        assert_eq!(
            f.read("public/previous.html"),
            "the previous build\n",
            "{name}: the previous output changed"
        );
        assert!(
            !f.path("public/index.html").exists(),
            "{name}: a failed build wrote pages"
        );
    }
    run.stderr
}

#[test]
fn every_case_in_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    for case in cases {
        let f = prepare(&case);
        let stderr = check_case(&case, &f);
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(format!("bad_input_{name}"), stderr);
    }
}

#[test]
fn a_50_mb_markdown_file_builds() {
    let f = Fixture::hub();
    let paragraph =
        "A long paragraph about *closeness*, with a [link](https://example.org) and words. "
            .repeat(20);
    let mut body = String::with_capacity(52_000_000);
    let mut n = 0;
    while body.len() < 50_000_000 {
        n += 1;
        body.push_str(&format!("## Part {n}\n\n{paragraph}\n\n- one\n- two\n\n"));
    }
    f.write(
        "content/articles/huge.md",
        &format!("---\ntitle: Huge\ndate: 2024-01-01\n---\n{body}"),
    );
    f.write(
        "site.toml",
        &format!("{}[search]\nenabled = false\n", crate::support::SITE_TOML),
    );
    f.build_ok();
    assert!(
        std::fs::metadata(f.path("public/articles/huge/index.html"))
            .expect("page")
            .len()
            > 50_000_000
    );
}

#[test]
fn lists_and_quotes_nested_100_000_deep_build() {
    let f = Fixture::hub();
    // `- - - x` opens a list inside a list item on one line; `> > >` nests quotes.
    let lists = "- ".repeat(100_000) + "x\n";
    let quotes = "> ".repeat(100_000) + "quote\n";
    f.write(
        "content/articles/deep.md",
        &format!("---\ntitle: Deep\ndate: 2024-01-01\n---\n{lists}\n{quotes}"),
    );
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/worksheets/deep.md",
        &format!("---\ntitle: Deep\n---\n{quotes}"),
    );
    let run = f.build();
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_a_clear_error() {
    let f = prepare(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/bom-works"));
    std::os::unix::fs::symlink(f.path("content"), f.path("content/loop")).expect("symlink");
    f.build().fails_with(&[
        "content/loop",
        "a symbolic link loops back to a folder that contains it",
    ]);
    assert_eq!(f.read("public/previous.html"), "the previous build\n");
}

/// The diagnostic of `stderr` (diagnostics are separated by blank lines) that points at
/// `path` (its `--> path` line, with or without a line and column).
fn diagnostic_about<'a>(stderr: &'a str, path: &str) -> &'a str {
    let arrow = format!("--> {path}");
    let points_at = |l: &str| {
        let l = l.trim_start();
        l == arrow
            || l.strip_prefix(&arrow)
                .is_some_and(|rest| rest.starts_with(':'))
    };
    stderr
        .split("\n\n")
        .find(|d| d.lines().any(points_at))
        .unwrap_or_else(|| panic!("no diagnostic about {path} in:\n{stderr}"))
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let f = prepare(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/bom-works"));
    // Files that cannot be read even by root (CI runs as root): a link to a file that is
    // not there, and a link to itself.
    std::os::unix::fs::symlink("gone.md", f.path("content/dangling.md")).expect("symlink");
    std::os::unix::fs::symlink("looping.md", f.path("content/looping.md")).expect("symlink");
    // And one that only root can read: an extra error when the tests do not run as root.
    f.write("content/secret.md", "---\ntitle: Secret\n---\n");
    std::fs::set_permissions(
        f.path("content/secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    let as_root = std::fs::read(f.path("content/secret.md")).is_ok();

    let run = f.build();
    run.fails_with(&[]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let dangling = diagnostic_about(&run.stderr, "content/dangling.md");
    for fragment in [
        "error: cannot read",
        "symbolic link to gone.md",
        "No such file or directory",
        "help: point the link at a file that exists, or remove it",
    ] {
        assert!(dangling.contains(fragment), "{fragment:?} in:\n{dangling}");
    }
    let looping = diagnostic_about(&run.stderr, "content/looping.md");
    for fragment in [
        "error: cannot read",
        "symbolic link to looping.md",
        "help: point the link at a file that exists, or remove it",
    ] {
        assert!(looping.contains(fragment), "{fragment:?} in:\n{looping}");
    }
    let errors = if as_root {
        assert!(
            !run.stderr.contains("content/secret.md"),
            "root reads it:\n{}",
            run.stderr
        );
        2
    } else {
        let secret = diagnostic_about(&run.stderr, "content/secret.md");
        for fragment in ["error: cannot read", "Permission denied", "permissions"] {
            assert!(secret.contains(fragment), "{fragment:?} in:\n{secret}");
        }
        3
    };
    assert!(
        run.stderr
            .contains(&format!("{errors} errors found; nothing was written.")),
        "{}",
        run.stderr
    );
    assert_eq!(f.read("public/previous.html"), "the previous build\n");
    assert!(!f.path("public/index.html").exists());
}
