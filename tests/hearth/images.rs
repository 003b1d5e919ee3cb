//! Photos: a phone photo with GPS and a sideways orientation comes out upright, resized
//! and without metadata; pages show `<picture>`s with their sizes; the hero is near the
//! title, in cards and in `og:image`; the cache spares a second build all encoding (and
//! reading unchanged photos), its copies linked read-only into the output; a worksheet's
//! photo is a `<picture>` on its page and a stripped print copy in its PDF; and each bad
//! photo is an error at the line that names it, with nothing written.

use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use crate::support::{Fixture, article, png};

/// A TIFF block (what a JPEG's EXIF segment holds) with the orientation `orientation`,
/// a camera make, and a GPS position: 51° 30' N.
fn exif_block(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    // IFD0 at 8: three entries, then the next-IFD offset (0).
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    let ifd0_len = 2 + 3 * 12 + 4;
    let make_at = 8 + ifd0_len as u32;
    let make = b"PhoneCam\0";
    let gps_at = make_at + make.len() as u32 + 1;
    t.extend(3u16.to_le_bytes());
    t.extend(entry(0x010F, 2, make.len() as u32, make_at));
    t.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    t.extend(entry(0x8825, 4, 1, gps_at));
    t.extend(0u32.to_le_bytes());
    t.extend(make);
    t.push(0);
    // GPS IFD: latitude reference and latitude (three rationals after the IFD).
    let gps_len = 2 + 2 * 12 + 4;
    let rationals_at = gps_at + gps_len as u32;
    t.extend(2u16.to_le_bytes());
    t.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    t.extend(entry(0x0002, 5, 3, rationals_at));
    t.extend(0u32.to_le_bytes());
    for (num, den) in [(51u32, 1u32), (30, 1), (0, 1)] {
        t.extend(num.to_le_bytes());
        t.extend(den.to_le_bytes());
    }
    t
}

/// A 1000×600 JPEG as a phone stores a portrait photo: sideways, with orientation 6
/// ("turn 90° clockwise to show") and GPS in its EXIF. Its top 100 rows are red, so the
/// upright photo has red down its right side.
fn phone_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(1000, 600, |_, y| {
        if y < 100 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 60, 200])
        }
    });
    let mut plain = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut plain),
        image::ImageFormat::Jpeg,
    )
    .expect("jpeg");
    let mut jpeg = Jpeg::from_bytes(plain.into()).expect("parse jpeg");
    jpeg.set_exif(Some(Bytes::from(exif_block(6))));
    let bytes = jpeg.encoder().bytes().to_vec();
    assert!(
        bytes.windows(8).any(|w| w == b"PhoneCam"),
        "fixture has EXIF"
    );
    bytes
}

/// A site with one article whose hero is the phone photo.
fn site_with_photo(body: &str) -> Fixture {
    let f = Fixture::hub();
    f.write(
        "content/articles/tea/index.md",
        &article(
            "Tea",
            "image: photo.jpg\nimage_alt: \"Two mugs of tea on a windowsill\"\nimage_credit: \"Photo by [Sam](https://example.org/sam)\"\n",
            body,
        ),
    );
    f.write_bytes("content/articles/tea/photo.jpg", &phone_photo());
    f
}

