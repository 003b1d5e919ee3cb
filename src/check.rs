//! `hearth check` over the rendered pages, so problems that templates cause are caught
//! too: links and anchors, images without alt text, skipped heading levels, empty link
//! text and pages nothing links to. (The privacy gate, which runs on every build, is
//! `privacy`.)

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lol_html::{HtmlRewriter, Settings, element, text};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};

/// What a page links to and holds, learned in one streaming pass over its HTML.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id` on the page, for anchor checks.
    pub ids: HashSet<String>,
    pub links: Vec<LinkFact>,
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

/// Reads one page's facts.
pub fn scan(html: &str) -> PageFacts {
    let facts = RefCell::new(PageFacts::default());
    let handlers = vec![
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
            // lol_html gives attribute values as written.
            let href =
                html_escape::decode_html_entities(&el.get_attribute("href").unwrap_or_default())
                    .into_owned();
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
        element!("img", |el| {
            if el.get_attribute("alt").is_none() {
                let src = el.get_attribute("src").unwrap_or_default();
                facts.borrow_mut().images_without_alt.push(src);
            }
            Ok(())
        }),
    ];
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), Settings::append_element_content_handler);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // The HTML is our own output; a tokenizer error still leaves what was read so far.
    let _ = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    facts.into_inner()
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
    let site = RenderedSite::scan(outputs);
    let mut found = Findings::default();
    let mut urls: Vec<&String> = site.pages.keys().collect();
    urls.sort();
    for url in urls {
        let (path, facts) = &site.pages[url];
        let blame = source_of
            .get(*path)
            .cloned()
            .unwrap_or_else(|| Path::new("public").join(path));
        for link in &facts.links {
            site.check_link(url, link, &blame, &mut found);
        }
        for src in &facts.images_without_alt {
            found.problems.push(
                Diagnostic::error(&blame, format!("image {src} has no alt attribute")).with_help(
                    "add alt text that describes the image, or alt=\"\" if it is purely decorative",
                ),
            );
        }
        found
            .problems
            .extend(skipped_headings(&facts.heading_levels, url, &blame));
    }
    found
        .problems
        .extend(orphans(&site, source_of, &found.linked));
    SiteReport {
        problems: found.problems,
        external: sorted_external(found.external),
    }
}

/// The rendered site as the checks see it: each HTML page's facts by URL, and the URL of
/// every file.
struct RenderedSite<'a> {
    pages: HashMap<String, (&'a Path, PageFacts)>,
    files: HashSet<String>,
}

/// What the checks found so far.
#[derive(Default)]
struct Findings {
    problems: Vec<Diagnostic>,
    /// External link → the pages that use it.
    external: HashMap<String, Vec<String>>,
    /// Pages some other page links to.
    linked: HashSet<String>,
}

impl<'a> RenderedSite<'a> {
    /// Scans every HTML page (the search index's own pages aside), in parallel.
    fn scan(outputs: &'a [Output]) -> RenderedSite<'a> {
        let pages = outputs
            .par_iter()
            .filter(|o| {
                o.path.extension().is_some_and(|e| e == "html") && !o.path.starts_with("pagefind")
            })
            .filter_map(|o| match &o.body {
                Body::Bytes(b) => Some((
                    url_of(&o.path),
                    (o.path.as_path(), scan(&String::from_utf8_lossy(b))),
                )),
                Body::Copy(_) | Body::Cached(_) => None,
            })
            .collect();
        let files = outputs.iter().map(|o| url_of(&o.path)).collect();
        RenderedSite { pages, files }
    }

    /// Checks one link of the page at `url`: its text, its target and the target's anchor.
    fn check_link(&self, url: &String, link: &LinkFact, blame: &Path, found: &mut Findings) {
        let mut problem = |message: String, help: &str| {
            found
                .problems
                .push(Diagnostic::error(blame, message).with_help(help))
        };
        if link.text.trim().is_empty() && !link.has_label {
            problem(
                format!("a link to {} has no text", link.href),
                "give the link words (or an image with alt text) so screen-reader users know where it goes",
            );
        }
        let href = link.href.trim();
        if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//") {
            let pages = found.external.entry(href.to_string()).or_default();
            pages.push(url.clone());
            return;
        }
        if href.contains(':') && !href.starts_with('/') && !href.starts_with('#') {
            return; // mailto:, tel: and other schemes are not pages
        }
        let (target, fragment) = target_of(url, href);
        let exists = self.files.contains(&target)
            || self
                .files
                .contains(&format!("{}/", target.trim_end_matches('/')));
        if !exists {
            problem(
                format!("broken link to {href}: there is no {target}"),
                "fix the link, or write internal links as @/path/to/page.md so hearth checks them at their line",
            );
            return;
        }
        if let Some(fragment) = fragment.filter(|f| !f.is_empty())
            && let Some((_, target_facts)) = self.pages.get(&target)
            && !target_facts.ids.contains(fragment)
        {
            problem(
                format!("link to {href}: {target} has no element with id \"{fragment}\""),
                "link to a heading that exists on that page",
            );
        }
        if &target != url {
            found.linked.insert(target);
        }
    }
}

