//! `hearth publish` against local bare git repositories and local folders: what reaches
//! the branch or the folder, what never does, the guard, dry runs and `init --ci`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Fixture, Run, SITE_TOML, article, snapshot};

/// Runs git in `dir` and returns its output; fails the test if git fails.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A bare repository in a temp folder of its own, standing in for the practice's host.
struct Remote {
    dir: tempfile::TempDir,
}

impl Remote {
    fn new() -> Remote {
        let remote = Remote {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        git(remote.path(), &["init", "--bare", "--quiet"]);
        remote
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Every ref of the remote with its commit ("" when it has none).
    fn refs(&self) -> String {
        git(self.path(), &["for-each-ref"])
    }

    fn commits(&self, branch: &str) -> usize {
        git(self.path(), &["rev-list", "--count", branch])
            .parse()
            .expect("a count")
    }

    fn files(&self, branch: &str) -> Vec<String> {
        git(self.path(), &["ls-tree", "-r", "--name-only", branch])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Pushes a commit holding one file to `branch`, as someone else's clone would.
    fn commit_elsewhere(&self, branch: &str, file: &str, text: &str) {
        let work = tempfile::tempdir().expect("temp dir");
        git(
            work.path(),
            &["init", "--quiet", &format!("--initial-branch={branch}")],
        );
        std::fs::write(work.path().join(file), text).expect("write");
        git(work.path(), &["add", file]);
        git(
            work.path(),
            &["commit", "--quiet", "-m", "someone else's commit"],
        );
        let remote = self.path().display().to_string();
        git(work.path(), &["push", "--quiet", &remote, branch]);
    }

    fn message(&self, rev: &str) -> String {
        git(self.path(), &["log", "-1", "--format=%s", rev])
    }
}

/// A site with two articles that publishes to branch `pages` of `remote`.
fn git_site(remote: &Remote, extra: &str) -> Fixture {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[publish]\ntarget = \"git\"\nremote = \"{}\"\nbranch = \"pages\"\n{extra}",
            remote.path().display()
        ),
    );
    for name in ["one", "two"] {
        f.write(
            &format!("content/articles/{name}.md"),
            &article(name, "", "Body.\n"),
        );
    }
    f
}

fn publish(f: &Fixture, extra: &[&str]) -> Run {
    let mut args = vec!["publish", "--yes"];
    args.extend_from_slice(extra);
    f.run(&args)
}

fn publish_ok(f: &Fixture, extra: &[&str]) -> Run {
    let run = publish(f, extra);
    assert_eq!(run.code, 0, "publish failed:\n{}{}", run.stdout, run.stderr);
    run
}

/// "Publish 2026-12-03: 3 added, 1 changed, 0 removed" → (3, 1, 0).
fn counts(message: &str) -> (usize, usize, usize) {
    let (_, rest) = message
        .split_once(": ")
        .unwrap_or_else(|| panic!("no counts in {message:?}"));
    let numbers: Vec<usize> = rest
        .split(", ")
        .map(|part| {
            part.split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("bad counts in {message:?}"))
        })
        .collect();
    assert!(message.starts_with("Publish 20"), "{message}");
    (numbers[0], numbers[1], numbers[2])
}

#[test]
fn the_first_publish_starts_the_branch_then_nothing_changed_means_no_commit() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    let run = publish_ok(&f, &[]);
    assert!(
        run.stdout.contains("Publishing to branch `pages`"),
        "{}",
        run.stdout
    );
    assert_eq!(remote.commits("pages"), 1);
    // A missing branch starts as an orphan: its first commit has no parent.
    assert_eq!(
        git(remote.path(), &["rev-list", "--max-parents=0", "pages"]),
        git(remote.path(), &["rev-parse", "pages"])
    );
    let files = remote.files("pages");
    for page in [
        "index.html",
        "articles/one/index.html",
        "articles/two/index.html",
    ] {
        assert!(
            files.contains(&page.to_string()),
            "{page} missing from {files:?}"
        );
    }
    let (added, changed, removed) = counts(&remote.message("pages"));
    assert_eq!((added, changed, removed), (files.len(), 0, 0));

    let again = publish_ok(&f, &[]);
    assert!(
        again.stdout.contains("already up to date"),
        "{}",
        again.stdout
    );
    assert_eq!(remote.commits("pages"), 1);
}

