//! A post's HTML → Markdown with `htmd`, plus the rules a private site needs: every image
//! becomes a numbered token (the media step decides whether it is a downloaded file or a
//! link), and players from other hosts (iframes, `<embed>`, `<video>`, `<audio>`) become
//! plain links, because an embed tells its host about every visitor.

use std::sync::{Arc, Mutex};

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};

use super::shortcodes::MORE_MARKER;

/// An image the post shows, as found in its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef {
    /// Absolute URL (relative ones resolved against the old site's address).
    pub url: String,
    /// `None` when the `<img>` had no alt attribute at all.
    pub alt: Option<String>,
}

/// The Markdown of a post, with its images still as tokens.
#[derive(Debug, Clone)]
pub(crate) struct Converted {
    pub markdown: String,
    pub images: Vec<ImageRef>,
    /// URLs of players turned into links.
    pub embeds: Vec<String>,
}

/// The token that stands for image `index` in [`Converted::markdown`].
pub(crate) fn image_token(index: usize) -> String {
    format!("hearthimportimage{index}x")
}

#[derive(Default)]
struct Found {
    images: Vec<ImageRef>,
    embeds: Vec<String>,
    /// The first `<source src>` inside the `<video>` or `<audio>` being converted.
    source: Option<String>,
}

fn attr<'a>(element: &'a Element<'_>, name: &str) -> Option<&'a str> {
    element
        .attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// `url` made absolute against `base` (the old site's address), when it is relative.
pub(crate) fn absolute(url: &str, base: &str) -> String {
    let url = url.trim();
    if url.contains("://") || url.starts_with("data:") || url.starts_with("mailto:") {
        return url.to_string();
    }
    if let Some(rest) = url.strip_prefix("//") {
        return format!("https://{rest}");
    }
    let base = base.trim_end_matches('/');
    let origin = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| &base[..i + 3 + j]))
        .unwrap_or(base);
    if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        format!("{base}/{url}")
    }
}

/// A link to a player's page rather than its embedded frame, where the host has one.
fn player_page(src: &str) -> String {
    let src = if let Some(rest) = src.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        src.to_string()
    };
    for prefix in [
        "https://www.youtube.com/embed/",
        "https://www.youtube-nocookie.com/embed/",
        "https://youtube.com/embed/",
    ] {
        if let Some(id) = src.strip_prefix(prefix) {
            let id = id.split(['?', '&', '/']).next().unwrap_or_default();
            return format!("https://www.youtube.com/watch?v={id}");
        }
    }
    if let Some(id) = src.strip_prefix("https://player.vimeo.com/video/") {
        let id = id.split(['?', '/']).next().unwrap_or_default();
        return format!("https://vimeo.com/{id}");
    }
    src
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Old path on the old site (`/2019/03/slug/`) → the imported page's new URL, for the
/// pages that will be published.
pub(crate) type Moved = Arc<std::collections::HashMap<String, String>>;

/// Where a link must go now: a post that moved, or (for a link relative to the old site,
/// which would lead nowhere here) its full old address. `None` keeps the link as it is.
fn moved_link(href: &str, base: &str, moved: &Moved) -> Option<String> {
    let href = href.trim();
    let other_scheme = href.contains(':') && !href.contains("://");
    if href.is_empty() || href.starts_with(['#', '?']) || other_scheme {
        return None;
    }
    let full = absolute(href, base);
    if let Some(url) = super::plan::old_path(&full, base).and_then(|path| moved.get(&path)) {
        return Some(url.clone());
    }
    (!href.contains("://") && !href.starts_with("//")).then_some(full)
}

