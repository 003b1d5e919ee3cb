//! Template data: each page's card (the few fields lists show) is serialised once and
//! shared by every list that shows it; a page's full data is built only for its own job.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::SerializeStruct;
use tera::Value;

use super::covers::{self, CoverSet};
use super::images::{self as page_images, HeroValue, Inline};
use super::schema;
use super::worksheets::PdfLink;
use crate::content::books::{BookLink, Isbn, book_links};
use crate::content::hours::{self, DayRow};
use crate::content::kinds::{ArticleMeta, BookMeta, CounselingMeta, Fields, Meta, with_fields};
use crate::content::{Common, Kind, Page, Site, slugify, us};
use crate::images::ImageSet;
use crate::images::cache::Cache;
use crate::markdown::TocEntry;

/// How many related articles an article page shows.
const RELATED: usize = 3;

/// A topic as templates link to it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicRef {
    pub name: String,
    pub url: String,
}

/// What lists and cards show of a page.
#[derive(Serialize)]
struct Card<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    summary: Option<Cow<'a, str>>,
    date: Option<jiff::civil::Date>,
    reading_minutes: usize,
    topics: Vec<TopicRef>,
    author: Option<&'a str>,
    year: Option<i32>,
    cover: Option<&'a CoverSet>,
    hero: Option<HeroValue>,
    duration: Option<&'a str>,
    audience: Option<&'a str>,
    pdf: Option<&'a PdfLink>,
}

/// Everything a page's template sees as `page`: the keys of its front matter and
/// [`PageData`]'s side by side, written as one struct (see [`Fields`]). Where two have the
/// same name, the later wins.
struct PageValue<'a> {
    common: &'a Common,
    meta: &'a Meta,
    data: PageData<'a>,
}

impl Serialize for PageValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = self.common.field_count() + self.meta.field_count() + self.data.field_count();
        let mut page = serializer.serialize_struct("page", count)?;
        self.common.serialize_fields(&mut page)?;
        self.meta.serialize_fields(&mut page)?;
        self.data.serialize_fields(&mut page)?;
        page.end()
    }
}

with_fields! {
    /// What a page's template sees as `page` besides its front matter.
    struct PageData<'a> {
        kind: &'static str,
        slug: &'a str,
        url: &'a str,
        permalink: String,
        content: Cow<'a, str>,
        summary: Option<Cow<'a, str>>,
        /// The hero photo near the title, with its credit.
        hero: Option<HeroValue>,
        toc: Vec<TocEntry>,
        word_count: usize,
        reading_minutes: usize,
        topic_links: Vec<TopicRef>,
        cover_image: Option<&'a CoverSet>,
        isbn13: Option<&'a str>,
        book_links: Vec<BookLink>,
        recommended_books: Vec<Value>,
        named_worksheets: Vec<Value>,
        related: Vec<Value>,
        previous: Option<Value>,
        next: Option<Value>,
        mentioned_in: Vec<Value>,
        pdfs: &'a [PdfLink],
        hours_table: Vec<DayRow>,
        licensed_states: Vec<&'static str>,
        /// The office on OpenStreetMap: a plain link, never an embedded map.
        map_url: Option<String>,
        /// Serialised here (serde_json keeps keys sorted) so every build writes the same bytes.
        json_ld: Option<String>,
    }
}

/// Data computed once per build and shared by all render jobs.
pub struct Shared {
    /// The `site` value every template sees, one per language.
    pub site: Vec<Value>,
    cards: Vec<Value>,
    /// Every photo's copies, by its file.
    pub images: HashMap<PathBuf, ImageSet>,
    /// Where the photos' encoded copies are kept between builds.
    pub image_cache: Arc<Cache>,
    pub covers: HashMap<usize, CoverSet>,
    /// Worksheet page index → its PDFs.
    pdfs: HashMap<usize, Vec<PdfLink>>,
    /// (language, slug) → the topic's URL.
    topic_urls: HashMap<(usize, String), String>,
    /// Page index → indices into `Site::topics`.
    page_topics: Vec<Vec<usize>>,
    /// Every page, newest first, ties in file order; a page's place in it is its rank.
    /// Unlike the topic pages' order it ignores titles, so retitling a page (which `serve`
    /// does without rebuilding this) never reorders another article's related articles.
    newest_first: Vec<usize>,
    /// Page index → its rank.
    rank: Vec<u32>,
    /// Each topic's articles as ranks, in order: what [`Shared::related`] merges. Small
    /// numbers side by side, so the merge does not chase pages all over memory.
    topic_articles: Vec<Vec<u32>>,
    /// Page index → its position in its section's order.
    section_position: Vec<usize>,
    /// Each article's related articles (empty for other kinds).
    related: RelatedTable,
    /// Made only when reusing an earlier run's work (serve): each page's input hash and
    /// each card's hash, which the fingerprints need too.
    page_hashes: Option<Vec<u64>>,
    card_hashes: Option<Vec<u64>>,
}

