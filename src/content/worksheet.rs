//! The worksheet model: worksheet Markdown parsed once into blocks that both the web page
//! (`to_html`) and the PDF (`render::pdf`) are made from.
//!
//! Worksheet Markdown is ordinary Markdown plus two things that print well: task items
//! (`- [ ] Hug for twenty seconds`) are checkboxes, and lines holding only `___` after a
//! prompt are ruled lines to write on (one `___` per line).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

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
    Link { url: String, children: Vec<Inline> },
}

/// One block of a worksheet, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Heading {
        level: u8,
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
}

/// A parsed worksheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Worksheet {
    pub blocks: Vec<Block>,
}

/// Something in a worksheet that cannot print well, with its byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorksheetIssue {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// Parses a worksheet body. `resolve` turns `@/` link targets into URLs (or `None`).
pub fn parse(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Worksheet, Vec<WorksheetIssue>> {
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut p = ParseState::default();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        p.event(event, range.start, resolve);
    }
    p.finish_paragraph();
    if p.issues.is_empty() {
        Ok(Worksheet { blocks: p.blocks })
    } else {
        Err(p.issues)
    }
}

#[derive(Default)]
struct ParseState {
    blocks: Vec<Block>,
    issues: Vec<WorksheetIssue>,
    /// Stack of open inline containers; the bottom one is the current block's text.
    inline: Vec<Vec<Inline>>,
    /// A finished paragraph that may yet turn out to be a prompt.
    pending: Option<Vec<Inline>>,
    list: Option<ListState>,
    quote: Option<Vec<Vec<Inline>>>,
    heading: Option<u8>,
    link_urls: Vec<String>,
    /// Depth of containers we refuse (tables, HTML blocks), to skip their content.
    skipping: usize,
    /// Emphasis opened past `MAX_INLINE_DEPTH`, kept as plain text until it closes.
    flattened: usize,
}

struct ListState {
    ordered: bool,
    depth: usize,
    items: Vec<(Option<bool>, Vec<Inline>)>,
}

