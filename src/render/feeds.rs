//! Files for feed readers and crawlers: the Atom feed of articles, `sitemap.xml`,
//! `robots.txt`, and redirect pages for old URLs (`aliases:`).

use std::fmt::Write;

use jiff::civil::Date;

use super::languages::{self, Versions};
use crate::content::{Kind, Page, Site};

/// Articles in the feed, newest first.
const FEED_ENTRIES: usize = 20;

/// `2026-03-14` → `2026-03-14T00:00:00Z`, the RFC 3339 form Atom requires.
fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Makes site-relative `href="/…"` and `src="/…"` absolute, as feed readers need.
fn absolute_urls(html: &str, base: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{base}/"))
        .replace("src=\"/", &format!("src=\"{base}/"))
}

/// The newest articles of a language, by date then title, as its feed lists them.
fn newest_articles(site: &Site, lang: usize) -> Vec<&Page> {
    let mut articles: Vec<&Page> = site
        .pages_of_kind(Kind::Articles)
        .map(|(_, p)| p)
        .filter(|p| p.lang == lang)
        .collect();
    articles.sort_by(|a, b| {
        b.common
            .date
            .cmp(&a.common.date)
            .then(a.common.title.cmp(&b.common.title))
    });
    articles.truncate(FEED_ENTRIES);
    articles
}

/// Where a language's feed is written: `atom.xml`, `es/atom.xml`.
pub fn feed_path(site: &Site, lang: usize) -> std::path::PathBuf {
    let prefix = site.url_prefix(lang);
    std::path::PathBuf::from(prefix.trim_start_matches('/')).join("atom.xml")
}

/// A language's Atom feed of its newest articles, with absolute URLs and their full text;
/// `images` are the photos' copies, which the entries show as plain `<img>`s.
pub fn atom(
    site: &Site,
    lang: usize,
    images: &std::collections::HashMap<std::path::PathBuf, crate::images::ImageSet>,
) -> String {
    let config = &site.config;
    let base = config.base();
    let articles = newest_articles(site, lang);
    let code = site.code(lang);
    let home = format!("{base}{}/", site.url_prefix(lang));
    let feed_url = format!("{base}{}/atom.xml", site.url_prefix(lang));
    let updated = articles
        .iter()
        .filter_map(|p| p.last_modified())
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let mut xml = String::with_capacity(4096 + articles.len() * 8192);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n<id>{home}</id>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed_url}\"/>\n\
         <updated>{updated}</updated>\n<generator>hearth</generator>\n",
        lang = xml_escape(code),
        title = xml_escape(config.title_in(code)),
        subtitle = xml_escape(config.description_in(code)),
    );
    let practice = config.practice.name.as_deref().unwrap_or(&config.title);
    for page in articles {
        let url = format!("{base}{}", page.url);
        let published = page.common.date.map(rfc3339);
        let modified = page
            .last_modified()
            .map(rfc3339)
            .unwrap_or_else(|| updated.clone());
        let with_images = |html: &str| {
            super::images::inline(
                site,
                images,
                &page.path,
                &page.rendered.images,
                html,
                super::images::Inline::Feed { base },
            )
            .into_owned()
        };
        let author = match &page.meta {
            crate::content::Meta::Article(a) => a.author.as_deref().unwrap_or(practice),
            _ => practice,
        };
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <updated>{modified}</updated>\n",
            xml_escape(&page.common.title)
        );
        if let Some(published) = published {
            let _ = writeln!(xml, "<published>{published}</published>");
        }
        let _ = writeln!(xml, "<author><name>{}</name></author>", xml_escape(author));
        for topic in &page.common.topics {
            let _ = writeln!(xml, "<category term=\"{}\"/>", xml_escape(topic));
        }
        let summary = page
            .common
            .description
            .as_deref()
            .map(xml_escape)
            .or_else(|| {
                page.rendered
                    .summary_html
                    .as_deref()
                    .map(|s| xml_escape(&absolute_urls(&with_images(s), base)))
            });
        if let Some(summary) = summary {
            let kind = if page.common.description.is_some() {
                "text"
            } else {
                "html"
            };
            let _ = writeln!(xml, "<summary type=\"{kind}\">{summary}</summary>");
        }
        let _ = writeln!(
            xml,
            "<content type=\"html\">{}</content>\n</entry>",
            xml_escape(&absolute_urls(&with_images(&page.rendered.html), base))
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// Every public page with its last change, for search engines, and for a page in more
/// than one language, each version as an `xhtml:link` alternate.
pub fn sitemap(site: &Site) -> String {
    let base = site.config.base();
    let newest = |pages: &[usize]| {
        pages
            .iter()
            .filter_map(|&p| site.pages[p].last_modified())
            .max()
    };
    let mut entries: Vec<(String, Option<Date>, Versions)> = Vec::new();
    for (s, section) in site.sections.iter().enumerate() {
        entries.push((
            section.url.clone(),
            newest(&section.pages),
            languages::section_versions(site, s),
        ));
    }
    entries.extend(site.pages.iter().enumerate().map(|(i, p)| {
        (
            p.url.clone(),
            p.last_modified(),
            languages::page_versions(site, i),
        )
    }));
    let topic_index = languages::every_language(site, "/topics/");
    for lang in 0..site.languages.len() {
        let url = format!("{}/topics/", site.url_prefix(lang));
        entries.push((url, None, topic_index.clone()));
    }
    entries.extend(site.topics.iter().map(|t| {
        (
            t.url.clone(),
            newest(&t.pages),
            languages::only(site, t.lang, &t.url),
        )
    }));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if site.languages.len() > 1 {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for (url, lastmod, versions) in entries {
        let _ = write!(
            xml,
            "<url><loc>{}</loc>",
            xml_escape(&format!("{base}{url}"))
        );
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        for alternate in languages::alternates(site, &versions) {
            let _ = write!(
                xml,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml_escape(&alternate.lang),
                xml_escape(&alternate.url)
            );
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
        site.config.base()
    )
}

/// Where an alias is written: `/old/` → `old/index.html`, `/old.html` → `old.html`.
pub fn alias_path(alias: &str) -> std::path::PathBuf {
    let trimmed = alias.trim_start_matches('/');
    if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        std::path::PathBuf::from(trimmed)
    } else {
        std::path::PathBuf::from(trimmed.trim_end_matches('/')).join("index.html")
    }
}

/// A page that sends browsers and search engines from an old URL to the page's new one.
pub fn redirect_page(site: &Site, page: &Page) -> String {
    let target = format!("{}{}", site.config.base(), page.url);
    let target = xml_escape(&target);
    let title = xml_escape(&page.common.title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n\
         <body>\n<p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(&site.config.language)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths() {
        assert_eq!(
            alias_path("/old/post/"),
            std::path::PathBuf::from("old/post/index.html")
        );
        assert_eq!(alias_path("old.html"), std::path::PathBuf::from("old.html"));
    }

    #[test]
    fn urls_become_absolute_and_text_is_escaped() {
        assert_eq!(
            absolute_urls("<a href=\"/a/\"><img src=\"/i.png\">", "https://e.org"),
            "<a href=\"https://e.org/a/\"><img src=\"https://e.org/i.png\">"
        );
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
