//! WordPress's own markup in a post's HTML, turned into plain HTML before conversion:
//! block comments removed, the `<!--more-->` marker kept, paragraphs of the classic editor
//! (blank lines, not `<p>`) made explicit, and the core shortcodes (`[caption]`,
//! `[gallery]`, `[embed]`, `[video]`, `[audio]`) replaced. Unknown shortcodes stay as text
//! and are named so the report can list them.

use std::collections::BTreeSet;

/// Stands for `<!--more-->` through the conversion; turned into hearth's `<!-- more -->`.
pub(crate) const MORE_MARKER: &str = "hearthimportmoremarker";

/// An image the post's gallery shows: its URL and alt text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GalleryImage {
    pub url: String,
    pub alt: String,
}

/// What the shortcode pass needs from the rest of the export.
pub(crate) trait Attachments {
    /// The attachment with WordPress id `id`.
    fn by_id(&self, id: u64) -> Option<GalleryImage>;
    /// The attachments uploaded to post `parent`, in their menu order.
    fn of_post(&self, parent: u64) -> Vec<GalleryImage>;
}

/// The post's HTML with WordPress's markup replaced, and the unknown shortcodes found.
pub(crate) struct Prepared {
    pub html: String,
    pub unknown: BTreeSet<String>,
}

/// Prepares the HTML of post `post_id`.
pub(crate) fn prepare(content: &str, post_id: u64, attachments: &dyn Attachments) -> Prepared {
    let text = content.replace("\r\n", "\n");
    let text = remove_comments(&text);
    let text = autop(&text);
    let mut unknown = BTreeSet::new();
    let html = shortcodes(&text, post_id, attachments, &mut unknown);
    Prepared { html, unknown }
}

