//! The worksheet model: worksheet Markdown parsed once into blocks that both the web page
//! (`to_html`) and the PDF (`render::pdf`) are made from.
//!
//! Worksheet Markdown is ordinary Markdown plus two things that print well: task items
//! (`- [ ] Hug for twenty seconds`) are checkboxes, and lines holding only `___` after a
//! prompt are ruled lines to write on (one `___` per line).
//!
//! The one pass over the body also learns what every page's Markdown tells (headings and
//! their ids, word count, `@/` links), the way `markdown` does: `@/` links become the same
//! placeholders, resolved once with every other page's by `content::links`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::markdown::{self, MarkdownIssue, Outline, Rendered};

mod html;

pub use html::to_html;

/// How deep inline containers (the block's text, emphasis, links) may nest. Emphasis
/// deeper than this keeps its text but loses its markup: everything that walks the tree
/// (`to_html`, `plain`, the PDF, dropping it) recurses, and emphasis nested thousands deep
/// overflowed the stack (a hand-made input run through the worksheet fuzz target). Nobody
/// prints more than a few levels.
const MAX_INLINE_DEPTH: usize = 16;

/// Inline text with the little formatting a worksheet needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Code(String),
    /// `url` of an `@/` link is a placeholder until `content::links` resolves it.
    Link {
        url: String,
        children: Vec<Inline>,
    },
}

/// One block of a worksheet, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Heading {
        level: u8,
        /// The anchor, unique in the page, as the page's outline has it.
        id: String,
        text: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// A prompt and the number of ruled lines after it (`prompt` is empty for lines alone).
    Prompt {
        prompt: Vec<Inline>,
        lines: usize,
    },
    Steps(Vec<Vec<Inline>>),
    Bullets(Vec<Vec<Inline>>),
    Checkboxes(Vec<(bool, Vec<Inline>)>),
    Quote(Vec<Vec<Inline>>),
    /// A photo on a line of its own: `Rendered::images[n]`, processed like any page's
    /// photo (the web page shows its `<picture>`, the PDF its print copy).
    Image(usize),
}

/// A parsed worksheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Worksheet {
    pub blocks: Vec<Block>,
}

impl Worksheet {
    /// Calls `rewrite` on every link's URL (to put resolved URLs in place of placeholders).
    pub fn rewrite_links(&mut self, rewrite: &mut dyn FnMut(&mut String)) {
        for block in &mut self.blocks {
            match block {
                Block::Heading { text, .. }
                | Block::Paragraph(text)
                | Block::Prompt { prompt: text, .. } => rewrite_inline_links(text, rewrite),
                Block::Steps(items) | Block::Bullets(items) | Block::Quote(items) => items
                    .iter_mut()
                    .for_each(|i| rewrite_inline_links(i, rewrite)),
                Block::Checkboxes(items) => items
                    .iter_mut()
                    .for_each(|(_, i)| rewrite_inline_links(i, rewrite)),
                Block::Image(_) => {}
            }
        }
    }
}

fn rewrite_inline_links(inlines: &mut [Inline], rewrite: &mut dyn FnMut(&mut String)) {
    for inline in inlines {
        match inline {
            Inline::Link { url, children } => {
                rewrite(url);
                rewrite_inline_links(children, rewrite);
            }
            Inline::Strong(c) | Inline::Emph(c) => rewrite_inline_links(c, rewrite),
            Inline::Text(_) | Inline::Code(_) => {}
        }
    }
}

/// Parses a worksheet body in one pass: the model, and the page's `Rendered` with its HTML
/// (`to_html`, links still placeholders), headings, word count, `@/` links and the issues
/// found (anything that cannot print well is an error).
pub fn parse(body: &str) -> (Worksheet, Rendered) {
    let mut p = ParseState::default();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        p.event(event, range.start);
    }
    p.finish_paragraph();
    let sheet = Worksheet { blocks: p.blocks };
    let mut rendered = p.rendered;
    rendered.html = to_html(&sheet);
    (sheet, rendered)
}

#[derive(Default)]
struct ParseState {
    blocks: Vec<Block>,
    /// Headings, word count, links and issues, as for any page.
    rendered: Rendered,
    outline: Outline,
    /// Stack of open inline containers; the bottom one is the current block's text.
    inline: Vec<Vec<Inline>>,
    /// A finished paragraph that may yet turn out to be a prompt.
    pending: Option<Vec<Inline>>,
    list: Option<ListState>,
    quote: Option<Vec<Vec<Inline>>>,
    link_urls: Vec<String>,
    /// Depth of containers we refuse (tables, HTML blocks), to skip their content.
    skipping: usize,
    /// Emphasis opened past `MAX_INLINE_DEPTH`, kept as plain text until it closes.
    flattened: usize,
    /// The photos open now (one inside another's alt text makes two), the outermost's
    /// address, title and offset when it is one the worksheet can show.
    images: Vec<Option<(String, String, usize)>>,
    /// Photos finished in the block being read: their index in `rendered.images`, and
    /// offset.
    block_images: Vec<(usize, usize)>,
}

