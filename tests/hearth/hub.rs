//! The resource hub: books, backlinks, topics, structured data and theme options.

use crate::support::{Fixture, SITE_TOML, png};

/// A hub with two books, two articles recommending them, and a worksheet.
fn library() -> Fixture {
    let f = Fixture::hub();
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/books/come-as-you-are/index.md",
        "---\ntitle: Come As You Are\nauthor: Emily Nagoski\nyear: 2021\nisbn: \"978-1-9821-6531-4\"\npublisher: Simon & Schuster\ncover: cover.png\ncover_alt: \"Cover: the title on a terracotta field\"\ntopics: [Desire and Sex]\n---\nWhy we like it.\n",
    );
    f.write_bytes("content/books/come-as-you-are/cover.png", &png(600, 900));
    f.write("content/books/hold-me-tight.md", "---\ntitle: Hold Me Tight\nauthor: Sue Johnson\nisbn: \"0-316-11300-X\"\ntopics: [Emotional intimacy]\n---\nA classic.\n");
    f.write("content/worksheets/plan.md", "---\ntitle: Daily plan\nduration: 10 minutes\nfor: couples\ntopics: [Emotional intimacy]\n---\n- [ ] Hug\n");
    f.write(
        "content/articles/one.md",
        "---\ntitle: One\ndate: 2024-02-01\nauthor: Dr. Okafor\nreviewed: 2024-03-01\ntopics: [Desire and Sex, Emotional intimacy]\nbooks: [come-as-you-are, hold-me-tight]\nworksheets: [plan]\n---\nBody.\n",
    );
    f.write("content/articles/two.md", "---\ntitle: Two\ndate: 2024-01-01\ntopics: [Desire and Sex]\nbooks: [come-as-you-are]\n---\nBody.\n");
    f.write(
        "content/articles/three.md",
        "---\ntitle: Three\ndate: 2023-01-01\ntopics: [Conflict]\n---\nBody.\n",
    );
    f
}

#[test]
fn books_list_every_article_that_recommends_them() {
    let f = library();
    f.build_ok();
    let book = f.html("public/books/come-as-you-are/index.html");
    assert_eq!(
        book.texts("section.related-block .card-title"),
        vec!["One", "Two"]
    );
    let other = f.html("public/books/hold-me-tight/index.html");
    assert_eq!(
        other.texts("section.related-block .card-title"),
        vec!["One"]
    );
}

#[test]
fn article_page_shows_books_worksheets_related_and_neighbours() {
    let f = library();
    f.build_ok();
    let page = f.html("public/articles/one/index.html");
    assert_eq!(page.text(".reviewed"), "Last reviewed March 1, 2024");
    assert!(page.text(".byline").contains("By Dr. Okafor"));
    assert_eq!(
        page.texts("header .tags a"),
        vec!["Desire and Sex", "Emotional intimacy"]
    );
    let blocks = page.texts("section.related-block h2");
    assert_eq!(
        blocks,
        vec![
            "Books we recommend with this article",
            "Worksheets for this article",
            "Related articles"
        ]
    );
    assert_eq!(
        page.texts("section.related-block")[0]
            .matches("Emily Nagoski")
            .count(),
        1
    );
    let cover = &page.select("section.related-block .card-cover img")[0];
    assert_eq!(cover.value().attr("width"), Some("160"));
    assert_eq!(cover.value().attr("height"), Some("240"));
    assert_eq!(
        page.attr("nav.prev-next a[rel=prev]", "href"),
        "/articles/two/"
    );
    let worksheet = f.html("public/worksheets/plan/index.html");
    assert_eq!(
        worksheet.texts("section.related-block .card-title"),
        vec!["One"]
    );
}

