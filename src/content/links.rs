//! Link resolution: `@/path.md#anchor` placeholders become URLs (in pages' HTML and in
//! worksheets' models alike, so each link is checked once), and `books:` / `worksheets:`
//! references become the backlink graph ("Mentioned in").

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::kinds::{Kind, Meta};
use super::worksheet::Worksheet;
use super::{Page, Section};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown::{Heading, InternalLink, LINK_CLOSE, LINK_OPEN, Rendered};

/// What a link target offers: its URL and its headings, whose ids are the anchors. Pages
/// have a handful of headings: looking through them beats a set made for each page.
struct Target<'a> {
    url: &'a str,
    headings: &'a [Heading],
}

impl Target<'_> {
    fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings.iter().map(|h| h.id.as_str())
    }
}

/// Link targets by their path in `@/` links.
type Table<'a> = HashMap<Cow<'a, str>, Target<'a>>;

/// Replaces every link placeholder in pages and sections, reporting missing targets.
///
/// In a page of another language than the default, a link to a page that has a
/// translation in that language leads to the translation; one that has none leads to the
/// page as named, with a warning.
pub fn resolve(
    pages: &mut [Page],
    sections: &mut [Section],
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) {
    // The HTML is taken out of the pages while the table borrows them, so that each page's
    // text is replaced as soon as its links are resolved: the site's HTML is never held
    // twice (at 10 000 pages that was some 70 MB of memory touched for nothing).
    // A page without links keeps its HTML as it is (shared with `serve`'s cache).
    let mut page_html: Vec<Option<Html>> = pages
        .iter_mut()
        .map(|p| (!p.rendered.links.is_empty()).then(|| Html::take_page(p)))
        .collect();
    let mut section_html: Vec<Html> = sections
        .iter_mut()
        .map(|s| Html::take(&mut s.rendered))
        .collect();
    {
        let table = every_target(pages, sections);
        let page_problems: Vec<Vec<Diagnostic>> = page_html
            .par_iter_mut()
            .zip(pages.par_iter())
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|(html, p)| match html {
                Some(html) => resolve_into(
                    &table,
                    Source {
                        path: &p.path,
                        language: language_of(languages, p.lang),
                        body_offset: p.body_offset,
                    },
                    || p.text(),
                    &p.rendered,
                    html,
                ),
                None => Vec::new(),
            })
            .collect();
        diags.extend(page_problems.into_iter().flatten());
        for (html, s) in section_html.iter_mut().zip(sections.iter()) {
            diags.extend(resolve_into(
                &table,
                Source {
                    path: &s.path,
                    language: language_of(languages, s.lang),
                    body_offset: s.body_offset,
                },
                || Cow::Borrowed(s.source.as_str()),
                &s.rendered,
                html,
            ));
        }
    }
    for (p, html) in pages.iter_mut().zip(page_html) {
        if let Some(html) = html {
            html.put_back_page(p);
        }
    }
    for (s, html) in sections.iter_mut().zip(section_html) {
        html.put_back(&mut s.rendered);
    }
}

/// Every page and section as a link target, by its path in `@/` links.
fn every_target<'a>(pages: &'a [Page], sections: &'a [Section]) -> Table<'a> {
    let pages = pages
        .iter()
        .map(|p| (Cow::Borrowed(p.rel.as_str()), target(&p.url, &p.rendered)));
    let sections = sections
        .iter()
        .map(|s| (Cow::Owned(s.rel()), target(&s.url, &s.rendered)));
    pages.chain(sections).collect()
}

fn target<'a>(url: &'a str, rendered: &'a Rendered) -> Target<'a> {
    Target {
        url,
        headings: &rendered.headings,
    }
}

/// A page's HTML (and worksheet, whose links the PDF prints), held apart from the page
/// while its links are resolved.
struct Html {
    html: String,
    summary: Option<String>,
    worksheet: Option<Worksheet>,
}

impl Html {
    fn take(rendered: &mut Rendered) -> Html {
        Html {
            html: std::mem::take(&mut rendered.html),
            summary: rendered.summary_html.take(),
            worksheet: None,
        }
    }

    fn take_page(page: &mut Page) -> Html {
        Html {
            worksheet: page.worksheet.take(),
            ..Html::take(Arc::make_mut(&mut page.rendered))
        }
    }

    fn put_back(self, rendered: &mut Rendered) {
        rendered.html = self.html;
        rendered.summary_html = self.summary;
    }

    fn put_back_page(mut self, page: &mut Page) {
        page.worksheet = self.worksheet.take();
        self.put_back(Arc::make_mut(&mut page.rendered));
    }
}

/// The file whose links are resolved: where it is, and its language when it is not the
/// default one.
struct Source<'a> {
    path: &'a std::path::Path,
    language: Option<&'a str>,
    body_offset: usize,
}

