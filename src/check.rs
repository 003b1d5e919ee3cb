//! Checks over the rendered pages, so problems that templates cause are caught too:
//! the privacy gate (nothing loaded from another host), links and anchors, images
//! without alt text, skipped heading levels, empty link text and pages nothing links to.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lol_html::{HtmlRewriter, Settings, element, text};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};

/// What a page loads and links to, learned in one streaming pass over its HTML.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id` on the page, for anchor checks.
    pub ids: HashSet<String>,
    pub links: Vec<LinkFact>,
    /// URLs the page makes the browser load (scripts, styles, images, frames, media, fonts).
    pub loads: Vec<String>,
    pub images_without_alt: Vec<String>,
    pub heading_levels: Vec<u8>,
}

/// One `<a href>` and whether a reader (or screen reader) gets any text for it.
#[derive(Debug, Default, Clone)]
pub struct LinkFact {
    pub href: String,
    pub text: String,
    pub has_label: bool,
}

/// `<link rel>` values that make the browser fetch the URL.
const LOADING_RELS: [&str; 9] = [
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
    "mask-icon",
    "preconnect",
];

/// Reads one page's facts.
pub fn scan(html: &str) -> PageFacts {
    scan_with(html.as_bytes(), true)
}

/// Only what a page loads, for the privacy gate on every build: fewer handlers, so the
/// pass over every page stays cheap.
pub fn scan_loads(html: &str) -> Vec<String> {
    scan_with(html.as_bytes(), false).loads
}

/// lol_html reads bytes (as UTF-8, replacing what is not), so pages are scanned as they
/// are, without first checking or copying them into a `str`.
fn scan_with(html: &[u8], everything: bool) -> PageFacts {
    let facts = RefCell::new(PageFacts::default());
    let loads = |url: Option<String>| {
        if let Some(url) = url {
            facts.borrow_mut().loads.push(url);
        }
    };
    let mut handlers = Vec::with_capacity(11);
    let checks = vec![
        element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                facts.borrow_mut().ids.insert(id);
            }
            Ok(())
        }),
        element!("a[href]", |el| {
            let has_label = el
                .get_attribute("aria-label")
                .is_some_and(|l| !l.trim().is_empty());
            let href = unescape(&el.get_attribute("href").unwrap_or_default());
            facts.borrow_mut().links.push(LinkFact {
                href,
                text: String::new(),
                has_label,
            });
            Ok(())
        }),
        // Text handlers only see text inside the matched element, and links do not nest.
        text!("a[href]", |t| {
            if let Some(link) = facts.borrow_mut().links.last_mut() {
                link.text.push_str(t.as_str());
            }
            Ok(())
        }),
        element!("a[href] img[alt]", |el| {
            if let Some(link) = facts.borrow_mut().links.last_mut() {
                link.text
                    .push_str(&el.get_attribute("alt").unwrap_or_default());
            }
            Ok(())
        }),
        element!("h1, h2, h3, h4, h5, h6", |el| {
            let level = el.tag_name().as_bytes().get(1).map_or(1, |d| d - b'0');
            facts.borrow_mut().heading_levels.push(level);
            Ok(())
        }),
    ];
    if everything {
        handlers.extend(checks);
    } else {
        drop(checks);
    }
    handlers.extend([
        element!("img", |el| {
            if el.get_attribute("alt").is_none() {
                let src = el.get_attribute("src").unwrap_or_default();
                facts.borrow_mut().images_without_alt.push(src);
            }
            loads(el.get_attribute("src"));
            loads(el.get_attribute("srcset"));
            Ok(())
        }),
        element!(
            "script[src], iframe[src], video[src], audio[src], source[src], track[src], embed[src], input[src]",
            |el| {
                loads(el.get_attribute("src"));
                Ok(())
            }
        ),
        element!("source[srcset], video[poster], object[data]", |el| {
            loads(
                el.get_attribute("srcset")
                    .or_else(|| el.get_attribute("poster"))
                    .or_else(|| el.get_attribute("data")),
            );
            Ok(())
        }),
        element!("link[href]", |el| {
            let rel = el
                .get_attribute("rel")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if rel.split_whitespace().any(|r| LOADING_RELS.contains(&r)) {
                loads(el.get_attribute("href"));
            }
            Ok(())
        }),
    ]);
    // `[style]` makes lol_html read every tag's attributes; CSS can only load something
    // through `url(` or `@import`, so a page without either skips both style handlers.
    if may_hold_css_urls(html) {
        handlers.extend([
            element!("[style]", |el| {
                for url in css_urls(&el.get_attribute("style").unwrap_or_default()) {
                    loads(Some(url));
                }
                Ok(())
            }),
            text!("style", |t| {
                for url in css_urls(t.as_str()) {
                    loads(Some(url));
                }
                Ok(())
            }),
        ]);
    }
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), Settings::append_element_content_handler);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // The HTML is our own output; a tokenizer error still leaves what was read so far.
    let _ = rewriter.write(html).and_then(|()| rewriter.end());
    facts.into_inner()
}

