//! A site in English and Spanish: pages under /es/, `lang`, reciprocal `hreflang` links,
//! the language switcher, lists, topics, feeds and sitemap per language, fallbacks with
//! warnings, and the errors of a wrong language suffix or two files on one URL.

use std::collections::BTreeSet;

use crate::support::{Fixture, Page};

const BILINGUAL: &str = "title = \"Test Practice\"\nbase_url = \"https://test.example\"\n\
    language = \"en\"\n\n[languages.es]\nname = \"Español\"\ntitle = \"Consulta de prueba\"\n";

fn bilingual() -> Fixture {
    let f = Fixture::hub();
    f.write("site.toml", BILINGUAL);
    f.write(
        "content/articles/repair.md",
        "---\ntitle: Repair\ndate: 2025-03-07\ntopics: [Conflict]\nbooks: [hold-me]\n---\nSee [about](@/about.md).\n",
    );
    f.write(
        "content/articles/repair.es.md",
        "---\ntitle: Reparar\nslug: reparar\ndate: 2025-03-07\ntopics: [Conflicto]\nbooks: [hold-me]\n---\nVea [quiénes somos](@/about.md) y [las tarifas](@/fees.md).\n",
    );
    f.write(
        "content/articles/english-only.md",
        "---\ntitle: English only\ndate: 2025-01-01\ntopics: [Conflict]\n---\nText.\n",
    );
    f.write(
        "content/articles/solo.es.md",
        "---\ntitle: Solo en español\ndate: 2025-02-01\ntopics: [Conflicto]\n---\nTexto.\n",
    );
    f.write(
        "content/books/hold-me.md",
        "---\ntitle: Hold Me\nauthor: A. Author\n---\nWhy.\n",
    );
    f.write("content/about.md", "---\ntitle: About\n---\nUs.\n");
    f.write(
        "content/about.es.md",
        "---\ntitle: Quiénes somos\n---\nNosotros.\n",
    );
    f.write("content/fees.md", "---\ntitle: Fees\n---\nPrices.\n");
    f
}