/// The site URL an internal `href` on the page at `url` leads to, and its `#fragment`.
fn target_of<'h>(url: &str, href: &'h str) -> (String, Option<&'h str>) {
    let (target_path, fragment) = href
        .split_once('#')
        .map_or((href, None), |(p, f)| (p, Some(f)));
    let target_path = target_path.split('?').next().unwrap_or("");
    let target = if target_path.is_empty() {
        url.to_string()
    } else if target_path.starts_with('/') {
        target_path.to_string()
    } else {
        format!("{url}{target_path}")
    };
    (target, fragment)
}

/// A warning for each heading that is more than one level below the one before it.
fn skipped_headings(levels: &[u8], url: &str, blame: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut previous = 0u8;
    for &level in levels {
        if previous > 0 && level > previous + 1 {
            problems.push(
                Diagnostic::warning(
                    blame,
                    format!("heading level skipped: h{level} follows h{previous} on {url}"),
                )
                .with_help("screen-reader users navigate by headings; do not skip levels"),
            );
        }
        previous = level;
    }
    problems
}

/// A warning for each page made from a source that no other page links to (the home page
/// aside), in URL order.
fn orphans(
    site: &RenderedSite<'_>,
    source_of: &HashMap<PathBuf, PathBuf>,
    linked: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut orphans: Vec<(&String, &PathBuf)> = site
        .pages
        .iter()
        .filter_map(|(url, (path, _))| source_of.get(*path).map(|source| (url, source)))
        .filter(|(url, _)| url.as_str() != "/" && !linked.contains(*url))
        .collect();
    orphans.sort();
    orphans
        .into_iter()
        .map(|(url, source)| {
            Diagnostic::warning(source, format!("no other page links to {url}"))
                .with_help("link to it from a related page or a menu, or readers will only find it through search")
        })
        .collect()
}

/// External links, sorted, each with the pages that use it, sorted and without repeats.
fn sorted_external(external: HashMap<String, Vec<String>>) -> Vec<(String, Vec<String>)> {
    let mut external: Vec<(String, Vec<String>)> = external.into_iter().collect();
    external.sort();
    for (_, pages) in &mut external {
        pages.sort();
        pages.dedup();
    }
    external
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_links_ids_and_headings() {
        let facts = scan(
            "<h1 id=\"t\">T</h1><h3>x</h3><a href=\"/a/\">A</a><a href=\"#t\"><img src=\"i.png\" alt=\"Icon\"></a><a href=\"/b/\"></a>\
             <img src=\"https://cdn.example/x.png\"><a href=\"/c/?a=1&amp;b=2\" aria-label=\"C\"></a>",
        );
        assert!(facts.ids.contains("t"));
        assert_eq!(facts.heading_levels, vec![1, 3]);
        let texts: Vec<(&str, &str, bool)> = facts
            .links
            .iter()
            .map(|l| (l.href.as_str(), l.text.as_str(), l.has_label))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("/a/", "A", false),
                ("#t", "Icon", false),
                ("/b/", "", false),
                ("/c/?a=1&b=2", "", true)
            ]
        );
        assert_eq!(facts.images_without_alt, vec!["https://cdn.example/x.png"]);
    }

    fn page(path: &str, html: &str) -> Output {
        Output::bytes(PathBuf::from(path), html.as_bytes().to_vec())
    }

    #[test]
    fn site_reports_each_problem_once_in_page_order() {
        let outputs = vec![
            page(
                "index.html",
                "<h1>Home</h1><h3>Skipped</h3><a href=\"/a/\">A</a><a href=\"/a/#part\">Part</a>\
                 <a href=\"/a/#gone\">Gone</a><a href=\"/nowhere/\">No</a><a href=\"/a/\"></a>\
                 <a href=\"mailto:x@example.org\">Mail</a><a href=\"https://x.example/\">X</a>",
            ),
            page(
                "a/index.html",
                "<h2 id=\"part\">Part</h2><img src=\"p.png\"><a href=\"https://x.example/\">X</a>\
                 <a href=\"#part\">Here</a><a href=\"/b/?q=1\">B</a>",
            ),
            page("b/index.html", "<p>B</p>"),
            page("lonely/index.html", "<p>Nobody links here</p>"),
            page("pagefind/x.html", "<img src=\"ignored.png\">"),
        ];
        let source_of: HashMap<PathBuf, PathBuf> = [
            ("a/index.html", "content/a.md"),
            ("lonely/index.html", "content/lonely.md"),
        ]
        .into_iter()
        .map(|(o, s)| (PathBuf::from(o), PathBuf::from(s)))
        .collect();
        let report = site(&outputs, &source_of);
        let found: Vec<(String, String)> = report
            .problems
            .iter()
            .map(|d| (d.path.display().to_string(), d.message.clone()))
            .collect();
        let expected = [
            (
                "public/index.html",
                "link to /a/#gone: /a/ has no element with id \"gone\"",
            ),
            (
                "public/index.html",
                "broken link to /nowhere/: there is no /nowhere/",
            ),
            ("public/index.html", "a link to /a/ has no text"),
            (
                "public/index.html",
                "heading level skipped: h3 follows h1 on /",
            ),
            ("content/a.md", "image p.png has no alt attribute"),
            ("content/lonely.md", "no other page links to /lonely/"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(
            report.external,
            vec![(
                "https://x.example/".to_string(),
                vec!["/".to_string(), "/a/".to_string()]
            )]
        );
    }
}