/// What one `serve` run keeps for the next: the related articles, and each page's card
/// (with its hash) by the hash of the page's inputs, so that an unchanged page's card is
/// not made again.
#[derive(Clone, Default)]
pub struct Kept {
    related: RelatedTable,
    cards: std::sync::Arc<HashMap<u64, (Value, u64)>>,
}

/// Each article's related articles, with a hash of what they were worked out from (the
/// pages' topics and date order), so that `serve` keeps them while neither changes.
#[derive(Clone, Default)]
pub struct RelatedTable {
    key: u64,
    lists: std::sync::Arc<Vec<Vec<usize>>>,
}

impl Shared {
    pub fn new(
        site: &Site,
        images: HashMap<PathBuf, ImageSet>,
        pdfs: HashMap<usize, Vec<PdfLink>>,
    ) -> Shared {
        Shared::reusing(site, images, pdfs, None, Arc::new(Cache::new(&site.root)))
    }

    /// As [`Shared::new`], taking the related articles from `previous` when they were
    /// worked out from the same topics and date order.
    pub fn reusing(
        site: &Site,
        images: HashMap<PathBuf, ImageSet>,
        pdfs: HashMap<usize, Vec<PdfLink>>,
        previous: Option<&Kept>,
        image_cache: Arc<Cache>,
    ) -> Shared {
        let covers = site
            .images
            .covers
            .keys()
            .filter_map(|&i| Some((i, covers::cover(site, &images, i)?)))
            .collect();
        let topic_urls = site
            .topics
            .iter()
            .map(|t| ((t.lang, t.slug.clone()), t.url.clone()))
            .collect();
        let mut page_topics = vec![Vec::new(); site.pages.len()];
        for (t, topic) in site.topics.iter().enumerate() {
            for &p in &topic.pages {
                page_topics[p].push(t);
            }
        }
        let mut newest_first: Vec<usize> = (0..site.pages.len()).collect();
        newest_first.sort_by_key(|&i| std::cmp::Reverse(site.pages[i].common.date));
        let mut rank = vec![0; site.pages.len()];
        for (r, &i) in newest_first.iter().enumerate() {
            rank[i] = r as u32;
        }
        let topic_articles = site
            .topics
            .iter()
            .map(|topic| {
                let mut ranks: Vec<u32> = topic
                    .pages
                    .iter()
                    .filter(|&&p| site.pages[p].kind == Kind::Articles)
                    .map(|&p| rank[p])
                    .collect();
                ranks.sort_unstable();
                ranks
            })
            .collect();
        let mut section_position = vec![0; site.pages.len()];
        for section in &site.sections {
            for (pos, &p) in section.pages.iter().enumerate() {
                section_position[p] = pos;
            }
        }
        let mut shared = Shared {
            site: (0..site.languages.len())
                .map(|lang| super::site_value(site, lang))
                .collect(),
            cards: Vec::new(),
            image_cache,
            images,
            covers,
            pdfs,
            topic_urls,
            page_topics,
            newest_first,
            rank,
            topic_articles,
            section_position,
            related: RelatedTable::default(),
            page_hashes: None,
            card_hashes: None,
        };
        shared.related = shared.related_table(site, previous.map(|kept| &kept.related));
        match previous {
            None => {
                shared.cards = (0..site.pages.len())
                    .into_par_iter()
                    .with_max_len(crate::PAGES_PER_TASK)
                    .map(|i| shared.card(site, i))
                    .collect();
            }
            Some(kept) => shared.reuse_cards(site, kept),
        }
        shared
    }

