//! The words the theme writes, per language: Spanish from the built-in theme, a site's own
//! overrides, the fallback warning, plurals, dates, and a broken string file.

use crate::support::{Fixture, article};

/// An article dated `date`.
fn dated(title: &str, date: &str, topic: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntopics: [{topic}]\n---\n{body}")
}

fn spanish_site() -> Fixture {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        "title = \"Consejería de prueba\"\nbase_url = \"https://test.example\"\nlanguage = \"es\"\n",
    );
    f.write(
        "content/articles/primera.md",
        &dated(
            "Primera",
            "2025-03-07",
            "Comunicación",
            &"palabra ".repeat(450),
        ),
    );
    f.write(
        "content/articles/segunda.md",
        &dated("Segunda", "2025-01-20", "Comunicación", "Hola.\n"),
    );
    f
}

#[test]
fn a_spanish_site_gets_every_word_of_the_theme_in_spanish() {
    let f = spanish_site();
    let run = f.build_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let page = f.html("public/articles/primera/index.html");
    assert_eq!(page.attr("html", "lang"), "es");
    assert_eq!(page.text(".skip-link"), "Saltar al contenido");
    let byline = page.text(".byline");
    assert!(
        byline.contains("7 de marzo de 2025") && byline.contains("3 min de lectura"),
        "{byline}"
    );
    // The crisis notice in Spanish names what 988 offers in Spanish.
    let crisis = page.text(".crisis p");
    assert!(
        crisis.contains("pulse 2 para español") && crisis.contains("AYUDA al 988"),
        "{crisis}"
    );
    assert_eq!(
        page.attr("aside.crisis", "aria-label"),
        "Ayuda en una crisis"
    );
    assert_eq!(page.text("#cta-heading"), "Empezar la consejería");
    assert_eq!(
        f.html("public/topics/index.html")
            .texts(".topic-list .count"),
        vec!["2 elementos"]
    );
    assert_eq!(f.html("public/search/index.html").text("main h1"), "Buscar");
    let not_found = f.html("public/404.html");
    assert_eq!(not_found.text("main h1"), "No encontramos esa página");
    assert!(not_found.text("title").starts_with("Página no encontrada"));
}

#[test]
fn english_stays_english_and_one_is_singular() {
    let f = Fixture::hub();
    f.write(
        "content/articles/first.md",
        &dated("First", "2025-03-07", "Conflict", "Hello.\n"),
    );
    f.build_ok();
    let page = f.html("public/articles/first/index.html");
    assert_eq!(page.attr("html", "lang"), "en");
    assert!(page.text(".byline").contains("March 7, 2025 · 1 min read"));
    assert_eq!(
        f.html("public/topics/index.html")
            .texts(".topic-list .count"),
        vec!["1 item"]
    );
}

#[test]
fn a_site_changes_a_string_and_a_missing_one_falls_back_with_a_warning() {
    let f = spanish_site();
    f.write(
        "i18n/es.toml",
        "# Our own words\nlatest_articles = \"Lo más nuevo\"\n",
    );
    f.build_ok();
    assert_eq!(
        f.html("public/index.html").text("#latest-heading"),
        "Lo más nuevo"
    );

    // German has no strings in the theme: the site gives two, the rest stay English.
    let f = Fixture::hub();
    f.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://test.example\"\nlanguage = \"de\"\n",
    );
    f.write(
        "i18n/de.toml",
        "skip_to_content = \"Zum Inhalt\"\nitems = { one = \"{count} Eintrag\", other = \"{count} Einträge\" }\n",
    );
    f.write(
        "content/articles/a.md",
        &article("A", "topics: [X]\n", "Text.\n"),
    );
    let run = f.build_ok();
    assert!(
        run.stderr.contains("i18n/de.toml")
            && run.stderr.contains("missing in `de`")
            && run.stderr.contains("latest_articles"),
        "{}",
        run.stderr
    );
    let home = f.html("public/index.html");
    assert_eq!(home.text(".skip-link"), "Zum Inhalt");
    assert_eq!(home.text("#latest-heading"), "Latest articles");
    assert_eq!(
        f.html("public/topics/index.html")
            .texts(".topic-list .count"),
        vec!["1 Eintrag"]
    );
}

#[test]
fn a_broken_string_file_is_an_error_at_its_line() {
    let f = spanish_site();
    f.write(
        "i18n/es.toml",
        "latest_articles = \"Lo más nuevo\"\nitems = { uno = \"{count} cosa\", other = \"{count} cosas\" }\n",
    );
    let run = f.build();
    run.fails_with(&["i18n/es.toml:2:1", "`uno` is not a plural form", "other"]);
    assert!(!f.path("public").exists(), "nothing is written");

    f.write("i18n/es.toml", "latest_articles = \"sin cerrar\n");
    f.build()
        .fails_with(&["i18n/es.toml:1:", "latest_articles"]);
}
