//! Symbolic links: a file or folder of the site whose real path leaves the site folder is
//! refused with the link and its target named, nothing of it reaches the output, and the
//! previous build stays as it was; links that stay inside the site are followed.
//!
//! Each refusal has a control beside it: the same file *copied* to the same place is
//! published, so "the secret is not in the output" is a check that could fail.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{Fixture, Run, SITE_TOML, png};

/// What the file outside the site says, looked for in every file of the output.
const SECRET: &str = "SECRET-MARKER-not-for-the-web-4f1c";

/// A folder outside the site holding `secret.txt` and, as a page, `secret.md`.
struct Elsewhere {
    dir: tempfile::TempDir,
}

impl Elsewhere {
    fn new() -> Elsewhere {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("secret.txt"), format!("{SECRET}\n")).expect("write");
        std::fs::write(
            dir.path().join("secret.md"),
            format!("---\ntitle: Secret\ndate: 2024-01-01\n---\n{SECRET}\n"),
        )
        .expect("write");
        Elsewhere { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real path, as the diagnostic shows it (temp folders may sit behind a link).
    fn real(&self, name: &str) -> String {
        std::fs::canonicalize(self.path(name))
            .expect("real path")
            .display()
            .to_string()
    }
}

/// A site with articles and books, and a previous build in `public/`.
fn site() -> Fixture {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2024-02-01\n---\nBody.\n",
    );
    f.write("public/.hearth-output", "made by hearth\n");
    f.write("public/previous.html", "the previous build\n");
    f
}

/// A site whose theme `mine` lives in the site folder.
fn themed_site() -> Fixture {
    let f = site();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[theme]\nname = \"mine\"\n"),
    );
    f.write("themes/mine/templates/.keep", "");
    f
}

fn link(f: &Fixture, target: &Path, rel: &str) {
    let at = f.path(rel);
    std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
    symlink(target, at).expect("symlink");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// The output files (site-relative) that contain the secret, links followed.
fn published_secrets(f: &Fixture) -> Vec<String> {
    walkdir::WalkDir::new(f.path("public"))
        .follow_links(true)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(SECRET))
        })
        .map(|e| {
            e.path()
                .strip_prefix(f.root())
                .expect("inside")
                .display()
                .to_string()
        })
        .collect()
}

/// Every file and folder in the site folder's top level and in `public/`, to show that a
/// refused build left the previous output (and no staging folder) behind.
fn assert_previous_build_untouched(f: &Fixture) {
    assert_eq!(f.read("public/previous.html"), "the previous build\n");
    let mut in_public: Vec<String> = walkdir::WalkDir::new(f.path("public"))
        .min_depth(1)
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    in_public.sort();
    assert_eq!(in_public, [".hearth-output", "previous.html"]);
    let leftovers: Vec<String> = std::fs::read_dir(f.root())
        .expect("read site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("hearth-staging") || name.contains("hearth-old"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// Builds `f`, expecting the link at `link` (site-relative) to `target` to be refused.
fn assert_refused(f: &Fixture, link: &str, target: &str) -> Run {
    let run = f.build();
    run.fails_with(&[
        &format!("`{link}` is a link to {target}, which is outside the site folder"),
        "help: replace the link with a copy of the",
    ]);
    assert!(
        run.stderr.contains(&format!("--> {link}")),
        "the diagnostic is not located at {link}:\n{}",
        run.stderr
    );
    assert_eq!(published_secrets(f), Vec::<String>::new());
    assert_previous_build_untouched(f);
    run
}

/// Asserts the output has the secret in (at least) each of `files`.
fn assert_published(f: &Fixture, files: &[&str]) {
    let published = published_secrets(f);
    for file in files {
        assert!(
            published.iter().any(|p| p == file),
            "{file} does not have the secret; these do: {published:?}"
        );
    }
}

#[test]
fn a_file_copied_into_content_is_published() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    std::fs::copy(
        elsewhere.path("secret.txt"),
        f.path("content/articles/notes.txt"),
    )
    .expect("copy");
    f.build_ok();
    assert_published(&f, &["public/articles/notes.txt"]);
}

#[test]
fn a_file_link_out_of_content_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(
        &f,
        &elsewhere.path("secret.txt"),
        "content/articles/notes.txt",
    );
    assert_refused(
        &f,
        "content/articles/notes.txt",
        &elsewhere.real("secret.txt"),
    );
    // `check` reads the same files, so it refuses the same link.
    f.run(&["check"])
        .fails_with(&["`content/articles/notes.txt` is a link to"]);
}

#[test]
fn a_page_link_out_of_content_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(
        &f,
        &elsewhere.path("secret.md"),
        "content/articles/secret.md",
    );
    assert_refused(
        &f,
        "content/articles/secret.md",
        &elsewhere.real("secret.md"),
    );
}

#[test]
fn a_folder_copied_into_content_is_published() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    copy_dir(elsewhere.dir.path(), &f.path("content/articles/shared"));
    f.build_ok();
    assert_published(
        &f,
        &[
            "public/articles/shared/secret.txt",
            "public/articles/shared/secret/index.html",
        ],
    );
}

#[test]
fn a_folder_link_out_of_content_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(&f, elsewhere.dir.path(), "content/articles/shared");
    let run = assert_refused(&f, "content/articles/shared", &elsewhere.real(""));
    assert!(
        run.stderr.contains("copy of the folder"),
        "the help names a folder:\n{}",
        run.stderr
    );
}

#[test]
fn a_file_copied_into_a_theme_static_folder_is_published() {
    let (f, elsewhere) = (themed_site(), Elsewhere::new());
    std::fs::create_dir_all(f.path("themes/mine/static")).expect("mkdir");
    std::fs::copy(
        elsewhere.path("secret.txt"),
        f.path("themes/mine/static/notes.txt"),
    )
    .expect("copy");
    f.build_ok();
    assert_published(&f, &["public/notes.txt"]);
}

