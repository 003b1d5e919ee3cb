//! The property that makes `serve` trustworthy: after every edit of a seeded random
//! sequence, the files serve would serve are byte for byte those of a fresh build of the
//! same files, and files that no longer exist are not served.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::session::Session;
use crate::BuildOptions;
use crate::output::Body;
use crate::render::worksheets::PdfCache;

/// A small, fast, repeatable random source (xorshift64*), so a failing sequence can be
/// replayed from its seed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TOPICS: [&str; 4] = ["Care", "Sleep", "Conflict", "Trust"];
const KINDS: [&str; 5] = ["articles", "books", "worksheets", "counseling", "pages"];

/// One page of the model site; the file is written from it.
#[derive(Clone, Debug)]
struct PageModel {
    kind: &'static str,
    name: String,
    title: String,
    day: usize,
    topics: Vec<&'static str>,
    books: Vec<String>,
    worksheets: Vec<String>,
    draft: bool,
    slug: Option<String>,
    aliases: Vec<String>,
    body: usize,
    /// Another page this one links to, `kind/name` (with an anchor to its heading).
    link: Option<String>,
    /// `Some("es")` for a page in Spanish (`name.es.md`), the site's second language.
    lang: Option<&'static str>,
}

impl PageModel {
    fn path(&self) -> String {
        format!("content/{}", self.link_target())
    }

    fn link_target(&self) -> String {
        let md = self
            .lang
            .map_or_else(|| ".md".to_string(), |l| format!(".{l}.md"));
        match self.kind {
            "pages" => format!("{}{md}", self.name),
            "books" => format!("books/{}/index{md}", self.name),
            kind => format!("{kind}/{}{md}", self.name),
        }
    }

    fn text(&self) -> String {
        let mut front = format!("title: \"{}\"\n", self.title);
        if self.kind != "pages" && self.kind != "counseling" {
            front += &format!("date: 2024-03-{:02}\n", self.day);
        }
        if !self.topics.is_empty() && self.kind != "counseling" {
            front += &format!("topics: [{}]\n", self.topics.join(", "));
        }
        if self.draft {
            front += "draft: true\n";
        }
        if let Some(slug) = &self.slug {
            front += &format!("slug: {slug}\n");
        }
        if !self.aliases.is_empty() {
            front += &format!("aliases: [{}]\n", self.aliases.join(", "));
        }
        match self.kind {
            "articles" => {
                front += &format!("books: [{}]\n", self.books.join(", "));
                front += &format!("worksheets: [{}]\n", self.worksheets.join(", "));
            }
            "books" => {
                front +=
                    "author: Some Author\nyear: 2001\ncover: cover.png\ncover_alt: A plain cover\n"
            }
            "worksheets" => front += "duration: \"10 minutes\"\nfor: couples\nfillable: false\n",
            "counseling" if self.day.is_multiple_of(2) => {
                front += "mode: in_person\naddress: { street: \"1 Example Street\", city: Anytown, region: OR, postal_code: \"97000\" }\nhours: [\"Mo-Fr 09:00-17:00\"]\n"
            }
            "counseling" => front += "mode: online\nlicensed_in: [OR]\n",
            _ => {}
        }
        let link = self
            .link
            .as_ref()
            .map(|target| format!("\n\nSee [this page](@/{target}).\n"))
            .unwrap_or_default();
        let body = match self.kind {
            "worksheets" => format!(
                "Intro {}.\n\n- [ ] One thing\n- [ ] Another\n\nWhat helped?\n\n___\n___\n{link}",
                self.body
            ),
            _ => format!(
                "Summary {}.\n\n<!-- more -->\n\n## Steps\n\nText {} of {}.\n{}{link}",
                self.body,
                self.body,
                self.name,
                if self.body.is_multiple_of(3) {
                    "\n## More\n\nMore.\n"
                } else {
                    ""
                }
            ),
        };
        format!("---\n{front}---\n\n{body}")
    }
}

/// The site the edits work on: its pages and its other files, by path.
struct Model {
    pages: Vec<PageModel>,
    files: BTreeMap<String, Vec<u8>>,
    next_name: usize,
}

