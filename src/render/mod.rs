//! The render plan is data: `plan` turns a `Site` into a list of `Job`s, and `run` turns
//! one job into output files. Jobs are independent, so the build runs them in parallel.

pub mod context;
pub mod covers;
pub mod feeds;
#[cfg(feature = "pdf")]
pub mod forms;
pub mod images;
pub mod inputs;
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
    TopicIndex,
    Topic(usize),
    NotFound,
    SearchPage,
    ThemeCss,
    Feed,
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

/// The `site` value every template sees.
pub fn site_value(site: &Site) -> Value {
    let section_url = |kind| site.section_of_kind(kind).map(|s| s.url.clone());
    let config = &site.config;
    // The crisis notice links to the crisis page only if there is one (or the URL is
    // elsewhere), so a new site never starts with a broken link on every page.
    let crisis_url = &config.crisis.url;
    let crisis_target_exists = !crisis_url.starts_with('/')
        || site.pages.iter().any(|p| &p.url == crisis_url)
        || site.sections.iter().any(|s| &s.url == crisis_url);
    let mut crisis = config.crisis.clone();
    if !crisis_target_exists {
        crisis.url.clear();
    }
    Value::from_serializable(&json!({
        "title": config.title,
        "base_url": config.base(),
        "language": config.language,
        "description": config.description,
        "menu": config.menu,
        "crisis": crisis,
        "books": config.books,
        "practice": config.practice,
        "theme": config.theme,
        "search": config.search.enabled,
        "urls": {
            "articles": section_url(Kind::Articles),
            "books": section_url(Kind::Books),
            "worksheets": section_url(Kind::Worksheets),
            "counseling": section_url(Kind::Counseling),
            "topics": "/topics/",
        },
        "generator": format!("hearth {}", env!("CARGO_PKG_VERSION")),
        "content_security_policy": config.privacy.content_security_policy(),
    }))
}

/// What templates see as `section`.
fn section_data(site: &Site, shared: &Shared, section: &Section) -> Value {
    let content = images::inline(
        site,
        &shared.images,
        &section.path,
        &section.rendered.images,
        &section.rendered.html,
        images::Inline::Page,
    );
    Value::from_serializable(&json!({
        "title": section.front.title,
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
                .map(|s| section_data(site, shared, s))
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
            Job::TopicIndex => self.topic_index(),
            Job::Topic(i) => self.topic(*i),
            Job::NotFound => {
                let ctx = self.context("/404.html", "Page not found", None);
                self.html(
                    "404.html",
                    &ctx,
                    PathBuf::from("404.html"),
                    Path::new("404.html"),
                )
            }
            Job::SearchPage => {
                let mut ctx = self.context(
                    "/search/",
                    "Search",
                    Some("Search the articles, books and worksheets."),
                );
                ctx.insert("topics", &self.topic_counts());
                self.html(
                    "search.html",
                    &ctx,
                    PathBuf::from("search/index.html"),
                    Path::new("search"),
                )
            }
            Job::ThemeCss => {
                let ctx = self.context("/theme.css", "", None);
                let css = self
                    .templates
                    .render("theme.css", &ctx, Path::new("theme.css"))?;
                Ok(vec![Output::bytes("theme.css".into(), css)])
            }
            Job::Feed => Ok(vec![Output::bytes(
                "atom.xml".into(),
                feeds::atom(self.site, &self.shared.images).into_bytes(),
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

    /// The values base.html needs on every page.
    fn context(&self, url: &str, title: &str, description: Option<&str>) -> Context {
        let mut ctx = Context::new();
        let config = &self.site.config;
        ctx.insert_value("site", self.shared.site.clone());
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
            Job::TopicIndex => "topics.html",
            Job::Topic(_) => "topic.html",
            Job::NotFound => "404.html",
            Job::SearchPage => "search.html",
            Job::ThemeCss => "theme.css",
            Job::Feed
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
        let title = if number > 1 {
            format!("{} (page {number} of {total})", section.front.title)
        } else {
            section.front.title.clone()
        };
        let mut ctx = self.context(&url, &title, section.front.description.as_deref());
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
            self.home_context(&mut ctx);
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

    /// The first `n` pages of the first section of `kind`, as the home page features them.
    fn first_of_kind(&self, kind: Kind, n: usize) -> &[usize] {
        self.site
            .section_of_kind(kind)
            .map_or(&[][..], |s| &s.pages[..s.pages.len().min(n)])
    }

    /// Every page whose card the home page shows.
    fn home_cards(&self) -> Vec<usize> {
        HOME_SHOWS
            .iter()
            .flat_map(|&(kind, n)| self.first_of_kind(kind, n).iter().copied())
            .collect()
    }

    fn home_context(&self, ctx: &mut Context) {
        let site = self.site;
        for (key, (kind, n)) in HOME_KEYS.iter().zip(HOME_SHOWS) {
            ctx.insert(*key, &self.shared.cards(self.first_of_kind(kind, n)));
        }
        let practice = schema::practice(site, &schema::counseling_pages(site));
        ctx.insert("json_ld", &practice.map(|v| schema::script(&v)));
    }

    /// Every topic with how many pages it has, for the topic index and the search page.
    fn topic_counts(&self) -> Vec<TopicCount> {
        let count = |t: &crate::content::Topic| TopicCount {
            name: t.name.clone(),
            url: t.url.clone(),
            count: t.pages.len(),
        };
        self.site.topics.iter().map(count).collect()
    }

    fn topic_index(&self) -> Result<Vec<Output>, Diagnostic> {
        let topics = self.topic_counts();
        let mut ctx = self.context(
            "/topics/",
            "Topics",
            Some("Articles, books and worksheets by topic."),
        );
        ctx.insert("topics", &topics);
        self.html(
            "topics.html",
            &ctx,
            PathBuf::from("topics/index.html"),
            Path::new("topics"),
        )
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
        let description = format!(
            "Articles, books and worksheets about {}.",
            topic.name.to_lowercase()
        );
        let mut ctx = self.context(&topic.url, &topic.name, Some(&description));
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
