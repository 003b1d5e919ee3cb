//! Photos: every raster image the site shows (heroes, inline Markdown images, book covers)
//! is hashed and read for its size and orientation once (`sources`, a preparation job,
//! which remembers both while the file is unchanged), then decoded, turned the right way
//! up, resized to a few widths and encoded as lossy WebP plus a JPEG or PNG fallback
//! (`encode`, a render job), with what was encoded kept in `.hearth-cache/images/`
//! (`cache`) and shown as `<picture>` (`html`). Decoding and
//! encoding again is what removes a photo's metadata: nothing of the original file but its
//! pixels reaches the output.

pub mod cache;
pub mod encode;
pub mod html;
pub mod sources;

use std::path::{Path, PathBuf};

use image::metadata::Orientation;
use image::{ImageDecoder, ImageFormat, ImageReader};
use serde::Serialize;

/// The widths (in pixels) a photo is resized to, up to its own width.
pub const WIDTHS: [u32; 5] = [240, 480, 800, 1200, 1600];
/// The width of a photo's one JPEG or PNG copy (or its own, if narrower): wide enough for
/// `og:image` (which wants 1200) and to print on a worksheet's page. Every browser that
/// understands `<picture>` takes a WebP copy, so the ones that would show it are few and
/// old, and one size serves them: a copy per width would double the files a build links.
pub const FALLBACK_WIDTH: u32 = 1200;
/// The biggest photo hearth decodes: a 50-megapixel camera's.
pub const MAX_PIXELS: u64 = 50_000_000;
/// A file this many times smaller than its decoded pixels would be is a decompression
/// bomb, not a photo (a JPEG compresses a photo about 10 times; a PNG of flat colour 100).
const BOMB_RATIO: u64 = 2_000;

/// Why a photo cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageError {
    #[error("cannot read the image `{name}`: {reason}")]
    Unreadable { name: String, reason: String },
    #[error("`{name}` is {format}, which hearth cannot process")]
    Unsupported { name: String, format: String },
    #[error("`{name}` is damaged or not an image: {reason}")]
    Damaged { name: String, reason: String },
    #[error(
        "`{name}` is {width}×{height} pixels ({megapixels} megapixels), more than the 50-megapixel limit"
    )]
    TooLarge {
        name: String,
        width: u32,
        height: u32,
        megapixels: u64,
    },
    #[error(
        "`{name}` says it is {width}×{height} pixels in a file of {bytes} bytes: a decompression bomb, not a photo"
    )]
    Bomb {
        name: String,
        width: u32,
        height: u32,
        bytes: u64,
    },
}

impl ImageError {
    /// How the practice fixes it.
    pub fn help(&self) -> &'static str {
        match self {
            ImageError::Unreadable { .. } => "check that the file exists and can be read",
            ImageError::Unsupported { .. } => {
                "export the photo as JPEG (or PNG for a drawing) and name that file instead"
            }
            ImageError::Damaged { .. } => {
                "open the photo in an image program and save it again as JPEG or PNG"
            }
            ImageError::TooLarge { .. } => {
                "resize the photo to at most 4000 pixels wide before adding it; the site shows at most 1600"
            }
            ImageError::Bomb { .. } => "remove this file; it is not a real photo",
        }
    }
}

/// The file format of the copy browsers without WebP get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    Jpeg,
    Png,
}

impl Fallback {
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Fallback::Jpeg => "image/jpeg",
            Fallback::Png => "image/png",
        }
    }
}

/// One width of a photo: its WebP copy, and its AVIF copy with the `avif` feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site-relative URLs.
    pub webp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avif: Option<String>,
}

/// A photo's one JPEG or PNG copy, [`FALLBACK_WIDTH`] wide (or the photo's own width): what
/// browsers without WebP show, what `og:image`, JSON-LD and feeds name, and what a
/// worksheet's PDF prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FallbackCopy {
    pub width: u32,
    pub height: u32,
    /// Site-relative URL.
    pub url: String,
}