#[test]
fn a_phone_photo_comes_out_upright_resized_and_without_metadata() {
    let f = site_with_photo("Text.\n");
    f.build_ok();
    // Upright it is 600 wide: WebP copies at 240, 480 and its own 600, never wider, and
    // one JPEG copy at 600.
    for (width, height, ext) in [
        (240, 400, "webp"),
        (480, 800, "webp"),
        (600, 1000, "webp"),
        (600, 1000, "jpg"),
    ] {
        let rel = format!("public/articles/tea/photo-{width}.{ext}");
        let bytes = std::fs::read(f.path(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let img = image::load_from_memory(&bytes).expect("decodes");
        assert_eq!((img.width(), img.height()), (width, height), "{rel}");
        // The red band (the stored top) is now down the right side.
        let rgb = img.to_rgb8();
        let right = rgb.get_pixel(width - 3, height / 2);
        let left = rgb.get_pixel(2, height / 2);
        assert!(right[0] > 150 && right[2] < 110, "{rel} right {right:?}");
        assert!(left[2] > 150 && left[0] < 110, "{rel} left {left:?}");
        // No EXIF block, no camera, no GPS.
        let exif = if ext == "jpg" {
            Jpeg::from_bytes(bytes.clone().into()).expect("jpeg").exif()
        } else {
            WebP::from_bytes(bytes.clone().into()).expect("webp").exif()
        };
        assert!(exif.is_none(), "{rel} has EXIF");
        assert!(!bytes.windows(8).any(|w| w == b"PhoneCam"), "{rel}");
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{rel}");
    }
    assert!(!f.path("public/articles/tea/photo-800.jpg").exists());
    assert!(!f.path("public/articles/tea/photo-240.jpg").exists());
    assert!(
        !f.path("public/articles/tea/photo.jpg").exists(),
        "original published"
    );
}

#[test]
fn the_hero_is_near_the_title_with_its_credit_in_cards_and_in_og_image() {
    let f = site_with_photo("Text.\n");
    f.build_ok();
    let page = f.html("public/articles/tea/index.html");
    let hero = &page.select("article header + figure.hero-figure picture img")[0];
    let attr = |name| hero.value().attr(name).unwrap_or_default().to_string();
    assert_eq!(attr("alt"), "Two mugs of tea on a windowsill");
    assert_eq!(attr("fetchpriority"), "high");
    assert_eq!(hero.value().attr("loading"), None, "the hero is not lazy");
    assert_eq!(
        (attr("width"), attr("height")),
        ("600".into(), "1000".into())
    );
    // One JPEG copy for browsers without WebP: no `srcset` of JPEGs.
    assert_eq!(attr("src"), "/articles/tea/photo-600.jpg");
    assert_eq!(hero.value().attr("srcset"), None);
    let webp = page.attr("figure.hero-figure source[type='image/webp']", "srcset");
    assert!(webp.contains("/articles/tea/photo-480.webp 480w"), "{webp}");
    let sources = page.attrs("figure.hero-figure source", "type");
    let expected: &[&str] = if cfg!(feature = "avif") {
        &["image/avif", "image/webp"]
    } else {
        &["image/webp"]
    };
    assert_eq!(sources, expected);
    assert_eq!(
        page.attr("figure.hero-figure figcaption a", "href"),
        "https://example.org/sam"
    );
    assert_eq!(page.text("figure.hero-figure figcaption"), "Photo by Sam");
    let og = "https://test.example/articles/tea/photo-600.jpg";
    assert_eq!(page.attr("meta[property='og:image']", "content"), og);
    assert_eq!(page.attr("meta[name='twitter:image']", "content"), og);
    let ld = page.json_ld();
    let article = ld
        .iter()
        .find(|v| v["@type"] == "Article")
        .expect("Article");
    assert_eq!(article["image"], og);
    // The articles list shows a small copy on the card, decorative and lazy.
    let list = f.html("public/articles/index.html");
    let card = &list.select(".card picture.card-photo img")[0];
    assert_eq!(card.value().attr("alt"), Some(""));
    assert_eq!(card.value().attr("loading"), Some("lazy"));
    assert_eq!(
        card.value().attr("src"),
        Some("/articles/tea/photo-600.jpg")
    );
    assert!(
        list.attr(".card picture.card-photo source", "srcset")
            .starts_with("/articles/tea/photo-240.webp 240w")
    );
}

#[test]
fn a_plain_page_can_have_a_hero_from_static() {
    let f = Fixture::hub();
    f.write(
        "content/about.md",
        "---\ntitle: About\nimage: /photos/office.png\nimage_alt: \"The waiting room\"\n---\nHello.\n",
    );
    f.write_bytes("static/photos/office.png", &png(300, 200));
    f.build_ok();
    let page = f.html("public/about/index.html");
    assert_eq!(
        page.attr("figure.hero-figure img", "src"),
        "/photos/office-300.png"
    );
    assert!(f.path("public/photos/office-300.webp").is_file());
    assert!(f.path("public/photos/office-240.webp").is_file());
    assert!(!f.path("public/photos/office-240.png").exists());
    assert!(!f.path("public/photos/office.png").exists());
}

#[test]
fn markdown_images_become_pictures_and_titles_captions() {
    let f = site_with_photo(
        "Before.\n\n![A teapot](pot.png \"Our teapot, \\\"Big Bertha\\\"\")\n\nInline ![a cup](pot.png) here, and a [download](photo.jpg).\n",
    );
    f.write_bytes("content/articles/tea/pot.png", &png(900, 300));
    f.build_ok();
    let page = f.html("public/articles/tea/index.html");
    let figure = &page.select(".prose figure.photo")[0];
    assert_eq!(
        page.text(".prose figure.photo figcaption"),
        "Our teapot, “Big Bertha”"
    );
    let img = figure
        .select(&scraper::Selector::parse("picture img").expect("css"))
        .next()
        .expect("img");
    let a = |name| img.value().attr(name).unwrap_or_default();
    assert_eq!(a("alt"), "A teapot");
    assert_eq!((a("width"), a("height")), ("672", "224"));
    assert_eq!((a("loading"), a("decoding")), ("lazy", "async"));
    assert_eq!(a("src"), "/articles/tea/pot-900.png");
    let source = |name| page.attr(".prose figure.photo source[type='image/webp']", name);
    assert_eq!(
        source("srcset"),
        "/articles/tea/pot-240.webp 240w, /articles/tea/pot-480.webp 480w, /articles/tea/pot-800.webp 800w, /articles/tea/pot-900.webp 900w"
    );
    assert!(source("sizes").contains("42rem"));
    // An image inside a sentence stays in its paragraph, without a figure.
    assert_eq!(page.select(".prose p picture img[alt='a cup']").len(), 1);
    assert_eq!(page.select(".prose figure").len(), 1);
    // The page links to the photo itself: that original is published; the teapot's is not.
    assert_eq!(
        std::fs::read(f.path("public/articles/tea/photo.jpg")).expect("linked original"),
        phone_photo()
    );
    assert!(!f.path("public/articles/tea/pot.png").exists());
    // The feed shows a plain image with an absolute URL.
    let feed = f.read("public/atom.xml");
    assert!(
        feed.contains("src=&quot;https://test.example/articles/tea/pot-900.png&quot;"),
        "{feed}"
    );
}

/// The photo figures of `hearth build`'s summary line: copies encoded, copies taken from
/// the cache, originals read.
fn photo_counts(stdout: &str) -> (usize, usize, usize) {
    let part = stdout
        .split("photos: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no photo counts in {stdout}"));
    let numbers: Vec<usize> = part
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().expect("number"))
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

/// Sets a file's modification time an hour back, as a file not touched since a while.
fn settle(path: &std::path::Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    file.set_modified(hour_ago)
        .expect("set the modification time");
}

fn cache_entries(f: &Fixture) -> usize {
    std::fs::read_dir(f.path(".hearth-cache/images"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn a_second_build_encodes_nothing_and_unused_copies_are_pruned() {
    let f = site_with_photo("Text.\n");
    // Three widths as WebP (and AVIF with the `avif` feature), and one JPEG.
    let copies = if cfg!(feature = "avif") { 7 } else { 4 };
    let photo_path = f.path("content/articles/tea/photo.jpg");
    settle(&photo_path);
    let first = f.build_ok();
    assert_eq!(photo_counts(&first.stdout), (copies, 0, 1));
    assert_eq!(cache_entries(&f), copies);
    let output = crate::support::snapshot(&f.path("public"));
    // The photo is known by its size and times: not even read.
    let second = f.build_ok();
    assert_eq!(photo_counts(&second.stdout), (0, copies, 0));
    assert_eq!(crate::support::snapshot(&f.path("public")), output);
    // A modification time alone changes nothing: the photo is read again, and the cache
    // goes by its bytes.
    let photo = std::fs::read(&photo_path).expect("read");
    f.write_bytes("content/articles/tea/photo.jpg", &photo);
    assert_eq!(photo_counts(&f.build_ok().stdout), (0, copies, 1));
    // A photo changed in content (new bytes, a new modification time) is read and
    // encoded, and the old one's copies leave the cache.
    f.write_bytes("content/articles/tea/photo.jpg", &png(500, 250));
    let third = f.build_ok();
    assert_eq!(photo_counts(&third.stdout), (copies, 0, 1));
    assert_eq!(cache_entries(&f), copies);
    let page = f.html("public/articles/tea/index.html");
    assert_eq!(page.attr(".hero-photo img", "width"), "500");
    let copy = image::load_from_memory(
        &std::fs::read(f.path("public/articles/tea/photo-500.png")).expect("new copy"),
    )
    .expect("decodes");
    assert_eq!((copy.width(), copy.height()), (500, 250));
}

/// The published copies are the cache's files, linked: nothing is copied, and nothing can
/// change the cache through them.
#[cfg(unix)]
#[test]
fn published_copies_are_read_only_links_to_the_cache_and_survive_a_deleted_output() {
    use std::os::unix::fs::MetadataExt as _;
    let f = site_with_photo("Text.\n");
    f.build_ok();
    let published = f.path("public/articles/tea/photo-480.webp");
    let meta = std::fs::metadata(&published).expect("published copy");
    assert!(
        meta.permissions().readonly(),
        "a published copy is read-only"
    );
    let in_cache = std::fs::read_dir(f.path(".hearth-cache/images"))
        .expect("cache")
        .flatten()
        .find(|e| e.metadata().is_ok_and(|m| m.ino() == meta.ino()));
    assert!(in_cache.is_some(), "the published copy is a cache file");
    let bytes = std::fs::read(&published).expect("read");
    // Deleted output: the next build links the same files again.
    std::fs::remove_dir_all(f.path("public")).expect("remove public");
    let again = f.build_ok();
    assert_eq!(photo_counts(&again.stdout).0, 0);
    assert_eq!(std::fs::read(&published).expect("read again"), bytes);
}

#[test]
fn svg_and_gif_are_copied_as_they_are_and_svg_through_the_privacy_gate() {
    let f = Fixture::hub();
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    f.write(
        "content/articles/a/index.md",
        &article("A", "", "![A dot](dot.gif)\n\n![A circle](circle.svg)\n"),
    );
    f.write_bytes("content/articles/a/dot.gif", gif);
    f.write(
        "content/articles/a/circle.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>",
    );
    f.build_ok();
    assert_eq!(
        std::fs::read(f.path("public/articles/a/dot.gif")).expect("gif"),
        gif
    );
    let page = f.html("public/articles/a/index.html");
    assert_eq!(page.attr("img[alt='A dot']", "src"), "dot.gif");
    f.write(
        "content/articles/a/circle.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://tracker.example/p.png\"/></svg>",
    );
    f.build()
        .fails_with(&["content/articles/a/circle.svg", "tracker.example"]);
}

/// A PNG whose header says `width`×`height`, padded to `padding` bytes after its end.
fn png_claiming(width: u32, height: u32, padding: usize) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // IHDR's data starts at byte 16; its CRC covers the type and data (bytes 12..29).
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    assert!(Png::from_bytes(bytes.clone().into()).is_ok());
    bytes.extend(std::iter::repeat_n(0u8, padding));
    bytes
}

/// Builds a site whose article shows `file` (written with `bytes`) on line 7, column 1,
/// and asserts the build fails there with `message`, writing nothing.
fn fails_at_markdown_line(file: &str, bytes: &[u8], message: &str) {
    let f = Fixture::hub();
    f.write(
        "content/articles/a/index.md",
        &article("A", "", &format!("Text.\n\n![A photo]({file})\n")),
    );
    f.write_bytes(&format!("content/articles/a/{file}"), bytes);
    f.build()
        .fails_with(&["content/articles/a/index.md:7:1", message]);
    assert!(!f.path("public").exists(), "a failed build wrote public/");
}

#[test]
fn a_damaged_photo_is_an_error_at_its_markdown_line() {
    fails_at_markdown_line(
        "broken.jpg",
        b"not a photo at all",
        "is damaged or not an image",
    );
    // A PNG cut off after its header passes the first look and fails when decoded.
    let mut cut = png(600, 400);
    cut.truncate(cut.len() / 2);
    fails_at_markdown_line("cut.png", &cut, "is damaged or not an image");
}

#[test]
fn an_unsupported_format_is_an_error() {
    fails_at_markdown_line("photo.heic", b"....ftypheic", "is a HEIC image");
    // A BMP under a .jpg name is found out by its content.
    fails_at_markdown_line(
        "photo.jpg",
        b"BM\x1e\x00\x00\x00",
        "which hearth cannot process",
    );
}

#[test]
fn a_decompression_bomb_and_a_huge_photo_are_refused() {
    fails_at_markdown_line(
        "bomb.png",
        &png_claiming(60_000, 60_000, 0),
        "a decompression bomb",
    );
    fails_at_markdown_line(
        "huge.png",
        &png_claiming(9_000, 7_000, 200_000),
        "more than the 50-megapixel limit",
    );
}

#[test]
fn hero_mistakes_are_errors_at_their_front_matter_line() {
    let f = Fixture::hub();
    f.write(
        "content/articles/gone.md",
        &article("Gone", "image: gone.jpg\nimage_alt: A photo\n", ""),
    );
    f.write(
        "content/articles/noalt.md",
        &article("No alt", "image: here.png\n", ""),
    );
    f.write_bytes("content/articles/here.png", &png(20, 20));
    f.write(
        "content/articles/typo.md",
        &article("Typo", "image_credits: Someone\n", ""),
    );
    f.write(
        "content/articles/missing.md",
        &article("Missing", "", "Text.\n\n![A photo](nowhere.jpg)\n"),
    );
    f.build().fails_with(&[
        "content/articles/gone.md:4:8",
        "the image `gone.jpg` does not exist",
        "content/articles/noalt.md:4:8",
        "the image has no alt text",
        "image_alt",
        "content/articles/typo.md:4:1",
        "unknown field `image_credits`",
        "content/articles/missing.md:7:1",
        "the image `nowhere.jpg` does not exist",
    ]);
    assert!(!f.path("public").exists());
}

/// The width and height of every image a PDF holds.
#[cfg(feature = "pdf")]
fn pdf_image_sizes(pdf: &std::path::Path) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load(pdf).expect("parse PDF");
    let mut sizes: Vec<(i64, i64)> = doc
        .objects
        .values()
        .filter_map(|object| {
            let dict = &object.as_stream().ok()?.dict;
            if dict.get(b"Subtype").ok()?.as_name().ok()? != b"Image" {
                return None;
            }
            let number = |key: &[u8]| dict.get(key).ok()?.as_i64().ok();
            Some((number(b"Width")?, number(b"Height")?))
        })
        .collect();
    sizes.sort_unstable();
    sizes
}

#[cfg(feature = "pdf")]
#[test]
fn a_worksheet_photo_is_a_picture_on_its_page_and_a_stripped_print_copy_in_its_pdf() {
    let f = Fixture::hub();
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/worksheets/calm/index.md",
        "---\ntitle: A calm place\n---\nPicture a place where you feel safe.\n\n\
         ![A lake at dawn](lake.jpg \"Where I go in my mind\")\n\n\
         What do you hear there?\n\n___\n\n![A wide meadow](meadow.png)\n\n![](leaf.png \"decorative\")\n",
    );
    f.write_bytes("content/worksheets/calm/lake.jpg", &phone_photo());
    f.write_bytes("content/worksheets/calm/meadow.png", &png(2000, 1000));
    f.write_bytes("content/worksheets/calm/leaf.png", &png(300, 300));
    f.build_ok();

    let page = f.html("public/worksheets/calm/index.html");
    let figure = page.select("figure.photo");
    assert_eq!(figure.len(), 3, "{}", page.0.html());
    let webp = page.attr("figure.photo source[type='image/webp']", "srcset");
    assert!(webp.contains("lake-480.webp 480w"), "{webp}");
    assert_eq!(
        page.attr("figure.photo img[alt='A lake at dawn']", "width"),
        "600"
    );
    assert_eq!(
        page.text("figure.photo figcaption"),
        "Where I go in my mind"
    );
    // The page's copies, never the originals.
    assert!(f.path("public/worksheets/calm/lake-600.jpg").is_file());
    assert!(!f.path("public/worksheets/calm/lake.jpg").exists());
    assert!(!f.path("public/worksheets/calm/meadow.png").exists());

    // The PDF prints each photo from its stripped, resized copy: the phone photo upright
    // at its own 600 pixels, the meadow at 1200 rather than 2000 (the decorative leaf as
    // an artifact, at its own 300); no EXIF anywhere.
    let pdf = f.path("public/worksheets/calm.pdf");
    assert_eq!(
        pdf_image_sizes(&pdf),
        vec![(300, 300), (600, 1000), (1200, 600)]
    );
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(
        !bytes.windows(8).any(|w| w == b"PhoneCam"),
        "no camera in the PDF"
    );
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "no EXIF in the PDF"
    );
}

