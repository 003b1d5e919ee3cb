//! Book covers as pages show them: the cover's photo (made by the image jobs, like every
//! photo) as a small `<picture>` on cards and a larger one on the book's page.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::content::Site;
use crate::content::kinds::Meta;
use crate::images::ImageSet;
use crate::images::html::{self, Loading};

/// Cover widths in CSS pixels: cards show the thumbnail, book pages the large image.
const THUMB_WIDTH: u32 = 160;
const LARGE_WIDTH: u32 = 400;
/// `sizes` of the cover on its book's page.
const LARGE_SIZES: &str = "(min-width: 40rem) 25rem, 60vw";

/// One size of a cover as templates use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// A book's cover in both sizes, with its alt text and its `<picture>`s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverSet {
    pub thumb: Image,
    pub large: Image,
    pub alt: String,
    /// For cards: decorative (the card's title names the book), lazily loaded.
    pub card_html: String,
    /// For the book's own page, with its alt text.
    pub page_html: String,
}

/// Book page `i`'s cover, if it has one and its photo was read.
pub fn cover(site: &Site, sets: &HashMap<PathBuf, ImageSet>, i: usize) -> Option<CoverSet> {
    let Meta::Book(book) = &site.pages[i].meta else {
        return None;
    };
    let set = sets.get(site.images.covers.get(&i)?)?;
    let alt = book.cover_alt.clone().unwrap_or_default();
    // The JPEG or PNG copy, which every program a page is shared with can show, is the
    // large image of `og:image` and JSON-LD, and the thumbnail shown smaller.
    let copy = &set.fallback;
    let thumb_width = THUMB_WIDTH.min(copy.width);
    Some(CoverSet {
        thumb: Image {
            url: copy.url.clone(),
            width: thumb_width,
            height: ((u64::from(copy.height) * u64::from(thumb_width))
                / u64::from(copy.width.max(1)))
            .max(1) as u32,
        },
        large: Image {
            url: copy.url.clone(),
            width: copy.width,
            height: copy.height,
        },
        card_html: html::picture(
            set,
            "",
            html::CARD,
            THUMB_WIDTH,
            Loading::Lazy,
            Some("card-cover"),
        ),
        page_html: html::picture(
            set,
            &alt,
            LARGE_SIZES,
            LARGE_WIDTH,
            Loading::Priority,
            Some("book-cover"),
        ),
        alt,
    })
}
