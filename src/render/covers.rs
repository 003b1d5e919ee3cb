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
    let size = |display: u32| {
        let v = set.at_least(display);
        let width = display.min(set.largest().width);
        Image {
            url: v.fallback.clone(),
            width,
            height: ((u64::from(set.height) * u64::from(width)) / u64::from(set.width.max(1)))
                .max(1) as u32,
        }
    };
    // The large image shared as `og:image` and in JSON-LD is the largest copy.
    let largest = set.largest();
    Some(CoverSet {
        thumb: size(THUMB_WIDTH),
        large: Image {
            url: largest.fallback.clone(),
            width: largest.width,
            height: largest.height,
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