fn language_of(languages: &[String], lang: usize) -> Option<&str> {
    (lang > 0)
        .then(|| languages.get(lang).map(String::as_str))
        .flatten()
}

/// `articles/a.md` in Spanish: `articles/a.es.md`.
fn translated_rel(rel: &str, code: &str) -> Option<String> {
    rel.strip_suffix(".md")
        .map(|stem| format!("{stem}.{code}.md"))
}

/// Puts the URLs of `rendered`'s links into `html`; returns the links that lead nowhere,
/// and those that lead to another language, pointed at their lines in the file's `text`
/// (asked for only then).
fn resolve_into<'a>(
    table: &Table<'_>,
    source: Source<'_>,
    text: impl FnOnce() -> Cow<'a, str>,
    rendered: &Rendered,
    html: &mut Html,
) -> Vec<Diagnostic> {
    if rendered.links.is_empty() {
        return Vec::new();
    }
    let mut missing = Vec::new();
    let urls: Vec<String> = rendered
        .links
        .iter()
        .map(|link| {
            let translation = source
                .language
                .and_then(|code| translated_rel(&link.target, code))
                .filter(|rel| table.contains_key(rel.as_str()));
            let found = match &translation {
                Some(rel) => lookup(
                    table,
                    &InternalLink {
                        target: rel.clone(),
                        ..link.clone()
                    },
                ),
                None => lookup(table, link),
            };
            match found {
                Ok(url) => {
                    if let Some(code) = source.language
                        && translation.is_none()
                        && !link.target.contains(&format!(".{code}.md"))
                    {
                        missing.push((
                            link.offset,
                            (
                                format!("link to `@/{}`: it has no `{code}` translation, so the link leads to the page in its own language", link.target),
                                format!("write @/{} to have this link lead to a translation", translated_rel(&link.target, code).unwrap_or_default()),
                            ),
                            false,
                        ));
                    }
                    url
                }
                Err(problem) => {
                    missing.push((link.offset, problem, true));
                    String::from("#")
                }
            }
        })
        .collect();
    html.html = substitute(&html.html, &urls);
    if let Some(summary) = &mut html.summary {
        *summary = substitute(summary, &urls);
    }
    if let Some(sheet) = &mut html.worksheet {
        sheet.rewrite_links(&mut |url| *url = substitute(url, &urls));
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let text = text();
    missing
        .into_iter()
        .map(|(offset, (message, help), error)| {
            let d = if error {
                Diagnostic::error(source.path, message)
            } else {
                Diagnostic::warning(source.path, message)
            };
            d.at_offset(&text, source.body_offset + offset)
                .with_help(help)
        })
        .collect()
}

fn lookup(table: &Table<'_>, link: &InternalLink) -> Result<String, (String, String)> {
    let Some(target) = table.get(link.target.as_str()) else {
        let help = match did_you_mean(&link.target, table.keys().map(|k| k.as_ref())) {
            Some(best) => format!("did you mean `@/{best}`? Paths start at the content folder"),
            None => {
                "write the path from the content folder, e.g. `@/articles/some-article.md`".into()
            }
        };
        return Err((format!("link to `@/{}`: no such page", link.target), help));
    };
    match &link.anchor {
        None => Ok(target.url.to_string()),
        Some(anchor) if target.anchors().any(|a| a == anchor) => {
            Ok(format!("{}#{anchor}", target.url))
        }
        Some(anchor) => {
            let help = match did_you_mean(anchor, target.anchors()) {
                Some(best) => format!("did you mean `#{best}`?"),
                None => format!(
                    "the page's headings have these anchors: {}",
                    sorted(target.anchors())
                ),
            };
            Err((
                format!(
                    "link to `@/{}#{anchor}`: that page has no heading with this anchor",
                    link.target
                ),
                help,
            ))
        }
    }
}

fn sorted<'a>(anchors: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = anchors.collect();
    v.sort_unstable();
    v.dedup();
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(", ")
    }
}

