//! Book covers: a thumbnail and a larger image resized at build time with `image`, with
//! their sizes known before any page is rendered so `<img>` gets width and height.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageFormat;
use image::imageops::FilterType;
use serde::Serialize;

use crate::content::Site;
use crate::content::books::cover_path;
use crate::content::kinds::Meta;
use crate::diagnostics::Diagnostic;
use crate::inside::{Outside, SiteRoot};
use crate::output::Output;

/// Cover widths in CSS pixels: cards show the thumbnail, book pages the large image.
const THUMB_WIDTH: u32 = 160;
const LARGE_WIDTH: u32 = 400;

/// One resized image as templates use it.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// A book's cover in both sizes, with its alt text, and the work of making them.
#[derive(Debug, Clone, Serialize)]
pub struct CoverSet {
    pub thumb: Image,
    pub large: Image,
    pub alt: String,
    #[serde(skip)]
    pub job: CoverJob,
}

/// The work of resizing one cover.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverJob {
    pub source: PathBuf,
    /// Path of the book page's source, for error messages.
    pub page: PathBuf,
    pub format: ImageFormat,
    /// (output path, width, height) for each size.
    pub sizes: Vec<(PathBuf, u32, u32)>,
}

/// Where book page `i`'s cover is read from, if it has one.
pub fn source(site: &Site, i: usize) -> Option<PathBuf> {
    let page = &site.pages[i];
    match &page.meta {
        Meta::Book(book) => book.cover.as_ref().map(|c| cover_path(&site.root, page, c)),
        _ => None,
    }
}

/// Reads book page `i`'s cover dimensions (header only) and decides the resized files.
pub fn size(site: &Site, i: usize) -> Result<Option<CoverSet>, Diagnostic> {
    let page = &site.pages[i];
    let Meta::Book(book) = &page.meta else {
        return Ok(None);
    };
    let Some(cover) = &book.cover else {
        return Ok(None);
    };
    let source = cover_path(&site.root, page, cover);
    // A resized cover is published like any file: `cover: ../../x.png`, an absolute
    // path or a link may not bring in an image from outside the site.
    match SiteRoot::new(&site.root).check(&source) {
        Ok(()) => {}
        Err(Outside::Path { real, .. }) => {
            return Err(Diagnostic::error(
                &page.path,
                format!(
                    "the cover image `{cover}` is outside the site folder (it is {}); hearth never publishes files from outside the site",
                    real.display()
                ),
            )
            .with_help("put a copy of the image beside the book's Markdown file and name it in `cover:`"));
        }
        Err(link) => return Err(link.into()),
    }
    let (w, h) = image::image_dimensions(&source).map_err(|e| {
        Diagnostic::error(
            &page.path,
            format!("cannot read the cover image `{cover}`: {e}"),
        )
        .with_help("use a PNG, JPEG or WebP image")
    })?;
    let format = match ImageFormat::from_path(&source) {
        Ok(ImageFormat::Png) => ImageFormat::Png,
        _ => ImageFormat::Jpeg,
    };
    let ext = if format == ImageFormat::Png {
        "png"
    } else {
        "jpg"
    };
    let stem = Path::new(cover)
        .file_stem()
        .map_or("cover".into(), |s| s.to_string_lossy().into_owned());
    let dir = page.url.trim_start_matches('/');
    let size = |target: u32| {
        let width = target.min(w);
        let height = ((h as u64 * width as u64) / w.max(1) as u64).max(1) as u32;
        let url = format!("{}{stem}-{width}.{ext}", page.url);
        (
            PathBuf::from(format!("{dir}{stem}-{width}.{ext}")),
            Image { url, width, height },
        )
    };
    let (thumb_path, thumb) = size(THUMB_WIDTH);
    let (large_path, large) = size(LARGE_WIDTH);
    let mut sizes = vec![(thumb_path, thumb.width, thumb.height)];
    // A cover narrower than the large size has one file serving as both.
    if large.width != thumb.width {
        sizes.push((large_path, large.width, large.height));
    }
    let job = CoverJob {
        source,
        page: page.path.clone(),
        format,
        sizes,
    };
    let alt = book.cover_alt.clone().unwrap_or_default();
    Ok(Some(CoverSet {
        thumb,
        large,
        alt,
        job,
    }))
}

/// Decodes the cover once and writes each size.
pub fn run(cover: &CoverSet) -> Result<Vec<Output>, Diagnostic> {
    let job = &cover.job;
    let fail = |e: image::ImageError| {
        Diagnostic::error(
            &job.page,
            format!("cannot resize the cover {}: {e}", job.source.display()),
        )
        .with_help("check that the image file is not damaged; re-export it as PNG or JPEG")
    };
    let img = image::open(&job.source).map_err(fail)?;
    let mut outputs = Vec::with_capacity(job.sizes.len());
    for (path, width, height) in &job.sizes {
        let resized = img.resize_exact(*width, *height, FilterType::CatmullRom);
        let mut bytes = Vec::new();
        let encoded = if job.format == ImageFormat::Png {
            resized.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        } else {
            resized
                .to_rgb8()
                .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
        };
        encoded.map_err(fail)?;
        outputs.push(Output::bytes(path.clone(), bytes));
    }
    Ok(outputs)
}
