//! `hearth init` and `hearth new`.

use crate::support::Fixture;

#[test]
fn init_makes_a_site_that_builds() {
    let f = Fixture::new();
    let run = f.run(&["init", "newsite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = f.run(&["build", "--root", "newsite"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let article = f.html("newsite/public/articles/first-article/index.html");
    assert_eq!(article.text("main h1"), "Our first article");
    assert_eq!(
        article.attrs(".card-title a", "href"),
        vec!["/books/first-book/"]
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let f = Fixture::new();
    f.write("taken/file.txt", "mine");
    f.run(&["init", "taken"])
        .fails_with(&["taken", "not empty"]);
    assert_eq!(f.read("taken/file.txt"), "mine");
}

#[test]
fn new_creates_a_draft_with_front_matter_that_builds() {
    let f = Fixture::hub();
    let run = f.run(&["new", "article", "Finding Time Together"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = f.read("content/articles/finding-time-together.md");
    assert!(
        text.starts_with("---\ntitle: \"Finding Time Together\"\n"),
        "{text}"
    );
    let run = f.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        f.path("public/articles/finding-time-together/index.html")
            .is_file()
    );
    f.run(&["new", "article", "Finding Time Together"])
        .fails_with(&["already exists"]);
    let book = f.run(&["new", "book", "A Good Book"]);
    assert_eq!(book.code, 0, "{}", book.stderr);
    assert!(f.path("content/books/a-good-book/index.md").is_file());
}

#[test]
fn new_explains_unknown_kinds_and_missing_sections() {
    let f = Fixture::hub();
    f.run(&["new", "poem", "X"])
        .fails_with(&["`poem` is not a kind of page", "article, book"]);
    f.run(&["new", "worksheet", "X"]).fails_with(&[
        "no section of kind `worksheets`",
        "content/worksheets/_index.md",
    ]);
}

#[test]
fn new_pages_of_every_kind_build_as_drafts() {
    let f = Fixture::hub();
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/counseling/_index.md",
        "---\ntitle: Counseling\nkind: counseling\n---\n",
    );
    for kind in ["article", "book", "worksheet", "counseling", "page"] {
        let run = f.run(&["new", kind, &format!("A new {kind}")]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
    }
    let run = f.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("1 articles, 1 books, 1 counseling, 1 pages, 1 worksheets"),
        "{}",
        run.stdout
    );
}
