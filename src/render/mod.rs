//! The render plan is data: `plan` turns a `Site` into a list of `Job`s, and `run` turns
//! one job into output files. Jobs are independent, so the build runs them in parallel.

pub mod context;
pub mod covers;
pub mod feeds;
#[cfg(feature = "pdf")]
pub mod forms;
pub mod images;
pub mod inputs;
pub mod languages;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod plan;
pub mod schema;
pub mod search;
pub mod worksheets;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;
use tera::{Context, Value};

use crate::content::{Kind, Section, Site};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::templates::{DefaultTheme, Templates};
use context::Shared;

/// What the home page shows of each kind, and under which name templates see it.
const HOME_SHOWS: [(Kind, usize); 4] = [
    (Kind::Articles, 5),
    (Kind::Books, 4),
    (Kind::Worksheets, 4),
    (Kind::Counseling, 4),
];
const HOME_KEYS: [&str; 4] = [
    "latest_articles",
    "featured_books",
    "featured_worksheets",
    "counseling_pages",
];

/// One unit of output work.
#[derive(Debug, Clone)]
pub enum Job {
    Page(usize),
    /// One page of a section's list; `number` starts at 1.
    Section {
        section: usize,
        number: usize,
    },
    /// A language's topic index (the index into `Site::languages`).
    TopicIndex(usize),
    Topic(usize),
    NotFound,
    /// A language's search page.
    SearchPage(usize),
    ThemeCss,
    /// A language's Atom feed.
    Feed(usize),
    Sitemap,
    Robots,
    /// A redirect page at one of a page's old URLs.
    Alias {
        page: usize,
        alias: String,
    },
    /// A photo's copies, as its `Prep::Image` decided (from `.hearth-cache/images/` when
    /// they were made before).
    Image(PathBuf),
    /// A file copied as it is (`output` is relative to the output folder).
    Copy {
        source: PathBuf,
        output: PathBuf,
    },
    /// A file of the built-in theme's `static/` folder.
    Embedded {
        name: String,
    },
}

/// What one job makes: its output files, or the problem that stopped it.
pub type JobResult = Result<Vec<Output>, Diagnostic>;

/// Everything a job needs, shared read-only by all jobs.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub shared: &'a Shared,
    /// Per section: its topics with counts, computed once for all its list pages.
    section_topics: Vec<Value>,
    /// Per section: the `section` value its pages and lists see, made once.
    section_values: Vec<Value>,
}

/// The `site` value every template sees, in language `lang`: what `[languages.<code>]`
/// sets over the rest of `site.toml`.
pub fn site_value(site: &Site, lang: usize) -> Value {
    let section_url = |kind| site.section_of_kind_in(kind, lang).map(|s| s.url.clone());
    let config = &site.config;
    let code = site.code(lang);
    let language = config.languages.get(code);
    // The crisis notice links to the crisis page only if there is one (or the URL is
    // elsewhere), so a new site never starts with a broken link on every page.
    let mut crisis = config.crisis.clone();
    crisis.url = translated_url(site, lang, &crisis.url);
    let crisis_target_exists = !crisis.url.starts_with('/')
        || site.pages.iter().any(|p| p.url == crisis.url)
        || site.sections.iter().any(|s| s.url == crisis.url);
    if !crisis_target_exists {
        crisis.url.clear();
    }
    if let Some(text) = language.and_then(|l| l.crisis_text.clone()) {
        crisis.text = Some(text);
    } else if lang > 0 {
        // The default language's own text is not this language's: the theme's is.
        crisis.text = None;
    }
    let menu: Vec<crate::config::MenuItem> = match language.and_then(|l| l.menu.clone()) {
        Some(menu) => menu,
        None => config
            .menu
            .iter()
            .map(|item| crate::config::MenuItem {
                name: item.name.clone(),
                url: translated_url(site, lang, &item.url),
            })
            .collect(),
    };
    let prefix = site.url_prefix(lang);
    Value::from_serializable(&json!({
        "title": config.title_in(code),
        "base_url": config.base(),
        "language": code,
        "description": config.description_in(code),
        "menu": menu,
        "crisis": crisis,
        "books": config.books,
        "practice": config.practice,
        "theme": config.theme,
        "search": config.search.enabled,
        "urls": {
            "home": format!("{prefix}/"),
            "articles": section_url(Kind::Articles),
            "books": section_url(Kind::Books),
            "worksheets": section_url(Kind::Worksheets),
            "counseling": section_url(Kind::Counseling),
            "topics": format!("{prefix}/topics/"),
            "search": format!("{prefix}/search/"),
            "feed": format!("{prefix}/atom.xml"),
        },
        "generator": format!("hearth {}", env!("CARGO_PKG_VERSION")),
        "content_security_policy": config.privacy.content_security_policy(),
    }))
}

