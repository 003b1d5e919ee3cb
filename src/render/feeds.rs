//! Files for feed readers and crawlers: the Atom feed of articles, `sitemap.xml`,
//! `robots.txt`, and redirect pages for old URLs (`aliases:`).

use std::fmt::Write;

use jiff::civil::Date;

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

/// The newest articles, by date then title, as the feed lists them.
fn newest_articles(site: &Site) -> Vec<&Page> {
    let mut articles: Vec<&Page> = site.pages_of_kind(Kind::Articles).map(|(_, p)| p).collect();
    articles.sort_by(|a, b| {
        b.common
            .date
            .cmp(&a.common.date)
            .then(a.common.title.cmp(&b.common.title))
    });
    articles.truncate(FEED_ENTRIES);
    articles
}

/// The Atom feed of the newest articles, with absolute URLs and their full text.
/// The Atom feed of the newest articles; `images` are the photos' copies, which the
/// entries show as plain `<img>`s with absolute URLs.
pub fn atom(
    site: &Site,
    images: &std::collections::HashMap<std::path::PathBuf, crate::images::ImageSet>,
) -> String {
    let config = &site.config;
    let base = config.base();
    let articles = newest_articles(site);
    let updated = articles
        .iter()
        .filter_map(|p| p.last_modified())
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let mut xml = String::with_capacity(4096 + articles.len() * 8192);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n<id>{base}/</id>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/atom.xml\"/>\n\
         <updated>{updated}</updated>\n<generator>hearth</generator>\n",
        lang = xml_escape(&config.language),
        title = xml_escape(&config.title),
        subtitle = xml_escape(&config.description),
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

/// Every public page with its last change, for search engines.
pub fn sitemap(site: &Site) -> String {
    let base = site.config.base();
    let mut entries: Vec<(String, Option<Date>)> = Vec::new();
    for section in &site.sections {
        let newest = section
            .pages
            .iter()
            .filter_map(|&p| site.pages[p].last_modified())
            .max();
        entries.push((section.url.clone(), newest));
    }
    entries.extend(
        site.pages
            .iter()
            .map(|p| (p.url.clone(), p.last_modified())),
    );
    entries.push(("/topics/".into(), None));
    entries.extend(site.topics.iter().map(|t| {
        let newest = t
            .pages
            .iter()
            .filter_map(|&p| site.pages[p].last_modified())
            .max();
        (t.url.clone(), newest)
    }));
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in entries {
        let _ = write!(
            xml,
            "<url><loc>{}</loc>",
            xml_escape(&format!("{base}{url}"))
        );
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
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
