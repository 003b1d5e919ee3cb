//! The core build: pretty URLs, Markdown features, links, drafts, pagination, files.

use crate::support::{Fixture, article};

#[test]
fn builds_pages_sections_and_home_with_pretty_urls() {
    let f = Fixture::hub();
    f.write(
        "content/about.md",
        "---\ntitle: About us\n---\nWe are a practice.\n",
    );
    f.write(
        "content/articles/first.md",
        &article("First", "", "Hello.\n"),
    );
    let run = f.build_ok();
    assert!(
        run.stdout.contains("Built 1 articles, 1 pages"),
        "{}",
        run.stdout
    );
    assert_eq!(
        f.html("public/about/index.html").text("main h1"),
        "About us"
    );
    assert_eq!(
        f.html("public/articles/first/index.html").text("main h1"),
        "First"
    );
    let home = f.html("public/index.html");
    assert_eq!(home.text("main h1"), "Home");
    assert_eq!(home.attrs(".cards a", "href"), vec!["/articles/first/"]);
    assert!(f.path("public/404.html").is_file());
    assert!(
        f.path("public/style.css").is_file(),
        "theme static files are copied"
    );
}

#[test]
fn markdown_extensions_toc_and_reading_time() {
    let f = Fixture::hub();
    let body = format!(
        "Intro \"quoted\" -- text.\n\n<!-- more -->\n\n## One\n\n{}\n\n### One point one\n\n## Two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nSee[^n].\n\n[^n]: The note.\n\n## Three\n\n~~gone~~\n",
        "word ".repeat(500)
    );
    f.write("content/articles/long.md", &article("Long", "", &body));
    f.build_ok();
    let page = f.html("public/articles/long/index.html");
    assert_eq!(
        page.texts("nav.toc > ol > li > a"),
        vec!["One", "Two", "Three"]
    );
    assert_eq!(page.texts("nav.toc ol ol a"), vec!["One point one"]);
    assert_eq!(page.attr(".prose h2", "id"), "one");
    assert_eq!(page.attr(".prose h2 a.anchor", "href"), "#one");
    assert_eq!(page.select(".prose table").len(), 1);
    assert_eq!(
        page.select(".prose label.task input[type=checkbox][checked]")
            .len(),
        1
    );
    assert_eq!(page.text(".prose label.task"), "done");
    assert_eq!(page.select(".prose del").len(), 1);
    assert_eq!(page.select(".prose .footnote-definition").len(), 1);
    assert!(
        page.text(".prose p")
            .contains("\u{201c}quoted\u{201d} \u{2013} text")
    );
    assert!(
        page.text(".byline").contains("3 min read"),
        "{}",
        page.text(".byline")
    );
}

#[test]
fn toc_only_with_three_headings() {
    let f = Fixture::hub();
    f.write(
        "content/articles/short.md",
        &article("Short", "", "## A\n\n## B\n"),
    );
    f.build_ok();
    assert!(
        f.html("public/articles/short/index.html")
            .select("nav.toc")
            .is_empty()
    );
}

#[test]
fn summary_uses_more_marker_or_description() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        &article(
            "A",
            "",
            "Before the fold, see [B](@/articles/b.md).\n\n<!-- more -->\n\nAfter the fold.\n",
        ),
    );
    f.write(
        "content/articles/b.md",
        &article("B", "description: Described.\n", "Body of B.\n"),
    );
    f.build_ok();
    let list = f.html("public/articles/index.html");
    assert_eq!(list.texts(".card-description"), vec!["Described."]);
    let home_meta = f
        .html("public/articles/b/index.html")
        .attr("meta[name=description]", "content");
    assert_eq!(home_meta, "Described.");

    // The page itself has all of its text, and not the marker.
    let page = f.read("public/articles/a/index.html");
    assert!(
        page.contains("Before the fold") && page.contains("After the fold."),
        "{page}"
    );
    assert!(!page.contains("more -->"), "{page}");

    // The summary is used by the feed: the text before `<!-- more -->` (its links resolved
    // and absolute), none of the text after it; a description wins over it.
    let feed = feed_rs::parser::parse(f.read("public/atom.xml").as_bytes()).expect("valid Atom");
    let summary_of = |title: &str| {
        let entry = feed
            .entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
            .unwrap_or_else(|| panic!("no feed entry {title}"));
        entry.summary.as_ref().expect("a summary").content.clone()
    };
    let a = summary_of("A");
    assert!(a.contains("Before the fold"), "{a}");
    assert!(
        a.contains("href=\"https://test.example/articles/b/\""),
        "{a}"
    );
    assert!(
        !a.contains("After the fold") && !a.contains("more -->"),
        "{a}"
    );
    assert_eq!(summary_of("B"), "Described.");
}

#[test]
fn internal_links_resolve_to_urls_with_anchors() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        &article(
            "A",
            "",
            "Go to [b](@/articles/b.md#part-two) or [home](@/_index.md).\n",
        ),
    );
    f.write("content/articles/b.md", &article("B", "", "## Part two\n"));
    f.build_ok();
    let page = f.html("public/articles/a/index.html");
    assert_eq!(
        page.attrs(".prose a", "href"),
        vec!["/articles/b/#part-two", "/"]
    );
}

