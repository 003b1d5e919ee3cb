//! Fixture sites in temp folders, the `hearth` binary, and HTML helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub const SITE_TOML: &str = "title = \"Test Practice\"\nbase_url = \"https://test.example\"\n";

/// A site in a temp folder, removed when dropped.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A site with a minimal site.toml and nothing else.
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("site.toml", SITE_TOML);
        f
    }

    /// A site with an articles section and a books section.
    pub fn hub() -> Fixture {
        let f = Fixture::new();
        f.write(
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome home.\n",
        );
        f.write(
            "content/articles/_index.md",
            "---\ntitle: Articles\nkind: articles\n---\n",
        );
        f.write(
            "content/books/_index.md",
            "---\ntitle: Books\nkind: books\n---\n",
        );
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Fixture {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Fixture {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run hearth");
        Run::from(output)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds and fails the test with the diagnostics if the build fails.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the run failed with exit code 1 and its output contains every fragment.
    pub fn fails_with(&self, fragments: &[&str]) {
        assert_eq!(
            self.code, 1,
            "expected exit 1, got {}:\n{}{}",
            self.code, self.stdout, self.stderr
        );
        for f in fragments {
            assert!(
                self.stderr.contains(f),
                "missing {f:?} in:\n{}",
                self.stderr
            );
        }
    }
}

/// A parsed HTML page.
pub struct Page(pub Html);

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&selector).collect()
    }

    /// Text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {css}"))
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.attrs(css, attr)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {attr} on {css}"))
    }

    /// Every JSON-LD block, parsed (the test fails if one is not valid JSON).
    pub fn json_ld(&self) -> Vec<serde_json::Value> {
        self.select("script[type=\"application/ld+json\"]")
            .iter()
            .map(|s| {
                let text: String = s.text().collect();
                serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {text}"))
            })
            .collect()
    }
}

/// A minimal article with the given extra front matter and body.
pub fn article(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-05-01\n{extra}---\n{body}")
}

/// A one-pixel-wide PNG of the given size, for covers.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([40, 110, 100]));
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .expect("png");
    bytes
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}