struct ListState {
    ordered: bool,
    depth: usize,
    items: Vec<(Option<bool>, Vec<Inline>)>,
}

impl ParseState {
    fn issue(&mut self, offset: usize, message: &str, help: &str) {
        self.rendered.issues.push(MarkdownIssue {
            offset,
            error: true,
            message: message.into(),
            help: help.into(),
        });
    }

    fn push_inline(&mut self, inline: Inline) {
        let Some(top) = self.inline.last_mut() else {
            return;
        };
        // pulldown-cmark splits text at smart quotes; one run of text is simpler downstream.
        match (top.last_mut(), inline) {
            (Some(Inline::Text(previous)), Inline::Text(more)) => previous.push_str(&more),
            (_, inline) => top.push(inline),
        }
    }

    fn finish_paragraph(&mut self) {
        if let Some(text) = self.pending.take() {
            self.blocks.push(Block::Paragraph(text));
        }
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        // Counted everywhere, refused parts too, as an article's words are.
        if let Event::Text(text) | Event::Code(text) = &event {
            self.outline.text(text, &mut self.rendered);
        }
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::Table(_)) => self.skipping += 1,
                Event::End(TagEnd::Table) => self.skipping -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Rule => self.rule(),
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.list.as_mut().and_then(|l| l.items.last_mut()) {
                    item.0 = Some(checked);
                }
            }
            Event::Text(text) => {
                if self.inline.is_empty() {
                    // Text outside any block we track (e.g. inside a code block).
                    self.inline.push(Vec::new());
                }
                self.push_inline(Inline::Text(text.into_string()));
            }
            Event::Code(code) => self.push_inline(Inline::Code(code.into_string())),
            Event::SoftBreak | Event::HardBreak => self.push_inline(Inline::Text(" ".into())),
            Event::Html(_) | Event::InlineHtml(_) => self.issue(
                offset,
                "raw HTML cannot be printed on a worksheet",
                "write it in Markdown instead (emphasis, lists, checkboxes, ___ lines)",
            ),
            Event::FootnoteReference(_) => self.footnote(offset),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => {
                if self.list.is_none() && self.quote.is_none() {
                    self.finish_paragraph();
                }
                self.inline.push(Vec::new());
            }
            Tag::Heading { id, .. } => {
                self.finish_paragraph();
                self.outline.open_heading(id.as_deref(), offset);
                self.inline.push(Vec::new());
            }
            Tag::List(first) => self.start_list(first.is_some(), offset),
            Tag::Item => {
                if let Some(list) = self.list.as_mut().filter(|l| l.depth == 1) {
                    list.items.push((None, Vec::new()));
                }
                // Tight lists have no paragraph events: collect the item's text directly.
                self.inline.push(Vec::new());
            }
            Tag::BlockQuote(_) => {
                self.finish_paragraph();
                self.quote = Some(Vec::new());
            }
            Tag::Strong | Tag::Emphasis | Tag::Strikethrough => self.open_emphasis(),
            Tag::Link { dest_url, .. } => self.open_link(dest_url, offset),
            Tag::Image {
                dest_url, title, ..
            } => self.open_image(&dest_url, &title, offset),
            Tag::Table(_) => {
                self.skipping = 1;
                self.issue(
                    offset,
                    "tables do not fit a printed worksheet",
                    "use a list, or a prompt followed by ___ lines for each question",
                );
            }
            _ => self.refuse(tag, offset),
        }
    }

    /// The containers a worksheet cannot print; their text is still collected.
    fn refuse(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::CodeBlock(_) => self.issue(
                offset,
                "code blocks do not belong on a worksheet",
                "write the text as a paragraph",
            ),
            Tag::FootnoteDefinition(_) => self.footnote(offset),
            _ => {}
        }
    }

    fn footnote(&mut self, offset: usize) {
        self.issue(
            offset,
            "footnotes are not supported in worksheets",
            "put the note in a sentence of its own",
        );
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::List(_) => {
                let done = self.list.as_mut().is_some_and(|l| {
                    l.depth -= 1;
                    l.depth == 0
                });
                if done && let Some(list) = self.list.take() {
                    self.blocks.push(list_block(list));
                }
            }
            TagEnd::Item => {
                self.misplaced_images();
                let text = self.inline.pop().unwrap_or_default();
                if let Some(item) = self.list.as_mut().and_then(|l| l.items.last_mut()) {
                    item.1.extend(text);
                }
            }
            TagEnd::BlockQuote(_) => {
                if let Some(quote) = self.quote.take() {
                    self.blocks.push(Block::Quote(quote));
                }
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough => self.close_emphasis(tag),
            TagEnd::Link => {
                let children = self.inline.pop().unwrap_or_default();
                let url = self.link_urls.pop().unwrap_or_default();
                self.push_inline(Inline::Link { url, children });
            }
            TagEnd::Image => self.close_image(),
            _ => {}
        }
    }

    /// `___` lines after a paragraph make it a prompt; several add up.
    fn rule(&mut self) {
        match (self.pending.take(), self.blocks.last_mut()) {
            (Some(prompt), _) => self.blocks.push(Block::Prompt { prompt, lines: 1 }),
            (None, Some(Block::Prompt { lines, .. })) => *lines += 1,
            (None, _) => self.blocks.push(Block::Prompt {
                prompt: Vec::new(),
                lines: 1,
            }),
        }
    }

    fn end_paragraph(&mut self) {
        let text = self.inline.pop().unwrap_or_default();
        if let [(n, _)] = self.block_images[..]
            && self.list.is_none()
            && self.quote.is_none()
            && plain(&text).trim().is_empty()
        {
            self.block_images.clear();
            self.finish_paragraph();
            self.blocks.push(Block::Image(n));
            return;
        }
        self.misplaced_images();
        if let Some(list) = self.list.as_mut() {
            if let Some(item) = list.items.last_mut() {
                if !item.1.is_empty() {
                    item.1.push(Inline::Text(" ".into()));
                }
                item.1.extend(text);
            }
        } else if let Some(quote) = self.quote.as_mut() {
            quote.push(text);
        } else {
            self.pending = Some(text);
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        self.misplaced_images();
        let text = self.inline.pop().unwrap_or_default();
        let (level, id) = match self.outline.close_heading(level, &mut self.rendered) {
            Some(heading) => (heading.level, heading.id.clone()),
            None => (2, String::new()),
        };
        self.blocks.push(Block::Heading { level, id, text });
    }

    fn start_list(&mut self, ordered: bool, offset: usize) {
        self.finish_paragraph();
        match self.list.as_mut() {
            Some(list) => {
                list.depth += 1;
                self.issue(
                    offset,
                    "lists inside lists do not print well on a worksheet",
                    "use one level of list; put sub-points in the item's own sentence",
                );
            }
            None => {
                self.list = Some(ListState {
                    ordered,
                    depth: 1,
                    items: Vec::new(),
                })
            }
        }
    }

    // Past the depth limit every emphasis is flattened, so the ends that find
    // `flattened > 0` are exactly those of flattened starts (they nest).
    fn open_emphasis(&mut self) {
        if self.inline.len() >= MAX_INLINE_DEPTH {
            self.flattened += 1;
        } else {
            self.inline.push(Vec::new());
        }
    }

    fn close_emphasis(&mut self, tag: TagEnd) {
        if self.flattened > 0 {
            self.flattened -= 1;
            return;
        }
        let inner = self.inline.pop().unwrap_or_default();
        self.push_inline(match tag {
            TagEnd::Strong => Inline::Strong(inner),
            _ => Inline::Emph(inner),
        });
    }

    /// A photo starts collecting its alt text. Only the site's own raster photos can be
    /// shown (processed, and printed in the PDF); any other image is an error.
    fn open_image(&mut self, url: &str, title: &str, offset: usize) {
        let own_photo = markdown::raster_extension(url).is_some() && markdown::is_own(url);
        if self.images.is_empty() && !own_photo {
            self.issue(
                offset,
                "only the site's own photos (JPEG, PNG or WebP) can be on a worksheet",
                "put the photo beside the worksheet's file and write its name, e.g. ![A quiet lake](lake.jpg)",
            );
        }
        let shown = (self.images.is_empty() && own_photo)
            .then(|| (url.to_string(), title.to_string(), offset));
        self.images.push(shown);
        self.inline.push(Vec::new());
    }

    /// A photo ends: its alt text is what was collected; it is one of the page's images.
    fn close_image(&mut self) {
        let alt = plain(&self.inline.pop().unwrap_or_default());
        let Some(Some((src, title, offset))) = self.images.pop() else {
            return;
        };
        let decorative = title.trim().eq_ignore_ascii_case("decorative");
        if alt.trim().is_empty() && !decorative {
            self.issue(
                offset,
                "image has no alt text",
                "describe the image inside the brackets, e.g. ![Two mugs of tea on a table](tea.jpg); \
                 if it is purely decorative, write ![](tea.jpg \"decorative\")",
            );
        }
        let n = self.rendered.images.len();
        self.rendered.images.push(markdown::InlineImage {
            src,
            alt: if decorative { String::new() } else { alt },
            title: if decorative { String::new() } else { title },
            offset,
            block: true,
        });
        self.block_images.push((n, offset));
    }

    /// Photos that were not alone in their paragraph (beside text, in a list, a quote or
    /// a heading): a worksheet prints a photo as a block of its own.
    fn misplaced_images(&mut self) {
        for (_, offset) in std::mem::take(&mut self.block_images) {
            self.issue(
                offset,
                "a photo on a worksheet goes on a line of its own",
                "put a blank line before and after the image, outside lists, quotes and headings",
            );
        }
    }

    fn open_link(&mut self, dest_url: CowStr<'_>, offset: usize) {
        let url = markdown::internal_link(&dest_url, offset, &mut self.rendered.links)
            .unwrap_or_else(|| dest_url.to_string());
        self.link_urls.push(url);
        self.inline.push(Vec::new());
    }
}

