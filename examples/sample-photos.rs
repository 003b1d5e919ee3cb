//! Makes the sample site's photos (content/articles/photos/): soft, photo-like textures
//! of light and colour, drawn from a fixed seed so anyone can make the same files again.
//! They are our own work, in the public domain (docs/photo-credits.md).
//!
//! cargo run --example sample-photos -- content/articles/photos
//!
//! With a count, it makes that many 12-megapixel photos (4000×3000, `bench-NN.jpg`) for
//! the photo benchmark instead (`scripts/bench-photos.sh`):
//!
//! cargo run --example sample-photos -- /tmp/photos 50

use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// One photo: its file, size, the colours of its light and shade, and its seed.
#[derive(Clone, Copy)]
struct Photo {
    file: &'static str,
    width: u32,
    height: u32,
    light: [f32; 3],
    shade: [f32; 3],
    seed: u32,
}

const PHOTOS: [Photo; 4] = [
    Photo {
        file: "warm-light.jpg",
        width: 1800,
        height: 1200,
        light: [250.0, 214.0, 160.0],
        shade: [92.0, 52.0, 34.0],
        seed: 11,
    },
    Photo {
        file: "blue-horizon.jpg",
        width: 1800,
        height: 1200,
        light: [214.0, 234.0, 244.0],
        shade: [30.0, 70.0, 98.0],
        seed: 29,
    },
    Photo {
        file: "green-leaves.jpg",
        width: 1600,
        height: 1200,
        light: [222.0, 236.0, 200.0],
        shade: [46.0, 70.0, 40.0],
        seed: 7,
    },
    Photo {
        file: "two-tones.jpg",
        width: 1400,
        height: 934,
        light: [238.0, 214.0, 196.0],
        shade: [120.0, 76.0, 64.0],
        seed: 3,
    },
];

/// A repeatable pseudo-random value in 0..1 for a lattice point.
fn hash(x: i32, y: i32, seed: u32) -> f32 {
    let mut h = (x as u32).wrapping_mul(374_761_393)
        ^ (y as u32).wrapping_mul(668_265_263)
        ^ seed.wrapping_mul(2_246_822_519);
    h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    (h ^ (h >> 16)) as f32 / u32::MAX as f32
}

/// Smooth value noise at (x, y), lattice cells `cell` pixels wide.
fn noise(x: f32, y: f32, cell: f32, seed: u32) -> f32 {
    let (gx, gy) = (x / cell, y / cell);
    let (x0, y0) = (gx.floor() as i32, gy.floor() as i32);
    let smooth = |t: f32| t * t * (3.0 - 2.0 * t);
    let (tx, ty) = (smooth(gx - x0 as f32), smooth(gy - y0 as f32));
    let lerp = |a: f32, b: f32, t: f32| a + (b - a) * t;
    let top = lerp(hash(x0, y0, seed), hash(x0 + 1, y0, seed), tx);
    let bottom = lerp(hash(x0, y0 + 1, seed), hash(x0 + 1, y0 + 1, seed), tx);
    lerp(top, bottom, ty)
}

fn draw(photo: &Photo) -> RgbImage {
    RgbImage::from_fn(photo.width, photo.height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        // Light from the top left, broken up by soft blotches and a little grain.
        let light = 1.0 - (fx / photo.width as f32 * 0.35 + fy / photo.height as f32 * 0.65);
        let blotches = 0.55 * noise(fx, fy, 420.0, photo.seed)
            + 0.3 * noise(fx, fy, 160.0, photo.seed + 1)
            + 0.15 * noise(fx, fy, 45.0, photo.seed + 2);
        // Grain, as a camera sensor's: finer detail than the blotches, as in a photo.
        let grain = (hash(x as i32, y as i32, photo.seed + 3) - 0.5) * 0.04;
        let t = (0.55 * light + 0.45 * blotches + grain).clamp(0.0, 1.0);
        let channel =
            |c: usize| (photo.shade[c] + (photo.light[c] - photo.shade[c]) * t).round() as u8;
        Rgb([channel(0), channel(1), channel(2)])
    })
}

fn save(dir: &std::path::Path, file: &str, photo: &Photo, quality: u8) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    draw(photo)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))
        .map_err(std::io::Error::other)?;
    std::fs::write(dir.join(file), &bytes)?;
    println!("{file} ({} KB)", bytes.len() / 1024);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "content/articles/photos".into()),
    );
    std::fs::create_dir_all(&dir)?;
    if let Some(count) = args.next() {
        // Benchmark photos: a phone camera's 12 megapixels, each in its own colours.
        for n in 0..count.parse::<u32>()? {
            let base = &PHOTOS[n as usize % PHOTOS.len()];
            let photo = Photo {
                width: 4000,
                height: 3000,
                seed: 100 + n,
                ..*base
            };
            save(&dir, &format!("bench-{n:02}.jpg"), &photo, 92)?;
        }
        return Ok(());
    }
    for photo in &PHOTOS {
        save(&dir, photo.file, photo, 80)?;
    }
    Ok(())
}