#[test]
fn a_change_makes_one_child_commit_with_the_counts() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    publish_ok(&f, &[]);
    let first = git(remote.path(), &["rev-parse", "pages"]);
    f.write(
        "content/articles/one.md",
        &article("one", "", "A new body.\n"),
    );
    f.write(
        "content/articles/three.md",
        &article("three", "", "Body.\n"),
    );
    publish_ok(&f, &[]);
    assert_eq!(remote.commits("pages"), 2);
    assert_eq!(git(remote.path(), &["rev-parse", "pages^"]), first);
    // The search index's files are named by their content, so some of them go too.
    let (added, changed, _) = counts(&remote.message("pages"));
    assert!(added >= 1 && changed >= 1, "{}", remote.message("pages"));
    let diff = git(remote.path(), &["diff", "--name-status", "pages^", "pages"]);
    assert!(diff.contains("A\tarticles/three/index.html"), "{diff}");
    assert!(diff.contains("M\tarticles/one/index.html"), "{diff}");
}

#[test]
fn a_branch_with_history_gets_a_child_of_its_tip() {
    let remote = Remote::new();
    // Someone else's history on the branch.
    remote.commit_elsewhere("pages", "old.html", "<p>old site</p>");
    let tip = git(remote.path(), &["rev-parse", "pages"]);

    let f = git_site(&remote, "");
    // The only published page goes: 1 of 1 is more than the default half.
    publish(&f, &[]).fails_with(&[
        "would remove 1 of the 1 published pages",
        "--allow-deletions",
    ]);
    assert_eq!(git(remote.path(), &["rev-parse", "pages"]), tip);
    publish_ok(&f, &["--allow-deletions"]);
    assert_eq!(git(remote.path(), &["rev-parse", "pages^"]), tip);
    assert!(!remote.files("pages").contains(&"old.html".to_string()));
}

#[test]
fn another_branch_of_the_remote_is_left_alone_and_the_new_one_is_an_orphan() {
    let remote = Remote::new();
    remote.commit_elsewhere("main", "README", "sources");
    let main = git(remote.path(), &["rev-parse", "main"]);

    let f = git_site(&remote, "");
    publish_ok(&f, &[]);
    assert_eq!(git(remote.path(), &["rev-parse", "main"]), main);
    assert_eq!(remote.commits("pages"), 1);
    assert!(!remote.files("pages").contains(&"README".to_string()));
}

#[test]
fn the_deletion_guard_refuses_then_allow_deletions_publishes() {
    let remote = Remote::new();
    let f = git_site(&remote, "max_deletions = 0.2\n");
    for name in ["three", "four", "five"] {
        f.write(
            &format!("content/articles/{name}.md"),
            &article(name, "", "Body.\n"),
        );
    }
    publish_ok(&f, &[]);
    let published = remote.refs();
    for name in ["two", "three", "four", "five"] {
        std::fs::remove_file(f.path(&format!("content/articles/{name}.md"))).expect("remove");
    }
    let refused = publish(&f, &[]);
    refused.fails_with(&[
        "would remove 4 of the",
        "max_deletions = 0.2",
        "--allow-deletions",
    ]);
    assert!(
        refused.stdout.contains("- articles/"),
        "the plan is shown: {}",
        refused.stdout
    );
    assert_eq!(remote.refs(), published, "nothing was pushed");

    publish_ok(&f, &["--allow-deletions"]);
    assert_eq!(remote.commits("pages"), 2);
    let (_, _, removed) = counts(&remote.message("pages"));
    assert!(removed >= 4, "{}", remote.message("pages"));
    assert!(
        !remote
            .files("pages")
            .contains(&"articles/two/index.html".to_string())
    );
}

