//! The pixel work on one photo: decode within limits, apply its EXIF orientation, resize
//! with `fast_image_resize`, encode lossy WebP with libwebp and the JPEG or PNG fallback
//! with `image`. Only pixels go in and out, so no metadata survives.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;

use super::{Fallback, ImageError, ImageSet};

/// WebP quality (0-100): 80 is libwebp's "good photo" setting; faces and skin stay
/// smooth at half the size of the JPEG fallback.
const WEBP_QUALITY: f32 = 80.0;
/// JPEG quality of the fallback: visually the original, at a fraction of a phone's size.
const JPEG_QUALITY: u8 = 82;

fn damaged(set: &ImageSet, reason: impl std::fmt::Display) -> ImageError {
    ImageError::Damaged {
        name: super::name_of(&set.source),
        reason: reason.to_string(),
    }
}

/// Decodes the photo from `bytes` and turns it the right way up, as 8-bit RGB (or RGBA
/// when it has transparency).
pub fn decode(set: &ImageSet, bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    // `probe` refused more than MAX_PIXELS from the header; `image`'s default limits
    // (512 MiB at most for one decode) hold even a lying header to that. Called without
    // generics, so the decoders run as optimised in `image` even in a debug build.
    let mut image = image::load_from_memory(bytes).map_err(|e| damaged(set, e))?;
    image.apply_orientation(set.orientation);
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// The photo at `width` × `height` (Lanczos, the sharpest of the usual filters).
pub fn resize(
    set: &ImageSet,
    image: &DynamicImage,
    width: u32,
    height: u32,
) -> Result<DynamicImage, ImageError> {
    if (image.width(), image.height()) == (width, height) {
        return Ok(image.clone());
    }
    let mut out = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| damaged(set, e))?;
    Ok(out)
}

/// Lossy WebP.
pub fn webp(set: &ImageSet, image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let (width, height) = (image.width(), image.height());
    let encoder = match image {
        DynamicImage::ImageRgba8(pixels) => webp::Encoder::from_rgba(pixels, width, height),
        DynamicImage::ImageRgb8(pixels) => webp::Encoder::from_rgb(pixels, width, height),
        other => {
            return Err(damaged(
                set,
                format!("unexpected pixels {:?}", other.color()),
            ));
        }
    };
    Ok(encoder.encode(WEBP_QUALITY).to_vec())
}

/// AVIF quality (0-100) and speed (1 slowest to 10 fastest) of the `avif` feature: 60 looks
/// like WebP's 80 at about two thirds of its size; speed 6 is ravif's balance of time
/// against size.
#[cfg(feature = "avif")]
const AVIF_QUALITY: u8 = 60;
#[cfg(feature = "avif")]
const AVIF_SPEED: u8 = 6;

/// AVIF through `image`'s rav1e-based encoder (the `avif` feature).
#[cfg(feature = "avif")]
pub fn avif(set: &ImageSet, image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::avif::AvifEncoder::new_with_speed_quality(
        &mut bytes,
        AVIF_SPEED,
        AVIF_QUALITY,
    );
    image
        .write_with_encoder(encoder)
        .map_err(|e| damaged(set, e))?;
    Ok(bytes)
}

/// Without the `avif` feature no set names an AVIF copy (`plan_set`), so this is never
/// asked for.
#[cfg(not(feature = "avif"))]
pub fn avif(set: &ImageSet, _: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    Err(damaged(
        set,
        "this hearth was built without AVIF (the `avif` feature)",
    ))
}

/// The fallback copy: JPEG for photos, PNG for images with transparency or drawn as PNG.
pub fn fallback(
    set: &ImageSet,
    image: &DynamicImage,
    format: Fallback,
) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    let written = match format {
        Fallback::Jpeg => image
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)),
        Fallback::Png => image.write_with_encoder(PngEncoder::new(&mut bytes)),
    };
    written.map_err(|e| damaged(set, e))?;
    Ok(bytes)
}
