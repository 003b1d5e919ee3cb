//! Markdown → HTML, table of contents, summary, word count and reading time.
//!
//! Pure: takes text, returns data, never touches the disk. Internal `@/` links are left
//! as numbered placeholders and resolved later against the whole site (`content::links`),
//! because a page's anchors are only known once every page has been rendered.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

mod outline;

pub(crate) use outline::Outline;

/// Marks around a link placeholder's index. Plain ASCII that URL escaping leaves alone
/// (pulldown-cmark percent-encodes anything else in an href).
pub const LINK_OPEN: &str = "hearth-link-5b0f:";
pub const LINK_CLOSE: &str = ":";

/// Marks around an inline image's index: an HTML comment, replaced by the image's
/// `<picture>` once its sizes are known (`images::inline`), or left harmless if not.
pub const IMAGE_OPEN: &str = "<!--hearth-image-5b0f:";
pub const IMAGE_CLOSE: &str = "-->";

/// File extensions of the raster images hearth processes, or refuses by name (the last
/// five), when Markdown shows them. GIF and SVG are shown as they are.
const RASTER: [&str; 9] = [
    "jpg", "jpeg", "png", "webp", "heic", "heif", "tif", "tiff", "bmp",
];

/// Words read per minute, for the "n min read" line.
const WORDS_PER_MINUTE: usize = 220;

/// What the renderer needs to know about the page around the Markdown.
pub struct MarkdownInput<'a> {
    pub text: &'a str,
    /// URL folder that relative links and images are resolved against (`/articles/`), or
    /// `None` when the page is a bundle whose files sit beside its output.
    pub relative_base: Option<&'a str>,
}

/// An `@/path.md#anchor` link, waiting to be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub target: String,
    pub anchor: Option<String>,
    /// Byte offset of the link in the Markdown text.
    pub offset: usize,
}

/// An image of this site's own shown in the Markdown (`![alt](photo.jpg "title")`),
/// waiting for its `<picture>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineImage {
    /// The address as written.
    pub src: String,
    pub alt: String,
    /// Shown as the caption of a photo on a line of its own.
    pub title: String,
    /// Byte offset of the image in the Markdown text.
    pub offset: usize,
    /// Alone in its paragraph: shown as a `<figure>`.
    pub block: bool,
}

/// A heading of the page, with the id its anchor link uses.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    #[serde(skip)]
    pub offset: usize,
}

/// One entry of the table of contents; level-3 headings nest under level-2 ones.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A problem found in the Markdown, with its byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownIssue {
    pub offset: usize,
    pub error: bool,
    pub message: String,
    pub help: String,
}

/// The rendered page body and what was learned while rendering it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, when the marker is present.
    pub summary_html: Option<String>,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// The site's own raster images, in order; placeholder `n` in `html` is `images[n]`.
    pub images: Vec<InlineImage>,
    /// Links (not images) to image files of the site, as written: their originals are
    /// published.
    pub image_links: Vec<String>,
    pub word_count: usize,
    pub issues: Vec<MarkdownIssue>,
}

impl Rendered {
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(WORDS_PER_MINUTE).max(1)
    }

    /// Nested table of contents from the level-2 and level-3 headings.
    pub fn toc(&self) -> Vec<TocEntry> {
        let mut toc: Vec<TocEntry> = Vec::new();
        for h in &self.headings {
            let entry = TocEntry {
                id: h.id.clone(),
                title: h.title.clone(),
                children: Vec::new(),
            };
            match (h.level, toc.last_mut()) {
                (2, _) | (_, None) => toc.push(entry),
                (3, Some(parent)) => parent.children.push(entry),
                _ => {}
            }
        }
        toc
    }
}

/// The Markdown options every page body is parsed with, worksheets included, so both
/// see the same events (smart punctuation, heading ids, task items).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `input` to HTML in one pass over pulldown-cmark's events.
pub fn render(input: &MarkdownInput<'_>) -> Rendered {
    let mut pass = Pass::new(input);
    for (event, range) in Parser::new_ext(input.text, options()).into_offset_iter() {
        pass.event(event, range.start);
    }
    pass.finish(input.text.len())
}

/// One rendering in progress: the events to write as HTML (some rewritten), and what has
/// been learned so far.
struct Pass<'a> {
    relative_base: Option<&'a str>,
    out: Rendered,
    outline: Outline,
    /// Index in `events` of the open heading's placeholder, replaced once its id is known.
    heading_start: Option<usize>,
    image: Option<ImageState>,
    /// A task-list item's `<label>` is open until the item's text ends.
    open_task_label: bool,
    events: Vec<Event<'a>>,
    /// Where `<!-- more -->` was, in `events`.
    summary_at: Option<usize>,
    /// Index in `events` of the open paragraph's start.
    paragraph_start: Option<usize>,
}