#[test]
fn a_dry_run_writes_nothing_anywhere() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    let run = f.run(&["publish", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("+ articles/one/index.html"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Dry run"), "{}", run.stdout);
    assert_eq!(remote.refs(), "", "nothing pushed");
    assert!(
        !f.path("public").exists(),
        "the site's output folder was written"
    );
    assert!(
        !f.path(".hearth-cache").exists(),
        "hearth's cache was written"
    );

    publish_ok(&f, &[]);
    let published = remote.refs();
    let cache = snapshot(&f.path(".hearth-cache"));
    f.write(
        "content/articles/three.md",
        &article("three", "", "Body.\n"),
    );
    let run = f.run(&["publish", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("+ articles/three/index.html"),
        "{}",
        run.stdout
    );
    assert_eq!(remote.refs(), published);
    assert_eq!(snapshot(&f.path(".hearth-cache")), cache);
    assert!(!f.path("public/articles/three").exists());
}

#[test]
fn drafts_future_pages_the_cache_and_the_marker_never_reach_the_branch() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    f.write(
        "content/articles/secret.md",
        &article("Secret draft", "draft: true\n", "Private.\n"),
    );
    f.write(
        "content/articles/later.md",
        "---\ntitle: Later\ndate: 2999-01-01\n---\nNot yet.\n",
    );
    f.write(".hearth-cache/notes.txt", "private");
    f.write("static/.hearth-cache/notes.txt", "private");
    publish_ok(&f, &[]);
    let files = remote.files("pages");
    assert!(
        files.contains(&"articles/one/index.html".to_string()),
        "{files:?}"
    );
    for file in &files {
        assert!(
            !file.contains("secret") && !file.contains("later") && !file.contains(".hearth"),
            "{file} was published"
        );
    }
    // git grep exits 1 when nothing matches.
    let grep = Command::new("git")
        .arg("-C")
        .arg(remote.path())
        .args(["grep", "-l", "-e", "Private.", "-e", "Not yet", "pages"])
        .output()
        .expect("run git");
    assert_eq!(
        grep.status.code(),
        Some(1),
        "a draft's text was published: {}",
        String::from_utf8_lossy(&grep.stdout)
    );
}

#[test]
fn a_failing_build_publishes_nothing() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    f.write("content/articles/broken.md", "---\ntitle: [unclosed\n---\n");
    publish(&f, &[]).fails_with(&["content/articles/broken.md"]);
    assert_eq!(remote.refs(), "");
}

#[test]
fn without_a_terminal_or_yes_it_refuses_rather_than_waits() {
    let remote = Remote::new();
    let f = git_site(&remote, "");
    f.run(&["publish"])
        .fails_with(&["no terminal to ask on", "--yes"]);
    assert_eq!(remote.refs(), "");
}

#[test]
fn an_unreachable_remote_is_named_at_its_line() {
    let remote = Remote {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let f = git_site(&remote, "");
    publish(&f, &[]).fails_with(&["site.toml:5:10", "could not reach", "git ls-remote"]);
    assert!(
        !f.path(".hearth-cache/publish/repo.git/refs/hearth/tip")
            .exists()
    );
}

#[test]
fn a_site_without_publish_settings_is_told_how_to_add_them() {
    let f = Fixture::hub();
    publish(&f, &[]).fails_with(&["site.toml", "no [publish] table", "target = \"git\""]);
}

/// A site that publishes to the folder `target`.
fn folder_site(target: &Path) -> Fixture {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[publish]\ntarget = \"folder\"\npath = \"{}\"\nmax_deletions = 1.0\n",
            target.display()
        ),
    );
    f.write("content/articles/one.md", &article("one", "", "Body.\n"));
    f.write("content/articles/two.md", &article("two", "", "Body.\n"));
    f
}

fn target_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("site");
    (dir, target)
}