#[test]
fn drafts_and_future_pages_only_with_drafts_flag() {
    let f = Fixture::hub();
    f.write(
        "content/articles/draft.md",
        &article("Draft", "draft: true\n", "x\n"),
    );
    f.write(
        "content/articles/future.md",
        "---\ntitle: Future\ndate: 2999-01-01\n---\nx\n",
    );
    f.write("content/articles/now.md", &article("Now", "", "x\n"));
    f.build_ok();
    assert!(!f.path("public/articles/draft").exists());
    assert!(!f.path("public/articles/future").exists());
    assert!(f.path("public/articles/now/index.html").is_file());
    let run = f.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("public/articles/draft/index.html").is_file());
    assert!(f.path("public/articles/future/index.html").is_file());
}

#[test]
fn slug_from_front_matter_and_file_name() {
    let f = Fixture::hub();
    f.write("content/articles/My Long Name.md", &article("X", "", "x\n"));
    f.write(
        "content/articles/other.md",
        &article("Y", "slug: chosen-slug\n", "x\n"),
    );
    f.build_ok();
    assert!(f.path("public/articles/my-long-name/index.html").is_file());
    assert!(f.path("public/articles/chosen-slug/index.html").is_file());
}

#[test]
fn articles_are_listed_newest_first_with_pagination() {
    let f = Fixture::new();
    f.write(
        "content/articles/_index.md",
        "---\ntitle: Articles\nkind: articles\npaginate_by: 2\n---\n",
    );
    for (i, day) in ["01", "02", "03", "04", "05"].iter().enumerate() {
        f.write(
            &format!("content/articles/a{i}.md"),
            &format!("---\ntitle: Article {i}\ndate: 2024-01-{day}\n---\nx\n"),
        );
    }
    f.build_ok();
    let first = f.html("public/articles/index.html");
    assert_eq!(first.texts(".card-title"), vec!["Article 4", "Article 3"]);
    assert_eq!(
        first.attr(".pagination a[rel=next]", "href"),
        "/articles/page/2/"
    );
    let second = f.html("public/articles/page/2/index.html");
    assert_eq!(second.texts(".card-title"), vec!["Article 2", "Article 1"]);
    assert_eq!(second.attr(".pagination a[rel=prev]", "href"), "/articles/");
    let last = f.html("public/articles/page/3/index.html");
    assert_eq!(last.texts(".card-title"), vec!["Article 0"]);
    assert!(last.select(".pagination a[rel=next]").is_empty());
}

#[test]
fn bundle_files_are_copied_beside_the_page_and_loose_files_keep_their_path() {
    let f = Fixture::hub();
    f.write(
        "content/articles/trip/index.md",
        &article("Trip", "", "![A lake at dusk](lake.png)\n"),
    );
    f.write_bytes("content/articles/trip/lake.png", &crate::support::png(4, 4));
    f.write(
        "content/articles/notes.md",
        &article("Notes", "", "[the handout](handout.pdf)\n"),
    );
    f.write("content/articles/handout.pdf", "%PDF-1.4 fake");
    f.write("static/robots-extra.txt", "hello");
    f.build_ok();
    // A photo is published as its resized copies, beside the page; the original only
    // when a page links to it (tests/hearth/images.rs).
    assert!(f.path("public/articles/trip/lake-4.png").is_file());
    assert!(!f.path("public/articles/trip/lake.png").exists());
    assert_eq!(
        f.html("public/articles/trip/index.html")
            .attr(".prose img", "src"),
        "/articles/trip/lake-4.png"
    );
    assert!(f.path("public/articles/handout.pdf").is_file());
    assert_eq!(
        f.html("public/articles/notes/index.html")
            .attr(".prose a", "href"),
        "/articles/handout.pdf"
    );
    assert_eq!(f.read("public/robots-extra.txt"), "hello");
}

#[test]
fn crlf_and_bom_files_build() {
    let f = Fixture::hub();
    f.write(
        "content/articles/win.md",
        "\u{feff}---\r\ntitle: Windows\r\ndate: 2024-01-01\r\n---\r\n## Heading\r\n\r\nText.\r\n",
    );
    f.build_ok();
    let page = f.html("public/articles/win/index.html");
    assert_eq!(page.text("main h1"), "Windows");
    assert_eq!(page.attr(".prose h2", "id"), "heading");
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let f = Fixture::hub();
    let run = f.run(&[
        "build",
        "--base-url",
        "https://other.example",
        "--output",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = f.html("out/index.html");
    assert_eq!(
        home.attr("link[rel=canonical]", "href"),
        "https://other.example/"
    );
    assert!(!f.path("public").exists());
}

#[test]
fn check_reports_without_writing() {
    let f = Fixture::hub();
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!f.path("public").exists());
    f.write("content/articles/bad.md", "---\ntitle: [\n---\n");
    f.run(&["check"]).fails_with(&["content/articles/bad.md:"]);
}
