//! `hearth edit`: raw HTTP against a running `hearth edit --no-open --port 0`. Its guard
//! (own Host, own Origin for writes), the paths it refuses, saves checked by the loader
//! before anything is written, front matter in `hearth new`'s style, uploads without EXIF.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::support::Fixture;

/// A running `hearth edit`, stopped when dropped.
struct Editor {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A site with an article, a book and a worksheet section.
fn site() -> Fixture {
    let f = Fixture::hub();
    f.write(
        "content/books/feeling-good.md",
        "---\ntitle: \"Feeling Good\"\nauthor: \"David Burns\"\n---\n\nA classic.\n",
    );
    f.write(
        "content/articles/first.md",
        "---\ntitle: \"First\"\ndate: 2026-01-05\ntopics: [anxiety]\nbooks: [feeling-good]\n---\n\nHello.\n",
    );
    f
}

impl Editor {
    fn start(f: &Fixture) -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["edit", "--no-open", "--port", "0", "--root"])
            .arg(f.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start hearth edit");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("first line");
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let Some(address) = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
        else {
            let mut err = String::new();
            let _ = child
                .stderr
                .take()
                .expect("stderr")
                .read_to_string(&mut err);
            panic!("hearth edit did not start: {line}{err}");
        };
        let address = address.to_string();
        Editor { child, address }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// One request with exactly the given headers; returns the status and the body.
    fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let text = String::from_utf8_lossy(&response).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, unchunk(&body, &text))
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.raw("GET", path, &[("Host", &self.address)], "")
    }

    /// An API request as the editor makes it (own Host and Origin).
    fn api(&self, request: &Value) -> (u16, Value) {
        let origin = self.origin();
        let (status, body) = self.raw(
            "POST",
            "/api/v1",
            &[("Host", &self.address), ("Origin", &origin)],
            &request.to_string(),
        );
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    fn save(&self, path: &str, raw: &str) -> (u16, Value) {
        self.persist(&[(path, raw)], json!([]))
    }

    /// A save of one page as Decap sends it: the page's file in each language
    /// (`(path, raw)`), and the uploads saved with it.
    fn persist(&self, files: &[(&str, &str)], assets: Value) -> (u16, Value) {
        let files: Vec<Value> = files
            .iter()
            .map(|(path, raw)| json!({ "slug": "x", "path": path, "raw": raw }))
            .collect();
        self.api(&json!({
            "action": "persistEntry",
            "params": {
                "branch": "main",
                "dataFiles": files,
                "assets": assets,
                "options": { "commitMessage": "save", "useWorkflow": false, "status": "" },
            },
        }))
    }
}

