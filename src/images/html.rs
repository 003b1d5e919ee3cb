//! The `<picture>` a photo is shown with: WebP copies with `sizes` for the browser to pick
//! the smallest that fills the space, the one JPEG or PNG copy for browsers without WebP,
//! and `width`/`height` so nothing moves while it loads.

use std::fmt::Write as _;

use html_escape::encode_double_quoted_attribute as attr;

use super::ImageSet;

/// How urgently the browser should fetch a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// Below the fold: fetched when the reader scrolls near it.
    Lazy,
    /// The page's hero: fetched first.
    Priority,
}

/// `sizes` of a photo as wide as the text column (the theme's 42rem measure).
pub const COLUMN: &str = "(min-width: 46rem) 42rem, calc(100vw - 2.5rem)";
/// `sizes` of a card's small photo.
pub const CARD: &str = "7rem";

/// Where a URL goes inside `srcset`, which splits on spaces and commas.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// The `<picture>` element for `set`. `display_width` is the most CSS pixels it is shown
/// at: `width` and `height` say that size (in the photo's proportions).
pub fn picture(
    set: &ImageSet,
    alt: &str,
    sizes: &str,
    display_width: u32,
    loading: Loading,
    class: Option<&str>,
) -> String {
    let largest = set.largest();
    let width = display_width.min(largest.width).max(1);
    let height =
        ((u64::from(largest.height) * u64::from(width)) / u64::from(largest.width.max(1))).max(1);
    let srcset = |pick: fn(&super::Variant) -> &str| {
        set.variants
            .iter()
            .map(|v| format!("{} {}w", srcset_url(pick(v)), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut html = String::with_capacity(512);
    html.push_str("<picture");
    if let Some(class) = class {
        let _ = write!(html, " class=\"{}\"", attr(class));
    }
    html.push('>');
    // Browsers take the first source they can show: AVIF (the smallest) before WebP.
    if set.variants.iter().all(|v| v.avif.is_some()) {
        let _ = write!(
            html,
            "<source type=\"image/avif\" srcset=\"{}\" sizes=\"{}\">",
            attr(&srcset(|v| v.avif.as_deref().unwrap_or_default())),
            attr(sizes)
        );
    }
    let _ = write!(
        html,
        "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
        attr(&srcset(|v| &v.webp)),
        attr(sizes)
    );
    let _ = write!(
        html,
        "<img src=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{}\"",
        attr(&srcset_url(&set.fallback.url)),
        attr(alt),
    );
    html.push_str(match loading {
        Loading::Lazy => " loading=\"lazy\" decoding=\"async\">",
        Loading::Priority => " fetchpriority=\"high\" decoding=\"async\">",
    });
    html.push_str("</picture>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::{Fallback, FallbackCopy, Variant};

    fn set() -> ImageSet {
        let v = |w: u32| Variant {
            width: w,
            height: w / 2,
            webp: format!("/a/p q-{w}.webp"),
            avif: None,
        };
        ImageSet {
            width: 1000,
            height: 500,
            variants: vec![v(480), v(1000)],
            fallback: FallbackCopy {
                width: 1000,
                height: 500,
                url: "/a/p q-1000.jpg".into(),
            },
            fallback_format: Fallback::Jpeg,
            source: "p.jpg".into(),
            key: String::new(),
            orientation: image::metadata::Orientation::NoTransforms,
        }
    }

    #[test]
    fn picture_has_both_formats_and_its_size() {
        let html = picture(&set(), "Tea \"cups\"", COLUMN, 2000, Loading::Lazy, None);
        assert!(html.contains("srcset=\"/a/p%20q-480.webp 480w, /a/p%20q-1000.webp 1000w\""));
        assert!(html.contains("width=\"1000\" height=\"500\""));
        assert!(html.contains("alt=\"Tea &quot;cups&quot;\""));
        assert!(html.contains("loading=\"lazy\" decoding=\"async\""));
        let card = picture(&set(), "", CARD, 160, Loading::Priority, Some("c"));
        assert!(card.contains("width=\"160\" height=\"80\""));
        assert!(card.contains("src=\"/a/p%20q-1000.jpg\""));
        assert_eq!(card.matches(".jpg").count(), 1, "one fallback copy: {card}");
        assert!(card.contains("fetchpriority=\"high\""));
        assert!(!card.contains("lazy"));
    }
}
