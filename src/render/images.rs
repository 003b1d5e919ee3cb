//! Photos as pages show them: the hero near the title and in cards, and the site's own
//! Markdown images, whose placeholders (`markdown::IMAGE_OPEN`) become `<picture>`s (or
//! `<figure>`s with the title as caption) once the preparation jobs know their sizes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::Site;
use crate::content::images::Hero;
use crate::images::ImageSet;
use crate::images::html::{self, Loading};
use crate::markdown::{IMAGE_CLOSE, IMAGE_OPEN, InlineImage};

/// The widest a photo in the text column is shown, in CSS pixels.
const COLUMN_WIDTH: u32 = 672;
/// The width of a card's photo, in CSS pixels.
const CARD_WIDTH: u32 = 160;

/// A hero photo as templates see it (`page.hero`, `item.hero`).
#[derive(Debug, Clone, Serialize)]
pub struct HeroValue {
    /// The `<picture>`, ready to place.
    pub html: String,
    pub alt: String,
    /// The credit line as HTML, if there is one.
    pub credit: Option<String>,
    pub width: u32,
    pub height: u32,
    /// Absolute URL of the largest JPEG or PNG copy (`og:image`).
    pub url: String,
}

/// Page `i`'s hero, as its own page shows it (fetched first) or as a card shows it.
pub fn hero(
    site: &Site,
    sets: &HashMap<PathBuf, ImageSet>,
    i: usize,
    card: bool,
) -> Option<HeroValue> {
    let Hero {
        source,
        alt,
        credit_html,
    } = site.images.heroes.get(&i)?;
    let set = sets.get(source)?;
    let picture = if card {
        html::picture(
            set,
            "",
            html::CARD,
            CARD_WIDTH,
            Loading::Lazy,
            Some("card-photo"),
        )
    } else {
        html::picture(
            set,
            alt,
            html::COLUMN,
            COLUMN_WIDTH,
            Loading::Priority,
            Some("hero-photo"),
        )
    };
    Some(HeroValue {
        html: picture,
        alt: alt.clone(),
        credit: credit_html.clone(),
        width: set.width,
        height: set.height,
        url: format!("{}{}", site.config.base(), set.fallback.url),
    })
}

/// How inline images are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inline<'a> {
    /// On the site's pages: `<picture>`, lazily loaded.
    Page,
    /// In the feed: one plain `<img>` with an absolute URL, as feed readers expect.
    Feed { base: &'a str },
}

/// `html` (of the page or section whose file is `path`) with its image placeholders
/// replaced; unchanged, and not copied, when it has none.
pub fn inline<'h>(
    site: &Site,
    sets: &HashMap<PathBuf, ImageSet>,
    path: &Path,
    images: &[InlineImage],
    html: &'h str,
    how: Inline<'_>,
) -> Cow<'h, str> {
    if images.is_empty() || !html.contains(IMAGE_OPEN) {
        return Cow::Borrowed(html);
    }
    let files = site.images.inline.get(path);
    let mut out = String::with_capacity(html.len() + images.len() * 600);
    let mut rest = html;
    while let Some(start) = rest.find(IMAGE_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + IMAGE_OPEN.len()..];
        let Some(end) = after.find(IMAGE_CLOSE) else {
            break;
        };
        let n: Option<usize> = after[..end].parse().ok();
        let image = n.and_then(|n| Some((images.get(n)?, files?.get(n)?.as_ref()?)));
        if let Some((image, file)) = image
            && let Some(set) = sets.get(file)
        {
            out.push_str(&one(set, image, how));
        }
        rest = &after[end + IMAGE_CLOSE.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn one(set: &ImageSet, image: &InlineImage, how: Inline<'_>) -> String {
    let picture = match how {
        Inline::Page => html::picture(
            set,
            &image.alt,
            html::COLUMN,
            COLUMN_WIDTH,
            Loading::Lazy,
            None,
        ),
        Inline::Feed { base } => {
            // Feed readers cannot all show WebP: the JPEG or PNG copy.
            let copy = &set.fallback;
            format!(
                "<img src=\"{base}{}\" width=\"{}\" height=\"{}\" alt=\"{}\">",
                html_escape::encode_double_quoted_attribute(&copy.url),
                copy.width,
                copy.height,
                html_escape::encode_double_quoted_attribute(&image.alt)
            )
        }
    };
    if !image.block {
        return picture;
    }
    let caption = if image.title.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<figcaption>{}</figcaption>",
            html_escape::encode_text(&crate::markdown::smart_punctuation(&image.title))
        )
    };
    format!("<figure class=\"photo\">{picture}{caption}</figure>\n")
}
