//! A page's versions in the site's languages: the `hreflang` links in its head, the
//! language switcher, and the sitemap's alternates. Only versions that exist are named.

use serde::Serialize;

use crate::content::Site;
use crate::strings::Strings;

/// One version of a page, for `<link rel="alternate" hreflang>`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternate {
    pub lang: String,
    /// Absolute.
    pub url: String,
}

/// One entry of the language switcher.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SwitcherLink {
    pub lang: String,
    /// The language's name in itself.
    pub name: String,
    /// Site-relative: the page's translation, or the language's home page.
    pub url: String,
    pub current: bool,
}

/// The site-relative URL of each language's version of a page that exists, by language
/// index; `None` where that language has none.
pub type Versions = Vec<Option<String>>;

/// Page `i` in every language that has it.
pub fn page_versions(site: &Site, i: usize) -> Versions {
    let mut versions = vec![None; site.languages.len()];
    match site.translations_of(i) {
        Some(group) => {
            for &p in group {
                versions[site.pages[p].lang] = Some(site.pages[p].url.clone());
            }
        }
        None => versions[site.pages[i].lang] = Some(site.pages[i].url.clone()),
    }
    versions
}

/// A section in every language (each has every section, see `load`).
pub fn section_versions(site: &Site, s: usize) -> Versions {
    let dir = &site.sections[s].dir;
    let mut versions = vec![None; site.languages.len()];
    for section in site.sections.iter().filter(|x| &x.dir == dir) {
        versions[section.lang] = Some(section.url.clone());
    }
    versions
}

/// A page made for every language at `/<prefix><path>` (`/topics/`, `/search/`).
pub fn every_language(site: &Site, path: &str) -> Versions {
    (0..site.languages.len())
        .map(|lang| Some(format!("{}{path}", site.url_prefix(lang))))
        .collect()
}

/// Only the one version, for a page that has no translations (a topic).
pub fn only(site: &Site, lang: usize, url: &str) -> Versions {
    let mut versions = vec![None; site.languages.len()];
    versions[lang] = Some(url.to_string());
    versions
}

/// The `hreflang` links: every version, and `x-default` for the default language's (or
/// the first one's). None for a page in one language only.
pub fn alternates(site: &Site, versions: &Versions) -> Vec<Alternate> {
    let existing: Vec<(usize, &String)> = versions
        .iter()
        .enumerate()
        .filter_map(|(lang, url)| Some((lang, url.as_ref()?)))
        .collect();
    if existing.len() < 2 {
        return Vec::new();
    }
    let base = site.config.base();
    let mut links: Vec<Alternate> = existing
        .iter()
        .map(|(lang, url)| Alternate {
            lang: site.languages[*lang].clone(),
            url: format!("{base}{url}"),
        })
        .collect();
    links.push(Alternate {
        lang: "x-default".into(),
        url: format!("{base}{}", existing[0].1),
    });
    links
}

/// The language switcher of a page in `lang`: every language, linked to the page's
/// version in it or else to its home page. Empty for a site in one language.
pub fn switcher(
    site: &Site,
    strings: &Strings,
    lang: usize,
    versions: &Versions,
) -> Vec<SwitcherLink> {
    if site.languages.len() < 2 {
        return Vec::new();
    }
    site.languages
        .iter()
        .enumerate()
        .map(|(other, code)| SwitcherLink {
            lang: code.clone(),
            name: language_name(site, strings, other),
            url: versions
                .get(other)
                .cloned()
                .flatten()
                .unwrap_or_else(|| format!("{}/", site.url_prefix(other))),
            current: other == lang,
        })
        .collect()
}

/// A language's name in itself: `[languages.<code>] name`, else the theme's
/// `language_name` in that language.
pub fn language_name(site: &Site, strings: &Strings, lang: usize) -> String {
    let code = &site.languages[lang];
    site.config
        .languages
        .get(code)
        .and_then(|l| l.name.clone())
        .or_else(|| strings.text(Some(code), "language_name", None, &[]).ok())
        .unwrap_or_else(|| code.clone())
}