/// Whether `html` holds `url(` or `@import` as written, the only ways [`css_urls`] finds a
/// URL (lol_html hands over attribute values and `<style>` text without decoding them).
fn may_hold_css_urls(html: &[u8]) -> bool {
    html.iter().enumerate().any(|(i, &b)| match b {
        b'(' => i >= 3 && &html[i - 3..i] == b"url",
        b'@' => html[i..].starts_with(b"@import"),
        _ => false,
    })
}

/// lol_html gives attribute values as written; links need the few entities we emit.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// URLs in CSS: `url(...)` and `@import "..."`.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        urls.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[end..];
    }
    let mut rest = css;
    while let Some(i) = rest.find("@import") {
        rest = rest[i + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &rest[1..];
            let end = inner.find(q).unwrap_or(inner.len());
            urls.push(inner[..end].to_string());
        }
    }
    urls
}

/// The host of an absolute or protocol-relative URL; `None` for URLs on this site.
pub fn foreign_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let after = if let Some(rest) = url.strip_prefix("//") {
        rest
    } else {
        let (scheme, rest) = url.split_once("://")?;
        if !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        {
            return None;
        }
        rest
    };
    let host = after.split(['/', '?', '#']).next().unwrap_or(after);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    Some(host.split(':').next().unwrap_or(host))
}

/// The privacy gate: every resource a page or stylesheet loads from another host, unless
/// `[privacy] allow` lists the host. `source_of` names the file to blame for an output.
pub fn privacy(
    outputs: &[Output],
    allow: &[String],
    source_of: &HashMap<PathBuf, PathBuf>,
) -> Vec<Diagnostic> {
    outputs
        .par_iter()
        .flat_map_iter(|o| {
            let Some(ext) = o.path.extension().and_then(|e| e.to_str()) else { return Vec::new() };
            if !matches!(ext, "html" | "htm" | "css") {
                return Vec::new();
            }
            // Static files are copied, not held in memory: read the few HTML and CSS ones.
            let bytes = match &o.body {
                Body::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
                Body::Copy(source) => std::borrow::Cow::Owned(std::fs::read(source).unwrap_or_default()),
            };
            let loads = match ext {
                "html" | "htm" => scan_with(&bytes, false).loads,
                "css" => css_urls(&String::from_utf8_lossy(&bytes)),
                _ => return Vec::new(),
            };
            let blame = match &o.body {
                Body::Copy(source) => source.clone(),
                Body::Bytes(_) => source_of.get(&o.path).cloned().unwrap_or_else(|| Path::new("public").join(&o.path)),
            };
            loads
                .iter()
                .flat_map(|l| l.split(',').map(|part| part.split_whitespace().next().unwrap_or("").to_string()))
                .filter_map(|url| {
                    let host = foreign_host(&url)?.to_string();
                    (!allow.iter().any(|a| a.eq_ignore_ascii_case(&host))).then(|| {
                        Diagnostic::error(&blame, format!("{} loads {url} from another host ({host})", o.path.display()))
                            .with_help(format!(
                                "readers' browsers would contact {host}; host the file yourself under static/, or if you accept that, add \"{host}\" to [privacy] allow in site.toml"
                            ))
                    })
                })
                .collect()
        })
        .collect()
}

/// What `hearth check` found in the rendered site.
#[derive(Debug, Default)]
pub struct SiteReport {
    pub problems: Vec<Diagnostic>,
    /// External links (http, https) with the pages that use them, sorted.
    pub external: Vec<(String, Vec<String>)>,
}

/// `a/b/index.html` → `/a/b/`; other files keep their name (`/404.html`).
fn url_of(path: &Path) -> String {
    let p = path.to_string_lossy().replace('\\', "/");
    match p.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{p}"),
    }
}