    /// Takes each card from `kept` when the page's inputs are unchanged, else makes it.
    fn reuse_cards(&mut self, site: &Site, kept: &Kept) {
        let page_hashes = super::inputs::page_input_hashes(site, self);
        let cards: Vec<(Value, u64)> = page_hashes
            .par_iter()
            .enumerate()
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|(i, hash)| {
                kept.cards
                    .get(hash)
                    .cloned()
                    .unwrap_or_else(|| (self.card(site, i), self.card_hash(site, i)))
            })
            .collect();
        let (cards, card_hashes) = cards.into_iter().unzip();
        self.cards = cards;
        self.card_hashes = Some(card_hashes);
        self.page_hashes = Some(page_hashes);
    }

    /// What the next run may reuse of this one (only after [`Shared::reusing`]).
    pub fn kept(&self) -> Kept {
        let cards = match (&self.page_hashes, &self.card_hashes) {
            (Some(pages), Some(hashes)) => pages
                .iter()
                .zip(self.cards.iter().zip(hashes))
                .map(|(&page, (card, &hash))| (page, (card.clone(), hash)))
                .collect(),
            _ => HashMap::new(),
        };
        Kept {
            related: self.related.clone(),
            cards: std::sync::Arc::new(cards),
        }
    }

    /// Each page's input hash, when this run worked them out.
    pub fn page_input_hashes(&self) -> Option<&[u64]> {
        self.page_hashes.as_deref()
    }

    /// Each card's hash, when this run worked them out.
    pub fn card_hashes(&self) -> Option<&[u64]> {
        self.card_hashes.as_deref()
    }

    fn topic_refs(&self, lang: usize, names: &[String]) -> Vec<TopicRef> {
        names
            .iter()
            .filter_map(|name| {
                let url = self.topic_urls.get(&(lang, slugify(name)))?;
                Some(TopicRef {
                    name: name.clone(),
                    url: url.clone(),
                })
            })
            .collect()
    }

    fn card(&self, site: &Site, i: usize) -> Value {
        Value::from_serializable(&self.card_fields(site, i))
    }

    /// A hash of page `i`'s card, from its fields as they serialise (a Tera map keeps no
    /// fixed order, so the value itself is not hashed).
    pub fn card_hash(&self, site: &Site, i: usize) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        match serde_json::to_vec(&self.card_fields(site, i)) {
            Ok(bytes) => std::hash::Hash::hash(&bytes, &mut h),
            Err(_) => std::hash::Hash::hash(&std::time::Instant::now(), &mut h),
        }
        std::hash::Hasher::finish(&h)
    }

    fn card_fields<'a>(&'a self, site: &'a Site, i: usize) -> Card<'a> {
        let page = &site.pages[i];
        let (author, year, duration, audience) = match &page.meta {
            Meta::Article(a) => (a.author.as_deref(), None, None, None),
            Meta::Book(b) => (Some(b.author.as_str()), b.year, None, b.audience.as_deref()),
            Meta::Worksheet(w) => (
                None,
                None,
                w.duration.as_deref(),
                w.audience.map(|a| match a {
                    crate::content::kinds::Audience::Couples => "Couples",
                    crate::content::kinds::Audience::Individuals => "Individuals",
                }),
            ),
            _ => (None, None, None, None),
        };
        Card {
            kind: page.kind.singular(),
            title: &page.common.title,
            url: &page.url,
            description: page.common.description.as_deref(),
            summary: self.summary(site, i),
            date: page.common.date,
            reading_minutes: page.rendered.reading_minutes(),
            topics: self.topic_refs(page.lang, &page.common.topics),
            author,
            year,
            cover: self.covers.get(&i),
            hero: page_images::hero(site, &self.images, i, true),
            duration,
            audience,
            pdf: self.pdfs.get(&i).and_then(|p| p.first()),
        }
    }

    pub fn cards(&self, indices: &[usize]) -> Vec<Value> {
        indices.iter().map(|&i| self.card_of(i)).collect()
    }

    /// The cards of the pages that `links` (one of `Site`'s reference maps) gives page `i`.
    fn linked_cards(&self, links: &HashMap<usize, Vec<usize>>, i: usize) -> Vec<Value> {
        self.cards(links.get(&i).map_or(&[][..], Vec::as_slice))
    }

    /// Page `i`'s summary (the part before `<!-- more -->`), with its photos.
    fn summary<'a>(&'a self, site: &'a Site, i: usize) -> Option<Cow<'a, str>> {
        let page = &site.pages[i];
        let summary = page.rendered.summary_html.as_deref()?;
        Some(page_images::inline(
            site,
            &self.images,
            &page.path,
            &page.rendered.images,
            summary,
            Inline::Page,
        ))
    }

    /// Page `i`'s card.
    pub fn card_of(&self, i: usize) -> Value {
        self.cards[i].clone()
    }

    /// Worksheet page `i`'s PDFs (none for other pages).
    pub fn pdfs_of(&self, i: usize) -> &[PdfLink] {
        self.pdfs.get(&i).map_or(&[][..], Vec::as_slice)
    }

    /// Page `i`'s topics, as indices into `Site::topics`.
    pub fn topics_of(&self, i: usize) -> &[usize] {
        &self.page_topics[i]
    }

    /// The pages whose cards page `i`'s own page shows, as [`Shared::page`] picks them.
    pub fn cards_read_by_page(&self, site: &Site, i: usize) -> Vec<usize> {
        let linked =
            |links: &HashMap<usize, Vec<usize>>| links.get(&i).cloned().unwrap_or_default();
        match site.pages[i].kind {
            Kind::Articles => {
                let (previous, next) = self.neighbours(site, i);
                let mut cards = linked(&site.books_of);
                cards.extend(linked(&site.worksheets_of));
                cards.extend_from_slice(self.related_of(i));
                cards.extend(previous);
                cards.extend(next);
                cards
            }
            Kind::Books => linked(&site.mentioned_in),
            Kind::Worksheets => linked(&site.used_by),
            Kind::Counseling | Kind::Pages => Vec::new(),
        }
    }

    /// The older and the newer article beside article `i` in its section (which lists
    /// newest first).
    fn neighbours(&self, site: &Site, i: usize) -> (Option<usize>, Option<usize>) {
        let order = &site.sections[site.pages[i].section].pages;
        let pos = self.section_position[i];
        let older = order.get(pos + 1).copied();
        let newer = pos.checked_sub(1).and_then(|p| order.get(p)).copied();
        (older, newer)
    }

    /// The related-articles table: `previous`'s when its key matches, else worked out.
    fn related_table(&self, site: &Site, previous: Option<&RelatedTable>) -> RelatedTable {
        let mut h = rustc_hash::FxHasher::default();
        (&self.page_topics, &self.topic_articles, &self.newest_first).hash(&mut h);
        let key = h.finish();
        if let Some(previous) = previous.filter(|p| p.key == key) {
            return previous.clone();
        }
        let lists = (0..site.pages.len())
            .into_par_iter()
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|i| match site.pages[i].kind {
                Kind::Articles => self.related(i),
                _ => Vec::new(),
            })
            .collect();
        RelatedTable {
            key,
            lists: std::sync::Arc::new(lists),
        }
    }

    /// What [`Shared::related`] gave for page `i`.
    pub fn related_of(&self, i: usize) -> &[usize] {
        &self.related.lists[i]
    }

    /// Articles sharing the most topics with article `i`, newest first among equals.
    ///
    /// Every topic's articles are already in rank order, so one merge of the article's
    /// topics meets each candidate once, with its copies side by side: no candidate list to
    /// sort, and the merge stops as soon as enough articles share every topic.
    fn related(&self, i: usize) -> Vec<usize> {
        let lists: Vec<&[u32]> = self.page_topics[i]
            .iter()
            .map(|&t| self.topic_articles[t].as_slice())
            .collect();
        let mut heads = vec![0; lists.len()];
        // `by_shared[c - 1]`: the first few candidates, in rank order, sharing `c` topics.
        let mut by_shared: Vec<Vec<u32>> = vec![Vec::new(); lists.len()];
        let own = self.rank[i];
        loop {
            let next = lists
                .iter()
                .zip(&heads)
                .filter_map(|(list, &h)| list.get(h).copied())
                .min();
            let Some(next) = next else { break };
            let mut shared = 0;
            for (list, head) in lists.iter().zip(heads.iter_mut()) {
                if list.get(*head) == Some(&next) {
                    *head += 1;
                    shared += 1;
                }
            }
            let found = &mut by_shared[shared - 1];
            if next != own && found.len() < RELATED {
                found.push(next);
            }
            if by_shared.last().is_some_and(|all| all.len() == RELATED) {
                break;
            }
        }
        by_shared
            .into_iter()
            .rev()
            .flatten()
            .take(RELATED)
            .map(|r| self.newest_first[r as usize])
            .collect()
    }

    /// The full `page` value for page `i`: what every page has, then its kind's own data.
    pub fn page(&self, site: &Site, i: usize) -> Value {
        let page = &site.pages[i];
        let mut data = self.common_data(site, i);
        match &page.meta {
            Meta::Article(article) => self.article_data(site, i, article, &mut data),
            Meta::Book(book) => self.book_data(site, i, book, &mut data),
            Meta::Counseling(meta) => counseling_data(site, page, meta, &mut data),
            Meta::Worksheet(_) => data.mentioned_in = self.linked_cards(&site.used_by, i),
            Meta::Page(_) => {}
        }
        Value::from_serializable(&PageValue {
            common: &page.common,
            meta: &page.meta,
            data,
        })
    }

    /// The data every page has, with the kinds' own fields empty.
    fn common_data<'a>(&'a self, site: &'a Site, i: usize) -> PageData<'a> {
        let page = &site.pages[i];
        PageData {
            kind: page.kind.singular(),
            slug: &page.slug,
            url: &page.url,
            permalink: format!("{}{}", site.config.base(), page.url),
            content: page_images::inline(
                site,
                &self.images,
                &page.path,
                &page.rendered.images,
                &page.rendered.html,
                Inline::Page,
            ),
            summary: self.summary(site, i),
            hero: page_images::hero(site, &self.images, i, false),
            toc: page.rendered.toc(),
            word_count: page.rendered.word_count,
            reading_minutes: page.rendered.reading_minutes(),
            topic_links: self.topic_refs(page.lang, &page.common.topics),
            cover_image: self.covers.get(&i),
            isbn13: None,
            book_links: Vec::new(),
            recommended_books: Vec::new(),
            named_worksheets: Vec::new(),
            related: Vec::new(),
            previous: None,
            next: None,
            mentioned_in: Vec::new(),
            pdfs: self.pdfs_of(i),
            hours_table: Vec::new(),
            licensed_states: Vec::new(),
            map_url: None,
            json_ld: None,
        }
    }

    /// An article's books, worksheets, related articles, neighbours and JSON-LD.
    fn article_data(&self, site: &Site, i: usize, article: &ArticleMeta, data: &mut PageData) {
        data.recommended_books = self.linked_cards(&site.books_of, i);
        data.named_worksheets = self.linked_cards(&site.worksheets_of, i);
        data.related = self.cards(self.related_of(i));
        // Sections list newest first: "previous" is the older article.
        let (older, newer) = self.neighbours(site, i);
        data.previous = older.map(|p| self.card_of(p));
        data.next = newer.map(|p| self.card_of(p));
        data.json_ld = Some(schema::script(&schema::article(
            site,
            &site.pages[i],
            article.author.as_deref(),
            data.hero.as_ref().map(|h| h.url.as_str()),
        )));
    }

    /// A book's ISBN, shop and library links, the articles that recommend it, JSON-LD.
    fn book_data<'a>(&self, site: &'a Site, i: usize, book: &BookMeta, data: &mut PageData<'a>) {
        let page = &site.pages[i];
        data.isbn13 = page.isbn.as_ref().map(Isbn::digits);
        if let Some(isbn) = &page.isbn {
            data.book_links = book_links(&site.config.books, isbn);
        }
        data.mentioned_in = self.linked_cards(&site.mentioned_in, i);
        data.json_ld = Some(schema::script(&schema::book(
            site,
            page,
            book,
            page.isbn.as_ref(),
            self.covers.get(&i),
        )));
    }
}

/// A counseling page's hours table, licensed states, map link and JSON-LD.
fn counseling_data(site: &Site, page: &Page, meta: &CounselingMeta, data: &mut PageData) {
    if !page.opening_hours.is_empty() {
        data.hours_table = hours::table(&page.opening_hours);
    }
    data.licensed_states = meta
        .licensed_in
        .iter()
        .filter_map(|c| us::state_name_in(c, site.code(page.lang)))
        .collect();
    data.map_url = meta.geo.map(|g| {
        format!(
            "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
            lat = g.lat,
            lon = g.lon
        )
    });
    data.json_ld = schema::practice(site, &[page]).map(|v| schema::script(&v));
}
