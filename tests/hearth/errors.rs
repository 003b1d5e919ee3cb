//! Every error path: the message, the file:line:col, the hint, and exit code 1.

use crate::support::{Fixture, article};

#[test]
fn bad_yaml_points_at_the_line_in_the_file() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: Fine\ntopics: [one, two\ndate: 2024-01-01\n---\n",
    );
    let run = f.build();
    run.fails_with(&["content/articles/a.md:"]);
    // The YAML error is reported inside the front matter (lines 2-4), never at line 1.
    let line: usize = run
        .stderr
        .split("content/articles/a.md:")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!((2..=5).contains(&line), "{}", run.stderr);
}

#[test]
fn unknown_key_has_line_col_and_did_you_mean() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", "---\ntitle: A\nautor: Me\n---\n");
    f.build().fails_with(&[
        "content/articles/a.md:3:1",
        "unknown field `autor`",
        "did you mean `author`?",
    ]);
}

#[test]
fn a_book_key_on_an_article_is_unknown() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\nisbn: \"123\"\n---\n",
    );
    f.build()
        .fails_with(&["content/articles/a.md:3:1", "unknown field `isbn`"]);
}

#[test]
fn missing_title_says_how_to_fix() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", "---\ndate: 2024-01-01\n---\n");
    f.build().fails_with(&[
        "content/articles/a.md",
        "missing field `title`",
        "title: Your title",
    ]);
}

#[test]
fn invalid_date_is_located() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2024-13-45\n---\n",
    );
    f.build().fails_with(&["content/articles/a.md:3:", "date"]);
}

#[test]
fn tabs_in_yaml_are_explained() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        "---\ntitle: A\n\tdate: 2024-01-01\n---\n",
    );
    f.build()
        .fails_with(&["content/articles/a.md:3:", "tab", "indent with spaces"]);
}

#[test]
fn file_without_front_matter_and_empty_file() {
    let f = Fixture::hub();
    f.write("content/articles/plain.md", "Just text\n");
    f.write("content/articles/empty.md", "");
    f.build().fails_with(&[
        "content/articles/plain.md:1:1",
        "does not start with front matter",
        "content/articles/empty.md:1:1",
        "the file is empty",
    ]);
}

#[test]
fn non_utf8_file_is_named() {
    let f = Fixture::hub();
    f.write_bytes("content/articles/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    f.build()
        .fails_with(&["content/articles/latin1.md:2:", "not valid UTF-8", "UTF-8"]);
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", "---\ntitle: A\nautor: x\n---\n");
    f.write("content/articles/b.md", "---\ntitle: B\nwhen: x\n---\n");
    let run = f.build();
    run.fails_with(&[
        "content/articles/a.md:3:1",
        "content/articles/b.md:3:1",
        "2 errors found",
    ]);
}

#[test]
fn missing_link_target_and_anchor() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        &article(
            "A",
            "",
            "Line one.\n\nSee [x](@/articles/nope.md) and [y](@/articles/b.md#nowhere).\n",
        ),
    );
    f.write("content/articles/b.md", &article("B", "", "## Somewhere\n"));
    f.build().fails_with(&[
        "content/articles/a.md:7:5",
        "link to `@/articles/nope.md`: no such page",
        "content/articles/a.md:7:33",
        "no heading with this anchor",
        "the page's headings have these anchors: somewhere",
    ]);
}

#[test]
fn duplicate_urls_name_both_files() {
    let f = Fixture::hub();
    f.write("content/articles/same.md", &article("One", "", ""));
    f.write(
        "content/articles/other.md",
        &article("Two", "slug: same\n", ""),
    );
    f.build().fails_with(&[
        "two pages have the URL /articles/same/",
        "content/articles/other.md",
        "content/articles/same.md",
    ]);
}

#[test]
fn image_without_alt_is_an_error_with_position() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        &article("A", "", "Text.\n\n![](photo.png)\n"),
    );
    f.write_bytes("content/articles/photo.png", &crate::support::png(4, 4));
    f.build().fails_with(&[
        "content/articles/a.md:7:1",
        "image has no alt text",
        "decorative",
    ]);
    f.write(
        "content/articles/a.md",
        &article("A", "", "Text.\n\n![](photo.png \"decorative\")\n"),
    );
    f.build_ok();
}

#[test]
fn skipped_heading_level_is_a_warning_only() {
    let f = Fixture::hub();
    f.write(
        "content/articles/a.md",
        &article("A", "", "## One\n\n#### Three\n"),
    );
    let run = f.build_ok();
    assert!(
        run.stderr
            .contains("warning: heading level skipped: h4 follows h2"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/articles/a.md:7:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_toml_errors() {
    let f = Fixture::hub();
    f.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org\"\noutput_dri = \"x\"\n",
    );
    f.build().fails_with(&[
        "site.toml:3:1",
        "unknown field `output_dri`",
        "did you mean `output_dir`?",
    ]);
    f.write("site.toml", "title = \"T\"\n");
    f.build()
        .fails_with(&["site.toml", "missing field `base_url`"]);
    f.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://e.org\"\n[theme]\naccent = \"teal\"\n",
    );
    f.build()
        .fails_with(&["site.toml:4:1", "accent `teal` is not a colour"]);
}

#[test]
fn missing_site_toml_explains_where_to_run() {
    let f = Fixture::new();
    std::fs::remove_file(f.path("site.toml")).expect("rm");
    f.build()
        .fails_with(&["site.toml", "cannot read site.toml", "hearth init"]);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let f = Fixture::hub();
    std::os::unix::fs::symlink(f.path("content"), f.path("content/articles/loop"))
        .expect("symlink");
    f.build()
        .fails_with(&["content/articles/loop", "loops back"]);
}