impl Model {
    fn new() -> Model {
        let mut model = Model {
            pages: Vec::new(),
            files: BTreeMap::new(),
            next_name: 0,
        };
        let sections = [
            ("content/_index.md", "title: Home"),
            (
                "content/articles/_index.md",
                "title: Articles\nkind: articles\npaginate_by: 2",
            ),
            ("content/books/_index.md", "title: Books\nkind: books"),
            (
                "content/worksheets/_index.md",
                "title: Worksheets\nkind: worksheets",
            ),
            (
                "content/counseling/_index.md",
                "title: Counseling\nkind: counseling",
            ),
        ];
        for (path, front) in sections {
            model.put(path, format!("---\n{front}\n---\n\nWelcome.\n"));
        }
        model.put("site.toml", site_toml(0));
        model.put("static/extra.css", "body { margin: 0 }\n".into());
        // Enough articles for three list pages, so that paging and topic counts move.
        let mut dice = Dice(7);
        for kind in KINDS {
            for _ in 0..if kind == "articles" { 6 } else { 2 } {
                model.add_page(kind, &mut dice);
            }
        }
        model
    }

    fn put(&mut self, path: &str, text: String) {
        self.files.insert(path.to_string(), text.into_bytes());
    }

    fn add_page(&mut self, kind: &'static str, dice: &mut Dice) {
        self.next_name += 1;
        let page = PageModel {
            kind,
            name: format!("{}-{}", &kind[..4], self.next_name),
            title: format!("Page {}", self.next_name),
            day: 1 + dice.below(27),
            topics: vec![*dice.pick(&TOPICS)],
            books: Vec::new(),
            worksheets: Vec::new(),
            draft: false,
            slug: None,
            aliases: Vec::new(),
            body: dice.below(10),
            link: None,
            lang: None,
        };
        self.pages.push(page);
    }

    /// Adds a Spanish translation of page `i`, unless it is one or already has one.
    fn translate(&mut self, i: usize, step: usize) -> bool {
        let original = &self.pages[i];
        let translated = self
            .pages
            .iter()
            .any(|p| p.lang.is_some() && p.kind == original.kind && p.name == original.name);
        if original.lang.is_some() || translated {
            return false;
        }
        let translation = PageModel {
            title: format!("Título {step}"),
            // Old addresses belong to the original.
            aliases: Vec::new(),
            lang: Some("es"),
            ..original.clone()
        };
        self.pages.push(translation);
        true
    }

    fn names_of(&self, kind: &str) -> Vec<String> {
        self.pages
            .iter()
            .filter(|p| p.kind == kind && !p.draft)
            .map(|p| p.name.clone())
            .collect()
    }

    /// Drops the references to pages that are gone or drafts, as a practice fixing the
    /// errors of a deletion would, in the same step.
    fn repair(&mut self) {
        let books = self.names_of("books");
        let worksheets = self.names_of("worksheets");
        let targets: Vec<String> = self
            .pages
            .iter()
            .filter(|p| !p.draft)
            .map(PageModel::link_target)
            .collect();
        for page in &mut self.pages {
            page.books.retain(|b| books.contains(b));
            page.worksheets.retain(|w| worksheets.contains(w));
            if page.link.as_ref().is_some_and(|l| !targets.contains(l)) {
                page.link = None;
            }
        }
    }

    /// Every file of the site as the model says it is.
    fn all_files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = self.files.clone();
        for page in &self.pages {
            files.insert(page.path(), page.text().into_bytes());
            if page.kind == "books" {
                files.insert(
                    format!("content/books/{}/cover.png", page.name),
                    cover_png(page.day as u32),
                );
            }
        }
        files
    }
}

fn site_toml(variant: usize) -> String {
    format!(
        "title = \"Practice {variant}\"\nbase_url = \"https://test.example\"\n\n[search]\nenabled = false\n\n\
         [languages.es]\nname = \"Español\"\n\n\
         [[menu]]\nname = \"Articles\"\nurl = \"/articles/\"\n{}\n[practice]\nname = \"Practice {variant}\"\n",
        if !variant.is_multiple_of(2) {
            "\n[[menu]]\nname = \"Books\"\nurl = \"/books/\"\n"
        } else {
            ""
        }
    )
}

fn cover_png(width: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(20 + width, 30, image::Rgb([90, 60, 40]));
    let mut bytes = Vec::new();
    let _ = img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    );
    bytes
}

/// One random edit of the model; returns what it did, for the failure message. Some
/// edits write a broken file instead, which the next step mends.
fn edit(model: &mut Model, dice: &mut Dice, step: usize) -> (String, Option<(String, String)>) {
    let choice = dice.below(23);
    let what = if choice <= 13 {
        edit_page(model, dice, step, choice)
    } else {
        match edit_site(model, dice, step, choice) {
            Ok(what) => what,
            Err(broken) => return ("a broken file".into(), Some(broken)),
        }
    };
    model.repair();
    (what.to_string(), None)
}