/// The body of a chunked response, decoded (axum chunks streamed bodies).
fn unchunk(body: &str, whole: &str) -> String {
    if !whole
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_string();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn edit_listens_on_loopback_only() {
    let f = site();
    let editor = Editor::start(&f);
    assert!(
        editor.address.starts_with("127.0.0.1:"),
        "{}",
        editor.address
    );
    let (status, page) = editor.get("/admin/");
    assert_eq!(status, 200);
    assert!(page.contains("/admin/decap-cms.js"), "{page}");
}

#[test]
fn edit_admin_may_only_reach_its_own_server() {
    let f = site();
    let editor = Editor::start(&f);
    let mut stream = TcpStream::connect(&editor.address).expect("connect");
    let request = format!(
        "GET /admin/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        editor.address
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let policy = response
        .lines()
        .find_map(|l| l.strip_prefix("content-security-policy: "))
        .expect("a Content-Security-Policy header");
    assert!(policy.starts_with("default-src 'self';"), "{policy}");
    assert!(
        policy.contains("connect-src 'self' blob: data:;"),
        "{policy}"
    );
    assert!(!policy.contains("http"), "{policy}");
    let (status, bundle) = editor.get("/admin/decap-cms.js");
    assert_eq!(status, 200);
    assert!(bundle.len() > 1_000_000);
}

#[test]
fn edit_refuses_requests_for_another_host() {
    let f = site();
    let editor = Editor::start(&f);
    let port = editor.address.split(':').nth(1).expect("port");
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1:1",
    ] {
        for path in ["/", "/admin/", "/admin/config.yml"] {
            let (status, _) = editor.raw("GET", path, &[("Host", host)], "");
            assert_eq!(status, 421, "{host} {path}");
        }
        let (status, _) = editor.raw(
            "POST",
            "/api/v1",
            &[("Host", host), ("Origin", &format!("http://{host}"))],
            r#"{"action":"info"}"#,
        );
        assert_eq!(status, 421, "{host}");
    }
    assert_eq!(editor.get("/").0, 200);
}

#[test]
fn edit_writes_need_the_servers_own_origin() {
    let f = site();
    let editor = Editor::start(&f);
    let info = r#"{"action":"info","params":{}}"#;
    let host = editor.address.clone();
    let without = editor.raw("POST", "/api/v1", &[("Host", &host)], info);
    assert_eq!(without.0, 403, "{}", without.1);
    for origin in ["http://evil.example", "null", "https://127.0.0.1"] {
        let (status, _) = editor.raw(
            "POST",
            "/api/v1",
            &[("Host", &host), ("Origin", origin)],
            info,
        );
        assert_eq!(status, 403, "{origin}");
    }
    // A cross-site page saving: refused, and nothing written.
    let evil = json!({"action":"persistEntry","params":{"dataFiles":[{"path":"content/articles/evil.md","raw":"---\ntitle: Evil\n---\n"}],"assets":[]}});
    let (status, _) = editor.raw(
        "POST",
        "/api/v1",
        &[("Host", &host), ("Origin", "http://evil.example")],
        &evil.to_string(),
    );
    assert_eq!(status, 403);
    assert!(!f.path("content/articles/evil.md").exists());
    let (status, answer) = editor.api(&json!({"action": "info", "params": {}}));
    assert_eq!(status, 200);
    assert_eq!(answer["type"], "local_fs");
}

#[test]
fn edit_keeps_writes_inside_content_static_and_site_toml() {
    let f = site();
    let outside = tempfile::tempdir().expect("temp");
    let editor = Editor::start(&f);
    // Made after the start: a site with such a link does not build, so edit would not start.
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), f.path("content/away")).expect("link");
    let page = "---\ntitle: \"X\"\n---\n";
    for path in [
        "../escaped.md",
        "content/../../escaped.md",
        "/tmp/escaped.md",
        "content/articles/x.html",
        "templates/x.md",
        "content/away/escaped.md",
    ] {
        let (status, answer) = editor.save(path, page);
        assert_eq!(status, 403, "{path}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .is_some_and(|e| e.contains("does not touch")),
            "{answer}"
        );
    }
    assert!(
        !f.root()
            .parent()
            .expect("parent")
            .join("escaped.md")
            .exists()
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("dir").count(), 0);
    // Reading outside is refused too.
    let (status, _) =
        editor.api(&json!({"action":"getEntry","params":{"path":"../../etc/passwd"}}));
    assert_eq!(status, 403);
}

#[test]
fn edit_saves_in_hearth_new_style_and_the_preview_shows_it() {
    let f = site();
    let editor = Editor::start(&f);
    let decap = "---\nbooks:\n  - feeling-good\ntopics:\n  - sleep\ndate: '2026-03-14'\ntitle: Better sleep\ndraft: false\n---\nRest well.\n";
    let (status, answer) = editor.save("content/articles/better-sleep.md", decap);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        std::fs::read_to_string(f.path("content/articles/better-sleep.md")).expect("written"),
        "---\ntitle: \"Better sleep\"\ndate: 2026-03-14\ndraft: false\ntopics: [sleep]\nbooks: [feeling-good]\n---\n\nRest well.\n"
    );
    let started = Instant::now();
    loop {
        let (status, page) = editor.get("/articles/better-sleep/");
        if status == 200 {
            assert!(page.contains("Rest well."));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the preview never showed the page"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Listing a section gives its pages, not the section's own _index.md in any language.
    f.write(
        "content/articles/_index.es.md",
        "---\ntitle: Artículos\nkind: articles\n---\n",
    );
    let (_, entries) = editor.api(&json!({"action":"entriesByFolder","params":{"folder":"content/articles","extension":"md","depth":1}}));
    let paths: Vec<&str> = entries
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["file"]["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "content/articles/better-sleep.md",
            "content/articles/first.md"
        ]
    );
}