/// Whether `href` names an image file (WordPress links an image to its full size).
fn is_image_file(href: &str) -> bool {
    let path = href
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// Converts `html` (already through `shortcodes::prepare`) to Markdown.
pub(crate) fn to_markdown(html: &str, base: &str, moved: &Moved) -> Converted {
    let found = Arc::new(Mutex::new(Found::default()));
    let converter = converter(&found, base, moved);
    let markdown = converter.convert(html).unwrap_or_default();
    let markdown = tidy(&markdown);
    let found = std::mem::take(&mut *found.lock().unwrap_or_else(|e| e.into_inner()));
    Converted {
        markdown,
        images: found.images,
        embeds: found.embeds,
    }
}

/// A paragraph with a link to a player's page.
fn player_link(found: &Mutex<Found>, src: &str, title: Option<&str>) -> Option<HandlerResult> {
    if src.trim().is_empty() {
        return None;
    }
    let url = player_page(src.trim());
    let words = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => title.replace(['[', ']'], ""),
        None => format!("Watch or listen on {}", host_of(&url)),
    };
    if let Ok(mut found) = found.lock() {
        found.embeds.push(url.clone());
    }
    Some(format!("\n\n[{words}](<{url}>)\n\n").into())
}

fn converter(found: &Arc<Mutex<Found>>, base: &str, moved: &Moved) -> HtmlToMarkdown {
    let images = Arc::clone(found);
    let base_for_images = base.to_string();
    let base_for_links = base.to_string();
    let moved = Arc::clone(moved);
    let frames = Arc::clone(found);
    let media = Arc::clone(found);
    let wrappers = Arc::clone(found);
    let sources = Arc::clone(found);
    HtmlToMarkdown::builder()
        .skip_tags(vec![
            "script", "style", "noscript", "form", "button", "input", "select", "textarea", "track",
        ])
        .add_handler(vec!["source"], move |_: &dyn Handlers, e: Element| {
            if let (Some(src), Ok(mut found)) = (attr(&e, "src"), sources.lock())
                && found.source.is_none()
            {
                found.source = Some(src.to_string());
            }
            None
        })
        .add_handler(vec!["img"], move |_: &dyn Handlers, e: Element| {
            // Lazy-loading plugins put a placeholder in `src` and the image in `data-src`.
            let src = match attr(&e, "src") {
                Some(src) if !src.starts_with("data:") => Some(src),
                src => attr(&e, "data-src")
                    .or_else(|| attr(&e, "data-lazy-src"))
                    .or(src),
            }?;
            let url = absolute(src, &base_for_images);
            let alt = attr(&e, "alt").map(|a| a.trim().to_string());
            let mut found = images.lock().ok()?;
            found.images.push(ImageRef { url, alt });
            Some(image_token(found.images.len() - 1).into())
        })
        .add_handler(vec!["a"], move |handlers: &dyn Handlers, e: Element| {
            let href = attr(&e, "href").unwrap_or_default();
            // "Link to: media file" around an image: the image alone is enough.
            if is_image_file(href) {
                let inner = handlers.walk_children(e.node);
                if is_one_token(inner.content.trim()) {
                    return Some(inner);
                }
            }
            match moved_link(href, &base_for_links, &moved) {
                Some(target) => {
                    let inner = handlers.walk_children(e.node).content;
                    let text = inner.trim();
                    (!text.is_empty()).then(|| format!("[{text}](<{target}>)").into())
                }
                None => handlers.fallback(e),
            }
        })
        .add_handler(
            vec!["iframe", "embed", "object"],
            move |_: &dyn Handlers, e: Element| {
                let src = attr(&e, "src").or_else(|| attr(&e, "data"))?;
                player_link(&frames, src, attr(&e, "title"))
            },
        )
        .add_handler(
            vec!["video", "audio"],
            move |handlers: &dyn Handlers, e: Element| {
                // `<source>` children report their `src` while the children are walked.
                let src = match attr(&e, "src") {
                    Some(src) => Some(src.to_string()),
                    None => {
                        handlers.walk_children(e.node);
                        media.lock().ok()?.source.take()
                    }
                }?;
                player_link(&media, &src, attr(&e, "title"))
            },
        )
        .add_handler(vec!["figcaption"], |handlers: &dyn Handlers, e: Element| {
            let words = handlers.walk_children(e.node).content;
            let words = words.trim();
            if words.is_empty() {
                return None;
            }
            Some(format!("\n\n_{words}_\n\n").into())
        })
        .add_handler(vec!["div"], move |handlers: &dyn Handlers, e: Element| {
            // The block editor's embed: a bare URL in a wrapper the player script fills.
            if attr(&e, "class").is_some_and(|c| c.contains("wp-block-embed__wrapper")) {
                let inner = handlers.walk_children(e.node).content;
                // An iframe inside has already become a link.
                if inner.contains("](") {
                    return Some(inner.into());
                }
                let url = inner.trim().replace('\\', "");
                return player_link(&wrappers, &url, None);
            }
            handlers.fallback(e)
        })
        .build()
}

