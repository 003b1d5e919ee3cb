//! Decides, before anything is converted or fetched, what each item of the export becomes:
//! an article or a page at a new URL (with its old one as an alias), or nothing, and why.
//! A URL or file the site already has is never taken: that is what makes a second run
//! create no duplicates.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use jiff::civil::Date;

use super::media::percent_decode;
use super::wxr::{Channel, Item};
use crate::content::{Kind, Site, slugify};

/// What the site already has: every URL in use, with the file that uses it.
pub(crate) struct Existing {
    pub urls: HashMap<String, PathBuf>,
    /// Where posts go, relative to the site root (`content/articles`), and its URL.
    pub articles_dir: PathBuf,
    pub articles_url: String,
}

impl Existing {
    pub fn of(site: &Site, articles_dir: PathBuf, articles_url: String) -> Existing {
        let mut urls = HashMap::new();
        for page in &site.pages {
            urls.insert(page.url.clone(), page.path.clone());
            for alias in &page.common.aliases {
                urls.insert(alias_url(alias), page.path.clone());
            }
        }
        for section in &site.sections {
            urls.insert(section.url.clone(), section.path.clone());
        }
        Existing {
            urls,
            articles_dir,
            articles_url,
        }
    }
}

/// An alias as a URL with a leading and trailing slash, for comparing.
fn alias_url(alias: &str) -> String {
    let trimmed = alias.trim_matches('/');
    if trimmed.contains('.') {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

/// A post or page to write.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub kind: Kind,
    pub title: String,
    pub url: String,
    /// The Markdown file, relative to the site root (`content/articles/x/index.md`).
    pub file: PathBuf,
    pub draft: bool,
    /// Why a post that was public on paper is a draft here (private, password).
    pub hidden: Option<&'static str>,
    pub date: Option<Date>,
    pub aliases: Vec<String>,
    pub topics: Vec<String>,
    pub author: Option<String>,
    pub description: Option<String>,
    /// The attachment id of the featured image.
    pub featured: Option<u64>,
    /// The title was empty in the export.
    pub untitled: bool,
}

/// What becomes of one item.
#[derive(Debug, Clone)]
pub(crate) enum Decision {
    Import(Box<Planned>),
    /// Its URL or file is the site's already (a second run, or a page like "About").
    Exists {
        title: String,
        url: String,
        file: PathBuf,
    },
    /// Not brought over, and why (trash, an automatic draft, a revision…).
    Skip {
        title: String,
        why: String,
    },
}

/// Plans every post and page of `items` (attachments and menu entries are not content).
pub(crate) fn plan(items: &[Item], channel: &Channel, existing: &Existing) -> Vec<Decision> {
    let mut taken: HashSet<String> = existing.urls.keys().cloned().collect();
    let mut decisions = Vec::new();
    for item in items {
        if !super::is_content(item) {
            continue;
        }
        decisions.push(decide(item, channel, existing, &mut taken));
    }
    decisions
}

/// The title as readers saw it: WordPress keeps entities like `&#8217;` in titles.
pub(crate) fn clean_title(title: &str) -> String {
    html_escape::decode_html_entities(title.trim()).into_owned()
}

fn decide(
    item: &Item,
    channel: &Channel,
    existing: &Existing,
    taken: &mut HashSet<String>,
) -> Decision {
    let title = clean_title(&item.title);
    let label = if title.is_empty() {
        format!("(untitled {} {})", item.post_type, item.id)
    } else {
        title.clone()
    };
    let kind = match item.post_type.as_str() {
        "post" => Kind::Articles,
        "page" => Kind::Pages,
        other => {
            return Decision::Skip {
                title: label,
                why: format!("a `{other}` item, which hearth has no kind for"),
            };
        }
    };
    let (draft, hidden) = match item.status.as_str() {
        "publish" | "future" => (false, None),
        "draft" | "pending" => (true, None),
        "private" => (true, Some("private")),
        "trash" => {
            return Decision::Skip {
                title: label,
                why: "it is in WordPress's trash".into(),
            };
        }
        "auto-draft" => {
            return Decision::Skip {
                title: label,
                why: "an automatic draft WordPress made, never written".into(),
            };
        }
        other => (
            true,
            Some(if other.is_empty() {
                "of no status"
            } else {
                "of an unknown status"
            }),
        ),
    };
    let (draft, hidden) = if !item.password.trim().is_empty() {
        (true, Some("password-protected"))
    } else {
        (draft, hidden)
    };
    let mut slug = slugify(&percent_decode(&item.name));
    if slug.is_empty() {
        slug = slugify(&title);
    }
    if slug.is_empty() {
        slug = format!("{}-{}", item.post_type, item.id);
    }
    let (dir, base_url) = match kind {
        Kind::Articles => (existing.articles_dir.clone(), existing.articles_url.clone()),
        _ => (PathBuf::from("content"), "/".to_string()),
    };
    let url = format!("{base_url}{slug}/");
    let file = dir.join(&slug).join("index.md");
    if let Some(owner) = existing.urls.get(&url) {
        return Decision::Exists {
            title: label,
            url,
            file: owner.clone(),
        };
    }
    // Two items of the export with one slug: the second gets a number.
    let (slug, url) = unique(&slug, &base_url, taken);
    let file = if file.ends_with(format!("{slug}/index.md")) {
        file
    } else {
        dir.join(&slug).join("index.md")
    };
    let aliases = old_path(&item.link, &channel.link)
        .filter(|old| *old != url && !taken.contains(old))
        .into_iter()
        .collect::<Vec<_>>();
    taken.extend(aliases.iter().cloned());
    Decision::Import(Box::new(Planned {
        kind,
        untitled: title.is_empty(),
        title: if title.is_empty() { label } else { title },
        url,
        file,
        draft,
        hidden,
        date: date(&item.date),
        aliases,
        topics: topics(item, channel),
        author: author(item, channel),
        description: description(&item.excerpt),
        featured: item
            .meta("_thumbnail_id")
            .and_then(|v| v.trim().parse().ok()),
    }))
}

/// The author's display name (their login when the export has none).
fn author(item: &Item, channel: &Channel) -> Option<String> {
    let login = item.creator.trim();
    let name = channel
        .authors
        .get(login)
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or(login);
    (!name.is_empty()).then(|| html_escape::decode_html_entities(name).into_owned())
}

/// `slug`, or `slug-2`, `slug-3`… if the URL is taken; takes the one returned.
fn unique(slug: &str, base_url: &str, taken: &mut HashSet<String>) -> (String, String) {
    let mut candidate = slug.to_string();
    let mut n = 2;
    loop {
        let url = format!("{base_url}{candidate}/");
        if taken.insert(url.clone()) {
            return (candidate, url);
        }
        candidate = format!("{slug}-{n}");
        n += 1;
    }
}

/// The path of a post's old address on the old site (`/2019/03/slug/`), decoded; `None`
/// for the home page, an address with a query (`?p=12`, as drafts have) or another host.
pub(crate) fn old_path(link: &str, site: &str) -> Option<String> {
    let host_of = |url: &str| {
        url.split_once("://")
            .map(|(_, r)| r.split('/').next().unwrap_or_default().to_ascii_lowercase())
    };
    let (_, rest) = link.split_once("://")?;
    if host_of(link) != host_of(site) && host_of(site).is_some() {
        return None;
    }
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    if path.contains(['?', '#']) {
        return None;
    }
    let path = percent_decode(path);
    let clean = path
        .split('/')
        .all(|seg| seg != ".." && seg != "." && !seg.contains('\\'));
    (clean && !path.trim_matches('/').is_empty()).then_some(path)
}

/// The day of `2019-03-14 09:30:00`; none for WordPress's `0000-00-00`.
fn date(text: &str) -> Option<Date> {
    text.get(..10)?.parse().ok()
}

/// Categories (with the categories above them) and tags, by name, in order, once each.
/// WordPress's default "Uncategorized" is left out: it says nothing about the post.
fn topics(item: &Item, channel: &Channel) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = html_escape::decode_html_entities(name.trim()).into_owned();
        if !name.is_empty() && !names.iter().any(|n| slugify(n) == slugify(&name)) {
            names.push(name);
        }
    };
    for term in &item.terms {
        match term.domain.as_str() {
            "category" if term.nicename != "uncategorized" => {
                push(&term.name);
                let mut parent = channel
                    .categories
                    .get(&term.nicename)
                    .map(|c| c.parent.clone());
                let mut depth = 0;
                while let Some(p) = parent.filter(|p| !p.is_empty() && depth < 16) {
                    let Some(cat) = channel.categories.get(&p) else {
                        break;
                    };
                    push(&cat.name);
                    parent = Some(cat.parent.clone());
                    depth += 1;
                }
            }
            "post_tag" => push(&term.name),
            _ => {}
        }
    }
    names
}

/// The excerpt as one line of plain text, for `description`.
fn description(excerpt: &str) -> Option<String> {
    let mut text = String::with_capacity(excerpt.len());
    let mut in_tag = false;
    for c in excerpt.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = html_escape::decode_html_entities(&text);
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths() {
        let site = "https://old.example";
        assert_eq!(
            old_path("https://old.example/2019/03/se%C3%B1al/", site).as_deref(),
            Some("/2019/03/señal/")
        );
        assert_eq!(old_path("https://old.example/?p=12", site), None);
        assert_eq!(old_path("https://old.example/", site), None);
        assert_eq!(old_path("https://elsewhere.example/a/", site), None);
        assert_eq!(old_path("https://old.example/a/../b/", site), None);
    }

    #[test]
    fn descriptions_are_plain() {
        assert_eq!(
            description("<p>Calm &amp; steady\n words</p>").as_deref(),
            Some("Calm & steady words")
        );
        assert_eq!(description("  "), None);
    }
}
