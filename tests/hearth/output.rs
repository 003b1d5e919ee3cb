//! The output folder: staging and swap, and the folders hearth refuses to replace.

use crate::support::{Fixture, SITE_TOML, article, snapshot};

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", &article("A", "", "Body.\n"));
    f.build_ok();
    let before = snapshot(&f.path("public"));
    assert!(before.contains_key("articles/a/index.html"));
    // Fails late: content loads, then a template fails while rendering.
    f.write("content/articles/b.md", &article("B", "", "Body.\n"));
    f.write("templates/article.html", "{{ page.missing_field }}");
    f.build().fails_with(&["templates/article.html"]);
    assert_eq!(snapshot(&f.path("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("hearth-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_rebuild_replaces_old_files() {
    let f = Fixture::hub();
    f.write("content/articles/a.md", &article("A", "", ""));
    f.build_ok();
    std::fs::remove_file(f.path("content/articles/a.md")).expect("rm");
    f.build_ok();
    assert!(!f.path("public/articles/a").exists());
    assert!(f.path("public/.hearth-output").is_file());
}

fn refuses(output_dir: &str, fragment: &str) {
    let f = Fixture::hub();
    f.write("content/keep.md", "---\ntitle: Keep\n---\n");
    f.write(
        "site.toml",
        &format!("{SITE_TOML}output_dir = \"{output_dir}\"\n"),
    );
    let before = snapshot(f.root());
    f.build().fails_with(&["output_dir", fragment]);
    assert_eq!(snapshot(f.root()), before, "nothing may change");
}

#[test]
fn refuses_the_site_root() {
    refuses(".", "is the site folder or a folder that contains it");
}

#[test]
fn refuses_a_parent_of_the_site() {
    refuses("..", "is the site folder or a folder that contains it");
}

#[test]
fn refuses_the_filesystem_root() {
    refuses("/", "is the site folder or a folder that contains it");
}

#[test]
fn refuses_content_and_template_folders() {
    refuses("content", "inside content/");
    refuses("templates/out", "inside templates/");
    refuses("themes", "inside themes/");
}

#[test]
fn refuses_a_folder_of_the_users_files() {
    let f = Fixture::hub();
    f.write("public/my-notes.txt", "precious");
    f.build()
        .fails_with(&["output_dir", "hearth did not make", ".hearth-output"]);
    assert_eq!(f.read("public/my-notes.txt"), "precious");
}

#[test]
fn an_empty_existing_folder_is_fine() {
    let f = Fixture::hub();
    std::fs::create_dir(f.path("public")).expect("mkdir");
    f.build_ok();
    assert!(f.path("public/index.html").is_file());
}