/// A default-language URL of the site taken to its version in `lang`, where there is one
/// (a page's translation, a section, the topic index or search page); else as it is.
fn translated_url(site: &Site, lang: usize, url: &str) -> String {
    if lang == 0 || !url.starts_with('/') {
        return url.to_string();
    }
    let prefix = site.url_prefix(lang);
    if url == "/topics/" || url == "/search/" {
        return format!("{prefix}{url}");
    }
    let versions = if let Some(s) = site
        .sections
        .iter()
        .position(|s| s.lang == 0 && s.url == url)
    {
        languages::section_versions(site, s)
    } else if let Some(p) = site.pages.iter().position(|p| p.lang == 0 && p.url == url) {
        languages::page_versions(site, p)
    } else {
        return url.to_string();
    };
    versions
        .get(lang)
        .cloned()
        .flatten()
        .unwrap_or_else(|| url.to_string())
}

/// A section's title: its own, or for a section made for a language that has no
/// `_index.<lang>.md`, the theme's word for its kind.
fn section_title(site: &Site, templates: &Templates, section: &Section) -> String {
    if !section.untranslated {
        return section.front.title.clone();
    }
    let key = match section.front.kind {
        Kind::Articles => "articles",
        Kind::Books => "books",
        Kind::Worksheets => "worksheets",
        Kind::Counseling => "counseling",
        Kind::Pages => "other_pages",
    };
    templates
        .strings
        .text(Some(site.code(section.lang)), key, None, &[])
        .unwrap_or_else(|_| section.front.title.clone())
}