/// Removes HTML comments (block markers `<!-- wp:… -->` among them), keeping the
/// `<!--more-->` marker as a paragraph of its own.
fn remove_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else {
            // An unclosed comment: WordPress shows nothing after it either.
            return out;
        };
        let inner = after[..end].trim();
        if inner == "more" || inner.starts_with("more ") {
            out.push_str("\n\n<p>");
            out.push_str(MORE_MARKER);
            out.push_str("</p>\n\n");
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

/// Tags that start a block of their own, so text beside them is not wrapped in `<p>`.
const BLOCK_TAGS: [&str; 20] = [
    "<p",
    "<h1",
    "<h2",
    "<h3",
    "<h4",
    "<h5",
    "<h6",
    "<ul",
    "<ol",
    "<li",
    "<blockquote",
    "<figure",
    "<div",
    "<table",
    "<pre",
    "<hr",
    "<iframe",
    "<dl",
    "<section",
    "<form",
];

/// WordPress's `wpautop`, simply: in text written with the classic editor, a blank line
/// separates paragraphs and a single newline is a line break.
fn autop(text: &str) -> String {
    if !text.contains("\n\n") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for chunk in text.split("\n\n") {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        let lower = chunk.to_ascii_lowercase();
        if BLOCK_TAGS.iter().any(|tag| lower.starts_with(tag)) || lower.starts_with('[') {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br>"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// One shortcode as written: `[name attrs]`, with its content up to `[/name]` when closed.
struct Shortcode<'a> {
    name: &'a str,
    attrs: Vec<(String, String)>,
    content: Option<&'a str>,
    /// Bytes of the text the whole shortcode covers.
    len: usize,
}

impl Shortcode<'_> {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the shortcode at the start of `text` (which starts with `[`), if one is there.
fn parse_at(text: &str) -> Option<Shortcode<'_>> {
    let body = &text[1..];
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let name = &body[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let close = body.find(']')?;
    if close < name_len {
        return None;
    }
    let attr_text = body[name_len..close].trim().trim_end_matches('/');
    if !body[name_len..].starts_with([' ', ']', '/']) {
        return None;
    }
    let attrs = parse_attrs(attr_text);
    let open_len = 1 + close + 1;
    let self_closing = body[..close].ends_with('/');
    let end_tag = format!("[/{name}]");
    let (content, len) = match text[open_len..].find(&end_tag) {
        Some(i) if !self_closing => (
            Some(&text[open_len..open_len + i]),
            open_len + i + end_tag.len(),
        ),
        _ => (None, open_len),
    };
    Some(Shortcode {
        name,
        attrs,
        content,
        len,
    })
}

/// `a="x" b='y' c=z d`: quoted, unquoted and positional attributes (positional ones get
/// their index as key).
fn parse_attrs(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim();
    let mut position = 0;
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = rest[key_end..].trim_start();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'' | '\u{201d}' | '\u{2033}')) => {
                    let inner = &after[q.len_utf8()..];
                    let end = inner
                        .find(['"', '\'', '\u{201d}', '\u{2033}'])
                        .unwrap_or(inner.len());
                    let close_len = inner[end..].chars().next().map_or(0, char::len_utf8);
                    (&inner[..end], &inner[(end + close_len).min(inner.len())..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            attrs.push((key.to_ascii_lowercase(), value.to_string()));
            rest = remaining.trim_start();
        } else {
            let value = key.trim_matches(['"', '\'']).to_string();
            attrs.push((position.to_string(), value));
            position += 1;
        }
    }
    attrs
}

/// Replaces the shortcodes hearth knows; leaves the rest as written.
fn shortcodes(
    text: &str,
    post_id: u64,
    attachments: &dyn Attachments,
    unknown: &mut BTreeSet<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let here = &rest[start..];
        // `[[name]]` is WordPress's way to write a shortcode as text.
        if let Some(escaped) = here.strip_prefix("[[")
            && let Some(end) = escaped.find("]]")
        {
            out.push_str(&here[1..2 + end + 1]);
            rest = &escaped[end + 2..];
            continue;
        }
        let Some(code) = parse_at(here) else {
            out.push('[');
            rest = &here[1..];
            continue;
        };
        match replace(&code, post_id, attachments) {
            Some(html) => {
                out.push_str(&html);
                rest = &here[code.len..];
            }
            None => {
                // Names alone in brackets are often just text ("[sic]"); a shortcode
                // has attributes, a closing tag or a closing slash.
                if code.content.is_some()
                    || code.attrs.iter().any(|(k, _)| k.parse::<usize>().is_err())
                    || here[..code.len].contains("/]")
                {
                    unknown.insert(code.name.to_string());
                }
                out.push('[');
                rest = &here[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML a known shortcode becomes, or `None` for one hearth does not know.
fn replace(code: &Shortcode<'_>, post_id: u64, attachments: &dyn Attachments) -> Option<String> {
    match code.name {
        "caption" | "wp_caption" => Some(caption(code)),
        "gallery" => Some(gallery(code, post_id, attachments)),
        "embed" => {
            let url = code.content.unwrap_or_default().trim();
            Some(link_paragraph(url))
        }
        "video" | "audio" => {
            let url = [
                "src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a",
            ]
            .iter()
            .find_map(|key| code.attr(key))
            .unwrap_or_default();
            Some(link_paragraph(url))
        }
        _ => None,
    }
}

/// A frame for the player at `url`, which the conversion turns into a plain link (and
/// the report lists) like every other player.
fn link_paragraph(url: &str) -> String {
    if url.is_empty() {
        return String::new();
    }
    let url = html_escape::encode_double_quoted_attribute(url);
    format!("\n\n<iframe src=\"{url}\"></iframe>\n\n")
}

/// `[caption]<img …> Words[/caption]` (the image may be inside a link) → a figure.
fn caption(code: &Shortcode<'_>) -> String {
    let inner = code.content.unwrap_or_default().trim();
    let lower = inner.to_ascii_lowercase();
    let media_end = if lower.starts_with("<a") {
        lower.find("</a>").map(|i| i + 4)
    } else {
        lower
            .find("<img")
            .and_then(|i| lower[i..].find('>').map(|j| i + j + 1))
    }
    .unwrap_or(0);
    let (media, words) = inner.split_at(media_end);
    let words = match code.attr("caption") {
        Some(attr) if words.trim().is_empty() => attr.to_string(),
        _ => words.trim().to_string(),
    };
    format!("\n\n<figure>{media}<figcaption>{words}</figcaption></figure>\n\n")
}

/// `[gallery ids="1,2"]` (or the post's own uploads) → the images, one after another.
fn gallery(code: &Shortcode<'_>, post_id: u64, attachments: &dyn Attachments) -> String {
    let ids = code.attr("ids").or_else(|| code.attr("include"));
    let images: Vec<GalleryImage> = match ids {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .filter_map(|id| attachments.by_id(id))
            .collect(),
        None => attachments.of_post(
            code.attr("id")
                .and_then(|id| id.parse().ok())
                .unwrap_or(post_id),
        ),
    };
    let mut out = String::from("\n\n");
    for image in images {
        out.push_str(&format!(
            "<p><img src=\"{}\" alt=\"{}\"></p>\n",
            html_escape::encode_double_quoted_attribute(&image.url),
            html_escape::encode_double_quoted_attribute(&image.alt),
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two;

    impl Attachments for Two {
        fn by_id(&self, id: u64) -> Option<GalleryImage> {
            (id < 3).then(|| GalleryImage {
                url: format!("https://old.example/{id}.jpg"),
                alt: format!("Picture {id}"),
            })
        }
        fn of_post(&self, parent: u64) -> Vec<GalleryImage> {
            vec![GalleryImage {
                url: format!("https://old.example/of-{parent}.jpg"),
                alt: String::new(),
            }]
        }
    }

    fn run(text: &str) -> Prepared {
        prepare(text, 7, &Two)
    }

    #[test]
    fn block_comments_go_and_more_stays() {
        let p = run(
            "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n<!--more-->\n<p>Two</p>",
        );
        assert!(!p.html.contains("wp:"), "{}", p.html);
        assert!(p.html.contains(MORE_MARKER));
    }

    #[test]
    fn classic_paragraphs_are_wrapped() {
        let p = run("First line\nsecond line\n\nNext paragraph");
        assert_eq!(
            p.html.trim(),
            "<p>First line<br>second line</p>\n\n<p>Next paragraph</p>"
        );
    }

    #[test]
    fn caption_becomes_a_figure() {
        let p = run(
            r#"[caption id="attachment_5" align="alignnone" width="300"]<a href="x.jpg"><img src="x-300.jpg" alt="A bench"></a> A quiet bench[/caption]"#,
        );
        assert!(p.html.contains(r#"<figure><a href="x.jpg"><img src="x-300.jpg" alt="A bench"></a><figcaption>A quiet bench</figcaption></figure>"#), "{}", p.html);
    }

    #[test]
    fn gallery_lists_images_by_id_or_of_the_post() {
        let p = run(r#"[gallery ids="1, 2,9"]"#);
        assert!(
            p.html.contains("1.jpg") && p.html.contains("Picture 2"),
            "{}",
            p.html
        );
        assert!(!p.html.contains("9.jpg"));
        assert!(run("[gallery]").html.contains("of-7.jpg"));
    }

    #[test]
    fn embeds_become_links_and_unknown_codes_stay() {
        let p = run(
            "[embed]https://www.youtube.com/watch?v=abc[/embed] [contact-form-7 id=\"3\"] [sic] [[gallery]]",
        );
        assert!(
            p.html
                .contains(r#"<iframe src="https://www.youtube.com/watch?v=abc">"#),
            "{}",
            p.html
        );
        assert!(p.html.contains("[contact-form-7 id=\"3\"]"));
        assert!(p.html.contains("[sic]") && p.html.contains("[gallery]"));
        assert_eq!(p.unknown.iter().collect::<Vec<_>>(), ["contact-form-7"]);
    }
}
