//! Everything around the pages: the Atom feed, sitemap, robots.txt, redirects for old
//! URLs, `hearth check`, and the privacy gate.

use crate::support::{Fixture, SITE_TOML, article};

fn site() -> Fixture {
    let f = Fixture::hub();
    f.write("content/articles/first.md", "---\ntitle: First \"one\"\ndate: 2024-01-02\nupdated: 2024-02-03\ndescription: The first.\nauthor: Dr. A\ntopics: [Care]\naliases: [/old/first/, /2024/first.html]\n---\nBody with [a link](@/articles/second.md).\n");
    f.write(
        "content/articles/second.md",
        &article(
            "Second",
            "topics: [Care]\n",
            "Before.\n\n<!-- more -->\n\nAfter, with ![a picture](/pic.png).\n",
        ),
    );
    f.write_bytes("static/pic.png", &crate::support::png(2, 2));
    f
}

#[test]
fn atom_feed_parses_with_absolute_urls() {
    let f = site();
    f.build_ok();
    let feed = feed_rs::parser::parse(f.read("public/atom.xml").as_bytes()).expect("valid Atom");
    assert_eq!(feed.title.expect("title").content, "Test Practice");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().expect("title").content)
        .collect();
    assert_eq!(titles, vec!["Second", "First \u{201c}one\u{201d}"]);
    let first = &feed.entries[1];
    assert_eq!(first.links[0].href, "https://test.example/articles/first/");
    assert_eq!(
        first.updated.expect("updated").to_rfc3339(),
        "2024-02-03T00:00:00+00:00"
    );
    assert_eq!(first.authors[0].name, "Dr. A");
    assert_eq!(
        first.summary.as_ref().expect("summary").content,
        "The first."
    );
    let second = &feed.entries[0];
    let body = &second
        .content
        .as_ref()
        .expect("content")
        .body
        .as_ref()
        .expect("body");
    assert!(
        // The photo's processed copy (2 px wide, its own width), as an absolute URL.
        body.contains("src=\"https://test.example/pic-2.png\""),
        "{body}"
    );
    assert!(
        second
            .summary
            .as_ref()
            .expect("summary")
            .content
            .contains("Before.")
    );
    let home = f.html("public/index.html");
    assert_eq!(
        home.attr("link[rel=alternate][type=\"application/atom+xml\"]", "href"),
        "/atom.xml"
    );
}

#[test]
fn sitemap_lists_every_public_page_with_lastmod_and_robots_points_to_it() {
    let f = site();
    f.build_ok();
    let xml = f.read("public/sitemap.xml");
    let doc = scraper::Html::parse_document(&xml);
    let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
    let locs: Vec<String> = doc
        .select(&sel("loc"))
        .map(|e| e.text().collect())
        .collect();
    for url in [
        "/",
        "/articles/",
        "/articles/first/",
        "/articles/second/",
        "/books/",
        "/topics/",
        "/topics/care/",
    ] {
        assert!(
            locs.contains(&format!("https://test.example{url}")),
            "{url} missing from {locs:?}"
        );
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("404") || l.contains("/old/")),
        "{locs:?}"
    );
    assert!(xml.contains("<url><loc>https://test.example/articles/first/</loc><lastmod>2024-02-03</lastmod></url>"), "{xml}");
    assert_eq!(
        f.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://test.example/sitemap.xml\n"
    );
}

#[test]
fn aliases_become_redirect_pages_with_canonical_links() {
    let f = site();
    f.build_ok();
    for path in ["public/old/first/index.html", "public/2024/first.html"] {
        let page = f.html(path);
        assert_eq!(
            page.attr("meta[http-equiv=refresh]", "content"),
            "0; url=https://test.example/articles/first/"
        );
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            "https://test.example/articles/first/"
        );
        assert_eq!(
            page.attr("a", "href"),
            "https://test.example/articles/first/"
        );
    }
}

#[test]
fn every_page_has_a_content_security_policy() {
    let f = site();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[privacy]\nallow = [\"video.example.org\"]\n"),
    );
    f.build_ok();
    let csp = f
        .html("public/articles/first/index.html")
        .attr("meta[http-equiv=Content-Security-Policy]", "content");
    assert!(
        csp.starts_with("default-src 'self' https://video.example.org;"),
        "{csp}"
    );
    assert!(csp.contains("object-src 'none'"), "{csp}");
}