fn list_block(list: ListState) -> Block {
    if list.items.iter().any(|(task, _)| task.is_some()) {
        Block::Checkboxes(
            list.items
                .into_iter()
                .map(|(t, text)| (t.unwrap_or(false), text))
                .collect(),
        )
    } else if list.ordered {
        Block::Steps(list.items.into_iter().map(|(_, t)| t).collect())
    } else {
        Block::Bullets(list.items.into_iter().map(|(_, t)| t).collect())
    }
}

/// Plain text of inline content, e.g. for tooltips and labels.
pub fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } => {
                out.push_str(&plain(c))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(md: &str) -> Worksheet {
        let (sheet, rendered) = parse(md);
        assert!(rendered.issues.is_empty(), "{:?}", rendered.issues);
        sheet
    }

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.into())]
    }

    #[test]
    fn a_prompt_gets_its_ruled_lines() {
        let s = sheet("What did you miss?\n\n___\n___\n___\n\nAfter.\n");
        assert_eq!(
            s.blocks,
            vec![
                Block::Prompt {
                    prompt: text("What did you miss?"),
                    lines: 3
                },
                Block::Paragraph(text("After.")),
            ]
        );
    }

    #[test]
    fn a_prompt_directly_above_its_lines_works_too() {
        let s = sheet("Name one thing.\n___\n___\n");
        assert_eq!(
            s.blocks,
            vec![Block::Prompt {
                prompt: text("Name one thing."),
                lines: 2
            }]
        );
    }

    #[test]
    fn task_items_are_checkboxes_and_ordered_lists_are_steps() {
        let s = sheet("- [ ] Hug\n- [x] Talk\n\n1. First\n2. Second\n\n- plain\n");
        assert_eq!(
            s.blocks,
            vec![
                Block::Checkboxes(vec![(false, text("Hug")), (true, text("Talk"))]),
                Block::Steps(vec![text("First"), text("Second")]),
                Block::Bullets(vec![text("plain")]),
            ]
        );
    }

    #[test]
    fn headings_quotes_emphasis_and_curly_quotes() {
        let s =
            sheet("## Before you start\n\n> \"Not now\" -- still you.\n\n**Bold** and *soft*.\n");
        assert_eq!(
            s.blocks[0],
            Block::Heading {
                level: 2,
                id: "before-you-start".into(),
                text: text("Before you start")
            }
        );
        assert_eq!(
            s.blocks[1],
            Block::Quote(vec![text("\u{201c}Not now\u{201d} \u{2013} still you.")])
        );
        assert_eq!(
            s.blocks[2],
            Block::Paragraph(vec![
                Inline::Strong(text("Bold")),
                Inline::Text(" and ".into()),
                Inline::Emph(text("soft")),
                Inline::Text(".".into()),
            ])
        );
    }

    #[test]
    fn internal_links_are_placeholders_until_resolved_once() {
        use crate::markdown::{InternalLink, LINK_CLOSE, LINK_OPEN};
        let (mut s, rendered) = parse("See [the article](@/articles/a.md#why).\n");
        assert_eq!(
            rendered.links,
            vec![InternalLink {
                target: "articles/a.md".into(),
                anchor: Some("why".into()),
                offset: 4
            }]
        );
        let placeholder = format!("{LINK_OPEN}0{LINK_CLOSE}");
        assert!(rendered.html.contains(&format!("href=\"{placeholder}\"")));
        s.rewrite_links(&mut |url| {
            assert_eq!(url, &placeholder);
            *url = "/articles/a/#why".into();
        });
        assert_eq!(
            s.blocks[0],
            Block::Paragraph(vec![
                Inline::Text("See ".into()),
                Inline::Link {
                    url: "/articles/a/#why".into(),
                    children: text("the article")
                },
                Inline::Text(".".into()),
            ])
        );
    }

    #[test]
    fn headings_and_words_are_those_the_page_outline_has() {
        let body = "Count *these* words.\n\n## Intro\n\nMore `code` here.\n\n## Intro\n\n#### Deep {#deep}\n";
        let (s, rendered) = parse(body);
        let article = crate::markdown::render(&crate::markdown::MarkdownInput {
            text: body,
            relative_base: None,
        });
        assert_eq!(rendered.headings, article.headings);
        assert_eq!(rendered.word_count, article.word_count);
        let ids: Vec<&str> = s
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["intro", "intro-1", "deep"]);
        let html = to_html(&s);
        assert!(html.contains("<h2 id=\"intro-1\">Intro</h2>"), "{html}");
        // The skipped level is the same warning an article gets, not an error.
        assert_eq!(rendered.issues.len(), 1);
        assert!(!rendered.issues[0].error);
    }

    #[test]
    fn unsupported_constructs_are_located() {
        let (_, rendered) = parse(
            "Hi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>x</div>\n\n![a](https://elsewhere.example/b.png)\n\n- a\n  - b\n\n[x](@/nope.md)\n",
        );
        let errs = &rendered.issues;
        assert!(errs.iter().all(|e| e.error));
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(messages[0].starts_with("tables"), "{messages:?}");
        assert_eq!(errs[0].offset, 4);
        assert!(messages.iter().any(|m| m.starts_with("raw HTML")));
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("only the site's own photos"))
        );
        assert!(messages.iter().any(|m| m.starts_with("lists inside lists")));
        // Links are checked once, with every page's, by `content::links`.
        assert_eq!(rendered.links.len(), 1);
        assert_eq!(rendered.links[0].target, "nope.md");
    }

    #[test]
    fn deep_emphasis_keeps_its_text_within_a_bounded_depth() {
        fn depth(inlines: &[Inline]) -> usize {
            inlines
                .iter()
                .map(|i| match i {
                    Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } => {
                        1 + depth(c)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let n = 5000;
        let md = format!("{}y{}\n", "*x ".repeat(n), " x*".repeat(n));
        let s = sheet(&md);
        let Block::Paragraph(text) = &s.blocks[0] else {
            panic!("{:?}", s.blocks[0]);
        };
        assert!(depth(text) < MAX_INLINE_DEPTH, "{}", depth(text));
        assert_eq!(plain(text).matches('x').count(), 2 * n);
        assert!(to_html(&s).contains("<em>x <em>x "));
    }

    #[test]
    fn html_has_lines_after_prompts_and_labelled_checkboxes() {
        let html = to_html(&sheet("Why?\n\n___\n___\n\n- [ ] Hug \\<b>\n"));
        assert!(html.contains("<p id=\"prompt-1\">Why?</p><div class=\"write-lines\" data-lines=\"2\" aria-hidden=\"true\"><div class=\"write-line\"></div><div class=\"write-line\"></div></div>"), "{html}");
        assert!(html.contains("<input type=\"checkbox\" id=\"check-2\"> <label for=\"check-2\">Hug &lt;b&gt;</label>"), "{html}");
    }

    #[test]
    fn a_photo_alone_on_its_line_is_a_block_and_elsewhere_an_error() {
        let (s, rendered) =
            parse("Breathe.\n\n![A calm *lake*](lake.jpg \"Morning\")\n\nThen ![x](y.png) here.\n");
        assert_eq!(s.blocks[1], Block::Image(0));
        assert_eq!(rendered.images[0].alt, "A calm lake");
        assert_eq!(rendered.images[0].title, "Morning");
        assert_eq!(rendered.images[0].offset, 10);
        assert!(to_html(&s).contains(&format!(
            "{}0{}",
            markdown::IMAGE_OPEN,
            markdown::IMAGE_CLOSE
        )));
        let misplaced: Vec<_> = rendered.issues.iter().filter(|i| i.error).collect();
        assert_eq!(misplaced.len(), 1, "{misplaced:?}");
        assert!(misplaced[0].message.contains("line of its own"));
        assert_eq!(misplaced[0].offset, 53);
    }
}