/// Whether `text` is exactly one image token.
fn is_one_token(text: &str) -> bool {
    text.strip_prefix("hearthimportimage")
        .and_then(|rest| rest.strip_suffix('x'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Puts hearth's summary marker back and keeps blank lines to one.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = if line.trim() == MORE_MARKER {
            "<!-- more -->"
        } else {
            line.trim_end_matches(|c: char| c.is_whitespace() && c != ' ')
        };
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://old.example";

    /// Asserts the Markdown holds `needle`, showing it when not.
    fn contains(c: &Converted, needle: &str) {
        assert!(c.markdown.contains(needle), "{}", c.markdown);
    }

    fn md(html: &str, base: &str) -> Converted {
        let moved: Moved =
            Arc::new([("/2019/03/calm/".to_string(), "/articles/calm/".to_string())].into());
        to_markdown(html, base, &moved)
    }

    #[test]
    fn links_to_moved_posts_and_relative_links() {
        let c = md(
            r#"<p><a href="https://old.example/2019/03/calm/">Calm</a> <a href="/contact/">Write</a> <a href="https://else.example/x">Else</a> <a href="mailto:a@b.example">Mail</a> <img src="data:image/gif;base64,R0lG" data-src="/lazy.png" alt="Lazy"></p>"#,
            BASE,
        );
        contains(&c, "[Calm](</articles/calm/>)");
        contains(&c, "[Write](<https://old.example/contact/>)");
        contains(&c, "[Else](https://else.example/x)");
        contains(&c, "(mailto:a@b.example)");
        assert_eq!(c.images[0].url, "https://old.example/lazy.png");
    }

    #[test]
    fn images_become_tokens_with_absolute_urls() {
        let c = md(
            r#"<p>Hello <img src="/wp-content/uploads/a.jpg" alt="A path"> and <img src="b.png"></p>"#,
            BASE,
        );
        assert_eq!(
            c.markdown.trim(),
            "Hello hearthimportimage0x and hearthimportimage1x"
        );
        assert_eq!(
            c.images[0].url,
            "https://old.example/wp-content/uploads/a.jpg"
        );
        assert_eq!(c.images[0].alt.as_deref(), Some("A path"));
        assert_eq!(c.images[1].alt, None);
    }

    #[test]
    fn a_link_to_the_full_size_image_is_dropped() {
        let c = md(
            r#"<figure><a href="https://old.example/a.jpg"><img src="https://old.example/a-300.jpg" alt=""></a><figcaption>The <em>garden</em></figcaption></figure>"#,
            BASE,
        );
        assert_eq!(c.markdown.trim(), "hearthimportimage0x\n\n_The *garden*_");
    }

    #[test]
    fn players_become_links_and_scripts_go() {
        let c = md(
            r#"<p>Before</p><iframe src="https://www.youtube.com/embed/xyz?rel=0" title="Breathing together"></iframe><video controls><source src="https://old.example/v.mp4"></video><script>track()</script><div class="wp-block-embed__wrapper">
https://vimeo.com/42
</div>"#,
            BASE,
        );
        contains(
            &c,
            "[Breathing together](<https://www.youtube.com/watch?v=xyz>)",
        );
        contains(&c, "(<https://old.example/v.mp4>)");
        contains(&c, "(<https://vimeo.com/42>)");
        assert!(!c.markdown.contains("track"));
        assert!(!c.markdown.contains("<iframe"));
        assert_eq!(c.embeds.len(), 3);
    }

    #[test]
    fn more_marker_and_entities() {
        let c = md(
            &format!("<p>Caf&eacute; &amp; t&#233;</p><p>{MORE_MARKER}</p><p>Señal</p>"),
            BASE,
        );
        assert_eq!(c.markdown, "Café & té\n\n<!-- more -->\n\nSeñal\n");
    }
}