/// An edit of one page's front matter or text.
fn edit_page(model: &mut Model, dice: &mut Dice, step: usize, choice: usize) -> &'static str {
    let books = model.names_of("books");
    let worksheets = model.names_of("worksheets");
    let targets: Vec<String> = model
        .pages
        .iter()
        .filter(|p| !p.draft)
        .map(PageModel::link_target)
        .collect();
    let i = dice.below(model.pages.len());
    let page = &mut model.pages[i];
    match choice {
        0..=3 => {
            page.body = dice.below(10);
            "body"
        }
        4 | 5 => {
            page.title = format!("Title {step}");
            "title"
        }
        6 => {
            page.day = 1 + dice.below(27);
            "date"
        }
        7 => {
            page.topics = (0..dice.below(3)).map(|_| *dice.pick(&TOPICS)).collect();
            page.topics.sort_unstable();
            page.topics.dedup();
            "topics"
        }
        8 if page.kind == "articles" => {
            page.books = books.iter().filter(|_| dice.chance(50)).cloned().collect();
            "books"
        }
        9 if page.kind == "articles" => {
            page.worksheets = worksheets
                .iter()
                .filter(|_| dice.chance(50))
                .cloned()
                .collect();
            "worksheets"
        }
        10 => {
            page.draft = !page.draft;
            "draft"
        }
        11 => {
            page.slug = dice.chance(60).then(|| format!("slug-{step}"));
            "slug"
        }
        12 => {
            page.aliases = (0..dice.below(3))
                .map(|n| format!("/old/{step}-{n}/"))
                .collect();
            "aliases"
        }
        _ => {
            let own = page.link_target();
            page.link = Some(dice.pick(&targets).clone()).filter(|t| *t != own);
            "link"
        }
    }
}

/// An edit of the site around the pages: pages added, deleted or renamed, templates,
/// site.toml, static files; `Err` with a broken file to write instead.
fn edit_site(
    model: &mut Model,
    dice: &mut Dice,
    step: usize,
    choice: usize,
) -> Result<&'static str, (String, String)> {
    let i = dice.below(model.pages.len());
    Ok(match choice {
        14 => {
            let kind = *dice.pick(&KINDS);
            model.add_page(kind, dice);
            "add a page"
        }
        15 if model.pages.len() > 6 => {
            model.pages.remove(i);
            "delete a page"
        }
        15 | 16 => {
            model.next_name += 1;
            model.pages[i].name = format!("renamed-{}", model.next_name);
            "rename a page"
        }
        17 => {
            let variant = dice.below(3);
            if variant == 0 {
                model.files.remove("templates/article.html");
            } else {
                model.put(
                    "templates/article.html",
                    format!(
                        "{{% extends \"theme/article.html\" %}}{{% block article_footer %}}<p>Note {variant}</p>{{{{ super() }}}}{{% endblock article_footer %}}"
                    ),
                );
            }
            "a template"
        }
        18 => {
            if dice.chance(50) {
                model.files.remove("templates/partials/topics.html");
            } else {
                model.put(
                    "templates/partials/topics.html",
                    format!("<p class=\"topics-{step}\">{{{{ topic_list | length }}}} topics</p>"),
                );
            }
            "a partial"
        }
        19 => {
            model.put("site.toml", site_toml(step));
            "site.toml"
        }
        21 => {
            if !model.translate(i, step) {
                let kind = *dice.pick(&KINDS);
                model.add_page(kind, dice);
                if let Some(last) = model.pages.last_mut() {
                    last.lang = Some("es");
                }
                return Ok("add a page in Spanish only");
            }
            "translate a page"
        }
        20 => {
            if dice.chance(30) {
                model.files.remove("static/extra.css");
            } else {
                model.put("static/extra.css", format!("body {{ margin: {step}px }}\n"));
            }
            "a static file"
        }
        _ => {
            return Err(if dice.chance(50) {
                (
                    model.pages[i].path(),
                    "---\ntitle: [unclosed\n---\n".to_string(),
                )
            } else {
                (
                    "templates/article.html".to_string(),
                    "{% block main %}".to_string(),
                )
            });
        }
    })
}

/// Writes the files that differ and deletes those that are gone.
fn sync(root: &Path, before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        std::fs::remove_file(root.join(path)).expect("remove a file");
    }
    for (path, bytes) in after {
        if before.get(path) != Some(bytes) {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write a file");
        }
    }
}

/// What a file's body is, compared: its bytes, or the file it is copied from.
fn comparable(body: &Body) -> Result<&[u8], &Path> {
    match body {
        Body::Bytes(bytes) => Ok(bytes),
        Body::Copy(path) | Body::Cached(path) => Err(path),
    }
}