/// One file a photo is published as.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub width: u32,
    pub height: u32,
    pub format: CopyFormat,
    /// Relative to the output folder.
    pub path: PathBuf,
}

/// The formats a photo's copies are encoded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFormat {
    Webp,
    /// Smaller than WebP, many times slower to encode: the `avif` feature.
    Avif,
    /// JPEG or PNG, as `ImageSet::fallback_format` says.
    Fallback,
}

/// A photo as pages show it: its size the right way up, and every resized copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageSet {
    pub width: u32,
    pub height: u32,
    /// Narrowest first.
    pub variants: Vec<Variant>,
    pub fallback: FallbackCopy,
    pub fallback_format: Fallback,
    #[serde(skip)]
    pub source: PathBuf,
    /// SHA-256 of the source's bytes (hex), as last read: the cache key of its copies.
    #[serde(skip)]
    pub key: String,
    #[serde(skip)]
    pub orientation: Orientation,
}

impl ImageSet {
    /// The widest copy.
    pub fn largest(&self) -> &Variant {
        // A set always has at least one variant: `plan_set` makes one per width.
        &self.variants[self.variants.len() - 1]
    }

    /// Every file the photo is published as, narrowest first: per width WebP, AVIF when
    /// there is one, and at the fallback's width the fallback (`plan_set` always makes a
    /// width for it), so that each width is resized once.
    pub fn copies(&self) -> impl Iterator<Item = Copy> {
        let path = |url: &str| PathBuf::from(url.trim_start_matches('/'));
        self.variants.iter().flat_map(move |v| {
            let copy = move |format, url: &str| Copy {
                width: v.width,
                height: v.height,
                format,
                path: path(url),
            };
            [
                Some(copy(CopyFormat::Webp, &v.webp)),
                v.avif.as_deref().map(|avif| copy(CopyFormat::Avif, avif)),
                (v.width == self.fallback.width)
                    .then(|| copy(CopyFormat::Fallback, &self.fallback.url)),
            ]
            .into_iter()
            .flatten()
        })
    }
}

/// What the header of a photo says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probe {
    /// The size the right way up.
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub has_alpha: bool,
    pub format: ImageFormat,
}

fn name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

/// Reads a photo's header from its bytes: format, size, orientation; refuses what hearth
/// will not decode.
pub fn probe_bytes(name: &str, bytes: &[u8]) -> Result<Probe, ImageError> {
    let name = name.to_string();
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Unreadable {
            name: name.clone(),
            reason: e.to_string(),
        })?;
    let bytes = bytes.len() as u64;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => f,
        Some(other) => {
            return Err(ImageError::Unsupported {
                name,
                format: format!("a {other:?} image"),
            });
        }
        None => {
            return Err(ImageError::Damaged {
                name,
                reason: "it does not start like a JPEG, PNG or WebP file".into(),
            });
        }
    };
    let damaged = |e: image::ImageError| ImageError::Damaged {
        name: name.clone(),
        reason: e.to_string(),
    };
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    check_size(&name, width, height, bytes)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let has_alpha = decoder.color_type().has_alpha();
    let (width, height) = if turns_sideways(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Probe {
        width,
        height,
        orientation,
        has_alpha,
        format,
    })
}

/// Refuses pictures too big to decode safely, and files far smaller than their pixels.
pub fn check_size(name: &str, width: u32, height: u32, bytes: u64) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged {
            name: name.into(),
            reason: "it has no pixels".into(),
        });
    }
    if pixels > MAX_PIXELS && pixels / bytes.max(1) > BOMB_RATIO {
        return Err(ImageError::Bomb {
            name: name.into(),
            width,
            height,
            bytes,
        });
    }
    if pixels > MAX_PIXELS {
        return Err(ImageError::TooLarge {
            name: name.into(),
            width,
            height,
            megapixels: pixels.div_ceil(1_000_000),
        });
    }
    Ok(())
}

