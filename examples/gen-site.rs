//! gen-site: writes a synthetic hearth site for speed measurements.
//!
//!     cargo run --release --example gen-site -- --articles 10000 [--search on|off]
//!         [--covers on|off] [--seed N] DIR
//!
//! The same arguments always give the same files (a small fixed-seed PRNG, no clock):
//! articles of 4–8 KB of Markdown (headings, lists, quotes, emphasis, links between
//! articles, some to a heading of the other article, 1–3 topics from a fixed list, dates),
//! about one book per 25 articles (valid ISBN-13), about one worksheet per 500 articles
//! (each becomes a Typst PDF, so they are kept few), and the pages a practice's site has
//! (home, about, contact, fees, privacy, crisis, one counseling page).
//!
//! Search is off by default: Hugo and Zola build no search index in the shared comparison
//! (`gen_site.py`), so a like-for-like timing leaves Pagefind out; `--search on` measures it.
//! Covers are off by default for the same reason (resizing images has no counterpart
//! there); `--covers on` gives every book a PNG cover.
//!
//! DIR must be empty or missing, or made by an earlier gen-site run (it is then replaced).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jiff::ToSpan;

/// Marks a folder as gen-site output, so a later run may replace it.
const MARKER: &str = ".gen-site";

const USAGE: &str =
    "usage: gen-site [--articles N] [--search on|off] [--covers on|off] [--seed N] DIR";

/// SplitMix64: tiny, fast, and good enough for synthetic text; fixed so output never
/// changes with a crate upgrade.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct items, in random order.
    fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(items.len());
        for i in 0..k {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| items[i]).collect()
    }
}

const TOPICS: &[&str] = &[
    "Anxiety",
    "Depression",
    "Grief",
    "Trauma",
    "Mindfulness",
    "Couples",
    "Parenting",
    "Self-worth",
    "Stress",
    "Sleep",
    "ADHD",
    "Panic",
    "Burnout",
    "Boundaries",
    "Communication",
    "Conflict",
    "Loneliness",
    "Life changes",
    "Work",
    "Teens",
    "New parents",
    "Chronic illness",
    "Anger",
    "Family",
];

const TITLE_PATTERNS: &[&str] = &[
    "A gentle introduction to {t}",
    "What a first session about {t} looks like",
    "Five small habits for days of {t}",
    "How {t} shows up between partners",
    "Talking with your family about {t}",
    "When {t} and {u} meet",
    "Questions to bring to a counselor about {t}",
    "Notes on {t} for busy weeks",
    "Finding steadier ground with {t}",
    "What we have learned about {t}",
    "A plan for the hard evenings of {t}",
    "Common myths about {t}",
];

/// Section headings: distinct within an article, so their ids have no suffix and other
/// articles can link to them.
const HEADS: &[&str] = &[
    "Why this matters",
    "Signs to look for",
    "What research suggests",
    "Things to try this week",
    "When to ask for help",
    "Working with a counselor",
    "For partners and friends",
    "A closer look",
    "Myths to let go of",
    "Building a routine",
    "Questions people ask us",
    "Looking after yourself",
    "Setbacks and restarts",
    "Making room for rest",
];

/// Subheadings: a different vocabulary from `HEADS`, so the two never share an id.
const SUBHEADS: &[&str] = &[
    "At home",
    "At work",
    "In the body",
    "First steps",
    "Going further",
    "A short exercise",
    "For parents",
    "What helps",
    "What gets in the way",
];

const OPENERS: &[&str] = &[
    "In our work,",
    "Over a few months,",
    "In session,",
    "At the start,",
    "For many people,",
    "Studies suggest that",
    "Quite often,",
    "In our experience,",
    "Week after week,",
    "Perhaps unsurprisingly,",
];

const SUBJECTS: &[&str] = &[
    "clients",
    "parents",
    "people in recovery",
    "teenagers",
    "partners",
    "carers",
    "students",
    "older adults",
    "night-shift workers",
    "new clients",
];

const VERBS: &[&str] = &[
    "notice",
    "put words to",
    "wrestle with",
    "learn to name",
    "carry",
    "work through",
    "come back to",
    "make space for",
    "talk about",
    "question",
    "practise",
    "keep track of",
];