#[test]
fn covers_are_resized_with_dimensions() {
    let f = library();
    f.build_ok();
    let page = f.html("public/books/come-as-you-are/index.html");
    let img = &page.select(".book-cover img")[0];
    // Browsers without WebP get the one PNG copy, as wide as the cover (600 px).
    assert_eq!(
        img.value().attr("src"),
        Some("/books/come-as-you-are/cover-600.png")
    );
    assert_eq!(
        (img.value().attr("width"), img.value().attr("height")),
        (Some("400"), Some("600"))
    );
    assert_eq!(
        img.value().attr("alt"),
        Some("Cover: the title on a terracotta field")
    );
    let (w, h) = image::image_dimensions(f.path("public/books/come-as-you-are/cover-240.webp"))
        .expect("thumb");
    assert_eq!((w, h), (240, 360));
    let (w, _) = image::image_dimensions(f.path("public/books/come-as-you-are/cover-600.png"))
        .expect("large");
    assert_eq!(w, 600);
    assert!(
        f.path("public/books/come-as-you-are/cover-600.webp")
            .is_file()
    );
    assert!(
        !f.path("public/books/come-as-you-are/cover-240.png")
            .exists()
    );
    assert!(!f.path("public/books/come-as-you-are/cover.png").exists());
}

#[test]
fn book_links_come_from_isbn_patterns_with_affiliate_disclosure() {
    let f = library();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[books]\nstore_url = \"https://shop.example/isbn/{{isbn}}\"\nlibrary_url = \"https://library.example/?q={{isbn}}\"\naffiliate = true\n"),
    );
    f.build_ok();
    let page = f.html("public/books/hold-me-tight/index.html");
    assert_eq!(
        page.attrs(".book-links a", "href"),
        vec![
            "https://shop.example/isbn/9780316113007",
            "https://library.example/?q=9780316113007"
        ]
    );
    assert_eq!(
        page.select(".book-links .disclosure").len(),
        1,
        "only the shop link is an affiliate link"
    );
    assert_eq!(page.attr(".book-links a", "rel"), "noopener sponsored");
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[books]\nstore_url = \"https://shop.example/isbn/{{isbn}}\"\n"),
    );
    f.build_ok();
    assert!(
        f.html("public/books/hold-me-tight/index.html")
            .select(".disclosure")
            .is_empty()
    );
}

#[test]
fn json_ld_for_articles_and_books_parses_with_fields() {
    let f = library();
    f.build_ok();
    let article = &f.html("public/articles/one/index.html").json_ld()[0];
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["headline"], "One");
    assert_eq!(article["datePublished"], "2024-02-01");
    assert_eq!(article["author"]["name"], "Dr. Okafor");
    assert_eq!(article["url"], "https://test.example/articles/one/");
    let book = &f.html("public/books/come-as-you-are/index.html").json_ld()[0];
    assert_eq!(book["@type"], "Book");
    assert_eq!(book["name"], "Come As You Are");
    assert_eq!(book["author"]["name"], "Emily Nagoski");
    assert_eq!(book["isbn"], "9781982165314");
    assert_eq!(book["datePublished"], "2021");
}

#[test]
fn sharing_meta_and_canonical_links() {
    let f = library();
    f.build_ok();
    let book = f.html("public/books/come-as-you-are/index.html");
    assert_eq!(
        book.attr("link[rel=canonical]", "href"),
        "https://test.example/books/come-as-you-are/"
    );
    assert_eq!(book.attr("meta[property=\"og:type\"]", "content"), "book");
    assert_eq!(
        book.attr("meta[property=\"og:image\"]", "content"),
        "https://test.example/books/come-as-you-are/cover-600.png"
    );
    assert_eq!(
        book.attr("meta[name=\"twitter:card\"]", "content"),
        "summary_large_image"
    );
}

