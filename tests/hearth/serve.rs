//! `hearth serve`: after any sequence of edits every served page equals a fresh build;
//! errors keep the last good pages; unsafe paths are refused.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Fixture, png};

const LIVE_TAG: &str = "<script src=\"/__hearth/live.js\" defer></script>";

/// A running `hearth serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(f: &Fixture) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["serve", "--port", "0", "--root"])
            .arg(f.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start hearth serve");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        stdout.read_line(&mut line).expect("first line");
        // Keep reading, so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let Some(base) = line
            .split(" at http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
        else {
            let mut err = String::new();
            let _ =
                std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
            panic!("hearth serve did not start: {line}{err}");
        };
        let base = format!("http://{}", base.trim_end_matches('/'));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Server { child, base, agent }
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>, String) {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .call()
            .expect("request");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response.body_mut().read_to_vec().expect("body");
        (status, body, kind)
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__hearth/status").1).expect("status json")
    }

    /// Waits (up to 30 s) until the server's status satisfies `done`.
    fn wait_until(&self, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let status = self.status();
            if done(&status) {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not rebuild: {status}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Every file of a fresh build must be served with the same bytes (the live-reload tag
/// aside), and pages the build does not have must be 404.
fn same_as_build(f: &Fixture, server: &Server, gone: &[&str]) -> Result<(), String> {
    let out = tempfile::tempdir().expect("temp");
    let run = f.run(&[
        "build",
        "--output",
        out.path().join("site").to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = out.path().join("site");
    for entry in walkdir::WalkDir::new(&built)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(&built)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == ".hearth-output" {
            continue;
        }
        let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel));
        let (status, body, _) = server.get(&url);
        if status != 200 {
            return Err(format!("{url}: status {status}"));
        }
        let expected = std::fs::read(entry.path()).expect("read");
        let body = if rel.ends_with(".html") {
            String::from_utf8_lossy(&body)
                .replacen(LIVE_TAG, "", 1)
                .into_bytes()
        } else {
            body
        };
        if body != expected {
            return Err(format!("{url} differs from the build"));
        }
    }
    for url in gone {
        if server.get(url).0 != 404 {
            return Err(format!("{url} should be gone"));
        }
    }
    Ok(())
}

/// Waits (up to 30 s) until the server has caught up with the files: one save can reach
/// the watcher as several events, so the number of rebuilds is not a reliable clock.
fn assert_same_as_build(f: &Fixture, server: &Server, gone: &[&str]) {
    let started = Instant::now();
    loop {
        match same_as_build(f, server, gone) {
            Ok(()) => return,
            Err(problem) if started.elapsed() > Duration::from_secs(30) => panic!("{problem}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

fn edit(f: &Fixture, rel: &str, text: &str) {
    f.write(rel, text);
}

#[test]
fn every_served_page_matches_a_fresh_build_after_each_edit() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nbooks: [book]\ntopics: [Care]\n---\nFirst text.\n",
    );
    f.write(
        "content/books/book/index.md",
        "---\ntitle: A Book\nauthor: X\ncover: cover.png\ncover_alt: A cover\n---\nWhy.\n",
    );
    f.write_bytes("content/books/book/cover.png", &png(30, 45));
    f.write("static/extra.css", "p { color: black; }\n");
    let server = Server::start(&f);
    assert_same_as_build(&f, &server, &[]);
    let step = |f: &Fixture, change: &dyn Fn(&Fixture), gone: &[&str]| {
        change(f);
        assert_same_as_build(f, &server, gone);
        assert!(server.status()["error"].is_null(), "{}", server.status());
    };
    step(
        &f,
        &|f| {
            edit(
                f,
                "content/articles/a.md",
                "---\ntitle: A changed\ndate: 2024-01-01\nbooks: [book]\ntopics: [Care]\n---\nNew text.\n",
            )
        },
        &[],
    );
    step(&f, &|f| edit(f, "templates/404.html", "<p>gone</p>"), &[]);
    step(
        &f,
        &|f| {
            edit(
                f,
                "site.toml",
                &format!("{}description = \"Changed\"\n", crate::support::SITE_TOML),
            )
        },
        &[],
    );
    step(
        &f,
        &|f| edit(f, "static/extra.css", "p { color: navy; }\n"),
        &[],
    );
    step(
        &f,
        &|f| {
            edit(
                f,
                "content/articles/b.md",
                "---\ntitle: B\ndate: 2024-02-01\nbooks: [book]\n---\nB.\n",
            )
        },
        &[],
    );
    step(
        &f,
        &|f| {
            edit(
                f,
                "content/books/book/index.md",
                "---\ntitle: The Book\nauthor: Y\ncover: cover.png\ncover_alt: A cover\n---\nWhy not.\n",
            )
        },
        &[],
    );
    // A photo replaced by a bigger one: its job runs again, the old copies are taken down.
    step(
        &f,
        &|f| {
            f.write_bytes("content/books/book/cover.png", &png(300, 450));
        },
        &["/books/book/cover-30.png", "/books/book/cover-30.webp"],
    );
    // A hero photo added to an article: its page, its card and its copies.
    step(
        &f,
        &|f| {
            f.write_bytes("content/articles/photo.png", &png(500, 250));
            edit(
                f,
                "content/articles/a.md",
                "---\ntitle: A changed\ndate: 2024-01-01\nbooks: [book]\ntopics: [Care]\nimage: photo.png\nimage_alt: A photo\n---\nNew text.\n",
            )
        },
        &["/articles/photo.png"],
    );
    step(
        &f,
        &|f| std::fs::remove_file(f.path("content/articles/b.md")).expect("rm"),
        &["/articles/b/"],
    );
    step(
        &f,
        &|f| {
            std::fs::rename(
                f.path("content/articles/a.md"),
                f.path("content/articles/renamed.md"),
            )
            .expect("mv")
        },
        &["/articles/a/"],
    );
}

/// Waits until the served pages match a fresh build, then returns how many render jobs
/// the last rebuild ran, and how many there are in all.
fn rerendered_after(f: &Fixture, server: &Server, change: impl Fn(&Fixture)) -> (u64, u64) {
    change(f);
    assert_same_as_build(f, server, &[]);
    let status = server.wait_until(|s| s["search_pending"] == false);
    assert!(status["error"].is_null(), "{status}");
    (
        status["rerendered"].as_u64().expect("rerendered"),
        status["jobs"].as_u64().expect("jobs"),
    )
}

#[test]
fn a_body_edit_re_renders_only_the_outputs_that_show_the_page() {
    let f = Fixture::hub();
    let article = |title: &str, date: &str, body: &str| {
        format!(
            "---\ntitle: {title}\ndate: {date}\nbooks: [book]\ntopics: [Care, Sleep]\n---\n{body}\n"
        )
    };
    f.write(
        "content/articles/a.md",
        &article("A", "2024-01-01", "Intro.\n\n## Steps\n\nOne."),
    );
    f.write(
        "content/articles/b.md",
        &article("B", "2024-02-01", "See [a](@/articles/a.md#steps)."),
    );
    f.write("content/articles/c.md", &article("C", "2024-03-01", "C."));
    f.write(
        "content/books/book/index.md",
        "---\ntitle: A Book\nauthor: X\ntopics: [Care]\n---\nWhy.\n",
    );
    let server = Server::start(&f);
    assert_same_as_build(&f, &server, &[]);

    // A new sentence: only the article and the feed (which carries whole articles).
    let (quick, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/a.md",
            &article("A", "2024-01-01", "Intro, reworded.\n\n## Steps\n\nOne."),
        );
    });
    assert_eq!(quick, 2, "of {all}");

    // A summary (the text before `<!-- more -->`) shows on cards: the article, the lists
    // and topic pages that show it, the pages that list it as related, the feed.
    let (lists, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/a.md",
            &article(
                "A",
                "2024-01-01",
                "A summary.\n\n<!-- more -->\n\n## Steps\n\nOne.",
            ),
        );
    });
    assert!(lists > quick && lists < all, "{lists} of {all}");

    // A book's text, the same way.
    let (book, _) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/books/book/index.md",
            "---\ntitle: A Book\nauthor: X\ntopics: [Care]\n---\nWhy, and how.\n",
        );
    });
    assert_eq!(book, 2);

    // A new heading: the article and the feed again. Other pages' links are checked on
    // every load, so only a page whose rendered link changes runs again.
    let (headings, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/a.md",
            &article(
                "A",
                "2024-01-01",
                "A summary.\n\n<!-- more -->\n\n## Steps\n\nOne.\n\n## More",
            ),
        );
    });
    assert_eq!(headings, 2, "of {all}");

    // A title shows on every card of the page: the same outputs as a summary, and the
    // page's redirect pages.
    let (title, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/c.md",
            &article("C, retitled", "2024-03-01", "C."),
        );
    });
    assert!(title > 2 && title < all, "{title} of {all}");

    // A title that moves the page in its lists (here past another of the same date), and
    // a new date: every list, topic and neighbour that shows it, still not everything.
    f.write("content/articles/d.md", &article("D", "2024-03-01", "D."));
    assert_same_as_build(&f, &server, &[]);
    let (moved, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/c.md",
            &article("E, after D", "2024-03-01", "C."),
        );
    });
    assert!(moved > 2 && moved < all, "{moved} of {all}");
    let (dated, all) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/c.md",
            &article("C, retitled", "2024-04-01", "C."),
        );
    });
    assert!(dated > 2 && dated < all, "{dated} of {all}");

    // A body edit that breaks a rule is reported, and the last good pages stay.
    f.write(
        "content/articles/c.md",
        &article("C, retitled", "2024-04-01", "![](x.png)"),
    );
    let status = server.wait_until(|s| !s["error"].is_null());
    assert!(
        status["error"]
            .as_str()
            .expect("error")
            .contains("content/articles/c.md"),
        "{status}"
    );
    // So is a link to a page that does not exist, with the nearest path suggested.
    f.write(
        "content/articles/c.md",
        &article("C, retitled", "2024-04-01", "See [a](@/articles/aa.md)."),
    );
    let status = server.wait_until(|s| {
        s["error"]
            .as_str()
            .is_some_and(|e| e.contains("@/articles/aa.md"))
    });
    let error = status["error"].as_str().expect("error");
    assert!(error.contains("did you mean `@/articles/a.md`"), "{error}");
    let (fixed, _) = rerendered_after(&f, &server, |f| {
        f.write(
            "content/articles/c.md",
            &article("C, retitled", "2024-04-01", "C, again."),
        );
    });
    assert_eq!(fixed, 2);
}

