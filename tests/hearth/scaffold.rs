//! `hearth init` and `hearth new`.

use crate::support::Fixture;

/// A fresh `hearth init` site, built; the fixture holds it in `site/`.
fn built_starter() -> Fixture {
    let f = Fixture::new();
    let run = f.run(&["init", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = f.run(&["build", "--root", "site"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build
            .stdout
            .contains("2 articles, 2 books, 2 counseling, 5 pages, 1 worksheets"),
        "{}",
        build.stdout
    );
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    f
}

#[test]
fn init_makes_a_whole_practice_site_that_builds() {
    let f = built_starter();
    let home = f.html("site/public/index.html");
    assert_eq!(home.text("main h1"), "Willow Street Counseling");
    for page in [
        "articles/small-steps-for-a-heavy-week",
        "articles/what-to-expect-in-a-first-session",
        "books/feeling-good",
        "books/self-compassion",
        "worksheets/weekly-check-in",
        "counseling",
        "counseling/in-person",
        "counseling/online",
        "about",
        "fees",
        "contact",
        "crisis",
        "privacy",
    ] {
        let html = f.html(&format!("site/public/{page}/index.html"));
        assert!(!html.text("main h1").is_empty(), "{page} has no title");
    }

    // The first article recommends a book and links the worksheet, and both link back.
    let article = f.html("site/public/articles/small-steps-for-a-heavy-week/index.html");
    let linked = article.attrs(".related-block .card-title a", "href");
    for url in ["/books/feeling-good/", "/worksheets/weekly-check-in/"] {
        assert!(linked.iter().any(|l| l == url), "{url} not in {linked:?}");
    }
    let book = f.html("site/public/books/feeling-good/index.html");
    assert!(
        book.attrs("a", "href")
            .iter()
            .any(|h| h == "/articles/small-steps-for-a-heavy-week/"),
        "the book page does not link back to the article"
    );

    // The worksheet comes with its PDF.
    let pdf = std::fs::read(f.path("site/public/worksheets/weekly-check-in.pdf")).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");

    // The in-person page has an address, the online page the licensed states.
    let office = f.html("site/public/counseling/in-person/index.html");
    assert!(office.text("main").contains("100 Example Street"));
    let online = f.html("site/public/counseling/online/index.html");
    assert!(
        online.text("main").contains("Oregon"),
        "{}",
        online.text("main")
    );

    // About lists the clinicians from [practice]; fees carries the Good Faith Estimate notice.
    let about = f.html("site/public/about/index.html");
    assert_eq!(
        about.texts(".clinicians .card-title"),
        vec!["Jordan Rivera, LCSW"]
    );
    assert!(
        about
            .text(".clinicians .card-meta")
            .contains("licensed in OR")
    );
    let fees = f.html("site/public/fees/index.html");
    assert!(
        fees.text("#good-faith-estimate")
            .starts_with("Good Faith Estimate")
    );
    assert!(fees.text("main").contains("No Surprises Act"));
}

#[test]
fn the_starter_site_toml_has_every_practice_key_with_a_comment() {
    let f = Fixture::new();
    assert_eq!(f.run(&["init", "site"]).code, 0);
    let text = f.read("site/site.toml");
    let parsed: toml::Table = text.parse().expect("site.toml parses");
    let practice = parsed["practice"].as_table().expect("[practice]");
    // The keys hearth knows, from its own model (an unset option still has its key).
    let known =
        serde_json::to_value(hearth::internals::config::PracticeConfig::default()).expect("json");
    let clinician: hearth::internals::config::Clinician =
        serde_json::from_value(serde_json::json!({"name": "x"})).expect("a clinician");
    let clinician_keys = serde_json::to_value(clinician).expect("json");
    let clinicians = practice["clinicians"]
        .as_array()
        .expect("[[practice.clinicians]]");
    let mut checked = 0;
    for (table, keys) in [
        (practice, &known),
        (
            clinicians[0].as_table().expect("a clinician"),
            &clinician_keys,
        ),
    ] {
        for key in keys.as_object().expect("an object").keys() {
            assert!(table.contains_key(key), "site.toml has no `{key}`");
            if key == "clinicians" {
                continue;
            }
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("{key} =")))
                .unwrap_or_else(|| panic!("no line sets `{key}`"));
            assert!(line.contains(" # "), "`{key}` has no comment: {line}");
            checked += 1;
        }
    }
    assert!(checked >= 13, "only {checked} keys checked");
}

#[test]
fn check_lists_every_placeholder_left_in_the_starter() {
    let f = Fixture::new();
    assert_eq!(f.run(&["init", "site"]).code, 0);
    // Where the starter marks a placeholder, found from its files.
    let mut expected = Vec::new();
    for entry in walkdir::WalkDir::new(f.path("site")).sort_by_file_name() {
        let entry = entry.expect("a readable entry");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(f.path("site"))
            .expect("inside the site")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(entry.path()).expect("text");
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find("TODO:") {
                expected.push(format!("{rel}:{}:{}", i + 1, col + 1));
            }
        }
    }
    assert!(expected.len() > 20, "the starter marks only {expected:?}");
    assert!(expected.iter().any(|e| e.starts_with("site.toml:")));

    let check = f.run(&["check", "--root", "site"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let reported: Vec<&str> = check
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .collect();
    for place in &expected {
        assert!(
            reported.contains(&place.as_str()),
            "{place} not reported:\n{}",
            check.stderr
        );
    }
    assert_eq!(
        check.stderr.matches("placeholder to replace").count(),
        expected.len(),
        "{}",
        check.stderr
    );

    // Once a practice has replaced them, check has nothing left to say about them.
    for place in &expected {
        let file = place.split(':').next().expect("a file");
        let path = f.path(&format!("site/{file}"));
        let text = std::fs::read_to_string(&path).expect("text");
        std::fs::write(&path, text.replace("TODO:", "Done:")).expect("write");
    }
    let check = f.run(&["check", "--root", "site"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("placeholder"), "{}", check.stderr);
}

#[test]
fn new_works_for_every_kind_in_a_fresh_init_site() {
    let f = Fixture::new();
    assert_eq!(f.run(&["init", "site"]).code, 0);
    for kind in ["article", "book", "worksheet", "counseling", "page"] {
        let run = f.run(&["new", kind, &format!("A new {kind}"), "--root", "site"]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
    }
    assert!(
        f.path("site/content/worksheets/a-new-worksheet.md")
            .is_file()
    );
    assert!(
        f.path("site/content/counseling/a-new-counseling.md")
            .is_file()
    );
    let run = f.run(&["build", "--drafts", "--root", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("3 articles, 3 books, 3 counseling, 6 pages, 2 worksheets"),
        "{}",
        run.stdout
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