#[test]
fn a_file_link_out_of_a_theme_static_folder_is_refused() {
    let (f, elsewhere) = (themed_site(), Elsewhere::new());
    link(
        &f,
        &elsewhere.path("secret.txt"),
        "themes/mine/static/notes.txt",
    );
    assert_refused(
        &f,
        "themes/mine/static/notes.txt",
        &elsewhere.real("secret.txt"),
    );
}

#[test]
fn a_static_folder_that_is_a_link_out_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(&f, elsewhere.dir.path(), "static");
    assert_refused(&f, "static", &elsewhere.real(""));
}

#[test]
fn a_theme_that_is_a_link_out_is_refused() {
    let (f, elsewhere) = (themed_site(), Elsewhere::new());
    std::fs::remove_dir_all(f.path("themes/mine")).expect("remove");
    std::fs::create_dir_all(elsewhere.path("templates")).expect("mkdir");
    std::fs::create_dir_all(elsewhere.path("static")).expect("mkdir");
    std::fs::copy(
        elsewhere.path("secret.txt"),
        elsewhere.path("static/notes.txt"),
    )
    .expect("copy");
    link(&f, elsewhere.dir.path(), "themes/mine");
    assert_refused(&f, "themes/mine", &elsewhere.real(""));
}

#[test]
fn a_template_copied_into_templates_is_published() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    std::fs::create_dir_all(f.path("templates")).expect("mkdir");
    std::fs::copy(elsewhere.path("secret.txt"), f.path("templates/404.html")).expect("copy");
    f.build_ok();
    assert_published(&f, &["public/404.html"]);
}

#[test]
fn a_template_link_out_of_templates_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(&f, &elsewhere.path("secret.txt"), "templates/404.html");
    assert_refused(&f, "templates/404.html", &elsewhere.real("secret.txt"));
}

#[test]
fn a_template_link_out_of_a_theme_is_refused() {
    let (f, elsewhere) = (themed_site(), Elsewhere::new());
    link(
        &f,
        &elsewhere.path("secret.txt"),
        "themes/mine/templates/404.html",
    );
    assert_refused(
        &f,
        "themes/mine/templates/404.html",
        &elsewhere.real("secret.txt"),
    );
}

const BOOK: &str = "---\ntitle: The Book\nauthor: X\ncover: COVER\ncover_alt: A cover\n---\nWhy.\n";

#[test]
fn a_cover_beside_its_book_is_published() {
    let f = site();
    f.write(
        "content/books/the-book/index.md",
        &BOOK.replace("COVER", "cover.png"),
    );
    f.write_bytes("content/books/the-book/cover.png", &png(400, 600));
    f.build_ok();
    assert!(f.path("public/books/the-book/cover-240.webp").is_file());
    assert!(f.path("public/books/the-book/cover-400.png").is_file());
}

#[test]
fn a_cover_named_outside_the_site_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    std::fs::write(elsewhere.path("cover.png"), png(400, 600)).expect("write");
    let outside = elsewhere.path("cover.png").display().to_string();
    f.write(
        "content/books/the-book/index.md",
        &BOOK.replace("COVER", &outside),
    );
    f.build().fails_with(&[
        "content/books/the-book/index.md",
        &format!("the image `{outside}` is outside the site folder"),
        "help: put a copy of the photo beside the page",
    ]);
    assert_previous_build_untouched(&f);
}

#[test]
fn a_cover_link_out_is_refused() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    std::fs::write(elsewhere.path("cover.png"), png(400, 600)).expect("write");
    f.write(
        "content/books/the-book/index.md",
        &BOOK.replace("COVER", "cover.png"),
    );
    link(
        &f,
        &elsewhere.path("cover.png"),
        "content/books/the-book/cover.png",
    );
    let run = f.build();
    run.fails_with(&[&format!(
        "`content/books/the-book/cover.png` is a link to {}",
        elsewhere.real("cover.png")
    )]);
    assert_previous_build_untouched(&f);
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let f = site();
    f.write(
        "shared/notes/b.md",
        "---\ntitle: Shared page\ndate: 2024-03-01\n---\nShared body.\n",
    );
    f.write("shared/notes/handout.txt", "a handout\n");
    f.write("shared/templates/404.html", "<p id=\"shared-404\">lost</p>");
    // A file link and a folder link in content/, and a template linked from elsewhere in
    // the site; relative targets, as a practice would make them.
    link(&f, Path::new("a.md"), "content/articles/also-a.md");
    link(
        &f,
        Path::new("../../shared/notes"),
        "content/articles/notes",
    );
    link(
        &f,
        Path::new("../shared/templates/404.html"),
        "templates/404.html",
    );
    f.build_ok();
    assert_eq!(f.html("public/articles/also-a/index.html").text("h1"), "A");
    assert_eq!(
        f.html("public/articles/notes/b/index.html").text("h1"),
        "Shared page"
    );
    assert_eq!(f.read("public/articles/notes/handout.txt"), "a handout\n");
    assert_eq!(f.html("public/404.html").text("#shared-404"), "lost");
}

#[test]
fn serve_refuses_a_link_out_before_serving() {
    let (f, elsewhere) = (site(), Elsewhere::new());
    link(
        &f,
        &elsewhere.path("secret.txt"),
        "content/articles/notes.txt",
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["serve", "--port", "0", "--root"])
        .arg(f.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start hearth serve");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("hearth serve started despite a link out of the site");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let run = Run::from(child.wait_with_output().expect("output"));
    run.fails_with(&[&format!(
        "`content/articles/notes.txt` is a link to {}",
        elsewhere.real("secret.txt")
    )]);
}