#[test]
fn a_template_change_re_renders_what_uses_it() {
    let f = Fixture::hub();
    for (name, topics) in [("a", "[Care]"), ("b", "[Sleep]"), ("c", "[Care, Sleep]")] {
        f.write(
            &format!("content/articles/{name}.md"),
            &format!("---\ntitle: {name}\ndate: 2024-01-01\ntopics: {topics}\n---\nText.\n"),
        );
    }
    let server = Server::start(&f);
    assert_same_as_build(&f, &server, &[]);

    // A site template that takes over the theme's topic page: the two topic pages.
    let topic = "{% extends \"theme/topic.html\" %}{% block main %}<h1>{{ topic.name }}</h1>{% endblock main %}";
    let (override_, all) = rerendered_after(&f, &server, |f| {
        f.write("templates/topic.html", topic);
    });
    assert_eq!(override_, 2, "of {all}");

    // A template no page uses yet changes nothing, and the browser is not reloaded.
    let before = server.status();
    f.write("templates/unused.html", "<p>x</p>");
    let after = server.wait_until(|s| s["unchanged"].as_u64() > before["unchanged"].as_u64());
    assert_eq!(after["builds"], before["builds"], "{after}");
    assert_same_as_build(&f, &server, &[]);

    // Removing the override goes back to the theme's template for those two pages.
    let (back, _) = rerendered_after(&f, &server, |f| {
        std::fs::remove_file(f.path("templates/topic.html")).expect("rm")
    });
    assert_eq!(back, 2);

    // A broken template stays reported while other files change, until it is fixed.
    f.write("templates/topic.html", "{% block main %}");
    let broken = server.wait_until(|s| !s["error"].is_null());
    f.write(
        "content/articles/a.md",
        "---\ntitle: a\ndate: 2024-01-01\ntopics: [Care]\n---\nNew.\n",
    );
    let after = server.wait_until(|s| s["builds"].as_u64() > broken["builds"].as_u64());
    assert!(!after["error"].is_null(), "{after}");
    let (fixed, all) = rerendered_after(&f, &server, |f| {
        std::fs::remove_file(f.path("templates/topic.html")).expect("rm");
    });
    // Compared with the last good run, which had neither the broken template nor the
    // new text: the article and the feed.
    assert_eq!(fixed, 2, "of {all}");

    // A template every page extends: every page, list and topic page, not the feed or
    // the copied files.
    let base = "{% extends \"theme/base.html\" %}";
    let (everything, all) = rerendered_after(&f, &server, |f| {
        f.write("templates/base.html", base);
    });
    assert!(everything > 2 && everything < all, "{everything} of {all}");
}