fn fresh_build(options: &BuildOptions) -> Option<BTreeMap<String, Body>> {
    let rendered = crate::render_in_memory(options).ok()?;
    Some(
        rendered
            .outputs
            .into_iter()
            .map(|o| (super::session::served_key(&o.path), o.body))
            .collect(),
    )
}

#[test]
fn served_files_match_a_fresh_build_after_every_edit() {
    let seed: u64 = std::env::var("HEARTH_PROPERTY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026);
    let steps = 220;
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path();
    let options = |cache: &Arc<PdfCache>| BuildOptions {
        root: root.to_path_buf(),
        today: Some(jiff::civil::date(2026, 6, 1)),
        pdf_cache: Some(cache.clone()),
        ..BuildOptions::default()
    };
    let mut model = Model::new();
    let mut written = BTreeMap::new();
    sync(root, &written, &model.all_files());
    written = model.all_files();
    let fresh_cache = Arc::new(PdfCache::default());
    let mut session = Session::new(options(&Arc::new(PdfCache::default())));
    let mut served: HashMap<String, Body> = HashMap::new();
    let mut dice = Dice(seed | 1);
    let mut kinds_seen = std::collections::BTreeSet::new();
    let mut failures = 0;
    for step in 0..=steps {
        let what = if step == 0 {
            "the first build".to_string()
        } else {
            let (what, broken) = edit(&mut model, &mut dice, step);
            let mut files = model.all_files();
            if let Some((path, text)) = broken {
                files.insert(path, text.into_bytes());
            }
            sync(root, &written, &files);
            written = files;
            what
        };
        kinds_seen.insert(what.clone());
        let fresh = fresh_build(&options(&fresh_cache));
        let rebuilt = session.rebuild();
        let context = format!("seed {seed}, step {step} ({what})");
        match (rebuilt, fresh) {
            (Ok(update), Some(fresh)) => {
                update.changes.apply_to(&mut served);
                let mut paths: Vec<&String> = served.keys().chain(fresh.keys()).collect();
                paths.sort();
                paths.dedup();
                for path in paths {
                    let got = served.get(path).map(comparable);
                    let want = fresh.get(path).map(comparable);
                    assert!(
                        got == want,
                        "{context}: {path} differs: served {}, fresh build {}",
                        got.is_some(),
                        want.is_some()
                    );
                }
            }
            (Err(_), None) => failures += 1,
            (Ok(_), None) => panic!("{context}: serve built what a fresh build refuses"),
            (Err(d), Some(_)) => panic!("{context}: serve failed where a build works: {d:?}"),
        }
    }
    // The sequence did what it is for: every kind of edit, some of them broken.
    assert!(failures > 0, "seed {seed}: no edit broke the build");
    for what in [
        "body",
        "title",
        "date",
        "topics",
        "books",
        "worksheets",
        "draft",
        "slug",
        "aliases",
        "link",
        "add a page",
        "delete a page",
        "rename a page",
        "a template",
        "a partial",
        "site.toml",
        "a static file",
        "a broken file",
        "translate a page",
        "add a page in Spanish only",
    ] {
        assert!(kinds_seen.contains(what), "seed {seed}: no `{what}` edit");
    }
}

#[test]
fn a_topic_change_reaches_every_list_page_of_the_section() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path();
    let mut model = Model::new();
    model.files.retain(|p, _| !p.starts_with("static"));
    let files = model.all_files();
    sync(root, &BTreeMap::new(), &files);
    let options = BuildOptions {
        root: root.to_path_buf(),
        today: Some(jiff::civil::date(2026, 6, 1)),
        ..BuildOptions::default()
    };
    let mut session = Session::new(options.clone());
    let mut served: HashMap<String, Body> = HashMap::new();
    session
        .rebuild()
        .expect("first build")
        .changes
        .apply_to(&mut served);
    let article = model
        .pages
        .iter_mut()
        .find(|p| p.kind == "articles")
        .expect("an article");
    article.topics = vec!["Brand new topic"];
    sync(root, &files, &model.all_files());
    session
        .rebuild()
        .expect("rebuild")
        .changes
        .apply_to(&mut served);
    let fresh = fresh_build(&options).expect("a fresh build");
    for page in [
        "articles/index.html",
        "articles/page/2/index.html",
        "articles/page/3/index.html",
    ] {
        let Some(Body::Bytes(bytes)) = served.get(page) else {
            panic!("{page} is not served");
        };
        assert!(
            String::from_utf8_lossy(bytes).contains("Brand new topic"),
            "{page}"
        );
        assert!(served.get(page).map(comparable) == fresh.get(page).map(comparable));
    }
}