impl ParseState {
    fn issue(&mut self, offset: usize, message: &str, help: &str) {
        self.issues.push(WorksheetIssue {
            offset,
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

    fn event(&mut self, event: Event<'_>, offset: usize, resolve: &dyn Fn(&str) -> Option<String>) {
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::Table(_)) => self.skipping += 1,
                Event::End(TagEnd::Table) => self.skipping -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Rule => {
                // `___` lines after a paragraph make it a prompt; several add up.
                match (self.pending.take(), self.blocks.last_mut()) {
                    (Some(prompt), _) => self.blocks.push(Block::Prompt { prompt, lines: 1 }),
                    (None, Some(Block::Prompt { lines, .. })) => *lines += 1,
                    (None, _) => self.blocks.push(Block::Prompt {
                        prompt: Vec::new(),
                        lines: 1,
                    }),
                }
            }
            Event::Start(Tag::Paragraph) => {
                if self.list.is_none() && self.quote.is_none() {
                    self.finish_paragraph();
                }
                self.inline.push(Vec::new());
            }
            Event::End(TagEnd::Paragraph) => {
                let text = self.inline.pop().unwrap_or_default();
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
            Event::Start(Tag::Heading { level, .. }) => {
                self.finish_paragraph();
                self.heading = Some(heading_level(level));
                self.inline.push(Vec::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = self.inline.pop().unwrap_or_default();
                let level = self.heading.take().unwrap_or(2);
                self.blocks.push(Block::Heading { level, text });
            }
            Event::Start(Tag::List(first)) => {
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
                            ordered: first.is_some(),
                            depth: 1,
                            items: Vec::new(),
                        })
                    }
                }
            }
            Event::End(TagEnd::List(_)) => {
                let done = self.list.as_mut().is_some_and(|l| {
                    l.depth -= 1;
                    l.depth == 0
                });
                if done && let Some(list) = self.list.take() {
                    self.blocks.push(list_block(list));
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(list) = self.list.as_mut().filter(|l| l.depth == 1) {
                    list.items.push((None, Vec::new()));
                }
                // Tight lists have no paragraph events: collect the item's text directly.
                self.inline.push(Vec::new());
            }
            Event::End(TagEnd::Item) => {
                let text = self.inline.pop().unwrap_or_default();
                if let Some(item) = self.list.as_mut().and_then(|l| l.items.last_mut()) {
                    item.1.extend(text);
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.list.as_mut().and_then(|l| l.items.last_mut()) {
                    item.0 = Some(checked);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.finish_paragraph();
                self.quote = Some(Vec::new());
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(quote) = self.quote.take() {
                    self.blocks.push(Block::Quote(quote));
                }
            }
            // Past the depth limit every emphasis is flattened, so the ends that find
            // `flattened > 0` are exactly those of flattened starts (they nest).
            Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough) => {
                if self.inline.len() >= MAX_INLINE_DEPTH {
                    self.flattened += 1;
                } else {
                    self.inline.push(Vec::new());
                }
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough)
                if self.flattened > 0 =>
            {
                self.flattened -= 1;
            }
            Event::End(TagEnd::Strong) => {
                let inner = self.inline.pop().unwrap_or_default();
                self.push_inline(Inline::Strong(inner));
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strikethrough) => {
                let inner = self.inline.pop().unwrap_or_default();
                self.push_inline(Inline::Emph(inner));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = match dest_url.strip_prefix("@/") {
                    Some(target) => resolve(target).unwrap_or_else(|| {
                        self.issue(offset, &format!("link to `{dest_url}`: no such page"),
                            "write the path from the content folder, e.g. `@/articles/some-article.md`");
                        "#".into()
                    }),
                    None => dest_url.to_string(),
                };
                self.link_urls.push(url);
                self.inline.push(Vec::new());
            }
            Event::End(TagEnd::Link) => {
                let children = self.inline.pop().unwrap_or_default();
                let url = self.link_urls.pop().unwrap_or_default();
                self.push_inline(Inline::Link { url, children });
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
            Event::Start(Tag::Table(_)) => {
                self.skipping = 1;
                self.issue(
                    offset,
                    "tables do not fit a printed worksheet",
                    "use a list, or a prompt followed by ___ lines for each question",
                );
            }
            Event::Start(Tag::Image { .. }) => self.issue(
                offset,
                "images are not supported in worksheets",
                "remove the image; worksheets print as text, checkboxes and lines",
            ),
            Event::Start(Tag::CodeBlock(_)) => {
                self.issue(
                    offset,
                    "code blocks do not belong on a worksheet",
                    "write the text as a paragraph",
                );
            }
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => self.issue(
                offset,
                "footnotes are not supported in worksheets",
                "put the note in a sentence of its own",
            ),
            _ => {}
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
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

/// The worksheet as HTML for its web page: prompts keep their ruled lines, and task items
/// become real, labelled checkboxes a reader can tick on screen.
pub fn to_html(sheet: &Worksheet) -> String {
    let mut html = String::new();
    let mut n = 0usize;
    for block in &sheet.blocks {
        match block {
            Block::Heading { level, text } => {
                let level = (*level).clamp(2, 4);
                let id = slug::slugify(plain(text));
                html.push_str(&format!(
                    "<h{level} id=\"{id}\">{}</h{level}>\n",
                    inline_html(text)
                ));
            }
            Block::Paragraph(text) => html.push_str(&format!("<p>{}</p>\n", inline_html(text))),
            Block::Prompt { prompt, lines } => {
                n += 1;
                html.push_str("<div class=\"prompt\">");
                if !prompt.is_empty() {
                    html.push_str(&format!("<p id=\"prompt-{n}\">{}</p>", inline_html(prompt)));
                }
                html.push_str(&format!(
                    "<div class=\"write-lines\" data-lines=\"{lines}\" aria-hidden=\"true\">"
                ));
                html.push_str(&"<div class=\"write-line\"></div>".repeat(*lines));
                html.push_str("</div></div>\n");
            }
            Block::Steps(items) => list_html(&mut html, "ol", "steps", items),
            Block::Bullets(items) => list_html(&mut html, "ul", "bullets", items),
            Block::Checkboxes(items) => {
                html.push_str("<ul class=\"checklist\">\n");
                for (checked, text) in items {
                    n += 1;
                    let checked = if *checked { " checked" } else { "" };
                    html.push_str(&format!(
                        "<li><input type=\"checkbox\" id=\"check-{n}\"{checked}> <label for=\"check-{n}\">{}</label></li>\n",
                        inline_html(text)
                    ));
                }
                html.push_str("</ul>\n");
            }
            Block::Quote(paragraphs) => {
                html.push_str("<blockquote>");
                for p in paragraphs {
                    html.push_str(&format!("<p>{}</p>", inline_html(p)));
                }
                html.push_str("</blockquote>\n");
            }
        }
    }
    html
}

fn list_html(html: &mut String, tag: &str, class: &str, items: &[Vec<Inline>]) {
    html.push_str(&format!("<{tag} class=\"{class}\">\n"));
    for item in items {
        html.push_str(&format!("<li>{}</li>\n", inline_html(item)));
    }
    html.push_str(&format!("</{tag}>\n"));
}

fn inline_html(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(t) => out.push_str(&format!("<code>{}</code>", escape(t))),
            Inline::Strong(c) => out.push_str(&format!("<strong>{}</strong>", inline_html(c))),
            Inline::Emph(c) => out.push_str(&format!("<em>{}</em>", inline_html(c))),
            Inline::Link { url, children } => {
                out.push_str(&format!(
                    "<a href=\"{}\">{}</a>",
                    escape(url),
                    inline_html(children)
                ));
            }
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(md: &str) -> Worksheet {
        parse(md, &|t| {
            (t == "articles/a.md").then(|| "/articles/a/".to_string())
        })
        .unwrap()
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
    fn internal_links_are_resolved() {
        let s = sheet("See [the article](@/articles/a.md).\n");
        assert_eq!(
            s.blocks[0],
            Block::Paragraph(vec![
                Inline::Text("See ".into()),
                Inline::Link {
                    url: "/articles/a/".into(),
                    children: text("the article")
                },
                Inline::Text(".".into()),
            ])
        );
    }

    #[test]
    fn unsupported_constructs_are_located() {
        let errs = parse("Hi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>x</div>\n\n![a](b.png)\n\n- a\n  - b\n\n[x](@/nope.md)\n", &|_| None).unwrap_err();
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(messages[0].starts_with("tables"), "{messages:?}");
        assert_eq!(errs[0].offset, 4);
        assert!(messages.iter().any(|m| m.starts_with("raw HTML")));
        assert!(messages.iter().any(|m| m.starts_with("images")));
        assert!(messages.iter().any(|m| m.starts_with("lists inside lists")));
        assert!(messages.iter().any(|m| m.contains("no such page")));
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
}