const OBJECTS: &[&str] = &[
    "the first signs of strain",
    "a tight chest before meetings",
    "old beliefs about not being enough",
    "the wish to avoid hard conversations",
    "patterns learned early in life",
    "thoughts that arrive at 3 a.m.",
    "the weight of a long week",
    "small wins nobody else sees",
    "the distance between feeling and saying",
    "routines that keep a day steady",
    "the pull of perfectionism",
    "feelings they were taught to hide",
    "a sense of safety in the body",
    "ways of asking for support",
];

const TAILS: &[&str] = &[
    "and that is a normal part of change",
    "which is where counseling can help",
    "especially around big transitions",
    "even when progress feels slow",
    "long before they reach out",
    "in ways that are easy to overlook",
    "and every step counts",
    "with more patience than they expected",
];

const LIST_ITEMS: &[&str] = &[
    "Keep a two-line log of moods and what came before them",
    "Plan one restful activity for each day",
    "Breathe in for four counts and out for six, five times",
    "Write down one thing that went well",
    "Name the feeling before trying to solve it",
    "Agree on a pause word for heated moments",
    "Put the phone in another room an hour before bed",
    "Bring your notes to the next session",
    "Notice where tension sits in your shoulders and jaw",
    "Send a message to one supportive person",
    "Keep the same bedtime for two or three weeks",
    "Swap \"I should\" for \"I could\" when planning the day",
];

const QUOTES: &[&str] = &[
    "You do not have to see the whole path to take the next step.",
    "Healing is not a straight line; it loops back and begins again.",
    "What we can name, we can start to work with.",
    "Rest is not a prize for finishing; it is part of the work.",
    "You can be a work in progress and still be enough today.",
];

const EXTERNAL: &[(&str, &str)] = &[
    ("https://example.com/research/overview", "a recent overview"),
    ("https://example.net/guides/self-help", "a self-help guide"),
    ("https://example.org/helplines", "a list of helplines"),
];

const BOOK_ADJ: &[&str] = &[
    "Quiet", "Steady", "Kind", "Open", "Brave", "Patient", "Gentle", "Honest",
];
const BOOK_NOUN: &[&str] = &[
    "Harbour", "Ground", "Mind", "Door", "Steps", "Room", "Season", "Road", "Table",
];
const AUTHORS: &[&str] = &[
    "M. Ellwood",
    "R. Adebayo",
    "L. Haddad",
    "S. Varga",
    "J. Marlowe",
    "P. Lindgren",
    "A. Moreau",
    "K. Owusu",
    "T. Nakagawa",
    "D. Castell",
];
const PUBLISHERS: &[&str] = &["Northlight Press", "Riverbend Books", "Alder House"];

const CLINICIANS: &[&str] = &["Dr. Ana Whitfield, PhD", "Sam Okoro, LPC"];

struct Article {
    slug: String,
    title: String,
    date: jiff::civil::Date,
    description: String,
    topics: Vec<&'static str>,
    heads: Vec<&'static str>,
    target: usize,
    author: &'static str,
    books: Vec<usize>,
    worksheets: Vec<usize>,
}

struct Book {
    slug: String,
    title: String,
    author: &'static str,
    year: usize,
    isbn: String,
    publisher: &'static str,
    topics: Vec<&'static str>,
}

struct Worksheet {
    slug: String,
    title: String,
    topic: &'static str,
    couples: bool,
}

struct Options {
    articles: usize,
    search: bool,
    covers: bool,
    seed: u64,
    out: PathBuf,
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)).and_then(|o| run(&o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-site: {e}");
            ExitCode::FAILURE
        }
    }
}