#[test]
fn topic_pages_list_exactly_their_items() {
    let f = library();
    f.build_ok();
    let index = f.html("public/topics/index.html");
    assert_eq!(
        index.texts(".topic-list li"),
        vec![
            "Conflict 1 item",
            "Desire and Sex 3 items",
            "Emotional intimacy 3 items"
        ]
    );
    let desire = f.html("public/topics/desire-and-sex/index.html");
    assert_eq!(desire.text("main h1"), "Desire and Sex");
    assert_eq!(
        desire.texts("#topic-articles + ul .card-title"),
        vec!["One", "Two"]
    );
    assert_eq!(
        desire.texts("#topic-books + ul .card-title"),
        vec!["Come As You Are"]
    );
    assert!(desire.select("#topic-worksheets").is_empty());
    let intimacy = f.html("public/topics/emotional-intimacy/index.html");
    assert_eq!(
        intimacy.texts("#topic-worksheets + ul .card-title"),
        vec!["Daily plan"]
    );
    let books = f.html("public/books/index.html");
    assert_eq!(
        books.texts(".topic-filter a"),
        vec!["Desire and Sex (1)", "Emotional intimacy (1)"]
    );
}

#[test]
fn a_missing_book_or_worksheet_is_an_error_at_its_line() {
    let f = library();
    f.write("content/articles/bad.md", "---\ntitle: Bad\ndate: 2024-01-01\nbooks: [come-as-you-are, hold-me-tite]\nworksheets: [nope]\n---\n");
    f.build().fails_with(&[
        "content/articles/bad.md:4:26",
        "book `hold-me-tite` does not exist",
        "did you mean `hold-me-tight`?",
        "content/articles/bad.md:5:14",
        "worksheet `nope` does not exist",
    ]);
}

#[test]
fn an_isbn_with_a_bad_checksum_is_an_error() {
    let f = library();
    f.write(
        "content/books/bad.md",
        "---\ntitle: Bad\nauthor: X\nisbn: \"978-1-9821-6531-5\"\n---\n",
    );
    f.write(
        "content/books/bad10.md",
        "---\ntitle: Bad10\nauthor: X\nisbn: \"0-316-11300-8\"\n---\n",
    );
    f.build().fails_with(&[
        "content/books/bad.md:4:8",
        "invalid ISBN `978-1-9821-6531-5`: the check digit is wrong (expected 4, found 5)",
        "content/books/bad10.md:4:8",
        "invalid ISBN `0-316-11300-8`",
    ]);
}

/// A bad ISBN is found after the front matter is read, not by serde, so the book's other
/// problems are reported in the same run and the articles recommending it still find it.
#[test]
fn a_bad_isbn_is_reported_with_the_books_other_problems() {
    let f = library();
    f.write(
        "content/books/typo-book.md",
        "---\ntitle: Typo\nauthor: X\nisbn: \"0-316-11300-8\"\ncover: gone.png\ncover_alt: A cover\n---\n",
    );
    f.write(
        "content/articles/reads.md",
        "---\ntitle: Reads\ndate: 2024-01-01\nbooks: [typo-book]\n---\nA book.\n",
    );
    let run = f.build();
    run.fails_with(&[
        "content/books/typo-book.md:4:8",
        "invalid ISBN `0-316-11300-8`: the check digit is wrong (expected X, found 8)",
        "content/books/typo-book.md:5:8",
        "the cover image `gone.png` does not exist",
    ]);
    assert!(
        !run.stderr.contains("does not exist\n --> content/articles"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 errors found"), "{}", run.stderr);
}

#[test]
fn a_cover_needs_alt_text_and_must_exist() {
    let f = library();
    f.write(
        "content/books/noalt/index.md",
        "---\ntitle: No alt\nauthor: X\ncover: cover.png\n---\n",
    );
    f.write_bytes("content/books/noalt/cover.png", &png(10, 15));
    f.write(
        "content/books/nofile.md",
        "---\ntitle: No file\nauthor: X\ncover: gone.png\ncover_alt: A cover\n---\n",
    );
    f.build().fails_with(&[
        "content/books/noalt/index.md:4:8",
        "the cover has no alt text",
        "cover_alt",
        "content/books/nofile.md:4:8",
        "the cover image `gone.png` does not exist",
    ]);
}

#[test]
fn crisis_notice_menu_and_footer_on_every_page() {
    let f = library();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[[menu]]\nname = \"Books\"\nurl = \"/books/\"\n[practice]\nname = \"Cedar Practice\"\nphone = \"+1 503 555 0100\"\n"),
    );
    f.build_ok();
    for page in [
        "index.html",
        "articles/one/index.html",
        "books/index.html",
        "topics/index.html",
        "404.html",
    ] {
        let html = f.html(&format!("public/{page}"));
        assert!(html.text("aside.crisis").contains("988"), "{page}");
        assert_eq!(
            html.select("a.skip-link[href=\"#main\"]").len(),
            1,
            "{page}"
        );
        assert_eq!(html.select("main#main").len(), 1, "{page}");
        assert_eq!(
            html.texts("nav[aria-label=Main] a"),
            vec!["Books"],
            "{page}"
        );
        assert_eq!(html.text(".footer-name"), "Cedar Practice", "{page}");
    }
    let books = f.html("public/books/index.html");
    assert_eq!(
        books.attr("nav[aria-label=Main] a[aria-current=page]", "href"),
        "/books/"
    );
}