#[test]
fn a_bad_edit_keeps_the_last_good_pages_and_reports_the_error() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: Good\ndate: 2024-01-01\n---\nGood.\n",
    );
    let server = Server::start(&f);
    f.write("content/articles/a.md", "---\ntitle: [\n---\n");
    // A save can arrive as a truncate and a write: wait for the error of the whole file.
    let status = server.wait_until(|s| {
        s["error"]
            .as_str()
            .is_some_and(|e| e.contains("content/articles/a.md:2:8"))
    });
    let error = status["error"].as_str().expect("an error");
    assert!(error.contains("content/articles/a.md:2:8"), "{error}");
    let (code, body, _) = server.get("/articles/a/");
    assert_eq!(code, 200);
    assert!(
        String::from_utf8_lossy(&body).contains("Good"),
        "the last good page is still served"
    );
    let (_, script, kind) = server.get("/__hearth/live.js");
    assert_eq!(kind, "text/javascript; charset=utf-8");
    assert!(String::from_utf8_lossy(&script).contains("hearth-error-overlay"));
    f.write(
        "content/articles/a.md",
        "---\ntitle: Fixed\ndate: 2024-01-01\n---\nFixed.\n",
    );
    server.wait_until(|s| s["error"].is_null());
    let started = Instant::now();
    while !String::from_utf8_lossy(&server.get("/articles/a/").1).contains("Fixed") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the fixed page is not served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn unsafe_paths_are_refused_and_unknown_ones_get_the_404_page() {
    let f = Fixture::hub();
    f.write("templates/404.html", "<p id=\"nf\">not here</p></body>");
    let server = Server::start(&f);
    // Made after the start: a link out of the site stops a build (tests/hearth/symlinks.rs),
    // so serve must go on serving the last good build without it.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", f.path("content/escape.txt")).expect("symlink");
    for bad in ["/%2e%2e/site.toml", "/a%2fb", "/a%00b", "/..%5csite.toml"] {
        assert_eq!(server.get(bad).0, 400, "{bad}");
    }
    let (status, body, kind) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(kind, "text/html; charset=utf-8");
    assert!(String::from_utf8_lossy(&body).contains("not here"));
    #[cfg(unix)]
    assert_eq!(
        server.get("/escape.txt").0,
        404,
        "a symlink out of the site is not served"
    );
    let response = server
        .agent
        .get(&format!("{}/", server.base))
        .call()
        .expect("home");
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(
        !Path::new(&f.path("public")).exists(),
        "serve never writes the output folder"
    );
}
