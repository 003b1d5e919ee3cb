//! `hearth init` (a new site from the embedded starter, with a CI workflow if asked) and
//! `hearth new` (a new content file with the right front matter). Neither ever overwrites
//! an existing file.

use std::fs;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

use crate::config::{CONFIG_FILE, Config};
use crate::content::Kind;
use crate::content::load::CONTENT_DIR;
use crate::diagnostics::Diagnostic;

#[derive(RustEmbed)]
#[folder = "src/starter/"]
struct Starter;

/// Writes the starter site into `dir`, which must be empty or not exist.
pub fn init(dir: &Path) -> Result<(), Vec<Diagnostic>> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(vec![
            Diagnostic::error(dir, "the folder is not empty").with_help(
                "choose a new folder name; hearth init never writes over existing files",
            ),
        ]);
    }
    for name in Starter::iter() {
        let Some(file) = Starter::get(&name) else {
            continue;
        };
        let target = dir.join(name.as_ref());
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, &file.data));
        if let Err(e) = written {
            return Err(vec![Diagnostic::error(
                &target,
                format!("cannot write: {e}"),
            )]);
        }
    }
    Ok(())
}

/// A forge whose CI runs the workflow `hearth init --ci` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    Github,
    Forgejo,
}

impl Ci {
    /// Where the forge looks for workflows, and the workflow hearth writes there.
    fn workflow(self) -> (&'static str, &'static str) {
        match self {
            Ci::Github => (
                ".github/workflows/publish.yml",
                include_str!("starter_ci/github.yml"),
            ),
            Ci::Forgejo => (
                ".forgejo/workflows/publish.yml",
                include_str!("starter_ci/forgejo.yml"),
            ),
        }
    }
}

/// Writes the CI workflow that builds and publishes the site on every push into the site
/// folder `dir`, and a `.gitignore` for what hearth makes if there is none; returns the
/// workflow's path. An existing workflow of that name is left alone.
pub fn write_ci(dir: &Path, ci: Ci) -> Result<PathBuf, Vec<Diagnostic>> {
    let (rel, text) = ci.workflow();
    let target = dir.join(rel);
    if target.exists() {
        return Err(vec![
            Diagnostic::error(&target, "a workflow with this name already exists")
                .with_help("hearth never overwrites a file; rename or remove it first"),
        ]);
    }
    target
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&target, text))
        .map_err(|e| vec![Diagnostic::error(&target, format!("cannot write: {e}"))])?;
    // A site kept in a repository must not commit what hearth makes: the built site and
    // hearth's cache (which holds its publish repository).
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "/public/\n/.hearth-cache/\n")
            .map_err(|e| vec![Diagnostic::error(&ignore, format!("cannot write: {e}"))])?;
    }
    Ok(target)
}

/// Creates a new page of `kind` titled `title` in the site at `root`, in language `lang`
/// (default: the site's); returns its path.
pub fn new_page(
    root: &Path,
    kind: &str,
    title: &str,
    lang: Option<&str>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let kind = parse_kind(kind)?;
    let suffix = match lang {
        None => String::new(),
        Some(code) if code == config.language => String::new(),
        Some(code) if config.languages.contains_key(code) => format!(".{code}"),
        Some(code) => {
            let codes = config.language_codes();
            let hint = crate::diagnostics::did_you_mean(code, codes.iter().map(String::as_str))
                .map_or_else(String::new, |best| format!("did you mean `{best}`? "));
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    format!(
                        "`{code}` is not one of this site's languages ({})",
                        codes.join(", ")
                    ),
                )
                .with_help(format!(
                    "{hint}add it to site.toml as [languages.{code}] with its name first"
                )),
            ]);
        }
    };
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(vec![Diagnostic::error(
            CONTENT_DIR,
            "the title has no letters or digits to make a file name from",
        )]);
    }
    let dir = section_dir(root, kind)?;
    let path = match kind {
        Kind::Books => dir.join(&slug).join(format!("index{suffix}.md")),
        _ => dir.join(format!("{slug}{suffix}.md")),
    };
    if path.exists() {
        return Err(vec![
            Diagnostic::error(&path, "a file with this name already exists")
                .with_help("choose another title, or edit the existing file"),
        ]);
    }
    let today = jiff::Zoned::now().date();
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("\"{slug}\""));
    let extra = match kind {
        Kind::Articles => "author: \"\"\ntopics: []\nbooks: []\nworksheets: []\n".to_string(),
        Kind::Books => "author: \"\"\nyear: 2026\n# isbn: \"978-…\"   (from the copyright page; checked)\ntopics: []\n".to_string(),
        Kind::Worksheets => "duration: \"15 minutes\"\nfor: couples\ntopics: []\n".to_string(),
        Kind::Counseling => "mode: online\nlicensed_in: [OR]  # the states your clinicians are licensed in\n".to_string(),
        Kind::Pages => String::new(),
    };
    let text = format!(
        "---\ntitle: {quoted}\ndescription: \"\"\ndate: {today}\ndraft: true\n{extra}---\n\nWrite here. Remove `draft: true` when it is ready to publish.\n"
    );
    let written = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&path, text));
    written.map_err(|e| vec![Diagnostic::error(&path, format!("cannot write: {e}"))])?;
    Ok(path)
}

fn parse_kind(kind: &str) -> Result<Kind, Vec<Diagnostic>> {
    Ok(match kind {
        "article" | "articles" => Kind::Articles,
        "book" | "books" => Kind::Books,
        "worksheet" | "worksheets" => Kind::Worksheets,
        "counseling" => Kind::Counseling,
        "page" | "pages" => Kind::Pages,
        other => {
            return Err(vec![
                Diagnostic::error(CONFIG_FILE, format!("`{other}` is not a kind of page"))
                    .with_help("use one of: article, book, worksheet, counseling, page"),
            ]);
        }
    })
}

/// The folder of the site's section of `kind` (found by its `_index.md`), or `content/`
/// for plain pages.
fn section_dir(root: &Path, kind: Kind) -> Result<PathBuf, Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    if kind == Kind::Pages {
        return Ok(content);
    }
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_name() != "_index.md" {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        let declares = text.lines().take_while(|l| !l.is_empty()).any(|l| {
            l.strip_prefix("kind:")
                .is_some_and(|v| v.trim().trim_matches('"') == kind.plural())
        });
        if declares && let Some(dir) = entry.path().parent() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(vec![
        Diagnostic::error(
            CONTENT_DIR,
            format!("the site has no section of kind `{}`", kind.plural()),
        )
        .with_help(format!(
            "create content/{0}/_index.md with `kind: {0}` in its front matter",
            kind.plural()
        )),
    ])
}