#[test]
fn privacy_gate_fails_a_template_that_loads_a_script_from_another_host() {
    let f = site();
    f.write("templates/article.html", "{% extends \"theme/article.html\" %}{% block head %}<script src=\"https://tracker.example/t.js\"></script>{% endblock head %}");
    f.build().fails_with(&[
        "content/articles/first.md",
        "loads https://tracker.example/t.js from another host (tracker.example)",
        "[privacy] allow",
    ]);
    assert!(!f.path("public").exists(), "nothing was written");
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[privacy]\nallow = [\"tracker.example\"]\n"),
    );
    f.build_ok();
}

#[test]
fn privacy_gate_catches_markdown_images_css_and_fonts() {
    let f = site();
    f.write(
        "content/articles/third.md",
        &article("Third", "", "![A chart](https://cdn.example/chart.png)\n"),
    );
    f.write("static/extra.css", "@import \"https://fonts.example/css2\";\nbody { background: url(https://img.example/bg.png); }\n");
    f.build().fails_with(&[
        "content/articles/third.md",
        "https://cdn.example/chart.png",
        "extra.css loads https://fonts.example/css2",
        "extra.css loads https://img.example/bg.png",
    ]);
}

#[test]
fn privacy_gate_reads_noscript_svg_and_encoded_urls_and_trusts_the_sites_own_host() {
    let f = site();
    f.write(
        "templates/article.html",
        "{% extends \"theme/article.html\" %}{% block footer %}\
         <img alt=\"\" src=\"https://test.example/pic.png\">\
         <!-- <script src=\"https://commented.example/x.js\"></script> -->\
         <noscript><img alt=\"\" src=\"https://pixel.example/p.gif\"></noscript>\
         <svg aria-hidden=\"true\"><image href=\"//svg.example/i.png\"/></svg>\
         <video poster=\"https:&#x2F;&#x2F;poster.example/p.jpg\"></video>\
         {% endblock footer %}",
    );
    let run = f.build();
    run.fails_with(&[
        "loads https://pixel.example/p.gif from another host (pixel.example)",
        "loads //svg.example/i.png from another host (svg.example)",
        "loads https://poster.example/p.jpg from another host (poster.example)",
    ]);
    for not_reported in ["test.example", "commented.example"] {
        assert!(!run.stderr.contains(not_reported), "{}", run.stderr);
    }
    assert!(!f.path("public").exists(), "nothing was written");
}

#[test]
fn outbound_links_are_fine() {
    let f = site();
    f.write(
        "content/articles/third.md",
        &article("Third", "", "[A guide](https://guide.example/page)\n"),
    );
    f.build_ok();
}

#[test]
fn check_reports_template_problems_and_lists_external_links() {
    let f = site();
    f.write(
        "content/articles/third.md",
        &article("Third", "", "[A guide](https://guide.example/page)\n"),
    );
    f.write(
        "templates/article.html",
        "{% extends \"theme/article.html\" %}{% block footer %}<a href=\"/nowhere/\">Gone</a><a href=\"/articles/second/#missing\">Part</a><a href=\"/articles/first/\"></a><img src=\"/pic.png\">{% endblock footer %}",
    );
    let run = f.run(&["check"]);
    run.fails_with(&[
        "broken link to /nowhere/",
        "link to /articles/second/#missing: /articles/second/ has no element with id \"missing\"",
        "a link to /articles/first/ has no text",
        "image /pic.png has no alt attribute",
        "content/articles/third.md",
    ]);
    assert!(!f.path("public").exists(), "check never writes");
}

#[test]
fn check_warns_about_orphans_and_lists_external_links() {
    let f = site();
    f.write(
        "content/lonely.md",
        "---\ntitle: Lonely\n---\n[A guide](https://guide.example/page)\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: no other page links to /lonely/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("https://guide.example/page  ← /lonely/"),
        "{}",
        run.stdout
    );
}

/// A tiny HTTP server on 127.0.0.1 for link checks: `/ok` answers 200, anything else 404.
/// Returns its base URL and a counter of requests served.
fn link_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = served.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let status = if request.split_whitespace().nth(1) == Some("/ok") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, served)
}