/// Links, anchors, alt text, heading order, empty link text and orphans, over every page.
pub fn site(outputs: &[Output], source_of: &HashMap<PathBuf, PathBuf>) -> SiteReport {
    let pages: HashMap<String, (&Path, PageFacts)> = outputs
        .par_iter()
        .filter(|o| {
            o.path.extension().is_some_and(|e| e == "html") && !o.path.starts_with("pagefind")
        })
        .filter_map(|o| match &o.body {
            Body::Bytes(b) => Some((
                url_of(&o.path),
                (o.path.as_path(), scan(&String::from_utf8_lossy(b))),
            )),
            Body::Copy(_) => None,
        })
        .collect();
    let files: HashSet<String> = outputs.iter().map(|o| url_of(&o.path)).collect();
    let mut report = SiteReport::default();
    let mut external: HashMap<String, Vec<String>> = HashMap::new();
    let mut linked: HashSet<String> = HashSet::new();
    let mut urls: Vec<&String> = pages.keys().collect();
    urls.sort();
    for url in urls {
        let (path, facts) = &pages[url];
        let blame = source_of
            .get(*path)
            .cloned()
            .unwrap_or_else(|| Path::new("public").join(path));
        let mut problem = |message: String, help: &str| {
            report
                .problems
                .push(Diagnostic::error(&blame, message).with_help(help))
        };
        for link in &facts.links {
            if link.text.trim().is_empty() && !link.has_label {
                problem(
                    format!("a link to {} has no text", link.href),
                    "give the link words (or an image with alt text) so screen-reader users know where it goes",
                );
            }
            let href = link.href.trim();
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//")
            {
                external
                    .entry(href.to_string())
                    .or_default()
                    .push(url.clone());
                continue;
            }
            if href.contains(':') && !href.starts_with('/') && !href.starts_with('#') {
                continue; // mailto:, tel: and other schemes are not pages
            }
            let (target_path, fragment) = href
                .split_once('#')
                .map_or((href, None), |(p, f)| (p, Some(f)));
            let target_path = target_path.split('?').next().unwrap_or("");
            let target = if target_path.is_empty() {
                url.clone()
            } else if target_path.starts_with('/') {
                target_path.to_string()
            } else {
                format!("{url}{target_path}")
            };
            let exists = files.contains(&target)
                || files.contains(&format!("{}/", target.trim_end_matches('/')));
            if !exists {
                problem(
                    format!("broken link to {href}: there is no {target}"),
                    "fix the link, or write internal links as @/path/to/page.md so hearth checks them at their line",
                );
                continue;
            }
            if &target != url {
                linked.insert(target.clone());
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && let Some((_, target_facts)) = pages.get(&target)
                && !target_facts.ids.contains(fragment)
            {
                problem(
                    format!("link to {href}: {target} has no element with id \"{fragment}\""),
                    "link to a heading that exists on that page",
                );
            }
        }
        for src in &facts.images_without_alt {
            problem(
                format!("image {src} has no alt attribute"),
                "add alt text that describes the image, or alt=\"\" if it is purely decorative",
            );
        }
        let mut previous = 0u8;
        for &level in &facts.heading_levels {
            if previous > 0 && level > previous + 1 {
                report.problems.push(
                    Diagnostic::warning(
                        &blame,
                        format!("heading level skipped: h{level} follows h{previous} on {url}"),
                    )
                    .with_help("screen-reader users navigate by headings; do not skip levels"),
                );
            }
            previous = level;
        }
    }
    let mut orphans: Vec<(&String, &PathBuf)> = pages
        .iter()
        .filter_map(|(url, (path, _))| source_of.get(*path).map(|source| (url, source)))
        .filter(|(url, _)| url.as_str() != "/" && !linked.contains(*url))
        .collect();
    orphans.sort();
    for (url, source) in orphans {
        report.problems.push(
            Diagnostic::warning(source, format!("no other page links to {url}"))
                .with_help("link to it from a related page or a menu, or readers will only find it through search"),
        );
    }
    report.external = external.into_iter().collect();
    report.external.sort();
    for (_, pages) in &mut report.external {
        pages.sort();
        pages.dedup();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_loads_links_ids_and_headings() {
        let facts = scan(
            "<h1 id=\"t\">T</h1><h3>x</h3><a href=\"/a/\">A</a><a href=\"#t\"><img src=\"i.png\" alt=\"Icon\"></a><a href=\"/b/\"></a>\
             <img src=\"https://cdn.example/x.png\"><link rel=\"stylesheet\" href=\"//fonts.example/css\"><link rel=\"canonical\" href=\"https://me.example/\">\
             <div style=\"background:url('https://img.example/bg.png')\"></div><style>@import \"https://css.example/a.css\";</style>",
        );
        assert!(facts.ids.contains("t"));
        assert_eq!(facts.heading_levels, vec![1, 3]);
        let texts: Vec<(&str, &str)> = facts
            .links
            .iter()
            .map(|l| (l.href.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(texts, vec![("/a/", "A"), ("#t", "Icon"), ("/b/", "")]);
        assert_eq!(facts.images_without_alt, vec!["https://cdn.example/x.png"]);
        assert_eq!(
            facts.loads,
            vec![
                "i.png",
                "https://cdn.example/x.png",
                "//fonts.example/css",
                "https://img.example/bg.png",
                "https://css.example/a.css"
            ]
        );
    }

    #[test]
    fn css_loads_are_found_alone_and_skipped_only_when_impossible() {
        assert_eq!(
            scan_loads("<p style=\"background:url(https://x.example/a.png)\">x</p>"),
            vec!["https://x.example/a.png"]
        );
        assert_eq!(
            scan_loads("<style>@import 'https://y.example/b.css';</style>"),
            vec!["https://y.example/b.css"]
        );
        assert!(may_hold_css_urls(b"<div style=\"background: url(a.png)\">"));
        assert!(may_hold_css_urls(b"@import"));
        assert!(!may_hold_css_urls(
            b"<p style=\"color: red\">(url) @imp</p>"
        ));
        assert!(!may_hold_css_urls(b"rl("));
    }

    #[test]
    fn foreign_hosts() {
        assert_eq!(
            foreign_host("https://cdn.example:443/x"),
            Some("cdn.example")
        );
        assert_eq!(foreign_host("//fonts.example/css"), Some("fonts.example"));
        assert_eq!(foreign_host("/style.css"), None);
        assert_eq!(foreign_host("data:image/png;base64,xx"), None);
    }
}
