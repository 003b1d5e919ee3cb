//! A worksheet's web page body: prompts keep their ruled lines, and task items become
//! real, labelled checkboxes a reader can tick on screen.

use super::{Block, Inline, Worksheet};

/// The worksheet as HTML for its web page: prompts keep their ruled lines, and task items
/// become real, labelled checkboxes a reader can tick on screen.
pub fn to_html(sheet: &Worksheet) -> String {
    let mut html = String::new();
    let mut n = 0usize;
    for block in &sheet.blocks {
        match block {
            Block::Heading { level, id, text } => {
                let level = (*level).clamp(2, 4);
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
            // Replaced by the photo's `<figure>` once its sizes are known
            // (`render::images::inline`), as in any page.
            Block::Image(n) => html.push_str(&format!(
                "{}{n}{}\n",
                crate::markdown::IMAGE_OPEN,
                crate::markdown::IMAGE_CLOSE
            )),
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