#[test]
fn edit_refuses_a_save_that_breaks_the_build_and_keeps_the_file() {
    let f = site();
    let before = std::fs::read_to_string(f.path("content/articles/first.md")).expect("read");
    let editor = Editor::start(&f);
    let broken = "---\ntitle: First\nbooks:\n  - no-such-book\nmood: calm\n---\nHello.\n";
    let (status, answer) = editor.save("content/articles/first.md", broken);
    assert_eq!(status, 422, "{answer}");
    let error = answer["error"].as_str().expect("error text");
    assert!(error.contains("content/articles/first.md"), "{error}");
    assert!(error.contains("mood"), "{error}");
    assert!(!error.contains("/tmp/"), "{error}");
    assert_eq!(
        std::fs::read_to_string(f.path("content/articles/first.md")).expect("read"),
        before
    );
}

#[test]
fn edit_strips_gps_exif_from_uploads() {
    let f = site();
    let editor = Editor::start(&f);
    let mut plain = Vec::new();
    image::RgbImage::new(2, 2)
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Jpeg,
        )
        .expect("jpeg");
    let exif: &[u8] = b"Exif\0\0MM\0\x2a\0\0\0\x08GPSLatitude 45.5231 N";
    let length = u16::try_from(exif.len() + 2).expect("short").to_be_bytes();
    let mut photo = plain[..2].to_vec();
    photo.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
    photo.extend_from_slice(exif);
    photo.extend_from_slice(&plain[2..]);
    let content = base64::engine::general_purpose::STANDARD.encode(&photo);
    let (status, answer) = editor.api(&json!({"action":"persistMedia","params":{"asset":{"path":"static/images/office.jpg","content":content,"encoding":"base64"},"options":{"commitMessage":"upload"}}}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["path"], "static/images/office.jpg");
    let stored = std::fs::read(f.path("static/images/office.jpg")).expect("stored");
    assert!(!stored.windows(11).any(|w| w == b"GPSLatitude"), "GPS kept");
    image::load_from_memory(&stored).expect("still a JPEG");
    // Uploads of other kinds of file are refused.
    let (status, _) = editor.api(&json!({"action":"persistMedia","params":{"asset":{"path":"static/x.js","content":"YQ==","encoding":"base64"}}}));
    assert_eq!(status, 403);
}

#[test]
fn edit_config_comes_from_the_content_model() {
    let f = site();
    let editor = Editor::start(&f);
    let (status, yaml) = editor.get("/admin/config.yml");
    assert_eq!(status, 200);
    let config: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("yaml");
    assert_eq!(
        config["local_backend"]["url"],
        format!("{}/api/v1", editor.origin()).as_str()
    );
    let names: Vec<&str> = config["collections"]
        .as_sequence()
        .expect("collections")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["pages", "articles", "books", "settings"]);
}

#[test]
fn edit_settings_keep_site_toml_comments() {
    let f = site();
    f.write(
        "site.toml",
        "# My settings\ntitle = \"Test Practice\"  # the name\nbase_url = \"https://test.example\"\n\n[practice]\nphone = \"+1 541 555 0100\"  # TODO: yours\n",
    );
    let editor = Editor::start(&f);
    let sent = "title = \"Calm Practice\"\nbase_url = \"https://test.example\"\n[practice]\nphone = \"+1 541 555 0100\"\n";
    let (status, answer) = editor.save("site.toml", sent);
    assert_eq!(status, 200, "{answer}");
    let toml = std::fs::read_to_string(f.path("site.toml")).expect("read");
    assert_eq!(
        toml,
        "# My settings\ntitle = \"Calm Practice\"  # the name\nbase_url = \"https://test.example\"\n\n[practice]\nphone = \"+1 541 555 0100\"  # TODO: yours\n"
    );
}