/// Replaces `LINK_OPEN n LINK_CLOSE` with `urls[n]`.
fn substitute(html: &str, urls: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + urls.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(LINK_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + LINK_OPEN.len()..];
        let index = after
            .find(LINK_CLOSE)
            .and_then(|end| Some((end, after[..end].parse::<usize>().ok()?)));
        match index.and_then(|(end, i)| Some((end, urls.get(i)?))) {
            Some((end, url)) => {
                out.push_str(url);
                rest = &after[end + LINK_CLOSE.len()..];
            }
            // Not one of ours (someone wrote the marker text): keep it as it was.
            None => {
                out.push_str(LINK_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `books:` and `worksheets:` references of the articles, both ways, as page indices.
#[derive(Debug, Default)]
pub struct References {
    /// Article → the books it recommends, in the order its front matter names them.
    pub books_of: HashMap<usize, Vec<usize>>,
    /// Article → the worksheets it names, in order.
    pub worksheets_of: HashMap<usize, Vec<usize>>,
    /// Book → the articles that recommend it.
    pub mentioned_in: HashMap<usize, Vec<usize>>,
    /// Worksheet → the articles that name it.
    pub used_by: HashMap<usize, Vec<usize>>,
}

/// Checks `books:` and `worksheets:` references and returns them both ways. A page is
/// named by its default-language slug; an article in another language is given the
/// translation in its language, or else the page as named, with a warning.
pub fn references(
    pages: &[Page],
    translations: &HashMap<String, Vec<usize>>,
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> References {
    let slugs = |kind: Kind| -> HashMap<&str, usize> {
        let mut table = HashMap::new();
        // The default language's names first, so that a translation's own slug never
        // hides them.
        for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.kind == kind) {
            if p.lang == 0 {
                table.insert(p.slug.as_str(), i);
            }
        }
        for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.kind == kind) {
            table.entry(p.slug.as_str()).or_insert(i);
        }
        table
    };
    let books = slugs(Kind::Books);
    let worksheets = slugs(Kind::Worksheets);
    let mut refs = References::default();
    for (i, page) in pages.iter().enumerate() {
        let Meta::Article(article) = &page.meta else {
            continue;
        };
        for (key, names, table, forward, back) in [
            (
                "books",
                &article.books,
                &books,
                &mut refs.books_of,
                &mut refs.mentioned_in,
            ),
            (
                "worksheets",
                &article.worksheets,
                &worksheets,
                &mut refs.worksheets_of,
                &mut refs.used_by,
            ),
        ] {
            for name in names {
                match table.get(name.as_str()) {
                    Some(&named) => {
                        let target = in_language(pages, translations, named, page.lang);
                        if pages[target].lang != page.lang {
                            diags.push(other_language(page, key, name, languages));
                        }
                        forward.entry(i).or_default().push(target);
                        back.entry(target).or_default().push(i);
                    }
                    None => diags.push(missing_reference(page, key, name, table)),
                }
            }
        }
    }
    refs
}

/// Page `named`'s translation in `lang`, or `named` itself when it has none.
fn in_language(
    pages: &[Page],
    translations: &HashMap<String, Vec<usize>>,
    named: usize,
    lang: usize,
) -> usize {
    translations
        .get(&pages[named].translation_key)
        .and_then(|group| group.iter().copied().find(|&t| pages[t].lang == lang))
        .unwrap_or(named)
}

fn other_language(page: &Page, key: &str, name: &str, languages: &[String]) -> Diagnostic {
    let code = languages.get(page.lang).map_or("", String::as_str);
    let kind = if key == "books" { "book" } else { "worksheet" };
    page.locate(
        key,
        name,
        Diagnostic::warning(
            &page.path,
            format!("{kind} `{name}` has no `{code}` translation: the link leads to the page in its own language"),
        )
        .with_help(format!("add a translation beside it (its name ending in .{code}.md) for the link to stay in this language")),
    )
}

fn missing_reference(
    page: &Page,
    key: &str,
    name: &str,
    table: &HashMap<&str, usize>,
) -> Diagnostic {
    let kind = if key == "books" { "book" } else { "worksheet" };
    let help = match did_you_mean(name, table.keys().copied()) {
        Some(best) => {
            format!("did you mean `{best}`? A {kind} is named by its file (or folder) name")
        }
        None => format!("add the {kind} under content/{key}/, or remove `{name}` from `{key}:`"),
    };
    page.locate(
        key,
        name,
        Diagnostic::error(&page.path, format!("{kind} `{name}` does not exist")).with_help(help),
    )
}

/// Byte offset of `value` after the line that starts with `key:` in the front matter.
pub fn find_in_front_matter(source: &str, key: &str, value: &str) -> Option<usize> {
    let end = source
        .get(3..)?
        .find("\n---")
        .map_or(source.len(), |i| i + 3);
    let front = &source[..end];
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        if line
            .trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
        {
            return front[offset..].find(value).map(|i| offset + i);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_placeholders() {
        let html = format!(
            "<a href=\"{LINK_OPEN}1{LINK_CLOSE}\">x</a><a href=\"{LINK_OPEN}0{LINK_CLOSE}\">",
        );
        let out = substitute(&html, &["/a/".into(), "/b/#c".into()]);
        assert_eq!(out, "<a href=\"/b/#c\">x</a><a href=\"/a/\">");
    }

    #[test]
    fn finds_values_in_front_matter() {
        let src = "---\ntitle: X\nbooks: [one, two]\n---\nbody two\n";
        assert_eq!(
            find_in_front_matter(src, "books", "two"),
            Some(src.find("two").unwrap())
        );
        assert_eq!(find_in_front_matter(src, "worksheets", "two"), None);
    }
}
