//! Uploaded images lose their metadata on the way in: EXIF (a phone photo's GPS position,
//! the camera's serial number), XMP and IPTC blocks are dropped without re-encoding, so the
//! picture keeps its quality and no longer says where it was taken.

use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// The file extensions an upload may have (lower case).
pub(crate) const MEDIA_EXTENSIONS: [&str; 5] = ["jpg", "jpeg", "png", "webp", "gif"];

/// PNG chunks that carry metadata: EXIF and the three kinds of text (XMP sits in iTXt).
const PNG_METADATA: [[u8; 4]; 4] = [*b"eXIf", *b"tEXt", *b"iTXt", *b"zTXt"];

/// `bytes` without metadata, for a file named with `extension`; an image that does not
/// parse as its extension says is refused with the reason.
pub(crate) fn strip_metadata(extension: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let bytes = Bytes::from(bytes);
    let unreadable =
        |e: img_parts::Error| format!("the file is not a readable {extension} image ({e})");
    let out = match extension {
        "jpg" | "jpeg" => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(unreadable)?;
            // APP1 holds EXIF and XMP, APP13 holds IPTC (Photoshop); colour profiles (APP2)
            // and the JFIF header (APP0) stay.
            jpeg.remove_segments_by_marker(markers::APP1);
            jpeg.remove_segments_by_marker(markers::APP13);
            jpeg.encoder().bytes()
        }
        "png" => {
            let mut png = Png::from_bytes(bytes).map_err(unreadable)?;
            for kind in PNG_METADATA {
                png.remove_chunks_by_type(kind);
            }
            png.encoder().bytes()
        }
        "webp" => {
            let mut webp = WebP::from_bytes(bytes).map_err(unreadable)?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            webp.encoder().bytes()
        }
        // GIF has no EXIF; its comment blocks carry no position.
        _ => bytes,
    };
    Ok(out.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 JPEG from `image`, with an EXIF segment holding a GPS tag spliced in after SOI.
    pub(crate) fn jpeg_with_gps() -> Vec<u8> {
        let mut plain = Vec::new();
        image::RgbImage::new(1, 1)
            .write_to(
                &mut std::io::Cursor::new(&mut plain),
                image::ImageFormat::Jpeg,
            )
            .expect("encode");
        let exif: &[u8] = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1aGPS-45.5231N-122.6765W";
        let length = u16::try_from(exif.len() + 2).expect("short").to_be_bytes();
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
        out.extend_from_slice(exif);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_its_exif_and_still_decodes() {
        let with = jpeg_with_gps();
        assert!(contains(&with, b"GPS-45.5231N"));
        let without = strip_metadata("jpg", with).expect("strip");
        assert!(!contains(&without, b"Exif\0\0"));
        assert!(!contains(&without, b"GPS-45.5231N"));
        image::load_from_memory(&without).expect("still a JPEG");
    }

    #[test]
    fn a_file_that_is_not_its_kind_is_refused() {
        assert!(strip_metadata("jpg", b"not an image".to_vec()).is_err());
    }
}