impl<'a> Pass<'a> {
    fn new(input: &MarkdownInput<'a>) -> Pass<'a> {
        Pass {
            relative_base: input.relative_base,
            out: Rendered::default(),
            outline: Outline::default(),
            heading_start: None,
            image: None,
            open_task_label: false,
            // Articles make about one event per 20-35 bytes: room for one per 16 spares
            // the vector's growth (eight copies of it, 2 % of a build's instructions).
            events: Vec::with_capacity(input.text.len() / 16),
            summary_at: None,
            paragraph_start: None,
        }
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        // Inside an image that becomes a placeholder, only its alt text is kept.
        if let Some(image) = self.image.as_mut().filter(|i| i.placeholder.is_some()) {
            match event {
                Event::Text(text) | Event::Code(text) => image.alt.push_str(&text),
                Event::Start(Tag::Image { .. }) => image.nested += 1,
                Event::End(TagEnd::Image) if image.nested > 0 => image.nested -= 1,
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                self.paragraph_start = Some(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) if !self.open_task_label => self.end_paragraph(event),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.outline.open_heading(id.as_deref(), offset);
                self.heading_start = Some(self.events.len());
                // Placeholder, replaced by the opening tag once the heading's text is known.
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Text(ref text) | Event::Code(ref text) => {
                self.outline.text(text, &mut self.out);
                if let Some(image) = self.image.as_mut() {
                    image.alt.push_str(text);
                }
                self.events.push(event);
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.start_link(tag, offset)
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Html(ref text) | Event::InlineHtml(ref text)
                if self.summary_at.is_none() && text.trim() == "<!-- more -->" =>
            {
                self.summary_at = Some(self.events.len());
            }
            Event::TaskListMarker(checked) => self.open_task(checked),
            Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::List(_))
                if self.open_task_label =>
            {
                self.events.push(Event::Html("</label>".into()));
                self.open_task_label = false;
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let Some(start) = self.heading_start.take() else {
            self.events.push(Event::End(TagEnd::Heading(level)));
            return;
        };
        let Some(heading) = self.outline.close_heading(level, &mut self.out) else {
            return;
        };
        let (n, id) = (heading.level, heading.id.as_str());
        self.events[start] = Event::Html(format!("<h{n} id=\"{id}\">").into());
        self.events.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" data-pagefind-ignore><span aria-hidden=\"true\">#</span>\
                 <span class=\"visually-hidden\">Link to this section</span></a></h{n}>\n"
            )
            .into(),
        ));
    }

    /// A link or image: `@/` targets become placeholders, relative URLs get the base; an
    /// image starts collecting its alt text.
    fn start_link(&mut self, tag: Tag<'a>, offset: usize) {
        let tag = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                if raster_extension(&dest_url).is_some() && is_own(&dest_url) {
                    self.out.image_links.push(dest_url.to_string());
                }
                Tag::Link {
                    link_type,
                    dest_url: self.rewrite_url(dest_url, offset),
                    title,
                    id,
                }
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let decorative = title.trim().eq_ignore_ascii_case("decorative");
                let own_raster = raster_extension(&dest_url).is_some() && is_own(&dest_url);
                self.image = Some(ImageState {
                    offset,
                    alt: String::new(),
                    decorative,
                    nested: 0,
                    placeholder: own_raster.then(|| {
                        let title = if decorative {
                            String::new()
                        } else {
                            title.to_string()
                        };
                        (dest_url.to_string(), title)
                    }),
                });
                if own_raster {
                    return;
                }
                Tag::Image {
                    link_type,
                    dest_url: self.rewrite_url(dest_url, offset),
                    title: if decorative {
                        CowStr::Borrowed("")
                    } else {
                        title
                    },
                    id,
                }
            }
            other => other,
        };
        self.events.push(Event::Start(tag));
    }

    fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            self.events.push(Event::End(TagEnd::Image));
            return;
        };
        if image.alt.trim().is_empty() && !image.decorative {
            self.out.issues.push(MarkdownIssue {
                offset: image.offset,
                error: true,
                message: "image has no alt text".into(),
                help: "describe the image inside the brackets, e.g. ![Two mugs of tea on a table](tea.jpg); \
                       if it is purely decorative, write ![](tea.jpg \"decorative\")"
                    .into(),
            });
        }
        match image.placeholder {
            Some((src, title)) => {
                let n = self.out.images.len();
                self.out.images.push(InlineImage {
                    src,
                    alt: if image.decorative {
                        String::new()
                    } else {
                        image.alt
                    },
                    title,
                    offset: image.offset,
                    block: false,
                });
                self.events.push(Event::InlineHtml(
                    format!("{IMAGE_OPEN}{n}{IMAGE_CLOSE}").into(),
                ));
            }
            None => self.events.push(Event::End(TagEnd::Image)),
        }
    }

    /// Closes a paragraph; one that holds a single image of the site's own is dropped, and
    /// the image shown as a figure instead (a `<figure>` may not sit inside a `<p>`).
    fn end_paragraph(&mut self, event: Event<'a>) {
        if let Some(start) = self.paragraph_start.take()
            && self.events.len() == start + 2
            && let Some(Event::InlineHtml(html)) = self.events.last()
            && html.starts_with(IMAGE_OPEN)
            && let Some(image) = self.out.images.last_mut()
        {
            image.block = true;
            self.events.remove(start);
            return;
        }
        self.events.push(event);
    }

    fn open_task(&mut self, checked: bool) {
        // Wrapping the item's text in a <label> gives the checkbox an accessible name.
        let checked = if checked { " checked" } else { "" };
        self.events.push(Event::Html(
            format!("<label class=\"task\"><input type=\"checkbox\" disabled{checked}> ").into(),
        ));
        self.open_task_label = true;
    }

    /// Rewrites `@/` links to placeholders and resolves relative URLs of non-bundle pages.
    fn rewrite_url(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if let Some(placeholder) = internal_link(&dest, offset, &mut self.out.links) {
            return placeholder.into();
        }
        match self.relative_base {
            Some(base) if is_relative(&dest) => format!("{base}{dest}").into(),
            _ => dest,
        }
    }

    fn finish(self, text_len: usize) -> Rendered {
        let mut out = self.out;
        if let Some(at) = self.summary_at {
            let mut summary = String::new();
            html::push_html(&mut summary, self.events[..at].iter().cloned());
            out.summary_html = Some(summary);
        }
        out.html.reserve(text_len * 3 / 2);
        html::push_html(&mut out.html, self.events.into_iter());
        out
    }
}