#[test]
fn a_worksheet_photo_beside_text_or_from_elsewhere_is_an_error_at_its_line() {
    let f = Fixture::hub();
    f.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nkind: worksheets\n---\n",
    );
    f.write(
        "content/worksheets/calm.md",
        "---\ntitle: A calm place\n---\nSee ![a lake](lake.jpg) here.\n\n![A field](https://photos.example/field.jpg)\n",
    );
    f.write_bytes("content/worksheets/lake.jpg", &png(20, 10));
    f.build().fails_with(&[
        "content/worksheets/calm.md:4:5",
        "a photo on a worksheet goes on a line of its own",
        "content/worksheets/calm.md:6:1",
        "only the site's own photos",
    ]);
}

#[cfg(feature = "avif")]
#[test]
fn with_the_avif_feature_every_width_has_an_avif_copy_offered_first() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a/index.md",
        &article("A", "", "![A small drawing](pot.png)\n"),
    );
    f.write_bytes("content/articles/a/pot.png", &png(300, 200));
    f.build_ok();
    let page = f.html("public/articles/a/index.html");
    assert_eq!(
        page.attrs("figure.photo source", "type"),
        ["image/avif", "image/webp"]
    );
    let srcset = page.attr("source[type='image/avif']", "srcset");
    assert!(srcset.contains("pot-240.avif 240w"), "{srcset}");
    let avif = std::fs::read(f.path("public/articles/a/pot-300.avif")).expect("avif copy");
    assert_eq!(&avif[4..12], b"ftypavif");
}