#[test]
fn edit_starts_on_a_broken_site_and_the_fix_shows_in_the_preview() {
    let f = site();
    f.write(
        "content/articles/first.md",
        "---\ntitle: First\nmood: calm\n---\nHello.\n",
    );
    let editor = Editor::start(&f);
    assert_eq!(editor.get("/articles/first/").0, 404);
    let (status, answer) = editor.save(
        "content/articles/first.md",
        "---\ntitle: First\n---\nHello again.\n",
    );
    assert_eq!(status, 200, "{answer}");
    let started = Instant::now();
    while editor.get("/articles/first/").0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the fixed page never showed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The editor's Publish button: the page shows the plan from a dry run and publishes
/// nothing; the form it posts back (with the editor's own Origin) publishes, under the same
/// deletion guard as `hearth publish`.
#[test]
fn the_publish_page_shows_the_plan_and_its_button_publishes_under_the_guard() {
    let f = site();
    let toml = f.read("site.toml");
    f.write(
        "site.toml",
        &format!(
            "{toml}\n[publish]\ntarget = \"folder\"\npath = \"online\"\nmax_deletions = 0.2\n"
        ),
    );
    let editor = Editor::start(&f);
    let (status, admin) = editor.get("/admin/");
    assert_eq!(status, 200);
    assert!(admin.contains(r#"href="/admin/publish""#), "{admin}");

    let (status, page) = editor.get("/admin/publish");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Publishing to folder"), "{page}");
    assert!(page.contains("articles/first/index.html"), "{page}");
    assert!(
        page.contains(r#"<form method="post" action="/admin/publish">"#),
        "{page}"
    );
    assert!(
        !f.path("online").exists(),
        "showing the plan published something"
    );

    // Without the editor's own Origin, the button's request is refused.
    let (status, _) = editor.raw(
        "POST",
        "/admin/publish",
        &[("Host", &editor.address)],
        "go=1",
    );
    assert_eq!(status, 403);
    assert!(!f.path("online").exists());

    let origin = editor.origin();
    let own = [
        ("Host", editor.address.as_str()),
        ("Origin", origin.as_str()),
    ];
    let (status, done) = editor.raw("POST", "/admin/publish", &own, "go=1");
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Published."), "{done}");
    assert!(f.path("online/articles/first/index.html").is_file());

    // Removing most pages trips the guard: the page asks for the extra confirmation, and a
    // publish without it removes nothing.
    std::fs::remove_file(f.path("content/articles/first.md")).expect("remove");
    std::fs::remove_file(f.path("content/books/feeling-good.md")).expect("remove");
    let (_, page) = editor.get("/admin/publish");
    assert!(page.contains(r#"name="allow_deletions""#), "{page}");
    let (_, refused) = editor.raw("POST", "/admin/publish", &own, "go=1");
    assert!(refused.contains("Nothing was published"), "{refused}");
    assert!(f.path("online/articles/first/index.html").is_file());
    let (_, done) = editor.raw("POST", "/admin/publish", &own, "allow_deletions=yes");
    assert!(done.contains("Published."), "{done}");
    assert!(!f.path("online/articles/first/index.html").exists());
}

/// A site in English and Spanish: a translated article, a Spanish-only one, and a book kept
/// as a bundle with its translation.
fn bilingual() -> Fixture {
    let f = site();
    let toml = f.read("site.toml");
    f.write(
        "site.toml",
        &format!("{toml}\n[languages.es]\nname = \"Español\"\n"),
    );
    std::fs::remove_file(f.path("content/books/feeling-good.md")).expect("unbundle");
    f.write(
        "content/books/feeling-good/index.md",
        "---\ntitle: \"Feeling Good\"\nauthor: \"David Burns\"\n---\n\nA classic.\n",
    );
    f.write(
        "content/books/feeling-good/index.es.md",
        "---\ntitle: \"Sentirse bien\"\nauthor: \"David Burns\"\n---\n\nUn clásico.\n",
    );
    f.write(
        "content/articles/first.es.md",
        "---\ntitle: \"Primero\"\ndate: 2026-01-05\n---\n\nHola.\n",
    );
    f.write(
        "content/articles/solo.es.md",
        "---\ntitle: \"Solo en español\"\ndate: 2026-02-01\n---\n\nSolo.\n",
    );
    f
}

fn listed(editor: &Editor, folder: &str, extension: &str) -> Vec<String> {
    let (status, entries) = editor.api(&json!({"action":"entriesByFolder","params":{"folder":folder,"extension":extension,"depth":1}}));
    assert_eq!(status, 200, "{entries}");
    entries
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["file"]["path"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn edit_knows_languages_and_bundles() {
    let f = bilingual();
    let editor = Editor::start(&f);
    // The configuration turns on Decap's languages, one file per language.
    let (_, yaml) = editor.get("/admin/config.yml");
    let config: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("yaml");
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "en");
    // Each page in the default language carries its code; bundles look like files.
    assert_eq!(
        listed(&editor, "content/articles", "md"),
        [
            "content/articles/first.en.md",
            "content/articles/first.es.md"
        ]
    );
    assert_eq!(
        listed(&editor, "content/articles", "es.md"),
        ["content/articles/solo.es.md"]
    );
    assert_eq!(
        listed(&editor, "content/books", "md"),
        [
            "content/books/feeling-good.en.md",
            "content/books/feeling-good.es.md"
        ]
    );
    let (status, book) = editor
        .api(&json!({"action":"getEntry","params":{"path":"content/books/feeling-good.es.md"}}));
    assert_eq!(status, 200);
    assert!(
        book["data"]
            .as_str()
            .expect("text")
            .contains("Sentirse bien")
    );
    assert_eq!(book["file"]["path"], "content/books/feeling-good.es.md");

    // Saving both languages writes both files where hearth keeps them; the translation
    // takes the shared keys it lacks (the date, the books) from the original.
    let (status, answer) = editor.persist(
        &[
            (
                "content/articles/sleep.en.md",
                "---\ntitle: Sleep\ndate: '2026-03-14'\nbooks:\n  - feeling-good\n---\nRest.\n",
            ),
            (
                "content/articles/sleep.es.md",
                "---\ntitle: Dormir\n---\nDescansa.\n",
            ),
        ],
        json!([]),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(
        f.read("content/articles/sleep.md")
            .contains("title: \"Sleep\"")
    );
    assert_eq!(
        f.read("content/articles/sleep.es.md"),
        "---\ntitle: \"Dormir\"\ndate: 2026-03-14\nbooks: [feeling-good]\n---\n\nDescansa.\n"
    );
    assert!(!f.path("content/articles/sleep.en.md").exists());

    // A cover uploaded with a bundled book goes into the bundle, where the page finds it.
    let cover = base64::engine::general_purpose::STANDARD.encode(crate::support::png(40, 60));
    let (status, answer) = editor.persist(
        &[(
            "content/books/feeling-good.en.md",
            "---\ntitle: Feeling Good\nauthor: David Burns\ncover: cover.png\ncover_alt: A sunrise\n---\nA classic.\n",
        )],
        json!([{ "path": "content/books/cover.png", "content": cover, "encoding": "base64" }]),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(f.path("content/books/feeling-good/cover.png").exists());
    assert!(!f.path("content/books/cover.png").exists());
    assert!(!f.path("content/books/feeling-good.md").exists());
    assert!(
        f.read("content/books/feeling-good/index.md")
            .contains("cover: \"cover.png\"")
    );

    // Deleting a page removes each language's file.
    let (status, answer) = editor.api(&json!({"action":"deleteFiles","params":{"paths":["content/articles/sleep.en.md","content/articles/sleep.es.md"]}}));
    assert_eq!(status, 200, "{answer}");
    assert!(!f.path("content/articles/sleep.md").exists());
    assert!(!f.path("content/articles/sleep.es.md").exists());
    // The site still builds in both languages.
    f.build_ok();
    let spanish = f.html("public/es/articles/first/index.html");
    assert_eq!(spanish.text("h1"), "Primero");
    let cover = f.html("public/books/feeling-good/index.html");
    assert!(
        !cover.attrs("img", "src").is_empty(),
        "the uploaded cover is shown"
    );
}