#[test]
fn crisis_text_is_configurable() {
    let f = library();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[crisis]\ntext = \"In the UK, call 116 123.\"\nurl = \"\"\n"),
    );
    f.build_ok();
    let home = f.html("public/index.html");
    assert_eq!(home.text("aside.crisis"), "In the UK, call 116 123.");
}

#[test]
fn theme_options_reach_the_css_and_header() {
    let f = library();
    f.write("site.toml", &format!("{SITE_TOML}[theme]\naccent = \"#7a3b2e\"\nlogo = \"logo.svg\"\nlogo_alt = \"Cedar Practice\"\n"));
    f.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.build_ok();
    assert!(
        f.read("public/theme.css")
            .contains("--accent-light: #7a3b2e")
    );
    let home = f.html("public/index.html");
    assert_eq!(home.attr("img.logo", "src"), "/logo.svg");
    assert_eq!(home.attr("img.logo", "alt"), "Cedar Practice");
    assert!(
        home.attrs("link[rel=stylesheet]", "href")
            .contains(&"/theme.css".to_string())
    );
}

#[test]
fn the_default_theme_loads_nothing_from_other_hosts() {
    let f = library();
    f.build_ok();
    for page in [
        "index.html",
        "articles/one/index.html",
        "books/come-as-you-are/index.html",
    ] {
        let html = f.html(&format!("public/{page}"));
        for (css, attr) in [
            ("script[src]", "src"),
            ("link[rel=stylesheet]", "href"),
            ("link[rel=icon]", "href"),
            ("img[src]", "src"),
            ("iframe", "src"),
        ] {
            for url in html.attrs(css, attr) {
                assert!(
                    !url.starts_with("http") && !url.starts_with("//"),
                    "{page} loads {url}"
                );
            }
        }
    }
    let css = f.read("public/style.css");
    assert!(
        !css.contains("url(") && !css.contains("@import"),
        "style.css must not load anything"
    );
}

#[test]
fn start_counseling_block_honours_accepting_new_clients() {
    let f = library();
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[practice]\nemail = \"hi@test.example\"\naccepting_new_clients = false\n"
        ),
    );
    f.build_ok();
    for page in ["index.html", "articles/one/index.html"] {
        let cta = f.html(&format!("public/{page}")).text("section.cta");
        assert!(cta.contains("waitlist"), "{page}: {cta}");
        assert!(cta.contains("hi@test.example"), "{page}: {cta}");
    }
    f.write("site.toml", &format!("{SITE_TOML}[practice]\naccepting_new_clients = true\nbooking_url = \"https://portal.example/book\"\n"));
    f.build_ok();
    let home = f.html("public/index.html");
    assert!(home.text("section.cta").contains("accepting new clients"));
    assert_eq!(
        home.attr("section.cta a.button-secondary", "href"),
        "https://portal.example/book"
    );
}