fn on_off(value: Option<String>, flag: &str) -> Result<bool, String> {
    match value.as_deref() {
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        _ => Err(format!("{flag} takes `on` or `off`\n{USAGE}")),
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        articles: 1000,
        search: false,
        covers: false,
        seed: 1,
        out: PathBuf::new(),
    };
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--articles" => {
                options.articles = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--articles takes a number above 0\n{USAGE}"))?;
            }
            "--seed" => {
                options.seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("--seed takes a number\n{USAGE}"))?;
            }
            "--search" => options.search = on_off(args.next(), "--search")?,
            "--covers" => options.covers = on_off(args.next(), "--covers")?,
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => {
                return Err(format!(
                    "one output folder only (got a second: {s})\n{USAGE}"
                ));
            }
        }
    }
    options.out = out.ok_or_else(|| format!("no output folder\n{USAGE}"))?;
    Ok(options)
}

/// Empties `dir` if an earlier gen-site made it; refuses any other non-empty folder.
fn prepare(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if entries.next().is_some() {
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "{shown} is not empty and was not made by gen-site; give an empty or new folder"
                ));
            }
            fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {shown}: {e}"))?;
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {shown}: {e}"))
}

struct Writer {
    root: PathBuf,
    bytes: usize,
    files: usize,
}

impl Writer {
    fn write(&mut self, rel: &str, text: &[u8]) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.bytes += text.len();
        self.files += 1;
        Ok(())
    }
}

fn run(o: &Options) -> Result<(), String> {
    let mut rng = Rng(o.seed ^ 0x6865_6172_7468); // "hearth"
    let n = o.articles;
    let books = plan_books(&mut rng, n.div_ceil(25));
    let worksheets = plan_worksheets(&mut rng, n.div_ceil(500));
    let articles = plan_articles(&mut rng, n, books.len(), worksheets.len());

    prepare(&o.out)?;
    let mut w = Writer {
        root: o.out.clone(),
        bytes: 0,
        files: 0,
    };
    w.write(
        MARKER,
        format!(
            "gen-site articles={n} seed={} search={}\n",
            o.seed, o.search
        )
        .as_bytes(),
    )?;
    w.write("site.toml", site_toml(o.search).as_bytes())?;
    for (rel, text) in fixed_pages() {
        w.write(rel, text.as_bytes())?;
    }
    for a in &articles {
        let text = article(&mut rng, a, &articles, &books, &worksheets);
        w.write(&format!("content/articles/{}.md", a.slug), text.as_bytes())?;
    }
    for (i, b) in books.iter().enumerate() {
        let text = book(&mut rng, b, o.covers);
        w.write(
            &format!("content/books/{}/index.md", b.slug),
            text.as_bytes(),
        )?;
        if o.covers {
            w.write(&format!("content/books/{}/cover.png", b.slug), &cover(i)?)?;
        }
    }
    for ws in &worksheets {
        let text = worksheet(&mut rng, ws);
        w.write(
            &format!("content/worksheets/{}.md", ws.slug),
            text.as_bytes(),
        )?;
    }
    println!(
        "gen-site: {} articles, {} books, {} worksheets, {} files, {:.1} MB -> {}",
        articles.len(),
        books.len(),
        worksheets.len(),
        w.files,
        w.bytes as f64 / 1e6,
        o.out.display()
    );
    Ok(())
}

fn plan_books(rng: &mut Rng, count: usize) -> Vec<Book> {
    (0..count)
        .map(|i| {
            let title = format!(
                "The {} {}{}",
                rng.pick(BOOK_ADJ),
                rng.pick(BOOK_NOUN),
                if i >= BOOK_ADJ.len() * BOOK_NOUN.len() / 2 {
                    format!(", Volume {}", i + 1)
                } else {
                    String::new()
                }
            );
            let mut digits = String::from("978");
            for _ in 0..9 {
                digits.push(char::from(b'0' + rng.below(10) as u8));
            }
            let check = isbn13_check(&digits);
            let isbn = format!(
                "{}-{}-{}-{}-{check}",
                &digits[..3],
                &digits[3..4],
                &digits[4..8],
                &digits[8..12]
            );
            Book {
                slug: format!("{}-{}", slug::slugify(&title), i + 1),
                title,
                author: rng.pick(AUTHORS),
                year: rng.range(1985, 2025),
                isbn,
                publisher: rng.pick(PUBLISHERS),
                topics: {
                    let k = rng.range(1, 2);
                    rng.sample(TOPICS, k)
                },
            }
        })
        .collect()
}