#[test]
fn the_folder_target_adds_replaces_and_removes_only_its_own_files() {
    let (_dir, target) = target_folder();
    let f = folder_site(&target);
    publish_ok(&f, &[]);
    let built = snapshot(&f.path("public"));
    let published = snapshot(&target);
    for (rel, bytes) in &built {
        if rel != ".hearth-output" {
            assert_eq!(published.get(rel), Some(bytes), "{rel} differs");
        }
    }
    assert!(!published.contains_key(".hearth-output"));

    // Someone else's file beside the site is kept through every later publish.
    std::fs::write(target.join("notes.txt"), "mine").expect("write");
    f.write(
        "content/articles/one.md",
        &article("one", "", "A new body.\n"),
    );
    std::fs::remove_file(f.path("content/articles/two.md")).expect("remove");
    let run = publish_ok(&f, &[]);
    assert!(
        run.stdout.contains("- articles/two/index.html"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("~ articles/one/index.html"),
        "{}",
        run.stdout
    );
    assert!(
        !target.join("articles/two").exists(),
        "removed page and its folder"
    );
    let page = std::fs::read_to_string(target.join("articles/one/index.html")).expect("read");
    assert!(page.contains("A new body."));
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).expect("read"),
        "mine"
    );

    let again = publish_ok(&f, &[]);
    assert!(
        again.stdout.contains("already up to date"),
        "{}",
        again.stdout
    );
}

#[test]
fn the_folder_target_refuses_a_folder_hearth_did_not_publish_to() {
    let (_dir, target) = target_folder();
    std::fs::create_dir_all(&target).expect("mkdir");
    std::fs::write(target.join("index.html"), "someone's site").expect("write");
    let f = folder_site(&target);
    publish(&f, &[]).fails_with(&[
        "holds files hearth did not publish",
        "choose an empty folder",
    ]);
    assert_eq!(
        snapshot(&target),
        BTreeMap::from([("index.html".to_string(), b"someone's site".to_vec())])
    );
}

#[test]
fn the_folder_target_guard_and_dry_run_leave_the_folder_as_it_was() {
    let (_dir, target) = target_folder();
    let f = folder_site(&target);
    f.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[publish]\ntarget = \"folder\"\npath = \"{}\"\nmax_deletions = 0.1\n",
            target.display()
        ),
    );
    let dry = f.run(&["publish", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(!target.exists(), "a dry run created the folder");

    publish_ok(&f, &[]);
    let before = snapshot(&target);
    std::fs::remove_file(f.path("content/articles/two.md")).expect("remove");
    std::fs::remove_file(f.path("content/articles/one.md")).expect("remove");
    publish(&f, &[]).fails_with(&["would remove 2 of the"]);
    assert_eq!(snapshot(&target), before);
    let dry = f.run(&["publish", "--dry-run", "--allow-deletions"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(snapshot(&target), before);
    publish_ok(&f, &["--allow-deletions"]);
    assert!(!target.join("articles/one").exists());
}

#[test]
fn init_ci_writes_a_workflow_that_builds_and_publishes() {
    for (forge, path) in [
        ("github", ".github/workflows/publish.yml"),
        ("forgejo", ".forgejo/workflows/publish.yml"),
    ] {
        let f = Fixture::new();
        let run = f.run(&["init", "site", "--ci", forge]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let workflow = f.read(&format!("site/{path}"));
        for fragment in [
            "on:\n  push:",
            "cargo install --locked --git",
            "hearth publish --yes",
            "There is no ready-made download",
        ] {
            assert!(workflow.contains(fragment), "{forge}: {fragment:?} missing");
        }
        assert!(run.stdout.contains(path), "{}", run.stdout);
        assert_eq!(f.read("site/.gitignore"), "/public/\n/.hearth-cache/\n");
        assert_eq!(f.run(&["build", "--root", "site"]).code, 0);
    }
    let f = Fixture::new();
    assert_eq!(f.run(&["init", "site"]).code, 0);
    assert!(!f.path("site/.github").exists() && !f.path("site/.forgejo").exists());
}