/// What templates see as `section`.
fn section_data(site: &Site, shared: &Shared, templates: &Templates, section: &Section) -> Value {
    let content = images::inline(
        site,
        &shared.images,
        &section.path,
        &section.rendered.images,
        &section.rendered.html,
        images::Inline::Page,
    );
    Value::from_serializable(&json!({
        "title": section_title(site, templates, section),
        "description": section.front.description,
        "kind": section.front.kind.plural(),
        "url": section.url,
        "content": content,
        "extra": section.front.extra,
        "page_count": section.pages.len(),
    }))
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, shared: &'a Shared) -> Renderer<'a> {
        let mut renderer = Renderer {
            site,
            templates,
            shared,
            section_topics: Vec::new(),
            section_values: site
                .sections
                .iter()
                .map(|s| section_data(site, shared, templates, s))
                .collect(),
        };
        renderer.section_topics = (0..site.sections.len())
            .map(|s| Value::from_serializable(&renderer.section_topics(s)))
            .collect();
        renderer
    }

    pub fn run(&self, job: &Job) -> JobResult {
        match job {
            Job::Page(i) => self.page(*i),
            Job::Section { section, number } => self.section(*section, *number),
            Job::TopicIndex(lang) => self.topic_index(*lang),
            Job::Topic(i) => self.topic(*i),
            Job::NotFound => {
                let versions = languages::only(self.site, 0, "/404.html");
                let ctx = self.context(
                    0,
                    &versions,
                    "/404.html",
                    &self.word(0, "not_found_title", &[]),
                    None,
                );
                self.html(
                    "404.html",
                    &ctx,
                    PathBuf::from("404.html"),
                    Path::new("404.html"),
                )
            }
            Job::SearchPage(lang) => {
                let versions = languages::every_language(self.site, "/search/");
                let url = format!("{}/search/", self.site.url_prefix(*lang));
                let mut ctx = self.context(
                    *lang,
                    &versions,
                    &url,
                    &self.word(*lang, "search", &[]),
                    Some(&self.word(*lang, "search_description", &[])),
                );
                ctx.insert("topics", &self.topic_counts(*lang));
                self.html("search.html", &ctx, index_path(&url), Path::new("search"))
            }
            Job::ThemeCss => {
                let ctx = self.context(0, &Vec::new(), "/theme.css", "", None);
                let css = self
                    .templates
                    .render("theme.css", &ctx, Path::new("theme.css"))?;
                Ok(vec![Output::bytes("theme.css".into(), css)])
            }
            Job::Feed(lang) => Ok(vec![Output::bytes(
                feeds::feed_path(self.site, *lang),
                feeds::atom(self.site, *lang, &self.shared.images).into_bytes(),
            )]),
            Job::Sitemap => Ok(vec![Output::bytes(
                "sitemap.xml".into(),
                feeds::sitemap(self.site).into_bytes(),
            )]),
            Job::Robots => Ok(vec![Output::bytes(
                "robots.txt".into(),
                feeds::robots(self.site).into_bytes(),
            )]),
            Job::Alias { page, alias } => {
                let html = feeds::redirect_page(self.site, &self.site.pages[*page]);
                Ok(vec![Output::bytes(
                    feeds::alias_path(alias),
                    html.into_bytes(),
                )])
            }
            // A photo whose header could not be read was reported by its preparation job.
            Job::Image(source) => match self.shared.images.get(source) {
                Some(set) => self.shared.image_cache.make(set).map_err(|e| {
                    let help = e.help();
                    match self.site.images.sources.get(source) {
                        Some(s) => s.used_at.error(e.to_string(), help),
                        None => Diagnostic::error(source, e.to_string()).with_help(help),
                    }
                }),
                None => Ok(Vec::new()),
            },
            Job::Copy { source, output } => Ok(vec![Output::copy(output.clone(), source.clone())]),
            Job::Embedded { name } => {
                let file = DefaultTheme::get(name).ok_or_else(|| {
                    Diagnostic::error(name.as_str(), "built-in theme file missing from the binary")
                })?;
                let output = PathBuf::from(name.trim_start_matches("static/"));
                Ok(vec![Output::bytes(output, file.data.into_owned())])
            }
        }
    }

    /// A theme string in language `lang` with its placeholders filled, for the titles and
    /// descriptions the renderer gives pages.
    fn word(&self, lang: usize, key: &str, args: &[(&str, String)]) -> String {
        self.templates
            .strings
            .text(Some(self.site.code(lang)), key, None, args)
            .unwrap_or_else(|_| key.to_string())
    }

    /// The values base.html needs on every page: the page's language and its versions in
    /// the others (`versions`, for the `hreflang` links and the language switcher).
    fn context(
        &self,
        lang: usize,
        versions: &languages::Versions,
        url: &str,
        title: &str,
        description: Option<&str>,
    ) -> Context {
        let mut ctx = Context::new();
        let config = &self.site.config;
        if let Some(site_value) = self.shared.site.get(lang).or(self.shared.site.first()) {
            ctx.insert_value("site", site_value.clone());
        }
        // The language of the page: templates' `t(key=…)` and `date` read it.
        ctx.insert("lang", self.site.code(lang));
        ctx.insert("alternates", &languages::alternates(self.site, versions));
        ctx.insert(
            "languages",
            &languages::switcher(self.site, &self.templates.strings, lang, versions),
        );
        ctx.insert("current_url", url);
        ctx.insert("permalink", &format!("{}{url}", config.base()));
        ctx.insert("title", title);
        ctx.insert(
            "description",
            description
                .filter(|d| !d.is_empty())
                .unwrap_or(&config.description),
        );
        ctx.insert("og_type", "website");
        ctx.insert("og_image", &Value::none());
        ctx.insert("og_image_alt", &Value::none());
        ctx
    }

    fn html(
        &self,
        template: &str,
        ctx: &Context,
        output: PathBuf,
        source: &Path,
    ) -> Result<Vec<Output>, Diagnostic> {
        let html = self.templates.render(template, ctx, source)?;
        Ok(vec![Output::bytes(output, html)])
    }

    fn page(&self, i: usize) -> Result<Vec<Output>, Diagnostic> {
        let page = &self.site.pages[i];
        let template = self.page_template(i);
        self.require(&template, &page.path)?;
        let mut ctx = self.context(
            page.lang,
            &languages::page_versions(self.site, i),
            &page.url,
            &page.common.title,
            page.common.description.as_deref(),
        );
        ctx.insert(
            "og_type",
            match page.kind {
                Kind::Articles => "article",
                Kind::Books => "book",
                _ => "website",
            },
        );
        if let Some(hero) = images::hero(self.site, &self.shared.images, i, false) {
            ctx.insert("og_image", &hero.url);
            ctx.insert("og_image_alt", &hero.alt);
        } else if let Some(cover) = self.shared.covers.get(&i) {
            ctx.insert(
                "og_image",
                &format!("{}{}", self.site.config.base(), cover.large.url),
            );
            ctx.insert("og_image_alt", &cover.alt);
        }
        ctx.insert_value("page", self.shared.page(self.site, i));
        ctx.insert_value("section", self.section_values[page.section].clone());
        self.html(&template, &ctx, index_path(&page.url), &page.path)
    }

    /// The template a job renders, if it renders one.
    pub fn template_of(&self, job: &Job) -> Option<String> {
        let fixed = match job {
            Job::Page(i) => return Some(self.page_template(*i)),
            Job::Section { section, .. } => return Some(self.section_template(*section)),
            Job::TopicIndex(_) => "topics.html",
            Job::Topic(_) => "topic.html",
            Job::NotFound => "404.html",
            Job::SearchPage(_) => "search.html",
            Job::ThemeCss => "theme.css",
            Job::Feed(_)
            | Job::Sitemap
            | Job::Robots
            | Job::Alias { .. }
            | Job::Image(_)
            | Job::Copy { .. }
            | Job::Embedded { .. } => return None,
        };
        Some(fixed.to_string())
    }

    /// A page's own `template:`, else its kind's (`article.html`) if the theme has one.
    fn page_template(&self, i: usize) -> String {
        let page = &self.site.pages[i];
        match &page.common.template {
            Some(t) => t.clone(),
            None => {
                let specific = format!("{}.html", page.kind.singular());
                if self.templates.has(&specific) {
                    specific
                } else {
                    "page.html".into()
                }
            }
        }
    }

    /// The home page's `index.html`; else a section's own `template:`, else its kind's
    /// list template (`section-articles.html`) if the theme has one.
    fn section_template(&self, s: usize) -> String {
        let section = &self.site.sections[s];
        if section.dir.is_empty() {
            return "index.html".into();
        }
        section.front.template.clone().unwrap_or_else(|| {
            let specific = format!("section-{}.html", section.front.kind.plural());
            if self.templates.has(&specific) {
                specific
            } else {
                "section.html".into()
            }
        })
    }

    fn require(&self, template: &str, source: &Path) -> Result<(), Diagnostic> {
        if self.templates.has(template) {
            Ok(())
        } else {
            Err(
                Diagnostic::error(source, format!("template `{template}` does not exist"))
                    .with_help(
                        "create it under templates/, or remove `template:` to use the theme's",
                    ),
            )
        }
    }

    /// Which of section `s`'s pages its list page `number` shows (positions in its order).
    fn list_slice(&self, s: usize, number: usize) -> std::ops::Range<usize> {
        let section = &self.site.sections[s];
        let per_page = section
            .front
            .paginate_by
            .filter(|n| *n > 0)
            .unwrap_or(usize::MAX);
        let start = (number - 1)
            .saturating_mul(per_page)
            .min(section.pages.len());
        let end = start.saturating_add(per_page).min(section.pages.len());
        start..end
    }

    fn section(&self, s: usize, number: usize) -> Result<Vec<Output>, Diagnostic> {
        let section = &self.site.sections[s];
        let total = plan::page_count(section);
        let shown = self.list_slice(s, number);
        let url_of = |n: usize| {
            if n == 1 {
                section.url.clone()
            } else {
                format!("{}page/{n}/", section.url)
            }
        };
        let url = url_of(number);
        let own_title = section_title(self.site, self.templates, section);
        let title = if number > 1 {
            let of = self.word(
                section.lang,
                "page_of",
                &[
                    ("current", number.to_string()),
                    ("total", total.to_string()),
                ],
            );
            format!("{own_title} ({of})")
        } else {
            own_title
        };
        let versions = if number == 1 {
            languages::section_versions(self.site, s)
        } else {
            languages::only(self.site, section.lang, &url)
        };
        let mut ctx = self.context(
            section.lang,
            &versions,
            &url,
            &title,
            section.front.description.as_deref(),
        );
        ctx.insert_value("section", self.section_values[s].clone());
        ctx.insert(
            "paginator",
            &Paginator {
                pages: self.shared.cards(&section.pages[shown]),
                current: number,
                total,
                previous: (number > 1).then(|| url_of(number - 1)),
                next: (number < total).then(|| url_of(number + 1)),
                first: url_of(1),
                last: url_of(total),
            },
        );
        ctx.insert_value("section_topics", self.section_topics[s].clone());
        if section.dir.is_empty() {
            self.home_context(&mut ctx, section.lang);
        }
        let template = self.section_template(s);
        self.require(&template, &section.path)?;
        self.html(&template, &ctx, index_path(&url), &section.path)
    }

    /// The topics used by a section's pages, with how many pages each has there.
    fn section_topics(&self, section: usize) -> Vec<TopicCount> {
        self.site
            .topics
            .iter()
            .filter_map(|t| {
                let count = t
                    .pages
                    .iter()
                    .filter(|&&p| self.site.pages[p].section == section)
                    .count();
                (count > 0).then(|| TopicCount {
                    name: t.name.clone(),
                    url: t.url.clone(),
                    count,
                })
            })
            .collect()
    }

    /// The first `n` pages of the first section of `kind` in language `lang`, as its home
    /// page features them.
    fn first_of_kind(&self, kind: Kind, n: usize, lang: usize) -> &[usize] {
        self.site
            .section_of_kind_in(kind, lang)
            .map_or(&[][..], |s| &s.pages[..s.pages.len().min(n)])
    }

    /// Every page whose card the home page of language `lang` shows.
    fn home_cards(&self, lang: usize) -> Vec<usize> {
        HOME_SHOWS
            .iter()
            .flat_map(|&(kind, n)| self.first_of_kind(kind, n, lang).iter().copied())
            .collect()
    }

    fn home_context(&self, ctx: &mut Context, lang: usize) {
        let site = self.site;
        for (key, (kind, n)) in HOME_KEYS.iter().zip(HOME_SHOWS) {
            ctx.insert(*key, &self.shared.cards(self.first_of_kind(kind, n, lang)));
        }
        let practice = schema::practice(site, &schema::counseling_pages(site, lang));
        ctx.insert("json_ld", &practice.map(|v| schema::script(&v)));
    }

    /// Every topic of a language with how many pages it has, for its topic index and
    /// search page.
    fn topic_counts(&self, lang: usize) -> Vec<TopicCount> {
        let count = |t: &crate::content::Topic| TopicCount {
            name: t.name.clone(),
            url: t.url.clone(),
            count: t.pages.len(),
        };
        self.site
            .topics
            .iter()
            .filter(|t| t.lang == lang)
            .map(count)
            .collect()
    }

    fn topic_index(&self, lang: usize) -> Result<Vec<Output>, Diagnostic> {
        let topics = self.topic_counts(lang);
        let url = format!("{}/topics/", self.site.url_prefix(lang));
        let mut ctx = self.context(
            lang,
            &languages::every_language(self.site, "/topics/"),
            &url,
            &self.word(lang, "topics", &[]),
            Some(&self.word(lang, "topics_description", &[])),
        );
        ctx.insert("topics", &topics);
        self.html("topics.html", &ctx, index_path(&url), Path::new("topics"))
    }

    fn topic(&self, i: usize) -> Result<Vec<Output>, Diagnostic> {
        let topic = &self.site.topics[i];
        let of_kind = |kind: Kind| -> Vec<Value> {
            let idx: Vec<usize> = topic
                .pages
                .iter()
                .copied()
                .filter(|&p| self.site.pages[p].kind == kind)
                .collect();
            self.shared.cards(&idx)
        };
        let description = self.word(
            topic.lang,
            "topic_description",
            &[("topic", topic.name.to_lowercase())],
        );
        let versions = languages::only(self.site, topic.lang, &topic.url);
        let mut ctx = self.context(
            topic.lang,
            &versions,
            &topic.url,
            &topic.name,
            Some(&description),
        );
        ctx.insert(
            "topic",
            &json!({ "name": topic.name, "url": topic.url, "count": topic.pages.len() }),
        );
        ctx.insert("articles", &of_kind(Kind::Articles));
        ctx.insert("books", &of_kind(Kind::Books));
        ctx.insert("worksheets", &of_kind(Kind::Worksheets));
        ctx.insert("others", &{
            let idx: Vec<usize> = topic
                .pages
                .iter()
                .copied()
                .filter(|&p| {
                    !matches!(
                        self.site.pages[p].kind,
                        Kind::Articles | Kind::Books | Kind::Worksheets
                    )
                })
                .collect();
            self.shared.cards(&idx)
        });
        self.html(
            "topic.html",
            &ctx,
            index_path(&topic.url),
            Path::new("topics"),
        )
    }
}

#[derive(Serialize)]
struct Paginator {
    pages: Vec<Value>,
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
}

#[derive(Serialize)]
struct TopicCount {
    name: String,
    url: String,
    count: usize,
}

/// `/a/b/` → `a/b/index.html`.
pub fn index_path(url: &str) -> PathBuf {
    PathBuf::from(url.trim_start_matches('/')).join("index.html")
}