/// The ISBN-13 check digit of the first twelve digits: weights 1, 3, 1, 3, …
fn isbn13_check(first12: &str) -> u32 {
    let sum: u32 = first12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    (10 - sum % 10) % 10
}

fn plan_worksheets(rng: &mut Rng, count: usize) -> Vec<Worksheet> {
    (0..count)
        .map(|i| {
            let topic = rng.pick(TOPICS);
            let title = format!("A weekly check-in on {}", topic.to_lowercase());
            Worksheet {
                slug: format!("{}-{}", slug::slugify(&title), i + 1),
                title,
                topic,
                couples: rng.percent(50),
            }
        })
        .collect()
}

fn plan_articles(rng: &mut Rng, n: usize, books: usize, worksheets: usize) -> Vec<Article> {
    // One article a day, ending on the last day of 2025, in shuffled order.
    let last = jiff::civil::date(2025, 12, 31);
    let mut days: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        days.swap(i, j);
    }
    let width = n.to_string().len();
    (0..n)
        .map(|i| {
            let k = rng.pick(&[1, 1, 2, 2, 2, 3]);
            let topics = rng.sample(TOPICS, k);
            let title = rng
                .pick(TITLE_PATTERNS)
                .replace("{t}", &topics[0].to_lowercase())
                .replace("{u}", &rng.pick(TOPICS).to_lowercase());
            let title = capitalise(&title);
            let date = last
                .checked_sub((days[i] as i64).days())
                .expect("dates stay in range");
            let description = capitalise(&format!(
                "{} {} {}, {}.",
                rng.pick(SUBJECTS),
                rng.pick(VERBS),
                rng.pick(OBJECTS),
                rng.pick(TAILS)
            ));
            let k = rng.range(3, 6);
            let heads = rng.sample(HEADS, k);
            let book_refs = if books > 0 && rng.percent(35) {
                let all: Vec<usize> = (0..books).collect();
                let k = rng.range(1, 2);
                rng.sample(&all, k)
            } else {
                Vec::new()
            };
            let sheet_refs = if worksheets > 0 && rng.percent(5) {
                vec![rng.below(worksheets)]
            } else {
                Vec::new()
            };
            Article {
                slug: format!("{}-{:0width$}", slug::slugify(&title), i + 1),
                title,
                date,
                description,
                topics,
                heads,
                target: rng.range(4000, 8000),
                author: rng.pick(CLINICIANS),
                books: book_refs,
                worksheets: sheet_refs,
            }
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// A YAML double-quoted scalar (a JSON string is one).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn yaml_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// Another article than `me` (there is none when the site has one article).
fn other(rng: &mut Rng, me: usize, n: usize) -> Option<usize> {
    (n > 1).then(|| (me + 1 + rng.below(n - 1)) % n)
}

fn sentence(rng: &mut Rng, me: usize, all: &[Article]) -> String {
    let mut s = format!(
        "{} {} {} {} {}",
        rng.pick(OPENERS),
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(TAILS)
    );
    match rng.below(100) {
        0..15 => {
            let _ = write!(s, " — *{}* matters more than it seems", rng.pick(OBJECTS));
        }
        15..25 => s.push_str(", and **small and steady** beats big and rare"),
        25..32 => {
            let (url, label) = rng.pick(EXTERNAL);
            let _ = write!(s, " (see [{label}]({url}))");
        }
        32..40 => {
            if let Some(o) = other(rng, me, all.len()) {
                let a = &all[o];
                let _ = write!(
                    s,
                    " — there is more on this in [{}](@/articles/{}.md)",
                    a.title, a.slug
                );
            }
        }
        40..44 => {
            if let Some(o) = other(rng, me, all.len()) {
                let a = &all[o];
                let head = rng.pick(&a.heads);
                let _ = write!(
                    s,
                    " (see [{}](@/articles/{}.md#{}))",
                    head.to_lowercase(),
                    a.slug,
                    slug::slugify(head)
                );
            }
        }
        44..50 => {
            let _ = write!(
                s,
                "; as one client put it, “it is like {}”",
                rng.pick(OBJECTS)
            );
        }
        _ => {}
    }
    capitalise(&s) + "."
}

fn paragraph(rng: &mut Rng, me: usize, all: &[Article], lo: usize, hi: usize) -> String {
    let k = rng.range(lo, hi);
    (0..k)
        .map(|_| sentence(rng, me, all))
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(rng: &mut Rng) -> String {
    let ordered = rng.percent(40);
    let k = rng.range(3, 6);
    let items = rng.sample(LIST_ITEMS, k);
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let item = if rng.percent(25) {
            format!("*{item}*")
        } else {
            (*item).to_string()
        };
        if ordered {
            let _ = writeln!(out, "{}. {item}", i + 1);
        } else {
            let _ = writeln!(out, "- {item}");
        }
    }
    out
}

fn article(
    rng: &mut Rng,
    a: &Article,
    all: &[Article],
    books: &[Book],
    worksheets: &[Worksheet],
) -> String {
    let me = all
        .iter()
        .position(|x| std::ptr::eq(x, a))
        .expect("the article is in the list");
    let mut out = String::with_capacity(a.target + 1024);
    out.push_str("---\n");
    let _ = writeln!(out, "title: {}", q(&a.title));
    let _ = writeln!(out, "description: {}", q(&a.description));
    let _ = writeln!(out, "date: {}", a.date);
    let _ = writeln!(out, "topics: {}", yaml_list(&a.topics));
    let _ = writeln!(out, "author: {}", q(a.author));
    if !a.books.is_empty() {
        let slugs: Vec<&str> = a.books.iter().map(|&b| books[b].slug.as_str()).collect();
        let _ = writeln!(out, "books: {}", yaml_list(&slugs));
    }
    if !a.worksheets.is_empty() {
        let slugs: Vec<&str> = a
            .worksheets
            .iter()
            .map(|&w| worksheets[w].slug.as_str())
            .collect();
        let _ = writeln!(out, "worksheets: {}", yaml_list(&slugs));
    }
    out.push_str("---\n\n");
    let body_start = out.len();
    out.push_str(&paragraph(rng, me, all, 2, 3));
    out.push_str("\n\n<!-- more -->\n\n");
    out.push_str(&paragraph(rng, me, all, 1, 3));
    out.push_str("\n\n");
    // Every planned heading is written (other articles link to them); filler paragraphs
    // bring each section up to its share of the target size, and no further.
    let so_far = out.len() - body_start;
    let per_section = a.target.saturating_sub(so_far + 300) / a.heads.len();
    let mut quoted = false;
    for head in &a.heads {
        let start = out.len();
        let _ = write!(out, "## {head}\n\n");
        out.push_str(&paragraph(rng, me, all, 2, 3));
        out.push_str("\n\n");
        if rng.percent(30) {
            let _ = write!(out, "### {}\n\n", rng.pick(SUBHEADS));
            out.push_str(&paragraph(rng, me, all, 1, 3));
            out.push_str("\n\n");
        }
        out.push_str(&list(rng));
        out.push('\n');
        if !quoted || rng.percent(15) {
            let _ = write!(
                out,
                "> {}\n>\n> — from a client's notebook\n\n",
                rng.pick(QUOTES)
            );
            quoted = true;
        }
        while out.len() - start + 250 < per_section {
            out.push_str(&paragraph(rng, me, all, 1, 2));
            out.push_str("\n\n");
        }
    }
    let _ = write!(out, "## Further reading\n\n");
    for _ in 0..rng.range(2, 4) {
        if let Some(o) = other(rng, me, all.len()) {
            let _ = writeln!(out, "- [{}](@/articles/{}.md)", all[o].title, all[o].slug);
        }
    }
    for &b in &a.books {
        let _ = writeln!(
            out,
            "- *[{}](@/books/{}/index.md)* by {}",
            books[b].title, books[b].slug, books[b].author
        );
    }
    out
}

fn book(rng: &mut Rng, b: &Book, cover: bool) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", q(&b.title));
    let _ = writeln!(
        out,
        "description: {}",
        q(&format!(
            "A warm, practical book on {} that we often suggest between sessions.",
            b.topics[0].to_lowercase()
        ))
    );
    let _ = writeln!(out, "date: {}-06-01", b.year.max(2000));
    let _ = writeln!(out, "topics: {}", yaml_list(&b.topics));
    let _ = writeln!(out, "author: {}", q(b.author));
    let _ = writeln!(out, "year: {}", b.year);
    let _ = writeln!(out, "isbn: {}", q(&b.isbn));
    let _ = writeln!(out, "publisher: {}", q(b.publisher));
    if cover {
        out.push_str("cover: cover.png\n");
        let _ = writeln!(
            out,
            "cover_alt: {}",
            q(&format!(
                "Cover: the title {} on a plain coloured field",
                b.title
            ))
        );
    }
    out.push_str("audience: Adults\n---\n\n");
    for _ in 0..3 {
        let _ = write!(
            out,
            "{} {} {} {}. ",
            capitalise(rng.pick(SUBJECTS)),
            rng.pick(VERBS),
            rng.pick(OBJECTS),
            rng.pick(TAILS)
        );
        let _ = write!(
            out,
            "{} writes about it plainly, with exercises at the end of each chapter.\n\n",
            b.author
        );
    }
    out
}

/// A plain 600×900 PNG: two colour fields and a band, different for each book.
fn cover(i: usize) -> Result<Vec<u8>, String> {
    let hue = (i * 37 % 200) as u8;
    let img = image::RgbImage::from_fn(600, 900, |_, y| match y {
        0..600 => image::Rgb([40 + hue / 2, 90, 120 + hue / 3]),
        600..640 => image::Rgb([230, 220, 200]),
        _ => image::Rgb([20, 40 + hue / 4, 60]),
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode a cover: {e}"))?;
    Ok(bytes.into_inner())
}

fn worksheet(rng: &mut Rng, ws: &Worksheet) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", q(&ws.title));
    let _ = writeln!(
        out,
        "description: {}",
        q(&format!(
            "A printable page for noticing how {} shows up in your week.",
            ws.topic.to_lowercase()
        ))
    );
    out.push_str("date: 2025-06-01\n");
    let _ = writeln!(out, "topics: {}", yaml_list(&[ws.topic]));
    out.push_str("duration: \"15 to 20 minutes\"\n");
    let _ = writeln!(
        out,
        "for: {}",
        if ws.couples { "couples" } else { "individuals" }
    );
    out.push_str("paper: letter\nfillable: true\n---\n\n");
    out.push_str(
        "Fill this in once a week, at the same time if you can. There are no right answers.\n\n",
    );
    out.push_str("## Before you start\n\n");
    for item in rng.sample(LIST_ITEMS, 3) {
        let _ = writeln!(out, "- [ ] {item}");
    }
    for step in ["This week", "What helped", "Next week"] {
        let _ = write!(out, "\n## {step}\n\n");
        for (i, item) in rng.sample(LIST_ITEMS, 2).iter().enumerate() {
            let _ = writeln!(out, "{}. {item}", i + 1);
        }
        out.push_str("\nIn my own words:\n\n___\n___\n");
    }
    out
}

fn site_toml(search: bool) -> String {
    let mut menu = String::new();
    let mut items = vec![
        ("Articles", "/articles/"),
        ("Books", "/books/"),
        ("Worksheets", "/worksheets/"),
        ("Topics", "/topics/"),
        ("Start counseling", "/counseling/"),
    ];
    if search {
        items.push(("Search", "/search/"));
    }
    items.push(("About", "/about/"));
    for (name, url) in items {
        let _ = write!(menu, "\n[[menu]]\nname = \"{name}\"\nurl = \"{url}\"\n");
    }
    format!(
        r#"# Written by gen-site (examples/gen-site.rs) for speed measurements.
title = "Birchwood Counseling"
base_url = "https://birchwood.example"
language = "en"
description = "Articles, reading suggestions and printable worksheets from a counseling practice."
{menu}
[crisis]
url = "/crisis/"

[books]
library_url = "https://search.worldcat.org/search?q=bn:{{isbn}}"
library_name = "Find it in a library (WorldCat)"

[practice]
name = "Birchwood Counseling"
phone = "+1 503 555 0199"
email = "hello@birchwood.example"
accepting_new_clients = true
fees = "50-minute session $160; a free 15-minute phone consultation."
insurance = "Out of network; we provide superbills."
languages = ["English"]

[[practice.clinicians]]
name = "Dr. Ana Whitfield"
credentials = "PhD, LMFT"
license_type = "Licensed Marriage and Family Therapist"
license_number = "T-0000 (synthetic)"
licensed_in = ["OR", "WA"]

[[practice.clinicians]]
name = "Sam Okoro"
credentials = "LPC"
license_type = "Licensed Professional Counselor"
license_number = "C-0000 (synthetic)"
licensed_in = ["OR"]

[worksheets]
paper = "letter"

[search]
enabled = {search}
"#
    )
}

/// The pages every practice's site has, the same at every size.
fn fixed_pages() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "content/_index.md",
            "---\ntitle: \"Birchwood Counseling\"\ndescription: \"Counseling for adults, couples and families, in person and online.\"\n---\n\nWelcome. Here you will find articles by our clinicians, books we suggest and printable worksheets.\n",
        ),
        (
            "content/about.md",
            "---\ntitle: About us\ndescription: \"Who we are and how we work.\"\n---\n\nWe are a small practice of two clinicians. Read [how to start](@/counseling/_index.md), [contact us](@/contact.md) or read our [privacy notice](@/privacy.md).\n",
        ),
        (
            "content/contact.md",
            "---\ntitle: Contact\ndescription: \"How to reach the practice.\"\n---\n\nCall or email us; we answer within two working days. This site is not monitored for emergencies: see the [crisis page](@/crisis.md).\n",
        ),
        (
            "content/fees.md",
            "---\ntitle: Fees and insurance\ndescription: \"What sessions cost.\"\n---\n\n## Fees\n\nA 50-minute session costs $160.\n\n## Good faith estimate\n\nYou have the right to a good faith estimate of what your care will cost.\n",
        ),
        (
            "content/privacy.md",
            "---\ntitle: Privacy\ndescription: \"What this site collects: nothing.\"\n---\n\nThis site sets no cookies and loads nothing from other hosts.\n",
        ),
        (
            "content/crisis.md",
            "---\ntitle: \"If you are in crisis\"\ndescription: \"Where to turn right away.\"\nweight: 2\n---\n\nIn the US, call or text **988** for the Suicide & Crisis Lifeline. In an emergency, call **911**.\n",
        ),
        (
            "content/articles/_index.md",
            "---\ntitle: Articles\nkind: articles\npaginate_by: 10\ndescription: \"Practical articles from our clinicians.\"\n---\n\nShort pieces for clients and the people around them.\n",
        ),
        (
            "content/books/_index.md",
            "---\ntitle: Recommended reading\nkind: books\ndescription: \"Books our clinicians suggest.\"\n---\n\nWe earn nothing from these suggestions.\n",
        ),
        (
            "content/worksheets/_index.md",
            "---\ntitle: Worksheets\nkind: worksheets\ndescription: \"Printable worksheets.\"\n---\n\nPrint one, sit somewhere quiet and fill it in at your own pace.\n",
        ),
        (
            "content/counseling/_index.md",
            "---\ntitle: Start counseling\nkind: counseling\ndescription: \"How to start working with us.\"\n---\n\nEverything starts with a free phone call. See [online sessions](@/counseling/online.md) and our [fees](@/fees.md#fees).\n",
        ),
        (
            "content/counseling/online.md",
            "---\ntitle: Online sessions\ndescription: \"Counseling by secure video for clients in Oregon or Washington.\"\nweight: 1\nmode: online\nlicensed_in: [OR, WA]\nplatform: \"a secure video platform\"\nrequirements:\n  - \"A private room\"\n  - \"A steady internet connection\"\n---\n\nOnline sessions work much like sessions in the office.\n\n## Where you need to be\n\nYou must be in Oregon or Washington during each session.\n",
        ),
    ]
}