/// Whether an EXIF orientation swaps width and height.
pub fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The widths a photo `width` pixels wide is published at: the standard ones below its
/// own width, and its own width (at most the widest standard one).
pub fn widths_for(width: u32) -> Vec<u32> {
    let top = width.min(WIDTHS[WIDTHS.len() - 1]);
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < top).collect();
    widths.push(top);
    widths
}

/// Decides a photo's copies: `output` is where the original would be published
/// (`articles/tea/hero.jpg`), and the copies go beside it (`hero-800.webp`).
pub fn plan_set(source: &Path, output: &Path, probe: &Probe, key: String) -> ImageSet {
    let fallback_format = if probe.format == ImageFormat::Png || probe.has_alpha {
        Fallback::Png
    } else {
        Fallback::Jpeg
    };
    let stem = output
        .file_stem()
        .map_or_else(|| "image".into(), |s| s.to_string_lossy().into_owned());
    let dir = output
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let dir = if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir}/")
    };
    let height_at = |width: u32| {
        ((u64::from(probe.height) * u64::from(width)) / u64::from(probe.width.max(1))).max(1) as u32
    };
    let variants = widths_for(probe.width)
        .into_iter()
        .map(|width| Variant {
            width,
            height: height_at(width),
            webp: format!("{dir}{stem}-{width}.webp"),
            avif: cfg!(feature = "avif").then(|| format!("{dir}{stem}-{width}.avif")),
        })
        .collect();
    let width = probe.width.min(FALLBACK_WIDTH);
    let fallback = FallbackCopy {
        width,
        height: height_at(width),
        url: format!("{dir}{stem}-{width}.{}", fallback_format.extension()),
    };
    ImageSet {
        width: probe.width,
        height: probe.height,
        variants,
        fallback,
        fallback_format,
        source: source.to_path_buf(),
        key,
        orientation: probe.orientation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_original() {
        assert_eq!(widths_for(3000), vec![240, 480, 800, 1200, 1600]);
        assert_eq!(widths_for(1000), vec![240, 480, 800, 1000]);
        assert_eq!(widths_for(800), vec![240, 480, 800]);
        assert_eq!(widths_for(100), vec![100]);
    }

    #[test]
    fn every_photo_has_one_fallback_copy_among_its_widths() {
        for width in [1, 100, 240, 799, 1000, 1199, 1200, 1201, 1600, 4000] {
            let probe = Probe {
                width,
                height: 100,
                orientation: Orientation::NoTransforms,
                has_alpha: false,
                format: ImageFormat::Jpeg,
            };
            let set = plan_set(
                Path::new("content/a/p.jpg"),
                Path::new("a/p.jpg"),
                &probe,
                String::new(),
            );
            let fallbacks: Vec<Copy> = set
                .copies()
                .filter(|c| c.format == CopyFormat::Fallback)
                .collect();
            assert_eq!(fallbacks.len(), 1, "{width}");
            assert_eq!(fallbacks[0].width, width.min(FALLBACK_WIDTH));
            assert_eq!(
                fallbacks[0].path,
                PathBuf::from(format!("a/p-{}.jpg", width.min(FALLBACK_WIDTH)))
            );
            assert_eq!(set.copies().count(), set.variants.len() + 1);
        }
    }

    #[test]
    fn a_small_file_with_huge_dimensions_is_a_bomb() {
        assert!(matches!(
            check_size("x.png", 30_000, 30_000, 4_000),
            Err(ImageError::Bomb { .. })
        ));
        assert!(matches!(
            check_size("x.jpg", 9_000, 7_000, 20_000_000),
            Err(ImageError::TooLarge { .. })
        ));
        assert!(check_size("x.jpg", 4_000, 3_000, 3_000_000).is_ok());
    }
}