/// Curly quotes and dashes for plain text such as titles: `"Not tonight"` → `“Not tonight”`.
pub fn smart_punctuation(text: &str) -> String {
    // What smart punctuation changes: quotes, `--`, `---` and `...`. Most descriptions
    // have none, and need no parser.
    if !text.contains(['"', '\'']) && !text.contains("--") && !text.contains("...") {
        return text.to_string();
    }
    // Escape Markdown syntax first so only punctuation changes, never emphasis or links;
    // the leading "x " keeps a title like "1. Intro" or "- note" from becoming a list.
    let escaped: String = "x "
        .chars()
        .chain(text.chars().flat_map(|c| {
            let escape = c.is_ascii_punctuation() && !matches!(c, '"' | '\'' | '-' | '.');
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        }))
        .collect();
    let smart: String = Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".into()),
            _ => None,
        })
        .collect();
    smart.strip_prefix("x ").unwrap_or(&smart).to_string()
}

/// An `@/path.md#anchor` link becomes a numbered placeholder, added to `links` and
/// resolved later against the whole site (`content::links`); other URLs give `None`.
pub(crate) fn internal_link(
    dest: &str,
    offset: usize,
    links: &mut Vec<InternalLink>,
) -> Option<String> {
    let target = dest.strip_prefix("@/")?;
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (target, None),
    };
    links.push(InternalLink {
        target: path.to_string(),
        anchor,
        offset,
    });
    Some(format!("{LINK_OPEN}{}{LINK_CLOSE}", links.len() - 1))
}

fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with('?')
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:"))
}

struct ImageState {
    offset: usize,
    alt: String,
    decorative: bool,
    /// Images inside this one's alt text, still open.
    nested: usize,
    /// For an image of the site's own: its address and title.
    placeholder: Option<(String, String)>,
}

/// The extension of a raster image's address (`photo.JPG?x` → `jpg`), if it is one.
pub fn raster_extension(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let (_, ext) = path.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    RASTER.contains(&ext.as_str()).then_some(ext)
}