/// Every `hreflang` link of a page, as (language, URL).
fn hreflangs(page: &Page) -> BTreeSet<(String, String)> {
    page.select("link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            let attr = |name| l.value().attr(name).unwrap_or_default().to_string();
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

/// The language switcher's links, as (language, URL).
fn switcher(page: &Page) -> Vec<(String, String)> {
    page.select(".language-switcher a")
        .iter()
        .map(|a| {
            let attr = |name| a.value().attr(name).unwrap_or_default().to_string();
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

/// The output file a site URL is served from.
fn file_of(url: &str) -> String {
    format!("public{url}index.html")
}

#[test]
fn spanish_pages_live_under_es_with_their_language_and_reciprocal_alternates() {
    let f = bilingual();
    let run = f.build_ok();

    let english = f.html("public/articles/repair/index.html");
    let spanish = f.html("public/es/articles/reparar/index.html");
    assert_eq!(english.attr("html", "lang"), "en");
    assert_eq!(spanish.attr("html", "lang"), "es");
    let expected: BTreeSet<(String, String)> = [
        ("en", "https://test.example/articles/repair/"),
        ("es", "https://test.example/es/articles/reparar/"),
        ("x-default", "https://test.example/articles/repair/"),
    ]
    .iter()
    .map(|(l, u)| (l.to_string(), u.to_string()))
    .collect();
    assert_eq!(hreflangs(&english), expected);
    assert_eq!(hreflangs(&spanish), expected, "the links are reciprocal");

    // A page in one language has no alternates, and its switcher leads to the other
    // language's home page.
    let only = f.html("public/articles/english-only/index.html");
    assert!(hreflangs(&only).is_empty());
    assert_eq!(
        switcher(&only),
        vec![("es".to_string(), "/es/".to_string())]
    );
    assert_eq!(
        switcher(&english),
        vec![("es".to_string(), "/es/articles/reparar/".to_string())]
    );
    assert_eq!(
        switcher(&spanish),
        vec![("en".to_string(), "/articles/repair/".to_string())]
    );
    assert_eq!(spanish.text(".language-switcher [aria-current]"), "Español");

    // The switcher never leads to a page that does not exist, from any page.
    for page in [
        "public/index.html",
        "public/es/index.html",
        "public/articles/english-only/index.html",
        "public/es/articles/solo/index.html",
        "public/es/topics/index.html",
        "public/es/topics/conflicto/index.html",
        "public/es/search/index.html",
        "public/es/articles/index.html",
    ] {
        for (_, url) in switcher(&f.html(page)) {
            assert!(f.path(&file_of(&url)).is_file(), "{page} links to {url}");
        }
    }

    // A Spanish date, and the theme in Spanish.
    assert!(spanish.text(".byline").contains("7 de marzo de 2025"));
    assert_eq!(spanish.text(".skip-link"), "Saltar al contenido");
    // A link to a page with a Spanish version leads there; one without, to the English
    // page, with a warning naming the file, line and column.
    assert_eq!(
        spanish.attrs(".prose a", "href"),
        vec!["/es/about/", "/fees/"]
    );
    assert!(
        run.stderr.contains("content/articles/repair.es.md:6:")
            && run
                .stderr
                .contains("`@/fees.md`: it has no `es` translation"),
        "{}",
        run.stderr
    );
    // So does a recommended book with no Spanish version.
    assert!(
        run.stderr
            .contains("book `hold-me` has no `es` translation"),
        "{}",
        run.stderr
    );
    assert_eq!(
        spanish.attrs("#books-heading + .cards a", "href"),
        vec!["/books/hold-me/"]
    );
    let article = spanish
        .json_ld()
        .into_iter()
        .find(|v| v["@type"] == "Article")
        .expect("Article");
    assert_eq!(article["inLanguage"], "es");
}

#[test]
fn each_language_has_its_own_lists_topics_feed_and_sitemap_alternates() {
    let f = bilingual();
    f.build_ok();
    let titles = |rel: &str| f.html(rel).texts(".cards .card-title");
    assert_eq!(
        titles("public/articles/index.html"),
        vec!["Repair", "English only"]
    );
    assert_eq!(
        titles("public/es/articles/index.html"),
        vec!["Reparar", "Solo en español"]
    );
    // A section with no _index.es.md is titled by the theme, in Spanish.
    assert_eq!(
        f.html("public/es/articles/index.html").text("main h1"),
        "Artículos"
    );
    assert_eq!(
        f.html("public/es/index.html").text("main h1"),
        "Consulta de prueba"
    );

    assert!(f.path("public/es/topics/conflicto/index.html").is_file());
    assert!(!f.path("public/topics/conflicto/index.html").exists());
    assert_eq!(
        f.html("public/es/topics/index.html").texts(".topic-list a"),
        vec!["Conflicto"]
    );
    assert_eq!(
        f.html("public/topics/index.html").texts(".topic-list a"),
        vec!["Conflict"]
    );

    let feed = feed_rs::parser::parse(f.read("public/es/atom.xml").as_bytes()).expect("Atom");
    assert_eq!(feed.language.as_deref(), Some("es"));
    assert_eq!(feed.title.expect("title").content, "Consulta de prueba");
    let entries: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().expect("title").content)
        .collect();
    assert_eq!(entries, vec!["Reparar", "Solo en español"]);
    let english = feed_rs::parser::parse(f.read("public/atom.xml").as_bytes()).expect("Atom");
    assert_eq!(english.entries.len(), 2);

    // One search index per language: Pagefind reads each page's `lang`.
    let entry: serde_json::Value =
        serde_json::from_str(&f.read("public/pagefind/pagefind-entry.json")).expect("JSON");
    assert_eq!(entry["languages"]["es"]["page_count"], 3, "{entry}");
    assert_eq!(entry["languages"]["en"]["page_count"], 5, "{entry}");

    let sitemap = sitemap_alternates(&f.read("public/sitemap.xml"));
    assert_eq!(
        sitemap.get("https://test.example/es/articles/reparar/"),
        Some(&vec![
            (
                "en".to_string(),
                "https://test.example/articles/repair/".to_string()
            ),
            (
                "es".to_string(),
                "https://test.example/es/articles/reparar/".to_string()
            ),
            (
                "x-default".to_string(),
                "https://test.example/articles/repair/".to_string()
            ),
        ])
    );
    assert_eq!(
        sitemap.get("https://test.example/es/articles/solo/"),
        Some(&vec![])
    );
}

/// Each `<url>` of a sitemap with its `xhtml:link` alternates, read with a real XML parser.
fn sitemap_alternates(xml: &str) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let mut urls = std::collections::BTreeMap::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut current: Option<String> = None;
    let mut in_loc = false;
    let mut links = Vec::new();
    loop {
        match reader.read_event().expect("well-formed sitemap") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => {
                current = Some(t.xml10_content().into_owned());
            }
            quick_xml::events::Event::End(e) if e.name().as_ref() == "loc" => in_loc = false,
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == "xhtml:link" => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default()
                };
                links.push((attr("hreflang"), attr("href")));
            }
            quick_xml::events::Event::End(e) if e.name().as_ref() == "url" => {
                if let Some(url) = current.take() {
                    urls.insert(url, std::mem::take(&mut links));
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    urls
}

#[test]
fn an_undeclared_language_suffix_is_an_error_with_a_hint() {
    let f = bilingual();
    f.write(
        "content/contact.se.md",
        "---\ntitle: Contacto\n---\nHola.\n",
    );
    f.build().fails_with(&[
        "content/contact.se.md",
        "the language `se` is not one of this site's (en, es)",
        "did you mean `.es.md`?",
    ]);
    assert!(!f.path("public").exists());
}

#[test]
fn two_files_on_one_url_are_an_error_naming_both() {
    let f = bilingual();
    f.write(
        "content/articles/other.es.md",
        "---\ntitle: Otro\nslug: solo\ndate: 2025-01-01\n---\nTexto.\n",
    );
    f.build().fails_with(&[
        "two pages have the URL /es/articles/solo/",
        "content/articles/other.es.md",
        "content/articles/solo.es.md",
    ]);
}

#[test]
fn hearth_new_writes_a_translation_file() {
    let f = bilingual();
    let run = f.run(&["new", "article", "Título nuevo", "--lang", "es"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("content/articles/titulo-nuevo.es.md").is_file());
    let wrong = f.run(&["new", "article", "Nouveau", "--lang", "fr"]);
    assert_eq!(wrong.code, 1);
    assert!(
        wrong
            .stderr
            .contains("`fr` is not one of this site's languages (en, es)"),
        "{}",
        wrong.stderr
    );
}

/// The bilingual site with a counseling page `name` in English and Spanish, both with the
/// front-matter lines `front`.
fn with_counseling_page(name: &str, front: &str) -> Fixture {
    let f = bilingual();
    f.write(
        "content/counseling/_index.md",
        "---\ntitle: Counseling\nkind: counseling\n---\n",
    );
    f.write(
        &format!("content/counseling/{name}.md"),
        &format!("---\ntitle: In English\n{front}---\nWelcome.\n"),
    );
    f.write(
        &format!("content/counseling/{name}.es.md"),
        &format!("---\ntitle: En español\n{front}---\nBienvenidos.\n"),
    );
    f
}

#[test]
fn opening_hours_follow_the_language_s_clock() {
    let f = with_counseling_page(
        "office",
        "mode: in_person\naddress: { street: \"1 Example Street\", city: Anytown, region: OR, postal_code: \"97000\" }\nhours: [\"Mo-Fr 09:00-17:30\"]\n",
    );
    f.build_ok();
    let hours = |rel: &str| f.html(rel).texts("table.hours td");
    assert_eq!(
        hours("public/counseling/office/index.html")[0],
        "9:00 AM – 5:30 PM"
    );
    let spanish = hours("public/es/counseling/office/index.html");
    assert_eq!(spanish[0], "9:00 – 17:30");
    assert_eq!(spanish[6], "Cerrado");
    assert_eq!(
        f.html("public/es/counseling/office/index.html")
            .texts("table.hours th[scope=row]")[0],
        "Lunes"
    );
}

#[test]
fn licensed_states_are_named_in_the_page_s_language() {
    let f = with_counseling_page("online", "mode: online\nlicensed_in: [OR, NY, WA]\n");
    f.build_ok();
    let rule = |rel: &str| f.html(rel).text("p.rule strong");
    let english = rule("public/counseling/online/index.html");
    assert!(
        english.contains("Oregon, New York or Washington"),
        "{english}"
    );
    let spanish = rule("public/es/counseling/online/index.html");
    assert!(
        spanish.contains("Oregón")
            && spanish.contains("Nueva York")
            && spanish.contains("Washington"),
        "{spanish}"
    );
}
