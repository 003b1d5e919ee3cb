//! The hot paths of a build, each on its own: front matter, Markdown, one article page
//! through the templates, the privacy gate on that page, and (with the `pdf` feature) one
//! worksheet PDF.
//!
//!     cargo bench --bench hot_paths
//!
//! Inputs are the sample site in the repository (its longest article, 5.5 KB, and its
//! repair-conversation worksheet), so the figures follow the real content and theme.
//! Whole-site timings are `scripts/bench.sh`'s job; see BENCHMARKS.md.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

use hearth::internals::config::Config;
use hearth::internals::content::front_matter;
use hearth::internals::content::load::{LoadOptions, load};
use hearth::internals::markdown::{MarkdownInput, render};
use hearth::internals::output::Body;
use hearth::internals::privacy;
use hearth::internals::render::context::Shared;
use hearth::internals::render::{Job, Renderer};
use hearth::internals::templates::Templates;

/// The allocator the `hearth` binary uses, so these figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ARTICLE: &str = "content/articles/repairing-after-a-fight.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("sample file")
}

/// The article's front matter keys, as a type of the bench's own (hearth's per-kind
/// front matter types are crate-private); same YAML, same deserialiser.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ArticleFront {
    title: String,
    description: Option<String>,
    date: Option<jiff::civil::Date>,
    updated: Option<jiff::civil::Date>,
    reviewed: Option<jiff::civil::Date>,
    #[serde(default)]
    topics: Vec<String>,
    author: Option<String>,
    #[serde(default)]
    books: Vec<String>,
    #[serde(default)]
    worksheets: Vec<String>,
}

fn front_matter(c: &mut Criterion) {
    let source = read(ARTICLE);
    let path = Path::new(ARTICLE);
    c.bench_function("front matter: split + parse (article)", |b| {
        b.iter(|| {
            let split = front_matter::split(black_box(&source), path).expect("front matter");
            let front: ArticleFront =
                front_matter::parse(&source, &split, path).expect("valid front matter");
            black_box(front)
        })
    });
}

fn markdown(c: &mut Criterion) {
    let source = read(ARTICLE);
    let body = front_matter::split(&source, Path::new(ARTICLE))
        .expect("front matter")
        .body;
    c.bench_function("markdown: render one 5.5 KB article", |b| {
        b.iter(|| {
            black_box(render(&MarkdownInput {
                text: black_box(body),
                relative_base: Some("/articles/"),
            }))
        })
    });
}

fn template(c: &mut Criterion) {
    let root = root();
    let config = Config::load(&root).expect("sample site.toml");
    let options = LoadOptions {
        drafts: false,
        today: jiff::civil::date(2026, 12, 31),
    };
    let (site, _warnings) = load(&root, config, &options, None).expect("sample site loads");
    let templates = Templates::load(&root, &site.config).expect("templates");
    let page = site
        .pages
        .iter()
        .position(|p| p.path.ends_with("repairing-after-a-fight.md"))
        .expect("the article is in the sample site");
    // No covers or PDFs: the page renders without their sizes, as in a build without them.
    let shared = Shared::new(&site, HashMap::new(), HashMap::new());
    let renderer = Renderer::new(&site, &templates, &shared);
    let job = Job::Page(page);
    c.bench_function("template: one article page (context + Tera)", |b| {
        b.iter(|| black_box(renderer.run(black_box(&job)).expect("renders")))
    });
    let outputs = renderer.run(&job).expect("renders");
    let Some(Body::Bytes(html)) = outputs.first().map(|o| &o.body) else {
        panic!("an article page is rendered to bytes")
    };
    c.bench_function("privacy gate: read that page for loads", |b| {
        b.iter(|| black_box(privacy::loads(black_box(html))))
    });
}

#[cfg(feature = "pdf")]
fn worksheet_pdf(c: &mut Criterion) {
    use hearth::internals::render::pdf::{Paper, PdfInput};
    let source = read("content/worksheets/repair-conversation.md");
    let split =
        front_matter::split(&source, Path::new("repair-conversation.md")).expect("front matter");
    let (sheet, _) = hearth::internals::content::worksheet::parse(split.body);
    let input = PdfInput {
        title: "A Repair Conversation After a Fight",
        description: Some("A step-by-step guide for talking through a fight."),
        subtitle: Some("30 to 45 minutes · for couples"),
        language: "en-US",
        page_of: "Page {current} of {total}",
        practice: "Cedar & Ember Couples Counseling",
        url: "https://cedar-and-ember.example/worksheets/repair-conversation/",
        paper: Paper::Letter,
        sheet: &sheet,
        images: &[],
    };
    let mut group = c.benchmark_group("pdf");
    // Typesetting takes tens of milliseconds: fewer samples keep the run short.
    group.sample_size(10);
    group.bench_function("one fillable worksheet (Typst + form fields)", |b| {
        b.iter(|| {
            // Typst memoises compilations; a build typesets each worksheet once, so clear
            // the cache to time a first typesetting rather than a cache hit.
            typst::comemo::evict(0);
            let pdf = hearth::internals::render::pdf::render(black_box(&input)).expect("typesets");
            black_box(hearth::internals::render::forms::add_fields(&pdf).expect("fields"))
        })
    });
    group.finish();
}

#[cfg(not(feature = "pdf"))]
fn worksheet_pdf(_: &mut Criterion) {}

criterion_group!(benches, front_matter, markdown, template, worksheet_pdf);
criterion_main!(benches);