/// A file of this site: a relative address or one from the site's root, not another
/// host's, a `data:` URL or an `@/` page link.
pub(crate) fn is_own(url: &str) -> bool {
    !url.starts_with("//") && !url.starts_with("@/") && (url.starts_with('/') || is_relative(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Rendered {
        render(&MarkdownInput {
            text,
            relative_base: None,
        })
    }

    #[test]
    fn headings_get_unique_ids_and_anchor_links() {
        let r = md("## Hello World\n\n## Hello World\n");
        assert!(r.html.contains(
            "<h2 id=\"hello-world\">Hello World <a class=\"anchor\" href=\"#hello-world\" data-pagefind-ignore>"
        ));
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"));
        assert_eq!(r.headings.len(), 2);
    }

    #[test]
    fn custom_heading_id_is_kept() {
        let r = md("## Start here {#start}\n");
        assert_eq!(r.headings[0].id, "start");
    }

    #[test]
    fn toc_nests_level_three_under_level_two() {
        let r = md("## A\n### A1\n### A2\n## B\n");
        let toc = r.toc();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
    }

    #[test]
    fn extensions_render() {
        let r = md(
            "a ~~b~~ \"c\"\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n- [ ] task\n\nnote[^1]\n\n[^1]: foot\n",
        );
        assert!(r.html.contains("<del>b</del>"));
        assert!(r.html.contains("\u{201c}c\u{201d}"));
        assert!(r.html.contains("<table>"));
        assert!(
            r.html.contains(
                "<li><label class=\"task\"><input type=\"checkbox\" disabled> task</label></li>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let r = md("First para.\n\n<!-- more -->\n\nSecond para.\n");
        let summary = r.summary_html.unwrap();
        assert!(summary.contains("First para."));
        assert!(!summary.contains("Second"));
        assert!(!r.html.contains("more -->"));
    }

    #[test]
    fn titles_get_curly_quotes_and_keep_markdown_characters() {
        assert_eq!(
            smart_punctuation("The \"Not Tonight\" Ritual -- *really*"),
            "The \u{201c}Not Tonight\u{201d} Ritual \u{2013} *really*"
        );
        assert_eq!(smart_punctuation("# 1 [x] <b>"), "# 1 [x] <b>");
        assert_eq!(
            smart_punctuation("1. Intro - 'here'"),
            "1. Intro - \u{2018}here\u{2019}"
        );
        assert_eq!(
            smart_punctuation("Wait... self-care---slowly. Done."),
            "Wait\u{2026} self-care\u{2014}slowly. Done."
        );
        assert_eq!(
            smart_punctuation("Self-care, step 1. Rest."),
            "Self-care, step 1. Rest."
        );
    }

    #[test]
    fn word_count_and_reading_time() {
        let text = "word ".repeat(450);
        let r = md(&text);
        assert_eq!(r.word_count, 450);
        assert_eq!(r.reading_minutes(), 3);
    }

    #[test]
    fn internal_links_become_placeholders() {
        let r = md("See [this](@/articles/a.md#part).");
        assert_eq!(
            r.links,
            vec![InternalLink {
                target: "articles/a.md".into(),
                anchor: Some("part".into()),
                offset: 4
            }]
        );
        assert!(
            r.html
                .contains(&format!("href=\"{LINK_OPEN}0{LINK_CLOSE}\""))
        );
    }

    #[test]
    fn image_without_alt_is_an_error_unless_decorative() {
        assert_eq!(md("![](a.png)").issues.len(), 1);
        assert!(md("![](a.png \"decorative\")").issues.is_empty());
        assert!(md("![A cat](a.png)").issues.is_empty());
    }

    #[test]
    fn own_photos_become_placeholders_and_a_lone_one_a_figure() {
        let r = md(
            "![A cat](cat.jpg \"Our cat\")\n\nSee ![a dog](/dog.PNG) and [the file](cat.jpg).\n\n![Far](https://e.org/x.jpg)\n",
        );
        assert_eq!(r.images.len(), 2);
        assert!(r.images[0].block && !r.images[1].block);
        assert_eq!(
            (r.images[0].alt.as_str(), r.images[0].title.as_str()),
            ("A cat", "Our cat")
        );
        assert_eq!(r.images[1].src, "/dog.PNG");
        assert_eq!(r.image_links, ["cat.jpg"]);
        assert!(
            r.html.starts_with(&format!("{IMAGE_OPEN}0{IMAGE_CLOSE}")),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(&format!("<p>See {IMAGE_OPEN}1{IMAGE_CLOSE} and"))
        );
        assert!(r.html.contains("src=\"https://e.org/x.jpg\""));
    }

    #[test]
    fn skipped_heading_level_is_a_warning() {
        let r = md("## A\n#### B\n");
        assert_eq!(r.issues.len(), 1);
        assert!(!r.issues[0].error);
        assert_eq!(r.issues[0].offset, 5);
    }

    #[test]
    fn relative_urls_resolve_against_the_source_folder() {
        let r = render(&MarkdownInput {
            text: "![A](pic.gif) [x](/abs) [y](https://e.org)",
            relative_base: Some("/articles/"),
        });
        assert!(r.html.contains("src=\"/articles/pic.gif\""));
        assert!(r.html.contains("href=\"/abs\""));
    }
}
