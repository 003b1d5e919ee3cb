//! Template lookup (site > theme > built-in), block overrides, filters and errors.

use std::path::Path;

use crate::support::{Fixture, Page, article};

#[test]
fn a_site_overrides_one_block_of_a_theme_template() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", &article("A", "", "Body text.\n"));
    f.write(
        "templates/article.html",
        "{% extends \"theme/article.html\" %}{% block main %}<p id=\"custom\">{{ page.title | upper }} {{ page.date | date(format=\"%Y/%m/%d\") }} {{ \"Hello World\" | slugify }}</p>{% endblock main %}",
    );
    f.build_ok();
    let page = f.html("public/articles/a/index.html");
    assert_eq!(page.text("#custom"), "A 2024/05/01 hello-world");
    // The rest of the theme's layout is kept.
    assert_eq!(page.select("header.site-header").len(), 1);
    assert_eq!(page.select("aside.crisis").len(), 1);
}

#[test]
fn a_site_template_replaces_the_theme_template_by_name() {
    let f = Fixture::hub();
    f.write(
        "templates/404.html",
        "<!doctype html><title>Gone</title><p id=\"gone\">Not here</p>",
    );
    f.build_ok();
    assert_eq!(f.html("public/404.html").text("#gone"), "Not here");
}

#[test]
fn a_theme_folder_is_used_between_site_and_built_in() {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        &format!("{}[theme]\nname = \"mine\"\n", crate::support::SITE_TOML),
    );
    f.write(
        "themes/mine/templates/index.html",
        "<p id=\"mine\">{{ section.title }}</p>",
    );
    f.write("themes/mine/static/style.css", "body{color:red}");
    f.write("templates/404.html", "<p id=\"site\">site wins</p>");
    f.write("themes/mine/templates/404.html", "theme loses");
    f.build_ok();
    assert_eq!(f.html("public/index.html").text("#mine"), "Home");
    assert_eq!(f.read("public/style.css"), "body{color:red}");
    assert_eq!(f.html("public/404.html").text("#site"), "site wins");
    // Templates the theme does not have come from the built-in theme.
    assert_eq!(f.html("public/topics/index.html").text("main h1"), "Topics");
}

#[test]
fn template_syntax_error_names_template_line_and_column() {
    let f = Fixture::hub();
    f.write("templates/page.html", "line one\n{% if %}\n");
    f.build()
        .fails_with(&["templates/page.html:2:", "template error"]);
}

#[test]
fn template_render_error_names_template_and_page() {
    let f = Fixture::hub();
    f.write("content/about.md", "---\ntitle: About\n---\n");
    f.write("templates/page.html", "ok\n{{ page.no_such_field }}\n");
    f.build()
        .fails_with(&["templates/page.html:2:", "while making content/about.md"]);
}

#[test]
fn unknown_theme_is_an_error() {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        &format!("{}[theme]\nname = \"nope\"\n", crate::support::SITE_TOML),
    );
    f.build().fails_with(&["theme `nope` not found"]);
}

#[test]
fn overriding_page_html_does_not_break_counseling_pages() {
    let f = Fixture::hub();
    f.write(
        "content/counseling/_index.md",
        "---\ntitle: Counseling\nkind: counseling\n---\n",
    );
    f.write(
        "content/counseling/online.md",
        "---\ntitle: Online\nmode: online\nlicensed_in: [OR]\n---\nBody.\n",
    );
    f.write("templates/page.html", "<p id=\"mine\">{{ page.title }}</p>");
    f.build_ok();
    let page = f.html("public/counseling/online/index.html");
    assert_eq!(page.text("main h1"), "Online");
    assert_eq!(page.select("section.cta").len(), 1);
}

#[test]
fn the_sample_sites_own_article_template_extends_the_themes_footer_block() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let template = std::fs::read_to_string(repo.join("templates/article.html"))
        .expect("the sample site's templates/article.html");
    assert!(template.contains("{% extends \"theme/article.html\" %}"));
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let run = Fixture::new().run(&[
        "build",
        "--root",
        &repo.to_string_lossy(),
        "--output",
        &output.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(output.join("articles/repairing-after-a-fight/index.html"))
        .expect("an article of the sample site");
    let page = Page(scraper::Html::parse_document(&html));
    // The site's note comes first, then the theme's block kept with super().
    let headings = page.texts("article section h2");
    let note = headings.iter().position(|h| h == "About our articles");
    let cta = headings.iter().position(|h| h == "Start counseling");
    assert!(
        matches!((note, cta), (Some(n), Some(c)) if n < c),
        "{headings:?}"
    );
    assert!(
        page.text(".article-note")
            .contains("Daniel Reyes, LPC wrote this article")
    );
}