#[test]
fn check_external_fetches_links_reports_broken_ones_and_caches() {
    let (base, served) = link_server();
    let f = site();
    f.write(
        "content/articles/third.md",
        &article(
            "Third",
            "",
            &format!("[fine]({base}/ok) and [gone]({base}/gone)\n"),
        ),
    );
    let run = f.run(&["check", "--external"]);
    run.fails_with(&[
        &format!("external link {base}/gone is broken: HTTP 404"),
        "/articles/third/",
    ]);
    assert!(
        !run.stderr.contains(&format!("{base}/ok is broken")),
        "{}",
        run.stderr
    );
    let after_first = served.load(std::sync::atomic::Ordering::SeqCst);
    assert!(after_first >= 2, "both links were fetched");
    assert!(f.path(".hearth-cache/external-links.json").is_file());
    f.run(&["check", "--external"])
        .fails_with(&["is broken: HTTP 404"]);
    assert_eq!(
        served.load(std::sync::atomic::Ordering::SeqCst),
        after_first,
        "the second run used the cache"
    );
}

/// Every search fragment of the built site: (page URL, its indexed text, its filters).
fn search_fragments(f: &Fixture) -> Vec<(String, String, serde_json::Value)> {
    use std::io::Read;
    let dir = f.path("public/pagefind/fragment");
    std::fs::read_dir(&dir)
        .expect("fragments")
        .flatten()
        .map(|entry| {
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(entry.path()).expect("open"))
                .read_to_end(&mut text)
                .expect("gunzip");
            let json: serde_json::Value =
                serde_json::from_slice(text.strip_prefix(b"pagefind_dcd").expect("signature"))
                    .expect("json");
            (
                json["url"].as_str().unwrap_or("").to_string(),
                json["content"].as_str().unwrap_or("").to_string(),
                json["filters"].clone(),
            )
        })
        .collect()
}

#[test]
fn search_index_finds_a_word_in_its_page_with_filters() {
    let f = site();
    f.write(
        "content/articles/third.md",
        &article(
            "Third",
            "topics: [Sleep]\n",
            "The word zephyrine appears only here.\n",
        ),
    );
    f.build_ok();
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
        "search/index.html",
    ] {
        assert!(f.path(&format!("public/{file}")).is_file(), "{file}");
    }
    let fragments = search_fragments(&f);
    let with_word: Vec<&(String, String, serde_json::Value)> = fragments
        .iter()
        .filter(|(_, text, _)| text.contains("zephyrine"))
        .collect();
    assert_eq!(with_word.len(), 1, "{fragments:?}");
    assert_eq!(with_word[0].0, "/articles/third/");
    assert_eq!(with_word[0].2["kind"][0], "Article");
    assert_eq!(with_word[0].2["topic"][0], "Sleep");
    // Site chrome (menu, crisis notice, footer) is not indexed.
    assert!(!with_word[0].1.contains("988"), "{}", with_word[0].1);
    let page = f.html("public/search/index.html");
    assert!(page.text("noscript").contains("Search needs JavaScript"));
    assert!(
        page.attrs(".topic-filter a", "href")
            .contains(&"/topics/sleep/".to_string())
    );
}

#[test]
fn a_page_whose_template_has_no_main_element_is_named_as_left_out_of_search() {
    let f = site();
    f.write(
        "content/articles/third.md",
        &article("Third", "template: bare.html\n", "The word quillwort.\n"),
    );
    f.write(
        "templates/bare.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ title }}</title></head>\
         <body><div>{{ page.content | safe }}</div></body></html>",
    );
    let run = f.build_ok();
    assert!(
        run.stderr
            .contains("warning: this page is left out of search")
            && run.stderr.contains("content/articles/third.md"),
        "{}",
        run.stderr
    );
    // The theme's pages keep their `<main id="main">` and raise no such warning.
    assert_eq!(
        run.stderr.matches("left out of search").count(),
        1,
        "{}",
        run.stderr
    );
    let fragments = search_fragments(&f);
    assert!(
        fragments
            .iter()
            .all(|(url, _, _)| url != "/articles/third/")
    );
}

#[test]
fn search_can_be_turned_off() {
    let f = site();
    f.write(
        "site.toml",
        &format!("{SITE_TOML}[search]\nenabled = false\n"),
    );
    f.build_ok();
    assert!(!f.path("public/pagefind").exists());
    assert!(!f.path("public/search").exists());
}
